//! The man(7) backend: a troff page that `man -l` renders like QEMU's reference manuals.
//!
//! Each definition reads `KIND NAME (Since: X)` in bold, its text indented below, then field
//! lists (`Arguments`, `Members`, …) of `• name (type, optional) -- description` bullets, a
//! `Return type -- text` line and an `Errors` block; so a rendered page can be compared with
//! QEMU's line by line. Only the `man` macros are used (no `mdoc`, no rst2man helpers), and
//! every text line is escaped, so schema text can never become a troff request.

use super::markup::{self, Block, Inline};
use super::{
    Definition, Entry, Field, FieldGroup, Item, Layout, Options, Part, Reference, Subject,
};
use qapi_schema::Schema;

/// Renders `schema`'s reference as a man page in section 7.
pub fn generate(schema: &Schema, options: &Options) -> String {
    render(&Reference::new(schema, options))
}

/// Renders an already built reference as a man page.
pub fn render(reference: &Reference) -> String {
    let mut page = Page::default();
    page.request(&format!(
        ".TH \"{}\" \"7\" \"\" \"\" \"{}\"",
        quoted(&reference.page_name.to_uppercase()),
        quoted(&reference.title)
    ));
    page.request(".SH NAME");
    page.line(&format!(
        "{} \\- {}",
        escape(&reference.page_name),
        escape(&reference.title)
    ));
    let legacy = reference.layout == Layout::Legacy;
    if legacy {
        page.contents(reference);
    }
    for item in &reference.items {
        match item {
            Item::Definition(definition) if legacy => page.legacy_definition(definition),
            Item::Heading { level: 1, text, .. } => {
                page.request(&format!(".SH \"{}\"", quoted(&text.to_uppercase())));
            }
            Item::Heading { text, .. } => {
                page.request(&format!(".SS \"{}\"", quoted(text)));
            }
            Item::Text(text) => page.blocks(&markup::parse(text)),
            Item::Definition(definition) => page.definition(definition),
        }
    }
    page.out
}

#[derive(Default)]
struct Page {
    out: String,
}

impl Page {
    fn request(&mut self, request: &str) {
        self.out.push_str(request);
        self.out.push('\n');
    }

