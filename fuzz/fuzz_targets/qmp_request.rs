//! Fuzzes the generated QMP request decoder: arbitrary bytes as a whole request message
//! (`execute` or `exec-oob`, `arguments`, `id`), which a server reads from its clients.
//! Whatever decodes must encode and decode to the same request.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qapi_fuzz::qmp::commands::RequestMessage;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = serde_json::from_slice::<RequestMessage>(data) {
        qapi_fuzz::assert_round_trip(&message, |value| RequestMessage::from_value(&value));
    }
});
