//! The line style rules of QEMU 10.2's doc comments ([`Rule::DocLineLimit`],
//! [`Rule::TwoSpacesBetweenSentences`]), checked as each line is read, outside rST literal
//! blocks.

use crate::diagnostic::Diagnostic;
use crate::release::Rule;
use crate::source::Span;

use super::{Lines, indentation};

impl Lines<'_> {
    /// The line style rules of QEMU 10.2 and later, outside rST literal blocks: at most 70
    /// columns, two spaces after a full stop.
    pub(super) fn check_style(&mut self, text: &str, start: u32) -> Result<(), Diagnostic> {
        let long_lines = self.dialect.holds(Rule::DocLineLimit);
        let sentences = self.dialect.holds(Rule::TwoSpacesBetweenSentences);
        if !long_lines && !sentences {
            return Ok(());
        }
        let indent = indentation(text);
        if starts_literal_block(text) {
            self.literal = Some(0);
        } else if let Some(literal) = self.literal
            && !text.is_empty()
        {
            if literal == 0 {
                self.literal = Some(indent);
            } else if indent < literal {
                self.literal = None;
            }
        }
        if self.literal.is_some() {
            return Ok(());
        }
        if long_lines && text.chars().count() + 2 > MAX_LINE_WIDTH && !is_url_line(text) {
            return Err(Diagnostic::error(
                self.current,
                format!("this documentation line is longer than {MAX_LINE_WIDTH} columns"),
            ));
        }
        if sentences && let Some(offset) = single_space_after_sentence(text) {
            let at = start + offset as u32;
            return Err(Diagnostic::error(
                Span::new(at, at + 1),
                "one space after the end of a sentence; separate sentences with two",
            )
            .with_note("if this is not the end of a sentence, rephrase it"));
        }
        Ok(())
    }
}

/// The widest a documentation line may be, `# ` included, where [`Rule::DocLineLimit`]
/// holds.
const MAX_LINE_WIDTH: usize = 70;

/// Whether a line opens an rST literal block in the sense of the style rules: `::` alone or
/// `.. qmp-example::`.
fn starts_literal_block(text: &str) -> bool {
    let rest = match text.strip_prefix("..") {
        Some(directive) => {
            let name = directive.trim_start_matches(' ');
            if name.len() == directive.len() {
                return false;
            }
            match name.strip_prefix("qmp-example") {
                Some(rest) => rest,
                None => return false,
            }
        }
        None => text,
    };
    rest.trim_start_matches(' ') == "::"
}

/// Whether a line is a lone URL, which may be as long as it needs.
fn is_url_line(text: &str) -> bool {
    let url = text.trim_start_matches(' ');
    ["http://", "https://", "ftp://"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
        && !url.contains(' ')
}

/// Finds a sentence end (`.`, `!` or `?`) followed by one space and a capital letter, digit
/// or `(`; returns the byte offset of the space. `e.g.` and a numbered list item's `1.` are
/// not sentence ends.
fn single_space_after_sentence(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let starts_sentence = |at: usize| {
        bytes.get(at) == Some(&b' ')
            && bytes.get(at + 1).is_some_and(|next| {
                next.is_ascii_uppercase() || next.is_ascii_digit() || *next == b'('
            })
    };
    let is_word = |character: char| character.is_alphanumeric() || character == '_';
    // A numbered item at the start of the line is skipped as a whole.
    let mut at = 0;
    let digits = text.trim_start_matches(' ');
    let item = text.len() - digits.len();
    if digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && bytes.get(item + 1) == Some(&b'.')
        && starts_sentence(item + 2)
    {
        at = item + 4;
    }
    while at < bytes.len() {
        let previous_is_word = text[..at].chars().next_back().is_some_and(is_word);
        if text[at..].starts_with("e.g.") && !previous_is_word && starts_sentence(at + 4) {
            at += 6;
            continue;
        }
        if matches!(bytes[at], b'.' | b'!' | b'?') && starts_sentence(at + 1) {
            return Some(at + 1);
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}
