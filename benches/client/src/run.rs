//! The measuring loop (`qapi-client-bench run`), run by `cargo xtask bench client`: starts
//! the two servers, sizes each (client, server, callers) cell's run, measures every cell in
//! interleaved rounds, each run a fresh client process, and writes the raw samples as JSON for
//! xtask to summarize.
//!
//! A client process connects, warms up, and only then reads its CPU time and the clock, so
//! neither process start-up nor connecting is counted. Its CPU time is the whole process's
//! (every thread), read by the process itself: `getrusage(RUSAGE_SELF)` in Rust and in Python
//! alike. The servers run in processes of their own, so their work is not counted.
//!
//! Then, where valgrind is installed, every client's instructions per round trip in user
//! space, counted by callgrind: one caller against our server, two runs of different lengths,
//! the difference divided by the difference in round trips (so connecting and starting up
//! cancel out). Unlike CPU time this does not depend on the machine's load, but it leaves out
//! the kernel.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::clients::Client;

/// Caller counts measured.
pub const CALLERS: [usize; 2] = [1, 8];

/// Sockets per server: one per caller for a client that needs a connection per caller.
const SOCKETS: usize = 8;

/// Untimed round trips before each measured run.
const WARM_UP: u64 = 200;

/// Round trips, of all callers together, in each of the runs that size a cell.
const SIZING: u64 = 800;

/// Untimed runs that size a cell; the fastest counts, so that a run slowed down by something
/// else on the machine does not make the cell's runs short.
const SIZING_RUNS: usize = 2;

/// Round trips of the short and the long run under callgrind, for a Rust client and for the
/// Python one (about fifty times slower under valgrind).
const COUNTED: [(u64, u64); 2] = [(500, 2500), (100, 500)];

/// The Python client's key.
pub const PYTHON: &str = "qemu.qmp";

/// A client: one of ours or qapi-rs's in Rust, or qemu.qmp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contender {
    Rust(Client),
    Python,
}

impl Contender {
    /// Every client, in the results' order.
    pub fn all() -> Vec<Contender> {
        let mut all: Vec<Contender> = Client::ALL.into_iter().map(Contender::Rust).collect();
        all.push(Contender::Python);
        all
    }

    pub fn key(self) -> &'static str {
        match self {
            Contender::Rust(client) => client.key(),
            Contender::Python => PYTHON,
        }
    }

    fn connections(self, callers: usize) -> usize {
        match self {
            Contender::Rust(client) => client.connections(callers),
            Contender::Python => 1,
        }
    }
}

/// The command line of `run`.
pub struct Options {
    /// The Python interpreter that has `qemu.qmp`.
    pub python: PathBuf,
    /// The Python client's script.
    pub script: PathBuf,
    /// Measured runs of every cell.
    pub runs: usize,
    /// About how long one measured run should take.
    pub seconds: f64,
    /// Only this client, for profiling.
    pub only: Option<Contender>,
    /// The QEMU program.
    pub qemu: String,
    pub out: PathBuf,
}

