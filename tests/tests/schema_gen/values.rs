//! Random JSON values of the model's types.

use super::*;

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
