//! Every QMP example in the doc comments of QEMU 10.0.2's schemas, decoded with the generated
//! types and encoded again: requests (`->`) through `RequestMessage`, replies (`<-`) through
//! `decode_return` for the command of the latest request, errors through `protocol::Error`
//! and events through `EventMessage`. Each must give back the same JSON, unless it is in
//! `tests/data/doc-example-exceptions.txt` with the reason it is wrong upstream.

#[cfg(qemu_source)]
mod examples {
    use std::collections::BTreeMap;

    use serde_json::{Value, json};

    /// What became of the examples of one schema.
    #[derive(Default)]
    struct Outcome {
        /// Decoded and encoded back to the same JSON.
        same: usize,
        /// Not JSON because parts are left out as `...`.
        abbreviated: usize,
        /// Failures: id to what went wrong.
        failed: BTreeMap<String, String>,
    }

    /// The operations a generated module offers for examples, as plain functions, so one
    /// driver serves every module.
    struct Module {
        request: fn(&Value) -> Result<Value, String>,
        reply: fn(&str, Value) -> Result<Value, String>,
        error: fn(Value) -> Result<Value, String>,
        event: fn(Value) -> Result<Value, String>,
    }

    macro_rules! module {
        ($module:ident) => {{
            use qapi_generated_tests::$module::{commands, events, protocol};
            fn encode(value: impl serde::Serialize) -> Result<Value, String> {
                serde_json::to_value(value).map_err(|error| error.to_string())
            }
            Module {
                request: |value| {
                    commands::RequestMessage::from_value(value)
                        .map_err(|error| error.to_string())
                        .and_then(encode)
                },
                reply: |command, value| {
                    commands::decode_return(command, value)
                        .map_err(|error| error.to_string())
                        .and_then(encode)
                },
                error: |value| {
                    serde_json::from_value::<protocol::Error>(value)
                        .map_err(|error| error.to_string())
                        .and_then(encode)
                },
                event: |value| {
                    serde_json::from_value::<events::EventMessage>(value)
                        .map_err(|error| error.to_string())
                        .and_then(encode)
                },
            }
        }};
    }

    /// Decodes and re-encodes every example of `schema` with `module`.
    fn run(schema: &str, module: Module) -> Outcome {
        let source = qapi_tests::qemu_source().expect("QEMU's source tree");
        let mut outcome = Outcome::default();
        let mut command = None;
        for message in qapi_tests::examples::messages(&source.join(schema)) {
            let value: Value = match serde_json::from_str(&message.text) {
                Ok(value) => value,
                Err(_) if message.text.contains("...") => {
                    outcome.abbreviated += 1;
                    continue;
                }
                Err(error) => {
                    outcome
                        .failed
                        .insert(message.id, format!("not JSON: {error}"));
                    continue;
                }
            };
            let back = if message.request {
                command = ["execute", "exec-oob"]
                    .iter()
                    .find_map(|key| value[key].as_str().map(str::to_owned));
                (module.request)(&value)
            } else if let Some(returned) = value.get("return") {
                let command = command.as_deref().unwrap_or("(no request before it)");
                (module.reply)(command, returned.clone()).map(|back| json!({ "return": back }))
            } else if let Some(error) = value.get("error") {
                (module.error)(error.clone()).map(|back| json!({ "error": back }))
            } else if value.get("event").is_some() {
                (module.event)(value.clone())
            } else {
                Err("neither a return, an error nor an event".to_owned())
            };
            match back {
                Ok(back) if back == value => outcome.same += 1,
                Ok(back) => {
                    outcome
                        .failed
                        .insert(message.id, format!("encodes back as {back}"));
                }
                Err(error) => {
                    outcome.failed.insert(message.id, error);
                }
            }
        }
        outcome
    }

    #[test]
    fn doc_examples_round_trip() {
        let outcomes = [
            (
                "qapi/qapi-schema.json",
                run("qapi/qapi-schema.json", module!(qmp)),
            ),
            (
                "qga/qapi-schema.json",
                run("qga/qapi-schema.json", module!(qga)),
            ),
            (
                "storage-daemon/qapi/qapi-schema.json",
                run(
                    "storage-daemon/qapi/qapi-schema.json",
                    module!(storage_daemon),
                ),
            ),
        ];
        let exceptions = qapi_tests::examples::exceptions();
        let mut problems = Vec::new();
        for (schema, outcome) in &outcomes {
            eprintln!(
                "{schema}: {} examples give the same JSON back, {} are abbreviated with `...`, \
                 {} are listed as wrong upstream",
                outcome.same,
                outcome.abbreviated,
                outcome.failed.len()
            );
            for (id, failure) in &outcome.failed {
                if !exceptions.contains_key(id) {
                    problems.push(format!("{schema}: {id}: {failure}"));
                }
            }
        }
        for id in exceptions.keys() {
            if !outcomes
                .iter()
                .any(|(_, outcome)| outcome.failed.contains_key(id))
            {
                problems.push(format!("{id} is listed as an exception but works now"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(outcomes[0].1.same >= 400, "too few QMP examples were found");
    }
}
