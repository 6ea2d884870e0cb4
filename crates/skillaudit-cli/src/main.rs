//! `skillaudit`: audit MCP servers and agent skills.
//!
//! Exit codes: 0 the audit ran and the gate (if any) passed; 1 the policy failed; 2 SkillAudit
//! could not complete (a target could not be fetched or read, a malformed policy or exemptions
//! file, bad arguments).

use anyhow::Context;
use clap::{Parser, Subcommand};
use gate_text::GateResult;
use skillaudit_core::{Axis, Grade, MultiReport, Report, TargetError};
use skillaudit_engine::{audit_many_detailed, AuditOptions, ExemptionSource};
use skillaudit_policy::gate::Gate;
use skillaudit_policy::policy::Policy;
use skillaudit_render::{render, Format, RenderOptions};
use skillaudit_rules::registry;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod approved_registry;
mod baseline;
mod client_config;
mod db;
mod gate_text;
mod github;
mod init;
mod remote;
#[cfg(feature = "service")]
mod service;

#[derive(Parser, Debug)]
#[command(
    name = "skillaudit",
    version,
    about = "Security auditor for MCP servers and agent skills: findings with file and line, graded A–F on six axes.",
    after_help = "Exit codes: 0 audit completed; 1 policy failed; 2 SkillAudit could not complete."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Audit one or more targets: a folder, an archive (.tgz .tar.gz .zip .whl .mcpb .dxt),
    /// npm:NAME@VERSION, pypi:NAME==VERSION, a git URL, or a .json file holding a server's
    /// tools/list result.
    Scan(Box<ScanArgs>),
    /// List every rule: code, name, axis, default severity.
    Rules {
        /// Output format: text or json.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Print a rule's documentation page.
    Explain {
        /// Rule code, e.g. MNT-003.
        code: String,
    },
    /// Print the JSON Schema of the report card.
    Schema,
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell
    /// (`skillaudit completions bash > /etc/bash_completion.d/skillaudit`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from this command line's own definition
    /// (`skillaudit man > skillaudit.1`).
    Man,
    /// Re-render a saved JSON report in any format.
    Render(RenderArgs),
    /// Write a commented policy file (skillaudit.toml) and an exemptions file.
    Init {
        /// Folder to write into.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Print a CycloneDX 1.6 SBOM of a target's dependencies (with known advisories).
    Sbom {
        /// What to describe (any scan target).
        target: String,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Forbid all network access.
        #[arg(long, env = "SKILLAUDIT_OFFLINE")]
        offline: bool,
        /// Ask the registries for a local target too.
        #[arg(long)]
        resolve: bool,
        /// Advisory database folder.
        #[arg(long, value_name = "DIR", env = "SKILLAUDIT_OSV_DB")]
        osv_db: Option<PathBuf>,
    },
    /// Print a least-privilege manifest of a server: per tool, the annotations it should carry
    /// (`readOnlyHint`, `destructiveHint`, `idempotentHint`, `openWorldHint`) and the hosts and
    /// folders it needs, derived from what its handler does; and the token scopes it asks for
    /// that are broader than needed.
    Manifest {
        /// What to describe (any scan target).
        target: String,
        /// Output format: json or text.
        #[arg(long, short = 'f', default_value = "json", value_parser = ["json", "text"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Forbid all network access.
        #[arg(long, env = "SKILLAUDIT_OFFLINE")]
        offline: bool,
    },
    /// The offline advisory database (OSV): update, import, info.
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Record every current finding's fingerprint, so `scan --baseline FILE` gates only on new
    /// ones (adopting SkillAudit on a codebase with known findings).
    Baseline {
        /// What to audit (any scan target; several are recorded together).
        #[arg(required = true)]
        targets: Vec<String>,
        /// Where to write the baseline.
        #[arg(
            long,
            short = 'o',
            value_name = "FILE",
            default_value = ".skillaudit/baseline.json"
        )]
        output: PathBuf,
        /// Forbid all network access.
        #[arg(long, env = "SKILLAUDIT_OFFLINE")]
        offline: bool,
        /// Advisory database folder.
        #[arg(long, value_name = "DIR", env = "SKILLAUDIT_OSV_DB")]
        osv_db: Option<PathBuf>,
    },
    /// Find the MCP client configurations of the user and the project (Claude Desktop, Claude
    /// Code, Cursor, Windsurf, VS Code, Zed, Codex, Gemini CLI, Continue, Cline) or read the
    /// files named; list their servers per client and scope and report what is unsafe in them
    /// (CFG rules).
    Config(client_config::ConfigArgs),
    /// The organisation's approved-server registry: add (audit and record), remove, list,
    /// check (CI: the committed configurations against it), export.
    #[command(subcommand)]
    Registry(approved_registry::RegistryCommand),
    /// Write ready CI files: a GitHub Actions workflow, a GitLab CI job or a pre-commit config.
    InitCi {
        /// github, gitlab or pre-commit.
        #[arg(value_parser = ["github", "gitlab", "pre-commit"])]
        system: String,
        /// Folder to write into (the repository root).
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Run the audit service: the HTTP API, report pages, badges and audit workers, on an
    /// embedded SQLite database (or PostgreSQL with --database).
    #[cfg(feature = "service")]
    Serve(service::ServeArgs),
    /// Run audit workers without the API, on the service's database (with PostgreSQL, any
    /// number of machines can run them against one queue).
    #[cfg(feature = "service")]
    Worker(service::WorkerArgs),
    /// The service's API keys: create, list, revoke.
    #[cfg(feature = "service")]
    #[command(subcommand)]
    Keys(service::KeysCommand),
    /// The service's audit log: verify its hash chain.
    #[cfg(feature = "service")]
    #[command(subcommand)]
    Log(service::LogCommand),
}

