//! Registry metadata over HTTPS from a loopback registry whose certificate comes from a
//! certificate authority made by the test and trusted only through `SSL_CERT_FILE`, as a
//! company's TLS-inspecting proxy is trusted through the system store.
//!
//! `SSL_CERT_FILE` is process-wide, so everything that opens a TLS connection runs in one test
//! function; the tests beside it never touch the network.

mod common;

use common::*;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use skillaudit_source::{ConfigEnv, FetchOptions, MetadataClient, SourceError};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A self-signed CA that can issue server certificates.
fn certificate_authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A TLS server configuration for 127.0.0.1 and localhost, issued by `ca`.
fn server_config(ca: &CertifiedIssuer<'static, KeyPair>) -> Arc<rustls::ServerConfig> {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = params.signed_by(&key, ca).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    Arc::new(config)
}

/// Options with an empty home and the cache in `dir`, and `vars` as the whole environment.
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

fn serve_metadata(registry: &Registry) {
    registry.route(
        "/mcp-demo",
        "application/json",
        fixture_bytes("metadata/npm-mcp-demo.json"),
    );
    registry.route(
        "/pypi/mcp-demo-py/json",
        "application/json",
        fixture_bytes("metadata/pypi-mcp-demo-py.json"),
    );
    registry.route(
        "/pypi/mcp-demo-py/0.2.0/json",
        "application/json",
        fixture_bytes("metadata/pypi-mcp-demo-py-0.2.0.json"),
    );
}

fn json_files_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                json_files_under(&path)
            } else {
                usize::from(path.extension().is_some_and(|x| x == "json"))
            }
        })
        .sum()
}

#[test]
fn metadata_over_https_trusts_ssl_cert_file_caches_and_refuses_unknown_issuers() {
    let dir = tempfile::tempdir().unwrap();
    let ca = certificate_authority("SkillAudit test CA");
    let ca_file = dir.path().join("test-ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    // The platform verifier reads the system store through rustls-native-certs, which uses
    // SSL_CERT_FILE instead of the system bundle when it is set.
    std::env::set_var("SSL_CERT_FILE", &ca_file);
    std::env::remove_var("SSL_CERT_DIR");

    let registry = Registry::start_tls(server_config(&ca));
    serve_metadata(&registry);
    let npm_registry = format!("{}/", registry.base);
    let json_api = format!("{}/pypi", registry.base);
    let vars = [
        ("NPM_CONFIG_REGISTRY", npm_registry.as_str()),
        ("SKILLAUDIT_PYPI_JSON_API", json_api.as_str()),
    ];

    // Fetched over TLS with the test's CA.
    let client = MetadataClient::new(&options(dir.path(), false, &vars));
    assert_eq!(client.pypi_json_api(), json_api);
    let packument = client.npm_packument("mcp-demo").unwrap();
    assert_eq!(
        packument["versions"]["1.0.0"]["deprecated"],
        "1.0.0 leaks environment variables in errors; use 1.1.0"
    );
    assert_eq!(packument["time"]["1.1.0"], "2025-03-14T15:09:26.000Z");
    let project = client.pypi_project("MCP_Demo.py").unwrap();
    assert_eq!(project["info"]["version"], "0.3.0");
    assert_eq!(project["releases"]["0.2.0"][0]["yanked"], true);
    let release = client.pypi_release("mcp-demo-py", "0.2.0").unwrap();
    assert_eq!(release["vulnerabilities"][0]["id"], "PYSEC-2025-0000");
    let seen = registry.seen();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/mcp-demo",
            "/pypi/mcp-demo-py/json",
            "/pypi/mcp-demo-py/0.2.0/json"
        ]
    );
    // The full packument, not the abbreviated one (which lacks `time` and `deprecated`).
    assert_eq!(seen[0].headers["accept"], "application/json");
    assert_eq!(json_files_under(&dir.path().join("cache/metadata/npm")), 1);
    assert_eq!(json_files_under(&dir.path().join("cache/metadata/pypi")), 2);

    // Within the process: memoised.
    let again = client.npm_packument("mcp-demo").unwrap();
    assert!(Arc::ptr_eq(&packument, &again));
    // A new process (a new client) within the TTL: the disk cache, no request.
    let fresh = MetadataClient::new(&options(dir.path(), false, &vars));
    assert_eq!(*fresh.npm_packument("mcp-demo").unwrap(), *packument);
    assert_eq!(
        *fresh.pypi_release("mcp-demo-py", "0.2.0").unwrap(),
        *release
    );
    assert_eq!(registry.seen().len(), 3);

    // Offline: the cache whatever its age; nothing is asked.
    let offline = MetadataClient::new(&options(dir.path(), true, &vars)).with_ttl(Duration::ZERO);
    assert!(offline.is_offline());
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(*offline.npm_packument("mcp-demo").unwrap(), *packument);
    assert_eq!(*offline.pypi_project("mcp-demo-py").unwrap(), *project);
    // Offline without a cached document: a distinct error, still no request.
    let missing = offline.pypi_release("mcp-demo-py", "0.3.0").unwrap_err();
    assert!(matches!(missing, SourceError::Offline { .. }), "{missing}");
    assert!(missing.to_string().contains("mcp-demo-py"), "{missing}");
    assert_eq!(registry.seen().len(), 3);

    // Past the TTL (SKILLAUDIT_METADATA_TTL=0): asked again.
    let mut expired_vars = vars.to_vec();
    expired_vars.push(("SKILLAUDIT_METADATA_TTL", "0"));
    let expired = MetadataClient::new(&options(dir.path(), false, &expired_vars));
    expired.npm_packument("mcp-demo").unwrap();
    assert_eq!(registry.seen().len(), 4);

    // An OSV archive built here, downloaded over the same TLS connection as `db update` does.
    let archive = {
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        writer
            .start_file("GHSA-test-0000-0000.json", stored)
            .unwrap();
        std::io::Write::write_all(
            &mut writer,
            br#"{"id":"GHSA-test-0000-0000","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"mcp-demo"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.1.0"}]}]}]}"#,
        )
        .unwrap();
        writer.finish().unwrap();
        buffer.into_inner()
    };
    registry.route("/osv/npm/all.zip", "application/zip", archive.clone());
    let url =
        skillaudit_source::osv_download::osv_export_url(&format!("{}/osv", registry.base), "npm");
    let dest = dir.path().join("osv-download/npm-all.zip");
    let bytes = skillaudit_source::osv_download::download_file(
        &url,
        &dest,
        &options(dir.path(), false, &vars),
    )
    .unwrap();
    assert_eq!(bytes, archive.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), archive);
    // Offline, `db update` refuses to download.
    let refused = skillaudit_source::osv_download::download_file(
        &url,
        &dir.path().join("osv-download/other.zip"),
        &options(dir.path(), true, &vars),
    )
    .unwrap_err();
    assert!(matches!(refused, SourceError::Offline { .. }), "{refused}");
    let requests_after_osv = registry.seen().len();
    assert_eq!(requests_after_osv, 5, "the archive was asked for once");

    // A package the registry does not have.
    let absent = client.npm_packument("no-such-package").unwrap_err();
    assert!(matches!(absent, SourceError::NotFound { .. }), "{absent}");

    // A server whose certificate comes from a CA nobody trusts: a clear TLS error, and the
    // request itself never reaches the server.
    let rogue_ca = certificate_authority("Untrusted CA");
    let rogue = Registry::start_tls(server_config(&rogue_ca));
    serve_metadata(&rogue);
    let rogue_registry = format!("{}/", rogue.base);
    let rogue_dir = tempfile::tempdir().unwrap();
    let untrusting = MetadataClient::new(&options(
        rogue_dir.path(),
        false,
        &[("NPM_CONFIG_REGISTRY", rogue_registry.as_str())],
    ));
    let refused = untrusting.npm_packument("mcp-demo").unwrap_err();
    assert!(matches!(refused, SourceError::Network { .. }), "{refused}");
    let message = refused.to_string();
    assert!(
        message.contains("UnknownIssuer") && message.contains("SSL_CERT_FILE"),
        "{message}"
    );
    assert!(rogue.seen().is_empty());
    assert_eq!(json_files_under(&rogue_dir.path().join("cache")), 0);
}

