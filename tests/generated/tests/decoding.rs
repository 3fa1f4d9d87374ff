//! How the generated decoders treat input they did not expect: errors say where and in which
//! type, and what a newer QEMU may send (new enum values, events, union branches, members)
//! decodes instead of failing the whole message.

use serde_json::{Value, json};

/// Decodes `value` as a `T` and encodes it again.
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &Value) -> Value {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    serde_json::to_value(decoded).expect("encodes")
}

mod demo {
    use super::*;
    use qapi_generated_tests::demo::commands::{Request, decode_return};
    use qapi_generated_tests::demo::protocol::ErrorClass;

    #[test]
    fn a_bad_member_is_named_with_its_path_and_type() {
        let error = decode_return(
            "query-status",
            json!({ "state": "idle", "water-percent": 300, "beans-grams": 5, "drinks-served": 1 }),
        )
        .unwrap_err();
        assert_eq!(error.path, "return.water-percent");
        assert_eq!(error.type_name, Some("MachineStatus"));
        assert!(error.message.contains("300"), "{error}");
        assert_eq!(
            error.to_string(),
            format!("return.water-percent (in MachineStatus): {}", error.message)
        );
    }

    #[test]
    fn a_missing_member_is_reported_at_its_object() {
        let error = decode_return("query-status", json!({ "state": "idle" })).unwrap_err();
        assert_eq!(error.path, "return");
        assert_eq!(error.type_name, None);
        assert!(
            error
                .message
                .contains("missing member `water-percent` of MachineStatus"),
            "{error}"
        );
    }

    #[test]
    fn bad_arguments_are_a_generic_error_naming_the_member() {
        let error =
            Request::from_parts("set-standby-timeout", &json!({ "minutes": "ten" })).unwrap_err();
        assert_eq!(error.class, ErrorClass::GenericError);
        assert!(error.desc.contains("arguments.minutes"), "{}", error.desc);
        let unknown = Request::from_parts("grind-beans", &json!({})).unwrap_err();
        assert_eq!(unknown.class, ErrorClass::CommandNotFound);
    }

    #[test]
    fn requests_are_checked_strictly() {
        let error =
            Request::from_parts("set-standby-timeout", &json!({ "minutes": 5, "hours": 1 }))
                .unwrap_err();
        assert_eq!(error.class, ErrorClass::GenericError);
        assert!(
            error.desc.contains("unexpected member `hours`"),
            "{}",
            error.desc
        );
        let error = Request::from_parts("query-status", &json!({ "verbose": true })).unwrap_err();
        assert!(
            error.desc.contains("unexpected member `verbose`"),
            "{}",
            error.desc
        );
        let error = Request::from_parts("brew", &json!({ "kind": "mocha" })).unwrap_err();
        assert!(
            error.desc.contains("unknown value `mocha`"),
            "{}",
            error.desc
        );
        // The union's own members are not unexpected in its branch.
        let order = json!({ "kind": "espresso", "volume": null, "shots": 2 });
        assert!(Request::from_parts("brew", &order).is_ok());
        let order = json!({ "kind": "espresso", "shots": 2, "sugar": 1 });
        let error = Request::from_parts("brew", &order).unwrap_err();
        assert!(
            error.desc.contains("unexpected member `sugar`"),
            "{}",
            error.desc
        );
    }