#[derive(clap::Args, Debug)]
struct ScanArgs {
    /// What to audit. Several targets are audited in parallel, one report each.
    #[arg(required = true)]
    targets: Vec<String>,
    /// Git ref (branch, tag or commit) for git URL targets.
    #[arg(long = "ref", value_name = "REF")]
    git_ref: Option<String>,
    /// Output format: text, json, sarif, markdown, html, codequality, metrics, badge.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the report in another format to a file (repeatable):
    /// `--write sarif=skillaudit.sarif --write html=report.html`.
    #[arg(long = "write", value_name = "FORMAT=FILE", value_parser = parse_write)]
    writes: Vec<(Format, PathBuf)>,
    /// Forbid all network access: registry and git targets fail, network checks are listed as not run.
    #[arg(long, env = "SKILLAUDIT_OFFLINE")]
    offline: bool,
    /// Ask the SkillAudit service at URL for the report cards instead of auditing here
    /// (targets: npm:, pypi: and https:// git URLs; the API key from SKILLAUDIT_API_KEY). The
    /// gate, formats and CI outputs work as for a local scan.
    #[arg(
        long,
        value_name = "URL",
        env = "SKILLAUDIT_SERVER",
        conflicts_with = "offline"
    )]
    server: Option<String>,
    /// Never colour the output (colour is used only on a terminal anyway; a non-empty NO_COLOR
    /// variable does the same).
    #[arg(long)]
    no_color: bool,
    /// Show every finding in text output, including INFO and test-surface ones.
    #[arg(long, short = 'v')]
    verbose: bool,
    /// Print what the code analysis reached: calls on data paths and how they resolved, sinks
    /// and why input did not reach them (text output; the JSON always has an `analysis` section).
    #[arg(long)]
    stats: bool,
    /// Ask the registries for a local target too: deprecated / yanked dependencies, the MCP
    /// SDK's releases, PyPI's vulnerability lists (registry targets always do, unless offline).
    #[arg(long, help_heading = "Dependencies")]
    resolve: bool,
    /// Advisory database folder (default: osv/ in the cache; fill it with `skillaudit db update`).
    #[arg(
        long,
        value_name = "DIR",
        env = "SKILLAUDIT_OSV_DB",
        help_heading = "Dependencies"
    )]
    osv_db: Option<PathBuf>,
    /// Write a CycloneDX 1.6 SBOM of the dependency graph (one target).
    #[arg(long, value_name = "FILE", help_heading = "Dependencies")]
    sbom: Option<PathBuf>,
    /// Write the lockfile resolved from the manifest when none pins the dependencies (one
    /// target): FILE, or a folder to get package-lock.json / requirements.txt in it.
    #[arg(long, value_name = "FILE|DIR", help_heading = "Dependencies")]
    lockfile_out: Option<PathBuf>,

    /// Fail (exit 1) when the overall grade is below G (A–F).
    #[arg(long, value_name = "G", value_parser = parse_grade_arg, help_heading = "Gate")]
    min_grade: Option<Grade>,
    /// Fail when an axis is below its floor, e.g. `security=A` (repeatable).
    #[arg(long, value_name = "AXIS=G", value_parser = parse_axis_arg, help_heading = "Gate")]
    min_axis: Vec<(Axis, Grade)>,
    /// Fail on any critical finding (HIGH on the runtime surface, not exempted).
    #[arg(long, help_heading = "Gate")]
    block_on_critical: bool,
    /// Fail when any axis is graded F.
    #[arg(long, help_heading = "Gate")]
    no_f_axis: bool,
    /// Report the policy's verdict but exit 0 when it fails (errors still exit 2).
    #[arg(long, help_heading = "Gate")]
    fail_open: bool,
    /// Fail when no advisory database was used, or one older than --advisories-max-age.
    #[arg(long, help_heading = "Gate")]
    require_advisories: bool,
    /// Oldest advisory database that passes a gate requiring advisories, in days (default 7).
    #[arg(long, value_name = "DAYS", help_heading = "Gate")]
    advisories_max_age: Option<u32>,
    /// Policy environment from skillaudit.toml (or the reference policy: production-pii,
    /// production, staging, development, ci). Flags above can only tighten it.
    #[arg(
        long = "env",
        value_name = "NAME",
        env = "SKILLAUDIT_ENV",
        help_heading = "Gate"
    )]
    env_name: Option<String>,
    /// Policy file (default: ./skillaudit.toml when present).
    #[arg(long, value_name = "FILE", help_heading = "Gate")]
    policy: Option<PathBuf>,
    /// Exemptions file for every target (default: the policy's `exemptions`, else
    /// .skillaudit/exemptions.yml inside a local folder target).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Gate",
        conflicts_with = "no_exemptions"
    )]
    exemptions: Option<PathBuf>,
    /// Ignore every exemptions file.
    #[arg(long, help_heading = "Gate")]
    no_exemptions: bool,
    /// Do not audit paths matching GLOB (repeatable): `fixtures`, `*.min.js`, `src/gen/**`. A
    /// local folder's .skillauditignore adds its own patterns (a downloaded package's is never read).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Only findings new since this baseline count against the gate: a previous JSON report, or
    /// a file written by `skillaudit baseline`. Matched by fingerprint; the others are reported
    /// as in the baseline and deduct nothing.
    #[arg(long, value_name = "FILE", help_heading = "Gate")]
    baseline: Option<PathBuf>,

    /// Write an SVG badge (shields style, coloured by grade).
    #[arg(long, value_name = "FILE", help_heading = "CI outputs")]
    badge: Option<PathBuf>,
    /// Write the report as a pull-request comment (Markdown with the gate's verdict).
    #[arg(long, value_name = "FILE", help_heading = "CI outputs")]
    pr_comment: Option<PathBuf>,
    /// GitHub Actions output (annotations, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY): on by default
    /// when GITHUB_ACTIONS=true.
    #[arg(long, help_heading = "CI outputs")]
    github: bool,
}

