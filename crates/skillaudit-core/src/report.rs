//! The JSON report card (SPEC §3): field names as in the seed report card, plus what a consumer
//! needs to trust it (`complete`, what was skipped, which checks did not run).

use crate::model::{Axis, Finding, Severity, Surface};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Version of the report card's JSON shape.
pub const SCHEMA_VERSION: &str = "1";

/// Letter grade. A ≥ 85, B ≥ 65, C ≥ 50, D ≥ 35, F below.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Grade {
    A,
    B,
    C,
    D,
    F,
}

impl Grade {
    pub const ALL: [Grade; 5] = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::F];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        }
    }

    pub fn parse(text: &str) -> Option<Grade> {
        Grade::ALL
            .into_iter()
            .find(|grade| grade.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// True when `self` is at least as good as `floor` (A is best).
    pub fn meets(self, floor: Grade) -> bool {
        self <= floor
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was audited and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetInfo {
    /// `folder`, `archive`, `npm`, `pypi` or `git`.
    pub kind: String,
    /// Package name (registry targets and manifests) or the folder / file name.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Source repository URL, when known (git URL, or the manifest's `repository`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// Git ref asked for.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub git_ref: Option<String>,
    /// Git commit audited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// What the user typed.
    pub spec: String,
    /// Exact URL of a downloaded artifact (tarball, sdist, wheel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_url: Option<String>,
    /// SHA-256 of the downloaded or local archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_sha256: Option<String>,
    /// When the registry says this version was published (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// Time of the last commit when the target is a git checkout (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_commit_at: Option<String>,
    /// The registry's deprecation message for this version (npm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// The registry's yank reason for this release (PyPI); empty when yanked without a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yanked: Option<String>,
}

/// The program that produced the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EngineInfo {
    pub name: String,
    pub version: String,
    /// Version of the scoring methodology (docs/methodology.md); a change is a versioned change.
    pub methodology: String,
}

/// One axis of the report card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AxisScore {
    pub grade: Grade,
    pub score: u32,
    /// Number of findings on this axis (all surfaces, exempted ones excluded).
    pub findings: u32,
}

/// The six axes by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Axes {
    pub security: AxisScore,
    pub credentials: AxisScore,
    pub permissions: AxisScore,
    pub maintenance: AxisScore,
    pub compatibility: AxisScore,
    pub documentation: AxisScore,
}

impl Axes {
    pub fn get(&self, axis: Axis) -> AxisScore {
        match axis {
            Axis::Security => self.security,
            Axis::Credentials => self.credentials,
            Axis::Permissions => self.permissions,
            Axis::Maintenance => self.maintenance,
            Axis::Compatibility => self.compatibility,
            Axis::Documentation => self.documentation,
        }
    }

    pub fn get_mut(&mut self, axis: Axis) -> &mut AxisScore {
        match axis {
            Axis::Security => &mut self.security,
            Axis::Credentials => &mut self.credentials,
            Axis::Permissions => &mut self.permissions,
            Axis::Maintenance => &mut self.maintenance,
            Axis::Compatibility => &mut self.compatibility,
            Axis::Documentation => &mut self.documentation,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Axis, AxisScore)> + '_ {
        Axis::ALL.into_iter().map(|axis| (axis, self.get(axis)))
    }
}

/// A HIGH finding on the runtime surface, as listed at the top of the report card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CriticalFinding {
    pub axis: Axis,
    pub code: String,
    pub severity: Severity,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub message: String,
    pub fingerprint: String,
}

impl From<&Finding> for CriticalFinding {
    fn from(finding: &Finding) -> Self {
        CriticalFinding {
            axis: finding.axis,
            code: finding.code.clone(),
            severity: finding.severity,
            file: finding.file.clone(),
            line: finding.line,
            message: finding.message.clone(),
            fingerprint: finding.fingerprint.clone(),
        }
    }
}

/// Points taken off an axis, traceable to a finding (by fingerprint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Deduction {
    pub axis: Axis,
    /// Points taken off the axis score (0–100 scale), after surface weighting and rule caps.
    pub points: f64,
    pub reason: String,
    /// Fingerprint of the finding behind the deduction.
    pub finding: Option<String>,
}

/// A cap that lowered the overall score (SPEC §4: a real weakness cannot hide in an average).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GradeCap {
    /// The highest overall score the cap allows.
    pub max_score: u32,
    pub reason: String,
}

/// Something that was not analysed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Skipped {
    /// Path relative to the target root (or the archive entry name).
    pub file: String,
    pub reason: String,
    /// Surface of the file when known; a skipped runtime file makes the report incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<Surface>,
}

