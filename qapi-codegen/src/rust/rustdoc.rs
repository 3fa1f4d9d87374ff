//! Rustdoc from schema documentation: descriptions, `Since`, `Returns`, `Errors`, notes and
//! examples, conditions and features, and `#[deprecated]`.
//!
//! Schema documentation is reStructuredText-like text. Rustdoc reads Markdown, where an
//! indented block would become a doctest and brackets would become links, so indented blocks
//! (examples, directive bodies) are fenced as `text` and `[`, `]`, `<`, `>` are escaped.

use proc_macro2::TokenStream;
use qapi_schema::{Doc, Entity, Feature, IfCond, SectionKind};
use quote::quote;

use super::conditions::Presence;
use super::generator::Generator;

/// Lines of documentation being assembled for one item.
#[derive(Default)]
pub struct DocLines {
    lines: Vec<String>,
}

impl DocLines {
    /// Appends a paragraph of schema text, converted to Markdown, after a blank line.
    pub fn text(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.paragraph_break();
        self.lines.extend(markdown(text));
    }

    /// Appends text shown as it is, in a code block that is not a doctest.
    pub fn verbatim(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        // The fence is longer than any run of backticks in the text, so none closes it.
        let longest_run = text
            .split(|character| character != '`')
            .map(str::len)
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest_run.max(2) + 1);
        self.paragraph_break();
        self.lines.push(format!("{fence}text"));
        self.lines
            .extend(text.trim_matches('\n').lines().map(str::to_string));
        self.lines.push(fence);
    }

    /// Appends a paragraph of our own Markdown.
    pub fn line(&mut self, line: String) {
        self.paragraph_break();
        self.lines.push(line);
    }

    fn paragraph_break(&mut self) {
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
    }

    /// `#[doc]` attributes, one per line.
    pub fn attributes(&self) -> TokenStream {
        let lines = self.lines.iter().map(|line| {
            if line.is_empty() {
                super::string_literal("")
            } else {
                super::string_literal(&format!(" {line}"))
            }
        });
        quote!(#(#[doc = #lines])*)
    }
}