#[derive(clap::Args, Debug)]
struct RenderArgs {
    /// A report saved with `scan --format json`.
    report: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Show every finding in text output.
    #[arg(long, short = 'v')]
    verbose: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse::<Format>().map_err(|e| e.to_string())
}

pub(crate) fn parse_write(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE (like sarif=out.sarif), got {text:?}"))?;
    if file.is_empty() {
        return Err(format!("no file after {format}="));
    }
    Ok((parse_format(format)?, PathBuf::from(file)))
}

fn parse_grade_arg(text: &str) -> Result<Grade, String> {
    skillaudit_policy::gate::parse_grade(text)
}

fn parse_axis_arg(text: &str) -> Result<(Axis, Grade), String> {
    skillaudit_policy::gate::parse_axis_floor(text)
}

/// Variables that configure SkillAudit or its CI output. Set but empty means unset: a CI file that
/// writes `SKILLAUDIT_ENV: ""` or a runner that exports `GITHUB_ACTIONS=` is not a usage error.
const CONFIG_VARIABLES: [&str; 10] = [
    "GITHUB_ACTIONS",
    "SKILLAUDIT_ENV",
    "SKILLAUDIT_OFFLINE",
    "SKILLAUDIT_OSV_DB",
    "SKILLAUDIT_OSV_URL",
    "SKILLAUDIT_CACHE_DIR",
    "SKILLAUDIT_METADATA_TTL",
    "SKILLAUDIT_SERVER",
    "SKILLAUDIT_API_KEY",
    "NO_COLOR",
];

