//! `cargo xtask capture`: asks a live `qemu-system-x86_64 -machine none` every `query-*`
//! command it answers without arguments and saves the text of each reply's `return` value, as
//! QEMU wrote it, to `target/bench/replies.json` for the decode benchmark.
//!
//! The file is a JSON object from command name to that text (a JSON string holding JSON). It
//! is captured data and lives under `target/`, never in the repository.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use qapi_tests::peer::{Peer, Program};
use serde_json::{Value, json};

use crate::process;

/// What one capture produced.
pub struct Capture {
    /// Where the replies were written.
    pub path: PathBuf,
    /// The QEMU version that answered, from its greeting.
    pub qemu_version: String,
}

/// Starts QEMU, queries it and writes the replies file.
pub fn run() -> Result<Capture, String> {
    let program = Program::SystemX86;
    let mut peer = Peer::start(program)?
        .ok_or_else(|| format!("{} is not installed", program.executable()))?;
    let commands = peer.query("query-commands")?;
    let mut names: Vec<&str> = commands
        .as_array()
        .ok_or("query-commands did not return a list")?
        .iter()
        .filter_map(|command| command["name"].as_str())
        .filter(|name| name.starts_with("query-"))
        .collect();
    names.sort_unstable();

    let mut replies = BTreeMap::new();
    let mut refused = Vec::new();
    for name in names {
        // No `id`, so that QEMU's reply is exactly `{"return": VALUE}`.
        peer.send(&json!({ "execute": name }))?;
        let line = loop {
            let line = peer.read_line()?;
            let message: Value = serde_json::from_str(&line)
                .map_err(|error| format!("bad JSON from QEMU: {error}: {line}"))?;
            if message.get("event").is_none() {
                break line;
            }
        };
        match return_text(&line)? {
            Some(text) => {
                replies.insert(name.to_owned(), text.to_owned());
            }
            // Needs arguments, or is unavailable without a machine.
            None => refused.push(name),
        }
    }

    let path = process::target_dir().join("bench").join("replies.json");
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&replies).map_err(|err| err.to_string())?;
    fs::write(&path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    let bytes: usize = replies.values().map(String::len).sum();
    eprintln!(
        "xtask: {} {} answered {} queries ({bytes} bytes of replies; {} refused without \
         arguments: {}); wrote {}",
        program.executable(),
        peer.version(),
        replies.len(),
        refused.len(),
        refused.join(", "),
        path.display()
    );
    Ok(Capture {
        path,
        qemu_version: peer.version(),
    })
}

/// The text of the `return` value in a reply line `{"return": VALUE}`, checked against a
/// parse of the whole line; `None` for an error reply.
fn return_text(line: &str) -> Result<Option<&str>, String> {
    let message: Value =
        serde_json::from_str(line).map_err(|error| format!("bad JSON from QEMU: {error}"))?;
    let Some(expected) = message.get("return") else {
        return Ok(None);
    };
    let text = line
        .trim_end()
        .strip_prefix(r#"{"return": "#)
        .and_then(|rest| rest.strip_suffix('}'))
        .ok_or_else(|| format!("unexpected reply layout: {line}"))?;
    match serde_json::from_str::<Value>(text) {
        Ok(value) if value == *expected => Ok(Some(text)),
        _ => Err(format!("cannot cut the return value out of {line}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_out_the_return_value() {
        let line = "{\"return\": {\"status\": \"running\", \"running\": true}}\r\n";
        assert_eq!(
            return_text(line).unwrap(),
            Some(r#"{"status": "running", "running": true}"#)
        );
        assert_eq!(return_text("{\"return\": []}\r\n").unwrap(), Some("[]"));
        let error = r#"{"error": {"class": "GenericError", "desc": "no"}}"#;
        assert_eq!(return_text(error).unwrap(), None);
        assert!(return_text(r#"{"id": 1, "return": {}}"#).is_err());
    }
}
