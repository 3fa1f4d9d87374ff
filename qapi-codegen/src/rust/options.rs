//! The one set of options of the Rust backend, shared by its three front doors: the build.rs
//! [`Builder`](crate::Builder), the `include_qapi!` macro and `qapi-gen rust`.
//!
//! Every option has a key in [`OPTIONS`]. The macro takes `key = value`, the command line
//! `--key VALUE` (with `-` for `_`), and both hand the text to [`Options::set`], so the three
//! cannot drift apart; the builder's methods are typed shortcuts for the same settings.

use std::collections::BTreeMap;

use qapi_schema::Dialect;

use crate::Symbols;

/// How the Rust module is rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The build's condition symbols. `None` (the default) keeps every item and shows its
    /// condition in its docs; `Some` keeps only the items whose conditions hold (symbols
    /// mapped to [`features`](Options::features) aside).
    pub symbols: Option<Symbols>,
    /// Condition symbols decided by cargo features instead, by symbol: an item whose
    /// condition depends on them gets a `#[cfg(feature = "…")]` attribute. Symbols not in
    /// this map are evaluated against [`symbols`](Options::symbols), or count as defined
    /// when it is `None`.
    pub features: BTreeMap<String, String>,
    /// Names of commands, events and types to keep, with every type they reach; the rest
    /// is left out. Empty keeps everything.
    pub keep: Vec<String>,
    /// Attributes (such as `#[derive(Hash)]`) to put on the Rust item of a type, command or
    /// event, by QAPI name; `*` stands for every type.
    pub type_attributes: Vec<(String, String)>,
    /// Rust types to use instead of generated ones: by QAPI type name (built-ins such as
    /// `any` included), or by `OWNER.MEMBER` for one member of a type, command or event.
    pub type_paths: Vec<(String, String)>,
    /// Whether the schema's documentation becomes rustdoc.
    pub docs: bool,
    /// Whether decoding keeps what a newer peer may send (unknown enum values, union
    /// branches, events and members) instead of rejecting it.
    pub forward_compatible: bool,
    /// Whether the `Server` trait and `dispatch` are generated.
    pub server: bool,
    /// Whether the module plugs into the `qapi-client` runtime: it re-exports the runtime's
    /// `Command`, `DecodeError` and `Timestamp` and implements its `Event` and `Service`
    /// traits, instead of depending on serde and serde_json alone.
    pub runtime: bool,
    /// The QEMU release whose language rules the schema is read with; the default accepts
    /// what any supported release accepts.
    pub dialect: Dialect,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            symbols: None,
            features: BTreeMap::new(),
            keep: Vec::new(),
            type_attributes: Vec::new(),
            type_paths: Vec::new(),
            docs: true,
            forward_compatible: true,
            server: true,
            runtime: false,
            dialect: Dialect::Any,
        }
    }
}

/// Options that do not fit the schema: names of definitions or members that do not exist or
/// name the wrong kind of item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    /// One per problem, in the order the options were given.
    pub problems: Vec<OptionProblem>,
}

/// One option value that does not fit the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionProblem {
    /// The option's key (`keep`, `type_path`, …).
    pub key: &'static str,
    /// The value as given, so a front door can point at it.
    pub value: String,
    /// What is wrong, with a suggestion where there is one.
    pub message: String,
}

impl std::fmt::Display for OptionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OptionsError {}

/// What the value of an option is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A name; the option may be given many times.
    List,
    /// `NAME=VALUE`; the option may be given many times.
    Pair,
    /// `true` or `false`.
    Bool,
    /// One value; a later one replaces an earlier one.
    Single,
    /// The path of a file, which the caller reads and hands over as text; the option may be
    /// given many times.
    File,
}

/// One option: its key, what it takes, and its help text.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    /// The key, in snake case (`type_attribute`); the command line spells it in kebab case.
    pub key: &'static str,
    /// What the value is called in help texts.
    pub value_name: &'static str,
    /// The value's form.
    pub kind: OptionKind,
    /// One sentence on what it does.
    pub help: &'static str,
}

impl OptionSpec {
    /// The key as a command-line flag name, without the leading dashes.
    pub fn flag(&self) -> String {
        self.key.replace('_', "-")
    }
}

