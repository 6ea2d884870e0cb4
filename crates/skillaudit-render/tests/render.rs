//! Every format rendered from one canonical report (snapshots), plus the properties that must
//! hold whatever the content: no escape codes without colour, hostile text neutralised, SARIF
//! valid against the official OASIS schema.

use serde_json::Value;
use skillaudit_core::report::SCHEMA_VERSION;
use skillaudit_core::scoring::score_findings;
use skillaudit_core::{
    Axis, Confidence, CriticalFinding, Dependencies, EngineInfo, Finding, Inventory, ManifestInfo,
    MultiReport, NotRun, Report, RuleMeta, Severity, Skipped, Surface, TargetError, TargetInfo,
};
use skillaudit_render::{render, Format, RenderOptions};

// ---------------------------------------------------------------------------------------------
// The canonical report

const SSRF_DOC: &str = " ## What it finds
 A tool handler that passes a tool argument to an HTTP client without checking the host.

 ## Why it matters
 A prompt-injected model can make the server fetch internal addresses (cloud metadata, admin
 panels) and read the answer back.

 ## Vulnerable example
 ```js
 const res = await fetch(args.url);
 ```

 ## Fixed example
 ```js
 if (!ALLOWED_HOSTS.has(new URL(args.url).host)) throw new Error(\"host not allowed\");
 ```

 ## References
 - https://cwe.mitre.org/data/definitions/918.html
";

const DOC_DOC: &str = " ## What it finds
 A package without a SECURITY.md or another vulnerability disclosure policy.

 ## Why it matters
 Whoever finds a vulnerability has no private way to report it.
";

fn rules() -> Vec<RuleMeta> {
    vec![
        RuleMeta {
            code: "SSRF-001",
            name: "unvalidated-fetch-url",
            axis: Axis::Security,
            severity: Severity::High,
            cwe: Some("CWE-918"),
            doc: SSRF_DOC,
        },
        RuleMeta {
            code: "DOC-001",
            name: "missing-security-policy",
            axis: Axis::Documentation,
            severity: Severity::Low,
            cwe: None,
            doc: DOC_DOC,
        },
    ]
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
    ssrf.end_line = Some(47);
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
        Some("curl -fsSL https://example.com/setup | sh"),
    );
    cmd.confidence = Confidence::Medium;
    cmd.fix = Some("Download, verify a checksum, then run.".into());

    let secret = finding(
        "SEC-001",
        Axis::Credentials,
        Severity::High,
        Surface::Test,
        Some("tests/fixtures/keys.js"),
        Some(1),
        "Hard-coded API key",
        Some("const KEY = \"sk-p…[REDACTED]\";"),
    );

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
    let card = score_findings(&findings);
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
            manifests: vec![ManifestInfo {
                file: "package.json".into(),
                kind: "package.json".into(),
                name: Some("foo".into()),
                version: Some("1.0.0".into()),
                error: None,
            }],
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

/// A few findings on different axes and surfaces, one critical, a skipped runtime file (so the
/// report is incomplete), a check that did not run, deductions and a cap.
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
    report
}

fn clean_report() -> Report {
    report_from(npm_target("bar", "2.3.4"), Vec::new())
}

/// A finding whose text is an attack on whoever reads the output.
fn hostile_report() -> Report {
    let mut hostile = finding(
        "CMD-002",
        Axis::Security,
        Severity::High,
        Surface::Runtime,
        Some("src/\u{202e}sj.evil|<b>.ts"),
        Some(1),
        "pwned \x1b[2J\x1b]0;title\x07 |<script>alert(1)</script> @everyone [x](javascript:alert(1)) `tick`",
        Some("exec(`rm -rf ~`) \x1b[31m|<img src=x onerror=alert(1)>|\r\nsecond line\u{9b}31m"),
    );
    hostile.fix = Some("\x1b[1A\x1b[2Kfix: trust me".into());
    hostile.tool = Some("tool\x1b[0m".into());
    let mut report = report_from(npm_target("evil\x1b[5m", "6.6.6 <b>"), vec![hostile]);
    report.inventory.skipped = vec![Skipped {
        file: "a|b\n<c>".into(),
        reason: "\x1b[2J".into(),
        surface: None,
    }];
    report
}

