//! The HTML report page and the SVG badge: a snapshot of the page for one canonical report, and
//! the properties that must hold whatever the content — self-contained, hostile text inert,
//! stable hooks for tests, well-formed markup.

use skillaudit_core::report::{AdvisoryRef, SCHEMA_VERSION};
use skillaudit_core::scoring::score_findings;
use skillaudit_core::{
    AppliedExemption, Axis, Confidence, CriticalFinding, Dependencies, EngineInfo, ExemptionRecord,
    ExemptionState, Finding, Grade, Inventory, NotRun, Report, RuleMeta, Severity, Skipped,
    Surface, TargetError, TargetInfo,
};
use skillaudit_render::badge::{badge_color, badge_for, badge_svg};
use skillaudit_render::html::CONTENT_SECURITY_POLICY;
use skillaudit_render::{render, Format, RenderOptions};

// ---------------------------------------------------------------------------------------------
// The canonical report

fn rules() -> Vec<RuleMeta> {
    vec![RuleMeta {
        code: "SSRF-001",
        name: "unvalidated-fetch-url",
        axis: Axis::Security,
        severity: Severity::High,
        cwe: Some("CWE-918"),
        doc: " ## What it finds\n A tool argument reaches fetch() without a host check.\n",
    }]
}

#[allow(clippy::too_many_arguments)]
fn finding(
    code: &str,
    axis: Axis,
    severity: Severity,
    surface: Surface,
    file: Option<&str>,
    line: Option<u32>,
    message: &str,
    evidence: Option<&str>,
) -> Finding {
    Finding {
        code: code.to_string(),
        axis,
        severity,
        confidence: Confidence::High,
        message: message.to_string(),
        file: file.map(str::to_string),
        line,
        column: None,
        end_line: None,
        evidence: evidence.map(str::to_string),
        surface,
        cwe: None,
        fingerprint: format!("{:0>16}", code.replace('-', "").to_lowercase()),
        fix: None,
        help_uri: Some(format!(
            "https://github.com/skillaudit/skillaudit/blob/main/docs/rules/{code}.md"
        )),
        tool: None,
        exemption: None,
    }
}

fn canonical_findings() -> Vec<Finding> {
    let mut ssrf = finding(
        "SSRF-001",
        Axis::Security,
        Severity::High,
        Surface::Runtime,
        Some("src/tools/fetch.ts"),
        Some(47),
        "Tool argument `url` reaches fetch() without a host check",
        Some("const res = await fetch(args.url);"),
    );
    ssrf.column = Some(23);
    ssrf.cwe = Some("CWE-918".into());
    ssrf.tool = Some("fetch_url".into());
    ssrf.fix = Some("Check the URL's host against an allowlist before fetching.".into());

    let mut cmd = finding(
        "CMD-001",
        Axis::Security,
        Severity::Medium,
        Surface::Script,
        Some("scripts/install.sh"),
        Some(3),
        "Install script pipes a download into a shell",
        Some("curl -fsSL https://example.com/setup \\\n  | sh"),
    );
    cmd.fix = Some("Download, verify a checksum, then run.".into());

    let mut secret = finding(
        "SEC-001",
        Axis::Credentials,
        Severity::High,
        Surface::Runtime,
        Some("src/config.ts"),
        Some(4),
        "Hard-coded API key",
        Some("const KEY = \"sk-p…[REDACTED]\";"),
    );
    secret.exemption = Some(AppliedExemption {
        justification: "Public demo key with no privileges".into(),
        exempted_by: "Security team".into(),
        expires: "2026-12-31".into(),
        commit: None,
        source: ".skillaudit/exemptions.yml:3".into(),
    });

    let mut policy = finding(
        "DOC-001",
        Axis::Documentation,
        Severity::Low,
        Surface::Package,
        None,
        None,
        "No SECURITY.md or other vulnerability disclosure policy",
        None,
    );
    policy.fix = Some("Add a SECURITY.md that says how to report a vulnerability.".into());

    let info = finding(
        "MNT-010",
        Axis::Maintenance,
        Severity::Info,
        Surface::Package,
        Some("package.json"),
        None,
        "No `engines` field: supported Node.js versions are not declared",
        None,
    );
    vec![ssrf, cmd, secret, policy, info]
}

