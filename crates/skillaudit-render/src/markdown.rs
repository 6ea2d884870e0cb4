//! GitHub-flavoured Markdown for a PR comment or `$GITHUB_STEP_SUMMARY`: the grade, the axis
//! table, critical findings, a findings table, caps, deductions, what was skipped and not run.
//!
//! Long lists are capped (a PR comment holds at most 65,536 characters) with a line saying how
//! many were left out. All text from the audited package is escaped (see the crate
//! documentation, "Untrusted text"): it cannot break a table row, inject HTML, open a link or
//! `@`-mention anyone.

use crate::escape::{markdown_code, markdown_message, markdown_text, safe_link};
use crate::order::{self, count};
use crate::text::{cap_text, minus, points};
use crate::{target_label, RenderOptions};
use skillaudit_core::{Finding, Report, RuleMeta, Severity, Surface, TargetError};
use std::io::{self, Write};

/// Findings listed in the table before "… and N more".
pub const FINDINGS_LIMIT: usize = 50;
/// Critical findings listed before "… and N more".
pub const CRITICAL_LIMIT: usize = 20;
/// Skipped files, checks not run, deductions and errors listed before "… and N more".
pub const LIST_LIMIT: usize = 25;

const MESSAGE_MAX: usize = 300;
const PATH_MAX: usize = 200;

/// Writes the reports as Markdown: an overview table first when there are several, then one
/// section per report, then the targets that could not be audited.
pub fn render(
    reports: &[Report],
    errors: &[TargetError],
    _rules: &[RuleMeta],
    _opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let several = reports.len() + errors.len() > 1;
    if several {
        write_overview(reports, errors, out)?;
    }
    for report in reports {
        write_report(report, several, out)?;
    }
    if !errors.is_empty() {
        writeln!(
            out,
            "### Could not audit {}\n",
            count(errors.len(), "target", "targets")
        )?;
        for error in errors.iter().take(LIST_LIMIT) {
            writeln!(
                out,
                "- {}: {}",
                code_or_dash(&error.target, false),
                markdown_message(&error.error, MESSAGE_MAX, false)
            )?;
        }
        more(errors.len(), LIST_LIMIT, "targets", out)?;
        writeln!(out)?;
    }
    if reports.is_empty() && errors.is_empty() {
        writeln!(out, "## SkillAudit: nothing was audited")?;
    }
    Ok(())
}

fn write_overview(
    reports: &[Report],
    errors: &[TargetError],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "## SkillAudit: {} audited{}\n",
        count(reports.len(), "target", "targets"),
        if errors.is_empty() {
            String::new()
        } else {
            format!(", {} could not be audited", errors.len())
        }
    )?;
    writeln!(
        out,
        "| Target | Grade | Score | Critical | Findings | Complete |"
    )?;
    writeln!(out, "|:--|:-:|--:|--:|--:|:-:|")?;
    for report in reports {
        writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} |",
            code_or_dash(&target_label(&report.target), true),
            report.grade,
            report.score,
            report.critical_findings.len(),
            report.findings.len(),
            if report.complete { "yes" } else { "**no**" }
        )?;
    }
    for error in errors {
        writeln!(
            out,
            "| {} | — | — | — | — | **error** |",
            code_or_dash(&error.target, true)
        )?;
    }
    writeln!(out)
}

