//! The async API on tokio (cargo feature `tokio`): a QMP client and a guest-agent client,
//! each connection read by a task of its own, and serving one connection with a
//! [`Service`]. Dropping a call's future cancels the call.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use tokio::time::Instant;

#[cfg(unix)]
use std::os::fd::BorrowedFd;

use crate::EventFilter;
use crate::error::{Closed, Error};
use crate::router::{Queue, Router, Slot};
use crate::schema::{Command, Event, Service};
use crate::server::{Emitter, Output, ServerConfig, Session};
use crate::session::{self, Checks, Config, Greeting, SyncToken, TimedEvent, Transport};
use crate::wire::{DELIMITER, Frames, Outcome, Request};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix::UnixSocket;

/// The writing half of a connection.
enum Writer {
    #[cfg(unix)]
    Unix(Arc<UnixSocket>),
    Other(Box<dyn AsyncWrite + Send + Unpin>),
}

#[cfg(unix)]
type FdRef<'a> = BorrowedFd<'a>;
#[cfg(not(unix))]
type FdRef<'a> = std::convert::Infallible;

impl Writer {
    async fn send(&mut self, line: &[u8], fds: &[FdRef<'_>]) -> Result<(), Error> {
        match self {
            #[cfg(unix)]
            Writer::Unix(socket) => Ok(socket.send(line, fds).await?),
            _ if !fds.is_empty() => Err(Error::Unsupported(
                "file descriptors can only be passed over a unix socket".to_owned(),
            )),
            Writer::Other(stream) => {
                stream.write_all(line).await?;
                Ok(stream.flush().await?)
            }
        }
    }
}

/// The reading half of a connection.
enum Reader {
    #[cfg(unix)]
    Unix(Arc<UnixSocket>),
    Other(Box<dyn AsyncRead + Send + Unpin>),
}

impl Reader {
    /// Reads once into `frames`; `Ok(false)` at the end of the stream.
    async fn fill(&mut self, frames: &mut Frames) -> std::io::Result<bool> {
        match self {
            #[cfg(unix)]
            Reader::Unix(socket) => socket.fill(frames).await,
            Reader::Other(stream) => Ok(stream.read_buf(frames.read_buffer()).await? > 0),
        }
    }
}

/// One open connection: its routing state, its writer and its reading task.
struct Link {
    router: Arc<Router>,
    writer: Mutex<Writer>,
    config: Config,
    /// Where the QMP greeting arrives; `None` for a guest agent, which does not greet.
    greeting: Option<Arc<Slot<Box<RawValue>>>>,
    reader: JoinHandle<()>,
    /// A spawned peer, killed when the link goes.
    _child: Option<tokio::process::Child>,
    checks: Checks,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.router.close(Closed::ByClient);
        self.reader.abort();
    }
}

/// A call's options.
struct Call<'a> {
    oob: bool,
    fds: &'a [FdRef<'a>],
    timeout: Option<Duration>,
    /// Whether the peer replies on success.
    replies: bool,
}

impl Call<'static> {
    fn plain(timeout: Option<Duration>) -> Call<'static> {
        Call {
            oob: false,
            fds: &[],
            timeout,
            replies: true,
        }
    }
}

/// Forgets a call whose future was dropped before the reply came.
struct Forget<'a> {
    router: &'a Router,
    id: u64,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.router.forget(self.id);
    }
}

async fn arrival<T>(slot: &Slot<T>) -> Result<T, Closed> {
    std::future::poll_fn(|cx| slot.poll(cx)).await
}

