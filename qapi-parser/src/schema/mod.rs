//! The IR: a checked schema as plain owned data, in source order, with typed ids.
//!
//! Every backend reads this and nothing else. Entities are kept in the order the schema
//! language defines them (built-in types first, then each definition preceded by the implicit
//! types it introduces), modules in the order they were first met, and every name a member
//! refers to is resolved to an [`EntityId`]. Nothing here borrows from the source text; spans
//! point into [`Schema::sources`].

mod documentation;

pub use documentation::{Doc, Section, SectionKind};

use indexmap::{IndexMap, IndexSet};

use crate::release::Dialect;
use crate::source::{SourceMap, Span};

/// A checked schema.
#[derive(Clone, Debug)]
pub struct Schema {
    /// Every file the schema read.
    pub sources: SourceMap,
    /// Every type, command and event, built-in and implicit ones included, in definition
    /// order.
    pub entities: Vec<Entity>,
    /// The modules (one per file, plus `./builtin`), in the order they were first met.
    pub modules: Vec<Module>,
    /// Every documentation block, in source order.
    pub docs: Vec<Doc>,
    /// Every feature name the schema uses, `deprecated` and `unstable` first.
    pub features: Vec<String>,
    /// The pragmas in force.
    pub pragma: Pragma,
    /// The language rules it was read with; backends consult them where releases differ in
    /// output.
    pub dialect: Dialect,
    pub(crate) names: IndexMap<String, EntityId, rustc_hash::FxBuildHasher>,
}

impl Schema {
    /// The entity with id `id`.
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    /// The entity named `name`.
    pub fn lookup(&self, name: &str) -> Option<EntityId> {
        self.names.get(name).copied()
    }

    /// The module with id `id`.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    /// The documentation block bound to `entity`, if any.
    pub fn doc_of(&self, entity: &Entity) -> Option<&Doc> {
        entity.doc.map(|id| &self.docs[id.0 as usize])
    }

    /// Entities with their ids, in definition order.
    pub fn iter(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(index, entity)| (EntityId(index as u32), entity))
    }
}

/// Identifies an entity of a [`Schema`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

/// Identifies a documentation block of a [`Schema`] (its place in [`Schema::docs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u32);

impl DocId {
    /// Its place in [`Schema::docs`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Identifies a module of a [`Schema`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleId(pub u32);

/// A named definition: a type, a command or an event.
#[derive(Clone, Debug)]
pub struct Entity {
    /// The QAPI name.
    pub name: String,
    /// The defining expression; for implicit types, the definition that introduced them;
    /// `None` for built-in types and their arrays.
    pub span: Option<Span>,
    /// Its documentation block.
    pub doc: Option<DocId>,
    /// The condition; an array has its element type's.
    pub ifcond: Option<IfCond>,
    /// The features.
    pub features: Vec<Feature>,
    /// The module that defines it.
    pub module: ModuleId,
    /// What kind of entity, with its contents.
    pub kind: EntityKind,
}

impl Entity {
    /// Whether the schema does not define the entity by name: built-in types, arrays, the
    /// `q_obj_…` and `q_empty` objects and `QType`.
    pub fn is_implicit(&self) -> bool {
        match &self.kind {
            EntityKind::Builtin(_) | EntityKind::Array(_) => true,
            EntityKind::Object(_) => self.name.starts_with("q_"),
            EntityKind::Enum(_) => self.name == "QType",
            _ => false,
        }
    }

    /// For the object a simple union (QEMU 6.1 and older) wraps a branch in,
    /// `q_obj_TYPE-wrapper` with the one member `data`, the wrapped type.
    pub fn wrapped_type(&self) -> Option<EntityId> {
        match &self.kind {
            EntityKind::Object(object)
                if self.name.starts_with("q_obj_") && self.name.ends_with("-wrapper") =>
            {
                object.members.first().map(|member| member.ty)
            }
            _ => None,
        }
    }

    /// Whether it is a type (not a command or event).
    pub fn is_type(&self) -> bool {
        !matches!(self.kind, EntityKind::Command(_) | EntityKind::Event(_))
    }

