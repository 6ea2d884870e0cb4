//! `cargo xtask eval-benign`: audit a fixed list of benign reference MCP servers straight from
//! their registries (online, with the CLI's defaults) and write what the engine reports into
//! docs/benchmarks.md between the eval-benign markers.
//!
//! These servers have no known vulnerability, so the expectation is no HIGH finding: any HIGH is
//! either a false positive to fix or a real issue to explain next to the table. Nothing here
//! knows about a particular package, path or line: the servers are only measured.

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use skillaudit_core::scoring::METHODOLOGY_VERSION;
use skillaudit_core::{Axis, Finding, Report, Severity, ENGINE_VERSION};
use skillaudit_engine::{audit, AuditOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub const START_MARKER: &str = "<!-- eval-benign:start -->";
pub const END_MARKER: &str = "<!-- eval-benign:end -->";
const BENCHMARKS_DOC: &str = "docs/benchmarks.md";

/// Benign reference servers named by the security-engine issue, as the engine takes targets
/// (`npm:NAME@VERSION`, `pypi:NAME==VERSION`).
pub const TARGETS: [&str; 6] = [
    "npm:@modelcontextprotocol/server-memory@2026.8.31",
    "npm:@modelcontextprotocol/server-sequential-thinking@2026.8.31",
    "npm:@upstash/context7-mcp@4.1.1",
    "npm:exa-mcp-server@3.4.1",
    "pypi:mcp-server-time==2026.10.19",
    "pypi:mcp-server-qdrant==0.8.1",
];

const USAGE: &str = "usage: cargo xtask eval-benign [--check] [--json FILE]";

const HELP: &str = "\
Audit the benign reference MCP servers from npm and PyPI (online, the CLI's defaults) and report
grade, findings by severity and the security findings of severity MEDIUM or higher.

  --check       exit 1 when any HIGH finding exists
  --json FILE   also write the raw per-target results (with each full report) as JSON

Writes the results into docs/benchmarks.md between the eval-benign markers.
Exit codes: 0 done, 1 a HIGH finding exists (--check), 2 an audit failed or the evaluation
could not run (the table is still written when only audits failed).";

// ---------------------------------------------------------------------------------------------
// Command line

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Args {
    check: bool,
    json: Option<PathBuf>,
}

/// `Ok(None)` means `--help` was asked for.
fn parse_args(args: &[String]) -> Result<Option<Args>> {
    let mut parsed = Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--json" => {
                let text = match inline {
                    Some(text) => text,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| anyhow!("--json needs a value"))?,
                };
                if text.is_empty() {
                    bail!("--json needs a non-empty value");
                }
                parsed.json = Some(PathBuf::from(text));
            }
            "--check" if inline.is_none() => parsed.check = true,
            "-h" | "--help" => return Ok(None),
            _ => bail!("unknown argument `{arg}`"),
        }
    }
    Ok(Some(parsed))
}

