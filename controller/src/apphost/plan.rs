//! Turning [`Changes`] into the messages the runtime sends to a switch.
//!
//! A change set has phases that must reach the switch in order, because OpenFlow refuses a
//! flow that names a missing group or meter and deletes a flow whose group or meter is
//! deleted:
//!
//! 1. groups and meters added or modified (flows about to name them find them there);
//! 2. flow deletes;
//! 3. flow modifies and adds;
//! 4. groups and meters deleted (no flow of ours names them any more).
//!
//! Without bundles: each phase in chunks of [`PlanConfig::chunk`] messages, with a barrier
//! after every chunk — so each phase is done before the next starts even on a switch that
//! reorders, and the last barrier's reply tells the runtime the plan is done (errors for
//! earlier messages arrive before it).
//!
//! With bundles (OpenFlow 1.3 ONF extension, which Open vSwitch supports): the group and flow
//! messages go, in phase order, as atomic, ordered bundles — `OPEN_REQUEST`, one
//! `ADD_MESSAGE` per message, `COMMIT_REQUEST` — of at most a chunk each, each followed by a
//! barrier. A plan that fits in one chunk is applied all at once or not at all. METER_MODs
//! cannot go in a bundle (Open vSwitch 3.1 accepts only flow, group and port mods and
//! packet-outs, and refuses the rest with `OFPBFC_MSG_UNSUP`), so meters added or modified
//! are sent before the first bundle and meters deleted after the last, each chunk confirmed
//! by a barrier.
//!
//! A bundled message's xid must equal its ADD_MESSAGE's (Open vSwitch refuses others with
//! `OFPBFC_MSG_BAD_XID`), so bodies here carry xid 0 inside and [`with_xid`] sets both when
//! the runtime knows the xid it sends with.

use openflow::msg::{
    BundleAdd, BundleControl, BundleCtrlType, BundleFlags, Experimenter, FlowMod, FlowModCommand,
    GroupMod, MeterMod,
};
use openflow::{Body, Message, Xid};

/// What must be sent to a switch, by the phase it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Meters to add or modify: before any flow can name them.
    pub meters_first: Vec<MeterMod>,
    /// Groups to add or modify: before any flow can name them.
    pub groups_first: Vec<GroupMod>,
    /// FLOW_MODs, deletes first.
    pub flows: Vec<FlowMod>,
    /// Groups to delete: once no flow of ours names them.
    pub groups_last: Vec<GroupMod>,
    /// Meters to delete: once no flow of ours names them.
    pub meters_last: Vec<MeterMod>,
}

impl Changes {
    /// Only these FLOW_MODs (already ordered deletes first).
    pub fn flows(flows: Vec<FlowMod>) -> Changes {
        Changes {
            flows,
            ..Changes::default()
        }
    }

    /// True when nothing is to be sent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many messages of change there are.
    pub fn len(&self) -> usize {
        self.meters_first.len()
            + self.groups_first.len()
            + self.flows.len()
            + self.groups_last.len()
            + self.meters_last.len()
    }

    /// The phases in order, as message bodies: groups and meters added or modified, flow
    /// deletes, other flow changes, groups and meters deleted. Empty phases are left out.
    pub fn phases(&self) -> Vec<Vec<Body>> {
        let [mut first, deletes, rest, mut last] = self.group_and_flow_phases();
        first.splice(0..0, self.first_meters());
        last.extend(self.last_meters());
        non_empty([first, deletes, rest, last])
    }

    /// The group and flow messages (those a bundle takes) in phases: groups added or
    /// modified, flow deletes, other flow changes, groups deleted. Empty phases are left out.
    pub fn bundlable_phases(&self) -> Vec<Vec<Body>> {
        non_empty(self.group_and_flow_phases())
    }

    /// The group and flow messages in one list, in phase order: what goes in one ordered
    /// bundle.
    pub fn bundlable(&self) -> Vec<Body> {
        self.group_and_flow_phases().into_iter().flatten().collect()
    }

