//! Fixtures shared by the integration tests: hand-written introspection replies, completed
//! with QEMU's built-in types so that each test lists only the entries it is about.

use qapi_introspection::Introspection;
use serde_json::{Value, json};

/// The built-in types with the JSON types QEMU gives them.
const BUILTINS: [(&str, &str); 6] = [
    ("str", "string"),
    ("int", "int"),
    ("bool", "boolean"),
    ("any", "value"),
    ("null", "null"),
    ("number", "number"),
];

/// Loads `entries` (a JSON list of `SchemaInfo` objects), adding every built-in type the
/// list does not define itself.
pub fn schema(entries: Value) -> Introspection {
    let mut list = entries.as_array().expect("a list of entries").clone();
    for (name, json_type) in BUILTINS {
        if !list.iter().any(|entry| entry["name"] == name) {
            list.push(json!({"name": name, "meta-type": "builtin", "json-type": json_type}));
        }
    }
    Introspection::from_value(Value::Array(list)).unwrap_or_else(|error| panic!("{error}"))
}
