//! The `introspect` backend: the list of `SchemaInfo` objects that QEMU's `query-qmp-schema`
//! command returns, computed the way QEMU computes it.
//!
//! The list starts with every command and event in module order. The types they use follow in
//! order of first use, each type's own uses queued behind it. Integer types of every size
//! collapse into `int` (and arrays of them into `[int]`), because a client cannot tell them
//! apart on the wire. Unless names are unmasked, a type other than a built-in or an array is
//! named by a number, handed out in order of first use; clients are meant to reason about
//! commands and events, not type names.
//!
//! Conditions are applied last. Numbers are handed out over the whole schema, so a build
//! that compiles a type out leaves a gap in the numbering, and a type used only by compiled-out
//! members stays listed unless it has a condition of its own. An optional `features` or
//! `variants` list left empty is omitted, as QEMU's reply omits it.

use qapi_schema::{
    EntityId, EntityKind, EnumMember, Feature, IfCond, JsonType, Member, ModuleItem, Rule, Schema,
    Variants,
};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::symbols::{Symbols, keeps};

/// How to render the introspection data.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Keep real type names instead of numbers.
    pub unmask: bool,
    /// The build's symbols: items whose conditions do not hold are dropped. `None` keeps
    /// every item.
    pub symbols: Option<&'a Symbols>,
}

/// Renders the introspection data of `schema` as pretty-printed JSON, with a final newline.
pub fn generate(schema: &Schema, options: &Options) -> String {
    let mut text = Introspection::new(schema, options.unmask).to_json_pretty(options.symbols);
    text.push('\n');
    text
}

/// The `SchemaInfo` list of a schema with every condition still attached, ready to be
/// rendered for any set of symbols.
#[derive(Debug)]
pub struct Introspection<'s> {
    entries: Vec<SchemaInfo<'s>>,
}

impl<'s> Introspection<'s> {
    /// Computes the list; `unmask` keeps real type names instead of numbers.
    pub fn new(schema: &'s Schema, unmask: bool) -> Introspection<'s> {
        Collector::new(schema, unmask).collect(|_| true)
    }

    /// The list for a server that offers only the commands and events `is_offered` accepts,
    /// with the types they use.
    pub fn offering(
        schema: &'s Schema,
        unmask: bool,
        is_offered: impl Fn(EntityId) -> bool,
    ) -> Introspection<'s> {
        Collector::new(schema, unmask).collect(is_offered)
    }

    /// The number of entries when every condition holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries kept for `symbols`, as compact JSON.
    pub fn to_json(&self, symbols: Option<&Symbols>) -> String {
        serde_json::to_string(&self.select(symbols)).expect("introspection data is valid JSON")
    }

    /// The entries kept for `symbols`, as pretty-printed JSON.
    pub fn to_json_pretty(&self, symbols: Option<&Symbols>) -> String {
        serde_json::to_string_pretty(&self.select(symbols))
            .expect("introspection data is valid JSON")
    }

    /// The entries kept for `symbols`, as a JSON value.
    pub fn to_value(&self, symbols: Option<&Symbols>) -> serde_json::Value {
        serde_json::to_value(self.select(symbols)).expect("introspection data is valid JSON")
    }

    /// A view of the entries kept for `symbols` that serializes as the JSON list.
    pub fn select<'a>(&'a self, symbols: Option<&'a Symbols>) -> impl Serialize + 'a {
        Kept {
            items: &self.entries,
            symbols,
        }
    }
}

/// One `SchemaInfo` object before conditions are applied.
#[derive(Debug)]
struct SchemaInfo<'s> {
    name: String,
    ifcond: Option<&'s IfCond>,
    features: &'s [Feature],
    meta: Meta<'s>,
}

/// The part of a `SchemaInfo` that depends on its `meta-type`.
#[derive(Debug)]
enum Meta<'s> {
    Builtin(JsonType),
    /// The values, and whether they are listed as `members` too (QEMU 6.2 and later) or only
    /// as `values`.
    Enum(&'s [EnumMember], bool),
    Array {
        element: String,
    },
    Object {
        members: Vec<MemberInfo<'s>>,
        variants: Option<(&'s str, Vec<Branch<'s>>)>,
    },
    Alternate(Vec<Branch<'s>>),
    Command {
        arg_type: String,
        ret_type: String,
        allow_oob: bool,
    },
    Event {
        arg_type: String,
    },
}

/// An object member with its type's introspection name.
#[derive(Debug)]
struct MemberInfo<'s> {
    member: &'s Member,
    ty: String,
}

/// A union branch or an alternative of an alternate, with its type's introspection name.
#[derive(Debug)]
struct Branch<'s> {
    case: &'s str,
    ifcond: Option<&'s IfCond>,
    ty: String,
}

/// Walks the schema in QEMU's order, handing out numbers and queueing used types.
struct Collector<'s> {
    schema: &'s Schema,
    unmask: bool,
    /// The masked number of each entity that has one, by entity index.
    numbers: Vec<Option<u32>>,
    next_number: u32,
    /// Used types in order of first use; the queue of types still to describe.
    used: Vec<EntityId>,
    is_used: Vec<bool>,
    int: EntityId,
    int_list: EntityId,
    empty_object: EntityId,
}

