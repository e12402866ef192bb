//! The OpenFlow 1.3 wire protocol, as a pure library: every message parsed (with `nom`) and
//! emitted symmetrically, shown in the text of `ovs-ofctl`, and a sans-IO channel state
//! machine that performs the handshake, keepalive, request correlation and multipart
//! reassembly without touching a clock or a socket.
//!
//! ```text
//! bytes ──frame::Framer──► Bytes frame ──Message::decode──► Message { xid, body: Body }
//! Message ──encode──► Bytes                 Display ──► "OFPT_FLOW_MOD (OF1.3) (xid=0x1): …"
//! ```
//!
//! ```
//! use openflow::msg::{FlowMod, FlowModCommand};
//! use openflow::{Body, Message, Xid};
//!
//! let fm = FlowMod::from_ofctl("table=0,priority=10,in_port=1,actions=output:2", FlowModCommand::Add)?;
//! let bytes = Message::new(Xid(1), Body::FlowMod(fm)).encode()?;
//! let back = Message::decode(&bytes)?;
//! assert_eq!(
//!     back.to_string(),
//!     "OFPT_FLOW_MOD (OF1.3) (xid=0x1): ADD priority=10,in_port=1 actions=output:2"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Unknown message types, OXM fields, actions, instructions and properties are kept as raw
//! bytes and re-emitted byte for byte. Malformed input is a [`DecodeError`] that knows the
//! `OFPT_ERROR` type and code the spec prescribes, never a panic.

#![deny(missing_docs)]

#[macro_use]
mod macros;

pub mod action;
pub mod channel;
pub mod errcode;
pub mod error;
pub mod frame;
pub mod header;
pub mod instruction;
pub mod message;
pub mod msg;
pub mod oxm;
pub mod text;
pub mod types;
pub mod wire;

#[cfg(test)]
mod testutil;

pub use action::Action;
pub use channel::{Channel, ChannelConfig, CloseReason, Event, SendError};
pub use errcode::ErrorCode;
pub use error::{Ctx, DecodeError};
pub use frame::{FrameError, Framer};
pub use header::{HEADER_LEN, Header, MsgType, VERSION};
pub use instruction::Instruction;
pub use message::{Body, EncodeError, Message};
pub use oxm::{Match, OxmField, OxmId};
pub use text::SyntaxError;
pub use types::{
    BufferId, Cookie, DatapathId, GroupId, MacAddr, MeterId, PortNo, QueueId, TableId, Xid,
};
pub use wire::{Src, Wire};
