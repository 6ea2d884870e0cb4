//! `cargo xtask eval-grades`: audit a fixed list of real, published MCP servers (online, the
//! downloads cached in the git-ignored `.grades-cache/`) and write the grade distribution, each
//! axis's distribution, the most frequent findings and — for the servers the seeds name with a
//! grade — their grade next to ours into docs/benchmarks.md between the eval-grades markers.
//! Nothing here tunes a number: the servers are only measured.

use anyhow::{Context, Result};
use rayon::prelude::*;
use skillaudit_core::scoring::METHODOLOGY_VERSION;
use skillaudit_core::{Axis, Grade, Report, Severity, ENGINE_VERSION};
use skillaudit_engine::{audit, AuditOptions};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

pub const START_MARKER: &str = "<!-- eval-grades:start -->";
pub const END_MARKER: &str = "<!-- eval-grades:end -->";
const BENCHMARKS_DOC: &str = "docs/benchmarks.md";
const CACHE: &str = ".grades-cache";

/// Real servers: MCP reference servers and vendor and community servers from npm and PyPI,
/// with the grade the seeds' write-ups give the same server, when they name it.
pub const TARGETS: &[(&str, Option<&str>)] = &[
    ("npm:@modelcontextprotocol/server-filesystem@2025.7.1", None),
    ("npm:@modelcontextprotocol/server-github@latest", None),
    ("npm:@modelcontextprotocol/server-memory@latest", None),
    ("npm:@modelcontextprotocol/server-everything@latest", None),
    ("npm:@modelcontextprotocol/server-puppeteer@latest", None),
    ("npm:@modelcontextprotocol/server-slack@latest", None),
    ("npm:@modelcontextprotocol/server-gdrive@latest", None),
    ("npm:@modelcontextprotocol/server-postgres@latest", None),
    ("npm:@modelcontextprotocol/server-gitlab@latest", None),
    ("npm:@modelcontextprotocol/server-google-maps@latest", None),
    ("npm:@modelcontextprotocol/server-brave-search@latest", None),
    (
        "npm:@modelcontextprotocol/server-sequential-thinking@latest",
        None,
    ),
    ("npm:@notionhq/notion-mcp-server@latest", None),
    ("npm:@playwright/mcp@latest", Some("A")),
    ("npm:mcp-server-kubernetes@latest", None),
    ("npm:firecrawl-mcp@latest", Some("A")),
    ("npm:@upstash/context7-mcp@latest", None),
    ("npm:exa-mcp-server@latest", Some("A")),
    ("npm:@sentry/mcp-server@latest", Some("F")),
    ("npm:@stripe/mcp@latest", Some("F")),
    ("npm:@supabase/mcp-server-supabase@latest", None),
    ("npm:@heroku/mcp-server@latest", Some("F")),
    ("npm:mongodb-mcp-server@latest", Some("F")),
    ("npm:@browserbasehq/mcp-server-browserbase@latest", None),
    ("npm:@hubspot/mcp-server@latest", None),
    ("npm:@cloudflare/mcp-server-cloudflare@latest", Some("F")),
    ("npm:@gongrzhe/server-gmail-autoauth-mcp@latest", None),
    ("npm:@azure-devops/mcp@latest", None),
    ("npm:@atlassian-dc-mcp/jira@latest", None),
    ("npm:@shopify/dev-mcp@latest", None),
    ("pypi:mcp-server-fetch==2026.10.24", None),
    ("pypi:mcp-server-git==2026.1.14", None),
    ("pypi:mcp-server-time==2026.10.19", None),
    ("pypi:mcp-server-qdrant==0.8.1", Some("A")),
];

fn letter_value(g: &str) -> f64 {
    match g {
        "A" => 4.0,
        "B" => 3.0,
        "C" => 2.0,
        "D" => 1.0,
        _ => 0.0,
    }
}

