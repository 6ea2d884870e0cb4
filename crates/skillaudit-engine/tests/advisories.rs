//! The audited package itself is matched by exact version (issue target): every vulnerable
//! version in the advisory corpus (`../shared/corpus/cves.tsv`) is flagged by its own advisory
//! once an OSV database holding that advisory is imported, and the fixed version is not.
//!
//! The OSV records are written by the test from the corpus facts (advisory id, package,
//! vulnerable and fixed versions) — no download: the package's identity is what is matched,
//! exactly as `skillaudit scan npm:NAME@VERSION` matches it after the download.
//!
//! The corpus lives outside the repository: without it (a fresh clone on its own) the test prints
//! why it is skipped and passes, unless `SKILLAUDIT_REQUIRE_TOOLS=1` (set by `.ci/run`) requires it.

use skillaudit_core::TargetInfo;
use skillaudit_deps::osv::Database;
use skillaudit_rules::dependencies::audit::{audit_dependencies, DepSources};
use skillaudit_rules::project::{load, LoadLimits};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cves.tsv")
}

struct Row {
    id: String,
    ecosystem: String,
    package: String,
    vulnerable: String,
    fixed: String,
    advisory: String,
}

/// The corpus rows, or `None` (with the reason written to the terminal, past the test harness's
/// output capture) when the corpus is not beside the repository and nothing requires it.
fn rows() -> Option<Vec<Row>> {
    let path = corpus_file();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            let why = format!(
                "the advisory corpus {} is not readable ({error}); it is the shared folder \
                 beside the repository, not part of a clone",
                path.display()
            );
            if std::env::var("SKILLAUDIT_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("{why} (SKILLAUDIT_REQUIRE_TOOLS=1 requires it)");
            }
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped: the corpus advisory test: {why}; SKILLAUDIT_REQUIRE_TOOLS=1 makes this a failure"
            );
            return None;
        }
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (id, eco, pkg, vuln, fixed, source) = (
        col("id"),
        col("ecosystem"),
        col("package"),
        col("vulnerable_version"),
        col("fixed_version"),
        col("source_ref"),
    );
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or("").trim().to_string();
            let advisory = cell(source);
            Row {
                id: cell(id),
                ecosystem: cell(eco),
                package: cell(pkg),
                vulnerable: cell(vuln),
                fixed: cell(fixed),
                // The advisory id as the corpus cites it (CVE or GHSA), else the corpus row.
                advisory: if advisory.starts_with("CVE-") || advisory.starts_with("GHSA-") {
                    advisory
                } else {
                    cell(id)
                },
            }
        })
        .collect();
    Some(rows)
}

fn osv_ecosystem(corpus: &str) -> &'static str {
    if corpus.eq_ignore_ascii_case("pypi") {
        "PyPI"
    } else {
        "npm"
    }
}

/// One OSV record per advisory, with one `affected` entry per package it names.
fn write_records(rows: &[Row], dir: &Path) {
    let mut by_advisory: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        by_advisory.entry(&row.advisory).or_default().push(row);
    }
    for (advisory, rows) in by_advisory {
        let mut affected = Vec::new();
        for row in rows {
            let events = if row.fixed.is_empty() {
                serde_json::json!([{"introduced": "0"}, {"last_affected": row.vulnerable}])
            } else {
                serde_json::json!([{"introduced": "0"}, {"fixed": row.fixed}])
            };
            affected.push(serde_json::json!({
                "package": {"ecosystem": osv_ecosystem(&row.ecosystem), "name": row.package},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
            }));
        }
        let record = serde_json::json!({
            "id": advisory,
            "modified": "2026-01-01T00:00:00Z",
            "summary": format!("advisory {advisory} from the corpus"),
            "database_specific": {"severity": "HIGH"},
            "affected": affected,
        });
        std::fs::write(
            dir.join(format!("{advisory}.json")),
            serde_json::to_string_pretty(&record).expect("json"),
        )
        .expect("write record");
    }
}

fn own_advisories(db: &Database, ecosystem: &str, name: &str, version: &str) -> Vec<String> {
    let empty = tempfile::tempdir().expect("tmp");
    let target = TargetInfo {
        kind: if osv_ecosystem(ecosystem) == "PyPI" {
            "pypi"
        } else {
            "npm"
        }
        .into(),
        name: name.into(),
        version: Some(version.into()),
        spec: format!("{ecosystem}:{name}@{version}"),
        ..TargetInfo::default()
    };
    let project = load(
        empty.path(),
        target,
        LoadLimits::default(),
        "2026-11-21T00:00:00Z".parse().expect("now"),
    )
    .expect("load");
    let audit = audit_dependencies(
        &project,
        &DepSources {
            db: Some(db),
            db_missing: None,
            registry: None,
            resolve: false,
            python: "3.12",
        },
    );
    audit
        .own
        .iter()
        .flat_map(|o| std::iter::once(o.advisory.id.clone()).chain(o.advisory.aliases.clone()))
        .collect()
}

#[test]
fn every_corpus_version_is_flagged_by_its_own_advisory_and_fixed_versions_are_not() {
    let Some(rows) = rows() else { return };
    assert!(rows.len() >= 10, "the corpus lists its advisories");
    let records = tempfile::tempdir().expect("records");
    write_records(&rows, records.path());
    let db_dir = tempfile::tempdir().expect("db");
    Database::import(records.path(), db_dir.path()).expect("import");
    let db = Database::open(db_dir.path()).expect("open");

    let mut missed = Vec::new();
    let mut wrongly_flagged = Vec::new();
    for row in &rows {
        let found = own_advisories(&db, &row.ecosystem, &row.package, &row.vulnerable);
        if !found.contains(&row.advisory) {
            missed.push(format!(
                "{} {}@{}: expected {}, found {found:?}",
                row.id, row.package, row.vulnerable, row.advisory
            ));
        }
        if !row.fixed.is_empty() {
            let found = own_advisories(&db, &row.ecosystem, &row.package, &row.fixed);
            if found.contains(&row.advisory) {
                wrongly_flagged.push(format!(
                    "{} {}@{} is the fix but matched {}",
                    row.id, row.package, row.fixed, row.advisory
                ));
            }
        }
    }
    assert!(
        missed.is_empty(),
        "vulnerable versions not flagged: {missed:#?}"
    );
    assert!(
        wrongly_flagged.is_empty(),
        "fixed versions flagged: {wrongly_flagged:#?}"
    );
}
