//! A client no one here wrote: QEMU's own Python `qemu.qmp` (from PyPI, in the virtual
//! environment `.ci/run` makes) orders coffee from the machine over a unix socket. It reads
//! the greeting, negotiates, runs commands, gets an error and receives an event.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// The Python of the virtual environment with `qemu.qmp`.
fn python() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    let python = cache.join("qapi-toolchain/qemu-qmp-venv/bin/python");
    python.is_file().then_some(python)
}

#[test]
fn qemu_qmp_orders_coffee() {
    let Some(python) = python() else {
        qapi_tests::unavailable("the qemu.qmp virtual environment is not set up (see .ci/run)");
        return;
    };
    let directory = std::env::temp_dir().join(format!("coffee-python-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let socket = directory.join("coffee.sock");
    let mut machine = Command::new(env!("CARGO_BIN_EXE_coffee-machine"))
        .arg(&socket)
        .spawn()
        .unwrap();
    while !socket.exists() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/qemu_qmp_client.py");
    let output = Command::new(python)
        .args([script.as_ref(), socket.as_os_str()])
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    let _ = machine.kill();
    let _ = machine.wait();
    let _ = std::fs::remove_dir_all(&directory);
    assert!(output.status.success(), "the Python client failed");
    let seen: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        seen,
        json!({
            "version": { "major": 1, "minor": 0, "micro": 0 },
            "status": { "state": "idle", "water-percent": 100, "beans-grams": 500, "drinks-served": 0 },
            "brew": {},
            "event": { "event": "DRINK_READY", "data": { "kind": "espresso", "millilitres": 30 } },
            "error": "GenericError",
            "after": { "state": "idle", "water-percent": 99, "beans-grams": 491, "drinks-served": 1 },
        })
    );
}
