//! The client against servers of this crate and hand-made broken peers: time limits, peers
//! that die or talk nonsense, many callers at once, floods of events.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use qapi_client::blocking::{self, Client};
use qapi_client::{Closed, Config, Emitter, Error, EventFilter, ServerConfig, Service, Transport};
use serde_json::{Value, json};

type Untyped = (String, Option<Value>);

/// Answers `echo` with its arguments, `burst` by emitting `count` events first, and never
/// answers `hang`.
fn test_service(emitter: Emitter) -> impl Service {
    move |message: &Value| {
        let id = message["id"].clone();
        let arguments = message["arguments"].clone();
        match message["execute"].as_str() {
            Some("hang") => None,
            Some("burst") => {
                for seq in 0..arguments["count"].as_u64().unwrap_or(0) {
                    emitter.emit_raw("TICK", Some(json!({ "seq": seq })));
                }
                Some(json!({ "return": {}, "id": id }))
            }
            _ => Some(json!({ "return": arguments, "id": id })),
        }
    }
}

/// Serves one connection with the test service until it ends.
fn serve_test_service(stream: UnixStream) {
    let emitter = Emitter::new();
    let mut service = test_service(emitter.clone());
    let writer = stream.try_clone().unwrap();
    let _ = blocking::serve(
        stream,
        writer,
        &mut service,
        &emitter,
        &ServerConfig::default(),
    );
}

/// A client connected by path, as to QEMU's monitor, to a unix socket whose one
/// connection `peer` handles in a thread.
fn connect_to(config: Config, peer: impl FnOnce(UnixStream) + Send + 'static) -> Client {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "qapi-client-faults-{}-{}.sock",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || peer(listener.accept().unwrap().0));
    let client = Client::connect(Transport::unix(&path), config).unwrap();
    std::fs::remove_file(&path).unwrap();
    client
}

/// A client connected to a server of ours running in a thread.
fn served(config: Config) -> Client {
    connect_to(config, serve_test_service)
}

