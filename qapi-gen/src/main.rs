//! `qapi-gen`: the command line of the QAPI schema compiler.
//!
//! Each subcommand reads one schema (with its includes), reports problems on standard error
//! and writes its output to standard output. Exit status: 0 on success, 1 when the schema has
//! errors, 2 for usage and I/O errors. This crate is only the command line; the work happens
//! in `qapi-parser` and `qapi-codegen`, which build.rs users depend on without clap.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use qapi_codegen::{Symbols, doc, introspect, rust};
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
    /// Generate reference documentation: reStructuredText, a man page or an HTML site.
    Doc(DocArgs),
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
    conditions: ConditionArgs,
    #[command(flatten)]
    output: OutputArgs,
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

#[derive(clap::Args)]
struct DocArgs {
    #[command(flatten)]
    schema: SchemaArgs,
    /// The output format.
    #[arg(long, value_enum)]
    format: DocFormat,
    /// The manual's title (default: from the schema file's name).
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
        Command::Check(args) => run(&args, |_| Ok(())),
        Command::Dump(args) => run(&args, |schema| {
            write_stdout(&qapi_codegen::dump::generate(schema))
        }),
        Command::Rust(args) => generate(
            &args.schema,
            &args.conditions,
            &args.output,
            |schema, symbols| rust::generate(schema, &rust::Options { symbols }),
        ),
        Command::Doc(args) => document(&args),
        Command::Introspect(args) => generate(
            &args.schema,
            &args.conditions,
            &args.output,
            |schema, symbols| {
                let unmask = args.unmask;
                introspect::generate(schema, &introspect::Options { unmask, symbols })
            },
        ),
    }
}

/// Runs a backend for the symbol set the options give and writes its output.
fn generate(
    schema: &SchemaArgs,
    conditions: &ConditionArgs,
    output: &OutputArgs,
    backend: impl FnOnce(&Schema, Option<&Symbols>) -> String,
) -> ExitCode {
    let symbols = match conditions.symbols() {
        Ok(symbols) => symbols,
        Err(message) => return usage_error(&message),
    };
    run(schema, |schema| {
        output.write(&backend(schema, symbols.as_ref()))
    })
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
    run(&args.schema, |schema| match args.format {
        DocFormat::Rst | DocFormat::Man => {
            let text = if args.format == DocFormat::Rst {
                doc::rst::generate(schema, &options)
            } else {
                doc::man::generate(schema, &options)
            };
            let output = OutputArgs {
                path: args.path.clone(),
            };
            output.write(&text)
        }
        DocFormat::Html => {
            let files = doc::html::generate(schema, &options);
            let directory = args.path.as_deref().unwrap_or(Path::new("."));
            write_directory_atomically(directory, &files)
        }
    })
}

/// Writes `files` (relative path, bytes) into a fresh directory beside `directory`, then
/// puts it in place of `directory`, so a failure never leaves a half-written site there.
fn write_directory_atomically(
    directory: &Path,
    files: &[(String, Vec<u8>)],
) -> std::io::Result<()> {
    let parent = match directory.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = directory.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the output path names no directory",
        )
    })?;
    let with_suffix = |suffix: &str| {
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".{}.{suffix}", std::process::id()));
        parent.join(temporary_name)
    };
    let staging = with_suffix("tmp");
    let old = with_suffix("old");
    let write_all = || -> std::io::Result<()> {
        std::fs::create_dir_all(&staging)?;
        for (relative, bytes) in files {
            let path = staging.join(relative);
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder)?;
            }
            std::fs::write(path, bytes)?;
        }
        // A directory cannot be renamed over a non-empty one: move the old one aside first.
        let had_old = match std::fs::symlink_metadata(directory) {
            Ok(metadata) if metadata.is_dir() => {
                std::fs::rename(directory, &old)?;
                true
            }
            Ok(_) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a directory", directory.display()),
                ));
            }
            Err(_) => false,
        };
        if let Err(error) = std::fs::rename(&staging, directory) {
            if had_old {
                let _ = std::fs::rename(&old, directory);
            }
            return Err(error);
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    };
    let result = write_all();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("qapi-gen: error: {message}");
    ExitCode::from(2)
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

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so `path`
/// never holds half an output.
fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the output path names no file",
        )
    })?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = directory.join(temporary_name);
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}
