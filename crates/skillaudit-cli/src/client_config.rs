//! `skillaudit config`: find the MCP client configurations of the user and the project (or
//! read the files named), list their servers per client and scope, and judge them with the
//! `CFG-*` rules.
//!
//! Every file stands alone: one that cannot be read or parsed is an error naming it, and the
//! others are still listed and judged.

use anyhow::Context;
use serde::Serialize;
use skillaudit_core::{Finding, Severity};
use skillaudit_mcpconfig::{
    discover, is_reference, parse, read_config, recognise, Candidate, Client, ConfigFile, Format,
    ReadLimits, Scope, Server,
};
use skillaudit_rules::client_config::{
    config_project, package_launch, pinned_version, PackageLaunch,
};
use skillaudit_rules::credentials::secrets;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `skillaudit config`.
#[derive(clap::Args, Debug)]
pub struct ConfigArgs {
    /// Configuration files to audit. Without any, the user's and the project's configurations
    /// of every known client are found.
    pub files: Vec<PathBuf>,
    /// The home folder whose user-scope configurations are read (default: $HOME).
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// The project folder whose project-scope configurations are read (default: the current
    /// folder).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Skip the user scope (only the project's configurations; what CI wants).
    #[arg(long)]
    pub no_user: bool,
    /// Output format: text or json.
    #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fail (exit 1) on a finding of this severity or worse: high, medium, low, or never.
    #[arg(long, default_value = "high", value_parser = ["high", "medium", "low", "never"])]
    pub fail_on: String,
    /// Also audit every npm, PyPI and git server the configurations start, at its pinned
    /// version (an unpinned one at the release that would install today), in parallel,
    /// with the download cache; one row per server, each held to the gate.
    #[arg(long, help_heading = "Audit")]
    pub audit: bool,
    /// With --audit: fail when a server's overall grade is below G (A–F).
    #[arg(long, value_name = "G", value_parser = skillaudit_policy::gate::parse_grade, help_heading = "Audit")]
    pub min_grade: Option<skillaudit_core::Grade>,
    /// With --audit: hold every server to this policy environment's floors (from --policy,
    /// ./skillaudit.toml, or the built-in environments).
    #[arg(long = "env", value_name = "NAME", help_heading = "Audit")]
    pub env_name: Option<String>,
    /// With --audit: the policy file (default: ./skillaudit.toml when present).
    #[arg(long, value_name = "FILE", help_heading = "Audit")]
    pub policy: Option<PathBuf>,
    /// Also write a combined report in another format (repeatable): the configurations' own
    /// report card (CFG findings, graded) and, with --audit, each server's, as `scan` writes
    /// several targets: `--write sarif=config.sarif --write markdown=config.md --write html=config.html`.
    #[arg(long = "write", value_name = "FORMAT=FILE", value_parser = crate::parse_write)]
    pub writes: Vec<(skillaudit_render::Format, PathBuf)>,
    /// Forbid all network access (servers not in the cache are reported as not audited).
    #[arg(long, env = "SKILLAUDIT_OFFLINE", help_heading = "Audit")]
    pub offline: bool,
}

/// A file that could not be read or parsed.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigError {
    pub file: String,
    pub error: String,
}

/// What `config` found and judged.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigAudit {
    pub files: Vec<ConfigFile>,
    pub errors: Vec<ConfigError>,
    pub findings: Vec<Finding>,
    /// With `--audit`: one row per server that is a package.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<ServerAudit>,
    /// The packages the servers start, for `--audit`.
    #[serde(skip)]
    pub launches: Vec<(String, String, PackageLaunch)>,
    /// The configurations as a report card (for `--write`).
    #[serde(skip)]
    pub report: Option<Box<skillaudit_core::Report>>,
    /// With `--audit`: each server's report card, and the servers that could not be audited.
    #[serde(skip)]
    pub server_reports: Vec<skillaudit_core::Report>,
    #[serde(skip)]
    pub server_errors: Vec<skillaudit_core::TargetError>,
}

