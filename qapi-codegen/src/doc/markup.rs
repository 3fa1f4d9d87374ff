//! A reader for the reStructuredText subset schema documentation is written in: paragraphs,
//! literal blocks (`::`), bullet and enumerated lists, block quotes, directives (`note`,
//! `admonition`, QEMU's `qmp-example`, `table`, …) and inline markup (``literal``,
//! *emphasis*, **strong**, roles, links).
//!
//! The man and HTML backends render the [`Block`]s it returns; the reST backend passes the
//! text through instead. It is forgiving: text it does not understand stays text, and no
//! input makes it fail.

/// A block of documentation text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph of inline text.
    Paragraph(Vec<Inline>),
    /// Preformatted text, shown as is.
    Literal(String),
    /// A bullet list; each item is a list of blocks.
    BulletList(Vec<Vec<Block>>),
    /// An enumerated list: each item's marker (`1.`, `a)`) and blocks.
    EnumeratedList(Vec<(String, Vec<Block>)>),
    /// An indented block.
    Quote(Vec<Block>),
    /// A titled box: notes, cautions, examples.
    Admonition {
        /// The title (`Note`, `Example`, …).
        title: String,
        /// The contents.
        body: Vec<Block>,
    },
}

/// A run of inline text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code.
    Literal(String),
    /// Emphasised text.
    Emphasis(String),
    /// Strong text.
    Strong(String),
    /// A reference to a schema definition: a QEMU `:qapi:…:` role, or single backquotes
    /// (QEMU's manuals read `` `Name` `` as a reference since 10.1). A renderer links it
    /// where the target is defined, and shows it as code (`role`) or emphasis otherwise.
    Reference {
        /// What the reader sees.
        text: String,
        /// The definition, possibly with a member after a dot (`Name.member`).
        target: String,
        /// Whether it was written as a role.
        role: bool,
    },
    /// A hyperlink.
    Link {
        /// What the reader sees.
        text: String,
        /// Where it goes.
        url: String,
    },
}

/// Parses reST text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    parse_lines(&lines, 0)
}

/// The depth beyond which nested blocks are read as plain literal text.
const MAX_NESTING: usize = 16;

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Removes the common indentation of `lines` (blank lines do not count).
fn dedent_lines<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| indentation(line))
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| line.get(indent..).unwrap_or(""))
        .collect()
}

/// The lines from `start` on that are indented more than `base` or blank, trailing blank
/// lines excluded; returns them and the index after them.
fn indented_run<'a>(lines: &[&'a str], start: usize, base: usize) -> (Vec<&'a str>, usize) {
    let mut end = start;
    let mut last_text = start;
    while end < lines.len() {
        let line = lines[end];
        if line.trim().is_empty() {
            end += 1;
            continue;
        }
        if indentation(line) <= base {
            break;
        }
        end += 1;
        last_text = end;
    }
    (lines[start..last_text].to_vec(), last_text)
}

fn bullet_marker(line: &str) -> Option<&str> {
    ["- ", "* ", "+ ", "• "]
        .into_iter()
        .find_map(|marker| line.strip_prefix(marker))
        .or_else(|| (["-", "*", "+"].contains(&line)).then_some(""))
}

/// `1. text`, `#. text`, `a) text`, `(2) text`: the marker and the text.
fn enumerator(line: &str) -> Option<(&str, &str)> {
    let (marker, rest) = line.split_once(' ')?;
    let inner = marker
        .strip_prefix('(')
        .and_then(|m| m.strip_suffix(')'))
        .or_else(|| marker.strip_suffix('.'))
        .or_else(|| marker.strip_suffix(')'))?;
    let numeric = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit());
    let letter = inner.len() == 1 && inner.chars().all(|c| c.is_ascii_lowercase());
    (numeric || letter || inner == "#").then(|| (marker, rest.trim_start()))
}

