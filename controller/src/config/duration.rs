//! Durations written the way operators write them: `15s`, `500ms`, `1m30s`, `2h`.
//!
//! A duration is one or more `<integer><unit>` parts with units `ns`, `us`, `ms`, `s`, `m`
//! and `h`; parts add up (`1m30s` is 90 seconds). Whitespace, fractions and a bare number
//! without a unit are rejected so that `5` never silently means five of the wrong unit.

use std::fmt;
use std::time::Duration;

/// Why a duration string was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// The string is empty.
    #[error("empty duration (write e.g. \"15s\" or \"500ms\")")]
    Empty,
    /// A part has digits but no unit after them.
    #[error("invalid duration {0:?}: missing unit after {1} (use ns, us, ms, s, m or h)")]
    MissingUnit(String, u64),
    /// A unit is not one of `ns`, `us`, `ms`, `s`, `m`, `h`.
    #[error("invalid duration {0:?}: unknown unit {1:?} (use ns, us, ms, s, m or h)")]
    UnknownUnit(String, String),
    /// A part does not start with a digit.
    #[error("invalid duration {0:?}: expected a number at {1:?}")]
    ExpectedNumber(String, String),
    /// The total does not fit in a `Duration`.
    #[error("invalid duration {0:?}: too long")]
    Overflow(String),
}

/// Parses a duration such as `15s`, `500ms` or `1m30s`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let overflow = || DurationError::Overflow(text.to_owned());
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(DurationError::ExpectedNumber(
                text.to_owned(),
                rest.to_owned(),
            ));
        }
        let number: u64 = rest[..digits].parse().map_err(|_| overflow())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        if unit_len == 0 {
            if rest.is_empty() {
                return Err(DurationError::MissingUnit(text.to_owned(), number));
            }
            let bad = rest.chars().next().map(String::from).unwrap_or_default();
            return Err(DurationError::UnknownUnit(text.to_owned(), bad));
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let part = match unit {
            "ns" => Duration::from_nanos(number),
            "us" => Duration::from_micros(number),
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number.checked_mul(60).ok_or_else(overflow)?),
            "h" => Duration::from_secs(number.checked_mul(3600).ok_or_else(overflow)?),
            _ => return Err(DurationError::UnknownUnit(text.to_owned(), unit.to_owned())),
        };
        total = total.checked_add(part).ok_or_else(overflow)?;
    }
    Ok(total)
}

/// Displays a duration in the syntax [`parse_duration`] reads, using the largest exact units
/// (`90s` prints as `1m30s`, zero as `0s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HumanDuration(pub Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_zero() {
            return f.write_str("0s");
        }
        let secs = self.0.as_secs();
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        for (value, unit) in [(h, "h"), (m, "m"), (s, "s")] {
            if value != 0 {
                write!(f, "{value}{unit}")?;
            }
        }
        let nanos = self.0.subsec_nanos();
        if nanos != 0 {
            if nanos.is_multiple_of(1_000_000) {
                write!(f, "{}ms", nanos / 1_000_000)?;
            } else if nanos.is_multiple_of(1_000) {
                write!(f, "{}us", nanos / 1_000)?;
            } else {
                write!(f, "{nanos}ns")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_and_compound_parts() {
        assert_eq!(parse_duration("15s"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("250us"), Ok(Duration::from_micros(250)));
        assert_eq!(parse_duration("7ns"), Ok(Duration::from_nanos(7)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_duration("1h2m3s4ms"),
            Ok(Duration::from_millis(3_723_004))
        );
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        assert_eq!(
            parse_duration("").unwrap_err().to_string(),
            "empty duration (write e.g. \"15s\" or \"500ms\")"
        );
        assert_eq!(
            parse_duration("15").unwrap_err().to_string(),
            "invalid duration \"15\": missing unit after 15 (use ns, us, ms, s, m or h)"
        );
        assert_eq!(
            parse_duration("5x").unwrap_err().to_string(),
            "invalid duration \"5x\": unknown unit \"x\" (use ns, us, ms, s, m or h)"
        );
        assert_eq!(
            parse_duration("1.5s").unwrap_err().to_string(),
            "invalid duration \"1.5s\": unknown unit \".\" (use ns, us, ms, s, m or h)"
        );
        assert_eq!(
            parse_duration("s").unwrap_err().to_string(),
            "invalid duration \"s\": expected a number at \"s\""
        );
        assert_eq!(
            parse_duration("5 s").unwrap_err().to_string(),
            "invalid duration \"5 s\": unknown unit \" \" (use ns, us, ms, s, m or h)"
        );
        assert_eq!(
            parse_duration("-5s").unwrap_err().to_string(),
            "invalid duration \"-5s\": expected a number at \"-5s\""
        );
        assert_eq!(
            parse_duration("99999999999999999999s").unwrap_err(),
            DurationError::Overflow("99999999999999999999s".into())
        );
        assert_eq!(
            parse_duration("18446744073709551615h").unwrap_err(),
            DurationError::Overflow("18446744073709551615h".into())
        );
        assert!(matches!(
            parse_duration("5sec"),
            Err(DurationError::UnknownUnit(_, u)) if u == "sec"
        ));
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "0s", "15s", "500ms", "1m30s", "2h", "1h1s", "3s250us", "7ns",
        ] {
            let d = parse_duration(text).unwrap();
            assert_eq!(HumanDuration(d).to_string(), text);
        }
        assert_eq!(HumanDuration(Duration::from_secs(90)).to_string(), "1m30s");
    }
}
