//! `cargo xtask conformance`: runs QEMU's QAPI front-end test suite
//! (`tests/qapi-schema`) and QEMU's real schemas through our `qapi-gen`, for
//! each QEMU release we test against, with that release's cases,
//! expectations, schemas and Python, and `qapi-gen --qemu X.Y`.
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
//! of the real schemas, and for 10.0 of the real schemas for the symbol sets of
//! Debian's builds, must equal what QEMU's own introspection code computes.
//!
//! Last, the default mode: `qapi-gen check` without `--qemu` must accept every
//! case some release's suite accepts, and every release's real schemas.
//!
//! Cases run in parallel, but results are printed in the suite's order.

mod cases;
mod diff;
mod introspect;
mod parse;

use cases::*;
use std::collections::BTreeMap;
use std::fs;
use std::num::NonZero;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::process;
use crate::qemu_source::{self, Release};
use parse::Located;

/// Command-line options for `cargo xtask conformance`.
#[derive(Debug, Default)]
pub struct Options {
    /// Print details for every case, not just for failures.
    pub verbose: bool,
    /// Restrict the run to these cases (with or without `.json`).
    pub cases: Vec<String>,
    /// The releases to run, in the table's order.
    pub releases: Vec<&'static Release>,
}

/// How long one `qapi-gen` invocation may take before it counts as hung.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// QEMU's own schemas, relative to the source root, which must be accepted
/// without any diagnostics. The same paths in every release we test.
const REAL_SCHEMAS: [&str; 3] = [
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
];

/// Real schemas with the program whose Debian build's condition symbols are in
/// `tests/data/cfg-PROGRAM.txt`. Those builds are of [`qemu_source::primary`].
const BUILDS: [(&str, &str); 2] = [
    ("qapi/qapi-schema.json", "qemu-system-x86_64"),
    (
        "storage-daemon/qapi/qapi-schema.json",
        "qemu-storage-daemon",
    ),
];

/// The `qapi-gen` binary, and the release whose rules it is told to apply
/// (`None`: the default, permissive mode).
#[derive(Clone, Copy)]
struct QapiGen<'a> {
    binary: &'a Path,
    qemu: Option<&'static str>,
}

impl QapiGen<'_> {
    /// A `qapi-gen SUBCOMMAND [--qemu X.Y]` command to add arguments to.
    fn command(&self, subcommand: &str) -> Command {
        let mut command = Command::new(self.binary);
        command.arg(subcommand);
        if let Some(release) = self.qemu {
            command.args(["--qemu", release]);
        }
        command
    }
}

/// One release's test suite: where its tree is, and the cases to run.
struct Suite {
    release: &'static Release,
    tree: PathBuf,
    dir: PathBuf,
    cases: Vec<String>,
}

/// What a release's run found.
struct ReleaseRun {
    tally: Tally,
    /// `None` when the real schemas were not checked.
    real_failures: Option<usize>,
    /// The cases QEMU's suite accepts, for the default mode.
    accepted: Vec<String>,
}

/// Runs the suites and fails unless every check passes.
pub fn run(options: &Options) -> Result<(), String> {
    let suites = load_suites(options)?;
    let binary = process::build_cli()?;
    let full = options.cases.is_empty();

    let mut runs = Vec::new();
    for suite in &suites {
        let cli = QapiGen {
            binary: &binary,
            qemu: Some(suite.release.name),
        };
        runs.push(run_release(cli, suite, options)?);
    }
    let default_cli = QapiGen {
        binary: &binary,
        qemu: None,
    };
    let default = check_default_mode(default_cli, &suites, &runs, full, options.verbose)?;

    println!();
    let mut failures = Vec::new();
    for (suite, run) in suites.iter().zip(&runs) {
        let name = suite.release.name;
        println!("{name}: {}", run.tally.summary(run.real_failures));
        if let Err(why) = run.tally.outcome(run.real_failures.unwrap_or(0)) {
            failures.push(format!("{name}: {why}"));
        }
    }
    println!("default (no --qemu): {}", default.summary());
    if let Err(why) = default.outcome() {
        failures.push(format!("default: {why}"));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("conformance failed: {}", failures.join("; ")))
    }
}

