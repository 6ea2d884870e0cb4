//! SkillAudit's rules and the project model they read.
//!
//! A rule is one file under `src/<axis>/`, declared with [`declare_rule!`] so that its doc comment
//! *is* its documentation (`skillaudit explain CODE`, docs/rules/CODE.md, SARIF help), and
//! registered with one line in [`registry`]. Rules return data ([`Draft`]s); the engine turns them
//! into findings with surface, fingerprint and help link, and scores them.

pub mod behaviour;
pub mod client_config;
pub mod credentials;
pub mod dependencies;
pub mod docs;
pub mod documentation;
pub mod flow;
pub mod injection;
pub mod maintenance;
pub mod permissions;
pub mod project;
pub mod registry;
pub mod security;
pub mod skills;

pub use project::{Dependency, DependencyKind, Ecosystem, Language, Project, ProjectFile};
pub use skillaudit_core::{Axis, Confidence, RuleMeta, Severity};

use skillaudit_core::fingerprint::fingerprint;
use skillaudit_core::{Finding, NotRun, Surface};

/// Declares a rule: a unit struct whose doc comment becomes [`RuleMeta::doc`].
///
/// The doc comment must have the sections `## What it finds`, `## Why it matters`,
/// `## Vulnerable example`, `## Fixed example` and `## References` (a meta-test checks them).
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            axis: $axis:ident,
            severity: $severity:ident,
            cwe: $cwe:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            /// This rule's metadata and documentation.
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $kebab,
                axis: $crate::Axis::$axis,
                severity: $crate::Severity::$severity,
                cwe: $cwe,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// A check over a loaded project.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Look at the project and report what is wrong. Must not panic and must not do I/O: all
    /// it needs is in the [`Project`].
    fn check(&self, project: &Project, out: &mut Findings);
}

/// What a rule reports: the parts of a finding only the rule knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub message: String,
    /// Path relative to the project root; `None` for findings about something absent.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    /// Short snippet; must already be redacted if it may hold a secret.
    pub evidence: Option<String>,
    pub fix: Option<String>,
    /// Overrides the rule's default severity (a partial guard lowers it).
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    /// Identity for the fingerprint when there is no evidence (what is absent).
    pub key: Option<String>,
    pub tool: Option<String>,
    /// Overrides the surface taken from the file's path: a finding *about* a document (the
    /// README lacks a section) concerns the package, not documentation code.
    pub surface: Option<Surface>,
}

impl Draft {
    pub fn new(message: impl Into<String>) -> Self {
        Draft {
            message: message.into(),
            ..Draft::default()
        }
    }

    pub fn at(mut self, file: &str, line: Option<u32>) -> Self {
        self.file = Some(file.to_string());
        self.line = line;
        self
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Mark the finding as being about the package as a whole (it deducts in full).
    pub fn about_package(mut self) -> Self {
        self.surface = Some(Surface::Package);
        self
    }
}

/// Collects what rules report and turns it into [`Finding`]s.
pub struct Findings<'p> {
    project: &'p Project,
    meta: &'static RuleMeta,
    found: Vec<Finding>,
    not_run: Vec<NotRun>,
}

impl<'p> Findings<'p> {
    pub fn new(project: &'p Project, meta: &'static RuleMeta) -> Self {
        Findings {
            project,
            meta,
            found: Vec::new(),
            not_run: Vec::new(),
        }
    }

    /// Record that the rule could not decide for this target, and why (listed in the report's
    /// `not_run`, so an absent finding never reads as a pass it was not).
    pub fn not_run(&mut self, reason: impl Into<String>) {
        self.not_run.push(NotRun {
            check: format!("{} {}", self.meta.code, self.meta.name),
            reason: reason.into(),
        });
    }

    /// Report one finding of the current rule.
    pub fn report(&mut self, draft: Draft) {
        let meta = self.meta;
        let surface = match (draft.surface, &draft.file) {
            (Some(surface), _) => surface,
            (None, Some(path)) => self
                .project
                .file(path)
                .map(|f| f.surface)
                .unwrap_or_else(|| skillaudit_core::surface::classify_path(path)),
            (None, None) => Surface::Package,
        };
        let key = draft
            .evidence
            .clone()
            .or_else(|| draft.key.clone())
            .unwrap_or_else(|| draft.message.clone());
        let fingerprint = fingerprint(meta.code, draft.file.as_deref(), &key);
        self.found.push(Finding {
            code: meta.code.to_string(),
            axis: meta.axis,
            severity: draft.severity.unwrap_or(meta.severity),
            confidence: draft.confidence.unwrap_or(Confidence::High),
            message: draft.message,
            file: draft.file,
            line: draft.line,
            column: draft.column,
            end_line: draft.end_line,
            evidence: draft.evidence,
            surface,
            cwe: meta.cwe.map(str::to_string),
            fingerprint,
            fix: draft.fix,
            help_uri: Some(meta.help_uri()),
            tool: draft.tool,
            exemption: None,
        });
    }

    pub fn into_output(self) -> RuleOutput {
        RuleOutput {
            findings: self.found,
            not_run: self.not_run,
        }
    }
}

/// What running rules produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOutput {
    pub findings: Vec<Finding>,
    pub not_run: Vec<NotRun>,
}

impl RuleOutput {
    fn extend(&mut self, other: RuleOutput) {
        self.findings.extend(other.findings);
        self.not_run.extend(other.not_run);
    }
}

