//! Helpers shared by the unit tests of every module.

use bytes::Bytes;

use crate::message::Message;

/// Bytes from hex text; white space is ignored (so golden vectors can be laid out in rows).
pub(crate) fn unhex(s: &str) -> Bytes {
    let s: String = s.split_whitespace().collect();
    assert!(s.len().is_multiple_of(2), "odd number of hex digits");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect::<Vec<u8>>()
        .into()
}

/// Our text plus the final newline `ovs-ofctl ofp-print` always ends with.
pub(crate) fn ovs_text(m: &Message) -> String {
    let s = m.to_string();
    if s.ends_with('\n') { s } else { s + "\n" }
}
