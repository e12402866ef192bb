//! Turning FLOW_MODs into the messages the runtime sends to a switch.
//!
//! Without bundles: the deletes, a barrier, the rest, with a barrier after every chunk of
//! [`PlanConfig::chunk`] messages and at the end. The barrier after the deletes keeps them
//! first even on a switch that reorders; the last barrier's reply tells the runtime the plan
//! is done (errors for earlier messages arrive before it).
//!
//! With bundles (OpenFlow 1.3 ONF extension, which Open vSwitch supports): each chunk is one
//! atomic, ordered bundle — `OPEN_REQUEST`, one `ADD_MESSAGE` per FLOW_MOD, `COMMIT_REQUEST` —
//! followed by a barrier. A plan that fits in one chunk is applied all at once or not at all;
//! a longer plan is applied chunk by chunk, deletes first.
//!
//! A bundled message's xid must equal its ADD_MESSAGE's (Open vSwitch refuses others with
//! `OFPBFC_MSG_BAD_XID`), so bodies here carry xid 0 inside and [`with_xid`] sets both when
//! the runtime knows the xid it sends with.

use openflow::msg::{
    BundleAdd, BundleControl, BundleCtrlType, BundleFlags, Experimenter, FlowMod, FlowModCommand,
};
use openflow::{Body, Message, Xid};

/// How to package a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanConfig {
    /// Send inside ONF bundles (the switch supports them).
    pub bundles: bool,
    /// Most FLOW_MODs per bundle, or between two barriers.
    pub chunk: usize,
}

impl Default for PlanConfig {
    /// Bundles of at most 1000 FLOW_MODs.
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

/// The messages that apply `flow_mods` (already ordered deletes first); empty for no change.
pub fn plan(flow_mods: Vec<FlowMod>, config: PlanConfig, ids: &mut BundleIds) -> Vec<Body> {
    if flow_mods.is_empty() {
        return Vec::new();
    }
    let chunk = config.chunk.max(1);
    let mut out = Vec::new();
    if config.bundles {
        for part in flow_mods.chunks(chunk) {
            let id = ids.take();
            out.push(control(id, BundleCtrlType::OpenRequest));
            for fm in part {
                let inner = Message::new(Xid(0), Body::FlowMod(fm.clone()));
                let add = BundleAdd::new(id, BUNDLE_FLAGS, inner);
                out.push(Body::Experimenter(Experimenter::BundleAdd(add)));
            }
            out.push(control(id, BundleCtrlType::CommitRequest));
            out.push(Body::BarrierRequest);
        }
        return out;
    }
    let split = flow_mods
        .iter()
        .position(|fm| !is_delete(fm.command))
        .unwrap_or(flow_mods.len());
    let (deletes, rest) = flow_mods.split_at(split);
    for phase in [deletes, rest] {
        for part in phase.chunks(chunk) {
            out.extend(part.iter().cloned().map(Body::FlowMod));
            out.push(Body::BarrierRequest);
        }
    }
    out
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

/// The FLOW_MOD a plan body sends, if it sends one (plainly or inside a bundle).
pub fn flow_mod_of(body: &Body) -> Option<&FlowMod> {
    match body {
        Body::FlowMod(fm) => Some(fm),
        Body::Experimenter(Experimenter::BundleAdd(add)) => match &add.message.body {
            Body::FlowMod(fm) => Some(fm),
            _ => None,
        },
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
    use openflow::TableId;

    fn fm(command: FlowModCommand, priority: u16) -> FlowMod {
        FlowMod {
            command,
            priority,
            table_id: TableId(0),
            ..FlowMod::default()
        }
    }

    fn kind(body: &Body) -> String {
        match body {
            Body::FlowMod(f) => format!("{:?}{}", f.command, f.priority),
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
        assert!(plan(vec![], PlanConfig::default(), &mut ids).is_empty());
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
        let out = plan(mods, config, &mut BundleIds::new());
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
        let out = plan(mods, config, &mut ids);
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
        let again = plan(vec![fm(FlowModCommand::Add, 9)], config, &mut ids);
        assert_eq!(kind(&again[0]), "OpenRequest3");
    }

    #[test]
    fn with_xid_sets_inner_and_outer_xids_and_the_message_encodes() {
        let out = plan(
            vec![fm(FlowModCommand::Add, 5)],
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
