//! Manifests read statically (never executed): package.json, pyproject.toml, setup.cfg,
//! setup.py (as text), requirements*.txt, go.mod, Cargo.toml, the MCP bundle manifest and
//! server.json. What comes out: the inventory's manifests, SDK and entry points, and the direct
//! dependencies with the line that declares each.

use super::{line_of, Dependency, DependencyKind, Ecosystem, ProjectFile};
use regex::Regex;
use serde_json::Value;
use skillaudit_core::repo_url::normalise_repo_url;
use skillaudit_core::{EntryPoint, ManifestInfo, SdkInfo, Surface};
use std::sync::LazyLock;

/// Manifests larger than this are not parsed (a manifest is a few kilobytes).
const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;

/// Package names of the MCP SDKs and frameworks, per ecosystem.
pub const NPM_SDKS: &[&str] = &["@modelcontextprotocol/sdk", "fastmcp", "mcp-framework"];
pub const PYPI_SDKS: &[&str] = &["mcp", "fastmcp"];

/// What the manifests of a project say.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub manifests: Vec<ManifestInfo>,
    pub dependencies: Vec<Dependency>,
    pub entry_points: Vec<EntryPoint>,
    /// Files the entry points resolve to.
    pub entry_files: Vec<String>,
    pub sdk: Option<SdkInfo>,
    pub bundle_manifest: Option<String>,
    pub server_json: Option<String>,
    pub repository: Option<String>,
    pub version: Option<String>,
    pub license: Option<String>,
}

fn is_requirements(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("requirements") && lower.ends_with(".txt")
}

/// Parse every manifest among `files` (sorted by path).
pub fn parse_all(files: &[ProjectFile]) -> Parsed {
    let mut parsed = Parsed::default();
    for file in files {
        let name = file.name();
        let kind = match name {
            "package.json" => "package.json",
            "pyproject.toml" => "pyproject.toml",
            "setup.py" => "setup.py",
            "setup.cfg" => "setup.cfg",
            "go.mod" => "go.mod",
            "Cargo.toml" => "Cargo.toml",
            "manifest.json" if file.is_top_level() => "mcp-bundle",
            "server.json" if file.is_top_level() => "server.json",
            n if is_requirements(n) => "requirements.txt",
            _ => continue,
        };
        // Test fixtures and examples often carry manifests of their own; they are not the
        // package's.
        if matches!(
            file.surface,
            Surface::Test | Surface::Example | Surface::Benchmark
        ) {
            continue;
        }
        let Some(text) = file.text.as_deref() else {
            continue;
        };
        let mut info = ManifestInfo {
            file: file.path.clone(),
            kind: kind.to_string(),
            name: None,
            version: None,
            error: None,
        };
        if text.len() > MAX_MANIFEST_BYTES {
            info.error = Some(format!(
                "manifest is {} bytes, over the {MAX_MANIFEST_BYTES}-byte cap: not parsed",
                text.len()
            ));
            parsed.manifests.push(info);
            continue;
        }
        let result = match kind {
            "package.json" => package_json(file, text, &mut info, &mut parsed),
            "pyproject.toml" => pyproject(file, text, &mut info, &mut parsed),
            "setup.cfg" => setup_cfg(file, text, &mut parsed),
            "setup.py" => {
                setup_py(file, text, &mut parsed);
                Ok(())
            }
            "requirements.txt" => {
                requirements(file, text, &mut parsed);
                Ok(())
            }
            "go.mod" => {
                go_mod(file, text, &mut info, &mut parsed);
                Ok(())
            }
            "Cargo.toml" => cargo_toml(file, text, &mut info, &mut parsed),
            "mcp-bundle" => bundle_manifest(file, text, &mut info, &mut parsed),
            "server.json" => {
                parsed.server_json = Some(file.path.clone());
                serde_json::from_str::<Value>(text)
                    .map(|v| {
                        info.name = v.get("name").and_then(Value::as_str).map(str::to_string);
                        info.version = v.get("version").and_then(Value::as_str).map(str::to_string);
                    })
                    .map_err(|e| e.to_string())
            }
            _ => Ok(()),
        };
        if let Err(err) = result {
            info.error = Some(err);
        }
        // `pkg[extra]` listed in pkg's own manifest is a self-reference, not a dependency.
        if let Some(own) = info.name.as_deref() {
            let own = normalise_pypi_name(own);
            parsed
                .dependencies
                .retain(|d| d.manifest != file.path || normalise_pypi_name(&d.name) != own);
        }
        if kind == "mcp-bundle" && parsed.bundle_manifest.as_deref() != Some(&file.path) {
            continue; // a manifest.json that is not an MCP bundle manifest
        }
        if file.is_top_level() && parsed.version.is_none() {
            parsed.version = info.version.clone();
        }
        parsed.manifests.push(info);
    }
    resolve_entry_files(files, &mut parsed);
    parsed.sdk = find_sdk(&parsed.dependencies);
    parsed
}

