use super::{age_in_days, staleness};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A package version, fetched from a registry, that was published more than 180 days ago
    /// (LOW) or more than a year ago (MEDIUM), according to the registry's own metadata.
    ///
    /// ## Why it matters
    /// What users install is the published version. A release more than a year old carries a
    /// year of unpatched dependency advisories and predates current MCP SDK security defaults,
    /// whatever the repository looks like today.
    ///
    /// ## Vulnerable example
    /// ```text
    /// npm:some-mcp-server@0.3.1  published 2024-04-10
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// npm:some-mcp-server@1.8.0  published last month
    /// ```
    ///
    /// ## References
    /// - https://scorecard.dev/ (Maintained check)
    pub struct StaleRelease {
        code: "MNT-007",
        name: "stale-release",
        axis: Maintenance,
        severity: Medium,
        cwe: Some("CWE-1104"),
    }
}

impl Rule for StaleRelease {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(when) = project.target.published_at.as_deref() else {
            return;
        };
        let Some(days) = age_in_days(project, when) else {
            out.not_run(format!("publish time `{when}` could not be read"));
            return;
        };
        if let Some(severity) = staleness(days) {
            let version = project.target.version.as_deref().unwrap_or("this version");
            let draft = Draft::new(format!(
                "{} {version} was published {days} days ago ({when})",
                project.target.name
            ))
            .key("stale-release")
            .severity(severity)
            .fix(
                "check for a newer release; ask the maintainers for one if advisories are pending",
            );
            out.report(draft);
        }
    }
}
