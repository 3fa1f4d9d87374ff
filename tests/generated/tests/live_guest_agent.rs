//! The generated guest-agent module against a live `qemu-ga` 10.0.2: requests built from the
//! generated command types, every reply decoded and re-encoded to the identical JSON; and a
//! small agent of ours on the generated `Server` trait, which must answer like the real one.
//!
//! Where `qemu-ga` or QEMU's source tree is missing the tests skip, unless
//! `QAPI_REQUIRE_LIVE=1` (set by `.ci/run`) makes that a failure.

#[cfg(qemu_source)]
mod live {
    use std::collections::BTreeSet;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use qapi_generated_tests::qga::commands::{
        self, Command, Request, RequestMessage, Server, decode_return, dispatch,
    };
    use qapi_generated_tests::qga::protocol::{self, ErrorClass};
    use qapi_generated_tests::qga::{
        GuestAgentCommandInfo, GuestAgentInfo, GuestExecCaptureOutput, GuestFileWhence,
        GuestHostName, QgaSeek,
    };
    use qapi_tests::peer::{Peer, Program};
    use qapi_tests::{QEMU_VERSION, first_difference, unavailable};
    use serde_json::{Value, json};

    /// Starts the real agent, or says why it cannot and returns `None`.
    fn real_agent() -> Option<Peer> {
        let program = Program::GuestAgent;
        let mut agent = Peer::start_or_skip(program)?;
        let version = call(&mut agent, commands::GuestInfo)
            .expect("guest-info")
            .version;
        if version != QEMU_VERSION {
            unavailable(&format!(
                "{} is version {version}, the schema is {QEMU_VERSION}",
                program.executable()
            ));
            return None;
        }
        Some(agent)
    }

    /// Sends the request object `request` and returns the response object, after checking
    /// that it survives the generated types: a `return` decodes with `decode_return` for the
    /// request's command, an `error` as a `protocol::Error` of a class the module knows, and
    /// either re-encodes to exactly the JSON received. A reply to `guest-sync-delimited` must
    /// come after the 0xFF sentinel byte.
    fn exchange(agent: &mut Peer, request: &Value) -> Value {
        let name = request["execute"].as_str().unwrap_or_default();
        agent.send(request).expect("the request is sent");
        if name == commands::GuestSyncDelimited::NAME {
            agent.read_sentinel().expect("the sentinel");
        }
        let response = agent.read_response().expect("a response");
        let (received, encoded) = if let Some(value) = response.get("return") {
            let decoded = decode_return(name, value.clone())
                .unwrap_or_else(|error| panic!("{name}: {value} does not decode: {error}"));
            (value, serde_json::to_value(decoded))
        } else {
            let error = &response["error"];
            let decoded: protocol::Error = serde_json::from_value(error.clone())
                .unwrap_or_else(|e| panic!("{name}: {response} is not an error response: {e}"));
            assert!(
                !matches!(decoded.class, ErrorClass::Unrecognized(_)),
                "{name}: unknown error class in {response}"
            );
            (error, serde_json::to_value(decoded))
        };
        let encoded = encoded.expect("a decoded reply encodes");
        if let Some(difference) = first_difference(&encoded, received) {
            panic!("{name}: the re-encoded reply differs at {difference}");
        }
        response
    }

    /// The request object for `request`, as the generated types encode it.
    fn encode(request: Request, id: Option<Value>) -> Value {
        let message = RequestMessage {
            request,
            id,
            oob: false,
        };
        serde_json::to_value(message).expect("a request encodes")
    }

    /// Runs `command` through [`exchange`] and decodes the outcome into the command's own
    /// return type.
    fn call<C: Command + Into<Request>>(
        agent: &mut Peer,
        command: C,
    ) -> Result<C::Returns, protocol::Error> {
        let response = exchange(agent, &encode(command.into(), None));
        match response.get("return") {
            Some(value) => Ok(serde_json::from_value(value.clone())
                .unwrap_or_else(|error| panic!("{}: {value}: {error}", C::NAME))),
            None => Err(serde_json::from_value(response["error"].clone())
                .unwrap_or_else(|error| panic!("{}: {response}: {error}", C::NAME))),
        }
    }

    #[test]
    fn sync_ping_and_info() {
        let Some(mut agent) = real_agent() else {
            return;
        };
        // Beyond 32 bits, to see the full 64-bit integer come back.
        let id = (1 << 40) + i64::from(std::process::id());
        let delimited = commands::GuestSyncDelimited { id };
        assert_eq!(call(&mut agent, delimited), Ok(id));
        assert_eq!(
            call(&mut agent, commands::GuestSync { id: id + 1 }),
            Ok(id + 1)
        );
        call(&mut agent, commands::GuestPing).expect("guest-ping");

        let info = call(&mut agent, commands::GuestInfo).expect("guest-info");
        assert!(info.supported_commands.len() > 10, "{info:?}");
        for command in &info.supported_commands {
            // Arguments may be wrong here; only an unknown name is a failure.
            if let Err(error) = Request::from_parts(&command.name, &json!({})) {
                assert_ne!(
                    error.class,
                    ErrorClass::CommandNotFound,
                    "the agent offers {}, which the schema lacks",
                    command.name
                );
            }
        }
    }

