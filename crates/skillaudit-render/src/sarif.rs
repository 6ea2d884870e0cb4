//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! Built on the `serde-sarif` types (generated from the SARIF schema, so a misspelt property
//! cannot compile) and checked in tests against the official OASIS schema.
//!
//! The shape:
//! * one run per report; `tool.driver` is `skillaudit` with every rule passed in `rules` (id =
//!   code, descriptions from the rule's doc), plus a minimal descriptor for any code a finding
//!   uses that is not among them. The rule's full help (its doc page) is embedded only for rules
//!   with results in the run, so a log stays small. Rules are tagged by axis: Security-axis rules
//!   `security`, Credentials and Permissions `security` plus the axis, and Maintenance,
//!   Compatibility and Documentation only their axis (they are not security alerts). Only rules
//!   tagged `security` carry GitHub's `security-severity`: HIGH 8.0, MEDIUM 5.5, LOW 3.0, and 9.5
//!   (critical) for a rule with a critical finding in the run (HIGH on the runtime surface);
//! * one result per finding: level from severity (HIGH → `error`, MEDIUM → `warning`, LOW and
//!   INFO → `note`), location relative to `%SRCROOT%` — the repository root: a folder target given
//!   as a relative path (`skillaudit scan servers/weather` from the checkout) gets its path in
//!   front of every file (`servers/weather/src/index.ts`), since code scanning resolves URIs
//!   against the repository, not the scanned folder — `partialFingerprints["skillaudit/v1"]` =
//!   the finding's fingerprint, and axis, surface, severity, confidence and tool as properties;
//! * the grade and score as run properties, and `invocations[0].executionSuccessful` =
//!   `report.complete`, with a notification for each skipped file, check not run and reason the
//!   report is incomplete;
//! * targets that could not be audited at all become one extra run with no results and an
//!   unsuccessful invocation whose notifications say why.
//!
//! Two GitHub rules shape this beyond the SARIF standard:
//! * GitHub rejects a whole upload when any result has no location. A finding about the package
//!   as a whole (no SECURITY.md, no lockfile) is therefore anchored at the target's main manifest
//!   (`package.json`, `pyproject.toml`…) as a file-level location, with a location message saying
//!   so; only when the target has no manifest at all is the result left without a location.
//! * GitHub rejects several runs of the same tool in one file unless each has its own category.
//!   With more than one run, each gets `automationDetails.id = "skillaudit/<target>/"`, where
//!   `<target>` is the folder's repository path or the package's name without its version
//!   ([`crate::stable_target_key`]), so a new release keeps its alerts' history; a single run gets
//!   none, so the upload action's `category` input applies.

use crate::codequality::repo_path;
use crate::{stable_target_key, target_label, unique_key, RenderOptions};
use serde_json::{json, Map, Value};
use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Invocation, Location, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Suppression, Tool, ToolComponent,
};
use skillaudit_core::{Confidence, Finding, Report, RuleMeta, Severity, Surface, TargetError};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

/// The `$schema` written at the top of the log: the OASIS 2.1.0 (errata 01) schema.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Key of the finding fingerprint in `partialFingerprints`; bump the version if the fingerprint
/// algorithm ever changes, so old alerts are not matched against new identities.
pub const FINGERPRINT_KEY: &str = "skillaudit/v1";

/// Base id that result locations are relative to.
pub const SRCROOT: &str = "%SRCROOT%";

