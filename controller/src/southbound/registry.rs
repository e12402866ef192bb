//! Which connection speaks for each datapath id, and the duplicate-id policy.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use openflow::DatapathId;
use tokio::sync::{oneshot, watch};

use super::config::DuplicatePolicy;
use super::event::PeerAddr;

/// The connection that currently owns a datapath id.
#[derive(Debug)]
struct Owner {
    session: u64,
    peer: PeerAddr,
    /// Tells the session it was replaced (by this peer).
    kick: Option<oneshot::Sender<PeerAddr>>,
    /// Becomes true once the session has announced its disconnection.
    done: watch::Receiver<bool>,
}

/// What [`Registry::claim`] decided.
#[derive(Debug)]
pub(super) enum Claim {
    /// The id was free: announce the switch.
    Granted,
    /// The id was taken by `old_peer`, which was told to close; announce once `done` is
    /// true so that its disconnection reaches the runtime first.
    Replaced {
        old_peer: PeerAddr,
        done: watch::Receiver<bool>,
    },
    /// The id is taken by `old_peer`; close this connection.
    Rejected { old_peer: PeerAddr },
}

/// Datapath id to owning connection, with a flap detector.
#[derive(Debug)]
pub(super) struct Registry {
    policy: DuplicatePolicy,
    flap_threshold: u32,
    flap_window: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    owners: HashMap<DatapathId, Owner>,
    /// Recent times each id changed hands, within the flap window.
    handovers: HashMap<DatapathId, VecDeque<Instant>>,
}

impl Registry {
    /// An empty registry.
    pub(super) fn new(
        policy: DuplicatePolicy,
        flap_threshold: u32,
        flap_window: Duration,
    ) -> Registry {
        Registry {
            policy,
            flap_threshold,
            flap_window,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Claims `dpid` for connection `session` from `peer`, applying the duplicate policy.
    pub(super) fn claim(
        &self,
        dpid: DatapathId,
        session: u64,
        peer: &PeerAddr,
        kick: oneshot::Sender<PeerAddr>,
        done: watch::Receiver<bool>,
        now: Instant,
    ) -> Claim {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let new_owner = Owner {
            session,
            peer: peer.clone(),
            kick: Some(kick),
            done,
        };
        let Some(old) = inner.owners.get_mut(&dpid) else {
            inner.owners.insert(dpid, new_owner);
            return Claim::Granted;
        };
        let old_peer = old.peer.clone();
        let claim = match self.policy {
            DuplicatePolicy::RejectNew => {
                tracing::warn!(
                    %dpid, connected = %old_peer, rejected = %peer,
                    "duplicate datapath id: keeping the connected switch, closing the new connection"
                );
                return Claim::Rejected { old_peer };
            }
            DuplicatePolicy::ReplaceOld => {
                tracing::warn!(
                    %dpid, old = %old_peer, new = %peer,
                    "duplicate datapath id: the new connection replaces the old one"
                );
                if let Some(kick) = old.kick.take() {
                    // The old session may already be ending; then `done` settles it.
                    let _ = kick.send(peer.clone());
                }
                let done = old.done.clone();
                *old = new_owner;
                Claim::Replaced { old_peer, done }
            }
        };
        self.count_handover(&mut inner, dpid, now);
        claim
    }

    /// Releases `dpid` if connection `session` still owns it.
    pub(super) fn release(&self, dpid: DatapathId, session: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner
            .owners
            .get(&dpid)
            .is_some_and(|o| o.session == session)
        {
            inner.owners.remove(&dpid);
        }
    }

    /// Connected datapath ids.
    pub(super) fn len(&self) -> usize {
        self.inner.lock().map(|i| i.owners.len()).unwrap_or(0)
    }

    /// Counts a handover of `dpid` and logs an error when it keeps changing hands.
    fn count_handover(&self, inner: &mut Inner, dpid: DatapathId, now: Instant) {
        let times = inner.handovers.entry(dpid).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) > self.flap_window)
        {
            times.pop_front();
        }
        times.push_back(now);
        let n = times.len() as u32;
        if n >= self.flap_threshold {
            tracing::error!(
                %dpid,
                handovers = n,
                window_secs = self.flap_window.as_secs(),
                "datapath id is flapping between connections: two switches may share it, or \
                 one reconnects in a loop"
            );
        }
        // Ids that stopped flapping are forgotten.
        let window = self.flap_window;
        inner.handovers.retain(|_, t| {
            t.back()
                .is_some_and(|last| now.duration_since(*last) <= window)
        });
    }

    /// Handovers of `dpid` within the flap window.
    #[cfg(test)]
    pub(super) fn recent_handovers(&self, dpid: DatapathId) -> usize {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.handovers.get(&dpid).map_or(0, VecDeque::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(n: u16) -> PeerAddr {
        PeerAddr::Tcp(std::net::SocketAddr::from(([127, 0, 0, 1], n)))
    }

    fn claim(
        r: &Registry,
        s: u64,
        p: u16,
        now: Instant,
    ) -> (Claim, oneshot::Receiver<PeerAddr>, watch::Sender<bool>) {
        let (kick, kicked) = oneshot::channel();
        let (done_tx, done) = watch::channel(false);
        (
            r.claim(DatapathId(7), s, &peer(p), kick, done, now),
            kicked,
            done_tx,
        )
    }

    #[test]
    fn replace_old_kicks_the_old_owner_and_counts_flaps() {
        let r = Registry::new(DuplicatePolicy::ReplaceOld, 3, Duration::from_secs(60));
        let t = Instant::now();
        let (c1, mut k1, _d1) = claim(&r, 1, 1, t);
        assert!(matches!(c1, Claim::Granted));
        let (c2, _k2, _d2) = claim(&r, 2, 2, t);
        assert!(matches!(c2, Claim::Replaced { old_peer, .. } if old_peer == peer(1)));
        assert_eq!(k1.try_recv().unwrap(), peer(2));
        // The old session's release no longer removes the new owner.
        r.release(DatapathId(7), 1);
        assert_eq!(r.len(), 1);
        let _ = claim(&r, 3, 3, t + Duration::from_secs(1));
        assert_eq!(r.recent_handovers(DatapathId(7)), 2);
        // Outside the window, old handovers are forgotten.
        let _ = claim(&r, 4, 4, t + Duration::from_secs(120));
        assert_eq!(r.recent_handovers(DatapathId(7)), 1);
        r.release(DatapathId(7), 4);
        assert_eq!(r.len(), 0);
    }

    #[test]
    fn reject_new_keeps_the_old_owner() {
        let r = Registry::new(DuplicatePolicy::RejectNew, 3, Duration::from_secs(60));
        let t = Instant::now();
        let (_, mut k1, _d1) = claim(&r, 1, 1, t);
        let (c2, _k2, _d2) = claim(&r, 2, 2, t);
        assert!(matches!(c2, Claim::Rejected { old_peer } if old_peer == peer(1)));
        assert!(k1.try_recv().is_err());
        r.release(DatapathId(7), 2);
        assert_eq!(r.len(), 1);
    }
}
