//! The server side without I/O: the greeting, capabilities negotiation and the checks QEMU
//! makes before a request reaches its command, then the [`Service`]; and [`Emitter`], which
//! sends events to every negotiated connection. `blocking::serve` and `tokio::serve` put it
//! on a connection.

use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::error::ErrorClass;
use crate::schema::{Event, Service, Timestamp};
use crate::session::VersionNumbers;
use crate::wire::{Frame, Frames};

/// What a server says about itself in its greeting.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The version to announce.
    pub version: VersionNumbers,
    /// The package string to announce.
    pub package: String,
    /// Whether to offer out-of-band execution.
    pub oob: bool,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            version: VersionNumbers {
                major: 0,
                minor: 0,
                micro: 0,
            },
            package: format!("qapi-client {}", env!("CARGO_PKG_VERSION")),
            oob: false,
        }
    }
}

/// One connection's protocol state on the server side.
pub(crate) struct Session {
    offers_oob: bool,
    negotiated: bool,
    oob: bool,
}

/// What serving a connection's requests asks of the connection.
pub(crate) enum Output {
    /// Write this line.
    Line(Vec<u8>),
    /// Negotiation is complete: events may flow from now on.
    Negotiated,
}

/// What handling one line gives.
pub(crate) struct Handled {
    /// The response to write, if any.
    pub response: Option<Value>,
    /// Whether this line completed negotiation, so events may flow from now on.
    pub negotiated: bool,
}

/// A response object: `key` (`return` or `error`) with `value`, and the request's `id`.
fn response(key: &str, value: Value, id: Option<&Value>) -> Value {
    let mut response = Map::new();
    response.insert(key.to_owned(), value);
    if let Some(id) = id {
        response.insert("id".to_owned(), id.clone());
    }
    Value::Object(response)
}

fn error_response(class: ErrorClass, desc: impl Into<String>, id: Option<&Value>) -> Value {
    let error = json!({ "class": class, "desc": desc.into() });
    response("error", error, id)
}

fn empty_return(id: Option<&Value>) -> Value {
    response("return", json!({}), id)
}

impl Session {
    pub(crate) fn new(config: &ServerConfig) -> Session {
        Session {
            offers_oob: config.oob,
            negotiated: false,
            oob: false,
        }
    }

    /// The greeting line.
    pub(crate) fn greeting(config: &ServerConfig) -> Vec<u8> {
        let capabilities: &[&str] = if config.oob { &["oob"] } else { &[] };
        let greeting = json!({ "QMP": {
            "version": {
                "qemu": {
                    "major": config.version.major,
                    "minor": config.version.minor,
                    "micro": config.version.micro,
                },
                "package": config.package,
            },
            "capabilities": capabilities,
        }});
        let mut line = greeting.to_string().into_bytes();
        line.push(b'\n');
        line
    }

    /// Handles one received line.
    pub(crate) fn handle(&mut self, line: &[u8], service: &mut dyn Service) -> Handled {
        let mut handled = Handled {
            response: None,
            negotiated: false,
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            return handled;
        }
        let message: Value = match serde_json::from_slice(line) {
            Ok(message) => message,
            Err(error) => {
                handled.response = Some(error_response(
                    ErrorClass::GenericError,
                    format!("the request is not valid JSON: {error}"),
                    None,
                ));
                return handled;
            }
        };
        let id = message.get("id");
        let (name, oob) = match (message.get("execute"), message.get("exec-oob")) {
            (Some(Value::String(name)), None) => (name.as_str(), false),
            (None, Some(Value::String(name))) => (name.as_str(), true),
            _ => {
                handled.response = Some(error_response(
                    ErrorClass::GenericError,
                    "a request is an object with a string 'execute' or 'exec-oob' member",
                    id,
                ));
                return handled;
            }
        };
        if oob && !self.oob {
            handled.response = Some(error_response(
                ErrorClass::GenericError,
                "out-of-band execution was not enabled by capabilities negotiation",
                id,
            ));
            return handled;
        }
        if name == "qmp_capabilities" {
            let before = self.negotiated;
            handled.response = Some(self.negotiate(&message, id));
            handled.negotiated = !before && self.negotiated;
            return handled;
        }
        if !self.negotiated {
            handled.response = Some(error_response(
                ErrorClass::CommandNotFound,
                format!(
                    "'{name}' cannot run before capabilities negotiation: send 'qmp_capabilities' first"
                ),
                id,
            ));
            return handled;
        }
        handled.response = service.dispatch(&message);
        handled
    }

