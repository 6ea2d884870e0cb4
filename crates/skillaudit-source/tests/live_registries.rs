//! Opt-in checks against the real registries (network, TLS through whatever proxy the machine
//! uses): `cargo test -p skillaudit-source --test live_registries -- --ignored`.

use skillaudit_source::{materialize, ConfigEnv, FetchOptions, TargetSpec};

/// The process environment (proxies, registry settings) but a fresh cache.
fn options() -> (tempfile::TempDir, FetchOptions) {
    let cache = tempfile::tempdir().unwrap();
    let env =
        ConfigEnv::from_process().with_var("SKILLAUDIT_CACHE_DIR", cache.path().to_str().unwrap());
    (cache, FetchOptions::with_env(false, env))
}

#[test]
#[ignore = "network: real npm registry"]
fn live_npm_is_number() {
    let (_cache, opts) = options();
    let spec = TargetSpec::parse("npm:is-number@7.0.0", None).unwrap();
    let got = materialize(&spec, &opts).unwrap();
    assert!(got.root.join("index.js").is_file());
    assert!(got.target.published_at.is_some());
    eprintln!("{:#?}", got.target);
}

#[test]
#[ignore = "network: real PyPI"]
fn live_pypi_six() {
    let (_cache, opts) = options();
    let spec = TargetSpec::parse("pypi:six==1.16.0", None).unwrap();
    let got = materialize(&spec, &opts).unwrap();
    assert!(got.root.join("six.py").is_file());
    assert_eq!(
        got.target.artifact_sha256.as_deref(),
        Some("1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926")
    );
    eprintln!("{:#?}", got.target);
}

#[test]
#[ignore = "network: real npm registry, a published MCP server"]
fn live_npm_mcp_server_filesystem() {
    let (_cache, opts) = options();
    let spec = TargetSpec::parse(
        "npm:@modelcontextprotocol/server-filesystem@2025.3.28",
        None,
    )
    .unwrap();
    let got = materialize(&spec, &opts).unwrap();
    assert!(got.root.join("dist/index.js").is_file());
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    eprintln!("{:#?}", got.target);
}

#[test]
#[ignore = "network: real PyPI, a published MCP server"]
fn live_pypi_mcp_server_git() {
    let (_cache, opts) = options();
    let spec = TargetSpec::parse("pypi:mcp-server-git==2025.9.25", None).unwrap();
    let got = materialize(&spec, &opts).unwrap();
    assert!(got.root.join("src/mcp_server_git/server.py").is_file());
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    eprintln!("{:#?}", got.target);
}
