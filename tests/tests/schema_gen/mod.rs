//! Random valid QAPI schemas for `property_schemas.rs`: a model of a schema, a generator that
//! builds one from a tape of choices, the schema text in several equivalent spellings, and
//! random JSON values of the model's types.
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

// ---------------------------------------------------------------------------------------------
// The generator.

/// What an alternate branch accepts, by JSON type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Null,
    String,
    Number,
    Boolean,
    Array,
    Object,
}

struct Generator<'t> {
    tape: &'t mut Tape,
    defs: Vec<Def>,
    /// Every definition name so far, by C spelling.
    names: HashSet<String>,
    /// Every Rust type name so far.
    rust_names: HashSet<String>,
}

/// Builds a random valid schema from `tape`.
pub fn generate(tape: &mut Tape) -> Schema {
    let mut generator = Generator {
        tape,
        defs: Vec::new(),
        names: HashSet::new(),
        rust_names: ["QType".to_string()].into(),
    };
    let count = generator.tape.below(28);
    for _ in 0..count {
        // Past the tape's end every choice is the simplest; stop rather than pile up the
        // same definition.
        if generator.tape.exhausted() {
            break;
        }
        let choice = generator.tape.below(100);
        let def = match choice {
            0..=17 => generator.enumeration(),
            18..=45 => generator.structure(),
            46..=57 => generator.union(),
            58..=67 => generator.alternate(),
            68..=85 => generator.command(),
            _ => generator.event(),
        };
        if let Some(kind) = def {
            generator.push(kind);
        }
    }
    let sub_include_at = generator.tape.below(generator.defs.len() + 1);
    let sub_includes_types = generator.tape.chance(50);
    Schema {
        defs: generator.defs,
        sub_include_at,
        sub_includes_types,
    }
}

