//! The config file as written: every value optional and kept with its byte span, so that a
//! later check can say where a bad value was set. Unknown keys are errors.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::error::{ConfigError, FileLocation};

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigFile {
    pub southbound: Option<SouthboundFile>,
    pub api: Option<ApiFile>,
    pub store: Option<StoreFile>,
    pub topology: Option<TopologyFile>,
    /// `enabled` plus one settings table per app; checked by hand because app names are keys.
    pub apps: Option<BTreeMap<String, Spanned<toml::Value>>>,
    pub log: Option<LogFile>,
}

/// `[southbound]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SouthboundFile {
    pub listen: Option<Spanned<Vec<Spanned<String>>>>,
    pub max_message_size: Option<Spanned<u64>>,
    pub command_queue: Option<Spanned<u64>>,
    pub max_transmit_bytes: Option<Spanned<u64>>,
    pub echo_interval: Option<Spanned<String>>,
    pub echo_timeout: Option<Spanned<String>>,
    pub duplicate_dpid: Option<Spanned<String>>,
}

/// `[api]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiFile {
    pub listen: Option<Spanned<String>>,
}

/// `[store]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoreFile {
    pub data_dir: Option<Spanned<String>>,
}

/// `[topology]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TopologyFile {
    pub lldp_interval: Option<Spanned<String>>,
    pub link_timeout: Option<Spanned<String>>,
    pub max_hosts: Option<Spanned<u64>>,
    pub cluster_secret: Option<Spanned<String>>,
    pub cluster_secret_file: Option<Spanned<String>>,
}

/// `[log]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogFile {
    pub level: Option<Spanned<String>>,
    pub format: Option<Spanned<String>>,
}

/// Parses `source`, the text of `path`. Errors carry `path:line:column` and the dotted key.
pub(crate) fn parse(path: &Path, source: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(source).map_err(|e| {
        let offset = e.span().map_or(0, |span| span.start);
        ConfigError::Syntax {
            location: FileLocation::at(path.to_owned(), source, offset),
            key: key_at(source, offset),
            message: e.message().trim().replace('\n', "; "),
        }
    })
}

/// The dotted key being defined at byte `offset` of a TOML text: the enclosing table header
/// plus the key of the assignment the offset is in (or the header itself, when the offset is
/// on a header line). A reading of the source, good for error messages, not a TOML parser:
/// it follows headers and `key = value` lines and skips continuation lines of arrays.
pub(crate) fn key_at(source: &str, offset: usize) -> Option<String> {
    let mut table: Vec<String> = Vec::new();
    let mut key: Option<Vec<String>> = None;
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        if line_start > offset {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            let inner = trimmed.trim_start_matches('[');
            let end = inner.find(']').unwrap_or(inner.len());
            table = split_dotted(&inner[..end]).unwrap_or_default();
            key = None;
        } else if let Some(parts) = trimmed
            .find('=')
            .and_then(|eq| split_dotted(&trimmed[..eq]))
        {
            key = Some(parts);
        }
        line_start += line.len();
    }
    let mut path = table;
    path.extend(key.unwrap_or_default());
    (!path.is_empty()).then(|| path.join("."))
}

/// Splits a TOML dotted key (`a.b`, `"a b".c`), or `None` if the text is not a key.
fn split_dotted(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    for part in text.split('.') {
        let part = part.trim();
        let bare = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let quoted = part.len() >= 2
            && ((part.starts_with('"') && part.ends_with('"'))
                || (part.starts_with('\'') && part.ends_with('\'')));
        if bare {
            parts.push(part.to_owned());
        } else if quoted {
            parts.push(part[1..part.len() - 1].to_owned());
        } else {
            return None;
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_at_an_offset() {
        let src = "top = 1\n[southbound]\nlisten = [\n  \"a=b\",\n  1,\n]\nmax_message_size = 5\n\
                   [apps.\"l2-learning\"]\nidle = 3\n";
        let at = |needle: &str| key_at(src, src.find(needle).unwrap());
        assert_eq!(at("top").as_deref(), Some("top"));
        assert_eq!(at("[southbound]").as_deref(), Some("southbound"));
        assert_eq!(at("listen").as_deref(), Some("southbound.listen"));
        assert_eq!(at("1,").as_deref(), Some("southbound.listen"));
        assert_eq!(at("5\n").as_deref(), Some("southbound.max_message_size"));
        assert_eq!(at("[apps").as_deref(), Some("apps.l2-learning"));
        assert_eq!(at("3\n").as_deref(), Some("apps.l2-learning.idle"));
        assert_eq!(key_at("# nothing\n", 3), None);
    }
}
