//! The state a connection shares between the task that reads it and the callers: pending
//! calls by `id`, event subscribers, and whether it has ended. Nothing here does I/O, so the
//! blocking and the tokio front ends share it; each waiting point can be waited on by a
//! thread (with a time limit) or polled by a future.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Closed, Error};
use crate::wire::{Frame, Frames, Incoming, Outcome, RawEvent};

/// Locks `mutex`, going on when a thread panicked while holding it: every state here stays
/// consistent between statements.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One connection's routing state.
#[derive(Default)]
pub(crate) struct Router {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    next_id: u64,
    pending: HashMap<u64, Arc<Slot<Outcome>>>,
    greeting: Option<Arc<Slot<Box<RawValue>>>>,
    queues: Vec<Weak<Queue>>,
    closed: Option<Closed>,
}

impl Router {
    /// A new call: its `id` and where its outcome will arrive.
    pub(crate) fn register(&self) -> Result<(u64, Arc<Slot<Outcome>>), Error> {
        let mut state = lock(&self.state);
        if let Some(closed) = &state.closed {
            return Err(Error::Closed(closed.clone()));
        }
        state.next_id += 1;
        let id = state.next_id;
        let slot = Arc::new(Slot::default());
        state.pending.insert(id, slot.clone());
        Ok((id, slot))
    }

    /// Gives up on call `id` (timed out or cancelled); its reply will be dropped.
    pub(crate) fn forget(&self, id: u64) {
        lock(&self.state).pending.remove(&id);
    }

    /// Where the greeting will arrive: call before the reader starts, or the greeting may
    /// come first and be taken for a protocol error.
    pub(crate) fn expect_greeting(&self) -> Arc<Slot<Box<RawValue>>> {
        let slot = Arc::new(Slot::default());
        let mut state = lock(&self.state);
        match &state.closed {
            Some(closed) => slot.complete(Err(closed.clone())),
            None => state.greeting = Some(slot.clone()),
        }
        slot
    }

    /// A new subscriber's queue.
    pub(crate) fn subscribe(&self, filter: crate::EventFilter, capacity: usize) -> Arc<Queue> {
        let mut state = lock(&self.state);
        let queue = Arc::new(Queue {
            state: Mutex::new(QueueState {
                events: VecDeque::new(),
                missed: 0,
                capacity: capacity.max(1),
                closed: state.closed.clone(),
                waker: None,
            }),
            ready: Condvar::new(),
            filter,
        });
        state.queues.push(Arc::downgrade(&queue));
        queue
    }

    /// Routes one message from the peer: a reply to its call, an event to every
    /// subscriber that wants it. A reply to a call no longer waited for is dropped, and so
    /// is a reply without `id`: a peer sends one only for input it could not read, which
    /// this crate sends only on purpose (the guest agent's reset byte).
    pub(crate) fn deliver(&self, incoming: Incoming) -> Result<(), Closed> {
        let mut state = lock(&self.state);
        match incoming {
            Incoming::Reply { id, outcome } => {
                let id = id.as_ref().and_then(Value::as_u64);
                if let Some(slot) = id.and_then(|id| state.pending.remove(&id)) {
                    drop(state);
                    slot.complete(Ok(outcome));
                }
            }
            Incoming::Event(event) => {
                let event = Arc::new(event);
                state.queues.retain(|queue| match queue.upgrade() {
                    Some(queue) => {
                        queue.push(&event);
                        true
                    }
                    None => false,
                });
            }
            Incoming::Greeting(greeting) => match state.greeting.take() {
                Some(slot) => {
                    drop(state);
                    slot.complete(Ok(greeting));
                }
                None => {
                    return Err(Closed::Protocol(
                        "a second greeting in the middle of the session".to_owned(),
                    ));
                }
            },
        }
        Ok(())
    }

    /// Ends the connection: every pending call fails now with `reason`, and subscriptions
    /// end once their queued events are read. Only the first reason is kept.
    pub(crate) fn close(&self, reason: Closed) {
        let mut state = lock(&self.state);
        if state.closed.is_some() {
            return;
        }
        state.closed = Some(reason.clone());
        let pending: Vec<_> = state.pending.drain().map(|(_, slot)| slot).collect();
        let greeting = state.greeting.take();
        let queues: Vec<_> = state.queues.drain(..).filter_map(|q| q.upgrade()).collect();
        drop(state);
        for slot in pending {
            slot.complete(Err(reason.clone()));
        }
        if let Some(slot) = greeting {
            slot.complete(Err(reason.clone()));
        }
        for queue in queues {
            queue.close(reason.clone());
        }
    }

