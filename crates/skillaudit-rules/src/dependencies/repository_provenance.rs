use super::audit::RepositoryOutcome;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it finds
    /// A package whose declared source repository (`repository` in package.json, the source URL
    /// of pyproject.toml) is not where the evidence says it comes from:
    /// - its npm **provenance** attestation (SLSA, written by the CI that built it) names another
    ///   repository, or is about another package — HIGH;
    /// - the registry's metadata for the published version names another repository, or the git
    ///   checkout being audited is a different repository than the manifest claims — MEDIUM;
    /// - a published npm version that names a repository but carries no provenance attestation,
    ///   so nothing ties the tarball to that code — INFO (reported, no deduction).
    ///
    /// The statement is read, not cryptographically verified: `npm audit signatures` verifies
    /// the signatures. Registry mirrors that drop `dist.attestations` from the metadata make
    /// every version look unattested; the INFO finding says what the registry listed.
    ///
    /// ## Why it matters
    /// A report card is only as good as its claim about what was audited. Users choose a server
    /// by its repository — stars, maintainers, reviewed code — and install the registry's
    /// tarball. When the two disagree, the tarball may have been built from a fork, a
    /// compromised account or a typosquat that copied the README and the repository link.
    ///
    /// ## Vulnerable example
    /// ```text
    /// package.json:  "repository": "github.com/acme/weather-mcp"
    /// provenance:    built by github.com/someone-else/weather-mcp
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// package.json:  "repository": "github.com/acme/weather-mcp"
    /// provenance:    built by github.com/acme/weather-mcp (npm publish --provenance)
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/generating-provenance-statements
    /// - https://slsa.dev/spec/v1.0/provenance
    pub struct RepositoryProvenance {
        code: "COMPAT-003",
        name: "repository-provenance-mismatch",
        axis: Compatibility,
        severity: Medium,
        cwe: Some("CWE-494"),
    }
}

impl Rule for RepositoryProvenance {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(audit) = &project.dep_audit else {
            return;
        };
        for check in &audit.repository_checks {
            let declared = check.declared.as_deref().unwrap_or("(none)");
            let observed = check.observed.as_deref().unwrap_or("(none)");
            let (message, severity, fix) = match (check.outcome, check.observed_by) {
                (RepositoryOutcome::Matches, _) => continue,
                (RepositoryOutcome::Mismatch, "npm provenance") => (
                    format!(
                        "the package declares {declared}, but its npm provenance attestation says it was built from {observed}"
                    ),
                    Severity::High,
                    "do not install this version until the publisher explains the difference; compare the tarball with the declared repository",
                ),
                (RepositoryOutcome::Mismatch, by) => (
                    format!("the package declares {declared}, but the {by} says {observed}"),
                    Severity::Medium,
                    "audit the repository the code really comes from, and correct the manifest's `repository`",
                ),
                (RepositoryOutcome::NoProvenance, _) => (
                    format!(
                        "the registry lists no provenance attestation for this npm version, which names {declared}: nothing ties the tarball to that repository"
                    ),
                    Severity::Info,
                    "publish from CI with `npm publish --provenance` (trusted publishing)",
                ),
            };
            out.report(
                Draft::new(message)
                    .key(format!("{} {declared} {observed}", check.observed_by))
                    .severity(severity)
                    .fix(fix)
                    .about_package(),
            );
        }
    }
}
