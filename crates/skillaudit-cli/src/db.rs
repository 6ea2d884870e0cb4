//! `skillaudit db`: the offline advisory database (OSV) in the cache.
//!
//! - `db update` downloads the OSV exports of npm and PyPI (`{source}/{ecosystem}/all.zip`,
//!   source from `--source` or `SKILLAUDIT_OSV_URL`, default OSV's public bucket) and imports
//!   them; the previous database stays in use until an import completes. `--if-older-than
//!   HOURS` skips the download while the database is younger (CI jobs that cache it). A failed
//!   download says how to use a mirror (`--source`) or an offline copy (`db import`).
//! - `db import DIR|ZIP|FILE` loads a local copy (air-gapped setups: download the zips
//!   elsewhere, carry them over).
//! - `db info` says what the database holds, when it was imported and how old it is (the age a
//!   gate with `require_advisories` judges).

use anyhow::Context;
use skillaudit_deps::osv::Database;
use skillaudit_policy::advisories;
use skillaudit_source::osv_download::{
    download_file, osv_db_dir, osv_export_url, DEFAULT_OSV_BASE,
};
use skillaudit_source::FetchOptions;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum DbCommand {
    /// Download the OSV exports (npm, PyPI) and import them.
    Update {
        /// Base URL of the exports (`{source}/{ecosystem}/all.zip`).
        #[arg(long, env = "SKILLAUDIT_OSV_URL", default_value = DEFAULT_OSV_BASE)]
        source: String,
        /// Ecosystems to download (repeatable).
        #[arg(long = "ecosystem", default_values = ["npm", "PyPI"])]
        ecosystems: Vec<String>,
        /// Database folder (default: osv/ in the cache).
        #[arg(long, env = "SKILLAUDIT_OSV_DB")]
        db: Option<PathBuf>,
        /// Download only when the database is missing or older than this many hours (for CI
        /// jobs that restore it from a cache).
        #[arg(long, value_name = "HOURS")]
        if_older_than: Option<u32>,
    },
    /// Import OSV records from a folder of JSON files, a zip of them, or one JSON file.
    Import {
        source: PathBuf,
        #[arg(long, env = "SKILLAUDIT_OSV_DB")]
        db: Option<PathBuf>,
    },
    /// What the database holds.
    Info {
        #[arg(long, env = "SKILLAUDIT_OSV_DB")]
        db: Option<PathBuf>,
    },
}

fn db_dir(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| osv_db_dir(&FetchOptions::new(false)))
}

fn print_stats(stats: &skillaudit_deps::osv::ImportStats) {
    eprintln!(
        "skillaudit: imported {} records ({} packages); skipped {}",
        stats.records, stats.packages, stats.skipped_count
    );
    for (entry, why) in stats.skipped.iter().take(10) {
        eprintln!("  skipped {entry}: {why}");
    }
}

pub fn run(command: DbCommand) -> anyhow::Result<ExitCode> {
    match command {
        DbCommand::Update {
            source,
            ecosystems,
            db,
            if_older_than,
        } => {
            let dir = db_dir(db);
            if let Some(hours) = if_older_than {
                if let Some(age) = age_seconds(&dir) {
                    if age < i64::from(hours) * 3600 {
                        eprintln!(
                            "skillaudit: the advisory database is {}: not downloading \
                             (--if-older-than {hours})",
                            advisories::age_text(age)
                        );
                        return info(&dir);
                    }
                }
            }
            let opts = FetchOptions::new(false);
            let downloads = dir.join("downloads");
            for ecosystem in &ecosystems {
                let url = osv_export_url(&source, ecosystem);
                let file = downloads.join(format!("{ecosystem}-all.zip"));
                eprintln!("skillaudit: downloading {url}");
                let bytes = download_file(&url, &file, &opts).with_context(|| {
                    format!(
                        "cannot download the {ecosystem} advisories from {url}\n  \
                         a mirror or proxy that holds the OSV exports: \
                         `skillaudit db update --source URL` (or SKILLAUDIT_OSV_URL), \
                         fetched as URL/{ecosystem}/all.zip\n  \
                         no network here: download {DEFAULT_OSV_BASE}/{ecosystem}/all.zip \
                         elsewhere and run `skillaudit db import all.zip`"
                    )
                })?;
                eprintln!("skillaudit: {bytes} bytes; importing");
                let stats = Database::import(&file, &dir)
                    .with_context(|| format!("cannot import {}", file.display()))?;
                print_stats(&stats);
                // The zip is not needed once imported.
                let _ = std::fs::remove_file(&file);
            }
            info(&dir)
        }
        DbCommand::Import { source, db } => {
            let dir = db_dir(db);
            let stats = Database::import(&source, &dir)
                .with_context(|| format!("cannot import {}", source.display()))?;
            print_stats(&stats);
            info(&dir)
        }
        DbCommand::Info { db } => info(&db_dir(db)),
    }
}

fn info(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let db = Database::open(dir).with_context(|| {
        format!(
            "no usable advisory database in {}: run `skillaudit db update` \
             (or `skillaudit db import DIR|ZIP`)",
            dir.display()
        )
    })?;
    let info = db.info();
    println!("database   {}", dir.display());
    let age = match advisories::unix_seconds(&info.imported_at) {
        Some(imported) => format!(" ({})", advisories::age_text(now_seconds() - imported)),
        None => String::new(),
    };
    println!("imported   {}{age} from {}", info.imported_at, info.source);
    println!("records    {} ({} packages)", info.records, info.packages);
    for (eco, count) in &info.records_per_ecosystem {
        println!("  {eco:<8} {count}");
    }
    Ok(ExitCode::SUCCESS)
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// Seconds since the database in `dir` was imported; `None` when there is no usable one.
fn age_seconds(dir: &std::path::Path) -> Option<i64> {
    let db = Database::open(dir).ok()?;
    advisories::unix_seconds(&db.info().imported_at).map(|at| now_seconds() - at)
}
