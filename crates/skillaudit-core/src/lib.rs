//! SkillAudit's core: the result model (findings, report card), surface classification,
//! fingerprints, redaction, and scoring as pure functions. No I/O happens in this crate.

pub mod fingerprint;
pub mod model;
pub mod redact;
pub mod repo_url;
pub mod report;
pub mod schema;
pub mod scoring;
pub mod surface;

pub use model::{AppliedExemption, Axis, Confidence, Finding, RuleMeta, Severity, Surface};
pub use report::{
    AdvisoryRef, AnalysisStats, Axes, AxisScore, CriticalFinding, Deduction, Dependencies,
    DependencySource, EngineInfo, EntryPoint, ExemptionRecord, ExemptionState, Grade, GradeCap,
    Inventory, LanguageStats, ManifestInfo, MultiReport, NotRun, Report, SdkInfo, Skipped,
    TargetError, TargetInfo, ToolInfo,
};

/// Where rule documentation pages are published (the generated docs/rules/CODE.md files).
pub const RULE_DOCS_BASE: &str = "https://github.com/skillaudit/skillaudit/blob/main/docs/rules";

/// This engine's version.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
