//! Every argument-less `query-*` command of live QEMU 10.0.2 binaries, sent and decoded
//! through the generated types: each reply decodes and re-encodes to the identical JSON value.
//!
//! Where a binary or QEMU's source tree is missing the tests skip, unless
//! `QAPI_REQUIRE_LIVE=1` (set by `.ci/run`) makes that a failure.

#[cfg(qemu_source)]
mod live {
    use qapi_tests::first_difference;
    use qapi_tests::peer::{Peer, Program};
    use serde_json::{Value, json};

    /// Runs every `query-*` command that `request_for` can build without arguments, and
    /// checks `roundtrip` on each reply. Returns how many replies were checked.
    fn query_all(
        program: Program,
        request_for: impl Fn(&str) -> Option<Value>,
        roundtrip: impl Fn(&str, Value) -> Result<Value, String>,
    ) -> Option<usize> {
        let mut peer = Peer::start_or_skip(program)?;
        let commands = peer.query("query-commands").expect("query-commands");
        let mut names: Vec<String> = commands
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|command| command["name"].as_str().map(str::to_owned))
            .filter(|name| name.starts_with("query-"))
            .collect();
        names.sort();
        let mut checked = 0;
        let mut failures = Vec::new();
        for name in names {
            let Some(request) = request_for(&name) else {
                continue;
            };
            peer.send(&request).expect("send");
            let response = peer.read_response().expect("a response");
            let Some(value) = response.get("return") else {
                // Not available in this configuration (e.g. needs a machine).
                continue;
            };
            checked += 1;
            match roundtrip(&name, value.clone()) {
                Ok(back) => {
                    if let Some(difference) = first_difference(&back, value) {
                        failures.push(format!("{name}: {difference}"));
                    }
                }
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        Some(checked)
    }

    macro_rules! live_test {
        ($test:ident, $program:expr, $module:ident, $minimum:expr) => {
            #[test]
            fn $test() {
                use qapi_generated_tests::$module::commands::{
                    Request, RequestMessage, decode_return,
                };
                let checked = query_all(
                    $program,
                    |name| {
                        let request = Request::from_parts(name, &json!({})).ok()?;
                        let message = RequestMessage {
                            request,
                            id: None,
                            oob: false,
                        };
                        Some(serde_json::to_value(message).expect("encodes"))
                    },
                    |name, value| {
                        let decoded = decode_return(name, value).map_err(|e| e.to_string())?;
                        serde_json::to_value(decoded).map_err(|e| e.to_string())
                    },
                );
                if let Some(checked) = checked {
                    eprintln!(
                        "{}: {checked} replies decoded and re-encoded",
                        $program.executable()
                    );
                    assert!(checked >= $minimum, "only {checked} queries answered");
                }
            }
        };
    }

    live_test!(
        storage_daemon_queries_round_trip,
        Program::StorageDaemon,
        storage_daemon,
        10
    );
    live_test!(
        system_emulator_queries_round_trip,
        Program::SystemX86,
        qmp,
        30
    );
}

#[test]
fn qemu_schemas_were_compiled() {
    if !qapi_generated_tests::HAS_QEMU_SCHEMAS {
        qapi_tests::unavailable("QEMU's schemas were not generated (run `cargo xtask fetch-qemu`)");
    }
}
