//! The wire: one JSON object per line, the guest agent's 0xFF delimiter, the kinds of
//! message a peer sends, and the request objects this crate writes.

use std::ops::Range;

use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Closed, QmpError};
use crate::schema::Timestamp;

/// The longest message a connection accepts unless told otherwise: 8 MiB, some forty times
/// QEMU's largest reply (`query-qmp-schema`).
pub const DEFAULT_MAX_MESSAGE: usize = 8 << 20;

/// The byte the guest agent sends before its reply to `guest-sync-delimited`, and a client
/// sends to reset the agent's parser. It never occurs in UTF-8 text.
pub(crate) const DELIMITER: u8 = 0xFF;

/// How many bytes one read asks for.
pub(crate) const READ_CHUNK: usize = 64 << 10;

/// Splits received bytes into messages and delimiters, with a limit on a message's length.
///
/// A message ends where its top-level JSON object or array closes, or at a line end outside
/// any object (which ends a line of something else, for the parser to refuse). Peers need
/// not end messages with a line end: QEMU's parser reads a stream of JSON values, and so do
/// some clients (Python's `qemu.qmp` writes none).
pub(crate) struct Frames {
    buffer: Vec<u8>,
    /// Where blocking reads land before they are appended to `buffer`.
    spare: Vec<u8>,
    /// Where the next frame starts.
    start: usize,
    /// Bytes before this index (and after `start`) have been scanned into the state below.
    scanned: usize,
    max: usize,
    /// How deep in objects and arrays the scan is.
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Whether the frame so far holds anything but white space.
    content: bool,
}

/// One piece of what a peer sent.
pub(crate) enum Frame {
    /// A message; the range is into [`Frames::bytes`].
    Line(Range<usize>),
    /// A 0xFF byte. What came before it in its message is dropped.
    Delimiter,
}

impl Frames {
    pub(crate) fn new(max: usize) -> Frames {
        Frames {
            buffer: Vec::new(),
            spare: Vec::new(),
            start: 0,
            scanned: 0,
            max,
            depth: 0,
            in_string: false,
            escaped: false,
            content: false,
        }
    }

    /// Ends the frame in progress at `end` (exclusive); the next one starts at `next`.
    fn cut(&mut self, end: usize, next: usize) -> Range<usize> {
        let frame = self.start..end;
        self.start = next;
        self.scanned = next;
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
        self.content = false;
        frame
    }

    /// The next complete frame, `None` when more bytes are needed, or the error that ends
    /// the connection when a message outgrows the limit.
    pub(crate) fn next(&mut self) -> Result<Option<Frame>, Closed> {
        let mut index = self.scanned;
        while index < self.buffer.len() {
            let byte = self.buffer[index];
            index += 1;
            if byte == DELIMITER {
                self.cut(index, index);
                return Ok(Some(Frame::Delimiter));
            }
            if self.in_string {
                match byte {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => {
                    self.in_string = true;
                    self.content = true;
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    self.content = true;
                }
                b'}' | b']' if self.depth > 0 => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Ok(Some(Frame::Line(self.cut(index, index))));
                    }
                }
                b'\n' if self.depth == 0 => {
                    if self.content {
                        return Ok(Some(Frame::Line(self.cut(index - 1, index))));
                    }
                    self.cut(index, index);
                }
                b' ' | b'\t' | b'\r' => {}
                _ => self.content = true,
            }
        }
        self.scanned = index;
        if self.buffer.len() - self.start > self.max {
            return Err(Closed::TooLong(self.max));
        }
        Ok(None)
    }

    /// The bytes a [`Frame::Line`] range points into.
    pub(crate) fn bytes(&self, range: Range<usize>) -> &[u8] {
        &self.buffer[range]
    }

    /// Drops the frames already returned, so the buffer holds only an unfinished message.
    fn compact(&mut self) {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
    }

    /// Reads once from `reader`, at most [`READ_CHUNK`] bytes; how many came, 0 at the end
    /// of the stream.
    pub(crate) fn read_from(&mut self, reader: &mut impl std::io::Read) -> std::io::Result<usize> {
        self.compact();
        // Read into the spare part of `spare`, a buffer kept between reads so that its bytes
        // are initialised once, not on every read.
        let filled = self.buffer.len();
        if self.spare.len() < READ_CHUNK {
            self.spare = vec![0; READ_CHUNK];
        }
        let read = loop {
            match reader.read(&mut self.spare) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                result => break result?,
            }
        };
        self.buffer.extend_from_slice(&self.spare[..read]);
        debug_assert_eq!(self.buffer.len(), filled + read);
        Ok(read)
    }

    /// The buffer to read into with tokio's `read_buf`, which appends.
    #[cfg(feature = "tokio")]
    pub(crate) fn read_buffer(&mut self) -> &mut Vec<u8> {
        self.compact();
        self.buffer.reserve(READ_CHUNK);
        &mut self.buffer
    }
}

