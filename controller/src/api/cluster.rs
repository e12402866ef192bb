//! `ClusterService`: this node's view of the cluster (one node for now).

use navarch_proto::v1::{self as pb, cluster_service_server::ClusterService};
use tonic::{Request, Response, Status};

use super::{NODE_ID, stopped};
use crate::runtime::ApiHandle;

/// The service.
pub(super) struct Cluster {
    api: ApiHandle,
    /// This node's API address.
    address: String,
}

impl Cluster {
    pub(super) fn new(api: ApiHandle, address: String) -> Cluster {
        Cluster { api, address }
    }
}

#[tonic::async_trait]
impl ClusterService for Cluster {
    async fn get_cluster(
        &self,
        _request: Request<pb::GetClusterRequest>,
    ) -> Result<Response<pb::Cluster>, Status> {
        let address = self.address.clone();
        let cluster = self
            .api
            .read(move |v| pb::Cluster {
                node_id: NODE_ID,
                leader_id: NODE_ID,
                members: vec![pb::Member {
                    id: NODE_ID,
                    address,
                    role: pb::Role::Leader as i32,
                    healthy: v.writable(),
                    switches: v.switches().count() as u32,
                }],
                revision: v.state().revision().0,
            })
            .await
            .map_err(stopped)?;
        Ok(Response::new(cluster))
    }
}