/// Entry point of `cargo xtask eval-benign ARGS…` (`args` without the subcommand).
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let args = match parse_args(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}\n\n{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("eval-benign: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(root, &args) {
        Ok(outcome) => {
            if outcome.failed > 0 {
                eprintln!(
                    "eval-benign: {} of {} audit(s) failed",
                    outcome.failed,
                    TARGETS.len()
                );
                return ExitCode::from(2);
            }
            if args.check && outcome.high > 0 {
                eprintln!(
                    "eval-benign: {} HIGH finding(s) on benign servers",
                    outcome.high
                );
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("eval-benign: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Results

/// One audited target: the report, or why there is none.
#[derive(Debug, Clone)]
pub struct Audited {
    pub target: String,
    pub seconds: f64,
    pub result: std::result::Result<Report, String>,
}

/// Findings per severity, in the order HIGH, MEDIUM, LOW, INFO.
pub fn severity_counts(report: &Report) -> [usize; 4] {
    let mut counts = [0; 4];
    for finding in &report.findings {
        if let Some(at) = Severity::ALL.iter().position(|s| *s == finding.severity) {
            counts[at] += 1;
        }
    }
    counts
}

/// Security-axis findings of severity MEDIUM or higher, in report order.
pub fn flagged(report: &Report) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| {
            f.axis == Axis::Security && matches!(f.severity, Severity::High | Severity::Medium)
        })
        .collect()
}

/// `CODE SEVERITY file:line` (without the parts the finding does not have).
pub fn finding_label(f: &Finding) -> String {
    let place = match (&f.file, f.line) {
        (Some(file), Some(line)) => format!(" {file}:{line}"),
        (Some(file), None) => format!(" {file}"),
        (None, _) => String::new(),
    };
    format!("{} {}{place}", f.code, f.severity.as_str())
}

fn high_count(results: &[Audited]) -> usize {
    results
        .iter()
        .filter_map(|a| a.result.as_ref().ok())
        .map(|report| severity_counts(report)[0])
        .sum()
}

#[derive(Serialize)]
struct SeverityCounts {
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

/// What the JSON shows of one target.
#[derive(Serialize)]
struct TargetJson<'a> {
    target: &'a str,
    seconds: f64,
    error: Option<&'a str>,
    grade: Option<&'static str>,
    score: Option<u32>,
    complete: Option<bool>,
    findings_by_severity: Option<SeverityCounts>,
    security_medium_or_higher: Vec<String>,
    report: Option<&'a Report>,
}

impl<'a> From<&'a Audited> for TargetJson<'a> {
    fn from(a: &'a Audited) -> Self {
        let report = a.result.as_ref().ok();
        TargetJson {
            target: &a.target,
            seconds: a.seconds,
            error: a.result.as_ref().err().map(String::as_str),
            grade: report.map(|r| r.grade.as_str()),
            score: report.map(|r| r.score),
            complete: report.map(|r| r.complete),
            findings_by_severity: report.map(|r| {
                let [high, medium, low, info] = severity_counts(r);
                SeverityCounts {
                    high,
                    medium,
                    low,
                    info,
                }
            }),
            security_medium_or_higher: report
                .map(|r| flagged(r).into_iter().map(finding_label).collect())
                .unwrap_or_default(),
            report,
        }
    }
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    date: &'a str,
    engine_version: &'a str,
    methodology: &'a str,
    high_findings: usize,
    targets: Vec<TargetJson<'a>>,
}

// ---------------------------------------------------------------------------------------------
// Running the audits

/// What the run found: the exit code is decided from it.
struct Outcome {
    high: usize,
    failed: usize,
}

fn run(root: &Path, args: &Args) -> Result<Outcome> {
    // As `skillaudit scan` builds them for a registry target without --offline.
    let options = AuditOptions::new(false);
    println!(
        "eval-benign: auditing {} benign reference servers from their registries",
        TARGETS.len()
    );
    let results: Vec<Audited> = TARGETS
        .par_iter()
        .map(|target| {
            let started = Instant::now();
            let result = audit(target, &options).map_err(|err| format!("{err:#}"));
            Audited {
                target: (*target).to_string(),
                seconds: started.elapsed().as_secs_f64(),
                result,
            }
        })
        .collect();

    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let section = render_section(&date, ENGINE_VERSION, METHODOLOGY_VERSION, &results);
    let doc_path = root.join(BENCHMARKS_DOC);
    let current = match std::fs::read_to_string(&doc_path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {BENCHMARKS_DOC}")),
    };
    let updated = replace_section(&current, &section)
        .with_context(|| format!("cannot update {BENCHMARKS_DOC}"))?;
    std::fs::write(&doc_path, updated).with_context(|| format!("cannot write {BENCHMARKS_DOC}"))?;

    let high = high_count(&results);
    if let Some(json_path) = &args.json {
        let output = JsonOutput {
            date: &date,
            engine_version: ENGINE_VERSION,
            methodology: METHODOLOGY_VERSION,
            high_findings: high,
            targets: results.iter().map(TargetJson::from).collect(),
        };
        let text = serde_json::to_string_pretty(&output).context("cannot serialise results")?;
        std::fs::write(json_path, text + "\n")
            .with_context(|| format!("cannot write {}", json_path.display()))?;
    }

    print_summary(&results, high);
    println!("eval-benign: wrote {BENCHMARKS_DOC}");
    if let Some(json_path) = &args.json {
        println!("eval-benign: wrote {}", json_path.display());
    }
    Ok(Outcome {
        high,
        failed: results.iter().filter(|a| a.result.is_err()).count(),
    })
}

fn print_summary(results: &[Audited], high: usize) {
    for a in results {
        match &a.result {
            Ok(report) => {
                let [h, m, l, i] = severity_counts(report);
                println!(
                    "eval-benign: {} {} ({}{}): {h} HIGH, {m} MEDIUM, {l} LOW, {i} INFO in {:.1} s",
                    a.target,
                    report.grade.as_str(),
                    report.score,
                    if report.complete { "" } else { ", incomplete" },
                    a.seconds
                );
                for f in flagged(report) {
                    println!(
                        "eval-benign:     {}: {}",
                        finding_label(f),
                        shorten(&f.message, 110)
                    );
                }
            }
            Err(err) => println!("eval-benign: {} audit failed: {err}", a.target),
        }
    }
    println!("eval-benign: HIGH findings: {high}");
}

// ---------------------------------------------------------------------------------------------
// The docs/benchmarks.md section

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;")
}

/// Whitespace collapsed, cut to about `width` characters with an ellipsis.
fn shorten(text: &str, width: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= width {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// One table row: target, grade and score, findings by severity, security findings of
/// severity MEDIUM or higher, time.
pub fn render_row(a: &Audited) -> String {
    let target = format!("`{}`", cell(&a.target));
    let time = format!("{:.1} s", a.seconds);
    match &a.result {
        Ok(report) => {
            let [h, m, l, i] = severity_counts(report);
            let listed: Vec<String> = flagged(report)
                .into_iter()
                .map(|f| format!("`{}`", cell(&finding_label(f))))
                .collect();
            let listed = if listed.is_empty() {
                "—".to_string()
            } else {
                listed.join("<br>")
            };
            format!(
                "| {target} | {} ({}){} | {h} | {m} | {l} | {i} | {listed} | {time} |\n",
                report.grade.as_str(),
                report.score,
                if report.complete { "" } else { ", incomplete" }
            )
        }
        Err(err) => format!(
            "| {target} | **audit failed** | — | — | — | — | error: {} | {time} |\n",
            cell(&shorten(err, 200))
        ),
    }
}

fn render_section(date: &str, engine: &str, methodology: &str, results: &[Audited]) -> String {
    let mut out = String::new();
    out.push_str("## Benign reference servers (`cargo xtask eval-benign`)\n\n");
    out.push_str(&format!(
        "Generated on {date} by `cargo xtask eval-benign`, engine {engine}, methodology \
         {methodology}: each server is fetched from its registry and audited online with the \
         CLI's defaults (rewritten on each run, edit outside the eval-benign markers only); \
         expected: no HIGH finding; any HIGH is explained below the markers.\n\n"
    ));
    out.push_str(
        "| target | grade (score) | HIGH | MEDIUM | LOW | INFO | security findings, MEDIUM or \
         higher | time |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for a in results {
        out.push_str(&render_row(a));
    }
    out.push_str(&format!("\n**HIGH findings: {}**\n", high_count(results)));
    out
}

/// Put `body` between the eval-benign markers of `doc`, leaving the rest untouched; without
/// markers, append the marked section at the end.
pub fn replace_section(doc: &str, body: &str) -> Result<String> {
    crate::doc_section::replace_marked(doc, START_MARKER, END_MARKER, body)
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use skillaudit_core::fingerprint::fingerprint;
    use skillaudit_core::scoring::score_findings;
    use skillaudit_core::{Confidence, Dependencies, EngineInfo, Inventory, Surface, TargetInfo};

    fn finding(code: &str, axis: Axis, severity: Severity, file: Option<&str>) -> Finding {
        Finding {
            code: code.into(),
            axis,
            severity,
            confidence: Confidence::High,
            message: format!("{code} message"),
            file: file.map(str::to_string),
            line: file.map(|_| 12),
            column: Some(5),
            end_line: None,
            evidence: Some("evidence".into()),
            surface: Surface::Runtime,
            cwe: None,
            fingerprint: fingerprint(code, file, "evidence"),
            fix: None,
            help_uri: None,
            tool: None,
            exemption: None,
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        let card = score_findings(&findings);
        Report {
            schema_version: "1".into(),
            audit_id: "au_test".into(),
            target: TargetInfo::default(),
            repo: None,
            engine: EngineInfo {
                name: "skillaudit".into(),
                version: "0.0.0".into(),
                methodology: "1".into(),
            },
            scanned_at: String::new(),
            duration_ms: 0,
            grade: card.grade,
            score: card.score,
            axes: card.axes,
            complete: true,
            incomplete_reasons: Vec::new(),
            critical_findings: Vec::new(),
            findings,
            deductions: card.deductions,
            caps: card.caps,
            inventory: Inventory::default(),
            dependencies: Dependencies::default(),
            not_run: Vec::new(),
            exemptions: Vec::new(),
            badge_url: None,
            analysis: None,
            report_url: None,
        }
    }

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_are_parsed() {
        assert_eq!(parse_args(&[]).unwrap(), Some(Args::default()));
        let parsed = parse_args(&strings(&["--check", "--json", "/o.json"]))
            .unwrap()
            .unwrap();
        assert!(parsed.check);
        assert_eq!(parsed.json, Some(PathBuf::from("/o.json")));
        let inline = parse_args(&strings(&["--json=/p.json"])).unwrap().unwrap();
        assert!(!inline.check);
        assert_eq!(inline.json, Some(PathBuf::from("/p.json")));
        assert_eq!(parse_args(&strings(&["--help"])).unwrap(), None);
        assert_eq!(parse_args(&strings(&["--check", "-h"])).unwrap(), None);
        assert!(parse_args(&strings(&["--json"])).is_err());
        assert!(parse_args(&strings(&["--json="])).is_err());
        assert!(parse_args(&strings(&["--check=yes"])).is_err());
        assert!(parse_args(&strings(&["--bogus"])).is_err());
        assert!(parse_args(&strings(&["extra"])).is_err());
    }

    #[test]
    fn the_marked_section_is_inserted_when_missing() {
        assert_eq!(
            replace_section("# B\ntext", "new").unwrap(),
            "# B\ntext\n\n<!-- eval-benign:start -->\nnew\n<!-- eval-benign:end -->\n"
        );
        assert_eq!(
            replace_section("", "new\n").unwrap(),
            "<!-- eval-benign:start -->\nnew\n<!-- eval-benign:end -->\n"
        );
        let once = replace_section("# B\n", "x\n").unwrap();
        assert_eq!(replace_section(&once, "x\n").unwrap(), once);
    }

    #[test]
    fn the_marked_section_is_replaced_when_present() {
        let doc =
            "# B\n\nbefore\n<!-- eval-benign:start -->\nold\n<!-- eval-benign:end -->\nafter\n";
        assert_eq!(
            replace_section(doc, "new\n").unwrap(),
            "# B\n\nbefore\n<!-- eval-benign:start -->\nnew\n<!-- eval-benign:end -->\nafter\n"
        );
        assert!(replace_section("<!-- eval-benign:end -->\n", "x").is_err());
        assert!(replace_section("<!-- eval-benign:start -->\n", "x").is_err());
        assert!(replace_section(
            "<!-- eval-benign:end -->\n<!-- eval-benign:start -->\n",
            "x"
        )
        .is_err());
    }

    #[test]
    fn other_marker_blocks_are_left_alone() {
        let corpus = "<!-- eval-corpus:start -->\ncorpus table\n<!-- eval-corpus:end -->";
        let doc = format!("# B\n\n{corpus}\n");
        let appended = replace_section(&doc, "benign\n").unwrap();
        assert_eq!(
            appended,
            format!(
                "# B\n\n{corpus}\n\n<!-- eval-benign:start -->\nbenign\n<!-- eval-benign:end -->\n"
            )
        );
        let replaced = replace_section(&appended, "again\n").unwrap();
        assert!(replaced.starts_with(&doc));
        assert!(replaced.contains("again\n") && !replaced.contains("benign\n"));
        // A benign block before the corpus block: only the benign block changes.
        let before = format!(
            "<!-- eval-benign:start -->\nold\n<!-- eval-benign:end -->\n\n{corpus}\ntail\n"
        );
        assert_eq!(
            replace_section(&before, "new\n").unwrap(),
            format!(
                "<!-- eval-benign:start -->\nnew\n<!-- eval-benign:end -->\n\n{corpus}\ntail\n"
            )
        );
    }

    #[test]
    fn rows_show_grade_counts_and_security_findings() {
        let r = report(vec![
            finding("CMD-001", Axis::Security, Severity::High, Some("dist/a.js")),
            finding(
                "SSRF-002",
                Axis::Security,
                Severity::Medium,
                Some("src/s.py"),
            ),
            finding("PATH-001", Axis::Security, Severity::Low, Some("dist/a.js")),
            finding("MNT-003", Axis::Maintenance, Severity::Medium, None),
            finding("DOC-001", Axis::Documentation, Severity::Info, None),
            finding("NET-001", Axis::Security, Severity::Medium, None),
        ]);
        assert_eq!(severity_counts(&r), [1, 3, 1, 1]);
        let a = Audited {
            target: "npm:@s/p@1.0.0".into(),
            seconds: 2.345,
            result: Ok(r.clone()),
        };
        assert_eq!(
            render_row(&a),
            format!(
                "| `npm:@s/p@1.0.0` | {} ({}) | 1 | 3 | 1 | 1 | `CMD-001 HIGH dist/a.js:12`<br>\
                 `SSRF-002 MEDIUM src/s.py:12`<br>`NET-001 MEDIUM` | 2.3 s |\n",
                r.grade.as_str(),
                r.score
            )
        );
        assert_eq!(high_count(std::slice::from_ref(&a)), 1);

        let clean = Audited {
            target: "pypi:p==0.1".into(),
            seconds: 0.04,
            result: Ok(report(vec![finding(
                "DOC-001",
                Axis::Documentation,
                Severity::Low,
                None,
            )])),
        };
        let row = render_row(&clean);
        assert!(
            row.starts_with("| `pypi:p==0.1` | A (")
                && row.ends_with("| 0 | 0 | 1 | 0 | — | 0.0 s |\n")
        );

        let mut partial = report(Vec::new());
        partial.complete = false;
        let incomplete = Audited {
            target: "pypi:q==1".into(),
            seconds: 1.0,
            result: Ok(partial),
        };
        assert!(render_row(&incomplete).contains(", incomplete |"));
    }

    #[test]
    fn failed_audits_say_so_in_their_row() {
        let failed = Audited {
            target: "npm:gone@9.9.9".into(),
            seconds: 0.5,
            result: Err("npm: no version 9.9.9 | <gone>".into()),
        };
        assert_eq!(
            render_row(&failed),
            "| `npm:gone@9.9.9` | **audit failed** | — | — | — | — | error: npm: no version 9.9.9 \
             \\| &lt;gone> | 0.5 s |\n"
        );
        let section = render_section("2026-01-01", "0.1.0", "1", &[failed]);
        assert!(section.starts_with("## Benign reference servers (`cargo xtask eval-benign`)\n"));
        assert!(section.contains("expected: no HIGH finding; any HIGH is explained below"));
        assert!(section.ends_with("\n**HIGH findings: 0**\n"));
    }

    #[test]
    fn the_target_list_is_what_the_engine_parses() {
        for target in TARGETS {
            assert!(
                (target.starts_with("npm:") && target[4..].rfind('@').is_some_and(|at| at > 0))
                    || (target.starts_with("pypi:") && target.contains("==")),
                "{target}"
            );
        }
    }
}
