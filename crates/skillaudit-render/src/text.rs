//! Terminal output: a header with the grade, the axis table, findings grouped by axis (most
//! severe first), deductions, caps, what was skipped, and a one-line summary per target.
//!
//! Colour is plain ANSI SGR codes, written only when [`RenderOptions::color`] is set; deciding
//! whether stdout is a terminal (and honouring `NO_COLOR`) is the caller's job. Every piece of
//! text that comes from the audited package is escaped first (see the crate documentation), so
//! it cannot move the cursor, clear the screen or reorder the line.

use crate::escape::terminal;
use crate::order::{self, count};
use crate::{target_label, RenderOptions};
use skillaudit_core::{
    Axis, ExemptionRecord, ExemptionState, Finding, Grade, GradeCap, Report, RuleMeta, Severity,
    Surface, TargetError,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

const MESSAGE_MAX: usize = 1000;
const EVIDENCE_LINE_MAX: usize = 240;
const EVIDENCE_LINES_MAX: usize = 5;
const PATH_MAX: usize = 400;

/// Writes the reports for a terminal: one block per report, then the targets that failed.
pub fn render(
    reports: &[Report],
    errors: &[TargetError],
    rules: &[RuleMeta],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let style = Style { color: opts.color };
    for (index, report) in reports.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
            writeln!(out, "{}", style.dim(&"=".repeat(72)))?;
            writeln!(out)?;
        }
        write_report(report, rules, opts, &style, out)?;
    }
    if !errors.is_empty() {
        if !reports.is_empty() {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}",
            style.bold_red(&format!(
                "Could not audit {}:",
                count(errors.len(), "target", "targets")
            ))
        )?;
        for error in errors {
            writeln!(
                out,
                "  {} {}: {}",
                style.red("error"),
                terminal(&error.target, PATH_MAX),
                terminal(&error.error, MESSAGE_MAX)
            )?;
        }
    }
    if reports.len() + errors.len() > 1 {
        writeln!(out)?;
        writeln!(
            out,
            "skillaudit: {} audited, {} could not be audited",
            count(reports.len(), "target", "targets"),
            errors.len()
        )?;
    } else if reports.is_empty() && errors.is_empty() {
        writeln!(out, "skillaudit: nothing was audited")?;
    }
    Ok(())
}

fn write_report(
    report: &Report,
    rules: &[RuleMeta],
    opts: &RenderOptions,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let target = &report.target;
    let mut title = terminal(&target.name, PATH_MAX);
    if let Some(version) = &target.version {
        title.push(' ');
        title.push_str(&terminal(version, PATH_MAX));
    }
    writeln!(
        out,
        "{} {} {}",
        style.bold("SkillAudit report:"),
        style.bold(&title),
        style.dim(&format!("({})", terminal(&target.kind, PATH_MAX)))
    )?;
    writeln!(
        out,
        "Grade {} {}",
        style.grade(report.grade, report.grade.as_str()),
        style.bold(&format!("({}/100)", report.score))
    )?;
    if opts.verbose {
        write_target_details(report, style, out)?;
    }

    if !report.complete {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.bold_red(
                "!! INCOMPLETE: part of this target was not analysed; the grade may be too good"
            )
        )?;
        for reason in &report.incomplete_reasons {
            writeln!(
                out,
                "{}",
                style.red(&format!("!!   - {}", terminal(reason, MESSAGE_MAX)))
            )?;
        }
        if report.incomplete_reasons.is_empty() {
            writeln!(out, "{}", style.red("!!   - (no reason recorded)"))?;
        }
    }

    writeln!(out)?;
    write_axis_table(report, style, out)?;
    write_findings(report, rules, opts, style, out)?;
    write_deductions(report, opts, style, out)?;
    if opts.stats {
        write_analysis_stats(report, style, out)?;
    }

    if !report.caps.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Caps applied"))?;
        for cap in &report.caps {
            writeln!(out, "  - {}", terminal(&cap_text(cap), MESSAGE_MAX))?;
        }
    }

    let skipped = &report.inventory.skipped;
    if !skipped.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Skipped files"))?;
        for item in skipped {
            let surface = item.surface.map(|s| format!(" [{s}]")).unwrap_or_default();
            writeln!(
                out,
                "  - {}: {}{surface}",
                terminal(&item.file, PATH_MAX),
                terminal(&item.reason, MESSAGE_MAX)
            )?;
        }
    }
    if !report.not_run.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Checks not run"))?;
        for item in &report.not_run {
            writeln!(
                out,
                "  - {}: {}",
                terminal(&item.check, PATH_MAX),
                terminal(&item.reason, MESSAGE_MAX)
            )?;
        }
    }
    let stale: Vec<&ExemptionRecord> = report
        .exemptions
        .iter()
        .filter(|r| r.state != ExemptionState::Applied)
        .collect();
    if !stale.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Exemptions to review"))?;
        for record in stale {
            writeln!(
                out,
                "  - {}",
                terminal(&exemption_problem(record), MESSAGE_MAX)
            )?;
        }
    }

    writeln!(out)?;
    writeln!(out, "{}", summary_line(report, style))?;
    Ok(())
}

