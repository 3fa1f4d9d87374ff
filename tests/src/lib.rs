//! Helpers shared by the integration tests: where the upstream schemas are on this machine,
//! and live QEMU processes to compare with.
//!
//! Upstream schemas are never part of this repository. Cargo downloads the crates that ship
//! them (see this crate's manifest); [`crate_dir`] asks `cargo metadata` where they are. QEMU
//! 10.0.2's source tree is unpacked by `cargo xtask fetch-qemu`; [`qemu_source`] finds it.

pub mod browser;
pub mod examples;
pub mod peer;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The QEMU release whose source tree and binaries the tests compare with.
pub const QEMU_VERSION: &str = "10.0.2";

/// The unpacked QEMU 10.0.2 source tree, where `cargo xtask fetch-qemu` leaves it:
/// `$QAPI_QEMU_SRC`, else `qapi-toolchain/qemu-10.0.2` in the user's cache directory.
/// `None` when it has not been fetched.
pub fn qemu_source() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    let dir = match var("QAPI_QEMU_SRC") {
        Some(dir) => PathBuf::from(dir),
        None => var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))?
            .join("qapi-toolchain")
            .join(format!("qemu-{QEMU_VERSION}")),
    };
    dir.join("VERSION").is_file().then_some(dir)
}

/// Whether tests that need something absent from the machine must fail rather than skip:
/// `QAPI_REQUIRE_LIVE=1`, which `.ci/run` sets after installing everything.
pub fn live_required() -> bool {
    std::env::var_os("QAPI_REQUIRE_LIVE").is_some_and(|value| value == "1")
}

/// Reports that a test cannot run here: a panic when [`live_required`], else a note on
/// standard error. Returns so the caller can skip the rest.
pub fn unavailable(what: &str) {
    assert!(!live_required(), "{what} (QAPI_REQUIRE_LIVE=1 demands it)");
    eprintln!("skipped: {what}");
}

/// Where two JSON values first differ, as a path from the root (`.member`, `[index]`) with
/// both sides there; `None` when they are equal.
pub fn first_difference(ours: &Value, theirs: &Value) -> Option<String> {
    difference_at(ours, theirs, "")
}

fn difference_at(ours: &Value, theirs: &Value, path: &str) -> Option<String> {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            a.keys()
                .chain(b.keys())
                .find_map(|key| match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => difference_at(x, y, &format!("{path}.{key}")),
                    (x, y) => Some(format!("{path}.{key}: ours {x:?}, theirs {y:?}")),
                })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(index, (x, y))| difference_at(x, y, &format!("{path}[{index}]"))),
        _ if ours == theirs => None,
        _ => Some(format!("{path}: ours {ours}, theirs {theirs}")),
    }
}

/// A file of this crate's test data.
pub fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// The source directory of the dependency `name` (version `version`) as cargo resolved it.
pub fn crate_dir(name: &str, version: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["name"] == name && package["version"] == version)
        .unwrap_or_else(|| panic!("{name} {version} is not in the dependency graph"));
    let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
    manifest.parent().map(PathBuf::from).unwrap_or_default()
}
