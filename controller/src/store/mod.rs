//! PLACEHOLDER: owned by the store helper.