impl Link {
    async fn open(transport: Transport, config: Config, agent: bool) -> Result<Link, Error> {
        match transport {
            #[cfg(unix)]
            Transport::Unix(path) => {
                let socket = UnixSocket::connect(&path).await?;
                Ok(Link::start(
                    Reader::Unix(socket.clone()),
                    Writer::Unix(socket),
                    None,
                    config,
                    agent,
                ))
            }
            #[cfg(not(unix))]
            Transport::Unix(_) => Err(Error::Unsupported("unix sockets need a unix".to_owned())),
            Transport::Tcp(address) => {
                let stream = tokio::net::TcpStream::connect(address).await?;
                stream.set_nodelay(true)?;
                let (reader, writer) = stream.into_split();
                Ok(Link::start(
                    Reader::Other(Box::new(reader)),
                    Writer::Other(Box::new(writer)),
                    None,
                    config,
                    agent,
                ))
            }
            Transport::Spawn(command) => {
                let mut command = tokio::process::Command::from(command);
                command
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .kill_on_drop(true);
                let mut child = command.spawn()?;
                let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                    return Err(Error::Unsupported("the child has no pipes".to_owned()));
                };
                let writer = Writer::Other(Box::new(stdin));
                Ok(Link::start(
                    Reader::Other(Box::new(stdout)),
                    writer,
                    Some(child),
                    config,
                    agent,
                ))
            }
        }
    }

    fn start(
        reader: Reader,
        writer: Writer,
        child: Option<tokio::process::Child>,
        config: Config,
        agent: bool,
    ) -> Link {
        let router = Arc::new(Router::default());
        let greeting = (!agent).then(|| router.expect_greeting());
        let reading = router.clone();
        let max = config.max_message;
        let reader = tokio::spawn(async move {
            let reason = read_loop(&reading, reader, max, agent).await;
            reading.close(reason);
        });
        Link {
            router,
            writer: Mutex::new(writer),
            config,
            greeting,
            reader,
            _child: child,
            checks: Checks::default(),
        }
    }

    async fn call(
        &self,
        name: &str,
        arguments: &(impl Serialize + ?Sized),
        call: Call<'_>,
    ) -> Result<Option<Result<Outcome, Closed>>, Error> {
        self.checks.arguments(name, arguments)?;
        let (id, slot) = self.router.register()?;
        let forget = Forget {
            router: &self.router,
            id,
        };
        let line = Request {
            name,
            arguments,
            id: Some(id),
            oob: call.oob,
        }
        .line()
        .map_err(|error| Error::Protocol(format!("the arguments do not encode: {error}")))?;
        let sent = self.writer.lock().await.send(&line, call.fds).await;
        if let Err(Error::Io(error)) = &sent {
            // The request did not go, and no other will.
            self.router.close(Closed::Io(error.to_string()));
        }
        sent?;
        if !call.replies {
            return Ok(None);
        }
        let outcome = match call.timeout {
            None => arrival(&slot).await,
            Some(timeout) => tokio::time::timeout(timeout, arrival(&slot))
                .await
                .map_err(|_| Error::Timeout)?,
        };
        drop(forget);
        Ok(Some(outcome))
    }

    async fn execute<C: Command>(&self, command: &C, call: Call<'_>) -> Result<C::Returns, Error> {
        match self.call(C::NAME, command, call).await? {
            Some(outcome) => session::returns::<C>(outcome),
            None => session::no_reply::<C>(),
        }
    }

    async fn execute_raw(
        &self,
        name: &str,
        arguments: &Value,
        timeout: Option<Duration>,
    ) -> Result<Value, Error> {
        let outcome = self.call(name, arguments, Call::plain(timeout)).await?;
        session::raw_returns(outcome.expect("a call that replies"))
    }

    fn subscribe<E: Event>(&self, filter: EventFilter) -> Subscription<E> {
        Subscription {
            queue: self.router.subscribe(filter, self.config.event_capacity),
            event: PhantomData,
        }
    }
}

/// Reads `reader` until it ends or breaks the protocol, routing every message; returns why
/// it ended.
async fn read_loop(router: &Router, mut reader: Reader, max: usize, agent: bool) -> Closed {
    let mut frames = Frames::new(max);
    loop {
        if let Err(closed) = router.route(&mut frames, agent) {
            return closed;
        }
        match reader.fill(&mut frames).await {
            Ok(false) => return Closed::ByPeer,
            Ok(true) => {}
            Err(error) => return Closed::from_read_error(&error),
        }
    }
}

/// A QMP client on tokio. Cloning gives another handle to the same connection; every
/// handle may call at the same time, and the connection closes when the last one goes.
#[derive(Clone)]
pub struct Client {
    link: Arc<Link>,
    greeting: Arc<Greeting>,
    oob: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("greeting", &self.greeting)
            .field("oob", &self.oob)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Connects to the unix socket at `path` with the default settings, reads the greeting
    /// and negotiates capabilities.
    pub async fn unix(path: impl Into<std::path::PathBuf>) -> Result<Client, Error> {
        Client::connect(Transport::Unix(path.into()), Config::default()).await
    }

