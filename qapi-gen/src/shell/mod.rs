//! `qapi-gen shell SOCKET`: an interactive shell on a QMP monitor or a guest agent, for
//! people poking at a running QEMU by hand. It completes commands, arguments and values
//! from the peer's own introspection, checks arguments before sending them, pretty-prints
//! replies, and shows events as they arrive, above the line being typed.

mod catalogue;
mod complete;
mod line;
mod output;

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use qapi_client::blocking::{Client, GuestAgent};
use qapi_client::{Closed, DecodeError, Error, EventFilter};
use qapi_introspection::Introspection;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Editor, ExternalPrinter};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use self::catalogue::Catalogue;
use self::complete::ShellHelper;
use self::line::Input;
use self::output::Screen;
use crate::MessageFormat;

#[derive(clap::Args)]
pub(crate) struct ShellArgs {
    /// The peer's unix socket: a QMP monitor (`-qmp unix:PATH,server=on,wait=off`) or a
    /// guest agent's.
    socket: PathBuf,
    /// The socket is a guest agent's. Without this flag, a peer that sends no QMP greeting
    /// within a second is taken for one.
    #[arg(long)]
    agent: bool,
    /// Complete and check commands by this schema (a schema file or a saved
    /// query-qmp-schema reply) instead of the peer's own introspection.
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
}

/// How long a QMP peer may take to greet before the shell takes it for a guest agent.
const GREETING_WAIT: Duration = Duration::from_secs(1);

/// The connection.
enum Peer {
    Qmp(Client),
    Agent(Box<GuestAgent>),
}

impl Peer {
    /// Connects to `socket`, as a guest agent when `agent` or when no greeting comes.
    fn connect(socket: &Path, agent: bool) -> Result<Peer, String> {
        let failed = |error: Error| format!("cannot connect to {}: {error}", socket.display());
        if agent {
            return GuestAgent::unix(socket)
                .map(|agent| Peer::Agent(Box::new(agent)))
                .map_err(failed);
        }
        if greets(socket)? {
            return Client::unix(socket).map(Peer::Qmp).map_err(failed);
        }
        GuestAgent::unix(socket)
            .map(|agent| Peer::Agent(Box::new(agent)))
            .map_err(|error| {
                format!(
                    "{}: no QMP greeting came, and no guest agent answered ({error}); a QMP \
                     monitor greets no one while another client is connected",
                    socket.display()
                )
            })
    }

    /// Runs a command; `None` for an agent command that does not reply.
    fn execute(&self, name: &str, arguments: &Value) -> Result<Option<Value>, Error> {
        match self {
            Peer::Qmp(client) => client.execute_raw(name, arguments).map(Some),
            Peer::Agent(agent) => match execute_silent(agent, name, arguments) {
                Some(result) => result.map(|_| None),
                None => agent.execute_raw(name, arguments).map(Some),
            },
        }
    }

    /// The commands, from `schema` if given, else from the peer: its introspection, or the
    /// guest agent's list of enabled commands. Also what the peer is, for the banner.
    fn catalogue(&self, schema: Option<Introspection>) -> Result<(Catalogue, String), Error> {
        match self {
            Peer::Qmp(client) => {
                let version = client.greeting().version.qemu;
                let what = format!("QEMU {}.{}.{}", version.major, version.minor, version.micro);
                let schema = match schema {
                    Some(schema) => schema,
                    None => {
                        let reply =
                            client.execute_raw("query-qmp-schema", &serde_json::json!({}))?;
                        Introspection::from_value(reply).map_err(|error| {
                            Error::Protocol(format!("query-qmp-schema: {error}"))
                        })?
                    }
                };
                Ok((Catalogue::from_schema(schema), what))
            }
            Peer::Agent(agent) => {
                let info = agent.execute_raw("guest-info", &serde_json::json!({}))?;
                let version = info["version"].as_str().unwrap_or("of unknown version");
                let what = format!("the guest agent {version}");
                if let Some(schema) = schema {
                    return Ok((Catalogue::from_schema(schema), what));
                }
                let names = info["supported_commands"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|command| command["enabled"] != false)
                    .filter_map(|command| command["name"].as_str().map(str::to_owned))
                    .collect();
                Ok((Catalogue::from_names(names), what))
            }
        }
    }
}

/// Whether the peer at `socket` sends something (the QMP greeting) within
/// [`GREETING_WAIT`]; a guest agent waits to be spoken to.
fn greets(socket: &Path) -> Result<bool, String> {
    let failed = |error: std::io::Error| format!("cannot connect to {}: {error}", socket.display());
    let mut stream = UnixStream::connect(socket).map_err(failed)?;
    stream
        .set_read_timeout(Some(GREETING_WAIT))
        .map_err(failed)?;
    let mut byte = [0];
    match stream.read(&mut byte) {
        Ok(0) => Err(format!(
            "{} closed the connection at once (is another client connected?)",
            socket.display()
        )),
        Ok(_) => Ok(true),
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Ok(false)
        }
        Err(error) => Err(failed(error)),
    }
}

