//! Our server for the benchmark (`qapi-client-bench serve`): `qapi_client::blocking::serve`
//! on unix sockets, a thread per connection, answering `query-status` with the reply
//! `qemu-system-x86_64 -machine none` gives and any other command with `CommandNotFound`.
//! Like QEMU it offers out-of-band execution, so that every client tags its requests with an
//! `id`. It runs until it is killed.

use std::os::unix::net::UnixListener;
use std::path::PathBuf;

use qapi_client::blocking::serve;
use qapi_client::{Emitter, ServerConfig, VersionNumbers};
use serde_json::{Value, json};

/// Listens on every socket in `sockets` and serves whoever connects; never returns unless a
/// socket cannot be bound.
pub fn run(sockets: &[PathBuf]) -> Result<(), String> {
    let listeners = sockets
        .iter()
        .map(|path| {
            UnixListener::bind(path).map_err(|error| format!("{}: {error}", path.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let emitter = Emitter::new();
    let config = ServerConfig {
        version: VersionNumbers {
            major: 10,
            minor: 0,
            micro: 2,
        },
        package: "qapi-client-bench".to_owned(),
        oob: true,
    };
    std::thread::scope(|scope| {
        for listener in &listeners {
            let (emitter, config) = (&emitter, &config);
            scope.spawn(move || {
                for stream in listener.incoming().flatten() {
                    let (emitter, config) = (emitter.clone(), config.clone());
                    std::thread::spawn(move || {
                        let Ok(reader) = stream.try_clone() else {
                            return;
                        };
                        // A client that goes away mid-line is no concern of the benchmark.
                        let _ = serve(reader, stream, &mut answer, &emitter, &config);
                    });
                }
            });
        }
    });
    Ok(())
}

/// The reply to one request, with its `id` if it had one.
fn answer(request: &Value) -> Option<Value> {
    let mut response = match request.get("execute").and_then(Value::as_str) {
        Some("query-status") => json!({ "return": { "status": "running", "running": true } }),
        Some("query-name") => json!({ "return": {} }),
        name => json!({ "error": {
            "class": "CommandNotFound",
            "desc": format!("The command {} has not been found", name.unwrap_or("")),
        }}),
    };
    if let Some(id) = request.get("id") {
        response["id"] = id.clone();
    }
    Some(response)
}