    /// Connects over `transport`, reads the greeting and negotiates capabilities.
    pub async fn connect(transport: Transport, config: Config) -> Result<Client, Error> {
        Client::negotiate(Link::open(transport, config, false).await?).await
    }

    /// Speaks QMP over any pair of streams.
    pub async fn from_io(
        reader: impl AsyncRead + Send + Unpin + 'static,
        writer: impl AsyncWrite + Send + Unpin + 'static,
        config: Config,
    ) -> Result<Client, Error> {
        let link = Link::start(
            Reader::Other(Box::new(reader)),
            Writer::Other(Box::new(writer)),
            None,
            config,
            false,
        );
        Client::negotiate(link).await
    }

    async fn negotiate(link: Link) -> Result<Client, Error> {
        let slot = link
            .greeting
            .clone()
            .expect("a QMP link expects a greeting");
        let raw = tokio::time::timeout(link.config.set_up_timeout(), arrival(&slot))
            .await
            .map_err(|_| Error::Timeout)?;
        let greeting = Greeting::parse(&raw.map_err(Error::Closed)?)?;
        let (arguments, oob) = greeting.negotiation(&link.config);
        let set_up = Some(link.config.set_up_timeout());
        link.execute_raw("qmp_capabilities", &arguments, set_up)
            .await?;
        if link.config.validates() {
            let schema = link
                .execute_raw(
                    "query-qmp-schema",
                    &Value::Object(Default::default()),
                    set_up,
                )
                .await?;
            link.checks.load(schema)?;
        }
        Ok(Client {
            link: Arc::new(link),
            greeting: Arc::new(greeting),
            oob,
        })
    }

    /// The server's greeting.
    pub fn greeting(&self) -> &Greeting {
        &self.greeting
    }

    /// Whether out-of-band execution was negotiated.
    pub fn oob_enabled(&self) -> bool {
        self.oob
    }

    /// Why the connection ended, or `None` while it is open.
    pub fn closed(&self) -> Option<Closed> {
        self.link.router.closed()
    }

    /// Runs `command` and returns its reply, within the default time limit.
    pub async fn execute<C: Command>(&self, command: C) -> Result<C::Returns, Error> {
        let call = Call {
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(self.link.config.timeout)
        };
        self.link.execute(&command, call).await
    }

    /// Runs `command` and returns its reply, waiting at most `timeout`.
    pub async fn execute_timeout<C: Command>(
        &self,
        command: C,
        timeout: Duration,
    ) -> Result<C::Returns, Error> {
        let call = Call {
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(Some(timeout))
        };
        self.link.execute(&command, call).await
    }

    /// Runs `command` out of band (`exec-oob`). The command must allow it and `oob` must
    /// have been negotiated.
    pub async fn execute_oob<C: Command>(&self, command: C) -> Result<C::Returns, Error> {
        session::check_oob::<C>(self.oob)?;
        let call = Call {
            oob: true,
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(self.link.config.timeout)
        };
        self.link.execute(&command, call).await
    }

    /// Runs `command` with file descriptors attached (`SCM_RIGHTS`). Only over a unix
    /// socket.
    #[cfg(unix)]
    pub async fn execute_with_fds<C: Command>(
        &self,
        command: C,
        fds: &[BorrowedFd<'_>],
    ) -> Result<C::Returns, Error> {
        let call = Call {
            oob: false,
            fds,
            timeout: self.link.config.timeout,
            replies: C::SUCCESS_RESPONSE,
        };
        self.link.execute(&command, call).await
    }

    /// Runs the command `name` with `arguments` without a generated module, and returns
    /// its `return` value as JSON.
    pub async fn execute_raw(&self, name: &str, arguments: &Value) -> Result<Value, Error> {
        self.link
            .execute_raw(name, arguments, self.link.config.timeout)
            .await
    }

    /// Receives the events `filter` selects from now on, decoded as `E`. Subscribe before
    /// sending the command whose events you wait for.
    pub fn subscribe<E: Event>(&self, filter: EventFilter) -> Subscription<E> {
        self.link.subscribe(filter)
    }
}

/// The events one subscriber receives, oldest first. Waiting takes `&mut self`: a
/// subscription has one reader; subscribe again for another.
pub struct Subscription<E> {
    queue: Arc<Queue>,
    event: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for Subscription<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Subscription").finish_non_exhaustive()
    }
}

