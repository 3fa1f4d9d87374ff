//! Random valid QAPI schemas for `property_schemas.rs`: a model of a schema, a generator that
//! builds one from a tape of choices, the schema text in several equivalent spellings, and
//! random JSON values of the model's types. The model and the name lists live here; the
//! generator in `generate.rs`, the spellings in `text.rs`, the values in `values.rs`.
//!
//! The generator reads its decisions from a [`Tape`] of numbers that proptest generates and
//! shrinks. Every decision treats 0 as the simplest answer (no more definitions, no feature,
//! no condition, the first candidate), and a tape that runs out reads as zeros, so shrinking
//! the tape shrinks the schema.
//!
//! Only valid schemas come out: the generator follows the language's rules (name spelling,
//! member clashes after `-` and `.` become `_`, what a union's discriminator and branches
//! may be, which alternate branches can be told apart, which features types may carry,
//! which command arguments need `boxed`, every feature documented when a definition has a
//! doc comment). A schema the front end rejects is therefore a finding.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

/// The generator's source of decisions.
pub struct Tape {
    data: Vec<u32>,
    position: usize,
}

impl Tape {
    /// A tape reading `data`, then zeros.
    pub fn new(data: Vec<u32>) -> Tape {
        Tape { data, position: 0 }
    }

    fn next(&mut self) -> u32 {
        let value = self.data.get(self.position).copied().unwrap_or(0);
        self.position += 1;
        value
    }

    /// Whether every number on the tape has been read.
    pub fn exhausted(&self) -> bool {
        self.position >= self.data.len()
    }

    /// A number below `n` (0 when `n` is 0 or 1).
    pub fn below(&mut self, n: usize) -> usize {
        let value = self.next() as usize;
        if n <= 1 { 0 } else { value % n }
    }

    /// True with `percent` per cent probability; a zero on the tape says false.
    pub fn chance(&mut self, percent: u32) -> bool {
        percent > 0 && self.next() % 100 >= 100 - percent
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// The model.

/// The built-in types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Str,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Size,
    Number,
    Bool,
    Null,
    Any,
    QType,
}

const BUILTINS: [Builtin; 16] = [
    Builtin::Str,
    Builtin::Int,
    Builtin::Int8,
    Builtin::Int16,
    Builtin::Int32,
    Builtin::Int64,
    Builtin::Uint8,
    Builtin::Uint16,
    Builtin::Uint32,
    Builtin::Uint64,
    Builtin::Size,
    Builtin::Number,
    Builtin::Bool,
    Builtin::Null,
    Builtin::Any,
    Builtin::QType,
];

/// The values of the built-in enum `QType`.
const QTYPE_VALUES: [&str; 7] = [
    "none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool",
];

impl Builtin {
    fn name(self) -> &'static str {
        match self {
            Builtin::Str => "str",
            Builtin::Int => "int",
            Builtin::Int8 => "int8",
            Builtin::Int16 => "int16",
            Builtin::Int32 => "int32",
            Builtin::Int64 => "int64",
            Builtin::Uint8 => "uint8",
            Builtin::Uint16 => "uint16",
            Builtin::Uint32 => "uint32",
            Builtin::Uint64 => "uint64",
            Builtin::Size => "size",
            Builtin::Number => "number",
            Builtin::Bool => "bool",
            Builtin::Null => "null",
            Builtin::Any => "any",
            Builtin::QType => "QType",
        }
    }

    /// The range of an integer type.
    fn int_range(self) -> Option<(i128, i128)> {
        Some(match self {
            Builtin::Int | Builtin::Int64 => (i64::MIN.into(), i64::MAX.into()),
            Builtin::Int8 => (i8::MIN.into(), i8::MAX.into()),
            Builtin::Int16 => (i16::MIN.into(), i16::MAX.into()),
            Builtin::Int32 => (i32::MIN.into(), i32::MAX.into()),
            Builtin::Uint8 => (0, u8::MAX.into()),
            Builtin::Uint16 => (0, u16::MAX.into()),
            Builtin::Uint32 => (0, u32::MAX.into()),
            Builtin::Uint64 | Builtin::Size => (0, u64::MAX.into()),
            _ => return None,
        })
    }
}

/// A type reference: a built-in, a definition (by index), or an array of either.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Builtin(Builtin),
    Def(usize),
    Array(Box<Ty>),
}