    /// Routes every complete message in `frames`. `Ok` when more bytes are needed; `Err`
    /// with why the connection ends when the peer broke the protocol. A guest agent's
    /// 0xFF bytes (`agent`) are passed over.
    pub(crate) fn route(&self, frames: &mut Frames, agent: bool) -> Result<(), Closed> {
        while let Some(frame) = frames.next()? {
            match frame {
                Frame::Line(range) => {
                    if let Some(incoming) =
                        Incoming::parse(frames.bytes(range)).map_err(Closed::Protocol)?
                    {
                        self.deliver(incoming)?;
                    }
                }
                Frame::Delimiter if agent => {}
                Frame::Delimiter => {
                    return Err(Closed::Protocol(
                        "a 0xFF byte, which only a guest agent sends".to_owned(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Asks one waiting call to read the connection itself, now that no one does.
    pub(crate) fn promote_one(&self) {
        let state = lock(&self.state);
        for slot in state.pending.values() {
            if slot.promote() {
                return;
            }
        }
    }

    /// Why the connection ended, if it has.
    pub(crate) fn closed(&self) -> Option<Closed> {
        lock(&self.state).closed.clone()
    }
}

/// Where one awaited message arrives: waited for by a thread or polled by a future.
pub(crate) struct Slot<T> {
    state: Mutex<SlotState<T>>,
    done: Condvar,
}

enum SlotState<T> {
    /// Nothing yet.
    Waiting {
        /// The future to wake.
        waker: Option<Waker>,
        /// Whether a thread sleeps on the condition (a notification is a system call, made
        /// only then).
        sleeping: bool,
        /// Whether the waiting thread is to read the connection itself, as no one does.
        lead: bool,
    },
    Ready(Result<T, Closed>),
    Taken,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            state: Mutex::new(SlotState::Waiting {
                waker: None,
                sleeping: false,
                lead: false,
            }),
            done: Condvar::new(),
        }
    }
}

impl<T> Slot<T> {
    fn complete(&self, result: Result<T, Closed>) {
        let mut state = lock(&self.state);
        if let SlotState::Waiting {
            waker, sleeping, ..
        } = std::mem::replace(&mut *state, SlotState::Ready(result))
        {
            drop(state);
            if sleeping {
                self.done.notify_all();
            }
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }

    fn take(state: &mut SlotState<T>) -> Option<Result<T, Closed>> {
        match std::mem::replace(state, SlotState::Taken) {
            SlotState::Ready(result) => Some(result),
            other => {
                *state = other;
                None
            }
        }
    }

    /// Waits until the message arrives or `deadline` passes (`None`), for a message that
    /// is not a call's reply (no one asks its waiter to read).
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Option<Result<T, Closed>> {
        loop {
            match self.wait_turn(deadline) {
                Turn::Done(result) => return Some(result),
                Turn::TimedOut => return None,
                Turn::Lead => {}
            }
        }
    }

    /// The message, if it has arrived.
    pub(crate) fn try_take(&self) -> Option<Result<T, Closed>> {
        Self::take(&mut lock(&self.state))
    }

    /// Waits until the message arrives, the waiting thread is asked to read the connection
    /// itself ([`Slot::promote`]), or `deadline` passes.
    pub(crate) fn wait_turn(&self, deadline: Option<Instant>) -> Turn<T> {
        let mut state = lock(&self.state);
        loop {
            if let Some(result) = Self::take(&mut state) {
                return Turn::Done(result);
            }
            if let SlotState::Waiting { sleeping, lead, .. } = &mut *state {
                if std::mem::take(lead) {
                    return Turn::Lead;
                }
                *sleeping = true;
            }
            state = match deadline {
                None => self.done.wait(state).unwrap_or_else(|e| e.into_inner()),
                Some(deadline) => {
                    let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                        return Turn::TimedOut;
                    };
                    self.done
                        .wait_timeout(state, left)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            };
        }
    }

    /// Asks the thread waiting for the message to read the connection itself; `false` when
    /// the message has already arrived.
    fn promote(&self) -> bool {
        let mut state = lock(&self.state);
        let SlotState::Waiting { sleeping, lead, .. } = &mut *state else {
            return false;
        };
        *lead = true;
        if *sleeping {
            drop(state);
            self.done.notify_all();
        }
        true
    }

    /// Polls for the message.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn poll(&self, cx: &mut Context) -> Poll<Result<T, Closed>> {
        let mut state = lock(&self.state);
        match Self::take(&mut state) {
            Some(result) => Poll::Ready(result),
            None => {
                *state = SlotState::Waiting {
                    waker: Some(cx.waker().clone()),
                    sleeping: false,
                    lead: false,
                };
                Poll::Pending
            }
        }
    }
}

/// How a wait for a message ended ([`Slot::wait_turn`]).
pub(crate) enum Turn<T> {
    Done(Result<T, Closed>),
    /// The waiting thread is to read the connection itself.
    Lead,
    TimedOut,
}

/// Which events a subscriber wants.
pub enum EventFilter {
    /// Every event.
    All,
    /// The events with these names.
    Names(Vec<String>),
    /// The events for which the function, given the name and `data` member, is true.
    Matching(Box<EventPredicate>),
}

/// A test of an event's name and `data` member.
pub type EventPredicate = dyn Fn(&str, Option<&Value>) -> bool + Send + Sync;

impl EventFilter {
    /// The events named in `names`.
    pub fn names<S: Into<String>>(names: impl IntoIterator<Item = S>) -> EventFilter {
        EventFilter::Names(names.into_iter().map(Into::into).collect())
    }

    /// The events for which `predicate` is true of the name and `data` member.
    pub fn matching(
        predicate: impl Fn(&str, Option<&Value>) -> bool + Send + Sync + 'static,
    ) -> EventFilter {
        EventFilter::Matching(Box::new(predicate))
    }

    fn wants(&self, event: &RawEvent) -> bool {
        match self {
            EventFilter::All => true,
            EventFilter::Names(names) => names.contains(&event.name),
            EventFilter::Matching(predicate) => predicate(&event.name, event.data.as_ref()),
        }
    }
}

/// One subscriber's events, oldest first, with a bound: when it is full the oldest event
/// is dropped and counted, and the subscriber is told the count before its next event.
pub(crate) struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
    filter: EventFilter,
}

struct QueueState {
    events: VecDeque<Arc<RawEvent>>,
    missed: u64,
    capacity: usize,
    closed: Option<Closed>,
    waker: Option<Waker>,
}

/// What a subscriber gets next.
pub(crate) enum Next {
    Event(Arc<RawEvent>),
    Missed(u64),
    Closed(Closed),
}

impl Queue {
    fn push(&self, event: &Arc<RawEvent>) {
        if !self.filter.wants(event) {
            return;
        }
        let mut state = lock(&self.state);
        if state.events.len() == state.capacity {
            state.events.pop_front();
            state.missed += 1;
        }
        state.events.push_back(event.clone());
        let waker = state.waker.take();
        drop(state);
        self.ready.notify_all();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn close(&self, reason: Closed) {
        let mut state = lock(&self.state);
        state.closed = Some(reason);
        let waker = state.waker.take();
        drop(state);
        self.ready.notify_all();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn take(state: &mut QueueState) -> Option<Next> {
        if state.missed > 0 {
            return Some(Next::Missed(std::mem::take(&mut state.missed)));
        }
        if let Some(event) = state.events.pop_front() {
            return Some(Next::Event(event));
        }
        state.closed.clone().map(Next::Closed)
    }

    /// The next item without waiting.
    pub(crate) fn try_next(&self) -> Option<Next> {
        Self::take(&mut lock(&self.state))
    }

    /// Waits for the next item until `deadline` (`None` when it passes).
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Option<Next> {
        let mut state = lock(&self.state);
        loop {
            if let Some(next) = Self::take(&mut state) {
                return Some(next);
            }
            state = match deadline {
                None => self.ready.wait(state).unwrap_or_else(|e| e.into_inner()),
                Some(deadline) => {
                    let left = deadline.checked_duration_since(Instant::now())?;
                    self.ready
                        .wait_timeout(state, left)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            };
        }
    }

    /// Polls for the next item.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn poll(&self, cx: &mut Context) -> Poll<Next> {
        let mut state = lock(&self.state);
        match Self::take(&mut state) {
            Some(next) => Poll::Ready(next),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
