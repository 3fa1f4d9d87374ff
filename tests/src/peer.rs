//! Live QEMU processes on unix sockets, spoken to with QMP, as oracles for the tests.
//!
//! Each peer runs in a fresh temporary directory and is killed when dropped. Only QEMU's own
//! binaries from the machine's packages are started; nothing here emulates them.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The QEMU programs the tests talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    /// `qemu-storage-daemon` (Debian package `qemu-utils`).
    StorageDaemon,
    /// `qemu-system-x86_64 -machine none` (Debian package `qemu-system-x86`).
    SystemX86,
}

impl Program {
    /// The executable's name.
    pub fn executable(self) -> &'static str {
        match self {
            Program::StorageDaemon => "qemu-storage-daemon",
            Program::SystemX86 => "qemu-system-x86_64",
        }
    }

    /// The root schema of this program, relative to QEMU's source tree.
    pub fn schema(self) -> &'static str {
        match self {
            Program::StorageDaemon => "storage-daemon/qapi/qapi-schema.json",
            Program::SystemX86 => "qapi/qapi-schema.json",
        }
    }

    /// The file in this crate's `data/` that lists the condition symbols the Debian build
    /// defines.
    pub fn symbol_file(self) -> PathBuf {
        crate::data_file(&format!("cfg-{}.txt", self.executable()))
    }

    fn arguments(self, socket: &Path) -> Vec<String> {
        let socket = socket.display();
        match self {
            Program::StorageDaemon => vec![
                "--chardev".into(),
                format!("socket,path={socket},server=on,wait=off,id=qmp0"),
                "--monitor".into(),
                "chardev=qmp0".into(),
            ],
            Program::SystemX86 => vec![
                "-machine".into(),
                "none".into(),
                "-nodefaults".into(),
                "-display".into(),
                "none".into(),
                "-qmp".into(),
                format!("unix:{socket},server=on,wait=off"),
            ],
        }
    }
}

/// A running QEMU process with a QMP session in command mode.
pub struct Peer {
    child: Child,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    directory: PathBuf,
    next_id: u64,
    /// The greeting's `QMP` member: version and capabilities.
    pub greeting: Value,
}

/// How long a peer may take to open its socket or to answer.
const PATIENCE: Duration = Duration::from_secs(30);

impl Peer {
    /// Starts `program` and negotiates capabilities. `Ok(None)` when the executable is not
    /// installed.
    pub fn start(program: Program) -> Result<Option<Peer>, String> {
        let Some(executable) = find_executable(program.executable()) else {
            return Ok(None);
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let directory = std::env::temp_dir().join(format!(
            "qapi-peer-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&directory)
            .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
        let socket = directory.join("qmp.sock");
        let child = Command::new(&executable)
            .args(program.arguments(&socket))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", executable.display()))?;
        let mut peer = Peer::connect(child, &socket, directory)?;
        peer.execute("qmp_capabilities", None)?;
        Ok(Some(peer))
    }

    fn connect(mut child: Child, socket: &Path, directory: PathBuf) -> Result<Peer, String> {
        let started = Instant::now();
        let stream = loop {
            match UnixStream::connect(socket) {
                Ok(stream) => break stream,
                Err(_) if started.elapsed() < PATIENCE => {
                    if let Ok(Some(status)) = child.try_wait() {
                        return Err(format!("the peer exited before listening: {status}"));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(error) => {
                    let _ = child.kill();
                    return Err(format!("cannot connect to {}: {error}", socket.display()));
                }
            }
        };
        let set_timeout = stream
            .set_read_timeout(Some(PATIENCE))
            .and_then(|()| stream.try_clone());
        let writer = set_timeout.map_err(|error| format!("socket set-up failed: {error}"))?;
        let mut peer = Peer {
            child,
            reader: BufReader::new(stream),
            writer,
            directory,
            next_id: 0,
            greeting: Value::Null,
        };
        let greeting = peer.read_message()?;
        peer.greeting = greeting
            .get("QMP")
            .cloned()
            .ok_or_else(|| format!("expected a QMP greeting, got {greeting}"))?;
        Ok(peer)
    }

    /// The `major.minor.micro` version the greeting announces.
    pub fn version(&self) -> String {
        let qemu = &self.greeting["version"]["qemu"];
        format!("{}.{}.{}", qemu["major"], qemu["minor"], qemu["micro"])
    }

    /// Runs a command and returns its whole response object (`return` or `error`), skipping
    /// the events that arrive meanwhile.
    pub fn execute(&mut self, command: &str, arguments: Option<Value>) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut request = json!({ "execute": command, "id": id });
        if let Some(arguments) = arguments {
            request["arguments"] = arguments;
        }
        self.send(&request)?;
        loop {
            let message = self.read_message()?;
            if message.get("id") == Some(&json!(id)) {
                return Ok(message);
            }
        }
    }

    /// Runs a command and returns its `return` value; an `error` response is an `Err`.
    pub fn query(&mut self, command: &str) -> Result<Value, String> {
        let mut response = self.execute(command, None)?;
        match response.get_mut("return") {
            Some(value) => Ok(value.take()),
            None => Err(format!("{command} failed: {response}")),
        }
    }

    /// Sends one JSON object as one line.
    pub fn send(&mut self, message: &Value) -> Result<(), String> {
        let mut line = message.to_string();
        line.push('\n');
        self.writer
            .write_all(line.as_bytes())
            .map_err(|error| format!("cannot write to the peer: {error}"))
    }

    /// Reads the next message as raw text (one line).
    pub fn read_line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => Err("the peer closed the connection".to_string()),
            Ok(_) => Ok(line),
            Err(error) => Err(format!("cannot read from the peer: {error}")),
        }
    }

    fn read_message(&mut self) -> Result<Value, String> {
        let line = self.read_line()?;
        serde_json::from_str(&line).map_err(|error| format!("bad JSON from the peer: {error}"))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// The first `name` on `PATH`.
fn find_executable(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
