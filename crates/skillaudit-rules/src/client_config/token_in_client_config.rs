use super::client_configs;
use crate::credentials::secrets::{self, redact};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_mcpconfig::is_reference;

declare_rule! {
    /// ## What it finds
    /// A token, key or password written into an MCP client configuration: in a server's `env`,
    /// its `headers` (`Authorization: Bearer …`), its arguments or its URL (`?api_key=…`,
    /// `https://user:pass@…`). Provider keys are recognised by the same detectors as
    /// SECRET-001; other values count when the variable or header is named like a credential
    /// (`*_TOKEN`, `*_API_KEY`, `Authorization`, `X-Api-Key`…) and the value looks random.
    /// References (`${GITHUB_TOKEN}`, `${env:TOKEN}`, `$TOKEN`, VS Code's `${input:…}`) and
    /// placeholders are not reported. The secret itself never appears in the report.
    ///
    /// ## Why it matters
    /// Client configurations are copied between machines, pasted into issues and chats, synced
    /// by dotfile managers and committed with the project (`.mcp.json`, `.cursor/mcp.json`,
    /// `.vscode/mcp.json`). A token in one is a token shared with everyone who sees the file,
    /// and it cannot be rotated per machine.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "github": { "command": "github-mcp-server",
    ///   "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_…the real token…" } } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "github": { "command": "github-mcp-server",
    ///   "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}" } } } }
    /// ```
    /// with the value in the environment, a keychain or VS Code's `inputs` prompt; rotate the
    /// token that was written down.
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/798.html
    /// - https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices
    pub struct TokenInClientConfig {
        code: "CFG-001",
        name: "token-in-client-config",
        axis: Credentials,
        severity: High,
        cwe: Some("CWE-798"),
    }
}

impl Rule for TokenInClientConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                let mut values: Vec<(String, &str)> = Vec::new();
                for (name, value) in &server.env {
                    values.push((format!("env {name}"), value));
                }
                for (name, value) in &server.headers {
                    values.push((format!("header {name}"), value));
                }
                for arg in &server.args {
                    values.push(("argument".to_string(), arg));
                }
                if let Some(url) = &server.url {
                    values.push(("URL".to_string(), url));
                }
                for (place, value) in values {
                    if let Some((what, secret, severity)) = secret_in(&place, value) {
                        config.report(
                            out,
                            server,
                            secret,
                            Draft::new(format!("{what} written into the configuration ({place})"))
                                .evidence(format!("{place}: {}", redact(secret)))
                                .severity(severity)
                                .fix("reference an environment variable (`${NAME}`) or an input prompt instead, and rotate the token that was written down"),
                        );
                    }
                }
            }
        }
    }
}

/// The secret in one configured value: what it is, the secret's text and its severity.
fn secret_in<'v>(place: &str, value: &'v str) -> Option<(String, &'v str, Severity)> {
    if value.is_empty() || is_reference(value) {
        return None;
    }
    if let Some(m) = secrets::scan(value, false).into_iter().next() {
        let detector = secrets::detector(m.detector)?;
        let secret = value.get(m.start..m.end)?;
        return Some((detector.what.to_string(), secret, detector.severity));
    }
    // A credential in a URL's query or user-info.
    if place == "URL" || value.contains("://") {
        return url_credential(value)
            .map(|s| ("credential in the URL".to_string(), s, Severity::High));
    }
    // A value named like a credential that looks random.
    let name = place
        .rsplit(' ')
        .next()
        .unwrap_or(place)
        .to_ascii_lowercase();
    let credential_name = [
        "token",
        "key",
        "secret",
        "passw",
        "pwd",
        "authorization",
        "auth",
        "credential",
        "cookie",
    ]
    .iter()
    .any(|w| name.contains(w));
    if !credential_name || place == "argument" {
        return None;
    }
    let secret = value
        .trim()
        .rsplit_once(' ')
        .map(|(_, last)| last)
        .unwrap_or(value.trim());
    if secret.len() >= 16 && secrets::entropy(secret) >= 3.5 && !secrets::is_placeholder(secret) {
        return Some(("secret-looking value".to_string(), secret, Severity::High));
    }
    None
}

/// The password or key a URL carries, if any (`user:pass@host`, `?api_key=…`, `?token=…`).
fn url_credential(url: &str) -> Option<&str> {
    let after_scheme = url.split_once("://").map(|(_, r)| r)?;
    let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        if let Some((_, password)) = userinfo.split_once(':') {
            if !password.is_empty() && !is_reference(password) && !secrets::is_placeholder(password)
            {
                return Some(password);
            }
        }
    }
    let query = url.split_once('?').map(|(_, q)| q)?;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=')?;
        let key = key.to_ascii_lowercase();
        let named = ["key", "token", "secret", "password", "auth", "sig"]
            .iter()
            .any(|w| key.contains(w));
        if named && value.len() >= 8 && !is_reference(value) && !secrets::is_placeholder(value) {
            return Some(value);
        }
    }
    None
}
