//! navarchd's configuration: a TOML file, `NAVARCH_*` environment variables and command-line
//! flags, merged with the precedence flag > environment > file > default.
//!
//! Every key of the file is also a flag and (except the app settings tables) an environment
//! variable. `navarchd --print-default-config` prints [`default_config_text`], a commented file
//! listing every key with its default. Errors point at what set the bad value: a file error
//! reads `navarchd.toml:12:17: southbound.echo_timeout: ...`, a flag error
//! `command line --echo-timeout: southbound.echo_timeout: ...`.
//!
//! Defaults:
//!
//! | key | default | flag / env |
//! |---|---|---|
//! | `southbound.listen` | `["tcp:0.0.0.0:6653"]` | `--listen` / `NAVARCH_LISTEN` |
//! | `southbound.max_message_size` | 65535 | `--max-message-size` |
//! | `southbound.command_queue` | 1024 | `--command-queue` |
//! | `southbound.max_transmit_bytes` | 4 MiB | `--max-transmit-bytes` |
//! | `southbound.echo_interval` | 5s | `--echo-interval` |
//! | `southbound.echo_timeout` | 15s | `--echo-timeout` |
//! | `southbound.duplicate_dpid` | `replace-old` | `--duplicate-dpid` |
//! | `api.listen` | `127.0.0.1:50051` | `--api-listen` / `NAVARCH_API_LISTEN` |
//! | `store.data_dir` | `./navarch-data` | `--data-dir` |
//! | `topology.lldp_interval` | 5s | `--lldp-interval` |
//! | `topology.link_timeout` | 15s | `--link-timeout` |
//! | `topology.max_hosts` | 100000 | `--max-hosts` |
//! | `topology.cluster_secret[_file]` | generated in the data dir | `--cluster-secret[-file]` |
//! | `apps.enabled` | `["l2-learning"]` | `--app` / `NAVARCH_APPS` |
//! | `log.level` | `info` | `--log-level` |
//! | `log.format` | `text` | `--log-format` |
//!
//! Each flag's environment variable is `NAVARCH_` and the key's last part in capitals.
//! The data directory defaults to `./navarch-data` so that a first run needs neither root nor
//! setup; packaged installs set `data_dir = "/var/lib/navarch"`.
//!
//! How the daemon's `main` uses this module and [`crate::logging`]:
//!
//! ```no_run
//! use clap::Parser;
//! use navarch_controller::config::{Cli, Config, default_config_text};
//! use navarch_controller::logging;
//!
//! # async fn run() -> anyhow::Result<()> {
//! let cli = Cli::parse();
//! if cli.print_default_config {
//!     print!("{}", default_config_text());
//!     return Ok(());
//! }
//! let config = Config::load(&cli)?; // every error already reads `file:line:col: key: ...`
//! if cli.check_config {
//!     print!("{}", config.summary());
//!     return Ok(());
//! }
//! logging::init(&config.log)?;
//! let secret = config.cluster_secret()?;
//! let shutdown = logging::shutdown_signal()?;
//! // ... start the southbound listeners with config.southbound, then:
//! let signal = shutdown.await;
//! tracing::info!(?signal, "shutting down");
//! # let _ = secret;
//! # Ok(())
//! # }
//! ```

mod cli;
mod duration;
mod error;
mod example;
mod file;
mod listen;
mod resolve;
mod secret;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

pub use cli::Cli;
pub use duration::{DurationError, HumanDuration, parse_duration};
pub use error::{ConfigError, FileLocation, Origin};
pub use example::default_config_text;
pub use listen::{ListenAddr, ListenAddrError, OPENFLOW_PORT};
pub use secret::{CLUSTER_SECRET_FILE_NAME, MIN_CLUSTER_SECRET_LEN};

