//! Page tokens: opaque to clients, checked on the way back in. A token names the request it
//! continues (so a token reused with other filters is refused) and where the next page
//! starts; it is hex-encoded so it reads as one opaque word.

use tonic::Status;

/// Page sizes: the default when 0 is asked, and the most one page holds.
#[derive(Clone, Copy)]
pub(super) struct Limits {
    pub default: u32,
    pub max: u32,
}

impl Limits {
    /// The page size to use for `asked`.
    pub fn size(self, asked: u32) -> usize {
        match asked {
            0 => self.default as usize,
            n => n.min(self.max) as usize,
        }
    }
}

/// Switches and hosts: 100 by default, at most 1000.
pub(super) const SMALL: Limits = Limits {
    default: 100,
    max: 1000,
};

/// Flows: 1000 by default, at most 10000.
pub(super) const FLOWS: Limits = Limits {
    default: 1000,
    max: 10000,
};

/// A token for the page after `position`, continuing the request described by `scope`.
pub(super) fn token(scope: &str, position: &str) -> String {
    let text = format!("{scope}|{position}");
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The position in `token` (empty token: `None`, the first page); INVALID_ARGUMENT naming
/// `page_token` for one this controller did not issue for this `scope`.
pub(super) fn position(scope: &str, token: &str) -> Result<Option<String>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    let bad = || {
        Status::invalid_argument(
            "page_token: not a token returned by this call with these parameters",
        )
    };
    if !token.len().is_multiple_of(2) || token.len() > 4096 {
        return Err(bad());
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes.ok_or_else(bad)?).map_err(|_| bad())?;
    let (s, p) = text.split_once('|').ok_or_else(bad)?;
    if s != scope {
        return Err(bad());
    }
    Ok(Some(p.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_only_in_its_scope() {
        let t = token("hosts:-", "0a:00:00:00:00:01|");
        assert_eq!(
            position("hosts:-", &t).unwrap().as_deref(),
            Some("0a:00:00:00:00:01|")
        );
        assert!(position("hosts:1", &t).is_err());
        assert!(position("hosts:-", "zz").is_err());
        assert!(position("hosts:-", "abc").is_err());
        assert_eq!(position("x", "").unwrap(), None);
        assert_eq!(SMALL.size(0), 100);
        assert_eq!(SMALL.size(5000), 1000);
        assert_eq!(FLOWS.size(7), 7);
    }
}