/// Fetches each release's tree if needed and reads its case list, keeping the
/// cases `options` names; a named case must be in some release's suite.
fn load_suites(options: &Options) -> Result<Vec<Suite>, String> {
    let mut suites = Vec::new();
    for &release in &options.releases {
        let tree = qemu_source::ensure_release(release)?;
        let dir = tree.join("tests").join("qapi-schema");
        let all = parse::schema_list(&read(&dir.join("meson.build"))?)
            .map_err(|err| format!("{}/meson.build: {err}", dir.display()))?;
        suites.push(Suite {
            release,
            tree,
            dir,
            cases: all,
        });
    }
    let lists: Vec<&[String]> = suites.iter().map(|suite| &suite.cases[..]).collect();
    let selected: Vec<Vec<String>> = lists
        .iter()
        .map(|all| select_cases(all, &options.cases))
        .collect();
    if let Some(unknown) = unknown_case(&lists, &options.cases) {
        return Err(format!(
            "`{unknown}` is not a case in tests/qapi-schema/meson.build of any release run"
        ));
    }
    for (suite, cases) in suites.iter_mut().zip(selected) {
        suite.cases = cases;
    }
    Ok(suites)
}

/// Runs one release's cases, real schemas and introspection comparisons.
fn run_release(cli: QapiGen, suite: &Suite, options: &Options) -> Result<ReleaseRun, String> {
    let name = suite.release.name;
    println!(
        "conformance {name}: {} cases from {}",
        suite.cases.len(),
        suite.dir.display()
    );
    let reports = run_cases(cli, &suite.dir, &suite.cases, |report| {
        if options.verbose {
            print_details(name, report);
        } else if !report.passed() {
            println!(
                "FAIL {name} {}: {}",
                report.name,
                report.problems().join("; ")
            );
        }
    })?;

    // The real schemas are part of a full run only; naming cases means the
    // user wants a quick look at just those.
    let full = options.cases.is_empty();
    let real_failures = if full {
        Some(check_real_schemas(cli, name, &suite.tree, options.verbose)?)
    } else {
        None
    };

    let jobs = introspection_jobs(suite, &reports, full);
    let outcomes = introspect::compare(cli, &suite.tree, &jobs)?;
    for outcome in &outcomes {
        match &outcome.result {
            Ok(()) if options.verbose => {
                println!("ok   {name} {} (introspection)", outcome.label);
            }
            Ok(()) => {}
            Err(why) => println!("FAIL {name} {} (introspection): {why}", outcome.label),
        }
    }
    let introspection_failures = outcomes.iter().filter(|o| o.result.is_err()).count();

    Ok(ReleaseRun {
        tally: Tally::of(
            &reports,
            (outcomes.len() - introspection_failures, outcomes.len()),
        ),
        real_failures,
        accepted: reports
            .iter()
            .filter(|report| report.expected == Verdict::Accepted)
            .map(|report| report.name.clone())
            .collect(),
    })
}

/// The introspection comparisons: every accepted case masked and unmasked, and
/// with `real`, the real schemas likewise plus, for the release Debian's
/// symbol sets are from, those builds' views.
fn introspection_jobs(suite: &Suite, reports: &[CaseReport], real: bool) -> Vec<introspect::Job> {
    let accepted = reports
        .iter()
        .filter(|report| report.passed() && report.expected == Verdict::Accepted)
        .map(|report| (report.name.clone(), suite.dir.join(&report.name)));
    let real_schemas = REAL_SCHEMAS
        .iter()
        .filter(|_| real)
        .map(|schema| (schema.to_string(), suite.tree.join(schema)));
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
    if real && suite.release == qemu_source::primary() {
        let data = process::workspace_root().join("tests").join("data");
        for (schema, build) in BUILDS {
            jobs.push(introspect::Job {
                label: format!("{schema} for {build}"),
                schema: suite.tree.join(schema),
                unmask: false,
                symbols: Some(data.join(format!("cfg-{build}.txt"))),
            });
        }
    }
    jobs
}