fn report_from(target: TargetInfo, findings: Vec<Finding>) -> Report {
    let card = score_findings(findings.iter().filter(|f| !f.is_exempted()));
    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        audit_id: "au_0123456789abcdef".into(),
        repo: target.repo.clone(),
        target,
        engine: EngineInfo {
            name: "skillaudit".into(),
            version: "0.1.0".into(),
            methodology: "1".into(),
        },
        scanned_at: "2026-01-02T03:04:05Z".into(),
        duration_ms: 1234,
        grade: card.grade,
        score: card.score,
        axes: card.axes,
        complete: true,
        incomplete_reasons: Vec::new(),
        critical_findings: findings
            .iter()
            .filter(|f| f.is_critical())
            .map(CriticalFinding::from)
            .collect(),
        findings,
        deductions: card.deductions,
        caps: card.caps,
        inventory: Inventory {
            files_scanned: 12,
            bytes_scanned: 48_213,
            ..Inventory::default()
        },
        dependencies: Dependencies::default(),
        not_run: Vec::new(),
        exemptions: Vec::new(),
        badge_url: None,
        analysis: None,
        report_url: None,
    }
}

fn npm_target(name: &str, version: &str) -> TargetInfo {
    TargetInfo {
        kind: "npm".into(),
        name: name.into(),
        version: Some(version.into()),
        spec: format!("npm:{name}@{version}"),
        repo: Some("https://github.com/example/foo".into()),
        ..TargetInfo::default()
    }
}

/// Findings on four axes, one critical, one exempted; incomplete, with a skipped file, a check
/// not run, exemption records, an advisory, deductions and a cap.
fn canonical_report() -> Report {
    let mut report = report_from(npm_target("foo", "1.0.0"), canonical_findings());
    report.inventory.skipped = vec![Skipped {
        file: "dist/bundle.min.js".into(),
        reason: "larger than the 2 MiB limit".into(),
        surface: Some(Surface::Runtime),
    }];
    report.complete = false;
    report.incomplete_reasons = vec![
        "runtime file dist/bundle.min.js was not analysed (larger than the 2 MiB limit)".into(),
    ];
    report.not_run = vec![NotRun {
        check: "registry-metadata".into(),
        reason: "--offline was given".into(),
    }];
    report.exemptions = vec![
        ExemptionRecord {
            source: ".skillaudit/exemptions.yml:3".into(),
            finding: Some("SEC-001".into()),
            fingerprint: None,
            file: Some("src/config.ts".into()),
            expires: "2026-12-31".into(),
            exempted_by: "Security team".into(),
            state: ExemptionState::Applied,
            matched: 1,
        },
        ExemptionRecord {
            source: ".skillaudit/exemptions.yml:9".into(),
            finding: Some("CMD-001".into()),
            fingerprint: None,
            file: None,
            expires: "2025-06-30".into(),
            exempted_by: "Platform team".into(),
            state: ExemptionState::Expired,
            matched: 0,
        },
    ];
    report.dependencies = Dependencies {
        direct: 3,
        total: 41,
        advisories: vec![AdvisoryRef {
            id: "GHSA-abcd-efgh-ijkl".into(),
            package: "axios".into(),
            version: "0.21.0".into(),
            severity: Severity::High,
            aliases: vec!["CVE-2021-3749".into()],
            ecosystem: "npm".into(),
            cvss: Some(7.5),
            summary: Some("ReDoS in trim".into()),
            fixed: vec!["0.21.2".into()],
            path: vec!["axios".into()],
            audited_package: false,
        }],
        deprecated: vec!["request@2.88.2".into()],
        yanked: Vec::new(),
        sources: Vec::new(),
        database: None,
    };
    report
}

fn clean_report() -> Report {
    report_from(npm_target("bar", "2.3.4"), Vec::new())
}

const HOSTILE_MESSAGE: &str = "</pre><script>alert(1)</script>";

