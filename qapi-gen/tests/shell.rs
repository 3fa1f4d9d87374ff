//! `qapi-gen shell` used as a person uses it: in a terminal (a detached tmux session), typing
//! keys and reading the screen, against a live `qemu-system-x86_64`. A second QMP monitor of
//! the same QEMU stands for someone else acting on the machine, so that an event arrives while
//! a line is being typed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use qapi_tests::peer::{Process, Program, find_executable};

/// How long the screen may take to show what a step expects.
const PATIENCE: Duration = Duration::from_secs(10);

/// A tmux server of this test's own, with one session running the shell; the server goes
/// when dropped, whatever happened.
struct Terminal {
    server: String,
}

impl Terminal {
    /// Starts `command` in a 200×50 terminal.
    fn start(command: &str) -> Terminal {
        let terminal = Terminal {
            server: format!("qapi-shell-test-{}", std::process::id()),
        };
        let started = terminal
            .tmux()
            .args(["new-session", "-d", "-x", "200", "-y", "50", "-s", "shell"])
            .arg(command)
            .status()
            .expect("tmux runs");
        assert!(started.success(), "tmux new-session failed");
        terminal
    }

    fn tmux(&self) -> Command {
        let mut command = Command::new("tmux");
        // A server and configuration of its own: nothing of the user's tmux applies.
        command.args(["-L", &self.server, "-f", "/dev/null"]);
        command
    }

