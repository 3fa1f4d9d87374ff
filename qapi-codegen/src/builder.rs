//! The build.rs door: [`Builder`] reads a schema, renders the Rust module into `OUT_DIR` and
//! tells cargo which files to watch.

use std::path::{Path, PathBuf};

use crate::rust::{Layout, Options, OptionsError};
use crate::write::write_file_atomically;

/// Generates Rust bindings for a QAPI schema from a build script.
///
/// Setters take and return `&mut Self`, so they chain on a temporary and also work one by
/// one on a variable. [`generate`](Builder::generate) parses the schema with its includes,
/// writes `$OUT_DIR/<schema file stem>.rs` (see [`file_name`](Builder::file_name)) and prints
/// `cargo:rerun-if-changed` for every file it read.
///
/// In `build.rs`:
///
/// ```no_run
/// qapi_compiler::Builder::new("qapi/qapi-schema.json")
///     .keep(["query-status", "STOP"])
///     .forward_compatible(false)
///     .type_attribute("RunState", "#[derive(Copy)]")
///     .generate()
///     .unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    schema: PathBuf,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    options: Options,
    cfg_files: Vec<PathBuf>,
    layout: Layout,
    /// Problems found by setters, reported by `generate`.
    errors: Vec<String>,
}

/// Why [`Builder::generate`] failed. Both `Display` and `Debug` give the full report (for a
/// schema error, the rendered diagnostics with source lines), so `unwrap()` in a build script
/// prints something readable.
pub struct BuildError {
    message: String,
}

impl BuildError {
    fn new(message: impl Into<String>) -> BuildError {
        BuildError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

impl From<OptionsError> for BuildError {
    fn from(error: OptionsError) -> BuildError {
        BuildError::new(error.to_string())
    }
}

/// Renders the schema at `schema` with the default options into
/// `$OUT_DIR/<schema file stem>.rs`: the one-call form of [`Builder`].
pub fn build(schema: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
    Builder::new(schema).generate()
}

impl Builder {
    /// A builder for the root schema file at `schema` (relative paths are relative to the
    /// package root, where cargo runs build scripts).
    pub fn new(schema: impl AsRef<Path>) -> Builder {
        Builder {
            schema: schema.as_ref().to_path_buf(),
            out_dir: None,
            file_name: None,
            options: Options::default(),
            cfg_files: Vec::new(),
            layout: Layout::Compact,
            errors: Vec::new(),
        }
    }

    /// Lays the file out as `layout` says. The default, [`Layout::Compact`], writes each
    /// item on a line of its own without formatting, in about a third of the time;
    /// [`Layout::Formatted`] writes what `qapi-gen rust` writes, for reading.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// Writes into `directory` instead of `$OUT_DIR`.
    pub fn out_dir(&mut self, directory: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(directory.as_ref().to_path_buf());
        self
    }

    /// Names the output file (default: the schema file's stem with `.rs`).
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = Some(name.into());
        self
    }

    /// Replaces all options at once.
    pub fn options(&mut self, options: Options) -> &mut Self {
        self.options = options;
        self
    }

    /// Keeps only these commands, events and types, with the types they reach (option
    /// `keep`). Adds to earlier calls.
    pub fn keep<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.keep.extend(names.into_iter().map(Into::into));
        self
    }

    /// Puts `attributes` on the Rust item of the type, command or event `name`, or of every
    /// type for `*` (option `type_attribute`).
    pub fn type_attribute(&mut self, name: &str, attributes: &str) -> &mut Self {
        if let Err(message) = self.options.type_attribute(name, attributes) {
            self.errors.push(format!("type_attribute: {message}"));
        }
        self
    }

    /// Uses the Rust type `path` for the QAPI type `name`, or for one member when `name` is
    /// `OWNER.MEMBER` (option `type_path`).
    pub fn type_path(&mut self, name: &str, path: &str) -> &mut Self {
        if let Err(message) = self.options.type_path(name, path) {
            self.errors.push(format!("type_path: {message}"));
        }
        self
    }

