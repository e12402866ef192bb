//! `TenantService`: tenants, networks, logical ports and chassis.

use std::net::{IpAddr, Ipv4Addr};

use navarch_proto::v1::{self as pb, tenant_service_server::TenantService};
use segmentation::model::{
    Chassis, LogicalPort, Model, ModelCommand, Network, Segment, Subnet, Tenant, fmt_mac,
};
use tonic::{Request, Response, Status};

use super::{confirm_applied, invalid, stopped, write_status};
use crate::runtime::{ApiHandle, Write};

/// The default name of a chassis's VXLAN port.
pub const DEFAULT_TUNNEL_PORT: &str = "vxlan0";

/// The service.
pub(super) struct Tenants {
    api: ApiHandle,
}

impl Tenants {
    pub(super) fn new(api: ApiHandle) -> Tenants {
        Tenants { api }
    }

    async fn write(&self, cmd: ModelCommand, confirm: i32) -> Result<u64, Status> {
        let confirm = confirm_applied(confirm)?;
        self.api
            .write(Write::Tenant { cmd, confirm })
            .await
            .map(|w| w.revision)
            .map_err(write_status)
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Model) -> T + Send + 'static,
    ) -> Result<T, Status> {
        self.api
            .read(move |v| f(v.state().tenants()))
            .await
            .map_err(stopped)
    }
}

fn tenant_pb(t: &Tenant) -> pb::Tenant {
    pb::Tenant {
        name: t.name.clone(),
        description: t.description.clone(),
    }
}

fn network_pb(n: &Network) -> pb::Network {
    pb::Network {
        name: n.name.clone(),
        tenant: n.tenant.clone(),
        segment: Some(match n.segment {
            Segment::Vxlan(vni) => pb::network::Segment::Vni(vni),
            Segment::Vlan(vid) => pb::network::Segment::Vlan(u32::from(vid)),
        }),
        subnets: n.subnets.iter().map(|s| s.to_string()).collect(),
        tag: u32::from(n.tag),
    }
}

fn port_pb(p: &LogicalPort) -> pb::LogicalPort {
    pb::LogicalPort {
        name: p.name.clone(),
        network: p.network.clone(),
        dpid: p.dpid,
        iface: p.iface.clone(),
        mac: fmt_mac(p.mac),
        ips: p.ips.iter().map(|ip| ip.to_string()).collect(),
    }
}

fn chassis_pb(c: &Chassis) -> pb::Chassis {
    pb::Chassis {
        dpid: c.dpid,
        name: c.name.clone(),
        tunnel_ip: c.tunnel_ip.to_string(),
        tunnel_port: c.tunnel_port.clone(),
    }
}

fn required<T>(field: &str, value: Option<T>) -> Result<T, Status> {
    value.ok_or_else(|| invalid(field, "is required"))
}

fn parse_network(n: pb::Network) -> Result<Network, Status> {
    let segment = match n.segment {
        Some(pb::network::Segment::Vni(vni)) => Segment::Vxlan(vni),
        Some(pb::network::Segment::Vlan(vid)) => {
            Segment::Vlan(u16::try_from(vid).map_err(|_| {
                invalid("network.vlan", format!("{vid} is out of range (1 to 4094)"))
            })?)
        }
        None => return Err(invalid("network.segment", "give a vni or a vlan")),
    };
    let subnets = n
        .subnets
        .iter()
        .map(|s| s.parse::<Subnet>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("network.subnets", e))?;
    Ok(Network {
        name: n.name,
        tenant: n.tenant,
        segment,
        subnets,
        tag: 0,
    })
}

/// A MAC address from "aa:bb:cc:dd:ee:ff".
pub fn parse_mac(field: &str, text: &str) -> Result<[u8; 6], Status> {
    text.parse::<openflow::MacAddr>()
        .map(|m| m.0)
        .map_err(|_| invalid(field, format!("{text:?} is not a MAC address")))
}

