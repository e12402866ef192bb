//! Config errors, and where a value came from so an error can point at it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A position in a config file, 1-based, as editors count (column in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLocation {
    /// The file as it was named.
    pub path: PathBuf,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl FileLocation {
    /// The location of byte `offset` of `source`, the text of `path`.
    pub fn at(path: PathBuf, source: &str, offset: usize) -> FileLocation {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        FileLocation {
            path,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for FileLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Nobody set it; the built-in default.
    Default,
    /// The config file, at this location.
    File(FileLocation),
    /// An environment variable of this name.
    Env(&'static str),
    /// A command-line flag of this name (with its dashes).
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(location) => location.fmt(f),
            Origin::Env(name) => write!(f, "environment {name}"),
            Origin::Flag(name) => write!(f, "command line {name}"),
        }
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("{}: cannot read config file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is not valid TOML, has an unknown key, or a value of the wrong type.
    #[error("{location}: {}{message}", key.as_deref().map(|k| format!("{k}: ")).unwrap_or_default())]
    Syntax {
        /// Where the parser stopped.
        location: FileLocation,
        /// The dotted key it was reading, when there is one.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A setting is well-formed but not acceptable.
    #[error("{origin}: {key}: {message}")]
    Invalid {
        /// Where the value was set.
        origin: Origin,
        /// The dotted key in the file (`southbound.echo_timeout`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The cluster secret could not be read or created.
    #[error("{}: cluster secret: {message}", path.display())]
    Secret {
        /// The secret file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl ConfigError {
    /// An invalid-value error for `key` set at `origin`.
    pub(crate) fn invalid(
        origin: &Origin,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ConfigError::Invalid {
            origin: origin.clone(),
            key: key.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters_from_one() {
        let src = "a = 1\n# é\nb = \"x\"\n";
        let at = |o| FileLocation::at("f.toml".into(), src, o).to_string();
        assert_eq!(at(0), "f.toml:1:1");
        assert_eq!(at(4), "f.toml:1:5");
        assert_eq!(at(6), "f.toml:2:1");
        // "# é" is 4 bytes, 3 characters: the newline after it is column 4.
        assert_eq!(at(10), "f.toml:2:4");
        assert_eq!(at(15), "f.toml:3:5");
        assert_eq!(at(9), "f.toml:2:3");
        assert_eq!(at(1000), "f.toml:4:1");
    }
}
