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
//! `variants` list left empty is omitted, as QEMU's reply omits it. For a build that decides
//! some conditions only when it is compiled (the Rust backend's cargo features), the list is
//! rendered as pieces, each under the open conditions of the items it belongs to.

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
            filter: Filter::Symbols(symbols),
        }
    }

    /// The compact JSON as pieces, for a build where some conditions are decided only when the
    /// output is compiled: `decide` says what each condition comes to, and a piece is part of
    /// the list when all its conditions hold. Joined, the pieces whose conditions hold give
    /// what [`Introspection::to_json`] gives for that build, once a `,` that a piece starts
    /// with is dropped where the text so far ends with `[` (the first elements of that list
    /// being left out).
    pub fn to_json_segments(&self, decide: &dyn Fn(&IfCond) -> Decision) -> Vec<Segment> {
        let text = std::cell::RefCell::new(Vec::new());
        let recording = Recording {
            text: &text,
            decide,
            spans: std::cell::RefCell::new(Vec::new()),
        };
        let kept = Kept {
            items: &self.entries,
            filter: Filter::Recording(&recording),
        };
        kept.serialize(&mut serde_json::Serializer::new(Shared(&text)))
            .expect("introspection data is valid JSON");
        let mut spans = recording.spans.into_inner();
        let text = String::from_utf8(text.into_inner()).expect("JSON text is UTF-8");
        // Outer spans before the spans they hold.
        spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
        let mut segments = Vec::new();
        split(&text, 0..text.len(), &spans, &mut Vec::new(), &mut segments);
        segments
    }
}

/// What a condition comes to in a build that decides some conditions later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The item is in the list.
    Keep,
    /// The item is left out.
    Drop,
    /// The build decides later.
    Open,
}

/// A piece of the JSON text, and the conditions that must all hold for it to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// The conditions of the items it is part of, innermost last.
    pub conditions: Vec<IfCond>,
}

/// Appends to `segments` the text of `range`, the spans in it becoming segments of their own
/// under their condition as well as `conditions`. `spans` are sorted by start, outer first.
fn split(
    text: &str,
    range: std::ops::Range<usize>,
    spans: &[Span],
    conditions: &mut Vec<IfCond>,
    segments: &mut Vec<Segment>,
) {
    let push = |segments: &mut Vec<Segment>, piece: &str, conditions: &[IfCond]| {
        if piece.is_empty() {
            return;
        }
        match segments.last_mut() {
            Some(last) if last.conditions == conditions => last.text.push_str(piece),
            _ => segments.push(Segment {
                text: piece.to_owned(),
                conditions: conditions.to_vec(),
            }),
        }
    };
    let mut at = range.start;
    let mut rest = spans;
    while let Some((span, after)) = rest.split_first() {
        // The spans inside this one follow it in the order.
        let inside = after.partition_point(|inner| inner.start < span.end);
        push(segments, &text[at..span.start], conditions);
        conditions.push(span.condition.clone());
        split(
            text,
            span.start..span.end,
            &after[..inside],
            conditions,
            segments,
        );
        conditions.pop();
        at = span.end;
        rest = &after[inside..];
    }
    push(segments, &text[at..range.end], conditions);
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

/// Which items are written: those whose conditions hold for a set of symbols, or those whose
/// conditions do not fail, recording where the ones a later decision keeps are.
#[derive(Clone, Copy)]
enum Filter<'a> {
    Symbols(Option<&'a Symbols>),
    Recording(&'a Recording<'a>),
}

/// The text written so far and where the items whose conditions are open are in it.
struct Recording<'a> {
    text: &'a std::cell::RefCell<Vec<u8>>,
    decide: &'a dyn Fn(&IfCond) -> Decision,
    spans: std::cell::RefCell<Vec<Span>>,
}

/// Where an item whose condition is open was written, its leading `,` included.
struct Span {
    start: usize,
    end: usize,
    condition: IfCond,
}

/// A writer onto the recording's text, so that positions in it can be read between writes.
struct Shared<'a>(&'a std::cell::RefCell<Vec<u8>>);

