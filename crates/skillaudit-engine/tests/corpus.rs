//! Opt-in: every package version of the shared corpus gets a valid report card.
//!
//! ```sh
//! bash ../shared/corpus/fetch.sh .corpus-cache
//! SKILLAUDIT_CORPUS_DIR=$PWD/.corpus-cache cargo test -p skillaudit-engine --test corpus -- --ignored --nocapture
//! ```

use skillaudit_engine::{audit, AuditOptions};
use std::path::Path;
use std::time::Instant;

#[test]
#[ignore = "needs the corpus downloaded by ../shared/corpus/fetch.sh; set SKILLAUDIT_CORPUS_DIR"]
fn every_corpus_version_gets_a_schema_valid_report_card() {
    let Ok(dir) = std::env::var("SKILLAUDIT_CORPUS_DIR") else {
        panic!("set SKILLAUDIT_CORPUS_DIR to the folder fetch.sh filled");
    };
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json"),
    )
    .expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let cache = tempfile::tempdir().expect("cache");
    let mut options = AuditOptions::new(true);
    options.fetch.cache_dir = cache.path().to_path_buf();

    let mut folders = Vec::new();
    for ecosystem in ["npm", "pypi"] {
        let Ok(entries) = std::fs::read_dir(Path::new(&dir).join(ecosystem)) else {
            continue;
        };
        for entry in entries.flatten() {
            folders.push(entry.path());
        }
    }
    folders.sort();
    assert!(!folders.is_empty(), "no package versions under {dir}");
    let started = Instant::now();
    let mut files = 0u64;
    let mut bytes = 0u64;
    for folder in &folders {
        let one = Instant::now();
        let report = audit(folder.to_str().expect("path"), &options).expect("audit");
        let value = serde_json::to_value(&report).expect("serialise");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", folder.display());
        files += u64::from(report.inventory.files_scanned);
        bytes += report.inventory.bytes_scanned;
        println!(
            "{:<60} {} {:>3} complete={} findings={:>2} files={:>5} {:>6.1} ms",
            folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            report.grade,
            report.score,
            report.complete,
            report.findings.len(),
            report.inventory.files_scanned,
            one.elapsed().as_secs_f64() * 1000.0
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{} versions, {files} files, {:.1} MB in {elapsed:.2} s ({:.0} files/s, {:.1} MB/s)",
        folders.len(),
        bytes as f64 / 1e6,
        files as f64 / elapsed,
        bytes as f64 / 1e6 / elapsed
    );
}
