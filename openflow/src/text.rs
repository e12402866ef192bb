//! Shared pieces for reading the `ovs-ofctl` text syntax (`table=0,priority=10,in_port=1,
//! actions=output:2`), and the number style its printer uses.

use core::fmt;

/// Text in `ovs-ofctl` syntax that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// What was wrong, naming the offending key or value.
    pub message: String,
}

impl SyntaxError {
    /// An error with the given message.
    pub fn new(message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            message: message.into(),
        }
    }
}

/// Splits `text` at top-level commas or spaces (not inside parentheses) into `key` or
/// `key=value` / `key:value` items. `separators` says which characters split a key from its
/// value (`"="` for flow fields, `":("` for actions keep the separator in the value's place).
///
/// Returns the items as (key, value) with surrounding white space trimmed.
pub fn split_items<'a>(
    text: &'a str,
    separators: &[char],
) -> Result<Vec<(&'a str, Option<&'a str>)>, SyntaxError> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut push = |s: &'a str| -> Result<(), SyntaxError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(());
        }
        match s.find(|c| separators.contains(&c)) {
            Some(pos) if s.as_bytes()[pos] == b'(' => {
                if !s.ends_with(')') {
                    return Err(SyntaxError::new(format!("unbalanced parentheses in {s:?}")));
                }
                items.push((s[..pos].trim(), Some(&s[pos + 1..s.len() - 1])));
            }
            Some(pos) => items.push((s[..pos].trim(), Some(s[pos + 1..].trim()))),
            None => items.push((s, None)),
        }
        Ok(())
    };
    for (idx, &b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(SyntaxError::new(format!(
                        "unbalanced parentheses in {text:?}"
                    )));
                }
            }
            b',' | b' ' | b'\t' if depth == 0 => {
                push(&text[start..idx])?;
                start = idx + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(SyntaxError::new(format!(
            "unbalanced parentheses in {text:?}"
        )));
    }
    push(&text[start..])?;
    Ok(items)
}

/// Parses a decimal or `0x` hexadecimal unsigned number that must fit in `bits` bits.
pub fn parse_uint(what: &str, s: &str, bits: u32) -> Result<u64, SyntaxError> {
    let s = s.trim();
    let v = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse::<u64>(),
    }
    .map_err(|_| SyntaxError::new(format!("{what}: {s:?} is not a number")))?;
    if bits < 64 && v >> bits != 0 {
        return Err(SyntaxError::new(format!(
            "{what}: {s} does not fit in {bits} bits"
        )));
    }
    Ok(v)
}

/// A number the way C's `%#x` prints it (what Open vSwitch uses): `0x` and lower-case hex,
/// except that zero is plain `0`.
pub(crate) fn c_hex<T: Into<u64>>(v: T) -> CHex {
    CHex(v.into())
}

/// See [`c_hex`].
pub(crate) struct CHex(u64);

impl fmt::Display for CHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_flow_text_at_top_level() {
        let items = split_items("table=0, priority=10,in_port=1,actions=output:2", &['=']).unwrap();
        assert_eq!(
            items,
            vec![
                ("table", Some("0")),
                ("priority", Some("10")),
                ("in_port", Some("1")),
                ("actions", Some("output:2"))
            ]
        );
        let items = split_items(
            "write_actions(output:1,pop_vlan),goto_table:2,drop",
            &[':', '('],
        )
        .unwrap();
        assert_eq!(
            items,
            vec![
                ("write_actions", Some("output:1,pop_vlan")),
                ("goto_table", Some("2")),
                ("drop", None)
            ]
        );
        assert!(split_items("write_actions(output:1", &[':', '(']).is_err());
        assert!(split_items("a),b", &['=']).is_err());
    }

    #[test]
    fn numbers_checked_against_width() {
        assert_eq!(parse_uint("x", "0x10", 8).unwrap(), 16);
        assert_eq!(parse_uint("x", "255", 8).unwrap(), 255);
        assert!(parse_uint("x", "256", 8).is_err());
        assert!(parse_uint("x", "ten", 8).is_err());
    }
}
