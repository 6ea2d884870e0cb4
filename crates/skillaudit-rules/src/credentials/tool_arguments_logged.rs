use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A tool handler that writes the whole arguments object of a call to a log or the console
    /// (`console.error("call", args)`, `logger.info(json.dumps(arguments))`), rather than the
    /// fields it needs to trace.
    ///
    /// ## Why it matters
    /// Tool arguments carry whatever the model was given: tokens users paste, personal data,
    /// file contents. Logging all of them copies that into log files that outlive the session
    /// and are shared in bug reports.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.tool("send", schema, async (args) => {
    ///   console.error("send called with", JSON.stringify(args));
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// server.tool("send", schema, async (args) => {
    ///   console.error("send called", { to: args.to, bytes: args.body.length });
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/532.html
    pub struct ToolArgumentsLogged {
        code: "CRED-005",
        name: "tool-arguments-logged",
        axis: Credentials,
        severity: Low,
        cwe: Some("CWE-532"),
    }
}

impl Rule for ToolArgumentsLogged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = super::flow_groups(project, &[SinkKind::ArgumentsLogged], false);
        super::report_flow_groups(
            out,
            groups,
            "log the fields you need to trace (names, sizes, ids), never the whole arguments object",
            |flows| {
                Some((
                    format!(
                        "the whole {} is written to a log (`{}`)",
                        flows[0].origin.what, flows[0].api
                    ),
                    Severity::Low,
                ))
            },
        );
    }
}
