//! Message bodies, one module per message family (the way OVS splits `lib/ofp-*.c`).

pub mod async_config;
pub mod bundle;
pub mod echo;
pub mod error;
pub mod experimenter;
pub mod flow;
pub mod group;
pub mod hello;
pub mod meter;
pub mod multipart;
pub mod packet;
pub mod port;
pub mod queue;
pub mod role;
pub mod switch;
pub mod table;
pub mod table_features;

pub use async_config::*;
pub use bundle::*;
pub use echo::*;
pub use error::*;
pub use experimenter::*;
pub use flow::*;
pub use group::*;
pub use hello::*;
pub use meter::*;
pub use multipart::*;
pub use packet::*;
pub use port::*;
pub use queue::*;
pub use role::*;
pub use switch::*;
pub use table::*;
pub use table_features::*;

/// TEMPORARY scaffolding while helpers fill in the modules: declares placeholder types.
macro_rules! stub_types {
    ($($t:ident),* $(,)?) => {
        $(
            /// Placeholder until its module is written.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct $t;
            impl crate::wire::Wire for $t {
                fn wire_len(&self) -> usize { todo!() }
                fn emit(&self, _out: &mut bytes::BytesMut) { todo!() }
                fn parse<'a>(_src: crate::wire::Src<'_>, _i: &'a [u8]) -> crate::wire::PResult<'a, Self> { todo!() }
            }
            impl core::fmt::Display for $t {
                fn fmt(&self, _f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result { todo!() }
            }
        )*
    };
}
pub(crate) use stub_types;
