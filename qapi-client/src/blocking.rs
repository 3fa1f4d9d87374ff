//! The blocking API: a QMP client and a guest-agent client, each connection read by the
//! caller waiting for a reply or, between calls, by a thread of its own (`reading.rs`), and
//! serving one connection with a [`Service`].

mod reading;
mod writing;

use std::io::{Read, Write};
use std::marker::PhantomData;
use std::net::TcpStream;
#[cfg(unix)]
use std::os::fd::BorrowedFd;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::EventFilter;
use crate::error::{Closed, Error};
use crate::router::{Queue, Router, Slot};
use crate::schema::{Command, Event, Service};
use crate::server::{Emitter, Output, ServerConfig, Session};
use crate::session::{self, Checks, Config, Greeting, SyncToken, TimedEvent, Transport};
use crate::wire::{DELIMITER, Frames, Request};
use reading::{Reading, Stream};
use writing::{Delivery, Outbox, Writer};

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(unix)]
type FdRef<'a> = BorrowedFd<'a>;
#[cfg(not(unix))]
type FdRef<'a> = std::convert::Infallible;

/// How to wake the reading thread when the last handle goes.
enum Shutdown {
    #[cfg(unix)]
    Unix(UnixStream),
    Tcp(TcpStream),
    None,
}

/// One open connection: its routing state, its reading, its writer, and what ends it.
struct Link {
    router: Arc<Router>,
    reading: Arc<Reading>,
    outbox: Outbox,
    /// How requests that need not be awaited go out: a guest agent's are awaited, so that
    /// one that could not be written is known to be unsent and can go again.
    delivery: Delivery,
    config: Config,
    /// Where the QMP greeting arrives; `None` for a guest agent, which does not greet.
    greeting: Option<Arc<Slot<Box<RawValue>>>>,
    shutdown: Shutdown,
    child: Option<Mutex<Child>>,
    checks: Checks,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.router.close(Closed::ByClient);
        self.reading.stop();
        match &self.shutdown {
            #[cfg(unix)]
            Shutdown::Unix(stream) => drop(stream.shutdown(std::net::Shutdown::Both)),
            Shutdown::Tcp(stream) => drop(stream.shutdown(std::net::Shutdown::Both)),
            Shutdown::None => {}
        }
        if let Some(child) = &self.child {
            let mut child = lock(child);
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
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

impl Link {
    /// Opens `transport`; `agent` reads the guest agent's delimiter instead of refusing it.
    fn open(transport: Transport, config: Config, agent: bool) -> Result<Link, Error> {
        let (reader, writer, shutdown, child) = match transport {
            #[cfg(unix)]
            Transport::Unix(path) => {
                let stream = UnixStream::connect(&path)?;
                (
                    Stream::Unix(stream.try_clone()?),
                    Writer::Unix(stream.try_clone()?),
                    Shutdown::Unix(stream),
                    None,
                )
            }
            #[cfg(not(unix))]
            Transport::Unix(_) => {
                return Err(Error::Unsupported("unix sockets need a unix".to_owned()));
            }
            Transport::Tcp(address) => {
                let stream = TcpStream::connect(address)?;
                stream.set_nodelay(true)?;
                (
                    Stream::Tcp(stream.try_clone()?),
                    Writer::Other(Box::new(stream.try_clone()?)),
                    Shutdown::Tcp(stream),
                    None,
                )
            }
            Transport::Spawn(mut command) => {
                let mut child = command
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()?;
                let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                    return Err(Error::Unsupported("the child has no pipes".to_owned()));
                };
                (
                    Stream::Other(Box::new(stdout)),
                    Writer::Other(Box::new(stdin)),
                    Shutdown::None,
                    Some(Mutex::new(child)),
                )
            }
        };
        Link::start(reader, writer, shutdown, child, config, agent)
    }

    fn start(
        reader: Stream,
        writer: Writer,
        shutdown: Shutdown,
        child: Option<Mutex<Child>>,
        config: Config,
        agent: bool,
    ) -> Result<Link, Error> {
        let router = Arc::new(Router::default());
        let greeting = (!agent).then(|| router.expect_greeting());
        let reading = Reading::start(router.clone(), reader, config.max_message, agent)?;
        Ok(Link {
            router,
            reading,
            outbox: Outbox::new(writer),
            delivery: if agent {
                Delivery::Awaited
            } else {
                Delivery::Queued
            },
            config,
            greeting,
            shutdown,
            child,
            checks: Checks::default(),
        })
    }

    /// Sends a request and waits for its outcome; `None` for a command that does not reply.
    fn call(
        &self,
        name: &str,
        arguments: &(impl Serialize + ?Sized),
        call: Call,
    ) -> Result<Option<Result<crate::wire::Outcome, Closed>>, Error> {
        self.checks.arguments(name, arguments)?;
        self.reading.call_started();
        let (id, slot) = self.router.register()?;
        let line = Request {
            name,
            arguments,
            id: Some(id),
            oob: call.oob,
        }
        .line()
        .map_err(|error| Error::Protocol(format!("the arguments do not encode: {error}")));
        // A request the peer does not answer must be out before the call returns.
        let delivery = if call.replies {
            self.delivery
        } else {
            Delivery::Awaited
        };
        let sent = line.and_then(|line| self.outbox.send(&line, call.fds, delivery));
        if let Err(error) = sent {
            self.router.forget(id);
            if let Error::Io(error) = &error {
                // The request did not go, and no other will.
                self.router.close(Closed::Io(error.to_string()));
            }
            return Err(error);
        }
        if !call.replies {
            self.router.forget(id);
            return Ok(None);
        }
        let deadline = call.timeout.map(|timeout| Instant::now() + timeout);
        match self.reading.wait(&slot, deadline) {
            Some(outcome) => Ok(Some(outcome)),
            None => {
                self.router.forget(id);
                self.reading.pass_on();
                Err(Error::Timeout)
            }
        }
    }

    fn execute<C: Command>(&self, command: &C, call: Call) -> Result<C::Returns, Error> {
        match self.call(C::NAME, command, call)? {
            Some(outcome) => session::returns::<C>(outcome),
            None => session::no_reply::<C>(),
        }
    }

    fn execute_raw(
        &self,
        name: &str,
        arguments: &Value,
        timeout: Option<Duration>,
    ) -> Result<Value, Error> {
        let call = Call {
            oob: false,
            fds: &[],
            timeout,
            replies: true,
        };
        let outcome = self
            .call(name, arguments, call)?
            .expect("a call that replies");
        session::raw_returns(outcome)
    }

    fn subscribe<E: Event>(&self, filter: EventFilter) -> Subscription<E> {
        Subscription {
            queue: self.router.subscribe(filter, self.config.event_capacity),
            event: PhantomData,
        }
    }
}

/// A QMP client: QEMU's monitor or the storage daemon's. Cloning gives another handle to
/// the same connection; every handle may call at the same time, from any thread, and the
/// connection closes when the last one goes.
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
    pub fn unix(path: impl Into<std::path::PathBuf>) -> Result<Client, Error> {
        Client::connect(Transport::Unix(path.into()), Config::default())
    }

