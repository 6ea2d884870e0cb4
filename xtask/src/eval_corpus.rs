//! `cargo xtask eval-corpus`: measure detection against the advisory corpus of the shared folder
//! (`<shared>/corpus/cves.tsv`, one published vulnerable line per row).
//!
//! Every distinct vulnerable and fixed package version is audited once (offline, in parallel),
//! each row is scored exactly as `<shared>/corpus/README.md` defines it (hit, recall, fix seen),
//! and the results are written into docs/benchmarks.md between the eval-corpus markers.
//! Nothing here knows about a particular package, path or line: the corpus is only measured.

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use skillaudit_core::{Finding, Report};
use skillaudit_engine::{audit, AuditOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

pub const START_MARKER: &str = "<!-- eval-corpus:start -->";
pub const END_MARKER: &str = "<!-- eval-corpus:end -->";
/// A finding counts when it is at most this many lines from the sink.
const LINE_TOLERANCE: u32 = 3;
const RECALL_TARGET: f64 = 0.90;
const FIX_SEEN_TARGET: f64 = 0.80;
/// Finding messages are shortened to about this many characters in the table.
const MESSAGE_WIDTH: usize = 90;
const BENCHMARKS_DOC: &str = "docs/benchmarks.md";

const USAGE: &str = "usage: cargo xtask eval-corpus [--shared DIR] [--cache DIR] [--no-fetch] \
                     [--json FILE] [--check-targets]";

const HELP: &str = "\
Audit every package version of the advisory corpus and score detection (recall, fix seen).

  --shared DIR      the shared folder holding corpus/ (default: <workspace>/../shared)
  --cache DIR       where fetch.sh unpacks the versions (default: <workspace>/.corpus-cache)
  --no-fetch        do not run corpus/fetch.sh; use the cache as it is
  --json FILE       also write the raw per-row results as JSON
  --check-targets   exit 1 when recall < 0.90 or fix seen < 0.80

Writes the results into docs/benchmarks.md between the eval-corpus markers.
Exit codes: 0 done, 1 a target was missed (--check-targets), 2 the evaluation could not run.";

// ---------------------------------------------------------------------------------------------
// Command line

#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    shared: PathBuf,
    cache: PathBuf,
    fetch: bool,
    json: Option<PathBuf>,
    check_targets: bool,
}

/// `Ok(None)` means `--help` was asked for.
fn parse_args(root: &Path, args: &[String]) -> Result<Option<Args>> {
    let mut parsed = Args {
        shared: root.join("..").join("shared"),
        cache: root.join(".corpus-cache"),
        fetch: true,
        json: None,
        check_targets: false,
    };
    let Some(flags) = crate::flags::parse(
        args,
        &["--shared", "--cache", "--json"],
        &["--no-fetch", "--check-targets"],
    )?
    else {
        return Ok(None);
    };
    for flag in flags {
        match (flag.name.as_str(), flag.value) {
            ("--shared", Some(v)) => parsed.shared = v,
            ("--cache", Some(v)) => parsed.cache = v,
            ("--json", v) => parsed.json = v,
            ("--no-fetch", _) => parsed.fetch = false,
            ("--check-targets", _) => parsed.check_targets = true,
            _ => {}
        }
    }
    parsed.shared = crate::flags::absolute(&parsed.shared)?;
    parsed.cache = crate::flags::absolute(&parsed.cache)?;
    Ok(Some(parsed))
}

