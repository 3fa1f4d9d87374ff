//! Validation of commands, replies and events: every problem with its exact path, message
//! and deprecation flag, over a small schema with unions, alternates, arrays and enums.

mod common;

use qapi_introspection::{Introspection, Problem};
use serde_json::{Value, json};

fn schema() -> Introspection {
    common::schema(json!([
        // A union of drivers; the qcow2 branch refers back to the union through an
        // alternate and holds a nested union.
        {"name": "blockdev-add", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
        {"name": "0", "meta-type": "object",
         "members": [
             {"name": "driver", "type": "2"},
             {"name": "node-name", "type": "str", "default": null},
         ],
         "tag": "driver",
         "variants": [{"case": "file", "type": "3"}, {"case": "qcow2", "type": "4"}]},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "enum", "values": ["file", "qcow2", "raw"]},
        {"name": "3", "meta-type": "object", "members": [{"name": "filename", "type": "str"}]},
        {"name": "4", "meta-type": "object",
         "members": [
             {"name": "file", "type": "5"},
             {"name": "encrypt", "type": "6", "default": null},
         ]},
        {"name": "5", "meta-type": "alternate", "members": [{"type": "0"}, {"type": "str"}]},
        {"name": "6", "meta-type": "object",
         "members": [{"name": "format", "type": "7"}],
         "tag": "format",
         "variants": [{"case": "luks", "type": "8"}]},
        {"name": "7", "meta-type": "enum", "values": ["aes", "luks"]},
        {"name": "8", "meta-type": "object", "members": [{"name": "key-secret", "type": "str"}]},
        // Every JSON type, an array and an alternate of every kind.
        {"name": "set-values", "meta-type": "command", "arg-type": "10", "ret-type": "1"},
        {"name": "10", "meta-type": "object",
         "members": [
             {"name": "count", "type": "int", "default": null},
             {"name": "ratio", "type": "number", "default": null},
             {"name": "label", "type": "str", "default": null},
             {"name": "flag", "type": "bool", "default": null},
             {"name": "anything", "type": "any", "default": null},
             {"name": "nothing", "type": "null", "default": null},
             {"name": "list", "type": "11", "default": null},
             {"name": "choice", "type": "13", "default": null},
             {"name": "letter", "type": "15", "default": null},
         ]},
        {"name": "11", "meta-type": "array", "element-type": "12"},
        {"name": "12", "meta-type": "object", "members": [{"name": "driver", "type": "2"}]},
        {"name": "13", "meta-type": "alternate",
         "members": [{"type": "int"}, {"type": "bool"}, {"type": "null"}, {"type": "14"},
                     {"type": "12"}]},
        {"name": "14", "meta-type": "enum", "values": ["on", "off"]},
        {"name": "15", "meta-type": "enum",
         "values": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]},
        // Plain commands.
        {"name": "stop", "meta-type": "command", "arg-type": "1", "ret-type": "1"},
        {"name": "migrate-pause", "meta-type": "command", "arg-type": "1", "ret-type": "1",
         "allow-oob": true},
        {"name": "query-status", "meta-type": "command", "arg-type": "1", "ret-type": "20"},
        {"name": "20", "meta-type": "object",
         "members": [
             {"name": "running", "type": "bool"},
             {"name": "status", "type": "21"},
             {"name": "singlestep", "type": "bool", "default": null,
              "features": ["deprecated"]},
         ]},
        {"name": "21", "meta-type": "enum", "values": ["running", "paused"]},
        {"name": "query-drivers", "meta-type": "command", "arg-type": "1", "ret-type": "11"},
        // Deprecation.
        {"name": "old-cmd", "meta-type": "command", "arg-type": "30", "ret-type": "1",
         "features": ["deprecated"]},
        {"name": "30", "meta-type": "object",
         "members": [
             {"name": "mode", "type": "31", "default": null},
             {"name": "old-arg", "type": "int", "default": null, "features": ["deprecated"]},
         ]},
        {"name": "31", "meta-type": "enum", "values": ["fast", "slow"],
         "members": [{"name": "fast"}, {"name": "slow", "features": ["deprecated"]}]},
        // Extra properties.
        {"name": "device_add", "meta-type": "command", "arg-type": "40", "ret-type": "1"},
        {"name": "40", "meta-type": "object",
         "members": [
             {"name": "driver", "type": "str"},
             {"name": "id", "type": "str", "default": null},
         ]},
        // Events.
        {"name": "SHUTDOWN", "meta-type": "event", "arg-type": "50"},
        {"name": "50", "meta-type": "object",
         "members": [{"name": "guest", "type": "bool"}, {"name": "reason", "type": "str"}]},
        {"name": "STOP", "meta-type": "event", "arg-type": "1"},
        {"name": "OLD_EVENT", "meta-type": "event", "arg-type": "1",
         "features": ["deprecated"]},
    ]))
}