/// Run every registered rule over the project. A `tools/list` file (target kind `tool-list`)
/// is metadata, not a package: only the rules that read tool metadata run on it, and the others
/// are listed as not run.
pub fn run_all(project: &Project) -> RuleOutput {
    let mut all = RuleOutput::default();
    let metadata_only = project.target.kind == "tool-list";
    // Client configurations are judged by the CFG rules alone (and only they read them).
    let config_only = project.target.kind == client_config::TARGET_KIND;
    let mut skipped = 0;
    for rule in registry::RULES {
        if metadata_only && !rule.meta().code.starts_with("INJ-") {
            skipped += 1;
            continue;
        }
        if config_only != client_config::is_config_rule(rule.meta().code) {
            continue;
        }
        all.extend(run_rule(*rule, project));
    }
    permissions::amplify(&mut all.findings);
    merge_copies(&mut all.findings);
    merge_same_line_techniques(&mut all.findings);
    if skipped > 0 {
        all.not_run.push(skillaudit_core::NotRun {
            check: format!("{skipped} rules on code, packaging and documentation"),
            reason: "the target is a tools/list file: only its tool metadata is audited".into(),
        });
    }
    all
}

/// One finding per weakness across copies of the same code: the ESM and CommonJS builds, the
/// TypeScript source beside its compiled output, a stale copy of the package shipped inside
/// it. Findings of one rule with the same message and the same evidence in files of the same
/// name are one finding, kept at the compiled, least nested copy, naming where the others are.
fn merge_copies(findings: &mut Vec<Finding>) {
    use std::collections::HashMap;
    let rank = |path: &str| {
        let source = [".ts", ".tsx", ".mts", ".cts"]
            .iter()
            .any(|e| path.ends_with(e));
        (source, path.matches('/').count(), path.to_string())
    };
    // The file's name without its extension: copies keep it (`dist/server.js`,
    // `src/server.ts`, `temp-package/package/dist/server.js`, `index.mjs` and `index.cjs`);
    // a bundle of many modules or another script with the same lines is another file.
    let stem = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.split('.').next().unwrap_or(name).to_string()
    };
    let mut groups: HashMap<(String, String, String, String), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let (Some(file), Some(evidence)) = (&f.file, &f.evidence) {
            if evidence.trim().len() >= 12 {
                groups
                    .entry((
                        f.code.clone(),
                        f.message.clone(),
                        evidence.trim().to_string(),
                        stem(file),
                    ))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut drop: Vec<usize> = Vec::new();
    for (_, mut members) in groups {
        let files: std::collections::BTreeSet<&str> = members
            .iter()
            .filter_map(|i| findings[*i].file.as_deref())
            .collect();
        if files.len() < 2 {
            continue;
        }
        members.sort_by_key(|i| rank(findings[*i].file.as_deref().unwrap_or_default()));
        let others: Vec<String> = members[1..]
            .iter()
            .map(|i| {
                let f = &findings[*i];
                match f.line {
                    Some(l) => format!("{}:{l}", f.file.as_deref().unwrap_or_default()),
                    None => f.file.clone().unwrap_or_default(),
                }
            })
            .collect();
        let shown: Vec<&str> = others.iter().take(3).map(String::as_str).collect();
        let more = if others.len() > 3 {
            format!(" and {} more", others.len() - 3)
        } else {
            String::new()
        };
        let keep = members[0];
        findings[keep].message = format!(
            "{} (the same code is also at {}{more})",
            findings[keep].message,
            shown.join(", ")
        );
        drop.extend(members[1..].iter().copied());
    }
    let drop: std::collections::HashSet<usize> = drop.into_iter().collect();
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
}

/// Rules that name a technique (the skill rules' text patterns, the behaviour rules over the
/// shared analysis) may both see one line of a skill: `curl … | sh` is SKILL-003 and MAL-015,
/// a code block's `eval(atob(…))` SKILL-003 and MAL-005. One line, one finding: the most
/// severe is kept (the analysis's over a text pattern when equal), naming what the others
/// said.
fn merge_same_line_techniques(findings: &mut Vec<Finding>) {
    use std::collections::BTreeMap;
    let technique = |code: &str| {
        matches!(
            code,
            "SKILL-003" | "SKILL-004" | "SKILL-005" | "SKILL-006" | "SKILL-009"
        ) || code.starts_with("MAL-")
    };
    let mut groups: BTreeMap<(String, u32), Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let (Some(file), Some(line), true) = (&f.file, f.line, technique(&f.code)) {
            groups.entry((file.clone(), line)).or_default().push(i);
        }
    }
    let mut drop = std::collections::HashSet::new();
    for (_, mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        // Most severe first; then the analysis's rules, then the text patterns.
        members.sort_by_key(|i| {
            let f = &findings[*i];
            let pattern = f.code.starts_with("SKILL-") || f.code == "MAL-015";
            (f.severity, pattern, f.code.clone())
        });
        let keep = members[0];
        let mut others: Vec<String> = Vec::new();
        for i in &members[1..] {
            let f = &findings[*i];
            if f.code != findings[keep].code {
                let said = format!("{}: {}", f.code, f.message);
                if !others.contains(&said) {
                    others.push(said);
                }
            }
            drop.insert(*i);
        }
        if !others.is_empty() {
            let shown: Vec<&str> = others.iter().take(2).map(String::as_str).collect();
            findings[keep].message = format!(
                "{} (the same line, also: {})",
                findings[keep].message,
                shown.join("; ")
            );
        }
    }
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
}

/// Run one rule over the project.
pub fn run_rule(rule: &dyn Rule, project: &Project) -> RuleOutput {
    let mut out = Findings::new(project, rule.meta());
    rule.check(project, &mut out);
    out.into_output()
}
