//! Loading a `query-qmp-schema` reply: every kind of `LoadError` with its message, the two
//! accepted shapes of input, and what the model reads from the entries.

mod common;

use common::schema;
use qapi_introspection::{Introspection, Kind, Meta};
use serde_json::json;

/// The message of the error that loading `text` fails with.
fn load_error(text: &str) -> String {
    Introspection::from_json(text)
        .expect_err("the input should be refused")
        .to_string()
}

#[test]
fn text_that_is_not_json_is_refused() {
    assert_eq!(
        load_error("[{"),
        "not JSON: EOF while parsing an object at line 1 column 2"
    );
}

#[test]
fn json_that_is_not_a_list_is_refused() {
    assert_eq!(load_error("42"), "expected a list of SchemaInfo objects");
    assert_eq!(
        load_error(r#"{"error": {"class": "GenericError", "desc": "no"}}"#),
        r#"expected a list of SchemaInfo objects or a response {"return": [...]}"#
    );
    assert_eq!(
        load_error(r#"{"return": {}}"#),
        r#"expected a list of SchemaInfo objects or a response {"return": [...]}"#
    );
}

#[test]
fn a_bad_entry_is_named_by_index_and_name() {
    assert_eq!(
        load_error(
            r#"[{"name": "int", "meta-type": "builtin", "json-type": "int"},
                      {"name": "x", "meta-type": "widget"}]"#
        ),
        "entry 1 ('x'): unknown variant `widget`, expected one of `builtin`, `enum`, \
         `array`, `object`, `alternate`, `command`, `event`"
    );
    assert_eq!(
        load_error(r#"[{"meta-type": "enum", "values": []}]"#),
        "entry 0: missing field `name`"
    );
    assert_eq!(
        load_error(r#"[{"name": "0", "meta-type": "object"}]"#),
        "entry 0 ('0'): missing field `members`"
    );
}

#[test]
fn a_name_defined_twice_is_refused() {
    assert_eq!(
        load_error(
            r#"[{"name": "0", "meta-type": "enum", "values": ["a"]},
                {"name": "0", "meta-type": "object", "members": []}]"#
        ),
        "'0' is defined twice"
    );
}

#[test]
fn every_kind_of_undefined_reference_is_refused() {
    let cases = [
        (
            json!({"name": "c", "meta-type": "command", "arg-type": "9", "ret-type": "int"}),
            "'c': argument type '9' is not defined",
        ),
        (
            json!({"name": "c", "meta-type": "command", "arg-type": "int", "ret-type": "9"}),
            "'c': return type '9' is not defined",
        ),
        (
            json!({"name": "E", "meta-type": "event", "arg-type": "9"}),
            "'E': data type '9' is not defined",
        ),
        (
            json!({"name": "0", "meta-type": "array", "element-type": "9"}),
            "'0': element type '9' is not defined",
        ),
        (
            json!({"name": "0", "meta-type": "object",
                   "members": [{"name": "a", "type": "9"}]}),
            "'0': member type '9' is not defined",
        ),
        (
            json!({"name": "0", "meta-type": "object",
                   "members": [{"name": "kind", "type": "int"}],
                   "tag": "kind", "variants": [{"case": "a", "type": "9"}]}),
            "'0': branch type '9' is not defined",
        ),
        (
            json!({"name": "0", "meta-type": "alternate",
                   "members": [{"type": "int"}, {"type": "9"}]}),
            "'0': alternative type '9' is not defined",
        ),
    ];
    for (entry, message) in cases {
        let text = json!([entry, {"name": "int", "meta-type": "builtin", "json-type": "int"}]);
        assert_eq!(load_error(&text.to_string()), message, "for {entry}");
    }
}

#[test]
fn a_tag_that_is_not_a_member_is_refused() {
    assert_eq!(
        load_error(
            r#"[{"name": "0", "meta-type": "object", "members": [], "tag": "kind",
                 "variants": []}]"#
        ),
        "'0': tag 'kind' is not a member"
    );
}

#[test]
fn a_whole_response_is_accepted_like_its_list() {
    let list = r#"[{"name": "stop", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
                   {"name": "0", "meta-type": "object", "members": []}]"#;
    let response = format!(r#"{{"return": {list}, "id": "schema"}}"#);
    let from_list = Introspection::from_json(list).expect("the list loads");
    let from_response = Introspection::from_json(&response).expect("the response loads");
    let names = |schema: &Introspection| -> Vec<String> {
        schema.entries().iter().map(|e| e.name.clone()).collect()
    };
    assert_eq!(names(&from_response), ["stop", "0"]);
    assert_eq!(names(&from_list), names(&from_response));
}