/// The guest agent's commands that do not reply when they succeed, as command types: sent
/// as replying commands, they would wait for ever. Each type carries its arguments as JSON.
macro_rules! silent_commands {
    ($($type:ident = $name:literal,)*) => {
        $(
            #[derive(Serialize, Deserialize)]
            #[serde(transparent)]
            struct $type(Value);

            impl qapi_client::Command for $type {
                const NAME: &'static str = $name;
                type Returns = Value;
                const SUCCESS_RESPONSE: bool = false;
                const ALLOW_OOB: bool = false;
                const ALLOW_PRECONFIG: bool = false;

                fn decode_returns(json: &str) -> Result<Value, DecodeError> {
                    decode(json)
                }
            }
        )*

        /// Runs `name` if it is a command that does not reply; `None` for any other.
        fn execute_silent(
            agent: &GuestAgent,
            name: &str,
            arguments: &Value,
        ) -> Option<Result<Value, Error>> {
            match name {
                $($name => Some(agent.execute($type(arguments.clone()))),)*
                _ => None,
            }
        }
    };
}

silent_commands! {
    GuestShutdown = "guest-shutdown",
    GuestSuspendDisk = "guest-suspend-disk",
    GuestSuspendRam = "guest-suspend-ram",
    GuestSuspendHybrid = "guest-suspend-hybrid",
}

fn decode(json: &str) -> Result<Value, DecodeError> {
    serde_json::from_str(json).map_err(|error| DecodeError {
        path: "return".to_owned(),
        type_name: None,
        message: error.to_string(),
    })
}

/// `qapi-gen shell`: exit status 0 when the user leaves, 2 when the connection fails.
pub(crate) fn shell(args: &ShellArgs) -> ExitCode {
    let schema = match &args.schema {
        Some(path) => {
            let none = || Ok(None);
            match crate::evolution::load(
                path,
                none,
                qapi_schema::Dialect::Any,
                MessageFormat::Human,
            ) {
                Ok(schema) => Some(schema),
                Err(status) => return status,
            }
        }
        None => None,
    };
    let peer = match Peer::connect(&args.socket, args.agent) {
        Ok(peer) => peer,
        Err(message) => return crate::usage_error(&message),
    };
    let (catalogue, what) = match peer.catalogue(schema) {
        Ok(found) => found,
        Err(error) => {
            return crate::usage_error(&format!("cannot list the peer's commands: {error}"));
        }
    };
    let screen = Screen::new();
    let mut editor = match editor() {
        Ok(editor) => editor,
        Err(error) => return crate::usage_error(&format!("cannot set up the terminal: {error}")),
    };
    let catalogue = Rc::new(catalogue);
    editor.set_helper(Some(ShellHelper::new(catalogue.clone())));
    let history = history_file();
    if let Some(history) = &history {
        let _ = editor.load_history(history);
    }
    screen.print(&format!(
        "Connected to {what}: {} commands. 'help' lists them, Tab completes, Ctrl-D leaves.",
        catalogue.names().len()
    ));
    let prompt = match &peer {
        Peer::Qmp(client) => {
            let printer = editor
                .create_external_printer()
                .ok()
                .map(|printer| Box::new(printer) as Box<dyn ExternalPrinter + Send>);
            show_events(client, &screen, printer);
            "(qmp) "
        }
        Peer::Agent(_) => "(qga) ",
    };
    loop {
        let text = match editor.readline(prompt) {
            Ok(text) => text,
            // Ctrl-C drops the line being typed, as in a shell.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return ExitCode::SUCCESS,
            Err(error) => {
                screen.end(&format!("cannot read a line: {error}"));
                return ExitCode::from(2);
            }
        };
        if !text.trim().is_empty() {
            let _ = editor.add_history_entry(text.as_str());
            if let Some(history) = &history {
                let _ = editor.append_history(history);
            }
        }
        match run_line(&peer, &catalogue, &screen, &text) {
            Flow::Next => {}
            Flow::Quit => return ExitCode::SUCCESS,
            Flow::Lost(message) => {
                screen.end(&message);
                return ExitCode::from(2);
            }
        }
    }
}

fn editor() -> rustyline::Result<Editor<ShellHelper, FileHistory>> {
    let config = rustyline::Config::builder()
        .completion_type(CompletionType::List)
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        .max_history_size(1000)?
        .auto_add_history(false)
        .build();
    Editor::with_config(config)
}

