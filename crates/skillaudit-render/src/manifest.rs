//! The least-privilege manifest of a server (`skillaudit manifest TARGET`): for each tool, the
//! MCP annotations it should carry and the hosts and folders it needs, derived from what its
//! handler was seen to do (`inventory.tools[].capabilities`), next to what it declares; and the
//! token scopes the server asks for that are broader than needed (`PERM-001`). A pure view of a
//! finished report, so a saved JSON report gives the same manifest.

use crate::escape::terminal;
use serde::Serialize;
use skillaudit_core::Report;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// What a server's tools need, tool by tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    pub server: String,
    pub version: Option<String>,
    pub tools: Vec<ToolManifest>,
    /// Every host written in the code that some tool sends requests to.
    pub hosts: Vec<String>,
    /// Scopes and tokens the server asks for that are broader than its tools use.
    pub over_broad_scopes: Vec<ScopeNote>,
    /// How the manifest was derived and what it cannot see.
    pub notes: Vec<String>,
}

/// One tool's needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolManifest {
    pub name: String,
    /// The annotations the tool should carry; a hint is left out when the code does not tell.
    pub annotations: BTreeMap<String, bool>,
    /// The annotations it declares today.
    pub declared: BTreeMap<String, bool>,
    /// Hints whose declared value differs from the derived one (or that are missing).
    pub to_change: Vec<String>,
    pub capabilities: Vec<String>,
    /// Hosts it needs: fixed hosts from the code, `*` when its arguments choose the host.
    pub hosts: Vec<String>,
    /// Folders it needs, when it touches files.
    pub roots: Option<String>,
}

/// A scope request that `PERM-001` found too broad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeNote {
    pub scope: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub use_instead: Option<String>,
}

const MUTATING: &[&str] = &[
    "writes-files",
    "deletes-files",
    "runs-processes",
    "runs-code",
    "sends-messages",
    "irreversible-by-name",
    "database",
    "browser-clipboard-screen",
];

