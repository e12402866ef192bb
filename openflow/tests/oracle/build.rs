//! Shared helpers for building corpora: addresses from text and plain outputs.

use std::net::{Ipv4Addr, Ipv6Addr};

use openflow::{Action, MacAddr, PortNo};

/// An IPv4 address from text.
pub fn v4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// An IPv6 address from text.
pub fn v6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// A MAC address from `aa:bb:cc:dd:ee:ff`.
pub fn mac(s: &str) -> MacAddr {
    let mut b = [0u8; 6];
    for (n, x) in s.split(':').enumerate() {
        b[n] = u8::from_str_radix(x, 16).unwrap();
    }
    MacAddr(b)
}

/// Output to `port` (no controller length).
pub fn out(port: u32) -> Action {
    Action::Output {
        port: PortNo(port),
        max_len: 0,
    }
}