    /// Connects over `transport`, reads the greeting and negotiates capabilities.
    pub fn connect(transport: Transport, config: Config) -> Result<Client, Error> {
        Client::negotiate(Link::open(transport, config, false)?)
    }

    /// Speaks QMP over any pair of streams, such as a pipe or an in-memory channel.
    pub fn from_io(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
        config: Config,
    ) -> Result<Client, Error> {
        let writer = Writer::Other(Box::new(writer));
        Client::negotiate(Link::start(
            Stream::Other(Box::new(reader)),
            writer,
            Shutdown::None,
            None,
            config,
            false,
        )?)
    }

    fn negotiate(link: Link) -> Result<Client, Error> {
        let slot = link
            .greeting
            .clone()
            .expect("a QMP link expects a greeting");
        let deadline = Some(Instant::now() + link.config.set_up_timeout());
        let greeting = match slot.wait(deadline) {
            Some(Ok(raw)) => Greeting::parse(&raw)?,
            Some(Err(closed)) => return Err(Error::Closed(closed)),
            None => return Err(Error::Timeout),
        };
        let (arguments, oob) = greeting.negotiation(&link.config);
        let set_up = Some(link.config.set_up_timeout());
        link.execute_raw("qmp_capabilities", &arguments, set_up)?;
        if link.config.validates() {
            let schema = link.execute_raw(
                "query-qmp-schema",
                &Value::Object(Default::default()),
                set_up,
            )?;
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
    pub fn execute<C: Command>(&self, command: C) -> Result<C::Returns, Error> {
        let call = Call {
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(self.link.config.timeout)
        };
        self.link.execute(&command, call)
    }

    /// Runs `command` and returns its reply, waiting at most `timeout`.
    pub fn execute_timeout<C: Command>(
        &self,
        command: C,
        timeout: Duration,
    ) -> Result<C::Returns, Error> {
        let call = Call {
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(Some(timeout))
        };
        self.link.execute(&command, call)
    }

    /// Runs `command` out of band (`exec-oob`): QEMU runs it at once, even while another
    /// command is running. The command must allow it and `oob` must have been negotiated.
    pub fn execute_oob<C: Command>(&self, command: C) -> Result<C::Returns, Error> {
        session::check_oob::<C>(self.oob)?;
        let call = Call {
            oob: true,
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(self.link.config.timeout)
        };
        self.link.execute(&command, call)
    }

    /// Runs `command` with file descriptors attached (`SCM_RIGHTS`), as `getfd` and `add-fd`
    /// want. Only over a unix socket.
    #[cfg(unix)]
    pub fn execute_with_fds<C: Command>(
        &self,
        command: C,
        fds: &[BorrowedFd],
    ) -> Result<C::Returns, Error> {
        let call = Call {
            fds,
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(self.link.config.timeout)
        };
        self.link.execute(&command, call)
    }

    /// Runs the command `name` with `arguments` (an object) without a generated module,
    /// and returns its `return` value as JSON.
    pub fn execute_raw(&self, name: &str, arguments: &Value) -> Result<Value, Error> {
        self.link
            .execute_raw(name, arguments, self.link.config.timeout)
    }

    /// Runs the command `name` with `arguments` without a generated module, waiting at most
    /// `timeout`.
    pub fn execute_raw_timeout(
        &self,
        name: &str,
        arguments: &Value,
        timeout: Duration,
    ) -> Result<Value, Error> {
        self.link.execute_raw(name, arguments, Some(timeout))
    }

    /// Receives the events `filter` selects from now on, decoded as `E` (a generated
    /// module's `events::Event`, or `(String, Option<Value>)` for untyped events).
    /// Subscribe before sending the command whose events you wait for.
    pub fn subscribe<E: Event>(&self, filter: EventFilter) -> Subscription<E> {
        self.link.subscribe(filter)
    }
}

/// The events one subscriber receives, oldest first. It ends when the connection does,
/// after the events received before that.
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
    /// The next event, waiting as long as it takes. [`Error::Missed`] says how many were
    /// dropped because this subscriber fell behind; [`Error::Closed`], that no more will come.
    pub fn recv(&self) -> Result<TimedEvent<E>, Error> {
        session::next_event(self.queue.wait(None).expect("no deadline"))
    }

    /// The next event, waiting at most `timeout` ([`Error::Timeout`]).
    pub fn recv_timeout(&self, timeout: Duration) -> Result<TimedEvent<E>, Error> {
        match self.queue.wait(Some(Instant::now() + timeout)) {
            Some(next) => session::next_event(next),
            None => Err(Error::Timeout),
        }
    }

    /// The next event if one has arrived.
    pub fn try_recv(&self) -> Option<Result<TimedEvent<E>, Error>> {
        self.queue.try_next().map(session::next_event)
    }

    /// Waits at most `timeout` for an event for which `predicate` holds, passing over the
    /// others: a job reaching `concluded`, a `DEVICE_DELETED` for one device.
    pub fn wait_for(
        &self,
        mut predicate: impl FnMut(&E) -> bool,
        timeout: Duration,
    ) -> Result<TimedEvent<E>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let next = self.queue.wait(Some(deadline)).ok_or(Error::Timeout)?;
            let event = session::next_event(next)?;
            if predicate(&event.event) {
                return Ok(event);
            }
        }
    }
}

