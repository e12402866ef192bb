//! Test doubles for apps: a fake view and a fake flow table that evaluates packets.
//! PLACEHOLDER: owned by the l2-learning helper.
