use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A URL navigated to or opened (`window.open`, `location.href =`, `location.assign`, the `open`
    /// package, `webbrowser.open`) that is computed at run time — from input, a server response or
    /// state — with no scheme check before it.
    ///
    /// ## Why it matters
    /// A `javascript:` URL runs script in the page; a `file:` or custom-scheme URL opened by the OS
    /// launches local programs. Authorization URLs from OAuth metadata come from the (possibly
    /// malicious) server.
    ///
    /// ## Vulnerable example
    /// ```js
    /// window.location.href = state.authorizationUrl;
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const u = new URL(state.authorizationUrl);
    /// if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("bad URL");
    /// window.location.href = u.href;
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/79.html
    /// - https://cwe.mitre.org/data/definitions/601.html
    pub struct UncheckedNavigationUrl {
        code: "XSS-002",
        name: "unchecked-navigation-url",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-79"),
    }
}

impl Rule for UncheckedNavigationUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Navigate],
            Severity::Medium,
            |_, base| base,
            |g| format!("{} is opened as a URL (`{}`) with no scheme check", g.describe_origin(), g.first.api),
            "parse the URL and allow only `https:` (and `http:` where needed) before navigating or opening it",
        );
    }
}
