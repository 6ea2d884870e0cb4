use super::is_unbounded;
use crate::project::manifests::{normalise_pypi_name, NPM_SDKS, PYPI_SDKS};
use crate::project::{DependencyKind, Ecosystem};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A dependency on an MCP SDK or framework (`@modelcontextprotocol/sdk`, `mcp`, `fastmcp`,
    /// `mcp-framework`) with no upper bound: `*`, `latest`, `>=1.0`, `mcp>=1.2`, or a bare name.
    ///
    /// ## Why it matters
    /// The SDK implements the protocol, the transports and their security checks (DNS-rebinding
    /// protection, session handling). An open range installs the next major version the moment
    /// it ships — one the server was never written or tested against. Installs then break, or
    /// worse, start with changed defaults nobody reviewed.
    ///
    /// ## Vulnerable example
    /// ```toml
    /// dependencies = ["mcp>=1.0"]
    /// ```
    ///
    /// ## Fixed example
    /// ```toml
    /// dependencies = ["mcp>=1.9,<2"]
    /// ```
    ///
    /// ## References
    /// - https://peps.python.org/pep-0440/#version-specifiers
    /// - https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies
    pub struct UnboundedSdkRange {
        code: "MNT-003",
        name: "unbounded-sdk-range",
        axis: Maintenance,
        severity: Medium,
        cwe: Some("CWE-1357"),
    }
}

impl Rule for UnboundedSdkRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for dep in &project.dependencies {
            let is_sdk = match dep.ecosystem {
                Ecosystem::Npm => NPM_SDKS.contains(&dep.name.as_str()),
                Ecosystem::PyPI => PYPI_SDKS.contains(&normalise_pypi_name(&dep.name).as_str()),
                _ => false,
            };
            // A dev-only SDK (tests, examples) does not reach users' installs.
            if !is_sdk || dep.kind == DependencyKind::Dev || !is_unbounded(dep) {
                continue;
            }
            let shown = if dep.spec.is_empty() {
                "any version"
            } else {
                dep.spec.as_str()
            };
            let mut draft = Draft::new(format!(
                "MCP SDK dependency `{}` accepts {shown}: the next major version will install without review",
                dep.name
            ))
            .at(&dep.manifest, dep.line)
            .about_package()
            .fix(format!(
                "bound the range below the next major, e.g. `{}` `>=CURRENT,<NEXT_MAJOR` (npm: `^CURRENT`)",
                dep.name
            ));
            draft.evidence = Some(format!("{} {}", dep.name, dep.spec).trim().to_string());
            out.report(draft);
        }
    }
}