fn find_sdk(dependencies: &[Dependency]) -> Option<SdkInfo> {
    let mut candidates: Vec<&Dependency> = dependencies
        .iter()
        .filter(|d| match d.ecosystem {
            Ecosystem::Npm => NPM_SDKS.contains(&d.name.as_str()),
            Ecosystem::PyPI => PYPI_SDKS.contains(&normalise_pypi_name(&d.name).as_str()),
            _ => false,
        })
        .collect();
    // Prefer a runtime dependency of a top-level manifest.
    candidates.sort_by_key(|d| (d.kind != DependencyKind::Normal, d.manifest.contains('/')));
    candidates.first().map(|d| SdkInfo {
        name: d.name.clone(),
        version: d.spec.clone(),
        manifest: d.manifest.clone(),
    })
}

/// PEP 503 name normalisation.
pub fn normalise_pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_sep = false;
    for ch in name.chars() {
        if ch == '-' || ch == '_' || ch == '.' {
            if !last_sep {
                out.push('-');
            }
            last_sep = true;
        } else {
            out.push(ch.to_ascii_lowercase());
            last_sep = false;
        }
    }
    out
}

/// Line of the first occurrence of `needle` at or after byte `from`.
fn find_line(text: &str, needle: &str, from: usize) -> Option<u32> {
    let from = from.min(text.len());
    let start = if text.is_char_boundary(from) { from } else { 0 };
    text[start..].find(needle).map(|i| line_of(text, start + i))
}

fn json_string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn normalise_relative(path: &str, base_dir: &str) -> String {
    let path = path.trim().trim_start_matches("./");
    if base_dir.is_empty() {
        path.to_string()
    } else {
        format!("{base_dir}/{path}")
    }
}

fn base_dir(file: &ProjectFile) -> &str {
    file.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

fn package_json(
    file: &ProjectFile,
    text: &str,
    info: &mut ManifestInfo,
    parsed: &mut Parsed,
) -> Result<(), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    info.name = json_string(&value, "name");
    info.version = json_string(&value, "version");
    let top = file.is_top_level();
    if top {
        if parsed.repository.is_none() {
            parsed.repository = match value.get("repository") {
                Some(Value::String(s)) => normalise_repo_url(s),
                Some(obj) => obj
                    .get("url")
                    .and_then(Value::as_str)
                    .and_then(normalise_repo_url),
                None => None,
            };
        }
        if parsed.license.is_none() {
            parsed.license = match value.get("license") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(obj) => json_string(obj, "type"),
                None => None,
            };
        }
    }
    let sections = [
        ("dependencies", DependencyKind::Normal),
        ("devDependencies", DependencyKind::Dev),
        ("optionalDependencies", DependencyKind::Optional),
        ("peerDependencies", DependencyKind::Peer),
    ];
    for (section, kind) in sections {
        let Some(Value::Object(map)) = value.get(section) else {
            continue;
        };
        let section_at = text.find(&format!("\"{section}\"")).unwrap_or(0);
        for (name, spec) in map {
            let spec = match spec {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            parsed.dependencies.push(Dependency {
                ecosystem: Ecosystem::Npm,
                name: name.clone(),
                line: find_line(text, &format!("\"{name}\""), section_at),
                spec,
                kind,
                manifest: file.path.clone(),
            });
        }
    }
    let dir = base_dir(file);
    let mut add_entry = |kind: &str, name: &str, target: &str| {
        let path = normalise_relative(target, dir);
        parsed.entry_points.push(EntryPoint {
            kind: kind.to_string(),
            name: name.to_string(),
            target: path.clone(),
            manifest: file.path.clone(),
        });
        parsed.entry_files.push(path);
    };
    let package_name = info.name.clone().unwrap_or_default();
    match value.get("bin") {
        Some(Value::String(target)) => add_entry("bin", &package_name, target),
        Some(Value::Object(map)) => {
            for (name, target) in map {
                if let Some(target) = target.as_str() {
                    add_entry("bin", name, target);
                }
            }
        }
        _ => {}
    }
    for key in ["main", "module"] {
        if let Some(target) = value.get(key).and_then(Value::as_str) {
            add_entry(key, key, target);
        }
    }
    if let Some(exports) = value.get("exports") {
        let mut leaves = Vec::new();
        collect_export_leaves(exports, ".", &mut leaves, 0);
        for (condition, target) in leaves {
            add_entry("exports", &condition, &target);
        }
    }
    Ok(())
}

