//! Getting an audit target onto disk safely (SPEC §1, §2, §14).
//!
//! [`TargetSpec::parse`] reads what the user typed; [`materialize`] turns it into a folder to
//! audit: a local folder in place, or a temporary folder holding an unpacked archive, a
//! registry package (the published npm tarball or PyPI sdist/wheel, verified against the
//! registry's digest), or a shallow git clone. Nothing from the target is ever executed,
//! installed or built; archives are unpacked by hand under strict limits (see [`extract`]).
//! Downloads and registry metadata are cached, and `offline` never opens a socket.

pub mod address;
mod cache;
mod error;
pub mod extract;
mod git;
mod http;
mod integrity;
mod metadata;
mod npm;
mod options;
pub mod osv_download;
mod pypi;
mod spec;

pub use error::SourceError;
pub use extract::{extract_archive, ExtractLimits, Extraction};
pub use git::git_last_commit;
pub use http::{service_request, ApiAnswer};
pub use metadata::{MetadataClient, DEFAULT_METADATA_TTL, DEFAULT_PYPI_JSON_API};
pub use options::{ConfigEnv, FetchOptions};
pub use spec::TargetSpec;

use skillaudit_core::{Skipped, TargetInfo};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A target on disk, ready to audit. Temporary folders (extractions, clones) are deleted when
/// this value is dropped; cached downloads stay in the cache.
#[derive(Debug)]
pub struct Materialized {
    /// The folder to audit: the package contents, with a single top-level folder (npm's
    /// `package/`, an sdist's `name-version/`) stripped.
    pub root: PathBuf,
    /// Where the target came from, for the report.
    pub target: TargetInfo,
    /// Archive entries that were refused or not extracted, with the reason.
    pub skipped: Vec<Skipped>,
    /// The npm registry's deprecation message for this version.
    pub deprecated: Option<String>,
    /// PyPI's yank reason for this release (empty when yanked without a reason).
    pub yanked: Option<String>,
    /// Deletes the temporary folder on drop.
    workspace: Option<TempDir>,
}

impl Materialized {
    /// True when `root` lives in a temporary folder that is deleted on drop.
    pub fn is_temporary(&self) -> bool {
        self.workspace.is_some()
    }
}

/// Brings `spec` onto disk. Local folders are used in place; everything else is unpacked or
/// cloned into a fresh temporary folder.
pub fn materialize(spec: &TargetSpec, opts: &FetchOptions) -> Result<Materialized, SourceError> {
    if opts.offline && spec.needs_network() && matches!(spec, TargetSpec::Git { .. }) {
        return Err(SourceError::Offline {
            target: spec.identity(),
        });
    }
    // Offline, no client exists at all: nothing below can open a socket.
    let client = (!opts.offline).then(http::Http::new);
    let client = client.as_ref();
    match spec {
        TargetSpec::Folder(path) => materialize_folder(spec, path),
        TargetSpec::Archive(path) => materialize_archive(spec, path, opts),
        TargetSpec::ToolList(path) => materialize_tool_list(spec, path),
        TargetSpec::Npm { name, version } => {
            let fetched = npm::fetch(name, version, opts, client)?;
            let mut out = unpack(&fetched.artifact.path, opts, spec)?;
            let release = fetched.release;
            out.target.name = name.clone();
            out.target.version = Some(release.version);
            out.target.repo = release.repo;
            out.target.artifact_url = Some(http::redact_url(&release.tarball));
            out.target.artifact_sha256 = Some(fetched.artifact.sha256);
            out.target.published_at = release.published_at;
            out.deprecated = release.deprecated;
            Ok(out)
        }
        TargetSpec::Pypi { name, version } => {
            let fetched = pypi::fetch(name, version, opts, client)?;
            let mut out = unpack(&fetched.artifact.path, opts, spec)?;
            out.target.name = name.clone();
            out.target.version = Some(version.clone());
            out.target.repo = pypi::project_repo(&out.root);
            out.target.artifact_url = Some(http::redact_url(&fetched.file.url));
            out.target.artifact_sha256 = Some(fetched.artifact.sha256);
            out.target.published_at = fetched.file.upload_time;
            out.yanked = fetched.file.yanked;
            Ok(out)
        }
        TargetSpec::Git { url, git_ref } => {
            materialize_git(spec, url, git_ref.as_deref(), opts.git_public_only)
        }
    }
}

fn base_target(spec: &TargetSpec, name: String) -> TargetInfo {
    TargetInfo {
        kind: spec.kind().to_string(),
        name,
        spec: spec.identity(),
        ..TargetInfo::default()
    }
}