/// Every text field an attacker controls, aimed at the page.
fn hostile_report() -> Report {
    let mut hostile = finding(
        "CMD-002",
        Axis::Security,
        Severity::High,
        Surface::Runtime,
        Some("src/\u{202e}sj.evil\"><img src=x onerror=alert(1)>.ts"),
        Some(1),
        HOSTILE_MESSAGE,
        Some("exec(x) </pre><script>alert(2)</script>\n<style>body{display:none}</style>"),
    );
    hostile.help_uri = Some("javascript:alert(3)".into());
    hostile.fix = Some("<a href=\"https://evil.example\">trust me</a>".into());
    hostile.tool = Some("tool' onmouseover='alert(4)".into());
    hostile.fingerprint = "\" onclick=\"alert(5)".into();
    let mut report = report_from(
        npm_target("evil<script>", "6.6.6\" autofocus onfocus=\"alert(6)"),
        vec![hostile],
    );
    report.repo = Some("javascript:alert(7)".into());
    report.inventory.skipped = vec![Skipped {
        file: "<iframe src=https://evil.example>".into(),
        reason: "</td></tr></table><script>alert(8)</script>".into(),
        surface: None,
    }];
    report.not_run = vec![NotRun {
        check: "x\"><script>alert(9)</script>".into(),
        reason: "<b>bold</b>".into(),
    }];
    report
}

fn html(reports: &[Report], errors: &[TargetError]) -> String {
    let mut out = Vec::new();
    render(
        Format::Html,
        reports,
        errors,
        &rules(),
        &RenderOptions::default(),
        &mut out,
    )
    .expect("rendering to a Vec cannot fail");
    String::from_utf8(out).expect("output is UTF-8")
}

fn target_error() -> TargetError {
    TargetError {
        target: "npm:missing@9.9.9".into(),
        error: "the registry has no version 9.9.9 of <missing>".into(),
    }
}

/// The opening tags of `page` that start with `<tag` and carry `class` among their classes.
fn elements_with_class<'a>(page: &'a str, tag: &str, class: &str) -> Vec<&'a str> {
    page.match_indices(&format!("<{tag} "))
        .filter_map(|(start, _)| {
            let end = page[start..].find('>')? + start;
            let open = &page[start..=end];
            let classes = open.split("class=\"").nth(1)?.split('"').next()?;
            classes.split(' ').any(|c| c == class).then_some(open)
        })
        .collect()
}

/// The value of attribute `name` in an opening tag.
fn attribute<'a>(open_tag: &'a str, name: &str) -> Option<&'a str> {
    open_tag
        .split(&format!(" {name}=\""))
        .nth(1)?
        .split('"')
        .next()
}

// ---------------------------------------------------------------------------------------------
// Snapshot

#[test]
fn canonical_report_has_what_the_page_is_meant_to_show() {
    let report = canonical_report();
    assert_eq!(report.critical_findings.len(), 1);
    assert!(report.findings.iter().any(Finding::is_exempted));
    assert!(!report.deductions.is_empty());
    assert!(!report.caps.is_empty());
    assert!(!report.complete);
}

#[test]
fn html_snapshot() {
    insta::assert_snapshot!(html(&[canonical_report()], &[]));
}

#[test]
fn html_several_targets_snapshot() {
    insta::assert_snapshot!(html(
        &[canonical_report(), clean_report()],
        &[target_error()]
    ));
}

// ---------------------------------------------------------------------------------------------
// Self-contained

#[test]
fn page_declares_a_strict_content_security_policy() {
    let page = html(&[canonical_report()], &[]);
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    assert!(page.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        CONTENT_SECURITY_POLICY.replace('\'', "&#39;")
    )));
    assert_eq!(
        CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    );
}

#[test]
fn page_fetches_nothing_and_runs_nothing() {
    let page = html(&[canonical_report(), hostile_report()], &[target_error()]);
    const ALLOWED: [&str; 34] = [
        "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4",
        "section", "div", "span", "p", "strong", "code", "pre", "a", "dl", "dt", "dd", "ul", "ol",
        "li", "table", "thead", "tbody", "tr", "th", "td", "footer", "small", "em",
    ];
    for (name, attributes) in opening_tags(&page) {
        assert!(ALLOWED.contains(&name.as_str()), "element <{name}>");
        for attribute in attributes {
            assert!(
                !attribute.starts_with("on") && attribute != "src" && attribute != "srcset",
                "attribute {attribute} on <{name}>"
            );
        }
    }
    let stylesheet = page
        .split("<style>")
        .nth(1)
        .and_then(|rest| rest.split("</style>").next())
        .expect("stylesheet");
    assert!(!stylesheet.contains("@import") && !stylesheet.contains("url("));
}

