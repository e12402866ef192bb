//! The app host: apps say which flows, groups and meters they want; the host owns tables,
//! cookies, wire ids, ordering, barriers, bundles, errors and hitless reconciliation, and
//! never does I/O itself.
//!
//! * [`cookie`]: the cookie layout (owner and generation, read from a switch's table alone).
//! * [`ids`]: the group and meter id layout (owner and app-local id, read from the id alone),
//!   and the mapping of apps' local ids into it.
//! * [`canon`], [`group`], [`meter`]: canonical forms, so a flow, group or meter dumped from a
//!   switch equals the one we asked for.
//! * [`diff`]: the difference between wanted and present flows (deletes first), groups and
//!   meters (by id).
//! * [`host`]: [`AppHost`], which registers apps, dispatches events and produces [`Changes`];
//!   `switch` is what it knows of each switch, [`error`] what it reports.
//! * [`plan`](mod@plan): packaging [`Changes`] as messages in phases, in ONF bundles where the switch
//!   has them.
//! * [`core`]: the controller's own flows (LLDP to the controller, the ingress miss).

pub mod canon;
pub mod cookie;
pub mod core;
pub mod diff;
pub mod error;
pub mod group;
pub mod host;
pub mod ids;
pub mod meter;
pub mod operator;
pub mod plan;
mod switch;
#[cfg(test)]
pub(crate) mod testing;

pub use canon::FlowEntry;
pub use cookie::{FlowCookie, Owner};
pub use core::CoreApp;
pub use error::{InstallError, Kind, RegisterError};
pub use group::GroupEntry;
pub use host::{AppHost, AppStatus, SwitchDump};
pub use ids::OwnedId;
pub use meter::MeterEntry;
pub use plan::{BundleIds, Changes, PlanConfig, plan, with_xid};
#[cfg(test)]
mod ovs_group_tests;
#[cfg(test)]
mod ovs_session;
#[cfg(test)]
mod ovs_tests;
