//! `cargo xtask`: developer chores for this workspace that need more than
//! `cargo` alone, namely fetching the QEMU sources we test against, running
//! QEMU's QAPI front-end test suite against our `qapi-gen` binary, and timing
//! `qapi-gen` against QEMU's own Python implementation.
//!
//! Arguments are parsed by hand to keep the crate free of dependencies.

mod bench;
mod conformance;
mod process;
mod qemu_source;

use std::env;
use std::process::ExitCode;

/// Help text printed for `cargo xtask help` and after usage errors.
const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  fetch-qemu
      Make sure the QEMU 10.0.2 sources we need are unpacked in the cache
      directory and print its path. The location can be overridden with
      QAPI_QEMU_SRC (the unpacked qemu-10.0.2 directory itself).

  conformance [--verbose | -v] [CASE...]
      Build qapi-gen (release) and run QEMU's tests/qapi-schema cases plus
      the three shipped QEMU schemas through it. CASE names (with or
      without .json) limit the run to those test cases.

  bench [--runs N]
      Time `qapi-gen check qapi/qapi-schema.json` against QEMU's Python
      front end, N interleaved runs each (default 20), print a markdown
      table and write it to docs/bench.md.

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

/// Runs the command named by the first argument.
fn dispatch(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return Err("no command given".to_owned());
    };
    match command.as_str() {
        "fetch-qemu" => {
            if let Some(extra) = rest.first() {
                return Err(usage_error(format!(
                    "fetch-qemu takes no arguments, got `{extra}`"
                )));
            }
            let dir = qemu_source::ensure()?;
            println!("{}", dir.display());
            Ok(())
        }
        "conformance" => conformance::run(&parse_conformance_args(rest)?),
        "bench" => bench::run(&parse_bench_args(rest)?),
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

fn parse_conformance_args(args: &[String]) -> Result<conformance::Options, String> {
    let mut options = conformance::Options::default();
    for arg in args {
        match arg.as_str() {
            "--verbose" | "-v" => options.verbose = true,
            flag if flag.starts_with('-') => {
                return Err(usage_error(format!("unknown conformance option `{flag}`")));
            }
            case => options.cases.push(case.to_owned()),
        }
    }
    Ok(options)
}

fn parse_bench_args(args: &[String]) -> Result<bench::Options, String> {
    let mut options = bench::Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = match arg.as_str() {
            "--runs" => iter.next().map(String::as_str),
            other => match other.strip_prefix("--runs=") {
                Some(value) => Some(value),
                None => return Err(usage_error(format!("unknown bench argument `{other}`"))),
            },
        };
        let Some(value) = value else {
            return Err(usage_error("--runs needs a number".to_owned()));
        };
        options.runs = match value.parse() {
            Ok(runs) if runs > 0 => runs,
            _ => return Err(format!("--runs expects a positive number, got `{value}`")),
        };
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn conformance_arguments() {
        let options = parse_conformance_args(&strings(&["-v", "empty", "comments.json"])).unwrap();
        assert!(options.verbose);
        assert_eq!(options.cases, ["empty", "comments.json"]);
        assert!(parse_conformance_args(&strings(&["--bogus"])).is_err());
    }

    #[test]
    fn bench_arguments() {
        assert_eq!(parse_bench_args(&[]).unwrap().runs, bench::DEFAULT_RUNS);
        assert_eq!(
            parse_bench_args(&strings(&["--runs", "5"])).unwrap().runs,
            5
        );
        assert_eq!(parse_bench_args(&strings(&["--runs=7"])).unwrap().runs, 7);
        assert!(parse_bench_args(&strings(&["--runs"])).is_err());
        assert!(parse_bench_args(&strings(&["--runs", "0"])).is_err());
        assert!(parse_bench_args(&strings(&["--runs", "x"])).is_err());
    }
}
