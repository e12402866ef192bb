//! navarchd's configuration end to end: defaults, a full file, precedence of flags over the
//! environment over the file, and the exact text of every kind of error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use navarch_controller::config::{
    ApiConfig, AppsConfig, Cli, ClusterSecretSource, Config, ConfigError, DuplicateDpidPolicy,
    ListenAddr, LogConfig, LogFormat, SouthboundConfig, StoreConfig, TopologyConfig,
    default_config_text,
};

/// A file setting every key to something other than its default.
const FULL: &str = r#"# Every key, none at its default.
[southbound]
listen = [
    "tcp:127.0.0.1:16653",
    "unix:/run/navarch/ofp.sock",
]
max_message_size = 32768
command_queue = 64
max_transmit_bytes = 1048576
echo_interval = "2s"
echo_timeout = "6s500ms"
duplicate_dpid = "reject-new"

[api]
listen = "0.0.0.0:6000"

[store]
data_dir = "/var/lib/navarch"

[topology]
lldp_interval = "1s"
link_timeout = "3s"
max_hosts = 5000
cluster_secret_file = "/etc/navarch/cluster-secret"

[apps]
enabled = ["l2-learning", "stats"]

[apps.l2-learning]
idle_timeout = 300
flood = { tree = true }

[log]
level = "info,navarch_controller::southbound=debug"
format = "json"
"#;

fn full_expected() -> Config {
    let mut l2 = toml::Table::new();
    l2.insert("idle_timeout".into(), toml::Value::Integer(300));
    let mut flood = toml::Table::new();
    flood.insert("tree".into(), toml::Value::Boolean(true));
    l2.insert("flood".into(), toml::Value::Table(flood));
    Config {
        southbound: SouthboundConfig {
            listen: vec![
                ListenAddr::Tcp("127.0.0.1:16653".parse().unwrap()),
                ListenAddr::Unix("/run/navarch/ofp.sock".into()),
            ],
            max_message_size: 32768,
            command_queue: 64,
            max_transmit_bytes: 1 << 20,
            echo_interval: Duration::from_secs(2),
            echo_timeout: Duration::from_millis(6500),
            duplicate_dpid: DuplicateDpidPolicy::RejectNew,
        },
        api: ApiConfig {
            listen: "0.0.0.0:6000".parse().unwrap(),
        },
        store: StoreConfig {
            data_dir: "/var/lib/navarch".into(),
        },
        topology: TopologyConfig {
            lldp_interval: Duration::from_secs(1),
            link_timeout: Duration::from_secs(3),
            max_hosts: 5000,
            cluster_secret: ClusterSecretSource::File("/etc/navarch/cluster-secret".into()),
        },
        apps: AppsConfig {
            enabled: vec!["l2-learning".into(), "stats".into()],
            settings: BTreeMap::from([("l2-learning".to_owned(), l2)]),
        },
        log: LogConfig {
            level: "info,navarch_controller::southbound=debug".into(),
            format: LogFormat::Json,
        },
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// The error text of loading `source` as `navarchd.toml`.
fn file_error(source: &str) -> String {
    Config::from_toml("navarchd.toml", source)
        .unwrap_err()
        .to_string()
}

fn cli(args: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("navarchd").chain(args.iter().copied())).unwrap()
}

fn write_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("navarchd.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn defaults() {
    let config = Config::load_with_env(&Cli::default(), no_env).unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.southbound.listen[0].to_string(), "tcp:0.0.0.0:6653");
    assert_eq!(config.southbound.listen.len(), 1);
    assert_eq!(config.southbound.echo_interval, Duration::from_secs(5));
    assert_eq!(config.southbound.echo_timeout, Duration::from_secs(15));
    assert_eq!(config.southbound.max_message_size, 65535);
    assert_eq!(config.store.data_dir, PathBuf::from("./navarch-data"));
    assert_eq!(config.apps.enabled, ["l2-learning"]);
    assert_eq!(config.log.format, LogFormat::Text);
    assert_eq!(
        Config::from_toml("empty.toml", "").unwrap(),
        Config::default()
    );
    let channel = config.southbound.channel_config();
    assert_eq!(channel.max_message_len, 65535);
    assert_eq!(channel.echo_timeout, Duration::from_secs(15));
}

