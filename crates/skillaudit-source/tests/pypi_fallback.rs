//! PyPI release metadata when the index has no per-release JSON (`/pypi/NAME/VERSION/json`
//! answers 404, as on many mirrors and proxies): the project JSON, then the simple index with
//! PEP 658 core metadata, then nothing — with the document saying where it came from and what
//! stayed unknown, and an error that never claims the release does not exist.
//!
//! Recorded responses (hand-written, in the shape of pypi.org's) are served by the loopback
//! registry of `tests/common`.

mod common;

use common::*;
use serde_json::Value;
use skillaudit_source::{ConfigEnv, FetchOptions, MetadataClient, SourceError};
use std::path::Path;

fn client(dir: &Path, registry: &Registry, offline: bool) -> MetadataClient {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let env = ConfigEnv::isolated(&home)
        .with_var("SKILLAUDIT_CACHE_DIR", dir.join("cache").to_str().unwrap())
        .with_var(
            "SKILLAUDIT_PYPI_JSON_API",
            &format!("{}/pypi", registry.base),
        )
        .with_var("PIP_INDEX_URL", &format!("{}/simple", registry.base));
    MetadataClient::new(&FetchOptions::with_env(offline, env))
}

/// A fixture with `https://files.example/` pointing at the loopback registry.
fn local(registry: &Registry, name: &str) -> Vec<u8> {
    String::from_utf8(fixture_bytes(name))
        .unwrap()
        .replace(
            "https://files.example/",
            &format!("{}/files/", registry.base),
        )
        .into_bytes()
}

fn serve_core_metadata(registry: &Registry) {
    registry.route(
        "/files/packages/mcp_fallback-0.2.0-py3-none-any.whl.metadata",
        "application/octet-stream",
        fixture_bytes("metadata/mcp_fallback-0.2.0-py3-none-any.whl.metadata"),
    );
}