/// The manifest of one report.
pub fn manifest(report: &Report) -> Manifest {
    let mut all_hosts = BTreeSet::new();
    let mut tools = Vec::new();
    let mut unknown = 0;
    for tool in &report.inventory.tools {
        let caps: BTreeSet<&str> = tool.capabilities.iter().map(String::as_str).collect();
        let mut annotations = BTreeMap::new();
        if caps.is_empty() {
            unknown += 1;
        } else {
            let read_only = !caps.iter().any(|c| MUTATING.contains(c));
            annotations.insert("readOnlyHint".to_string(), read_only);
            if !read_only {
                // A write may overwrite (MCP's default is destructive); only tools named for
                // creating or adding are taken as additive.
                let additive = ["create", "add", "append", "mkdir", "new", "insert"]
                    .iter()
                    .any(|w| tool.name.to_ascii_lowercase().starts_with(w));
                annotations.insert(
                    "destructiveHint".to_string(),
                    caps.contains("deletes-files")
                        || caps.contains("irreversible-by-name")
                        || (caps.contains("writes-files") && !additive),
                );
            } else {
                annotations.insert("idempotentHint".to_string(), true);
            }
            annotations.insert(
                "openWorldHint".to_string(),
                caps.iter().any(|c| c.starts_with("network-"))
                    || caps.contains("browser-clipboard-screen")
                    || caps.contains("sends-messages"),
            );
        }
        let mut hosts: Vec<String> = tool.hosts.clone();
        if caps.contains("network-input-hosts") {
            hosts.push("*".to_string());
        }
        all_hosts.extend(tool.hosts.iter().cloned());
        let roots = ["reads-files", "writes-files", "deletes-files"]
            .iter()
            .any(|c| caps.contains(c))
            .then(|| {
                if caps.contains("writes-files") || caps.contains("deletes-files") {
                    "read-write: only the folders the user names (MCP roots or arguments)"
                } else {
                    "read-only: only the folders the user names (MCP roots or arguments)"
                }
                .to_string()
            });
        let to_change = annotations
            .iter()
            .filter(|(k, v)| tool.annotations.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect();
        tools.push(ToolManifest {
            name: tool.name.clone(),
            annotations,
            declared: tool.annotations.clone(),
            to_change,
            capabilities: tool.capabilities.clone(),
            hosts,
            roots,
        });
    }
    let over_broad_scopes = report
        .findings
        .iter()
        .filter(|f| f.code == "PERM-001")
        .map(|f| ScopeNote {
            scope: f
                .message
                .split('`')
                .nth(1)
                .unwrap_or(f.message.as_str())
                .to_string(),
            file: f.file.clone(),
            line: f.line,
            use_instead: f.fix.clone(),
        })
        .collect();
    let mut notes = vec![
        "derived statically from the code each tool's handler reaches; what no analysed code shows (a library call the engine does not model, a host from configuration) is not listed".to_string(),
    ];
    if unknown > 0 {
        notes.push(format!(
            "{unknown} tool{} had no capability the analysis could see: no annotations are proposed for {}",
            if unknown == 1 { "" } else { "s" },
            if unknown == 1 { "it" } else { "them" }
        ));
    }
    Manifest {
        server: report.target.name.clone(),
        version: report.target.version.clone(),
        tools,
        hosts: all_hosts.into_iter().collect(),
        over_broad_scopes,
        notes,
    }
}

/// The manifest as pretty JSON.
pub fn render_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(&manifest(report)).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

/// The manifest as text for a terminal.
pub fn render_text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let m = manifest(report);
    let version = m
        .version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    writeln!(
        out,
        "Least-privilege manifest: {}{}",
        terminal(&m.server, 80),
        terminal(&version, 40)
    )?;
    for t in &m.tools {
        writeln!(out, "\n  {}", terminal(&t.name, 80))?;
        if !t.capabilities.is_empty() {
            writeln!(
                out,
                "    does:        {}",
                terminal(&t.capabilities.join(", "), 200)
            )?;
        }
        let hints: Vec<String> = t
            .annotations
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        if !hints.is_empty() {
            writeln!(out, "    annotations: {}", hints.join(", "))?;
        }
        if !t.to_change.is_empty() {
            writeln!(out, "    to change:   {}", t.to_change.join(", "))?;
        }
        if !t.hosts.is_empty() {
            writeln!(
                out,
                "    hosts:       {}",
                terminal(&t.hosts.join(", "), 200)
            )?;
        }
        if let Some(roots) = &t.roots {
            writeln!(out, "    folders:     {roots}")?;
        }
    }
    if !m.over_broad_scopes.is_empty() {
        writeln!(out, "\n  scopes broader than needed:")?;
        for s in &m.over_broad_scopes {
            writeln!(
                out,
                "    {} ({}:{})",
                terminal(&s.scope, 120),
                terminal(s.file.as_deref().unwrap_or("?"), 120),
                s.line.unwrap_or(0)
            )?;
        }
    }
    for note in &m.notes {
        writeln!(out, "\n  note: {note}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillaudit_core::ToolInfo;

    fn tool(name: &str, caps: &[&str], declared: &[(&str, bool)]) -> ToolInfo {
        ToolInfo {
            name: name.into(),
            description: None,
            file: None,
            line: None,
            capabilities: caps.iter().map(|c| c.to_string()).collect(),
            hosts: Vec::new(),
            annotations: declared.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    fn report(tools: Vec<ToolInfo>) -> Report {
        let card = skillaudit_core::scoring::score_findings(&[]);
        Report {
            schema_version: "1".into(),
            audit_id: "au_0".into(),
            target: skillaudit_core::TargetInfo::default(),
            repo: None,
            engine: skillaudit_core::EngineInfo {
                name: "skillaudit".into(),
                version: "0".into(),
                methodology: "1".into(),
            },
            scanned_at: String::new(),
            duration_ms: 0,
            grade: card.grade,
            score: card.score,
            axes: card.axes,
            complete: true,
            incomplete_reasons: Vec::new(),
            critical_findings: Vec::new(),
            findings: Vec::new(),
            deductions: Vec::new(),
            caps: Vec::new(),
            inventory: skillaudit_core::Inventory {
                tools,
                ..Default::default()
            },
            dependencies: Default::default(),
            not_run: Vec::new(),
            exemptions: Vec::new(),
            analysis: None,
            badge_url: None,
            report_url: None,
        }
    }

    #[test]
    fn a_writing_tool_declared_read_only_is_to_change() {
        let m = manifest(&report(vec![
            tool("save", &["writes-files"], &[("readOnlyHint", true)]),
            tool("read", &["reads-files"], &[]),
            tool("opaque", &[], &[]),
        ]));
        let save = &m.tools[0];
        assert_eq!(save.annotations.get("readOnlyHint"), Some(&false));
        assert_eq!(save.annotations.get("destructiveHint"), Some(&true));
        assert!(save.to_change.contains(&"readOnlyHint".to_string()));
        assert_eq!(m.tools[1].annotations.get("readOnlyHint"), Some(&true));
        assert!(m.tools[1]
            .roots
            .as_deref()
            .is_some_and(|r| r.starts_with("read-only")));
        assert!(m.tools[2].annotations.is_empty());
    }
}