impl Generator<'_> {
    /// Adds a definition of `kind` (with its name) with random trimmings.
    fn push(&mut self, (name, rust_name, kind): (String, Option<String>, Kind)) {
        let is_type = rust_name.is_some();
        let cond = self.cond();
        let features = self.features(!is_type);
        let module = if self.tape.chance(35) {
            1 + self.tape.below(2)
        } else {
            0
        };
        let doc = self.tape.chance(35).then(|| self.doc(&kind, &features));
        // A free-form block right before a definition would leave it undocumented (QEMU
        // wants the definition's own block there), so headings come only before one.
        let heading = (doc.is_some() && self.tape.chance(20)).then(|| {
            format!(
                "= {} section",
                capitalized(self.tape.pick::<&str>(&LOWER_WORDS))
            )
        });
        self.defs.push(Def {
            name,
            rust_name,
            kind,
            cond,
            features,
            doc,
            module,
            heading,
        });
    }

    fn cond(&mut self) -> Option<Cond> {
        self.tape.chance(20).then(|| self.cond_at(0))
    }

    fn cond_at(&mut self, depth: usize) -> Cond {
        let choice = if depth >= 2 { 0 } else { self.tape.below(6) };
        match choice {
            0..=2 => Cond::Symbol(SYMBOLS[self.tape.below(SYMBOLS.len())]),
            3 => Cond::Not(Box::new(self.cond_at(depth + 1))),
            _ => {
                let operands = (0..1 + self.tape.below(3))
                    .map(|_| self.cond_at(depth + 1))
                    .collect();
                if choice == 4 {
                    Cond::All(operands)
                } else {
                    Cond::Any(operands)
                }
            }
        }
    }

    /// Features for an entity; `special` allows `deprecated` and `unstable` (not on types).
    fn features(&mut self, special: bool) -> Vec<Feature> {
        let mut features: Vec<Feature> = Vec::new();
        if !self.tape.chance(25) {
            return features;
        }
        for _ in 0..1 + self.tape.below(3) {
            let name = *self.tape.pick(&FEATURES);
            if !special && (name == "deprecated" || name == "unstable") {
                continue;
            }
            if features.iter().any(|f| c_name(&f.name) == c_name(name)) {
                continue;
            }
            let cond = self.tape.chance(15).then(|| self.cond_at(1));
            features.push(Feature {
                name: name.to_string(),
                cond,
            });
        }
        features
    }

    /// Claims a definition name, or `None` if it is taken.
    fn claim(&mut self, name: &str) -> bool {
        self.names.insert(c_name(name))
    }

    /// A new type name and its Rust name.
    fn type_name(&mut self) -> (String, String) {
        for _ in 0..8 {
            let count = 1 + self.tape.below(3);
            let mut words: Vec<&str> = Vec::new();
            for _ in 0..count {
                let acronym = self.tape.chance(15)
                    && !words.last().is_some_and(|last| ACRONYMS.contains(last));
                words.push(if acronym {
                    *self.tape.pick(&ACRONYMS)
                } else {
                    *self.tape.pick(&TYPE_WORDS)
                });
            }
            if words.iter().all(|word| ACRONYMS.contains(word)) {
                continue;
            }
            let (prefix, rust_prefix) = match self.tape.below(12) {
                0 => ("x-", "X"),
                1 => ("__org.acme_", "OrgAcme"),
                _ => ("", ""),
            };
            let name = format!("{prefix}{}", words.concat());
            let rust = format!(
                "{rust_prefix}{}",
                words.iter().map(|w| capitalized(w)).collect::<String>()
            );
            if name.ends_with("List") || self.rust_names.contains(&rust) || !self.claim(&name) {
                continue;
            }
            self.rust_names.insert(rust.clone());
            return (name, rust);
        }
        // Every try was taken: a name that cannot be.
        let index = self.defs.len();
        let name = format!("Fallback{}", alphabetic(index));
        self.claim(&name);
        self.rust_names.insert(name.clone());
        (name.clone(), name)
    }

    /// A lower-case name of one to three words, not in `taken` (by C spelling).
    fn lower_name(&mut self, taken: &HashSet<String>, prefixes: bool) -> Option<String> {
        for _ in 0..6 {
            let words: Vec<&str> = (0..1 + self.tape.below(2))
                .map(|_| *self.tape.pick(&LOWER_WORDS))
                .collect();
            let prefix = match (prefixes, self.tape.below(10)) {
                (true, 0) => "x-",
                (true, 1) => "__org.acme_",
                _ => "",
            };
            let name = format!("{prefix}{}", words.join("-"));
            if !taken.contains(&c_name(&name)) {
                return Some(name);
            }
        }
        None
    }

    /// A definition name for a command (lower case) or an event (upper case).
    fn entity_name(&mut self, upper: bool) -> Option<String> {
        for _ in 0..6 {
            let words: Vec<&str> = (0..1 + self.tape.below(3))
                .map(|_| *self.tape.pick(&LOWER_WORDS))
                .collect();
            let name = if upper {
                let prefix = if self.tape.chance(10) {
                    "__org.acme_"
                } else {
                    ""
                };
                format!("{prefix}{}", words.join("_").to_ascii_uppercase())
            } else {
                let prefix = if self.tape.chance(10) { "x-" } else { "" };
                format!("{prefix}{}", words.join("-"))
            };
            if self.claim(&name) {
                return Some(name);
            }
        }
        None
    }

    fn enum_def(&self, index: usize) -> Option<&[EnumValue]> {
        match &self.defs[index].kind {
            Kind::Enum { values, .. } => Some(values),
            _ => None,
        }
    }

    /// Indexes of earlier definitions of which `keep` holds.
    fn earlier(&self, keep: impl Fn(&Def) -> bool) -> Vec<usize> {
        (0..self.defs.len())
            .filter(|&index| keep(&self.defs[index]))
            .collect()
    }

    fn is_object(def: &Def) -> bool {
        matches!(def.kind, Kind::Struct { .. } | Kind::Union { .. })
    }

    fn is_struct(def: &Def) -> bool {
        matches!(def.kind, Kind::Struct { .. })
    }

    /// A type for a member: a built-in, an earlier type that has values, or an array.
    fn member_type(&mut self) -> Ty {
        let types = self.earlier(|def| match &def.kind {
            Kind::Enum { values, .. } => !values.is_empty(),
            Kind::Struct { .. } | Kind::Union { .. } | Kind::Alternate { .. } => true,
            _ => false,
        });
        let element = if !types.is_empty() && self.tape.chance(45) {
            Ty::Def(*self.tape.pick(&types))
        } else {
            Ty::Builtin(*self.tape.pick(&BUILTINS))
        };
        if self.tape.chance(20) {
            Ty::Array(Box::new(element))
        } else {
            element
        }
    }

    /// The members of object type `index`, base members first (branches left out).
    fn all_members(&self, index: usize) -> Vec<&Member> {
        match &self.defs[index].kind {
            Kind::Struct { base, members } => {
                let mut all = base.map_or_else(Vec::new, |base| self.all_members(base));
                all.extend(members);
                all
            }
            Kind::Union { base, .. } => match base {
                Data::Type(base) => self.all_members(*base),
                Data::Members(members) => members.iter().collect(),
            },
            _ => Vec::new(),
        }
    }

    /// `count` members whose names clash neither with each other nor with `taken`.
    /// `conditional` allows `'if'` on members.
    fn members(&mut self, taken: &HashSet<String>, count: usize, conditional: bool) -> Vec<Member> {
        let mut taken = taken.clone();
        let mut members = Vec::new();
        for _ in 0..count {
            let Some(name) = self.lower_name(&taken, true) else {
                continue;
            };
            taken.insert(c_name(&name));
            let optional = self.tape.chance(40);
            let ty = self.member_type();
            let cond = if conditional { self.cond() } else { None };
            let features = if self.tape.chance(15) {
                self.features(true)
            } else {
                Vec::new()
            };
            members.push(Member {
                name,
                optional,
                ty,
                cond,
                features,
            });
        }
        members
    }

    fn enumeration(&mut self) -> Option<(String, Option<String>, Kind)> {
        let (name, rust) = self.type_name();
        let count = if self.tape.chance(5) {
            0
        } else {
            1 + self.tape.below(5)
        };
        let mut taken = HashSet::new();
        let mut values = Vec::new();
        for _ in 0..count {
            let value = if self.tape.chance(25) {
                self.tape.pick(&ENUM_EXTRAS).to_string()
            } else {
                match self.lower_name(&taken, true) {
                    Some(value) => value,
                    None => continue,
                }
            };
            if !taken.insert(c_name(&value)) {
                continue;
            }
            let cond = self.tape.chance(15).then(|| self.cond_at(0));
            let features = if self.tape.chance(10) {
                self.features(true)
            } else {
                Vec::new()
            };
            values.push(EnumValue {
                name: value,
                cond,
                features,
            });
        }
        let prefix = self.tape.chance(10).then(|| format!("PFX_{}", name.len()));
        Some((name, Some(rust), Kind::Enum { values, prefix }))
    }

    fn structure(&mut self) -> Option<(String, Option<String>, Kind)> {
        let (name, rust) = self.type_name();
        let structs = self.earlier(Self::is_struct);
        let base = (!structs.is_empty() && self.tape.chance(25)).then(|| *self.tape.pick(&structs));
        let taken: HashSet<String> = base
            .map(|base| {
                self.all_members(base)
                    .iter()
                    .map(|m| c_name(&m.name))
                    .collect()
            })
            .unwrap_or_default();
        let count = self.tape.below(6);
        let mut members = self.members(&taken, count, true);
        // Sometimes the struct contains itself, through an optional array.
        if self.tape.chance(10) {
            let mut taken = taken;
            taken.extend(members.iter().map(|m| c_name(&m.name)));
            if let Some(member) = self.lower_name(&taken, false) {
                members.push(Member {
                    name: member,
                    optional: true,
                    ty: Ty::Array(Box::new(Ty::Def(self.defs.len()))),
                    cond: None,
                    features: Vec::new(),
                });
            }
        }
        Some((name, Some(rust), Kind::Struct { base, members }))
    }

    fn union(&mut self) -> Option<(String, Option<String>, Kind)> {
        let enums = self
            .earlier(|def| matches!(&def.kind, Kind::Enum { values, .. } if !values.is_empty()));
        if enums.is_empty() {
            return None;
        }
        // A named base needs a required, unconditional member of a non-empty enum type.
        let bases: Vec<(usize, String, usize)> = self
            .earlier(Self::is_struct)
            .into_iter()
            .flat_map(|base| {
                self.all_members(base)
                    .into_iter()
                    .filter_map(|m| match m.ty {
                        Ty::Def(ty)
                            if !m.optional
                                && m.cond.is_none()
                                && self.enum_def(ty).is_some_and(|v| !v.is_empty()) =>
                        {
                            Some((base, m.name.clone(), ty))
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let (name, rust) = self.type_name();
        let (base, discriminator, tag_enum) = if !bases.is_empty() && self.tape.chance(40) {
            let (base, discriminator, tag_enum) = self.tape.pick(&bases).clone();
            (Data::Type(base), discriminator, tag_enum)
        } else {
            let tag_enum = *self.tape.pick(&enums);
            let discriminator = self.lower_name(&HashSet::new(), true)?;
            let taken = [c_name(&discriminator)].into();
            let count = self.tape.below(3);
            let mut members = vec![Member {
                name: discriminator.clone(),
                optional: false,
                ty: Ty::Def(tag_enum),
                cond: None,
                features: Vec::new(),
            }];
            members.extend(self.members(&taken, count, true));
            let at = self.tape.below(members.len());
            let tag = members.remove(0);
            members.insert(at, tag);
            (Data::Members(members), discriminator, tag_enum)
        };
        let base_names: HashSet<String> = match &base {
            Data::Type(base) => self
                .all_members(*base)
                .iter()
                .map(|m| c_name(&m.name))
                .collect(),
            Data::Members(members) => members.iter().map(|m| c_name(&m.name)).collect(),
        };
        let structs = self.earlier(Self::is_struct);
        let values: Vec<String> = self
            .enum_def(tag_enum)?
            .iter()
            .map(|v| v.name.clone())
            .collect();
        let mut branches = Vec::new();
        for value in values {
            if structs.is_empty() || !self.tape.chance(70) {
                continue;
            }
            let ty = *self.tape.pick(&structs);
            let clashes = self
                .all_members(ty)
                .iter()
                .any(|m| base_names.contains(&c_name(&m.name)));
            if clashes || matches!(base, Data::Type(base) if base == ty) {
                continue;
            }
            let cond = self.tape.chance(15).then(|| self.cond_at(0));
            branches.push(Branch {
                name: value,
                ty: Ty::Def(ty),
                cond,
            });
        }
        Some((
            name,
            Some(rust),
            Kind::Union {
                base,
                discriminator,
                tag_enum,
                branches,
            },
        ))
    }

    /// What a branch of type `ty` takes, or `None` if an alternate cannot have it.
    fn inputs(&self, ty: &Ty) -> Option<Vec<Input>> {
        Some(match ty {
            Ty::Array(_) => vec![Input::Array],
            Ty::Builtin(Builtin::Str) => vec![Input::String, Input::Number, Input::Boolean],
            Ty::Builtin(Builtin::Any) => return None,
            Ty::Builtin(Builtin::Null) => vec![Input::Null],
            Ty::Builtin(Builtin::Bool) => vec![Input::Boolean],
            Ty::Builtin(Builtin::QType) => vec![Input::String],
            Ty::Builtin(_) => vec![Input::Number],
            Ty::Def(index) => match &self.defs[*index].kind {
                Kind::Enum { values, .. } => {
                    let mut inputs = vec![Input::String];
                    if values.iter().any(|v| v.name == "on" || v.name == "off") {
                        inputs.push(Input::Boolean);
                    }
                    if values.iter().any(|v| {
                        v.name
                            .starts_with(|c: char| c.is_ascii_digit() || "-+.".contains(c))
                    }) {
                        inputs.push(Input::Number);
                    }
                    inputs
                }
                Kind::Struct { .. } | Kind::Union { .. } => vec![Input::Object],
                _ => return None,
            },
        })
    }

    fn alternate(&mut self) -> Option<(String, Option<String>, Kind)> {
        let (name, rust) = self.type_name();
        let mut taken_inputs: Vec<Input> = Vec::new();
        let mut taken_names = HashSet::new();
        let mut branches = Vec::new();
        for _ in 0..1 + self.tape.below(5) {
            let ty = self.member_type();
            let Some(inputs) = self.inputs(&ty) else {
                continue;
            };
            if inputs.iter().any(|input| taken_inputs.contains(input)) {
                continue;
            }
            // An enum without values takes nothing; leave it out.
            if let Ty::Def(index) = ty {
                if self.enum_def(index).is_some_and(|values| values.is_empty()) {
                    continue;
                }
            }
            let Some(branch) = self.lower_name(&taken_names, true) else {
                continue;
            };
            taken_names.insert(c_name(&branch));
            taken_inputs.extend(inputs);
            let cond = self.tape.chance(15).then(|| self.cond_at(0));
            branches.push(Branch {
                name: branch,
                ty,
                cond,
            });
        }
        if branches.is_empty() {
            branches.push(Branch {
                name: "value".to_string(),
                ty: Ty::Builtin(Builtin::Bool),
                cond: None,
            });
        }
        Some((name, Some(rust), Kind::Alternate { branches }))
    }

    /// The `data` of a command or event: none, inline members, or a named object type (a
    /// union or a struct with conditional members only with `boxed`).
    fn arguments(&mut self) -> (Option<Data>, bool) {
        match self.tape.below(3) {
            0 => (None, false),
            1 => {
                let count = self.tape.below(5);
                (
                    Some(Data::Members(self.members(&HashSet::new(), count, false))),
                    false,
                )
            }
            _ => {
                let objects = self.earlier(Self::is_object);
                if objects.is_empty() {
                    return (None, false);
                }
                let ty = *self.tape.pick(&objects);
                let needs_box = match &self.defs[ty].kind {
                    Kind::Union { .. } => true,
                    _ => self.all_members(ty).iter().any(|m| m.cond.is_some()),
                };
                let boxed = needs_box || self.tape.chance(30);
                (Some(Data::Type(ty)), boxed)
            }
        }
    }

    fn command(&mut self) -> Option<(String, Option<String>, Kind)> {
        let name = self.entity_name(false)?;
        let (data, boxed) = self.arguments();
        let objects = self.earlier(Self::is_object);
        let returns = (!objects.is_empty() && self.tape.chance(60)).then(|| {
            let ty = Ty::Def(*self.tape.pick(&objects));
            if self.tape.chance(30) {
                Ty::Array(Box::new(ty))
            } else {
                ty
            }
        });
        let mut flags = Vec::new();
        if self.tape.chance(15) {
            flags.push(("allow-oob", true));
        } else if self.tape.chance(15) {
            flags.push(("coroutine", true));
        }
        if self.tape.chance(15) {
            flags.push(("allow-preconfig", true));
        }
        if returns.is_none() && self.tape.chance(10) {
            flags.push(("success-response", false));
        }
        if self.tape.chance(8) {
            flags.push(("gen", false));
        }
        Some((
            name,
            None,
            Kind::Command {
                data,
                boxed,
                returns,
                flags,
            },
        ))
    }

    fn event(&mut self) -> Option<(String, Option<String>, Kind)> {
        let name = self.entity_name(true)?;
        let (data, boxed) = self.arguments();
        Some((name, None, Kind::Event { data, boxed }))
    }

    /// A doc comment for a definition of `kind`: the language wants everything it may
    /// describe described (members, values, branches, features, members' features).
    fn doc(&mut self, kind: &Kind, features: &[Feature]) -> Doc {
        let describable: Vec<String> = match kind {
            Kind::Enum { values, .. } => values.iter().map(|v| v.name.clone()).collect(),
            Kind::Struct { members, .. } => members.iter().map(|m| m.name.clone()).collect(),
            Kind::Union {
                base: Data::Members(members),
                ..
            } => members.iter().map(|m| m.name.clone()).collect(),
            Kind::Alternate { branches } => branches.iter().map(|b| b.name.clone()).collect(),
            Kind::Command {
                data: Some(Data::Members(members)),
                ..
            }
            | Kind::Event {
                data: Some(Data::Members(members)),
                ..
            } => members.iter().map(|m| m.name.clone()).collect(),
            _ => Vec::new(),
        };
        // Member features must be described too.
        let mut feature_names: Vec<String> = features.iter().map(|f| f.name.clone()).collect();
        let mut add_features = |list: &[Feature]| {
            for feature in list {
                if !feature_names.contains(&feature.name) {
                    feature_names.push(feature.name.clone());
                }
            }
        };
        match kind {
            Kind::Enum { values, .. } => values.iter().for_each(|v| add_features(&v.features)),
            Kind::Struct { members, .. }
            | Kind::Union {
                base: Data::Members(members),
                ..
            }
            | Kind::Command {
                data: Some(Data::Members(members)),
                ..
            }
            | Kind::Event {
                data: Some(Data::Members(members)),
                ..
            } => members.iter().for_each(|m| add_features(&m.features)),
            _ => {}
        }
        let text = (0..1 + self.tape.below(3))
            .map(|_| self.sentence())
            .collect();
        let mut members = Vec::new();
        for name in describable {
            members.push((name, self.sentence()));
        }
        let features = feature_names
            .into_iter()
            .map(|name| (name, self.sentence()))
            .collect();
        let returns = matches!(
            kind,
            Kind::Command {
                returns: Some(_),
                ..
            }
        ) && self.tape.chance(40);
        let returns = returns.then(|| self.sentence());
        let since = self
            .tape
            .chance(30)
            .then(|| format!("{}.{}", 1 + self.tape.below(9), self.tape.below(3)));
        Doc {
            text,
            members,
            features,
            returns,
            since,
        }
    }

    fn sentence(&mut self) -> String {
        let words: Vec<&str> = (0..2 + self.tape.below(6))
            .map(|_| *self.tape.pick(&LOWER_WORDS))
            .collect();
        format!("{} {}.", capitalized(words[0]), words[1..].join(" "))
    }
}

/// `index` in letters (`A`, `B`, … `Ba`), for fallback names.
fn alphabetic(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'a' + (index % 26) as u8) as char);
        index /= 26;
        if index == 0 {
            break;
        }
    }
    letters.reverse();
    capitalized(&letters.into_iter().collect::<String>())
}

// ---------------------------------------------------------------------------------------------
// The schema as text.

/// How to spell the schema. Every style gives the same schema.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// 0: one line per definition, `{ 'k': v }`; 1: no spaces at all; 2: one key per line,
    /// with comments at line ends.
    pub layout: u8,
    /// Write the definition's keys in another order (the meta key last).
    pub rotate_keys: bool,
    /// Write members, branches, enum values and features in their long form
    /// (`{ 'type': … }`, `{ 'name': … }`) even without extra keys.
    pub long_forms: bool,
}

