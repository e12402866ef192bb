//! PLACEHOLDER: owned by the southbound helper.
