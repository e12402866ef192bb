//! `navctl tenant ...`: tenants, networks, logical ports and chassis.

use std::time::Duration;

use clap::Subcommand;
use navarch_proto::v1::{self as pb, tenant_service_client::TenantServiceClient};
use openflow::DatapathId;
use tonic::Status;
use tonic::transport::Channel;

use crate::commands::{confirm, dpid_text, req};
use crate::output::{Format, Table, json, line};
use crate::{Wait, parse_dpid};

/// `navctl tenant ...`.
#[derive(Subcommand, Debug)]
pub enum TenantCmd {
    /// Every tenant.
    List,
    /// Create or update a tenant.
    Set {
        /// Its name.
        name: String,
        /// Free text.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Delete a tenant that owns no network.
    Del {
        /// Its name.
        name: String,
    },
    /// Virtual networks.
    #[command(subcommand)]
    Net(NetCmd),
    /// Logical ports (VM interfaces).
    #[command(subcommand)]
    Port(PortCmd),
    /// Hypervisors' tunnel endpoints.
    #[command(subcommand)]
    Chassis(ChassisCmd),
}

/// `navctl tenant net ...`.
#[derive(Subcommand, Debug)]
pub enum NetCmd {
    /// Networks, optionally of one tenant.
    List {
        /// Only this tenant's.
        #[arg(long)]
        tenant: Option<String>,
    },
    /// One network with its ports.
    Show {
        /// Its name.
        name: String,
    },
    /// Create or update a network: a VXLAN overlay (--vni) or a VLAN (--vlan).
    Set {
        /// Its name.
        name: String,
        /// The owning tenant.
        #[arg(long)]
        tenant: String,
        /// VXLAN network identifier.
        #[arg(long, conflicts_with = "vlan", required_unless_present = "vlan")]
        vni: Option<u32>,
        /// VLAN id on the physical fabric.
        #[arg(long)]
        vlan: Option<u32>,
        /// A subnet in CIDR form; repeat for several.
        #[arg(long = "subnet")]
        subnets: Vec<String>,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
    /// Delete a network and its ports.
    Del {
        /// Its name.
        name: String,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
}

/// `navctl tenant port ...`.
#[derive(Subcommand, Debug)]
pub enum PortCmd {
    /// Ports, optionally of one network or switch.
    List {
        /// Only this network's.
        #[arg(long)]
        network: Option<String>,
        /// Only those bound to this switch.
        #[arg(long, value_parser = parse_dpid)]
        dpid: Option<DatapathId>,
    },
    /// Create or update (move, re-address) a logical port.
    Set {
        /// Its name.
        name: String,
        /// Its network.
        #[arg(long)]
        network: String,
        /// The switch it is bound to.
        #[arg(long, value_parser = parse_dpid)]
        dpid: DatapathId,
        /// The OVS interface it is bound to.
        #[arg(long)]
        iface: String,
        /// Its MAC address.
        #[arg(long)]
        mac: String,
        /// An address of it; repeat for several.
        #[arg(long = "ip")]
        ips: Vec<String>,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
    /// Delete a logical port.
    Del {
        /// Its name.
        name: String,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
}

/// `navctl tenant chassis ...`.
#[derive(Subcommand, Debug)]
pub enum ChassisCmd {
    /// Every chassis.
    List,
    /// Register or update a chassis.
    Set {
        /// Its integration bridge's datapath id.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
        /// Its tunnel endpoint address.
        #[arg(long)]
        tunnel_ip: String,
        /// Its VXLAN port's name.
        #[arg(long, default_value = "vxlan0")]
        tunnel_port: String,
        /// A name for people.
        #[arg(long, default_value = "")]
        name: String,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
    /// Delete a chassis.
    Del {
        /// Its datapath id.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
    },
}

fn net_row(n: &pb::Network) -> Vec<String> {
    let segment = match n.segment {
        Some(pb::network::Segment::Vni(v)) => format!("vxlan {v}"),
        Some(pb::network::Segment::Vlan(v)) => format!("vlan {v}"),
        None => "-".into(),
    };
    vec![
        n.name.clone(),
        n.tenant.clone(),
        segment,
        n.subnets.join(","),
        n.tag.to_string(),
    ]
}

const NET_HEADER: &[&str] = &["NAME", "TENANT", "SEGMENT", "SUBNETS", "TAG"];
const PORT_HEADER: &[&str] = &["NAME", "NETWORK", "DPID", "IFACE", "MAC", "IPS"];

fn port_row(p: &pb::LogicalPort) -> Vec<String> {
    vec![
        p.name.clone(),
        p.network.clone(),
        dpid_text(p.dpid),
        p.iface.clone(),
        p.mac.clone(),
        p.ips.join(","),
    ]
}

fn print_written(out: Format, w: &pb::WriteResponse) {
    if out == Format::Json {
        line(&json("navarch.v1.WriteResponse", w));
    } else {
        println!("deleted (revision {})", w.revision);
    }
}

/// Runs `navctl tenant ...`.
pub async fn run(channel: Channel, cmd: TenantCmd, out: Format, t: Duration) -> Result<(), Status> {
    let mut c = TenantServiceClient::new(channel);
    match cmd {
        TenantCmd::List => {
            let r = c
                .list_tenants(req(pb::ListTenantsRequest {}, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListTenantsResponse", &r));
            } else {
                let mut table = Table::new(&["NAME", "DESCRIPTION"]);
                for x in &r.tenants {
                    table.row(vec![x.name.clone(), x.description.clone()]);
                }
                table.print();
            }
        }
        TenantCmd::Set { name, description } => {
            let tenant = Some(pb::Tenant { name, description });
            let r = c
                .put_tenant(req(pb::PutTenantRequest { tenant }, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.Tenant", &r));
            } else {
                println!("tenant {}", r.name);
            }
        }
        TenantCmd::Del { name } => {
            let r = c
                .delete_tenant(req(pb::DeleteTenantRequest { name }, t))
                .await?
                .into_inner();
            print_written(out, &r);
        }
        TenantCmd::Net(cmd) => net(&mut c, cmd, out, t).await?,
        TenantCmd::Port(cmd) => port(&mut c, cmd, out, t).await?,
        TenantCmd::Chassis(cmd) => chassis(&mut c, cmd, out, t).await?,
    }
    Ok(())
}

async fn net(
    c: &mut TenantServiceClient<Channel>,
    cmd: NetCmd,
    out: Format,
    t: Duration,
) -> Result<(), Status> {
    match cmd {
        NetCmd::List { tenant } => {
            let tenant = tenant.unwrap_or_default();
            let r = c
                .list_networks(req(pb::ListNetworksRequest { tenant }, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListNetworksResponse", &r));
            } else {
                let mut table = Table::new(NET_HEADER);
                for n in &r.networks {
                    table.row(net_row(n));
                }
                table.print();
            }
        }
        NetCmd::Show { name } => {
            let r = c
                .get_network(req(pb::GetNetworkRequest { name }, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.NetworkDetail", &r));
            } else {
                let mut table = Table::new(NET_HEADER);
                if let Some(n) = &r.network {
                    table.row(net_row(n));
                }
                table.print();
                let dpids: Vec<String> = r.dpids.iter().map(|d| dpid_text(*d)).collect();
                println!("switches: {}", dpids.join(" "));
                let mut ports = Table::new(PORT_HEADER);
                for p in &r.ports {
                    ports.row(port_row(p));
                }
                ports.print();
            }
        }
        NetCmd::Set {
            name,
            tenant,
            vni,
            vlan,
            subnets,
            wait,
        } => {
            let segment = match (vni, vlan) {
                (Some(v), _) => Some(pb::network::Segment::Vni(v)),
                (None, Some(v)) => Some(pb::network::Segment::Vlan(v)),
                (None, None) => None,
            };
            let network = Some(pb::Network {
                name,
                tenant,
                segment,
                subnets,
                tag: 0,
            });
            let r = c
                .put_network(req(
                    pb::PutNetworkRequest {
                        network,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.Network", &r));
            } else {
                let mut table = Table::new(NET_HEADER);
                table.row(net_row(&r));
                table.print();
            }
        }
        NetCmd::Del { name, wait } => {
            let r = c
                .delete_network(req(
                    pb::DeleteNetworkRequest {
                        name,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            print_written(out, &r);
        }
    }
    Ok(())
}

async fn port(
    c: &mut TenantServiceClient<Channel>,
    cmd: PortCmd,
    out: Format,
    t: Duration,
) -> Result<(), Status> {
    match cmd {
        PortCmd::List { network, dpid } => {
            let r = c
                .list_ports(req(
                    pb::ListPortsRequest {
                        network: network.unwrap_or_default(),
                        dpid: dpid.map_or(0, |d| d.0),
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListPortsResponse", &r));
            } else {
                let mut table = Table::new(PORT_HEADER);
                for p in &r.ports {
                    table.row(port_row(p));
                }
                table.print();
            }
        }
        PortCmd::Set {
            name,
            network,
            dpid,
            iface,
            mac,
            ips,
            wait,
        } => {
            let port = Some(pb::LogicalPort {
                name,
                network,
                dpid: dpid.0,
                iface,
                mac,
                ips,
            });
            let r = c
                .put_port(req(
                    pb::PutPortRequest {
                        port,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.LogicalPort", &r));
            } else {
                let mut table = Table::new(PORT_HEADER);
                table.row(port_row(&r));
                table.print();
            }
        }
        PortCmd::Del { name, wait } => {
            let r = c
                .delete_port(req(
                    pb::DeletePortRequest {
                        name,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            print_written(out, &r);
        }
    }
    Ok(())
}

async fn chassis(
    c: &mut TenantServiceClient<Channel>,
    cmd: ChassisCmd,
    out: Format,
    t: Duration,
) -> Result<(), Status> {
    let header = &["DPID", "NAME", "TUNNEL_IP", "TUNNEL_PORT"];
    let row = |x: &pb::Chassis| {
        vec![
            dpid_text(x.dpid),
            x.name.clone(),
            x.tunnel_ip.clone(),
            x.tunnel_port.clone(),
        ]
    };
    match cmd {
        ChassisCmd::List => {
            let r = c
                .list_chassis(req(pb::ListChassisRequest {}, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListChassisResponse", &r));
            } else {
                let mut table = Table::new(header);
                for x in &r.chassis {
                    table.row(row(x));
                }
                table.print();
            }
        }
        ChassisCmd::Set {
            dpid,
            tunnel_ip,
            tunnel_port,
            name,
            wait,
        } => {
            let chassis = Some(pb::Chassis {
                dpid: dpid.0,
                name,
                tunnel_ip,
                tunnel_port,
            });
            let r = c
                .put_chassis(req(
                    pb::PutChassisRequest {
                        chassis,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.Chassis", &r));
            } else {
                let mut table = Table::new(header);
                table.row(row(&r));
                table.print();
            }
        }
        ChassisCmd::Del { dpid } => {
            let r = c
                .delete_chassis(req(pb::DeleteChassisRequest { dpid: dpid.0 }, t))
                .await?
                .into_inner();
            print_written(out, &r);
        }
    }
    Ok(())
}
