//! The command-line contract: exit statuses, where output goes, and condition options.

use std::path::Path;
use std::process::Output;

mod run;

use run::{qapi_gen, scratch, status};

const KITCHEN_SINK: &str = "schemas/kitchen-sink/kitchen-sink.json";

#[test]
fn check_exit_statuses() {
    assert_eq!(status(&qapi_gen(&["check", KITCHEN_SINK])), 0);
    let dir = scratch("check");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ 'struct': 'x' }\n").unwrap();
    let output = qapi_gen(&["check", bad.to_str().unwrap(), "--message-format", "short"]);
    assert_eq!(status(&output), 1);
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad.json:1:1: "));
    let missing = dir.join("missing.json");
    assert_eq!(status(&qapi_gen(&["check", missing.to_str().unwrap()])), 2);
    assert_eq!(status(&qapi_gen(&["check", "--no-such-flag"])), 2);
}

#[test]
fn introspect_writes_json_to_stdout_or_a_file() {
    let stdout = qapi_gen(&["introspect", KITCHEN_SINK]);
    assert_eq!(status(&stdout), 0);
    let listed: serde_json::Value = serde_json::from_slice(&stdout.stdout).unwrap();
    assert!(listed.as_array().is_some_and(|entries| !entries.is_empty()));

    let dir = scratch("introspect");
    let out = dir.join("schema.json");
    let output = qapi_gen(&["introspect", KITCHEN_SINK, "-o", out.to_str().unwrap()]);
    assert_eq!(status(&output), 0);
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), stdout.stdout);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["schema.json"], "no temporary file is left behind");
}

