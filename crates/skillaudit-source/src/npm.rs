//! npm: registry configuration, packuments, and the published tarball.

use crate::cache::{self, fetch_artifact, path_key, ArtifactRequest};
use crate::error::SourceError;
use crate::http::{redact_url, Http, MAX_METADATA_BYTES};
use crate::integrity::Expected;
use crate::options::{ConfigEnv, FetchOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The public registry, used when nothing else is configured.
pub const DEFAULT_REGISTRY: &str = "https://registry.npmjs.org/";

/// npm settings that decide where packages come from: the default registry, per-scope
/// registries, and bearer tokens per registry path (`//host/path/:_authToken`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NpmConfig {
    registry: Option<String>,
    scoped: BTreeMap<String, String>,
    tokens: BTreeMap<String, String>,
}

impl std::fmt::Debug for NpmConfig {
    // Tokens are secrets: show only which registries have one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpmConfig")
            .field("registry", &self.registry)
            .field("scoped", &self.scoped)
            .field("tokens_for", &self.tokens.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl NpmConfig {
    /// Reads `NPM_CONFIG_REGISTRY` / `npm_config_registry`, then the user's npmrc
    /// (`NPM_CONFIG_USERCONFIG` or `~/.npmrc`). A project's own `.npmrc` is never read: the
    /// audited package must not choose where it is downloaded from.
    pub fn load(env: &ConfigEnv) -> NpmConfig {
        let mut config = NpmConfig::default();
        let userconfig = env
            .var("NPM_CONFIG_USERCONFIG")
            .or_else(|| env.var("npm_config_userconfig"))
            .map(PathBuf::from)
            .or_else(|| env.home.as_ref().map(|h| h.join(".npmrc")));
        if let Some(path) = userconfig {
            if let Ok(text) = std::fs::read_to_string(&path) {
                config.apply_npmrc(&text, env);
            }
        }
        if let Some(registry) = env
            .var("NPM_CONFIG_REGISTRY")
            .or_else(|| env.var("npm_config_registry"))
        {
            config.registry = Some(registry.trim().to_string());
        }
        config
    }

    fn apply_npmrc(&mut self, text: &str, env: &ConfigEnv) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            let value = expand_env(unquote(value.trim()), env);
            if key == "registry" {
                self.registry = Some(value);
            } else if let Some(scope) = key.strip_suffix(":registry") {
                if scope.starts_with('@') {
                    self.scoped.insert(scope.to_string(), value);
                }
            } else if let Some(prefix) = key.strip_suffix(":_authToken") {
                if prefix.starts_with("//") {
                    let prefix = if prefix.ends_with('/') {
                        prefix.to_string()
                    } else {
                        format!("{prefix}/")
                    };
                    self.tokens.insert(prefix, value);
                }
            }
        }
    }

    /// The registry base URL for a package name, ending with `/`.
    pub fn registry_for(&self, name: &str) -> String {
        let scoped = name
            .split_once('/')
            .filter(|(scope, _)| scope.starts_with('@'))
            .and_then(|(scope, _)| self.scoped.get(scope));
        let registry = scoped
            .or(self.registry.as_ref())
            .map(String::as_str)
            .unwrap_or(DEFAULT_REGISTRY);
        if registry.ends_with('/') {
            registry.to_string()
        } else {
            format!("{registry}/")
        }
    }

    /// `Authorization` value for a URL: the token whose `//host/path/` is the longest prefix
    /// of the URL (without its scheme), as npm matches them.
    fn authorization_for(&self, url: &str) -> Option<String> {
        let bare = url.split_once("://").map(|(_, rest)| rest)?;
        let bare = format!("//{bare}");
        self.tokens
            .iter()
            .filter(|(prefix, _)| bare.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, token)| format!("Bearer {token}"))
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// npm's `${VAR}` substitution in npmrc values.
fn expand_env(value: &str, env: &ConfigEnv) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                out.push_str(env.var(&after[..end]).unwrap_or(""));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// What the packument says about one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NpmRelease {
    pub version: String,
    pub tarball: String,
    pub expected: Expected,
    pub published_at: Option<String>,
    pub repo: Option<String>,
    pub deprecated: Option<String>,
}

/// Finds `wanted` (a version or a dist-tag) in a packument.
pub(crate) fn find_release(
    packument: &Value,
    name: &str,
    wanted: &str,
    url: &str,
) -> Result<NpmRelease, SourceError> {
    let registry_err = |reason: &str| SourceError::Registry {
        url: redact_url(url),
        reason: reason.to_string(),
    };
    let versions = packument
        .get("versions")
        .and_then(Value::as_object)
        .ok_or_else(|| registry_err("packument has no `versions`"))?;
    let dist_tags = packument.get("dist-tags");
    let version = if versions.contains_key(wanted) {
        wanted.to_string()
    } else if let Some(tagged) = dist_tags
        .and_then(|t| t.get(wanted))
        .and_then(Value::as_str)
    {
        tagged.to_string()
    } else {
        let latest = dist_tags
            .and_then(|t| t.get("latest"))
            .and_then(Value::as_str);
        return Err(SourceError::NotFound {
            what: format!("npm:{name}@{wanted}"),
            hint: Some(match latest {
                Some(latest) => format!("latest version is {latest}"),
                None => format!("{} versions published", versions.len()),
            }),
        });
    };
    let manifest = versions
        .get(&version)
        .ok_or_else(|| registry_err("dist-tag points to a missing version"))?;
    let dist = manifest
        .get("dist")
        .ok_or_else(|| registry_err("version has no `dist`"))?;
    let tarball = dist
        .get("tarball")
        .and_then(Value::as_str)
        .filter(|t| t.starts_with("https://") || t.starts_with("http://"))
        .ok_or_else(|| registry_err("version has no http(s) `dist.tarball`"))?
        .to_string();
    let expected = dist
        .get("integrity")
        .and_then(Value::as_str)
        .and_then(Expected::from_sri)
        .or_else(|| {
            dist.get("shasum")
                .and_then(Value::as_str)
                .and_then(Expected::sha1_hex)
        })
        .ok_or_else(|| registry_err("version has neither `dist.integrity` nor `dist.shasum`"))?;
    let published_at = packument
        .get("time")
        .and_then(|t| t.get(&version))
        .and_then(Value::as_str)
        .map(str::to_string);
    let repo = manifest
        .get("repository")
        .or_else(|| packument.get("repository"))
        .and_then(repository_url);
    let deprecated = match manifest.get("deprecated") {
        Some(Value::String(reason)) if !reason.is_empty() => Some(reason.clone()),
        Some(Value::Bool(true)) => Some("deprecated".to_string()),
        _ => None,
    };
    Ok(NpmRelease {
        version,
        tarball,
        expected,
        published_at,
        repo,
        deprecated,
    })
}

