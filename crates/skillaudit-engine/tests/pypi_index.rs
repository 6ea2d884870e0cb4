//! A PyPI server audited from an index without the per-release JSON API (`/pypi/NAME/VERSION/json`
//! answers 404, as on many mirrors and proxies): the report is complete, says which source gave
//! the metadata, and finds the release's advisory in the OSV database. The index is a loopback
//! HTTP server answering from documents written here.

mod common;

use common::{serve, tgz_in, Routes};
use skillaudit_core::Report;
use skillaudit_engine::{audit, AuditOptions};
use skillaudit_source::ConfigEnv;
use std::path::Path;
use std::sync::Arc;

const SERVER_PY: &str = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"demo\")\n\n\n@mcp.tool()\ndef add(a: int, b: int) -> int:\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n\n\nif __name__ == \"__main__\":\n    mcp.run()\n";

const PYPROJECT: &str = "[project]\nname = \"mcp-demo-py\"\nversion = \"0.2.0\"\nrequires-python = \">=3.10\"\nlicense = \"MIT\"\ndependencies = [\"mcp>=1.0\"]\n\n[project.urls]\nSource = \"https://github.com/acme/mcp-demo-py\"\n";

const PKG_INFO: &str = "Metadata-Version: 2.1\nName: mcp-demo-py\nVersion: 0.2.0\nRequires-Python: >=3.10\nRequires-Dist: mcp>=1.0\n";

/// The index: a simple page for the sdist, project JSON documents, and no per-release JSON.
fn index(routes: &Routes, base: &str) {
    let sdist = tgz_in(
        "mcp_demo_py-0.2.0",
        &[
            ("PKG-INFO", PKG_INFO),
            ("pyproject.toml", PYPROJECT),
            ("mcp_demo_py/__init__.py", ""),
            ("mcp_demo_py/server.py", SERVER_PY),
        ],
    );
    let sha256 = skillaudit_core::fingerprint::sha256_hex(&sdist);
    let simple = serde_json::json!({
        "meta": {"api-version": "1.1"},
        "name": "mcp-demo-py",
        "files": [{
            "filename": "mcp_demo_py-0.2.0.tar.gz",
            "url": format!("{base}/files/mcp_demo_py-0.2.0.tar.gz"),
            "hashes": {"sha256": sha256},
            "requires-python": ">=3.10",
            "upload-time": "2026-06-01T00:00:00Z",
            "yanked": false,
        }],
    });
    let file = |version: &str, name: &str| {
        serde_json::json!([{
            "filename": name,
            "url": format!("{base}/files/{name}"),
            "digests": {"sha256": "00"},
            "requires_python": ">=3.10",
            "upload_time_iso_8601": format!("2026-0{}-01T00:00:00Z", if version == "0.2.0" { 6 } else { 9 }),
            "yanked": false,
            "yanked_reason": null,
        }])
    };
    let project = serde_json::json!({
        "info": {"name": "mcp-demo-py", "version": "0.3.0", "requires_dist": ["mcp>=1.2"], "license": "MIT"},
        "releases": {
            "0.2.0": file("0.2.0", "mcp_demo_py-0.2.0.tar.gz"),
            "0.3.0": file("0.3.0", "mcp_demo_py-0.3.0.tar.gz"),
        },
        "urls": [],
        "vulnerabilities": [],
    });
    let sdk = serde_json::json!({
        "info": {"name": "mcp", "version": "1.2.0", "requires_dist": null, "license": "MIT"},
        "releases": {"1.2.0": file("1.2.0", "mcp-1.2.0.tar.gz")},
        "urls": [],
        "vulnerabilities": [],
    });
    let mut table = routes.lock().expect("routes");
    table.insert(
        "/simple/mcp-demo-py/".into(),
        (
            "application/vnd.pypi.simple.v1+json".into(),
            simple.to_string().into_bytes(),
        ),
    );
    table.insert(
        "/files/mcp_demo_py-0.2.0.tar.gz".into(),
        ("application/octet-stream".into(), sdist),
    );
    table.insert(
        "/pypi/mcp-demo-py/json".into(),
        ("application/json".into(), project.to_string().into_bytes()),
    );
    table.insert(
        "/pypi/mcp/json".into(),
        ("application/json".into(), sdk.to_string().into_bytes()),
    );
}

/// An OSV database holding one advisory against mcp-demo-py before 0.3.0.
fn database(dir: &Path) -> std::path::PathBuf {
    let records = dir.join("records");
    std::fs::create_dir_all(&records).expect("records");
    std::fs::write(
        records.join("PYSEC-2099-7.json"),
        r#"{"id":"PYSEC-2099-7","modified":"2099-01-01T00:00:00Z","summary":"demo advisory","affected":[{"package":{"ecosystem":"PyPI","name":"mcp-demo-py"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.3.0"}]}]}]}"#,
    )
    .expect("record");
    let db = dir.join("osv");
    skillaudit_deps::osv::Database::import(&records, &db).expect("import");
    db
}

fn run(base: &str, dir: &Path, db: &Path) -> Report {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let mut options = AuditOptions::new(false);
    options.fetch.env = ConfigEnv::isolated(&home)
        .with_var("PIP_INDEX_URL", &format!("{base}/simple"))
        .with_var("SKILLAUDIT_PYPI_JSON_API", &format!("{base}/pypi"));
    options.fetch.cache_dir = dir.join("cache");
    options.osv_db = Some(db.to_path_buf());
    options.now = Some("2026-11-21T00:00:00Z".parse().expect("timestamp"));
    audit("pypi:mcp-demo-py==0.2.0", &options).expect("audited")
}

#[test]
fn an_index_without_the_per_release_json_gives_a_complete_audit() {
    let routes: Routes = Arc::default();
    let base = serve(Arc::clone(&routes));
    index(&routes, &base);
    let dir = tempfile::tempdir().expect("dir");
    let db = database(dir.path());
    let report = run(&base, dir.path(), &db);

    assert!(
        report.complete,
        "incomplete: {:#?}",
        report.incomplete_reasons
    );
    // The release's advisory comes from the OSV database.
    assert!(
        report
            .dependencies
            .advisories
            .iter()
            .any(|a| a.id == "PYSEC-2099-7" && a.audited_package),
        "{:#?}",
        report.dependencies.advisories
    );
    // Nothing says the release that was just downloaded does not exist.
    let text = serde_json::to_string(&report).expect("json");
    assert!(!text.contains("not found"), "{text}");
    // Which source gave the release's metadata, and what it could not know.
    let gap = report
        .not_run
        .iter()
        .find(|n| n.check == "PyPI vulnerability lists")
        .unwrap_or_else(|| panic!("{:#?}", report.not_run));
    assert!(
        gap.reason.contains("mcp-demo-py 0.2.0 (project JSON)"),
        "{}",
        gap.reason
    );
    assert!(gap.reason.contains("OSV database alone"), "{}", gap.reason);
    // The SDK is the latest release: the project JSON's vulnerability list is its own.
    assert!(!gap.reason.contains("mcp 1.2.0"), "{}", gap.reason);

    // Without the database nothing checked the release: incomplete, and it says why.
    let empty = tempfile::tempdir().expect("dir");
    let report = run(&base, empty.path(), &empty.path().join("no-osv"));
    assert!(!report.complete);
    assert!(
        report
            .incomplete_reasons
            .iter()
            .any(|r| r.contains("mcp-demo-py 0.2.0") && r.contains("no OSV database")),
        "{:#?}",
        report.incomplete_reasons
    );
}
