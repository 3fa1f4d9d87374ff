//! `cargo xtask conformance`: runs QEMU's QAPI front-end test suite
//! (`tests/qapi-schema`) and QEMU's real schemas through our `qapi-gen`.
//!
//! For every case we compare three things with QEMU's recorded results:
//!
//! * the verdict: QEMU's `.err` file is empty exactly when the schema is
//!   accepted, which must match whether `qapi-gen check` succeeds;
//! * for rejected schemas, the file and line of the first located error
//!   (columns and wording may differ);
//! * for accepted schemas, the output of `qapi-gen dump`, which must equal
//!   QEMU's `.out` file byte for byte.
//!
//! Then `qapi-gen introspect` (masked and unmasked) of every accepted case and
//! of the real schemas, and of the real schemas for the symbol sets of
//! Debian's builds, must equal what QEMU's own introspection code computes.
//!
//! Cases run in parallel, but results are printed in the suite's order.

mod diff;
mod introspect;
mod parse;

use std::collections::BTreeMap;
use std::fs;
use std::num::NonZero;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::{process, qemu_source};
use parse::Located;

/// Command-line options for `cargo xtask conformance`.
#[derive(Debug, Default)]
pub struct Options {
    /// Print details for every case, not just for failures.
    pub verbose: bool,
    /// Restrict the run to these cases (with or without `.json`).
    pub cases: Vec<String>,
}

/// How long one `qapi-gen` invocation may take before it counts as hung.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// QEMU's own schemas, relative to the source root, which must be accepted
/// without any diagnostics.
const REAL_SCHEMAS: [&str; 3] = [
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
];

/// Real schemas with the program whose Debian build's condition symbols are in
/// `tests/data/cfg-PROGRAM.txt`.
const BUILDS: [(&str, &str); 2] = [
    ("qapi/qapi-schema.json", "qemu-system-x86_64"),
    (
        "storage-daemon/qapi/qapi-schema.json",
        "qemu-storage-daemon",
    ),
];

/// Runs the suite and fails unless every check passes.
pub fn run(options: &Options) -> Result<(), String> {
    let qemu = qemu_source::ensure()?;
    let suite_dir = qemu.join("tests").join("qapi-schema");
    let all_cases = parse::schema_list(&read(&suite_dir.join("meson.build"))?)
        .map_err(|err| format!("{}/meson.build: {err}", suite_dir.display()))?;
    let cases = select_cases(&all_cases, &options.cases)?;

    let cli = process::build_cli()?;
    println!(
        "conformance: {} cases from {}",
        cases.len(),
        suite_dir.display()
    );

    let reports = run_cases(&cli, &suite_dir, &cases, |report| {
        if options.verbose {
            print_details(report);
        } else if !report.passed() {
            println!("FAIL {}: {}", report.name, report.problems().join("; "));
        }
    })?;

    // The real schemas are part of a full run only; naming cases means the
    // user wants a quick look at just those.
    let real_failures = if options.cases.is_empty() {
        Some(check_real_schemas(&cli, &qemu, options.verbose)?)
    } else {
        None
    };

    let jobs = introspection_jobs(&qemu, &suite_dir, &reports, options.cases.is_empty());
    let outcomes = introspect::compare(&cli, &qemu, &jobs)?;
    for outcome in &outcomes {
        match &outcome.result {
            Ok(()) if options.verbose => println!("ok   {} (introspection)", outcome.label),
            Ok(()) => {}
            Err(why) => println!("FAIL {} (introspection): {why}", outcome.label),
        }
    }
    let introspection_failures = outcomes.iter().filter(|o| o.result.is_err()).count();

    let tally = Tally::of(
        &reports,
        (outcomes.len() - introspection_failures, outcomes.len()),
    );
    println!("{}", tally.summary(real_failures));
    tally.outcome(real_failures.unwrap_or(0))
}

