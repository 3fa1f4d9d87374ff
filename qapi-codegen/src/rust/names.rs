//! Rust names for QAPI names: the one place that decides them.
//!
//! A QAPI name is split into words at `-`, `_`, `.` and case changes, keeping digits with the
//! word before them and treating a run of capitals as one acronym (`QCryptoTLSCreds` is
//! `Q`, `Crypto`, `TLS`, `Creds`). Types, variants, commands and events become `UpperCamel`
//! (`QCryptoTlsCreds`, `query-status` → `QueryStatus`, `SHUTDOWN` → `Shutdown`), members and
//! methods `snake_case` (`node-name` → `node_name`). Names that would start with a digit get a
//! letter in front (`V32`, `_32`); Rust keywords become raw identifiers (`r#type`) or, where
//! Rust has none, take a trailing `_`. Two QAPI names that map to the same Rust name in one
//! namespace are told apart by a numeric suffix in schema order; a [`Namespace`] hands names
//! out and can reserve names the generator itself uses.

use std::collections::HashSet;

use proc_macro2::{Ident, Span};

/// Splits a QAPI name into lower-case words.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !word.is_empty() {
            let previous = chars[index - 1];
            let next_is_lower = chars.get(index + 1).is_some_and(char::is_ascii_lowercase);
            // "fooBar", "x86CPU": a capital after a lower-case letter or a digit starts a
            // word; "TLSCreds": in a run of capitals, the last one starts a word when a
            // lower-case letter follows.
            if !previous.is_ascii_uppercase() || next_is_lower {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `UpperCamelCase`, with a `V` in front of a leading digit, and `Self_` for `self`: `Self`
/// is the one keyword in upper camel case, and it cannot be a raw identifier.
pub fn upper_camel(name: &str) -> String {
    let mut camel = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            camel.push(first.to_ascii_uppercase());
            camel.extend(chars);
        }
    }
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'V');
    }
    if camel == "Self" {
        camel.push('_');
    }
    camel
}

/// `snake_case`, with a `_` in front of a leading digit.
pub fn snake(name: &str) -> String {
    let mut snake = words(name).join("_");
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    snake
}

/// Rust's keywords in edition 2024, strict and reserved.
const KEYWORDS: [&str; 52] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 5] = ["crate", "self", "Self", "super", "_"];

/// An identifier for `name`, raw if it is a keyword, with a trailing `_` where a raw
/// identifier is not allowed.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Hands out distinct names in one Rust namespace.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Namespace {
        Namespace {
            taken: reserved.iter().map(|name| name.to_string()).collect(),
        }
    }

    /// `wanted` if free, else `wanted` with the smallest suffix from 2 up that is free.
    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let separator = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|suffix| format!("{wanted}{separator}{suffix}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("some suffix is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_handles_acronyms_digits_and_separators() {
        let cases = [
            ("query-status", "QueryStatus"),
            ("SHUTDOWN", "Shutdown"),
            ("BLOCK_JOB_COMPLETED", "BlockJobCompleted"),
            ("QCryptoTLSCredsEndpoint", "QCryptoTlsCredsEndpoint"),
            ("X86CPURegister32", "X86CpuRegister32"),
            ("BlockdevOptionsQcow2", "BlockdevOptionsQcow2"),
            ("qcow2", "Qcow2"),
            ("q_obj_query-status-arg", "QObjQueryStatusArg"),
            ("SchemaInfo", "SchemaInfo"),
            ("VncInfo2", "VncInfo2"),
            ("32", "V32"),
            ("x-blockdev-reopen", "XBlockdevReopen"),
            ("IOThreadInfo", "IoThreadInfo"),
            ("NFSServer", "NfsServer"),
            ("vhost-user-blk", "VhostUserBlk"),
            ("1.5", "V15"),
            ("self", "Self_"),
            ("SELF", "Self_"),
            ("self-test", "SelfTest"),
        ];
        for (qapi, rust) in cases {
            assert_eq!(upper_camel(qapi), rust, "{qapi}");
        }
    }

    #[test]
    fn snake_case() {
        let cases = [
            ("node-name", "node_name"),
            ("CPU", "cpu"),
            ("ACPIOSTInfo", "acpiost_info"),
            ("cpu-index", "cpu_index"),
            ("thread_id", "thread_id"),
            ("query-cpus-fast", "query_cpus_fast"),
            ("sockfd32", "sockfd32"),
            ("2", "_2"),
        ];
        for (qapi, rust) in cases {
            assert_eq!(snake(qapi), rust, "{qapi}");
        }
    }

    #[test]
    fn keywords_become_raw_or_get_an_underscore() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("node_name").to_string(), "node_name");
    }

    #[test]
    fn namespace_suffixes_clashes_in_order() {
        let mut names = Namespace::with_reserved(&["Request"]);
        assert_eq!(names.claim("Request".into()), "Request2");
        assert_eq!(names.claim("FooBar".into()), "FooBar");
        assert_eq!(names.claim("FooBar".into()), "FooBar2");
        assert_eq!(names.claim("V32".into()), "V32");
        assert_eq!(names.claim("V32".into()), "V32_2");
    }
}
