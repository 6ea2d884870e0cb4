use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// An outbound request (fetch, axios, got, undici, http.request, requests, httpx, urllib, aiohttp,
    /// a headless browser's `goto`, `git clone`) whose URL or host comes from untrusted input with no
    /// scheme/host allowlist.
    ///
    /// ## Why it matters
    /// The server fetches whatever the model asks: cloud metadata endpoints (169.254.169.254), services
    /// on localhost, or the internal network behind the user's firewall — and returns the answer.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.tool("fetch_page", { url: z.string() }, async ({ url }) => {
    ///   const res = await fetch(url);
    ///   return { content: [{ type: "text", text: await res.text() }] };
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// server.tool("fetch_page", { url: z.string() }, async ({ url }) => {
    ///   const u = new URL(url);
    ///   if (u.protocol !== "https:" || !ALLOWED_HOSTS.has(u.hostname)) throw new Error("host not allowed");
    ///   const res = await fetch(u);
    ///   return { content: [{ type: "text", text: await res.text() }] };
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/918.html
    /// - https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/
    pub struct UnvalidatedRequestUrl {
        code: "SSRF-001",
        name: "unvalidated-request-url",
        axis: Security,
        severity: High,
        cwe: Some("CWE-918"),
    }
}

impl Rule for UnvalidatedRequestUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Fetch],
            Severity::High,
            ssrf_verdict,
            |g| format!("{} sets the URL of an outbound request (`{}`) with no scheme or host check", g.describe_origin(), g.first.api),
            "parse the URL, require `https:`, check the host against an allowlist, and refuse private, loopback and link-local addresses after resolving",
        );
    }
}

/// A URL whose scheme and host are fixed text with the input only in the path is a partial
/// guard (path and query injection): MEDIUM.
fn ssrf_verdict(g: &super::SinkGroup<'_>, base: Option<super::Verdict>) -> Option<super::Verdict> {
    let mut v = base?;
    if !g.whole() && v.severity == Severity::High && g.first.snippet.contains("://") {
        v.severity = Severity::Medium;
        v.note = Some("the input is part of the URL rather than all of it; check it cannot change the host or climb out of the path".into());
    }
    Some(v)
}
