//! npm and PyPI targets against a loopback registry serving recorded real responses, configured
//! the way users configure their tools (environment variables, ~/.npmrc, pip.conf) through an
//! injected environment.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use skillaudit_source::{materialize, ConfigEnv, FetchOptions, SourceError, TargetSpec};
use std::path::Path;

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Options with an empty home and cache in `dir`, and `vars` as the whole environment.
fn options(dir: &Path, offline: bool, vars: &[(&str, &str)]) -> FetchOptions {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut env = ConfigEnv::isolated(&home)
        .with_var("SKILLAUDIT_CACHE_DIR", dir.join("cache").to_str().unwrap());
    for (k, v) in vars {
        env = env.with_var(k, v);
    }
    FetchOptions::with_env(offline, env)
}

fn npm(name: &str, version: &str) -> TargetSpec {
    TargetSpec::parse(&format!("npm:{name}@{version}"), None).unwrap()
}

fn six() -> TargetSpec {
    TargetSpec::parse("pypi:six==1.16.0", None).unwrap()
}

#[test]
fn npm_package_is_downloaded_verified_and_unpacked() {
    let registry = Registry::start();
    registry.serve_is_number();
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let opts = options(dir.path(), false, &[("NPM_CONFIG_REGISTRY", &registry_url)]);

    let got = materialize(&npm("is-number", "7.0.0"), &opts).unwrap();
    assert!(got.root.join("index.js").is_file());
    assert!(got.root.join("package.json").is_file());
    assert!(got.skipped.is_empty());
    assert!(got.is_temporary());
    let t = &got.target;
    assert_eq!(t.kind, "npm");
    assert_eq!(t.name, "is-number");
    assert_eq!(t.version.as_deref(), Some("7.0.0"));
    assert_eq!(t.spec, "npm:is-number@7.0.0");
    assert_eq!(
        t.repo.as_deref(),
        Some("https://github.com/jonschlinkert/is-number")
    );
    assert_eq!(
        t.published_at.as_deref(),
        Some("2024-02-27T16:27:13.411000+00:00")
    );
    assert_eq!(
        t.artifact_sha256.as_deref(),
        Some(sha256_hex(&fixture_bytes("is-number-7.0.0.tgz")).as_str())
    );
    assert_eq!(
        t.artifact_url.as_deref(),
        Some(format!("{}/is-number/-/is-number-7.0.0.tgz", registry.base).as_str())
    );
    assert_eq!(got.deprecated, None);
    let ua = &registry.seen()[0].headers["user-agent"];
    assert!(ua.starts_with("skillaudit/"), "{ua}");

    // The temporary folder goes away with the value.
    let root = got.root.clone();
    drop(got);
    assert!(!root.exists());
}

#[test]
fn npm_dist_tag_resolves_to_a_version() {
    let registry = Registry::start();
    registry.serve_is_number();
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let opts = options(dir.path(), false, &[("npm_config_registry", &registry_url)]);
    let got = materialize(&npm("is-number", "latest"), &opts).unwrap();
    assert_eq!(got.target.version.as_deref(), Some("7.0.0"));
}

#[test]
fn npm_missing_version_is_not_found_and_names_the_latest() {
    let registry = Registry::start();
    registry.serve_is_number();
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let opts = options(dir.path(), false, &[("NPM_CONFIG_REGISTRY", &registry_url)]);
    let err = materialize(&npm("is-number", "9.9.9"), &opts).unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("latest version is 7.0.0"), "{err}");
}

#[test]
fn npm_unknown_package_is_not_found() {
    let registry = Registry::start();
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let opts = options(dir.path(), false, &[("NPM_CONFIG_REGISTRY", &registry_url)]);
    let err = materialize(&npm("no-such-package", "1.0.0"), &opts).unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }), "{err}");
}

#[test]
fn npm_integrity_mismatch_is_an_error_and_nothing_is_cached() {
    let registry = Registry::start();
    registry.serve_is_number();
    let mut tampered = fixture_bytes("is-number-7.0.0.tgz");
    let last = tampered.len() - 1;
    tampered[last] ^= 0xff;
    registry.route(
        "/is-number/-/is-number-7.0.0.tgz",
        "application/octet-stream",
        tampered,
    );
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let opts = options(dir.path(), false, &[("NPM_CONFIG_REGISTRY", &registry_url)]);
    let err = materialize(&npm("is-number", "7.0.0"), &opts).unwrap_err();
    assert!(matches!(err, SourceError::Integrity { .. }), "{err}");
    assert!(err.to_string().contains("sha512"), "{err}");
    let downloads = dir.path().join("cache/downloads/npm");
    let cached: Vec<_> = std::fs::read_dir(&downloads)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(cached.is_empty(), "{cached:?}");
}