/// Commit and last-commit time of a checkout, when `root` has git history.
fn record_git_history(target: &mut TargetInfo, root: &Path) {
    if let Some((commit, time)) = git_last_commit(root) {
        target.commit = Some(commit);
        target.last_commit_at = Some(time);
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn materialize_folder(spec: &TargetSpec, path: &Path) -> Result<Materialized, SourceError> {
    let root = path.canonicalize().map_err(|_| SourceError::NotFound {
        what: format!("folder `{}`", path.display()),
        hint: None,
    })?;
    if !root.is_dir() {
        return Err(SourceError::invalid(
            &path.display().to_string(),
            "not a folder",
        ));
    }
    let mut target = base_target(spec, file_name_of(&root));
    record_git_history(&mut target, &root);
    Ok(Materialized {
        root,
        target,
        skipped: Vec::new(),
        deprecated: None,
        yanked: None,
        workspace: None,
    })
}

fn materialize_archive(
    spec: &TargetSpec,
    path: &Path,
    opts: &FetchOptions,
) -> Result<Materialized, SourceError> {
    if !path.is_file() {
        return Err(SourceError::NotFound {
            what: format!("archive `{}`", path.display()),
            hint: None,
        });
    }
    let file = std::fs::File::open(path)
        .map_err(|e| SourceError::io(format!("cannot open {}", path.display()), e))?;
    let digests = integrity::digest_reader(std::io::BufReader::new(file), None)
        .map_err(|e| SourceError::io(format!("cannot read {}", path.display()), e))?;
    let mut out = unpack(path, opts, spec)?;
    out.target.name = file_name_of(path);
    out.target.artifact_sha256 = Some(digests.sha256_hex());
    Ok(out)
}

/// Largest `tools/list` file accepted.
const MAX_TOOL_LIST_BYTES: u64 = 16 * 1024 * 1024;

/// A `tools/list` JSON file, copied alone into a temporary folder so it is audited like a
/// project with one file.
fn materialize_tool_list(spec: &TargetSpec, path: &Path) -> Result<Materialized, SourceError> {
    let meta = std::fs::metadata(path).map_err(|_| SourceError::NotFound {
        what: format!("file `{}`", path.display()),
        hint: None,
    })?;
    if !meta.is_file() {
        return Err(SourceError::invalid(
            &path.display().to_string(),
            "not a file",
        ));
    }
    if meta.len() > MAX_TOOL_LIST_BYTES {
        return Err(SourceError::invalid(
            &path.display().to_string(),
            format!("a tools/list file is at most {MAX_TOOL_LIST_BYTES} bytes"),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| SourceError::io(format!("cannot read {}", path.display()), e))?;
    if serde_json::from_slice::<serde_json::Value>(&bytes).is_err() {
        return Err(SourceError::invalid(
            &path.display().to_string(),
            "not valid JSON (expected a tools/list result)",
        ));
    }
    let workspace = temp_workspace()?;
    let name = file_name_of(path);
    std::fs::write(workspace.path().join(&name), &bytes)
        .map_err(|e| SourceError::io("cannot copy the tools/list file".to_string(), e))?;
    let mut target = base_target(spec, name);
    target.artifact_sha256 = Some(skillaudit_core::fingerprint::sha256_hex(&bytes));
    Ok(Materialized {
        root: workspace.path().to_path_buf(),
        target,
        skipped: Vec::new(),
        deprecated: None,
        yanked: None,
        workspace: Some(workspace),
    })
}

/// Extracts `archive` into a new temporary folder.
fn unpack(
    archive: &Path,
    opts: &FetchOptions,
    spec: &TargetSpec,
) -> Result<Materialized, SourceError> {
    let workspace = temp_workspace()?;
    let extraction = extract_archive(archive, workspace.path(), &opts.limits)?;
    Ok(Materialized {
        root: extraction.root,
        target: base_target(spec, String::new()),
        skipped: extraction.skipped,
        deprecated: None,
        yanked: None,
        workspace: Some(workspace),
    })
}

fn temp_workspace() -> Result<TempDir, SourceError> {
    tempfile::Builder::new()
        .prefix("skillaudit-")
        .tempdir()
        .map_err(|e| SourceError::io("cannot create a temporary folder", e))
}

fn materialize_git(
    spec: &TargetSpec,
    url: &str,
    git_ref: Option<&str>,
    public_only: bool,
) -> Result<Materialized, SourceError> {
    let workspace = temp_workspace()?;
    let root = workspace.path().join("checkout");
    let pins = if public_only {
        git::pin_public_host(url)?
    } else {
        Vec::new()
    };
    git::clone(url, git_ref, &root, &pins)?;
    let repo = http::redact_url(url);
    let name = repo
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .map(|n| n.strip_suffix(".git").unwrap_or(n).to_string())
        .unwrap_or_default();
    let mut target = base_target(spec, name);
    target.repo = Some(repo);
    target.git_ref = git_ref.map(str::to_string);
    record_git_history(&mut target, &root);
    Ok(Materialized {
        root,
        target,
        skipped: Vec::new(),
        deprecated: None,
        yanked: None,
        workspace: Some(workspace),
    })
}