/// Entry point of `cargo xtask eval-grades` (no arguments).
pub fn main(root: &Path, _args: &[String]) -> ExitCode {
    match run(root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("eval-grades: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(root: &Path) -> Result<()> {
    let mut options = AuditOptions::new(false);
    options.fetch.cache_dir = root.join(CACHE);
    println!("eval-grades: auditing {} real servers", TARGETS.len());
    let results: Vec<(&str, Option<&str>, Result<Report, String>)> = TARGETS
        .par_iter()
        .map(|(target, seed)| {
            (
                *target,
                *seed,
                audit(target, &options).map_err(|e| format!("{e:#}")),
            )
        })
        .collect();
    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let body = render(&date, &results);
    let path = root.join(BENCHMARKS_DOC);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let updated = crate::doc_section::replace_marked(&current, START_MARKER, END_MARKER, &body)?;
    std::fs::write(&path, updated).with_context(|| format!("cannot write {BENCHMARKS_DOC}"))?;
    println!("eval-grades: wrote {BENCHMARKS_DOC}");
    Ok(())
}

fn render(date: &str, results: &[(&str, Option<&str>, Result<Report, String>)]) -> String {
    let reports: Vec<(&str, Option<&str>, &Report)> = results
        .iter()
        .filter_map(|(t, s, r)| r.as_ref().ok().map(|r| (*t, *s, r)))
        .collect();
    let mut out = format!(
        "## Grades on real servers (`cargo xtask eval-grades`)\n\nGenerated on {date} by `cargo xtask eval-grades`, engine {ENGINE_VERSION}, methodology {METHODOLOGY_VERSION}; {} of {} servers audited (online, downloads cached in `{CACHE}/`); rewritten on each run.\n\n",
        reports.len(),
        results.len()
    );
    // Grade distribution, overall and per axis.
    out.push_str("| | A | B | C | D | F |\n|---|---|---|---|---|---|\n");
    let mut row = |label: &str, grades: Vec<Grade>| {
        let counts: Vec<String> = Grade::ALL
            .iter()
            .map(|g| grades.iter().filter(|x| *x == g).count().to_string())
            .collect();
        out.push_str(&format!("| {label} | {} |\n", counts.join(" | ")));
    };
    row(
        "**overall**",
        reports.iter().map(|(_, _, r)| r.grade).collect(),
    );
    for axis in Axis::ALL {
        row(
            axis.as_str(),
            reports
                .iter()
                .map(|(_, _, r)| r.axes.get(axis).grade)
                .collect(),
        );
    }
    // Most frequent findings (MEDIUM or higher), by rule.
    let mut by_code: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, _, r) in &reports {
        let mut seen = std::collections::BTreeSet::new();
        for f in r
            .findings
            .iter()
            .filter(|f| matches!(f.severity, Severity::High | Severity::Medium))
        {
            let e = by_code.entry(f.code.as_str()).or_default();
            e.0 += 1;
            if seen.insert(f.code.as_str()) {
                e.1 += 1;
            }
        }
    }
    let mut frequent: Vec<_> = by_code.into_iter().collect();
    frequent.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(b.1 .0.cmp(&a.1 .0)));
    out.push_str("\nMost frequent findings of severity MEDIUM or higher:\n\n| rule | servers | findings |\n|---|---|---|\n");
    for (code, (n, servers)) in frequent.iter().take(12) {
        out.push_str(&format!("| {code} | {servers} | {n} |\n"));
    }
    // Every server.
    out.push_str("\n| server | grade | score | security | credentials | permissions | maintenance | compatibility | documentation | seeds' grade |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (target, seed, result) in results {
        match result {
            Ok(r) => {
                let axes: Vec<String> = Axis::ALL
                    .iter()
                    .map(|a| {
                        let s = r.axes.get(*a);
                        format!("{} {}", s.grade.as_str(), s.score)
                    })
                    .collect();
                out.push_str(&format!(
                    "| `{}@{}` | **{}** | {} | {} | {} |\n",
                    r.target.name,
                    r.target.version.as_deref().unwrap_or("?"),
                    r.grade.as_str(),
                    r.score,
                    axes.join(" | "),
                    seed.unwrap_or("—")
                ));
            }
            Err(e) => out.push_str(&format!(
                "| `{target}` | audit failed: {} | | | | | | | | {} |\n",
                e.replace('|', "\\|").chars().take(80).collect::<String>(),
                seed.unwrap_or("—")
            )),
        }
    }
    // The seeds' grade groups against ours.
    let group = |letter: &str| {
        let ours: Vec<f64> = reports
            .iter()
            .filter(|(_, s, _)| *s == Some(letter))
            .map(|(_, _, r)| letter_value(r.grade.as_str()))
            .collect();
        let mean = if ours.is_empty() {
            0.0
        } else {
            ours.iter().sum::<f64>() / ours.len() as f64
        };
        (ours.len(), mean)
    };
    let (na, a) = group("A");
    let (nf, f) = group("F");
    out.push_str(&format!(
        "\nServers the seeds grade A ({na}): our mean letter {a:.2} (A = 4 … F = 0); servers the seeds grade F ({nf}): {f:.2}; difference {:.2} letters (target: at least 1.5).\n",
        a - f
    ));
    out
}
