use super::report_technique;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;

declare_rule! {
    /// ## What it finds
    /// Mining software or a mining pool in a command line or code text: `xmrig`, `minerd`,
    /// `cpuminer`, `stratum+tcp://` pool addresses, `--donate-level`.
    ///
    /// ## Why it matters
    /// A miner spends the user's electricity and hardware for someone else, and is a common
    /// payload of compromised packages.
    ///
    /// ## Vulnerable example
    /// ```js
    /// spawn("./xmrig", ["-o", "stratum+tcp://pool.example:3333"]);
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// // No background processes beyond what the tools need.
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1496/
    pub struct Cryptomining {
        code: "MAL-010",
        name: "cryptomining",
        axis: Security,
        severity: High,
        cwe: Some("CWE-506"),
    }
}

const FIX: &str = "remove the miner";

impl Rule for Cryptomining {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        report_technique(project, out, Technique::Mining, Severity::High, FIX);
    }
}
