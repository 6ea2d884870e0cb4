//! `cargo xtask eval-secbench [--shared DIR] [--cache DIR] [--no-fetch] [--json FILE]`: measure
//! how many real npm library sinks the engine reaches, on the development half of SecBench.js
//! (`<shared>/corpus/secbench-dev.tsv`: `class, package, version, sink_file, sink_line,
//! sink_column`).
//!
//! 1. Every listed package version is downloaded with `npm pack NAME@VERSION --ignore-scripts`
//!    into `<cache>/npm/<name>@<version>/` (default cache `<workspace>/.secbench-cache`, git-ignored;
//!    a version already there is not downloaded again). A version the registry no longer has
//!    (E404, ETARGET) is recorded as *unavailable* in that folder and is not counted as a miss.
//!    Nothing is ever run: `npm pack` only downloads the tarball.
//! 2. The tarball is unpacked into `<cache>/src/<name>@<version>/` with the project's safe
//!    extractor ([`skillaudit_source::extract_archive`]: no `..`, no absolute paths, no links,
//!    bounded sizes).
//! 3. Each package folder is audited offline with [`skillaudit_engine::audit`], several packages
//!    at a time on a small rayon pool; only a summary of each report is kept, so memory stays
//!    bounded whatever the number of packages. These are libraries, not MCP servers: the
//!    untrusted input is the exported API's arguments, which the engine reports today as
//!    parameters of functions no package code calls (INFO "no caller in the package" flows);
//!    they count like any other finding.
//! 4. A row is a **hit** when a finding of the class's family (command-injection → `CMD`,
//!    path-traversal → `PATH`, code-injection → `CODE`), any severity, is in `sink_file` at most
//!    3 lines from `sink_line`. Each miss gets a cause, decided from the report alone: the sink
//!    file was not analysed (absent, skipped, binary, not a language the engine reads), no finding
//!    of the family in the file, a finding of the family further than 3 lines (the nearest is
//!    given), or a finding of another family at the line.
//!
//! Recall per class and in total, every miss with its cause, findings per package and per
//! thousand lines of JavaScript/TypeScript (noise) and the time are written into
//! docs/benchmarks.md between the eval-secbench markers; `--json FILE` writes the raw per-row and
//! per-package results. Exit codes: 0 done, 2 the evaluation could not run.

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use skillaudit_core::{Axis, Report, Severity};
use skillaudit_engine::{audit, AuditOptions, ExemptionSource};
use skillaudit_source::{extract_archive, ExtractLimits};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

pub const START_MARKER: &str = "<!-- eval-secbench:start -->";
pub const END_MARKER: &str = "<!-- eval-secbench:end -->";
const BENCHMARKS_DOC: &str = "docs/benchmarks.md";
/// A finding counts when it is at most this many lines from the sink.
const LINE_TOLERANCE: u32 = 3;
/// Packages audited at the same time (each holds one project in memory).
const AUDIT_THREADS: usize = 2;
/// `npm pack` downloads running at the same time.
const FETCH_THREADS: usize = 4;
/// Extensions of the files counted as code for the noise figures.
const CODE_EXTENSIONS: &[&str] = &["js", "cjs", "mjs", "jsx", "ts", "cts", "mts", "tsx"];

const USAGE: &str =
    "usage: cargo xtask eval-secbench [--shared DIR] [--cache DIR] [--no-fetch] [--json FILE]";

const HELP: &str = "\
Download the packages of the SecBench.js development half, audit them in library mode and score
how many of the published sinks the engine reaches (recall), with the cause of every miss.

  --shared DIR   the shared folder holding corpus/ (default: <workspace>/../shared)
  --cache DIR    where the tarballs are downloaded and unpacked (default: <workspace>/.secbench-cache)
  --no-fetch     do not run `npm pack`; use the cache as it is
  --json FILE    also write the raw per-row and per-package results as JSON

Writes docs/benchmarks.md between the eval-secbench markers.
Exit codes: 0 done, 2 the evaluation could not run.";

// ---------------------------------------------------------------------------------------------
// Command line

#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    shared: PathBuf,
    cache: PathBuf,
    fetch: bool,
    json: Option<PathBuf>,
}

/// `Ok(None)` means `--help` was asked for.
fn parse_args(root: &Path, args: &[String]) -> Result<Option<Args>> {
    let mut parsed = Args {
        shared: root.join("..").join("shared"),
        cache: root.join(".secbench-cache"),
        fetch: true,
        json: None,
    };
    let Some(flags) =
        crate::flags::parse(args, &["--shared", "--cache", "--json"], &["--no-fetch"])?
    else {
        return Ok(None);
    };
    for flag in flags {
        match (flag.name.as_str(), flag.value) {
            ("--shared", Some(v)) => parsed.shared = v,
            ("--cache", Some(v)) => parsed.cache = v,
            ("--json", v) => parsed.json = v,
            ("--no-fetch", _) => parsed.fetch = false,
            _ => {}
        }
    }
    parsed.shared = crate::flags::absolute(&parsed.shared)?;
    parsed.cache = crate::flags::absolute(&parsed.cache)?;
    Ok(Some(parsed))
}

/// Entry point of `cargo xtask eval-secbench ARGS…` (`args` without the subcommand).
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let args = match parse_args(root, args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}\n\n{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("eval-secbench: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(root, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("eval-secbench: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The table

/// One row of secbench-dev.tsv: a published sink in a package version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SinkRow {
    pub class: String,
    pub package: String,
    pub version: String,
    pub sink_file: String,
    pub sink_line: u32,
    pub sink_column: u32,
}

impl SinkRow {
    fn key(&self) -> String {
        package_key(&self.package, &self.version)
    }
}

/// Rule family that detects a SecBench class.
pub fn family_of(class: &str) -> Option<&'static str> {
    match class {
        "command-injection" => Some("CMD"),
        "path-traversal" => Some("PATH"),
        "code-injection" => Some("CODE"),
        _ => None,
    }
}

/// Family of a rule code: `CMD-001` → `CMD`.
fn family(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

const COLUMNS: [&str; 6] = [
    "class",
    "package",
    "version",
    "sink_file",
    "sink_line",
    "sink_column",
];

/// Parse secbench-dev.tsv: tab separated with a header row naming the columns (any order).
pub fn parse_tsv(text: &str) -> Result<Vec<SinkRow>> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, header) = lines.next().ok_or_else(|| anyhow!("the table is empty"))?;
    let columns: Vec<&str> = header.split('\t').map(str::trim).collect();
    let mut index = BTreeMap::new();
    for name in COLUMNS {
        let at = columns
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| anyhow!("header has no `{name}` column"))?;
        index.insert(name, at);
    }
    let mut rows = Vec::new();
    for (number, line) in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let get = |name: &str| -> Result<String> {
            let at = index.get(name).copied().unwrap_or(usize::MAX);
            fields
                .get(at)
                .map(|v| v.trim().to_string())
                .ok_or_else(|| anyhow!("line {number}: no `{name}` field"))
        };
        let number_of = |name: &str| -> Result<u32> {
            let text = get(name)?;
            text.parse()
                .map_err(|_| anyhow!("line {number}: `{name}` is not a number: `{text}`"))
        };
        let row = SinkRow {
            class: get("class")?,
            package: get("package")?,
            version: get("version")?,
            sink_file: get("sink_file")?,
            sink_line: number_of("sink_line")?,
            sink_column: number_of("sink_column").unwrap_or(0),
        };
        if family_of(&row.class).is_none() {
            bail!("line {number}: unknown class `{}`", row.class);
        }
        if !valid_npm_name(&row.package) || !valid_version(&row.version) {
            bail!(
                "line {number}: not a package name and version: `{}@{}`",
                row.package,
                row.version
            );
        }
        rows.push(row);
    }
    Ok(rows)
}

