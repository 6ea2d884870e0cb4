//! Scoring and grading as pure functions (SPEC §4). Every number lives here and in
//! docs/methodology.md; the table tests at the bottom pin them. Changing one is a methodology
//! change: bump [`METHODOLOGY_VERSION`].

use crate::model::{Axis, Finding, Severity, Surface};
use crate::report::{Axes, AxisScore, Deduction, Grade, GradeCap};
use std::collections::BTreeMap;

/// Version of the scoring rules below.
pub const METHODOLOGY_VERSION: &str = "1";

/// Weight of an axis in the overall score; the six weights add up to 1.
pub fn axis_weight(axis: Axis) -> f64 {
    match axis {
        Axis::Security => 0.35,
        Axis::Credentials => 0.25,
        Axis::Permissions => 0.15,
        Axis::Maintenance => 0.12,
        Axis::Compatibility => 0.08,
        Axis::Documentation => 0.05,
    }
}

/// Points a finding of this severity takes off its axis (before surface weighting).
pub fn severity_points(severity: Severity) -> f64 {
    match severity {
        Severity::High => 25.0,
        Severity::Medium => 10.0,
        Severity::Low => 4.0,
        Severity::Info => 0.0,
    }
}

/// Share of the severity points a finding deducts, by where it sits.
pub fn surface_weight(surface: Surface) -> f64 {
    match surface {
        Surface::Runtime | Surface::Package => 1.0,
        Surface::Script => 0.5,
        Surface::Example | Surface::Benchmark | Surface::Docs => 0.25,
        Surface::Test => 0.0,
    }
}

/// All findings of one rule together deduct at most this many times the points of that rule's
/// most severe finding, so one pattern repeated in forty files cannot by itself zero an axis
/// that two different weaknesses would not.
pub const RULE_CAP_FACTOR: f64 = 2.0;

/// Highest overall score when at least one HIGH finding sits on the runtime surface: the top of B.
pub const CRITICAL_CAP: u32 = 84;

/// Highest overall score when any axis is graded F (the sub-score override rule): the top of C.
pub const F_AXIS_CAP: u32 = 64;

/// Letter for a 0–100 score: A ≥ 85, B ≥ 65, C ≥ 50, D ≥ 35, F below.
pub fn grade_for(score: u32) -> Grade {
    match score {
        85.. => Grade::A,
        65..=84 => Grade::B,
        50..=64 => Grade::C,
        35..=49 => Grade::D,
        _ => Grade::F,
    }
}

