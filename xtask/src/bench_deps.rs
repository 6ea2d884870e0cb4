//! `cargo xtask bench-deps`: how long parsing a 1,000-package lockfile and matching every
//! package against an offline OSV database takes (target: well under 100 ms), written to
//! docs/benchmarks.md.
//!
//! The inputs are generated, the same every run: a package-lock.json v3 of 1,000 packages
//! (nested `node_modules` paths, so the dependency paths are computed too), a poetry.lock of
//! 1,000 packages, and an OSV database of 20,000 records over 5,000 packages of which 100 touch
//! packages of the lockfiles (some affected, some fixed). Each measurement is the median of 15
//! runs after one warm-up run; "open + match" opens the database from disk every run.
//! Build with `--release` for figures worth recording.

use crate::doc_section::replace_marked;
use anyhow::{Context, Result};
use skillaudit_deps::lockfile::{self, LockFormat};
use skillaudit_deps::osv::Database;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const PACKAGES: usize = 1_000;
const RECORDS: usize = 20_000;
const RUNS: usize = 15;

fn package_lock() -> String {
    let mut packages = serde_json::Map::new();
    let mut root_deps = serde_json::Map::new();
    for i in 0..PACKAGES {
        let name = format!("pkg-{i:04}");
        let version = format!("1.{}.{}", i % 7, i % 11);
        // Every tenth package is nested under the previous one.
        let key = if i % 10 == 9 {
            format!("node_modules/pkg-{:04}/node_modules/{name}", i - 1)
        } else {
            root_deps.insert(name.clone(), serde_json::json!(format!("^{version}")));
            format!("node_modules/{name}")
        };
        let mut entry = serde_json::json!({
            "version": version,
            "resolved": format!("https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"),
            "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        });
        if i % 10 == 8 {
            entry["dependencies"] = serde_json::json!({ format!("pkg-{:04}", i + 1): format!("1.{}.{}", (i + 1) % 7, (i + 1) % 11) });
        }
        packages.insert(key, entry);
    }
    packages.insert(
        String::new(),
        serde_json::json!({"name": "bench", "version": "1.0.0", "dependencies": root_deps}),
    );
    serde_json::to_string_pretty(&serde_json::json!({
        "name": "bench", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
        "packages": packages,
    }))
    .unwrap_or_default()
}

fn poetry_lock() -> String {
    let mut text = String::new();
    for i in 0..PACKAGES {
        let _ = write!(
            text,
            "[[package]]\nname = \"py-pkg-{i:04}\"\nversion = \"2.{}.{}\"\ndescription = \"\"\noptional = false\npython-versions = \">=3.8\"\nfiles = []\n\n",
            i % 5,
            i % 13
        );
        if i % 10 == 8 {
            let _ = write!(
                text,
                "[package.dependencies]\npy-pkg-{:04} = \">=2.0\"\n\n",
                i + 1
            );
        }
    }
    text.push_str(
        "[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.10\"\ncontent-hash = \"0\"\n",
    );
    text
}

fn write_records(dir: &Path) -> Result<()> {
    for r in 0..RECORDS {
        let (eco, name) = if r < 100 {
            // Touch packages of the lockfiles: half affected, half fixed.
            if r % 2 == 0 {
                ("npm", format!("pkg-{:04}", r * 7))
            } else {
                ("PyPI", format!("py-pkg-{:04}", r * 7))
            }
        } else {
            ("npm", format!("other-{:05}", r % 5_000))
        };
        let fixed = if r % 4 < 2 { "99.0.0" } else { "0.0.1" };
        let record = serde_json::json!({
            "id": format!("GHSA-bnch-{r:04x}-0000"),
            "modified": "2026-01-01T00:00:00Z",
            "aliases": [format!("CVE-2026-{r:05}")],
            "summary": "benchmark record",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected": [{
                "package": {"ecosystem": eco, "name": name},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            }],
        });
        std::fs::write(dir.join(format!("r{r}.json")), record.to_string())?;
    }
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> Result<T>) -> Result<(Duration, T)> {
    let mut last = f()?;
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        last = f()?;
        samples.push(start.elapsed());
    }
    Ok((median(samples), last))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub fn main(root: &Path, _args: &[String]) -> ExitCode {
    match run(root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench-deps: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(root: &Path) -> Result<()> {
    let lock = package_lock();
    let poetry = poetry_lock();
    let records = tempfile::tempdir()?;
    write_records(records.path())?;
    let db_dir = tempfile::tempdir()?;
    let started = Instant::now();
    Database::import(records.path(), db_dir.path()).context("import")?;
    let import = started.elapsed();

    let mut rows = Vec::new();
    for (label, format, name, text) in [
        (
            "package-lock.json v3",
            LockFormat::NpmPackageLock,
            "package-lock.json",
            &lock,
        ),
        (
            "poetry.lock",
            LockFormat::PoetryLock,
            "poetry.lock",
            &poetry,
        ),
    ] {
        let (parse, graph) =
            time(|| lockfile::parse(format, name, text, None).map_err(|e| anyhow::anyhow!("{e}")))?;
        anyhow::ensure!(
            graph.packages.len() == PACKAGES,
            "{label}: parsed {} packages, expected {PACKAGES}",
            graph.packages.len()
        );
        let (matching, affected) = time(|| {
            let db = Database::open(db_dir.path())?;
            let mut affected = 0usize;
            for package in &graph.packages {
                affected += db
                    .advisories_for(package.ecosystem, &package.name, &package.version)?
                    .affecting
                    .len();
            }
            Ok(affected)
        })?;
        let (total, _) = time(|| {
            let graph =
                lockfile::parse(format, name, text, None).map_err(|e| anyhow::anyhow!("{e}"))?;
            let db = Database::open(db_dir.path())?;
            let mut affected = 0usize;
            for package in &graph.packages {
                affected += db
                    .advisories_for(package.ecosystem, &package.name, &package.version)?
                    .affecting
                    .len();
            }
            Ok(affected)
        })?;
        println!(
            "{label}: parse {}, open + match {}, together {} ({affected} advisories matched)",
            ms(parse),
            ms(matching),
            ms(total)
        );
        rows.push(format!(
            "| {label}, {PACKAGES} packages ({} bytes) | {} | {} | **{}** | {affected} |",
            text.len(),
            ms(parse),
            ms(matching),
            ms(total)
        ));
    }
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut body = format!(
        "Dependency audit speed (`cargo xtask bench-deps`, {profile} build, one thread; median of {RUNS} runs). \
         The OSV database holds {RECORDS} generated records over about 5,000 packages (import: {}).\n\n\
         | lockfile | parse | open database + match every package | parse + match | advisories matched |\n|---|--:|--:|--:|--:|\n",
        ms(import)
    );
    for row in rows {
        body.push_str(&row);
        body.push('\n');
    }
    body.push_str("\nTarget: parsing and matching a 1,000-package lockfile well under 100 ms.\n");
    let path = root.join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let updated = replace_marked(
        &doc,
        "<!-- bench-deps:start -->",
        "<!-- bench-deps:end -->",
        &body,
    )?;
    std::fs::write(&path, updated)?;
    println!("wrote docs/benchmarks.md");
    Ok(())
}
