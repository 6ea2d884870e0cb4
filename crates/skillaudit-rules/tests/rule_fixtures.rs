//! Every rule proves itself: a vulnerable fixture it must fire on (its findings snapshotted) and
//! a safe look-alike it must stay quiet on. Also the meta-checks: codes unique and well formed,
//! docs complete, generated docs up to date.

use skillaudit_core::TargetInfo;
use skillaudit_deps::osv::Database;
use skillaudit_rules::dependencies::audit::{audit_dependencies, DepSources, Registry};
use skillaudit_rules::project::{load, LoadLimits};
use skillaudit_rules::{docs, registry, run_rule, Project};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Fixed "now" so age-based rules give the same answer every day.
fn fixed_now() -> jiff::Timestamp {
    "2026-11-21T00:00:00Z".parse().expect("timestamp")
}

fn load_fixture(code: &str, case: &str) -> Project {
    let dir = fixtures_dir().join(code).join(case);
    let target_file = fixtures_dir().join(code).join(format!("{case}.json"));
    let target = match std::fs::read_to_string(&target_file) {
        Ok(text) => serde_json::from_str::<TargetInfo>(&text).expect("fixture target json"),
        Err(_) => TargetInfo {
            kind: "folder".into(),
            name: format!("{code}-{case}"),
            spec: format!("fixtures/{code}/{case}"),
            ..TargetInfo::default()
        },
    };
    let mut project =
        load(&dir, target, LoadLimits::default(), fixed_now()).expect("fixture loads");
    // The dependency audit, as the engine runs it: an OSV database imported from
    // `<case>.osv/` and registry metadata replayed from `<case>.registry/` when the fixture has
    // them (beside the case folder, so they are not part of the audited files).
    let osv = fixtures_dir().join(code).join(format!("{case}.osv"));
    let db_dir = tempfile::tempdir().expect("db dir");
    let db = osv.is_dir().then(|| {
        Database::import(&osv, db_dir.path()).expect("fixture OSV records import");
        Database::open(db_dir.path()).expect("database opens")
    });
    let recorded = fixtures_dir().join(code).join(format!("{case}.registry"));
    let registry = recorded.is_dir().then_some(RecordedRegistry(recorded));
    let sources = DepSources {
        db: db.as_ref(),
        db_missing: None,
        registry: registry.as_ref().map(|r| r as &dyn Registry),
        resolve: true,
        python: "3.12",
    };
    project.dep_audit = Some(audit_dependencies(&project, &sources));
    project
}

/// Registry metadata recorded in a fixture folder: `npm/<name>.json` (scoped names with `%2f`),
/// `npm/<name>@<version>.attestations.json`, `pypi/<name>.json` and `pypi/<name>-<version>.json`.
struct RecordedRegistry(PathBuf);

impl RecordedRegistry {
    fn read(&self, relative: String) -> Result<Arc<serde_json::Value>, String> {
        let path = self.0.join(&relative);
        let text =
            std::fs::read_to_string(&path).map_err(|_| format!("{relative} not recorded"))?;
        serde_json::from_str(&text)
            .map(Arc::new)
            .map_err(|e| format!("{relative}: {e}"))
    }
}

impl Registry for RecordedRegistry {
    fn npm_packument(&self, name: &str) -> Result<Arc<serde_json::Value>, String> {
        self.read(format!("npm/{}.json", name.replace('/', "%2f")))
    }
    fn pypi_release(&self, name: &str, version: &str) -> Result<Arc<serde_json::Value>, String> {
        self.read(format!("pypi/{name}-{version}.json"))
    }
    fn pypi_project(&self, name: &str) -> Result<Arc<serde_json::Value>, String> {
        self.read(format!("pypi/{name}.json"))
    }
    fn npm_attestations(
        &self,
        name: &str,
        version: &str,
    ) -> Result<Arc<serde_json::Value>, String> {
        self.read(format!(
            "npm/{}@{version}.attestations.json",
            name.replace('/', "%2f")
        ))
    }
}

#[test]
fn every_rule_fires_on_its_vulnerable_fixture() {
    for rule in registry::RULES {
        let meta = rule.meta();
        let project = load_fixture(meta.code, "vulnerable");
        let output = run_rule(*rule, &project);
        assert!(
            output.findings.iter().any(|f| f.code == meta.code),
            "{} did not fire on its vulnerable fixture",
            meta.code
        );
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(meta.code);
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_yaml_snapshot!("vulnerable", output.findings));
    }
}

#[test]
fn every_rule_is_quiet_on_its_safe_fixture() {
    for rule in registry::RULES {
        let meta = rule.meta();
        let project = load_fixture(meta.code, "safe");
        let output = run_rule(*rule, &project);
        let fired: Vec<_> = output
            .findings
            .iter()
            .filter(|f| f.code == meta.code)
            .collect();
        assert!(
            fired.is_empty(),
            "{} fired on its safe fixture: {fired:#?}",
            meta.code
        );
    }
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = BTreeSet::new();
    let mut names = BTreeSet::new();
    for meta in registry::all_meta() {
        assert!(seen.insert(meta.code), "duplicate code {}", meta.code);
        assert!(names.insert(meta.name), "duplicate name {}", meta.name);
        let (family, number) = meta.code.split_once('-').expect("FAMILY-NNN");
        assert!(
            family.len() >= 2 && family.bytes().all(|b| b.is_ascii_uppercase()),
            "{}",
            meta.code
        );
        assert!(
            number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()),
            "{}",
            meta.code
        );
        assert!(
            meta.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
            "{} name is not kebab-case",
            meta.code
        );
    }
}

#[test]
fn every_rule_has_complete_docs_and_both_fixtures() {
    for meta in registry::all_meta() {
        assert_eq!(
            docs::missing_sections(meta),
            Vec::<&str>::new(),
            "{} doc comment lacks sections",
            meta.code
        );
        assert!(!meta.summary().is_empty(), "{} has no summary", meta.code);
        for case in ["vulnerable", "safe"] {
            let dir = fixtures_dir().join(meta.code).join(case);
            assert!(
                dir.is_dir(),
                "{} has no {case} fixture at {}",
                meta.code,
                dir.display()
            );
        }
    }
    // No fixture folder without a rule.
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            registry::find(&name).is_some(),
            "fixture folder {name} has no rule"
        );
    }
}

#[test]
fn generated_rule_docs_are_up_to_date() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (path, content) in docs::generated_files() {
        let on_disk = std::fs::read_to_string(repo.join(&path)).unwrap_or_default();
        if on_disk != content {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "rule docs are stale, run `cargo xtask docs`: {stale:?}"
    );
}
