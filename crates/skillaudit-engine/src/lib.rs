//! The audit pipeline: a target is put on disk safely ([`skillaudit_source`]), loaded once into
//! a [`Project`], every rule runs over it ([`skillaudit_rules`]), and the findings are scored into
//! the report card ([`skillaudit_core::scoring`]). Several targets run in parallel.

mod deps;
pub mod exclude;
pub mod packages;

use rayon::prelude::*;
use skillaudit_core::fingerprint::audit_id;
use skillaudit_core::report::SCHEMA_VERSION;
use skillaudit_core::scoring::{score_findings, METHODOLOGY_VERSION};
use skillaudit_core::surface::classify_path;
use skillaudit_core::{
    Axis, CriticalFinding, EngineInfo, Finding, NotRun, Report, Skipped, Surface, TargetError,
    ENGINE_VERSION,
};
use skillaudit_policy::exemptions::{self, ExemptionError, Exemptions};
use skillaudit_policy::policy::DEFAULT_EXEMPTIONS_PATH;
use skillaudit_rules::project::{load, LoadLimits};
use skillaudit_rules::{registry, Project};
use skillaudit_source::{materialize, FetchOptions, TargetSpec};
use std::time::Instant;

/// How an audit runs.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Forbid all network access.
    pub offline: bool,
    /// Git ref for git URL targets.
    pub git_ref: Option<String>,
    pub fetch: FetchOptions,
    pub limits: LoadLimits,
    /// "Now" for age checks and exemption expiry; `None` means the clock.
    pub now: Option<jiff::Timestamp>,
    /// Where exemptions come from.
    pub exemptions: ExemptionSource,
    /// Ask the registries for local targets too (`--resolve`): deprecated / yanked flags, the
    /// SDK's releases, PyPI's vulnerability lists. Registry targets always do unless offline.
    pub resolve: bool,
    /// The advisory database folder; `None` is `osv/` in the cache.
    pub osv_db: Option<std::path::PathBuf>,
    /// Findings present in a baseline (`--baseline FILE`), by fingerprint: reported as in the
    /// baseline, deducting nothing and not counting against the gate, so only new findings do.
    pub baseline: Vec<exemptions::Exemption>,
    /// Paths not to audit (`--exclude GLOB`, see [`exclude`]); a local folder target's
    /// `.skillauditignore` adds its own.
    pub exclude: Vec<String>,
    /// Servers split out of a folder holding several (see [`packages`]): member target →
    /// the folder it came from, whose repository files (security policy, changelog, licence,
    /// update automation) the member's audit reads when it has none of its own.
    pub members: std::collections::BTreeMap<String, std::path::PathBuf>,
}

/// Where an audit's exemptions come from.
///
/// Only the user's own repository may exempt its findings: a published package, an archive or a
/// cloned URL could ship an exemptions file that waves its own weaknesses through, so
/// [`ExemptionSource::Auto`] reads `.skillaudit/exemptions.yml` only inside a local folder target.
#[derive(Debug, Clone, Default)]
pub enum ExemptionSource {
    /// `.skillaudit/exemptions.yml` at the root of a local folder target, if present.
    #[default]
    Auto,
    /// This file, for every target (`--exemptions FILE`), already parsed.
    Given(Exemptions),
    /// No exemptions (`--no-exemptions`).
    Disabled,
}

impl AuditOptions {
    pub fn new(offline: bool) -> Self {
        AuditOptions {
            offline,
            git_ref: None,
            fetch: FetchOptions::new(offline),
            limits: LoadLimits::default(),
            now: None,
            exemptions: ExemptionSource::Auto,
            resolve: false,
            osv_db: None,
            baseline: Vec::new(),
            exclude: Vec::new(),
            members: std::collections::BTreeMap::new(),
        }
    }
}

