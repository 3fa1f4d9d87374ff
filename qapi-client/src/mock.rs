//! A peer that replays a transcript, for unit tests of code that talks to QEMU without a
//! QEMU. The transcript is written as QEMU's documentation writes examples: `->` before what
//! the client sends, `<-` before what the peer answers or emits, one JSON value each, which
//! may span lines.
//!
//! ```
//! use qapi_client::mock::Mock;
//!
//! let mock = Mock::qmp(r#"
//!     -> { "execute": "stop" }
//!     <- { "event": "STOP", "timestamp": { "seconds": 1, "microseconds": 0 } }
//!     <- { "return": {} }
//! "#).unwrap();
//! let client = mock.client().unwrap();
//! client.execute_raw("stop", &serde_json::json!({})).unwrap();
//! mock.finish().unwrap();
//! ```
//!
//! A request matches its `->` when they are equal once the `id` is set aside and absent
//! `arguments` are taken as `{}`; replies get the request's `id`. A request that does not
//! match is answered with a `GenericError` saying what was expected, and [`Mock::finish`]
//! reports it. `Mock::qmp` sends a greeting and answers `qmp_capabilities` by itself;
//! `Mock::agent` answers `guest-sync-delimited` by itself; neither needs them in the
//! transcript.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::session::Config;
use crate::wire::{DELIMITER, Frame, Frames};

/// One step of a transcript.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// The client sends this.
    Request(Value),
    /// The peer sends this.
    Answer(Value),
}

/// The replay state, shared by the test and the thread or task that plays the peer.
struct Script {
    steps: VecDeque<Step>,
    failures: Vec<String>,
    agent: bool,
}

fn lock(script: &Mutex<Script>) -> MutexGuard<'_, Script> {
    script
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn line_of(value: &Value) -> Vec<u8> {
    let mut line = value.to_string().into_bytes();
    line.push(b'\n');
    line
}

/// A request without its `id`, and with `arguments` present.
fn normalised(request: &Value) -> Value {
    let mut request = request.clone();
    if let Value::Object(object) = &mut request {
        object.remove("id");
        object
            .entry("arguments")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    request
}

impl Script {
    /// What the peer sends as the connection opens.
    fn open(&mut self) -> Vec<Vec<u8>> {
        let mut lines = Vec::new();
        if !self.agent {
            lines.push(line_of(&json!({ "QMP": {
                "version": { "qemu": { "major": 0, "minor": 0, "micro": 0 }, "package": "mock" },
                "capabilities": [],
            }})));
        }
        lines
    }

    /// The answers that follow the client's line.
    fn answer(&mut self, line: &[u8]) -> Vec<Vec<u8>> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Vec::new();
        }
        let request: Value = match serde_json::from_slice(line) {
            Ok(request) => request,
            Err(error) => {
                self.failures
                    .push(format!("the client sent a line that is not JSON: {error}"));
                return Vec::new();
            }
        };
        let id = request.get("id").cloned();
        let reply = |mut answer: Value| {
            if let (Some(object), Some(id)) = (answer.as_object_mut(), &id) {
                if object.contains_key("return") || object.contains_key("error") {
                    object.entry("id").or_insert_with(|| id.clone());
                }
            }
            line_of(&answer)
        };
        let name = request.get("execute").and_then(Value::as_str);
        match name {
            Some("qmp_capabilities") if !self.agent => return vec![reply(json!({ "return": {} }))],
            Some("guest-sync-delimited") if self.agent => {
                let mut line = vec![DELIMITER];
                line.extend(reply(json!({ "return": request["arguments"]["id"] })));
                return vec![line];
            }
            _ => {}
        }
        match self.steps.pop_front() {
            Some(Step::Request(expected)) if normalised(&expected) == normalised(&request) => {
                let mut lines = Vec::new();
                while let Some(Step::Answer(answer)) = self.steps.front() {
                    lines.push(reply(answer.clone()));
                    self.steps.pop_front();
                }
                lines
            }
            step => {
                let expected = match &step {
                    Some(Step::Request(expected)) => expected.to_string(),
                    Some(Step::Answer(_)) | None => "nothing".to_owned(),
                };
                if let Some(step) = step {
                    self.steps.push_front(step);
                }
                let failure = format!("expected {expected}, received {request}");
                self.failures.push(failure.clone());
                vec![reply(
                    json!({ "error": { "class": "GenericError", "desc": failure } }),
                )]
            }
        }
    }
}

