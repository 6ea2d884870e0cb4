//! PyPI: index configuration, the simple repository API (PEP 691 JSON, PEP 503 HTML), and
//! choosing the sdist or wheel of one release.

use crate::cache::{self, fetch_artifact, path_key, ArtifactRequest};
use crate::error::SourceError;
use crate::http::{redact_url, split_credentials, Http, MAX_METADATA_BYTES};
use crate::integrity::Expected;
use crate::options::{ConfigEnv, FetchOptions};
use crate::spec::normalize_pypi_name;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The public index, used when nothing else is configured.
pub const DEFAULT_INDEX: &str = "https://pypi.org/simple";

pub(crate) const SIMPLE_ACCEPT: &str =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1";

/// The index URL: `PIP_INDEX_URL`, else `index-url` from pip's configuration files, else PyPI.
///
/// Files are read in pip's order, later ones overriding earlier ones: `/etc/xdg/pip/pip.conf`,
/// `/etc/pip.conf`, `~/.pip/pip.conf`, `$XDG_CONFIG_HOME/pip/pip.conf` (or
/// `~/.config/pip/pip.conf`), `$VIRTUAL_ENV/pip.conf`, then `$PIP_CONFIG_FILE`.
pub fn index_url(env: &ConfigEnv) -> String {
    if let Some(url) = env.var("PIP_INDEX_URL") {
        return url.trim().to_string();
    }
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(etc) = &env.system_config_dir {
        files.push(etc.join("xdg/pip/pip.conf"));
        files.push(etc.join("pip.conf"));
    }
    if let Some(home) = &env.home {
        files.push(home.join(".pip/pip.conf"));
    }
    match (env.var("XDG_CONFIG_HOME"), &env.home) {
        (Some(xdg), _) => files.push(PathBuf::from(xdg).join("pip/pip.conf")),
        (None, Some(home)) => files.push(home.join(".config/pip/pip.conf")),
        (None, None) => {}
    }
    if let Some(venv) = env.var("VIRTUAL_ENV") {
        files.push(PathBuf::from(venv).join("pip.conf"));
    }
    if let Some(file) = env.var("PIP_CONFIG_FILE") {
        files.push(PathBuf::from(file));
    }
    let mut index = None;
    for file in files {
        if let Ok(text) = std::fs::read_to_string(&file) {
            if let Some(url) = ini_index_url(&text) {
                index = Some(url);
            }
        }
    }
    index.unwrap_or_else(|| DEFAULT_INDEX.to_string())
}

/// `index-url` (or `index_url`) in the `[global]` or `[download]` section of a pip.conf.
fn ini_index_url(text: &str) -> Option<String> {
    let mut section = String::new();
    let mut found = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.trim().to_ascii_lowercase();
            continue;
        }
        if section != "global" && section != "download" {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(['=', ':']).filter(|(k, _)| {
            // `https://` contains `:`; the key is what comes before the first separator.
            !k.contains("//")
        }) else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase().replace('_', "-");
        if key == "index-url" {
            if let Some(url) = value.split_whitespace().next() {
                found = Some(url.to_string());
            }
        }
    }
    found
}

/// One file listed on a project's simple index page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IndexFile {
    pub filename: String,
    /// Absolute URL, fragment removed.
    pub url: String,
    pub sha256: Option<String>,
    pub upload_time: Option<String>,
    /// `Some(reason)` (possibly empty) when yanked.
    pub yanked: Option<String>,
    /// The index serves this file's core metadata at `{url}.metadata` (PEP 658/714):
    /// `Some(sha256)` when it gave a hash, `Some("")` when it gave none.
    #[serde(default)]
    pub core_metadata: Option<String>,
    /// `requires-python` (PEP 691) or `data-requires-python` (PEP 503), when given.
    #[serde(default)]
    pub requires_python: Option<String>,
}

/// The PEP 658/714 value of a file entry (`core-metadata`, `dist-info-metadata`, or their
/// `data-` attributes): `true` or a hash object means available.
pub(crate) fn core_metadata_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Bool(true) => Some(String::new()),
        Value::Object(hashes) => Some(
            hashes
                .get("sha256")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        ),
        _ => None,
    }
}