/// An invalid message.
fn bad(path: &str, message: &str) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
        deprecated: false,
    }
}

/// The use of something deprecated.
fn deprecated(path: &str, message: &str) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
        deprecated: true,
    }
}

fn command(message: Value) -> Vec<Problem> {
    schema().validate_command(&message)
}

/// The problems of a `set-values` command with these arguments.
fn set_values(arguments: Value) -> Vec<Problem> {
    command(json!({"execute": "set-values", "arguments": arguments}))
}

#[test]
fn valid_commands_have_no_problems() {
    for message in [
        json!({"execute": "stop"}),
        json!({"execute": "stop", "arguments": {}, "id": 7}),
        json!({"execute": "blockdev-add",
               "arguments": {"driver": "file", "filename": "/a.img", "node-name": "a"}}),
        json!({"execute": "blockdev-add",
               "arguments": {"driver": "qcow2", "file": "a",
                             "encrypt": {"format": "luks", "key-secret": "s"}}}),
        json!({"execute": "blockdev-add",
               "arguments": {"driver": "qcow2",
                             "file": {"driver": "file", "filename": "/a.img"}}}),
        json!({"execute": "set-values", "arguments": {}}),
    ] {
        assert_eq!(command(message.clone()), [], "for {message}");
    }
}

#[test]
fn a_missing_member_is_reported_at_its_object() {
    assert_eq!(
        command(json!({"execute": "blockdev-add", "arguments": {"driver": "file"}})),
        [bad(".arguments", "member 'filename' is missing")]
    );
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "qcow2", "file": "a",
                                     "encrypt": {"format": "luks"}}})),
        [bad(".arguments.encrypt", "member 'key-secret' is missing")]
    );
    // Without arguments, every mandatory member is missing.
    assert_eq!(
        command(json!({"execute": "blockdev-add"})),
        [bad(".arguments", "member 'driver' is missing")]
    );
}

#[test]
fn an_unknown_member_is_reported_at_its_path() {
    assert_eq!(
        command(json!({"execute": "stop", "arguments": {"force": true}})),
        [bad(".arguments.force", "unknown member 'force'")]
    );
    assert_eq!(
        set_values(json!({"list": [{"driver": "raw", "size": 1}]})),
        [bad(".arguments.list[0].size", "unknown member 'size'")]
    );
}

#[test]
fn integers_numbers_and_strings_are_told_apart() {
    assert_eq!(set_values(json!({"count": -3, "ratio": 2})), []);
    assert_eq!(
        set_values(json!({"count": 18_446_744_073_709_551_615_u64})),
        []
    );
    assert_eq!(set_values(json!({"ratio": 0.5})), []);
    assert_eq!(
        set_values(json!({"count": 1.5})),
        [bad(
            ".arguments.count",
            "expected an integer, found the number 1.5"
        )]
    );
    assert_eq!(
        set_values(json!({"count": "3"})),
        [bad(
            ".arguments.count",
            "expected an integer, found the string \"3\""
        )]
    );
    assert_eq!(
        set_values(json!({"ratio": "0.5"})),
        [bad(
            ".arguments.ratio",
            "expected a number, found the string \"0.5\""
        )]
    );
    assert_eq!(
        set_values(json!({"label": 3})),
        [bad(
            ".arguments.label",
            "expected a string, found the number 3"
        )]
    );
}

#[test]
fn the_other_json_types() {
    assert_eq!(
        set_values(json!({"flag": true, "anything": {"x": [1]}, "nothing": null})),
        []
    );
    assert_eq!(
        set_values(json!({"flag": "yes"})),
        [bad(
            ".arguments.flag",
            "expected a boolean, found the string \"yes\""
        )]
    );
    assert_eq!(
        set_values(json!({"nothing": false})),
        [bad(".arguments.nothing", "expected null, found false")]
    );
    assert_eq!(
        set_values(json!({"list": {}})),
        [bad(".arguments.list", "expected an array, found an object")]
    );
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "qcow2", "file": "a", "encrypt": "luks"}})),
        [bad(
            ".arguments.encrypt",
            "expected an object, found the string \"luks\""
        )]
    );
}