fn parse_port(p: pb::LogicalPort) -> Result<LogicalPort, Status> {
    let mac = parse_mac("port.mac", &p.mac)?;
    let ips = p
        .ips
        .iter()
        .map(|ip| {
            ip.parse::<IpAddr>()
                .map_err(|_| invalid("port.ips", format!("{ip:?} is not an IP address")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LogicalPort {
        name: p.name,
        network: p.network,
        dpid: p.dpid,
        iface: p.iface,
        mac,
        ips,
    })
}

fn parse_chassis(c: pb::Chassis) -> Result<Chassis, Status> {
    let tunnel_ip: Ipv4Addr = c.tunnel_ip.parse().map_err(|_| {
        invalid(
            "chassis.tunnel_ip",
            format!("{:?} is not an IPv4 address", c.tunnel_ip),
        )
    })?;
    Ok(Chassis {
        dpid: c.dpid,
        name: c.name,
        tunnel_ip,
        tunnel_port: if c.tunnel_port.is_empty() {
            DEFAULT_TUNNEL_PORT.to_owned()
        } else {
            c.tunnel_port
        },
    })
}

fn deleted(revision: u64) -> Response<pb::WriteResponse> {
    Response::new(pb::WriteResponse { revision })
}

#[tonic::async_trait]
impl TenantService for Tenants {
    async fn list_tenants(
        &self,
        _request: Request<pb::ListTenantsRequest>,
    ) -> Result<Response<pb::ListTenantsResponse>, Status> {
        let tenants = self.read(|m| m.tenants().map(tenant_pb).collect()).await?;
        Ok(Response::new(pb::ListTenantsResponse { tenants }))
    }

    async fn put_tenant(
        &self,
        request: Request<pb::PutTenantRequest>,
    ) -> Result<Response<pb::Tenant>, Status> {
        let t = required("tenant", request.into_inner().tenant)?;
        let tenant = Tenant {
            name: t.name,
            description: t.description,
        };
        self.write(ModelCommand::TenantPut(tenant.clone()), 0)
            .await?;
        Ok(Response::new(tenant_pb(&tenant)))
    }

    async fn delete_tenant(
        &self,
        request: Request<pb::DeleteTenantRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let name = request.into_inner().name;
        self.write(ModelCommand::TenantDelete { name }, 0)
            .await
            .map(deleted)
    }

    async fn list_networks(
        &self,
        request: Request<pb::ListNetworksRequest>,
    ) -> Result<Response<pb::ListNetworksResponse>, Status> {
        let tenant = request.into_inner().tenant;
        let networks = self
            .read(move |m| {
                m.networks()
                    .filter(|n| tenant.is_empty() || n.tenant == tenant)
                    .map(network_pb)
                    .collect()
            })
            .await?;
        Ok(Response::new(pb::ListNetworksResponse { networks }))
    }

    async fn get_network(
        &self,
        request: Request<pb::GetNetworkRequest>,
    ) -> Result<Response<pb::NetworkDetail>, Status> {
        let name = request.into_inner().name;
        self.read(move |m| {
            let n = m
                .network(&name)
                .ok_or_else(|| Status::not_found(format!("name: no network named {name:?}")))?;
            Ok(pb::NetworkDetail {
                network: Some(network_pb(n)),
                ports: m.ports_of(n.tag).map(port_pb).collect(),
                dpids: m.switches_of(n.tag).collect(),
            })
        })
        .await?
        .map(Response::new)
    }

    async fn put_network(
        &self,
        request: Request<pb::PutNetworkRequest>,
    ) -> Result<Response<pb::Network>, Status> {
        let r = request.into_inner();
        let net = parse_network(required("network", r.network)?)?;
        let name = net.name.clone();
        self.write(ModelCommand::NetworkPut(net), r.confirm).await?;
        self.read(move |m| m.network(&name).map(network_pb))
            .await?
            .map(Response::new)
            .ok_or_else(|| Status::aborted("the network was deleted meanwhile"))
    }

    async fn delete_network(
        &self,
        request: Request<pb::DeleteNetworkRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let r = request.into_inner();
        self.write(ModelCommand::NetworkDelete { name: r.name }, r.confirm)
            .await
            .map(deleted)
    }

    async fn list_ports(
        &self,
        request: Request<pb::ListPortsRequest>,
    ) -> Result<Response<pb::ListPortsResponse>, Status> {
        let r = request.into_inner();
        let ports = self
            .read(move |m| {
                m.ports()
                    .filter(|p| r.network.is_empty() || p.network == r.network)
                    .filter(|p| r.dpid == 0 || p.dpid == r.dpid)
                    .map(port_pb)
                    .collect()
            })
            .await?;
        Ok(Response::new(pb::ListPortsResponse { ports }))
    }

    async fn put_port(
        &self,
        request: Request<pb::PutPortRequest>,
    ) -> Result<Response<pb::LogicalPort>, Status> {
        let r = request.into_inner();
        let port = parse_port(required("port", r.port)?)?;
        let name = port.name.clone();
        self.write(ModelCommand::PortPut(port), r.confirm).await?;
        self.read(move |m| m.port(&name).map(port_pb))
            .await?
            .map(Response::new)
            .ok_or_else(|| Status::aborted("the port was deleted meanwhile"))
    }

    async fn delete_port(
        &self,
        request: Request<pb::DeletePortRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let r = request.into_inner();
        self.write(ModelCommand::PortDelete { name: r.name }, r.confirm)
            .await
            .map(deleted)
    }

    async fn list_chassis(
        &self,
        _request: Request<pb::ListChassisRequest>,
    ) -> Result<Response<pb::ListChassisResponse>, Status> {
        let chassis = self.read(|m| m.chassis().map(chassis_pb).collect()).await?;
        Ok(Response::new(pb::ListChassisResponse { chassis }))
    }

    async fn put_chassis(
        &self,
        request: Request<pb::PutChassisRequest>,
    ) -> Result<Response<pb::Chassis>, Status> {
        let r = request.into_inner();
        let chassis = parse_chassis(required("chassis", r.chassis)?)?;
        self.write(ModelCommand::ChassisPut(chassis.clone()), r.confirm)
            .await?;
        Ok(Response::new(chassis_pb(&chassis)))
    }

    async fn delete_chassis(
        &self,
        request: Request<pb::DeleteChassisRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let dpid = request.into_inner().dpid;
        self.write(ModelCommand::ChassisDelete { dpid }, 0)
            .await
            .map(deleted)
    }
}
