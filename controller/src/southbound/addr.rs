//! Where the controller listens for switches: `tcp:IP:PORT`, `tcp:PORT` or `unix:PATH`, the
//! syntax of `ovs-vsctl set-controller` (passive side).

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;

/// The OpenFlow port IANA assigned, and the default of `tcp:` without a port.
pub const DEFAULT_OPENFLOW_PORT: u16 = 6653;

/// A listening address for switch connections.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ListenAddr {
    /// A TCP socket.
    Tcp(SocketAddr),
    /// A Unix domain stream socket at this path.
    Unix(PathBuf),
}

/// Why a listening address could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ListenAddrError {
    /// The address has no `tcp:` or `unix:` prefix.
    #[error(
        "listen address {0:?} must start with \"tcp:\" or \"unix:\" (e.g. tcp:6653, tcp:127.0.0.1:6653, unix:/run/navarch.sock)"
    )]
    UnknownScheme(String),
    /// The port is not a number from 0 to 65535.
    #[error("listen address {addr:?}: bad port {port:?} (expected 0 to 65535)")]
    BadPort {
        /// The whole address.
        addr: String,
        /// The port text.
        port: String,
    },
    /// The IP address is not an IPv4 or bracketed IPv6 address.
    #[error(
        "listen address {addr:?}: bad IP address {ip:?} (IPv6 goes in brackets: tcp:[::1]:6653)"
    )]
    BadIp {
        /// The whole address.
        addr: String,
        /// The IP text.
        ip: String,
    },
    /// `unix:` with no path.
    #[error("listen address {0:?}: unix: needs a socket path")]
    EmptyPath(String),
}

impl FromStr for ListenAddr {
    type Err = ListenAddrError;

    fn from_str(s: &str) -> Result<ListenAddr, ListenAddrError> {
        if let Some(path) = s.strip_prefix("unix:") {
            if path.is_empty() {
                return Err(ListenAddrError::EmptyPath(s.to_string()));
            }
            return Ok(ListenAddr::Unix(PathBuf::from(path)));
        }
        let Some(rest) = s.strip_prefix("tcp:") else {
            return Err(ListenAddrError::UnknownScheme(s.to_string()));
        };
        let bad_port = |port: &str| ListenAddrError::BadPort {
            addr: s.to_string(),
            port: port.to_string(),
        };
        let parse_port = |port: &str| port.parse::<u16>().map_err(|_| bad_port(port));
        // `tcp:PORT`, `tcp:IP:PORT`, `tcp:[IPv6]:PORT`, and `tcp:IP` / `tcp:` (default port).
        if rest.is_empty() {
            let any = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
            return Ok(ListenAddr::Tcp(SocketAddr::new(any, DEFAULT_OPENFLOW_PORT)));
        }
        if !rest.contains(':') && rest.bytes().all(|b| b.is_ascii_digit()) {
            let any = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
            return Ok(ListenAddr::Tcp(SocketAddr::new(any, parse_port(rest)?)));
        }
        let (ip, port) = if let Some(v6) = rest.strip_prefix('[') {
            let Some((ip, after)) = v6.split_once(']') else {
                return Err(ListenAddrError::BadIp {
                    addr: s.to_string(),
                    ip: rest.to_string(),
                });
            };
            let port = match after {
                "" => DEFAULT_OPENFLOW_PORT,
                p => parse_port(p.strip_prefix(':').ok_or_else(|| bad_port(p))?)?,
            };
            (ip, port)
        } else {
            match rest.rsplit_once(':') {
                Some((ip, _)) if ip.contains(':') => {
                    return Err(ListenAddrError::BadIp {
                        addr: s.to_string(),
                        ip: ip.to_string(),
                    });
                }
                Some((ip, port)) => (ip, parse_port(port)?),
                None => (rest, DEFAULT_OPENFLOW_PORT),
            }
        };
        let ip: IpAddr = ip.parse().map_err(|_| ListenAddrError::BadIp {
            addr: s.to_string(),
            ip: ip.to_string(),
        })?;
        Ok(ListenAddr::Tcp(SocketAddr::new(ip, port)))
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenAddr::Tcp(a) => write!(f, "tcp:{a}"),
            ListenAddr::Unix(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_every_form() {
        let p = |s: &str| s.parse::<ListenAddr>();
        assert_eq!(p("tcp:6633"), Ok(ListenAddr::Tcp(tcp("0.0.0.0:6633"))));
        assert_eq!(p("tcp:"), Ok(ListenAddr::Tcp(tcp("0.0.0.0:6653"))));
        assert_eq!(
            p("tcp:127.0.0.1:7000"),
            Ok(ListenAddr::Tcp(tcp("127.0.0.1:7000")))
        );
        assert_eq!(p("tcp:10.0.0.1"), Ok(ListenAddr::Tcp(tcp("10.0.0.1:6653"))));
        assert_eq!(p("tcp:[::1]:99"), Ok(ListenAddr::Tcp(tcp("[::1]:99"))));
        assert_eq!(p("tcp:[::1]"), Ok(ListenAddr::Tcp(tcp("[::1]:6653"))));
        assert_eq!(
            p("unix:/tmp/x.sock"),
            Ok(ListenAddr::Unix(PathBuf::from("/tmp/x.sock")))
        );
        for s in [
            "tcp:6633",
            "tcp:127.0.0.1:7000",
            "tcp:[::1]:99",
            "unix:/a b",
        ] {
            let a = p(s).unwrap();
            assert_eq!(p(&a.to_string()), Ok(a));
        }
    }

    #[test]
    fn rejects_with_clear_errors() {
        let e = |s: &str| s.parse::<ListenAddr>().unwrap_err().to_string();
        assert!(e("ssl:1.2.3.4:6653").contains("must start with"));
        assert!(e("6653").contains("must start with"));
        assert!(e("tcp:70000").contains("bad port \"70000\""));
        assert!(e("tcp:1.2.3.4:x").contains("bad port \"x\""));
        assert!(e("tcp:1.2.3:6653").contains("bad IP address \"1.2.3\""));
        assert!(e("tcp:::1:6653").contains("bad IP address"));
        assert!(e("tcp:[::1").contains("bad IP address"));
        assert!(e("unix:").contains("needs a socket path"));
    }
}
