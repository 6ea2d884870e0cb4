//! Registry metadata for the dependency audit: npm packuments and the PyPI JSON API.
//!
//! The dependency audit needs more than the download path does: every version's deprecation
//! message and publish time (npm), every release's yank state, `requires_python`,
//! `requires_dist` and known vulnerabilities (PyPI). [`MetadataClient`] fetches those documents,
//! keeps them on disk for a while, and memoises them for the life of the process.
//!
//! - **npm**: the *full* packument (`Accept: application/json`) from the registry configured for
//!   the package (`npm_config_registry`, `~/.npmrc`, scoped registries and tokens). The
//!   abbreviated form (`application/vnd.npm.install-v1+json`) has neither `time` nor
//!   per-version `deprecated` reliably, so it is never asked for.
//! - **PyPI**: `{base}/{name}/json` and `{base}/{name}/{version}/json`. Only the JSON API of
//!   PyPI itself (or TestPyPI) serves these; the simple index that pip is configured with does
//!   not. The base is `https://pypi.org/pypi` (or `https://test.pypi.org/pypi` when the
//!   configured index is TestPyPI), unless `SKILLAUDIT_PYPI_JSON_API` names a mirror that
//!   implements the same API.
//! - **PyPI without the per-release JSON**: many mirrors and proxies (and some PyPI front
//!   ends) answer 404 for `{base}/{name}/{version}/json`. [`MetadataClient::pypi_release`] then
//!   builds the release document from, in order: the project JSON (`releases[version]`; its
//!   `info` and `vulnerabilities` only when the release is the latest), the configured simple
//!   index (PEP 691 JSON or PEP 503 HTML, `PIP_INDEX_URL` / `pip.conf`), and PEP 658/714 core
//!   metadata (`{file}.metadata`) for `Requires-Dist`. The document says where it came from
//!   and what it could not know under `skillaudit`: `{"metadata_source": "…", "unknown":
//!   ["vulnerabilities", "requires_dist"]}`; callers report an unknown as a check not run or
//!   an incomplete audit, never as clean. When no source answers the error says so, without
//!   claiming the release does not exist. An index with no JSON API at all (a simple-only
//!   mirror) also gets its project document from the simple index
//!   ([`MetadataClient::pypi_project`]): `releases` from the file list, no latest release.
//! - **Cache**: `metadata/npm/<registry>/<name>.json`,
//!   `metadata/pypi/<base>/project/<name>.json` and
//!   `metadata/pypi/<base>/release/<name>/<version>.json` under the cache folder, every
//!   component escaped by [`path_key`]. A cached document younger than the TTL (24 hours, or
//!   `SKILLAUDIT_METADATA_TTL` seconds) is used without asking the registry.
//! - **Offline**: only the cache is read, whatever its age; a missing document is
//!   [`SourceError::Offline`].
//!
//! Every failure is an error: a caller must report the check as not done, never as clean.

use crate::cache::{self, path_key};
use crate::error::SourceError;
use crate::http::{redact_url, split_credentials, Http, MAX_METADATA_BYTES};
use crate::npm::{fetch_packument, NpmConfig};
use crate::options::FetchOptions;
use crate::pypi::{self, index_url, IndexFile};
use crate::spec::normalize_pypi_name;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long cached registry metadata is used without asking again, unless
/// `SKILLAUDIT_METADATA_TTL` says otherwise.
pub const DEFAULT_METADATA_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The PyPI JSON API, used unless the configured index is TestPyPI or
/// `SKILLAUDIT_PYPI_JSON_API` is set.
pub const DEFAULT_PYPI_JSON_API: &str = "https://pypi.org/pypi";

/// Fetches, caches and memoises registry metadata documents (see the module documentation).
///
/// Safe to share between threads: the memo is behind a mutex and the HTTP client is blocking.
pub struct MetadataClient {
    /// `None` offline: no client exists, so nothing can open a socket.
    http: Option<Http>,
    cache_dir: PathBuf,
    ttl: Duration,
    npm: NpmConfig,
    /// The PyPI JSON API base without credentials or a trailing `/`.
    pypi_base: String,
    /// Basic credentials split out of `pypi_base`, sent only to it.
    pypi_authorization: Option<String>,
    /// The configured simple index (PEP 503/691) without credentials or a trailing `/`.
    simple_index: String,
    /// Basic credentials split out of the index URL, sent only to its host.
    simple_authorization: Option<String>,
    memo: Mutex<HashMap<PathBuf, Arc<Value>>>,
}

