//! Asking apps what they want on a switch, and turning their answers into the entries the
//! host puts there: cookies and wire ids, and the checks that keep a bad wish off the switch
//! (reported, and dropped alone): tables, slices, duplicates, ids that are not local, flows
//! naming groups or meters their app does not want there.

use std::collections::BTreeMap;

use navarch_app::{FlowSpec, GroupSpec, LocalGroupId, LocalMeterId, MeterSpec, Slice, View};
use openflow::{DatapathId, GroupId, MeterId};

use super::super::canon::FlowEntry;
use super::super::cookie::{FlowCookie, Owner};
use super::super::diff::ById;
use super::super::group::GroupEntry;
use super::super::ids::{self, Refs};
use super::super::meter::MeterEntry;
use super::super::switch::{Entries, Owned, SwitchState};
use super::{AppHost, InstallError, Kind, Registered};

/// One app's answer for a switch: everything (`slice` `None`) or one slice.
pub(super) struct Answer {
    app: usize,
    slice: Option<Slice>,
    flows: Vec<FlowSpec>,
    groups: Vec<GroupSpec>,
    meters: Vec<MeterSpec>,
}

/// Why a flow's group or meter is not there to name.
enum Missing {
    /// It is held back (refused, or the switch has no table for it): the flow waits for it.
    Held,
    /// Its app does not want this group on the switch.
    Group(GroupId),
    /// Its app does not want this meter on the switch.
    Meter(MeterId),
}

impl AppHost {
    /// Asks app `index` for what it wants on `dpid`: everything, or one slice.
    pub(super) fn ask(
        &self,
        index: usize,
        dpid: DatapathId,
        slice: Option<&Slice>,
        view: &dyn View,
    ) -> Answer {
        let app = &self.apps[index].app;
        if !self.apps[index].enabled {
            return Answer {
                app: index,
                slice: slice.cloned(),
                flows: Vec::new(),
                groups: Vec::new(),
                meters: Vec::new(),
            };
        }
        let (flows, groups, meters) = match slice {
            None => (
                app.flows(dpid, view),
                app.groups(dpid, view),
                app.meters(dpid, view),
            ),
            Some(s) => (
                app.slice_flows(dpid, s, view),
                app.slice_groups(dpid, s, view),
                app.slice_meters(dpid, s, view),
            ),
        };
        Answer {
            app: index,
            slice: slice.cloned(),
            flows,
            groups,
            meters,
        }
    }

    /// The entries `answers` want on `dpid`, reporting and dropping what breaks the rules.
    /// `before` holds what the parts asked had installed: a group or meter held back that was
    /// there stays as it was.
    pub(super) fn collect(
        &mut self,
        dpid: DatapathId,
        answers: Vec<Answer>,
        before: &Entries,
    ) -> Entries {
        let mut wanted = Entries::default();
        let mut errors = Vec::new();
        let AppHost { apps, switches, .. } = self;
        if let Some(state) = switches.get_mut(&dpid) {
            let mut c = Collector {
                dpid,
                apps,
                state,
                wanted: &mut wanted,
                errors: &mut errors,
            };
            // Groups and meters first: flows are checked against them.
            for a in &answers {
                c.meters(a, before);
                c.groups(a, before);
            }
            for a in answers {
                c.flows(a);
            }
        }
        for e in errors {
            self.report(e);
        }
        wanted
    }
}

/// One round of collection on one switch.
struct Collector<'a> {
    dpid: DatapathId,
    apps: &'a [Registered],
    state: &'a mut SwitchState,
    wanted: &'a mut Entries,
    errors: &'a mut Vec<InstallError>,
}