fn derived(document: &Value) -> (String, Vec<String>) {
    let source = document["skillaudit"]["metadata_source"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let unknown = document["skillaudit"]["unknown"]
        .as_array()
        .map(|u| {
            u.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    (source, unknown)
}

fn requires_dist(document: &Value) -> Vec<&str> {
    document["info"]["requires_dist"]
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn without_the_per_release_json_the_project_json_and_core_metadata_answer() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    registry.route(
        "/pypi/mcp-fallback/json",
        "application/json",
        local(&registry, "metadata/pypi-fallback-project.json"),
    );
    serve_core_metadata(&registry);
    let project_client = client(dir.path(), &registry, false);

    // An older release: files from the project JSON, Requires-Dist from the wheel's core
    // metadata (hash checked); the project's vulnerability list describes the latest release,
    // so this one's is unknown.
    let old = project_client
        .pypi_release("MCP_Fallback", "0.2.0")
        .unwrap();
    let (source, unknown) = derived(&old);
    assert_eq!(source, "project JSON + core metadata (PEP 658)");
    assert_eq!(unknown, ["vulnerabilities"]);
    assert_eq!(
        requires_dist(&old),
        ["mcp>=1.0", "anyio>=4; extra == \"async\""]
    );
    assert_eq!(old["info"]["requires_python"], ">=3.9");
    assert_eq!(old["urls"].as_array().unwrap().len(), 2);
    assert!(old.get("vulnerabilities").is_none());

    // The latest release: the project JSON's `info` and `vulnerabilities` are its own.
    let latest = project_client
        .pypi_release("mcp-fallback", "0.3.0")
        .unwrap();
    let (source, unknown) = derived(&latest);
    assert_eq!(source, "project JSON");
    assert!(unknown.is_empty());
    assert_eq!(latest["vulnerabilities"][0]["id"], "PYSEC-2025-0001");
    assert_eq!(requires_dist(&latest), ["mcp>=1.2", "httpx>=0.27"]);

    let paths: Vec<String> = registry.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/pypi/mcp-fallback/0.2.0/json",
            "/pypi/mcp-fallback/json",
            "/files/packages/mcp_fallback-0.2.0-py3-none-any.whl.metadata",
            "/pypi/mcp-fallback/0.3.0/json",
        ],
        "the project JSON is asked once, the simple index never"
    );

    // Another process, offline: the derived documents come from the cache.
    let offline = client_offline(dir.path(), &registry);
    assert_eq!(
        *offline.pypi_release("mcp-fallback", "0.2.0").unwrap(),
        *old
    );
    assert_eq!(registry.seen().len(), 4);
}

fn client_offline(dir: &Path, registry: &Registry) -> MetadataClient {
    client(dir, registry, true)
}

#[test]
fn without_any_json_api_the_simple_index_and_core_metadata_answer() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    registry.route(
        "/simple/mcp-fallback/",
        "application/vnd.pypi.simple.v1+json",
        local(&registry, "metadata/pypi-fallback-simple.v1.json"),
    );
    serve_core_metadata(&registry);
    let simple_client = client(dir.path(), &registry, false);

    let release = simple_client.pypi_release("mcp-fallback", "0.2.0").unwrap();
    let (source, unknown) = derived(&release);
    assert_eq!(source, "simple index + core metadata (PEP 658)");
    assert_eq!(unknown, ["vulnerabilities"]);
    assert_eq!(
        requires_dist(&release),
        ["mcp>=1.0", "anyio>=4; extra == \"async\""]
    );
    let urls = release["urls"].as_array().unwrap();
    assert_eq!(urls.len(), 2, "only the files of 0.2.0");
    let sdist = urls
        .iter()
        .find(|u| u["filename"] == "mcp_fallback-0.2.0.tar.gz")
        .unwrap();
    assert_eq!(sdist["yanked"], true);
    assert_eq!(sdist["yanked_reason"], "broken build");

    let seen = registry.seen();
    let simple = seen
        .iter()
        .find(|s| s.path == "/simple/mcp-fallback/")
        .unwrap();
    assert!(simple.headers["accept"].starts_with("application/vnd.pypi.simple.v1+json"));

    // The same from a PEP 503 HTML page whose index dropped the PEP 658 attributes: the
    // `.metadata` file beside the wheel is tried anyway.
    let dir = tempfile::tempdir().unwrap();
    let html_registry = Registry::start();
    let page = format!(
        r#"<html><body>
        <a href="{0}/files/packages/mcp_fallback-0.2.0-py3-none-any.whl#sha256=00">mcp_fallback-0.2.0-py3-none-any.whl</a>
        <a href="{0}/files/packages/mcp_fallback-0.3.0.tar.gz">mcp_fallback-0.3.0.tar.gz</a>
        </body></html>"#,
        html_registry.base
    );
    html_registry.route("/simple/mcp-fallback/", "text/html", page.into_bytes());
    serve_core_metadata(&html_registry);
    let html_client = client(dir.path(), &html_registry, false);
    let release = html_client.pypi_release("mcp-fallback", "0.2.0").unwrap();
    assert_eq!(
        derived(&release).0,
        "simple index + core metadata (PEP 658)"
    );
    assert_eq!(requires_dist(&release).len(), 2);
    // Without any core metadata the dependencies are unknown, not empty.
    let release = html_client.pypi_release("mcp-fallback", "0.3.0").unwrap();
    assert_eq!(
        derived(&release),
        (
            "simple index".to_string(),
            vec!["vulnerabilities".to_string(), "requires_dist".to_string()]
        )
    );
    assert!(release["info"]["requires_dist"].is_null());
}

#[test]
fn a_core_metadata_file_that_does_not_match_its_hash_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    registry.route(
        "/simple/mcp-fallback/",
        "application/vnd.pypi.simple.v1+json",
        local(&registry, "metadata/pypi-fallback-simple.v1.json"),
    );
    registry.route(
        "/files/packages/mcp_fallback-0.2.0-py3-none-any.whl.metadata",
        "application/octet-stream",
        b"Metadata-Version: 2.1\nName: mcp-fallback\nRequires-Dist: evil\n".to_vec(),
    );
    let release = client(dir.path(), &registry, false)
        .pypi_release("mcp-fallback", "0.2.0")
        .unwrap();
    assert!(derived(&release).1.contains(&"requires_dist".to_string()));
    assert!(requires_dist(&release).is_empty());
}

