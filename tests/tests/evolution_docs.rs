//! Our schema diff against QEMU's own record of what it removed and deprecated: across
//! releases 5.2, 7.2, 10.0 and 10.2, every QMP item that the newer release's
//! `docs/about/removed-features.rst` says went away in between is a breaking removal in the
//! diff, and every item its `docs/about/deprecated.rst` says became deprecated in between
//! gained the `deprecated` feature.
//!
//! Both documents are read from the fetched source trees when the test runs. Documented items
//! that the diff cannot show are listed with the reason in `data/evolution-doc-exceptions.txt`;
//! the test fails on a miss that is not listed there and on a listed item that no longer misses.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use qapi_introspection::{Change, Diff, Introspection, Verdict, What};
use qapi_schema::{Dialect, Release};
use qapi_tests::{data_file, qemu_source_of, unavailable};

/// The releases compared, oldest first; each is compared with the next.
const RELEASES: [&str; 4] = ["5.2", "7.2", "10.0", "10.2"];

/// The exceptions file, in `tests/data`.
const EXCEPTIONS: &str = "evolution-doc-exceptions.txt";

/// A release as `(major, minor)`, ordered.
type Version = (u32, u32);

/// What a document says happened to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    Removed,
    Deprecated,
}

impl Fate {
    /// The document, in `docs/about`, that lists items of this fate.
    fn document(self) -> &'static str {
        match self {
            Fate::Removed => "removed-features.rst",
            Fate::Deprecated => "deprecated.rst",
        }
    }

    /// What precedes the version in a heading of the document.
    fn marker(self) -> &'static str {
        match self {
            Fate::Removed => "(removed in ",
            Fate::Deprecated => "(since ",
        }
    }

    /// The word for it in reports and in the exceptions file.
    fn name(self) -> &'static str {
        match self {
            Fate::Removed => "removed",
            Fate::Deprecated => "deprecated",
        }
    }
}

/// One thing a heading names: a command or event, or something inside one.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    /// The command or event, as the heading spells it.
    subject: String,
    /// A member, argument, enum value or branch of it; dots separate nested members
    /// (`outer.inner`).
    member: Option<String>,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.member {
            Some(member) => write!(f, "{}/{member}", self.subject),
            None => f.write_str(&self.subject),
        }
    }
}

impl Item {
    /// Whether a diff path (`migrate-set-parameters/arg-type/compress-level`) leads to this
    /// item. The first step must name the subject and, for a member, the last steps must spell
    /// the member, whatever lies between (`arg-type`, `ret-type`, branches, arrays).
    ///
    /// Names compare with `_` and `-` as the same character, since QMP spells both ways and the
    /// documents do not always follow the schema, and a subject also names the command that is
    /// its plural (`migrate-set-parameters` for `migrate-set-parameter`, `-capabilities` for
    /// `-capability`): the documents use the singular for these commands.
    fn is_at(&self, path: &str) -> bool {
        let steps: Vec<&str> = path.split('/').collect();
        let subject = &self.subject;
        let mut plurals = vec![format!("{subject}s")];
        if let Some(stem) = subject.strip_suffix('y') {
            plurals.push(format!("{stem}ies"));
        }
        let names_subject = |step: &str| {
            same_name(step, subject) || plurals.iter().any(|plural| same_name(step, plural))
        };
        if !names_subject(steps[0]) {
            return false;
        }
        let Some(member) = &self.member else {
            return steps.len() == 1;
        };
        let wanted: Vec<&str> = member.split('.').collect();
        steps.len() > wanted.len()
            && steps[steps.len() - wanted.len()..]
                .iter()
                .zip(&wanted)
                .all(|(step, name)| same_name(step.trim_start_matches(['^', '+']), name))
    }

    /// Where `change` shows what the document says happened to the item, if it does: a path
    /// to the item where a removal breaks clients, or where a `deprecated` feature appeared.
    fn shown_by<'c>(&self, change: &'c Change, fate: Fate) -> Option<&'c str> {
        let right_kind = match fate {
            Fate::Removed => matches!(
                change.what,
                What::CommandRemoved
                    | What::EventRemoved
                    | What::MemberRemoved
                    | What::ValueRemoved
                    | What::BranchRemoved
                    | What::MemberMovedToBranches { .. }
            ),
            Fate::Deprecated => change.what == What::FeatureAdded("deprecated".into()),
        };
        if !right_kind {
            return None;
        }
        let used = change.uses.iter().find(|used| {
            self.is_at(&used.path)
                && (fate == Fate::Deprecated
                    || change.what.verdict(used.direction) == Verdict::Breaking)
        })?;
        Some(&used.path)
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.replace('_', "-") == b.replace('_', "-")
}

