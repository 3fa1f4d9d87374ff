//! The `##` documentation comment parser: raw comment lines → [`Doc`] with sections.
//!
//! A block is either free-form (chapter text, headings with `=`) or documents one definition:
//! its first line is `@name:`, followed by an overview, `@member:` descriptions, a `Features:`
//! list of `@feature:` descriptions, and tagged sections (`Returns:`, `Errors:`, `Since:`,
//! `TODO:`) and further plain paragraphs. Descriptions continue on indented lines. The parser
//! only structures text; which members and features exist is checked by `lower/documentation.rs` when
//! it binds the block to its definition.
//!
//! This module reads the dialect of QEMU 9.0 and later; `legacy.rs` reads that of QEMU 8.2
//! and older into the same [`Doc`] ([`Rule::LegacyDocComments`]).

mod legacy;
mod style;

use crate::ast::DocBlock;
use crate::diagnostic::Diagnostic;
use crate::release::{Dialect, Rule};
use crate::schema::{Doc, Section, SectionKind};
use crate::source::{SourceMap, Span};

impl Doc {
    /// An empty block opened at `span`, with an empty body.
    fn new(span: Span) -> Doc {
        Doc {
            span,
            symbol: None,
            sections: vec![Section {
                kind: SectionKind::Plain,
                name: None,
                text: String::new(),
                span,
            }],
        }
    }

    /// Adds an empty description for a member that has none, after the other member
    /// descriptions.
    pub(crate) fn add_member_stub(&mut self, name: &str) {
        let position = 1 + self.sections[1..]
            .iter()
            .take_while(|section| section.kind == SectionKind::Member)
            .count();
        self.sections.insert(
            position,
            Section {
                kind: SectionKind::Member,
                name: Some(name.to_string()),
                text: String::new(),
                span: self.span,
            },
        );
    }

    fn append_line(&mut self, line: &str) {
        if let Some(section) = self.sections.last_mut() {
            section.text.push_str(line);
            section.text.push('\n');
        }
    }

    fn start_section(&mut self, kind: SectionKind, name: Option<String>, span: Span) {
        self.sections.push(Section {
            kind,
            name,
            text: String::new(),
            span,
        });
    }

    /// Continues the last section if it is plain, else starts a plain one.
    fn ensure_plain_section(&mut self, span: Span) {
        match self.sections.last_mut() {
            Some(section) if section.kind == SectionKind::Plain => {
                if section.text.is_empty() {
                    section.span = span;
                }
                section.text.push('\n');
            }
            _ => self.start_section(SectionKind::Plain, None, span),
        }
    }

    fn new_description(
        &mut self,
        kind: SectionKind,
        name: &str,
        span: Span,
    ) -> Result<(), Diagnostic> {
        self.check_description_name(kind, name, span)?;
        self.start_section(kind, Some(name.to_string()), span);
        Ok(())
    }

    /// A description's name must be there and new to the block.
    fn check_description_name(
        &self,
        kind: SectionKind,
        name: &str,
        span: Span,
    ) -> Result<(), Diagnostic> {
        if name.is_empty() {
            return Err(Diagnostic::error(
                span,
                "'@:' needs a name before the colon",
            ));
        }
        if self
            .sections_of(kind)
            .any(|section| section.name.as_deref() == Some(name))
        {
            let what = if kind == SectionKind::Feature {
                "feature"
            } else {
                "member"
            };
            return Err(Diagnostic::error(
                span,
                format!("{what} '{name}' is described twice"),
            ));
        }
        Ok(())
    }

    fn new_tagged_section(&mut self, kind: SectionKind, span: Span) -> Result<(), Diagnostic> {
        let unique = matches!(
            kind,
            SectionKind::Returns | SectionKind::Errors | SectionKind::Since
        );
        if unique && self.section(kind).is_some() {
            return Err(Diagnostic::error(
                span,
                format!("a second '{}:' section in the same block", kind.title()),
            ));
        }
        self.start_section(kind, None, span);
        Ok(())
    }
}

