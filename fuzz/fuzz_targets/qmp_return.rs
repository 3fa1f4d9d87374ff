//! Fuzzes the generated decoder of command return values: the input is a command name, a
//! newline and arbitrary bytes as the `return` value of a reply to that command. Whatever
//! decodes must encode and decode to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qapi_fuzz::qmp::commands::decode_return;

fuzz_target!(|data: &[u8]| {
    let Some(newline) = data.iter().position(|&byte| byte == b'\n') else {
        return;
    };
    let (Ok(command), Ok(value)) = (
        std::str::from_utf8(&data[..newline]),
        serde_json::from_slice::<serde_json::Value>(&data[newline + 1..]),
    ) else {
        return;
    };
    if let Ok(decoded) = decode_return(command, value) {
        qapi_fuzz::assert_round_trip(&decoded, |value| decode_return(command, value));
    }
});