/// What the code analysis reached, label-free (`scan --stats`; issue-free figures that measure
/// the engine itself, not any rule).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnalysisStats {
    /// Source files the analysis parsed and walked.
    pub files_analysed: u32,
    /// Calls whose arguments or receiver carry input or a parameter of a function on a path from
    /// an entry point.
    pub calls_on_data_paths: u32,
    /// Those calls by how they were resolved: `project` (a function of the package, by what the
    /// callee is), `name-fallback` (the package's methods of that name), `library` (an imported
    /// or built-in API), `builtin` (a method of a string, list, map…), `unresolved`.
    pub calls_by_resolution: BTreeMap<String, u32>,
    /// Unresolved calls by reason.
    pub unresolved_by_reason: BTreeMap<String, u32>,
    /// Share of the calls on data paths left unresolved (0–1).
    pub unresolved_share: f64,
    /// Dangerous-operation call sites (process, file, network, SQL, code, markup, navigation).
    pub sinks: u32,
    /// Sinks whose argument is not a constant.
    pub sinks_non_constant: u32,
    /// Sinks by what became of them: `reached` (input reaches it unguarded), `guarded`,
    /// and, when no input reaches it, why (`no input reaches it`, `its callers pass no input`,
    /// `no resolved call leads to its function`, `analysis budget`); `constant`.
    pub sinks_by_status: BTreeMap<String, u32>,
    /// The first unresolved calls on data paths (`file:line callee — reason`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved_examples: Vec<String>,
    /// The first non-constant sinks in functions no resolved call leads to (`file:line api`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_caller_examples: Vec<String>,
}

/// A check that could not run (for example it needs the network and `--offline` was given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotRun {
    pub check: String,
    pub reason: String,
}

/// Count of files and bytes for one language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LanguageStats {
    pub files: u32,
    pub bytes: u64,
}

/// A tool (or prompt or resource) the server exposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    pub name: String,
    pub description: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// What the tool can do, derived from the code its handler reaches and, where marked
    /// `-by-name`, from its name and description: `reads-files`, `writes-files`,
    /// `deletes-files`, `runs-processes`, `runs-code`, `network-fixed-hosts`,
    /// `network-input-hosts`, `network-configured-hosts`, `reads-credentials`, `database`,
    /// `browser-clipboard-screen`, `sends-messages`, `irreversible-by-name`. Empty when nothing
    /// was seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
    /// Hosts the tool sends requests to that are written in the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Tool annotations the registration declares (`readOnlyHint`, `destructiveHint`,
    /// `idempotentHint`, `openWorldHint`), as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, bool>,
}

/// The MCP SDK the server depends on and the range it declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SdkInfo {
    /// Package name, such as `@modelcontextprotocol/sdk`, `mcp` or `fastmcp`.
    pub name: String,
    /// The declared version range, as written in the manifest.
    pub version: String,
    /// Manifest that declares it.
    pub manifest: String,
}

/// A manifest found in the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ManifestInfo {
    pub file: String,
    /// `package.json`, `pyproject.toml`, `setup.py`, `setup.cfg`, `requirements.txt`, `go.mod`,
    /// `Cargo.toml`, `mcp-bundle` (manifest.json), `server.json` or `skill`.
    pub kind: String,
    /// Package name declared by the manifest, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Set when the manifest could not be parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A way the package is started: a `bin`, `main`, `exports` entry or a console script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntryPoint {
    /// `bin`, `main`, `module`, `exports`, `console_script` or `gui_script`.
    pub kind: String,
    pub name: String,
    /// File path (npm) or `module:function` reference (Python).
    pub target: String,
    /// Manifest that declares it.
    pub manifest: String,
}

