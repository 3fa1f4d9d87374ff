//! `qapi-gen`: the command line of the QAPI schema compiler.
//!
//! Each subcommand reads one schema (with its includes), reports problems on standard error
//! and writes its output to standard output. Exit status: 0 on success, 1 when the schema has
//! errors, 2 for usage and I/O errors. This crate is only the command line; the work happens
//! in `qapi-parser` and `qapi-codegen`, which build.rs users depend on without clap.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Parser, Subcommand, ValueEnum};
use qapi_codegen::{
    OPTIONS, OptionKind, Options, Symbols, introspect, rust, write_file_atomically,
};
use qapi_parser::{Error, Format, Schema};

// The front end allocates many small strings and vectors; mimalloc serves them in fewer
// instructions and page faults than the system allocator.
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
    Check(SchemaArgs),
    /// Print the checked schema in the line format of QEMU's front-end tests.
    Dump(SchemaArgs),
    /// Print the introspection data QEMU's query-qmp-schema returns, as a JSON list.
    Introspect(IntrospectArgs),
    /// Generate a Rust module with the schema's types, commands and events.
    Rust(RustArgs),
}

#[derive(clap::Args)]
struct SchemaArgs {
    /// The root schema file.
    schema: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

#[derive(clap::Args)]
struct IntrospectArgs {
    #[command(flatten)]
    schema: SchemaArgs,
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
    #[command(flatten)]
    output: OutputArgs,
}

/// The Rust backend's options as flags: one per entry of `qapi_codegen::OPTIONS`, so the
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
            let text = match spec.kind {
                OptionKind::File => std::fs::read_to_string(value)
                    .map_err(|error| format!("cannot read {value}: {error}"))?,
                _ => value.clone(),
            };
            options
                .set(key, &text)
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
    cfg_file: Vec<PathBuf>,
}

impl ConditionArgs {
    /// The symbol set, or `None` when no option asks for conditions to be evaluated.
    fn symbols(&self) -> Result<Option<Symbols>, String> {
        if self.symbols.is_empty() && self.cfg_file.is_empty() {
            return Ok(None);
        }
        let mut symbols = Symbols::new(&self.symbols);
        for path in &self.cfg_file {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            for symbol in Symbols::parse(&text).iter() {
                symbols.insert(symbol);
            }
        }
        Ok(Some(symbols))
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
        Command::Check(args) => run(&args, |_| Ok(ExitCode::SUCCESS)),
        Command::Dump(args) => run(&args, |schema| {
            write_stdout(&qapi_codegen::dump::generate(schema)).map(|()| ExitCode::SUCCESS)
        }),
        Command::Rust(args) => {
            let options = match args.options.options() {
                Ok(options) => options,
                Err(message) => return usage_error(&message),
            };
            run(&args.schema, |schema| {
                match rust::generate(schema, &options) {
                    Ok(code) => args.output.write(&code).map(|()| ExitCode::SUCCESS),
                    Err(error) => {
                        for message in &error.messages {
                            eprintln!("qapi-gen: error: {message}");
                        }
                        Ok(ExitCode::from(2))
                    }
                }
            })
        }
        Command::Introspect(args) => {
            let symbols = match args.conditions.symbols() {
                Ok(symbols) => symbols,
                Err(message) => return usage_error(&message),
            };
            run(&args.schema, |schema| {
                let options = introspect::Options {
                    unmask: args.unmask,
                    symbols: symbols.as_ref(),
                };
                let text = introspect::generate(schema, &options);
                args.output.write(&text).map(|()| ExitCode::SUCCESS)
            })
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("qapi-gen: error: {message}");
    ExitCode::from(2)
}

/// Parses the schema, reports errors, and hands a valid schema to `output`, which gives the
/// exit status.
fn run(args: &SchemaArgs, output: impl FnOnce(&Schema) -> std::io::Result<ExitCode>) -> ExitCode {
    match qapi_parser::parse_file(&args.schema) {
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
        Err(error) => {
            let format = match args.message_format {
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
    }
}

fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}
