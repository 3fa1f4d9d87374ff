//! Running the `qapi-gen` binary from the tests, and scratch directories for its files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `qapi-gen` with `args` from the repository root.
pub fn qapi_gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("qapi-gen runs")
}

/// The exit status.
pub fn status(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qapi-gen-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