impl<E: Event> Subscription<E> {
    /// The next event. [`Error::Missed`] says how many were dropped because this subscriber
    /// fell behind; [`Error::Closed`], that no more will come.
    pub async fn recv(&mut self) -> Result<TimedEvent<E>, Error> {
        session::next_event(std::future::poll_fn(|cx| self.queue.poll(cx)).await)
    }

    /// The next event, waiting at most `timeout`.
    pub async fn recv_timeout(&mut self, timeout: Duration) -> Result<TimedEvent<E>, Error> {
        tokio::time::timeout(timeout, self.recv())
            .await
            .map_err(|_| Error::Timeout)?
    }

    /// The next event if one has arrived.
    pub fn try_recv(&self) -> Option<Result<TimedEvent<E>, Error>> {
        self.queue.try_next().map(session::next_event)
    }

    /// Waits at most `timeout` for an event for which `predicate` holds, passing over the
    /// others.
    pub async fn wait_for(
        &mut self,
        mut predicate: impl FnMut(&E) -> bool,
        timeout: Duration,
    ) -> Result<TimedEvent<E>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let event = tokio::time::timeout_at(deadline, self.recv())
                .await
                .map_err(|_| Error::Timeout)??;
            if predicate(&event.event) {
                return Ok(event);
            }
        }
    }
}

