//! Each subcommand: the calls it makes and what it prints.

use std::time::Duration;

use navarch_proto::v1 as pb;
use navarch_proto::v1::app_service_client::AppServiceClient;
use navarch_proto::v1::cluster_service_client::ClusterServiceClient;
use navarch_proto::v1::event_service_client::EventServiceClient;
use navarch_proto::v1::switch_service_client::SwitchServiceClient;
use navarch_proto::v1::topology_service_client::TopologyServiceClient;
use openflow::DatapathId;
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Status};

use crate::output::{Format, Table, json, line};
use crate::{
    AppCmd, Cli, Command, EventKindArg, EventsArgs, FlowCmd, HostCmd, LinkCmd, SwitchCmd, TableCmd,
    TopoCmd, Wait,
};

/// A request with the call deadline.
pub fn req<T>(message: T, timeout: Duration) -> Request<T> {
    let mut r = Request::new(message);
    r.set_timeout(timeout);
    r
}

pub fn confirm(wait: Wait) -> i32 {
    match wait {
        Wait::Committed => pb::Confirm::Committed as i32,
        Wait::Applied => pb::Confirm::Applied as i32,
    }
}

pub fn dpid_text(dpid: u64) -> String {
    DatapathId(dpid).to_string()
}

fn endpoint_text(e: &Option<pb::Endpoint>) -> String {
    e.as_ref().map_or_else(
        || "-".into(),
        |e| format!("{}:{}", dpid_text(e.dpid), e.port),
    )
}

async fn connect(server: &str, timeout: Duration) -> Result<Channel, Status> {
    let url = if server.contains("://") {
        server.to_owned()
    } else {
        format!("http://{server}")
    };
    let endpoint = Endpoint::from_shared(url.clone())
        .map_err(|e| Status::invalid_argument(format!("--server {server:?}: {e}")))?
        .connect_timeout(timeout);
    endpoint
        .connect()
        .await
        .map_err(|e| Status::unavailable(format!("cannot reach {url}: {e}")))
}

