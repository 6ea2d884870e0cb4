//! `skillaudit db`: the offline advisory database (OSV) in the cache.
//!
//! - `db update` downloads the OSV exports of npm and PyPI (`{source}/{ecosystem}/all.zip`,
//!   source from `--source` or `SKILLAUDIT_OSV_URL`, default OSV's public bucket) and imports
//!   them; the previous database stays in use until an import completes.
//! - `db import DIR|ZIP|FILE` loads a local copy (air-gapped setups: download the zips
//!   elsewhere, carry them over).
//! - `db info` says what the database holds and when it was imported.

use anyhow::Context;
use skillaudit_deps::osv::Database;
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
        } => {
            let dir = db_dir(db);
            let opts = FetchOptions::new(false);
            let downloads = dir.join("downloads");
            for ecosystem in &ecosystems {
                let url = osv_export_url(&source, ecosystem);
                let file = downloads.join(format!("{ecosystem}-all.zip"));
                eprintln!("skillaudit: downloading {url}");
                let bytes = download_file(&url, &file, &opts)
                    .with_context(|| format!("cannot download the {ecosystem} advisories"))?;
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
    let db = Database::open(dir)?;
    let info = db.info();
    println!("database   {}", dir.display());
    println!("imported   {} from {}", info.imported_at, info.source);
    println!("records    {} ({} packages)", info.records, info.packages);
    for (eco, count) in &info.records_per_ecosystem {
        println!("  {eco:<8} {count}");
    }
    Ok(ExitCode::SUCCESS)
}