impl Style {
    pub const CANONICAL: Style = Style {
        layout: 0,
        rotate_keys: false,
        long_forms: false,
    };
    pub const VARIANTS: [Style; 2] = [
        Style {
            layout: 1,
            rotate_keys: true,
            long_forms: true,
        },
        Style {
            layout: 2,
            rotate_keys: true,
            long_forms: false,
        },
    ];
}

/// A QAPI expression.
enum Q {
    Str(String),
    Bool(bool),
    List(Vec<Q>),
    Dict(Vec<(String, Q)>),
}

fn s(text: &str) -> Q {
    Q::Str(text.to_string())
}

impl Q {
    fn render(&self, style: Style, indent: usize, out: &mut String) {
        match self {
            Q::Str(text) => {
                out.push('\'');
                out.push_str(text);
                out.push('\'');
            }
            Q::Bool(true) => out.push_str("true"),
            Q::Bool(false) => out.push_str("false"),
            Q::List(items) => {
                let (open, close) = if style.layout == 1 {
                    ("[", "]")
                } else {
                    ("[ ", " ]")
                };
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push_str(open);
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(if style.layout == 1 { "," } else { ", " });
                    }
                    item.render(style, indent + 2, out);
                }
                out.push_str(close);
            }
            Q::Dict(entries) => {
                if entries.is_empty() {
                    out.push_str("{}");
                    return;
                }
                match style.layout {
                    1 => {
                        out.push('{');
                        for (index, (key, value)) in entries.iter().enumerate() {
                            if index > 0 {
                                out.push(',');
                            }
                            let _ = write!(out, "'{key}':");
                            value.render(style, indent + 1, out);
                        }
                        out.push('}');
                    }
                    2 => {
                        out.push('{');
                        for (index, (key, value)) in entries.iter().enumerate() {
                            if index > 0 {
                                out.push(',');
                                if index % 2 == 1 {
                                    out.push_str("   # a comment, 'with' {brackets}");
                                }
                            }
                            out.push('\n');
                            out.push_str(&" ".repeat(indent + 2));
                            let _ = write!(out, "'{key}' :\t");
                            value.render(style, indent + 4, out);
                        }
                        out.push('\n');
                        out.push_str(&" ".repeat(indent));
                        out.push('}');
                    }
                    _ => {
                        out.push_str("{ ");
                        for (index, (key, value)) in entries.iter().enumerate() {
                            if index > 0 {
                                out.push_str(", ");
                            }
                            let _ = write!(out, "'{key}': ");
                            value.render(style, indent + 2, out);
                        }
                        out.push_str(" }");
                    }
                }
            }
        }
    }
}