fn parse_lines(lines: &[&str], depth: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    if depth > MAX_NESTING {
        let text = lines.join("\n");
        if !text.trim().is_empty() {
            blocks.push(Block::Literal(text));
        }
        return blocks;
    }
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if line.trim().is_empty() {
            index += 1;
            continue;
        }
        if indentation(line) > 0 {
            let (run, next) = indented_run(lines, index, 0);
            blocks.push(Block::Quote(parse_lines(&dedent_lines(&run), depth + 1)));
            index = next.max(index + 1);
            continue;
        }
        if let Some(rest) = line.strip_prefix(".. ") {
            let (body, next) = indented_run(lines, index + 1, 0);
            index = next;
            if let Some((name, argument)) = rest.split_once("::") {
                if let Some(block) = directive(name.trim(), argument.trim(), &body, depth) {
                    blocks.push(block);
                }
            }
            continue;
        }
        if bullet_marker(line).is_some() {
            let mut items = Vec::new();
            while index < lines.len() {
                let Some(first) = bullet_marker(lines[index]) else {
                    break;
                };
                let (mut item_lines, next) = indented_run(lines, index + 1, 0);
                item_lines.insert(0, first);
                let mut item: Vec<&str> = vec![first];
                item.extend(dedent_lines(&item_lines[1..]));
                items.push(parse_lines(&item, depth + 1));
                index = next;
                while index < lines.len() && lines[index].trim().is_empty() {
                    index += 1;
                }
            }
            blocks.push(Block::BulletList(items));
            continue;
        }
        if enumerator(line).is_some() {
            let mut items = Vec::new();
            while index < lines.len() {
                let Some((marker, first)) = enumerator(lines[index]) else {
                    break;
                };
                let (rest, next) = indented_run(lines, index + 1, 0);
                let mut item: Vec<&str> = vec![first];
                item.extend(dedent_lines(&rest));
                items.push((marker.to_string(), parse_lines(&item, depth + 1)));
                index = next;
                while index < lines.len() && lines[index].trim().is_empty() {
                    index += 1;
                }
            }
            blocks.push(Block::EnumeratedList(items));
            continue;
        }
        // A paragraph: lines up to a blank line or an indented block.
        let start = index;
        while index < lines.len() && !lines[index].trim().is_empty() {
            if index > start && indentation(lines[index]) > 0 {
                break;
            }
            index += 1;
        }
        let mut text = lines[start..index]
            .iter()
            .map(|line| line.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let literal_follows = text.ends_with("::");
        if literal_follows {
            text.truncate(text.len() - 2);
            let trimmed = text.trim_end().len();
            if trimmed < text.len() || text.is_empty() {
                text.truncate(trimmed);
            } else {
                text.push(':');
            }
        }
        if !text.trim().is_empty() {
            blocks.push(Block::Paragraph(inline(&text)));
        }
        if literal_follows || (index < lines.len() && indentation(lines[index]) > 0) {
            let (run, next) = indented_run(lines, index, 0);
            let run = dedent_lines(&run);
            if literal_follows {
                let literal = run.join("\n").trim_matches('\n').to_string();
                if !literal.is_empty() {
                    blocks.push(Block::Literal(literal));
                }
            } else if !run.is_empty() {
                blocks.push(Block::Quote(parse_lines(&run, depth + 1)));
            }
            index = next.max(index);
        }
    }
    blocks
}

/// A directive as a block; `None` for those that show nothing (comments, targets).
fn directive(name: &str, argument: &str, body: &[&str], depth: usize) -> Option<Block> {
    let body = dedent_lines(body);
    let mut options = Vec::new();
    let mut content_start = 0;
    while content_start < body.len() {
        let line = body[content_start];
        match line.strip_prefix(':').and_then(|rest| rest.split_once(':')) {
            Some((option, value)) if !option.contains(' ') => {
                options.push((option.to_string(), value.trim().to_string()));
                content_start += 1;
            }
            _ => break,
        }
    }
    let content = &body[content_start..];
    let option = |wanted: &str| {
        options
            .iter()
            .find(|(option, _)| option == wanted)
            .map(|(_, value)| value.clone())
    };
    let literal = || {
        let text = content.join("\n").trim_matches('\n').to_string();
        if text.is_empty() {
            Vec::new()
        } else {
            vec![Block::Literal(text)]
        }
    };
    let block = match name {
        "qmp-example" => {
            let title = match option("title") {
                Some(title) => format!("Example: {title}"),
                None => "Example".to_string(),
            };
            let body = if option("annotated").is_some() {
                parse_lines(content, depth + 1)
            } else {
                literal()
            };
            Block::Admonition { title, body }
        }
        "code-block" | "code" | "parsed-literal" | "table" | "csv-table" | "list-table" => {
            let mut body = literal();
            if name.contains("table") && !argument.is_empty() {
                body.insert(0, Block::Paragraph(inline(argument)));
            }
            return Some(Block::Quote(body));
        }
        "admonition" | "rubric" | "topic" => Block::Admonition {
            title: argument.to_string(),
            body: parse_lines(content, depth + 1),
        },
        "note" | "caution" | "warning" | "important" | "tip" | "hint" | "attention" | "danger"
        | "error" | "seealso" | "todo" => {
            let mut title: String = name.to_string();
            if let Some(first) = title.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            let mut lines: Vec<&str> = Vec::new();
            if !argument.is_empty() {
                lines.push(argument);
            }
            lines.extend(content.iter().copied());
            Block::Admonition {
                title,
                body: parse_lines(&lines, depth + 1),
            }
        }
        _ if name.starts_with('_') || name.is_empty() => return None,
        _ => Block::Quote(parse_lines(content, depth + 1)),
    };
    Some(block)
}

