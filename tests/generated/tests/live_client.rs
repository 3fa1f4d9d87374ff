//! `qapi-client` with the generated modules against live QEMU 10.0.2: `qemu-system-x86_64`,
//! `qemu-storage-daemon` and `qemu-ga`, blocking and on tokio. Commands, their events, a job
//! followed to its end, a file descriptor passed to a real command, QEMU quitting and QEMU
//! killed in the middle of a command. The QMP clients check every command against the
//! peer's own `query-qmp-schema` before sending it (`Config::validate`), so each command these
//! tests send is also validated against the live binary's introspection.
//!
//! Where a binary or QEMU's source tree is missing the tests skip, unless
//! `QAPI_REQUIRE_LIVE=1` (set by `.ci/run`) makes that a failure.

#[cfg(qemu_source)]
mod live {
    use std::os::fd::AsFd;
    use std::time::{Duration, Instant};

    use qapi_client::blocking::{Client, GuestAgent};
    use qapi_client::{Closed, Command, Config, Error, ErrorClass, EventFilter};
    use qapi_generated_tests::qmp::commands as qmp;
    use qapi_generated_tests::qmp::events::Event;
    use qapi_generated_tests::qmp::{JobStatus, RunState};
    use qapi_generated_tests::{qga, storage_daemon};
    use qapi_tests::peer::{Process, Program};
    use serde_json::{Value, json};

    /// How long any one step may take before the test fails.
    const PATIENCE: Duration = Duration::from_secs(30);

    /// A stopped PC with a USB controller to plug devices into.
    fn machine() -> Option<Process> {
        Process::start_or_skip(
            Program::SystemX86,
            &["-machine", "pc", "-S", "-device", "qemu-xhci,id=usb"],
        )
    }

    fn connect(process: &Process) -> Client {
        Client::connect(
            qapi_client::Transport::unix(process.socket()),
            Config::default().timeout(PATIENCE).validate(true),
        )
        .expect("the client connects")
    }

    /// A command's arguments from JSON, the way QEMU's documentation states them.
    fn arguments<C: Command>(value: Value) -> C {
        serde_json::from_value(value).unwrap_or_else(|error| panic!("{}: {error}", C::NAME))
    }

    #[test]
    fn greeting_query_and_the_events_of_stop_and_cont() {
        let Some(process) = machine() else { return };
        let client = connect(&process);
        assert_eq!(client.greeting().version.qemu.major, 10);
        assert!(
            client.oob_enabled(),
            "QEMU offers oob and the client takes it"
        );

        let status = client.execute(qmp::QueryStatus).unwrap();
        assert_eq!(
            (status.status, status.running),
            (RunState::Prelaunch, false)
        );

        let events = client.subscribe::<Event>(EventFilter::names(["RESUME", "STOP"]));
        client.execute(qmp::Cont).unwrap();
        let resumed = events
            .wait_for(|event| matches!(event, Event::Resume(_)), PATIENCE)
            .unwrap();
        assert!(resumed.timestamp.is_some_and(|time| time.seconds > 0));
        client.execute(qmp::Stop).unwrap();
        events
            .wait_for(|event| matches!(event, Event::Stop(_)), PATIENCE)
            .unwrap();
        let status = client.execute(qmp::QueryStatus).unwrap();
        assert_eq!(status.status, RunState::Paused);

        let error = client
            .execute(qmp::QomGet {
                path: "/nowhere".into(),
                property: "type".into(),
            })
            .unwrap_err();
        assert!(
            matches!(&error, Error::Qmp(error) if error.class == ErrorClass::DeviceNotFound),
            "{error:?}"
        );
    }

    #[test]
    fn a_device_is_added_and_its_deletion_awaited() {
        let Some(process) = machine() else { return };
        let client = connect(&process);
        let deleted = client.subscribe::<Event>(EventFilter::names(["DEVICE_DELETED"]));
        client
            .execute(arguments::<qmp::DeviceAdd>(json!({
                "driver": "usb-kbd", "id": "keyboard", "bus": "usb.0"
            })))
            .unwrap();
        client
            .execute(qmp::DeviceDel {
                id: "keyboard".into(),
            })
            .unwrap();
        let event = deleted
            .wait_for(
                |event| matches!(event, Event::DeviceDeleted(device) if device.device.as_deref() == Some("keyboard")),
                PATIENCE,
            )
            .unwrap();
        let Event::DeviceDeleted(device) = event.event else {
            unreachable!()
        };
        assert_eq!(device.path, "/machine/peripheral/keyboard");
    }