/// Every option of the Rust backend.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "qemu",
        value_name: "X.Y",
        kind: OptionKind::Single,
        help: "Read the schema exactly as QEMU release X.Y's generator does (default: accept \
               what any supported release accepts)",
    },
    OptionSpec {
        key: "keep",
        value_name: "NAME",
        kind: OptionKind::List,
        help: "Keep only the named commands, events and types, with the types they reach; \
               repeat for more names",
    },
    OptionSpec {
        key: "type_attribute",
        value_name: "NAME=ATTRIBUTES",
        kind: OptionKind::Pair,
        help: "Put ATTRIBUTES, such as #[derive(Hash)], on the Rust item of the type, command \
               or event NAME (* for every type)",
    },
    OptionSpec {
        key: "type_path",
        value_name: "NAME=PATH",
        kind: OptionKind::Pair,
        help: "Use the Rust type PATH for the QAPI type NAME (a built-in such as 'any' too), \
               or for one member when NAME is OWNER.MEMBER",
    },
    OptionSpec {
        key: "cfg",
        value_name: "SYMBOL",
        kind: OptionKind::List,
        help: "Treat SYMBOL as defined and drop every item whose condition does not hold; \
               without cfg or cfg_file every item is kept",
    },
    OptionSpec {
        key: "cfg_file",
        value_name: "FILE",
        kind: OptionKind::File,
        help: "Read defined symbols from FILE, one per line ('#' starts a comment line)",
    },
    OptionSpec {
        key: "feature",
        value_name: "SYMBOL=FEATURE",
        kind: OptionKind::Pair,
        help: "Decide the condition symbol SYMBOL by the cargo feature FEATURE: items that \
               depend on it get #[cfg(feature = \"FEATURE\")]",
    },
    OptionSpec {
        key: "docs",
        value_name: "BOOL",
        kind: OptionKind::Bool,
        help: "Turn the schema's documentation into rustdoc (default true)",
    },
    OptionSpec {
        key: "forward_compatible",
        value_name: "BOOL",
        kind: OptionKind::Bool,
        help: "Decode unknown enum values, union branches, events and members from a newer \
               peer instead of rejecting them (default true)",
    },
    OptionSpec {
        key: "server",
        value_name: "BOOL",
        kind: OptionKind::Bool,
        help: "Generate the Server trait and dispatch (default true)",
    },
    OptionSpec {
        key: "runtime",
        value_name: "BOOL",
        kind: OptionKind::Bool,
        help: "Plug the module into the qapi-client runtime, which becomes a dependency: \
               re-export its Command trait, DecodeError and Timestamp, and implement its \
               Event and Service traits (default false)",
    },
];

impl Options {
    /// The message for an option key that does not exist, with the closest one.
    pub fn unknown_key(key: &str) -> String {
        let known = OPTIONS.iter().map(|spec| spec.key);
        let list: Vec<&str> = known.clone().collect();
        match qapi_schema::suggest::closest(key, known) {
            Some(similar) => format!("unknown option `{key}`; did you mean `{similar}`?"),
            None => format!(
                "unknown option `{key}`; the options are {}",
                list.join(", ")
            ),
        }
    }

    /// The spec of option `key`.
    pub fn spec(key: &str) -> Option<&'static OptionSpec> {
        OPTIONS.iter().find(|spec| spec.key == key)
    }

    /// Applies option `key` with `value` as a user wrote it. For an [`OptionKind::File`]
    /// option `value` names a file, whose text `read_file` returns: each door finds files its
    /// own way (the command line from the working directory, the macro from the crate's
    /// directory, the builder from the paths it was given) and notes what it read.
    pub fn apply(
        &mut self,
        key: &str,
        value: &str,
        read_file: impl FnOnce(&str) -> Result<String, String>,
    ) -> Result<(), String> {
        match Options::spec(key) {
            Some(spec) if spec.kind == OptionKind::File => self.set(key, &read_file(value)?),
            _ => self.set(key, value),
        }
    }

    /// Applies option `key` with `value` as written by a user; for an
    /// [`OptionKind::File`] option, `value` is the file's text. The error says what is
    /// wrong with the value.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let Some(spec) = Options::spec(key) else {
            return Err(Options::unknown_key(key));
        };
        match spec.key {
            "keep" => self.keep.push(name(value)?),
            "type_attribute" => {
                let (name, attributes) = pair(spec, value)?;
                self.type_attribute(name, attributes)?;
            }
            "type_path" => {
                let (name, path) = pair(spec, value)?;
                self.type_path(name, path)?;
            }
            "cfg" => self.define(&name(value)?),
            "cfg_file" => {
                // A file with no symbols still says which build it is: one that defines none.
                let symbols = self.symbols.get_or_insert_with(Symbols::default);
                for symbol in Symbols::parse(value).iter() {
                    symbols.insert(symbol);
                }
            }
            "feature" => {
                let (symbol, feature) = pair(spec, value)?;
                self.features.insert(symbol.to_owned(), feature.to_owned());
            }
            "docs" => self.docs = boolean(value)?,
            "forward_compatible" => self.forward_compatible = boolean(value)?,
            "server" => self.server = boolean(value)?,
            "runtime" => self.runtime = boolean(value)?,
            "qemu" => self.dialect = Dialect::Release(value.parse()?),
            other => unreachable!("option {other} has no setter"),
        }
        Ok(())
    }

    /// Marks a condition symbol as defined, which turns condition evaluation on.
    pub fn define(&mut self, symbol: &str) {
        self.symbols
            .get_or_insert_with(Symbols::default)
            .insert(symbol);
    }

    /// Adds attributes for the item of `name`, checking that they parse as outer attributes.
    pub fn type_attribute(&mut self, name: &str, attributes: &str) -> Result<(), String> {
        let parsed: proc_macro2::TokenStream = attributes
            .parse()
            .map_err(|_| format!("`{attributes}` is not valid Rust tokens"))?;
        syn::parse::Parser::parse2(syn::Attribute::parse_outer, parsed)
            .map_err(|error| format!("`{attributes}` is not a list of attributes: {error}"))?;
        self.type_attributes
            .push((name.to_owned(), attributes.to_owned()));
        Ok(())
    }

    /// Maps the type or member `name` to the Rust type `path`, checking that it parses as a
    /// type.
    pub fn type_path(&mut self, name: &str, path: &str) -> Result<(), String> {
        syn::parse_str::<syn::Type>(path)
            .map_err(|error| format!("`{path}` is not a Rust type: {error}"))?;
        self.type_paths.push((name.to_owned(), path.to_owned()));
        Ok(())
    }
}

