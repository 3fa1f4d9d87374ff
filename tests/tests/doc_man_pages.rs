//! Our man pages for QEMU 10.0.2's three schemas hold every definition heading and every
//! member line of the manuals QEMU ships in Debian (`qemu-qmp-ref(7)`, `qemu-ga-ref(7)`,
//! `qemu-storage-daemon-qmp-ref(7)`).
//!
//! Both pages are rendered by `man -l` at a fixed, very wide `MANWIDTH` (so nothing wraps or
//! hyphenates), whitespace and dash and quote glyphs are normalised, and then each heading
//! (`Command NAME (Since: X)`), member line (`• name (type, optional) -- text`, `• The members
//! of X.`) and return line (`Return type -- text`) of QEMU's page must occur in ours as often.
//! Two things are forgiven, each counted and printed: a `.INDENT` request that Sphinx's man
//! writer leaves as text at the end of some member lines, and the title of another QEMU
//! manual that a `:doc:` reference shows where ours shows the manual's path (the title is not
//! in the schema). Our page must also pass `groff -ww` without a warning. Where `man`, the
//! manuals or QEMU's source are missing the test skips, unless `QAPI_REQUIRE_LIVE=1`.
//!
//! The same is done for QEMU 7.2's schemas, read as 7.2 reads them, against the manuals of
//! QEMU 7.2.22 (unpacked from Debian's packages into `qemu-7.2-bin`), in that release's
//! layout: each `NAME (Kind)` heading, and each term of the `Arguments`, `Members`, `Values`
//! and `Features` lists (`name: type (optional)`, `The members of X when tag is "v"`) must
//! occur in ours.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_compiler::doc;
use qapi_schema::{Dialect, Release, Schema};
use qapi_tests::{QEMU_VERSION, qemu_binaries_of, qemu_source, qemu_source_of, unavailable};

#[test]
fn guest_agent_manual() {
    compare("qemu-ga-ref", "qga/qapi-schema.json");
}

#[test]
fn machine_protocol_manual() {
    compare("qemu-qmp-ref", "qapi/qapi-schema.json");
}

#[test]
fn storage_daemon_manual() {
    compare(
        "qemu-storage-daemon-qmp-ref",
        "storage-daemon/qapi/qapi-schema.json",
    );
}

