//! Permission rules (`PERM-*`): what a server asks to be allowed to do against what its tools
//! need. Scopes and tokens it asks the user for, the folders it opens by default, tools that act
//! irreversibly without a safeguard, and annotations that claim less than the handler does.
//!
//! Each tool's registration is read as a *site*: the text from where the tool is declared to
//! where the next one starts (its schema, annotations and, for decorated Python functions, its
//! parameters). What a handler does comes from the shared analysis ([`effects`]).

pub mod broad_default_root;
pub mod capabilities;
pub mod destructive_tool_without_safeguard;
pub mod long_lived_token;
pub mod over_broad_token_scope;
pub mod understated_tool_annotation;

use crate::Project;
use regex::Regex;
use skillaudit_core::{Finding, Severity, Surface};
use skillaudit_lang::SinkKind;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Most bytes of a tool's registration that are read for its annotations and schema.
const MAX_SITE_BYTES: usize = 6_000;

/// A tool's registration in the source, with the text around it.
#[derive(Debug, Clone)]
pub struct ToolSite<'p> {
    pub name: String,
    pub description: String,
    pub file: String,
    pub line: u32,
    /// The registration's text: from the tool's name to the next tool's (bounded).
    pub text: &'p str,
    /// The branch of a dispatcher that handles this tool (`case "name": …`), when the handler
    /// is a `switch` over tool names in the same file (bounded).
    pub dispatch: &'p str,
}

impl ToolSite<'_> {
    /// True when the registration or the dispatcher branch matches `re`.
    pub fn mentions(&self, re: &Regex) -> bool {
        re.is_match(self.text) || re.is_match(self.dispatch)
    }
}

/// The `case "name":` branch of a dispatcher in `text`, up to the next `case` (bounded).
fn dispatch_branch<'t>(text: &'t str, name: &str) -> &'t str {
    let Some(start) = ['"', '\'', '`']
        .iter()
        .filter_map(|q| text.find(&format!("case {q}{name}{q}")))
        .min()
    else {
        return "";
    };
    let body_from = start + name.len() + 7;
    let rest = text.get(body_from..).unwrap_or("");
    let len = rest.find("case ").unwrap_or(rest.len()).min(MAX_SITE_BYTES);
    let mut end = body_from + len;
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(start..end).unwrap_or("")
}

/// Every tool the analysis found, with its registration text.
pub fn tool_sites(project: &Project) -> Vec<ToolSite<'_>> {
    let analysis = project.code_analysis();
    let mut by_file: BTreeMap<&str, Vec<&skillaudit_lang::ToolDecl>> = BTreeMap::new();
    for t in &analysis.tools {
        by_file.entry(t.file.as_str()).or_default().push(t);
    }
    let mut out = Vec::new();
    for (file, mut decls) in by_file {
        let Some(text) = project.file(file).and_then(|f| f.text.as_deref()) else {
            continue;
        };
        decls.sort_by_key(|d| d.line);
        // Start of each declaration: the tool's quoted name at or after its line, else the line.
        let starts: Vec<usize> = decls
            .iter()
            .map(|d| {
                let line_start = offset_of_line(text, d.line);
                find_quoted(&text[line_start..], &d.name)
                    .map(|o| line_start + o)
                    .unwrap_or(line_start)
            })
            .collect();
        for (i, d) in decls.iter().enumerate() {
            let start = starts[i];
            let next = starts
                .iter()
                .copied()
                .filter(|&s| s > start)
                .min()
                .unwrap_or(text.len());
            let mut end = next
                .min(start.saturating_add(MAX_SITE_BYTES))
                .min(text.len());
            while end > start && !text.is_char_boundary(end) {
                end -= 1;
            }
            // Python decorators come before the name: take the lines just above too.
            let mut from = start;
            if d.file.ends_with(".py") {
                from = offset_of_line(text, d.line.saturating_sub(3).max(1)).min(start);
            }
            out.push(ToolSite {
                name: d.name.clone(),
                description: d.description.clone().unwrap_or_default(),
                file: d.file.clone(),
                line: d.line,
                text: &text[from..end],
                dispatch: dispatch_branch(text, &d.name),
            });
        }
    }
    out
}

/// Byte offset where 1-based `line` starts (the end of the text when there are fewer lines).
fn offset_of_line(text: &str, line: u32) -> usize {
    if line <= 1 {
        return 0;
    }
    let mut seen = 1;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == line {
                return i + 1;
            }
        }
    }
    text.len()
}

/// Offset of `name` written as a string literal in `text`.
fn find_quoted(text: &str, name: &str) -> Option<usize> {
    ['"', '\'', '`']
        .iter()
        .filter_map(|q| text.find(&format!("{q}{name}{q}")))
        .min()
}

/// Tool annotations as declared (MCP `ToolAnnotations`): `None` when not written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Declared {
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
}