fn write_report(report: &Report, several: bool, out: &mut dyn Write) -> io::Result<()> {
    let label = target_label(&report.target);
    if several {
        writeln!(
            out,
            "## SkillAudit: Grade **{}** ({}/100) — {}\n",
            report.grade,
            report.score,
            code_or_dash(&label, false)
        )?;
    } else {
        writeln!(
            out,
            "## SkillAudit: Grade **{}** ({}/100)\n",
            report.grade, report.score
        )?;
    }
    let target = &report.target;
    let mut about = format!("**Target:** {}", code_or_dash(&label, false));
    // `npm:foo@1.0.0` already names its kind; a folder or archive does not.
    if !label.starts_with(&format!("{}:", target.kind)) {
        about.push_str(&format!(" ({})", markdown_text(&target.kind, PATH_MAX)));
    }
    if let Some(commit) = &target.commit {
        about.push_str(&format!(" at {}", code_or_dash(commit, false)));
    }
    about.push_str(&format!(
        " · {} · {}",
        count(
            report.critical_findings.len(),
            "critical finding",
            "critical findings"
        ),
        count(report.findings.len(), "finding", "findings")
    ));
    writeln!(out, "{about}\n")?;

    if !report.complete {
        writeln!(out, "> [!CAUTION]")?;
        writeln!(
            out,
            "> **Incomplete report:** part of this target was not analysed, so the grade may be better than the code deserves."
        )?;
        for reason in report.incomplete_reasons.iter().take(LIST_LIMIT) {
            writeln!(out, "> - {}", markdown_message(reason, MESSAGE_MAX, false))?;
        }
        if report.incomplete_reasons.len() > LIST_LIMIT {
            writeln!(
                out,
                "> - … and {} more",
                report.incomplete_reasons.len() - LIST_LIMIT
            )?;
        }
        writeln!(out)?;
    }

    writeln!(out, "| Axis | Grade | Score | Findings |")?;
    writeln!(out, "|:--|:-:|--:|--:|")?;
    for (axis, score) in report.axes.iter() {
        writeln!(
            out,
            "| {axis} | **{}** | {} | {} |",
            score.grade, score.score, score.findings
        )?;
    }
    writeln!(out)?;

    let sorted = order::sorted(&report.findings);
    let critical: Vec<&Finding> = sorted.iter().copied().filter(|f| f.is_critical()).collect();
    if !critical.is_empty() {
        writeln!(out, "### Critical findings ({})\n", critical.len())?;
        for finding in critical.iter().take(CRITICAL_LIMIT) {
            let mut line = format!(
                "- {} {} — {}",
                code_link(finding),
                location_cell(finding, false),
                markdown_message(&finding.message, MESSAGE_MAX, false)
            );
            if let Some(evidence) = finding.evidence.as_deref() {
                let span = markdown_code(evidence, MESSAGE_MAX, false);
                if !span.is_empty() {
                    line.push_str(&format!("<br>{span}"));
                }
            }
            writeln!(out, "{line}")?;
        }
        more(critical.len(), CRITICAL_LIMIT, "critical findings", out)?;
        writeln!(out)?;
    }

    if sorted.is_empty() {
        writeln!(out, "### Findings\n\nNo findings.\n")?;
    } else {
        writeln!(out, "### Findings ({})\n", sorted.len())?;
        writeln!(out, "| Severity | Code | Location | Message |")?;
        writeln!(out, "|:--|:--|:--|:--|")?;
        for finding in sorted.iter().take(FINDINGS_LIMIT) {
            let severity = match (&finding.exemption, finding.severity) {
                (Some(_), severity) => format!("~~{severity}~~ exempted"),
                (None, Severity::High) => format!("**{}**", finding.severity),
                (None, severity) => severity.to_string(),
            };
            let mut message = markdown_message(&finding.message, MESSAGE_MAX, true);
            if let Some(exemption) = &finding.exemption {
                message.push_str(&format!(
                    "<br>exempted until {} by {}: {}",
                    markdown_text(&exemption.expires, 40),
                    markdown_text(&exemption.exempted_by, 80),
                    markdown_message(&exemption.justification, MESSAGE_MAX, true)
                ));
            }
            writeln!(
                out,
                "| {severity} | {} | {} | {message} |",
                code_link(finding),
                location_cell(finding, true),
            )?;
        }
        more(sorted.len(), FINDINGS_LIMIT, "findings", out)?;
        writeln!(out)?;
    }

    if !report.caps.is_empty() {
        writeln!(out, "### Caps applied\n")?;
        for cap in report.caps.iter().take(LIST_LIMIT) {
            writeln!(out, "- {}", markdown_text(&cap_text(cap), MESSAGE_MAX))?;
        }
        more(report.caps.len(), LIST_LIMIT, "caps", out)?;
        writeln!(out)?;
    }

    if !report.deductions.is_empty() {
        let total: f64 = report.deductions.iter().map(|d| d.points).sum();
        writeln!(
            out,
            "<details><summary>Deductions: {}, {} axis points in all</summary>\n",
            report.deductions.len(),
            points(total)
        )?;
        writeln!(out, "| Axis | Points | Reason |")?;
        writeln!(out, "|:--|--:|:--|")?;
        for deduction in report.deductions.iter().take(FINDINGS_LIMIT) {
            writeln!(
                out,
                "| {} | {} | {} |",
                deduction.axis,
                minus(deduction.points),
                markdown_text(&deduction.reason, MESSAGE_MAX)
            )?;
        }
        more(report.deductions.len(), FINDINGS_LIMIT, "deductions", out)?;
        writeln!(out, "\n</details>\n")?;
    }

    let skipped = &report.inventory.skipped;
    if !skipped.is_empty() {
        writeln!(out, "### Skipped files ({})\n", skipped.len())?;
        for item in skipped.iter().take(LIST_LIMIT) {
            let surface = item.surface.map(|s| format!(" ({s})")).unwrap_or_default();
            writeln!(
                out,
                "- {}: {}{surface}",
                code_or_dash(&item.file, false),
                markdown_text(&item.reason, MESSAGE_MAX)
            )?;
        }
        more(skipped.len(), LIST_LIMIT, "skipped files", out)?;
        writeln!(out)?;
    }
    if !report.not_run.is_empty() {
        writeln!(out, "### Checks not run ({})\n", report.not_run.len())?;
        for item in report.not_run.iter().take(LIST_LIMIT) {
            writeln!(
                out,
                "- {}: {}",
                code_or_dash(&item.check, false),
                markdown_text(&item.reason, MESSAGE_MAX)
            )?;
        }
        more(report.not_run.len(), LIST_LIMIT, "checks", out)?;
        writeln!(out)?;
    }
    let stale: Vec<&skillaudit_core::ExemptionRecord> = report
        .exemptions
        .iter()
        .filter(|r| r.state != skillaudit_core::ExemptionState::Applied)
        .collect();
    if !stale.is_empty() {
        writeln!(out, "### Exemptions to review ({})\n", stale.len())?;
        for record in stale.iter().take(LIST_LIMIT) {
            writeln!(
                out,
                "- {}",
                markdown_text(&crate::text::exemption_problem(record), MESSAGE_MAX)
            )?;
        }
        more(stale.len(), LIST_LIMIT, "exemptions", out)?;
        writeln!(out)?;
    }

    let mut footer = format!(
        "<sub>{} {} · methodology {} · audit {}",
        markdown_text(&report.engine.name, PATH_MAX),
        markdown_text(&report.engine.version, PATH_MAX),
        markdown_text(&report.engine.methodology, PATH_MAX),
        code_or_dash(&report.audit_id, false)
    );
    if let Some(url) = report.report_url.as_deref().and_then(safe_link) {
        footer.push_str(&format!(" · [full report]({url})"));
    }
    footer.push_str("</sub>");
    writeln!(out, "{footer}\n")
}