impl std::fmt::Debug for MetadataClient {
    // The npm configuration's own Debug hides tokens; the PyPI credentials are left out.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetadataClient")
            .field("offline", &self.http.is_none())
            .field("cache_dir", &self.cache_dir)
            .field("ttl", &self.ttl)
            .field("npm", &self.npm)
            .field("pypi_base", &self.pypi_base)
            .field("simple_index", &self.simple_index)
            .finish_non_exhaustive()
    }
}

impl MetadataClient {
    /// A client reading registry configuration, the cache folder and the offline flag from
    /// `opts`. The TTL is `SKILLAUDIT_METADATA_TTL` (whole seconds) from `opts.env`, else
    /// [`DEFAULT_METADATA_TTL`].
    pub fn new(opts: &FetchOptions) -> Self {
        let env = &opts.env;
        let ttl = env
            .var("SKILLAUDIT_METADATA_TTL")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_METADATA_TTL);
        let configured = env
            .var("SKILLAUDIT_PYPI_JSON_API")
            .map(str::to_string)
            .unwrap_or_else(|| pypi_json_api_for_index(&index_url(env)));
        let (base, pypi_authorization) = split_credentials(configured.trim());
        let (simple_index, simple_authorization) = split_credentials(index_url(env).trim());
        MetadataClient {
            simple_index: simple_index.trim_end_matches('/').to_string(),
            simple_authorization,
            http: (!opts.offline).then(Http::new),
            cache_dir: opts.cache_dir.clone(),
            ttl,
            npm: NpmConfig::load(env),
            pypi_base: base.trim_end_matches('/').to_string(),
            pypi_authorization,
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// Replaces the cache TTL (builder style).
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Whether the client never opens a socket.
    pub fn is_offline(&self) -> bool {
        self.http.is_none()
    }

    /// The PyPI JSON API base in use (credentials removed), for messages.
    pub fn pypi_json_api(&self) -> &str {
        &self.pypi_base
    }

    /// The full npm packument of `name` (scoped names included), from the registry configured
    /// for it: `versions` with every manifest, `dist-tags`, `time`, per-version `deprecated`.
    pub fn npm_packument(&self, name: &str) -> Result<Arc<Value>, SourceError> {
        check_npm_name(name)?;
        let registry = self.npm.registry_for(name);
        let url = format!("{registry}{}", name.replace('/', "%2f"));
        let cache_path = self
            .cache_dir
            .join("metadata")
            .join("npm")
            .join(path_key(&redact_url(&registry)))
            .join(format!("{}.json", path_key(name)));
        self.document(cache_path, &format!("npm metadata of `{name}`"), |http| {
            fetch_packument(http, &self.npm, &url, name)
        })
    }

    /// npm's attestations of one published version (`{registry}-/npm/v1/attestations/NAME@VERSION`),
    /// from the registry configured for the name — never from a URL found in metadata, so a
    /// packument cannot point SkillAudit at another host.
    pub fn npm_attestations(&self, name: &str, version: &str) -> Result<Arc<Value>, SourceError> {
        check_npm_name(name)?;
        if version.is_empty()
            || !version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
        {
            return Err(SourceError::InvalidSpec {
                input: version.to_string(),
                reason: "not a version".to_string(),
            });
        }
        let registry = self.npm.registry_for(name);
        let url = format!(
            "{registry}-/npm/v1/attestations/{}@{version}",
            name.replace('/', "%2f")
        );
        let cache_path = self
            .cache_dir
            .join("metadata")
            .join("npm-attestations")
            .join(path_key(&redact_url(&registry)))
            .join(format!("{}.json", path_key(&format!("{name}@{version}"))));
        self.document(
            cache_path,
            &format!("npm attestations of `{name}@{version}`"),
            |http| fetch_packument(http, &self.npm, &url, name),
        )
    }

    /// PyPI's JSON document for a project (`info` of the latest release, `releases` with every
    /// file's yank state, `requires_python` and upload time). The name is normalised (PEP 503).
    ///
    /// When the index has no JSON API at all, the document is built from the configured simple
    /// index: `releases` from its file list (yank state, `requires_python`, upload time, PEP 658
    /// availability), no `info.version` (the latest release is not known without ordering
    /// versions) and a `skillaudit` member naming the source.
    pub fn pypi_project(&self, name: &str) -> Result<Arc<Value>, SourceError> {
        let normalized = checked_pypi_name(name)?;
        let first = match self.pypi_project_json(&normalized) {
            Ok(document) => return Ok(document),
            Err(error @ SourceError::InvalidSpec { .. }) => return Err(error),
            Err(error) => error,
        };
        let cache_path = self
            .pypi_cache_root()
            .join("project-derived")
            .join(format!("{}.json", path_key(&normalized)));
        let what = format!("PyPI metadata of `{normalized}`");
        self.document(cache_path, &what, |http| {
            let value = self.project_from_simple(http, &normalized, &first)?;
            let bytes = serde_json::to_vec(&value).map_err(|e| SourceError::Registry {
                url: what.clone(),
                reason: e.to_string(),
            })?;
            Ok((value, bytes))
        })
    }

    /// The project JSON document itself.
    fn pypi_project_json(&self, normalized: &str) -> Result<Arc<Value>, SourceError> {
        let url = format!("{}/{normalized}/json", self.pypi_base);
        let cache_path = self
            .pypi_cache_root()
            .join("project")
            .join(format!("{}.json", path_key(normalized)));
        self.document(
            cache_path,
            &format!("PyPI metadata of `{normalized}`"),
            |http| self.fetch_pypi(http, &url, format!("PyPI project `{normalized}`")),
        )
    }

    /// PyPI's JSON document for one release: that release's `info` (its own `requires_dist`
    /// and `requires_python`), its `urls` (files, yank state) and its known `vulnerabilities`.
    ///
    /// When the index has no per-release JSON, the document is built from the project JSON,
    /// the simple index and PEP 658 core metadata (see the module documentation); its
    /// `skillaudit` member then names the source and what stayed unknown.
    pub fn pypi_release(&self, name: &str, version: &str) -> Result<Arc<Value>, SourceError> {
        let normalized = checked_pypi_name(name)?;
        check_pypi_version(name, version)?;
        let first = match self.pypi_release_json(&normalized, version) {
            Ok(document) => return Ok(document),
            Err(error @ SourceError::InvalidSpec { .. }) => return Err(error),
            Err(error) => error,
        };
        let cache_path = self
            .pypi_cache_root()
            .join("release-derived")
            .join(path_key(&normalized))
            .join(format!("{}.json", path_key(version)));
        let what = format!("PyPI metadata of `{normalized}` {version}");
        self.document(cache_path, &what, |http| {
            let value = self.derive_release(http, &normalized, version, &first)?;
            let bytes = serde_json::to_vec(&value).map_err(|e| SourceError::Registry {
                url: what.clone(),
                reason: e.to_string(),
            })?;
            Ok((value, bytes))
        })
    }

    /// The per-release JSON document itself.
    fn pypi_release_json(
        &self,
        normalized: &str,
        version: &str,
    ) -> Result<Arc<Value>, SourceError> {
        let url = format!("{}/{normalized}/{version}/json", self.pypi_base);
        let cache_path = self
            .pypi_cache_root()
            .join("release")
            .join(path_key(normalized))
            .join(format!("{}.json", path_key(version)));
        let what = format!("PyPI metadata of `{normalized}` {version}");
        self.document(cache_path, &what, |http| {
            self.fetch_pypi(http, &url, format!("PyPI release `{normalized}` {version}"))
        })
    }

    /// A project document from the simple index (see [`MetadataClient::pypi_project`]).
    /// `first` is why the project JSON failed.
    fn project_from_simple(
        &self,
        http: &Http,
        normalized: &str,
        first: &SourceError,
    ) -> Result<Value, SourceError> {
        let page_url = format!("{}/{normalized}/", self.simple_index);
        let unanswered = |reason: String| SourceError::Registry {
            url: format!("PyPI metadata of `{normalized}`"),
            reason: format!(
                "no metadata source answered (project JSON: {}; simple index: {reason})",
                short_reason(first)
            ),
        };
        let files = pypi::fetch_index_page(
            http,
            &page_url,
            self.simple_authorization.as_deref(),
            normalized,
        )
        .map_err(|e| unanswered(short_reason(&e)))?;
        let mut releases = serde_json::Map::new();
        for file in &files {
            let Some(version) = pypi::version_of_file(&file.filename, normalized) else {
                continue;
            };
            if let Value::Array(list) = releases
                .entry(version)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                list.push(file_json(file));
            }
        }
        if releases.is_empty() {
            return Err(unanswered("it lists no distribution files".to_string()));
        }
        Ok(serde_json::json!({
            "info": {
                "name": normalized,
                "version": null,
                "requires_dist": null,
                "requires_python": null,
            },
            "releases": releases,
            "urls": [],
            "skillaudit": {
                "metadata_source": "simple index",
                "unknown": ["latest", "vulnerabilities", "license"],
            },
        }))
    }

