use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_lang::ExposureKind;

declare_rule! {
    /// ## What it finds
    /// An HTTP server for an MCP transport bound to every interface: `listen(port)` with no host,
    /// `host="0.0.0.0"`, `"::"`.
    ///
    /// ## Why it matters
    /// A server meant for the local machine becomes reachable by everyone on the network (café Wi-Fi, a
    /// shared office, a container host).
    ///
    /// ## Vulnerable example
    /// ```js
    /// app.listen(PORT);
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// app.listen(PORT, "127.0.0.1");
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/1327.html
    pub struct ServerBoundToAllInterfaces {
        code: "NET-002",
        name: "server-bound-to-all-interfaces",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-1327"),
    }
}

impl Rule for ServerBoundToAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_exposures(
            project,
            out,
            ExposureKind::AllInterfaces,
            "bind to `127.0.0.1` unless remote access is intended, and then require authentication",
        );
    }
}
