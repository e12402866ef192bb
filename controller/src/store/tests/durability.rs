//! The store on disk: reopen, batches, refusals, snapshots and compaction, the lock.

use std::fs;
use std::path::Path;

use super::super::{ApplyError, Command, Revision, State, Store, StoreError, StoreOptions};
use super::{history, host, link, options, switch};

/// The data directory's file names, sorted, without the lock file.
fn data_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "LOCK")
        .collect();
    names.sort();
    names
}

fn segment_len(dir: &Path) -> u64 {
    let name = data_files(dir)
        .into_iter()
        .rfind(|n| n.starts_with("log-"))
        .unwrap();
    fs::metadata(dir.join(name)).unwrap().len()
}

#[test]
fn a_reopened_store_equals_the_one_that_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let written = {
        let mut store = Store::open(dir.path(), options()).unwrap();
        for (i, cmd) in history().iter().enumerate() {
            let applied = store.apply(cmd).unwrap();
            assert_eq!(applied.revision, Revision(i as u64 + 1));
        }
        store.state().clone()
    };
    let store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.state(), &written);
    assert_eq!(store.revision(), Revision(history().len() as u64));
    assert_eq!(store.state().to_bytes(), written.to_bytes());
}

#[test]
fn a_reopened_store_keeps_appending_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let cmds = history();
    let (first, second) = cmds.split_at(5);
    {
        let mut store = Store::open(dir.path(), options()).unwrap();
        for cmd in first {
            store.apply(cmd).unwrap();
        }
    }
    {
        let mut store = Store::open(dir.path(), options()).unwrap();
        for cmd in second {
            store.apply(cmd).unwrap();
        }
    }
    let mut expected = State::new();
    for cmd in &cmds {
        expected.apply(cmd).unwrap();
    }
    assert_eq!(
        Store::open(dir.path(), options()).unwrap().state(),
        &expected
    );
}

#[test]
fn a_refused_command_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), options()).unwrap();
    store.apply(&switch(1, &[1])).unwrap();
    let len = segment_len(dir.path());
    let err = store.apply(&Command::LinkUp(link(1, 1, 2, 1))).unwrap_err();
    assert!(matches!(
        err,
        StoreError::Rejected {
            index: 0,
            source: ApplyError::UnknownSwitch { dpid: 2 }
        }
    ));
    assert_eq!(segment_len(dir.path()), len);
    assert_eq!(store.revision(), Revision(1));
    drop(store);
    assert_eq!(
        Store::open(dir.path(), options()).unwrap().revision(),
        Revision(1)
    );
}

#[test]
fn a_batch_is_all_or_nothing_and_sees_its_own_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), options()).unwrap();
    // The host refers to a switch the same batch adds.
    let applied = store
        .apply_batch(&[switch(1, &[1]), Command::HostUpsert(host(1, 1, 1))])
        .unwrap();
    assert_eq!(
        applied.iter().map(|a| a.revision).collect::<Vec<_>>(),
        [Revision(1), Revision(2)]
    );
    let len = segment_len(dir.path());
    let err = store
        .apply_batch(&[
            switch(2, &[1]),
            Command::HostUpsert(host(2, 3, 1)),
            switch(4, &[1]),
        ])
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Rejected {
            index: 1,
            source: ApplyError::UnknownSwitch { dpid: 3 }
        }
    ));
    assert!(store.state().switch(2).is_none());
    assert_eq!(segment_len(dir.path()), len);
    assert!(store.apply_batch(&[]).unwrap().is_empty());
    let state = store.state().clone();
    drop(store);
    assert_eq!(Store::open(dir.path(), options()).unwrap().state(), &state);
}

#[test]
fn a_snapshot_compacts_the_log_and_reopens_to_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let cmds = history();
    let state = {
        let mut store = Store::open(dir.path(), options()).unwrap();
        for cmd in &cmds[..6] {
            store.apply(cmd).unwrap();
        }
        assert_eq!(store.snapshot().unwrap(), Revision(6));
        assert_eq!(
            data_files(dir.path()),
            [
                "log-00000000000000000006.wal",
                "snapshot-00000000000000000006.snap"
            ]
        );
        for cmd in &cmds[6..] {
            store.apply(cmd).unwrap();
        }
        store.state().clone()
    };
    let mut store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.state(), &state);
    assert_eq!(store.snapshot_revision(), Revision(6));

    // A second snapshot replaces the first and its log.
    store.snapshot().unwrap();
    let last = format!("{:020}", cmds.len());
    assert_eq!(
        data_files(dir.path()),
        [format!("log-{last}.wal"), format!("snapshot-{last}.snap")]
    );
    drop(store);
    assert_eq!(Store::open(dir.path(), options()).unwrap().state(), &state);
}

#[test]
fn snapshots_are_taken_every_n_commands() {
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions {
        sync: false,
        snapshot_every: 4,
    };
    let mut store = Store::open(dir.path(), opts.clone()).unwrap();
    for cmd in history() {
        store.apply(&cmd).unwrap();
    }
    // 11 commands: snapshots at 4 and 8, three commands in the log after the last.
    assert_eq!(store.snapshot_revision(), Revision(8));
    assert_eq!(
        data_files(dir.path()),
        [
            "log-00000000000000000008.wal",
            "snapshot-00000000000000000008.snap"
        ]
    );
    let state = store.state().clone();
    drop(store);
    assert_eq!(Store::open(dir.path(), opts).unwrap().state(), &state);
}

#[test]
fn the_lock_keeps_a_second_store_out_until_the_first_closes() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(dir.path(), options()).unwrap();
    match Store::open(dir.path(), options()) {
        Err(StoreError::Locked { dir: locked, .. }) => assert_eq!(locked, dir.path()),
        other => panic!("second open was not refused: {other:?}"),
    }
    drop(first);
    Store::open(dir.path(), options()).unwrap();
}

#[test]
fn an_empty_store_opens_creates_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    drop(Store::open(&data, options()).unwrap());
    let store = Store::open(&data, options()).unwrap();
    assert_eq!(store.revision(), Revision(0));
    assert_eq!(store.state(), &State::new());
    assert_eq!(data_files(&data), ["log-00000000000000000000.wal"]);
}
