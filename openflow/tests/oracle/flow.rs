//! Flow mods (every match, action, instruction list, command and flag, and flows read from
//! `ovs-ofctl` text) and flow-removed messages of every reason.

use openflow::msg::*;
use openflow::oxm::{Match, OxmField as F};
use openflow::{Action, Body, BufferId, Cookie, GroupId, Instruction, PortNo, TableId};

use super::Case;
use super::actions::{actions, instructions};
use super::build::out;
use super::matches::matches;

/// A flow mod adding `match_` with `instructions`.
pub fn flow_mod(match_: Match, instructions: Vec<Instruction>) -> FlowMod {
    FlowMod {
        match_,
        instructions,
        ..FlowMod::default()
    }
}

/// Flow mods: every match (with its set-fields applied), every action, every instruction
/// list, every command and flag, and flows read from `ovs-ofctl` text.
pub fn flow_mods() -> Vec<Case> {
    let mut cases = Vec::new();
    for (n, m) in matches().into_iter().enumerate() {
        let mut actions: Vec<Action> = m.set_fields.iter().cloned().map(Action::SetField).collect();
        actions.push(out(1));
        let mut fm = flow_mod(m.match_.clone(), vec![Instruction::ApplyActions(actions)]);
        fm.priority = [0x8000, 100, 0, 65535][n % 4];
        fm.table_id = TableId((n % 3) as u8);
        cases.push(m.expect(Case::body(
            format!("flow_mod match {}", m.name),
            Body::FlowMod(fm),
        )));
        // The same fields as OVS orders them.
        if let Ok(ordered) = Match::from_ofctl_fields(&m.match_.fields)
            && ordered != m.match_
        {
            let fm = flow_mod(ordered, vec![]);
            cases.push(m.expect(Case::body(
                format!("flow_mod match {} (ovs order)", m.name),
                Body::FlowMod(fm),
            )));
        }
    }
    for a in actions() {
        let fm = flow_mod(a.match_, vec![Instruction::ApplyActions(a.actions)]);
        cases.push((a.expect)(Case::body(
            format!("flow_mod actions {}", a.name),
            Body::FlowMod(fm),
        )));
    }
    for (name, ins) in instructions() {
        let fm = flow_mod(Match::new().with(F::InPort(PortNo(1))), ins);
        cases.push(Case::body(
            format!("flow_mod instructions {name}"),
            Body::FlowMod(fm),
        ));
    }

    // Commands, with the fields each one uses.
    let tcp = Match::new()
        .with(F::EthType(0x0800))
        .with(F::IpProto(6))
        .with(F::TcpDst(80, None));
    for &command in FlowModCommand::ALL {
        let mut fm = flow_mod(tcp.clone(), vec![Instruction::ApplyActions(vec![out(2)])]);
        fm.command = command;
        fm.priority = 1000;
        fm.cookie = Cookie(0x1234);
        cases.push(Case::body(
            format!("flow_mod {command}"),
            Body::FlowMod(fm.clone()),
        ));
        fm.cookie_mask = 0xffff;
        fm.table_id = TableId(3);
        cases.push(Case::body(
            format!("flow_mod {command} cookie mask"),
            Body::FlowMod(fm.clone()),
        ));
        if matches!(
            command,
            FlowModCommand::Delete | FlowModCommand::DeleteStrict
        ) {
            fm.table_id = TableId::ALL;
            fm.out_port = PortNo(5);
            fm.out_group = GroupId(9);
            fm.instructions = vec![];
            cases.push(Case::body(
                format!("flow_mod {command} out_port out_group"),
                Body::FlowMod(fm),
            ));
        }
    }
    // Flags, timeouts, cookies, buffer.
    for (name, flags) in FlowModFlags::KNOWN.iter().map(|&(f, n)| (n, f)).chain([(
        "all flags",
        FlowModFlags::KNOWN
            .iter()
            .fold(FlowModFlags::EMPTY, |a, (f, _)| a | *f),
    )]) {
        let mut fm = flow_mod(Match::new(), vec![]);
        fm.flags = flags;
        cases.push(Case::body(
            format!("flow_mod flag {name}"),
            Body::FlowMod(fm),
        ));
    }
    let mut fm = flow_mod(
        Match::new().with(F::InPort(PortNo(3))),
        vec![Instruction::ApplyActions(vec![out(PortNo::NORMAL.0)])],
    );
    fm.cookie = Cookie(0xfedc_ba98_7654_3210);
    fm.idle_timeout = 30;
    fm.hard_timeout = 300;
    fm.buffer_id = BufferId(0x100);
    fm.table_id = TableId(254);
    fm.priority = 1;
    cases.push(Case::body(
        "flow_mod timeouts cookie buffer",
        Body::FlowMod(fm.clone()),
    ));
    fm.cookie = Cookie(u64::MAX);
    cases.push(Case::body("flow_mod cookie all ones", Body::FlowMod(fm)));

    // Flows as ovs-ofctl reads them.
    for (n, (text, command)) in [
        ("priority=10,tcp,nw_src=10.0.0.0/8,tp_dst=80,actions=output:1", FlowModCommand::Add),
        ("table=1,arp,arp_tpa=10.0.0.1,actions=NORMAL", FlowModCommand::Add),
        (
            "udp6,ipv6_dst=2001:db8::/32,udp_dst=53,actions=set_field:2001:db8::1->ipv6_dst,output:3",
            FlowModCommand::Add,
        ),
        (
            "in_port=1,dl_vlan=10,actions=strip_vlan,goto_table:2",
            FlowModCommand::Add,
        ),
        (
            "tun_id=0x10,reg3=0x5/0xff,actions=meter:3,write_metadata:0x1/0x1,goto_table:4",
            FlowModCommand::Add,
        ),
        ("cookie=0x5/0xff,ip,actions=drop", FlowModCommand::Modify),
        ("priority=5,dl_dst=ff:ff:ff:ff:ff:ff", FlowModCommand::DeleteStrict),
        ("table=2,out_port=3", FlowModCommand::Delete),
    ]
    .into_iter()
    .enumerate()
    {
        match FlowMod::from_ofctl(text, command) {
            Ok(fm) => cases.push(Case::body(format!("flow_mod text {n}"), Body::FlowMod(fm))),
            Err(e) => panic!("FlowMod::from_ofctl({text:?}): {e}"),
        }
    }
    // Every flow of the text cross-check, as bytes.
    for text in super::flow_text::FLOWS {
        if let Ok(fm) = FlowMod::from_ofctl(text, FlowModCommand::Add) {
            cases.push(Case::body(
                format!("flow_mod text {text}"),
                Body::FlowMod(fm),
            ));
        }
    }
    cases
}

/// Flow-removed messages of every reason, with matches and durations.
pub fn flow_removed() -> Vec<Case> {
    let mut cases = Vec::new();
    let ms = matches();
    for (n, &reason) in FlowRemovedReason::ALL.iter().enumerate() {
        let fr = FlowRemoved {
            cookie: Cookie(n as u64 * 0x11),
            priority: [0x8000, 10, 0, 65535, 1, 2][n % 6],
            reason,
            table_id: TableId(n as u8),
            duration_sec: 100 + n as u32,
            duration_nsec: [0, 5_000_000, 123_456_789, 1, 999_999_999, 500_000_000][n % 6],
            idle_timeout: [0, 10, 0, 60, 5, 1][n % 6],
            hard_timeout: [0, 0, 300, 0, 5, 1][n % 6],
            packet_count: n as u64 * 1000,
            byte_count: n as u64 * 64_000,
            match_: ms[(n * 5) % ms.len()].match_.clone(),
        };
        let m = &ms[(n * 5) % ms.len()];
        cases.push(m.expect(Case::body(
            format!("flow_removed {reason}"),
            Body::FlowRemoved(fr),
        )));
    }
    cases
}
