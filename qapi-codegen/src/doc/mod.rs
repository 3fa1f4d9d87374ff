//! The documentation backends: a reference manual for a schema as reStructuredText, a man(7)
//! page, or a static HTML site.
//!
//! [`Reference::new`] turns the IR into a format-neutral model: chapters from the free-form
//! documentation blocks, and for every definition its kind, name, `Since`, condition,
//! special features, description and fields (arguments, members, values, alternatives,
//! features, return value, errors) with type names resolved to link targets. The layout of
//! the fields follows QEMU's manuals, so the two can be compared line by line. The backends
//! ([`rst`], [`man`], [`html`]) only render that model; [`markup`] reads the reST subset the
//! schema texts are written in for the backends that must translate it. Nothing here does
//! I/O; the same schema always gives the same bytes.

mod collect;
mod headings;
pub mod html;
mod legacy;
pub mod man;
pub mod markup;
pub mod rst;
mod text;

use text::literal_block;
pub use text::{condition_words, dedent, mark_member_references, slug};

/// Settings shared by the documentation backends.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The manual's title; by default QEMU's for its well-known schemas, else after the root
    /// file's name (`text::default_title`).
    pub title: Option<String>,
    /// The man page's name (`qemu-qmp-ref` say); by default the root file's stem.
    pub page_name: Option<String>,
}

/// A schema's reference documentation, ready to render.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The manual's title.
    pub title: String,
    /// The page name for man(7) and the file name stem for reST.
    pub page_name: String,
    /// Chapters, text and definitions, in schema order.
    pub items: Vec<Item>,
    /// The manual layout of the schema's release.
    pub layout: Layout,
}

/// Which release's manual layout a reference follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// QEMU 10.0's: `KIND NAME (Since: X)` headings and bulleted field lists.
    Current,
    /// That of the releases before ([`Rule::LegacyManualLayout`](qapi_schema::Rule::LegacyManualLayout)): `NAME (Kind)` headings
    /// with titled sections and `name: type` definition lists, and a contents list.
    Legacy,
}

/// One piece of the reference, in schema order.
#[derive(Clone, Debug)]
pub enum Item {
    /// A heading from a free-form block (`= Title` is level 1).
    Heading {
        /// 1 for `=`, 2 for `==`, and so on.
        level: usize,
        /// The heading's text.
        text: String,
        /// A unique anchor for it.
        anchor: String,
    },
    /// Free-form text (reST source).
    Text(String),
    /// A definition.
    Definition(Definition),
}

/// What kind of definition a heading names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefinitionKind {
    /// A command.
    Command,
    /// An event.
    Event,
    /// A struct or union.
    Object,
    /// An enumeration.
    Enum,
    /// An alternate.
    Alternate,
}

impl DefinitionKind {
    /// The word QEMU's manuals use in headings: `Command`, `Event`, `Object`, `Enum`,
    /// `Alternate`.
    pub fn title(self) -> &'static str {
        match self {
            DefinitionKind::Command => "Command",
            DefinitionKind::Event => "Event",
            DefinitionKind::Object => "Object",
            DefinitionKind::Enum => "Enum",
            DefinitionKind::Alternate => "Alternate",
        }
    }

    /// Whether it is a command or event (as opposed to a type).
    pub fn is_protocol(self) -> bool {
        matches!(self, DefinitionKind::Command | DefinitionKind::Event)
    }
}

/// One documented definition.
#[derive(Clone, Debug)]
pub struct Definition {
    /// Its kind.
    pub kind: DefinitionKind,
    /// Its QAPI name.
    pub name: String,
    /// The schema file that defines it, relative to the root file's directory.
    pub module: String,
    /// The text of its `Since:` section.
    pub since: Option<String>,
    /// Its condition, in words (`CONFIG_A and not CONFIG_B`).
    pub condition: Option<String>,
    /// Whether it has the `deprecated` feature.
    pub deprecated: bool,
    /// Whether it has the `unstable` feature.
    pub unstable: bool,
    /// Description paragraphs and field groups, in the order of the documentation.
    pub parts: Vec<Part>,
}

/// A part of a definition's documentation.
#[derive(Clone, Debug)]
pub enum Part {
    /// Description text (reST source).
    Text(String),
    /// A list of fields under one label.
    Fields {
        /// The label.
        group: FieldGroup,
        /// The fields, in order.
        fields: Vec<Field>,
    },
    /// The return value.
    Returns {
        /// Its type, when the command declares one.
        ty: Option<TypeName>,
        /// The description (reST source).
        text: String,
    },
    /// A titled section: the errors a command reports, or a note or example of QEMU 9.1
    /// and older (reST source).
    Titled {
        /// The title as the manuals print it: `Errors`, `Note`, `Example`, …
        title: &'static str,
        /// The text.
        text: String,
    },
}

/// The labels of field lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldGroup {
    /// A command's arguments.
    Arguments,
    /// An object's or event's members.
    Members,
    /// An enumeration's values.
    Values,
    /// An alternate's alternatives.
    Alternatives,
    /// Features.
    Features,
}

