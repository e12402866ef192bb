//! The default configuration as a commented config file (`--print-default-config`), and the
//! effective settings as `--check-config` prints them.

use std::fmt::Write;

use super::duration::HumanDuration;
use super::{ClusterSecretSource, Config};

/// A complete config file listing every key with its default value and what it means.
/// Parsing it gives [`Config::default`].
pub fn default_config_text() -> String {
    let c = Config::default();
    let sb = &c.southbound;
    let listen = quoted_list(sb.listen.iter().map(ToString::to_string));
    let apps = quoted_list(c.apps.enabled.iter().cloned());
    format!(
        r#"# navarchd configuration. Every key is optional; shown here with its default.
# Every key is also a flag (--echo-timeout 15s) and an environment variable
# (NAVARCH_ECHO_TIMEOUT=15s); a flag beats the environment, which beats this file.
# Durations are written like 15s, 500ms, 1m30s or 2h.

[southbound]
# Where switches connect: "tcp:IP[:PORT]" (port 6653 if omitted) or "unix:PATH".
listen = {listen}
# Largest OpenFlow message accepted from a switch, in bytes (64 to 65535).
max_message_size = {max_message_size}
# Commands queued for one switch before senders wait.
command_queue = {command_queue}
# Bytes waiting to be written to one switch before sends to it fail.
max_transmit_bytes = {max_transmit_bytes}
# Idle time before an echo request probes a switch.
echo_interval = "{echo_interval}"
# Silence after a probe before the switch is dropped; longer than echo_interval.
echo_timeout = "{echo_timeout}"
# A second connection claiming a connected datapath id: "replace-old" closes the old
# connection, "reject-new" refuses the new one. Either way it is logged.
duplicate_dpid = "{duplicate_dpid}"

[api]
# Where the northbound gRPC API listens, "IP:PORT". Loopback by default; it has no
# authentication yet, so expose it only on a trusted network.
listen = "{api_listen}"

[store]
# Durable state (and the generated cluster secret). Packaged installs use /var/lib/navarch.
data_dir = "{data_dir}"

[topology]
# Time between LLDP probes on every switch port.
lldp_interval = "{lldp_interval}"
# A link not seen for this long is removed; longer than lldp_interval.
link_timeout = "{link_timeout}"
# Most hosts tracked at once; the least recently seen is forgotten first.
max_hosts = {max_hosts}
# Secret keying the HMAC in LLDP probes (at least 16 bytes), inline or in a file. With
# neither, one is generated once and kept in data_dir/cluster-secret.
# cluster_secret = "use a long random string"
# cluster_secret_file = "/etc/navarch/cluster-secret"

[apps]
# Apps to run, in order.
enabled = {apps}

# Settings of one app go in a table named after it, for example:
# [apps.l2-learning]
# idle_timeout = 300

[log]
# A tracing filter: a level (error, warn, info, debug, trace) or directives such as
# "info,navarch_controller::southbound=debug". RUST_LOG, when set, replaces it.
level = "{level}"
# "text" (one line per event) or "json" (one JSON object per line), on stderr.
format = "{format}"
"#,
        max_message_size = sb.max_message_size,
        command_queue = sb.command_queue,
        max_transmit_bytes = sb.max_transmit_bytes,
        echo_interval = HumanDuration(sb.echo_interval),
        echo_timeout = HumanDuration(sb.echo_timeout),
        duplicate_dpid = sb.duplicate_dpid,
        api_listen = c.api.listen,
        data_dir = c.store.data_dir.display(),
        lldp_interval = HumanDuration(c.topology.lldp_interval),
        link_timeout = HumanDuration(c.topology.link_timeout),
        max_hosts = c.topology.max_hosts,
        level = c.log.level,
        format = c.log.format,
    )
}

/// The effective settings, one `key = value` line each, secrets hidden.
pub(crate) fn summary(c: &Config) -> String {
    let sb = &c.southbound;
    let mut out = String::new();
    let mut line = |key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    line(
        "southbound.listen",
        quoted_list(sb.listen.iter().map(ToString::to_string)),
    );
    line(
        "southbound.max_message_size",
        sb.max_message_size.to_string(),
    );
    line("southbound.command_queue", sb.command_queue.to_string());
    line(
        "southbound.max_transmit_bytes",
        sb.max_transmit_bytes.to_string(),
    );
    line(
        "southbound.echo_interval",
        quoted(HumanDuration(sb.echo_interval)),
    );
    line(
        "southbound.echo_timeout",
        quoted(HumanDuration(sb.echo_timeout)),
    );
    line("southbound.duplicate_dpid", quoted(sb.duplicate_dpid));
    line("api.listen", quoted(c.api.listen));
    line("store.data_dir", quoted(c.store.data_dir.display()));
    line(
        "topology.lldp_interval",
        quoted(HumanDuration(c.topology.lldp_interval)),
    );
    line(
        "topology.link_timeout",
        quoted(HumanDuration(c.topology.link_timeout)),
    );
    line("topology.max_hosts", c.topology.max_hosts.to_string());
    let secret = match &c.topology.cluster_secret {
        ClusterSecretSource::Inline(_) => "inline (hidden)".to_owned(),
        ClusterSecretSource::File(path) => format!("file {}", path.display()),
        ClusterSecretSource::Generated => "generated in store.data_dir".to_owned(),
    };
    line("topology.cluster_secret", secret);
    line("apps.enabled", quoted_list(c.apps.enabled.iter().cloned()));
    for (app, table) in &c.apps.settings {
        line(
            &format!("apps.{app}"),
            toml::Value::Table(table.clone()).to_string(),
        );
    }
    line("log.level", quoted(&c.log.level));
    line("log.format", quoted(c.log.format));
    out
}

/// A TOML string literal.
fn quoted(value: impl std::fmt::Display) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// A TOML array of strings on one line.
fn quoted_list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(quoted).collect();
    format!("[{}]", items.join(", "))
}
