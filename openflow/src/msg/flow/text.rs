//! Flow text in `ovs-ofctl` syntax (`table=1,priority=10,tcp,tp_dst=80,actions=output:2`)
//! turned into a `FlowMod` encoded the way `ovs-ofctl -O OpenFlow13` encodes it.

use core::str::FromStr;

use crate::instruction::parse_ofctl_instructions_for;
use crate::oxm::{Match, OxmField, parse_ofctl_field};
use crate::text::{SyntaxError, split_items};
use crate::types::{BufferId, Cookie, GroupId, PortNo, TableId};

use super::{FlowMod, FlowModCommand, FlowModFlags};

/// Which optional keys a command accepts (OVS's `parse_ofp_str__` gates them the same way).
#[derive(Clone, Copy)]
struct Keys {
    actions: bool,
    timeouts: bool,
    priority: bool,
    flags: bool,
    out_port: bool,
}

impl Keys {
    fn for_command(command: FlowModCommand) -> Option<Keys> {
        let none = Keys {
            actions: false,
            timeouts: false,
            priority: false,
            flags: false,
            out_port: false,
        };
        let modify = Keys {
            actions: true,
            timeouts: true,
            priority: true,
            flags: true,
            ..none
        };
        Some(match command {
            FlowModCommand::Add | FlowModCommand::Modify | FlowModCommand::ModifyStrict => modify,
            FlowModCommand::Delete => Keys {
                out_port: true,
                ..none
            },
            FlowModCommand::DeleteStrict => Keys {
                out_port: true,
                priority: true,
                ..none
            },
            FlowModCommand::Unknown(_) => return None,
        })
    }
}

/// A number as C's `strtoull(s, NULL, 0)` reads it, which is what OVS uses: `0x` hex, a
/// leading `0` octal, else decimal; a leading `-` negates modulo 2^64 (so `-1` is all ones).
fn c_number(what: &str, s: &str, bits: u32) -> Result<u64, SyntaxError> {
    let err = || SyntaxError::new(format!("{what}: {s:?} is not a valid number"));
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16)
    } else if body.len() > 1 && body.starts_with('0') {
        u64::from_str_radix(&body[1..], 8)
    } else {
        body.parse()
    }
    .map_err(|_| err())?;
    let v = if neg { v.wrapping_neg() } else { v };
    if bits < 64 && !neg && v >> bits != 0 {
        return Err(SyntaxError::new(format!(
            "{what}: {s} is out of range (at most {} bits)",
            bits
        )));
    }
    if bits < 64 && neg {
        return Err(err());
    }
    Ok(v)
}

fn parse_group(s: &str) -> Result<GroupId, SyntaxError> {
    if s.eq_ignore_ascii_case("any") {
        return Ok(GroupId::ANY);
    }
    if s.eq_ignore_ascii_case("all") {
        return Ok(GroupId::ALL);
    }
    match c_number("out_group", s, 32) {
        Ok(v) if v <= u64::from(GroupId::MAX.0) => Ok(GroupId(v as u32)),
        _ => Err(SyntaxError::new(format!(
            "{s} is not a valid OpenFlow group"
        ))),
    }
}

/// Splits `text` at the first `action` keyword, as OVS does: everything after its `=` is
/// the instruction list.
fn split_actions(text: &str) -> Result<(&str, &str), SyntaxError> {
    let pos = text
        .find("action")
        .ok_or_else(|| SyntaxError::new("must specify an action"))?;
    let after = &text[pos..];
    let eq = after
        .find('=')
        .ok_or_else(|| SyntaxError::new("must specify an action"))?;
    Ok((&text[..pos], &after[eq + 1..]))
}

