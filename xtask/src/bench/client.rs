//! `cargo xtask bench client`: QMP round trips of `qapi-client` against qapi-rs's `qapi`
//! crate and Python's `qemu.qmp`, on live QEMU and on a server of ours. Makes sure the
//! virtual environment with `qemu.qmp` exists, runs the measuring loop of the `benches/client`
//! workspace, and summarizes its raw samples as markdown tables: CPU time per round trip and
//! round trips per second for every client, server and number of callers, then our clients'
//! speed-ups over the peers against the goals.

use super::micros;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Measured, machine_description, min_and_median, rustc_version, speed_up};
use crate::{process, qemu_source};

/// Measured runs of every cell when `--client-runs` is not given.
pub const DEFAULT_RUNS: usize = 20;

/// The version of `qemu.qmp` measured, installed into the virtual environment.
const QEMU_QMP_VERSION: &str = "0.0.6";

/// Round trips per caller of the short and the long run under callgrind: Rust clients,
/// then `qemu.qmp` (as `benches/client/src/run.rs` has them).
const COUNTED: [(u64, u64); 2] = [(500, 2500), (100, 500)];

/// How long one measured run should take, about.
const RUN_SECONDS: &str = "0.3";

/// The clients, keyed as the measuring loop keys them, with their names in the report.
const CLIENTS: [(&str, &str); 13] = [
    (
        OURS_TOKIO,
        "ours, `qapi_client::tokio::Client` (multi-thread runtime)",
    ),
    (
        OURS_TOKIO_CURRENT,
        "ours, `qapi_client::tokio::Client` (current-thread runtime)",
    ),
    (
        OURS_TOKIO_NO_OOB,
        "ours, `qapi_client::tokio::Client` (multi-thread runtime) with \
         `Config::oob(false)`: `oob` not negotiated, as qapi-rs does not; not judged against \
         the goals, it shows what out-of-band mode costs a client of live QEMU",
    ),
    (
        OURS_TOKIO_CURRENT_NO_OOB,
        "ours, `qapi_client::tokio::Client` (current-thread runtime) with `Config::oob(false)`: \
         like for like with qapi-rs's current-thread cell",
    ),
    (OURS_BLOCKING, "ours, `qapi_client::blocking::Client`"),
    (
        OURS_BLOCKING_NO_OOB,
        "ours, `qapi_client::blocking::Client` with `Config::oob(false)`; not judged",
    ),
    (
        OURS_BLOCKING_NO_OOB_PER_CALLER,
        "the same with a client, and so a connection, per caller: like for like with \
         qapi-rs's blocking client, which cannot share a connection between threads",
    ),
    (
        QAPI_RS_TOKIO,
        "qapi-rs, `qapi::futures::QapiService` (multi-thread runtime)",
    ),
    (
        QAPI_RS_TOKIO_CURRENT,
        "qapi-rs, `qapi::futures::QapiService` (current-thread runtime)",
    ),
    (QAPI_RS_BLOCKING, "qapi-rs, `qapi::Qmp` (blocking)"),
    (
        BARE_SOCKET,
        "baseline without a client library: one `write` of a fixed request line and a \
         buffered read of the reply line on a plain unix socket, nothing encoded or decoded, \
         a connection per caller; what a round trip costs the machine",
    ),
    (
        BARE_SOCKET_OOB,
        "the same with `oob` negotiated, as our clients negotiate it when the server offers \
         it; what a round trip costs the machine in out-of-band mode",
    ),
    (QEMU_QMP, "`qemu.qmp` `QMPClient` (asyncio)"),
];
const OURS_TOKIO: &str = "ours-tokio";
const OURS_TOKIO_CURRENT: &str = "ours-tokio-current-thread";
const OURS_TOKIO_NO_OOB: &str = "ours-tokio-no-oob";
const OURS_TOKIO_CURRENT_NO_OOB: &str = "ours-tokio-current-thread-no-oob";
const OURS_BLOCKING: &str = "ours-blocking";
const OURS_BLOCKING_NO_OOB: &str = "ours-blocking-no-oob";
const OURS_BLOCKING_NO_OOB_PER_CALLER: &str = "ours-blocking-no-oob-per-caller";
const QAPI_RS_TOKIO: &str = "qapi-rs-tokio";
const QAPI_RS_TOKIO_CURRENT: &str = "qapi-rs-tokio-current-thread";
const QAPI_RS_BLOCKING: &str = "qapi-rs-blocking";
const BARE_SOCKET: &str = "bare-socket";
const BARE_SOCKET_OOB: &str = "bare-socket-oob";
const QEMU_QMP: &str = "qemu.qmp";