impl Schema {
    /// The name of a type reference in the schema.
    fn type_ref(&self, ty: &Ty) -> Q {
        match ty {
            Ty::Builtin(builtin) => s(builtin.name()),
            Ty::Def(index) => s(&self.defs[*index].name),
            Ty::Array(element) => Q::List(vec![self.type_ref(element)]),
        }
    }

    fn cond(cond: &Cond) -> Q {
        match cond {
            Cond::Symbol(symbol) => s(symbol),
            Cond::Not(operand) => Q::Dict(vec![("not".into(), Self::cond(operand))]),
            Cond::All(operands) => Q::Dict(vec![(
                "all".into(),
                Q::List(operands.iter().map(Self::cond).collect()),
            )]),
            Cond::Any(operands) => Q::Dict(vec![(
                "any".into(),
                Q::List(operands.iter().map(Self::cond).collect()),
            )]),
        }
    }

    /// A name with optional `'if'` and `'features'`: the bare string when it has neither
    /// (unless the style asks for the long form).
    fn named(name: &str, cond: &Option<Cond>, features: &[Feature], style: Style) -> Q {
        let mut entries = vec![("name".to_string(), s(name))];
        if let Some(cond) = cond {
            entries.push(("if".into(), Self::cond(cond)));
        }
        if !features.is_empty() {
            entries.push(("features".into(), Self::features(features, style)));
        }
        if entries.len() == 1 && !style.long_forms {
            return s(name);
        }
        Self::order(entries, style)
    }

