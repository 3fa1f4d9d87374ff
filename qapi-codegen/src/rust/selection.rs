//! The options that name schema items, checked against the schema: which entities are kept,
//! which types or members map to the user's Rust types, which items get extra attributes.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use qapi_schema::{EntityId, EntityKind, Schema};

use qapi_schema::suggest;

use super::options::{OptionProblem, Options, OptionsError};

/// The resolved form of the naming options.
#[derive(Default)]
pub struct Selection {
    /// The entities to generate; `None` keeps all.
    kept: Option<HashSet<EntityId>>,
    /// User types replacing schema types.
    type_paths: HashMap<EntityId, TokenStream>,
    /// User types replacing one member's type, by the QAPI name of the type, command or
    /// event listing the member, then the member name.
    member_paths: HashMap<(String, String), TokenStream>,
    /// Extra attributes by the QAPI name of the type, command or event.
    attributes: HashMap<String, TokenStream>,
    /// Extra attributes for every type.
    type_attributes: TokenStream,
    /// The command or event whose implicit argument type each implicit object is.
    owners: HashMap<EntityId, EntityId>,
}

/// A problem with the value `value` of option `key`.
fn problem(key: &'static str, value: &str, message: String) -> OptionProblem {
    OptionProblem {
        key,
        value: value.to_owned(),
        message,
    }
}

/// The message for a name no definition has, with the closest one the schema defines.
fn unknown_definition(schema: &Schema, name: &str) -> String {
    let defined = schema
        .iter()
        .filter(|(_, entity)| !entity.is_implicit())
        .map(|(_, entity)| entity.name.as_str());
    match suggest::closest(name, defined) {
        Some(similar) => format!("no definition named `{name}`; did you mean `{similar}`?"),
        None => format!("no definition named `{name}`"),
    }
}

impl Selection {
    /// Checks every name the options give; the error lists each unknown or unsuitable one.
    pub fn resolve(schema: &Schema, options: &Options) -> Result<Selection, OptionsError> {
        let mut selection = Selection::default();
        for (id, entity) in schema.iter() {
            let arg_type = match &entity.kind {
                EntityKind::Command(command) => command.arg_type,
                EntityKind::Event(event) => event.arg_type,
                _ => None,
            };
            if let Some(arg_type) = arg_type.filter(|&ty| schema.entity(ty).is_implicit()) {
                selection.owners.insert(arg_type, id);
            }
        }
        let mut problems = Vec::new();
        for (name, path) in &options.type_paths {
            let path = match syn::parse_str::<syn::Type>(path) {
                Ok(path) => quote::ToTokens::into_token_stream(path),
                Err(error) => {
                    problems.push(problem(
                        "type_path",
                        name,
                        format!("`{path}` is not a Rust type: {error}"),
                    ));
                    continue;
                }
            };
            match schema.lookup(name) {
                Some(id) if is_union_tag(schema, id) => problems.push(problem(
                    "type_path",
                    name,
                    format!("`{name}` selects the branches of a union, so it stays generated"),
                )),
                Some(id) if is_union_branch(schema, id) => problems.push(problem(
                    "type_path",
                    name,
                    format!(
                        "`{name}` is a union branch, whose members the union writes inline, so \
                         it stays generated"
                    ),
                )),
                Some(id) if schema.entity(id).is_type() => {
                    selection.type_paths.insert(id, path);
                }
                Some(_) => problems.push(problem(
                    "type_path",
                    name,
                    format!("`{name}` is not a type; name a member as OWNER.MEMBER"),
                )),
                None => match member_of(schema, name) {
                    Ok(key) => {
                        selection.member_paths.insert(key, path);
                    }
                    Err(message) => problems.push(problem("type_path", name, message)),
                },
            }
        }
        for (name, attributes) in &options.type_attributes {
            let parsed = attributes.parse().ok().filter(|tokens: &TokenStream| {
                syn::parse::Parser::parse2(syn::Attribute::parse_outer, tokens.clone()).is_ok()
            });
            let Some(tokens) = parsed else {
                problems.push(problem(
                    "type_attribute",
                    name,
                    format!("`{attributes}` is not a list of attributes"),
                ));
                continue;
            };
            if name == "*" {
                selection.type_attributes.extend(tokens);
                continue;
            }
            match schema.lookup(name).map(|id| schema.entity(id)) {
                Some(entity) if has_item(entity) => selection
                    .attributes
                    .entry(name.clone())
                    .or_default()
                    .extend(tokens),
                Some(_) => problems.push(problem(
                    "type_attribute",
                    name,
                    format!("`{name}` has no Rust item of its own"),
                )),
                None => problems.push(problem(
                    "type_attribute",
                    name,
                    unknown_definition(schema, name),
                )),
            }
        }
        if !options.keep.is_empty() {
            let mut roots = Vec::new();
            for name in &options.keep {
                match schema.lookup(name) {
                    Some(id) => roots.push(id),
                    None => problems.push(problem("keep", name, unknown_definition(schema, name))),
                }
            }
            selection.kept = Some(selection.reachable(schema, roots));
        }
        if problems.is_empty() {
            Ok(selection)
        } else {
            Err(OptionsError { problems })
        }
    }

    /// Whether entity `id` is generated (conditions aside).
    pub fn selects(&self, id: EntityId) -> bool {
        self.kept.as_ref().is_none_or(|kept| kept.contains(&id))
            && !self.type_paths.contains_key(&id)
    }

