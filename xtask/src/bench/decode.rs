//! `cargo xtask bench decode`: captures live QEMU's replies (`cargo xtask capture`), runs the
//! measuring loop of the `benches/decode` workspace over them, and summarizes its raw times as
//! markdown tables: in aggregate and per reply, with the replies a contender cannot decode.

use super::micros;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Measured, machine_description, min_and_median, rustc_version, speed_up};
use crate::{capture, process, qemu_source};

/// Rounds when `--rounds` is not given.
pub const DEFAULT_ROUNDS: usize = 30;

/// The benchmark's contenders: its key for each, and our column heading. The indices below
/// name them in the code.
const CONTENDERS: [(&str, &str); 7] = [
    ("ours-10.0.2", "ours, 10.0.2"),
    ("ours-10.0.2-from-str", "ours, 10.0.2, `from_str`"),
    ("ours-10.0.2-via-value", "ours, 10.0.2, via `Value`"),
    ("ours-9.1", "ours, 9.1"),
    ("ours-9.1-from-str", "ours, 9.1, `from_str`"),
    ("qapi-qmp-0.15.0", "qapi-qmp 0.15.0 (9.1)"),
    ("value", "`Value`"),
];
const OURS: usize = 0;
const OURS_9_1: usize = 3;
const OURS_9_1_FROM_STR: usize = 4;
const QAPI_QMP: usize = 5;
const VALUE: usize = 6;

/// The speed-ups each table shows: ours, the peer, and the column heading.
const SPEED_UPS: [(usize, usize, &str); 4] = [
    (OURS_9_1, QAPI_QMP, "ours 9.1 vs. qapi-qmp"),
    (
        OURS_9_1_FROM_STR,
        QAPI_QMP,
        "ours 9.1, `from_str`, vs. qapi-qmp",
    ),
    (OURS, QAPI_QMP, "ours 10.0.2 vs. qapi-qmp"),
    (OURS, VALUE, "ours 10.0.2 vs. `Value`"),
];

/// The reply that dwarfs the others, shown on its own as well.
const SCHEMA_REPLY: &str = "query-qmp-schema";

/// How one contender fared on one reply.
enum Outcome {
    /// Decoded; the time per decode in each round.
    Times(Vec<Duration>),
    /// Could not decode the reply.
    Failed(String),
    /// Its schema has no such command.
    Missing,
}

/// One captured reply and every contender's outcome, indexed like [`CONTENDERS`].
struct Reply {
    command: String,
    bytes: usize,
    outcomes: Vec<Outcome>,
}

impl Reply {
    fn times(&self, contender: usize) -> Option<&[Duration]> {
        match &self.outcomes[contender] {
            Outcome::Times(times) => Some(times),
            _ => None,
        }
    }
}

/// Captures, measures and returns the report section's body.
pub fn run(rounds: usize) -> Result<Measured, String> {
    let qemu = qemu_source::ensure()?;
    let capture = capture::run()?;
    let results = process::target_dir()
        .join("bench")
        .join("decode-results.json");
    let manifest = process::workspace_root().join("benches/decode/Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--release", "--locked", "--manifest-path"])
        .arg(&manifest)
        .arg("--")
        .arg("--replies")
        .arg(&capture.path)
        .args(["--rounds", &rounds.to_string()])
        .arg("--out")
        .arg(&results);
    // The build script finds the default cache location by itself; a QAPI_QEMU_SRC of the
    // user's is passed on made absolute. Leaving the variable alone otherwise keeps builds
    // from here and plain `cargo bench` runs from invalidating each other.
    if std::env::var_os("QAPI_QEMU_SRC").is_some_and(|dir| !dir.is_empty()) {
        command.env("QAPI_QEMU_SRC", &qemu);
    }
    let text = super::run_bench_command(&mut command, "the decode benchmark", &results)?;
    let replies = parse_results(&text)?;
    Ok(Measured {
        body: body(&replies, rounds, &capture.qemu_version, &capture.path),
        data: figures(&replies),
    })
}

/// The chart's figures: over the replies every contender decodes, ours against qapi-qmp on
/// the schema both were generated from, and ours against `Value`.
fn figures(replies: &[Reply]) -> Value {
    let shared: Vec<&Reply> = replies
        .iter()
        .filter(|reply| (0..CONTENDERS.len()).all(|c| reply.times(c).is_some()))
        .collect();
    let median = |contender| {
        min_and_median(&sum_rounds(&shared, contender))
            .1
            .as_secs_f64()
    };
    json!({ "figures": [
        {
            "label": "decode, ours vs. qapi-qmp (QEMU 9.1 schema)",
            "speed_up": median(QAPI_QMP) / median(OURS_9_1),
            "goal": 1.5,
        },
        {
            "label": "decode, ours vs. serde_json::Value",
            "speed_up": median(VALUE) / median(OURS),
            "goal": 1.0,
        },
    ]})
}

