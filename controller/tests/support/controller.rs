//! A controller under test as a child process: started from any command line, ready once its
//! OpenFlow port accepts TCP connections, killed (and reaped) when dropped.

use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::HarnessError;
use super::ovs::{run_checked, tail};

/// A running controller; its stdout and stderr go to a log file kept in a temporary directory.
#[derive(Debug)]
pub struct ControllerProcess {
    child: Option<Child>,
    name: String,
    listen: SocketAddr,
    log_path: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl ControllerProcess {
    /// Spawns `command` and waits up to `timeout` until `listen` accepts a TCP connection.
    pub fn start(
        name: &str,
        mut command: Command,
        listen: SocketAddr,
        timeout: Duration,
    ) -> Result<Self, HarnessError> {
        let log_dir = tempfile::tempdir().map_err(|source| HarnessError::File {
            path: "tempdir".into(),
            source,
        })?;
        let log_path = log_dir.path().join(format!("{name}.log"));
        let log = File::create(&log_path).map_err(|source| HarnessError::File {
            path: log_path.clone(),
            source,
        })?;
        let log_err = log.try_clone().map_err(|source| HarnessError::File {
            path: log_path.clone(),
            source,
        })?;
        let child = command
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|source| HarnessError::Spawn {
                program: format!("{command:?}"),
                source,
            })?;
        let mut controller = Self {
            child: Some(child),
            name: name.to_string(),
            listen,
            log_path,
            _log_dir: log_dir,
        };
        controller.wait_ready(timeout)?;
        Ok(controller)
    }

    /// Polls until the listening port accepts a connection, failing if the process exits.
    fn wait_ready(&mut self, timeout: Duration) -> Result<(), HarnessError> {
        let deadline = Instant::now() + timeout;
        loop {
            self.check_alive()?;
            if TcpStream::connect_timeout(&self.listen, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout {
                    what: format!(
                        "{} to listen on {}; log: {}",
                        self.name,
                        self.listen,
                        self.log()
                    ),
                    after: timeout,
                });
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Ok while the process runs; its exit status and log once it has exited.
    pub fn check_alive(&mut self) -> Result<(), HarnessError> {
        let child = self.child.as_mut().expect("child present until drop");
        match child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(HarnessError::ExitedEarly {
                what: self.name.clone(),
                status,
                log: self.log(),
            }),
            Err(source) => Err(HarnessError::Spawn {
                program: self.name.clone(),
                source,
            }),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("child present until drop").id()
    }

    /// The address switches connect to.
    pub fn listen(&self) -> SocketAddr {
        self.listen
    }

    /// The tail of what the controller has written so far.
    pub fn log(&self) -> String {
        tail(
            &std::fs::read_to_string(&self.log_path).unwrap_or_default(),
            4000,
        )
    }

    /// Everything the controller has written so far.
    #[allow(dead_code)]
    pub fn full_log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// SIGKILL, as in a crash; waits until the process is gone.
    pub fn kill_hard(mut self) -> Result<(), HarnessError> {
        self.reap_with_kill()
    }

    /// SIGTERM; waits up to `timeout` for a graceful exit, then SIGKILL. Returns the exit status
    /// (None when it had to be killed).
    pub fn terminate(
        mut self,
        timeout: Duration,
    ) -> Result<Option<std::process::ExitStatus>, HarnessError> {
        let pid = self.pid();
        run_checked(Command::new("kill").arg("-TERM").arg(pid.to_string()))?;
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut().expect("child present until drop");
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().map_err(|source| HarnessError::Spawn {
                program: self.name.clone(),
                source,
            })? {
                self.child = None;
                return Ok(Some(status));
            }
            sleep(Duration::from_millis(20));
        }
        self.reap_with_kill()?;
        Ok(None)
    }

    fn reap_with_kill(&mut self) -> Result<(), HarnessError> {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            child.wait().map_err(|source| HarnessError::Spawn {
                program: self.name.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

impl Drop for ControllerProcess {
    /// SIGTERM first, so the controller removes its own files (OVS daemons their control
    /// sockets); SIGKILL after two seconds.
    fn drop(&mut self) {
        let Some(child) = self.child.as_mut() else {
            return;
        };
        if matches!(child.try_wait(), Ok(None)) {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                sleep(Duration::from_millis(20));
            }
        }
        let _ = self.reap_with_kill();
    }
}
