//! Recovery from what crashes and disks leave behind.

use std::fs;
use std::path::{Path, PathBuf};

use super::super::log::{read_segment, segment_file_name};
use super::super::snapshot::{snapshot_file_name, write_snapshot};
use super::super::{Command, Revision, State, Store, StoreError};
use super::{history, options, switch};

fn first_segment(dir: &Path) -> PathBuf {
    dir.join(segment_file_name(Revision(0)))
}

/// Write `cmds` one record each into a fresh store in `dir`; returns each record's offset.
fn write_records(dir: &Path, cmds: &[Command]) -> Vec<u64> {
    let mut store = Store::open(dir, options()).unwrap();
    for cmd in cmds {
        store.apply(cmd).unwrap();
    }
    drop(store);
    read_segment(&first_segment(dir), true)
        .unwrap()
        .records
        .iter()
        .map(|r| r.offset)
        .collect()
}

fn state_of(cmds: &[Command]) -> State {
    let mut state = State::new();
    for cmd in cmds {
        state.apply(cmd).unwrap();
    }
    state
}

#[test]
fn a_log_cut_anywhere_in_its_last_record_recovers_the_state_before_it() {
    let cmds = history();
    let written = tempfile::tempdir().unwrap();
    let offsets = write_records(written.path(), &cmds);
    let log = fs::read(first_segment(written.path())).unwrap();
    let last = *offsets.last().unwrap() as usize;
    let before = state_of(&cmds[..cmds.len() - 1]);
    let after = state_of(&cmds);

    for cut in last..=log.len() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(first_segment(dir.path()), &log[..cut]).unwrap();
        let mut store =
            Store::open(dir.path(), options()).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        let expected = if cut == log.len() { &after } else { &before };
        assert_eq!(store.state(), expected, "cut at byte {cut}");
        // The torn bytes are gone, so new records follow intact ones.
        store.apply(&switch(9, &[1])).unwrap();
        drop(store);
        let reopened = Store::open(dir.path(), options()).unwrap();
        assert_eq!(reopened.revision(), expected.revision().next(), "cut {cut}");
    }
}

#[test]
fn a_zero_filled_tail_is_treated_as_torn() {
    let dir = tempfile::tempdir().unwrap();
    let cmds = history();
    write_records(dir.path(), &cmds);
    let path = first_segment(dir.path());
    let mut log = fs::read(&path).unwrap();
    log.extend_from_slice(&[0; 4096]);
    fs::write(&path, &log).unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.state(), &state_of(&cmds));
}

#[test]
fn a_damaged_record_in_the_middle_is_an_error_naming_file_and_offset() {
    let cmds = history();
    let dir = tempfile::tempdir().unwrap();
    let offsets = write_records(dir.path(), &cmds);
    let path = first_segment(dir.path());
    let pristine = fs::read(&path).unwrap();

    // A flipped payload byte (checksum) and a flipped length byte (length check).
    for (victim, delta) in [(3usize, 20u64), (5, 0)] {
        let mut log = pristine.clone();
        log[(offsets[victim] + delta) as usize] ^= 0x40;
        fs::write(&path, &log).unwrap();
        match Store::open(dir.path(), options()) {
            Err(err @ StoreError::CorruptLog { .. }) => {
                let StoreError::CorruptLog { file, offset, .. } = &err else {
                    unreachable!()
                };
                assert_eq!(file, &path);
                assert_eq!(*offset, offsets[victim]);
                let text = err.to_string();
                assert!(text.contains(&path.display().to_string()), "{text}");
                assert!(
                    text.contains(&format!("offset {}", offsets[victim])),
                    "{text}"
                );
            }
            other => panic!("corruption at record {victim} not reported: {other:?}"),
        }
    }
}

#[test]
fn a_record_from_a_newer_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_records(dir.path(), &[switch(1, &[1])]);
    let path = first_segment(dir.path());
    let mut log = fs::read(&path).unwrap();
    // Frame a well-checksummed record with version 2 by hand.
    let payload = br#"{"v":2,"commands":[]}"#;
    let offset = log.len() as u64;
    log.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    log.extend_from_slice(&(!(payload.len() as u32)).to_le_bytes());
    log.extend_from_slice(&super::super::crc32::crc32(payload).to_le_bytes());
    log.extend_from_slice(payload);
    fs::write(&path, &log).unwrap();
    match Store::open(dir.path(), options()) {
        Err(StoreError::Undecodable { offset: at, .. }) => assert_eq!(at, offset),
        other => panic!("newer format not refused: {other:?}"),
    }
}