/// Entry point of `cargo xtask eval-corpus ARGS…` (`args` without the subcommand).
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let args = match parse_args(root, args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}\n\n{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("eval-corpus: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(root, &args) {
        Ok(unmet) => {
            if args.check_targets && !unmet.is_empty() {
                for line in &unmet {
                    eprintln!("eval-corpus: target missed: {line}");
                }
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("eval-corpus: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus table

/// One row of cves.tsv: a published vulnerable line (the sink) and the version that fixed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveRow {
    pub id: String,
    pub ecosystem: String,
    pub package: String,
    pub vulnerable_version: String,
    pub fixed_version: String,
    pub cwe: String,
    pub class: String,
    pub language: String,
    pub sink_file: String,
    pub sink_line: u32,
    pub source_ref: String,
    pub by_design: bool,
}

const REQUIRED_COLUMNS: [&str; 12] = [
    "id",
    "ecosystem",
    "package",
    "vulnerable_version",
    "fixed_version",
    "cwe",
    "class",
    "language",
    "sink_file",
    "sink_line",
    "source_ref",
    "by_design",
];

/// Parse cves.tsv: tab separated, a header row naming the columns (any order, extra columns
/// ignored). Every row must name a known class, a numeric sink line and `by_design` yes or no.
pub fn parse_tsv(text: &str) -> Result<Vec<CveRow>> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, header) = lines.next().ok_or_else(|| anyhow!("cves.tsv is empty"))?;
    let columns: Vec<&str> = header.split('\t').map(str::trim).collect();
    let mut index = BTreeMap::new();
    for name in REQUIRED_COLUMNS {
        let at = columns
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| anyhow!("cves.tsv header has no `{name}` column"))?;
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
                .ok_or_else(|| anyhow!("cves.tsv line {number}: no `{name}` field"))
        };
        let id = get("id")?;
        let class = get("class")?;
        if class_family(&class).is_none() {
            bail!(
                "cves.tsv line {number} ({id}): unknown class `{class}` (the corpus README maps \
                 each class to a code family; add the new one to class_family)"
            );
        }
        let sink_line = get("sink_line")?;
        let sink_line: u32 = sink_line.parse().map_err(|_| {
            anyhow!("cves.tsv line {number} ({id}): sink_line `{sink_line}` is not a line number")
        })?;
        let by_design = match get("by_design")?.to_ascii_lowercase().as_str() {
            "yes" => true,
            "no" => false,
            other => bail!("cves.tsv line {number} ({id}): by_design `{other}` is not yes or no"),
        };
        let row = CveRow {
            id,
            ecosystem: get("ecosystem")?,
            package: get("package")?,
            vulnerable_version: get("vulnerable_version")?,
            fixed_version: get("fixed_version")?,
            cwe: get("cwe")?,
            class,
            language: get("language")?,
            sink_file: get("sink_file")?,
            sink_line,
            source_ref: get("source_ref")?,
            by_design,
        };
        for (name, value) in [
            ("id", &row.id),
            ("ecosystem", &row.ecosystem),
            ("package", &row.package),
            ("vulnerable_version", &row.vulnerable_version),
            ("fixed_version", &row.fixed_version),
            ("sink_file", &row.sink_file),
        ] {
            if value.is_empty() {
                bail!("cves.tsv line {number}: empty `{name}`");
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The folder fetch.sh unpacks a version into: `<cache>/<ecosystem>/<package, / as __>@<version>`.
pub fn version_dir(cache: &Path, ecosystem: &str, package: &str, version: &str) -> PathBuf {
    cache
        .join(ecosystem)
        .join(format!("{}@{version}", package.replace('/', "__")))
}

// ---------------------------------------------------------------------------------------------
// Scoring (the corpus README's definitions)

/// The rule-code family a vulnerability class is detected by.
pub fn class_family(class: &str) -> Option<&'static str> {
    match class {
        "command-injection" => Some("CMD"),
        "path-traversal" => Some("PATH"),
        "ssrf" => Some("SSRF"),
        "sql-injection" => Some("SQL"),
        "code-injection" => Some("CODE"),
        "missing-auth" | "dns-rebinding" => Some("NET"),
        "xss" => Some("XSS"),
        _ => None,
    }
}

/// The family of a rule code: the part before the first `-` (`CMD-001` → `CMD`).
pub fn code_family(code: &str) -> &str {
    code.split_once('-').map_or(code, |(family, _)| family)
}

/// True when `finding` is of the row's family, in the sink file, within 3 lines of the sink.
pub fn is_hit(finding: &Finding, row: &CveRow) -> bool {
    in_family_and_file(finding, row)
        && finding
            .line
            .is_some_and(|line| line.abs_diff(row.sink_line) <= LINE_TOLERANCE)
}

fn in_family_and_file(finding: &Finding, row: &CveRow) -> bool {
    class_family(&row.class) == Some(code_family(&finding.code))
        && finding.file.as_deref() == Some(row.sink_file.as_str())
}

fn line_distance(finding: &Finding, row: &CveRow) -> u32 {
    finding
        .line
        .map_or(u32::MAX, |line| line.abs_diff(row.sink_line))
}

/// Every finding of the vulnerable version's report that hits the row, nearest the sink first.
pub fn hitting_findings<'a>(report: &'a Report, row: &CveRow) -> Vec<&'a Finding> {
    let mut hits: Vec<&Finding> = report.findings.iter().filter(|f| is_hit(f, row)).collect();
    hits.sort_by_key(|f| (line_distance(f, row), f.severity));
    hits
}

/// On a miss: the finding of the right family in the sink file that is nearest the sink line.
pub fn nearest_in_file<'a>(report: &'a Report, row: &CveRow) -> Option<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|f| in_family_and_file(f, row))
        .min_by_key(|f| (line_distance(f, row), f.severity))
}

/// Findings of the fixed version that carry the fingerprint of a finding that hit.
pub fn still_flagged<'a>(hits: &[&Finding], fixed: &'a Report) -> Vec<&'a Finding> {
    fixed
        .findings
        .iter()
        .filter(|f| hits.iter().any(|hit| hit.fingerprint == f.fingerprint))
        .collect()
}

