//! Our introspection data equals what live QEMU binaries return from `query-qmp-schema`,
//! entry for entry: Debian's 10.0.2 builds (installed) and 7.2.22 builds (unpacked from
//! Debian 12's packages by `.ci/run`).
//!
//! Each test starts the real program, asks it, and compares the reply with the `introspect`
//! backend run on the same release's schema, read by that release's rules (`--qemu`), with
//! the symbols that Debian's build of the program defines (`data/cfg-*.txt`). Where the
//! program or QEMU's source tree is missing the test skips, unless `QAPI_REQUIRE_LIVE=1`
//! (set by `.ci/run`) makes that a failure.

use qapi_compiler::Symbols;
use qapi_compiler::introspect::Introspection;
use qapi_schema::{Dialect, Release};
use qapi_tests::peer::{Peer, Program};
use qapi_tests::{qemu_source_of, unavailable};
use serde_json::Value;

#[test]
fn storage_daemon_reply_is_identical() {
    compare_with_live(Program::StorageDaemon, "10.0", 513);
}

#[test]
fn system_emulator_reply_is_identical() {
    compare_with_live(Program::SystemX86, "10.0", 1172);
}

#[test]
fn storage_daemon_7_2_reply_is_identical() {
    compare_with_live(Program::StorageDaemon, "7.2", EXPECTED_7_2_STORAGE_DAEMON);
}

#[test]
fn system_emulator_7_2_reply_is_identical() {
    compare_with_live(Program::SystemX86, "7.2", EXPECTED_7_2_SYSTEM);
}

/// The length of the 7.2 binaries' replies.
const EXPECTED_7_2_STORAGE_DAEMON: usize = 494;
const EXPECTED_7_2_SYSTEM: usize = 1051;

fn compare_with_live(program: Program, release: &str, expected_len: usize) {
    let Some(source) = qemu_source_of(release) else {
        return unavailable(&format!(
            "QEMU {release}'s source tree is not fetched (run `cargo xtask fetch-qemu`)"
        ));
    };
    let Some(mut peer) = Peer::start_release_or_skip(program, release) else {
        return;
    };
    let version = peer.version();
    if !version.starts_with(&format!("{release}.")) {
        return unavailable(&format!(
            "{} is version {version}, the schemas are {release}",
            program.executable(),
        ));
    }
    let reply = peer.query("query-qmp-schema").expect("query-qmp-schema");
    let theirs = reply.as_array().expect("the reply is a list");

    let dialect = Dialect::Release(release.parse::<Release>().expect("a release"));
    let schema = qapi_schema::parse_file_as(source.join(program.schema()), dialect)
        .unwrap_or_else(|error| panic!("{error}"));
    let symbols_text = std::fs::read_to_string(program.symbol_file(release)).expect("symbol file");
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
        "{} {version} differs from qapi-gen introspect ({} entries against our {}):\n{}",
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
