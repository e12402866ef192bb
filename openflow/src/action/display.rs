//! Actions in `ovs-ofctl` syntax, as `ovs-ofctl -O OpenFlow13 ofp-print` shows them.
//!
//! Open vSwitch decodes the OpenFlow 1.3 actions it supports into its own action model and
//! prints that, so a few spellings differ from the wire names: `OFPAT_SET_NW_TTL` prints as
//! `mod_nw_ttl:N`, `OFPAT_DEC_NW_TTL` as `dec_ttl`. Actions Open vSwitch refuses to decode
//! (`copy_ttl_out`, `copy_ttl_in`, `push_pbb`, `pop_pbb`) print in the same style under their
//! spec names. Experimenter and unknown actions are kept raw, so where Open vSwitch would print
//! a decoded Nicira action (`resubmit(,2)`) this prints the raw form
//! `experimenter(id=0x2320,data=0x000efff802000000)`, which [`super::parse_ofctl_actions`]
//! reads back.

use core::fmt;

pub(crate) use crate::text::c_hex;

use super::Action;
use crate::types::PortNo;

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Output { port, max_len } => {
                if *port == PortNo::CONTROLLER {
                    write!(f, "CONTROLLER:{max_len}")
                } else if let Some(name) = port.reserved_name() {
                    f.write_str(name)
                } else {
                    write!(f, "output:{}", port.0)
                }
            }
            Action::CopyTtlOut => f.write_str("copy_ttl_out"),
            Action::CopyTtlIn => f.write_str("copy_ttl_in"),
            Action::SetMplsTtl(ttl) => write!(f, "set_mpls_ttl({ttl})"),
            Action::DecMplsTtl => f.write_str("dec_mpls_ttl"),
            Action::PushVlan(ethertype) => write!(f, "push_vlan:{}", c_hex(*ethertype)),
            Action::PopVlan => f.write_str("pop_vlan"),
            Action::PushMpls(ethertype) => write!(f, "push_mpls:0x{ethertype:04x}"),
            Action::PopMpls(ethertype) => write!(f, "pop_mpls:0x{ethertype:04x}"),
            Action::SetQueue(queue) => write!(f, "set_queue:{}", queue.0),
            Action::Group(group) => write!(f, "group:{}", group.0),
            Action::SetNwTtl(ttl) => write!(f, "mod_nw_ttl:{ttl}"),
            Action::DecNwTtl => f.write_str("dec_ttl"),
            Action::SetField(field) => {
                f.write_str("set_field:")?;
                field.fmt_ofctl_value(f)?;
                write!(f, "->{}", field.ofctl_name())
            }
            Action::PushPbb(ethertype) => write!(f, "push_pbb:{}", c_hex(*ethertype)),
            Action::PopPbb => f.write_str("pop_pbb"),
            Action::Experimenter { experimenter, data } => {
                write!(f, "experimenter(id={}", c_hex(*experimenter))?;
                if !data.is_empty() {
                    write!(f, ",data={}", HexBytes(data))?;
                }
                f.write_str(")")
            }
            Action::Unknown { action_type, body } => {
                write!(f, "unknown_action(type={action_type}")?;
                if !body.is_empty() {
                    write!(f, ",body={}", HexBytes(body))?;
                }
                f.write_str(")")
            }
        }
    }
}

/// An action list as `ovs-ofctl` prints it: comma-separated, `drop` when empty.
#[derive(Clone, Copy, Debug)]
pub struct ActionsText<'a>(pub &'a [Action]);

impl fmt::Display for ActionsText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("drop");
        }
        for (n, action) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            action.fmt(f)?;
        }
        Ok(())
    }
}

/// Raw bytes as `0x` and contiguous lower-case hex digits.
pub(crate) struct HexBytes<'a>(pub &'a [u8]);

impl fmt::Display for HexBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}
