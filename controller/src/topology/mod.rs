//! The network view.

pub mod frame;
pub mod graph;
pub mod hosts;
pub mod links;
pub mod lldp;
