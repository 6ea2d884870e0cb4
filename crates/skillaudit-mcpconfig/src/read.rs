//! Reading a configuration file without trusting it: a size cap (a 50 MB file is refused before
//! it is read whole), regular files only (a FIFO would block, a device never ends), symlinks
//! followed only to a file inside the folders being audited (a config that links to
//! `/etc/passwd` is refused and named), UTF-8 required.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bounds on what is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest file read, in bytes. Real client configurations are a few kilobytes;
    /// `~/.claude.json` grows with history, so the cap is generous.
    pub max_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_bytes: 8 * 1024 * 1024,
        }
    }
}

/// Why a configuration file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    TooLarge { size: u64, limit: u64 },
    NotAFile,
    SymlinkOutside(PathBuf),
    NotUtf8,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot be read: {e}"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "is {size} bytes, over the {} MiB limit for a client configuration; not read",
                limit / (1024 * 1024)
            ),
            ReadError::NotAFile => f.write_str("is not a regular file; not read"),
            ReadError::SymlinkOutside(target) => write!(
                f,
                "is a symbolic link to {}, outside the folders being audited; not read",
                target.display()
            ),
            ReadError::NotUtf8 => f.write_str("is not UTF-8 text; not read"),
        }
    }
}

/// Read a configuration file. A symbolic link is followed only when `allowed_roots` is empty
/// (a file the user named) or its target lies inside one of them.
pub fn read_config(
    path: &Path,
    allowed_roots: &[PathBuf],
    limits: ReadLimits,
) -> Result<String, ReadError> {
    let link = std::fs::symlink_metadata(path).map_err(|e| ReadError::Io(e.to_string()))?;
    if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| ReadError::Io(e.to_string()))?;
        let inside = allowed_roots.is_empty()
            || allowed_roots.iter().any(|root| {
                std::fs::canonicalize(root)
                    .map(|root| target.starts_with(root))
                    .unwrap_or(false)
            });
        if !inside {
            return Err(ReadError::SymlinkOutside(target));
        }
    }
    let meta = std::fs::metadata(path).map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limits.max_bytes {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: limits.max_bytes,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let mut bytes = Vec::new();
    // The file may grow between the check and the read.
    file.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}
