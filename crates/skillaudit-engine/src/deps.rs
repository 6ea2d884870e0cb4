//! Wiring the dependency audit into an audit: which advisory database, whether registries may
//! be asked, and how the result lands in the report card.
//!
//! - The **advisory database** is the local OSV database (`skillaudit db update` / `db import`)
//!   in the cache (`$SKILLAUDIT_CACHE_DIR/osv`) or the folder `--osv-db` names. Without one,
//!   advisory matching is a check not run, never a pass.
//! - **Registries** (npm packuments, PyPI's JSON API: deprecated, yanked, the SDK's releases,
//!   PyPI's own vulnerability lists) are asked for registry targets, whose download already
//!   needs the network, and for local targets only with `--resolve`: a folder audit stays local
//!   unless asked. `--offline` never asks.

use skillaudit_core::{AdvisoryRef, Dependencies, DependencySource};
use skillaudit_deps::osv::{Database, DbError, Level};
use skillaudit_rules::dependencies::audit::{audit_dependencies, DepAudit, DepSources, Registry};
use skillaudit_rules::dependencies::severity_for;
use skillaudit_rules::Project;
use skillaudit_source::{MetadataClient, TargetSpec};
use std::sync::Arc;

/// Python version PyPI requirements are resolved for (markers, `requires-python`).
pub const DEFAULT_PYTHON: &str = "3.12";

/// The registries, through SkillAudit's HTTP client and metadata cache.
struct SourceRegistry<'a>(&'a MetadataClient);

impl Registry for SourceRegistry<'_> {
    fn npm_packument(&self, name: &str) -> Result<Arc<serde_json::Value>, String> {
        self.0.npm_packument(name).map_err(|e| e.to_string())
    }
    fn pypi_release(&self, name: &str, version: &str) -> Result<Arc<serde_json::Value>, String> {
        self.0
            .pypi_release(name, version)
            .map_err(|e| e.to_string())
    }
    fn pypi_project(&self, name: &str) -> Result<Arc<serde_json::Value>, String> {
        self.0.pypi_project(name).map_err(|e| e.to_string())
    }
    fn npm_attestations(
        &self,
        name: &str,
        version: &str,
    ) -> Result<Arc<serde_json::Value>, String> {
        self.0
            .npm_attestations(name, version)
            .map_err(|e| e.to_string())
    }
}

/// Opens the advisory database; `Err` holds the text of the check not run, and whether the
/// failure makes the report incomplete (a damaged database, as opposed to none at all).
pub fn open_database(dir: &std::path::Path) -> Result<Database, (String, bool)> {
    match Database::open(dir) {
        Ok(db) => Ok(db),
        Err(DbError::Missing { .. }) => Err((
            format!(
                "no local OSV database in {}: run `skillaudit db update` (or `skillaudit db import DIR|ZIP` offline)",
                dir.display()
            ),
            false,
        )),
        Err(error) => Err((format!("the OSV database cannot be read: {error}"), true)),
    }
}

/// Runs the dependency audit for a loaded project and stores it on the project.
pub fn run(
    project: &mut Project,
    spec: &TargetSpec,
    db: Result<&Database, &(String, bool)>,
    client: Option<&MetadataClient>,
    resolve: bool,
) {
    let registry_allowed =
        matches!(spec, TargetSpec::Npm { .. } | TargetSpec::Pypi { .. }) || resolve;
    let registry = client
        .filter(|c| registry_allowed && !c.is_offline())
        .map(SourceRegistry);
    let db_missing = db.err().map(|(text, _)| text.as_str());
    let sources = DepSources {
        db: db.ok(),
        db_missing,
        registry: registry.as_ref().map(|r| r as &dyn Registry),
        resolve: registry.is_some(),
        python: DEFAULT_PYTHON,
    };
    let mut audit = audit_dependencies(project, &sources);
    if let Err((text, true)) = db {
        audit.incomplete.push(text.clone());
    }
    if registry.is_none() && !registry_allowed {
        for entry in &mut audit.not_run {
            if entry.check.starts_with("registry metadata") {
                entry.reason = "a local target is audited without the network: pass --resolve to read deprecated / yanked flags, the SDK's releases and PyPI's vulnerability lists".into();
            }
        }
    }
    project.dep_audit = Some(audit);
}

/// The report card's dependency summary.
pub fn summary(project: &Project) -> Dependencies {
    let direct = u32::try_from(project.dependencies.len()).unwrap_or(u32::MAX);
    match &project.dep_audit {
        Some(audit) => summary_of(audit, direct),
        None => Dependencies {
            direct,
            ..Dependencies::default()
        },
    }
}

/// The line naming the advisory database an audit used.
pub fn database_text(db: &Database) -> String {
    let info = db.info();
    let per: Vec<String> = info
        .records_per_ecosystem
        .iter()
        .map(|(eco, count)| format!("{eco} {count}"))
        .collect();
    format!(
        "OSV database ({} records: {}), imported {} from {}",
        info.records,
        per.join(", "),
        info.imported_at,
        info.source
    )
}

