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

mod headings;
pub mod html;
mod legacy;
pub mod man;
pub mod markup;
pub mod rst;
mod text;

use qapi_schema::{Command, Doc, Entity, EntityId, EntityKind, Rule, Schema, SectionKind};

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
    /// That of the releases before ([`Rule::LegacyManualLayout`]): `NAME (Kind)` headings
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
    /// Builds the model of `schema`'s documentation.
    pub fn new(schema: &Schema, options: &Options) -> Reference {
        let root_path = schema.sources.files().first().map(|file| &file.path);
        let root_stem = root_path
            .and_then(|path| std::path::Path::new(path).file_stem())
            .map(|stem| stem.to_string_lossy().into_owned())
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| "qapi-schema".to_string());
        let page_name = options.page_name.clone().unwrap_or(root_stem.clone());
        let title = options.title.clone().unwrap_or_else(|| {
            text::default_title(root_path.map_or("", String::as_str), &root_stem)
        });
        let layout = if schema.dialect.holds(Rule::LegacyManualLayout) {
            Layout::Legacy
        } else {
            Layout::Current
        };
        let mut builder = Builder {
            schema,
            layout,
            items: Vec::new(),
            anchors: Vec::new(),
            title_styles: Vec::new(),
        };
        builder.build();
        Reference {
            title,
            page_name,
            items: builder.items,
            layout,
        }
    }

    /// The definitions, in order.
    pub fn definitions(&self) -> impl Iterator<Item = &Definition> {
        self.items.iter().filter_map(|item| match item {
            Item::Definition(definition) => Some(definition),
            _ => None,
        })
    }
}

struct Builder<'a> {
    schema: &'a Schema,
    layout: Layout,
    items: Vec<Item>,
    anchors: Vec<String>,
    /// The reST title adornments met so far; the first is level 1, and so on.
    title_styles: Vec<(char, bool)>,
}