#[test]
fn full_file() {
    assert_eq!(
        Config::from_toml("full.toml", FULL).unwrap(),
        full_expected()
    );
    let config = full_expected();
    assert_eq!(
        config.apps.settings_json("l2-learning"),
        serde_json::json!({"idle_timeout": 300, "flood": {"tree": true}})
    );
    assert_eq!(config.apps.settings_json("stats"), serde_json::json!({}));
}

#[test]
fn printed_default_config_round_trips() {
    let text = default_config_text();
    assert_eq!(
        Config::from_toml("default.toml", &text).unwrap(),
        Config::default()
    );
    // Every key is spelled out (uncommented) except the optional secret sources.
    for key in [
        "listen =",
        "max_message_size =",
        "command_queue =",
        "max_transmit_bytes =",
        "echo_interval =",
        "echo_timeout =",
        "duplicate_dpid =",
        "data_dir =",
        "lldp_interval =",
        "link_timeout =",
        "max_hosts =",
        "enabled =",
        "level =",
        "format =",
    ] {
        assert!(text.lines().any(|l| l.starts_with(key)), "{key} missing");
    }
}

#[test]
fn summary_lists_effective_values_and_hides_secrets() {
    let summary = full_expected().summary();
    assert_eq!(
        summary,
        r#"southbound.listen = ["tcp:127.0.0.1:16653", "unix:/run/navarch/ofp.sock"]
southbound.max_message_size = 32768
southbound.command_queue = 64
southbound.max_transmit_bytes = 1048576
southbound.echo_interval = "2s"
southbound.echo_timeout = "6s500ms"
southbound.duplicate_dpid = "reject-new"
api.listen = "0.0.0.0:6000"
store.data_dir = "/var/lib/navarch"
topology.lldp_interval = "1s"
topology.link_timeout = "3s"
topology.max_hosts = 5000
topology.cluster_secret = file /etc/navarch/cluster-secret
apps.enabled = ["l2-learning", "stats"]
apps.l2-learning = { flood = { tree = true }, idle_timeout = 300 }
log.level = "info,navarch_controller::southbound=debug"
log.format = "json"
"#
    );
    let mut inline = Config::default();
    inline.topology.cluster_secret = ClusterSecretSource::Inline("0123456789abcdef".into());
    let summary = inline.summary();
    assert!(
        summary.contains("topology.cluster_secret = inline (hidden)\n"),
        "{summary}"
    );
    assert!(!summary.contains("0123456789abcdef"));
}

#[test]
fn precedence_flag_over_env_over_file_over_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        dir.path(),
        "[southbound]\necho_interval = \"7s\"\nlisten = [\"tcp:127.0.0.1:1\"]\n\
         [apps]\nenabled = [\"from-file\"]\n[log]\nformat = \"json\"\n",
    );
    let path_text = path.to_str().unwrap();
    let env = |name: &str| match name {
        "NAVARCH_ECHO_INTERVAL" => Some("8s".to_owned()),
        "NAVARCH_LISTEN" => Some("tcp:127.0.0.1:2,unix:/tmp/e.sock".to_owned()),
        "NAVARCH_APPS" => Some("from-env".to_owned()),
        _ => None,
    };
    let flags = cli(&[
        "--config",
        path_text,
        "--echo-interval",
        "9s",
        "--listen",
        "tcp:127.0.0.1:3",
        "--listen",
        "unix:/tmp/f.sock",
        "--app",
        "from-flag",
    ]);
    let config = Config::load_with_env(&flags, env).unwrap();
    assert_eq!(config.southbound.echo_interval, Duration::from_secs(9));
    assert_eq!(
        config.southbound.listen,
        [
            "tcp:127.0.0.1:3".parse().unwrap(),
            "unix:/tmp/f.sock".parse().unwrap()
        ]
    );
    assert_eq!(config.apps.enabled, ["from-flag"]);
    // Nobody overrides the file's log format; nobody sets the lldp interval.
    assert_eq!(config.log.format, LogFormat::Json);
    assert_eq!(config.topology.lldp_interval, Duration::from_secs(5));

    let config = Config::load_with_env(&cli(&["--config", path_text]), env).unwrap();
    assert_eq!(config.southbound.echo_interval, Duration::from_secs(8));
    assert_eq!(
        config.southbound.listen,
        [
            "tcp:127.0.0.1:2".parse().unwrap(),
            "unix:/tmp/e.sock".parse().unwrap()
        ]
    );
    assert_eq!(config.apps.enabled, ["from-env"]);

    let config = Config::load_with_env(&cli(&["--config", path_text]), no_env).unwrap();
    assert_eq!(config.southbound.echo_interval, Duration::from_secs(7));
    assert_eq!(config.apps.enabled, ["from-file"]);

    // NAVARCH_CONFIG names the file when --config is absent.
    let by_env = |name: &str| (name == "NAVARCH_CONFIG").then(|| path_text.to_owned());
    let config = Config::load_with_env(&Cli::default(), by_env).unwrap();
    assert_eq!(config.southbound.echo_interval, Duration::from_secs(7));
}