/// Parses a PEP 691 JSON page.
pub(crate) fn parse_simple_json(body: &[u8], page_url: &str) -> Result<Vec<IndexFile>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let files = value
        .get("files")
        .and_then(Value::as_array)
        .ok_or("no `files` array")?;
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let (Some(filename), Some(url)) = (
            file.get("filename").and_then(Value::as_str),
            file.get("url").and_then(Value::as_str),
        ) else {
            continue;
        };
        let yanked = match file.get("yanked") {
            Some(Value::Bool(true)) => Some(String::new()),
            Some(Value::String(reason)) => Some(reason.clone()),
            _ => None,
        };
        let (url, fragment_sha) = resolve_url(page_url, url);
        out.push(IndexFile {
            filename: filename.to_string(),
            url,
            sha256: file
                .get("hashes")
                .and_then(|h| h.get("sha256"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .or(fragment_sha),
            upload_time: file
                .get("upload-time")
                .and_then(Value::as_str)
                .map(str::to_string),
            yanked,
            core_metadata: core_metadata_of(
                file.get("core-metadata")
                    .or_else(|| file.get("dist-info-metadata")),
            ),
            requires_python: file
                .get("requires-python")
                .and_then(Value::as_str)
                .filter(|r| !r.trim().is_empty())
                .map(str::to_string),
        });
    }
    Ok(out)
}

/// Parses a PEP 503 HTML page: `<a href="URL#sha256=…" data-yanked="…">file name</a>`.
pub(crate) fn parse_simple_html(body: &[u8], page_url: &str) -> Vec<IndexFile> {
    let html = String::from_utf8_lossy(body);
    let mut out = Vec::new();
    let mut rest: &str = &html;
    while let Some(start) = find_ascii_ci(rest, "<a ") {
        rest = &rest[start + 3..];
        let Some(tag_end) = rest.find('>') else {
            break;
        };
        let attributes = &rest[..tag_end];
        rest = &rest[tag_end + 1..];
        let text_end = find_ascii_ci(rest, "</a").unwrap_or(rest.len());
        let text = html_unescape(rest[..text_end].trim());
        let Some(href) = attribute(attributes, "href") else {
            continue;
        };
        let (url, sha256) = resolve_url(page_url, &html_unescape(&href));
        let filename = if text.is_empty() {
            url.rsplit('/').next().unwrap_or("").to_string()
        } else {
            text
        };
        out.push(IndexFile {
            filename,
            url,
            sha256,
            // Not in PEP 503, but some indexes and mirrors add it.
            upload_time: attribute(attributes, "data-upload-time").filter(|t| !t.is_empty()),
            yanked: attribute(attributes, "data-yanked").map(|r| html_unescape(&r)),
            core_metadata: attribute(attributes, "data-core-metadata")
                .or_else(|| attribute(attributes, "data-dist-info-metadata"))
                .map(|v| html_unescape(&v))
                .filter(|v| v != "false")
                .map(|v| v.strip_prefix("sha256=").unwrap_or("").to_string()),
            requires_python: attribute(attributes, "data-requires-python")
                .map(|r| html_unescape(&r))
                .filter(|r| !r.trim().is_empty()),
        });
    }
    out
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// An attribute's value in a tag's attribute text (quoted or bare; present-but-empty is `""`).
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let bytes = attributes.as_bytes();
    let mut search = 0;
    while let Some(found) = find_ascii_ci(&attributes[search..], name) {
        let at = search + found;
        search = at + name.len();
        let boundary_before = at == 0 || bytes[at - 1].is_ascii_whitespace();
        let tail = &attributes[search..];
        let boundary_after = tail
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '=' || c == '/');
        if !boundary_before || !boundary_after {
            continue;
        }
        let Some(value) = tail.trim_start().strip_prefix('=') else {
            // A bare attribute (`data-yanked` with no value).
            return Some(String::new());
        };
        let value = value.trim_start();
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

fn html_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Resolves a (possibly relative) link against the page URL; returns the URL without its
/// fragment and the `sha256=` fragment's value, if any.
pub(crate) fn resolve_url(page_url: &str, link: &str) -> (String, Option<String>) {
    let (link, fragment) = match link.split_once('#') {
        Some((l, f)) => (l, Some(f)),
        None => (link, None),
    };
    let sha256 = fragment
        .and_then(|f| f.strip_prefix("sha256="))
        .map(str::to_string);
    let absolute = if link.contains("://") {
        link.to_string()
    } else {
        let (scheme, rest) = page_url.split_once("://").unwrap_or(("https", page_url));
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        if let Some(net) = link.strip_prefix("//") {
            format!("{scheme}://{net}")
        } else if link.starts_with('/') {
            format!("{scheme}://{authority}{}", normalize_dots(link))
        } else {
            let path = path.split(['?', '#']).next().unwrap_or("");
            let base_dir = match path.rfind('/') {
                Some(i) => &path[..=i],
                None => "/",
            };
            format!(
                "{scheme}://{authority}{}",
                normalize_dots(&format!("{base_dir}{link}"))
            )
        }
    };
    (absolute, sha256)
}

/// Removes `.` and `..` segments from an absolute path (query kept as is).
fn normalize_dots(path: &str) -> String {
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// What kind of distribution a file name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Preference {
    SdistTarGz = 0,
    SdistZip = 1,
    PureWheel = 2,
    Wheel = 3,
}

/// The preference rank of `filename` when it is a distribution of `name` at `version`.
pub(crate) fn classify(filename: &str, name: &str, version: &str) -> Option<Preference> {
    let lower = filename.to_ascii_lowercase();
    let normalized = normalize_pypi_name(name);
    let version = version.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        if parts.len() < 5 || normalize_pypi_name(parts[0]) != normalized || parts[1] != version {
            return None;
        }
        let tags = parts[parts.len() - 3..].join("-");
        let pure = tags.ends_with("-none-any") && tags.starts_with("py");
        return Some(if pure {
            Preference::PureWheel
        } else {
            Preference::Wheel
        });
    }
    let (stem, kind) = if let Some(stem) = lower.strip_suffix(".tar.gz") {
        (stem, Preference::SdistTarGz)
    } else if let Some(stem) = lower.strip_suffix(".zip") {
        (stem, Preference::SdistZip)
    } else {
        return None;
    };
    let project = stem.strip_suffix(&format!("-{version}"))?;
    (normalize_pypi_name(project) == normalized).then_some(kind)
}

