//! `require_advisories`: a gate that only passes an audit whose dependencies (and the audited
//! version itself) were matched against a current advisory database.
//!
//! Without a database the dependency audit can only list "advisories: not run", and a report
//! with no advisory findings would otherwise read as "no known vulnerabilities". A gate that
//! requires advisories fails instead, with the reason: no database was used, or the one used was
//! imported longer ago than the environment allows (`advisories_max_age_days`, default
//! [`DEFAULT_MAX_AGE_DAYS`]).
//!
//! The age is measured against the report's `scanned_at`, so the judgement is a pure function of
//! the report and the database's import time.

use skillaudit_core::Report;

/// How old the advisory database may be when an environment does not say: OSV publishes new
/// advisories daily, and a week is the longest a CI cache should go without a refresh.
pub const DEFAULT_MAX_AGE_DAYS: u32 = 7;

const HOW_TO_FILL: &str =
    "run `skillaudit db update` before the scan (or `skillaudit db import DIR|ZIP` offline)";

/// Seconds since the Unix epoch of an RFC 3339 time (`2026-11-20T08:00:00Z`); `None` when it
/// does not parse.
pub fn unix_seconds(rfc3339: &str) -> Option<i64> {
    rfc3339
        .trim()
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_second())
}

/// How stale a database of this age is, in words: `imported within the hour`, `5 hours old`,
/// `9 days old`.
pub fn age_text(age_seconds: i64) -> String {
    let hours = age_seconds.max(0) / 3600;
    match hours {
        0 => "imported within the hour".to_string(),
        1 => "1 hour old".to_string(),
        h if h < 48 => format!("{h} hours old"),
        h => format!("{} days old", h / 24),
    }
}

/// Why `report` fails a gate that requires advisories, or `None` when it passes.
/// `imported_at` is when the database the audit used was last imported (RFC 3339), when known.
pub fn failure(report: &Report, imported_at: Option<&str>, max_age_days: u32) -> Option<String> {
    if report.dependencies.database.is_none() {
        return Some(format!(
            "advisories are required, but no advisory database was used: dependencies and the \
             audited version were not checked for known vulnerabilities; {HOW_TO_FILL}"
        ));
    }
    let imported = imported_at.and_then(unix_seconds);
    let scanned = unix_seconds(&report.scanned_at);
    let (Some(imported), Some(scanned)) = (imported, scanned) else {
        return Some(format!(
            "advisories are required, but the advisory database's import time is unknown, so \
             its age cannot be checked; {HOW_TO_FILL}"
        ));
    };
    let age = scanned - imported;
    if age > i64::from(max_age_days) * 86_400 {
        return Some(format!(
            "advisories are required, but the advisory database is {} (imported {}), over the \
             {max_age_days}-day limit; {HOW_TO_FILL}",
            age_text(age),
            imported_at.unwrap_or_default().trim()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(database: Option<&str>, scanned_at: &str) -> Report {
        let axes = skillaudit_core::scoring::score_findings(std::iter::empty()).axes;
        let mut report: Report = serde_json::from_value(serde_json::json!({
            "schema_version": "1", "audit_id": "au_1",
            "target": {"kind": "folder", "name": "server", "spec": "./server"},
            "repo": null, "engine": {"name": "skillaudit", "version": "0", "methodology": "1"},
            "scanned_at": scanned_at, "duration_ms": 1, "grade": "A", "score": 100,
            "axes": serde_json::to_value(axes).unwrap(), "complete": true, "incomplete_reasons": [], "critical_findings": [],
            "findings": [], "deductions": [], "caps": [], "inventory": serde_json::to_value(skillaudit_core::Inventory::default()).unwrap(), "not_run": [],
            "dependencies": serde_json::to_value(skillaudit_core::Dependencies::default()).unwrap(),
            "exemptions": []
        }))
        .unwrap();
        report.dependencies.database = database.map(str::to_string);
        report
    }

    #[test]
    fn a_report_without_a_database_fails_with_the_fix() {
        let why = failure(&report(None, "2026-11-20T08:00:00Z"), None, 7).unwrap();
        assert!(why.contains("no advisory database was used"), "{why}");
        assert!(why.contains("skillaudit db update"), "{why}");
    }

    #[test]
    fn a_fresh_database_passes() {
        let report = report(Some("OSV database"), "2026-11-20T08:00:00Z");
        assert_eq!(failure(&report, Some("2026-11-19T08:00:00Z"), 7), None);
    }

    #[test]
    fn a_stale_database_fails_with_its_age() {
        let report = report(Some("OSV database"), "2026-11-20T08:00:00Z");
        let why = failure(&report, Some("2026-11-10T08:00:00Z"), 7).unwrap();
        assert!(
            why.contains("10 days old") && why.contains("7-day limit"),
            "{why}"
        );
        // The limit is the environment's to set.
        assert_eq!(failure(&report, Some("2026-11-10T08:00:00Z"), 30), None);
    }

    #[test]
    fn an_unknown_import_time_fails() {
        let report = report(Some("OSV database"), "2026-11-20T08:00:00Z");
        assert!(failure(&report, Some("yesterday"), 7)
            .unwrap()
            .contains("import time is unknown"));
    }

    #[test]
    fn ages_read_in_hours_then_days() {
        assert_eq!(age_text(60), "imported within the hour");
        assert_eq!(age_text(3600), "1 hour old");
        assert_eq!(age_text(30 * 3600), "30 hours old");
        assert_eq!(age_text((24 * 9 + 3) * 3600), "9 days old");
    }
}
