//! The HTML backend: a static reference site that needs no server and no network.
//!
//! The site is `index.html` (introduction and chapter list), one page per chapter (the
//! schema's top headings: level 1, or level 2 when there is at most one level-1 heading),
//! `genindex.html` (an index of commands and events and one of types), `style.css`
//! (responsive, readable on a phone), `search.js` and `search-index.js` (the names of every
//! definition and member; a small script filters it as one types, so search works from
//! `file://`). Every page carries a contents bar (`nav.rs`, with the frame and the
//! navigation pages). Every definition and member has an `id`, every type name links to its
//! definition, references to the manual's index link to `genindex.html`, deprecated and
//! unstable items carry badges, conditions are shown. All schema text is HTML-escaped, and
//! only `http`, `https` and `mailto` URLs become links.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::markup::{self, Block, Inline};
use super::{Definition, Entry, Field, Item, Layout, Options, Part, Reference, Subject, TypeName};
use super::{slug, type_anchor};
use qapi_schema::Schema;

mod nav;

/// Renders `schema`'s reference as the files of a static site: (relative path, contents).
pub fn generate(schema: &Schema, options: &Options) -> Vec<(String, Vec<u8>)> {
    render(&Reference::new(schema, options))
}

/// The fixed style sheet.
const STYLE: &str = include_str!("assets/style.css");
/// The fixed search script.
const SEARCH: &str = include_str!("assets/search.js");

/// Renders an already built reference as a static site.
pub fn render(reference: &Reference) -> Vec<(String, Vec<u8>)> {
    let site = Site::new(reference);
    let mut files = Vec::new();
    files.push(("index.html".to_string(), site.index_page().into_bytes()));
    for (number, page) in site.pages.iter().enumerate() {
        files.push((page.file.clone(), site.chapter_page(number).into_bytes()));
    }
    files.push((nav::GENINDEX.to_string(), site.genindex_page().into_bytes()));
    files.push(("style.css".to_string(), STYLE.as_bytes().to_vec()));
    files.push(("search.js".to_string(), SEARCH.as_bytes().to_vec()));
    files.push((
        "search-index.js".to_string(),
        site.search_index().into_bytes(),
    ));
    files
}

/// One chapter page.
struct Page<'a> {
    file: String,
    title: String,
    items: &'a [Item],
}

struct Site<'a> {
    reference: &'a Reference,
    /// Items before the first chapter, shown on the index page.
    preface: &'a [Item],
    pages: Vec<Page<'a>>,
    /// Definition anchor → the file that holds it.
    files_by_anchor: BTreeMap<String, String>,
}

