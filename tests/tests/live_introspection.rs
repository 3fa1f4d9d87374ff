//! Our introspection data equals what live QEMU 10.0.2 binaries return from
//! `query-qmp-schema`, entry for entry.
//!
//! Each test starts the real program, asks it, and compares the reply with the `introspect`
//! backend run on the same release's schema, with the symbols that Debian's build of the
//! program defines (`data/cfg-*.txt`). Where the program or QEMU's source tree is missing the
//! test skips, unless `QAPI_REQUIRE_LIVE=1` (set by `.ci/run`) makes that a failure.

use qapi_codegen::Symbols;
use qapi_codegen::introspect::Introspection;
use qapi_tests::peer::{Peer, Program};
use qapi_tests::{QEMU_VERSION, qemu_source, unavailable};
use serde_json::Value;

#[test]
fn storage_daemon_reply_is_identical() {
    compare_with_live(Program::StorageDaemon, 513);
}

#[test]
fn system_emulator_reply_is_identical() {
    compare_with_live(Program::SystemX86, 1172);
}

fn compare_with_live(program: Program, expected_len: usize) {
    let Some(source) = qemu_source() else {
        return unavailable("QEMU's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    let Some(mut peer) = Peer::start_or_skip(program) else {
        return;
    };
    if peer.version() != QEMU_VERSION {
        return unavailable(&format!(
            "{} is version {}, the schemas are {QEMU_VERSION}",
            program.executable(),
            peer.version()
        ));
    }
    let reply = peer.query("query-qmp-schema").expect("query-qmp-schema");
    let theirs = reply.as_array().expect("the reply is a list");

    let schema = qapi_parser::parse_file(source.join(program.schema()))
        .unwrap_or_else(|error| panic!("{error}"));
    let symbols_text = std::fs::read_to_string(program.symbol_file()).expect("symbol file");
    let symbols = Symbols::parse(&symbols_text);
    let ours = Introspection::new(&schema, false).to_value(Some(&symbols));
    let ours = ours.as_array().expect("our data is a list");

    let differences: Vec<String> = (0..ours.len().max(theirs.len()))
        .filter(|&index| ours.get(index) != theirs.get(index))
        .take(5)
        .map(|index| {
            format!(
                "entry {index}:\n  ours:   {}\n  theirs: {}",
                show(ours.get(index)),
                show(theirs.get(index))
            )
        })
        .collect();
    assert!(
        differences.is_empty(),
        "{} differs from qapi-gen introspect ({} entries against our {}):\n{}",
        program.executable(),
        theirs.len(),
        ours.len(),
        differences.join("\n")
    );
    assert_eq!(theirs.len(), expected_len, "the reply's length");
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(none)".to_string(), Value::to_string)
}
