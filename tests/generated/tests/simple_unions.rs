//! A simple union (QEMU 6.1 and older) as an enum with data: each branch holds the value the
//! wire wraps in `{"type": …, "data": …}`. The schema is ours, `schemas/legacy/workshop.json`,
//! in QEMU 5.2's dialect.

use std::marker::PhantomData;

use qapi_generated_tests::workshop::commands::{HangTool, Request};
use qapi_generated_tests::workshop::{Hammer, Saw, Tool, ToolType, protocol};
use serde_json::{Value, json};

fn round_trip(wire: Value) -> Tool {
    let tool: Tool = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&tool).expect("encodes"), wire);
    tool
}

#[test]
fn branches_hold_the_wrapped_value() {
    let saw = round_trip(json!({ "type": "saw", "data": { "teeth": 40 } }));
    assert_eq!(
        saw.r#type,
        ToolType::Saw(Saw {
            teeth: 40,
            powered: None
        })
    );
    let hammer = round_trip(json!({ "type": "hammer", "data": { "weight": 500 } }));
    assert_eq!(hammer.r#type, ToolType::Hammer(Hammer { weight: 500 }));
    let labels = round_trip(json!({ "type": "labels", "data": [ "nuts", "bolts" ] }));
    assert_eq!(
        labels.r#type,
        ToolType::Labels(vec!["nuts".to_owned(), "bolts".to_owned()])
    );
}

#[test]
fn errors_name_the_path_into_data() {
    let decode = |wire: Value| {
        protocol::decode(PhantomData::<Tool>, wire, "tool", false).expect_err("does not decode")
    };
    let error = decode(json!({ "type": "saw", "data": { "teeth": "many" } }));
    assert_eq!(error.path, "tool.data.teeth");
    let error = decode(json!({ "type": "saw" }));
    assert_eq!(error.path, "tool");
    assert!(error.message.contains("data"), "{error}");
}

#[test]
fn an_unknown_branch_is_kept() {
    let wire = json!({ "type": "drill", "data": { "bits": 12 } });
    let tool = round_trip(wire);
    assert!(matches!(tool.r#type, ToolType::Unrecognized { ref tag, .. } if tag == "drill"));
}

#[test]
fn commands_carry_simple_unions() {
    let request = Request::from_parts(
        "hang-tool",
        &json!({ "tool": { "type": "hammer", "data": { "weight": 300 } } }),
    )
    .expect("decodes");
    let Request::HangTool(HangTool { tool }) = request else {
        panic!("not hang-tool: {request:?}");
    };
    assert_eq!(tool.r#type, ToolType::Hammer(Hammer { weight: 300 }));
}

#[test]
fn data_may_come_before_the_type() {
    let tool: Tool =
        serde_json::from_str(r#"{ "data": { "teeth": 40, "powered": true }, "type": "saw" }"#)
            .expect("decodes");
    assert_eq!(
        tool.r#type,
        ToolType::Saw(Saw {
            teeth: 40,
            powered: Some(true)
        })
    );
}