/// An event as received, before it is decoded into a schema's type.
#[derive(Clone, Debug)]
pub(crate) struct RawEvent {
    pub name: String,
    pub data: Option<Value>,
    pub timestamp: Option<Timestamp>,
}

/// The outcome of a command: its `return` value as JSON text, or its error.
pub(crate) type Outcome = Result<Box<RawValue>, QmpError>;

/// A message from a peer, by kind.
pub(crate) enum Incoming {
    /// The QMP greeting, `{"QMP": …}`.
    Greeting(Box<RawValue>),
    /// A response, with the `id` it echoes.
    Reply { id: Option<Value>, outcome: Outcome },
    /// An event.
    Event(RawEvent),
}

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "return")]
    returned: Option<Box<RawValue>>,
    error: Option<QmpError>,
    id: Option<Value>,
    event: Option<String>,
    data: Option<Value>,
    timestamp: Option<Timestamp>,
    #[serde(rename = "QMP")]
    greeting: Option<Box<RawValue>>,
}

/// A line shown in an error, shortened to what a person reads.
pub(crate) fn excerpt(line: &[u8]) -> String {
    const SHOWN: usize = 200;
    let text = String::from_utf8_lossy(&line[..line.len().min(SHOWN)]);
    if line.len() > SHOWN {
        format!("{text}…")
    } else {
        text.into_owned()
    }
}

impl Incoming {
    /// Reads one line; blank lines are `None`.
    pub(crate) fn parse(line: &[u8]) -> Result<Option<Incoming>, String> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let message: Message = serde_json::from_slice(line)
            .map_err(|error| format!("{error} in `{}`", excerpt(line)))?;
        let incoming = match message {
            Message {
                returned: Some(value),
                error: None,
                id,
                ..
            } => Incoming::Reply {
                id,
                outcome: Ok(value),
            },
            Message {
                error: Some(error),
                returned: None,
                id,
                ..
            } => Incoming::Reply {
                id,
                outcome: Err(error),
            },
            Message {
                event: Some(name),
                data,
                timestamp,
                ..
            } => Incoming::Event(RawEvent {
                name,
                data,
                timestamp,
            }),
            Message {
                greeting: Some(greeting),
                ..
            } => Incoming::Greeting(greeting),
            _ => return Err(format!("a message of no known kind: `{}`", excerpt(line))),
        };
        Ok(Some(incoming))
    }
}

/// A request object: `{"execute": NAME, "arguments": …, "id": ID}`, or `exec-oob`.
pub(crate) struct Request<'a, A: ?Sized> {
    pub name: &'a str,
    pub arguments: &'a A,
    pub id: Option<u64>,
    pub oob: bool,
}

impl<A: Serialize + ?Sized> Serialize for Request<'_, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(if self.oob { "exec-oob" } else { "execute" }, self.name)?;
        map.serialize_entry("arguments", self.arguments)?;
        if let Some(id) = self.id {
            map.serialize_entry("id", &id)?;
        }
        map.end()
    }
}

