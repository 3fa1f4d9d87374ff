//! `cargo xtask bench cli`: times our `qapi-gen` against QEMU's Python QAPI
//! generator on QEMU's main schema, for each task both can do, as a markdown
//! table for `docs/bench.md`.
//!
//! The tasks: `check` (parse and check) against QEMU's front end, and
//! `introspect` (parse, check, write the introspection data) against QEMU's
//! front end plus its introspection backend. Every program is timed as a whole
//! process (spawn to exit), alternating between them so that any drift in
//! machine load hits all equally.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{machine_description, min_and_median, speed_up};
use crate::{process, qemu_source};

/// Timed runs per tool when `--runs` is not given.
pub const DEFAULT_RUNS: usize = 20;

/// Untimed runs per tool before measuring, to warm caches.
const WARM_UP_RUNS: usize = 2;

/// The schema both tools process, relative to the QEMU source root.
const SCHEMA: &str = "qapi/qapi-schema.json";

/// What both tools are asked to do.
#[derive(Clone, Copy)]
enum Task {
    Check,
    Introspect,
}

impl Task {
    const ALL: [Task; 2] = [Task::Check, Task::Introspect];

    fn name(self) -> &'static str {
        match self {
            Task::Check => "check",
            Task::Introspect => "introspect",
        }
    }
}

/// One program doing one task.
struct Contender {
    /// Name shown in the table.
    label: String,
    /// Builds a fresh command for one run.
    command: Box<dyn Fn() -> Command>,
    /// Wall-clock time of each timed run.
    times: Vec<Duration>,
}

/// Times both tools on every task and returns the report section's body.
pub fn run(runs: usize) -> Result<String, String> {
    let qemu = qemu_source::ensure()?;
    let cli = process::build_cli()?;
    let scratch = std::env::temp_dir().join(format!("qapi-bench-{}", std::process::id()));
    fs::create_dir_all(&scratch)
        .map_err(|err| format!("cannot create {}: {err}", scratch.display()))?;

    // Pairs of (ours, QEMU's) per task.
    let mut pairs: Vec<[Contender; 2]> = Task::ALL
        .iter()
        .map(|&task| {
            [
                ours(task, &cli, &qemu, &scratch),
                python(task, &qemu, &scratch),
            ]
        })
        .collect();
    for contender in pairs.iter().flatten() {
        for _ in 0..WARM_UP_RUNS {
            warm_up(contender)?;
        }
    }
    eprintln!("xtask: timing {runs} interleaved runs of each tool on {SCHEMA}");
    for _ in 0..runs {
        for contender in pairs.iter_mut().flatten() {
            let elapsed = time_once(contender)?;
            contender.times.push(elapsed);
        }
    }
    let _ = fs::remove_dir_all(&scratch);

    Ok(format!(
        "- schema: `{SCHEMA}` from QEMU {}\n\
         - runs: {runs} per tool, interleaved, after {WARM_UP_RUNS} warm-up runs each; \
         whole-process wall time\n\
         - machine: {}\n\n{}",
        qemu_source::QEMU_VERSION,
        machine_description(),
        table(&pairs),
    ))
}

/// `qapi-gen` doing `task`.
fn ours(task: Task, cli: &Path, qemu: &Path, scratch: &Path) -> Contender {
    let (cli, qemu, output) = (cli.to_owned(), qemu.to_owned(), scratch.join("ours.json"));
    Contender {
        label: format!("`qapi-gen {}`", task.name()),
        command: Box::new(move || {
            let mut command = Command::new(&cli);
            command.args([task.name(), SCHEMA]).current_dir(&qemu);
            if let Task::Introspect = task {
                command.arg("-o").arg(&output);
            }
            command
        }),
        times: Vec::new(),
    }
}

/// QEMU's Python doing `task`.
fn python(task: Task, qemu: &Path, scratch: &Path) -> Contender {
    let script = python_script(&qemu.join("scripts"), task);
    let (qemu, output): (PathBuf, PathBuf) = (qemu.to_owned(), scratch.to_owned());
    Contender {
        label: format!("QEMU `scripts/qapi` ({})", python_version()),
        command: Box::new(move || {
            let mut command = Command::new("python3");
            command
                .args(["-c", &script, SCHEMA])
                .arg(&output)
                .current_dir(&qemu);
            command
        }),
        times: Vec::new(),
    }
}

/// The Python program that does `task` with QEMU's own generator: load (parse
/// and check) the schema, and for `introspect` write the introspection C files
/// into the directory named by the second argument.
fn python_script(scripts_dir: &Path, task: Task) -> String {
    // Escape the directory for use inside a single-quoted Python literal.
    let dir = scripts_dir
        .display()
        .to_string()
        .replace('\\', "\\\\")
        .replace('\'', "\\'");
    let load = format!(
        "import sys; sys.path.insert(0, '{dir}'); \
         from qapi.schema import QAPISchema; schema = QAPISchema(sys.argv[1])"
    );
    match task {
        Task::Check => load,
        Task::Introspect => format!(
            "{load}; from qapi.introspect import gen_introspect; \
             gen_introspect(schema, sys.argv[2], '', False)"
        ),
    }
}

/// Runs a contender once without timing it, making sure it succeeds.
fn warm_up(contender: &Contender) -> Result<(), String> {
    let mut command = (contender.command)();
    let run = process::run_captured(&mut command, Duration::from_secs(600))?;
    if run.status.is_some_and(|status| status.success()) {
        Ok(())
    } else {
        Err(format!(
            "{} failed during warm-up ({}):\n{}",
            contender.label,
            run.describe_end(),
            run.stderr.trim_end()
        ))
    }
}

/// Times one complete run, from spawning the process until it has exited.
fn time_once(contender: &Contender) -> Result<Duration, String> {
    let mut command = (contender.command)();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let status = command
        .spawn()
        .and_then(|mut child| child.wait())
        .map_err(|err| format!("cannot run {}: {err}", contender.label))?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("{} failed ({status})", contender.label));
    }
    Ok(elapsed)
}

/// The markdown table: one row per task, ours against QEMU's.
fn table(pairs: &[[Contender; 2]]) -> String {
    let ms = |time: Duration| format!("{:.1}", time.as_secs_f64() * 1000.0);
    let mut table = String::from(
        "| task | ours | min (ms) | median (ms) | QEMU's | min (ms) | median (ms) \
         | speed-up, min | speed-up, median |\n\
         | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n",
    );
    for (task, [ours, python]) in Task::ALL.iter().zip(pairs) {
        let (ours_min, ours_median) = min_and_median(&ours.times);
        let (python_min, python_median) = min_and_median(&python.times);
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            task.name(),
            ours.label,
            ms(ours_min),
            ms(ours_median),
            python.label,
            ms(python_min),
            ms(python_median),
            speed_up(python_min, ours_min),
            speed_up(python_median, ours_median),
        ));
    }
    table
}

/// `Python 3.x.y`, or just `Python 3` if the version cannot be read.
fn python_version() -> String {
    super::tool_version("python3", "--version").unwrap_or_else(|| "Python 3".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_the_scripts_directory_for_python() {
        let script = python_script(Path::new("/src/it's/scripts"), Task::Check);
        assert!(script.contains(r"sys.path.insert(0, '/src/it\'s/scripts')"));
        assert!(script.ends_with("QAPISchema(sys.argv[1])"));
        let script = python_script(Path::new("/src"), Task::Introspect);
        assert!(script.ends_with("gen_introspect(schema, sys.argv[2], '', False)"));
    }
}