fn rendered(
    format: Format,
    reports: &[Report],
    errors: &[TargetError],
    opts: RenderOptions,
) -> String {
    let mut out = Vec::new();
    render(format, reports, errors, &rules(), &opts, &mut out)
        .expect("rendering to a Vec cannot fail");
    String::from_utf8(out).expect("output is UTF-8")
}

fn plain() -> RenderOptions {
    RenderOptions::default()
}

fn target_error() -> TargetError {
    TargetError {
        target: "npm:missing@9.9.9".into(),
        error: "the registry has no version 9.9.9 of missing".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn canonical_report_has_what_the_snapshots_are_meant_to_show() {
    let report = canonical_report();
    assert_eq!(report.critical_findings.len(), 1);
    assert!(!report.deductions.is_empty());
    assert!(!report.caps.is_empty());
    assert!(!report.complete);
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!(rendered(Format::Text, &[canonical_report()], &[], plain()));
}

#[test]
fn text_verbose_snapshot() {
    let opts = RenderOptions {
        color: false,
        verbose: true,
        stats: false,
    };
    insta::assert_snapshot!(rendered(Format::Text, &[canonical_report()], &[], opts));
}

#[test]
fn text_several_targets_snapshot() {
    insta::assert_snapshot!(rendered(
        Format::Text,
        &[canonical_report(), clean_report()],
        &[target_error()],
        plain()
    ));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(rendered(Format::Json, &[canonical_report()], &[], plain()));
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!(rendered(Format::Sarif, &[canonical_report()], &[], plain()));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(rendered(
        Format::Markdown,
        &[canonical_report()],
        &[],
        plain()
    ));
}

#[test]
fn markdown_several_targets_snapshot() {
    insta::assert_snapshot!(rendered(
        Format::Markdown,
        &[canonical_report(), clean_report()],
        &[target_error()],
        plain()
    ));
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_of_one_target_is_the_report_itself() {
    let report = canonical_report();
    let json = rendered(Format::Json, std::slice::from_ref(&report), &[], plain());
    assert!(json.ends_with("}\n"));
    let back: Report = serde_json::from_str(&json).expect("a Report");
    assert_eq!(back, report);
}

#[test]
fn json_of_several_targets_is_a_multi_report() {
    let reports = [canonical_report(), clean_report()];
    let json = rendered(Format::Json, &reports, &[target_error()], plain());
    let multi: MultiReport = serde_json::from_str(&json).expect("a MultiReport");
    assert_eq!(multi.schema_version, SCHEMA_VERSION);
    assert_eq!(multi.reports, reports);
    assert_eq!(multi.errors, [target_error()]);
}

#[test]
fn json_of_one_target_with_an_error_is_a_multi_report() {
    let json = rendered(Format::Json, &[clean_report()], &[target_error()], plain());
    let multi: MultiReport = serde_json::from_str(&json).expect("a MultiReport");
    assert_eq!(multi.reports.len(), 1);
    assert_eq!(multi.errors.len(), 1);
}

#[test]
fn json_of_nothing_is_an_empty_multi_report() {
    let json = rendered(Format::Json, &[], &[], plain());
    let multi: MultiReport = serde_json::from_str(&json).expect("a MultiReport");
    assert!(multi.reports.is_empty() && multi.errors.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Text

#[test]
fn text_without_color_has_no_escape_codes() {
    for report in [canonical_report(), clean_report(), hostile_report()] {
        for verbose in [false, true] {
            let opts = RenderOptions {
                color: false,
                verbose,
                stats: true,
            };
            let text = rendered(
                Format::Text,
                std::slice::from_ref(&report),
                &[target_error()],
                opts,
            );
            assert!(!text.contains('\x1b'), "escape code in:\n{text}");
        }
    }
}

/// Removes the SGR sequences the text renderer writes (`ESC [ digits/; m`).
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for next in chars.by_ref() {
                if next == 'm' {
                    break;
                }
                assert!(next.is_ascii_digit() || next == ';', "not an SGR sequence");
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[test]
fn colour_only_adds_styling_to_the_plain_output() {
    let reports = [canonical_report(), hostile_report()];
    let coloured = rendered(
        Format::Text,
        &reports,
        &[target_error()],
        RenderOptions {
            color: true,
            verbose: true,
            stats: false,
        },
    );
    assert!(coloured.contains("\x1b[1;31mHIGH"));
    let uncoloured = rendered(
        Format::Text,
        &reports,
        &[target_error()],
        RenderOptions {
            color: false,
            verbose: true,
            stats: false,
        },
    );
    assert_eq!(strip_sgr(&coloured), uncoloured);
}

#[test]
fn text_groups_findings_by_axis_most_severe_first() {
    let text = rendered(Format::Text, &[canonical_report()], &[], plain());
    let security = text.find("security (2 findings)").expect("security group");
    let documentation = text
        .find("documentation (1 finding)")
        .expect("documentation group");
    assert!(security < documentation);
    let high = text.find("HIGH   SSRF-001").expect("HIGH finding");
    let medium = text.find("MEDIUM CMD-001").expect("MEDIUM finding");
    assert!(high < medium);
    assert!(text.contains("src/tools/fetch.ts:47:23"));
    assert!(text.contains("[script]"));
    assert!(text.contains("fix: Check the URL's host"));
    assert!(text.contains("INCOMPLETE"));
}

#[test]
fn text_ends_with_the_summary_line() {
    let text = rendered(Format::Text, &[canonical_report()], &[], plain());
    let last = text.lines().last().expect("a line");
    assert_eq!(
        last,
        "skillaudit: B (84/100) — 1 critical, 5 findings — npm:foo@1.0.0 — INCOMPLETE"
    );
    let clean = rendered(Format::Text, &[clean_report()], &[], plain());
    assert_eq!(
        clean.lines().last(),
        Some("skillaudit: A (100/100) — 0 findings — npm:bar@2.3.4")
    );
}

#[test]
fn text_hides_findings_that_deduct_nothing_unless_verbose() {
    let quiet = rendered(Format::Text, &[canonical_report()], &[], plain());
    assert!(!quiet.contains("SEC-001"));
    assert!(!quiet.contains("MNT-010"));
    assert!(quiet.contains("2 findings not shown"));
    let verbose = rendered(
        Format::Text,
        &[canonical_report()],
        &[],
        RenderOptions {
            color: false,
            verbose: true,
            stats: false,
        },
    );
    assert!(verbose.contains("SEC-001") && verbose.contains("MNT-010"));
}

#[test]
fn hostile_text_is_neutralised_in_text_output() {
    for color in [false, true] {
        let text = rendered(
            Format::Text,
            &[hostile_report()],
            &[],
            RenderOptions {
                color,
                verbose: true,
                stats: false,
            },
        );
        let visible = strip_sgr(&text);
        assert!(!visible.contains('\x1b'), "raw ESC survived:\n{visible}");
        assert!(!visible.contains('\u{9b}'), "raw CSI survived");
        assert!(!visible.contains('\u{202e}'), "bidi override survived");
        assert!(!visible.contains('\x07') && !visible.contains('\r'));
        assert!(visible.contains("pwned \\u{1b}[2J"));
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Cells of a Markdown table row: `|` not preceded by a backslash separates cells.
fn unescaped_pipes(row: &str) -> usize {
    let bytes = row.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .count()
}

/// The Markdown with code spans removed: what is left is what GitHub interprets as Markdown and
/// HTML (inside a code span everything is literal text). A backslash-escaped backtick opens
/// nothing.
fn outside_code_spans(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                out.extend(&chars[i..(i + 2).min(chars.len())]);
                i += 2;
            }
            '`' => {
                let fence = run_at(i);
                // The closing fence is a run of exactly the same length.
                let mut j = i + fence;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let run = run_at(j);
                        if run == fence {
                            close = Some(j + run);
                            break;
                        }
                        j += run;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => i = end,
                    None => {
                        out.extend(&chars[i..i + fence]);
                        i += fence;
                    }
                }
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

#[test]
fn hostile_text_is_neutralised_in_markdown() {
    let markdown = rendered(Format::Markdown, &[hostile_report()], &[], plain());
    assert!(!markdown.contains('\x1b'));
    assert!(!markdown.contains('\u{202e}'));
    let interpreted = outside_code_spans(&markdown);
    assert!(!interpreted.contains("<script"), "{interpreted}");
    assert!(!interpreted.contains("<img"), "{interpreted}");
    assert!(!interpreted.contains("<b>"), "{interpreted}");
    assert!(
        !interpreted.replace("\\]", "").contains("](javascript:"),
        "{interpreted}"
    );
    assert!(!interpreted.contains("@everyone"), "{interpreted}");
    assert!(markdown.contains("&lt;script&gt;"));
    let header = "| Severity | Code | Location | Message |";
    let mut in_table = false;
    for line in markdown.lines() {
        if line == header {
            in_table = true;
        } else if in_table && line.is_empty() {
            in_table = false;
        } else if in_table {
            assert_eq!(
                unescaped_pipes(line),
                5,
                "row split by hostile text: {line}"
            );
        }
    }
}

#[test]
fn markdown_starts_with_the_grade_heading() {
    let markdown = rendered(Format::Markdown, &[canonical_report()], &[], plain());
    assert!(markdown.starts_with("## SkillAudit: Grade **B** (84/100)\n"));
    assert!(markdown.contains("> [!CAUTION]"));
    assert!(markdown.contains("### Critical findings (1)"));
}

#[test]
fn markdown_caps_long_lists() {
    let findings: Vec<Finding> = (1..=60)
        .map(|i| {
            let mut f = finding(
                "SQL-001",
                Axis::Security,
                Severity::Medium,
                Surface::Runtime,
                Some("src/db.ts"),
                Some(i),
                "Query built from a tool argument",
                None,
            );
            f.fingerprint = format!("{i:016x}");
            f
        })
        .collect();
    let report = report_from(npm_target("many", "1.0.0"), findings);
    let markdown = rendered(Format::Markdown, &[report], &[], plain());
    let rows = markdown
        .lines()
        .filter(|line| line.starts_with("| MEDIUM |"))
        .count();
    assert_eq!(rows, 50);
    assert!(markdown.contains("… and 10 more findings."));
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("schema/sarif-schema-2.1.0.json"))
        .expect("the vendored schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official schema compiles")
}

fn assert_valid_sarif(sarif: &str) -> Value {
    let instance: Value = serde_json::from_str(sarif).expect("SARIF output is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    instance
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let cases: Vec<(Vec<Report>, Vec<TargetError>)> = vec![
        (vec![canonical_report()], vec![]),
        (vec![clean_report()], vec![]),
        (vec![hostile_report()], vec![]),
        (
            vec![canonical_report(), clean_report()],
            vec![target_error()],
        ),
        (vec![], vec![target_error()]),
        (vec![], vec![]),
    ];
    for (reports, errors) in cases {
        assert_valid_sarif(&rendered(Format::Sarif, &reports, &errors, plain()));
    }
}

#[test]
fn the_schema_check_catches_invalid_sarif() {
    let validator = sarif_validator();
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]});
    assert!(
        !validator.is_valid(&bad),
        "a driver without a name must be rejected"
    );
}

#[test]
fn sarif_results_carry_rule_level_location_and_fingerprint() {
    let sarif = assert_valid_sarif(&rendered(
        Format::Sarif,
        &[canonical_report()],
        &[],
        plain(),
    ));
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "skillaudit");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["skillaudit/v1"].is_string());
        // GitHub rejects a file in which any result has no location.
        assert!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    let ssrf = &results[0];
    assert_eq!(ssrf["level"], "error");
    let location = &ssrf["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/tools/fetch.ts");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 47);
    assert_eq!(location["region"]["startColumn"], 23);
    assert_eq!(ssrf["properties"]["surface"], "runtime");
    assert_eq!(ssrf["properties"]["tool"], "fetch_url");
    assert_eq!(results[1]["level"], "warning");
    assert_eq!(results[3]["level"], "note");

    // The package-level finding is shown at the manifest; the INFO finding has no line.
    let policy = &results[3]["locations"][0];
    assert_eq!(
        policy["physicalLocation"]["artifactLocation"]["uri"],
        "package.json"
    );
    assert!(policy["message"]["text"].is_string());
    assert!(results[4]["locations"][0]["physicalLocation"]["region"].is_null());

    let ssrf_rule = &rules[0];
    assert_eq!(ssrf_rule["id"], "SSRF-001");
    // Its finding is critical (HIGH on the runtime surface): GitHub's critical band.
    assert_eq!(ssrf_rule["properties"]["security-severity"], "9.5");
    assert_eq!(ssrf_rule["defaultConfiguration"]["level"], "error");
    let tags = ssrf_rule["properties"]["tags"].as_array().expect("tags");
    assert!(tags.contains(&"external/cwe/cwe-918".into()));
    assert!(ssrf_rule["help"]["markdown"]
        .as_str()
        .expect("help")
        .starts_with("## What it finds\nA tool handler"));

    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .expect("notifications")
            .len(),
        3
    );
    assert_eq!(run["properties"]["grade"], "B");
    assert_eq!(run["properties"]["score"], 84);
    assert!(run.get("automationDetails").is_none());
}

#[test]
fn sarif_lists_every_rule_passed_even_without_findings() {
    let sarif = assert_valid_sarif(&rendered(Format::Sarif, &[clean_report()], &[], plain()));
    let ids: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|rule| rule["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["SSRF-001", "DOC-001"]);
}

#[test]
fn sarif_runs_of_several_targets_have_distinct_categories() {
    let sarif = assert_valid_sarif(&rendered(
        Format::Sarif,
        &[canonical_report(), canonical_report()],
        &[target_error()],
        plain(),
    ));
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 3);
    let ids: Vec<&str> = runs
        .iter()
        .map(|run| run["automationDetails"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "skillaudit/npm:foo/",
            "skillaudit/npm:foo-2/",
            "skillaudit/errors/"
        ]
    );
    assert_eq!(runs[2]["invocations"][0]["executionSuccessful"], false);
}

fn folder_report(spec: &str) -> Report {
    let target = TargetInfo {
        kind: "folder".into(),
        name: "weather".into(),
        spec: spec.into(),
        ..TargetInfo::default()
    };
    report_from(target, canonical_findings())
}

fn sarif_uris(sarif: &Value) -> Vec<String> {
    sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .to_string()
        })
        .collect()
}

