//! Checks QMP messages against the schema: a command with its arguments, a reply (given the
//! command it answers) or an event. Every problem names the JSON path where it is.
//!
//! Members are checked by name, JSON type, enum value, union tag and branch, and alternative;
//! unknown and missing members are problems. Using anything marked `deprecated` is reported
//! separately, so a caller can choose whether it is an error.

use std::fmt;

use serde_json::{Map, Value};

use crate::model::{Introspection, JsonType, Kind, Meta, SchemaInfo};
use crate::query::json_type_name;

/// One problem found in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: a path such as `.arguments.devices[2].driver`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// Whether it is only the use of something deprecated.
    pub deprecated: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.deprecated {
            "deprecated"
        } else {
            "invalid"
        };
        write!(f, "{what}: {}: {}", self.path, self.message)
    }
}

impl Introspection {
    /// Checks a command message: `{"execute": …, "arguments": {…}, "id": …}` or the same
    /// with `exec-oob`.
    pub fn validate_command(&self, message: &Value) -> Vec<Problem> {
        let mut check = Checker::new(self);
        check.command(message);
        check.problems
    }

    /// Checks the arguments of command `name` (what `arguments` holds, `null` for none).
    pub fn validate_arguments(&self, name: &str, arguments: &Value) -> Vec<Problem> {
        let mut check = Checker::new(self);
        let mut path = String::from(".arguments");
        match self.command(name) {
            Some(entry) => {
                check.deprecated(&entry.features, ".execute", || format!("command '{name}'"));
                check.arguments(entry, arguments, &mut path);
            }
            None => check.problem(".execute", format!("there is no command '{name}'")),
        }
        check.problems
    }

    /// Checks a reply to command `command`: `{"return": …}` or `{"error": …}`.
    pub fn validate_reply(&self, command: &str, message: &Value) -> Vec<Problem> {
        let mut check = Checker::new(self);
        check.reply(command, message);
        check.problems
    }

    /// Checks an event message: `{"event": …, "data": {…}, "timestamp": …}`.
    pub fn validate_event(&self, message: &Value) -> Vec<Problem> {
        let mut check = Checker::new(self);
        check.event(message);
        check.problems
    }
}

/// Commands that take members beyond the arguments their schema lists when those are a plain
/// object: `device_add` passes the rest on as the device's properties, and `object-add` did
/// the same for the object's before QEMU 6.0 typed them as a union. Their schema marks them
/// `'gen': false`, which introspection does not show.
const ACCEPTS_MORE: &[&str] = &["device_add", "object-add"];

/// Walks one message, collecting problems.
struct Checker<'s> {
    schema: &'s Introspection,
    problems: Vec<Problem>,
}