impl Collector<'_> {
    /// Reports an entry of `kind` whose slice is not the one asked, if so.
    fn wrong_slice(&mut self, a: &Answer, kind: Kind, got: &navarch_app::Slice) -> bool {
        match &a.slice {
            Some(asked) if asked != got => {
                self.errors.push(InstallError::WrongSlice {
                    dpid: self.dpid,
                    app: self.apps[a.app].app.name(),
                    kind,
                    asked: asked.clone(),
                    got: got.clone(),
                });
                true
            }
            _ => false,
        }
    }

    fn meters(&mut self, a: &Answer, before: &Entries) {
        let r = &self.apps[a.app];
        for spec in &a.meters {
            if self.wrong_slice(a, Kind::Meter, &spec.slice) {
                continue;
            }
            let id = ids::meter_id(r.owner, spec.id);
            let mut table = IdTable {
                wanted: &mut self.wanted.meters,
                installed: &self.state.installed.meters,
                failed: &mut self.state.failed_meters,
                before: &before.meters,
                unsupported: self.state.no_meters,
                kind: Kind::Meter,
            };
            let mut wish = Wish {
                dpid: self.dpid,
                app: r.app.name(),
                index: a.app,
                local: spec.id.0,
                slice: &spec.slice,
                errors: self.errors,
            };
            if wish.duplicate(&table, id) {
                continue;
            }
            let entry = MeterEntry {
                id,
                flags: spec.flags,
                bands: spec.bands.clone(),
            };
            wish.admit(&mut table, entry);
        }
    }

    fn groups(&mut self, a: &Answer, before: &Entries) {
        let r = &self.apps[a.app];
        for spec in &a.groups {
            if self.wrong_slice(a, Kind::Group, &spec.slice) {
                continue;
            }
            let id = ids::group_id(r.owner, spec.id);
            let mut table = IdTable {
                wanted: &mut self.wanted.groups,
                installed: &self.state.installed.groups,
                failed: &mut self.state.failed_groups,
                before: &before.groups,
                unsupported: self.state.no_groups,
                kind: Kind::Group,
            };
            let mut wish = Wish {
                dpid: self.dpid,
                app: r.app.name(),
                index: a.app,
                local: spec.id.0,
                slice: &spec.slice,
                errors: self.errors,
            };
            if wish.duplicate(&table, id) {
                continue;
            }
            let mut buckets = spec.buckets.clone();
            if let Err(reference) = ids::map_buckets(r.owner, &mut buckets, &mut Refs::default()) {
                wish.errors.push(InstallError::NotLocal {
                    dpid: self.dpid,
                    app: wish.app,
                    reference,
                });
                continue;
            }
            let entry = GroupEntry {
                id,
                group_type: spec.group_type,
                buckets,
            };
            wish.admit(&mut table, entry);
        }
    }

    /// Turns an app's flows into entries with its cookie and wire ids, dropping (and
    /// reporting) flows in tables it does not own, of another slice than asked, naming an id
    /// that is not local or a group or meter the app does not want here, or whose key is
    /// already wanted or installed by another app or slice; silently dropping flows the switch
    /// refused before in the same form, or whose key a foreign flow holds; and holding back
    /// flows whose group or meter is held back.
    fn flows(&mut self, mut a: Answer) {
        let r = &self.apps[a.app];
        let cookie = FlowCookie::new(r.owner, r.generation).encode();
        let app = r.app.name();
        for spec in std::mem::take(&mut a.flows) {
            if !r.tables.contains(&spec.table) {
                self.errors.push(InstallError::ForeignTable {
                    dpid: self.dpid,
                    app,
                    table: spec.table,
                });
                continue;
            }
            if self.wrong_slice(&a, Kind::Flow, &spec.slice) {
                continue;
            }
            let mut entry = FlowEntry::from_spec(&spec, cookie);
            let mut refs = Refs::default();
            // The operator names the switch's real groups and meters: nothing to map, and
            // the switch judges whether they exist.
            let mapped = if r.owner == Owner::Operator {
                Ok(())
            } else {
                ids::map_instructions(r.owner, &mut entry.instructions, &mut refs)
            };
            if let Err(reference) = mapped {
                self.errors.push(InstallError::NotLocal {
                    dpid: self.dpid,
                    app,
                    reference,
                });
                continue;
            }
            let key = entry.key();
            let holder = self
                .wanted
                .flows
                .get(&key)
                .or_else(|| self.state.installed.flows.get(&key))
                .map(|o| o.app);
            if let Some(first) = holder {
                self.errors.push(InstallError::DuplicateKey {
                    dpid: self.dpid,
                    app,
                    first: self.apps[first].app.name(),
                    table: spec.table,
                    priority: spec.priority,
                });
                continue;
            }
            let refused = self
                .state
                .failed
                .get(&key)
                .is_some_and(|f| f.entry.same_as(&entry));
            if self.state.conflicted.contains_key(&key) || refused {
                continue;
            }
            let owned = Owned {
                entry,
                app: a.app,
                slice: spec.slice,
            };
            match self.missing(&refs) {
                None => {
                    self.wanted.flows.insert(key, owned);
                }
                Some(Missing::Held) => {
                    self.state.failed.insert(key, owned);
                }
                Some(Missing::Group(g)) => self.errors.push(InstallError::MissingGroup {
                    dpid: self.dpid,
                    app,
                    table: spec.table,
                    priority: spec.priority,
                    group: LocalGroupId(super::local_id(g.0)),
                }),
                Some(Missing::Meter(m)) => self.errors.push(InstallError::MissingMeter {
                    dpid: self.dpid,
                    app,
                    table: spec.table,
                    priority: spec.priority,
                    meter: LocalMeterId(super::local_id(m.0)),
                }),
            }
        }
    }

    /// The first group or meter among `refs` that will not be on the switch, if any.
    fn missing(&self, refs: &Refs) -> Option<Missing> {
        let (wanted, state) = (&*self.wanted, &*self.state);
        for g in &refs.groups {
            if wanted.groups.contains_key(g) || state.installed.groups.contains_key(g) {
                continue;
            }
            return Some(if state.failed_groups.contains_key(g) {
                Missing::Held
            } else {
                Missing::Group(*g)
            });
        }
        for m in &refs.meters {
            if wanted.meters.contains_key(m) || state.installed.meters.contains_key(m) {
                continue;
            }
            return Some(if state.failed_meters.contains_key(m) {
                Missing::Held
            } else {
                Missing::Meter(*m)
            });
        }
        None
    }
}

