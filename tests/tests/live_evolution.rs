//! `qapi_introspection::Diff` against live QEMU: a release's schema, compiled with the symbols
//! of Debian's build, shows no change against what that build's `query-qmp-schema` returns;
//! and the 7.2 and 10.0.2 binaries' replies compared both ways give mirror images.
//!
//! Where a binary or a source tree is missing the tests skip, unless `QAPI_REQUIRE_LIVE=1`
//! (set by `.ci/run`) makes that a failure.

use std::collections::BTreeMap;

use qapi_compiler::Symbols;
use qapi_introspection::{Change, Diff, Introspection, What};
use qapi_schema::{Dialect, Release};
use qapi_tests::peer::{Peer, Program};
use qapi_tests::{qemu_source_of, unavailable};

/// The live binary's reply, or `None` (reported) when it is not there.
fn live(program: Program, release: &str) -> Option<Introspection> {
    let mut peer = Peer::start_release_or_skip(program, release)?;
    let reply = peer.query("query-qmp-schema").expect("query-qmp-schema");
    Some(Introspection::from_value(reply).expect("QEMU's reply loads"))
}

/// The release's schema for `program`, with the symbols of Debian's build.
fn compiled(program: Program, release: &str) -> Option<Introspection> {
    let Some(source) = qemu_source_of(release) else {
        unavailable(&format!("QEMU {release}'s source tree is not fetched"));
        return None;
    };
    let dialect = Dialect::Release(release.parse::<Release>().expect("a release"));
    let schema = qapi_schema::parse_file_as(source.join(program.schema()), dialect)
        .unwrap_or_else(|error| panic!("{error}"));
    let symbols = std::fs::read_to_string(program.symbol_file(release)).expect("symbol file");
    let json = qapi_compiler::introspect::Introspection::new(&schema, false)
        .to_json(Some(&Symbols::parse(&symbols)));
    Some(Introspection::from_json(&json).expect("our data loads"))
}

fn shown(changes: &[Change]) -> String {
    changes
        .iter()
        .take(10)
        .map(|change| format!("{}: {}", change.path(), change.what))
        .collect::<Vec<_>>()
        .join("\n")
}

fn no_change_against_live(program: Program, release: &str) {
    let Some(ours) = compiled(program, release) else {
        return;
    };
    let Some(theirs) = live(program, release) else {
        return;
    };
    let diff = Diff::between(&ours, &theirs);
    assert!(
        diff.changes.is_empty(),
        "{} {release}: {} changes:\n{}",
        program.executable(),
        diff.changes.len(),
        shown(&diff.changes)
    );
    // The comparison has something to compare: every command and event is walked.
    assert!(ours.commands().count() > 50);
}

#[test]
fn system_emulator_schema_matches_its_binary() {
    no_change_against_live(Program::SystemX86, "10.0");
}

#[test]
fn storage_daemon_schema_matches_its_binary() {
    no_change_against_live(Program::StorageDaemon, "10.0");
}

#[test]
fn system_emulator_7_2_schema_matches_its_binary() {
    no_change_against_live(Program::SystemX86, "7.2");
}

/// A change seen from the other side: what it becomes when old and new swap, with every
/// path that reaches it. A member moved into branches reads back as a member added.
fn key(what: &What, mirrored: bool) -> String {
    let swap = |old: &str, new: &str| {
        if mirrored {
            format!("{new} -> {old}")
        } else {
            format!("{old} -> {new}")
        }
    };
    let code = match what {
        What::MemberMovedToBranches { .. } => "member-removed",
        other => other.code(),
    };
    let code = if mirrored {
        match code {
            "command-added" => "command-removed",
            "command-removed" => "command-added",
            "event-added" => "event-removed",
            "event-removed" => "event-added",
            "member-added" => "member-removed",
            "member-removed" => "member-added",
            "member-now-optional" => "member-now-mandatory",
            "member-now-mandatory" => "member-now-optional",
            "value-added" => "value-removed",
            "value-removed" => "value-added",
            "branch-added" => "branch-removed",
            "branch-removed" => "branch-added",
            "alternative-added" => "alternative-removed",
            "alternative-removed" => "alternative-added",
            "now-alternate" => "no-longer-alternate",
            "no-longer-alternate" => "now-alternate",
            "string-now-enum" => "enum-now-string",
            "enum-now-string" => "string-now-enum",
            "feature-added" => "feature-removed",
            "feature-removed" => "feature-added",
            "oob-allowed" => "oob-no-longer-allowed",
            "oob-no-longer-allowed" => "oob-allowed",
            same => same,
        }
    } else {
        code
    };
    let detail = match what {
        What::TypeChanged { old, new } | What::TagChanged { old, new } => swap(old, new),
        What::FeatureAdded(feature) | What::FeatureRemoved(feature) => feature.clone(),
        What::AlternativeAdded(kind) | What::AlternativeRemoved(kind) => kind.name().into(),
        _ => String::new(),
    };
    format!("{code} {detail}")
}

/// Every change by its key and sorted paths, counted.
fn census(diff: &Diff, mirrored: bool) -> BTreeMap<(String, Vec<String>), usize> {
    let mut census = BTreeMap::new();
    for change in &diff.changes {
        let mut paths: Vec<String> = change.uses.iter().map(|u| u.path.clone()).collect();
        paths.sort();
        *census
            .entry((key(&change.what, mirrored), paths))
            .or_default() += 1;
    }
    census
}

#[test]
fn releases_compared_both_ways_mirror_each_other() {
    let Some(old) = live(Program::SystemX86, "7.2") else {
        return;
    };
    let Some(new) = live(Program::SystemX86, "10.0") else {
        return;
    };
    let forward = Diff::between(&old, &new);
    let backward = Diff::between(&new, &old);
    eprintln!(
        "7.2 -> 10.0.2: {} changes, {} breaking; backwards: {} changes, {} breaking",
        forward.changes.len(),
        forward
            .changes
            .iter()
            .filter(|c| c.verdict() == qapi_introspection::Verdict::Breaking)
            .count(),
        backward.changes.len(),
        backward
            .changes
            .iter()
            .filter(|c| c.verdict() == qapi_introspection::Verdict::Breaking)
            .count(),
    );
    assert!(forward.changes.len() > 100, "the releases differ a lot");
    let expected = census(&forward, true);
    let found = census(&backward, false);
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, n)| found.get(k) != Some(n))
        .collect();
    let extra: Vec<_> = found
        .iter()
        .filter(|(k, n)| expected.get(k) != Some(n))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not mirrored:\n  expected backwards but absent: {:#?}\n  found backwards unexpectedly: {:#?}",
        &missing[..missing.len().min(5)],
        &extra[..extra.len().min(5)]
    );
}