fn write_target_details(report: &Report, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let target = &report.target;
    let mut rows: Vec<(&str, String)> = vec![
        ("target", terminal(&target.spec, PATH_MAX)),
        ("audit id", terminal(&report.audit_id, PATH_MAX)),
        (
            "engine",
            format!(
                "{} {} (methodology {})",
                terminal(&report.engine.name, PATH_MAX),
                terminal(&report.engine.version, PATH_MAX),
                terminal(&report.engine.methodology, PATH_MAX)
            ),
        ),
        (
            "scanned",
            format!(
                "{} in {} ms",
                terminal(&report.scanned_at, PATH_MAX),
                report.duration_ms
            ),
        ),
    ];
    let optional = [
        ("repository", report.repo.as_ref().or(target.repo.as_ref())),
        ("ref", target.git_ref.as_ref()),
        ("commit", target.commit.as_ref()),
        ("artifact", target.artifact_url.as_ref()),
        ("sha256", target.artifact_sha256.as_ref()),
        ("published", target.published_at.as_ref()),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            rows.push((label, terminal(value, PATH_MAX)));
        }
    }
    let inventory = &report.inventory;
    rows.push((
        "scanned files",
        format!(
            "{} ({} bytes)",
            inventory.files_scanned, inventory.bytes_scanned
        ),
    ));
    if !inventory.languages.is_empty() {
        let languages: Vec<String> = inventory
            .languages
            .iter()
            .map(|(name, stats)| format!("{} {}", terminal(name, PATH_MAX), stats.files))
            .collect();
        rows.push(("languages", languages.join(", ")));
    }
    if let Some(sdk) = &inventory.sdk {
        rows.push((
            "MCP SDK",
            format!(
                "{} {}",
                terminal(&sdk.name, PATH_MAX),
                terminal(&sdk.version, PATH_MAX)
            ),
        ));
    }
    if !inventory.tools.is_empty() {
        let tools: Vec<String> = inventory
            .tools
            .iter()
            .map(|tool| terminal(&tool.name, PATH_MAX))
            .collect();
        rows.push(("tools", tools.join(", ")));
    }
    let dependencies = &report.dependencies;
    rows.push((
        "dependencies",
        format!(
            "{} direct, {} total, {} advisories",
            dependencies.direct,
            dependencies.total,
            dependencies.advisories.len()
        ),
    ));
    for (label, value) in rows {
        writeln!(out, "  {} {value}", style.dim(&format!("{label:<13}")))?;
    }
    Ok(())
}

fn write_axis_table(report: &Report, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<15} {:>5} {:>6} {:>9}",
            "Axis", "Grade", "Score", "Findings"
        ))
    )?;
    for (axis, score) in report.axes.iter() {
        // Pad before colouring: escape codes have no width.
        let grade = format!("{:>5}", score.grade.as_str());
        writeln!(
            out,
            "{:<15} {} {:>6} {:>9}",
            axis.as_str(),
            style.grade(score.grade, &grade),
            score.score,
            score.findings
        )?;
    }
    Ok(())
}

fn write_findings(
    report: &Report,
    rules: &[RuleMeta],
    opts: &RenderOptions,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out)?;
    if report.findings.is_empty() {
        writeln!(out, "{}", style.bold("Findings: none"))?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        style.bold(&format!("Findings ({})", report.findings.len()))
    )?;
    // Without --verbose, findings that deduct nothing (INFO, or on the test surface) are counted,
    // not listed: they are still in every machine-readable format.
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.verbose || (f.severity != Severity::Info && f.surface != Surface::Test))
        .collect();
    let hidden = report.findings.len() - shown.len();
    for (axis, group) in order::by_axis(&shown) {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.bold(&format!(
                "{axis} ({})",
                count(group.len(), "finding", "findings")
            ))
        )?;
        for finding in group {
            write_finding(finding, rules, opts, style, out)?;
        }
    }
    if hidden > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.dim(&format!(
                "{} not shown: INFO or on the test surface, they deduct nothing (verbose output lists them)",
                count(hidden, "finding", "findings")
            ))
        )?;
    }
    Ok(())
}