const TOOL_NAME: &str = "skillaudit";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Writes one SARIF 2.1.0 log (pretty-printed, newline-terminated) for all the reports.
pub fn render(
    reports: &[Report],
    errors: &[TargetError],
    rules: &[RuleMeta],
    _opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let log = sarif_log(reports, errors, rules);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn sarif_log(reports: &[Report], errors: &[TargetError], rules: &[RuleMeta]) -> Sarif {
    let run_count = reports.len() + usize::from(!errors.is_empty());
    let mut categories = BTreeSet::new();
    let mut runs: Vec<Run> = reports
        .iter()
        .map(|report| {
            let automation = (run_count > 1).then(|| automation_details(report, &mut categories));
            report_run(report, rules, automation)
        })
        .collect();
    if !errors.is_empty() {
        let automation = (run_count > 1).then(|| RunAutomationDetails {
            id: Some(unique_category("errors", &mut categories)),
            ..Default::default()
        });
        runs.push(errors_run(errors, automation));
    }
    let mut log = Sarif::builder().version(json!("2.1.0")).runs(runs).build();
    log.schema = Some(SCHEMA_URI.to_string());
    log
}

fn automation_details(report: &Report, used: &mut BTreeSet<String>) -> RunAutomationDetails {
    RunAutomationDetails {
        id: Some(unique_category(&stable_target_key(report), used)),
        ..Default::default()
    }
}

/// `skillaudit/<name>/`, made unique within the log (the same target twice gets `-2`).
fn unique_category(name: &str, used: &mut BTreeSet<String>) -> String {
    format!("{TOOL_NAME}/{}/", unique_key(name.to_string(), used))
}

fn driver(version: &str, rules: Vec<ReportingDescriptor>) -> ToolComponent {
    let mut driver = ToolComponent::builder().name(TOOL_NAME).build();
    driver.version = Some(version.to_string());
    driver.semantic_version = Some(version.to_string());
    driver.information_uri = Some(INFORMATION_URI.to_string());
    driver.rules = Some(rules);
    driver
}

fn report_run(
    report: &Report,
    rules: &[RuleMeta],
    automation: Option<RunAutomationDetails>,
) -> Run {
    let (descriptors, rule_index) = descriptors(report, rules);
    let anchor = package_anchor(report).map(|file| repo_path(report, file));
    let results = report
        .findings
        .iter()
        .map(|finding| {
            let file = finding
                .file
                .as_deref()
                .filter(|file| !file.is_empty())
                .map(|file| repo_path(report, file));
            result(
                finding,
                file.as_deref(),
                rule_index.get(finding.code.as_str()),
                anchor.as_deref(),
            )
        })
        .collect();
    let tool = Tool::builder()
        .driver(driver(&report.engine.version, descriptors))
        .build();
    let mut run = Run::builder().tool(tool).build();
    run.results = Some(results);
    run.invocations = Some(vec![invocation(report)]);
    run.automation_details = automation;
    // Finding columns count characters, not UTF-16 code units (the SARIF default).
    run.column_kind = Some(json!("unicodeCodePoints"));
    run.properties = Some(run_properties(report));
    run
}

fn errors_run(errors: &[TargetError], automation: Option<RunAutomationDetails>) -> Run {
    let notifications = errors
        .iter()
        .map(|error| {
            notification(
                format!("could not audit {}: {}", error.target, error.error),
                "error",
                "target-error",
            )
        })
        .collect();
    let mut invocation = Invocation::builder().execution_successful(false).build();
    invocation.tool_execution_notifications = Some(notifications);
    let tool = Tool::builder()
        .driver(driver(skillaudit_core::ENGINE_VERSION, Vec::new()))
        .build();
    let mut run = Run::builder().tool(tool).build();
    run.results = Some(Vec::new());
    run.invocations = Some(vec![invocation]);
    run.automation_details = automation;
    run
}

/// The rule descriptors of a run and each code's index among them: every rule passed, in the
/// order given, then a minimal descriptor for each unknown code a finding uses.
fn descriptors<'a>(
    report: &'a Report,
    rules: &'a [RuleMeta],
) -> (Vec<ReportingDescriptor>, HashMap<&'a str, i64>) {
    let mut best_confidence: HashMap<&str, Confidence> = HashMap::new();
    let critical: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.is_critical())
        .map(|f| f.code.as_str())
        .collect();
    for finding in &report.findings {
        let entry = best_confidence
            .entry(finding.code.as_str())
            .or_insert(finding.confidence);
        if confidence_rank(finding.confidence) > confidence_rank(*entry) {
            *entry = finding.confidence;
        }
    }

    let mut list = Vec::new();
    let mut index: HashMap<&str, i64> = HashMap::new();
    for rule in rules {
        if index.contains_key(rule.code) {
            continue;
        }
        index.insert(rule.code, list.len() as i64);
        list.push(rule_descriptor(
            rule,
            best_confidence.get(rule.code).copied(),
            critical.contains(rule.code),
        ));
    }

    let mut unknown: BTreeMap<&str, &Finding> = BTreeMap::new();
    for finding in &report.findings {
        if !index.contains_key(finding.code.as_str()) {
            let entry = unknown.entry(finding.code.as_str()).or_insert(finding);
            if finding.severity < entry.severity {
                *entry = finding;
            }
        }
    }
    for (code, finding) in unknown {
        index.insert(code, list.len() as i64);
        list.push(unknown_rule_descriptor(
            finding,
            best_confidence.get(code).copied(),
            critical.contains(code),
        ));
    }
    (list, index)
}