    #[test]
    fn protocol_errors_and_timestamps_decode_and_encode() {
        use qapi_generated_tests::demo::protocol::{Error, Timestamp};
        let error = json!({ "class": "DeviceNotFound", "desc": "no such device" });
        assert_eq!(round_trip::<Error>(&error), error);
        // A class this module does not know is kept, in a strict decode too; other members
        // of the error are ignored.
        let newer = json!({ "class": "MigrationBlocked", "desc": "blocked", "hint": 1 });
        let decoded = qapi_generated_tests::demo::protocol::decode(
            std::marker::PhantomData::<Error>,
            newer,
            "error",
            true,
        )
        .expect("decodes");
        assert_eq!(
            decoded.class,
            ErrorClass::Unrecognized("MigrationBlocked".into())
        );
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            json!({ "class": "MigrationBlocked", "desc": "blocked" })
        );
        let missing = serde_json::from_value::<Error>(json!({ "class": "GenericError" }));
        let message = missing.unwrap_err().to_string();
        assert!(
            message.contains("missing member `desc` of Error"),
            "{message}"
        );
        let repeated =
            serde_json::from_str::<Error>(r#"{"class": "GenericError", "desc": "a", "desc": "b"}"#);
        let message = repeated.unwrap_err().to_string();
        assert!(
            message.contains("duplicate member `desc` in Error"),
            "{message}"
        );
        let not_a_class = serde_json::from_value::<Error>(json!({ "class": 5, "desc": "x" }));
        assert!(not_a_class.is_err());

        let timestamp = json!({ "seconds": 1_700_000_000, "microseconds": 250 });
        assert_eq!(round_trip::<Timestamp>(&timestamp), timestamp);
        let decoded: Timestamp = serde_json::from_value(timestamp).unwrap();
        assert_eq!(
            (decoded.seconds, decoded.microseconds),
            (1_700_000_000, 250)
        );
        let error = serde_json::from_value::<Timestamp>(json!([1, 2])).unwrap_err();
        assert!(
            error.to_string().contains("an object (Timestamp)"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_enum_value_is_kept() {
        let reply = json!({
            "state": "descaling", "water-percent": 50, "beans-grams": 5, "drinks-served": 1
        });
        let decoded = decode_return("query-status", reply.clone()).expect("decodes");
        assert_eq!(serde_json::to_value(decoded).unwrap(), reply);
    }
}

#[cfg(qemu_source)]
mod qmp {
    use super::*;
    use qapi_generated_tests::qmp::commands::decode_return;
    use qapi_generated_tests::qmp::events::{Event, EventMessage};
    use qapi_generated_tests::qmp::{RunState, SchemaInfo, SchemaInfoMetaType, StatusInfo};

    #[test]
    fn paths_go_through_arrays_and_nested_objects() {
        let reply = json!([
            { "device": "ok", "locked": false, "removable": false, "type": "unknown" },
            { "device": "bad", "locked": false, "removable": true, "type": "unknown",
              "inserted": { "ro": "yes" } }
        ]);
        let error = decode_return("query-block", reply).unwrap_err();
        assert_eq!(error.path, "return[1].inserted.ro");
        assert_eq!(error.type_name, Some("BlockDeviceInfo"));
    }

    #[test]
    fn paths_go_through_union_members_and_branches() {
        let reply = json!([
            { "name": "query-status", "meta-type": "command",
              "arg-type": "0", "ret-type": 7 }
        ]);
        let error = decode_return("query-qmp-schema", reply).unwrap_err();
        assert_eq!(error.path, "return[0].ret-type");
        assert_eq!(error.type_name, Some("SchemaInfoCommand"));

        let reply = json!([{ "name": "x", "meta-type": "enum", "values": "a" }]);
        let error = decode_return("query-qmp-schema", reply).unwrap_err();
        assert_eq!(error.path, "return[0].values");
    }

    #[test]
    fn an_alternate_names_the_json_types_it_accepts() {
        let error = qapi_generated_tests::qmp::commands::Request::from_parts(
            "blockdev-add",
            &json!({ "driver": "raw", "node-name": "n", "file": 12 }),
        )
        .unwrap_err();
        assert!(error.desc.contains("arguments.file"), "{}", error.desc);
        assert!(
            error.desc.contains("an object or a string for BlockdevRef"),
            "{}",
            error.desc
        );
    }

    #[test]
    fn an_unknown_enum_value_decodes_and_encodes_back() {
        let reply = json!({ "running": false, "status": "dreaming" });
        let status: StatusInfo = serde_json::from_value(reply.clone()).unwrap();
        assert_eq!(status.status, RunState::Unrecognized("dreaming".to_owned()));
        assert_eq!(round_trip::<StatusInfo>(&reply), reply);
    }

    #[test]
    fn unknown_members_are_ignored() {
        let reply = json!({ "running": true, "status": "running", "added-later": [1, 2] });
        let status: StatusInfo = serde_json::from_value(reply).unwrap();
        assert_eq!(status.status, RunState::Running);
    }

    #[test]
    fn an_unknown_union_branch_keeps_its_members() {
        let entry = json!({ "name": "42", "meta-type": "future-kind", "shape": { "sides": 5 } });
        let info: SchemaInfo = serde_json::from_value(entry.clone()).unwrap();
        match &info.meta_type {
            qapi_generated_tests::qmp::SchemaInfoMetaType::Unrecognized { tag, members } => {
                assert_eq!(tag, "future-kind");
                assert_eq!(members["shape"], json!({ "sides": 5 }));
            }
            other => panic!("decoded as {other:?}"),
        }
        assert_eq!(round_trip::<SchemaInfo>(&entry), entry);
    }

    #[test]
    fn the_union_tag_may_come_anywhere() {
        let first = json!({ "meta-type": "builtin", "name": "int", "json-type": "int" });
        let last = json!({ "name": "int", "json-type": "int", "meta-type": "builtin" });
        let a: SchemaInfo = serde_json::from_value(first).unwrap();
        let b: SchemaInfo = serde_json::from_value(last).unwrap();
        assert_eq!(a, b);
        assert!(matches!(a.meta_type, SchemaInfoMetaType::Builtin(_)));
    }

    #[test]
    fn an_unknown_event_decodes_and_encodes_back() {
        let message = json!({
            "event": "TEA_READY",
            "data": { "cups": 2 },
            "timestamp": { "seconds": 1700000000, "microseconds": 5 }
        });
        let decoded: EventMessage = serde_json::from_value(message.clone()).unwrap();
        assert!(matches!(&decoded.event, Event::Unrecognized { name, .. } if name == "TEA_READY"));
        assert_eq!(round_trip::<EventMessage>(&message), message);
    }

    #[test]
    fn a_command_without_generated_marshalling_keeps_undeclared_arguments() {
        // `device_add` has `gen: false`: it takes the device's properties as well.
        use qapi_generated_tests::qmp::commands::{DeviceAdd, Request};
        let arguments = json!({ "driver": "e1000", "id": "net1", "mac": "52:54:00:12:34:56" });
        let Request::DeviceAdd(request) = Request::from_parts("device_add", &arguments).unwrap()
        else {
            panic!("not device_add");
        };
        assert_eq!(request.driver, "e1000");
        assert_eq!(request.other["mac"], "52:54:00:12:34:56");
        assert_eq!(round_trip::<DeviceAdd>(&arguments), arguments);
    }

    /// `BlockDeviceInfo` has 33 members, more than one tuple of the generic decoder holds,
    /// so its last ones are found through nested tuples.
    fn block_device_info() -> Value {
        json!({
            "file": "disk.qcow2", "ro": false, "drv": "qcow2", "backing_file_depth": 0,
            "active": true, "encrypted": false, "detect_zeroes": "off",
            "bps": 0, "bps_rd": 0, "bps_wr": 0, "iops": 0, "iops_rd": 0, "iops_wr": 0,
            "image": { "filename": "disk.qcow2", "format": "qcow2", "virtual-size": 1024 },
            "iops_size": 512, "group": "g0",
            "cache": { "writeback": true, "direct": false, "no-flush": false },
            "write_threshold": 7, "dirty-bitmaps": []
        })
    }

    #[test]
    fn members_past_the_sixteenth_decode_and_report_their_own_names() {
        use qapi_generated_tests::qmp::BlockDeviceInfo;

        let info = block_device_info();
        let decoded: BlockDeviceInfo = serde_json::from_value(info.clone()).unwrap();
        assert_eq!(decoded.iops_size, Some(512));
        assert_eq!(decoded.group.as_deref(), Some("g0"));
        assert_eq!(decoded.write_threshold, 7);
        assert_eq!(decoded.dirty_bitmaps, Some(Vec::new()));
        assert_eq!(decoded.bps_max, None);
        assert_eq!(round_trip::<BlockDeviceInfo>(&info), info);

        let mut bad = info.clone();
        bad["write_threshold"] = json!("high");
        let error = decode_return("query-named-block-nodes", json!([bad])).unwrap_err();
        assert_eq!(error.path, "return[0].write_threshold");
        assert_eq!(error.type_name, Some("BlockDeviceInfo"));

        let mut missing = info.clone();
        missing.as_object_mut().unwrap().remove("cache");
        let error = serde_json::from_value::<BlockDeviceInfo>(missing).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("missing member `cache` of BlockDeviceInfo"),
            "{error}"
        );

        let text = info.to_string();
        let repeated = format!("{},\"write_threshold\":8}}", &text[..text.len() - 1]);
        let error = serde_json::from_str::<BlockDeviceInfo>(&repeated).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("duplicate member `write_threshold` in BlockDeviceInfo"),
            "{error}"
        );
    }

    #[test]
    fn a_known_event_with_bad_data_names_the_member() {
        let error = Event::from_parts("STOP", None).map(|_| ());
        assert!(error.is_ok(), "STOP has no data");
        let error = Event::from_parts(
            "BLOCK_JOB_COMPLETED",
            Some(
                &json!({ "type": "commit", "device": "d", "len": "long", "offset": 0, "speed": 0 }),
            ),
        )
        .unwrap_err();
        assert_eq!(error.path, "data.len");
    }
}

/// Unions decode from text in one pass, whatever the order of their members: the members
/// of the branch met before the tag are kept aside and replayed to the branch.
mod union_member_order {
    use super::*;
    use qapi_generated_tests::qmp::commands::{Command, QueryQmpSchema};
    use qapi_generated_tests::qmp::{SchemaInfo, SchemaInfoMetaType};