/// Why a target could not be audited at all.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Source(#[from] skillaudit_source::SourceError),
    #[error("cannot read the target: {0}")]
    Load(#[from] std::io::Error),
    #[error("{0}")]
    Exemptions(#[from] ExemptionError),
}

/// Audit one target given as the user typed it (`./server`, `npm:name@1.0.0`, …).
pub fn audit(target: &str, options: &AuditOptions) -> Result<Report, AuditError> {
    audit_detailed(target, options).map(|audited| audited.report)
}

/// A report and the dependency audit behind it (for the SBOM and the resolved lockfile).
#[derive(Debug, Clone)]
pub struct Audited {
    pub report: Report,
    pub dependencies: Option<skillaudit_rules::dependencies::audit::DepAudit>,
    /// Targets to audit as well: the dependency a thin wrapper's server code lives in (see
    /// [`packages`]), as a registry target at the resolved version.
    pub delegated: Vec<String>,
}

/// Like [`audit`], keeping the dependency audit.
pub fn audit_detailed(target: &str, options: &AuditOptions) -> Result<Audited, AuditError> {
    let mut audited = audit_split(target, options, false)?;
    audited
        .pop()
        .ok_or_else(|| AuditError::Load(std::io::Error::other("the target gave no report")))
}

/// Audits one target. With `split`, a git checkout or an archive holding two or more MCP
/// servers (see [`packages::package_roots`]) gives one report per server, from the one
/// download; a local folder is split before it gets here ([`expand_targets`]).
fn audit_split(
    target: &str,
    options: &AuditOptions,
    split: bool,
) -> Result<Vec<Audited>, AuditError> {
    let started = Instant::now();
    let spec = TargetSpec::parse(target, options.git_ref.as_deref())?;
    let mut fetch = options.fetch.clone();
    fetch.offline = options.offline;
    let materialized = materialize(&spec, &fetch)?;
    let mut info = materialized.target.clone();
    info.deprecated = info.deprecated.or_else(|| materialized.deprecated.clone());
    info.yanked = info.yanked.or_else(|| materialized.yanked.clone());
    let roots = if split && matches!(spec, TargetSpec::Git { .. } | TargetSpec::Archive(_)) {
        packages::package_roots(&materialized.root)
    } else {
        Vec::new()
    };
    if roots.is_empty() {
        let whole = Part {
            root: &materialized.root,
            info,
            skipped: materialized.skipped.clone(),
            top: options.members.get(target).map(|p| p.as_path()),
        };
        return Ok(vec![audit_part(&spec, whole, &fetch, options, started)?]);
    }
    let mut out = Vec::with_capacity(roots.len());
    for root in roots {
        let prefix = format!("{}/", root.rel);
        let mut member = info.clone();
        member.spec = format!("{}#{}", info.spec, root.rel);
        member.name = root.rel.rsplit('/').next().unwrap_or(&root.rel).to_string();
        let part = Part {
            root: &materialized.root.join(&root.rel),
            info: member,
            skipped: materialized
                .skipped
                .iter()
                .filter_map(|s| {
                    let file = s.file.strip_prefix(&prefix)?;
                    Some(Skipped {
                        file: file.to_string(),
                        ..s.clone()
                    })
                })
                .collect(),
            top: Some(&materialized.root),
        };
        out.push(audit_part(&spec, part, &fetch, options, Instant::now())?);
    }
    Ok(out)
}

/// One server's folder inside a materialised target.
struct Part<'a> {
    root: &'a std::path::Path,
    info: skillaudit_core::TargetInfo,
    /// Entries the extraction refused, relative to `root`.
    skipped: Vec<Skipped>,
    /// The folder this server was split from, whose repository files it may borrow.
    top: Option<&'a std::path::Path>,
}

