//! The syntax tree: spanned values as written, before any checking.
//!
//! `syntax.rs` builds these from one file's text; `load.rs` follows includes and pragmas over
//! them; `check/` turns each definition into the typed [`Definition`] below. Nothing
//! here knows what a valid definition looks like.

use crate::schema::{DocId, IfCond};
use crate::source::Span;

/// A JSON-dialect value with the span of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// What kind of value, with its contents.
    pub kind: ValueKind,
    /// From the first to the last character of the value.
    pub span: Span,
}

/// The four kinds of value the dialect has (no numbers, no null).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `{ 'key': value, ... }`, keys unique and in source order.
    Object(Object),
    /// `[ value, ... ]`.
    Array(Vec<Value>),
    /// `'text'`, escapes resolved.
    String(String),
    /// `true` or `false`.
    Bool(bool),
}

/// The members of an object, keys unique, in source order.
///
/// Objects in schemas have a handful of keys, so a vector searched linearly beats a hash map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Member)>);

impl Object {
    /// The member with key `key`.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, member)| member)
    }

    /// Whether there is a member with key `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keys and members, in source order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Member)> {
        self.into_iter()
    }

    /// The first member.
    pub fn first(&self) -> Option<(&String, &Member)> {
        self.iter().next()
    }

    /// Adds a member; the caller has checked that the key is new.
    pub(crate) fn push(&mut self, key: String, member: Member) {
        self.0.push((key, member));
    }
}

impl std::ops::Index<&str> for Object {
    type Output = Member;

    /// The member with key `key`, which the caller knows is present.
    fn index(&self, key: &str) -> &Member {
        match self.get(key) {
            Some(member) => member,
            None => panic!("no key '{key}' in the object"),
        }
    }
}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a String, &'a Member);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Member)>,
        fn(&'a (String, Member)) -> (&'a String, &'a Member),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(key, member)| (key, member))
    }
}

/// One `'key': value` pair of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The span of the key's string token.
    pub key_span: Span,
    /// The value.
    pub value: Value,
}

impl Value {
    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Object> {
        match &self.kind {
            ValueKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(text) => Some(text),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(elements) => Some(elements),
            _ => None,
        }
    }

    /// Whether the value counts as true where the schema language tests a flag's truth:
    /// `false`, `''`, `[]` and `{}` do not.
    pub fn is_truthy(&self) -> bool {
        match &self.kind {
            ValueKind::Object(members) => !members.is_empty(),
            ValueKind::Array(elements) => !elements.is_empty(),
            ValueKind::String(text) => !text.is_empty(),
            ValueKind::Bool(value) => *value,
        }
    }
}

/// One top-level item of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// An expression: a definition or a directive when it is an object.
    Expression(Value),
    /// A `##` documentation block.
    Doc(DocBlock),
}

/// The raw lines of a documentation block, for `doc.rs` to interpret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocBlock {
    /// The opening `##` line (with anything after it).
    pub opening: Span,
    /// The comment lines in between, each from its `#` to the end of the line.
    pub lines: Vec<Span>,
    /// The closing `##` line, or the place where the block should have been closed.
    pub closing: Result<Span, crate::diagnostic::Diagnostic>,
}

/// A definition after the structural checks of `check/`: keys validated, sugar removed,
/// names of referenced types not yet resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Which of the six kinds.
    pub meta: Meta,
    /// The defined name.
    pub name: String,
    /// The whole expression.
    pub span: Span,
    /// Index of the documentation block bound to it, in the schema's list of blocks.
    pub doc: Option<DocId>,
    /// The `if` condition.
    pub ifcond: Option<IfCond>,
    /// The `features` list.
    pub features: Vec<FeatureDef>,
    /// What the kind adds.
    pub kind: DefinitionKind,
}

/// The six kinds of definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Meta {
    /// `enum`
    Enum,
    /// `struct`
    Struct,
    /// `union`
    Union,
    /// `alternate`
    Alternate,
    /// `command`
    Command,
    /// `event`
    Event,
}

impl Meta {
    /// All kinds, in the order the schema language lists them.
    pub const ALL: [Meta; 6] = [
        Meta::Enum,
        Meta::Struct,
        Meta::Union,
        Meta::Alternate,
        Meta::Command,
        Meta::Event,
    ];

    /// The keyword that introduces the kind.
    pub fn keyword(self) -> &'static str {
        match self {
            Meta::Enum => "enum",
            Meta::Struct => "struct",
            Meta::Union => "union",
            Meta::Alternate => "alternate",
            Meta::Command => "command",
            Meta::Event => "event",
        }
    }
}

/// What each kind of definition adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefinitionKind {
    /// An enumeration.
    Enum {
        /// The values.
        values: Vec<EnumValueDef>,
        /// The C constant prefix.
        prefix: Option<String>,
    },
    /// A struct.
    Struct {
        /// The base struct.
        base: Option<Name>,
        /// Own members.
        members: Vec<MemberDef>,
    },
    /// A flat union.
    Union {
        /// The base: a struct's name or inline members.
        base: TypeOrMembers,
        /// The base member whose value selects the branch.
        discriminator: String,
        /// The branches.
        branches: Vec<BranchDef>,
    },
    /// A union without a discriminator (QEMU 6.1 and older): each branch's value is wrapped
    /// in an object with one member `data`, and an implicit enum names the branches.
    SimpleUnion {
        /// The branches.
        branches: Vec<BranchDef>,
    },
    /// An alternate.
    Alternate {
        /// The alternatives.
        branches: Vec<BranchDef>,
    },
    /// A command.
    Command {
        /// The arguments.
        data: Option<TypeOrMembers>,
        /// The return type.
        returns: Option<TypeRef>,
        /// `boxed`
        boxed: bool,
        /// `gen` (false to not generate the marshalling code).
        generate: bool,
        /// `success-response`
        success_response: bool,
        /// `allow-oob`
        allow_oob: bool,
        /// `allow-preconfig`
        allow_preconfig: bool,
        /// `coroutine`
        coroutine: bool,
    },
    /// An event.
    Event {
        /// The data.
        data: Option<TypeOrMembers>,
        /// `boxed`
        boxed: bool,
    },
}

/// A name with the span where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The name.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// A type given by name, or an anonymous struct given by its members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeOrMembers {
    /// A named type.
    Type(Name),
    /// Inline members, which become an implicit struct.
    Members(Vec<MemberDef>),
}

/// A reference to a type: `'Name'` or `['Name']`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeRef {
    /// The (element) type's name.
    pub name: String,
    /// Whether it is an array of that type.
    pub array: bool,
    /// Where.
    pub span: Span,
}

/// One enum value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValueDef {
    /// The value.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<FeatureDef>,
    /// Where.
    pub span: Span,
}

/// One member of a struct, argument list or inline base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberDef {
    /// The name without the `*` that marks it optional.
    pub name: String,
    /// Whether the key started with `*`.
    pub optional: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<FeatureDef>,
    /// The key's span.
    pub span: Span,
}

/// One branch of a union or alternate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchDef {
    /// The branch name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// The key's span.
    pub span: Span,
}

/// One feature in a `features` list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureDef {
    /// The feature name.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Where.
    pub span: Span,
}

/// A top-level expression after the structural checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopLevel {
    /// A definition.
    Definition(Definition),
    /// An `include` directive.
    Include {
        /// The included file's absolute, normalized path.
        absolute: std::path::PathBuf,
        /// The directive.
        span: Span,
    },
}
