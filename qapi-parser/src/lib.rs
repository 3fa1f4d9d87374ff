//! The front end of the QAPI schema compiler: schema text → checked [`Schema`] IR.
//!
//! QAPI is the schema language of QEMU's interfaces (QMP, the guest agent, the storage
//! daemon). This crate reads a schema the way QEMU's own generator does, including its
//! `include` and `pragma` directives and `##` documentation comments, checks it with the same
//! rules, and produces an IR that backends render.
//!
//! ```
//! let dir = std::env::temp_dir().join("qapi-parser-doctest");
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("demo.json");
//! std::fs::write(&path, "{ 'enum': 'Color', 'data': [ 'red', 'green' ] }\n").unwrap();
//!
//! let schema = qapi_schema::parse_file(&path).unwrap();
//! let color = schema.entity(schema.lookup("Color").unwrap());
//! assert_eq!(color.meta(), "enum");
//!
//! std::fs::write(&path, "{ 'enum': 'Color', 'data': [ 'red', 'red' ] }\n").unwrap();
//! let error = qapi_schema::parse_file(&path).unwrap_err();
//! assert!(error.render(qapi_schema::Format::Short, false).contains("demo.json:1:1: "));
//! ```
//!
//! The pipeline is [`parse_with`]: `load` (read files, follow includes, parse documentation)
//! → `check` (structure of each definition) → `lower` (resolve names, semantic checks, IR).
//! Each stage reports every problem it finds and the next stage runs only if there were none.

mod ast;
mod check;
pub mod diagnostic;
mod doc_comment;
mod load;
mod lower;
mod preprocessor;
pub mod release;
pub mod schema;
pub mod source;
pub mod suggest;
mod syntax;

use std::fmt;
use std::io;
use std::path::Path;

pub use diagnostic::{Diagnostic, Format, Label, MAX_DIAGNOSTICS};
pub use release::{Dialect, Release, Rule};
pub use schema::*;
pub use source::{SourceMap, Span};

/// Why a schema could not be turned into IR.
#[derive(Debug)]
pub enum Error {
    /// The root schema file could not be read.
    Io {
        /// The path as given.
        path: String,
        /// The underlying error.
        error: io::Error,
    },
    /// The schema has errors.
    Invalid {
        /// The files read, to render the diagnostics.
        sources: SourceMap,
        /// The errors, in the order found.
        diagnostics: Vec<Diagnostic>,
    },
}

impl Error {
    /// Renders the error for people (or tools) in `format`.
    pub fn render(&self, format: Format, color: bool) -> String {
        match self {
            Error::Io { path, error } => {
                let diagnostic = Diagnostic::unplaced(format!(
                    "cannot read schema file '{path}': {}",
                    load::describe_io_error(error)
                ));
                diagnostic::render(&SourceMap::default(), &[diagnostic], format, color)
            }
            Error::Invalid {
                sources,
                diagnostics,
            } => diagnostic::render(sources, diagnostics, format, color),
        }
    }

    /// The files that were read before the error, for build tools to watch.
    pub fn sources(&self) -> Option<&SourceMap> {
        match self {
            Error::Io { .. } => None,
            Error::Invalid { sources, .. } => Some(sources),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.render(Format::Human, false).trim_end())
    }
}

impl std::error::Error for Error {}

/// Reads and checks the schema at `path` and everything it includes, accepting whatever
/// some supported QEMU release accepts ([`Dialect::Any`]).
pub fn parse_file(path: impl AsRef<Path>) -> Result<Schema, Error> {
    parse_file_as(path, Dialect::Any)
}

/// Reads and checks the schema at `path` by the rules of `dialect`.
pub fn parse_file_as(path: impl AsRef<Path>, dialect: Dialect) -> Result<Schema, Error> {
    let path = path.as_ref().to_string_lossy().into_owned();
    parse_with(&path, &mut |file: &Path| std::fs::read(file), dialect)
}

/// Like [`parse_file_as`], with files read through `read` (for tests, fuzzing, or schemas
/// kept in memory).
pub fn parse_with(
    root: &str,
    read: &mut dyn FnMut(&Path) -> io::Result<Vec<u8>>,
    dialect: Dialect,
) -> Result<Schema, Error> {
    let mut diagnostics = diagnostic::Diagnostics::default();
    let parsed =
        load::load(root, read, dialect, &mut diagnostics).map_err(|unreadable| Error::Io {
            path: unreadable.path,
            error: unreadable.error,
        })?;
    let load::Parsed {
        sources,
        expressions,
        docs,
        pragma,
    } = parsed;
    let invalid = |sources, diagnostics: diagnostic::Diagnostics| Error::Invalid {
        sources,
        diagnostics: diagnostics.into_vec(),
    };
    if !diagnostics.is_empty() {
        return Err(invalid(sources, diagnostics));
    }
    let expressions =
        check::check_expressions(expressions, &docs, &pragma, dialect, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(invalid(sources, diagnostics));
    }
    lower::lower(
        expressions,
        sources,
        docs,
        pragma,
        dialect,
        &mut diagnostics,
    )
    .map_err(|sources| invalid(sources, diagnostics))
}
