//! A self-contained HTML report page: the grade as a large coloured letter, the six axes as bars,
//! caps, critical findings, every finding grouped by axis and severity with its code frame, the
//! deductions, dependency advisories, exemptions, and what was skipped or not run.
//!
//! The page is one file that works offline and in print: inline CSS, no scripts, no fonts, images
//! or anything else fetched, and a Content-Security-Policy ([`CONTENT_SECURITY_POLICY`]) that
//! forbids all of it, so even a mistake in escaping could not run a script or load a tracker.
//!
//! Every text from the report is untrusted (see the crate documentation, "Untrusted text"): it is
//! HTML-escaped in text and attribute values alike, its control and bidirectional-override
//! characters are shown as visible `\u{…}` escapes, and a URL becomes a link only when it starts
//! with `https://` or `http://` (a `javascript:` help URI stays plain text).
//!
//! # Hooks for tests and tooling
//!
//! Elements carry stable ids, classes and data attributes:
//!
//! | element | marks |
//! |---|---|
//! | `section.report` | one per report: `data-grade`, `data-score`, `data-complete`, `data-audit-id` |
//! | `#grade` | the overall grade: `data-grade`, `data-score` |
//! | `div.axis` | one per axis: `data-axis`, `data-score`, `data-grade`, `data-findings`, `data-weight` |
//! | `#incomplete` | the banner of an incomplete report; `li.incomplete-reason` each reason |
//! | `li.critical-finding` | a critical finding: `data-code`, `data-fingerprint` |
//! | `tr.finding` | one per finding: `data-code`, `data-severity`, `data-axis`, `data-surface`, `data-fingerprint`, and `data-exempted="true"` (plus class `exempted`) when exempted |
//! | `tr.deduction` | `data-axis`, `data-points` |
//! | `tr.advisory`, `tr.exemption-record` (`data-state`), `tr.skipped`, `li.not-run`, `li.cap`, `li.target-error` | the other lists |
//!
//! With several reports on one page, the ids of the n-th report end in `-n` (`grade-2`,
//! `incomplete-2`); with one report they are bare (`grade`, `incomplete`).

use crate::escape::{truncate, visible};
use crate::order::{self, count};
use crate::text::{cap_text, minus, points};
use crate::{target_label, RenderOptions};
use skillaudit_core::scoring::axis_weight;
use skillaudit_core::{
    Axis, Confidence, ExemptionRecord, ExemptionState, Finding, Report, RuleMeta, Severity,
    Surface, TargetError,
};
use std::io::{self, Write};

/// The page's Content-Security-Policy: nothing may load or run; only the inline styles apply.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const MESSAGE_MAX: usize = 2_000;
const EVIDENCE_MAX: usize = 4_000;
const PATH_MAX: usize = 300;
const SHORT_MAX: usize = 200;

