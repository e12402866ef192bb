//! The cluster secret that keys LLDP signatures: given inline, read from a file, or generated
//! once and kept in the data directory so that every restart (and, later, every member of a
//! cluster sharing the directory's contents) signs with the same key.

use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{ClusterSecretSource, Config, ConfigError};

/// The shortest cluster secret accepted, in bytes (HMAC-SHA256 wants real key material).
pub const MIN_CLUSTER_SECRET_LEN: usize = 16;

/// The name of the generated secret's file inside the data directory.
pub const CLUSTER_SECRET_FILE_NAME: &str = "cluster-secret";

/// Random bytes in a generated secret (stored as twice as many hex digits).
const GENERATED_SECRET_BYTES: usize = 32;

impl Config {
    /// The cluster secret's bytes: the inline value, the named file's contents (trailing
    /// whitespace removed), or the data directory's generated secret, created on first call
    /// (mode 0600, written atomically so that concurrent starts agree on one secret).
    pub fn cluster_secret(&self) -> Result<Vec<u8>, ConfigError> {
        match &self.topology.cluster_secret {
            ClusterSecretSource::Inline(secret) => Ok(secret.as_bytes().to_vec()),
            ClusterSecretSource::File(path) => read_secret(path),
            ClusterSecretSource::Generated => load_or_generate_secret(&self.store.data_dir),
        }
    }
}

/// Reads the secret kept in `data_dir`, generating and storing a new one if there is none.
pub fn load_or_generate_secret(data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let path = data_dir.join(CLUSTER_SECRET_FILE_NAME);
    match fs::metadata(&path) {
        Ok(_) => return read_secret(&path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(secret_error(&path, e)),
    }
    fs::create_dir_all(data_dir).map_err(|e| secret_error(data_dir, e))?;
    let mut random = [0u8; GENERATED_SECRET_BYTES];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut random))
        .map_err(|e| secret_error(Path::new("/dev/urandom"), e))?;
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    // Write a private temporary file, then hard-link it into place: the link fails if another
    // process got there first, and then its secret is the one everybody reads.
    let temp = data_dir.join(format!(
        ".{CLUSTER_SECRET_FILE_NAME}.{}.tmp",
        std::process::id()
    ));
    let written = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temp)
        .and_then(|mut f| {
            f.write_all(hex.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(secret_error(&temp, e));
    }
    let linked = fs::hard_link(&temp, &path);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(hex.into_bytes()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => read_secret(&path),
        Err(e) => Err(secret_error(&path, e)),
    }
}

/// Reads a secret file, refusing one that is too short.
fn read_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let mut bytes = fs::read(path).map_err(|e| secret_error(path, e))?;
    while bytes.last().is_some_and(u8::is_ascii_whitespace) {
        bytes.pop();
    }
    if bytes.len() < MIN_CLUSTER_SECRET_LEN {
        return Err(ConfigError::Secret {
            path: path.to_owned(),
            message: format!(
                "must be at least {MIN_CLUSTER_SECRET_LEN} bytes, got {}",
                bytes.len()
            ),
        });
    }
    Ok(bytes)
}

fn secret_error(path: &Path, error: io::Error) -> ConfigError {
    ConfigError::Secret {
        path: PathBuf::from(path),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn generated_once_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = load_or_generate_secret(&data).unwrap();
        assert_eq!(first.len(), 2 * GENERATED_SECRET_BYTES);
        assert!(first.iter().all(u8::is_ascii_hexdigit));
        let path = data.join(CLUSTER_SECRET_FILE_NAME);
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load_or_generate_secret(&data).unwrap(), first);
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [CLUSTER_SECRET_FILE_NAME]);
        let other = tempfile::tempdir().unwrap();
        assert_ne!(load_or_generate_secret(other.path()).unwrap(), first);
    }

    #[test]
    fn secret_files_must_be_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        fs::write(&path, "short\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let err = read_secret(&path).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: cluster secret: must be at least 16 bytes, got 5",
                path.display()
            )
        );
        fs::write(&path, "0123456789abcdef0123\n").unwrap();
        assert_eq!(read_secret(&path).unwrap(), b"0123456789abcdef0123");
    }
}