/// The audit of one configured server's package.
#[derive(Debug, Clone, Serialize)]
pub struct ServerAudit {
    pub file: String,
    pub server: String,
    /// The scan target audited (`npm:name@1.2.3`, `pypi:name==1.0`, a git URL with its ref).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The configuration pins an exact version (or commit).
    pub pinned: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<skillaudit_core::Grade>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical_findings: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_id: Option<String>,
    /// Why the server fails the gate, one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gate_failures: Vec<String>,
    /// Why it was not audited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub fn run(args: ConfigArgs) -> anyhow::Result<ExitCode> {
    let audit = if args.files.is_empty() {
        let home = if args.no_user {
            None
        } else {
            args.home.clone().or_else(home_folder)
        };
        let project = match &args.project {
            Some(p) => p.clone(),
            None => std::env::current_dir().context("the current folder")?,
        };
        audit_discovered(home.as_deref(), Some(&project))
    } else {
        audit_files(&args.files)
    };
    let mut audit = audit;
    if args.audit {
        audit_servers(&mut audit, &args)?;
    }
    let mut out = Vec::new();
    if args.format == "json" {
        serde_json::to_writer_pretty(&mut out, &audit)?;
        out.push(b'\n');
    } else {
        render_text(&audit, &mut out)?;
    }
    match &args.output {
        Some(path) => std::fs::write(path, &out)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(&out)?,
    }
    if !args.writes.is_empty() {
        let mut reports: Vec<skillaudit_core::Report> =
            audit.report.iter().map(|r| (**r).clone()).collect();
        reports.extend(audit.server_reports.iter().cloned());
        let rules: Vec<_> = skillaudit_rules::registry::all_meta()
            .into_iter()
            .copied()
            .collect();
        for (format, path) in &args.writes {
            let mut bytes = Vec::new();
            skillaudit_render::render(
                *format,
                &reports,
                &audit.server_errors,
                &rules,
                &skillaudit_render::RenderOptions::default(),
                &mut bytes,
            )?;
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let floor = match args.fail_on.as_str() {
        "medium" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "never" => None,
        _ => Some(Severity::High),
    };
    let failed = floor.is_some_and(|floor| audit.findings.iter().any(|f| f.severity <= floor))
        || audit.servers.iter().any(|s| !s.gate_failures.is_empty());
    let not_audited = audit.servers.iter().any(|s| s.error.is_some());
    Ok(if failed {
        ExitCode::from(1)
    } else if !audit.errors.is_empty() || not_audited {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn home_folder() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Find, read, parse and judge the configurations of `home` (user scope) and `project`.
pub fn audit_discovered(home: Option<&Path>, project: Option<&Path>) -> ConfigAudit {
    let roots: Vec<PathBuf> = home
        .iter()
        .chain(project.iter())
        .map(|p| p.to_path_buf())
        .collect();
    audit_candidates(discover(home, project), &roots)
}

/// Read, parse and judge the files named on the command line.
pub fn audit_files(files: &[PathBuf]) -> ConfigAudit {
    let candidates = files
        .iter()
        .map(|path| {
            let display = path.display().to_string();
            let normalised = display.replace('\\', "/");
            Candidate {
                path: path.clone(),
                client: recognise(&normalised).unwrap_or(Client::Other),
                scope: Scope::File,
                format: Format::of_path(&normalised),
                display,
            }
        })
        .collect();
    // A file the user names is read wherever its link points (they chose it).
    audit_candidates(candidates, &[])
}

fn audit_candidates(candidates: Vec<Candidate>, roots: &[PathBuf]) -> ConfigAudit {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut texts = Vec::new();
    for candidate in candidates {
        let text = match read_config(&candidate.path, roots, ReadLimits::default()) {
            Ok(text) => text,
            Err(e) => {
                errors.push(ConfigError {
                    file: candidate.display.clone(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        match parse(&text, candidate.format) {
            Ok(parsed) => {
                files.push(ConfigFile {
                    display: candidate.display.clone(),
                    client: candidate.client,
                    scope: candidate.scope,
                    servers: parsed.servers,
                    problems: parsed.problems,
                });
                texts.push((candidate.display, text));
            }
            Err(e) => errors.push(ConfigError {
                file: candidate.display,
                error: e.to_string(),
            }),
        }
    }
    let mut launches = Vec::new();
    for file in &files {
        for server in file.servers.iter().filter(|s| !s.disabled) {
            if let Some(launch) = package_launch(server) {
                launches.push((file.display.clone(), server.name.clone(), launch));
            }
        }
    }
    let now = jiff::Timestamp::now();
    let project = config_project("mcp-client-configurations", texts, now);
    let report = skillaudit_engine::build_report(&project, "mcp-config:", now, None);
    let mut findings = report.findings.clone();
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.line.cmp(&b.line))
            .then_with(|| a.code.cmp(&b.code))
    });
    for file in &mut files {
        for server in &mut file.servers {
            *server = redacted(server);
        }
    }
    ConfigAudit {
        files,
        errors,
        findings,
        servers: Vec::new(),
        launches,
        report: Some(Box::new(report)),
        server_reports: Vec::new(),
        server_errors: Vec::new(),
    }
}

/// A server as it may be shown: literal values of the environment and headers hidden,
/// references kept; arguments that hold a secret or follow a credential option hidden; a URL's
/// user-info and query hidden.
pub fn redacted(server: &Server) -> Server {
    let mut out = server.clone();
    let hide = |v: &String| -> String {
        if is_reference(v) || v.is_empty() {
            v.clone()
        } else {
            format!("[value, {} chars]", v.chars().count())
        }
    };
    out.env = server
        .env
        .iter()
        .map(|(k, v)| (k.clone(), hide(v)))
        .collect();
    out.headers = server
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), hide(v)))
        .collect();
    let mut after_credential_option = false;
    out.args = server
        .args
        .iter()
        .map(|arg| {
            let secret = !secrets::scan(arg, false).is_empty();
            let shown = if (secret || after_credential_option) && !is_reference(arg) {
                secrets::redact(arg)
            } else {
                hide_url_secrets(arg)
            };
            let lower = arg.to_ascii_lowercase();
            after_credential_option = lower.starts_with("--")
                && !lower.contains('=')
                && ["token", "key", "secret", "passw", "auth"]
                    .iter()
                    .any(|w| lower.contains(w));
            shown
        })
        .collect();
    out.url = server.url.as_deref().map(hide_url_secrets);
    out
}

fn hide_url_secrets(value: &str) -> String {
    if !value.contains("://") {
        return value.to_string();
    }
    let (base, query) = match value.split_once('?') {
        Some((base, _)) => (base, "?…"),
        None => (value, ""),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((userinfo, host)) if !userinfo.contains('/') => format!("{scheme}://…@{host}"),
            _ => base.to_string(),
        },
        None => base.to_string(),
    };
    format!("{base}{query}")
}

fn render_text(audit: &ConfigAudit, out: &mut dyn Write) -> std::io::Result<()> {
    let servers: usize = audit.files.iter().map(|f| f.servers.len()).sum();
    if audit.files.is_empty() && audit.errors.is_empty() {
        writeln!(out, "No MCP client configuration found.")?;
    }
    for file in &audit.files {
        writeln!(
            out,
            "{} · {} · {} ({} server{})",
            file.client.name(),
            match file.scope {
                Scope::User => "user scope",
                Scope::Project => "project scope",
                Scope::File => "named file",
            },
            printable(&file.display),
            file.servers.len(),
            if file.servers.len() == 1 { "" } else { "s" }
        )?;
        for server in &file.servers {
            let how = match (&server.command, &server.url) {
                (Some(_), _) => server.command_line(),
                (None, Some(url)) => url.clone(),
                (None, None) => "(no command or URL)".to_string(),
            };
            let how: String = if how.chars().count() > 140 {
                format!("{}…", how.chars().take(139).collect::<String>())
            } else {
                how
            };
            let transport = format!("{:?}", server.transport).to_ascii_lowercase();
            let mut notes = Vec::new();
            if let Some(project) = &server.project {
                notes.push(format!("local scope of {project}"));
            }
            if server.disabled {
                notes.push("disabled".into());
            }
            let vars = server.referenced_variables();
            if !vars.is_empty() {
                notes.push(format!("uses ${{{}}}", vars.join("}, ${")));
            }
            if !server.tools.is_empty() {
                notes.push(format!("tools: {}", server.tools.join(", ")));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!("  [{}]", notes.join("; "))
            };
            writeln!(
                out,
                "  {:<20} {:<7} {}{}",
                printable(&server.name),
                transport,
                printable(&how),
                printable(&notes)
            )?;
        }
        for problem in &file.problems {
            writeln!(
                out,
                "  error: {}: {}",
                printable(&file.display),
                printable(problem)
            )?;
        }
    }
    if !audit.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "Not read:")?;
        for e in &audit.errors {
            writeln!(
                out,
                "  error: {}: {}",
                printable(&e.file),
                printable(&e.error)
            )?;
        }
    }
    if !audit.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "Findings:")?;
        for f in &audit.findings {
            let place = match (&f.file, f.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {:<6} {} {}  {}",
                f.severity.to_string(),
                f.code,
                printable(&place),
                printable(&f.message)
            )?;
            if let Some(fix) = &f.fix {
                writeln!(out, "         fix: {}", printable(fix))?;
            }
        }
    }
    if !audit.servers.is_empty() {
        writeln!(out)?;
        writeln!(out, "Servers audited:")?;
        for row in &audit.servers {
            let what = row.target.as_deref().unwrap_or("-");
            let result = match (&row.grade, &row.error) {
                (Some(grade), _) => format!(
                    "grade {grade} ({}/100), {} critical{}",
                    row.score.unwrap_or(0),
                    row.critical_findings.unwrap_or(0),
                    if row.pinned { "" } else { ", unpinned" }
                ),
                (None, Some(error)) => format!("not audited: {error}"),
                (None, None) => "not audited".to_string(),
            };
            writeln!(out, "  {:<20} {what}  {result}  ({})", row.server, row.file)?;
            for failure in &row.gate_failures {
                writeln!(out, "         gate: {failure}")?;
            }
        }
    }
    let count = |s: Severity| audit.findings.iter().filter(|f| f.severity == s).count();
    let problems: usize = audit.files.iter().map(|f| f.problems.len()).sum();
    writeln!(out)?;
    writeln!(
        out,
        "{} configuration file{}, {servers} server{}, {} finding{} ({} high, {} medium, {} low), {} error{}",
        audit.files.len(),
        if audit.files.len() == 1 { "" } else { "s" },
        if servers == 1 { "" } else { "s" },
        audit.findings.len(),
        if audit.findings.len() == 1 { "" } else { "s" },
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        audit.errors.len() + problems,
        if audit.errors.len() + problems == 1 { "" } else { "s" },
    )?;
    Ok(())
}