    #[test]
    fn every_get_command_round_trips() {
        let Some(mut agent) = real_agent() else {
            return;
        };
        let info = call(&mut agent, commands::GuestInfo).expect("guest-info");
        let mut names: Vec<String> = info
            .supported_commands
            .into_iter()
            .filter(|command| command.enabled && command.name.starts_with("guest-get-"))
            .map(|command| command.name)
            .collect();
        names.sort();
        let (mut returned, mut failed) = (Vec::new(), Vec::new());
        for name in names {
            // The schema says which take no arguments.
            let Ok(request) = Request::from_parts(&name, &json!({})) else {
                continue;
            };
            let response = exchange(&mut agent, &encode(request, None));
            match response.get("error") {
                None => returned.push(name),
                Some(error) => {
                    failed.push(format!("{name} ({}: {})", error["class"], error["desc"]))
                }
            }
        }
        eprintln!(
            "{} guest-get-* commands returned: {}",
            returned.len(),
            returned.join(", ")
        );
        eprintln!(
            "{} failed here (their errors re-encoded identically)",
            failed.len()
        );
        for failure in &failed {
            eprintln!("  {failure}");
        }
        // Time and host name need no privilege and exist in any container.
        for needed in ["guest-get-time", "guest-get-host-name"] {
            assert!(returned.iter().any(|name| name == needed), "{needed}");
        }
    }

    #[test]
    fn file_round_trip() {
        let Some(mut agent) = real_agent() else {
            return;
        };
        let path = agent.directory().join("round-trip.bin");
        let content: Vec<u8> = (0..=255)
            .chain(b"\nsecond line\n".iter().copied())
            .collect();
        let length = i64::try_from(content.len()).expect("small");

        let open = commands::GuestFileOpen {
            path: path.display().to_string(),
            mode: Some("w+".to_string()),
        };
        let handle = call(&mut agent, open).expect("guest-file-open");
        let write = commands::GuestFileWrite {
            handle,
            buf_b64: BASE64.encode(&content),
            count: None,
        };
        let written = call(&mut agent, write).expect("guest-file-write");
        assert_eq!(written.count, length);
        let seek = commands::GuestFileSeek {
            handle,
            offset: 0,
            whence: GuestFileWhence::Name(QgaSeek::Set),
        };
        assert_eq!(call(&mut agent, seek).expect("guest-file-seek").position, 0);
        let read = commands::GuestFileRead {
            handle,
            count: Some(length + 100),
        };
        let read = call(&mut agent, read).expect("guest-file-read");
        assert_eq!(read.count, length);
        assert_eq!(BASE64.decode(&read.buf_b64).expect("base64"), content);
        call(&mut agent, commands::GuestFileClose { handle }).expect("guest-file-close");
        assert_eq!(std::fs::read(&path).expect("the agent's file"), content);
    }

    #[test]
    fn exec_captures_output() {
        let Some(mut agent) = real_agent() else {
            return;
        };
        let text = format!("hello from process {}", std::process::id());
        let exec = commands::GuestExec {
            path: "/bin/echo".to_string(),
            arg: Some(vec![text.clone()]),
            env: None,
            input_data: None,
            capture_output: Some(GuestExecCaptureOutput::Flag(true)),
        };
        let pid = call(&mut agent, exec).expect("guest-exec").pid;
        let started = Instant::now();
        let status = loop {
            let status = call(&mut agent, commands::GuestExecStatus { pid });
            let status = status.expect("guest-exec-status");
            if status.exited {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "echo never ended"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.exitcode, Some(0), "{status:?}");
        let output = BASE64
            .decode(status.out_data.expect("out-data"))
            .expect("base64");
        assert_eq!(output, format!("{text}\n").into_bytes());
    }

    /// The commands our agent implements.
    const IMPLEMENTED: [&str; 6] = [
        "guest-sync-delimited",
        "guest-sync",
        "guest-ping",
        "guest-info",
        "guest-get-time",
        "guest-get-host-name",
    ];

    /// A guest agent of our own: the commands in [`IMPLEMENTED`], and the generated trait's
    /// `CommandNotFound` for the rest.
    struct OurAgent;

    impl Server for OurAgent {
        fn guest_sync_delimited(
            &mut self,
            arguments: commands::GuestSyncDelimited,
        ) -> Result<i64, protocol::Error> {
            Ok(arguments.id)
        }

        fn guest_sync(&mut self, arguments: commands::GuestSync) -> Result<i64, protocol::Error> {
            Ok(arguments.id)
        }

        fn guest_ping(&mut self) -> Result<protocol::Empty, protocol::Error> {
            Ok(protocol::Empty)
        }

        fn guest_info(&mut self) -> Result<GuestAgentInfo, protocol::Error> {
            let supported_commands = IMPLEMENTED
                .iter()
                .map(|name| GuestAgentCommandInfo {
                    name: name.to_string(),
                    enabled: true,
                    success_response: true,
                })
                .collect();
            Ok(GuestAgentInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
                supported_commands,
            })
        }

        fn guest_get_time(&mut self) -> Result<i64, protocol::Error> {
            let since_epoch = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_err(protocol::Error::generic)?;
            i64::try_from(since_epoch.as_nanos()).map_err(protocol::Error::generic)
        }

        fn guest_get_host_name(&mut self) -> Result<GuestHostName, protocol::Error> {
            let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map_err(protocol::Error::generic)?;
            Ok(GuestHostName {
                host_name: name.trim_end().to_string(),
            })
        }
    }

