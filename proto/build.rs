//! Compiles the protos with protox (pure Rust, no protoc) into tonic/prost code, and keeps the
//! encoded descriptor set for server reflection.

use std::path::PathBuf;

use prost::Message;

const PROTOS: &[&str] = &[
    "navarch/v1/common.proto",
    "navarch/v1/cluster.proto",
    "navarch/v1/switch.proto",
    "navarch/v1/topology.proto",
    "navarch/v1/app.proto",
    "navarch/v1/event.proto",
    "navarch/v1/tenant.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    let fds = protox::compile(PROTOS, ["."])?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("navarch_descriptor.bin"), fds.encode_to_vec())?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    Ok(())
}
