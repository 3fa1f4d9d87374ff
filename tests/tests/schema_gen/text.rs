//! The schema as text, in several equivalent spellings.

use super::*;

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
