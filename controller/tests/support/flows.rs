//! A switch's flow table as `ovs-ofctl -O OpenFlow13 dump-flows` prints it, parsed into rows
//! (cookie, duration, counters, table, priority, match, actions) that tests can compare.

use std::process::Command;
use std::time::Duration;

use super::HarnessError;
use super::ovs::run_checked;

/// OVS's default flow priority, which `ovs-ofctl` leaves out of its output.
pub const DEFAULT_PRIORITY: u16 = 32768;

/// One flow entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRow {
    /// The flow's cookie.
    pub cookie: u64,
    /// Time since the flow was added (or last modified with reset_counts).
    pub duration: Duration,
    /// Table id.
    pub table: u8,
    /// Packets matched.
    pub n_packets: u64,
    /// Bytes matched.
    pub n_bytes: u64,
    /// Idle timeout in seconds (0: none).
    pub idle_timeout: u16,
    /// Hard timeout in seconds (0: none).
    pub hard_timeout: u16,
    /// Priority.
    pub priority: u16,
    /// The match in ovs-ofctl syntax, without priority (empty: match everything).
    pub match_fields: String,
    /// The actions in ovs-ofctl syntax.
    pub actions: String,
}

impl FlowRow {
    /// The identity of the entry in a table (what a re-add would keep): table, priority, match.
    pub fn key(&self) -> (u8, u16, &str) {
        (self.table, self.priority, &self.match_fields)
    }
}

/// Reads bridge `bridge`'s flows from the system OVS (port numbers, not names).
pub fn dump_flows(bridge: &str) -> Result<Vec<FlowRow>, HarnessError> {
    let text = run_checked(
        Command::new("ovs-ofctl")
            .args(["-O", "OpenFlow13", "--no-names", "dump-flows"])
            .arg(bridge),
    )?;
    parse_dump_flows(&text)
}

/// Parses `ovs-ofctl dump-flows` output (the `OFPST_FLOW reply` header line is skipped).
pub fn parse_dump_flows(text: &str) -> Result<Vec<FlowRow>, HarnessError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("OFPST_FLOW") && !l.starts_with("NXST_FLOW"))
        .map(parse_flow_line)
        .collect()
}

fn bad(detail: impl Into<String>, line: &str) -> HarnessError {
    HarnessError::Parse {
        what: "ovs-ofctl dump-flows line",
        detail: detail.into(),
        text: line.into(),
    }
}

fn number<T: std::str::FromStr>(value: &str, line: &str) -> Result<T, HarnessError> {
    value
        .parse()
        .map_err(|_| bad(format!("bad number {value:?}"), line))
}

/// `cookie=0x5, duration=1.2s, table=0, n_packets=3, n_bytes=180, idle_timeout=60,
/// priority=10,in_port=1,dl_dst=… actions=output:2`: statistics are separated by ", ",
/// match fields by ",".
fn parse_flow_line(line: &str) -> Result<FlowRow, HarnessError> {
    let (head, actions) = line
        .rsplit_once(" actions=")
        .ok_or_else(|| bad("no actions=", line))?;
    let mut row = FlowRow {
        cookie: 0,
        duration: Duration::ZERO,
        table: 0,
        n_packets: 0,
        n_bytes: 0,
        idle_timeout: 0,
        hard_timeout: 0,
        priority: DEFAULT_PRIORITY,
        match_fields: String::new(),
        actions: actions.trim().to_string(),
    };
    let mut match_fields = Vec::new();
    for part in head.split(", ") {
        for (i, field) in part.split(',').enumerate() {
            let field = field.trim();
            let (key, value) = field.split_once('=').unwrap_or((field, ""));
            // Statistics lead each ", "-part; everything from the priority on is the match.
            let statistic = i == 0 || match_fields.is_empty();
            match key {
                "cookie" if statistic => {
                    let hex = value
                        .strip_prefix("0x")
                        .ok_or_else(|| bad("cookie not hex", line))?;
                    row.cookie =
                        u64::from_str_radix(hex, 16).map_err(|_| bad("bad cookie", line))?;
                }
                "duration" if statistic => {
                    let secs: f64 = number(value.trim_end_matches('s'), line)?;
                    row.duration =
                        Duration::try_from_secs_f64(secs).map_err(|_| bad("bad duration", line))?;
                }
                "table" if statistic => row.table = number(value, line)?,
                "n_packets" if statistic => row.n_packets = number(value, line)?,
                "n_bytes" if statistic => row.n_bytes = number(value, line)?,
                "idle_timeout" if statistic => row.idle_timeout = number(value, line)?,
                "hard_timeout" if statistic => row.hard_timeout = number(value, line)?,
                "idle_age" | "hard_age" | "importance" if statistic => {}
                "send_flow_rem" | "reset_counts" | "no_packet_counts" | "no_byte_counts"
                | "check_overlap"
                    if statistic && value.is_empty() => {}
                "priority" if statistic => row.priority = number(value, line)?,
                "" => return Err(bad("empty field", line)),
                _ => match_fields.push(field.to_string()),
            }
        }
    }
    row.match_fields = match_fields.join(",");
    Ok(row)
}

/// Polls `bridge`'s flows every 50 ms until `wanted` accepts them; the last rows read, or a
/// timeout error quoting them.
pub fn wait_for_flows(
    bridge: &str,
    timeout: Duration,
    wanted: impl Fn(&[FlowRow]) -> bool,
) -> Result<Vec<FlowRow>, HarnessError> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let rows = dump_flows(bridge)?;
        if wanted(&rows) {
            return Ok(rows);
        }
        if std::time::Instant::now() >= deadline {
            return Err(HarnessError::Timeout {
                what: format!("the expected flows on {bridge}; last read: {rows:?}"),
                after: timeout,
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
