//! `cargo xtask`: developer chores for this workspace that need more than
//! `cargo` alone, namely fetching the QEMU sources we test against, running
//! QEMU's QAPI front-end test suite against our `qapi-gen` binary, capturing
//! live QEMU's replies, benchmarks against QEMU's own Python implementation
//! and against the `qapi-qmp` crate, regenerating checked-in bindings, and
//! regenerating the reference documentation of QEMU's schemas.
//!
//! Arguments are parsed by hand; the only dependencies are serde_json and the
//! QMP client of `qapi-tests`.

mod bench;
mod capture;
mod conformance;
mod docs;
mod fuzz;
mod process;
mod qemu_source;

use std::env;
use std::process::ExitCode;

/// Help text printed for `cargo xtask help` and after usage errors.
const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  fetch-qemu [--qemu X.Y]...
      Make sure the sources we need of the QEMU releases we test against
      (5.2, 7.2, 10.0, 10.2; default all) are unpacked in the cache
      directory and print their paths. QAPI_QEMU_SRC overrides the
      location of the 10.0 tree (the unpacked qemu-10.0.2 directory
      itself), QAPI_QEMU_SRC_5_2, _7_2 and _10_2 those of the others.

  conformance [--qemu X.Y]... [--verbose | -v] [CASE...]
      Build qapi-gen (release) and run each release's tests/qapi-schema
      cases and its three shipped schemas through `qapi-gen --qemu X.Y`,
      comparing introspection with that release's Python; then check that
      qapi-gen without --qemu accepts every case and schema some release
      accepts. --qemu limits the run to those releases (default all); CASE
      names (with or without .json) to those test cases.

  capture
      Start `qemu-system-x86_64 -machine none`, run every `query-*` command
      it answers without arguments and save the text of each reply's
      `return` value in target/bench/replies.json.

  bench [--runs N] [--rounds N] [--build-runs N] [--client-runs N] [SECTION...]
  bench --chart-only
      Run the benchmarks and record them in docs/bench.md, one section
      each, with their key figures in docs/bench.json and a chart of them
      in docs/bench.png; naming SECTIONs runs only those and keeps the
      others' results. --chart-only measures nothing and redraws the
      chart from docs/bench.json.
        cli     `qapi-gen check`, `introspect` and `rust` against QEMU's
                Python generator and qapi-rs's codegen, N interleaved runs
                each (--runs, default 20)
        scaling `qapi-gen check` and `introspect` on synthetic schemas 1x,
                10x and 100x the QMP schema, N runs each (--runs)
        decode  capture, then decode the replies with our types, qapi-qmp's
                and serde_json::Value, N interleaved rounds (--rounds,
                default 30), from the benches/decode workspace
        build   `cargo build --release` of our generated QMP module against
                the qapi-qmp crate, clean and with dependencies built, N
                runs each (--build-runs, default 3; slow: tens of minutes)
        edit    an incremental `cargo check` after an edit in crates holding
                the QMP module in several ways, N interleaved edits each
                (--runs)
        client  CPU time and round trips per second of qapi-client's QMP
                clients against qapi-rs's and Python's qemu.qmp (installed
                into a virtual environment in the cache directory), on
                live QEMU and on a server of ours, N interleaved runs each
                (--client-runs, default 20), from the benches/client
                workspace

  fuzz [--runs N] [TARGET...]
      Seed the cargo-fuzz targets in fuzz/ with real schemas, QMP examples
      and captured replies, run each for N executions (default 10000000;
      needs a nightly toolchain and cargo-fuzz) and record the runs in
      docs/fuzzing.md. TARGETs: front_end, qmp_request, qmp_event,
      qmp_return, qmp_server, qmp_client; default all.

  bindings
      Regenerate the bindings examples/coffee-machine checks in, running
      qapi-gen with the arguments in examples/coffee-machine/qapi-gen.args.

  docs
      Build qapi-gen (release) and regenerate the reference documentation
      of QEMU 10.0.2's QMP, guest-agent and storage-daemon schemas in
      target/doc-site: an HTML site, a man page and reST for each.

  help
      Show this message.
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `qapi-gen` from the workspace root with the arguments the coffee-machine example
/// records, one per line.
fn regenerate_bindings() -> Result<(), String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let recorded = root.join("examples/coffee-machine/qapi-gen.args");
    let arguments = std::fs::read_to_string(&recorded)
        .map_err(|error| format!("cannot read {}: {error}", recorded.display()))?;
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--release", "--bin", "qapi-gen", "--"])
        .args(arguments.lines())
        .current_dir(&root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("qapi-gen failed ({status})"))
    }
}

