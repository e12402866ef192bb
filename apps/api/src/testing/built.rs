//! What the simulated controller has built of an app's wishes for each switch, as the app
//! host builds it: in full once, then slice by slice as the app invalidates, and checked
//! against a full recomputation after every event.

use std::collections::{BTreeMap, BTreeSet};

use openflow::DatapathId;

use super::sim::SimError;
use crate::{App, FlowSpec, GroupSpec, MeterSpec, Slice, View};

/// The app's flows, groups and meters per switch.
#[derive(Default)]
pub(crate) struct Built {
    flows: BTreeMap<DatapathId, Vec<FlowSpec>>,
    groups: BTreeMap<DatapathId, Vec<GroupSpec>>,
    meters: BTreeMap<DatapathId, Vec<MeterSpec>>,
}

impl Built {
    /// A switch's flows, groups and meters as built.
    pub(crate) fn of(&self, dpid: DatapathId) -> (Vec<FlowSpec>, Vec<GroupSpec>, Vec<MeterSpec>) {
        (
            self.flows.get(&dpid).cloned().unwrap_or_default(),
            self.groups.get(&dpid).cloned().unwrap_or_default(),
            self.meters.get(&dpid).cloned().unwrap_or_default(),
        )
    }

    /// Asks the app again for a switch's flows, groups and meters: all of them, or one
    /// slice's.
    pub(crate) fn recompute(
        &mut self,
        app: &impl App,
        view: &dyn View,
        dpid: DatapathId,
        slice: Option<&Slice>,
    ) -> Result<(), SimError> {
        let Some(slice) = slice else {
            self.flows.insert(dpid, app.flows(dpid, view));
            self.groups.insert(dpid, app.groups(dpid, view));
            self.meters.insert(dpid, app.meters(dpid, view));
            return Ok(());
        };
        let wrong = |got: &Slice| SimError::WrongSlice(dpid, slice.clone(), got.clone());
        let flows = app.slice_flows(dpid, slice, view);
        if let Some(bad) = flows.iter().find(|f| f.slice != *slice) {
            return Err(wrong(&bad.slice));
        }
        let groups = app.slice_groups(dpid, slice, view);
        if let Some(bad) = groups.iter().find(|g| g.slice != *slice) {
            return Err(wrong(&bad.slice));
        }
        let meters = app.slice_meters(dpid, slice, view);
        if let Some(bad) = meters.iter().find(|m| m.slice != *slice) {
            return Err(wrong(&bad.slice));
        }
        let flows_now = self.flows.entry(dpid).or_default();
        replace_slice(flows_now, flows, slice, |f| &f.slice);
        let groups_now = self.groups.entry(dpid).or_default();
        replace_slice(groups_now, groups, slice, |g| &g.slice);
        let meters_now = self.meters.entry(dpid).or_default();
        replace_slice(meters_now, meters, slice, |m| &m.slice);
        Ok(())
    }

    /// Checks every switch's incrementally built flows, groups and meters against a full
    /// recomputation.
    pub(crate) fn check(&self, app: &impl App, view: &dyn View) -> Result<(), SimError> {
        for dpid in view.switches() {
            let (flows, groups, meters) = self.of(dpid);
            let (missing, extra) = difference(&groups, app.groups(dpid, view));
            if !missing.is_empty() || !extra.is_empty() {
                return Err(SimError::StaleGroups {
                    dpid,
                    missing,
                    extra,
                });
            }
            let (missing, extra) = difference(&meters, app.meters(dpid, view));
            if !missing.is_empty() || !extra.is_empty() {
                return Err(SimError::StaleMeters {
                    dpid,
                    missing,
                    extra,
                });
            }
            // Matches have no order: compare flows by their text.
            let built: BTreeSet<String> = flows.iter().map(|f| format!("{f:?}")).collect();
            let full = app.flows(dpid, view);
            let wanted: BTreeSet<String> = full.iter().map(|f| format!("{f:?}")).collect();
            if built != wanted {
                return Err(SimError::Stale {
                    dpid,
                    missing: full
                        .into_iter()
                        .filter(|f| !built.contains(&format!("{f:?}")))
                        .collect(),
                    extra: flows
                        .into_iter()
                        .filter(|f| !wanted.contains(&format!("{f:?}")))
                        .collect(),
                });
            }
        }
        Ok(())
    }
}

/// Replaces the entries of `slice` in `all` with `fresh`.
fn replace_slice<T>(all: &mut Vec<T>, fresh: Vec<T>, slice: &Slice, of: impl Fn(&T) -> &Slice) {
    all.retain(|e| of(e) != slice);
    all.extend(fresh);
}

/// What `wanted` has that `built` lacks, and what `built` has that `wanted` lacks (order does
/// not count).
fn difference<T: PartialEq + Clone>(built: &[T], wanted: Vec<T>) -> (Vec<T>, Vec<T>) {
    let extra = built
        .iter()
        .filter(|b| !wanted.contains(b))
        .cloned()
        .collect();
    let missing = wanted.into_iter().filter(|w| !built.contains(w)).collect();
    (missing, extra)
}