fn audit_part(
    spec: &TargetSpec,
    part: Part<'_>,
    fetch: &FetchOptions,
    options: &AuditOptions,
    started: Instant,
) -> Result<Audited, AuditError> {
    let now = options.now.unwrap_or_else(jiff::Timestamp::now);
    let identity = part.info.spec.clone();
    let mut project = load(part.root, part.info, options.limits, now)?;
    let mut exclusions: Vec<exclude::Exclusion> = options
        .exclude
        .iter()
        .filter_map(|pattern| exclude::Exclusion::new(pattern))
        .collect();
    if matches!(spec, TargetSpec::Folder(_)) {
        exclusions.extend(read_ignore_file(part.root)?);
    }
    let excluded_note = apply_exclusions(&mut project, &exclusions);
    let borrowed = match part.top {
        Some(top) => {
            project.workspace_lockfile = packages::workspace_lockfile(&project, top);
            packages::add_repository_files(&mut project, top, &exclusions)
        }
        None => Vec::new(),
    };
    // Entries the extraction refused are part of what was not analysed.
    for skipped in &part.skipped {
        let mut entry = skipped.clone();
        if entry.surface.is_none() {
            entry.surface = Some(classify_path(&entry.file));
        }
        project.inventory.skipped.push(entry);
    }
    let exemptions = match &options.exemptions {
        ExemptionSource::Disabled => None,
        ExemptionSource::Given(parsed) => Some(parsed.clone()),
        ExemptionSource::Auto if matches!(spec, TargetSpec::Folder(_)) => {
            read_exemptions(part.root)?
        }
        ExemptionSource::Auto => None,
    };
    // Baseline entries go after the exemptions file's, so an exemption keeps its own reason.
    let exemptions = match (exemptions, options.baseline.is_empty()) {
        (exemptions, true) => exemptions,
        (Some(mut file), false) => {
            file.entries.extend(options.baseline.iter().cloned());
            Some(file)
        }
        (None, false) => Some(Exemptions {
            file: "baseline".to_string(),
            entries: options.baseline.clone(),
        }),
    };
    let db_dir = options
        .osv_db
        .clone()
        .unwrap_or_else(|| skillaudit_source::osv_download::osv_db_dir(fetch));
    let db = deps::open_database(&db_dir);
    let client = skillaudit_source::MetadataClient::new(fetch);
    deps::run(
        &mut project,
        spec,
        db.as_ref(),
        Some(&client),
        options.resolve,
    );
    let mut report = build_report(&project, &identity, now, exemptions.as_ref());
    report.not_run.extend(excluded_note);
    // Findings on a repository file borrowed from the folder the server was split from point
    // at no file of this target.
    for finding in report
        .findings
        .iter_mut()
        .filter(|f| f.file.as_ref().is_some_and(|file| borrowed.contains(file)))
    {
        if let Some(file) = finding.file.take() {
            finding.message = format!("{} (`{file}` of the repository root)", finding.message);
        }
        finding.line = None;
        finding.column = None;
        finding.end_line = None;
    }
    let mut delegated = Vec::new();
    if let Some(wrapped) = packages::wrapper_of(&project) {
        match delegate_target(spec, options.offline, &project, &wrapped) {
            Some(target) => delegated.push(target),
            None => report.not_run.push(NotRun {
                check: "server code in a dependency".to_string(),
                reason: format!(
                    "`{}` hands over to the dependency {} {}: the server's code lives there and was not audited (audit {} too)",
                    wrapped.entry,
                    wrapped.name,
                    if wrapped.spec.is_empty() { "(any version)" } else { wrapped.spec.as_str() },
                    match wrapped.ecosystem {
                        skillaudit_rules::project::Ecosystem::PyPI => format!("pypi:{}==VERSION", wrapped.name),
                        _ => format!("npm:{}@VERSION", wrapped.name),
                    }
                ),
            }),
        }
    }
    // A baseline is a list of what was already there, not entries to review one by one: its
    // findings carry it as their exemption source, its records are left out.
    let baseline_origins: std::collections::BTreeSet<&str> = options
        .baseline
        .iter()
        .filter_map(|entry| entry.origin.as_deref())
        .collect();
    report
        .exemptions
        .retain(|record| !baseline_origins.contains(record.source.as_str()));
    report.dependencies.database = db.as_ref().ok().map(deps::database_text);
    report.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(Audited {
        report,
        dependencies: project.dep_audit,
        delegated,
    })
}

/// The registry target of a wrapper's dependency, when the wrapper itself came from that
/// registry, the network may be used, and the dependency audit resolved an exact version.
fn delegate_target(
    spec: &TargetSpec,
    offline: bool,
    project: &Project,
    wrapped: &packages::Wrapped,
) -> Option<String> {
    use skillaudit_rules::project::Ecosystem;
    if offline {
        return None;
    }
    let version = project
        .dep_audit
        .as_ref()?
        .graphs
        .iter()
        .flat_map(|g| g.packages.iter())
        .find(|p| p.direct && p.name == wrapped.name)
        .map(|p| p.version.clone())?;
    match (spec, wrapped.ecosystem) {
        (TargetSpec::Npm { .. }, Ecosystem::Npm) => Some(format!("npm:{}@{version}", wrapped.name)),
        (TargetSpec::Pypi { .. }, Ecosystem::PyPI) => {
            Some(format!("pypi:{}=={version}", wrapped.name))
        }
        _ => None,
    }
}

