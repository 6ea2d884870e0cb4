use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it finds
    /// A package version that its registry marks as deprecated (npm `deprecated`) or yanked
    /// (PyPI, PEP 592), with the registry's own message. A yanked release is HIGH: its publisher
    /// withdrew it, usually for a security or data-loss bug. A deprecation is MEDIUM.
    ///
    /// ## Why it matters
    /// Publishers deprecate and yank releases to tell users to stop using them — often because
    /// of a vulnerability, sometimes because the project moved or was abandoned. A server pinned to
    /// such a version keeps running code its own authors disowned.
    ///
    /// ## Vulnerable example
    /// ```text
    /// npm:some-mcp-server@1.2.0
    ///   deprecated: "Critical security fix in 1.2.1, please upgrade"
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// npm:some-mcp-server@1.2.1   (not deprecated)
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/commands/npm-deprecate
    /// - https://peps.python.org/pep-0592/
    pub struct DeprecatedRelease {
        code: "MNT-008",
        name: "deprecated-or-yanked-release",
        axis: Maintenance,
        severity: Medium,
        cwe: Some("CWE-1104"),
    }
}

impl Rule for DeprecatedRelease {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let name = &project.target.name;
        let version = project.target.version.as_deref().unwrap_or("this version");
        if let Some(reason) = &project.target.yanked {
            let why = if reason.trim().is_empty() {
                "no reason given".to_string()
            } else {
                reason.trim().to_string()
            };
            out.report(
                Draft::new(format!(
                    "{name} {version} was yanked from the registry: {why}"
                ))
                .key("yanked")
                .severity(Severity::High)
                .fix("use a release that is not yanked"),
            );
        }
        if let Some(message) = &project.target.deprecated {
            out.report(
                Draft::new(format!(
                    "{name} {version} is deprecated on the registry: {}",
                    message.trim()
                ))
                .key("deprecated")
                .fix("follow the deprecation message: upgrade, or move to the package it names"),
            );
        }
    }
}
