//! Version negotiation: which versions a peer's `OFPT_HELLO` offers, and the
//! `OFPET_HELLO_FAILED` reply (in the words OVS uses) when 1.3 is not among them.

use bytes::{Bytes, BytesMut};

use crate::errcode::HelloFailedCode;
use crate::header::{HEADER_LEN, Header, VERSION};
use crate::message::{Body, Message};
use crate::msg::{ErrorMsg, Hello};
use crate::types::Xid;
use crate::wire::{Src, Wire, complete};

/// Our version bitmap: OpenFlow 1.3 only.
pub(super) const OUR_VERSIONS: u32 = 1 << VERSION;

/// The versions a peer's hello offers, as a bitmap with bit `v` for version `v`.
///
/// A version bitmap element decides; without one the peer supports its header version and
/// every earlier one (as OVS reads it). A hello whose body cannot be parsed is read by its
/// header alone: elements are extensions, and the header version is what the spec
/// negotiates on.
pub(super) fn peer_versions(header: &Header, frame: &Bytes) -> u32 {
    let body = frame.get(HEADER_LEN..).unwrap_or_default();
    if let Ok(hello) = complete(<Hello as Wire>::parse(Src::new(frame), body))
        && let Some(words) = hello.bitmap()
    {
        return words.first().copied().unwrap_or(0);
    }
    versions_up_to(header.version)
}

/// Versions 1 to `version` (version 0 does not exist).
fn versions_up_to(version: u8) -> u32 {
    match 1u32.checked_shl(u32::from(version)) {
        Some(bit) => (bit - 1) << 1,
        None => u32::MAX << 1,
    }
}

/// A version bitmap in words, as OVS's `version_bitmap_to_string` writes it.
fn describe(bitmap: u32) -> String {
    let top = 31u32.saturating_sub(bitmap.leading_zeros());
    if bitmap == 0 {
        "no versions".to_string()
    } else if bitmap.is_power_of_two() {
        format!("version {top:#04x}")
    } else if ((bitmap >> 1) + 1).is_power_of_two() {
        format!("version {top:#04x} and earlier")
    } else {
        let list: Vec<String> = (0..32)
            .filter(|v| bitmap & (1 << v) != 0)
            .map(|v| format!("{v:#04x}"))
            .collect();
        format!("versions {}", list.join(", "))
    }
}

/// The `OFPET_HELLO_FAILED`/`OFPHFC_INCOMPATIBLE` message for a peer offering
/// `peer_versions`, encoded in the peer's highest version so that it can read it (the error
/// layout is the same in every version).
pub(super) fn incompatible(peer_versions: u32, peer_header_version: u8) -> Bytes {
    let text = format!(
        "We support {}, you support {}, no common versions.",
        describe(OUR_VERSIONS),
        describe(peer_versions)
    );
    let error = ErrorMsg::hello_failed(HelloFailedCode::Incompatible, &text);
    let mut out = BytesMut::new();
    // Too long is impossible: the text is short.
    let _ = Message::new(Xid(0), Body::Error(error)).encode_into(&mut out);
    let version = match peer_versions {
        0 => peer_header_version,
        v => (31 - v.leading_zeros()) as u8,
    };
    if let Some(b) = out.first_mut() {
        *b = version;
    }
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmaps_in_words_like_ovs() {
        assert_eq!(describe(OUR_VERSIONS), "version 0x04");
        assert_eq!(describe(versions_up_to(1)), "version 0x01");
        assert_eq!(describe(versions_up_to(3)), "version 0x03 and earlier");
        assert_eq!(describe(0b10_0110), "versions 0x01, 0x02, 0x05");
        assert_eq!(describe(0), "no versions");
        assert_eq!(versions_up_to(0), 0);
        assert_eq!(versions_up_to(4) & OUR_VERSIONS, OUR_VERSIONS);
        assert_eq!(versions_up_to(200), u32::MAX << 1);
    }
}
