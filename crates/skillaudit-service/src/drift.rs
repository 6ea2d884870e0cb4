//! Drift: what got worse between a server's audit and the one before it — the grade dropped, a
//! new HIGH finding appeared, or a new advisory matches a dependency. Events are stored once per
//! audit (idempotent), listed by the API and delivered to the webhook.

use crate::auth::random_id;
use crate::card::stored_report;
use crate::store::{now_seconds, with_db, AuditRow, Columns, Store, StoreError};
use serde::Serialize;
use skillaudit_core::{Grade, Report, Severity};
use std::collections::BTreeSet;

/// One thing that got worse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriftEvent {
    pub server_id: String,
    pub audit_id: String,
    pub previous_audit_id: String,
    /// `grade_drop`, `new_high` or `new_advisory`.
    pub kind: String,
    /// What exactly: `B → D`, `SSRF-001 src/fetch.ts:47`, `GHSA-…`.
    pub detail: String,
    pub created_at: i64,
    /// When the webhook accepted it; `None` while undelivered (or with no webhook).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<i64>,
}

fn rank(grade: Grade) -> usize {
    Grade::ALL.iter().position(|g| *g == grade).unwrap_or(0)
}

/// The differences that count as drift from `previous` to `current`, as `(kind, detail)`.
pub fn compare(previous: &Report, current: &Report) -> Vec<(String, String)> {
    let mut events = Vec::new();
    if rank(current.grade) > rank(previous.grade) {
        events.push((
            "grade_drop".to_string(),
            format!(
                "{} {} → {} {}",
                previous.grade, previous.score, current.grade, current.score
            ),
        ));
    }
    let high = |report: &Report| -> BTreeSet<String> {
        report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::High && f.exemption.is_none())
            .map(|f| f.fingerprint.clone())
            .collect()
    };
    let before = high(previous);
    for finding in current.findings.iter().filter(|f| {
        f.severity == Severity::High && f.exemption.is_none() && !before.contains(&f.fingerprint)
    }) {
        let place = match (&finding.file, finding.line) {
            (Some(file), Some(line)) => format!(" {file}:{line}"),
            (Some(file), None) => format!(" {file}"),
            _ => String::new(),
        };
        events.push((
            "new_high".to_string(),
            format!("{}{place}: {}", finding.code, finding.message),
        ));
    }
    let known: BTreeSet<&str> = previous
        .dependencies
        .advisories
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    for advisory in &current.dependencies.advisories {
        if !known.contains(advisory.id.as_str()) && seen.insert(advisory.id.as_str()) {
            events.push((
                "new_advisory".to_string(),
                format!(
                    "{} in {}@{}",
                    advisory.id, advisory.package, advisory.version
                ),
            ));
        }
    }
    events
}

/// Compares a just-finished audit with the server's previous finished one and stores the
/// events (a second call for the same audit adds nothing). Returns the new events.
pub async fn record(store: &Store, audit: &AuditRow) -> Result<Vec<DriftEvent>, StoreError> {
    let history = store.server_history(&audit.server_id, 50).await?;
    let Some(previous) = history
        .iter()
        .find(|a| a.id != audit.id && a.finished_at <= audit.finished_at)
    else {
        return Ok(Vec::new());
    };
    let (Ok(before), Ok(now)) = (stored_report(previous), stored_report(audit)) else {
        return Ok(Vec::new());
    };
    let created_at = now_seconds();
    let mut stored = Vec::new();
    for (kind, detail) in compare(&before, &now) {
        let event = DriftEvent {
            server_id: audit.server_id.clone(),
            audit_id: audit.id.clone(),
            previous_audit_id: previous.id.clone(),
            kind,
            detail,
            created_at,
            delivered_at: None,
        };
        let inserted = with_db!(store, |db| {
            sqlx::query(
                "INSERT INTO drift_events (id, server_id, audit_id, previous_audit_id, kind, detail, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (audit_id, kind, detail) DO NOTHING",
            )
            .bind(random_id("dr_").map_err(|e| StoreError::Corrupt(e.to_string()))?)
            .bind(&event.server_id)
            .bind(&event.audit_id)
            .bind(&event.previous_audit_id)
            .bind(&event.kind)
            .bind(&event.detail)
            .bind(event.created_at)
            .execute(db)
            .await?
            .rows_affected()
        });
        if inserted > 0 {
            stored.push(event);
        }
    }
    Ok(stored)
}

