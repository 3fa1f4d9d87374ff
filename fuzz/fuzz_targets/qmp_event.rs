//! Fuzzes the generated QMP event decoder: arbitrary bytes as a whole event message
//! (`event`, `data`, `timestamp`), which a client reads from the server. Whatever decodes
//! must encode and decode to the same event.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qapi_fuzz::qmp::events::EventMessage;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = serde_json::from_slice::<EventMessage>(data) {
        qapi_fuzz::assert_round_trip(&message, serde_json::from_value::<EventMessage>);
    }
});
