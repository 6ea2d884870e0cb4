//! Per-tool capabilities for the report's inventory (`inventory.tools[].capabilities`) and the
//! least-privilege manifest: what each tool's handler was seen to do, plus the few things only
//! its name and description can tell (sending messages, irreversible actions).

use super::{declared_annotations, effects, tool_sites};
use crate::Project;
use std::collections::{BTreeMap, BTreeSet};

/// What one tool can do, and the annotations it declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolProfile {
    pub capabilities: BTreeSet<&'static str>,
    pub hosts: BTreeSet<String>,
    pub annotations: BTreeMap<String, bool>,
}

/// Every tool's profile, by tool name.
pub fn tool_profiles(project: &Project) -> BTreeMap<String, ToolProfile> {
    let mut out: BTreeMap<String, ToolProfile> = BTreeMap::new();
    let effects = effects(project);
    for (tool, e) in &effects {
        let p = out.entry(tool.clone()).or_default();
        for (name, place) in [
            ("reads-files", &e.reads_files),
            ("writes-files", &e.writes_files),
            ("deletes-files", &e.deletes_files),
            ("runs-processes", &e.runs_processes),
            ("runs-code", &e.runs_code),
            ("network-input-hosts", &e.input_hosts),
            ("network-configured-hosts", &e.network),
            ("reads-credentials", &e.reads_credentials),
            ("database", &e.database),
            ("browser-clipboard-screen", &e.browser),
        ] {
            if place.is_some() {
                p.capabilities.insert(name);
            }
        }
        if !e.fixed_hosts.is_empty() {
            p.capabilities.insert("network-fixed-hosts");
            p.hosts.extend(e.fixed_hosts.iter().cloned());
        }
    }
    for site in tool_sites(project) {
        let p = out.entry(site.name.clone()).or_default();
        let (declared, _) = declared_annotations(site.text);
        for (key, value) in [
            ("readOnlyHint", declared.read_only),
            ("destructiveHint", declared.destructive),
            ("idempotentHint", declared.idempotent),
            ("openWorldHint", declared.open_world),
        ] {
            if let Some(v) = value {
                p.annotations.entry(key.to_string()).or_insert(v);
            }
        }
        let text = crate::flow::from_text(&site.name, &site.description);
        if text.outbound && sends_messages(&site.name, &site.description) {
            p.capabilities.insert("sends-messages");
        }
        if super::destructive_tool_without_safeguard::irreversible_by_name(
            &site.name,
            &site.description,
        ) {
            p.capabilities.insert("irreversible-by-name");
        }
        let lower = format!("{} {}", site.name, site.description).to_ascii_lowercase();
        if ["screenshot", "clipboard", "browser", "screen capture"]
            .iter()
            .any(|w| lower.contains(w))
        {
            p.capabilities.insert("browser-clipboard-screen");
        }
    }
    out
}

/// A tool whose name or description says it sends something to people (mail, chat, posts).
fn sends_messages(name: &str, description: &str) -> bool {
    let text =
        format!("{} {}", name.replace(['_', '-', '.'], " "), description).to_ascii_lowercase();
    let verbs = [
        "send", "post", "reply", "publish", "notify", "tweet", "comment", "forward",
    ];
    let objects = [
        "email",
        "e-mail",
        "mail",
        "message",
        "sms",
        "tweet",
        "comment",
        "post",
        "channel",
        "chat",
        "notification",
        "reply",
        "issue",
        "webhook",
    ];
    verbs.iter().any(|v| text.contains(v)) && objects.iter().any(|o| text.contains(o))
}
