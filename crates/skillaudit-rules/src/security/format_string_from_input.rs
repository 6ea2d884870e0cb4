use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A Python format string chosen by untrusted input and applied to objects:
    /// `fmt.format(**values)`, `fmt.format(obj)`, `fmt.format_map(mapping)` where `fmt` comes
    /// from a tool argument or a request. (Constant format strings with user values in them are
    /// fine and stay quiet.)
    ///
    /// ## Why it matters
    /// Replacement fields are not plain placeholders: `{0.__class__.__init__.__globals__[API_KEY]}`
    /// walks attributes and items of whatever object is passed, down to module globals, settings
    /// and credentials, and `{:>1000000000}` exhausts memory. Whoever writes the format string
    /// reads the server's secrets.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @mcp.tool()
    /// def render(template: str) -> str:
    ///     return template.format(user=current_user, config=settings)
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @mcp.tool()
    /// def render(template: str) -> str:
    ///     return string.Template(template).safe_substitute(name=current_user.name)
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/134.html
    /// - https://docs.python.org/3/library/string.html#format-string-syntax
    pub struct FormatStringFromInput {
        code: "CODE-004",
        name: "format-string-from-input",
        axis: Security,
        severity: High,
        cwe: Some("CWE-134"),
    }
}

impl Rule for FormatStringFromInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::FormatString],
            Severity::High,
            |_, base| base,
            |g| format!("{} is used as a format string (`{}`), whose fields can read the attributes of the objects passed", g.describe_origin(), g.first.api),
            "treat user text as data: substitute named values with `string.Template(...).safe_substitute(...)` over plain strings, never `str.format` on objects",
        );
    }
}
