use super::{advisory_label, fixed_text, severity_of};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Surface;

declare_rule! {
    /// ## What it finds
    /// The audited package itself — `npm:NAME@VERSION`, `pypi:NAME==VERSION`, or the name and
    /// version in a folder's root manifest — at a version inside the affected range of a known
    /// advisory. The match is by exact version against the advisory's ranges (OSV semantics:
    /// introduced / fixed / last_affected, npm and PEP 440 ordering), offline from the local
    /// database and online from PyPI's vulnerability list, so a published vulnerable release is
    /// flagged even when the static analysis cannot see the flaw.
    ///
    /// ## Why it matters
    /// An advisory is a confirmed, public vulnerability in exactly this code. Whoever installs
    /// this version installs the vulnerability, whatever else the report says.
    ///
    /// ## Vulnerable example
    /// ```text
    /// skillaudit scan npm:@modelcontextprotocol/server-filesystem@2025.3.28
    ///   → CVE-2025-53110, fixed in 2025.7.1
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// skillaudit scan npm:@modelcontextprotocol/server-filesystem@2025.7.1
    /// ```
    ///
    /// ## References
    /// - https://ossf.github.io/osv-schema/#evaluation
    /// - https://cwe.mitre.org/data/definitions/1395.html
    pub struct OwnAdvisory {
        code: "DEP-002",
        name: "audited-version-has-advisory",
        axis: Security,
        severity: High,
        cwe: Some("CWE-1395"),
    }
}

impl Rule for OwnAdvisory {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(audit) = &project.dep_audit else {
            return;
        };
        for own in &audit.own {
            let summary = own
                .advisory
                .summary
                .as_deref()
                .map(|s| format!(": {}", s.trim()))
                .unwrap_or_default();
            let mut draft = Draft::new(format!(
                "{} {} is affected by {}{summary} ({})",
                own.name,
                own.version,
                advisory_label(&own.advisory),
                fixed_text(&own.matched)
            ))
            .key(format!("{}@{} {}", own.name, own.version, own.advisory.id))
            .severity(severity_of(&own.advisory))
            .fix(if own.matched.fixed.is_empty() {
                "no fixed release is known: do not deploy this version; follow the advisory's workaround".to_string()
            } else {
                format!(
                    "use {} {} or later",
                    own.name,
                    own.matched.fixed.join(" / ")
                )
            });
            draft.surface = Some(Surface::Runtime);
            out.report(draft);
        }
    }
}