impl<E: Event> Iterator for Subscription<E> {
    type Item = Result<TimedEvent<E>, Error>;

    /// The next event; `None` once the connection has ended and every event is read.
    fn next(&mut self) -> Option<Self::Item> {
        match self.recv() {
            Err(Error::Closed(_)) => None,
            other => Some(other),
        }
    }
}

/// A guest-agent client (`qemu-ga`). It synchronises with the agent when it connects and
/// after a call timed out, so a late reply is never taken for another's; a command that
/// gives no reply on success (`guest-shutdown`) returns as soon as it is sent; and when the
/// agent has gone (restarted, or the guest rebooted), the next call connects again.
pub struct GuestAgent {
    transport: Option<Transport>,
    config: Config,
    link: Mutex<Option<Arc<Link>>>,
    /// Set when a call timed out: the next call synchronises first.
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
    pub fn unix(path: impl Into<std::path::PathBuf>) -> Result<GuestAgent, Error> {
        GuestAgent::connect(Transport::Unix(path.into()), Config::default())
    }

    /// Connects over `transport` and synchronises. Over a unix socket or TCP it connects
    /// again when the agent has gone; a spawned agent is not restarted.
    pub fn connect(transport: Transport, config: Config) -> Result<GuestAgent, Error> {
        let again = transport.again();
        let link = Link::open(transport, config.clone(), true)?;
        let agent = GuestAgent {
            transport: again,
            config,
            link: Mutex::new(Some(Arc::new(link))),
            unsynced: true.into(),
        };
        agent.link()?;
        Ok(agent)
    }