/// `$XDG_STATE_HOME/qapi-toolchain/shell-history`, else under `~/.local/state`; its directory
/// is created. `None` when there is no home.
fn history_file() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    let state = var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".local/state")))?;
    let directory = state.join("qapi-toolchain");
    let _ = std::fs::create_dir_all(&directory);
    Some(directory.join("shell-history"))
}

/// Prints every event of `client` as it arrives, from a thread of its own; ends the process
/// when the connection ends.
fn show_events(client: &Client, screen: &Screen, printer: Option<Box<dyn ExternalPrinter + Send>>) {
    let events = client.subscribe::<(String, Option<Value>)>(EventFilter::All);
    let mut show = screen.events(printer);
    let screen = screen.clone();
    std::thread::spawn(move || {
        loop {
            match events.recv() {
                Ok(timed) => {
                    let (name, data) = &timed.event;
                    show(output::event(name, data.as_ref(), timed.timestamp));
                }
                Err(Error::Missed(count)) => show(format!("({count} events were missed)")),
                Err(Error::Closed(Closed::ByClient)) => return,
                Err(Error::Closed(closed)) => {
                    screen.end_now(&format!("connection closed: {closed}"))
                }
                Err(error) => show(format!("error: {error}")),
            }
        }
    });
}

/// What the reading loop does after a line.
enum Flow {
    Next,
    Quit,
    /// The connection is gone, for this reason.
    Lost(String),
}

/// Runs one line.
fn run_line(peer: &Peer, catalogue: &Catalogue, screen: &Screen, text: &str) -> Flow {
    let input = match line::parse(text) {
        Ok(input) => input,
        Err(message) => {
            screen.warn(&format!("error: {message}"));
            return Flow::Next;
        }
    };
    let (name, arguments) = match input {
        Input::Nothing => return Flow::Next,
        Input::Quit => return Flow::Quit,
        Input::Help {
            command: None,
            pairs: _,
        } => {
            screen.print(&overview(catalogue, matches!(peer, Peer::Qmp(_))));
            return Flow::Next;
        }
        Input::Help {
            command: Some(command),
            pairs,
        } => {
            let given = line::build(&pairs).unwrap_or_default();
            match catalogue.help(&command, &given) {
                Ok(text) => screen.print(text.trim_end()),
                Err(message) => screen.warn(&format!("error: {message}")),
            }
            return Flow::Next;
        }
        Input::Command { name, pairs } => match catalogue.arguments(&name, &pairs) {
            Ok(arguments) => (name, arguments),
            Err(message) => {
                screen.warn(&format!("error: {message}"));
                return Flow::Next;
            }
        },
        Input::Json { name, arguments } => (name, arguments),
    };
    if let Some(schema) = catalogue.schema() {
        let problems = schema.validate_arguments(&name, &arguments);
        for problem in &problems {
            screen.warn(&problem.to_string());
        }
        if problems.iter().any(|problem| !problem.deprecated) {
            screen.warn("not sent");
            return Flow::Next;
        }
    }
    match peer.execute(&name, &arguments) {
        Ok(Some(reply)) => screen.print(&output::pretty(&reply)),
        Ok(None) => screen.print(&format!("sent: {name} does not reply when it succeeds")),
        Err(Error::Qmp(error)) => screen.warn(&format!("error: {}: {}", error.class, error.desc)),
        Err(error @ (Error::Closed(_) | Error::Io(_))) => return Flow::Lost(error.to_string()),
        Err(error) => screen.warn(&format!("error: {error}")),
    }
    Flow::Next
}

/// The text of `help`: every command in columns, then how to write a line.
fn overview(catalogue: &Catalogue, qmp: bool) -> String {
    let names = catalogue.names();
    let width = names.iter().map(String::len).max().unwrap_or(0) + 2;
    let columns = (output::terminal_width() / width.max(1)).max(1);
    let rows = names.len().div_ceil(columns);
    let mut text = String::new();
    for row in 0..rows {
        let line: String = (0..columns)
            .filter_map(|column| names.get(column * rows + row))
            .map(|name| format!("{name:width$}"))
            .collect();
        text.push_str(line.trim_end());
        text.push('\n');
    }
    let mut usage = String::from(
        "Write a command and its arguments as name=value: values that read as JSON are JSON \
         (1, true, null, \"text\", [..], {..}), others are strings, and a.b=1 nests. Or write \
         the whole command as JSON: {\"execute\": .., \"arguments\": {..}}. help COMMAND \
         describes a command. Tab completes commands, arguments and values. quit, exit or \
         Ctrl-D leaves",
    );
    if qmp {
        usage.push_str(" (QMP's own quit is {\"execute\": \"quit\"})");
    }
    usage.push('.');
    text.push('\n');
    text.push_str(&output::wrap(&usage, output::terminal_width().min(100), ""));
    text
}
