//! Monorepos and wrappers: which folders of a target are servers of their own, and whether a
//! package's server code lives in one of its dependencies.
//!
//! - **Package roots** ([`package_roots`]): a folder, clone or archive holding several MCP
//!   servers is audited as one server per package, in the same run, one report each — otherwise a flow from one
//!   server's input to another server's sink is reported as if it were one program. A package
//!   root is a folder with a `package.json`, `pyproject.toml` or `setup.py` that depends on an
//!   MCP SDK or server framework ([`NPM_SDKS`], [`PYPI_SDKS`], `mcp-handler`, `xmcp`,
//!   `@mastra/mcp`, `fastapi-mcp`…), or whose code registers tools. The
//!   walk skips dependency, build, hidden, test, fixture and example folders, stops at the
//!   first package root on each path, and gives up past [`MAX_DIRS`] folders. The folder is
//!   split only when it holds two or more roots and its own manifest is not a server that
//!   contains them; a workspace root (`workspaces`, `pnpm-workspace.yaml`, `lerna.json`,
//!   `[tool.uv.workspace]`) never counts as that server.
//! - **Repository files of a split folder** ([`add_repository_files`]): a server split out of
//!   a monorepo is audited with the repository's security policy, changelog, licence and
//!   update-automation configuration when it has none of its own (they usually live once at
//!   the repository root), so its report does not claim they are missing.
//! - **Wrappers** ([`wrapper_of`]): a package with almost no code (registering no tools) whose
//!   entry point only imports, requires or runs one of its dependencies (and not an MCP SDK) ships its
//!   server in that dependency. The engine then audits the dependency too (a registry target,
//!   online, at the version the dependency audit resolved) or says under "checks not run" that
//!   the server's code was not audited — never a clean report from two files.

use regex::Regex;
use skillaudit_core::surface::classify_path;
use skillaudit_core::Surface;
use skillaudit_rules::project::manifests::{self, NPM_SDKS, PYPI_SDKS};
use skillaudit_rules::project::{DependencyKind, Ecosystem, Language, ProjectFile};
use skillaudit_rules::Project;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// Most folders visited while looking for package roots.
pub const MAX_DIRS: usize = 5_000;
/// Deepest folder level looked at (the target is level 0).
const MAX_DEPTH: usize = 6;
/// Largest manifest or source file read while looking.
const MAX_FILE_BYTES: u64 = 512 * 1024;
/// Most source files read per candidate package when looking for tool registrations.
const MAX_CODE_FILES: usize = 300;
/// Most source files read over the whole search.
const MAX_CODE_FILES_IN_ALL: usize = 3_000;

/// Folders that never hold a package of the target's own.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "__pycache__",
    "site-packages",
    "venv",
    "env",
    "dist",
    "build",
    "out",
    "target",
    "vendor",
    "coverage",
];

const ROOT_MANIFESTS: &[&str] = &["package.json", "pyproject.toml", "setup.py"];

/// Server frameworks built on the SDKs: a package depending on one is a server too (only for
/// finding package roots; the SDK checks of the rules keep to [`NPM_SDKS`] and [`PYPI_SDKS`]).
const NPM_SERVER_FRAMEWORKS: &[&str] =
    &["mcp-handler", "@vercel/mcp-adapter", "xmcp", "@mastra/mcp"];
const PYPI_SERVER_FRAMEWORKS: &[&str] = &["fastapi-mcp"];

/// One package of a folder target that is audited as its own server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRoot {
    /// Relative to the target, `/` separators.
    pub rel: String,
    /// Why it is a server (`depends on @modelcontextprotocol/sdk`, `registers tools in …`).
    pub reason: String,
}

