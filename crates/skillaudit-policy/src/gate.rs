//! A gate: the floors a report must reach, and the judgement of one report against them.
//!
//! A report fails the gate when any of these holds (every reason is listed, not only the first):
//!
//! - its overall grade is below `min_grade`;
//! - an axis grade is below that axis's floor;
//! - `block_on_critical` is set and a critical finding (HIGH, runtime surface, not exempted) exists;
//! - `no_f_axis` is set and any axis is graded F;
//! - the report is not complete (a runtime file was skipped, a download failed, an analyser
//!   errored): an audit that did not see everything cannot vouch for anything;
//! - an exemption entry has expired: it no longer exempts, and it must be renewed or removed;
//! - `require_advisories` is set and no advisory database was used, or the one used is older
//!   than `advisories_max_age_days` ([`crate::advisories`]).
//!
//! `fail_open` changes none of this: the verdict is still computed and shown, only the exit code
//! is 0 (the CLI's business).

use crate::advisories;
use skillaudit_core::{Axis, ExemptionState, Grade, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a report must reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate {
    /// Lowest overall grade that passes.
    pub min_grade: Option<Grade>,
    /// Lowest grade per axis.
    pub min_axis: BTreeMap<Axis, Grade>,
    /// Fail on any critical finding, whatever the grade.
    pub block_on_critical: bool,
    /// Fail when any axis is graded F, whatever the overall grade.
    pub no_f_axis: bool,
    /// Report the verdict but never fail the build on it.
    pub fail_open: bool,
    /// Fail when the dependency audit had no advisory database, or a stale one.
    pub require_advisories: bool,
    /// Oldest advisory database that passes, in days (default
    /// [`advisories::DEFAULT_MAX_AGE_DAYS`]); only read with `require_advisories`.
    pub advisories_max_age_days: Option<u32>,
}

impl Gate {
    /// True when the gate checks something: without any floor or block, every complete report
    /// passes and the CLI keeps its plain exit code.
    pub fn is_configured(&self) -> bool {
        self.min_grade.is_some()
            || !self.min_axis.is_empty()
            || self.block_on_critical
            || self.no_f_axis
            || self.require_advisories
    }

    /// The advisory database age limit in effect, in days.
    pub fn advisories_max_age_days(&self) -> u32 {
        self.advisories_max_age_days
            .unwrap_or(advisories::DEFAULT_MAX_AGE_DAYS)
    }

    /// The stricter of two gates, floor by floor (an environment from the policy file and flags
    /// from the command line combine this way: a flag can tighten an environment, never loosen
    /// it). `fail_open` holds when either asks for it.
    pub fn stricter(&self, other: &Gate) -> Gate {
        let min_grade = match (self.min_grade, other.min_grade) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut min_axis = self.min_axis.clone();
        for (axis, floor) in &other.min_axis {
            let entry = min_axis.entry(*axis).or_insert(*floor);
            *entry = (*entry).min(*floor);
        }
        let advisories_max_age_days =
            match (self.advisories_max_age_days, other.advisories_max_age_days) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        Gate {
            min_grade,
            min_axis,
            block_on_critical: self.block_on_critical || other.block_on_critical,
            no_f_axis: self.no_f_axis || other.no_f_axis,
            fail_open: self.fail_open || other.fail_open,
            require_advisories: self.require_advisories || other.require_advisories,
            advisories_max_age_days,
        }
    }

    /// One line describing the gate: `grade ≥ B, security ≥ A, no critical findings, no F axis`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(grade) = self.min_grade {
            parts.push(format!("grade ≥ {grade}"));
        }
        for (axis, grade) in &self.min_axis {
            parts.push(format!("{axis} ≥ {grade}"));
        }
        if self.block_on_critical {
            parts.push("no critical findings".to_string());
        }
        if self.no_f_axis {
            parts.push("no F axis".to_string());
        }
        if self.require_advisories {
            parts.push(format!(
                "advisory database ≤ {} days old",
                self.advisories_max_age_days()
            ));
        }
        if parts.is_empty() {
            return "no gate".to_string();
        }
        parts.push("complete audit".to_string());
        let mut text = parts.join(", ");
        if self.fail_open {
            text.push_str(" (fail-open: reported, never blocks)");
        }
        text
    }

    /// Judge one report. `advisory_db_imported_at` is when the advisory database the audit used
    /// was last imported (RFC 3339), when known; only `require_advisories` reads it.
    pub fn judge(&self, report: &Report, advisory_db_imported_at: Option<&str>) -> Verdict {
        let mut failures = Vec::new();
        if !self.is_configured() {
            return Verdict { failures };
        }
        if let Some(floor) = self.min_grade {
            if !report.grade.meets(floor) {
                failures.push(format!(
                    "grade {} ({}/100) is below the minimum {floor}",
                    report.grade, report.score
                ));
            }
        }
        for (axis, floor) in &self.min_axis {
            let got = report.axes.get(*axis);
            if !got.grade.meets(*floor) {
                failures.push(format!(
                    "{axis} axis {} ({}/100) is below the minimum {floor}",
                    got.grade, got.score
                ));
            }
        }
        if self.block_on_critical && !report.critical_findings.is_empty() {
            let mut line = format!(
                "{} critical finding{}:",
                report.critical_findings.len(),
                if report.critical_findings.len() == 1 {
                    ""
                } else {
                    "s"
                }
            );
            for (index, critical) in report.critical_findings.iter().take(5).enumerate() {
                let place = match (&critical.file, critical.line) {
                    (Some(file), Some(line)) => format!(" at {file}:{line}"),
                    (Some(file), None) => format!(" in {file}"),
                    _ => String::new(),
                };
                let _ = write!(
                    line,
                    "{} {}{place}",
                    if index == 0 { "" } else { ";" },
                    critical.code
                );
            }
            if report.critical_findings.len() > 5 {
                let _ = write!(line, "; and {} more", report.critical_findings.len() - 5);
            }
            failures.push(line);
        }
        if self.no_f_axis {
            for (axis, score) in report.axes.iter() {
                if score.grade == Grade::F {
                    failures.push(format!("{axis} axis is graded F ({}/100)", score.score));
                }
            }
        }
        if !report.complete {
            let why = if report.incomplete_reasons.is_empty() {
                "reason not recorded".to_string()
            } else {
                report.incomplete_reasons.join("; ")
            };
            failures.push(format!("the audit is incomplete: {why}"));
        }
        if self.require_advisories {
            failures.extend(advisories::failure(
                report,
                advisory_db_imported_at,
                self.advisories_max_age_days(),
            ));
        }
        for record in &report.exemptions {
            if record.state == ExemptionState::Expired {
                failures.push(format!(
                    "exemption at {} expired on {}: renew it with a new justification or remove it",
                    record.source, record.expires
                ));
            }
        }
        Verdict { failures }
    }
}

