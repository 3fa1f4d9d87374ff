//! Live QEMU processes on unix sockets, spoken to with QMP, as oracles for the tests; and the
//! same client for servers of our own, to hold up against them.
//!
//! Each peer runs in a fresh temporary directory and is killed when dropped. Only QEMU's own
//! binaries from the machine's packages are started; a server of ours runs in a thread of the
//! test ([`Peer::serve`]), with answers the test supplies.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use qapi_introspection::Introspection;
use serde_json::{Value, json};

/// The QEMU programs the tests talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    /// `qemu-storage-daemon` (Debian package `qemu-utils`).
    StorageDaemon,
    /// `qemu-system-x86_64 -machine none` (Debian package `qemu-system-x86`).
    SystemX86,
    /// `qemu-ga` (Debian package `qemu-guest-agent`), listening on a unix socket instead of
    /// a virtio port. It sends no greeting and needs no capabilities negotiation.
    GuestAgent,
}

impl Program {
    /// The executable's name.
    pub fn executable(self) -> &'static str {
        match self {
            Program::StorageDaemon => "qemu-storage-daemon",
            Program::SystemX86 => "qemu-system-x86_64",
            Program::GuestAgent => "qemu-ga",
        }
    }

    /// The root schema of this program, relative to QEMU's source tree.
    pub fn schema(self) -> &'static str {
        match self {
            Program::StorageDaemon => "storage-daemon/qapi/qapi-schema.json",
            Program::SystemX86 => "qapi/qapi-schema.json",
            Program::GuestAgent => "qga/qapi-schema.json",
        }
    }

    /// The file in this crate's `data/` that lists the condition symbols Debian's build of
    /// QEMU `release` defines: `cfg-PROGRAM.txt` for 10.0, `cfg-RELEASE-PROGRAM.txt` for
    /// others. Only the QMP programs have one: the guest agent cannot be introspected.
    pub fn symbol_file(self, release: &str) -> PathBuf {
        match release {
            "10.0" => crate::data_file(&format!("cfg-{}.txt", self.executable())),
            _ => crate::data_file(&format!("cfg-{release}-{}.txt", self.executable())),
        }
    }

    /// Whether the program greets and wants `qmp_capabilities` before commands.
    fn negotiates(self) -> bool {
        self != Program::GuestAgent
    }

    /// The command line for a peer with its files in `directory` and its socket at `socket`.
    fn command(self, executable: &Path, directory: &Path, socket: &Path) -> Command {
        let mut command = Command::new(executable);
        command.args(self.arguments(directory, socket));
        if self == Program::GuestAgent {
            // Keep a configuration file on the machine from changing the agent's set-up.
            command.env("QGA_CONF", directory.join("qemu-ga.conf"));
        }
        command
    }

    fn arguments(self, directory: &Path, socket: &Path) -> Vec<String> {
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
            // The state directory and pid file default to system paths only root may write.
            Program::GuestAgent => vec![
                "--method=unix-listen".into(),
                format!("--path={socket}"),
                format!("--statedir={}", directory.display()),
                format!("--pidfile={}", directory.join("qemu-ga.pid").display()),
            ],
        }
    }
}

/// A QEMU program started on a unix socket of its own, listening but not connected to: for
/// clients that connect themselves. Killed, and its directory removed, when dropped.
pub struct Process {
    child: Child,
    socket: PathBuf,
    directory: PathBuf,
    program: Program,
    executable: PathBuf,
    extra: Vec<String>,
}

impl Process {
    /// Starts the installed `program` (QEMU 10.0.2) with `extra` arguments after the usual
    /// ones, and waits until its socket exists. When it is not installed, reports that
    /// through [`crate::unavailable`] and returns `None`; when it fails to start, panics.
    pub fn start_or_skip(program: Program, extra: &[&str]) -> Option<Process> {
        let Some(executable) = find_executable(program.executable()) else {
            crate::unavailable(&format!("{} is not installed", program.executable()));
            return None;
        };
        match Process::start(program, &executable, extra) {
            Ok(process) => Some(process),
            Err(error) => panic!("{}: {error}", executable.display()),
        }
    }

    fn start(program: Program, executable: &Path, extra: &[&str]) -> Result<Process, String> {
        let directory = fresh_directory()?;
        let socket = directory.join("peer.sock");
        let extra: Vec<String> = extra.iter().map(|&argument| argument.to_owned()).collect();
        let child = Process::spawn(program, executable, &directory, &socket, &extra)?;
        let mut process = Process {
            child,
            socket,
            directory,
            program,
            executable: executable.to_owned(),
            extra,
        };
        process.wait_listening()?;
        Ok(process)
    }

    fn spawn(
        program: Program,
        executable: &Path,
        directory: &Path,
        socket: &Path,
        extra: &[String],
    ) -> Result<Child, String> {
        program
            .command(executable, directory, socket)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", executable.display()))
    }