/// Runs the command named by the first argument.
fn dispatch(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return Err("no command given".to_owned());
    };
    match command.as_str() {
        "fetch-qemu" => {
            for release in parse_fetch_args(rest)? {
                let dir = qemu_source::ensure_release(release)?;
                println!("{}", dir.display());
            }
            Ok(())
        }
        "conformance" => conformance::run(&parse_conformance_args(rest)?),
        "capture" => {
            if let Some(extra) = rest.first() {
                return Err(usage_error(format!(
                    "capture takes no arguments, got `{extra}`"
                )));
            }
            capture::run().map(drop)
        }
        "bench" => bench::run(&parse_bench_args(rest)?),
        "fuzz" => fuzz::run(&parse_fuzz_args(rest)?),
        "bindings" => {
            if let Some(extra) = rest.first() {
                return Err(usage_error(format!(
                    "bindings takes no arguments, got `{extra}`"
                )));
            }
            regenerate_bindings()
        }
        "docs" => {
            if let Some(extra) = rest.first() {
                return Err(usage_error(format!(
                    "docs takes no arguments, got `{extra}`"
                )));
            }
            docs::run()
        }
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(usage_error(format!("unknown command `{other}`"))),
    }
}

/// Prints the usage text to stderr and returns `message` as the error.
fn usage_error(message: String) -> String {
    eprintln!("{USAGE}");
    message
}

/// The releases `fetch-qemu` is asked for: those named by `--qemu`, else all.
fn parse_fetch_args(args: &[String]) -> Result<Vec<&'static qemu_source::Release>, String> {
    let mut releases = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match split_flag(arg) {
            ("--qemu", inline) => push_release(&mut releases, inline, &mut iter)?,
            (other, _) => {
                return Err(usage_error(format!(
                    "unknown fetch-qemu argument `{other}`"
                )));
            }
        }
    }
    if releases.is_empty() {
        releases.extend(&qemu_source::RELEASES);
    }
    Ok(releases)
}

fn parse_conformance_args(args: &[String]) -> Result<conformance::Options, String> {
    let mut options = conformance::Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match split_flag(arg) {
            ("--qemu", inline) => push_release(&mut options.releases, inline, &mut iter)?,
            ("--verbose" | "-v", None) => options.verbose = true,
            (flag, _) if flag.starts_with('-') => {
                return Err(usage_error(format!("unknown conformance option `{flag}`")));
            }
            _ => options.cases.push(arg.clone()),
        }
    }
    if options.releases.is_empty() {
        options.releases.extend(&qemu_source::RELEASES);
    }
    Ok(options)
}

/// Adds the release `--qemu` names (`inline`, from `--qemu=X.Y`, else the next argument),
/// once, keeping the table's order.
fn push_release<'a>(
    releases: &mut Vec<&'static qemu_source::Release>,
    inline: Option<&'a str>,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<(), String> {
    let Some(name) = inline.or_else(|| rest.next().map(String::as_str)) else {
        return Err(usage_error(
            "--qemu needs a release, such as 10.0".to_owned(),
        ));
    };
    let release = qemu_source::release(name)?;
    if !releases.contains(&release) {
        releases.push(release);
        releases.sort_by_key(|known| {
            qemu_source::RELEASES
                .iter()
                .position(|release| release == *known)
        });
    }
    Ok(())
}

fn parse_bench_args(args: &[String]) -> Result<bench::Options, String> {
    let mut options = bench::Options {
        command: ["cargo xtask bench"]
            .into_iter()
            .chain(args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        ..bench::Options::default()
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = split_flag(arg);
        let target = match flag {
            "--runs" => &mut options.runs,
            "--rounds" => &mut options.rounds,
            "--build-runs" => &mut options.build_runs,
            "--client-runs" => &mut options.client_runs,
            "--chart-only" if inline.is_none() => {
                options.chart_only = true;
                continue;
            }
            other if other.starts_with('-') => {
                return Err(usage_error(format!("unknown bench argument `{other}`")));
            }
            name => {
                let section = bench::Section::ALL
                    .into_iter()
                    .find(|section| section.name() == name)
                    .ok_or_else(|| usage_error(format!("unknown bench section `{name}`")))?;
                if !options.sections.contains(&section) {
                    options.sections.push(section);
                }
                continue;
            }
        };
        *target = flag_number(flag, inline, &mut iter)?;
    }
    Ok(options)
}

/// Parses the arguments of `cargo xtask fuzz`.
fn parse_fuzz_args(args: &[String]) -> Result<fuzz::Options, String> {
    let mut options = fuzz::Options {
        runs: fuzz::DEFAULT_RUNS,
        targets: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match split_flag(arg) {
            ("--runs", inline) => options.runs = flag_number("--runs", inline, &mut iter)?,
            (flag, _) if flag.starts_with('-') => {
                return Err(usage_error(format!("unknown fuzz argument `{flag}`")));
            }
            _ => options.targets.push(arg.clone()),
        }
    }
    Ok(options)
}

/// `--flag=VALUE` as the flag and its value; any other argument as it is, with no value.
fn split_flag(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
        _ => (arg, None),
    }
}

