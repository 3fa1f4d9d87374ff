//! Helpers shared by the integration tests: where the upstream schemas are on this machine.
//!
//! Upstream schemas are never part of this repository. Cargo downloads the crates that ship
//! them (see this crate's manifest); [`crate_dir`] asks `cargo metadata` where they are.

use std::path::PathBuf;
use std::process::Command;

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
