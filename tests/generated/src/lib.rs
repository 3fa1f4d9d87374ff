//! The Rust backend's output for real schemas, compiled with every warning denied.
//!
//! `build.rs` generates one module per schema: our own always, QEMU 10.0.2's QMP, guest-agent
//! and storage-daemon schemas when QEMU's source tree is fetched, and QEMU 9.1's QMP schema
//! from the `qapi-qmp` crate. The tests run the modules against live QEMU binaries.

#![deny(warnings)]

// No lint is allowed here: CI runs clippy with warnings denied over these modules too.

/// `schemas/demo.json`.
pub mod demo {
    include!(concat!(env!("OUT_DIR"), "/demo.rs"));
}

/// `schemas/kitchen-sink/kitchen-sink.json`.
pub mod kitchen_sink {
    include!(concat!(env!("OUT_DIR"), "/kitchen_sink.rs"));
}

/// The kitchen sink without forward compatibility, server or docs.
pub mod kitchen_sink_strict {
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/kitchen_sink_strict.rs"));
}

/// The kitchen sink with conditions decided by this crate's cargo features.
pub mod kitchen_sink_features {
    include!(concat!(env!("OUT_DIR"), "/kitchen_sink_features.rs"));
}

/// The kitchen sink cut down to `query-power` and `BUS_MODE_CHANGED`, with extra attributes
/// and two types of ours.
pub mod kitchen_sink_kept {
    include!(concat!(env!("OUT_DIR"), "/kitchen_sink_kept.rs"));
}

/// A user type standing in for schema types in `kitchen_sink_kept`: any JSON value.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Opaque(pub serde_json::Value);

/// QEMU 10.0.2's QMP schema (`qapi/qapi-schema.json`).
#[cfg(qemu_source)]
pub mod qmp {
    include!(concat!(env!("OUT_DIR"), "/qmp.rs"));
}

/// QEMU 10.0.2's guest-agent schema (`qga/qapi-schema.json`).
#[cfg(qemu_source)]
pub mod qga {
    include!(concat!(env!("OUT_DIR"), "/qga.rs"));
}

/// QEMU 10.0.2's storage-daemon schema (`storage-daemon/qapi/qapi-schema.json`).
#[cfg(qemu_source)]
pub mod storage_daemon {
    include!(concat!(env!("OUT_DIR"), "/storage_daemon.rs"));
}

/// QEMU 9.1's QMP schema, from the `qapi-qmp` 0.15.0 crate.
pub mod qmp_9_1 {
    include!(concat!(env!("OUT_DIR"), "/qmp_9_1.rs"));
}

/// Whether the modules for QEMU 10.0.2's schemas were generated.
pub const HAS_QEMU_SCHEMAS: bool = cfg!(qemu_source);
