//! The navarch northbound API, package `navarch.v1`: the generated messages, tonic servers and
//! clients, and the encoded file descriptor set that server reflection serves.
//!
//! The `.proto` files under `proto/navarch/v1/` are the source of truth and document every
//! message and field.

/// Package `navarch.v1`.
pub mod v1 {
    #![allow(missing_docs, clippy::all, clippy::pedantic)]
    tonic::include_proto!("navarch.v1");
}

/// The encoded `FileDescriptorSet` of every navarch proto (for `tonic-reflection`).
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/navarch_descriptor.bin"));

#[cfg(test)]
mod tests {
    use prost::Message;
    use prost_types::FileDescriptorSet;

    fn descriptors() -> FileDescriptorSet {
        FileDescriptorSet::decode(super::FILE_DESCRIPTOR_SET).expect("descriptor set decodes")
    }

    #[test]
    fn every_service_is_in_the_descriptor_set() {
        let services: Vec<String> = descriptors()
            .file
            .iter()
            .filter(|f| f.package() == "navarch.v1")
            .flat_map(|f| f.service.iter().map(|s| s.name().to_string()))
            .collect();
        for name in [
            "ClusterService",
            "SwitchService",
            "TopologyService",
            "AppService",
            "EventService",
        ] {
            assert!(
                services.iter().any(|s| s == name),
                "{name} missing: {services:?}"
            );
        }
    }

    /// Every message, field, enum value, service and method of the API has a comment: the
    /// protos are the API's reference documentation (docs/API.md is made from them).
    #[test]
    fn every_element_is_documented() {
        let mut undocumented = Vec::new();
        for file in descriptors()
            .file
            .iter()
            .filter(|f| f.package() == "navarch.v1")
        {
            let info = file.source_code_info.as_ref().expect("source info kept");
            let documented: std::collections::BTreeSet<Vec<i32>> = info
                .location
                .iter()
                .filter(|l| {
                    !l.leading_comments().trim().is_empty()
                        || !l.trailing_comments().trim().is_empty()
                })
                .map(|l| l.path.clone())
                .collect();
            let mut need = |path: Vec<i32>, what: String| {
                if !documented.contains(&path) {
                    undocumented.push(format!("{}: {what}", file.name()));
                }
            };
            // FileDescriptorProto: message_type = 4, enum_type = 5, service = 6;
            // DescriptorProto.field = 2; EnumDescriptorProto.value = 2;
            // ServiceDescriptorProto.method = 2.
            for (i, m) in file.message_type.iter().enumerate() {
                let i = i as i32;
                need(vec![4, i], format!("message {}", m.name()));
                for (j, f) in m.field.iter().enumerate() {
                    need(
                        vec![4, i, 2, j as i32],
                        format!("field {}.{}", m.name(), f.name()),
                    );
                }
            }
            for (i, e) in file.enum_type.iter().enumerate() {
                let i = i as i32;
                need(vec![5, i], format!("enum {}", e.name()));
                for (j, v) in e.value.iter().enumerate() {
                    need(vec![5, i, 2, j as i32], format!("value {}", v.name()));
                }
            }
            for (i, s) in file.service.iter().enumerate() {
                let i = i as i32;
                need(vec![6, i], format!("service {}", s.name()));
                for (j, m) in s.method.iter().enumerate() {
                    need(
                        vec![6, i, 2, j as i32],
                        format!("method {}.{}", s.name(), m.name()),
                    );
                }
            }
        }
        assert!(
            undocumented.is_empty(),
            "undocumented:\n{}",
            undocumented.join("\n")
        );
    }
}