#[test]
fn every_flag_has_its_key() {
    let flags = cli(&[
        "--listen=tcp:127.0.0.1:16653",
        "--listen=unix:/run/navarch/ofp.sock",
        "--max-message-size=32768",
        "--command-queue=64",
        "--max-transmit-bytes=1048576",
        "--echo-interval=2s",
        "--echo-timeout=6s500ms",
        "--duplicate-dpid=reject-new",
        "--api-listen=0.0.0.0:6000",
        "--data-dir=/var/lib/navarch",
        "--lldp-interval=1s",
        "--link-timeout=3s",
        "--max-hosts=5000",
        "--cluster-secret-file=/etc/navarch/cluster-secret",
        "--app=l2-learning",
        "--app=stats",
        "--log-level=info,navarch_controller::southbound=debug",
        "--log-format=json",
    ]);
    let mut expected = full_expected();
    expected.apps.settings.clear();
    assert_eq!(Config::load_with_env(&flags, no_env).unwrap(), expected);
}

#[test]
fn every_env_var_has_its_key() {
    let env = |name: &str| {
        let value = match name {
            "NAVARCH_LISTEN" => "tcp:127.0.0.1:16653, unix:/run/navarch/ofp.sock",
            "NAVARCH_MAX_MESSAGE_SIZE" => "32768",
            "NAVARCH_COMMAND_QUEUE" => "64",
            "NAVARCH_MAX_TRANSMIT_BYTES" => "1048576",
            "NAVARCH_ECHO_INTERVAL" => "2s",
            "NAVARCH_ECHO_TIMEOUT" => "6s500ms",
            "NAVARCH_DUPLICATE_DPID" => "reject-new",
            "NAVARCH_API_LISTEN" => "0.0.0.0:6000",
            "NAVARCH_DATA_DIR" => "/var/lib/navarch",
            "NAVARCH_LLDP_INTERVAL" => "1s",
            "NAVARCH_LINK_TIMEOUT" => "3s",
            "NAVARCH_MAX_HOSTS" => "5000",
            "NAVARCH_CLUSTER_SECRET_FILE" => "/etc/navarch/cluster-secret",
            "NAVARCH_APPS" => "l2-learning,stats",
            "NAVARCH_LOG_LEVEL" => "info,navarch_controller::southbound=debug",
            "NAVARCH_LOG_FORMAT" => "json",
            _ => return None,
        };
        Some(value.to_owned())
    };
    let mut expected = full_expected();
    expected.apps.settings.clear();
    assert_eq!(
        Config::load_with_env(&Cli::default(), env).unwrap(),
        expected
    );
}

#[test]
fn syntax_and_type_errors_name_file_line_column_and_key() {
    assert_eq!(
        file_error("[southbound\nlisten = []\n"),
        "navarchd.toml:1:12: southbound: invalid table header; expected `.`, `]`"
    );
    assert_eq!(
        file_error("[southbound]\nmax_message_size = \"big\"\n"),
        "navarchd.toml:2:20: southbound.max_message_size: invalid type: string \"big\", \
         expected u64"
    );
    assert_eq!(
        file_error("[topology]\nmax_hosts = -1\n"),
        "navarchd.toml:2:13: topology.max_hosts: invalid value: integer `-1`, expected u64"
    );
    assert_eq!(
        file_error("[southbound]\nlisten = [\n  \"tcp:127.0.0.1\",\n  6653,\n]\n"),
        "navarchd.toml:4:3: southbound.listen: invalid type: integer `6653`, expected a string"
    );
    assert_eq!(
        file_error("[log]\nlevel = \"info\"\nlevel = \"debug\"\n"),
        "navarchd.toml:3:1: log.level: duplicate key `level` in table `log`"
    );
}

