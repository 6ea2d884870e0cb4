//! The gate's verdict over every report of a run, and how it is told: a few lines on standard
//! error, a Markdown section for the job summary and the PR comment.

use skillaudit_core::{ExemptionState, Report, TargetError};
use skillaudit_policy::gate::{Gate, Verdict};
use skillaudit_render::target_label;
use std::fmt::Write as _;

/// The verdict of a run.
#[derive(Debug, Clone)]
pub struct GateResult {
    pub gate: Gate,
    /// Environment the gate came from, when `--env` (or the policy's default) chose one.
    pub env: Option<String>,
    /// One verdict per report, in report order.
    pub verdicts: Vec<Verdict>,
    /// Targets that could not be audited: the run cannot pass a fail-closed gate.
    pub errors: usize,
}

impl GateResult {
    pub fn judge(
        gate: Gate,
        env: Option<String>,
        reports: &[Report],
        errors: &[TargetError],
        advisory_db_imported_at: Option<&str>,
    ) -> Self {
        let verdicts = reports
            .iter()
            .map(|r| gate.judge(r, advisory_db_imported_at))
            .collect();
        GateResult {
            gate,
            env,
            verdicts,
            errors: errors.len(),
        }
    }

    /// Every report passes (an unconfigured gate passes everything).
    pub fn passed(&self) -> bool {
        self.verdicts.iter().all(Verdict::passed)
    }

    fn heading(&self) -> String {
        match &self.env {
            Some(env) => format!("policy `{env}`: {}", self.gate.describe()),
            None => self.gate.describe(),
        }
    }

    /// Lines for standard error; empty when no gate is configured.
    pub fn stderr_lines(&self, reports: &[Report]) -> Vec<String> {
        if !self.gate.is_configured() {
            return Vec::new();
        }
        let mut lines = Vec::new();
        for (report, verdict) in reports.iter().zip(&self.verdicts) {
            let label = target_label(&report.target);
            if verdict.passed() {
                lines.push(format!(
                    "skillaudit: gate passed for {label}: {} ({}/100) meets {}",
                    report.grade,
                    report.score,
                    self.heading()
                ));
            } else {
                lines.push(format!(
                    "skillaudit: gate FAILED for {label} ({}):",
                    self.heading()
                ));
                for failure in &verdict.failures {
                    lines.push(format!("  - {failure}"));
                }
            }
        }
        if !self.passed() && self.gate.fail_open {
            lines.push(
                "skillaudit: --fail-open: the policy failed, but the exit code is 0".to_string(),
            );
        }
        lines
    }

    /// A Markdown section: the verdict per target, why it failed, and the exemptions in play.
    pub fn markdown(&self, reports: &[Report]) -> String {
        let mut text = String::new();
        if self.gate.is_configured() {
            let overall = if self.passed() && self.errors == 0 {
                "✅ passed"
            } else if self.gate.fail_open {
                "⚠️ failed (fail-open: not blocking)"
            } else {
                "❌ failed"
            };
            let _ = writeln!(text, "### SkillAudit gate: {overall}\n");
            let _ = writeln!(text, "Gate: {}\n", md_escape(&self.heading()));
            for (report, verdict) in reports.iter().zip(&self.verdicts) {
                let label = md_escape(&target_label(&report.target));
                if verdict.passed() {
                    let _ = writeln!(
                        text,
                        "- ✅ `{label}`: grade **{}** ({}/100)",
                        report.grade, report.score
                    );
                } else {
                    let _ = writeln!(
                        text,
                        "- ❌ `{label}`: grade **{}** ({}/100)",
                        report.grade, report.score
                    );
                    for failure in &verdict.failures {
                        let _ = writeln!(text, "  - {}", md_escape(failure));
                    }
                }
            }
            if self.errors > 0 {
                let _ = writeln!(text, "- ❌ {} target(s) could not be audited", self.errors);
            }
            text.push('\n');
        }
        let mut exemption_lines = Vec::new();
        for report in reports {
            for record in &report.exemptions {
                let state = match record.state {
                    ExemptionState::Applied => format!("applied to {} finding(s)", record.matched),
                    ExemptionState::Expired => "**expired**".to_string(),
                    ExemptionState::Unused => "unused (matches no finding)".to_string(),
                };
                let what = record
                    .finding
                    .clone()
                    .or_else(|| record.fingerprint.clone())
                    .unwrap_or_default();
                exemption_lines.push(format!(
                    "| `{}` | {} | {} | {} | {} |",
                    md_escape(&record.source),
                    md_escape(&what),
                    md_escape(&record.expires),
                    md_escape(&record.exempted_by),
                    state
                ));
            }
        }
        if !exemption_lines.is_empty() {
            text.push_str("#### Exemptions\n\n| entry | exempts | expires | by | state |\n|---|---|---|---|---|\n");
            for line in exemption_lines {
                text.push_str(&line);
                text.push('\n');
            }
            text.push('\n');
        }
        text
    }
}

/// Untrusted text as inline Markdown.
fn md_escape(text: &str) -> String {
    skillaudit_render::markdown_inline(text, 500)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use skillaudit_core::report::SCHEMA_VERSION;
    use skillaudit_core::scoring::score_findings;
    use skillaudit_core::{Dependencies, EngineInfo, Grade, Inventory, TargetInfo};

    pub(crate) fn report() -> Report {
        let card = score_findings(std::iter::empty());
        Report {
            schema_version: SCHEMA_VERSION.into(),
            audit_id: "au_0".into(),
            target: TargetInfo {
                kind: "folder".into(),
                name: "demo".into(),
                spec: ".".into(),
                ..TargetInfo::default()
            },
            repo: None,
            engine: EngineInfo {
                name: "skillaudit".into(),
                version: "0".into(),
                methodology: "1".into(),
            },
            scanned_at: "2026-01-01T00:00:00Z".into(),
            duration_ms: 0,
            grade: card.grade,
            score: card.score,
            axes: card.axes,
            complete: true,
            incomplete_reasons: Vec::new(),
            critical_findings: Vec::new(),
            findings: Vec::new(),
            deductions: Vec::new(),
            caps: Vec::new(),
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
    fn an_incomplete_report_fails_a_configured_gate_and_says_why() {
        let mut r = report();
        r.complete = false;
        r.incomplete_reasons = vec!["src/server.js not analysed: too large".into()];
        let gate = Gate {
            min_grade: Some(Grade::C),
            ..Gate::default()
        };
        let result = GateResult::judge(gate, Some("ci".into()), &[r.clone()], &[], None);
        assert!(!result.passed());
        let lines = result.stderr_lines(&[r.clone()]);
        assert!(lines
            .iter()
            .any(|l| l.contains("incomplete") && l.contains("too large")));
        assert!(result.markdown(&[r]).contains("policy \\`ci\\`"));
        // Without a gate, the same report passes.
        let open = GateResult::judge(Gate::default(), None, &[report()], &[], None);
        assert!(open.passed());
        assert!(open.stderr_lines(&[report()]).is_empty());
    }

    #[test]
    fn markdown_escapes_untrusted_text() {
        assert_eq!(md_escape("<b>|x"), "&lt;b&gt;\\|x");
    }
}
