use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A credential read from the environment placed into the URL of an outbound request —
    /// usually as a query parameter (`?api_key=${process.env.API_KEY}`, `f"...?token={TOKEN}"`)
    /// — instead of a header.
    ///
    /// ## Why it matters
    /// URLs are logged everywhere a header is not: by proxies, load balancers, the remote
    /// service's access logs, error trackers and the server's own request logging. A key in a
    /// query string is a key in all of those.
    ///
    /// ## Vulnerable example
    /// ```js
    /// await fetch(`https://api.example.com/search?q=${q}&api_key=${process.env.EXAMPLE_API_KEY}`);
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// await fetch(`https://api.example.com/search?q=${encodeURIComponent(q)}`, {
    ///   headers: { Authorization: `Bearer ${process.env.EXAMPLE_API_KEY}` },
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/598.html
    pub struct CredentialInUrl {
        code: "CRED-003",
        name: "credential-in-url",
        axis: Credentials,
        severity: Medium,
        cwe: Some("CWE-598"),
    }
}

impl Rule for CredentialInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = super::flow_groups(project, &[SinkKind::Fetch, SinkKind::UrlJoin], true);
        super::report_flow_groups(
            out,
            groups,
            "send the credential in a header (`Authorization`, the provider's key header), not in the URL",
            |flows| {
                // A variable that is the whole URL (a webhook URL setting) is configuration.
                if flows.iter().all(|f| f.whole) {
                    return None;
                }
                Some((
                    format!(
                        "{} is placed into the URL of an outbound request (`{}`)",
                        super::what_reaches(flows),
                        flows[0].api
                    ),
                    Severity::Medium,
                ))
            },
        );
    }
}
