//! `TopologyService`: links, hosts and paths.

use std::collections::BTreeSet;
use std::str::FromStr;

use navarch_app::HostInfo;
use navarch_proto::v1::{self as pb, topology_service_server::TopologyService};
use openflow::{DatapathId, MacAddr, PortNo};
use tonic::{Request, Response, Status};

use super::{invalid, page, stopped};
use crate::runtime::{ApiHandle, ReadView};
use crate::store::MacText;
use crate::topology::LinkEnd;

/// The service.
pub(super) struct Topology {
    api: ApiHandle,
}

impl Topology {
    pub(super) fn new(api: ApiHandle) -> Topology {
        Topology { api }
    }
}

fn endpoint(e: LinkEnd) -> pb::Endpoint {
    pb::Endpoint {
        dpid: e.dpid.0,
        port: e.port.0,
    }
}

/// A host's sort key: MAC, then VLAN with untagged first.
fn host_key(h: &HostInfo) -> ([u8; 6], u32) {
    (h.mac.0, h.vlan.map_or(0, |v| u32::from(v) + 1))
}

fn host(h: &HostInfo) -> pb::Host {
    pb::Host {
        mac: MacText(h.mac.0).to_string(),
        vlan: h.vlan.map(u32::from),
        attached: Some(pb::Endpoint {
            dpid: h.dpid.0,
            port: h.port.0,
        }),
        addresses: h
            .ipv4
            .iter()
            .map(ToString::to_string)
            .chain(h.ipv6.iter().map(ToString::to_string))
            .collect(),
    }
}

/// One end of a path: a switch, or a host at a switch port.
#[derive(Clone, Copy)]
struct PathEnd {
    dpid: DatapathId,
    port: Option<PortNo>,
}

/// Resolves a `from`/`to` text against the view.
fn resolve(view: &ReadView<'_>, field: &str, text: &str) -> Result<PathEnd, Status> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    let hosts = view.topology().host_table().hosts();
    let at = |found: Vec<&HostInfo>, what: &str| match found.as_slice() {
        [] => Err(Status::not_found(format!(
            "{field}: no known host has {what} {text}"
        ))),
        [h] => Ok(PathEnd {
            dpid: h.dpid,
            port: Some(h.port),
        }),
        _ => Err(invalid(
            field,
            format!(
                "{text} is ambiguous: {} hosts have that {what}",
                found.len()
            ),
        )),
    };
    // Six colon-separated bytes are a MAC; eight (or a number) a datapath id.
    if text.split(':').count() == 6
        && let Ok(mac) = MacAddr::from_str(text)
    {
        return at(
            hosts.iter().filter(|h| h.mac == mac).collect(),
            "MAC address",
        );
    }
    if let Ok(ip) = std::net::IpAddr::from_str(text) {
        let found = hosts
            .iter()
            .filter(|h| match ip {
                std::net::IpAddr::V4(a) => h.ipv4.contains(&a),
                std::net::IpAddr::V6(a) => h.ipv6.contains(&a),
            })
            .collect();
        return at(found, "IP address");
    }
    match DatapathId::from_str(text) {
        Ok(dpid) if view.topology().switch(dpid).is_some() => Ok(PathEnd { dpid, port: None }),
        Ok(dpid) => Err(Status::not_found(format!(
            "{field}: no switch with datapath id {dpid} is connected"
        ))),
        Err(_) => Err(invalid(
            field,
            format!("{text:?} is neither a MAC address, an IP address nor a datapath id"),
        )),
    }
}

