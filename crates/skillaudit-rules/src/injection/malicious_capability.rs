use crate::{declare_rule, Findings, Project, Rule, RuleMeta};

use super::techniques::Technique;

declare_rule! {
    /// ## What it finds
    /// A tool whose name or description openly states a malicious purpose: exfiltration,
    /// credential theft or dumping, keyloggers, backdoors and persistence, malware and
    /// ransomware, reverse and web shells, shellcode and code injection techniques, security
    /// bypasses (UAC, AMSI, EDR), hijacking, spoofing and sniffing. Threats named as what the
    /// tool detects, lists, blocks or classifies ("add URLs to the malicious URL list",
    /// "ransomware breakdowns") are a security product's vocabulary, not its purpose, unless the
    /// same sentence has the tool create, deploy, run or send them. It is MEDIUM: offensive
    /// security tooling states such purposes legitimately, and whether it belongs in an agent's
    /// tool chain is a policy decision the report makes visible.
    ///
    /// ## Why it matters
    /// A model given such a tool can be talked into using it, and an organisation's agents should
    /// not carry offensive capabilities by accident.
    ///
    /// ## Vulnerable example
    /// ```text
    /// exfil_browser_passwords: Extract saved passwords from web browsers.
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// password_strength: Estimate the strength of a password the user types.
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/506.html
    /// - https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks
    pub struct MaliciousCapability {
        code: "INJ-006",
        name: "malicious-capability",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-506"),
    }
}

impl Rule for MaliciousCapability {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_technique(
            project,
            out,
            Technique::MaliciousCapability,
            "remove the tool, or scope the server to an isolated security-testing environment with its own policy",
        );
    }
}
