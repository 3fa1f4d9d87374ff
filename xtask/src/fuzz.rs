//! `cargo xtask fuzz`: seeds the cargo-fuzz targets in `fuzz/` with real inputs, runs each
//! for a number of executions and records what happened in `docs/fuzzing.md`.
//!
//! Seeds are written into each target's corpus directory (which is never committed):
//! QEMU 10.0.2's schema files and ours for `front_end`; the QMP examples in the QMP schema's
//! docs for `qmp_request`, `qmp_event` and `qmp_return`; and for `qmp_return` also the
//! replies `cargo xtask capture` took from a live QEMU, when they are there. The runtime's
//! targets get the same examples as lines of a conversation: `qmp_server` the requests
//! after a negotiation, `qmp_client` the replies and events, as QMP's and as an agent's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::{process, qemu_source};

/// Executions per target when `--runs` is not given.
pub const DEFAULT_RUNS: u64 = 10_000_000;

/// The targets, in the order they run.
pub const TARGETS: [&str; 6] = [
    "front_end",
    "qmp_request",
    "qmp_event",
    "qmp_return",
    "qmp_server",
    "qmp_client",
];

/// Where the report is kept, relative to the workspace root.
const REPORT_PATH: &str = "docs/fuzzing.md";

/// Command-line options for `cargo xtask fuzz`.
#[derive(Debug)]
pub struct Options {
    /// Executions per target.
    pub runs: u64,
    /// The targets to run; empty means all.
    pub targets: Vec<String>,
}

/// What one target's run did.
struct Outcome {
    target: String,
    /// Executions libFuzzer reports having done.
    runs: u64,
    /// Wall time of the run, in seconds.
    seconds: u64,
    /// Seeds written before the run.
    seeds: usize,
    /// Inputs in the corpus after the run.
    corpus: usize,
    /// Crash, leak or timeout files in the artifacts directory after the run.
    artifacts: Vec<String>,
}

/// Seeds, builds and runs the chosen targets, then updates the report.
pub fn run(options: &Options) -> Result<(), String> {
    let fuzz_dir = process::workspace_root().join("fuzz");
    let qemu = qemu_source::ensure()?;
    let targets: Vec<&str> = if options.targets.is_empty() {
        TARGETS.to_vec()
    } else {
        options.targets.iter().map(String::as_str).collect()
    };
    let mut outcomes = Vec::new();
    for target in targets {
        if !TARGETS.contains(&target) {
            return Err(format!(
                "unknown fuzz target `{target}`; the targets are {}",
                TARGETS.join(", ")
            ));
        }
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeds = seed(target, &qemu, &corpus)?;
        eprintln!(
            "xtask: fuzzing `{target}` for {} executions ({seeds} seeds)",
            options.runs
        );
        let started = Instant::now();
        let run = process::run_captured(
            Command::new("cargo")
                .args(["+nightly", "fuzz", "run", "-O", "-a", "-s", "none", target])
                .arg("--")
                .arg(format!("-runs={}", options.runs))
                .current_dir(&fuzz_dir),
            std::time::Duration::from_secs(24 * 3600),
        )?;
        let artifacts = artifacts(&fuzz_dir.join("artifacts").join(target));
        let runs = executions(&run.stderr).ok_or_else(|| {
            format!(
                "fuzzing `{target}` ended ({}) without libFuzzer's summary:\n{}",
                run.describe_end(),
                tail(&run.stderr, 40)
            )
        })?;
        let outcome = Outcome {
            target: target.to_owned(),
            runs,
            seconds: started.elapsed().as_secs(),
            seeds,
            corpus: count_files(&corpus),
            artifacts,
        };
        eprintln!(
            "xtask: `{target}`: {} executions in {} s, {} artifacts",
            outcome.runs,
            outcome.seconds,
            outcome.artifacts.len()
        );
        outcomes.push(outcome);
    }
    let path = process::workspace_root().join(REPORT_PATH);
    let old = fs::read_to_string(&path).unwrap_or_default();
    let report = report(&old, &outcomes);
    fs::write(&path, report).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    eprintln!("xtask: wrote {}", path.display());
    match outcomes
        .iter()
        .find(|outcome| !outcome.artifacts.is_empty())
    {
        Some(outcome) => Err(format!(
            "`{}` left {}",
            outcome.target,
            outcome.artifacts.join(", ")
        )),
        None => Ok(()),
    }
}

