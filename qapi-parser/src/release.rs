//! QEMU releases and the table of language rules that changed between them.
//!
//! The QAPI language has no version marker: each QEMU release's generator accepts its own
//! dialect. Every rule that differs between releases is a [`Rule`] with the first and last
//! release it holds for, in one table, [`RULES`]. Code asks a [`Dialect`] whether a rule
//! holds and never compares release numbers itself.
//!
//! A dialect is either one release, whose rules apply exactly, or [`Dialect::Any`], which
//! accepts whatever some release accepts: rules that allow a construct hold, rules that
//! forbid one do not. Where releases only differ in how they present a schema (dump
//! layout, where an error is placed), `Any` behaves as the newest release. Where releases
//! read a construct in two ways, neither accepting all the other does, `Any` reads it the
//! newest way and falls back to the old one when the newest rejects it
//! ([`RuleKind::Alternative`], [`Dialect::falls_back`]).

use std::fmt;
use std::str::FromStr;

/// A QEMU release, by major and minor version (`10.0` for 10.0.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    /// The major version.
    pub major: u8,
    /// The minor version.
    pub minor: u8,
}

impl Release {
    /// The release `major.minor`.
    pub const fn new(major: u8, minor: u8) -> Release {
        Release { major, minor }
    }

    /// The oldest release whose language [`RULES`] describe.
    pub const OLDEST: Release = Release::new(5, 0);
    /// The newest release whose language [`RULES`] describe.
    pub const NEWEST: Release = Release::new(10, 2);

    /// The releases whose generators and test suites this project checks itself against.
    pub const VERIFIED: [Release; 4] = [
        Release::new(5, 2),
        Release::new(7, 2),
        Release::new(10, 0),
        Release::new(10, 2),
    ];
}

impl fmt::Display for Release {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Release {
    type Err = String;

    /// Reads `X.Y` or `X.Y.Z` (the micro version does not change the language).
    fn from_str(text: &str) -> Result<Release, String> {
        let mut parts = text.trim().split('.');
        let mut number = |what: &str| -> Result<u8, String> {
            parts
                .next()
                .and_then(|part| part.parse().ok())
                .ok_or_else(|| format!("'{text}' is not a QEMU release: expected X.Y ({what})"))
        };
        let release = Release::new(number("major")?, number("minor")?);
        let _micro = parts.next();
        if parts.next().is_some() {
            return Err(format!("'{text}' is not a QEMU release: expected X.Y"));
        }
        if !(Release::OLDEST..=Release::NEWEST).contains(&release) {
            return Err(format!(
                "QEMU {release} is not supported: releases {} to {} are",
                Release::OLDEST,
                Release::NEWEST
            ));
        }
        Ok(release)
    }
}

/// Which language a schema is read in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Whatever some supported release accepts.
    #[default]
    Any,
    /// Exactly what one release accepts.
    Release(Release),
}

impl Dialect {
    /// Whether `rule` holds in this dialect.
    pub fn holds(self, rule: Rule) -> bool {
        let entry = rule.entry();
        match self {
            Dialect::Any => match entry.kind {
                RuleKind::Allows => true,
                RuleKind::Forbids | RuleKind::Alternative => false,
                RuleKind::Presents => entry.last.is_none(),
            },
            Dialect::Release(release) => {
                entry.first.is_none_or(|first| first <= release)
                    && entry.last.is_none_or(|last| release <= last)
            }
        }
    }

    /// Whether a construct the default reading rejects should be read again by `rule`'s:
    /// true in [`Dialect::Any`] for a [`RuleKind::Alternative`] rule, which `holds` there
    /// for no construct.
    pub fn falls_back(self, rule: Rule) -> bool {
        self == Dialect::Any && rule.entry().kind == RuleKind::Alternative
    }

    /// The release, or `None` for [`Dialect::Any`].
    pub fn release(self) -> Option<Release> {
        match self {
            Dialect::Any => None,
            Dialect::Release(release) => Some(release),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dialect::Any => formatter.write_str("any release"),
            Dialect::Release(release) => write!(formatter, "QEMU {release}"),
        }
    }
}

/// Whether a rule widens or narrows the language, which decides how [`Dialect::Any`] treats
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// The rule accepts a construct: under `Any` it holds.
    Allows,
    /// The rule rejects a construct: under `Any` it does not hold.
    Forbids,
    /// The rule changes how a schema is presented (its dump, its docs, where an error is
    /// placed), not whether it is accepted: under `Any` it holds if it holds in the newest
    /// release.
    Presents,
    /// The rule replaces how a construct is read by another reading, and each accepts
    /// things the other rejects: under `Any` it does not hold, and the code reading the
    /// construct tries the rule's reading where the default one fails
    /// ([`Dialect::falls_back`]).
    Alternative,
}

