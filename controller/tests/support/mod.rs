//! End-to-end test harness shared by the controller's integration tests (`mod support;`):
//! a machine-wide lock for tests that use the system Open vSwitch and Mininet, the system OVS
//! itself, controller processes, Mininet networks driven through `ops/mininet/run.py`, flow
//! tables read with `ovs-ofctl`, and the packet-in rate seen on the wire.
//!
//! Every resource is a guard: dropping it stops what it started, so a failing assertion
//! leaves neither processes nor bridges behind.
// Each test binary uses a different part of the harness.
#![allow(dead_code, unused_imports)]

pub mod controller;
pub mod error;
pub mod flows;
pub mod lock;
pub mod mininet;
pub mod ovs;

pub use controller::ControllerProcess;
pub use error::HarnessError;
pub use flows::{FlowRow, dump_flows, parse_dump_flows, wait_for_flows};
pub use lock::{MININET_LOCK_PATH, MininetLock};
pub use mininet::{MininetNetwork, PingAll, PingContinuous, Ready, run_mininet};
pub use ovs::{PacketInRate, free_tcp_port, packet_in_rate, repo_root, start_system_ovs};
