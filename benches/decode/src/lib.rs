//! The contenders of the decode benchmark and the captured replies they decode.
//!
//! Each contender turns the text of a `query-*` reply's `return` value into its own
//! representation: our generated types for QEMU 10.0.2 (straight from the text, or through
//! `serde_json::Value` and `decode_return` as a client that dispatches on the command name
//! would), our generated types for QEMU 9.1's schema, `qapi-qmp` 0.15.0's types (also 9.1), and
//! a plain `serde_json::Value`. The replies come from `cargo xtask capture`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// Our types for QEMU 10.0.2's QMP schema.
#[allow(clippy::all, deprecated, missing_docs)]
pub mod ours_10 {
    include!(concat!(env!("OUT_DIR"), "/ours_10.rs"));
}

/// Our types for QEMU 9.1's QMP schema, the one `qapi-qmp` 0.15.0 was generated from.
#[allow(clippy::all, deprecated, missing_docs)]
pub mod ours_9_1 {
    include!(concat!(env!("OUT_DIR"), "/ours_9_1.rs"));
}

// `ours_10`, `ours_10_from_str`, `ours_9_1`, `ours_9_1_from_str` and `qapi_qmp`: command name
// to decoder, per contender.
include!(concat!(env!("OUT_DIR"), "/decoders.rs"));

/// Decodes the reply text of the named command, dropping the result.
pub type Decoder = fn(command: &str, text: &str) -> Result<(), String>;

/// Decodes `text` as a `T`, which is then dropped (freeing it is part of the cost).
fn decode<T: DeserializeOwned>(_command: &str, text: &str) -> Result<(), String> {
    dropped(serde_json::from_str::<T>(black_box(text)))
}

/// Decodes `text` as the reply of our 10.0.2 module's command `C`, as `qapi-client` does.
fn reply_10<C: ours_10::commands::Command>(_command: &str, text: &str) -> Result<(), String> {
    dropped(C::decode_returns(black_box(text)))
}

/// [`reply_10`] with our 9.1 module.
fn reply_9_1<C: ours_9_1::commands::Command>(_command: &str, text: &str) -> Result<(), String> {
    dropped(C::decode_returns(black_box(text)))
}

/// A decoder's outcome: its value dropped where the optimizer cannot skip making it, or its
/// error as text.
fn dropped<T, E: std::fmt::Display>(decoded: Result<T, E>) -> Result<(), String> {
    match decoded {
        Ok(value) => {
            black_box(value);
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}

/// Parses `text` into a `Value`, then hands it to our 10.0.2 module's `decode_return`.
fn decode_via_value(command: &str, text: &str) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_str(black_box(text)).map_err(|error| error.to_string())?;
    dropped(ours_10::commands::decode_return(command, value))
}

/// One way of decoding replies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contender {
    /// Our types for 10.0.2, `<C as Command>::decode_returns(text)`: a reply as
    /// `qapi-client` decodes it.
    Ours,
    /// Our types for 10.0.2, `serde_json::from_str::<<C as Command>::Returns>`.
    OursFromStr,
    /// Our types for 10.0.2, text → `Value` → `commands::decode_return(name, value)`.
    OursViaValue,
    /// Our types for 9.1, as [`Contender::Ours`].
    Ours91,
    /// Our types for 9.1, as [`Contender::OursFromStr`].
    Ours91FromStr,
    /// `qapi-qmp` 0.15.0's types, `serde_json::from_str::<<C as qapi_spec::Command>::Ok>`.
    QapiQmp,
    /// `serde_json::from_str::<serde_json::Value>`.
    Value,
}

impl Contender {
    /// Every contender, in the order of the report's columns.
    pub const ALL: [Contender; 7] = [
        Contender::Ours,
        Contender::OursFromStr,
        Contender::OursViaValue,
        Contender::Ours91,
        Contender::Ours91FromStr,
        Contender::QapiQmp,
        Contender::Value,
    ];

    /// The key naming this contender in the results file and in criterion's output.
    pub fn key(self) -> &'static str {
        match self {
            Contender::Ours => "ours-10.0.2",
            Contender::OursFromStr => "ours-10.0.2-from-str",
            Contender::OursViaValue => "ours-10.0.2-via-value",
            Contender::Ours91 => "ours-9.1",
            Contender::Ours91FromStr => "ours-9.1-from-str",
            Contender::QapiQmp => "qapi-qmp-0.15.0",
            Contender::Value => "value",
        }
    }

    /// How this contender decodes `command`'s reply; `None` when its schema lacks the command.
    pub fn decoder(self, command: &str) -> Option<Decoder> {
        match self {
            Contender::Ours => ours_10(command),
            Contender::OursFromStr => ours_10_from_str(command),
            Contender::OursViaValue => ours_10(command).map(|_| decode_via_value as Decoder),
            Contender::Ours91 => ours_9_1(command),
            Contender::Ours91FromStr => ours_9_1_from_str(command),
            Contender::QapiQmp => qapi_qmp(command),
            Contender::Value => Some(decode::<serde_json::Value>),
        }
    }
}

/// Where `cargo xtask capture` leaves the replies: `$QAPI_BENCH_REPLIES` if set, otherwise
/// `target/bench/replies.json` in the main workspace.
pub fn default_replies_path() -> PathBuf {
    match std::env::var_os("QAPI_BENCH_REPLIES").filter(|path| !path.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench/replies.json"),
    }
}

/// Reads a replies file: a JSON object from command name to the text of its `return` value.
pub fn load_replies(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "cannot read {}: {error} (`cargo xtask capture` writes it)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}
