//! `cargo xtask bench build`: how long `cargo build --release` takes for our generated QMP
//! module against the `qapi-qmp` crate.
//!
//! Two scratch crates under `target/bench/build/`, each a workspace of its own with its own
//! target directory: `ours`, whose `src/lib.rs` is our module for QEMU 10.0.2's QMP schema
//! (depending on serde and serde_json), and `theirs`, an empty library that depends on
//! `qapi-qmp = "=0.15.0"` (whose build script generates its types from QEMU 9.1's schema).
//! Each is timed in two ways, interleaved: from an empty target directory (dependencies
//! included), and with the dependencies already built, after `cargo clean -p` of the crate
//! holding the types (the fairer comparison).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{machine_description, min_and_median, rustc_version, speed_up};
use crate::{process, qemu_source};

/// Longest a single cargo command may run.
const PATIENCE: Duration = Duration::from_secs(3600);

/// One scratch crate and its timings.
struct Scratch {
    /// Label in the table.
    label: &'static str,
    dir: PathBuf,
    /// Packages `cargo clean -p` removes for a rebuild with dependencies built.
    own_packages: &'static [&'static str],
    /// Builds from an empty target directory.
    clean: Vec<Duration>,
    /// Builds with the dependencies already built.
    rebuild: Vec<Duration>,
}

/// Sets up both crates, times `runs` builds of each per mode and returns the section's body.
pub fn run(runs: usize) -> Result<String, String> {
    let qemu = qemu_source::ensure()?;
    let cli = process::build_cli()?;
    let root = process::target_dir().join("bench").join("build");

    let ours_dir = root.join("ours");
    let lib = ours_dir.join("src").join("lib.rs");
    write_crate(
        &ours_dir,
        "qapi-bench-ours",
        "serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n",
        "",
    )?;
    let started = Instant::now();
    let mut generate = Command::new(&cli);
    generate
        .args(["rust", "qapi/qapi-schema.json", "-o"])
        .arg(&lib)
        .current_dir(&qemu);
    succeed(&mut generate, "qapi-gen rust")?;
    let generation = started.elapsed();
    let ours_source =
        fs::read_to_string(&lib).map_err(|err| format!("cannot read {}: {err}", lib.display()))?;

    let theirs_dir = root.join("theirs");
    write_crate(
        &theirs_dir,
        "qapi-bench-theirs",
        "qapi-qmp = \"=0.15.0\"\n",
        "//! Builds `qapi-qmp` and nothing else.\n\npub use qapi_qmp;\n",
    )?;

    let mut crates = [
        Scratch {
            label: "our module (QEMU 10.0.2)",
            dir: ours_dir,
            own_packages: &["qapi-bench-ours"],
            clean: Vec::new(),
            rebuild: Vec::new(),
        },
        Scratch {
            label: "`qapi-qmp` 0.15.0 (QEMU 9.1)",
            dir: theirs_dir,
            own_packages: &["qapi-bench-theirs", "qapi-qmp"],
            clean: Vec::new(),
            rebuild: Vec::new(),
        },
    ];
    for scratch in &crates {
        resolve(&scratch.dir)?;
        // An untimed build first: it proves the crate builds and warms the file cache.
        eprintln!("xtask: warm-up build of {}", scratch.dir.display());
        time_clean_build(&scratch.dir)?;
    }
    for round in 0..runs {
        eprintln!("xtask: build round {} of {runs}", round + 1);
        // Alternate which crate goes first.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for index in order {
            let scratch = &mut crates[index];
            let clean = time_clean_build(&scratch.dir)?;
            let rebuild = time_rebuild(&scratch.dir, scratch.own_packages)?;
            eprintln!(
                "xtask:   {}: clean {:.1} s, rebuild {:.1} s",
                scratch.label,
                clean.as_secs_f64(),
                rebuild.as_secs_f64()
            );
            scratch.clean.push(clean);
            scratch.rebuild.push(rebuild);
        }
    }

    let theirs_source = generated_by_qapi_qmp(&crates[1].dir);
    Ok(format!(
        "- crates: `target/bench/build/ours`, whose `src/lib.rs` is our module for QEMU \
         {}'s QMP schema ({}; written by `qapi-gen rust` in {:.2} s, not counted below), \
         depending on serde and serde_json; `target/bench/build/theirs`, an empty library \
         depending on `qapi-qmp = \"=0.15.0\"`, whose build script generates its types from \
         QEMU 9.1's schema ({}) during the build\n\
         - modes: clean = empty target directory, dependencies included; deps built = after \
         a full build, `cargo clean --release -p` of `qapi-bench-ours`, or of \
         `qapi-bench-theirs` and `qapi-qmp`, so only the crate with the types (and for \
         `qapi-qmp` its build script) is rebuilt\n\
         - runs: {runs} per crate and mode, interleaved, after one untimed build each; \
         `cargo build --release --frozen` wall time, default release profile, {}\n\
         - machine: {}\n\n{}",
        qemu_source::QEMU_VERSION,
        size(&ours_source),
        generation.as_secs_f64(),
        theirs_source
            .as_deref()
            .map_or("size unknown".to_owned(), size),
        rustc_version(),
        machine_description(),
        table(&crates),
    ))
}

