//! The dependency audit of a project (SPEC §6): the dependency graph from lockfiles (or from a
//! resolution of the manifests), the advisories that match each exact version and the audited
//! package itself, and what the registries say (deprecated, yanked, the SDK's releases).
//!
//! The result, [`DepAudit`], is computed once by the engine before the rules run and stored on
//! the project; the DEP and COMPAT rules only read it. What could not be checked is never silent:
//! a check that did not run is a `not_run` entry, a lookup that was attempted and failed (an
//! unreadable lockfile, a broken database, a registry error) makes the report incomplete.

use crate::project::{Ecosystem, Project};
use serde_json::Value;
use skillaudit_core::{NotRun, Skipped, Surface};
use skillaudit_deps::lockfile::{self, LockFormat};
use skillaudit_deps::osv::{match_advisories, Advisory, Database, DbError, Match, OsvRecord};
use skillaudit_deps::{DepEcosystem, DependencyGraph, LockPackage};
use std::collections::{BTreeMap, BTreeSet};

/// Registry metadata, as the engine fetches it (over SkillAudit's HTTP client, cached) and as
/// tests replay it: the resolver's trait, so one implementation serves both.
pub use skillaudit_deps::resolve::Registry;

/// What the dependency audit may use.
#[derive(Clone, Copy)]
pub struct DepSources<'a> {
    /// The local OSV database, when there is one.
    pub db: Option<&'a Database>,
    /// Why there is no database (shown as a check not run).
    pub db_missing: Option<&'a str>,
    /// Registry metadata (absent offline, or in tests without it).
    pub registry: Option<&'a dyn Registry>,
    /// Resolve manifests that no lockfile pins, from the registry's metadata.
    pub resolve: bool,
    /// Python version markers are evaluated for when resolving PyPI requirements.
    pub python: &'a str,
}

/// A dependency with a known advisory.
#[derive(Debug, Clone, PartialEq)]
pub struct VulnerableDependency {
    pub package: LockPackage,
    /// Lockfile (or resolution) the package comes from.
    pub source: String,
    pub advisory: Advisory,
    pub matched: Match,
}

/// An advisory against the audited package's own version.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnAdvisory {
    pub ecosystem: DepEcosystem,
    pub name: String,
    pub version: String,
    pub advisory: Advisory,
    pub matched: Match,
}

/// A dependency its registry marks deprecated (npm) or yanked (PyPI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedDependency {
    pub package: LockPackage,
    pub source: String,
    pub deprecated: Option<String>,
    pub yanked: Option<String>,
}

/// What the registry says about the MCP SDK the server depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkStatus {
    pub ecosystem: DepEcosystem,
    pub name: String,
    /// Range as declared.
    pub range: String,
    pub manifest: String,
    pub line: Option<u32>,
    /// Newest release (not a pre-release, not yanked or deprecated).
    pub latest: Option<String>,
    /// Major versions of published releases the declared range admits, ascending.
    pub majors_admitted: Vec<u64>,
}

/// How what a package says about its origin compares with what was observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepositoryOutcome {
    /// The observation agrees with the declared repository.
    Matches,
    /// The observation names another repository.
    Mismatch,
    /// A published npm version without a provenance attestation: nothing ties it to the
    /// repository it names.
    NoProvenance,
}

/// One comparison of the declared repository with an observation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryCheck {
    /// `git checkout`, `registry metadata` or `npm provenance`.
    pub observed_by: &'static str,
    /// What the package's manifest declares (normalised).
    pub declared: Option<String>,
    /// What was observed (normalised).
    pub observed: Option<String>,
    pub outcome: RepositoryOutcome,
}

/// The dependency audit of one project.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DepAudit {
    pub graphs: Vec<DependencyGraph>,
    pub vulnerable: Vec<VulnerableDependency>,
    pub own: Vec<OwnAdvisory>,
    pub flagged: Vec<FlaggedDependency>,
    pub sdk: Option<SdkStatus>,
    /// Advisories that could not be evaluated against a version (not a valid version).
    pub unevaluated: Vec<String>,
    pub not_run: Vec<NotRun>,
    /// Why the dependency audit is incomplete.
    pub incomplete: Vec<String>,
    /// Lockfiles that could not be read.
    pub skipped: Vec<Skipped>,
    /// What the registries say about each dependency that was looked up (licence, publish
    /// times), direct dependencies first.
    pub facts: Vec<DependencyFacts>,
    /// The declared source repository against the git remote, the registry's metadata and npm
    /// provenance.
    pub repository_checks: Vec<RepositoryCheck>,
    /// The lockfiles written from resolutions (`package-lock.json`, `requirements.txt`) and
    /// their text: the `--lockfile-out` artifact.
    pub resolved_lockfiles: Vec<(String, String)>,
}

impl DepAudit {
    /// Distinct packages over every graph.
    pub fn packages(&self) -> impl Iterator<Item = (&LockPackage, &str)> {
        let mut seen = BTreeSet::new();
        self.graphs
            .iter()
            .flat_map(|g| g.packages.iter().map(move |p| (p, g.source.as_str())))
            .filter(move |(p, _)| seen.insert((p.ecosystem, p.name.clone(), p.version.clone())))
    }
}

fn to_dep_ecosystem(eco: Ecosystem) -> Option<DepEcosystem> {
    match eco {
        Ecosystem::Npm => Some(DepEcosystem::Npm),
        Ecosystem::PyPI => Some(DepEcosystem::PyPI),
        Ecosystem::Go => Some(DepEcosystem::Go),
        Ecosystem::Cargo => None,
    }
}

/// Most registry lookups per audit for deprecated / yanked flags (direct dependencies first).
const MAX_REGISTRY_LOOKUPS: usize = 150;