static HINT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"["']?\b(readOnlyHint|destructiveHint|idempotentHint|openWorldHint|read_only_hint|destructive_hint|idempotent_hint|open_world_hint)\b["']?\s*[:=]\s*(true|false|True|False|!0|!1)"#,
    )
    .ok()
});

/// The annotations written in a registration's text (JS objects, Python keyword arguments or
/// dicts, JSON; minified `!0` / `!1` too). The first value of each hint counts.
pub fn declared_annotations(text: &str) -> (Declared, Option<usize>) {
    let mut d = Declared::default();
    let mut first = None;
    let Some(re) = HINT.as_ref() else {
        return (d, None);
    };
    for caps in re.captures_iter(text) {
        let (Some(key), Some(value)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let v = matches!(value.as_str(), "true" | "True" | "!0");
        let slot = match key.as_str() {
            "readOnlyHint" | "read_only_hint" => &mut d.read_only,
            "destructiveHint" | "destructive_hint" => &mut d.destructive,
            "idempotentHint" | "idempotent_hint" => &mut d.idempotent,
            _ => &mut d.open_world,
        };
        if slot.is_none() {
            *slot = Some(v);
            first.get_or_insert(key.start());
        }
    }
    (d, first)
}

/// What a tool's handler was seen to do, with one example place for each effect.
#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub reads_files: Option<Place>,
    pub writes_files: Option<Place>,
    pub deletes_files: Option<Place>,
    pub runs_processes: Option<Place>,
    pub runs_code: Option<Place>,
    /// Outbound requests to hosts written in the code.
    pub fixed_hosts: BTreeSet<String>,
    /// Outbound requests whose host a tool argument chooses.
    pub input_hosts: Option<Place>,
    /// Outbound requests to a host from configuration (or unknown).
    pub network: Option<Place>,
    pub reads_credentials: Option<Place>,
    pub database: Option<Place>,
    /// A browser, the clipboard or the screen.
    pub browser: Option<Place>,
}

/// Where an effect was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u32,
    pub api: String,
}

impl Effects {
    /// The strongest effect that contradicts a read-only claim: (what, where).
    pub fn mutation(&self) -> Option<(&'static str, &Place)> {
        [
            ("deletes files", &self.deletes_files),
            ("runs processes", &self.runs_processes),
            ("runs code", &self.runs_code),
            ("writes files", &self.writes_files),
        ]
        .into_iter()
        .find_map(|(what, place)| place.as_ref().map(|p| (what, p)))
    }
}

fn place(file: &str, line: u32, api: &str) -> Option<Place> {
    Some(Place {
        file: file.to_string(),
        line,
        api: api.to_string(),
    })
}

/// A deletion of the server's own temporary file (`fs.unlink(tempPath)`).
fn is_temp_cleanup(snippet: &str) -> bool {
    let lower = snippet.to_ascii_lowercase();
    lower.contains("tmp") || lower.contains("temp")
}

/// The host of a `fixed:https://host/…` detail.
fn fixed_host(detail: &str) -> Option<String> {
    let url = detail.strip_prefix("fixed:")?;
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next()?.trim();
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// What each tool's handler does, by tool name, from the flows the analysis followed from the
/// tool's arguments (and, where the engine records them, every sink the handler reaches).
pub fn effects(project: &Project) -> BTreeMap<String, Effects> {
    let mut out: BTreeMap<String, Effects> = BTreeMap::new();
    for f in &project.code_analysis().flows {
        let Some(tool) = &f.origin.tool else { continue };
        let e = out.entry(tool.clone()).or_default();
        let at = || place(&f.file, f.line, &f.api);
        match f.kind {
            SinkKind::Shell | SinkKind::Argv | SinkKind::Program => {
                e.runs_processes = e.runs_processes.take().or_else(at);
            }
            SinkKind::Eval | SinkKind::DynamicImport | SinkKind::Deserialize => {
                e.runs_code = e.runs_code.take().or_else(at);
            }
            SinkKind::FileWrite => e.writes_files = e.writes_files.take().or_else(at),
            // Removing the temporary file of an atomic write is cleanup, not deletion.
            SinkKind::FileDelete if !is_temp_cleanup(&f.snippet) => {
                e.deletes_files = e.deletes_files.take().or_else(at);
            }
            SinkKind::FileAccess => e.reads_files = e.reads_files.take().or_else(at),
            SinkKind::Sql => e.database = e.database.take().or_else(at),
            SinkKind::Fetch | SinkKind::UrlJoin => {
                e.input_hosts = e.input_hosts.take().or_else(at);
            }
            SinkKind::NetworkSend => match f.detail.as_deref() {
                Some(d) if d.starts_with("fixed:") => {
                    if let Some(host) = fixed_host(d) {
                        e.fixed_hosts.insert(host);
                    }
                }
                Some("input") => e.input_hosts = e.input_hosts.take().or_else(at),
                _ => e.network = e.network.take().or_else(at),
            },
            SinkKind::Navigate => e.browser = e.browser.take().or_else(at),
            SinkKind::EnvInHandler => {
                e.reads_credentials = e.reads_credentials.take().or_else(at);
            }
            _ => {}
        }
    }
    out
}

/// True when `text` near `at` says the opposite: "not", "never", "no need for", "instead of".
pub(crate) fn negated_before(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(60);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..at].to_ascii_lowercase();
    // Only within the same sentence.
    let sentence = before
        .rsplit(['.', '\n', ';'])
        .next()
        .unwrap_or(before.as_str());
    [
        "not ",
        "never",
        "n't",
        "no need",
        "instead of",
        "avoid",
        "without",
        "rather than",
        "don’t",
        "unlike",
    ]
    .iter()
    .any(|w| sentence.contains(w))
}

