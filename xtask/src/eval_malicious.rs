//! `cargo xtask eval-malicious [--shared DIR] [--json FILE]`: measure how many deliberately
//! malicious MCP servers get a HIGH finding (`<shared>/corpus/malicious-servers.jsonl`, one server
//! a row: `id, category, files {path: content}`; see MALICIOUS.md beside it).
//!
//! Each row's files are written to a temporary folder (a path that could leave the folder is
//! refused and the row reported as not audited) and audited offline; nothing is ever run. A row
//! is **detected** when the report has a HIGH finding on the Security, Credentials or Permissions
//! axis. Every row is audited twice:
//! - *original*: the files as written;
//! - *stripped*: Python comments (`#` to the end of the line, outside strings) and docstrings (a
//!   string literal statement at the start of a module, class or function body, replaced by
//!   `pass` on the same lines) removed by a small tokenizer here, because the held-out half of
//!   the set is scanned without them: a rule that needs a comment or a docstring word to fire
//!   fails there. Telling words inside names and strings (`malicious_mappings`,
//!   `/tmp/.auth_stealer`, `exfil_url`) are replaced by a neutral `item` in every file, since
//!   the held-out half also has them removed: a detection that needs the word `steal` is a
//!   detection of the word.
//!
//! The specimens written for this project (`xtask/data/malicious-own/<category>--<name>/`,
//! one behaviour each, in both languages and other styles than the third-party set) are
//! audited the same two ways and tabled apart: malicious servers written independently are
//! what the held-out measurement also uses.
//!
//! The benign reference is audited the same way: `examples/weather-server`, every folder under
//! `xtask/data/malicious-own-benign-*/` and every `safe` or `benign*` fixture folder under
//! `crates/*/fixtures/*/`; any HIGH on them is listed.
//!
//! Detection per category (original and stripped), every missed row with the findings it did get,
//! the HIGH codes that carry the detection, and the benign reference are written into
//! docs/benchmarks.md between the eval-malicious markers; `--json FILE` writes the raw results.
//! Exit codes: 0 done, 2 the evaluation could not run.

use crate::scoring::ratio;
use anyhow::{anyhow, Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use skillaudit_core::{Report, Severity};
use skillaudit_engine::{audit, AuditOptions, ExemptionSource};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub const START_MARKER: &str = "<!-- eval-malicious:start -->";
pub const END_MARKER: &str = "<!-- eval-malicious:end -->";
const BENCHMARKS_DOC: &str = "docs/benchmarks.md";
const DETECTION_TARGET: f64 = 0.80;

const USAGE: &str = "usage: cargo xtask eval-malicious [--shared DIR] [--json FILE]";

const HELP: &str = "\
Audit the deliberately malicious MCP servers of the shared corpus, as written and with Python
comments and docstrings removed, and the benign reference servers; score detection (a HIGH finding
on the Security, Credentials or Permissions axis) per category.

  --shared DIR   the shared folder holding corpus/ (default: <workspace>/../shared)
  --json FILE    also write the raw per-row results as JSON

Writes docs/benchmarks.md between the eval-malicious markers.
Exit codes: 0 done, 2 the evaluation could not run.";

// ---------------------------------------------------------------------------------------------
// Command line

#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    shared: PathBuf,
    json: Option<PathBuf>,
}

fn parse_args(root: &Path, args: &[String]) -> Result<Option<Args>> {
    let mut parsed = Args {
        shared: root.join("..").join("shared"),
        json: None,
    };
    let Some(flags) = crate::flags::parse(args, &["--shared", "--json"], &[])? else {
        return Ok(None);
    };
    for flag in flags {
        match (flag.name.as_str(), flag.value) {
            ("--shared", Some(v)) => parsed.shared = v,
            ("--json", v) => parsed.json = v,
            _ => {}
        }
    }
    Ok(Some(parsed))
}