fn name(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the value is empty".to_owned());
    }
    Ok(value.to_owned())
}

fn pair<'v>(spec: &OptionSpec, value: &'v str) -> Result<(&'v str, &'v str), String> {
    match value.split_once('=') {
        Some((name, rest)) if !name.trim().is_empty() && !rest.trim().is_empty() => {
            Ok((name.trim(), rest.trim()))
        }
        _ => Err(format!("`{value}` is not of the form {}", spec.value_name)),
    }
}

fn boolean(value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("`{value}` is neither true nor false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_has_a_setter() {
        for spec in OPTIONS {
            let values: &[&str] = match spec.kind {
                OptionKind::Single => &["7.2"],
                OptionKind::List | OptionKind::File => &["A"],
                OptionKind::Pair if spec.key == "type_attribute" => &["A=#[derive(Hash)]"],
                OptionKind::Pair => &["A=B"],
                // One of the two is not the default, whichever the default is.
                OptionKind::Bool => &["false", "true"],
            };
            let changed = values.iter().any(|value| {
                let mut options = Options::default();
                options.set(spec.key, value).unwrap();
                options != Options::default()
            });
            assert!(changed, "{}", spec.key);
        }
    }

    #[test]
    fn values_are_checked() {
        let mut options = Options::default();
        let error = |options: &mut Options, key, value| options.set(key, value).unwrap_err();
        assert!(error(&mut options, "kep", "x").starts_with("unknown option `kep`"));
        assert_eq!(
            error(&mut options, "docs", "yes"),
            "`yes` is neither true nor false"
        );
        assert_eq!(
            error(&mut options, "type_path", "any"),
            "`any` is not of the form NAME=PATH"
        );
        assert!(error(&mut options, "type_path", "any=not a type").contains("is not a Rust type"));
        assert!(
            error(&mut options, "type_attribute", "Point=derive(Hash)")
                .contains("is not a list of attributes")
        );
        assert_eq!(options, Options::default());
    }

    #[test]
    fn a_symbol_file_defines_its_symbols() {
        let mut options = Options::default();
        options.set("cfg_file", "# a build\nCONFIG_KVM\n").unwrap();
        options.set("cfg", "CONFIG_TCG").unwrap();
        let symbols = options.symbols.unwrap();
        assert_eq!(
            symbols.iter().collect::<Vec<_>>(),
            ["CONFIG_KVM", "CONFIG_TCG"]
        );
    }

    #[test]
    fn an_empty_symbol_file_is_a_build_without_symbols() {
        let mut options = Options::default();
        options.set("cfg_file", "# nothing defined\n").unwrap();
        assert_eq!(options.symbols, Some(Symbols::default()));
    }

    #[test]
    fn file_options_are_read_through_the_callback() {
        let mut options = Options::default();
        let mut asked = Vec::new();
        options
            .apply("cfg_file", "build.txt", |name| {
                asked.push(name.to_owned());
                Ok("CONFIG_KVM\n".to_owned())
            })
            .unwrap();
        options
            .apply("cfg", "CONFIG_TCG", |_| panic!("not a file option"))
            .unwrap();
        assert_eq!(asked, ["build.txt"]);
        let failed = options.apply("cfg_file", "gone.txt", |name| {
            Err(format!("cannot read {name}"))
        });
        assert_eq!(failed, Err("cannot read gone.txt".to_owned()));
    }
}
