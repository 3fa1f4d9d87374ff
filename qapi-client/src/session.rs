//! What the blocking and the tokio clients share above the wire: their settings, the
//! greeting and capabilities negotiation, and turning what arrives into typed results.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Closed, Error};
use crate::router::Next;
use crate::schema::{Command, DecodeError, Event, Timestamp};
use crate::wire::{DEFAULT_MAX_MESSAGE, Outcome};

/// Where a peer is.
#[derive(Debug)]
pub enum Transport {
    /// A unix socket (QEMU's `-qmp unix:PATH,server=on`); the only one that carries file
    /// descriptors.
    Unix(PathBuf),
    /// A TCP address, `HOST:PORT`.
    Tcp(String),
    /// A program to start, spoken to over its standard input and output: QEMU with
    /// `-qmp stdio`, or a guest agent on a pipe. It is killed when the client goes.
    Spawn(std::process::Command),
}

impl Transport {
    /// A unix socket at `path`.
    pub fn unix(path: impl Into<PathBuf>) -> Transport {
        Transport::Unix(path.into())
    }

    /// The same address again, for a transport that can be connected to again: a unix
    /// socket or TCP, not a spawned program.
    pub(crate) fn again(&self) -> Option<Transport> {
        match self {
            Transport::Unix(path) => Some(Transport::Unix(path.clone())),
            Transport::Tcp(address) => Some(Transport::Tcp(address.clone())),
            Transport::Spawn(_) => None,
        }
    }
}

/// One `guest-sync-delimited` exchange: a number unlikely to repeat between clients (the
/// process id and the clock), which the agent must echo.
pub(crate) struct SyncToken {
    token: u64,
}

impl SyncToken {
    pub(crate) const COMMAND: &str = "guest-sync-delimited";

    pub(crate) fn new() -> SyncToken {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let token = (u64::from(std::process::id()) << 30 | u64::from(nanos)) & ((1 << 53) - 1);
        SyncToken { token }
    }

    /// The command's arguments.
    pub(crate) fn arguments(&self) -> Value {
        serde_json::json!({ "id": self.token })
    }

    /// Checks the agent's answer.
    pub(crate) fn check(&self, echoed: &Value) -> Result<(), Error> {
        if *echoed != self.token {
            return Err(Error::Protocol(format!(
                "the agent answered the sync with {echoed} instead of {}",
                self.token
            )));
        }
        Ok(())
    }
}

/// A client's settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long a call waits for its reply when it names no time limit of its own; `None`
    /// waits as long as the connection lives. Also bounds each step of connecting (30 s
    /// when `None`).
    pub timeout: Option<Duration>,
    /// The longest message accepted, in bytes; a longer one ends the connection.
    pub max_message: usize,
    /// How many events a subscriber's queue holds before the oldest are dropped (and
    /// counted, see [`Error::Missed`]).
    pub event_capacity: usize,
    /// Whether to enable out-of-band execution when the server offers it.
    pub oob: bool,
    /// Whether to check every command against the server's own `query-qmp-schema` before
    /// sending it (QMP only; the guest agent has no introspection). A command whose
    /// arguments do not fit fails with [`Error::Invalid`] and is not sent.
    #[cfg(feature = "validate")]
    pub validate: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            timeout: None,
            max_message: DEFAULT_MAX_MESSAGE,
            event_capacity: 4096,
            oob: true,
            #[cfg(feature = "validate")]
            validate: false,
        }
    }
}

impl Config {
    /// The settings with `timeout` as the default time limit of calls.
    pub fn timeout(self, timeout: Duration) -> Config {
        Config {
            timeout: Some(timeout),
            ..self
        }
    }

    /// The settings with `max_message` as the limit on message length.
    pub fn max_message(self, max_message: usize) -> Config {
        Config {
            max_message,
            ..self
        }
    }

    /// The settings with `event_capacity` as the length of subscribers' queues.
    pub fn event_capacity(self, event_capacity: usize) -> Config {
        Config {
            event_capacity,
            ..self
        }
    }

    /// The settings with out-of-band execution enabled when offered (`true`) or not.
    pub fn oob(self, oob: bool) -> Config {
        Config { oob, ..self }
    }

    /// The settings with commands checked against the server's schema (`true`) or not.
    #[cfg(feature = "validate")]
    pub fn validate(self, validate: bool) -> Config {
        Config { validate, ..self }
    }

    /// Whether commands are to be checked against the server's schema.
    pub(crate) fn validates(&self) -> bool {
        #[cfg(feature = "validate")]
        return self.validate;
        #[cfg(not(feature = "validate"))]
        false
    }
}

/// The server's schema once it is known, when commands are checked before they are sent.
#[derive(Debug, Default)]
pub(crate) struct Checks {
    #[cfg(feature = "validate")]
    schema: std::sync::OnceLock<qapi_introspection::Introspection>,
}

impl Checks {
    /// Keeps the server's `query-qmp-schema` reply.
    #[cfg_attr(not(feature = "validate"), allow(clippy::unused_self))]
    pub(crate) fn load(&self, reply: Value) -> Result<(), Error> {
        #[cfg(feature = "validate")]
        {
            let schema = qapi_introspection::Introspection::from_value(reply).map_err(|error| {
                Error::Protocol(format!("the query-qmp-schema reply is unusable: {error}"))
            })?;
            let _ = self.schema.set(schema);
        }
        #[cfg(not(feature = "validate"))]
        drop(reply);
        Ok(())
    }