/// Entry point of `cargo xtask eval-malicious ARGS…` (`args` without the subcommand).
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let args = match parse_args(root, args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}\n\n{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("eval-malicious: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(root, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("eval-malicious: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rows and folders

#[derive(Debug, Deserialize)]
struct Row {
    id: String,
    category: String,
    files: BTreeMap<String, String>,
}

/// A relative path inside the server folder, or `None` for anything that could leave it.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// Write `files` under `root`, refusing any path that could leave it.
fn write_files<'a>(
    root: &Path,
    files: impl IntoIterator<Item = (&'a String, String)>,
) -> Result<()> {
    for (path, content) in files {
        let rel = safe_relative(path).with_context(|| format!("unsafe path `{path}`"))?;
        let full = root.join(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&full, content)?;
    }
    Ok(())
}

/// Where the specimens written for this project live: one folder per server, named
/// `<category>--<name>`.
const OWN_DIR: &str = "xtask/data/malicious-own";

/// The project's own malicious specimens (written from the behaviour list of the issue, in
/// other styles and languages than the third-party set), as rows.
fn own_rows(root: &Path) -> Result<Vec<Row>> {
    let dir = root.join(OWN_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let category = name
            .split_once("--")
            .map_or("other", |(c, _)| c)
            .to_string();
        let mut files = BTreeMap::new();
        for file in walk_files(&path)? {
            let rel = file
                .strip_prefix(&path)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            files.insert(rel, text);
        }
        rows.push(Row {
            id: format!("own-{name}"),
            category,
            files,
        });
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

/// The files under `dir`, depth-first, bounded.
fn walk_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut todo = vec![(dir.to_path_buf(), 0u32)];
    while let Some((d, depth)) = todo.pop() {
        if depth > 8 {
            continue;
        }
        for e in std::fs::read_dir(&d)?.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push((p, depth + 1));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Python comments and docstrings

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Str,
    Comment,
    /// A run of other non-blank characters.
    Other,
    /// The end of a logical line (a newline outside brackets and not after `\`).
    Newline,
}

/// Tokens of Python source as `(kind, start, end)` byte spans: enough to tell strings and
/// comments from code and to find logical lines. String prefixes (`r`, `b`, `u`, `f` and their
/// pairs), triple quotes, escapes, brackets and `\` continuations are followed; anything
/// malformed (an unterminated string) ends at the end of the line or of the text.
fn tokens(src: &str) -> Vec<(Tok, usize, usize)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                if depth == 0 {
                    out.push((Tok::Newline, i, i + 1));
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'\\' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') => i += 3,
            b'#' => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                out.push((Tok::Comment, i, end));
                i = end;
            }
            b'"' | b'\'' => {
                let end = string_end(b, i);
                out.push((Tok::Str, i, end));
                i = end;
            }
            _ => {
                // A string prefix directly before a quote starts a string.
                if let Some(q) = string_prefix_len(b, i) {
                    let end = string_end(b, i + q);
                    out.push((Tok::Str, i, end));
                    i = end;
                    continue;
                }
                let start = i;
                while i < b.len() {
                    let c = b[i];
                    if matches!(
                        c,
                        b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'"' | b'\'' | b'\\'
                    ) || (i > start && string_prefix_len(b, i).is_some())
                    {
                        break;
                    }
                    match c {
                        b'(' | b'[' | b'{' => depth += 1,
                        b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    i += 1;
                }
                if i == start {
                    // A lone `\` not before a newline.
                    i += 1;
                }
                out.push((Tok::Other, start, i));
            }
        }
    }
    out
}

/// Length of a string prefix (`r`, `b`, `rb`, `f`, …) at `i` when a quote follows it and it is
/// not the tail of a longer name.
fn string_prefix_len(b: &[u8], i: usize) -> Option<usize> {
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let is_prefix = |c: u8| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f');
    for len in [1, 2] {
        let prefix = b.get(i..i + len)?;
        if !prefix.iter().all(|c| is_prefix(*c)) {
            return None;
        }
        if matches!(b.get(i + len), Some(b'"' | b'\'')) {
            return Some(len);
        }
    }
    None
}

/// End (exclusive) of the string literal whose opening quote is at `q`.
fn string_end(b: &[u8], q: usize) -> usize {
    let quote = b[q];
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let mut i = if triple { q + 3 } else { q + 1 };
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if triple {
            if c == quote && b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                return i + 3;
            }
        } else if c == quote {
            return i + 1;
        } else if c == b'\n' {
            return i;
        }
        i += 1;
    }
    b.len()
}