/// Reads a transcript into steps.
fn parse(transcript: &str) -> Result<VecDeque<Step>, String> {
    let mut steps = VecDeque::new();
    let mut current: Option<(bool, String, usize)> = None;
    let mut finish = |current: Option<(bool, String, usize)>| -> Result<(), String> {
        if let Some((request, text, line)) = current {
            let value: Value = serde_json::from_str(&text)
                .map_err(|error| format!("transcript line {line}: {error}"))?;
            steps.push_back(if request {
                Step::Request(value)
            } else {
                Step::Answer(value)
            });
        }
        Ok(())
    };
    for (number, line) in transcript.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = [("->", true), ("<-", false)]
            .into_iter()
            .find(|(marker, _)| trimmed.starts_with(marker));
        match (marker, &mut current) {
            (Some((marker, request)), _) => {
                finish(current.take())?;
                current = Some((request, trimmed[marker.len()..].to_owned(), number + 1));
            }
            (None, Some((_, text, _))) => {
                text.push('\n');
                text.push_str(line);
            }
            (None, None) if trimmed.is_empty() => {}
            (None, None) => {
                return Err(format!(
                    "transcript line {}: text before the first `->` or `<-`",
                    number + 1
                ));
            }
        }
    }
    finish(current)?;
    Ok(steps)
}

/// The answers to every complete request in `frames`; `None` when the client sent more
/// than a message may hold, which ends the replay.
fn answer_all(script: &Mutex<Script>, frames: &mut Frames) -> Option<Vec<Vec<u8>>> {
    let mut answers = Vec::new();
    loop {
        match frames.next() {
            Ok(Some(Frame::Line(range))) => {
                answers.extend(lock(script).answer(frames.bytes(range)))
            }
            Ok(Some(Frame::Delimiter)) => {}
            Ok(None) => return Some(answers),
            Err(_) => return None,
        }
    }
}

/// A transcript being replayed.
#[derive(Clone)]
pub struct Mock {
    script: Arc<Mutex<Script>>,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("steps left", &lock(&self.script).steps.len())
            .finish()
    }
}

impl Mock {
    /// A QMP peer (QEMU, the storage daemon) replaying `transcript`.
    pub fn qmp(transcript: &str) -> Result<Mock, String> {
        Mock::new(transcript, false)
    }

    /// A guest agent replaying `transcript`.
    pub fn agent(transcript: &str) -> Result<Mock, String> {
        Mock::new(transcript, true)
    }

    fn new(transcript: &str, agent: bool) -> Result<Mock, String> {
        Ok(Mock {
            script: Arc::new(Mutex::new(Script {
                steps: parse(transcript)?,
                failures: Vec::new(),
                agent,
            })),
        })
    }

    /// Checks that the client sent everything the transcript expects and nothing else.
    pub fn finish(&self) -> Result<(), String> {
        let script = lock(&self.script);
        let mut problems = script.failures.clone();
        if let Some(step) = script.steps.front() {
            let (Step::Request(value) | Step::Answer(value)) = step;
            problems.push(format!(
                "{} steps were not reached, from {value}",
                script.steps.len()
            ));
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(problems.join("\n")),
        }
    }

    /// Plays the peer over `stream` in a thread until the client closes it.
    #[cfg(unix)]
    fn play(&self, stream: std::os::unix::net::UnixStream) -> std::io::Result<()> {
        let script = self.script.clone();
        let mut writer = stream.try_clone()?;
        let mut reader = stream;
        std::thread::spawn(move || -> std::io::Result<()> {
            for line in lock(&script).open() {
                writer.write_all(&line)?;
            }
            let mut frames = Frames::new(crate::wire::DEFAULT_MAX_MESSAGE);
            loop {
                let Some(answers) = answer_all(&script, &mut frames) else {
                    return Ok(());
                };
                for line in answers {
                    writer.write_all(&line)?;
                }
                if frames.read_from(&mut reader)? == 0 {
                    return Ok(());
                }
            }
        });
        Ok(())
    }

