//! PLACEHOLDER: owned by the apphost helper.
