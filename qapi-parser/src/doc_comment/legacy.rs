//! The documentation comment dialect of QEMU 8.2 and older
//! ([`Rule::LegacyDocComments`](crate::release::Rule::LegacyDocComments)),
//! read into the same [`Doc`] as the newer one.
//!
//! That parser is a state machine over lines: the body, then `@name:` descriptions, then
//! `Features:` and `@feature:` descriptions, then tagged or anonymous sections. A
//! description's or tagged section's lines must be indented at least as far as the text
//! after its tag (not at all when the tag is alone on its line), and that indentation is
//! removed. An unindented line after a blank line ends the descriptions and starts an
//! anonymous section. Every error is placed at the line being read, as QEMU placed it.
//! Which members exist is not checked here, as in `mod.rs`.

use crate::diagnostic::Diagnostic;

use super::{Doc, Lines, SectionKind, symbol_line};

/// Where the reader is in a definition's block; decides what a line starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The body, before any description or section.
    Body,
    /// `@member:` descriptions.
    Members,
    /// After `Features:`: `@feature:` descriptions.
    Features,
    /// Tagged and anonymous sections.
    Sections,
}

/// Reads one block, which a `=` line after text splits into several free-form blocks (as
/// in every release of this dialect).
pub(super) fn parse(lines: &mut Lines<'_>) -> Result<Vec<Doc>, Diagnostic> {
    let mut docs = Vec::new();
    let mut reader = Reader::new(Doc::new(lines.block.opening));
    while let Some(text) = lines.next()? {
        if text.starts_with('=') {
            if reader.doc.symbol.is_some() {
                return Err(Diagnostic::error(
                    lines.current,
                    "'=' headings belong in free-form documentation, not a definition's",
                ));
            }
            if !reader.doc.body().text.is_empty() {
                let finished = reader.end(lines)?;
                docs.push(finished);
                let mut doc = Doc::new(lines.current);
                doc.span = lines.block.opening;
                reader = Reader::new(doc);
            }
        }
        reader.line(lines, text)?;
    }
    docs.push(reader.end(lines)?);
    Ok(docs)
}

/// The block being read and the state of the reading.
struct Reader {
    doc: Doc,
    part: Part,
    /// The indentation removed from the lines of the last section.
    indent: usize,
}

impl Reader {
    fn new(doc: Doc) -> Reader {
        Reader {
            doc,
            part: Part::Body,
            indent: 0,
        }
    }

    /// Closes the last section at the closing line and returns the block.
    fn end(mut self, lines: &Lines<'_>) -> Result<Doc, Diagnostic> {
        self.close_section(lines)?;
        Ok(self.doc)
    }

    fn line(&mut self, lines: &Lines<'_>, text: &str) -> Result<(), Diagnostic> {
        if text.is_empty() {
            return self.append(lines, text);
        }
        match self.part {
            Part::Body => self.body_line(lines, text),
            Part::Members | Part::Features => self.description_line(lines, text),
            Part::Sections => self.section_line(lines, text),
        }
    }

    fn body_line(&mut self, lines: &Lines<'_>, text: &str) -> Result<(), Diagnostic> {
        if self.doc.symbol.is_none() && self.doc.body().text.is_empty() && text.starts_with('@') {
            let symbol = symbol_line(text, lines.current)?;
            self.doc.symbol = Some(symbol.to_string());
            return Ok(());
        }
        if self.doc.symbol.is_none() {
            return self.append(lines, text);
        }
        let word = first_word(text);
        if description_tag(word).is_some() {
            self.part = Part::Members;
            self.description_line(lines, text)
        } else if text == "Features:" {
            self.part = Part::Features;
            Ok(())
        } else if section_tag(word).is_some() {
            self.part = Part::Sections;
            self.section_line(lines, text)
        } else {
            self.append(lines, text)
        }
    }

    /// A line among `@member:` or `@feature:` descriptions.
    fn description_line(&mut self, lines: &Lines<'_>, text: &str) -> Result<(), Diagnostic> {
        let word = first_word(text);
        if let Some(name) = description_tag(word) {
            let kind = if self.part == Part::Features {
                SectionKind::Feature
            } else {
                SectionKind::Member
            };
            return self.start_tagged(lines, text, word, kind, Some(name));
        }
        if section_tag(word).is_some() {
            self.part = Part::Sections;
            return self.section_line(lines, text);
        }
        let after_blank_line = self.last_text().ends_with("\n\n");
        if after_blank_line && indentation(text) == 0 {
            if self.part == Part::Members && text == "Features:" {
                self.part = Part::Features;
                return Ok(());
            }
            self.close_section(lines)?;
            self.doc
                .start_section(SectionKind::Plain, None, lines.current);
            self.indent = 0;
            self.part = Part::Sections;
            return self.section_line(lines, text);
        }
        self.append(lines, text)
    }

