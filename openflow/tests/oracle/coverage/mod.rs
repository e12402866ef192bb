//! Which kinds of things the corpora use: every message body, experimenter message,
//! multipart request and reply type, action, instruction, match field (exact and masked),
//! set-field target, meter band, table-features property, error type, command, reason and
//! role. The matches below have no wildcard arm, so a new variant in the crate stops this
//! from compiling until the corpus covers it.

use std::collections::BTreeSet;

use openflow::msg::*;
use openflow::{Action, Body, ErrorCode, Instruction, Message, OxmField};

use super::super::Case;

mod required;
use required::required;

#[derive(Default)]
struct Seen(BTreeSet<String>);

impl Seen {
    fn add(&mut self, kind: impl Into<String>) {
        self.0.insert(kind.into());
    }

    fn message(&mut self, m: &Message) {
        use Body as B;
        let kind = match &m.body {
            B::Hello(h) => {
                for e in &h.elements {
                    self.add(match e {
                        HelloElement::VersionBitmap(_) => "HelloElement::VersionBitmap",
                        HelloElement::Unknown { .. } => "HelloElement::Unknown",
                    });
                }
                "Hello"
            }
            B::Error(e) => {
                self.error_code(e.code);
                "Error"
            }
            B::EchoRequest(_) => "EchoRequest",
            B::EchoReply(_) => "EchoReply",
            B::Experimenter(e) => {
                let kind = match e {
                    Experimenter::BundleControl(c) => {
                        self.add(format!("BundleCtrlType::{:?}", c.ctrl_type));
                        self.bundle_props(&c.properties);
                        "Experimenter::BundleControl"
                    }
                    Experimenter::BundleAdd(a) => {
                        self.bundle_props(&a.properties);
                        self.add(format!("BundleAdd of {}", a.message.body.title()));
                        self.message(&a.message);
                        "Experimenter::BundleAdd"
                    }
                    Experimenter::Other { .. } => "Experimenter::Other",
                };
                self.add(kind);
                "Experimenter"
            }
            B::FeaturesRequest => "FeaturesRequest",
            B::FeaturesReply(_) => "FeaturesReply",
            B::GetConfigRequest => "GetConfigRequest",
            B::GetConfigReply(_) => "GetConfigReply",
            B::SetConfig(_) => "SetConfig",
            B::PacketIn(p) => {
                self.add(format!("PacketInReason::{:?}", p.reason));
                self.add(if p.buffer_id == openflow::BufferId::NO_BUFFER {
                    "PacketIn unbuffered"
                } else {
                    "PacketIn buffered"
                });
                self.fields(&p.match_.fields);
                "PacketIn"
            }
            B::FlowRemoved(f) => {
                self.add(format!("FlowRemovedReason::{:?}", f.reason));
                self.fields(&f.match_.fields);
                "FlowRemoved"
            }
            B::PortStatus(p) => {
                self.add(format!("PortReason::{:?}", p.reason));
                "PortStatus"
            }
            B::PacketOut(p) => {
                self.add(if p.buffer_id == openflow::BufferId::NO_BUFFER {
                    "PacketOut unbuffered"
                } else {
                    "PacketOut buffered"
                });
                self.actions(&p.actions);
                "PacketOut"
            }
            B::FlowMod(f) => {
                self.add(format!("FlowModCommand::{:?}", f.command));
                for (flag, name) in FlowModFlags::KNOWN {
                    if f.flags.contains(*flag) {
                        self.add(format!("FlowModFlags::{name}"));
                    }
                }
                self.fields(&f.match_.fields);
                self.instructions(&f.instructions);
                "FlowMod"
            }
            B::GroupMod(g) => {
                self.add(format!("GroupModCommand::{:?}", g.command));
                self.add(format!("GroupType::{:?}", g.group_type));
                self.buckets(&g.buckets);
                "GroupMod"
            }
            B::PortMod(_) => "PortMod",
            B::TableMod(_) => "TableMod",
            B::MultipartRequest(r) => {
                if r.is_more() {
                    self.add("REQ_MORE");
                }
                self.request(&r.body);
                "MultipartRequest"
            }
            B::MultipartReply(r) => {
                if r.is_more() {
                    self.add("REPLY_MORE");
                }
                self.reply(&r.body);
                "MultipartReply"
            }
            B::BarrierRequest => "BarrierRequest",
            B::BarrierReply => "BarrierReply",
            B::QueueGetConfigRequest(_) => "QueueGetConfigRequest",
            B::QueueGetConfigReply(r) => {
                for q in &r.queues {
                    for p in &q.properties {
                        self.add(match p {
                            QueueProp::MinRate(_) => "QueueProp::MinRate",
                            QueueProp::MaxRate(_) => "QueueProp::MaxRate",
                            QueueProp::Experimenter { .. } => "QueueProp::Experimenter",
                            QueueProp::Unknown { .. } => "QueueProp::Unknown",
                        });
                    }
                }
                "QueueGetConfigReply"
            }
            B::RoleRequest(r) => {
                self.add(format!("ControllerRole::{:?}", r.role));
                "RoleRequest"
            }
            B::RoleReply(r) => {
                self.add(format!("ControllerRole::{:?}", r.role));
                "RoleReply"
            }
            B::GetAsyncRequest => "GetAsyncRequest",
            B::GetAsyncReply(_) => "GetAsyncReply",
            B::SetAsync(_) => "SetAsync",
            B::MeterMod(m) => {
                self.add(format!("MeterModCommand::{:?}", m.command));
                for (flag, name) in MeterFlags::KNOWN {
                    if m.flags.contains(*flag) {
                        self.add(format!("MeterFlags::{name}"));
                    }
                }
                self.bands(&m.bands);
                "MeterMod"
            }
            B::Unknown { .. } => "Unknown",
        };
        self.add(format!("Body::{kind}"));
    }

