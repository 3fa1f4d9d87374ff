//! What the shell knows of the peer's commands: their names, and, when there is
//! introspection data, the types of their arguments, which completion, validation, the
//! reading of bare words and `help` all go by.

use std::collections::BTreeSet;

use qapi_introspection::{Introspection, Kind, Member, Meta};
use serde_json::{Map, Value};

use super::line::{self, Pair};

/// How deep type walks go; QAPI types nest far less, and this stops any loop.
const DEPTH: usize = 16;

/// How many enum values `help` shows before it says how many more there are.
const SHOWN_VALUES: usize = 12;

/// The commands of one peer.
pub(crate) struct Catalogue {
    /// Every command name, sorted.
    names: Vec<String>,
    /// The peer's introspection data, when there is some.
    schema: Option<Introspection>,
}

impl Catalogue {
    /// The commands `schema` describes.
    pub(crate) fn from_schema(schema: Introspection) -> Catalogue {
        let names = schema.commands().map(|entry| entry.name.clone()).collect();
        Catalogue::new(names, Some(schema))
    }

    /// Commands known by name only, as a guest agent lists them.
    pub(crate) fn from_names(names: Vec<String>) -> Catalogue {
        Catalogue::new(names, None)
    }

    fn new(mut names: Vec<String>, schema: Option<Introspection>) -> Catalogue {
        names.sort();
        names.dedup();
        Catalogue { names, schema }
    }

    /// Every command name, sorted.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The introspection data, if any.
    pub(crate) fn schema(&self) -> Option<&Introspection> {
        self.schema.as_ref()
    }

    /// The arguments type of `command`, when it is described.
    pub(crate) fn arguments_type(&self, command: &str) -> Option<&str> {
        match &self.schema.as_ref()?.command(command)?.meta {
            Meta::Command { arg_type, .. } => Some(arg_type),
            _ => None,
        }
    }

    /// The members an object of type `ty` may have: its own, and those of the branch its tag
    /// chooses in `given` (the object as typed so far). For an alternate, those of its
    /// object alternative.
    pub(crate) fn members(&self, ty: &str, given: Option<&Value>) -> Vec<&Member> {
        let mut members = Vec::new();
        if let Some(schema) = &self.schema {
            collect_members(schema, ty, given, &mut members, 0);
        }
        members
    }

    /// The type at `path` below the arguments of `command`, the tags read from `given`.
    pub(crate) fn type_at(&self, command: &str, path: &[String], given: &Value) -> Option<&str> {
        let mut ty = self.arguments_type(command)?;
        let mut given = Some(given);
        for part in path {
            let member = self
                .members(ty, given)
                .into_iter()
                .find(|member| &member.name == part)?;
            ty = &member.ty;
            given = given.and_then(|value| value.get(part));
        }
        Some(ty)
    }

    /// The JSON kind of values of `ty`; `None` for an alternate or without a schema.
    pub(crate) fn kind(&self, ty: &str) -> Option<Kind> {
        let schema = self.schema.as_ref()?;
        schema.get(ty)?;
        schema.kind(ty)
    }

    /// How a value of `ty` may be written: whole (`name=value`) and member by member
    /// (`name.member=value`, for an object or an alternate with an object alternative).
    pub(crate) fn forms(&self, ty: &str) -> (bool, bool) {
        let Some(schema) = &self.schema else {
            return (true, false);
        };
        match schema.get(ty).map(|entry| &entry.meta) {
            Some(Meta::Object { .. }) => (false, true),
            Some(Meta::Alternate { members }) => {
                let object = members
                    .iter()
                    .any(|choice| self.kind(&choice.ty) == Some(Kind::Object));
                (true, object)
            }
            _ => (true, false),
        }
    }

    /// The words a value of `ty` may be: an enum's values, `true` and `false`, `null`; for an
    /// alternate, those of every alternative.
    pub(crate) fn values(&self, ty: &str) -> Vec<String> {
        let mut values = Vec::new();
        if let Some(schema) = &self.schema {
            collect_values(schema, ty, &mut values, 0);
        }
        let mut seen = BTreeSet::new();
        values.retain(|value| seen.insert(value.clone()));
        values
    }

