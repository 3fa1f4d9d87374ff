//! The Rust backend's output for real schemas, compiled with every warning denied.
//!
//! `build.rs` generates one module per schema: our own always; the QMP, guest-agent and
//! storage-daemon schemas of QEMU 10.0.2 (`qmp`, `qga`, `storage_daemon`) and of 5.2, 7.2 and
//! 10.2.2 (`qmp_7_2`, …) where their source trees are fetched; QEMU 9.1's QMP schema from
//! the `qapi-qmp` crate; and the demo schema again with the `runtime` option
//! (`demo_runtime`, `demo_runtime_client`). QEMU 10.0.2's three modules have the `runtime`
//! option too, and the other releases' do not. The tests run the modules against live QEMU
//! binaries, through `qapi-client` and by hand.

#![deny(warnings)]

// No lint is allowed here: CI runs clippy with warnings denied over these modules too.

/// The fixed part of every generated `protocol` module, compiled and linted as written (the
/// generator copies its items from this file, and from `fixed_objects.rs` and
/// `fixed_unions.rs`, its submodules `objects` and `unions`, each in its submodule's place).
#[path = "../../../qapi-codegen/src/rust/fixed_protocol.rs"]
#[rustfmt::skip]
pub mod fixed_protocol;

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

/// `schemas/demo.json` plugged into the `qapi-client` runtime.
pub mod demo_runtime {
    include!(concat!(env!("OUT_DIR"), "/demo_runtime.rs"));
}

/// `schemas/demo.json` plugged into the `qapi-client` runtime, without server or forward
/// compatibility.
pub mod demo_runtime_client {
    include!(concat!(env!("OUT_DIR"), "/demo_runtime_client.rs"));
}

/// The same, private and with nothing in it used, as a build script's output is included
/// most often: only dead code may be reported there, no unused import.
#[allow(dead_code)]
mod demo_runtime_private {
    include!(concat!(env!("OUT_DIR"), "/demo_runtime.rs"));
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

/// Modules for the three schemas of an older or newer QEMU release, read by its rules.
macro_rules! release_modules {
    ($cfg:ident, $release:literal, $qmp:ident, $qga:ident, $storage_daemon:ident) => {
        #[doc = concat!("QEMU ", $release, "'s QMP schema.")]
        #[cfg($cfg)]
        pub mod $qmp {
            include!(concat!(env!("OUT_DIR"), "/", stringify!($qmp), ".rs"));
        }

        #[doc = concat!("QEMU ", $release, "'s guest-agent schema.")]
        #[cfg($cfg)]
        pub mod $qga {
            include!(concat!(env!("OUT_DIR"), "/", stringify!($qga), ".rs"));
        }

        #[doc = concat!("QEMU ", $release, "'s storage-daemon schema.")]
        #[cfg($cfg)]
        pub mod $storage_daemon {
            include!(concat!(
                env!("OUT_DIR"),
                "/",
                stringify!($storage_daemon),
                ".rs"
            ));
        }
    };
}

release_modules!(qemu_5_2, "5.2", qmp_5_2, qga_5_2, storage_daemon_5_2);
release_modules!(qemu_7_2, "7.2", qmp_7_2, qga_7_2, storage_daemon_7_2);
release_modules!(qemu_10_2, "10.2.2", qmp_10_2, qga_10_2, storage_daemon_10_2);

/// Every schema of `schemas/corpus`, the corpus of accepted schemas, a module each. Most of
/// them document nothing: they exercise the language, not the docs.
#[allow(missing_docs)]
pub mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
}

/// `schemas/legacy/workshop.json`, in QEMU 5.2's dialect.
pub mod workshop {
    include!(concat!(env!("OUT_DIR"), "/workshop.rs"));
}

/// QEMU 9.1's QMP schema, from the `qapi-qmp` 0.15.0 crate.
pub mod qmp_9_1 {
    include!(concat!(env!("OUT_DIR"), "/qmp_9_1.rs"));
}

/// Whether the modules for the schemas of every QEMU release (5.2, 7.2, 10.0.2, 10.2.2) were
/// generated.
pub const HAS_QEMU_SCHEMAS: bool =
    cfg!(qemu_source) && cfg!(qemu_5_2) && cfg!(qemu_7_2) && cfg!(qemu_10_2);
