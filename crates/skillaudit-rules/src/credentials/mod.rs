//! Credentials axis: secrets written into the code, configuration or documentation that ships,
//! and environment files committed with values.

pub mod committed_env_file;
pub mod credential_in_url;
pub mod credential_read_in_handler;
pub mod generic_secret_assignment;
pub mod hardcoded_provider_secret;
pub mod model_chosen_credential;
pub mod secret_returned_to_client;
pub mod secret_written_to_log;
pub mod secrets;
pub mod tool_arguments_logged;

use crate::project::line_of;
use crate::{Draft, Findings, Project};
use secrets::SecretMatch;
use skillaudit_core::Severity;
use skillaudit_lang::{Flow, OriginKind, SinkKind};

/// 1-based character column of a byte offset.
fn column_of(text: &str, offset: usize) -> u32 {
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    u32::try_from(col).unwrap_or(u32::MAX)
}

/// Report secrets of one kind found in every text file (documentation and tests included: the
/// surface of the file sets how much a finding weighs).
pub(crate) fn report_secrets(
    project: &Project,
    out: &mut Findings,
    generic: bool,
    message: impl Fn(&secrets::Detector, &SecretMatch, &str) -> String,
) {
    let found = project.secrets.get_or_init(|| {
        project
            .files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.text.as_deref().map(|t| (i, secrets::scan(t, true))))
            .filter(|(_, found)| !found.is_empty())
            .collect()
    });
    for (index, matches) in found {
        let (Some(file), Some(text)) = (
            project.files.get(*index),
            project.files.get(*index).and_then(|f| f.text.as_deref()),
        ) else {
            continue;
        };
        for m in matches {
            let is_generic = m.detector == secrets::GENERIC.id;
            if is_generic != generic {
                continue;
            }
            let Some(d) = secrets::detector(m.detector) else {
                continue;
            };
            let shown = secrets::redact(text[m.start..m.end].lines().next().unwrap_or(""));
            let line = line_of(text, m.start);
            let mut draft = Draft::new(message(d, m, &shown))
                .at(&file.path, Some(line))
                .severity(d.severity)
                .evidence(secrets::redacted_excerpt(text, m.start, m.end, 60))
                .fix(format!(
                    "remove it from the files, {}, and read it from the environment or a secret manager at startup",
                    d.rotate
                ));
            draft.column = Some(column_of(text, m.start));
            let end_line = line_of(text, m.end);
            if end_line != line {
                draft.end_line = Some(end_line);
            }
            out.report(draft);
        }
    }
}

/// Flows of these sink kinds whose origin is (`env`) or is not (`!env`) a credential from the
/// environment, one group per sink with the variables that reach it.
pub(crate) fn flow_groups<'p>(
    project: &'p Project,
    kinds: &[SinkKind],
    env: bool,
) -> Vec<Vec<&'p Flow>> {
    crate::security::flows_by_sink(project, kinds, |f| {
        (f.origin.kind == OriginKind::Environment) == env && !f.origin.kind.is_behaviour()
    })
}

/// "`OPENAI_API_KEY`, `GITHUB_TOKEN`" — what reaches a sink, from the flows' origins.
pub(crate) fn what_reaches(flows: &[&Flow]) -> String {
    let mut names: Vec<&str> = flows.iter().map(|f| f.origin.what.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let shown: Vec<&str> = names.iter().take(3).copied().collect();
    let more = if names.len() > 3 {
        format!(" and {} more", names.len() - 3)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// Report one finding per sink group: `message` gets the group and returns the text and the
/// severity (or `None` to stay quiet).
pub(crate) fn report_flow_groups(
    out: &mut Findings,
    groups: Vec<Vec<&Flow>>,
    fix: &str,
    message: impl Fn(&[&Flow]) -> Option<(String, Severity)>,
) {
    for group in groups {
        let Some(first) = group.first() else {
            continue;
        };
        let Some((text, severity)) = message(&group) else {
            continue;
        };
        let mut draft = Draft::new(text)
            .at(&first.file, Some(first.line))
            .severity(severity)
            .evidence(first.snippet.clone())
            .fix(fix);
        draft.column = Some(first.column);
        if first.end_line != first.line {
            draft.end_line = Some(first.end_line);
        }
        if let Some(tool) = group.iter().find_map(|f| f.origin.tool.clone()) {
            draft.tool = Some(tool);
        }
        out.report(draft);
    }
}