#[test]
fn a_torn_tail_in_an_older_segment_is_corruption() {
    let dir = tempfile::tempdir().unwrap();
    write_records(dir.path(), &history()[..3]);
    let old = first_segment(dir.path());
    let mut log = fs::read(&old).unwrap();
    log.truncate(log.len() - 2);
    fs::write(&old, &log).unwrap();
    // A newer segment that continues after revision 2 makes the first one not the newest.
    fs::copy(&old, dir.path().join(segment_file_name(Revision(2)))).unwrap();
    let mut newer = fs::read(dir.path().join(segment_file_name(Revision(2)))).unwrap();
    newer.truncate(16);
    newer[8..16].copy_from_slice(&2u64.to_le_bytes());
    fs::write(dir.path().join(segment_file_name(Revision(2))), newer).unwrap();
    assert!(matches!(
        Store::open(dir.path(), options()),
        Err(StoreError::CorruptLog { file, .. }) if file == old
    ));
}

#[test]
fn a_segment_that_does_not_connect_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    write_records(dir.path(), &history()[..2]);
    let from = first_segment(dir.path());
    let gap = dir.path().join(segment_file_name(Revision(5)));
    let mut bytes = fs::read(&from).unwrap();
    bytes[8..16].copy_from_slice(&5u64.to_le_bytes());
    fs::write(&gap, bytes).unwrap();
    fs::remove_file(&from).unwrap();
    assert!(matches!(
        Store::open(dir.path(), options()),
        Err(StoreError::LogGap {
            expected: Revision(1),
            found: Revision(5),
            ..
        })
    ));
}

#[test]
fn a_crash_between_snapshot_and_new_segment_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cmds = history();
    write_records(dir.path(), &cmds[..5]);
    // The snapshot landed but the store died before starting the next segment.
    write_snapshot(dir.path(), &state_of(&cmds[..5])).unwrap();
    let mut store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.state(), &state_of(&cmds[..5]));
    for cmd in &cmds[5..] {
        store.apply(cmd).unwrap();
    }
    drop(store);
    assert_eq!(
        Store::open(dir.path(), options()).unwrap().state(),
        &state_of(&cmds)
    );
}

#[test]
fn a_snapshot_ahead_of_the_log_starts_a_new_segment() {
    let dir = tempfile::tempdir().unwrap();
    let cmds = history();
    write_records(dir.path(), &cmds[..3]);
    // Log cut back to two records (say, restored from an older copy) but a snapshot at 5.
    let offsets = read_segment(&first_segment(dir.path()), true)
        .unwrap()
        .records
        .iter()
        .map(|r| r.offset)
        .collect::<Vec<_>>();
    let log = fs::read(first_segment(dir.path())).unwrap();
    fs::write(first_segment(dir.path()), &log[..offsets[2] as usize]).unwrap();
    write_snapshot(dir.path(), &state_of(&cmds[..5])).unwrap();
    let mut store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.revision(), Revision(5));
    store.apply(&cmds[5]).unwrap();
    drop(store);
    assert!(dir.path().join(segment_file_name(Revision(5))).exists());
    assert_eq!(
        Store::open(dir.path(), options()).unwrap().state(),
        &state_of(&cmds[..6])
    );
}

#[test]
fn a_damaged_snapshot_is_an_error_not_an_empty_state() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path(), options()).unwrap();
        for cmd in history() {
            store.apply(&cmd).unwrap();
        }
        store.snapshot().unwrap();
    }
    let path = dir
        .path()
        .join(snapshot_file_name(Revision(history().len() as u64)));
    let mut bytes = fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Store::open(dir.path(), options()),
        Err(StoreError::CorruptSnapshot { file, .. }) if file == path
    ));
    bytes.truncate(middle);
    fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Store::open(dir.path(), options()),
        Err(StoreError::CorruptSnapshot { .. })
    ));
}

#[test]
fn leftover_temporary_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    write_records(dir.path(), &history()[..2]);
    let tmp = dir.path().join("snapshot-00000000000000000002.snap.tmp");
    fs::write(&tmp, b"half a snap").unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.revision(), Revision(2));
    assert!(!tmp.exists());
}
