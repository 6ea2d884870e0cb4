//! A loopback npm registry for the service benchmarks: the recorded is-number 7.0.0 package of
//! skillaudit-source's test fixtures, published under many versions (the same tarball each
//! time), so each version is a distinct audit doing the same work.

use anyhow::{bail, Context, Result};
use std::path::Path;

/// The recorded packument with `versions` copies of 7.0.0 (7.0.0, 7.0.1, …), all pointing at
/// the recorded tarball on `base`.
pub fn packument(root: &Path, base: &str, versions: usize) -> Result<String> {
    let path = root.join("crates/skillaudit-source/tests/fixtures/is-number-packument.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .replace("https://registry.npmjs.org/", &format!("{base}/"));
    let mut value: serde_json::Value = serde_json::from_str(&text)?;
    let Some(template) = value["versions"].get("7.0.0").cloned() else {
        bail!("the recorded packument has no 7.0.0");
    };
    let published = value["time"].get("7.0.0").cloned();
    for n in 0..versions {
        let version = format!("7.0.{n}");
        let mut entry = template.clone();
        entry["version"] = version.clone().into();
        value["versions"][&version] = entry;
        if let Some(time) = &published {
            value["time"][&version] = time.clone();
        }
    }
    Ok(value.to_string())
}

/// Serves the registry on 127.0.0.1 in the current tokio runtime; returns its base URL.
pub async fn serve(root: &Path, versions: usize) -> Result<String> {
    let tarball =
        std::fs::read(root.join("crates/skillaudit-source/tests/fixtures/is-number-7.0.0.tgz"))
            .context("cannot read the recorded tarball")?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let packument = packument(root, &base, versions)?;
    let app = axum::Router::new()
        .route(
            "/is-number",
            axum::routing::get(move || {
                let body = packument.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        )
        .route(
            "/is-number/-/is-number-7.0.0.tgz",
            axum::routing::get(move || {
                let body = tarball.clone();
                async move { ([("content-type", "application/octet-stream")], body) }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(base)
}