impl<'s> Collector<'s> {
    fn new(schema: &'s Schema, unmask: bool) -> Collector<'s> {
        let builtin = |name| {
            schema
                .lookup(name)
                .unwrap_or_else(|| panic!("the schema defines the built-in type {name}"))
        };
        Collector {
            schema,
            unmask,
            numbers: vec![None; schema.entities.len()],
            next_number: 0,
            used: Vec::new(),
            is_used: vec![false; schema.entities.len()],
            int: builtin("int"),
            int_list: builtin("intList"),
            empty_object: builtin("q_empty"),
        }
    }

    fn collect(mut self, is_offered: impl Fn(EntityId) -> bool) -> Introspection<'s> {
        let mut entries = Vec::new();
        for module in &self.schema.modules {
            for item in &module.items {
                if let ModuleItem::Entity(id) = *item {
                    if !self.schema.entity(id).is_type() && is_offered(id) {
                        entries.push(self.describe(id));
                    }
                }
            }
        }
        // Describing a type may queue more types behind it.
        let mut next = 0;
        while let Some(&id) = self.used.get(next) {
            entries.push(self.describe(id));
            next += 1;
        }
        Introspection { entries }
    }

    fn describe(&mut self, id: EntityId) -> SchemaInfo<'s> {
        let entity = self.schema.entity(id);
        let meta = match &entity.kind {
            EntityKind::Builtin(builtin) => Meta::Builtin(builtin.json_type),
            EntityKind::Enum(enumeration) => Meta::Enum(
                &enumeration.members,
                self.schema.dialect.holds(Rule::EnumMembersIntrospected),
            ),
            EntityKind::Array(array) => Meta::Array {
                element: self.use_type(array.element),
            },
            EntityKind::Object(object) => Meta::Object {
                members: object
                    .members
                    .iter()
                    .map(|member| MemberInfo {
                        member,
                        ty: self.use_type(member.ty),
                    })
                    .collect(),
                variants: object
                    .variants
                    .as_ref()
                    .map(|variants| (variants.tag_member.as_str(), self.branches(variants))),
            },
            EntityKind::Alternate(alternate) => Meta::Alternate(self.branches(&alternate.variants)),
            EntityKind::Command(command) => Meta::Command {
                arg_type: self.use_type(command.arg_type.unwrap_or(self.empty_object)),
                ret_type: self.use_type(command.ret_type.unwrap_or(self.empty_object)),
                allow_oob: command.allow_oob,
            },
            EntityKind::Event(event) => Meta::Event {
                arg_type: self.use_type(event.arg_type.unwrap_or(self.empty_object)),
            },
        };
        let name = match meta {
            Meta::Builtin(_) | Meta::Command { .. } | Meta::Event { .. } => entity.name.clone(),
            Meta::Array { ref element } => format!("[{element}]"),
            _ => self.name(id),
        };
        SchemaInfo {
            name,
            ifcond: entity.ifcond.as_ref(),
            features: &entity.features,
            meta,
        }
    }

    fn branches(&mut self, variants: &'s Variants) -> Vec<Branch<'s>> {
        variants
            .variants
            .iter()
            .map(|variant| Branch {
                case: &variant.name,
                ifcond: variant.ifcond.as_ref(),
                ty: self.use_type(variant.ty),
            })
            .collect()
    }

    /// Queues the type if it is new, and returns the name a reference to it shows.
    fn use_type(&mut self, id: EntityId) -> String {
        let id = self.collapse_int(id);
        if !self.is_used[id.0 as usize] {
            self.is_used[id.0 as usize] = true;
            self.used.push(id);
        }
        let entity = self.schema.entity(id);
        match &entity.kind {
            EntityKind::Builtin(_) => entity.name.clone(),
            EntityKind::Array(array) => format!("[{}]", self.use_type(array.element)),
            _ => self.name(id),
        }
    }

    /// Maps every integer type to `int`, and arrays of them to `intList`.
    fn collapse_int(&self, id: EntityId) -> EntityId {
        let entity = self.schema.entity(id);
        match &entity.kind {
            _ if entity.json_type() == Some(JsonType::Int) => self.int,
            EntityKind::Array(array)
                if self.schema.entity(array.element).json_type() == Some(JsonType::Int) =>
            {
                self.int_list
            }
            _ => id,
        }
    }

    /// The name a type shows: its own when unmasked, else its number.
    fn name(&mut self, id: EntityId) -> String {
        if self.unmask {
            return self.schema.entity(id).name.clone();
        }
        let number = self.numbers[id.0 as usize].get_or_insert_with(|| {
            self.next_number += 1;
            self.next_number - 1
        });
        number.to_string()
    }
}

// ---- Rendering, with conditions applied ----

/// A list of items, serialized without those whose conditions do not hold.
struct Kept<'a, T> {
    items: &'a [T],
    symbols: Option<&'a Symbols>,
}

/// An item with the symbols its nested lists are filtered with.
struct Shown<'a, T> {
    item: &'a T,
    symbols: Option<&'a Symbols>,
}

