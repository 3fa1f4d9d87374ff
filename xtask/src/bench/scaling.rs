//! `cargo xtask bench scaling`: times `qapi-gen check` and `introspect` on synthetic schemas
//! 1×, 10× and 100× the size of QEMU's QMP schema, to show that time grows linearly with
//! the input.
//!
//! A synthetic schema of N× is N renamed copies of the QMP schema under one root file. Copy
//! `k` is every file of QEMU's `qapi/` directory with each definition's name given a suffix
//! (`S3`, `_S3` or `-s3` for copy 3, after the name's own case style) wherever the name
//! occurs as a word, doc comments included, so every copy is valid on its own and no two
//! copies clash. The pragmas are the exception: a schema has one set, and a later pragma's
//! list replaces an earlier one's, so each copy's `pragma.json` is emptied and the root file
//! carries the pragmas once, with the lists of all copies joined.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use super::{Measured, machine_description, min_and_median, time_command};
use crate::{process, qemu_source};

/// The sizes measured, as multiples of the QMP schema.
const SIZES: [usize; 3] = [1, 10, 100];

/// The root file of the QMP schema, in QEMU's `qapi/` directory.
const ROOT: &str = "qapi-schema.json";

/// The file of the QMP schema that holds its pragmas.
const PRAGMA: &str = "pragma.json";

/// What `qapi-gen` is asked to do at each size.
const TASKS: [&str; 2] = ["check", "introspect"];

/// Generates the schemas, times both tasks at every size and returns the section.
pub fn run(runs: usize) -> Result<Measured, String> {
    let qemu = qemu_source::ensure()?;
    let cli = process::build_cli()?;
    let root = process::target_dir().join("bench").join("scaling");
    let files = qmp_files(&qemu.join("qapi"))?;
    let names = definition_names(&files);
    let mut schemas = Vec::new();
    for size in SIZES {
        let dir = root.join(format!("{size}x"));
        let (path, bytes) = synthesize(&files, &names, size, &dir)?;
        schemas.push((size, path, bytes));
    }

    // times[task][size]
    let mut times = vec![vec![Vec::new(); SIZES.len()]; TASKS.len()];
    let command = |task: &str, schema: &Path| {
        let mut command = Command::new(&cli);
        command.arg(task).arg(schema);
        if task == "introspect" {
            command.arg("-o").arg(root.join("introspect.json"));
        }
        command
    };
    for task in TASKS {
        for (_, schema, _) in &schemas {
            // Untimed: proves the schema is accepted and warms the file cache.
            time_command(&mut command(task, schema), task)?;
        }
    }
    eprintln!("xtask: timing {runs} interleaved runs per task and size");
    for _ in 0..runs {
        for (task, name) in TASKS.iter().enumerate() {
            for (size, (_, schema, _)) in schemas.iter().enumerate() {
                times[task][size].push(time_command(&mut command(name, schema), name)?);
            }
        }
    }
    let _ = fs::remove_file(root.join("introspect.json"));

    let ms = |time: Duration| format!("{:.1}", time.as_secs_f64() * 1000.0);
    let mut table = String::from(
        "| task | size | schema bytes | definitions | min (ms) | median (ms) \
         | median vs. the size before | goal |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
    );
    let mut points = Vec::new();
    for (task, name) in TASKS.iter().enumerate() {
        for (index, (size, _, bytes)) in schemas.iter().enumerate() {
            let (min, median) = min_and_median(&times[task][index]);
            let growth = match index {
                0 => (String::new(), String::new()),
                _ => {
                    let before = min_and_median(&times[task][index - 1]).1;
                    let ratio = median.as_secs_f64() / before.as_secs_f64();
                    let factor = size / schemas[index - 1].0;
                    let goal = factor as f64 * 1.1;
                    let verdict = if ratio <= goal { "met" } else { "missed" };
                    (
                        format!("{ratio:.2}× for {factor}× the input"),
                        format!("≤ {goal:.0}×: {verdict}"),
                    )
                }
            };
            table.push_str(&format!(
                "| `qapi-gen {name}` | {size}× | {bytes} | {} | {} | {} | {} | {} |\n",
                names.len() * size,
                ms(min),
                ms(median),
                growth.0,
                growth.1,
            ));
            points.push(json!({
                "task": format!("qapi-gen {name}"),
                "size": size,
                "median_ms": median.as_secs_f64() * 1000.0,
            }));
        }
    }
    let body = format!(
        "- schemas: N renamed copies of `qapi/{ROOT}` from QEMU {} ({} definitions per \
         copy) under one root file, written to `target/bench/scaling/`\n\
         - runs: {runs} per task and size, interleaved, after one untimed run each; \
         whole-process wall time\n\
         - machine: {}\n\n{table}",
        qemu_source::QEMU_VERSION,
        names.len(),
        machine_description(),
    );
    Ok(Measured {
        body,
        data: json!({ "points": points }),
    })
}