/// The headings of a reStructuredText document with their levels: 0 for the first underline
/// style the document uses, 1 for the next one, and so on.
fn headings(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut styles: Vec<char> = Vec::new();
    let mut found = Vec::new();
    for pair in lines.windows(2) {
        let (title, underline) = (pair[0], pair[1]);
        let Some(style) = adornment(underline) else {
            continue;
        };
        if title.is_empty() || title.starts_with(' ') || adornment(title).is_some() {
            continue;
        }
        let level = styles.iter().position(|&known| known == style);
        let level = level.unwrap_or_else(|| {
            styles.push(style);
            styles.len() - 1
        });
        found.push((level, title));
    }
    found
}

/// The character `line` repeats, if it is a heading's underline.
fn adornment(line: &str) -> Option<char> {
    let first = line.chars().next()?;
    (line.len() >= 3 && first.is_ascii_punctuation() && line.chars().all(|c| c == first))
        .then_some(first)
}

/// The items named by the headings of a document's QMP sections (the top-level sections
/// about QMP commands or events) whose version is after `old` and at most `new`.
fn documented(text: &str, fate: Fate, old: Version, new: Version) -> Vec<Item> {
    let mut in_qmp = false;
    let mut items = Vec::new();
    for (level, title) in headings(text) {
        match level {
            0 => in_qmp = false,
            1 => in_qmp = title.contains("(QMP)") || title.contains("(QAPI)"),
            _ if in_qmp => {
                if let Some((named, version)) = split_version(title, fate.marker())
                    && old < version
                    && version <= new
                {
                    items.extend(named_items(named));
                }
            }
            _ => {}
        }
    }
    items
}

/// A heading without its version note, and the version: `("``x``", (9, 1))` for
/// "``x`` (removed in 9.1)" when `marker` is `"(removed in "`.
fn split_version<'t>(title: &'t str, marker: &str) -> Option<(&'t str, Version)> {
    let start = title.rfind(marker)?;
    let rest = &title[start + marker.len()..];
    let version = version(&rest[..rest.find(')')?])?;
    Some((title[..start].trim(), version))
}

fn version(text: &str) -> Option<Version> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The words that join names into one list: "``a``, ``b`` and ``c``".
const JOINERS: [&str; 5] = [",", "and", "or", "&", "/"];

/// The items a heading names. The first name and those joined to it by [`JOINERS`] are the
/// subjects (commands or events); every later name is a member of each subject:
/// "``cmd`` ``arg`` option", "``cmd1``, ``cmd2`` argument ``arg``", "``cmd`` result ``a.b``".
fn named_items(heading: &str) -> Vec<Item> {
    let mut subjects = Vec::new();
    let mut members = Vec::new();
    for (index, (between, name)) in names(heading).into_iter().enumerate() {
        let joined = !between.is_empty() && between.iter().all(|word| JOINERS.contains(word));
        if index == 0 || (joined && members.is_empty()) {
            subjects.push(name);
        } else {
            members.push(name);
        }
    }
    if members.is_empty() {
        return subjects
            .into_iter()
            .map(|subject| Item {
                subject,
                member: None,
            })
            .collect();
    }
    let mut items = Vec::new();
    for subject in &subjects {
        for member in &members {
            items.push(Item {
                subject: subject.clone(),
                member: Some(member.clone()),
            });
        }
    }
    items
}

/// The names in a heading, each with the words between it and the name before. A name is
/// a literal (``name``), a quoted word ("name"), or a bare word that can only be a member
/// path (`list[i].member`); indexes like `[i]` are dropped.
fn names(heading: &str) -> Vec<(Vec<&str>, String)> {
    let mut found = Vec::new();
    let mut words = Vec::new();
    for (index, part) in heading.split("``").enumerate() {
        if index % 2 == 1 {
            found.push((std::mem::take(&mut words), without_indexes(part)));
            continue;
        }
        for word in part.split_whitespace() {
            match bare_name(word) {
                Some(name) => found.push((std::mem::take(&mut words), without_indexes(name))),
                None => words.push(word),
            }
        }
    }
    found
}

