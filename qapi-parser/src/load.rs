//! Reads the root file and everything it includes into one list of expressions.
//!
//! This stage owns the directives: `include` (relative to the including file, each file read
//! once, cycles reported with the chain) and `pragma` (one set for the whole schema). It also
//! parses documentation blocks and binds each definition block to the expression right after
//! it. Expressions come out in source order with included files spliced in where they are
//! included, which is the order every later stage works in. Reading goes through a callback so
//! that tests and fuzzers can serve files from memory.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use indexmap::IndexSet;

use crate::ast::{Item, Value};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::doc_comment;
use crate::release::{Dialect, Rule};
use crate::schema::{Doc, DocId, Pragma};
use crate::source::{SourceMap, Span};
use crate::syntax;

/// Reads a file's bytes; `std::fs::read` for real schemas.
pub type ReadFile<'a> = dyn FnMut(&Path) -> io::Result<Vec<u8>> + 'a;

/// The expressions of a schema, before structural checks.
pub struct Parsed {
    /// Every file read.
    pub sources: SourceMap,
    /// Definitions and include directives, in order.
    pub expressions: Vec<Expression>,
    /// Every documentation block, in order.
    pub docs: Vec<Doc>,
    /// The pragmas.
    pub pragma: Pragma,
}

/// A top-level expression that later stages see.
pub enum Expression {
    /// Anything but a directive: later checked as a definition.
    Definition {
        /// The object.
        value: Value,
        /// Index into [`Parsed::docs`] of the block documenting it.
        doc: Option<DocId>,
    },
    /// An `include` directive.
    Include {
        /// The included file's absolute, normalized path.
        absolute: PathBuf,
        /// The directive.
        span: Span,
    },
}

/// Why the root file could not be read.
pub struct RootUnreadable {
    /// The path.
    pub path: String,
    /// The error.
    pub error: io::Error,
}

/// Reads `root` and its includes.
pub fn load(
    root: &str,
    read: &mut ReadFile<'_>,
    dialect: Dialect,
    diagnostics: &mut Diagnostics,
) -> Result<Parsed, RootUnreadable> {
    let bytes = read(Path::new(root)).map_err(|error| RootUnreadable {
        path: root.to_string(),
        error,
    })?;
    let mut reader = Reader {
        read,
        parsed: Parsed {
            sources: SourceMap::default(),
            expressions: Vec::new(),
            docs: Vec::new(),
            pragma: Pragma::default(),
        },
        open_files: Vec::new(),
        seen_files: HashSet::new(),
        dialect,
        diagnostics,
    };
    reader.file(
        root.to_string(),
        absolute_path(Path::new(root)),
        bytes,
        None,
    );
    Ok(reader.parsed)
}

struct Reader<'r, 'f> {
    read: &'r mut ReadFile<'f>,
    parsed: Parsed,
    /// Absolute paths of the files being read, outermost first.
    open_files: Vec<PathBuf>,
    /// Absolute paths of all files read so far.
    seen_files: HashSet<PathBuf>,
    /// The language rules in force.
    dialect: Dialect,
    diagnostics: &'r mut Diagnostics,
}

