//! `skillaudit registry` as CI runs it: the committed configurations held to a hand-written
//! registry with missing, stale, bumped and expired entries; `add` auditing a server and
//! recording its grade; malformed registries named with file and line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn skillaudit(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(args)
        .env_remove("HOME")
        .current_dir(cwd)
        .output()
        .expect("run skillaudit")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

const CONFIG: &str = r#"{
  "mcpServers": {
    "files": { "command": "npx", "args": ["-y", "@acme/files@1.5.0"] },
    "time": { "command": "uvx", "args": ["mcp_server_time==0.6.2"] },
    "old": { "command": "npx", "args": ["old-server@2.0.0"] },
    "late": { "command": "npx", "args": ["late@1.0.0"] },
    "new": { "command": "npx", "args": ["-y", "brand-new"] },
    "docs": { "type": "http", "url": "https://docs.example.com/mcp" },
    "gh": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/o/gh-mcp@sha256:0a1b"] },
    "tagged": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/o/gh-mcp:v1"] },
    "mine": { "command": "node", "args": ["tools/server.js"] }
  }
}
"#;

const REGISTRY: &str = "server_id,display_name,current_grade,audit_url,audit_date,environments_approved,data_access_summary,exception_id,exception_granted,exception_expires,exception_approved_by,owner_team
npm:@acme/files@1.4.2,Files,A,https://audits.example/au_1,2026-11-01,prod;staging,Reads the docs folder,,,,,platform
pypi:mcp-server-time==0.6.2,Time,C,https://audits.example/au_2,2026-11-10,staging,Reads the clock,EX-7,2026-11-10,2026-12-20,Head of Security,data
npm:old-server@2.0.0,Old,B,,2026-05-01,dev,,,,,,tools
npm:late@1.0.0,Late,C,,2026-11-01,prod,,EX-9,2026-09-01,2026-11-30,,tools
https://docs.example.com/mcp,Docs,B,,2026-11-20,dev,,,,,,docs
docker:ghcr.io/o/gh-mcp@sha256:0a1b,GitHub,B,,2026-11-20,dev,,,,,,platform
";

#[test]
fn check_reports_missing_stale_bumped_and_expired_entries_by_place() {
    let project = tempfile::tempdir().expect("tmp");
    write(project.path(), ".mcp.json", CONFIG);
    write(project.path(), ".skillaudit/registry.csv", REGISTRY);
    let output = skillaudit(
        &["registry", "check", "--today", "2026-12-04"],
        project.path(),
    );
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for expected in [
        "error: .mcp.json:3: server `files`: npm:@acme/files@1.5.0 is not the approved version (1.4.2)",
        "error: .mcp.json:5: server `old`: its audit (2026-05-01, .skillaudit/registry.csv:4) is 217 days old",
        "error: .mcp.json:6: server `late`: grade C is below production's floor B",
        "error: .mcp.json:7: server `new`: npm:brand-new is not in the registry",
        "error: .skillaudit/registry.csv:5: npm:late@1.0.0: exception EX-9 expired on 2026-11-30",
        "error: .skillaudit/registry.csv:5: npm:late@1.0.0: exception EX-9 names no approver",
        "error: .mcp.json:10: server `tagged`: docker:ghcr.io/o/gh-mcp is not pinned",
        "note: .mcp.json:11: server `mine` runs a local program (node)",
        "8 servers checked",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // The PyPI name is normalised, its exception is valid, and the remote server is registered.
    assert!(!text.contains("server `time`"), "{text}");
    assert!(!text.contains("server `docs`"), "{text}");
    assert!(!text.contains("server `gh`"), "{text}");
}

#[test]
fn export_and_list_read_the_registry() {
    let project = tempfile::tempdir().expect("tmp");
    write(project.path(), ".skillaudit/registry.csv", REGISTRY);
    let output = skillaudit(&["registry", "export"], project.path());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["servers"].as_array().map(Vec::len), Some(6));
    assert_eq!(value["servers"][1]["exception_id"], "EX-7");
    let output = skillaudit(&["registry", "list"], project.path());
    assert!(stdout(&output).contains("6 servers"));
}

#[test]
fn a_malformed_registry_names_file_and_line() {
    let project = tempfile::tempdir().expect("tmp");
    write(project.path(), ".mcp.json", CONFIG);
    write(
        project.path(),
        ".skillaudit/registry.csv",
        "server_id,current_grade,audit_date\nnpm:a@1.0.0,A,2026-01-01\nnpm:b@1.0.0,A,someday\n",
    );
    let output = skillaudit(&["registry", "check"], project.path());
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(".skillaudit/registry.csv:3: audit_date \"someday\""),
        "{err}"
    );
}

#[test]
fn add_audits_records_and_remove_deletes() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path().join("repo");
    write(
        &repo,
        "package.json",
        r#"{"name": "tiny-mcp", "version": "1.0.0"}"#,
    );
    write(&repo, "index.js", "console.log('hello');\n");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.email=test@example.com", "-c", "user.name=test"])
            .args(args)
            .current_dir(&repo)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let Some(head) = git(&["init", "-q"])
        .and_then(|_| git(&["add", "-A"]))
        .and_then(|_| git(&["commit", "-qm", "x"]))
        .and_then(|_| git(&["rev-parse", "HEAD"]))
    else {
        println!("skipped: git is not available");
        return;
    };
    let commit = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let id = format!("file://{}#{commit}", repo.display());
    let project = dir.path().join("project");
    std::fs::create_dir_all(&project).expect("mkdir");
    let output = skillaudit(
        &[
            "registry",
            "add",
            &id,
            "--env",
            "dev,ci",
            "--owner",
            "platform",
            "--offline",
        ],
        &project,
    );
    let text = stdout(&output);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("grade "), "{text}");
    let csv = std::fs::read_to_string(project.join(".skillaudit/registry.csv")).expect("written");
    assert!(
        csv.contains(&id) && csv.contains("dev;ci") && csv.contains("platform"),
        "{csv}"
    );
    // The configuration that starts it at that commit passes the check.
    write(
        &project,
        ".mcp.json",
        &format!(
            r#"{{"mcpServers": {{"tiny": {{"command": "uvx", "args": ["--from", "git+file://{}@{commit}", "tiny"]}}}}}}"#,
            repo.display()
        ),
    );
    let output = skillaudit(&["registry", "check"], &project);
    let text = stdout(&output);
    // Registered at the approved commit and audited today (its grade is judged against the
    // dev and ci floors, which the example may or may not reach).
    assert!(text.contains("1 server checked"), "{text}");
    assert!(!text.contains("not in the registry"), "{text}");
    assert!(!text.contains("approved version"), "{text}");
    assert!(!text.contains("days old"), "{text}");
    let output = skillaudit(&["registry", "remove", &id], &project);
    assert!(output.status.success());
    let output = skillaudit(&["registry", "check"], &project);
    assert!(stdout(&output).contains("is not in the registry"));
}