/// A rule's descriptor. `precision` is the best confidence among its results (`None`: the rule has
/// no result in this run, so its help is left out); `critical` when one of them is critical.
fn rule_descriptor(
    rule: &RuleMeta,
    precision: Option<Confidence>,
    critical: bool,
) -> ReportingDescriptor {
    let doc = rule.doc_markdown();
    let summary = non_empty(rule.summary()).unwrap_or_else(|| rule.name.to_string());
    let full = rule
        .section("What it finds")
        .and_then(non_empty)
        .unwrap_or_else(|| summary.clone());
    let mut properties = severity_properties(rule.severity, critical, rule.axis.as_str(), rule.cwe);
    if let Some(precision) = precision {
        properties
            .additional_properties
            .insert("precision".into(), json!(precision_name(precision)));
    }
    let mut descriptor = ReportingDescriptor::builder().id(rule.code).build();
    descriptor.name = Some(rule.name.to_string());
    descriptor.short_description = Some(plain_text(summary));
    descriptor.full_description = Some(plain_text(full));
    descriptor.help = non_empty(doc).filter(|_| precision.is_some()).map(|doc| {
        let mut help = plain_text(doc.clone());
        help.markdown = Some(doc);
        help
    });
    descriptor.help_uri = Some(rule.help_uri());
    descriptor.default_configuration = Some(ReportingConfiguration {
        level: Some(json!(level_name(rule.severity))),
        ..Default::default()
    });
    descriptor.properties = Some(properties);
    descriptor
}

/// A finding whose rule was not passed in: enough for a consumer to group and rank it.
fn unknown_rule_descriptor(
    finding: &Finding,
    precision: Option<Confidence>,
    critical: bool,
) -> ReportingDescriptor {
    let mut properties = severity_properties(
        finding.severity,
        critical,
        finding.axis.as_str(),
        finding.cwe.as_deref(),
    );
    if let Some(precision) = precision {
        properties
            .additional_properties
            .insert("precision".into(), json!(precision_name(precision)));
    }
    let mut descriptor = ReportingDescriptor::builder()
        .id(finding.code.clone())
        .build();
    descriptor.short_description = Some(plain_text(finding.code.clone()));
    descriptor.help_uri = finding.help_uri.clone();
    descriptor.default_configuration = Some(ReportingConfiguration {
        level: Some(json!(level_name(finding.severity))),
        ..Default::default()
    });
    descriptor.properties = Some(properties);
    descriptor
}

/// The tags of a rule on `axis`: `security` for the axes whose findings are weaknesses an
/// attacker uses (Security, Credentials, Permissions), the axis name otherwise. Maintenance,
/// Compatibility and Documentation findings are quality alerts, not security ones.
fn axis_tags(axis: &str) -> Vec<String> {
    match axis {
        "security" => vec!["security".to_string()],
        "credentials" | "permissions" => vec!["security".to_string(), axis.to_string()],
        other => vec![other.to_string()],
    }
}

