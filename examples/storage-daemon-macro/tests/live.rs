//! The example against a live `qemu-storage-daemon` 10.0.2 (Debian package `qemu-utils`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use qapi_client::blocking::Client;
use qapi_client::{Error, ErrorClass};
use storage_daemon_macro::storage;

/// A `qemu-storage-daemon` process, killed when dropped.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_daemon(socket: &Path) -> Option<Daemon> {
    let child = Command::new("qemu-storage-daemon")
        .arg("--chardev")
        .arg(format!(
            "socket,path={},server=on,wait=off,id=monitor0",
            socket.display()
        ))
        .args(["--monitor", "chardev=monitor0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let daemon = Daemon(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        assert!(
            Instant::now() < deadline,
            "qemu-storage-daemon did not open its socket"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(daemon)
}

#[test]
fn adds_lists_and_removes_a_node() {
    let directory =
        std::env::temp_dir().join(format!("storage-daemon-macro-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let socket = directory.join("monitor.sock");
    let Some(_daemon) = start_daemon(&socket) else {
        qapi_tests::unavailable("qemu-storage-daemon is not installed");
        return;
    };
    let monitor = Client::unix(&socket).unwrap();
    let version = monitor.execute(storage::commands::QueryVersion).unwrap();
    assert_eq!((version.qemu.major, version.qemu.minor), (10, 0));

    let nodes = storage_daemon_macro::null_node_round_trip(&monitor, "probe", 4096).unwrap();
    let node = nodes.iter().find(|node| node.node_name == "probe").unwrap();
    assert_eq!((node.drv.as_str(), node.ro), ("null-co", true));
    let after = monitor
        .execute(storage::commands::QueryNamedBlockNodes { flat: Some(true) })
        .unwrap();
    assert!(after.iter().all(|node| node.node_name != "probe"));

    // A second delete is the daemon's error, decoded.
    let error = monitor
        .execute(storage::commands::BlockdevDel {
            node_name: "probe".into(),
        })
        .unwrap_err();
    let Error::Qmp(error) = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.class, ErrorClass::GenericError);
    let _ = std::fs::remove_dir_all(&directory);
}
