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
use skillaudit_rules::client_config::config_project;
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
    let floor = match args.fail_on.as_str() {
        "medium" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "never" => None,
        _ => Some(Severity::High),
    };
    let failed = floor.is_some_and(|floor| audit.findings.iter().any(|f| f.severity <= floor));
    Ok(if failed {
        ExitCode::from(1)
    } else if !audit.errors.is_empty() {
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
    let project = config_project("mcp-client-configurations", texts, jiff::Timestamp::now());
    let mut findings = skillaudit_rules::run_all(&project).findings;
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
            file.display,
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
            writeln!(out, "  {:<20} {:<7} {how}{notes}", server.name, transport)?;
        }
        for problem in &file.problems {
            writeln!(out, "  error: {}: {problem}", file.display)?;
        }
    }
    if !audit.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "Not read:")?;
        for e in &audit.errors {
            writeln!(out, "  error: {}: {}", e.file, e.error)?;
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
                "  {:<6} {} {place}  {}",
                f.severity.to_string(),
                f.code,
                f.message
            )?;
            if let Some(fix) = &f.fix {
                writeln!(out, "         fix: {fix}")?;
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
