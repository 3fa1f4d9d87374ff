//! Fuzzes the QMP server of `qapi-client`: after the first byte, which sets how many bytes
//! one read gives at most (so that messages arrive split anywhere), arbitrary bytes as
//! everything a client sends over one connection. Serving must end when the bytes do,
//! without a panic, and everything it writes must be whole lines of JSON objects (greeting,
//! replies, errors).

#![no_main]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use libfuzzer_sys::fuzz_target;
use qapi_client::{Emitter, ServerConfig, blocking};
use serde_json::{Value, json};

/// What the server writes, kept for checking.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl Write for Written {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes, at most `limit` a read.
struct Trickle<'a> {
    bytes: &'a [u8],
    limit: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = buffer.len().min(self.limit).min(self.bytes.len());
        buffer[..count].copy_from_slice(&self.bytes[..count]);
        self.bytes = &self.bytes[count..];
        Ok(count)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&limit, bytes)) = data.split_first() else {
        return;
    };
    // 1 to 64 bytes, or all at once.
    let limit = match limit {
        0..64 => usize::from(limit) + 1,
        _ => usize::MAX,
    };
    let events = Emitter::new();
    // Answers every request, and sends an event for each, as a server of QEMU's would.
    let mut service = |request: &Value| -> Option<Value> {
        events.emit_raw("REQUEST_SEEN", Some(json!({ "request": request })));
        Some(json!({ "return": {}, "id": request.get("id").cloned() }))
    };
    let written = Written::default();
    let served = blocking::serve(
        Trickle { bytes, limit },
        written.clone(),
        &mut service,
        &events,
        &ServerConfig::default(),
    );
    assert!(served.is_ok(), "serving from memory failed: {served:?}");
    let written = written.0.lock().unwrap();
    assert!(
        written.is_empty() || written.ends_with(b"\n"),
        "a line cut short"
    );
    for line in written
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.is_empty())
    {
        let value: Value = serde_json::from_slice(line).unwrap_or_else(|error| {
            panic!(
                "the server wrote {:?}, not JSON: {error}",
                String::from_utf8_lossy(line)
            )
        });
        assert!(value.is_object(), "the server wrote {value}, not an object");
    }
});