    /// A release document built without the per-release JSON (see the module documentation).
    /// `first` is why the per-release JSON failed.
    fn derive_release(
        &self,
        http: &Http,
        normalized: &str,
        version: &str,
        first: &SourceError,
    ) -> Result<Value, SourceError> {
        let mut tried = vec![format!("per-release JSON: {}", short_reason(first))];
        match self.pypi_project(normalized) {
            Ok(project) => match self.release_from_project(http, &project, version) {
                Some(document) => return Ok(document),
                None => tried.push("project JSON: the release is not listed".to_string()),
            },
            Err(error) => tried.push(format!("project JSON: {}", short_reason(&error))),
        }
        let page_url = format!("{}/{normalized}/", self.simple_index);
        match pypi::fetch_index_page(
            http,
            &page_url,
            self.simple_authorization.as_deref(),
            normalized,
        ) {
            Ok(files) => {
                let files: Vec<IndexFile> = files
                    .into_iter()
                    .filter(|f| pypi::classify(&f.filename, normalized, version).is_some())
                    .collect();
                if !files.is_empty() {
                    return Ok(self.release_from_simple(http, normalized, version, &files));
                }
                tried.push("simple index: no file of this release".to_string());
            }
            Err(error) => tried.push(format!("simple index: {}", short_reason(&error))),
        }
        Err(SourceError::Registry {
            url: format!("PyPI metadata of `{normalized}` {version}"),
            reason: format!("no metadata source answered ({})", tried.join("; ")),
        })
    }

