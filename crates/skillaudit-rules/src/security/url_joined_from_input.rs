use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A URL joined onto a base URL (`urljoin(base, x)`, `new URL(x, base)`) where the relative part
    /// comes from untrusted input without URL-encoding. What a response carries back — a
    /// redirect's `Location` joined onto the current URL while following redirects by hand — is
    /// the remote server's text, not the input that chose the URL: each hop's request is
    /// SSRF-001's to judge.
    ///
    /// ## Why it matters
    /// An absolute URL or `//host/…` replaces the base's host, and `../` climbs out of the intended API
    /// path: the request goes where the input says.
    ///
    /// ## Vulnerable example
    /// ```python
    /// url = urljoin(base_url, path_template.replace("{id}", str(user_id)))
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// url = urljoin(base_url, path_template.replace("{id}", quote(str(user_id), safe="")))
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/918.html
    /// - https://docs.python.org/3/library/urllib.parse.html#urllib.parse.urljoin
    pub struct UrlJoinedFromInput {
        code: "SSRF-002",
        name: "url-joined-from-input",
        axis: Security,
        severity: High,
        cwe: Some("CWE-918"),
    }
}

impl Rule for UrlJoinedFromInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::UrlJoin],
            Severity::High,
            |_, base| base,
            |g| format!("{} is joined onto a base URL without encoding (`{}`): an absolute or `//host` value replaces the host", g.describe_origin(), g.first.snippet),
            "URL-encode each user value (`quote(value, safe=\"\")`, `encodeURIComponent`) before substituting it, and check the joined URL's host",
        );
    }
}