    /// Speaks to an agent over any pair of streams; no reconnecting.
    pub fn from_io(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
        config: Config,
    ) -> Result<GuestAgent, Error> {
        let writer = Writer::Other(Box::new(writer));
        let link = Link::start(
            Stream::Other(Box::new(reader)),
            writer,
            Shutdown::None,
            None,
            config.clone(),
            true,
        )?;
        let agent = GuestAgent {
            transport: None,
            config,
            link: Mutex::new(Some(Arc::new(link))),
            unsynced: true.into(),
        };
        agent.link()?;
        Ok(agent)
    }

    /// The open, synchronised connection: the current one, or a new one when it has ended.
    fn link(&self) -> Result<Arc<Link>, Error> {
        use std::sync::atomic::Ordering;
        let mut current = lock(&self.link);
        let link = match current.as_ref() {
            Some(link) if link.router.closed().is_none() => link.clone(),
            Some(link) if self.transport.is_none() => {
                return Err(Error::Closed(
                    link.router.closed().unwrap_or(Closed::ByPeer),
                ));
            }
            _ => {
                let transport = self.transport.as_ref().expect("a transport to reconnect");
                let link = Arc::new(Link::open(
                    transport.again().expect("a transport that reconnects"),
                    self.config.clone(),
                    true,
                )?);
                self.unsynced.store(true, Ordering::SeqCst);
                *current = Some(link.clone());
                link
            }
        };
        if self.unsynced.load(Ordering::SeqCst) {
            synchronise(&link)?;
            self.unsynced.store(false, Ordering::SeqCst);
        }
        Ok(link)
    }