/// An npm package name as `npm pack` may receive it (never an option, never a path).
fn valid_npm_name(name: &str) -> bool {
    let body = name.strip_prefix('@').unwrap_or(name);
    let slashes = body.matches('/').count();
    !body.is_empty()
        && !name.starts_with('-')
        && !body.starts_with('.')
        && slashes == usize::from(name.starts_with('@'))
        && body.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        })
}

fn valid_version(version: &str) -> bool {
    !version.is_empty()
        && !version.starts_with('-')
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
}

/// Folder name of a package version in the cache: `@scope/name` → `@scope+name@1.0.0`.
pub fn package_key(package: &str, version: &str) -> String {
    format!("{}@{version}", package.replace('/', "+"))
}

/// A relative path inside a package, or `None` for anything that could leave it.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

// ---------------------------------------------------------------------------------------------
// Download and unpack

/// Where a package version stands before the audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "kebab-case")]
enum Fetched {
    /// The unpacked package root.
    Ready(PathBuf),
    /// The registry no longer has this version.
    Unavailable(String),
    /// Not downloaded (network or tool failure, or `--no-fetch` with an empty cache).
    Failed(String),
}

fn tarball_in(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tgz"))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// True when npm's error output says the registry has no such package or version.
pub fn registry_lacks_it(stderr: &str) -> bool {
    [
        "E404",
        "ETARGET",
        "No matching version",
        "is not in this registry",
    ]
    .iter()
    .any(|needle| stderr.contains(needle))
}

fn first_error_line(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| l.trim_start_matches("npm error").trim())
        .find(|l| !l.is_empty() && !l.starts_with("code ") && *l != "404")
        .unwrap_or("npm pack failed")
        .chars()
        .take(160)
        .collect()
}

const UNAVAILABLE_MARK: &str = "unavailable";

/// Download the tarball of one package version into its cache folder (once).
fn download(row: &SinkRow, npm_dir: &Path, fetch: bool) -> Fetched {
    let dir = npm_dir.join(row.key());
    if let Some(tgz) = tarball_in(&dir) {
        return Fetched::Ready(tgz);
    }
    if let Ok(reason) = std::fs::read_to_string(dir.join(UNAVAILABLE_MARK)) {
        return Fetched::Unavailable(reason.trim().to_string());
    }
    if !fetch {
        return Fetched::Failed("not in the cache (--no-fetch)".to_string());
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Fetched::Failed(format!("cannot create {}: {e}", dir.display()));
    }
    let spec = format!("{}@{}", row.package, row.version);
    let output = Command::new("npm")
        .args(["pack", &spec, "--ignore-scripts", "--json"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => return Fetched::Failed(format!("cannot run npm: {e}")),
    };
    if let Some(tgz) = tarball_in(&dir) {
        return Fetched::Ready(tgz);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // With `--json`, npm writes its error as JSON on standard output.
    let summary = serde_json::from_str::<serde_json::Value>(&stdout)
        .ok()
        .and_then(|v| {
            let e = v.get("error")?;
            let code = e.get("code").and_then(|c| c.as_str()).unwrap_or("");
            let summary = e.get("summary").and_then(|c| c.as_str()).unwrap_or("");
            Some(format!("{code} {summary}").trim().to_string())
        });
    let reason = summary.unwrap_or_else(|| first_error_line(&stderr));
    if registry_lacks_it(&stderr) || registry_lacks_it(&reason) {
        // Remembered, so later runs do not ask again.
        let _ = std::fs::write(dir.join(UNAVAILABLE_MARK), format!("{reason}\n"));
        return Fetched::Unavailable(reason);
    }
    Fetched::Failed(reason)
}

/// Unpack a tarball into `<src_dir>/<key>/` (once) and return the package root.
fn unpack(tgz: &Path, src_dir: &Path, key: &str) -> Result<PathBuf> {
    let dir = src_dir.join(key);
    let done = dir.join(".unpacked");
    if let Ok(rel) = std::fs::read_to_string(&done) {
        let root = dir.join("x").join(rel.trim());
        if root.is_dir() {
            return Ok(root);
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    let dest = dir.join("x");
    std::fs::create_dir_all(&dest).with_context(|| format!("cannot create {}", dest.display()))?;
    let extraction = extract_archive(tgz, &dest, &ExtractLimits::default())
        .map_err(|e| anyhow!("cannot unpack {}: {e}", tgz.display()))?;
    let rel = extraction
        .root
        .strip_prefix(&dest)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::write(&done, format!("{rel}\n"))?;
    Ok(extraction.root)
}

/// Every regular file under `root`, relative, with `/` separators, sorted.
fn list_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                if let Ok(rel) = path.strip_prefix(root) {
                    let parts: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
    }
    out.sort();
    out
}

/// Where a row's sink file is in the unpacked package. The benchmark names files as they are in
/// the project's repository; the published tarball sometimes has them in another folder
/// (`hangersteak.js` → `lib/hangersteak.js`) or only compiled (`src/util.ts` → `dist/util.js`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "located", content = "path", rename_all = "kebab-case")]
pub enum Located {
    /// At the path the row names.
    Exact,
    /// The one file of the package that the row's path can mean (same trailing path, same file
    /// name, or the `.js` of a `.ts` file).
    Moved(String),
    /// Several files could be meant.
    Ambiguous(Vec<String>),
    /// No such file in the package.
    Missing,
}

/// Find the sink file among the package's files (see [`Located`]).
///
/// `lines_of` gives a file's number of lines: a file at the row's path that is shorter than the
/// sink line is not the file meant when exactly one file of the same name elsewhere is long
/// enough (a root `index.js` stub beside the real `lib/server/index.js`).
pub fn locate(
    sink: &str,
    sink_line: u32,
    files: &[String],
    lines_of: impl Fn(&str) -> usize,
) -> Located {
    if safe_relative(sink).is_none() {
        return Located::Missing;
    }
    let long_enough = |f: &str| lines_of(f) >= sink_line as usize;
    let exact = files.iter().any(|f| f == sink);
    if exact && long_enough(sink) {
        return Located::Exact;
    }
    let name = sink.rsplit('/').next().unwrap_or(sink);
    let mut names = vec![name.to_string()];
    for ts in [".ts", ".tsx", ".mts", ".cts"] {
        if let Some(stem) = name.strip_suffix(ts) {
            names.push(format!("{stem}.js"));
            names.push(format!("{stem}.cjs"));
            names.push(format!("{stem}.mjs"));
        }
    }
    if exact {
        let elsewhere: Vec<&String> = files
            .iter()
            .filter(|f| *f != sink && f.rsplit('/').next() == Some(name) && long_enough(f))
            .collect();
        return match elsewhere.as_slice() {
            [one] => Located::Moved((*one).clone()),
            _ => Located::Exact,
        };
    }
    let suffix = format!("/{sink}");
    let by_suffix: Vec<&String> = files.iter().filter(|f| f.ends_with(&suffix)).collect();
    if let [one] = by_suffix.as_slice() {
        return Located::Moved((*one).clone());
    }
    for wanted in &names {
        let same_name: Vec<&String> = files
            .iter()
            .filter(|f| f.rsplit('/').next() == Some(wanted.as_str()))
            .collect();
        match same_name.as_slice() {
            [] => continue,
            [one] => return Located::Moved((*one).clone()),
            many => return Located::Ambiguous(many.iter().map(|s| (*s).clone()).collect()),
        }
    }
    Located::Missing
}

/// Number of lines of a file under `root` (0 when it cannot be read).
fn line_count(root: &Path, rel: &str) -> usize {
    safe_relative(rel)
        .and_then(|rel| std::fs::read(root.join(rel)).ok())
        .map(|bytes| bytes.iter().filter(|b| **b == b'\n').count() + 1)
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Audit

/// The part of a finding the scoring and the tables need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub code: String,
    pub severity: String,
    pub axis: String,
    pub file: String,
    pub line: u32,
    pub message: String,
}

/// What is kept of one package's audit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PackageAudit {
    pub key: String,
    /// Findings of the CMD, PATH and CODE families (with a file and line).
    pub family_findings: Vec<Hit>,
    /// Findings on the Security, Credentials or Permissions axis in the sink files, other
    /// families included.
    pub sink_file_findings: Vec<Hit>,
    pub findings_total: usize,
    /// Findings on the Security axis by severity.
    pub security_by_severity: BTreeMap<String, usize>,
    /// Files the report lists as skipped, with the reason.
    pub skipped: BTreeMap<String, String>,
    pub binary_files: Vec<String>,
    pub incomplete_reasons: Vec<String>,
    /// Lines of JavaScript/TypeScript files in the package.
    pub code_lines: usize,
    pub audit_ms: u64,
    pub error: Option<String>,
}

fn severity_name(s: Severity) -> String {
    format!("{s:?}").to_uppercase()
}

fn summarise(key: &str, report: &Report, sink_files: &BTreeSet<String>) -> PackageAudit {
    let mut out = PackageAudit {
        key: key.to_string(),
        findings_total: report.findings.len(),
        ..PackageAudit::default()
    };
    for f in &report.findings {
        if f.axis == Axis::Security {
            *out.security_by_severity
                .entry(severity_name(f.severity))
                .or_default() += 1;
        }
        let (Some(file), Some(line)) = (&f.file, f.line) else {
            continue;
        };
        let hit = Hit {
            code: f.code.clone(),
            severity: severity_name(f.severity),
            axis: f.axis.as_str().to_string(),
            file: file.clone(),
            line,
            message: f.message.chars().take(160).collect(),
        };
        if matches!(family(&f.code), "CMD" | "PATH" | "CODE") {
            out.family_findings.push(hit.clone());
        }
        let risk_axis = matches!(
            f.axis,
            Axis::Security | Axis::Credentials | Axis::Permissions
        );
        if risk_axis && sink_files.contains(file) {
            out.sink_file_findings.push(hit);
        }
    }
    out.skipped = report
        .inventory
        .skipped
        .iter()
        .map(|s| (s.file.clone(), s.reason.clone()))
        .collect();
    out.binary_files = report.inventory.binary_files.clone();
    out.incomplete_reasons = report.incomplete_reasons.clone();
    out
}

fn count_code_lines(root: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| CODE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                if let Ok(bytes) = std::fs::read(&path) {
                    total += bytes.iter().filter(|b| **b == b'\n').count() + 1;
                }
            }
        }
    }
    total
}

