//! Loading a folder into a [`Project`]: a walk that never follows a symlink, reads each file once
//! (in parallel), and bounds what it reads. Everything not analysed becomes a `skipped` entry.

use super::manifests;
use super::{Language, Project, ProjectFile};
use rayon::prelude::*;
use skillaudit_core::fingerprint::sha256_hex;
use skillaudit_core::surface::classify_path;
use skillaudit_core::{Inventory, LanguageStats, Skipped, Surface, TargetInfo};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Bounds on what a load reads.
#[derive(Debug, Clone, Copy)]
pub struct LoadLimits {
    /// Files beyond this count are not read (the walk stops and says so).
    pub max_files: usize,
    /// A file larger than this is skipped (its surface decides whether the report stays complete).
    pub max_file_bytes: u64,
    /// Reading stops once this many bytes have been read in total.
    pub max_total_bytes: u64,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_files: 50_000,
            max_file_bytes: 16 * 1024 * 1024,
            max_total_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Folders never walked: dependencies belong to the dependency audit, `.git` is history.
/// Tool caches and virtual environments are neither shipped nor source.
const EXCLUDED_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".hg",
    ".svn",
    ".venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
];
/// Folders that hold vendored third-party code: scanned (they ship), and noted.
const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "vendored",
    "_vendor",
    "third_party",
    "third-party",
    "thirdparty",
];
/// Extensions of source files the analysis reads, however odd their bytes.
const SOURCE_EXTENSIONS: &[&str] = &[
    "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "py", "pyw", "pyi", "sh", "bash",
];

/// Extensions of files that are binary whatever their bytes look like.
const BINARY_EXTENSIONS: &[&str] = &[
    "pyc", "pyo", "so", "dylib", "dll", "exe", "node", "wasm", "class", "jar", "o", "a", "png",
    "jpg", "jpeg", "gif", "ico", "webp", "bmp", "pdf", "zip", "gz", "tgz", "bz2", "xz", "7z",
    "whl", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "sqlite", "db", "docx",
    "xlsx", "pptx", "doc", "xls",
];

struct Walked {
    files: Vec<(String, PathBuf, u64)>,
    skipped: Vec<Skipped>,
    vendored: Vec<String>,
    has_git_dir: bool,
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

fn walk(root: &Path, limits: &LoadLimits) -> Walked {
    let mut out = Walked {
        files: Vec::new(),
        skipped: Vec::new(),
        vendored: Vec::new(),
        has_git_dir: false,
    };
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    let mut stopped = false;
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let file = err
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| "?".into());
                out.skipped.push(Skipped {
                    file,
                    reason: format!("unreadable: {err}"),
                    surface: None,
                });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative(root, entry.path());
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let name = entry.file_name().to_string_lossy();
            // A Rust `target/` beside its Cargo.toml is build output, not source or package.
            let rust_build_output = name == "target"
                && entry
                    .path()
                    .parent()
                    .is_some_and(|parent| parent.join("Cargo.toml").is_file());
            if EXCLUDED_DIRS.contains(&name.as_ref()) || rust_build_output {
                if entry.depth() == 1 && name == ".git" {
                    out.has_git_dir = true;
                }
                walker.skip_current_dir();
            } else if VENDORED_DIRS.contains(&name.to_ascii_lowercase().as_str()) {
                out.vendored.push(rel);
            }
            continue;
        }
        if file_type.is_symlink() {
            let target = std::fs::read_link(entry.path())
                .map(|t| t.to_string_lossy().into_owned())
                .unwrap_or_else(|_| "?".into());
            let inside = symlink_stays_inside(root, entry.path());
            out.skipped.push(Skipped {
                reason: if inside {
                    format!(
                        "symbolic link to {target} not followed (its target is scanned in place)"
                    )
                } else {
                    format!("symbolic link to {target} points outside the target: not followed")
                },
                // A link out of the tree stands for code that is not here to audit.
                surface: (!inside).then(|| classify_path(&rel)),
                file: rel,
            });
            continue;
        }
        if !file_type.is_file() {
            out.skipped.push(Skipped {
                file: rel,
                reason: "not a regular file (device, socket or pipe)".into(),
                surface: None,
            });
            continue;
        }
        if out.files.len() >= limits.max_files {
            if !stopped {
                out.skipped.push(Skipped {
                    file: rel.clone(),
                    reason: format!(
                        "more than {} files: this and the files after it were not read",
                        limits.max_files
                    ),
                    surface: Some(Surface::Runtime),
                });
                stopped = true;
            }
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.files.push((rel, entry.into_path(), size));
    }
    out
}