    /// The release from the project JSON: `releases[version]` for the files; `info` and
    /// `vulnerabilities` only when it is the latest release (they describe that one);
    /// otherwise `Requires-Dist` from core metadata when a file offers it.
    fn release_from_project(&self, http: &Http, project: &Value, version: &str) -> Option<Value> {
        let listed = project
            .get("releases")
            .and_then(|r| r.get(version))
            .and_then(Value::as_array)
            .filter(|files| !files.is_empty())?;
        // Some mirrors and proxies write file URLs relative to the document
        // (`../../packages/…`): resolved against the project JSON's own URL.
        let name = project
            .pointer("/info/name")
            .and_then(Value::as_str)
            .map(crate::spec::normalize_pypi_name)
            .unwrap_or_default();
        let document_url = format!("{}/{name}/json", self.pypi_base);
        let resolved: Vec<Value> = listed
            .iter()
            .map(|file| {
                let mut file = file.clone();
                if let Some(url) = file.get("url").and_then(Value::as_str) {
                    if !url.contains("://") {
                        let (absolute, _) = pypi::resolve_url(&document_url, url);
                        file["url"] = Value::String(absolute);
                    }
                }
                file
            })
            .collect();
        let files = &resolved;
        let label = project
            .pointer("/skillaudit/metadata_source")
            .and_then(Value::as_str)
            .unwrap_or("project JSON")
            .to_string();
        let derived = project.get("skillaudit").is_some();
        let latest = project.pointer("/info/version").and_then(Value::as_str) == Some(version);
        if latest {
            let mut document = serde_json::json!({
                "info": project.get("info").cloned().unwrap_or(Value::Null),
                "urls": files,
                "skillaudit": {"metadata_source": label, "unknown": []},
            });
            match project.get("vulnerabilities").filter(|v| v.is_array()) {
                Some(vulnerabilities) => document["vulnerabilities"] = vulnerabilities.clone(),
                None => document["skillaudit"]["unknown"] = serde_json::json!(["vulnerabilities"]),
            }
            return Some(document);
        }
        let mut offered: Vec<(String, String)> = files
            .iter()
            .filter_map(|f| {
                let url = f.get("url").and_then(Value::as_str)?;
                let hash = pypi::core_metadata_of(
                    f.get("core-metadata")
                        .or_else(|| f.get("data-dist-info-metadata"))
                        .or_else(|| f.get("dist-info-metadata")),
                )?;
                Some((url.to_string(), hash))
            })
            .collect();
        if offered.is_empty() && derived {
            // Built from a simple index that may have dropped the PEP 658 keys (see
            // `release_from_simple`).
            if let Some(url) = files
                .iter()
                .filter_map(|f| f.get("url").and_then(Value::as_str))
                .find(|u| u.ends_with(".whl"))
            {
                offered.push((url.to_string(), String::new()));
            }
        }
        let requires_python = files
            .iter()
            .find_map(|f| f.get("requires_python").and_then(Value::as_str))
            .map(str::to_string);
        let name = project
            .pointer("/info/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        // Credentials go to the host of the document the file URLs came from.
        let (credentials_base, authorization) = if derived {
            (&self.simple_index, self.simple_authorization.as_deref())
        } else {
            (&self.pypi_base, self.pypi_authorization.as_deref())
        };
        let core = self.core_metadata(http, &offered, credentials_base, authorization);
        Some(release_document(
            name,
            version,
            requires_python,
            Value::Array(files.clone()),
            core,
            &label,
        ))
    }

    /// The release from the simple index's files: the files, and `Requires-Dist` from core
    /// metadata (advertised, or tried beside the first wheel when the index says nothing).
    fn release_from_simple(
        &self,
        http: &Http,
        normalized: &str,
        version: &str,
        files: &[IndexFile],
    ) -> Value {
        let mut offered: Vec<(String, String)> = files
            .iter()
            .filter_map(|f| Some((f.url.clone(), f.core_metadata.clone()?)))
            .collect();
        if offered.is_empty() {
            // Some proxies drop the PEP 658 keys while the file host still serves the
            // `.metadata` file; a 404 only leaves the dependencies unknown.
            if let Some(wheel) = files.iter().find(|f| f.filename.ends_with(".whl")) {
                offered.push((wheel.url.clone(), String::new()));
            }
        }
        let urls: Vec<Value> = files.iter().map(file_json).collect();
        let core = self.core_metadata(
            http,
            &offered,
            &self.simple_index,
            self.simple_authorization.as_deref(),
        );
        release_document(
            normalized,
            version,
            None,
            Value::Array(urls),
            core,
            "simple index",
        )
    }

    /// The first core metadata file (`{url}.metadata`) that can be read and matches its hash.
    /// Credentials go only to the host they were configured for.
    fn core_metadata(
        &self,
        http: &Http,
        offered: &[(String, String)],
        credentials_base: &str,
        authorization: Option<&str>,
    ) -> Option<CoreMetadata> {
        for (url, sha256) in offered.iter().take(3) {
            let url = format!("{url}.metadata");
            let same_host = pypi::host(&url) == pypi::host(credentials_base);
            let Ok(response) = http.get(
                &url,
                "*/*",
                authorization.filter(|_| same_host),
                MAX_CORE_METADATA_BYTES,
            ) else {
                continue;
            };
            if response.status != 200 {
                continue;
            }
            if !sha256.is_empty()
                && !skillaudit_core::fingerprint::sha256_hex(&response.body)
                    .eq_ignore_ascii_case(sha256)
            {
                continue;
            }
            return Some(parse_core_metadata(&String::from_utf8_lossy(
                &response.body,
            )));
        }
        None
    }

    fn pypi_cache_root(&self) -> PathBuf {
        self.cache_dir
            .join("metadata")
            .join("pypi")
            .join(path_key(&self.pypi_base))
    }

    fn fetch_pypi(
        &self,
        http: &Http,
        url: &str,
        what: String,
    ) -> Result<(Value, Vec<u8>), SourceError> {
        let response = http.get(
            url,
            "application/json",
            self.pypi_authorization.as_deref(),
            MAX_METADATA_BYTES,
        )?;
        response.require_ok(what, url, "JSON API")?;
        let value = serde_json::from_slice(&response.body).map_err(|e| SourceError::Registry {
            url: redact_url(url),
            reason: format!("response is not JSON: {e}"),
        })?;
        Ok((value, response.body))
    }

    /// The memoised document, else the cached one when fresh (any age offline), else fetched,
    /// checked to be JSON, cached and memoised.
    fn document(
        &self,
        cache_path: PathBuf,
        what: &str,
        fetch: impl FnOnce(&Http) -> Result<(Value, Vec<u8>), SourceError>,
    ) -> Result<Arc<Value>, SourceError> {
        if let Some(hit) = self.memo_get(&cache_path) {
            return Ok(hit);
        }
        let offline = self.http.is_none();
        let cached = cache::read_metadata(&cache_path, self.ttl, offline)
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
        if let Some(value) = cached {
            return Ok(self.memo_put(cache_path, value));
        }
        let Some(http) = &self.http else {
            return Err(SourceError::Offline {
                target: format!("{what} (not in the cache)"),
            });
        };
        let (value, bytes) = fetch(http)?;
        if !value.is_object() {
            return Err(SourceError::Registry {
                url: what.to_string(),
                reason: "the document is not a JSON object".to_string(),
            });
        }
        // Failing to cache only costs a later request.
        let _ = cache::write_atomic(&cache_path, &bytes);
        Ok(self.memo_put(cache_path, value))
    }

    fn memo_get(&self, key: &PathBuf) -> Option<Arc<Value>> {
        self.memo
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    fn memo_put(&self, key: PathBuf, value: Value) -> Arc<Value> {
        let value = Arc::new(value);
        self.memo
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Arc::clone(&value));
        value
    }
}

/// Largest core metadata file read (a `METADATA` is a few kilobytes; its description can be
/// long).
const MAX_CORE_METADATA_BYTES: u64 = 4 * 1024 * 1024;

/// What a release's core metadata (`METADATA` / `PKG-INFO`) says that the audit needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CoreMetadata {
    requires_dist: Vec<String>,
    requires_python: Option<String>,
}

