//! The client against a live `qemu-ga` 10.0.2 (Debian package `qemu-guest-agent`) listening on
//! a unix socket: bindings from the 9.1 schema decode every reply of the newer agent.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `qemu-ga` process, killed when dropped.
struct AgentProcess(Child);

impl Drop for AgentProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_agent(directory: &Path) -> Option<AgentProcess> {
    let socket = directory.join("qga.sock");
    let child = Command::new("qemu-ga")
        .args(["-m", "unix-listen", "-p"])
        .arg(&socket)
        .arg("-t")
        .arg(directory)
        .arg("-f")
        .arg(directory.join("qga.pid"))
        .env("QGA_CONF", directory.join("none.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let agent = AgentProcess(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "qemu-ga did not open its socket");
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(agent)
}

#[test]
fn reports_the_guest() {
    let directory = std::env::temp_dir().join(format!("guest-agent-client-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let Some(_agent) = start_agent(&directory) else {
        qapi_tests::unavailable("qemu-ga is not installed");
        return;
    };
    let report = guest_agent_client::report(&directory.join("qga.sock")).unwrap();
    assert!(report.version.starts_with("10.0"), "{report:?}");
    let host_name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(report.host_name, host_name.trim());
    assert!(report.os.is_some(), "{report:?}");
    let _ = std::fs::remove_dir_all(&directory);
}
