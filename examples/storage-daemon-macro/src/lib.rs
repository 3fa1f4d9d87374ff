//! A client for `qemu-storage-daemon`'s monitor on bindings that `include_qapi!` generates at
//! compile time from `schema/storage.json`, a small schema of this example's own.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

/// The generated bindings.
pub mod storage {
    qapi_macros::include_qapi!("schema/storage.json", server = false);
}

use storage::commands::{Command, Request, RequestMessage};

/// Why a request failed.
#[derive(Debug)]
pub enum Error {
    /// The socket failed.
    Io(std::io::Error),
    /// The daemon answered with an error.
    Daemon(storage::protocol::Error),
    /// A message did not decode.
    Decode(String),
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::Io(error)
    }
}

fn decode_error(error: impl std::fmt::Display) -> Error {
    Error::Decode(error.to_string())
}

/// A monitor connection in command mode.
pub struct Monitor {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    /// Events received while waiting for replies.
    pub events: Vec<serde_json::Value>,
}

impl Monitor {
    /// Connects, reads the greeting and leaves capabilities negotiation.
    pub fn connect(socket: &Path) -> Result<Monitor, Error> {
        let writer = UnixStream::connect(socket)?;
        let reader = BufReader::new(writer.try_clone()?);
        let mut monitor = Monitor {
            reader,
            writer,
            events: Vec::new(),
        };
        let greeting = monitor.read()?;
        if greeting.get("QMP").is_none() {
            return Err(Error::Decode(format!("not a QMP greeting: {greeting}")));
        }
        monitor.execute(storage::commands::QmpCapabilities)?;
        Ok(monitor)
    }

    fn read(&mut self) -> Result<serde_json::Value, Error> {
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        serde_json::from_str(&line).map_err(decode_error)
    }

    /// Sends `command` and decodes its `return` value; events that arrive first are kept in
    /// [`events`](Monitor::events).
    pub fn execute<C: Command + Into<Request>>(&mut self, command: C) -> Result<C::Returns, Error> {
        let request = RequestMessage {
            request: command.into(),
            id: None,
            oob: false,
        };
        let mut line = serde_json::to_vec(&request).map_err(decode_error)?;
        line.push(b'\n');
        self.writer.write_all(&line)?;
        loop {
            let mut message = self.read()?;
            if message.get("event").is_some() {
                self.events.push(message);
            } else if let Some(error) = message.get("error") {
                let error = serde_json::from_value(error.clone()).map_err(decode_error)?;
                return Err(Error::Daemon(error));
            } else {
                let value = message.get_mut("return").map(serde_json::Value::take);
                return serde_json::from_value(value.unwrap_or_default()).map_err(decode_error);
            }
        }
    }
}

/// Adds a null node named `name` of `size` bytes, lists the nodes, removes the node again,
/// and returns the list as it was while the node existed.
pub fn null_node_round_trip(
    monitor: &mut Monitor,
    name: &str,
    size: i64,
) -> Result<Vec<storage::BlockNode>, Error> {
    use storage::{BlockdevOptions, BlockdevOptionsDriver, NullOptions};
    let options = BlockdevOptions {
        node_name: name.to_owned(),
        read_only: Some(true),
        driver: BlockdevOptionsDriver::NullCo(NullOptions {
            size: Some(size),
            read_zeroes: Some(true),
        }),
    };
    monitor.execute(storage::commands::BlockdevAdd(options))?;
    let nodes = monitor.execute(storage::commands::QueryNamedBlockNodes { flat: Some(true) })?;
    monitor.execute(storage::commands::BlockdevDel {
        node_name: name.to_owned(),
    })?;
    Ok(nodes)
}
