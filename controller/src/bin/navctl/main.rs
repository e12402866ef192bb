//! `navctl`: the navarch admin CLI.
fn main() {}
