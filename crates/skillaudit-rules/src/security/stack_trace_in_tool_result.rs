use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A tool handler that returns a stack trace (`error.stack`, `traceback.format_exc()`) in its
    /// result.
    ///
    /// ## Why it matters
    /// Stack traces reveal file paths, library versions and internal structure to the model — and to
    /// anyone who can read the conversation or inject instructions into it.
    ///
    /// ## Vulnerable example
    /// ```js
    /// } catch (error) {
    ///   return { content: [{ type: "text", text: error.stack }], isError: true };
    /// }
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// } catch (error) {
    ///   console.error(error);
    ///   return { content: [{ type: "text", text: "The search failed; see the server log." }], isError: true };
    /// }
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/209.html
    pub struct StackTraceInToolResult {
        code: "LEAK-001",
        name: "stack-trace-in-tool-result",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-209"),
    }
}

impl Rule for StackTraceInToolResult {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::StackTrace],
            Severity::Medium,
            |_, base| base,
            |g| {
                format!(
                    "a tool result returns a stack trace{}",
                    super::tool_suffix(g)
                )
            },
            "log the stack trace on the server and return a short, fixed error message",
        );
    }
}
