use super::client_configs;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it finds
    /// Two servers of the same configurations that expose a tool of the same name, where the
    /// configurations list the tools (`alwaysAllow`, `autoApprove`, `includeTools`,
    /// `enabled_tools`, `tools`). Servers switched off are left out.
    ///
    /// ## Why it matters
    /// The model picks a tool by name and description. With two `read_file` or `send_email`
    /// tools, a malicious or compromised server can answer calls meant for the trusted one —
    /// with an auto-approval granted to the other server's tool, and with the user's data as
    /// arguments. Clients differ in how they disambiguate, and some silently keep the last.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": {
    ///   "mail": { "command": "mail-mcp", "alwaysAllow": ["send_email"] },
    ///   "helper": { "command": "helper-mcp", "alwaysAllow": ["send_email"] } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": {
    ///   "mail": { "command": "mail-mcp", "alwaysAllow": ["send_email"] },
    ///   "helper": { "command": "helper-mcp", "alwaysAllow": ["summarise"] } } }
    /// ```
    /// (remove the server that duplicates a trusted tool, or filter its tools out).
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/694.html
    /// - https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks
    pub struct ShadowedToolName {
        code: "CFG-008",
        name: "shadowed-tool-name",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-694"),
    }
}

impl Rule for ShadowedToolName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let configs = client_configs(project);
        // tool → the servers (config index, server index) listing it, first one first.
        let mut by_tool: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        for (c, config) in configs.iter().enumerate() {
            for (s, server) in config.servers.iter().enumerate() {
                for tool in &server.tools {
                    let owners = by_tool.entry(tool.as_str()).or_default();
                    let same_name = owners
                        .iter()
                        .any(|(oc, os)| configs[*oc].servers[*os].name == server.name);
                    if !same_name {
                        owners.push((c, s));
                    }
                }
            }
        }
        for (tool, owners) in by_tool {
            let Some(((fc, fs), rest)) = owners.split_first() else {
                continue;
            };
            let first = &configs[*fc];
            let first_server = &first.servers[*fs];
            for (c, s) in rest {
                let config = &configs[*c];
                let server = &config.servers[*s];
                config.report(
                    out,
                    server,
                    tool,
                    Draft::new(format!(
                        "exposes the tool `{tool}`, as server `{}` in {} does: either can answer the other's calls",
                        first_server.name, first.file.path
                    ))
                    .evidence(format!("{tool}: {} and {}", first_server.name, server.name))
                    .fix("remove the server that duplicates the tool, or filter the tool out of one of them"),
                );
            }
        }
    }
}
