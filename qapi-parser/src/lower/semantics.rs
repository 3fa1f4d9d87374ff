//! The semantic checks of one entity, in the order that decides which error comes first:
//! features, then resolution of type names, bases, flattening, clashes, discriminators,
//! alternate ambiguity, and the rules for arguments and return types. Checking an object
//! first checks the objects it embeds (base, branches), which finds cycles.

use crate::ast::EnumValueDef;
use crate::check::c_name;
use crate::diagnostic::Diagnostic;
use crate::release::Rule;
use crate::schema::{
    AlternateType, ArrayType, BuiltinType, Command, EntityId, EntityKind, EnumMember, EnumType,
    Event, JsonType, Member, ObjectType, SPECIAL_FEATURES, Variant, Variants,
};
use crate::source::Span;
use crate::suggest;

use super::clashes::Seen;
use super::{
    Failure, Lowerer, NameMap, PendingKind, PendingMember, PendingUnion, Resolved, Role, State,
    features,
};

/// How many distinct features a schema may use (they are bits of a 64-bit mask in QEMU).
pub const MAX_FEATURES: usize = 64;

impl Lowerer<'_> {
    fn fail(&mut self, index: usize, diagnostic: Diagnostic, states: &mut [State]) -> bool {
        self.diagnostics.push(diagnostic);
        states[index] = State::Failed;
        false
    }

    /// Checks entity `index` (once); returns whether it is sound.
    pub(super) fn check(
        &mut self,
        index: usize,
        states: &mut [State],
        resolved: &mut Resolved,
    ) -> bool {
        match states[index] {
            State::Done => return true,
            State::Failed => return false,
            State::Checking => {
                let name = &self.entities[index].name;
                let diagnostic = Diagnostic::error(
                    self.at(index),
                    format!("object '{name}' contains itself through its base or branches"),
                );
                return self.fail(index, diagnostic, states);
            }
            State::Unchecked => {}
        }
        states[index] = State::Checking;
        if let Err(diagnostic) = self.check_features(index) {
            return self.fail(index, diagnostic, states);
        }
        let result = match &self.entities[index].kind {
            PendingKind::Builtin(json_type) => Ok(EntityKind::Builtin(BuiltinType {
                json_type: *json_type,
            })),
            PendingKind::Enum { values, prefix } => self.check_enum(index, values, prefix),
            PendingKind::Array { element } => self.check_array(index, element),
            PendingKind::Object {
                base,
                members,
                union,
            } => {
                let (base, members, union) = (base.clone(), members.clone(), union.clone());
                self.check_object(index, base, &members, union, states, resolved)
            }
            PendingKind::Alternate { branches } => self.check_alternate(index, branches),
            PendingKind::Command { arg, ret, command } => {
                let (arg, ret, command) = (arg.clone(), ret.clone(), command.clone());
                self.check_command(index, arg, ret, command, states, resolved)
            }
            PendingKind::Event { arg, boxed } => {
                let (arg, boxed) = (arg.clone(), *boxed);
                self.check_event(index, arg, boxed, states, resolved)
            }
        };
        match result {
            Ok(kind) => {
                resolved[index] = Some(kind);
                states[index] = State::Done;
                true
            }
            Err(Failure::Error(diagnostic)) => self.fail(index, diagnostic, states),
            Err(Failure::Dependency) => {
                states[index] = State::Failed;
                false
            }
        }
    }

    /// Features of a definition: no duplicates, and no special features on types.
    fn check_features(&self, index: usize) -> Result<(), Diagnostic> {
        let entity = &self.entities[index];
        let at = self.at(index);
        self.feature_clash(&entity.features, at)?;
        let is_type = !matches!(
            entity.kind,
            PendingKind::Command { .. } | PendingKind::Event { .. }
        );
        if is_type {
            if let Some(special) = entity
                .features
                .iter()
                .find(|f| SPECIAL_FEATURES.contains(&f.name.as_str()))
            {
                return Err(Diagnostic::error(
                    at,
                    format!("types cannot have the feature '{}'; only commands, events, members and values can", special.name),
                )
                .with_label(special.span, "here"));
            }
        }
        Ok(())
    }

    fn check_enum(
        &self,
        index: usize,
        values: &[EnumValueDef],
        prefix: &Option<String>,
    ) -> Result<EntityKind, Failure> {
        let mut seen: NameMap<&str> = NameMap::default();
        for value in values {
            if let Some(previous) = seen.insert(c_name(&value.name).into_owned(), &value.name) {
                return Err(Failure::Error(
                    Diagnostic::error(
                        self.at(index),
                        format!("value '{}' clashes with value '{previous}'", value.name),
                    )
                    .with_label(value.span, "here"),
                ));
            }
        }
        Ok(EntityKind::Enum(EnumType {
            members: values
                .iter()
                .map(|value| EnumMember {
                    name: value.name.clone(),
                    ifcond: value.ifcond.clone(),
                    features: features(&value.features),
                })
                .collect(),
            prefix: prefix.clone(),
        }))
    }

    fn check_array(&self, index: usize, element: &str) -> Result<EntityKind, Failure> {
        let Some(element_index) = self.lookup_type(element) else {
            return Err(Failure::Error(Diagnostic::error(
                self.at(index),
                format!("array of unknown type '{element}'"),
            )));
        };
        if matches!(self.entities[element_index].kind, PendingKind::Array { .. }) {
            return Err(Failure::Error(Diagnostic::error(
                self.at(index),
                format!("arrays of arrays are not supported: '{element}' is already an array"),
            )));
        }
        Ok(EntityKind::Array(ArrayType {
            element: EntityId(element_index as u32),
        }))
    }

    /// The type named `name`: commands and events are not types.
    fn lookup_type(&self, name: &str) -> Option<usize> {
        self.names.get(name).copied().filter(|&index| {
            !matches!(
                self.entities[index].kind,
                PendingKind::Command { .. } | PendingKind::Event { .. }
            )
        })
    }

    fn unknown_type(&self, index: usize, what: &str, name: &str, span: Span) -> Diagnostic {
        let error = Diagnostic::error(
            self.at(index),
            format!("{what} refers to the unknown type '{name}'"),
        )
        .with_label(span, "not defined");
        // Types the schema names itself; implicit ones are not written by anyone.
        let types = self.names.iter().filter_map(|(type_name, &entity)| {
            let named = !type_name.starts_with("q_")
                && !matches!(
                    self.entities[entity].kind,
                    PendingKind::Command { .. } | PendingKind::Event { .. }
                );
            named.then_some(type_name.as_str())
        });
        match suggest::closest(name, types) {
            Some(similar) => error.with_note(format!("did you mean '{similar}'?")),
            None => error,
        }
    }

    fn resolve_member(
        &self,
        index: usize,
        member: &PendingMember,
        role: Role,
    ) -> Result<usize, Diagnostic> {
        self.lookup_type(&member.ty).ok_or_else(|| {
            let what = self.describe(role, &member.name, index, index);
            self.unknown_type(index, &what, &member.ty, member.ty_span)
        })
    }

    fn check_object(
        &mut self,
        index: usize,
        base: Option<(String, Span)>,
        local: &[PendingMember],
        union: Option<PendingUnion>,
        states: &mut [State],
        resolved: &mut Resolved,
    ) -> Result<EntityKind, Failure> {
        let mut seen: NameMap<Seen> = NameMap::default();
        let mut members = Vec::new();
        let mut base_id = None;
        if let Some((base_name, base_span)) = &base {
            let Some(base_index) = self.lookup_type(base_name) else {
                return Err(Failure::Error(
                    self.unknown_type(index, "the base", base_name, *base_span),
                ));
            };
            let is_struct = matches!(
                &self.entities[base_index].kind,
                PendingKind::Object { union: None, .. }
            );
            if !is_struct {
                return Err(Failure::Error(
                    Diagnostic::error(
                        self.at(index),
                        format!(
                            "the base must be a struct, and {} is not",
                            self.describe_type(base_index)
                        ),
                    )
                    .with_label(*base_span, "base"),
                ));
            }
            if !self.check(base_index, states, resolved) {
                return Err(Failure::Dependency);
            }
            if let Some(EntityKind::Object(base_object)) = &resolved[base_index] {
                for member in &base_object.members {
                    self.clash(
                        &mut seen,
                        Role::Member,
                        &member.name,
                        member.defined_in.0 as usize,
                        index,
                    )?;
                    members.push(member.clone());
                }
            }
            base_id = Some(EntityId(base_index as u32));
        }
        let mut local_members = Vec::with_capacity(local.len());
        for member in local {
            let ty = self.resolve_member(index, member, Role::Member)?;
            self.feature_clash(&member.features, self.at(index))?;
            self.clash(&mut seen, Role::Member, &member.name, index, index)?;
            local_members.push(Member {
                name: member.name.clone(),
                ty: EntityId(ty as u32),
                optional: member.optional,
                ifcond: member.ifcond.clone(),
                features: features(&member.features),
                defined_in: EntityId(index as u32),
            });
        }
        members.extend(local_members.iter().cloned());
        let variants = match union {
            Some(union) => {
                let variants = self.check_branches(index, &union, &members, states, resolved)?;
                for variant in &variants.variants {
                    self.clash_object(&seen, variant.ty.0 as usize, index, resolved)?;
                }
                Some(variants)
            }
            None => None,
        };
        Ok(EntityKind::Object(ObjectType {
            base: base_id,
            local_members,
            members,
            variants,
        }))
    }

    fn check_branches(
        &mut self,
        index: usize,
        union: &PendingUnion,
        members: &[Member],
        states: &mut [State],
        resolved: &mut Resolved,
    ) -> Result<Variants, Failure> {
        let at = self.at(index);
        let discriminator = &union.discriminator;
        let Some(tag) = members.iter().find(|member| member.name == *discriminator) else {
            return Err(Failure::Error(Diagnostic::error(
                at,
                format!("the discriminator '{discriminator}' is not a member of the base"),
            )));
        };
        let owner = &self.entities[tag.defined_in.0 as usize];
        let base = if owner.name.starts_with("q_obj_") {
            "the base".to_string()
        } else {
            format!("the base type '{}'", owner.name)
        };
        let tag_type = &self.entities[tag.ty.0 as usize];
        let PendingKind::Enum { values, .. } = &tag_type.kind else {
            return Err(Failure::Error(Diagnostic::error(
                at,
                format!("the discriminator '{discriminator}' of {base} must have an enum type"),
            )));
        };
        if tag.optional {
            return Err(Failure::Error(Diagnostic::error(
                at,
                format!("the discriminator '{discriminator}' of {base} must not be optional"),
            )));
        }
        if tag.ifcond.is_some() {
            return Err(Failure::Error(Diagnostic::error(
                at,
                format!("the discriminator '{discriminator}' of {base} must not be conditional"),
            )));
        }
        let tag_type_name = tag_type.name.clone();
        let value_names: Vec<String> = values.iter().map(|value| value.name.clone()).collect();
        let mut branches = union.branches.clone();
        for value in values {
            if !branches.iter().any(|branch| branch.name == value.name) {
                branches.push(PendingMember {
                    name: value.name.clone(),
                    ty: "q_empty".to_string(),
                    optional: false,
                    ifcond: value.ifcond.clone(),
                    features: Vec::new(),
                    span: Span::default(),
                    ty_span: Span::default(),
                });
            }
        }
        if branches.is_empty() {
            return Err(Failure::Error(Diagnostic::error(
                at,
                "the union has no branches (its discriminator enum has no values)",
            )));
        }
        let mut variants = Vec::with_capacity(branches.len());
        for branch in &branches {
            let ty = self.resolve_member(index, branch, Role::Branch)?;
            if !value_names.contains(&branch.name) {
                return Err(Failure::Error(
                    Diagnostic::error(
                        at,
                        format!("branch '{}' is not a value of the discriminator's enum '{tag_type_name}'", branch.name),
                    )
                    .with_label(branch.span, "this branch"),
                ));
            }
            if !matches!(self.entities[ty].kind, PendingKind::Object { .. }) {
                return Err(Failure::Error(
                    Diagnostic::error(
                        at,
                        format!(
                            "branch '{}' must have an object type, not {}",
                            branch.name,
                            self.describe_type(ty)
                        ),
                    )
                    .with_label(branch.span, "this branch"),
                ));
            }
            if !self.check(ty, states, resolved) {
                return Err(Failure::Dependency);
            }
            variants.push(Variant {
                name: branch.name.clone(),
                ty: EntityId(ty as u32),
                ifcond: branch.ifcond.clone(),
            });
        }
        Ok(Variants {
            tag_member: discriminator.clone(),
            variants,
        })
    }

    fn check_alternate(
        &self,
        index: usize,
        branches: &[PendingMember],
    ) -> Result<EntityKind, Failure> {
        let at = self.at(index);
        let mut variants = Vec::with_capacity(branches.len());
        let mut types: Vec<usize> = Vec::with_capacity(branches.len());
        for branch in branches {
            let ty = self.resolve_member(index, branch, Role::Branch)?;
            types.push(ty);
        }
        let mut seen: NameMap<Seen> = NameMap::default();
        // Which branch takes each JSON type an input can have.
        let mut taken: Vec<(AlternateInput, &str)> = Vec::new();
        for (branch, &ty) in branches.iter().zip(&types) {
            self.clash(&mut seen, Role::Branch, &branch.name, index, index)?;
            let entity = &self.entities[ty];
            let json_type = match &entity.kind {
                PendingKind::Builtin(json_type) => *json_type,
                PendingKind::Enum { .. } => JsonType::String,
                PendingKind::Array { .. } => JsonType::Array,
                PendingKind::Object { .. } => JsonType::Object,
                _ => JsonType::Value,
            };
            let inputs: Vec<AlternateInput> = match json_type {
                JsonType::Value => {
                    return Err(Failure::Error(
                        Diagnostic::error(
                            at,
                            format!("branch '{}' cannot have {}: an alternate tells its branches apart by JSON type", branch.name, self.describe_type(ty)),
                        )
                        .with_label(branch.span, "this branch"),
                    ));
                }
                JsonType::String => {
                    let mut inputs = vec![AlternateInput::String];
                    match &entity.kind {
                        PendingKind::Enum { values, .. } => {
                            if values
                                .iter()
                                .any(|value| value.name == "on" || value.name == "off")
                            {
                                inputs.push(AlternateInput::Boolean);
                            }
                            if values.iter().any(|value| {
                                value
                                    .name
                                    .starts_with(|c: char| c.is_ascii_digit() || "-+.".contains(c))
                            }) {
                                inputs.push(AlternateInput::Number);
                            }
                        }
                        // A string branch also takes numbers and booleans written as strings
                        // on the command line.
                        _ => inputs.extend([AlternateInput::Number, AlternateInput::Boolean]),
                    }
                    inputs
                }
                JsonType::Number | JsonType::Int => vec![AlternateInput::Number],
                JsonType::Boolean => vec![AlternateInput::Boolean],
                JsonType::Null => vec![AlternateInput::Null],
                JsonType::Array => vec![AlternateInput::Array],
                JsonType::Object => vec![AlternateInput::Object],
            };
            for input in inputs {
                if let Some((_, other)) =
                    taken.iter().find(|(taken_input, _)| *taken_input == input)
                {
                    return Err(Failure::Error(
                        Diagnostic::error(
                            at,
                            format!("branch '{}' cannot be told apart from branch '{other}': both accept {}", branch.name, input.describe()),
                        )
                        .with_label(branch.span, "this branch"),
                    ));
                }
                taken.push((input, &branch.name));
            }
            variants.push(Variant {
                name: branch.name.clone(),
                ty: EntityId(ty as u32),
                ifcond: branch.ifcond.clone(),
            });
        }
        Ok(EntityKind::Alternate(AlternateType {
            variants: Variants {
                tag_member: "type".to_string(),
                variants,
            },
        }))
    }

    fn check_command(
        &mut self,
        index: usize,
        arg: Option<(String, Span)>,
        ret: Option<(String, Span)>,
        command: Command,
        states: &mut [State],
        resolved: &mut Resolved,
    ) -> Result<EntityKind, Failure> {
        let arg_type = self.check_data(index, "command", arg, command.boxed, states, resolved)?;
        let at = self.at(index);
        let mut ret_type = None;
        if let Some((ret_name, ret_span)) = &ret {
            let Some(ret_index) = self.lookup_type(ret_name) else {
                return Err(Failure::Error(self.unknown_type(
                    index,
                    "the command's 'returns'",
                    ret_name,
                    *ret_span,
                )));
            };
            let name = &self.entities[index].name;
            if !self.pragma.command_returns_exceptions.contains(name) {
                let mut returned = ret_index;
                if let Some(EntityKind::Array(array)) = &resolved[ret_index] {
                    returned = array.element.0 as usize;
                }
                if !matches!(self.entities[returned].kind, PendingKind::Object { .. }) {
                    return Err(Failure::Error(
                        Diagnostic::error(
                            at,
                            format!("a command may return only an object or an array of objects, not {}", self.describe_type(ret_index)),
                        )
                        .with_label(*ret_span, "returns")
                        .with_note("pragma 'command-returns-exceptions' lists the commands excused from this rule"),
                    ));
                }
            }
            ret_type = Some(EntityId(ret_index as u32));
        }
        Ok(EntityKind::Command(Command {
            arg_type,
            ret_type,
            ..command
        }))
    }

    fn check_event(
        &mut self,
        index: usize,
        arg: Option<(String, Span)>,
        boxed: bool,
        states: &mut [State],
        resolved: &mut Resolved,
    ) -> Result<EntityKind, Failure> {
        let arg_type = self.check_data(index, "event", arg, boxed, states, resolved)?;
        Ok(EntityKind::Event(Event { arg_type, boxed }))
    }

    /// The 'data' of a command or event (`what`): an object type, checked.
    fn check_data(
        &mut self,
        index: usize,
        what: &str,
        arg: Option<(String, Span)>,
        boxed: bool,
        states: &mut [State],
        resolved: &mut Resolved,
    ) -> Result<Option<EntityId>, Failure> {
        let Some((arg_name, arg_span)) = &arg else {
            return Ok(None);
        };
        let at = self.at(index);
        let Some(arg_index) = self.lookup_type(arg_name) else {
            return Err(Failure::Error(self.unknown_type(
                index,
                &format!("the {what}'s 'data'"),
                arg_name,
                *arg_span,
            )));
        };
        let PendingKind::Object { union, .. } = &self.entities[arg_index].kind else {
            return Err(Failure::Error(
                Diagnostic::error(
                    at,
                    format!(
                        "the {what}'s 'data' must be an object type, not {}",
                        self.describe_type(arg_index)
                    ),
                )
                .with_label(*arg_span, "data"),
            ));
        };
        if union.is_some() && !boxed {
            return Err(Failure::Error(
                Diagnostic::error(
                    at,
                    format!(
                        "the {what}'s 'data' can be {} only with 'boxed': true",
                        self.describe_type(arg_index)
                    ),
                )
                .with_label(*arg_span, "data"),
            ));
        }
        if !self.check(arg_index, states, resolved) {
            return Err(Failure::Dependency);
        }
        let conditional = match &resolved[arg_index] {
            Some(EntityKind::Object(object)) => {
                object.members.iter().any(|member| member.ifcond.is_some())
            }
            _ => false,
        };
        if conditional && !boxed && self.dialect.holds(Rule::ConditionalArgumentsNeedBoxed) {
            return Err(Failure::Error(Diagnostic::error(
                at,
                format!("the {what}'s arguments have conditions, so it needs 'boxed': true"),
            )));
        }
        Ok(Some(EntityId(arg_index as u32)))
    }

    fn describe_type(&self, index: usize) -> String {
        let entity = &self.entities[index];
        let kind = match &entity.kind {
            PendingKind::Builtin(_) => "built-in type",
            PendingKind::Enum { .. } => "enum",
            PendingKind::Array { .. } => "array type",
            PendingKind::Object { union: Some(_), .. } => "union",
            PendingKind::Object { .. } => "struct",
            PendingKind::Alternate { .. } => "alternate",
            PendingKind::Command { .. } => "command",
            PendingKind::Event { .. } => "event",
        };
        format!("{kind} '{}'", entity.name)
    }

    pub(super) fn check_feature_count(&mut self) {
        if let Some((name, span)) = self.features.get_index(MAX_FEATURES) {
            self.diagnostics.push(Diagnostic::error(
                span.unwrap_or_default(),
                format!("feature '{name}' is one more than the {MAX_FEATURES} distinct features a schema may use"),
            ));
        }
    }
}

/// What an alternate branch accepts, by JSON type of the input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AlternateInput {
    Null,
    String,
    Number,
    Boolean,
    Array,
    Object,
}

impl AlternateInput {
    fn describe(self) -> &'static str {
        match self {
            AlternateInput::Null => "null",
            AlternateInput::String => "strings",
            AlternateInput::Number => "numbers",
            AlternateInput::Boolean => "booleans",
            AlternateInput::Array => "arrays",
            AlternateInput::Object => "objects",
        }
    }
}
