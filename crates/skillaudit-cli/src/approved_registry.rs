//! `skillaudit registry`: the organisation's approved-server registry, a version-controlled CSV
//! or JSON file (`.skillaudit/registry.csv` by default). `add` audits a server and records its
//! grade; `check` holds every server of the committed client configurations to the registry,
//! for CI.

use crate::client_config::{audit_discovered, audit_files};
use anyhow::Context;
use clap::Subcommand;
use skillaudit_policy::registry::{self, ConfiguredServer, Entry};
use skillaudit_rules::client_config::{container_run, pinned_version};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_FILE: &str = ".skillaudit/registry.csv";

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Audit a server and record it (replacing its entry): SERVER_ID is a pinned scan target,
    /// `npm:@scope/name@1.2.3`, `pypi:name==1.2.3` or a git URL with `#COMMIT`.
    Add {
        server_id: String,
        /// Environments it is approved for (comma-separated: prod, staging, dev, ci, or the
        /// policy's names).
        #[arg(long = "env", value_delimiter = ',', required = true)]
        environments: Vec<String>,
        /// Team responsible for monitoring it.
        #[arg(long)]
        owner: String,
        #[arg(long)]
        display_name: Option<String>,
        /// One sentence: what systems the server reads and writes.
        #[arg(long, default_value = "")]
        data_access: String,
        /// Where the report is published (default: the report's URL, else its audit id).
        #[arg(long)]
        audit_url: Option<String>,
        /// Forbid all network access (the server must be in the cache or local).
        #[arg(long, env = "SKILLAUDIT_OFFLINE")]
        offline: bool,
        #[arg(long, value_name = "FILE", default_value = DEFAULT_FILE)]
        file: PathBuf,
    },
    /// Remove a server's entry.
    Remove {
        server_id: String,
        #[arg(long, value_name = "FILE", default_value = DEFAULT_FILE)]
        file: PathBuf,
    },
    /// List the registry.
    List {
        #[arg(long, value_name = "FILE", default_value = DEFAULT_FILE)]
        file: PathBuf,
    },
    /// For CI: every server the project's client configurations start (or those of the FILEs)
    /// is registered at the approved version, audited within 90 days, at or above the floor of
    /// each environment it is approved for, with exceptions unexpired (60 days at most,
    /// approver named). A version bump is reported as a re-audit trigger.
    Check {
        /// Configuration files (default: the project's, found as `skillaudit config` does).
        files: Vec<PathBuf>,
        #[arg(long, value_name = "FILE", default_value = DEFAULT_FILE)]
        file: PathBuf,
        /// Project folder (default: the current folder).
        #[arg(long, value_name = "DIR")]
        project: Option<PathBuf>,
        /// Policy file with the environments' floors (default: ./skillaudit.toml, else the
        /// built-in environments).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// The date to judge ages and expiries on (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD", hide = true)]
        today: Option<jiff::civil::Date>,
    },
    /// Print the registry as CSV or JSON.
    Export {
        #[arg(long, value_name = "FILE", default_value = DEFAULT_FILE)]
        file: PathBuf,
        #[arg(long, short = 'f', default_value = "json", value_parser = ["json", "csv"])]
        format: String,
    },
}