fn event_from_row(row: &impl Columns) -> Result<(String, DriftEvent), StoreError> {
    Ok((
        row.text("id")?,
        DriftEvent {
            server_id: row.text("server_id")?,
            audit_id: row.text("audit_id")?,
            previous_audit_id: row.text("previous_audit_id")?,
            kind: row.text("kind")?,
            detail: row.text("detail")?,
            created_at: row.int("created_at")?,
            delivered_at: row.opt_int("delivered_at")?,
        },
    ))
}

/// Events of one server (or of all when `None`), newest first.
pub async fn list(
    store: &Store,
    server_id: Option<&str>,
    limit: i64,
) -> Result<Vec<DriftEvent>, StoreError> {
    with_db!(store, |db| {
        let rows = sqlx::query(
            "SELECT * FROM drift_events WHERE ($1 = '' OR server_id = $1)
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(server_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(db)
        .await?;
        rows.iter()
            .map(|row| event_from_row(row).map(|(_, event)| event))
            .collect()
    })
}

/// Events the webhook has not accepted yet, oldest first, with their row ids.
pub async fn undelivered(
    store: &Store,
    limit: i64,
) -> Result<Vec<(String, DriftEvent)>, StoreError> {
    with_db!(store, |db| {
        let rows = sqlx::query(
            "SELECT * FROM drift_events WHERE delivered_at IS NULL ORDER BY created_at, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(db)
        .await?;
        rows.iter().map(event_from_row).collect()
    })
}

/// Marks an event delivered.
pub async fn mark_delivered(store: &Store, id: &str) -> Result<(), StoreError> {
    with_db!(store, |db| {
        sqlx::query("UPDATE drift_events SET delivered_at = $1 WHERE id = $2")
            .bind(now_seconds())
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: serde_json::Value) -> Report {
        serde_json::from_value(json).unwrap()
    }

    fn base() -> serde_json::Value {
        // The smallest report the model reads: taken from a real card and trimmed.
        serde_json::from_str(include_str!("../tests/fixtures/minimal-report.json")).unwrap()
    }

    #[test]
    fn an_unchanged_report_is_no_drift() {
        let r = report(base());
        assert!(compare(&r, &r).is_empty());
    }

    #[test]
    fn a_lower_grade_a_new_high_and_a_new_advisory_are_drift() {
        let before = report(base());
        let mut after = base();
        after["grade"] = "D".into();
        after["score"] = 55.into();
        let mut finding = after["findings"][0].clone();
        finding["severity"] = "HIGH".into();
        finding["fingerprint"] = "feedfacefeedface".into();
        finding["code"] = "SSRF-001".into();
        finding["file"] = "src/fetch.ts".into();
        finding["line"] = 47.into();
        after["findings"].as_array_mut().unwrap().push(finding);
        after["dependencies"]["advisories"] = serde_json::json!([{
            "id": "GHSA-xxxx-yyyy-zzzz", "aliases": [], "package": "left-pad", "version": "1.0.0",
            "ecosystem": "npm", "severity": "HIGH", "summary": "x", "url": "https://osv.dev/x"
        }]);
        let events = compare(&before, &report(after));
        let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["grade_drop", "new_high", "new_advisory"],
            "{events:?}"
        );
        assert!(events[1].1.starts_with("SSRF-001 src/fetch.ts:47"));
        assert!(events[2]
            .1
            .starts_with("GHSA-xxxx-yyyy-zzzz in left-pad@1.0.0"));
    }

    #[test]
    fn a_better_grade_is_not_drift() {
        let mut before = base();
        before["grade"] = "C".into();
        assert!(compare(&report(before), &report(base())).is_empty());
    }
}
