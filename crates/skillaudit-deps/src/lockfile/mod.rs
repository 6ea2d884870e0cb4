//! Lockfile parsers: the packages a project actually installs, as a [`DependencyGraph`].
//!
//! | format | file | module |
//! |---|---|---|
//! | npm | `package-lock.json`, `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3) | [`npm`] |
//! | pnpm | `pnpm-lock.yaml` (lockfileVersion 5.x, 6.x, 9.x) | [`pnpm`] |
//! | yarn | `yarn.lock` (v1 classic, berry) | [`yarn`] |
//! | bun | `bun.lock` (text, JSON with trailing commas); `bun.lockb` is refused | [`bun`] |
//! | poetry | `poetry.lock` (+ `pyproject.toml` for direct dependencies) | [`poetry`] |
//! | uv | `uv.lock` | [`uv`] |
//! | pipenv | `Pipfile.lock` (+ `Pipfile` for direct dependencies) | [`pipfile`] |
//! | pip | `requirements*.txt`, `*requirements.txt` (exact pins only) | [`requirements`] |
//! | Go | `go.sum` (+ `go.mod` for direct dependencies and selected versions) | [`go`] |
//!
//! Every parser treats its input as hostile: the text is capped at [`MAX_LOCKFILE_BYTES`], JSON
//! nesting is bounded by serde_json's recursion limit, YAML by serde-saphyr budgets (alias
//! bombs fail fast), package and problem counts and dependency paths are capped, and no input
//! panics (`cargo xtask fuzz-lockfiles` checks the last claim). A file is refused
//! ([`LockError`]) only when nothing usable can be read from it; an entry that is odd on its own
//! becomes a line of [`DependencyGraph::problems`] and the rest is read.
//!
//! Parsers read into generic values (JSON, YAML and TOML trees) rather than typed structs, so
//! that one malformed entry costs one problem line instead of the whole file; the price is
//! memory of a few times the file's size.

pub mod bun;
pub mod go;
mod graph;
pub mod npm;
pub mod pipfile;
pub mod pnpm;
pub mod poetry;
mod read;
pub mod requirements;
pub mod uv;
pub mod yarn;

use crate::model::{DepEcosystem, DependencyGraph};
use std::fmt;

/// Largest lockfile (and sibling manifest) read, in bytes; larger ones are refused.
pub const MAX_LOCKFILE_BYTES: usize = 64 * 1024 * 1024;

/// Most distinct packages kept from one lockfile; the rest are reported as one problem.
pub const MAX_PACKAGES: usize = 200_000;

/// Most names in one [`LockPackage::path`](crate::model::LockPackage::path); longer paths keep
/// their first names and the package itself.
pub const MAX_PATH_LEN: usize = 64;

/// Most problem lines kept; the rest are counted in a last line.
pub const MAX_PROBLEMS: usize = 1_000;

/// A lockfile format SkillAudit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LockFormat {
    /// `package-lock.json` or `npm-shrinkwrap.json`, lockfileVersion 1, 2 or 3.
    NpmPackageLock,
    /// `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x or 9.x.
    PnpmLock,
    /// `yarn.lock`, classic v1 or berry (told apart by its `__metadata` entry).
    YarnLock,
    /// `bun.lock`, bun's text lockfile.
    BunLock,
    /// `bun.lockb`, bun's binary lockfile: recognised so that it can be refused clearly.
    BunLockb,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// A pip requirements file with exact pins (`requirements.txt`, `requirements-dev.txt`…).
    Requirements,
    /// `go.sum`, read with the `go.mod` beside it when there is one.
    GoSum,
}

impl LockFormat {
    /// Every format, in a fixed order.
    pub const ALL: [LockFormat; 10] = [
        LockFormat::NpmPackageLock,
        LockFormat::PnpmLock,
        LockFormat::YarnLock,
        LockFormat::BunLock,
        LockFormat::BunLockb,
        LockFormat::PoetryLock,
        LockFormat::UvLock,
        LockFormat::PipfileLock,
        LockFormat::Requirements,
        LockFormat::GoSum,
    ];

    /// A short stable name (`npm`, `pnpm`, `yarn`, `bun`, `bun-binary`, `poetry`, `uv`,
    /// `pipfile`, `requirements`, `go`).
    pub fn name(self) -> &'static str {
        match self {
            LockFormat::NpmPackageLock => "npm",
            LockFormat::PnpmLock => "pnpm",
            LockFormat::YarnLock => "yarn",
            LockFormat::BunLock => "bun",
            LockFormat::BunLockb => "bun-binary",
            LockFormat::PoetryLock => "poetry",
            LockFormat::UvLock => "uv",
            LockFormat::PipfileLock => "pipfile",
            LockFormat::Requirements => "requirements",
            LockFormat::GoSum => "go",
        }
    }

    /// The ecosystem whose packages the format lists.
    pub fn ecosystem(self) -> DepEcosystem {
        match self {
            LockFormat::NpmPackageLock
            | LockFormat::PnpmLock
            | LockFormat::YarnLock
            | LockFormat::BunLock
            | LockFormat::BunLockb => DepEcosystem::Npm,
            LockFormat::PoetryLock
            | LockFormat::UvLock
            | LockFormat::PipfileLock
            | LockFormat::Requirements => DepEcosystem::PyPI,
            LockFormat::GoSum => DepEcosystem::Go,
        }
    }

    /// The manifest beside the lockfile whose text [`parse`] takes as `sibling`, when the
    /// format needs one to tell direct dependencies (or, for Go, selected versions).
    pub fn sibling_manifest(self) -> Option<&'static str> {
        match self {
            LockFormat::NpmPackageLock | LockFormat::YarnLock => Some("package.json"),
            LockFormat::PoetryLock => Some("pyproject.toml"),
            LockFormat::PipfileLock => Some("Pipfile"),
            LockFormat::GoSum => Some("go.mod"),
            LockFormat::PnpmLock
            | LockFormat::BunLock
            | LockFormat::BunLockb
            | LockFormat::UvLock
            | LockFormat::Requirements => None,
        }
    }
}