    fn features(features: &[Feature], style: Style) -> Q {
        Q::List(
            features
                .iter()
                .map(|f| Self::named(&f.name, &f.cond, &[], style))
                .collect(),
        )
    }

    /// A type with optional `'if'` and `'features'`.
    fn typed(&self, ty: &Ty, cond: &Option<Cond>, features: &[Feature], style: Style) -> Q {
        let mut entries = vec![("type".to_string(), self.type_ref(ty))];
        if let Some(cond) = cond {
            entries.push(("if".into(), Self::cond(cond)));
        }
        if !features.is_empty() {
            entries.push(("features".into(), Self::features(features, style)));
        }
        if entries.len() == 1 && !style.long_forms {
            return self.type_ref(ty);
        }
        Self::order(entries, style)
    }

    fn members(&self, members: &[Member], style: Style) -> Q {
        Q::Dict(
            members
                .iter()
                .map(|m| {
                    let key = if m.optional {
                        format!("*{}", m.name)
                    } else {
                        m.name.clone()
                    };
                    (key, self.typed(&m.ty, &m.cond, &m.features, style))
                })
                .collect(),
        )
    }

    fn branches(&self, branches: &[Branch], style: Style) -> Q {
        Q::Dict(
            branches
                .iter()
                .map(|b| (b.name.clone(), self.typed(&b.ty, &b.cond, &[], style)))
                .collect(),
        )
    }

