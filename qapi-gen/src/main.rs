//! `qapi-gen`: the command line of the QAPI schema compiler.
//!
//! Each subcommand reads one schema (with its includes), reports problems on standard error
//! and writes its output to standard output. Exit status: 0 on success, 1 when the schema has
//! errors, 2 for usage and I/O errors. This crate is only the command line; the work happens
//! in `qapi-parser` and `qapi-codegen`, which build.rs users depend on without clap.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
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
}

#[derive(clap::Args)]
struct SchemaArgs {
    /// The root schema file.
    schema: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
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
        Command::Check(args) => run(&args, |_| Ok(())),
        Command::Dump(args) => run(&args, |schema| {
            write_stdout(&qapi_codegen::dump::generate(schema))
        }),
    }
}

/// Parses the schema, reports errors, and hands a valid schema to `output`.
fn run(args: &SchemaArgs, output: impl FnOnce(&Schema) -> std::io::Result<()>) -> ExitCode {
    match qapi_parser::parse_file(&args.schema) {
        Ok(schema) => {
            // The process ends right after; freeing the IR would only cost time.
            let schema = std::mem::ManuallyDrop::new(schema);
            match output(&schema) {
                Ok(()) => ExitCode::SUCCESS,
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