    /// Every order of an object's members, as JSON text.
    fn orders(members: &[(&str, Value)]) -> Vec<String> {
        let mut orders = Vec::new();
        let mut order: Vec<usize> = (0..members.len()).collect();
        permute(&mut order, 0, &mut |order| {
            let text: Vec<String> = order
                .iter()
                .map(|&index| format!("{:?}: {}", members[index].0, members[index].1))
                .collect();
            orders.push(format!("{{{}}}", text.join(", ")));
        });
        orders
    }

    fn permute(order: &mut [usize], start: usize, visit: &mut impl FnMut(&[usize])) {
        if start == order.len() {
            return visit(order);
        }
        for index in start..order.len() {
            order.swap(start, index);
            permute(order, start + 1, visit);
            order.swap(start, index);
        }
    }

    #[test]
    fn every_order_of_the_members_decodes_alike() {
        let members = [
            ("name", json!("BlockdevOptionsFile")),
            ("meta-type", json!("object")),
            (
                "members",
                json!([{ "name": "filename", "type": "str", "features": ["x"] },
                       { "name": "aio", "type": "BlockdevAioOptions", "default": null }]),
            ),
            ("tag", json!("driver")),
            ("features", json!(["deprecated"])),
        ];
        let expected: SchemaInfo = serde_json::from_value(Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        ))
        .unwrap();
        assert!(matches!(expected.meta_type, SchemaInfoMetaType::Object(_)));
        let texts = orders(&members);
        assert_eq!(texts.len(), 120);
        for text in texts {
            let decoded: SchemaInfo = serde_json::from_str(&text).unwrap();
            assert_eq!(decoded, expected, "{text}");
            let reply = format!("[{text}]");
            assert_eq!(
                QueryQmpSchema::decode_returns(&reply).unwrap(),
                vec![expected.clone()]
            );
        }
    }

