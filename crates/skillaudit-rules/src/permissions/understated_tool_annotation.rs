use super::{declared_annotations, effects, negated_before, tool_sites, Effects};
use crate::project::{line_of, line_text};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use regex::{Regex, RegexBuilder};
use skillaudit_core::{Confidence, Severity};
use std::collections::BTreeMap;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A tool that says it does less than its handler does: `readOnlyHint: true` on a tool
    /// whose handler writes or deletes files or runs processes or code (HIGH); `destructiveHint:
    /// false` on one that deletes (MEDIUM); `openWorldHint: false` on one that sends requests to
    /// hosts its arguments choose (LOW); a tool description that calls it read-only (MEDIUM);
    /// and a server that the README, MCP bundle `manifest.json`, `server.json` or `package.json`
    /// describes as read-only while one of its tools writes, deletes or runs processes
    /// (MEDIUM). Annotations are read from the tool's registration in code (JS objects, Python
    /// `ToolAnnotations(...)` or dicts, minified `!0`) and from captured `tools/list` JSON; what
    /// the handler does comes from the analysis of the code the tool reaches.
    ///
    /// ## Why it matters
    /// Clients use the annotations to decide what runs without asking: many auto-approve tools
    /// marked read-only. A tool that claims to be read-only but writes is a tool that changes
    /// the user's machine without the user being asked — and the user who chose the server for
    /// its "read-only" README trusted it with data they would not hand to a writer.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @mcp.tool(annotations={"readOnlyHint": True})
    /// def export_notes(path: str, text: str) -> str:
    ///     Path(path).write_text(text)
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @mcp.tool(annotations={"readOnlyHint": False, "destructiveHint": False})
    /// def export_notes(path: str, text: str) -> str:
    ///     Path(path).write_text(text)
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-annotations
    /// - https://cwe.mitre.org/data/definitions/451.html
    pub struct UnderstatedToolAnnotation {
        code: "PERM-005",
        name: "understated-tool-annotation",
        axis: Permissions,
        severity: High,
        cwe: Some("CWE-451"),
    }
}

fn rx(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
}

/// A whole server described as read-only.
static SERVER_CLAIM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    rx(
        r"\b(?:(?:this|the)\s+(?:mcp\s+)?(?:server|tool(?:s|set)?|integration|package)\s+(?:is|are|provides?|offers?|gives?|exposes?|only\s+(?:provides?|offers?|has))\s+(?:strictly\s+|purely\s+|completely\s+|fully\s+|only\s+|safe,?\s+)?read[- ]only|(?:all|every)\s+(?:of\s+the\s+)?(?:tools?|operations?)\s+(?:is|are)\s+read[- ]only|^\s*read[- ]only\s+(?:access|mcp|server|tools?)\b|(?:provides?|offers?|gives?)\s+(?:strictly\s+|purely\s+|safe,?\s+)?read[- ]only\s+access)",
    )
});
/// Words that make "read-only" a mode someone switches on, not what the server is.
const MODE_WORDS: &[&str] = &[
    "mode",
    "flag",
    "option",
    "--",
    "env",
    "when ",
    "if ",
    "can be",
    "by default",
    "optional",
    "configur",
    "setting",
    "mount",
    "docker",
    "unless",
    "set ",
];
static TOOL_CLAIM: LazyLock<Option<Regex>> = LazyLock::new(|| rx(r"\bread[- ]only\b"));

