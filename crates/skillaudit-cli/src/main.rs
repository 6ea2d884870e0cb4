//! `skillaudit`: audit MCP servers and agent skills.
//!
//! Exit codes: 0 the audit ran (and, once a gate is configured, passed); 2 SkillAudit could not
//! complete (a target could not be fetched or read, bad arguments).

use anyhow::Context;
use clap::{Parser, Subcommand};
use skillaudit_engine::{audit_many, AuditOptions};
use skillaudit_render::{render, Format, RenderOptions};
use skillaudit_rules::registry;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    Scan(ScanArgs),
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
}

#[derive(clap::Args, Debug)]
struct ScanArgs {
    /// What to audit. Several targets are audited in parallel, one report each.
    #[arg(required = true)]
    targets: Vec<String>,
    /// Git ref (branch, tag or commit) for git URL targets.
    #[arg(long = "ref", value_name = "REF")]
    git_ref: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Forbid all network access: registry and git targets fail, network checks are listed as not run.
    #[arg(long, env = "SKILLAUDIT_OFFLINE")]
    offline: bool,
    /// Never colour the output (colour is used only on a terminal anyway).
    #[arg(long, env = "NO_COLOR", value_parser = clap::builder::BoolishValueParser::new(), default_value = "false")]
    no_color: bool,
    /// Show every finding in text output, including INFO and test-surface ones.
    #[arg(long, short = 'v')]
    verbose: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse::<Format>().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
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
        Command::Scan(args) => scan(args),
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
                writeln!(out, "{:<9} {:<36} {:<14} SEVERITY", "CODE", "NAME", "AXIS")?;
                for m in metas {
                    writeln!(
                        out,
                        "{:<9} {:<36} {:<14} {}",
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
    }
}

fn scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let mut options = AuditOptions::new(args.offline);
    options.git_ref = args.git_ref.clone();

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
    let (reports, errors) = audit_many(&args.targets, &options, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // `audit_many` keeps the order the targets were given in.
    let rules: Vec<_> = registry::all_meta().into_iter().copied().collect();
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let opts = RenderOptions {
        color: to_terminal && !args.no_color,
        verbose: args.verbose,
    };
    match &args.output {
        Some(path) => {
            let mut file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            render(args.format, &reports, &errors, &rules, &opts, &mut file)?;
            file.flush()?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            render(args.format, &reports, &errors, &rules, &opts, &mut out)?;
            out.flush()?;
        }
    }
    for error in &errors {
        eprintln!("skillaudit: cannot audit {}: {}", error.target, error.error);
    }
    if !errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