impl Builder<'_> {
    /// Walks the definitions in definition order; each brings along the free-form blocks
    /// before it: all blocks before its own documentation block, or for an undocumented
    /// definition the free-form blocks above it in its file.
    fn build(&mut self) {
        let schema = self.schema;
        let mut next_doc = 0;
        for (_, entity) in schema.iter() {
            if !documented_kind(entity) {
                continue;
            }
            if let Some(id) = entity.doc {
                let index = id.index();
                while next_doc < index {
                    self.free_form(&schema.docs[next_doc]);
                    next_doc += 1;
                }
                next_doc = next_doc.max(index + 1);
            } else if let Some(span) = entity.span {
                let file = schema.sources.file_id_of(span.start);
                while let Some(doc) = schema.docs.get(next_doc) {
                    let above = doc.symbol.is_none()
                        && schema.sources.file_id_of(doc.span.start) == file
                        && doc.span.start < span.start;
                    if !above {
                        break;
                    }
                    self.free_form(doc);
                    next_doc += 1;
                }
            }
            let definition = self.definition(entity);
            self.items.push(Item::Definition(definition));
        }
        while next_doc < schema.docs.len() {
            self.free_form(&schema.docs[next_doc]);
            next_doc += 1;
        }
    }

    fn free_form(&mut self, doc: &Doc) {
        if doc.symbol.is_some() {
            return;
        }
        let mut text = doc.body().text.as_str();
        if let Some(rest) = text.strip_prefix('=') {
            let (line, remainder) = rest.split_once('\n').unwrap_or((rest, ""));
            let level = 1 + line.chars().take_while(|&c| c == '=').count();
            let heading = line.trim_start_matches('=').trim().to_string();
            if !heading.is_empty() {
                let anchor = self.unique_anchor(&format!("section-{}", slug(&heading)));
                self.items.push(Item::Heading {
                    level,
                    text: heading,
                    anchor,
                });
                text = remainder;
            }
        }
        if !self.schema.dialect.holds(Rule::EqualsLinesAreText) {
            self.free_text(text);
            return;
        }
        for piece in headings::split(text) {
            match piece {
                headings::Piece::Title { text, style } => {
                    let position = self.title_styles.iter().position(|known| *known == style);
                    let level = 1 + position.unwrap_or_else(|| {
                        self.title_styles.push(style);
                        self.title_styles.len() - 1
                    });
                    let anchor = self.unique_anchor(&format!("section-{}", slug(&text)));
                    self.items.push(Item::Heading {
                        level,
                        text,
                        anchor,
                    });
                }
                headings::Piece::Text(text) => self.free_text(&text),
            }
        }
    }

    fn free_text(&mut self, text: &str) {
        let text = mark_member_references(text.trim_matches('\n'));
        if !text.trim().is_empty() {
            self.items.push(Item::Text(text));
        }
    }

    fn unique_anchor(&mut self, wanted: &str) -> String {
        let mut anchor = wanted.to_string();
        let mut number = 1;
        while self.anchors.contains(&anchor) {
            number += 1;
            anchor = format!("{wanted}-{number}");
        }
        self.anchors.push(anchor.clone());
        anchor
    }

    fn definition(&self, entity: &Entity) -> Definition {
        let schema = self.schema;
        let kind = match &entity.kind {
            EntityKind::Command(_) => DefinitionKind::Command,
            EntityKind::Event(_) => DefinitionKind::Event,
            EntityKind::Enum(_) => DefinitionKind::Enum,
            EntityKind::Alternate(_) => DefinitionKind::Alternate,
            _ => DefinitionKind::Object,
        };
        let doc = schema.doc_of(entity);
        let since = doc
            .and_then(|doc| doc.section(SectionKind::Since))
            .map(|section| section.text.trim().to_string())
            .filter(|text| !text.is_empty());
        let has_feature = |name: &str| entity.features.iter().any(|f| f.name == name);
        if self.layout == Layout::Legacy {
            // The old manuals show the condition and features in sections of their own.
            return Definition {
                kind,
                name: entity.name.clone(),
                module: schema.module(entity.module).name.clone(),
                since,
                condition: None,
                deprecated: false,
                unstable: false,
                parts: self.legacy_parts(entity, kind, doc),
            };
        }
        Definition {
            kind,
            name: entity.name.clone(),
            module: schema.module(entity.module).name.clone(),
            since,
            condition: entity.ifcond.as_ref().map(condition_words),
            deprecated: has_feature("deprecated"),
            unstable: has_feature("unstable"),
            parts: self.parts(entity, kind, doc),
        }
    }

    /// The description and fields, laid out the way QEMU's manuals lay them out: sections in
    /// documentation order, member descriptions as fields, and the pointers to other types'
    /// members right after the member descriptions that open the block.
    fn parts(&self, entity: &Entity, kind: DefinitionKind, doc: Option<&Doc>) -> Vec<Part> {
        let group = match kind {
            DefinitionKind::Command => FieldGroup::Arguments,
            DefinitionKind::Event | DefinitionKind::Object => FieldGroup::Members,
            DefinitionKind::Enum => FieldGroup::Values,
            DefinitionKind::Alternate => FieldGroup::Alternatives,
        };
        let mut parts = Vec::new();
        let Some(doc) = doc else {
            let pointers = self.member_pointers(entity);
            push_fields(&mut parts, group, pointers);
            return parts;
        };
        let sections = &doc.sections;
        let mut pointer_after = 1;
        while pointer_after < sections.len() && sections[pointer_after].kind == SectionKind::Member
        {
            pointer_after += 1;
        }
        for (index, section) in sections.iter().enumerate() {
            let text = if section.kind == SectionKind::Plain {
                section.text.trim_matches('\n').to_string()
            } else {
                dedent(&section.text)
            };
            let text = mark_member_references(&text);
            match section.kind {
                SectionKind::Plain => {
                    if !text.trim().is_empty() {
                        parts.push(Part::Text(text));
                    }
                }
                SectionKind::Member => {
                    let name = section.name.clone().unwrap_or_default();
                    let field = self.member_field(entity, &name, text);
                    push_fields(&mut parts, group, vec![field]);
                }
                SectionKind::Feature => {
                    let name = section.name.clone().unwrap_or_default();
                    let field = Field::Named {
                        name,
                        ty: None,
                        optional: false,
                        text,
                        condition: None,
                        deprecated: false,
                        unstable: false,
                    };
                    push_fields(&mut parts, FieldGroup::Features, vec![field]);
                }
                SectionKind::Returns => {
                    let ty = match &entity.kind {
                        EntityKind::Command(command) => {
                            command.ret_type.map(|id| self.type_name(id))
                        }
                        _ => None,
                    };
                    parts.push(Part::Returns { ty, text });
                }
                SectionKind::Errors => parts.push(Part::Titled {
                    title: "Errors",
                    text,
                }),
                SectionKind::Note | SectionKind::Notes => parts.push(Part::Titled {
                    title: section.kind.title(),
                    text,
                }),
                SectionKind::Example | SectionKind::Examples => parts.push(Part::Titled {
                    title: section.kind.title(),
                    text: literal_block(&text),
                }),
                SectionKind::Since | SectionKind::Todo => {}
            }
            if index + 1 == pointer_after {
                let pointers = self.member_pointers(entity);
                push_fields(&mut parts, group, pointers);
            }
        }
        if self.schema.dialect.holds(Rule::ReturnsStub) {
            self.add_returns_stub(entity, &mut parts);
        }
        parts
    }

    /// A command that returns a value and whose comment says nothing about it gets an
    /// undescribed return, where QEMU 10.1 and later put it: after the arguments, else
    /// before the errors, else before the features, else after the overview.
    fn add_returns_stub(&self, entity: &Entity, parts: &mut Vec<Part>) {
        let EntityKind::Command(Command {
            ret_type: Some(ret_type),
            ..
        }) = &entity.kind
        else {
            return;
        };
        if parts
            .iter()
            .any(|part| matches!(part, Part::Returns { .. }))
        {
            return;
        }
        let after_arguments = parts.iter().rposition(|part| {
            matches!(
                part,
                Part::Fields {
                    group: FieldGroup::Arguments,
                    ..
                }
            )
        });
        let position = after_arguments
            .map(|index| index + 1)
            .or_else(|| {
                parts.iter().position(|part| {
                    matches!(
                        part,
                        Part::Titled {
                            title: "Errors",
                            ..
                        }
                    )
                })
            })
            .or_else(|| {
                parts.iter().position(|part| {
                    matches!(
                        part,
                        Part::Fields {
                            group: FieldGroup::Features,
                            ..
                        }
                    )
                })
            })
            .unwrap_or(usize::from(matches!(parts.first(), Some(Part::Text(_)))));
        let stub = Part::Returns {
            ty: Some(self.type_name(*ret_type)),
            text: String::new(),
        };
        parts.insert(position, stub);
    }

    /// The field for a documented member, argument, value or alternative.
    fn member_field(&self, entity: &Entity, name: &str, text: String) -> Field {
        let schema = self.schema;
        let text = if text.trim().is_empty() {
            "Not documented".to_string()
        } else {
            text
        };
        let mut ty = None;
        let mut optional = false;
        let mut ifcond = None;
        let mut features: &[qapi_schema::Feature] = &[];
        match &entity.kind {
            EntityKind::Enum(enumeration) => {
                if let Some(member) = enumeration.members.iter().find(|m| m.name == name) {
                    ifcond = member.ifcond.as_ref();
                    features = &member.features;
                }
            }
            EntityKind::Alternate(alternate) => {
                if let Some(variant) = alternate.variants.variants.iter().find(|v| v.name == name) {
                    ty = Some(self.type_name(variant.ty));
                    ifcond = variant.ifcond.as_ref();
                }
            }
            _ => {
                let object = match &entity.kind {
                    EntityKind::Command(command) => command.arg_type,
                    EntityKind::Event(event) => event.arg_type,
                    _ => self.schema.lookup(&entity.name),
                };
                let member = object.and_then(|id| match &schema.entity(id).kind {
                    EntityKind::Object(object) => {
                        object.members.iter().find(|member| member.name == name)
                    }
                    _ => None,
                });
                if let Some(member) = member {
                    ty = Some(self.type_name(member.ty));
                    optional = member.optional;
                    ifcond = member.ifcond.as_ref();
                    features = &member.features;
                }
            }
        }
        Field::Named {
            name: name.to_string(),
            ty,
            optional,
            text,
            condition: ifcond.map(condition_words),
            deprecated: features.iter().any(|f| f.name == "deprecated"),
            unstable: features.iter().any(|f| f.name == "unstable"),
        }
    }

    /// "The members of …" for the base or argument type, and one per union branch.
    fn member_pointers(&self, entity: &Entity) -> Vec<Field> {
        let schema = self.schema;
        let mut fields = Vec::new();
        let target = match &entity.kind {
            EntityKind::Command(command) => command.arg_type,
            EntityKind::Event(event) => event.arg_type,
            EntityKind::Object(object) => object.base,
            _ => None,
        };
        if let Some(target) = target {
            let target = schema.entity(target);
            if !target.is_implicit() {
                fields.push(Field::MembersOf {
                    when: None,
                    ty: target.name.clone(),
                });
            }
        }
        if let EntityKind::Object(object) = &entity.kind {
            if let Some(variants) = &object.variants {
                for variant in &variants.variants {
                    let branch = schema.entity(variant.ty);
                    if branch.name == "q_empty" {
                        continue;
                    }
                    fields.push(Field::MembersOf {
                        when: Some((variants.tag_member.clone(), variant.name.clone())),
                        ty: branch.name.clone(),
                    });
                }
            }
        }
        fields
    }

    /// A type the way the manuals print it: JSON type names for built-in types, `[T]` for
    /// arrays, the name otherwise.
    fn type_name(&self, id: EntityId) -> TypeName {
        let entity = self.schema.entity(id);
        match &entity.kind {
            EntityKind::Builtin(builtin) => TypeName {
                text: builtin.json_type.name().to_string(),
                target: None,
            },
            EntityKind::Array(array) => {
                let element = self.type_name(array.element);
                TypeName {
                    text: format!("[{}]", element.text),
                    target: element.target,
                }
            }
            _ => TypeName {
                text: entity.name.clone(),
                target: documented_kind(entity).then(|| entity.name.clone()),
            },
        }
    }
}

/// Whether an entity gets a heading of its own: everything the schema defines by name.
fn documented_kind(entity: &Entity) -> bool {
    !entity.is_implicit() && entity.span.is_some()
}

/// Appends fields to the last part when it is a list of the same group, else starts one.
fn push_fields(parts: &mut Vec<Part>, group: FieldGroup, fields: Vec<Field>) {
    if fields.is_empty() {
        return;
    }
    if let Some(Part::Fields {
        group: last_group,
        fields: last_fields,
    }) = parts.last_mut()
    {
        if *last_group == group {
            last_fields.extend(fields);
            return;
        }
    }
    parts.push(Part::Fields { group, fields });
}
