use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A package with no README at its root (`README`, `README.md`, `README.rst`, …).
    ///
    /// ## Why it matters
    /// The README is where users learn what a server does, which tools it exposes, what
    /// credentials it needs and how to run it safely. Without one, nobody can judge what they are
    /// about to give their agent.
    ///
    /// ## Vulnerable example
    /// ```text
    /// my-server/
    ///   package.json
    ///   dist/index.js
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// my-server/
    ///   README.md      # install, configuration, environment variables, tools
    ///   package.json
    ///   dist/index.js
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/about-package-readme-files
    pub struct MissingReadme {
        code: "DOC-001",
        name: "missing-readme",
        axis: Documentation,
        severity: Medium,
        cwe: None,
    }
}

impl Rule for MissingReadme {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        if project.readme().is_none() {
            out.report(
                Draft::new("no README at the package root")
                    .key("README")
                    .fix("add a README.md covering install, configuration, environment variables and the tool list"),
            );
        }
    }
}
