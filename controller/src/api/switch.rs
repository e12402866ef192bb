//! `SwitchService`: switches, their live tables, and operator flows.

use navarch_proto::v1::{self as pb, switch_service_server::SwitchService};
use openflow::msg::{MultipartReplyBody, MultipartRequest, MultipartRequestBody, PortStatsRequest};
use openflow::{Body, DatapathId, PortNo};
use tonic::{Request, Response, Status};

use super::{confirm_applied, convert, invalid, page, stopped, write_status};
use crate::apphost::operator;
use crate::apphost::{FlowCookie, Owner};
use crate::runtime::{ApiHandle, Write};
use crate::southbound::{RequestError, SwitchHandle};

/// The service.
pub(super) struct Switches {
    api: ApiHandle,
}

impl Switches {
    pub(super) fn new(api: ApiHandle) -> Switches {
        Switches { api }
    }

    /// The connection of a connected switch, or NOT_FOUND.
    async fn connected(&self, dpid: u64) -> Result<SwitchHandle, Status> {
        self.api
            .read(move |v| v.switch(DatapathId(dpid)).map(|s| s.handle.clone()))
            .await
            .map_err(stopped)?
            .ok_or_else(|| not_connected(dpid))
    }
}

fn not_connected(dpid: u64) -> Status {
    Status::not_found(format!(
        "dpid: no switch with datapath id {} is connected",
        DatapathId(dpid)
    ))
}

/// A switch that did not answer a live read.
fn unanswered(dpid: u64, e: RequestError) -> Status {
    Status::unavailable(format!("switch {} did not answer: {e}", DatapathId(dpid)))
}

