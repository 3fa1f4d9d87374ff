//! Name clashes: members, branches and features whose names are equal once '-' and '.' read
//! as '_', and how a member is named in those messages.

use crate::ast::FeatureDef;
use crate::check::c_name;
use crate::diagnostic::Diagnostic;
use crate::schema::EntityKind;
use crate::source::Span;

use super::{Lowerer, NameMap, Resolved, Role};

/// A member already seen in an object, keyed by its C name, for clash checks.
pub(super) struct Seen {
    name: String,
    role: Role,
    /// The type that defines it.
    owner: usize,
}

impl Lowerer<'_> {
    pub(super) fn feature_clash(
        &self,
        features: &[FeatureDef],
        at: Span,
    ) -> Result<(), Diagnostic> {
        let mut seen: NameMap<&str> = NameMap::default();
        for feature in features {
            if let Some(previous) = seen.insert(c_name(&feature.name).into_owned(), &feature.name) {
                return Err(Diagnostic::error(
                    at,
                    format!(
                        "feature '{}' clashes with feature '{previous}'",
                        feature.name
                    ),
                )
                .with_label(feature.span, "here"));
            }
        }
        Ok(())
    }

    /// Describes member `name` of type `owner` as seen from the definition checked by
    /// `checking`.
    pub(super) fn describe(&self, role: Role, name: &str, owner: usize, checking: usize) -> String {
        let owner_entity = &self.entities[owner];
        let noun = role.noun();
        let owner_name = owner_entity.name.as_str();
        let same_definition = owner_entity.definition.is_some()
            && owner_entity.definition == self.entities[checking].definition;
        if let Some(rest) = owner_name.strip_prefix("q_obj_") {
            if let Some(command) = rest.strip_suffix("-arg") {
                return if same_definition {
                    format!("argument '{name}'")
                } else {
                    format!("argument '{name}' of '{command}'")
                };
            }
            if let Some(union) = rest.strip_suffix("-base") {
                return if same_definition {
                    format!("base {noun} '{name}'")
                } else {
                    format!("base {noun} '{name}' of '{union}'")
                };
            }
        }
        if same_definition {
            format!("{noun} '{name}'")
        } else {
            format!("{noun} '{name}' of '{owner_name}'")
        }
    }

    /// Records `name` in `seen` or reports the clash; `checking` is the entity whose check
    /// this is, which decides where the error is reported.
    pub(super) fn clash(
        &self,
        seen: &mut NameMap<Seen>,
        role: Role,
        name: &str,
        owner: usize,
        checking: usize,
    ) -> Result<(), Diagnostic> {
        let key = c_name(name);
        if let Some(previous) = seen.get(key.as_ref()) {
            return Err(self.clash_error(role, name, owner, previous, checking));
        }
        seen.insert(
            key.into_owned(),
            Seen {
                name: name.to_string(),
                role,
                owner,
            },
        );
        Ok(())
    }

    fn clash_error(
        &self,
        role: Role,
        name: &str,
        owner: usize,
        previous: &Seen,
        checking: usize,
    ) -> Diagnostic {
        Diagnostic::error(
            self.at(checking),
            format!(
                "{} clashes with {}",
                self.describe(role, name, owner, checking),
                self.describe(previous.role, &previous.name, previous.owner, checking)
            ),
        )
        .with_note("member names must differ even after '-' and '.' are read as '_'")
    }

    /// Checks the members of a checked object, and of all its branches, against `seen` (the
    /// members of the union it is a branch of). The object's own members cannot clash with
    /// each other: its own check made sure of that.
    pub(super) fn clash_object(
        &self,
        seen: &NameMap<Seen>,
        object: usize,
        checking: usize,
        resolved: &Resolved,
    ) -> Result<(), Diagnostic> {
        let Some(EntityKind::Object(checked)) = &resolved[object] else {
            return Ok(());
        };
        for member in &checked.members {
            if let Some(previous) = seen.get(c_name(&member.name).as_ref()) {
                let owner = member.defined_in.0 as usize;
                return Err(self.clash_error(
                    Role::Member,
                    &member.name,
                    owner,
                    previous,
                    checking,
                ));
            }
        }
        if let Some(variants) = &checked.variants {
            for variant in &variants.variants {
                self.clash_object(seen, variant.ty.0 as usize, checking, resolved)?;
            }
        }
        Ok(())
    }
}
