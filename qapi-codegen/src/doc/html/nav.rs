//! The site's frame and its navigation pages: the header with the search box, the contents
//! bar on every page (overview, chapters with the current one marked, the index and its two
//! sections), the overview page `index.html`, the name index `genindex.html`, and the
//! chapters' pager. It also recognizes the doc text's references to the manual's own index
//! (`qapi-qmp-index` and the like), which lead to `genindex.html`. What a chapter holds is
//! drawn by the parent module.

use std::fmt::Write as _;

use super::{Site, attribute, badges, escape};
use crate::doc::Definition;

/// The file of the name index; no chapter takes this name.
pub(super) const GENINDEX: &str = "genindex.html";

/// The name index's sections: (heading, id, whether it lists commands and events).
const INDEX_SECTIONS: [(&str, &str, bool); 2] = [
    ("Commands and events", "index-commands-events", true),
    ("Types", "index-types", false),
];

/// Which page the contents bar marks as the current one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Current {
    Overview,
    Chapter(usize),
    Index,
}

/// The title under which a reference to one of the manual's indices shows, if `target`
/// names one: QEMU's `qapi-index` (all namespaces), `qapi-NS-index` (one namespace, as its
/// manuals write `qapi-qmp-index`) and Sphinx's `genindex`.
pub(super) fn index_reference(target: &str) -> Option<String> {
    match target {
        "genindex" => Some("Index".to_string()),
        "qapi-index" => Some("QAPI Index".to_string()),
        _ => {
            let namespace = target.strip_prefix("qapi-")?.strip_suffix("-index")?;
            let plain = !namespace.is_empty()
                && namespace
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric());
            plain.then(|| format!("{} Index", namespace.to_ascii_uppercase()))
        }
    }
}