/// The servers, as the measuring loop keys them, with their names in the report.
const SERVERS: [(&str, &str); 2] = [("qemu", "QEMU"), ("ours", "our server")];

/// The comparisons against the goals: ours, the peer, the goal on the speed-up in CPU time
/// per round trip.
const COMPARISONS: [(&str, &str, f64); 6] = [
    (OURS_TOKIO, QEMU_QMP, 10.0),
    (OURS_TOKIO_CURRENT, QEMU_QMP, 10.0),
    (OURS_BLOCKING, QEMU_QMP, 10.0),
    (OURS_TOKIO, QAPI_RS_TOKIO, 1.2),
    (OURS_TOKIO_CURRENT, QAPI_RS_TOKIO_CURRENT, 1.2),
    (OURS_BLOCKING, QAPI_RS_BLOCKING, 1.2),
];

/// The comparisons with qapi-rs with `oob` not negotiated on our side either.
const LIKE_FOR_LIKE: [(&str, &str, f64); 3] = [
    (OURS_TOKIO_NO_OOB, QAPI_RS_TOKIO, 1.2),
    (OURS_TOKIO_CURRENT_NO_OOB, QAPI_RS_TOKIO_CURRENT, 1.2),
    (OURS_BLOCKING_NO_OOB_PER_CALLER, QAPI_RS_BLOCKING, 1.2),
];

/// The baselines' speed-up over `qemu.qmp`: the most a client could reach, with and without
/// out-of-band mode.
const CEILINGS: [(&str, &str); 2] = [(BARE_SOCKET, QEMU_QMP), (BARE_SOCKET_OOB, QEMU_QMP)];

/// One (client, server, callers) combination and its runs.
struct Cell {
    client: String,
    server: String,
    callers: u64,
    connections: u64,
    per_caller: u64,
    /// CPU time per round trip, one per run.
    cpu: Vec<Duration>,
    /// Its user part.
    user: Vec<Duration>,
    /// Wall time per round trip, one per run.
    wall: Vec<Duration>,
}

/// What the measuring loop wrote.
struct Results {
    runs: u64,
    warm_up: u64,
    load_before: String,
    load_after: String,
    cells: Vec<Cell>,
    /// valgrind's version and user-space instructions per round trip by client, if counted.
    instructions: Option<(String, Vec<(String, f64)>)>,
}

impl Results {
    fn cell(&self, client: &str, server: &str, callers: u64) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|cell| cell.client == client && cell.server == server && cell.callers == callers)
    }

    /// Every caller count measured, ascending.
    fn callers(&self) -> Vec<u64> {
        let mut callers: Vec<u64> = self.cells.iter().map(|cell| cell.callers).collect();
        callers.sort_unstable();
        callers.dedup();
        callers
    }
}

/// Measures and returns the report section's body.
pub fn run(runs: usize) -> Result<Measured, String> {
    qemu_source::ensure()?;
    let python = qemu_qmp_environment()?;
    let machine = machine_description();
    let root = process::workspace_root();
    let results_path = process::target_dir()
        .join("bench")
        .join("client-results.json");
    if let Some(dir) = results_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    let manifest = root.join("benches/client/Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--release", "--locked", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "run", "--python"])
        .arg(&python)
        .arg("--script")
        .arg(root.join("benches/client/qmp_client.py"))
        .args(["--runs", &runs.to_string(), "--seconds", RUN_SECONDS])
        .arg("--out")
        .arg(&results_path)
        // The bench workspace builds in its own target directory, as it does by hand.
        .env_remove("CARGO_TARGET_DIR");
    let text = super::run_bench_command(&mut command, "the client benchmark", &results_path)?;
    let results = parse_results(&text)?;
    let versions = Versions {
        qemu: super::tool_version("qemu-system-x86_64", "--version")
            .and_then(|text| text.lines().next().map(str::to_owned))
            .unwrap_or_else(|| "QEMU (unknown version)".to_owned()),
        python: super::tool_version(&python.display().to_string(), "--version")
            .unwrap_or_else(|| "Python 3".to_owned()),
    };
    Ok(Measured {
        body: body(&results, &versions, &machine),
        data: figures(&results),
    })
}

