//! `qapi-gen diff`, `validate` and `query`: what they print and their exit statuses, on two
//! versions of a small schema and on the kitchen-sink schema against its own introspection.

use std::path::{Path, PathBuf};
use std::process::Output;

mod run;

use run::{qapi_gen, scratch, status};

const OLD: &str = "\
{ 'enum': 'Mode', 'data': [ 'fast', 'safe', 'legacy' ] }
{ 'struct': 'Info', 'data': { 'name': 'str', 'size': 'int' } }
{ 'command': 'start', 'data': { 'mode': 'Mode', '*verbose': 'bool' }, 'returns': 'Info' }
{ 'command': 'reset' }
{ 'event': 'STARTED', 'data': { 'mode': 'Mode', 'info': 'Info' } }
";

/// `OLD` a release later: `legacy` gave way to `turbo`, `start` wants a `level` and is
/// deprecated, `size` became optional and `uptime` appeared, `reset` gave way to `stop`.
const NEW: &str = "\
{ 'enum': 'Mode', 'data': [ 'fast', 'safe', 'turbo' ] }
{ 'struct': 'Info', 'data': { 'name': 'str', '*size': 'int', 'uptime': 'int' } }
{ 'command': 'start', 'data': { 'mode': 'Mode', '*verbose': 'bool', 'level': 'int' },
  'returns': 'Info', 'features': [ 'deprecated' ] }
{ 'command': 'stop' }
{ 'event': 'STARTED', 'data': { 'mode': 'Mode', 'info': 'Info' } }
";

