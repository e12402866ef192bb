//! STUB (owned by the flows-ports helper): replace this whole file.

super::stub_types!(
    FlowMod,
    FlowRemoved,
    FlowStatsRequest,
    FlowStats,
    AggregateStats
);