/// The header fields of a core metadata file (RFC 822 style, up to the first blank line).
fn parse_core_metadata(text: &str) -> CoreMetadata {
    let mut out = CoreMetadata::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "requires-dist" if !value.is_empty() => out.requires_dist.push(value.to_string()),
            "requires-python" if !value.is_empty() => {
                out.requires_python = Some(value.to_string());
            }
            _ => {}
        }
    }
    out
}

/// A release document in the per-release JSON's shape, with `skillaudit` saying where it came
/// from and what is unknown (PyPI's vulnerability list always is; `requires_dist` when no core
/// metadata could be read).
fn release_document(
    name: &str,
    version: &str,
    requires_python: Option<String>,
    urls: Value,
    core: Option<CoreMetadata>,
    source: &str,
) -> Value {
    let mut unknown = vec!["vulnerabilities"];
    let (requires_dist, requires_python, source) = match core {
        Some(core) => (
            serde_json::json!(core.requires_dist),
            core.requires_python.or(requires_python),
            format!("{source} + core metadata (PEP 658)"),
        ),
        None => {
            unknown.push("requires_dist");
            (Value::Null, requires_python, source.to_string())
        }
    };
    serde_json::json!({
        "info": {
            "name": name,
            "version": version,
            "requires_dist": requires_dist,
            "requires_python": requires_python,
        },
        "urls": urls,
        "skillaudit": {"metadata_source": source, "unknown": unknown},
    })
}