/// The version a distribution file of `name` carries in its file name (`name-1.0.tar.gz`,
/// `name-1.0.zip`, `name-1.0-py3-none-any.whl`), when the name is that project's.
pub(crate) fn version_of_file(filename: &str, name: &str) -> Option<String> {
    let lower = filename.to_ascii_lowercase();
    let normalized = normalize_pypi_name(name);
    if let Some(stem) = lower.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        return (parts.len() >= 5 && normalize_pypi_name(parts[0]) == normalized)
            .then(|| parts[1].to_string());
    }
    let stem = lower
        .strip_suffix(".tar.gz")
        .or_else(|| lower.strip_suffix(".zip"))?;
    let (project, version) = stem.rsplit_once('-')?;
    (normalize_pypi_name(project) == normalized && !version.is_empty()).then(|| version.to_string())
}

/// The file to audit: the sdist (`.tar.gz`, then `.zip`), else a wheel (pure Python first).
pub(crate) fn choose_file<'a>(
    files: &'a [IndexFile],
    name: &str,
    version: &str,
) -> Option<&'a IndexFile> {
    files
        .iter()
        .filter_map(|f| classify(&f.filename, name, version).map(|rank| (rank, f)))
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, f)| f)
}

/// Registry data for a materialised PyPI target.
pub(crate) struct PypiFetched {
    pub file: IndexFile,
    pub artifact: cache::Artifact,
}

