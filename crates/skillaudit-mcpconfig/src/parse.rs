//! Every client's shape, parsed into [`Server`]s.
//!
//! The files differ in format (JSON with comments, TOML, YAML) and in where the servers sit:
//! `mcpServers` (Claude Desktop, Claude Code, Cursor, Windsurf, Gemini CLI, Cline, Continue's
//! YAML as a list), `servers` (VS Code's `mcp.json`), `mcp.servers` (VS Code's `settings.json`),
//! `context_servers` (Zed), `[mcp_servers.NAME]` (Codex), `projects.<folder>.mcpServers`
//! (Claude Code's local scope in `~/.claude.json`) and
//! `experimental.modelContextProtocolServers` (Continue's older JSON). All of them are looked
//! for in every file, so a file named on the command line needs no client.

use crate::{jsonc, line_of, Format, Server, Transport};
use serde_json::{Map, Value};
use std::fmt;

/// A server entry whose command line is longer than this is not analysed (it is reported).
pub const MAX_COMMAND_LINE: usize = 64 * 1024;
/// At most this many servers are read from one file (the rest are reported).
pub const MAX_SERVERS: usize = 2_000;

/// Why a file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What a file declares: its servers, and the entries that could not be read (each naming the
/// server; the other servers are kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub servers: Vec<Server>,
    pub problems: Vec<String>,
}

/// Parse one configuration file.
pub fn parse(text: &str, format: Format) -> Result<Parsed, ParseError> {
    let value = to_value(text, format)?;
    let Value::Object(root) = &value else {
        return Err(ParseError {
            line: None,
            message: "the top level is not an object: this is not an MCP client configuration"
                .into(),
        });
    };
    let mut parsed = Parsed::default();
    let mut entries: Vec<(String, Option<String>, &Value, usize)> = Vec::new();
    for key in ["mcpServers", "mcp_servers", "context_servers", "servers"] {
        if let Some(map) = root.get(key) {
            collect_entries(map, None, 0, text, format, &mut entries);
        }
    }
    if let Some(Value::Object(mcp)) = root.get("mcp") {
        if let Some(map) = mcp.get("servers") {
            collect_entries(map, None, 0, text, format, &mut entries);
        }
    }
    if let Some(map) = root.get("mcp.servers") {
        collect_entries(map, None, 0, text, format, &mut entries);
    }
    if let Some(Value::Object(experimental)) = root.get("experimental") {
        if let Some(list) = experimental.get("modelContextProtocolServers") {
            collect_entries(list, None, 0, text, format, &mut entries);
        }
    }
    if let Some(Value::Object(projects)) = root.get("projects") {
        for (folder, project) in projects {
            if let Some(map) = project.get("mcpServers") {
                let from = find_key(text, folder, 0, format).unwrap_or(0);
                collect_entries(map, Some(folder), from, text, format, &mut entries);
            }
        }
    }
    for (name, project, entry, offset) in entries {
        if parsed.servers.len() >= MAX_SERVERS {
            parsed.problems.push(format!(
                "more than {MAX_SERVERS} servers: the rest of the file is not analysed"
            ));
            break;
        }
        match server_of(&name, entry) {
            Ok(mut server) => {
                server.project = project;
                server.offset = offset;
                server.line = Some(line_of(text, offset));
                parsed.servers.push(server);
            }
            Err(problem) => parsed.problems.push(format!(
                "server {:?} (line {}): {problem}",
                shorten(&name),
                line_of(text, offset)
            )),
        }
    }
    // Maps are read in key order; show servers in the order the file writes them.
    parsed.servers.sort_by_key(|s| s.offset);
    Ok(parsed)
}

