//! GitHub Actions: inline annotations, step outputs, the job summary and the PR-comment file.
//!
//! - **Annotations** are workflow commands (`::error file=…,line=…,title=…::message`), one per
//!   finding that counts (not exempted, not INFO, not on the test surface): HIGH is an error,
//!   MEDIUM a warning, LOW a notice. GitHub shows at most 10 of each kind per step, so they are
//!   written most severe first and capped at [`MAX_ANNOTATIONS`]; the rest are summarised in one
//!   notice. Paths are made relative to the repository (`$GITHUB_WORKSPACE`) so that an audit of a
//!   subfolder still points at the right file; findings in a downloaded package (not in the
//!   repository) are annotated without a file.
//! - **Outputs** (`$GITHUB_OUTPUT`): `grade`, `score`, `security_grade`, `critical_count`,
//!   `report_url`, plus `passed` and `findings_count`. With several targets they describe the
//!   worst report.
//! - **Job summary** (`$GITHUB_STEP_SUMMARY`): the Markdown report with the gate's verdict.

use crate::gate_text::GateResult;
use skillaudit_core::{Finding, Report, Severity, Surface};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Most annotations written by one run.
pub const MAX_ANNOTATIONS: usize = 50;

/// Escapes the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Where a folder target lives relative to the repository root, so finding paths can be made
/// repository-relative. `None` when the target is not a local folder inside the workspace.
pub fn repo_prefix(report: &Report, workspace: &Path, cwd: &Path) -> Option<String> {
    if report.target.kind != "folder" {
        return None;
    }
    let spec = PathBuf::from(&report.target.spec);
    let absolute = if spec.is_absolute() {
        spec
    } else {
        cwd.join(spec)
    };
    let absolute = normalise(&absolute);
    let workspace = normalise(workspace);
    let relative = absolute.strip_prefix(&workspace).ok()?;
    let text = relative.to_string_lossy().replace('\\', "/");
    Some(text.trim_matches('/').to_string())
}

/// Removes `.` and resolves `..` lexically (the paths need not exist any more).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn counts(finding: &Finding) -> bool {
    !finding.is_exempted() && finding.severity != Severity::Info && finding.surface != Surface::Test
}

/// The annotation lines for one report.
pub fn annotations(report: &Report, prefix: Option<&str>) -> Vec<String> {
    let mut shown: Vec<&Finding> = report.findings.iter().filter(|f| counts(f)).collect();
    shown.sort_by_key(|f| f.severity);
    let total = shown.len();
    let mut lines = Vec::new();
    for finding in shown.iter().take(MAX_ANNOTATIONS) {
        let kind = match finding.severity {
            Severity::High => "error",
            Severity::Medium => "warning",
            _ => "notice",
        };
        let mut props = Vec::new();
        if let (Some(prefix), Some(file)) = (prefix, &finding.file) {
            let path = if prefix.is_empty() {
                file.clone()
            } else {
                format!("{prefix}/{file}")
            };
            props.push(format!("file={}", escape_property(&path)));
            if let Some(line) = finding.line {
                props.push(format!("line={line}"));
                if let Some(end) = finding.end_line.filter(|end| *end >= line) {
                    props.push(format!("endLine={end}"));
                }
            }
        }
        let title = format!("{} {} ({})", finding.code, finding.severity, finding.axis);
        props.push(format!("title={}", escape_property(&title)));
        let mut message = finding.message.clone();
        if prefix.is_none() {
            if let Some(file) = &finding.file {
                let _ = write!(message, " [{file}");
                if let Some(line) = finding.line {
                    let _ = write!(message, ":{line}");
                }
                message.push(']');
            }
        }
        if let Some(fix) = &finding.fix {
            let _ = write!(message, "\nFix: {fix}");
        }
        if let Some(uri) = &finding.help_uri {
            let _ = write!(message, "\n{uri}");
        }
        lines.push(format!(
            "::{kind} {}::{}",
            props.join(","),
            escape_data(&message)
        ));
    }
    if total > MAX_ANNOTATIONS {
        lines.push(format!(
            "::notice title=SkillAudit::{}",
            escape_data(&format!(
                "{} more findings are not annotated; see the job summary or the report",
                total - MAX_ANNOTATIONS
            ))
        ));
    }
    lines
}

/// Where the report can be seen: the report's own URL, else this workflow run's page.
pub fn report_url(report: Option<&Report>) -> String {
    if let Some(url) = report.and_then(|r| r.report_url.clone()) {
        return url;
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_RUN_ID"),
    ) {
        (Some(server), Some(repo), Some(run)) => format!("{server}/{repo}/actions/runs/{run}"),
        _ => String::new(),
    }
}

/// The `key=value` lines for `$GITHUB_OUTPUT`, describing the worst report.
pub fn outputs(reports: &[Report], result: &GateResult) -> String {
    let worst = reports.iter().max_by_key(|r| (r.grade, u32::MAX - r.score));
    let mut text = String::new();
    let value = |v: &str| v.replace(['\n', '\r'], " ");
    match worst {
        Some(report) => {
            let _ = writeln!(text, "grade={}", report.grade);
            let _ = writeln!(text, "score={}", report.score);
            let _ = writeln!(text, "security_grade={}", report.axes.security.grade);
            let critical: usize = reports.iter().map(|r| r.critical_findings.len()).sum();
            let _ = writeln!(text, "critical_count={critical}");
            let findings: usize = reports
                .iter()
                .map(|r| r.findings.iter().filter(|f| !f.is_exempted()).count())
                .sum();
            let _ = writeln!(text, "findings_count={findings}");
        }
        None => {
            for key in [
                "grade",
                "score",
                "security_grade",
                "critical_count",
                "findings_count",
            ] {
                let _ = writeln!(text, "{key}=");
            }
        }
    }
    let _ = writeln!(text, "report_url={}", value(&report_url(worst)));
    let _ = writeln!(text, "passed={}", result.passed());
    text
}

/// Appends `text` to the file a GitHub environment variable names (`GITHUB_OUTPUT`,
/// `GITHUB_STEP_SUMMARY`); does nothing when the variable is unset.
pub fn append_to_env_file(var: &str, text: &str) -> std::io::Result<()> {
    let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a,b:c"), "a%2Cb%3Ac");
    }

    #[test]
    fn prefix_is_relative_to_the_workspace() {
        let mut report = crate::gate_text::tests::report();
        report.target.kind = "folder".into();
        report.target.spec = "./servers/../servers/weather".into();
        let prefix = repo_prefix(&report, Path::new("/w"), Path::new("/w"));
        assert_eq!(prefix.as_deref(), Some("servers/weather"));
        report.target.spec = ".".into();
        assert_eq!(
            repo_prefix(&report, Path::new("/w"), Path::new("/w")).as_deref(),
            Some("")
        );
        report.target.spec = "/elsewhere".into();
        assert_eq!(repo_prefix(&report, Path::new("/w"), Path::new("/w")), None);
        report.target.kind = "npm".into();
        assert_eq!(repo_prefix(&report, Path::new("/w"), Path::new("/w")), None);
    }
}