fn compare(page: &str, schema_path: &str) {
    let Some(source) = qemu_source() else {
        return unavailable("QEMU's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    let Some(theirs_path) = installed_manual(page) else {
        return unavailable(&format!(
            "the manual {page}(7) is not installed (Debian packages qemu-guest-agent, \
             qemu-system-common, qemu-utils {QEMU_VERSION})"
        ));
    };
    let Some(theirs_text) = render(&theirs_path) else {
        return unavailable("`man -l` does not run");
    };
    if !theirs_text.contains(QEMU_VERSION) {
        return unavailable(&format!(
            "{page}(7) is not the manual of QEMU {QEMU_VERSION}"
        ));
    }

    let schema =
        qapi_schema::parse_file(source.join(schema_path)).unwrap_or_else(|error| panic!("{error}"));
    let ours_text = render_ours(page, &schema);

    let theirs = Lines::extract(&theirs_text);
    let ours = Lines::extract(&ours_text);
    let headings = matched(&theirs.headings, &ours.headings);
    let members = matched(&theirs.members, &ours.members);
    let returns = matched(&theirs.returns, &ours.returns);
    eprintln!(
        "{page}: headings {}/{}, member lines {}/{} ({} with a manual's title for its path, \
         {} with a stray .INDENT), return lines {}/{}",
        headings.found,
        theirs.headings.len(),
        members.found,
        theirs.members.len(),
        members.forgiven_titles,
        theirs.stray_indents,
        returns.found,
        theirs.returns.len(),
    );
    assert!(
        headings.missing.is_empty() && members.missing.is_empty() && returns.missing.is_empty(),
        "lines of {page}(7) missing from ours:\n{}",
        headings
            .missing
            .iter()
            .chain(&members.missing)
            .chain(&returns.missing)
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(!theirs.headings.is_empty() && !theirs.members.is_empty());
}

/// Our man page for `schema`, as `man -l` renders it; groff must not warn about it.
fn render_ours(page: &str, schema: &Schema) -> String {
    let options = doc::Options {
        title: Some(format!("{page} reference")),
        page_name: Some(page.to_string()),
    };
    let ours_page = doc::man::generate(schema, &options);
    let release = schema.dialect.release().map(|r| r.to_string());
    let directory = std::env::temp_dir().join(format!(
        "qapi-doc-man-{page}-{}-{}",
        release.as_deref().unwrap_or("any"),
        std::process::id()
    ));
    std::fs::create_dir_all(&directory).expect("temporary directory");
    let ours_path = directory.join(format!("{page}.7"));
    std::fs::write(&ours_path, &ours_page).expect("write our page");
    let ours_text = render(&ours_path).expect("man renders our page");
    // groff has nothing to complain about in our page (man-db brings groff along).
    if let Ok(checked) = Command::new("groff")
        .args(["-man", "-ww", "-z", "-Tutf8"])
        .arg(&ours_path)
        .output()
    {
        assert!(
            checked.stderr.is_empty(),
            "groff warns about our {page}(7):\n{}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&directory);

    ours_text
}

#[test]
fn guest_agent_manual_of_7_2() {
    compare_legacy("qemu-ga-ref", "qga/qapi-schema.json");
}

#[test]
fn machine_protocol_manual_of_7_2() {
    compare_legacy("qemu-qmp-ref", "qapi/qapi-schema.json");
}

#[test]
fn storage_daemon_manual_of_7_2() {
    compare_legacy(
        "qemu-storage-daemon-qmp-ref",
        "storage-daemon/qapi/qapi-schema.json",
    );
}

fn compare_legacy(page: &str, schema_path: &str) {
    let Some(source) = qemu_source_of("7.2") else {
        return unavailable("QEMU 7.2's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    let Some(binaries) = qemu_binaries_of("7.2") else {
        return unavailable("QEMU 7.2's Debian packages are not unpacked (.ci/run does it)");
    };
    let theirs_path = binaries.join(format!("usr/share/man/man7/{page}.7.gz"));
    if !theirs_path.is_file() {
        return unavailable(&format!("QEMU 7.2's {page}(7) is not unpacked"));
    }
    let Some(theirs_text) = render(&theirs_path) else {
        return unavailable("`man -l` does not run");
    };
    let dialect = Dialect::Release(Release::new(7, 2));
    let schema = qapi_schema::parse_file_as(source.join(schema_path), dialect)
        .unwrap_or_else(|error| panic!("{error}"));
    let ours_text = render_ours(page, &schema);

    let theirs = LegacyLines::extract(&theirs_text);
    let ours = LegacyLines::extract(&ours_text);
    let headings = matched(&theirs.headings, &ours.headings);
    let members = matched(&theirs.members, &ours.members);
    eprintln!(
        "{page} (7.2): headings {}/{}, member lines {}/{}",
        headings.found,
        theirs.headings.len(),
        members.found,
        theirs.members.len(),
    );
    assert!(
        headings.missing.is_empty() && members.missing.is_empty(),
        "lines of QEMU 7.2's {page}(7) missing from ours:\n{}",
        headings
            .missing
            .iter()
            .chain(&members.missing)
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(!theirs.headings.is_empty() && !theirs.members.is_empty());
}

/// The headings and definition list terms of a page in the layout of QEMU 7.2's manuals.
struct LegacyLines {
    headings: Vec<String>,
    members: Vec<String>,
}

impl LegacyLines {
    /// Subsection titles sit at column 3 and list terms at column 7 (a term shorter than
    /// the list's indentation has its description on the same line, two spaces on).
    fn extract(text: &str) -> LegacyLines {
        let mut lines = LegacyLines {
            headings: Vec::new(),
            members: Vec::new(),
        };
        let mut in_list = false;
        for raw in text.lines() {
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            if indent < 7 {
                in_list = indent == 3
                    && ["Arguments", "Members", "Values", "Features"].contains(&trimmed);
                if indent == 3 && is_legacy_heading(&normalise(trimmed)) {
                    lines.headings.push(normalise(trimmed));
                }
                continue;
            }
            if in_list && indent == 7 {
                let term = normalise(trimmed.split("  ").next().unwrap_or(trimmed));
                if is_legacy_term(&term) {
                    lines.members.push(term);
                }
            }
        }
        lines
    }
}

/// `NAME (Command)`, `NAME (Object)`, …
fn is_legacy_heading(line: &str) -> bool {
    let Some((name, kind)) = line.split_once(' ') else {
        return false;
    };
    is_name(name) && ["(Command)", "(Event)", "(Object)", "(Enum)", "(Alternate)"].contains(&kind)
}

/// `name`, `name: type…`, `name (If: …)`, `name when …`, `The members of …`.
fn is_legacy_term(line: &str) -> bool {
    if line.starts_with("The members of ") {
        return true;
    }
    let (name, rest) = line
        .find([' ', ':'])
        .map_or((line, ""), |at| line.split_at(at));
    is_name(name)
        && (rest.is_empty()
            || rest.starts_with(": ")
            || rest.starts_with(" (If: ")
            || rest.starts_with(" when "))
}

fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// The path of an installed manual, from `man -w`.
fn installed_manual(page: &str) -> Option<PathBuf> {
    let output = Command::new("man").args(["-w", page]).output().ok()?;
    let path = String::from_utf8(output.stdout).ok()?;
    let path = PathBuf::from(path.lines().next()?.trim());
    (output.status.success() && path.is_file()).then_some(path)
}

/// The page as `man -l` renders it, wide enough that no line wraps.
fn render(path: &Path) -> Option<String> {
    let output = Command::new("man")
        .arg("-l")
        .arg(path)
        .env("MANWIDTH", "2000")
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env_remove("MANOPT")
        .env_remove("MAN_KEEP_FORMATTING")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The heading and member lines of a rendered page, normalised.
struct Lines {
    headings: Vec<String>,
    members: Vec<String>,
    returns: Vec<String>,
    stray_indents: usize,
}

impl Lines {
    fn extract(text: &str) -> Lines {
        let mut lines = Lines {
            headings: Vec::new(),
            members: Vec::new(),
            returns: Vec::new(),
            stray_indents: 0,
        };
        for raw in text.lines() {
            let mut line = normalise(raw);
            if let Some(stripped) = strip_stray_indent(&line) {
                line = stripped;
                lines.stray_indents += 1;
            }
            if is_heading(&line) {
                lines.headings.push(line);
            } else if is_member_line(&line) {
                lines.members.push(line);
            } else if line.starts_with("Return ") {
                lines.returns.push(line);
            }
        }
        lines
    }
}

/// Whitespace collapsed; hyphen, minus and typographic quote glyphs as ASCII.
fn normalise(line: &str) -> String {
    let ascii: String = line
        .chars()
        .map(|character| match character {
            '\u{2010}' | '\u{2011}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            other => other,
        })
        .collect();
    ascii.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `… -- .INDENT 2.0` → `… --`: a request Sphinx's man writer printed as text.
fn strip_stray_indent(line: &str) -> Option<String> {
    let (before, after) = line.rsplit_once(" .INDENT ")?;
    after
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.')
        .then(|| before.to_string())
}

/// `Command NAME`, `Event NAME`, … with an optional `(Since: X)`.
fn is_heading(line: &str) -> bool {
    let Some((kind, rest)) = line.split_once(' ') else {
        return false;
    };
    if !["Command", "Event", "Object", "Enum", "Alternate"].contains(&kind) {
        return false;
    }
    let (name, since) = rest.split_once(' ').unwrap_or((rest, ""));
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && (since.is_empty() || since.starts_with("(Since: ") && since.ends_with(')'))
}

/// `• name -- …`, `• name (type…) -- …`, `• The members of X.`,
/// `• When tag is value: The members of X.`
fn is_member_line(line: &str) -> bool {
    let Some(item) = line.strip_prefix("• ") else {
        return false;
    };
    if item.starts_with("The members of ") || item.starts_with("When ") {
        return item.ends_with('.') && item.contains("The members of ");
    }
    let Some((lead, _)) = item.split_once(" --").or_else(|| {
        item.strip_suffix(" --")
            .map(|lead| (lead, ""))
            .or(item.ends_with("--").then_some((item, "")))
    }) else {
        return false;
    };
    let (name, ty) = lead.split_once(' ').unwrap_or((lead, ""));
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && (ty.is_empty() || ty.starts_with('(') && ty.ends_with(')'))
}

struct Matched {
    found: usize,
    forgiven_titles: usize,
    missing: Vec<String>,
}

/// How many of `theirs` occur in `ours`, counting repeats.
fn matched(theirs: &[String], ours: &[String]) -> Matched {
    let mut available: BTreeMap<&str, usize> = BTreeMap::new();
    for line in ours {
        *available.entry(line.as_str()).or_default() += 1;
    }
    let mut result = Matched {
        found: 0,
        forgiven_titles: 0,
        missing: Vec::new(),
    };
    let mut unmatched = Vec::new();
    for line in theirs {
        match available.get_mut(line.as_str()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                result.found += 1;
            }
            _ => unmatched.push(line),
        }
    }
    for line in unmatched {
        let partner = available
            .iter_mut()
            .find(|(ours, count)| **count > 0 && differs_by_manual_title(line, ours));
        match partner {
            Some((_, count)) => {
                *count -= 1;
                result.found += 1;
                result.forgiven_titles += 1;
            }
            None => result.missing.push(line.clone()),
        }
    }
    result
}

/// Whether `ours` equals `theirs` but for one manual path (`/devel/qapi-code-gen`) where
/// theirs has that manual's title.
fn differs_by_manual_title(theirs: &str, ours: &str) -> bool {
    ours.split(' ').enumerate().any(|(index, word)| {
        if !word.starts_with('/') || word.len() < 2 {
            return false;
        }
        let words: Vec<&str> = ours.split(' ').collect();
        let prefix = words[..index].join(" ");
        let suffix = words[index + 1..].join(" ");
        theirs.len() > prefix.len() + suffix.len()
            && theirs.starts_with(&prefix)
            && theirs.ends_with(&suffix)
    })
}

#[test]
fn line_kinds_are_recognised() {
    assert!(is_heading("Command guest-sync (Since: 0.15.0)"));
    assert!(is_heading("Enum RunState"));
    assert!(!is_heading("Command line options"));
    assert!(is_member_line("• id (int) -- randomly generated"));
    assert!(is_member_line("• keyslot (int, optional) --"));
    assert!(is_member_line("• read -- read operation"));
    assert!(is_member_line(
        "• When type is inet: The members of InetSocketAddress."
    ));
    assert!(!is_member_line(
        "• POSIX: release field returned by uname(2)"
    ));
    assert_eq!(
        strip_stray_indent("• a (string, optional) -- .INDENT 2.0").as_deref(),
        Some("• a (string, optional) --")
    );
    assert!(is_legacy_heading("guest-sync (Command)"));
    assert!(!is_legacy_heading("Since"));
    assert!(is_legacy_term("id: int"));
    assert!(is_legacy_term("paused"));
    assert!(is_legacy_term(
        "mptcp: boolean (optional) (If: HAVE_IPPROTO_MPTCP)"
    ));
    assert!(!is_legacy_term(
        "Remaining options are determined by the block driver."
    ));
    assert!(differs_by_manual_title(
        "• m (int) -- see The Guide section A.",
        "• m (int) -- see /devel/guide section A."
    ));
}