#[test]
fn enum_values_are_checked() {
    assert_eq!(
        set_values(json!({"list": [{"driver": "vmdk"}]})),
        [bad(
            ".arguments.list[0].driver",
            "'vmdk' is not one of 'file', 'qcow2' or 'raw'"
        )]
    );
    assert_eq!(
        set_values(json!({"list": [{"driver": 1}]})),
        [bad(
            ".arguments.list[0].driver",
            "expected a string, found the number 1"
        )]
    );
    // Long lists are shortened.
    assert_eq!(
        set_values(json!({"letter": "z"})),
        [bad(
            ".arguments.letter",
            "'z' is not one of 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' or 2 more"
        )]
    );
}

#[test]
fn the_union_tag_chooses_the_branch_whose_members_are_accepted() {
    // 'filename' belongs to the 'file' branch only.
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "qcow2", "file": "a", "filename": "/a.img"}})),
        [bad(".arguments.filename", "unknown member 'filename'")]
    );
    // A tag value without a branch adds no members.
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "raw", "filename": "/a.img"}})),
        [bad(".arguments.filename", "unknown member 'filename'")]
    );
    // A tag that is no value chooses nothing.
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "vmdk", "filename": "/a.img"}})),
        [
            bad(
                ".arguments.driver",
                "'vmdk' is not one of 'file', 'qcow2' or 'raw'"
            ),
            bad(".arguments.filename", "unknown member 'filename'"),
        ]
    );
}

#[test]
fn nested_unions_choose_their_branches_too() {
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "qcow2", "file": "a",
                                     "encrypt": {"format": "aes", "key-secret": "s"}}})),
        [bad(
            ".arguments.encrypt.key-secret",
            "unknown member 'key-secret'"
        )]
    );
    // Through the alternate, back into the union.
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "qcow2",
                                     "file": {"driver": "qcow2", "file": {"driver": "file"}}}})),
        [bad(".arguments.file.file", "member 'filename' is missing")]
    );
}

#[test]
fn an_alternate_takes_the_alternative_of_the_values_kind() {
    for choice in [
        json!(3),
        json!(true),
        json!(null),
        json!("on"),
        json!({"driver": "raw"}),
    ] {
        assert_eq!(set_values(json!({ "choice": choice })), [], "for {choice}");
    }
    // Once chosen, the alternative checks the value as usual.
    assert_eq!(
        set_values(json!({"choice": 2.5})),
        [bad(
            ".arguments.choice",
            "expected an integer, found the number 2.5"
        )]
    );
    assert_eq!(
        set_values(json!({"choice": "maybe"})),
        [bad(
            ".arguments.choice",
            "'maybe' is not one of 'on' or 'off'"
        )]
    );
    assert_eq!(
        set_values(json!({"choice": {"driver": "raw", "x": 1}})),
        [bad(".arguments.choice.x", "unknown member 'x'")]
    );
    assert_eq!(
        set_values(json!({"choice": [1]})),
        [bad(
            ".arguments.choice",
            "expected number, boolean, null, string or object, found an array"
        )]
    );
}

#[test]
fn array_elements_are_checked_with_their_index() {
    assert_eq!(
        set_values(json!({"list": [{"driver": "raw"}, {}, {"driver": "file"}, 4]})),
        [
            bad(".arguments.list[1]", "member 'driver' is missing"),
            bad(
                ".arguments.list[3]",
                "expected an object, found the number 4"
            ),
        ]
    );
}

#[test]
fn exec_oob_needs_a_command_that_allows_it() {
    assert_eq!(command(json!({"exec-oob": "migrate-pause", "id": 1})), []);
    assert_eq!(
        command(json!({"exec-oob": "stop", "id": 1})),
        [bad(".exec-oob", "command 'stop' does not allow exec-oob")]
    );
    assert_eq!(
        command(json!({"execute": "stop", "exec-oob": "stop"})),
        [bad("", "both 'execute' and 'exec-oob' are given")]
    );
}

