//! STUB (owned by the simple-messages helper): replace this whole file.

super::stub_types!(BundleControl, BundleAdd);
