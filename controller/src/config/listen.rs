//! Listen addresses in the configuration are the southbound's own ([`crate::southbound::ListenAddr`]):
//! `tcp:IP[:PORT]`, `tcp:PORT`, `tcp:[v6][:PORT]` and `unix:PATH`, one parser for file, flags
//! and environment.

pub use crate::southbound::{DEFAULT_OPENFLOW_PORT as OPENFLOW_PORT, ListenAddr, ListenAddrError};