/// The stylesheet. System fonts only; colours by grade through the `--c` custom property of the
/// `g-A` … `g-F` classes; backgrounds kept when printing.
const STYLE: &str = r#"
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:15px;font-weight:600;color:var(--muted);margin:0 0 4px;text-transform:uppercase;letter-spacing:.06em}
h2{font-size:24px;margin:8px 0 12px;word-break:break-all}
h3{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h4{font-size:15px;margin:18px 0 6px}
a{color:#0550ae}
code,pre{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:12.5px}
code{background:var(--soft);padding:0 3px;border-radius:3px;word-break:break-all}
.muted{color:var(--muted)}
.g-A{--c:#2e7d32}.g-B{--c:#7cb342}.g-C{--c:#f9a825}.g-D{--c:#ef6c00}.g-F{--c:#c62828}
section.report{margin:0 0 48px}
section.report + section.report{border-top:3px solid var(--line);padding-top:24px}
dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:4px 24px;margin:0 0 16px}
dl.meta div{min-width:0}
dl.meta dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
dl.meta dd{margin:0;word-break:break-all}
.banner{border:2px solid #c62828;border-left-width:8px;background:#fdecea;color:#5f1111;padding:12px 16px;border-radius:6px;margin:16px 0}
.banner strong{font-size:16px}
.banner ul{margin:6px 0 0;padding-left:20px}
.summary{display:flex;flex-wrap:wrap;gap:28px;align-items:center;margin:8px 0 16px;padding:16px;border:1px solid var(--line);border-radius:8px}
.grade{min-width:150px;text-align:center}
.grade .letter{display:block;font-size:104px;font-weight:800;line-height:1;color:var(--c)}
.grade .score{display:block;font-size:22px;font-weight:700}
.grade .of{font-size:14px;color:var(--muted);font-weight:400}
.grade .counts{display:block;font-size:13px;color:var(--muted)}
.axes{flex:1;min-width:340px}
.axis{display:grid;grid-template-columns:120px minmax(80px,1fr) 24px 34px 92px 84px;gap:10px;align-items:center;padding:3px 0}
.axis-name{font-weight:600}
.bar{display:block;height:14px;background:#e6eaef;border-radius:7px;overflow:hidden}
.fill{display:block;height:100%;background:var(--c);border-radius:7px 0 0 7px}
.axis-grade{font-weight:800;color:var(--c);text-align:center;font-size:16px}
.axis-score{text-align:right;font-variant-numeric:tabular-nums}
.axis-findings,.axis-weight{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--soft);font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
tr.group-heading th{background:#fff;font-size:13px;padding-top:10px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.findings-table{table-layout:fixed}
.findings-table thead th:nth-child(1){width:96px}
.findings-table thead th:nth-child(2){width:180px}
.findings-table thead th:nth-child(3){width:250px}
td.where,td.code-cell{word-break:break-all}
.sev{display:inline-block;padding:1px 7px;border-radius:4px;font-size:11.5px;font-weight:700;color:#fff;letter-spacing:.03em}
.sev-HIGH{background:#c62828}.sev-MEDIUM{background:#e65100}.sev-LOW{background:#f9a825;color:#1f2328}.sev-INFO{background:#6e7781}
a.code,span.code{font-weight:700;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.rule-name,.surface,.facts{font-size:12px;color:var(--muted)}
p.message{margin:0;font-weight:500}
p.fix,p.exemption,p.facts{margin:4px 0 0}
pre.frame{margin:6px 0 0;padding:6px 10px;background:var(--soft);border:1px solid var(--line);border-left:3px solid var(--c,#8c959f);border-radius:4px;white-space:pre-wrap;word-break:break-all;overflow-x:auto}
.ln{display:inline-block;min-width:4ch;margin-right:1.5ch;padding-right:1ch;border-right:1px solid var(--line);color:var(--muted);text-align:right;user-select:none}
tr.exempted td{color:var(--muted);background:#fafbfc}
tr.exempted .sev{background:#8c959f;color:#fff}
tr.exempted p.message{text-decoration:line-through;text-decoration-color:#8c959f}
p.exemption{font-style:italic}
ol.critical-list{padding-left:22px}
ol.critical-list li{margin:4px 0;padding:6px 10px;border-left:4px solid #c62828;background:#fdf3f2;list-style-position:outside}
tr.state-expired td{color:#b71c1c}
.none{color:var(--muted);font-style:italic}
footer{margin-top:40px;font-size:12px;color:var(--muted)}
@media print{
main{max-width:none;padding:0}
.summary,.banner,.bar,.fill,.sev,pre.frame,ol.critical-list li,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
tr,pre,.axis,.banner,li{break-inside:avoid}
h3,h4{break-after:avoid}
a{color:inherit;text-decoration:none}
}
"#;

/// Writes the reports as one HTML page: an overview table first when there are several, then one
/// section per report, then the targets that could not be audited.
pub fn render(
    reports: &[Report],
    errors: &[TargetError],
    rules: &[RuleMeta],
    _opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut page = String::with_capacity(32 * 1024);
    write_head(&mut page, reports, errors);
    page.push_str("<body>\n<main>\n<h1>SkillAudit report</h1>\n");
    if reports.len() + errors.len() > 1 {
        write_overview(&mut page, reports, errors);
    }
    let numbered = reports.len() > 1;
    for (index, report) in reports.iter().enumerate() {
        let ids = Ids {
            suffix: if numbered {
                format!("-{}", index + 1)
            } else {
                String::new()
            },
        };
        write_report(&mut page, report, rules, &ids);
    }
    if !errors.is_empty() {
        write_errors(&mut page, errors);
    }
    if reports.is_empty() && errors.is_empty() {
        page.push_str("<p class=\"none\" id=\"nothing\">Nothing was audited.</p>\n");
    }
    write_footer(&mut page, reports);
    page.push_str("</main>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// Element ids of one report: bare on a one-report page, numbered when there are several.
struct Ids {
    suffix: String,
}

impl Ids {
    fn id(&self, name: &str) -> String {
        format!("{name}{}", self.suffix)
    }
}

fn write_head(page: &mut String, reports: &[Report], errors: &[TargetError]) {
    let title = match (reports, errors.len()) {
        ([report], 0) => format!(
            "SkillAudit: {} — grade {} ({}/100)",
            target_label(&report.target),
            report.grade,
            report.score
        ),
        ([], 0) => "SkillAudit: nothing audited".to_string(),
        _ => format!(
            "SkillAudit: {}",
            count(reports.len() + errors.len(), "target", "targets")
        ),
    };
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
        escape_html(CONTENT_SECURITY_POLICY)
    ));
    page.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<meta name=\"generator\" content=\"SkillAudit\">\n");
    page.push_str(&format!("<title>{}</title>\n", text(&title, PATH_MAX)));
    page.push_str("<style>");
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n");
}

fn write_overview(page: &mut String, reports: &[Report], errors: &[TargetError]) {
    page.push_str(&format!(
        "<h2>{} audited{}</h2>\n",
        count(reports.len(), "target", "targets"),
        if errors.is_empty() {
            String::new()
        } else {
            format!(", {} could not be audited", errors.len())
        }
    ));
    page.push_str("<table id=\"overview\">\n<thead><tr><th>Target</th><th>Grade</th><th>Score</th><th>Critical</th><th>Findings</th><th>Complete</th></tr></thead>\n<tbody>\n");
    for (index, report) in reports.iter().enumerate() {
        page.push_str(&format!(
            "<tr class=\"overview-row g-{grade}\" data-grade=\"{grade}\" data-score=\"{score}\"><td><a href=\"#report-{n}\">{label}</a></td><td><strong style=\"color:var(--c)\">{grade}</strong></td><td class=\"num\">{score}</td><td class=\"num\">{critical}</td><td class=\"num\">{findings}</td><td>{complete}</td></tr>\n",
            grade = report.grade,
            score = report.score,
            n = index + 1,
            label = text(&target_label(&report.target), PATH_MAX),
            critical = critical_findings(report).len(),
            findings = report.findings.len(),
            complete = if report.complete { "yes" } else { "<strong>no</strong>" },
        ));
    }
    for error in errors {
        page.push_str(&format!(
            "<tr class=\"overview-row error\"><td>{}</td><td>—</td><td class=\"num\">—</td><td class=\"num\">—</td><td class=\"num\">—</td><td><strong>error</strong></td></tr>\n",
            text(&error.target, PATH_MAX)
        ));
    }
    page.push_str("</tbody>\n</table>\n");
}

fn write_report(page: &mut String, report: &Report, rules: &[RuleMeta], ids: &Ids) {
    let label = target_label(&report.target);
    page.push_str(&format!(
        "<section class=\"report\" id=\"{}\" data-grade=\"{}\" data-score=\"{}\" data-complete=\"{}\" data-audit-id=\"{}\">\n",
        ids.id("report"),
        report.grade,
        report.score,
        report.complete,
        text(&report.audit_id, SHORT_MAX)
    ));
    page.push_str(&format!(
        "<h2 class=\"target\">{}</h2>\n",
        text(&label, PATH_MAX)
    ));
    write_meta(page, report);
    if !report.complete {
        write_incomplete_banner(page, report, ids);
    }
    write_summary(page, report, ids);
    write_caps(page, report, ids);
    let sorted = order::sorted(&report.findings);
    write_critical(page, &sorted, rules, ids);
    write_findings(page, &sorted, rules, ids);
    write_deductions(page, report, ids);
    write_dependencies(page, report, ids);
    write_exemptions(page, &report.exemptions, ids);
    write_skipped(page, report, ids);
    write_not_run(page, report, ids);
    page.push_str("</section>\n");
}

fn write_meta(page: &mut String, report: &Report) {
    let target = &report.target;
    let mut items: Vec<(&str, &str, String)> = vec![
        (
            "target",
            "Target",
            format!("<code>{}</code>", text(&target_label(target), PATH_MAX)),
        ),
        ("kind", "Kind", text(&target.kind, SHORT_MAX)),
        (
            "version",
            "Version",
            target
                .version
                .as_deref()
                .map(|version| text(version, SHORT_MAX))
                .unwrap_or_else(|| "—".to_string()),
        ),
    ];
    if let Some(repo) = report.repo.as_deref().or(target.repo.as_deref()) {
        items.push((
            "repo",
            "Repository",
            link_or_text(repo, &text(repo, PATH_MAX)),
        ));
    }
    if let Some(git_ref) = target.git_ref.as_deref() {
        items.push((
            "ref",
            "Ref",
            format!("<code>{}</code>", text(git_ref, SHORT_MAX)),
        ));
    }
    if let Some(commit) = target.commit.as_deref() {
        items.push((
            "commit",
            "Commit",
            format!("<code>{}</code>", text(commit, SHORT_MAX)),
        ));
    }
    items.push((
        "audit-id",
        "Audit id",
        format!("<code>{}</code>", text(&report.audit_id, SHORT_MAX)),
    ));
    items.push((
        "scanned-at",
        "Scanned at",
        text(&report.scanned_at, SHORT_MAX),
    ));
    items.push((
        "engine",
        "Engine",
        format!(
            "{} {} · methodology {}",
            text(&report.engine.name, SHORT_MAX),
            text(&report.engine.version, SHORT_MAX),
            text(&report.engine.methodology, SHORT_MAX)
        ),
    ));
    items.push((
        "files-scanned",
        "Files scanned",
        format!(
            "{} in {} ms",
            report.inventory.files_scanned, report.duration_ms
        ),
    ));
    page.push_str("<dl class=\"meta\">\n");
    for (field, name, value) in items {
        page.push_str(&format!(
            "<div data-field=\"{field}\"><dt>{name}</dt><dd>{value}</dd></div>\n"
        ));
    }
    page.push_str("</dl>\n");
}

fn write_incomplete_banner(page: &mut String, report: &Report, ids: &Ids) {
    page.push_str(&format!(
        "<div class=\"banner incomplete\" id=\"{}\" role=\"alert\">\n<strong>Incomplete report:</strong> part of this target was not analysed, so the grade may be better than the code deserves.\n",
        ids.id("incomplete")
    ));
    if !report.incomplete_reasons.is_empty() {
        page.push_str("<ul>\n");
        for reason in &report.incomplete_reasons {
            page.push_str(&format!(
                "<li class=\"incomplete-reason\">{}</li>\n",
                text(reason, MESSAGE_MAX)
            ));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</div>\n");
}

fn write_summary(page: &mut String, report: &Report, ids: &Ids) {
    let critical = critical_findings(report).len();
    page.push_str("<div class=\"summary\">\n");
    page.push_str(&format!(
        "<div class=\"grade g-{grade}\" id=\"{id}\" data-grade=\"{grade}\" data-score=\"{score}\" role=\"img\" aria-label=\"Grade {grade}, score {score} of 100\"><span class=\"letter\">{grade}</span><span class=\"score\">{score}<span class=\"of\">/100</span></span><span class=\"counts\">{critical} · {findings}</span></div>\n",
        grade = report.grade,
        id = ids.id("grade"),
        score = report.score,
        critical = count(critical, "critical", "critical"),
        findings = count(report.findings.len(), "finding", "findings"),
    ));
    page.push_str(&format!("<div class=\"axes\" id=\"{}\">\n", ids.id("axes")));
    for (axis, score) in report.axes.iter() {
        let weight = (axis_weight(axis) * 100.0).round();
        let width = score.score.min(100);
        page.push_str(&format!(
            "<div class=\"axis g-{grade}\" data-axis=\"{axis}\" data-score=\"{score}\" data-grade=\"{grade}\" data-findings=\"{findings}\" data-weight=\"{weight}\"><span class=\"axis-name\">{name}</span><span class=\"bar\" role=\"img\" aria-label=\"{name}: {score} of 100\"><span class=\"fill\" style=\"width:{width}%\"></span></span><span class=\"axis-grade\">{grade}</span><span class=\"axis-score\">{score}</span><span class=\"axis-findings\">{findings_text}</span><span class=\"axis-weight\">weight {weight}%</span></div>\n",
            grade = score.grade,
            score = score.score,
            findings = score.findings,
            name = axis_title(axis),
            findings_text = count(score.findings as usize, "finding", "findings"),
        ));
    }
    page.push_str("</div>\n</div>\n");
}

fn write_caps(page: &mut String, report: &Report, ids: &Ids) {
    if report.caps.is_empty() {
        return;
    }
    page.push_str(&format!(
        "<section class=\"caps\" id=\"{}\">\n<h3>Caps applied</h3>\n<ul>\n",
        ids.id("caps")
    ));
    for cap in &report.caps {
        page.push_str(&format!(
            "<li class=\"cap\" data-max-score=\"{}\">{}</li>\n",
            cap.max_score,
            text(&cap_text(cap), MESSAGE_MAX)
        ));
    }
    page.push_str("</ul>\n</section>\n");
}

fn write_critical(page: &mut String, sorted: &[&Finding], rules: &[RuleMeta], ids: &Ids) {
    let critical: Vec<&Finding> = sorted.iter().copied().filter(|f| f.is_critical()).collect();
    if critical.is_empty() {
        return;
    }
    page.push_str(&format!(
        "<section class=\"critical\" id=\"{}\">\n<h3>Critical findings ({})</h3>\n<p class=\"muted\">HIGH findings on the runtime tool surface: code a prompt-injected model can reach.</p>\n<ol class=\"critical-list\">\n",
        ids.id("critical"),
        critical.len()
    ));
    for finding in critical {
        page.push_str(&format!(
            "<li class=\"critical-finding\" data-code=\"{}\" data-fingerprint=\"{}\">{} {} <code class=\"location\">{}</code> — {}</li>\n",
            text(&finding.code, SHORT_MAX),
            text(&finding.fingerprint, SHORT_MAX),
            severity_badge(finding.severity),
            code_link(finding, rules),
            location_text(finding),
            message_html(&finding.message)
        ));
    }
    page.push_str("</ol>\n</section>\n");
}

fn write_findings(page: &mut String, sorted: &[&Finding], rules: &[RuleMeta], ids: &Ids) {
    page.push_str(&format!(
        "<section class=\"findings\" id=\"{}\">\n<h3>Findings ({})</h3>\n",
        ids.id("findings"),
        sorted.len()
    ));
    if sorted.is_empty() {
        page.push_str("<p class=\"none\">No findings.</p>\n</section>\n");
        return;
    }
    for (axis, group) in order::by_axis(sorted) {
        page.push_str(&format!(
            "<div class=\"axis-findings\" data-axis=\"{axis}\">\n<h4>{} <span class=\"muted\">· {}</span></h4>\n<table class=\"findings-table\">\n<thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Finding</th></tr></thead>\n",
            axis_title(axis),
            count(group.len(), "finding", "findings")
        ));
        for severity in Severity::ALL {
            let rows: Vec<&Finding> = group
                .iter()
                .copied()
                .filter(|f| f.severity == severity)
                .collect();
            if rows.is_empty() {
                continue;
            }
            page.push_str(&format!(
                "<tbody class=\"severity-group\" data-severity=\"{severity}\">\n<tr class=\"group-heading\"><th colspan=\"4\">{severity} · {}</th></tr>\n",
                rows.len()
            ));
            for finding in rows {
                write_finding_row(page, finding, rules);
            }
            page.push_str("</tbody>\n");
        }
        page.push_str("</table>\n</div>\n");
    }
    page.push_str("</section>\n");
}

fn write_finding_row(page: &mut String, finding: &Finding, rules: &[RuleMeta]) {
    let exempted = finding.exemption.is_some();
    let rule_name = rules
        .iter()
        .find(|rule| rule.code == finding.code)
        .map(|rule| {
            format!(
                "<div class=\"rule-name\">{}</div>",
                text(rule.name, SHORT_MAX)
            )
        })
        .unwrap_or_default();
    let surface = if finding.file.is_none() && finding.surface == Surface::Package {
        String::new()
    } else {
        format!("<div class=\"surface\">{} surface</div>", finding.surface)
    };

    let mut details = format!(
        "<p class=\"message\">{}</p>",
        message_html(&finding.message)
    );
    if let Some(exemption) = &finding.exemption {
        details.push_str(&format!(
            "<p class=\"exemption\">Not counted: exempted until {} by {}: {} <span class=\"muted\">({})</span></p>",
            text(&exemption.expires, SHORT_MAX),
            text(&exemption.exempted_by, SHORT_MAX),
            text(&exemption.justification, MESSAGE_MAX),
            text(&exemption.source, PATH_MAX)
        ));
    }
    if let Some(evidence) = finding.evidence.as_deref() {
        details.push_str(&code_frame(evidence, finding.line));
    }
    if let Some(fix) = finding.fix.as_deref() {
        details.push_str(&format!(
            "<p class=\"fix\"><strong>Fix:</strong> {}</p>",
            message_html(fix)
        ));
    }
    let mut facts = Vec::new();
    if let Some(tool) = finding.tool.as_deref() {
        facts.push(format!("tool <code>{}</code>", text(tool, SHORT_MAX)));
    }
    if let Some(cwe) = finding.cwe.as_deref() {
        facts.push(text(cwe, SHORT_MAX));
    }
    facts.push(format!(
        "confidence {}",
        match finding.confidence {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    ));
    facts.push(format!(
        "fingerprint <code>{}</code>",
        text(&finding.fingerprint, SHORT_MAX)
    ));
    details.push_str(&format!("<p class=\"facts\">{}</p>", facts.join(" · ")));

    page.push_str(&format!(
        "<tr class=\"finding{exempted_class}\" data-code=\"{code}\" data-severity=\"{severity}\" data-axis=\"{axis}\" data-surface=\"{surface_name}\" data-fingerprint=\"{fingerprint}\"{exempted_attr}><td class=\"sev-cell\">{badge}</td><td class=\"code-cell\">{link}{rule_name}</td><td class=\"where\"><code class=\"location\">{location}</code>{surface}</td><td class=\"details\">{details}</td></tr>\n",
        exempted_class = if exempted { " exempted" } else { "" },
        code = text(&finding.code, SHORT_MAX),
        severity = finding.severity,
        axis = finding.axis,
        surface_name = finding.surface,
        fingerprint = text(&finding.fingerprint, SHORT_MAX),
        exempted_attr = if exempted { " data-exempted=\"true\"" } else { "" },
        badge = severity_badge(finding.severity),
        link = code_link(finding, rules),
        location = location_text(finding),
    ));
}

fn write_deductions(page: &mut String, report: &Report, ids: &Ids) {
    let total: f64 = report.deductions.iter().map(|d| d.points).sum();
    page.push_str(&format!(
        "<section class=\"deductions\" id=\"{}\">\n<h3>Deductions ({}, {} axis points in all)</h3>\n",
        ids.id("deductions"),
        report.deductions.len(),
        points(total)
    ));
    if report.deductions.is_empty() {
        page.push_str("<p class=\"none\">No points deducted.</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<table>\n<thead><tr><th>Axis</th><th>Points</th><th>Reason</th></tr></thead>\n<tbody>\n",
    );
    for deduction in &report.deductions {
        page.push_str(&format!(
            "<tr class=\"deduction\" data-axis=\"{}\" data-points=\"{}\"><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            deduction.axis,
            points(deduction.points),
            axis_title(deduction.axis),
            minus(deduction.points),
            text(&deduction.reason, MESSAGE_MAX)
        ));
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn write_dependencies(page: &mut String, report: &Report, ids: &Ids) {
    let deps = &report.dependencies;
    if deps.advisories.is_empty() && deps.deprecated.is_empty() && deps.yanked.is_empty() {
        return;
    }
    page.push_str(&format!(
        "<section class=\"dependencies\" id=\"{}\">\n<h3>Dependencies <span class=\"muted\">· {} direct, {} in all</span></h3>\n",
        ids.id("dependencies"),
        deps.direct,
        deps.total
    ));
    if !deps.advisories.is_empty() {
        page.push_str(&format!(
            "<h4>Advisories ({})</h4>\n<table>\n<thead><tr><th>Advisory</th><th>Package</th><th>Version</th><th>Severity</th><th>Fixed in</th><th>Pulled in by</th></tr></thead>\n<tbody>\n",
            deps.advisories.len()
        ));
        for advisory in &deps.advisories {
            page.push_str(&format!(
                "<tr class=\"advisory\" data-id=\"{id}\" data-severity=\"{severity}\"><td><code>{label}</code></td><td><code>{package}</code></td><td>{version}</td><td>{badge}</td><td>{fixed}</td><td>{path}</td></tr>\n",
                id = text(&advisory.id, SHORT_MAX),
                label = text(
                    &if advisory.aliases.is_empty() {
                        advisory.id.clone()
                    } else {
                        format!("{} ({})", advisory.id, advisory.aliases.join(", "))
                    },
                    SHORT_MAX * 3
                ),
                fixed = text(
                    &if advisory.fixed.is_empty() {
                        "no fix known".to_string()
                    } else {
                        advisory.fixed.join(", ")
                    },
                    SHORT_MAX
                ),
                path = text(
                    &if advisory.audited_package {
                        "the audited package itself".to_string()
                    } else {
                        advisory.path.join(" › ")
                    },
                    PATH_MAX
                ),
                severity = advisory.severity,
                package = text(&advisory.package, PATH_MAX),
                version = text(&advisory.version, SHORT_MAX),
                badge = severity_badge(advisory.severity),
            ));
        }
        page.push_str("</tbody>\n</table>\n");
    }
    for (class, title, names) in [
        ("deprecated", "Deprecated", &deps.deprecated),
        ("yanked", "Yanked", &deps.yanked),
    ] {
        if names.is_empty() {
            continue;
        }
        page.push_str(&format!("<h4>{title} ({})</h4>\n<ul>\n", names.len()));
        for name in names {
            page.push_str(&format!(
                "<li class=\"{class}\"><code>{}</code></li>\n",
                text(name, PATH_MAX)
            ));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</section>\n");
}

fn write_exemptions(page: &mut String, records: &[ExemptionRecord], ids: &Ids) {
    if records.is_empty() {
        return;
    }
    page.push_str(&format!(
        "<section class=\"exemptions\" id=\"{}\">\n<h3>Exemptions ({})</h3>\n<table>\n<thead><tr><th>Entry</th><th>Covers</th><th>Expires</th><th>Exempted by</th><th>State</th><th>Findings</th></tr></thead>\n<tbody>\n",
        ids.id("exemptions"),
        records.len()
    ));
    for record in records {
        let state = match record.state {
            ExemptionState::Applied => "applied",
            ExemptionState::Expired => "expired",
            ExemptionState::Unused => "unused",
        };
        let mut covers = Vec::new();
        if let Some(code) = record.finding.as_deref() {
            covers.push(format!("<code>{}</code>", text(code, SHORT_MAX)));
        }
        if let Some(fingerprint) = record.fingerprint.as_deref() {
            covers.push(format!(
                "fingerprint <code>{}</code>",
                text(fingerprint, SHORT_MAX)
            ));
        }
        if let Some(file) = record.file.as_deref() {
            covers.push(format!("in <code>{}</code>", text(file, PATH_MAX)));
        }
        page.push_str(&format!(
            "<tr class=\"exemption-record state-{state}\" data-state=\"{state}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><strong>{state}</strong></td><td class=\"num\">{}</td></tr>\n",
            text(&record.source, PATH_MAX),
            if covers.is_empty() { "—".to_string() } else { covers.join(" ") },
            text(&record.expires, SHORT_MAX),
            text(&record.exempted_by, SHORT_MAX),
            record.matched
        ));
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn write_skipped(page: &mut String, report: &Report, ids: &Ids) {
    let skipped = &report.inventory.skipped;
    if skipped.is_empty() {
        return;
    }
    page.push_str(&format!(
        "<section class=\"skipped\" id=\"{}\">\n<h3>Skipped files ({})</h3>\n<table>\n<thead><tr><th>File</th><th>Reason</th><th>Surface</th></tr></thead>\n<tbody>\n",
        ids.id("skipped"),
        skipped.len()
    ));
    for item in skipped {
        page.push_str(&format!(
            "<tr class=\"skipped\"><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
            text(&item.file, PATH_MAX),
            text(&item.reason, MESSAGE_MAX),
            item.surface.map(|s| s.as_str()).unwrap_or("—")
        ));
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn write_not_run(page: &mut String, report: &Report, ids: &Ids) {
    if report.not_run.is_empty() {
        return;
    }
    page.push_str(&format!(
        "<section class=\"not-run\" id=\"{}\">\n<h3>Checks not run ({})</h3>\n<ul>\n",
        ids.id("not-run"),
        report.not_run.len()
    ));
    for item in &report.not_run {
        page.push_str(&format!(
            "<li class=\"not-run\" data-check=\"{check}\"><code>{check}</code>: {}</li>\n",
            text(&item.reason, MESSAGE_MAX),
            check = text(&item.check, SHORT_MAX),
        ));
    }
    page.push_str("</ul>\n</section>\n");
}

fn write_errors(page: &mut String, errors: &[TargetError]) {
    page.push_str(&format!(
        "<section class=\"errors\" id=\"errors\">\n<h2>Could not audit {}</h2>\n<ul>\n",
        count(errors.len(), "target", "targets")
    ));
    for error in errors {
        page.push_str(&format!(
            "<li class=\"target-error\"><code>{}</code>: {}</li>\n",
            text(&error.target, PATH_MAX),
            text(&error.error, MESSAGE_MAX)
        ));
    }
    page.push_str("</ul>\n</section>\n");
}

fn write_footer(page: &mut String, reports: &[Report]) {
    let engine = reports
        .first()
        .map(|report| {
            format!(
                "{} {} (methodology {})",
                text(&report.engine.name, SHORT_MAX),
                text(&report.engine.version, SHORT_MAX),
                text(&report.engine.methodology, SHORT_MAX)
            )
        })
        .unwrap_or_else(|| "SkillAudit".to_string());
    page.push_str(&format!(
        "<footer>Generated by {engine}. This page is self-contained: it runs no scripts and loads nothing.</footer>\n"
    ));
}

/// The report's critical findings, counted as the findings list does (exempted ones excluded).
fn critical_findings(report: &Report) -> Vec<&Finding> {
    report.findings.iter().filter(|f| f.is_critical()).collect()
}

/// `Security`, `Credentials`, …
fn axis_title(axis: Axis) -> String {
    let name = axis.as_str();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn severity_badge(severity: Severity) -> String {
    format!("<span class=\"sev sev-{severity}\">{severity}</span>")
}

/// The rule code, linked to its documentation when the finding's help URI (or else the rule's
/// own page) is an `http(s)://` URL; plain text otherwise.
fn code_link(finding: &Finding, rules: &[RuleMeta]) -> String {
    let code = text(&finding.code, SHORT_MAX);
    let help = match finding.help_uri.as_deref() {
        Some(uri) => Some(uri.to_string()),
        None => rules
            .iter()
            .find(|rule| rule.code == finding.code)
            .map(RuleMeta::help_uri),
    };
    match help.as_deref().and_then(safe_href) {
        Some(href) => format!(
            "<a class=\"code\" href=\"{}\" rel=\"noopener noreferrer nofollow\">{code}</a>",
            escape_html(href)
        ),
        None => format!("<span class=\"code\">{code}</span>"),
    }
}

/// `file:line:col` (escaped), or `(package)` for findings about the package as a whole.
fn location_text(finding: &Finding) -> String {
    match order::location(finding) {
        Some(location) => text(&location, PATH_MAX),
        None => "(package)".to_string(),
    }
}

/// A link when `url` is a plain `http(s)://` URL, else the already-escaped `shown` text alone.
fn link_or_text(url: &str, shown: &str) -> String {
    match safe_href(url) {
        Some(href) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{shown}</a>",
            escape_html(href)
        ),
        None => shown.to_string(),
    }
}

/// A URL fit for `href`: `https://` or `http://`, printable ASCII without spaces, not absurdly
/// long. Anything else (`javascript:`, `data:`, relative paths) is shown as text, never linked.
pub(crate) fn safe_href(url: &str) -> Option<&str> {
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2048
        && url.chars().all(|ch| ch.is_ascii_graphic());
    safe.then_some(url)
}

/// A finding message or fix as HTML: paired backticks become `<code>` (rule messages quote
/// code that way), everything else is escaped text on one line.
fn message_html(message: &str) -> String {
    let one = one_line(&truncate(message, MESSAGE_MAX));
    let parts: Vec<&str> = one.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_html(&visible(&one));
    }
    parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let shown = escape_html(&visible(part));
            if index % 2 == 1 {
                format!("<code>{shown}</code>")
            } else {
                shown
            }
        })
        .collect()
}

/// The evidence snippet in a `<pre>`, each line led by its line number when the finding has one.
fn code_frame(evidence: &str, first_line: Option<u32>) -> String {
    let snippet = truncate(evidence, EVIDENCE_MAX);
    if snippet.trim().is_empty() {
        return String::new();
    }
    let mut body = String::with_capacity(snippet.len() + 64);
    for (offset, line) in snippet.lines().enumerate() {
        if offset > 0 {
            body.push('\n');
        }
        if let Some(first) = first_line {
            let number = u32::try_from(offset)
                .ok()
                .and_then(|offset| first.checked_add(offset));
            if let Some(number) = number {
                body.push_str(&format!("<span class=\"ln\">{number}</span>"));
            }
        }
        body.push_str(&escape_html(&visible(line)));
    }
    let line_attr = first_line
        .map(|line| format!(" data-line=\"{line}\""))
        .unwrap_or_default();
    format!("<pre class=\"frame\"{line_attr}><code>{body}</code></pre>")
}

/// Untrusted text for an HTML text node or a quoted attribute value: one line, truncated,
/// hazardous characters made visible, HTML-escaped.
fn text(value: &str, max_chars: usize) -> String {
    escape_html(&visible(&one_line(&truncate(value, max_chars))))
}

fn one_line(value: &str) -> String {
    value.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

/// Escapes the five characters that mean something in HTML text or in a quoted attribute.
pub(crate) fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_text_and_attribute_metacharacters() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn only_http_and_https_urls_become_links() {
        assert!(safe_href("https://example.com/a?b=c&d").is_some());
        assert!(safe_href("http://example.com/").is_some());
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("JAVASCRIPT:alert(1)").is_none());
        assert!(safe_href("data:text/html,<script>").is_none());
        assert!(safe_href("https://example.com/a b").is_none());
        assert!(safe_href("//example.com").is_none());
    }

    #[test]
    fn text_is_one_line_with_hazards_visible() {
        assert_eq!(text("a\nb\u{202e}c<", 100), "a b\\u{202e}c&lt;");
    }

    #[test]
    fn paired_backticks_become_code() {
        assert_eq!(
            message_html("key `A<B>` leaks"),
            "key <code>A&lt;B&gt;</code> leaks"
        );
        assert_eq!(message_html("odd ` tick <"), "odd ` tick &lt;");
    }

    #[test]
    fn code_frame_numbers_lines_and_escapes() {
        let frame = code_frame("a</pre>\nb", Some(9));
        assert_eq!(
            frame,
            "<pre class=\"frame\" data-line=\"9\"><code><span class=\"ln\">9</span>a&lt;/pre&gt;\n<span class=\"ln\">10</span>b</code></pre>"
        );
        assert_eq!(code_frame("  ", Some(1)), "");
    }
}
