//! Defining entities: the built-in types, then each definition in source order, each
//! preceded by the implicit types it introduces (`q_obj_NAME-arg`, `q_obj_NAME-base`,
//! `ELEMENTList`). A name defined twice is reported here; nothing is resolved yet.

use crate::ast::{
    BranchDef, Definition, DefinitionKind, EnumValueDef, FeatureDef, MemberDef, TopLevel,
    TypeOrMembers, TypeRef,
};
use crate::diagnostic::Diagnostic;
use crate::release::Rule;
use crate::schema::{Command, IfCond, JsonType};
use crate::source::Span;

use super::{Lowerer, Pending, PendingKind, PendingMember, PendingUnion};

/// The built-in types with their JSON types, in definition order.
const BUILTINS: [(&str, JsonType); 15] = [
    ("str", JsonType::String),
    ("number", JsonType::Number),
    ("int", JsonType::Int),
    ("int8", JsonType::Int),
    ("int16", JsonType::Int),
    ("int32", JsonType::Int),
    ("int64", JsonType::Int),
    ("uint8", JsonType::Int),
    ("uint16", JsonType::Int),
    ("uint32", JsonType::Int),
    ("uint64", JsonType::Int),
    ("size", JsonType::Int),
    ("bool", JsonType::Boolean),
    ("any", JsonType::Value),
    ("null", JsonType::Null),
];

/// The values of the built-in `QType` enum: the JSON types an alternate dispatches on.
const QTYPE_VALUES: [&str; 7] = [
    "none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool",
];