/// Tags and the properties GitHub ranks alerts by.
fn severity_properties(
    severity: Severity,
    critical: bool,
    axis: &str,
    cwe: Option<&str>,
) -> PropertyBag {
    let mut tags = axis_tags(axis);
    let mut additional = BTreeMap::new();
    // GitHub reads `security-severity` only on rules tagged `security`.
    if tags.iter().any(|t| t == "security") {
        let score = if critical {
            CRITICAL_SECURITY_SEVERITY
        } else {
            security_severity(severity)
        };
        additional.insert("security-severity".to_string(), json!(score));
    }
    additional.insert("axis".to_string(), json!(axis));
    additional.insert("severity".to_string(), json!(severity.as_str()));
    if let Some(cwe) = cwe {
        if let Some(tag) = cwe_tag(cwe) {
            tags.push(tag);
        }
        additional.insert("cwe".to_string(), json!(cwe));
    }
    PropertyBag {
        tags: Some(tags),
        additional_properties: additional,
    }
}

/// `CWE-22` → `external/cwe/cwe-022`, the tag form GitHub and CodeQL use.
fn cwe_tag(cwe: &str) -> Option<String> {
    let digits = cwe.trim().to_ascii_uppercase();
    let number: u32 = digits.strip_prefix("CWE-")?.parse().ok()?;
    Some(format!("external/cwe/cwe-{number:03}"))
}

/// GitHub's "critical" band (≥ 9.0), for a rule with a critical finding in the run.
const CRITICAL_SECURITY_SEVERITY: &str = "9.5";

/// GitHub's numeric severity: ≥ 9.0 is critical, ≥ 7.0 high, ≥ 4.0 medium, > 0 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

fn confidence_rank(confidence: Confidence) -> u8 {
    match confidence {
        Confidence::High => 3,
        Confidence::Medium => 2,
        Confidence::Low => 1,
    }
}

fn precision_name(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// Where a finding about the package as a whole is shown: the shallowest manifest that parsed,
/// else a skill, bundle or registry manifest.
fn package_anchor(report: &Report) -> Option<&str> {
    let inventory = &report.inventory;
    let manifest = inventory
        .manifests
        .iter()
        .filter(|m| m.error.is_none() && !m.file.is_empty())
        .min_by_key(|m| (m.file.matches('/').count(), m.file.as_str()))
        .map(|m| m.file.as_str());
    manifest
        .or(inventory.skill.as_deref())
        .or(inventory.bundle_manifest.as_deref())
        .or(inventory.server_json.as_deref())
        .filter(|file| !file.is_empty())
}

/// One result; `file` and `anchor` are already repository-relative.
fn result(
    finding: &Finding,
    file: Option<&str>,
    rule_index: Option<&i64>,
    anchor: Option<&str>,
) -> SarifResult {
    let mut properties = BTreeMap::new();
    properties.insert("axis".to_string(), json!(finding.axis.as_str()));
    properties.insert("surface".to_string(), json!(finding.surface.as_str()));
    properties.insert("severity".to_string(), json!(finding.severity.as_str()));
    properties.insert(
        "confidence".to_string(),
        json!(precision_name(finding.confidence)),
    );
    if let Some(tool) = &finding.tool {
        properties.insert("tool".to_string(), json!(tool));
    }
    if let Some(cwe) = &finding.cwe {
        properties.insert("cwe".to_string(), json!(cwe));
    }
    if let Some(fix) = &finding.fix {
        properties.insert("fix".to_string(), json!(fix));
    }
    if finding.is_critical() {
        properties.insert("critical".to_string(), json!(true));
    }

    let location = match (file, anchor) {
        (Some(file), _) => Some(Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: Some(artifact(file)),
                region: region(finding),
                ..Default::default()
            }),
            ..Default::default()
        }),
        (_, Some(anchor)) => Some(Location {
            physical_location: Some(PhysicalLocation {
                // No region: the finding is about the file as a whole (a file-level alert).
                artifact_location: Some(artifact(anchor)),
                ..Default::default()
            }),
            message: Some(text_message(
                "A finding about the package as a whole, shown at its manifest.".to_string(),
            )),
            ..Default::default()
        }),
        _ => None,
    };

    let mut result = SarifResult::builder()
        .message(text_message(finding.message.clone()))
        .build();
    result.rule_id = Some(finding.code.clone());
    result.rule_index = rule_index.copied();
    result.level = Some(result_level(finding.severity));
    result.locations = location.map(|l| vec![l]);
    result.partial_fingerprints = Some(BTreeMap::from([(
        FINGERPRINT_KEY.to_string(),
        finding.fingerprint.clone(),
    )]));
    result.properties = Some(PropertyBag {
        tags: None,
        additional_properties: properties,
    });
    // An exempted finding is an accepted ("external") suppression: code scanning shows it as
    // dismissed, with the justification.
    if let Some(exemption) = &finding.exemption {
        let mut suppression = Suppression::builder().kind(json!("external")).build();
        suppression.status = Some(json!("accepted"));
        suppression.justification = Some(format!(
            "{} (exempted by {} until {}, {})",
            exemption.justification, exemption.exempted_by, exemption.expires, exemption.source
        ));
        result.suppressions = Some(vec![suppression]);
    }
    result
}

