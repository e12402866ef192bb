//! A switch's socket, TCP or Unix, used through readiness so that an idle connection holds
//! no read buffer.

use std::io;

use tokio::net::{TcpStream, UnixStream};

/// A connected switch socket.
#[derive(Debug)]
pub(super) enum SwitchStream {
    /// Over TCP.
    Tcp(TcpStream),
    /// Over a Unix domain socket.
    Unix(UnixStream),
}

impl SwitchStream {
    /// Waits until the socket may have bytes to read.
    pub(super) async fn readable(&self) -> io::Result<()> {
        match self {
            SwitchStream::Tcp(s) => s.readable().await,
            SwitchStream::Unix(s) => s.readable().await,
        }
    }

    /// Waits until the socket may take bytes.
    pub(super) async fn writable(&self) -> io::Result<()> {
        match self {
            SwitchStream::Tcp(s) => s.writable().await,
            SwitchStream::Unix(s) => s.writable().await,
        }
    }

    /// Reads what is there without waiting.
    pub(super) fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            SwitchStream::Tcp(s) => s.try_read(buf),
            SwitchStream::Unix(s) => s.try_read(buf),
        }
    }

    /// Writes what the socket takes without waiting.
    pub(super) fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        match self {
            SwitchStream::Tcp(s) => s.try_write(buf),
            SwitchStream::Unix(s) => s.try_write(buf),
        }
    }
}
