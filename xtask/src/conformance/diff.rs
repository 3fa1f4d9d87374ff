//! A compact line diff for showing how a `dump` differs from QEMU's `.out`.
//!
//! It is not a full diff algorithm: it strips the common leading and trailing
//! lines and prints what remains in between, with a little context and a cap
//! on length. That is enough to point at the first difference.

use std::fmt::Write;

/// Unchanged lines shown before and after the differing region.
const CONTEXT: usize = 2;

/// Most lines shown from each side of the differing region.
const MAX_LINES: usize = 12;

/// Describes how `actual` differs from `expected`, in a unified-diff-like
/// format (`-` for expected, `+` for actual), or returns `None` if they are
/// identical.
pub fn line_diff(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();

    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_changed = &old[prefix..old.len() - suffix];
    let new_changed = &new[prefix..new.len() - suffix];

    let before = prefix.saturating_sub(CONTEXT);
    let mut out = format!("@@ first difference at line {} @@\n", prefix + 1);
    for line in &old[before..prefix] {
        push_line(&mut out, ' ', line);
    }
    push_side(&mut out, '-', old_changed);
    push_side(&mut out, '+', new_changed);
    let after_end = (old.len() - suffix + CONTEXT).min(old.len());
    for line in &old[old.len() - suffix..after_end] {
        push_line(&mut out, ' ', line);
    }
    Some(out)
}

fn push_side(out: &mut String, marker: char, lines: &[&str]) {
    for line in lines.iter().take(MAX_LINES) {
        push_line(out, marker, line);
    }
    if lines.len() > MAX_LINES {
        let _ = writeln!(out, "{marker} ... {} more lines", lines.len() - MAX_LINES);
    }
}

fn push_line(out: &mut String, marker: char, line: &str) {
    match line.strip_suffix('\n') {
        Some(text) => {
            let _ = writeln!(out, "{marker}{text}");
        }
        None => {
            let _ = writeln!(out, "{marker}{line}");
            out.push_str("\\ no newline at end\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_have_no_diff() {
        assert_eq!(line_diff("a\nb\n", "a\nb\n"), None);
    }

    #[test]
    fn shows_the_changed_region_with_context() {
        let expected = "1\n2\n3\n4\n5\n6\n7\n";
        let actual = "1\n2\n3\nfour\n5\n6\n7\n";
        assert_eq!(
            line_diff(expected, actual).unwrap(),
            "@@ first difference at line 4 @@\n 2\n 3\n-4\n+four\n 5\n 6\n"
        );
    }

    #[test]
    fn shows_missing_and_extra_lines() {
        assert_eq!(
            line_diff("a\nb\n", "a\n").unwrap(),
            "@@ first difference at line 2 @@\n a\n-b\n"
        );
        assert_eq!(
            line_diff("a\n", "a\nb\n").unwrap(),
            "@@ first difference at line 2 @@\n a\n+b\n"
        );
    }

    #[test]
    fn notes_a_missing_final_newline() {
        assert_eq!(
            line_diff("a\n", "a").unwrap(),
            "@@ first difference at line 1 @@\n-a\n+a\n\\ no newline at end\n"
        );
    }

    #[test]
    fn caps_long_regions() {
        let expected: String = (0..30).map(|i| format!("{i}\n")).collect();
        let diff = line_diff(&expected, "").unwrap();
        assert!(diff.ends_with("- ... 18 more lines\n"), "{diff}");
    }
}
