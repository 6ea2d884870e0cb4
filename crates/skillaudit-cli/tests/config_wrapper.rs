//! `config --audit` of a client configuration that runs a thin npm wrapper: the dependency
//! holding the server's code is audited beside it and held to the same gate, under the
//! wrapper's row. The registry is a loopback HTTP server answering from packages built here.

mod common;

use common::{publish_notes_wrapper, serve, Routes};
use std::process::Command;
use std::sync::Arc;

#[test]
fn a_wrapper_in_a_client_configuration_is_judged_by_the_code_it_runs() {
    let routes: Routes = Arc::default();
    let base = serve(Arc::clone(&routes));
    publish_notes_wrapper(&routes, &base);
    let project = tempfile::tempdir().expect("project");
    std::fs::write(
        project.path().join(".mcp.json"),
        r#"{"mcpServers": {"notes": {"command": "npx", "args": ["-y", "@acme/mcp-notes@2.1.0"]}}}"#,
    )
    .expect("config");
    let cache = tempfile::tempdir().expect("cache");
    let output = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args([
            "config",
            "--no-user",
            "--audit",
            "--min-grade",
            "A",
            "--format",
            "json",
        ])
        .env_remove("HOME")
        .env("SKILLAUDIT_CACHE_DIR", cache.path())
        .env("NPM_CONFIG_REGISTRY", format!("{base}/"))
        .current_dir(project.path())
        .output()
        .expect("run skillaudit");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let rows = value["servers"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{value:#}");
    let failures: Vec<&str> = rows[0]["gate_failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with("npm:@acme/notes-server-core@2.1.3 (its server code)")),
        "{value:#}"
    );
    assert_eq!(output.status.code(), Some(1), "{value:#}");
}