/// Reads the benchmark's results file.
fn parse_results(text: &str) -> Result<Vec<Reply>, String> {
    let results: Value =
        serde_json::from_str(text).map_err(|err| format!("bad results file: {err}"))?;
    let keys: Vec<&str> = CONTENDERS.iter().map(|(key, _)| *key).collect();
    if results["contenders"] != serde_json::json!(keys) {
        return Err(format!(
            "the benchmark's contenders {} are not the expected {keys:?}",
            results["contenders"]
        ));
    }
    let nanos = |value: &Value| Duration::from_secs_f64(value.as_f64().unwrap_or(0.0) / 1e9);
    let mut replies = Vec::new();
    for reply in results["replies"].as_array().into_iter().flatten() {
        let outcomes = keys
            .iter()
            .map(|key| {
                let result = &reply["results"][key];
                if let Some(times) = result["ns"].as_array() {
                    Outcome::Times(times.iter().map(nanos).collect())
                } else if let Some(error) = result["error"].as_str() {
                    Outcome::Failed(error.to_owned())
                } else {
                    Outcome::Missing
                }
            })
            .collect();
        replies.push(Reply {
            command: reply["command"].as_str().unwrap_or_default().to_owned(),
            bytes: reply["bytes"].as_u64().unwrap_or_default() as usize,
            outcomes,
        });
    }
    if replies.is_empty() {
        return Err("the results file lists no replies".to_owned());
    }
    Ok(replies)
}

/// The section: what was measured, the aggregate table, the per-reply table and the failures.
fn body(replies: &[Reply], rounds: usize, qemu_version: &str, path: &Path) -> String {
    let total: usize = replies.iter().map(|reply| reply.bytes).sum();
    let schema_bytes = replies
        .iter()
        .find(|reply| reply.command == SCHEMA_REPLY)
        .map_or(0, |reply| reply.bytes);
    let shared: Vec<&Reply> = replies
        .iter()
        .filter(|reply| (0..CONTENDERS.len()).all(|c| reply.times(c).is_some()))
        .collect();
    let without_schema: Vec<&Reply> = shared
        .iter()
        .copied()
        .filter(|reply| reply.command != SCHEMA_REPLY)
        .collect();
    let schema_only: Vec<&Reply> = shared
        .iter()
        .copied()
        .filter(|reply| reply.command == SCHEMA_REPLY)
        .collect();
    let shared_names: Vec<String> = shared
        .iter()
        .map(|reply| format!("`{}`", reply.command))
        .collect();

    let mut text = format!(
        "- replies: the {} `query-*` commands that `qemu-system-x86_64 -machine none -nodefaults` \
         (QEMU {qemu_version}) answers without arguments, captured by `cargo xtask capture` \
         into `{}` ({:.0} KB; `{SCHEMA_REPLY}` {:.0} KB)\n\
         - contenders, each decoding the text of a reply's `return` value, timing includes \
         dropping the result:\n\
         \x20 - ours, 10.0.2: `<C as Command>::decode_returns(text)` with our module for \
         QEMU 10.0.2's QMP schema: the generated decoder of a command's reply, which \
         `qapi-client` calls, and which reads unions speculatively\n\
         \x20 - ours, 10.0.2, `from_str`: `serde_json::from_str::<<C as Command>::Returns>` \
         with the same module, as a user of serde alone would decode a reply\n\
         \x20 - ours, 10.0.2, via `Value`: `serde_json::from_str::<Value>`, then \
         `commands::decode_return(name, value)` of the same module\n\
         \x20 - ours, 9.1, and ours, 9.1, `from_str`: as the first two, with our module for \
         QEMU 9.1's QMP schema (the one `qapi-qmp` 0.15.0 ships and was generated from)\n\
         \x20 - qapi-qmp 0.15.0: `serde_json::from_str::<<C as qapi_spec::Command>::Ok>`\n\
         \x20 - `Value`: `serde_json::from_str::<serde_json::Value>`\n\
         - runs: {rounds} interleaved rounds after one warm-up round; a round times every \
         (reply, contender) pair once, as a batch of repeated decodes lasting about 2 ms, \
         the contenders in an order that rotates from round to round; times are per decode, \
         in µs, min / median over the rounds; an aggregate sums one round's times over its \
         replies\n\
         - build: `benches/decode` (a workspace of its own), release profile, {}\n\
         - machine: {}\n\n",
        replies.len(),
        relative(path),
        total as f64 / 1000.0,
        schema_bytes as f64 / 1000.0,
        rustc_version(),
        machine_description(),
    );

    text.push_str(&format!(
        "Aggregates over the {} replies every contender decodes: {}.\n\n",
        shared.len(),
        shared_names.join(", ")
    ));
    text.push_str(&table_header("replies"));
    let sets = [
        (format!("all {}", shared.len()), &shared),
        (
            format!("all but `{SCHEMA_REPLY}` ({})", without_schema.len()),
            &without_schema,
        ),
        (format!("`{SCHEMA_REPLY}` alone"), &schema_only),
    ];
    for (label, set) in sets {
        if set.is_empty() {
            continue;
        }
        let bytes: usize = set.iter().map(|reply| reply.bytes).sum();
        let times: Vec<Option<Vec<Duration>>> = (0..CONTENDERS.len())
            .map(|contender| Some(sum_rounds(set, contender)))
            .collect();
        text.push_str(&row(&label, bytes, &times, &[]));
    }

    text.push_str("\nPer reply:\n\n");
    text.push_str(&table_header("reply"));
    for reply in replies {
        let times: Vec<Option<Vec<Duration>>> = (0..CONTENDERS.len())
            .map(|contender| reply.times(contender).map(<[Duration]>::to_vec))
            .collect();
        text.push_str(&row(
            &format!("`{}`", reply.command),
            reply.bytes,
            &times,
            &reply.outcomes,
        ));
    }
    text.push_str(&failures(replies));
    text
}

