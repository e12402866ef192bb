//! Flow tables: `OFPT_TABLE_MOD` and the `OFPMP_TABLE` statistics record.

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::Ctx;
use crate::types::TableId;
use crate::wire::{PResult, Src, Wire, in_ctx, skip, u8_, u32_, u64_};

/// `OFPT_TABLE_MOD`: configure a flow table. In OpenFlow 1.3 every `config` bit is
/// deprecated, so the field is kept raw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableMod {
    /// The table to configure, or `TableId::ALL`.
    pub table_id: TableId,
    /// `ofp_table_config` bits.
    pub config: u32,
}

impl Wire for TableMod {
    fn wire_len(&self) -> usize {
        8
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u8(self.table_id.0);
        out.put_bytes(0, 3);
        out.put_u32(self.config);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Message, parse_table_mod(i))
    }
}

fn parse_table_mod(i: &[u8]) -> PResult<'_, TableMod> {
    let (i, table_id) = u8_(i)?;
    let (i, _) = skip(i, 3)?;
    let (i, config) = u32_(i)?;
    Ok((
        i,
        TableMod {
            table_id: TableId(table_id),
            config,
        },
    ))
}

impl fmt::Display for TableMod {
    /// OVS ignores the OpenFlow 1.3 config bits when it prints a table mod.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.table_id == TableId::ALL {
            f.write_str(" table_id: ALL_TABLES")
        } else {
            write!(f, " table_id={}", self.table_id.0)
        }
    }
}

/// `ofp_table_stats`: one record of an `OFPMP_TABLE` reply (24 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct TableStats {
    /// The table.
    pub table_id: TableId,
    /// Number of active entries.
    pub active_count: u32,
    /// Number of packets looked up in the table.
    pub lookup_count: u64,
    /// Number of packets that hit the table.
    pub matched_count: u64,
}

/// Length of `ofp_table_stats`.
pub const TABLE_STATS_LEN: usize = 24;

impl Wire for TableStats {
    fn wire_len(&self) -> usize {
        TABLE_STATS_LEN
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u8(self.table_id.0);
        out.put_bytes(0, 3);
        out.put_u32(self.active_count);
        out.put_u64(self.lookup_count);
        out.put_u64(self.matched_count);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Multipart, parse_table_stats(i))
    }
}

fn parse_table_stats(i: &[u8]) -> PResult<'_, TableStats> {
    let (i, table_id) = u8_(i)?;
    let (i, _) = skip(i, 3)?;
    let (i, active_count) = u32_(i)?;
    let (i, lookup_count) = u64_(i)?;
    let (i, matched_count) = u64_(i)?;
    Ok((
        i,
        TableStats {
            table_id: TableId(table_id),
            active_count,
            lookup_count,
            matched_count,
        },
    ))
}

impl TableStats {
    fn same_counts(&self, other: &TableStats) -> bool {
        self.active_count == other.active_count
            && self.lookup_count == other.lookup_count
            && self.matched_count == other.matched_count
    }
}

impl fmt::Display for TableStats {
    /// The record alone, as OVS prints a table whose counters differ from the previous one:
    /// `  table 0:` and the counters line, without a final newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  table {}:\n    active={}, lookup={}, matched={}",
            self.table_id.0, self.active_count, self.lookup_count, self.matched_count
        )
    }
}

/// The records of an `OFPST_TABLE` reply as OVS prints them after the title: each table
/// after a blank line, and runs of tables whose counters equal the previous table's collapsed
/// into `table N: ditto` / `tables N...M: ditto`.
pub struct TableStatsList<'a>(pub &'a [TableStats]);