fn audit_package(
    key: &str,
    root: &Path,
    sink_files: &BTreeSet<String>,
    options: &AuditOptions,
) -> PackageAudit {
    let started = Instant::now();
    let result = root
        .to_str()
        .ok_or_else(|| anyhow!("not a UTF-8 path"))
        .and_then(|target| audit(target, options).map_err(|e| anyhow!("{e}")));
    let mut out = match result {
        Ok(report) => summarise(key, &report, sink_files),
        Err(e) => PackageAudit {
            key: key.to_string(),
            error: Some(format!("{e:#}")),
            ..PackageAudit::default()
        },
    };
    out.audit_ms = started.elapsed().as_millis() as u64;
    out.code_lines = count_code_lines(root);
    out
}

// ---------------------------------------------------------------------------------------------
// Code shape of a missed sink (a hint for reading the misses, never used to score)

/// How the function around a sink line is declared, and what serves its input, read from the
/// text alone: the outermost enclosing function header above the line (found by indentation),
/// how many function scopes are nested inside it, and whether the file starts a `node:http`
/// server. Rough by design; it groups the misses for a human reader.
pub fn shape_hint(text: &str, sink_line: u32) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = (sink_line as usize)
        .checked_sub(1)
        .filter(|at| *at < lines.len())
    else {
        return "sink line past the end of the file".to_string();
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    // Enclosing constructs are the earlier lines indented less than everything after them.
    let mut limit = indent(lines[at]);
    let mut headers: Vec<&str> = Vec::new();
    for line in lines[..at].iter().rev() {
        let trimmed = line.trim();
        if limit == 0 {
            break;
        }
        if trimmed.is_empty() || trimmed.starts_with("//") || trimmed.starts_with('*') {
            continue;
        }
        let i = indent(line);
        if i < limit {
            limit = i;
            if function_kind(trimmed).is_some() {
                headers.push(trimmed);
            }
        }
    }
    let server = if text.contains("createServer(") {
        "file starts a `http.createServer` server; "
    } else {
        ""
    };
    match headers.last().and_then(|h| function_kind(h)) {
        Some(kind) => {
            let nested = headers.len() - 1;
            let inner = if nested > 0 {
                format!(", sink {nested} callback(s) deep")
            } else {
                String::new()
            };
            format!("{server}{kind}{inner}")
        }
        None => format!("{server}top-level code"),
    }
}

