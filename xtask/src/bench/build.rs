//! `cargo xtask bench build`: how long `cargo build --release` takes for crates holding our
//! generated QMP types (the whole schema, 10 commands kept, through `include_qapi!`) against
//! one holding the `qapi-qmp` crate.
//!
//! Each scratch crate under `target/bench/build/` is a workspace of its own with its own
//! target directory. Each is timed in two ways, interleaved: from an empty target directory
//! (dependencies included), and with the dependencies already built, after `cargo clean -p`
//! of the crate holding the types (the fairer comparison).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Measured, machine_description, min_and_median, rustc_version};
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

impl Scratch {
    fn new(label: &'static str, dir: PathBuf, own_packages: &'static [&'static str]) -> Scratch {
        Scratch {
            label,
            dir,
            own_packages,
            clean: Vec::new(),
            rebuild: Vec::new(),
        }
    }
}

/// The commands a small client keeps in the `keep` row: start-up, state, stop and go, and a
/// look at the block devices.
pub(super) const KEPT_COMMANDS: [&str; 10] = [
    "qmp_capabilities",
    "query-version",
    "query-status",
    "stop",
    "cont",
    "system_powerdown",
    "quit",
    "query-block",
    "query-cpus-fast",
    "device_del",
];

/// What a crate holding our module depends on: serde without its `derive` feature, since
/// the module writes out every serde implementation.
pub(super) const SERDE: &str = "serde = \"1\"\nserde_json = \"1\"\n";

/// Sets up the crates, times `runs` builds of each per mode and returns the section's body.
pub fn run(runs: usize) -> Result<Measured, String> {
    let qemu = qemu_source::ensure()?;
    let cli = process::build_cli()?;
    let root = process::target_dir().join("bench").join("build");
    let schema = qemu.join("qapi").join("qapi-schema.json");

    let ours_dir = root.join("ours");
    write_crate(&ours_dir, "qapi-bench-ours", SERDE, "")?;
    let started = Instant::now();
    generate(&cli, &qemu, &ours_dir, &[])?;
    let generation = started.elapsed();
    let ours_source = read(&ours_dir.join("src").join("lib.rs"))?;

    let kept_dir = root.join("kept");
    write_crate(&kept_dir, "qapi-bench-kept", SERDE, "")?;
    let keep: Vec<&str> = KEPT_COMMANDS
        .iter()
        .flat_map(|name| ["--keep", name])
        .collect();
    generate(&cli, &qemu, &kept_dir, &keep)?;
    let kept_source = read(&kept_dir.join("src").join("lib.rs"))?;

    let macro_dir = root.join("macro");
    let macros = process::workspace_root().join("qapi-macros");
    write_crate(
        &macro_dir,
        "qapi-bench-macro",
        &format!(
            "{SERDE}qapi-macros = {{ path = {:?} }}\n",
            macros.display().to_string()
        ),
        &format!(
            "//! The QMP schema through `include_qapi!`.\n\n\
             #![allow(missing_docs)]\n\n\
             pub mod qmp {{\n    qapi_macros::include_qapi!({:?});\n}}\n",
            schema.display().to_string()
        ),
    )?;

    let theirs_dir = root.join("theirs");
    write_crate(
        &theirs_dir,
        "qapi-bench-theirs",
        "qapi-qmp = \"=0.15.0\"\n",
        "//! Builds `qapi-qmp` and nothing else.\n\npub use qapi_qmp;\n",
    )?;

    let mut crates = [
        Scratch::new("our module (QEMU 10.0.2)", ours_dir, &["qapi-bench-ours"]),
        Scratch::new(
            "our module, 10 commands kept",
            kept_dir,
            &["qapi-bench-kept"],
        ),
        Scratch::new(
            "our module through `include_qapi!`",
            macro_dir,
            &["qapi-bench-macro"],
        ),
        Scratch::new(
            "`qapi-qmp` 0.15.0 (QEMU 9.1)",
            theirs_dir,
            &["qapi-bench-theirs", "qapi-qmp"],
        ),
    ];
    for scratch in &crates {
        resolve(&scratch.dir)?;
        // An untimed build first: it proves the crate builds and warms the file cache.
        eprintln!("xtask: warm-up build of {}", scratch.dir.display());
        time_clean_build(&scratch.dir)?;
    }
    for round in 0..runs {
        eprintln!("xtask: build round {} of {runs}", round + 1);
        // Rotate which crate goes first.
        for offset in 0..crates.len() {
            let scratch = &mut crates[(round + offset) % crates.len()];
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

    let theirs_source = generated_by_qapi_qmp(&crates[3].dir);
    let clean_median = |scratch: &Scratch| min_and_median(&scratch.clean).1.as_secs_f64();
    let data = json!({ "figures": [{
        "label": "clean release build, ours vs. qapi-qmp",
        "speed_up": clean_median(&crates[3]) / clean_median(&crates[0]),
        "goal": 2.0,
    }]});
    let body = format!(
        "- crates, each a workspace of its own under `target/bench/build/`: `ours`, whose \
         `src/lib.rs` is our module for QEMU {}'s QMP schema ({}; written by `qapi-gen rust` \
         in {:.2} s, not counted below); `kept`, the same with `--keep` for {} ({}); \
         `macro`, the whole schema through `include_qapi!` (so its build runs the macro, \
         compiled with the default release profile); `theirs`, an empty library depending \
         on `qapi-qmp = \"=0.15.0\"`, whose build script generates its types from QEMU 9.1's \
         schema ({}) during the build. All but `theirs` depend on serde, without its \
         `derive` feature, and serde_json.\n\
         - modes: clean = empty target directory, dependencies included (for `macro` that \
         includes building the macro itself); deps built = after a full build, `cargo clean \
         --release -p` of the crate with the types (for `qapi-qmp` also the wrapper), so \
         only it (and for `qapi-qmp` its build script) is rebuilt\n\
         - runs: {runs} per crate and mode, interleaved, after one untimed build each; \
         `cargo build --release --frozen` wall time, {}\n\
         - machine: {}\n\n{}",
        qemu_source::QEMU_VERSION,
        size(&ours_source),
        generation.as_secs_f64(),
        KEPT_COMMANDS.map(|name| format!("`{name}`")).join(", "),
        size(&kept_source),
        theirs_source
            .as_deref()
            .map_or("size unknown".to_owned(), size),
        rustc_version(),
        machine_description(),
        table(&crates),
    );
    Ok(Measured { body, data })
}

/// Runs `qapi-gen rust` on QEMU's QMP schema with `options`, into the crate at `dir`.
pub(super) fn generate(
    cli: &Path,
    qemu: &Path,
    dir: &Path,
    options: &[&str],
) -> Result<(), String> {
    let mut generate = Command::new(cli);
    generate
        .args(["rust", "qapi/qapi-schema.json"])
        .args(options)
        .arg("-o")
        .arg(dir.join("src").join("lib.rs"))
        .current_dir(qemu);
    succeed(&mut generate, "qapi-gen rust")
}

pub(super) fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

/// Writes a crate manifest (a workspace of its own) and `src/lib.rs` (unless `lib` is empty,
/// in which case the caller writes it).
pub(super) fn write_crate(
    dir: &Path,
    name: &str,
    dependencies: &str,
    lib: &str,
) -> Result<(), String> {
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
pub(super) fn cargo(dir: &Path, args: &[&str]) -> Command {
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
pub(super) fn resolve(dir: &Path) -> Result<(), String> {
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
pub(super) fn succeed(command: &mut Command, what: &str) -> Result<(), String> {
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
pub(super) fn size(source: &str) -> String {
    format!(
        "{:.1} MB, {} lines",
        source.len() as f64 / 1e6,
        source.lines().count()
    )
}

/// The markdown table: one row per crate, its times and how they compare with qapi-qmp's
/// (the last crate).
fn table(crates: &[Scratch]) -> String {
    let s = |time: Duration| format!("{:.1}", time.as_secs_f64());
    let (theirs, ours) = crates.split_last().expect("the peer is the last crate");
    let (theirs_clean, theirs_rebuild) = (
        min_and_median(&theirs.clean).1,
        min_and_median(&theirs.rebuild).1,
    );
    let ratio = |ours: Duration, theirs: Duration| {
        format!("{:.2}×", ours.as_secs_f64() / theirs.as_secs_f64())
    };
    let mut table = String::from(
        "| crate | clean min (s) | clean median (s) | deps built min (s) \
         | deps built median (s) | clean, median vs `qapi-qmp` \
         | deps built, median vs `qapi-qmp` |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for scratch in ours.iter().chain([theirs]) {
        let (clean_min, clean_median) = min_and_median(&scratch.clean);
        let (rebuild_min, rebuild_median) = min_and_median(&scratch.rebuild);
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            scratch.label,
            s(clean_min),
            s(clean_median),
            s(rebuild_min),
            s(rebuild_median),
            ratio(clean_median, theirs_clean),
            ratio(rebuild_median, theirs_rebuild),
        ));
    }
    table
}
