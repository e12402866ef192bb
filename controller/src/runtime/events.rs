//! What the runtime records in the event journal, in the API's terms.

use navarch_app::Attachment;
use navarch_proto::v1::{
    Endpoint, FlowAppliedEvent, HostEvent, LinkEvent, PortEvent, SwitchEvent, event,
};
use openflow::msg::PortReason;
use openflow::{DatapathId, PortNo};

use super::Runtime;
use crate::store::MacText;
use crate::topology::{Change, HostChange, LinkChange, LinkEnd};

impl Runtime {
    /// A switch connected or disconnected.
    pub(super) fn record_switch(&self, dpid: DatapathId, connected: bool, reason: String) {
        self.journal.push(event::Event::Switch(SwitchEvent {
            dpid: dpid.0,
            connected,
            reason,
        }));
    }

    /// A change of the view.
    pub(super) fn record_change(&self, change: &Change) {
        let what = match change {
            Change::Port { dpid, port } => {
                let up = self
                    .topo
                    .switch(*dpid)
                    .and_then(|s| s.ports.get(port))
                    .is_some_and(|p| p.is_up());
                let change = match self.port_cause {
                    Some(PortReason::Add) => "added",
                    Some(PortReason::Delete) => "deleted",
                    Some(_) => "modified",
                    None => "settled",
                };
                event::Event::Port(PortEvent {
                    port: Some(endpoint(*dpid, *port)),
                    up,
                    change: change.into(),
                })
            }
            Change::Link(LinkChange::Added(link)) | Change::Link(LinkChange::Removed(link)) => {
                event::Event::Link(LinkEvent {
                    src: Some(end(link.src)),
                    dst: Some(end(link.dst)),
                    up: matches!(change, Change::Link(LinkChange::Added(_))),
                })
            }
            Change::Host(h) => {
                let host = h.host();
                let at = |a: Attachment| endpoint(a.dpid, a.port);
                let now = Some(at(Attachment {
                    dpid: host.dpid,
                    port: host.port,
                }));
                let (before, after) = match h {
                    HostChange::Added(_) => (None, now),
                    HostChange::Moved { from, .. } => (Some(end(*from)), now),
                    HostChange::AddressAdded(_) => (now, now),
                    HostChange::Removed(_) => (now, None),
                };
                event::Event::Host(HostEvent {
                    mac: MacText(host.mac.0).to_string(),
                    vlan: host.vlan.map(u32::from),
                    before,
                    after,
                })
            }
        };
        self.journal.push(what);
    }

    /// A switch confirmed flow changes.
    pub(super) fn record_applied(&self, dpid: DatapathId, changes: usize, revision: u64) {
        if changes > 0 {
            self.journal
                .push(event::Event::FlowApplied(FlowAppliedEvent {
                    dpid: dpid.0,
                    changes: u32::try_from(changes).unwrap_or(u32::MAX),
                    revision,
                }));
        }
    }
}

fn endpoint(dpid: DatapathId, port: PortNo) -> Endpoint {
    Endpoint {
        dpid: dpid.0,
        port: port.0,
    }
}

fn end(e: LinkEnd) -> Endpoint {
    endpoint(e.dpid, e.port)
}
