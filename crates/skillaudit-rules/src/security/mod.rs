//! Security axis (35%): what untrusted input — tool arguments chosen by the model, HTTP requests,
//! resource URIs — reaches in the code users install, and how the server's transports are
//! exposed. The flows come from `skillaudit-lang`'s analysis; each rule here picks the sink kinds
//! it owns and decides severity from the origin and the guards the flow passed.

pub mod archive_extraction_traversal;
pub mod argument_injection;
pub mod dynamic_code_evaluation;
pub mod dynamic_import;
pub mod exception_text_in_tool_result;
pub mod format_string_from_input;
pub mod html_built_from_request;
pub mod no_dns_rebinding_protection;
pub mod nosql_operator_injection;
pub mod path_check_error_fallback;
pub mod prefix_containment_without_separator;
pub mod server_bound_to_all_interfaces;
pub mod shell_command_injection;
pub mod sql_built_from_input;
pub mod stack_trace_in_tool_result;
pub mod unauthenticated_process_endpoint;
pub mod unbounded_size_argument;
pub mod unchecked_navigation_url;
pub mod unconstrained_file_path;
pub mod unsafe_deserialization;
pub mod untrusted_program;
pub mod unvalidated_request_url;
pub mod url_joined_from_input;

use crate::{Draft, Findings, Project};
use skillaudit_core::{Confidence, Severity};
use skillaudit_lang::{ExposureKind, Flow, Guards, OriginKind, SinkKind};
use std::collections::BTreeMap;

/// Flows at one sink, merged across the tools and origins that reach it.
pub(crate) struct SinkGroup<'a> {
    pub first: &'a Flow,
    pub flows: Vec<&'a Flow>,
}

impl SinkGroup<'_> {
    /// The strongest origin reaching the sink (tool arguments and requests first).
    pub fn origin(&self) -> &OriginKind {
        self.flows
            .iter()
            .map(|f| &f.origin.kind)
            .min_by_key(|k| origin_rank(k))
            .unwrap_or(&self.first.origin.kind)
    }

    /// Flows from the strongest origin.
    fn strongest(&self) -> Vec<&Flow> {
        let o = self.origin().clone();
        self.flows
            .iter()
            .copied()
            .filter(|f| f.origin.kind == o)
            .collect()
    }

    /// Guards every flow of the strongest origin passed (the weakest path decides).
    pub fn guards(&self) -> Guards {
        let mut it = self.strongest().into_iter().map(|f| f.guards);
        let first = it.next().unwrap_or(Guards::NONE);
        it.fold(first, |acc, g| acc.intersect(g))
    }

    pub fn tools(&self) -> Vec<String> {
        let mut t: Vec<String> = self
            .flows
            .iter()
            .filter_map(|f| f.origin.tool.clone())
            .collect();
        t.sort();
        t.dedup();
        t
    }

    pub fn whole(&self) -> bool {
        self.strongest().iter().all(|f| f.whole)
    }

    /// Some flow hands the sink its input whole: the sink is open to the model by design, and
    /// a tool that reaches it with input built into text (`PRAGMA table_info({name})` beside a
    /// `read_query` tool, `/robots.txt` of the page a fetch tool fetches) gives nothing more.
    pub fn reached_whole(&self) -> bool {
        self.strongest().iter().any(|f| f.whole)
    }

    /// "arguments of tool `x`" / "HTTP request to `/y`", with the path through functions.
    pub fn describe_origin(&self) -> String {
        let strongest = self.strongest();
        let tools = self.tools();
        let what = if tools.len() > 1 {
            let shown: Vec<String> = tools.iter().take(4).map(|t| format!("`{t}`")).collect();
            let more = if tools.len() > 4 {
                format!(" and {} more", tools.len() - 4)
            } else {
                String::new()
            };
            format!("arguments of tools {}{more}", shown.join(", "))
        } else {
            strongest
                .first()
                .map(|f| f.origin.what.clone())
                .unwrap_or_default()
        };
        let via = strongest.first().map(|f| f.via.clone()).unwrap_or_default();
        if via.is_empty() {
            what
        } else {
            format!(
                "{what} (via {})",
                via.iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            )
        }
    }
}

fn origin_rank(k: &OriginKind) -> u8 {
    match k {
        OriginKind::ToolArgument => 0,
        OriginKind::HttpRequest => 1,
        OriginKind::ResourceUri => 2,
        OriginKind::PromptArgument => 3,
        OriginKind::NetworkResponse => 4,
        OriginKind::Exception => 5,
        OriginKind::Unchecked => 6,
        OriginKind::UnknownCaller => 7,
        OriginKind::Environment => 8,
        _ => 9,
    }
}

