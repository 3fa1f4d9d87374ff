//! The tokio client against a tokio server of this crate: many tasks at once, events,
//! cancelled and timed-out calls, a peer that goes away, requests larger than a socket holds.

use std::time::{Duration, Instant};

use qapi_client::tokio::{Client, serve};
use qapi_client::{Closed, Config, Emitter, Error, EventFilter, ServerConfig, Service, Transport};
use serde_json::{Value, json};
use tokio::net::{UnixListener, UnixStream};

type Untyped = (String, Option<Value>);

/// Answers `echo` with its arguments, `burst` by emitting `count` events first, and never
/// answers `hang`.
fn test_service(emitter: Emitter) -> impl Service + 'static {
    move |message: &Value| {
        let id = message["id"].clone();
        match message["execute"].as_str() {
            Some("hang") => None,
            Some("burst") => {
                for seq in 0..message["arguments"]["count"].as_u64().unwrap_or(0) {
                    emitter.emit_raw("TICK", Some(json!({ "seq": seq })));
                }
                Some(json!({ "return": {}, "id": id }))
            }
            _ => Some(json!({ "return": message["arguments"].clone(), "id": id })),
        }
    }
}

/// Serves one connection with the test service until it ends.
async fn serve_test_service(stream: UnixStream) {
    let emitter = Emitter::new();
    let mut service = test_service(emitter.clone());
    let (reader, writer) = stream.into_split();
    let _ = serve(
        reader,
        writer,
        &mut service,
        &emitter,
        &ServerConfig::default(),
    )
    .await;
}

/// A client connected by path to a server of ours on a unix socket named after `test`;
/// aborting the returned task ends the server.
async fn served(test: &str, config: Config) -> (Client, tokio::task::JoinHandle<()>) {
    let path = std::env::temp_dir().join(format!("qapi-client-{}-{test}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        serve_test_service(stream).await;
    });
    let client = Client::connect(Transport::unix(&path), config)
        .await
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    (client, server)
}

/// Has `tasks` tasks each call `echo` `rounds` times, with the arguments `arguments` gives
/// for the task and round, and checks every reply.
async fn echo_from_tasks(
    client: &Client,
    tasks: usize,
    rounds: usize,
    arguments: fn(usize, usize) -> Value,
) {
    let tasks: Vec<_> = (0..tasks)
        .map(|task| {
            let client = client.clone();
            tokio::spawn(async move {
                for round in 0..rounds {
                    let arguments = arguments(task, round);
                    assert_eq!(
                        client.execute_raw("echo", &arguments).await.unwrap(),
                        arguments
                    );
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_each_get_their_own_reply() {
    let (client, _server) = served("sixty-four", Config::default()).await;
    echo_from_tasks(
        &client,
        64,
        20,
        |task, round| json!({ "task": task, "round": round }),
    )
    .await;
}

#[tokio::test]
async fn ten_thousand_events_reach_every_subscriber_in_order() {
    let (client, _server) = served("events", Config::default().event_capacity(16 << 10)).await;
    let subscribers: Vec<_> = (0..3)
        .map(|_| client.subscribe::<Untyped>(EventFilter::All))
        .collect();
    client
        .execute_raw("burst", &json!({ "count": 10_000 }))
        .await
        .unwrap();
    for mut subscriber in subscribers {
        for seq in 0..10_000 {
            let (name, data) = subscriber.recv().await.unwrap().event;
            assert_eq!((name.as_str(), data), ("TICK", Some(json!({ "seq": seq }))));
        }
    }
}

#[tokio::test]
async fn a_timed_out_or_dropped_call_leaves_the_connection_usable() {
    let config = Config::default().timeout(Duration::from_millis(200));
    let (client, _server) = served("timeout", config).await;
    let hung = client.execute_raw("hang", &json!({})).await;
    assert!(matches!(hung, Err(Error::Timeout)), "{hung:?}");
    let cancelled = tokio::time::timeout(
        Duration::from_millis(50),
        client.execute_raw("hang", &json!({})),
    )
    .await;
    assert!(cancelled.is_err());
    assert_eq!(
        client.execute_raw("echo", &json!([1])).await.unwrap(),
        json!([1])
    );
}

#[tokio::test]
async fn when_the_peer_goes_every_pending_call_fails_at_once() {
    let (client, server) = served("peer-goes", Config::default()).await;
    let callers: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let error = client.execute_raw("hang", &json!({})).await.unwrap_err();
                (error, Instant::now())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let closed_at = Instant::now();
    server.abort();
    for caller in callers {
        let (error, failed_at) = caller.await.unwrap();
        assert!(matches!(error, Error::Closed(Closed::ByPeer)), "{error:?}");
        assert!(failed_at - closed_at < Duration::from_millis(100));
    }
    let mut subscription = client.subscribe::<Untyped>(EventFilter::All);
    assert!(matches!(
        subscription.recv().await,
        Err(Error::Closed(Closed::ByPeer))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_larger_than_the_socket_holds_go_whole() {
    let (client, _server) = served("large", Config::default()).await;
    echo_from_tasks(
        &client,
        4,
        1,
        |task, _| json!({ "task": task, "text": "x".repeat(3 << 20) }),
    )
    .await;
}

#[tokio::test]
async fn any_pair_of_streams_carries_a_connection() {
    let (ours, theirs) = UnixStream::pair().unwrap();
    tokio::spawn(serve_test_service(theirs));
    let (reader, writer) = ours.into_split();
    let client = Client::from_io(reader, writer, Config::default())
        .await
        .unwrap();
    assert_eq!(
        client
            .execute_raw("echo", &json!({ "a": 1 }))
            .await
            .unwrap(),
        json!({ "a": 1 })
    );
}
