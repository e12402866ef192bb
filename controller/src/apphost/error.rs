//! What can go wrong between apps, the host and a switch: registrations refused, and flows,
//! groups and meters not installed.

use navarch_app::{LocalGroupId, LocalMeterId, Slice};
use openflow::msg::{FlowModCommand, GroupModCommand, MeterModCommand};
use openflow::{Cookie, DatapathId, ErrorCode, TableId};

use super::cookie::Owner;
use super::ids::BadRef;

/// Why an app could not be registered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// The cookie layout has no owner value left for another app.
    #[error(
        "app {app}: no room for more than {} apps in the cookie",
        Owner::MAX_APPS
    )]
    TooManyApps {
        /// The app refused.
        app: &'static str,
    },
    /// An app with this name is already registered.
    #[error("app {app} is already registered")]
    DuplicateName {
        /// The name.
        app: &'static str,
    },
    /// Another app already owns a table this app claims.
    #[error("app {app} claims table {}, which app {owner} owns", table.0)]
    TableTaken {
        /// The app refused.
        app: &'static str,
        /// The table.
        table: TableId,
        /// The app that owns it.
        owner: &'static str,
    },
}

/// Which kind of entry an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A flow.
    Flow,
    /// A group.
    Group,
    /// A meter.
    Meter,
}

impl core::fmt::Display for Kind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Kind::Flow => "flow",
            Kind::Group => "group",
            Kind::Meter => "meter",
        })
    }
}

/// A flow, group or meter the host did not install, or the switch refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InstallError {
    /// An app asked for a flow in a table it does not own; the flow was dropped.
    #[error("{dpid}: app {app} wants a flow in table {}, which it does not own", table.0)]
    ForeignTable {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// The table it asked for.
        table: TableId,
    },
    /// Two flows wanted the same table, priority and match; the later one was dropped.
    #[error("{dpid}: app {app} wants a flow at table {} priority {priority} that app {first} already wants", table.0)]
    DuplicateKey {
        /// The switch.
        dpid: DatapathId,
        /// The app whose flow was dropped.
        app: &'static str,
        /// The app whose flow was kept.
        first: &'static str,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
    },
    /// An app wanted two groups (or two meters) with one id; the later one was dropped.
    #[error("{dpid}: app {app} wants two of its {kind}s with id {id}")]
    DuplicateId {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// Group or meter.
        kind: Kind,
        /// The app's local id.
        id: u16,
    },
    /// An app's `slice_flows` (or `slice_groups`, `slice_meters`) returned an entry of
    /// another slice; it was dropped.
    #[error("{dpid}: app {app} returned a {kind} of slice {got:?} when asked for slice {asked:?}")]
    WrongSlice {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// Flow, group or meter.
        kind: Kind,
        /// The slice asked for.
        asked: Slice,
        /// The slice of the entry returned.
        got: Slice,
    },
    /// A flow the host does not manage holds the key of a wanted flow; it was left alone.
    #[error("{dpid}: app {app} wants a flow at table {} priority {priority}, held by foreign cookie {:#x}", table.0, holder.0)]
    Occupied {
        /// The switch.
        dpid: DatapathId,
        /// The app that wanted the key.
        app: &'static str,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
        /// The cookie of the flow on the switch.
        holder: Cookie,
    },
    /// A flow, bucket or packet-out names a group or meter by an id that is not a local id
    /// (above `u16::MAX`); it was dropped.
    #[error("{dpid}: app {app} names {reference:?}, which is not one of its local ids")]
    NotLocal {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// The id written.
        reference: BadRef,
    },
    /// A flow names a group the app does not want on the switch; the flow was dropped.
    #[error("{dpid}: app {app} wants a flow at table {} priority {priority} naming its group {}, which it does not want there", table.0, group.0)]
    MissingGroup {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
        /// The group named.
        group: LocalGroupId,
    },
    /// A flow names a meter the app does not want on the switch; the flow was dropped.
    #[error("{dpid}: app {app} wants a flow at table {} priority {priority} naming its meter {}, which it does not want there", table.0, meter.0)]
    MissingMeter {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
        /// The meter named.
        meter: LocalMeterId,
    },
    /// An app stopped wanting a group or meter that a flow it still has installed (in a
    /// slice it did not invalidate) names. The flow was deleted before it, as the switch
    /// would have, and its slice is asked for again.
    #[error("{dpid}: app {app} dropped its {kind} {id} but not the flow at table {} priority {priority} naming it", table.0)]
    Dangling {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// Group or meter.
        kind: Kind,
        /// The app's local id.
        id: u16,
        /// The flow's table.
        table: TableId,
        /// The flow's priority.
        priority: u16,
    },
    /// The switch has no group (or meter) table: the app's group or meter is not installed,
    /// nor flows naming it, until the switch reconnects.
    #[error("{dpid}: switch does not support {kind}s; app {app}'s {kind} {id} is not installed")]
    Unsupported {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// Group or meter.
        kind: Kind,
        /// The app's local id.
        id: u16,
    },
    /// The switch answered a FLOW_MOD with an error; the flow is not retried until it changes.
    #[error("{dpid}: switch refused {command:?} for app {app} at table {} priority {priority}: {code:?}", table.0)]
    Rejected {
        /// The switch.
        dpid: DatapathId,
        /// The owner of the flow.
        app: &'static str,
        /// The command refused.
        command: FlowModCommand,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
        /// The switch's error.
        code: ErrorCode,
    },
    /// The switch answered a GROUP_MOD with an error; the group is not retried until it
    /// changes.
    #[error("{dpid}: switch refused group {command:?} for app {app}'s group {id}: {code:?}")]
    GroupRejected {
        /// The switch.
        dpid: DatapathId,
        /// The owner of the group.
        app: &'static str,
        /// The command refused.
        command: GroupModCommand,
        /// The owner's local id (the raw id for a group not in the layout).
        id: u32,
        /// The switch's error.
        code: ErrorCode,
    },
    /// The switch answered a METER_MOD with an error; the meter is not retried until it
    /// changes.
    #[error("{dpid}: switch refused meter {command:?} for app {app}'s meter {id}: {code:?}")]
    MeterRejected {
        /// The switch.
        dpid: DatapathId,
        /// The owner of the meter.
        app: &'static str,
        /// The command refused.
        command: MeterModCommand,
        /// The owner's local id (the raw id for a meter not in the layout).
        id: u32,
        /// The switch's error.
        code: ErrorCode,
    },
}
