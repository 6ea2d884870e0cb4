use super::{place_flows, report_flows, report_technique, what_of};
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// Code that raises privileges: writes to `sudoers`, PAM, the account files or the
    /// loader's preload list; setuid or setgid bits set (`os.chmod(p, 0o4755)`, `chmod u+s`);
    /// system files made world-writable; `NOPASSWD` rules; users added to `sudo`, `wheel` or
    /// `docker`; `setuid(0)`; the Docker socket or the host's root (`chroot /proc/1/root`,
    /// `nsenter -t 1`) used to leave a container.
    ///
    /// ## Why it matters
    /// A tool server runs with the rights the user gave it. Code that grants itself more turns
    /// one compromised tool call into control of the machine.
    ///
    /// ## Vulnerable example
    /// ```python
    /// with open("/etc/sudoers.d/helper", "w") as f:
    ///     f.write(f"{user} ALL=(ALL) NOPASSWD: ALL\n")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// # Ask the administrator to grant what is needed; never edit privilege configuration.
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/tactics/TA0004/
    /// - https://cwe.mitre.org/data/definitions/269.html
    pub struct PrivilegeEscalation {
        code: "MAL-007",
        name: "privilege-escalation",
        axis: Permissions,
        severity: High,
        cwe: Some("CWE-269"),
    }
}

const FIX: &str = "run with the least privilege the task needs; never edit sudoers, PAM or account files, or set setuid bits";

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = place_flows(
            project,
            &[SinkKind::FileWrite],
            &[OriginKind::PrivilegePlace],
        );
        report_flows(
            out,
            groups,
            |_| Some(Severity::High),
            |flows| {
                format!(
                    "the code writes {} (`{}`)",
                    what_of(flows),
                    flows.first().map(|f| f.api.as_str()).unwrap_or("")
                )
            },
            FIX,
        );
        report_technique(
            project,
            out,
            Technique::PrivilegeEscalation,
            Severity::High,
            FIX,
        );
    }
}