    /// The METER_MODs that add or modify meters.
    pub fn first_meters(&self) -> Vec<Body> {
        meter_bodies(&self.meters_first).collect()
    }

    /// The METER_MODs that delete meters.
    pub fn last_meters(&self) -> Vec<Body> {
        meter_bodies(&self.meters_last).collect()
    }

    fn group_and_flow_phases(&self) -> [Vec<Body>; 4] {
        let split = self
            .flows
            .iter()
            .position(|fm| !is_delete(fm.command))
            .unwrap_or(self.flows.len());
        let (deletes, rest) = self.flows.split_at(split);
        [
            group_bodies(&self.groups_first).collect(),
            flow_bodies(deletes).collect(),
            flow_bodies(rest).collect(),
            group_bodies(&self.groups_last).collect(),
        ]
    }
}

fn non_empty<const N: usize>(phases: [Vec<Body>; N]) -> Vec<Vec<Body>> {
    phases.into_iter().filter(|p| !p.is_empty()).collect()
}

fn flow_bodies(mods: &[FlowMod]) -> impl Iterator<Item = Body> + '_ {
    mods.iter().cloned().map(Body::FlowMod)
}

fn group_bodies(mods: &[GroupMod]) -> impl Iterator<Item = Body> + '_ {
    mods.iter().cloned().map(Body::GroupMod)
}

fn meter_bodies(mods: &[MeterMod]) -> impl Iterator<Item = Body> + '_ {
    mods.iter().cloned().map(Body::MeterMod)
}

/// How to package a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanConfig {
    /// Send inside ONF bundles (the switch supports them).
    pub bundles: bool,
    /// Most messages per bundle, or between two barriers.
    pub chunk: usize,
}

impl Default for PlanConfig {
    /// Bundles of at most 1000 messages.
    fn default() -> PlanConfig {
        PlanConfig {
            bundles: true,
            chunk: 1000,
        }
    }
}

/// Bundle ids for one switch connection, never reused while it lasts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BundleIds {
    next: u32,
}

impl BundleIds {
    /// Ids starting from 1.
    pub fn new() -> BundleIds {
        BundleIds { next: 1 }
    }

    /// The next id.
    fn take(&mut self) -> u32 {
        let id = self.next.max(1);
        self.next = id.wrapping_add(1);
        id
    }
}

/// The flags of every bundle we open: all or nothing, in order.
pub const BUNDLE_FLAGS: BundleFlags = BundleFlags(BundleFlags::ATOMIC.0 | BundleFlags::ORDERED.0);

/// The messages that apply `changes`, phase by phase; empty for no change.
pub fn plan(changes: &Changes, config: PlanConfig, ids: &mut BundleIds) -> Vec<Body> {
    let chunk = config.chunk.max(1);
    let mut out = Vec::new();
    if !config.bundles {
        for phase in changes.phases() {
            confirmed(&mut out, phase, chunk);
        }
        return out;
    }
    confirmed(&mut out, changes.first_meters(), chunk);
    for part in changes.bundlable().chunks(chunk) {
        let id = ids.take();
        out.push(control(id, BundleCtrlType::OpenRequest));
        for body in part {
            let inner = Message::new(Xid(0), body.clone());
            let add = BundleAdd::new(id, BUNDLE_FLAGS, inner);
            out.push(Body::Experimenter(Experimenter::BundleAdd(add)));
        }
        out.push(control(id, BundleCtrlType::CommitRequest));
        out.push(Body::BarrierRequest);
    }
    confirmed(&mut out, changes.last_meters(), chunk);
    out
}

/// Appends `bodies` in chunks, each followed by a barrier.
fn confirmed(out: &mut Vec<Body>, bodies: Vec<Body>, chunk: usize) {
    for part in bodies.chunks(chunk) {
        out.extend(part.iter().cloned());
        out.push(Body::BarrierRequest);
    }
}

