//! A guest-agent client: typed requests to `qemu-ga` through `qapi-client`, on bindings that
//! `build.rs` generates from QEMU 9.1's schema with the `runtime` option. Forward-compatible
//! decoding lets the same bindings read the replies of newer agents.

use std::path::Path;

use qapi_client::blocking::GuestAgent;

/// The generated bindings.
pub mod qga {
    include!(concat!(env!("OUT_DIR"), "/qga.rs"));
}

use qga::commands::{GuestGetHostName, GuestGetOsinfo, GuestGetTimezone, GuestInfo};

/// What an agent tells about its guest.
#[derive(Debug)]
pub struct Report {
    /// The agent's version.
    pub version: String,
    /// The guest's host name.
    pub host_name: String,
    /// The guest's operating system, as it names itself.
    pub os: Option<String>,
    /// The guest's time zone offset from UTC, in seconds.
    pub utc_offset: i64,
}

/// Asks the agent at `socket` about its guest.
pub fn report(socket: &Path) -> Result<Report, qapi_client::Error> {
    // Connecting synchronises with the agent, so no reply meant for an earlier client is
    // taken for ours.
    let agent = GuestAgent::unix(socket)?;
    let info = agent.execute(GuestInfo)?;
    let host = agent.execute(GuestGetHostName)?;
    let os = agent.execute(GuestGetOsinfo)?;
    let timezone = agent.execute(GuestGetTimezone)?;
    Ok(Report {
        version: info.version,
        host_name: host.host_name,
        os: os.pretty_name,
        utc_offset: timezone.offset,
    })
}