/// Parses a documentation block in `dialect`. Problems with the block's lines are the `Err`
/// side; the returned blocks still need [`finish`] once the token after the block is known
/// to be sound. A comment is one block, except where a `=` heading after text starts a new
/// one ([`Rule::HeadingSplitsComment`]).
///
/// Where [`Rule::LegacyDocComments`] holds, the block is read as QEMU 8.2 did. Under
/// [`Dialect::Any`] it is read as QEMU 9.0 and later do, and again as QEMU 8.2 did if that
/// fails (here or in [`finish`], or with a description name no member can have); if both
/// fail, the newer reading's error stands. So a comment either parser accepts is accepted,
/// and one both accept is read the new way.
pub fn parse(
    sources: &SourceMap,
    block: &DocBlock,
    dialect: Dialect,
) -> Result<Vec<Doc>, Diagnostic> {
    let mut lines = Lines::new(sources, block, dialect)?;
    if dialect.holds(Rule::LegacyDocComments) {
        return legacy::parse(&mut lines);
    }
    let modern = parse_modern(&mut lines);
    if !dialect.falls_back(Rule::LegacyDocComments) {
        return modern;
    }
    // A description whose name has a space (`@id : …`, text to QEMU 8.2) describes
    // nothing, and a tag inside a paragraph (`Features:` right after the overview) tags
    // nothing: either way the newer reading would fail when the block is bound to its
    // definition, where the older one reads what the author meant.
    let accepted = modern.as_ref().is_ok_and(|docs| {
        docs.iter().all(|doc| {
            doc.sections.iter().all(|section| {
                let named_with_space = section
                    .name
                    .as_deref()
                    .is_some_and(|name| name.contains(char::is_whitespace));
                let buried_tag = section.kind == SectionKind::Plain
                    && section.text.lines().skip(1).any(|line| {
                        line == "Features:"
                            || at_name_colon(line).is_some()
                            || tagged_section(line).is_some()
                    });
                // What `finish` would reject: a tagged section without text.
                let empty = section.kind != SectionKind::Plain
                    && section.text.bytes().all(|byte| byte == b'\n');
                !named_with_space && !buried_tag && !empty
            })
        })
    });
    if accepted {
        return modern;
    }
    let mut lines = Lines::new(sources, block, dialect)?;
    legacy::parse(&mut lines).or(modern)
}

/// The name on the `@name:` line that opens a definition's documentation.
pub(super) fn symbol_line(text: &str, at: Span) -> Result<&str, Diagnostic> {
    let Some(symbol) = text[1..].strip_suffix(':') else {
        return Err(Diagnostic::error(
            at,
            "the '@name' line of a definition's documentation must end with ':'",
        ));
    };
    if symbol.is_empty() {
        return Err(Diagnostic::error(at, "'@' must be followed by a name"));
    }
    Ok(symbol)
}

/// Reads a block in the dialect of QEMU 9.0 and later.
fn parse_modern(lines: &mut Lines<'_>) -> Result<Vec<Doc>, Diagnostic> {
    let mut doc = Doc::new(lines.block.opening);
    let mut line = lines.next()?;
    match line {
        Some(first) if first.starts_with('@') => {
            let symbol = symbol_line(first, lines.current)?;
            doc.symbol = Some(symbol.to_string());
            line = lines.next()?;
            definition_sections(&mut doc, lines, line)?;
        }
        _ => return free_form(doc, lines, line),
    }
    Ok(vec![doc])
}

/// Reads a free-form block: chapter text, with `=` headings where the dialect has them.
fn free_form<'a>(
    mut doc: Doc,
    lines: &mut Lines<'a>,
    mut line: Option<&'a str>,
) -> Result<Vec<Doc>, Diagnostic> {
    let dialect = lines.dialect;
    let mut docs = Vec::new();
    doc.ensure_plain_section(lines.current);
    let mut first = true;
    while let Some(text) = line {
        if let Some((name, _)) = at_name_colon(text) {
            return Err(Diagnostic::error(
                lines.current,
                format!("'@{name}:' describes a member, which free-form documentation cannot do"),
            ));
        }
        if is_heading(text, dialect) && !first {
            if !dialect.holds(Rule::HeadingSplitsComment) {
                return Err(Diagnostic::error(
                    lines.current,
                    "a '=' heading must be the first line of its comment block",
                ));
            }
            if !doc.body().text.is_empty() {
                let span = doc.span;
                docs.push(std::mem::replace(
                    &mut doc,
                    Doc {
                        span,
                        symbol: None,
                        sections: Vec::new(),
                    },
                ));
                doc.start_section(SectionKind::Plain, None, lines.current);
            }
        }
        doc.append_line(text);
        line = lines.next()?;
        first = false;
    }
    docs.push(doc);
    Ok(docs)
}

/// Whether a free-form line is a `= Heading` in `dialect`. A line of nothing but `=` is an
/// rST underline where such lines are plain text.
fn is_heading(text: &str, dialect: Dialect) -> bool {
    text.starts_with('=')
        && dialect.holds(Rule::EqualsHeadings)
        && !(dialect.holds(Rule::EqualsLinesAreText) && text.bytes().all(|byte| byte == b'='))
}

