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
