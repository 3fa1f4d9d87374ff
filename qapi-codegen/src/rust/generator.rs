//! The state every part of the Rust backend shares: the schema, the options, the kept
//! entities with their Rust names and the containment cycles, and how a type is referred
//! to from the module's top level or a submodule.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use qapi_schema::{Entity, EntityId, EntityKind, IfCond, Schema};
use quote::{format_ident, quote};

use super::conditions::Conditions;
use super::names::{self, Namespace};
use super::options::Options;
use super::selection::Selection;

/// Where generated code refers to a type from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// The module's top level.
    Root,
    /// A submodule (`commands`, `events`): types are reached through `super::`.
    Sub,
}

/// The state of one generation: the schema, the options, the kept entities and their Rust
/// names.
pub(super) struct Generator<'s> {
    pub(super) schema: &'s Schema,
    pub(super) options: &'s Options,
    pub(super) conditions: Conditions<'s>,
    pub(super) selection: Selection,
    /// Rust names of named types, by entity.
    pub(super) type_names: HashMap<EntityId, String>,
    /// Rust names of the branch enums of unions, by union.
    pub(super) branch_enum_names: HashMap<EntityId, String>,
    /// Types that directly or indirectly contain themselves; members reaching back into the
    /// same cycle are boxed.
    pub(super) cycles: Cycles,
    /// The types a command's reply can hold: only these are decoded from reply text, the one
    /// decode where unions speculate (see `types/speculation.rs`).
    pub(super) returned: HashSet<EntityId>,
}

