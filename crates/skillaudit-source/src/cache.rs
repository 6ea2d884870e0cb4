//! The download cache: registry metadata with a freshness window, and artifacts verified
//! against their published digests every time they are used.
//!
//! Layout under the cache folder:
//! ```text
//! npm/packuments/<registry>/<name>.json      raw packuments
//! pypi/simple/<index>/<project>.json         parsed index pages
//! downloads/npm/<name>-<version>.tgz         tarballs
//! downloads/pypi/<file name>                 sdists and wheels
//! metadata/npm/<registry>/<name>.json        full packuments for the dependency audit
//! metadata/pypi/<api>/project/<name>.json    PyPI JSON API, per project
//! metadata/pypi/<api>/release/<name>/<version>.json   …and per release
//! ```

use crate::error::SourceError;
use crate::http::{Http, MAX_ARTIFACT_BYTES};
use crate::integrity::{digest_reader, Expected, HashingWriter};
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A file-name-safe key for a registry or index URL, or a package name.
pub(crate) fn path_key(text: &str) -> String {
    let text = text
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(text)
        .trim_end_matches('/');
    let key: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '+'
            }
        })
        .collect();
    // Never `.` or `..`, never hidden.
    format!("k{key}")
}

/// Cached metadata, when it is fresh enough (any age counts when offline).
pub(crate) fn read_metadata(path: &Path, ttl: Duration, offline: bool) -> Option<Vec<u8>> {
    let meta = fs::metadata(path).ok()?;
    if !offline {
        let age = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())?;
        if age > ttl {
            return None;
        }
    }
    fs::read(path).ok()
}

/// Writes `bytes` to `path` through a temporary file and a rename, so readers never see half a
/// file. Failing to cache is not fatal to an audit: callers may ignore the error.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SourceError> {
    let parent = parent_dir(path)?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)
        .map_err(|e| SourceError::io(format!("cannot write to cache {}", parent.display()), e))?;
    tmp.write_all(bytes)
        .map_err(|e| SourceError::io("cannot write cache file", e))?;
    tmp.persist(path)
        .map_err(|e| SourceError::io(format!("cannot write {}", path.display()), e.error))?;
    Ok(())
}

fn parent_dir(path: &Path) -> Result<&Path, SourceError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| {
        SourceError::io(
            format!(
                "cannot create cache folder {} (set SKILLAUDIT_CACHE_DIR to a writable folder)",
                parent.display()
            ),
            e,
        )
    })?;
    Ok(parent)
}

/// A verified artifact file in the cache.
pub(crate) struct Artifact {
    pub path: PathBuf,
    pub sha256: String,
}

/// Where an artifact comes from and what it must hash to.
pub(crate) struct ArtifactRequest<'a> {
    pub url: &'a str,
    pub authorization: Option<&'a str>,
    pub expected: Option<&'a Expected>,
    pub cache_path: PathBuf,
    /// The target's identity, for the offline error.
    pub target: &'a str,
}

/// The artifact from the cache when it is there and verifies, else downloaded (online only),
/// verified, and stored.
pub(crate) fn fetch_artifact(
    http: Option<&Http>,
    request: &ArtifactRequest<'_>,
) -> Result<Artifact, SourceError> {
    let path = &request.cache_path;
    if let Ok(file) = File::open(path) {
        if let Ok(digests) = digest_reader(BufReader::new(file), request.expected) {
            let verified = match request.expected {
                Some(expected) => digests.mismatch(expected).is_none(),
                // Nothing to verify against: trust the cached copy only when offline.
                None => http.is_none(),
            };
            if verified {
                return Ok(Artifact {
                    path: path.clone(),
                    sha256: digests.sha256_hex(),
                });
            }
        }
    }
    let Some(http) = http else {
        return Err(SourceError::Offline {
            target: request.target.to_string(),
        });
    };
    let parent = parent_dir(path)?;
    let tmp = tempfile::NamedTempFile::new_in(parent)
        .map_err(|e| SourceError::io(format!("cannot write to cache {}", parent.display()), e))?;
    let mut writer = HashingWriter::new(BufWriter::new(tmp), request.expected);
    http.download(
        request.url,
        request.authorization,
        MAX_ARTIFACT_BYTES,
        &mut writer,
    )?;
    let (buffered, digests) = writer.finish();
    let tmp = buffered
        .into_inner()
        .map_err(|e| SourceError::io("cannot write download", e.into_error()))?;
    if let Some(expected) = request.expected {
        if let Some(actual) = digests.mismatch(expected) {
            return Err(SourceError::Integrity {
                url: crate::http::redact_url(request.url),
                expected: expected.describe(),
                actual,
            });
        }
    }
    tmp.persist(path)
        .map_err(|e| SourceError::io(format!("cannot write {}", path.display()), e.error))?;
    Ok(Artifact {
        path: path.clone(),
        sha256: digests.sha256_hex(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_are_flat_and_safe() {
        assert_eq!(
            path_key("https://registry.npmjs.org/"),
            "kregistry.npmjs.org"
        );
        assert_eq!(path_key("@scope/name"), "k@scope+name");
        assert_eq!(path_key(".."), "k..");
        assert!(!path_key("a/../../b").contains('/'));
    }
}
