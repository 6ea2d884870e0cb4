//! The project as rules see it: every file read once, classified by surface and language, the
//! manifests parsed, and the inventory of what the target contains.

mod load;
pub mod manifests;
pub mod markdown;

pub use load::{load, LoadLimits};

use skillaudit_core::{Inventory, Surface, TargetInfo};
use std::path::PathBuf;

/// Language of a file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    JavaScript,
    TypeScript,
    Python,
    Go,
    Rust,
    Shell,
    Json,
    Yaml,
    Toml,
    Markdown,
    Html,
    Other,
}

impl Language {
    pub fn from_path(path: &str) -> Language {
        let lower = path.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" | "tsx" => Language::TypeScript,
            "py" | "pyi" => Language::Python,
            "go" => Language::Go,
            "rs" => Language::Rust,
            "sh" | "bash" | "zsh" => Language::Shell,
            "json" | "jsonc" => Language::Json,
            "yaml" | "yml" => Language::Yaml,
            "toml" => Language::Toml,
            "md" | "mdx" | "markdown" => Language::Markdown,
            "html" | "htm" => Language::Html,
            _ => Language::Other,
        }
    }

    /// Name used in `inventory.languages`.
    pub fn name(self) -> &'static str {
        match self {
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Python => "python",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Shell => "shell",
            Language::Json => "json",
            Language::Yaml => "yaml",
            Language::Toml => "toml",
            Language::Markdown => "markdown",
            Language::Html => "html",
            Language::Other => "other",
        }
    }

    /// True for programming languages whose files carry executable logic.
    pub fn is_code(self) -> bool {
        matches!(
            self,
            Language::JavaScript
                | Language::TypeScript
                | Language::Python
                | Language::Go
                | Language::Rust
                | Language::Shell
        )
    }
}

/// One file of the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// Relative to the project root, `/` separators.
    pub path: String,
    pub surface: Surface,
    pub language: Language,
    pub size: u64,
    /// The decoded text; `None` for binary files (listed in the inventory instead).
    pub text: Option<String>,
    /// True when the bytes were not valid UTF-8 and were decoded with replacement characters.
    pub lossy: bool,
}

impl ProjectFile {
    /// The file's name (last path component).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// True when the file sits at the project root.
    pub fn is_top_level(&self) -> bool {
        !self.path.contains('/')
    }
}

/// Package ecosystem a dependency belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPI,
    Go,
    Cargo,
}

/// How a dependency is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DependencyKind {
    Normal,
    Dev,
    Optional,
    Peer,
}

/// A direct dependency declared in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub ecosystem: Ecosystem,
    pub name: String,
    /// The version range as written (`^1.2.0`, `>=1.0,<2`, `==1.4.2`, empty for none).
    pub spec: String,
    pub kind: DependencyKind,
    /// Manifest path.
    pub manifest: String,
    /// Line of the declaration in the manifest, when found.
    pub line: Option<u32>,
}

/// Everything rules need to know about the target.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub target: TargetInfo,
    /// All files in path order, `node_modules/` and `.git/` excluded.
    pub files: Vec<ProjectFile>,
    pub inventory: Inventory,
    pub dependencies: Vec<Dependency>,
    /// Source repository the root manifest declares (`repository` in package.json, the
    /// repository / source URL of pyproject.toml), normalised; independent of where the target
    /// was fetched from.
    pub declared_repository: Option<String>,
    /// Licence declared by a manifest (`license` in package.json or pyproject.toml).
    pub declared_license: Option<String>,
    /// A `.git` folder is present at the root.
    pub has_git_dir: bool,
    /// SHA-256 over every file's path and content: part of the audit id.
    pub content_digest: String,
    /// "Now" for age checks; injectable so tests are reproducible.
    pub now: jiff::Timestamp,
    /// The code analysis (parsed once, on first use, shared by every security rule).
    pub code_analysis: std::sync::OnceLock<skillaudit_lang::Analysis>,
    /// Texts shown to the model and the poisoning techniques found in each (computed once,
    /// shared by the INJ and FLOW rules).
    pub model_texts: std::sync::OnceLock<Vec<crate::injection::ScannedText>>,
    /// Secrets found in each text file, by index into `files` (computed once, shared by the
    /// SECRET rules).
    /// The dependency audit, computed by the engine before the rules run (lockfiles, advisories,
    /// registry metadata); `None` when the project was loaded without one.
    pub dep_audit: Option<crate::dependencies::audit::DepAudit>,
    /// For a server split out of a workspace or monorepo: the lockfile of the folder it was
    /// split from (its path there), which pins this server's dependencies too but is not read
    /// for it (it lists every package of the workspace).
    pub workspace_lockfile: Option<String>,
    pub secrets: std::sync::OnceLock<Vec<(usize, Vec<crate::credentials::secrets::SecretMatch>)>>,
}

