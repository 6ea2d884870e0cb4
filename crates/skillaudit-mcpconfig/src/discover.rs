//! Where each client keeps its MCP servers, in the user's home folder and in a project.
//!
//! The home and project folders are parameters (the CLI passes the real ones; tests pass
//! temporary folders). Every platform's location is looked at (macOS `Library/Application
//! Support`, Linux `.config`, Windows `AppData/Roaming`): a path that does not exist costs one
//! `stat`.

use crate::{Client, Format, Scope};
use std::path::{Path, PathBuf};

/// A configuration file that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// `~/…` for the home folder, relative for the project.
    pub display: String,
    pub client: Client,
    pub scope: Scope,
    pub format: Format,
}

/// Application-data folders of the three platforms, relative to home.
const APP_DATA: &[&str] = &["Library/Application Support", ".config", "AppData/Roaming"];

/// Files relative to the home folder.
fn user_files() -> Vec<(String, Client)> {
    let mut out: Vec<(String, Client)> = Vec::new();
    for base in APP_DATA {
        out.push((
            format!("{base}/Claude/claude_desktop_config.json"),
            Client::ClaudeDesktop,
        ));
    }
    out.push((".claude.json".into(), Client::ClaudeCode));
    out.push((".cursor/mcp.json".into(), Client::Cursor));
    out.push((".codeium/windsurf/mcp_config.json".into(), Client::Windsurf));
    for base in APP_DATA {
        for product in ["Code", "Code - Insiders"] {
            out.push((format!("{base}/{product}/User/mcp.json"), Client::VsCode));
            out.push((
                format!("{base}/{product}/User/settings.json"),
                Client::VsCode,
            ));
            out.push((
                format!(
                    "{base}/{product}/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"
                ),
                Client::Cline,
            ));
        }
    }
    out.push((".config/zed/settings.json".into(), Client::Zed));
    out.push((".codex/config.toml".into(), Client::Codex));
    out.push((".gemini/settings.json".into(), Client::GeminiCli));
    out.push((".continue/config.yaml".into(), Client::Continue));
    out.push((".continue/config.json".into(), Client::Continue));
    out
}

/// Files relative to the project folder.
const PROJECT_FILES: &[(&str, Client)] = &[
    (".mcp.json", Client::ClaudeCode),
    (".cursor/mcp.json", Client::Cursor),
    (".vscode/mcp.json", Client::VsCode),
    (".vscode/settings.json", Client::VsCode),
    (".zed/settings.json", Client::Zed),
    (".codex/config.toml", Client::Codex),
    (".gemini/settings.json", Client::GeminiCli),
];

/// Every configuration file present for this user (`home`) and project (`project`), user scope
/// first. Continue's per-server files (`.continue/mcpServers/*.yaml|json`) are listed in both
/// scopes. A file the two scopes share (the project is the home folder) is listed once.
pub fn discover(home: Option<&Path>, project: Option<&Path>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    if let Some(home) = home {
        for (relative, client) in user_files() {
            push_if_present(&mut out, home, &relative, client, Scope::User, "~/");
        }
        continue_folder(&mut out, home, Scope::User, "~/");
    }
    if let Some(project) = project {
        for (relative, client) in PROJECT_FILES {
            push_if_present(&mut out, project, relative, *client, Scope::Project, "");
        }
        continue_folder(&mut out, project, Scope::Project, "");
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(std::fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone())));
    out
}

fn push_if_present(
    out: &mut Vec<Candidate>,
    base: &Path,
    relative: &str,
    client: Client,
    scope: Scope,
    prefix: &str,
) {
    let path = base.join(relative);
    // symlink_metadata: a dangling or hostile link is still listed, and refused when read.
    if std::fs::symlink_metadata(&path).is_ok() {
        out.push(Candidate {
            path,
            display: format!("{prefix}{relative}"),
            client,
            scope,
            format: Format::of_path(relative),
        });
    }
}

fn continue_folder(out: &mut Vec<Candidate>, base: &Path, scope: Scope, prefix: &str) {
    let folder = base.join(".continue/mcpServers");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
        })
        .collect();
    names.sort();
    names.truncate(500);
    for name in names {
        push_if_present(
            out,
            base,
            &format!(".continue/mcpServers/{name}"),
            Client::Continue,
            scope,
            prefix,
        );
    }
}

/// The client and scope of a file by its path relative to a project (what a scanned
/// repository commits), or `None` when the path is not a known client configuration.
/// `mcp.json` and `claude_desktop_config.json` anywhere are recognised too: teams commit
/// shared configurations under those names.
pub fn recognise(relative: &str) -> Option<Client> {
    let path = relative.trim_start_matches("./");
    if let Some((_, client)) = PROJECT_FILES.iter().find(|(p, _)| *p == path) {
        return Some(*client);
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "claude_desktop_config.json" => Some(Client::ClaudeDesktop),
        "mcp.json" | ".mcp.json" => Some(match path {
            p if p.ends_with(".cursor/mcp.json") => Client::Cursor,
            p if p.ends_with(".vscode/mcp.json") => Client::VsCode,
            _ => Client::ClaudeCode,
        }),
        "mcp_config.json" => Some(Client::Windsurf),
        "cline_mcp_settings.json" => Some(Client::Cline),
        _ if path.starts_with(".continue/mcpServers/") => Some(Client::Continue),
        _ => None,
    }
}
