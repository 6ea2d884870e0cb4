use super::{registers_tools, Readme};
use crate::project::markdown::find_heading;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// An MCP server that registers tools but whose README does not list them: no *Tools* / *Available tools* /
    /// *Capabilities* / *Features* / *API* heading, and — when the tools are known from the code —
    /// tools that the README never names.
    ///
    /// ## Why it matters
    /// The tool list is the server's attack surface as the model sees it. Users approving a
    /// server need to know that it can, say, delete files or send e-mail; a tool the README
    /// does not mention is a capability nobody reviewed.
    ///
    /// ## Vulnerable example
    /// ```markdown
    /// # files-server
    /// Gives Claude access to your files.
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// ## Tools
    /// - `read_file(path)` — read a file under the configured root (read-only)
    /// - `delete_file(path)` — delete a file (destructive, asks for confirmation)
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/specification/2025-06-18/server/tools
    pub struct ReadmeWithoutToolList {
        code: "DOC-005",
        name: "readme-without-tool-list",
        axis: Documentation,
        severity: Low,
        cwe: None,
    }
}

const TOOL_HEADINGS: &[&str] = &[
    "tools",
    "tool",
    "available tools",
    "capabilities",
    "features",
    "api",
    "commands",
    "functions",
    "resources",
    "prompts",
];

impl Rule for ReadmeWithoutToolList {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        if !registers_tools(project) {
            return;
        }
        let Some(readme) = Readme::of(project) else {
            return;
        };
        if find_heading(&readme.headings, TOOL_HEADINGS).is_none() {
            out.report(
                Draft::new("the README does not list the server's tools")
                    .at(&readme.file.path, None)
                .about_package()
                    .key("tool-list")
                    .fix("add a Tools section naming every tool, what it does and whether it writes, deletes or reaches the network"),
            );
            return;
        }
        let undocumented: Vec<&str> = project
            .inventory
            .tools
            .iter()
            .map(|t| t.name.as_str())
            .filter(|name| !readme.text.contains(name))
            .collect();
        if !undocumented.is_empty() {
            out.report(
                Draft::new(format!(
                    "the README does not mention {} of the server's tools: {}",
                    undocumented.len(),
                    undocumented.join(", ")
                ))
                .at(&readme.file.path, None)
                .about_package()
                .key(format!("tools:{}", undocumented.join(",")))
                .fix("document every tool the server registers"),
            );
        }
    }
}
