//! MCP client configurations: where each client keeps its MCP servers ([`discover`]), reading
//! those files without trusting them ([`read`]), and parsing every client's shape (JSON with
//! comments, TOML, YAML) into one model of a configured server ([`parse`]).
//!
//! Nothing here runs a server or resolves a package: the model is what the file says, and the
//! rules (`CFG-*` in skillaudit-rules) judge it.

pub mod discover;
pub mod jsonc;
pub mod parse;
pub mod read;

pub use discover::{discover, recognise, Candidate};
pub use parse::{parse, ParseError};
pub use read::{read_config, ReadError, ReadLimits};

use serde::Serialize;
use std::collections::BTreeMap;

/// The MCP clients whose configuration SkillAudit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    ClaudeDesktop,
    ClaudeCode,
    Cursor,
    Windsurf,
    VsCode,
    Zed,
    Codex,
    GeminiCli,
    Continue,
    Cline,
    /// A file named on the command line whose client is not known from its path.
    Other,
}

impl Client {
    /// The client's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Client::ClaudeDesktop => "Claude Desktop",
            Client::ClaudeCode => "Claude Code",
            Client::Cursor => "Cursor",
            Client::Windsurf => "Windsurf",
            Client::VsCode => "VS Code",
            Client::Zed => "Zed",
            Client::Codex => "Codex",
            Client::GeminiCli => "Gemini CLI",
            Client::Continue => "Continue",
            Client::Cline => "Cline",
            Client::Other => "MCP configuration",
        }
    }
}

/// Whose configuration a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// In the user's home folder: every project of this user gets these servers.
    User,
    /// In the project folder (usually committed): everyone who opens the project gets them.
    Project,
    /// Named on the command line.
    File,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
            Scope::File => "file",
        }
    }
}

/// The file format of a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON, comments and trailing commas allowed.
    Json,
    Toml,
    Yaml,
}

impl Format {
    /// The format a file name implies (JSON unless it ends in `.toml`, `.yaml` or `.yml`).
    pub fn of_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Format::Toml
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else {
            Format::Json
        }
    }
}

/// How the client talks to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    /// The client starts `command` and speaks over its standard input and output.
    Stdio,
    /// Streamable HTTP to `url`.
    Http,
    /// The older HTTP + server-sent events transport.
    Sse,
    /// Neither a command nor a URL.
    Unknown,
}

/// One MCP server as a configuration declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    /// The key the configuration gives it.
    pub name: String,
    /// For `~/.claude.json`: the project folder whose local scope declares it (`None` for the
    /// user scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub transport: Transport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Tool names the configuration lists for this server (`alwaysAllow`, `autoApprove`,
    /// `includeTools`, `tools`): known without starting it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// The configuration switches it off (`"disabled": true`, `enabled = false`).
    pub disabled: bool,
    /// 1-based line of the server's entry in the file, when found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Byte offset of the entry, where later lookups of its values start.
    #[serde(skip)]
    pub offset: usize,
}

impl Server {
    fn named(name: &str) -> Server {
        Server {
            name: name.to_string(),
            project: None,
            transport: Transport::Unknown,
            command: None,
            args: Vec::new(),
            env: BTreeMap::new(),
            url: None,
            headers: BTreeMap::new(),
            tools: Vec::new(),
            disabled: false,
            line: None,
            offset: 0,
        }
    }

    /// The command line as one string (command and arguments, space-separated).
    pub fn command_line(&self) -> String {
        let mut out = self.command.clone().unwrap_or_default();
        for a in &self.args {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(a);
        }
        out
    }

    /// Environment variables the entry refers to (`${VAR}`, `${env:VAR}`, `$VAR`), in order,
    /// without repeats.
    pub fn referenced_variables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let values = self
            .command
            .iter()
            .chain(&self.args)
            .chain(self.env.values())
            .chain(&self.url)
            .chain(self.headers.values());
        for value in values {
            for var in variable_references(value) {
                if !out.contains(&var) {
                    out.push(var);
                }
            }
        }
        out
    }
}

/// A configuration file and the servers it declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFile {
    /// How the file is shown: `~/…` in the home folder, relative in the project.
    pub display: String,
    pub client: Client,
    pub scope: Scope,
    pub servers: Vec<Server>,
    /// Entries that could not be read (the others are kept), each naming the server.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// Environment references in a value: `${VAR}`, `${env:VAR}` (VS Code, Cursor), `$VAR` and
/// `{env:VAR}`. VS Code's `${input:…}` prompts are not environment variables.
pub fn variable_references(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let braced_dollar = bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{');
        let braced_env = bytes[i] == b'{' && value[i..].starts_with("{env:");
        if braced_dollar || braced_env {
            let open = if braced_dollar { i + 2 } else { i + 1 };
            if let Some(close) = value[open..].find('}') {
                let inner = &value[open..open + close];
                let name = inner.strip_prefix("env:").unwrap_or(inner);
                let name = name.split(":-").next().unwrap_or(name);
                if !inner.starts_with("input:") && is_variable_name(name) {
                    out.push(name.to_string());
                }
                i = open + close + 1;
                continue;
            }
        } else if bytes[i] == b'$' {
            let start = i + 1;
            let end = value[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map(|e| start + e)
                .unwrap_or(value.len());
            let name = &value[start..end];
            if is_variable_name(name) {
                out.push(name.to_string());
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// True when the whole value is one reference (`${VAR}`, `${env:VAR}`, `$VAR`, `${input:id}`),
/// optionally behind a scheme word such as `Bearer `: the secret is not in the file.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    let v = v.rsplit_once(' ').map(|(_, last)| last).unwrap_or(v).trim();
    if let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        return !inner.is_empty();
    }
    if let Some(inner) = v.strip_prefix("{env:").and_then(|r| r.strip_suffix('}')) {
        return is_variable_name(inner);
    }
    v.strip_prefix('$').is_some_and(is_variable_name)
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let n = text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The line of the first occurrence of `needle` at or after `from` (the server's entry), or
/// the entry's own line when the value is written differently (escaped, split).
pub fn line_of_value(text: &str, server: &Server, needle: &str) -> Option<u32> {
    let from = server.offset.min(text.len());
    let from = (from..=text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(text.len());
    match text[from..].find(needle) {
        Some(pos) if !needle.is_empty() => Some(line_of(text, from + pos)),
        _ => server.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_of_every_form_are_found() {
        assert_eq!(variable_references("${TOKEN}"), vec!["TOKEN"]);
        assert_eq!(
            variable_references("Bearer ${env:GH_TOKEN}"),
            vec!["GH_TOKEN"]
        );
        assert_eq!(
            variable_references("$HOME/x and {env:A_B}"),
            vec!["HOME", "A_B"]
        );
        assert_eq!(
            variable_references("${input:api-key}"),
            Vec::<String>::new()
        );
        assert_eq!(variable_references("${X:-default}"), vec!["X"]);
        assert_eq!(variable_references("cost $5 ${"), Vec::<String>::new());
    }

    #[test]
    fn whole_value_references_are_not_literals() {
        assert!(is_reference("${GITHUB_TOKEN}"));
        assert!(is_reference("Bearer ${env:TOKEN}"));
        assert!(is_reference("${input:token}"));
        assert!(is_reference("$TOKEN"));
        assert!(!is_reference("ghp_abc"));
        assert!(!is_reference("prefix-${A}-suffix"));
    }
}