    #[test]
    fn escaped_names_and_values_before_the_tag_decode() {
        let text = r#"{"json\u002dtype": "str\u0069ng", "name": "a\"b", "meta-type": "builtin"}"#;
        let info: SchemaInfo = serde_json::from_str(text).unwrap();
        assert_eq!(info.name, "a\"b");
        assert_eq!(
            serde_json::to_value(&info).unwrap(),
            json!({ "name": "a\"b", "meta-type": "builtin", "json-type": "string" })
        );
    }

    #[test]
    fn unknown_members_before_the_tag_are_passed_over_whole() {
        // Kept until the tag is read, then skipped by the branch, however deeply they nest.
        let text = r#"{"extra": {"deep": [[1, {"x": null}], "s", true]}, "name": "T",
            "members": [{"later": [[2.5], {}], "name": "a", "type": "int"}],
            "meta-type": "object"}"#;
        let plain = r#"{"name": "T", "meta-type": "object",
            "members": [{"name": "a", "type": "int"}]}"#;
        let info: SchemaInfo = serde_json::from_str(text).unwrap();
        assert_eq!(info, serde_json::from_str::<SchemaInfo>(plain).unwrap());
    }

    #[test]
    fn a_branch_that_fails_partway_leaves_nothing_for_the_next_union() {
        // The failing branch stops with members still on its tape; the next union decoded
        // on this thread reuses that tape's memory and must start from an empty one.
        let bad = r#"{"members": [{"name": "a", "type": 1}, {"name": "b", "type": "int"}],
            "extra": [1, 2, 3], "name": "T", "meta-type": "object"}"#;
        let error = serde_json::from_str::<SchemaInfo>(bad).unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
        let good = r#"{"members": [{"name": "c", "type": "str"}], "name": "U",
            "meta-type": "object"}"#;
        let info: SchemaInfo = serde_json::from_str(good).unwrap();
        assert_eq!(
            serde_json::to_value(&info).unwrap(),
            json!({ "name": "U", "meta-type": "object",
                    "members": [{ "name": "c", "type": "str" }] })
        );
    }

    #[test]
    fn a_bad_member_before_the_tag_is_named_with_its_path() {
        let reply = r#"[{"name": "q", "ret-type": 7, "arg-type": "0", "meta-type": "command"}]"#;
        let error = QueryQmpSchema::decode_returns(reply).unwrap_err();
        assert_eq!(error.path, "return[0].ret-type");
        assert_eq!(error.type_name, Some("SchemaInfoCommand"));
        let reply = r#"[{"name": 1, "meta-type": "command", "arg-type": "0", "ret-type": "1"}]"#;
        let error = QueryQmpSchema::decode_returns(reply).unwrap_err();
        assert_eq!(error.path, "return[0].name");
        assert_eq!(error.type_name, Some("SchemaInfo"));
    }

    #[test]
    fn a_missing_tag_or_a_repeated_member_is_an_error() {
        let error = serde_json::from_str::<SchemaInfo>(r#"{"name": "int", "json-type": "int"}"#)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("missing member `meta-type` of SchemaInfo"),
            "{error}"
        );
        let text = r#"{"meta-type": "builtin", "name": "int", "json-type": "int", "name": "x"}"#;
        let error = serde_json::from_str::<SchemaInfo>(text).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("duplicate member `name` in SchemaInfo"),
            "{error}"
        );
        let error = serde_json::from_str::<SchemaInfo>(r#"["int"]"#).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("expected an object (SchemaInfo)"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_branch_keeps_members_from_before_and_after_the_tag() {
        let text = r#"{"shape": {"sides": [5]}, "name": "42", "meta-type": "future", "n": -1.5}"#;
        let info: SchemaInfo = serde_json::from_str(text).unwrap();
        let SchemaInfoMetaType::Unrecognized { tag, members } = &info.meta_type else {
            panic!("decoded as {:?}", info.meta_type);
        };
        assert_eq!(tag, "future");
        assert_eq!(
            Value::Object(members.clone()),
            json!({ "shape": { "sides": [5] }, "n": -1.5 })
        );
        assert_eq!(info.name, "42");
    }
}