    /// The JSON type its values have on the wire; `None` for commands and events.
    pub fn json_type(&self) -> Option<JsonType> {
        Some(match &self.kind {
            EntityKind::Builtin(builtin) => builtin.json_type,
            EntityKind::Enum(_) => JsonType::String,
            EntityKind::Array(_) => JsonType::Array,
            EntityKind::Object(_) => JsonType::Object,
            EntityKind::Alternate(_) => JsonType::Value,
            EntityKind::Command(_) | EntityKind::Event(_) => return None,
        })
    }

    /// The schema-language word for the kind: `built-in`, `enum`, `array`, `struct`,
    /// `union`, `alternate`, `command` or `event`.
    pub fn meta(&self) -> &'static str {
        match &self.kind {
            EntityKind::Builtin(_) => "built-in",
            EntityKind::Enum(_) => "enum",
            EntityKind::Array(_) => "array",
            EntityKind::Object(object) if object.variants.is_some() => "union",
            EntityKind::Object(_) => "struct",
            EntityKind::Alternate(_) => "alternate",
            EntityKind::Command(_) => "command",
            EntityKind::Event(_) => "event",
        }
    }
}

/// The kinds of entity.
#[derive(Clone, Debug)]
pub enum EntityKind {
    /// A built-in type such as `str` or `int32`.
    Builtin(BuiltinType),
    /// An enumeration.
    Enum(EnumType),
    /// An array, named after its element type with `List` appended.
    Array(ArrayType),
    /// A struct or flat union.
    Object(ObjectType),
    /// An alternate.
    Alternate(AlternateType),
    /// A command.
    Command(Command),
    /// An event.
    Event(Event),
}

/// The JSON types values can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// A string.
    String,
    /// A number that may have a fraction.
    Number,
    /// An integer.
    Int,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
    /// An object.
    Object,
    /// An array.
    Array,
    /// Any JSON value.
    Value,
}

impl JsonType {
    /// The schema language's name for it: `string`, `number`, `int`, `boolean`, `null`,
    /// `object`, `array` or `value`.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Int => "int",
            JsonType::Boolean => "boolean",
            JsonType::Null => "null",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Value => "value",
        }
    }
}

/// A built-in type.
#[derive(Clone, Debug)]
pub struct BuiltinType {
    /// How its values look in JSON.
    pub json_type: JsonType,
}

/// An enumeration.
#[derive(Clone, Debug)]
pub struct EnumType {
    /// The values, in order.
    pub members: Vec<EnumMember>,
    /// The prefix for C constants, if the schema overrides it.
    pub prefix: Option<String>,
}

/// One value of an enumeration.
#[derive(Clone, Debug)]
pub struct EnumMember {
    /// The value.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
}

/// An array type.
#[derive(Clone, Debug)]
pub struct ArrayType {
    /// The element type.
    pub element: EntityId,
}

/// A struct or flat union.
#[derive(Clone, Debug)]
pub struct ObjectType {
    /// The base struct.
    pub base: Option<EntityId>,
    /// The members the definition itself lists (empty for a union).
    pub local_members: Vec<Member>,
    /// All members: the base's, then the local ones.
    pub members: Vec<Member>,
    /// For a union: the discriminator and branches.
    pub variants: Option<Variants>,
}

/// One member of an object type.
#[derive(Clone, Debug)]
pub struct Member {
    /// The JSON member name.
    pub name: String,
    /// Its type.
    pub ty: EntityId,
    /// Whether it may be absent.
    pub optional: bool,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
    /// The type whose definition lists the member.
    pub defined_in: EntityId,
}

/// The branches of a union or alternate.
#[derive(Clone, Debug)]
pub struct Variants {
    /// The member that selects the branch: the discriminator of a union, `type` (of type
    /// `QType`) for an alternate.
    pub tag_member: String,
    /// The branches, in order. A union has one per discriminator value: those the schema
    /// leaves out come last, with type `q_empty`.
    pub variants: Vec<Variant>,
}

/// One branch.
#[derive(Clone, Debug)]
pub struct Variant {
    /// The discriminator value (union) or branch name (alternate).
    pub name: String,
    /// The branch's type.
    pub ty: EntityId,
    /// Its condition.
    pub ifcond: Option<IfCond>,
}

