use super::{advisory_label, fixed_text, lockfile_line, severity_of};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Surface;

declare_rule! {
    /// ## What it finds
    /// A package in the resolved dependency tree — from the lockfile, or from resolving the
    /// manifest — whose exact version is inside the affected range of a known advisory (OSV:
    /// GitHub advisories, PyPA, npm; matched offline from the local database, and online from
    /// PyPI's own vulnerability list). The finding names the advisory and its aliases, the
    /// severity from CVSS, the fixed versions and the path that pulls the package in
    /// (`express > body-parser > qs`). Development-only dependencies count at half weight.
    ///
    /// ## Why it matters
    /// A server runs its dependencies' code with its own privileges and the user's credentials.
    /// A known, published vulnerability in that tree is the cheapest attack there is: the exploit
    /// is often public, and nothing in the server's own code has to be wrong.
    ///
    /// ## Vulnerable example
    /// ```json
    /// "node_modules/qs": { "version": "6.7.0" }
    /// ```
    /// (`qs` 6.7.0 is affected by GHSA-hrpp-h998-j3pp, prototype pollution, fixed in 6.7.3.)
    ///
    /// ## Fixed example
    /// ```json
    /// "node_modules/qs": { "version": "6.7.3" }
    /// ```
    ///
    /// ## References
    /// - https://ossf.github.io/osv-schema/
    /// - https://cwe.mitre.org/data/definitions/1395.html
    pub struct VulnerableDependency {
        code: "DEP-001",
        name: "vulnerable-dependency",
        axis: Maintenance,
        severity: High,
        cwe: Some("CWE-1395"),
    }
}

impl Rule for VulnerableDependency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(audit) = &project.dep_audit else {
            return;
        };
        for vuln in &audit.vulnerable {
            let package = &vuln.package;
            let path = if package.path.len() > 1 {
                format!(", pulled in by {}", package.path.join(" > "))
            } else if package.direct {
                ", a direct dependency".to_string()
            } else {
                String::new()
            };
            let summary = vuln
                .advisory
                .summary
                .as_deref()
                .map(|s| format!(": {}", s.trim()))
                .unwrap_or_default();
            let line = project
                .file(&vuln.source)
                .and_then(|f| f.text.as_deref())
                .and_then(|text| lockfile_line(text, package));
            let mut draft = Draft::new(format!(
                "{} {} is affected by {}{summary} ({}{path})",
                package.name,
                package.version,
                advisory_label(&vuln.advisory),
                fixed_text(&vuln.matched),
            ))
            .at(&vuln.source, line)
            .evidence(format!("{}@{}", package.name, package.version))
            .key(format!("{}@{} {}", package.name, package.version, vuln.advisory.id))
            .severity(severity_of(&vuln.advisory))
            .fix(if vuln.matched.fixed.is_empty() {
                format!(
                    "no fixed release of {} is known: replace it, or remove the code path that pulls it in",
                    package.name
                )
            } else {
                format!(
                    "upgrade {} to {} (or a later release) and refresh the lockfile",
                    package.name,
                    vuln.matched.fixed.join(" / ")
                )
            });
            draft.surface = Some(if package.dev {
                Surface::Script
            } else {
                Surface::Package
            });
            out.report(draft);
        }
    }
}
