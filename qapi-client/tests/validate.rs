//! `Config::validate`: commands are checked against the server's own `query-qmp-schema`
//! before they are sent, and a command that does not fit never reaches the server.

use qapi_client::mock::Mock;
use qapi_client::{Config, Error};
use serde_json::json;

/// A server whose schema has one command, `eject`, with a mandatory `device` (a string) and
/// an optional, deprecated `force` (a boolean).
const SCHEMA: &str = r#"
    -> { "execute": "query-qmp-schema" }
    <- { "return": [
          { "name": "eject", "meta-type": "command", "arg-type": "0", "ret-type": "1" },
          { "name": "0", "meta-type": "object", "members": [
              { "name": "device", "type": "str" },
              { "name": "force", "type": "bool", "default": null,
                "features": ["deprecated"] } ] },
          { "name": "1", "meta-type": "object", "members": [] },
          { "name": "str", "meta-type": "builtin", "json-type": "string" },
          { "name": "bool", "meta-type": "builtin", "json-type": "boolean" } ] }
"#;

#[test]
fn commands_that_fit_are_sent_and_others_are_refused_before_sending() {
    let transcript = format!(
        r#"{SCHEMA}
        -> {{ "execute": "eject", "arguments": {{ "device": "cd0", "force": true }} }}
        <- {{ "return": {{}} }}
        "#
    );
    let mock = Mock::qmp(&transcript).unwrap();
    let client = mock.client_with(Config::default().validate(true)).unwrap();

    // Deprecated members pass: QEMU still accepts them.
    client
        .execute_raw("eject", &json!({ "device": "cd0", "force": true }))
        .unwrap();

    let refused = client.execute_raw("eject", &json!({ "device": 0, "forse": true }));
    let Err(Error::Invalid(problems)) = refused else {
        panic!("expected the command to be refused, got {refused:?}");
    };
    assert_eq!(
        problems,
        "eject: .arguments.device: expected a string, found the number 0; \
         .arguments.forse: unknown member 'forse'"
    );
    let unknown = client.execute_raw("ejectt", &json!({}));
    assert!(
        matches!(&unknown, Err(Error::Invalid(text)) if text.contains("there is no command 'ejectt'")),
        "{unknown:?}"
    );
    // Nothing but the valid command reached the server.
    mock.finish().unwrap();
}

#[test]
fn without_the_setting_nothing_is_checked_or_asked() {
    let mock = Mock::qmp(
        r#"
        -> { "execute": "eject", "arguments": { "device": 0 } }
        <- { "error": { "class": "GenericError", "desc": "Invalid parameter type" } }
        "#,
    )
    .unwrap();
    let client = mock.client().unwrap();
    let answer = client.execute_raw("eject", &json!({ "device": 0 }));
    assert!(matches!(answer, Err(Error::Qmp(_))), "{answer:?}");
    mock.finish().unwrap();
}