/// Writes `files` (name, text) into a scratch directory and returns their paths.
fn files(test: &str, files: &[(&str, &str)]) -> Vec<PathBuf> {
    let dir = scratch(test);
    files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

fn run(args: &[&str], paths: &[&Path]) -> Output {
    let mut all: Vec<&str> = Vec::new();
    let mut paths = paths.iter();
    for arg in args {
        match *arg {
            "{}" => all.push(paths.next().unwrap().to_str().unwrap()),
            other => all.push(other),
        }
    }
    qapi_gen(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn diff_reports_each_change_with_whom_it_breaks() {
    let paths = files("diff", &[("old.json", OLD), ("new.json", NEW)]);
    let (old, new) = (paths[0].as_path(), paths[1].as_path());

    let output = run(&["diff", "{}", "{}"], &[old, new]);
    assert_eq!(status(&output), 1, "something breaks");
    assert_eq!(
        stdout(&output),
        "\
deprecated start: deprecated
breaking   start/arg-type/level: mandatory member added (breaks clients that send it)
compatible start/arg-type/mode/^turbo: enum value added
           also STARTED/arg-type/mode/^turbo
breaking   start/arg-type/mode/^legacy: enum value removed (breaks clients that send it)
           also STARTED/arg-type/mode/^legacy
compatible start/ret-type/uptime: mandatory member added
           also STARTED/arg-type/info/uptime
breaking   start/ret-type/size: member became optional (breaks clients that receive it)
           also STARTED/arg-type/info/size
breaking   reset: command removed (breaks clients that send it)
compatible stop: command added
8 changes: 4 breaking, 1 deprecated, 3 compatible
"
    );

    // Backwards, every change is mirrored.
    let output = run(
        &["diff", "{}", "{}", "--message-format", "short"],
        &[new, old],
    );
    assert_eq!(status(&output), 1);
    assert_eq!(
        stdout(&output),
        "\
compatible start: no longer deprecated
compatible start/arg-type/mode/^legacy: enum value added
breaking   start/arg-type/mode/^turbo: enum value removed
breaking   start/arg-type/level: member removed
compatible start/ret-type/size: member became mandatory
breaking   start/ret-type/uptime: member removed
breaking   stop: command removed
compatible reset: command added
"
    );

    let output = run(
        &["diff", "{}", "{}", "--message-format", "json"],
        &[old, new],
    );
    let changes: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(changes.as_array().unwrap().len(), 8);
    assert_eq!(
        changes[5],
        serde_json::json!({
            "change": "member-now-optional",
            "path": "start/ret-type/size",
            "also": ["STARTED/arg-type/info/size"],
            "breaks": { "send": false, "receive": true },
            "deprecation": false,
            "description": "member became optional",
        })
    );

    // Nothing breaks: exit status 0.
    let output = run(&["diff", "{}", "{}"], &[old, old]);
    assert_eq!(status(&output), 0);
    assert_eq!(
        stdout(&output),
        "0 changes: 0 breaking, 0 deprecated, 0 compatible\n"
    );
}

#[test]
fn a_schema_and_its_own_introspection_do_not_differ() {
    let dir = scratch("diff-self");
    let schema = "schemas/kitchen-sink/kitchen-sink.json";
    for conditions in [&[][..], &["--cfg", "CONFIG_FUEL_CELL"][..]] {
        let reply = dir.join("reply.json");
        let mut args = vec!["introspect", schema, "-o", reply.to_str().unwrap()];
        args.extend(conditions);
        assert_eq!(status(&qapi_gen(&args)), 0);
        let mut args = vec!["diff", schema, reply.to_str().unwrap()];
        args.extend(conditions);
        let output = qapi_gen(&args);
        assert_eq!(
            (status(&output), stdout(&output).as_str()),
            (0, "0 changes: 0 breaking, 0 deprecated, 0 compatible\n")
        );
    }
}

#[test]
fn unreadable_inputs_are_reported() {
    let paths = files(
        "diff-bad",
        &[
            ("good.json", OLD),
            (
                "bad.json",
                "{ 'command': 'x', 'data': { 'a': 'Missing' } }\n",
            ),
            ("reply.json", r#"[{"name": "x", "meta-type": "command"}]"#),
        ],
    );
    let output = run(&["diff", "{}", "{}"], &[&paths[0], &paths[1]]);
    assert_eq!(status(&output), 1, "an invalid schema");
    assert!(String::from_utf8_lossy(&output.stderr).contains("Missing"));

    let output = run(&["diff", "{}", "{}"], &[&paths[0], &paths[2]]);
    assert_eq!(status(&output), 1, "an invalid reply");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("entry 0 ('x'): missing field `arg-type`"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let missing = paths[0].with_file_name("missing.json");
    assert_eq!(
        status(&run(&["diff", "{}", "{}"], &[&paths[0], &missing])),
        2
    );
}

#[test]
fn validate_checks_a_transcript_message_by_message() {
    let transcript = r#"
-> { "execute": "start", "arguments": { "mode": "fast" } }
<- { "return": { "name": "x", "size": 1 } }
-> { "execute": "start",
     "arguments": { "mode": "slow", "extra": 1 } }
<- { "return": { "name": "x" } }
<- { "event": "STARTED", "data": { "mode": "safe", "info": { "name": "y", "size": 2.5 } },
     "timestamp": { "seconds": 1, "microseconds": 2 } }
"#;
    let paths = files(
        "validate",
        &[
            ("old.json", OLD),
            ("new.json", NEW),
            ("transcript.txt", transcript),
            (
                "clean.txt",
                "-> { \"execute\": \"reset\" }\n<- { \"return\": {} }\n",
            ),
            (
                "deprecated.txt",
                r#"{ "execute": "start", "arguments": { "mode": "fast", "level": 1 } }"#,
            ),
        ],
    );
    let output = run(&["validate", "{}", "{}"], &[&paths[0], &paths[2]]);
    assert_eq!(status(&output), 1);
    let name = paths[2].display();
    assert_eq!(
        stdout(&output),
        format!(
            "\
{name}: message 3: invalid: .arguments.mode: 'slow' is not one of 'fast', 'safe' or 'legacy'
{name}: message 3: invalid: .arguments.extra: unknown member 'extra'
{name}: message 4: invalid: .return: member 'size' is missing
{name}: message 5: invalid: .data.info.size: expected an integer, found the number 2.5
"
        )
    );

    let output = run(&["validate", "{}", "{}"], &[&paths[0], &paths[3]]);
    assert_eq!((status(&output), stdout(&output).as_str()), (0, ""));

    // Using something deprecated is reported, and an error only when denied.
    let output = run(&["validate", "{}", "{}"], &[&paths[1], &paths[4]]);
    assert_eq!(status(&output), 0);
    assert!(
        stdout(&output)
            .ends_with("message 1: deprecated: .execute: command 'start' is deprecated\n"),
        "{}",
        stdout(&output)
    );
    let output = run(
        &["validate", "{}", "{}", "--deny", "deprecated"],
        &[&paths[1], &paths[4]],
    );
    assert_eq!(status(&output), 1);

    // A reply needs the command it answers.
    let reply = paths[3].with_file_name("reply.txt");
    std::fs::write(&reply, r#"{ "return": {} }"#).unwrap();
    let output = run(&["validate", "{}", "{}"], &[&paths[0], &reply]);
    assert_eq!(status(&output), 1);
    assert!(stdout(&output).contains("a reply before any command"));
    let output = run(
        &["validate", "{}", "{}", "--command", "reset"],
        &[&paths[0], &reply],
    );
    assert_eq!(status(&output), 0);
}

#[test]
fn query_answers_yes_or_no_with_the_reason() {
    let paths = files("query", &[("new.json", NEW)]);
    let output = run(
        &[
            "query",
            "{}",
            "start/arg-type/mode/^turbo",
            "start/arg-type/*verbose",
            "start/$deprecated",
            "start/ret-type/uptime/!int",
        ],
        &[&paths[0]],
    );
    assert_eq!(status(&output), 0);
    assert_eq!(
        stdout(&output),
        "\
yes start/arg-type/mode/^turbo
yes start/arg-type/*verbose
yes start/$deprecated
yes start/ret-type/uptime/!int
"
    );
    let output = run(
        &[
            "query",
            "{}",
            "start/arg-type/mode/^legacy",
            "stop/arg-type/force",
        ],
        &[&paths[0]],
    );
    assert_eq!(status(&output), 1);
    assert_eq!(
        stdout(&output),
        "\
no  start/arg-type/mode/^legacy: the enum has no value 'legacy'
no  stop/arg-type/force: the object has no member 'force'
"
    );
    assert_eq!(status(&run(&["query", "{}", "start/+"], &[&paths[0]])), 2);
}