    /// The arguments `pairs` build for `command`. A bare word (`id=123`) where the schema
    /// wants a string is that string, whatever JSON it would also read as.
    pub(crate) fn arguments(&self, command: &str, pairs: &[Pair]) -> Result<Value, String> {
        let plain = line::build(pairs)?;
        if self.arguments_type(command).is_none() {
            return Ok(plain);
        }
        let mut root = Map::new();
        for pair in pairs {
            let mut value = pair.value();
            let wants_string = || {
                self.type_at(command, &pair.path, &plain)
                    .and_then(|ty| self.kind(ty))
                    == Some(Kind::String)
            };
            if !pair.is_explicit() && !value.is_string() && wants_string() {
                value = Value::String(pair.raw.clone());
            }
            line::insert(&mut root, pair, value)?;
        }
        Ok(Value::Object(root))
    }

    /// A type as `help` shows it: built-in names, enum values, `list of …`, the members of
    /// an object, the alternatives of an alternate.
    pub(crate) fn describe(&self, ty: &str) -> String {
        match &self.schema {
            Some(schema) => describe(schema, ty, 0),
            None => ty.to_owned(),
        }
    }

    /// The text of `help COMMAND`: features, arguments (with the branch `given` chooses),
    /// what it returns.
    pub(crate) fn help(&self, command: &str, given: &Value) -> Result<String, String> {
        let Some(schema) = &self.schema else {
            if self.names.iter().any(|name| name == command) {
                return Err(format!(
                    "{command}: this peer does not describe its commands' arguments; give its \
                     schema with --schema to see them"
                ));
            }
            return Err(format!("there is no command '{command}'"));
        };
        let entry = schema
            .command(command)
            .ok_or_else(|| format!("there is no command '{command}'"))?;
        let Meta::Command {
            arg_type, ret_type, ..
        } = &entry.meta
        else {
            unreachable!("command() gives commands");
        };
        let mut text = command.to_owned();
        if !entry.features.is_empty() {
            text.push_str(&format!(" ({})", entry.features.join(", ")));
        }
        text.push('\n');
        let members = self.members(arg_type, Some(given));
        if members.is_empty() {
            text.push_str("  no arguments\n");
        }
        for member in &members {
            let optional = if member.optional { " (optional)" } else { "" };
            let features = if member.features.is_empty() {
                String::new()
            } else {
                format!(" [{}]", member.features.join(", "))
            };
            text.push_str(&format!(
                "  {}{optional}: {}{features}\n",
                member.name,
                self.describe(&member.ty)
            ));
        }
        if let Some((tag, cases)) = self.open_branches(arg_type, given) {
            let line = format!(
                "more arguments by {tag}: {} (see help {command} {tag}=VALUE)",
                cases.join(", ")
            );
            let width = super::output::terminal_width().saturating_sub(2).max(20);
            text.push_str(&format!(
                "  {}\n",
                super::output::wrap(&line, width, "    ")
            ));
        }
        text.push_str(&format!("returns: {}\n", self.describe(ret_type)));
        Ok(text)
    }

    /// For a union whose tag `given` does not set: the tag and the values with branches.
    fn open_branches(&self, ty: &str, given: &Value) -> Option<(String, Vec<String>)> {
        let Meta::Object { tag, variants, .. } = &self.schema.as_ref()?.get(ty)?.meta else {
            return None;
        };
        let tag = tag.as_ref()?;
        if given.get(tag).is_some() || variants.is_empty() {
            return None;
        }
        let cases = variants
            .iter()
            .map(|variant| variant.case.clone())
            .collect();
        Some((tag.clone(), cases))
    }
}

fn collect_members<'s>(
    schema: &'s Introspection,
    ty: &str,
    given: Option<&Value>,
    members: &mut Vec<&'s Member>,
    depth: usize,
) {
    if depth > DEPTH {
        return;
    }
    let Some(entry) = schema.get(ty) else {
        return;
    };
    match &entry.meta {
        Meta::Object {
            members: own,
            tag,
            variants,
        } => {
            members.extend(own);
            let chosen = tag
                .as_ref()
                .and_then(|tag| given?.get(tag)?.as_str())
                .and_then(|case| variants.iter().find(|variant| variant.case == case));
            if let Some(variant) = chosen {
                collect_members(schema, &variant.ty, given, members, depth + 1);
            }
        }
        Meta::Alternate { members: choices } => {
            let object = choices
                .iter()
                .find(|choice| matches!(schema.kind(&choice.ty), Some(Kind::Object)));
            if let Some(object) = object {
                collect_members(schema, &object.ty, given, members, depth + 1);
            }
        }
        _ => {}
    }
}

