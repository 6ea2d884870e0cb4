//! The vocabulary every part of SkillAudit speaks: axes, severities, surfaces, rule metadata and
//! findings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the six graded axes of the report card (SPEC §4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    Security,
    Credentials,
    Permissions,
    Maintenance,
    Compatibility,
    Documentation,
}

impl Axis {
    /// All axes, in the order the report card lists them.
    pub const ALL: [Axis; 6] = [
        Axis::Security,
        Axis::Credentials,
        Axis::Permissions,
        Axis::Maintenance,
        Axis::Compatibility,
        Axis::Documentation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Security => "security",
            Axis::Credentials => "credentials",
            Axis::Permissions => "permissions",
            Axis::Maintenance => "maintenance",
            Axis::Compatibility => "compatibility",
            Axis::Documentation => "documentation",
        }
    }

    pub fn parse(text: &str) -> Option<Axis> {
        Axis::ALL
            .into_iter()
            .find(|axis| axis.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is when it is real. INFO findings are reported but deduct nothing.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
            Severity::Info => "INFO",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the rule is that the finding is real (not how bad it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// Where in the package a finding sits; decides how much it deducts (SPEC §4 "surface tiering").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    /// Code a user installs and runs: tool, resource and prompt handlers, startup, transports,
    /// and any shipped module that is not one of the kinds below.
    Runtime,
    /// Installer and top-level helper scripts (`scripts/`, `install.sh`, `setup.py`).
    Script,
    /// Example code (`examples/`, `demo/`, `samples/`).
    Example,
    /// Benchmarks (`bench/`, `benchmarks/`).
    Benchmark,
    /// Tests and test fixtures: reported, never deducted.
    Test,
    /// Documentation (`docs/`, Markdown and text files).
    Docs,
    /// The package as a whole: findings about something missing (no SECURITY.md, no lockfile)
    /// or about its manifests. Deducts in full, like runtime.
    Package,
}

impl Surface {
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Runtime => "runtime",
            Surface::Script => "script",
            Surface::Example => "example",
            Surface::Benchmark => "benchmark",
            Surface::Test => "test",
            Surface::Docs => "docs",
            Surface::Package => "package",
        }
    }
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is, independent of any finding: the data `skillaudit rules` lists and the
/// documentation `skillaudit explain` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// `FAMILY-NNN`; codes are never reused.
    pub code: &'static str,
    /// Kebab-case name of the pattern (`missing-security-policy`).
    pub name: &'static str,
    pub axis: Axis,
    /// Default severity; a finding may carry a lower one when a guard is partially present.
    pub severity: Severity,
    /// CWE identifier such as `CWE-22`, when one fits.
    pub cwe: Option<&'static str>,
    /// The rule's documentation in Markdown, taken from its doc comment.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The first paragraph of the "What it finds" section: a one-line summary for listings.
    pub fn summary(&self) -> String {
        let mut in_section = false;
        let mut lines = Vec::new();
        for line in self.doc.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("## ") {
                if in_section {
                    break;
                }
                in_section = trimmed.eq_ignore_ascii_case("## What it finds");
                continue;
            }
            if in_section {
                if trimmed.is_empty() {
                    if !lines.is_empty() {
                        break;
                    }
                    continue;
                }
                lines.push(trimmed);
            }
        }
        lines.join(" ")
    }

    /// The text of one `## Heading` section of the doc, without the heading.
    pub fn section(&self, heading: &str) -> Option<String> {
        let mut out: Option<Vec<&str>> = None;
        for line in self.doc.lines() {
            if let Some(title) = line.trim().strip_prefix("## ") {
                if out.is_some() {
                    break;
                }
                if title.trim().eq_ignore_ascii_case(heading) {
                    out = Some(Vec::new());
                }
                continue;
            }
            if let Some(lines) = out.as_mut() {
                lines.push(line);
            }
        }
        out.map(|lines| lines.join("\n").trim().to_string())
    }

    /// The doc comment as Markdown: the one space that `///` leaves at the start of each line
    /// removed.
    pub fn doc_markdown(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// Where the rule's documentation page lives.
    pub fn help_uri(&self) -> String {
        format!("{}/{}.md", crate::RULE_DOCS_BASE, self.code)
    }
}

/// One concrete weakness (or missing item) with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Rule code, `FAMILY-NNN`.
    pub code: String,
    pub axis: Axis,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    /// Path relative to the target root, with `/` separators; absent for findings about absence.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column (in characters), useful for minified one-line bundles.
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    /// A short snippet of the offending code; secrets are redacted.
    pub evidence: Option<String>,
    pub surface: Surface,
    pub cwe: Option<String>,
    /// Stable across runs and unrelated edits: rule code + normalised path + normalised evidence.
    pub fingerprint: String,
    /// How to fix it.
    pub fix: Option<String>,
    pub help_uri: Option<String>,
    /// The MCP tool the finding is about, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Set when an entry of `.skillaudit/exemptions.yml` covers this finding and has not
    /// expired: the finding is still reported, but deducts nothing and does not count against a
    /// gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption: Option<AppliedExemption>,
}

/// The exemption that covers a finding, as written in the exemptions file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedExemption {
    pub justification: String,
    pub exempted_by: String,
    /// Last day the exemption holds (`YYYY-MM-DD`, inclusive).
    pub expires: String,
    /// Commit the exemption was granted at, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Where the entry is: `.skillaudit/exemptions.yml:12`.
    pub source: String,
}

impl Finding {
    /// True when an unexpired exemption covers the finding.
    pub fn is_exempted(&self) -> bool {
        self.exemption.is_some()
    }

    /// A finding counts as critical when it is HIGH on the runtime tool surface.
    pub fn is_critical(&self) -> bool {
        self.severity == Severity::High && self.surface == Surface::Runtime && !self.is_exempted()
    }
}
