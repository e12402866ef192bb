//! Merging the layers (flag > environment > file > default) and validating the result. Every
//! value is kept with its [`Origin`] until validation is done, so errors point at the flag,
//! variable or `file:line:column` that set it.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use toml::Spanned;

use super::duration::{HumanDuration, parse_duration};
use super::error::{ConfigError, FileLocation, Origin};
use super::file::{self, ConfigFile};
use super::listen::ListenAddr;
use super::{
    ApiConfig, AppsConfig, Cli, ClusterSecretSource, Config, LogConfig, SouthboundConfig,
    StoreConfig, TopologyConfig, secret,
};

mod apps;
mod southbound;
mod topology;

/// A setting's names: its dotted key in the file, its flag and its environment variable.
struct Key {
    name: &'static str,
    flag: &'static str,
    env: &'static str,
}

macro_rules! keys {
    ($($id:ident = $name:literal, $flag:literal, $env:literal;)*) => {
        $(const $id: Key = Key { name: $name, flag: $flag, env: $env };)*
    };
}

keys! {
    LISTEN = "southbound.listen", "--listen", "NAVARCH_LISTEN";
    MAX_MESSAGE_SIZE = "southbound.max_message_size", "--max-message-size", "NAVARCH_MAX_MESSAGE_SIZE";
    COMMAND_QUEUE = "southbound.command_queue", "--command-queue", "NAVARCH_COMMAND_QUEUE";
    MAX_TRANSMIT_BYTES = "southbound.max_transmit_bytes", "--max-transmit-bytes", "NAVARCH_MAX_TRANSMIT_BYTES";
    ECHO_INTERVAL = "southbound.echo_interval", "--echo-interval", "NAVARCH_ECHO_INTERVAL";
    ECHO_TIMEOUT = "southbound.echo_timeout", "--echo-timeout", "NAVARCH_ECHO_TIMEOUT";
    DUPLICATE_DPID = "southbound.duplicate_dpid", "--duplicate-dpid", "NAVARCH_DUPLICATE_DPID";
    API_LISTEN = "api.listen", "--api-listen", "NAVARCH_API_LISTEN";
    DATA_DIR = "store.data_dir", "--data-dir", "NAVARCH_DATA_DIR";
    LLDP_INTERVAL = "topology.lldp_interval", "--lldp-interval", "NAVARCH_LLDP_INTERVAL";
    LINK_TIMEOUT = "topology.link_timeout", "--link-timeout", "NAVARCH_LINK_TIMEOUT";
    MAX_HOSTS = "topology.max_hosts", "--max-hosts", "NAVARCH_MAX_HOSTS";
    CLUSTER_SECRET = "topology.cluster_secret", "--cluster-secret", "NAVARCH_CLUSTER_SECRET";
    CLUSTER_SECRET_FILE = "topology.cluster_secret_file", "--cluster-secret-file", "NAVARCH_CLUSTER_SECRET_FILE";
    APPS = "apps.enabled", "--app", "NAVARCH_APPS";
    LOG_LEVEL = "log.level", "--log-level", "NAVARCH_LOG_LEVEL";
    LOG_FORMAT = "log.format", "--log-format", "NAVARCH_LOG_FORMAT";
}

/// The environment variable naming the config file when `--config` is absent.
const CONFIG_ENV: &str = "NAVARCH_CONFIG";

/// The smallest `max_message_size` accepted: room for any handshake message.
const MIN_MESSAGE_SIZE: u64 = 64;

/// Reads the config file named by the flag or the environment, then merges and validates.
pub(crate) fn load(cli: &Cli, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    let path = cli
        .config
        .clone()
        .or_else(|| env(CONFIG_ENV).map(PathBuf::from));
    match path {
        None => from_source(cli, env, None),
        Some(path) => {
            let source = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            from_source(cli, env, Some((path, &source)))
        }
    }
}

/// Merges `cli`, `env` and the file text (if any) and validates the result.
pub(crate) fn from_source(
    cli: &Cli,
    env: &dyn Fn(&str) -> Option<String>,
    file: Option<(PathBuf, &str)>,
) -> Result<Config, ConfigError> {
    let (path, source, parsed) = match file {
        Some((path, source)) => {
            let parsed = file::parse(&path, source)?;
            (path, source, parsed)
        }
        None => (PathBuf::new(), "", ConfigFile::default()),
    };
    let layers = Layers { path, source, env };
    layers.config(cli, parsed)
}

/// A value and where it came from.
struct Set<T> {
    value: T,
    origin: Origin,
}

