use super::Readme;
use crate::project::markdown::find_heading;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A README with no install instructions: no heading such as *Installation*, *Setup*,
    /// *Getting started* or *Quick start*, and no install command (`npm install`, `npx`,
    /// `pip install`, `uvx`, `docker run`, an `mcpServers` client entry).
    ///
    /// ## Why it matters
    /// Users who cannot see the intended way to install a server improvise one: unpinned
    /// `npx -y`, copying a config from a blog post, running from a fork. Documented installation
    /// is what lets a reviewer check that the version and command they approve are the ones that run.
    ///
    /// ## Vulnerable example
    /// ```markdown
    /// # weather-server
    /// An MCP server for weather data.
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// # weather-server
    /// ## Installation
    /// npx -y weather-server@1.4.2
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/quickstart/user
    pub struct ReadmeWithoutInstall {
        code: "DOC-002",
        name: "readme-without-install",
        axis: Documentation,
        severity: Low,
        cwe: None,
    }
}

const INSTALL_HEADINGS: &[&str] = &[
    "install",
    "installation",
    "installing",
    "setup",
    "set up",
    "getting started",
    "quick start",
    "quickstart",
    "usage",
];
const INSTALL_COMMANDS: &[&str] = &[
    "npm install",
    "npm i ",
    "npx ",
    "pnpm add",
    "yarn add",
    "bun add",
    "pip install",
    "pipx install",
    "uvx ",
    "uv tool install",
    "uv add",
    "poetry add",
    "docker run",
    "docker pull",
    "go install",
    "cargo install",
    "brew install",
    "\"mcpservers\"",
    "claude mcp add",
];

impl Rule for ReadmeWithoutInstall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(readme) = Readme::of(project) else {
            return;
        };
        let lower = readme.lower();
        if find_heading(&readme.headings, INSTALL_HEADINGS).is_some()
            || INSTALL_COMMANDS.iter().any(|c| lower.contains(c))
        {
            return;
        }
        out.report(
            Draft::new("the README does not say how to install or run the server")
                .at(&readme.file.path, None)
                .about_package()
                .key("install")
                .fix("add an Installation section with the exact, pinned install command and the client configuration"),
        );
    }
}
