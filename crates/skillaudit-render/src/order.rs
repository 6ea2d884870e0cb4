//! The order every human-facing format lists findings in, so text and Markdown agree.

use skillaudit_core::{Axis, Finding};
use std::cmp::Ordering;

/// Most severe first; then runtime before other surfaces; then by place in the package.
pub(crate) fn most_severe_first(a: &Finding, b: &Finding) -> Ordering {
    a.severity
        .cmp(&b.severity)
        .then_with(|| a.surface.cmp(&b.surface))
        .then_with(|| a.axis.cmp(&b.axis))
        .then_with(|| a.file.cmp(&b.file))
        .then_with(|| a.line.cmp(&b.line))
        .then_with(|| a.column.cmp(&b.column))
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.fingerprint.cmp(&b.fingerprint))
}

/// All findings, most severe first.
pub(crate) fn sorted(findings: &[Finding]) -> Vec<&Finding> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by(|a, b| most_severe_first(a, b));
    sorted
}

/// Findings grouped by axis in report-card order, each group most severe first; empty axes left
/// out.
pub(crate) fn by_axis<'a>(findings: &[&'a Finding]) -> Vec<(Axis, Vec<&'a Finding>)> {
    Axis::ALL
        .into_iter()
        .map(|axis| {
            let mut group: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.axis == axis)
                .collect();
            group.sort_by(|a, b| most_severe_first(a, b));
            (axis, group)
        })
        .filter(|(_, group)| !group.is_empty())
        .collect()
}

/// `file:line:col`, `file:line`, `file`, or `None` for findings about the package as a whole.
pub(crate) fn location(finding: &Finding) -> Option<String> {
    let file = finding.file.as_deref()?;
    Some(match (finding.line, finding.column) {
        (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_string(),
    })
}

/// `n thing` or `n things`.
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}
