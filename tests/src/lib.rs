//! Helpers shared by the integration tests: where the upstream schemas are on this machine,
//! and live QEMU processes to compare with.
//!
//! Upstream schemas are never part of this repository. Cargo downloads the crates that ship
//! them (see this crate's manifest); [`crate_dir`] asks `cargo metadata` where they are. QEMU's
//! source trees are unpacked by `cargo xtask fetch-qemu`; [`qemu_source`] finds 10.0.2's,
//! [`qemu_source_of`] any release's.

pub mod browser;
pub mod examples;
pub mod peer;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The QEMU release whose source tree and binaries the tests compare with.
pub const QEMU_VERSION: &str = "10.0.2";

/// The QEMU releases whose source trees `cargo xtask fetch-qemu` unpacks, oldest first: the
/// name `--qemu` takes, the full version (the tree is the cache's `qemu-VERSION`), and the
/// environment variable that may name the unpacked tree instead. 10.0's variable is the plain
/// `QAPI_QEMU_SRC`, which predates the others.
pub const QEMU_RELEASES: [(&str, &str, &str); 4] = [
    ("5.2", "5.2.0", "QAPI_QEMU_SRC_5_2"),
    ("7.2", "7.2.0", "QAPI_QEMU_SRC_7_2"),
    ("10.0", QEMU_VERSION, "QAPI_QEMU_SRC"),
    ("10.2", "10.2.2", "QAPI_QEMU_SRC_10_2"),
];

/// The unpacked QEMU 10.0.2 source tree, where `cargo xtask fetch-qemu` leaves it:
/// `$QAPI_QEMU_SRC`, else `qapi-toolchain/qemu-10.0.2` in the user's cache directory.
/// `None` when it has not been fetched.
pub fn qemu_source() -> Option<PathBuf> {
    qemu_source_of("10.0")
}

/// The unpacked source tree of `release` (a name in [`QEMU_RELEASES`], such as `"7.2"`), as
/// [`qemu_source_dir`] places it; `None` when it has not been fetched.
pub fn qemu_source_of(release: &str) -> Option<PathBuf> {
    qemu_source_dir(release).filter(|dir| dir.join("VERSION").is_file())
}

/// Where the source tree of `release` is or will be: the release's variable in
/// [`QEMU_RELEASES`] if set, else `qapi-toolchain/qemu-VERSION` in the user's cache
/// directory (`$XDG_CACHE_HOME`, else `$HOME/.cache`). `None` for a release not in the table
/// or when there is no cache directory.
pub fn qemu_source_dir(release: &str) -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    let (_, version, variable) = QEMU_RELEASES
        .into_iter()
        .find(|(name, _, _)| *name == release)?;
    if let Some(dir) = var(variable) {
        return Some(PathBuf::from(dir));
    }
    Some(cache_dir()?.join(format!("qemu-{version}")))
}

/// This project's directory in the user's cache (`$XDG_CACHE_HOME`, else `$HOME/.cache`).
fn cache_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    let cache = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))?;
    Some(cache.join("qapi-toolchain"))
}

/// The root of an older QEMU release's Debian binaries, unpacked by `.ci/run` into
/// `qapi-toolchain/qemu-RELEASE-bin/root` in the user's cache (`usr/bin/qemu-system-x86_64`,
/// its manuals under `usr/share/man`); `None` when they are not there. Only 7.2 is unpacked.
pub fn qemu_binaries_of(release: &str) -> Option<PathBuf> {
    let root = cache_dir()?
        .join(format!("qemu-{release}-bin"))
        .join("root");
    root.is_dir().then_some(root)
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