/// The hops from one end to the other over bidirectional links.
fn path(view: &ReadView<'_>, from: PathEnd, to: PathEnd) -> Result<pb::Path, Status> {
    let topo = view.topology();
    let outs = topo.graph().path(from.dpid, to.dpid).ok_or_else(|| {
        Status::failed_precondition(format!(
            "no bidirectional links connect {} and {}",
            from.dpid, to.dpid
        ))
    })?;
    let mut hops = Vec::new();
    let mut in_port = from.port.map_or(0, |p| p.0);
    for out in outs {
        hops.push(pb::Hop {
            dpid: out.dpid.0,
            in_port,
            out_port: out.port.0,
        });
        in_port = topo
            .graph()
            .edges(out.dpid)
            .iter()
            .find(|e| e.port == out.port)
            .map_or(0, |e| e.peer_port.0);
    }
    hops.push(pb::Hop {
        dpid: to.dpid.0,
        in_port,
        out_port: to.port.map_or(0, |p| p.0),
    });
    Ok(pb::Path { hops })
}

#[tonic::async_trait]
impl TopologyService for Topology {
    async fn list_links(
        &self,
        _request: Request<pb::ListLinksRequest>,
    ) -> Result<Response<pb::ListLinksResponse>, Status> {
        let response = self
            .api
            .read(|v| {
                let topo = v.topology();
                let tree: BTreeSet<(LinkEnd, LinkEnd)> = topo
                    .graph()
                    .tree_links()
                    .iter()
                    .flat_map(|(a, b)| [(*a, *b), (*b, *a)])
                    .collect();
                let all: BTreeSet<(LinkEnd, LinkEnd)> =
                    topo.links().links().map(|l| (l.src, l.dst)).collect();
                let mut links = Vec::new();
                for &(src, dst) in &all {
                    let both = all.contains(&(dst, src));
                    if both && dst < src {
                        continue; // listed from its lower end
                    }
                    links.push(pb::Link {
                        a: Some(endpoint(src)),
                        b: Some(endpoint(dst)),
                        bidirectional: both,
                        on_flood_tree: tree.contains(&(src, dst)),
                    });
                }
                pb::ListLinksResponse { links }
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(response))
    }

    async fn list_hosts(
        &self,
        request: Request<pb::ListHostsRequest>,
    ) -> Result<Response<pb::ListHostsResponse>, Status> {
        let r = request.into_inner();
        let scope = format!("hosts:{:?}", r.dpid);
        let after: Option<([u8; 6], u32)> = match page::position(&scope, &r.page_token)? {
            Some(p) => {
                let bad = || invalid("page_token", "not a token returned by this call");
                let (mac, vlan) = p.split_once('/').ok_or_else(bad)?;
                let mac = MacAddr::from_str(mac).map_err(|_| bad())?;
                Some((mac.0, vlan.parse().map_err(|_| bad())?))
            }
            None => None,
        };
        let size = page::SMALL.size(r.page_size);
        let response = self
            .api
            .read(move |v| {
                let mut hosts = v.topology().host_table().hosts();
                hosts.retain(|h| r.dpid.is_none_or(|d| h.dpid.0 == d));
                hosts.sort_by_key(host_key);
                let mut page: Vec<&HostInfo> = hosts
                    .iter()
                    .filter(|h| after.is_none_or(|a| host_key(h) > a))
                    .take(size + 1)
                    .collect();
                let more = page.len() > size;
                page.truncate(size);
                let next_page_token = match (more, page.last()) {
                    (true, Some(last)) => {
                        let (mac, vlan) = host_key(last);
                        page::token(&scope, &format!("{}/{vlan}", MacText(mac)))
                    }
                    _ => String::new(),
                };
                pb::ListHostsResponse {
                    hosts: page.into_iter().map(host).collect(),
                    next_page_token,
                }
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(response))
    }

    async fn get_path(
        &self,
        request: Request<pb::GetPathRequest>,
    ) -> Result<Response<pb::Path>, Status> {
        let r = request.into_inner();
        let result = self
            .api
            .read(move |v| {
                let from = resolve(v, "from", &r.from)?;
                let to = resolve(v, "to", &r.to)?;
                path(v, from, to)
            })
            .await
            .map_err(stopped)?;
        result.map(Response::new)
    }
}
