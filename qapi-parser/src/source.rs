//! The source map: every file a schema reads, in one offset space, with who included whom.
//!
//! A [`Span`] is a byte range into that space, so one `u32` pair locates any token of any
//! included file. Each file owns the range `[start, start + len]`; the extra offset at the end
//! stands for its end of input. The map turns offsets into `file:line:column` the way QEMU
//! counts them (lines from 1, columns from 1 with tabs advancing to the next multiple of eight)
//! and remembers the `include` directive that pulled each file in. It does not read files:
//! `load.rs` does that and hands the text over.

use std::path::{Path, PathBuf};

/// A byte range in the [`SourceMap`]'s offset space.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// The empty span at the start of this one.
    pub fn first_point(self) -> Span {
        Span::new(self.start, self.start)
    }
}

/// Identifies one file of a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// One schema file that was read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the schema names it: the root path as given, an included file's path
    /// joined onto the directory of the file that includes it.
    pub path: String,
    /// The absolute, lexically normalized path, used to recognise a file included twice.
    pub absolute: PathBuf,
    /// The text. Invalid UTF-8 was replaced (and reported) when the file was read.
    pub text: String,
    /// Offset of the first byte in the map's offset space.
    pub start: u32,
    /// The `include` directive that read this file; `None` for the root file.
    pub included_from: Option<Span>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// The span of the whole file, including its end-of-input offset.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.start + self.text.len() as u32)
    }

    /// The zero-based line index containing the file-local byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&(offset as u32)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The file-local byte range of the zero-based line `line`, without its newline.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line] as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| *next as usize - 1);
        start..end.max(start)
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// A position for people: file, line and column, all counted as QEMU counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    /// The file's path as the schema names it.
    pub path: &'a str,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1; a tab advances to the column after the next multiple of eight.
    pub column: usize,
}

/// All files of one schema, in the order they were read.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file and returns its id. `included_from` is the directive that read it.
    pub fn add(
        &mut self,
        path: String,
        absolute: PathBuf,
        text: String,
        included_from: Option<Span>,
    ) -> FileId {
        let start = self.files.last().map_or(0, |last| last.span().end + 1);
        let mut line_starts = vec![0];
        // `match_indices` with a `char` searches with memchr, several times faster than a
        // loop over the bytes.
        line_starts.extend(text.match_indices('\n').map(|(index, _)| index as u32 + 1));
        self.files.push(SourceFile {
            path,
            absolute,
            text,
            start,
            included_from,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }

    /// The file with id `id`.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files, the root first.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The paths of all files read, as the schema names them.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|file| Path::new(&file.path))
    }

    /// The file containing `offset`.
    pub fn file_id_of(&self, offset: u32) -> FileId {
        let index = match self.files.binary_search_by_key(&offset, |file| file.start) {
            Ok(index) => index,
            Err(next) => next.saturating_sub(1),
        };
        FileId(index as u32)
    }

    /// The file containing `offset`.
    pub fn file_of(&self, offset: u32) -> &SourceFile {
        self.file(self.file_id_of(offset))
    }

    /// The source text a span covers.
    pub fn text(&self, span: Span) -> &str {
        let file = self.file_of(span.start);
        let start = (span.start - file.start) as usize;
        let end = ((span.end - file.start) as usize).min(file.text.len());
        &file.text[start.min(end)..end]
    }

    /// File, line and column of `offset`.
    pub fn location(&self, offset: u32) -> Location<'_> {
        let file = self.file_of(offset);
        let local = ((offset - file.start) as usize).min(file.text.len());
        let line = file.line_index(local);
        let line_start = file.line_starts[line] as usize;
        let mut column: usize = 1;
        for character in file.text[line_start..local].chars() {
            column = if character == '\t' {
                column.div_ceil(8) * 8 + 1
            } else {
                column + 1
            };
        }
        Location {
            path: &file.path,
            line: line + 1,
            column,
        }
    }

    /// The `include` directives leading to the file containing `offset`, innermost first.
    pub fn include_chain(&self, offset: u32) -> Vec<Span> {
        let mut chain = Vec::new();
        let mut file = self.file_of(offset);
        while let Some(directive) = file.included_from {
            chain.push(directive);
            file = self.file_of(directive.start);
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(texts: &[&str]) -> SourceMap {
        let mut map = SourceMap::default();
        for (index, text) in texts.iter().enumerate() {
            let name = format!("f{index}.json");
            map.add(name.clone(), PathBuf::from(name), text.to_string(), None);
        }
        map
    }

    #[test]
    fn locations_count_lines_and_expand_tabs() {
        let map = map(&["ab\n\tx\n", "{}"]);
        assert_eq!(map.location(0).line, 1);
        assert_eq!(map.location(4).column, 9);
        assert_eq!(map.location(3).column, 1);
        let second = map.files()[1].start;
        assert_eq!(map.location(second + 1).path, "f1.json");
        assert_eq!(map.location(second + 1).column, 2);
        assert_eq!(map.text(Span::new(second, second + 2)), "{}");
    }

    #[test]
    fn end_of_input_belongs_to_its_file() {
        let map = map(&["x\n", "y"]);
        assert_eq!(map.location(2).path, "f0.json");
        assert_eq!(map.location(2).line, 2);
    }
}
