//! Fuzzes the clients of `qapi-client` on what a peer sends them: after the first byte,
//! which picks the client, arbitrary bytes as everything a QMP server says after a well-formed
//! greeting and negotiation (first byte even), or as everything a guest agent says (odd).
//! Whatever comes, the client must not panic, and once the bytes end every call must end
//! with the connection instead of waiting out its time limit.

#![no_main]

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use qapi_client::blocking::{Client, GuestAgent};
use qapi_client::{Config, Error, EventFilter};
use serde_json::{Value, json};

/// What a QMP server sends first: its greeting.
const GREETING: &[u8] = b"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 0, \
    \"major\": 10}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\n";

/// The server's reply to `qmp_capabilities`, which the client sends with the first `id`.
const NEGOTIATED: &[u8] = b"{\"return\": {}, \"id\": 1}\n";

/// Where the client writes: answers its first request, `qmp_capabilities`, once written,
/// as a server would (a reply that came before would be dropped), then only listens.
struct Negotiator(Option<Sender<Vec<u8>>>);

impl Write for Negotiator {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if bytes.contains(&b'\n')
            && let Some(peer) = self.0.take()
        {
            let _ = peer.send(NEGOTIATED.to_vec());
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A stream that gives what is sent to it, in pieces as sent, and ends when the sender goes.
struct Feed {
    pieces: Receiver<Vec<u8>>,
    piece: Vec<u8>,
    at: usize,
}

impl Read for Feed {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.piece.len() {
            match self.pieces.recv() {
                Ok(piece) => (self.piece, self.at) = (piece, 0),
                Err(_) => return Ok(0),
            }
        }
        let count = buffer.len().min(self.piece.len() - self.at);
        buffer[..count].copy_from_slice(&self.piece[self.at..self.at + count]);
        self.at += count;
        Ok(count)
    }
}

fn feed() -> (Sender<Vec<u8>>, Feed) {
    let (sender, pieces) = channel();
    let feed = Feed {
        pieces,
        piece: Vec::new(),
        at: 0,
    };
    (sender, feed)
}

/// Long enough never to pass while the client works; passing means a call waited for a
/// peer that had already gone.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Small, so that short inputs reach the limit on message length too.
const MAX_MESSAGE: usize = 256;

fn config() -> Config {
    Config::default().timeout(TIMEOUT).max_message(MAX_MESSAGE)
}

fn qmp(data: &[u8]) {
    let (sender, reader) = feed();
    sender.send(GREETING.to_vec()).unwrap();
    let client = Client::from_io(reader, Negotiator(Some(sender.clone())), config())
        .unwrap_or_else(|error| panic!("a well-formed opening did not connect: {error}"));
    let events = client.subscribe::<(String, Option<Value>)>(EventFilter::All);
    // Half before the call and half after it, in two reads. A send fails once the client
    // has closed the connection over what came before.
    let (before, after) = data.split_at(data.len() / 2);
    let _ = sender.send(before.to_vec());
    let call = std::thread::scope(|scope| {
        let call = scope.spawn(|| client.execute_raw("query-status", &json!({})));
        let _ = sender.send(after.to_vec());
        drop(sender);
        call.join().unwrap()
    });
    assert!(
        !matches!(call, Err(Error::Timeout)),
        "a call outlived its peer"
    );
    // The subscription ends with the connection: every event queued, then the end.
    loop {
        match events.recv_timeout(TIMEOUT) {
            Err(Error::Closed(_)) => break,
            Err(Error::Timeout) => panic!("a subscription outlived its peer"),
            // An event, a count of events missed, or one that did not decode.
            _ => {}
        }
    }
    assert!(
        client.closed().is_some(),
        "the connection outlived its peer"
    );
}

fn agent(data: &[u8]) {
    let (sender, reader) = feed();
    sender.send(data.to_vec()).unwrap();
    drop(sender);
    // The agent's answer to the sync would have to echo a random number: connecting fails,
    // by the end of the bytes at the latest.
    let connected = GuestAgent::from_io(reader, std::io::sink(), config());
    assert!(
        !matches!(connected, Err(Error::Timeout)),
        "synchronising outlived the agent"
    );
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 0 => qmp(rest),
        Some((_, rest)) => agent(rest),
        None => {}
    }
});