#[test]
fn a_member_is_optional_exactly_when_it_has_a_default_key() {
    let schema = schema(json!([
        {"name": "0", "meta-type": "object", "members": [
            {"name": "plain", "type": "int"},
            {"name": "null-default", "type": "int", "default": null},
            {"name": "value-default", "type": "int", "default": 3},
        ]},
    ]));
    let Meta::Object { members, .. } = &schema.get("0").expect("entry 0").meta else {
        panic!("'0' is an object");
    };
    let optional: Vec<(&str, bool)> = members
        .iter()
        .map(|member| (member.name.as_str(), member.optional))
        .collect();
    assert_eq!(
        optional,
        [
            ("plain", false),
            ("null-default", true),
            ("value-default", true)
        ]
    );
}

#[test]
fn features_are_read_on_entries_members_and_enum_values() {
    let schema = schema(json!([
        {"name": "old-cmd", "meta-type": "command", "arg-type": "0", "ret-type": "0",
         "features": ["deprecated"]},
        {"name": "0", "meta-type": "object",
         "members": [{"name": "speed", "type": "1", "features": ["unstable"]}]},
        {"name": "1", "meta-type": "enum", "values": ["fast", "slow"],
         "members": [{"name": "fast"}, {"name": "slow", "features": ["deprecated"]}]},
    ]));
    assert!(
        schema
            .get("old-cmd")
            .expect("old-cmd")
            .has_feature("deprecated")
    );
    assert!(!schema.get("0").expect("0").has_feature("deprecated"));
    let Meta::Object { members, .. } = &schema.get("0").expect("0").meta else {
        panic!("'0' is an object");
    };
    assert!(members[0].has_feature("unstable"));
    assert!(!members[0].has_feature("deprecated"));
    let Meta::Enum { values, members } = &schema.get("1").expect("1").meta else {
        panic!("'1' is an enum");
    };
    assert_eq!(values, &["fast", "slow"]);
    assert!(!members[0].has_feature("deprecated"));
    assert!(members[1].has_feature("deprecated"));
}

#[test]
fn commands_and_events_are_listed_in_reply_order() {
    let schema = schema(json!([
        {"name": "b-cmd", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
        {"name": "EV", "meta-type": "event", "arg-type": "0"},
        {"name": "a-cmd", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
        {"name": "0", "meta-type": "object", "members": []},
    ]));
    let commands: Vec<&str> = schema.commands().map(|c| c.name.as_str()).collect();
    let events: Vec<&str> = schema.events().map(|e| e.name.as_str()).collect();
    assert_eq!(commands, ["b-cmd", "a-cmd"]);
    assert_eq!(events, ["EV"]);
    assert!(schema.command("EV").is_none());
    assert!(schema.event("a-cmd").is_none());
    assert!(schema.command("0").is_none());
}

#[test]
fn the_kind_of_a_type_follows_its_json_type() {
    let schema = schema(json!([
        {"name": "0", "meta-type": "enum", "values": ["a"]},
        {"name": "1", "meta-type": "array", "element-type": "int"},
        {"name": "2", "meta-type": "object", "members": []},
        {"name": "3", "meta-type": "alternate", "members": [{"type": "int"}, {"type": "str"}]},
    ]));
    let kinds: Vec<Option<Kind>> = [
        "str", "int", "number", "bool", "null", "any", "0", "1", "2", "3",
    ]
    .iter()
    .map(|name| schema.kind(name))
    .collect();
    assert_eq!(
        kinds,
        [
            Some(Kind::String),
            Some(Kind::Number),
            Some(Kind::Number),
            Some(Kind::Boolean),
            Some(Kind::Null),
            Some(Kind::Any),
            Some(Kind::String),
            Some(Kind::Array),
            Some(Kind::Object),
            None,
        ]
    );
}

#[test]
fn the_kind_of_an_unknown_name_is_none() {
    let schema = schema(json!([
        {"name": "stop", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
        {"name": "0", "meta-type": "object", "members": []},
    ]));
    assert_eq!(schema.kind("no-such-type"), None);
    assert_eq!(schema.kind("stop"), None);
}
