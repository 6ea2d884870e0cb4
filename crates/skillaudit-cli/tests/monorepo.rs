//! Folders holding several MCP servers, workspaces, thin wrappers and test fixtures, audited
//! as a user runs the CLI (`tests/fixtures/monorepo/`, written for these tests).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/monorepo")
}

/// `skillaudit scan TARGET --offline --format json` from the fixtures folder: the reports.
fn scan(target: &str) -> Vec<serde_json::Value> {
    let cache = tempfile::tempdir().expect("cache");
    let output = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(["scan", target, "--offline", "--format", "json"])
        .env("SKILLAUDIT_CACHE_DIR", cache.path())
        .env_remove("SKILLAUDIT_OFFLINE")
        .current_dir(fixtures())
        .output()
        .expect("run skillaudit");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    match value.get("reports").and_then(|r| r.as_array()) {
        Some(reports) => reports.clone(),
        None => vec![value],
    }
}

fn specs(reports: &[serde_json::Value]) -> Vec<String> {
    let mut out: Vec<String> = reports
        .iter()
        .map(|r| r["target"]["spec"].as_str().unwrap_or("").to_string())
        .collect();
    out.sort();
    out
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_folder_with_two_servers_gives_two_reports_and_no_flow_between_them() {
    let reports = scan("two-servers");
    assert_eq!(
        specs(&reports),
        ["two-servers/build-runner", "two-servers/web-reader"]
    );
    for report in &reports {
        let codes = codes(report);
        // Fetching a web page in one server and running commands in the other are not one
        // server's toxic combination.
        assert!(!codes.iter().any(|c| c == "FLOW-001"), "{codes:?}");
    }
    let web = reports
        .iter()
        .find(|r| r["target"]["spec"] == "two-servers/web-reader")
        .expect("web-reader report");
    assert!(codes(web).iter().any(|c| c == "SSRF-001"));
    let build = reports
        .iter()
        .find(|r| r["target"]["spec"] == "two-servers/build-runner")
        .expect("build-runner report");
    assert!(codes(build).iter().any(|c| c == "CMD-001"));
    // The repository's SECURITY.md and Dependabot configuration live once at the root: each
    // server is audited with them, and a finding about them names no file of the server.
    for report in &reports {
        let codes = codes(report);
        for absent in ["DOC-006", "MNT-004", "MNT-005"] {
            assert!(!codes.iter().any(|c| c == absent), "{absent}: {codes:?}");
        }
        let sections = report["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["code"] == "DOC-007"))
            .expect("the root SECURITY.md lacks sections");
        assert!(sections["file"].is_null(), "{sections}");
        assert!(sections["message"]
            .as_str()
            .is_some_and(|m| m.contains("`SECURITY.md` of the repository root")));
    }
}

#[test]
fn a_workspace_root_gives_its_server_members() {
    let reports = scan("workspace/");
    // `packages/shared` is a library, not a server; the root's `workspaces` makes the root a
    // workspace, not one server, even though it lists the SDK.
    assert_eq!(
        specs(&reports),
        [
            "workspace/packages/build-runner",
            "workspace/packages/web-reader"
        ]
    );
    for report in &reports {
        let codes = codes(report);
        assert!(!codes.iter().any(|c| c == "FLOW-001"));
        // The workspace's lockfile at the root pins every member: no member lacks one.
        assert!(!codes.iter().any(|c| c == "MNT-001"), "{codes:?}");
        let not_run = report["not_run"].as_array().expect("not_run");
        assert!(
            not_run.iter().any(|n| n["reason"].as_str().is_some_and(
                |r| r.contains("the workspace's package-lock.json at the repository root")
            )),
            "{not_run:#?}"
        );
    }
}

#[test]
fn a_single_server_with_tests_is_one_report_and_its_fixture_skill_is_not_a_skill() {
    let reports = scan("single-with-tests");
    assert_eq!(specs(&reports), ["single-with-tests"]);
    let codes = codes(&reports[0]);
    assert!(codes.iter().any(|c| c == "CMD-001"), "{codes:?}");
    // tests/fixtures/evil-skill/SKILL.md is test data: no skill finding comes from it.
    assert!(!codes.iter().any(|c| c.starts_with("SKILL-")), "{codes:?}");
    assert!(reports[0]["inventory"]["skill"].is_null());
}

#[test]
fn a_thin_wrapper_says_its_server_code_was_not_audited() {
    let reports = scan("wrapper");
    assert_eq!(reports.len(), 1);
    let not_run = reports[0]["not_run"].as_array().expect("not_run");
    let entry = not_run
        .iter()
        .find(|n| n["check"] == "server code in a dependency")
        .unwrap_or_else(|| panic!("{not_run:#?}"));
    let reason = entry["reason"].as_str().expect("reason");
    assert!(reason.contains("@acme/notes-server-core"), "{reason}");
    assert!(reason.contains("bin/cli.js"), "{reason}");
    assert!(reason.contains("not audited"), "{reason}");
    // A real server is not a wrapper.
    for report in scan("two-servers") {
        let not_run = report["not_run"].as_array().expect("not_run");
        assert!(!not_run
            .iter()
            .any(|n| n["check"] == "server code in a dependency"));
    }
}

/// Runs `git` in `dir`; false when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

#[test]
fn an_archive_or_a_git_repository_with_two_servers_gives_two_reports_from_one_download() {
    let dir = tempfile::tempdir().expect("dir");
    let repo = dir.path().join("tools-repo");
    copy_tree(&fixtures().join("two-servers"), &repo);

    // An archive of the repository (one top-level folder, stripped on extraction).
    let archive = dir.path().join("tools-repo.tgz");
    let file = std::fs::File::create(&archive).expect("archive");
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        file,
        flate2::Compression::default(),
    ));
    builder
        .append_dir_all("tools-repo", &repo)
        .expect("tar the folder");
    builder.into_inner().expect("tar").finish().expect("gzip");
    let reports = scan(archive.to_str().expect("path"));
    let expected: Vec<String> = ["build-runner", "web-reader"]
        .iter()
        .map(|m| format!("{}#{m}", archive.display()))
        .collect();
    assert_eq!(specs(&reports), expected);
    for report in &reports {
        assert!(!codes(report).iter().any(|c| c == "FLOW-001"));
    }

    // The same repository cloned from a local git URL.
    if !(git(&repo, &["init", "-q"])
        && git(&repo, &["add", "."])
        && git(&repo, &["commit", "-q", "-m", "two servers"]))
    {
        println!("skipped the git half: git is not available");
        return;
    }
    let url = format!("file://{}", repo.display());
    let reports = scan(&url);
    assert_eq!(reports.len(), 2, "{reports:#?}");
    let names: Vec<&str> = reports
        .iter()
        .filter_map(|r| r["target"]["name"].as_str())
        .collect();
    assert_eq!(names, ["build-runner", "web-reader"]);
    for report in &reports {
        assert!(report["target"]["spec"]
            .as_str()
            .is_some_and(|s| s.starts_with("file://") && s.contains('#')));
        assert!(!codes(report).iter().any(|c| c == "FLOW-001"));
    }
}