/// Python source with comments and docstrings removed, every line kept where it was: a comment
/// becomes nothing, a docstring statement becomes `pass` followed by the newlines it held.
pub fn strip_python(src: &str) -> String {
    let toks = tokens(src);
    // Logical lines as lists of significant tokens (strings and other code).
    let mut lines: Vec<Vec<(Tok, usize, usize)>> = vec![Vec::new()];
    let mut cuts: Vec<(usize, usize, String)> = Vec::new();
    for &(kind, start, end) in &toks {
        match kind {
            Tok::Comment => cuts.push((start, end, String::new())),
            Tok::Newline => lines.push(Vec::new()),
            Tok::Str | Tok::Other => {
                if let Some(line) = lines.last_mut() {
                    line.push((kind, start, end));
                }
            }
        }
    }
    let text = |t: &(Tok, usize, usize)| &src[t.1..t.2];
    let lines: Vec<&Vec<(Tok, usize, usize)>> = lines.iter().filter(|l| !l.is_empty()).collect();
    for (at, line) in lines.iter().enumerate() {
        let only_strings = line.iter().all(|t| t.0 == Tok::Str);
        if !only_strings {
            continue;
        }
        let docstring = match at.checked_sub(1).and_then(|p| lines.get(p)) {
            None => true,
            Some(prev) => {
                let first = prev.first().map(text).unwrap_or("");
                let last = prev.last().map(text).unwrap_or("");
                let header = matches!(first, "def" | "class" | "async") && last.ends_with(':');
                // The docstring of a function registered as an MCP tool, prompt or resource is
                // its description, part of what the server declares: it stays.
                let registered = lines[..at - 1]
                    .iter()
                    .rev()
                    .take_while(|l| l.first().is_some_and(|t| text(t).starts_with('@')))
                    .any(|l| {
                        let decorator: String = l.iter().map(text).collect();
                        registers_mcp(&decorator)
                    });
                header && !registered
            }
        };
        if docstring {
            if let (Some(first), Some(last)) = (line.first(), line.last()) {
                let newlines = src[first.1..last.2].matches('\n').count();
                cuts.push((first.1, last.2, format!("pass{}", "\n".repeat(newlines))));
            }
        }
    }
    cuts.sort_by_key(|c| c.0);
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (start, end, with) in cuts {
        if start < at {
            continue;
        }
        out.push_str(&src[at..start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&src[at..]);
    out
}

/// True for a decorator that registers an MCP tool, prompt or resource (`@mcp.tool()`,
/// `@app.prompt`, `@server.call_tool()`, `@tool`).
fn registers_mcp(decorator: &str) -> bool {
    let callee = decorator
        .trim_start_matches('@')
        .split('(')
        .next()
        .unwrap_or("");
    let last = callee
        .rsplit('.')
        .next()
        .unwrap_or(callee)
        .to_ascii_lowercase();
    last.contains("tool") || last == "prompt" || last == "resource"
}

fn is_python(path: &str) -> bool {
    path.ends_with(".py") || path.ends_with(".pyw")
}

// ---------------------------------------------------------------------------------------------
// Telling words

/// Stems of words that announce intent rather than do anything: an author's labels. Removed
/// from names and strings in the stripped view (never used by a rule).
const TELLING: &[&str] = &[
    "malicious",
    "malware",
    "evil",
    "attacker",
    "attack",
    "backdoor",
    "hidden",
    "hide",
    "steal",
    "stolen",
    "exfil",
    "hijack",
    "payload",
    "poison",
    "exploit",
    "keylog",
    "harvest",
    "covert",
    "stealth",
    "sneak",
    "secretly",
    "rogue",
    "hacker",
    "pwn",
    "trojan",
    "implant",
    "beacon",
    "unauthori",
    "vulnerable",
    "inject",
    "bypass",
    "escalat",
    "persist",
    "tamper",
    "leak",
    "spy",
    "fake",
    "decoy",
    "bait",
    "trap",
    "c2_",
    "_c2",
    "intercept",
    "siphon",
    "collector",
];

/// `text` with every telling word stem, and the rest of the word it starts, replaced by
/// `item` (case-insensitive; `exfiltrate_data` → `item_data`, `/tmp/.auth_stealer` →
/// `/tmp/.auth_item`).
pub fn neutral_words(text: &str) -> String {
    static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        let stems: Vec<String> = TELLING.iter().map(|w| regex::escape(w)).collect();
        // The stem in any case; the rest of its word in lower case (`ExfiltrateData` keeps
        // `Data`).
        regex::Regex::new(&format!("(?i:{})[a-z]*", stems.join("|"))).ok()
    });
    match RE.as_ref() {
        Some(re) => re.replace_all(text, "item").into_owned(),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Audit and scoring

/// One finding, as the tables show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub code: String,
    pub severity: String,
    pub axis: String,
    pub line: Option<u32>,
}

/// What one audit of one folder gave.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    pub findings: Vec<Seen>,
    /// Tools the report's inventory lists.
    pub tools: usize,
    pub error: Option<String>,
}

