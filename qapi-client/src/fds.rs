//! Passing file descriptors with a message over a unix socket (`SCM_RIGHTS`), as QEMU's
//! `getfd` and `add-fd` expect: the descriptors travel with the request's first bytes.

use std::io::{IoSlice, Write};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;

use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage, SendFlags, sendmsg};

/// Sends as much of `bytes` as one `sendmsg` takes, with `fds` attached; returns how many
/// bytes went.
pub(crate) fn send_once(
    socket: impl AsFd,
    bytes: &[u8],
    fds: &[BorrowedFd],
) -> std::io::Result<usize> {
    let mut space = vec![MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(fds.len()))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !control.push(SendAncillaryMessage::ScmRights(fds)) {
        return Err(std::io::Error::other(
            "too many file descriptors for one message",
        ));
    }
    Ok(sendmsg(
        socket,
        &[IoSlice::new(bytes)],
        &mut control,
        SendFlags::NOSIGNAL,
    )?)
}

/// Sends `bytes` over a blocking socket with `fds` attached to the first part.
pub(crate) fn send_with_fds(
    socket: &mut UnixStream,
    bytes: &[u8],
    fds: &[BorrowedFd],
) -> std::io::Result<()> {
    let sent = loop {
        match send_once(&*socket, bytes, fds) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            result => break result?,
        }
    };
    socket.write_all(&bytes[sent..])
}