impl fmt::Display for TableStatsList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Built the way OVS builds it (each block ends in a newline), then the final newline
        // dropped, as for every message body.
        fn ditto(s: &mut String, run: Option<(u8, u8)>) {
            match run {
                None => {}
                Some((a, b)) if a == b => s.push_str(&format!("\n  table {a}: ditto\n")),
                Some((a, b)) => s.push_str(&format!("\n  tables {a}...{b}: ditto\n")),
            }
        }
        let mut s = String::new();
        let mut run: Option<(u8, u8)> = None;
        let mut prev: Option<&TableStats> = None;
        for t in self.0 {
            if prev.is_some_and(|p| p.same_counts(t)) {
                let id = t.table_id.0;
                run = Some(run.map_or((id, id), |(a, _)| (a, id)));
            } else {
                ditto(&mut s, run.take());
                s.push_str(&format!("\n{t}\n"));
            }
            prev = Some(t);
        }
        ditto(&mut s, run);
        f.write_str(s.strip_suffix('\n').unwrap_or(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use bytes::Bytes;

    const BAD_LEN: ErrorCode = ErrorCode::BadRequest(BadRequestCode::BadLen);

    #[test]
    fn table_mod_wire_and_text() {
        // OVS tests/ofp-print.at "OFPT_TABLE_MOD - OF1.3".
        let b = Bytes::from_static(&[2, 0, 0, 0, 0, 0, 0, 0]);
        let tm = TableMod::from_bytes(&b).unwrap();
        assert_eq!(
            tm,
            TableMod {
                table_id: TableId(2),
                config: 0
            }
        );
        assert_eq!(tm.to_bytes(), b);
        assert_eq!(tm.to_string(), " table_id=2");
        // Checked with ovs-ofctl: the deprecated config bits are not shown.
        let all = TableMod {
            table_id: TableId::ALL,
            config: 3,
        };
        let bytes = all.to_bytes();
        assert_eq!(&bytes[..], &[0xff, 0, 0, 0, 0, 0, 0, 3]);
        assert_eq!(TableMod::from_bytes(&bytes).unwrap(), all);
        assert_eq!(all.to_string(), " table_id: ALL_TABLES");
    }

    #[test]
    fn table_mod_malformed() {
        let e = TableMod::from_bytes(&Bytes::from_static(&[2, 0, 0, 0, 0])).unwrap_err();
        assert_eq!(e.ofp_error(), BAD_LEN);
        let e =
            TableMod::from_bytes(&Bytes::from_static(&[2, 0, 0, 0, 0, 0, 0, 0, 0])).unwrap_err();
        assert_eq!(e.ofp_error(), BAD_LEN);
    }

    // OVS tests/ofp-print.at "OFPST_TABLE reply - OF1.3", the two records.
    const TABLE_STATS: [u8; 48] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x01, 0x01,
    ];

    fn two_tables() -> [TableStats; 2] {
        [
            TableStats {
                table_id: TableId(0),
                active_count: 11,
                lookup_count: 512,
                matched_count: 256,
            },
            TableStats {
                table_id: TableId(1),
                active_count: 12,
                lookup_count: 513,
                matched_count: 257,
            },
        ]
    }

    #[test]
    fn table_stats_wire() {
        let b = Bytes::from_static(&TABLE_STATS);
        let got: Vec<TableStats> = crate::wire::many_all(Src::new(&b), &b).unwrap();
        assert_eq!(got, two_tables());
        let mut out = BytesMut::new();
        crate::wire::emit_all(&two_tables(), &mut out);
        assert_eq!(&out[..], &TABLE_STATS);
        let e = TableStats::from_bytes(&b.slice(..23)).unwrap_err();
        assert_eq!(e, crate::DecodeError::truncated(Ctx::Multipart));
        assert_eq!(e.ofp_error(), BAD_LEN);
    }

    #[test]
    fn table_stats_display_matches_ovs() {
        assert_eq!(
            TableStatsList(&two_tables()).to_string(),
            "
  table 0:
    active=11, lookup=512, matched=256

  table 1:
    active=12, lookup=513, matched=257"
        );
        // Checked with ovs-ofctl on replies of three and four tables.
        let zero = |n| TableStats {
            table_id: TableId(n),
            ..TableStats::default()
        };
        let first = two_tables()[0];
        assert_eq!(
            TableStatsList(&[first, zero(1), zero(2)]).to_string(),
            "
  table 0:
    active=11, lookup=512, matched=256

  table 1:
    active=0, lookup=0, matched=0

  table 2: ditto"
        );
        assert_eq!(
            TableStatsList(&[first, zero(1), zero(2), zero(3)]).to_string(),
            "
  table 0:
    active=11, lookup=512, matched=256

  table 1:
    active=0, lookup=0, matched=0

  tables 2...3: ditto"
        );
        let five = TableStats {
            active_count: 5,
            ..zero(3)
        };
        assert_eq!(
            TableStatsList(&[first, zero(1), zero(2), five]).to_string(),
            "
  table 0:
    active=11, lookup=512, matched=256

  table 1:
    active=0, lookup=0, matched=0

  table 2: ditto

  table 3:
    active=5, lookup=0, matched=0"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_records_round_trip(body in proptest::collection::vec(0u8..=255, 0..100)) {
            let b = Bytes::from(body);
            if let Ok(tm) = TableMod::from_bytes(&b) {
                let _ = tm.to_string();
                proptest::prop_assert_eq!(TableMod::from_bytes(&tm.to_bytes()).unwrap(), tm);
            }
            if let Ok(ts) = crate::wire::many_all::<TableStats>(Src::new(&b), &b) {
                let _ = TableStatsList(&ts).to_string();
                let mut out = BytesMut::new();
                crate::wire::emit_all(&ts, &mut out);
                proptest::prop_assert_eq!(crate::wire::many_all::<TableStats>(Src::detached(), &out).unwrap(), ts);
            }
        }
    }
}
