//! Who writes a blocking connection. One thread at a time writes; a caller that finds
//! another writing leaves its request in a queue and goes on to wait for its reply, and the
//! writing thread sends whatever was queued before it lets go. So callers on many threads
//! never sleep on each other's writes, and requests that pile up go in one system call.
//!
//! A request that must have left before its caller goes on (one with file descriptors, one
//! the peer does not answer, the guest agent's reset byte) waits for its turn instead.

use std::io::Write;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::{Condvar, Mutex};

use crate::error::Error;

use super::{FdRef, lock};

/// The writing half of a connection.
pub(super) enum Writer {
    #[cfg(unix)]
    Unix(UnixStream),
    Other(Box<dyn Write + Send>),
}

impl Writer {
    /// Whether file descriptors can go with a request.
    fn passes_fds(&self) -> bool {
        match self {
            #[cfg(unix)]
            Writer::Unix(_) => true,
            Writer::Other(_) => false,
        }
    }

    /// Writes `bytes`, with `fds` if there are any; only a writer that
    /// [passes them](Writer::passes_fds) is given any.
    fn send(&mut self, bytes: &[u8], fds: &[FdRef]) -> Result<(), Error> {
        match self {
            #[cfg(unix)]
            Writer::Unix(stream) if !fds.is_empty() => {
                crate::fds::send_with_fds(stream, bytes, fds)?;
                Ok(())
            }
            #[cfg(unix)]
            Writer::Unix(stream) => Ok(stream.write_all(bytes)?),
            Writer::Other(stream) => {
                stream.write_all(bytes)?;
                Ok(stream.flush()?)
            }
        }
    }
}

/// How a request goes out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Delivery {
    /// Queued behind the thread writing, if one is; the caller learns of a failed write
    /// when the connection closes.
    Queued,
    /// Written before the caller goes on, after whatever was queued before it.
    Awaited,
}

/// One connection's writing.
pub(super) struct Outbox {
    /// Only the thread whose turn it is locks this, so it is never waited for.
    writer: Mutex<Writer>,
    passes_fds: bool,
    turn: Mutex<Turn>,
    /// Where callers that must write themselves wait for the turn to be free.
    free: Condvar,
}

struct Turn {
    /// Whether a thread is writing.
    taken: bool,
    /// Requests queued for the writing thread, in the order they came.
    queued: Vec<u8>,
    /// Callers waiting on `free`.
    waiting: usize,
}

impl Outbox {
    pub(super) fn new(writer: Writer) -> Outbox {
        Outbox {
            passes_fds: writer.passes_fds(),
            writer: Mutex::new(writer),
            turn: Mutex::new(Turn {
                taken: false,
                queued: Vec::new(),
                waiting: 0,
            }),
            free: Condvar::new(),
        }
    }

    /// Sends `bytes`, with `fds` attached (which implies [`Delivery::Awaited`]). `Err` when
    /// a write in this caller's turn failed, its own or a queued one: the connection is then
    /// broken, and the caller closes it. Descriptors the connection cannot pass are refused
    /// before anything is written.
    pub(super) fn send(
        &self,
        bytes: &[u8],
        fds: &[FdRef],
        delivery: Delivery,
    ) -> Result<(), Error> {
        if !fds.is_empty() && !self.passes_fds {
            return Err(Error::Unsupported(
                "file descriptors can only be passed over a unix socket".to_owned(),
            ));
        }
        let mut turn = lock(&self.turn);
        if turn.taken {
            if delivery == Delivery::Queued && fds.is_empty() {
                turn.queued.extend_from_slice(bytes);
                return Ok(());
            }
            turn.waiting += 1;
            while turn.taken {
                turn = self.free.wait(turn).unwrap_or_else(|e| e.into_inner());
            }
            turn.waiting -= 1;
        }
        turn.taken = true;
        // Whatever was queued before this request goes before it.
        let mut batch = std::mem::take(&mut turn.queued);
        drop(turn);

        let _unwinding = Unwinding(self);
        let mut writer = lock(&self.writer);
        let mut result = Ok(());
        if !batch.is_empty() {
            result = writer.send(&batch, &[]);
            batch.clear();
        }
        if result.is_ok() {
            result = writer.send(bytes, fds);
        }
        loop {
            let mut turn = lock(&self.turn);
            if result.is_err() || turn.queued.is_empty() {
                drop(writer);
                if result.is_err() {
                    // Those requests cannot go; their callers learn it from the closing.
                    turn.queued.clear();
                }
                turn.taken = false;
                // The emptied buffer is kept for the next queue, with its capacity.
                if turn.queued.capacity() == 0 {
                    turn.queued = batch;
                }
                if turn.waiting > 0 {
                    self.free.notify_one();
                }
                return result;
            }
            std::mem::swap(&mut batch, &mut turn.queued);
            drop(turn);
            result = writer.send(&batch, &[]);
            batch.clear();
        }
    }
}

