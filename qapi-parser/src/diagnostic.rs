//! Diagnostics as data, and the one place that renders them.
//!
//! Every stage reports problems as [`Diagnostic`] values: a message in our own words, the
//! location QEMU would report (the definition for semantic errors, the token for lexical and
//! syntax errors) and optionally a second label at the precise spot. Nothing is printed where a
//! problem is found; the edges (CLI, build.rs builder, proc-macro) call [`render`] with the
//! format they need. The include chain comes from the [`SourceMap`] at render time.

use std::fmt::Write as _;

use codespan_reporting::diagnostic as codespan;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

use crate::source::{FileId, SourceMap, Span};

/// One problem with a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
    /// Where QEMU reports it; `None` for problems with no place in a file (an unreadable root).
    pub span: Option<Span>,
    /// A more precise place inside the reported construct, with a short explanation.
    pub label: Option<Label>,
    /// Further explanation, one sentence each.
    pub notes: Vec<String>,
}

/// A secondary place a diagnostic points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The place.
    pub span: Span,
    /// What is there.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: shorten(message.into()),
            span: Some(span),
            label: None,
            notes: Vec::new(),
        }
    }

    /// A diagnostic not tied to a place in a file.
    pub fn unplaced(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: shorten(message.into()),
            span: None,
            label: None,
            notes: Vec::new(),
        }
    }

    /// Adds a secondary label; a label at the reported place itself is dropped.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        if Some(span) != self.span {
            self.label = Some(Label {
                span,
                message: message.into(),
            });
        }
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
}

/// Messages quote names and text from the schema, which can be huge in hostile input; keep
/// them readable.
fn shorten(message: String) -> String {
    const LIMIT: usize = 300;
    if message.len() <= LIMIT {
        return message;
    }
    let head: String = message.chars().take(LIMIT - 40).collect();
    let tail: Vec<char> = message.chars().rev().take(30).collect();
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}[…]{tail}")
}

/// An accumulator of diagnostics, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

/// How many diagnostics are kept; after them one more says that the rest were dropped. A
/// hostile file can hold an error every two bytes, and locating each on a long line costs
/// time in proportion to the line, so without a limit a megabyte takes seconds to report.
pub const MAX_DIAGNOSTICS: usize = 100;

impl Diagnostics {
    /// Records one diagnostic, unless [`MAX_DIAGNOSTICS`] are recorded already.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        match self.0.len() {
            count if count < MAX_DIAGNOSTICS => self.0.push(diagnostic),
            MAX_DIAGNOSTICS => self.0.push(Diagnostic::unplaced(format!(
                "too many errors; stopped after the first {MAX_DIAGNOSTICS}"
            ))),
            _ => {}
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many diagnostics were recorded.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The recorded diagnostics.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

/// How to render diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// A source snippet with a caret, the include chain, labels and notes.
    #[default]
    Human,
    /// One line each: `PATH:LINE:COL: MESSAGE`.
    Short,
    /// One JSON object per line with `file`, `line`, `col` and `message`.
    Json,
}

/// Renders diagnostics in `format`; `color` adds ANSI colours to the human format.
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    format: Format,
    color: bool,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        match format {
            Format::Human => render_human(sources, diagnostic, color, &mut out),
            Format::Short => {
                match diagnostic.span {
                    Some(span) => {
                        let location = sources.location(span.start);
                        let _ = write!(
                            out,
                            "{}:{}:{}: ",
                            location.path, location.line, location.column
                        );
                    }
                    None => out.push_str("error: "),
                }
                out.push_str(&diagnostic.message);
                out.push('\n');
            }
            Format::Json => {
                let location = diagnostic.span.map(|span| sources.location(span.start));
                let object = serde_json::json!({
                    "file": location.map(|location| location.path),
                    "line": location.map(|location| location.line),
                    "col": location.map(|location| location.column),
                    "message": diagnostic.message,
                });
                out.push_str(&object.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn render_human(sources: &SourceMap, diagnostic: &Diagnostic, color: bool, out: &mut String) {
    let Some(span) = diagnostic.span else {
        let _ = writeln!(out, "error: {}", diagnostic.message);
        for note in &diagnostic.notes {
            let _ = writeln!(out, "  = note: {note}");
        }
        return;
    };
    // A snippet of a huge line (a 20 MB string, say) helps nobody: give the location only.
    const SNIPPET_LIMIT: usize = 1000;
    let file = sources.file_of(span.start);
    let line = file.line_range(file.line_index((span.start - file.start) as usize));
    if line.len() > SNIPPET_LIMIT {
        let location = sources.location(span.start);
        let _ = writeln!(out, "error: {}", diagnostic.message);
        let _ = writeln!(
            out,
            "  --> {}:{}:{}",
            location.path, location.line, location.column
        );
        for note in &diagnostic.notes {
            let _ = writeln!(out, "  = note: {note}");
        }
        return;
    }
    let files = CodespanFiles(sources);
    let mut labels = vec![primary_label(sources, span)];
    if let Some(label) = &diagnostic.label {
        labels.push(secondary_label(sources, label.span).with_message(label.message.as_str()));
    }
    let mut notes: Vec<String> = sources
        .include_chain(span.start)
        .into_iter()
        .map(|directive| {
            let location = sources.location(directive.start);
            format!("in file included from {}:{}", location.path, location.line)
        })
        .collect();
    notes.extend(diagnostic.notes.iter().cloned());
    let report = codespan::Diagnostic::error()
        .with_message(diagnostic.message.as_str())
        .with_labels(labels)
        .with_notes(notes);
    let config = term::Config::default();
    let mut buffer = if color {
        term::termcolor::Buffer::ansi()
    } else {
        term::termcolor::Buffer::no_color()
    };
    if term::emit_to_write_style(&mut buffer, &config, &files, &report).is_ok() {
        out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
    } else {
        let _ = writeln!(out, "error: {}", diagnostic.message);
    }
}

fn primary_label(sources: &SourceMap, span: Span) -> codespan::Label<FileId> {
    let (file, range) = local_range(sources, span);
    codespan::Label::primary(file, range)
}

fn secondary_label(sources: &SourceMap, span: Span) -> codespan::Label<FileId> {
    let (file, range) = local_range(sources, span);
    codespan::Label::secondary(file, range)
}

fn local_range(sources: &SourceMap, span: Span) -> (FileId, std::ops::Range<usize>) {
    let id = sources.file_id_of(span.start);
    let file = sources.file(id);
    let length = file.text.len();
    let start = ((span.start - file.start) as usize).min(length);
    let end = (span.end.saturating_sub(file.start) as usize).clamp(start, length);
    // Keep multi-line spans to their first line: the caret marks where, not how much.
    let line_end = file.line_range(file.line_index(start)).end.max(start);
    (id, start..end.min(line_end))
}

/// Adapts a [`SourceMap`] to codespan-reporting's view of files.
struct CodespanFiles<'a>(&'a SourceMap);

impl<'a> Files<'a> for CodespanFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.file(id).path)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.file(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.file(id).line_index(byte_index))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.0.file(id);
        if line_index >= file.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_count() - 1,
            });
        }
        let range = file.line_range(line_index);
        // codespan expects the range to include the line terminator when there is one.
        let end = if range.end < file.text.len() {
            range.end + 1
        } else {
            range.end
        };
        Ok(range.start..end)
    }
}
