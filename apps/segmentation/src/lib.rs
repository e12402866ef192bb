//! Tenant segmentation: isolated virtual networks over VXLAN overlays and VLAN fabrics.
//!
//! The operator describes tenants, their networks (a VXLAN VNI or a VLAN id each), the
//! logical ports of VMs on those networks (bound to an OVS interface of a hypervisor bridge,
//! with a MAC and addresses) and the hypervisors' tunnel endpoints: the [`model`]. The app
//! turns that model and the controller's view into flows and groups ([`pipeline`]):
//! classification of every frame into its network, port security, an ARP responder, unicast
//! to local ports or through tunnels to the right hypervisor, and head-end replication of
//! broadcast through one OpenFlow ALL group per network.
//!
//! Each network is one slice ([`pipeline::slice_of`]) on each switch it reaches, so a change
//! to a port or a network recomputes that network on those switches only.

pub mod model;
pub mod pipeline;

use std::sync::{Arc, Mutex, MutexGuard};

use navarch_app::{App, Ctx, Event, FlowSpec, GroupSpec, Slice, View};
use openflow::{DatapathId, TableId};

use model::{Effect, Model, ModelCommand, ModelError, Reach};
use pipeline::{NetworkFlows, SwitchPorts};

/// The app's name.
pub const NAME: &str = "segmentation";

/// The model the app computes from, shared with whoever changes it.
#[derive(Clone, Debug, Default)]
pub struct SharedModel(Arc<Mutex<Model>>);

impl SharedModel {
    /// A handle on `model`.
    pub fn new(model: Model) -> SharedModel {
        SharedModel(Arc::new(Mutex::new(model)))
    }

    /// The model, locked.
    pub fn lock(&self) -> MutexGuard<'_, Model> {
        // A panic while holding the lock cannot leave the model half-changed: apply checks
        // every rule before it changes anything.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies a command to the model: what changed, or why nothing did.
    pub fn apply(&self, cmd: &ModelCommand) -> Result<Effect, ModelError> {
        self.lock().apply(cmd)
    }
}

/// The segmentation app.
#[derive(Clone, Debug, Default)]
pub struct Segmentation {
    model: SharedModel,
}

impl Segmentation {
    /// The app, computing from `model`.
    pub fn new(model: SharedModel) -> Segmentation {
        Segmentation { model }
    }

    /// The (switch, slice) pairs an effect changes, given every switch there is.
    pub fn invalidations(effect: &Effect, switches: &[DatapathId]) -> Vec<(DatapathId, Slice)> {
        let mut out = Vec::new();
        for (&tag, reach) in &effect.networks {
            let slice = pipeline::slice_of(tag);
            match reach {
                Reach::Switches(s) => {
                    out.extend(s.iter().map(|&d| (DatapathId(d), slice.clone())));
                }
                Reach::Everywhere => {
                    out.extend(switches.iter().map(|&d| (d, slice.clone())));
                }
            }
        }
        out
    }

    /// The networks (by tag) whose flows may be on `dpid`.
    fn tags_at(model: &Model, dpid: DatapathId) -> Vec<u16> {
        let mut tags: Vec<u16> = model.networks_at(dpid.0).collect();
        tags.extend(model.vlan_networks());
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    fn compute(
        &self,
        dpid: DatapathId,
        slice: Option<&Slice>,
        view: &dyn View,
        want_flows: bool,
    ) -> (Vec<FlowSpec>, Vec<GroupSpec>) {
        let model = self.model.lock();
        let ports = SwitchPorts::of(dpid, view);
        let (mut flows, mut groups) = (Vec::new(), Vec::new());
        let tags = match slice {
            None => {
                if want_flows {
                    flows = pipeline::base_flows();
                }
                Self::tags_at(&model, dpid)
            }
            Some(Slice::Base) if want_flows => return (pipeline::base_flows(), Vec::new()),
            Some(Slice::Base) => return (flows, groups),
            Some(Slice::Id(id)) => match u16::try_from(*id) {
                Ok(tag) => vec![tag],
                Err(_) => return (flows, groups),
            },
            Some(Slice::Host { .. }) => return (flows, groups),
        };
        for tag in tags {
            let (f, g) = NetworkFlows::compute(&model, tag, dpid, &ports, view, want_flows);
            flows.extend(f);
            groups.extend(g);
        }
        (flows, groups)
    }
}

impl App for Segmentation {
    fn name(&self) -> &'static str {
        NAME
    }

    fn tables(&self) -> Vec<TableId> {
        pipeline::tables()
    }

    fn flows(&self, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec> {
        self.compute(dpid, None, view, true).0
    }

    fn slice_flows(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<FlowSpec> {
        self.compute(dpid, Some(slice), view, true).0
    }

    fn groups(&self, dpid: DatapathId, view: &dyn View) -> Vec<GroupSpec> {
        self.compute(dpid, None, view, false).1
    }

    fn slice_groups(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<GroupSpec> {
        self.compute(dpid, Some(slice), view, false).1
    }

    fn on_event(&mut self, event: &Event<'_>, view: &dyn View, ctx: &mut Ctx) {
        match event {
            Event::PortChanged { dpid, port } => {
                let model = self.model.lock();
                let name = view
                    .ports(*dpid)
                    .into_iter()
                    .find(|p| p.port_no == *port)
                    .map(|p| p.name);
                let bound = name.as_deref().and_then(|n| model.port_at(dpid.0, n));
                match bound.and_then(|p| model.network(&p.network)) {
                    Some(net) => ctx.invalidate_slice(*dpid, pipeline::slice_of(net.tag)),
                    // The tunnel port, a fabric link, or a port already gone: every network
                    // here may use it.
                    None => ctx.invalidate(*dpid),
                }
            }
            Event::TopologyChanged => {
                let model = self.model.lock();
                for tag in model.vlan_networks() {
                    ctx.invalidate_slice_everywhere(pipeline::slice_of(tag));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