    /// A blocking QMP client connected to this peer.
    #[cfg(unix)]
    pub fn client(&self) -> Result<crate::blocking::Client, Error> {
        self.client_with(Config::default())
    }

    /// A blocking QMP client with the settings `config`, connected to this peer.
    #[cfg(unix)]
    pub fn client_with(&self, config: Config) -> Result<crate::blocking::Client, Error> {
        let (ours, theirs) = std::os::unix::net::UnixStream::pair()?;
        self.play(theirs)?;
        crate::blocking::Client::from_io(ours.try_clone()?, ours, config)
    }

    /// A blocking guest-agent client connected to this peer.
    #[cfg(unix)]
    pub fn guest_agent(&self) -> Result<crate::blocking::GuestAgent, Error> {
        let (ours, theirs) = std::os::unix::net::UnixStream::pair()?;
        self.play(theirs)?;
        crate::blocking::GuestAgent::from_io(ours.try_clone()?, ours, Config::default())
    }

    /// A tokio QMP client connected to this peer.
    #[cfg(feature = "tokio")]
    pub async fn tokio_client(&self) -> Result<crate::tokio::Client, Error> {
        let (ours, theirs) = ::tokio::io::duplex(1 << 16);
        self.play_tokio(theirs);
        let (reader, writer) = ::tokio::io::split(ours);
        crate::tokio::Client::from_io(reader, writer, Config::default()).await
    }

    /// A tokio guest-agent client connected to this peer.
    #[cfg(feature = "tokio")]
    pub async fn tokio_guest_agent(&self) -> Result<crate::tokio::GuestAgent, Error> {
        let (ours, theirs) = ::tokio::io::duplex(1 << 16);
        self.play_tokio(theirs);
        let (reader, writer) = ::tokio::io::split(ours);
        crate::tokio::GuestAgent::from_io(reader, writer, Config::default()).await
    }

    #[cfg(feature = "tokio")]
    fn play_tokio(&self, stream: ::tokio::io::DuplexStream) {
        use ::tokio::io::{AsyncReadExt, AsyncWriteExt};
        let script = self.script.clone();
        ::tokio::spawn(async move {
            let (mut reader, mut writer) = ::tokio::io::split(stream);
            let opening = lock(&script).open();
            for line in opening {
                writer.write_all(&line).await?;
            }
            let mut frames = Frames::new(crate::wire::DEFAULT_MAX_MESSAGE);
            loop {
                let Some(answers) = answer_all(&script, &mut frames) else {
                    return Ok::<(), std::io::Error>(());
                };
                for line in answers {
                    writer.write_all(&line).await?;
                }
                if reader.read_buf(frames.read_buffer()).await? == 0 {
                    return Ok(());
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcripts_read_as_qemu_writes_examples() {
        let steps = parse(
            r#"
            -> { "execute": "query-block",
                 "arguments": {} }
            <- { "return": [
                   1, 2 ] }
            "#,
        )
        .unwrap();
        assert_eq!(
            steps,
            vec![
                Step::Request(json!({ "execute": "query-block", "arguments": {} })),
                Step::Answer(json!({ "return": [1, 2] })),
            ]
        );
        assert!(parse("hello\n-> {}").unwrap_err().contains("line 1"));
        assert!(parse("-> { oops").unwrap_err().contains("line 1"));
    }

    #[test]
    fn a_request_off_the_script_is_answered_and_reported() {
        let mock = Mock::qmp("-> { \"execute\": \"stop\" }\n<- { \"return\": {} }").unwrap();
        let client = mock.client().unwrap();
        let error = client.execute_raw("cont", &json!({})).unwrap_err();
        assert!(error.to_string().contains("expected"), "{error}");
        client.execute_raw("stop", &json!({})).unwrap();
        let report = mock.finish().unwrap_err();
        assert!(report.contains("received"), "{report}");
    }
}