    fn error_code(&mut self, code: ErrorCode) {
        let t = match code {
            ErrorCode::HelloFailed(_) => "HelloFailed",
            ErrorCode::BadRequest(_) => "BadRequest",
            ErrorCode::BadAction(_) => "BadAction",
            ErrorCode::BadInstruction(_) => "BadInstruction",
            ErrorCode::BadMatch(_) => "BadMatch",
            ErrorCode::FlowModFailed(_) => "FlowModFailed",
            ErrorCode::GroupModFailed(_) => "GroupModFailed",
            ErrorCode::PortModFailed(_) => "PortModFailed",
            ErrorCode::TableModFailed(_) => "TableModFailed",
            ErrorCode::QueueOpFailed(_) => "QueueOpFailed",
            ErrorCode::SwitchConfigFailed(_) => "SwitchConfigFailed",
            ErrorCode::RoleRequestFailed(_) => "RoleRequestFailed",
            ErrorCode::MeterModFailed(_) => "MeterModFailed",
            ErrorCode::TableFeaturesFailed(_) => "TableFeaturesFailed",
            ErrorCode::Experimenter { .. } => "Experimenter",
            ErrorCode::Unknown { .. } => "Unknown",
        };
        self.add(format!("ErrorCode::{t}"));
        self.add(format!("error {code}"));
    }

    fn bundle_props(&mut self, props: &[BundleProp]) {
        for p in props {
            self.add(match p {
                BundleProp::Experimenter { .. } => "BundleProp::Experimenter",
                BundleProp::Unknown { .. } => "BundleProp::Unknown",
            });
        }
    }

    fn buckets(&mut self, buckets: &[Bucket]) {
        for b in buckets {
            if b.watch_port != openflow::PortNo::ANY {
                self.add("Bucket watch_port");
            }
            if b.watch_group != openflow::GroupId::ANY {
                self.add("Bucket watch_group");
            }
            self.actions(&b.actions);
        }
    }

    fn bands(&mut self, bands: &[MeterBand]) {
        for b in bands {
            self.add(match b {
                MeterBand::Drop { .. } => "MeterBand::Drop",
                MeterBand::DscpRemark { .. } => "MeterBand::DscpRemark",
                MeterBand::Experimenter { .. } => "MeterBand::Experimenter",
                MeterBand::Unknown { .. } => "MeterBand::Unknown",
            });
        }
    }

    fn instructions(&mut self, list: &[Instruction]) {
        for i in list {
            let kind = match i {
                Instruction::GotoTable(_) => "GotoTable",
                Instruction::WriteMetadata { .. } => "WriteMetadata",
                Instruction::WriteActions(a) => {
                    self.actions(a);
                    "WriteActions"
                }
                Instruction::ApplyActions(a) => {
                    self.actions(a);
                    "ApplyActions"
                }
                Instruction::ClearActions => "ClearActions",
                Instruction::Meter(_) => "Meter",
                Instruction::Experimenter { .. } => "Experimenter",
                Instruction::Unknown { .. } => "Unknown",
            };
            self.add(format!("Instruction::{kind}"));
        }
    }

