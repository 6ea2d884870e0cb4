//! Why a target could not be brought onto disk.

use std::path::PathBuf;

/// Every way materialising a target can fail. `Display` is one line meant for users.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The target text is not something SkillAudit knows how to fetch.
    #[error("invalid target `{input}`: {reason}")]
    InvalidSpec { input: String, reason: String },

    /// The target needs the network and `--offline` was given (and the cache cannot answer).
    #[error("`--offline` forbids network access: cannot fetch {target}")]
    Offline { target: String },

    /// The folder, archive, package or version does not exist.
    #[error("{what} not found{}", hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default())]
    NotFound { what: String, hint: Option<String> },

    /// A request failed, or the server answered something unusable.
    #[error("network error fetching {url}: {reason}")]
    Network { url: String, reason: String },

    /// Downloaded bytes do not match the digest the registry published.
    #[error("integrity check failed for {url}: expected {expected}, got {actual}")]
    Integrity {
        url: String,
        expected: String,
        actual: String,
    },

    /// Registry metadata could not be understood.
    #[error("unexpected registry response from {url}: {reason}")]
    Registry { url: String, reason: String },

    /// The archive could not be read at all.
    #[error("cannot read archive {}: {reason}", path.display())]
    Archive { path: PathBuf, reason: String },

    /// Cloning or inspecting a git repository failed.
    #[error("git: {0}")]
    Git(String),

    /// A local file-system operation failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl SourceError {
    /// An I/O error with a short description of what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        SourceError::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn invalid(input: &str, reason: impl Into<String>) -> Self {
        SourceError::InvalidSpec {
            input: input.to_string(),
            reason: reason.into(),
        }
    }
}
