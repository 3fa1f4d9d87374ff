//! Fuzzes the generated decoder of command return values: the input is a command name, a
//! newline and arbitrary bytes as the `return` value of a reply to that command. Whatever
//! decodes must encode and decode to the same value. For the commands whose replies hold
//! unions that decode speculatively, the text also goes through `Command::decode_returns`,
//! which must decode exactly what `serde_json::from_str` decodes, and fail where it fails.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qapi_fuzz::qmp::commands::{self, Command, decode_return};

/// `C::decode_returns(text)`, reading unions speculatively, against the ordinary decode.
fn same_as_from_str<C: Command<Returns: PartialEq>>(text: &str) {
    let speculative = C::decode_returns(text);
    let ordinary = serde_json::from_str::<C::Returns>(text);
    match (speculative, ordinary) {
        (Ok(speculative), Ok(ordinary)) => assert!(speculative == ordinary, "{text}"),
        (Err(_), Err(_)) => {}
        (speculative, ordinary) => panic!(
            "decode_returns gave {:?}, from_str {:?}",
            speculative.map(|_| ()),
            ordinary.map(|_| ())
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(newline) = data.iter().position(|&byte| byte == b'\n') else {
        return;
    };
    let Ok(command) = std::str::from_utf8(&data[..newline]) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(&data[newline + 1..]) {
        match command {
            "query-qmp-schema" => same_as_from_str::<commands::QueryQmpSchema>(text),
            "query-block" => same_as_from_str::<commands::QueryBlock>(text),
            "query-blockstats" => same_as_from_str::<commands::QueryBlockstats>(text),
            "query-block-jobs" => same_as_from_str::<commands::QueryBlockJobs>(text),
            "query-cpus-fast" => same_as_from_str::<commands::QueryCpusFast>(text),
            "query-display-options" => same_as_from_str::<commands::QueryDisplayOptions>(text),
            "query-sev" => same_as_from_str::<commands::QuerySev>(text),
            "query-yank" => same_as_from_str::<commands::QueryYank>(text),
            _ => {}
        }
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&data[newline + 1..]) else {
        return;
    };
    if let Ok(decoded) = decode_return(command, value) {
        qapi_fuzz::assert_round_trip(&decoded, |value| decode_return(command, value));
    }
});