impl<A: Serialize + ?Sized> Request<'_, A> {
    /// The request as one line.
    pub(crate) fn line(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut line = Vec::with_capacity(64);
        serde_json::to_writer(&mut line, self)?;
        line.push(b'\n');
        Ok(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames_of(chunks: &[&[u8]], max: usize) -> Vec<Result<Option<String>, Closed>> {
        let mut frames = Frames::new(max);
        let mut seen = Vec::new();
        for chunk in chunks {
            frames.read_from(&mut &chunk[..]).unwrap();
            loop {
                match frames.next() {
                    Ok(Some(Frame::Line(range))) => seen.push(Ok(Some(
                        String::from_utf8_lossy(frames.bytes(range)).into_owned(),
                    ))),
                    Ok(Some(Frame::Delimiter)) => seen.push(Ok(None)),
                    Ok(None) => break,
                    Err(error) => {
                        seen.push(Err(error));
                        return seen;
                    }
                }
            }
        }
        seen
    }

    #[test]
    fn lines_split_across_reads_are_joined() {
        let seen = frames_of(&[b"{\"a\":", b"1}\n{\"b\"", b":2}\n"], 100);
        assert_eq!(
            seen,
            vec![Ok(Some("{\"a\":1}".into())), Ok(Some("{\"b\":2}".into()))]
        );
    }

    #[test]
    fn a_delimiter_drops_what_came_before_it() {
        let seen = frames_of(&[b"garb\xFF{\"return\": 1}\n"], 100);
        assert_eq!(seen, vec![Ok(None), Ok(Some("{\"return\": 1}".into()))]);
    }

    #[test]
    fn messages_end_where_their_object_closes_without_a_line_end() {
        let seen = frames_of(
            &[
                br#"{"a": "}\"{"}{"b""#,
                br#": [1, {"c": 2}]}  [3]"#,
                b"\r\n\r\n  oops \n",
            ],
            100,
        );
        assert_eq!(
            seen,
            vec![
                Ok(Some(r#"{"a": "}\"{"}"#.into())),
                Ok(Some(r#"{"b": [1, {"c": 2}]}"#.into())),
                Ok(Some("  [3]".into())),
                Ok(Some("  oops ".into())),
            ]
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_ends_the_stream() {
        let seen = frames_of(&[b"0123456789", b"0123456789"], 15);
        assert_eq!(seen, vec![Err(Closed::TooLong(15))]);
    }

    #[test]
    fn messages_are_told_apart_by_kind() {
        let kind = |line: &str| match Incoming::parse(line.as_bytes()) {
            Ok(Some(Incoming::Greeting(_))) => "greeting".to_owned(),
            Ok(Some(Incoming::Reply { outcome: Ok(v), .. })) => format!("return {}", v.get()),
            Ok(Some(Incoming::Reply {
                outcome: Err(e), ..
            })) => format!("error {}", e.class),
            Ok(Some(Incoming::Event(event))) => format!("event {}", event.name),
            Ok(None) => "blank".to_owned(),
            Err(error) => format!("bad: {error}"),
        };
        assert_eq!(
            kind(r#"{"QMP": {"version": {}, "capabilities": []}}"#),
            "greeting"
        );
        assert_eq!(
            kind(r#"{"return": {"a": [1]}, "id": 3}"#),
            r#"return {"a": [1]}"#
        );
        assert_eq!(
            kind(r#"{"error": {"class": "GenericError", "desc": "no"}}"#),
            "error GenericError"
        );
        assert_eq!(
            kind(r#"{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}"#),
            "event STOP"
        );
        assert_eq!(kind(" \r"), "blank");
        assert!(kind(r#"{"hello": 1}"#).starts_with("bad: a message of no known kind"));
        assert!(kind("[1, 2").starts_with("bad: "));
    }
}