impl fmt::Display for LockFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a lockfile could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockErrorKind {
    /// Larger than [`MAX_LOCKFILE_BYTES`].
    TooLarge,
    /// Not valid JSON, YAML or TOML (or over a parser budget: nesting, aliases).
    Syntax,
    /// Valid syntax, but not the shape of this lockfile format.
    Shape,
    /// A binary lockfile (`bun.lockb`), which is not read.
    Binary,
}

/// A lockfile that could not be read: which file, where (when the parser says), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockError {
    /// The lockfile's path as given to [`parse`].
    pub file: String,
    /// 1-based line of the error, when the parser reports one.
    pub line: Option<u32>,
    /// What kind of failure.
    pub kind: LockErrorKind,
    /// What went wrong, one line.
    pub message: String,
}

impl LockError {
    pub(crate) fn new(file: &str, line: Option<u32>, kind: LockErrorKind, message: &str) -> Self {
        LockError {
            file: file.to_string(),
            line,
            kind,
            message: graph::one_line(message, 300),
        }
    }

    pub(crate) fn shape(file: &str, message: &str) -> Self {
        LockError::new(file, None, LockErrorKind::Shape, message)
    }
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LockError {}

/// The format of a lockfile from its file name (a bare name or a path; only the last
/// component counts), or `None` when SkillAudit does not read it.
pub fn format_of(file_name: &str) -> Option<LockFormat> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let format = match name {
        "package-lock.json" | "npm-shrinkwrap.json" => LockFormat::NpmPackageLock,
        "pnpm-lock.yaml" => LockFormat::PnpmLock,
        "yarn.lock" => LockFormat::YarnLock,
        "bun.lock" => LockFormat::BunLock,
        "bun.lockb" => LockFormat::BunLockb,
        "poetry.lock" => LockFormat::PoetryLock,
        "uv.lock" => LockFormat::UvLock,
        "Pipfile.lock" => LockFormat::PipfileLock,
        "go.sum" => LockFormat::GoSum,
        _ => {
            let lower = name.to_ascii_lowercase();
            let requirements = lower.ends_with(".txt")
                && (lower.starts_with("requirements") || lower.ends_with("requirements.txt"));
            if !requirements {
                return None;
            }
            LockFormat::Requirements
        }
    };
    Some(format)
}

/// Reads one lockfile.
///
/// `path` is how the graph and errors name the file (relative to the target root); `text` is
/// its content; `sibling` is the text of the manifest beside it
/// ([`LockFormat::sibling_manifest`]: `package.json`, `pyproject.toml`, `Pipfile`, `go.mod`)
/// when there is one, used for direct dependencies and ignored by formats that record them.
///
/// Fails only when nothing usable can be read: over [`MAX_LOCKFILE_BYTES`], a syntax error, a
/// document of the wrong shape, or a binary `bun.lockb`. Odd entries become problem lines.
pub fn parse(
    format: LockFormat,
    path: &str,
    text: &str,
    sibling: Option<&str>,
) -> Result<DependencyGraph, LockError> {
    if text.len() > MAX_LOCKFILE_BYTES {
        return Err(LockError::new(
            path,
            None,
            LockErrorKind::TooLarge,
            &format!(
                "{} bytes is over the {MAX_LOCKFILE_BYTES}-byte limit for lockfiles",
                text.len()
            ),
        ));
    }
    let mut sibling_problem = None;
    let sibling = match sibling {
        Some(s) if s.len() > MAX_LOCKFILE_BYTES => {
            sibling_problem = Some(format!(
                "the {} beside it is over {MAX_LOCKFILE_BYTES} bytes and was not read",
                format.sibling_manifest().unwrap_or("manifest")
            ));
            None
        }
        other => other,
    };
    let mut graph = match format {
        LockFormat::NpmPackageLock => npm::parse(path, text, sibling),
        LockFormat::PnpmLock => pnpm::parse(path, text),
        LockFormat::YarnLock => yarn::parse(path, text, sibling),
        LockFormat::BunLock => bun::parse(path, text),
        LockFormat::BunLockb => Err(LockError::new(
            path,
            None,
            LockErrorKind::Binary,
            "binary bun.lockb: commit the text bun.lock (`bun install --save-text-lockfile`)",
        )),
        LockFormat::PoetryLock => poetry::parse(path, text, sibling),
        LockFormat::UvLock => uv::parse(path, text),
        LockFormat::PipfileLock => pipfile::parse(path, text, sibling),
        LockFormat::Requirements => requirements::parse(path, text),
        LockFormat::GoSum => go::parse(path, text, sibling),
    }?;
    if let Some(problem) = sibling_problem {
        graph.problems.insert(0, problem);
    }
    Ok(graph)
}

/// The fuzz target: feeds arbitrary bytes (read as lossy UTF-8) to the parser of `format`,
/// once alone and once with the same text as its sibling manifest. Returns nothing; it exists
/// to panic, hang or blow up if a parser can.
pub fn fuzz_one(format: LockFormat, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = parse(format, "fuzz-input", &text, None);
    if format.sibling_manifest().is_some() {
        let _ = parse(format, "fuzz-input", &text, Some(&text));
    }
}

/// The last component of a path, for format labels (`npm-shrinkwrap.json v3`).
fn file_label<'a>(path: &'a str, default: &'a str) -> &'a str {
    match path.rsplit(['/', '\\']).next() {
        Some(name) if !name.is_empty() && name.len() <= 64 => name,
        _ => default,
    }
}