/// Reads the lockfiles of the project into graphs.
fn read_lockfiles(project: &Project, audit: &mut DepAudit) {
    for file in &project.files {
        if !matches!(
            file.surface,
            Surface::Runtime | Surface::Package | Surface::Script
        ) {
            continue;
        }
        let Some(format) = lockfile::format_of(file.name()) else {
            continue;
        };
        let Some(text) = file.text.as_deref() else {
            if format == LockFormat::BunLockb {
                audit.skipped.push(Skipped {
                    file: file.path.clone(),
                    reason: "binary bun.lockb is not read: commit the text bun.lock".into(),
                    surface: Some(Surface::Package),
                });
            }
            continue;
        };
        let dir = file.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let sibling = format.sibling_manifest().and_then(|name| {
            let path = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            project.file(&path).and_then(|f| f.text.as_deref())
        });
        match lockfile::parse(format, &file.path, text, sibling) {
            Ok(graph) => audit.graphs.push(graph),
            Err(error) => {
                audit.skipped.push(Skipped {
                    file: file.path.clone(),
                    reason: format!("lockfile not read: {error}"),
                    surface: Some(Surface::Package),
                });
            }
        }
    }
}

/// Advisories reported by PyPI's JSON API for one release, as OSV records (so they merge with
/// the database's by alias).
fn pypi_records(release: &Value, name: &str, version: &str) -> Vec<OsvRecord> {
    let Some(list) = release.get("vulnerabilities").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut records = Vec::new();
    for vuln in list {
        let Some(id) = vuln.get("id").and_then(Value::as_str) else {
            continue;
        };
        let aliases: Vec<Value> = vuln
            .get("aliases")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let fixed: Vec<Value> = vuln
            .get("fixed_in")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut record = serde_json::json!({
            "id": id,
            "aliases": aliases,
            "summary": vuln.get("summary").cloned().unwrap_or(Value::Null),
            "details": vuln.get("details").cloned().unwrap_or(Value::Null),
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": name},
                "versions": [version],
                "database_specific": {"fixed_in": fixed},
            }],
        });
        if let Some(withdrawn) = vuln.get("withdrawn").filter(|w| !w.is_null()) {
            record["withdrawn"] = withdrawn.clone();
        }
        if let Ok(parsed) = serde_json::from_value::<OsvRecord>(record) {
            records.push(parsed);
        }
    }
    records
}

/// The check PyPI's own vulnerability lists are reported under when a release document was
/// built without them.
pub const PYPI_VULNERABILITY_LIST: &str = "PyPI vulnerability lists";

/// A release document built without the per-release JSON (the `skillaudit` member the metadata
/// client adds) may not know the release's vulnerabilities. With an OSV database, which PyPI's
/// lists are drawn from, that is a check not run; without one, nothing checked the release and
/// the audit is incomplete. The entry names where the metadata came from.
fn note_pypi_gap(release: &Value, has_db: bool, name: &str, version: &str, audit: &mut DepAudit) {
    let Some(derived) = release.get("skillaudit") else {
        return;
    };
    let unknown_vulnerabilities = derived
        .get("unknown")
        .and_then(Value::as_array)
        .is_some_and(|u| u.iter().any(|v| v.as_str() == Some("vulnerabilities")));
    if !unknown_vulnerabilities {
        return;
    }
    let source = derived
        .get("metadata_source")
        .and_then(Value::as_str)
        .unwrap_or("another source");
    let item = format!("{name} {version} ({source})");
    if !has_db {
        const PREFIX: &str = "PyPI vulnerability lists unknown (the index has no per-release JSON and there is no OSV database) for: ";
        match audit.incomplete.iter_mut().find(|l| l.starts_with(PREFIX)) {
            Some(line) => append_item(line, &item),
            None => audit.incomplete.push(format!("{PREFIX}{item}")),
        }
        return;
    }
    const PREFIX: &str =
        "the index has no per-release JSON; advisories come from the OSV database alone for: ";
    match audit
        .not_run
        .iter_mut()
        .find(|n| n.check == PYPI_VULNERABILITY_LIST)
    {
        Some(entry) => append_item(&mut entry.reason, &item),
        None => audit.not_run.push(NotRun {
            check: PYPI_VULNERABILITY_LIST.into(),
            reason: format!("{PREFIX}{item}"),
        }),
    }
}

/// Adds `item` to a `; `-separated list once, naming at most 20 and counting the rest.
fn append_item(line: &mut String, item: &str) {
    if line.contains(item) {
        return;
    }
    let listed = line.matches("; ").count() + 1;
    if listed < 20 {
        line.push_str("; ");
        line.push_str(item);
    } else if let Some(start) = line.rfind(" and ").filter(|_| line.ends_with(" more")) {
        let more: usize = line[start + 5..line.len() - 5].parse().unwrap_or(0);
        line.truncate(start);
        line.push_str(&format!(" and {} more", more + 1));
    } else {
        line.push_str(" and 1 more");
    }
}

fn fixed_in_from_pypi(matched: &mut Match, advisory: &Advisory) {
    if !matched.fixed.is_empty() {
        return;
    }
    for record in &advisory.records {
        for affected in &record.affected {
            if let Some(list) = affected
                .database_specific
                .as_ref()
                .and_then(|d| d.get("fixed_in"))
                .and_then(Value::as_array)
            {
                for fixed in list.iter().filter_map(Value::as_str) {
                    if !matched.fixed.iter().any(|f| f == fixed) {
                        matched.fixed.push(fixed.to_string());
                    }
                }
            }
        }
    }
}