/// The servers inside a folder target when it holds two or more (see the module
/// documentation); empty when the folder is one server (or none).
pub fn package_roots(root: &Path) -> Vec<PackageRoot> {
    let top = read_manifests(root);
    let workspace = is_workspace_root(root, &top);
    if !workspace && !top.is_empty() && sdk_reason(&top).is_some() {
        return Vec::new();
    }
    let mut roots = Vec::new();
    let mut visited = 0usize;
    let mut budget = MAX_CODE_FILES_IN_ALL;
    let mut queue: std::collections::VecDeque<(PathBuf, String, usize)> =
        std::collections::VecDeque::new();
    queue.push_back((root.to_path_buf(), String::new(), 0));
    while let Some((dir, rel, depth)) = queue.pop_front() {
        visited += 1;
        if visited > MAX_DIRS {
            break;
        }
        if !rel.is_empty() {
            let manifests = read_manifests(&dir);
            if manifests.iter().any(|f| ROOT_MANIFESTS.contains(&f.name())) {
                let reason =
                    sdk_reason(&manifests).or_else(|| registers_tools(&dir, &rel, &mut budget));
                if let Some(reason) = reason {
                    roots.push(PackageRoot { rel, reason });
                    continue;
                }
            }
        }
        if depth >= MAX_DEPTH {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut children: Vec<(PathBuf, String)> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let child_rel = if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                };
                (!skipped_dir(&name, &child_rel)).then(|| (e.path(), child_rel))
            })
            .collect();
        children.sort();
        for (path, child_rel) in children {
            queue.push_back((path, child_rel, depth + 1));
        }
    }
    if roots.len() < 2 {
        return Vec::new();
    }
    roots.sort_by(|a, b| a.rel.cmp(&b.rel));
    roots
}

fn skipped_dir(name: &str, rel: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || SKIPPED_DIRS.contains(&lower.as_str())
        || !matches!(
            classify_path(&format!("{rel}/x.js")),
            Surface::Runtime | Surface::Script
        )
}