impl Site<'_> {
    /// A whole page: head, header with search, the contents bar, and `body` as its main part.
    fn frame(&self, title: &str, current: Current, body: &str) -> String {
        let mut page = String::new();
        let site_title = escape(&self.reference.title);
        let title = if title == self.reference.title {
            site_title.clone()
        } else {
            format!("{} — {site_title}", escape(title))
        };
        let contents = self.contents(current);
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n\
             <script src=\"search-index.js\" defer></script>\n\
             <script src=\"search.js\" defer></script>\n</head>\n<body>\n\
             <header class=\"site-header\">\n<a class=\"site-title\" href=\"index.html\">{site_title}</a>\n\
             <div class=\"search\" role=\"search\">\n\
             <input id=\"search-input\" type=\"search\" placeholder=\"Search commands, events, types\" \
             aria-label=\"Search\" autocomplete=\"off\">\n\
             <ol id=\"search-results\" hidden></ol>\n</div>\n</header>\n\
             <div class=\"layout\">\n{contents}<main>\n{body}</main>\n</div>\n</body>\n</html>\n"
        );
        page
    }

    /// The contents bar: a list folded under "Contents" on a narrow screen (the script opens
    /// it on a wide one, where it stands beside the text).
    fn contents(&self, current: Current) -> String {
        let mut nav = String::from(
            "<nav class=\"contents\" aria-label=\"Contents\">\n\
             <details id=\"contents\"><summary>Contents</summary>\n<ul>\n",
        );
        let entry = |href: &str, text: &str, here: bool| {
            let marker = if here {
                " class=\"current\" aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<li><a href=\"{}\"{marker}>{}</a>",
                attribute(href),
                escape(text)
            )
        };
        nav.push_str(&entry(
            "index.html",
            "Overview",
            current == Current::Overview,
        ));
        nav.push_str("</li>\n");
        for (number, page) in self.pages.iter().enumerate() {
            let here = current == Current::Chapter(number);
            nav.push_str(&entry(&page.file, &page.title, here));
            nav.push_str("</li>\n");
        }
        nav.push_str(&entry(GENINDEX, "Index", current == Current::Index));
        nav.push_str("\n<ul>\n");
        for (heading, id, _) in INDEX_SECTIONS {
            let _ = writeln!(nav, "<li><a href=\"{GENINDEX}#{id}\">{heading}</a></li>");
        }
        nav.push_str("</ul></li>\n</ul>\n</details>\n</nav>\n");
        nav
    }

    /// `index.html`: the title, the text before the first chapter, and the chapter list.
    pub(super) fn index_page(&self) -> String {
        let mut body = String::new();
        let _ = writeln!(body, "<h1>{}</h1>", escape(&self.reference.title));
        self.items(&mut body, self.preface);
        body.push_str("<h2 id=\"chapters\">Contents</h2>\n<ul class=\"chapters\">\n");
        for page in &self.pages {
            let _ = writeln!(
                body,
                "<li><a href=\"{}\">{}</a></li>",
                attribute(&page.file),
                escape(&page.title)
            );
        }
        let _ = writeln!(body, "<li><a href=\"{GENINDEX}\">Index</a></li>\n</ul>");
        self.frame(&self.reference.title, Current::Overview, &body)
    }

    /// `genindex.html`: every command and event, then every type, by name.
    pub(super) fn genindex_page(&self) -> String {
        let mut body = String::from("<h1>Index</h1>\n<p class=\"index-sections\">");
        for (number, (heading, id, _)) in INDEX_SECTIONS.iter().enumerate() {
            let separator = if number == 0 { "" } else { " · " };
            let _ = write!(body, "{separator}<a href=\"#{id}\">{heading}</a>");
        }
        body.push_str("</p>\n");
        let definitions: Vec<&Definition> = self.reference.definitions().collect();
        for (heading, id, protocol) in INDEX_SECTIONS {
            let mut entries: Vec<&&Definition> = definitions
                .iter()
                .filter(|definition| definition.kind.is_protocol() == protocol)
                .collect();
            entries.sort_by(|a, b| {
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then(a.name.cmp(&b.name))
            });
            let _ = writeln!(
                body,
                "<h2 id=\"{id}\">{heading}</h2>\n<ul class=\"name-index\">"
            );
            for definition in entries {
                let href = attribute(&self.href(&definition.anchor()).unwrap_or_default());
                let _ = writeln!(
                    body,
                    "<li><a href=\"{href}\"><code>{}</code></a> <span class=\"kind\">{}</span>{}</li>",
                    escape(&definition.name),
                    definition.kind.title().to_lowercase(),
                    badges(definition.deprecated, definition.unstable),
                );
            }
            body.push_str("</ul>\n");
        }
        self.frame("Index", Current::Index, &body)
    }

    /// A chapter's page, with a pager to the chapters before and after it.
    pub(super) fn chapter_page(&self, number: usize) -> String {
        let page = &self.pages[number];
        let mut body = String::new();
        self.items(&mut body, page.items);
        body.push_str("<nav class=\"pager\">");
        if number > 0 {
            let previous = &self.pages[number - 1];
            let _ = write!(
                body,
                "<a rel=\"prev\" href=\"{}\">← {}</a>",
                attribute(&previous.file),
                escape(&previous.title)
            );
        }
        body.push_str("<a href=\"index.html\">Overview</a>");
        if let Some(next) = self.pages.get(number + 1) {
            let _ = write!(
                body,
                "<a rel=\"next\" href=\"{}\">{} →</a>",
                attribute(&next.file),
                escape(&next.title)
            );
        }
        body.push_str("</nav>\n");
        self.frame(&page.title, Current::Chapter(number), &body)
    }
}

#[cfg(test)]
mod tests {
    use super::index_reference;

    #[test]
    fn index_references_are_recognized() {
        assert_eq!(
            index_reference("qapi-qmp-index").as_deref(),
            Some("QMP Index")
        );
        assert_eq!(
            index_reference("qapi-qga-index").as_deref(),
            Some("QGA Index")
        );
        assert_eq!(index_reference("qapi-index").as_deref(), Some("QAPI Index"));
        assert_eq!(index_reference("genindex").as_deref(), Some("Index"));
        assert_eq!(index_reference("qapi--index"), None);
        assert_eq!(index_reference("query-status"), None);
    }
}