/// The scan target for a package a server starts, and whether the configuration pins it. An
/// unpinned npm server is audited at `latest` (what would install today); for an unpinned PyPI
/// server the error is its name, whose latest release the caller looks up.
pub fn audit_target(launch: &PackageLaunch) -> (Result<String, String>, bool) {
    let (name, version) = pinned_version(launch);
    let pinned = version.is_some();
    let target = match (launch.ecosystem, version) {
        ("npm", Some(v)) => Ok(format!("npm:{name}@{v}")),
        ("npm", None) => Ok(format!("npm:{name}@latest")),
        ("pypi", Some(v)) => Ok(format!("pypi:{name}=={v}")),
        ("pypi", None) => Err(name),
        (_, commit) => {
            let url = name.trim_start_matches("git+").to_string();
            Ok(match commit {
                Some(c) => format!("{url}#{c}"),
                None => url,
            })
        }
    };
    (target, pinned)
}

/// `--audit`: audit every package server once (in parallel, with the cache) and hold each to
/// the gate.
fn audit_servers(audit: &mut ConfigAudit, args: &ConfigArgs) -> anyhow::Result<()> {
    let gate = config_gate(args)?;
    let mut rows: Vec<ServerAudit> = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    let metadata =
        skillaudit_source::MetadataClient::new(&skillaudit_source::FetchOptions::new(args.offline));
    for (file, server, launch) in &audit.launches {
        let (target, pinned) = audit_target(launch);
        // An unpinned PyPI server: the release that would install today.
        let target = match (launch.ecosystem, target) {
            ("pypi", Err(name)) => latest_pypi_release(&metadata, &name)
                .map(|version| format!("pypi:{name}=={version}"))
                .map_err(|e| {
                    format!("unpinned PyPI server {name}: its latest release is unknown ({e})")
                }),
            (_, target) => target,
        };
        let mut row = ServerAudit {
            file: file.clone(),
            server: server.clone(),
            target: None,
            pinned,
            grade: None,
            score: None,
            critical_findings: None,
            audit_id: None,
            gate_failures: Vec::new(),
            error: None,
        };
        match target {
            Ok(t) => {
                if !targets.contains(&t) {
                    targets.push(t.clone());
                }
                row.target = Some(t);
            }
            Err(e) => row.error = Some(e),
        }
        rows.push(row);
    }
    let mut options = skillaudit_engine::AuditOptions::new(args.offline);
    // Exemptions belong to the user's own repository, never to a downloaded server.
    options.exemptions = skillaudit_engine::ExemptionSource::Disabled;
    let (audited, errors) = skillaudit_engine::audit_many_detailed(&targets, &options, &|_| {});
    for row in &mut rows {
        let Some(target) = &row.target else {
            continue;
        };
        let one = audited.iter().find(|a| &a.report.target.spec == target);
        match one {
            Some(one) => {
                let report = &one.report;
                row.grade = Some(report.grade);
                row.score = Some(report.score);
                row.critical_findings = Some(report.critical_findings.len());
                row.audit_id = Some(report.audit_id.clone());
                if gate.is_configured() {
                    row.gate_failures = gate.judge(report, None).failures;
                    // A wrapper's server code lives in a dependency audited beside it: that
                    // report is held to the same gate, under this server's row.
                    for delegated in &one.delegated {
                        if let Some(code) =
                            audited.iter().find(|a| &a.report.target.spec == delegated)
                        {
                            row.gate_failures.extend(
                                gate.judge(&code.report, None).failures.into_iter().map(
                                    |failure| format!("{delegated} (its server code): {failure}"),
                                ),
                            );
                        }
                    }
                }
            }
            None => {
                row.error = Some(
                    errors
                        .iter()
                        .find(|e| &e.target == target)
                        .map(|e| e.error.clone())
                        .unwrap_or_else(|| "no report".to_string()),
                );
            }
        }
    }
    let mut errors = errors;
    // Servers that could not even be named as a target are part of what was not audited.
    for row in rows.iter().filter(|r| r.target.is_none()) {
        if let Some(error) = &row.error {
            errors.push(skillaudit_core::TargetError {
                target: format!("{} ({})", row.server, row.file),
                error: error.clone(),
            });
        }
    }
    audit.servers = rows;
    audit.server_reports = audited.into_iter().map(|a| a.report).collect();
    audit.server_errors = errors;
    Ok(())
}

