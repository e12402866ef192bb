//! `AppService`: apps, their state and configuration.

use navarch_proto::v1::{self as pb, app_service_server::AppService};
use tonic::{Request, Response, Status};

use super::{confirm_applied, convert, invalid, stopped, write_status};
use crate::runtime::{ApiHandle, AppChange, Write};

/// The service.
pub(super) struct Apps {
    api: ApiHandle,
}

impl Apps {
    pub(super) fn new(api: ApiHandle) -> Apps {
        Apps { api }
    }

    /// The app called `name` as it is now, or NOT_FOUND.
    async fn get(&self, name: String) -> Result<pb::App, Status> {
        if name.is_empty() {
            return Err(invalid("name", "must not be empty"));
        }
        self.api
            .read(move |v| {
                v.apps()
                    .iter()
                    .find(|a| a.status.name == name)
                    .map(convert::app)
                    .ok_or_else(|| Status::not_found(format!("name: no app named {name:?}")))
            })
            .await
            .map_err(stopped)?
    }

    async fn change(
        &self,
        name: String,
        change: AppChange,
        confirm: i32,
    ) -> Result<pb::App, Status> {
        let confirm = confirm_applied(confirm)?;
        if name.is_empty() {
            return Err(invalid("name", "must not be empty"));
        }
        self.api
            .write(Write::App {
                name: name.clone(),
                change,
                confirm,
            })
            .await
            .map_err(write_status)?;
        self.get(name).await
    }
}

#[tonic::async_trait]
impl AppService for Apps {
    async fn list_apps(
        &self,
        _request: Request<pb::ListAppsRequest>,
    ) -> Result<Response<pb::ListAppsResponse>, Status> {
        let apps = self
            .api
            .read(|v| v.apps().iter().map(convert::app).collect())
            .await
            .map_err(stopped)?;
        Ok(Response::new(pb::ListAppsResponse { apps }))
    }

    async fn get_app(
        &self,
        request: Request<pb::GetAppRequest>,
    ) -> Result<Response<pb::App>, Status> {
        self.get(request.into_inner().name).await.map(Response::new)
    }

    async fn enable_app(
        &self,
        request: Request<pb::EnableAppRequest>,
    ) -> Result<Response<pb::App>, Status> {
        let r = request.into_inner();
        self.change(r.name, AppChange::Enable(true), r.confirm)
            .await
            .map(Response::new)
    }

    async fn disable_app(
        &self,
        request: Request<pb::DisableAppRequest>,
    ) -> Result<Response<pb::App>, Status> {
        let r = request.into_inner();
        self.change(r.name, AppChange::Enable(false), r.confirm)
            .await
            .map(Response::new)
    }

    async fn update_app_config(
        &self,
        request: Request<pb::UpdateAppConfigRequest>,
    ) -> Result<Response<pb::App>, Status> {
        let r = request.into_inner();
        let patch = r
            .config
            .as_ref()
            .map(convert::from_struct)
            .unwrap_or_default();
        self.change(r.name, AppChange::Configure(patch), r.confirm)
            .await
            .map(Response::new)
    }
}
