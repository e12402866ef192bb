//! `navarchd`: the navarch controller daemon. Single node by default, needing no other server:
//! `navarchd --listen tcp:127.0.0.1:6653 --data-dir ./navarch-data`.

use std::process::ExitCode;

use clap::Parser;
use l2_learning::{L2Config, L2Learning};
use navarch_app::App;
use navarch_controller::config::{self, Cli, Config, DuplicateDpidPolicy};
use navarch_controller::logging;
use navarch_controller::runtime::{self, RuntimeConfig};
use navarch_controller::southbound::{DuplicatePolicy, SouthboundConfig};
use navarch_controller::store::StoreOptions;
use navarch_controller::topology::TopologyConfig;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.print_default_config {
        print!("{}", config::default_config_text());
        return ExitCode::SUCCESS;
    }
    let config = match Config::load(&cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("navarchd: {e}");
            return ExitCode::from(2);
        }
    };
    if cli.check_config {
        println!("{}", config.summary());
        return ExitCode::SUCCESS;
    }
    if let Err(e) = logging::init(&config.log) {
        eprintln!("navarchd: {e}");
        return ExitCode::from(2);
    }
    let runtime_config = match runtime_config(&config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("navarchd: {e}");
            return ExitCode::from(2);
        }
    };
    let tokio = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("navarchd: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The controller runs as a task on the workers, not on this thread: its exchanges with
    // the per-switch tasks then stay on one worker's queue instead of waking another thread.
    let result = tokio.block_on(async {
        let shutdown = logging::shutdown_signal().map_err(|e| anyhow::anyhow!("signals: {e}"))?;
        let controller = tokio::spawn(runtime::run(
            runtime_config,
            |_| tracing::info!("navarchd ready"),
            async {
                let signal = shutdown.await;
                tracing::info!(?signal, "signal received");
            },
        ));
        match controller.await {
            Ok(result) => result.map_err(anyhow::Error::from),
            Err(e) => Err(anyhow::anyhow!("the controller task failed: {e}")),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "navarchd stopped");
            eprintln!("navarchd: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Turns the operator's configuration into what the runtime runs.
fn runtime_config(config: &Config) -> anyhow::Result<RuntimeConfig> {
    let sb = &config.southbound;
    let listen = sb.listen.clone();
    let southbound = SouthboundConfig {
        channel: sb.channel_config(),
        duplicate_policy: match sb.duplicate_dpid {
            DuplicateDpidPolicy::ReplaceOld => DuplicatePolicy::ReplaceOld,
            DuplicateDpidPolicy::RejectNew => DuplicatePolicy::RejectNew,
        },
        command_queue: sb.command_queue,
        transmit_high_water: sb.max_transmit_bytes / 2,
        ..SouthboundConfig::default()
    };
    let topo = &config.topology;
    let topology = TopologyConfig {
        probe_interval: topo.lldp_interval,
        link_timeout: topo.link_timeout,
        max_hosts: topo.max_hosts,
        ..TopologyConfig::default()
    };
    std::fs::create_dir_all(&config.store.data_dir)?;
    let cluster_secret = config.cluster_secret()?;
    let mut apps: Vec<Box<dyn App>> = Vec::new();
    for name in &config.apps.enabled {
        match name.as_str() {
            "l2-learning" => {
                let mut l2 = L2Config::default();
                if let Some(settings) = config.apps.settings_json(name).as_object() {
                    for (key, value) in settings {
                        match (key.as_str(), value.as_u64()) {
                            ("idle_timeout", Some(secs)) => {
                                l2.idle_timeout = u16::try_from(secs).map_err(|_| {
                                    anyhow::anyhow!(
                                        "[apps.l2-learning] idle_timeout: {secs} is over 65535"
                                    )
                                })?
                            }
                            _ => anyhow::bail!(
                                "[apps.l2-learning] {key}: unknown setting or bad value (known: idle_timeout = seconds)"
                            ),
                        }
                    }
                }
                apps.push(Box::new(L2Learning::new(l2)?));
            }
            other => {
                anyhow::bail!("[apps] enabled: unknown app {other:?} (known: \"l2-learning\")")
            }
        }
    }
    Ok(RuntimeConfig {
        listen,
        southbound,
        data_dir: config.store.data_dir.clone(),
        store: StoreOptions::default(),
        topology,
        cluster_secret,
        apps,
        bundles: true,
    })
}
