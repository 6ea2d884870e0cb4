//! GitLab Code Quality report: the JSON array GitLab shows in merge requests and pipelines
//! (`artifacts: reports: codequality:`), a subset of the Code Climate issue format.
//!
//! One issue per finding that counts — exempted findings are left out, since GitLab has no way
//! to show an accepted finding. Severity: HIGH → `critical`, MEDIUM → `major`, LOW → `minor`,
//! INFO → `info`. Paths are made relative to the repository when the target was a relative
//! folder (`skillaudit scan servers/weather` reports `servers/weather/src/index.ts`); findings
//! about the package as a whole point at its first manifest. Categories follow the axis
//! (Security, Credentials and Permissions → `Security`; Maintenance → `Bug Risk`; Compatibility →
//! `Compatibility`; Documentation → `Clarity`). Fingerprints are the findings' own (rule, path and
//! evidence — never a line or the report's content hash), prefixed with the target's stable key
//! ([`crate::stable_target_key`]: its folder or package name, no version) when several targets
//! share one report, so they stay unique and an unrelated edit does not make every finding new.

use crate::order::sorted;
use crate::{stable_target_key, unique_key};
use skillaudit_core::{Axis, Report, RuleMeta, Severity, TargetError};
use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::RenderOptions;

/// The repository-relative path of a finding's file: the target's folder (as the user typed it,
/// when it was a relative path) joined with the file.
pub fn repo_path(report: &Report, file: &str) -> String {
    join_repo_path(&report.target.kind, &report.target.spec, file)
}

fn join_repo_path(kind: &str, spec: &str, file: &str) -> String {
    if kind != "folder" {
        return file.to_string();
    }
    let spec = spec.replace('\\', "/");
    if spec.starts_with('/') || spec.contains(':') {
        return file.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in spec.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    // Outside the repository: keep the target-relative path.
                    return file.to_string();
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        file.to_string()
    } else {
        format!("{}/{file}", parts.join("/"))
    }
}

/// Writes the Code Quality JSON array.
pub fn render(
    reports: &[Report],
    _errors: &[TargetError],
    _rules: &[RuleMeta],
    _opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let several = reports.len() > 1;
    let mut issues = Vec::new();
    let mut keys = BTreeSet::new();
    for report in reports {
        let target_key = unique_key(stable_target_key(report), &mut keys);
        let fallback = report
            .inventory
            .manifests
            .first()
            .map(|m| m.file.clone())
            .unwrap_or_else(|| ".".to_string());
        for finding in sorted(&report.findings) {
            if finding.is_exempted() {
                continue;
            }
            let severity = match finding.severity {
                Severity::High => "critical",
                Severity::Medium => "major",
                Severity::Low => "minor",
                Severity::Info => "info",
            };
            let path = repo_path(report, finding.file.as_deref().unwrap_or(&fallback));
            let fingerprint = if several {
                format!("{target_key}:{}", finding.fingerprint)
            } else {
                finding.fingerprint.clone()
            };
            let mut description = format!("{} {}", finding.code, finding.message);
            if let Some(fix) = &finding.fix {
                description.push_str(" Fix: ");
                description.push_str(fix);
            }
            issues.push(serde_json::json!({
                "type": "issue",
                "check_name": finding.code,
                "description": description,
                "categories": [category(finding.axis)],
                "severity": severity,
                "fingerprint": fingerprint,
                "location": {
                    "path": path,
                    "lines": { "begin": finding.line.unwrap_or(1) },
                },
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// The Code Climate category of a finding on `axis`.
fn category(axis: Axis) -> &'static str {
    match axis {
        Axis::Security | Axis::Credentials | Axis::Permissions => "Security",
        Axis::Maintenance => "Bug Risk",
        Axis::Compatibility => "Compatibility",
        Axis::Documentation => "Clarity",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_repository_relative() {
        let cases = [
            ("folder", "./servers/x/", "servers/x/a.js"),
            ("folder", ".", "a.js"),
            ("folder", "x/../y", "y/a.js"),
            ("folder", "../up", "a.js"),
            ("folder", "/abs/x", "a.js"),
            ("npm", "npm:x@1", "a.js"),
        ];
        for (kind, spec, expected) in cases {
            assert_eq!(
                join_repo_path(kind, spec, "a.js"),
                expected,
                "{kind} {spec}"
            );
        }
    }
}