/// The sources being merged.
struct Layers<'a> {
    path: PathBuf,
    source: &'a str,
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl Layers<'_> {
    fn config(&self, cli: &Cli, file: ConfigFile) -> Result<Config, ConfigError> {
        let southbound = self.southbound(cli, file.southbound.unwrap_or_default())?;
        let api_listen = self.pick(
            &API_LISTEN,
            cli.api_listen,
            file.api.unwrap_or_default().listen,
            |s| socket_addr(&s),
            socket_addr,
            ApiConfig::default().listen,
        )?;
        let store_file = file.store.unwrap_or_default();
        let data_dir = self.pick(
            &DATA_DIR,
            cli.data_dir.clone(),
            store_file.data_dir,
            |s| Ok(PathBuf::from(s)),
            |s| Ok(PathBuf::from(s)),
            StoreConfig::default().data_dir,
        )?;
        if data_dir.value.as_os_str().is_empty() {
            return Err(ConfigError::invalid(
                &data_dir.origin,
                DATA_DIR.name,
                "must not be empty",
            ));
        }
        let topology = self.topology(cli, file.topology.unwrap_or_default())?;
        let apps = self.apps(cli, file.apps.unwrap_or_default())?;
        let log = self.log(cli, file.log.unwrap_or_default())?;
        Ok(Config {
            southbound,
            api: ApiConfig {
                listen: api_listen.value,
            },
            store: StoreConfig {
                data_dir: data_dir.value,
            },
            topology,
            apps,
            log,
        })
    }

    fn log(&self, cli: &Cli, file: super::file::LogFile) -> Result<LogConfig, ConfigError> {
        let default = LogConfig::default();
        let level = self.pick(
            &LOG_LEVEL,
            cli.log_level.clone(),
            file.level,
            Ok,
            |s| Ok(s.to_owned()),
            default.level,
        )?;
        let invalid =
            |message: String| ConfigError::invalid(&level.origin, LOG_LEVEL.name, message);
        if level.value.trim().is_empty() {
            return Err(invalid("must not be empty (e.g. \"info\")".to_owned()));
        }
        tracing_subscriber::EnvFilter::builder()
            .parse(&level.value)
            .map_err(|e| invalid(format!("invalid filter {:?}: {e}", level.value)))?;
        let format = self.pick(
            &LOG_FORMAT,
            cli.log_format,
            file.format,
            |s| s.parse().map_err(|e| format!("{e}")),
            |s| s.parse().map_err(|e| format!("{e}")),
            default.format,
        )?;
        Ok(LogConfig {
            level: level.value,
            format: format.value,
        })
    }

    /// The origin of a file value at `span`.
    fn at(&self, span: Range<usize>) -> Origin {
        Origin::File(FileLocation::at(self.path.clone(), self.source, span.start))
    }

    /// The value of `key` from the highest layer that sets it, converted and checked.
    fn pick<T, R>(
        &self,
        key: &Key,
        flag: Option<T>,
        file: Option<Spanned<R>>,
        from_file: impl FnOnce(R) -> Result<T, String>,
        from_env: impl FnOnce(&str) -> Result<T, String>,
        default: T,
    ) -> Result<Set<T>, ConfigError> {
        let (result, origin) = if let Some(value) = flag {
            (Ok(value), Origin::Flag(key.flag))
        } else if let Some(text) = (self.env)(key.env) {
            (from_env(&text), Origin::Env(key.env))
        } else if let Some(spanned) = file {
            let origin = self.at(spanned.span());
            (from_file(spanned.into_inner()), origin)
        } else {
            (Ok(default), Origin::Default)
        };
        match result {
            Ok(value) => Ok(Set { value, origin }),
            Err(message) => Err(ConfigError::invalid(&origin, key.name, message)),
        }
    }

    fn duration(
        &self,
        key: &Key,
        flag: Option<Duration>,
        file: Option<Spanned<String>>,
        default: Duration,
    ) -> Result<Set<Duration>, ConfigError> {
        let parse = |s: &str| parse_duration(s).map_err(|e| e.to_string());
        let set = self.pick(key, flag, file, |s| parse(&s), parse, default)?;
        if set.value.is_zero() {
            return Err(ConfigError::invalid(
                &set.origin,
                key.name,
                "must be longer than zero",
            ));
        }
        Ok(set)
    }

    fn count(
        &self,
        key: &Key,
        flag: Option<u64>,
        file: Option<Spanned<u64>>,
        default: usize,
    ) -> Result<Set<usize>, ConfigError> {
        let to_usize =
            |n: u64| usize::try_from(n).map_err(|_| format!("{n} is too large for this machine"));
        let from_env = |s: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| format!("expected a non-negative integer, got {s:?}"))
                .and_then(to_usize)
        };
        let flag = match flag {
            Some(n) => Some(
                to_usize(n)
                    .map_err(|m| ConfigError::invalid(&Origin::Flag(key.flag), key.name, m))?,
            ),
            None => None,
        };
        self.pick(key, flag, file, to_usize, from_env, default)
    }
}

/// How strongly an origin binds: flags beat the environment, which beats the file.
fn rank(origin: &Origin) -> u8 {
    match origin {
        Origin::Default => 0,
        Origin::File(_) => 1,
        Origin::Env(_) => 2,
        Origin::Flag(_) => 3,
    }
}

/// Zero is not a usable bound.
fn positive(set: &Set<usize>, key: &Key) -> Result<(), ConfigError> {
    if set.value == 0 {
        return Err(ConfigError::invalid(
            &set.origin,
            key.name,
            "must be at least 1",
        ));
    }
    Ok(())
}

/// `long` must exceed `short`; the error blames whichever of the two was set explicitly
/// (the longer one when both were).
fn longer(
    short: &Set<Duration>,
    short_key: &Key,
    long: &Set<Duration>,
    long_key: &Key,
) -> Result<(), ConfigError> {
    if long.value > short.value {
        return Ok(());
    }
    if long.origin == Origin::Default {
        let message = format!(
            "must be shorter than {} ({})",
            long_key.name,
            HumanDuration(long.value)
        );
        return Err(ConfigError::invalid(&short.origin, short_key.name, message));
    }
    let message = format!(
        "must be longer than {} ({})",
        short_key.name,
        HumanDuration(short.value)
    );
    Err(ConfigError::invalid(&long.origin, long_key.name, message))
}

/// An `IP:PORT` socket address.
fn socket_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    text.trim().parse().map_err(|_| {
        format!("{text:?} is not an address of the form IP:PORT (e.g. \"127.0.0.1:50051\")")
    })
}
