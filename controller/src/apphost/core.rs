//! The controller's own flows, installed through the app host like any app's.
//!
//! * Table 0, priority 0xffff: LLDP (eth_type 0x88cc) to the controller, whole frame
//!   (`max_len` 0xffff), so link discovery sees every probe before any app's flow can
//!   forward or drop it.
//! * Table misses: **apps own their tables' misses.** An app that claims a table decides what
//!   an unmatched packet does there (the L2 app sends it to the controller to learn). The core
//!   only adds a table-0 miss (priority 0, to the controller, whole frame) when no app claims
//!   table 0, so a switch with no forwarding app still reports hosts instead of dropping
//!   silently.

use navarch_app::{App, FlowSpec, View};
use openflow::oxm::OxmField;
use openflow::{Action, DatapathId, Instruction, Match, PortNo, TableId};

/// The LLDP ethertype.
pub const ETH_TYPE_LLDP: u16 = 0x88cc;
/// The priority of the LLDP interception flow: above every app flow.
pub const LLDP_PRIORITY: u16 = 0xffff;
/// The priority of a table-miss flow.
pub const MISS_PRIORITY: u16 = 0;
/// The table every packet enters.
pub const INGRESS_TABLE: TableId = TableId(0);

/// Output to the controller with the whole frame.
fn to_controller() -> Vec<Instruction> {
    vec![Instruction::ApplyActions(vec![Action::Output {
        port: PortNo::CONTROLLER,
        max_len: 0xffff,
    }])]
}

/// The controller core as an app: LLDP interception and, when no app owns table 0, its miss.
#[derive(Clone, Debug)]
pub struct CoreApp {
    ingress_miss: bool,
}

impl CoreApp {
    /// The core; `ingress_miss` adds the table-0 miss (set it when no app claims table 0).
    pub fn new(ingress_miss: bool) -> CoreApp {
        CoreApp { ingress_miss }
    }

    /// The LLDP interception flow.
    pub fn lldp_flow() -> FlowSpec {
        FlowSpec::new(
            INGRESS_TABLE,
            LLDP_PRIORITY,
            Match::new().with(OxmField::EthType(ETH_TYPE_LLDP)),
            to_controller(),
        )
    }

    /// The table-0 miss: every unmatched packet to the controller.
    pub fn ingress_miss_flow() -> FlowSpec {
        FlowSpec::new(INGRESS_TABLE, MISS_PRIORITY, Match::new(), to_controller())
    }
}

impl App for CoreApp {
    fn name(&self) -> &'static str {
        "core"
    }

    fn tables(&self) -> Vec<TableId> {
        vec![INGRESS_TABLE]
    }

    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        let mut flows = vec![CoreApp::lldp_flow()];
        if self.ingress_miss {
            flows.push(CoreApp::ingress_miss_flow());
        }
        flows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apphost::testing::EmptyView;

    #[test]
    fn lldp_goes_to_the_controller_whole_at_top_priority() {
        let flows = CoreApp::new(false).flows(DatapathId(1), &EmptyView);
        assert_eq!(flows.len(), 1);
        let lldp = &flows[0];
        assert_eq!((lldp.table, lldp.priority), (TableId(0), 0xffff));
        assert_eq!(lldp.match_.eth_type(), Some(0x88cc));
        assert_eq!(lldp.match_.len(), 1);
        assert_eq!(
            lldp.instructions,
            vec![Instruction::ApplyActions(vec![Action::Output {
                port: PortNo::CONTROLLER,
                max_len: 0xffff
            }])]
        );
    }

    #[test]
    fn the_ingress_miss_is_there_only_when_asked() {
        let flows = CoreApp::new(true).flows(DatapathId(1), &EmptyView);
        assert_eq!(
            flows,
            vec![CoreApp::lldp_flow(), CoreApp::ingress_miss_flow()]
        );
        assert_eq!(flows[1].priority, 0);
        assert!(flows[1].match_.is_empty());
    }
}
