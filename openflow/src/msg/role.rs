//! `OFPT_ROLE_REQUEST` and `OFPT_ROLE_REPLY`: a controller claims a role (master, slave,
//! equal) on a switch, fenced by a generation id so that a stale master cannot win back.

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::errcode::{ErrorCode, RoleRequestFailedCode};
use crate::error::{Ctx, DecodeError};
use crate::wire::{PResult, Src, Wire, fail, in_ctx, skip, u32_, u64_};

open_enum! {
    /// `ofp_controller_role`. `ovs-ofctl` (3.x) prints master and slave as primary and
    /// secondary.
    pub enum ControllerRole(u32) {
        /// Don't change the current role (a query).
        NoChange = 0 => "nochange",
        /// Full access; several controllers may be equal at once.
        Equal = 1 => "equal",
        /// Full access; at most one master.
        Master = 2 => "primary",
        /// Read-only access.
        Slave = 3 => "secondary",
    }
}

/// The generation id that means "none": OVS omits it from its text.
pub const NO_GENERATION_ID: u64 = u64::MAX;

/// The body of a role request or reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Role {
    /// The role asked for, or held.
    pub role: ControllerRole,
    /// Master election generation id; only compared for master and slave requests.
    pub generation_id: u64,
}

impl Role {
    /// A role request or reply.
    pub fn new(role: ControllerRole, generation_id: u64) -> Role {
        Role {
            role,
            generation_id,
        }
    }

    /// A request that only asks for the current role.
    pub fn query() -> Role {
        Role::new(ControllerRole::NoChange, NO_GENERATION_ID)
    }
}

impl Wire for Role {
    fn wire_len(&self) -> usize {
        16
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.role.raw());
        out.put_u32(0);
        out.put_u64(self.generation_id);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Message, parse_role(i))
    }
}

fn parse_role(i: &[u8]) -> PResult<'_, Role> {
    let (i, role) = u32_(i)?;
    let (i, _) = skip(i, 4)?;
    let (i, generation_id) = u64_(i)?;
    let role = ControllerRole::from_raw(role);
    if let ControllerRole::Unknown(v) = role {
        return fail(DecodeError::BadValue {
            field: "controller role",
            value: v as u64,
            code: ErrorCode::RoleRequestFailed(RoleRequestFailedCode::BadRole),
        });
    }
    Ok((
        i,
        Role {
            role,
            generation_id,
        },
    ))
}

impl fmt::Display for Role {
    /// ` role=primary generation_id=N`. The generation id is left out when it is "none" or
    /// the role is `nochange` (as OVS does for requests, the common case for `nochange`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_as(f, false)
    }
}

impl Role {
    /// Writes the text of a request (`reply == false`) or a reply: OVS leaves a `nochange`
    /// request's generation id out, but prints a reply's whenever it is set.
    pub(crate) fn fmt_as(&self, f: &mut fmt::Formatter<'_>, reply: bool) -> fmt::Result {
        write!(f, " role={}", self.role)?;
        if (reply || self.role != ControllerRole::NoChange)
            && self.generation_id != NO_GENERATION_ID
        {
            write!(f, " generation_id={}", self.generation_id)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::BadRequestCode;
    use crate::message::{Body, Message};
    use crate::types::Xid;
    use bytes::Bytes;

    /// ROLE_REPLY, xid 1: slave, generation 0x12345678abcdef0a.
    const REPLY: [u8; 24] = [
        0x04, 0x19, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, //
        0x12, 0x34, 0x56, 0x78, 0xab, 0xcd, 0xef, 0x0a,
    ];

    /// ROLE_REQUEST, xid 1: equal, no generation id.
    const REQUEST: [u8; 24] = [
        0x04, 0x18, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, //
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];

    fn decode(b: &[u8]) -> Result<Message, DecodeError> {
        Message::decode(&Bytes::copy_from_slice(b))
    }

    #[test]
    fn deconstruct() {
        let m = decode(&REPLY).unwrap();
        assert_eq!(
            m.body,
            Body::RoleReply(Role::new(ControllerRole::Slave, 0x1234_5678_abcd_ef0a))
        );
        let m = decode(&REQUEST).unwrap();
        assert_eq!(
            m.body,
            Body::RoleRequest(Role::new(ControllerRole::Equal, NO_GENERATION_ID))
        );
    }

    #[test]
    fn construct() {
        let m = Message::new(
            Xid(1),
            Body::RoleReply(Role::new(ControllerRole::Slave, 0x1234_5678_abcd_ef0a)),
        );
        assert_eq!(&m.encode().unwrap()[..], &REPLY);
        let r = Role::new(ControllerRole::Equal, NO_GENERATION_ID);
        assert_eq!(&r.to_bytes()[..], &REQUEST[8..]);
    }

    #[test]
    fn round_trip() {
        for b in [&REPLY, &REQUEST] {
            assert_eq!(&decode(b).unwrap().encode().unwrap()[..], b);
        }
        let q = Role::query();
        assert_eq!(Role::from_bytes(&q.to_bytes()).unwrap(), q);
    }

    #[test]
    fn malformed() {
        let mut bad_role = REQUEST;
        bad_role[11] = 4;
        assert_eq!(
            decode(&bad_role).unwrap_err().ofp_error(),
            ErrorCode::RoleRequestFailed(RoleRequestFailedCode::BadRole)
        );
        let mut short = REQUEST[..20].to_vec();
        short[3] = 20;
        assert_eq!(
            decode(&short).unwrap_err().ofp_error(),
            ErrorCode::BadRequest(BadRequestCode::BadLen)
        );
    }

    /// Expected texts are `ovs-ofctl ofp-print` output for the same bytes.
    #[test]
    fn display_matches_ovs() {
        assert_eq!(
            decode(&REPLY).unwrap().to_string(),
            "OFPT_ROLE_REPLY (OF1.3) (xid=0x1): role=secondary \
             generation_id=1311768467750121226"
        );
        assert_eq!(
            decode(&REQUEST).unwrap().to_string(),
            "OFPT_ROLE_REQUEST (OF1.3) (xid=0x1): role=equal"
        );
        // 04180018000000010000000200000000 0000000000000005
        let m = Message::new(
            Xid(1),
            Body::RoleRequest(Role::new(ControllerRole::Master, 5)),
        );
        assert_eq!(
            m.to_string(),
            "OFPT_ROLE_REQUEST (OF1.3) (xid=0x1): role=primary generation_id=5"
        );
        // 04180018000000010000000000000000 0000000000000005
        let m = Message::new(
            Xid(1),
            Body::RoleRequest(Role::new(ControllerRole::NoChange, 5)),
        );
        assert_eq!(
            m.to_string(),
            "OFPT_ROLE_REQUEST (OF1.3) (xid=0x1): role=nochange"
        );
        assert_eq!(
            ControllerRole::from_name("secondary"),
            Some(ControllerRole::Slave)
        );
    }
}