/// The patterns of `.skillauditignore` at a folder target's root (none when it is absent).
fn read_ignore_file(root: &std::path::Path) -> Result<Vec<exclude::Exclusion>, AuditError> {
    let path = root.join(exclude::IGNORE_FILE);
    // A regular file only: never follow a link out of the target.
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_file() && meta.len() <= 1024 * 1024 => {}
        _ => return Ok(Vec::new()),
    }
    let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
    Ok(exclude::parse_ignore_file(&text))
}

/// Drops excluded files from the project before any rule runs, and says so under "checks not
/// run" (never silently).
fn apply_exclusions(
    project: &mut Project,
    exclusions: &[exclude::Exclusion],
) -> Option<skillaudit_core::NotRun> {
    if exclusions.is_empty() {
        return None;
    }
    let excluded = |path: &str| exclusions.iter().any(|e| e.excludes(path));
    let before = project.files.len();
    project.files.retain(|file| !excluded(&file.path));
    project
        .inventory
        .skipped
        .retain(|skipped| !excluded(&skipped.file));
    project
        .inventory
        .manifests
        .retain(|manifest| !excluded(&manifest.file));
    let removed = before - project.files.len();
    let patterns: Vec<&str> = exclusions.iter().map(|e| e.pattern.as_str()).collect();
    Some(skillaudit_core::NotRun {
        check: "excluded paths".to_string(),
        reason: format!(
            "{removed} file{} not audited, excluded by --exclude or {}: {}",
            if removed == 1 { "" } else { "s" },
            exclude::IGNORE_FILE,
            patterns.join(", ")
        ),
    })
}

/// Reads `.skillaudit/exemptions.yml` under a folder target's root; `None` when there is none.
fn read_exemptions(root: &std::path::Path) -> Result<Option<Exemptions>, AuditError> {
    let path = root.join(DEFAULT_EXEMPTIONS_PATH);
    // Never follow a link out of the target (the folder walk does not either).
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_file() => {}
        Ok(_) => {
            return Err(ExemptionError {
                file: DEFAULT_EXEMPTIONS_PATH.to_string(),
                line: None,
                message: "is not a regular file".to_string(),
            }
            .into())
        }
        Err(_) => return Ok(None),
    }
    let bytes = std::fs::read(&path)?;
    let text = String::from_utf8(bytes).map_err(|_| ExemptionError {
        file: DEFAULT_EXEMPTIONS_PATH.to_string(),
        line: None,
        message: "is not UTF-8 text".to_string(),
    })?;
    Ok(Some(exemptions::parse(DEFAULT_EXEMPTIONS_PATH, &text)?))
}

