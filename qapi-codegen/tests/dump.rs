//! Snapshot tests of the `dump` backend over the corpus of accepted schemas (`schemas/corpus`)
//! and the project's own example schemas.
//!
//! The dump shows the whole IR (entities, implicit types, members, conditions, features,
//! modules, documentation sections), so these snapshots pin the front end's output.

use std::path::Path;

fn dump(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let relative = path.strip_prefix(root).unwrap_or(path);
    // Parse from the workspace root so that paths (and module names) do not depend on where
    // the test runs.
    let relative = Path::new("..").join(relative);
    match qapi_schema::parse_file(&relative) {
        Ok(schema) => qapi_compiler::dump::generate(&schema),
        Err(error) => panic!("{}", error),
    }
}

#[test]
fn accepted_corpus() {
    insta::glob!("../../schemas/corpus", "*.json", |path| {
        insta::assert_snapshot!(dump(path));
    });
}

#[test]
fn project_schemas() {
    insta::glob!(
        "../../schemas",
        "{demo.json,kitchen-sink/kitchen-sink.json}",
        |path| {
            insta::assert_snapshot!(dump(path));
        }
    );
}

#[test]
fn dump_is_deterministic() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/kitchen-sink/kitchen-sink.json");
    assert_eq!(dump(&path), dump(&path));
}