/// Every `.json` file of QEMU's `qapi/` directory: its name and text.
fn qmp_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let entries =
        fs::read_dir(dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|err| err.to_string())?.path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        if name.ends_with(".json") {
            let text = fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            files.push((name.to_owned(), text));
        }
    }
    files.sort();
    Ok(files)
}

/// The names the files define: the value after each `'struct':` (space before the colon allowed), `'enum':`, `'union':`,
/// `'alternate':`, `'command':` and `'event':` key.
fn definition_names(files: &[(String, String)]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (_, text) in files {
        for keyword in ["struct", "enum", "union", "alternate", "command", "event"] {
            let key = format!("'{keyword}'");
            for (at, _) in text.match_indices(&key) {
                let name = text[at + key.len()..]
                    .trim_start()
                    .strip_prefix(':')
                    .map(str::trim_start)
                    .and_then(|rest| rest.strip_prefix('\''))
                    .and_then(|rest| rest.split('\'').next());
                names.extend(name.map(str::to_owned));
            }
        }
    }
    names
}

/// Writes the `copies`× schema into `dir` (replacing what was there) and returns the path of
/// its root file and the total size of its files in bytes.
fn synthesize(
    files: &[(String, String)],
    names: &BTreeSet<String>,
    copies: usize,
    dir: &Path,
) -> Result<(PathBuf, usize), String> {
    let _ = fs::remove_dir_all(dir);
    let pragma = files
        .iter()
        .find(|(name, _)| name == PRAGMA)
        .map_or("", |(_, text)| text.as_str());
    let mut root = joined_pragmas(pragma, names, copies);
    let mut bytes = 0;
    for copy in 0..copies {
        let copy_dir = dir.join(format!("copy{copy}"));
        fs::create_dir_all(&copy_dir)
            .map_err(|err| format!("cannot create {}: {err}", copy_dir.display()))?;
        for (name, text) in files {
            let renamed = if name == PRAGMA {
                "# The pragmas are in the root file.\n".to_owned()
            } else {
                rename(text, names, copy)
            };
            bytes += renamed.len();
            let path = copy_dir.join(name);
            fs::write(&path, renamed)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
        root.push_str(&format!("{{ 'include': 'copy{copy}/{ROOT}' }}\n"));
    }
    bytes += root.len();
    let path = dir.join("schema.json");
    fs::write(&path, root).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    Ok((path, bytes))
}

/// The pragmas of `pragma` (the text of QEMU's `pragma.json`) for `copies` copies: `true`
/// and `false` settings as they are, each list with the items of every copy (once each).
fn joined_pragmas(pragma: &str, names: &BTreeSet<String>, copies: usize) -> String {
    // Without comments (the pragmas' strings hold no `#`).
    let code: String = pragma
        .lines()
        .map(|line| format!("{}\n", line.split('#').next().unwrap_or_default()))
        .collect();
    let mut flags = Vec::new();
    let mut lists = Vec::new();
    let mut rest = code.as_str();
    // Each `'key': value` pair inside a pragma: the value is a boolean or a list of strings.
    while let Some(at) = rest.find("': ") {
        let key = rest[..at]
            .rsplit('\'')
            .next()
            .unwrap_or_default()
            .to_owned();
        let value = rest[at + 3..].trim_start();
        if let Some(list) = value.strip_prefix('[') {
            let end = list.find(']').unwrap_or(list.len());
            let items: Vec<&str> = list[..end].split(',').map(str::trim).collect();
            let mut joined = Vec::new();
            let mut seen = BTreeSet::new();
            for copy in 0..copies {
                for item in &items {
                    let item = rename(item, names, copy);
                    if seen.insert(item.clone()) {
                        joined.push(item);
                    }
                }
            }
            lists.push(format!("'{key}': [ {} ]", joined.join(", ")));
            rest = &list[end..];
        } else if key != "pragma" {
            let end = value.find([' ', '}', ',']).unwrap_or(value.len());
            flags.push(format!(
                "{{ 'pragma': {{ '{key}': {} }} }}\n",
                &value[..end]
            ));
            rest = &value[end..];
        } else {
            rest = value;
        }
    }
    let mut text: String = flags.concat();
    if !lists.is_empty() {
        text.push_str(&format!("{{ 'pragma': {{ {} }} }}\n", lists.join(",\n  ")));
    }
    text
}

/// `text` with every word (a run of letters, digits, `_` and `-`) that is one of `names`
/// given copy `copy`'s suffix, except in the names of included files.
fn rename(text: &str, names: &BTreeSet<String>, copy: usize) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some(start) = rest.find(is_word) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c| !is_word(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        out.push_str(word);
        rest = &rest[start + word_len..];
        // File names of includes keep their stem (`transaction.json`, `yank.json`).
        if names.contains(word) && !rest.starts_with(".json") {
            out.push_str(&suffix(word, copy));
        }
    }
    out.push_str(rest);
    out
}