/// Flows of these kinds, grouped by sink location.
pub(crate) fn sink_groups<'p>(project: &'p Project, kinds: &[SinkKind]) -> Vec<SinkGroup<'p>> {
    // (A document parsed from input shadows that input's own label: SQL-002 alone reads it.)
    flows_by_sink(project, kinds, |f| {
        !matches!(
            f.origin.kind,
            OriginKind::Environment | OriginKind::ParsedInput
        ) && !f.origin.kind.is_behaviour()
    })
    .into_iter()
    .filter_map(|mut flows| {
        // Paths a sanitiser covers say nothing when another path reaches the sink
        // unsanitised: the group is judged by the paths that are not.
        if flows.iter().any(|f| !f.guards.any(f.kind.sanitised_by())) {
            flows.retain(|f| !f.guards.any(f.kind.sanitised_by()));
        }
        flows
            .first()
            .copied()
            .map(|first| SinkGroup { first, flows })
    })
    .collect()
}

/// The analysis's flows of these kinds that `keep` accepts, one list per sink (file, line,
/// column, kind), in sink order.
pub(crate) fn flows_by_sink<'p>(
    project: &'p Project,
    kinds: &[SinkKind],
    keep: impl Fn(&Flow) -> bool,
) -> Vec<Vec<&'p Flow>> {
    let mut groups: BTreeMap<(&str, u32, u32, SinkKind), Vec<&Flow>> = BTreeMap::new();
    for f in &project.code_analysis().flows {
        if kinds.contains(&f.kind) && keep(f) {
            groups
                .entry((f.file.as_str(), f.line, f.column, f.kind))
                .or_default()
                .push(f);
        }
    }
    groups.into_values().collect()
}

/// How a flow's origin and guards set its severity.
pub(crate) struct Verdict {
    pub severity: Severity,
    pub confidence: Confidence,
    /// Extra words for the message ("guarded by …", "by design").
    pub note: Option<String>,
}

/// The common policy: no guard → the rule's severity; a sanitising guard → silent; input whose
/// caller is unknown → INFO; an unchecked computed value → LOW.
pub(crate) fn verdict(group: &SinkGroup<'_>, default: Severity) -> Option<Verdict> {
    let kind = group.first.kind;
    // Each path is judged by its own guards: a URL that is validated and a title that is
    // encoded, reaching one request, are both safe even though no single guard covers both.
    if group
        .flows
        .iter()
        .all(|f| f.guards.any(kind.sanitised_by()))
    {
        return None;
    }
    let (severity, confidence) = match group.origin() {
        OriginKind::ToolArgument
        | OriginKind::HttpRequest
        | OriginKind::ResourceUri
        | OriginKind::PromptArgument => (default, Confidence::High),
        OriginKind::NetworkResponse | OriginKind::Exception => (lower(default), Confidence::Medium),
        OriginKind::Unchecked => (Severity::Low, Confidence::Low),
        OriginKind::UnknownCaller => (Severity::Info, Confidence::Low),
        // Credentials are the credentials axis' business (sink_groups leaves them out), and
        // what the code reaches for itself is the behaviour rules'.
        OriginKind::Environment => return None,
        _ => return None,
    };
    // Reached only through calls resolved by method name alone: the analysis could not type
    // the receiver, so the path is a guess — reported, one step lower, and said so.
    if severity == Severity::High && group.strongest().iter().all(|f| f.guessed) {
        return Some(Verdict {
            severity: Severity::Medium,
            confidence: Confidence::Low,
            note: Some("reached through a call resolved by method name only (the receiver's type is unknown)".into()),
        });
    }
    Some(Verdict {
        severity,
        confidence,
        note: None,
    })
}

pub(crate) fn lower(s: Severity) -> Severity {
    match s {
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        _ => Severity::Info,
    }
}

