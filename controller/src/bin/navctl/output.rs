//! Output: aligned tables for people, proto3 JSON (what grpcurl prints) for scripts.

use std::io::Write;
use std::sync::OnceLock;

use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, SerializeOptions};

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns with a header.
    Table,
    /// The response message in the proto3 JSON mapping.
    Json,
}

/// Rows under a header, printed with each column as wide as its widest cell.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column names.
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells print empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, one line per row, columns separated by two spaces.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let header: Vec<String> = self.header.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map_or("", String::as_str);
                if i + 1 == n {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<width$}  "));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Prints the table to stdout.
    pub fn print(&self) {
        print!("{}", self.render());
    }
}

fn pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| {
        DescriptorPool::decode(navarch_proto::FILE_DESCRIPTOR_SET)
            .expect("the descriptor set compiled into this binary decodes")
    })
}

/// A message as proto3 JSON, named by its full type (`navarch.v1.Switch`).
pub fn json<M: Message>(full_name: &str, message: &M) -> String {
    let Some(descriptor) = pool().get_message_by_name(full_name) else {
        return "{}".to_owned();
    };
    let Ok(dynamic) = DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice()) else {
        return "{}".to_owned();
    };
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::new(&mut out);
    let options = SerializeOptions::new().skip_default_fields(false);
    if dynamic.serialize_with_options(&mut ser, &options).is_err() {
        return "{}".to_owned();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Prints one line and flushes (for streams read live).
pub fn line(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_to_the_widest_cell() {
        let mut t = Table::new(&["DPID", "PORTS", "NAME"]);
        t.row(vec!["0000000000000001".into(), "3".into(), "s1".into()]);
        t.row(vec!["2".into(), "12".into(), "".into()]);
        assert_eq!(
            t.render(),
            "DPID              PORTS  NAME\n0000000000000001  3      s1\n2                 12\n"
        );
    }

    #[test]
    fn json_is_the_proto3_mapping() {
        let s = navarch_proto::v1::Switch {
            dpid: 1,
            dpid_text: "0000000000000001".into(),
            ..Default::default()
        };
        let text = json("navarch.v1.Switch", &s);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        // uint64 is a string in proto3 JSON, names are lowerCamelCase.
        assert_eq!(v["dpid"], "1");
        assert_eq!(v["dpidText"], "0000000000000001");
        assert_eq!(v["reconciled"], false);
    }
}
