use super::{is_mcp_server, Readme};
use crate::project::markdown::find_heading;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// An MCP server whose README has no configuration section (*Configuration*, *Config*,
    /// *Environment variables*, *Options*, *Settings*) and no client configuration snippet
    /// (`mcpServers`, `env`).
    ///
    /// ## Why it matters
    /// Configuration is where a server's security posture is chosen: which folders it may touch,
    /// which token it uses, whether it listens on the network. Undocumented options get left at
    /// defaults nobody reviewed, or set by trial and error with over-broad values.
    ///
    /// ## Vulnerable example
    /// ```markdown
    /// # files-server
    /// ## Installation
    /// npx -y files-server
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// ## Configuration
    /// | variable | meaning | default |
    /// | `FILES_ROOT` | the only folder the server may read | none (required) |
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/docs/develop/connect-local-servers
    pub struct ReadmeWithoutConfiguration {
        code: "DOC-003",
        name: "readme-without-configuration",
        axis: Documentation,
        severity: Low,
        cwe: None,
    }
}

const CONFIG_HEADINGS: &[&str] = &[
    "configuration",
    "configuring",
    "config",
    "environment",
    "environment variables",
    "options",
    "settings",
    "parameters",
    "arguments",
];

impl Rule for ReadmeWithoutConfiguration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        if !is_mcp_server(project) {
            return;
        }
        let Some(readme) = Readme::of(project) else {
            return;
        };
        let lower = readme.lower();
        if find_heading(&readme.headings, CONFIG_HEADINGS).is_some()
            || lower.contains("mcpservers")
            || lower.contains("\"env\"")
        {
            return;
        }
        out.report(
            Draft::new("the README has no configuration section and no client configuration example")
                .at(&readme.file.path, None)
                .about_package()
                .key("configuration")
                .fix("add a Configuration section: every option and environment variable, its default, and a client config snippet"),
        );
    }
}
