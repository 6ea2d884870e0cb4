//! `cargo xtask eval-reach`: audit the real, published MCP servers of `xtask/data/real-servers.txt`
//! (pinned versions, downloads cached in the git-ignored `.reach-cache/`) and write the
//! label-free reach figures of the analysis into docs/benchmarks.md between the eval-reach
//! markers: how many calls on data paths resolve and how, why the unresolved ones did not, what
//! became of every sink whose argument is not a constant, findings per thousand lines, and the
//! packages where the engine reaches least. Nothing here is labelled, so nothing can be fitted:
//! a sink missed because a call stayed unresolved is an engine bug whatever package it is in.
//!
//! `--json FILE` also writes every server's figures and its HIGH and MEDIUM runtime findings
//! (for reading by hand); `--offline` audits from the cache only.

use crate::flags;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use skillaudit_core::{AnalysisStats, Axis, Report, Severity, Surface, ENGINE_VERSION};
use skillaudit_engine::{audit, AuditOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub const START_MARKER: &str = "<!-- eval-reach:start -->";
pub const END_MARKER: &str = "<!-- eval-reach:end -->";
const BENCHMARKS_DOC: &str = "docs/benchmarks.md";
const LIST: &str = "xtask/data/real-servers.txt";
const CACHE: &str = ".reach-cache";
/// Calls on data paths below which a package's unresolved share says little.
const MIN_CALLS_FOR_RANKING: u32 = 20;

/// Entry point of `cargo xtask eval-reach [--list FILE] [--cache DIR] [--json FILE] [--offline]`.
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let usage =
        "usage: cargo xtask eval-reach [--list FILE] [--cache DIR] [--json FILE] [--offline]";
    let parsed = match flags::parse(args, &["--list", "--cache", "--json"], &["--offline"]) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            println!("{usage}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("eval-reach: {err}\n{usage}");
            return ExitCode::from(2);
        }
    };
    let value = |name: &str| {
        parsed
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.clone())
    };
    let config = Config {
        list: value("--list").unwrap_or_else(|| root.join(LIST)),
        cache: value("--cache").unwrap_or_else(|| root.join(CACHE)),
        json: value("--json"),
        offline: parsed.iter().any(|f| f.name == "--offline"),
    };
    match run(root, &config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("eval-reach: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

struct Config {
    list: PathBuf,
    cache: PathBuf,
    json: Option<PathBuf>,
    offline: bool,
}

/// One server's outcome, as written to `--json`.
#[derive(Debug, Serialize)]
struct ServerResult {
    target: String,
    ecosystem: &'static str,
    error: Option<String>,
    complete: bool,
    lines: u64,
    tools: usize,
    analysis: Option<AnalysisStats>,
    findings: Vec<FindingRow>,
}

#[derive(Debug, Serialize)]
struct FindingRow {
    code: String,
    severity: String,
    axis: String,
    location: String,
    tool: Option<String>,
    message: String,
}

/// The specs of the list file: one per line, `#` starts a comment.
fn read_list(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the server list {}", path.display()))?;
    let specs: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if specs.is_empty() {
        bail!("{} lists no servers", path.display());
    }
    Ok(specs)
}

fn run(root: &Path, config: &Config) -> Result<()> {
    let specs = read_list(&config.list)?;
    let mut options = AuditOptions::new(config.offline);
    options.fetch.cache_dir = config.cache.clone();
    println!(
        "eval-reach: auditing {} real servers{}",
        specs.len(),
        if config.offline { " (offline)" } else { "" }
    );
    let started = Instant::now();
    let results: Vec<ServerResult> = specs
        .par_iter()
        .map(|spec| server_result(spec, audit(spec, &options).map_err(|e| format!("{e:#}"))))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    if let Some(json) = &config.json {
        let text = serde_json::to_string_pretty(&results)?;
        std::fs::write(json, text).with_context(|| format!("cannot write {}", json.display()))?;
        println!("eval-reach: wrote {}", json.display());
    }
    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let body = render(&date, seconds, &results);
    let path = root.join(BENCHMARKS_DOC);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let updated = crate::doc_section::replace_marked(&current, START_MARKER, END_MARKER, &body)?;
    std::fs::write(&path, updated).with_context(|| format!("cannot write {BENCHMARKS_DOC}"))?;
    println!("eval-reach: wrote {BENCHMARKS_DOC}");
    Ok(())
}

fn server_result(spec: &str, result: Result<Report, String>) -> ServerResult {
    let ecosystem = if spec.starts_with("pypi:") {
        "pypi"
    } else {
        "npm"
    };
    match result {
        Err(error) => ServerResult {
            target: spec.to_string(),
            ecosystem,
            error: Some(error),
            complete: false,
            lines: 0,
            tools: 0,
            analysis: None,
            findings: Vec::new(),
        },
        Ok(report) => {
            let findings = report
                .findings
                .iter()
                .filter(|f| matches!(f.severity, Severity::High | Severity::Medium))
                .filter(|f| matches!(f.axis, Axis::Security | Axis::Credentials))
                // What users run: findings in tests, examples and maintainers' scripts are
                // graded apart and are not what this table measures.
                .filter(|f| f.surface == Surface::Runtime)
                .map(|f| FindingRow {
                    code: f.code.clone(),
                    severity: f.severity.as_str().to_string(),
                    axis: f.axis.as_str().to_string(),
                    location: format!(
                        "{}:{}",
                        f.file.as_deref().unwrap_or("-"),
                        f.line.unwrap_or(0)
                    ),
                    tool: f.tool.clone(),
                    message: f.message.clone(),
                })
                .collect();
            ServerResult {
                target: spec.to_string(),
                ecosystem,
                error: None,
                complete: report.complete,
                lines: code_lines(&report),
                tools: report.inventory.tools.len(),
                analysis: report.analysis.clone(),
                findings,
            }
        }
    }
}

/// Lines of the code the analysis reads, estimated from the inventory's bytes per language
/// (40 bytes a line, the median of the corpus's JavaScript and Python).
fn code_lines(report: &Report) -> u64 {
    report
        .inventory
        .languages
        .iter()
        .filter(|(lang, _)| {
            matches!(
                lang.as_str(),
                "javascript" | "typescript" | "python" | "JavaScript" | "TypeScript" | "Python"
            )
        })
        .map(|(_, s)| s.bytes / 40)
        .sum()
}

/// Sums of the figures over a group of servers.
#[derive(Default)]
struct Totals {
    servers: usize,
    files: u64,
    lines: u64,
    calls: u64,
    by_resolution: BTreeMap<String, u64>,
    by_reason: BTreeMap<String, u64>,
    sinks: u64,
    non_constant: u64,
    by_status: BTreeMap<String, u64>,
    high: u64,
    medium: u64,
}

impl Totals {
    fn of<'a>(results: impl Iterator<Item = &'a ServerResult>) -> Totals {
        let mut t = Totals::default();
        for r in results {
            let Some(a) = &r.analysis else { continue };
            t.servers += 1;
            t.files += u64::from(a.files_analysed);
            t.lines += r.lines;
            t.calls += u64::from(a.calls_on_data_paths);
            for (k, v) in &a.calls_by_resolution {
                *t.by_resolution.entry(k.clone()).or_default() += u64::from(*v);
            }
            for (k, v) in &a.unresolved_by_reason {
                *t.by_reason.entry(k.clone()).or_default() += u64::from(*v);
            }
            t.sinks += u64::from(a.sinks);
            t.non_constant += u64::from(a.sinks_non_constant);
            for (k, v) in &a.sinks_by_status {
                *t.by_status.entry(k.clone()).or_default() += u64::from(*v);
            }
            t.high += r.findings.iter().filter(|f| f.severity == "HIGH").count() as u64;
            t.medium += r.findings.iter().filter(|f| f.severity == "MEDIUM").count() as u64;
        }
        t
    }

    fn share(&self, key: &str) -> f64 {
        ratio(
            self.by_resolution.get(key).copied().unwrap_or(0),
            self.calls,
        )
    }

    fn status(&self, key: &str) -> u64 {
        self.by_status.get(key).copied().unwrap_or(0)
    }

    fn row(&self, label: &str) -> String {
        let per_kloc = |n: u64| {
            if self.lines == 0 {
                0.0
            } else {
                n as f64 * 1000.0 / self.lines as f64
            }
        };
        format!(
            "| {label} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | **{:.3}** | {} | {} | {} | {} | {:.2} | {:.2} |\n",
            self.servers,
            self.files,
            self.lines,
            self.calls,
            self.share("project"),
            self.share("name-fallback"),
            self.share("library") + self.share("builtin"),
            self.share("unresolved"),
            self.non_constant,
            self.status("reached"),
            self.status("guarded"),
            self.non_constant - self.status("reached") - self.status("guarded"),
            per_kloc(self.high),
            per_kloc(self.medium),
        )
    }
}

fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

fn render(date: &str, seconds: f64, results: &[ServerResult]) -> String {
    let audited = results.iter().filter(|r| r.analysis.is_some()).count();
    let mut out = format!(
        "## Reach on real servers (`cargo xtask eval-reach`)\n\nGenerated on {date} by `cargo xtask eval-reach`, engine {ENGINE_VERSION}: {audited} of {} real, published MCP servers audited ({LIST}, pinned versions, every one depending on an MCP SDK; downloads cached in `{CACHE}/`) in {seconds:.0} s. No labels: these figures cannot be fitted. *Calls* are calls on data paths (an argument or the receiver carries input or a parameter of a function on a path from an entry point); *unresolved* are those the engine could not bind to a function of the package, an imported API or a built-in. *Sinks* are dangerous-operation call sites whose argument is not a constant; *not reached* are those no input reaches (the reasons below). Lines are estimated from bytes (40 a line). Findings are HIGH and MEDIUM on the Security and Credentials axes, in runtime code (tests, examples and scripts apart). Rewritten on each run (edit outside the eval-reach markers only).\n\n",
        results.len()
    );
    out.push_str("| servers | n | files | lines | calls | project | name fallback | library / built-in | unresolved | sinks | reached | guarded | not reached | HIGH / kloc | MEDIUM / kloc |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    let all = Totals::of(results.iter());
    out.push_str(&all.row("**all**"));
    for eco in ["npm", "pypi"] {
        out.push_str(&Totals::of(results.iter().filter(|r| r.ecosystem == eco)).row(eco));
    }
    // Leave one ecosystem out is the only split without labels; the per-package spread below
    // shows whether a total is carried by a few packages.
    out.push_str("\nUnresolved calls by reason:\n\n| reason | calls | share of unresolved |\n|---|---|---|\n");
    let unresolved: u64 = all.by_reason.values().sum();
    for (reason, n) in &all.by_reason {
        out.push_str(&format!(
            "| {reason} | {n} | {:.2} |\n",
            ratio(*n, unresolved)
        ));
    }
    out.push_str("\nNon-constant sinks by what became of them:\n\n| status | sinks | share |\n|---|---|---|\n");
    for (status, n) in &all.by_status {
        if status == "constant" {
            continue;
        }
        out.push_str(&format!(
            "| {status} | {n} | {:.2} |\n",
            ratio(*n, all.non_constant)
        ));
    }
    // The packages where the engine resolves least.
    let mut worst: Vec<(&ServerResult, &AnalysisStats)> = results
        .iter()
        .filter_map(|r| r.analysis.as_ref().map(|a| (r, a)))
        .filter(|(_, a)| a.calls_on_data_paths >= MIN_CALLS_FOR_RANKING)
        .collect();
    worst.sort_by(|a, b| {
        b.1.unresolved_share
            .total_cmp(&a.1.unresolved_share)
            .then(a.0.target.cmp(&b.0.target))
    });
    let over = worst
        .iter()
        .filter(|(_, a)| a.unresolved_share >= 0.05)
        .count();
    out.push_str(&format!(
        "\nPackages with at least {MIN_CALLS_FOR_RANKING} calls on data paths: {}; unresolved share of 5 % or more: {over}. The ten worst, with their first unresolved calls:\n\n| package | calls | unresolved | first unresolved calls |\n|---|---|---|---|\n",
        worst.len()
    ));
    for (r, a) in worst.iter().take(10) {
        out.push_str(&format!(
            "| `{}` | {} | {:.3} | {} |\n",
            r.target,
            a.calls_on_data_paths,
            a.unresolved_share,
            examples(&a.unresolved_examples)
        ));
    }
    // Where non-constant sinks sit in functions no resolved call leads to.
    let mut no_caller: Vec<(&ServerResult, u32, &AnalysisStats)> = results
        .iter()
        .filter_map(|r| {
            r.analysis.as_ref().map(|a| {
                let n = a
                    .sinks_by_status
                    .iter()
                    .filter(|(k, _)| k.starts_with("no resolved call"))
                    .map(|(_, v)| *v)
                    .sum::<u32>();
                (r, n, a)
            })
        })
        .filter(|(_, n, _)| *n > 0)
        .collect();
    no_caller.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.target.cmp(&b.0.target)));
    out.push_str("\nPackages with the most non-constant sinks in functions no resolved call leads to:\n\n| package | such sinks | examples |\n|---|---|---|\n");
    for (r, n, a) in no_caller.iter().take(10) {
        out.push_str(&format!(
            "| `{}` | {n} | {} |\n",
            r.target,
            examples(&a.no_caller_examples)
        ));
    }
    let failed: Vec<&ServerResult> = results.iter().filter(|r| r.error.is_some()).collect();
    if !failed.is_empty() {
        out.push_str("\nNot audited:\n\n");
        for r in failed {
            let why: String = r
                .error
                .as_deref()
                .unwrap_or("")
                .replace('|', "\\|")
                .chars()
                .take(120)
                .collect();
            out.push_str(&format!("- `{}`: {why}\n", r.target));
        }
    }
    let incomplete = results
        .iter()
        .filter(|r| r.analysis.is_some() && !r.complete)
        .count();
    out.push_str(&format!(
        "\nReports marked incomplete (something skipped or not run, listed in each report): {incomplete} of {audited}.\n"
    ));
    out
}

/// At most three examples, escaped for a table cell.
fn examples(list: &[String]) -> String {
    let shown: Vec<String> = list
        .iter()
        .take(3)
        .map(|e| format!("`{}`", e.replace('|', "\\|").replace('`', "'")))
        .collect();
    if shown.is_empty() {
        "—".to_string()
    } else {
        shown.join("<br>")
    }
}
