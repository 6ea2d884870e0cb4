//! Dependency rules (SPEC §6): known advisories against the dependency graph and the audited
//! package itself, deprecated and yanked dependencies, and the MCP SDK's range against its
//! published releases. They read the [`audit::DepAudit`] the engine computes before the rules
//! run; without one (a project loaded on its own) they stay silent, and the engine lists what
//! was not checked.

pub mod audit;
pub mod deprecated_dependency;
pub mod missing_runtime_declaration;
pub mod own_advisory;
pub mod repository_provenance;
pub mod sdk_major_range;
pub mod stale_dependency;
pub mod vulnerable_dependency;

use crate::Severity;
use skillaudit_deps::osv::{Advisory, Level, Match};
use skillaudit_deps::LockPackage;

/// Finding severity for an advisory level: critical and high are HIGH, medium MEDIUM, low LOW;
/// an advisory without a usable rating is MEDIUM (unknown is not harmless).
pub fn severity_for(level: Level) -> Severity {
    match level {
        Level::Critical | Level::High => Severity::High,
        Level::Medium | Level::Unknown => Severity::Medium,
        Level::Low => Severity::Low,
    }
}

pub(crate) fn severity_of(advisory: &Advisory) -> Severity {
    severity_for(advisory.severity.level)
}

/// `GHSA-… (CVE-…, PYSEC-…)`.
pub(crate) fn advisory_label(advisory: &Advisory) -> String {
    if advisory.aliases.is_empty() {
        advisory.id.clone()
    } else {
        format!("{} ({})", advisory.id, advisory.aliases.join(", "))
    }
}

/// `fixed in 1.2.3` / `no fixed version known`.
pub(crate) fn fixed_text(matched: &Match) -> String {
    if matched.fixed.is_empty() {
        "no fixed version is known".to_string()
    } else {
        format!("fixed in {}", matched.fixed.join(", "))
    }
}

/// Line of a package's entry in its lockfile: the line that opens its entry in the formats
/// SkillAudit reads (`"node_modules/qs": {`, `qs@6.7.0`, `name = "qs"`, `qs==6.7.0`), else the
/// first line naming it with its version nearby; `None` when not found.
pub(crate) fn lockfile_line(text: &str, package: &LockPackage) -> Option<u32> {
    let name = package.name.as_str();
    let version = package.version.as_str();
    let lines: Vec<&str> = text.lines().collect();
    let near = |index: usize| {
        lines[index..lines.len().min(index + 6)]
            .join("\n")
            .contains(version)
    };
    let openers = [
        format!("node_modules/{name}\""),
        format!("{name}@{version}"),
        format!("name = \"{name}\""),
        format!("{name}=={version}"),
        format!("\"{name}\": {{"),
    ];
    for opener in &openers {
        for (index, line) in lines.iter().enumerate() {
            if line.contains(opener.as_str()) && near(index) {
                return u32::try_from(index + 1).ok();
            }
        }
    }
    lines
        .iter()
        .enumerate()
        .find(|(index, line)| line.contains(name) && near(*index))
        .and_then(|(index, _)| u32::try_from(index + 1).ok())
}