    /// A line among the tagged and anonymous sections.
    fn section_line(&mut self, lines: &Lines<'_>, text: &str) -> Result<(), Diagnostic> {
        let word = first_word(text);
        if description_tag(word).is_some() {
            return Err(Diagnostic::error(
                lines.current,
                format!(
                    "'{word}' describes a member or feature, which must come before other sections"
                ),
            ));
        }
        if let Some(kind) = section_tag(word) {
            if matches!(kind, SectionKind::Returns | SectionKind::Since)
                && self.doc.section(kind).is_some()
            {
                return Err(Diagnostic::error(
                    lines.current,
                    format!("a second '{word}' section in the same block"),
                ));
            }
            return self.start_tagged(lines, text, word, kind, None);
        }
        self.append(lines, text)
    }

    /// Starts a section at a line that begins with its tag `word`; the text after the tag
    /// sets the indentation of the lines that follow.
    fn start_tagged(
        &mut self,
        lines: &Lines<'_>,
        text: &str,
        word: &str,
        kind: SectionKind,
        name: Option<&str>,
    ) -> Result<(), Diagnostic> {
        if let Some(name) = name {
            self.doc.check_description_name(kind, name, lines.current)?;
        }
        self.close_section(lines)?;
        self.doc
            .start_section(kind, name.map(str::to_string), lines.current);
        let after_tag = &text[word.len()..];
        let rest = after_tag.trim_start();
        self.indent = if rest.is_empty() {
            0
        } else {
            let spaces = after_tag[..after_tag.len() - rest.len()].chars().count();
            word.chars().count() + spaces
        };
        self.append_line(rest);
        Ok(())
    }

    /// Appends a line to the last section, removing the section's indentation.
    fn append(&mut self, lines: &Lines<'_>, text: &str) -> Result<(), Diagnostic> {
        if let Some(tag) = free_form_tag(text) {
            return Err(Diagnostic::error(
                lines.current,
                format!("'{tag}' describes a member, which free-form text cannot do"),
            ));
        }
        if text.is_empty() {
            self.append_line("");
            return Ok(());
        }
        if indentation(text) < self.indent {
            return Err(Diagnostic::error(
                lines.current,
                format!(
                    "this line is indented less than the section's text (at least {} spaces expected)",
                    self.indent
                ),
            ));
        }
        let start = text
            .char_indices()
            .nth(self.indent)
            .map_or(text.len(), |(at, _)| at);
        self.append_line(&text[start..]);
        Ok(())
    }

    fn append_line(&mut self, text: &str) {
        self.doc.append_line(text.trim_end());
    }

    fn last_text(&self) -> &str {
        self.doc
            .sections
            .last()
            .map_or("", |section| section.text.as_str())
    }

    /// Trims the last section's text; only the body may be left empty.
    fn close_section(&mut self, lines: &Lines<'_>) -> Result<(), Diagnostic> {
        let is_body = self.doc.sections.len() == 1;
        let Some(section) = self.doc.sections.last_mut() else {
            return Ok(());
        };
        section.text = section.text.trim().to_string();
        if is_body || !section.text.is_empty() {
            return Ok(());
        }
        let what = match (&section.name, section.kind.tag()) {
            (Some(name), _) => format!("'@{name}:'"),
            (None, Some(tag)) => format!("'{tag}:'"),
            (None, None) => "the section".to_string(),
        };
        Err(Diagnostic::error(
            lines.current,
            format!("{what} needs text after it"),
        ))
    }
}

/// The text up to the first space.
fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or_default()
}

/// The name in a word `@name:`.
fn description_tag(word: &str) -> Option<&str> {
    word.strip_prefix('@')?.strip_suffix(':')
}

/// The section a word `Tag:` starts.
fn section_tag(word: &str) -> Option<SectionKind> {
    Some(match word {
        "Returns:" => SectionKind::Returns,
        "Since:" => SectionKind::Since,
        "Note:" => SectionKind::Note,
        "Notes:" => SectionKind::Notes,
        "Example:" => SectionKind::Example,
        "Examples:" => SectionKind::Examples,
        "TODO:" => SectionKind::Todo,
        _ => return None,
    })
}

/// A `@name:` at the very start of a line where no description may start, up to the first
/// colon of its first word.
fn free_form_tag(text: &str) -> Option<&str> {
    let word = text.split(char::is_whitespace).next()?;
    let name = word.strip_prefix('@')?;
    let colon = name.rfind(':').filter(|&colon| colon > 0)?;
    Some(&word[..colon + 2])
}

fn indentation(text: &str) -> usize {
    text.chars()
        .take_while(|character| character.is_whitespace())
        .count()
}