/// The programs the report names.
struct Versions {
    qemu: String,
    python: String,
}

/// The virtual environment's Python, with `qemu.qmp` at [`QEMU_QMP_VERSION`] installed from
/// PyPI if it is not there yet: `qapi-toolchain/qemu-qmp-venv` in the user's cache directory.
fn qemu_qmp_environment() -> Result<PathBuf, String> {
    let var = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    let cache = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))
        .ok_or("cannot pick a cache directory: set XDG_CACHE_HOME or HOME")?;
    let venv = cache.join("qapi-toolchain").join("qemu-qmp-venv");
    let python = venv.join("bin").join("python");
    if installed_qemu_qmp(&python).as_deref() == Some(QEMU_QMP_VERSION) {
        return Ok(python);
    }
    let run = |command: &mut Command| -> Result<(), String> {
        eprintln!("xtask: running {command:?}");
        let status = command
            .status()
            .map_err(|err| format!("cannot run {command:?}: {err}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{command:?} failed ({status})"))
        }
    };
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(format!("qemu.qmp=={QEMU_QMP_VERSION}")))?;
    match installed_qemu_qmp(&python) {
        Some(version) if version == QEMU_QMP_VERSION => Ok(python),
        other => Err(format!(
            "{} has qemu.qmp {other:?} after installing {QEMU_QMP_VERSION}",
            venv.display()
        )),
    }
}

/// The version of `qemu.qmp` that `python` imports, if any.
fn installed_qemu_qmp(python: &Path) -> Option<String> {
    let output = Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('qemu.qmp'))",
        ])
        .output()
        .ok()?;
    let version = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !version.is_empty()).then_some(version)
}

/// Reads the measuring loop's results file.
fn parse_results(text: &str) -> Result<Results, String> {
    let results: Value =
        serde_json::from_str(text).map_err(|err| format!("bad results file: {err}"))?;
    let keys: Vec<&str> = CLIENTS.iter().map(|(key, _)| *key).collect();
    if results["contenders"] != json!(keys) {
        return Err(format!(
            "the benchmark's clients {} are not the expected {keys:?}",
            results["contenders"]
        ));
    }
    let number = |value: &Value| value.as_u64().unwrap_or_default();
    let mut cells = Vec::new();
    for cell in results["cells"].as_array().into_iter().flatten() {
        let (mut cpu, mut user, mut wall) = (Vec::new(), Vec::new(), Vec::new());
        for sample in cell["samples"].as_array().into_iter().flatten() {
            let round_trips = number(&sample["round_trips"]).max(1);
            cpu.push(Duration::from_nanos(number(&sample["cpu_ns"])) / round_trips as u32);
            user.push(Duration::from_nanos(number(&sample["user_ns"])) / round_trips as u32);
            wall.push(Duration::from_nanos(number(&sample["wall_ns"])) / round_trips as u32);
        }
        if cpu.is_empty() {
            continue;
        }
        cells.push(Cell {
            client: cell["client"].as_str().unwrap_or_default().to_owned(),
            server: cell["server"].as_str().unwrap_or_default().to_owned(),
            callers: number(&cell["callers"]),
            connections: number(&cell["connections"]),
            per_caller: number(&cell["per_caller"]),
            cpu,
            user,
            wall,
        });
    }
    if cells.is_empty() {
        return Err("the results file has no samples".to_owned());
    }
    let text = |key: &str| results[key].as_str().unwrap_or_default().to_owned();
    let instructions = results["instructions"]["counts"].as_object().map(|counts| {
        let valgrind = results["instructions"]["valgrind"]
            .as_str()
            .unwrap_or("valgrind");
        let counts = CLIENTS
            .iter()
            .filter_map(|(key, _)| Some((key.to_string(), counts.get(*key)?.as_f64()?)))
            .collect();
        (valgrind.to_owned(), counts)
    });
    Ok(Results {
        instructions,
        runs: number(&results["runs"]),
        warm_up: number(&results["warm_up"]),
        load_before: text("load_before"),
        load_after: text("load_after"),
        cells,
    })
}