/// The introspection comparisons: every accepted case masked and unmasked, and
/// with `real`, the real schemas likewise plus the symbol sets of the Debian
/// builds whose live replies the integration tests compare with.
fn introspection_jobs(
    qemu: &Path,
    suite_dir: &Path,
    reports: &[CaseReport],
    real: bool,
) -> Vec<introspect::Job> {
    let accepted = reports
        .iter()
        .filter(|report| report.passed() && report.expected == Verdict::Accepted)
        .map(|report| (report.name.clone(), suite_dir.join(&report.name)));
    let real_schemas = REAL_SCHEMAS
        .iter()
        .filter(|_| real)
        .map(|schema| (schema.to_string(), qemu.join(schema)));
    let mut jobs = Vec::new();
    for (label, schema) in accepted.chain(real_schemas) {
        for unmask in [false, true] {
            jobs.push(introspect::Job {
                label: format!("{label}{}", if unmask { " --unmask" } else { "" }),
                schema: schema.clone(),
                unmask,
                symbols: None,
            });
        }
    }
    if real {
        let data = process::workspace_root().join("tests").join("data");
        for (schema, build) in BUILDS {
            jobs.push(introspect::Job {
                label: format!("{schema} for {build}"),
                schema: qemu.join(schema),
                unmask: false,
                symbols: Some(data.join(format!("cfg-{build}.txt"))),
            });
        }
    }
    jobs
}

/// Picks the requested cases out of the suite, keeping the suite's order.
fn select_cases(all: &[String], wanted: &[String]) -> Result<Vec<String>, String> {
    if wanted.is_empty() {
        return Ok(all.to_vec());
    }
    let wanted: Vec<String> = wanted
        .iter()
        .map(|name| {
            if name.ends_with(".json") {
                name.clone()
            } else {
                format!("{name}.json")
            }
        })
        .collect();
    if let Some(unknown) = wanted.iter().find(|name| !all.contains(name)) {
        return Err(format!(
            "`{unknown}` is not a case in tests/qapi-schema/meson.build"
        ));
    }
    Ok(all
        .iter()
        .filter(|name| wanted.contains(name))
        .cloned()
        .collect())
}

/// Whether a schema is (expected to be) accepted or rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Rejected,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
        }
    }
}

/// Result of comparing `qapi-gen dump` with QEMU's `.out` file.
enum Dump {
    Identical,
    /// The outputs differ; holds a short diff.
    Differs(String),
    /// `qapi-gen dump` itself failed; holds a description.
    Failed(String),
}

/// Everything learned about one test case.
struct CaseReport {
    /// The schema file name, e.g. `alternate-any.json`.
    name: String,
    expected: Verdict,
    /// Our verdict, or a description of a crash, hang or odd exit code.
    actual: Result<Verdict, String>,
    /// First located error in QEMU's `.err`.
    qemu_error: Option<Located>,
    /// First located error on our stderr.
    our_error: Option<Located>,
    /// QEMU's message to show: the located line, else the first line.
    qemu_message: Option<String>,
    /// Our message to show: the located line, else the first line.
    our_message: Option<String>,
    /// Only present when both sides accept the schema.
    dump: Option<Dump>,
}

impl CaseReport {
    fn verdict_ok(&self) -> bool {
        self.actual
            .as_ref()
            .is_ok_and(|&actual| actual == self.expected)
    }

    /// For cases QEMU rejects: whether we report the same first location
    /// (or, like QEMU, none at all).
    fn location_ok(&self) -> bool {
        self.verdict_ok()
            && match (&self.qemu_error, &self.our_error) {
                (None, None) => true,
                (Some(qemu), Some(ours)) => qemu.same_place(ours),
                _ => false,
            }
    }

    /// For cases QEMU accepts: whether our dump matches QEMU's `.out`.
    fn dump_ok(&self) -> bool {
        matches!(self.dump, Some(Dump::Identical))
    }

    fn passed(&self) -> bool {
        match self.expected {
            Verdict::Accepted => self.dump_ok(),
            Verdict::Rejected => self.location_ok(),
        }
    }

    /// One short phrase per thing that went wrong.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match &self.actual {
            Err(broken) => problems.push(format!("qapi-gen check broke: {broken}")),
            Ok(actual) if *actual != self.expected => problems.push(format!(
                "expected {}, got {}",
                self.expected.as_str(),
                actual.as_str()
            )),
            Ok(_) => {}
        }
        if self.verdict_ok() && self.expected == Verdict::Rejected && !self.location_ok() {
            problems.push(format!(
                "error location: expected {}, got {}",
                describe_place(self.qemu_error.as_ref()),
                describe_place(self.our_error.as_ref())
            ));
        }
        match &self.dump {
            Some(Dump::Differs(_)) => problems.push("dump differs from the .out file".to_owned()),
            Some(Dump::Failed(why)) => problems.push(format!("qapi-gen dump failed: {why}")),
            Some(Dump::Identical) | None => {}
        }
        problems
    }
}