/// Unions read speculatively by `decode_text` (through `Command::decode_returns`): decoded
/// before their tag is known, and read again the ordinary way where that cannot give what the
/// ordinary decode gives.
mod speculation {
    use super::*;
    use qapi_generated_tests::qmp::SchemaInfo;
    use qapi_generated_tests::qmp::commands::{Command, QueryQmpSchema};
    use qapi_generated_tests::qmp::protocol::{DecodeError, List, Speculation, decode_text_once};
    use std::marker::PhantomData;

    /// One read of `text` as `QueryQmpSchema`'s reply, speculating or not.
    fn read_once(text: &str, speculate: bool) -> Result<Vec<SchemaInfo>, DecodeError> {
        let _speculation = Speculation::begin(speculate);
        decode_text_once(List::<SchemaInfo>(PhantomData), text, "return", false)
    }

    /// `entry` as JSON text with its members in `order` of their names, the rest after.
    fn with_order(entry: &serde_json::Map<String, Value>, order: &[&str]) -> String {
        let mut names: Vec<&String> = entry.keys().collect();
        names.sort_by_key(|name| {
            order
                .iter()
                .position(|first| first == name)
                .unwrap_or(order.len())
        });
        let members: Vec<String> = names
            .iter()
            .map(|name| format!("{:?}: {}", name, entry[name.as_str()]))
            .collect();
        format!("{{{}}}", members.join(", "))
    }

