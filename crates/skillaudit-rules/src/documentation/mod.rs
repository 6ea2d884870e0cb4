//! Documentation axis (5%): README with install, configuration, environment variables and tool
//! list; SECURITY.md scored by section; LICENSE; CHANGELOG.

pub mod incomplete_security_policy;
pub mod missing_changelog;
pub mod missing_license;
pub mod missing_readme;
pub mod missing_security_policy;
pub mod readme_without_configuration;
pub mod readme_without_install;
pub mod readme_without_tool_list;
pub mod undocumented_environment_variable;

use crate::project::markdown::{headings, Heading};
use crate::project::{Project, ProjectFile};
use regex::Regex;
use skillaudit_core::Surface;
use std::sync::LazyLock;

/// The README and its headings, when there is a README.
pub(crate) struct Readme<'p> {
    pub file: &'p ProjectFile,
    pub text: &'p str,
    pub headings: Vec<Heading>,
}

impl<'p> Readme<'p> {
    pub fn of(project: &'p Project) -> Option<Readme<'p>> {
        let file = project.readme()?;
        let text = file.text.as_deref()?;
        Some(Readme {
            file,
            text,
            headings: headings(text),
        })
    }

    /// Lower-cased text for phrase checks.
    pub fn lower(&self) -> String {
        self.text.to_ascii_lowercase()
    }
}

/// True when the project is an MCP server (an SDK dependency, tools found, or a transport).
pub(crate) fn is_mcp_server(project: &Project) -> bool {
    project.inventory.sdk.is_some()
        || !project.inventory.tools.is_empty()
        || !project.inventory.transports.is_empty()
        || project.inventory.bundle_manifest.is_some()
}

/// Tool registration in any of the SDK forms. Method and decorator names survive minification,
/// so this holds for bundles too. The security engine fills `inventory.tools` precisely; this is
/// the fallback that tells a server with tools from a client, proxy or library.
static TOOL_REGISTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\.(?:registerTool|addTool)\s*\(|\b(?:server|mcp|app)\.tool\s*\(|setRequestHandler\(\s*(?:[\w$]+\.)?CallToolRequestSchema|@[\w.]*\.?(?:tool|call_tool)\s*\(",
    )
    .expect("static regex")
});

/// True when the server registers tools (known tools, or a registration form in runtime code).
pub(crate) fn registers_tools(project: &Project) -> bool {
    !project.inventory.tools.is_empty()
        || project.text_files().any(|(file, text)| {
            file.surface == Surface::Runtime
                && file.language.is_code()
                && TOOL_REGISTRATION.is_match(text)
        })
}
