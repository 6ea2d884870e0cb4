//! SkillAudit's output formats as pure sinks: each renderer takes the finished report(s) and writes
//! them to a `&mut dyn Write`. Renderers decide nothing: no policy, no exit codes, no filtering of
//! what counts. The same saved JSON report can be re-rendered in any format later.
//!
//! | format | module | for |
//! |---|---|---|
//! | `text` | [`text`] | a terminal: grouped by axis, a one-line summary at the end |
//! | `json` | [`json`] | machines: the report card of SPEC §3 |
//! | `sarif` | [`sarif`] | GitHub code scanning and other SARIF 2.1.0 consumers |
//! | `markdown` | [`markdown`] | a PR comment or `$GITHUB_STEP_SUMMARY` |
//! | `codequality` | [`codequality`] | GitLab Code Quality (merge-request widget) |
//! | `metrics` | [`metrics`] | GitLab metrics report (`skillaudit_score N`) |
//! | `badge` | [`badge`] | an SVG badge for a README |
//! | `html` | [`html`] | a self-contained report page (no scripts, nothing fetched) |
//!
//! # The JSON shape
//!
//! * **One target, no errors**: the [`Report`] itself, pretty-printed
//!   (`{"schema_version": "1", "audit_id": …, "grade": …, "findings": […], …}`).
//! * **Anything else** (several targets, no target, or any target that could not be audited): a
//!   [`MultiReport`](skillaudit_core::MultiReport):
//!
//!   ```json
//!   {
//!     "schema_version": "1",
//!     "reports": [ { …one report card per audited target… } ],
//!     "errors": [ { "target": "npm:missing@9.9.9", "error": "…why it could not be audited…" } ]
//!   }
//!   ```
//!
//! A consumer tells the two apart by the presence of `reports`. Output always ends with a newline.
//!
//! # Untrusted text
//!
//! Messages, evidence, file names and error texts come from the audited code, which may be hostile.
//! The text renderer shows control characters (ANSI escapes included) and bidirectional-override
//! characters as visible escapes, so a finding cannot rewrite the terminal; the Markdown renderer
//! escapes Markdown and HTML, so a finding cannot break a table, inject HTML or mention people;
//! the HTML renderer escapes every text and attribute value, links only `http(s)://` URLs and
//! forbids scripts with a Content-Security-Policy.
//! JSON and SARIF carry the text as JSON strings, which is safe by construction.

use skillaudit_core::{Report, RuleMeta, TargetError};
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

pub mod badge;
pub mod codequality;
mod escape;
pub mod html;
pub mod json;
pub mod manifest;
pub mod markdown;
pub mod metrics;
mod order;
pub mod sarif;
pub mod text;

/// An output format of `skillaudit scan --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Human-readable terminal output.
    #[default]
    Text,
    /// The JSON report card (or a multi-target wrapper).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub-flavoured Markdown, for a PR comment or a job summary.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// GitLab Code Quality JSON.
    CodeQuality,
    /// GitLab metrics (OpenMetrics text).
    Metrics,
    /// An SVG badge, shields style.
    Badge,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Html,
        Format::CodeQuality,
        Format::Metrics,
        Format::Badge,
    ];

    /// The name used on the command line and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::CodeQuality => "codequality",
            Format::Metrics => "metrics",
            Format::Badge => "badge",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFormatError {
    given: String,
}

impl fmt::Display for ParseFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown output format {:?} (expected one of: text, json, sarif, markdown, html, codequality, metrics, badge)",
            self.given
        )
    }
}

impl std::error::Error for ParseFormatError {}

impl FromStr for Format {
    type Err = ParseFormatError;

    /// Parses a format name, ignoring case; `md` is accepted for `markdown`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        if wanted.eq_ignore_ascii_case("md") {
            return Ok(Format::Markdown);
        }
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ParseFormatError {
                given: text.to_string(),
            })
    }
}

