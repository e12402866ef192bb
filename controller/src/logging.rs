//! Structured logs with `tracing` (text or JSON on stderr, one span per switch keyed by its
//! datapath id) and the signal that starts a graceful shutdown.

use std::io;

use openflow::DatapathId;
use tokio::signal::unix::{SignalKind, signal};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogConfig, LogFormat};

/// Why logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The filter (from `RUST_LOG` or `log.level`) does not parse.
    #[error("invalid log filter {filter:?} from {source_name}: {message}")]
    Filter {
        /// The filter text.
        filter: String,
        /// `RUST_LOG` or `log.level`.
        source_name: &'static str,
        /// The parser's complaint.
        message: String,
    },
    /// A global subscriber was already installed.
    #[error("logging is already initialised")]
    AlreadyInitialised,
}

/// Installs the global subscriber: `config`'s format on stderr, filtered by `RUST_LOG` when it
/// is set and not empty, else by `config.level`.
pub fn init(config: &LogConfig) -> Result<(), LogError> {
    let rust_log = std::env::var("RUST_LOG").ok();
    let subscriber = subscriber(config, rust_log.as_deref(), io::stderr)?;
    tracing::subscriber::set_global_default(subscriber).map_err(|_| LogError::AlreadyInitialised)
}

/// The subscriber [`init`] installs, writing to `writer`, with `rust_log` standing for the
/// `RUST_LOG` variable.
pub fn subscriber<W>(
    config: &LogConfig,
    rust_log: Option<&str>,
    writer: W,
) -> Result<Box<dyn tracing::Subscriber + Send + Sync>, LogError>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let (filter, source_name) = match rust_log.filter(|s| !s.trim().is_empty()) {
        Some(text) => (text, "RUST_LOG"),
        None => (config.level.as_str(), "log.level"),
    };
    let filter = EnvFilter::builder()
        .parse(filter)
        .map_err(|e| LogError::Filter {
            filter: filter.to_owned(),
            source_name,
            message: e.to_string(),
        })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    Ok(match config.format {
        LogFormat::Text => Box::new(builder.with_ansi(false).finish()),
        LogFormat::Json => Box::new(
            builder
                .json()
                .with_current_span(true)
                .with_span_list(true)
                .finish(),
        ),
    })
}

/// The span a switch's task runs in: every event inside carries `dpid` (16 hex digits).
pub fn switch_span(dpid: DatapathId) -> tracing::Span {
    tracing::info_span!("switch", dpid = %dpid)
}

/// The signal that asked navarchd to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShutdownSignal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM (systemd, kill).
    Terminate,
}

/// Registers for SIGINT and SIGTERM now (so a signal arriving before the first poll is not
/// lost) and returns a future that resolves with the first of them. Call inside a Tokio
/// runtime.
pub fn shutdown_signal() -> io::Result<impl Future<Output = ShutdownSignal> + Send + 'static> {
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => ShutdownSignal::Interrupt,
            _ = terminate.recv() => ShutdownSignal::Terminate,
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A writer collecting everything logged.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn log_with(config: &LogConfig, rust_log: Option<&str>) -> String {
        let out = Captured::default();
        let subscriber = subscriber(config, rust_log, out.clone()).unwrap();
        tracing::subscriber::with_default(subscriber, || {
            let _entered = switch_span(DatapathId(0x1a)).entered();
            tracing::info!(port = 3, "port up");
            tracing::debug!("hidden at info");
        });
        out.text()
    }

    #[test]
    fn text_lines_carry_the_switch_span() {
        let text = log_with(&LogConfig::default(), None);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.contains(
                "switch{dpid=000000000000001a}: navarch_controller::logging::tests: port up port=3"
            ),
            "{text}"
        );
    }

    #[test]
    fn json_objects_carry_the_dpid() {
        let config = LogConfig {
            format: LogFormat::Json,
            ..LogConfig::default()
        };
        let text = log_with(&config, None);
        let event: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(event["level"], "INFO");
        assert_eq!(event["fields"]["message"], "port up");
        assert_eq!(event["fields"]["port"], 3);
        assert_eq!(event["span"]["name"], "switch");
        assert_eq!(event["span"]["dpid"], "000000000000001a");
    }

    #[test]
    fn rust_log_overrides_the_level() {
        let text = log_with(&LogConfig::default(), Some("debug"));
        assert!(text.contains("hidden at info"), "{text}");
        let text = log_with(&LogConfig::default(), Some("  "));
        assert!(!text.contains("hidden at info"), "{text}");
        let quiet = LogConfig {
            level: "warn".into(),
            ..LogConfig::default()
        };
        assert_eq!(log_with(&quiet, None), "");
    }

    #[test]
    fn bad_filters_name_their_source() {
        let err = subscriber(&LogConfig::default(), Some("info,=bogus["), io::sink)
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("invalid log filter \"info,=bogus[\" from RUST_LOG: "),
            "{err}"
        );
    }

    #[tokio::test]
    async fn sigterm_resolves_the_shutdown_future() {
        let signal = shutdown_signal().unwrap();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &std::process::id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let got = tokio::time::timeout(std::time::Duration::from_secs(10), signal).await;
        assert_eq!(got, Ok(ShutdownSignal::Terminate));
    }
}