fn bare_name(word: &str) -> Option<&str> {
    if let Some(quoted) = word
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return Some(quoted).filter(|name| !name.is_empty());
    }
    let path_like = word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.contains(['.', '['])
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.[]".contains(c));
    path_like.then_some(word)
}

fn without_indexes(name: &str) -> String {
    let mut kept = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    kept
}

/// The source trees of [`RELEASES`], or `None` when one is missing (reported as a skip).
fn sources() -> Option<Vec<PathBuf>> {
    RELEASES
        .iter()
        .map(|release| {
            let source = qemu_source_of(release);
            if source.is_none() {
                unavailable(&format!(
                    "QEMU {release}'s source tree is not fetched (run `cargo xtask fetch-qemu`)"
                ));
            }
            source
        })
        .collect()
}

/// A release's QMP schema as `query-qmp-schema` would return it with every condition true.
fn introspection(source: &Path, release: &str) -> Introspection {
    let release: Release = release.parse().expect("a supported release");
    let path = source.join("qapi/qapi-schema.json");
    let schema = qapi_schema::parse_file_as(&path, Dialect::Release(release))
        .unwrap_or_else(|error| panic!("{error}"));
    let json = qapi_compiler::introspect::Introspection::new(&schema, false).to_json(None);
    Introspection::from_json(&json).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A documented item of a release pair: the pair (`5.2->7.2`), the fate's name, the item.
type Key = (String, String, String);

/// The exceptions file: each miss it explains, with the reason.
fn exceptions() -> BTreeMap<Key, String> {
    let path = data_file(EXCEPTIONS);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut exceptions = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let mut field = || fields.next().unwrap_or_default().to_string();
        let key = (field(), field(), field());
        let reason = fields.collect::<Vec<_>>().join(" ");
        assert!(
            ["removed", "deprecated"].contains(&key.1.as_str()) && !reason.is_empty(),
            "{EXCEPTIONS}: expected `OLD->NEW removed|deprecated ITEM REASON`, got `{line}`"
        );
        let duplicate = exceptions.insert(key, reason).is_some();
        assert!(!duplicate, "{EXCEPTIONS}: `{line}` is listed twice");
    }
    exceptions
}

#[test]
fn documented_removals_and_deprecations_are_in_the_diff() {
    let Some(sources) = sources() else {
        return;
    };
    let exceptions = exceptions();
    let mut misses: BTreeSet<Key> = BTreeSet::new();
    for pair in 0..RELEASES.len() - 1 {
        let (old, new) = (RELEASES[pair], RELEASES[pair + 1]);
        let label = format!("{old}->{new}");
        let diff = Diff::between(
            &introspection(&sources[pair], old),
            &introspection(&sources[pair + 1], new),
        );
        let span = (version(old).unwrap(), version(new).unwrap());
        let mut documented_here = 0;
        for fate in [Fate::Removed, Fate::Deprecated] {
            let path = sources[pair + 1].join("docs/about").join(fate.document());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let items = documented(&text, fate, span.0, span.1);
            documented_here += items.len();
            let mut matched = Vec::new();
            let mut missed = Vec::new();
            for item in &items {
                match diff.changes.iter().find_map(|c| item.shown_by(c, fate)) {
                    Some(path) => matched.push(format!("{item} at {path}")),
                    None => missed.push(item.to_string()),
                }
            }
            eprintln!(
                "{label} {}: {} documented, {} matched, {} missed",
                fate.name(),
                items.len(),
                matched.len(),
                missed.len()
            );
            for item in matched {
                eprintln!("    matched {item}");
            }
            for item in missed {
                let key = (label.clone(), fate.name().to_string(), item);
                let reason = exceptions.get(&key).map_or("NOT EXPLAINED", String::as_str);
                eprintln!("    missed {}: {reason}", key.2);
                misses.insert(key);
            }
        }
        assert!(
            documented_here > 0,
            "QEMU {new}'s documents list nothing for {label}: has their layout changed?"
        );
    }

    let show = |(pair, fate, item): &Key| format!("{pair} {fate} {item}");
    let unexplained: Vec<String> = misses
        .iter()
        .filter(|miss| !exceptions.contains_key(*miss))
        .map(show)
        .collect();
    let stale: Vec<String> = exceptions
        .keys()
        .filter(|key| !misses.contains(*key))
        .map(show)
        .collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "documented but not in the diff, and not in {EXCEPTIONS}:\n  {}\n\
         in {EXCEPTIONS} but not missed (remove them):\n  {}",
        unexplained.join("\n  "),
        stale.join("\n  ")
    );
}