    fn data(&self, data: &Data, style: Style) -> Q {
        match data {
            Data::Type(index) => s(&self.defs[*index].name),
            Data::Members(members) => self.members(members, style),
        }
    }

    /// Key order within an object: as built, or rotated by one (the first key last).
    fn order(mut entries: Vec<(String, Q)>, style: Style) -> Q {
        if style.rotate_keys && entries.len() > 1 {
            entries.rotate_left(1);
        }
        Q::Dict(entries)
    }

    fn definition(&self, def: &Def, style: Style) -> Q {
        let mut entries: Vec<(String, Q)> = Vec::new();
        let mut entry = |key: &str, value: Q| entries.push((key.to_string(), value));
        match &def.kind {
            Kind::Enum { values, prefix } => {
                entry("enum", s(&def.name));
                if let Some(prefix) = prefix {
                    entry("prefix", s(prefix));
                }
                entry(
                    "data",
                    Q::List(
                        values
                            .iter()
                            .map(|v| Self::named(&v.name, &v.cond, &v.features, style))
                            .collect(),
                    ),
                );
            }
            Kind::Struct { base, members } => {
                entry("struct", s(&def.name));
                if let Some(base) = base {
                    entry("base", s(&self.defs[*base].name));
                }
                entry("data", self.members(members, style));
            }
            Kind::Union {
                base,
                discriminator,
                branches,
                ..
            } => {
                entry("union", s(&def.name));
                entry("base", self.data(base, style));
                entry("discriminator", s(discriminator));
                entry("data", self.branches(branches, style));
            }
            Kind::Alternate { branches } => {
                entry("alternate", s(&def.name));
                entry("data", self.branches(branches, style));
            }
            Kind::Command {
                data,
                boxed,
                returns,
                flags,
            } => {
                entry("command", s(&def.name));
                if let Some(data) = data {
                    entry("data", self.data(data, style));
                }
                if *boxed {
                    entry("boxed", Q::Bool(true));
                }
                if let Some(returns) = returns {
                    entry("returns", self.type_ref(returns));
                }
                for (flag, value) in flags {
                    entry(flag, Q::Bool(*value));
                }
            }
            Kind::Event { data, boxed } => {
                entry("event", s(&def.name));
                if let Some(data) = data {
                    entry("data", self.data(data, style));
                }
                if *boxed {
                    entry("boxed", Q::Bool(true));
                }
            }
        }
        if let Some(cond) = &def.cond {
            entries.push(("if".into(), Self::cond(cond)));
        }
        if !def.features.is_empty() {
            entries.push(("features".into(), Self::features(&def.features, style)));
        }
        Self::order(entries, style)
    }

    fn doc_block(def: &Def, doc: &Doc, out: &mut String) {
        let _ = writeln!(out, "##\n# @{}:\n#", def.name);
        for (index, line) in doc.text.iter().enumerate() {
            // Two sentences share a paragraph; a third starts a new one.
            if index == 2 {
                out.push_str("#\n");
            }
            let _ = writeln!(out, "# {line}");
        }
        if !doc.members.is_empty() {
            out.push_str("#\n");
            for (name, text) in &doc.members {
                let _ = writeln!(out, "# @{name}: {text}");
            }
        }
        if !doc.features.is_empty() {
            out.push_str("#\n# Features:\n#\n");
            for (name, text) in &doc.features {
                let _ = writeln!(out, "# @{name}: {text}");
            }
        }
        if let Some(returns) = &doc.returns {
            let _ = writeln!(out, "#\n# Returns: {returns}");
        }
        if let Some(since) = &doc.since {
            let _ = writeln!(out, "#\n# Since: {since}");
        }
        out.push_str("##\n");
    }

