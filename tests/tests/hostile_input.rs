//! Hostile and broken input: every case ends in a located error, never a panic, a hang or a
//! stack overflow.

use std::path::{Path, PathBuf};

use qapi_schema::{Error, Format};

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qapi-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Parses `path`, expects schema errors, and returns the first one in short format.
fn first_error(path: &Path) -> String {
    match qapi_schema::parse_file(path) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(error @ Error::Invalid { .. }) => {
            // Rendering must work too, in every format.
            error.render(Format::Human, false);
            error.render(Format::Json, false);
            let short = error.render(Format::Short, false);
            short.lines().next().unwrap_or_default().to_string()
        }
        Err(error) => panic!("unexpected I/O error: {error}"),
    }
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn assert_located(error: &str, file: &str, line: usize) {
    let prefix = format!("{file}:{line}:");
    assert!(
        error.contains(&prefix),
        "expected an error at {prefix}, got: {error}"
    );
}

#[test]
fn two_hundred_thousand_nested_brackets() {
    let dir = scratch("deep");
    let path = write(
        &dir,
        "deep.json",
        format!("{{ 'x': {} }}\n", "[".repeat(200_000)),
    );
    let error = first_error(&path);
    assert_located(&error, "deep.json", 1);
    assert!(error.contains("nest"), "{error}");
    let path = write(&dir, "deep-objects.json", "{ 'a': ".repeat(200_000));
    assert_located(&first_error(&path), "deep-objects.json", 1);
}

#[test]
fn twenty_megabyte_string() {
    let dir = scratch("huge");
    // Not a valid name in any release: names start with a letter.
    let name = format!("9{}", "A".repeat(20 << 20));
    let path = write(
        &dir,
        "huge.json",
        format!("{{ 'struct': 'Ok', 'data': {{}} }}\n{{ 'enum': '{name}', 'data': [] }}\n"),
    );
    let error = first_error(&path);
    assert_located(&error, "huge.json", 2);
    assert!(
        error.len() < 1000,
        "the message is kept short: {} bytes",
        error.len()
    );
    let path = write(&dir, "unterminated.json", format!("{{ 'enum': '{name}\n"));
    assert_located(&first_error(&path), "unterminated.json", 1);
}

#[test]
fn invalid_utf8_and_nul_bytes() {
    let dir = scratch("bytes");
    let path = write(
        &dir,
        "latin1.json",
        b"{ 'enum': 'Ok', 'data': [] }\n# caf\xe9\n".as_slice(),
    );
    assert_located(&first_error(&path), "latin1.json", 2);
    let path = write(
        &dir,
        "nul-outside.json",
        b"{ 'enum': 'Ok',\n \0 'data': [] }\n".as_slice(),
    );
    assert_located(&first_error(&path), "nul-outside.json", 2);
    let path = write(
        &dir,
        "nul-inside.json",
        b"{ 'enum': 'O\0k', 'data': [] }\n".as_slice(),
    );
    assert_located(&first_error(&path), "nul-inside.json", 1);
}

#[test]
fn include_cycles_report_the_chain() {
    let dir = scratch("cycles");
    write(&dir, "a.json", "{ 'include': 'b.json' }\n");
    write(&dir, "b.json", "\n{ 'include': 'c.json' }\n");
    write(&dir, "c.json", "\n\n{ 'include': 'a.json' }\n");
    let error = first_error(&dir.join("a.json"));
    assert_located(&error, "c.json", 3);
    let Err(error) = qapi_schema::parse_file(dir.join("a.json")) else {
        panic!()
    };
    let human = error.render(Format::Human, false);
    assert!(
        human.contains("included from") && human.contains("b.json"),
        "{human}"
    );
    let path = write(&dir, "self.json", "{ 'include': 'self.json' }\n");
    assert_located(&first_error(&path), "self.json", 1);
}

#[test]
fn including_things_that_are_not_schemas() {
    let dir = scratch("includes");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let path = write(&dir, "directory.json", "\n{ 'include': 'sub' }\n");
    let error = first_error(&path);
    assert_located(&error, "directory.json", 2);
    assert!(error.contains("sub"), "{error}");
    let path = write(&dir, "missing.json", "{ 'include': 'nowhere.json' }\n");
    assert_located(&first_error(&path), "missing.json", 1);
    if Path::new("/etc/passwd").is_file() {
        let path = write(&dir, "passwd.json", "{ 'include': '/etc/passwd' }\n");
        let error = first_error(&path);
        assert!(error.starts_with("/etc/passwd:"), "{error}");
    }
}

#[test]
fn base_cycles() {
    let dir = scratch("bases");
    let path = write(
        &dir,
        "bases.json",
        "{ 'struct': 'Alpha', 'base': 'Beta', 'data': {} }\n{ 'struct': 'Beta', 'base': 'Alpha', 'data': {} }\n",
    );
    let error = first_error(&path);
    assert_located(&error, "bases.json", 1);
    assert!(error.contains("contains itself"), "{error}");
}

#[test]
fn an_unreadable_root_is_an_io_error() {
    let dir = scratch("root");
    match qapi_schema::parse_file(dir.join("absent.json")) {
        Err(Error::Io { .. }) => {}
        other => panic!("expected an I/O error, got {other:?}"),
    }
    match qapi_schema::parse_file(&dir) {
        Err(Error::Io { .. }) => {}
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn an_object_with_a_hundred_thousand_keys() {
    let dir = scratch("wide");
    let mut text = String::from("{ 'struct': 'Wide', 'data': {");
    for index in 0..100_000 {
        text.push_str(&format!(" 'm{index}': 'int',"));
    }
    text.push_str(" 'm7': 'str' } }\n");
    let error = first_error(&write(&dir, "wide.json", text));
    assert_located(&error, "wide.json", 1);
    assert!(error.contains("'m7'"), "{error}");
}

/// Found by the `front_end` fuzz target, scaled up: one long line holding an error every two
/// bytes (empty strings at the top level). Every error is located on that line, so reporting
/// all of them took time in the square of the line's length; the report now stops after
/// `MAX_DIAGNOSTICS` of them.
#[test]
fn a_megabyte_line_of_errors_is_cut_short() {
    let dir = scratch("quotes");
    let text = format!(
        "{}{}{}7''' and then some\n",
        "'".repeat(300_000),
        "9".repeat(100_000),
        "'".repeat(500_000)
    );
    let path = write(&dir, "quotes.json", text);
    assert_located(&first_error(&path), "quotes.json", 1);
    let Err(error) = qapi_schema::parse_file(&path) else {
        panic!("accepted")
    };
    let short = error.render(Format::Short, false);
    assert_eq!(short.lines().count(), qapi_schema::MAX_DIAGNOSTICS + 1);
    assert!(
        short.ends_with("too many errors; stopped after the first 100\n"),
        "{}",
        &short[short.len().saturating_sub(200)..]
    );
}