/// The rule code, linked to its documentation when the link is a plain `https://` URL.
fn code_link(finding: &Finding) -> String {
    let code = markdown_text(&finding.code, 40);
    match finding.help_uri.as_deref().and_then(safe_link) {
        Some(url) => format!("[{code}]({url})"),
        None => format!("**{code}**"),
    }
}

/// `` `file:line:col` `` plus the surface when it is not runtime; "package" for findings about
/// the package as a whole.
fn location_cell(finding: &Finding, in_table: bool) -> String {
    let mut cell = match order::location(finding) {
        Some(location) => code_or_dash(&location, in_table),
        None => "(package)".to_string(),
    };
    if finding.surface != Surface::Runtime
        && !(finding.file.is_none() && finding.surface == Surface::Package)
    {
        cell.push_str(&format!(" · {}", finding.surface));
    }
    cell
}

/// Untrusted text as a code span, or an em dash when there is nothing to show.
fn code_or_dash(text: &str, in_table: bool) -> String {
    let span = markdown_code(text, PATH_MAX, in_table);
    if span.is_empty() {
        "—".to_string()
    } else {
        span
    }
}

/// "… and N more things" when a list was cut.
fn more(total: usize, limit: usize, things: &str, out: &mut dyn Write) -> io::Result<()> {
    if total > limit {
        writeln!(out, "\n… and {} more {things}.", total - limit)?;
    }
    Ok(())
}