#[test]
fn introspect_unmask_and_symbols() {
    let masked = qapi_gen(&["introspect", KITCHEN_SINK]);
    let unmasked = qapi_gen(&["introspect", KITCHEN_SINK, "--unmask"]);
    let text = String::from_utf8(unmasked.stdout).unwrap();
    assert!(text.contains("\"name\": \"q_empty\""));
    assert!(
        !String::from_utf8(masked.stdout.clone())
            .unwrap()
            .contains("q_empty")
    );

    // --cfg and --cfg-file add up to one symbol set; with an empty set, conditional items go.
    let dir = scratch("symbols");
    let file = dir.join("build.txt");
    std::fs::write(&file, "# one symbol per line\nCONFIG_FUEL_CELL\n").unwrap();
    let file = file.to_str().unwrap();
    let from_file = qapi_gen(&["introspect", KITCHEN_SINK, "--cfg-file", file]);
    let from_flag = qapi_gen(&["introspect", KITCHEN_SINK, "--cfg", "CONFIG_FUEL_CELL"]);
    assert_eq!(status(&from_file), 0);
    assert_eq!(from_file.stdout, from_flag.stdout);
    let none = qapi_gen(&["introspect", KITCHEN_SINK, "--cfg", "UNUSED_SYMBOL"]);
    assert!(none.stdout.len() < from_file.stdout.len());
    assert!(from_file.stdout.len() < masked.stdout.len());

    let missing = dir.join("missing.txt");
    let output = qapi_gen(&[
        "introspect",
        KITCHEN_SINK,
        "--cfg-file",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.txt"));
}

#[test]
fn a_failed_run_leaves_the_output_file_alone() {
    let dir = scratch("failed");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ 'command': 'x', 'data': 'Missing' }\n").unwrap();
    let out = dir.join("out.json");
    std::fs::write(&out, "previous output\n").unwrap();
    let output = qapi_gen(&[
        "introspect",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 1);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous output\n");

    let unwritable = dir.join("no-such-dir").join("out.json");
    let output = qapi_gen(&[
        "introspect",
        KITCHEN_SINK,
        "-o",
        unwritable.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 2);
    assert!(!unwritable.exists());
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn help_texts() {
    insta::assert_snapshot!("help", stdout(&qapi_gen(&["--help"])));
    insta::assert_snapshot!("rust_help", stdout(&qapi_gen(&["rust", "--help"])));
}

/// Every option of the shared table is a flag of `qapi-gen rust`, named after its key.
#[test]
fn rust_flags_are_the_option_table() {
    let help = stdout(&qapi_gen(&["rust", "--help"]));
    for spec in qapi_compiler::rust::OPTIONS {
        let flag = format!("--{} <{}>", spec.flag(), spec.value_name);
        assert!(help.contains(&flag), "{flag} is missing from:\n{help}");
    }
}

#[test]
fn rust_options_shape_the_output_and_bad_ones_are_usage_errors() {
    let kept = qapi_gen(&[
        "rust",
        KITCHEN_SINK,
        "--keep",
        "query-power",
        "--server",
        "false",
        "--type-attribute",
        "SolarArray=#[derive(Hash)]",
    ]);
    assert_eq!(status(&kept), 0);
    let code = stdout(&kept);
    assert!(code.contains("pub struct QueryPower;"));
    assert!(!code.contains("pub struct EmergencyStop"));
    assert!(!code.contains("pub trait Server"));
    assert!(code.contains("#[derive(Hash)]\n#[derive(Clone, Debug, PartialEq)]\n#[allow(deprecated)]\npub struct SolarArray"));

    let unknown = qapi_gen(&["rust", KITCHEN_SINK, "--keep", "query-powers"]);
    assert_eq!(status(&unknown), 2);
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "qapi-gen: error: --keep: no definition named `query-powers`; did you mean `query-power`?\n"
    );
    let malformed = qapi_gen(&["rust", KITCHEN_SINK, "--type-path", "any"]);
    assert_eq!(status(&malformed), 2);
    assert_eq!(
        String::from_utf8_lossy(&malformed.stderr),
        "qapi-gen: error: --type-path: `any` is not of the form NAME=PATH\n"
    );
}

/// The bindings `examples/coffee-machine` checks in are what `qapi-gen` writes today with the
/// arguments the example records; `cargo xtask bindings` rewrites them.
#[test]
fn checked_in_bindings_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let example = root.join("examples/coffee-machine");
    let arguments = std::fs::read_to_string(example.join("qapi-gen.args")).unwrap();
    let arguments: Vec<&str> = arguments.lines().collect();
    let output_at = arguments
        .iter()
        .position(|argument| *argument == "-o")
        .unwrap();
    let checked_in = std::fs::read_to_string(root.join(arguments[output_at + 1])).unwrap();
    let mut to_stdout = arguments.clone();
    to_stdout.drain(output_at..output_at + 2);
    let output = qapi_gen(&to_stdout);
    assert_eq!(status(&output), 0);
    assert!(
        stdout(&output) == checked_in,
        "examples/coffee-machine/src/bindings.rs is stale: run `cargo xtask bindings`"
    );
}

#[test]
fn qemu_selects_a_release() {
    let dir = scratch("qemu");
    let schema = dir.join("old.json");
    // A simple union and a C-expression condition: QEMU 5.2's language, gone in 6.2.
    std::fs::write(
        &schema,
        "{ 'struct': 'Wheel', 'data': { 'spokes': 'int' } }\n\
         { 'union': 'Part', 'data': { 'wheel': 'Wheel', 'label': 'str' },\n  \
           'if': 'defined(CONFIG_PARTS)' }\n",
    )
    .unwrap();
    let path = schema.to_str().unwrap();
    for args in [&["check", path][..], &["check", path, "--qemu", "5.2"]] {
        assert_eq!(status(&qapi_gen(args)), 0, "{args:?}");
    }
    let newer = qapi_gen(&["check", path, "--qemu", "10.0", "--message-format", "short"]);
    assert_eq!(status(&newer), 1);
    assert!(String::from_utf8_lossy(&newer.stderr).contains("old.json:2:1: "));
    let dump = qapi_gen(&["dump", path, "--qemu", "5.2"]);
    let dump = String::from_utf8(dump.stdout).unwrap();
    assert!(dump.contains("object q_obj_Wheel-wrapper\n    member data: Wheel optional=False\n"));
    assert!(dump.contains("    if ['defined(CONFIG_PARTS)']\n"));
    let rust = qapi_gen(&["rust", path, "--qemu", "5.2"]);
    assert_eq!(status(&rust), 0);
    for release in ["4.2", "11.0", "seven"] {
        assert_eq!(status(&qapi_gen(&["check", path, "--qemu", release])), 2);
    }
}
