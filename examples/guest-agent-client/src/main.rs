//! `guest-agent-client SOCKET`: prints what the guest agent listening on SOCKET reports.

fn main() -> std::process::ExitCode {
    let Some(socket) = std::env::args_os().nth(1) else {
        eprintln!("usage: guest-agent-client SOCKET");
        return std::process::ExitCode::from(2);
    };
    match guest_agent_client::report(std::path::Path::new(&socket)) {
        Ok(report) => {
            println!("agent version: {}", report.version);
            println!("host name:     {}", report.host_name);
            println!(
                "system:        {}",
                report.os.as_deref().unwrap_or("unknown")
            );
            println!("UTC offset:    {} s", report.utc_offset);
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("guest-agent-client: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
