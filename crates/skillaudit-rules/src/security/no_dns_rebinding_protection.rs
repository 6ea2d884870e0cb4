use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_lang::ExposureKind;

declare_rule! {
    /// ## What it finds
    /// An HTTP, SSE or streamable-HTTP MCP transport created without Host/Origin validation
    /// (`SseServerTransport` without `security_settings`, `StreamableHTTPServerTransport` without
    /// `enableDnsRebindingProtection`/`allowedHosts`), where the code shows no other Host or Origin
    /// check.
    ///
    /// ## Why it matters
    /// A web page the user visits can rebind its own domain to 127.0.0.1 and talk to the local server
    /// from the browser: list and call tools, read resources.
    ///
    /// ## Vulnerable example
    /// ```python
    /// sse = SseServerTransport("/messages/")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// sse = SseServerTransport(
    ///     "/messages/",
    ///     security_settings=TransportSecuritySettings(
    ///         enable_dns_rebinding_protection=True,
    ///         allowed_hosts=["127.0.0.1:8000", "localhost:8000"],
    ///     ),
    /// )
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/1188.html
    /// - https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning
    pub struct NoDnsRebindingProtection {
        code: "NET-001",
        name: "no-dns-rebinding-protection",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-1188"),
    }
}

impl Rule for NoDnsRebindingProtection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_exposures(project, out, ExposureKind::NoDnsRebindingProtection, "enable the SDK's DNS-rebinding protection with the hosts and origins you serve, or validate `Host` and `Origin` in middleware");
    }
}