/// A simple index file in the JSON API's shape.
fn file_json(file: &IndexFile) -> Value {
    serde_json::json!({
        "filename": file.filename,
        "url": file.url,
        "digests": {"sha256": file.sha256},
        "requires_python": file.requires_python,
        "upload_time_iso_8601": file.upload_time,
        "yanked": file.yanked.is_some(),
        "yanked_reason": file.yanked,
        "core-metadata": match &file.core_metadata {
            Some(hash) if !hash.is_empty() => serde_json::json!({"sha256": hash}),
            Some(_) => Value::Bool(true),
            None => Value::Bool(false),
        },
    })
}

/// An error's text without the "not found" wording: the release may well exist (it was just
/// downloaded); only that document is missing.
fn short_reason(error: &SourceError) -> String {
    match error {
        SourceError::NotFound { .. } => "not served (HTTP 404)".to_string(),
        other => other.to_string(),
    }
}

/// The JSON API that goes with a configured simple index: TestPyPI's for TestPyPI, else
/// PyPI's (mirrors and private indexes rarely implement it; `SKILLAUDIT_PYPI_JSON_API` names
/// one that does).
fn pypi_json_api_for_index(index: &str) -> String {
    let (index, _) = split_credentials(index);
    let host = index
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(&index)
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if host == "test.pypi.org" {
        "https://test.pypi.org/pypi".to_string()
    } else {
        DEFAULT_PYPI_JSON_API.to_string()
    }
}