fn is_boundary_before(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "([{<'\"-/:".contains(c))
}

fn is_boundary_after(next: Option<char>) -> bool {
    next.is_none_or(|c| c.is_whitespace() || ")]}>'\"-/:.,;!?\\".contains(c))
}

/// Parses inline markup.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut runs = Vec::new();
    let mut plain = String::new();
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        let previous = text[..index].chars().next_back();
        let Some(character) = rest.chars().next() else {
            break;
        };
        if character == '\\' {
            if let Some(escaped) = rest[1..].chars().next() {
                plain.push(escaped);
                index += 1 + escaped.len_utf8();
            } else {
                index += 1;
            }
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')']);
            flush(&mut plain, &mut runs);
            runs.push(Inline::Link {
                text: url.to_string(),
                url: url.to_string(),
            });
            index += url.len();
            continue;
        }
        if is_boundary_before(previous) {
            if let Some((run, length)) = markup_at(rest) {
                flush(&mut plain, &mut runs);
                runs.push(run);
                index += length;
                continue;
            }
        }
        plain.push(character);
        index += character.len_utf8();
    }
    flush(&mut plain, &mut runs);
    runs
}

fn flush(plain: &mut String, runs: &mut Vec<Inline>) {
    if !plain.is_empty() {
        runs.push(Inline::Text(std::mem::take(plain)));
    }
}

/// Inline markup starting at the beginning of `rest`, and its length.
fn markup_at(rest: &str) -> Option<(Inline, usize)> {
    // A closing backquote may be followed by `_` or `__` (a hyperlink reference).
    let delimited = |open: &str, close: &str| -> Option<(String, usize)> {
        let inner_start = open.len();
        let after_open = rest.get(inner_start..)?;
        if after_open.starts_with(char::is_whitespace) || after_open.is_empty() {
            return None;
        }
        let mut search = 0;
        while let Some(found) = after_open[search..].find(close) {
            let at = search + found;
            let inner = &after_open[..at];
            let next = after_open[at + close.len()..].chars().next();
            let link_end = close == "`" && next == Some('_');
            if !inner.is_empty()
                && !inner.ends_with(char::is_whitespace)
                && (is_boundary_after(next) || link_end)
            {
                return Some((inner.to_string(), inner_start + at + close.len()));
            }
            search = at + close.len().max(1);
        }
        None
    };
    if rest.starts_with("``") {
        let (inner, length) = delimited("``", "``")?;
        return Some((Inline::Literal(inner), length));
    }
    if rest.starts_with("**") {
        let (inner, length) = delimited("**", "**")?;
        return Some((Inline::Strong(inner), length));
    }
    if rest.starts_with('*') {
        let (inner, length) = delimited("*", "*")?;
        return Some((Inline::Emphasis(inner), length));
    }
    if let Some(after_colon) = rest.strip_prefix(':') {
        // A role: :name:`text` (the name may contain colons, as in :qapi:type:).
        let end = after_colon.find(":`")? + 1;
        let role = &rest[1..end];
        if role.is_empty()
            || !role
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c))
        {
            return None;
        }
        if !rest[end + 1..].starts_with('`') {
            return None;
        }
        let after = &rest[end + 1..];
        let close = after[1..].find('`')? + 1;
        let inner = &after[1..close];
        let text = role_text(inner);
        let run = if role.starts_with("qapi") {
            Inline::Reference {
                text,
                target: role_target(inner),
                role: true,
            }
        } else if role == "code" || role == "samp" {
            Inline::Literal(text)
        } else {
            Inline::Text(text)
        };
        return Some((run, end + 1 + close + 1));
    }
    if rest.starts_with('`') {
        let (inner, length) = delimited("`", "`")?;
        let after = &rest[length..];
        let underscores = if after.starts_with("__") {
            2
        } else if after.starts_with('_') {
            1
        } else {
            0
        };
        if underscores > 0 {
            if let Some((text, url)) = split_target(&inner) {
                return Some((Inline::Link { text, url }, length + underscores));
            }
            return Some((Inline::Text(inner), length + underscores));
        }
        return Some((
            Inline::Reference {
                target: inner.clone(),
                text: inner,
                role: false,
            },
            length,
        ));
    }
    None
}

