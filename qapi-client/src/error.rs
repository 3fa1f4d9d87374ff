//! Why a call, a subscription or a connection failed.

use serde::{Deserialize, Serialize};

use crate::schema::DecodeError;

/// What went wrong talking to a peer.
#[derive(Debug)]
pub enum Error {
    /// The peer answered the command with an error.
    Qmp(QmpError),
    /// Reading or writing the connection failed.
    Io(std::io::Error),
    /// The connection is closed: the peer closed it or died, this side closed it, or an
    /// earlier fault ended it. Every call pending at that moment fails with this error.
    Closed(Closed),
    /// No reply came within the call's time limit. The connection stays usable; a late
    /// reply is dropped.
    Timeout,
    /// A reply or event did not decode into its type.
    Decode(DecodeError),
    /// The peer broke the protocol: a line that is not a JSON object, a message of no known
    /// kind, a missing or odd greeting. The text says what was received.
    Protocol(String),
    /// A subscriber fell behind and this many events were dropped from its queue. The
    /// subscription goes on with the next event.
    Missed(u64),
    /// The command cannot be sent this way: out of band without the `oob` capability or
    /// without `allow-oob`, file descriptors without a unix socket.
    Unsupported(String),
    /// The command was not sent: its arguments do not fit the server's schema (only with
    /// [`Config::validate`](crate::Config), cargo feature `validate`). The text lists every
    /// problem with its JSON path.
    Invalid(String),
}

/// Why a connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
    /// The peer closed the connection (end of stream).
    ByPeer,
    /// This side closed it.
    ByClient,
    /// Reading failed; the text is the I/O error.
    Io(String),
    /// The peer broke the protocol; the text says how.
    Protocol(String),
    /// A message was longer than the connection's limit, in bytes.
    TooLong(usize),
}

impl Closed {
    /// Why a connection ended whose reading failed with `error`: a reset is the peer closing
    /// (QEMU resets its socket as it exits).
    pub(crate) fn from_read_error(error: &std::io::Error) -> Closed {
        match error.kind() {
            std::io::ErrorKind::ConnectionReset => Closed::ByPeer,
            _ => Closed::Io(error.to_string()),
        }
    }
}

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Closed::ByPeer => f.write_str("the peer closed the connection"),
            Closed::ByClient => f.write_str("the connection was closed by this side"),
            Closed::Io(error) => write!(f, "reading from the peer failed: {error}"),
            Closed::Protocol(what) => write!(f, "the peer broke the protocol: {what}"),
            Closed::TooLong(limit) => write!(
                f,
                "the peer sent a message longer than the limit of {limit} bytes"
            ),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Error::Qmp(error) => write!(f, "{}: {}", error.class, error.desc),
            Error::Io(error) => write!(f, "I/O error: {error}"),
            Error::Closed(closed) => write!(f, "connection closed: {closed}"),
            Error::Timeout => f.write_str("no reply within the time limit"),
            Error::Decode(error) => write!(f, "cannot decode {error}"),
            Error::Protocol(what) => write!(f, "protocol error: {what}"),
            Error::Missed(count) => write!(f, "{count} events were missed"),
            Error::Unsupported(what) => f.write_str(what),
            Error::Invalid(problems) => write!(f, "not sent: {problems}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(error) => Some(error),
            Error::Decode(error) => Some(error),
            Error::Qmp(error) => Some(error),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::Io(error)
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Error {
        Error::Decode(error)
    }
}

/// An error response's `error` member.
///
/// A module generated with the `runtime` option re-exports this type as `protocol::Error`,
/// and [`ErrorClass`] as `protocol::ErrorClass`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QmpError {
    /// The class.
    pub class: ErrorClass,
    /// A human-readable description.
    pub desc: String,
}

impl QmpError {
    /// A `GenericError` with `desc`.
    pub fn generic(desc: impl std::fmt::Display) -> QmpError {
        QmpError {
            class: ErrorClass::GenericError,
            desc: desc.to_string(),
        }
    }

    /// A `CommandNotFound` error for `command`.
    pub fn command_not_found(command: &str) -> QmpError {
        QmpError {
            class: ErrorClass::CommandNotFound,
            desc: format!("The command {command} has not been found"),
        }
    }
}

impl std::fmt::Display for QmpError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.desc)
    }
}

impl std::error::Error for QmpError {}

/// The classes of QMP errors.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorClass {
    /// Any error without a more specific class.
    GenericError,
    /// The command does not exist or is not available.
    CommandNotFound,
    /// A device has no medium or is not active.
    DeviceNotActive,
    /// The requested device does not exist.
    DeviceNotFound,
    /// KVM lacks a capability the command needs.
    KVMMissingCap,
    /// A class this version does not know.
    #[serde(untagged)]
    Unrecognized(String),
}

impl std::fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KVMMissingCap => "KVMMissingCap",
            ErrorClass::Unrecognized(class) => class,
        })
    }
}
