use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A process started with a program (executable) chosen by untrusted input: `spawn(cmd, …)`,
    /// `execFile(cmd, …)`, `subprocess.run([cmd, …])`, or an MCP client transport whose `command` comes
    /// from a request.
    ///
    /// ## Why it matters
    /// Whoever picks the program runs any binary on the host with the server's privileges; no quoting
    /// helps.
    ///
    /// ## Vulnerable example
    /// ```js
    /// app.get("/connect", (req, res) => {
    ///   const transport = new StdioClientTransport({ command: req.query.command });
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const ALLOWED = new Set(["uvx", "npx"]);
    /// app.get("/connect", requireToken, (req, res) => {
    ///   if (!ALLOWED.has(req.query.command)) return res.sendStatus(400);
    ///   const transport = new StdioClientTransport({ command: req.query.command });
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/78.html
    pub struct UntrustedProgram {
        code: "CMD-003",
        name: "untrusted-program",
        axis: Security,
        severity: High,
        cwe: Some("CWE-78"),
    }
}

impl Rule for UntrustedProgram {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Program],
            Severity::High,
            |g, base| super::by_design(project, g, base, &super::PROGRAM_PURPOSE),
            |g| {
                format!(
                    "{} chooses the program started by `{}`",
                    g.describe_origin(),
                    g.first.api
                )
            },
            "start only programs from a fixed allowlist, and authenticate whoever may start them",
        );
    }
}