/// The maps one kind of id-keyed entry (groups or meters) is checked against and put in.
struct IdTable<'a, E: ById> {
    wanted: &'a mut BTreeMap<E::Id, Owned<E>>,
    installed: &'a BTreeMap<E::Id, Owned<E>>,
    failed: &'a mut BTreeMap<E::Id, E>,
    /// What the parts asked had installed.
    before: &'a BTreeMap<E::Id, Owned<E>>,
    /// The switch has no table for this kind.
    unsupported: bool,
    kind: Kind,
}

/// One group or meter an app wants, on its way to the switch.
struct Wish<'a> {
    dpid: DatapathId,
    app: &'static str,
    /// The app's registration index.
    index: usize,
    /// The app-local id, for reports.
    local: u16,
    slice: &'a Slice,
    errors: &'a mut Vec<InstallError>,
}

impl Wish<'_> {
    /// Reports the id if another app or slice already wants or holds it.
    fn duplicate<E: ById>(&mut self, table: &IdTable<'_, E>, id: E::Id) -> bool {
        let taken = table.wanted.contains_key(&id) || table.installed.contains_key(&id);
        if taken {
            self.errors.push(InstallError::DuplicateId {
                dpid: self.dpid,
                app: self.app,
                kind: table.kind,
                id: self.local,
            });
        }
        taken
    }

    /// Puts `entry` among the wanted ones, unless the switch refused it in this very form
    /// (then what was there stays, as it was: still there after a refused modify, or absent)
    /// or has no table for it (reported, and held back until that changes).
    fn admit<E: ById>(&mut self, table: &mut IdTable<'_, E>, entry: E) {
        let id = entry.id();
        if table.failed.get(&id).is_some_and(|f| f.same_as(&entry)) {
            if let Some(had) = table.before.get(&id) {
                let kept = Owned {
                    slice: self.slice.clone(),
                    ..had.clone()
                };
                table.wanted.insert(id, kept);
            }
            return;
        }
        if table.unsupported {
            self.errors.push(InstallError::Unsupported {
                dpid: self.dpid,
                app: self.app,
                kind: table.kind,
                id: self.local,
            });
            table.failed.insert(id, entry);
            return;
        }
        let owned = Owned {
            entry,
            app: self.index,
            slice: self.slice.clone(),
        };
        table.wanted.insert(id, owned);
    }
}