#[test]
fn the_envelope_of_a_command() {
    assert_eq!(
        command(json!({"arguments": {}})),
        [bad("", "'execute' is missing")]
    );
    assert_eq!(
        command(json!(["stop"])),
        [bad("", "a message is an object, not an array")]
    );
    assert_eq!(
        command(json!({"execute": 1})),
        [bad(
            ".execute",
            "expected a command name, found the number 1"
        )]
    );
    assert_eq!(
        command(json!({"execute": "stop", "argument": {}})),
        [bad(".argument", "unexpected key 'argument' in the message")]
    );
}

#[test]
fn arguments_must_be_an_object() {
    assert_eq!(
        command(json!({"execute": "stop", "arguments": []})),
        [bad(".arguments", "expected an object, found an array")]
    );
    // QEMU refuses `null` although it takes no `arguments` at all as none.
    assert_eq!(
        command(json!({"execute": "stop", "arguments": null})),
        [bad(
            ".arguments",
            "expected an object, found null (leave 'arguments' out for none)"
        )]
    );
    assert_eq!(command(json!({"execute": "stop"})), []);
}

#[test]
fn an_unknown_command_is_reported() {
    assert_eq!(
        command(json!({"execute": "sotp"})),
        [bad(".execute", "there is no command 'sotp'")]
    );
    // An event is not a command.
    assert_eq!(
        command(json!({"execute": "STOP"})),
        [bad(".execute", "there is no command 'STOP'")]
    );
    assert_eq!(
        schema().validate_arguments("sotp", &Value::Null),
        [bad(".execute", "there is no command 'sotp'")]
    );
}

#[test]
fn arguments_alone() {
    let schema = schema();
    assert_eq!(schema.validate_arguments("stop", &Value::Null), []);
    assert_eq!(
        schema.validate_arguments("blockdev-add", &json!({"driver": "file"})),
        [bad(".arguments", "member 'filename' is missing")]
    );
    assert_eq!(
        schema.validate_arguments("old-cmd", &json!({})),
        [deprecated(".execute", "command 'old-cmd' is deprecated")]
    );
}

#[test]
fn a_reply_is_checked_against_the_return_type() {
    let schema = schema();
    let reply = |command: &str, message: Value| schema.validate_reply(command, &message);
    assert_eq!(
        reply(
            "query-status",
            json!({"return": {"running": true, "status": "running"}, "id": 1})
        ),
        []
    );
    assert_eq!(reply("stop", json!({"return": {}})), []);
    assert_eq!(
        reply(
            "query-status",
            json!({"return": {"running": "yes", "status": "running"}})
        ),
        [bad(
            ".return.running",
            "expected a boolean, found the string \"yes\""
        )]
    );
    assert_eq!(
        reply("query-status", json!({"return": {"running": true}})),
        [bad(".return", "member 'status' is missing")]
    );
    assert_eq!(
        reply(
            "query-drivers",
            json!({"return": [{"driver": "raw"}, {"driver": 3}]})
        ),
        [bad(
            ".return[1].driver",
            "expected a string, found the number 3"
        )]
    );
    assert_eq!(
        reply("stop", json!({"return": []})),
        [bad(".return", "expected an object, found an array")]
    );
    assert_eq!(
        reply("sotp", json!({"return": {}})),
        [bad("", "there is no command 'sotp'")]
    );
}

#[test]
fn an_error_reply_has_a_class_and_a_description() {
    let schema = schema();
    let reply = |message: Value| schema.validate_reply("stop", &message);
    assert_eq!(
        reply(json!({"error": {"class": "GenericError", "desc": "no"}, "id": 1})),
        []
    );
    assert_eq!(
        reply(json!({"error": {"class": "GenericError"}})),
        [bad(".error", "'desc' is missing")]
    );
    assert_eq!(
        reply(json!({"error": {"class": 1, "desc": "no"}})),
        [bad(".error.class", "expected a string, found the number 1")]
    );
    assert_eq!(
        reply(json!({"error": "no"})),
        [bad(".error", "expected an object, found the string \"no\"")]
    );
}

#[test]
fn a_reply_has_either_return_or_error() {
    let schema = schema();
    let reply = |message: Value| schema.validate_reply("stop", &message);
    assert_eq!(
        reply(json!({"return": {}, "error": {"class": "GenericError", "desc": "no"}})),
        [bad("", "both 'return' and 'error' are given")]
    );
    assert_eq!(
        reply(json!({"id": 1})),
        [bad("", "'return' or 'error' is missing")]
    );
    assert_eq!(
        reply(json!({"return": {}, "event": "STOP"})),
        [bad(".event", "unexpected key 'event' in the message")]
    );
}

