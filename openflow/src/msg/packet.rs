//! STUB (owned by the flows-ports helper): replace this whole file.

super::stub_types!(PacketIn, PacketOut);