/// The sentence around `at`.
fn sentence(text: &str, at: usize) -> &str {
    let start = text[..at]
        .rfind(['.', '\n', '!', '?'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = text[at..]
        .find(['.', '\n', '!', '?'])
        .map(|i| at + i)
        .unwrap_or(text.len());
    &text[start..end]
}

fn is_mode(sentence: &str) -> bool {
    let s = sentence.to_ascii_lowercase();
    MODE_WORDS.iter().any(|w| s.contains(w))
}

/// Where a server describes itself as read-only: (file, line, evidence).
fn server_claims(project: &Project) -> Vec<(String, u32, String)> {
    let mut out = Vec::new();
    let Some(re) = SERVER_CLAIM.as_ref() else {
        return out;
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    if let Some(readme) = project.readme() {
        if let Some(text) = &readme.text {
            texts.push((readme.path.clone(), text.clone()));
        }
    }
    for (file, text) in project.text_files() {
        let name = file.name().to_ascii_lowercase();
        if !file.is_top_level()
            || !matches!(
                name.as_str(),
                "manifest.json" | "server.json" | "package.json"
            )
        {
            continue;
        }
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        for key in ["description", "long_description"] {
            if let Some(d) = json.get(key).and_then(|v| v.as_str()) {
                // A description that starts "Read-only …" is a claim about the server.
                let claim = if d.trim_start().to_ascii_lowercase().starts_with("read-only")
                    || d.trim_start().to_ascii_lowercase().starts_with("read only")
                {
                    format!("{d}\nread-only access")
                } else {
                    d.to_string()
                };
                if re.is_match(&claim) && !is_mode(d) {
                    let line = text.find(d).map(|o| line_of(text, o)).unwrap_or(1);
                    out.push((file.path.clone(), line, d.chars().take(160).collect()));
                }
            }
        }
    }
    for (path, text) in texts {
        for m in re.find_iter(&text).take(20) {
            let s = sentence(&text, m.start());
            if is_mode(s) || negated_before(&text, m.start()) {
                continue;
            }
            let line = line_of(&text, m.start());
            out.push((
                path.clone(),
                line,
                line_text(&text, line, 160).unwrap_or_default(),
            ));
            break;
        }
    }
    out
}

/// Tools marked read-only in captured `tools/list` JSON: name → (file, line).
fn json_read_only(project: &Project) -> BTreeMap<String, (String, u32)> {
    let mut out = BTreeMap::new();
    for (file, text) in project.text_files() {
        if !file.path.ends_with(".json") || !text.contains("readOnlyHint") || text.len() > 4 << 20 {
            continue;
        }
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let root = json.get("result").unwrap_or(&json);
        let Some(tools) = root.get("tools").and_then(|v| v.as_array()) else {
            continue;
        };
        for t in tools.iter().take(5000) {
            let (Some(name), Some(true)) = (
                t.get("name").and_then(|v| v.as_str()),
                t.get("annotations")
                    .and_then(|a| a.get("readOnlyHint"))
                    .and_then(|v| v.as_bool()),
            ) else {
                continue;
            };
            let line = text
                .find(&format!("\"{name}\""))
                .map(|o| line_of(text, o))
                .unwrap_or(1);
            out.entry(name.to_string())
                .or_insert((file.path.clone(), line));
        }
    }
    out
}

fn effect_text(what: &str, p: &super::Place) -> String {
    format!("its handler {what} (`{}` at {}:{})", p.api, p.file, p.line)
}

impl Rule for UnderstatedToolAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let effects = effects(project);
        let none = Effects::default();
        let mut reported = std::collections::BTreeSet::new();
        for site in tool_sites(project) {
            let e = effects.get(&site.name).unwrap_or(&none);
            let (declared, at) = declared_annotations(site.text);
            let mut report = |message: String, severity: Severity, evidence: String| {
                if !reported.insert((site.name.clone(), severity)) {
                    return;
                }
                let mut draft = Draft::new(message)
                    .at(&site.file, Some(site.line))
                    .evidence(evidence)
                    .severity(severity)
                    .fix("declare what the handler does (`readOnlyHint: false`, `destructiveHint: true`, `openWorldHint: true`), or make the handler do only what the tool claims");
                draft.tool = Some(site.name.clone());
                out.report(draft);
            };
            let hint_evidence = |key: &str| {
                at.and_then(|_| site.text.find(key))
                    .map(|o| {
                        let line_start = site.text[..o].rfind('\n').map(|i| i + 1).unwrap_or(0);
                        let end = site.text[o..]
                            .find('\n')
                            .map(|i| o + i)
                            .unwrap_or(site.text.len());
                        site.text[line_start..end]
                            .trim()
                            .chars()
                            .take(160)
                            .collect::<String>()
                    })
                    .unwrap_or_else(|| format!("tool {}", site.name))
            };
            if declared.read_only == Some(true) {
                if let Some((what, p)) = e.mutation() {
                    report(
                        format!(
                            "tool `{}` is annotated `readOnlyHint: true` but {}",
                            site.name,
                            effect_text(what, p)
                        ),
                        Severity::High,
                        hint_evidence("eadOnly"),
                    );
                }
            }
            if declared.destructive == Some(false) {
                if let Some(p) = &e.deletes_files {
                    report(
                        format!(
                            "tool `{}` is annotated `destructiveHint: false` but {}",
                            site.name,
                            effect_text("deletes files", p)
                        ),
                        Severity::Medium,
                        hint_evidence("estructive"),
                    );
                }
            }
            if declared.open_world == Some(false) {
                if let Some(p) = &e.input_hosts {
                    report(
                        format!(
                            "tool `{}` is annotated `openWorldHint: false` but {}",
                            site.name,
                            effect_text("sends requests to hosts its arguments choose", p)
                        ),
                        Severity::Low,
                        hint_evidence("penWorld"),
                    );
                }
            }
            if declared.read_only != Some(true) {
                if let Some(m) = TOOL_CLAIM
                    .as_ref()
                    .and_then(|re| re.find(&site.description))
                {
                    if !negated_before(&site.description, m.start()) {
                        if let Some((what, p)) = e.mutation() {
                            report(
                                format!(
                                    "tool `{}` is described as read-only but {}",
                                    site.name,
                                    effect_text(what, p)
                                ),
                                Severity::Medium,
                                site.description.chars().take(160).collect(),
                            );
                        }
                    }
                }
            }
        }
        // Captured tools/list metadata that marks a tool read-only.
        for (name, (file, line)) in json_read_only(project) {
            let Some((what, p)) = effects.get(&name).and_then(|e| e.mutation()) else {
                continue;
            };
            if reported.contains(&(name.clone(), Severity::High)) {
                continue;
            }
            let mut draft = Draft::new(format!(
                "tool `{name}` is listed with `readOnlyHint: true` but {}",
                effect_text(what, p)
            ))
            .at(&file, Some(line))
            .evidence(format!("tool {name} readOnlyHint: true"))
            .severity(Severity::High)
            .fix("declare `readOnlyHint: false` for tools that write, delete or run processes");
            draft.tool = Some(name);
            out.report(draft);
        }
        // The server as a whole described as read-only.
        let writer = effects
            .iter()
            .find_map(|(tool, e)| e.mutation().map(|(what, p)| (tool, what, p)));
        if let Some((tool, what, p)) = writer {
            for (file, line, evidence) in server_claims(project) {
                let mut draft = Draft::new(format!(
                    "the server is described as read-only, but tool `{tool}`'s handler {what} (`{}` at {}:{})",
                    p.api, p.file, p.line
                ))
                .at(&file, Some(line))
                .evidence(evidence)
                .severity(Severity::Medium)
                .fix("describe what the tools really do, or remove the writing tools from the read-only server")
                .about_package();
                draft.confidence = Some(Confidence::Medium);
                out.report(draft);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(text: &str) -> bool {
        SERVER_CLAIM.as_ref().is_some_and(|re| {
            re.find_iter(text)
                .any(|m| !is_mode(sentence(text, m.start())))
        })
    }

    #[test]
    fn server_claims_are_told_from_modes() {
        assert!(claims(
            "This server provides read-only access to your notes."
        ));
        assert!(claims("All tools are read-only."));
        assert!(!claims(
            "Start the server with --read-only to disable writes."
        ));
        assert!(!claims(
            "The server is read-only by default; set ALLOW_WRITE=1 to enable writes."
        ));
        assert!(!claims("Mount the folder read-only in Docker."));
    }
}