/// Without `--qemu`, `qapi-gen check` must accept every case some release's
/// suite accepts (in that release's suite directory) and, with `full`, every
/// release's real schemas.
fn check_default_mode(
    cli: QapiGen,
    suites: &[Suite],
    runs: &[ReleaseRun],
    full: bool,
    verbose: bool,
) -> Result<DefaultTally, String> {
    println!("conformance default (no --qemu): what some release accepts");
    let mut tally = DefaultTally {
        cases: (0, 0),
        real: full.then_some((0, 0)),
    };
    for (suite, run) in suites.iter().zip(runs) {
        let name = suite.release.name;
        for case in &run.accepted {
            let check = process::run_captured(
                cli.command("check")
                    .args([case.as_str(), "--message-format", "short"])
                    .current_dir(&suite.dir),
                TIME_LIMIT,
            )?;
            tally.cases.1 += 1;
            if check.status.is_some_and(|status| status.success()) {
                tally.cases.0 += 1;
                if verbose {
                    println!("ok   default {name} {case}");
                }
            } else {
                println!(
                    "FAIL default {name} {case}: {}",
                    with_first_line(check.describe_end(), &check.stderr)
                );
            }
        }
        if let Some(real) = &mut tally.real {
            let failed = check_real_schemas(cli, &format!("default {name}"), &suite.tree, verbose)?;
            real.0 += REAL_SCHEMAS.len() - failed;
            real.1 += REAL_SCHEMAS.len();
        }
    }
    Ok(tally)
}

/// Pass/total counts of the default mode.
struct DefaultTally {
    cases: (usize, usize),
    /// `None` when the real schemas were not checked.
    real: Option<(usize, usize)>,
}

impl DefaultTally {
    fn summary(&self) -> String {
        let real = match self.real {
            Some((passed, total)) => format!("real schemas {passed}/{total}"),
            None => "real schemas skipped".to_owned(),
        };
        format!("accepted cases {}/{}, {real}", self.cases.0, self.cases.1)
    }

    fn outcome(&self) -> Result<(), String> {
        let mut failures = Vec::new();
        let (accepted, total) = self.cases;
        if accepted < total {
            failures.push(format!(
                "{} of {total} accepted cases rejected",
                total - accepted
            ));
        }
        if let Some((clean, total)) = self.real.filter(|(clean, total)| clean < total) {
            failures.push(format!("{} of {total} real schemas failed", total - clean));
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join(", "))
        }
    }
}

/// Picks the requested cases out of a suite, keeping the suite's order and
/// leaving out the names it does not have.
fn select_cases(all: &[String], wanted: &[String]) -> Vec<String> {
    if wanted.is_empty() {
        return all.to_vec();
    }
    let wanted: Vec<String> = wanted.iter().map(|name| with_json(name)).collect();
    all.iter()
        .filter(|name| wanted.contains(name))
        .cloned()
        .collect()
}

/// The first of the `wanted` cases that none of the suites has.
fn unknown_case(suites: &[&[String]], wanted: &[String]) -> Option<String> {
    wanted
        .iter()
        .map(|name| with_json(name))
        .find(|name| !suites.iter().any(|all| all.contains(name)))
}

/// A case name with `.json`, whether or not it was given.
fn with_json(name: &str) -> String {
    if name.ends_with(".json") {
        name.to_owned()
    } else {
        format!("{name}.json")
    }
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
        assert_eq!(select_cases(&all, &[]), all);
        assert_eq!(
            select_cases(&all, &names(&["c", "a.json", "d"])),
            names(&["a.json", "c.json"])
        );
        let other = names(&["d.json"]);
        let suites = [&all[..], &other[..]];
        assert_eq!(unknown_case(&suites, &names(&["a", "d.json"])), None);
        assert_eq!(
            unknown_case(&suites, &names(&["a", "e"])).as_deref(),
            Some("e.json")
        );
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
            "1 of 3 cases failed, 1 of 4 introspection comparisons failed, \
             1 of 3 real schemas failed"
        );
        let all_good = Tally::of(&reports[..1], (2, 2));
        assert!(all_good.outcome(0).is_ok());
    }

    #[test]
    fn tallies_the_default_mode() {
        let tally = DefaultTally {
            cases: (30, 32),
            real: Some((11, 12)),
        };
        assert_eq!(tally.summary(), "accepted cases 30/32, real schemas 11/12");
        assert_eq!(
            tally.outcome().unwrap_err(),
            "2 of 32 accepted cases rejected, 1 of 12 real schemas failed"
        );
        let quick = DefaultTally {
            cases: (1, 1),
            real: None,
        };
        assert_eq!(quick.summary(), "accepted cases 1/1, real schemas skipped");
        assert!(quick.outcome().is_ok());
    }
}
