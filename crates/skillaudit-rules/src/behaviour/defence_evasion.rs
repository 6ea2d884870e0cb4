use super::{place_flows, report_flows, report_technique, what_of};
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// Code that hides what it does or disables defences: system logs or shell history
    /// written, truncated or deleted (`/var/log/…`, `~/.bash_history`, `wtmp`), `history -c`,
    /// `unset HISTFILE`, logging and auditing services stopped (`systemctl stop rsyslog`,
    /// `auditctl -D`), SELinux or the firewall turned off, files made immutable (`chattr +i`),
    /// timestamps forged (`touch -t`, `touch -r`), kernel modules loaded, security tools killed;
    /// security software told to stand down (Defender exclusions or real-time monitoring off,
    /// `netsh advfirewall … state off`, `spctl --master-disable`, `csrutil disable`), a kernel
    /// driver installed as a service (`sc create … type= kernel`, the way vulnerable drivers are
    /// brought in to kill protections), and the machine's traffic rerouted (entries appended
    /// to the hosts file, `iptables … -j DNAT/REDIRECT`, `netsh interface portproxy add`).
    ///
    /// ## Why it matters
    /// Erasing traces and switching off monitoring only serves code that expects to be looked
    /// for. A tool server has no reason to touch the system's logs or its defences.
    ///
    /// ## Vulnerable example
    /// ```python
    /// os.system("history -c && echo '' > /var/log/auth.log")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// logger.info("cleanup finished")   # write your own log; leave the system's alone
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1070/
    /// - https://attack.mitre.org/techniques/T1562/
    pub struct DefenceEvasion {
        code: "MAL-006",
        name: "defence-evasion",
        axis: Security,
        severity: High,
        cwe: Some("CWE-223"),
    }
}

const FIX: &str = "remove the code that touches system logs, history or security services";

impl Rule for DefenceEvasion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = place_flows(
            project,
            &[SinkKind::FileWrite, SinkKind::FileDelete],
            &[OriginKind::TracePlace],
        );
        report_flows(
            out,
            groups,
            |_| Some(Severity::High),
            |flows| {
                format!(
                    "the code changes or deletes {} (`{}`)",
                    what_of(flows),
                    flows.first().map(|f| f.api.as_str()).unwrap_or("")
                )
            },
            FIX,
        );
        report_technique(project, out, Technique::DefenceEvasion, Severity::High, FIX);
    }
}