pub fn run(command: RegistryCommand) -> anyhow::Result<ExitCode> {
    match command {
        RegistryCommand::Add {
            server_id,
            environments,
            owner,
            display_name,
            data_access,
            audit_url,
            offline,
            file,
        } => {
            let (_, version) = registry::split_server_id(&server_id);
            if version.is_none() {
                anyhow::bail!("{server_id}: register a pinned version (npm:NAME@1.2.3, pypi:NAME==1.2.3, URL#COMMIT)");
            }
            let mut entries = read(&file, true)?;
            let mut options = skillaudit_engine::AuditOptions::new(offline);
            options.exemptions = skillaudit_engine::ExemptionSource::Disabled;
            let report = skillaudit_engine::audit(&server_id, &options)
                .with_context(|| format!("cannot audit {server_id}"))?;
            let entry = Entry {
                display_name: display_name.unwrap_or_else(|| report.target.name.clone()),
                current_grade: report.grade,
                audit_url: audit_url
                    .or(report.report_url.clone())
                    .unwrap_or_else(|| report.audit_id.clone()),
                audit_date: today(),
                environments_approved: environments,
                data_access_summary: data_access,
                exception_id: None,
                exception_granted: None,
                exception_expires: None,
                exception_approved_by: None,
                owner_team: owner,
                f_axes: skillaudit_core::Axis::ALL
                    .iter()
                    .filter(|axis| report.axes.get(**axis).grade == skillaudit_core::Grade::F)
                    .map(|axis| axis.as_str().to_string())
                    .collect(),
                line: 0,
                server_id: server_id.clone(),
            };
            println!(
                "{server_id}: grade {} ({}/100), audited {}",
                report.grade, report.score, entry.audit_date
            );
            entries.retain(|e| e.server_id != server_id);
            entries.push(entry);
            write(&file, &entries)?;
            println!("recorded in {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Remove { server_id, file } => {
            let mut entries = read(&file, false)?;
            let before = entries.len();
            entries.retain(|e| e.server_id != server_id);
            if entries.len() == before {
                eprintln!("skillaudit: {server_id} is not in {}", file.display());
                return Ok(ExitCode::from(2));
            }
            write(&file, &entries)?;
            println!("removed {server_id} from {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::List { file } => {
            let entries = read(&file, false)?;
            for e in &entries {
                let exception = e
                    .exception_id
                    .as_deref()
                    .map(|id| format!("  exception {id}"))
                    .unwrap_or_default();
                println!(
                    "{:<48} {}  audited {}  [{}]  {}{exception}",
                    e.server_id,
                    e.current_grade,
                    e.audit_date,
                    e.environments_approved.join(", "),
                    e.owner_team,
                );
            }
            println!(
                "{} server{}",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" }
            );
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Export { file, format } => {
            let entries = read(&file, false)?;
            if format == "csv" {
                print!("{}", registry::to_csv(&entries));
            } else {
                print!("{}", registry::to_json(&entries));
            }
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Check {
            files,
            file,
            project,
            policy,
            today: given_today,
        } => {
            let entries = read(&file, false)?;
            let audit = if files.is_empty() {
                let project = match project {
                    Some(p) => p,
                    None => std::env::current_dir().context("the current folder")?,
                };
                audit_discovered(None, Some(&project))
            } else {
                audit_files(&files)
            };
            let policy = load_policy(policy.as_deref())?;
            let mut unchecked = Vec::new();
            let servers = configured_servers(&audit, &mut unchecked);
            let problems = registry::check(
                &file.display().to_string(),
                &entries,
                &servers,
                &policy,
                given_today.unwrap_or_else(today),
            );
            for e in &audit.errors {
                println!("error: {}: {}", e.file, e.error);
            }
            for p in &problems {
                println!("error: {}: {}", p.place, p.message);
            }
            for note in &unchecked {
                println!("note: {note}");
            }
            println!(
                "{} server{} checked against {}: {} problem{}",
                servers.len(),
                if servers.len() == 1 { "" } else { "s" },
                file.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
            );
            Ok(if !problems.is_empty() {
                ExitCode::from(1)
            } else if !audit.errors.is_empty() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The servers of the configurations as the registry identifies them: packages by ecosystem
/// and name with the version pinned, containers by image and digest, remote servers by URL.
/// Local programs are not in the registry's terms: they are listed in `unchecked`.
fn configured_servers(
    audit: &crate::client_config::ConfigAudit,
    unchecked: &mut Vec<String>,
) -> Vec<ConfiguredServer> {
    let mut out = Vec::new();
    for file in &audit.files {
        for server in file.servers.iter().filter(|s| !s.disabled) {
            let place = format!("{}:{}", file.display, server.line.unwrap_or(0));
            let launch = audit
                .launches
                .iter()
                .find(|(f, name, _)| *f == file.display && *name == server.name)
                .map(|(_, _, launch)| launch);
            if let Some(launch) = launch {
                let (name, version) = pinned_version(launch);
                let key = match launch.ecosystem {
                    "npm" => format!("npm:{name}"),
                    "pypi" => format!("pypi:{}", registry::normalise_pypi(&name)),
                    _ => name.trim_start_matches("git+").to_string(),
                };
                out.push(ConfiguredServer {
                    place,
                    name: server.name.clone(),
                    key,
                    version,
                    versioned: true,
                });
            } else if let Some(image) = container_run(server).and_then(|run| run.image) {
                let (name, digest) = match image.split_once('@') {
                    Some((name, digest)) => (name.to_string(), Some(digest.to_string())),
                    // A tag is not a version the registry can hold it to.
                    None => (image.clone(), None),
                };
                let name = match (&digest, name.rsplit_once(':')) {
                    (None, Some((repo, tag))) if !tag.contains('/') => repo.to_string(),
                    _ => name,
                };
                out.push(ConfiguredServer {
                    place,
                    name: server.name.clone(),
                    key: format!("docker:{name}"),
                    version: digest,
                    versioned: true,
                });
            } else if let (None, Some(url)) = (&server.command, &server.url) {
                out.push(ConfiguredServer {
                    place,
                    name: server.name.clone(),
                    key: url.clone(),
                    version: None,
                    versioned: false,
                });
            } else {
                unchecked.push(format!(
                    "{place}: server `{}` runs a local program ({}): not a published server, not checked against the registry",
                    server.name,
                    server.command.as_deref().unwrap_or("no command")
                ));
            }
        }
    }
    out
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

fn load_policy(path: Option<&Path>) -> anyhow::Result<skillaudit_policy::policy::Policy> {
    let path = path
        .map(Path::to_path_buf)
        .or_else(|| Some(PathBuf::from("skillaudit.toml")).filter(|p| p.is_file()));
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the policy file {}", path.display()))?;
            Ok(skillaudit_policy::policy::parse(
                &path.display().to_string(),
                &text,
            )?)
        }
        None => Ok(skillaudit_policy::policy::builtin()),
    }
}

/// The registry's entries; a missing file is an empty registry only when `may_be_new`.
fn read(path: &Path, may_be_new: bool) -> anyhow::Result<Vec<Entry>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(registry::parse(&path.display().to_string(), &text)?),
        Err(e) if may_be_new && e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(anyhow::anyhow!(
            "cannot read the registry {}: {e}",
            path.display()
        )),
    }
}

fn write(path: &Path, entries: &[Entry]) -> anyhow::Result<()> {
    let text = if path
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".json")
    {
        registry::to_json(entries)
    } else {
        registry::to_csv(entries)
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