/// The definition a role points at: `Title <target>` → `target`, `~a.b` → `a.b`.
fn role_target(inner: &str) -> String {
    let target = match split_target(inner) {
        Some((_, target)) => target,
        None => inner.trim().to_string(),
    };
    target.trim_start_matches(['~', '!']).to_string()
}

/// `Title <target>` → `Title`; `/path/name` → `name` path kept; `~a.b` → `b`.
fn role_text(inner: &str) -> String {
    if let Some((title, _)) = split_target(inner) {
        return title;
    }
    let inner = inner.trim();
    if let Some(short) = inner.strip_prefix('~') {
        return short.rsplit('.').next().unwrap_or(short).to_string();
    }
    inner.trim_start_matches('!').to_string()
}

/// `text <target>` → (`text`, `target`).
fn split_target(inner: &str) -> Option<(String, String)> {
    let inner = inner.trim();
    let open = inner.rfind('<')?;
    let target = inner[open + 1..].strip_suffix('>')?;
    let text = inner[..open].trim();
    let text = if text.is_empty() { target } else { text };
    Some((text.to_string(), target.to_string()))
}

/// The plain text of inline runs, without any markup.
pub fn plain_text(runs: &[Inline]) -> String {
    runs.iter()
        .map(|run| match run {
            Inline::Text(text)
            | Inline::Literal(text)
            | Inline::Emphasis(text)
            | Inline::Strong(text) => text.as_str(),
            Inline::Link { text, .. } | Inline::Reference { text, .. } => text.as_str(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_literal_blocks() {
        let blocks = parse("Some ``code`` and *stress*::\n\n    literal\n\n- one\n  more\n- two");
        assert_eq!(
            blocks,
            [
                Block::Paragraph(vec![
                    Inline::Text("Some ".into()),
                    Inline::Literal("code".into()),
                    Inline::Text(" and ".into()),
                    Inline::Emphasis("stress".into()),
                    Inline::Text(":".into()),
                ]),
                Block::Literal("literal".into()),
                Block::BulletList(vec![
                    vec![Block::Paragraph(vec![Inline::Text("one more".into())])],
                    vec![Block::Paragraph(vec![Inline::Text("two".into())])],
                ]),
            ]
        );
    }

    #[test]
    fn directives_become_admonitions() {
        let blocks =
            parse(".. qmp-example::\n\n   -> { \"execute\": \"stop\" }\n   <- { \"return\": {} }");
        assert_eq!(
            blocks,
            [Block::Admonition {
                title: "Example".into(),
                body: vec![Block::Literal(
                    "-> { \"execute\": \"stop\" }\n<- { \"return\": {} }".into()
                )],
            }]
        );
    }

    #[test]
    fn roles_and_links_keep_their_text() {
        assert_eq!(
            plain_text(&inline(
                "see :doc:`the spec </interop/qmp-spec>` or `site <https://x.org>`_, 2*3*4"
            )),
            "see the spec or site, 2*3*4"
        );
    }

    #[test]
    fn unbalanced_markup_is_text() {
        assert_eq!(plain_text(&inline("a ``b and *c")), "a ``b and *c");
    }
}
