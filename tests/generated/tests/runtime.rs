//! Modules generated with the `runtime` option plug into `qapi-client` with no glue: generic
//! code over the runtime's traits takes their commands, events and servers. Also
//! `Command::decode_returns`, which modules without the runtime have too: a reply's text
//! decodes, and a bad one is reported with its path.

use qapi_client::DecodeError;
use serde_json::{Value, json};

/// What a client of the runtime knows about a command: only its trait.
fn name_of<C: qapi_client::Command>() -> &'static str {
    C::NAME
}

/// Decodes a reply's `return` text through the runtime's trait.
fn returns_of<C: qapi_client::Command>(json: &str) -> Result<C::Returns, DecodeError> {
    C::decode_returns(json)
}

/// Decodes an event through the runtime's trait.
fn event_of<E: qapi_client::Event>(name: &str, data: Option<&Value>) -> Result<E, DecodeError> {
    E::from_parts(name, data)
}

/// Hands a request object to a service through the runtime's trait.
fn serve(service: &mut dyn qapi_client::Service, message: Value) -> Option<Value> {
    service.dispatch(&message)
}

mod demo_runtime {
    use super::*;
    use qapi_generated_tests::demo_runtime::commands::{self, Server};
    use qapi_generated_tests::demo_runtime::events::{Event, WaterLow};
    use qapi_generated_tests::demo_runtime::protocol::{self, Empty};
    use qapi_generated_tests::demo_runtime::{MachineState, MachineStatus};

    #[test]
    fn commands_are_the_runtimes_commands() {
        assert_eq!(name_of::<commands::QueryStatus>(), "query-status");
        assert_eq!(
            name_of::<commands::SetStandbyTimeout>(),
            "set-standby-timeout"
        );
        assert_eq!(
            name_of::<qapi_generated_tests::demo_runtime_client::commands::Brew>(),
            "brew"
        );
    }

    #[test]
    fn the_protocol_types_are_the_runtimes() {
        let timestamp: qapi_client::Timestamp = protocol::Timestamp {
            seconds: 1,
            microseconds: 2,
        };
        let error: DecodeError = protocol::DecodeError {
            path: "return".to_owned(),
            type_name: None,
            message: "bad".to_owned(),
        };
        assert_eq!(timestamp.seconds, 1);
        assert_eq!(error.to_string(), "return: bad");
    }

    #[test]
    fn decode_returns_decodes_a_reply_and_locates_a_bad_one() {
        let reply = r#"{ "state": "brewing", "water-percent": 80, "beans-grams": 350,
                         "drinks-served": 12 }"#;
        let status = returns_of::<commands::QueryStatus>(reply).unwrap();
        assert_eq!(
            status,
            MachineStatus {
                state: MachineState::Brewing,
                water_percent: 80,
                beans_grams: 350,
                drinks_served: 12
            }
        );