/// Resolves `name==version` on the configured index and brings the verified file into the cache.
pub(crate) fn fetch(
    name: &str,
    version: &str,
    opts: &FetchOptions,
    http: Option<&Http>,
) -> Result<PypiFetched, SourceError> {
    let index = index_url(&opts.env);
    let (index, authorization) = split_credentials(&index);
    let normalized = normalize_pypi_name(name);
    let identity = format!("pypi:{normalized}=={version}");
    let page_url = format!("{}/{normalized}/", index.trim_end_matches('/'));
    let cache_path = opts
        .cache_dir
        .join("pypi")
        .join("simple")
        .join(path_key(&index))
        .join(format!("{}.json", path_key(&normalized)));

    let cached: Option<Vec<IndexFile>> =
        cache::read_metadata(&cache_path, opts.metadata_ttl, http.is_none())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let chosen = cached
        .as_deref()
        .and_then(|files| choose_file(files, name, version))
        .cloned();
    let file = match chosen {
        Some(file) => file,
        None => {
            let Some(http) = http else {
                return Err(SourceError::Offline { target: identity });
            };
            let files = fetch_index_page(http, &page_url, authorization.as_deref(), name)?;
            if let Ok(json) = serde_json::to_vec(&files) {
                let _ = cache::write_atomic(&cache_path, &json);
            }
            choose_file(&files, name, version)
                .cloned()
                .ok_or_else(|| SourceError::NotFound {
                    what: identity.clone(),
                    hint: Some(match latest_version_hint(&files, name) {
                        Some(v) => format!("no sdist or wheel for that version; e.g. {v} exists"),
                        None => "no sdist or wheel for that version".to_string(),
                    }),
                })?
        }
    };
    if file.filename.contains(['/', '\\']) || file.filename.starts_with('.') {
        return Err(SourceError::Registry {
            url: redact_url(&page_url),
            reason: format!("unsafe file name `{}`", file.filename),
        });
    }
    let expected = file.sha256.as_deref().and_then(Expected::sha256_hex);
    // Credentials for the index go to the index host only.
    let same_host = host(&file.url) == host(&index);
    let request = ArtifactRequest {
        url: &file.url,
        authorization: authorization.as_deref().filter(|_| same_host),
        expected: expected.as_ref(),
        cache_path: opts
            .cache_dir
            .join("downloads")
            .join("pypi")
            .join(&file.filename),
        target: &identity,
    };
    let artifact = fetch_artifact(http, &request)?;
    Ok(PypiFetched { file, artifact })
}

/// The source repository named in the package's core metadata (`PKG-INFO` of an sdist,
/// `*.dist-info/METADATA` of a wheel): a `Project-URL` labelled source, repository or code,
/// else a `Home-page` or homepage URL on a known forge.
pub(crate) fn project_repo(root: &Path) -> Option<String> {
    let mut candidates = vec![root.join("PKG-INFO")];
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".dist-info") {
                candidates.push(entry.path().join("METADATA"));
            }
        }
    }
    let text = candidates.iter().find_map(|path| {
        let file = std::fs::File::open(path).ok()?;
        let mut bytes = Vec::new();
        file.take(1024 * 1024).read_to_end(&mut bytes).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    })?;
    let on_forge = |url: &str| {
        [
            "github.com/",
            "gitlab.com/",
            "bitbucket.org/",
            "codeberg.org/",
        ]
        .iter()
        .any(|forge| url.contains(forge))
    };
    let mut source = None;
    let mut homepage = None;
    // Headers end at the first blank line; the description follows.
    for line in text.lines().take_while(|l| !l.trim().is_empty()) {
        if let Some(value) = line.strip_prefix("Project-URL:") {
            let Some((label, url)) = value.split_once(',') else {
                continue;
            };
            let label = label.trim().to_ascii_lowercase();
            let url = url.trim();
            if !url.starts_with("https://") && !url.starts_with("http://") {
                continue;
            }
            if [
                "source",
                "source code",
                "repository",
                "code",
                "github",
                "gitlab",
            ]
            .contains(&label.as_str())
            {
                source.get_or_insert_with(|| url.to_string());
            } else if label == "homepage" && on_forge(url) {
                homepage.get_or_insert_with(|| url.to_string());
            }
        } else if let Some(url) = line.strip_prefix("Home-page:") {
            let url = url.trim();
            if on_forge(url) && url.starts_with("http") {
                homepage.get_or_insert_with(|| url.to_string());
            }
        }
    }
    source
        .or(homepage)
        .and_then(|url| skillaudit_core::repo_url::normalise_repo_url(&url))
}

