//! The client benchmark: CPU time and wall time per QMP round trip of `qapi-client` (blocking
//! and on tokio, with our generated module for QEMU 10.0.2's QMP schema), of qapi-rs's
//! `qapi` crate (blocking and on tokio, with `qapi-qmp`'s types) and of Python's `qemu.qmp`
//! (`qmp_client.py`), against live QEMU and against a server of ours.
//!
//! usage:
//!
//! - `qapi-client-bench run --python PYTHON --script qmp_client.py [--runs N] [--seconds S]
//!   [--only CLIENT] [--qemu PROGRAM] --out FILE`: the whole benchmark (`run.rs`), as `cargo
//!   xtask bench client` runs it;
//! - `qapi-client-bench client --client CLIENT --socket PATH... --callers N --per-caller N
//!   [--warm-up N]`: one measured run of a Rust client (`clients.rs`), printed as a JSON line;
//!   `qmp_client.py` takes the same arguments;
//! - `qapi-client-bench serve --socket PATH...`: our server (`server.rs`), until killed.

mod clients;
mod run;
mod server;

use std::path::PathBuf;

use clients::Client;
use run::Contender;

/// The generated module: QEMU 10.0.2's QMP schema in runtime mode, cut down to the commands
/// the benchmark sends.
#[allow(dead_code, missing_docs)]
mod qmp {
    include!(concat!(env!("OUT_DIR"), "/qmp.rs"));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((command, rest)) => match command.as_str() {
            "run" => run_options(rest).and_then(|options| run::run(&options)),
            "client" => client_run(rest).and_then(|run| {
                let sample = clients::measure(&run)?;
                println!("{}", sample.json());
                Ok(())
            }),
            "serve" => sockets(rest).and_then(|sockets| server::run(&sockets)),
            other => Err(format!("unknown command `{other}`")),
        },
        None => Err("usage: qapi-client-bench run|client|serve [options]".to_owned()),
    };
    if let Err(message) = result {
        eprintln!("qapi-client-bench: {message}");
        std::process::exit(1);
    }
}

/// `--flag value` pairs, in order.
fn pairs(args: &[String]) -> Result<Vec<(&str, &str)>, String> {
    let mut pairs = Vec::new();
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let value = iter.next().ok_or_else(|| format!("{flag} needs a value"))?;
        pairs.push((flag.as_str(), value.as_str()));
    }
    Ok(pairs)
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} expects a number, got `{value}`"))
}

fn sockets(args: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut sockets = Vec::new();
    for (flag, value) in pairs(args)? {
        match flag {
            "--socket" => sockets.push(PathBuf::from(value)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if sockets.is_empty() {
        return Err("--socket PATH is required".to_owned());
    }
    Ok(sockets)
}

fn client_run(args: &[String]) -> Result<clients::Run, String> {
    let mut run = clients::Run {
        client: Client::OursTokio,
        sockets: Vec::new(),
        callers: 1,
        per_caller: 1000,
        warm_up: 100,
    };
    let mut client = None;
    for (flag, value) in pairs(args)? {
        match flag {
            "--client" => {
                let found = Client::ALL.into_iter().find(|client| client.key() == value);
                client = Some(found.ok_or_else(|| format!("no client `{value}`"))?);
            }
            "--socket" => run.sockets.push(PathBuf::from(value)),
            "--callers" => run.callers = number(flag, value)?,
            "--per-caller" => run.per_caller = number(flag, value)?,
            "--warm-up" => run.warm_up = number(flag, value)?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    run.client = client.ok_or("--client CLIENT is required")?;
    if run.sockets.is_empty() || run.callers == 0 {
        return Err("--socket PATH and a positive --callers are required".to_owned());
    }
    Ok(run)
}

fn run_options(args: &[String]) -> Result<run::Options, String> {
    let mut python = None;
    let mut script = None;
    let mut out = None;
    let mut options = run::Options {
        python: PathBuf::new(),
        script: PathBuf::new(),
        runs: 20,
        seconds: 0.3,
        only: None,
        qemu: "qemu-system-x86_64".to_owned(),
        out: PathBuf::new(),
    };
    for (flag, value) in pairs(args)? {
        match flag {
            "--python" => python = Some(PathBuf::from(value)),
            "--script" => script = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--runs" => options.runs = number(flag, value)?,
            "--seconds" => options.seconds = number(flag, value)?,
            "--qemu" => options.qemu = value.to_owned(),
            "--only" => {
                let found = Contender::all()
                    .into_iter()
                    .find(|contender| contender.key() == value);
                options.only = Some(found.ok_or_else(|| format!("no client `{value}`"))?);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    options.python = python.ok_or("--python PYTHON is required")?;
    options.script = script.ok_or("--script FILE is required")?;
    options.out = out.ok_or("--out FILE is required")?;
    if options.runs == 0 || options.seconds <= 0.0 {
        return Err("--runs and --seconds must be positive".to_owned());
    }
    Ok(options)
}
