//! Capability queries: every kind of step answering yes and no (with the step and reason),
//! arrays and alternates passed through, features on commands, members and enum values, and
//! queries that cannot be read.

mod common;

use qapi_introspection::{Answer, Introspection};
use serde_json::json;

/// A `blockdev-add` with a union of drivers, a `query-block` returning an array, a command
/// taking alternates, and an event.
fn schema() -> Introspection {
    common::schema(json!([
        {"name": "blockdev-add", "meta-type": "command", "arg-type": "0", "ret-type": "1",
         "features": ["allow-write-only-overlay"]},
        {"name": "0", "meta-type": "object",
         "members": [
             {"name": "driver", "type": "2"},
             {"name": "node-name", "type": "str", "default": null},
         ],
         "tag": "driver",
         "variants": [{"case": "qcow2", "type": "4"}, {"case": "raw", "type": "1"}]},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "enum", "values": ["qcow2", "raw", "vvfat"],
         "members": [{"name": "qcow2"}, {"name": "raw"},
                     {"name": "vvfat", "features": ["deprecated"]}]},
        {"name": "4", "meta-type": "object",
         "members": [
             {"name": "data-file", "type": "6", "default": null},
             {"name": "cache-size", "type": "int", "default": null, "features": ["unstable"]},
         ]},
        {"name": "6", "meta-type": "alternate", "members": [{"type": "7"}, {"type": "str"}]},
        {"name": "7", "meta-type": "object", "members": [{"name": "driver", "type": "2"}]},
        {"name": "query-block", "meta-type": "command", "arg-type": "1", "ret-type": "9"},
        {"name": "9", "meta-type": "array", "element-type": "10"},
        {"name": "10", "meta-type": "object",
         "members": [
             {"name": "device", "type": "str"},
             {"name": "io-status", "type": "11", "default": null},
         ]},
        {"name": "11", "meta-type": "enum", "values": ["ok", "failed", "nospace"]},
        {"name": "set-speed", "meta-type": "command", "arg-type": "12", "ret-type": "1"},
        {"name": "12", "meta-type": "object",
         "members": [{"name": "speed", "type": "13"}, {"name": "mode", "type": "14"}]},
        {"name": "13", "meta-type": "alternate", "members": [{"type": "int"}, {"type": "str"}]},
        {"name": "14", "meta-type": "alternate", "members": [{"type": "bool"}, {"type": "2"}]},
        {"name": "BLOCK_IO_ERROR", "meta-type": "event", "arg-type": "15",
         "features": ["unstable"]},
        {"name": "15", "meta-type": "object",
         "members": [{"name": "device", "type": "str"}]},
    ]))
}

fn answer(query: &str) -> Answer {
    schema()
        .query(query)
        .unwrap_or_else(|error| panic!("'{query}' is unreadable: {error}"))
}

fn no(step: usize, reason: &str) -> Answer {
    Answer::No {
        step,
        reason: reason.into(),
    }
}

fn assert_yes(queries: &[&str]) {
    for query in queries {
        assert_eq!(answer(query), Answer::Yes, "for '{query}'");
    }
}

#[test]
fn the_first_step_names_any_entry() {
    assert_yes(&["blockdev-add", "BLOCK_IO_ERROR", "2", "str"]);
    assert_eq!(
        answer("blockdev-ad"),
        no(0, "there is no command, event or type 'blockdev-ad'")
    );
}

#[test]
fn a_command_is_entered_by_arg_type_or_ret_type_only() {
    assert_yes(&["blockdev-add/arg-type", "blockdev-add/ret-type"]);
    assert_eq!(
        answer("blockdev-add/arguments"),
        no(
            1,
            "command 'blockdev-add' has 'arg-type' and 'ret-type', not 'arguments'"
        )
    );
}

#[test]
fn an_event_is_entered_by_arg_type() {
    assert_yes(&["BLOCK_IO_ERROR/arg-type/device/!string"]);
    assert_eq!(
        answer("BLOCK_IO_ERROR/arg-type/reason"),
        no(2, "the object has no member 'reason'")
    );
}

#[test]
fn member_steps() {
    assert_yes(&[
        "blockdev-add/arg-type/driver",
        "blockdev-add/arg-type/node-name",
    ]);
    assert_eq!(
        answer("blockdev-add/arg-type/size"),
        no(2, "the object has no member 'size'")
    );
    assert_eq!(
        answer("blockdev-add/arg-type/node-name/size"),
        no(3, "type 'str' has no member 'size': it is not an object")
    );
    // A branch's members are reached through the branch only.
    assert_eq!(
        answer("blockdev-add/arg-type/data-file"),
        no(2, "the object has no member 'data-file'")
    );
}

#[test]
fn optional_member_steps() {
    assert_yes(&["blockdev-add/arg-type/*node-name"]);
    assert_eq!(
        answer("blockdev-add/arg-type/*driver"),
        no(2, "the object has member 'driver', but it is not optional")
    );
    assert_eq!(
        answer("blockdev-add/arg-type/*size"),
        no(2, "the object has no member 'size'")
    );
}

#[test]
fn branch_steps() {
    assert_yes(&[
        "blockdev-add/arg-type/+qcow2",
        "blockdev-add/arg-type/+qcow2/data-file",
        "blockdev-add/arg-type/+qcow2/*cache-size",
        "blockdev-add/arg-type/+raw",
    ]);
    assert_eq!(
        answer("blockdev-add/arg-type/+vmdk"),
        no(2, "the object has no branch 'vmdk'")
    );
    assert_eq!(
        answer("blockdev-add/arg-type/+raw/data-file"),
        no(3, "the object has no member 'data-file'")
    );
    assert_eq!(
        answer("blockdev-add/arg-type/driver/+qcow2"),
        no(3, "the enum has no branch 'qcow2': it is not an object")
    );
}