impl<'a> Site<'a> {
    fn new(reference: &'a Reference) -> Site<'a> {
        let items = reference.items.as_slice();
        let level_one = items
            .iter()
            .filter(|item| matches!(item, Item::Heading { level: 1, .. }))
            .count();
        let split_level = if level_one > 1 { 1 } else { 2 };
        let starts: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(
                |(_, item)| matches!(item, Item::Heading { level, .. } if *level <= split_level),
            )
            .filter(|(_, item)| {
                // With one level-1 heading, it titles the whole schema: stay on the index.
                !(split_level == 2 && matches!(item, Item::Heading { level: 1, .. }))
            })
            .map(|(index, _)| index)
            .collect();
        let preface_end = starts.first().copied().unwrap_or(items.len());
        let mut pages = Vec::new();
        let mut used_files = Vec::new();
        for (number, &start) in starts.iter().enumerate() {
            let end = starts.get(number + 1).copied().unwrap_or(items.len());
            let title = match &items[start] {
                Item::Heading { text, .. } => text.clone(),
                _ => String::new(),
            };
            let mut file = format!("{}.html", slug(&title));
            let mut suffix = 1;
            while file == "index.html" || file == nav::GENINDEX || used_files.contains(&file) {
                suffix += 1;
                file = format!("{}-{suffix}.html", slug(&title));
            }
            used_files.push(file.clone());
            pages.push(Page {
                file,
                title,
                items: &items[start..end],
            });
        }
        let mut files_by_anchor = BTreeMap::new();
        let mut record = |items: &[Item], file: &str| {
            for item in items {
                match item {
                    Item::Definition(definition) => {
                        files_by_anchor.insert(definition.anchor(), file.to_string());
                    }
                    Item::Heading { anchor, .. } => {
                        files_by_anchor.insert(anchor.clone(), file.to_string());
                    }
                    Item::Text(_) => {}
                }
            }
        };
        record(&items[..preface_end], "index.html");
        for page in &pages {
            record(page.items, &page.file);
        }
        Site {
            reference,
            preface: &items[..preface_end],
            pages,
            files_by_anchor,
        }
    }

    /// Where a reference in the text leads: the definition named before any `.member`, as
    /// a command, event or type.
    fn links(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |target: &str| {
            let name = target.split('.').next().unwrap_or(target);
            ["command", "event", "type"]
                .iter()
                .find_map(|prefix| self.href(&format!("{prefix}-{name}")))
        }
    }

    /// The page and fragment of an anchor, not yet escaped for HTML.
    fn href(&self, anchor: &str) -> Option<String> {
        self.files_by_anchor
            .get(anchor)
            .map(|file| format!("{file}#{anchor}"))
    }

    fn items(&self, out: &mut String, items: &[Item]) {
        for item in items {
            match item {
                Item::Heading {
                    level,
                    text,
                    anchor,
                } => {
                    let level = (*level).clamp(1, 5) + 1;
                    let level = level.min(6);
                    let _ = writeln!(
                        out,
                        "<h{level} id=\"{}\">{}</h{level}>",
                        attribute(anchor),
                        escape(text)
                    );
                }
                Item::Text(text) => blocks(out, &markup::parse(text), &self.links()),
                Item::Definition(definition) => self.definition(out, definition),
            }
        }
    }

    fn definition(&self, out: &mut String, definition: &Definition) {
        let anchor = definition.anchor();
        let kind = definition.kind.title();
        if self.reference.layout == Layout::Legacy {
            // The old manuals' heading: `NAME (Kind)`; `Since` is a section of its own.
            let _ = writeln!(
                out,
                "<section class=\"definition {}\" id=\"{}\">\n<h3 class=\"signature\">\
                 <code class=\"name\">{}</code> <span class=\"kind\">({kind})</span> \
                 <a class=\"permalink\" href=\"#{}\" aria-label=\"Link to {}\">#</a></h3>",
                kind.to_lowercase(),
                attribute(&anchor),
                escape(&definition.name),
                attribute(&anchor),
                attribute(&definition.name)
            );
        } else {
            let _ = write!(
                out,
                "<section class=\"definition {}\" id=\"{}\">\n<h3 class=\"signature\">\
                 <span class=\"kind\">{kind}</span> <code class=\"name\">{}</code>",
                kind.to_lowercase(),
                attribute(&anchor),
                escape(&definition.name)
            );
            if let Some(since) = &definition.since {
                let _ = write!(
                    out,
                    " <span class=\"since\">(Since: {})</span>",
                    escape(since)
                );
            }
            let _ = writeln!(
                out,
                "{} <a class=\"permalink\" href=\"#{}\" aria-label=\"Link to {}\">#</a></h3>",
                badges(definition.deprecated, definition.unstable),
                attribute(&anchor),
                attribute(&definition.name)
            );
        }
        for notice in definition.notices() {
            let _ = writeln!(out, "<p class=\"notice\">{}</p>", escape(&notice));
        }
        if let Some(condition) = &definition.condition {
            let _ = writeln!(
                out,
                "<p class=\"condition\"><em>Availability</em>: <code>{}</code></p>",
                escape(condition)
            );
        }
        for part in &definition.parts {
            match part {
                Part::Text(text) => blocks(out, &markup::parse(text), &self.links()),
                Part::Fields { group, fields }
                    if matches!(fields.first(), Some(Field::Entry(_))) =>
                {
                    let _ = writeln!(
                        out,
                        "<h4 class=\"field-group\">{}</h4>\n<dl class=\"entries\">",
                        group.title()
                    );
                    let feature = *group == super::FieldGroup::Features;
                    for field in fields {
                        if let Field::Entry(entry) = field {
                            self.entry(out, &anchor, feature, entry);
                        }
                    }
                    out.push_str("</dl>\n");
                }
                Part::Fields { group, fields } => {
                    let _ = writeln!(
                        out,
                        "<h4 class=\"field-group\">{}</h4>\n<ul class=\"fields\">",
                        group.title()
                    );
                    for field in fields {
                        self.field(out, &anchor, *group == super::FieldGroup::Features, field);
                    }
                    out.push_str("</ul>\n");
                }
                Part::Returns { ty, text } => {
                    out.push_str("<div class=\"returns\"><h4 class=\"field-group\">Return</h4>\n");
                    if let Some(ty) = ty {
                        let _ =
                            writeln!(out, "<p class=\"return-type\">{}</p>", self.type_html(ty));
                    }
                    blocks(out, &markup::parse(text), &self.links());
                    out.push_str("</div>\n");
                }
                Part::Titled { title, text } => {
                    let _ = writeln!(
                        out,
                        "<div class=\"{}\"><h4 class=\"field-group\">{title}</h4>",
                        title.to_lowercase()
                    );
                    blocks(out, &markup::parse(text), &self.links());
                    out.push_str("</div>\n");
                }
            }
        }
        out.push_str("</section>\n");
    }

    fn field(&self, out: &mut String, anchor: &str, feature: bool, field: &Field) {
        match field {
            Field::Named {
                name,
                ty,
                optional,
                text,
                condition,
                deprecated,
                unstable,
            } => {
                let id = if feature {
                    format!("{anchor}--feature-{name}")
                } else {
                    format!("{anchor}--{name}")
                };
                let _ = write!(
                    out,
                    "<li class=\"field\" id=\"{}\"><code class=\"member\">{}</code>",
                    attribute(&id),
                    escape(name)
                );
                if let Some(ty) = ty {
                    let optional = if *optional { ", optional" } else { "" };
                    let _ = write!(out, " ({}{optional})", self.type_html(ty));
                }
                out.push_str(&badges(*deprecated, *unstable));
                if let Some(condition) = condition {
                    let _ = write!(
                        out,
                        " <span class=\"condition\"><em>If</em> <code>{}</code></span>",
                        escape(condition)
                    );
                }
                out.push_str(" — ");
                let parsed = markup::parse(text);
                match parsed.as_slice() {
                    [Block::Paragraph(runs)] => out.push_str(&inline(runs, &self.links())),
                    _ => {
                        out.push('\n');
                        blocks(out, &parsed, &self.links());
                    }
                }
                out.push_str("</li>\n");
            }
            Field::Entry(entry) => self.entry(out, anchor, feature, entry),
            Field::MembersOf { when, ty } => {
                let link = self.type_html(&TypeName {
                    text: ty.clone(),
                    target: Some(ty.clone()),
                });
                out.push_str("<li class=\"field members-of\">");
                if let Some((tag, value)) = when {
                    let _ = write!(
                        out,
                        "When <code>{}</code> is <code>{}</code>: ",
                        escape(tag),
                        escape(value)
                    );
                }
                let _ = writeln!(out, "The members of {link}.</li>");
            }
        }
    }

    /// A definition list entry of the old layout; named entries outside union branches get
    /// the same ids as fields.
    fn entry(&self, out: &mut String, anchor: &str, feature: bool, entry: &Entry) {
        let type_html = |ty: &TypeName| {
            let link = self.type_html(ty);
            match ty.text.strip_prefix("array of ") {
                Some(_) if link.starts_with("<a ") => format!("array of {link}"),
                _ => link,
            }
        };
        let mut term = match &entry.subject {
            Subject::Named { name, ty, optional } => {
                let mut term = format!("<code class=\"member\">{}</code>", escape(name));
                if let Some(ty) = ty {
                    let _ = write!(term, ": {}", type_html(ty));
                }
                if *optional {
                    term.push_str(" (optional)");
                }
                term
            }
            Subject::MembersOf(ty) => format!("The members of {}", type_html(ty)),
        };
        let when = entry.when.as_ref().map(|(tag, value)| {
            format!(
                " when <code>{}</code> is <code>&quot;{}&quot;</code>",
                escape(tag),
                escape(value)
            )
        });
        let condition = entry.condition.as_ref().map(|condition| {
            format!(
                " <span class=\"condition\">(<strong>If: </strong><code>{}</code>)</span>",
                escape(condition)
            )
        });
        let order = match entry.subject {
            Subject::Named { .. } => [condition, when],
            Subject::MembersOf(_) => [when, condition],
        };
        for piece in order.into_iter().flatten() {
            term.push_str(&piece);
        }
        let id = match &entry.subject {
            Subject::Named { name, .. } if entry.when.is_none() => {
                let id = if feature {
                    format!("{anchor}--feature-{name}")
                } else {
                    format!("{anchor}--{name}")
                };
                format!(" id=\"{}\"", attribute(&id))
            }
            _ => String::new(),
        };
        let _ = writeln!(out, "<dt class=\"field\"{id}>{term}</dt>");
        if let Some(text) = &entry.text {
            out.push_str("<dd>");
            blocks(out, &markup::parse(text), &self.links());
            out.push_str("</dd>\n");
        }
    }

    /// A type name, linked to its definition where it has one.
    fn type_html(&self, ty: &TypeName) -> String {
        let href = ty
            .target
            .as_deref()
            .and_then(|target| self.href(&type_anchor(target)))
            .map(|href| attribute(&href));
        match (href, &ty.target) {
            (Some(href), Some(target)) => {
                let link = format!(
                    "<a class=\"type-link\" href=\"{href}\"><code>{}</code></a>",
                    escape(target)
                );
                if ty.text.starts_with('[') {
                    format!("[{link}]")
                } else {
                    link
                }
            }
            _ => format!("<code class=\"type\">{}</code>", escape(&ty.text)),
        }
    }

    /// `window.QAPI_SEARCH_INDEX = [[name, kind, href], …]`, definitions first, then members.
    fn search_index(&self) -> String {
        let mut entries = Vec::new();
        for definition in self.reference.definitions() {
            let anchor = definition.anchor();
            let Some(href) = self.href(&anchor) else {
                continue;
            };
            entries.push(serde_json::json!([
                definition.name,
                definition.kind.title().to_lowercase(),
                href
            ]));
        }
        for definition in self.reference.definitions() {
            let anchor = definition.anchor();
            let Some(file) = self.files_by_anchor.get(&anchor) else {
                continue;
            };
            for part in &definition.parts {
                let Part::Fields { group, fields } = part else {
                    continue;
                };
                if *group == super::FieldGroup::Features {
                    continue;
                }
                for field in fields {
                    let name = match field {
                        Field::Named { name, .. } => Some(name),
                        Field::Entry(Entry {
                            subject: Subject::Named { name, .. },
                            when: None,
                            ..
                        }) => Some(name),
                        _ => None,
                    };
                    if let Some(name) = name {
                        entries.push(serde_json::json!([
                            format!("{}.{name}", definition.name),
                            group.title().to_lowercase(),
                            format!("{file}#{anchor}--{name}")
                        ]));
                    }
                }
            }
        }
        let json = serde_json::Value::Array(entries).to_string();
        // `</script>` cannot occur in a .js file's meaning, but keep `<` out anyway.
        format!(
            "window.QAPI_SEARCH_INDEX = {};\n",
            json.replace('<', "\\u003c")
        )
    }
}

fn badges(deprecated: bool, unstable: bool) -> String {
    let mut html = String::new();
    if deprecated {
        html.push_str(" <span class=\"badge badge-deprecated\">deprecated</span>");
    }
    if unstable {
        html.push_str(" <span class=\"badge badge-unstable\">unstable</span>");
    }
    html
}

fn blocks(out: &mut String, blocks_to_render: &[Block], links: Links<'_>) {
    for block in blocks_to_render {
        match block {
            Block::Paragraph(runs) => {
                let _ = writeln!(out, "<p>{}</p>", inline(runs, links));
            }
            Block::Literal(text) => {
                let _ = writeln!(out, "<pre>{}</pre>", escape(text));
            }
            Block::BulletList(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str("<li>");
                    list_item(out, item, links);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::EnumeratedList(items) => {
                out.push_str("<ul class=\"enumerated\">\n");
                for (marker, item) in items {
                    let _ = write!(out, "<li><span class=\"marker\">{}</span> ", escape(marker));
                    list_item(out, item, links);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Quote(inner) => {
                out.push_str("<blockquote>\n");
                blocks(out, inner, links);
                out.push_str("</blockquote>\n");
            }
            Block::Admonition { title, body } => {
                let class = if title.starts_with("Example") {
                    "example"
                } else {
                    "note"
                };
                let _ = writeln!(
                    out,
                    "<div class=\"admonition {class}\"><p class=\"admonition-title\">{}</p>",
                    escape(title)
                );
                blocks(out, body, links);
                out.push_str("</div>\n");
            }
        }
    }
}

fn list_item(out: &mut String, item: &[Block], links: Links<'_>) {
    match item {
        [Block::Paragraph(runs)] => out.push_str(&inline(runs, links)),
        _ => blocks(out, item, links),
    }
}

/// Finds the page and anchor of a referenced definition (`Name` or `Name.member`).
type Links<'a> = &'a dyn Fn(&str) -> Option<String>;

fn inline(runs: &[Inline], links: Links<'_>) -> String {
    let mut html = String::new();
    for run in runs {
        match run {
            Inline::Text(text) => html.push_str(&escape(text)),
            Inline::Reference { text, target, .. } if nav::index_reference(target).is_some() => {
                let title = nav::index_reference(target).unwrap_or_default();
                let shown = if text == target { &title } else { text };
                let _ = write!(
                    html,
                    "<a class=\"reference index-link\" href=\"{}\">{}</a>",
                    nav::GENINDEX,
                    escape(shown)
                );
            }
            Inline::Reference { text, target, role } => match links(target) {
                Some(href) => {
                    let _ = write!(
                        html,
                        "<a class=\"reference\" href=\"{}\"><code>{}</code></a>",
                        attribute(&href),
                        escape(text)
                    );
                }
                None if *role => {
                    let _ = write!(html, "<code>{}</code>", escape(text));
                }
                None => {
                    let _ = write!(html, "<em>{}</em>", escape(text));
                }
            },
            Inline::Literal(code) => {
                let _ = write!(html, "<code>{}</code>", escape(code));
            }
            Inline::Emphasis(text) => {
                let _ = write!(html, "<em>{}</em>", escape(text));
            }
            Inline::Strong(text) => {
                let _ = write!(html, "<strong>{}</strong>", escape(text));
            }
            Inline::Link { text, url } => {
                let safe = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|scheme| url.starts_with(scheme));
                if safe {
                    let _ = write!(
                        html,
                        "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
                        attribute(url),
                        escape(text)
                    );
                } else {
                    html.push_str(&escape(text));
                }
            }
        }
    }
    html
}

/// Escapes text for HTML element content.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Escapes text for a double-quoted attribute value.
fn attribute(text: &str) -> String {
    escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_text_is_escaped() {
        assert_eq!(escape("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
        let html = inline(
            &markup::inline("`x <javascript:alert(1)>`_ and `y <https://a.b/?q=<>`_"),
            &|_| None,
        );
        assert!(!html.contains("javascript:alert(1)\""));
        let links = |target: &str| (target == "Foo.bar").then(|| "a.html#type-Foo".to_string());
        let html = inline(
            &markup::inline("`Foo.bar`, `gone` and :qapi:cmd:`stop`"),
            &links,
        );
        assert_eq!(
            html,
            "<a class=\"reference\" href=\"a.html#type-Foo\"><code>Foo.bar</code></a>, \
             <em>gone</em> and <code>stop</code>"
        );
        assert!(!html.contains("<a href=\"javascript"));
        let html = inline(&markup::inline("see the `qapi-qmp-index`."), &|_| None);
        assert_eq!(
            html,
            "see the <a class=\"reference index-link\" href=\"genindex.html\">QMP Index</a>."
        );
    }
}
