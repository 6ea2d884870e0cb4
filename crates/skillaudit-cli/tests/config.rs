//! `skillaudit config` as a user runs it: discovery in a given home and project folder (never
//! the real home), the listing per client and scope, CFG findings with their exit code, and
//! hostile files reported by name without losing the other servers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../skillaudit-mcpconfig/tests/fixtures")
}

fn skillaudit(args: &[&str], cwd: &Path) -> Output {
    // An empty cache of its own: what is audited never depends on this machine's cache.
    let cache = tempfile::tempdir().expect("cache");
    Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(args)
        .env_remove("HOME")
        .env("SKILLAUDIT_CACHE_DIR", cache.path())
        .current_dir(cwd)
        .output()
        .expect("run skillaudit")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("json output")
}

#[test]
fn config_lists_every_client_per_scope() {
    let home = fixtures().join("home");
    let project = fixtures().join("project");
    let output = skillaudit(
        &[
            "config",
            "--home",
            home.to_str().expect("utf-8"),
            "--project",
            project.to_str().expect("utf-8"),
        ],
        &project,
    );
    let text = stdout(&output);
    for line in [
        "Claude Desktop · user scope · ~/.config/Claude/claude_desktop_config.json (2 servers)",
        "Claude Code · user scope · ~/.claude.json (2 servers)",
        "Codex · user scope · ~/.codex/config.toml (2 servers)",
        "Cline · user scope ·",
        "Continue · user scope · ~/.continue/mcpServers/time.yaml (1 server)",
        "Claude Code · project scope · .mcp.json (1 server)",
        "VS Code · project scope · .vscode/mcp.json (1 server)",
        "[local scope of /home/me/work/app]",
        "15 configuration files, 19 servers",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // The fixture's only findings are MEDIUM and LOW: the default gate (high) passes.
    assert_eq!(output.status.code(), Some(0), "{text}");
}

#[test]
fn config_json_has_files_errors_and_findings() {
    let project = fixtures().join("project");
    let output = skillaudit(&["config", "--no-user", "--format", "json"], &project);
    let value = json(&output);
    assert_eq!(
        value["files"].as_array().map(Vec::len),
        Some(4),
        "{value:#}"
    );
    assert_eq!(value["files"][0]["scope"], "project");
    assert_eq!(value["errors"].as_array().map(Vec::len), Some(0));
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn findings_fail_the_gate_and_never_show_the_secret() {
    let project = tempfile::tempdir().expect("tmp");
    let token = format!("ghp_{}", "Zq8Lm3Rt5Vx7Nb2Kc4Wd6Yf9Hg1Js0Pa3Qe5");
    write(
        project.path(),
        ".mcp.json",
        &format!(
            r#"{{"mcpServers": {{"gh": {{"command": "gh-mcp", "args": ["--token", "{token}"], "env": {{"GITHUB_TOKEN": "{token}"}}}}}}}}"#
        ),
    );
    for format in ["text", "json"] {
        let output = skillaudit(&["config", "--no-user", "--format", format], project.path());
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(text.contains("CFG-001"), "{text}");
        assert!(text.contains("CFG-002"), "{text}");
        assert!(!text.contains(&token), "the token is shown:\n{text}");
    }
    let output = skillaudit(
        &["config", "--no-user", "--fail-on", "never"],
        project.path(),
    );
    assert_eq!(output.status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn hostile_files_are_errors_naming_the_file_and_the_others_are_kept() {
    let home = tempfile::tempdir().expect("home");
    let project = tempfile::tempdir().expect("project");
    // A configuration that is a link to /etc/passwd.
    std::fs::create_dir_all(home.path().join(".cursor")).expect("mkdir");
    std::os::unix::fs::symlink("/etc/passwd", home.path().join(".cursor/mcp.json")).expect("link");
    // A 50 MB file.
    std::fs::create_dir_all(home.path().join(".gemini")).expect("mkdir");
    let big = std::fs::File::create(home.path().join(".gemini/settings.json")).expect("create");
    big.set_len(50 * 1024 * 1024).expect("sparse");
    // A malformed file.
    write(
        home.path(),
        ".codex/config.toml",
        "[mcp_servers.a\ncommand = ",
    );
    // A server with a 1 MB command line beside a good one.
    let long = "x".repeat(1024 * 1024);
    write(
        project.path(),
        ".mcp.json",
        &format!(
            r#"{{"mcpServers": {{"huge": {{"command": "node", "args": ["{long}"]}}, "fine": {{"command": "npx", "args": ["-y", "pkg"]}}}}}}"#
        ),
    );
    // And a good user file.
    write(
        home.path(),
        ".claude.json",
        r#"{"mcpServers": {"docs": {"type": "http", "url": "http://docs.example.com/mcp"}}}"#,
    );
    let output = skillaudit(
        &[
            "config",
            "--home",
            home.path().to_str().expect("utf-8"),
            "--project",
            project.path().to_str().expect("utf-8"),
            "--fail-on",
            "never",
        ],
        project.path(),
    );
    let text = stdout(&output);
    assert!(
        output.status.success() || output.status.code() == Some(2),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(2), "errors exit 2:\n{text}");
    assert!(
        text.contains("error: ~/.cursor/mcp.json: is a symbolic link to /etc/passwd"),
        "{text}"
    );
    assert!(
        text.contains("error: ~/.gemini/settings.json: is 52428800 bytes"),
        "{text}"
    );
    assert!(text.contains("error: ~/.codex/config.toml: line"), "{text}");
    assert!(text.contains("error: .mcp.json: server \"huge\""), "{text}");
    assert!(text.contains("command line is"), "{text}");
    // The other servers are listed and judged.
    assert!(text.contains("  fine "), "{text}");
    assert!(text.contains("  docs "), "{text}");
    assert!(text.contains("CFG-003 .mcp.json"), "{text}");
    assert!(text.contains("CFG-004 ~/.claude.json"), "{text}");
    assert!(!text.contains("root:x:0:0"), "{text}");
}

#[test]
fn a_named_file_that_is_not_a_configuration_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(dir.path(), "notes.json", "not json at all");
    let output = skillaudit(&["config", path.to_str().expect("utf-8")], dir.path());
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("notes.json: line 1: not valid JSON"),
        "{text}"
    );
}

/// A local git repository holding the example server, and its commit.
fn example_server_repo(dir: &Path) -> Option<String> {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/weather-server");
    for entry in walk(&example) {
        let relative = entry.strip_prefix(&example).expect("inside");
        let target = repo.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::copy(&entry, &target).expect("copy");
    }
    // One more tool with a real weakness, so that the gate has something to refuse: a note
    // name joined under the notes folder with no containment check (`../` climbs out).
    std::fs::write(
        repo.join("dist/notes.js"),
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
         import fs from \"fs\";\nimport path from \"path\";\nimport { z } from \"zod\";\n\
         const server = new McpServer({ name: \"notes\", version: \"0.1.0\" });\n\
         server.tool(\"read_note\", \"A note\", { name: z.string() }, async ({ name }) => ({\n\
           content: [{ type: \"text\", text: fs.readFileSync(path.join(\"/srv/notes\", name), \"utf8\") }],\n\
         }));\n",
    )
    .expect("write notes.js");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.email=test@example.com", "-c", "user.name=test"])
            .args(args)
            .current_dir(&repo)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    git(&["init", "-q"])?;
    git(&["add", "-A"])?;
    git(&["commit", "-qm", "example"])?;
    let head = git(&["rev-parse", "HEAD"])?;
    Some(String::from_utf8_lossy(&head.stdout).trim().to_string())
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn audit_grades_each_package_server_and_applies_the_gate_per_server() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some(commit) = example_server_repo(dir.path()) else {
        println!("skipped: git is not available");
        return;
    };
    let project = dir.path().join("project");
    let repo_url = format!("git+file://{}@{commit}", dir.path().join("repo").display());
    write(
        &project,
        ".mcp.json",
        &format!(
            r#"{{"mcpServers": {{
  "weather": {{"command": "uvx", "args": ["--from", "{repo_url}", "weather"]}},
  "fs": {{"command": "npx", "args": ["-y", "@scope/server-files@1.0.0"]}},
  "time": {{"command": "uvx", "args": ["mcp-server-time"]}}
}}}}"#
        ),
    );
    let output = skillaudit(
        &[
            "config",
            "--no-user",
            "--audit",
            "--offline",
            "--format",
            "json",
        ],
        &project,
    );
    let value = json(&output);
    let rows = value["servers"].as_array().expect("a row per server");
    assert_eq!(rows.len(), 3, "{value:#}");
    let weather = &rows[0];
    assert_eq!(weather["server"], "weather");
    assert_eq!(weather["pinned"], true);
    assert!(weather["grade"].is_string(), "{weather:#}");
    assert!(weather["target"]
        .as_str()
        .is_some_and(|t| t.ends_with(&commit)));
    // Offline, the npm server cannot be fetched: reported, not dropped.
    assert!(
        rows[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("offline")),
        "{value:#}"
    );
    assert!(
        rows[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("latest release is unknown")),
        "unpinned PyPI, offline and not cached: {value:#}"
    );
    assert_eq!(rows[2]["pinned"], false);
    assert_eq!(output.status.code(), Some(2), "servers not audited exit 2");

    // One combined report in the other formats: the configurations' card, then each server's.
    let out = tempfile::tempdir().expect("out");
    let sarif = out.path().join("config.sarif");
    let markdown = out.path().join("config.md");
    let sarif_arg = format!("sarif={}", sarif.display());
    let markdown_arg = format!("markdown={}", markdown.display());
    skillaudit(
        &[
            "config",
            "--no-user",
            "--audit",
            "--offline",
            "--write",
            &sarif_arg,
            "--write",
            &markdown_arg,
        ],
        &project,
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
            .expect("json");
    // A run for the configurations, one for the audited server (and one listing what could
    // not be audited).
    assert!(
        sarif["runs"].as_array().is_some_and(|r| r.len() >= 2),
        "{sarif:#}"
    );
    assert!(sarif["runs"][0]["automationDetails"]["id"]
        .as_str()
        .is_some_and(|id| id.contains("mcp-client-configurations")));
    let markdown = std::fs::read_to_string(&markdown).expect("markdown written");
    assert!(markdown.contains("mcp-client-configurations"), "{markdown}");
    assert!(markdown.contains("CFG-003"), "{markdown}");
    assert!(markdown.contains("mcp-server-time"), "{markdown}");

    // The gate applies per server: the example with its note reader is not an A.
    let output = skillaudit(
        &[
            "config",
            "--no-user",
            "--audit",
            "--offline",
            "--min-grade",
            "A",
        ],
        &project,
    );
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("gate: "), "{text}");
}

