//! The `SchemaInfo` entries of a `query-qmp-schema` reply as Rust values, loaded and checked
//! once so that every name an entry refers to can be looked up without failing.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Every entry of one `query-qmp-schema` reply, in the reply's order.
#[derive(Clone, Debug)]
pub struct Introspection {
    entries: Vec<SchemaInfo>,
    by_name: HashMap<String, usize>,
}

/// One entry: a command, an event or a type.
#[derive(Clone, Debug, Deserialize)]
pub struct SchemaInfo {
    /// The command or event name, or the type name (a number unless names were unmasked).
    pub name: String,
    /// What the entry is, with what it carries.
    #[serde(flatten)]
    pub meta: Meta,
    /// Its special features, such as `deprecated` and `unstable`.
    #[serde(default)]
    pub features: Vec<String>,
}

/// The kinds of entry (`meta-type`).
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "meta-type", rename_all = "kebab-case")]
pub enum Meta {
    /// A built-in type: a JSON scalar, or any value.
    Builtin {
        /// The JSON type it stands for.
        #[serde(rename = "json-type")]
        json_type: JsonType,
    },
    /// A string with a fixed set of values.
    Enum {
        /// The values.
        values: Vec<String>,
        /// The values with their features (QEMU 6.2 and later; empty before).
        #[serde(default)]
        members: Vec<EnumValue>,
    },
    /// A JSON array.
    Array {
        /// The type of every element.
        #[serde(rename = "element-type")]
        element_type: String,
    },
    /// A JSON object, maybe with branches chosen by a tag member.
    Object {
        /// The members every object of the type may have.
        members: Vec<Member>,
        /// The member whose value chooses the branch.
        #[serde(default)]
        tag: Option<String>,
        /// The branches with members of their own.
        #[serde(default)]
        variants: Vec<Variant>,
    },
    /// A value of one of several types, told apart by their JSON types.
    Alternate {
        /// The alternatives.
        members: Vec<Alternative>,
    },
    /// A command.
    Command {
        /// The type of its arguments (an object).
        #[serde(rename = "arg-type")]
        arg_type: String,
        /// The type of its reply.
        #[serde(rename = "ret-type")]
        ret_type: String,
        /// Whether it may be sent with `exec-oob`.
        #[serde(default, rename = "allow-oob")]
        allow_oob: bool,
    },
    /// An event.
    Event {
        /// The type of its data (an object).
        #[serde(rename = "arg-type")]
        arg_type: String,
    },
}

/// The JSON types of built-in types (`json-type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonType {
    /// A string.
    String,
    /// An integer.
    Int,
    /// Any number.
    Number,
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

/// One value of an enum, with its features.
#[derive(Clone, Debug, Deserialize)]
pub struct EnumValue {
    /// The value.
    pub name: String,
    /// Its special features.
    #[serde(default)]
    pub features: Vec<String>,
}

/// A member of an object type.
#[derive(Clone, Debug, Deserialize)]
pub struct Member {
    /// The member's name on the wire.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it may be absent (the entry has a `default` key).
    #[serde(default, rename = "default", deserialize_with = "present")]
    pub optional: bool,
    /// Its special features.
    #[serde(default)]
    pub features: Vec<String>,
}

/// A branch of an object type with a tag.
#[derive(Clone, Debug, Deserialize)]
pub struct Variant {
    /// The tag value that chooses it.
    pub case: String,
    /// The object type whose members the branch adds.
    #[serde(rename = "type")]
    pub ty: String,
}

/// An alternative of an alternate type.
#[derive(Clone, Debug, Deserialize)]
pub struct Alternative {
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
}

/// Why a reply could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// Whether a key is there at all, whatever its value (`"default": null` marks an optional
/// member).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(deserializer).map(|_| true)
}

/// How a value is told apart from the others of an alternate: its JSON kind. Integers and
/// other numbers are one kind, as QEMU's alternates cannot tell them apart either.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A string (also every enum).
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
    /// An object.
    Object,
    /// An array.
    Array,
    /// Any value (the built-in `any`).
    Any,
}

impl Kind {
    /// The kind of a JSON value.
    pub fn of(value: &Value) -> Kind {
        match value {
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number,
            Value::Bool(_) => Kind::Boolean,
            Value::Null => Kind::Null,
            Value::Object(_) => Kind::Object,
            Value::Array(_) => Kind::Array,
        }
    }

    /// The word used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Null => "null",
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::Any => "any value",
        }
    }
}

impl Introspection {
    /// Loads a reply: the JSON array of `SchemaInfo` objects, or a whole QMP response
    /// `{"return": [...]}` as saved from a monitor.
    pub fn from_json(text: &str) -> Result<Introspection, LoadError> {
        let value: Value = serde_json::from_str(text).map_err(|error| LoadError {
            message: format!("not JSON: {error}"),
        })?;
        Introspection::from_value(value)
    }