/// The scored result of a set of findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub axes: Axes,
    pub score: u32,
    pub grade: Grade,
    pub deductions: Vec<Deduction>,
    pub caps: Vec<GradeCap>,
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Score the findings that count (exempted findings must be left out by the caller).
pub fn score_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Scorecard {
    let findings: Vec<&Finding> = findings.into_iter().collect();

    // Group by (axis, code) so the per-rule cap applies; within a rule the largest deductions
    // count first, so the cap never hides a more severe finding behind a lesser one.
    let mut by_rule: BTreeMap<(Axis, &str), Vec<&Finding>> = BTreeMap::new();
    for finding in &findings {
        by_rule
            .entry((finding.axis, finding.code.as_str()))
            .or_default()
            .push(finding);
    }

    let mut deducted: BTreeMap<Axis, f64> = BTreeMap::new();
    let mut deductions = Vec::new();
    for ((axis, code), mut group) in by_rule {
        group.sort_by(|a, b| {
            let pa = severity_points(a.severity) * surface_weight(a.surface);
            let pb = severity_points(b.severity) * surface_weight(b.surface);
            pb.total_cmp(&pa)
                .then_with(|| a.file.cmp(&b.file))
                .then_with(|| a.line.cmp(&b.line))
        });
        let cap = group
            .iter()
            .map(|f| severity_points(f.severity))
            .fold(0.0, f64::max)
            * RULE_CAP_FACTOR;
        let mut used = 0.0;
        for finding in group {
            let base = severity_points(finding.severity);
            if base == 0.0 {
                continue;
            }
            let weight = surface_weight(finding.surface);
            let wanted = base * weight;
            let points = round2(wanted.min((cap - used).max(0.0)));
            used += points;
            let location = match (&finding.file, finding.line) {
                (Some(file), Some(line)) => format!(" at {file}:{line}"),
                (Some(file), None) => format!(" in {file}"),
                _ => String::new(),
            };
            let mut reason = format!(
                "{code} {} on {} surface{location}: {base} × {weight}",
                finding.severity, finding.surface
            );
            if points < round2(wanted) {
                reason.push_str(&format!(
                    " (rule cap of {} points reached: {points} counted)",
                    round2(cap)
                ));
            }
            *deducted.entry(axis).or_default() += points;
            deductions.push(Deduction {
                axis,
                points,
                reason,
                finding: Some(finding.fingerprint.clone()),
            });
        }
    }

    let mut counts: BTreeMap<Axis, u32> = BTreeMap::new();
    for finding in &findings {
        *counts.entry(finding.axis).or_default() += 1;
    }

    let axis_score = |axis: Axis| -> AxisScore {
        let lost = deducted.get(&axis).copied().unwrap_or(0.0);
        let score = (100.0 - lost).clamp(0.0, 100.0).round() as u32;
        AxisScore {
            grade: grade_for(score),
            score,
            findings: counts.get(&axis).copied().unwrap_or(0),
        }
    };
    let axes = Axes {
        security: axis_score(Axis::Security),
        credentials: axis_score(Axis::Credentials),
        permissions: axis_score(Axis::Permissions),
        maintenance: axis_score(Axis::Maintenance),
        compatibility: axis_score(Axis::Compatibility),
        documentation: axis_score(Axis::Documentation),
    };

    let weighted: f64 = axes
        .iter()
        .map(|(axis, score)| axis_weight(axis) * f64::from(score.score))
        .sum();
    let mut score = weighted.round().clamp(0.0, 100.0) as u32;

    let mut caps = Vec::new();
    let critical = findings.iter().filter(|f| f.is_critical()).count();
    if critical > 0 {
        caps.push(GradeCap {
            max_score: CRITICAL_CAP,
            reason: format!(
                "{critical} HIGH finding(s) on the runtime surface: overall score capped at {CRITICAL_CAP}"
            ),
        });
    }
    let failed: Vec<&str> = axes
        .iter()
        .filter(|(_, s)| s.grade == Grade::F)
        .map(|(axis, _)| axis.as_str())
        .collect();
    if !failed.is_empty() {
        caps.push(GradeCap {
            max_score: F_AXIS_CAP,
            reason: format!(
                "axis graded F ({}): overall score capped at {F_AXIS_CAP}",
                failed.join(", ")
            ),
        });
    }
    for cap in &caps {
        score = score.min(cap.max_score);
    }

    Scorecard {
        axes,
        score,
        grade: grade_for(score),
        deductions,
        caps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Confidence;

    fn finding(code: &str, axis: Axis, severity: Severity, surface: Surface) -> Finding {
        Finding {
            code: code.to_string(),
            axis,
            severity,
            confidence: Confidence::High,
            message: "m".into(),
            file: Some("src/index.js".into()),
            line: Some(1),
            column: None,
            end_line: None,
            evidence: None,
            surface,
            cwe: None,
            fingerprint: format!("{code}-{severity}-{surface}"),
            fix: None,
            help_uri: None,
            tool: None,
            exemption: None,
        }
    }

    #[test]
    fn weights_add_up_to_one() {
        let total: f64 = Axis::ALL.into_iter().map(axis_weight).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn letter_thresholds() {
        let table = [
            (100, Grade::A),
            (85, Grade::A),
            (84, Grade::B),
            (65, Grade::B),
            (64, Grade::C),
            (50, Grade::C),
            (49, Grade::D),
            (35, Grade::D),
            (34, Grade::F),
            (0, Grade::F),
        ];
        for (score, grade) in table {
            assert_eq!(grade_for(score), grade, "score {score}");
        }
    }

    #[test]
    fn no_findings_is_a_perfect_a() {
        let card = score_findings([]);
        assert_eq!(card.score, 100);
        assert_eq!(card.grade, Grade::A);
        assert!(card.deductions.is_empty() && card.caps.is_empty());
    }

    #[test]
    fn one_high_runtime_finding_takes_a_perfect_server_from_a_to_b() {
        let f = finding("PATH-001", Axis::Security, Severity::High, Surface::Runtime);
        let card = score_findings([&f]);
        assert_eq!(card.axes.security.score, 75);
        assert_eq!(card.axes.security.grade, Grade::B);
        // 0.35 × 75 + 0.65 × 100 = 91.25 → 91, capped at 84.
        assert_eq!(card.score, 84);
        assert_eq!(card.grade, Grade::B);
        assert_eq!(card.caps.len(), 1);
    }

    #[test]
    fn surface_weights_scale_deductions() {
        let table = [
            (Surface::Runtime, 75),
            (Surface::Package, 75),
            (Surface::Script, 88),  // 100 − 12.5 → 87.5 → 88
            (Surface::Example, 94), // 100 − 6.25 → 93.75 → 94
            (Surface::Benchmark, 94),
            (Surface::Docs, 94),
            (Surface::Test, 100),
        ];
        for (surface, expected) in table {
            let f = finding("CMD-001", Axis::Security, Severity::High, surface);
            let card = score_findings([&f]);
            assert_eq!(card.axes.security.score, expected, "{surface}");
        }
    }

    #[test]
    fn severity_points_table() {
        let table = [
            (Severity::High, 75),
            (Severity::Medium, 90),
            (Severity::Low, 96),
            (Severity::Info, 100),
        ];
        for (severity, expected) in table {
            let f = finding("SSRF-001", Axis::Security, severity, Surface::Runtime);
            assert_eq!(score_findings([&f]).axes.security.score, expected);
        }
    }

    #[test]
    fn test_surface_high_is_not_critical_and_not_capped() {
        let f = finding("CMD-001", Axis::Security, Severity::High, Surface::Test);
        let card = score_findings([&f]);
        assert_eq!(card.score, 100);
        assert!(card.caps.is_empty());
        assert_eq!(card.axes.security.findings, 1);
    }

    #[test]
    fn one_rule_deducts_at_most_twice_its_points() {
        let findings: Vec<Finding> = (0..10)
            .map(|i| {
                let mut f = finding(
                    "SQL-001",
                    Axis::Security,
                    Severity::Medium,
                    Surface::Runtime,
                );
                f.line = Some(i);
                f
            })
            .collect();
        let card = score_findings(&findings);
        assert_eq!(card.axes.security.score, 80);
        let total: f64 = card.deductions.iter().map(|d| d.points).sum();
        assert!((total - 20.0).abs() < 1e-9);
        assert_eq!(card.deductions.len(), 10);
    }

    #[test]
    fn an_f_axis_caps_the_overall_grade_at_c() {
        // Credentials at 0: 0.75 × 100 + 0.25 × 0 = 75 → B without the override, C with it.
        let findings: Vec<Finding> = ["SEC-001", "SEC-002", "SEC-003", "SEC-004"]
            .iter()
            .map(|code| finding(code, Axis::Credentials, Severity::High, Surface::Package))
            .collect();
        let card = score_findings(&findings);
        assert_eq!(card.axes.credentials.score, 0);
        assert_eq!(card.axes.credentials.grade, Grade::F);
        assert_eq!(card.score, 64);
        assert_eq!(card.grade, Grade::C);
    }

    #[test]
    fn methodology_worked_example() {
        // The worked example of docs/methodology.md, pinned.
        let findings = [
            finding("SSRF-001", Axis::Security, Severity::High, Surface::Runtime),
            finding("CMD-001", Axis::Security, Severity::Medium, Surface::Script),
            finding(
                "DOC-003",
                Axis::Documentation,
                Severity::Low,
                Surface::Package,
            ),
            finding(
                "MNT-001",
                Axis::Maintenance,
                Severity::Low,
                Surface::Package,
            ),
            finding(
                "MNT-004",
                Axis::Maintenance,
                Severity::Low,
                Surface::Package,
            ),
        ];
        let card = score_findings(&findings);
        assert_eq!(card.axes.security.score, 70); // 100 − 25 − 5
        assert_eq!(card.axes.documentation.score, 96);
        assert_eq!(card.axes.maintenance.score, 92);
        // 0.35×70 + 0.25×100 + 0.15×100 + 0.12×92 + 0.08×100 + 0.05×96 = 88.34 → 88, capped at 84.
        assert_eq!(card.score, 84);
        assert_eq!(card.grade, Grade::B);
    }
}