#[test]
fn init_ci_github_writes_the_configuration_gate_workflow() {
    let dir = tempfile::tempdir().expect("tmp");
    let output = skillaudit(
        &[
            "init-ci",
            "github",
            "--dir",
            dir.path().to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    assert!(output.status.success());
    let path = dir
        .path()
        .join(".github/workflows/skillaudit-mcp-configs.yml");
    let workflow: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(&path).expect("written")).expect("yaml");
    let paths: Vec<&str> = workflow["on"]["pull_request"]["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    for wanted in [
        ".mcp/**",
        "**/mcp.json",
        ".cursor/mcp.json",
        "**/claude_desktop_config.json",
    ] {
        assert!(paths.contains(&wanted), "{paths:?}");
    }
    let steps = workflow["jobs"]["mcp-configs"]["steps"]
        .as_array()
        .expect("steps");
    let scripts: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        scripts
            .iter()
            .any(|s| s.starts_with("skillaudit registry check")),
        "{scripts:?}"
    );
    assert!(
        scripts
            .iter()
            .any(|s| s.starts_with("skillaudit config --no-user")),
        "{scripts:?}"
    );
    assert!(scripts.iter().all(|s| !s.contains("${{")), "{scripts:?}");
}

/// The configuration of a project that starts two real published servers.
const TWO_PUBLISHED_SERVERS: &str = r#"{"mcpServers": {
  "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.3.28", "/srv/docs"]},
  "git": {"command": "uvx", "args": ["mcp-server-git==2025.9.25", "--repository", "/srv/repo"]},
  "time": {"command": "uvx", "args": ["mcp-server-time"]}
}}"#;