/// The message to send for a plan body with `xid`; a bundled message gets the same xid.
pub fn with_xid(body: Body, xid: Xid) -> Message {
    match body {
        Body::Experimenter(Experimenter::BundleAdd(mut add)) => {
            add.message.xid = xid;
            Message::new(xid, Body::Experimenter(Experimenter::BundleAdd(add)))
        }
        body => Message::new(xid, body),
    }
}

/// The message a plan body sends: itself, or the one inside a bundle add.
pub fn sent(body: &Body) -> &Body {
    match body {
        Body::Experimenter(Experimenter::BundleAdd(add)) => &add.message.body,
        other => other,
    }
}

/// The FLOW_MOD a plan body sends, if it sends one (plainly or inside a bundle).
pub fn flow_mod_of(body: &Body) -> Option<&FlowMod> {
    match sent(body) {
        Body::FlowMod(fm) => Some(fm),
        _ => None,
    }
}

/// A bundle control request.
fn control(id: u32, ctrl_type: BundleCtrlType) -> Body {
    Body::Experimenter(Experimenter::BundleControl(BundleControl::new(
        id,
        ctrl_type,
        BUNDLE_FLAGS,
    )))
}

/// True for the delete commands.
fn is_delete(command: FlowModCommand) -> bool {
    matches!(
        command,
        FlowModCommand::Delete | FlowModCommand::DeleteStrict
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::msg::{GroupModCommand, GroupType, MeterFlags, MeterModCommand};
    use openflow::{GroupId, MeterId, TableId};

    fn fm(command: FlowModCommand, priority: u16) -> FlowMod {
        FlowMod {
            command,
            priority,
            table_id: TableId(0),
            ..FlowMod::default()
        }
    }

    fn gm(command: GroupModCommand, id: u32) -> GroupMod {
        GroupMod {
            command,
            group_type: GroupType::All,
            group_id: GroupId(id),
            buckets: Vec::new(),
        }
    }

    fn mm(command: MeterModCommand, id: u32) -> MeterMod {
        MeterMod {
            command,
            flags: MeterFlags::KBPS,
            meter_id: MeterId(id),
            bands: Vec::new(),
        }
    }

    /// A change set with something in every phase.
    fn everything() -> Changes {
        Changes {
            meters_first: vec![mm(MeterModCommand::Add, 1)],
            groups_first: vec![gm(GroupModCommand::Add, 1), gm(GroupModCommand::Modify, 2)],
            flows: vec![
                fm(FlowModCommand::DeleteStrict, 1),
                fm(FlowModCommand::Add, 2),
            ],
            groups_last: vec![gm(GroupModCommand::Delete, 3)],
            meters_last: vec![mm(MeterModCommand::Delete, 2)],
        }
    }

    fn kind(body: &Body) -> String {
        match body {
            Body::FlowMod(f) => format!("{:?}{}", f.command, f.priority),
            Body::GroupMod(g) => format!("group{:?}{}", g.command, g.group_id.0),
            Body::MeterMod(m) => format!("meter{:?}{}", m.command, m.meter_id.0),
            Body::BarrierRequest => "barrier".into(),
            Body::Experimenter(Experimenter::BundleControl(c)) => {
                format!("{:?}{}", c.ctrl_type, c.bundle_id)
            }
            Body::Experimenter(Experimenter::BundleAdd(a)) => {
                format!("add{}:{}", a.bundle_id, kind(&a.message.body))
            }
            other => format!("{other:?}"),
        }
    }

    fn kinds(bodies: &[Body]) -> Vec<String> {
        bodies.iter().map(kind).collect()
    }

    #[test]
    fn nothing_to_do_sends_nothing() {
        let mut ids = BundleIds::new();
        assert!(plan(&Changes::default(), PlanConfig::default(), &mut ids).is_empty());
    }

    #[test]
    fn plain_plans_put_a_barrier_after_the_deletes_and_each_chunk() {
        let mods = vec![
            fm(FlowModCommand::DeleteStrict, 1),
            fm(FlowModCommand::Add, 2),
            fm(FlowModCommand::ModifyStrict, 3),
            fm(FlowModCommand::Add, 4),
        ];
        let config = PlanConfig {
            bundles: false,
            chunk: 2,
        };
        let out = plan(&Changes::flows(mods), config, &mut BundleIds::new());
        assert_eq!(
            kinds(&out),
            [
                "DeleteStrict1",
                "barrier",
                "Add2",
                "ModifyStrict3",
                "barrier",
                "Add4",
                "barrier"
            ]
        );
    }

    #[test]
    fn bundled_plans_are_atomic_ordered_chunks() {
        let mods = vec![
            fm(FlowModCommand::DeleteStrict, 1),
            fm(FlowModCommand::Add, 2),
            fm(FlowModCommand::Add, 3),
        ];
        let config = PlanConfig {
            bundles: true,
            chunk: 2,
        };
        let mut ids = BundleIds::new();
        let out = plan(&Changes::flows(mods), config, &mut ids);
        assert_eq!(
            kinds(&out),
            [
                "OpenRequest1",
                "add1:DeleteStrict1",
                "add1:Add2",
                "CommitRequest1",
                "barrier",
                "OpenRequest2",
                "add2:Add3",
                "CommitRequest2",
                "barrier"
            ]
        );
        for body in &out {
            if let Body::Experimenter(Experimenter::BundleControl(c)) = body {
                assert_eq!(c.flags, BUNDLE_FLAGS);
            }
        }
        // The next plan on this connection uses fresh ids.
        let again = plan(
            &Changes::flows(vec![fm(FlowModCommand::Add, 9)]),
            config,
            &mut ids,
        );
        assert_eq!(kind(&again[0]), "OpenRequest3");
    }

    #[test]
    fn plain_plans_put_groups_and_meters_around_the_flows_with_barriers() {
        let config = PlanConfig {
            bundles: false,
            chunk: 2,
        };
        let changes = everything();
        assert_eq!(changes.len(), 7);
        let out = plan(&changes, config, &mut BundleIds::new());
        assert_eq!(
            kinds(&out),
            [
                "meterAdd1",
                "groupAdd1",
                "barrier",
                "groupModify2",
                "barrier",
                "DeleteStrict1",
                "barrier",
                "Add2",
                "barrier",
                "groupDelete3",
                "meterDelete2",
                "barrier"
            ]
        );
    }

    #[test]
    fn bundled_plans_keep_meters_outside_before_and_after() {
        let config = PlanConfig {
            bundles: true,
            chunk: 10,
        };
        let out = plan(&everything(), config, &mut BundleIds::new());
        assert_eq!(
            kinds(&out),
            [
                "meterAdd1",
                "barrier",
                "OpenRequest1",
                "add1:groupAdd1",
                "add1:groupModify2",
                "add1:DeleteStrict1",
                "add1:Add2",
                "add1:groupDelete3",
                "CommitRequest1",
                "barrier",
                "meterDelete2",
                "barrier"
            ]
        );
        for body in &out {
            if let Body::Experimenter(Experimenter::BundleAdd(a)) = body {
                assert!(openflow::msg::bundlable(a.message.body.msg_type()));
            }
        }
    }

    #[test]
    fn with_xid_sets_inner_and_outer_xids_and_the_message_encodes() {
        let out = plan(
            &Changes::flows(vec![fm(FlowModCommand::Add, 5)]),
            PlanConfig::default(),
            &mut BundleIds::new(),
        );
        let msg = with_xid(out[1].clone(), Xid(42));
        let bytes = msg.encode().expect("encodes");
        let back = Message::decode(&bytes).expect("decodes");
        assert_eq!(back.xid, Xid(42));
        match back.body {
            Body::Experimenter(Experimenter::BundleAdd(add)) => {
                assert_eq!(add.message.xid, Xid(42))
            }
            other => panic!("not a bundle add: {other:?}"),
        }
        assert_eq!(flow_mod_of(&out[1]).map(|f| f.priority), Some(5));
        assert_eq!(flow_mod_of(&out[0]), None);
    }
}
