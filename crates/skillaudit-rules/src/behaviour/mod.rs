//! Behaviour rules (`MAL-*`): code that is itself the attack. They read what the shared
//! analysis found in the code — secret stores and controlled places named in constants and
//! followed through the value model to the network, to file writes and to tool results;
//! techniques seen in command lines and system calls — whoever calls the code. A server that
//! steals keys does not need a tool argument to do it.

pub mod cloud_metadata_access;
pub mod credential_staging;
pub mod cryptomining;
pub mod defence_evasion;
pub mod destructive_operation;
pub mod download_and_execute;
pub mod install_script_technique;
pub mod local_secret_exfiltration;
pub mod local_secret_returned;
pub mod obfuscated_execution;
pub mod persistence;
pub mod privilege_escalation;
pub mod resource_exhaustion;
pub mod reverse_shell;
pub mod skill_code_technique;
pub mod undisclosed_transmission;

use crate::{Draft, Findings, Project};
use skillaudit_core::{Confidence, Severity};
use skillaudit_lang::behaviour::Technique;
use skillaudit_lang::{Flow, OriginKind, SinkKind};
use std::collections::BTreeMap;

/// One finding per place in the code where the analysis saw `technique`.
pub(crate) fn report_technique(
    project: &Project,
    out: &mut Findings,
    technique: Technique,
    severity: Severity,
    fix: &str,
) {
    let mut seen = std::collections::HashSet::new();
    for b in project
        .code_analysis()
        .behaviours
        .iter()
        .filter(|b| b.technique == technique)
    {
        if !seen.insert((b.file.as_str(), b.line)) {
            continue;
        }
        let mut draft = Draft::new(format!("the code {}: {}", technique.describe(), b.detail))
            .at(&b.file, Some(b.line))
            .evidence(b.snippet.clone())
            .severity(severity)
            .fix(fix);
        draft.column = Some(b.column);
        draft.confidence = Some(Confidence::High);
        out.report(draft);
    }
}

/// Flows into these sinks from these behaviour origins, one list per sink.
pub(crate) fn place_flows<'p>(
    project: &'p Project,
    sinks: &[SinkKind],
    origins: &[OriginKind],
) -> Vec<Vec<&'p Flow>> {
    let mut groups: BTreeMap<(&str, u32, u32, SinkKind), Vec<&Flow>> = BTreeMap::new();
    for f in &project.code_analysis().flows {
        // A file write's flows are about the path written unless they are about its content.
        let content = f
            .detail
            .as_deref()
            .is_some_and(|d| d.starts_with("content:"));
        if sinks.contains(&f.kind) && origins.contains(&f.origin.kind) && !content {
            groups
                .entry((f.file.as_str(), f.line, f.column, f.kind))
                .or_default()
                .push(f);
        }
    }
    groups.into_values().collect()
}

/// Flows of data written into files (their `detail` is `content:<path>`), one list per write.
pub(crate) fn content_flows<'p>(
    project: &'p Project,
    origins: &[OriginKind],
) -> Vec<Vec<&'p Flow>> {
    let mut groups: BTreeMap<(&str, u32, u32), Vec<&Flow>> = BTreeMap::new();
    for f in &project.code_analysis().flows {
        let content = f
            .detail
            .as_deref()
            .is_some_and(|d| d.starts_with("content:"));
        if f.kind == SinkKind::FileWrite
            && content
            && origins.contains(&f.origin.kind)
            && !written_back(f)
        {
            groups
                .entry((f.file.as_str(), f.line, f.column))
                .or_default()
                .push(f);
        }
    }
    groups.into_values().collect()
}

/// The file a content flow writes (`content:/tmp/.x` → `/tmp/.x`), if known.
pub(crate) fn written_path(f: &Flow) -> &str {
    f.detail
        .as_deref()
        .and_then(|d| d.strip_prefix("content:"))
        .map(|d| d.split("|places:").next().unwrap_or(d))
        .unwrap_or("")
}

/// A local secret written into a store of its own kind (a client's configuration restored
/// from its backup by a helper given the backup's path): an edit, not a collection.
fn written_back(f: &Flow) -> bool {
    let Some(places) = f.detail.as_deref().and_then(|d| d.split_once("|places:")) else {
        return false;
    };
    let kind = f.origin.what.split(" (`").next().unwrap_or(&f.origin.what);
    f.origin.kind == OriginKind::LocalSecret && places.1.split(',').any(|p| p == kind)
}

/// "`~/.ssh/id_rsa`, the whole environment" — what the flows of one sink carry.
pub(crate) fn what_of(flows: &[&Flow]) -> String {
    let mut names: Vec<&str> = flows.iter().map(|f| f.origin.what.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let more = names.len().saturating_sub(3);
    let mut s = names.into_iter().take(3).collect::<Vec<_>>().join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// Sinks where a value is run as code or as a command.
pub(crate) const RUN_SINKS: &[SinkKind] = &[
    SinkKind::Shell,
    SinkKind::Eval,
    SinkKind::DynamicImport,
    SinkKind::Deserialize,
    SinkKind::Program,
];

/// One HIGH finding per sink where what the flows carry is run.
pub(crate) fn report_runs(out: &mut Findings, groups: Vec<Vec<&Flow>>, fix: &str) {
    report_flows(
        out,
        groups,
        |_| Some(Severity::High),
        |flows| {
            format!(
                "{} is run (`{}`)",
                what_of(flows),
                flows.first().map(|f| f.api.as_str()).unwrap_or("")
            )
        },
        fix,
    );
}

/// Report one finding per sink of `groups`.
pub(crate) fn report_flows(
    out: &mut Findings,
    groups: Vec<Vec<&Flow>>,
    severity: impl Fn(&[&Flow]) -> Option<Severity>,
    message: impl Fn(&[&Flow]) -> String,
    fix: &str,
) {
    for flows in groups {
        let Some(first) = flows.first().copied() else {
            continue;
        };
        let Some(sev) = severity(&flows) else {
            continue;
        };
        let mut draft = Draft::new(message(&flows))
            .at(&first.file, Some(first.line))
            .evidence(first.snippet.clone())
            .severity(sev)
            .fix(fix);
        draft.column = Some(first.column);
        draft.end_line = Some(first.end_line);
        draft.confidence = Some(Confidence::High);
        out.report(draft);
    }
}