    /// Types `text` as it is.
    fn type_text(&self, text: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "shell", "-l", "--", text])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux send-keys failed");
    }

    /// Presses keys by their tmux names: `Tab`, `Enter`, `Up`, `C-u`.
    fn press(&self, keys: &[&str]) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "shell"])
            .args(keys)
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux send-keys failed");
    }

    /// What the terminal shows now, scrolled-off lines included.
    fn transcript(&self) -> String {
        let output = self
            .tmux()
            .args(["capture-pane", "-p", "-J", "-S", "-", "-t", "shell"])
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The last line that is not blank, without blanks around: where the prompt and the line
    /// being typed are.
    fn last_line(&self) -> String {
        let transcript = self.transcript();
        transcript
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    /// Waits until `seen` holds for the transcript; fails with the screen when it never does.
    fn wait_for(&self, what: &str, seen: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let transcript = self.transcript();
            if seen(&transcript) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the screen never showed {what}; it shows:\n{transcript}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the transcript contains `text` `count` times.
    fn wait_count(&self, text: &str, count: usize) {
        self.wait_for(&format!("{text:?} {count} times"), |transcript| {
            transcript.matches(text).count() >= count
        });
    }

    /// Waits until the transcript contains `text`.
    fn wait_text(&self, text: &str) {
        self.wait_count(text, 1);
    }

    /// Waits until the line being typed reads `line`.
    fn wait_line(&self, line: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let last = self.last_line();
            if last == line {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the prompt line never read {line:?}; it reads {last:?}; the screen:\n{}",
                self.transcript()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

/// A file removed when dropped, whatever happened.
struct RemovedOnDrop(std::path::PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Single quotes for `sh`.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn a_person_completes_runs_and_sees_events() {
    if find_executable("tmux").is_none() {
        qapi_tests::unavailable("tmux is not installed");
        return;
    }
    // Started before the shell's monitor is connected to, so the second socket exists once
    // the first does.
    let second = std::env::temp_dir().join(format!("qapi-shell-test-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&second);
    let _second_goes = RemovedOnDrop(second.clone());
    let monitor = format!("unix:{},server=on,wait=off", second.display());
    let Some(qemu) = Process::start_or_skip(Program::SystemX86, &["-S", "-qmp", &monitor]) else {
        return;
    };
    let state = qemu.directory().join("state");
    let command = format!(
        "XDG_STATE_HOME={} {} shell {}; echo \"exit status $?\"; stty -a | grep -o ' -*icanon'; \
         sleep 60",
        quoted(&state),
        quoted(Path::new(env!("CARGO_BIN_EXE_qapi-gen"))),
        quoted(qemu.socket()),
    );
    let terminal = Terminal::start(&command);
    terminal.wait_text("Connected to QEMU 10.");
    terminal.wait_line("(qmp)");

    // A command name: the first Tab goes as far as the names agree, the second lists them.
    terminal.type_text("query-sta");
    terminal.press(&["Tab"]);
    terminal.wait_line("(qmp) query-stat");
    terminal.press(&["Tab"]);
    terminal.wait_for("the names after query-stat", |transcript| {
        transcript.lines().any(|line| {
            line.contains("query-stats ")
                && line.contains("query-stats-schemas")
                && line.contains("query-status")
        })
    });
    terminal.type_text("u");
    terminal.press(&["Tab"]);
    terminal.wait_line("(qmp) query-status");
    terminal.press(&["Enter"]);
    terminal.wait_text("\"running\": false,");
    terminal.wait_text("\"status\": \"prelaunch\"");

    // An argument name, then an enum value.
    terminal.type_text("qom-list pa");
    terminal.press(&["Tab"]);
    terminal.wait_line("(qmp) qom-list path=");
    terminal.type_text("/");
    terminal.press(&["Enter"]);
    terminal.wait_text("\"name\": \"machine\",");
    terminal.type_text("watchdog-set-action a");
    terminal.press(&["Tab"]);
    terminal.wait_line("(qmp) watchdog-set-action action=");
    terminal.type_text("po");
    terminal.press(&["Tab"]);
    terminal.wait_line("(qmp) watchdog-set-action action=poweroff");
    terminal.press(&["Enter"]);
    terminal.wait_line("(qmp)");

    // Arguments are checked before anything is sent.
    terminal.type_text("device_del");
    terminal.press(&["Enter"]);
    terminal.wait_text("invalid: .arguments: member 'id' is missing\nnot sent\n");
    terminal.type_text("qom-list path=/ bogus=1");
    terminal.press(&["Enter"]);
    terminal.wait_text("invalid: .arguments.bogus: unknown member 'bogus'\nnot sent\n");
    terminal.type_text("device_del id=usb0");
    terminal.press(&["Enter"]);
    terminal.wait_text("error: DeviceNotFound: Device 'usb0' not found");

    // Events of the shell's own commands.
    terminal.type_text("cont");
    terminal.press(&["Enter"]);
    terminal.wait_text("event RESUME at ");
    terminal.type_text("stop");
    terminal.press(&["Enter"]);
    terminal.wait_text("event STOP at ");

    // An event from elsewhere while a line is half typed: it shows above, the line stays.
    terminal.type_text("query-ver");
    terminal.wait_line("(qmp) query-ver");
    let other = qapi_client::blocking::Client::unix(&second).expect("the second monitor");
    other
        .execute_raw("cont", &serde_json::json!({}))
        .expect("cont");
    terminal.wait_count("event RESUME at ", 2);
    terminal.wait_line("(qmp) query-ver");
    terminal.press(&["Tab"]);
    terminal.wait_line("(qmp) query-version");
    terminal.press(&["Enter"]);
    terminal.wait_text("\"major\": 10,");

    // History: Up brings back the last line.
    terminal.press(&["Up"]);
    terminal.wait_line("(qmp) query-version");
    terminal.press(&["C-u"]);
    terminal.wait_line("(qmp)");
    let history = std::fs::read_to_string(state.join("qapi-toolchain/shell-history"))
        .expect("the history file is written");
    assert!(history.contains("query-status"), "{history}");

    // QMP's own quit, written as JSON: QEMU goes, and so does the shell, with the terminal
    // as it found it.
    terminal.type_text(r#"{"execute": "quit"}"#);
    terminal.press(&["Enter"]);
    terminal.wait_text("event SHUTDOWN at ");
    terminal.wait_text("qapi-gen: error: connection closed: the peer closed the connection");
    terminal.wait_text("exit status 2");
    terminal.wait_line("icanon");
    drop(other);
}

/// Runs the shell on `socket` with `lines` on its standard input (not a terminal); returns
/// the exit status, standard output and standard error.
fn piped(socket: &Path, options: &[&str], lines: &str, state: &Path) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
        .arg("shell")
        .args(options)
        .arg(socket)
        .env("XDG_STATE_HOME", state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qapi-gen runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    stdin.write_all(lines.as_bytes()).expect("the shell reads");
    drop(stdin);
    let output = child.wait_with_output().expect("qapi-gen ends");
    (
        output.status.code().expect("an exit status"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_guest_agent_is_recognised_by_its_silence() {
    let Some(agent) = Process::start_or_skip(Program::GuestAgent, &[]) else {
        return;
    };
    let state = agent.directory().join("state");
    let lines = "guest-ping\nhelp guest-exec\nguest-get-osinfo bogus=1\n";
    let (status, stdout, stderr) = piped(agent.socket(), &[], lines, &state);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("Connected to the guest agent 10."),
        "{stdout}"
    );
    assert!(stdout.contains("\n{}\n"), "{stdout}");
    // Without a schema, arguments are the agent's to check.
    assert!(stderr.contains("give its schema with --schema"), "{stderr}");
    assert!(stderr.contains("error: GenericError: "), "{stderr}");

    // With its schema, they are checked here first.
    let Some(source) = qapi_tests::qemu_source() else {
        qapi_tests::unavailable("QEMU's source tree is not unpacked (cargo xtask fetch-qemu)");
        return;
    };
    let schema = source.join("qga/qapi-schema.json");
    let options = [
        "--agent",
        "--schema",
        schema.to_str().expect("a UTF-8 path"),
    ];
    let lines = "help guest-exec\nguest-exec path=/bin/true arg=x\n";
    let (status, stdout, stderr) = piped(agent.socket(), &options, lines, &state);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("  capture-output (optional): "), "{stdout}");
    assert!(
        stderr.contains("invalid: .arguments.arg: expected an array"),
        "{stderr}"
    );
    assert!(stderr.contains("not sent"), "{stderr}");
}