/// The judgement of one report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Why the report fails, one line each; empty when it passes.
    pub failures: Vec<String>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Parses `AXIS=GRADE` as given to `--min-axis` (`security=A`).
pub fn parse_axis_floor(text: &str) -> Result<(Axis, Grade), String> {
    let (axis, grade) = text
        .split_once('=')
        .ok_or_else(|| format!("expected AXIS=GRADE (like security=A), got {text:?}"))?;
    let axis = Axis::parse(axis).ok_or_else(|| {
        format!(
            "unknown axis {:?}: expected one of {}",
            axis.trim(),
            axis_names()
        )
    })?;
    let grade = parse_grade(grade)?;
    Ok((axis, grade))
}

/// Parses a grade letter A–F.
pub fn parse_grade(text: &str) -> Result<Grade, String> {
    Grade::parse(text)
        .ok_or_else(|| format!("unknown grade {:?}: expected A, B, C, D or F", text.trim()))
}

pub(crate) fn axis_names() -> String {
    Axis::ALL.map(Axis::as_str).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_floors_parse() {
        assert_eq!(
            parse_axis_floor("security=A"),
            Ok((Axis::Security, Grade::A))
        );
        assert_eq!(
            parse_axis_floor(" Credentials = b "),
            Ok((Axis::Credentials, Grade::B))
        );
        assert!(parse_axis_floor("security")
            .unwrap_err()
            .contains("AXIS=GRADE"));
        assert!(parse_axis_floor("speed=A")
            .unwrap_err()
            .contains("unknown axis"));
        assert!(parse_axis_floor("security=E")
            .unwrap_err()
            .contains("unknown grade"));
    }

    #[test]
    fn stricter_takes_the_higher_floor() {
        let env = Gate {
            min_grade: Some(Grade::B),
            min_axis: BTreeMap::from([(Axis::Security, Grade::B)]),
            no_f_axis: true,
            ..Gate::default()
        };
        let flags = Gate {
            min_grade: Some(Grade::C),
            min_axis: BTreeMap::from([(Axis::Security, Grade::A), (Axis::Credentials, Grade::C)]),
            block_on_critical: true,
            ..Gate::default()
        };
        let both = env.stricter(&flags);
        assert_eq!(both.min_grade, Some(Grade::B));
        assert_eq!(both.min_axis[&Axis::Security], Grade::A);
        assert_eq!(both.min_axis[&Axis::Credentials], Grade::C);
        assert!(both.block_on_critical && both.no_f_axis && !both.fail_open);
    }

    #[test]
    fn an_empty_gate_is_not_configured() {
        assert!(!Gate::default().is_configured());
        assert_eq!(Gate::default().describe(), "no gate");
        let only_fail_open = Gate {
            fail_open: true,
            ..Gate::default()
        };
        assert!(!only_fail_open.is_configured());
    }

    #[test]
    fn stricter_keeps_the_shorter_advisory_age_and_any_requirement() {
        let env = Gate {
            require_advisories: true,
            advisories_max_age_days: Some(14),
            ..Gate::default()
        };
        let flags = Gate {
            advisories_max_age_days: Some(3),
            ..Gate::default()
        };
        let both = env.stricter(&flags);
        assert!(both.require_advisories && both.is_configured());
        assert_eq!(both.advisories_max_age_days(), 3);
        assert_eq!(
            Gate::default().advisories_max_age_days(),
            advisories::DEFAULT_MAX_AGE_DAYS
        );
    }
}
