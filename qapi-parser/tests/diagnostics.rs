//! Snapshot tests of what a user sees for each broken schema in `tests/err/`.
//!
//! Each case is a schema with one problem; its snapshot pins the rendered diagnostics (human
//! format, no colour) and the one-line short format. A new case is a new file.
//!
//! A case is read as any release would read it, unless a line `# --qemu X.Y: why` names the
//! release whose rules it breaks (for what another release accepts).

use std::path::Path;

use qapi_schema::{Dialect, Format};

#[test]
fn every_broken_schema_is_rejected_with_a_located_message() {
    insta::glob!("err/*.json", |path| {
        let relative = relative_to_crate(path);
        let dialect = dialect_of(path);
        let error = match qapi_schema::parse_file_as(&relative, dialect) {
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

/// The dialect a case names in a `# --qemu X.Y` line, or any release.
fn dialect_of(path: &Path) -> Dialect {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix("# --qemu "))
        .map_or(Dialect::Any, |rest| {
            let release = rest.split(':').next().unwrap_or_default();
            Dialect::Release(release.parse().expect("a release after '# --qemu'"))
        })
}

/// The path relative to the crate root, as a user in the crate directory would type it.
fn relative_to_crate(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