pub(crate) fn host(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

/// The version of the last listed sdist, to help a user who mistyped one.
fn latest_version_hint(files: &[IndexFile], name: &str) -> Option<String> {
    let normalized = normalize_pypi_name(name);
    files.iter().rev().find_map(|f| {
        let stem = f.filename.strip_suffix(".tar.gz")?;
        let (project, version) = stem.rsplit_once('-')?;
        (normalize_pypi_name(project) == normalized).then(|| version.to_string())
    })
}

pub(crate) fn fetch_index_page(
    http: &Http,
    page_url: &str,
    authorization: Option<&str>,
    name: &str,
) -> Result<Vec<IndexFile>, SourceError> {
    let response = http.get(page_url, SIMPLE_ACCEPT, authorization, MAX_METADATA_BYTES)?;
    response.require_ok(format!("PyPI project `{name}`"), page_url, "index")?;
    if response.content_type.contains("json") {
        parse_simple_json(&response.body, page_url).map_err(|reason| SourceError::Registry {
            url: redact_url(page_url),
            reason,
        })
    } else {
        Ok(parse_simple_html(&response.body, page_url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> IndexFile {
        IndexFile {
            filename: name.to_string(),
            url: format!("https://files.example/{name}"),
            sha256: None,
            upload_time: None,
            yanked: None,
            core_metadata: None,
            requires_python: None,
        }
    }

    #[test]
    fn sdist_is_preferred_over_wheels() {
        let files = vec![
            file("mcp_server_git-2025.9.25-py3-none-any.whl"),
            file("mcp_server_git-2025.9.25.tar.gz"),
            file("mcp_server_git-2025.9.24.tar.gz"),
        ];
        let chosen = choose_file(&files, "mcp-server-git", "2025.9.25").unwrap();
        assert_eq!(chosen.filename, "mcp_server_git-2025.9.25.tar.gz");
        let wheels = vec![
            file("pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"),
            file("pkg-1.0-py3-none-any.whl"),
        ];
        assert_eq!(
            choose_file(&wheels, "pkg", "1.0").unwrap().filename,
            "pkg-1.0-py3-none-any.whl"
        );
        assert!(choose_file(&files, "mcp-server-git", "1.0").is_none());
        assert!(choose_file(
            &[file("mcp-server-git-extra-1.0.tar.gz")],
            "mcp-server-git",
            "1.0"
        )
        .is_none());
    }

    #[test]
    fn versions_are_read_from_file_names() {
        assert_eq!(
            version_of_file(
                "mcp_server_git-2025.9.25-py3-none-any.whl",
                "mcp-server-git"
            )
            .as_deref(),
            Some("2025.9.25")
        );
        assert_eq!(
            version_of_file("mcp-server-git-1.0.post1.tar.gz", "mcp_server_git").as_deref(),
            Some("1.0.post1")
        );
        assert_eq!(version_of_file("other-1.0.tar.gz", "mcp-server-git"), None);
        assert_eq!(version_of_file("six-1.0.exe", "six"), None);
    }

    #[test]
    fn html_index_is_parsed() {
        let page = br#"<!DOCTYPE html><html><body>
            <a href="../../packages/ab/six-1.16.0.tar.gz#sha256=1e61" data-requires-python="&gt;=2.7">six-1.16.0.tar.gz</a><br/>
            <a href="https://files.example/six-1.0.tar.gz" data-yanked="broken &amp; bad">six-1.0.tar.gz</a>
            <a data-yanked href="/x/six-0.9.tar.gz">six-0.9.tar.gz</a>
            </body></html>"#;
        let files = parse_simple_html(page, "https://pypi.example/simple/six/");
        assert_eq!(files.len(), 3);
        assert_eq!(
            files[0].url,
            "https://pypi.example/packages/ab/six-1.16.0.tar.gz"
        );
        assert_eq!(files[0].sha256.as_deref(), Some("1e61"));
        assert_eq!(files[0].requires_python.as_deref(), Some(">=2.7"));
        assert_eq!(files[0].yanked, None);
        assert_eq!(files[1].yanked.as_deref(), Some("broken & bad"));
        assert_eq!(files[2].yanked.as_deref(), Some(""));
        assert_eq!(files[2].url, "https://pypi.example/x/six-0.9.tar.gz");
    }

    #[test]
    fn pip_conf_precedence() {
        let home = tempfile::tempdir().unwrap();
        let etc = tempfile::tempdir().unwrap();
        std::fs::write(
            etc.path().join("pip.conf"),
            "[global]\nindex-url = https://system.example/simple\n",
        )
        .unwrap();
        let mut env = ConfigEnv::isolated(home.path());
        env.system_config_dir = Some(etc.path().to_path_buf());
        assert_eq!(index_url(&env), "https://system.example/simple");
        std::fs::create_dir_all(home.path().join(".config/pip")).unwrap();
        std::fs::write(
            home.path().join(".config/pip/pip.conf"),
            "[install]\nindex-url = https://wrong.example\n[global]\nindex_url=https://user.example/simple\n",
        )
        .unwrap();
        assert_eq!(index_url(&env), "https://user.example/simple");
        let env = env.with_var("PIP_INDEX_URL", "http://127.0.0.1:9/simple");
        assert_eq!(index_url(&env), "http://127.0.0.1:9/simple");
        assert_eq!(
            index_url(&ConfigEnv::isolated(Path::new("/nonexistent"))),
            DEFAULT_INDEX
        );
    }
}