#[cfg(test)]
mod tests {
    use crate::release::{Dialect, Release};
    use crate::{Doc, Format, SectionKind};

    fn read(schema: &str, dialect: Dialect) -> Result<Vec<Doc>, String> {
        let mut files = |_: &std::path::Path| Ok(schema.as_bytes().to_vec());
        crate::parse_with("test.json", &mut files, dialect)
            .map(|schema| schema.docs)
            .map_err(|error| error.render(Format::Short, false))
    }

    fn old(schema: &str) -> Result<Vec<Doc>, String> {
        read(schema, Dialect::Release(Release::new(7, 2)))
    }

    const ALIGNED: &str = "##\n# @Pot:\n#\n# A pot.\n#\n# @size: the size,\n#        in litres\n# @lid:\n# whether it has one\n#\n# Since: 1.0\n##\n{ 'struct': 'Pot', 'data': { 'size': 'int', 'lid': 'bool', 'handle': 'str' } }\n";

    #[test]
    fn descriptions_lose_the_indentation_of_their_first_line() {
        let docs = old(ALIGNED).unwrap();
        let doc = &docs[0];
        assert_eq!(doc.body().text, "A pot.");
        assert_eq!(doc.member("size").unwrap().text, "the size,\nin litres");
        assert_eq!(doc.member("lid").unwrap().text, "whether it has one");
        // An undocumented member gets an empty description.
        assert_eq!(doc.member("handle").unwrap().text, "");
        assert_eq!(doc.section(SectionKind::Since).unwrap().text, "1.0");
    }

    #[test]
    fn a_line_indented_less_than_the_description_is_an_error() {
        let schema = ALIGNED.replace("#        in litres", "#    in litres");
        let error = old(&schema).unwrap_err();
        assert!(error.starts_with("test.json:7:1:"), "{error}");
        // Newer releases accept such a line, so any release does; and any release accepts
        // the unindented continuation that only older ones did.
        let newer = "##\n# @Cup:\n# @full: whether the cup\n#     is full\n##\n{ 'struct': 'Cup', 'data': { 'full': 'bool' } }\n";
        assert!(old(newer).is_err());
        assert!(read(newer, Dialect::Any).is_ok());
        let any = read(ALIGNED, Dialect::Any).unwrap();
        assert_eq!(any[0].member("lid").unwrap().text, "whether it has one");
    }

    #[test]
    fn an_unindented_line_after_a_blank_line_starts_an_anonymous_section() {
        let schema = "##\n# @Cup:\n#\n# @full: whether\n#\n# Wash it.\n##\n{ 'struct': 'Cup', 'data': { 'full': 'bool' } }\n";
        let docs = old(schema).unwrap();
        let other: Vec<_> = docs[0].other_sections().collect();
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].kind, SectionKind::Plain);
        assert_eq!(other[0].text, "Wash it.");
    }

    #[test]
    fn errors_are_placed_at_the_line_being_read() {
        let cases = [
            // An empty description is found when the next section starts.
            ("##\n# @Cup:\n# @full:\n# @empty: yes\n##\n", 4),
            // An empty tagged section at the closing line.
            ("##\n# @Cup:\n# @full: yes\n# Since:\n##\n", 5),
            ("##\n# @Cup:\n# Since: 1\n# @full: yes\n##\n", 4),
            ("##\n# @Cup:\n# Since: 1\n# Since: 2\n##\n", 4),
            ("##\n# @Cup:\n# = Heading\n##\n", 3),
            ("##\n# Text\n# @full: yes\n##\n", 3),
        ];
        for (doc, line) in cases {
            let schema = format!("{doc}{{ 'struct': 'Cup', 'data': {{ 'full': 'bool' }} }}\n");
            let error = old(&schema).unwrap_err();
            assert!(
                error.starts_with(&format!("test.json:{line}:1:")),
                "{doc}: {error}"
            );
        }
    }

    #[test]
    fn a_heading_after_text_starts_a_new_block() {
        let docs = old("##\n# = One\n# text\n# = Two\n##\n").unwrap();
        let bodies: Vec<_> = docs.iter().map(|doc| doc.body().text.as_str()).collect();
        assert_eq!(bodies, ["= One\ntext", "= Two"]);
    }

    #[test]
    fn only_the_old_tags_start_sections() {
        let schema =
            "##\n# @brew:\n# Errors: none\n# Returns: nothing\n##\n{ 'command': 'brew' }\n";
        let docs = old(schema).unwrap();
        assert_eq!(docs[0].body().text, "Errors: none");
        assert_eq!(
            docs[0].section(SectionKind::Returns).unwrap().text,
            "nothing"
        );
    }
}