#[test]
fn sarif_uris_of_a_subfolder_target_are_relative_to_the_repository_root() {
    // `skillaudit scan servers/weather` from the checkout's root, as a CI job runs it.
    let sarif = assert_valid_sarif(&rendered(
        Format::Sarif,
        &[folder_report("./servers/weather/")],
        &[],
        plain(),
    ));
    let uris = sarif_uris(&sarif);
    assert_eq!(uris[0], "servers/weather/src/tools/fetch.ts");
    // The package-level finding is anchored at the subfolder's manifest.
    assert_eq!(uris[3], "servers/weather/package.json");
    assert!(
        uris.iter().all(|u| u.starts_with("servers/weather/")),
        "{uris:?}"
    );
    // The repository root itself: paths as they are.
    let root = assert_valid_sarif(&rendered(
        Format::Sarif,
        &[folder_report(".")],
        &[],
        plain(),
    ));
    assert_eq!(sarif_uris(&root)[0], "src/tools/fetch.ts");
}

#[test]
fn sarif_categories_stay_the_same_across_package_versions() {
    let category = |version: &str| {
        let sarif = assert_valid_sarif(&rendered(
            Format::Sarif,
            &[
                report_from(npm_target("foo", version), canonical_findings()),
                clean_report(),
            ],
            &[],
            plain(),
        ));
        sarif["runs"][0]["automationDetails"]["id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    assert_eq!(category("1.0.0"), "skillaudit/npm:foo/");
    assert_eq!(category("1.0.0"), category("2.1.0"));
}

#[test]
fn sarif_embeds_help_only_for_rules_with_results() {
    let sarif = assert_valid_sarif(&rendered(
        Format::Sarif,
        &[canonical_report()],
        &[],
        plain(),
    ));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for id in ["SSRF-001", "DOC-001"] {
        let rule = rules.iter().find(|r| r["id"] == id).expect(id);
        assert!(rule["help"]["markdown"].is_string(), "{id} has results");
    }
    let clean = assert_valid_sarif(&rendered(Format::Sarif, &[clean_report()], &[], plain()));
    let rules = clean["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        assert!(rule.get("help").is_none(), "no result, no help: {rule}");
        assert!(rule["fullDescription"]["text"].is_string());
    }
}

#[test]
fn sarif_tags_rules_by_axis_and_scores_critical_findings_as_critical() {
    let sarif = assert_valid_sarif(&rendered(
        Format::Sarif,
        &[canonical_report()],
        &[],
        plain(),
    ));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let doc = rule("DOC-001");
    let tags = doc["properties"]["tags"].as_array().expect("tags");
    assert!(!tags.contains(&"security".into()), "{tags:?}");
    assert!(tags.contains(&"documentation".into()));
    assert!(doc["properties"].get("security-severity").is_none());
    // SSRF-001 has the critical finding (HIGH, runtime surface): GitHub's critical band.
    assert_eq!(rule("SSRF-001")["properties"]["security-severity"], "9.5");
}

fn codequality(reports: &[Report]) -> Vec<Value> {
    let text = rendered(Format::CodeQuality, reports, &[], plain());
    serde_json::from_str::<Value>(&text)
        .expect("json")
        .as_array()
        .expect("array")
        .clone()
}

#[test]
fn codequality_fingerprints_survive_unrelated_content_changes() {
    let before = codequality(&[canonical_report(), clean_report()]);
    // An unrelated edit (a README line) changes the audit id, which hashes the content.
    let mut edited = canonical_report();
    edited.audit_id = "au_fedcba9876543210".into();
    let after = codequality(&[edited, clean_report()]);
    let fingerprints = |issues: &[Value]| -> Vec<Value> {
        issues.iter().map(|i| i["fingerprint"].clone()).collect()
    };
    assert!(!before.is_empty());
    assert_eq!(fingerprints(&before), fingerprints(&after));
    // Still unique when the same package is audited twice in one run.
    let twice = codequality(&[canonical_report(), canonical_report()]);
    let mut unique = fingerprints(&twice);
    unique.sort_by_key(|v| v.to_string());
    unique.dedup();
    assert_eq!(unique.len(), twice.len());
}

#[test]
fn codequality_categories_follow_the_axis() {
    let issues = codequality(&[canonical_report()]);
    let category = |code: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == code)
            .map(|i| i["categories"][0].clone())
            .unwrap_or_else(|| panic!("{code}"))
    };
    assert_eq!(category("SSRF-001"), "Security");
    assert_eq!(category("DOC-001"), "Clarity");
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[test]
fn no_format_panics_on_degenerate_content() {
    let mut odd = finding(
        "",
        Axis::Permissions,
        Severity::Low,
        Surface::Docs,
        Some(""),
        Some(0),
        "",
        Some(""),
    );
    odd.column = Some(0);
    odd.end_line = Some(0);
    let mut huge = odd.clone();
    huge.message = "x".repeat(200_000);
    huge.evidence = Some("\n".repeat(10_000));
    huge.file = Some("é".repeat(5_000));
    huge.line = Some(u32::MAX);
    huge.column = Some(u32::MAX);
    let mut report = report_from(TargetInfo::default(), vec![odd, huge]);
    report.deductions[0].points = f64::NAN;
    report.inventory.manifests.clear();
    for format in Format::ALL {
        for opts in [
            plain(),
            RenderOptions {
                color: true,
                verbose: true,
                stats: false,
            },
        ] {
            let output = rendered(format, std::slice::from_ref(&report), &[], opts);
            assert!(!output.is_empty());
            if format == Format::Sarif {
                assert_valid_sarif(&output);
            }
        }
    }
}