/// Report one finding per sink group with the rule's wording.
pub(crate) fn report_groups(
    project: &Project,
    out: &mut Findings,
    kinds: &[SinkKind],
    default: Severity,
    decide: impl Fn(&SinkGroup<'_>, Option<Verdict>) -> Option<Verdict>,
    message: impl Fn(&SinkGroup<'_>) -> String,
    fix: &str,
) {
    report_groups_collapsed(project, out, kinds, default, decide, message, fix, |_| {
        false
    });
}

/// [`report_groups`], with the groups `collapse` picks reported once per file: the first
/// one, saying how many more of the file's sinks the same kind of input reaches (a web page's
/// script that renders its own API's answers in fifty templates is one weakness to fix, not
/// fifty).
#[allow(clippy::too_many_arguments)]
pub(crate) fn report_groups_collapsed(
    project: &Project,
    out: &mut Findings,
    kinds: &[SinkKind],
    default: Severity,
    decide: impl Fn(&SinkGroup<'_>, Option<Verdict>) -> Option<Verdict>,
    message: impl Fn(&SinkGroup<'_>) -> String,
    fix: &str,
    collapse: impl Fn(&SinkGroup<'_>) -> bool,
) {
    let mut decided: Vec<(SinkGroup<'_>, Verdict)> = Vec::new();
    for group in sink_groups(project, kinds) {
        let base = verdict(&group, default);
        if let Some(v) = decide(&group, base) {
            decided.push((group, v));
        }
    }
    let mut more: BTreeMap<&str, usize> = BTreeMap::new();
    let mut first_of_file: Vec<bool> = Vec::with_capacity(decided.len());
    for (group, _) in &decided {
        if collapse(group) {
            let n = more.entry(group.first.file.as_str()).or_default();
            first_of_file.push(*n == 0);
            *n += 1;
        } else {
            first_of_file.push(true);
        }
    }
    for ((group, v), first) in decided.iter().zip(first_of_file) {
        if !first {
            continue;
        }
        let mut msg = message(group);
        if collapse(group) {
            let others = more
                .get(group.first.file.as_str())
                .copied()
                .unwrap_or(1)
                .saturating_sub(1);
            if others > 0 {
                msg.push_str(&format!(
                    " (and at {others} more place{} in this file)",
                    if others == 1 { "" } else { "s" }
                ));
            }
        }
        if let Some(note) = &v.note {
            msg.push_str("; ");
            msg.push_str(note);
        }
        let f = group.first;
        let mut draft = Draft::new(msg)
            .at(&f.file, Some(f.line))
            .evidence(f.snippet.clone())
            .severity(v.severity)
            .fix(fix);
        draft.column = Some(f.column);
        draft.end_line = Some(f.end_line);
        draft.confidence = Some(v.confidence);
        let tools = group.tools();
        if tools.len() == 1 {
            draft.tool = tools.first().cloned();
        }
        out.report(draft);
    }
}

/// Report exposures of one kind.
pub(crate) fn report_exposures(
    project: &Project,
    out: &mut Findings,
    kind: ExposureKind,
    fix: &str,
) {
    for e in project
        .code_analysis()
        .exposures
        .iter()
        .filter(|e| e.kind == kind)
    {
        let mut draft = Draft::new(e.detail.clone())
            .at(&e.file, Some(e.line))
            .evidence(e.snippet.clone())
            .fix(fix);
        draft.column = Some(e.column);
        out.report(draft);
    }
}

/// What a kind of operation is called where a tool says it does it: stems of the words of a
/// tool's name, description and schema texts (`run_command`, "Execute a shell command").
pub(crate) struct Purpose {
    /// What the operation is, for the message ("running shell commands").
    pub what: &'static str,
    pub stems: &'static [&'static str],
    /// Whether a tool that does not declare the operation keeps the full severity. (Not for
    /// programs: the analysis cannot always tell the program of `f"kubectl get {x}".split()`
    /// from its arguments, so a whole argument there stays MEDIUM either way.)
    pub undeclared_keeps_severity: bool,
    /// Whether only the tool's name and description count as declaring the operation (every
    /// tool that takes a file names a `path` in its schema; that says nothing of its purpose).
    pub names_only: bool,
    /// Guards that, when the server applies them to other flows of the same kind, show it
    /// means to restrict the operation: then a flow without them is not by design (a server
    /// that keeps three tools inside a root and not the fourth).
    pub restricted_by: Guards,
    /// The guard whose absence the note names.
    pub missing: &'static str,
}

pub(crate) const SHELL_PURPOSE: Purpose = Purpose {
    what: "running shell commands",
    undeclared_keeps_severity: true,
    names_only: false,
    restricted_by: Guards::NONE,
    missing: "no guard (allowlist, validation) narrows it",
    stems: &[
        "command",
        "shell",
        "exec",
        "run",
        "bash",
        "terminal",
        "script",
        "cli",
        "powershell",
        "cmd",
        "process",
        "invok",
        "spawn",
    ],
};
pub(crate) const SQL_PURPOSE: Purpose = Purpose {
    what: "running SQL",
    undeclared_keeps_severity: true,
    names_only: false,
    restricted_by: Guards::NONE,
    missing: "no guard (allowlist, validation) narrows it",
    stems: &[
        "sql",
        "query",
        "queries",
        "database",
        "db",
        "select",
        "statement",
        "table",
        "xpath",
    ],
};
pub(crate) const CODE_PURPOSE: Purpose = Purpose {
    what: "evaluating code",
    undeclared_keeps_severity: true,
    names_only: false,
    restricted_by: Guards::NONE,
    missing: "no guard (allowlist, validation) narrows it",
    stems: &[
        "eval",
        "code",
        "python",
        "javascript",
        "js",
        "script",
        "expression",
        "exec",
        "run",
        "snippet",
        "repl",
        "notebook",
        "calculat",
        "math",
        "formula",
        "compute",
    ],
};
pub(crate) const PROGRAM_PURPOSE: Purpose = Purpose {
    what: "starting programs",
    undeclared_keeps_severity: false,
    names_only: false,
    restricted_by: Guards::NONE,
    missing: "no guard (allowlist, validation) narrows it",
    stems: &[
        "program",
        "binary",
        "executable",
        "launch",
        "start",
        "open",
        "run",
        "command",
        "app",
        "exec",
        "process",
        "tool",
        "cli",
    ],
};

pub(crate) const FILE_PURPOSE: Purpose = Purpose {
    what: "working on the files the model names",
    undeclared_keeps_severity: true,
    names_only: true,
    restricted_by: Guards::NONE,
    missing: "no root folder narrows it",
    stems: &[
        "file",
        "path",
        "director",
        "folder",
        "dir",
        "document",
        "docx",
        "pdf",
        "image",
        "screenshot",
        "notebook",
        "save",
        "read",
        "write",
        "load",
        "open",
        "upload",
        "attach",
        "export",
        "import",
        "download",
        "archive",
        "zip",
        "edit",
        "creat",
        "delet",
        "list",
    ],
};
pub(crate) const FETCH_PURPOSE: Purpose = Purpose {
    what: "fetching the addresses the model names",
    undeclared_keeps_severity: true,
    names_only: false,
    restricted_by: Guards::URL_CHECKED,
    missing: "nothing refuses private, loopback and link-local addresses",
    stems: &[
        "fetch", "url", "uri", "web", "http", "page", "browse", "navigat", "visit", "link",
        "download", "crawl", "scrap", "site", "goto", "endpoint",
    ],
};

/// A tool that passes its whole argument to the sink *and says so* — its name, description or
/// schema speak of the operation — does it by design: MEDIUM, naming the missing guard. One
/// whose declared purpose is something else (a calculator whose argument reaches a shell) keeps
/// the full severity: the capability is hidden.
pub(crate) fn by_design(
    project: &Project,
    group: &SinkGroup<'_>,
    base: Option<Verdict>,
    purpose: &Purpose,
) -> Option<Verdict> {
    let mut v = base?;
    if group.reached_whole()
        && *group.origin() == OriginKind::ToolArgument
        && v.severity == Severity::High
    {
        let what = purpose.what;
        let tools = group.tools();
        let declared = !purpose.undeclared_keeps_severity
            || tools
                .iter()
                .all(|t| tool_declares(project, t, purpose.stems, purpose.names_only));
        let restricted_elsewhere = purpose.restricted_by != Guards::NONE
            && project
                .code_analysis()
                .flows
                .iter()
                .any(|f| f.kind == group.first.kind && f.guards.any(purpose.restricted_by));
        if restricted_elsewhere {
            v.note = Some(format!(
                "other flows of this kind in the server are checked ({}), this one is not",
                purpose.restricted_by.names().join(", ")
            ));
        } else if declared {
            v.severity = Severity::Medium;
            v.note = Some(format!(
                "the tool passes its argument through whole, so {what} is its purpose; {}",
                purpose.missing
            ));
        } else {
            v.note = Some(format!(
                "the tool's name and description do not say it is for {what}"
            ));
        }
    }
    Some(v)
}

/// Whether the tool's name, description or schema texts use a word starting with one of
/// `stems` (a tool the analysis cannot find is given the benefit of the doubt).
fn tool_declares(project: &Project, tool: &str, stems: &[&str], names_only: bool) -> bool {
    let tools = &project.code_analysis().tools;
    let Some(decl) = tools.iter().find(|t| t.name == tool) else {
        return true;
    };
    let mut text = decl.name.clone();
    text.push(' ');
    text.push_str(decl.description.as_deref().unwrap_or_default());
    if !names_only {
        for t in &decl.schema_texts {
            text.push(' ');
            text.push_str(t);
        }
    }
    // Words of names split at `_`, `-` and case changes (`runCommand`).
    let mut spaced = String::with_capacity(text.len() + 8);
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase();
        spaced.push(c);
    }
    spaced
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| stems.iter().any(|s| w.starts_with(s)))
}

/// " (tool `x`)" / " (tools `x`, `y`)" for messages about tool results.
pub(crate) fn tool_suffix(g: &SinkGroup<'_>) -> String {
    match g.tools().as_slice() {
        [] => String::new(),
        [one] => format!(" (tool `{one}`)"),
        many => format!(
            " (tools {})",
            many.iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