/// An alternate: a value of one of several types told apart by JSON type.
#[derive(Clone, Debug)]
pub struct AlternateType {
    /// The alternatives.
    pub variants: Variants,
}

/// A command.
#[derive(Clone, Debug)]
pub struct Command {
    /// The argument type (an object).
    pub arg_type: Option<EntityId>,
    /// The return type.
    pub ret_type: Option<EntityId>,
    /// Whether marshalling code is generated (`gen`).
    pub generate: bool,
    /// Whether a reply is sent (`success-response`).
    pub success_response: bool,
    /// Whether the arguments are passed as one object (`boxed`).
    pub boxed: bool,
    /// Whether it may run out of band (`allow-oob`).
    pub allow_oob: bool,
    /// Whether it is available before machine configuration (`allow-preconfig`).
    pub allow_preconfig: bool,
    /// Whether it runs in a coroutine (`coroutine`).
    pub coroutine: bool,
}

/// An event.
#[derive(Clone, Debug)]
pub struct Event {
    /// The data type (an object).
    pub arg_type: Option<EntityId>,
    /// Whether the data is passed as one object (`boxed`).
    pub boxed: bool,
}

/// A feature attached to a definition, member or enum value.
#[derive(Clone, Debug)]
pub struct Feature {
    /// The feature name.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
}

impl Feature {
    /// Whether the name is one with meaning across all schemas: `deprecated`, `unstable`.
    pub fn is_special(&self) -> bool {
        SPECIAL_FEATURES.contains(&self.name.as_str())
    }
}

/// The features with a meaning fixed by the schema language.
pub const SPECIAL_FEATURES: [&str; 2] = ["deprecated", "unstable"];

/// A condition: a configuration symbol, or a combination of conditions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IfCond {
    /// True when the symbol is defined.
    Name(String),
    /// True when all operands are.
    All(Vec<IfCond>),
    /// True when any operand is.
    Any(Vec<IfCond>),
    /// True when the operand is not.
    Not(Box<IfCond>),
    /// A C preprocessor expression, as QEMU 6.1 and older wrote conditions, with its
    /// meaning (see `preprocessor.rs` for what is understood).
    Preprocessor {
        /// The expression as written.
        text: String,
        /// What it means.
        meaning: Box<IfCond>,
    },
}

impl IfCond {
    /// Evaluates the condition; `defined` says whether a symbol is defined.
    pub fn evaluate(&self, defined: &dyn Fn(&str) -> bool) -> bool {
        match self {
            IfCond::Name(name) => defined(name),
            IfCond::All(operands) => operands.iter().all(|operand| operand.evaluate(defined)),
            IfCond::Any(operands) => operands.iter().any(|operand| operand.evaluate(defined)),
            IfCond::Not(operand) => !operand.evaluate(defined),
            IfCond::Preprocessor { meaning, .. } => meaning.evaluate(defined),
        }
    }
}

/// The name of the module that holds the built-in types.
pub const BUILTIN_MODULE: &str = "./builtin";

/// One module: the entities one file defines, and its includes, in order.
#[derive(Clone, Debug)]
pub struct Module {
    /// The file's path relative to the root file's directory; `./builtin` for the built-in
    /// types.
    pub name: String,
    /// Includes and entities, in order.
    pub items: Vec<ModuleItem>,
}

/// An item of a module.
#[derive(Clone, Copy, Debug)]
pub enum ModuleItem {
    /// An `include` directive, naming the module it includes.
    Include(ModuleId),
    /// An entity.
    Entity(EntityId),
}

/// The pragmas of a schema (one set for all its files). The name lists are sets, in the
/// order the pragma gives them: every definition asks them about its name, and a big
/// schema's lists are long.
#[derive(Clone, Debug, Default)]
pub struct Pragma {
    /// Whether every definition needs a documentation block.
    pub doc_required: bool,
    /// Commands whose names may contain `_`.
    pub command_name_exceptions: IndexSet<String>,
    /// Commands that may return something other than an object or array of objects.
    pub command_returns_exceptions: IndexSet<String>,
    /// Definitions whose members need not all be documented.
    pub documentation_exceptions: IndexSet<String>,
    /// Types whose member names may use upper case and `_`.
    pub member_name_exceptions: IndexSet<String>,
}