        let bad = r#"{ "state": "idle", "water-percent": 300, "beans-grams": 5,
                       "drinks-served": 1 }"#;
        let error = returns_of::<commands::QueryStatus>(bad).unwrap_err();
        assert_eq!(error.path, "return.water-percent");
        assert_eq!(error.type_name, Some("MachineStatus"));
        assert!(
            error
                .to_string()
                .starts_with("return.water-percent (in MachineStatus): "),
            "{error}"
        );

        assert_eq!(returns_of::<commands::Brew>("{}"), Ok(Empty));
        let error = returns_of::<commands::Brew>("{} {}").unwrap_err();
        assert_eq!(error.path, "return");
        assert!(error.message.contains("trailing"), "{error}");
        let error = returns_of::<commands::Brew>("[]").unwrap_err();
        assert_eq!(error.path, "return");
    }

    #[test]
    fn decode_returns_is_as_lenient_as_decode_return() {
        // A newer machine's state and member.
        let reply = r#"{ "state": "descaling", "water-percent": 50, "beans-grams": 5,
                         "drinks-served": 1, "milk-percent": 20 }"#;
        let status = returns_of::<commands::QueryStatus>(reply).unwrap();
        assert_eq!(
            status.state,
            MachineState::Unrecognized("descaling".to_owned())
        );
        // Without forward compatibility, neither decodes.
        use qapi_generated_tests::demo_runtime_client::commands::QueryStatus;
        let error = returns_of::<QueryStatus>(reply).unwrap_err();
        assert_eq!(error.path, "return.state");
    }

    #[test]
    fn the_event_enum_is_the_runtimes_event() {
        let data = json!({ "water-percent": 5 });
        let event: Event = event_of("WATER_LOW", Some(&data)).unwrap();
        assert_eq!(event, Event::WaterLow(WaterLow { water_percent: 5 }));
        assert_eq!(qapi_client::Event::name(&event), "WATER_LOW");
        assert_eq!(qapi_client::Event::data(&event), Some(data));

        let error =
            event_of::<Event>("WATER_LOW", Some(&json!({ "water-percent": "low" }))).unwrap_err();
        assert_eq!(error.path, "data.water-percent");
        assert_eq!(error.type_name, Some("WaterLow"));

        let unknown: Event = event_of("DESCALED", None).unwrap();
        assert_eq!(qapi_client::Event::name(&unknown), "DESCALED");
        assert_eq!(qapi_client::Event::data(&unknown), None);
        use qapi_generated_tests::demo_runtime_client::events::Event as StrictEvent;
        assert!(event_of::<StrictEvent>("DESCALED", None).is_err());
    }

    /// A machine that answers `query-status` and counts cleanings.
    #[derive(Default)]
    struct Machine {
        cleanings: u32,
    }

    impl Server for Machine {
        fn query_status(&mut self) -> Result<MachineStatus, protocol::Error> {
            Ok(MachineStatus {
                state: MachineState::Idle,
                water_percent: 80,
                beans_grams: 450,
                drinks_served: self.cleanings,
            })
        }

        fn clean(&mut self, _: commands::Clean) -> Result<Empty, protocol::Error> {
            self.cleanings += 1;
            Ok(Empty)
        }
    }

    #[test]
    fn a_server_is_a_runtime_service() {
        let mut service = commands::Service(Machine::default());
        let response = serve(&mut service, json!({ "execute": "clean", "id": 1 }));
        assert_eq!(response, Some(json!({ "return": {}, "id": 1 })));
        assert_eq!(service.0.cleanings, 1);
        let response = serve(
            &mut service,
            json!({ "execute": "query-status", "id": "x" }),
        );
        assert_eq!(
            response,
            Some(json!({
                "return": { "state": "idle", "water-percent": 80, "beans-grams": 450,
                            "drinks-served": 1 },
                "id": "x"
            }))
        );
        let response = serve(&mut service, json!({ "execute": "brew" })).unwrap();
        assert_eq!(response["error"]["class"], "GenericError", "{response}");
        let response = serve(&mut service, json!({ "execute": "clean", "arguments": {} }));
        assert_eq!(response, Some(json!({ "return": {} })));
        assert_eq!(service.0.cleanings, 2);
    }
}

/// Modules without the runtime have `decode_returns` too.
mod standalone {
    use qapi_generated_tests::demo::commands::{Command, QueryStatus};
    use qapi_generated_tests::kitchen_sink::commands::{Command as _, QueryPower};

    #[test]
    fn decode_returns_decodes_a_reply_and_locates_a_bad_one() {
        let reply = r#"{ "state": "idle", "water-percent": 80, "beans-grams": 350,
                         "drinks-served": 12 }"#;
        let status = QueryStatus::decode_returns(reply).unwrap();
        assert_eq!(status.drinks_served, 12);
        let error = <QueryStatus as Command>::decode_returns(r#"{ "state": 1 }"#).unwrap_err();
        assert_eq!(error.path, "return.state");
        assert_eq!(error.type_name, Some("MachineStatus"));
    }

    #[test]
    fn a_bad_element_of_a_list_reply_is_located() {
        let reply = r#"[ { "source": "tether", "watts": 0.0 },
                         { "source": "tether", "watts": "lots" } ]"#;
        let error = QueryPower::decode_returns(reply).unwrap_err();
        assert_eq!(error.path, "return[1].watts");
        assert_eq!(error.type_name, Some("PowerSourceInfo"));
        let reply = r#"[ { "source": "tether", "watts": 0.0 } ]"#;
        assert_eq!(QueryPower::decode_returns(reply).unwrap().len(), 1);
    }
}