/// The suffix that keeps `name`'s case style: `_S3` for `UPPER_CASE`, `-s3` for
/// `lower-case`, `S3` for `CamelCase`.
fn suffix(name: &str, copy: usize) -> String {
    if !name.contains(|c: char| c.is_ascii_lowercase()) {
        format!("_S{copy}")
    } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        format!("S{copy}")
    } else {
        format!("-s{copy}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_whole_words_after_their_case_style() {
        let names: BTreeSet<String> = ["Foo", "query-foo", "FOO_DONE"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let text = "# @query-foo:\n{ 'command': 'query-foo', 'returns': 'Foo' }\n\
                    { 'event': 'FOO_DONE', 'data': { 'Foobar': 'Foo' } }\n\
                    { 'include': 'query-foo.json' }";
        assert_eq!(
            rename(text, &names, 7),
            "# @query-foo-s7:\n{ 'command': 'query-foo-s7', 'returns': 'FooS7' }\n\
             { 'event': 'FOO_DONE_S7', 'data': { 'Foobar': 'FooS7' } }\n\
             { 'include': 'query-foo.json' }"
        );
    }

    #[test]
    fn joins_the_pragma_lists_of_every_copy() {
        let names: BTreeSet<String> = ["Foo", "a_b"].into_iter().map(str::to_owned).collect();
        let pragma = "{ 'pragma': { 'doc-required': true } }\n\
                      { 'pragma': {\n    # a comment\n    'x-names': [ # why\n        'a_b', # here\n        'Foo' ],\n\
                      \x20   'y-names': [ 'Other' ] } }\n";
        assert_eq!(
            joined_pragmas(pragma, &names, 2),
            "{ 'pragma': { 'doc-required': true } }\n\
             { 'pragma': { 'x-names': [ 'a_b-s0', 'FooS0', 'a_b-s1', 'FooS1' ],\n  \
             'y-names': [ 'Other' ] } }\n"
        );
    }

    #[test]
    fn finds_the_defined_names() {
        let files = vec![(
            "a.json".to_owned(),
            "{ 'struct': 'A', 'data': {} }\n{ 'command' :'b' }\n{ 'enum': 'C', 'data': ['struct'] }"
                .to_owned(),
        )];
        let names: Vec<String> = definition_names(&files).into_iter().collect();
        assert_eq!(names, ["A", "C", "b"]);
    }
}
