//! navarchd, the navarch SDN controller: southbound OpenFlow sessions, the switch registry and
//! event stream, topology (LLDP link discovery, hosts, paths, flood tree), the store every
//! durable change goes through, and the app host that turns apps' intents into flows.

pub mod api;
pub mod apphost;
pub mod catalog;
pub mod config;
pub mod journal;
pub mod logging;
pub mod runtime;
pub mod southbound;
pub mod store;
pub mod topology;
