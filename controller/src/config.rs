//! PLACEHOLDER: owned by the config helper.