/// The kind of function a line declares, if it declares one.
fn function_kind(line: &str) -> Option<&'static str> {
    let has_fn = line.contains("function") || line.contains("=>");
    let control = [
        "if", "for", "while", "switch", "catch", "}", "else", "try", "do", "return", "with",
    ];
    let method_shorthand = line.ends_with('{')
        && line.contains('(')
        && !control.iter().any(|c| line.starts_with(c))
        && !line.contains('=')
        && !line.contains('.');
    if !has_fn && !method_shorthand {
        return None;
    }
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| line.starts_with(p));
    let named_fn = |l: &str| {
        l.split("function")
            .nth(1)
            .map(|rest| rest.trim_start_matches('*').trim_start())
            .is_some_and(|rest| {
                rest.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            })
    };
    Some(
        if line.starts_with("module.exports =") || line.starts_with("module.exports=") {
            if named_fn(line) {
                "named function expression assigned to `module.exports`"
            } else {
                "anonymous function assigned to `module.exports`"
            }
        } else if line.starts_with("exports.") || line.starts_with("module.exports.") {
            "anonymous function assigned to `exports.NAME`"
        } else if line.contains(".prototype.") && line.contains('=') {
            "function assigned to `X.prototype.NAME`"
        } else if starts(&[
            "function ",
            "async function ",
            "export function ",
            "export default function",
            "export async function ",
        ]) {
            "named function declaration"
        } else if starts(&["const ", "let ", "var ", "export const "]) && line.contains('=') {
            "function bound to a variable"
        } else if line.contains(": function")
            || line.contains(":function")
            || (method_shorthand && !has_fn)
        {
            "object-literal or class method"
        } else {
            "callback (function passed as an argument)"
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Scoring

/// Why a sink was not reached, decided from the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "cause", rename_all = "kebab-case")]
pub enum Outcome {
    Hit {
        code: String,
        severity: String,
        line: u32,
    },
    /// The registry no longer has the version: not scored.
    Unavailable { reason: String },
    /// The package could not be downloaded, unpacked or audited: not scored.
    Error { reason: String },
    /// The sink file was not analysed (absent from the package, skipped, binary, or a kind of
    /// file the engine does not read).
    NotAnalysed { why: String },
    /// A finding of the family in the file, but further than the tolerance.
    FamilyFar {
        code: String,
        line: u32,
        distance: u32,
    },
    /// No finding of the family in the file; other findings near the sink line, if any.
    OtherFamilyAtLine { codes: Vec<String> },
    /// No finding of the family in the file and none of another family at the line.
    NoFamilyInFile { other_findings_in_file: usize },
}

impl Outcome {
    /// Short name of the cause, for grouping.
    pub fn cause(&self) -> &'static str {
        match self {
            Outcome::Hit { .. } => "hit",
            Outcome::Unavailable { .. } => "unavailable",
            Outcome::Error { .. } => "error",
            Outcome::NotAnalysed { .. } => "sink file not analysed",
            Outcome::FamilyFar { .. } => "family finding further than 3 lines",
            Outcome::OtherFamilyAtLine { .. } => "another family at the line",
            Outcome::NoFamilyInFile { .. } => "no finding of the family in the file",
        }
    }

    fn scored(&self) -> bool {
        !matches!(self, Outcome::Unavailable { .. } | Outcome::Error { .. })
    }
}

/// Extensions whose files the engine parses for flows.
const ANALYSED_EXTENSIONS: &[&str] = &[
    "js", "cjs", "mjs", "jsx", "ts", "cts", "mts", "tsx", "py", "pyw",
];

/// Score one row against its package's audit; `located` says where the sink file is.
pub fn score_row(row: &SinkRow, pkg: &PackageAudit, located: &Located) -> Outcome {
    let Some(fam) = family_of(&row.class) else {
        return Outcome::Error {
            reason: format!("unknown class `{}`", row.class),
        };
    };
    if let Some(e) = &pkg.error {
        return Outcome::Error { reason: e.clone() };
    }
    let sink_file = match located {
        Located::Exact => row.sink_file.as_str(),
        Located::Moved(path) => path.as_str(),
        Located::Ambiguous(paths) => {
            return Outcome::NotAnalysed {
                why: format!(
                    "not at this path, and {} files of that name: {}",
                    paths.len(),
                    paths.join(", ")
                ),
            }
        }
        Located::Missing => {
            return Outcome::NotAnalysed {
                why: "not in the package".to_string(),
            }
        }
    };
    let distance = |line: u32| line.abs_diff(row.sink_line);
    let in_file = |h: &&Hit| h.file == sink_file;
    let best = pkg
        .family_findings
        .iter()
        .filter(in_file)
        .filter(|h| family(&h.code) == fam)
        .min_by_key(|h| (distance(h.line), h.line, h.code.clone()));
    if let Some(h) = best {
        if distance(h.line) <= LINE_TOLERANCE {
            return Outcome::Hit {
                code: h.code.clone(),
                severity: h.severity.clone(),
                line: h.line,
            };
        }
    }
    if let Some(reason) = pkg.skipped.get(sink_file) {
        return Outcome::NotAnalysed {
            why: format!("skipped: {reason}"),
        };
    }
    if pkg.binary_files.iter().any(|f| f == sink_file) {
        return Outcome::NotAnalysed {
            why: "filed as binary".to_string(),
        };
    }
    let ext = Path::new(sink_file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !ANALYSED_EXTENSIONS.contains(&ext.as_str()) {
        let kind = if ext.is_empty() {
            "a file without an extension".to_string()
        } else {
            format!("a `.{ext}` file")
        };
        return Outcome::NotAnalysed {
            why: format!("{kind}, which the engine does not parse"),
        };
    }
    if let Some(h) = best {
        return Outcome::FamilyFar {
            code: h.code.clone(),
            line: h.line,
            distance: distance(h.line),
        };
    }
    let others = pkg.sink_file_findings.iter().filter(in_file);
    let mut at_line: Vec<String> = others
        .clone()
        .filter(|h| distance(h.line) <= LINE_TOLERANCE)
        .map(|h| format!("{} {}", h.code, h.severity))
        .collect();
    at_line.sort();
    at_line.dedup();
    if !at_line.is_empty() {
        return Outcome::OtherFamilyAtLine { codes: at_line };
    }
    Outcome::NoFamilyInFile {
        other_findings_in_file: others.count(),
    }
}

#[derive(Debug, Clone, Serialize)]
struct ScoredRow {
    #[serde(flatten)]
    row: SinkRow,
    #[serde(flatten)]
    outcome: Outcome,
    #[serde(flatten)]
    located: Located,
    /// For a miss in a file that was analysed: how the code around the sink is shaped
    /// ([`shape_hint`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    shape: Option<String>,
    /// Surface of the sink file by its path (`runtime`, `test`, …).
    surface: String,
}

// ---------------------------------------------------------------------------------------------
// Run

fn run(root: &Path, args: &Args) -> Result<()> {
    let started = Instant::now();
    let tsv = args.shared.join("corpus").join("secbench-dev.tsv");
    let text =
        std::fs::read_to_string(&tsv).with_context(|| format!("cannot read {}", tsv.display()))?;
    let rows = parse_tsv(&text).with_context(|| format!("{}", tsv.display()))?;
    let npm_dir = args.cache.join("npm");
    let src_dir = args.cache.join("src");
    std::fs::create_dir_all(&npm_dir)
        .with_context(|| format!("cannot create {}", npm_dir.display()))?;
    std::fs::create_dir_all(&src_dir)
        .with_context(|| format!("cannot create {}", src_dir.display()))?;

    // One entry per package version.
    let mut packages: BTreeMap<String, SinkRow> = BTreeMap::new();
    for row in &rows {
        packages.entry(row.key()).or_insert_with(|| row.clone());
    }

    let fetch_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(FETCH_THREADS)
        .build()
        .context("thread pool")?;
    let fetch_started = Instant::now();
    let fetched: BTreeMap<String, Fetched> = fetch_pool.install(|| {
        packages
            .par_iter()
            .map(|(key, row)| {
                let state = match download(row, &npm_dir, args.fetch) {
                    Fetched::Ready(tgz) => match unpack(&tgz, &src_dir, key) {
                        Ok(root) => Fetched::Ready(root),
                        Err(e) => Fetched::Failed(format!("{e:#}")),
                    },
                    other => other,
                };
                (key.clone(), state)
            })
            .collect()
    });
    let fetch_secs = fetch_started.elapsed().as_secs_f64();
    eprintln!(
        "eval-secbench: {} package versions ready, {} unavailable, {} failed ({fetch_secs:.1} s)",
        fetched
            .values()
            .filter(|f| matches!(f, Fetched::Ready(_)))
            .count(),
        fetched
            .values()
            .filter(|f| matches!(f, Fetched::Unavailable(_)))
            .count(),
        fetched
            .values()
            .filter(|f| matches!(f, Fetched::Failed(_)))
            .count()
    );

    // Where each row's sink file is, and the sink files of each package.
    let located: Vec<Located> = rows
        .iter()
        .map(|row| match fetched.get(&row.key()) {
            Some(Fetched::Ready(root)) => {
                locate(&row.sink_file, row.sink_line, &list_files(root), |rel| {
                    line_count(root, rel)
                })
            }
            _ => Located::Missing,
        })
        .collect();
    let mut sink_files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (row, at) in rows.iter().zip(&located) {
        let path = match at {
            Located::Moved(path) => path.clone(),
            _ => row.sink_file.clone(),
        };
        sink_files.entry(row.key()).or_default().insert(path);
    }

    let options_cache = tempfile::tempdir().context("cache folder")?;
    let mut options = AuditOptions::new(true);
    options.fetch.cache_dir = options_cache.path().to_path_buf();
    options.exemptions = ExemptionSource::Disabled;
    let mode = library_mode(&mut options);

    let audit_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(AUDIT_THREADS)
        .build()
        .context("thread pool")?;
    let audit_started = Instant::now();
    let audits: BTreeMap<String, PackageAudit> = audit_pool.install(|| {
        packages
            .par_iter()
            .filter_map(|(key, _)| match fetched.get(key) {
                Some(Fetched::Ready(root)) => {
                    let files = sink_files.get(key).cloned().unwrap_or_default();
                    Some((key.clone(), audit_package(key, root, &files, &options)))
                }
                _ => None,
            })
            .collect()
    });
    let audit_secs = audit_started.elapsed().as_secs_f64();

    let scored: Vec<ScoredRow> = rows
        .iter()
        .zip(&located)
        .map(|(row, at)| {
            let key = row.key();
            let outcome = match (fetched.get(&key), audits.get(&key)) {
                (Some(Fetched::Unavailable(reason)), _) => Outcome::Unavailable {
                    reason: reason.clone(),
                },
                (Some(Fetched::Failed(reason)), _) => Outcome::Error {
                    reason: reason.clone(),
                },
                (Some(Fetched::Ready(_)), Some(pkg)) => score_row(row, pkg, at),
                _ => Outcome::Error {
                    reason: "not audited".to_string(),
                },
            };
            let shape = match (&outcome, fetched.get(&key)) {
                (
                    Outcome::NoFamilyInFile { .. }
                    | Outcome::OtherFamilyAtLine { .. }
                    | Outcome::FamilyFar { .. },
                    Some(Fetched::Ready(root)),
                ) => {
                    let path = match at {
                        Located::Moved(path) => path.as_str(),
                        _ => row.sink_file.as_str(),
                    };
                    safe_relative(path)
                        .and_then(|rel| std::fs::read(root.join(rel)).ok())
                        .map(|bytes| shape_hint(&String::from_utf8_lossy(&bytes), row.sink_line))
                }
                _ => None,
            };
            ScoredRow {
                row: row.clone(),
                outcome,
                located: at.clone(),
                shape,
                surface: skillaudit_core::surface::classify_path(&row.sink_file)
                    .as_str()
                    .to_string(),
            }
        })
        .collect();

    let timing = Timing {
        total_secs: started.elapsed().as_secs_f64(),
        fetch_secs,
        audit_secs,
    };
    let date = jiff::Zoned::now().date().to_string();
    let mut body = render(&scored, &audits, &timing, &mode, &date);
    body.push_str(&own_set(root, &options)?);
    let doc_path = root.join(BENCHMARKS_DOC);
    let doc = std::fs::read_to_string(&doc_path).unwrap_or_default();
    let doc = crate::doc_section::replace_marked(&doc, START_MARKER, END_MARKER, &body)?;
    std::fs::write(&doc_path, doc)
        .with_context(|| format!("cannot write {}", doc_path.display()))?;

    if let Some(json) = &args.json {
        let value = serde_json::json!({
            "mode": mode,
            "timing": timing,
            "rows": scored,
            "packages": audits,
            "fetch": fetched,
        });
        let text = serde_json::to_string_pretty(&value)?;
        std::fs::write(json, text).with_context(|| format!("cannot write {}", json.display()))?;
        println!("eval-secbench: wrote {}", json.display());
    }
    let t = tally(scored.iter());
    println!(
        "eval-secbench: recall {}/{} = {:.2} ({} unavailable, {} not audited), {:.1} s",
        t.hits,
        t.scored,
        crate::scoring::ratio(t.hits, t.scored),
        t.unavailable,
        t.errors,
        timing.total_secs
    );
    println!("eval-secbench: wrote {BENCHMARKS_DOC}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Vulnerable and safe packages written for this project

/// Small vulnerable packages written here in the shapes of published npm advisories
/// (`<dir>/<package>/`), their sinks in `sinks.tsv` (the columns of secbench-dev.tsv), and safe
/// look-alikes in `safe.tsv` (`class`, `package`): a generalisation check scored like the
/// benchmark, on code the engine was not tuned to when each batch was first scored.
const OWN_DIR: &str = "xtask/data/vulnerable-own";

/// One safe look-alike: a package that must not be reported for a class.
#[derive(Debug, Clone)]
struct SafeRow {
    class: String,
    package: String,
}

/// Audit the packages written here and render their section (empty when the folder is absent).
fn own_set(root: &Path, options: &AuditOptions) -> Result<String> {
    use crate::scoring::ratio;
    let dir = root.join(OWN_DIR);
    let sinks = dir.join("sinks.tsv");
    if !sinks.is_file() {
        return Ok(String::new());
    }
    let text = std::fs::read_to_string(&sinks)
        .with_context(|| format!("cannot read {}", sinks.display()))?;
    let rows = parse_tsv(&text).with_context(|| format!("{}", sinks.display()))?;
    let safe_path = dir.join("safe.tsv");
    let safe: Vec<SafeRow> = match std::fs::read_to_string(&safe_path) {
        Ok(text) => text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut cols = l.split('\t');
                match (cols.next(), cols.next()) {
                    (Some(class), Some(package)) => Ok(SafeRow {
                        class: class.trim().to_string(),
                        package: package.trim().to_string(),
                    }),
                    _ => Err(anyhow!(
                        "{}: a row without two columns: {l}",
                        safe_path.display()
                    )),
                }
            })
            .collect::<Result<_>>()?,
        Err(_) => Vec::new(),
    };
    let package_root = |package: &str| -> Result<PathBuf> {
        let rel = safe_relative(package)
            .ok_or_else(|| anyhow!("`{package}` is not a folder name under {OWN_DIR}"))?;
        Ok(dir.join(rel))
    };
    let mut names: BTreeSet<&str> = rows.iter().map(|r| r.package.as_str()).collect();
    names.extend(safe.iter().map(|r| r.package.as_str()));
    let mut audits: BTreeMap<String, PackageAudit> = BTreeMap::new();
    for name in names {
        let files: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.package == name)
            .map(|r| r.sink_file.clone())
            .collect();
        audits.insert(
            name.to_string(),
            audit_package(name, &package_root(name)?, &files, options),
        );
    }
    let mut out = String::new();
    let scored: Vec<(&SinkRow, Outcome)> = rows
        .iter()
        .map(|row| {
            let outcome = match audits.get(&row.package) {
                Some(pkg) => score_row(row, pkg, &Located::Exact),
                None => Outcome::Error {
                    reason: "not audited".to_string(),
                },
            };
            (row, outcome)
        })
        .collect();
    let hits = scored
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Hit { .. }))
        .count();
    out.push_str(&format!(
        "\n### Packages written here (`{OWN_DIR}/`)\n\n\
         Small packages written for this project in the shapes of published npm advisories \
         (exported functions, tiny static servers, command-line tools; CommonJS, ES modules and \
         compiled TypeScript), each with its sink in `sinks.tsv`, and safe look-alikes in \
         `safe.tsv`, scored like the benchmark above. A batch's first scoring, before any change \
         made for it, is the generalisation figure; later runs are a regression set.\n\n\
         **Recall {hits}/{} = {:.2}**\n\n| class | package | sink | result |\n|---|---|---|---|\n",
        scored.len(),
        ratio(hits, scored.len())
    ));
    for (row, outcome) in &scored {
        out.push_str(&format!(
            "| {} | `{}` | `{}:{}` | {} |\n",
            row.class,
            row.package,
            row.sink_file,
            row.sink_line,
            describe(outcome)
        ));
    }
    let mut fired = 0;
    let mut safe_table = String::new();
    for row in &safe {
        let Some(fam) = family_of(&row.class) else {
            bail!("{}: unknown class `{}`", safe_path.display(), row.class);
        };
        let reported: Vec<String> = audits
            .get(&row.package)
            .map(|pkg| {
                pkg.family_findings
                    .iter()
                    .filter(|h| family(&h.code) == fam)
                    .map(|h| format!("{} {} `{}:{}`", h.code, h.severity, h.file, h.line))
                    .collect()
            })
            .unwrap_or_default();
        if !reported.is_empty() {
            fired += 1;
        }
        safe_table.push_str(&format!(
            "| {} | `{}` | {} |\n",
            row.class,
            row.package,
            if reported.is_empty() {
                "none".to_string()
            } else {
                reported.join(", ")
            }
        ));
    }
    if !safe.is_empty() {
        out.push_str(&format!(
            "\n**Safe look-alikes reported: {fired}/{}** (any finding of the class's family, \
             any severity)\n\n| class | package | findings of the family |\n|---|---|---|\n{safe_table}",
            safe.len()
        ));
    }
    println!(
        "eval-secbench: written here: recall {hits}/{}, safe look-alikes reported {fired}/{}",
        scored.len(),
        safe.len()
    );
    Ok(out)
}