/// One row of [`RULES`].
#[derive(Clone, Copy, Debug)]
pub struct RuleEntry {
    /// The rule.
    pub rule: Rule,
    /// Whether it widens the language.
    pub kind: RuleKind,
    /// The first release it holds for; `None` for "since before the oldest supported".
    pub first: Option<Release>,
    /// The last release it holds for; `None` for "still holds".
    pub last: Option<Release>,
    /// What it says, for docs/releases.md and messages.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($(#[doc = $doc:literal])* $rule:ident: $kind:ident, $first:expr, $last:expr;)*) => {
        /// A language rule that holds for some QEMU releases only.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($(#[doc = $doc])* $rule,)*
        }

        /// Every rule with the releases it holds for, oldest change first.
        pub const RULES: &[RuleEntry] = &[
            $(RuleEntry {
                rule: Rule::$rule,
                kind: RuleKind::$kind,
                first: $first,
                last: $last,
                summary: concat!($($doc),*),
            },)*
        ];
    };
}

const fn since(major: u8, minor: u8) -> Option<Release> {
    Some(Release::new(major, minor))
}

const fn until(major: u8, minor: u8) -> Option<Release> {
    Some(Release::new(major, minor))
}

const ALWAYS: Option<Release> = None;

rules! {
    /// Unions without a discriminator ("simple unions"), whose branches are wrapped in an
    /// object with one member `data`.
    SimpleUnions: Allows, ALWAYS, until(6, 1);
    /// An alternate's branch may be an array.
    ArrayAlternatives: Allows, since(6, 0), ALWAYS;
    /// Conditions written as C preprocessor expressions (`'defined(CONFIG_X)'`) or lists
    /// of them.
    StringConditions: Allows, ALWAYS, until(6, 1);
    /// Conditions written as `{ 'all': … }`, `{ 'any': … }` and `{ 'not': … }`.
    StructuredConditions: Allows, since(6, 2), ALWAYS;
    /// The pragmas `returns-whitelist` and `name-case-whitelist`.
    WhitelistPragmas: Allows, ALWAYS, until(5, 2);
    /// The pragmas `command-returns-exceptions`, `member-name-exceptions` and
    /// `command-name-exceptions`.
    ExceptionPragmas: Allows, since(6, 0), ALWAYS;
    /// Definition names follow their kind's case (types CamelCase, commands and members
    /// lower case, events upper case).
    NameCaseRules: Forbids, since(6, 0), ALWAYS;
    /// Type names ending in `Kind` are reserved for simple unions' implicit enums.
    KindSuffixReserved: Forbids, ALWAYS, until(6, 1);
    /// `query-qmp-schema` lists an enum's values as `members` (with features) as well as
    /// `values`.
    EnumMembersIntrospected: Presents, since(6, 2), ALWAYS;
    /// The built-in types' module is called `./builtin` (it had no name before).
    BuiltinModuleName: Presents, since(6, 0), ALWAYS;
    /// The built-in `QType` enum has the C prefix `QTYPE`.
    QtypePrefix: Presents, ALWAYS, until(7, 2);
    /// A command or event whose arguments have conditions must be `boxed`.
    ConditionalArgumentsNeedBoxed: Forbids, since(10, 0), ALWAYS;
    /// `Note:`, `Notes:`, `Example:` and `Examples:` sections in documentation comments.
    LegacyDocSections: Allows, ALWAYS, until(9, 1);
    /// Documentation comments are read by the parser of QEMU 8.2 and older: a description's
    /// lines line up with the text after its `@name:` (flush left when the tag is alone on
    /// its line), an unindented line after a blank one ends the descriptions, and only
    /// `Returns:`, `Since:`, `Note(s):`, `Example(s):` and `TODO:` are tags. Later releases
    /// accept other indentation and reject unindented continuations, so under any release a
    /// comment is read this way only when the newer parser rejects it.
    LegacyDocComments: Alternative, ALWAYS, until(8, 2);
    /// Errors about documented members that do not exist, and about a `Returns:` section
    /// outside a command, are placed at the comment's first line.
    DocErrorsAtCommentStart: Presents, ALWAYS, until(8, 2);
    /// Every member, argument, enum value and branch is documented (pragma
    /// `documentation-exceptions` aside); before, an undocumented one got an empty
    /// description.
    MemberDocsRequired: Forbids, since(9, 0), ALWAYS;
    /// A command's documentation has a `Returns:` section only if the command returns
    /// something.
    ReturnsNeedReturnValue: Forbids, since(9, 0), ALWAYS;
    /// `= Heading` lines start chapters in free-form documentation comments, and are
    /// errors in a definition's.
    EqualsHeadings: Allows, ALWAYS, until(10, 0);
    /// A `=` heading after text in a comment starts a new block; later releases demand it
    /// come first.
    HeadingSplitsComment: Allows, ALWAYS, until(8, 2);
    /// Lines starting with `=` are plain text (rST section underlines among them).
    EqualsLinesAreText: Allows, since(10, 1), ALWAYS;
    /// A command that returns a value shows a return in its manual even when its comment
    /// does not describe one.
    ReturnsStub: Presents, since(10, 1), ALWAYS;
    /// Documentation lines are at most 70 columns wide (URLs and literal blocks aside).
    DocLineLimit: Forbids, since(10, 2), ALWAYS;
    /// Sentences in documentation are separated by two spaces.
    TwoSpacesBetweenSentences: Forbids, since(10, 2), ALWAYS;
    /// Reference manuals head a definition `NAME (Kind)` and give it titled sections
    /// (`Arguments`, `Members`, `Values`, `Features`, `Returns`, `Since`, notes, examples,
    /// `If`) of `name: type` definition lists; 10.0's manuals are the first in the newer
    /// layout, so 9.2, the release before it, is taken as the last in the old one.
    LegacyManualLayout: Presents, ALWAYS, until(9, 2);
}

