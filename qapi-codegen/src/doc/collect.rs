//! From the IR to the [`Reference`] model: the definitions in order, each with the free-form
//! blocks before it, their fields grouped and their type names resolved to anchors.

use qapi_schema::{Command, Doc, Entity, EntityId, EntityKind, Rule, Schema, SectionKind};

use super::headings;
use super::text::{self, literal_block};
use super::{
    Definition, DefinitionKind, Field, FieldGroup, Item, Layout, Options, Part, Reference,
    TypeName, condition_words, dedent, mark_member_references, slug,
};

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
        let mut collector = Collector {
            schema,
            layout,
            items: Vec::new(),
            anchors: Vec::new(),
            title_styles: Vec::new(),
        };
        collector.collect();
        Reference {
            title,
            page_name,
            items: collector.items,
            layout,
        }
    }
}

pub(super) struct Collector<'a> {
    pub(super) schema: &'a Schema,
    pub(super) layout: Layout,
    pub(super) items: Vec<Item>,
    pub(super) anchors: Vec<String>,
    /// The reST title adornments met so far; the first is level 1, and so on.
    pub(super) title_styles: Vec<(char, bool)>,
}

impl Collector<'_> {
    /// Walks the definitions in definition order; each brings along the free-form blocks
    /// before it: all blocks before its own documentation block, or for an undocumented
    /// definition the free-form blocks above it in its file.
    fn collect(&mut self) {
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
    pub(super) fn member_field(&self, entity: &Entity, name: &str, text: String) -> Field {
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
    pub(super) fn type_name(&self, id: EntityId) -> TypeName {
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
