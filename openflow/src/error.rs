//! Decode errors, each knowing the `OFPT_ERROR` type and code the spec prescribes for it.

use core::fmt;

use crate::errcode::{
    BadActionCode, BadInstructionCode, BadMatchCode, BadRequestCode, ErrorCode, GroupModFailedCode,
    SwitchConfigFailedCode, TableFeaturesFailedCode,
};

/// Which structure was being decoded when an error happened; it decides the error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ctx {
    /// A message header or body.
    Message,
    /// A multipart request or reply body.
    Multipart,
    /// A match (`ofp_match` and its OXM fields).
    Match,
    /// An action.
    Action,
    /// An instruction.
    Instruction,
    /// A group bucket.
    Bucket,
    /// A meter band.
    MeterBand,
    /// A table-features record or property.
    TableFeatures,
    /// A queue description or property.
    Queue,
    /// A port description.
    Port,
    /// A switch configuration.
    SwitchConfig,
    /// A hello element.
    Hello,
    /// A bundle message or property.
    Bundle,
    /// An async configuration property.
    Async,
}

impl fmt::Display for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ctx::Message => "message",
            Ctx::Multipart => "multipart body",
            Ctx::Match => "match",
            Ctx::Action => "action",
            Ctx::Instruction => "instruction",
            Ctx::Bucket => "group bucket",
            Ctx::MeterBand => "meter band",
            Ctx::TableFeatures => "table features",
            Ctx::Queue => "queue",
            Ctx::Port => "port",
            Ctx::SwitchConfig => "switch config",
            Ctx::Hello => "hello element",
            Ctx::Bundle => "bundle",
            Ctx::Async => "async config",
        })
    }
}

/// Shows `message` for an error not yet placed in a context.
struct CtxText(Option<Ctx>);

impl fmt::Display for CtxText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.unwrap_or(Ctx::Message).fmt(f)
    }
}

/// Why bytes could not be decoded as OpenFlow 1.3.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended before a structure was complete.
    #[error("{}: truncated", CtxText(*ctx))]
    Truncated {
        /// Where it happened, once known.
        ctx: Option<Ctx>,
    },
    /// A length field is impossible: too short, misaligned, or longer than what contains it.
    #[error("{}: bad length {len}", CtxText(*ctx))]
    BadLen {
        /// Where it happened, once known.
        ctx: Option<Ctx>,
        /// The offending length.
        len: usize,
    },
    /// The header names an OpenFlow version other than 1.3.
    #[error("unsupported OpenFlow version {version:#04x}")]
    BadVersion {
        /// The version byte received.
        version: u8,
    },
    /// The message is longer than the configured maximum message size.
    #[error("message of {len} bytes exceeds the maximum of {max}")]
    TooLong {
        /// Its length.
        len: usize,
        /// The maximum allowed.
        max: usize,
    },
    /// An OXM field appears more than once in one match.
    #[error("match: duplicate field {field}")]
    DupField {
        /// The field's name.
        field: &'static str,
    },
    /// An OXM field appears without the field values it depends on.
    #[error("match: prerequisite of {field} not met")]
    BadPrereq {
        /// The field's name.
        field: &'static str,
    },
    /// A mask on a field that cannot be masked, or a value with bits set outside its mask.
    #[error("match: bad mask on {field}")]
    BadMask {
        /// The field's name.
        field: &'static str,
    },
    /// A field holds a value the spec does not allow; `code` is what the spec prescribes.
    #[error("bad value {value:#x} for {field}")]
    BadValue {
        /// The field's name.
        field: &'static str,
        /// The raw value.
        value: u64,
        /// The error to report to the peer.
        code: ErrorCode,
    },
}

impl DecodeError {
    /// The `OFPT_ERROR` type and code the spec prescribes for this error.
    pub fn ofp_error(&self) -> ErrorCode {
        match *self {
            DecodeError::Truncated { ctx } | DecodeError::BadLen { ctx, .. } => bad_len(ctx),
            DecodeError::BadVersion { .. } => ErrorCode::BadRequest(BadRequestCode::BadVersion),
            DecodeError::TooLong { .. } => ErrorCode::BadRequest(BadRequestCode::BadLen),
            DecodeError::DupField { .. } => ErrorCode::BadMatch(BadMatchCode::DupField),
            DecodeError::BadPrereq { .. } => ErrorCode::BadMatch(BadMatchCode::BadPrereq),
            DecodeError::BadMask { .. } => ErrorCode::BadMatch(BadMatchCode::BadMask),
            DecodeError::BadValue { code, .. } => code,
        }
    }

    /// Places an error that has no context yet in `ctx`; the innermost context wins.
    pub fn in_ctx(self, ctx: Ctx) -> DecodeError {
        match self {
            DecodeError::Truncated { ctx: None } => DecodeError::Truncated { ctx: Some(ctx) },
            DecodeError::BadLen { ctx: None, len } => DecodeError::BadLen {
                ctx: Some(ctx),
                len,
            },
            other => other,
        }
    }

    /// A truncation in `ctx`.
    pub fn truncated(ctx: Ctx) -> DecodeError {
        DecodeError::Truncated { ctx: Some(ctx) }
    }

    /// A bad length in `ctx`.
    pub fn bad_len(ctx: Ctx, len: usize) -> DecodeError {
        DecodeError::BadLen {
            ctx: Some(ctx),
            len,
        }
    }
}

fn bad_len(ctx: Option<Ctx>) -> ErrorCode {
    match ctx {
        Some(Ctx::Match) => ErrorCode::BadMatch(BadMatchCode::BadLen),
        Some(Ctx::Action) => ErrorCode::BadAction(BadActionCode::BadLen),
        Some(Ctx::Instruction) => ErrorCode::BadInstruction(BadInstructionCode::BadLen),
        Some(Ctx::TableFeatures) => ErrorCode::TableFeaturesFailed(TableFeaturesFailedCode::BadLen),
        Some(Ctx::SwitchConfig) => ErrorCode::SwitchConfigFailed(SwitchConfigFailedCode::BadLen),
        Some(Ctx::Bucket) => ErrorCode::GroupModFailed(GroupModFailedCode::BadBucket),
        _ => ErrorCode::BadRequest(BadRequestCode::BadLen),
    }
}

impl<'a> nom::error::ParseError<&'a [u8]> for DecodeError {
    fn from_error_kind(_input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        DecodeError::Truncated { ctx: None }
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innermost_context_decides_the_code() {
        let e = DecodeError::Truncated { ctx: None }
            .in_ctx(Ctx::Action)
            .in_ctx(Ctx::Message);
        assert_eq!(e.ofp_error(), ErrorCode::BadAction(BadActionCode::BadLen));
        let e = DecodeError::BadLen { ctx: None, len: 3 }.in_ctx(Ctx::Match);
        assert_eq!(e.ofp_error(), ErrorCode::BadMatch(BadMatchCode::BadLen));
        assert_eq!(e.to_string(), "match: bad length 3");
        let e = DecodeError::Truncated { ctx: None };
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
    }
}