#[test]
fn events_with_and_without_data() {
    let schema = schema();
    let event = |message: Value| schema.validate_event(&message);
    let timestamp = json!({"seconds": 1_700_000_000, "microseconds": 5});
    assert_eq!(
        event(
            json!({"event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"},
                     "timestamp": timestamp})
        ),
        []
    );
    assert_eq!(event(json!({"event": "STOP", "timestamp": timestamp})), []);
    assert_eq!(event(json!({"event": "STOP", "data": {}})), []);
    assert_eq!(
        event(json!({"event": "SHUTDOWN", "timestamp": timestamp})),
        [
            bad(".data", "member 'guest' is missing"),
            bad(".data", "member 'reason' is missing"),
        ]
    );
    assert_eq!(
        event(json!({"event": "STOP", "data": {"reason": "x"}})),
        [bad(".data.reason", "unknown member 'reason'")]
    );
}

#[test]
fn an_unknown_event_is_reported() {
    let schema = schema();
    let event = |message: Value| schema.validate_event(&message);
    assert_eq!(
        event(json!({"event": "SHUTDWON"})),
        [bad(".event", "there is no event 'SHUTDWON'")]
    );
    assert_eq!(
        event(json!({"event": "stop"})),
        [bad(".event", "there is no event 'stop'")]
    );
    assert_eq!(event(json!({"data": {}})), [bad("", "'event' is missing")]);
    assert_eq!(
        event(json!({"event": 5})),
        [bad(".event", "expected an event name, found the number 5")]
    );
}

#[test]
fn deprecated_command_member_and_value_are_reported_as_deprecated() {
    let problems = command(json!({"execute": "old-cmd",
                                  "arguments": {"mode": "slow", "old-arg": 1}}));
    assert_eq!(
        problems,
        [
            deprecated(".execute", "command 'old-cmd' is deprecated"),
            deprecated(".arguments.mode", "value 'slow' is deprecated"),
            deprecated(".arguments.old-arg", "member 'old-arg' is deprecated"),
        ]
    );
    assert_eq!(
        problems[0].to_string(),
        "deprecated: .execute: command 'old-cmd' is deprecated"
    );
    // What is not used is not reported.
    assert_eq!(
        command(json!({"execute": "old-cmd", "arguments": {"mode": "fast"}})),
        [deprecated(".execute", "command 'old-cmd' is deprecated")]
    );
}

#[test]
fn deprecated_things_received_are_reported_too() {
    let schema = schema();
    assert_eq!(
        schema.validate_reply(
            "query-status",
            &json!({"return": {"running": true, "status": "paused", "singlestep": false}})
        ),
        [deprecated(
            ".return.singlestep",
            "member 'singlestep' is deprecated"
        )]
    );
    assert_eq!(
        schema.validate_event(&json!({"event": "OLD_EVENT"})),
        [deprecated(".event", "event 'OLD_EVENT' is deprecated")]
    );
}

#[test]
fn problems_display_as_invalid_or_deprecated() {
    assert_eq!(
        bad(".arguments.force", "unknown member 'force'").to_string(),
        "invalid: .arguments.force: unknown member 'force'"
    );
}

#[test]
fn device_add_accepts_members_beyond_its_schema() {
    assert_eq!(
        command(json!({"execute": "device_add",
                       "arguments": {"driver": "virtio-net-pci", "id": "net0",
                                     "mac": "52:54:00:12:34:56", "netdev": "hostnet0"}})),
        []
    );
    // The members it lists are still checked.
    assert_eq!(
        command(json!({"execute": "device_add", "arguments": {"id": 1, "bus": "pci.0"}})),
        [
            bad(".arguments", "member 'driver' is missing"),
            bad(".arguments.id", "expected a string, found the number 1"),
        ]
    );
    assert_eq!(
        schema().validate_arguments("device_add", &json!({"driver": "e1000", "addr": "0x3"})),
        []
    );
    // Other commands do not.
    assert_eq!(
        command(json!({"execute": "blockdev-add",
                       "arguments": {"driver": "file", "filename": "/a", "addr": "0x3"}})),
        [bad(".arguments.addr", "unknown member 'addr'")]
    );
}