    /// Fails with [`Error::Invalid`] when the schema is known and `arguments` do not fit
    /// command `name`. Deprecated things pass.
    #[cfg_attr(not(feature = "validate"), allow(clippy::unused_self))]
    pub(crate) fn arguments(
        &self,
        name: &str,
        arguments: &(impl serde::Serialize + ?Sized),
    ) -> Result<(), Error> {
        #[cfg(feature = "validate")]
        if let Some(schema) = self.schema.get() {
            let arguments = serde_json::to_value(arguments).map_err(|error| {
                Error::Protocol(format!("the arguments do not encode: {error}"))
            })?;
            let problems: Vec<String> = schema
                .validate_arguments(name, &arguments)
                .into_iter()
                .filter(|problem| !problem.deprecated)
                .map(|problem| format!("{}: {}", problem.path, problem.message))
                .collect();
            if !problems.is_empty() {
                return Err(Error::Invalid(format!("{name}: {}", problems.join("; "))));
            }
        }
        #[cfg(not(feature = "validate"))]
        let _ = (name, arguments);
        Ok(())
    }
}

/// How long setting a connection up may take when the settings give no time limit: the
/// greeting, capabilities negotiation, a guest agent's synchronisation. A peer that never
/// greets makes connecting fail instead of hang.
const SET_UP_TIMEOUT: Duration = Duration::from_secs(30);

impl Config {
    /// The time limit of each step of setting a connection up.
    pub(crate) fn set_up_timeout(&self) -> Duration {
        self.timeout.unwrap_or(SET_UP_TIMEOUT)
    }
}

/// The QMP greeting: who the server is and what it can do.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Greeting {
    /// The server's version.
    pub version: Version,
    /// What the server offers, such as `oob`.
    pub capabilities: Vec<String>,
}

/// A QEMU version as the greeting states it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Version {
    /// Major, minor and micro numbers.
    pub qemu: VersionNumbers,
    /// The distributor's package string, empty when there is none.
    #[serde(default)]
    pub package: String,
}

/// The numbers of a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct VersionNumbers {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Micro.
    pub micro: u32,
}

impl Greeting {
    pub(crate) fn parse(raw: &RawValue) -> Result<Greeting, Error> {
        serde_json::from_str(raw.get())
            .map_err(|error| Error::Protocol(format!("a greeting that does not read: {error}")))
    }

    /// The arguments of `qmp_capabilities` under `config`, and whether they enable `oob`.
    pub(crate) fn negotiation(&self, config: &Config) -> (Value, bool) {
        let oob = config.oob && self.capabilities.iter().any(|c| c == "oob");
        let enable: Vec<&str> = if oob { vec!["oob"] } else { Vec::new() };
        let arguments = if oob {
            serde_json::json!({ "enable": enable })
        } else {
            serde_json::json!({})
        };
        (arguments, oob)
    }
}

/// A call's outcome as the caller sees it: the decoded `return` value or the error.
pub(crate) fn returns<C: Command>(outcome: Result<Outcome, Closed>) -> Result<C::Returns, Error> {
    match outcome {
        Ok(Ok(value)) => C::decode_returns(value.get()).map_err(Error::Decode),
        Ok(Err(error)) => Err(Error::Qmp(error)),
        Err(closed) => Err(Error::Closed(closed)),
    }
}

/// The `return` value of a command that gives none on success, such as `guest-shutdown`:
/// what `{}` decodes to.
pub(crate) fn no_reply<C: Command>() -> Result<C::Returns, Error> {
    C::decode_returns("{}").map_err(Error::Decode)
}

/// The untyped outcome of a raw call.
pub(crate) fn raw_returns(outcome: Result<Outcome, Closed>) -> Result<Value, Error> {
    match outcome {
        Ok(Ok(value)) => serde_json::from_str(value.get()).map_err(|error| {
            Error::Decode(DecodeError {
                path: "return".to_owned(),
                type_name: None,
                message: error.to_string(),
            })
        }),
        Ok(Err(error)) => Err(Error::Qmp(error)),
        Err(closed) => Err(Error::Closed(closed)),
    }
}

/// An event with the time the peer stamped on it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedEvent<E> {
    /// The event and its data.
    pub event: E,
    /// When it happened, if the peer said (QEMU always does).
    pub timestamp: Option<Timestamp>,
}

/// A subscriber's next item as the subscriber sees it.
pub(crate) fn next_event<E: Event>(next: Next) -> Result<TimedEvent<E>, Error> {
    match next {
        Next::Event(raw) => Ok(TimedEvent {
            event: E::from_parts(&raw.name, raw.data.as_ref())?,
            timestamp: raw.timestamp,
        }),
        Next::Missed(count) => Err(Error::Missed(count)),
        Next::Closed(closed) => Err(Error::Closed(closed)),
    }
}

/// Checks that `C` may be sent out of band on a connection where `oob` was negotiated or not.
pub(crate) fn check_oob<C: Command>(oob: bool) -> Result<(), Error> {
    if !C::ALLOW_OOB {
        return Err(Error::Unsupported(format!(
            "{} does not allow out-of-band execution",
            C::NAME
        )));
    }
    if !oob {
        return Err(Error::Unsupported(
            "the server did not offer out-of-band execution, or it was not enabled".to_owned(),
        ));
    }
    Ok(())
}
