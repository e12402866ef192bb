//! A minimal [`View`] for the app host's unit tests.

use navarch_app::{HostInfo, PortInfo, View};
use openflow::{DatapathId, MacAddr, PortNo};

/// A network with no switches, ports, links or hosts.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmptyView;

impl View for EmptyView {
    fn switches(&self) -> Vec<DatapathId> {
        Vec::new()
    }
    fn ports(&self, _dpid: DatapathId) -> Vec<PortInfo> {
        Vec::new()
    }
    fn is_link_port(&self, _dpid: DatapathId, _port: PortNo) -> bool {
        false
    }
    fn flood_ports(&self, _dpid: DatapathId, _in_port: PortNo) -> Vec<PortNo> {
        Vec::new()
    }
    fn next_hop(&self, _from: DatapathId, _to: DatapathId) -> Option<PortNo> {
        None
    }
    fn host(&self, _mac: MacAddr, _vlan: Option<u16>) -> Option<HostInfo> {
        None
    }
    fn hosts(&self) -> Vec<HostInfo> {
        Vec::new()
    }
}