    /// Synchronises with the agent now: drops whatever the agent still had to say.
    pub fn sync(&self) -> Result<(), Error> {
        self.unsynced
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.link().map(drop)
    }

    fn run<C: Command>(&self, command: C, timeout: Option<Duration>) -> Result<C::Returns, Error> {
        let link = self.link()?;
        let call = Call {
            replies: C::SUCCESS_RESPONSE,
            ..Call::plain(timeout)
        };
        let mut result = link.execute(&command, call);
        if matches!(result, Err(Error::Io(_))) && self.transport.is_some() {
            // The agent went before the request could be written: connect again and send it.
            let call = Call {
                replies: C::SUCCESS_RESPONSE,
                ..Call::plain(timeout)
            };
            result = self.link()?.execute(&command, call);
        }
        if matches!(result, Err(Error::Timeout)) {
            self.unsynced
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
        result
    }

    /// Runs `command` and returns its reply, within the default time limit.
    pub fn execute<C: Command>(&self, command: C) -> Result<C::Returns, Error> {
        self.run(command, self.config.timeout)
    }

    /// Runs `command` and returns its reply, waiting at most `timeout`.
    pub fn execute_timeout<C: Command>(
        &self,
        command: C,
        timeout: Duration,
    ) -> Result<C::Returns, Error> {
        self.run(command, Some(timeout))
    }

    /// Runs the command `name` with `arguments` without a generated module.
    pub fn execute_raw(&self, name: &str, arguments: &Value) -> Result<Value, Error> {
        self.link()?
            .execute_raw(name, arguments, self.config.timeout)
    }
}

/// `guest-sync-delimited`: the agent resets its parser at the 0xFF byte, then answers with
/// a 0xFF byte and the number sent, so whatever it had still to say is read and dropped.
fn synchronise(link: &Link) -> Result<(), Error> {
    link.outbox.send(&[DELIMITER], &[], Delivery::Awaited)?;
    let sync = SyncToken::new();
    let timeout = Some(link.config.set_up_timeout());
    let echoed = link.execute_raw(SyncToken::COMMAND, &sync.arguments(), timeout)?;
    sync.check(&echoed)
}

/// Serves one QMP connection until the client closes it: sends the greeting, negotiates
/// capabilities, answers each request with `service`, and from negotiation on writes the
/// events `emitter` sends. Both halves may be the same socket (`try_clone`).
pub fn serve(
    reader: impl Read,
    writer: impl Write + Send + 'static,
    service: &mut dyn Service,
    emitter: &Emitter,
    config: &ServerConfig,
) -> std::io::Result<()> {
    let writer = Arc::new(Mutex::new(writer));
    let write = |line: &[u8]| -> std::io::Result<()> {
        let mut writer = lock(&writer);
        writer.write_all(line)?;
        writer.flush()
    };
    write(&Session::greeting(config))?;
    // Events stop when this connection ends, whatever the reason.
    let alive = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let _end = EndOnDrop(alive.clone());
    let mut session = Session::new(config);
    let mut frames = Frames::new(crate::wire::DEFAULT_MAX_MESSAGE);
    let mut reader = reader;
    loop {
        session.serve(&mut frames, service, |output| match output {
            Output::Line(line) => write(&line),
            Output::Negotiated => {
                let (events, alive) = (writer.clone(), alive.clone());
                emitter.attach(Box::new(move |line| {
                    if !alive.load(std::sync::atomic::Ordering::SeqCst) {
                        return false;
                    }
                    let mut writer = lock(&events);
                    writer.write_all(line).and_then(|()| writer.flush()).is_ok()
                }));
                Ok(())
            }
        })?;
        if frames.read_from(&mut reader)? == 0 {
            return Ok(());
        }
    }
}

/// Clears a flag when dropped.
struct EndOnDrop(Arc<std::sync::atomic::AtomicBool>);

impl Drop for EndOnDrop {
    fn drop(&mut self) {
        self.0.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