    /// Our agent on a unix socket, answering through the generated `dispatch`, with the
    /// sentinel byte before a successful `guest-sync-delimited` reply like the real one.
    fn our_agent() -> Peer {
        let mut agent = OurAgent;
        Peer::serve(move |request| {
            let response = dispatch(&mut agent, request)?;
            let mut bytes = Vec::new();
            if request["execute"] == commands::GuestSyncDelimited::NAME
                && response.get("return").is_some()
            {
                bytes.push(0xFF);
            }
            bytes.extend(response.to_string().into_bytes());
            Some(bytes)
        })
        .expect("our agent listens")
    }

    /// What two agents' responses to one request must share: `return` or `error`, whether
    /// the `id` is echoed, the returned value's JSON type and, for an object, its member
    /// names; an error's class. Values may differ.
    fn shape(response: &Value) -> String {
        let id = if response.get("id").is_some() {
            ", id echoed"
        } else {
            ""
        };
        let outcome = match (response.get("return"), response.get("error")) {
            (Some(Value::Object(members)), None) => {
                format!(
                    "an object with {:?}",
                    members.keys().collect::<BTreeSet<_>>()
                )
            }
            (Some(value), None) => format!("a {}", json_type(value)),
            (None, Some(error)) => format!("error {}", error["class"]),
            _ => format!("no response: {response}"),
        };
        outcome + id
    }

    fn json_type(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    #[test]
    fn our_agent_answers_like_the_real_one() {
        let Some(mut real) = real_agent() else {
            return;
        };
        let mut ours = our_agent();

        // Every command ours implements, built with the generated types, with and without id.
        let mut requests: Vec<Value> = IMPLEMENTED
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let id = i64::try_from(index).expect("small") + 100;
                let arguments = match *name {
                    "guest-sync" | "guest-sync-delimited" => json!({ "id": id }),
                    _ => json!({}),
                };
                let request = Request::from_parts(name, &arguments).expect("valid");
                encode(request, (index % 2 == 0).then(|| json!(id)))
            })
            .collect();
        // Requests that must fail, the same way.
        let bogus = json!({ "execute": "no-such-command", "id": "bogus" });
        requests.extend([
            bogus.clone(),
            json!({ "arguments": { "id": 1 }, "id": 1 }),
            json!({ "execute": 5 }),
            json!([]),
            json!({ "execute": "guest-sync" }),
            json!({ "execute": "guest-sync", "arguments": { "id": "one" } }),
            // Members the schema does not define, in the arguments and in the request.
            json!({ "execute": "guest-sync", "arguments": { "id": 3, "extra": true } }),
            json!({ "execute": "guest-ping", "arguments": { "extra": true } }),
            json!({ "execute": "guest-ping", "extra": true }),
            // An enum value the schema does not define.
            json!({ "execute": "guest-file-seek",
                    "arguments": { "handle": 1, "offset": 0, "whence": "middle" } }),
        ]);
        let mut differences = Vec::new();
        for request in &requests {
            let (theirs, mine) = (exchange(&mut real, request), exchange(&mut ours, request));
            if shape(&theirs) != shape(&mine) {
                differences.push(format!(
                    "{request}:\n  qemu-ga: {theirs}\n  ours:    {mine}"
                ));
            }
        }
        assert!(
            differences.is_empty(),
            "ours and qemu-ga disagree:\n{}",
            differences.join("\n")
        );

        // Unknown to the schema, or left to the trait's default: CommandNotFound from ours
        // (and, by the comparison above, from qemu-ga for the unknown name).
        let mine = exchange(&mut ours, &bogus);
        assert_eq!(mine["error"]["class"], "CommandNotFound", "{mine}");
        let theirs = call(&mut real, commands::GuestFsfreezeStatus);
        let mine = call(&mut ours, commands::GuestFsfreezeStatus);
        assert_eq!(
            mine.clone().err().map(|error| error.class),
            Some(ErrorClass::CommandNotFound)
        );
        eprintln!("guest-fsfreeze-status: qemu-ga {theirs:?}, ours {mine:?}");
    }
}
