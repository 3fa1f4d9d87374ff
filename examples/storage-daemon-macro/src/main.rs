//! `storage-daemon-macro SOCKET`: connects to the monitor of the `qemu-storage-daemon` at
//! SOCKET, prints its version, and adds, lists and removes a null block node.

use storage_daemon_macro::storage::commands::QueryVersion;

fn main() -> std::process::ExitCode {
    let Some(socket) = std::env::args_os().nth(1) else {
        eprintln!("usage: storage-daemon-macro SOCKET");
        return std::process::ExitCode::from(2);
    };
    let run = || -> Result<(), qapi_client::Error> {
        let monitor = qapi_client::blocking::Client::unix(socket)?;
        let version = monitor.execute(QueryVersion)?;
        let qemu = version.qemu;
        println!(
            "qemu-storage-daemon {}.{}.{} ({})",
            qemu.major, qemu.minor, qemu.micro, version.package
        );
        for node in storage_daemon_macro::null_node_round_trip(&monitor, "example-null", 1 << 20)? {
            println!(
                "node {} ({}, read-only: {})",
                node.node_name, node.drv, node.ro
            );
        }
        Ok(())
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("storage-daemon-macro: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