/// Sets the engine's library mode when it has one and says how exported-API inputs are found.
fn library_mode(_options: &mut AuditOptions) -> String {
    "parameters of functions no package code calls are reported as INFO \"no caller in the \
     package\" flows (the engine has no library-mode option yet); they count"
        .to_string()
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Timing {
    total_secs: f64,
    fetch_secs: f64,
    audit_secs: f64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    rows: usize,
    scored: usize,
    hits: usize,
    unavailable: usize,
    errors: usize,
}

fn tally<'a>(rows: impl Iterator<Item = &'a ScoredRow>) -> Tally {
    let mut t = Tally::default();
    for r in rows {
        t.rows += 1;
        match &r.outcome {
            Outcome::Unavailable { .. } => t.unavailable += 1,
            Outcome::Error { .. } => t.errors += 1,
            o => {
                t.scored += 1;
                if matches!(o, Outcome::Hit { .. }) {
                    t.hits += 1;
                }
            }
        }
    }
    t
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    // The middle value, or the mean of the two middle values.
    (values[(n - 1) / 2] + values[n / 2]) / 2.0
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Hit {
            code,
            severity,
            line,
        } => format!("hit: {code} {severity} at line {line}"),
        Outcome::Unavailable { reason } => format!("unavailable: {reason}"),
        Outcome::Error { reason } => format!("not audited: {reason}"),
        Outcome::NotAnalysed { why } => format!("sink file not analysed: {why}"),
        Outcome::FamilyFar {
            code,
            line,
            distance,
        } => format!("nearest family finding {code} at line {line} ({distance} lines away)"),
        Outcome::OtherFamilyAtLine { codes } => {
            format!("another family at the line: {}", codes.join(", "))
        }
        Outcome::NoFamilyInFile {
            other_findings_in_file,
        } => format!("no finding of the family in the file ({other_findings_in_file} others)"),
    }
}