impl Audit {
    /// HIGH findings on the Security, Credentials or Permissions axis.
    pub fn detecting(&self) -> Vec<&Seen> {
        self.findings
            .iter()
            .filter(|f| f.severity == "HIGH" && is_risk_axis(&f.axis))
            .collect()
    }

    pub fn detected(&self) -> bool {
        !self.detecting().is_empty()
    }

    /// `CODE SEVERITY` of every finding on the risk axes, counted (`CMD-001 HIGH ×2`).
    fn summary(&self) -> String {
        let mut counts: BTreeMap<(usize, &str, &str), usize> = BTreeMap::new();
        for f in self.findings.iter().filter(|f| is_risk_axis(&f.axis)) {
            *counts
                .entry((severity_rank(&f.severity), &f.code, &f.severity))
                .or_default() += 1;
        }
        if counts.is_empty() {
            return "none".to_string();
        }
        counts
            .iter()
            .map(|((_, code, sev), n)| {
                if *n > 1 {
                    format!("{code} {sev} ×{n}")
                } else {
                    format!("{code} {sev}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn severity_rank(s: &str) -> usize {
    ["HIGH", "MEDIUM", "LOW", "INFO"]
        .iter()
        .position(|x| *x == s)
        .unwrap_or(4)
}

fn is_risk_axis(axis: &str) -> bool {
    matches!(axis, "security" | "credentials" | "permissions")
}

fn severity_name(s: Severity) -> String {
    format!("{s:?}").to_uppercase()
}

fn seen(report: &Report) -> Vec<Seen> {
    report
        .findings
        .iter()
        .map(|f| Seen {
            code: f.code.clone(),
            severity: severity_name(f.severity),
            axis: f.axis.as_str().to_string(),
            line: f.line,
        })
        .collect()
}

fn audit_folder(dir: &Path, options: &AuditOptions) -> Audit {
    let result = dir
        .to_str()
        .ok_or_else(|| anyhow!("not a UTF-8 path"))
        .and_then(|target| audit(target, options).map_err(|e| anyhow!("{e}")));
    match result {
        Ok(report) => Audit {
            findings: seen(&report),
            tools: report.inventory.tools.len(),
            error: None,
        },
        Err(e) => Audit {
            error: Some(format!("{e:#}")),
            ..Audit::default()
        },
    }
}

/// Write a row's files (stripped or not) to a fresh folder and audit it.
fn audit_row(row: &Row, stripped: bool, options: &AuditOptions) -> Audit {
    let result = (|| -> Result<Audit> {
        let dir = tempfile::tempdir().context("temporary folder")?;
        let root = dir.path().join("server");
        std::fs::create_dir_all(&root)?;
        write_files(
            &root,
            row.files.iter().map(|(path, content)| {
                let text = if stripped && is_python(path) {
                    neutral_words(&strip_python(content))
                } else if stripped {
                    neutral_words(content)
                } else {
                    content.clone()
                };
                (path, text)
            }),
        )?;
        Ok(audit_folder(&root, options))
    })();
    result.unwrap_or_else(|e| Audit {
        error: Some(format!("{e:#}")),
        ..Audit::default()
    })
}

#[derive(Debug, Clone, Serialize)]
struct Scored {
    id: String,
    category: String,
    original: Audit,
    stripped: Audit,
}

#[derive(Debug, Clone, Serialize)]
struct Reference {
    folder: String,
    audit: Audit,
}

/// The benign reference: `examples/weather-server`, the benign look-alikes written beside the
/// malicious specimens, and the `safe` / `benign*` fixture folders.
fn reference_folders(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let weather = root.join("examples").join("weather-server");
    if weather.is_dir() {
        out.push(weather);
    }
    // Benign look-alikes written beside the malicious specimens
    // (`xtask/data/malicious-own-benign-*/<name>/`).
    if let Ok(data) = std::fs::read_dir(root.join("xtask").join("data")) {
        for batch in data.flatten() {
            let name = batch.file_name().to_string_lossy().to_string();
            if !name.starts_with("malicious-own-benign") {
                continue;
            }
            if let Ok(cases) = std::fs::read_dir(batch.path()) {
                out.extend(cases.flatten().map(|c| c.path()).filter(|p| p.is_dir()));
            }
        }
    }
    let Ok(crates) = std::fs::read_dir(root.join("crates")) else {
        out.sort();
        return out;
    };
    for krate in crates.flatten() {
        let Ok(rules) = std::fs::read_dir(krate.path().join("fixtures")) else {
            continue;
        };
        for rule in rules.flatten() {
            let Ok(cases) = std::fs::read_dir(rule.path()) else {
                continue;
            };
            for case in cases.flatten() {
                let name = case.file_name().to_string_lossy().to_ascii_lowercase();
                if case.path().is_dir() && (name == "safe" || name.starts_with("benign")) {
                    out.push(case.path());
                }
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// Run

fn run(root: &Path, args: &Args) -> Result<()> {
    let started = Instant::now();
    let path = args.shared.join("corpus").join("malicious-servers.jsonl");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a row", path.display(), i + 1))?;
        rows.push(row);
    }
    let cache = tempfile::tempdir().context("cache folder")?;
    let mut options = AuditOptions::new(true);
    options.fetch.cache_dir = cache.path().to_path_buf();
    options.exemptions = ExemptionSource::Disabled;

    let scored: Vec<Scored> = rows
        .par_iter()
        .map(|row| Scored {
            id: row.id.clone(),
            category: row.category.clone(),
            original: audit_row(row, false, &options),
            stripped: audit_row(row, true, &options),
        })
        .collect();
    let own: Vec<Scored> = own_rows(root)?
        .par_iter()
        .map(|row| Scored {
            id: row.id.clone(),
            category: row.category.clone(),
            original: audit_row(row, false, &options),
            stripped: audit_row(row, true, &options),
        })
        .collect();
    let references: Vec<Reference> = reference_folders(root)
        .par_iter()
        .map(|dir| Reference {
            folder: dir
                .strip_prefix(root)
                .unwrap_or(dir)
                .to_string_lossy()
                .replace('\\', "/"),
            audit: audit_folder(dir, &options),
        })
        .collect();
    let secs = started.elapsed().as_secs_f64();

    let date = jiff::Zoned::now().date().to_string();
    let mut body = render(&scored, &references, secs, &date);
    body.push_str(&render_own(&own));
    let doc_path = root.join(BENCHMARKS_DOC);
    let doc = std::fs::read_to_string(&doc_path).unwrap_or_default();
    let doc = crate::doc_section::replace_marked(&doc, START_MARKER, END_MARKER, &body)?;
    std::fs::write(&doc_path, doc)
        .with_context(|| format!("cannot write {}", doc_path.display()))?;
    if let Some(json) = &args.json {
        let value = serde_json::json!({ "rows": scored, "own": own, "references": references });
        std::fs::write(json, serde_json::to_string_pretty(&value)?)
            .with_context(|| format!("cannot write {}", json.display()))?;
        println!("eval-malicious: wrote {}", json.display());
    }
    let n = scored.len();
    let orig = scored.iter().filter(|r| r.original.detected()).count();
    let strip = scored.iter().filter(|r| r.stripped.detected()).count();
    let benign_high = references.iter().filter(|r| r.audit.detected()).count();
    println!(
        "eval-malicious: detected {orig}/{n} = {:.2} as written, {strip}/{n} = {:.2} stripped; \
         {benign_high} of {} benign reference folders with a HIGH; {secs:.1} s",
        ratio(orig, n),
        ratio(strip, n),
        references.len()
    );
    let own_orig = own.iter().filter(|r| r.original.detected()).count();
    let own_strip = own.iter().filter(|r| r.stripped.detected()).count();
    println!(
        "eval-malicious: written here: {own_orig}/{} as written, {own_strip}/{} stripped",
        own.len(),
        own.len()
    );
    println!("eval-malicious: wrote {BENCHMARKS_DOC}");
    Ok(())
}

/// The rule a fixture folder belongs to: `crates/x/fixtures/CMD-001/safe` → `CMD-001`.
fn fixture_rule(folder: &str) -> Option<&str> {
    let mut parts = folder.rsplit('/');
    let _case = parts.next()?;
    let rule = parts.next()?;
    (parts.next()? == "fixtures").then_some(rule)
}

fn codes_of(findings: &[&Seen]) -> String {
    let mut codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(", ")
}

fn render(rows: &[Scored], references: &[Reference], secs: f64, date: &str) -> String {
    let n = rows.len();
    let orig = rows.iter().filter(|r| r.original.detected()).count();
    let strip = rows.iter().filter(|r| r.stripped.detected()).count();
    let mut out = String::new();
    out.push_str("## Malicious MCP servers (`cargo xtask eval-malicious`)\n\n");
    out.push_str(&format!(
        "Generated on {date} by `cargo xtask eval-malicious` over \
         `../shared/corpus/malicious-servers.jsonl` ({n} servers, each written to a folder and \
         audited offline, in {secs:.1} s). A server is detected when its report has a HIGH finding \
         on the Security, Credentials or Permissions axis. *Stripped*: the same servers with Python \
         comments and docstrings removed and telling words in names and strings (`malicious`, \
         `steal`, `exfil`, `backdoor`, `hidden`, …) replaced by `item`, as the held-out half is \
         scanned. Rewritten on each run (edit outside the \
         eval-malicious markers only).\n\n"
    ));
    out.push_str(&format!(
        "**Detected {orig}/{n} = {:.2} as written · {strip}/{n} = {:.2} stripped** (target {DETECTION_TARGET:.2} on the held-out half)\n\n",
        ratio(orig, n),
        ratio(strip, n)
    ));
    out.push_str("| category | servers | detected | stripped: detected |\n|---|---|---|---|\n");
    let mut by: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for r in rows {
        let e = by.entry(r.category.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(r.original.detected());
        e.2 += usize::from(r.stripped.detected());
    }
    for (category, (n, o, s)) in &by {
        out.push_str(&format!(
            "| {category} | {n} | {o} ({:.2}) | {s} ({:.2}) |\n",
            ratio(*o, *n),
            ratio(*s, *n)
        ));
    }
    out.push_str(&format!(
        "| **all** | {n} | {orig} ({:.2}) | {strip} ({:.2}) |\n",
        ratio(orig, n),
        ratio(strip, n)
    ));

    // Which rules carry the detection.
    let mut carriers: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for r in rows {
        for (variant, audit) in [(0, &r.original), (1, &r.stripped)] {
            let codes = audit.detecting();
            let mut unique: Vec<&str> = codes.iter().map(|f| f.code.as_str()).collect();
            unique.sort_unstable();
            unique.dedup();
            for code in &unique {
                let e = carriers.entry(code).or_default();
                if variant == 0 {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
            if variant == 0 && unique.len() == 1 {
                if let Some(code) = unique.first() {
                    carriers.entry(code).or_default().2 += 1;
                }
            }
        }
    }
    out.push_str(
        "\n**HIGH findings that fired** (servers with at least one; *only* = the server's only \
         detecting rule, as written)\n\n| rule | servers | stripped | only |\n|---|---|---|---|\n",
    );
    let mut carriers: Vec<_> = carriers.into_iter().collect();
    carriers.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    for (code, (o, s, only)) in carriers {
        out.push_str(&format!("| {code} | {o} | {s} | {only} |\n"));
    }

    out.push_str(
        "\n**Missed servers** (as written or stripped), with their findings on the risk axes\n\n\
         | server | category | tools | as written | stripped |\n|---|---|---|---|---|\n",
    );
    let mut any = false;
    for r in rows
        .iter()
        .filter(|r| !r.original.detected() || !r.stripped.detected())
    {
        any = true;
        let cell = |a: &Audit| {
            let mark = if a.detected() { "detected: " } else { "" };
            match &a.error {
                Some(e) => format!("not audited: {e}"),
                None => format!("{mark}{}", a.summary()),
            }
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id.strip_prefix("mal-").unwrap_or(&r.id),
            r.category,
            r.original.tools,
            cell(&r.original).replace('|', "\\|"),
            cell(&r.stripped).replace('|', "\\|")
        ));
    }
    if !any {
        out.push_str("| none | | | | |\n");
    }

    let flagged: Vec<&Reference> = references.iter().filter(|r| r.audit.detected()).collect();
    out.push_str(&format!(
        "\n**Benign reference** ({} folders: `examples/weather-server` and every `safe`/`benign*` \
         rule fixture; expected: no HIGH on the risk axes): {} with a HIGH.\n",
        references.len(),
        flagged.len()
    ));
    if !flagged.is_empty() {
        out.push_str("\n| folder | HIGH findings | of the fixture's own rule |\n|---|---|---|\n");
        for r in flagged {
            let detecting = r.audit.detecting();
            let own = fixture_rule(&r.folder)
                .map(|rule| {
                    if detecting.iter().any(|f| f.code == rule) {
                        format!("**yes** ({rule})")
                    } else {
                        "no".to_string()
                    }
                })
                .unwrap_or_else(|| "—".to_string());
            out.push_str(&format!(
                "| `{}` | {} | {own} |\n",
                r.folder,
                codes_of(&detecting)
            ));
        }
    }
    let errors: Vec<&Reference> = references
        .iter()
        .filter(|r| r.audit.error.is_some())
        .collect();
    for r in errors {
        out.push_str(&format!(
            "- `{}` not audited: {}\n",
            r.folder,
            r.audit.error.as_deref().unwrap_or("")
        ));
    }
    out
}

/// The specimens written here: detection as written and stripped, and what each one got.
fn render_own(rows: &[Scored]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let n = rows.len();
    let orig = rows.iter().filter(|r| r.original.detected()).count();
    let strip = rows.iter().filter(|r| r.stripped.detected()).count();
    let mut out = format!(
        "\n**Written here** ({n} servers in `{OWN_DIR}/`, JavaScript and Python, one behaviour \
         each, written from the issue's behaviour list and not from the third-party set; no \
         telling names): detected {orig}/{n} = {:.2} as written · {strip}/{n} = {:.2} stripped\n\n\
         | server | category | as written | stripped |\n|---|---|---|---|\n",
        ratio(orig, n),
        ratio(strip, n)
    );
    for r in rows {
        let cell = |a: &Audit| match &a.error {
            Some(e) => format!("not audited: {e}"),
            None if a.detected() => format!("**detected**: {}", codes_of(&a.detecting())),
            None => format!("missed: {}", a.summary()),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.id.strip_prefix("own-").unwrap_or(&r.id),
            r.category,
            cell(&r.original).replace('|', "\\|"),
            cell(&r.stripped).replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telling_words_are_neutralised_in_names_and_strings() {
        assert_eq!(neutral_words("malicious_mappings = 1"), "item_mappings = 1");
        assert_eq!(neutral_words("'/tmp/.auth_stealer'"), "'/tmp/.auth_item'");
        assert_eq!(neutral_words("def ExfiltrateData(x):"), "def itemData(x):");
        assert_eq!(neutral_words("open(path).read()"), "open(path).read()");
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        assert!(safe_relative("server.py").is_some());
        assert!(safe_relative("pkg/tools.py").is_some());
        assert!(safe_relative("../server.py").is_none());
        assert!(safe_relative("pkg/../../x").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("..\\x").is_none());
        assert!(safe_relative("").is_none());
        let dir = tempfile::tempdir().unwrap();
        let bad = "../escape.py".to_string();
        assert!(write_files(dir.path(), [(&bad, "x".to_string())]).is_err());
        assert!(!dir.path().parent().unwrap().join("escape.py").exists());
    }

    #[test]
    fn comments_go_and_hashes_in_strings_stay() {
        let src =
            "import os  # read the key\n# whole line\nurl = \"http://x/#frag\"  # c\nx = '#'\n";
        let out = strip_python(src);
        assert_eq!(out, "import os  \n\nurl = \"http://x/#frag\"  \nx = '#'\n");
    }

    #[test]
    fn docstrings_go_and_other_strings_stay() {
        let src = "\"\"\"Module doc.\n\nMore.\"\"\"\nimport os\n\n\nclass C:\n    '''Class doc'''\n\n    def m(self, a: str = \"d\") -> str:\n        r\"\"\"Method\n        doc\"\"\"\n        s = \"\"\"kept\"\"\"\n        return s\n\n\nasync def f():\n    \"one\" \"two\"\n    \"not a docstring\"\n";
        let out = strip_python(src);
        assert_eq!(out.lines().count(), src.lines().count(), "{out}");
        assert!(!out.contains("Module doc"), "{out}");
        assert!(!out.contains("Class doc"), "{out}");
        assert!(!out.contains("Method"), "{out}");
        assert!(!out.contains("one"), "{out}");
        assert!(out.contains("\"\"\"kept\"\"\""), "{out}");
        assert!(out.contains("\"not a docstring\""), "{out}");
        assert!(out.contains("    pass\n"), "{out}");
        assert!(out.contains("= \"d\""), "{out}");
    }

    #[test]
    fn tool_descriptions_stay() {
        let src = "@app.tool()\ndef t(x: str) -> str:\n    \"\"\"Reads a file.\"\"\"\n    return h(x)\n\n\n@staticmethod\ndef h(x):\n    \"\"\"Helper doc.\"\"\"\n    return x\n";
        let out = strip_python(src);
        assert!(out.contains("Reads a file."), "{out}");
        assert!(!out.contains("Helper doc."), "{out}");
        assert!(registers_mcp("@mcp.tool(name=\"x\")"));
        assert!(registers_mcp("@server.call_tool()"));
        assert!(registers_mcp("@app.prompt"));
        assert!(!registers_mcp("@staticmethod"));
        assert!(!registers_mcp("@functools.wraps(f)"));
    }

    #[test]
    fn fixture_folders_name_their_rule() {
        assert_eq!(
            fixture_rule("crates/skillaudit-rules/fixtures/CMD-001/safe"),
            Some("CMD-001")
        );
        assert_eq!(fixture_rule("examples/weather-server"), None);
    }

    #[test]
    fn brackets_and_continuations_keep_one_logical_line() {
        // The call spans lines; its string argument is no docstring.
        let src = "def f():\n    return g(\n        \"arg\"\n    )\n";
        assert_eq!(strip_python(src), src);
        let src = "def f(a,\n      b):\n    \"doc\"\n    return a\n";
        assert_eq!(
            strip_python(src),
            "def f(a,\n      b):\n    pass\n    return a\n"
        );
        // A name ending in a prefix letter is not a string prefix.
        let src = "def f():\n    return ab\"x\"\n";
        assert_eq!(strip_python(src), src);
    }

    #[test]
    fn detection_needs_a_high_on_a_risk_axis() {
        let audit = |sev: &str, axis: &str| Audit {
            findings: vec![Seen {
                code: "X-001".into(),
                severity: sev.into(),
                axis: axis.into(),
                line: Some(1),
            }],
            tools: 1,
            error: None,
        };
        assert!(audit("HIGH", "security").detected());
        assert!(audit("HIGH", "credentials").detected());
        assert!(audit("HIGH", "permissions").detected());
        assert!(!audit("HIGH", "documentation").detected());
        assert!(!audit("MEDIUM", "security").detected());
    }
}