impl FieldGroup {
    /// The label as the manuals print it.
    pub fn title(self) -> &'static str {
        match self {
            FieldGroup::Arguments => "Arguments",
            FieldGroup::Members => "Members",
            FieldGroup::Values => "Values",
            FieldGroup::Alternatives => "Alternatives",
            FieldGroup::Features => "Features",
        }
    }
}

/// One entry of a field list.
#[derive(Clone, Debug)]
pub enum Field {
    /// A documented member, argument, value, alternative or feature.
    Named {
        /// The name.
        name: String,
        /// Its type (not for values and features).
        ty: Option<TypeName>,
        /// Whether it may be absent.
        optional: bool,
        /// The description (reST source); `Not documented` when the schema has none.
        text: String,
        /// Its condition, in words.
        condition: Option<String>,
        /// Whether it has the `deprecated` feature.
        deprecated: bool,
        /// Whether it has the `unstable` feature.
        unstable: bool,
    },
    /// "The members of X", for a base, an argument type or a union branch.
    MembersOf {
        /// For a branch: the discriminator and its value.
        when: Option<(String, String)>,
        /// The type whose members are meant.
        ty: String,
    },
    /// An entry of a definition list in the [`Layout::Legacy`] manuals.
    Entry(Entry),
}

/// A definition list entry of the [`Layout::Legacy`] manuals: `name: type (optional)`,
/// `The members of T`, either followed by ` when tag is "value"` and ` (If: CONDITION)`,
/// then the description, if any, below.
#[derive(Clone, Debug)]
pub struct Entry {
    /// What the entry describes.
    pub subject: Subject,
    /// For a union branch: the discriminator and its value.
    pub when: Option<(String, String)>,
    /// The condition, in words.
    pub condition: Option<String>,
    /// The description (reST source); `None` for entries that have none.
    pub text: Option<String>,
}

/// The term of an [`Entry`].
#[derive(Clone, Debug)]
pub enum Subject {
    /// A member, argument, value, alternative or feature, with its type if it has one.
    Named {
        /// The name.
        name: String,
        /// Its type, written `array of T` for arrays.
        ty: Option<TypeName>,
        /// Whether it may be absent.
        optional: bool,
    },
    /// The members of another type.
    MembersOf(TypeName),
}

impl Field {
    /// What follows a field's description in plain words: `Deprecated.`, `Unstable.`,
    /// `Availability: CONDITION`.
    pub fn notes(&self) -> Vec<String> {
        let Field::Named {
            condition,
            deprecated,
            unstable,
            ..
        } = self
        else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        if *deprecated {
            notes.push("Deprecated.".to_string());
        }
        if *unstable {
            notes.push("Unstable.".to_string());
        }
        if let Some(condition) = condition {
            notes.push(format!("Availability: {condition}"));
        }
        notes
    }
}

/// A type as the manuals write it, and the definition it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeName {
    /// `string`, `int`, `BlockInfo`, `[BlockInfo]`, …
    pub text: String,
    /// The documented definition to link to, if any.
    pub target: Option<String>,
}

impl Definition {
    /// Its heading as the manuals print it: `KIND NAME (Since: X)`.
    pub fn heading(&self) -> String {
        let mut heading = format!("{} {}", self.kind.title(), self.name);
        if let Some(since) = &self.since {
            let since = since.split_whitespace().collect::<Vec<_>>().join(" ");
            heading.push_str(&format!(" (Since: {since})"));
        }
        heading
    }

    /// The notices under its heading: `This command is deprecated.`, `This command is
    /// unstable/experimental.`
    pub fn notices(&self) -> Vec<String> {
        let what = self.kind.title().to_lowercase();
        let mut notices = Vec::new();
        if self.deprecated {
            notices.push(format!("This {what} is deprecated."));
        }
        if self.unstable {
            notices.push(format!("This {what} is unstable/experimental."));
        }
        notices
    }

    /// Its heading in the [`Layout::Legacy`] manuals: `NAME (Kind)`.
    pub fn legacy_heading(&self) -> String {
        format!("{} ({})", self.name, self.kind.title())
    }

    /// The anchor of its heading: `command-NAME`, `event-NAME` or `type-NAME`.
    pub fn anchor(&self) -> String {
        anchor_for(self.kind, &self.name)
    }
}

/// The anchor of a definition's heading.
pub fn anchor_for(kind: DefinitionKind, name: &str) -> String {
    let prefix = match kind {
        DefinitionKind::Command => "command",
        DefinitionKind::Event => "event",
        _ => "type",
    };
    format!("{prefix}-{name}")
}

/// The anchor of a type's heading, for links from type names.
pub fn type_anchor(name: &str) -> String {
    format!("type-{name}")
}

impl Reference {
    /// The definitions, in order.
    pub fn definitions(&self) -> impl Iterator<Item = &Definition> {
        self.items.iter().filter_map(|item| match item {
            Item::Definition(definition) => Some(definition),
            _ => None,
        })
    }
}
