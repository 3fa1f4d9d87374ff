//! `include_qapi!` expanded in a real crate: the project's demo schema, whole and cut down
//! with options, decoding and encoding messages.

use serde_json::json;

/// The whole schema with the default options.
mod demo {
    qapi_macros::include_qapi!("../schemas/demo.json");
}

/// Only `query-status` (and what it reaches), without docs, server or forward compatibility
/// (so enums have no `Unrecognized(String)` and can be `Copy`).
mod status_only {
    qapi_macros::include_qapi!(
        "../schemas/demo.json",
        keep = ["query-status"],
        type_attribute = "MachineState=#[derive(Copy)]",
        docs = false,
        server = false,
        forward_compatible = false,
    );
}

#[test]
fn the_expansion_decodes_replies_and_encodes_requests() {
    let reply =
        json!({ "state": "brewing", "water-percent": 80, "beans-grams": 450, "drinks-served": 12 });
    let demo::commands::Return::QueryStatus(status) =
        demo::commands::decode_return("query-status", reply.clone()).unwrap()
    else {
        panic!("query-status returns MachineStatus")
    };
    assert_eq!(status.state, demo::MachineState::Brewing);
    assert_eq!(serde_json::to_value(&status).unwrap(), reply);

    let request = demo::commands::RequestMessage {
        request: demo::commands::Clean {
            rinse_only: Some(true),
        }
        .into(),
        id: Some(json!(1)),
        oob: false,
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({ "execute": "clean", "arguments": { "rinse-only": true }, "id": 1 })
    );
}

#[test]
fn options_shape_the_expansion() {
    // `Copy` comes from the type attribute.
    let state = status_only::MachineState::Idle;
    let copied = state;
    assert_eq!(state, copied);
    // `brew` is not kept.
    let error = status_only::commands::Request::from_parts("brew", &json!({})).unwrap_err();
    assert_eq!(
        error.class,
        status_only::protocol::ErrorClass::CommandNotFound
    );
}

/// A schema in QEMU 5.2's dialect, read by that release's rules.
mod workshop {
    qapi_macros::include_qapi!("../schemas/legacy/workshop.json", qemu = "5.2");
}

#[test]
fn a_release_is_chosen_by_option() {
    let tool: workshop::Tool =
        serde_json::from_value(json!({ "type": "hammer", "data": { "weight": 500 } })).unwrap();
    assert_eq!(
        tool.r#type,
        workshop::ToolType::Hammer(workshop::Hammer { weight: 500 })
    );
}

/// The demo schema plugged into the `qapi-client` runtime.
mod runtime {
    qapi_macros::include_qapi!("../schemas/demo.json", runtime = true);
}

#[test]
fn the_runtime_option_plugs_into_qapi_client() {
    fn name_of<C: qapi_client::Command>() -> &'static str {
        C::NAME
    }
    assert_eq!(name_of::<runtime::commands::QueryStatus>(), "query-status");
    let event: runtime::events::Event =
        qapi_client::Event::from_parts("WATER_LOW", Some(&json!({ "water-percent": 5 }))).unwrap();
    assert_eq!(qapi_client::Event::name(&event), "WATER_LOW");
}