impl std::io::Write for Shared<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Filter<'_> {
    fn decide(self, ifcond: Option<&IfCond>) -> Decision {
        match (self, ifcond) {
            (Filter::Symbols(symbols), _) if keeps(symbols, ifcond) => Decision::Keep,
            (Filter::Symbols(_), _) => Decision::Drop,
            (Filter::Recording(_), None) => Decision::Keep,
            (Filter::Recording(recording), Some(ifcond)) => (recording.decide)(ifcond),
        }
    }

    /// Writes what `write` writes when `condition` is not dropped, recording where it is
    /// when the condition is open.
    fn written<E>(
        self,
        condition: Option<&IfCond>,
        write: impl FnOnce() -> Result<(), E>,
    ) -> Result<(), E> {
        match self.decide(condition) {
            Decision::Drop => Ok(()),
            Decision::Keep => write(),
            Decision::Open => {
                let Filter::Recording(recording) = self else {
                    unreachable!("only a recording leaves conditions open")
                };
                let start = recording.text.borrow().len();
                write()?;
                let end = recording.text.borrow().len();
                let condition = condition.expect("an open condition").clone();
                recording.spans.borrow_mut().push(Span {
                    start,
                    end,
                    condition,
                });
                Ok(())
            }
        }
    }

    /// Whether a list of items with `conditions` has any item written.
    fn any<'c>(self, conditions: impl Iterator<Item = Option<&'c IfCond>>) -> AnyWritten {
        let mut open = Vec::new();
        for condition in conditions {
            match self.decide(condition) {
                Decision::Keep => return AnyWritten::Always,
                Decision::Drop => {}
                Decision::Open => open.extend(condition.cloned()),
            }
        }
        match open.len() {
            0 => AnyWritten::Never,
            1 => AnyWritten::When(open.pop().expect("one condition")),
            _ => AnyWritten::When(IfCond::Any(open)),
        }
    }
}

/// Whether a list has any item written: always, never, or when a condition left open holds.
enum AnyWritten {
    Always,
    Never,
    When(IfCond),
}

/// A list of items, serialized without those whose conditions do not hold.
struct Kept<'a, T> {
    items: &'a [T],
    filter: Filter<'a>,
}

/// An item with the filter its nested lists are filtered with.
struct Shown<'a, T> {
    item: &'a T,
    filter: Filter<'a>,
}

/// Items that may carry a condition.
trait Conditional {
    fn ifcond(&self) -> Option<&IfCond>;
}

impl<'a, T: Conditional> Kept<'a, T> {
    /// Serializes the kept items as a list, each as `show` makes it.
    fn serialize_as<S: Serializer, V: Serialize>(
        &self,
        serializer: S,
        show: impl Fn(Shown<'a, T>) -> V,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in self.items {
            self.filter.written(item.ifcond(), || {
                seq.serialize_element(&show(Shown {
                    item,
                    filter: self.filter,
                }))
            })?;
        }
        seq.end()
    }

    /// Serializes the list as the map entry `key`, omitted when no item is kept.
    fn serialize_entry_unless_empty<M: SerializeMap>(
        &self,
        map: &mut M,
        key: &str,
    ) -> Result<(), M::Error>
    where
        Self: Serialize,
    {
        match self.filter.any(self.items.iter().map(Conditional::ifcond)) {
            AnyWritten::Always => map.serialize_entry(key, self),
            AnyWritten::Never => Ok(()),
            AnyWritten::When(condition) => self
                .filter
                .written(Some(&condition), || map.serialize_entry(key, self)),
        }
    }
}

impl<'a, T: Conditional> Serialize for Kept<'a, T>
where
    Shown<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_as(serializer, |shown| shown)
    }
}

/// Serializes the optional `features` list, omitted when no feature is kept.
fn serialize_features<M: SerializeMap>(
    map: &mut M,
    features: &[Feature],
    filter: Filter,
) -> Result<(), M::Error> {
    Kept {
        items: features,
        filter,
    }
    .serialize_entry_unless_empty(map, "features")
}

/// An enum's `values`: the names of its kept members.
struct Values<'a>(Kept<'a, EnumMember>);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_as(serializer, |shown| shown.item.name.as_str())
    }
}

/// An alternate's `members`: the types of its kept alternatives.
struct Alternatives<'a>(Kept<'a, Branch<'a>>);

impl Serialize for Alternatives<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_as(serializer, |shown| Alternative { ty: &shown.item.ty })
    }
}

impl Conditional for SchemaInfo<'_> {
    fn ifcond(&self) -> Option<&IfCond> {
        self.ifcond
    }
}

impl Serialize for Shown<'_, SchemaInfo<'_>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let info = self.item;
        let filter = self.filter;
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
                    filter,
                };
                if *listed {
                    map.serialize_entry("members", &members)?;
                }
                map.serialize_entry("values", &Values(members))?;
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
                        filter,
                    },
                )?;
                if let Some((tag, branches)) = variants {
                    map.serialize_entry("tag", tag)?;
                    Kept {
                        items: branches,
                        filter,
                    }
                    .serialize_entry_unless_empty(&mut map, "variants")?;
                }
            }
            Meta::Alternate(branches) => {
                map.serialize_entry("meta-type", "alternate")?;
                let alternatives = Alternatives(Kept {
                    items: branches,
                    filter,
                });
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
        serialize_features(&mut map, info.features, filter)?;
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
        serialize_features(&mut map, &self.item.features, self.filter)?;
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
        serialize_features(&mut map, &member.features, self.filter)?;
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