fn collect_export_leaves(value: &Value, key: &str, out: &mut Vec<(String, String)>, depth: u32) {
    if depth > 16 || out.len() > 256 {
        return;
    }
    match value {
        Value::String(s) if s.starts_with("./") && !s.contains('*') => {
            out.push((key.to_string(), s.clone()))
        }
        Value::Object(map) => {
            for (k, v) in map {
                let key = if k.starts_with('.') { k.as_str() } else { key };
                collect_export_leaves(v, key, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_export_leaves(v, key, out, depth + 1);
            }
        }
        _ => {}
    }
}

static PEP508_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$").expect("static regex")
});

/// Split a PEP 508 requirement into name and the version part (markers dropped).
pub fn split_requirement(requirement: &str) -> Option<(String, String)> {
    let requirement = requirement.split('#').next()?.trim();
    let caps = PEP508_NAME.captures(requirement)?;
    let name = caps.get(1)?.as_str().to_string();
    let rest = caps.get(3).map(|m| m.as_str()).unwrap_or("");
    let spec = rest.split(';').next().unwrap_or("").trim();
    let spec = spec
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim()
        .to_string();
    Some((name, spec))
}

fn push_python_dep(
    parsed: &mut Parsed,
    file: &ProjectFile,
    text: &str,
    requirement: &str,
    kind: DependencyKind,
) {
    if let Some((name, spec)) = split_requirement(requirement) {
        let line = find_line(text, requirement.trim(), 0).or_else(|| find_line(text, &name, 0));
        parsed.dependencies.push(Dependency {
            ecosystem: Ecosystem::PyPI,
            name,
            spec,
            kind,
            manifest: file.path.clone(),
            line,
        });
    }
}

fn parse_toml(text: &str) -> Result<toml::Table, String> {
    text.parse()
        .map_err(|e: toml::de::Error| format!("invalid TOML: {}", e.message()))
}