#[test]
fn offline_without_a_cache_is_an_offline_error_for_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let client = MetadataClient::new(&options(dir.path(), true, &[]));
    for result in [
        client.npm_packument("@scope/pkg"),
        client.pypi_project("requests"),
        client.pypi_release("requests", "2.32.3"),
    ] {
        let err = result.unwrap_err();
        assert!(matches!(err, SourceError::Offline { .. }), "{err}");
    }
}

#[test]
fn a_corrupt_cached_document_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let client = MetadataClient::new(&options(dir.path(), true, &[]));
    // Where the module documentation says the project document of `requests` is cached.
    let path = dir
        .path()
        .join("cache/metadata/pypi/kpypi.org+pypi/project/krequests.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"{ not json").unwrap();
    let err = client.pypi_project("requests").unwrap_err();
    assert!(matches!(err, SourceError::Offline { .. }), "{err}");
    std::fs::write(&path, br#"{"info": {"version": "2.32.3"}}"#).unwrap();
    assert_eq!(
        client.pypi_project("Requests").unwrap()["info"]["version"],
        "2.32.3"
    );
}

#[test]
fn names_that_would_escape_a_url_are_refused_before_any_lookup() {
    let dir = tempfile::tempdir().unwrap();
    let client = MetadataClient::new(&options(dir.path(), true, &[]));
    let err = client.npm_packument("../../etc/passwd").unwrap_err();
    assert!(matches!(err, SourceError::InvalidSpec { .. }), "{err}");
    let err = client.pypi_release("six", "1.0/../../x").unwrap_err();
    assert!(matches!(err, SourceError::InvalidSpec { .. }), "{err}");
}