impl Reader<'_, '_> {
    fn file(
        &mut self,
        path: String,
        absolute: PathBuf,
        bytes: Vec<u8>,
        included_from: Option<Span>,
    ) {
        let (text, bad_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                (
                    String::from_utf8_lossy(error.as_bytes()).into_owned(),
                    Some(offset),
                )
            }
        };
        let id = self
            .parsed
            .sources
            .add(path, absolute.clone(), text, included_from);
        let file = self.parsed.sources.file(id);
        let base = file.start;
        if let Some(offset) = bad_utf8 {
            let at = Span::new(base + offset as u32, base + offset as u32 + 1);
            self.diagnostics
                .push(Diagnostic::error(at, "the file is not valid UTF-8"));
            return;
        }
        let syntax = syntax::parse_items(&file.text, base);
        self.seen_files.insert(absolute.clone());
        self.open_files.push(absolute);
        self.items(syntax);
        self.open_files.pop();
    }

    fn items(&mut self, syntax: syntax::FileSyntax) {
        let mut syntax_error = syntax.error;
        let mut pending_doc: Option<DocId> = None;
        for (index, item) in syntax.items.into_iter().enumerate() {
            let preempting = syntax_error
                .take_if(|error| error.before_item == index)
                .map(|error| error.diagnostic);
            match item {
                Item::Doc(block) => {
                    self.reject_pending_doc(&mut pending_doc);
                    let docs = match doc_comment::parse(&self.parsed.sources, &block, self.dialect)
                    {
                        Ok(docs) => docs,
                        Err(error) => {
                            self.diagnostics.push(error);
                            return;
                        }
                    };
                    if let Some(error) = preempting {
                        self.diagnostics.push(error);
                        return;
                    }
                    for mut doc in docs {
                        if let Err(error) = doc_comment::finish(&mut doc) {
                            self.diagnostics.push(error);
                        }
                        pending_doc = Some(DocId(self.parsed.docs.len() as u32));
                        self.parsed.docs.push(doc);
                    }
                }
                Item::Expression(value) => {
                    if let Some(error) = preempting {
                        self.diagnostics.push(error);
                        return;
                    }
                    self.expression(value, &mut pending_doc);
                }
            }
        }
        if let Some(error) = syntax_error {
            self.diagnostics.push(error.diagnostic);
            return;
        }
        self.reject_pending_doc(&mut pending_doc);
    }

    fn expression(&mut self, value: Value, pending_doc: &mut Option<DocId>) {
        let start = Span::new(value.span.start, value.span.start + 1);
        let Some(members) = value.as_object() else {
            self.diagnostics.push(Diagnostic::error(
                start,
                "a top-level expression must be an object",
            ));
            return;
        };
        if let Some(include) = members.get("include") {
            self.reject_pending_doc(pending_doc);
            if members.len() != 1 {
                self.diagnostics.push(
                    Diagnostic::error(start, "an 'include' directive must have no other keys")
                        .with_label(value.span, "this directive"),
                );
                return;
            }
            let Some(name) = include.value.as_str() else {
                self.diagnostics.push(
                    Diagnostic::error(start, "'include' takes a file name string")
                        .with_label(include.value.span, "not a string"),
                );
                return;
            };
            self.include(name, start, include.value.span);
        } else if let Some(pragma) = members.get("pragma") {
            self.reject_pending_doc(pending_doc);
            if members.len() != 1 {
                self.diagnostics.push(Diagnostic::error(
                    start,
                    "a 'pragma' directive must have no other keys",
                ));
                return;
            }
            let Some(pragmas) = pragma.value.as_object() else {
                self.diagnostics.push(
                    Diagnostic::error(start, "'pragma' takes an object of pragma settings")
                        .with_label(pragma.value.span, "not an object"),
                );
                return;
            };
            for (name, setting) in pragmas {
                if let Err(error) = self.pragma(name, &setting.value, start) {
                    self.diagnostics
                        .push(error.with_label(setting.key_span, "this pragma"));
                }
            }
        } else {
            let doc = pending_doc.take();
            if let Some(index) = doc {
                let block = &self.parsed.docs[index.index()];
                if block.symbol.is_none() {
                    self.diagnostics.push(
                        Diagnostic::error(
                            block.span,
                            "a free-form documentation block cannot precede a definition",
                        )
                        .with_note("start the block with '@name:' to document the definition"),
                    );
                }
            }
            let doc = doc.filter(|index| self.parsed.docs[index.index()].symbol.is_some());
            self.parsed
                .expressions
                .push(Expression::Definition { value, doc });
        }
        *pending_doc = None;
    }

    fn include(&mut self, name: &str, directive: Span, name_span: Span) {
        let including = self.parsed.sources.file_of(directive.start);
        let path = match Path::new(&including.path).parent() {
            Some(directory) => directory.join(name),
            None => PathBuf::from(name),
        };
        let path = path.to_string_lossy().into_owned();
        let absolute = absolute_path(Path::new(&path));
        self.parsed.expressions.push(Expression::Include {
            absolute: absolute.clone(),
            span: directive,
        });
        if let Some(position) = self.open_files.iter().position(|open| *open == absolute) {
            let chain: Vec<String> = self.open_files[position..]
                .iter()
                .map(|open| self.display_path(open))
                .chain(std::iter::once(path.clone()))
                .collect();
            self.diagnostics.push(
                Diagnostic::error(directive, format!("'{name}' includes itself"))
                    .with_label(name_span, "included again here")
                    .with_note(format!("the inclusion chain is {}", chain.join(" -> "))),
            );
            return;
        }
        if self.seen_files.contains(&absolute) {
            return;
        }
        match (self.read)(Path::new(&path)) {
            Ok(bytes) => self.file(path, absolute, bytes, Some(directive)),
            Err(error) => self.diagnostics.push(
                Diagnostic::error(
                    directive,
                    format!(
                        "cannot read included file '{path}': {}",
                        describe_io_error(&error)
                    ),
                )
                .with_label(name_span, "included here"),
            ),
        }
    }

    fn display_path(&self, absolute: &Path) -> String {
        self.parsed
            .sources
            .files()
            .iter()
            .find(|file| file.absolute == absolute)
            .map_or_else(|| absolute.display().to_string(), |file| file.path.clone())
    }

    fn pragma(&mut self, name: &str, value: &Value, at: Span) -> Result<(), Diagnostic> {
        let pragma = &mut self.parsed.pragma;
        let list = match name {
            "doc-required" => {
                return match value.kind {
                    crate::ast::ValueKind::Bool(flag) => {
                        pragma.doc_required = flag;
                        Ok(())
                    }
                    _ => Err(Diagnostic::error(
                        at,
                        "pragma 'doc-required' takes true or false",
                    )),
                };
            }
            "command-name-exceptions" | "command-returns-exceptions" | "member-name-exceptions"
                if !self.dialect.holds(Rule::ExceptionPragmas) =>
            {
                return Err(unknown_pragma(name, self.dialect, at));
            }
            "returns-whitelist" | "name-case-whitelist"
                if !self.dialect.holds(Rule::WhitelistPragmas) =>
            {
                return Err(unknown_pragma(name, self.dialect, at));
            }
            "command-name-exceptions" => &mut pragma.command_name_exceptions,
            "command-returns-exceptions" | "returns-whitelist" => {
                &mut pragma.command_returns_exceptions
            }
            "documentation-exceptions" => &mut pragma.documentation_exceptions,
            "member-name-exceptions" | "name-case-whitelist" => &mut pragma.member_name_exceptions,
            _ => return Err(unknown_pragma(name, self.dialect, at)),
        };
        let names: Option<IndexSet<String>> = value.as_array().and_then(|elements| {
            elements
                .iter()
                .map(|element| element.as_str().map(str::to_string))
                .collect()
        });
        match names {
            Some(names) => {
                *list = names;
                Ok(())
            }
            None => Err(Diagnostic::error(
                at,
                format!("pragma '{name}' takes an array of strings"),
            )),
        }
    }

    /// A definition's documentation block must be followed by that definition.
    fn reject_pending_doc(&mut self, pending_doc: &mut Option<DocId>) {
        if let Some(index) = pending_doc.take() {
            let doc = &self.parsed.docs[index.index()];
            if let Some(symbol) = &doc.symbol {
                self.diagnostics.push(Diagnostic::error(
                    doc.span,
                    format!("the documentation for '{symbol}' is not followed by its definition"),
                ));
            }
        }
    }
}

/// The error for a pragma name the dialect does not know.
fn unknown_pragma(name: &str, dialect: Dialect, at: Span) -> Diagnostic {
    Diagnostic::error(at, format!("there is no pragma '{name}' in {dialect}"))
}

/// Describes an I/O error without Rust's "(os error N)" suffix.
pub fn describe_io_error(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}

/// The absolute, lexically normalized form of `path` (symbolic links are not followed).
fn absolute_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}