#[test]
fn unknown_keys_are_errors_with_their_line() {
    assert_eq!(
        file_error("[southbound]\nlisten = []\necho_intervall = \"5s\"\n"),
        "navarchd.toml:3:1: southbound.echo_intervall: unknown field `echo_intervall`, expected \
         one of `listen`, `max_message_size`, `command_queue`, `max_transmit_bytes`, \
         `echo_interval`, `echo_timeout`, `duplicate_dpid`"
    );
    assert_eq!(
        file_error("# comment\n[southbnd]\n"),
        "navarchd.toml:2:2: southbnd: unknown field `southbnd`, expected one of `southbound`, \
         `api`, `store`, `topology`, `apps`, `log`"
    );
    assert_eq!(
        file_error("[apps]\nenable = [\"l2-learning\"]\n"),
        "navarchd.toml:2:10: apps.enable: is not a table: [apps] holds `enabled` and one \
         [apps.<name>] table of settings per app"
    );
}

#[test]
fn invalid_values_name_where_they_were_set() {
    assert_eq!(
        file_error("[southbound]\necho_interval = \"5x\"\n"),
        "navarchd.toml:2:17: southbound.echo_interval: invalid duration \"5x\": unknown unit \
         \"x\" (use ns, us, ms, s, m or h)"
    );
    assert_eq!(
        file_error("[topology]\nlldp_interval = \"0s\"\n"),
        "navarchd.toml:2:17: topology.lldp_interval: must be longer than zero"
    );
    assert_eq!(
        file_error("[southbound]\necho_interval = \"10s\"\necho_timeout = \"10s\"\n"),
        "navarchd.toml:3:16: southbound.echo_timeout: must be longer than \
         southbound.echo_interval (10s)"
    );
    assert_eq!(
        file_error("[southbound]\necho_interval = \"20s\"\n"),
        "navarchd.toml:2:17: southbound.echo_interval: must be shorter than \
         southbound.echo_timeout (15s)"
    );
    assert_eq!(
        file_error("[topology]\nlldp_interval = \"5s\"\nlink_timeout = \"4s\"\n"),
        "navarchd.toml:3:16: topology.link_timeout: must be longer than \
         topology.lldp_interval (5s)"
    );
    assert_eq!(
        file_error("[southbound]\nlisten = [\n  \"tcp:127.0.0.1\",\n  \"udp:1.2.3.4\",\n]\n"),
        "navarchd.toml:4:3: southbound.listen: listen address \"udp:1.2.3.4\" must start with \
         \"tcp:\" or \"unix:\" (e.g. tcp:6653, tcp:127.0.0.1:6653, unix:/run/navarch.sock)"
    );
    assert_eq!(
        file_error("[southbound]\nlisten = [\"tcp:127.0.0.1\", \"tcp:127.0.0.1:6653\"]\n"),
        "navarchd.toml:2:28: southbound.listen: tcp:127.0.0.1:6653 is listed twice"
    );
    assert_eq!(
        file_error("[southbound]\nlisten = []\n"),
        "navarchd.toml:2:10: southbound.listen: needs at least one address"
    );
    assert_eq!(
        file_error("[southbound]\nduplicate_dpid = \"keep-both\"\n"),
        "navarchd.toml:2:18: southbound.duplicate_dpid: invalid value \"keep-both\" (expected \
         \"replace-old\" or \"reject-new\")"
    );
    assert_eq!(
        file_error("[southbound]\nmax_message_size = 70000\n"),
        "navarchd.toml:2:20: southbound.max_message_size: must be between 64 and 65535 bytes, \
         got 70000"
    );
    assert_eq!(
        file_error("[southbound]\nmax_transmit_bytes = 1000\n"),
        "navarchd.toml:2:22: southbound.max_transmit_bytes: must be at least 65535 \
         (southbound.max_message_size), got 1000"
    );
    assert_eq!(
        file_error("[southbound]\ncommand_queue = 0\n"),
        "navarchd.toml:2:17: southbound.command_queue: must be at least 1"
    );
    assert_eq!(
        file_error("[topology]\nmax_hosts = 0\n"),
        "navarchd.toml:2:13: topology.max_hosts: must be at least 1"
    );
    assert_eq!(
        file_error("[store]\ndata_dir = \"\"\n"),
        "navarchd.toml:2:12: store.data_dir: must not be empty"
    );
    assert_eq!(
        file_error("[topology]\ncluster_secret = \"short\"\n"),
        "navarchd.toml:2:18: topology.cluster_secret: must be at least 16 bytes, got 5"
    );
    assert_eq!(
        file_error(
            "[topology]\ncluster_secret = \"0123456789abcdef\"\ncluster_secret_file = \"/s\"\n"
        ),
        "navarchd.toml:3:23: topology.cluster_secret_file: set only one of \
         topology.cluster_secret and topology.cluster_secret_file"
    );
    assert_eq!(
        file_error("[apps]\nenabled = \"l2-learning\"\n"),
        "navarchd.toml:2:11: apps.enabled: expected an array of app names"
    );
    assert_eq!(
        file_error("[apps]\nenabled = [\"l2\", \"l2\"]\n"),
        "navarchd.toml:2:11: apps.enabled: app \"l2\" is enabled twice"
    );
    assert_eq!(
        file_error("[apps]\nenabled = [\"L2 Learning\"]\n"),
        "navarchd.toml:2:11: apps.enabled: invalid app name \"L2 Learning\" (use a-z, 0-9, '-' \
         and '_')"
    );
    assert_eq!(
        file_error("[log]\nformat = \"xml\"\n"),
        "navarchd.toml:2:10: log.format: invalid value \"xml\" (expected \"text\" or \"json\")"
    );
    assert_eq!(
        file_error("[log]\nlevel = \"\"\n"),
        "navarchd.toml:2:9: log.level: must not be empty (e.g. \"info\")"
    );
    let err = file_error("[log]\nlevel = \"info,[\"\n");
    assert!(
        err.starts_with("navarchd.toml:2:9: log.level: invalid filter \"info,[\": "),
        "{err}"
    );
}