    /// Treats the condition symbol as defined; any `cfg` turns condition evaluation on
    /// (option `cfg`).
    pub fn cfg(&mut self, symbol: &str) -> &mut Self {
        self.options.define(symbol);
        self
    }

    /// Reads defined condition symbols from a file, one per line (option `cfg_file`).
    pub fn cfg_file(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.cfg_files.push(path.as_ref().to_path_buf());
        self
    }

    /// Lets the cargo feature `feature` decide the condition symbol `symbol` (option
    /// `feature`).
    pub fn feature(&mut self, symbol: &str, feature: &str) -> &mut Self {
        self.options
            .features
            .insert(symbol.to_owned(), feature.to_owned());
        self
    }

    /// Whether schema documentation becomes rustdoc (option `docs`, default true).
    pub fn docs(&mut self, docs: bool) -> &mut Self {
        self.options.docs = docs;
        self
    }

    /// Whether decoding accepts what a newer peer may send (option `forward_compatible`,
    /// default true).
    pub fn forward_compatible(&mut self, forward_compatible: bool) -> &mut Self {
        self.options.forward_compatible = forward_compatible;
        self
    }

    /// Whether the `Server` trait and `dispatch` are generated (option `server`, default
    /// true).
    pub fn server(&mut self, server: bool) -> &mut Self {
        self.options.server = server;
        self
    }

    /// Whether the module plugs into the `qapi-client` runtime, re-exporting its `Command`
    /// trait and implementing its `Event` and `Service` traits (option `runtime`, default
    /// false). The crate that includes the module then depends on `qapi-client`.
    pub fn runtime(&mut self, runtime: bool) -> &mut Self {
        self.options.runtime = runtime;
        self
    }

    /// Reads the schema exactly as QEMU release `release` (such as `"7.2"`) does; by default
    /// whatever any supported release accepts is accepted.
    pub fn qemu(&mut self, release: &str) -> &mut Self {
        if let Err(message) = self.options.set("qemu", release) {
            self.errors.push(format!("qemu: {message}"));
        }
        self
    }

    /// Parses the schema, renders it and writes the module; returns the file written.
    ///
    /// The file is replaced only once the whole module is ready. Cargo is told to rerun the
    /// build script when any file of the schema or a symbol file changes.
    pub fn generate(&self) -> Result<PathBuf, BuildError> {
        if !self.errors.is_empty() {
            return Err(BuildError::new(self.errors.join("\n")));
        }
        let mut options = self.options.clone();
        let mut watched = Vec::new();
        for path in &self.cfg_files {
            // The file is read by its exact path; the name only goes into messages.
            let read = |_: &str| {
                std::fs::read_to_string(path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))
            };
            options
                .apply("cfg_file", &path.to_string_lossy(), read)
                .map_err(BuildError::new)?;
            watched.push(path.clone());
        }
        let schema = qapi_schema::parse_file_as(&self.schema, options.dialect)
            .map_err(|error| BuildError::new(error.to_string()))?;
        let code = crate::rust::generate_as(&schema, &options, self.layout)?;
        let out_dir = match &self.out_dir {
            Some(directory) => directory.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    BuildError::new("OUT_DIR is not set: run from a build script or call out_dir")
                })?,
        };
        let file_name = match &self.file_name {
            Some(name) => name.clone(),
            None => {
                let stem = self
                    .schema
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy();
                format!("{stem}.rs")
            }
        };
        let path = out_dir.join(file_name);
        write_file_atomically(&path, code.as_bytes()).map_err(|error| {
            BuildError::new(format!("cannot write {}: {error}", path.display()))
        })?;
        watched.extend(
            schema
                .sources
                .files()
                .iter()
                .map(|file| file.absolute.clone()),
        );
        for file in watched {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        Ok(path)
    }
}
