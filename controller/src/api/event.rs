//! `EventService`: a stream of journal events, filtered, resumable from a revision.

use std::pin::Pin;

use navarch_proto::v1::{self as pb, event::Event as What, event_service_server::EventService};
use tokio::sync::mpsc;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::invalid;
use crate::runtime::ApiHandle;

/// The service.
pub(super) struct Events {
    api: ApiHandle,
}

impl Events {
    pub(super) fn new(api: ApiHandle) -> Events {
        Events { api }
    }
}

/// Events sent to one watcher per journal read.
const BATCH: usize = 256;

/// Which events a watcher wants.
struct Filter {
    kinds: Vec<pb::EventKind>,
    dpid: Option<u64>,
}

impl Filter {
    fn keeps(&self, e: &pb::Event) -> bool {
        let Some(what) = &e.event else {
            return false;
        };
        let kind = match what {
            What::Switch(_) => pb::EventKind::Switch,
            What::Port(_) => pb::EventKind::Port,
            What::Link(_) => pb::EventKind::Link,
            What::Host(_) => pb::EventKind::Host,
            What::FlowApplied(_) => pb::EventKind::FlowApplied,
            What::App(_) => pb::EventKind::App,
            What::Cluster(_) => pb::EventKind::Cluster,
        };
        if !self.kinds.is_empty() && !self.kinds.contains(&kind) {
            return false;
        }
        let Some(dpid) = self.dpid else {
            return true;
        };
        let at = |e: &Option<pb::Endpoint>| e.as_ref().is_some_and(|e| e.dpid == dpid);
        match what {
            What::Switch(s) => s.dpid == dpid,
            What::Port(p) => at(&p.port),
            What::Link(l) => at(&l.src) || at(&l.dst),
            What::Host(h) => at(&h.before) || at(&h.after),
            What::FlowApplied(f) => f.dpid == dpid,
            What::App(_) | What::Cluster(_) => false,
        }
    }
}

#[tonic::async_trait]
impl EventService for Events {
    type WatchStream = Pin<Box<dyn Stream<Item = Result<pb::Event, Status>> + Send>>;

    async fn watch(
        &self,
        request: Request<pb::WatchRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        let r = request.into_inner();
        let mut kinds = Vec::new();
        for k in &r.kinds {
            match pb::EventKind::try_from(*k) {
                Ok(pb::EventKind::Unspecified) | Err(_) => {
                    return Err(invalid("kinds", format!("{k} is not an event kind")));
                }
                Ok(kind) => kinds.push(kind),
            }
        }
        let filter = Filter {
            kinds,
            dpid: r.dpid,
        };
        let journal = self.api.journal().clone();
        let mut from = match r.from_revision {
            0 => journal.next_revision(),
            n => n,
        };
        // An old revision is refused before the stream starts.
        if let Err(e) = journal.read(from, 0, |_| false) {
            return Err(Status::out_of_range(format!("from_revision: {e}")));
        }
        let (tx, rx) = mpsc::channel(BATCH);
        let mut changed = journal.subscribe();
        tokio::spawn(async move {
            loop {
                changed.borrow_and_update();
                match journal.read(from, BATCH, |e| filter.keeps(e)) {
                    Err(e) => {
                        let _ = tx
                            .send(Err(Status::out_of_range(format!(
                                "the watcher fell behind: {e}"
                            ))))
                            .await;
                        return;
                    }
                    Ok((events, next)) => {
                        from = next;
                        let full = events.len() == BATCH;
                        for e in events {
                            if tx.send(Ok(e)).await.is_err() {
                                return; // the client went away
                            }
                        }
                        if full {
                            continue;
                        }
                    }
                }
                tokio::select! {
                    c = changed.changed() => if c.is_err() { return },
                    _ = tx.closed() => return,
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