/// Advisories for one exact version: the database's records plus, for PyPI, the JSON API's.
fn advisories(
    sources: &DepSources,
    eco: DepEcosystem,
    name: &str,
    version: &str,
    audit: &mut DepAudit,
) -> Vec<(Advisory, Match)> {
    let mut records = Vec::new();
    if let Some(db) = sources.db {
        match db.lookup(eco, name) {
            Ok(found) => records.extend(found),
            Err(DbError::Missing { .. }) => {}
            Err(error) => {
                let reason = format!("advisory lookup for {name} failed: {error}");
                if !audit.incomplete.contains(&reason) {
                    audit.incomplete.push(reason);
                }
            }
        }
    }
    if eco == DepEcosystem::PyPI {
        if let Some(registry) = sources.registry {
            match registry.pypi_release(name, version) {
                Ok(release) => {
                    records.extend(pypi_records(&release, name, version));
                    note_pypi_gap(&release, sources.db.is_some(), name, version, audit);
                }
                Err(error) => {
                    let fallback = if sources.db.is_some() {
                        "advisories come from the OSV database alone"
                    } else {
                        "and there is no OSV database, so its advisories are unchecked"
                    };
                    audit.incomplete.push(format!(
                        "PyPI metadata of {name} {version} could not be read ({error}): {fallback}"
                    ));
                }
            }
        }
    }
    if records.is_empty() {
        return Vec::new();
    }
    let result = match_advisories(records, eco, name, version);
    for (advisory, error) in &result.unevaluated {
        audit
            .unevaluated
            .push(format!("{} against {name} {version}: {error}", advisory.id));
    }
    result
        .affecting
        .into_iter()
        .map(|(advisory, mut matched)| {
            fixed_in_from_pypi(&mut matched, &advisory);
            (advisory, matched)
        })
        .collect()
}

/// What a registry says about one dependency version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFacts {
    /// npm's deprecation message of this version.
    pub deprecated: Option<String>,
    /// PyPI's yank reason when every file of this release is yanked (empty: no reason).
    pub yanked: Option<String>,
    /// Licence the registry lists for this version (npm `license`, PyPI `info.license` or the
    /// licence classifier).
    pub license: Option<String>,
    /// When this version was published (RFC 3339).
    pub published_at: Option<String>,
    /// When the newest release of the package was published (RFC 3339).
    pub latest_release_at: Option<String>,
    /// The newest release.
    pub latest: Option<String>,
}

/// A dependency and what its registry says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyFacts {
    pub package: LockPackage,
    pub source: String,
    pub facts: RegistryFacts,
}

fn license_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(map) => map
            .get("type")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string()),
        _ => None,
    }
}