/// npm's own rules, loosely: at most 214 bytes, no blanks or URL-breaking characters; a scope
/// only as `@scope/name`. Anything else never reaches a URL.
fn check_npm_name(name: &str) -> Result<(), SourceError> {
    let bad = |reason: &str| Err(SourceError::invalid(name, reason.to_string()));
    if name.is_empty() || name.len() > 214 {
        return bad("an npm package name has 1 to 214 characters");
    }
    if name.starts_with('.') || name.starts_with('_') {
        return bad("an npm package name cannot start with `.` or `_`");
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    let ok = match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, rest)) => {
                !scope.is_empty()
                    && !rest.is_empty()
                    && scope.chars().all(allowed)
                    && rest.chars().all(allowed)
                    && !rest.starts_with('.')
            }
            None => false,
        },
        None => name.chars().all(allowed),
    };
    if ok {
        Ok(())
    } else {
        bad("not a valid npm package name")
    }
}

/// The PEP 503 name, when `name` is a valid distribution name (PEP 508's grammar).
fn checked_pypi_name(name: &str) -> Result<String, SourceError> {
    let valid = !name.is_empty()
        && name.len() <= 256
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if valid {
        Ok(normalize_pypi_name(name))
    } else {
        Err(SourceError::invalid(
            name,
            "not a valid Python project name",
        ))
    }
}

/// A version is put into a URL path: PEP 440 characters only.
fn check_pypi_version(name: &str, version: &str) -> Result<(), SourceError> {
    let valid = !version.is_empty()
        && version.len() <= 128
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '!'))
        && !version.starts_with('.');
    if valid {
        Ok(())
    } else {
        Err(SourceError::invalid(
            &format!("{name}=={version}"),
            "not a valid Python version",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<MetadataClient>();
    }

    #[test]
    fn json_api_follows_the_index_only_for_test_pypi() {
        assert_eq!(
            pypi_json_api_for_index("https://pypi.org/simple"),
            DEFAULT_PYPI_JSON_API
        );
        assert_eq!(
            pypi_json_api_for_index("https://u:p@test.pypi.org/simple/"),
            "https://test.pypi.org/pypi"
        );
        assert_eq!(
            pypi_json_api_for_index("https://mirror.corp.example/simple"),
            DEFAULT_PYPI_JSON_API
        );
    }

    #[test]
    fn names_that_would_break_a_url_are_refused() {
        assert!(check_npm_name("@scope/pkg").is_ok());
        assert!(check_npm_name("lodash.merge").is_ok());
        for bad in ["", "../x", "a/b", "@scope", "@/x", "a b", "a?b", "@s/../x"] {
            assert!(check_npm_name(bad).is_err(), "{bad}");
        }
        assert_eq!(checked_pypi_name("Foo_Bar.baz").unwrap(), "foo-bar-baz");
        for bad in ["", "-x", "a/b", "x..", "a b"] {
            assert!(checked_pypi_name(bad).is_err(), "{bad}");
        }
        assert!(check_pypi_version("x", "1.0.post1+local").is_ok());
        assert!(check_pypi_version("x", "../1").is_err());
    }
}