/// A server the clients talk to, killed when dropped.
struct Server {
    key: &'static str,
    child: Child,
    sockets: Vec<PathBuf>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `command`, which listens on `sockets`, and waits until they all exist.
    fn start(
        key: &'static str,
        mut command: Command,
        sockets: Vec<PathBuf>,
    ) -> Result<Server, String> {
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("cannot start {command:?}: {error}"))?;
        let mut server = Server {
            key,
            child,
            sockets,
        };
        let started = Instant::now();
        while !server.sockets.iter().all(|socket| socket.exists()) {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("{key} exited before listening: {status}"));
            }
            if started.elapsed() > Duration::from_secs(30) {
                return Err(format!("{key} did not listen within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(server)
    }
}

/// One (client, server, callers) combination and its samples.
struct Cell {
    contender: Contender,
    server: usize,
    callers: usize,
    per_caller: u64,
    samples: Vec<Value>,
}

pub fn run(options: &Options) -> Result<(), String> {
    let load_before = load();
    let directory = std::env::temp_dir().join(format!("qapi-client-bench-{}", std::process::id()));
    std::fs::create_dir_all(&directory)
        .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    let result = measure_all(options, &directory);
    let _ = std::fs::remove_dir_all(&directory);
    let (cells, servers, instructions) = result?;
    let load_after = load();

    let results = json!({
        "runs": options.runs,
        "seconds": options.seconds,
        "warm_up": WARM_UP,
        "load_before": load_before,
        "load_after": load_after,
        "contenders": Contender::all().into_iter().map(Contender::key).collect::<Vec<_>>(),
        "servers": servers,
        "cells": cells.iter().map(|cell| json!({
            "client": cell.contender.key(),
            "server": servers[cell.server],
            "callers": cell.callers,
            "connections": cell.contender.connections(cell.callers),
            "per_caller": cell.per_caller,
            "samples": cell.samples,
        })).collect::<Vec<_>>(),
        "instructions": instructions,
    });
    let text = serde_json::to_string_pretty(&results).map_err(|error| error.to_string())?;
    std::fs::write(&options.out, text)
        .map_err(|error| format!("cannot write {}: {error}", options.out.display()))
}

/// Starts the servers, sizes and measures every cell, then counts instructions; the cells,
/// the servers' keys and the counts (`null` without valgrind).
fn measure_all(
    options: &Options,
    directory: &Path,
) -> Result<(Vec<Cell>, Vec<&'static str>, Value), String> {
    let sockets = |prefix: &str| -> Vec<PathBuf> {
        (0..SOCKETS)
            .map(|index| directory.join(format!("{prefix}-{index}.sock")))
            .collect()
    };
    let mut qemu = Command::new(&options.qemu);
    qemu.args(["-machine", "none", "-nodefaults", "-display", "none"]);
    let qemu_sockets = sockets("qemu");
    for socket in &qemu_sockets {
        qemu.arg("-qmp")
            .arg(format!("unix:{},server=on,wait=off", socket.display()));
    }
    let ours_sockets = sockets("ours");
    let mut ours = Command::new(std::env::current_exe().map_err(|error| error.to_string())?);
    ours.arg("serve");
    for socket in &ours_sockets {
        ours.arg("--socket").arg(socket);
    }
    let servers = [
        Server::start("qemu", qemu, qemu_sockets)?,
        Server::start("ours", ours, ours_sockets)?,
    ];

    let contenders: Vec<Contender> = Contender::all()
        .into_iter()
        .filter(|contender| options.only.is_none_or(|only| only == *contender))
        .collect();
    // Grouped by server and callers; a round measures the contenders of a group one after
    // the other, in an order that rotates from round to round.
    let mut groups: Vec<Vec<Cell>> = Vec::new();
    for (index, server) in servers.iter().enumerate() {
        for callers in CALLERS {
            let mut group = Vec::new();
            for &contender in &contenders {
                let sizing_per_caller = SIZING / callers as u64;
                let mut wall_per_round_trip = f64::INFINITY;
                for _ in 0..SIZING_RUNS {
                    let sizing =
                        client_run(options, contender, server, callers, sizing_per_caller)?;
                    let wall = sizing["wall_ns"].as_f64().unwrap_or(f64::INFINITY) / 1e9;
                    let round_trips = sizing["round_trips"].as_f64().unwrap_or(1.0);
                    wall_per_round_trip = wall_per_round_trip.min(wall / round_trips);
                }
                let per_caller = (options.seconds / wall_per_round_trip / callers as f64).ceil();
                let per_caller = (per_caller as u64).max(sizing_per_caller);
                eprintln!(
                    "qapi-client-bench: {} against {}, {callers} caller(s): {per_caller} round \
                     trips per caller",
                    contender.key(),
                    server.key,
                );
                group.push(Cell {
                    contender,
                    server: index,
                    callers,
                    per_caller,
                    samples: Vec::with_capacity(options.runs),
                });
            }
            groups.push(group);
        }
    }
    for round in 0..options.runs {
        eprintln!("qapi-client-bench: round {} of {}", round + 1, options.runs);
        for group in &mut groups {
            let count = group.len();
            for offset in 0..count {
                let cell = &mut group[(round + offset) % count];
                let sample = client_run(
                    options,
                    cell.contender,
                    &servers[cell.server],
                    cell.callers,
                    cell.per_caller,
                )?;
                cell.samples.push(sample);
            }
        }
    }
    let instructions = if valgrind_version().is_some() {
        let mut counts = serde_json::Map::new();
        for &contender in &contenders {
            let count = count_instructions(options, contender, &servers[1])?;
            eprintln!(
                "qapi-client-bench: {}: {count:.0} instructions per round trip",
                contender.key()
            );
            counts.insert(contender.key().to_owned(), json!(count));
        }
        json!({ "valgrind": valgrind_version(), "server": servers[1].key, "counts": counts })
    } else {
        eprintln!("qapi-client-bench: valgrind is not installed: no instruction counts");
        Value::Null
    };
    let keys = servers.iter().map(|server| server.key).collect();
    Ok((groups.into_iter().flatten().collect(), keys, instructions))
}

/// `valgrind --version`, if it runs.
fn valgrind_version() -> Option<String> {
    let output = Command::new("valgrind").arg("--version").output().ok()?;
    let version = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !version.is_empty()).then_some(version)
}

