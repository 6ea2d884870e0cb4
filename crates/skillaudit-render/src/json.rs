//! The JSON report card: the [`Report`] itself for one target without errors, else a
//! [`MultiReport`](skillaudit_core::MultiReport) (see the crate documentation for the shape).

use serde::Serialize;
use skillaudit_core::report::SCHEMA_VERSION;
use skillaudit_core::{Report, RuleMeta, TargetError};
use std::io::{self, Write};

/// [`skillaudit_core::MultiReport`] by reference, so rendering many reports copies none of them.
/// Field for field the same shape; a test reads the output back as a `MultiReport`.
#[derive(Serialize)]
struct MultiReportRef<'a> {
    schema_version: &'a str,
    reports: &'a [Report],
    errors: &'a [TargetError],
}

/// Writes the report card(s) as pretty-printed JSON followed by a newline.
pub fn render(
    reports: &[Report],
    errors: &[TargetError],
    _rules: &[RuleMeta],
    _opts: &crate::RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match (reports, errors) {
        ([report], []) => serde_json::to_writer_pretty(&mut *out, report)?,
        _ => {
            let multi = MultiReportRef {
                schema_version: SCHEMA_VERSION,
                reports,
                errors,
            };
            serde_json::to_writer_pretty(&mut *out, &multi)?;
        }
    }
    out.write_all(b"\n")
}