/// The matching rule finds what is there and nothing else: near misses of real changes do
/// not match.
#[test]
fn wrong_names_do_not_match() {
    let Some(sources) = sources() else {
        return;
    };
    let diff = Diff::between(
        &introspection(&sources[1], RELEASES[1]),
        &introspection(&sources[2], RELEASES[2]),
    );
    let shown = |subject: &str, member: Option<&str>, fate: Fate| {
        let item = Item {
            subject: subject.into(),
            member: member.map(Into::into),
        };
        diff.changes
            .iter()
            .any(|change| item.shown_by(change, fate).is_some())
    };
    // 7.2 -> 10.0 dropped the parameter `compress-level` and the event MEM_UNPLUG_ERROR.
    assert!(shown(
        "migrate-set-parameters",
        Some("compress-level"),
        Fate::Removed
    ));
    assert!(shown(
        "migrate-set-parameter",
        Some("compress-level"),
        Fate::Removed
    ));
    assert!(!shown(
        "migrate-set-parameters",
        Some("compress-levels"),
        Fate::Removed
    ));
    assert!(!shown(
        "migrate-set-capabilities",
        Some("compress-level"),
        Fate::Removed
    ));
    assert!(!shown("migrate-set-parameters", None, Fate::Removed));
    assert!(!shown(
        "migrate-set-parameters",
        Some("compress-level"),
        Fate::Deprecated
    ));
    assert!(shown("MEM_UNPLUG_ERROR", None, Fate::Removed));
    assert!(!shown("MEM_UNPLUG", None, Fate::Removed));
    // The capability `compress` went too, but a value QEMU stops sending breaks no one.
    assert!(shown(
        "migrate-set-capabilities",
        Some("compress"),
        Fate::Removed
    ));
    assert!(!shown(
        "query-migrate-capabilities",
        Some("compress"),
        Fate::Removed
    ));
    // The socket character device's `reconnect` became deprecated, not removed.
    assert!(shown("chardev-add", Some("reconnect"), Fate::Deprecated));
    assert!(!shown("chardev-add", Some("reconnect"), Fate::Removed));
    assert!(!shown(
        "chardev-add",
        Some("reconnect-ms"),
        Fate::Deprecated
    ));
}

#[test]
fn headings_name_subjects_and_members() {
    let items = |heading: &str| -> Vec<String> {
        named_items(heading)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(items("``frob``"), ["frob"]);
    assert_eq!(items("``frob`` and ``unfrob``"), ["frob", "unfrob"]);
    assert_eq!(items("``frob`` ``speed`` setting"), ["frob/speed"]);
    assert_eq!(
        items("``frob-a``, ``frob-b`` parameter ``speed``"),
        ["frob-a/speed", "frob-b/speed"]
    );
    assert_eq!(
        items("``frob`` parameters ``speed`` and ``depth``"),
        ["frob/speed", "frob/depth"]
    );
    assert_eq!(
        items("``query-frob`` reply entries[n].name"),
        ["query-frob/entries.name"]
    );
    assert_eq!(items("``frob`` \"speed\" knob"), ["frob/speed"]);
    assert_eq!(items("Loosely checked ``frob`` input"), ["frob"]);
}

#[test]
fn only_qmp_sections_and_the_span_count() {
    let text = "\
Things that went
================

Command line
------------

``-frob`` (removed in 8.0)
''''''''''''''''''''''''''

QEMU Machine Protocol (QMP) commands
------------------------------------

``frob`` (removed in 8.0)
'''''''''''''''''''''''''

``ancient-frob`` (removed in 7.2)
'''''''''''''''''''''''''''''''''

``query-frob`` reply ``speed`` (since 9.0)
''''''''''''''''''''''''''''''''''''''''''

Grouped
'''''''

``frob-event`` (removed in 10.0)
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

Human Monitor Protocol (HMP) commands
-------------------------------------

``hmp-frob`` (removed in 9.0)
'''''''''''''''''''''''''''''
";
    let named = |fate| -> Vec<String> {
        documented(text, fate, (7, 2), (10, 0))
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(named(Fate::Removed), ["frob", "frob-event"]);
    assert_eq!(named(Fate::Deprecated), ["query-frob/speed"]);
}
