//! The QMP examples in a schema's doc comments: the `->` and `<-` messages of its
//! documentation, as written, for tests that decode them and for fuzzing seeds.

use std::path::Path;

/// One `->` or `<-` message of an example.
pub struct Message {
    /// `DEFINITION#N`: the definition whose doc holds it and its place among that doc's
    /// messages, counted from 1.
    pub id: String,
    /// `->` (client to server) rather than `<-`.
    pub request: bool,
    /// The JSON text after the arrow, as written (it may span lines).
    pub text: String,
}

/// The messages in the docs of `schema`: an arrow followed by an opening brace, and the
/// lines after it until the brackets balance. (The arrows of prose explaining the
/// notation are not followed by a brace.)
pub fn messages(schema: &Path) -> Vec<Message> {
    let parsed = qapi_schema::parse_file(schema).unwrap_or_else(|error| panic!("{error}"));
    let mut out = Vec::new();
    for doc in &parsed.docs {
        let Some(symbol) = &doc.symbol else { continue };
        let mut count = 0;
        for section in &doc.sections {
            let mut lines = section.text.lines();
            while let Some(line) = lines.next() {
                let line = line.trim_start();
                let request = line.starts_with("->");
                if !(request || line.starts_with("<-")) || !line[2..].trim().starts_with('{') {
                    continue;
                }
                let mut text = line[2..].to_owned();
                while open_brackets(&text) > 0 {
                    let Some(next) = lines.next() else { break };
                    text.push('\n');
                    text.push_str(next);
                }
                count += 1;
                out.push(Message {
                    id: format!("{symbol}#{count}"),
                    request,
                    text,
                });
            }
        }
    }
    out
}

/// How many brackets are open at the end of `text`, outside strings.
fn open_brackets(text: &str) -> i64 {
    let (mut depth, mut in_string, mut escaped) = (0, false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (false, _, '"') => in_string = true,
            (false, _, '{' | '[') => depth += 1,
            (false, _, '}' | ']') => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// The examples listed in `data/doc-example-exceptions.txt` as wrong upstream: id to reason.
pub fn exceptions() -> std::collections::BTreeMap<String, String> {
    let path = crate::data_file("doc-example-exceptions.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (id, reason) = line.split_once(' ').expect("an id and a reason");
            (id.to_owned(), reason.trim().to_owned())
        })
        .collect()
}
