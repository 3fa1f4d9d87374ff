//! `cargo xtask bench cli`: times `qapi-gen check`, `introspect` and `rust` on QEMU's QMP
//! schema against the programs that do the same work elsewhere, as a markdown table for
//! `docs/bench.md`.
//!
//! The peers: QEMU's Python front end alone (parse and check), its front end with the
//! introspection backend, its whole `qapi-gen.py` (every C backend), and qapi-rs's code
//! generator (`qapi-codegen` 0.11.3, built from `benches/qapi-rs-codegen`), which reads the
//! schema without checking it. Every program is timed as a whole process, spawn to exit,
//! taking turns so that drift in machine load hits all alike.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use super::{Measured, machine_description, min_and_median, speed_up, time_command};
use crate::{process, qemu_source};

/// Timed runs per program when `--runs` is not given.
pub const DEFAULT_RUNS: usize = 20;

/// Untimed runs per program before measuring, to warm caches.
const WARM_UP_RUNS: usize = 2;

/// The schema every program processes, relative to the QEMU source root.
const SCHEMA: &str = "qapi/qapi-schema.json";

/// The programs timed, as indices into the list `run` builds.
const OURS_CHECK: usize = 0;
const OURS_INTROSPECT: usize = 1;
const OURS_RUST: usize = 2;
const PYTHON_CHECK: usize = 3;
const PYTHON_INTROSPECT: usize = 4;
const PYTHON_ALL: usize = 5;
const QAPI_RS: usize = 6;
const OURS_RUST_COMPACT: usize = 7;

/// The comparisons reported: ours, the peer, and the speed-up the project aims for (`None`
/// where there is no goal, only a like-for-like figure).
const COMPARISONS: [(usize, usize, Option<f64>); 7] = [
    (OURS_CHECK, PYTHON_CHECK, Some(50.0)),
    (OURS_INTROSPECT, PYTHON_ALL, Some(20.0)),
    (OURS_RUST, PYTHON_ALL, Some(20.0)),
    (OURS_INTROSPECT, QAPI_RS, Some(1.0)),
    (OURS_RUST, QAPI_RS, Some(1.0)),
    // What build scripts write: within 3× the time of qapi-rs's generator.
    (OURS_RUST_COMPACT, QAPI_RS, Some(1.0 / 3.0)),
    (OURS_INTROSPECT, PYTHON_INTROSPECT, None),
];

/// One program doing one task.
struct Contender {
    /// Name shown in the table.
    label: String,
    /// Builds a fresh command for one run.
    command: Box<dyn Fn() -> Command>,
    /// Wall-clock time of each timed run.
    times: Vec<Duration>,
}

impl Contender {
    fn new(label: String, command: impl Fn() -> Command + 'static) -> Contender {
        Contender {
            label,
            command: Box::new(command),
            times: Vec::new(),
        }
    }
}

/// Times every program and returns the report section.
pub fn run(runs: usize) -> Result<Measured, String> {
    let qemu = qemu_source::ensure()?;
    let cli = process::build_cli()?;
    let qapi_rs = build_qapi_rs()?;
    let scratch = std::env::temp_dir().join(format!("qapi-bench-{}", std::process::id()));
    fs::create_dir_all(scratch.join("c"))
        .map_err(|err| format!("cannot create {}: {err}", scratch.display()))?;

    let ours_with = |task: &'static str, flags: &'static [&'static str], output: Option<&str>| {
        let (cli, qemu, output) = (cli.clone(), qemu.clone(), output.map(|o| scratch.join(o)));
        let label = [task]
            .iter()
            .chain(flags)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        Contender::new(format!("`qapi-gen {label}`"), move || {
            let mut command = Command::new(&cli);
            command.args([task, SCHEMA]).args(flags).current_dir(&qemu);
            if let Some(output) = &output {
                command.arg("-o").arg(output);
            }
            command
        })
    };
    let ours = |task: &'static str, output: Option<&str>| ours_with(task, &[], output);
    let python = |label: &str, args: Vec<String>| {
        let qemu = qemu.clone();
        Contender::new(format!("{label} ({})", python_version()), move || {
            let mut command = Command::new("python3");
            command.args(&args).current_dir(&qemu);
            command
        })
    };
    let scripts = qemu.join("scripts");
    let out = |name: &str| scratch.join(name).display().to_string();
    let mut contenders = vec![
        ours("check", None),
        ours("introspect", Some("ours.json")),
        ours("rust", Some("ours.rs")),
        python(
            "QEMU's front end",
            vec!["-c".into(), python_script(&scripts, false), SCHEMA.into()],
        ),
        python(
            "QEMU's front end + introspection backend",
            vec![
                "-c".into(),
                python_script(&scripts, true),
                SCHEMA.into(),
                out("."),
            ],
        ),
        python(
            "QEMU's `qapi-gen.py`, all C backends",
            vec![
                "scripts/qapi-gen.py".into(),
                "-o".into(),
                out("c"),
                SCHEMA.into(),
            ],
        ),
        {
            let (qemu, output) = (qemu.clone(), scratch.join("qapi-rs.rs"));
            Contender::new(
                "qapi-rs codegen (`qapi-codegen` 0.11.3)".into(),
                move || {
                    let mut command = Command::new(&qapi_rs);
                    command.arg(qemu.join("qapi")).arg(&output);
                    command
                },
            )
        },
        ours_with("rust", &["--layout", "compact"], Some("compact.rs")),
    ];
    for contender in &contenders {
        for _ in 0..WARM_UP_RUNS {
            time_command(&mut (contender.command)(), &contender.label)?;
        }
    }
    eprintln!("xtask: timing {runs} interleaved runs of each program on {SCHEMA}");
    for _ in 0..runs {
        for contender in &mut contenders {
            let elapsed = time_command(&mut (contender.command)(), &contender.label)?;
            contender.times.push(elapsed);
        }
    }
    let _ = fs::remove_dir_all(&scratch);

    let body = format!(
        "- schema: `{SCHEMA}` from QEMU {}\n\
         - `qapi-gen rust` writes the whole module with its default options (types, commands, \
         events, server trait, introspection data, rustdoc), formatted by prettyplease; with \
         `--layout compact` it writes the same module an item per line, unformatted, which \
         is what the build.rs `Builder` writes by default; qapi-rs's generator writes types, commands and events without checking the schema\n\
         - runs: {runs} per program, interleaved, after {WARM_UP_RUNS} warm-up runs each; \
         whole-process wall time\n\
         - machine: {}\n\n{}",
        qemu_source::QEMU_VERSION,
        machine_description(),
        table(&contenders),
    );
    let figures: Vec<_> = COMPARISONS
        .iter()
        .filter_map(|&(ours, peer, goal)| {
            let goal = goal?;
            let label = format!(
                "{} vs. {}",
                contenders[ours].label.trim_matches('`'),
                short_label(peer)
            );
            Some(json!({
                "label": label,
                "speed_up": median_speed_up(&contenders[peer], &contenders[ours]),
                "goal": goal,
            }))
        })
        .collect();
    Ok(Measured {
        body,
        data: json!({ "figures": figures }),
    })
}