#[test]
fn npm_offline_uses_a_warm_cache_without_any_request() {
    let registry = Registry::start();
    registry.serve_is_number();
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let vars = [("NPM_CONFIG_REGISTRY", registry_url.as_str())];
    materialize(
        &npm("is-number", "7.0.0"),
        &options(dir.path(), false, &vars),
    )
    .unwrap();
    let requests = registry.seen().len();

    let got = materialize(
        &npm("is-number", "7.0.0"),
        &options(dir.path(), true, &vars),
    )
    .unwrap();
    assert!(got.root.join("index.js").is_file());
    assert_eq!(got.target.version.as_deref(), Some("7.0.0"));
    assert_eq!(registry.seen().len(), requests, "offline made a request");

    // Online within the freshness window: only the tarball check, no packument request.
    materialize(
        &npm("is-number", "7.0.0"),
        &options(dir.path(), false, &vars),
    )
    .unwrap();
    assert_eq!(registry.seen().len(), requests);
}

#[test]
fn npm_offline_with_a_cold_cache_is_an_offline_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = materialize(&npm("is-number", "7.0.0"), &options(dir.path(), true, &[])).unwrap_err();
    assert!(matches!(err, SourceError::Offline { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "`--offline` forbids network access: cannot fetch npm:is-number@7.0.0"
    );
}

#[test]
fn npm_scoped_registry_and_token_come_from_npmrc() {
    let registry = Registry::start();
    let packument = String::from_utf8(fixture_bytes("is-number-packument.json"))
        .unwrap()
        .replace("\"is-number\"", "\"@corp/is-number\"")
        .replace(
            "https://registry.npmjs.org/",
            &format!("{}/", registry.base),
        );
    registry.route(
        "/@corp%2fis-number",
        "application/json",
        packument.into_bytes(),
    );
    registry.route(
        "/is-number/-/is-number-7.0.0.tgz",
        "application/octet-stream",
        fixture_bytes("is-number-7.0.0.tgz"),
    );
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path(), false, &[("CORP_NPM_TOKEN", "t0ken")]);
    let host = registry.base.trim_start_matches("http:");
    std::fs::write(
        dir.path().join("home/.npmrc"),
        format!(
            "registry=http://127.0.0.1:9/unused/\n@corp:registry={}/\n{host}/:_authToken=${{CORP_NPM_TOKEN}}\n",
            registry.base
        ),
    )
    .unwrap();
    let got = materialize(&npm("@corp/is-number", "7.0.0"), &opts).unwrap();
    assert!(got.root.join("index.js").is_file());
    let seen = registry.seen();
    assert_eq!(seen[0].path, "/@corp%2fis-number");
    for request in &seen {
        assert_eq!(
            request.headers.get("authorization").map(String::as_str),
            Some("Bearer t0ken"),
            "{}",
            request.path
        );
    }
}

#[test]
fn npm_deprecation_is_exposed() {
    let registry = Registry::start();
    let mut packument: serde_json::Value =
        serde_json::from_slice(&fixture_bytes("is-number-packument.json")).unwrap();
    packument["versions"]["7.0.0"]["deprecated"] = "use something else".into();
    let text = packument.to_string().replace(
        "https://registry.npmjs.org/",
        &format!("{}/", registry.base),
    );
    registry.route("/is-number", "application/json", text.into_bytes());
    registry.route(
        "/is-number/-/is-number-7.0.0.tgz",
        "application/octet-stream",
        fixture_bytes("is-number-7.0.0.tgz"),
    );
    let dir = tempfile::tempdir().unwrap();
    let registry_url = format!("{}/", registry.base);
    let opts = options(dir.path(), false, &[("NPM_CONFIG_REGISTRY", &registry_url)]);
    let got = materialize(&npm("is-number", "7.0.0"), &opts).unwrap();
    assert_eq!(got.deprecated.as_deref(), Some("use something else"));
}

fn check_six(got: &skillaudit_source::Materialized, registry: &Registry) {
    assert!(got.root.join("six.py").is_file());
    assert!(got.root.join("setup.py").is_file());
    assert!(got.root.join("PKG-INFO").is_file());
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    let t = &got.target;
    assert_eq!(t.kind, "pypi");
    assert_eq!(t.name, "six");
    assert_eq!(t.version.as_deref(), Some("1.16.0"));
    assert_eq!(t.spec, "pypi:six==1.16.0");
    assert_eq!(t.repo.as_deref(), Some("https://github.com/benjaminp/six"));
    assert_eq!(
        t.artifact_sha256.as_deref(),
        Some("1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926")
    );
    assert!(t
        .artifact_url
        .as_deref()
        .unwrap()
        .starts_with(&format!("{}/files/", registry.base)));
    assert_eq!(got.yanked, None);
}