impl Rule {
    /// The rule's row in [`RULES`].
    pub fn entry(self) -> &'static RuleEntry {
        // `rules!` lists the variants and the rows in the same order.
        &RULES[self as usize]
    }
}

/// The rule table as a Markdown table, oldest change first: what docs/releases.md shows.
pub fn markdown_table() -> String {
    let mut table = String::from("| rule | holds for | kind | what it says |\n|---|---|---|---|\n");
    for entry in RULES {
        let range = match (entry.first, entry.last) {
            (None, None) => "every release".to_string(),
            (Some(first), None) => format!("{first} and later"),
            (None, Some(last)) => format!("up to {last}"),
            (Some(first), Some(last)) => format!("{first} to {last}"),
        };
        let kind = match entry.kind {
            RuleKind::Allows => "allows",
            RuleKind::Forbids => "forbids",
            RuleKind::Presents => "presents",
            RuleKind::Alternative => "alternative",
        };
        table.push_str(&format!(
            "| `{:?}` | {range} | {kind} | {} |\n",
            entry.rule,
            entry.summary.trim()
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_parse_and_print() {
        assert_eq!("7.2".parse::<Release>(), Ok(Release::new(7, 2)));
        assert_eq!("10.0.2".parse::<Release>(), Ok(Release::new(10, 0)));
        assert_eq!(Release::new(10, 2).to_string(), "10.2");
        assert!("7".parse::<Release>().is_err());
        assert!("4.2".parse::<Release>().is_err());
        assert!("11.0".parse::<Release>().is_err());
        assert!("7.2.1.0".parse::<Release>().is_err());
    }

    #[test]
    fn rules_hold_in_their_ranges() {
        let at = |major, minor| Dialect::Release(Release::new(major, minor));
        assert!(at(6, 1).holds(Rule::SimpleUnions));
        assert!(!at(6, 2).holds(Rule::SimpleUnions));
        assert!(at(10, 2).holds(Rule::DocLineLimit));
        assert!(!at(10, 0).holds(Rule::DocLineLimit));
    }

    #[test]
    fn any_release_accepts_what_some_release_accepts() {
        assert!(Dialect::Any.holds(Rule::SimpleUnions));
        assert!(Dialect::Any.holds(Rule::StructuredConditions));
        assert!(!Dialect::Any.holds(Rule::NameCaseRules));
        assert!(!Dialect::Any.holds(Rule::DocLineLimit));
        assert!(!Dialect::Any.holds(Rule::QtypePrefix));
        assert!(Dialect::Any.holds(Rule::EnumMembersIntrospected));
        assert!(!Dialect::Any.holds(Rule::LegacyDocComments));
    }

    #[test]
    fn any_release_falls_back_to_alternative_readings() {
        let old = Dialect::Release(Release::new(7, 2));
        assert!(Dialect::Any.falls_back(Rule::LegacyDocComments));
        assert!(!Dialect::Any.falls_back(Rule::SimpleUnions));
        assert!(!old.falls_back(Rule::LegacyDocComments));
        assert!(old.holds(Rule::LegacyDocComments));
        assert!(!Dialect::Release(Release::new(9, 0)).holds(Rule::LegacyDocComments));
    }

    #[test]
    fn every_rule_has_one_row() {
        for entry in RULES {
            assert_eq!(entry.rule.entry().rule, entry.rule);
            if let (Some(first), Some(last)) = (entry.first, entry.last) {
                assert!(first <= last, "{:?}", entry.rule);
            }
        }
    }

    #[test]
    fn docs_show_the_table() {
        let docs = include_str!("../../docs/releases.md");
        assert!(
            docs.contains(&markdown_table()),
            "docs/releases.md must hold the table markdown_table() prints:\n{}",
            markdown_table()
        );
    }
}