    /// The user's type for type `id`, if one replaces it.
    pub fn type_path(&self, id: EntityId) -> Option<&TokenStream> {
        self.type_paths.get(&id)
    }

    /// The user's type for member `member` of `owner` (a QAPI type, command or event name).
    pub fn member_path(&self, owner: &str, member: &str) -> Option<&TokenStream> {
        self.member_paths
            .get(&(owner.to_owned(), member.to_owned()))
    }

    /// The extra attributes of the item for `name`; `is_type` adds those for every type.
    pub fn attributes(&self, name: &str, is_type: bool) -> TokenStream {
        let mut attributes = if is_type {
            self.type_attributes.clone()
        } else {
            TokenStream::new()
        };
        attributes.extend(self.attributes.get(name).cloned());
        attributes
    }

    /// The name member options use for the members of object `id`: its own, or for the
    /// implicit arguments of a command or event, the command's or event's.
    pub fn owner_name<'s>(&self, schema: &'s Schema, id: EntityId) -> &'s str {
        let owner = self.owners.get(&id).copied().unwrap_or(id);
        &schema.entity(owner).name
    }

    /// `roots` with every type they reach, not looking into user-mapped types and members.
    pub(super) fn reachable(&self, schema: &Schema, roots: Vec<EntityId>) -> HashSet<EntityId> {
        let mut kept = HashSet::new();
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if !kept.insert(id) || self.type_paths.contains_key(&id) {
                continue;
            }
            let entity = schema.entity(id);
            match &entity.kind {
                EntityKind::Array(array) => stack.push(array.element),
                EntityKind::Object(object) => {
                    let owner = self.owner_name(schema, id);
                    stack.extend(
                        object
                            .members
                            .iter()
                            .filter(|member| self.member_path(owner, &member.name).is_none())
                            .map(|member| member.ty),
                    );
                    stack.extend(object.base);
                    stack.extend(
                        object.variants.iter().flat_map(|variants| {
                            variants.variants.iter().map(|variant| variant.ty)
                        }),
                    );
                }
                EntityKind::Alternate(alternate) => {
                    stack.extend(alternate.variants.variants.iter().map(|variant| variant.ty))
                }
                EntityKind::Command(command) => {
                    stack.extend(command.arg_type);
                    stack.extend(command.ret_type);
                }
                EntityKind::Event(event) => stack.extend(event.arg_type),
                EntityKind::Builtin(_) | EntityKind::Enum(_) => {}
            }
        }
        kept
    }
}

/// Whether enum `id` is the type of some union's discriminator.
fn is_union_tag(schema: &Schema, id: EntityId) -> bool {
    schema.iter().any(|(_, entity)| match &entity.kind {
        EntityKind::Object(object) => object.variants.as_ref().is_some_and(|variants| {
            object
                .members
                .iter()
                .any(|member| member.name == variants.tag_member && member.ty == id)
        }),
        _ => false,
    })
}

/// Whether object `id` is the branch of some union.
fn is_union_branch(schema: &Schema, id: EntityId) -> bool {
    schema.iter().any(|(_, entity)| match &entity.kind {
        EntityKind::Object(object) => object
            .variants
            .iter()
            .flat_map(|variants| &variants.variants)
            .any(|variant| variant.ty == id),
        _ => false,
    })
}

/// Whether an entity gets a Rust item: named types, commands and events do; built-ins,
/// arrays and implicit objects do not.
fn has_item(entity: &qapi_schema::Entity) -> bool {
    match &entity.kind {
        EntityKind::Enum(_)
        | EntityKind::Alternate(_)
        | EntityKind::Command(_)
        | EntityKind::Event(_) => true,
        EntityKind::Object(_) => !entity.is_implicit(),
        EntityKind::Builtin(_) | EntityKind::Array(_) => false,
    }
}

/// Resolves `OWNER.MEMBER` to the key of [`Selection::member_paths`].
fn member_of(schema: &Schema, name: &str) -> Result<(String, String), String> {
    let Some((owner, member)) = name.rsplit_once('.') else {
        return Err(unknown_definition(schema, name));
    };
    let entity = schema
        .lookup(owner)
        .map(|id| schema.entity(id))
        .ok_or_else(|| unknown_definition(schema, owner))?;
    let object = match &entity.kind {
        EntityKind::Object(_) => Some(entity),
        EntityKind::Command(command) => command.arg_type.map(|id| schema.entity(id)),
        EntityKind::Event(event) => event.arg_type.map(|id| schema.entity(id)),
        _ => None,
    };
    if let Some(arguments) =
        object.filter(|object| object.name != entity.name && !object.is_implicit())
    {
        return Err(format!(
            "`{owner}` takes a `{}` as its arguments; name the member as `{}.{member}`",
            arguments.name, arguments.name
        ));
    }
    let has_member = match object.map(|object| &object.kind) {
        Some(EntityKind::Object(object)) => object.members.iter().any(|m| m.name == member),
        _ => false,
    };
    let members = match object.map(|object| &object.kind) {
        Some(EntityKind::Object(object)) => object.members.as_slice(),
        _ => &[],
    };
    if has_member {
        Ok((owner.to_owned(), member.to_owned()))
    } else {
        match suggest::closest(member, members.iter().map(|m| m.name.as_str())) {
            Some(similar) => Err(format!(
                "`{owner}` has no member `{member}`; did you mean `{similar}`?"
            )),
            None => Err(format!("`{owner}` has no member `{member}`")),
        }
    }
}