#[test]
fn flag_and_env_errors_name_the_flag_or_variable() {
    let env = |name: &str| (name == "NAVARCH_ECHO_TIMEOUT").then(|| "soon".to_owned());
    assert_eq!(
        Config::load_with_env(&Cli::default(), env)
            .unwrap_err()
            .to_string(),
        "environment NAVARCH_ECHO_TIMEOUT: southbound.echo_timeout: invalid duration \"soon\": \
         expected a number at \"soon\""
    );
    let env = |name: &str| (name == "NAVARCH_MAX_HOSTS").then(|| "lots".to_owned());
    assert_eq!(
        Config::load_with_env(&Cli::default(), env)
            .unwrap_err()
            .to_string(),
        "environment NAVARCH_MAX_HOSTS: topology.max_hosts: expected a non-negative integer, got \
         \"lots\""
    );
    let env = |name: &str| (name == "NAVARCH_LISTEN").then(|| "tcp:1.2.3.4,".to_owned());
    assert_eq!(
        Config::load_with_env(&Cli::default(), env)
            .unwrap_err()
            .to_string(),
        "environment NAVARCH_LISTEN: southbound.listen: listen address \"\" must start with \
         \"tcp:\" or \"unix:\" (e.g. tcp:6653, tcp:127.0.0.1:6653, unix:/run/navarch.sock)"
    );
    assert_eq!(
        Config::load_with_env(&cli(&["--echo-timeout", "1s"]), no_env)
            .unwrap_err()
            .to_string(),
        "command line --echo-timeout: southbound.echo_timeout: must be longer than \
         southbound.echo_interval (5s)"
    );
    // Values clap itself rejects name the flag in clap's own error.
    let err = Cli::try_parse_from(["navarchd", "--echo-interval", "5x"]).unwrap_err();
    assert!(
        err.to_string().contains(
            "invalid value '5x' for '--echo-interval <DURATION>': invalid duration \"5x\": \
             unknown unit \"x\""
        ),
        "{err}"
    );
    let err = Cli::try_parse_from(["navarchd", "--listen", "6653"]).unwrap_err();
    assert!(err.to_string().contains("'--listen <ADDR>'"), "{err}");
}

