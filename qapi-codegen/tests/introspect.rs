//! Tests of the `introspect` backend: snapshots of our own schemas (masked, unmasked and for
//! a symbol set) and the rules QEMU's data follows, checked one by one on `build-facts.json`.
//!
//! The live comparison with QEMU's binaries is in the `qapi-tests` crate.

use std::path::Path;

use qapi_compiler::Symbols;
use qapi_compiler::introspect::{self, Introspection, Options};
use serde_json::Value;

/// Parses a schema given relative to the workspace root, so that snapshots do not depend on
/// where the test runs.
fn parse(relative: &str) -> qapi_schema::Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    qapi_schema::parse_file(&path).unwrap_or_else(|error| panic!("{error}"))
}

fn workspace_relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn snapshots_masked_and_unmasked() {
    insta::glob!(
        "../..",
        "{schemas/demo.json,schemas/kitchen-sink/kitchen-sink.json,qapi-codegen/tests/introspect/*.json}",
        |path| {
            let schema = parse(&workspace_relative(path));
            for unmask in [false, true] {
                let options = Options {
                    unmask,
                    symbols: None,
                };
                let suffix = if unmask { "unmasked" } else { "masked" };
                insta::assert_snapshot!(suffix, introspect::generate(&schema, &options));
            }
        }
    );
}

#[test]
fn snapshot_for_a_symbol_set() {
    let schema = parse("schemas/kitchen-sink/kitchen-sink.json");
    let symbols = Symbols::new(["CONFIG_FUEL_CELL", "CONFIG_DEBUG", "CONFIG_NO_PAYLOADS"]);
    let options = Options {
        unmask: true,
        symbols: Some(&symbols),
    };
    insta::assert_snapshot!(introspect::generate(&schema, &options));
}

/// The entries of `build-facts.json` for `symbols`, masked.
fn build_facts(symbols: Option<&[&str]>) -> Vec<Value> {
    let schema = parse("qapi-codegen/tests/introspect/build-facts.json");
    let symbols = symbols.map(|symbols| Symbols::new(symbols.iter().copied()));
    let value = Introspection::new(&schema, false).to_value(symbols.as_ref());
    value.as_array().expect("a list").clone()
}

fn entry<'a>(entries: &'a [Value], name: &str) -> Option<&'a Value> {
    entries.iter().find(|entry| entry["name"] == name)
}

fn names(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect()
}

#[test]
fn commands_and_events_come_first_in_schema_order() {
    let entries = build_facts(None);
    assert_eq!(
        names(&entries)[..5],
        [
            "read-sensor",
            "probe-all",
            "reset",
            "SENSOR_LOST",
            "CALIBRATED"
        ]
    );
    assert!(
        entries[5..]
            .iter()
            .all(|entry| entry["meta-type"] != "command" && entry["meta-type"] != "event")
    );
}

#[test]
fn types_are_numbered_in_order_of_first_use() {
    let entries = build_facts(None);
    let read_sensor = entry(&entries, "read-sensor").unwrap();
    assert_eq!(read_sensor["arg-type"], "0");
    assert_eq!(read_sensor["ret-type"], "1");
    assert_eq!(read_sensor["allow-oob"], true);
    // Commands without arguments or return value share the empty object.
    let reset = entry(&entries, "reset").unwrap();
    assert_eq!(reset["arg-type"], reset["ret-type"]);
    assert!(reset.get("allow-oob").is_none());
    // Numbered types follow in the order their numbers were handed out.
    let numbered: Vec<u32> = names(&entries)
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect();
    assert_eq!(numbered, (0..numbered.len() as u32).collect::<Vec<_>>());
}

#[test]
fn integers_collapse_into_int() {
    let unmasked = parse("qapi-codegen/tests/introspect/build-facts.json");
    let value = Introspection::new(&unmasked, true).to_value(None);
    let entries = value.as_array().unwrap();
    let reading = entry(entries, "Reading").unwrap();
    assert_eq!(
        reading["members"][2],
        serde_json::json!({"name": "samples", "type": "[int]"})
    );
    let gauge = entry(entries, "Gauge").unwrap();
    assert_eq!(gauge["members"][0]["type"], "int");
    for name in ["uint8", "uint16", "int64", "[uint16]"] {
        assert!(entry(entries, name).is_none(), "{name} is listed");
    }
    assert!(entry(entries, "[int]").is_some());
}

#[test]
fn compiled_out_types_leave_gaps_in_the_numbering() {
    let all = build_facts(None);
    let some = build_facts(Some(&[]));
    let probe = entry(&all, "probe-all").unwrap()["ret-type"].clone();
    assert_eq!(probe, "[3]");
    assert!(entry(&some, "probe-all").is_none());
    assert!(entry(&some, "3").is_none(), "Probe is compiled out");
    assert!(entry(&some, "4").is_some(), "numbers after it stay");
}

#[test]
fn a_type_used_only_by_compiled_out_members_stays_listed() {
    let entries = build_facts(Some(&[]));
    let reading = entry(&entries, "1").unwrap();
    let members: Vec<&str> = reading["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| member["name"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["colour", "samples", "scale", "note"]);
    // Gauge, number 8, no longer used by any kept member.
    assert_eq!(entry(&entries, "8").unwrap()["members"][0]["name"], "level");
}

#[test]
fn empty_feature_and_variant_lists_are_omitted() {
    let entries = build_facts(Some(&[]));
    assert!(
        entry(&entries, "SENSOR_LOST")
            .unwrap()
            .get("features")
            .is_none()
    );
    let sensor = entry(&entries, "5").unwrap();
    assert_eq!(sensor["tag"], "kind");
    assert!(sensor.get("variants").is_none());
    let colour = entry(&entries, "7").unwrap();
    assert_eq!(colour["values"], serde_json::json!(["red", "green"]));
    assert!(colour["members"][1].get("features").is_none());

    let entries = build_facts(Some(&["HAVE_LOSS", "HAVE_PROBE", "OLD"]));
    assert_eq!(
        entry(&entries, "SENSOR_LOST").unwrap()["features"],
        serde_json::json!(["unstable"])
    );
    assert_eq!(
        entry(&entries, "5").unwrap()["variants"],
        serde_json::json!([{"case": "probe", "type": "3"}])
    );
    assert_eq!(
        entry(&entries, "7").unwrap()["members"][1],
        serde_json::json!({"name": "green", "features": ["deprecated"]})
    );
}

#[test]
fn optional_members_default_to_null_and_alternates_list_types() {
    let entries = build_facts(None);
    let arguments = entry(&entries, "0").unwrap();
    assert_eq!(
        arguments["members"][1],
        serde_json::json!({"name": "limit", "type": "6", "default": null})
    );
    assert_eq!(
        entry(&entries, "6").unwrap()["members"],
        serde_json::json!([{"type": "int"}, {"type": "7"}, {"type": "null"}])
    );
}

#[test]
fn output_is_deterministic() {
    let schema = parse("schemas/kitchen-sink/kitchen-sink.json");
    let options = Options::default();
    assert_eq!(
        introspect::generate(&schema, &options),
        introspect::generate(&schema, &options)
    );
}