/// A variable's value, `None` when it is unset or empty.
fn env_value(name: &str) -> Option<String> {
    std::env::var_os(name)
        .map(|value| value.to_string_lossy().trim().to_string())
        .filter(|value| !value.is_empty())
}

/// `NO_COLOR` (<https://no-color.org>): any non-empty value turns colour off.
fn no_color_env() -> bool {
    env_value("NO_COLOR").is_some()
}

/// `GITHUB_ACTIONS=true` (what the runner sets; `1`, `yes` and `on` too) turns GitHub output on.
fn github_actions_env() -> bool {
    env_value("GITHUB_ACTIONS").is_some_and(|value| {
        matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on"
        )
    })
}

fn main() -> ExitCode {
    for name in CONFIG_VARIABLES {
        if std::env::var_os(name).is_some() && env_value(name).is_none() {
            // Single-threaded here: nothing else reads the environment yet.
            std::env::remove_var(name);
        }
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("skillaudit: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Scan(args) => scan(*args),
        Command::Rules { format } => {
            let metas = registry::all_meta();
            let mut out = std::io::stdout().lock();
            if format == "json" {
                let rows: Vec<serde_json::Value> = metas
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "code": m.code, "name": m.name, "axis": m.axis,
                            "severity": m.severity, "cwe": m.cwe, "summary": m.summary(),
                            "help_uri": m.help_uri(),
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                // Columns as wide as their longest entry, so every row lines up.
                let code_width = metas.iter().map(|m| m.code.len()).max().unwrap_or(0).max(4);
                let name_width = metas.iter().map(|m| m.name.len()).max().unwrap_or(0).max(4);
                let axis_width = metas
                    .iter()
                    .map(|m| m.axis.as_str().len())
                    .max()
                    .unwrap_or(0)
                    .max(4);
                writeln!(
                    out,
                    "{:<code_width$}  {:<name_width$}  {:<axis_width$}  SEVERITY",
                    "CODE", "NAME", "AXIS"
                )?;
                for m in metas {
                    writeln!(
                        out,
                        "{:<code_width$}  {:<name_width$}  {:<axis_width$}  {}",
                        m.code,
                        m.name,
                        m.axis.as_str(),
                        m.severity
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { code } => match registry::find(&code) {
            Some(rule) => {
                print!("{}", skillaudit_rules::docs::rule_page(rule.meta()));
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!("skillaudit: no rule with code {code}; `skillaudit rules` lists them");
                Ok(ExitCode::from(2))
            }
        },
        Command::Schema => {
            print!("{}", skillaudit_core::schema::report_schema_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "skillaudit", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            std::io::Write::write_all(&mut std::io::stdout(), &out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Render(args) => render_saved(args),
        Command::Init { dir, force } => init::init(&dir, force),
        Command::InitCi { system, dir, force } => init::init_ci(&system, &dir, force),
        Command::Db(command) => db::run(command),
        #[cfg(feature = "service")]
        Command::Serve(args) => service::serve(args),
        #[cfg(feature = "service")]
        Command::Worker(args) => service::worker(args),
        #[cfg(feature = "service")]
        Command::Keys(command) => service::keys(command),
        #[cfg(feature = "service")]
        Command::Log(command) => service::log(command),
        Command::Config(args) => client_config::run(args),
        Command::Registry(command) => approved_registry::run(command),
        Command::Baseline {
            targets,
            output,
            offline,
            osv_db,
        } => baseline::write(&targets, &output, offline, osv_db),
        Command::Manifest {
            target,
            format,
            output,
            offline,
        } => {
            let report = skillaudit_engine::audit(&target, &AuditOptions::new(offline))?;
            let mut text = Vec::new();
            if format == "text" {
                skillaudit_render::manifest::render_text(&report, &mut text)?;
            } else {
                skillaudit_render::manifest::render_json(&report, &mut text)?;
            }
            match output {
                Some(path) => write_file(&path, &text)?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sbom {
            target,
            output,
            offline,
            resolve,
            osv_db,
        } => {
            let mut options = AuditOptions::new(offline);
            options.resolve = resolve;
            options.osv_db = osv_db;
            let audited = skillaudit_engine::audit_detailed(&target, &options)?;
            let text = skillaudit_engine::sbom(&audited);
            match output {
                Some(path) => write_file(&path, text.as_bytes())?,
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The policy file in effect: `--policy FILE`, else `./skillaudit.toml` when present.
fn load_policy(args: &ScanArgs) -> anyhow::Result<Option<(Policy, PathBuf)>> {
    let path = match &args.policy {
        Some(path) => path.clone(),
        None => {
            let default = PathBuf::from("skillaudit.toml");
            if !default.is_file() {
                return Ok(None);
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the policy file {}", path.display()))?;
    let policy = skillaudit_policy::policy::parse(&path.display().to_string(), &text)?;
    Ok(Some((policy, path)))
}

/// The gate of this run: the environment's (if any), tightened by the flags.
fn gate_of(args: &ScanArgs, policy: Option<&Policy>) -> anyhow::Result<(Gate, Option<String>)> {
    let flags = Gate {
        min_grade: args.min_grade,
        min_axis: args.min_axis.iter().copied().collect(),
        block_on_critical: args.block_on_critical,
        no_f_axis: args.no_f_axis,
        fail_open: args.fail_open,
        require_advisories: args.require_advisories,
        advisories_max_age_days: args.advisories_max_age,
    };
    let builtin;
    let policy = match policy {
        Some(policy) => policy,
        None if args.env_name.is_some() => {
            builtin = skillaudit_policy::policy::builtin();
            &builtin
        }
        None => return Ok((flags, None)),
    };
    match policy
        .environment(args.env_name.as_deref())
        .map_err(anyhow::Error::msg)?
    {
        Some(env) => Ok((env.gate.stricter(&flags), Some(env.name.clone()))),
        None => Ok((flags, None)),
    }
}

/// Where exemptions come from in this run.
fn exemption_source(
    args: &ScanArgs,
    policy: Option<&(Policy, PathBuf)>,
) -> anyhow::Result<ExemptionSource> {
    if args.no_exemptions {
        return Ok(ExemptionSource::Disabled);
    }
    let read = |path: &std::path::Path| -> anyhow::Result<ExemptionSource> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the exemptions file {}", path.display()))?;
        let parsed = skillaudit_policy::exemptions::parse(&path.display().to_string(), &text)?;
        Ok(ExemptionSource::Given(parsed))
    };
    if let Some(path) = &args.exemptions {
        return read(path);
    }
    if let Some((policy, policy_path)) = policy {
        if let Some(relative) = &policy.exemptions {
            let base = policy_path.parent().unwrap_or(std::path::Path::new("."));
            let path = base.join(relative);
            if path.is_file() {
                return read(&path);
            }
        }
    }
    Ok(ExemptionSource::Auto)
}

fn render_to_vec(
    format: Format,
    reports: &[Report],
    errors: &[TargetError],
    opts: &RenderOptions,
) -> anyhow::Result<Vec<u8>> {
    let rules: Vec<_> = registry::all_meta().into_iter().copied().collect();
    let mut buffer = Vec::new();
    render(format, reports, errors, &rules, opts, &mut buffer)?;
    Ok(buffer)
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    // Policy and exemptions are read before anything is audited: a malformed file is an
    // error (exit 2) that names the file and line, never a silently weaker gate.
    let policy = load_policy(&args)?;
    let (gate, env) = gate_of(&args, policy.as_ref().map(|(p, _)| p))?;
    let mut options = AuditOptions::new(args.offline);
    options.git_ref = args.git_ref.clone();
    options.exemptions = exemption_source(&args, policy.as_ref())?;
    options.resolve = args.resolve;
    options.osv_db = args.osv_db.clone();
    options.exclude = args.exclude.clone();
    if let Some(path) = &args.baseline {
        let fingerprints = baseline::read(path)?;
        options.baseline = skillaudit_policy::exemptions::baseline_entries(
            &format!("baseline {}", path.display()),
            &fingerprints,
        );
    }
    if (args.sbom.is_some() || args.lockfile_out.is_some())
        && skillaudit_engine::expand_targets(&args.targets, &options).len() != 1
    {
        anyhow::bail!("--sbom and --lockfile-out describe one target; give one target (a folder holding several MCP servers is several targets: name one server's folder)");
    }

    let show_progress = args.targets.len() > 1 && std::io::stderr().is_terminal();
    let bar = if show_progress {
        let bar = indicatif::ProgressBar::new(args.targets.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} auditing {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let progress = |target: &str| {
        if let Some(bar) = &bar {
            bar.set_message(target.to_string());
            bar.inc(1);
        }
    };
    let (audited, errors) = match &args.server {
        Some(server) => {
            if args.sbom.is_some() || args.lockfile_out.is_some() {
                anyhow::bail!(
                    "--sbom and --lockfile-out need a local audit; with --server, fetch the SBOM from the service (GET /api/v1/audits/ID/sbom)"
                );
            }
            remote::audit_remote(
                server,
                &args.targets,
                args.git_ref.as_deref(),
                std::time::Duration::from_secs(30 * 60),
            )
        }
        None => audit_many_detailed(&args.targets, &options, &progress),
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let (Some(path), Some(one)) = (&args.sbom, audited.first()) {
        write_file(path, skillaudit_engine::sbom(one).as_bytes())?;
    }
    if let (Some(path), Some(one)) = (&args.lockfile_out, audited.first()) {
        let resolved = one
            .dependencies
            .as_ref()
            .map(|d| d.resolved_lockfiles.clone())
            .unwrap_or_default();
        // A folder when it is one, when it is named as one (a trailing `/`), or when several
        // lockfiles were resolved; it is created when missing.
        let as_folder = path.is_dir()
            || path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
            || resolved.len() > 1;
        if resolved.is_empty() {
            eprintln!("skillaudit: --lockfile-out: nothing was resolved (a lockfile pins the dependencies, there are none, or the registries were not asked: pass --resolve for a local target)");
        } else if as_folder {
            for (name, text) in &resolved {
                write_file(&path.join(name), text.as_bytes())?;
            }
        } else {
            write_file(path, resolved[0].1.as_bytes())?;
        }
    }
    let reports: Vec<Report> = audited.into_iter().map(|a| a.report).collect();
    // What `require_advisories` needs beyond the report: when the database the audit read
    // (the same folder the engine opened) was imported.
    let advisory_db_imported_at = if gate.require_advisories {
        let dir = options
            .osv_db
            .clone()
            .unwrap_or_else(|| skillaudit_source::osv_download::osv_db_dir(&options.fetch));
        skillaudit_deps::osv::Database::open(&dir)
            .ok()
            .map(|db| db.info().imported_at.clone())
    } else {
        None
    };
    let result = GateResult::judge(
        gate,
        env,
        &reports,
        &errors,
        advisory_db_imported_at.as_deref(),
    );

    // `audit_many` keeps the order the targets were given in.
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let opts = RenderOptions {
        color: to_terminal && !args.no_color && !no_color_env(),
        verbose: args.verbose,
        stats: args.stats,
    };
    let main = render_to_vec(args.format, &reports, &errors, &opts)?;
    let stdout_is_machine = args.output.is_none() && args.format != Format::Text;
    match &args.output {
        Some(path) => write_file(path, &main)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&main)?;
            out.flush()?;
        }
    }
    let plain = RenderOptions::default();
    for (format, path) in &args.writes {
        write_file(path, &render_to_vec(*format, &reports, &errors, &plain)?)?;
    }
    if let Some(path) = &args.badge {
        write_file(
            path,
            &render_to_vec(Format::Badge, &reports, &errors, &plain)?,
        )?;
    }
    let gate_markdown = result.markdown(&reports);
    let report_markdown = render_to_vec(Format::Markdown, &reports, &errors, &plain)?;
    if let Some(path) = &args.pr_comment {
        let mut text = String::from(PR_COMMENT_MARKER);
        text.push('\n');
        text.push_str(&gate_markdown);
        text.push_str(&String::from_utf8_lossy(&report_markdown));
        write_file(path, text.as_bytes())?;
    }
    if args.github || github_actions_env() {
        let workspace = std::env::var_os("GITHUB_WORKSPACE")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut lines = Vec::new();
        for report in &reports {
            let prefix = github::repo_prefix(report, &workspace, &cwd);
            lines.extend(github::annotations(report, prefix.as_deref()));
        }
        for line in result
            .stderr_lines(&reports)
            .iter()
            .filter(|l| l.contains("FAILED"))
        {
            lines.push(format!(
                "::error title=SkillAudit gate::{}",
                line.replace('%', "%25")
            ));
        }
        // Workflow commands are read from standard output; when that carries a machine-readable
        // report they go to standard error (which the runner reads as well) so the report stays
        // parseable.
        let text = lines.join("\n") + if lines.is_empty() { "" } else { "\n" };
        if stdout_is_machine {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
        github::append_to_env_file("GITHUB_OUTPUT", &github::outputs(&reports, &result))?;
        let mut summary = gate_markdown.clone();
        summary.push_str(&String::from_utf8_lossy(&report_markdown));
        github::append_to_env_file("GITHUB_STEP_SUMMARY", &summary)?;
    }
    for line in result.stderr_lines(&reports) {
        eprintln!("{line}");
    }
    for error in &errors {
        eprintln!("skillaudit: cannot audit {}: {}", error.target, error.error);
    }
    if !errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    if !result.passed() && !result.gate.fail_open {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// First line of the PR-comment file, so a workflow can find and update its earlier comment.
const PR_COMMENT_MARKER: &str = "<!-- skillaudit-report -->";

/// Saved reports are capped: a report card is a few megabytes at most.
const MAX_SAVED_REPORT_BYTES: u64 = 256 * 1024 * 1024;

fn render_saved(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let size = std::fs::metadata(&args.report)
        .with_context(|| format!("cannot read {}", args.report.display()))?
        .len();
    if size > MAX_SAVED_REPORT_BYTES {
        anyhow::bail!(
            "{} is {size} bytes, over the {MAX_SAVED_REPORT_BYTES}-byte limit for a saved report",
            args.report.display()
        );
    }
    let text = std::fs::read_to_string(&args.report)
        .with_context(|| format!("cannot read {}", args.report.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", args.report.display()))?;
    let (reports, errors) = if value.get("reports").is_some() {
        let multi: MultiReport = serde_json::from_value(value)
            .with_context(|| format!("{} is not a SkillAudit report", args.report.display()))?;
        (multi.reports, multi.errors)
    } else {
        let report: Report = serde_json::from_value(value)
            .with_context(|| format!("{} is not a SkillAudit report", args.report.display()))?;
        (vec![report], Vec::new())
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let opts = RenderOptions {
        color: to_terminal && !no_color_env(),
        verbose: args.verbose,
        stats: false,
    };
    let bytes = render_to_vec(args.format, &reports, &errors, &opts)?;
    match &args.output {
        Some(path) => write_file(path, &bytes)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
