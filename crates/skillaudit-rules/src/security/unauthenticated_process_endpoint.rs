use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_lang::ExposureKind;

declare_rule! {
    /// ## What it finds
    /// An HTTP route with no authentication or origin middleware whose handler starts processes from
    /// request data (a proxy endpoint that launches an MCP server from `?command=`).
    ///
    /// ## Why it matters
    /// Any web page the user visits, or anyone on the network, can start programs on the machine with a
    /// single request.
    ///
    /// ## Vulnerable example
    /// ```js
    /// app.get("/stdio", async (req, res) => {
    ///   const transport = new StdioClientTransport({ command: req.query.command, args: [] });
    ///   await transport.start();
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// app.get("/stdio", originValidation, requireSessionToken, async (req, res) => {
    ///   const transport = new StdioClientTransport({ command: req.query.command, args: [] });
    ///   await transport.start();
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/306.html
    pub struct UnauthenticatedProcessEndpoint {
        code: "NET-003",
        name: "unauthenticated-process-endpoint",
        axis: Security,
        severity: High,
        cwe: Some("CWE-306"),
    }
}

impl Rule for UnauthenticatedProcessEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_exposures(project, out, ExposureKind::UnauthenticatedProcessRoute, "require a session token and validate `Origin` on every route that can start processes; bind to localhost");
    }
}