#[test]
#[ignore = "network: real npm registry and PyPI, published MCP servers"]
fn audit_of_two_published_servers_online_then_offline_from_the_cache() {
    let project = tempfile::tempdir().expect("tmp");
    let cache = tempfile::tempdir().expect("cache");
    write(project.path(), ".mcp.json", TWO_PUBLISHED_SERVERS);
    for offline in [false, true] {
        let mut args = vec!["config", "--no-user", "--audit", "--format", "json"];
        if offline {
            args.push("--offline");
        }
        let output = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
            .args(&args)
            .env_remove("HOME")
            .env("SKILLAUDIT_CACHE_DIR", cache.path())
            .current_dir(project.path())
            .output()
            .expect("run skillaudit");
        let value = json(&output);
        let rows = value["servers"].as_array().expect("rows");
        assert_eq!(rows.len(), 3, "{value:#}");
        for row in rows {
            assert!(row["grade"].is_string(), "offline={offline}: {row:#}");
        }
        assert_eq!(rows[0]["pinned"], true);
        // The unpinned one is audited at the release that would install today.
        assert_eq!(rows[2]["pinned"], false);
        assert!(rows[2]["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("pypi:mcp-server-time==")));
    }
}

#[test]
fn control_characters_in_a_configuration_never_reach_the_terminal() {
    let project = tempfile::tempdir().expect("tmp");
    write(
        project.path(),
        ".mcp.json",
        "{\"mcpServers\": {\"evil\\u001b]0;pwned\\u0007\": {\"command\": \"node\\u001b[2J\", \"args\": [\"x.js\"]}}}",
    );
    let output = skillaudit(&["config", "--no-user"], project.path());
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    assert!(text.contains("evil?]0;pwned?"), "{text}");
}
