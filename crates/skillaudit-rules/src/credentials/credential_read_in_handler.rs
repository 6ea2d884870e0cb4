use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A credential read from the environment (`process.env.API_KEY`, `os.environ["TOKEN"]`)
    /// inside a tool handler, on every call, instead of once when the server starts.
    ///
    /// ## Why it matters
    /// Read at startup, a missing or malformed credential stops the server with a clear error
    /// before any tool is offered; read per call, it fails in the middle of the model's work,
    /// often with an error message that names or echoes it. Reading once also keeps the set of
    /// credentials the server uses visible in one place for review.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.tool("search", schema, async ({ q }) => {
    ///   const key = process.env.SEARCH_API_KEY;
    ///   …
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const SEARCH_API_KEY = process.env.SEARCH_API_KEY;
    /// if (!SEARCH_API_KEY) throw new Error("SEARCH_API_KEY is not set");
    /// server.tool("search", schema, async ({ q }) => { … });
    /// ```
    ///
    /// ## References
    /// - https://12factor.net/config
    pub struct CredentialReadInHandler {
        code: "CRED-006",
        name: "credential-read-in-handler",
        axis: Credentials,
        severity: Low,
        cwe: None,
    }
}

impl Rule for CredentialReadInHandler {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = super::flow_groups(project, &[SinkKind::EnvInHandler], true);
        super::report_flow_groups(
            out,
            groups,
            "read the credential once at startup, check it is set, and pass it to the handlers",
            |flows| {
                Some((
                    format!(
                        "{} is read inside a tool handler on every call",
                        super::what_reaches(flows)
                    ),
                    Severity::Low,
                ))
            },
        );
    }
}