/// Trims the sections and checks that tagged sections have text.
pub fn finish(doc: &mut Doc) -> Result<(), Diagnostic> {
    for section in &mut doc.sections {
        section.text = section.text.trim_matches('\n').to_string();
        if section.kind != SectionKind::Plain && section.text.is_empty() {
            let what = match (&section.kind, &section.name) {
                (SectionKind::Member | SectionKind::Feature, Some(name)) => format!("'@{name}:'"),
                (kind, _) => format!("'{}:'", kind.title()),
            };
            return Err(Diagnostic::error(
                section.span,
                format!("{what} needs text after it"),
            ));
        }
    }
    Ok(())
}

fn definition_sections<'a>(
    doc: &mut Doc,
    lines: &mut Lines<'a>,
    mut line: Option<&'a str>,
) -> Result<(), Diagnostic> {
    let mut descriptions_closed = false;
    while let Some(mut text) = line.take() {
        while text.is_empty() {
            match lines.next()? {
                Some(next) => text = next,
                None => return Ok(()),
            }
        }
        if text == "Features:" {
            if doc.features().next().is_some() {
                return Err(Diagnostic::error(
                    lines.current,
                    "a second 'Features:' line",
                ));
            }
            line = lines.next()?;
            while line == Some("") {
                line = lines.next()?;
            }
            line = descriptions(doc, lines, line, SectionKind::Feature)?;
            if doc.features().next().is_none() {
                return Err(Diagnostic::error(
                    lines.current,
                    "'Features:' must be followed by '@feature:' descriptions",
                ));
            }
            descriptions_closed = true;
        } else if let Some((name, _)) = at_name_colon(text) {
            if descriptions_closed {
                return Err(Diagnostic::error(
                    lines.current,
                    format!("the description of '@{name}:' must come before other sections"),
                ));
            }
            line = descriptions(doc, lines, Some(text), SectionKind::Member)?;
            descriptions_closed = true;
        } else if let Some((tag, rest)) = tagged_section(text) {
            let legacy = lines.dialect.holds(Rule::LegacyDocSections);
            let kind = match tag {
                "Returns" => SectionKind::Returns,
                "Errors" => SectionKind::Errors,
                "Since" => SectionKind::Since,
                "TODO" => SectionKind::Todo,
                "Note" if legacy => SectionKind::Note,
                "Notes" if legacy => SectionKind::Notes,
                "Example" if legacy => SectionKind::Example,
                "Examples" if legacy => SectionKind::Examples,
                "Note" | "Notes" => {
                    return Err(Diagnostic::error(
                        lines.current,
                        format!(
                            "'{tag}:' sections are gone; write an rST '.. note::' or '.. admonition::' directive instead"
                        ),
                    ));
                }
                _ => {
                    return Err(Diagnostic::error(
                        lines.current,
                        format!(
                            "'{tag}:' sections are gone; write a '.. qmp-example::' directive instead"
                        ),
                    ));
                }
            };
            doc.new_tagged_section(kind, lines.current)?;
            if !rest.is_empty() {
                doc.append_line(rest);
            }
            line = if kind.is_legacy() {
                legacy_section_text(doc, lines)?
            } else {
                indented_text(doc, lines)?
            };
            descriptions_closed = true;
        } else if text.starts_with('=') && !lines.dialect.holds(Rule::EqualsLinesAreText) {
            return Err(Diagnostic::error(
                lines.current,
                "'=' headings belong in free-form documentation, not a definition's",
            ));
        } else {
            doc.ensure_plain_section(lines.current);
            doc.append_line(text);
            line = paragraph(doc, lines)?;
        }
    }
    Ok(())
}

/// Reads consecutive `@name:` descriptions of `kind`; returns the first line after them.
fn descriptions<'a>(
    doc: &mut Doc,
    lines: &mut Lines<'a>,
    mut line: Option<&'a str>,
    kind: SectionKind,
) -> Result<Option<&'a str>, Diagnostic> {
    while let Some(text) = line {
        let Some((name, rest)) = at_name_colon(text) else {
            break;
        };
        doc.new_description(kind, name, lines.current)?;
        if !rest.is_empty() {
            doc.append_line(rest);
        }
        line = indented_text(doc, lines)?;
    }
    Ok(line)
}