/// A client connected to a peer that greets, accepts negotiation, then runs `then` on the
/// raw connection.
fn handmade(
    then: impl FnOnce(&mut BufReader<UnixStream>, &mut UnixStream) + Send + 'static,
) -> Client {
    connect_to(Config::default(), move |theirs| {
        let mut writer = theirs.try_clone().unwrap();
        let mut reader = BufReader::new(theirs);
        writeln!(writer, r#"{{"QMP": {{"version": {{"qemu": {{"major": 1, "minor": 2, "micro": 3}}, "package": ""}}, "capabilities": []}}}}"#).unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let id = serde_json::from_str::<Value>(&line).unwrap()["id"].clone();
        writeln!(writer, "{}", json!({ "return": {}, "id": id })).unwrap();
        then(&mut reader, &mut writer);
    })
}

fn next_line(reader: &mut BufReader<UnixStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

#[test]
fn the_greeting_is_read() {
    let client = handmade(|_, _| {});
    assert_eq!(client.greeting().version.qemu.minor, 2);
    assert!(!client.oob_enabled());
}

#[test]
fn a_peer_that_never_answers_times_out_and_the_connection_goes_on() {
    let client = served(Config::default());
    let started = Instant::now();
    let error = client.execute_raw_timeout("hang", &json!({}), Duration::from_millis(200));
    assert!(matches!(error, Err(Error::Timeout)), "{error:?}");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(200) && waited < Duration::from_secs(2));
    assert_eq!(
        client.execute_raw("echo", &json!({ "a": 1 })).unwrap(),
        json!({ "a": 1 })
    );
}

#[test]
fn garbage_ends_the_connection_with_what_was_received() {
    let client = handmade(|reader, writer| {
        next_line(reader);
        writeln!(writer, "this is not JSON").unwrap();
    });
    let error = client.execute_raw("query-status", &json!({})).unwrap_err();
    match &error {
        Error::Closed(Closed::Protocol(what)) => {
            assert!(what.contains("this is not JSON"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.execute_raw("query-status", &json!({})),
        Err(Error::Closed(_))
    ));
}

#[test]
fn a_16_mib_line_is_refused_without_reading_it_all() {
    let client = handmade(|reader, writer| {
        next_line(reader);
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..16 {
            if writer.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = writer.write_all(b"{}\n");
    });
    let error = client.execute_raw("query-status", &json!({})).unwrap_err();
    assert!(
        matches!(error, Error::Closed(Closed::TooLong(limit)) if limit == qapi_client::DEFAULT_MAX_MESSAGE),
        "{error:?}"
    );
}

#[test]
fn when_the_peer_goes_every_pending_call_fails_at_once() {
    let (hung_up, hang_up) = std::sync::mpsc::channel::<()>();
    let client = handmade(move |reader, writer| {
        for _ in 0..3 {
            next_line(reader);
        }
        hang_up.recv().unwrap();
        writer.shutdown(std::net::Shutdown::Both).unwrap();
    });
    let callers: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                let error = client.execute_raw("query-status", &json!({})).unwrap_err();
                (error, Instant::now())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let closed_at = Instant::now();
    hung_up.send(()).unwrap();
    for caller in callers {
        let (error, failed_at) = caller.join().unwrap();
        assert!(matches!(error, Error::Closed(Closed::ByPeer)), "{error:?}");
        assert!(failed_at - closed_at < Duration::from_millis(100));
    }
}

#[test]
fn sixty_four_callers_each_get_their_own_reply() {
    let client = served(Config::default());
    let callers: Vec<_> = (0..64)
        .map(|n| {
            let client = client.clone();
            std::thread::spawn(move || {
                for round in 0..20 {
                    let arguments = json!({ "caller": n, "round": round });
                    assert_eq!(client.execute_raw("echo", &arguments).unwrap(), arguments);
                }
            })
        })
        .collect();
    for caller in callers {
        caller.join().unwrap();
    }
}

#[test]
fn ten_thousand_events_reach_every_subscriber_in_order() {
    let client = served(Config::default().event_capacity(16 << 10));
    let subscribers: Vec<_> = (0..3)
        .map(|_| client.subscribe::<Untyped>(EventFilter::names(["TICK"])))
        .collect();
    client
        .execute_raw("burst", &json!({ "count": 10_000 }))
        .unwrap();
    for subscriber in subscribers {
        for seq in 0..10_000 {
            let (name, data) = subscriber.recv().unwrap().event;
            assert_eq!(name, "TICK");
            assert_eq!(data, Some(json!({ "seq": seq })));
        }
        assert!(subscriber.try_recv().is_none());
    }
}

#[test]
fn a_slow_subscriber_is_told_how_many_events_it_missed() {
    let client = served(Config::default().event_capacity(10));
    let subscriber = client.subscribe::<Untyped>(EventFilter::All);
    client
        .execute_raw("burst", &json!({ "count": 25 }))
        .unwrap();
    assert!(matches!(subscriber.recv(), Err(Error::Missed(15))));
    for seq in 15..25 {
        assert_eq!(
            subscriber.recv().unwrap().event.1,
            Some(json!({ "seq": seq }))
        );
    }
}

#[test]
fn wait_for_passes_over_other_events_and_times_out() {
    let client = served(Config::default());
    let subscriber = client.subscribe::<Untyped>(EventFilter::All);
    client
        .execute_raw("burst", &json!({ "count": 50 }))
        .unwrap();
    let found = subscriber
        .wait_for(
            |(_, data)| data.as_ref().is_some_and(|d| d["seq"] == 42),
            Duration::from_secs(5),
        )
        .unwrap();
    assert!(found.timestamp.is_some());
    let started = Instant::now();
    let missing = subscriber.wait_for(|_| false, Duration::from_millis(300));
    assert!(matches!(missing, Err(Error::Timeout)), "{missing:?}");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn a_filter_picks_events_by_name_and_data() {
    let client = served(Config::default());
    let even = client.subscribe::<Untyped>(EventFilter::matching(|_, data| {
        data.and_then(|data| data["seq"].as_u64())
            .is_some_and(|seq| seq % 2 == 0)
    }));
    let none = client.subscribe::<Untyped>(EventFilter::names(["STOP"]));
    client.execute_raw("burst", &json!({ "count": 6 })).unwrap();
    let seen: Vec<_> = (0..3)
        .map(|_| even.recv().unwrap().event.1.unwrap()["seq"].clone())
        .collect();
    assert_eq!(seen, vec![json!(0), json!(2), json!(4)]);
    assert!(none.try_recv().is_none());
}

#[test]
fn a_server_and_a_client_over_tcp() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let emitter = Emitter::new();
        let mut service = test_service(emitter.clone());
        blocking::serve(
            stream.try_clone().unwrap(),
            stream,
            &mut service,
            &emitter,
            &ServerConfig::default(),
        )
    });
    let client = Client::connect(qapi_client::Transport::Tcp(address), Config::default()).unwrap();
    let ticks = client.subscribe::<Untyped>(EventFilter::All);
    client.execute_raw("burst", &json!({ "count": 2 })).unwrap();
    assert_eq!(
        client
            .execute_raw("echo", &json!({ "over": "tcp" }))
            .unwrap(),
        json!({ "over": "tcp" })
    );
    assert_eq!(ticks.recv().unwrap().event.1, Some(json!({ "seq": 0 })));
}

#[test]
fn a_peer_that_never_greets_makes_connecting_fail() {
    let (ours, theirs) = UnixStream::pair().unwrap();
    let started = Instant::now();
    let config = Config::default().timeout(Duration::from_millis(200));
    let error = Client::from_io(ours.try_clone().unwrap(), ours, config).unwrap_err();
    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(theirs);
}

#[test]
fn any_pair_of_streams_carries_a_connection() {
    let (ours, theirs) = UnixStream::pair().unwrap();
    std::thread::spawn(move || serve_test_service(theirs));
    let client = Client::from_io(ours.try_clone().unwrap(), ours, Config::default()).unwrap();
    assert_eq!(
        client.execute_raw("echo", &json!({ "a": 1 })).unwrap(),
        json!({ "a": 1 })
    );
    let events = client.subscribe::<Untyped>(EventFilter::All);
    client.execute_raw("burst", &json!({ "count": 3 })).unwrap();
    for seq in 0..3 {
        let (name, data) = events.recv().unwrap().event;
        assert_eq!((name.as_str(), data), ("TICK", Some(json!({ "seq": seq }))));
    }
}

#[test]
fn an_event_that_comes_between_calls_reaches_its_subscriber() {
    let client = handmade(|reader, writer| {
        let id = serde_json::from_str::<Value>(&next_line(reader)).unwrap()["id"].clone();
        writeln!(writer, "{}", json!({ "return": {}, "id": id })).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        writeln!(
            writer,
            r#"{{"event": "LATE", "timestamp": {{"seconds": 1, "microseconds": 2}}}}"#
        )
        .unwrap();
        std::thread::sleep(Duration::from_secs(5));
    });
    let events = client.subscribe::<Untyped>(EventFilter::All);
    client.execute_raw("anything", &json!({})).unwrap();
    let (name, _) = events.recv_timeout(Duration::from_secs(2)).unwrap().event;
    assert_eq!(name, "LATE");
}

#[test]
fn callers_that_give_up_leave_the_others_their_replies() {
    let client = served(Config::default());
    std::thread::scope(|scope| {
        for n in 0..6 {
            let client = client.clone();
            scope.spawn(move || {
                for round in 0..40 {
                    let arguments = json!({ "caller": n, "round": round });
                    assert_eq!(client.execute_raw("echo", &arguments).unwrap(), arguments);
                }
            });
        }
        for _ in 0..2 {
            let client = client.clone();
            scope.spawn(move || {
                for _ in 0..5 {
                    let hung =
                        client.execute_raw_timeout("hang", &json!({}), Duration::from_millis(30));
                    assert!(matches!(hung, Err(Error::Timeout)), "{hung:?}");
                }
            });
        }
    });
}
