//! navarchd's command line: one flag per config key, plus the actions that do not run the
//! daemon. Environment fallbacks (`NAVARCH_*`) are applied by [`Config::load`], not by clap,
//! so that tests can supply their own environment and errors can name the variable.
//!
//! [`Config::load`]: super::Config::load

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use super::duration::{DurationError, parse_duration};
use super::listen::ListenAddr;
use super::{DuplicateDpidPolicy, LogFormat};

/// navarchd, the navarch SDN controller. Every setting can come from the config file, from an
/// environment variable or from a flag; a flag beats the environment, which beats the file,
/// which beats the built-in default.
#[derive(Clone, Debug, Default, PartialEq, Parser)]
#[command(name = "navarchd", version)]
pub struct Cli {
    /// Config file (TOML) [env: NAVARCH_CONFIG]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Load and check the configuration, print a summary and exit.
    #[arg(long)]
    pub check_config: bool,
    /// Print the default configuration (a valid, commented config file) and exit.
    #[arg(long)]
    pub print_default_config: bool,

    /// Listen for switches on ADDR (tcp:IP[:PORT] or unix:PATH); repeat for several; replaces
    /// the file's list [env: NAVARCH_LISTEN, comma-separated]
    #[arg(long, value_name = "ADDR")]
    pub listen: Vec<ListenAddr>,
    /// Largest OpenFlow message accepted from a switch, in bytes [env: NAVARCH_MAX_MESSAGE_SIZE]
    #[arg(long, value_name = "BYTES")]
    pub max_message_size: Option<u64>,
    /// Commands queued for one switch before senders wait [env: NAVARCH_COMMAND_QUEUE]
    #[arg(long, value_name = "N")]
    pub command_queue: Option<u64>,
    /// Bytes waiting to be written to one switch before sends fail [env: NAVARCH_MAX_TRANSMIT_BYTES]
    #[arg(long, value_name = "BYTES")]
    pub max_transmit_bytes: Option<u64>,
    /// Idle time before an echo request probes a switch, e.g. 5s [env: NAVARCH_ECHO_INTERVAL]
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub echo_interval: Option<Duration>,
    /// Silence after a probe before a switch is dropped, e.g. 15s [env: NAVARCH_ECHO_TIMEOUT]
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub echo_timeout: Option<Duration>,
    /// What to do when a second connection claims a connected datapath id
    /// [env: NAVARCH_DUPLICATE_DPID]
    #[arg(long, value_name = "POLICY")]
    pub duplicate_dpid: Option<DuplicateDpidPolicy>,

    /// Where the gRPC API listens, IP:PORT [env: NAVARCH_API_LISTEN]
    #[arg(long, value_name = "IP:PORT")]
    pub api_listen: Option<std::net::SocketAddr>,

    /// Directory of the store (and of the generated cluster secret) [env: NAVARCH_DATA_DIR]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Time between LLDP probes on every port, e.g. 5s [env: NAVARCH_LLDP_INTERVAL]
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub lldp_interval: Option<Duration>,
    /// A link unseen for this long is removed, e.g. 15s [env: NAVARCH_LINK_TIMEOUT]
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub link_timeout: Option<Duration>,
    /// Most hosts tracked at once [env: NAVARCH_MAX_HOSTS]
    #[arg(long, value_name = "N")]
    pub max_hosts: Option<u64>,
    /// Secret keying LLDP signatures, at least 16 bytes; visible to `ps`, so prefer the file
    /// or the environment [env: NAVARCH_CLUSTER_SECRET]
    #[arg(long, value_name = "SECRET")]
    pub cluster_secret: Option<String>,
    /// File holding the cluster secret [env: NAVARCH_CLUSTER_SECRET_FILE]
    #[arg(long, value_name = "FILE")]
    pub cluster_secret_file: Option<PathBuf>,

    /// Run app NAME; repeat for several; replaces the file's list [env: NAVARCH_APPS,
    /// comma-separated]
    #[arg(long = "app", value_name = "NAME")]
    pub apps: Vec<String>,

    /// Log filter: a level (info) or tracing directives (info,navarch_controller=debug);
    /// RUST_LOG, when set, wins [env: NAVARCH_LOG_LEVEL]
    #[arg(long, value_name = "FILTER")]
    pub log_level: Option<String>,
    /// Log format on stderr [env: NAVARCH_LOG_FORMAT]
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
}

/// clap's parser for duration flags.
fn duration_arg(text: &str) -> Result<Duration, DurationError> {
    parse_duration(text)
}