/// Audit every target in parallel; `progress` is called once per finished target.
pub fn audit_many(
    targets: &[String],
    options: &AuditOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> (Vec<Report>, Vec<TargetError>) {
    let (audited, errors) = audit_many_detailed(targets, options, progress);
    (audited.into_iter().map(|a| a.report).collect(), errors)
}

/// [`audit_many`], keeping each target's dependency audit.
pub fn audit_many_detailed(
    targets: &[String],
    options: &AuditOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> (Vec<Audited>, Vec<TargetError>) {
    let (targets, members) = split_folders(targets, options);
    let mut expanded_options;
    let options = if members.is_empty() {
        options
    } else {
        expanded_options = options.clone();
        expanded_options.members.extend(members);
        &expanded_options
    };
    let run = |targets: &[String]| -> Vec<(String, Result<Vec<Audited>, AuditError>)> {
        targets
            .par_iter()
            .map(|target| {
                let result = audit_split(target, options, true);
                progress(target);
                (target.clone(), result)
            })
            .collect()
    };
    let mut results = run(&targets);
    // Dependencies that hold a wrapper's server code, audited once each (one level deep).
    let mut delegated: Vec<String> = Vec::new();
    for (_, result) in &results {
        for one in result.iter().flatten() {
            for target in &one.delegated {
                if !targets.contains(target) && !delegated.contains(target) {
                    delegated.push(target.clone());
                }
            }
        }
    }
    if !delegated.is_empty() {
        results.extend(run(&delegated));
    }
    let mut audited = Vec::new();
    let mut errors = Vec::new();
    for (target, result) in results {
        match result {
            Ok(parts) => audited.extend(parts),
            Err(err) => errors.push(TargetError {
                target,
                error: err.to_string(),
            }),
        }
    }
    (audited, errors)
}

/// The targets to audit: a local folder that holds two or more MCP servers becomes one target
/// per server (see [`packages::package_roots`]); everything else stays as given.
pub fn expand_targets(targets: &[String], options: &AuditOptions) -> Vec<String> {
    split_folders(targets, options).0
}

/// [`expand_targets`], with each member target and the folder it was split from.
fn split_folders(
    targets: &[String],
    options: &AuditOptions,
) -> (
    Vec<String>,
    std::collections::BTreeMap<String, std::path::PathBuf>,
) {
    let mut out: Vec<String> = Vec::new();
    let mut members = std::collections::BTreeMap::new();
    for target in targets {
        let (roots, top) = match TargetSpec::parse(target, options.git_ref.as_deref()) {
            Ok(TargetSpec::Folder(path)) => (packages::package_roots(&path), path),
            _ => (Vec::new(), std::path::PathBuf::new()),
        };
        if roots.is_empty() {
            out.push(target.clone());
            continue;
        }
        let base = target.trim_end_matches(['/', '\\']);
        for root in roots {
            let member = if base.is_empty() {
                format!("/{}", root.rel)
            } else {
                format!("{base}/{}", root.rel)
            };
            if !out.contains(&member) {
                members.insert(member.clone(), top.clone());
                out.push(member);
            }
        }
    }
    (out, members)
}

/// The CycloneDX 1.6 SBOM of an audited target.
pub fn sbom(audited: &Audited) -> String {
    deps::sbom(&audited.report, audited.dependencies.as_ref())
}

/// Skipped entries that make a report incomplete: code a user runs that was not analysed.
fn incompleteness(skipped: &[Skipped]) -> Vec<String> {
    skipped
        .iter()
        .filter(|s| matches!(s.surface, Some(Surface::Runtime) | Some(Surface::Package)))
        .map(|s| format!("{} not analysed: {}", s.file, s.reason))
        .collect()
}

/// Axes that no registered rule checks yet: their score of 100 means "not measured", and the
/// report must say so.
fn unmeasured_axes() -> Vec<NotRun> {
    let metas = registry::all_meta();
    Axis::ALL
        .into_iter()
        .filter(|axis| !metas.iter().any(|m| m.axis == *axis))
        .map(|axis| NotRun {
            check: format!("{axis} axis"),
            reason: format!(
                "this engine version has no {axis} rules yet: the axis score reflects no checks"
            ),
        })
        .collect()
}

/// Run every rule over a loaded project and score the result.
///
/// Exemptions (when given) are applied before scoring: exempted findings stay in the report,
/// marked, and deduct nothing. Expiry is judged on the UTC date of `now`.
pub fn build_report(
    project: &Project,
    identity: &str,
    now: jiff::Timestamp,
    exemptions: Option<&Exemptions>,
) -> Report {
    let output = skillaudit_rules::run_all(project);
    let mut findings: Vec<Finding> = output.findings;
    let exemption_records = match exemptions {
        Some(file) => {
            let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
            exemptions::apply(file, &mut findings, today)
        }
        None => Vec::new(),
    };
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.axis.cmp(&b.axis))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.line.cmp(&b.line))
    });
    let card = score_findings(findings.iter().filter(|f| !f.is_exempted()));
    let critical_findings = findings
        .iter()
        .filter(|f| f.is_critical())
        .map(CriticalFinding::from)
        .collect();
    // The code analysis reports files it could not analyse and the tools it found.
    let mut inventory = project.inventory.clone();
    let analysis = project.code_analysis();
    for (file, reason) in &analysis.skipped {
        let surface = project.file(file).map(|f| f.surface);
        inventory.skipped.push(Skipped {
            file: file.clone(),
            reason: reason.clone(),
            surface,
        });
    }
    if inventory.tools.is_empty() {
        inventory.tools = analysis
            .tools
            .iter()
            .map(|t| skillaudit_core::ToolInfo {
                name: t.name.clone(),
                description: t.description.clone(),
                file: Some(t.file.clone()),
                line: Some(t.line),
                capabilities: Vec::new(),
                hosts: Vec::new(),
                annotations: Default::default(),
            })
            .collect();
    }
    // What each tool can do and declares, for the inventory and the least-privilege manifest.
    let profiles = skillaudit_rules::permissions::capabilities::tool_profiles(project);
    for tool in &mut inventory.tools {
        if let Some(p) = profiles.get(&tool.name) {
            tool.capabilities = p.capabilities.iter().map(|c| c.to_string()).collect();
            tool.hosts = p.hosts.iter().cloned().collect();
            tool.annotations = p.annotations.clone();
        }
    }
    if let Some(audit) = &project.dep_audit {
        inventory.skipped.extend(audit.skipped.iter().cloned());
    }
    let mut incomplete_reasons = incompleteness(&inventory.skipped);
    let mut not_run = output.not_run;
    if let Some(audit) = &project.dep_audit {
        incomplete_reasons.extend(audit.incomplete.iter().cloned());
        not_run.extend(audit.not_run.iter().cloned());
    }
    not_run.extend(unmeasured_axes());
    let analysis_stats = reach_stats(analysis);
    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        audit_id: audit_id(identity, &project.content_digest, ENGINE_VERSION),
        repo: project.target.repo.clone(),
        target: project.target.clone(),
        engine: EngineInfo {
            name: "skillaudit".into(),
            version: ENGINE_VERSION.into(),
            methodology: METHODOLOGY_VERSION.into(),
        },
        scanned_at: now.to_string(),
        duration_ms: 0,
        grade: card.grade,
        score: card.score,
        axes: card.axes,
        complete: incomplete_reasons.is_empty(),
        incomplete_reasons,
        critical_findings,
        findings,
        deductions: card.deductions,
        caps: card.caps,
        inventory,
        dependencies: deps::summary(project),
        not_run,
        exemptions: exemption_records,
        analysis: Some(analysis_stats),
        badge_url: None,
        report_url: None,
    }
}