/// Fix seen: no finding of the fixed version carries the fingerprint of any finding that hit.
pub fn fix_seen(hits: &[&Finding], fixed: &Report) -> bool {
    !hits.is_empty() && still_flagged(hits, fixed).is_empty()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FixSeen {
    #[serde(rename = "yes")]
    Yes,
    #[serde(rename = "no")]
    No,
    #[serde(rename = "n.a. by design")]
    ByDesign,
    #[serde(rename = "n.a. miss")]
    Miss,
}

impl FixSeen {
    pub fn label(self) -> &'static str {
        match self {
            FixSeen::Yes => "yes",
            FixSeen::No => "no",
            FixSeen::ByDesign => "n.a. by design",
            FixSeen::Miss => "n.a. miss",
        }
    }
}

/// What the table and the JSON show of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingBrief {
    pub code: String,
    pub severity: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub fingerprint: String,
}

impl From<&Finding> for FindingBrief {
    fn from(f: &Finding) -> Self {
        FindingBrief {
            code: f.code.clone(),
            severity: f.severity.as_str().to_string(),
            file: f.file.clone(),
            line: f.line,
            column: f.column,
            message: f.message.clone(),
            fingerprint: f.fingerprint.clone(),
        }
    }
}

/// One scored row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowResult {
    #[serde(flatten)]
    pub row: CveRow,
    pub family: String,
    pub hit: bool,
    /// Every finding that hit, nearest the sink first.
    pub hits: Vec<FindingBrief>,
    /// On a miss: the nearest finding of the right family in the sink file, if any.
    pub nearest: Option<FindingBrief>,
    pub fix_seen: FixSeen,
    /// Findings of the fixed version that carry a hitting finding's fingerprint (also for
    /// by-design rows, where flagging the capability in the fixed version is fair).
    pub fixed_still_flagged: Vec<FindingBrief>,
}

