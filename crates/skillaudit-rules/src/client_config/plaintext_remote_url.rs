use super::{client_configs, words};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A remote MCP server reached over plain `http://`: the `url` (`serverUrl`, `httpUrl`) of
    /// an HTTP or SSE server, or the URL handed to a local bridge such as `mcp-remote`, when
    /// the host is not the machine itself (`localhost`, `127.0.0.1`, `::1`).
    ///
    /// ## Why it matters
    /// Everything the client sends the server — tool arguments with the user's data, bearer
    /// tokens in headers — and everything it gets back — tool descriptions and results the
    /// model follows — crosses the network in the clear. Anyone on the path (public Wi-Fi, a
    /// proxy, a compromised router) can read the token and rewrite the tools' answers to
    /// inject instructions.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "wiki": { "type": "http", "url": "http://wiki.example.com/mcp" } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "wiki": { "type": "http", "url": "https://wiki.example.com/mcp" } } }
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/319.html
    /// - https://modelcontextprotocol.io/specification/2025-06-18/basic/transports
    pub struct PlaintextRemoteUrl {
        code: "CFG-004",
        name: "plaintext-remote-url",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-319"),
    }
}

impl Rule for PlaintextRemoteUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                let mut urls: Vec<String> = server.url.iter().cloned().collect();
                // Bridges started locally that connect to a remote URL.
                let words = words(server);
                if words.iter().any(|w| {
                    w.contains("mcp-remote")
                        || w.contains("supergateway")
                        || w.contains("mcp-proxy")
                }) {
                    urls.extend(words.iter().filter(|w| w.starts_with("http://")).cloned());
                }
                for url in urls {
                    if let Some(host) = remote_plain_http_host(&url) {
                        config.report(
                            out,
                            server,
                            &url,
                            Draft::new(format!("connects to {host} over plain HTTP: tokens, tool arguments and results travel unencrypted"))
                                .evidence(super::safe_evidence(&url, 120))
                                .fix("use the server's https:// URL"),
                        );
                    }
                }
            }
        }
    }
}

/// The host of a plain `http://` URL that is not the local machine.
fn remote_plain_http_host(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .strip_prefix("http://")
        .or_else(|| url.trim().strip_prefix("HTTP://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("").to_string()
    } else {
        host_port
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let local = host.is_empty()
        || host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
        || host.starts_with("${");
    (!local).then_some(host)
}