    /// Handles every complete request in `frames`, giving `output` the lines to write and
    /// the moment negotiation completes; stops at the first error `output` returns. A
    /// request longer than the limit ends the connection.
    pub(crate) fn serve(
        &mut self,
        frames: &mut Frames,
        service: &mut dyn Service,
        mut output: impl FnMut(Output) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        loop {
            match frames.next() {
                Ok(Some(Frame::Line(range))) => {
                    let handled = self.handle(frames.bytes(range), service);
                    if let Some(response) = handled.response {
                        output(Output::Line(line_of(&response)))?;
                    }
                    if handled.negotiated {
                        output(Output::Negotiated)?;
                    }
                }
                Ok(Some(Frame::Delimiter)) => {}
                Ok(None) => return Ok(()),
                Err(closed) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        closed.to_string(),
                    ));
                }
            }
        }
    }

    fn negotiate(&mut self, message: &Value, id: Option<&Value>) -> Value {
        if self.negotiated {
            return error_response(
                ErrorClass::CommandNotFound,
                "capabilities were negotiated already; the command is ignored",
                id,
            );
        }
        let arguments = message.get("arguments").cloned().unwrap_or(json!({}));
        let Some(arguments) = arguments.as_object() else {
            return error_response(
                ErrorClass::GenericError,
                "'arguments' must be an object",
                id,
            );
        };
        if let Some(key) = arguments.keys().find(|key| *key != "enable") {
            return error_response(
                ErrorClass::GenericError,
                format!("qmp_capabilities has no argument '{key}'"),
                id,
            );
        }
        let mut oob = false;
        for capability in arguments
            .get("enable")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match capability.as_str() {
                Some("oob") if self.offers_oob => oob = true,
                Some(other) => {
                    return error_response(
                        ErrorClass::GenericError,
                        format!("this server does not offer the capability '{other}'"),
                        id,
                    );
                }
                None => {
                    return error_response(
                        ErrorClass::GenericError,
                        "capabilities are strings",
                        id,
                    );
                }
            }
        }
        self.negotiated = true;
        self.oob = oob;
        empty_return(id)
    }
}

/// A line holding one value and a line end.
pub(crate) fn line_of(value: &Value) -> Vec<u8> {
    let mut line = value.to_string().into_bytes();
    line.push(b'\n');
    line
}

/// Where an event goes: a connection's writer. False once the connection has gone.
pub(crate) type Sink = Box<dyn FnMut(&[u8]) -> bool + Send>;

/// Sends events to every connection that has negotiated capabilities. Clone it into the
/// `Server` implementation that causes the events.
#[derive(Clone, Default)]
pub struct Emitter {
    sinks: Arc<Mutex<Vec<Sink>>>,
}

impl std::fmt::Debug for Emitter {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Emitter").finish_non_exhaustive()
    }
}

impl Emitter {
    /// An emitter with no connections yet.
    pub fn new() -> Emitter {
        Emitter::default()
    }

    /// Sends `event`, stamped with the current time.
    pub fn emit<E: Event>(&self, event: &E) {
        self.emit_raw(event.name(), event.data());
    }

    /// Sends the event `name` with `data`, stamped with the current time.
    pub fn emit_raw(&self, name: &str, data: Option<Value>) {
        let mut message = Map::new();
        message.insert("event".to_owned(), Value::String(name.to_owned()));
        if let Some(data) = data.filter(|data| data.as_object().is_none_or(|d| !d.is_empty())) {
            message.insert("data".to_owned(), data);
        }
        message.insert("timestamp".to_owned(), json!(Timestamp::now()));
        let line = line_of(&Value::Object(message));
        let mut sinks = self.sinks.lock().unwrap_or_else(|e| e.into_inner());
        sinks.retain_mut(|sink| sink(&line));
    }

    /// How many connections receive events.
    pub fn connections(&self) -> usize {
        self.sinks.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub(crate) fn attach(&self, sink: Sink) {
        self.sinks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(message: &Value) -> Option<Value> {
        Some(json!({ "return": message["arguments"].clone(), "id": message["id"].clone() }))
    }

    fn run(session: &mut Session, line: &str) -> Value {
        session
            .handle(line.as_bytes(), &mut echo)
            .response
            .unwrap_or(Value::Null)
    }

    #[test]
    fn commands_wait_for_negotiation() {
        let mut session = Session::new(&ServerConfig::default());
        let refused = run(&mut session, r#"{"execute": "x", "id": 1}"#);
        assert_eq!(refused["error"]["class"], "CommandNotFound");
        assert_eq!(refused["id"], 1);
        let negotiated = run(&mut session, r#"{"execute": "qmp_capabilities"}"#);
        assert_eq!(negotiated, json!({ "return": {} }));
        let echoed = run(
            &mut session,
            r#"{"execute": "x", "arguments": {"a": 1}, "id": 2}"#,
        );
        assert_eq!(echoed, json!({ "return": { "a": 1 }, "id": 2 }));
        let again = run(&mut session, r#"{"execute": "qmp_capabilities"}"#);
        assert_eq!(again["error"]["class"], "CommandNotFound");
    }

    #[test]
    fn oob_needs_the_offer_and_the_capability() {
        let mut plain = Session::new(&ServerConfig::default());
        let refused = run(
            &mut plain,
            r#"{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}"#,
        );
        assert_eq!(refused["error"]["class"], "GenericError");
        let config = ServerConfig {
            oob: true,
            ..ServerConfig::default()
        };
        let mut session = Session::new(&config);
        run(&mut session, r#"{"execute": "qmp_capabilities"}"#);
        let refused = run(&mut session, r#"{"exec-oob": "x", "id": 1}"#);
        assert_eq!(refused["error"]["class"], "GenericError");
        let mut session = Session::new(&config);
        run(
            &mut session,
            r#"{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}"#,
        );
        let echoed = run(
            &mut session,
            r#"{"exec-oob": "x", "arguments": {}, "id": 1}"#,
        );
        assert_eq!(echoed, json!({ "return": {}, "id": 1 }));
    }

    #[test]
    fn bad_lines_get_errors() {
        let mut session = Session::new(&ServerConfig::default());
        assert_eq!(run(&mut session, "{]")["error"]["class"], "GenericError");
        assert_eq!(run(&mut session, "[1]")["error"]["class"], "GenericError");
        assert_eq!(run(&mut session, "  "), Value::Null);
    }
}