fn render(
    rows: &[ScoredRow],
    audits: &BTreeMap<String, PackageAudit>,
    timing: &Timing,
    mode: &str,
    date: &str,
) -> String {
    use crate::scoring::ratio;
    let all = tally(rows.iter());
    let mut out = String::new();
    out.push_str("## SecBench.js development half (`cargo xtask eval-secbench`)\n\n");
    out.push_str(&format!(
        "Generated on {date} by `cargo xtask eval-secbench` over `../shared/corpus/secbench-dev.tsv` \
         ({} sinks in {} package versions, each downloaded with `npm pack --ignore-scripts`, unpacked \
         safely and audited offline). Library mode: {mode}. A sink is reached when a finding of the \
         class's family (command-injection → CMD, path-traversal → PATH, code-injection → CODE), any \
         severity, is in the sink file within {LINE_TOLERANCE} lines. Versions the registry no longer \
         has are not scored. Rewritten on each run (edit outside the eval-secbench markers only).\n\n",
        rows.len(),
        rows.iter()
            .map(|r| r.row.key())
            .collect::<BTreeSet<_>>()
            .len()
    ));
    out.push_str(&format!(
        "**Recall {}/{} = {:.2}** (target 0.90) · {} sinks unavailable · {} not audited\n\n",
        all.hits,
        all.scored,
        ratio(all.hits, all.scored),
        all.unavailable,
        all.errors
    ));
    out.push_str(
        "| class | sinks | unavailable | scored | reached | recall |\n|---|---|---|---|---|---|\n",
    );
    let classes = ["command-injection", "path-traversal", "code-injection"];
    for class in classes {
        let t = tally(rows.iter().filter(|r| r.row.class == class));
        out.push_str(&format!(
            "| {class} | {} | {} | {} | {} | {:.2} |\n",
            t.rows,
            t.unavailable,
            t.scored,
            t.hits,
            ratio(t.hits, t.scored)
        ));
    }
    out.push_str(&format!(
        "| **all** | {} | {} | {} | {} | **{:.2}** |\n\n",
        all.rows,
        all.unavailable,
        all.scored,
        all.hits,
        ratio(all.hits, all.scored)
    ));

    // Misses by cause.
    let misses: Vec<&ScoredRow> = rows
        .iter()
        .filter(|r| r.outcome.scored() && !matches!(r.outcome, Outcome::Hit { .. }))
        .collect();
    let mut causes: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for r in &misses {
        let at = classes.iter().position(|c| *c == r.row.class).unwrap_or(0);
        causes.entry(r.outcome.cause()).or_default()[at] += 1;
    }
    out.push_str("**Misses by cause**\n\n| cause | command-injection | path-traversal | code-injection | all |\n|---|---|---|---|---|\n");
    for (cause, n) in &causes {
        out.push_str(&format!(
            "| {cause} | {} | {} | {} | {} |\n",
            n[0],
            n[1],
            n[2],
            n.iter().sum::<usize>()
        ));
    }

    // Misses in analysed files, by the shape of the code around the sink.
    let mut shapes: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for r in &misses {
        if let Some(shape) = &r.shape {
            let group = shape.split(", sink ").next().unwrap_or(shape).to_string();
            let at = classes.iter().position(|c| *c == r.row.class).unwrap_or(0);
            shapes.entry(group).or_default()[at] += 1;
        }
    }
    if !shapes.is_empty() {
        out.push_str(
            "\n**Misses in analysed files by code shape** (a hint read from the text around the \
             sink: the outermost function enclosing it and whether the file starts an HTTP server)\n\n\
             | shape | command-injection | path-traversal | code-injection | all |\n|---|---|---|---|---|\n",
        );
        let mut shapes: Vec<_> = shapes.into_iter().collect();
        shapes.sort_by(|a, b| {
            b.1.iter()
                .sum::<usize>()
                .cmp(&a.1.iter().sum::<usize>())
                .then(a.0.cmp(&b.0))
        });
        for (shape, n) in shapes {
            out.push_str(&format!(
                "| {shape} | {} | {} | {} | {} |\n",
                n[0],
                n[1],
                n[2],
                n.iter().sum::<usize>()
            ));
        }
    }

    // Noise.
    let audited: Vec<&PackageAudit> = audits.values().filter(|a| a.error.is_none()).collect();
    let findings: usize = audited.iter().map(|a| a.findings_total).sum();
    let fam: usize = audited.iter().map(|a| a.family_findings.len()).sum();
    let lines: usize = audited.iter().map(|a| a.code_lines).sum();
    let kloc = lines as f64 / 1000.0;
    let mut per_pkg: Vec<f64> = audited.iter().map(|a| a.findings_total as f64).collect();
    let mut fam_per_pkg: Vec<f64> = audited
        .iter()
        .map(|a| a.family_findings.len() as f64)
        .collect();
    let mut security: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &audited {
        for (s, n) in &a.security_by_severity {
            *security.entry(s.as_str()).or_default() += n;
        }
    }
    let n = audited.len().max(1) as f64;
    let per_kloc = |x: usize| if kloc > 0.0 { x as f64 / kloc } else { 0.0 };
    out.push_str(&format!(
        "\n**Noise** over {} packages audited ({:.0} thousand lines of JavaScript/TypeScript): \
         {findings} findings in all, {:.1} per package (median {:.0}), {:.1} per thousand lines; \
         CMD/PATH/CODE findings {fam}, {:.1} per package (median {:.0}), {:.1} per thousand lines; \
         Security-axis findings by severity: {}.\n",
        audited.len(),
        kloc,
        findings as f64 / n,
        median(&mut per_pkg),
        per_kloc(findings),
        fam as f64 / n,
        median(&mut fam_per_pkg),
        per_kloc(fam),
        security
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let slowest = audits
        .values()
        .max_by_key(|a| a.audit_ms)
        .map(|a| format!("; slowest `{}` {:.1} s", a.key, a.audit_ms as f64 / 1000.0))
        .unwrap_or_default();
    out.push_str(&format!(
        "\n**Time**: {:.1} s in all ({:.1} s download and unpack, {:.1} s audit on {AUDIT_THREADS} \
         threads{slowest}).\n",
        timing.total_secs, timing.fetch_secs, timing.audit_secs
    ));

    out.push_str(
        "\n**Every miss**\n\n| class | package | sink | surface | cause | code shape (hint) |\n|---|---|---|---|---|---|\n",
    );
    for r in &misses {
        let moved = match &r.located {
            Located::Moved(path) => format!(" (in the tarball: `{path}`)"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "| {} | `{}@{}` | `{}:{}`{moved} | {} | {} | {} |\n",
            r.row.class,
            r.row.package,
            r.row.version,
            r.row.sink_file,
            r.row.sink_line,
            r.surface,
            describe(&r.outcome).replace('|', "\\|"),
            r.shape.as_deref().unwrap_or("")
        ));
    }
    let not_scored: Vec<&ScoredRow> = rows.iter().filter(|r| !r.outcome.scored()).collect();
    if !not_scored.is_empty() {
        out.push_str("\n**Not scored**\n\n");
        for r in not_scored {
            out.push_str(&format!(
                "- `{}@{}` `{}:{}`: {}\n",
                r.row.package,
                r.row.version,
                r.row.sink_file,
                r.row.sink_line,
                describe(&r.outcome)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(class: &str, file: &str, line: u32) -> SinkRow {
        SinkRow {
            class: class.into(),
            package: "p".into(),
            version: "1.0.0".into(),
            sink_file: file.into(),
            sink_line: line,
            sink_column: 1,
        }
    }

    fn hit(code: &str, file: &str, line: u32) -> Hit {
        Hit {
            code: code.into(),
            severity: "INFO".into(),
            axis: "security".into(),
            file: file.into(),
            line,
            message: String::new(),
        }
    }

    fn pkg(findings: Vec<Hit>) -> PackageAudit {
        PackageAudit {
            family_findings: findings
                .iter()
                .filter(|h| matches!(family(&h.code), "CMD" | "PATH" | "CODE"))
                .cloned()
                .collect(),
            sink_file_findings: findings,
            ..PackageAudit::default()
        }
    }

    #[test]
    fn a_family_finding_within_three_lines_is_a_hit() {
        let p = pkg(vec![hit("CMD-001", "lib/a.js", 13)]);
        assert!(matches!(
            score_row(
                &row("command-injection", "lib/a.js", 10),
                &p,
                &Located::Exact
            ),
            Outcome::Hit { line: 13, .. }
        ));
        assert!(matches!(
            score_row(
                &row("command-injection", "lib/a.js", 16),
                &p,
                &Located::Exact
            ),
            Outcome::Hit { .. }
        ));
    }

    #[test]
    fn misses_get_their_cause() {
        let p = pkg(vec![
            hit("CMD-001", "lib/a.js", 20),
            hit("PATH-001", "lib/a.js", 10),
            hit("CMD-002", "lib/b.js", 10),
        ]);
        assert_eq!(
            score_row(
                &row("command-injection", "lib/a.js", 10),
                &p,
                &Located::Exact
            ),
            Outcome::FamilyFar {
                code: "CMD-001".into(),
                line: 20,
                distance: 10
            }
        );
        assert_eq!(
            score_row(&row("code-injection", "lib/a.js", 11), &p, &Located::Exact),
            Outcome::OtherFamilyAtLine {
                codes: vec!["PATH-001 INFO".into()]
            }
        );
        assert_eq!(
            score_row(&row("code-injection", "lib/b.js", 50), &p, &Located::Exact),
            Outcome::NoFamilyInFile {
                other_findings_in_file: 1
            }
        );
        assert!(matches!(
            score_row(
                &row("path-traversal", "lib/gone.js", 1),
                &p,
                &Located::Missing
            ),
            Outcome::NotAnalysed { .. }
        ));
        let mut skipped = pkg(vec![]);
        skipped
            .skipped
            .insert("lib/a.js".into(), "too large".into());
        assert_eq!(
            score_row(
                &row("path-traversal", "lib/a.js", 1),
                &skipped,
                &Located::Exact
            ),
            Outcome::NotAnalysed {
                why: "skipped: too large".into()
            }
        );
        assert!(matches!(
            score_row(
                &row("path-traversal", "bin/tool.coffee", 1),
                &p,
                &Located::Exact
            ),
            Outcome::NotAnalysed { .. }
        ));
    }

    #[test]
    fn the_wrong_family_in_the_right_place_is_not_a_hit() {
        let p = pkg(vec![hit("CODE-001", "index.js", 5)]);
        assert!(!matches!(
            score_row(
                &row("command-injection", "index.js", 5),
                &p,
                &Located::Exact
            ),
            Outcome::Hit { .. }
        ));
    }

    #[test]
    fn the_table_is_parsed_and_bad_rows_refused() {
        let text = "class\tpackage\tversion\tsink_file\tsink_line\tsink_column\n\
                    command-injection\t@s/p\t1.0.0\tindex.js\t25\t5\n";
        let rows = parse_tsv(text).unwrap();
        assert_eq!(rows[0].sink_line, 25);
        assert_eq!(rows[0].key(), "@s+p@1.0.0");
        assert!(parse_tsv(&text.replace("command-injection", "xss")).is_err());
        assert!(parse_tsv(&text.replace("@s/p", "--registry=x")).is_err());
        assert!(parse_tsv(&text.replace("@s/p", "../p")).is_err());
        assert!(parse_tsv(&text.replace("\t25\t", "\tx\t")).is_err());
    }

    #[test]
    fn package_names_that_are_options_or_paths_are_refused() {
        assert!(valid_npm_name("open"));
        assert!(valid_npm_name("@scope/name.js"));
        assert!(!valid_npm_name("-x"));
        assert!(!valid_npm_name("a/b"));
        assert!(!valid_npm_name("@scope/../x"));
        assert!(!valid_npm_name("@s/a/b"));
        assert!(!valid_version("1.0.0 --x"));
        assert!(valid_version("1.0.0-beta.1"));
    }

    #[test]
    fn sink_paths_that_leave_the_package_are_refused() {
        assert!(safe_relative("lib/a.js").is_some());
        assert!(safe_relative("../a.js").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("lib/../../a.js").is_none());
    }

    #[test]
    fn sink_files_are_found_where_the_tarball_has_them() {
        let files: Vec<String> = [
            "index.js",
            "lib/hangersteak.js",
            "dist/util.js",
            "a/x.js",
            "b/x.js",
            "bin/public",
            "lib/server/index.js",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let lines = |f: &str| if f == "index.js" { 27 } else { 500 };
        let at = |sink: &str, line: u32| locate(sink, line, &files, lines);
        assert_eq!(at("index.js", 20), Located::Exact);
        assert_eq!(
            at("index.js", 60),
            Located::Moved("lib/server/index.js".into())
        );
        assert_eq!(
            at("hangersteak.js", 61),
            Located::Moved("lib/hangersteak.js".into())
        );
        assert_eq!(
            at("src/util.ts", 155),
            Located::Moved("dist/util.js".into())
        );
        assert_eq!(at("public", 78), Located::Moved("bin/public".into()));
        assert!(matches!(at("x.js", 1), Located::Ambiguous(v) if v.len() == 2));
        assert_eq!(at("gone.js", 1), Located::Missing);
        assert_eq!(at("../index.js", 1), Located::Missing);
        let p = pkg(vec![hit("PATH-001", "lib/hangersteak.js", 60)]);
        assert!(matches!(
            score_row(
                &row("path-traversal", "hangersteak.js", 61),
                &p,
                &Located::Moved("lib/hangersteak.js".into())
            ),
            Outcome::Hit { .. }
        ));
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&mut []), 0.0);
    }

    #[test]
    fn the_code_shape_around_a_sink_is_named() {
        let text = "var exec = require('child_process').exec;\nmodule.exports = function (iface, cb) {\n    exec('ifconfig ' + iface, cb);\n};\n";
        assert_eq!(
            shape_hint(text, 3),
            "anonymous function assigned to `module.exports`"
        );
        let text = "http.createServer(function(req, res) {\n  var p = './' + req.url;\n  fs.readFile(p, function(e, d) {\n    res.end(d);\n  });\n}).listen(8080);\n";
        assert_eq!(
            shape_hint(text, 3),
            "file starts a `http.createServer` server; callback (function passed as an argument)"
        );
        let text = "exports.check = function(d, cb) {\n  return new Promise(function(resolve) {\n    cp.exec('df ' + d, cb);\n  });\n};\n";
        assert_eq!(
            shape_hint(text, 3),
            "anonymous function assigned to `exports.NAME`, sink 1 callback(s) deep"
        );
        let text = "var o = {\n  scroll: function (direction) {\n    return exec('x ' + direction);\n  }\n};\n";
        assert_eq!(shape_hint(text, 3), "object-literal or class method");
        let text = "C.prototype.m = function(x) {\n  eval(x);\n};\n";
        assert_eq!(
            shape_hint(text, 2),
            "function assigned to `X.prototype.NAME`"
        );
        assert_eq!(shape_hint("x\n", 9), "sink line past the end of the file");
    }

    #[test]
    fn registry_errors_are_told_from_other_failures() {
        assert!(registry_lacks_it(
            "npm error code E404\nnpm error 404 Not Found"
        ));
        assert!(registry_lacks_it(
            "npm error code ETARGET\nnpm error notarget No matching version found for x@1."
        ));
        assert!(!registry_lacks_it("npm error code ECONNRESET"));
        assert_eq!(
            first_error_line("npm error code E404\nnpm error 404 Not Found - GET x\n"),
            "404 Not Found - GET x"
        );
    }
}
