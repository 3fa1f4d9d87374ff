//! The tokio client's unix socket, watched by the reactor for incoming bytes only.
//!
//! tokio's own `UnixStream` asks the reactor about room for writing too, so every call woke
//! the client once more than needed: when the peer took the request off the socket, after
//! the request was sent and before the reply came. A request almost always fits in the
//! socket's buffer and is written straight away here; only a write that finds the socket full
//! waits for room, through a second handle watched for that alone while it waits.

use std::io::{ErrorKind, Result};
use std::os::fd::BorrowedFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;

use rustix::net::SendFlags;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use crate::wire::{Frames, READ_CHUNK};

/// A connected unix socket; the reading task and the writers share it.
pub(super) struct UnixSocket {
    readable: AsyncFd<UnixStream>,
}

impl UnixSocket {
    pub(super) async fn connect(path: &std::path::Path) -> Result<Arc<UnixSocket>> {
        let stream = tokio::net::UnixStream::connect(path).await?.into_std()?;
        Ok(Arc::new(UnixSocket {
            readable: watch(stream, Interest::READABLE)?,
        }))
    }

    /// Reads once into `frames`; `Ok(false)` at the end of the stream.
    pub(super) async fn fill(&self, frames: &mut Frames) -> Result<bool> {
        loop {
            let mut ready = self.readable.readable().await?;
            match frames.read_from(&mut self.readable.get_ref()) {
                Err(error) if error.kind() == ErrorKind::WouldBlock => ready.clear_ready(),
                Err(error) => return Err(error),
                Ok(count) => {
                    // A read that did not fill the buffer emptied the socket: wait for the
                    // reactor before reading again rather than trying a read that would block.
                    if count < READ_CHUNK {
                        ready.clear_ready();
                    }
                    return Ok(count > 0);
                }
            }
        }
    }

    /// Writes all of `line`, with `fds` attached to its first bytes.
    pub(super) async fn send(&self, line: &[u8], fds: &[BorrowedFd<'_>]) -> Result<()> {
        let socket = self.readable.get_ref();
        let mut room = None;
        let mut sent = 0;
        while sent < line.len() {
            let rest = &line[sent..];
            let attempt = if sent == 0 && !fds.is_empty() {
                crate::fds::send_once(socket, rest, fds)
            } else {
                rustix::net::send(socket, rest, SendFlags::NOSIGNAL).map_err(Into::into)
            };
            match attempt {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(count) => sent += count,
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                Err(error) if error.kind() == ErrorKind::WouldBlock => {
                    let room = match &mut room {
                        Some(room) => room,
                        None => room.insert(watch(socket.try_clone()?, Interest::WRITABLE)?),
                    };
                    room.writable().await?.clear_ready();
                }
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

/// Registers `stream` with the reactor for `interest` alone.
///
/// tokio deprecates this constructor because a type could report a different descriptor
/// from one call to the next, or close it while registered; a `UnixStream` owns its
/// descriptor and reports the same one until it is dropped with its `AsyncFd`, which is
/// what the replacement, an `unsafe fn`, asks the caller to promise.
#[allow(deprecated)]
fn watch(stream: UnixStream, interest: Interest) -> Result<AsyncFd<UnixStream>> {
    stream.set_nonblocking(true)?;
    AsyncFd::with_interest(stream, interest)
}
