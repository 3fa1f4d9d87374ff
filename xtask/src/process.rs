//! Small helpers shared by the commands: finding the workspace root and target
//! directory, building the release `qapi-gen` binary, and running a child process with captured
//! output and a time limit.

use std::env;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The workspace root: the directory that contains the `xtask` crate.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("the xtask crate lives inside the workspace")
        .to_path_buf()
}

/// The workspace's target directory: `$CARGO_TARGET_DIR` (relative to the workspace root) if
/// set, else `target/`.
pub fn target_dir() -> PathBuf {
    let root = workspace_root();
    env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"))
}

/// Builds `qapi-gen` in release mode and returns the path of the binary.
pub fn build_cli() -> Result<PathBuf, String> {
    let root = workspace_root();
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let args = ["build", "--release", "--bin", "qapi-gen"];
    eprintln!("xtask: running `cargo {}`", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(&root)
        .status()
        .map_err(|err| format!("cannot run {}: {err}", Path::new(&cargo).display()))?;
    if !status.success() {
        return Err(format!("`cargo {}` failed ({status})", args.join(" ")));
    }

    let binary = target_dir()
        .join("release")
        .join(format!("qapi-gen{}", env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "the build succeeded but {} does not exist",
            binary.display()
        ))
    }
}

/// What a child process did, as seen by [`run_captured`].
pub struct Captured {
    /// How the process ended, or `None` if it was killed for running too long.
    pub status: Option<ExitStatus>,
    /// Everything the process wrote to standard output.
    pub stdout: String,
    /// Everything the process wrote to standard error.
    pub stderr: String,
}

impl Captured {
    /// A short description of how the process ended, for messages.
    pub fn describe_end(&self) -> String {
        match self.status {
            Some(status) => status.to_string(),
            None => "timed out".to_owned(),
        }
    }
}

/// Runs `command` with no stdin, collecting its stdout and stderr (decoded
/// lossily as UTF-8). If it is still running after `limit`, it is killed and
/// the result carries no exit status.
pub fn run_captured(command: &mut Command, limit: Duration) -> Result<Captured, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run {command:?}: {err}"))?;

    // Drain both pipes on their own threads so a chatty child can never block
    // on a full pipe while we wait for it.
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);

    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= limit => {
                // The process may exit by itself between the check and the
                // kill; either way `wait` reaps it.
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(err) => return Err(format!("waiting for {command:?} failed: {err}")),
        }
    };

    let collect = |reader: Option<thread::JoinHandle<Vec<u8>>>| {
        let bytes = reader.map(|handle| handle.join().unwrap_or_default());
        String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
    };
    Ok(Captured {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    })
}

/// Reads a pipe to its end on a new thread.
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error just truncates the output; the exit status still tells
        // the caller what happened.
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}
