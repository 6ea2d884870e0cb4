use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A tool handler that returns raw exception text (`str(e)`, `error.message`) in its result.
    ///
    /// ## Why it matters
    /// Exception messages from drivers and HTTP clients often include connection strings, internal host
    /// names, file paths or query text.
    ///
    /// ## Vulnerable example
    /// ```python
    /// except Exception as e:
    ///     return [TextContent(type="text", text=f"Error: {e}")]
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// except Exception:
    ///     logger.exception("query failed")
    ///     return [TextContent(type="text", text="The query failed; see the server log.")]
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/209.html
    pub struct ExceptionTextInToolResult {
        code: "LEAK-002",
        name: "exception-text-in-tool-result",
        axis: Security,
        severity: Low,
        cwe: Some("CWE-209"),
    }
}

impl Rule for ExceptionTextInToolResult {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::ErrorText],
            Severity::Low,
            |_, base| base,
            |g| {
                format!(
                    "a tool result returns raw exception text{}",
                    super::tool_suffix(g)
                )
            },
            "log the exception on the server and return a message written for the user",
        );
    }
}