/// What the target contains.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Inventory {
    pub languages: BTreeMap<String, LanguageStats>,
    /// Text files read and analysed.
    pub files_scanned: u32,
    /// Bytes of the files analysed.
    pub bytes_scanned: u64,
    /// Files counted per surface.
    pub surfaces: BTreeMap<String, u32>,
    pub tools: Vec<ToolInfo>,
    pub sdk: Option<SdkInfo>,
    pub transports: Vec<String>,
    pub manifests: Vec<ManifestInfo>,
    pub entry_points: Vec<EntryPoint>,
    /// Path of SKILL.md when the target is (or contains) an agent skill.
    pub skill: Option<String>,
    /// Path of an MCP bundle manifest (`manifest.json` of a .mcpb / .dxt).
    pub bundle_manifest: Option<String>,
    /// Path of an MCP registry `server.json`.
    pub server_json: Option<String>,
    /// Folders that hold vendored copies of third-party code (scanned, and noted here).
    pub vendored: Vec<String>,
    /// Binary files: listed, not analysed.
    pub binary_files: Vec<String>,
    /// Files that are not valid UTF-8 (and hold no NUL bytes): decoded with replacement
    /// characters and analysed, so an odd byte cannot hide code.
    pub undecodable_files: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// A known advisory against a dependency or the package itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AdvisoryRef {
    /// Preferred id (GHSA, else PYSEC, else CVE).
    pub id: String,
    /// Every other id of the same vulnerability (CVE, GHSA, PYSEC…), merged from the sources.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub package: String,
    pub version: String,
    /// `npm`, `PyPI` or `Go`.
    #[serde(default)]
    pub ecosystem: String,
    pub severity: Severity,
    /// CVSS base score, when the advisory has a vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Versions that fix it; empty when no fix is known.
    #[serde(default)]
    pub fixed: Vec<String>,
    /// From a direct dependency down to the package (`["express", "body-parser", "qs"]`);
    /// `["<the audited package>"]` for an advisory against the audited version itself.
    #[serde(default)]
    pub path: Vec<String>,
    /// True when the advisory is against the audited package itself.
    #[serde(default)]
    pub audited_package: bool,
}

/// A lockfile (or resolution) the dependency graph was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DependencySource {
    /// Path of the lockfile, or what was resolved.
    pub source: String,
    /// `package-lock.json v3`, `poetry.lock`, `resolved from package.json (npm semantics)`…
    pub format: String,
    pub packages: u32,
    /// Entries that could not be understood.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// Dependency audit summary (SPEC §6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Dependencies {
    /// Direct dependencies declared by the manifests.
    pub direct: u32,
    /// Distinct packages in the resolved graph (0 when nothing was resolved).
    pub total: u32,
    pub advisories: Vec<AdvisoryRef>,
    /// `name@version: message` of deprecated dependencies.
    pub deprecated: Vec<String>,
    /// `name==version: reason` of yanked dependencies.
    pub yanked: Vec<String>,
    /// Where the graph came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<DependencySource>,
    /// The advisory database used: `OSV database (npm 1234, PyPI 567 records), imported …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// The report card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    pub schema_version: String,
    /// `au_` + hash of target identity, content and engine version.
    pub audit_id: String,
    pub target: TargetInfo,
    /// Source repository URL when known (as in the seed report card).
    pub repo: Option<String>,
    pub engine: EngineInfo,
    /// RFC 3339.
    pub scanned_at: String,
    pub duration_ms: u64,
    pub grade: Grade,
    pub score: u32,
    pub axes: Axes,
    /// False when something that should have been analysed was not (a runtime file skipped, a
    /// download failed, an analyser errored). An incomplete report never passes a fail-closed gate.
    pub complete: bool,
    /// Why the report is incomplete, one line each.
    pub incomplete_reasons: Vec<String>,
    pub critical_findings: Vec<CriticalFinding>,
    pub findings: Vec<Finding>,
    pub deductions: Vec<Deduction>,
    pub caps: Vec<GradeCap>,
    pub inventory: Inventory,
    pub dependencies: Dependencies,
    /// Checks that could not run, and why.
    pub not_run: Vec<NotRun>,
    /// Every entry of the exemptions file and what became of it (applied, expired, matched
    /// nothing). Empty when there is no exemptions file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<ExemptionRecord>,
    /// What the code analysis reached (calls resolved, sinks reached and why not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<AnalysisStats>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_url: Option<String>,
}

/// What became of one exemption entry in this audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExemptionState {
    /// Covers at least one finding, which deducts nothing.
    Applied,
    /// Past its `expires` date: it exempts nothing, and a fail-closed gate fails on it.
    Expired,
    /// In force, but no finding of this audit matches it (fixed, or written for another file).
    Unused,
}

/// One entry of `.skillaudit/exemptions.yml` as applied to this audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExemptionRecord {
    /// Where the entry is: `.skillaudit/exemptions.yml:12`.
    pub source: String,
    /// Rule code the entry names (`finding:`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// Fingerprint the entry names, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// File the entry is limited to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub expires: String,
    pub exempted_by: String,
    pub state: ExemptionState,
    /// Number of findings it covers (0 unless applied).
    pub matched: u32,
}

/// The JSON written when one call audits several targets (or one that could not be audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MultiReport {
    pub schema_version: String,
    pub reports: Vec<Report>,
    /// Targets that could not be audited at all.
    pub errors: Vec<TargetError>,
}

/// A target that could not be audited: its report is missing and the call exits 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetError {
    pub target: String,
    pub error: String,
}
