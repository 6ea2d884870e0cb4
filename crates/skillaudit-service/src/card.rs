//! The API's view of an audit: the report card (as `skillaudit scan --format json` writes it)
//! with the service's fields on top — `audit_id`, `status`, `badge_url`, `report_url`, the
//! SBOM and SARIF links, staleness and, when a policy environment is named, the gate's verdict.

use crate::store::{now_seconds, AuditRow, AuditStatus};
use crate::ServiceConfig;
use serde_json::{json, Map, Value};
use skillaudit_core::{Axis, Report};

/// Links to an audit's views.
pub fn links(config: &ServiceConfig, audit_id: &str) -> Map<String, Value> {
    let base = &config.public_url;
    let mut map = Map::new();
    map.insert(
        "badge_url".into(),
        json!(format!("{base}/badge/{audit_id}.svg")),
    );
    map.insert(
        "report_url".into(),
        json!(format!("{base}/reports/{audit_id}")),
    );
    map.insert(
        "api_url".into(),
        json!(format!("{base}/api/v1/audits/{audit_id}")),
    );
    map.insert(
        "sbom_url".into(),
        json!(format!("{base}/api/v1/audits/{audit_id}/sbom")),
    );
    map.insert(
        "sarif_url".into(),
        json!(format!("{base}/api/v1/audits/{audit_id}/sarif")),
    );
    map
}

/// RFC 3339 text of a stored time.
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// True when a report finished at `finished_at` is older than the re-scan period.
pub fn is_stale(config: &ServiceConfig, finished_at: i64) -> bool {
    let period = i64::try_from(config.rescan_period.as_secs()).unwrap_or(i64::MAX);
    now_seconds().saturating_sub(finished_at) > period
}

/// The stored report of a finished audit; `Err` names what is wrong with the row.
pub fn stored_report(audit: &AuditRow) -> Result<Report, String> {
    let text = audit
        .report
        .as_deref()
        .ok_or_else(|| format!("audit {} has no stored report", audit.id))?;
    serde_json::from_str(text).map_err(|e| {
        format!(
            "the stored report of audit {} cannot be read: {e}",
            audit.id
        )
    })
}

/// The stored report as the service presents it (HTML page, SARIF): under the service's audit
/// id, with its badge and report links.
pub fn presented_report(config: &ServiceConfig, audit: &AuditRow) -> Result<Report, String> {
    let mut report = stored_report(audit)?;
    report.audit_id = audit.id.clone();
    report.badge_url = Some(format!("{}/badge/{}.svg", config.public_url, audit.id));
    report.report_url = Some(format!("{}/reports/{}", config.public_url, audit.id));
    Ok(report)
}

/// Grade letter per axis, as gates read them (`sub_scores` in the grade endpoint).
pub fn axis_grades(report: &Report) -> Map<String, Value> {
    Axis::ALL
        .into_iter()
        .map(|axis| {
            (
                axis.as_str().to_string(),
                json!(report.axes.get(axis).grade.as_str()),
            )
        })
        .collect()
}

/// The JSON answer for one audit. `policy_env` judges a finished report against that
/// environment of the reference policy; `cached` says a previous audit answered the request.
pub fn audit_card(
    config: &ServiceConfig,
    audit: &AuditRow,
    policy_env: Option<&str>,
    cached: bool,
) -> Result<Value, String> {
    let mut card = Map::new();
    let mut report = None;
    if audit.status == AuditStatus::Done {
        let parsed = stored_report(audit)?;
        if let Value::Object(fields) = serde_json::to_value(&parsed).map_err(|e| e.to_string())? {
            card = fields;
        }
        // The engine's own id names the audited content; the service's id names this audit.
        if let Some(content_id) = card.remove("audit_id") {
            card.insert("content_id".into(), content_id);
        }
        report = Some(parsed);
    }
    card.insert("audit_id".into(), json!(audit.id));
    card.insert("status".into(), json!(audit.status.as_str()));
    card.insert("server_id".into(), json!(audit.server_id));
    card.insert("spec".into(), json!(audit.spec));
    card.insert("version".into(), json!(audit.version));
    card.insert("cached".into(), json!(cached));
    card.insert("created_at".into(), json!(rfc3339(audit.created_at)));
    if let Some(finished) = audit.finished_at {
        card.insert("finished_at".into(), json!(rfc3339(finished)));
        if audit.status == AuditStatus::Done {
            card.insert("stale".into(), json!(is_stale(config, finished)));
        }
    }
    if let Some(error) = &audit.error {
        card.insert("error".into(), json!(error));
    }
    card.extend(links(config, &audit.id));
    if let (Some(report), Some(env)) = (&report, policy_env) {
        card.insert("gate".into(), gate_verdict(report, env)?);
    }
    Ok(Value::Object(card))
}

/// Checks that `env` names an environment of the reference policy.
pub fn check_policy_env(env: &str) -> Result<(), String> {
    skillaudit_policy::policy::builtin()
        .environment(Some(env))
        .map(|_| ())
}

fn gate_verdict(report: &Report, env: &str) -> Result<Value, String> {
    let policy = skillaudit_policy::policy::builtin();
    let Some(environment) = policy.environment(Some(env))? else {
        return Err(format!("no policy environment {env:?}"));
    };
    let verdict = environment.gate.judge(report, None);
    Ok(json!({
        "env": env,
        "gate": environment.gate.describe(),
        "passed": verdict.passed(),
        "failures": verdict.failures,
    }))
}

/// A server's latest audit as an entry of the approved-server registry: the target pinned to
/// what was audited (`npm:NAME@VERSION`, `pypi:NAME==VERSION`, `URL#COMMIT`), its grade, report
/// link, date and F axes. The organisation's approval fields stay empty.
pub fn registry_entry(
    config: &ServiceConfig,
    audit: &AuditRow,
    report: &Report,
) -> skillaudit_policy::registry::Entry {
    let target = &report.target;
    let version = target
        .version
        .clone()
        .unwrap_or_else(|| audit.version.clone());
    let server_id = match target.kind.as_str() {
        "npm" => format!("npm:{}@{version}", target.name),
        "pypi" => format!("pypi:{}=={version}", target.name),
        _ => match &target.commit {
            Some(commit) => format!("{}#{commit}", audit.spec),
            None => audit.spec.clone(),
        },
    };
    let finished = audit.finished_at.unwrap_or(audit.created_at);
    let audit_date = jiff::Timestamp::from_second(finished)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    skillaudit_policy::registry::Entry {
        server_id,
        display_name: target.name.clone(),
        current_grade: report.grade,
        audit_url: format!("{}/reports/{}", config.public_url, audit.id),
        audit_date,
        environments_approved: Vec::new(),
        data_access_summary: String::new(),
        exception_id: None,
        exception_granted: None,
        exception_expires: None,
        exception_approved_by: None,
        owner_team: String::new(),
        f_axes: Axis::ALL
            .into_iter()
            .filter(|axis| report.axes.get(*axis).grade == skillaudit_core::Grade::F)
            .map(|axis| axis.as_str().to_string())
            .collect(),
        line: 0,
    }
}
