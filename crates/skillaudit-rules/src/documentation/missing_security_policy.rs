use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// No `SECURITY.md` at the root, in `.github/` or in `docs/`.
    ///
    /// ## Why it matters
    /// A security policy tells users what the server is meant to be trusted with, how it handles
    /// credentials and logs, what it does not protect against, and where to report a
    /// vulnerability privately. Without it, researchers file public issues (or nothing), and
    /// adopters cannot tell what was considered.
    ///
    /// In a published package (npm, PyPI), repository-only files are often left out of the
    /// artifact; there the rule does not report a finding but lists itself under `not_run`:
    /// audit the source repository to score it.
    ///
    /// ## Vulnerable example
    /// ```text
    /// my-server/
    ///   README.md
    ///   src/
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// my-server/
    ///   README.md
    ///   SECURITY.md   # Scope, Credentials, Vulnerability Reporting, Logging,
    ///                 # Known Limitations, Audit History
    /// ```
    ///
    /// ## References
    /// - https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository
    pub struct MissingSecurityPolicy {
        code: "DOC-006",
        name: "missing-security-policy",
        axis: Documentation,
        severity: Medium,
        cwe: None,
    }
}

impl Rule for MissingSecurityPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        if project.security_policy().is_some() {
            return;
        }
        if project.is_published_artifact() {
            out.not_run("SECURITY.md is not in the published package; audit the source repository to score it");
            return;
        }
        out.report(
            Draft::new("no SECURITY.md")
                .key("SECURITY.md")
                .fix("add SECURITY.md with Scope, Credentials, Vulnerability Reporting, Logging, Known Limitations and Audit History sections"),
        );
    }
}
