//! Who reads a blocking connection. A caller waiting for its reply reads the socket itself
//! when no one else does (it "leads"), so a reply wakes only the thread that waits for it;
//! the other callers wait for the leader to hand their replies over, and one of them leads
//! next. Between calls, a thread of the connection's own reads it, to deliver events and
//! notice the end: it takes the connection back once no call has started for [`IDLE`], and
//! gives it up again as soon as one does.
//!
//! A stream that cannot time out a read (a pipe, any `Read`) is always read by that thread.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::error::Closed;
use crate::router::{Router, Slot, Turn};
use crate::wire::{Frames, Outcome};

use super::lock;

/// How long no call must start before the connection's own thread reads it again; events
/// that come between calls wait in the socket that long at most.
const IDLE: Duration = Duration::from_millis(5);

/// How much longer than asked a caller's read may wait; its call may run over its time limit
/// by that much.
const SLACK: Duration = Duration::from_millis(1);

/// The reading half of a connection.
pub(super) enum Stream {
    #[cfg(unix)]
    Unix(UnixStream),
    Tcp(TcpStream),
    Other(Box<dyn Read + Send>),
}

impl Stream {
    /// Whether a caller may read it: only a socket, whose reads can time out.
    fn leadable(&self) -> bool {
        !matches!(self, Stream::Other(_))
    }

    fn set_read_timeout(&self, timeout: Option<Duration>) -> std::io::Result<()> {
        match self {
            #[cfg(unix)]
            Stream::Unix(stream) => stream.set_read_timeout(timeout),
            Stream::Tcp(stream) => stream.set_read_timeout(timeout),
            Stream::Other(_) => Ok(()),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        match self {
            #[cfg(unix)]
            Stream::Unix(stream) => stream.read(buffer),
            Stream::Tcp(stream) => stream.read(buffer),
            Stream::Other(stream) => stream.read(buffer),
        }
    }
}

/// The stream with what has been read of it and not yet routed.
struct Source {
    stream: Stream,
    frames: Frames,
    /// The read time limit the stream has now.
    read_timeout: Option<Duration>,
}

/// One connection's reading.
pub(super) struct Reading {
    router: Arc<Router>,
    /// Whether the peer is a guest agent, whose 0xFF bytes are passed over.
    agent: bool,
    state: Mutex<State>,
    /// Where the connection's own thread waits for it to fall idle.
    idle: Condvar,
}

struct State {
    /// The source while no one reads it.
    source: Option<Source>,
    /// Calls started so far.
    calls: u64,
}

impl Reading {
    /// Starts the connection's own thread, which reads first (the greeting comes unasked).
    pub(super) fn start(
        router: Arc<Router>,
        stream: Stream,
        max: usize,
        agent: bool,
    ) -> std::io::Result<Arc<Reading>> {
        let reading = Arc::new(Reading {
            router,
            agent,
            state: Mutex::new(State {
                source: None,
                calls: 0,
            }),
            idle: Condvar::new(),
        });
        let source = Source {
            stream,
            frames: Frames::new(max),
            read_timeout: None,
        };
        let thread = reading.clone();
        std::thread::Builder::new()
            .name("qapi-client reader".to_owned())
            .spawn(move || thread.between_calls(source))?;
        Ok(reading)
    }

    /// Notes that a call starts, so that the connection's own thread gives the stream up.
    pub(super) fn call_started(&self) {
        lock(&self.state).calls += 1;
    }

    /// Waits for the outcome of the call at `slot` until `deadline` (`None` when it
    /// passes), reading the connection whenever no one else does.
    pub(super) fn wait(
        &self,
        slot: &Slot<Outcome>,
        deadline: Option<Instant>,
    ) -> Option<Result<Outcome, Closed>> {
        loop {
            if let Some(source) = self.take_lead() {
                return self.lead(source, slot, deadline);
            }
            match slot.wait_turn(deadline) {
                Turn::Done(outcome) => return Some(outcome),
                Turn::Lead => {}
                Turn::TimedOut => return None,
            }
        }
    }

    /// After a call gave up waiting: hands the stream to another call if it lies unread,
    /// as the call may have been asked to read it.
    pub(super) fn pass_on(&self) {
        if lock(&self.state).source.is_some() {
            self.router.promote_one();
        }
    }

    /// Wakes the connection's own thread when the connection has ended.
    pub(super) fn stop(&self) {
        self.idle.notify_all();
    }

    fn take_lead(&self) -> Option<Source> {
        let mut state = lock(&self.state);
        match &state.source {
            Some(source) if source.stream.leadable() => state.source.take(),
            _ => None,
        }
    }

    /// Reads until the call at `slot` has its outcome or `deadline` passes, then gives the
    /// stream up.
    fn lead(
        &self,
        mut source: Source,
        slot: &Slot<Outcome>,
        deadline: Option<Instant>,
    ) -> Option<Result<Outcome, Closed>> {
        let outcome = loop {
            if let Some(outcome) = slot.try_take() {
                break Some(outcome);
            }
            let timeout = match deadline {
                None => None,
                Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => break None,
                },
            };
            if let Err(closed) = self.read_once(&mut source, timeout) {
                // Every pending call, this one too, now has its outcome.
                self.router.close(closed);
            }
        };
        self.release(source);
        outcome
    }

    /// Puts the stream back and asks a waiting call, if any, to read it.
    fn release(&self, source: Source) {
        lock(&self.state).source = Some(source);
        self.router.promote_one();
    }

    /// Reads once, waiting at most `timeout`, and routes what came; `Err` when the
    /// connection ends.
    fn read_once(&self, source: &mut Source, timeout: Option<Duration>) -> Result<(), Closed> {
        // A limit up to `SLACK` longer than asked is kept, and a new one is set half of it
        // longer: calls with the same time limit then set it once, not once per read.
        let close_enough = match (source.read_timeout, timeout) {
            (Some(set), Some(asked)) => set >= asked && set - asked <= SLACK,
            (set, asked) => set == asked,
        };
        if !close_enough {
            let timeout = timeout.map(|asked| asked + SLACK / 2);
            source
                .stream
                .set_read_timeout(timeout)
                .map_err(|error| Closed::Io(error.to_string()))?;
            source.read_timeout = timeout;
        }
        match source.frames.read_from(&mut source.stream) {
            Ok(0) => Err(Closed::ByPeer),
            Ok(_) => self.router.route(&mut source.frames, self.agent),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Ok(())
            }
            Err(error) => Err(Closed::from_read_error(&error)),
        }
    }

    /// The connection's own thread: reads while no call does, until the connection ends.
    fn between_calls(&self, mut source: Source) {
        loop {
            let calls = lock(&self.state).calls;
            loop {
                if let Err(closed) = self.read_once(&mut source, None) {
                    self.router.close(closed);
                    return;
                }
                if self.router.closed().is_some() {
                    return;
                }
                if source.stream.leadable() && lock(&self.state).calls != calls {
                    break;
                }
            }
            self.release(source);
            match self.await_idle() {
                Some(taken) => source = taken,
                None => return,
            }
        }
    }

    /// Waits until no call has started for [`IDLE`] and the stream lies unread, and takes
    /// it; `None` when the connection ends first.
    fn await_idle(&self) -> Option<Source> {
        let mut state = lock(&self.state);
        let mut seen = state.calls;
        loop {
            if self.router.closed().is_some() {
                return None;
            }
            state = self
                .idle
                .wait_timeout(state, IDLE)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            if state.calls == seen && state.source.is_some() {
                return state.source.take();
            }
            seen = state.calls;
        }
    }
}
