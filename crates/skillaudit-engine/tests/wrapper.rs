//! A thin npm wrapper audited from a registry: the dependency that holds its server code is
//! fetched the same way and audited in the same run, one report each. The registry is a
//! loopback HTTP server answering from packuments and tarballs built here.

mod common;

use common::{publish_notes_wrapper, serve, Routes};
use skillaudit_engine::{audit_many_detailed, AuditOptions};
use skillaudit_source::ConfigEnv;
use std::sync::Arc;

#[test]
fn a_registry_wrapper_gets_the_dependency_holding_its_server_audited_too() {
    let routes: Routes = Arc::default();
    let base = serve(Arc::clone(&routes));
    publish_notes_wrapper(&routes, &base);

    let dir = tempfile::tempdir().expect("dir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let mut options = AuditOptions::new(false);
    options.fetch.env =
        ConfigEnv::isolated(&home).with_var("NPM_CONFIG_REGISTRY", &format!("{base}/"));
    options.fetch.cache_dir = dir.path().join("cache");
    options.osv_db = Some(dir.path().join("no-osv"));
    options.now = Some("2026-11-21T00:00:00Z".parse().expect("timestamp"));

    let (audited, errors) = audit_many_detailed(
        &["npm:@acme/mcp-notes@2.1.0".to_string()],
        &options,
        &|_| {},
    );
    assert!(errors.is_empty(), "{errors:?}");
    let specs: Vec<&str> = audited
        .iter()
        .map(|a| a.report.target.spec.as_str())
        .collect();
    assert_eq!(
        specs,
        [
            "npm:@acme/mcp-notes@2.1.0",
            "npm:@acme/notes-server-core@2.1.3"
        ]
    );
    // The wrapper's report does not claim its server code went unaudited: it was, beside it.
    assert!(!audited[0]
        .report
        .not_run
        .iter()
        .any(|n| n.check == "server code in a dependency"));
    // The dependency's own report carries its findings.
    assert!(
        audited[1]
            .report
            .findings
            .iter()
            .any(|f| f.code.starts_with("CMD-")),
        "{:#?}",
        audited[1].report.findings
    );

    // Offline, with the wrapper in the cache: nothing can be fetched, so the report says the
    // server code was not audited.
    let mut offline = options.clone();
    offline.offline = true;
    offline.fetch.offline = true;
    let (audited, _) = audit_many_detailed(
        &["npm:@acme/mcp-notes@2.1.0".to_string()],
        &offline,
        &|_| {},
    );
    assert_eq!(audited.len(), 1);
    let entry = audited[0]
        .report
        .not_run
        .iter()
        .find(|n| n.check == "server code in a dependency")
        .expect("a not_run entry");
    assert!(
        entry.reason.contains("@acme/notes-server-core"),
        "{}",
        entry.reason
    );
}
