use super::{age_in_days, staleness};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A git checkout whose last commit is more than 180 days old (LOW) or more than a year old
    /// (MEDIUM). Only runs when the target has git history (a git URL, or a folder with `.git`).
    ///
    /// ## Why it matters
    /// An MCP server sits between an agent and real credentials. When nobody has committed for a
    /// year, advisories against its dependencies and its SDK go unanswered, and protocol changes
    /// (new transports, new security defaults) never arrive.
    ///
    /// ## Vulnerable example
    /// ```text
    /// last commit: 2024-05-02 (570 days ago)
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// last commit: 12 days ago; dependency updates merged monthly
    /// ```
    ///
    /// ## References
    /// - https://scorecard.dev/ (Maintained check)
    pub struct StaleRepository {
        code: "MNT-006",
        name: "stale-repository",
        axis: Maintenance,
        severity: Medium,
        cwe: Some("CWE-1104"),
    }
}

impl Rule for StaleRepository {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(when) = project.target.last_commit_at.as_deref() else {
            return;
        };
        let Some(days) = age_in_days(project, when) else {
            out.not_run(format!("last commit time `{when}` could not be read"));
            return;
        };
        if let Some(severity) = staleness(days) {
            let mut draft = Draft::new(format!("last commit was {days} days ago ({when})"))
                .key("stale-repository")
                .severity(severity)
                .fix("confirm the project is maintained; pick a maintained fork or alternative if it is not");
            draft.evidence = project
                .target
                .commit
                .as_ref()
                .map(|c| format!("commit {c}"));
            out.report(draft);
        }
    }
}