pub fn score_row(row: &CveRow, vulnerable: &Report, fixed: &Report) -> RowResult {
    let hits = hitting_findings(vulnerable, row);
    let hit = !hits.is_empty();
    let nearest = if hit {
        None
    } else {
        nearest_in_file(vulnerable, row).map(FindingBrief::from)
    };
    let flagged = still_flagged(&hits, fixed);
    let fix = if !hit {
        FixSeen::Miss
    } else if row.by_design {
        FixSeen::ByDesign
    } else if fix_seen(&hits, fixed) {
        FixSeen::Yes
    } else {
        FixSeen::No
    };
    RowResult {
        row: row.clone(),
        family: class_family(&row.class).unwrap_or("?").to_string(),
        hit,
        hits: hits.into_iter().map(FindingBrief::from).collect(),
        nearest,
        fix_seen: fix,
        fixed_still_flagged: flagged.into_iter().map(FindingBrief::from).collect(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Totals {
    pub rows: usize,
    pub hits: usize,
    pub recall: f64,
    /// Hit rows with `by_design = no`.
    pub fix_eligible: usize,
    pub fix_seen: usize,
    /// `None` when no row is eligible.
    pub fix_seen_rate: Option<f64>,
}

pub fn totals(results: &[RowResult]) -> Totals {
    let rows = results.len();
    let hits = results.iter().filter(|r| r.hit).count();
    let fix_eligible = results
        .iter()
        .filter(|r| matches!(r.fix_seen, FixSeen::Yes | FixSeen::No))
        .count();
    let fix_seen = results
        .iter()
        .filter(|r| r.fix_seen == FixSeen::Yes)
        .count();
    Totals {
        rows,
        hits,
        recall: ratio(hits, rows).unwrap_or(0.0),
        fix_eligible,
        fix_seen,
        fix_seen_rate: ratio(fix_seen, fix_eligible),
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The targets `--check-targets` enforces, one line per target missed. Fix seen with no
/// eligible row is a miss: nothing shows that findings go away once the code is fixed.
pub fn unmet_targets(t: &Totals) -> Vec<String> {
    let mut unmet = Vec::new();
    if t.recall < RECALL_TARGET {
        unmet.push(format!(
            "recall {}/{} = {:.2} < {RECALL_TARGET:.2}",
            t.hits, t.rows, t.recall
        ));
    }
    match t.fix_seen_rate {
        Some(rate) if rate >= FIX_SEEN_TARGET => {}
        Some(rate) => unmet.push(format!(
            "fix seen {}/{} = {rate:.2} < {FIX_SEEN_TARGET:.2}",
            t.fix_seen, t.fix_eligible
        )),
        None => unmet.push(format!(
            "fix seen not measurable: no hit row with by_design = no (target \
             {FIX_SEEN_TARGET:.2})"
        )),
    }
    unmet
}

// ---------------------------------------------------------------------------------------------
// Running the audits

/// One audited package version.
#[derive(Debug, Clone, Serialize)]
pub struct VersionStat {
    pub ecosystem: String,
    /// `package@version`.
    pub version: String,
    pub folder: String,
    pub files: u64,
    pub bytes: u64,
    pub millis: f64,
    pub findings: usize,
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub wall_seconds: f64,
    pub threads: usize,
    pub build: &'static str,
    pub versions: usize,
    pub files: u64,
    pub bytes: u64,
    pub files_per_second: f64,
    pub megabytes_per_second: f64,
    /// VmHWM of this process at the end, in KiB.
    pub peak_rss_kib: Option<u64>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    date: &'a str,
    engine_version: &'a str,
    methodology: &'a str,
    rows: &'a [RowResult],
    totals: &'a Totals,
    timing: &'a Timing,
    versions: &'a [VersionStat],
}

fn run_fetch(shared: &Path, cache: &Path) -> Result<()> {
    let script = shared.join("corpus").join("fetch.sh");
    if !script.is_file() {
        bail!(
            "{} not found: pass --shared DIR (the folder holding corpus/)",
            script.display()
        );
    }
    println!("eval-corpus: bash {} {}", script.display(), cache.display());
    let status = Command::new("bash")
        .arg(&script)
        .arg(cache)
        .status()
        .context("cannot start bash to run fetch.sh")?;
    if !status.success() {
        bail!(
            "{} failed ({status}). It needs npm and pip on PATH and access to their registries; \
             fix that and run again, or pass --no-fetch to evaluate the cache {} as it is",
            script.display(),
            cache.display()
        );
    }
    Ok(())
}

/// VmHWM (peak resident set size) from the text of /proc/self/status, in KiB.
pub fn parse_vmhwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().strip_suffix("kB"))
        .and_then(|value| value.trim().parse().ok())
}

fn peak_rss_kib() -> Option<u64> {
    parse_vmhwm(&std::fs::read_to_string("/proc/self/status").ok()?)
}

struct VersionKey {
    ecosystem: String,
    label: String,
}

/// Run the evaluation; returns the targets missed (empty when both are met).
fn run(root: &Path, args: &Args) -> Result<Vec<String>> {
    if args.fetch {
        run_fetch(&args.shared, &args.cache)?;
    }
    let tsv_path = args.shared.join("corpus").join("cves.tsv");
    let tsv = std::fs::read_to_string(&tsv_path).with_context(|| {
        format!(
            "cannot read {} (pass --shared DIR, the folder holding corpus/)",
            tsv_path.display()
        )
    })?;
    let rows = parse_tsv(&tsv)?;
    if rows.is_empty() {
        bail!("{} has no rows", tsv_path.display());
    }

    // Every distinct version folder, audited once.
    let mut folders: BTreeMap<PathBuf, VersionKey> = BTreeMap::new();
    for row in &rows {
        for version in [&row.vulnerable_version, &row.fixed_version] {
            let dir = version_dir(&args.cache, &row.ecosystem, &row.package, version);
            folders.entry(dir).or_insert_with(|| VersionKey {
                ecosystem: row.ecosystem.clone(),
                label: format!("{}@{version}", row.package),
            });
        }
    }
    let missing: Vec<String> = folders
        .keys()
        .filter(|dir| !dir.is_dir())
        .map(|dir| dir.display().to_string())
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} version folder(s) missing from the cache (run without --no-fetch, or pass \
             --cache DIR):\n  {}",
            missing.len(),
            missing.join("\n  ")
        );
    }

    let dirs: Vec<&PathBuf> = folders.keys().collect();
    let options = AuditOptions::new(true);
    let started = Instant::now();
    let audited: Vec<(PathBuf, Result<(Report, f64)>)> = dirs
        .par_iter()
        .map(|dir| {
            let one = Instant::now();
            let result = dir
                .to_str()
                .ok_or_else(|| anyhow!("path is not UTF-8"))
                .and_then(|text| audit(text, &options).map_err(anyhow::Error::from))
                .map(|report| (report, one.elapsed().as_secs_f64() * 1000.0));
            ((*dir).clone(), result)
        })
        .collect();
    let wall = started.elapsed().as_secs_f64();

    let mut reports: BTreeMap<PathBuf, Report> = BTreeMap::new();
    let mut versions = Vec::new();
    let mut failures = Vec::new();
    for (dir, result) in audited {
        match result {
            Ok((report, millis)) => {
                let key = folders.get(&dir);
                versions.push(VersionStat {
                    ecosystem: key.map(|k| k.ecosystem.clone()).unwrap_or_default(),
                    version: key.map(|k| k.label.clone()).unwrap_or_default(),
                    folder: dir.display().to_string(),
                    files: u64::from(report.inventory.files_scanned),
                    bytes: report.inventory.bytes_scanned,
                    millis,
                    findings: report.findings.len(),
                    complete: report.complete,
                });
                reports.insert(dir, report);
            }
            Err(err) => failures.push(format!("{}: {err:#}", dir.display())),
        }
    }
    if !failures.is_empty() {
        bail!(
            "{} version(s) could not be audited:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }

    let mut results = Vec::with_capacity(rows.len());
    for row in &rows {
        let report_of = |version: &str| -> Result<&Report> {
            let dir = version_dir(&args.cache, &row.ecosystem, &row.package, version);
            reports
                .get(&dir)
                .ok_or_else(|| anyhow!("no report for {}", dir.display()))
        };
        let vulnerable = report_of(&row.vulnerable_version)?;
        let fixed = report_of(&row.fixed_version)?;
        results.push(score_row(row, vulnerable, fixed));
    }
    let totals = totals(&results);

    let files: u64 = versions.iter().map(|v| v.files).sum();
    let bytes: u64 = versions.iter().map(|v| v.bytes).sum();
    let per_second = |amount: f64| if wall > 0.0 { amount / wall } else { 0.0 };
    let timing = Timing {
        wall_seconds: wall,
        threads: rayon::current_num_threads(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        versions: versions.len(),
        files,
        bytes,
        files_per_second: per_second(files as f64),
        megabytes_per_second: per_second(bytes as f64 / 1e6),
        peak_rss_kib: peak_rss_kib(),
    };

    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let engine = reports
        .values()
        .next()
        .map(|r| r.engine.clone())
        .ok_or_else(|| anyhow!("no report was produced"))?;
    let section = render_section(&Section {
        date: &date,
        engine_version: &engine.version,
        methodology: &engine.methodology,
        results: &results,
        totals: &totals,
        timing: &timing,
        versions: &versions,
    });
    let doc_path = root.join(BENCHMARKS_DOC);
    let current = match std::fs::read_to_string(&doc_path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {BENCHMARKS_DOC}")),
    };
    let updated = replace_section(&current, &section)
        .with_context(|| format!("cannot update {BENCHMARKS_DOC}"))?;
    std::fs::write(&doc_path, updated).with_context(|| format!("cannot write {BENCHMARKS_DOC}"))?;

    if let Some(json_path) = &args.json {
        let output = JsonOutput {
            date: &date,
            engine_version: &engine.version,
            methodology: &engine.methodology,
            rows: &results,
            totals: &totals,
            timing: &timing,
            versions: &versions,
        };
        let text = serde_json::to_string_pretty(&output).context("cannot serialise results")?;
        std::fs::write(json_path, text + "\n")
            .with_context(|| format!("cannot write {}", json_path.display()))?;
    }

    print_summary(&results, &totals, &timing);
    println!("eval-corpus: wrote {BENCHMARKS_DOC}");
    if let Some(json_path) = &args.json {
        println!("eval-corpus: wrote {}", json_path.display());
    }
    Ok(unmet_targets(&totals))
}

fn print_summary(results: &[RowResult], totals: &Totals, timing: &Timing) {
    println!(
        "eval-corpus: recall {} (target {RECALL_TARGET:.2}), fix seen {} (target \
         {FIX_SEEN_TARGET:.2})",
        recall_text(totals),
        fix_seen_text(totals)
    );
    println!(
        "eval-corpus: {} versions, {} files, {} MB in {:.2} s ({} build, {} threads): {} files/s, \
         {:.1} MB/s, peak RSS {}",
        timing.versions,
        thousands(timing.files),
        megabytes(timing.bytes),
        timing.wall_seconds,
        timing.build,
        timing.threads,
        thousands(timing.files_per_second.round() as u64),
        timing.megabytes_per_second,
        rss_text(timing.peak_rss_kib)
    );
    let ids = |hit: bool| -> String {
        let ids: Vec<&str> = results
            .iter()
            .filter(|r| r.hit == hit)
            .map(|r| r.row.id.as_str())
            .collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(" ")
        }
    };
    println!("eval-corpus: hits: {}", ids(true));
    println!("eval-corpus: misses: {}", ids(false));
}

// ---------------------------------------------------------------------------------------------
// The docs/benchmarks.md section

struct Section<'a> {
    date: &'a str,
    engine_version: &'a str,
    methodology: &'a str,
    results: &'a [RowResult],
    totals: &'a Totals,
    timing: &'a Timing,
    versions: &'a [VersionStat],
}

fn recall_text(t: &Totals) -> String {
    format!("{}/{} = {:.2}", t.hits, t.rows, t.recall)
}

fn fix_seen_text(t: &Totals) -> String {
    match t.fix_seen_rate {
        Some(rate) => format!("{}/{} = {rate:.2}", t.fix_seen, t.fix_eligible),
        None => format!("{}/{} (no eligible hit row)", t.fix_seen, t.fix_eligible),
    }
}

fn rss_text(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_string(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    )
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whitespace collapsed, cut to about `width` characters with an ellipsis.
pub fn shorten(text: &str, width: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= width {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;")
}

fn location(f: &FindingBrief) -> String {
    match (f.line, f.column) {
        (Some(line), Some(column)) => format!("{line}:{column}"),
        (Some(line), None) => line.to_string(),
        _ => "—".to_string(),
    }
}

fn finding_text(f: &FindingBrief) -> String {
    format!(
        "`{}` {} {} {}",
        f.code,
        f.severity,
        location(f),
        cell(&shorten(&f.message, MESSAGE_WIDTH))
    )
}

fn finding_cell(r: &RowResult) -> String {
    if let Some(hit) = r.hits.first() {
        return finding_text(hit);
    }
    match &r.nearest {
        Some(near) => {
            let away = near
                .line
                .map(|line| format!(" ({} lines away)", line.abs_diff(r.row.sink_line)))
                .unwrap_or_default();
            format!("nearest{away}: {}", finding_text(near))
        }
        None => format!("— (no {} finding in the file)", r.family),
    }
}

fn render_section(s: &Section<'_>) -> String {
    let t = s.totals;
    let tm = s.timing;
    let mut out = String::new();
    out.push_str("## Advisory corpus: detection (`cargo xtask eval-corpus`)\n\n");
    out.push_str(&format!(
        "Generated on {} by `cargo xtask eval-corpus`, engine {}, methodology {}; rewritten on each \
         run (edit outside the eval-corpus markers only). Rows: `../shared/corpus/cves.tsv`; a \
         **hit** is a finding of the class's code family in the sink file within {LINE_TOLERANCE} \
         lines of the sink line; **fix seen** means no finding of the fixed version carries the \
         fingerprint of a finding that hit (hit rows with `by_design = no`).\n\n",
        s.date, s.engine_version, s.methodology
    ));
    out.push_str(
        "| id | package@vulnerable | class | sink | result | finding (hit) or nearest of the \
         family in the file (miss) | fix seen |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for r in s.results {
        out.push_str(&format!(
            "| {} | `{}@{}` | {} | `{}:{}` | {} | {} | {} |\n",
            cell(&r.row.id),
            cell(&r.row.package),
            cell(&r.row.vulnerable_version),
            cell(&r.row.class),
            cell(&r.row.sink_file),
            r.row.sink_line,
            if r.hit { "**hit**" } else { "miss" },
            finding_cell(r),
            r.fix_seen.label()
        ));
    }
    out.push_str(&format!(
        "\n**Recall {}** (target {RECALL_TARGET:.2}) · **fix seen {}** (target \
         {FIX_SEEN_TARGET:.2})\n\n",
        recall_text(t),
        fix_seen_text(t)
    ));
    out.push_str("| timing | figure |\n|---|---|\n");
    out.push_str(&format!(
        "| package versions audited (each once, offline) | {} |\n",
        tm.versions
    ));
    out.push_str(&format!(
        "| files read and analysed | {} |\n",
        thousands(tm.files)
    ));
    out.push_str(&format!(
        "| bytes analysed | {} MB |\n",
        megabytes(tm.bytes)
    ));
    out.push_str(&format!(
        "| wall time ({} build, {} threads) | {:.2} s |\n",
        tm.build, tm.threads, tm.wall_seconds
    ));
    out.push_str(&format!(
        "| throughput | {} files/s, {:.1} MB/s |\n",
        thousands(tm.files_per_second.round() as u64),
        tm.megabytes_per_second
    ));
    out.push_str(&format!(
        "| peak RSS (VmHWM of the process) | {} |\n",
        rss_text(tm.peak_rss_kib)
    ));
    out.push_str("\n| version | files | MB | time | findings |\n|---|---|---|---|---|\n");
    for v in s.versions {
        out.push_str(&format!(
            "| {} `{}` | {} | {} | {:.0} ms | {}{} |\n",
            cell(&v.ecosystem),
            cell(&v.version),
            thousands(v.files),
            megabytes(v.bytes),
            v.millis,
            v.findings,
            if v.complete { "" } else { " (incomplete)" }
        ));
    }
    out
}

/// Put `body` between the eval-corpus markers of `doc`, leaving the rest untouched; without
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
    use skillaudit_core::{
        Axis, Confidence, Dependencies, EngineInfo, Inventory, Severity, Surface, TargetInfo,
    };

    const HEADER: &str = "id\tecosystem\tpackage\tvulnerable_version\tfixed_version\tcwe\tclass\t\
                          language\tsink_file\tsink_line\ttool\tfix_summary\tsource_ref\tby_design";

    fn tsv(rows: &[&str]) -> String {
        let mut text = HEADER.to_string();
        for row in rows {
            text.push('\n');
            text.push_str(row);
        }
        text.push('\n');
        text
    }

    fn row(class: &str, file: &str, line: u32, by_design: bool) -> CveRow {
        CveRow {
            id: "T-1".into(),
            ecosystem: "npm".into(),
            package: "@scope/pkg".into(),
            vulnerable_version: "1.0.0".into(),
            fixed_version: "1.0.1".into(),
            cwe: "CWE-78".into(),
            class: class.into(),
            language: "js".into(),
            sink_file: file.into(),
            sink_line: line,
            source_ref: "CVE-0000-0001".into(),
            by_design,
        }
    }

    fn finding(code: &str, file: &str, line: u32, evidence: &str) -> Finding {
        Finding {
            code: code.into(),
            axis: Axis::Security,
            severity: Severity::High,
            confidence: Confidence::High,
            message: format!("{code} in {file}"),
            file: Some(file.into()),
            line: Some(line),
            column: Some(5),
            end_line: None,
            evidence: Some(evidence.into()),
            surface: Surface::Runtime,
            cwe: None,
            fingerprint: fingerprint(code, Some(file), evidence),
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

    #[test]
    fn tsv_rows_are_parsed_by_header_name() {
        let text = tsv(&[
            "A-1\tnpm\t@s/p\t1.0.0\t1.1.0\tCWE-22\tpath-traversal\tjs\tdist/i.js\t52\tt\tf\tCVE-1\tno",
            "A-2\tpypi\tp\t0.1\t0.2\tCWE-88\tcommand-injection\tpython\tsrc/p/s.py\t7\tt\tf\tGHSA-x\tyes",
        ]);
        let rows = parse_tsv(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].package, "@s/p");
        assert_eq!(rows[0].sink_line, 52);
        assert!(!rows[0].by_design);
        assert_eq!(rows[1].class, "command-injection");
        assert!(rows[1].by_design);
        assert_eq!(
            version_dir(Path::new("/c"), "npm", "@s/p", "1.0.0"),
            PathBuf::from("/c/npm/@s__p@1.0.0")
        );
    }

    #[test]
    fn bad_tsv_rows_are_errors() {
        let bad_line = "A-1\tnpm\tp\t1\t2\tCWE-22\tpath-traversal\tjs\tf.js\tfifty\tt\tf\tr\tno";
        assert!(parse_tsv(&tsv(&[bad_line])).is_err());
        let bad_class = "A-1\tnpm\tp\t1\t2\tCWE-1\tmystery\tjs\tf.js\t5\tt\tf\tr\tno";
        assert!(parse_tsv(&tsv(&[bad_class])).is_err());
        let bad_design = "A-1\tnpm\tp\t1\t2\tCWE-22\tssrf\tjs\tf.js\t5\tt\tf\tr\tmaybe";
        assert!(parse_tsv(&tsv(&[bad_design])).is_err());
        assert!(parse_tsv("id\tpackage\n").is_err());
        assert!(parse_tsv("").is_err());
    }

    #[test]
    fn classes_map_to_code_families() {
        assert_eq!(class_family("command-injection"), Some("CMD"));
        assert_eq!(class_family("path-traversal"), Some("PATH"));
        assert_eq!(class_family("ssrf"), Some("SSRF"));
        assert_eq!(class_family("sql-injection"), Some("SQL"));
        assert_eq!(class_family("code-injection"), Some("CODE"));
        assert_eq!(class_family("missing-auth"), Some("NET"));
        assert_eq!(class_family("dns-rebinding"), Some("NET"));
        assert_eq!(class_family("xss"), Some("XSS"));
        assert_eq!(class_family("other"), None);
        assert_eq!(code_family("CMD-001"), "CMD");
        assert_eq!(code_family("PATH"), "PATH");
    }

    #[test]
    fn a_hit_needs_family_file_and_three_lines() {
        let r = row("command-injection", "dist/a.js", 100, false);
        assert!(is_hit(&finding("CMD-001", "dist/a.js", 103, "e"), &r));
        assert!(is_hit(&finding("CMD-002", "dist/a.js", 97, "e"), &r));
        assert!(!is_hit(&finding("CMD-001", "dist/a.js", 104, "e"), &r));
        assert!(!is_hit(&finding("PATH-001", "dist/a.js", 100, "e"), &r));
        assert!(!is_hit(&finding("CMD-001", "dist/b.js", 100, "e"), &r));
        let mut no_line = finding("CMD-001", "dist/a.js", 100, "e");
        no_line.line = None;
        assert!(!is_hit(&no_line, &r));

        let vulnerable = report(vec![
            finding("CMD-001", "dist/a.js", 110, "far"),
            finding("PATH-001", "dist/a.js", 100, "other family"),
        ]);
        let scored = score_row(&r, &vulnerable, &report(Vec::new()));
        assert!(!scored.hit);
        assert_eq!(scored.fix_seen, FixSeen::Miss);
        assert_eq!(scored.nearest.as_ref().map(|f| f.line), Some(Some(110)));
    }

    #[test]
    fn fix_seen_compares_fingerprints_of_the_hits() {
        let r = row("path-traversal", "dist/index.js", 52, false);
        let hit = finding("PATH-001", "dist/index.js", 52, "startsWith(dir)");
        let vulnerable = report(vec![hit.clone()]);

        // The same code moved by unrelated edits keeps its fingerprint: not fixed.
        let moved = finding("PATH-001", "dist/index.js", 80, "startsWith(dir)");
        let unfixed = score_row(&r, &vulnerable, &report(vec![moved]));
        assert!(unfixed.hit);
        assert_eq!(unfixed.fix_seen, FixSeen::No);
        assert_eq!(unfixed.fixed_still_flagged.len(), 1);

        // The fixed code yields a different finding (or none): fix seen.
        let other = finding("PATH-001", "dist/index.js", 52, "isPathWithin(dir)");
        let fixed = score_row(&r, &vulnerable, &report(vec![other]));
        assert_eq!(fixed.fix_seen, FixSeen::Yes);
        assert!(fix_seen(&[&hit], &report(Vec::new())));
        assert!(!fix_seen(&[], &report(Vec::new())));

        // By design: not eligible, even when still flagged.
        let design = row("path-traversal", "dist/index.js", 52, true);
        let scored = score_row(&design, &vulnerable, &vulnerable);
        assert_eq!(scored.fix_seen, FixSeen::ByDesign);

        let t = totals(&[unfixed, fixed, scored]);
        assert_eq!((t.rows, t.hits, t.fix_eligible, t.fix_seen), (3, 3, 2, 1));
        assert_eq!(t.fix_seen_rate, Some(0.5));
        assert_eq!(unmet_targets(&t).len(), 1);
    }

    #[test]
    fn targets_need_both_rates() {
        let t = Totals {
            rows: 10,
            hits: 9,
            recall: 0.9,
            fix_eligible: 5,
            fix_seen: 4,
            fix_seen_rate: Some(0.8),
        };
        assert!(unmet_targets(&t).is_empty());
        let none = Totals {
            hits: 0,
            recall: 0.0,
            fix_eligible: 0,
            fix_seen: 0,
            fix_seen_rate: None,
            ..t
        };
        assert_eq!(unmet_targets(&none).len(), 2);
    }

    #[test]
    fn the_marked_section_is_replaced_or_appended() {
        let doc =
            "# B\n\nbefore\n<!-- eval-corpus:start -->\nold\n<!-- eval-corpus:end -->\nafter\n";
        assert_eq!(
            replace_section(doc, "new\n").unwrap(),
            "# B\n\nbefore\n<!-- eval-corpus:start -->\nnew\n<!-- eval-corpus:end -->\nafter\n"
        );
        assert_eq!(
            replace_section("# B\ntext", "new").unwrap(),
            "# B\ntext\n\n<!-- eval-corpus:start -->\nnew\n<!-- eval-corpus:end -->\n"
        );
        let once = replace_section("# B\n", "x\n").unwrap();
        assert_eq!(replace_section(&once, "x\n").unwrap(), once);
        assert!(replace_section("<!-- eval-corpus:end -->\n", "x").is_err());
        assert!(replace_section("<!-- eval-corpus:start -->\n", "x").is_err());
    }

    #[test]
    fn small_helpers() {
        assert_eq!(shorten("a  b\n c", 90), "a b c");
        assert_eq!(shorten("abcdefghij", 5), "abcd…");
        assert_eq!(thousands(4170), "4,170");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(cell("a|b<c"), "a\\|b&lt;c");
        assert_eq!(
            parse_vmhwm("Name:\tx\nVmPeak:\t 9 kB\nVmHWM:\t   30720 kB\n"),
            Some(30720)
        );
        assert_eq!(parse_vmhwm("Name:\tx\n"), None);
        let root = Path::new("/w/main");
        let args: Vec<String> = ["--no-fetch", "--cache=/c", "--json", "/o.json"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = parse_args(root, &args).unwrap().unwrap();
        assert!(!parsed.fetch && !parsed.check_targets);
        assert_eq!(parsed.cache, PathBuf::from("/c"));
        assert_eq!(parsed.json, Some(PathBuf::from("/o.json")));
        assert_eq!(parsed.shared, PathBuf::from("/w/main/../shared"));
        assert!(parse_args(root, &["--bogus".to_string()]).is_err());
        assert!(parse_args(root, &["--cache".to_string()]).is_err());
    }
}