/// The manifests directly in `dir` (and its requirements files), as top-level project files.
fn read_manifests(dir: &Path) -> Vec<ProjectFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        let wanted = ROOT_MANIFESTS.contains(&name.as_str())
            || name == "setup.cfg"
            || (lower.starts_with("requirements") && lower.ends_with(".txt"));
        if !wanted {
            continue;
        }
        if let Some(text) = read_small(&entry.path()) {
            out.push(ProjectFile {
                language: Language::from_path(&name),
                size: text.len() as u64,
                text: Some(text),
                lossy: false,
                surface: Surface::Runtime,
                path: name,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A regular file's text when it is small (links are not followed).
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// `depends on X` when the manifests declare an MCP SDK or framework.
fn sdk_reason(manifests: &[ProjectFile]) -> Option<String> {
    let parsed = manifests::parse_all(manifests);
    parsed
        .dependencies
        .iter()
        .find(|d| match d.ecosystem {
            Ecosystem::Npm => {
                NPM_SDKS.contains(&d.name.as_str())
                    || NPM_SERVER_FRAMEWORKS.contains(&d.name.as_str())
            }
            Ecosystem::PyPI => {
                let name = manifests::normalise_pypi_name(&d.name);
                PYPI_SDKS.contains(&name.as_str())
                    || PYPI_SERVER_FRAMEWORKS.contains(&name.as_str())
            }
            _ => false,
        })
        .map(|d| format!("depends on {}", d.name))
}

fn is_workspace_root(root: &Path, manifests: &[ProjectFile]) -> bool {
    let declares = manifests.iter().any(|f| {
        let text = f.text.as_deref().unwrap_or("");
        match f.name() {
            "package.json" => serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .is_some_and(|v| v.get("workspaces").is_some()),
            "pyproject.toml" => text.contains("[tool.uv.workspace]"),
            _ => false,
        }
    });
    declares
        || ["pnpm-workspace.yaml", "lerna.json"]
            .iter()
            .any(|name| root.join(name).is_file())
}

/// Tool registrations an MCP server's code makes (TypeScript/JavaScript and Python SDKs and
/// the common frameworks).
static TOOL_REGISTRATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)\.(?:tool|registerTool|addTool)\s*\(\s*['"`{]|\bListToolsRequestSchema\b|^\s*@\w+(?:\.\w+)*\.tool\b|\.add_tool\s*\(|^\s*@\w+\.list_tools\s*\("#,
    )
    .ok()
});

/// `registers tools in FILE` when code under `dir` (outside nested packages, tests and
/// build output) registers MCP tools.
fn registers_tools(dir: &Path, rel: &str, budget: &mut usize) -> Option<String> {
    let pattern = TOOL_REGISTRATION.as_ref()?;
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    let mut read = 0usize;
    while let Some((current, sub, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let child = if sub.is_empty() {
                name.clone()
            } else {
                format!("{sub}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let nested = ROOT_MANIFESTS
                    .iter()
                    .any(|m| entry.path().join(m).is_file());
                if depth < MAX_DEPTH && !nested && !skipped_dir(&name, &format!("{rel}/{child}")) {
                    stack.push((entry.path(), child, depth + 1));
                }
                continue;
            }
            if !kind.is_file()
                || !matches!(
                    Language::from_path(&name),
                    Language::JavaScript | Language::TypeScript | Language::Python
                )
                || !matches!(classify_path(&format!("{rel}/{child}")), Surface::Runtime)
            {
                continue;
            }
            read += 1;
            if read > MAX_CODE_FILES || *budget == 0 {
                return None;
            }
            *budget -= 1;
            if let Some(text) = read_small(&entry.path()) {
                if pattern.is_match(&text) {
                    return Some(format!("registers tools in {child}"));
                }
            }
        }
    }
    None
}

/// Repository files a monorepo keeps once at its root, by path relative to it.
const REPOSITORY_FILES: &[&str] = &[
    "SECURITY.md",
    "SECURITY.rst",
    "SECURITY.txt",
    ".github/SECURITY.md",
    "docs/SECURITY.md",
    "CHANGELOG.md",
    "CHANGELOG.rst",
    "CHANGELOG.txt",
    "CHANGELOG",
    "HISTORY.md",
    "CHANGES.md",
    "NEWS.md",
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "COPYING",
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".github/renovate.json",
    ".github/renovate.json5",
];

/// Adds the repository files of `top` (the folder a member was split from) that the member's
/// project lacks, at the same relative paths, unless an exclusion removes them; returns the
/// paths added (findings on them are about the repository's file, not one in the member).
pub fn add_repository_files(
    project: &mut Project,
    top: &Path,
    exclusions: &[crate::exclude::Exclusion],
) -> Vec<String> {
    let mut added: Vec<String> = Vec::new();
    if top.canonicalize().ok().as_deref() == Some(project.root.as_path()) {
        return added;
    }
    for rel in REPOSITORY_FILES {
        let stem = |p: &str| {
            let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
            let dir = p.rsplit_once('/').map(|(d, _)| d.to_ascii_lowercase());
            (dir, name.split('.').next().unwrap_or("").to_string())
        };
        // A file of the same kind in the same place (any extension) already answers.
        let present = project.files.iter().any(|f| stem(&f.path) == stem(rel));
        if present || exclusions.iter().any(|e| e.excludes(rel)) {
            continue;
        }
        let Some(text) = read_small(&top.join(rel)) else {
            continue;
        };
        project.files.push(ProjectFile {
            path: (*rel).to_string(),
            surface: classify_path(rel),
            language: Language::from_path(rel),
            size: text.len() as u64,
            text: Some(text),
            lossy: false,
        });
        added.push((*rel).to_string());
    }
    if !added.is_empty() {
        project.files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    added
}

/// Lockfiles a workspace keeps at its root for every member.
const WORKSPACE_LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
    "uv.lock",
    "poetry.lock",
];

/// The lockfile at the root of the folder a member was split from, when the member has none
/// of its own.
pub fn workspace_lockfile(project: &Project, top: &Path) -> Option<String> {
    let own = project
        .files
        .iter()
        .any(|f| WORKSPACE_LOCKFILES.contains(&f.name()));
    if own {
        return None;
    }
    WORKSPACE_LOCKFILES
        .iter()
        .find(|name| {
            std::fs::symlink_metadata(top.join(name)).is_ok_and(|m| m.file_type().is_file())
        })
        .map(|name| (*name).to_string())
}

/// A dependency that holds a thin wrapper's server code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub ecosystem: Ecosystem,
    pub name: String,
    /// The range the manifest declares.
    pub spec: String,
    /// The entry file that imports, requires or runs it.
    pub entry: String,
}

/// Most runtime code a package may hold and still be a wrapper.
const WRAPPER_MAX_FILES: usize = 3;
const WRAPPER_MAX_BYTES: u64 = 8 * 1024;

static JS_SPECIFIER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?:\brequire\s*\(|\bimport\s*\(|\bfrom\s+|\bimport\s+)\s*['"]([^'"\s]+)['"]"#)
        .ok()
});
static PY_IMPORT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*(?:from|import)\s+([A-Za-z_][\w]*)").ok());
static QUOTED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"['"`](@?[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?)['"`]"#).ok());

