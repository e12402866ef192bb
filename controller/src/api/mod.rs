//! The northbound gRPC API (package `navarch.v1`, see `proto/`): one tonic service per
//! file, each a thin translation between protobuf and the runtime's [`ApiHandle`]. Served
//! with server reflection and the standard `grpc.health.v1` service; tonic applies each
//! call's `grpc-timeout` (its deadline) and answers DEADLINE_EXCEEDED when it passes.
//!
//! Errors follow the protos' comments: INVALID_ARGUMENT and NOT_FOUND name the field or
//! the thing, UNAVAILABLE means the change was not committed or not confirmed.

mod app;
mod cluster;
mod convert;
mod event;
mod page;
mod switch;
mod tenant;
mod topology;

use std::net::SocketAddr;

use navarch_proto::v1::app_service_server::AppServiceServer;
use navarch_proto::v1::cluster_service_server::ClusterServiceServer;
use navarch_proto::v1::event_service_server::EventServiceServer;
use navarch_proto::v1::switch_service_server::SwitchServiceServer;
use navarch_proto::v1::tenant_service_server::TenantServiceServer;
use navarch_proto::v1::topology_service_server::TopologyServiceServer;
use tonic::Status;

use crate::runtime::{ApiHandle, Stopped, WriteError};

/// This node's id (a single node until the cluster lands).
pub const NODE_ID: u64 = 1;

/// Why the API server stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed.
    #[error("gRPC server: {0}")]
    Server(#[from] tonic::transport::Error),
    /// The reflection service could not load the descriptors.
    #[error("reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
}

/// A bound, not yet serving API listener.
pub struct Listener {
    listener: tokio::net::TcpListener,
}

impl Listener {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr) -> Result<Listener, ServeError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Listener { listener })
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves every service until `shutdown` resolves.
    pub async fn serve(
        self,
        handle: ApiHandle,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) -> Result<(), ServeError> {
        let address = self.local_addr().map(|a| a.to_string()).unwrap_or_default();
        // Both reflection versions: grpcurl and older clients still ask v1alpha.
        let reflection = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(navarch_proto::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        };
        let reflection_v1 = reflection().build_v1()?;
        let reflection_v1alpha = reflection().build_v1alpha()?;
        let (health, health_service) = tonic_health::server::health_reporter();
        health
            .set_serving::<SwitchServiceServer<switch::Switches>>()
            .await;
        health
            .set_serving::<TopologyServiceServer<topology::Topology>>()
            .await;
        health.set_serving::<AppServiceServer<app::Apps>>().await;
        health
            .set_serving::<EventServiceServer<event::Events>>()
            .await;
        health
            .set_serving::<ClusterServiceServer<cluster::Cluster>>()
            .await;
        health
            .set_serving::<TenantServiceServer<tenant::Tenants>>()
            .await;
        let incoming = tokio_stream::wrappers::TcpListenerStream::new(self.listener);
        tonic::transport::Server::builder()
            .add_service(reflection_v1)
            .add_service(reflection_v1alpha)
            .add_service(health_service)
            .add_service(SwitchServiceServer::new(switch::Switches::new(
                handle.clone(),
            )))
            .add_service(TopologyServiceServer::new(topology::Topology::new(
                handle.clone(),
            )))
            .add_service(AppServiceServer::new(app::Apps::new(handle.clone())))
            .add_service(EventServiceServer::new(event::Events::new(handle.clone())))
            .add_service(TenantServiceServer::new(tenant::Tenants::new(
                handle.clone(),
            )))
            .add_service(ClusterServiceServer::new(cluster::Cluster::new(
                handle, address,
            )))
            .serve_with_incoming_shutdown(incoming, shutdown)
            .await?;
        Ok(())
    }
}

/// The runtime is gone (shutting down).
fn stopped(_: Stopped) -> Status {
    Status::unavailable("the controller is shutting down")
}

/// A write's error as a status.
fn write_status(e: WriteError) -> Status {
    match e {
        WriteError::NotFound(m) => Status::not_found(m),
        WriteError::Invalid { field, message } => {
            Status::invalid_argument(format!("{field}: {message}"))
        }
        WriteError::Refused(m) => Status::failed_precondition(m),
        WriteError::AlreadyExists { field, message } => {
            Status::already_exists(format!("{field}: {message}"))
        }
        WriteError::Unavailable(m) => Status::unavailable(m),
    }
}

/// INVALID_ARGUMENT naming `field`.
fn invalid(field: &str, message: impl std::fmt::Display) -> Status {
    Status::invalid_argument(format!("{field}: {message}"))
}

/// Whether a write waits for barriers: CONFIRM_APPLIED. Unknown values are refused.
fn confirm_applied(value: i32) -> Result<bool, Status> {
    use navarch_proto::v1::Confirm;
    match Confirm::try_from(value) {
        Ok(Confirm::Unspecified | Confirm::Committed) => Ok(false),
        Ok(Confirm::Applied) => Ok(true),
        Err(_) => Err(invalid(
            "confirm",
            format!("{value} is not a Confirm value"),
        )),
    }
}