fn describe_place(error: Option<&Located>) -> String {
    error.map_or_else(|| "no location".to_owned(), Located::place)
}

/// Runs all `cases` on a few worker threads. `on_report` sees each report
/// as soon as it and all earlier cases are done, so output stays in order.
fn run_cases(
    cli: &Path,
    suite_dir: &Path,
    cases: &[String],
    mut on_report: impl FnMut(&CaseReport),
) -> Result<Vec<CaseReport>, String> {
    let workers = thread::available_parallelism()
        .map_or(1, NonZero::get)
        .clamp(1, cases.len().max(1));
    let next_case = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();

    thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next_case = &next_case;
            scope.spawn(move || {
                loop {
                    let index = next_case.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = cases.get(index) else { break };
                    let result = run_case(cli, suite_dir, name);
                    // A closed channel means the collector gave up on an
                    // error, so there is no point in carrying on.
                    if sender.send((index, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);

        let mut waiting = BTreeMap::new();
        let mut reports = Vec::with_capacity(cases.len());
        for (index, result) in receiver {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&reports.len()) {
                let report = result?;
                on_report(&report);
                reports.push(report);
            }
        }
        Ok(reports)
    })
}

/// Runs one case: `qapi-gen check`, then `qapi-gen dump` if both sides
/// accept the schema.
fn run_case(cli: &Path, suite_dir: &Path, name: &str) -> Result<CaseReport, String> {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let expected_err = read(&suite_dir.join(format!("{stem}.err")))?;
    let expected = if expected_err.is_empty() {
        Verdict::Accepted
    } else {
        Verdict::Rejected
    };

    let check = process::run_captured(
        Command::new(cli)
            .args(["check", name, "--message-format", "short"])
            .current_dir(suite_dir),
        TIME_LIMIT,
    )?;
    let actual = match check.status.and_then(|status| status.code()) {
        Some(0) => Ok(Verdict::Accepted),
        // 1 means errors in the schema, 2 an unreadable file or bad usage;
        // both are rejections as far as the suite is concerned.
        Some(1 | 2) => Ok(Verdict::Rejected),
        _ => Err(with_first_line(check.describe_end(), &check.stderr)),
    };

    let dump = if expected == Verdict::Accepted && actual == Ok(Verdict::Accepted) {
        let expected_out = read(&suite_dir.join(format!("{stem}.out")))?;
        Some(compare_dump(cli, suite_dir, name, &expected_out)?)
    } else {
        None
    };

    let qemu_error = parse::first_location(&expected_err);
    let our_error = parse::first_location(&check.stderr);
    Ok(CaseReport {
        name: name.to_owned(),
        expected,
        actual,
        qemu_message: message_to_show(qemu_error.as_ref(), &expected_err),
        our_message: message_to_show(our_error.as_ref(), &check.stderr),
        qemu_error,
        our_error,
        dump,
    })
}

fn compare_dump(cli: &Path, suite_dir: &Path, name: &str, expected: &str) -> Result<Dump, String> {
    let dump = process::run_captured(
        Command::new(cli)
            .args(["dump", name])
            .current_dir(suite_dir),
        TIME_LIMIT,
    )?;
    if !dump.status.is_some_and(|status| status.success()) {
        return Ok(Dump::Failed(with_first_line(
            dump.describe_end(),
            &dump.stderr,
        )));
    }
    Ok(match diff::line_diff(expected, &dump.stdout) {
        None => Dump::Identical,
        Some(diff) => Dump::Differs(diff),
    })
}

/// Checks QEMU's shipped schemas; returns how many failed.
fn check_real_schemas(cli: &Path, qemu: &Path, verbose: bool) -> Result<usize, String> {
    let mut failures = 0;
    for schema in REAL_SCHEMAS {
        let check = process::run_captured(
            Command::new(cli)
                .args(["check", schema, "--message-format", "short"])
                .current_dir(qemu),
            TIME_LIMIT,
        )?;
        let clean = check.status.is_some_and(|status| status.success()) && check.stderr.is_empty();
        if clean {
            if verbose {
                println!("ok   {schema} (real schema)");
            }
            continue;
        }
        failures += 1;
        println!("FAIL {schema} (real schema): {}", check.describe_end());
        for line in check.stderr.lines().take(5) {
            println!("       {line}");
        }
        let more = check.stderr.lines().count().saturating_sub(5);
        if more > 0 {
            println!("       ... {more} more lines");
        }
    }
    Ok(failures)
}

/// The full `--verbose` entry for one case.
fn print_details(report: &CaseReport) {
    let status = if report.passed() { "ok  " } else { "FAIL" };
    println!("{status} {}", report.name);
    let actual = match &report.actual {
        Ok(verdict) => verdict.as_str().to_owned(),
        Err(broken) => format!("broken ({broken})"),
    };
    println!(
        "       verdict   expected {}, actual {actual}",
        report.expected.as_str()
    );
    if report.expected == Verdict::Rejected || report.our_message.is_some() {
        println!(
            "       location  expected {}, actual {}",
            describe_place(report.qemu_error.as_ref()),
            describe_place(report.our_error.as_ref())
        );
        let show = |message: &Option<String>| message.as_deref().unwrap_or("-").to_owned();
        println!("       qemu      {}", show(&report.qemu_message));
        println!("       ours      {}", show(&report.our_message));
    }
    match &report.dump {
        Some(Dump::Identical) => println!("       dump      identical to the .out file"),
        Some(Dump::Differs(diff)) => {
            println!("       dump      differs from the .out file:");
            for line in diff.lines() {
                println!("         {line}");
            }
        }
        Some(Dump::Failed(why)) => println!("       dump      failed: {why}"),
        None => {}
    }
}

/// Pass/total counts for the summary line.
struct Tally {
    verdicts: (usize, usize),
    locations: (usize, usize),
    dumps: (usize, usize),
    introspection: (usize, usize),
    /// Cases with at least one failed check, and all cases run.
    failed_cases: (usize, usize),
}

impl Tally {
    fn of(reports: &[CaseReport], introspection: (usize, usize)) -> Tally {
        let count = |expected: Option<Verdict>, ok: fn(&CaseReport) -> bool| {
            let relevant: Vec<&CaseReport> = reports
                .iter()
                .filter(|report| expected.is_none_or(|verdict| report.expected == verdict))
                .collect();
            let passed = relevant.iter().filter(|report| ok(report)).count();
            (passed, relevant.len())
        };
        let failed = reports.iter().filter(|report| !report.passed()).count();
        Tally {
            verdicts: count(None, CaseReport::verdict_ok),
            locations: count(Some(Verdict::Rejected), CaseReport::location_ok),
            dumps: count(Some(Verdict::Accepted), CaseReport::dump_ok),
            introspection,
            failed_cases: (failed, reports.len()),
        }
    }

    /// The final summary line; `real_failures` is `None` when the real
    /// schemas were not checked.
    fn summary(&self, real_failures: Option<usize>) -> String {
        let real = match real_failures {
            Some(failed) => format!(
                "real schemas {}/{}",
                REAL_SCHEMAS.len() - failed,
                REAL_SCHEMAS.len()
            ),
            None => "real schemas skipped".to_owned(),
        };
        let ratio = |(passed, total): (usize, usize)| format!("{passed}/{total}");
        format!(
            "verdicts {}, error locations {}, dumps {}, introspection {}, {real}",
            ratio(self.verdicts),
            ratio(self.locations),
            ratio(self.dumps),
            ratio(self.introspection)
        )
    }

    /// Success only if no case and no real schema failed.
    fn outcome(&self, real_failures: usize) -> Result<(), String> {
        let mut failures = Vec::new();
        let (failed, total) = self.failed_cases;
        if failed > 0 {
            failures.push(format!("{failed} of {total} cases failed"));
        }
        let (identical, compared) = self.introspection;
        if identical < compared {
            failures.push(format!(
                "{} of {compared} introspection comparisons failed",
                compared - identical
            ));
        }
        if real_failures > 0 {
            failures.push(format!(
                "{real_failures} of {} real schemas failed",
                REAL_SCHEMAS.len()
            ));
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(format!("conformance: {}", failures.join(", ")))
        }
    }
}

/// The located diagnostic if there is one, else the first non-blank line.
fn message_to_show(located: Option<&Located>, text: &str) -> Option<String> {
    match located {
        Some(located) => Some(located.text.clone()),
        None => first_line(text).map(str::to_owned),
    }
}

/// `what`, followed by the start of `stderr` if there is any: its first
/// line, plus the next one when the first ends in a colon (as a Rust panic
/// message does).
fn with_first_line(what: String, stderr: &str) -> String {
    let mut lines = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty());
    match (lines.next(), lines.next()) {
        (Some(first), Some(second)) if first.ends_with(':') => format!("{what}: {first} {second}"),
        (Some(first), _) => format!("{what}: {first}"),
        (None, _) => what,
    }
}

fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|line| !line.is_empty())
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn describes_broken_runs() {
        let what = || "exit status: 101".to_owned();
        assert_eq!(with_first_line(what(), ""), "exit status: 101");
        assert_eq!(
            with_first_line(
                what(),
                "\nthread 'main' panicked at x.rs:1:2:\nboom\nnote: ...\n"
            ),
            "exit status: 101: thread 'main' panicked at x.rs:1:2: boom"
        );
        assert_eq!(
            with_first_line(what(), "plain message\nmore\n"),
            "exit status: 101: plain message"
        );
    }

    #[test]
    fn selects_cases_in_suite_order() {
        let all = names(&["a.json", "b.json", "c.json"]);
        assert_eq!(select_cases(&all, &[]).unwrap(), all);
        assert_eq!(
            select_cases(&all, &names(&["c", "a.json"])).unwrap(),
            names(&["a.json", "c.json"])
        );
        assert!(select_cases(&all, &names(&["d"])).is_err());
    }

    fn report(expected: Verdict, actual: Result<Verdict, String>) -> CaseReport {
        CaseReport {
            name: "case.json".to_owned(),
            expected,
            actual,
            qemu_error: None,
            our_error: None,
            qemu_message: None,
            our_message: None,
            dump: None,
        }
    }

    #[test]
    fn judges_rejected_cases_by_location() {
        let at = |text: &str| parse::first_location(text);
        let mut case = report(Verdict::Rejected, Ok(Verdict::Rejected));
        assert!(case.passed(), "neither side has a location");

        case.qemu_error = at("case.json:3: no\n");
        assert!(!case.passed());
        assert_eq!(
            case.problems(),
            ["error location: expected case.json:3, got no location"]
        );

        case.our_error = at("case.json:3:9: nope\n");
        assert!(case.passed());

        case.actual = Ok(Verdict::Accepted);
        assert!(!case.passed());
        assert_eq!(case.problems(), ["expected rejected, got accepted"]);
    }

    #[test]
    fn judges_accepted_cases_by_dump() {
        let mut case = report(Verdict::Accepted, Ok(Verdict::Accepted));
        case.dump = Some(Dump::Differs(String::new()));
        assert!(case.verdict_ok() && !case.passed());
        case.dump = Some(Dump::Identical);
        assert!(case.passed());

        let broken = report(Verdict::Accepted, Err("exit status: 101".to_owned()));
        assert!(!broken.verdict_ok() && !broken.passed());
    }

    #[test]
    fn tallies_each_kind_of_check() {
        let mut dumped = report(Verdict::Accepted, Ok(Verdict::Accepted));
        dumped.dump = Some(Dump::Identical);
        let reports = [
            dumped,
            report(Verdict::Accepted, Ok(Verdict::Rejected)),
            report(Verdict::Rejected, Ok(Verdict::Rejected)),
        ];
        let tally = Tally::of(&reports, (3, 4));
        assert_eq!(
            tally.summary(Some(0)),
            "verdicts 2/3, error locations 1/1, dumps 1/2, introspection 3/4, real schemas 3/3"
        );
        assert_eq!(
            tally.summary(None),
            "verdicts 2/3, error locations 1/1, dumps 1/2, introspection 3/4, real schemas skipped"
        );
        assert_eq!(
            tally.outcome(1).unwrap_err(),
            "conformance: 1 of 3 cases failed, 1 of 4 introspection comparisons failed, \
             1 of 3 real schemas failed"
        );
        let all_good = Tally::of(&reports[..1], (2, 2));
        assert!(all_good.outcome(0).is_ok());
    }
}
