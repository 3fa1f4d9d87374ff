//! The subcommands over introspection data: `diff`, `validate` and `query`. Each reads a
//! schema either as a schema file (compiled to the introspection data QEMU would return) or as
//! a saved `query-qmp-schema` reply.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use qapi_compiler::Symbols;
use qapi_compiler::introspect::Introspection as Compiled;
use qapi_introspection::{Answer, Diff, Introspection, Verdict};
use qapi_schema::{Dialect, Release};
use serde_json::Value;

use crate::{ConditionArgs, MessageFormat, parse_release, report_errors, usage_error};

/// Where a schema comes from, and how to read it if it is a schema file.
#[derive(clap::Args)]
pub(crate) struct WireSchemaArgs {
    #[command(flatten)]
    conditions: ConditionArgs,
    /// Read schema files exactly as QEMU release X.Y's generator does (default: accept what
    /// any supported release accepts).
    #[arg(long = "qemu", value_name = "X.Y", value_parser = parse_release)]
    release: Option<Release>,
    /// How to print problems and results.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// The older schema: a schema file or a saved query-qmp-schema reply (JSON).
    old: PathBuf,
    /// The newer schema, in either form.
    new: PathBuf,
    #[command(flatten)]
    read: WireSchemaArgs,
}

#[derive(clap::Args)]
pub(crate) struct ValidateArgs {
    /// The schema: a schema file or a saved query-qmp-schema reply (JSON).
    schema: PathBuf,
    /// Files of QMP messages: JSON values one after another, each maybe after `->` or `<-`
    /// as in a transcript. Standard input when none is given or for `-`.
    messages: Vec<PathBuf>,
    /// The command that replies answer until a command is seen.
    #[arg(long, value_name = "NAME")]
    command: Option<String>,
    /// Report the use of anything deprecated as an error.
    #[arg(long, value_name = "WHAT", value_parser = ["deprecated"])]
    deny: Vec<String>,
    #[command(flatten)]
    read: WireSchemaArgs,
}

#[derive(clap::Args)]
pub(crate) struct QueryArgs {
    /// The schema: a schema file or a saved query-qmp-schema reply (JSON).
    schema: PathBuf,
    /// Questions in libvirt's syntax, such as `blockdev-add/arg-type/+qcow2/data-file`.
    #[arg(required = true)]
    queries: Vec<String>,
    #[command(flatten)]
    read: WireSchemaArgs,
}

impl WireSchemaArgs {
    /// Loads a schema in either form. On failure the problem is reported and the exit status
    /// returned: 1 when the schema or reply is invalid, 2 when it cannot be read.
    fn load(&self, path: &Path) -> Result<Introspection, ExitCode> {
        let symbols = || {
            self.conditions
                .symbols()
                .map_err(|message| usage_error(&message))
        };
        let dialect = self.release.map_or(Dialect::Any, Dialect::Release);
        load(path, symbols, dialect, self.message_format)
    }
}

/// Loads a schema file (compiled with the symbols `symbols` gives, by the rules of `dialect`)
/// or a saved `query-qmp-schema` reply. On failure the problem is reported and the exit
/// status returned: 1 when the schema or reply is invalid, 2 when it cannot be read.
pub(crate) fn load(
    path: &Path,
    symbols: impl FnOnce() -> Result<Option<Symbols>, ExitCode>,
    dialect: Dialect,
    message_format: MessageFormat,
) -> Result<Introspection, ExitCode> {
    let invalid = |error: qapi_introspection::LoadError| {
        eprintln!("qapi-gen: error: {}: {error}", path.display());
        ExitCode::from(1)
    };
    let text = std::fs::read_to_string(path)
        .map_err(|error| usage_error(&format!("cannot read {}: {error}", path.display())))?;
    // A saved reply is one JSON list (or a response holding one); a schema file is not JSON
    // as a whole.
    if let Ok(value) = serde_json::from_str::<Value>(&text)
        && (value.is_array() || value.get("return").is_some())
    {
        return Introspection::from_value(value).map_err(invalid);
    }
    let symbols = symbols()?;
    let schema = qapi_schema::parse_file_as(path, dialect)
        .map_err(|error| report_errors(&error, message_format))?;
    let json = Compiled::new(&schema, false).to_json(symbols.as_ref());
    Introspection::from_json(&json).map_err(invalid)
}

/// `qapi-gen diff`: exit status 1 when a change breaks clients.
pub(crate) fn diff(args: &DiffArgs) -> ExitCode {
    let old = match args.read.load(&args.old) {
        Ok(old) => old,
        Err(status) => return status,
    };
    let new = match args.read.load(&args.new) {
        Ok(new) => new,
        Err(status) => return status,
    };
    let diff = Diff::between(&old, &new);
    let text = match args.read.message_format {
        MessageFormat::Json => format!("{}\n", diff.to_json()),
        MessageFormat::Short => short_report(&diff),
        MessageFormat::Human => human_report(&diff),
    };
    if let Err(status) = crate::print(&text) {
        return status;
    }
    if diff.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The words a verdict is shown with, padded to one width.
fn label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Breaking => "breaking   ",
        Verdict::Deprecation => "deprecated ",
        Verdict::Compatible => "compatible ",
    }
}

