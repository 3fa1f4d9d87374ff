//! Snapshot tests of what a user sees for each broken schema in `tests/err/`.
//!
//! Each case is a schema with one problem; its snapshot pins the rendered diagnostics (human
//! format, no colour) and the one-line short format. A new case is a new file. Cases are read
//! by QEMU 10.0's rules unless their first line names another release (`# qemu: 5.2`).

use std::path::Path;

use qapi_parser::{Dialect, Format, Release};

#[test]
fn every_broken_schema_is_rejected_with_a_located_message() {
    insta::glob!("err/*.json", |path| {
        let relative = relative_to_crate(path);
        let error = match qapi_parser::parse_file_as(&relative, dialect_of(path)) {
            Ok(_) => panic!("{relative} was accepted"),
            Err(error) => error,
        };
        let short = error.render(Format::Short, false);
        assert!(
            short.lines().all(|line| line.starts_with(&*relative)
                || line.contains(".json:")
                || line.starts_with("/etc/")),
            "{relative}: every diagnostic must carry a location:\n{short}"
        );
        insta::assert_snapshot!(format!("{short}\n{}", error.render(Format::Human, false)));
    });
}

/// The release a case is written for: `# qemu: X.Y` on its first line, else 10.0.
fn dialect_of(path: &Path) -> Dialect {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let release = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# qemu: "))
        .map_or(Ok(Release::new(10, 0)), str::parse)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    Dialect::Release(release)
}

/// The path relative to the crate root, as a user in the crate directory would type it.
fn relative_to_crate(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