/// Name and attribute names of every opening tag of `page` (the stylesheet skipped).
fn opening_tags(page: &str) -> Vec<(String, Vec<String>)> {
    let mut tags = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("tag closed with >");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('/') {
            continue;
        }
        let mut parts = tag.splitn(2, ' ');
        let name = parts.next().unwrap_or_default().to_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = parts.next().unwrap_or_default().trim();
        while let Some(eq) = attrs.find("=\"") {
            attributes.push(attrs[..eq].trim().to_lowercase());
            let after = &attrs[eq + 2..];
            let close = after.find('"').expect("attribute value closed");
            attrs = after[close + 1..].trim_start();
        }
        assert!(
            attrs.is_empty(),
            "unparsed attributes {attrs:?} in <{name}>"
        );
        if name == "style" {
            let close = rest.find("</style>").expect("style closed");
            rest = &rest[close..];
        }
        tags.push((name, attributes));
    }
    tags
}

// ---------------------------------------------------------------------------------------------
// What the page shows

#[test]
fn grade_element_carries_grade_and_score() {
    let report = canonical_report();
    let page = html(std::slice::from_ref(&report), &[]);
    let grade = format!(
        "id=\"grade\" data-grade=\"{}\" data-score=\"{}\"",
        report.grade, report.score
    );
    assert!(page.contains(&grade), "missing {grade}");
    assert!(page.contains(&format!("<span class=\"letter\">{}</span>", report.grade)));
}

#[test]
fn six_axis_bars_with_score_grade_count_and_weight() {
    let report = canonical_report();
    let page = html(std::slice::from_ref(&report), &[]);
    let axes = elements_with_class(&page, "div", "axis");
    assert_eq!(axes.len(), 6);
    for ((axis, score), open) in report.axes.iter().zip(&axes) {
        assert_eq!(attribute(open, "data-axis"), Some(axis.as_str()));
        assert_eq!(
            attribute(open, "data-score"),
            Some(&*score.score.to_string())
        );
        assert_eq!(attribute(open, "data-grade"), Some(score.grade.as_str()));
        assert_eq!(
            attribute(open, "data-findings"),
            Some(&*score.findings.to_string())
        );
    }
    assert_eq!(attribute(axes[0], "data-weight"), Some("35"));
    assert!(page.contains(&format!("style=\"width:{}%\"", report.axes.security.score)));
}

