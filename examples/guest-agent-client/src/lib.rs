//! A guest-agent client: typed requests to `qemu-ga` over a unix socket, on bindings that
//! `build.rs` generates from QEMU 9.1's schema. Forward-compatible decoding lets the same
//! bindings read the replies of newer agents.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

/// The generated bindings.
pub mod qga {
    include!(concat!(env!("OUT_DIR"), "/qga.rs"));
}

use qga::commands::{Command, GuestSyncDelimited, Request, RequestMessage};

/// Why a request failed.
#[derive(Debug)]
pub enum Error {
    /// The socket failed.
    Io(std::io::Error),
    /// The agent answered with an error.
    Agent(qga::protocol::Error),
    /// The answer did not decode.
    Decode(String),
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::Io(error)
    }
}

/// A connection to a guest agent.
pub struct Agent {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Agent {
    /// Connects to the agent's socket and synchronises with it, so that no reply to an
    /// earlier client is mistaken for ours.
    pub fn connect(socket: &Path) -> Result<Agent, Error> {
        let writer = UnixStream::connect(socket)?;
        let reader = BufReader::new(writer.try_clone()?);
        let mut agent = Agent { reader, writer };
        let id = i64::from(std::process::id());
        let echoed = agent.execute(GuestSyncDelimited { id })?;
        if echoed != id {
            return Err(Error::Decode(format!(
                "sync echoed {echoed} instead of {id}"
            )));
        }
        Ok(agent)
    }

    /// Sends `command` and decodes its `return` value.
    pub fn execute<C: Command + Into<Request>>(&mut self, command: C) -> Result<C::Returns, Error> {
        let request = RequestMessage {
            request: command.into(),
            id: None,
            oob: false,
        };
        let mut line = serde_json::to_vec(&request).map_err(|e| Error::Decode(e.to_string()))?;
        line.push(b'\n');
        self.writer.write_all(&line)?;
        let mut reply = Vec::new();
        self.reader.read_until(b'\n', &mut reply)?;
        // `guest-sync-delimited` puts a 0xFF byte before its reply.
        let start = reply
            .iter()
            .position(|&byte| byte != 0xFF)
            .unwrap_or(reply.len());
        let mut reply: serde_json::Value =
            serde_json::from_slice(&reply[start..]).map_err(|e| Error::Decode(e.to_string()))?;
        if let Some(error) = reply.get("error") {
            let error =
                serde_json::from_value(error.clone()).map_err(|e| Error::Decode(e.to_string()))?;
            return Err(Error::Agent(error));
        }
        let value = reply
            .get_mut("return")
            .map(serde_json::Value::take)
            .unwrap_or_default();
        serde_json::from_value(value).map_err(|error| Error::Decode(error.to_string()))
    }
}

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
pub fn report(socket: &Path) -> Result<Report, Error> {
    let mut agent = Agent::connect(socket)?;
    let info = agent.execute(qga::commands::GuestInfo)?;
    let host = agent.execute(qga::commands::GuestGetHostName)?;
    let os = agent.execute(qga::commands::GuestGetOsinfo)?;
    let timezone = agent.execute(qga::commands::GuestGetTimezone)?;
    Ok(Report {
        version: info.version,
        host_name: host.host_name,
        os: os.pretty_name,
        utc_offset: timezone.offset,
    })
}
