//! What the app host does when a switch refuses a FLOW_MOD, GROUP_MOD or METER_MOD it
//! produced: hold the entry back (not retried until its app wants something different, or
//! the switch reconnects) and report it.

use navarch_app::Slice;
use openflow::Body;
use openflow::DatapathId;
use openflow::msg::{
    ErrorMsg, FlowMod, FlowModCommand, GroupMod, GroupModCommand, MeterMod, MeterModCommand,
};

use super::super::canon::FlowEntry;
use super::super::group::GroupEntry;
use super::super::ids::OwnedId;
use super::super::meter::MeterEntry;
use super::super::plan::sent;
use super::super::switch::Owned;
use super::{AppHost, InstallError, cookie_owner, id_owner};

impl AppHost {
    /// Handles the switch's error for a message the host produced (plainly or in a bundle):
    /// a FLOW_MOD, GROUP_MOD or METER_MOD is handled as the functions below say; `None` for
    /// other messages.
    pub fn on_refused(
        &mut self,
        dpid: DatapathId,
        body: &Body,
        error: &ErrorMsg,
    ) -> Option<InstallError> {
        match sent(body) {
            Body::FlowMod(fm) => Some(self.on_flow_mod_error(dpid, fm, error)),
            Body::GroupMod(gm) => Some(self.on_group_mod_error(dpid, gm, error)),
            Body::MeterMod(mm) => Some(self.on_meter_mod_error(dpid, mm, error)),
            _ => None,
        }
    }

    /// Handles the switch's error for a FLOW_MOD the host produced: the flow is marked failed
    /// (not retried until its app wants something different, or a group or meter it names is
    /// sent again, or the switch reconnects) and the error is reported and returned.
    pub fn on_flow_mod_error(
        &mut self,
        dpid: DatapathId,
        flow_mod: &FlowMod,
        error: &ErrorMsg,
    ) -> InstallError {
        let entry = FlowEntry {
            cookie: flow_mod.cookie,
            table: flow_mod.table_id,
            priority: flow_mod.priority,
            match_: flow_mod.match_.clone(),
            instructions: flow_mod.instructions.clone(),
            idle_timeout: flow_mod.idle_timeout,
            hard_timeout: flow_mod.hard_timeout,
            flags: flow_mod.flags,
        };
        let owner = cookie_owner(flow_mod.cookie);
        let app = self.index_of(owner);
        if let Some(state) = self.switches.get_mut(&dpid) {
            let key = entry.key();
            let had = state.installed.flows.remove(&key);
            if matches!(
                flow_mod.command,
                FlowModCommand::Add | FlowModCommand::Modify | FlowModCommand::ModifyStrict
            ) && let Some(app) = had.as_ref().map(|h| h.app).or(app)
            {
                let slice = had.map_or(Slice::Base, |h| h.slice);
                state.failed.insert(key, Owned { entry, app, slice });
            }
        }
        let failure = InstallError::Rejected {
            dpid,
            app: self.app_name(owner),
            command: flow_mod.command,
            table: flow_mod.table_id,
            priority: flow_mod.priority,
            code: error.code,
        };
        self.report(failure.clone());
        failure
    }

    /// Handles the switch's error for a GROUP_MOD the host produced: the group is held back
    /// (not retried until its app wants something different, or the switch reconnects) and
    /// the error is reported and returned. A refused modify leaves the switch's group as it
    /// was, so the host still counts it present.
    pub fn on_group_mod_error(
        &mut self,
        dpid: DatapathId,
        group_mod: &GroupMod,
        error: &ErrorMsg,
    ) -> InstallError {
        let id = group_mod.group_id;
        if let Some(state) = self.switches.get_mut(&dpid) {
            if group_mod.command == GroupModCommand::Add {
                state.installed.groups.remove(&id);
            }
            if group_mod.command != GroupModCommand::Delete {
                state
                    .failed_groups
                    .insert(id, GroupEntry::from_mod(group_mod));
            }
        }
        let failure = InstallError::GroupRejected {
            dpid,
            app: self.app_name(id_owner(id.0)),
            command: group_mod.command,
            id: OwnedId::decode(id.0).map_or(id.0, |o| u32::from(o.local)),
            code: error.code,
        };
        self.report(failure.clone());
        failure
    }

    /// Handles the switch's error for a METER_MOD the host produced, as
    /// [`on_group_mod_error`](AppHost::on_group_mod_error) does for groups.
    pub fn on_meter_mod_error(
        &mut self,
        dpid: DatapathId,
        meter_mod: &MeterMod,
        error: &ErrorMsg,
    ) -> InstallError {
        let id = meter_mod.meter_id;
        if let Some(state) = self.switches.get_mut(&dpid) {
            if meter_mod.command == MeterModCommand::Add {
                state.installed.meters.remove(&id);
            }
            if meter_mod.command != MeterModCommand::Delete {
                state
                    .failed_meters
                    .insert(id, MeterEntry::from_mod(meter_mod));
            }
        }
        let failure = InstallError::MeterRejected {
            dpid,
            app: self.app_name(id_owner(id.0)),
            command: meter_mod.command,
            id: OwnedId::decode(id.0).map_or(id.0, |o| u32::from(o.local)),
            code: error.code,
        };
        self.report(failure.clone());
        failure
    }
}