fn pyproject(
    file: &ProjectFile,
    text: &str,
    info: &mut ManifestInfo,
    parsed: &mut Parsed,
) -> Result<(), String> {
    let value = parse_toml(text)?;
    let project = value.get("project").and_then(|v| v.as_table());
    let poetry = value
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|v| v.as_table());
    info.name = project
        .and_then(|p| p.get("name"))
        .or_else(|| poetry.and_then(|p| p.get("name")))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    info.version = project
        .and_then(|p| p.get("version"))
        .or_else(|| poetry.and_then(|p| p.get("version")))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    if file.is_top_level() && parsed.license.is_none() {
        parsed.license = project
            .and_then(|p| p.get("license"))
            .or_else(|| poetry.and_then(|p| p.get("license")))
            .and_then(|v| match v {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Table(t) => t
                    .get("text")
                    .or_else(|| t.get("file"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                _ => None,
            });
    }
    if file.is_top_level() && parsed.repository.is_none() {
        parsed.repository = project
            .and_then(|p| p.get("urls"))
            .and_then(|v| v.as_table())
            .and_then(|urls| {
                urls.iter()
                    .find(|(k, _)| {
                        let k = k.to_ascii_lowercase();
                        k.contains("repository") || k.contains("source") || k == "github"
                    })
                    .and_then(|(_, v)| v.as_str())
                    .and_then(normalise_repo_url)
            })
            .or_else(|| {
                poetry
                    .and_then(|p| p.get("repository"))
                    .and_then(|v| v.as_str())
                    .and_then(normalise_repo_url)
            });
    }
    if let Some(project) = project {
        for dep in project
            .get("dependencies")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(req) = dep.as_str() {
                push_python_dep(parsed, file, text, req, DependencyKind::Normal);
            }
        }
        if let Some(optional) = project
            .get("optional-dependencies")
            .and_then(|v| v.as_table())
        {
            for deps in optional.values().filter_map(|v| v.as_array()) {
                for req in deps.iter().filter_map(|v| v.as_str()) {
                    push_python_dep(parsed, file, text, req, DependencyKind::Optional);
                }
            }
        }
        for (table, kind) in [("scripts", "console_script"), ("gui-scripts", "gui_script")] {
            if let Some(scripts) = project.get(table).and_then(|v| v.as_table()) {
                for (name, target) in scripts {
                    if let Some(target) = target.as_str() {
                        parsed.entry_points.push(EntryPoint {
                            kind: kind.to_string(),
                            name: name.clone(),
                            target: target.to_string(),
                            manifest: file.path.clone(),
                        });
                    }
                }
            }
        }
    }
    if let Some(groups) = value.get("dependency-groups").and_then(|v| v.as_table()) {
        for deps in groups.values().filter_map(|v| v.as_array()) {
            for req in deps.iter().filter_map(|v| v.as_str()) {
                push_python_dep(parsed, file, text, req, DependencyKind::Dev);
            }
        }
    }
    if let Some(poetry) = poetry {
        for (section, kind) in [
            ("dependencies", DependencyKind::Normal),
            ("dev-dependencies", DependencyKind::Dev),
        ] {
            let Some(deps) = poetry.get(section).and_then(|v| v.as_table()) else {
                continue;
            };
            for (name, spec) in deps {
                if name.eq_ignore_ascii_case("python") {
                    continue;
                }
                let spec = toml_dependency_spec(spec);
                parsed.dependencies.push(Dependency {
                    ecosystem: Ecosystem::PyPI,
                    name: name.clone(),
                    spec,
                    kind,
                    manifest: file.path.clone(),
                    line: find_line(text, name, 0),
                });
            }
        }
        if let Some(scripts) = poetry.get("scripts").and_then(|v| v.as_table()) {
            for (name, target) in scripts {
                if let Some(target) = target.as_str() {
                    parsed.entry_points.push(EntryPoint {
                        kind: "console_script".into(),
                        name: name.clone(),
                        target: target.to_string(),
                        manifest: file.path.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// The version of a TOML dependency entry: `"^1.2"` or `{ version = "^1.2", … }` (Poetry, Cargo).
fn toml_dependency_spec(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Table(t) => t
            .get("version")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

/// setup.cfg: `install_requires` and `console_scripts` under `[options]` /
/// `[options.entry_points]`, read as INI text.
fn setup_cfg(file: &ProjectFile, text: &str, parsed: &mut Parsed) -> Result<(), String> {
    let mut section = String::new();
    let mut key = String::new();
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') || trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_string();
            key.clear();
            continue;
        }
        let continuation = line.starts_with(' ') || line.starts_with('\t');
        let value = if !continuation {
            let Some((k, v)) = trimmed.split_once('=') else {
                continue;
            };
            key = k.trim().to_string();
            v.trim()
        } else {
            trimmed
        };
        if value.is_empty() {
            continue;
        }
        match (section.as_str(), key.as_str()) {
            ("options", "install_requires") => {
                push_python_dep(parsed, file, text, value, DependencyKind::Normal)
            }
            ("options.entry_points", "console_scripts" | "gui_scripts") => {
                if let Some((name, target)) = value.split_once('=') {
                    parsed.entry_points.push(EntryPoint {
                        kind: if key == "gui_scripts" {
                            "gui_script"
                        } else {
                            "console_script"
                        }
                        .into(),
                        name: name.trim().to_string(),
                        target: target.trim().to_string(),
                        manifest: file.path.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

static SETUP_PY_REQUIRES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)install_requires\s*=\s*\[(.*?)\]").expect("static regex"));
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']([^"'\n]{1,300})["']"#).expect("static regex"));
static SETUP_PY_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']\s*([A-Za-z0-9_.-]+)\s*=\s*([A-Za-z0-9_.]+:[A-Za-z0-9_.]+)\s*["']"#)
        .expect("static regex")
});

/// setup.py is code: it is read as text, never run. Literal `install_requires` lists and
/// `name = module:function` entry points are what can be known statically.
fn setup_py(file: &ProjectFile, text: &str, parsed: &mut Parsed) {
    if let Some(caps) = SETUP_PY_REQUIRES.captures(text) {
        if let Some(list) = caps.get(1) {
            for quoted in QUOTED.captures_iter(list.as_str()) {
                if let Some(req) = quoted.get(1) {
                    push_python_dep(parsed, file, text, req.as_str(), DependencyKind::Normal);
                }
            }
        }
    }
    if text.contains("console_scripts") {
        for caps in SETUP_PY_SCRIPT.captures_iter(text) {
            if let (Some(name), Some(target)) = (caps.get(1), caps.get(2)) {
                parsed.entry_points.push(EntryPoint {
                    kind: "console_script".into(),
                    name: name.as_str().to_string(),
                    target: target.as_str().to_string(),
                    manifest: file.path.clone(),
                });
            }
        }
    }
}

fn requirements(file: &ProjectFile, text: &str, parsed: &mut Parsed) {
    let kind = if file.name().to_ascii_lowercase().contains("dev")
        || file.name().to_ascii_lowercase().contains("test")
    {
        DependencyKind::Dev
    } else {
        DependencyKind::Normal
    };
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        if line.contains("://") && !line.contains('@') {
            continue;
        }
        if let Some((name, spec)) = split_requirement(line) {
            parsed.dependencies.push(Dependency {
                ecosystem: Ecosystem::PyPI,
                name,
                spec: spec.split_whitespace().next().unwrap_or("").to_string(),
                kind,
                manifest: file.path.clone(),
                line: u32::try_from(index + 1).ok(),
            });
        }
    }
}

fn go_mod(file: &ProjectFile, text: &str, info: &mut ManifestInfo, parsed: &mut Parsed) {
    let mut in_block = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if let Some(module) = line.strip_prefix("module ") {
            info.name = Some(module.trim().to_string());
            continue;
        }
        let entry = if line.starts_with("require (") {
            in_block = true;
            continue;
        } else if in_block && line == ")" {
            in_block = false;
            continue;
        } else if in_block {
            line
        } else if let Some(rest) = line.strip_prefix("require ") {
            rest
        } else {
            continue;
        };
        let mut parts = entry.split_whitespace();
        if let (Some(name), Some(version)) = (parts.next(), parts.next()) {
            parsed.dependencies.push(Dependency {
                ecosystem: Ecosystem::Go,
                name: name.to_string(),
                spec: version.to_string(),
                kind: DependencyKind::Normal,
                manifest: file.path.clone(),
                line: u32::try_from(index + 1).ok(),
            });
        }
    }
}

fn cargo_toml(
    file: &ProjectFile,
    text: &str,
    info: &mut ManifestInfo,
    parsed: &mut Parsed,
) -> Result<(), String> {
    let value = parse_toml(text)?;
    let package = value.get("package").and_then(|v| v.as_table());
    info.name = package
        .and_then(|p| p.get("name"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    info.version = package
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    for (section, kind) in [
        ("dependencies", DependencyKind::Normal),
        ("dev-dependencies", DependencyKind::Dev),
    ] {
        let Some(deps) = value.get(section).and_then(|v| v.as_table()) else {
            continue;
        };
        for (name, spec) in deps {
            let spec = toml_dependency_spec(spec);
            parsed.dependencies.push(Dependency {
                ecosystem: Ecosystem::Cargo,
                name: name.clone(),
                spec,
                kind,
                manifest: file.path.clone(),
                line: find_line(text, name, 0),
            });
        }
    }
    Ok(())
}

fn bundle_manifest(
    file: &ProjectFile,
    text: &str,
    info: &mut ManifestInfo,
    parsed: &mut Parsed,
) -> Result<(), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let is_bundle = value.get("server").is_some()
        && (value.get("dxt_version").is_some() || value.get("manifest_version").is_some());
    if !is_bundle {
        return Ok(());
    }
    parsed.bundle_manifest = Some(file.path.clone());
    info.name = json_string(&value, "name");
    info.version = json_string(&value, "version");
    if let Some(entry) = value
        .get("server")
        .and_then(|s| s.get("entry_point"))
        .and_then(Value::as_str)
    {
        let path = normalise_relative(entry, base_dir(file));
        parsed.entry_points.push(EntryPoint {
            kind: "bundle".into(),
            name: info.name.clone().unwrap_or_default(),
            target: path.clone(),
            manifest: file.path.clone(),
        });
        parsed.entry_files.push(path);
    }
    Ok(())
}

/// Python entry points name `module:function`; find the module's file.
fn resolve_entry_files(files: &[ProjectFile], parsed: &mut Parsed) {
    let exists = |p: &str| files.binary_search_by(|f| f.path.as_str().cmp(p)).is_ok();
    let mut found = Vec::new();
    for entry in &parsed.entry_points {
        if !entry.kind.ends_with("_script") {
            continue;
        }
        let module = entry.target.split(':').next().unwrap_or("").trim();
        if module.is_empty() {
            continue;
        }
        let rel = module.replace('.', "/");
        for prefix in ["", "src/"] {
            for candidate in [
                format!("{prefix}{rel}.py"),
                format!("{prefix}{rel}/__init__.py"),
                format!("{prefix}{rel}/__main__.py"),
            ] {
                if exists(&candidate) {
                    found.push(candidate);
                }
            }
        }
    }
    parsed.entry_files.extend(found);
    parsed.entry_files.sort();
    parsed.entry_files.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Language;

    fn file(path: &str, text: &str) -> ProjectFile {
        ProjectFile {
            path: path.into(),
            surface: skillaudit_core::surface::classify_path(path),
            language: Language::from_path(path),
            size: text.len() as u64,
            text: Some(text.into()),
            lossy: false,
        }
    }

    #[test]
    fn package_json_gives_dependencies_entry_points_and_sdk() {
        let text = r#"{
  "name": "demo-server",
  "version": "1.2.3",
  "license": "MIT",
  "repository": {"type": "git", "url": "git+https://github.com/acme/demo.git"},
  "bin": {"demo": "./dist/index.js"},
  "exports": {".": {"import": "./dist/index.mjs", "require": "./dist/index.cjs"}},
  "dependencies": {"@modelcontextprotocol/sdk": "^1.12.0", "zod": "3.23.8"},
  "devDependencies": {"typescript": "^5.0.0"}
}"#;
        let parsed = parse_all(&[file("package.json", text)]);
        assert_eq!(parsed.dependencies.len(), 3);
        let sdk = parsed.sdk.expect("sdk");
        assert_eq!(sdk.version, "^1.12.0");
        assert_eq!(
            parsed.repository.as_deref(),
            Some("https://github.com/acme/demo")
        );
        assert_eq!(parsed.license.as_deref(), Some("MIT"));
        assert!(parsed.entry_files.contains(&"dist/index.js".to_string()));
        assert!(parsed.entry_files.contains(&"dist/index.mjs".to_string()));
        let zod = parsed
            .dependencies
            .iter()
            .find(|d| d.name == "zod")
            .expect("zod");
        assert_eq!(zod.line, Some(8));
    }

    #[test]
    fn pyproject_gives_dependencies_scripts_and_sdk() {
        let text = r#"[project]
name = "mcp-server-demo"
version = "0.3.0"
dependencies = [
    "mcp>=1.0.0",
    "httpx==0.27.0",
    "pydantic[email] (>=2) ; python_version >= '3.10'",
]
[project.scripts]
mcp-server-demo = "mcp_server_demo:main"
"#;
        let files = vec![
            file("pyproject.toml", text),
            file("src/mcp_server_demo/__init__.py", "def main(): pass\n"),
        ];
        let parsed = parse_all(&files);
        let names: Vec<_> = parsed
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.spec.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("mcp", ">=1.0.0"),
                ("httpx", "==0.27.0"),
                ("pydantic", ">=2")
            ]
        );
        assert_eq!(parsed.sdk.expect("sdk").name, "mcp");
        assert_eq!(parsed.entry_files, ["src/mcp_server_demo/__init__.py"]);
        assert_eq!(parsed.dependencies[0].line, Some(5));
    }

    #[test]
    fn broken_manifests_are_recorded_not_fatal() {
        let deep = "[".repeat(100_000);
        let parsed = parse_all(&[
            file("package.json", &deep),
            file("pyproject.toml", "[project\nname="),
        ]);
        assert_eq!(parsed.manifests.len(), 2);
        assert!(parsed.manifests.iter().all(|m| m.error.is_some()));
    }

    #[test]
    fn requirements_and_setup_cfg() {
        let parsed = parse_all(&[
            file("requirements.txt", "# c\nrequests>=2.0\nflask==3.0.0 # pinned\n-r other.txt\n"),
            file(
                "setup.cfg",
                "[options]\ninstall_requires =\n    mcp\n    anyio>=4\n[options.entry_points]\nconsole_scripts =\n    demo = demo.cli:main\n",
            ),
        ]);
        let deps: Vec<_> = parsed
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.spec.as_str(), d.line))
            .collect();
        assert_eq!(
            deps,
            [
                ("requests", ">=2.0", Some(2)),
                ("flask", "==3.0.0", Some(3)),
                ("mcp", "", Some(3)),
                ("anyio", ">=4", Some(4))
            ]
        );
        assert_eq!(parsed.entry_points.len(), 1);
    }
}