/// How to render; the default is plain (no colour), non-verbose output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use ANSI colours (text format only). When false, the output holds no escape codes at all.
    pub color: bool,
    /// Show everything: INFO and test-surface findings, each deduction, confidence and
    /// fingerprints (text format only; the other formats are always complete).
    pub verbose: bool,
    /// Print what the code analysis reached (the report's `analysis` section; text format
    /// only — the JSON always carries it).
    pub stats: bool,
}

/// Renders `reports` (and the targets that could not be audited) in `format`.
///
/// `rules` is the metadata of every rule the engine knows; SARIF lists them all, the text format
/// uses them for rule names in verbose mode.
pub fn render(
    format: Format,
    reports: &[Report],
    errors: &[TargetError],
    rules: &[RuleMeta],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(reports, errors, rules, opts, out),
        Format::Json => json::render(reports, errors, rules, opts, out),
        Format::Sarif => sarif::render(reports, errors, rules, opts, out),
        Format::Markdown => markdown::render(reports, errors, rules, opts, out),
        Format::Html => html::render(reports, errors, rules, opts, out),
        Format::CodeQuality => codequality::render(reports, errors, rules, opts, out),
        Format::Metrics => metrics::render(reports, errors, rules, opts, out),
        Format::Badge => {
            // Several targets: the badge shows the worst report.
            match reports.iter().min_by_key(|r| r.score) {
                Some(report) => out.write_all(badge::badge_for(report).as_bytes()),
                None => Ok(()),
            }
        }
    }
}

/// Untrusted text as inline Markdown (one line, at most `max_chars` characters, Markdown and
/// HTML escaped, mentions broken): for callers that write Markdown around a report, such as a
/// gate verdict in a PR comment.
pub fn markdown_inline(text: &str, max_chars: usize) -> String {
    escape::markdown_text(text, max_chars)
}

/// A name for a target that stays the same across its versions and content: the folder's path
/// from the repository root (as typed, when relative), or the package's ecosystem and name.
/// SARIF run categories and GitLab fingerprints are built on it, so a new release or an unrelated
/// edit does not make every alert look new.
pub fn stable_target_key(report: &Report) -> String {
    let target = &report.target;
    let name = if target.name.is_empty() {
        target.spec.as_str()
    } else {
        target.name.as_str()
    };
    match target.kind.as_str() {
        "folder" => {
            let path = codequality::repo_path(report, "");
            let path = path.trim_end_matches('/');
            if path.is_empty() {
                name.to_string()
            } else {
                path.to_string()
            }
        }
        "npm" | "pypi" => format!("{}:{name}", target.kind),
        _ => name.to_string(),
    }
}

/// `key`, or `key-2`, `key-3`… when an earlier target of the same run already used it.
pub(crate) fn unique_key(key: String, used: &mut std::collections::BTreeSet<String>) -> String {
    let mut candidate = key.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{key}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// How a target is named in summaries: `npm:foo@1.0.0`, `pypi:foo==1.0.0`, else `name@version`
/// (or the name alone). Falls back to what the user typed when the name is empty.
pub fn target_label(target: &skillaudit_core::TargetInfo) -> String {
    let name = if target.name.is_empty() {
        target.spec.as_str()
    } else {
        target.name.as_str()
    };
    match (target.kind.as_str(), target.version.as_deref()) {
        ("npm", Some(version)) => format!("npm:{name}@{version}"),
        ("npm", None) => format!("npm:{name}"),
        ("pypi", Some(version)) => format!("pypi:{name}=={version}"),
        ("pypi", None) => format!("pypi:{name}"),
        (_, Some(version)) => format!("{name}@{version}"),
        (_, None) => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("HTML".parse::<Format>(), Ok(Format::Html));
        let error = "pdf".parse::<Format>().unwrap_err();
        assert!(error.to_string().contains("pdf"));
        assert!(error.to_string().contains("html"));
    }

    #[test]
    fn default_options_are_plain() {
        let opts = RenderOptions::default();
        assert!(!opts.color && !opts.verbose);
    }
}
