//! Every argument-less `query-*` command of live QEMU binaries (10.0.2, and 7.2.22 from
//! Debian 12), and every argument-less `guest-get-*` command of 7.2's guest agent, sent and
//! decoded through the generated types of the same release's schema: each reply decodes and
//! re-encodes to the identical JSON value. (10.0.2's guest agent has a test of its own,
//! `live_guest_agent.rs`.)
//!
//! Where a binary or QEMU's source tree is missing the tests skip, unless
//! `QAPI_REQUIRE_LIVE=1` (set by `.ci/run`) makes that a failure.

#[cfg(any(qemu_source, qemu_7_2))]
mod live {
    use qapi_tests::first_difference;
    use qapi_tests::peer::{Peer, Program};
    use serde_json::{Value, json};

    /// The commands a peer offers: `query-commands` over QMP, the enabled ones of
    /// `guest-info` for the guest agent.
    fn offered(peer: &mut Peer, program: Program) -> Vec<String> {
        let names = |list: Value, enabled: &dyn Fn(&Value) -> bool| -> Vec<String> {
            list.as_array()
                .expect("a list")
                .iter()
                .filter(|command| enabled(command))
                .filter_map(|command| command["name"].as_str().map(str::to_owned))
                .collect()
        };
        match program {
            Program::GuestAgent => {
                let info = peer.query("guest-info").expect("guest-info");
                names(info["supported_commands"].clone(), &|command| {
                    command["enabled"] == json!(true)
                })
            }
            _ => names(
                peer.query("query-commands").expect("query-commands"),
                &|_| true,
            ),
        }
    }

    /// Runs every command of QEMU `release`'s `program` named with `prefix` that
    /// `request_for` can build without arguments, and checks `roundtrip` on each reply.
    /// Returns how many replies were checked.
    fn query_all(
        program: Program,
        release: &str,
        prefix: &str,
        request_for: impl Fn(&str) -> Option<Value>,
        roundtrip: impl Fn(&str, Value) -> Result<Value, String>,
    ) -> Option<usize> {
        let mut peer = Peer::start_release_or_skip(program, release)?;
        let mut names: Vec<String> = offered(&mut peer, program)
            .into_iter()
            .filter(|name| name.starts_with(prefix))
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
        ($cfg:ident, $test:ident, $program:expr, $release:literal, $prefix:literal, $module:ident, $minimum:expr) => {
            #[cfg($cfg)]
            #[test]
            fn $test() {
                use qapi_generated_tests::$module::commands::{
                    Request, RequestMessage, decode_return,
                };
                let checked = query_all(
                    $program,
                    $release,
                    $prefix,
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
                        "{} {}: {checked} replies decoded and re-encoded",
                        $program.executable(),
                        $release
                    );
                    assert!(checked >= $minimum, "only {checked} queries answered");
                }
            }
        };
    }

    live_test!(
        qemu_source,
        storage_daemon_queries_round_trip,
        Program::StorageDaemon,
        "10.0",
        "query-",
        storage_daemon,
        10
    );
    live_test!(
        qemu_source,
        system_emulator_queries_round_trip,
        Program::SystemX86,
        "10.0",
        "query-",
        qmp,
        30
    );
    live_test!(
        qemu_7_2,
        storage_daemon_7_2_queries_round_trip,
        Program::StorageDaemon,
        "7.2",
        "query-",
        storage_daemon_7_2,
        10
    );
    live_test!(
        qemu_7_2,
        system_emulator_7_2_queries_round_trip,
        Program::SystemX86,
        "7.2",
        "query-",
        qmp_7_2,
        30
    );
    live_test!(
        qemu_7_2,
        guest_agent_7_2_replies_round_trip,
        Program::GuestAgent,
        "7.2",
        "guest-get-",
        qga_7_2,
        5
    );
}

#[test]
fn qemu_schemas_were_compiled() {
    if !qapi_generated_tests::HAS_QEMU_SCHEMAS {
        qapi_tests::unavailable("QEMU's schemas were not generated (run `cargo xtask fetch-qemu`)");
    }
}