    fn actions(&mut self, list: &[Action]) {
        for a in list {
            let kind = match a {
                Action::Output { .. } => "Output",
                Action::CopyTtlOut => "CopyTtlOut",
                Action::CopyTtlIn => "CopyTtlIn",
                Action::SetMplsTtl(_) => "SetMplsTtl",
                Action::DecMplsTtl => "DecMplsTtl",
                Action::PushVlan(_) => "PushVlan",
                Action::PopVlan => "PopVlan",
                Action::PushMpls(_) => "PushMpls",
                Action::PopMpls(_) => "PopMpls",
                Action::SetQueue(_) => "SetQueue",
                Action::Group(_) => "Group",
                Action::SetNwTtl(_) => "SetNwTtl",
                Action::DecNwTtl => "DecNwTtl",
                Action::SetField(f) => {
                    self.add(format!("set_field {}", field_kind(f).0));
                    "SetField"
                }
                Action::PushPbb(_) => "PushPbb",
                Action::PopPbb => "PopPbb",
                Action::Experimenter { .. } => "Experimenter",
                Action::Unknown { .. } => "Unknown",
            };
            self.add(format!("Action::{kind}"));
        }
    }

    fn fields(&mut self, fields: &[OxmField]) {
        for f in fields {
            let (kind, masked) = field_kind(f);
            self.add(format!("OxmField::{kind}"));
            if masked {
                self.add(format!("OxmField::{kind}/masked"));
            }
        }
    }

    fn request(&mut self, body: &MultipartRequestBody) {
        use MultipartRequestBody as R;
        let kind = match body {
            R::Desc => "Desc",
            R::Flow(r) => {
                self.fields(&r.match_.fields);
                "Flow"
            }
            R::Aggregate(r) => {
                self.fields(&r.match_.fields);
                "Aggregate"
            }
            R::Table => "Table",
            R::PortStats(_) => "PortStats",
            R::Queue(_) => "Queue",
            R::Group(_) => "Group",
            R::GroupDesc => "GroupDesc",
            R::GroupFeatures => "GroupFeatures",
            R::Meter(_) => "Meter",
            R::MeterConfig(_) => "MeterConfig",
            R::MeterFeatures => "MeterFeatures",
            R::TableFeatures(t) => {
                self.table_features(t);
                if t.is_empty() {
                    "TableFeatures query"
                } else {
                    "TableFeatures set"
                }
            }
            R::PortDesc => "PortDesc",
            R::Experimenter { .. } => "Experimenter",
            R::Unknown { .. } => "Unknown",
        };
        self.add(format!("MultipartRequest::{kind}"));
    }

    fn reply(&mut self, body: &MultipartReplyBody) {
        use MultipartReplyBody as R;
        let kind = match body {
            R::Desc(_) => "Desc",
            R::Flow(v) => {
                for s in v {
                    self.fields(&s.match_.fields);
                    self.instructions(&s.instructions);
                }
                "Flow"
            }
            R::Aggregate(_) => "Aggregate",
            R::Table(_) => "Table",
            R::PortStats(_) => "PortStats",
            R::Queue(_) => "Queue",
            R::Group(_) => "Group",
            R::GroupDesc(v) => {
                for g in v {
                    self.buckets(&g.buckets);
                }
                "GroupDesc"
            }
            R::GroupFeatures(_) => "GroupFeatures",
            R::Meter(_) => "Meter",
            R::MeterConfig(v) => {
                for m in v {
                    self.bands(&m.bands);
                }
                "MeterConfig"
            }
            R::MeterFeatures(_) => "MeterFeatures",
            R::TableFeatures(t) => {
                self.table_features(t);
                "TableFeatures"
            }
            R::PortDesc(_) => "PortDesc",
            R::Experimenter { .. } => "Experimenter",
            R::Unknown { .. } => "Unknown",
        };
        self.add(format!("MultipartReply::{kind}"));
    }

