//! What the decoder targets share: the generated module of QEMU 10.0.2's QMP schema, and the
//! check that whatever it decodes encodes to JSON that decodes to the same value again.

use std::fmt::Debug;

/// The Rust backend's output for QEMU 10.0.2's `qapi/qapi-schema.json`, default options.
#[allow(missing_docs)]
pub mod qmp {
    include!(concat!(env!("OUT_DIR"), "/qmp.rs"));
}

/// Encodes `decoded` and decodes the result with `decode`, which must succeed and give
/// `decoded` back; anything else is a bug in the generated code, and panics.
pub fn assert_round_trip<T, E>(decoded: &T, decode: impl FnOnce(serde_json::Value) -> Result<T, E>)
where
    T: serde::Serialize + PartialEq + Debug,
    E: Debug,
{
    let encoded = serde_json::to_value(decoded).expect("a decoded value encodes");
    match decode(encoded.clone()) {
        Ok(again) => assert_eq!(&again, decoded, "decoding {encoded} gave another value"),
        Err(error) => panic!("decoding our own encoding {encoded} failed: {error:?}"),
    }
}
