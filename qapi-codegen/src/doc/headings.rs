//! reST section titles in free-form documentation, as QEMU 10.1 and later write chapters:
//! a title line underlined (and possibly overlined) by a line of one punctuation character
//! at least as long as the title.
//!
//! Only the shape is recognised here; which level a style of adornment stands for is the
//! caller's business (reST gives levels in the order styles first occur).

/// A piece of free-form text: a section title, or the text between titles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    /// A section title and its adornment style: the character, and whether it has an
    /// overline too.
    Title {
        /// The title's text.
        text: String,
        /// The adornment character and whether the title is overlined.
        style: (char, bool),
    },
    /// Text between titles.
    Text(String),
}

/// Splits `text` at section titles that start it or follow a blank line.
pub(super) fn split(text: &str) -> Vec<Piece> {
    let lines: Vec<&str> = text.lines().collect();
    let mut pieces = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let after_blank = index == 0 || lines[index - 1].trim().is_empty();
        if after_blank {
            if let Some((title, style, length)) = title_at(&lines[index..]) {
                flush(&mut pending, &mut pieces);
                pieces.push(Piece::Title { text: title, style });
                index += length;
                continue;
            }
        }
        pending.push(lines[index]);
        index += 1;
    }
    flush(&mut pending, &mut pieces);
    pieces
}

fn flush(pending: &mut Vec<&str>, pieces: &mut Vec<Piece>) {
    let text = pending.join("\n");
    pending.clear();
    if !text.trim().is_empty() {
        pieces.push(Piece::Text(text.trim_matches('\n').to_string()));
    }
}

/// The character of an adornment line: one punctuation character repeated, three or more.
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    let punctuation = "=-~^*+#\"'`:._<>";
    (punctuation.contains(first) && line.chars().count() >= 3 && line.chars().all(|c| c == first))
        .then_some(first)
}

/// A title at the start of `lines`: its text, style and how many lines it takes.
fn title_at(lines: &[&str]) -> Option<(String, (char, bool), usize)> {
    let is_title = |line: &str| {
        !line.trim().is_empty()
            && !line.starts_with(char::is_whitespace)
            && adornment(line).is_none()
    };
    let long_enough =
        |rule: &str, title: &str| rule.trim_end().chars().count() >= title.trim().chars().count();
    if let [over, title, under, ..] = lines {
        if let (Some(top), Some(bottom)) = (adornment(over), adornment(under)) {
            if top == bottom && is_title(title.trim_start()) && long_enough(under, title) {
                return Some((title.trim().to_string(), (top, true), 3));
            }
        }
    }
    if let [title, under, ..] = lines {
        if let Some(mark) = adornment(under) {
            if is_title(title) && long_enough(under, title) {
                return Some((title.trim().to_string(), (mark, false), 2));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_with_and_without_overlines() {
        let pieces = split("****\nACPI\n****\n\nText.\n\nBlock core\n==========\nMore.");
        assert_eq!(
            pieces,
            vec![
                Piece::Title {
                    text: "ACPI".into(),
                    style: ('*', true)
                },
                Piece::Text("Text.".into()),
                Piece::Title {
                    text: "Block core".into(),
                    style: ('=', false)
                },
                Piece::Text("More.".into()),
            ]
        );
    }

    #[test]
    fn short_rules_and_tables_are_text() {
        let text = "Title\n===\n\n=====  =====\na      b\n=====  =====";
        assert_eq!(split(text), vec![Piece::Text(text.into())]);
    }
}
