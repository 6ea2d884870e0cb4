//! How targets are fetched: offline mode, cache location, extraction limits, and the environment
//! that registry configuration is read from.

use crate::extract::ExtractLimits;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variables, home folder and system configuration folder that registry
/// settings (`~/.npmrc`, `pip.conf`, `NPM_CONFIG_REGISTRY`, `PIP_INDEX_URL`…) and the cache
/// location are read from. Injectable so tests never touch the process environment.
///
/// HTTP proxies are the exception: they are read by the HTTP client from the process
/// environment (`HTTPS_PROXY`, `NO_PROXY`…).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigEnv {
    /// Environment variables (values that are not UTF-8 are left out).
    pub vars: BTreeMap<String, String>,
    /// The user's home folder.
    pub home: Option<PathBuf>,
    /// Where system-wide configuration lives (`/etc` on Unix); `None` reads none.
    pub system_config_dir: Option<PathBuf>,
}

impl ConfigEnv {
    /// A snapshot of this process's environment.
    pub fn from_process() -> Self {
        let vars: BTreeMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let home = vars
            .get("HOME")
            .or_else(|| vars.get("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        ConfigEnv {
            vars,
            home,
            system_config_dir: cfg!(unix).then(|| PathBuf::from("/etc")),
        }
    }

    /// No variables, no system configuration, and `home` as the home folder.
    pub fn isolated(home: &Path) -> Self {
        ConfigEnv {
            vars: BTreeMap::new(),
            home: Some(home.to_path_buf()),
            system_config_dir: None,
        }
    }

    /// Sets a variable (builder style, for tests and embedding).
    pub fn with_var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }

    /// A variable's value when it is set and not empty.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// The cache folder: `$SKILLAUDIT_CACHE_DIR`, else `$XDG_CACHE_HOME/skillaudit`, else
    /// `~/.cache/skillaudit`, else a folder in the system temporary directory.
    pub fn cache_dir(&self) -> PathBuf {
        if let Some(dir) = self.var("SKILLAUDIT_CACHE_DIR") {
            return PathBuf::from(dir);
        }
        if let Some(dir) = self.var("XDG_CACHE_HOME") {
            return Path::new(dir).join("skillaudit");
        }
        match &self.home {
            Some(home) => home.join(".cache").join("skillaudit"),
            None => std::env::temp_dir().join("skillaudit-cache"),
        }
    }
}

/// Options for [`crate::materialize`].
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Never open a socket: registry targets are served from the cache or fail with
    /// [`crate::SourceError::Offline`].
    pub offline: bool,
    /// Where registry metadata and downloaded artifacts are kept between runs.
    pub cache_dir: PathBuf,
    /// Bounds on archive extraction.
    pub limits: ExtractLimits,
    /// How long cached registry metadata (npm packuments, PyPI index pages) is used without
    /// asking the registry again. Offline, any age is used.
    pub metadata_ttl: Duration,
    /// Where registry configuration is read from.
    pub env: ConfigEnv,
    /// Clone git targets only from hosts whose every address is public, connecting to the
    /// address checked (no second lookup a changed DNS answer could redirect) and following no
    /// redirect: the audit service's setting, so it cannot be pointed at internal networks.
    pub git_public_only: bool,
}

impl FetchOptions {
    /// Options from this process's environment, with default limits.
    pub fn new(offline: bool) -> Self {
        FetchOptions::with_env(offline, ConfigEnv::from_process())
    }

    /// Options reading configuration and the cache location from `env` instead of the process.
    pub fn with_env(offline: bool, env: ConfigEnv) -> Self {
        FetchOptions {
            offline,
            cache_dir: env.cache_dir(),
            limits: ExtractLimits::default(),
            metadata_ttl: Duration::from_secs(60 * 60),
            env,
            git_public_only: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_dir_precedence() {
        let env = ConfigEnv::isolated(Path::new("/home/u"));
        assert_eq!(env.cache_dir(), PathBuf::from("/home/u/.cache/skillaudit"));
        let env = env.with_var("XDG_CACHE_HOME", "/xdg");
        assert_eq!(env.cache_dir(), PathBuf::from("/xdg/skillaudit"));
        let env = env.with_var("SKILLAUDIT_CACHE_DIR", "/c");
        assert_eq!(env.cache_dir(), PathBuf::from("/c"));
    }
}
