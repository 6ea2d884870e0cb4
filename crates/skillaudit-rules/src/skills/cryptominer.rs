use super::Behaviour;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A skill that mines cryptocurrency: known miners (`xmrig`, `cpuminer`, `minerd`,
    /// `ethminer`), mining-pool URLs (`stratum+tcp://`), and miner options (`--donate-level`,
    /// a wallet passed to `--user`).
    ///
    /// ## Why it matters
    /// Mining spends the user's electricity and hardware for someone else, and usually rides
    /// along with other malware.
    ///
    /// ## Vulnerable example
    /// ```bash
    /// xmrig --url stratum+tcp://pool.example.net:3333 --user "$WALLET"
    /// ```
    ///
    /// ## Fixed example
    /// Remove it.
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1496/
    pub struct Cryptominer {
        code: "SKILL-006",
        name: "cryptominer",
        axis: Security,
        severity: High,
        cwe: Some("CWE-506"),
    }
}

static MINER: Behaviour = Behaviour {
    what: "runs a cryptocurrency miner",
    re: LazyLock::new(|| {
        super::re(
            r"\b(xmrig|cpuminer|minerd|ethminer|nbminer|t-rex|phoenixminer|lolminer|nicehash)\b|stratum\+(tcp|ssl)://|--donate-level\b|\bcoinhive\b",
        )
    }),
};

impl Rule for Cryptominer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_behaviours(
            project,
            out,
            &[&MINER],
            "remove the miner and the skill that carried it",
        );
    }
}
