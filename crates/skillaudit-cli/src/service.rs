//! `skillaudit serve`, `skillaudit keys` and `skillaudit log` (built with the `service`
//! feature): the audit service and its administration.

use clap::{Args, Subcommand};
use skillaudit_service::auth::Scope;
use skillaudit_service::commands::{self, Database, ServeOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Where the service keeps its data.
#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// Data folder (the SQLite database and the download cache). Default:
    /// $SKILLAUDIT_DATA_DIR, else ~/.local/share/skillaudit.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite://FILE (default: skillaudit.db in the data folder) or
    /// postgres://USER@HOST/DB.
    #[arg(long, value_name = "URL", env = "SKILLAUDIT_DATABASE_URL")]
    database: Option<String>,
}

impl DatabaseArgs {
    fn database(&self) -> Database {
        Database {
            data_dir: self
                .data_dir
                .clone()
                .unwrap_or_else(commands::default_data_dir),
            url: self.database.clone().filter(|u| !u.trim().is_empty()),
        }
    }
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    db: DatabaseArgs,
    /// Audits run at once (in-process workers; 0 for an API-only process whose jobs are run by
    /// `skillaudit worker` processes on the same database).
    #[arg(long, value_name = "N", default_value_t = 2)]
    workers: usize,
    /// The URL clients reach the service at, for badge and report links (default:
    /// http://ADDR).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Host whose https:// git repositories may be audited (repeatable; default: github.com,
    /// gitlab.com, codeberg.org, bitbucket.org).
    #[arg(long = "git-host", value_name = "HOST")]
    git_hosts: Vec<String>,
    /// Re-audit every server whose latest report is older than DAYS (0: never); badges say
    /// "stale" past it.
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    rescan_days: u64,
    /// POST drift events (grade drop, new HIGH, new advisory) here, signed with HMAC-SHA256 of
    /// SKILLAUDIT_WEBHOOK_SECRET in X-SkillAudit-Signature.
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
}

#[derive(Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// Audits run at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    workers: usize,
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Make an API key (printed once; only its SHA-256 is stored).
    Create {
        /// read (GET the API), write (also submit audits) or admin.
        #[arg(long, value_parser = ["read", "write", "admin"])]
        scope: String,
        /// A note saying whose key it is.
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// List keys (ids, scopes, labels, revocation; never the keys).
    List {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Revoke a key by id.
    Revoke {
        /// The key's id (key_…).
        id: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum LogCommand {
    /// Check the audit log's hash chain; name the first edited or deleted entry (exit 1).
    Verify {
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let admin_key = std::env::var("SKILLAUDIT_ADMIN_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty());
    let webhook = match args.webhook_url {
        Some(url) => {
            let secret = std::env::var("SKILLAUDIT_WEBHOOK_SECRET")
                .ok()
                .filter(|s| s.len() >= 16)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--webhook-url needs SKILLAUDIT_WEBHOOK_SECRET (16 characters or more) to sign events"
                    )
                })?;
            Some(skillaudit_service::webhook::Webhook { url, secret })
        }
        None => None,
    };
    commands::serve(ServeOptions {
        listen: args.listen,
        database: args.db.database(),
        workers: args.workers,
        public_url: args.public_url,
        git_hosts: args.git_hosts,
        admin_key,
        rescan_days: args.rescan_days,
        webhook,
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn worker(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    commands::work(commands::WorkOptions {
        database: args.db.database(),
        workers: args.workers.max(1),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

pub fn keys(command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::Create { scope, label, db } => {
            let scope =
                Scope::parse(&scope).ok_or_else(|| anyhow::anyhow!("unknown scope {scope:?}"))?;
            let (row, key) = commands::create_key(&db.database(), scope, &label)?;
            eprintln!(
                "skillaudit: created {} key {} (shown once: keep it now)",
                row.scope, row.id
            );
            println!("{key}");
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::List { db } => {
            for row in commands::list_keys(&db.database())? {
                let state = match row.revoked_at {
                    Some(at) => format!("revoked {}", time(at)),
                    None => "active".to_string(),
                };
                println!(
                    "{}\t{}\t{}\tcreated {}\t{}",
                    row.id,
                    row.scope,
                    state,
                    time(row.created_at),
                    row.label
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Revoke { id, db } => {
            if commands::revoke_key(&db.database(), &id)? {
                eprintln!("skillaudit: revoked {id}");
                Ok(ExitCode::SUCCESS)
            } else {
                anyhow::bail!("no active key {id:?}")
            }
        }
    }
}

pub fn log(command: LogCommand) -> anyhow::Result<ExitCode> {
    match command {
        LogCommand::Verify { db } => {
            let verification = commands::verify_log(&db.database())?;
            match &verification.first_broken {
                None => {
                    println!(
                        "audit log intact: {} entries; head {}",
                        verification.entries,
                        verification.head.as_deref().unwrap_or("(empty)")
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some((seq, why)) => {
                    println!("audit log BROKEN at entry {seq}: {why}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