/// User-space instructions per round trip of one caller of `contender` against `server`.
fn count_instructions(
    options: &Options,
    contender: Contender,
    server: &Server,
) -> Result<f64, String> {
    let (short, long) = match contender {
        Contender::Rust(_) => COUNTED[0],
        Contender::Python => COUNTED[1],
    };
    let count = |round_trips: u64| -> Result<u64, String> {
        let mut command = Command::new("valgrind");
        command.args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            "--trace-children=no",
        ]);
        let client = client_command(options, contender, server, 1, round_trips)?;
        command.arg(client.get_program()).args(client.get_args());
        let output = command
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("cannot run {command:?}: {error}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!("{command:?} failed ({}): {stderr}", output.status));
        }
        stderr
            .lines()
            .find_map(|line| line.split_once("Collected : ").map(|(_, count)| count))
            .and_then(|count| count.trim().parse().ok())
            .ok_or_else(|| format!("callgrind reported no count: {stderr}"))
    };
    let (few, many) = (count(short)?, count(long)?);
    Ok((many as f64 - few as f64) / (long - short) as f64)
}

/// Runs one client process and reads the line it prints.
fn client_run(
    options: &Options,
    contender: Contender,
    server: &Server,
    callers: usize,
    per_caller: u64,
) -> Result<Value, String> {
    let mut command = client_command(options, contender, server, callers, per_caller)?;
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run {command:?}: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "{} against {} failed ({}): {command:?}",
            contender.key(),
            server.key,
            output.status
        ));
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let reported: Value = serde_json::from_str(line.trim())
        .map_err(|error| format!("{} printed `{line}`: {error}", contender.key()))?;
    for key in ["round_trips", "cpu_ns", "user_ns", "wall_ns"] {
        if !reported[key].is_u64() {
            return Err(format!("{} printed no `{key}`: {line}", contender.key()));
        }
    }
    Ok(reported)
}

/// The command line of one client run.
fn client_command(
    options: &Options,
    contender: Contender,
    server: &Server,
    callers: usize,
    per_caller: u64,
) -> Result<Command, String> {
    let mut command = match contender {
        Contender::Rust(client) => {
            let mut command =
                Command::new(std::env::current_exe().map_err(|error| error.to_string())?);
            command.args(["client", "--client", client.key()]);
            command
        }
        Contender::Python => {
            let mut command = Command::new(&options.python);
            command.arg(&options.script);
            command
        }
    };
    command
        .args(["--callers", &callers.to_string()])
        .args(["--per-caller", &per_caller.to_string()])
        .args(["--warm-up", &WARM_UP.to_string()]);
    for socket in &server.sockets {
        command.arg("--socket").arg(socket);
    }
    Ok(command)
}

/// `/proc/loadavg` without its line end, or empty where there is none.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.trim().to_owned())
        .unwrap_or_default()
}
