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

/// The symbols `condition` names.
fn symbols_of(condition: &qapi_schema::IfCond, into: &mut std::collections::BTreeSet<String>) {
    use qapi_schema::IfCond;
    match condition {
        IfCond::Name(symbol) => {
            into.insert(symbol.clone());
        }
        IfCond::All(operands) | IfCond::Any(operands) => {
            for operand in operands {
                symbols_of(operand, into);
            }
        }
        IfCond::Not(operand) => symbols_of(operand, into),
        IfCond::Preprocessor { meaning, .. } => symbols_of(meaning, into),
    }
}

/// The pieces joined the way the Rust backend's `SCHEMA_JSON` joins them: those whose
/// conditions hold for `symbols`, a piece's leading `,` dropped right after a `[`.
fn join(segments: &[introspect::Segment], symbols: &Symbols) -> String {
    let mut joined = String::new();
    for segment in segments {
        if !segment
            .conditions
            .iter()
            .all(|condition| symbols.holds(Some(condition)))
        {
            continue;
        }
        let text = match segment.text.strip_prefix(',') {
            Some(rest) if joined.ends_with('[') => rest,
            _ => &segment.text,
        };
        joined.push_str(text);
    }
    joined
}

/// With every condition left open, the pieces joined for any set of the symbols the
/// conditions name are the data of the build with that set: entries, members, enum values,
/// branches, alternatives and features left out, the `features` and `variants` lists omitted
/// when nothing in them is left, and the commas right.
#[test]
fn segments_join_into_the_data_of_every_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<_> = std::fs::read_dir(root.join("schemas/corpus"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    files.push(root.join("schemas/kitchen-sink/kitchen-sink.json"));
    files.sort();
    let mut checked = 0;
    for file in files {
        let schema = parse(&workspace_relative(&file));
        let introspection = Introspection::new(&schema, false);
        let named = std::cell::RefCell::new(std::collections::BTreeSet::new());
        let segments = introspection.to_json_segments(&|condition| {
            symbols_of(condition, &mut named.borrow_mut());
            introspect::Decision::Open
        });
        let named: Vec<String> = named.into_inner().into_iter().collect();
        if named.is_empty() {
            assert_eq!(segments.len(), 1, "{}", file.display());
            continue;
        }
        // Every subset of up to 10 symbols; beyond that, none, all, and each one alone on
        // and alone off.
        let subsets: Vec<Vec<&str>> = if named.len() <= 10 {
            (0..1u32 << named.len())
                .map(|bits| {
                    (0..named.len())
                        .filter(|at| bits & (1 << at) != 0)
                        .map(|at| named[at].as_str())
                        .collect()
                })
                .collect()
        } else {
            let all: Vec<&str> = named.iter().map(String::as_str).collect();
            let mut subsets = vec![Vec::new(), all.clone()];
            for one in &all {
                subsets.push(vec![*one]);
                subsets.push(all.iter().copied().filter(|other| other != one).collect());
            }
            subsets
        };
        for subset in subsets {
            let symbols = Symbols::new(subset.iter().copied());
            assert_eq!(
                join(&segments, &symbols),
                introspection.to_json(Some(&symbols)),
                "{} with {subset:?}",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} builds checked");
}
