//! Every message the crate can emit, decoded by Open vSwitch: `ovs-ofctl` must decode our
//! bytes without error and print exactly our `Display` text (see `oracle/mod.rs`). One test
//! per corpus, each one `ovs-ofctl` process; `corpus_covers_every_message` checks that the
//! corpora together use every message, multipart, action, instruction and match field kind.
//!
//! These tests need `ovs-ofctl` (Open vSwitch 3.x) and fail without it.

mod oracle;

use oracle::{Case, check, edge, flow, group_meter, matches, multipart, packet, port, simple};

macro_rules! corpora {
    ($($test:ident => $corpus:expr,)*) => {
        $(
            #[test]
            fn $test() {
                check(stringify!($test), $corpus);
            }
        )*

        /// Every corpus, by test name.
        fn all_corpora() -> Vec<(&'static str, Vec<Case>)> {
            vec![$((stringify!($test), $corpus)),*]
        }
    };
}

corpora! {
    hello => simple::hello(),
    error => simple::errors(),
    echo => simple::echo(),
    experimenter => simple::experimenter(),
    bundle_add => simple::bundle_adds(),
    features_config_barrier => simple::features_config_barrier(),
    queue_config => simple::queue_config(),
    role => simple::role(),
    async_config => simple::async_config(),
    flow_mod => flow::flow_mods(),
    odd_match => matches::odd_matches(),
    flow_removed => flow::flow_removed(),
    packet_in => packet::packet_ins(),
    packet_out => packet::packet_outs(),
    port_status => port::port_status(),
    port_mod => port::port_mods(),
    table_mod => port::table_mods(),
    group_mod => group_meter::group_mods(),
    meter_mod => group_meter::meter_mods(),
    multipart_request => multipart::requests(),
    multipart_reply => multipart::replies(),
    edge_values => edge::all(),
}

#[test]
fn corpus_covers_every_message() {
    let cases: Vec<Case> = all_corpora().into_iter().flat_map(|(_, c)| c).collect();
    oracle::coverage::check(&cases);
}

#[test]
fn flow_text_means_what_ovs_means() {
    let problems = oracle::flow_text::problems();
    assert!(
        problems.is_empty(),
        "FlowMod::from_ofctl differs from ovs-ofctl parse-flows in {} flow(s):\n\n{}\n",
        problems.len(),
        problems.join("\n\n")
    );
}