/// The dependency a thin wrapper's entry point hands over to (see the module documentation).
pub fn wrapper_of(project: &Project) -> Option<Wrapped> {
    let code: Vec<&ProjectFile> = project
        .files
        .iter()
        .filter(|f| f.surface == Surface::Runtime)
        .filter(|f| {
            matches!(
                f.language,
                Language::JavaScript | Language::TypeScript | Language::Python
            ) && !f.path.ends_with(".d.ts")
        })
        .collect();
    let bytes: u64 = code.iter().map(|f| f.size).sum();
    if code.is_empty() || code.len() > WRAPPER_MAX_FILES || bytes > WRAPPER_MAX_BYTES {
        return None;
    }
    // Code that registers tools or talks to an MCP SDK (the entry point or a module it
    // imports) is a server, whatever else it imports.
    let pattern = TOOL_REGISTRATION.as_ref();
    let is_server = |f: &&ProjectFile| {
        f.text.as_deref().is_some_and(|text| {
            pattern.is_some_and(|p| p.is_match(text))
                || referenced_packages(f, text).iter().any(|name| is_sdk(name))
        })
    };
    if code.iter().any(is_server) {
        return None;
    }
    let entries = entry_files(project, &code);
    let dependencies: Vec<_> = project
        .dependencies
        .iter()
        .filter(|d| d.kind == DependencyKind::Normal)
        .filter(|d| matches!(d.ecosystem, Ecosystem::Npm | Ecosystem::PyPI))
        .collect();
    let own_scope = project
        .target
        .name
        .strip_prefix('@')
        .and_then(|n| n.split_once('/'))
        .map(|(scope, _)| format!("@{scope}/"));
    let mut found: Vec<Wrapped> = Vec::new();
    for file in &entries {
        let Some(text) = file.text.as_deref() else {
            continue;
        };
        let used = referenced_packages(file, text);
        for dep in &dependencies {
            let key = match dep.ecosystem {
                Ecosystem::PyPI => manifests::normalise_pypi_name(&dep.name),
                _ => dep.name.clone(),
            };
            if is_sdk(&key) || !used.contains(&key) {
                continue;
            }
            if found.iter().any(|w| w.name == dep.name) {
                continue;
            }
            found.push(Wrapped {
                ecosystem: dep.ecosystem,
                name: dep.name.clone(),
                spec: dep.spec.clone(),
                entry: file.path.clone(),
            });
        }
    }
    // First-party first: the package's own npm scope.
    found.sort_by_key(|w| {
        own_scope
            .as_deref()
            .is_none_or(|scope| !w.name.starts_with(scope))
    });
    found.into_iter().next()
}

fn is_sdk(name: &str) -> bool {
    NPM_SDKS.contains(&name) || PYPI_SDKS.contains(&name)
}

