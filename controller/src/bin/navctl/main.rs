//! `navctl`: the navarch admin CLI, a client of the northbound gRPC API.
//!
//! One subcommand per API area; tables for people, `-o json` (the proto3 JSON mapping, as
//! grpcurl prints) for scripts; exit codes by gRPC status (see `EXIT CODES` in `--help`).

mod commands;
mod output;
mod tenant;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};
use openflow::DatapathId;

use output::Format;

const EXIT_CODES: &str = "\
EXIT CODES:
  0  success
  1  any other error
  2  usage error (bad arguments)
  3  NOT_FOUND: no such switch, app, host, tenant, network or port
  4  INVALID_ARGUMENT or OUT_OF_RANGE: the request is wrong (the message names the field)
  5  UNAVAILABLE, DEADLINE_EXCEEDED, or the server cannot be reached
  6  FAILED_PRECONDITION or ALREADY_EXISTS (e.g. a switch refused the flow, a VNI is taken)

The server is --server, else $NAVARCH_SERVER, else http://127.0.0.1:50051.";

/// Administer a navarch controller through its gRPC API.
#[derive(Parser, Debug)]
#[command(name = "navctl", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// The API server: http://HOST:PORT or HOST:PORT.
    #[arg(
        long,
        global = true,
        env = "NAVARCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// Output format.
    #[arg(short, long, global = true, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Deadline of each call, e.g. 10s or 500ms.
    #[arg(long, global = true, default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// This node's view of the cluster.
    Cluster,
    /// Connected switches.
    #[command(subcommand)]
    Switch(SwitchCmd),
    /// Tenants, their virtual networks, logical ports, and the chassis that carry them.
    #[command(subcommand)]
    Tenant(tenant::TenantCmd),
    /// Flows: read live from a switch; operator flows added and deleted.
    #[command(subcommand)]
    Flow(FlowCmd),
    /// A switch's group table.
    #[command(subcommand)]
    Group(TableCmd),
    /// A switch's meter table.
    #[command(subcommand)]
    Meter(TableCmd),
    /// Inter-switch links.
    #[command(subcommand)]
    Link(LinkCmd),
    /// Hosts learned from traffic.
    #[command(subcommand)]
    Host(HostCmd),
    /// Paths.
    #[command(subcommand)]
    Topo(TopoCmd),
    /// Apps: state and configuration.
    #[command(subcommand)]
    App(AppCmd),
    /// Watch controller events.
    Events(EventsArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `navctl switch ...`.
#[derive(Subcommand, Debug)]
pub enum SwitchCmd {
    /// Every connected switch.
    List,
    /// One switch with its ports.
    Show {
        /// Datapath id: decimal, 0x-hex, 16 hex digits or colon-separated bytes.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
        /// Read port counters from the switch.
        #[arg(long)]
        counters: bool,
    },
}

/// When a write returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
    /// Once committed to the store.
    Committed,
    /// Once every affected switch confirmed it with a barrier.
    Applied,
}

