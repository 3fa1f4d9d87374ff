//! Introspection conformance: `qapi-gen introspect` against QEMU's own introspection
//! visitor, run by Python from the fetched source tree of the same release
//! (`introspect_oracle.py`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::QapiGen;
use crate::process;

/// One comparison: a schema rendered one way.
pub struct Job {
    /// What the report calls it.
    pub label: String,
    /// The root schema file.
    pub schema: PathBuf,
    /// Real type names instead of numbers.
    pub unmask: bool,
    /// A file of condition symbols; `None` keeps every item.
    pub symbols: Option<PathBuf>,
}

/// The outcome of one job: `Ok` when identical, else what differs.
pub struct Outcome {
    pub label: String,
    pub result: Result<(), String>,
}

/// How long the Python side may take for all jobs together.
const PYTHON_TIME_LIMIT: Duration = Duration::from_secs(600);

/// Runs every job through `qapi-gen introspect`, then lets QEMU's Python judge them all in
/// one process.
pub fn compare(cli: QapiGen, qemu: &Path, jobs: &[Job]) -> Result<Vec<Outcome>, String> {
    let scratch = std::env::temp_dir().join(format!("qapi-conformance-{}", std::process::id()));
    fs::create_dir_all(&scratch)
        .map_err(|err| format!("cannot create {}: {err}", scratch.display()))?;
    let result = compare_in(cli, qemu, jobs, &scratch);
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn compare_in(
    cli: QapiGen,
    qemu: &Path,
    jobs: &[Job],
    scratch: &Path,
) -> Result<Vec<Outcome>, String> {
    let mut manifest = String::new();
    let mut failed_runs = Vec::new();
    for (index, job) in jobs.iter().enumerate() {
        let ours = scratch.join(format!("{index}.json"));
        let mut command = cli.command("introspect");
        command.arg(&job.schema).arg("-o").arg(&ours);
        if job.unmask {
            command.arg("--unmask");
        }
        if let Some(symbols) = &job.symbols {
            command.arg("--cfg-file").arg(symbols);
        }
        let run = process::run_captured(&mut command, Duration::from_secs(30))?;
        if !run.status.is_some_and(|status| status.success()) {
            failed_runs.push((index, run.describe_end()));
            continue;
        }
        let symbols = job.symbols.as_deref().map(Path::display);
        let _ = writeln!(
            manifest,
            "{}\t{}\t{}\t{}",
            job.schema.display(),
            u8::from(job.unmask),
            symbols.map(|path| path.to_string()).unwrap_or_default(),
            ours.display()
        );
    }

    let manifest_path = scratch.join("jobs.tsv");
    fs::write(&manifest_path, &manifest)
        .map_err(|err| format!("cannot write {}: {err}", manifest_path.display()))?;
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/conformance/introspect_oracle.py");
    let python = process::run_captured(
        Command::new("python3")
            .arg(oracle)
            .arg(qemu.join("scripts"))
            .arg(&manifest_path),
        PYTHON_TIME_LIMIT,
    )?;
    if !python.status.is_some_and(|status| status.success()) {
        return Err(format!(
            "the introspection oracle failed: {}\n{}",
            python.describe_end(),
            python.stderr
        ));
    }

    let mut verdicts = python.stdout.lines();
    let outcomes = jobs
        .iter()
        .enumerate()
        .map(|(index, job)| {
            let result = match failed_runs.iter().find(|(failed, _)| *failed == index) {
                Some((_, why)) => Err(format!("qapi-gen introspect failed: {why}")),
                None => match verdicts.next() {
                    Some("ok") => Ok(()),
                    Some(other) => Err(other.to_owned()),
                    None => Err("the oracle gave no verdict".to_owned()),
                },
            };
            Outcome {
                label: job.label.clone(),
                result,
            }
        })
        .collect();
    Ok(outcomes)
}