/// The region of a finding, or none when its line is unknown (SARIF lines start at 1).
fn region(finding: &Finding) -> Option<Region> {
    let line = finding.line.filter(|&line| line >= 1)?;
    Some(Region {
        start_line: Some(i64::from(line)),
        start_column: finding.column.filter(|&column| column >= 1).map(i64::from),
        end_line: finding.end_line.filter(|&end| end >= line).map(i64::from),
        snippet: finding
            .evidence
            .as_ref()
            .filter(|e| !e.is_empty())
            .map(|evidence| ArtifactContent {
                text: Some(evidence.clone()),
                ..Default::default()
            }),
        ..Default::default()
    })
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: Some(relative_uri(path)),
        uri_base_id: Some(SRCROOT.to_string()),
        ..Default::default()
    }
}

/// A relative path as a URI reference: `/` separators, every byte outside RFC 3986's unreserved
/// and path-safe set percent-encoded (spaces, `%`, `?`, `#`, `:`, non-ASCII…), leading `/` and
/// `./` removed so it stays relative to `%SRCROOT%`.
fn relative_uri(path: &str) -> String {
    let normalised = path.replace('\\', "/");
    let mut trimmed = normalised.as_str();
    loop {
        if let Some(rest) = trimmed.strip_prefix("./") {
            trimmed = rest;
        } else if let Some(rest) = trimmed.strip_prefix('/') {
            trimmed = rest;
        } else {
            break;
        }
    }
    let mut out = String::with_capacity(trimmed.len());
    for byte in trimmed.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn invocation(report: &Report) -> Invocation {
    let mut notifications = Vec::new();
    for reason in &report.incomplete_reasons {
        notifications.push(notification(
            format!("report incomplete: {reason}"),
            "error",
            "incomplete",
        ));
    }
    for skipped in &report.inventory.skipped {
        let runtime = skipped.surface == Some(Surface::Runtime);
        let mut properties = BTreeMap::new();
        if let Some(surface) = skipped.surface {
            properties.insert("surface".to_string(), json!(surface.as_str()));
        }
        let mut note = notification(
            format!("file not analysed: {}: {}", skipped.file, skipped.reason),
            if runtime { "warning" } else { "note" },
            "skipped-file",
        );
        note.locations = (!skipped.file.is_empty()).then(|| {
            vec![Location {
                physical_location: Some(PhysicalLocation {
                    artifact_location: Some(artifact(&skipped.file)),
                    ..Default::default()
                }),
                ..Default::default()
            }]
        });
        note.properties = (!properties.is_empty()).then_some(PropertyBag {
            tags: None,
            additional_properties: properties,
        });
        notifications.push(note);
    }
    for not_run in &report.not_run {
        notifications.push(notification(
            format!("check not run: {}: {}", not_run.check, not_run.reason),
            "warning",
            "check-not-run",
        ));
    }
    let mut invocation = Invocation::builder()
        .execution_successful(report.complete)
        .build();
    invocation.tool_execution_notifications = (!notifications.is_empty()).then_some(notifications);
    invocation
}

fn run_properties(report: &Report) -> PropertyBag {
    let mut axes = Map::new();
    for (axis, score) in report.axes.iter() {
        axes.insert(
            axis.as_str().to_string(),
            json!({"grade": score.grade, "score": score.score, "findings": score.findings}),
        );
    }
    let caps: Vec<Value> = report
        .caps
        .iter()
        .map(|cap| json!({"max_score": cap.max_score, "reason": cap.reason}))
        .collect();
    let mut properties = BTreeMap::new();
    properties.insert("grade".to_string(), json!(report.grade));
    properties.insert("score".to_string(), json!(report.score));
    properties.insert("complete".to_string(), json!(report.complete));
    properties.insert(
        "critical_findings".to_string(),
        json!(report.critical_findings.len()),
    );
    properties.insert("axes".to_string(), Value::Object(axes));
    properties.insert("caps".to_string(), Value::Array(caps));
    properties.insert("target".to_string(), json!(target_label(&report.target)));
    properties.insert("audit_id".to_string(), json!(report.audit_id));
    properties.insert("schema_version".to_string(), json!(report.schema_version));
    properties.insert("methodology".to_string(), json!(report.engine.methodology));
    if let Some(url) = &report.report_url {
        properties.insert("report_url".to_string(), json!(url));
    }
    PropertyBag {
        tags: None,
        additional_properties: properties,
    }
}

/// A tool execution notification: `level` is `error`, `warning` or `note`; `id` names its kind.
fn notification(message: String, level: &str, id: &str) -> Notification {
    let mut notification = Notification::builder()
        .message(text_message(message))
        .build();
    notification.level = Some(json!(level));
    notification.descriptor = Some(ReportingDescriptorReference {
        id: Some(id.to_string()),
        ..Default::default()
    });
    notification
}

fn text_message(text: String) -> Message {
    Message {
        text: Some(text),
        ..Default::default()
    }
}

fn plain_text(text: String) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        let table = [
            ("src/tools/fetch.ts", "src/tools/fetch.ts"),
            ("./src/a b.js", "src/a%20b.js"),
            ("/abs/x.py", "abs/x.py"),
            ("lib\\win.js", "lib/win.js"),
            ("c:odd#name?.js", "c%3Aodd%23name%3F.js"),
            ("dïr/100%.md", "d%C3%AFr/100%25.md"),
            ("@scope/pkg/index.js", "@scope/pkg/index.js"),
        ];
        for (path, uri) in table {
            assert_eq!(relative_uri(path), uri, "{path}");
        }
    }

    #[test]
    fn cwe_tags_use_the_codeql_form() {
        assert_eq!(cwe_tag("CWE-22").as_deref(), Some("external/cwe/cwe-022"));
        assert_eq!(
            cwe_tag("cwe-1104").as_deref(),
            Some("external/cwe/cwe-1104")
        );
        assert_eq!(cwe_tag("not a cwe"), None);
    }

    #[test]
    fn only_security_credentials_and_permissions_rules_are_security_alerts() {
        for (axis, tags, scored) in [
            ("security", vec!["security"], true),
            ("credentials", vec!["security", "credentials"], true),
            ("permissions", vec!["security", "permissions"], true),
            ("maintenance", vec!["maintenance"], false),
            ("compatibility", vec!["compatibility"], false),
            ("documentation", vec!["documentation"], false),
        ] {
            let bag = severity_properties(Severity::Medium, false, axis, None);
            assert_eq!(bag.tags.unwrap_or_default(), tags, "{axis}");
            assert_eq!(
                bag.additional_properties.contains_key("security-severity"),
                scored,
                "{axis}"
            );
        }
        let critical = severity_properties(Severity::High, true, "security", None);
        assert_eq!(
            critical.additional_properties["security-severity"],
            json!("9.5")
        );
    }

    #[test]
    fn severity_maps_to_level_and_security_severity() {
        let table = [
            (Severity::High, "error", "8.0"),
            (Severity::Medium, "warning", "5.5"),
            (Severity::Low, "note", "3.0"),
            (Severity::Info, "note", "0.0"),
        ];
        for (severity, level, score) in table {
            assert_eq!(level_name(severity), level);
            assert_eq!(security_severity(severity), score);
        }
    }
}
