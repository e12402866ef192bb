//! PLACEHOLDER: owned by the topology helper.
