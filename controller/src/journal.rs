//! The event journal: the bounded, ordered record of controller events that
//! `EventService.Watch` streams from.
//!
//! The runtime appends; watchers read from any revision still kept and wait for new ones.
//! Revisions start each run at the run's start time in milliseconds shifted left by 22 bits,
//! then count up by one per event: they grow across restarts (a run would need four million
//! events per millisecond of the previous run's life to catch up), so a watcher resuming
//! with a revision of an earlier run is told it is too old (OUT_OF_RANGE) instead of
//! waiting for a revision this run may never reach.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use navarch_proto::v1::{Event, event};
use tokio::sync::watch;

/// Events kept for watchers that resume.
pub const JOURNAL_CAPACITY: usize = 65_536;

/// The journal. Share it behind an `Arc`.
pub struct Journal {
    inner: Mutex<Inner>,
    /// The revision the next event will get; watchers wait for it to move.
    next: watch::Sender<u64>,
}

struct Inner {
    events: VecDeque<Event>,
    /// The revision of `events[0]` (or of the next event while empty).
    first: u64,
    capacity: usize,
}

/// A watcher asked for a revision the journal no longer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("revision {asked} is no longer in the event journal; the oldest kept is {oldest}")]
pub struct TooOld {
    /// The revision asked for.
    pub asked: u64,
    /// The oldest revision kept.
    pub oldest: u64,
}

impl Journal {
    /// An empty journal whose first revision follows from the current time.
    pub fn new() -> Journal {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        Journal::starting_at((ms << 22).max(1), JOURNAL_CAPACITY)
    }

    /// An empty journal whose first event gets `first`, keeping at most `capacity` events.
    pub fn starting_at(first: u64, capacity: usize) -> Journal {
        let (next, _) = watch::channel(first);
        Journal {
            inner: Mutex::new(Inner {
                events: VecDeque::new(),
                first,
                capacity: capacity.max(1),
            }),
            next,
        }
    }

    /// Appends an event; returns its revision.
    pub fn push(&self, what: event::Event) -> u64 {
        let time_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let revision = inner.first + inner.events.len() as u64;
        if inner.events.len() == inner.capacity {
            inner.events.pop_front();
            inner.first += 1;
        }
        inner.events.push_back(Event {
            revision,
            time_ms,
            event: Some(what),
        });
        drop(inner);
        self.next.send_replace(revision + 1);
        revision
    }

    /// The revision the next event will get.
    pub fn next_revision(&self) -> u64 {
        *self.next.borrow()
    }

    /// Up to `max` events from revision `from` on that `keep` accepts, and the revision to
    /// read from next. `from` below the oldest kept is [`TooOld`]; beyond the newest gives
    /// nothing yet.
    pub fn read(
        &self,
        from: u64,
        max: usize,
        keep: impl Fn(&Event) -> bool,
    ) -> Result<(Vec<Event>, u64), TooOld> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if from < inner.first {
            return Err(TooOld {
                asked: from,
                oldest: inner.first,
            });
        }
        let end = inner.first + inner.events.len() as u64;
        let mut out = Vec::new();
        let start = (from - inner.first) as usize;
        for e in inner.events.iter().skip(start) {
            if keep(e) {
                out.push(e.clone());
                if out.len() == max {
                    return Ok((out, e.revision + 1));
                }
            }
        }
        Ok((out, from.max(end)))
    }

    /// A receiver that changes whenever an event is appended.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.next.subscribe()
    }
}

impl Default for Journal {
    fn default() -> Journal {
        Journal::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use navarch_proto::v1::SwitchEvent;

    fn switch(dpid: u64) -> event::Event {
        event::Event::Switch(SwitchEvent {
            dpid,
            connected: true,
            reason: String::new(),
        })
    }

    fn dpid(e: &Event) -> u64 {
        match &e.event {
            Some(event::Event::Switch(s)) => s.dpid,
            _ => 0,
        }
    }

    #[test]
    fn events_are_read_from_a_revision_filtered_and_bounded() {
        let j = Journal::starting_at(100, 4);
        for d in 1..=3 {
            j.push(switch(d));
        }
        assert_eq!(j.next_revision(), 103);
        let (got, next) = j.read(100, 10, |_| true).unwrap();
        assert_eq!(
            got.iter().map(|e| e.revision).collect::<Vec<_>>(),
            [100, 101, 102]
        );
        assert_eq!(next, 103);
        // Filtered events are skipped, and the next revision still moves past them.
        let (got, next) = j.read(100, 10, |e| dpid(e) == 2).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(next, 103);
        // A page stops at max.
        let (got, next) = j.read(100, 2, |_| true).unwrap();
        assert_eq!((got.len(), next), (2, 102));
        // Ahead of the newest: nothing yet, and the watcher keeps its place.
        assert_eq!(j.read(200, 10, |_| true).unwrap(), (vec![], 200));
        // Beyond the capacity the oldest go, and asking for them is an error naming the oldest.
        j.push(switch(4));
        j.push(switch(5));
        assert_eq!(
            j.read(100, 10, |_| true).unwrap_err(),
            TooOld {
                asked: 100,
                oldest: 101
            }
        );
        assert_eq!(j.read(101, 10, |_| true).unwrap().0.len(), 4);
    }

    #[test]
    fn watchers_are_woken_by_a_push() {
        let j = Journal::starting_at(1, 10);
        let mut rx = j.subscribe();
        assert!(!rx.has_changed().unwrap());
        j.push(switch(1));
        assert!(rx.has_changed().unwrap());
        assert_eq!(*rx.borrow_and_update(), 2);
    }

    #[test]
    fn revisions_of_a_new_run_are_above_the_last_run() {
        let a = Journal::new();
        for d in 0..1000 {
            a.push(switch(d));
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = Journal::new();
        assert!(b.next_revision() > a.next_revision());
    }
}
