//! Credentials axis: secrets written into the code, configuration or documentation that ships,
//! and environment files committed with values.

pub mod committed_env_file;
pub mod generic_secret_assignment;
pub mod hardcoded_provider_secret;
pub mod secrets;

use crate::project::line_of;
use crate::{Draft, Findings, Project};
use secrets::SecretMatch;

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
    for (file, text) in project.text_files() {
        for m in secrets::scan(text, generic) {
            let is_generic = m.detector == secrets::GENERIC.id;
            if is_generic != generic {
                continue;
            }
            let Some(d) = secrets::detector(m.detector) else {
                continue;
            };
            let shown = secrets::redact(text[m.start..m.end].lines().next().unwrap_or(""));
            let line = line_of(text, m.start);
            let mut draft = Draft::new(message(d, &m, &shown))
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
