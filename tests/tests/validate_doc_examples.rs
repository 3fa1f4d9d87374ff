//! The validator against the examples in the doc comments of QEMU 10.0.2's schemas: every
//! example that the generated types round-trip (`tests/generated/tests/doc_examples.rs`)
//! validates clean against the schema's introspection data, and each example listed as wrong
//! upstream in `tests/data/doc-example-exceptions.txt` is reported, for the reason listed.

use std::collections::BTreeSet;

use qapi_introspection::{Introspection, Problem};
use qapi_tests::examples::{exceptions, messages};
use qapi_tests::{qemu_source, unavailable};
use serde_json::Value;

/// What an exception's reason says the validator must find.
#[derive(Debug)]
enum Expected {
    /// A required member is absent.
    Missing(String),
    /// A member the schema does not define.
    Unknown(String),
    /// A member whose value has the wrong JSON type.
    WrongType(String),
    /// The text is not JSON at all.
    NotJson,
    /// The request's arguments ended up outside it: not JSON, or a request without them.
    ArgumentsOutside,
    /// A reply without `return`.
    NoReturn,
}

/// The first name written between backticks in `text`.
fn quoted(text: &str) -> String {
    let start = text.find('`').expect("a quoted name") + 1;
    let end = start + text[start..].find('`').expect("a closing backtick");
    text[start..end].to_owned()
}

impl Expected {
    fn from_reason(reason: &str) -> Expected {
        if reason.contains("lacks") {
            let last = reason.rfind('`').expect("a quoted member");
            Expected::Missing(quoted(&reason[reason[..last].rfind('`').unwrap()..]))
        } else if reason.contains("has member") {
            Expected::Unknown(quoted(reason))
        } else if reason.contains("is the string") {
            Expected::WrongType(quoted(reason))
        } else if reason.contains("not JSON") {
            Expected::NotJson
        } else if reason.contains("outside the request") {
            Expected::ArgumentsOutside
        } else if reason.contains("not wrapped in `return`") {
            Expected::NoReturn
        } else {
            panic!("a reason this test cannot read: {reason}")
        }
    }

    fn found_in(&self, problems: &[Problem]) -> bool {
        problems.iter().any(|problem| match self {
            Expected::Missing(name) => problem.message == format!("member '{name}' is missing"),
            Expected::Unknown(name) => problem.message == format!("unknown member '{name}'"),
            Expected::WrongType(name) => {
                problem.path.ends_with(&format!(".{name}"))
                    && problem.message.starts_with("expected")
            }
            Expected::NoReturn => problem.message == "'return' or 'error' is missing",
            Expected::ArgumentsOutside => {
                problem.path == ".arguments" && problem.message.ends_with("is missing")
            }
            Expected::NotJson => false,
        })
    }
}

/// The introspection data of one of QEMU's schemas, every condition kept.
fn introspection(schema: &std::path::Path) -> Introspection {
    let parsed = qapi_schema::parse_file(schema).unwrap_or_else(|error| panic!("{error}"));
    let json = qapi_compiler::introspect::Introspection::new(&parsed, false).to_json(None);
    Introspection::from_json(&json).expect("our introspection data loads")
}

/// Validates one example; `Err` when it is not JSON.
fn validate(
    schema: &Introspection,
    text: &str,
    request: bool,
    command: &mut Option<String>,
) -> Result<Vec<Problem>, serde_json::Error> {
    let value: Value = serde_json::from_str(text)?;
    let problems = if request {
        *command = ["execute", "exec-oob"]
            .iter()
            .find_map(|key| value[key].as_str().map(str::to_owned));
        schema.validate_command(&value)
    } else if value.get("event").is_some() {
        schema.validate_event(&value)
    } else {
        let command = command.as_deref().unwrap_or("(no request before it)");
        schema.validate_reply(command, &value)
    };
    Ok(problems
        .into_iter()
        .filter(|problem| !problem.deprecated)
        .collect())
}

#[test]
fn doc_examples_validate_and_listed_mistakes_are_found() {
    let Some(source) = qemu_source() else {
        return unavailable("QEMU 10.0.2's source tree is not fetched");
    };
    let exceptions = exceptions();
    let mut failures = Vec::new();
    let mut found = BTreeSet::new();
    for file in [
        "qapi/qapi-schema.json",
        "qga/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
    ] {
        let path = source.join(file);
        let schema = introspection(&path);
        let mut command = None;
        let mut clean = 0;
        for message in messages(&path) {
            let outcome = validate(&schema, &message.text, message.request, &mut command);
            let reason = exceptions.get(&message.id);
            match (outcome, reason) {
                (Err(_), None) if message.text.contains("...") => {}
                (Ok(problems), None) if problems.is_empty() => clean += 1,
                (Ok(problems), None) => failures.push(format!(
                    "{file}: {}: {}",
                    message.id,
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                (Err(error), None) => failures.push(format!("{}: not JSON: {error}", message.id)),
                (outcome, Some(reason)) => {
                    let expected = Expected::from_reason(reason);
                    let reported = match &outcome {
                        Err(_) => {
                            matches!(expected, Expected::NotJson | Expected::ArgumentsOutside)
                        }
                        Ok(problems) => expected.found_in(problems),
                    };
                    if reported {
                        found.insert(message.id.clone());
                    } else {
                        failures.push(format!(
                            "{}: listed as \"{reason}\", but validation gives {outcome:?}",
                            message.id
                        ));
                    }
                }
            }
        }
        eprintln!("{file}: {clean} examples validate clean");
        if file.starts_with("qapi/") {
            assert!(clean >= 400, "too few QMP examples were checked");
        }
    }
    eprintln!(
        "{} of the {} listed upstream mistakes are reported",
        found.len(),
        exceptions.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let listed: BTreeSet<String> = exceptions.into_keys().collect();
    assert_eq!(found, listed, "every listed mistake is met and reported");
}