/// An `'if'` condition.
#[derive(Clone, Debug)]
pub enum Cond {
    Symbol(&'static str),
    Not(Box<Cond>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

#[derive(Clone, Debug)]
pub struct Feature {
    pub name: String,
    pub cond: Option<Cond>,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    pub optional: bool,
    pub ty: Ty,
    pub cond: Option<Cond>,
    pub features: Vec<Feature>,
}

#[derive(Clone, Debug)]
pub struct EnumValue {
    pub name: String,
    pub cond: Option<Cond>,
    pub features: Vec<Feature>,
}

/// A union or alternate branch.
#[derive(Clone, Debug)]
pub struct Branch {
    pub name: String,
    pub ty: Ty,
    pub cond: Option<Cond>,
}

/// The `data` of a command or event, or the `base` of a union.
#[derive(Clone, Debug)]
pub enum Data {
    Type(usize),
    Members(Vec<Member>),
}

#[derive(Clone, Debug)]
pub enum Kind {
    Enum {
        values: Vec<EnumValue>,
        prefix: Option<String>,
    },
    Struct {
        base: Option<usize>,
        members: Vec<Member>,
    },
    Union {
        base: Data,
        discriminator: String,
        /// The enum of the discriminator.
        tag_enum: usize,
        branches: Vec<Branch>,
    },
    Alternate {
        branches: Vec<Branch>,
    },
    Command {
        data: Option<Data>,
        boxed: bool,
        returns: Option<Ty>,
        /// Flags other than `boxed`, each spelled with its only allowed value.
        flags: Vec<(&'static str, bool)>,
    },
    Event {
        data: Option<Data>,
        boxed: bool,
    },
}

/// A definition's doc comment.
#[derive(Clone, Debug)]
pub struct Doc {
    pub text: Vec<String>,
    pub members: Vec<(String, String)>,
    pub features: Vec<(String, String)>,
    pub returns: Option<String>,
    pub since: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Def {
    pub name: String,
    /// For types: the Rust name the backend's documented naming rules give.
    pub rust_name: Option<String>,
    pub kind: Kind,
    pub cond: Option<Cond>,
    pub features: Vec<Feature>,
    pub doc: Option<Doc>,
    /// Index into [`MODULES`].
    pub module: usize,
    /// A free-form doc block (a heading) placed before the definition.
    pub heading: Option<String>,
}

/// The files a schema may be spread over: the root, a module it includes first, and a module
/// in a sub-directory that it includes later (which may include the first one again).
pub const MODULES: [&str; 3] = ["root.json", "types.json", "sub/more.json"];

#[derive(Clone, Debug)]
pub struct Schema {
    pub defs: Vec<Def>,
    /// Where in the root's definitions `sub/more.json` is included.
    pub sub_include_at: usize,
    /// Whether `sub/more.json` includes `../types.json` again (which has no effect).
    pub sub_includes_types: bool,
}

// ---------------------------------------------------------------------------------------------
// Names.

/// Words for type names; with `Qcow2` and `Ipv6` for digits. Every one has a lower-case
/// second letter, so a word after an acronym starts a new word in the backend's splitting.
const TYPE_WORDS: [&str; 26] = [
    "Alpha", "Bravo", "Cargo", "Delta", "Ember", "Falcon", "Garnet", "Harbor", "Iris", "Jade",
    "Kettle", "Lumen", "Meadow", "Nickel", "Orbit", "Pixel", "Quartz", "Raven", "Sierra", "Tundra",
    "Umber", "Vortex", "Willow", "Zephyr", "Qcow2", "Ipv6",
];

/// Acronyms, spelled in capitals in type names (`TLSAlpha` is `TlsAlpha` in Rust).
const ACRONYMS: [&str; 5] = ["TLS", "CPU", "IO", "NFS", "VNC"];

/// Words for members, commands, enum values and branches: plain words, Rust keywords, words
/// with digits, and the words of the vendor prefix (so `org-acme-x` meets `__org.acme_x`).
const LOWER_WORDS: [&str; 36] = [
    "alpha", "bravo", "cargo", "delta", "ember", "falcon", "garnet", "harbor", "iris", "jade",
    "kettle", "lumen", "meadow", "nickel", "orbit", "pixel", "quartz", "raven", "sierra", "tundra",
    "type", "self", "match", "fn", "async", "crate", "super", "try", "qcow2", "x86", "ipv6", "org",
    "acme", "request", "return", "server",
];

/// Extra enum values: ones that matter to alternates (`on`, `off`, leading digits), ones
/// whose Rust variants meet (`32` and `v32` are both `V32`), and one named like the
/// catch-all variant.
const ENUM_EXTRAS: [&str; 8] = [
    "on",
    "off",
    "32",
    "v32",
    "7-up",
    "unrecognized",
    "auto",
    "none",
];

const FEATURES: [&str; 6] = [
    "shiny",
    "retro",
    "x-fancy",
    "__org.acme_magic",
    "deprecated",
    "unstable",
];

const SYMBOLS: [&str; 5] = [
    "CONFIG_A",
    "CONFIG_B",
    "CONFIG_C2",
    "HAVE_X",
    "CONFIG_LONG_NAME",
];

/// How QEMU's C code spells a name; names that agree on it clash.
pub fn c_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn capitalized(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

mod generate;
mod text;
mod values;

pub use generate::generate;
pub use text::Style;
pub use values::Rng;