#[tonic::async_trait]
impl SwitchService for Switches {
    async fn list_switches(
        &self,
        request: Request<pb::ListSwitchesRequest>,
    ) -> Result<Response<pb::ListSwitchesResponse>, Status> {
        let r = request.into_inner();
        let size = page::SMALL.size(r.page_size);
        let after = match page::position("switches", &r.page_token)? {
            Some(p) => Some(
                u64::from_str_radix(&p, 16)
                    .map_err(|_| invalid("page_token", "not a token returned by this call"))?,
            ),
            None => None,
        };
        let response = self
            .api
            .read(move |v| {
                let mut switches = Vec::with_capacity(size);
                let mut more = false;
                for (dpid, info) in v.switches() {
                    if after.is_some_and(|a| dpid.0 <= a) {
                        continue;
                    }
                    if switches.len() == size {
                        more = true;
                        break;
                    }
                    switches.push(convert::switch(v, dpid, &info));
                }
                let next_page_token = match (more, switches.last()) {
                    (true, Some(last)) => page::token("switches", &format!("{:x}", last.dpid)),
                    _ => String::new(),
                };
                pb::ListSwitchesResponse {
                    switches,
                    next_page_token,
                }
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(response))
    }

    async fn get_switch(
        &self,
        request: Request<pb::GetSwitchRequest>,
    ) -> Result<Response<pb::Switch>, Status> {
        let r = request.into_inner();
        let dpid = r.dpid;
        let found = self
            .api
            .read(move |v| {
                v.switch(DatapathId(dpid)).map(|info| {
                    (
                        convert::switch(v, DatapathId(dpid), &info),
                        info.handle.clone(),
                    )
                })
            })
            .await
            .map_err(stopped)?;
        let (mut switch, handle) = found.ok_or_else(|| not_connected(dpid))?;
        if r.counters {
            let req = MultipartRequestBody::PortStats(PortStatsRequest {
                port_no: PortNo::ANY,
            });
            let reply = handle
                .request(Body::MultipartRequest(MultipartRequest::new(req)))
                .await
                .map_err(|e| unanswered(dpid, e))?;
            let Body::MultipartReply(reply) = reply.body else {
                return Err(Status::unavailable("the switch answered something else"));
            };
            let MultipartReplyBody::PortStats(stats) = reply.body else {
                return Err(Status::unavailable("the switch answered something else"));
            };
            for port in &mut switch.ports {
                if let Some(s) = stats.iter().find(|s| s.port_no.0 == port.port_no) {
                    port.counters = Some(pb::PortCounters {
                        rx_packets: s.rx_packets,
                        tx_packets: s.tx_packets,
                        rx_bytes: s.rx_bytes,
                        tx_bytes: s.tx_bytes,
                        rx_dropped: s.rx_dropped,
                        tx_dropped: s.tx_dropped,
                        rx_errors: s.rx_errors,
                        tx_errors: s.tx_errors,
                    });
                }
            }
        }
        Ok(Response::new(switch))
    }

    async fn list_flows(
        &self,
        request: Request<pb::ListFlowsRequest>,
    ) -> Result<Response<pb::ListFlowsResponse>, Status> {
        let r = request.into_inner();
        let dpid = r.dpid;
        let (handle, n_tables, owners) = self
            .api
            .read(move |v| {
                let info = v.switch(DatapathId(dpid))?;
                let n_tables = v
                    .topology()
                    .switch(DatapathId(dpid))
                    .map_or(info.handle.features().n_tables, |s| s.n_tables);
                let mut owners: Vec<String> =
                    v.apps().iter().map(|a| a.status.name.to_owned()).collect();
                owners.extend(["core", "operator", "foreign"].map(String::from));
                Some((info.handle.clone(), n_tables, owners))
            })
            .await
            .map_err(stopped)?
            .ok_or_else(|| not_connected(dpid))?;
        if let Some(t) = r.table
            && (t > 254 || t >= u32::from(n_tables))
        {
            return Err(invalid(
                "table",
                format!("the switch has tables 0 to {}", n_tables.saturating_sub(1)),
            ));
        }
        if !r.owner.is_empty() && !owners.contains(&r.owner) {
            return Err(invalid(
                "owner",
                format!("{:?} is none of {}", r.owner, owners.join(", ")),
            ));
        }
        let scope = format!("flows:{dpid:x}:{:?}:{}", r.table, r.owner);
        let offset: usize = match page::position(&scope, &r.page_token)? {
            Some(p) => p
                .parse()
                .map_err(|_| invalid("page_token", "not a token returned by this call"))?,
            None => 0,
        };
        let size = page::FLOWS.size(r.page_size);
        let mut flows = handle.dump_flows().await.map_err(|e| unanswered(dpid, e))?;
        flows.retain(|f| r.table.is_none_or(|t| u32::from(f.table_id.0) == t));
        flows.sort_by(|a, b| {
            (a.table_id, std::cmp::Reverse(a.priority))
                .cmp(&(b.table_id, std::cmp::Reverse(b.priority)))
        });
        let owner = r.owner.clone();
        let response = self
            .api
            .read(move |v| {
                let mut page: Vec<pb::Flow> = flows
                    .iter()
                    .filter(|f| owner.is_empty() || v.cookie_owner(f.cookie.0) == owner)
                    .skip(offset)
                    .take(size + 1)
                    .map(|f| convert::flow(v, f))
                    .collect();
                let more = page.len() > size;
                page.truncate(size);
                pb::ListFlowsResponse {
                    next_page_token: if more {
                        page::token(&scope, &(offset + size).to_string())
                    } else {
                        String::new()
                    },
                    flows: page,
                }
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(response))
    }

    async fn list_groups(
        &self,
        request: Request<pb::ListGroupsRequest>,
    ) -> Result<Response<pb::ListGroupsResponse>, Status> {
        let dpid = request.into_inner().dpid;
        let handle = self.connected(dpid).await?;
        let groups = match handle.dump_groups().await {
            Ok(g) => g,
            Err(RequestError::Rejected(_)) => Vec::new(),
            Err(e) => return Err(unanswered(dpid, e)),
        };
        let response = self
            .api
            .read(move |v| {
                let mut groups: Vec<pb::Group> =
                    groups.iter().map(|g| convert::group(v, g)).collect();
                groups.sort_by_key(|g| g.group_id);
                pb::ListGroupsResponse { groups }
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(response))
    }

    async fn list_meters(
        &self,
        request: Request<pb::ListMetersRequest>,
    ) -> Result<Response<pb::ListMetersResponse>, Status> {
        let dpid = request.into_inner().dpid;
        let handle = self.connected(dpid).await?;
        let meters = match handle.dump_meters().await {
            Ok(m) => m,
            Err(RequestError::Rejected(_)) => Vec::new(),
            Err(e) => return Err(unanswered(dpid, e)),
        };
        let response = self
            .api
            .read(move |v| {
                let mut meters: Vec<pb::Meter> =
                    meters.iter().map(|m| convert::meter(v, m)).collect();
                meters.sort_by_key(|m| m.meter_id);
                pb::ListMetersResponse { meters }
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(response))
    }

    async fn add_flow(
        &self,
        request: Request<pb::AddFlowRequest>,
    ) -> Result<Response<pb::AddFlowResponse>, Status> {
        let r = request.into_inner();
        let confirm = confirm_applied(r.confirm)?;
        if r.flow.trim().is_empty() {
            return Err(invalid("flow", "must not be empty"));
        }
        let flow = operator::parse_add(&r.flow).map_err(|e| invalid("flow", e))?;
        let written = self
            .api
            .write(Write::AddFlow {
                dpid: DatapathId(r.dpid),
                flow,
                confirm,
            })
            .await
            .map_err(write_status)?;
        Ok(Response::new(pb::AddFlowResponse {
            cookie: FlowCookie::new(Owner::Operator, 1).encode().0,
            revision: written.revision,
        }))
    }

    async fn delete_flow(
        &self,
        request: Request<pb::DeleteFlowRequest>,
    ) -> Result<Response<pb::DeleteFlowResponse>, Status> {
        let r = request.into_inner();
        let confirm = confirm_applied(r.confirm)?;
        let pattern = operator::parse_delete(&r.flow).map_err(|e| invalid("flow", e))?;
        let written = self
            .api
            .write(Write::DeleteFlow {
                dpid: DatapathId(r.dpid),
                pattern,
                loose: r.loose,
                confirm,
            })
            .await
            .map_err(write_status)?;
        Ok(Response::new(pb::DeleteFlowResponse {
            deleted: written.deleted,
            revision: written.revision,
        }))
    }
}