/// Reads the continuation of a description or tagged section: lines indented at least as
/// much as the first indented one. Returns the first line that does not belong.
fn indented_text<'a>(doc: &mut Doc, lines: &mut Lines<'a>) -> Result<Option<&'a str>, Diagnostic> {
    let mut line = lines.next()?;
    while line == Some("") {
        doc.append_line("");
        line = lines.next()?;
    }
    let Some(first) = line else {
        return Ok(None);
    };
    let indent = indentation(first);
    if indent == 0 {
        return Ok(Some(first));
    }
    doc.append_line(first);
    let mut after_first = false;
    loop {
        let Some(text) = lines.next()? else {
            return Ok(None);
        };
        if at_name_colon(text).is_some() {
            return Ok(Some(text));
        }
        if !text.is_empty() && indentation(text) < indent {
            if after_first {
                return Ok(Some(text));
            }
            return Err(Diagnostic::error(
                lines.current,
                format!(
                    "this line is indented less than the one before it (at least {indent} spaces expected)"
                ),
            ));
        }
        doc.append_line(text);
        after_first = true;
    }
}

/// Reads the text of a `Note:` or `Example:` section: every line up to the next section tag
/// or `@name:` line, as QEMU's generators before 9.2 did.
fn legacy_section_text<'a>(
    doc: &mut Doc,
    lines: &mut Lines<'a>,
) -> Result<Option<&'a str>, Diagnostic> {
    loop {
        match lines.next()? {
            Some(text) if tagged_section(text).is_none() && at_name_colon(text).is_none() => {
                doc.append_line(text);
            }
            other => return Ok(other),
        }
    }
}

/// Reads the rest of a plain paragraph; returns the blank line or end that ends it.
fn paragraph<'a>(doc: &mut Doc, lines: &mut Lines<'a>) -> Result<Option<&'a str>, Diagnostic> {
    loop {
        match lines.next()? {
            Some(text) if !text.is_empty() => doc.append_line(text),
            other => return Ok(other),
        }
    }
}

fn indentation(text: &str) -> usize {
    text.chars()
        .take_while(|character| character.is_whitespace())
        .count()
}

/// Matches `@name:` at the start of a line: the name and the text after the colon and spaces.
fn at_name_colon(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('@')?;
    let colon = rest.find(':')?;
    Some((&rest[..colon], rest[colon + 1..].trim_start_matches(' ')))
}

/// Matches a section tag at the start of a line: the tag and the text after it. A tag
/// followed by `::` is rST markup, not a section.
fn tagged_section(text: &str) -> Option<(&str, &str)> {
    const TAGS: [&str; 8] = [
        "Returns", "Errors", "Since", "Notes", "Note", "Examples", "Example", "TODO",
    ];
    TAGS.iter().find_map(|tag| {
        let rest = text.strip_prefix(tag)?.strip_prefix(':')?;
        if rest.starts_with(':') {
            return None;
        }
        Some((*tag, rest.trim_start_matches(' ')))
    })
}

/// The lines of a block, in order, as the text after `# `; `None` at the closing `##`.
struct Lines<'a> {
    sources: &'a SourceMap,
    block: &'a DocBlock,
    dialect: Dialect,
    next: usize,
    /// The line most recently read.
    current: Span,
    /// Inside an rST literal block: the indentation of its first line (0 until it is seen).
    literal: Option<usize>,
}

impl<'a> Lines<'a> {
    /// The lines of `block`, after checking its opening line.
    fn new(
        sources: &'a SourceMap,
        block: &'a DocBlock,
        dialect: Dialect,
    ) -> Result<Lines<'a>, Diagnostic> {
        if sources.text(block.opening) != "##" {
            return Err(Diagnostic::error(
                block.opening,
                "text after the '##' that opens a documentation comment",
            ));
        }
        Ok(Lines {
            sources,
            block,
            dialect,
            next: 0,
            current: block.opening,
            literal: None,
        })
    }

    fn next(&mut self) -> Result<Option<&'a str>, Diagnostic> {
        let Some(&span) = self.block.lines.get(self.next) else {
            return match &self.block.closing {
                Ok(closing) => {
                    self.current = *closing;
                    if self.sources.text(*closing) != "##" {
                        return Err(Diagnostic::error(
                            *closing,
                            "text after the '##' that closes a documentation comment",
                        ));
                    }
                    Ok(None)
                }
                Err(unterminated) => Err(unterminated.clone()),
            };
        };
        self.next += 1;
        self.current = span;
        let raw = self.sources.text(span);
        if raw == "#" {
            return Ok(Some(""));
        }
        match raw.strip_prefix("# ") {
            Some(text) => {
                let text = text.trim_end();
                self.check_style(text, span.start + 2)?;
                Ok(Some(text))
            }
            None => Err(Diagnostic::error(
                span,
                "documentation comment lines must start with '# ' (a space after the '#')",
            )),
        }
    }
}