/// Writes the seeds of `target` into `corpus`, named by content so that rerunning does not
/// duplicate them, and returns how many there are.
fn seed(target: &str, qemu: &Path, corpus: &Path) -> Result<usize, String> {
    let seeds = match target {
        "front_end" => schema_files(qemu)?,
        "qmp_return" => {
            let mut seeds = example_seeds(qemu, target);
            seeds.extend(captured_replies()?);
            seeds
        }
        "qmp_server" => conversation_seeds(qemu, true),
        "qmp_client" => conversation_seeds(qemu, false),
        _ => example_seeds(qemu, target),
    };
    fs::create_dir_all(corpus)
        .map_err(|err| format!("cannot create {}: {err}", corpus.display()))?;
    for seed in &seeds {
        let path = corpus.join(format!("seed-{:016x}", fnv1a(seed)));
        fs::write(&path, seed).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    Ok(seeds.len())
}

/// Every schema file of QEMU's three schemas and of ours.
fn schema_files(qemu: &Path) -> Result<Vec<Vec<u8>>, String> {
    let root = process::workspace_root();
    let dirs = [
        qemu.join("qapi"),
        qemu.join("qga"),
        qemu.join("storage-daemon/qapi"),
        root.join("schemas"),
        root.join("schemas/kitchen-sink"),
        root.join("schemas/kitchen-sink/modules"),
    ];
    let mut files = Vec::new();
    for dir in dirs {
        let entries =
            fs::read_dir(&dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        for path in paths {
            files.push(
                fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?,
            );
        }
    }
    Ok(files)
}

/// The QMP examples of QEMU's QMP schema that suit `target`: requests for `qmp_request`,
/// events for `qmp_event`, and for `qmp_return` each reply's `return` value after the name of
/// the command of the request before it, the input form that target reads.
fn example_seeds(qemu: &Path, target: &str) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let mut command = None;
    for message in qapi_tests::examples::messages(&qemu.join("qapi/qapi-schema.json")) {
        let Ok(value) = serde_json::from_str::<Value>(&message.text) else {
            continue;
        };
        if message.request {
            command = value["execute"].as_str().map(str::to_owned);
        }
        let seed = match target {
            "qmp_request" if message.request => Some(value.to_string()),
            "qmp_event" if value.get("event").is_some() => Some(value.to_string()),
            "qmp_return" => match (&command, value.get("return")) {
                (Some(command), Some(returned)) if !message.request => {
                    Some(format!("{command}\n{returned}"))
                }
                _ => None,
            },
            _ => None,
        };
        seeds.extend(seed.map(String::into_bytes));
    }
    seeds
}

/// Seeds for the runtime's targets, from the QMP examples of QEMU's QMP schema, one
/// conversation per documented definition: for the server (`requests`), its requests as
/// lines after `qmp_capabilities`, after a byte that has them read all at once (255), a
/// byte at a time (0) or eight at a time (7); for the client, its replies and events as
/// lines, after the byte that picks the QMP client (0), and after the one that picks the
/// guest agent's (1), without and with the agent's 0xFF byte before them.
fn conversation_seeds(qemu: &Path, requests: bool) -> Vec<Vec<u8>> {
    let mut conversations: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for message in qapi_tests::examples::messages(&qemu.join("qapi/qapi-schema.json")) {
        if message.request != requests {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(&message.text) else {
            continue;
        };
        let definition = message
            .id
            .split_once('#')
            .map_or(&*message.id, |(name, _)| name);
        let lines = conversations.entry(definition.to_owned()).or_default();
        lines.extend(value.to_string().into_bytes());
        lines.push(b'\n');
    }
    let negotiation = b"{\"execute\": \"qmp_capabilities\"}\n";
    let prefixes: Vec<Vec<u8>> = if requests {
        [255, 0, 7]
            .into_iter()
            .map(|limit| [&[limit][..], negotiation].concat())
            .collect()
    } else {
        vec![vec![0], vec![1], vec![1, 0xff]]
    };
    conversations
        .values()
        .flat_map(|lines| {
            prefixes
                .iter()
                .map(move |prefix| [&prefix[..], &lines[..]].concat())
        })
        .collect()
}

/// The replies `cargo xtask capture` saved, as `qmp_return` inputs; none if it has not run.
fn captured_replies() -> Result<Vec<Vec<u8>>, String> {
    let path = process::target_dir().join("bench/replies.json");
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(Vec::new());
    };
    let replies: BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    Ok(replies
        .into_iter()
        .map(|(command, reply)| format!("{command}\n{reply}").into_bytes())
        .collect())
}

/// The files libFuzzer left in a target's artifacts directory.
fn artifacts(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// How many files are in `dir`.
fn count_files(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |entries| entries.count())
}

/// The execution count of libFuzzer's closing `Done N runs in S second(s)` line.
fn executions(stderr: &str) -> Option<u64> {
    stderr.lines().rev().find_map(|line| {
        line.strip_prefix("Done ")?
            .split_once(" runs")?
            .0
            .parse()
            .ok()
    })
}

/// The last `count` lines of `text`.
fn tail(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// A stable 64-bit hash, to name seed files by their content.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The report: one row per target, the rows of this run replacing those of earlier runs,
/// and after the table whatever notes the old report had there.
fn report(old: &str, outcomes: &[Outcome]) -> String {
    let mut rows: BTreeMap<String, String> = old
        .lines()
        .filter_map(|line| {
            let target = line.strip_prefix("| `")?.split_once('`')?.0;
            TARGETS
                .contains(&target)
                .then(|| (target.to_owned(), line.to_owned()))
        })
        .collect();
    for outcome in outcomes {
        let findings = if outcome.artifacts.is_empty() {
            "none".to_owned()
        } else {
            outcome.artifacts.join(", ")
        };
        rows.insert(
            outcome.target.clone(),
            format!(
                "| `{}` | {} | {} | {} | {} | {} |",
                outcome.target,
                outcome.runs,
                outcome.seconds,
                outcome.seeds,
                outcome.corpus,
                findings
            ),
        );
    }
    let mut report = String::from(
        "# Fuzzing\n\n\
         Produced by `cargo xtask fuzz` (cargo-fuzz, libFuzzer; release build with debug \
         assertions and overflow checks, no sanitizer); each row is that target's latest run. \
         The targets are in `fuzz/fuzz_targets/`. A finding leaves its input in \
         `fuzz/artifacts/TARGET/` and fails the run; \"none\" means the run ended with no \
         crash, panic, leak or timeout.\n\n\
         | target | executions | seconds | seeds | corpus after | findings |\n\
         | --- | ---: | ---: | ---: | ---: | --- |\n",
    );
    for target in TARGETS {
        if let Some(row) = rows.get(target) {
            report.push_str(row);
            report.push('\n');
        }
    }
    report.push_str(notes_after_table(old));
    report
}

/// What follows the table of `report`, from the line after its last row.
fn notes_after_table(report: &str) -> &str {
    let mut in_table = false;
    let mut offset = 0;
    for line in report.split_inclusive('\n') {
        if line.starts_with('|') {
            in_table = true;
        } else if in_table {
            return &report[offset..];
        }
        offset += line.len();
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_execution_count() {
        let stderr = "#1000\tpulse\nDone 10000001 runs in 812 second(s)\n";
        assert_eq!(executions(stderr), Some(10_000_001));
        assert_eq!(executions("crashed\n"), None);
    }

    #[test]
    fn a_run_replaces_only_its_targets_rows() {
        let outcome = |target: &str, runs| Outcome {
            target: target.to_owned(),
            runs,
            seconds: 1,
            seeds: 2,
            corpus: 3,
            artifacts: Vec::new(),
        };
        let first = report("", &[outcome("qmp_event", 5), outcome("front_end", 7)]);
        let second = report(&first, &[outcome("qmp_event", 9)]);
        assert!(second.contains("| `front_end` | 7 |"));
        assert!(second.contains("| `qmp_event` | 9 |"));
        assert!(!second.contains("| `qmp_event` | 5 |"));
        assert!(second.find("front_end").unwrap() < second.find("qmp_event").unwrap());
    }

    #[test]
    fn notes_after_the_table_are_kept() {
        let outcome = Outcome {
            target: "qmp_event".to_owned(),
            runs: 5,
            seconds: 1,
            seeds: 2,
            corpus: 3,
            artifacts: Vec::new(),
        };
        let first = report("", std::slice::from_ref(&outcome));
        let noted = format!("{first}\nA note on a finding.\n\n| a | table of its own |\n");
        let second = report(&noted, &[outcome]);
        assert_eq!(second, noted);
    }
}