/// The positive number `flag` takes: `inline` (from `--flag=N`), else the next argument.
fn flag_number<'a, T>(
    flag: &str,
    inline: Option<&'a str>,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + Default,
{
    let Some(value) = inline.or_else(|| rest.next().map(String::as_str)) else {
        return Err(usage_error(format!("{flag} needs a number")));
    };
    match value.parse::<T>() {
        Ok(number) if number > T::default() => Ok(number),
        _ => Err(format!("{flag} expects a positive number, got `{value}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    fn names(releases: &[&qemu_source::Release]) -> Vec<&'static str> {
        releases.iter().map(|release| release.name).collect()
    }

    #[test]
    fn conformance_arguments() {
        let options = parse_conformance_args(&strings(&["-v", "empty", "comments.json"])).unwrap();
        assert!(options.verbose);
        assert_eq!(options.cases, ["empty", "comments.json"]);
        assert_eq!(names(&options.releases), ["5.2", "7.2", "10.0", "10.2"]);
        assert!(parse_conformance_args(&strings(&["--bogus"])).is_err());

        let options = parse_conformance_args(&strings(&[
            "--qemu",
            "10.2",
            "--qemu=7.2",
            "--qemu",
            "10.2",
        ]))
        .unwrap();
        assert_eq!(names(&options.releases), ["7.2", "10.2"]);
        assert!(parse_conformance_args(&strings(&["--qemu", "6.0"])).is_err());
        assert!(parse_conformance_args(&strings(&["--qemu"])).is_err());
    }

    #[test]
    fn fetch_arguments() {
        assert_eq!(
            names(&parse_fetch_args(&[]).unwrap()),
            ["5.2", "7.2", "10.0", "10.2"]
        );
        assert_eq!(
            names(&parse_fetch_args(&strings(&["--qemu", "5.2"])).unwrap()),
            ["5.2"]
        );
        assert!(parse_fetch_args(&strings(&["extra"])).is_err());
    }

    #[test]
    fn bench_arguments() {
        let defaults = parse_bench_args(&[]).unwrap();
        assert_eq!(defaults.runs, bench::DEFAULT_RUNS);
        assert_eq!(defaults.rounds, bench::DEFAULT_ROUNDS);
        assert_eq!(defaults.build_runs, bench::DEFAULT_BUILD_RUNS);
        assert_eq!(defaults.client_runs, bench::DEFAULT_CLIENT_RUNS);
        assert!(defaults.sections.is_empty());
        assert!(!defaults.chart_only);
        assert!(
            parse_bench_args(&strings(&["--chart-only"]))
                .unwrap()
                .chart_only
        );
        assert_eq!(defaults.command, "cargo xtask bench");
        assert_eq!(
            parse_bench_args(&strings(&["--runs", "5"])).unwrap().runs,
            5
        );
        assert_eq!(parse_bench_args(&strings(&["--runs=7"])).unwrap().runs, 7);
        assert!(parse_bench_args(&strings(&["--runs"])).is_err());
        assert!(parse_bench_args(&strings(&["--runs", "0"])).is_err());
        assert!(parse_bench_args(&strings(&["--runs", "x"])).is_err());

        let options = parse_bench_args(&strings(&[
            "decode",
            "--rounds=9",
            "build",
            "--build-runs",
            "2",
        ]))
        .unwrap();
        assert_eq!(options.rounds, 9);
        assert_eq!(options.build_runs, 2);
        assert_eq!(
            options.sections,
            [bench::Section::Decode, bench::Section::Build]
        );
        assert_eq!(
            options.command,
            "cargo xtask bench decode --rounds=9 build --build-runs 2"
        );
        let options = parse_bench_args(&strings(&["client", "--client-runs", "3"])).unwrap();
        assert_eq!(options.client_runs, 3);
        assert_eq!(options.sections, [bench::Section::Client]);
        assert!(parse_bench_args(&strings(&["nonsense"])).is_err());
    }

    #[test]
    fn fuzz_arguments() {
        let options = parse_fuzz_args(&strings(&["qmp_event", "--runs=5", "front_end"])).unwrap();
        assert_eq!(options.runs, 5);
        assert_eq!(options.targets, ["qmp_event", "front_end"]);
        assert_eq!(parse_fuzz_args(&strings(&["--runs", "7"])).unwrap().runs, 7);
        assert_eq!(parse_fuzz_args(&[]).unwrap().runs, fuzz::DEFAULT_RUNS);
        assert!(parse_fuzz_args(&strings(&["--runs", "0"])).is_err());
        assert!(parse_fuzz_args(&strings(&["--runs"])).is_err());
        assert!(parse_fuzz_args(&strings(&["--bogus"])).is_err());
    }
}