impl<'s> Checker<'s> {
    fn new(schema: &'s Introspection) -> Checker<'s> {
        Checker {
            schema,
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, path: &str, message: String) {
        self.problems.push(Problem {
            path: path.to_owned(),
            message,
            deprecated: false,
        });
    }

    fn deprecated(&mut self, features: &[String], path: &str, what: impl FnOnce() -> String) {
        if features.iter().any(|feature| feature == "deprecated") {
            self.problems.push(Problem {
                path: path.to_owned(),
                message: format!("{} is deprecated", what()),
                deprecated: true,
            });
        }
    }

    /// Checks the keys of a message object against those it may have.
    fn envelope<'m>(
        &mut self,
        message: &'m Value,
        allowed: &[&str],
    ) -> Option<&'m Map<String, Value>> {
        let Some(object) = message.as_object() else {
            self.problem("", format!("a message is an object, not {}", a(message)));
            return None;
        };
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                self.problem(
                    &format!(".{key}"),
                    format!("unexpected key '{key}' in the message"),
                );
            }
        }
        Some(object)
    }

    fn command(&mut self, message: &Value) {
        let Some(object) = self.envelope(
            message,
            &["execute", "exec-oob", "arguments", "id", "control"],
        ) else {
            return;
        };
        let (key, name) = match (object.get("execute"), object.get("exec-oob")) {
            (Some(name), None) => ("execute", name),
            (None, Some(name)) => ("exec-oob", name),
            (Some(_), Some(_)) => {
                return self.problem("", "both 'execute' and 'exec-oob' are given".into());
            }
            (None, None) => return self.problem("", "'execute' is missing".into()),
        };
        let path = format!(".{key}");
        let Some(name) = name.as_str() else {
            return self.problem(&path, format!("expected a command name, found {}", a(name)));
        };
        let Some(entry) = self.schema.command(name) else {
            return self.problem(&path, format!("there is no command '{name}'"));
        };
        let Meta::Command { allow_oob, .. } = &entry.meta else {
            return;
        };
        if key == "exec-oob" && !allow_oob {
            self.problem(&path, format!("command '{name}' does not allow exec-oob"));
        }
        self.deprecated(&entry.features, &path, || format!("command '{name}'"));
        match object.get("arguments") {
            // QEMU takes no `arguments` as none, but `null` is not an object.
            Some(Value::Null) => self.problem(
                ".arguments",
                "expected an object, found null (leave 'arguments' out for none)".into(),
            ),
            Some(arguments) => self.arguments(entry, arguments, &mut String::from(".arguments")),
            None => self.arguments(entry, &Value::Null, &mut String::from(".arguments")),
        }
    }

    fn reply(&mut self, command: &str, message: &Value) {
        let Some(object) = self.envelope(message, &["return", "error", "id"]) else {
            return;
        };
        match (object.get("return"), object.get("error")) {
            (Some(value), None) => {
                let Some(Meta::Command { ret_type, .. }) =
                    self.schema.command(command).map(|entry| &entry.meta)
                else {
                    return self.problem("", format!("there is no command '{command}'"));
                };
                self.value(ret_type, value, &mut String::from(".return"));
            }
            (None, Some(error)) => self.error(error),
            (Some(_), Some(_)) => self.problem("", "both 'return' and 'error' are given".into()),
            (None, None) => self.problem("", "'return' or 'error' is missing".into()),
        }
    }

    /// An error response carries a class and a description, both strings.
    fn error(&mut self, error: &Value) {
        let Some(object) = error.as_object() else {
            return self.problem(".error", format!("expected an object, found {}", a(error)));
        };
        for key in ["class", "desc"] {
            match object.get(key) {
                Some(Value::String(_)) => {}
                Some(other) => self.problem(
                    &format!(".error.{key}"),
                    format!("expected a string, found {}", a(other)),
                ),
                None => self.problem(".error", format!("'{key}' is missing")),
            }
        }
    }

    fn event(&mut self, message: &Value) {
        let Some(object) = self.envelope(message, &["event", "data", "timestamp"]) else {
            return;
        };
        let Some(name) = object.get("event") else {
            return self.problem("", "'event' is missing".into());
        };
        let Some(name) = name.as_str() else {
            return self.problem(
                ".event",
                format!("expected an event name, found {}", a(name)),
            );
        };
        let Some(entry) = self.schema.event(name) else {
            return self.problem(".event", format!("there is no event '{name}'"));
        };
        if let Meta::Event { arg_type } = &entry.meta {
            self.deprecated(&entry.features, ".event", || format!("event '{name}'"));
            let data = object.get("data").unwrap_or(&Value::Null);
            self.data(arg_type, data, &mut String::from(".data"));
        }
    }

    /// The arguments of command `entry`.
    fn arguments(&mut self, entry: &'s SchemaInfo, arguments: &Value, path: &mut String) {
        let Meta::Command { arg_type, .. } = &entry.meta else {
            return;
        };
        let arg_entry = self.schema.ty(arg_type);
        let plain = matches!(&arg_entry.meta, Meta::Object { tag: None, .. });
        match arguments {
            Value::Object(object) if plain && ACCEPTS_MORE.contains(&entry.name.as_str()) => {
                self.object(arg_entry, object, path, &mut Vec::new());
            }
            _ => self.data(arg_type, arguments, path),
        }
    }

    /// Arguments or event data: an object, or absent (`null`) when nothing is required.
    fn data(&mut self, ty: &str, value: &Value, path: &mut String) {
        if value.is_null() {
            let empty = Value::Object(Map::new());
            self.value(ty, &empty, path);
        } else {
            self.value(ty, value, path);
        }
    }

    fn value(&mut self, ty: &str, value: &Value, path: &mut String) {
        let entry = self.schema.ty(ty);
        match &entry.meta {
            Meta::Builtin { json_type } => {
                if !fits(*json_type, value) {
                    self.problem(
                        path,
                        format!(
                            "expected {}, found {}",
                            json_type_phrase(*json_type),
                            a(value)
                        ),
                    );
                }
            }
            Meta::Enum { values, members } => {
                let Some(text) = value.as_str() else {
                    return self.problem(path, format!("expected a string, found {}", a(value)));
                };
                if !values.iter().any(|known| known == text) {
                    return self.problem(
                        path,
                        format!("'{text}' is not one of {}", list(values.iter())),
                    );
                }
                if let Some(member) = members.iter().find(|member| member.name == text) {
                    self.deprecated(&member.features, path, || format!("value '{text}'"));
                }
            }
            Meta::Array { element_type } => {
                let Some(elements) = value.as_array() else {
                    return self.problem(path, format!("expected an array, found {}", a(value)));
                };
                for (index, element) in elements.iter().enumerate() {
                    let length = path.len();
                    path.push_str(&format!("[{index}]"));
                    self.value(element_type, element, path);
                    path.truncate(length);
                }
            }
            Meta::Object { .. } => {
                let Some(object) = value.as_object() else {
                    return self.problem(path, format!("expected an object, found {}", a(value)));
                };
                let mut claimed = Vec::new();
                self.object(entry, object, path, &mut claimed);
                for key in object.keys() {
                    if !claimed.contains(&key.as_str()) {
                        self.problem(&format!("{path}.{key}"), format!("unknown member '{key}'"));
                    }
                }
            }
            Meta::Alternate { members } => {
                let kind = Kind::of(value);
                let fitting =
                    members
                        .iter()
                        .find(|alternative| match self.schema.kind(&alternative.ty) {
                            Some(Kind::Any) => true,
                            Some(expected) => expected == kind,
                            None => false,
                        });
                match fitting {
                    Some(alternative) => self.value(&alternative.ty, value, path),
                    None => {
                        let kinds = members
                            .iter()
                            .filter_map(|alternative| self.schema.kind(&alternative.ty))
                            .map(Kind::name);
                        self.problem(
                            path,
                            format!("expected {}, found {}", or_list(kinds), a(value)),
                        );
                    }
                }
            }
            Meta::Command { .. } | Meta::Event { .. } => {}
        }
        self.deprecated(&entry.features, path, || "this type".into());
    }

    /// Checks the members of object type `entry` and of the branch its tag chooses, noting
    /// every key it knows in `claimed`.
    fn object<'m>(
        &mut self,
        entry: &'s SchemaInfo,
        object: &'m Map<String, Value>,
        path: &mut String,
        claimed: &mut Vec<&'m str>,
    ) {
        let Meta::Object {
            members,
            tag,
            variants,
        } = &entry.meta
        else {
            return;
        };
        for member in members {
            let length = path.len();
            path.push('.');
            path.push_str(&member.name);
            match object.get_key_value(&member.name) {
                Some((key, value)) => {
                    claimed.push(key);
                    self.deprecated(&member.features, path, || {
                        format!("member '{}'", member.name)
                    });
                    self.value(&member.ty, value, path);
                }
                None if member.optional => {}
                None => {
                    let message = format!("member '{}' is missing", member.name);
                    path.truncate(length);
                    self.problem(path, message);
                }
            }
            path.truncate(length);
        }
        let Some(tag) = tag else {
            return;
        };
        let Some(case) = object.get(tag).and_then(Value::as_str) else {
            return;
        };
        if let Some(variant) = variants.iter().find(|variant| variant.case == case) {
            self.object(self.schema.ty(&variant.ty), object, path, claimed);
        }
    }
}

