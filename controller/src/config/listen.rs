//! Southbound listen addresses: `tcp:IP[:PORT]` and `unix:PATH`, the two ways OVS connects.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;

/// The IANA OpenFlow port, used when a `tcp:` address has none.
pub const OPENFLOW_PORT: u16 = 6653;

/// Where navarchd accepts switch connections.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ListenAddr {
    /// A TCP socket address (`tcp:0.0.0.0:6653`, `tcp:[::1]:6653`, `tcp:127.0.0.1`).
    Tcp(SocketAddr),
    /// A Unix stream socket path (`unix:/run/navarch/ofp.sock`).
    Unix(PathBuf),
}

/// Why a listen address was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid listen address {text:?}: {reason}")]
pub struct ListenAddrError {
    /// The rejected text.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for ListenAddr {
    type Err = ListenAddrError;

    fn from_str(text: &str) -> Result<ListenAddr, ListenAddrError> {
        let fail = |reason| ListenAddrError {
            text: text.to_owned(),
            reason,
        };
        if let Some(rest) = text.strip_prefix("tcp:") {
            if let Ok(addr) = rest.parse::<SocketAddr>() {
                return Ok(ListenAddr::Tcp(addr));
            }
            let bare = rest
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .unwrap_or(rest);
            return match bare.parse::<IpAddr>() {
                Ok(ip) => Ok(ListenAddr::Tcp(SocketAddr::new(ip, OPENFLOW_PORT))),
                Err(_) => Err(fail(
                    "expected tcp:IP or tcp:IP:PORT with a numeric IP (IPv6 as [addr]:port)",
                )),
            };
        }
        if let Some(path) = text.strip_prefix("unix:") {
            if path.is_empty() {
                return Err(fail("unix: needs a socket path"));
            }
            return Ok(ListenAddr::Unix(PathBuf::from(path)));
        }
        Err(fail("expected tcp:IP[:PORT] or unix:PATH"))
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenAddr::Tcp(addr) => write!(f, "tcp:{addr}"),
            ListenAddr::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tcp_and_unix() {
        let tcp = |s: &str| ListenAddr::Tcp(s.parse().unwrap());
        assert_eq!("tcp:0.0.0.0:6653".parse(), Ok(tcp("0.0.0.0:6653")));
        assert_eq!("tcp:127.0.0.1:16653".parse(), Ok(tcp("127.0.0.1:16653")));
        assert_eq!("tcp:127.0.0.1".parse(), Ok(tcp("127.0.0.1:6653")));
        assert_eq!("tcp:[::1]:6633".parse(), Ok(tcp("[::1]:6633")));
        assert_eq!("tcp:[::]".parse(), Ok(tcp("[::]:6653")));
        assert_eq!("tcp:::1".parse(), Ok(tcp("[::1]:6653")));
        assert_eq!(
            "unix:/run/navarch/ofp.sock".parse(),
            Ok(ListenAddr::Unix("/run/navarch/ofp.sock".into()))
        );
    }

    #[test]
    fn display_round_trips() {
        for text in ["tcp:0.0.0.0:6653", "tcp:[::1]:6633", "unix:/tmp/x.sock"] {
            assert_eq!(text.parse::<ListenAddr>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_bad_addresses() {
        let err = |s: &str| s.parse::<ListenAddr>().unwrap_err().to_string();
        assert_eq!(
            err("0.0.0.0:6653"),
            "invalid listen address \"0.0.0.0:6653\": expected tcp:IP[:PORT] or unix:PATH"
        );
        assert_eq!(
            err("tcp:localhost:6653"),
            "invalid listen address \"tcp:localhost:6653\": expected tcp:IP or tcp:IP:PORT \
             with a numeric IP (IPv6 as [addr]:port)"
        );
        assert_eq!(
            err("tcp:1.2.3.4:70000"),
            "invalid listen address \"tcp:1.2.3.4:70000\": expected tcp:IP or tcp:IP:PORT \
             with a numeric IP (IPv6 as [addr]:port)"
        );
        assert_eq!(
            err("unix:"),
            "invalid listen address \"unix:\": unix: needs a socket path"
        );
        assert_eq!(
            err("ssl:1.2.3.4:6653"),
            "invalid listen address \"ssl:1.2.3.4:6653\": expected tcp:IP[:PORT] or unix:PATH"
        );
    }
}