/// The name of a peer on the chart, where space is short.
fn short_label(peer: usize) -> &'static str {
    match peer {
        PYTHON_CHECK => "QEMU's Python front end",
        PYTHON_ALL => "qapi-gen.py",
        QAPI_RS => "qapi-rs codegen",
        _ => "QEMU's Python",
    }
}

/// The median time of `slow` over that of `fast`.
fn median_speed_up(slow: &Contender, fast: &Contender) -> f64 {
    min_and_median(&slow.times).1.as_secs_f64() / min_and_median(&fast.times).1.as_secs_f64()
}

/// Builds qapi-rs's code generator as a program (`benches/qapi-rs-codegen`) and returns its
/// path.
fn build_qapi_rs() -> Result<PathBuf, String> {
    let dir = process::workspace_root().join("benches/qapi-rs-codegen");
    eprintln!("xtask: building {}", dir.display());
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .current_dir(&dir)
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !status.success() {
        return Err(format!("building {} failed ({status})", dir.display()));
    }
    Ok(dir.join("target/release/qapi-rs-codegen-bench"))
}

/// The Python program that runs QEMU's front end on the schema named by its first argument
/// and, with `introspect`, its introspection backend into the directory named by the second.
fn python_script(scripts_dir: &Path, introspect: bool) -> String {
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
    if introspect {
        format!(
            "{load}; from qapi.introspect import gen_introspect; \
             gen_introspect(schema, sys.argv[2], '', False)"
        )
    } else {
        load
    }
}

/// The markdown table: one row per comparison.
fn table(contenders: &[Contender]) -> String {
    let ms = |time: Duration| format!("{:.1}", time.as_secs_f64() * 1000.0);
    let mut table = String::from(
        "| ours | min / median (ms) | peer | min / median (ms) \
         | speed-up, min / median | goal |\n\
         | --- | ---: | --- | ---: | ---: | --- |\n",
    );
    for (ours, peer, goal) in COMPARISONS {
        let (ours, peer) = (&contenders[ours], &contenders[peer]);
        let (ours_min, ours_median) = min_and_median(&ours.times);
        let (peer_min, peer_median) = min_and_median(&peer.times);
        let goal = match goal {
            Some(goal) => {
                let met = median_speed_up(peer, ours) >= goal;
                let goal = if goal.fract() == 0.0 {
                    format!("{goal}")
                } else {
                    format!("{goal:.2}")
                };
                format!("≥ {goal}×: {}", if met { "met" } else { "missed" })
            }
            None => "—".to_owned(),
        };
        table.push_str(&format!(
            "| {} | {} / {} | {} | {} / {} | {} / {} | {goal} |\n",
            ours.label,
            ms(ours_min),
            ms(ours_median),
            peer.label,
            ms(peer_min),
            ms(peer_median),
            speed_up(peer_min, ours_min),
            speed_up(peer_median, ours_median),
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
        let script = python_script(Path::new("/src/it's/scripts"), false);
        assert!(script.contains(r"sys.path.insert(0, '/src/it\'s/scripts')"));
        assert!(script.ends_with("QAPISchema(sys.argv[1])"));
        let script = python_script(Path::new("/src"), true);
        assert!(script.ends_with("gen_introspect(schema, sys.argv[2], '', False)"));
    }
}
