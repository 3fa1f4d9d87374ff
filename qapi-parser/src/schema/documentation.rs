//! The documentation of a schema, as the IR holds it: blocks of sections, each bound to the
//! definition it documents or free-form. `doc_comment/` parses `##` comments into these.

use crate::source::Span;

/// A parsed documentation block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    /// The opening `##` line.
    pub span: Span,
    /// The documented definition's name; `None` for free-form documentation.
    pub symbol: Option<String>,
    /// All sections in text order. The first is always the plain body section.
    pub sections: Vec<Section>,
}

/// One section of a documentation block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// What the section is.
    pub kind: SectionKind,
    /// The member or feature described, for [`SectionKind::Member`] and
    /// [`SectionKind::Feature`].
    pub name: Option<String>,
    /// The text, without the tag, with blank lines at either end removed.
    pub text: String,
    /// The line where the section starts. A member description added for an undocumented
    /// member (allowed by pragma) points at the block's opening line.
    pub span: Span,
}

/// The kinds of documentation section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// Untagged text: the body, or a paragraph after the descriptions.
    Plain,
    /// `@name:` describing a member, argument or enum value.
    Member,
    /// `@name:` under `Features:`.
    Feature,
    /// `Returns:` (commands only).
    Returns,
    /// `Errors:` (commands only).
    Errors,
    /// `Since:`.
    Since,
    /// `TODO:`.
    Todo,
    /// `Note:` (QEMU 9.1 and older).
    Note,
    /// `Notes:` (QEMU 9.1 and older).
    Notes,
    /// `Example:` (QEMU 9.1 and older).
    Example,
    /// `Examples:` (QEMU 9.1 and older).
    Examples,
}

impl SectionKind {
    /// Whether it is one of the sections QEMU 9.2 replaced by rST directives.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            SectionKind::Note | SectionKind::Notes | SectionKind::Example | SectionKind::Examples
        )
    }

    /// The tag that starts the section in a schema (`Returns`, `TODO`, …); `None` for the
    /// untagged kinds.
    pub fn tag(self) -> Option<&'static str> {
        match self {
            SectionKind::Plain | SectionKind::Member | SectionKind::Feature => None,
            SectionKind::Todo => Some("TODO"),
            kind => Some(kind.title()),
        }
    }

    /// The section's tag as it reads in a schema (`Returns`, `Since`, …); `Plain`, `Member`
    /// and `Feature` for the untagged kinds.
    pub fn title(self) -> &'static str {
        match self {
            SectionKind::Plain => "Plain",
            SectionKind::Member => "Member",
            SectionKind::Feature => "Feature",
            SectionKind::Returns => "Returns",
            SectionKind::Errors => "Errors",
            SectionKind::Since => "Since",
            SectionKind::Todo => "Todo",
            SectionKind::Note => "Note",
            SectionKind::Notes => "Notes",
            SectionKind::Example => "Example",
            SectionKind::Examples => "Examples",
        }
    }
}

impl Doc {
    /// The body: the text before any description or tagged section.
    pub fn body(&self) -> &Section {
        &self.sections[0]
    }

    /// Member descriptions, in order.
    pub fn members(&self) -> impl Iterator<Item = &Section> {
        self.sections_of(SectionKind::Member)
    }

    /// Feature descriptions, in order.
    pub fn features(&self) -> impl Iterator<Item = &Section> {
        self.sections_of(SectionKind::Feature)
    }

    /// Sections other than the body and the descriptions, in order.
    pub fn other_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections[1..]
            .iter()
            .filter(|section| !matches!(section.kind, SectionKind::Member | SectionKind::Feature))
    }

    /// The description of member `name`.
    pub fn member(&self, name: &str) -> Option<&Section> {
        self.members()
            .find(|section| section.name.as_deref() == Some(name))
    }

    /// The description of feature `name`.
    pub fn feature(&self, name: &str) -> Option<&Section> {
        self.features()
            .find(|section| section.name.as_deref() == Some(name))
    }

    /// The first section of `kind`.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|section| section.kind == kind)
    }

    pub(crate) fn sections_of(&self, kind: SectionKind) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |section| section.kind == kind)
    }
}
