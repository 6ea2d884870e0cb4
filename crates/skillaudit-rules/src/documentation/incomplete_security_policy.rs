use crate::project::markdown::{find_heading, headings};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it finds
    /// A `SECURITY.md` that lacks some of the six sections an MCP server's policy needs:
    /// **Scope** (what the server may touch, supported versions), **Credentials** (which tokens,
    /// which scopes, how they are stored), **Vulnerability Reporting** (a private channel and
    /// response time), **Logging** (what is logged and what never is), **Known Limitations**
    /// (what the server does not protect against) and **Audit History** (reviews and audits done).
    /// One or two missing sections are LOW; three or more are MEDIUM.
    ///
    /// ## Why it matters
    /// A policy that only says "e-mail us" leaves adopters guessing about the things that decide
    /// whether a server is safe to connect to an agent: its blast radius, its credentials and
    /// what ends up in logs.
    ///
    /// ## Vulnerable example
    /// ```markdown
    /// # Security
    /// Please report issues to security@example.com.
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// # Security Policy
    /// ## Scope
    /// ## Credentials
    /// ## Reporting a Vulnerability
    /// ## Logging
    /// ## Known Limitations
    /// ## Audit History
    /// ```
    ///
    /// ## References
    /// - https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository
    pub struct IncompleteSecurityPolicy {
        code: "DOC-007",
        name: "incomplete-security-policy",
        axis: Documentation,
        severity: Medium,
        cwe: None,
    }
}

/// The six sections and the heading words that count for each.
pub const SECTIONS: &[(&str, &[&str])] = &[
    (
        "Scope",
        &[
            "scope",
            "supported versions",
            "supported",
            "threat model",
            "trust model",
        ],
    ),
    (
        "Credentials",
        &[
            "credentials",
            "credential",
            "secrets",
            "tokens",
            "api keys",
            "authentication",
            "permissions",
        ],
    ),
    (
        "Vulnerability Reporting",
        &[
            "reporting",
            "report",
            "disclosure",
            "vulnerability",
            "vulnerabilities",
            "contact",
        ],
    ),
    (
        "Logging",
        &[
            "logging",
            "logs",
            "log",
            "telemetry",
            "audit log",
            "audit logging",
        ],
    ),
    (
        "Known Limitations",
        &[
            "limitations",
            "limitation",
            "known issues",
            "caveats",
            "non-goals",
            "out of scope",
        ],
    ),
    (
        "Audit History",
        &[
            "audit history",
            "audits",
            "audit",
            "security reviews",
            "security review",
            "assessments",
            "pentest",
        ],
    ),
];

impl Rule for IncompleteSecurityPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(file) = project.security_policy() else {
            return;
        };
        let Some(text) = file.text.as_deref() else {
            return;
        };
        let found = headings(text);
        let lower = text.to_ascii_lowercase();
        let missing: Vec<&str> = SECTIONS
            .iter()
            .filter(|(_, words)| {
                if found.len() > 1 {
                    find_heading(&found, words).is_none()
                } else {
                    // A policy without structure: look for the words anywhere.
                    !words.iter().any(|w| lower.contains(w))
                }
            })
            .map(|(name, _)| *name)
            .collect();
        if missing.is_empty() {
            return;
        }
        let severity = if missing.len() >= 3 {
            Severity::Medium
        } else {
            Severity::Low
        };
        out.report(
            Draft::new(format!(
                "SECURITY.md lacks {} of 6 sections: {}",
                missing.len(),
                missing.join(", ")
            ))
            .at(&file.path, None)
            .about_package()
            .key(format!("missing:{}", missing.join(",")))
            .severity(severity)
            .fix(format!("add the missing sections: {}", missing.join(", "))),
        );
    }
}