impl Lowerer<'_> {
    pub(super) fn define_builtins(&mut self) {
        for (name, json_type) in BUILTINS {
            self.define(builtin(name, PendingKind::Builtin(json_type)));
            self.array_of(name, None, None);
        }
        self.define(builtin(
            "q_empty",
            PendingKind::Object {
                base: None,
                members: Vec::new(),
                union: None,
            },
        ));
        let values = QTYPE_VALUES
            .iter()
            .map(|name| EnumValueDef {
                name: name.to_string(),
                ifcond: None,
                features: Vec::new(),
                span: Span::default(),
            })
            .collect();
        let prefix = self
            .dialect
            .holds(Rule::QtypePrefix)
            .then(|| "QTYPE".to_string());
        self.define(builtin("QType", PendingKind::Enum { values, prefix }));
    }

    pub(super) fn define_all(&mut self, expressions: Vec<TopLevel>) {
        for expression in expressions {
            match expression {
                TopLevel::Include { absolute, span } => {
                    self.includes.push((self.entities.len(), absolute, span));
                }
                TopLevel::Definition(definition) => self.define_definition(definition),
            }
        }
    }

    fn define_definition(&mut self, definition: Definition) {
        let Definition {
            meta: _,
            name,
            span,
            doc,
            ifcond,
            features,
            kind,
        } = definition;
        self.note_features(&features, span);
        let at = Some(span);
        let kind = match kind {
            DefinitionKind::Enum { values, prefix } => {
                for value in &values {
                    self.note_features(&value.features, span);
                }
                PendingKind::Enum { values, prefix }
            }
            DefinitionKind::Struct { base, members } => PendingKind::Object {
                base: base.map(|base| (base.name, base.span)),
                members: self.members(members, span, &name),
                union: None,
            },
            DefinitionKind::Union {
                base,
                discriminator,
                branches,
            } => {
                let base = self.implicit_object(&name, "base", base, span, &ifcond);
                PendingKind::Object {
                    base,
                    members: Vec::new(),
                    union: Some(PendingUnion {
                        discriminator,
                        branches: self.branches(branches, span, &name),
                    }),
                }
            }
            DefinitionKind::SimpleUnion { branches } => {
                self.simple_union(&name, branches, span, &ifcond)
            }
            DefinitionKind::Alternate { branches } => PendingKind::Alternate {
                branches: self.branches(branches, span, &name),
            },
            DefinitionKind::Command {
                data,
                returns,
                boxed,
                generate,
                success_response,
                allow_oob,
                allow_preconfig,
                coroutine,
            } => {
                let arg =
                    data.and_then(|data| self.implicit_object(&name, "arg", data, span, &ifcond));
                let ret =
                    returns.map(|returns| (self.type_name(&returns, span, &name), returns.span));
                PendingKind::Command {
                    arg,
                    ret,
                    command: Command {
                        arg_type: None,
                        ret_type: None,
                        generate,
                        success_response,
                        boxed,
                        allow_oob,
                        allow_preconfig,
                        coroutine,
                    },
                }
            }
            DefinitionKind::Event { data, boxed } => PendingKind::Event {
                arg: data.and_then(|data| self.implicit_object(&name, "arg", data, span, &ifcond)),
                boxed,
            },
        };
        self.define(Pending {
            definition: Some(name.clone()),
            name,
            span: at,
            doc,
            ifcond,
            features,
            kind,
        });
    }

    fn note_features(&mut self, features: &[FeatureDef], span: Span) {
        for feature in features {
            self.features
                .entry(feature.name.clone())
                .or_insert(Some(span));
        }
    }

    fn define(&mut self, entity: Pending) {
        let index = self.entities.len();
        if let Some(&previous) = self.names.get(&entity.name) {
            let previous = &self.entities[previous];
            let at = entity.span.unwrap_or_default();
            let diagnostic = match previous.span {
                Some(previous_span) => {
                    Diagnostic::error(at, format!("'{}' is defined twice", entity.name)).with_label(
                        Span::new(previous_span.start, previous_span.start + 1),
                        "first definition",
                    )
                }
                None => Diagnostic::error(
                    at,
                    format!(
                        "'{}' is the name of a built-in type and cannot be defined",
                        entity.name
                    ),
                ),
            };
            self.diagnostics.push(diagnostic);
        } else {
            self.names.insert(entity.name.clone(), index);
        }
        self.entities.push(entity);
    }

    /// The name of the array type of `element`, defining it on first use.
    fn array_of(&mut self, element: &str, span: Option<Span>, definition: Option<&str>) -> String {
        let name = format!("{element}List");
        let exists = self.names.get(&name).is_some_and(|&index| {
            !matches!(
                self.entities[index].kind,
                PendingKind::Command { .. } | PendingKind::Event { .. }
            )
        });
        if !exists {
            self.define(Pending {
                name: name.clone(),
                span,
                definition: definition.map(str::to_string),
                doc: None,
                ifcond: None,
                features: Vec::new(),
                kind: PendingKind::Array {
                    element: element.to_string(),
                },
            });
        }
        name
    }

    fn type_name(&mut self, ty: &TypeRef, span: Span, definition: &str) -> String {
        if ty.array {
            self.array_of(&ty.name, Some(span), Some(definition))
        } else {
            ty.name.clone()
        }
    }

    fn members(
        &mut self,
        members: Vec<MemberDef>,
        span: Span,
        definition: &str,
    ) -> Vec<PendingMember> {
        members
            .into_iter()
            .map(|member| {
                self.note_features(&member.features, span);
                PendingMember {
                    ty: self.type_name(&member.ty, span, definition),
                    name: member.name,
                    optional: member.optional,
                    ifcond: member.ifcond,
                    features: member.features,
                    span: member.span,
                    ty_span: member.ty.span,
                }
            })
            .collect()
    }

    fn branches(
        &mut self,
        branches: Vec<BranchDef>,
        span: Span,
        definition: &str,
    ) -> Vec<PendingMember> {
        branches
            .into_iter()
            .map(|branch| {
                let ty = self.type_name(&branch.ty, span, definition);
                branch_member(branch, ty)
            })
            .collect()
    }

    /// A simple union as the flat union it stands for: each branch type wrapped in the
    /// object `q_obj_TYPE-wrapper` (shared by every union with that branch type), then the
    /// enum `NAMEKind` of the branch names, then the union itself with the member `type` of
    /// that enum as its discriminator.
    fn simple_union(
        &mut self,
        name: &str,
        branches: Vec<BranchDef>,
        span: Span,
        ifcond: &Option<IfCond>,
    ) -> PendingKind {
        let mut values = Vec::with_capacity(branches.len());
        let mut wrapped = Vec::with_capacity(branches.len());
        for branch in branches {
            let ty = self.type_name(&branch.ty, span, name);
            let wrapper = format!("q_obj_{ty}-wrapper");
            let data = PendingMember {
                name: "data".to_string(),
                ty,
                optional: false,
                ifcond: None,
                features: Vec::new(),
                span: branch.span,
                ty_span: branch.ty.span,
            };
            self.define_implicit_object(&wrapper, span, name, None, vec![data]);
            values.push(EnumValueDef {
                name: branch.name.clone(),
                ifcond: branch.ifcond.clone(),
                features: Vec::new(),
                span: branch.span,
            });
            wrapped.push(branch_member(branch, wrapper));
        }
        let kind_enum = format!("{name}Kind");
        self.define(Pending {
            name: kind_enum.clone(),
            span: Some(span),
            definition: Some(name.to_string()),
            doc: None,
            ifcond: ifcond.clone(),
            features: Vec::new(),
            kind: PendingKind::Enum {
                values,
                prefix: None,
            },
        });
        PendingKind::Object {
            base: None,
            members: vec![PendingMember {
                name: "type".to_string(),
                ty: kind_enum,
                optional: false,
                ifcond: None,
                features: Vec::new(),
                span,
                ty_span: span,
            }],
            union: Some(PendingUnion {
                discriminator: "type".to_string(),
                branches: wrapped,
            }),
        }
    }

    /// A named type as is; inline members as the implicit object `q_obj_NAME-ROLE` (none
    /// for an empty member list).
    fn implicit_object(
        &mut self,
        definition: &str,
        role: &str,
        data: TypeOrMembers,
        span: Span,
        ifcond: &Option<IfCond>,
    ) -> Option<(String, Span)> {
        let members = match data {
            TypeOrMembers::Type(name) => return Some((name.name, name.span)),
            TypeOrMembers::Members(members) => members,
        };
        if members.is_empty() {
            return None;
        }
        let members = self.members(members, span, definition);
        let name = format!("q_obj_{definition}-{role}");
        // A second user of the same implicit name is a duplicate definition, reported when
        // that definition itself is defined.
        self.define_implicit_object(&name, span, definition, ifcond.clone(), members);
        Some((name, span))
    }

    /// Defines the implicit object `name` made for `definition`, unless the name is taken.
    fn define_implicit_object(
        &mut self,
        name: &str,
        span: Span,
        definition: &str,
        ifcond: Option<IfCond>,
        members: Vec<PendingMember>,
    ) {
        if self.names.contains_key(name) {
            return;
        }
        self.define(Pending {
            name: name.to_string(),
            span: Some(span),
            definition: Some(definition.to_string()),
            doc: None,
            ifcond,
            features: Vec::new(),
            kind: PendingKind::Object {
                base: None,
                members,
                union: None,
            },
        });
    }
}

/// A union or alternate branch whose type is called `ty`.
fn branch_member(branch: BranchDef, ty: String) -> PendingMember {
    PendingMember {
        ty,
        name: branch.name,
        optional: false,
        ifcond: branch.ifcond,
        features: Vec::new(),
        span: branch.span,
        ty_span: branch.ty.span,
    }
}

fn builtin(name: &str, kind: PendingKind) -> Pending {
    Pending {
        name: name.to_string(),
        span: None,
        definition: None,
        doc: None,
        ifcond: None,
        features: Vec::new(),
        kind,
    }
}