/// The whole, validated configuration of navarchd.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Switch connections.
    pub southbound: SouthboundConfig,
    /// The northbound gRPC API.
    pub api: ApiConfig,
    /// Durable state.
    pub store: StoreConfig,
    /// Link discovery and host tracking.
    pub topology: TopologyConfig,
    /// Which apps run and their settings.
    pub apps: AppsConfig,
    /// Logging.
    pub log: LogConfig,
}

impl Config {
    /// Loads the configuration from the file named by `--config` (or `NAVARCH_CONFIG`), the
    /// process environment and the flags in `cli`, and validates it.
    pub fn load(cli: &Cli) -> Result<Config, ConfigError> {
        Config::load_with_env(cli, |name| std::env::var(name).ok())
    }

    /// [`Config::load`] with the environment given as a lookup function (for tests, and for
    /// callers that sanitise the environment).
    pub fn load_with_env(
        cli: &Cli,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        resolve::load(cli, &env)
    }

    /// Parses and validates a config file's text alone, with no flags or environment
    /// (`path` is only used in error messages).
    pub fn from_toml(path: impl Into<PathBuf>, source: &str) -> Result<Config, ConfigError> {
        resolve::from_source(
            &Cli::default(),
            &|_: &str| None,
            Some((path.into(), source)),
        )
    }

    /// A one-line-per-key summary of the effective settings, as `--check-config` prints it;
    /// secrets are not shown.
    pub fn summary(&self) -> String {
        example::summary(self)
    }
}

/// `[southbound]`: how switches connect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SouthboundConfig {
    /// Addresses to accept switch connections on.
    pub listen: Vec<ListenAddr>,
    /// Largest OpenFlow message accepted from a switch, in bytes (at most 65535).
    pub max_message_size: usize,
    /// Commands queued for one switch's task before senders wait.
    pub command_queue: usize,
    /// Bytes waiting to be written to one switch before sends fail.
    pub max_transmit_bytes: usize,
    /// Idle time before an echo request probes a switch.
    pub echo_interval: Duration,
    /// Silence after a probe before a switch is dropped; longer than `echo_interval`.
    pub echo_timeout: Duration,
    /// What happens when a second connection claims a connected datapath id.
    pub duplicate_dpid: DuplicateDpidPolicy,
}

impl Default for SouthboundConfig {
    fn default() -> Self {
        SouthboundConfig {
            listen: vec![ListenAddr::Tcp(
                (std::net::Ipv4Addr::UNSPECIFIED, OPENFLOW_PORT).into(),
            )],
            max_message_size: usize::from(u16::MAX),
            command_queue: 1024,
            max_transmit_bytes: 4 << 20,
            echo_interval: Duration::from_secs(5),
            echo_timeout: Duration::from_secs(15),
            duplicate_dpid: DuplicateDpidPolicy::ReplaceOld,
        }
    }
}

impl SouthboundConfig {
    /// The OpenFlow channel settings these values imply (the others keep their defaults).
    pub fn channel_config(&self) -> openflow::ChannelConfig {
        openflow::ChannelConfig {
            max_message_len: self.max_message_size,
            echo_interval: self.echo_interval,
            echo_timeout: self.echo_timeout,
            max_transmit_bytes: self.max_transmit_bytes,
            ..openflow::ChannelConfig::default()
        }
    }
}

/// What to do when a connection claims a datapath id that is already connected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DuplicateDpidPolicy {
    /// Close the old connection and keep the new one (a switch that restarted before its old
    /// connection timed out reconnects at once). `replace-old`.
    #[default]
    ReplaceOld,
    /// Refuse the new connection while the old one lives. `reject-new`.
    RejectNew,
}

/// A word that is not one of a setting's allowed values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid value {given:?} (expected {expected})")]
pub struct UnknownWordError {
    /// The rejected text.
    pub given: String,
    /// The accepted words.
    pub expected: &'static str,
}