impl Generator<'_> {
    /// The docs, `#[deprecated]` and the user's attributes of a definition's Rust item.
    pub(super) fn definition_attributes(&self, entity: &Entity) -> TokenStream {
        let docs = self
            .entity_docs(
                self.schema.doc_of(entity),
                entity.ifcond.as_ref(),
                &entity.features,
                &format!("`{}`", entity.name),
            )
            .attributes();
        let docs = super::Splice::new(docs);
        let deprecated = self.deprecated(&entity.features);
        let user = self.selection.attributes(&entity.name, entity.is_type());
        quote!(#docs #deprecated #user)
    }

    /// The docs of a definition: its description and sections, condition and features.
    fn entity_docs(
        &self,
        doc: Option<&Doc>,
        ifcond: Option<&IfCond>,
        features: &[Feature],
        fallback: &str,
    ) -> DocLines {
        let mut lines = DocLines::default();
        if !self.options.docs {
            return lines;
        }
        match doc {
            Some(doc) if !doc.body().text.trim().is_empty() => lines.text(&doc.body().text),
            _ => lines.line(fallback.to_string()),
        }
        if let Some(doc) = doc {
            for section in doc.other_sections() {
                let title = match section.kind {
                    SectionKind::Returns => "# Returns",
                    SectionKind::Errors => "# Errors",
                    SectionKind::Since => {
                        lines.line(format!("Since: {}", escape(section.text.trim())));
                        continue;
                    }
                    SectionKind::Todo => continue,
                    SectionKind::Note => "# Note",
                    SectionKind::Notes => "# Notes",
                    SectionKind::Example | SectionKind::Examples => {
                        lines.line(format!("# {}", section.kind.title()));
                        lines.verbatim(&section.text);
                        continue;
                    }
                    _ => "",
                };
                if !title.is_empty() {
                    lines.line(title.to_string());
                }
                lines.text(&section.text);
            }
        }
        self.condition_and_features(&mut lines, doc, ifcond, features);
        lines
    }

    /// The docs of a member, enum value or branch.
    pub(super) fn member_docs(
        &self,
        doc: Option<&Doc>,
        name: &str,
        ifcond: Option<&IfCond>,
        features: &[Feature],
    ) -> DocLines {
        let mut lines = DocLines::default();
        if !self.options.docs {
            return lines;
        }
        match doc.and_then(|doc| doc.member(name)) {
            Some(section) if !section.text.trim().is_empty() => lines.text(&section.text),
            _ => lines.line(format!("`{name}`")),
        }
        self.condition_and_features(&mut lines, None, ifcond, features);
        lines
    }

    fn condition_and_features(
        &self,
        lines: &mut DocLines,
        doc: Option<&Doc>,
        ifcond: Option<&IfCond>,
        features: &[Feature],
    ) {
        // Without a symbol set, conditions not decided by features are kept; say which.
        if self.options.symbols.is_none() {
            if let Some(ifcond) = ifcond {
                lines.line(format!("Only in builds where `{}`.", condition(ifcond)));
            }
        }
        for feature in features {
            if !self.in_output(feature.ifcond.as_ref()) {
                continue;
            }
            let described = doc
                .and_then(|doc| doc.feature(&feature.name))
                .map(|section| escape(section.text.trim()));
            let label = match feature.name.as_str() {
                "unstable" => "**Unstable.**".to_string(),
                "deprecated" => "**Deprecated.**".to_string(),
                other => format!("Feature `{other}`."),
            };
            match described {
                Some(text) if !text.is_empty() => lines.line(format!("{label} {text}")),
                _ => lines.line(label),
            }
        }
    }

    /// `#[deprecated]` when the item has a kept `deprecated` feature, under `cfg_attr` when
    /// a cargo feature decides it.
    pub(super) fn deprecated(&self, features: &[Feature]) -> TokenStream {
        let deprecated = features.iter().find(|feature| feature.name == "deprecated");
        match deprecated.map(|feature| self.conditions.presence(feature.ifcond.as_ref())) {
            Some(Presence::Always) => quote!(#[deprecated]),
            Some(Presence::Cfg(predicate)) => quote!(#[cfg_attr(#predicate, deprecated)]),
            Some(Presence::Never) | None => quote!(),
        }
    }
}

/// A condition in the schema language's words: `CONFIG_KVM`, `all(A, B)`, `not(C)`.
fn condition(ifcond: &IfCond) -> String {
    let list = |operands: &[IfCond]| {
        operands
            .iter()
            .map(condition)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match ifcond {
        IfCond::Name(name) => name.clone(),
        IfCond::All(operands) => format!("all({})", list(operands)),
        IfCond::Any(operands) => format!("any({})", list(operands)),
        IfCond::Not(operand) => format!("not({})", condition(operand)),
        IfCond::Preprocessor { text, .. } => text.clone(),
    }
}

/// Schema text as Markdown lines: indented blocks fenced as text, the rest escaped.
fn markdown(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut fenced = false;
    for (index, line) in lines.iter().enumerate() {
        let line = line.get(indent..).unwrap_or("").trim_end();
        let indented = line.starts_with(' ');
        if indented && !fenced {
            out.push("```text".to_string());
            fenced = true;
        } else if fenced && !indented && !line.is_empty() {
            out.push("```".to_string());
            fenced = false;
        }
        if fenced {
            // A blank line inside a fence ends it unless more indented text follows.
            let continues = lines[index + 1..]
                .iter()
                .find(|next| !next.trim().is_empty())
                .is_some_and(|next| next.get(indent..).is_some_and(|l| l.starts_with(' ')));
            if line.is_empty() && !continues {
                out.push("```".to_string());
                fenced = false;
                out.push(String::new());
                continue;
            }
            out.push(line.to_string());
        } else {
            out.push(escape(line));
        }
    }
    if fenced {
        out.push("```".to_string());
    }
    out
}

/// Escapes what Markdown and rustdoc would read as links, HTML or code blocks, and makes
/// URLs autolinks (rustdoc warns about bare ones).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')']);
            let mut consumed = url.len();
            // A URL the schema already wrote as `<URL>` keeps its brackets.
            if escaped.ends_with("\\<") && rest[consumed..].starts_with('>') {
                escaped.truncate(escaped.len() - 2);
                consumed += 1;
            }
            escaped.push('<');
            escaped.push_str(url);
            escaped.push('>');
            rest = &rest[consumed..];
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
        rest = &rest[c.len_utf8()..];
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_blocks_become_text_fences() {
        let text = "Shows the status.\n\n.. qmp-example::\n\n    -> { \"execute\": \"x\" }\n    <- { \"return\": {} }\n\nMore [text] here.";
        assert_eq!(
            markdown(text),
            [
                "Shows the status.",
                "",
                ".. qmp-example::",
                "",
                "```text",
                "    -> { \"execute\": \"x\" }",
                "    <- { \"return\": {} }",
                "```",
                "",
                "More \\[text\\] here.",
            ]
        );
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            escape("see <http://zlib.net/> or https://example.org/a."),
            "see <http://zlib.net/> or <https://example.org/a>."
        );
    }

    #[test]
    fn conditions_read_like_the_schema() {
        let name = |n: &str| IfCond::Name(n.to_string());
        let ifcond = IfCond::All(vec![name("A"), IfCond::Not(Box::new(name("B")))]);
        assert_eq!(condition(&ifcond), "all(A, not(B))");
    }
}