#[test]
fn pypi_sdist_from_an_html_index_configured_in_pip_conf() {
    let registry = Registry::start();
    registry.serve_six(false);
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path(), false, &[]);
    std::fs::create_dir_all(dir.path().join("home/.config/pip")).unwrap();
    std::fs::write(
        dir.path().join("home/.config/pip/pip.conf"),
        format!("[global]\nindex-url = {}/simple\n", registry.base),
    )
    .unwrap();
    let got = materialize(&six(), &opts).unwrap();
    check_six(&got, &registry);
    assert!(registry.seen()[0].headers["accept"].contains("application/vnd.pypi.simple.v1+json"));
}

#[test]
fn pypi_sdist_from_a_json_index_configured_by_pip_index_url() {
    let registry = Registry::start();
    registry.serve_six(true);
    let dir = tempfile::tempdir().unwrap();
    let index = format!("{}/simple/", registry.base);
    let opts = options(dir.path(), false, &[("PIP_INDEX_URL", &index)]);
    let got = materialize(&six(), &opts).unwrap();
    check_six(&got, &registry);
}

#[test]
fn pypi_name_is_normalised_for_the_index() {
    let registry = Registry::start();
    registry.serve_six(true);
    let dir = tempfile::tempdir().unwrap();
    let index = format!("{}/simple", registry.base);
    let opts = options(dir.path(), false, &[("PIP_INDEX_URL", &index)]);
    let spec = TargetSpec::parse("pypi:SIX==1.16.0", None).unwrap();
    let got = materialize(&spec, &opts).unwrap();
    assert!(got.root.join("six.py").is_file());
    assert_eq!(registry.seen()[0].path, "/simple/six/");
}

#[test]
fn pypi_integrity_mismatch_is_an_error() {
    let registry = Registry::start();
    registry.serve_six(false);
    registry.route(
        "/files/packages/71/39/171f1c67cd00715f190ba0b100d606d440a28c93c7714febeca8b79af85e/six-1.16.0.tar.gz",
        "application/octet-stream",
        fixture_bytes("is-number-7.0.0.tgz"),
    );
    let dir = tempfile::tempdir().unwrap();
    let index = format!("{}/simple", registry.base);
    let opts = options(dir.path(), false, &[("PIP_INDEX_URL", &index)]);
    let err = materialize(&six(), &opts).unwrap_err();
    assert!(matches!(err, SourceError::Integrity { .. }), "{err}");
}

#[test]
fn pypi_missing_version_is_not_found() {
    let registry = Registry::start();
    registry.serve_six(false);
    let dir = tempfile::tempdir().unwrap();
    let index = format!("{}/simple", registry.base);
    let opts = options(dir.path(), false, &[("PIP_INDEX_URL", &index)]);
    let spec = TargetSpec::parse("pypi:six==0.0.1", None).unwrap();
    let err = materialize(&spec, &opts).unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }), "{err}");
}

#[test]
fn pypi_offline_warm_and_cold_cache() {
    let dir = tempfile::tempdir().unwrap();
    let err = materialize(&six(), &options(dir.path(), true, &[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`--offline` forbids network access: cannot fetch pypi:six==1.16.0"
    );

    let registry = Registry::start();
    registry.serve_six(false);
    let index = format!("{}/simple", registry.base);
    let vars = [("PIP_INDEX_URL", index.as_str())];
    materialize(&six(), &options(dir.path(), false, &vars)).unwrap();
    let requests = registry.seen().len();
    let got = materialize(&six(), &options(dir.path(), true, &vars)).unwrap();
    check_six(&got, &registry);
    assert_eq!(registry.seen().len(), requests, "offline made a request");
}

#[test]
fn pypi_yanked_release_is_reported() {
    let registry = Registry::start();
    registry.serve_six(false);
    let page = String::from_utf8(fixture_bytes("six-simple.html"))
        .unwrap()
        .replace(
            "https://files.pythonhosted.org/",
            &format!("{}/files/", registry.base),
        )
        .replace(
            ">six-1.16.0.tar.gz<",
            " data-yanked=\"broken build\">six-1.16.0.tar.gz<",
        );
    registry.route("/simple/six/", "text/html", page.into_bytes());
    let dir = tempfile::tempdir().unwrap();
    let index = format!("{}/simple", registry.base);
    let opts = options(dir.path(), false, &[("PIP_INDEX_URL", &index)]);
    let got = materialize(&six(), &opts).unwrap();
    assert_eq!(got.yanked.as_deref(), Some("broken build"));
}

#[test]
fn local_archive_target_is_unpacked_with_its_digest() {
    let spec = TargetSpec::parse(fixture("six-1.16.0.tar.gz").to_str().unwrap(), None).unwrap();
    assert!(!spec.needs_network());
    let dir = tempfile::tempdir().unwrap();
    let got = materialize(&spec, &options(dir.path(), true, &[])).unwrap();
    assert_eq!(got.target.kind, "archive");
    assert_eq!(got.target.name, "six-1.16.0.tar.gz");
    assert!(got.root.join("six.py").is_file());
    assert_eq!(
        got.target.artifact_sha256.as_deref(),
        Some("1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926")
    );
}
