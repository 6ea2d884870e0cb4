//! GitLab metrics report (`artifacts: reports: metrics:`): OpenMetrics text lines GitLab compares
//! between a merge request and its target branch.
//!
//! ```text
//! skillaudit_score 78
//! skillaudit_critical_findings 1
//! ```
//!
//! plus `skillaudit_findings` (findings that count, exempted ones excluded) and one
//! `skillaudit_axis_score_<axis>` per axis. With several targets the scores are the worst
//! report's and the counts are sums.

use crate::RenderOptions;
use skillaudit_core::{Axis, Report, RuleMeta, TargetError};
use std::io::{self, Write};

/// Writes the metrics lines.
pub fn render(
    reports: &[Report],
    _errors: &[TargetError],
    _rules: &[RuleMeta],
    _opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(worst) = reports.iter().min_by_key(|r| r.score) else {
        return Ok(());
    };
    let critical: usize = reports.iter().map(|r| r.critical_findings.len()).sum();
    let findings: usize = reports
        .iter()
        .map(|r| r.findings.iter().filter(|f| !f.is_exempted()).count())
        .sum();
    writeln!(out, "skillaudit_score {}", worst.score)?;
    writeln!(out, "skillaudit_critical_findings {critical}")?;
    writeln!(out, "skillaudit_findings {findings}")?;
    for axis in Axis::ALL {
        let score = reports
            .iter()
            .map(|r| r.axes.get(axis).score)
            .min()
            .unwrap_or(100);
        writeln!(out, "skillaudit_axis_score_{} {score}", axis.as_str())?;
    }
    Ok(())
}