/// Raise Permissions findings on a server that also has a command-execution or SSRF-001 HIGH on
/// its runtime surface: an attacker who steers the server's requests or commands holds every
/// permission the server was given, so an over-broad grant is worth more to them.
pub fn amplify(findings: &mut [Finding]) {
    let trigger = findings
        .iter()
        .find(|f| {
            f.severity == Severity::High
                && f.surface == Surface::Runtime
                && !f.is_exempted()
                // A request or command an argument steers; a URL merely joined onto a base
                // (SSRF-002) is too weak a sign that the server's requests can be taken over.
                && (f.code == "SSRF-001" || f.code.starts_with("CMD-"))
        })
        .map(|f| {
            format!(
                "{} at {}:{}",
                f.code,
                f.file.as_deref().unwrap_or("?"),
                f.line.unwrap_or(0)
            )
        });
    let Some(trigger) = trigger else { return };
    for f in findings.iter_mut().filter(|f| f.code.starts_with("PERM-")) {
        let raised = match f.severity {
            Severity::Medium => Severity::High,
            Severity::Low => Severity::Medium,
            other => other,
        };
        if raised != f.severity {
            f.severity = raised;
            f.message.push_str(&format!(
                " — raised: the server also has a HIGH {trigger}, through which an attacker would hold this permission"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_are_read_from_js_python_and_minified_text() {
        let (d, _) =
            declared_annotations("annotations: { readOnlyHint: true, openWorldHint: false }");
        assert_eq!(d.read_only, Some(true));
        assert_eq!(d.open_world, Some(false));
        let (d, _) =
            declared_annotations("ToolAnnotations(readOnlyHint=True, destructiveHint=False)");
        assert_eq!(d.read_only, Some(true));
        assert_eq!(d.destructive, Some(false));
        let (d, _) = declared_annotations(r#"{"destructiveHint":!0}"#);
        assert_eq!(d.destructive, Some(true));
        assert_eq!(declared_annotations("nothing here").0, Declared::default());
    }

    #[test]
    fn negation_is_read_within_the_sentence() {
        let t = "You do not need admin:org. Grant admin:org";
        assert!(negated_before(t, t.find("admin:org").unwrap_or(0)));
        assert!(!negated_before(t, t.rfind("admin:org").unwrap_or(0)));
    }

    #[test]
    fn hosts_are_taken_from_fixed_details() {
        assert_eq!(
            fixed_host("fixed:https://API.example.com/v1?x=1").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(fixed_host("input"), None);
    }

    fn finding(code: &str, severity: Severity) -> Finding {
        Finding {
            code: code.into(),
            axis: skillaudit_core::Axis::Permissions,
            severity,
            confidence: skillaudit_core::Confidence::High,
            message: "m".into(),
            file: Some("a.js".into()),
            line: Some(3),
            column: None,
            end_line: None,
            evidence: None,
            surface: Surface::Runtime,
            cwe: None,
            fingerprint: String::new(),
            fix: None,
            help_uri: None,
            tool: None,
            exemption: None,
        }
    }

    #[test]
    fn permission_findings_are_raised_beside_an_ssrf_high() {
        let mut findings = vec![
            finding("PERM-001", Severity::Medium),
            finding("PERM-003", Severity::Low),
            finding("SSRF-001", Severity::High),
        ];
        amplify(&mut findings);
        assert_eq!(findings[0].severity, Severity::High);
        assert_eq!(findings[1].severity, Severity::Medium);
        assert!(findings[0].message.contains("SSRF-001"));
    }

    #[test]
    fn permission_findings_stay_without_a_runtime_high() {
        let mut findings = vec![
            finding("PERM-001", Severity::Medium),
            finding("CMD-001", Severity::Medium),
        ];
        amplify(&mut findings);
        assert_eq!(findings[0].severity, Severity::Medium);
    }
}