impl FlowMod {
    /// Parses flow text in `ovs-ofctl` syntax for `command`, the way `ovs-ofctl add-flow`,
    /// `mod-flows` and `del-flows` read it, and encodes it as OVS does for OpenFlow 1.3.
    ///
    /// `actions=` must come last (everything after it is the instruction list). Adds and
    /// modifies require it; deletes accept `out_port` and `out_group` instead; a cookie
    /// with a mask (`cookie=0x5/-1`) matches flows and is refused for an add.
    pub fn from_ofctl(text: &str, command: FlowModCommand) -> Result<FlowMod, SyntaxError> {
        let keys = Keys::for_command(command)
            .ok_or_else(|| SyntaxError::new(format!("unknown flow mod command {command}")))?;
        let (match_text, actions_text) = if keys.actions {
            let (m, a) = split_actions(text)?;
            (m, Some(a))
        } else {
            (text, None)
        };

        let mut fm = FlowMod {
            command,
            ..FlowMod::default()
        };
        let mut table: Option<TableId> = None;
        let mut new_cookie: Option<u64> = None;
        let mut cookie = 0u64;
        let mut cookie_mask = 0u64;
        let mut fields: Vec<OxmField> = Vec::new();

        for (name, value) in split_items(match_text, &['=', ':'])? {
            let value_or_empty = value.unwrap_or("");
            let flag = match name {
                "send_flow_rem" => Some(FlowModFlags::SEND_FLOW_REM),
                "check_overlap" => Some(FlowModFlags::CHECK_OVERLAP),
                "reset_counts" => Some(FlowModFlags::RESET_COUNTS),
                "no_packet_counts" => Some(FlowModFlags::NO_PKT_COUNTS),
                "no_byte_counts" => Some(FlowModFlags::NO_BYT_COUNTS),
                _ => None,
            };
            if let (true, Some(flag)) = (keys.flags, flag) {
                fm.flags |= flag;
                continue;
            }
            if name == "no_readonly_table" || name == "allow_hidden_fields" {
                continue;
            }
            if let Some(f) = parse_ofctl_field(name, value)? {
                fields.extend(f);
                continue;
            }
            let v = value_or_empty;
            let needs_value = matches!(
                name,
                "table"
                    | "out_port"
                    | "out_group"
                    | "priority"
                    | "idle_timeout"
                    | "hard_timeout"
                    | "importance"
                    | "cookie"
            );
            if needs_value && v.is_empty() {
                return Err(SyntaxError::new(format!("field {name} missing value")));
            }
            match name {
                "table" => {
                    let t: u8 = v
                        .parse()
                        .map_err(|_| SyntaxError::new(format!("unknown table \"{v}\"")))?;
                    table = Some(TableId(t));
                }
                "out_port" if keys.out_port => {
                    fm.out_port = PortNo::from_str(v).map_err(|_| {
                        SyntaxError::new(format!("{v} is not a valid OpenFlow port"))
                    })?;
                }
                "out_group" if keys.out_port => fm.out_group = parse_group(v)?,
                "priority" if keys.priority => fm.priority = c_number(name, v, 16)? as u16,
                "idle_timeout" if keys.timeouts => {
                    fm.idle_timeout = c_number(name, v, 16)? as u16;
                }
                "hard_timeout" if keys.timeouts => {
                    fm.hard_timeout = c_number(name, v, 16)? as u16;
                }
                "importance" if command == FlowModCommand::Add => {
                    return Err(SyntaxError::new(
                        "importance requires OpenFlow 1.4 or later",
                    ));
                }
                "cookie" => match v.split_once('/') {
                    Some((value, mask)) => {
                        if command == FlowModCommand::Add {
                            return Err(SyntaxError::new(
                                "flow additions cannot use a cookie mask",
                            ));
                        }
                        cookie = c_number(name, value, 64)?;
                        cookie_mask = c_number(name, mask, 64)?;
                    }
                    None => {
                        if !keys.actions {
                            return Err(SyntaxError::new(format!(
                                "cannot set cookie (to match on a cookie, specify a mask, \
                                 e.g. cookie={v}/-1)"
                            )));
                        }
                        new_cookie = Some(c_number(name, v, 64)?);
                    }
                },
                // Statistics from `ovs-ofctl dump-flows` output, ignored so that it can be
                // fed back in.
                "duration" | "n_packets" | "n_bytes" | "idle_age" | "hard_age" => {}
                _ => return Err(SyntaxError::new(format!("unknown keyword {name}"))),
            }
        }

        // Settled and ordered as OVS does, so that the bytes equal what ovs-ofctl sends.
        fm.match_ = Match::from_ofctl_fields(&fields)?;

        // OpenFlow 1.3 carries one cookie: an add sets it; modifies and deletes match on it
        // (OVS drops an unmasked cookie on a modify, having nowhere to put it).
        if command == FlowModCommand::Add {
            fm.cookie = Cookie(new_cookie.unwrap_or(0));
            fm.cookie_mask = 0;
        } else {
            fm.cookie = Cookie(cookie & cookie_mask);
            fm.cookie_mask = cookie_mask;
        }
        let is_delete = matches!(
            command,
            FlowModCommand::Delete | FlowModCommand::DeleteStrict
        );
        fm.table_id = match table {
            Some(t) if t != TableId::ALL || is_delete => t,
            _ if is_delete => TableId::ALL,
            _ => TableId(0),
        };
        fm.buffer_id = BufferId::NO_BUFFER;
        if let Some(a) = actions_text {
            fm.instructions = parse_ofctl_instructions_for(a, &fm.match_)?;
        }
        Ok(fm)
    }
}

impl FromStr for FlowMod {
    type Err = SyntaxError;

    /// Parses flow text for an `ADD`, as `ovs-ofctl add-flow` does.
    fn from_str(s: &str) -> Result<FlowMod, SyntaxError> {
        FlowMod::from_ofctl(s, FlowModCommand::Add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_strtoull() {
        assert_eq!(c_number("x", "10", 16).unwrap(), 10);
        assert_eq!(c_number("x", "0x10", 16).unwrap(), 16);
        assert_eq!(c_number("x", "010", 16).unwrap(), 8);
        assert_eq!(c_number("x", "0", 16).unwrap(), 0);
        assert_eq!(c_number("x", "-1", 64).unwrap(), u64::MAX);
        assert!(c_number("x", "65536", 16).is_err());
        assert!(c_number("x", "-1", 16).is_err());
        assert!(c_number("x", "ten", 16).is_err());
    }

    #[test]
    fn actions_split_at_the_first_action_keyword() {
        assert_eq!(
            split_actions("priority=1,actions=output:2,drop").unwrap(),
            ("priority=1,", "output:2,drop")
        );
        assert_eq!(split_actions("in_port=1 action=drop").unwrap().1, "drop");
        assert!(split_actions("in_port=1").is_err());
    }

    #[test]
    fn groups() {
        assert_eq!(parse_group("any").unwrap(), GroupId::ANY);
        assert_eq!(parse_group("ALL").unwrap(), GroupId::ALL);
        assert_eq!(parse_group("7").unwrap(), GroupId(7));
        assert!(parse_group("0xffffff01").is_err());
    }
}
