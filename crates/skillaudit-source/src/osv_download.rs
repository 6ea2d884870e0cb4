//! Downloading the OSV bulk exports (`skillaudit db update`).
//!
//! The exports are one zip per ecosystem (`{base}/npm/all.zip`, `{base}/PyPI/all.zip`); the base
//! defaults to [`DEFAULT_OSV_BASE`] and is configurable (`--source`, `SKILLAUDIT_OSV_URL`) for
//! mirrors and air-gapped setups. A download goes to a temporary file beside the destination
//! and is renamed into place only when complete, so an interrupted update never leaves half a
//! zip behind. `--offline` refuses to download.

use crate::error::SourceError;
use crate::http::Http;
use crate::options::FetchOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where OSV publishes its bulk exports.
pub const DEFAULT_OSV_BASE: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Cap on one export (the npm export is a few hundred megabytes).
pub const MAX_OSV_EXPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The advisory database folder inside the cache.
pub fn osv_db_dir(opts: &FetchOptions) -> PathBuf {
    opts.cache_dir.join("osv")
}

/// The export URL of one ecosystem (`npm`, `PyPI`) under `base`.
pub fn osv_export_url(base: &str, ecosystem: &str) -> String {
    format!("{}/{ecosystem}/all.zip", base.trim_end_matches('/'))
}

/// Downloads `url` to `dest` (temporary file, then rename); returns the byte count.
pub fn download_file(url: &str, dest: &Path, opts: &FetchOptions) -> Result<u64, SourceError> {
    if opts.offline {
        return Err(SourceError::Offline {
            target: url.to_string(),
        });
    }
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| SourceError::io(format!("cannot write {}", dir.display()), e))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| SourceError::io(format!("cannot write {}", dir.display()), e))?;
    let bytes = Http::new().download(url, None, MAX_OSV_EXPORT_BYTES, temp.as_file_mut())?;
    temp.as_file_mut()
        .flush()
        .map_err(|e| SourceError::io(format!("cannot write {}", dest.display()), e))?;
    temp.persist(dest)
        .map_err(|e| SourceError::io(format!("cannot write {}", dest.display()), e.error))?;
    Ok(bytes)
}