/// QEMU 10.0.2's QMP schema plugged into the runtime.
#[cfg(qemu_source)]
mod qmp {
    use super::*;
    use qapi_generated_tests::qmp::commands::{QueryBlock, QueryStatus, Server, Service};
    use qapi_generated_tests::qmp::events::Event;
    use qapi_generated_tests::qmp::{RunState, StatusInfo, protocol};

    #[test]
    fn commands_decode_live_shaped_replies() {
        assert_eq!(name_of::<QueryBlock>(), "query-block");
        let reply = r#"[
            { "device": "ok", "locked": false, "removable": false, "type": "unknown" },
            { "device": "bad", "locked": false, "removable": true, "type": "unknown",
              "inserted": { "ro": "yes" } }
        ]"#;
        let error = returns_of::<QueryBlock>(reply).unwrap_err();
        assert_eq!(error.path, "return[1].inserted.ro");
        assert_eq!(error.type_name, Some("BlockDeviceInfo"));
        let status = returns_of::<QueryStatus>(
            r#"{"status": "running", "singlestep": false, "running": true}"#,
        )
        .unwrap();
        assert_eq!(status.status, RunState::Running);
    }

    #[test]
    fn events_and_servers_plug_in() {
        let event: Event = event_of("STOP", None).unwrap();
        assert_eq!(event, Event::Stop(Default::default()));

        struct Running;
        impl Server for Running {
            fn query_status(&mut self) -> Result<StatusInfo, protocol::Error> {
                Ok(StatusInfo {
                    running: true,
                    status: RunState::Running,
                })
            }
        }
        let response = serve(&mut Service(Running), json!({ "execute": "query-status" }));
        assert_eq!(
            response,
            Some(json!({ "return": { "running": true, "status": "running" } }))
        );
    }
}

/// QEMU 10.0.2's guest-agent module against a transcript of an agent.
#[cfg(qemu_source)]
mod guest_agent_mock {
    use std::time::Duration;

    use qapi_client::mock::Mock;
    use qapi_generated_tests::qga::commands::{GuestGetTime, GuestPing, GuestShutdown};

    #[test]
    fn a_command_without_a_reply_returns_as_soon_as_it_is_sent() {
        let mock = Mock::agent(
            r#"
            -> { "execute": "guest-shutdown", "arguments": { "mode": "powerdown" } }
            -> { "execute": "guest-ping" }
            <- { "return": {} }
            "#,
        )
        .unwrap();
        let agent = mock.guest_agent().unwrap();
        let shutdown = GuestShutdown {
            mode: Some("powerdown".into()),
        };
        agent
            .execute_timeout(shutdown, Duration::from_secs(5))
            .unwrap();
        agent.execute(GuestPing).unwrap();
        mock.finish().unwrap();
    }

    #[test]
    fn after_a_timeout_the_agent_is_synchronised_and_a_late_reply_dropped() {
        // Ids count from 1: the sync on connecting, the call that times out, the sync after
        // it, the next call.
        let mock = Mock::agent(
            r#"
            -> { "execute": "guest-get-time" }
            -> { "execute": "guest-get-time" }
            <- { "return": 111, "id": 2 }
            <- { "return": 222 }
            "#,
        )
        .unwrap();
        let agent = mock.guest_agent().unwrap();
        let late = agent.execute_timeout(GuestGetTime, Duration::from_millis(100));
        assert!(matches!(late, Err(qapi_client::Error::Timeout)), "{late:?}");
        assert_eq!(agent.execute(GuestGetTime).unwrap(), 222);
        mock.finish().unwrap();
    }

    #[test]
    fn the_tokio_agent_replays_the_same() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mock = Mock::agent(
                r#"
                -> { "execute": "guest-get-time" }
                <- { "return": 333 }
                "#,
            )
            .unwrap();
            let agent = mock.tokio_guest_agent().await.unwrap();
            assert_eq!(agent.execute(GuestGetTime).await.unwrap(), 333);
            mock.finish().unwrap();
        });
    }
}