#[test]
fn metadata_names_target_audit_time_and_engine() {
    let page = html(&[canonical_report()], &[]);
    for expected in [
        "<code>npm:foo@1.0.0</code>",
        "<div data-field=\"version\"><dt>Version</dt><dd>1.0.0</dd></div>",
        "<code>au_0123456789abcdef</code>",
        "2026-01-02T03:04:05Z",
        "skillaudit 0.1.0 · methodology 1",
        "<a href=\"https://github.com/example/foo\"",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
}

#[test]
fn incomplete_report_shows_a_banner_with_its_reasons() {
    let page = html(&[canonical_report()], &[]);
    assert!(page.contains("<div class=\"banner incomplete\" id=\"incomplete\" role=\"alert\">"));
    assert!(page.contains(
        "<li class=\"incomplete-reason\">runtime file dist/bundle.min.js was not analysed (larger than the 2 MiB limit)</li>"
    ));
    assert!(!html(&[clean_report()], &[]).contains("id=\"incomplete\""));
}

#[test]
fn caps_are_listed() {
    let report = canonical_report();
    let page = html(std::slice::from_ref(&report), &[]);
    assert_eq!(
        elements_with_class(&page, "li", "cap").len(),
        report.caps.len()
    );
}

#[test]
fn critical_findings_come_before_the_findings() {
    let page = html(&[canonical_report()], &[]);
    let critical = elements_with_class(&page, "li", "critical-finding");
    assert_eq!(critical.len(), 1);
    assert_eq!(attribute(critical[0], "data-code"), Some("SSRF-001"));
    let critical_at = page.find("id=\"critical\"").expect("critical section");
    let findings_at = page.find("id=\"findings\"").expect("findings section");
    assert!(critical_at < findings_at);
}

#[test]
fn one_row_per_finding_grouped_by_axis_then_severity() {
    let report = canonical_report();
    let page = html(std::slice::from_ref(&report), &[]);
    let rows = elements_with_class(&page, "tr", "finding");
    assert_eq!(rows.len(), report.findings.len());
    let keys: Vec<(Axis, Severity)> = rows
        .iter()
        .map(|row| {
            let axis = attribute(row, "data-axis").and_then(Axis::parse);
            let severity = attribute(row, "data-severity")
                .and_then(|s| Severity::ALL.into_iter().find(|x| x.as_str() == s));
            (axis.expect("axis"), severity.expect("severity"))
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(page.contains("<tr class=\"finding\" data-code=\"SSRF-001\" data-severity=\"HIGH\""));
}

#[test]
fn finding_row_shows_code_link_location_message_fix_and_code_frame() {
    let page = html(&[canonical_report()], &[]);
    let start = page
        .find("<tr class=\"finding\" data-code=\"SSRF-001\"")
        .expect("row");
    let row = &page[start..start + page[start..].find("</tr>").expect("row end")];
    for expected in [
        "<a class=\"code\" href=\"https://github.com/skillaudit/skillaudit/blob/main/docs/rules/SSRF-001.md\"",
        "<div class=\"rule-name\">unvalidated-fetch-url</div>",
        "<code class=\"location\">src/tools/fetch.ts:47:23</code>",
        "<div class=\"surface\">runtime surface</div>",
        "Tool argument <code>url</code> reaches fetch() without a host check",
        "<strong>Fix:</strong> Check the URL&#39;s host against an allowlist before fetching.",
        "<pre class=\"frame\" data-line=\"47\"><code><span class=\"ln\">47</span>const res = await fetch(args.url);</code></pre>",
        "tool <code>fetch_url</code>",
        "CWE-918",
    ] {
        assert!(row.contains(expected), "row lacks {expected:?}:\n{row}");
    }
}

#[test]
fn multi_line_evidence_numbers_each_line() {
    let page = html(&[canonical_report()], &[]);
    assert!(page.contains(
        "<span class=\"ln\">3</span>curl -fsSL https://example.com/setup \\\n<span class=\"ln\">4</span>  | sh"
    ));
}

#[test]
fn exempted_finding_is_muted_and_says_by_whom_and_until_when() {
    let page = html(&[canonical_report()], &[]);
    let exempted = elements_with_class(&page, "tr", "exempted");
    assert_eq!(exempted.len(), 1);
    assert_eq!(attribute(exempted[0], "data-code"), Some("SEC-001"));
    assert_eq!(attribute(exempted[0], "data-exempted"), Some("true"));
    assert!(page.contains(
        "exempted until 2026-12-31 by Security team: Public demo key with no privileges"
    ));
    // Muted by the stylesheet.
    assert!(page.contains("tr.exempted td{color:var(--muted)"));
}

#[test]
fn deductions_table_has_a_row_per_deduction() {
    let report = canonical_report();
    let page = html(std::slice::from_ref(&report), &[]);
    let rows = elements_with_class(&page, "tr", "deduction");
    assert_eq!(rows.len(), report.deductions.len());
    assert!(page.contains("<td class=\"num\">-25</td>"));
    assert!(html(&[clean_report()], &[]).contains("No points deducted."));
}

#[test]
fn not_run_skipped_exemptions_and_advisories_are_listed() {
    let page = html(&[canonical_report()], &[]);
    assert!(page.contains(
        "<li class=\"not-run\" data-check=\"registry-metadata\"><code>registry-metadata</code>: --offline was given</li>"
    ));
    assert!(page.contains("<tr class=\"skipped\"><td><code>dist/bundle.min.js</code></td><td>larger than the 2 MiB limit</td><td>runtime</td></tr>"));
    let records = elements_with_class(&page, "tr", "exemption-record");
    let states: Vec<_> = records
        .iter()
        .filter_map(|r| attribute(r, "data-state"))
        .collect();
    assert_eq!(states, ["applied", "expired"]);
    let advisories = elements_with_class(&page, "tr", "advisory");
    assert_eq!(advisories.len(), 1);
    assert_eq!(
        attribute(advisories[0], "data-id"),
        Some("GHSA-abcd-efgh-ijkl")
    );
    assert!(page.contains("<li class=\"deprecated\"><code>request@2.88.2</code></li>"));
}

#[test]
fn empty_sections_are_left_out() {
    let page = html(&[clean_report()], &[]);
    for id in [
        "id=\"caps\"",
        "id=\"critical\"",
        "id=\"exemptions\"",
        "id=\"dependencies\"",
        "id=\"skipped\"",
        "id=\"not-run\"",
    ] {
        assert!(!page.contains(id), "clean report shows {id}");
    }
    assert!(page.contains("<p class=\"none\">No findings.</p>"));
}

// ---------------------------------------------------------------------------------------------
// Several reports, errors, nothing

#[test]
fn several_reports_get_one_section_each_with_numbered_ids() {
    let page = html(&[canonical_report(), clean_report()], &[target_error()]);
    assert_eq!(elements_with_class(&page, "section", "report").len(), 2);
    assert!(page.contains("id=\"grade-1\""));
    assert!(page.contains("id=\"grade-2\""));
    assert!(!page.contains("id=\"grade\""));
    assert_eq!(elements_with_class(&page, "div", "axis").len(), 12);
    assert!(page.contains("<a href=\"#report-1\">npm:foo@1.0.0</a>"));
    assert!(page.contains(
        "<li class=\"target-error\"><code>npm:missing@9.9.9</code>: the registry has no version 9.9.9 of &lt;missing&gt;</li>"
    ));
}

#[test]
fn one_report_with_an_error_keeps_bare_ids() {
    let page = html(&[clean_report()], &[target_error()]);
    assert!(page.contains("id=\"grade\""));
    assert!(page.contains("id=\"errors\""));
}

#[test]
fn nothing_audited_says_so() {
    let page = html(&[], &[]);
    assert!(page.contains("Nothing was audited."));
    assert_tags_balance(&page);
}

// ---------------------------------------------------------------------------------------------
// Hostile text

#[test]
fn hostile_message_is_escaped() {
    let page = html(&[hostile_report()], &[]);
    assert!(page.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(!page.contains(HOSTILE_MESSAGE));
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("<style>body"));
    assert!(!page.contains("<b>bold</b>"));
}

#[test]
fn javascript_help_uri_is_not_a_link() {
    let page = html(&[hostile_report()], &[]);
    assert!(!page.contains("javascript:alert(3)\""));
    assert!(page.contains("<span class=\"code\">CMD-002</span>"));
    // The repository URL is not linked either, only shown.
    assert!(!page.contains("href=\"javascript:"));
    assert!(page.contains("<dd>javascript:alert(7)</dd>"));
    for (index, _) in page.match_indices("href=\"") {
        let href = &page[index + 6..];
        assert!(
            href.starts_with("https://") || href.starts_with("http://") || href.starts_with('#'),
            "unexpected link {}",
            &href[..href.len().min(40)]
        );
    }
}

#[test]
fn hostile_text_cannot_leave_its_attribute() {
    let page = html(&[hostile_report()], &[]);
    assert!(page.contains("data-fingerprint=\"&quot; onclick=&quot;alert(5)\""));
    assert!(page.contains("tool <code>tool&#39; onmouseover=&#39;alert(4)</code>"));
    assert!(page.contains("data-check=\"x&quot;&gt;&lt;script&gt;alert(9)&lt;/script&gt;\""));
    assert!(page.contains("<dd>6.6.6&quot; autofocus onfocus=&quot;alert(6)</dd>"));
}

#[test]
fn bidirectional_overrides_are_shown_not_obeyed() {
    let page = html(&[hostile_report()], &[]);
    assert!(!page.contains('\u{202e}'));
    assert!(page.contains("src/\\u{202e}sj.evil&quot;&gt;&lt;img"));
}

#[test]
fn markup_is_balanced_for_every_fixture() {
    assert_tags_balance(&html(&[canonical_report()], &[]));
    assert_tags_balance(&html(
        &[canonical_report(), clean_report(), hostile_report()],
        &[target_error()],
    ));
}

#[test]
fn format_html_is_selectable_by_name() {
    assert_eq!("html".parse::<Format>(), Ok(Format::Html));
    assert_eq!(Format::Html.to_string(), "html");
    assert!(Format::ALL.contains(&Format::Html));
}

/// Every element opened is closed, in order (void elements excepted; the stylesheet skipped).
fn assert_tags_balance(page: &str) {
    const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("tag closed with >");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().expect("closing tag without opening");
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let name = tag
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_string();
        if name == "style" {
            let close = rest.find("</style>").expect("style closed");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

// ---------------------------------------------------------------------------------------------
// Badge

#[test]
fn badge_is_well_formed_xml() {
    for grade in Grade::ALL {
        check_well_formed_xml(&badge_svg("skillaudit", grade, 78));
    }
    check_well_formed_xml(&badge_svg(
        "<evil> & \"quoted\" 'x' \u{1b}[2J \u{ffff}",
        Grade::F,
        0,
    ));
}

#[test]
fn badge_colour_follows_the_grade() {
    let expected = [
        (Grade::A, "#4c1"),
        (Grade::B, "#97ca00"),
        (Grade::C, "#dfb317"),
        (Grade::D, "#fe7d37"),
        (Grade::F, "#e05d44"),
    ];
    for (grade, colour) in expected {
        assert_eq!(badge_color(grade), colour);
        let svg = badge_svg("skillaudit", grade, 50);
        assert!(
            svg.contains(&format!("fill=\"{colour}\"")),
            "{grade}: {svg}"
        );
    }
}

#[test]
fn badge_reads_label_grade_and_score_with_a_title() {
    let svg = badge_svg("skillaudit", Grade::B, 78);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<title>skillaudit: B 78</title>"));
    assert!(svg.contains(">skillaudit</text>"));
    assert!(svg.contains(">B 78</text>"));
    assert!(svg.contains("role=\"img\""));
}

#[test]
fn badge_label_is_escaped() {
    let svg = badge_svg("<script>alert(1)</script>", Grade::A, 99);
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;script&gt;"));
}

#[test]
fn badge_for_a_report_shows_its_grade_and_score() {
    let report = canonical_report();
    let svg = badge_for(&report);
    assert!(svg.contains(&format!(
        "<title>skillaudit: {} {}</title>",
        report.grade, report.score
    )));
    assert!(svg.contains(badge_color(report.grade)));
}

/// A small XML well-formedness check: one root element, balanced and properly nested tags,
/// quoted attributes without `<`, known entity references only, no characters XML forbids.
fn check_well_formed_xml(xml: &str) {
    for ch in xml.chars() {
        let allowed = matches!(ch, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{d7ff}').contains(&ch)
            || ('\u{e000}'..='\u{fffd}').contains(&ch)
            || ch >= '\u{10000}';
        assert!(allowed, "character {:?} is not allowed in XML", ch);
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = xml.trim_end();
    loop {
        let text_end = rest.find('<').unwrap_or(rest.len());
        check_text(&rest[..text_end]);
        if stack.is_empty() {
            // Text is only allowed inside the root element (whitespace aside).
            assert!(rest[..text_end].trim().is_empty(), "text outside the root");
        }
        if text_end == rest.len() {
            break;
        }
        rest = &rest[text_end + 1..];
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let name = &body[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')),
            "bad element name {name:?}"
        );
        check_attributes(&body[name_end..]);
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed elements {stack:?}");
    assert_eq!(roots, 1, "one root element");
}

/// Index of the `>` that ends a tag, skipping `>` inside quoted attribute values.
fn tag_end(rest: &str) -> usize {
    let mut quote = None;
    for (index, ch) in rest.char_indices() {
        match (quote, ch) {
            (None, '"' | '\'') => quote = Some(ch),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return index,
            _ => {}
        }
    }
    panic!("tag not closed");
}

fn check_attributes(mut attrs: &str) {
    let mut names = Vec::new();
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            break;
        }
        let eq = attrs.find('=').expect("attribute has a value");
        let name = attrs[..eq].trim();
        assert!(!name.is_empty() && !name.contains(char::is_whitespace));
        assert!(!names.contains(&name), "duplicate attribute {name}");
        names.push(name);
        attrs = &attrs[eq + 1..];
        let quote = attrs.chars().next().expect("attribute value");
        assert!(quote == '"' || quote == '\'', "unquoted attribute {name}");
        let close = attrs[1..].find(quote).expect("closing quote") + 1;
        let value = &attrs[1..close];
        assert!(!value.contains('<'), "< in attribute {name}");
        check_text(value);
        attrs = &attrs[close + 1..];
    }
}

fn check_text(text: &str) {
    assert!(!text.contains("]]>"), "]]> in text");
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        rest = &rest[amp + 1..];
        let semi = rest.find(';').expect("entity ends with ;");
        let entity = &rest[..semi];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|hex| u32::from_str_radix(hex, 16).is_ok())
            || entity
                .strip_prefix('#')
                .is_some_and(|dec| dec.parse::<u32>().is_ok());
        assert!(known, "unknown entity &{entity};");
        rest = &rest[semi + 1..];
    }
}