    /// The schema's files, by path, spelled in `style`. The doc comments are the same in
    /// every style (their text is part of the schema).
    pub fn files(&self, style: Style) -> BTreeMap<String, String> {
        let mut files: Vec<String> = vec![String::new(); MODULES.len()];
        files[0].push_str("# A random schema from the property tests.\n\n");
        if self.defs.iter().any(|def| def.module == 1) {
            files[0].push_str("{ 'include': 'types.json' }\n\n");
        }
        let sub_used = self.defs.iter().any(|def| def.module == 2);
        if sub_used && self.sub_includes_types {
            files[2].push_str("{ 'include': '../types.json' }\n\n");
        }
        let mut root_count = 0;
        for def in &self.defs {
            if def.module == 0 {
                if sub_used && root_count == self.sub_include_at {
                    files[0].push_str("{ 'include': 'sub/more.json' }\n\n");
                }
                root_count += 1;
            }
            let out = &mut files[def.module];
            if let Some(heading) = &def.heading {
                let _ = writeln!(out, "##\n# {heading}\n##\n");
            }
            if let Some(doc) = &def.doc {
                Self::doc_block(def, doc, out);
            }
            self.definition(def, style).render(style, 0, out);
            out.push_str("\n\n");
        }
        if sub_used && root_count <= self.sub_include_at {
            files[0].push_str("{ 'include': 'sub/more.json' }\n");
        }
        let mut result = BTreeMap::new();
        result.insert(MODULES[0].to_string(), files[0].clone());
        if self.defs.iter().any(|def| def.module == 1) || (sub_used && self.sub_includes_types) {
            result.insert(MODULES[1].to_string(), files[1].clone());
        }
        if sub_used {
            result.insert(MODULES[2].to_string(), files[2].clone());
        }
        result
    }