/// The chart's figures: our tokio client's speed-up in CPU time per round trip over each
/// peer's asynchronous client, on live QEMU.
fn figures(results: &Results) -> Value {
    let mut figures = Vec::new();
    for callers in results.callers() {
        for (peer, label, goal) in [
            (QEMU_QMP, "qemu.qmp", 10.0),
            (QAPI_RS_TOKIO, "qapi-rs", 1.2),
        ] {
            let ours = results.cell(OURS_TOKIO, "qemu", callers);
            let theirs = results.cell(peer, "qemu", callers);
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                let plural = if callers == 1 { "" } else { "s" };
                figures.push(json!({
                    "label": format!("client CPU on QEMU, ours (tokio) vs. {label} ({callers} caller{plural})"),
                    "speed_up": median(&theirs.cpu).as_secs_f64() / median(&ours.cpu).as_secs_f64(),
                    "goal": goal,
                }));
            }
        }
    }
    json!({ "figures": figures })
}

fn median(times: &[Duration]) -> Duration {
    min_and_median(times).1
}

/// The section: the method, the table of every cell, and the comparisons with the goals.
fn body(results: &Results, versions: &Versions, machine: &str) -> String {
    let client_list: Vec<String> = CLIENTS
        .iter()
        .map(|(key, label)| format!("  - `{key}`: {label}\n"))
        .collect();
    let mut text = format!(
        "Each client sends `query-status` and waits for its reply, over and over; a round \
         trip is one such call, decoded into the client's type for the reply (ours and \
         qapi-rs's typed `StatusInfo`, a `dict` for `qemu.qmp`). Each run is a fresh client \
         process: it connects, makes {} untimed round trips, then times a run of round trips \
         by its callers. The client's CPU time is its whole process's, every thread included, \
         user plus system, as `getrusage(RUSAGE_SELF)` gives it in Rust and in Python alike, \
         read before and after the run and divided by the round trips made (its user part is \
         shown as well, as the kernel samples it at its clock ticks: a rough split); round trips per \
         second are the run's round trips over its wall time. The server runs in a process \
         of its own, so none of its work is counted. A cell's runs are sized to last about \
         {RUN_SECONDS} s, by the faster of two untimed runs of 800 round trips.\n\n\
         - clients:\n{}\
         - builds: ours with `benches/client`'s module for QEMU 10.0.2's QMP schema, \
         generated in its build script with the `runtime` option and kept to the commands \
         the benchmark sends; qapi-rs is `qapi` 0.15.0 (features `qmp`, \
         `async-tokio-all`) with `qapi-qmp` 0.15.0's types (QEMU 9.1's schema); release \
         profile, {}; `qemu.qmp` {QEMU_QMP_VERSION} from PyPI on {}, in the virtual \
         environment `qapi-toolchain/qemu-qmp-venv` of the user's cache directory\n\
         - servers, each listening on 8 unix sockets: live QEMU (`{}`), `qemu-system-x86_64 \
         -machine none -nodefaults -display none` with 8 `-qmp` monitors; and our server, \
         `qapi_client::blocking::serve` on each connection in a thread of its own, answering \
         `query-status` with the reply QEMU gives (`benches/client/src/server.rs`). Both \
         offer out-of-band execution, so every client tags its requests with an `id`\n\
         - callers: 1, or 8 sharing one connection: tasks on tokio or asyncio, threads for \
         our blocking client. qapi-rs's blocking `Qmp` takes `&mut self` for a call, so its 8 \
         callers are 8 threads on **8 connections**, one per socket\n\
         - `qemu.qmp` writes a request without a line end, which QEMU's streaming parser \
         does not need but `qapi_client`'s server does (it reads a request per line): \
         against our server only, the script's client subclass appends one to each message \
         it writes\n\
         - runs: {} per cell, interleaved: a round runs every client once per server and \
         caller count, in an order that rotates from round to round; figures are min / \
         median over the runs (for round trips per second: the best and the median run)\n\
         - machine: {}; `/proc/loadavg` before: `{}`, after: `{}`\n\n",
        results.warm_up,
        client_list.concat(),
        rustc_version(),
        versions.python,
        versions.qemu,
        results.runs,
        machine,
        results.load_before,
        results.load_after,
    );

    text.push_str(
        "| client | server | callers | connections | round trips per run | CPU µs per round \
         trip, min / median | of which user, median | round trips/s, best / median |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (server, server_label) in SERVERS {
        for callers in results.callers() {
            for (client, _) in CLIENTS {
                let Some(cell) = results.cell(client, server, callers) else {
                    continue;
                };
                let (cpu_min, cpu_median) = min_and_median(&cell.cpu);
                let (wall_min, wall_median) = min_and_median(&cell.wall);
                text.push_str(&format!(
                    "| `{client}` | {server_label} | {callers} | {} | {} | {} / {} | {} | {} / {} |\n",
                    cell.connections,
                    cell.per_caller * cell.callers,
                    micros(cpu_min),
                    micros(cpu_median),
                    micros(median(&cell.user)),
                    per_second(wall_min),
                    per_second(wall_median),
                ));
            }
        }
    }

    text.push_str(
        "\nOur clients' speed-up over each peer in CPU time per round trip (min / median; the \
         goal is judged on the medians):\n\n",
    );
    let columns: Vec<(&str, &str, u64)> = SERVERS
        .iter()
        .flat_map(|&(server, label)| {
            results
                .callers()
                .into_iter()
                .map(move |callers| (server, label, callers))
        })
        .collect();
    let mut header = String::new();
    let mut rule = String::from("| --- | --- |");
    for (_, label, callers) in &columns {
        let plural = if *callers == 1 { "" } else { "s" };
        header.push_str(&format!(" {label}, {callers} caller{plural} |"));
        rule.push_str(" ---: |");
    }
    text.push_str(&format!("| ours | peer |{header} goal |\n{rule} --- |\n"));
    text.push_str(&comparison_rows(results, &columns, &COMPARISONS));
    text.push_str(&format!(
        "\nThe same like for like: neither side negotiating `oob` (qapi-rs's clients never \
         do), and the blocking clients with a connection per caller on both sides (qapi-rs's \
         cannot share one):\n\n| ours | peer |{header} goal |\n{rule} --- |\n"
    ));
    text.push_str(&comparison_rows(results, &columns, &LIKE_FOR_LIKE));
    text.push_str(&format!(
        "\nThe baselines' speed-up over `qemu.qmp` in the same terms: what a client that \
         encodes and decodes nothing would reach with a connection per caller, the ceiling \
         of every client's speed-up on this machine with one caller:\n\n| baseline | peer \
         |{header}\n{rule}\n"
    ));
    for (baseline, peer) in CEILINGS {
        text.push_str(&speed_up_row(results, &columns, baseline, peer).0);
        text.push('\n');
    }
    if let Some((valgrind, counts)) = &results.instructions {
        text.push_str(&instruction_table(valgrind, counts));
    }
    text
}