fn collect_values(schema: &Introspection, ty: &str, values: &mut Vec<String>, depth: usize) {
    if depth > DEPTH {
        return;
    }
    let Some(entry) = schema.get(ty) else {
        return;
    };
    match &entry.meta {
        Meta::Enum { values: own, .. } => values.extend(own.iter().cloned()),
        Meta::Builtin { .. } => match schema.kind(ty) {
            Some(Kind::Boolean) => values.extend(["true".to_owned(), "false".to_owned()]),
            Some(Kind::Null) => values.push("null".to_owned()),
            _ => {}
        },
        Meta::Alternate { members } => {
            for choice in members {
                collect_values(schema, &choice.ty, values, depth + 1);
            }
        }
        _ => {}
    }
}

fn describe(schema: &Introspection, ty: &str, depth: usize) -> String {
    let Some(entry) = schema.get(ty) else {
        return ty.to_owned();
    };
    if depth > 2 {
        return match schema.kind(ty) {
            Some(kind) => kind.name().to_owned(),
            None => "value".to_owned(),
        };
    }
    match &entry.meta {
        Meta::Builtin { .. } => entry.name.clone(),
        Meta::Enum { values, .. } => {
            let shown: Vec<&str> = values
                .iter()
                .take(SHOWN_VALUES)
                .map(String::as_str)
                .collect();
            let more = values.len().saturating_sub(SHOWN_VALUES);
            let tail = if more > 0 {
                format!(", … {more} more")
            } else {
                String::new()
            };
            format!("one of {}{tail}", shown.join(", "))
        }
        Meta::Array { element_type } => {
            format!("list of {}", describe(schema, element_type, depth + 1))
        }
        Meta::Object { members, tag, .. } => {
            let names: Vec<String> = members
                .iter()
                .map(|member| {
                    let optional = if member.optional { "?" } else { "" };
                    format!("{}{optional}", member.name)
                })
                .collect();
            let union = match tag {
                Some(tag) => format!(", more by {tag}"),
                None => String::new(),
            };
            format!("object {{{}{union}}}", names.join(", "))
        }
        Meta::Alternate { members } => members
            .iter()
            .map(|choice| describe(schema, &choice.ty, depth + 1))
            .collect::<Vec<_>>()
            .join(" or "),
        Meta::Command { .. } | Meta::Event { .. } => entry.name.clone(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::json;

    use super::*;

    /// A small schema in the shape QEMU's introspection has: masked type names, a union, an
    /// alternate, enums.
    pub(crate) fn sample() -> Catalogue {
        let schema = Introspection::from_value(json!([
            {"name": "query-status", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
            {"name": "qom-list", "meta-type": "command", "arg-type": "2", "ret-type": "0"},
            {"name": "blockdev-add", "meta-type": "command", "arg-type": "3", "ret-type": "0"},
            {"name": "query-stats", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
            {"name": "set-speed", "meta-type": "command", "arg-type": "9", "ret-type": "0",
             "features": ["deprecated"]},
            {"name": "STOP", "meta-type": "event", "arg-type": "0"},
            {"name": "0", "meta-type": "object", "members": []},
            {"name": "1", "meta-type": "object", "members": [
                {"name": "running", "type": "bool"},
                {"name": "status", "type": "4"}]},
            {"name": "2", "meta-type": "object", "members": [{"name": "path", "type": "str"}]},
            {"name": "3", "meta-type": "object", "tag": "driver",
             "members": [
                {"name": "driver", "type": "5"},
                {"name": "node-name", "type": "str", "default": null},
                {"name": "discard", "type": "6", "default": null},
                {"name": "read-only", "type": "bool", "default": null}],
             "variants": [{"case": "file", "type": "7"}, {"case": "raw", "type": "8"}]},
            {"name": "4", "meta-type": "enum", "values": ["running", "paused", "prelaunch"]},
            {"name": "5", "meta-type": "enum", "values": ["file", "raw", "qcow2"]},
            {"name": "6", "meta-type": "enum", "values": ["ignore", "unmap"]},
            {"name": "7", "meta-type": "object", "members": [
                {"name": "filename", "type": "str"},
                {"name": "aio", "type": "6", "default": null}]},
            {"name": "8", "meta-type": "object", "members": [
                {"name": "file", "type": "10"},
                {"name": "size", "type": "int", "default": null}]},
            {"name": "9", "meta-type": "object", "members": [{"name": "speed", "type": "int"}]},
            {"name": "10", "meta-type": "alternate", "members": [{"type": "3"}, {"type": "11"}]},
            {"name": "11", "meta-type": "alternate", "members": [{"type": "str"}, {"type": "null"}]},
            {"name": "str", "meta-type": "builtin", "json-type": "string"},
            {"name": "int", "meta-type": "builtin", "json-type": "int"},
            {"name": "bool", "meta-type": "builtin", "json-type": "boolean"},
            {"name": "null", "meta-type": "builtin", "json-type": "null"}
        ]))
        .unwrap();
        Catalogue::from_schema(schema)
    }

    #[test]
    fn names_are_sorted_commands() {
        assert_eq!(
            sample().names(),
            [
                "blockdev-add",
                "qom-list",
                "query-stats",
                "query-status",
                "set-speed"
            ]
        );
    }

    #[test]
    fn members_follow_the_tag() {
        let catalogue = sample();
        let names = |given: Value| -> Vec<String> {
            catalogue
                .members("3", Some(&given))
                .iter()
                .map(|member| member.name.clone())
                .collect()
        };
        assert_eq!(
            names(json!({})),
            ["driver", "node-name", "discard", "read-only"]
        );
        assert_eq!(
            names(json!({"driver": "file"})),
            [
                "driver",
                "node-name",
                "discard",
                "read-only",
                "filename",
                "aio"
            ]
        );
        let given = json!({"driver": "raw", "file": {"driver": "file"}});
        let path = ["file".to_owned(), "aio".to_owned()];
        assert_eq!(catalogue.type_at("blockdev-add", &path, &given), Some("6"));
    }

    #[test]
    fn bare_words_become_strings_where_strings_are_wanted() {
        let catalogue = sample();
        let pairs: Vec<Pair> = ["path=123", "x=true"]
            .iter()
            .map(|word| Pair::parse(word).unwrap())
            .collect();
        assert_eq!(
            catalogue.arguments("qom-list", &pairs).unwrap(),
            json!({"path": "123", "x": true})
        );
        let pairs = [
            Pair::parse("size=1024").unwrap(),
            Pair::parse("driver=raw").unwrap(),
        ];
        assert_eq!(
            catalogue.arguments("blockdev-add", &pairs).unwrap(),
            json!({"size": 1024, "driver": "raw"})
        );
    }

    #[test]
    fn values_of_enums_booleans_and_alternates() {
        let catalogue = sample();
        assert_eq!(catalogue.values("6"), ["ignore", "unmap"]);
        assert_eq!(catalogue.values("bool"), ["true", "false"]);
        assert_eq!(catalogue.values("11"), ["null"]);
        assert!(catalogue.values("str").is_empty());
    }

    #[test]
    fn help_lists_arguments_and_branches() {
        let catalogue = sample();
        let text = catalogue.help("blockdev-add", &json!({})).unwrap();
        assert!(
            text.contains("  driver: one of file, raw, qcow2\n"),
            "{text}"
        );
        assert!(text.contains("  node-name (optional): str\n"), "{text}");
        assert!(
            text.contains("more arguments by driver: file, raw"),
            "{text}"
        );
        let text = catalogue
            .help("blockdev-add", &json!({"driver": "raw"}))
            .unwrap();
        assert!(
            text.contains("  file: object {driver, node-name?, discard?, read-only?, more by driver} or str or null\n"),
            "{text}"
        );
        let text = catalogue.help("query-status", &json!({})).unwrap();
        assert_eq!(
            text,
            "query-status\n  no arguments\nreturns: object {running, status}\n"
        );
        assert!(
            catalogue
                .help("set-speed", &json!({}))
                .unwrap()
                .starts_with("set-speed (deprecated)\n")
        );
        assert!(catalogue.help("nope", &json!({})).is_err());
    }
}