/// Frees the turn when the thread writing unwinds (a writer of the caller's panicked), so
/// that the other callers do not wait for it forever.
struct Unwinding<'a>(&'a Outbox);

impl Drop for Unwinding<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut turn = lock(&self.0.turn);
            turn.taken = false;
            turn.queued.clear();
            if turn.waiting > 0 {
                self.0.free.notify_one();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    /// A writer that takes its time, so that callers pile up behind it.
    struct Slow(Arc<Mutex<Vec<Vec<u8>>>>);

    impl Write for Slow {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(1));
            lock(&self.0).push(bytes.to_vec());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_request_goes_once_and_a_callers_own_go_in_order() {
        let writes = Arc::new(Mutex::new(Vec::new()));
        let outbox = Outbox::new(Writer::Other(Box::new(Slow(writes.clone()))));
        std::thread::scope(|scope| {
            for caller in 0..8 {
                let outbox = &outbox;
                scope.spawn(move || {
                    for request in 0..20 {
                        let line = format!("{caller}.{request}\n");
                        let delivery = if request % 5 == 4 {
                            Delivery::Awaited
                        } else {
                            Delivery::Queued
                        };
                        outbox.send(line.as_bytes(), &[], delivery).unwrap();
                    }
                });
            }
        });
        let writes = lock(&writes);
        // Queued requests were batched: fewer writes than requests.
        assert!(writes.len() < 160, "{} writes", writes.len());
        let text = String::from_utf8(writes.concat()).unwrap();
        for caller in 0..8 {
            let own: Vec<&str> = text
                .lines()
                .filter(|line| line.starts_with(&format!("{caller}.")))
                .collect();
            let expected: Vec<String> = (0..20)
                .map(|request| format!("{caller}.{request}"))
                .collect();
            assert_eq!(own, expected);
        }
    }

    #[cfg(unix)]
    #[test]
    fn descriptors_are_refused_up_front_where_they_cannot_go() {
        use std::os::fd::AsFd;
        let writes = Arc::new(Mutex::new(Vec::new()));
        let outbox = Outbox::new(Writer::Other(Box::new(Slow(writes.clone()))));
        let stdin = std::io::stdin();
        let refused = outbox.send(b"x\n", &[stdin.as_fd()], Delivery::Awaited);
        assert!(matches!(refused, Err(Error::Unsupported(_))), "{refused:?}");
        assert!(lock(&writes).is_empty());
        // The turn was never taken: a queued request is written by its own caller.
        outbox.send(b"y\n", &[], Delivery::Queued).unwrap();
        assert_eq!(lock(&writes).concat(), b"y\n");
    }

    /// A writer whose peer has gone.
    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(1));
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A writer that panics on its first write.
    struct Panicking(bool);

    impl Write for Panicking {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if !std::mem::replace(&mut self.0, true) {
                panic!("a writer that panics");
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_writer_that_panics_leaves_the_turn_free() {
        let outbox = Outbox::new(Writer::Other(Box::new(Panicking(false))));
        let panicked = std::thread::scope(|scope| {
            scope
                .spawn(|| outbox.send(b"x\n", &[], Delivery::Awaited))
                .join()
                .is_err()
        });
        assert!(panicked);
        // Sent from a thread of its own, so that a turn never freed fails the test
        // instead of hanging it.
        let outbox = Arc::new(outbox);
        let (done, sent) = std::sync::mpsc::channel();
        let sender = outbox.clone();
        std::thread::spawn(move || {
            let _ = done.send(sender.send(b"y\n", &[], Delivery::Awaited).is_ok());
        });
        assert_eq!(sent.recv_timeout(Duration::from_secs(10)), Ok(true));
    }

    #[test]
    fn a_failed_write_is_told_to_the_writing_caller_and_frees_the_turn() {
        let outbox = Outbox::new(Writer::Other(Box::new(Broken)));
        let failures = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..10 {
                        if outbox.send(b"x\n", &[], Delivery::Queued).is_err() {
                            failures.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert!(failures.into_inner() > 0);
        // An awaited request still gets its turn and its own error.
        assert!(matches!(
            outbox.send(b"y\n", &[], Delivery::Awaited),
            Err(Error::Io(_))
        ));
    }
}