/// `navctl flow ...`.
#[derive(Subcommand, Debug)]
pub enum FlowCmd {
    /// A switch's flow table, read live.
    List {
        /// Datapath id.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
        /// Only this table.
        #[arg(long)]
        table: Option<u32>,
        /// Only this owner: core, operator, foreign or an app's name.
        #[arg(long)]
        owner: Option<String>,
        /// Print each flow as ovs-ofctl dump-flows does.
        #[arg(long)]
        text: bool,
    },
    /// Add an operator flow, in ovs-ofctl syntax.
    Add {
        /// Datapath id.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
        /// E.g. "table=0,priority=40000,in_port=1,dl_dst=00:00:00:00:00:02,actions=drop".
        flow: String,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
    /// Delete operator flows: table, priority and match in ovs-ofctl syntax.
    Del {
        /// Datapath id.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
        /// E.g. "table=0,priority=40000,in_port=1,dl_dst=00:00:00:00:00:02".
        flow: String,
        /// Delete every operator flow whose match contains this one.
        #[arg(long)]
        loose: bool,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
}

/// `navctl group|meter list`.
#[derive(Subcommand, Debug)]
pub enum TableCmd {
    /// The whole table, read live.
    List {
        /// Datapath id.
        #[arg(value_parser = parse_dpid)]
        dpid: DatapathId,
    },
}

/// `navctl link ...`.
#[derive(Subcommand, Debug)]
pub enum LinkCmd {
    /// Every discovered link.
    List,
}

/// `navctl host ...`.
#[derive(Subcommand, Debug)]
pub enum HostCmd {
    /// Every host (or those on one switch).
    List {
        /// Only hosts attached to this switch.
        #[arg(long, value_parser = parse_dpid)]
        dpid: Option<DatapathId>,
    },
}

/// `navctl topo ...`.
#[derive(Subcommand, Debug)]
pub enum TopoCmd {
    /// The path between two hosts (MAC or IP) or switches (datapath id).
    Path {
        /// Where it starts.
        from: String,
        /// Where it ends.
        to: String,
    },
}

/// `navctl app ...`.
#[derive(Subcommand, Debug)]
pub enum AppCmd {
    /// Every app.
    List,
    /// One app with its configuration.
    Show {
        /// Its name.
        name: String,
    },
    /// Enable an app.
    Enable {
        /// Its name.
        name: String,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
    /// Disable an app (its flows are removed).
    Disable {
        /// Its name.
        name: String,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
    /// Change configuration fields: KEY=VALUE, VALUE as JSON when it parses (60, true,
    /// "x"), else as a string.
    Set {
        /// Its name.
        name: String,
        /// KEY=VALUE pairs.
        #[arg(required = true, value_parser = parse_setting)]
        settings: Vec<(String, serde_json::Value)>,
        /// When to return.
        #[arg(long, value_enum, default_value_t = Wait::Committed)]
        wait: Wait,
    },
}

/// `navctl events`.
#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    /// Keep watching until interrupted.
    #[arg(long, short)]
    pub follow: bool,
    /// Start at this revision (0: only new events).
    #[arg(long, default_value_t = 0)]
    pub from: u64,
    /// Only these kinds (comma-separated): switch, port, link, host, flow-applied, app,
    /// cluster.
    #[arg(long, value_delimiter = ',')]
    pub kind: Vec<EventKindArg>,
    /// Only events about this switch.
    #[arg(long, value_parser = parse_dpid)]
    pub dpid: Option<DatapathId>,
    /// Without --follow: stop after the stream has been quiet this long.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub idle: Duration,
}

/// An event kind on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EventKindArg {
    /// Switches connecting and disconnecting.
    Switch,
    /// Port changes.
    Port,
    /// Link directions up or down.
    Link,
    /// Hosts learned, moved or forgotten.
    Host,
    /// Flow changes confirmed by a switch.
    FlowApplied,
    /// Apps enabled, disabled or reconfigured.
    App,
    /// Leadership changes.
    Cluster,
}

fn parse_dpid(s: &str) -> Result<DatapathId, String> {
    s.parse::<DatapathId>().map_err(|e| e.to_string())
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    navarch_controller::config::parse_duration(s).map_err(|e| e.to_string())
}

fn parse_setting(s: &str) -> Result<(String, serde_json::Value), String> {
    let (key, value) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not KEY=VALUE"))?;
    if key.is_empty() {
        return Err(format!("{s:?} has no key"));
    }
    let value =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    Ok((key.to_owned(), value))
}

/// The exit code for a gRPC status.
pub fn exit_code(code: tonic::Code) -> u8 {
    use tonic::Code as C;
    match code {
        C::Ok => 0,
        C::NotFound => 3,
        C::InvalidArgument | C::OutOfRange => 4,
        C::Unavailable | C::DeadlineExceeded => 5,
        C::FailedPrecondition | C::AlreadyExists => 6,
        _ => 1,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Completions { shell } = cli.command {
        clap_complete::generate(shell, &mut Cli::command(), "navctl", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("navctl: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(status) => {
            eprintln!("navctl: {:?}: {}", status.code(), status.message());
            ExitCode::from(exit_code(status.code()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn arguments_parse() {
        assert_eq!(parse_dpid("0x1a").unwrap(), DatapathId(26));
        assert_eq!(
            parse_dpid("00:00:00:00:00:00:00:02").unwrap(),
            DatapathId(2)
        );
        assert!(parse_dpid("s1").is_err());
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(
            parse_setting("idle_timeout=60").unwrap(),
            ("idle_timeout".into(), serde_json::json!(60))
        );
        assert_eq!(
            parse_setting("mode=fast").unwrap(),
            ("mode".into(), serde_json::json!("fast"))
        );
        assert!(parse_setting("nothing").is_err());
    }

    #[test]
    fn exit_codes_follow_the_status() {
        assert_eq!(exit_code(tonic::Code::NotFound), 3);
        assert_eq!(exit_code(tonic::Code::InvalidArgument), 4);
        assert_eq!(exit_code(tonic::Code::Unavailable), 5);
        assert_eq!(exit_code(tonic::Code::FailedPrecondition), 6);
        assert_eq!(exit_code(tonic::Code::Internal), 1);
    }
}