/// The gate `--audit` holds each server to: the policy environment's floors, tightened by
/// `--min-grade`.
fn config_gate(args: &ConfigArgs) -> anyhow::Result<skillaudit_policy::gate::Gate> {
    let flags = skillaudit_policy::gate::Gate {
        min_grade: args.min_grade,
        ..Default::default()
    };
    let Some(name) = &args.env_name else {
        return Ok(flags);
    };
    let path = args
        .policy
        .clone()
        .or_else(|| Some(PathBuf::from("skillaudit.toml")).filter(|p| p.is_file()));
    let policy = match path {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the policy file {}", path.display()))?;
            skillaudit_policy::policy::parse(&path.display().to_string(), &text)?
        }
        None => skillaudit_policy::policy::builtin(),
    };
    match policy.environment(Some(name)).map_err(anyhow::Error::msg)? {
        Some(env) => Ok(env.gate.stricter(&flags)),
        None => Ok(flags),
    }
}

/// Text safe for a terminal: control characters (escape sequences a hostile configuration could
/// carry in a server's name or arguments) shown as `?`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The newest release PyPI lists for a project (`info.version`), from the metadata cache when
/// fresh.
fn latest_pypi_release(
    metadata: &skillaudit_source::MetadataClient,
    name: &str,
) -> Result<String, String> {
    let project = metadata.pypi_project(name).map_err(|e| e.to_string())?;
    if let Some(version) = project["info"]["version"].as_str() {
        return Ok(version.to_string());
    }
    // A document built from a simple index names no latest release: the highest stable
    // release with a file that is not yanked.
    use skillaudit_deps::{version, DepEcosystem};
    project["releases"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, files)| {
            files
                .as_array()
                .is_some_and(|files| files.iter().any(|f| f["yanked"].as_bool() != Some(true)))
        })
        .map(|(v, _)| v.as_str())
        .filter(|v| version::is_prerelease(DepEcosystem::PyPI, v) == Some(false))
        .max_by(|a, b| {
            version::compare(DepEcosystem::PyPI, a, b).unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(str::to_string)
        .ok_or_else(|| "no version in the project's metadata".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_release_of_a_project_known_from_a_simple_index_is_its_highest_stable_one() {
        let dir = tempfile::tempdir().expect("dir");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).expect("home");
        let env = skillaudit_source::ConfigEnv::isolated(&home).with_var(
            "SKILLAUDIT_CACHE_DIR",
            dir.path().join("cache").to_str().expect("path"),
        );
        // Where the metadata client keeps a project document built from the simple index.
        let path = dir
            .path()
            .join("cache/metadata/pypi/kpypi.org+pypi/project-derived/kmcp-demo.json");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        std::fs::write(
            &path,
            br#"{"info": {"name": "mcp-demo", "version": null},
                "releases": {
                    "1.9.0": [{"filename": "mcp_demo-1.9.0.tar.gz", "yanked": false}],
                    "1.10.0": [{"filename": "mcp_demo-1.10.0.tar.gz", "yanked": false}],
                    "1.11.0": [{"filename": "mcp_demo-1.11.0.tar.gz", "yanked": true}],
                    "2.0.0rc1": [{"filename": "mcp_demo-2.0.0rc1.tar.gz", "yanked": false}]
                },
                "skillaudit": {"metadata_source": "simple index", "unknown": ["latest"]}}"#,
        )
        .expect("write");
        let client = skillaudit_source::MetadataClient::new(
            &skillaudit_source::FetchOptions::with_env(true, env),
        );
        assert_eq!(
            latest_pypi_release(&client, "mcp-demo").as_deref(),
            Ok("1.10.0")
        );
    }
}
