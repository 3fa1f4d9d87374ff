//! The parts of a definition in the manual layout of QEMU before 10.0 ([`Layout::Legacy`]):
//! the description, one definition list of arguments, members or values (documented ones
//! first, then the base's and the branches' members), one of features, the remaining
//! sections in the order the comment has them (`Returns`, `Since`, notes, examples, untitled
//! text), and last the `If` section.
//!
//! Only the model is built here; the backends decide how a definition list looks. Nothing
//! here reads the release: the caller chose the layout.
//!
//! [`Layout::Legacy`]: super::Layout::Legacy

use qapi_schema::{Doc, Entity, EntityId, EntityKind, SectionKind};

use super::collect::Collector;
use super::{
    DefinitionKind, Entry, Field, FieldGroup, Part, Subject, TypeName, condition_words, dedent,
    literal_block, mark_member_references,
};

impl Collector<'_> {
    /// The parts of `entity`'s documentation in the old layout.
    pub(super) fn legacy_parts(
        &self,
        entity: &Entity,
        kind: DefinitionKind,
        doc: Option<&Doc>,
    ) -> Vec<Part> {
        let group = match kind {
            DefinitionKind::Command | DefinitionKind::Event => FieldGroup::Arguments,
            DefinitionKind::Enum => FieldGroup::Values,
            DefinitionKind::Object | DefinitionKind::Alternate => FieldGroup::Members,
        };
        let sections = doc.map(|doc| doc.sections.as_slice()).unwrap_or_default();
        let text_of = |text: &str| mark_member_references(&dedent(text));
        let mut parts = Vec::new();
        if let Some(body) = sections.first() {
            let text = mark_member_references(body.text.trim_matches('\n'));
            if !text.trim().is_empty() {
                parts.push(Part::Text(text));
            }
        }

        let mut entries: Vec<Field> = sections
            .iter()
            .filter(|section| section.kind == SectionKind::Member)
            .map(|section| {
                let name = section.name.clone().unwrap_or_default();
                let text = text_of(&section.text);
                self.legacy_member(entity, &name, text)
            })
            .collect();
        entries.extend(self.legacy_pointers(entity));
        if !entries.is_empty() {
            parts.push(Part::Fields {
                group,
                fields: entries,
            });
        }

        let features: Vec<Field> = sections
            .iter()
            .filter(|section| section.kind == SectionKind::Feature)
            .map(|section| {
                let text = text_of(&section.text);
                Field::Entry(Entry {
                    subject: Subject::Named {
                        name: section.name.clone().unwrap_or_default(),
                        ty: None,
                        optional: false,
                    },
                    when: None,
                    condition: None,
                    text: (!text.trim().is_empty()).then_some(text),
                })
            })
            .collect();
        if !features.is_empty() {
            parts.push(Part::Fields {
                group: FieldGroup::Features,
                fields: features,
            });
        }

        for section in sections.iter().skip(1) {
            let text = text_of(&section.text);
            let title = match section.kind {
                SectionKind::Member | SectionKind::Feature => continue,
                SectionKind::Plain => {
                    let text = mark_member_references(section.text.trim_matches('\n'));
                    if !text.trim().is_empty() {
                        parts.push(Part::Text(text));
                    }
                    continue;
                }
                SectionKind::Example | SectionKind::Examples => {
                    parts.push(Part::Titled {
                        title: section.kind.title(),
                        text: literal_block(&dedent(&section.text)),
                    });
                    continue;
                }
                SectionKind::Todo => "TODO",
                kind => kind.title(),
            };
            parts.push(Part::Titled { title, text });
        }

        if let Some(ifcond) = &entity.ifcond {
            parts.push(Part::Titled {
                title: "If",
                text: format!("``{}``", condition_words(ifcond)),
            });
        }
        parts
    }

    /// The entry of a documented member, argument, value or alternative.
    fn legacy_member(&self, entity: &Entity, name: &str, text: String) -> Field {
        let Field::Named {
            ty,
            optional,
            text,
            condition,
            ..
        } = self.member_field(entity, name, text)
        else {
            unreachable!("member_field makes named fields");
        };
        Field::Entry(Entry {
            subject: Subject::Named {
                name: name.to_string(),
                ty: ty.map(legacy_type),
                optional,
            },
            when: None,
            condition,
            text: Some(text),
        })
    }

    /// The entries that point elsewhere: a boxed argument type, a named base, and each
    /// union branch (its members one by one when the branch type is implicit).
    fn legacy_pointers(&self, entity: &Entity) -> Vec<Field> {
        let schema = self.schema;
        let members_of = |id: EntityId, when: Option<(String, String)>, condition| {
            Field::Entry(Entry {
                subject: Subject::MembersOf(self.type_name(id)),
                when,
                condition,
                text: None,
            })
        };
        let mut fields = Vec::new();
        match &entity.kind {
            EntityKind::Command(command) if command.boxed => {
                fields.extend(command.arg_type.map(|id| members_of(id, None, None)));
            }
            EntityKind::Event(event) if event.boxed => {
                fields.extend(event.arg_type.map(|id| members_of(id, None, None)));
            }
            EntityKind::Object(object) => {
                if let Some(base) = object.base {
                    if !schema.entity(base).is_implicit() {
                        fields.push(members_of(base, None, None));
                    }
                }
                for variant in object.variants.iter().flat_map(|v| &v.variants) {
                    let tag = object.variants.as_ref().map(|v| v.tag_member.clone());
                    let when = tag.map(|tag| (tag, variant.name.clone()));
                    let condition = variant.ifcond.as_ref().map(condition_words);
                    let branch = schema.entity(variant.ty);
                    if !branch.is_implicit() {
                        fields.push(members_of(variant.ty, when, condition));
                        continue;
                    }
                    let EntityKind::Object(branch) = &branch.kind else {
                        continue;
                    };
                    for member in &branch.local_members {
                        fields.push(Field::Entry(Entry {
                            subject: Subject::Named {
                                name: member.name.clone(),
                                ty: Some(legacy_type(self.type_name(member.ty))),
                                optional: member.optional,
                            },
                            when: when.clone(),
                            condition: member.ifcond.as_ref().map(condition_words),
                            text: None,
                        }));
                    }
                }
            }
            _ => {}
        }
        fields
    }
}

/// `[T]` as the old manuals write it: `array of T`.
fn legacy_type(ty: TypeName) -> TypeName {
    match ty.text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(element) => TypeName {
            text: format!("array of {element}"),
            target: ty.target,
        },
        None => ty,
    }
}
