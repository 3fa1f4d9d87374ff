//! The disk-image flow through a live `qemu-storage-daemon` 10.0.2, spoken entirely through
//! the generated storage-daemon module: a file node is added, `blockdev-create` formats it as
//! qcow2 in a job whose progress arrives as decoded events, the job is dismissed, and
//! `qemu-img info` confirms the image QEMU wrote.
//!
//! Where a binary or QEMU's source tree is missing the test skips, unless
//! `QAPI_REQUIRE_LIVE=1` (set by `.ci/run`) makes that a failure.

#[cfg(qemu_source)]
mod live {
    use std::process::Command as Process;

    use qapi_generated_tests::storage_daemon::commands::{
        BlockdevAdd, BlockdevCreate, BlockdevDel, Command, JobDismiss, QueryJobs, Request,
        RequestMessage,
    };
    use qapi_generated_tests::storage_daemon::events::{Event, EventMessage};
    use qapi_generated_tests::storage_daemon::protocol;
    use qapi_generated_tests::storage_daemon::{JobStatus, JobType};
    use qapi_tests::peer::{Peer, Program};
    use serde_json::{Value, json};

    /// A session with the daemon that keeps the events it reads while waiting for replies.
    struct Session {
        peer: Peer,
        events: Vec<EventMessage>,
    }

    impl Session {
        /// Sends `command` and returns its decoded reply; every event that arrives before
        /// the reply is decoded and kept.
        fn call<C: Command + Into<Request>>(
            &mut self,
            command: C,
        ) -> Result<C::Returns, protocol::Error> {
            let message = RequestMessage {
                request: command.into(),
                id: Some(json!(C::NAME)),
                oob: false,
            };
            let request = serde_json::to_value(message).expect("a request encodes");
            self.peer.send(&request).expect("the request is sent");
            loop {
                let message = self.peer.read_message().expect("a message");
                if message.get("event").is_some() {
                    self.keep_event(message);
                    continue;
                }
                assert_eq!(message["id"], json!(C::NAME), "the reply echoes the id");
                return match message.get("return") {
                    Some(value) => Ok(serde_json::from_value(value.clone())
                        .unwrap_or_else(|error| panic!("{}: {value}: {error}", C::NAME))),
                    None => Err(serde_json::from_value(message["error"].clone())
                        .unwrap_or_else(|error| panic!("{}: {message}: {error}", C::NAME))),
                };
            }
        }

        /// Decodes an event message, checks that it encodes back to the same JSON, and
        /// keeps it.
        fn keep_event(&mut self, message: Value) {
            let event: EventMessage = serde_json::from_value(message.clone())
                .unwrap_or_else(|error| panic!("{message}: {error}"));
            assert!(
                !matches!(event.event, Event::Unrecognized { .. }),
                "an event the schema does not define: {message}"
            );
            assert_eq!(serde_json::to_value(&event).unwrap(), message);
            self.events.push(event);
        }

        /// Reads events until job `id` reaches `status`.
        fn wait_for_job(&mut self, id: &str, status: JobStatus) {
            let reached = |events: &[EventMessage]| {
                events.iter().any(|message| {
                    matches!(&message.event, Event::JobStatusChange(change)
                        if change.id == id && change.status == status)
                })
            };
            while !reached(&self.events) {
                let message = self.peer.read_message().expect("an event");
                assert!(message.get("event").is_some(), "unexpected reply {message}");
                self.keep_event(message);
            }
        }
    }

    /// Decodes a request's arguments from JSON into the generated command type, so the
    /// test states them the way QEMU's documentation does.
    fn arguments<C: Command>(value: Value) -> C {
        serde_json::from_value(value).unwrap_or_else(|error| panic!("{}: {error}", C::NAME))
    }

    #[test]
    fn blockdev_create_makes_a_qcow2_image() {
        let Some(peer) = Peer::start_or_skip(Program::StorageDaemon) else {
            return;
        };
        let image = peer.directory().join("disk.qcow2");
        std::fs::File::create(&image).expect("an empty image file");
        let mut session = Session {
            peer,
            events: Vec::new(),
        };
        const SIZE: u64 = 192 * 1024 * 1024;

        session
            .call(arguments::<BlockdevAdd>(json!({
                "driver": "file", "node-name": "protocol", "filename": image
            })))
            .expect("blockdev-add");
        session
            .call(arguments::<BlockdevCreate>(json!({
                "job-id": "format",
                "options": { "driver": "qcow2", "file": "protocol", "size": SIZE }
            })))
            .expect("blockdev-create");
        session.wait_for_job("format", JobStatus::Concluded);

        let jobs = session.call(QueryJobs).expect("query-jobs");
        let job = jobs.iter().find(|job| job.id == "format").expect("the job");
        assert_eq!(job.r#type, JobType::Create);
        assert_eq!(job.status, JobStatus::Concluded);
        assert_eq!(job.error, None, "the job failed");

        session
            .call(JobDismiss {
                id: "format".into(),
            })
            .expect("job-dismiss");
        session.wait_for_job("format", JobStatus::Null);
        assert!(session.call(QueryJobs).expect("query-jobs").is_empty());
        session
            .call(BlockdevDel {
                node_name: "protocol".into(),
            })
            .expect("blockdev-del");

        let statuses: Vec<&JobStatus> = session
            .events
            .iter()
            .filter_map(|message| match &message.event {
                Event::JobStatusChange(change) => Some(&change.status),
                _ => None,
            })
            .collect();
        assert_eq!(statuses.first(), Some(&&JobStatus::Created));
        assert!(statuses.contains(&&JobStatus::Running));

        let info = Process::new("qemu-img")
            .args(["info", "--output=json"])
            .arg(&image)
            .output()
            .expect("qemu-img runs");
        assert!(
            info.status.success(),
            "{}",
            String::from_utf8_lossy(&info.stderr)
        );
        let info: Value = serde_json::from_slice(&info.stdout).expect("JSON from qemu-img");
        assert_eq!(info["format"], "qcow2");
        assert_eq!(info["virtual-size"], SIZE);
    }
}