fn write_finding(
    finding: &Finding,
    rules: &[RuleMeta],
    opts: &RenderOptions,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    const INDENT: &str = "            ";
    let severity = format!("{:<6}", finding.severity.as_str());
    let location = order::location(finding)
        .map(|l| terminal(&l, PATH_MAX))
        .unwrap_or_else(|| "(package)".to_string());
    // "(package)" already says where a finding without a file sits.
    let surface = if finding.surface == Surface::Runtime
        || (finding.file.is_none() && finding.surface == Surface::Package)
    {
        String::new()
    } else {
        format!("  {}", style.magenta(&format!("[{}]", finding.surface)))
    };
    // The short fingerprint is what an exemption's `fingerprint:` or a baseline can name.
    writeln!(
        out,
        "  {} {} {}{surface}  {}",
        style.severity(finding.severity, &severity),
        style.bold(&format!("{:<9}", terminal(&finding.code, 40))),
        location,
        style.dim(&format!(
            "#{}",
            terminal(short_fingerprint(&finding.fingerprint), 40)
        ))
    )?;
    writeln!(out, "{INDENT}{}", terminal(&finding.message, MESSAGE_MAX))?;
    if let Some(exemption) = &finding.exemption {
        writeln!(
            out,
            "{INDENT}{} until {} by {} ({}): {}",
            style.magenta("exempted"),
            terminal(&exemption.expires, 40),
            terminal(&exemption.exempted_by, PATH_MAX),
            terminal(&exemption.source, PATH_MAX),
            terminal(&exemption.justification, MESSAGE_MAX)
        )?;
    }
    if let Some(evidence) = &finding.evidence {
        let lines: Vec<&str> = evidence.lines().collect();
        for line in lines.iter().take(EVIDENCE_LINES_MAX) {
            writeln!(
                out,
                "{INDENT}{} {}",
                style.dim("|"),
                terminal(line, EVIDENCE_LINE_MAX)
            )?;
        }
        if lines.len() > EVIDENCE_LINES_MAX {
            writeln!(
                out,
                "{INDENT}{} … {} more",
                style.dim("|"),
                count(lines.len() - EVIDENCE_LINES_MAX, "line", "lines")
            )?;
        }
    }
    if let Some(fix) = &finding.fix {
        writeln!(
            out,
            "{INDENT}{} {}",
            style.green("fix:"),
            terminal(fix, MESSAGE_MAX)
        )?;
    }
    if opts.verbose {
        let mut details = Vec::new();
        if let Some(rule) = rules.iter().find(|r| r.code == finding.code) {
            details.push(format!("rule {}", rule.name));
        }
        details.push(format!("confidence {:?}", finding.confidence).to_lowercase());
        if let Some(cwe) = &finding.cwe {
            details.push(terminal(cwe, 40));
        }
        if let Some(tool) = &finding.tool {
            details.push(format!("tool {}", terminal(tool, PATH_MAX)));
        }
        details.push(format!(
            "fingerprint {}",
            terminal(&finding.fingerprint, 80)
        ));
        writeln!(out, "{INDENT}{}", style.dim(&details.join(" · ")))?;
        if let Some(help) = &finding.help_uri {
            writeln!(
                out,
                "{INDENT}{}",
                style.dim(&format!("help: {}", terminal(help, PATH_MAX)))
            )?;
        }
    }
    Ok(())
}

fn write_deductions(
    report: &Report,
    opts: &RenderOptions,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if report.deductions.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", style.bold("Deductions"))?;
    let mut by_axis: BTreeMap<Axis, (f64, usize)> = BTreeMap::new();
    for deduction in &report.deductions {
        let entry = by_axis.entry(deduction.axis).or_default();
        entry.0 += deduction.points;
        entry.1 += 1;
    }
    // Findings that deduct nothing (test surface) are left out of the per-axis summary.
    for (axis, (total, n)) in by_axis.into_iter().filter(|(_, (total, _))| *total != 0.0) {
        writeln!(
            out,
            "  {:<15} {:>8} points from {}",
            axis.as_str(),
            minus(total),
            count(n, "finding", "findings")
        )?;
    }
    if opts.verbose {
        for deduction in &report.deductions {
            writeln!(
                out,
                "    {:>8}  {:<13}  {}",
                minus(deduction.points),
                deduction.axis.as_str(),
                terminal(&deduction.reason, MESSAGE_MAX)
            )?;
        }
    }
    Ok(())
}

/// Points taken off, as `-25`; nothing taken off is `0`, not `-0`.
pub(crate) fn minus(value: f64) -> String {
    if value == 0.0 {
        "0".to_string()
    } else {
        format!("-{}", points(value))
    }
}