/// A table row per comparison (ours, peer, goal), with its verdict on the medians.
fn comparison_rows(
    results: &Results,
    columns: &[(&str, &str, u64)],
    comparisons: &[(&str, &str, f64)],
) -> String {
    let mut rows = String::new();
    for &(ours, peer, goal) in comparisons {
        let (row, speed_ups) = speed_up_row(results, columns, ours, peer);
        let met = speed_ups
            .iter()
            .filter(|&&speed_up| speed_up >= goal)
            .count();
        let verdict = match (met, speed_ups.len()) {
            (_, 0) => "not measured".to_owned(),
            (met, judged) if met == judged => "met".to_owned(),
            (0, _) => "**missed**".to_owned(),
            (met, judged) => format!("**missed** (met in {met} of {judged})"),
        };
        rows.push_str(&format!("{row} ≥ {goal}×: {verdict} |\n"));
    }
    rows
}

/// The start of a table row comparing `ours` with `peer` in every column (server and callers):
/// min / median speed-up in CPU time per round trip, or a dash where a cell is missing; and
/// the median speed-ups measured.
fn speed_up_row(
    results: &Results,
    columns: &[(&str, &str, u64)],
    ours: &str,
    peer: &str,
) -> (String, Vec<f64>) {
    let mut row = format!("| `{ours}` | `{peer}` |");
    let mut speed_ups = Vec::new();
    for &(server, _, callers) in columns {
        let cells = (
            results.cell(ours, server, callers),
            results.cell(peer, server, callers),
        );
        let cell = match cells {
            (Some(ours), Some(theirs)) => {
                let (ours_min, ours_median) = min_and_median(&ours.cpu);
                let (theirs_min, theirs_median) = min_and_median(&theirs.cpu);
                speed_ups.push(theirs_median.as_secs_f64() / ours_median.as_secs_f64());
                format!(
                    "{} / {}",
                    speed_up(theirs_min, ours_min),
                    speed_up(theirs_median, ours_median)
                )
            }
            _ => "—".to_owned(),
        };
        row.push_str(&format!(" {cell} |"));
    }
    (row, speed_ups)
}