    #[test]
    fn the_whole_qmp_schema_decodes_in_one_read_with_the_tag_first_or_last() {
        let entries: Vec<Value> =
            serde_json::from_str(qapi_generated_tests::qmp::introspection::SCHEMA_JSON).unwrap();
        assert!(entries.len() > 1000);
        // Every member name of `SchemaInfo`'s branches, then its base: the tag comes last.
        let branch_members = [
            "members",
            "values",
            "tag",
            "variants",
            "arg-type",
            "ret-type",
            "allow-oob",
            "element-type",
            "json-type",
            "features",
        ];
        for tag_last in [false, true] {
            let texts: Vec<String> = entries
                .iter()
                .map(|entry| {
                    let entry = entry.as_object().unwrap();
                    if tag_last {
                        with_order(
                            entry,
                            &[&branch_members[..], &["name", "meta-type"]].concat(),
                        )
                    } else {
                        with_order(entry, &["meta-type"])
                    }
                })
                .collect();
            let text = format!("[{}]", texts.join(", "));
            let speculated = read_once(&text, true).expect("a speculative read that succeeds");
            assert_eq!(speculated, read_once(&text, false).unwrap());
            assert_eq!(speculated, QueryQmpSchema::decode_returns(&text).unwrap());
        }
    }

    #[test]
    fn members_of_other_branches_are_passed_over_in_one_read() {
        let text = r#"[{"arg-type": "0", "members": [{"name": "a", "type": "int"}],
            "values": ["a"], "name": "E", "meta-type": "enum"}]"#;
        let speculated = read_once(text, true).unwrap();
        assert_eq!(speculated, read_once(text, false).unwrap());
        assert_eq!(
            serde_json::to_value(&speculated).unwrap(),
            json!([{ "name": "E", "meta-type": "enum", "members": [{ "name": "a" }],
                     "values": ["a"] }])
        );
    }

    #[test]
    fn what_a_speculative_read_cannot_build_is_read_again() {
        let cases = [
            // A branch this schema does not know, whose members the ordinary decode keeps.
            r#"[{"members": [{"shape": [1]}], "name": "x", "meta-type": "future"}]"#,
            // A member name with an escape, which is not borrowed from the input.
            r#"[{"json\u002dtype": "string", "name": "n", "meta-type": "builtin"}]"#,
            // A member of another branch's type that this branch passes over whatever it holds.
            r#"[{"members": [{"name": "a", "type": 5}], "values": ["a"], "name": "E",
                "meta-type": "enum"}]"#,
        ];
        for text in cases {
            assert!(read_once(text, true).is_err(), "{text}");
            let ordinary = read_once(text, false).unwrap();
            assert_eq!(
                QueryQmpSchema::decode_returns(text).unwrap(),
                ordinary,
                "{text}"
            );
        }
    }

    #[test]
    fn errors_are_the_ordinary_decode_s() {
        let cases = [
            r#"[{"name": "a", "json-type": "int", "name": "b", "meta-type": "builtin"}]"#,
            r#"[{"members": [{"name": "a"}], "name": "T", "meta-type": "object"}]"#,
            r#"[{"ret-type": 7, "arg-type": "0", "name": "q", "meta-type": "command"}]"#,
            r#"[{"json-type": "int", "name": "int"}]"#,
        ];
        for text in cases {
            let error = QueryQmpSchema::decode_returns(text).unwrap_err();
            let ordinary = read_once(text, false).unwrap_err();
            assert_eq!(
                (error.path, error.type_name, error.message),
                (ordinary.path, ordinary.type_name, ordinary.message),
                "{text}"
            );
        }
    }

    #[test]
    fn a_strict_decode_rejects_a_member_of_another_branch_as_the_ordinary_one_does() {
        use qapi_generated_tests::kitchen_sink as lenient;
        use qapi_generated_tests::kitchen_sink::commands::Command as _;
        use qapi_generated_tests::kitchen_sink_strict as strict;
        use qapi_generated_tests::kitchen_sink_strict::commands::Command as _;
        let text = r#"[{"wings": 2, "charge-percent": 50, "sun-angle": 10, "watts": 5.5,
            "source": "solar"}]"#;
        let decoded = lenient::commands::QueryPower::decode_returns(text).unwrap();
        let lenient::PowerSourceInfoSource::Solar(solar) = &decoded[0].source else {
            panic!("decoded as {:?}", decoded[0].source);
        };
        assert_eq!((solar.wings, solar.sun_angle), (2, 10));
        let error = strict::commands::QueryPower::decode_returns(text).unwrap_err();
        let _speculation = strict::protocol::Speculation::begin(false);
        let ordinary = strict::protocol::decode_text_once(
            strict::protocol::List::<strict::PowerSourceInfo>(PhantomData),
            text,
            "return",
            true,
        )
        .unwrap_err();
        assert_eq!(error.to_string(), ordinary.to_string());
        assert!(error.message.contains("charge-percent"), "{error}");
    }
}