/// Points with at most two decimals and no trailing zeros: `25`, `12.5`, `6.25`.
pub(crate) fn points(value: f64) -> String {
    let text = format!("{value:.2}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A cap's reason, with its limit added when the reason does not already state it.
pub(crate) fn cap_text(cap: &GradeCap) -> String {
    if cap.reason.contains(&cap.max_score.to_string()) {
        cap.reason.clone()
    } else {
        format!("{} (score at most {})", cap.reason, cap.max_score)
    }
}

/// `skillaudit: B (84/100) — 1 critical, 3 findings — npm:foo@1.0.0`.
fn summary_line(report: &Report, style: &Style) -> String {
    let critical = report.critical_findings.len();
    let mut counts = Vec::new();
    if critical > 0 {
        counts.push(style.bold_red(&format!("{critical} critical")));
    }
    counts.push(count(report.findings.len(), "finding", "findings"));
    let mut line = format!(
        "skillaudit: {} ({}/100) — {} — {}",
        style.grade(report.grade, report.grade.as_str()),
        report.score,
        counts.join(", "),
        terminal(&target_label(&report.target), PATH_MAX)
    );
    if !report.complete {
        line.push_str(" — ");
        line.push_str(&style.bold_red("INCOMPLETE"));
    }
    line
}

/// ANSI SGR styling that is a no-op without colour.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, sgr: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    fn bold_red(&self, text: &str) -> String {
        self.paint("1;31", text)
    }

    fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    fn magenta(&self, text: &str) -> String {
        self.paint("35", text)
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::High => self.paint("1;31", text),
            Severity::Medium => self.paint("33", text),
            Severity::Low => self.paint("36", text),
            Severity::Info => self.paint("2", text),
        }
    }

    fn grade(&self, grade: Grade, text: &str) -> String {
        match grade {
            Grade::A => self.paint("1;32", text),
            Grade::B => self.paint("1;36", text),
            Grade::C => self.paint("1;33", text),
            Grade::D | Grade::F => self.paint("1;31", text),
        }
    }
}

/// The first [`SHORT_FINGERPRINT`] characters of a fingerprint, as the text output shows it.
fn short_fingerprint(fingerprint: &str) -> &str {
    match fingerprint.char_indices().nth(SHORT_FINGERPRINT) {
        Some((end, _)) => &fingerprint[..end],
        None => fingerprint,
    }
}

/// Characters of a fingerprint the text output shows (exemptions accept that prefix).
const SHORT_FINGERPRINT: usize = 8;

/// One line about an exemption that needs attention: expired, or matching nothing.
pub(crate) fn exemption_problem(record: &ExemptionRecord) -> String {
    let what = match (&record.finding, &record.fingerprint, &record.file) {
        (Some(code), _, Some(file)) => format!("{code} in {file}"),
        (Some(code), _, None) => code.clone(),
        (None, Some(print), _) => format!("fingerprint {print}"),
        (None, None, Some(file)) => format!("findings in {file}"),
        (None, None, None) => "an entry".to_string(),
    };
    match record.state {
        ExemptionState::Expired => format!(
            "{}: {what} expired on {} (by {}): renew it with a new justification or remove it",
            record.source, record.expires, record.exempted_by
        ),
        ExemptionState::Unused => format!(
            "{}: {what} matches no finding (fixed, or written for another file): remove it",
            record.source
        ),
        ExemptionState::Applied => format!(
            "{}: {what} covers {} finding(s)",
            record.source, record.matched
        ),
    }
}

/// `scan --stats`: what the code analysis reached (see `AnalysisStats`).
fn write_analysis_stats(report: &Report, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", style.bold("Analysis reach"))?;
    let Some(a) = &report.analysis else {
        writeln!(out, "  (not recorded in this report)")?;
        return Ok(());
    };
    let list = |m: &std::collections::BTreeMap<String, u32>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  files analysed: {}", a.files_analysed)?;
    writeln!(
        out,
        "  calls on data paths: {} ({}); unresolved {:.1}%",
        a.calls_on_data_paths,
        list(&a.calls_by_resolution),
        a.unresolved_share * 100.0
    )?;
    if !a.unresolved_by_reason.is_empty() {
        writeln!(
            out,
            "    unresolved by reason: {}",
            list(&a.unresolved_by_reason)
        )?;
    }
    writeln!(
        out,
        "  sinks: {} ({} with a non-constant argument): {}",
        a.sinks,
        a.sinks_non_constant,
        list(&a.sinks_by_status)
    )?;
    for e in &a.unresolved_examples {
        writeln!(out, "    unresolved: {}", terminal(e, MESSAGE_MAX))?;
    }
    for e in &a.no_caller_examples {
        writeln!(out, "    no caller: {}", terminal(e, MESSAGE_MAX))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::points;

    #[test]
    fn points_drop_trailing_zeros() {
        assert_eq!(points(25.0), "25");
        assert_eq!(points(12.5), "12.5");
        assert_eq!(points(6.25), "6.25");
        assert_eq!(points(f64::NAN), "NaN");
    }
}
