//! The generator: a schema model built from a tape of choices, following the language's rules.

use super::*;

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