fn short_report(diff: &Diff) -> String {
    let mut text = String::new();
    for change in &diff.changes {
        let verdict = change.verdict();
        text.push_str(&format!(
            "{}{}: {}\n",
            label(verdict),
            change.path(),
            change.what
        ));
    }
    text
}

fn human_report(diff: &Diff) -> String {
    const SHOWN: usize = 3;
    let mut text = String::new();
    for change in &diff.changes {
        let verdict = change.verdict();
        let whom = match (change.breaks_senders(), change.breaks_receivers()) {
            (true, true) => " (breaks clients that send and that receive it)",
            (true, false) => " (breaks clients that send it)",
            (false, true) => " (breaks clients that receive it)",
            (false, false) => "",
        };
        text.push_str(&format!(
            "{}{}: {}{whom}\n",
            label(verdict),
            change.path(),
            change.what
        ));
        let others = &change.uses[1..];
        if !others.is_empty() {
            let shown: Vec<&str> = others.iter().take(SHOWN).map(|u| u.path.as_str()).collect();
            let more = others.len().saturating_sub(SHOWN);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            text.push_str(&format!("           also {}{tail}\n", shown.join(", ")));
        }
    }
    let count = |verdict| {
        diff.changes
            .iter()
            .filter(|change| change.verdict() == verdict)
            .count()
    };
    let total = diff.changes.len();
    text.push_str(&format!(
        "{total} {}: {} breaking, {} deprecated, {} compatible\n",
        if total == 1 { "change" } else { "changes" },
        count(Verdict::Breaking),
        count(Verdict::Deprecation),
        count(Verdict::Compatible),
    ));
    text
}

/// `qapi-gen validate`: exit status 1 when a message has problems.
pub(crate) fn validate(args: &ValidateArgs) -> ExitCode {
    let schema = match args.read.load(&args.schema) {
        Ok(schema) => schema,
        Err(status) => return status,
    };
    let deny_deprecated = args.deny.iter().any(|what| what == "deprecated");
    let stdin = [PathBuf::from("-")];
    let inputs = if args.messages.is_empty() {
        &stdin[..]
    } else {
        &args.messages[..]
    };
    let mut failed = false;
    let mut report = String::new();
    for input in inputs {
        let (name, text) = match read_input(input) {
            Ok(read) => read,
            Err(message) => return usage_error(&message),
        };
        let mut command = args.command.clone();
        let text = strip_arrows(&text);
        let stream = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
        for (index, message) in stream.enumerate() {
            let number = index + 1;
            let message = match message {
                Ok(message) => message,
                Err(error) => {
                    report.push_str(&format!("{name}: message {number}: not JSON: {error}\n"));
                    failed = true;
                    break;
                }
            };
            let problems = check_message(&schema, &message, &mut command);
            let problems = match problems {
                Ok(problems) => problems,
                Err(reason) => {
                    report.push_str(&format!("{name}: message {number}: {reason}\n"));
                    failed = true;
                    continue;
                }
            };
            for problem in problems {
                failed |= !problem.deprecated || deny_deprecated;
                report.push_str(&format!("{name}: message {number}: {problem}\n"));
            }
        }
    }
    if let Err(status) = crate::print(&report) {
        return status;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks one message by what it is; `command` is the command replies answer.
fn check_message(
    schema: &Introspection,
    message: &Value,
    command: &mut Option<String>,
) -> Result<Vec<qapi_introspection::Problem>, String> {
    let has = |key| message.get(key).is_some();
    if has("execute") || has("exec-oob") {
        let name = message
            .get("execute")
            .or_else(|| message.get("exec-oob"))
            .and_then(Value::as_str);
        *command = name.map(str::to_owned);
        Ok(schema.validate_command(message))
    } else if has("event") {
        Ok(schema.validate_event(message))
    } else if has("return") || has("error") {
        match command {
            Some(command) => Ok(schema.validate_reply(command, message)),
            None => Err("a reply before any command (give the command with --command)".into()),
        }
    } else if has("QMP") {
        Ok(Vec::new())
    } else {
        Err("not a command, reply or event".into())
    }
}

/// Reads a message file, or standard input for `-`.
fn read_input(path: &Path) -> Result<(String, String), String> {
    if path == Path::new("-") {
        let text = std::io::read_to_string(std::io::stdin())
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        Ok(("<stdin>".into(), text))
    } else {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        Ok((path.display().to_string(), text))
    }
}

/// Blanks out the `->` and `<-` that start lines of a transcript.
fn strip_arrows(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            match trimmed
                .strip_prefix("->")
                .or_else(|| trimmed.strip_prefix("<-"))
            {
                Some(rest) => rest,
                None => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `qapi-gen query`: exit status 1 when an answer is no.
pub(crate) fn query(args: &QueryArgs) -> ExitCode {
    let schema = match args.read.load(&args.schema) {
        Ok(schema) => schema,
        Err(status) => return status,
    };
    let mut all_yes = true;
    let mut report = String::new();
    for query in &args.queries {
        match schema.query(query) {
            Ok(Answer::Yes) => report.push_str(&format!("yes {query}\n")),
            Ok(Answer::No { reason, .. }) => {
                all_yes = false;
                report.push_str(&format!("no  {query}: {reason}\n"));
            }
            Err(error) => return usage_error(&format!("{query}: {error}")),
        }
    }
    if let Err(status) = crate::print(&report) {
        return status;
    }
    if all_yes {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