/// Items that may carry a condition.
trait Conditional {
    fn ifcond(&self) -> Option<&IfCond>;
}

impl<'a, T: Conditional> Kept<'a, T> {
    fn kept(&self) -> impl Iterator<Item = &'a T> + use<'a, T> {
        let symbols = self.symbols;
        self.items
            .iter()
            .filter(move |item| keeps(symbols, item.ifcond()))
    }

    fn is_empty(&self) -> bool {
        self.kept().next().is_none()
    }
}

impl<'a, T: Conditional> Serialize for Kept<'a, T>
where
    Shown<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in self.items {
            if keeps(self.symbols, item.ifcond()) {
                seq.serialize_element(&Shown {
                    item,
                    symbols: self.symbols,
                })?;
            }
        }
        seq.end()
    }
}

/// Serializes the optional `features` list, omitted when no feature is kept.
fn serialize_features<M: SerializeMap>(
    map: &mut M,
    features: &[Feature],
    symbols: Option<&Symbols>,
) -> Result<(), M::Error> {
    let kept = Kept {
        items: features,
        symbols,
    };
    if kept.is_empty() {
        return Ok(());
    }
    map.serialize_entry("features", &kept)
}

impl Conditional for SchemaInfo<'_> {
    fn ifcond(&self) -> Option<&IfCond> {
        self.ifcond
    }
}

impl Serialize for Shown<'_, SchemaInfo<'_>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let info = self.item;
        let symbols = self.symbols;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &info.name)?;
        match &info.meta {
            Meta::Builtin(json_type) => {
                map.serialize_entry("meta-type", "builtin")?;
                map.serialize_entry("json-type", json_type.name())?;
            }
            Meta::Enum(members, listed) => {
                map.serialize_entry("meta-type", "enum")?;
                let members = Kept {
                    items: members,
                    symbols,
                };
                if *listed {
                    map.serialize_entry("members", &members)?;
                }
                let values: Vec<&str> = members.kept().map(|m| m.name.as_str()).collect();
                map.serialize_entry("values", &values)?;
            }
            Meta::Array { element } => {
                map.serialize_entry("meta-type", "array")?;
                map.serialize_entry("element-type", element)?;
            }
            Meta::Object { members, variants } => {
                map.serialize_entry("meta-type", "object")?;
                map.serialize_entry(
                    "members",
                    &Kept {
                        items: members,
                        symbols,
                    },
                )?;
                if let Some((tag, branches)) = variants {
                    map.serialize_entry("tag", tag)?;
                    let branches = Kept {
                        items: branches,
                        symbols,
                    };
                    if !branches.is_empty() {
                        map.serialize_entry("variants", &branches)?;
                    }
                }
            }
            Meta::Alternate(branches) => {
                map.serialize_entry("meta-type", "alternate")?;
                let alternatives: Vec<_> = Kept {
                    items: branches,
                    symbols,
                }
                .kept()
                .map(|branch| Alternative { ty: &branch.ty })
                .collect();
                map.serialize_entry("members", &alternatives)?;
            }
            Meta::Command {
                arg_type,
                ret_type,
                allow_oob,
            } => {
                map.serialize_entry("meta-type", "command")?;
                map.serialize_entry("arg-type", arg_type)?;
                map.serialize_entry("ret-type", ret_type)?;
                if *allow_oob {
                    map.serialize_entry("allow-oob", &true)?;
                }
            }
            Meta::Event { arg_type } => {
                map.serialize_entry("meta-type", "event")?;
                map.serialize_entry("arg-type", arg_type)?;
            }
        }
        serialize_features(&mut map, info.features, symbols)?;
        map.end()
    }
}

impl Conditional for Feature {
    fn ifcond(&self) -> Option<&IfCond> {
        self.ifcond.as_ref()
    }
}

impl Serialize for Shown<'_, Feature> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.item.name)
    }
}

impl Conditional for EnumMember {
    fn ifcond(&self) -> Option<&IfCond> {
        self.ifcond.as_ref()
    }
}

impl Serialize for Shown<'_, EnumMember> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.item.name)?;
        serialize_features(&mut map, &self.item.features, self.symbols)?;
        map.end()
    }
}

impl Conditional for MemberInfo<'_> {
    fn ifcond(&self) -> Option<&IfCond> {
        self.member.ifcond.as_ref()
    }
}

impl Serialize for Shown<'_, MemberInfo<'_>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let member = self.item.member;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &member.name)?;
        map.serialize_entry("type", &self.item.ty)?;
        if member.optional {
            map.serialize_entry("default", &())?;
        }
        serialize_features(&mut map, &member.features, self.symbols)?;
        map.end()
    }
}

impl Conditional for Branch<'_> {
    fn ifcond(&self) -> Option<&IfCond> {
        self.ifcond
    }
}

impl Serialize for Shown<'_, Branch<'_>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("case", self.item.case)?;
        map.serialize_entry("type", &self.item.ty)?;
        map.end()
    }
}

/// An alternative of an alternate: only its type shows.
#[derive(Serialize)]
struct Alternative<'a> {
    #[serde(rename = "type")]
    ty: &'a str,
}
