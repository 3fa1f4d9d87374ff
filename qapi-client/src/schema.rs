//! What a generated module gives the runtime: its commands, its events and its server. A
//! module generated with the `runtime` option implements these traits; nothing else is
//! needed to use it with a client or a server of this crate.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A command type: its arguments, its wire name and the type of its reply.
///
/// A module generated with the `runtime` option re-exports this trait as
/// `commands::Command` and implements it for every command type.
pub trait Command: Serialize + DeserializeOwned + Send + 'static {
    /// The wire name.
    const NAME: &'static str;
    /// The type of a successful reply's `return` value.
    type Returns: Serialize + DeserializeOwned + Send + 'static;
    /// Whether the server replies on success (`success-response`).
    const SUCCESS_RESPONSE: bool;
    /// Whether the command may run out of band (`allow-oob`).
    const ALLOW_OOB: bool;
    /// Whether the command is allowed before machine set-up (`allow-preconfig`).
    const ALLOW_PRECONFIG: bool;

    /// Decodes a reply's `return` value from its JSON text, as leniently as the module
    /// decodes what a client receives.
    fn decode_returns(json: &str) -> Result<Self::Returns, DecodeError>;
}

/// The `Event` enum of a generated module: any event of the schema, with its data.
pub trait Event: Sized + Send + 'static {
    /// Decodes the event `name` with its `data` member (absent is `{}`).
    fn from_parts(name: &str, data: Option<&Value>) -> Result<Self, DecodeError>;
    /// The event's wire name.
    fn name(&self) -> &str;
    /// The `data` member, or `None` for an event without data.
    fn data(&self) -> Option<Value>;
}

/// Untyped events: any event as its name and `data` member, for tools that work without a
/// generated module.
impl Event for (String, Option<Value>) {
    fn from_parts(name: &str, data: Option<&Value>) -> Result<Self, DecodeError> {
        Ok((name.to_owned(), data.cloned()))
    }

    fn name(&self) -> &str {
        &self.0
    }

    fn data(&self) -> Option<Value> {
        self.1.clone()
    }
}

/// What answers requests: a generated module's `commands::Service` around an implementation
/// of its `Server` trait, or any closure from a request object to a response object.
pub trait Service: Send {
    /// Runs the request object `message` and returns the response object (`return` or
    /// `error`, with the request's `id`), or `None` for a command that does not respond on
    /// success.
    fn dispatch(&mut self, message: &Value) -> Option<Value>;
}

impl<F: FnMut(&Value) -> Option<Value> + Send> Service for F {
    fn dispatch(&mut self, message: &Value) -> Option<Value> {
        self(message)
    }
}

/// A value that did not decode, and where in it the problem is.
///
/// A module generated with the `runtime` option re-exports this type as
/// `protocol::DecodeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Where: the root (`arguments`, `return`, `data`) followed by members and array
    /// indices, as in `return[0].inserted.ro`.
    pub path: String,
    /// The schema type whose member failed to decode, if the failure is in a member.
    pub type_name: Option<&'static str>,
    /// What is wrong, as serde reports it.
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.path)?;
        if let Some(type_name) = self.type_name {
            write!(f, " (in {type_name})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// When an event happened: seconds and microseconds since the Unix epoch.
///
/// A module generated with the `runtime` option re-exports this type as
/// `protocol::Timestamp`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timestamp {
    /// Whole seconds.
    pub seconds: i64,
    /// Microseconds within the second.
    pub microseconds: i64,
}

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            seconds: i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX),
            microseconds: i64::from(since_epoch.subsec_micros()),
        }
    }
}