#[test]
fn layers_can_replace_each_others_secret_source() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        dir.path(),
        "[topology]\ncluster_secret = \"0123456789abcdef\"\n",
    );
    let flags = cli(&[
        "--config",
        path.to_str().unwrap(),
        "--cluster-secret-file",
        "/s",
    ]);
    let config = Config::load_with_env(&flags, no_env).unwrap();
    assert_eq!(
        config.topology.cluster_secret,
        ClusterSecretSource::File("/s".into())
    );
    let config =
        Config::load_with_env(&cli(&["--config", path.to_str().unwrap()]), no_env).unwrap();
    assert_eq!(config.cluster_secret().unwrap(), b"0123456789abcdef");
    assert_eq!(
        format!("{:?}", config.topology.cluster_secret),
        "Inline(<redacted>)"
    );
}

#[test]
fn generated_secret_lives_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let flags = cli(&["--data-dir", data.to_str().unwrap()]);
    let config = Config::load_with_env(&flags, no_env).unwrap();
    let secret = config.cluster_secret().unwrap();
    assert_eq!(secret.len(), 64);
    assert_eq!(config.cluster_secret().unwrap(), secret);
    assert_eq!(
        std::fs::read(data.join("cluster-secret")).unwrap(),
        [&secret[..], b"\n"].concat()
    );
}

#[test]
fn unreadable_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.toml");
    let err =
        Config::load_with_env(&cli(&["--config", missing.to_str().unwrap()]), no_env).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: cannot read config file: No such file or directory (os error 2)",
            missing.display()
        )
    );
}

#[test]
fn actions_are_flags() {
    assert!(cli(&["--check-config"]).check_config);
    assert!(cli(&["--print-default-config"]).print_default_config);
    assert!(Cli::try_parse_from(["navarchd", "--bogus"]).is_err());
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text, TOML or not, gives a config or an error, never a panic.
        #[test]
        fn on_any_text(source in "\\PC{0,200}") {
            let _ = Config::from_toml("x.toml", &source);
        }

        /// Cutting or overwriting the full example anywhere gives a config or an error, and
        /// an error always starts with the file name and a line.
        #[test]
        fn on_mutated_files(at in 0..FULL.len(), cut in 0usize..40, junk in "[\\[\\]=\"a-z0-9., \n]{0,8}") {
            let mut source = FULL.as_bytes()[..at].to_vec();
            source.extend_from_slice(junk.as_bytes());
            source.extend_from_slice(&FULL.as_bytes()[(at + cut).min(FULL.len())..]);
            let source = String::from_utf8_lossy(&source);
            if let Err(e) = Config::from_toml("x.toml", &source) {
                prop_assert!(e.to_string().starts_with("x.toml:"), "{e}");
            }
        }

        /// Durations print in a form that parses back to the same value.
        #[test]
        fn durations_round_trip(nanos in 0u64..u64::MAX / 4) {
            use navarch_controller::config::{HumanDuration, parse_duration};
            let d = Duration::from_nanos(nanos);
            prop_assert_eq!(parse_duration(&HumanDuration(d).to_string()), Ok(d));
        }
    }
}

#[test]
fn command_line_definition_is_consistent_and_documents_env_vars() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
    let help = Cli::command().render_long_help().to_string();
    for env in [
        "NAVARCH_CONFIG",
        "NAVARCH_LISTEN",
        "NAVARCH_MAX_MESSAGE_SIZE",
        "NAVARCH_COMMAND_QUEUE",
        "NAVARCH_MAX_TRANSMIT_BYTES",
        "NAVARCH_ECHO_INTERVAL",
        "NAVARCH_ECHO_TIMEOUT",
        "NAVARCH_DUPLICATE_DPID",
        "NAVARCH_API_LISTEN",
        "NAVARCH_DATA_DIR",
        "NAVARCH_LLDP_INTERVAL",
        "NAVARCH_LINK_TIMEOUT",
        "NAVARCH_MAX_HOSTS",
        "NAVARCH_CLUSTER_SECRET",
        "NAVARCH_CLUSTER_SECRET_FILE",
        "NAVARCH_APPS",
        "NAVARCH_LOG_LEVEL",
        "NAVARCH_LOG_FORMAT",
    ] {
        assert!(help.contains(env), "{env} missing from --help");
    }
}
