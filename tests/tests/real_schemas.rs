//! The real schemas shipped with published crates check clean and dump deterministically.

use qapi_tests::crate_dir;

fn check_clean(path: &std::path::Path) -> qapi_schema::Schema {
    assert!(path.is_file(), "{} is missing", path.display());
    match qapi_schema::parse_file(path) {
        Ok(schema) => schema,
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn qmp_schema_of_qemu_9_1_checks_clean() {
    let schema = check_clean(&crate_dir("qapi-qmp", "0.15.0").join("schema/qapi/qapi-schema.json"));
    let commands = schema
        .entities
        .iter()
        .filter(|entity| matches!(entity.kind, qapi_schema::EntityKind::Command(_)))
        .count();
    assert!(commands > 200, "only {commands} commands");
    assert!(schema.lookup("query-status").is_some());
    assert!(schema.lookup("BlockdevOptions").is_some());
    assert!(schema.sources.files().len() > 30, "includes were followed");
    let dump = qapi_compiler::dump::generate(&schema);
    assert_eq!(
        dump,
        qapi_compiler::dump::generate(&check_clean(
            &crate_dir("qapi-qmp", "0.15.0").join("schema/qapi/qapi-schema.json")
        ))
    );
}

#[test]
fn guest_agent_schema_checks_clean() {
    let schema = check_clean(&crate_dir("qapi-qga", "0.13.0").join("schema/qga/qapi-schema.json"));
    assert!(schema.lookup("guest-sync").is_some());
    assert!(schema.pragma.doc_required);
}
