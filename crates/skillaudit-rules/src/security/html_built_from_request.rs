use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// HTML served to a browser — OAuth callback pages, web UIs, `res.send`, `HTMLResponse`, markup
    /// built in template strings — containing request data that was not HTML-escaped.
    /// Data a page's script fetched (its own API's answers, which can hold what a tool stored)
    /// is reported at MEDIUM, once per file with the number of other places it reaches.
    ///
    /// ## Why it matters
    /// A crafted link makes the page run script in the server's origin: it can read tokens shown on the
    /// page or act as the user.
    ///
    /// ## Vulnerable example
    /// ```python
    /// async def callback(request: Request):
    ///     error = request.query_params.get("error")
    ///     return HTMLResponse(f"<div class='error'>{error}</div>")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// async def callback(request: Request):
    ///     error = request.query_params.get("error")
    ///     return HTMLResponse(f"<div class='error'>{html.escape(error or '')}</div>")
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/79.html
    pub struct HtmlBuiltFromRequest {
        code: "XSS-001",
        name: "html-built-from-request",
        axis: Security,
        severity: High,
        cwe: Some("CWE-79"),
    }
}

impl Rule for HtmlBuiltFromRequest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups_collapsed(
            project,
            out,
            &[SinkKind::Html],
            Severity::High,
            |_, base| base,
            |g| {
                format!(
                    "{} is placed into HTML without escaping",
                    g.describe_origin()
                )
            },
            "escape every interpolated value (`html.escape`, an auto-escaping template engine)",
            // Fetched data rendered by a page's script: one finding per file.
            |g| *g.origin() == OriginKind::NetworkResponse,
        );
    }
}
