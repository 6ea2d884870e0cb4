//! Baselines: `skillaudit baseline TARGET…` records the fingerprints of every current finding;
//! `skillaudit scan --baseline FILE` then counts only findings that are not in it.
//!
//! The file is JSON, sorted by fingerprint so it diffs well when committed:
//!
//! ```json
//! {"skillaudit_baseline": "1", "created_at": "…", "targets": ["server"],
//!  "findings": [{"fingerprint": "3f9a0c1d2e4b5a69", "code": "CMD-001",
//!                "file": "src/index.js", "line": 18, "message": "…"}]}
//! ```
//!
//! `--baseline` also reads a saved report (`scan --format json`, one target or several): both
//! shapes list findings with their `fingerprint`.

use anyhow::Context;
use skillaudit_engine::{audit_many_detailed, AuditOptions, ExemptionSource};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A baseline is a few hundred kilobytes at most; a saved report a few megabytes.
const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// The fingerprints a baseline file or saved report lists.
pub fn read(path: &Path) -> anyhow::Result<Vec<String>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?
        .len();
    if size > MAX_BASELINE_BYTES {
        anyhow::bail!(
            "the baseline {} is {size} bytes, over the {MAX_BASELINE_BYTES}-byte limit",
            path.display()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("the baseline {} is not JSON", path.display()))?;
    let mut lists = Vec::new();
    if let Some(findings) = value.get("findings") {
        lists.push(findings);
    }
    if let Some(reports) = value.get("reports").and_then(|r| r.as_array()) {
        lists.extend(reports.iter().filter_map(|report| report.get("findings")));
    }
    if lists.is_empty() {
        anyhow::bail!(
            "the baseline {} has no `findings`: give a file written by `skillaudit baseline` \
             or a report saved with `skillaudit scan --format json`",
            path.display()
        );
    }
    Ok(lists
        .into_iter()
        .filter_map(|list| list.as_array())
        .flatten()
        .filter_map(|finding| finding.get("fingerprint").and_then(|f| f.as_str()))
        .map(str::to_string)
        .collect())
}

/// `skillaudit baseline`: audits the targets and writes every finding's fingerprint.
pub fn write(
    targets: &[String],
    output: &Path,
    offline: bool,
    osv_db: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let mut options = AuditOptions::new(offline);
    options.osv_db = osv_db;
    // Everything found now, exempted or not: the baseline is what already exists.
    options.exemptions = ExemptionSource::Disabled;
    let (audited, errors) = audit_many_detailed(targets, &options, &|_: &str| {});
    for error in &errors {
        eprintln!("skillaudit: cannot audit {}: {}", error.target, error.error);
    }
    if !errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let mut findings = Vec::new();
    let mut labels = Vec::new();
    let mut created_at = String::new();
    for one in &audited {
        let report = &one.report;
        labels.push(skillaudit_render::target_label(&report.target));
        if created_at.is_empty() {
            created_at = report.scanned_at.clone();
        }
        for finding in &report.findings {
            findings.push(serde_json::json!({
                "fingerprint": finding.fingerprint,
                "code": finding.code,
                "file": finding.file,
                "line": finding.line,
                "message": finding.message,
            }));
        }
    }
    findings.sort_by(|a, b| a["fingerprint"].as_str().cmp(&b["fingerprint"].as_str()));
    findings.dedup_by(|a, b| a["fingerprint"] == b["fingerprint"]);
    let count = findings.len();
    let document = serde_json::json!({
        "skillaudit_baseline": "1",
        "created_at": created_at,
        "targets": labels,
        "findings": findings,
    });
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    crate::write_file(output, text.as_bytes())?;
    eprintln!(
        "skillaudit: wrote {} ({count} finding{}); `skillaudit scan … --baseline {}` now gates only on new findings",
        output.display(),
        if count == 1 { "" } else { "s" },
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