impl FromStr for DuplicateDpidPolicy {
    type Err = UnknownWordError;
    fn from_str(text: &str) -> Result<Self, UnknownWordError> {
        match text {
            "replace-old" => Ok(DuplicateDpidPolicy::ReplaceOld),
            "reject-new" => Ok(DuplicateDpidPolicy::RejectNew),
            _ => Err(UnknownWordError {
                given: text.to_owned(),
                expected: "\"replace-old\" or \"reject-new\"",
            }),
        }
    }
}

impl fmt::Display for DuplicateDpidPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DuplicateDpidPolicy::ReplaceOld => "replace-old",
            DuplicateDpidPolicy::RejectNew => "reject-new",
        })
    }
}

/// `[store]`: where durable state lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreConfig {
    /// The data directory (created on first use).
    pub data_dir: PathBuf,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            data_dir: PathBuf::from("./navarch-data"),
        }
    }
}

/// `[topology]`: link discovery and host tracking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopologyConfig {
    /// Time between LLDP probes on every port.
    pub lldp_interval: Duration,
    /// A link unseen for this long is removed; longer than `lldp_interval`.
    pub link_timeout: Duration,
    /// Most hosts tracked at once.
    pub max_hosts: usize,
    /// Where the secret keying LLDP signatures comes from.
    pub cluster_secret: ClusterSecretSource,
}

impl Default for TopologyConfig {
    fn default() -> Self {
        TopologyConfig {
            lldp_interval: Duration::from_secs(5),
            link_timeout: Duration::from_secs(15),
            max_hosts: 100_000,
            cluster_secret: ClusterSecretSource::Generated,
        }
    }
}

/// Where the cluster secret comes from; read it with [`Config::cluster_secret`].
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ClusterSecretSource {
    /// Given in the configuration itself.
    Inline(String),
    /// Read from this file.
    File(PathBuf),
    /// Generated once and kept in the data directory.
    #[default]
    Generated,
}

impl fmt::Debug for ClusterSecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterSecretSource::Inline(_) => f.write_str("Inline(<redacted>)"),
            ClusterSecretSource::File(path) => f.debug_tuple("File").field(path).finish(),
            ClusterSecretSource::Generated => f.write_str("Generated"),
        }
    }
}

/// `[apps]`: which apps run, and each app's settings table.
#[derive(Clone, Debug, PartialEq)]
pub struct AppsConfig {
    /// App names, in the order they are started.
    pub enabled: Vec<String>,
    /// `[apps.<name>]` tables, by app name.
    pub settings: BTreeMap<String, toml::Table>,
}

impl Default for AppsConfig {
    fn default() -> Self {
        AppsConfig {
            enabled: vec!["l2-learning".to_owned()],
            settings: BTreeMap::new(),
        }
    }
}

impl AppsConfig {
    /// An app's `[apps.<name>]` table as JSON (an empty object when it has none).
    pub fn settings_json(&self, app: &str) -> serde_json::Value {
        self.settings
            .get(app)
            .and_then(|table| serde_json::to_value(table).ok())
            .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()))
    }
}

/// `[api]`: the northbound gRPC API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiConfig {
    /// Where the API listens (loopback by default: expose it deliberately).
    pub listen: std::net::SocketAddr,
}

/// The API's default port, as gRPC examples use.
pub const API_PORT: u16 = 50051;

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], API_PORT)),
        }
    }
}

/// `[log]`: what is logged and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogConfig {
    /// A tracing filter (`info`, `warn,navarch_controller=debug`); `RUST_LOG` overrides it.
    pub level: String,
    /// Human-readable lines or one JSON object per event.
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".to_owned(),
            format: LogFormat::Text,
        }
    }
}

/// How log events are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event. `text`.
    #[default]
    Text,
    /// One JSON object per line. `json`.
    Json,
}

impl FromStr for LogFormat {
    type Err = UnknownWordError;
    fn from_str(text: &str) -> Result<Self, UnknownWordError> {
        match text {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(UnknownWordError {
                given: text.to_owned(),
                expected: "\"text\" or \"json\"",
            }),
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        })
    }
}
