//! `qapi-gen`: the command line of the QAPI schema compiler.
//!
//! Each subcommand reads one schema (with its includes), reports problems on standard error
//! and writes its output to standard output. Exit status: 0 on success, 1 when the schema has
//! errors, 2 for usage and I/O errors. This crate is only the command line; the work happens
//! in `qapi-parser` and `qapi-codegen`, which build.rs users depend on without clap.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Parser, Subcommand, ValueEnum};
use qapi_compiler::rust::{OPTIONS, OptionKind, Options};
use qapi_compiler::{
    Symbols, doc, introspect, rust, write_directory_atomically, write_file_atomically,
};
use qapi_schema::{Dialect, Error, Format, Release, Schema};

mod evolution;
mod shell;

// The front end allocates many small strings and vectors; mimalloc serves them in fewer
// instructions and page faults than the system allocator. Its `no_thp` feature keeps it
// from asking for transparent huge pages: with them, each first touch of its arena had the
// kernel zero 2 MiB, which doubled the peak memory and, right after another program freed
// a lot of memory, the wall time of `qapi-gen rust`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Compile QAPI schemas: check them and render them.
#[derive(Parser)]
#[command(name = "qapi-gen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a schema and report every problem found.
    Check(ReadArgs),
    /// Print the checked schema in the line format of QEMU's front-end tests.
    Dump(ReadArgs),
    /// Print the introspection data QEMU's query-qmp-schema returns, as a JSON list.
    Introspect(IntrospectArgs),
    /// Generate a Rust module with the schema's types, commands and events.
    Rust(RustArgs),
    /// Generate reference documentation: reStructuredText, a man page or an HTML site.
    Doc(DocArgs),
    /// Compare two schemas as clients see them and say whom each change breaks (exit status 1
    /// when something breaks).
    Diff(evolution::DiffArgs),
    /// Check QMP commands, replies and events against a schema (exit status 1 on a problem).
    Validate(evolution::ValidateArgs),
    /// Answer capability questions such as `blockdev-add/arg-type/+qcow2/data-file` (exit
    /// status 1 when an answer is no).
    Query(evolution::QueryArgs),
    /// An interactive shell on a QMP monitor or a guest agent: completion from the peer's
    /// introspection, arguments checked before sending, events shown as they arrive.
    Shell(shell::ShellArgs),
}

#[derive(clap::Args)]
struct SchemaArgs {
    /// The root schema file.
    schema: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

/// The schema and the release whose rules to read it by (`rust` takes `--qemu` from the
/// option table instead).
#[derive(clap::Args)]
struct ReadArgs {
    #[command(flatten)]
    schema: SchemaArgs,
    /// Read the schema exactly as QEMU release X.Y's generator does (default: accept what
    /// any supported release accepts).
    #[arg(long = "qemu", value_name = "X.Y", value_parser = parse_release)]
    release: Option<Release>,
}

impl ReadArgs {
    fn dialect(&self) -> Dialect {
        self.release.map_or(Dialect::Any, Dialect::Release)
    }
}

fn parse_release(text: &str) -> Result<Release, String> {
    text.parse()
}

#[derive(clap::Args)]
struct IntrospectArgs {
    #[command(flatten)]
    schema: ReadArgs,
    #[command(flatten)]
    conditions: ConditionArgs,
    /// Show type names instead of the numbers QEMU replaces them with.
    #[arg(long)]
    unmask: bool,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args)]