/// Registry facts of one version: deprecation (npm), yank (PyPI), licence, publish times.
fn registry_facts(registry: &dyn Registry, package: &LockPackage) -> Result<RegistryFacts, String> {
    match package.ecosystem {
        DepEcosystem::Npm => {
            let doc = registry.npm_packument(&package.name)?;
            let version = doc.get("versions").and_then(|v| v.get(&package.version));
            let latest = doc
                .pointer("/dist-tags/latest")
                .and_then(Value::as_str)
                .map(str::to_string);
            let time = |v: &str| {
                doc.get("time")
                    .and_then(|t| t.get(v))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            Ok(RegistryFacts {
                deprecated: version
                    .and_then(|v| v.get("deprecated"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                yanked: None,
                license: license_text(version.and_then(|v| v.get("license"))),
                published_at: time(&package.version),
                latest_release_at: latest.as_deref().and_then(time),
                latest,
            })
        }
        DepEcosystem::PyPI => {
            let doc = registry.pypi_project(&package.name)?;
            let files = doc
                .get("releases")
                .and_then(|r| r.get(&package.version))
                .and_then(Value::as_array);
            let yanked = files.and_then(|files| {
                let all_yanked = !files.is_empty()
                    && files
                        .iter()
                        .all(|f| f.get("yanked").and_then(Value::as_bool) == Some(true));
                all_yanked.then(|| {
                    files
                        .iter()
                        .find_map(|f| f.get("yanked_reason").and_then(Value::as_str))
                        .unwrap_or("")
                        .to_string()
                })
            });
            let first_upload = |files: Option<&Vec<Value>>| {
                files
                    .into_iter()
                    .flatten()
                    .filter_map(|f| {
                        f.get("upload_time_iso_8601")
                            .or_else(|| f.get("upload_time"))
                            .and_then(Value::as_str)
                    })
                    .min()
                    .map(str::to_string)
            };
            let latest = doc
                .pointer("/info/version")
                .and_then(Value::as_str)
                .map(str::to_string);
            let latest_files = latest
                .as_deref()
                .and_then(|v| doc.get("releases").and_then(|r| r.get(v)))
                .and_then(Value::as_array);
            let license = license_text(doc.pointer("/info/license_expression"))
                .or_else(|| license_text(doc.pointer("/info/license")).filter(|l| l.len() <= 80))
                .or_else(|| {
                    doc.pointer("/info/classifiers")
                        .and_then(Value::as_array)
                        .and_then(|c| {
                            c.iter().filter_map(Value::as_str).find_map(|c| {
                                c.strip_prefix("License :: OSI Approved :: ")
                                    .or_else(|| c.strip_prefix("License :: "))
                                    .map(str::to_string)
                            })
                        })
                });
            Ok(RegistryFacts {
                deprecated: None,
                yanked,
                license,
                published_at: first_upload(files),
                latest_release_at: first_upload(latest_files),
                latest,
            })
        }
        DepEcosystem::Go => Ok(RegistryFacts::default()),
    }
}

/// The registry's view of the SDK: newest release and the majors the declared range admits.
fn sdk_status(project: &Project, registry: &dyn Registry) -> Option<Result<SdkStatus, String>> {
    let sdk = project.inventory.sdk.as_ref()?;
    let dep = project
        .dependencies
        .iter()
        .find(|d| d.name == sdk.name && d.manifest == sdk.manifest)?;
    let eco = to_dep_ecosystem(dep.ecosystem)?;
    let versions: Vec<String> = match eco {
        DepEcosystem::Npm => match registry.npm_packument(&dep.name) {
            Ok(doc) => doc
                .get("versions")
                .and_then(Value::as_object)
                .map(|versions| {
                    versions
                        .iter()
                        .filter(|(_, v)| v.get("deprecated").is_none())
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default(),
            Err(error) => return Some(Err(error)),
        },
        DepEcosystem::PyPI => match registry.pypi_project(&dep.name) {
            Ok(doc) => doc
                .get("releases")
                .and_then(Value::as_object)
                .map(|releases| {
                    releases
                        .iter()
                        .filter(|(_, files)| {
                            files.as_array().is_some_and(|files| {
                                !files.is_empty()
                                    && !files.iter().all(|f| {
                                        f.get("yanked").and_then(Value::as_bool) == Some(true)
                                    })
                            })
                        })
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default(),
            Err(error) => return Some(Err(error)),
        },
        DepEcosystem::Go => return None,
    };
    let stable: Vec<&String> = versions
        .iter()
        .filter(|v| skillaudit_deps::version::is_prerelease(eco, v) == Some(false))
        .collect();
    let latest = stable
        .iter()
        .copied()
        .max_by(|a, b| {
            skillaudit_deps::version::compare(eco, a, b).unwrap_or(std::cmp::Ordering::Equal)
        })
        .cloned();
    let range = dep.spec.trim();
    let mut majors = BTreeSet::new();
    for version in &stable {
        let admitted = match eco {
            DepEcosystem::Npm => {
                let range = if range.is_empty() { "*" } else { range };
                skillaudit_deps::version::npm_range_satisfied(range, version).unwrap_or(false)
            }
            DepEcosystem::PyPI => {
                range.is_empty()
                    || skillaudit_deps::version::pep440_specifier_satisfied(range, version, false)
                        .unwrap_or(false)
            }
            DepEcosystem::Go => false,
        };
        if admitted {
            if let Some(major) = skillaudit_deps::version::major(eco, version) {
                majors.insert(major);
            }
        }
    }
    Some(Ok(SdkStatus {
        ecosystem: eco,
        name: dep.name.clone(),
        range: dep.spec.clone(),
        manifest: dep.manifest.clone(),
        line: dep.line,
        latest,
        majors_admitted: majors.into_iter().collect(),
    }))
}

/// The audited package's own identity: registry targets, else the root manifest's name and
/// version, else (a pyproject.toml that declares its version `dynamic`, a setup.py) the core
/// metadata an sdist or wheel carries (`PKG-INFO`, `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`).
fn own_identity(project: &Project) -> Option<(DepEcosystem, String, String)> {
    let target = &project.target;
    let eco = match target.kind.as_str() {
        "npm" => Some(DepEcosystem::Npm),
        "pypi" => Some(DepEcosystem::PyPI),
        _ => None,
    };
    if let (Some(eco), Some(version)) = (eco, target.version.clone()) {
        return Some((eco, target.name.clone(), version));
    }
    let root_manifest = |kind: &str| {
        project
            .inventory
            .manifests
            .iter()
            .find(|m| !m.file.contains('/') && m.kind == kind)
    };
    if let Some(m) = root_manifest("package.json") {
        if let (Some(name), Some(version)) = (m.name.clone(), m.version.clone()) {
            return Some((DepEcosystem::Npm, name, version));
        }
    }
    if let Some(m) = root_manifest("pyproject.toml") {
        if let (Some(name), Some(version)) = (m.name.clone(), m.version.clone()) {
            return Some((DepEcosystem::PyPI, name, version));
        }
    }
    core_metadata(project).map(|(name, version)| (DepEcosystem::PyPI, name, version))
}

/// True when the target looks like a package of its own (a root manifest), so an unknown
/// identity means its own advisories could not be checked.
fn is_package(project: &Project) -> bool {
    project.inventory.manifests.iter().any(|m| {
        !m.file.contains('/')
            && matches!(
                m.kind.as_str(),
                "package.json" | "pyproject.toml" | "setup.py" | "setup.cfg"
            )
    })
}

/// Name and version from Python core metadata (`Name:` / `Version:` headers) at the root of an
/// sdist (`PKG-INFO`), in a wheel's `*.dist-info/METADATA` or in an `*.egg-info/PKG-INFO`.
fn core_metadata(project: &Project) -> Option<(String, String)> {
    let candidate = |path: &str| {
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["PKG-INFO"] => Some(0),
            [dir, "METADATA"] if dir.ends_with(".dist-info") => Some(1),
            [dir, "PKG-INFO"] if dir.ends_with(".egg-info") => Some(2),
            [_, dir, "PKG-INFO"] if dir.ends_with(".egg-info") => Some(3),
            _ => None,
        }
    };
    let mut files: Vec<(u8, &crate::ProjectFile)> = project
        .files
        .iter()
        .filter_map(|f| candidate(&f.path).map(|rank| (rank, f)))
        .collect();
    files.sort_by_key(|(rank, f)| (*rank, f.path.clone()));
    files.into_iter().find_map(|(_, f)| {
        let text = f.text.as_deref()?;
        let mut name = None;
        let mut version = None;
        // The headers end at the first blank line; the description follows.
        for line in text.lines().take(400) {
            if line.trim().is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Name:") {
                name.get_or_insert_with(|| v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("Version:") {
                version.get_or_insert_with(|| v.trim().to_string());
            }
        }
        match (name, version) {
            (Some(n), Some(v)) if !n.is_empty() && !v.is_empty() => Some((n, v)),
            _ => None,
        }
    })
}

/// Resolves the root manifests of ecosystems no lockfile covers (npm semantics for
/// package.json, PEP 440/508 for Python requirements), adding their graphs to the audit.
fn resolve_uncovered(
    project: &Project,
    registry: &dyn Registry,
    python: &str,
    covered: &BTreeSet<DepEcosystem>,
    uncovered: &mut BTreeMap<String, usize>,
    audit: &mut DepAudit,
) {
    use skillaudit_deps::resolve::{
        resolve_npm, resolve_pypi, to_package_lock, to_requirements_txt, ResolveLimits,
    };
    let limits = ResolveLimits::default();
    let mut record = |resolution: skillaudit_deps::resolve::Resolution,
                      manifest: &str,
                      audit: &mut DepAudit| {
        for (spec, why) in resolution.unresolved.iter().take(20) {
            audit.not_run.push(NotRun {
                check: format!("dependency {spec} of {manifest}"),
                reason: format!("not resolved: {why}"),
            });
        }
        if resolution.truncated {
            audit.incomplete.push(format!(
                "the resolution of {manifest} stopped at {} packages or depth {}: deeper dependencies were not checked",
                limits.max_packages, limits.max_depth
            ));
        }
        uncovered.remove(manifest);
    };
    if !covered.contains(&DepEcosystem::Npm) {
        if let Some(file) = project.file("package.json") {
            let manifest = file
                .text
                .as_deref()
                .and_then(|t| serde_json::from_str::<Value>(t).ok());
            if let Some(manifest) = manifest {
                let resolution = resolve_npm(&manifest, registry, &limits);
                let name = manifest
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("package");
                let version = manifest
                    .get("version")
                    .and_then(Value::as_str)
                    .unwrap_or("0.0.0");
                let lock = to_package_lock(&resolution, name, version);
                audit.resolved_lockfiles.push((
                    "package-lock.json".into(),
                    serde_json::to_string_pretty(&lock).unwrap_or_default() + "\n",
                ));
                audit.graphs.push(resolution.graph.clone());
                record(resolution, "package.json", audit);
            }
        }
    }
    if !covered.contains(&DepEcosystem::PyPI) {
        let requirements: Vec<(String, String)> = project
            .dependencies
            .iter()
            .filter(|d| {
                d.ecosystem == Ecosystem::PyPI && d.kind == crate::project::DependencyKind::Normal
            })
            .map(|d| (d.manifest.clone(), format!("{}{}", d.name, d.spec)))
            .collect();
        if let Some((manifest, _)) = requirements.first() {
            let manifest = manifest.clone();
            let specs: Vec<String> = requirements.into_iter().map(|(_, r)| r).collect();
            let resolution = resolve_pypi(&specs, python, registry, &limits);
            audit
                .resolved_lockfiles
                .push(("requirements.txt".into(), to_requirements_txt(&resolution)));
            audit.graphs.push(resolution.graph.clone());
            let manifests: Vec<String> = project
                .dependencies
                .iter()
                .filter(|d| d.ecosystem == Ecosystem::PyPI)
                .map(|d| d.manifest.clone())
                .collect();
            record(resolution, &manifest, audit);
            for other in manifests {
                uncovered.remove(&other);
            }
        }
    }
}

fn normalised(url: &str) -> Option<String> {
    skillaudit_core::repo_url::normalise_repo_url(url)
}

/// Repository URLs name the same repository (hosts and owners compare without case, as the
/// forges treat them).
fn same_repo(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// `repository` of a manifest or packument version: a string or `{ "url": … }`.
fn repository_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(url) => normalised(url),
        Value::Object(map) => map.get("url").and_then(Value::as_str).and_then(normalised),
        _ => None,
    }
}

/// The source repository an npm SLSA provenance statement names (v1:
/// `buildDefinition.externalParameters.workflow.repository`; v0.2:
/// `invocation.configSource.uri`), and the subject it is about.
fn provenance_repository(attestations: &Value) -> Option<(Option<String>, Vec<String>)> {
    let list = attestations.get("attestations")?.as_array()?;
    for attestation in list {
        let kind = attestation
            .get("predicateType")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !kind.starts_with("https://slsa.dev/provenance/") {
            continue;
        }
        let payload = attestation
            .get("bundle")
            .and_then(|b| b.get("dsseEnvelope"))
            .and_then(|e| e.get("payload"))
            .and_then(Value::as_str)?;
        let bytes = skillaudit_deps::decode_base64(payload)?;
        let statement: Value = serde_json::from_slice(&bytes).ok()?;
        let subjects = statement
            .get("subject")
            .and_then(Value::as_array)
            .map(|s| {
                s.iter()
                    .filter_map(|x| x.get("name").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let predicate = statement.get("predicate")?;
        let v1 = predicate
            .pointer("/buildDefinition/externalParameters/workflow/repository")
            .and_then(Value::as_str);
        let v02 = predicate
            .pointer("/invocation/configSource/uri")
            .and_then(Value::as_str)
            .map(|uri| uri.split('@').next().unwrap_or(uri));
        return Some((v1.or(v02).and_then(normalised), subjects));
    }
    None
}

/// Compares the declared repository with the git remote (git targets), the registry's metadata
/// and npm provenance (npm targets).
fn repository_checks(project: &Project, registry: Option<&dyn Registry>, audit: &mut DepAudit) {
    let declared = project.declared_repository.clone();
    let target = &project.target;
    if target.kind == "git" {
        if let (Some(declared), Some(remote)) =
            (&declared, target.repo.as_deref().and_then(normalised))
        {
            audit.repository_checks.push(RepositoryCheck {
                observed_by: "git checkout",
                declared: Some(declared.clone()),
                observed: Some(remote.clone()),
                outcome: if same_repo(declared, &remote) {
                    RepositoryOutcome::Matches
                } else {
                    RepositoryOutcome::Mismatch
                },
            });
        }
    }
    let (Some(registry), "npm", Some(version)) =
        (registry, target.kind.as_str(), target.version.as_deref())
    else {
        return;
    };
    let Ok(packument) = registry.npm_packument(&target.name) else {
        audit.not_run.push(NotRun {
            check: "repository and provenance".into(),
            reason: format!("the registry metadata of {} could not be read", target.name),
        });
        return;
    };
    let Some(published) = packument.get("versions").and_then(|v| v.get(version)) else {
        return;
    };
    if let (Some(declared), Some(listed)) = (&declared, repository_of(published.get("repository")))
    {
        audit.repository_checks.push(RepositoryCheck {
            observed_by: "registry metadata",
            declared: Some(declared.clone()),
            observed: Some(listed.clone()),
            outcome: if same_repo(declared, &listed) {
                RepositoryOutcome::Matches
            } else {
                RepositoryOutcome::Mismatch
            },
        });
    }
    let has_provenance = published.pointer("/dist/attestations/provenance").is_some();
    if !has_provenance {
        if declared.is_some() {
            audit.repository_checks.push(RepositoryCheck {
                observed_by: "npm provenance",
                declared: declared.clone(),
                observed: None,
                outcome: RepositoryOutcome::NoProvenance,
            });
        }
        return;
    }
    match registry.npm_attestations(&target.name, version) {
        Ok(attestations) => match provenance_repository(&attestations) {
            Some((observed, subjects)) => {
                let purl = skillaudit_deps::sbom::purl(DepEcosystem::Npm, &target.name, version);
                let about_this = subjects.is_empty() || subjects.contains(&purl);
                let outcome = match (&declared, &observed) {
                    _ if !about_this => RepositoryOutcome::Mismatch,
                    (Some(d), Some(o)) if same_repo(d, o) => RepositoryOutcome::Matches,
                    (Some(_), Some(_)) => RepositoryOutcome::Mismatch,
                    _ => RepositoryOutcome::Matches,
                };
                audit.repository_checks.push(RepositoryCheck {
                    observed_by: "npm provenance",
                    declared: declared.clone(),
                    observed: if about_this {
                        observed
                    } else {
                        Some(format!("a statement about {}", subjects.join(", ")))
                    },
                    outcome,
                });
            }
            None => audit.not_run.push(NotRun {
                check: "npm provenance".into(),
                reason: "the version lists a provenance attestation, but no SLSA statement could be read from it".into(),
            }),
        },
        Err(error) => audit.not_run.push(NotRun {
            check: "npm provenance".into(),
            reason: format!("the attestations could not be read: {error}"),
        }),
    }
}

/// Runs the dependency audit over a loaded project.
pub fn audit_dependencies(project: &Project, sources: &DepSources) -> DepAudit {
    let mut audit = DepAudit::default();
    read_lockfiles(project, &mut audit);

    // Manifests whose ecosystem has no graph: their dependencies were not checked.
    let covered: BTreeSet<DepEcosystem> = audit
        .graphs
        .iter()
        .flat_map(|g| g.packages.iter().map(|p| p.ecosystem))
        .collect();
    let mut uncovered: BTreeMap<String, usize> = BTreeMap::new();
    for dep in &project.dependencies {
        if let Some(eco) = to_dep_ecosystem(dep.ecosystem) {
            if !covered.contains(&eco) {
                *uncovered.entry(dep.manifest.clone()).or_default() += 1;
            }
        }
    }
    if sources.resolve {
        if let Some(registry) = sources.registry {
            resolve_uncovered(
                project,
                registry,
                sources.python,
                &covered,
                &mut uncovered,
                &mut audit,
            );
        }
    }
    for (manifest, count) in &uncovered {
        let reason = match &project.workspace_lockfile {
            Some(lockfile) => format!(
                "{count} dependencies are declared as ranges; the workspace's {lockfile} at the repository root pins them but lists every package of the workspace, so it is not read for one server (audit the repository root for its advisories, or this server with --resolve)"
            ),
            None => format!(
                "{count} dependencies are declared as ranges and no lockfile pins them, so no exact versions could be checked (commit a lockfile, or audit with --resolve / --lockfile-out to resolve the ranges)"
            ),
        };
        audit.not_run.push(NotRun {
            check: format!("dependency advisories for {manifest}"),
            reason,
        });
    }

    if sources.db.is_none() {
        audit.not_run.push(NotRun {
            check: "known advisories (OSV)".into(),
            reason: sources
                .db_missing
                .unwrap_or("no local OSV database: run `skillaudit db update` (or `skillaudit db import DIR|ZIP`)")
                .to_string(),
        });
    }

    // The audited package itself, matched by its exact version.
    let identity = own_identity(project);
    if identity.is_none() && is_package(project) {
        audit.not_run.push(NotRun {
            check: "advisories against the audited package itself".into(),
            reason: "its name and version could not be known: the manifest declares no version (or declares it dynamic) and there is no PKG-INFO or METADATA; audit the published release (npm:NAME@VERSION, pypi:NAME==VERSION) instead".into(),
        });
    }
    if let Some((eco, name, version)) = identity {
        for (advisory, matched) in advisories(sources, eco, &name, &version, &mut audit) {
            audit.own.push(OwnAdvisory {
                ecosystem: eco,
                name: name.clone(),
                version: version.clone(),
                advisory,
                matched,
            });
        }
    }

    // Every package of every graph.
    let packages: Vec<(LockPackage, String)> = audit
        .packages()
        .map(|(p, s)| (p.clone(), s.to_string()))
        .collect();
    if sources.db.is_some() || sources.registry.is_some() {
        for (package, source) in &packages {
            // The PyPI JSON API is per release: only direct dependencies go to the network, the
            // database covers the rest.
            let local_only = DepSources {
                registry: if package.direct {
                    sources.registry
                } else {
                    None
                },
                ..*sources
            };
            for (advisory, matched) in advisories(
                &local_only,
                package.ecosystem,
                &package.name,
                &package.version,
                &mut audit,
            ) {
                audit.vulnerable.push(VulnerableDependency {
                    package: package.clone(),
                    source: source.clone(),
                    advisory,
                    matched,
                });
            }
        }
    }

    repository_checks(project, sources.registry, &mut audit);
    match sources.registry {
        Some(registry) => {
            let mut order: Vec<&(LockPackage, String)> = packages.iter().collect();
            order.sort_by_key(|(p, _)| !p.direct);
            let mut failures = 0usize;
            for (package, source) in order.iter().take(MAX_REGISTRY_LOOKUPS) {
                match registry_facts(registry, package) {
                    Ok(facts) => {
                        if facts.deprecated.is_some() || facts.yanked.is_some() {
                            audit.flagged.push(FlaggedDependency {
                                package: package.clone(),
                                source: source.clone(),
                                deprecated: facts.deprecated.clone(),
                                yanked: facts.yanked.clone(),
                            });
                        }
                        audit.facts.push(DependencyFacts {
                            package: package.clone(),
                            source: source.clone(),
                            facts,
                        });
                    }
                    Err(_) => failures += 1,
                }
            }
            if failures > 0 {
                audit.incomplete.push(format!(
                    "registry metadata of {failures} dependencies could not be read (deprecated / yanked / last release not checked for them)"
                ));
            }
            if packages.len() > MAX_REGISTRY_LOOKUPS {
                audit.not_run.push(NotRun {
                    check: "deprecated / yanked dependencies".into(),
                    reason: format!(
                        "checked for {MAX_REGISTRY_LOOKUPS} of {} packages (direct dependencies first)",
                        packages.len()
                    ),
                });
            }
            match sdk_status(project, registry) {
                Some(Ok(status)) => audit.sdk = Some(status),
                Some(Err(error)) => audit
                    .incomplete
                    .push(format!("the MCP SDK's releases could not be read: {error}")),
                None => {}
            }
        }
        None => {
            if !packages.is_empty() || project.inventory.sdk.is_some() {
                audit.not_run.push(NotRun {
                    check: "registry metadata of dependencies and the MCP SDK".into(),
                    reason: "offline or no registry access: deprecated / yanked dependencies and the SDK's current releases were not checked".into(),
                });
            }
        }
    }
    audit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    /// PyPI release documents as the metadata client builds them when the index lacks the
    /// per-release JSON: `derived` is the document, `None` means no source answered.
    struct Mirror(Option<Value>);

    impl Registry for Mirror {
        fn npm_packument(&self, _: &str) -> Result<std::sync::Arc<Value>, String> {
            Err("no npm here".into())
        }
        fn pypi_project(&self, _: &str) -> Result<std::sync::Arc<Value>, String> {
            Err("no project JSON".into())
        }
        fn pypi_release(&self, _: &str, _: &str) -> Result<std::sync::Arc<Value>, String> {
            self.0.clone().map(std::sync::Arc::new).ok_or_else(|| {
                "no metadata source answered (per-release JSON: not served (HTTP 404); project JSON: not served (HTTP 404); simple index: not served (HTTP 404))".into()
            })
        }
    }

    fn osv_database(dir: &std::path::Path) -> Database {
        let records = dir.join("records");
        std::fs::create_dir_all(&records).unwrap();
        std::fs::write(
            records.join("PYSEC-2099-1.json"),
            r#"{"id":"PYSEC-2099-1","modified":"2099-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"mcp-demo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.3.0"}]}]}]}"#,
        )
        .unwrap();
        let db = dir.join("db");
        Database::import(&records, &db).unwrap();
        Database::open(&db).unwrap()
    }

    fn pypi_advisories(registry: &Mirror, db: Option<&Database>) -> (Vec<String>, DepAudit) {
        let sources = DepSources {
            db,
            db_missing: None,
            registry: Some(registry),
            resolve: false,
            python: "3.12",
        };
        let mut audit = DepAudit::default();
        let found = advisories(
            &sources,
            DepEcosystem::PyPI,
            "mcp-demo",
            "0.2.0",
            &mut audit,
        );
        (found.into_iter().map(|(a, _)| a.id).collect(), audit)
    }

    #[test]
    fn a_release_document_without_vulnerabilities_leans_on_the_osv_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = osv_database(dir.path());
        let derived = Mirror(Some(serde_json::json!({
            "info": {"name": "mcp-demo", "version": "0.2.0", "requires_dist": []},
            "urls": [],
            "skillaudit": {"metadata_source": "project JSON + core metadata (PEP 658)", "unknown": ["vulnerabilities"]},
        })));
        // With the database: found, complete, and the gap named as a check not run.
        let (found, audit) = pypi_advisories(&derived, Some(&db));
        assert_eq!(found, ["PYSEC-2099-1"]);
        assert!(audit.incomplete.is_empty(), "{:?}", audit.incomplete);
        assert_eq!(audit.not_run.len(), 1);
        assert_eq!(audit.not_run[0].check, PYPI_VULNERABILITY_LIST);
        assert!(audit.not_run[0]
            .reason
            .contains("mcp-demo 0.2.0 (project JSON + core metadata (PEP 658))"));
        // Without it nothing checked the release: incomplete.
        let (found, audit) = pypi_advisories(&derived, None);
        assert!(found.is_empty());
        assert_eq!(audit.incomplete.len(), 1, "{:?}", audit.incomplete);
        assert!(audit.incomplete[0].contains("no OSV database"));
        assert!(audit.incomplete[0].contains("mcp-demo 0.2.0 (project JSON"));
        // A per-release document (no `skillaudit` member) is complete on its own.
        let direct = Mirror(Some(serde_json::json!({"info": {}, "vulnerabilities": []})));
        let (_, audit) = pypi_advisories(&direct, None);
        assert!(audit.incomplete.is_empty() && audit.not_run.is_empty());
    }

    #[test]
    fn gap_lists_name_each_package_once_and_count_past_twenty() {
        let mut line = String::from("prefix: a 1 (x)");
        append_item(&mut line, "a 1 (x)");
        assert_eq!(line, "prefix: a 1 (x)");
        for i in 2..=25 {
            append_item(&mut line, &format!("p{i} 1 (x)"));
        }
        assert_eq!(line.matches("; ").count(), 19);
        assert!(line.ends_with(" and 5 more"), "{line}");
    }

    #[test]
    fn when_no_pypi_source_answers_the_database_alone_is_used_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let db = osv_database(dir.path());
        let (found, audit) = pypi_advisories(&Mirror(None), Some(&db));
        assert_eq!(found, ["PYSEC-2099-1"]);
        assert_eq!(audit.incomplete.len(), 1);
        let note = &audit.incomplete[0];
        assert!(note.contains("OSV database alone"), "{note}");
        assert!(note.contains("no metadata source answered"), "{note}");
        assert!(!note.contains("not found"), "{note}");
    }

    #[test]
    fn provenance_statements_of_both_slsa_versions_name_their_repository() {
        let v1 = r#"{"subject":[{"name":"pkg:npm/x@1.0.0"}],"predicate":{"buildDefinition":{"externalParameters":{"workflow":{"repository":"https://github.com/Org/Repo"}}}}}"#;
        let v02 = r#"{"subject":[{"name":"pkg:npm/x@1.0.0"}],"predicate":{"invocation":{"configSource":{"uri":"git+https://github.com/org/repo@refs/heads/main"}}}}"#;
        for (kind, statement) in [
            ("https://slsa.dev/provenance/v1", v1),
            ("https://slsa.dev/provenance/v0.2", v02),
        ] {
            let doc = serde_json::json!({"attestations": [
                {"predicateType": "https://github.com/npm/attestation/tree/main/specs/publish/v0.1",
                 "bundle": {"dsseEnvelope": {"payload": encode("{}")}}},
                {"predicateType": kind, "bundle": {"dsseEnvelope": {"payload": encode(statement)}}},
            ]});
            let (repo, subjects) = provenance_repository(&doc).expect(kind);
            let expected = normalised("https://github.com/org/repo").expect("url");
            assert!(same_repo(repo.as_deref().expect(kind), &expected), "{kind}");
            assert_eq!(subjects, ["pkg:npm/x@1.0.0"]);
        }
        // Not base64, or no SLSA statement: nothing is claimed.
        let broken = serde_json::json!({"attestations": [
            {"predicateType": "https://slsa.dev/provenance/v1", "bundle": {"dsseEnvelope": {"payload": "%%%"}}}
        ]});
        assert_eq!(provenance_repository(&broken), None);
        assert_eq!(provenance_repository(&serde_json::json!({})), None);
    }

    fn load_folder(files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let full = dir.path().join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).expect("folder");
            }
            std::fs::write(full, text).expect("write");
        }
        let target = skillaudit_core::TargetInfo {
            kind: "folder".into(),
            name: "x".into(),
            ..Default::default()
        };
        crate::project::load(
            dir.path(),
            target,
            crate::project::LoadLimits::default(),
            jiff::Timestamp::UNIX_EPOCH,
        )
        .expect("loads")
    }

    const DYNAMIC: &str = "[project]\nname = \"demo-server\"\ndynamic = [\"version\"]\n";

    #[test]
    fn an_sdist_with_a_dynamic_version_is_identified_by_its_pkg_info() {
        let project = load_folder(&[
            ("pyproject.toml", DYNAMIC),
            (
                "PKG-INFO",
                "Metadata-Version: 2.1\nName: demo-server\nVersion: 1.4.2\n\nVersion: 9\n",
            ),
        ]);
        assert_eq!(
            own_identity(&project),
            Some((DepEcosystem::PyPI, "demo-server".into(), "1.4.2".into()))
        );
    }

    #[test]
    fn a_wheel_is_identified_by_its_dist_info_metadata() {
        let project = load_folder(&[(
            "demo_server-2.0.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: demo-server\nVersion: 2.0.0\n",
        )]);
        assert_eq!(
            own_identity(&project),
            Some((DepEcosystem::PyPI, "demo-server".into(), "2.0.0".into()))
        );
    }

    #[test]
    fn a_checkout_with_a_dynamic_version_says_its_own_advisories_were_not_checked() {
        let project = load_folder(&[("pyproject.toml", DYNAMIC)]);
        assert_eq!(own_identity(&project), None);
        assert!(is_package(&project));
    }
}
