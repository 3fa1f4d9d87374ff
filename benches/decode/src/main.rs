//! The decode benchmark's measuring loop, run by `cargo xtask bench decode`: times every
//! contender on every captured reply in interleaved rounds and writes the raw per-decode times
//! as JSON for xtask to summarize.
//!
//! usage: `qapi-decode-bench [--replies FILE] [--rounds N] [--only CONTENDER] --out FILE`
//!
//! `--only` (a contender's key) times that contender alone, for profiling it.
//!
//! Each (reply, contender) pair is timed in batches of repeated decodes sized to take about
//! [`BATCH`]; one round times one batch of every pair, with the contenders' order rotating
//! from round to round, so that drift in machine load spreads over all of them alike.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use qapi_decode_bench::{Contender, Decoder, default_replies_path, load_replies};
use serde_json::{Value, json};

/// How long one timed batch should take.
const BATCH: Duration = Duration::from_millis(2);

/// Rounds when `--rounds` is not given.
const DEFAULT_ROUNDS: usize = 30;

/// One contender on one reply.
struct Pair {
    command: String,
    contender: Contender,
    decoder: Decoder,
    /// Decodes per timed batch.
    iterations: u32,
    /// Nanoseconds per decode, one entry per round.
    samples: Vec<f64>,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("qapi-decode-bench: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let Args {
        replies: replies_path,
        rounds,
        only,
        out,
    } = parse_args()?;
    let replies = load_replies(&replies_path)?;

    // Which contender can decode what; the others are reported, not timed.
    let mut outcomes: BTreeMap<&str, BTreeMap<&str, Value>> = BTreeMap::new();
    // Grouped by reply: the pairs of one reply are timed one after the other.
    let mut groups: Vec<Vec<Pair>> = Vec::new();
    for (command, text) in &replies {
        let row = outcomes.entry(command).or_default();
        let mut pairs = Vec::new();
        for contender in Contender::ALL {
            if only.is_some_and(|only| only != contender) {
                continue;
            }
            let outcome = match contender.decoder(command) {
                None => json!({ "missing": true }),
                Some(decoder) => match decoder(command, text) {
                    Err(error) => json!({ "error": error }),
                    Ok(()) => {
                        pairs.push(Pair {
                            command: command.clone(),
                            contender,
                            decoder,
                            iterations: calibrate(decoder, command, text),
                            samples: Vec::with_capacity(rounds),
                        });
                        continue;
                    }
                },
            };
            row.insert(contender.key(), outcome);
        }
        groups.push(pairs);
    }

    eprintln!(
        "qapi-decode-bench: {} replies, {} timed pairs, {rounds} rounds",
        replies.len(),
        groups.iter().map(Vec::len).sum::<usize>()
    );
    for round in 0..=rounds {
        // Round 0 warms up and is not recorded.
        for pairs in &mut groups {
            let count = pairs.len();
            for offset in 0..count {
                let pair = &mut pairs[(round + offset) % count];
                let text = &replies[&pair.command];
                let nanos = time_batch(pair.decoder, &pair.command, text, pair.iterations);
                if round > 0 {
                    pair.samples.push(nanos);
                }
            }
        }
    }

    for pair in groups.iter().flatten() {
        outcomes
            .get_mut(pair.command.as_str())
            .expect("every pair's command has a row")
            .insert(
                pair.contender.key(),
                json!({ "iterations": pair.iterations, "ns": pair.samples }),
            );
    }
    let results = json!({
        "rounds": rounds,
        "batch_ms": BATCH.as_secs_f64() * 1000.0,
        "contenders": Contender::ALL.map(Contender::key),
        "replies": replies
            .iter()
            .map(|(command, text)| json!({
                "command": command,
                "bytes": text.len(),
                "results": outcomes[command.as_str()],
            }))
            .collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&results).map_err(|error| error.to_string())?;
    std::fs::write(&out, text).map_err(|error| format!("cannot write {}: {error}", out.display()))
}

/// Decodes per batch so that a batch takes about [`BATCH`], judged by the fastest of a few
/// single decodes.
fn calibrate(decoder: Decoder, command: &str, text: &str) -> u32 {
    let single = (0..5)
        .map(|_| time_batch(decoder, command, text, 1))
        .fold(f64::INFINITY, f64::min)
        .max(1.0);
    let iterations = (BATCH.as_nanos() as f64 / single).ceil();
    iterations.clamp(1.0, 1_000_000.0) as u32
}

/// Nanoseconds per decode over a batch of `iterations` decodes.
fn time_batch(decoder: Decoder, command: &str, text: &str, iterations: u32) -> f64 {
    let started = Instant::now();
    for _ in 0..iterations {
        // Every pair decoded successfully once already.
        let _ = decoder(command, text);
    }
    started.elapsed().as_nanos() as f64 / f64::from(iterations)
}

/// The command line.
struct Args {
    replies: PathBuf,
    rounds: usize,
    only: Option<Contender>,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut replies = default_replies_path();
    let mut rounds = DEFAULT_ROUNDS;
    let mut only = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--replies" => replies = PathBuf::from(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--only" => {
                let key = value()?;
                let contender = Contender::ALL.into_iter().find(|c| c.key() == key);
                only = Some(contender.ok_or_else(|| format!("no contender `{key}`"))?);
            }
            "--rounds" => {
                let value = value()?;
                rounds = match value.parse() {
                    Ok(rounds) if rounds > 0 => rounds,
                    _ => return Err(format!("--rounds expects a positive number, got `{value}`")),
                };
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let out = out.ok_or("--out FILE is required")?;
    Ok(Args {
        replies,
        rounds,
        only,
        out,
    })
}