/// The label-free reach figures of the code analysis, for the report's `analysis` section.
fn reach_stats(analysis: &skillaudit_lang::analysis::Analysis) -> skillaudit_core::AnalysisStats {
    use skillaudit_lang::analysis::{CallResolution, ReachTotals, SinkStatus};
    let totals = ReachTotals::of(&analysis.sinks, &analysis.calls);
    let resolution_name = |r: CallResolution| match r {
        CallResolution::Project => "project",
        CallResolution::NameFallback => "name-fallback",
        CallResolution::Library => "library",
        CallResolution::Builtin => "builtin",
        CallResolution::Unresolved => "unresolved",
    };
    let unresolved = totals
        .calls_by_resolution
        .get(&CallResolution::Unresolved)
        .copied()
        .unwrap_or(0);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    skillaudit_core::AnalysisStats {
        files_analysed: count(analysis.files_analysed),
        calls_on_data_paths: count(totals.calls_on_source_paths),
        calls_by_resolution: totals
            .calls_by_resolution
            .iter()
            .map(|(r, n)| (resolution_name(*r).to_string(), count(*n)))
            .collect(),
        unresolved_by_reason: totals
            .unresolved_by_reason
            .iter()
            .map(|(r, n)| (r.as_str().to_string(), count(*n)))
            .collect(),
        unresolved_share: if totals.calls_on_source_paths == 0 {
            0.0
        } else {
            // Rounded to 4 places so reports compare stably.
            ((unresolved as f64 / totals.calls_on_source_paths as f64) * 10_000.0).round()
                / 10_000.0
        },
        sinks: count(totals.sinks),
        sinks_non_constant: count(
            totals.sinks
                - totals
                    .sinks_by_status
                    .get(&SinkStatus::Constant)
                    .copied()
                    .unwrap_or(0),
        ),
        sinks_by_status: totals
            .sinks_by_status
            .iter()
            .map(|(s, n)| (s.as_str().to_string(), count(*n)))
            .collect(),
        unresolved_examples: totals
            .unresolved_examples
            .iter()
            .map(|c| {
                format!(
                    "{}:{} {} — {}",
                    c.file,
                    c.line,
                    c.callee,
                    c.reason.map(|r| r.as_str()).unwrap_or("")
                )
            })
            .collect(),
        no_caller_examples: totals
            .no_caller_examples
            .iter()
            .map(|s| format!("{}:{} {}", s.file, s.line, s.api))
            .collect(),
    }
}
