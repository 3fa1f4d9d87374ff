//! Reading the test suite's metadata: the list of cases in
//! `tests/qapi-schema/meson.build`, and the first source location mentioned
//! in a block of diagnostics (QEMU's `.err` files or our own stderr).

/// The case that `meson.build` adds outside the main list (since QEMU 6.0):
/// its schema file deliberately does not exist.
pub const MISSING_SCHEMA_CASE: &str = "missing-schema.json";

/// Returns the schema file names listed in the `schemas = [ ... ]` block of
/// QEMU's `tests/qapi-schema/meson.build`, followed by [`MISSING_SCHEMA_CASE`]
/// where the file adds it.
pub fn schema_list(meson_build: &str) -> Result<Vec<String>, String> {
    let mut lines = meson_build.lines();
    if !lines.any(|line| line.trim_end() == "schemas = [") {
        return Err("no `schemas = [` block".to_owned());
    }

    let mut cases = Vec::new();
    for line in lines.by_ref() {
        let entry = line.trim();
        if entry == "]" {
            let quoted = format!("'{MISSING_SCHEMA_CASE}'");
            if lines.any(|line| line.contains(&quoted)) {
                cases.push(MISSING_SCHEMA_CASE.to_owned());
            }
            return Ok(cases);
        }
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        let name = entry
            .strip_suffix(',')
            .unwrap_or(entry)
            .strip_prefix('\'')
            .and_then(|rest| rest.strip_suffix('\''))
            .ok_or_else(|| format!("unexpected line in the schema list: {line:?}"))?;
        cases.push(name.to_owned());
    }
    Err("the `schemas = [` block is not closed".to_owned())
}

/// A diagnostic line that starts with a source location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The file named by the location.
    pub file: String,
    /// The 1-based line number.
    pub line: u32,
    /// The whole diagnostic line, for display.
    pub text: String,
}

impl Located {
    /// Whether two diagnostics point at the same file and line. Columns and
    /// wording are deliberately ignored.
    pub fn same_place(&self, other: &Located) -> bool {
        normalize(&self.file) == normalize(&other.file) && self.line == other.line
    }

    /// `FILE:LINE`, for messages.
    pub fn place(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

fn normalize(file: &str) -> &str {
    file.strip_prefix("./").unwrap_or(file)
}

/// Finds the first line of `diagnostics` of the form `FILE:LINE: ...` or
/// `FILE:LINE:COLUMN: ...`.
///
/// Context lines such as `In file included from a.json:1:` or
/// `a.json: In struct 'S':` never qualify.
pub fn first_location(diagnostics: &str) -> Option<Located> {
    diagnostics
        .lines()
        .filter(|line| !line.starts_with("In file included from "))
        .find_map(parse_location)
}

/// Parses one line against `^([^ :][^:]*):(\d+)(:\d+)?: `.
fn parse_location(line: &str) -> Option<Located> {
    let (file, rest) = line.split_once(':')?;
    if file.is_empty() || file.starts_with(' ') {
        return None;
    }
    let (line_number, rest) = split_digits(rest)?;
    let after_column = rest
        .strip_prefix(':')
        .and_then(split_digits)
        .map(|(_, after)| after);
    let message_follows = |rest: &str| rest.starts_with(": ");
    if !message_follows(rest) && !after_column.is_some_and(message_follows) {
        return None;
    }
    Some(Located {
        file: file.to_owned(),
        line: line_number.parse().ok()?,
        text: line.to_owned(),
    })
}

/// Splits a non-empty run of ASCII digits off the front of `text`.
fn split_digits(text: &str) -> Option<(&str, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    (end > 0).then(|| text.split_at(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_schema_list() {
        let meson = "\
env = environment()

schemas = [
  'first.json',
  # a comment
  'second-case.json',

  'last.json'
]
schemas = files(schemas)
other = [
  'not-a-case.json',
]
";
        assert_eq!(
            schema_list(meson).unwrap(),
            ["first.json", "second-case.json", "last.json"]
        );
        let with_missing =
            format!("{meson}schemas += [meson.current_source_dir() / 'missing-schema.json']\n");
        assert_eq!(
            schema_list(&with_missing).unwrap(),
            [
                "first.json",
                "second-case.json",
                "last.json",
                MISSING_SCHEMA_CASE
            ]
        );
    }

    #[test]
    fn rejects_a_malformed_schema_list() {
        assert!(schema_list("foo = [\n]\n").is_err());
        assert!(schema_list("schemas = [\n  'a.json',\n").is_err());
        assert!(schema_list("schemas = [\n  a.json,\n]\n").is_err());
    }

    #[test]
    fn finds_the_first_location() {
        let err = "\
In file included from outer.json:1:
In file included from middle.json:3:
inner.json:7: something is wrong
inner.json:9: and this too
";
        let found = first_location(err).unwrap();
        assert_eq!((found.file.as_str(), found.line), ("inner.json", 7));
        assert_eq!(found.text, "inner.json:7: something is wrong");
    }

    #[test]
    fn skips_context_lines() {
        let err = "case.json: In struct 'Thing':\ncase.json:12:5: bad member\n";
        let found = first_location(err).unwrap();
        assert_eq!((found.file.as_str(), found.line), ("case.json", 12));
    }

    #[test]
    fn location_needs_a_message_separator() {
        assert_eq!(
            first_location("can't read schema file 'x.json': gone\n"),
            None
        );
        assert_eq!(first_location("x.json:3\n"), None);
        assert_eq!(first_location("x.json:3:\n"), None);
        assert_eq!(first_location("x.json:3:4\n"), None);
        assert_eq!(first_location("x.json:3:4:oops\n"), None);
        assert_eq!(first_location(" x.json:3: indented\n"), None);
        assert_eq!(first_location(":3: no file\n"), None);
        assert_eq!(first_location(""), None);
        assert!(first_location("x.json:3:4: fine\n").is_some());
    }

    #[test]
    fn compares_file_and_line_only() {
        let qemu = first_location("a.json:4: QEMU's wording\n").unwrap();
        let ours = first_location("./a.json:4:17: our wording\n").unwrap();
        let elsewhere = first_location("a.json:5:1: our wording\n").unwrap();
        assert!(qemu.same_place(&ours));
        assert!(!qemu.same_place(&elsewhere));
        assert_eq!(qemu.place(), "a.json:4");
    }
}
