use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::{Guards, SinkKind};

declare_rule! {
    /// ## What it finds
    /// An outbound request (fetch, axios, got, undici, http.request, requests and the libraries
    /// keeping its API (curl_cffi, niquests), httpx (also `build_request`), urllib, aiohttp,
    /// a headless browser's `goto`, `git clone`) whose URL or host comes from untrusted input with no
    /// scheme/host allowlist. When the URL starts with constant text that fixes the scheme and
    /// the host (`https://api.example.com/repos/${owner}`, also when it is built in a caller and
    /// passed to a request helper), the input can only move within that host's paths and
    /// queries: MEDIUM. So it is when a helper is given the base and the path apart
    /// (`get(BASE, `/items/${id}`)`, a generated client's `${config.BASE}${path}`): each caller
    /// decides, and the host is fixed when its base names the scheme and host and ends the
    /// authority, or is configured and followed by a path that starts with `/`. A tool whose whole argument is the URL and whose name, description or
    /// schema say it fetches addresses (`fetch(url)`, `browse`, `navigate`) does so by design:
    /// MEDIUM, naming the missing refusal of private, loopback and link-local addresses — unless
    /// the server checks other requests' URLs and not this one's (then HIGH). An HTTP endpoint
    /// that fetches the address its caller gives is an open proxy: HIGH. Python's
    /// `urllib.request.urlopen` and `urlretrieve` also open `file://` URLs, so a whole URL
    /// given to them with no scheme check reads local files too: HIGH whatever the tool says.
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
            |g, base| {
                let verdict = ssrf_verdict(g, super::by_design(project, g, base, &super::FETCH_PURPOSE));
                opens_local_files(g, verdict)
            },
            |g| {
                if g.guards().has(Guards::HOST_FIXED) {
                    format!("{} is placed into the path or query of an outbound request (`{}`) to a fixed host", g.describe_origin(), g.first.api)
                } else {
                    format!("{} sets the URL of an outbound request (`{}`) with no scheme or host check", g.describe_origin(), g.first.api)
                }
            },
            "parse the URL, require `https:`, check the host against an allowlist, and refuse private, loopback and link-local addresses after resolving",
        );
    }
}

/// Python's `urllib.request.urlopen` and `urlretrieve` also open `file://` URLs: a tool that
/// passes its whole argument there reads any local file the model names, which no fetching
/// purpose covers. Full severity unless the scheme is checked.
fn opens_local_files(
    g: &super::SinkGroup<'_>,
    v: Option<super::Verdict>,
) -> Option<super::Verdict> {
    let mut v = v?;
    let api = g.first.api.rsplit('.').next().unwrap_or(&g.first.api);
    let local_schemes = matches!(api, "urlopen" | "urlretrieve");
    if local_schemes
        && g.whole()
        && v.severity == Severity::Medium
        && !g
            .guards()
            .any(Guards::URL_CHECKED.union(Guards::HOST_FIXED))
    {
        v.severity = Severity::High;
        v.note = Some(
            "`urlopen` also opens `file://` URLs, so the model can read any local file through it; allow only `https:` (and `http:`) before opening".into(),
        );
    }
    Some(v)
}

/// A URL whose scheme and host are fixed text with the input only in the path is a partial
/// guard (path and query injection): MEDIUM.
fn ssrf_verdict(g: &super::SinkGroup<'_>, base: Option<super::Verdict>) -> Option<super::Verdict> {
    let mut v = base?;
    let host_fixed = g.guards().has(Guards::HOST_FIXED);
    if v.severity == Severity::High && (host_fixed || !g.whole() && g.first.snippet.contains("://"))
    {
        v.severity = Severity::Medium;
        v.note = Some(if host_fixed {
            "encode each value (`encodeURIComponent`, `quote(value, safe=\"\")`) so `../`, `?` and `#` cannot reach other endpoints of that host".into()
        } else {
            "the input is part of the URL rather than all of it; check it cannot change the host or climb out of the path".into()
        });
    }
    Some(v)
}