fn to_value(text: &str, format: Format) -> Result<Value, ParseError> {
    match format {
        Format::Json => {
            serde_json::from_str::<Value>(&jsonc::to_json(text)).map_err(|e| ParseError {
                line: u32::try_from(e.line()).ok().filter(|l| *l > 0),
                message: format!("not valid JSON: {e}"),
            })
        }
        Format::Toml => {
            let table = toml::from_str::<toml::Table>(text).map_err(|e| ParseError {
                line: e.span().map(|s| line_of(text, s.start)),
                message: format!("not valid TOML: {}", e.message()),
            })?;
            serde_json::to_value(table).map_err(|e| ParseError {
                line: None,
                message: format!("TOML values JSON cannot hold: {e}"),
            })
        }
        Format::Yaml => serde_saphyr::from_str::<Value>(text).map_err(|e| ParseError {
            line: None,
            message: format!("not valid YAML: {}", first_line(&e.to_string())),
        }),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The entries of a server collection: an object of name → entry, or a list of entries with a
/// `name` (Continue).
fn collect_entries<'v>(
    collection: &'v Value,
    project: Option<&str>,
    from: usize,
    text: &str,
    format: Format,
    out: &mut Vec<(String, Option<String>, &'v Value, usize)>,
) {
    match collection {
        Value::Object(map) => {
            for (name, entry) in map {
                let offset = find_key(text, name, from, format).unwrap_or(from);
                out.push((name.clone(), project.map(str::to_string), entry, offset));
            }
        }
        Value::Array(list) => {
            for (i, entry) in list.iter().enumerate() {
                let name = entry
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("#{}", i + 1));
                let offset = find_key(text, &name, from, format).unwrap_or(from);
                out.push((name, project.map(str::to_string), entry, offset));
            }
        }
        _ => {}
    }
}

/// Where a server's key is written: `"name":` in JSON, `[mcp_servers.name]` in TOML,
/// `name: name` in YAML.
fn find_key(text: &str, name: &str, from: usize, format: Format) -> Option<usize> {
    let from = (from.min(text.len())..=text.len()).find(|i| text.is_char_boundary(*i))?;
    let hay = &text[from..];
    let candidates: Vec<String> = match format {
        Format::Json => vec![serde_json::to_string(name).unwrap_or_default()],
        Format::Toml => vec![
            format!("mcp_servers.{name}]"),
            format!("mcp_servers.\"{name}\"]"),
            format!("{name} ="),
        ],
        Format::Yaml => vec![format!("name: {name}"), format!("{name}:")],
    };
    candidates
        .iter()
        .filter(|c| !c.is_empty())
        .filter_map(|c| hay.find(c.as_str()))
        .min()
        .map(|pos| from + pos)
}

/// One server entry.
fn server_of(name: &str, entry: &Value) -> Result<Server, String> {
    let Value::Object(obj) = entry else {
        return Err("the entry is not an object".into());
    };
    let mut server = Server::named(name);
    // Continue's older JSON nests the stdio fields under `transport`.
    let fields = match obj.get("transport") {
        Some(Value::Object(inner)) => inner,
        _ => obj,
    };
    match fields.get("command") {
        Some(Value::String(command)) => server.command = Some(command.clone()),
        // Zed's older shape: "command": {"path", "args", "env"}.
        Some(Value::Object(command)) => {
            server.command = command
                .get("path")
                .and_then(Value::as_str)
                .map(str::to_string);
            server.args = strings(command.get("args"));
            server.env = string_map(command.get("env"));
        }
        Some(Value::Array(parts)) => {
            let mut parts = strings(Some(&Value::Array(parts.clone())));
            if !parts.is_empty() {
                server.command = Some(parts.remove(0));
                server.args = parts;
            }
        }
        _ => {}
    }
    if server.args.is_empty() {
        server.args = strings(fields.get("args"));
    }
    if server.env.is_empty() {
        server.env = string_map(fields.get("env"));
    }
    server.url = ["url", "serverUrl", "httpUrl", "uri"]
        .iter()
        .find_map(|k| fields.get(*k).and_then(Value::as_str))
        .map(str::to_string);
    server.headers = string_map(fields.get("headers").or_else(|| fields.get("http_headers")));
    for key in [
        "alwaysAllow",
        "autoApprove",
        "includeTools",
        "enabled_tools",
        "tools",
    ] {
        for tool in strings(obj.get(key)) {
            if !server.tools.contains(&tool) {
                server.tools.push(tool);
            }
        }
    }
    server.disabled = obj.get("disabled").and_then(Value::as_bool) == Some(true)
        || obj.get("enabled").and_then(Value::as_bool) == Some(false);
    let kind = fields
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    server.transport = match kind.as_str() {
        "stdio" => Transport::Stdio,
        "sse" => Transport::Sse,
        "http" | "streamable-http" | "streamablehttp" | "streamable_http" => Transport::Http,
        _ if server.command.is_some() => Transport::Stdio,
        _ if fields.contains_key("httpUrl") => Transport::Http,
        _ if server
            .url
            .as_deref()
            .is_some_and(|u| u.trim_end_matches('/').ends_with("/sse")) =>
        {
            Transport::Sse
        }
        _ if server.url.is_some() => Transport::Http,
        _ => Transport::Unknown,
    };
    let length = server.command_line().len();
    if length > MAX_COMMAND_LINE {
        return Err(format!(
            "its command line is {length} bytes, over the {} KiB limit; not analysed",
            MAX_COMMAND_LINE / 1024
        ));
    }
    Ok(server)
}

/// A list of strings; numbers and booleans written as text, other values left out.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn string_map(value: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    match value {
        Some(Value::Object(map)) => map_strings(map),
        _ => Default::default(),
    }
}

fn map_strings(map: &Map<String, Value>) -> std::collections::BTreeMap<String, String> {
    map.iter()
        .filter_map(|(k, v)| scalar_text(v).map(|v| (k.clone(), v)))
        .collect()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn shorten(name: &str) -> String {
    if name.chars().count() > 80 {
        let head: String = name.chars().take(77).collect();
        format!("{head}…")
    } else {
        name.to_string()
    }
}
