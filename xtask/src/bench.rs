//! `cargo xtask bench`: measures the toolchain against its peers and records the
//! results as markdown in `docs/bench.md`, one section per benchmark:
//!
//! * `cli` (`bench/cli.rs`): `qapi-gen` against QEMU's Python QAPI generator;
//! * `scaling` (`bench/scaling.rs`): `qapi-gen` on synthetic schemas 1×, 10× and 100×
//!   the size of QEMU's QMP schema;
//! * `decode` (`bench/decode.rs`): our generated types decoding replies captured
//!   from live QEMU, against `qapi-qmp` and `serde_json::Value`;
//! * `build` (`bench/build.rs`): a release build of our generated QMP module
//!   against one of the `qapi-qmp` crate;
//! * `edit` (`bench/edit.rs`): an incremental `cargo check` after an edit in a crate
//!   holding the module, against the same crate without it;
//! * `client` (`bench/client.rs`): QMP round trips of `qapi-client` against qapi-rs's
//!   client and Python's `qemu.qmp`, on live QEMU and on a server of ours.
//!
//! Each section also leaves its key figures in `docs/bench.json`, from which
//! `bench/chart.rs` draws `docs/bench.png`. A run may pick sections; the report, the
//! figures and so the chart keep the other sections as they were.

mod build;
mod chart;
mod cli;
mod client;
mod decode;
mod edit;
mod scaling;

use std::fs;
use std::num::NonZero;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::process;

pub use cli::DEFAULT_RUNS;
pub use client::DEFAULT_RUNS as DEFAULT_CLIENT_RUNS;
pub use decode::DEFAULT_ROUNDS;

/// Timed builds per crate and mode when `--build-runs` is not given.
pub const DEFAULT_BUILD_RUNS: usize = 3;

/// Where the report is kept, relative to the workspace root.
const REPORT_PATH: &str = "docs/bench.md";

/// Where each section's key figures are kept, for the chart.
const FIGURES_PATH: &str = "docs/bench.json";

/// Where the chart is drawn.
const CHART_PATH: &str = "docs/bench.png";

/// The report's opening, above the sections.
const REPORT_HEADER: &str = "\
# Benchmarks

Produced by `cargo xtask bench`, which runs every section below; `cargo xtask bench SECTION...`
(`cli`, `scaling`, `decode`, `build`, `edit`, `client`) reruns only the named ones and keeps the others. The
chart is drawn from the same figures (kept in `bench.json`).

![Speed-ups over each peer against their goals, and time against schema size](bench.png)
";

/// What a section measured: its text for the report, and its key figures for the chart
/// (`{"figures": [{"label", "speed_up", "goal"}], "points": [{"task", "size",
/// "median_ms"}]}`, either list optional).
pub struct Measured {
    body: String,
    data: Value,
}

/// Command-line options for `cargo xtask bench`.
#[derive(Debug)]
pub struct Options {
    /// Timed runs per tool (`cli`).
    pub runs: usize,
    /// Interleaved rounds over all replies and contenders (`decode`).
    pub rounds: usize,
    /// Timed builds per crate and mode (`build`).
    pub build_runs: usize,
    /// Measured runs per client, server and caller count (`client`).
    pub client_runs: usize,
    /// The sections to run, in report order; empty means all.
    pub sections: Vec<Section>,
    /// Measure nothing, only redraw the chart from the recorded figures.
    pub chart_only: bool,
    /// The command line as given, quoted in the report.
    pub command: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: DEFAULT_RUNS,
            rounds: DEFAULT_ROUNDS,
            build_runs: DEFAULT_BUILD_RUNS,
            client_runs: DEFAULT_CLIENT_RUNS,
            sections: Vec::new(),
            chart_only: false,
            command: "cargo xtask bench".to_owned(),
        }
    }
}

/// One benchmark, with its own section in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `qapi-gen` against QEMU's Python generator and qapi-rs's.
    Cli,
    /// `qapi-gen` on schemas 1×, 10× and 100× the QMP schema.
    Scaling,
    /// Decoding captured replies.
    Decode,
    /// Building the generated module against building `qapi-qmp`.
    Build,
    /// An incremental check after an edit, with the module and without.
    Edit,
    /// QMP round trips of our clients against qapi-rs's and `qemu.qmp`.
    Client,
}