#[test]
fn enum_value_steps() {
    assert_yes(&["blockdev-add/arg-type/driver/^raw", "2/^vvfat"]);
    assert_eq!(
        answer("blockdev-add/arg-type/driver/^vmdk"),
        no(3, "the enum has no value 'vmdk'")
    );
    assert_eq!(
        answer("blockdev-add/arg-type/node-name/^raw"),
        no(3, "type 'str' has no value 'raw': it is not an enum")
    );
}

#[test]
fn json_type_steps() {
    assert_yes(&[
        "blockdev-add/arg-type/node-name/!string",
        "blockdev-add/arg-type/+qcow2/cache-size/!int",
    ]);
    assert_eq!(
        answer("blockdev-add/arg-type/node-name/!int"),
        no(3, "type 'str' is not of JSON type 'int'")
    );
    // An enum's values are strings, but it is not the built-in type.
    assert_eq!(
        answer("blockdev-add/arg-type/driver/!string"),
        no(3, "the enum is not of JSON type 'string'")
    );
}

#[test]
fn feature_of_a_command() {
    assert_yes(&[
        "blockdev-add/$allow-write-only-overlay",
        "BLOCK_IO_ERROR/$unstable",
    ]);
    assert_eq!(
        answer("blockdev-add/$deprecated"),
        no(1, "there is no feature 'deprecated' here")
    );
    // The feature step stays where it was: the query goes on into the command.
    assert_yes(&["blockdev-add/$allow-write-only-overlay/arg-type/driver"]);
}

#[test]
fn feature_of_a_member() {
    assert_yes(&["blockdev-add/arg-type/+qcow2/cache-size/$unstable"]);
    assert_eq!(
        answer("blockdev-add/arg-type/+qcow2/data-file/$unstable"),
        no(4, "there is no feature 'unstable' here")
    );
    // The member's type does not lend the member its features, nor the other way round.
    assert_eq!(
        answer("blockdev-add/arg-type/$unstable"),
        no(2, "there is no feature 'unstable' here")
    );
}

#[test]
fn feature_of_an_enum_value() {
    assert_yes(&["blockdev-add/arg-type/driver/^vvfat/$deprecated"]);
    assert_eq!(
        answer("blockdev-add/arg-type/driver/^raw/$deprecated"),
        no(4, "there is no feature 'deprecated' here")
    );
}

#[test]
fn arrays_are_passed_through_to_their_elements() {
    assert_yes(&[
        "query-block/ret-type/device/!string",
        "query-block/ret-type/*io-status/^nospace",
    ]);
    // A failing step names the element type, not the array.
    assert_eq!(
        answer("query-block/ret-type/size"),
        no(2, "the object has no member 'size'")
    );
    assert_eq!(
        answer("query-block/ret-type/io-status/^broken"),
        no(3, "the enum has no value 'broken'")
    );
}

#[test]
fn alternates_are_passed_through_to_the_alternative_that_fits() {
    assert_yes(&[
        // To the object, for a member.
        "blockdev-add/arg-type/+qcow2/data-file/driver/^qcow2",
        // To the built-in, for a JSON type.
        "blockdev-add/arg-type/+qcow2/data-file/!string",
        // To the enum, for a value, and to the boolean beside it.
        "set-speed/arg-type/mode/^raw",
        "set-speed/arg-type/mode/!boolean",
    ]);
    assert_eq!(
        answer("blockdev-add/arg-type/+qcow2/data-file/node-name"),
        no(4, "the object has no member 'node-name'")
    );
    assert_eq!(
        answer("set-speed/arg-type/speed/^fast"),
        no(3, "the alternate has no value 'fast': it is not an enum")
    );
    assert_eq!(
        answer("set-speed/arg-type/mode/!int"),
        no(3, "the alternate is not of JSON type 'int'")
    );
}

#[test]
fn an_alternate_of_built_ins_is_passed_to_the_one_of_the_asked_json_type() {
    assert_yes(&[
        "set-speed/arg-type/speed/!int",
        "set-speed/arg-type/speed/!string",
    ]);
    assert_eq!(
        answer("set-speed/arg-type/speed/!boolean"),
        no(3, "the alternate is not of JSON type 'boolean'")
    );
}

#[test]
fn unreadable_queries_are_errors() {
    let schema = schema();
    let error = |query: &str| {
        schema
            .query(query)
            .expect_err("the query should be unreadable")
            .to_string()
    };
    assert_eq!(error(""), "the query is empty");
    assert_eq!(
        error("blockdev-add/arg-type/+"),
        "the step '+' names nothing"
    );
    assert_eq!(
        error("blockdev-add/arg-type/driver/^"),
        "the step '^' names nothing"
    );
    assert_eq!(error("blockdev-add/arg-type/"), "the step '' names nothing");
}

#[test]
fn a_query_is_unreadable_whatever_the_schema_holds() {
    let schema = schema();
    for query in [
        "blockdev-add/+",
        "blockdev-add/$",
        "no-such-command/arg-type/*",
    ] {
        assert!(
            schema.query(query).is_err(),
            "'{query}' should be unreadable"
        );
    }
}