#[test]
fn when_nothing_answers_the_error_says_so_without_claiming_the_release_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    let error = client(dir.path(), &registry, false)
        .pypi_release("mcp-fallback", "0.2.0")
        .unwrap_err();
    assert!(matches!(error, SourceError::Registry { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("no metadata source answered"), "{message}");
    assert!(message.contains("per-release JSON"), "{message}");
    assert!(message.contains("project JSON"), "{message}");
    assert!(message.contains("simple index"), "{message}");
    assert!(!message.contains("not found"), "{message}");

    // Offline and nothing cached: an offline error, no request.
    let before = registry.seen().len();
    let offline = client_offline(dir.path(), &registry)
        .pypi_release("mcp-fallback", "0.2.0")
        .unwrap_err();
    assert!(matches!(offline, SourceError::Offline { .. }), "{offline}");
    assert_eq!(registry.seen().len(), before);
}

#[test]
fn malformed_documents_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    for path in [
        "/pypi/mcp-fallback/0.2.0/json",
        "/pypi/mcp-fallback/json",
        "/simple/mcp-fallback/",
    ] {
        registry.route(
            path,
            "application/vnd.pypi.simple.v1+json",
            b"{\"files\": [trunc".to_vec(),
        );
    }
    let error = client(dir.path(), &registry, false)
        .pypi_release("mcp-fallback", "0.2.0")
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("not JSON"), "{message}");
    assert!(message.contains("no metadata source answered"), "{message}");

    // A project JSON that is JSON but not the expected shape: the simple index still answers.
    registry.route(
        "/pypi/mcp-fallback/json",
        "application/json",
        b"[1, 2]".to_vec(),
    );
    registry.route(
        "/simple/mcp-fallback/",
        "application/vnd.pypi.simple.v1+json",
        local(&registry, "metadata/pypi-fallback-simple.v1.json"),
    );
    let fresh = tempfile::tempdir().unwrap();
    let release = client(fresh.path(), &registry, false)
        .pypi_release("mcp-fallback", "0.2.0")
        .unwrap();
    assert_eq!(derived(&release).0, "simple index");
}

#[test]
fn without_any_json_api_the_project_document_comes_from_the_simple_index() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    registry.route(
        "/simple/mcp-fallback/",
        "application/vnd.pypi.simple.v1+json",
        local(&registry, "metadata/pypi-fallback-simple.v1.json"),
    );
    let client = client(dir.path(), &registry, false);
    let project = client.pypi_project("MCP.Fallback").unwrap();
    assert_eq!(
        derived(&project),
        (
            "simple index".to_string(),
            vec![
                "latest".to_string(),
                "vulnerabilities".to_string(),
                "license".to_string()
            ]
        )
    );
    // The latest release is not claimed: versions are not ordered here.
    assert!(project["info"]["version"].is_null());
    let releases = project["releases"].as_object().unwrap();
    assert_eq!(releases.keys().collect::<Vec<_>>(), ["0.2.0", "0.3.0"]);
    let wheel = &releases["0.2.0"][0];
    assert_eq!(wheel["filename"], "mcp_fallback-0.2.0-py3-none-any.whl");
    assert_eq!(wheel["requires_python"], ">=3.9");
    assert_eq!(wheel["upload_time_iso_8601"], "2025-05-01T10:00:00.000000Z");
    assert!(wheel["core-metadata"]["sha256"].is_string());
    assert_eq!(releases["0.2.0"][1]["yanked"], true);
    assert_eq!(releases["0.2.0"][1]["yanked_reason"], "broken build");

    // Another process, offline: served from the cache.
    let offline = client_offline(dir.path(), &registry);
    assert_eq!(*offline.pypi_project("mcp-fallback").unwrap(), *project);

    // A page that lists no distribution of the project is an error, not an empty project.
    let empty = Registry::start();
    empty.route(
        "/simple/mcp-fallback/",
        "application/vnd.pypi.simple.v1+json",
        br#"{"meta": {"api-version": "1.0"}, "name": "mcp-fallback", "files": [{"filename": "other-1.0.tar.gz", "url": "x"}]}"#.to_vec(),
    );
    let fresh = tempfile::tempdir().unwrap();
    let error = client_for(fresh.path(), &empty)
        .pypi_project("mcp-fallback")
        .unwrap_err()
        .to_string();
    assert!(error.contains("lists no distribution files"), "{error}");
    assert!(!error.contains("not found"), "{error}");
}

fn client_for(dir: &Path, registry: &Registry) -> MetadataClient {
    client(dir, registry, false)
}

#[test]
fn relative_file_urls_in_the_project_json_are_resolved_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    // As a proxy on the way wrote them: relative to `/pypi/mcp-fallback/json`.
    let project = String::from_utf8(fixture_bytes("metadata/pypi-fallback-project.json"))
        .unwrap()
        .replace("https://files.example/", "../../files/");
    registry.route(
        "/pypi/mcp-fallback/json",
        "application/json",
        project.into_bytes(),
    );
    serve_core_metadata(&registry);
    let release = client(dir.path(), &registry, false)
        .pypi_release("mcp-fallback", "0.2.0")
        .unwrap();
    assert_eq!(
        derived(&release).0,
        "project JSON + core metadata (PEP 658)"
    );
    assert_eq!(
        release["urls"][0]["url"],
        format!(
            "{}/files/packages/mcp_fallback-0.2.0-py3-none-any.whl",
            registry.base
        )
    );
}
