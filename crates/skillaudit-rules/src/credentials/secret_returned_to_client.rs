use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A credential read from the environment that ends up in a tool result or in the message
    /// of an error the server throws (which the MCP SDKs send back to the client as the tool's
    /// error result): `return { content: [{ type: "text", text: `key=${process.env.API_KEY}` }] }`,
    /// `raise ValueError(f"bad token {os.environ['TOKEN']}")`, or the whole environment object
    /// returned.
    ///
    /// ## Why it matters
    /// What a tool returns goes to the model and into the conversation: it is shown to the user,
    /// stored in chat history, sent to the model provider and can be read back by any other
    /// tool or injected instruction in the session. A credential there has left the server.
    ///
    /// ## Vulnerable example
    /// ```python
    /// if resp.status_code == 401:
    ///     raise RuntimeError(f"token {os.environ['GITHUB_TOKEN']} was rejected")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// if resp.status_code == 401:
    ///     raise RuntimeError("the GitHub token was rejected (check GITHUB_TOKEN)")
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/201.html
    pub struct SecretReturnedToClient {
        code: "CRED-002",
        name: "secret-returned-to-client",
        axis: Credentials,
        severity: High,
        cwe: Some("CWE-201"),
    }
}

impl Rule for SecretReturnedToClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = super::flow_groups(project, &[SinkKind::ToolResult], true);
        super::report_flow_groups(
            out,
            groups,
            "name the variable in the message (\"check GITHUB_TOKEN\"), never its value",
            |flows| {
                let how = if flows[0].api == "throw" {
                    "the message of a thrown error (sent back as the tool's error result)"
                } else {
                    "a tool result"
                };
                Some((
                    format!("{} is put into {how}", super::what_reaches(flows)),
                    Severity::High,
                ))
            },
        );
    }
}