/// The `repository` field (a string or `{ type, url }`) as a browsable URL.
fn repository_url(field: &Value) -> Option<String> {
    let raw = match field {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("url")?.as_str()?,
        _ => return None,
    };
    skillaudit_core::repo_url::normalise_repo_url(raw)
}

/// Registry data for a materialised npm target.
pub(crate) struct NpmFetched {
    pub release: NpmRelease,
    pub artifact: cache::Artifact,
}

/// Resolves `name@version` against the configured registry and brings the verified tarball into
/// the cache.
pub(crate) fn fetch(
    name: &str,
    version: &str,
    opts: &FetchOptions,
    http: Option<&Http>,
) -> Result<NpmFetched, SourceError> {
    let config = NpmConfig::load(&opts.env);
    let registry = config.registry_for(name);
    let identity = format!("npm:{name}@{version}");
    let url = format!("{registry}{}", name.replace('/', "%2f"));
    let cache_path = opts
        .cache_dir
        .join("npm")
        .join("packuments")
        .join(path_key(&redact_url(&registry)))
        .join(format!("{}.json", path_key(name)));

    let cached = cache::read_metadata(&cache_path, opts.metadata_ttl, http.is_none())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    let release = match cached.map(|p| find_release(&p, name, version, &url)) {
        Some(Ok(release)) => release,
        // A cached packument that lacks the version may predate its release: ask again.
        Some(Err(_)) | None => {
            let Some(http) = http else {
                return Err(SourceError::Offline { target: identity });
            };
            let packument = fetch_packument(http, &config, &url, name)?;
            let _ = cache::write_atomic(&cache_path, &packument.1);
            find_release(&packument.0, name, version, &url)?
        }
    };

    let file_name = format!("{}-{}.tgz", path_key(name), path_key(&release.version));
    let authorization = config.authorization_for(&release.tarball);
    let request = ArtifactRequest {
        url: &release.tarball,
        authorization: authorization.as_deref(),
        expected: Some(&release.expected),
        cache_path: opts.cache_dir.join("downloads").join("npm").join(file_name),
        target: &identity,
    };
    let artifact = fetch_artifact(http, &request)?;
    Ok(NpmFetched { release, artifact })
}

pub(crate) fn fetch_packument(
    http: &Http,
    config: &NpmConfig,
    url: &str,
    name: &str,
) -> Result<(Value, Vec<u8>), SourceError> {
    let authorization = config.authorization_for(url);
    let response = http.get(
        url,
        "application/json",
        authorization.as_deref(),
        MAX_METADATA_BYTES,
    )?;
    response.require_ok(format!("npm package `{name}`"), url, "registry")?;
    let value = serde_json::from_slice(&response.body).map_err(|e| SourceError::Registry {
        url: redact_url(url),
        reason: format!("packument is not JSON: {e}"),
    })?;
    Ok((value, response.body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn npmrc_registries_and_tokens() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".npmrc"),
            "registry=https://mirror.example/npm/\n\
             @corp:registry=https://npm.corp.example/\n\
             //npm.corp.example/:_authToken=${CORP_TOKEN}\n",
        )
        .unwrap();
        let env = ConfigEnv::isolated(home.path()).with_var("CORP_TOKEN", "s3cret");
        let config = NpmConfig::load(&env);
        assert_eq!(
            config.registry_for("left-pad"),
            "https://mirror.example/npm/"
        );
        assert_eq!(config.registry_for("@corp/x"), "https://npm.corp.example/");
        assert_eq!(
            config.authorization_for("https://npm.corp.example/@corp%2fx"),
            Some("Bearer s3cret".to_string())
        );
        assert_eq!(
            config.authorization_for("https://mirror.example/npm/x"),
            None
        );
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn env_registry_wins_over_npmrc() {
        let env = ConfigEnv::isolated(Path::new("/nonexistent"))
            .with_var("npm_config_registry", "http://127.0.0.1:1");
        assert_eq!(
            NpmConfig::load(&env).registry_for("x"),
            "http://127.0.0.1:1/"
        );
        let env = ConfigEnv::isolated(Path::new("/nonexistent"));
        assert_eq!(NpmConfig::load(&env).registry_for("x"), DEFAULT_REGISTRY);
    }
}