impl<'s> Generator<'s> {
    pub(super) fn new(
        schema: &'s Schema,
        options: &'s Options,
        selection: Selection,
    ) -> Generator<'s> {
        let mut generator = Generator {
            schema,
            options,
            conditions: Conditions::new(options.symbols.as_ref(), &options.features),
            selection,
            type_names: HashMap::new(),
            branch_enum_names: HashMap::new(),
            cycles: Cycles::default(),
            returned: HashSet::new(),
        };
        let mut namespace = Namespace::default();
        let mut type_names = HashMap::new();
        for (id, entity) in generator.kept_entities() {
            if Self::is_named_type(entity) {
                type_names.insert(id, namespace.claim(names::upper_camel(&entity.name)));
            }
        }
        // A union's branch enum is named after the union and its tag member; schema types
        // have first claim on names.
        let mut branch_enum_names = HashMap::new();
        for (id, entity) in generator.kept_entities() {
            if let EntityKind::Object(object) = &entity.kind {
                if let Some(variants) = &object.variants {
                    if type_names.contains_key(&id) {
                        let wanted = names::upper_camel(&format!(
                            "{}-{}",
                            type_names[&id], variants.tag_member
                        ));
                        branch_enum_names.insert(id, namespace.claim(wanted));
                    }
                }
            }
        }
        generator.type_names = type_names;
        generator.branch_enum_names = branch_enum_names;
        generator.cycles = Cycles::find(&generator);
        let replies = generator
            .kept_entities()
            .filter_map(|(_, entity)| match &entity.kind {
                EntityKind::Command(command) => command.ret_type,
                _ => None,
            })
            .collect();
        generator.returned = generator.selection.reachable(schema, replies);
        generator
    }

    /// Types that get a Rust definition of their own: enums, structs, unions and alternates
    /// the schema names (plus `QType`), not built-ins, arrays or implicit objects.
    pub(super) fn is_named_type(entity: &Entity) -> bool {
        match &entity.kind {
            EntityKind::Enum(_) | EntityKind::Alternate(_) => true,
            EntityKind::Object(_) => !entity.is_implicit(),
            _ => false,
        }
    }

    /// Whether an item with `ifcond` is in the output at all.
    pub(super) fn in_output(&self, ifcond: Option<&IfCond>) -> bool {
        self.conditions.in_output(ifcond)
    }

    /// `#[cfg]` for an item with `ifcond` when a cargo feature decides it.
    pub(super) fn cfg(&self, ifcond: Option<&IfCond>) -> TokenStream {
        self.conditions.attribute(ifcond)
    }

    /// `#[cfg(not(…))]` for what stands in for an item with `ifcond` when it is compiled out.
    pub(super) fn cfg_unless(&self, ifcond: Option<&IfCond>) -> TokenStream {
        self.conditions.attribute_unless(ifcond)
    }

    pub(super) fn entity(&self, id: EntityId) -> &'s Entity {
        self.schema.entity(id)
    }

    /// The entities the module defines, in definition order: those whose conditions can
    /// hold, that the `keep` option reaches, and that no user type replaces.
    pub(super) fn kept_entities(&self) -> impl Iterator<Item = (EntityId, &'s Entity)> + '_ {
        self.schema.iter().filter(|(id, entity)| {
            self.in_output(entity.ifcond.as_ref()) && self.selection.selects(*id)
        })
    }

    /// The Rust type for a reference to type `id`.
    pub(super) fn type_ref(&self, id: EntityId, scope: Scope) -> TokenStream {
        if let Some(path) = self.selection.type_path(id) {
            return path.clone();
        }
        let entity = self.entity(id);
        match &entity.kind {
            EntityKind::Builtin(_) => builtin_type(&entity.name),
            EntityKind::Array(array) => {
                let element = self.type_ref(array.element, scope);
                quote!(::std::vec::Vec<#element>)
            }
            EntityKind::Object(_) if entity.name == "q_empty" => {
                let protocol = scope_prefix(scope, quote!(protocol));
                quote!(#protocol::Empty)
            }
            _ => {
                let name = format_ident!("{}", self.type_names[&id]);
                match scope {
                    Scope::Root => quote!(#name),
                    Scope::Sub => quote!(super::#name),
                }
            }
        }
    }
}

/// Which types lie on a containment cycle with which: the strongly connected components of
/// the graph of types holding types without indirection.
#[derive(Default)]
pub(super) struct Cycles {
    /// For each kept entity, the number of its component.
    component: HashMap<EntityId, usize>,
}

impl Cycles {
    /// Finds the components with Tarjan's algorithm, in one pass over the types and what
    /// each holds directly (members that are not arrays, branches, alternatives).
    pub(super) fn find(generator: &Generator) -> Cycles {
        let ids: Vec<EntityId> = generator.kept_entities().map(|(id, _)| id).collect();
        let position: HashMap<EntityId, usize> =
            ids.iter().enumerate().map(|(at, id)| (*id, at)).collect();
        let holds: Vec<Vec<usize>> = ids
            .iter()
            .map(|id| {
                generator
                    .contained(generator.entity(*id))
                    .iter()
                    .filter_map(|held| position.get(held).copied())
                    .collect()
            })
            .collect();
        const UNSEEN: usize = usize::MAX;
        let mut order = vec![UNSEEN; ids.len()];
        let mut lowest = vec![0; ids.len()];
        let mut open = vec![false; ids.len()];
        let mut unfinished = Vec::new();
        let mut component = vec![0; ids.len()];
        let (mut visited, mut components) = (0, 0);
        for root in 0..ids.len() {
            if order[root] != UNSEEN {
                continue;
            }
            // The depth-first path, each node with the next of its edges to follow.
            let mut path = vec![(root, 0)];
            order[root] = visited;
            lowest[root] = visited;
            visited += 1;
            unfinished.push(root);
            open[root] = true;
            while let Some(&(node, edge)) = path.last() {
                if let Some(&next) = holds[node].get(edge) {
                    path.last_mut().expect("the path is not empty").1 += 1;
                    if order[next] == UNSEEN {
                        order[next] = visited;
                        lowest[next] = visited;
                        visited += 1;
                        unfinished.push(next);
                        open[next] = true;
                        path.push((next, 0));
                    } else if open[next] {
                        lowest[node] = lowest[node].min(order[next]);
                    }
                    continue;
                }
                path.pop();
                if let Some(&(parent, _)) = path.last() {
                    lowest[parent] = lowest[parent].min(lowest[node]);
                }
                if lowest[node] == order[node] {
                    loop {
                        let member = unfinished.pop().expect("the node is unfinished");
                        open[member] = false;
                        component[member] = components;
                        if member == node {
                            break;
                        }
                    }
                    components += 1;
                }
            }
        }
        Cycles {
            component: ids.into_iter().zip(component).collect(),
        }
    }

    /// Whether a value of `owner` holding a `member`, directly or through types that hold
    /// one another directly, needs a box: whether `member` holds `owner` in turn.
    pub(super) fn needs_box(&self, owner: EntityId, member: EntityId) -> bool {
        match (self.component.get(&owner), self.component.get(&member)) {
            (Some(owner), Some(member)) => owner == member,
            _ => false,
        }
    }
}

impl Generator<'_> {
    /// The types an entity holds without indirection.
    fn contained(&self, entity: &Entity) -> Vec<EntityId> {
        let kept = |ifcond| self.in_output(ifcond);
        match &entity.kind {
            EntityKind::Object(object) => object
                .members
                .iter()
                .filter(|member| kept(member.ifcond.as_ref()))
                .map(|member| member.ty)
                .chain(
                    object
                        .variants
                        .iter()
                        .flat_map(|variants| &variants.variants)
                        .filter(|variant| kept(variant.ifcond.as_ref()))
                        .map(|variant| variant.ty),
                )
                .collect(),
            EntityKind::Alternate(alternate) => alternate
                .variants
                .variants
                .iter()
                .filter(|variant| kept(variant.ifcond.as_ref()))
                .map(|variant| variant.ty)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// `items` with `cfg` (a `#[cfg]` attribute or nothing) on each of them.
pub(super) fn with_cfg(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    let mut file: syn::File = syn::parse2(items).expect("the generated items parse");
    let attributes = syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg.clone())
        .expect("a cfg attribute parses");
    for item in &mut file.items {
        if let Some(existing) = item_attributes(item) {
            existing.splice(0..0, attributes.iter().cloned());
        }
    }
    quote!(#file)
}

/// The attributes of the kinds of item the generator emits.
pub(super) fn item_attributes(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Const(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        _ => None,
    }
}

/// `protocol` as seen from `scope`.
pub(super) fn scope_prefix(scope: Scope, module: TokenStream) -> TokenStream {
    match scope {
        Scope::Root => module,
        Scope::Sub => quote!(super::#module),
    }
}

/// The Rust type of a built-in QAPI type.
pub(super) fn builtin_type(name: &str) -> TokenStream {
    match name {
        "str" => quote!(::std::string::String),
        "number" => quote!(f64),
        "int" | "int64" => quote!(i64),
        "int8" => quote!(i8),
        "int16" => quote!(i16),
        "int32" => quote!(i32),
        "uint8" => quote!(u8),
        "uint16" => quote!(u16),
        "uint32" => quote!(u32),
        "uint64" | "size" => quote!(u64),
        "bool" => quote!(bool),
        "null" => quote!(()),
        "any" => quote!(::serde_json::Value),
        other => unreachable!("{other} is not a built-in type"),
    }
}