/// Per round, the sum over `set` of `contender`'s time per decode.
fn sum_rounds(set: &[&Reply], contender: usize) -> Vec<Duration> {
    let rounds = set
        .iter()
        .filter_map(|reply| reply.times(contender))
        .map(<[Duration]>::len)
        .min()
        .unwrap_or(0);
    (0..rounds)
        .map(|round| {
            set.iter()
                .filter_map(|reply| reply.times(contender))
                .map(|times| times[round])
                .sum()
        })
        .collect()
}

fn table_header(first: &str) -> String {
    let mut header = format!("| {first} | bytes |");
    let mut rule = String::from("| --- | ---: |");
    for (_, label) in CONTENDERS {
        header.push_str(&format!(" {label} |"));
        rule.push_str(" ---: |");
    }
    for (.., label) in SPEED_UPS {
        header.push_str(&format!(" {label} |"));
        rule.push_str(" ---: |");
    }
    format!("{header}\n{rule}\n")
}

/// One table row: min / median per contender (or why there is none), then the speed-ups.
fn row(label: &str, bytes: usize, times: &[Option<Vec<Duration>>], outcomes: &[Outcome]) -> String {
    let mut row = format!("| {label} | {bytes} |");
    for (contender, times) in times.iter().enumerate() {
        let cell = match (times, outcomes.get(contender)) {
            (Some(times), _) => {
                let (min, median) = min_and_median(times);
                format!("{} / {}", micros(min), micros(median))
            }
            (None, Some(Outcome::Failed(_))) => "fails".to_owned(),
            (None, _) => "—".to_owned(),
        };
        row.push_str(&format!(" {cell} |"));
    }
    for (fast, slow, _) in SPEED_UPS {
        let cell = match (&times[fast], &times[slow]) {
            (Some(fast), Some(slow)) => {
                let (fast_min, fast_median) = min_and_median(fast);
                let (slow_min, slow_median) = min_and_median(slow);
                format!(
                    "{} / {}",
                    speed_up(slow_min, fast_min),
                    speed_up(slow_median, fast_median)
                )
            }
            _ => String::new(),
        };
        row.push_str(&format!(" {cell} |"));
    }
    row.push('\n');
    row
}

/// The replies each contender failed to decode, with the first line of its error, and the
/// commands missing from QEMU 9.1's schema.
fn failures(replies: &[Reply]) -> String {
    let mut text = String::from(
        "\nReplies a contender cannot decode (for the 9.1 contenders these are QEMU 10.0.2 \
         replies against QEMU 9.1 types, a measure of forward compatibility):\n\n",
    );
    for (contender, (_, label)) in CONTENDERS.iter().enumerate() {
        let failed: Vec<String> = replies
            .iter()
            .filter_map(|reply| match &reply.outcomes[contender] {
                Outcome::Failed(error) => Some(format!(
                    "`{}` ({})",
                    reply.command,
                    error.lines().next().unwrap_or_default().replace('|', "\\|")
                )),
                _ => None,
            })
            .collect();
        let list = if failed.is_empty() {
            "none".to_owned()
        } else {
            failed.join("; ")
        };
        text.push_str(&format!("- {label}: {list}\n"));
    }
    let missing: Vec<String> = replies
        .iter()
        .filter(|reply| matches!(reply.outcomes[OURS_9_1], Outcome::Missing))
        .map(|reply| format!("`{}`", reply.command))
        .collect();
    if !missing.is_empty() {
        text.push_str(&format!(
            "\nNot in QEMU 9.1's schema, so not decoded by the 9.1 contenders: {}.\n",
            missing.join(", ")
        ));
    }
    text
}

/// `path` relative to the workspace root when it is inside it.
fn relative(path: &Path) -> String {
    let root = process::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_microseconds_with_three_digits() {
        assert_eq!(micros(Duration::from_nanos(23)), "0.023");
        assert_eq!(micros(Duration::from_nanos(1234)), "1.23");
        assert_eq!(micros(Duration::from_nanos(12_345)), "12.3");
        assert_eq!(micros(Duration::from_nanos(1_234_567)), "1235");
    }

    #[test]
    fn sums_each_round_over_a_set() {
        let us = Duration::from_micros;
        let reply = |times: Vec<Duration>| Reply {
            command: "query-x".to_owned(),
            bytes: 1,
            outcomes: vec![Outcome::Times(times)],
        };
        let (a, b) = (reply(vec![us(1), us(2)]), reply(vec![us(10), us(20)]));
        assert_eq!(sum_rounds(&[&a, &b], 0), [us(11), us(22)]);
    }
}