    /// Kills it and starts it again on the same socket, as when a guest agent restarts.
    pub fn restart(&mut self) -> Result<(), String> {
        self.kill();
        let _ = std::fs::remove_file(&self.socket);
        self.child = Process::spawn(
            self.program,
            &self.executable,
            &self.directory,
            &self.socket,
            &self.extra,
        )?;
        self.wait_listening()
    }

    /// Waits until the socket accepts connections: the file appears when QEMU binds it, a
    /// moment before it listens, so the kernel's table of unix sockets is asked too.
    fn wait_listening(&mut self) -> Result<(), String> {
        let process = self;
        let started = Instant::now();
        while !is_listening(&process.socket) {
            if let Ok(Some(status)) = process.child.try_wait() {
                return Err(format!("the peer exited before listening: {status}"));
            }
            if started.elapsed() > PATIENCE {
                return Err(format!("{} did not appear", process.socket.display()));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }

    /// The socket it listens on.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Its own directory, for files the test wants it to use.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills it with SIGKILL and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits at most `patience` for it to exit by itself; its exit status, or `None`.
    pub fn wait_exit(&mut self, patience: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if started.elapsed() > patience {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// A running QEMU process with a QMP session in command mode, or a server thread of ours.
pub struct Peer {
    /// The process; `None` for a server of ours.
    child: Option<Child>,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    directory: PathBuf,
    next_id: u64,
    /// The greeting's `QMP` member: version and capabilities. `Null` for peers that do not
    /// greet.
    pub greeting: Value,
    /// The peer's own `query-qmp-schema`, asked for before the first other command: every
    /// command sent and every reply received is checked against it.
    schema: Option<Introspection>,
}

/// How long a peer may take to open its socket or to answer.
const PATIENCE: Duration = Duration::from_secs(30);

impl Peer {
    /// Starts `program` for a test. When it is not installed, reports that through
    /// [`crate::unavailable`] and returns `None`; when it fails to start, panics.
    pub fn start_or_skip(program: Program) -> Option<Peer> {
        match Peer::start(program) {
            Ok(Some(peer)) => Some(peer),
            Ok(None) => {
                crate::unavailable(&format!("{} is not installed", program.executable()));
                None
            }
            Err(error) => panic!("{}: {error}", program.executable()),
        }
    }

    /// Starts `program` of QEMU `release` for a test: the installed one for 10.0, the
    /// unpacked Debian binaries ([`crate::qemu_binaries_of`]) for an older release. When it
    /// is absent, reports that through [`crate::unavailable`] and returns `None`.
    pub fn start_release_or_skip(program: Program, release: &str) -> Option<Peer> {
        if release == "10.0" {
            return Peer::start_or_skip(program);
        }
        let executable = crate::qemu_binaries_of(release).and_then(|root| {
            ["usr/bin", "usr/sbin"]
                .iter()
                .map(|dir| root.join(dir).join(program.executable()))
                .find(|candidate| candidate.is_file())
        });
        let Some(executable) = executable else {
            crate::unavailable(&format!(
                "QEMU {release}'s {} is not unpacked (see .ci/run)",
                program.executable()
            ));
            return None;
        };
        match Peer::start_executable(program, &executable) {
            Ok(peer) => Some(peer),
            Err(error) => panic!("{}: {error}", executable.display()),
        }
    }

    /// Starts `program` and, if it greets, negotiates capabilities. `Ok(None)` when the
    /// executable is not installed.
    pub fn start(program: Program) -> Result<Option<Peer>, String> {
        let Some(executable) = find_executable(program.executable()) else {
            return Ok(None);
        };
        Peer::start_executable(program, &executable).map(Some)
    }

    /// Starts the executable `executable` as `program`.
    fn start_executable(program: Program, executable: &Path) -> Result<Peer, String> {
        let directory = fresh_directory()?;
        let socket = directory.join("peer.sock");
        let child = program
            .command(executable, &directory, &socket)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", executable.display()))?;
        let mut peer = Peer::connect(Some(child), &socket, directory)?;
        if program.negotiates() {
            let greeting = peer.read_message()?;
            peer.greeting = greeting
                .get("QMP")
                .cloned()
                .ok_or_else(|| format!("expected a QMP greeting, got {greeting}"))?;
            peer.execute("qmp_capabilities", None)?;
        }
        Ok(peer)
    }

    /// Serves one connection in a thread of this process and connects to it. Each line the
    /// client sends must be a JSON value; `answer` turns it into the bytes to send back
    /// (without the final newline), or `None` to send nothing. The server stops at the end of
    /// the connection or at a line that is not JSON. It does not greet.
    pub fn serve(
        mut answer: impl FnMut(&Value) -> Option<Vec<u8>> + Send + 'static,
    ) -> Result<Peer, String> {
        let directory = fresh_directory()?;
        let socket = directory.join("peer.sock");
        let listener = UnixListener::bind(&socket)
            .map_err(|error| format!("cannot listen on {}: {error}", socket.display()))?;
        std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let Ok(reader) = stream.try_clone() else {
                return;
            };
            for line in BufReader::new(reader).lines() {
                let Some(request) = line.ok().and_then(|line| serde_json::from_str(&line).ok())
                else {
                    return;
                };
                if let Some(mut reply) = answer(&request) {
                    reply.push(b'\n');
                    if stream.write_all(&reply).is_err() {
                        return;
                    }
                }
            }
        });
        Peer::connect(None, &socket, directory)
    }

    fn connect(
        mut child: Option<Child>,
        socket: &Path,
        directory: PathBuf,
    ) -> Result<Peer, String> {
        let started = Instant::now();
        let stream = loop {
            match UnixStream::connect(socket) {
                Ok(stream) => break stream,
                Err(_) if started.elapsed() < PATIENCE => {
                    if let Some(Ok(Some(status))) = child.as_mut().map(Child::try_wait) {
                        return Err(format!("the peer exited before listening: {status}"));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(error) => {
                    if let Some(child) = &mut child {
                        let _ = child.kill();
                    }
                    return Err(format!("cannot connect to {}: {error}", socket.display()));
                }
            }
        };
        let set_timeout = stream
            .set_read_timeout(Some(PATIENCE))
            .and_then(|()| stream.try_clone());
        let writer = set_timeout.map_err(|error| format!("socket set-up failed: {error}"))?;
        Ok(Peer {
            child,
            reader: BufReader::new(stream),
            writer,
            directory,
            next_id: 0,
            greeting: Value::Null,
            schema: None,
        })
    }

    /// The peer's own directory, for files the test wants it to use; removed when the peer
    /// is dropped.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// The `major.minor.micro` version the greeting announces.
    pub fn version(&self) -> String {
        let qemu = &self.greeting["version"]["qemu"];
        format!("{}.{}.{}", qemu["major"], qemu["minor"], qemu["micro"])
    }

    /// Runs a command and returns its whole response object (`return` or `error`), skipping
    /// the events that arrive meanwhile. On a QMP peer, the command and its reply must fit
    /// the peer's own introspection.
    pub fn execute(&mut self, command: &str, arguments: Option<Value>) -> Result<Value, String> {
        let checked = !self.greeting.is_null() && command != "qmp_capabilities";
        if checked && self.schema.is_none() {
            let reply = self.exchange("query-qmp-schema", None)?;
            let schema = Introspection::from_value(reply["return"].clone())
                .map_err(|error| format!("the peer's query-qmp-schema: {error}"))?;
            self.schema = Some(schema);
        }
        let response = self.exchange(command, arguments.clone())?;
        if let Some(schema) = self.schema.as_ref().filter(|_| checked) {
            let mut request = json!({ "execute": command });
            if let Some(arguments) = arguments {
                request["arguments"] = arguments;
            }
            let problems: Vec<String> = schema
                .validate_command(&request)
                .into_iter()
                .chain(schema.validate_reply(command, &response))
                .filter(|problem| !problem.deprecated)
                .map(|problem| problem.to_string())
                .collect();
            if !problems.is_empty() {
                return Err(format!(
                    "{command} does not fit the peer's schema: {}",
                    problems.join("; ")
                ));
            }
        }
        Ok(response)
    }

    /// Sends a command and reads its response.
    fn exchange(&mut self, command: &str, arguments: Option<Value>) -> Result<Value, String> {
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

    /// Reads the next message.
    pub fn read_message(&mut self) -> Result<Value, String> {
        let line = self.read_line()?;
        serde_json::from_str(&line).map_err(|error| format!("bad JSON from the peer: {error}"))
    }

    /// Reads the next message that is not an event: the response to the oldest request
    /// still unanswered.
    pub fn read_response(&mut self) -> Result<Value, String> {
        loop {
            let message = self.read_message()?;
            if message.get("event").is_none() {
                return Ok(message);
            }
        }
    }

    /// Reads the single byte 0xFF that the guest agent puts before its reply to
    /// `guest-sync-delimited`, so that a client can find where the reply starts.
    pub fn read_sentinel(&mut self) -> Result<(), String> {
        let mut byte = [0];
        self.reader
            .read_exact(&mut byte)
            .map_err(|error| format!("cannot read from the peer: {error}"))?;
        match byte {
            [0xFF] => Ok(()),
            [other] => Err(format!("expected the byte 0xFF, got {other:#04x}")),
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// A new, empty directory for one peer's files.
/// Whether a unix socket at `path` is listening, from `/proc/net/unix` (whose flag 0x10000
/// marks a socket that accepts connections).
fn is_listening(path: &Path) -> bool {
    let Ok(table) = std::fs::read_to_string("/proc/net/unix") else {
        return path.exists();
    };
    let wanted = path.to_string_lossy();
    table.lines().skip(1).any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() >= 8
            && fields[7] == wanted
            && u32::from_str_radix(fields[3], 16).is_ok_and(|flags| flags & 0x1_0000 != 0)
    })
}

fn fresh_directory() -> Result<PathBuf, String> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let directory = std::env::temp_dir().join(format!(
        "qapi-peer-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&directory)
        .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    Ok(directory)
}

/// The first `name` on `PATH`, or else in `/usr/sbin`, where Debian puts `qemu-ga` and which
/// is not on an ordinary user's `PATH`.
pub fn find_executable(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
