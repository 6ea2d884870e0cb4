use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// Code evaluated at run time from untrusted input: `eval`, `new Function`, `vm.run*`, Python
    /// `eval`/`exec`/`compile`, or a template engine compiling a user-supplied template.
    ///
    /// ## Why it matters
    /// Evaluated input runs with the server's privileges: read files, spawn processes, exfiltrate
    /// credentials.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @mcp.tool()
    /// def calculate(expression: str) -> str:
    ///     return str(eval(expression))
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @mcp.tool()
    /// def calculate(expression: str) -> str:
    ///     return str(simpleeval.simple_eval(expression))  # arithmetic only
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/94.html
    /// - https://cwe.mitre.org/data/definitions/95.html
    pub struct DynamicCodeEvaluation {
        code: "CODE-001",
        name: "dynamic-code-evaluation",
        axis: Security,
        severity: High,
        cwe: Some("CWE-94"),
    }
}

impl Rule for DynamicCodeEvaluation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Eval],
            Severity::High,
            |g, base| {
                // Rendering templates is a purpose; running the code a template engine lets a
                // template hold is not, so a template tool keeps the full severity.
                if is_template_engine(&g.first.api) {
                    base
                } else {
                    super::by_design(project, g, base, &super::CODE_PURPOSE)
                }
            },
            |g| format!("{} is evaluated as code by `{}`", g.describe_origin(), g.first.api),
            "parse the input with a purpose-built parser (arithmetic, JSON) instead of evaluating it; never pass user text to `eval`/`Function`/`exec`",
        );
    }
}

/// Template engines whose templates can run code (server-side template injection).
fn is_template_engine(api: &str) -> bool {
    api.contains("Template")
        || api.ends_with("from_string")
        || api.ends_with("renderString")
        || [
            "ejs.",
            "handlebars",
            "pug.",
            "nunjucks.",
            "doT.",
            "lodash.template",
            "lodash.default.template",
        ]
        .iter()
        .any(|p| api.starts_with(p))
}