impl Section {
    /// Every section, in report order.
    pub const ALL: [Section; 6] = [
        Section::Cli,
        Section::Scaling,
        Section::Decode,
        Section::Build,
        Section::Edit,
        Section::Client,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Section::Cli => "cli",
            Section::Scaling => "scaling",
            Section::Decode => "decode",
            Section::Build => "build",
            Section::Edit => "edit",
            Section::Client => "client",
        }
    }

    /// The section's heading line in the report, without the `## `.
    fn heading(self) -> &'static str {
        match self {
            Section::Cli => "qapi-gen vs. QEMU's Python QAPI generator and qapi-rs's codegen",
            Section::Scaling => "Scaling: synthetic schemas 1×, 10× and 100× the QMP schema",
            Section::Decode => {
                "Decoding live QMP replies: our types vs. qapi-qmp vs. serde_json::Value"
            }
            Section::Build => "Release build: our generated QMP module vs. the qapi-qmp crate",
            Section::Edit => {
                "Everyday builds: incremental cargo check after an edit, with the QMP module"
            }
            Section::Client => "QMP clients: qapi-client vs. qapi-rs vs. qemu.qmp",
        }
    }

    /// Runs the benchmark.
    fn run(self, options: &Options) -> Result<Measured, String> {
        match self {
            Section::Cli => cli::run(options.runs),
            Section::Scaling => scaling::run(options.runs),
            Section::Decode => decode::run(options.rounds),
            Section::Build => build::run(options.build_runs),
            Section::Edit => edit::run(options.runs),
            Section::Client => client::run(options.client_runs),
        }
    }
}

/// Runs the chosen benchmarks, prints their sections and updates the report file.
pub fn run(options: &Options) -> Result<(), String> {
    let chosen = if options.chart_only {
        Vec::new()
    } else if options.sections.is_empty() {
        Section::ALL.to_vec()
    } else {
        options.sections.clone()
    };
    let root = process::workspace_root();
    let (path, figures_path) = (root.join(REPORT_PATH), root.join(FIGURES_PATH));
    let mut report = fs::read_to_string(&path).unwrap_or_default();
    let mut figures: Map<String, Value> = fs::read_to_string(&figures_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    for section in Section::ALL {
        if !chosen.contains(&section) {
            continue;
        }
        eprintln!("xtask: benchmark `{}`", section.name());
        let measured = section.run(options)?;
        let text = format!(
            "## {}\n\nProduced by `{}`.\n\n{}",
            section.heading(),
            options.command,
            measured.body
        );
        print!("\n{text}");
        // Written after every section, so a failure later keeps what was measured.
        report = with_section(&report, section, &text);
        write(&path, report.as_bytes())?;
        figures.insert(section.name().to_owned(), measured.data);
        let json = serde_json::to_string_pretty(&figures).expect("figures encode") + "\n";
        write(&figures_path, json.as_bytes())?;
    }
    let sections: Vec<&Value> = Section::ALL
        .iter()
        .filter_map(|section| figures.get(section.name()))
        .collect();
    let chart = root.join(CHART_PATH);
    chart::draw(&sections, &chart)?;
    eprintln!("xtask: wrote {}", chart.display());
    Ok(())
}

/// Writes `bytes` to `path`, saying so.
fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    eprintln!("xtask: wrote {}", path.display());
    Ok(())
}

/// Runs `command` with no input or output and returns its wall time, spawn to exit; an
/// error names `label` if it cannot run or fails.
fn time_command(command: &mut Command, label: &str) -> Result<Duration, String> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let status = command
        .spawn()
        .and_then(|mut child| child.wait())
        .map_err(|err| format!("cannot run {label}: {err}"))?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("{label} failed ({status}): {command:?}"));
    }
    Ok(elapsed)
}

/// The report with `section`'s text replaced by `text`: the fixed header, then each section
/// in report order, taken from `text` or from the old report (dropped if absent there).
fn with_section(old: &str, section: Section, text: &str) -> String {
    let mut report = String::from(REPORT_HEADER);
    for candidate in Section::ALL {
        let body = if candidate == section {
            Some(text)
        } else {
            old_section(old, candidate)
        };
        if let Some(body) = body {
            report.push('\n');
            report.push_str(body.trim_end());
            report.push('\n');
        }
    }
    report
}

/// The text of `section` in an old report: from its heading to the next `## ` heading.
fn old_section(old: &str, section: Section) -> Option<&str> {
    let heading = format!("## {}\n", section.heading());
    let start = if old.starts_with(&heading) {
        0
    } else {
        old.find(&format!("\n{heading}"))? + 1
    };
    let rest = &old[start + heading.len()..];
    let end = rest
        .find("\n## ")
        .map_or(old.len(), |at| start + heading.len() + at + 1);
    Some(&old[start..end])
}

/// Smallest and median of a non-empty set of timings.
fn min_and_median(times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2
    };
    (sorted[0], median)
}

/// `slow / fast` as a speed-up factor, `2.0×`.
fn speed_up(slow: Duration, fast: Duration) -> String {
    format!("{:.1}×", slow.as_secs_f64() / fast.as_secs_f64())
}