/// Runs the command.
pub async fn run(cli: Cli) -> Result<(), Status> {
    let channel = connect(&cli.server, cli.timeout).await?;
    let t = cli.timeout;
    let out = cli.output;
    match cli.command {
        Command::Tenant(cmd) => crate::tenant::run(channel, cmd, out, t).await?,
        Command::Cluster => {
            let c = ClusterServiceClient::new(channel)
                .get_cluster(req(pb::GetClusterRequest {}, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.Cluster", &c));
            } else {
                println!(
                    "node {}  leader {}  revision {}",
                    c.node_id, c.leader_id, c.revision
                );
                let mut table = Table::new(&["ID", "ADDRESS", "ROLE", "HEALTHY", "SWITCHES"]);
                for m in &c.members {
                    let role = pb::Role::try_from(m.role).map_or("unknown", |r| r.as_str_name());
                    table.row(vec![
                        m.id.to_string(),
                        m.address.clone(),
                        role.trim_start_matches("ROLE_").to_lowercase(),
                        m.healthy.to_string(),
                        m.switches.to_string(),
                    ]);
                }
                table.print();
            }
        }
        Command::Switch(SwitchCmd::List) => {
            let mut client = SwitchServiceClient::new(channel);
            let mut all = pb::ListSwitchesResponse::default();
            loop {
                let page = client
                    .list_switches(req(
                        pb::ListSwitchesRequest {
                            page_size: 1000,
                            page_token: all.next_page_token.clone(),
                        },
                        t,
                    ))
                    .await?
                    .into_inner();
                all.switches.extend(page.switches);
                all.next_page_token = page.next_page_token;
                if all.next_page_token.is_empty() {
                    break;
                }
            }
            if out == Format::Json {
                line(&json("navarch.v1.ListSwitchesResponse", &all));
            } else {
                let mut table = Table::new(&[
                    "DPID",
                    "ADDRESS",
                    "PORTS",
                    "TABLES",
                    "CONNECTED",
                    "RECONCILED",
                ]);
                for s in &all.switches {
                    table.row(vec![
                        s.dpid_text.clone(),
                        s.address.clone(),
                        s.ports.len().to_string(),
                        s.n_tables.to_string(),
                        format!("{}s", s.connected_seconds),
                        s.reconciled.to_string(),
                    ]);
                }
                table.print();
            }
        }
        Command::Switch(SwitchCmd::Show { dpid, counters }) => {
            let s = SwitchServiceClient::new(channel)
                .get_switch(req(
                    pb::GetSwitchRequest {
                        dpid: dpid.0,
                        counters,
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.Switch", &s));
            } else {
                println!(
                    "switch {}  {}  {} tables  connected {}s  reconciled {}",
                    s.dpid_text, s.address, s.n_tables, s.connected_seconds, s.reconciled
                );
                let mut header = vec!["PORT", "NAME", "MAC", "STATE", "ROLE", "SPEED"];
                if counters {
                    header.extend([
                        "RX_PKTS", "TX_PKTS", "RX_BYTES", "TX_BYTES", "DROPS", "ERRORS",
                    ]);
                }
                let mut table = Table::new(&header);
                for p in &s.ports {
                    let state = if p.up {
                        "up"
                    } else if p.admin_down {
                        "admin-down"
                    } else {
                        "link-down"
                    };
                    let role = if p.link {
                        "link"
                    } else if p.probing {
                        "probing"
                    } else {
                        "edge"
                    };
                    let mut row = vec![
                        p.port_no.to_string(),
                        p.name.clone(),
                        p.hw_addr.clone(),
                        state.into(),
                        role.into(),
                        format!("{}M", p.curr_speed_kbps / 1000),
                    ];
                    if let Some(c) = &p.counters {
                        row.extend([
                            c.rx_packets.to_string(),
                            c.tx_packets.to_string(),
                            c.rx_bytes.to_string(),
                            c.tx_bytes.to_string(),
                            (c.rx_dropped.wrapping_add(c.tx_dropped)).to_string(),
                            (c.rx_errors.wrapping_add(c.tx_errors)).to_string(),
                        ]);
                    }
                    table.row(row);
                }
                table.print();
            }
        }
        Command::Flow(cmd) => flow(channel, cmd, out, t).await?,
        Command::Group(TableCmd::List { dpid }) => {
            let r = SwitchServiceClient::new(channel)
                .list_groups(req(pb::ListGroupsRequest { dpid: dpid.0 }, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListGroupsResponse", &r));
            } else {
                let mut table = Table::new(&["GROUP", "TYPE", "OWNER", "BUCKETS"]);
                for g in &r.groups {
                    table.row(vec![
                        format!("{:#x}", g.group_id),
                        g.r#type.clone(),
                        g.owner.clone(),
                        g.buckets.join(" "),
                    ]);
                }
                table.print();
            }
        }
        Command::Meter(TableCmd::List { dpid }) => {
            let r = SwitchServiceClient::new(channel)
                .list_meters(req(pb::ListMetersRequest { dpid: dpid.0 }, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListMetersResponse", &r));
            } else {
                let mut table = Table::new(&["METER", "OWNER", "METER_TEXT"]);
                for m in &r.meters {
                    table.row(vec![
                        format!("{:#x}", m.meter_id),
                        m.owner.clone(),
                        m.text.clone(),
                    ]);
                }
                table.print();
            }
        }
        Command::Link(LinkCmd::List) => {
            let r = TopologyServiceClient::new(channel)
                .list_links(req(pb::ListLinksRequest {}, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListLinksResponse", &r));
            } else {
                let mut table = Table::new(&["A", "B", "BIDIRECTIONAL", "FLOOD_TREE"]);
                for l in &r.links {
                    table.row(vec![
                        endpoint_text(&l.a),
                        endpoint_text(&l.b),
                        l.bidirectional.to_string(),
                        l.on_flood_tree.to_string(),
                    ]);
                }
                table.print();
            }
        }
        Command::Host(HostCmd::List { dpid }) => {
            let mut client = TopologyServiceClient::new(channel);
            let mut all = pb::ListHostsResponse::default();
            loop {
                let page = client
                    .list_hosts(req(
                        pb::ListHostsRequest {
                            dpid: dpid.map(|d| d.0),
                            page_size: 1000,
                            page_token: all.next_page_token.clone(),
                        },
                        t,
                    ))
                    .await?
                    .into_inner();
                all.hosts.extend(page.hosts);
                all.next_page_token = page.next_page_token;
                if all.next_page_token.is_empty() {
                    break;
                }
            }
            if out == Format::Json {
                line(&json("navarch.v1.ListHostsResponse", &all));
            } else {
                let mut table = Table::new(&["MAC", "VLAN", "ATTACHED", "ADDRESSES"]);
                for h in &all.hosts {
                    table.row(vec![
                        h.mac.clone(),
                        h.vlan.map_or_else(|| "-".into(), |v| v.to_string()),
                        endpoint_text(&h.attached),
                        h.addresses.join(","),
                    ]);
                }
                table.print();
            }
        }
        Command::Topo(TopoCmd::Path { from, to }) => {
            let p = TopologyServiceClient::new(channel)
                .get_path(req(pb::GetPathRequest { from, to }, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.Path", &p));
            } else {
                let mut table = Table::new(&["HOP", "DPID", "IN_PORT", "OUT_PORT"]);
                for (i, h) in p.hops.iter().enumerate() {
                    let port = |p: u32| if p == 0 { "-".into() } else { p.to_string() };
                    table.row(vec![
                        (i + 1).to_string(),
                        dpid_text(h.dpid),
                        port(h.in_port),
                        port(h.out_port),
                    ]);
                }
                table.print();
            }
        }
        Command::App(cmd) => app(channel, cmd, out, t).await?,
        Command::Events(args) => events(channel, args, out).await?,
        Command::Completions { .. } => {}
    }
    Ok(())
}

async fn flow(channel: Channel, cmd: FlowCmd, out: Format, t: Duration) -> Result<(), Status> {
    let mut client = SwitchServiceClient::new(channel);
    match cmd {
        FlowCmd::List {
            dpid,
            table,
            owner,
            text,
        } => {
            let mut all = pb::ListFlowsResponse::default();
            loop {
                let page = client
                    .list_flows(req(
                        pb::ListFlowsRequest {
                            dpid: dpid.0,
                            table,
                            owner: owner.clone().unwrap_or_default(),
                            page_size: 10000,
                            page_token: all.next_page_token.clone(),
                        },
                        t,
                    ))
                    .await?
                    .into_inner();
                all.flows.extend(page.flows);
                all.next_page_token = page.next_page_token;
                if all.next_page_token.is_empty() {
                    break;
                }
            }
            if out == Format::Json {
                line(&json("navarch.v1.ListFlowsResponse", &all));
            } else if text {
                for f in &all.flows {
                    println!(" {}", f.text);
                }
            } else {
                let mut table = Table::new(&[
                    "TABLE", "PRIORITY", "OWNER", "PACKETS", "BYTES", "AGE", "MATCH", "ACTIONS",
                ]);
                for f in &all.flows {
                    table.row(vec![
                        f.table.to_string(),
                        f.priority.to_string(),
                        f.owner.clone(),
                        f.packet_count.to_string(),
                        f.byte_count.to_string(),
                        format!("{:.0}s", f.duration_seconds.floor()),
                        if f.r#match.is_empty() {
                            "*".into()
                        } else {
                            f.r#match.clone()
                        },
                        f.actions.trim_start_matches("actions=").to_owned(),
                    ]);
                }
                table.print();
            }
        }
        FlowCmd::Add { dpid, flow, wait } => {
            let r = client
                .add_flow(req(
                    pb::AddFlowRequest {
                        dpid: dpid.0,
                        flow,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.AddFlowResponse", &r));
            } else {
                println!("added (cookie {:#x}, revision {})", r.cookie, r.revision);
            }
        }
        FlowCmd::Del {
            dpid,
            flow,
            loose,
            wait,
        } => {
            let r = client
                .delete_flow(req(
                    pb::DeleteFlowRequest {
                        dpid: dpid.0,
                        flow,
                        loose,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.DeleteFlowResponse", &r));
            } else {
                println!("deleted {} (revision {})", r.deleted, r.revision);
            }
        }
    }
    Ok(())
}

async fn app(channel: Channel, cmd: AppCmd, out: Format, t: Duration) -> Result<(), Status> {
    let mut client = AppServiceClient::new(channel);
    let one = match cmd {
        AppCmd::List => {
            let r = client
                .list_apps(req(pb::ListAppsRequest {}, t))
                .await?
                .into_inner();
            if out == Format::Json {
                line(&json("navarch.v1.ListAppsResponse", &r));
            } else {
                let mut table = Table::new(&["NAME", "ENABLED", "GENERATION", "TABLES", "CONFIG"]);
                for a in &r.apps {
                    table.row(app_row(a));
                }
                table.print();
            }
            return Ok(());
        }
        AppCmd::Show { name } => client.get_app(req(pb::GetAppRequest { name }, t)).await?,
        AppCmd::Enable { name, wait } => {
            client
                .enable_app(req(
                    pb::EnableAppRequest {
                        name,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
        }
        AppCmd::Disable { name, wait } => {
            client
                .disable_app(req(
                    pb::DisableAppRequest {
                        name,
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
        }
        AppCmd::Set {
            name,
            settings,
            wait,
        } => {
            let map: serde_json::Map<String, serde_json::Value> = settings.into_iter().collect();
            client
                .update_app_config(req(
                    pb::UpdateAppConfigRequest {
                        name,
                        config: Some(to_struct(&map)),
                        confirm: confirm(wait),
                    },
                    t,
                ))
                .await?
        }
    }
    .into_inner();
    if out == Format::Json {
        line(&json("navarch.v1.App", &one));
    } else {
        let mut table = Table::new(&["NAME", "ENABLED", "GENERATION", "TABLES", "CONFIG"]);
        table.row(app_row(&one));
        table.print();
    }
    Ok(())
}

fn app_row(a: &pb::App) -> Vec<String> {
    let config = a
        .config
        .as_ref()
        .map(|c| {
            c.fields
                .iter()
                .map(|(k, v)| format!("{k}={}", value_text(v)))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    vec![
        a.name.clone(),
        a.enabled.to_string(),
        a.generation.to_string(),
        a.tables
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        config,
    ]
}

fn value_text(v: &prost_types::Value) -> String {
    use prost_types::value::Kind;
    match &v.kind {
        Some(Kind::NumberValue(n)) if n.fract() == 0.0 => format!("{}", *n as i64),
        Some(Kind::NumberValue(n)) => n.to_string(),
        Some(Kind::StringValue(s)) => s.clone(),
        Some(Kind::BoolValue(b)) => b.to_string(),
        Some(Kind::NullValue(_)) | None => "null".into(),
        Some(other) => format!("{other:?}"),
    }
}

fn to_struct(map: &serde_json::Map<String, serde_json::Value>) -> prost_types::Struct {
    fn value(v: &serde_json::Value) -> prost_types::Value {
        use prost_types::value::Kind;
        let kind = match v {
            serde_json::Value::Null => Kind::NullValue(0),
            serde_json::Value::Bool(b) => Kind::BoolValue(*b),
            serde_json::Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
            serde_json::Value::String(s) => Kind::StringValue(s.clone()),
            serde_json::Value::Array(a) => Kind::ListValue(prost_types::ListValue {
                values: a.iter().map(value).collect(),
            }),
            serde_json::Value::Object(o) => Kind::StructValue(to_struct(o)),
        };
        prost_types::Value { kind: Some(kind) }
    }
    prost_types::Struct {
        fields: map.iter().map(|(k, v)| (k.clone(), value(v))).collect(),
    }
}

async fn events(channel: Channel, args: EventsArgs, out: Format) -> Result<(), Status> {
    let kinds = args
        .kind
        .iter()
        .map(|k| {
            (match k {
                EventKindArg::Switch => pb::EventKind::Switch,
                EventKindArg::Port => pb::EventKind::Port,
                EventKindArg::Link => pb::EventKind::Link,
                EventKindArg::Host => pb::EventKind::Host,
                EventKindArg::FlowApplied => pb::EventKind::FlowApplied,
                EventKindArg::App => pb::EventKind::App,
                EventKindArg::Cluster => pb::EventKind::Cluster,
            }) as i32
        })
        .collect();
    let mut stream = EventServiceClient::new(channel)
        .watch(pb::WatchRequest {
            from_revision: args.from,
            kinds,
            dpid: args.dpid.map(|d| d.0),
        })
        .await?
        .into_inner();
    loop {
        let next = if args.follow {
            tokio::select! {
                m = stream.message() => m?,
                _ = tokio::signal::ctrl_c() => return Ok(()),
            }
        } else {
            match tokio::time::timeout(args.idle, stream.message()).await {
                Ok(m) => m?,
                Err(_) => return Ok(()),
            }
        };
        let Some(e) = next else {
            return Ok(());
        };
        if out == Format::Json {
            line(&json("navarch.v1.Event", &e));
        } else {
            line(&event_text(&e));
        }
    }
}

/// One line per event: revision, time, kind, what happened.
fn event_text(e: &pb::Event) -> String {
    use pb::event::Event as E;
    let what = match &e.event {
        Some(E::Switch(s)) if s.connected => format!("switch {} connected", dpid_text(s.dpid)),
        Some(E::Switch(s)) => format!("switch {} disconnected: {}", dpid_text(s.dpid), s.reason),
        Some(E::Port(p)) => format!(
            "port {} {} ({})",
            endpoint_text(&p.port),
            p.change,
            if p.up { "up" } else { "down" }
        ),
        Some(E::Link(l)) => format!(
            "link {} -> {} {}",
            endpoint_text(&l.src),
            endpoint_text(&l.dst),
            if l.up { "up" } else { "down" }
        ),
        Some(E::Host(h)) => format!(
            "host {}{} {} -> {}",
            h.mac,
            h.vlan.map_or_else(String::new, |v| format!(" vlan {v}")),
            endpoint_text(&h.before),
            endpoint_text(&h.after)
        ),
        Some(E::FlowApplied(f)) => format!(
            "flow-applied {} changes {} revision {}",
            dpid_text(f.dpid),
            f.changes,
            f.revision
        ),
        Some(E::App(a)) => format!(
            "app {} {} generation {}",
            a.name,
            if a.enabled { "enabled" } else { "disabled" },
            a.generation
        ),
        Some(E::Cluster(c)) => format!("cluster leader {} term {}", c.leader_id, c.term),
        None => "unknown".into(),
    };
    format!("{} {} {}", e.revision, e.time_ms, what)
}