    /// A text line; one starting with `.` or `'` is protected from being read as a request.
    fn line(&mut self, text: &str) {
        if text.starts_with('.') || text.starts_with('\'') {
            self.out.push_str("\\&");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn definition(&mut self, definition: &Definition) {
        self.request(".sp");
        self.line(&format!("\\fB{}\\fP", escape(&definition.heading())));
        self.request(".RS 7");
        for notice in definition.notices() {
            self.paragraph(&notice);
        }
        if let Some(condition) = &definition.condition {
            self.request(".sp");
            self.line(&format!(
                "\\fIAvailability\\fP: \\fB{}\\fP",
                escape(condition)
            ));
        }
        for part in &definition.parts {
            match part {
                Part::Text(text) => self.blocks(&markup::parse(text)),
                Part::Fields { group, fields } => self.fields(*group, fields),
                Part::Returns { ty, text } => {
                    let mut lead = String::from("\\fBReturn\\fP ");
                    if let Some(ty) = ty {
                        let dash = if text.is_empty() { "" } else { " \\-\\- " };
                        lead.push_str(&format!("\\fB{}\\fP{dash}", escape(&ty.text)));
                    }
                    self.lead_and_blocks(&lead, text);
                }
                Part::Titled { title, text } => {
                    self.request(".sp");
                    self.line(&format!("\\fB{title}\\fP"));
                    self.request(".RS 7");
                    self.blocks(&markup::parse(text));
                    self.request(".RE");
                }
            }
        }
        self.request(".RE");
    }

    /// The contents list of the old layout: chapters, and the definitions in each.
    fn contents(&mut self, reference: &Reference) {
        self.request(".SS Contents");
        let mut nested = false;
        for item in &reference.items {
            let text = match item {
                Item::Heading { level: 1, text, .. } => {
                    if nested {
                        self.request(".RE");
                        nested = false;
                    }
                    self.request(".IP \\(bu 2");
                    self.line(&escape(text));
                    continue;
                }
                Item::Heading { text, .. } => text.clone(),
                Item::Definition(definition) => definition.legacy_heading(),
                Item::Text(_) => continue,
            };
            if !nested {
                self.request(".RS 2");
                nested = true;
            }
            self.request(".IP \\(bu 2");
            self.line(&escape(&text));
        }
        if nested {
            self.request(".RE");
        }
    }

    /// A definition in the old layout: a subsection headed `NAME (Kind)`, and one
    /// subsection per field list and titled section.
    fn legacy_definition(&mut self, definition: &Definition) {
        self.request(&format!(
            ".SS \\fB{}\\fP ({})",
            escape(&definition.name),
            definition.kind.title()
        ));
        for part in &definition.parts {
            match part {
                Part::Text(text) => self.blocks(&markup::parse(text)),
                Part::Fields { group, fields } => {
                    self.request(&format!(".SS {}", group.title()));
                    self.request(".RS 0");
                    for field in fields {
                        if let Field::Entry(entry) = field {
                            self.entry(entry);
                        }
                    }
                    self.request(".RE");
                }
                Part::Returns { text, .. } => {
                    self.request(".SS Returns");
                    self.blocks(&markup::parse(text));
                }
                Part::Titled { title, text } => {
                    self.request(&format!(".SS {title}"));
                    self.blocks(&markup::parse(text));
                }
            }
        }
    }

    /// A definition list entry: the term on its line, the description indented below it.
    fn entry(&mut self, entry: &Entry) {
        self.request(".TP 7");
        let mut term = match &entry.subject {
            Subject::Named { name, ty, optional } => {
                let mut term = format!("\\fB{}\\fP", escape(name));
                if let Some(ty) = ty {
                    term.push_str(&format!(": \\fB{}\\fP", escape(&ty.text)));
                }
                if *optional {
                    term.push_str(" (optional)");
                }
                term
            }
            Subject::MembersOf(ty) => format!("The members of \\fB{}\\fP", escape(&ty.text)),
        };
        let when = entry.when.as_ref().map(|(tag, value)| {
            format!(
                " when \\fB{}\\fP is \\fB\\(dq{}\\(dq\\fP",
                escape(tag),
                escape(value)
            )
        });
        let condition = entry
            .condition
            .as_ref()
            .map(|condition| format!(" (\\fBIf: \\fP\\fB{}\\fP)", escape(condition)));
        // The old manuals put a member's condition before the branch it belongs to, and a
        // branch's after it.
        let order = match entry.subject {
            Subject::Named { .. } => [condition, when],
            Subject::MembersOf(_) => [when, condition],
        };
        for piece in order.into_iter().flatten() {
            term.push_str(&piece);
        }
        self.line(&term);
        let Some(text) = &entry.text else {
            return;
        };
        let blocks = markup::parse(text);
        match blocks.split_first() {
            Some((Block::Paragraph(runs), rest)) => {
                self.line(&inline(runs));
                self.blocks(rest);
            }
            _ => self.blocks(&blocks),
        }
    }

    fn fields(&mut self, group: FieldGroup, fields: &[Field]) {
        self.request(".sp");
        self.line(&format!("\\fB{}\\fP", group.title()));
        self.request(".RS 7");
        for field in fields {
            self.request(".IP \\(bu 2");
            match field {
                Field::Named {
                    name,
                    ty,
                    optional,
                    text,
                    ..
                } => {
                    let mut lead = format!("\\fB{}\\fP", escape(name));
                    match (ty, optional) {
                        (Some(ty), false) => {
                            lead.push_str(&format!(" (\\fB{}\\fP)", escape(&ty.text)))
                        }
                        (Some(ty), true) => {
                            lead.push_str(&format!(" (\\fB{}\\fP, optional)", escape(&ty.text)));
                        }
                        (None, _) => {}
                    }
                    lead.push_str(" \\-\\- ");
                    self.item_body(&lead, text);
                    let notes = field.notes();
                    if !notes.is_empty() {
                        self.request(".sp");
                        self.line(&escape(&notes.join(" ")));
                    }
                }
                Field::Entry(entry) => self.entry(entry),
                Field::MembersOf { when, ty } => {
                    let text = match when {
                        Some((tag, value)) => format!(
                            "When \\fB{}\\fP is \\fB{}\\fP: The members of \\fB{}\\fP\\&.",
                            escape(tag),
                            escape(value),
                            escape(ty)
                        ),
                        None => format!("The members of \\fB{}\\fP\\&.", escape(ty)),
                    };
                    self.line(&text);
                }
            }
        }
        self.request(".RE");
    }

    /// The body of a list item: `lead`, then the description.
    fn item_body(&mut self, lead: &str, text: &str) {
        // Like Sphinx's field lists: a one-paragraph description follows the lead on its
        // line, a longer one starts below it.
        let blocks = markup::parse(text);
        match blocks.as_slice() {
            [Block::Paragraph(runs)] => self.line(&format!("{lead}{}", inline(runs))),
            _ => {
                self.line(lead.trim_end());
                for block in blocks {
                    self.block(&block);
                }
            }
        }
    }

    fn lead_and_blocks(&mut self, lead: &str, text: &str) {
        self.request(".sp");
        self.item_body(lead, text);
    }

    fn paragraph(&mut self, text: &str) {
        self.request(".sp");
        self.line(&escape(text));
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(runs) => {
                self.request(".sp");
                self.line(&inline(runs));
            }
            Block::Literal(text) => {
                self.request(".sp");
                self.request(".RS 4");
                self.request(".nf");
                self.request(".ft C");
                for line in text.lines() {
                    self.line(&escape(line));
                }
                self.request(".ft P");
                self.request(".fi");
                self.request(".RE");
            }
            Block::BulletList(items) => {
                self.request(".RS 2");
                for item in items {
                    self.request(".IP \\(bu 2");
                    self.list_item(item);
                }
                self.request(".RE");
            }
            Block::EnumeratedList(items) => {
                self.request(".RS 2");
                for (marker, item) in items {
                    self.request(&format!(".IP \"{}\" 4", quoted(marker)));
                    self.list_item(item);
                }
                self.request(".RE");
            }
            Block::Quote(blocks) => {
                self.request(".RS 4");
                self.blocks(blocks);
                self.request(".RE");
            }
            Block::Admonition { title, body } => {
                self.request(".sp");
                self.line(&format!("\\fB{}:\\fP", escape(title)));
                self.request(".RS 4");
                self.blocks(body);
                self.request(".RE");
            }
        }
    }

    fn list_item(&mut self, item: &[Block]) {
        match item.split_first() {
            Some((Block::Paragraph(runs), rest)) => {
                self.line(&inline(runs));
                self.blocks(rest);
            }
            _ => self.blocks(item),
        }
    }
}

/// Inline runs as troff text with font changes.
fn inline(runs: &[Inline]) -> String {
    let mut text = String::new();
    for run in runs {
        match run {
            Inline::Text(plain) => text.push_str(&escape(plain)),
            Inline::Literal(code)
            | Inline::Strong(code)
            | Inline::Reference {
                text: code,
                role: true,
                ..
            } => {
                text.push_str(&format!("\\fB{}\\fP", escape(code)));
            }
            Inline::Emphasis(words)
            | Inline::Reference {
                text: words,
                role: false,
                ..
            } => text.push_str(&format!("\\fI{}\\fP", escape(words))),
            Inline::Link { text: words, url } => {
                text.push_str(&escape(words));
                if words != url {
                    text.push_str(&format!(" <{}>", escape(url)));
                }
            }
        }
    }
    // Text lines are filled by troff: a newline in the source is a space.
    text.replace('\n', " ")
}

/// Escapes text for a troff text line: backslashes, and characters that troff would print
/// as typographic glyphs.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' => escaped.push_str("\\e"),
            '-' => escaped.push_str("\\-"),
            '\'' => escaped.push_str("\\(aq"),
            '"' => escaped.push_str("\\(dq"),
            '`' => escaped.push_str("\\(ga"),
            '^' => escaped.push_str("\\(ha"),
            '~' => escaped.push_str("\\(ti"),
            '.' => escaped.push_str("\\&."),
            control if control.is_control() && control != '\t' => {}
            other => escaped.push(other),
        }
    }
    escaped
}

/// Text for a quoted macro argument.
fn quoted(text: &str) -> String {
    escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_become_a_request() {
        assert_eq!(escape(".TH x"), "\\&.TH x");
        assert_eq!(escape("a\\fBb"), "a\\efBb");
        let mut page = Page::default();
        page.line(&escape("'so /etc/passwd"));
        assert_eq!(page.out, "\\(aqso /etc/passwd\n");
    }
}
