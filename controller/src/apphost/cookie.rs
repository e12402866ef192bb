//! The flow cookie layout: who owns a flow, read from the switch's flow table alone.
//!
//! ```text
//!  63            48 47      40 39      32 31                               0
//! +----------------+----------+----------+----------------------------------+
//! | magic 0x6e76   |  owner   | reserved |            generation            |
//! |   ("nv")       |          |   (0)    |                                  |
//! +----------------+----------+----------+----------------------------------+
//! ```
//!
//! * **magic** marks a cookie navarch wrote. A flow whose cookie lacks it (cookie 0 from a
//!   plain `ovs-ofctl add-flow`, another controller's flows) is foreign: reconciliation never
//!   modifies or deletes it.
//! * **owner** says who inside navarch wants the flow: [`Owner::Core`] (0x00, the
//!   controller's own flows: LLDP to the controller, table misses), [`Owner::Operator`] (0x01,
//!   raw flows added through the API; kept, never reconciled away) or [`Owner::App`] (0x10 +
//!   the app's registration index, so up to 240 apps).
//! * **reserved** is zero; a navarch cookie with other bits there is treated as foreign, so a
//!   future layout cannot be mistaken for this one.
//! * **generation** is the owner's generation when it wrote the flow (the app host bumps it
//!   when an app's configuration changes). A flow whose generation differs from the owner's
//!   current one is rewritten so the table always says which generation installed a flow.
//!
//! [`FlowCookie::OWNER_MASK`] selects every flow of one owner regardless
//! of generation (for flow-stats requests and cookie-filtered deletes).

use openflow::Cookie;

/// The magic in bits 63..48 of every cookie navarch writes.
pub const MAGIC: u16 = 0x6e76;

/// Bits 63..48 of a cookie.
const MAGIC_SHIFT: u32 = 48;
/// Bits 47..40 of a cookie.
const OWNER_SHIFT: u32 = 40;
/// Bits 39..32 of a cookie.
const RESERVED_MASK: u64 = 0x0000_00ff_0000_0000;
/// The first owner byte given to apps.
const FIRST_APP: u8 = 0x10;

/// Who inside navarch owns a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// The controller core (LLDP interception, table misses).
    Core,
    /// The operator, through raw flows added with the API; reconciliation keeps them.
    Operator,
    /// The app registered at this index in the app host.
    App(u8),
}

impl Owner {
    /// The most apps a host can register.
    pub const MAX_APPS: usize = (u8::MAX - FIRST_APP) as usize + 1;

    /// The owner byte of the cookie.
    pub fn byte(self) -> u8 {
        match self {
            Owner::Core => 0x00,
            Owner::Operator => 0x01,
            Owner::App(index) => FIRST_APP + index,
        }
    }

    /// The owner a cookie byte names (`None`: a byte no owner uses).
    pub fn from_byte(byte: u8) -> Option<Owner> {
        match byte {
            0x00 => Some(Owner::Core),
            0x01 => Some(Owner::Operator),
            b if b >= FIRST_APP => Some(Owner::App(b - FIRST_APP)),
            _ => None,
        }
    }

    /// The owner of the app at registration `index`, if the layout has room for it.
    pub fn app(index: usize) -> Option<Owner> {
        u8::try_from(index)
            .ok()
            .filter(|i| usize::from(*i) < Owner::MAX_APPS)
            .map(Owner::App)
    }
}

/// A decoded navarch cookie: owner and generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlowCookie {
    /// Who owns the flow.
    pub owner: Owner,
    /// The owner's generation when it wrote the flow.
    pub generation: u32,
}

impl FlowCookie {
    /// The mask that selects magic and owner: every flow of one owner, any generation.
    pub const OWNER_MASK: u64 = 0xffff_ff00_0000_0000;
    /// The mask that selects magic, owner, reserved bits and generation: the whole cookie.
    pub const FULL_MASK: u64 = u64::MAX;

    /// A cookie for `owner` at `generation`.
    pub fn new(owner: Owner, generation: u32) -> FlowCookie {
        FlowCookie { owner, generation }
    }

    /// The cookie as the switch stores it.
    pub fn encode(self) -> Cookie {
        Cookie(
            (u64::from(MAGIC) << MAGIC_SHIFT)
                | (u64::from(self.owner.byte()) << OWNER_SHIFT)
                | u64::from(self.generation),
        )
    }

    /// The owner and generation of a cookie, or `None` when navarch did not write it.
    pub fn decode(cookie: Cookie) -> Option<FlowCookie> {
        let raw = cookie.0;
        if (raw >> MAGIC_SHIFT) as u16 != MAGIC || raw & RESERVED_MASK != 0 {
            return None;
        }
        let owner = Owner::from_byte((raw >> OWNER_SHIFT) as u8)?;
        Some(FlowCookie {
            owner,
            generation: raw as u32,
        })
    }

    /// The `(cookie, cookie_mask)` pair that selects every flow of `owner`.
    pub fn select_owner(owner: Owner) -> (Cookie, u64) {
        (FlowCookie::new(owner, 0).encode(), FlowCookie::OWNER_MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_magic_owner_reserved_generation() {
        let c = FlowCookie::new(Owner::App(2), 0xdead_beef).encode();
        assert_eq!(c.0, 0x6e76_1200_dead_beef);
        assert_eq!(
            FlowCookie::new(Owner::Core, 1).encode().0,
            0x6e76_0000_0000_0001
        );
        assert_eq!(
            FlowCookie::new(Owner::Operator, 0).encode().0,
            0x6e76_0100_0000_0000
        );
    }

    #[test]
    fn decode_inverts_encode_for_every_owner() {
        let owners = [Owner::Core, Owner::Operator, Owner::App(0), Owner::App(239)];
        for owner in owners {
            for generation in [0, 1, u32::MAX] {
                let c = FlowCookie::new(owner, generation);
                assert_eq!(FlowCookie::decode(c.encode()), Some(c));
            }
        }
    }

    #[test]
    fn foreign_cookies_have_no_owner() {
        assert_eq!(FlowCookie::decode(Cookie(0)), None);
        assert_eq!(FlowCookie::decode(Cookie(u64::MAX)), None);
        assert_eq!(FlowCookie::decode(Cookie(0x1234_0000_0000_0000)), None);
        // Right magic, unused owner byte.
        assert_eq!(FlowCookie::decode(Cookie(0x6e76_0500_0000_0000)), None);
        // Right magic and owner, reserved bits set.
        assert_eq!(FlowCookie::decode(Cookie(0x6e76_1001_0000_0000)), None);
    }

    #[test]
    fn owner_mask_selects_all_generations_of_one_owner_only() {
        let (cookie, mask) = FlowCookie::select_owner(Owner::App(3));
        let same = FlowCookie::new(Owner::App(3), 77).encode();
        let other = FlowCookie::new(Owner::App(4), 77).encode();
        assert_eq!(same.0 & mask, cookie.0 & mask);
        assert_ne!(other.0 & mask, cookie.0 & mask);
    }

    #[test]
    fn app_indexes_beyond_the_layout_are_refused() {
        assert_eq!(Owner::app(0), Some(Owner::App(0)));
        assert_eq!(Owner::app(239), Some(Owner::App(239)));
        assert_eq!(Owner::app(240), None);
        assert_eq!(Owner::from_byte(0xff), Some(Owner::App(239)));
    }
}