struct RustArgs {
    #[command(flatten)]
    schema: SchemaArgs,
    #[command(flatten)]
    options: RustOptions,
    /// How the source is laid out.
    #[arg(long, value_enum, default_value_t = LayoutArg::Formatted)]
    layout: LayoutArg,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LayoutArg {
    /// Formatted by prettyplease, for reading and committing
    Formatted,
    /// An item per line, unformatted, in a third of the time: what build scripts
    /// write
    Compact,
}

/// The Rust backend's options as flags: one per entry of `qapi_compiler::rust::OPTIONS`, so the
/// command line offers exactly what the builder and the macro offer.
struct RustOptions {
    /// `(key, value)` for every flag given.
    settings: Vec<(&'static str, String)>,
}

impl RustOptions {
    /// The options the flags describe; files named by file options are read here.
    fn options(&self) -> Result<Options, String> {
        let mut options = Options::default();
        for (key, value) in &self.settings {
            let spec = Options::spec(key).expect("flags come from the option table");
            options
                .apply(key, value, read_option_file)
                .map_err(|message| format!("--{}: {message}", spec.flag()))?;
        }
        Ok(options)
    }
}

impl clap::FromArgMatches for RustOptions {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut settings = Vec::new();
        for spec in OPTIONS {
            for value in matches.get_many::<String>(spec.key).into_iter().flatten() {
                settings.push((spec.key, value.clone()));
            }
        }
        Ok(RustOptions { settings })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = RustOptions::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for RustOptions {
    fn augment_args(command: clap::Command) -> clap::Command {
        OPTIONS.iter().fold(command, |command, spec| {
            let arg = Arg::new(spec.key)
                .long(spec.flag())
                .value_name(spec.value_name)
                .help(spec.help);
            command.arg(match spec.kind {
                OptionKind::Bool => arg.action(ArgAction::Set).value_parser(["true", "false"]),
                OptionKind::Single => arg.action(ArgAction::Set),
                OptionKind::List | OptionKind::Pair | OptionKind::File => {
                    arg.action(ArgAction::Append)
                }
            })
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        RustOptions::augment_args(command)
    }
}

/// Which build the output is for.
#[derive(clap::Args)]
struct ConditionArgs {
    /// Treat SYMBOL as defined and drop every item whose condition does not hold. Without
    /// --cfg or --cfg-file, every item is kept.
    #[arg(long = "cfg", value_name = "SYMBOL")]
    symbols: Vec<String>,
    /// Read defined symbols from FILE, one per line ('#' starts a comment line).
    #[arg(long, value_name = "FILE")]
    cfg_file: Vec<String>,
}

impl ConditionArgs {
    /// The symbol set, or `None` when no option asks for conditions to be evaluated: the
    /// `cfg` and `cfg_file` options of the Rust backend's table, read the same way.
    fn symbols(&self) -> Result<Option<Symbols>, String> {
        let mut options = Options::default();
        let settings = (self.symbols.iter().map(|symbol| ("cfg", symbol)))
            .chain(self.cfg_file.iter().map(|file| ("cfg_file", file)));
        for (key, value) in settings {
            options.apply(key, value, read_option_file)?;
        }
        Ok(options.symbols)
    }
}

/// Reads a file named by an option, from the working directory.
fn read_option_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
}

impl From<LayoutArg> for rust::Layout {
    fn from(layout: LayoutArg) -> rust::Layout {
        match layout {
            LayoutArg::Formatted => rust::Layout::Formatted,
            LayoutArg::Compact => rust::Layout::Compact,
        }
    }
}

#[derive(clap::Args)]
struct OutputArgs {
    /// Write the output to FILE instead of standard output. The file is replaced only once
    /// the whole output is ready.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    path: Option<PathBuf>,
}

impl OutputArgs {
    fn write(&self, text: &str) -> std::io::Result<()> {
        match &self.path {
            Some(path) => write_file_atomically(path, text.as_bytes()),
            None => write_stdout(text),
        }
    }
}

#[derive(clap::Args)]
struct DocArgs {
    #[command(flatten)]
    schema: ReadArgs,
    /// The output format.
    #[arg(long, value_enum)]
    format: DocFormat,
    /// The manual's title (default: QEMU's for its well-known schemas, else from the file's name).
    #[arg(long)]
    title: Option<String>,
    /// The man page's name (default: the schema file's stem).
    #[arg(long)]
    page_name: Option<String>,
    /// Write to PATH instead of standard output; for html, PATH is a directory and is
    /// required. Output appears only once it is complete.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    path: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    /// reStructuredText for Sphinx.
    Rst,
    /// A man(7) page.
    Man,
    /// A static HTML site (a directory).
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    /// Source snippets with carets and the include chain.
    Human,
    /// One line each: PATH:LINE:COL: MESSAGE.
    Short,
    /// One JSON object per line with file, line, col and message.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run(&args.schema, args.dialect(), |_| Ok(ExitCode::SUCCESS)),
        Command::Dump(args) => run(&args.schema, args.dialect(), |schema| {
            write_stdout(&qapi_compiler::dump::generate(schema)).map(|()| ExitCode::SUCCESS)
        }),
        Command::Rust(args) => {
            let options = match args.options.options() {
                Ok(options) => options,
                Err(message) => return usage_error(&message),
            };
            run(
                &args.schema,
                options.dialect,
                |schema| match rust::generate_as(schema, &options, args.layout.into()) {
                    Ok(code) => args.output.write(&code).map(|()| ExitCode::SUCCESS),
                    Err(error) => {
                        for problem in &error.problems {
                            eprintln!(
                                "qapi-gen: error: --{}: {}",
                                problem.key.replace('_', "-"),
                                problem.message
                            );
                        }
                        Ok(ExitCode::from(2))
                    }
                },
            )
        }
        Command::Introspect(args) => {
            let symbols = match args.conditions.symbols() {
                Ok(symbols) => symbols,
                Err(message) => return usage_error(&message),
            };
            run(&args.schema.schema, args.schema.dialect(), |schema| {
                let options = introspect::Options {
                    unmask: args.unmask,
                    symbols: symbols.as_ref(),
                };
                let text = introspect::generate(schema, &options);
                args.output.write(&text).map(|()| ExitCode::SUCCESS)
            })
        }
        Command::Doc(args) => document(&args),
        Command::Diff(args) => evolution::diff(&args),
        Command::Validate(args) => evolution::validate(&args),
        Command::Query(args) => evolution::query(&args),
        Command::Shell(args) => shell::shell(&args),
    }
}

/// Runs a documentation backend and writes its output.
fn document(args: &DocArgs) -> ExitCode {
    if args.format == DocFormat::Html && args.path.is_none() {
        return usage_error("--format html writes a directory: give it with -o PATH");
    }
    let options = doc::Options {
        title: args.title.clone(),
        page_name: args.page_name.clone(),
    };
    run(&args.schema.schema, args.schema.dialect(), |schema| {
        write_documentation(args, schema, &options).map(|()| ExitCode::SUCCESS)
    })
}

/// Renders the documentation in the format asked for and writes it where asked.
fn write_documentation(
    args: &DocArgs,
    schema: &Schema,
    options: &doc::Options,
) -> std::io::Result<()> {
    match args.format {
        DocFormat::Rst | DocFormat::Man => {
            let text = if args.format == DocFormat::Rst {
                doc::rst::generate(schema, options)
            } else {
                doc::man::generate(schema, options)
            };
            let output = OutputArgs {
                path: args.path.clone(),
            };
            output.write(&text)
        }
        DocFormat::Html => {
            let files = doc::html::generate(schema, options);
            let directory = args.path.as_deref().unwrap_or(Path::new("."));
            write_directory_atomically(directory, &files)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("qapi-gen: error: {message}");
    ExitCode::from(2)
}

/// Parses the schema, reports errors, and hands a valid schema to `output`, which gives the
/// exit status.
fn run(
    args: &SchemaArgs,
    dialect: Dialect,
    output: impl FnOnce(&Schema) -> std::io::Result<ExitCode>,
) -> ExitCode {
    match qapi_schema::parse_file_as(&args.schema, dialect) {
        Ok(schema) => {
            // The process ends right after; freeing the IR would only cost time.
            let schema = std::mem::ManuallyDrop::new(schema);
            match output(&schema) {
                Ok(status) => status,
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("qapi-gen: error: cannot write output: {error}");
                    ExitCode::from(2)
                }
            }
        }
        Err(error) => report_errors(&error, args.message_format),
    }
}

/// Prints the front end's diagnostics on standard error and returns the exit status they
/// give: 1 for an invalid schema, 2 for one that cannot be read.
fn report_errors(error: &Error, message_format: MessageFormat) -> ExitCode {
    let format = match message_format {
        MessageFormat::Human => Format::Human,
        MessageFormat::Short => Format::Short,
        MessageFormat::Json => Format::Json,
    };
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let _ = std::io::stderr().write_all(error.render(format, color).as_bytes());
    match error {
        Error::Io { .. } => ExitCode::from(2),
        Error::Invalid { .. } => ExitCode::from(1),
    }
}

/// Writes a report on standard output; a closed pipe is not an error.
fn print(text: &str) -> Result<(), ExitCode> {
    match write_stdout(text) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            eprintln!("qapi-gen: error: cannot write output: {error}");
            Err(ExitCode::from(2))
        }
    }
}

fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}
