use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it finds
    /// The MCP SDK dependency (`@modelcontextprotocol/sdk`, `mcp`, `fastmcp`…) read against the
    /// SDK's published releases on its registry: a declared range that admits more than one
    /// major version (`mcp>=1.0` once 2.x exists, `*`, `>=1`) — MEDIUM; or a range that admits
    /// no published release at all, so the server cannot be installed — HIGH.
    ///
    /// ## Why it matters
    /// A major SDK release changes the protocol surface, the transports and their defaults. An
    /// open range makes every fresh install take the newest major, which the code was never
    /// written for: the server may not start, or may start with security defaults nobody
    /// reviewed. A range no release satisfies fails every install.
    ///
    /// ## Vulnerable example
    /// ```toml
    /// dependencies = ["mcp>=1.0"]   # the registry has 1.x and 2.x
    /// ```
    ///
    /// ## Fixed example
    /// ```toml
    /// dependencies = ["mcp>=1.9,<2"]
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/specification/versioning
    /// - https://semver.org/#spec-item-8
    pub struct SdkMajorRange {
        code: "COMPAT-001",
        name: "sdk-range-spans-majors",
        axis: Compatibility,
        severity: Medium,
        cwe: Some("CWE-1357"),
    }
}

impl Rule for SdkMajorRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(sdk) = project.dep_audit.as_ref().and_then(|a| a.sdk.as_ref()) else {
            return;
        };
        let range = if sdk.range.trim().is_empty() {
            "any version"
        } else {
            sdk.range.trim()
        };
        let latest = sdk
            .latest
            .as_deref()
            .map(|l| format!(" (newest release {l})"))
            .unwrap_or_default();
        let evidence = format!("{} {range}", sdk.name);
        if sdk.majors_admitted.is_empty() {
            out.report(
                Draft::new(format!(
                    "{} is declared as {range}, which no published release satisfies{latest}: installs fail",
                    sdk.name
                ))
                .at(&sdk.manifest, sdk.line)
                .evidence(evidence)
                .severity(Severity::High)
                .key("no release")
                .fix("declare a range that includes a published release, bounded to one major"),
            );
        } else if sdk.majors_admitted.len() > 1 {
            let majors: Vec<String> = sdk
                .majors_admitted
                .iter()
                .map(|m| format!("{m}.x"))
                .collect();
            let newest = sdk.majors_admitted.last().copied().unwrap_or_default();
            out.report(
                Draft::new(format!(
                    "{} is declared as {range}, which admits the majors {}{latest}: a fresh install takes {newest}.x, which this code may not have been written for",
                    sdk.name,
                    majors.join(", ")
                ))
                .at(&sdk.manifest, sdk.line)
                .evidence(evidence)
                .key("several majors")
                .fix(format!(
                    "bound the range to the major the server is tested with (e.g. `^{0}` / `>={0},<{1}`)",
                    sdk.majors_admitted[0],
                    sdk.majors_admitted[0] + 1
                )),
            );
        }
    }
}