/// A guest-agent client on tokio; see [`crate::blocking::GuestAgent`] for what it does
/// beyond a plain connection.
pub struct GuestAgent {
    transport: Option<Transport>,
    config: Config,
    link: Mutex<Option<Arc<Link>>>,
    unsynced: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for GuestAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("GuestAgent")
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl GuestAgent {
    /// Connects to the agent's unix socket at `path` with the default settings.
    pub async fn unix(path: impl Into<std::path::PathBuf>) -> Result<GuestAgent, Error> {
        GuestAgent::connect(Transport::Unix(path.into()), Config::default()).await
    }

    /// Connects over `transport` and synchronises.
    pub async fn connect(transport: Transport, config: Config) -> Result<GuestAgent, Error> {
        let again = transport.again();
        let link = Link::open(transport, config.clone(), true).await?;
        GuestAgent::begin(link, again, config).await
    }

    /// Speaks to an agent over any pair of streams; no reconnecting.
    pub async fn from_io(
        reader: impl AsyncRead + Send + Unpin + 'static,
        writer: impl AsyncWrite + Send + Unpin + 'static,
        config: Config,
    ) -> Result<GuestAgent, Error> {
        let link = Link::start(
            Reader::Other(Box::new(reader)),
            Writer::Other(Box::new(writer)),
            None,
            config.clone(),
            true,
        );
        GuestAgent::begin(link, None, config).await
    }

    async fn begin(
        link: Link,
        transport: Option<Transport>,
        config: Config,
    ) -> Result<GuestAgent, Error> {
        let agent = GuestAgent {
            transport,
            config,
            link: Mutex::new(Some(Arc::new(link))),
            unsynced: true.into(),
        };
        agent.link().await?;
        Ok(agent)
    }

    async fn link(&self) -> Result<Arc<Link>, Error> {
        use std::sync::atomic::Ordering;
        let mut current = self.link.lock().await;
        let link = match current.as_ref() {
            Some(link) if link.router.closed().is_none() => link.clone(),
            Some(link) if self.transport.is_none() => {
                return Err(Error::Closed(
                    link.router.closed().unwrap_or(Closed::ByPeer),
                ));
            }
            _ => {
                let transport = self.transport.as_ref().and_then(Transport::again);
                let transport = transport.expect("a transport that reconnects");
                let link = Arc::new(Link::open(transport, self.config.clone(), true).await?);
                self.unsynced.store(true, Ordering::SeqCst);
                *current = Some(link.clone());
                link
            }
        };
        if self.unsynced.load(Ordering::SeqCst) {
            synchronise(&link).await?;
            self.unsynced.store(false, Ordering::SeqCst);
        }
        Ok(link)
    }

    /// Synchronises with the agent now.
    pub async fn sync(&self) -> Result<(), Error> {
        self.unsynced
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.link().await.map(drop)
    }

    async fn run<C: Command>(
        &self,
        command: C,
        timeout: Option<Duration>,
    ) -> Result<C::Returns, Error> {
        let link = self.link().await?;
        let call = Call {
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(timeout)
        };
        let mut result = link.execute(&command, call).await;
        if matches!(result, Err(Error::Io(_))) && self.transport.is_some() {
            // The agent went before the request could be written: connect again and send it.
            let call = Call {
                replies: C::SUCCESS_RESPONSE,
                ..Call::plain(timeout)
            };
            result = self.link().await?.execute(&command, call).await;
        }
        if matches!(result, Err(Error::Timeout)) {
            self.unsynced
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
        result
    }

    /// Runs `command` and returns its reply, within the default time limit.
    pub async fn execute<C: Command>(&self, command: C) -> Result<C::Returns, Error> {
        self.run(command, self.config.timeout).await
    }

    /// Runs `command` and returns its reply, waiting at most `timeout`.
    pub async fn execute_timeout<C: Command>(
        &self,
        command: C,
        timeout: Duration,
    ) -> Result<C::Returns, Error> {
        self.run(command, Some(timeout)).await
    }

    /// Runs the command `name` with `arguments` without a generated module.
    pub async fn execute_raw(&self, name: &str, arguments: &Value) -> Result<Value, Error> {
        let link = self.link().await?;
        link.execute_raw(name, arguments, self.config.timeout).await
    }
}

/// `guest-sync-delimited`, as [`crate::blocking::GuestAgent`] does it.
async fn synchronise(link: &Link) -> Result<(), Error> {
    link.writer.lock().await.send(&[DELIMITER], &[]).await?;
    let sync = SyncToken::new();
    let timeout = Some(link.config.set_up_timeout());
    let echoed = link
        .execute_raw(SyncToken::COMMAND, &sync.arguments(), timeout)
        .await?;
    sync.check(&echoed)
}

/// Serves one QMP connection until the client closes it, as [`crate::blocking::serve`]
/// does. Events that `emitter` sends reach the client between requests and during them.
pub async fn serve(
    mut reader: impl AsyncRead + Unpin,
    writer: impl AsyncWrite + Send + Unpin + 'static,
    service: &mut dyn Service,
    emitter: &Emitter,
    config: &ServerConfig,
) -> std::io::Result<()> {
    let (lines, mut outgoing) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let writing = tokio::spawn(async move {
        let mut writer = writer;
        // An empty line is the end: what was queued before it is written.
        while let Some(line) = outgoing.recv().await.filter(|line| !line.is_empty()) {
            writer.write_all(&line).await?;
            writer.flush().await?;
        }
        Ok::<(), std::io::Error>(())
    });
    let _ = lines.send(Session::greeting(config));
    let alive = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut session = Session::new(config);
    let mut frames = Frames::new(crate::wire::DEFAULT_MAX_MESSAGE);
    let result = loop {
        let served = session.serve(&mut frames, service, |output| {
            match output {
                Output::Line(line) => {
                    let _ = lines.send(line);
                }
                Output::Negotiated => {
                    let (events, alive) = (lines.clone(), alive.clone());
                    emitter.attach(Box::new(move |line| {
                        alive.load(std::sync::atomic::Ordering::SeqCst)
                            && events.send(line.to_vec()).is_ok()
                    }));
                }
            }
            Ok(())
        });
        if let Err(error) = served {
            break Err(error);
        }
        match reader.read_buf(frames.read_buffer()).await {
            Ok(0) => break Ok(()),
            Ok(_) => {}
            Err(error) => break Err(error),
        }
    };
    alive.store(false, std::sync::atomic::Ordering::SeqCst);
    let _ = lines.send(Vec::new());
    let written = writing
        .await
        .unwrap_or_else(|error| Err(std::io::Error::other(error)));
    result.and(written)
}
