use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A credential read from the environment — a variable whose name says it holds one
    /// (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD*`), or the whole environment object
    /// (`process.env`, `os.environ`) — written to a log or the console: `console.log`,
    /// `console.error`, `logger.info`, `logging.debug`, `print`, `process.stdout.write`. The
    /// whole environment is HIGH; a single credential MEDIUM.
    ///
    /// ## Why it matters
    /// An MCP server's stderr is collected by the client application (Claude Desktop, an IDE)
    /// into log files that users attach to bug reports; hosted servers ship logs to third-party
    /// services. A credential printed once lives in all of them.
    ///
    /// ## Vulnerable example
    /// ```js
    /// console.error(`starting with key ${process.env.OPENAI_API_KEY}`);
    /// console.error("environment:", process.env);
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// console.error(`starting (OpenAI key ${process.env.OPENAI_API_KEY ? "set" : "missing"})`);
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/532.html
    pub struct SecretWrittenToLog {
        code: "CRED-001",
        name: "secret-written-to-log",
        axis: Credentials,
        severity: Medium,
        cwe: Some("CWE-532"),
    }
}

impl Rule for SecretWrittenToLog {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = super::flow_groups(project, &[SinkKind::Log], true);
        super::report_flow_groups(
            out,
            groups,
            "log that the credential is set, never its value; never log the environment object",
            |flows| {
                let whole = flows
                    .iter()
                    .any(|f| f.origin.what == "the whole environment");
                let severity = if whole {
                    Severity::High
                } else {
                    Severity::Medium
                };
                Some((
                    format!(
                        "{} is written to a log (`{}`)",
                        super::what_reaches(flows),
                        flows[0].api
                    ),
                    severity,
                ))
            },
        );
    }
}