/// CPU model and logical core count, from `/proc/cpuinfo` where available, and
/// the load average when the measurement started (other work on the machine
/// makes every figure noisier).
fn machine_description() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let (model, cores) = parse_cpuinfo(&cpuinfo);
    let cores = match cores {
        0 => thread::available_parallelism().map_or(1, NonZero::get),
        cores => cores,
    };
    let model = model.unwrap_or_else(|| "unknown CPU".to_owned());
    let plural = if cores == 1 { "" } else { "s" };
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|loadavg| loadavg.split_whitespace().next().map(str::to_owned))
        .map(|load| format!("; load average {load} at the start"))
        .unwrap_or_default();
    format!("{model}, {cores} core{plural}{load}")
}

/// The first `model name` and the number of `processor` entries.
fn parse_cpuinfo(cpuinfo: &str) -> (Option<String>, usize) {
    let field = |line: &str, name: &str| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_owned())
    };
    let model = cpuinfo.lines().find_map(|line| field(line, "model name"));
    let cores = cpuinfo
        .lines()
        .filter(|line| field(line, "processor").is_some())
        .count();
    (model, cores)
}

/// `rustc -V` of the toolchain cargo uses, for the report.
fn rustc_version() -> String {
    tool_version("rustc", "-V").unwrap_or_else(|| "rustc (unknown version)".to_owned())
}

/// Microseconds with about three significant digits.
pub(crate) fn micros(time: Duration) -> String {
    let micros = time.as_secs_f64() * 1e6;
    if micros >= 100.0 {
        format!("{micros:.0}")
    } else if micros >= 10.0 {
        format!("{micros:.1}")
    } else if micros >= 1.0 {
        format!("{micros:.2}")
    } else {
        format!("{micros:.3}")
    }
}

/// Runs a bench workspace's `command`, which writes its results to `results`, and returns
/// that file's text; `what` names the bench in errors.
fn run_bench_command(
    command: &mut std::process::Command,
    what: &str,
    results: &std::path::Path,
) -> Result<String, String> {
    eprintln!("xtask: running {command:?}");
    let status = command
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !status.success() {
        return Err(format!("{what} failed ({status})"));
    }
    std::fs::read_to_string(results)
        .map_err(|err| format!("cannot read {}: {err}", results.display()))
}

/// What `program ARGUMENT` prints, trimmed (`Python 3.11.7`), if it runs and prints
/// anything.
fn tool_version(program: &str, argument: &str) -> Option<String> {
    std::process::Command::new(program)
        .arg(argument)
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|version| version.trim().to_owned())
        .filter(|version| !version.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rerunning some sections reads the others' figures back from `bench.json` and writes
    /// them again: they must come back digit for digit.
    #[test]
    fn kept_figures_are_written_back_unchanged() {
        let text = fs::read_to_string(process::workspace_root().join(FIGURES_PATH)).unwrap();
        let figures: Map<String, Value> = serde_json::from_str(&text).unwrap();
        let written = serde_json::to_string_pretty(&figures).unwrap() + "\n";
        assert_eq!(written, text);
    }

    #[test]
    fn min_and_median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(min_and_median(&[ms(5), ms(1), ms(3)]), (ms(1), ms(3)));
        assert_eq!(
            min_and_median(&[ms(4), ms(1), ms(2), ms(8)]),
            (ms(1), ms(3))
        );
    }

    #[test]
    fn reads_cpu_model_and_count() {
        let cpuinfo = "processor\t: 0\nmodel name\t: Example CPU 9000\n\n\
                       processor\t: 1\nmodel name\t: Example CPU 9000\n";
        assert_eq!(
            parse_cpuinfo(cpuinfo),
            (Some("Example CPU 9000".to_owned()), 2)
        );
        assert_eq!(parse_cpuinfo(""), (None, 0));
    }

    #[test]
    fn replaces_one_section_and_keeps_the_others() {
        let cli = format!("## {}\n\nold cli\n", Section::Cli.heading());
        let build = format!("## {}\n\nold build\n", Section::Build.heading());
        let old = format!("{REPORT_HEADER}\n{cli}\n{build}");
        let decode = format!("## {}\n\nnew decode\n", Section::Decode.heading());
        let new = with_section(&old, Section::Decode, &decode);
        assert_eq!(new, format!("{REPORT_HEADER}\n{cli}\n{decode}\n{build}"));
        // Replacing again is stable, and an old report without sections loses only its body.
        assert_eq!(with_section(&new, Section::Decode, &decode), new);
        let fresh = with_section("# Old title\n\ntable\n", Section::Cli, &cli);
        assert_eq!(fresh, format!("{REPORT_HEADER}\n{cli}"));
    }
}