/// Writes a crate manifest (a workspace of its own) and `src/lib.rs` (unless `lib` is empty,
/// in which case the caller writes it).
fn write_crate(dir: &Path, name: &str, dependencies: &str, lib: &str) -> Result<(), String> {
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(|err| format!("cannot create {}: {err}", src.display()))?;
    let manifest = format!(
        "# Scratch crate of `cargo xtask bench build`.\n\
         [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{dependencies}\n\
         [workspace]\n"
    );
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    if !lib.is_empty() {
        write(src.join("lib.rs"), lib)?;
    }
    Ok(())
}

/// A cargo command run in `dir` with the crate's own target directory.
fn cargo(dir: &Path, args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"));
    command
}

/// Writes the lock file, offline when the registry cache has every dependency, and downloads
/// whatever is missing, so that the timed builds can run with `--frozen`.
fn resolve(dir: &Path) -> Result<(), String> {
    if succeed(
        &mut cargo(dir, &["generate-lockfile", "--offline"]),
        "cargo generate-lockfile --offline",
    )
    .is_err()
    {
        eprintln!("xtask: not everything is cached; resolving online");
        succeed(
            &mut cargo(dir, &["generate-lockfile"]),
            "cargo generate-lockfile",
        )?;
    }
    succeed(&mut cargo(dir, &["fetch", "--locked"]), "cargo fetch")
}

/// Removes the target directory, then times a release build.
fn time_clean_build(dir: &Path) -> Result<Duration, String> {
    let target = dir.join("target");
    if target.exists() {
        fs::remove_dir_all(&target)
            .map_err(|err| format!("cannot remove {}: {err}", target.display()))?;
    }
    time_build(dir)
}

/// Cleans `packages` from an already built target directory, then times a release build.
fn time_rebuild(dir: &Path, packages: &[&str]) -> Result<Duration, String> {
    let mut args = vec!["clean", "--release", "--frozen"];
    for package in packages {
        args.extend(["-p", package]);
    }
    succeed(&mut cargo(dir, &args), "cargo clean -p")?;
    time_build(dir)
}

fn time_build(dir: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    succeed(
        &mut cargo(dir, &["build", "--release", "--frozen"]),
        "cargo build --release",
    )?;
    Ok(started.elapsed())
}

/// Runs `command` to completion, failing with its stderr unless it succeeds.
fn succeed(command: &mut Command, what: &str) -> Result<(), String> {
    let run = process::run_captured(command, PATIENCE)?;
    if run.status.is_some_and(|status| status.success()) {
        Ok(())
    } else {
        Err(format!(
            "`{what}` failed ({}):\n{}",
            run.describe_end(),
            run.stderr.trim_end()
        ))
    }
}

/// The `qmp.rs` that `qapi-qmp`'s build script wrote into the scratch crate's target.
fn generated_by_qapi_qmp(dir: &Path) -> Option<String> {
    let build = dir.join("target").join("release").join("build");
    fs::read_dir(build)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("qapi-qmp-"))
        .find_map(|entry| fs::read_to_string(entry.path().join("out").join("qmp.rs")).ok())
}

/// `1.2 MB, 34567 lines`.
fn size(source: &str) -> String {
    format!(
        "{:.1} MB, {} lines",
        source.len() as f64 / 1e6,
        source.lines().count()
    )
}

/// The markdown table: one row per mode, ours against qapi-qmp.
fn table(crates: &[Scratch; 2]) -> String {
    let s = |time: Duration| format!("{:.1}", time.as_secs_f64());
    let [ours, theirs] = crates;
    let mut table = String::from(
        "| build | ours | min (s) | median (s) | peer | min (s) | median (s) \
         | speed-up, min | speed-up, median |\n\
         | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n",
    );
    let modes = [
        ("clean", &ours.clean, &theirs.clean),
        ("deps built", &ours.rebuild, &theirs.rebuild),
    ];
    for (mode, ours_times, theirs_times) in modes {
        let (ours_min, ours_median) = min_and_median(ours_times);
        let (theirs_min, theirs_median) = min_and_median(theirs_times);
        table.push_str(&format!(
            "| {mode} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            ours.label,
            s(ours_min),
            s(ours_median),
            theirs.label,
            s(theirs_min),
            s(theirs_median),
            speed_up(theirs_min, ours_min),
            speed_up(theirs_median, ours_median),
        ));
    }
    table
}
