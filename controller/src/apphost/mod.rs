//! The app host: apps say which flows they want; the host owns tables, cookies, ordering,
//! barriers, bundles, errors and hitless reconciliation, and never does I/O itself.
//!
//! * [`cookie`]: the cookie layout (owner and generation, read from a switch's table alone).
//! * [`canon`]: canonical forms, so a flow dumped from a switch equals the one we asked for.
//! * [`diff`]: the difference between wanted and present flows, deletes first.
//! * [`host`]: [`AppHost`], which registers apps, dispatches events and produces FLOW_MODs.
//! * [`plan`]: packaging FLOW_MODs as messages, in ONF bundles where the switch has them.
//! * [`core`]: the controller's own flows (LLDP to the controller, the ingress miss).

pub mod canon;
pub mod cookie;
pub mod core;
pub mod diff;
pub mod host;
pub mod plan;
#[cfg(test)]
pub(crate) mod testing;

pub use canon::FlowEntry;
pub use cookie::{FlowCookie, Owner};
pub use core::CoreApp;
pub use host::{AppHost, FlowError, RegisterError};
pub use plan::{BundleIds, PlanConfig, plan, with_xid};