/// The files the manifest's entry points name, else every runtime code file.
fn entry_files<'p>(project: &'p Project, code: &[&'p ProjectFile]) -> Vec<&'p ProjectFile> {
    let mut out: Vec<&ProjectFile> = Vec::new();
    for entry in &project.inventory.entry_points {
        let candidates: Vec<String> = if entry.kind.ends_with("_script") {
            let module = entry
                .target
                .split(':')
                .next()
                .unwrap_or("")
                .replace('.', "/");
            vec![
                format!("{module}.py"),
                format!("{module}/__main__.py"),
                format!("{module}/__init__.py"),
                format!("src/{module}.py"),
                format!("src/{module}/__init__.py"),
            ]
        } else {
            let path = entry.target.trim_start_matches("./").to_string();
            vec![
                path.clone(),
                format!("{path}.js"),
                format!("{path}/index.js"),
            ]
        };
        for candidate in candidates {
            if let Some(file) = project.file(&candidate) {
                if !out.iter().any(|f| f.path == file.path) {
                    out.push(file);
                }
            }
        }
    }
    if out.is_empty() {
        out.extend(code.iter().copied());
    }
    out
}

/// Package names a file imports, requires or names as a string (a command it runs): npm
/// names as written (`@scope/name`), Python modules normalised (`my_pkg` → `my-pkg`).
fn referenced_packages(file: &ProjectFile, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: String| {
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    };
    if file.language == Language::Python {
        if let Some(re) = PY_IMPORT.as_ref() {
            for caps in re.captures_iter(text) {
                if let Some(m) = caps.get(1) {
                    push(manifests::normalise_pypi_name(m.as_str()));
                }
            }
        }
        if let Some(re) = QUOTED.as_ref() {
            for caps in re.captures_iter(text) {
                if let Some(m) = caps.get(1) {
                    push(manifests::normalise_pypi_name(m.as_str()));
                }
            }
        }
        return out;
    }
    for re in [JS_SPECIFIER.as_ref(), QUOTED.as_ref()]
        .into_iter()
        .flatten()
    {
        for caps in re.captures_iter(text) {
            if let Some(m) = caps.get(1) {
                push(npm_package_of(m.as_str()));
            }
        }
    }
    out
}

/// The package a module specifier names (`@a/b/c` → `@a/b`, `x/y` → `x`); empty for relative
/// paths and Node built-ins.
fn npm_package_of(specifier: &str) -> String {
    if specifier.starts_with('.') || specifier.starts_with('/') || specifier.starts_with("node:") {
        return String::new();
    }
    let mut parts = specifier.split('/');
    match (parts.next(), parts.next()) {
        (Some(scope), Some(name)) if scope.starts_with('@') => format!("{scope}/{name}"),
        (Some(name), _) => name.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers_name_their_package() {
        assert_eq!(npm_package_of("@acme/server/dist/index.js"), "@acme/server");
        assert_eq!(npm_package_of("lodash/merge"), "lodash");
        assert_eq!(npm_package_of("./local"), "");
        assert_eq!(npm_package_of("node:child_process"), "");
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folders");
        }
        std::fs::write(path, text).expect("write");
    }

    const SDK_PACKAGE: &str =
        r#"{"name": "x", "dependencies": {"@modelcontextprotocol/sdk": "^1.0.0"}}"#;

    #[test]
    fn package_roots_are_the_outermost_servers_outside_dependencies_and_tests() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path();
        write(root, "servers/a/package.json", SDK_PACKAGE);
        write(
            root,
            "servers/b/package.json",
            r#"{"name": "b", "dependencies": {"mcp-handler": "^1.0.0"}}"#,
        );
        // Nested inside a server: part of it.
        write(root, "servers/a/plugins/p/package.json", SDK_PACKAGE);
        // A Python server known by its code only (the SDK comes from a sibling package).
        write(
            root,
            "py/pyproject.toml",
            "[project]\nname = \"py-server\"\ndependencies = [\"shared-kit\"]\n",
        );
        write(
            root,
            "py/src/py_server/app.py",
            "@app.tool()\ndef ping():\n    return 1\n",
        );
        // Not the target's own packages.
        write(root, "node_modules/dep/package.json", SDK_PACKAGE);
        write(root, "tests/fixtures/srv/package.json", SDK_PACKAGE);
        write(root, "examples/demo/package.json", SDK_PACKAGE);
        write(root, ".cache/pkg/package.json", SDK_PACKAGE);
        // A library: no SDK, no tools.
        write(root, "libs/util/package.json", r#"{"name": "util"}"#);
        write(root, "libs/util/index.js", "module.exports = (x) => x;\n");
        let roots = package_roots(root);
        let rels: Vec<&str> = roots.iter().map(|r| r.rel.as_str()).collect();
        assert_eq!(rels, ["py", "servers/a", "servers/b"]);
        assert_eq!(roots[0].reason, "registers tools in src/py_server/app.py");
        assert_eq!(roots[1].reason, "depends on @modelcontextprotocol/sdk");
        assert_eq!(roots[2].reason, "depends on mcp-handler");
    }

    #[test]
    fn a_server_at_the_top_or_a_single_server_inside_is_not_split() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path();
        write(root, "package.json", SDK_PACKAGE);
        write(root, "a/package.json", SDK_PACKAGE);
        write(root, "b/package.json", SDK_PACKAGE);
        assert!(package_roots(root).is_empty(), "the top is the server");
        std::fs::remove_file(root.join("package.json")).expect("rm");
        std::fs::remove_dir_all(root.join("b")).expect("rm");
        assert!(package_roots(root).is_empty(), "one server inside");
        assert!(package_roots(&root.join("missing")).is_empty());
    }

    #[test]
    fn tool_registrations_are_recognised() {
        let Some(re) = TOOL_REGISTRATION.as_ref() else {
            panic!("the pattern compiles");
        };
        for code in [
            "server.tool('echo', {}, async () => ({}))",
            "server.registerTool(\"x\", {}, h)",
            "server.setRequestHandler(ListToolsRequestSchema, async () => ({tools}))",
            "@mcp.tool()\ndef add(a: int, b: int): ...",
            "    @server.list_tools()\n    async def tools(): ...",
        ] {
            assert!(re.is_match(code), "{code}");
        }
        for code in [
            "const tool = 1",
            "tools.map(t => t.name)",
            "# @mcp.tool in a comment",
        ] {
            assert!(!re.is_match(code), "{code}");
        }
    }
}
