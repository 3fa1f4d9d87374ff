//! One front-end test case of QEMU's suite: running it through `qapi-gen`, comparing the
//! verdict, the first error's place and the dump with QEMU's expected output, and tallying
//! the results of a release.

use super::*;

/// Whether a schema is (expected to be) accepted or rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Accepted,
    Rejected,
}

impl Verdict {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
        }
    }
}

/// Result of comparing `qapi-gen dump` with QEMU's `.out` file.
pub(super) enum Dump {
    Identical,
    /// The outputs differ; holds a short diff.
    Differs(String),
    /// `qapi-gen dump` itself failed; holds a description.
    Failed(String),
}

/// Everything learned about one test case.
pub(super) struct CaseReport {
    /// The schema file name, e.g. `alternate-any.json`.
    pub(super) name: String,
    pub(super) expected: Verdict,
    /// Our verdict, or a description of a crash, hang or odd exit code.
    pub(super) actual: Result<Verdict, String>,
    /// First located error in QEMU's `.err`.
    pub(super) qemu_error: Option<Located>,
    /// First located error on our stderr.
    pub(super) our_error: Option<Located>,
    /// QEMU's message to show: the located line, else the first line.
    pub(super) qemu_message: Option<String>,
    /// Our message to show: the located line, else the first line.
    pub(super) our_message: Option<String>,
    /// Only present when both sides accept the schema.
    pub(super) dump: Option<Dump>,
}

impl CaseReport {
    pub(super) fn verdict_ok(&self) -> bool {
        self.actual
            .as_ref()
            .is_ok_and(|&actual| actual == self.expected)
    }

    /// For cases QEMU rejects: whether we report the same first location
    /// (or, like QEMU, none at all).
    pub(super) fn location_ok(&self) -> bool {
        self.verdict_ok()
            && match (&self.qemu_error, &self.our_error) {
                (None, None) => true,
                (Some(qemu), Some(ours)) => qemu.same_place(ours),
                _ => false,
            }
    }

    /// For cases QEMU accepts: whether our dump matches QEMU's `.out`.
    pub(super) fn dump_ok(&self) -> bool {
        matches!(self.dump, Some(Dump::Identical))
    }

    pub(super) fn passed(&self) -> bool {
        match self.expected {
            Verdict::Accepted => self.dump_ok(),
            Verdict::Rejected => self.location_ok(),
        }
    }

    /// One short phrase per thing that went wrong.
    pub(super) fn problems(&self) -> Vec<String> {
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

pub(super) fn describe_place(error: Option<&Located>) -> String {
    error.map_or_else(|| "no location".to_owned(), Located::place)
}

/// Runs all `cases` on a few worker threads. `on_report` sees each report
/// as soon as it and all earlier cases are done, so output stays in order.
pub(super) fn run_cases(
    cli: QapiGen,
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
pub(super) fn run_case(cli: QapiGen, suite_dir: &Path, name: &str) -> Result<CaseReport, String> {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let expected_err = read(&suite_dir.join(format!("{stem}.err")))?;
    let expected = if expected_err.is_empty() {
        Verdict::Accepted
    } else {
        Verdict::Rejected
    };

    let check = process::run_captured(
        cli.command("check")
            .args([name, "--message-format", "short"])
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

pub(super) fn compare_dump(
    cli: QapiGen,
    suite_dir: &Path,
    name: &str,
    expected: &str,
) -> Result<Dump, String> {
    let dump = process::run_captured(
        cli.command("dump").arg(name).current_dir(suite_dir),
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

/// Checks QEMU's shipped schemas; returns how many failed. `label` starts
/// each line printed.
pub(super) fn check_real_schemas(
    cli: QapiGen,
    label: &str,
    qemu: &Path,
    verbose: bool,
) -> Result<usize, String> {
    let mut failures = 0;
    for schema in REAL_SCHEMAS {
        let check = process::run_captured(
            cli.command("check")
                .args([schema, "--message-format", "short"])
                .current_dir(qemu),
            TIME_LIMIT,
        )?;
        let clean = check.status.is_some_and(|status| status.success()) && check.stderr.is_empty();
        if clean {
            if verbose {
                println!("ok   {label} {schema} (real schema)");
            }
            continue;
        }
        failures += 1;
        println!(
            "FAIL {label} {schema} (real schema): {}",
            check.describe_end()
        );
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
pub(super) fn print_details(release: &str, report: &CaseReport) {
    let status = if report.passed() { "ok  " } else { "FAIL" };
    println!("{status} {release} {}", report.name);
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
pub(super) struct Tally {
    pub(super) verdicts: (usize, usize),
    pub(super) locations: (usize, usize),
    pub(super) dumps: (usize, usize),
    pub(super) introspection: (usize, usize),
    /// Cases with at least one failed check, and all cases run.
    pub(super) failed_cases: (usize, usize),
}

impl Tally {
    pub(super) fn of(reports: &[CaseReport], introspection: (usize, usize)) -> Tally {
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
    pub(super) fn summary(&self, real_failures: Option<usize>) -> String {
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
    pub(super) fn outcome(&self, real_failures: usize) -> Result<(), String> {
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
            Err(failures.join(", "))
        }
    }
}

/// The located diagnostic if there is one, else the first non-blank line.
pub(super) fn message_to_show(located: Option<&Located>, text: &str) -> Option<String> {
    match located {
        Some(located) => Some(located.text.clone()),
        None => first_line(text).map(str::to_owned),
    }
}

/// `what`, followed by the start of `stderr` if there is any: its first
/// line, plus the next one when the first ends in a colon (as a Rust panic
/// message does).
pub(super) fn with_first_line(what: String, stderr: &str) -> String {
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

pub(super) fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|line| !line.is_empty())
}

pub(super) fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}