fn summary_of(audit: &DepAudit, direct: u32) -> Dependencies {
    let mut advisories = Vec::new();
    for own in &audit.own {
        advisories.push(AdvisoryRef {
            id: own.advisory.id.clone(),
            aliases: own.advisory.aliases.clone(),
            package: own.name.clone(),
            version: own.version.clone(),
            ecosystem: own.ecosystem.osv_name().to_string(),
            severity: severity_for(own.advisory.severity.level),
            cvss: own.advisory.severity.score,
            summary: own.advisory.summary.clone(),
            fixed: own.matched.fixed.clone(),
            path: vec![own.name.clone()],
            audited_package: true,
        });
    }
    for vuln in &audit.vulnerable {
        advisories.push(AdvisoryRef {
            id: vuln.advisory.id.clone(),
            aliases: vuln.advisory.aliases.clone(),
            package: vuln.package.name.clone(),
            version: vuln.package.version.clone(),
            ecosystem: vuln.package.ecosystem.osv_name().to_string(),
            severity: severity_for(vuln.advisory.severity.level),
            cvss: vuln.advisory.severity.score,
            summary: vuln.advisory.summary.clone(),
            fixed: vuln.matched.fixed.clone(),
            path: vuln.package.path.clone(),
            audited_package: false,
        });
    }
    let mut deprecated = Vec::new();
    let mut yanked = Vec::new();
    for flagged in &audit.flagged {
        let package = &flagged.package;
        if let Some(message) = &flagged.deprecated {
            deprecated.push(format!(
                "{}@{}: {}",
                package.name,
                package.version,
                message.trim()
            ));
        }
        if let Some(reason) = &flagged.yanked {
            yanked.push(format!(
                "{}=={}: {}",
                package.name,
                package.version,
                reason.trim()
            ));
        }
    }
    Dependencies {
        direct,
        total: u32::try_from(audit.packages().count()).unwrap_or(u32::MAX),
        advisories,
        deprecated,
        yanked,
        sources: audit
            .graphs
            .iter()
            .map(|g| DependencySource {
                source: g.source.clone(),
                format: g.format.clone(),
                packages: u32::try_from(g.packages.len()).unwrap_or(u32::MAX),
                problems: g.problems.iter().take(20).cloned().collect(),
            })
            .collect(),
        database: None,
    }
}

/// The CycloneDX SBOM of a report and its dependency audit.
pub fn sbom(report: &skillaudit_core::Report, audit: Option<&DepAudit>) -> String {
    use skillaudit_deps::sbom::{
        cyclonedx_json_with_licenses, Licenses, RootComponent, SbomVulnerability,
    };
    use skillaudit_deps::DepEcosystem;
    let ecosystem = match report.target.kind.as_str() {
        "npm" => Some(DepEcosystem::Npm),
        "pypi" => Some(DepEcosystem::PyPI),
        _ => report
            .inventory
            .manifests
            .iter()
            .find_map(|m| match m.kind.as_str() {
                "package.json" => Some(DepEcosystem::Npm),
                "pyproject.toml" => Some(DepEcosystem::PyPI),
                _ => None,
            }),
    };
    let root = RootComponent {
        ecosystem,
        name: if report.target.name.is_empty() {
            report.target.spec.clone()
        } else {
            report.target.name.clone()
        },
        version: report.target.version.clone(),
        license: None,
        repository: report.repo.clone(),
    };
    let level = |l: Level| match l {
        Level::Critical => "critical",
        Level::High => "high",
        Level::Medium => "medium",
        Level::Low => "low",
        Level::Unknown => "unknown",
    };
    let mut packages = Vec::new();
    let mut vulns = Vec::new();
    let mut licenses = Licenses::new();
    if let Some(audit) = audit {
        for entry in &audit.facts {
            if let Some(license) = &entry.facts.license {
                licenses.insert(
                    (
                        entry.package.ecosystem,
                        entry.package.name.clone(),
                        entry.package.version.clone(),
                    ),
                    license.clone(),
                );
            }
        }
        packages.extend(audit.packages().map(|(p, _)| p.clone()));
        for own in &audit.own {
            vulns.push(SbomVulnerability {
                id: own.advisory.id.clone(),
                aliases: own.advisory.aliases.clone(),
                summary: own.advisory.summary.clone(),
                severity: level(own.advisory.severity.level).into(),
                score: own.advisory.severity.score,
                vector: own.advisory.severity.vector.clone(),
                affects: (own.ecosystem, own.name.clone(), own.version.clone()),
                fixed: own.matched.fixed.clone(),
                source: "OSV".into(),
            });
        }
        for vuln in &audit.vulnerable {
            vulns.push(SbomVulnerability {
                id: vuln.advisory.id.clone(),
                aliases: vuln.advisory.aliases.clone(),
                summary: vuln.advisory.summary.clone(),
                severity: level(vuln.advisory.severity.level).into(),
                score: vuln.advisory.severity.score,
                vector: vuln.advisory.severity.vector.clone(),
                affects: (
                    vuln.package.ecosystem,
                    vuln.package.name.clone(),
                    vuln.package.version.clone(),
                ),
                fixed: vuln.matched.fixed.clone(),
                source: "OSV".into(),
            });
        }
    }
    cyclonedx_json_with_licenses(
        &root,
        &packages,
        &vulns,
        &licenses,
        skillaudit_core::ENGINE_VERSION,
        &report.scanned_at,
    )
}