    fn table_features(&mut self, tables: &[TableFeatures]) {
        use TableFeatureProp as P;
        for t in tables {
            for p in &t.properties {
                let kind = match p {
                    P::Instructions(_) => "Instructions",
                    P::InstructionsMiss(_) => "InstructionsMiss",
                    P::NextTables(_) => "NextTables",
                    P::NextTablesMiss(_) => "NextTablesMiss",
                    P::WriteActions(_) => "WriteActions",
                    P::WriteActionsMiss(_) => "WriteActionsMiss",
                    P::ApplyActions(_) => "ApplyActions",
                    P::ApplyActionsMiss(_) => "ApplyActionsMiss",
                    P::Match(_) => "Match",
                    P::Wildcards(_) => "Wildcards",
                    P::WriteSetfield(_) => "WriteSetfield",
                    P::WriteSetfieldMiss(_) => "WriteSetfieldMiss",
                    P::ApplySetfield(_) => "ApplySetfield",
                    P::ApplySetfieldMiss(_) => "ApplySetfieldMiss",
                    P::Experimenter { .. } => "Experimenter",
                    P::ExperimenterMiss { .. } => "ExperimenterMiss",
                    P::Unknown { .. } => "Unknown",
                };
                self.add(format!("TableFeatureProp::{kind}"));
            }
        }
    }
}

/// A field's kind and whether it carries a mask.
fn field_kind(f: &OxmField) -> (&'static str, bool) {
    use OxmField as F;
    match f {
        F::InPort(_) => ("InPort", false),
        F::InPhyPort(_) => ("InPhyPort", false),
        F::Metadata(_, m) => ("Metadata", m.is_some()),
        F::EthDst(_, m) => ("EthDst", m.is_some()),
        F::EthSrc(_, m) => ("EthSrc", m.is_some()),
        F::EthType(_) => ("EthType", false),
        F::VlanVid(_, m) => ("VlanVid", m.is_some()),
        F::VlanPcp(_) => ("VlanPcp", false),
        F::IpDscp(_) => ("IpDscp", false),
        F::IpEcn(_) => ("IpEcn", false),
        F::IpProto(_) => ("IpProto", false),
        F::Ipv4Src(_, m) => ("Ipv4Src", m.is_some()),
        F::Ipv4Dst(_, m) => ("Ipv4Dst", m.is_some()),
        F::TcpSrc(_, m) => ("TcpSrc", m.is_some()),
        F::TcpDst(_, m) => ("TcpDst", m.is_some()),
        F::UdpSrc(_, m) => ("UdpSrc", m.is_some()),
        F::UdpDst(_, m) => ("UdpDst", m.is_some()),
        F::SctpSrc(_, m) => ("SctpSrc", m.is_some()),
        F::SctpDst(_, m) => ("SctpDst", m.is_some()),
        F::Icmpv4Type(_) => ("Icmpv4Type", false),
        F::Icmpv4Code(_) => ("Icmpv4Code", false),
        F::ArpOp(_) => ("ArpOp", false),
        F::ArpSpa(_, m) => ("ArpSpa", m.is_some()),
        F::ArpTpa(_, m) => ("ArpTpa", m.is_some()),
        F::ArpSha(_, m) => ("ArpSha", m.is_some()),
        F::ArpTha(_, m) => ("ArpTha", m.is_some()),
        F::Ipv6Src(_, m) => ("Ipv6Src", m.is_some()),
        F::Ipv6Dst(_, m) => ("Ipv6Dst", m.is_some()),
        F::Ipv6Flabel(_, m) => ("Ipv6Flabel", m.is_some()),
        F::Icmpv6Type(_) => ("Icmpv6Type", false),
        F::Icmpv6Code(_) => ("Icmpv6Code", false),
        F::Ipv6NdTarget(_, m) => ("Ipv6NdTarget", m.is_some()),
        F::Ipv6NdSll(_, m) => ("Ipv6NdSll", m.is_some()),
        F::Ipv6NdTll(_, m) => ("Ipv6NdTll", m.is_some()),
        F::MplsLabel(_) => ("MplsLabel", false),
        F::MplsTc(_) => ("MplsTc", false),
        F::MplsBos(_) => ("MplsBos", false),
        F::PbbIsid(_, m) => ("PbbIsid", m.is_some()),
        F::TunnelId(_, m) => ("TunnelId", m.is_some()),
        F::Ipv6Exthdr(_, m) => ("Ipv6Exthdr", m.is_some()),
        F::TunIpv4Src(_, m) => ("TunIpv4Src", m.is_some()),
        F::TunIpv4Dst(_, m) => ("TunIpv4Dst", m.is_some()),
        F::Reg(_, _, m) => ("Reg", m.is_some()),
        F::Unknown(_) => ("Unknown", false),
    }
}

/// Panics with every kind the cases do not use.
pub fn check(cases: &[Case]) {
    let mut seen = Seen::default();
    for c in cases {
        seen.message(&c.msg);
    }
    let missing: Vec<String> = required()
        .into_iter()
        .filter(|k| !seen.0.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "the corpora do not cover {} kind(s):\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}