    /// All files as one text, for failure messages.
    pub fn listing(files: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        for (path, text) in files {
            let _ = writeln!(out, "=== {path}\n{text}");
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Values.

/// A small seeded generator (SplitMix64) for values.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings that test the encoder: escapes, control characters, non-ASCII.
const STRINGS: [&str; 9] = [
    "",
    "plain",
    "with \"quotes\" and \\ backslash",
    "tab\tnew\nline",
    "\u{1}control\u{1f}",
    "grüße",
    "日本語",
    "emoji 😀",
    "</script>",
];

/// How deep values nest before optional members are left out and arrays kept empty.
const MAX_DEPTH: usize = 4;

impl Schema {
    fn string(rng: &mut Rng) -> Value {
        if rng.chance(50) {
            Value::String(rng.pick(&STRINGS).to_string())
        } else {
            Value::String(format!("{}-{}", rng.pick(&LOWER_WORDS), rng.below(1000)))
        }
    }

    /// A float that JSON spells exactly and serde_json reads back exactly: a multiple of
    /// 1/8 well within 2^53.
    fn float(rng: &mut Rng) -> Value {
        let numerator = (rng.next() % (1 << 40)) as i64 - (1 << 39);
        json!(numerator as f64 / 8.0)
    }

    fn integer(builtin: Builtin, rng: &mut Rng) -> Value {
        let (min, max) = builtin.int_range().expect("an integer type");
        let value: i128 = match rng.below(6) {
            0 => min,
            1 => max,
            2 => 0,
            _ => min + (rng.next() as i128).rem_euclid(max - min + 1),
        };
        if value < 0 {
            json!(value as i64)
        } else {
            json!(value as u64)
        }
    }

    /// Any JSON value (for `any`).
    fn any(rng: &mut Rng, depth: usize) -> Value {
        match rng.below(if depth >= 2 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(rng.chance(50)),
            2 => Self::integer(Builtin::Int, rng),
            3 => Self::float(rng),
            4 => Self::string(rng),
            5 => Value::Array(
                (0..rng.below(3))
                    .map(|_| Self::any(rng, depth + 1))
                    .collect(),
            ),
            _ => {
                let mut object = Map::new();
                for _ in 0..rng.below(3) {
                    object.insert(
                        rng.pick(&LOWER_WORDS).to_string(),
                        Self::any(rng, depth + 1),
                    );
                }
                Value::Object(object)
            }
        }
    }

    /// A random value of `ty`.
    pub fn value(&self, ty: &Ty, rng: &mut Rng, depth: usize) -> Value {
        match ty {
            Ty::Builtin(builtin) => match builtin {
                Builtin::Str => Self::string(rng),
                Builtin::Number => Self::float(rng),
                Builtin::Bool => Value::Bool(rng.chance(50)),
                Builtin::Null => Value::Null,
                Builtin::Any => Self::any(rng, 0),
                Builtin::QType => Value::String(rng.pick(&QTYPE_VALUES).to_string()),
                _ => Self::integer(*builtin, rng),
            },
            Ty::Array(element) => {
                let count = if depth >= MAX_DEPTH { 0 } else { rng.below(4) };
                Value::Array(
                    (0..count)
                        .map(|_| self.value(element, rng, depth + 1))
                        .collect(),
                )
            }
            Ty::Def(index) => self.def_value(*index, rng, depth),
        }
    }

    fn def_value(&self, index: usize, rng: &mut Rng, depth: usize) -> Value {
        match &self.defs[index].kind {
            Kind::Enum { values, .. } => Value::String(rng.pick(values).name.clone()),
            Kind::Struct { .. } => {
                let mut object = Map::new();
                self.fill(index, &mut object, rng, depth);
                Value::Object(object)
            }
            Kind::Union {
                base,
                discriminator,
                tag_enum,
                branches,
            } => {
                let mut object = Map::new();
                match base {
                    Data::Type(base) => self.fill(*base, &mut object, rng, depth),
                    Data::Members(members) => self.fill_members(members, &mut object, rng, depth),
                }
                let Kind::Enum { values, .. } = &self.defs[*tag_enum].kind else {
                    unreachable!("the discriminator is an enum");
                };
                let tag = rng.pick(values).name.clone();
                if let Some(branch) = branches.iter().find(|b| b.name == tag) {
                    let Ty::Def(branch_type) = branch.ty else {
                        unreachable!("union branches are structs");
                    };
                    self.fill(branch_type, &mut object, rng, depth);
                }
                object.insert(discriminator.clone(), Value::String(tag));
                Value::Object(object)
            }
            Kind::Alternate { branches } => {
                let branch = rng.pick(branches);
                self.value(&branch.ty, rng, depth)
            }
            Kind::Command { .. } | Kind::Event { .. } => unreachable!("not a type"),
        }
    }

    /// The members of struct `index` (base members included) into `object`.
    fn fill(&self, index: usize, object: &mut Map<String, Value>, rng: &mut Rng, depth: usize) {
        let Kind::Struct { base, members } = &self.defs[index].kind else {
            unreachable!("a struct");
        };
        if let Some(base) = base {
            self.fill(*base, object, rng, depth);
        }
        self.fill_members(members, object, rng, depth);
    }

    fn fill_members(
        &self,
        members: &[Member],
        object: &mut Map<String, Value>,
        rng: &mut Rng,
        depth: usize,
    ) {
        for member in members {
            if member.optional && (depth >= MAX_DEPTH || rng.chance(40)) {
                continue;
            }
            object.insert(member.name.clone(), self.value(&member.ty, rng, depth + 1));
        }
    }

    /// A value for the `data` of a command or event.
    pub fn data_value(&self, data: &Data, rng: &mut Rng) -> Value {
        match data {
            Data::Type(index) => self.def_value(*index, rng, 0),
            Data::Members(members) => {
                let mut object = Map::new();
                self.fill_members(members, &mut object, rng, 0);
                Value::Object(object)
            }
        }
    }

    /// Lines for the round-trip program: `KIND\tNAME\tJSON`, `count` per type, command
    /// (a request, and a return value when it returns something) and event.
    pub fn value_lines(&self, rng: &mut Rng, count: usize) -> Vec<(String, String, Value)> {
        let mut lines = Vec::new();
        for (index, def) in self.defs.iter().enumerate() {
            for _ in 0..count {
                match &def.kind {
                    Kind::Enum { values, .. } if values.is_empty() => {}
                    Kind::Enum { .. }
                    | Kind::Struct { .. }
                    | Kind::Union { .. }
                    | Kind::Alternate { .. } => {
                        lines.push((
                            "type".to_string(),
                            def.name.clone(),
                            self.def_value(index, rng, 0),
                        ));
                    }
                    Kind::Command {
                        data,
                        returns,
                        flags,
                        ..
                    } => {
                        let oob = flags.contains(&("allow-oob", true)) && rng.chance(50);
                        let mut request = Map::new();
                        let key = if oob { "exec-oob" } else { "execute" };
                        request.insert(key.to_string(), Value::String(def.name.clone()));
                        if let Some(data) = data {
                            let arguments = self.data_value(data, rng);
                            if arguments.as_object().is_none_or(|a| !a.is_empty()) {
                                request.insert("arguments".to_string(), arguments);
                            }
                        }
                        if rng.chance(50) {
                            request.insert("id".to_string(), Self::any(rng, 1));
                        }
                        lines.push((
                            "request".to_string(),
                            def.name.clone(),
                            Value::Object(request),
                        ));
                        if let Some(returns) = returns {
                            lines.push((
                                "return".to_string(),
                                def.name.clone(),
                                self.value(returns, rng, 0),
                            ));
                        }
                    }
                    Kind::Event { data, .. } => {
                        let mut event = Map::new();
                        event.insert("event".to_string(), Value::String(def.name.clone()));
                        // QEMU sends no `data` when it is empty.
                        if let Some(data) = data {
                            let value = self.data_value(data, rng);
                            if value.as_object().is_none_or(|object| !object.is_empty()) {
                                event.insert("data".to_string(), value);
                            }
                        }
                        event.insert(
                            "timestamp".to_string(),
                            json!({ "seconds": rng.below(2_000_000_000), "microseconds": rng.below(1_000_000) }),
                        );
                        lines.push(("event".to_string(), def.name.clone(), Value::Object(event)));
                    }
                }
            }
        }
        lines
    }

    /// The Rust names of the schema's types, by QAPI name.
    pub fn rust_types(&self) -> Vec<(&str, &str)> {
        self.defs
            .iter()
            .filter_map(|def| Some((def.name.as_str(), def.rust_name.as_deref()?)))
            .collect()
    }
}