/// True when a symlink's resolved target is inside `root`.
fn symlink_stays_inside(root: &Path, link: &Path) -> bool {
    match (std::fs::canonicalize(link), std::fs::canonicalize(root)) {
        (Ok(target), Ok(root)) => target.starts_with(root),
        _ => false,
    }
}

enum Read {
    Text { text: String, lossy: bool },
    Binary,
    Skipped(String),
}

fn read_file(path: &Path, size: u64, limits: &LoadLimits) -> Read {
    if size > limits.max_file_bytes {
        return Read::Skipped(format!(
            "file is {} bytes, over the {}-byte cap for analysis",
            size, limits.max_file_bytes
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return Read::Skipped(format!("unreadable: {err}")),
    };
    if bytes.len() as u64 > limits.max_file_bytes {
        return Read::Skipped(format!(
            "file grew to {} bytes while being read, over the {}-byte cap",
            bytes.len(),
            limits.max_file_bytes
        ));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if BINARY_EXTENSIONS.contains(&ext.as_str()) {
        return Read::Binary;
    }
    let mut bytes = bytes;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        // A source file (by extension or shebang) with a few stray NUL bytes is still code
        // the runtime executes (JavaScript and Python tolerate them in comments and strings):
        // read it with each NUL as a space, so offsets and lines stay true. Many NULs (UTF-16
        // text, a disguised binary) cannot be read as source: listed, never silently dropped.
        let source = SOURCE_EXTENSIONS.contains(&ext.as_str()) || bytes.starts_with(b"#!");
        if !source {
            return Read::Binary;
        }
        let nuls = bytes.iter().filter(|b| **b == 0).count();
        if nuls * 4 > bytes.len() || (nuls > 64 && nuls * 100 > bytes.len()) {
            return Read::Skipped(format!(
                "a source file with {nuls} NUL bytes (UTF-16 or not text); not analysed"
            ));
        }
        for b in bytes.iter_mut() {
            if *b == 0 {
                *b = b' ';
            }
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Read::Text { text, lossy: false },
        Err(err) => {
            // Not UTF-8 but no NUL bytes: most likely Latin-1 text. Analyse it rather than let an
            // odd byte hide code.
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            Read::Text { text, lossy: true }
        }
    }
}

/// Load the folder at `root` (already on disk and inside the sandbox) as a project.
pub fn load(
    root: &Path,
    target: TargetInfo,
    limits: LoadLimits,
    now: jiff::Timestamp,
) -> std::io::Result<Project> {
    let metadata = std::fs::metadata(root)?;
    if !metadata.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a folder", root.display()),
        ));
    }
    let walked = walk(root, &limits);
    let mut skipped = walked.skipped;

    let mut total: u64 = 0;
    let mut admitted = Vec::with_capacity(walked.files.len());
    for (rel, path, size) in walked.files {
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            skipped.push(Skipped {
                surface: Some(classify_path(&rel)),
                reason: format!(
                    "the target holds more than {} bytes: not read",
                    limits.max_total_bytes
                ),
                file: rel,
            });
            continue;
        }
        admitted.push((rel, path, size));
    }

    let read: Vec<(String, u64, Read)> = admitted
        .into_par_iter()
        .map(|(rel, path, size)| {
            let read = read_file(&path, size, &limits);
            (rel, size, read)
        })
        .collect();

    let mut files = Vec::with_capacity(read.len());
    let mut binary_files = Vec::new();
    for (rel, size, read) in read {
        let language = Language::from_path(&rel);
        let surface = classify_path(&rel);
        match read {
            Read::Text { text, lossy } => files.push(ProjectFile {
                path: rel,
                surface,
                language,
                size,
                text: Some(text),
                lossy,
            }),
            Read::Binary => {
                binary_files.push(rel.clone());
                files.push(ProjectFile {
                    path: rel,
                    surface,
                    language,
                    size,
                    text: None,
                    lossy: false,
                });
            }
            Read::Skipped(reason) => skipped.push(Skipped {
                file: rel,
                reason,
                surface: Some(surface),
            }),
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let parsed = manifests::parse_all(&files);
    // Files a manifest names as entry points run when the package runs: runtime whatever
    // their path says.
    for path in &parsed.entry_files {
        if let Ok(i) = files.binary_search_by(|f| f.path.as_str().cmp(path)) {
            files[i].surface = Surface::Runtime;
        }
    }
    for skip in &mut skipped {
        if parsed.entry_files.contains(&skip.file) {
            skip.surface = Some(Surface::Runtime);
        }
    }

    let mut digest_input = String::new();
    let mut languages: BTreeMap<String, LanguageStats> = BTreeMap::new();
    let mut surfaces: BTreeMap<String, u32> = BTreeMap::new();
    let mut files_scanned = 0u32;
    let mut bytes_scanned = 0u64;
    for file in &files {
        digest_input.push_str(&file.path);
        digest_input.push('\0');
        if let Some(text) = &file.text {
            digest_input.push_str(&sha256_hex(text.as_bytes()));
            files_scanned += 1;
            bytes_scanned += file.size;
        } else {
            digest_input.push_str(&file.size.to_string());
        }
        digest_input.push('\n');
        *surfaces
            .entry(file.surface.as_str().to_string())
            .or_default() += 1;
        if file.language != Language::Other {
            let stats = languages
                .entry(file.language.name().to_string())
                .or_default();
            stats.files += 1;
            stats.bytes += file.size;
        }
    }

    let transports = detect_transports(&files);
    let skill = files
        .iter()
        .filter(|f| f.name() == "SKILL.md" && crate::skills::is_runtime_skill(f))
        .min_by_key(|f| f.path.matches('/').count())
        .map(|f| f.path.clone());

    let inventory = Inventory {
        languages,
        files_scanned,
        bytes_scanned,
        surfaces,
        tools: Vec::new(),
        sdk: parsed.sdk.clone(),
        transports,
        manifests: parsed.manifests.clone(),
        entry_points: parsed.entry_points.clone(),
        skill,
        bundle_manifest: parsed.bundle_manifest.clone(),
        server_json: parsed.server_json.clone(),
        vendored: walked.vendored,
        undecodable_files: files
            .iter()
            .filter(|f| f.lossy)
            .map(|f| f.path.clone())
            .collect(),
        binary_files,
        skipped,
    };

    let mut target = target;
    let declared_repository = parsed.repository.clone();
    if target.repo.is_none() {
        target.repo = parsed.repository.clone();
    }
    if target.version.is_none() && target.kind == "folder" {
        target.version = parsed.version.clone();
    }

    Ok(Project {
        root: root.to_path_buf(),
        target,
        files,
        inventory,
        dependencies: parsed.dependencies,
        declared_license: parsed.license,
        has_git_dir: walked.has_git_dir,
        content_digest: sha256_hex(digest_input.as_bytes()),
        now,
        code_analysis: std::sync::OnceLock::new(),
        model_texts: std::sync::OnceLock::new(),
        secrets: std::sync::OnceLock::new(),
        dep_audit: None,
        declared_repository,
        workspace_lockfile: None,
    })
}

/// Transports the runtime code sets up, from the SDKs' class and function names.
fn detect_transports(files: &[ProjectFile]) -> Vec<String> {
    const MARKERS: &[(&str, &str)] = &[
        ("StdioServerTransport", "stdio"),
        ("stdio_server", "stdio"),
        ("transport=\"stdio\"", "stdio"),
        ("StreamableHTTPServerTransport", "streamable-http"),
        ("streamable_http_app", "streamable-http"),
        ("transport=\"streamable-http\"", "streamable-http"),
        ("transport=\"http\"", "streamable-http"),
        ("SSEServerTransport", "sse"),
        ("SseServerTransport", "sse"),
        ("sse_app", "sse"),
        ("transport=\"sse\"", "sse"),
    ];
    let mut found: Vec<String> = Vec::new();
    for file in files {
        if file.surface != Surface::Runtime || !file.language.is_code() {
            continue;
        }
        let Some(text) = &file.text else { continue };
        for (marker, transport) in MARKERS {
            if text.contains(marker) && !found.iter().any(|t| t == transport) {
                found.push((*transport).to_string());
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(name: &str, bytes: &[u8]) -> Read {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        read_file(&path, bytes.len() as u64, &LoadLimits::default())
    }

    #[test]
    fn a_stray_nul_in_source_is_read_as_a_space() {
        let src = b"// a comment with a \0 byte\nconst cp = require('child_process');\n";
        match read_bytes("index.js", src) {
            Read::Text { text, .. } => {
                assert_eq!(text.len(), src.len());
                assert!(text.contains("child_process"));
                assert!(!text.contains('\0'));
            }
            _ => panic!("a JavaScript file with one NUL must be read as text"),
        }
    }

    #[test]
    fn a_source_file_full_of_nuls_is_listed_not_dropped() {
        let utf16: Vec<u8> = "import os\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(matches!(read_bytes("tool.py", &utf16), Read::Skipped(_)));
        assert!(matches!(
            read_bytes("image.dat", b"\0\0\0\x01"),
            Read::Binary
        ));
    }
}