/// The table of user-space instructions per round trip, with each client's count against
/// that of our tokio client.
fn instruction_table(valgrind: &str, counts: &[(String, f64)]) -> String {
    let mut text = format!(
        "\nUser-space instructions per round trip, counted by callgrind ({valgrind}): one \
         caller against our server, a run of {} round trips less one of {} (for `qemu.qmp` \
         {} less {}), over the difference, so that starting up and connecting cancel out. The \
         count does not depend on the machine's load, but it leaves out the kernel, whose \
         share of the CPU time above is most of it:\n\n\
         | client | instructions per round trip | vs. `{OURS_TOKIO}` |\n| --- | ---: | ---: |\n",
        COUNTED[0].1, COUNTED[0].0, COUNTED[1].1, COUNTED[1].0,
    );
    let ours = counts
        .iter()
        .find(|(key, _)| key == OURS_TOKIO)
        .map(|(_, count)| *count);
    for (key, count) in counts {
        let ratio = ours.map_or(String::new(), |ours| format!("{:.1}×", count / ours));
        text.push_str(&format!("| `{key}` | {count:.0} | {ratio} |\n"));
    }
    text
}

/// Round trips per second for a wall time per round trip, rounded to three digits.
fn per_second(time: Duration) -> String {
    let rate = 1.0 / time.as_secs_f64();
    let magnitude = 10f64.powi(rate.log10().floor() as i32 - 2).max(1.0);
    format!("{:.0}", (rate / magnitude).round() * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_keep_three_digits() {
        assert_eq!(per_second(Duration::from_micros(40)), "25000");
        assert_eq!(per_second(Duration::from_nanos(36_123)), "27700");
        assert_eq!(per_second(Duration::from_millis(2)), "500");
    }

    #[test]
    fn reads_cells_per_round_trip() {
        let keys: Vec<&str> = CLIENTS.iter().map(|(key, _)| *key).collect();
        let text = json!({
            "runs": 2, "warm_up": 10, "load_before": "1", "load_after": "2",
            "contenders": keys,
            "cells": [{
                "client": "ours-tokio", "server": "qemu", "callers": 8, "connections": 1,
                "per_caller": 5,
                "samples": [
                    { "round_trips": 40, "cpu_ns": 400_000, "user_ns": 40_000, "wall_ns": 800_000 },
                    { "round_trips": 40, "cpu_ns": 600_000, "user_ns": 80_000, "wall_ns": 1_200_000 },
                ],
            }],
        })
        .to_string();
        let results = parse_results(&text).unwrap();
        let cell = results.cell("ours-tokio", "qemu", 8).unwrap();
        assert_eq!(
            cell.cpu,
            [Duration::from_micros(10), Duration::from_micros(15)]
        );
        assert_eq!(
            cell.user,
            [Duration::from_micros(1), Duration::from_micros(2)]
        );
        assert_eq!(results.callers(), [8]);
        assert!(parse_results(r#"{"contenders": []}"#).is_err());
    }
}