    /// Loads a reply already parsed as JSON (see [`Introspection::from_json`]).
    pub fn from_value(value: Value) -> Result<Introspection, LoadError> {
        let list = match value {
            Value::Array(list) => list,
            Value::Object(mut response) => match response.remove("return") {
                Some(Value::Array(list)) => list,
                _ => {
                    return Err(LoadError {
                        message: "expected a list of SchemaInfo objects or a response \
                                  {\"return\": [...]}"
                            .into(),
                    });
                }
            },
            _ => {
                return Err(LoadError {
                    message: "expected a list of SchemaInfo objects".into(),
                });
            }
        };
        let mut entries = Vec::with_capacity(list.len());
        for (index, item) in list.into_iter().enumerate() {
            let name = item.get("name").and_then(Value::as_str).map(str::to_owned);
            let entry = SchemaInfo::deserialize(item).map_err(|error| LoadError {
                message: match name {
                    Some(name) => format!("entry {index} ('{name}'): {error}"),
                    None => format!("entry {index}: {error}"),
                },
            })?;
            entries.push(entry);
        }
        Introspection::new(entries)
    }

    /// Builds the model from entries, checking that names are unique and that every name an
    /// entry refers to is defined.
    pub fn new(entries: Vec<SchemaInfo>) -> Result<Introspection, LoadError> {
        let mut by_name = HashMap::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            if by_name.insert(entry.name.clone(), index).is_some() {
                return Err(LoadError {
                    message: format!("'{}' is defined twice", entry.name),
                });
            }
        }
        let introspection = Introspection { entries, by_name };
        for entry in &introspection.entries {
            introspection.check_references(entry)?;
        }
        Ok(introspection)
    }

    fn check_references(&self, entry: &SchemaInfo) -> Result<(), LoadError> {
        let defined = |ty: &str, what: &str| {
            if self.by_name.contains_key(ty) {
                Ok(())
            } else {
                Err(LoadError {
                    message: format!("'{}': {what} '{ty}' is not defined", entry.name),
                })
            }
        };
        match &entry.meta {
            Meta::Builtin { .. } | Meta::Enum { .. } => Ok(()),
            Meta::Array { element_type } => defined(element_type, "element type"),
            Meta::Object {
                members,
                tag,
                variants,
            } => {
                for member in members {
                    defined(&member.ty, "member type")?;
                }
                if let Some(tag) = tag
                    && !members.iter().any(|member| &member.name == tag)
                {
                    return Err(LoadError {
                        message: format!("'{}': tag '{tag}' is not a member", entry.name),
                    });
                }
                for variant in variants {
                    defined(&variant.ty, "branch type")?;
                }
                Ok(())
            }
            Meta::Alternate { members } => {
                for alternative in members {
                    defined(&alternative.ty, "alternative type")?;
                }
                Ok(())
            }
            Meta::Command {
                arg_type, ret_type, ..
            } => {
                defined(arg_type, "argument type")?;
                defined(ret_type, "return type")
            }
            Meta::Event { arg_type } => defined(arg_type, "data type"),
        }
    }

    /// The entries, in the reply's order.
    pub fn entries(&self) -> &[SchemaInfo] {
        &self.entries
    }

    /// The entry named `name`.
    pub fn get(&self, name: &str) -> Option<&SchemaInfo> {
        self.by_name.get(name).map(|&index| &self.entries[index])
    }

    /// The entry a name taken from another entry refers to; loading checked that it exists.
    pub(crate) fn ty(&self, name: &str) -> &SchemaInfo {
        &self.entries[self.by_name[name]]
    }

    /// The command named `name`.
    pub fn command(&self, name: &str) -> Option<&SchemaInfo> {
        self.get(name)
            .filter(|entry| matches!(entry.meta, Meta::Command { .. }))
    }

    /// The event named `name`.
    pub fn event(&self, name: &str) -> Option<&SchemaInfo> {
        self.get(name)
            .filter(|entry| matches!(entry.meta, Meta::Event { .. }))
    }

    /// Every command, in the reply's order.
    pub fn commands(&self) -> impl Iterator<Item = &SchemaInfo> {
        self.entries
            .iter()
            .filter(|entry| matches!(entry.meta, Meta::Command { .. }))
    }

    /// Every event, in the reply's order.
    pub fn events(&self) -> impl Iterator<Item = &SchemaInfo> {
        self.entries
            .iter()
            .filter(|entry| matches!(entry.meta, Meta::Event { .. }))
    }

    /// The JSON kind of values of type `ty`; `None` for an alternate, whose values have
    /// several, and for a name that is not a type.
    pub fn kind(&self, ty: &str) -> Option<Kind> {
        Some(match &self.get(ty)?.meta {
            Meta::Builtin { json_type } => match json_type {
                JsonType::String => Kind::String,
                JsonType::Int | JsonType::Number => Kind::Number,
                JsonType::Boolean => Kind::Boolean,
                JsonType::Null => Kind::Null,
                JsonType::Object => Kind::Object,
                JsonType::Array => Kind::Array,
                JsonType::Value => Kind::Any,
            },
            Meta::Enum { .. } => Kind::String,
            Meta::Array { .. } => Kind::Array,
            Meta::Object { .. } => Kind::Object,
            Meta::Alternate { .. } | Meta::Command { .. } | Meta::Event { .. } => return None,
        })
    }
}

impl SchemaInfo {
    /// Whether the entry carries the feature `name`.
    pub fn has_feature(&self, name: &str) -> bool {
        self.features.iter().any(|feature| feature == name)
    }
}

impl Member {
    /// Whether the member carries the feature `name`.
    pub fn has_feature(&self, name: &str) -> bool {
        self.features.iter().any(|feature| feature == name)
    }
}

impl EnumValue {
    /// Whether the value carries the feature `name`.
    pub fn has_feature(&self, name: &str) -> bool {
        self.features.iter().any(|feature| feature == name)
    }
}
