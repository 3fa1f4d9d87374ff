//! Documentation: binds each checked entity's doc comment to its members and features
//! (reporting what is left undocumented), then reports descriptions of things that do not
//! exist.

use crate::diagnostic::Diagnostic;
use crate::release::Rule;
use crate::schema::SectionKind;
use crate::schema::{Command, DocId, EntityKind, Event};
use crate::source::Span;

use super::{Lowerer, PendingKind, Resolved, Role};

impl Lowerer<'_> {
    /// Binds the documentation of entity `index` to its members and features.
    pub(super) fn connect_doc(&mut self, index: usize, resolved: &Resolved) {
        let Some(doc) = self.entities[index].doc else {
            return;
        };
        self.doc_links[doc.index()].bound = true;
        if let Err(diagnostic) = self.connect_entity(index, doc, resolved) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// For a definition that failed, the description checks that do not depend on what
    /// failed: every own member of a struct without a base must be documented. (Members of
    /// a base it could not resolve are unknown, so nothing more is said.)
    pub(super) fn connect_failed_doc(&mut self, index: usize) {
        let entity = &self.entities[index];
        let (
            Some(doc),
            PendingKind::Object {
                base: None,
                members,
                union: None,
            },
        ) = (entity.doc, &entity.kind)
        else {
            return;
        };
        let names: Vec<String> = members.iter().map(|member| member.name.clone()).collect();
        let at = self.at(index);
        for name in names {
            if let Err(diagnostic) = self.connect_member(doc, Role::Member, &name, at) {
                self.diagnostics.push(diagnostic);
                return;
            }
        }
    }

    fn connect_entity(
        &mut self,
        index: usize,
        doc: DocId,
        resolved: &Resolved,
    ) -> Result<(), Diagnostic> {
        let at = self.at(index);
        let entity_features: Vec<String> = self.entities[index]
            .features
            .iter()
            .map(|f| f.name.clone())
            .collect();
        for feature in &entity_features {
            self.connect_feature(doc, feature, at)?;
        }
        match &resolved[index] {
            Some(EntityKind::Enum(enumeration)) => {
                for value in &enumeration.members {
                    self.connect_member(doc, Role::Value, &value.name, at)?;
                    for feature in &value.features {
                        self.connect_feature(doc, &feature.name, at)?;
                    }
                }
            }
            Some(EntityKind::Object(object)) => {
                if let Some(base) = object.base {
                    if self.entities[base.0 as usize].name.starts_with("q_obj_") {
                        self.connect_object_members(doc, base.0 as usize, resolved, at)?;
                    }
                }
                self.connect_object_members(doc, index, resolved, at)?;
            }
            Some(EntityKind::Alternate(alternate)) => {
                for variant in &alternate.variants.variants {
                    self.connect_member(doc, Role::Branch, &variant.name, at)?;
                }
            }
            Some(
                EntityKind::Command(Command {
                    arg_type: Some(arg),
                    ..
                })
                | EntityKind::Event(Event {
                    arg_type: Some(arg),
                    ..
                }),
            ) if self.entities[arg.0 as usize].name.starts_with("q_obj_") => {
                self.connect_object_members(doc, arg.0 as usize, resolved, at)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn connect_object_members(
        &mut self,
        doc: DocId,
        object: usize,
        resolved: &Resolved,
        at: Span,
    ) -> Result<(), Diagnostic> {
        let Some(EntityKind::Object(object)) = &resolved[object] else {
            return Ok(());
        };
        for member in &object.local_members {
            self.connect_member(doc, Role::Member, &member.name, at)?;
            for feature in &member.features {
                self.connect_feature(doc, &feature.name, at)?;
            }
        }
        Ok(())
    }

    fn connect_member(
        &mut self,
        doc: DocId,
        role: Role,
        name: &str,
        at: Span,
    ) -> Result<(), Diagnostic> {
        let block = &mut self.docs[doc.index()];
        if block.member(name).is_none() {
            let symbol = block.symbol.clone().unwrap_or_default();
            if self.dialect.holds(Rule::MemberDocsRequired)
                && !self.pragma.documentation_exceptions.contains(&symbol)
            {
                return Err(Diagnostic::error(
                    at,
                    format!("{} '{name}' is not documented", role.noun()),
                )
                .with_label(block.span, "in this documentation comment")
                .with_note(format!("add '@{name}:' with a description")));
            }
            block.add_member_stub(name);
        }
        self.doc_links[doc.index()].members.insert(name.to_string());
        Ok(())
    }

    fn connect_feature(&mut self, doc: DocId, name: &str, at: Span) -> Result<(), Diagnostic> {
        let block = &self.docs[doc.index()];
        if block.feature(name).is_none() {
            return Err(
                Diagnostic::error(at, format!("feature '{name}' is not documented"))
                    .with_label(block.span, "in this documentation comment")
                    .with_note(format!("add '@{name}:' under 'Features:'")),
            );
        }
        self.doc_links[doc.index()]
            .features
            .insert(name.to_string());
        Ok(())
    }

    /// Every description must describe something that exists.
    pub(super) fn check_docs(&mut self) {
        for (doc, links) in self.docs.iter().zip(&self.doc_links) {
            // A definition that failed reported its error; what its docs describe is moot.
            if !links.bound {
                continue;
            }
            for (kind, linked, noun) in [
                (SectionKind::Member, &links.members, "member"),
                (SectionKind::Feature, &links.features, "feature"),
            ] {
                let bogus: Vec<&crate::schema::Section> = doc
                    .sections
                    .iter()
                    .filter(|section| section.kind == kind)
                    .filter(|section| !linked.contains(section.name.as_deref().unwrap_or_default()))
                    .collect();
                let Some(first) = bogus.first() else {
                    continue;
                };
                let names: Vec<String> = bogus
                    .iter()
                    .map(|section| format!("'{}'", section.name.as_deref().unwrap_or_default()))
                    .collect();
                let message = if names.len() == 1 {
                    format!("the documented {noun} {} does not exist", names[0])
                } else {
                    format!("the documented {noun}s {} do not exist", names.join(", "))
                };
                let at = if self.dialect.holds(Rule::DocErrorsAtCommentStart) {
                    doc.span
                } else {
                    first.span
                };
                self.diagnostics.push(Diagnostic::error(at, message));
                break;
            }
        }
    }
}
