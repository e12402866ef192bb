//! STUB (owned by the flows-ports helper): replace this whole file.

super::stub_types!(Port, PortStatus, PortMod, PortStatsRequest, PortStats);