    #[test]
    fn a_blockdev_create_job_is_followed_to_its_end() {
        let Some(process) = machine() else { return };
        let client = connect(&process);
        let image = process.directory().join("image.raw");
        let jobs = client.subscribe::<Event>(EventFilter::names(["JOB_STATUS_CHANGE"]));
        let reaches = |status: JobStatus| move |event: &Event| matches!(event, Event::JobStatusChange(change) if change.id == "create" && change.status == status);
        client
            .execute(arguments::<qmp::BlockdevCreate>(json!({
                "job-id": "create",
                "options": { "driver": "file", "filename": image, "size": 1 << 20 }
            })))
            .unwrap();
        jobs.wait_for(reaches(JobStatus::Concluded), PATIENCE)
            .unwrap();
        let listed = client.execute(qmp::QueryJobs).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].error, None, "the job failed");
        client
            .execute(qmp::JobDismiss {
                id: "create".into(),
            })
            .unwrap();
        jobs.wait_for(reaches(JobStatus::Null), PATIENCE).unwrap();
        assert_eq!(std::fs::metadata(&image).unwrap().len(), 1 << 20);
    }

    #[test]
    fn a_file_descriptor_passed_with_add_fd_backs_a_block_node() {
        let Some(process) = machine() else { return };
        let client = connect(&process);
        let path = process.directory().join("passed.raw");
        let file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        file.set_len(4 << 20).unwrap();
        let added = client
            .execute_with_fds(
                qmp::AddFd {
                    fdset_id: Some(7),
                    opaque: None,
                },
                &[file.as_fd()],
            )
            .unwrap();
        assert_eq!(added.fdset_id, 7);
        client
            .execute(arguments::<qmp::BlockdevAdd>(json!({
                "driver": "file", "node-name": "passed", "filename": "/dev/fdset/7"
            })))
            .unwrap();
        let nodes = client
            .execute(qmp::QueryNamedBlockNodes { flat: Some(true) })
            .unwrap();
        let node = nodes
            .iter()
            .find(|node| node.node_name.as_deref() == Some("passed"))
            .unwrap();
        assert_eq!(node.image.virtual_size, 4 << 20);

        let refused = client.execute_with_fds(qmp::Getfd { fdname: "x".into() }, &[]);
        assert!(
            matches!(refused, Err(Error::Qmp(_))),
            "getfd without a descriptor: {refused:?}"
        );
    }

    #[test]
    fn out_of_band_commands_are_answered_with_their_own_id() {
        let Some(process) = machine() else { return };
        let client = connect(&process);
        let error = client.execute_oob(qmp::MigratePause).unwrap_err();
        assert!(
            matches!(&error, Error::Qmp(error) if error.class == ErrorClass::GenericError),
            "{error:?}"
        );
        let refused = client.execute_oob(qmp::QueryStatus);
        assert!(matches!(refused, Err(Error::Unsupported(_))), "{refused:?}");
    }

    #[test]
    fn quit_gives_shutdown_then_the_end_of_the_stream() {
        let Some(mut process) = machine() else { return };
        let client = connect(&process);
        let events = client.subscribe::<Event>(EventFilter::All);
        client.execute(qmp::Quit).unwrap();
        let shutdown = events
            .wait_for(|event| matches!(event, Event::Shutdown(_)), PATIENCE)
            .unwrap();
        let Event::Shutdown(shutdown) = shutdown.event else {
            unreachable!()
        };
        assert!(!shutdown.guest);
        let end = events.recv_timeout(PATIENCE);
        assert!(matches!(end, Err(Error::Closed(Closed::ByPeer))), "{end:?}");
        assert!(matches!(
            client.execute(qmp::QueryStatus),
            Err(Error::Closed(Closed::ByPeer))
        ));
        assert!(
            process
                .wait_exit(PATIENCE)
                .is_some_and(|status| status.success())
        );
    }

    #[test]
    fn a_killed_qemu_fails_the_pending_call_within_100_ms() {
        let Some(mut process) = machine() else { return };
        let client = connect(&process);
        // Stopped by SIGSTOP, QEMU reads nothing, so the call is still pending when it dies.
        let stopped = std::process::Command::new("kill")
            .args(["-STOP", &process.pid().to_string()])
            .status()
            .unwrap();
        assert!(stopped.success());
        let caller = {
            let client = client.clone();
            std::thread::spawn(move || (client.execute(qmp::QueryStatus), Instant::now()))
        };
        std::thread::sleep(Duration::from_millis(300));
        let killed_at = Instant::now();
        process.kill();
        let (outcome, failed_at) = caller.join().unwrap();
        assert!(
            matches!(outcome, Err(Error::Closed(Closed::ByPeer))),
            "{outcome:?}"
        );
        let delay = failed_at.saturating_duration_since(killed_at);
        assert!(
            delay < Duration::from_millis(100),
            "the call failed {delay:?} after the kill"
        );
    }

    #[test]
    fn qemu_spoken_to_over_its_standard_input_and_output() {
        let Some(executable) = qapi_tests::peer::find_executable("qemu-system-x86_64") else {
            qapi_tests::unavailable("qemu-system-x86_64 is not installed");
            return;
        };
        let mut command = std::process::Command::new(executable);
        command.args([
            "-machine",
            "none",
            "-nodefaults",
            "-display",
            "none",
            "-qmp",
            "stdio",
        ]);
        let client = Client::connect(
            qapi_client::Transport::Spawn(command),
            Config::default().timeout(PATIENCE).validate(true),
        )
        .unwrap();
        assert_eq!(
            client.execute(qmp::QueryStatus).unwrap().status,
            RunState::Running
        );
        let events = client.subscribe::<Event>(EventFilter::names(["SHUTDOWN"]));
        client.execute(qmp::Quit).unwrap();
        events.wait_for(|_| true, PATIENCE).unwrap();
        assert!(matches!(
            events.recv_timeout(PATIENCE),
            Err(Error::Closed(Closed::ByPeer))
        ));
    }

    #[test]
    fn the_tokio_client_runs_commands_and_follows_events() {
        let Some(process) = machine() else { return };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let transport = qapi_client::Transport::unix(process.socket());
            let client = qapi_client::tokio::Client::connect(
                transport,
                Config::default().timeout(PATIENCE).validate(true),
            )
            .await
            .unwrap();
            let mut events =
                client.subscribe::<Event>(EventFilter::names(["RESUME", "STOP", "SHUTDOWN"]));
            let (status, _) = tokio::join!(
                client.execute(qmp::QueryStatus),
                client.execute(qmp::QueryName)
            );
            assert_eq!(status.unwrap().status, RunState::Prelaunch);
            let file = std::fs::File::create(process.directory().join("tokio.raw")).unwrap();
            let added = client
                .execute_with_fds(
                    qmp::AddFd {
                        fdset_id: Some(3),
                        opaque: None,
                    },
                    &[file.as_fd()],
                )
                .await
                .unwrap();
            assert_eq!(added.fdset_id, 3);
            client.execute(qmp::Cont).await.unwrap();
            events
                .wait_for(|event| matches!(event, Event::Resume(_)), PATIENCE)
                .await
                .unwrap();
            client.execute(qmp::Quit).await.unwrap();
            events
                .wait_for(|event| matches!(event, Event::Shutdown(_)), PATIENCE)
                .await
                .unwrap();
            assert!(matches!(
                events.recv().await,
                Err(Error::Closed(Closed::ByPeer))
            ));
        });
    }

    #[test]
    fn the_storage_daemon_blocking_and_on_tokio() {
        use storage_daemon::commands as sd;
        let Some(process) = Process::start_or_skip(Program::StorageDaemon, &[]) else {
            return;
        };
        let config = Config::default().timeout(PATIENCE).validate(true);
        {
            let client = Client::connect(
                qapi_client::Transport::unix(process.socket()),
                config.clone(),
            )
            .unwrap();
            client
                .execute(
                    serde_json::from_value::<sd::BlockdevAdd>(json!({
                        "driver": "null-co", "node-name": "null", "size": 4096
                    }))
                    .unwrap(),
                )
                .unwrap();
            let nodes = client
                .execute(sd::QueryNamedBlockNodes { flat: Some(true) })
                .unwrap();
            assert!(
                nodes
                    .iter()
                    .any(|node| node.node_name.as_deref() == Some("null"))
            );
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let transport = qapi_client::Transport::unix(process.socket());
            let client = qapi_client::tokio::Client::connect(transport, config)
                .await
                .unwrap();
            let nodes = client
                .execute(sd::QueryNamedBlockNodes { flat: Some(true) })
                .await
                .unwrap();
            assert!(
                nodes
                    .iter()
                    .any(|node| node.node_name.as_deref() == Some("null"))
            );
            client
                .execute(sd::BlockdevDel {
                    node_name: "null".into(),
                })
                .await
                .unwrap();
        });
    }

    #[test]
    fn the_guest_agent_blocking_on_tokio_and_after_it_restarts() {
        use qga::commands as ga;
        let Some(mut process) = Process::start_or_skip(Program::GuestAgent, &[]) else {
            return;
        };
        let config = Config::default().timeout(PATIENCE);
        let agent = GuestAgent::connect(
            qapi_client::Transport::unix(process.socket()),
            config.clone(),
        )
        .unwrap();
        let info = agent.execute(ga::GuestInfo).unwrap();
        assert!(info.version.starts_with("10.0"), "{}", info.version);
        let host = agent.execute(ga::GuestGetHostName).unwrap();
        assert!(!host.host_name.is_empty());

        process.restart().unwrap();
        let again = agent.execute(ga::GuestInfo).unwrap();
        assert_eq!(
            again.version, info.version,
            "the client connected to the new agent"
        );

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let transport = qapi_client::Transport::unix(process.socket());
            drop(agent);
            let agent = qapi_client::tokio::GuestAgent::connect(transport, config)
                .await
                .unwrap();
            let time = agent.execute(ga::GuestGetTime).await.unwrap();
            assert!(time > 0);
            agent.sync().await.unwrap();
            let zone = agent.execute(ga::GuestGetTimezone).await.unwrap();
            assert!(zone.offset.abs() <= 14 * 3600);
        });
    }
}
