//! "Did you mean …?": the known name closest to a misspelt one.

/// The name in `candidates` closest to `name` by edit distance (ignoring case), if one is
/// close enough to be a likely misspelling: at most a third of the name's length apart, and
/// at least one edit. Ties go to the first candidate.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    let limit = (wanted.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let other: Vec<char> = candidate.to_lowercase().chars().collect();
        if other.len().abs_diff(wanted.len()) > limit {
            continue;
        }
        let distance = edit_distance(&wanted, &other);
        if distance <= limit && best.is_none_or(|(shortest, _)| distance < shortest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance, with a swap of two neighbours counting as one edit.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut before_previous = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before_previous[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        let names = ["VmState", "VmStatus", "Disk"];
        assert_eq!(closest("VmStat", names), Some("VmState"));
        assert_eq!(closest("vmstatus", names), Some("VmStatus"));
        assert_eq!(closest("Dsik", names), Some("Disk"));
        assert_eq!(closest("Network", names), None);
        assert_eq!(closest("", names), None);
    }
}
