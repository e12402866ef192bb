//! The network view.

pub mod lldp;