/// Whether `value` is of the JSON type.
fn fits(json_type: JsonType, value: &Value) -> bool {
    match json_type {
        JsonType::String => value.is_string(),
        JsonType::Int => value.is_i64() || value.is_u64(),
        JsonType::Number => value.is_number(),
        JsonType::Boolean => value.is_boolean(),
        JsonType::Null => value.is_null(),
        JsonType::Object => value.is_object(),
        JsonType::Array => value.is_array(),
        JsonType::Value => true,
    }
}

fn json_type_phrase(json_type: JsonType) -> String {
    match json_type {
        JsonType::Int => "an integer".into(),
        JsonType::Value => "any value".into(),
        JsonType::Null => "null".into(),
        other => format!("a {}", json_type_name(other)),
    }
}

/// A JSON value as messages name it: "a string", "the number 3".
fn a(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// `'a', 'b' or 'c'`, shortened when long.
fn list<'a>(values: impl ExactSizeIterator<Item = &'a String>) -> String {
    const SHOWN: usize = 8;
    let count = values.len();
    let mut shown: Vec<String> = values.take(SHOWN).map(|v| format!("'{v}'")).collect();
    if count > SHOWN {
        shown.push(format!("{} more", count - SHOWN));
    }
    or_list(shown.into_iter())
}

fn or_list<T: fmt::Display>(items: impl Iterator<Item = T>) -> String {
    let items: Vec<String> = items.map(|item| item.to_string()).collect();
    match items.split_last() {
        None => "nothing".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
