//! `navarchd`: the navarch controller daemon. Single node by default, needing no other server:
//! `navarchd --listen tcp:127.0.0.1:6653 --data-dir ./navarch-data`.

use std::process::ExitCode;

use clap::Parser;
use navarch_controller::api;
use navarch_controller::catalog;
use navarch_controller::config::{self, Cli, Config, DuplicateDpidPolicy};
use navarch_controller::logging;
use navarch_controller::runtime::{self, AppSetup, RuntimeConfig};
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
    let api_addr = config.api.listen;
    let result = tokio.block_on(async {
        let shutdown = logging::shutdown_signal().map_err(|e| anyhow::anyhow!("signals: {e}"))?;
        let listener = api::Listener::bind(api_addr).await?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let mut stop = stop_rx.clone();
        let controller = tokio::spawn(runtime::run(
            runtime_config,
            |running| {
                let _ = ready_tx.send(running.api);
            },
            async move {
                let _ = stop.wait_for(|s| *s).await;
            },
        ));
        tokio::spawn(async move {
            let signal = shutdown.await;
            tracing::info!(?signal, "signal received");
            let _ = stop_tx.send(true);
        });
        let server = match ready_rx.await {
            Ok(handle) => {
                tracing::info!(addr = %listener.local_addr()?, "API listening");
                tracing::info!("navarchd ready");
                let mut stop = stop_rx.clone();
                Some(tokio::spawn(listener.serve(handle, async move {
                    let _ = stop.wait_for(|s| *s).await;
                })))
            }
            Err(_) => None,
        };
        let result = match controller.await {
            Ok(result) => result.map_err(anyhow::Error::from),
            Err(e) => Err(anyhow::anyhow!("the controller task failed: {e}")),
        };
        if let Some(server) = server {
            match server.await {
                Ok(Err(e)) => tracing::warn!(error = %e, "API server stopped with an error"),
                Err(e) => tracing::warn!(error = %e, "API server task failed"),
                Ok(Ok(())) => {}
            }
        }
        result
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
    let mut apps = Vec::new();
    for name in &config.apps.enabled {
        let Some(entry) = catalog::entry(name) else {
            let known: Vec<&str> = catalog::catalog().iter().map(|e| e.name).collect();
            anyhow::bail!("[apps] enabled: unknown app {name:?} (known: {known:?})");
        };
        let settings = config
            .apps
            .settings_json(name)
            .as_object()
            .cloned()
            .unwrap_or_default();
        // Checked here so a bad setting stops the start with the file's names.
        entry
            .configure(
                &serde_json::Map::new(),
                &settings,
                &catalog::AppContext::default(),
            )
            .map_err(|e| {
                anyhow::anyhow!(
                    "[apps.{name}] {}: {}",
                    e.field.trim_start_matches("config."),
                    e.message
                )
            })?;
        apps.push(AppSetup {
            name: name.clone(),
            enabled: true,
            settings,
        });
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