/// Marks the stand-in path of a `SKILL.md` code block analysed as a program.
const SKILL_BLOCK: &str = "#skill-code-block-";

impl Project {
    /// The security analysis of the package's code: runtime, scripts, examples and benchmarks
    /// (tests and docs are not code users run).
    ///
    /// The JavaScript and Python code blocks of a skill's `SKILL.md` are programs the agent is
    /// told to run: each is analysed as a file of its own, reported at its lines of the
    /// `SKILL.md`.
    pub fn code_analysis(&self) -> &skillaudit_lang::Analysis {
        self.code_analysis.get_or_init(|| {
            let blocks: Vec<(String, &str)> = crate::skills::skills(self)
                .iter()
                .flat_map(|s| {
                    // The stand-in path names how many lines precede the block, so that what
                    // the analysis finds is moved to its lines of the `SKILL.md`.
                    crate::skills::fenced_programs(s.text).into_iter().map(
                        |(first_line, ext, code)| {
                            let path =
                                format!("{}{SKILL_BLOCK}{first_line}.{ext}", s.manifest.path);
                            (path, code)
                        },
                    )
                })
                .collect();
            let files: Vec<skillaudit_lang::SourceFile<'_>> = self
                .files
                .iter()
                .filter(|f| !matches!(f.surface, Surface::Test | Surface::Docs))
                .filter_map(|f| {
                    f.text.as_deref().map(|text| skillaudit_lang::SourceFile {
                        path: &f.path,
                        text,
                    })
                })
                .chain(
                    blocks
                        .iter()
                        .map(|(path, text)| skillaudit_lang::SourceFile { path, text }),
                )
                .collect();
            let mut analysis =
                skillaudit_lang::analyze(&files, &skillaudit_lang::AnalysisLimits::default());
            if !blocks.is_empty() {
                analysis.relocate(|f| {
                    let (md, rest) = f.split_once(SKILL_BLOCK)?;
                    let before = rest.split('.').next()?.parse::<u32>().ok()?;
                    Some((md.to_string(), before))
                });
            }
            analysis
        })
    }

    /// The file at this relative path.
    pub fn file(&self, path: &str) -> Option<&ProjectFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Files at the root whose name, without extension and case-insensitively, is one of `stems`
    /// (`README` matches `README.md`, `readme.rst`, `Readme`).
    pub fn top_level_named<'a>(
        &'a self,
        stems: &'a [&'a str],
    ) -> impl Iterator<Item = &'a ProjectFile> + 'a {
        self.files.iter().filter(move |f| {
            f.is_top_level() && {
                let name = f.name();
                let stem = name.split('.').next().unwrap_or(name);
                stems.iter().any(|s| s.eq_ignore_ascii_case(stem))
            }
        })
    }

    /// The README at the root, preferring Markdown.
    pub fn readme(&self) -> Option<&ProjectFile> {
        let mut candidates: Vec<&ProjectFile> = self
            .top_level_named(&["README"])
            .filter(|f| f.text.is_some())
            .collect();
        candidates.sort_by_key(|f| !f.name().to_ascii_lowercase().ends_with(".md"));
        candidates.into_iter().next()
    }

    /// SECURITY.md at the root, in `.github/` or in `docs/` (where GitHub looks for it).
    pub fn security_policy(&self) -> Option<&ProjectFile> {
        ["", ".github/", "docs/"].iter().find_map(|dir| {
            self.files.iter().find(|f| {
                f.text.is_some()
                    && f.path.len() > dir.len()
                    && f.path[..dir.len()].eq_ignore_ascii_case(dir)
                    && {
                        let rest = &f.path[dir.len()..];
                        !rest.contains('/')
                            && rest
                                .split('.')
                                .next()
                                .is_some_and(|s| s.eq_ignore_ascii_case("SECURITY"))
                    }
            })
        })
    }

    /// True when the target came from a package registry (npm, PyPI) or a published archive:
    /// what is checked is what users install, and repository-only files are absent by design.
    pub fn is_published_artifact(&self) -> bool {
        matches!(self.target.kind.as_str(), "npm" | "pypi" | "archive")
    }

    /// Every file that has text (binary files left out), with its text.
    pub fn text_files(&self) -> impl Iterator<Item = (&ProjectFile, &str)> {
        self.files
            .iter()
            .filter_map(|f| f.text.as_deref().map(|t| (f, t)))
    }
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let line = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// The text of a 1-based line, trimmed and shortened to at most `max` characters.
pub fn line_text(text: &str, line: u32, max: usize) -> Option<String> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let raw = text.lines().nth(index)?.trim();
    let mut out: String = raw.chars().take(max).collect();
    if raw.chars().count() > max {
        out.push('…');
    }
    Some(out)
}
