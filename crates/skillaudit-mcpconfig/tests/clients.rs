//! Discovery and parsing over hand-written files of every client's real shape, in a fixture
//! home folder and project folder (never the real home), and the hostile cases: malformed
//! files, symlinks out of the audited folders, huge files, huge command lines.

use skillaudit_mcpconfig::{
    discover, parse, read_config, recognise, Client, Format, ReadError, ReadLimits, Scope,
    Transport,
};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// (display, client, scope, server names) of everything found.
fn found(home: &Path, project: &Path) -> Vec<(String, Client, Scope, Vec<String>)> {
    let roots = vec![home.to_path_buf(), project.to_path_buf()];
    discover(Some(home), Some(project))
        .into_iter()
        .map(|c| {
            let text = read_config(&c.path, &roots, ReadLimits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", c.display));
            let parsed = parse(&text, c.format).unwrap_or_else(|e| panic!("{}: {e}", c.display));
            assert!(
                parsed.problems.is_empty(),
                "{}: {:?}",
                c.display,
                parsed.problems
            );
            let names = parsed.servers.iter().map(|s| s.name.clone()).collect();
            (c.display, c.client, c.scope, names)
        })
        .collect()
}

#[test]
fn every_client_is_found_in_the_user_and_project_scopes() {
    let all = found(&fixtures().join("home"), &fixtures().join("project"));
    let expect: &[(&str, Client, Scope, &[&str])] = &[
        ("~/.config/Claude/claude_desktop_config.json", Client::ClaudeDesktop, Scope::User, &["filesystem", "github"]),
        ("~/.claude.json", Client::ClaudeCode, Scope::User, &["sentry", "postgres"]),
        ("~/.cursor/mcp.json", Client::Cursor, Scope::User, &["browser"]),
        ("~/.codeium/windsurf/mcp_config.json", Client::Windsurf, Scope::User, &["linear"]),
        ("~/.config/Code/User/settings.json", Client::VsCode, Scope::User, &["fetch"]),
        (
            "~/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
            Client::Cline,
            Scope::User,
            &["weather"],
        ),
        ("~/.config/zed/settings.json", Client::Zed, Scope::User, &["legacy", "sqlite"]),
        ("~/.codex/config.toml", Client::Codex, Scope::User, &["docs", "remote-search"]),
        ("~/.gemini/settings.json", Client::GeminiCli, Scope::User, &["notes"]),
        ("~/.continue/config.yaml", Client::Continue, Scope::User, &["memory"]),
        ("~/.continue/mcpServers/time.yaml", Client::Continue, Scope::User, &["time"]),
        (".mcp.json", Client::ClaudeCode, Scope::Project, &["app-db"]),
        (".cursor/mcp.json", Client::Cursor, Scope::Project, &["jira"]),
        (".vscode/mcp.json", Client::VsCode, Scope::Project, &["perplexity"]),
        (".zed/settings.json", Client::Zed, Scope::Project, &["repo-tools"]),
    ];
    for (display, client, scope, names) in expect {
        let Some(hit) = all.iter().find(|f| f.0 == *display) else {
            panic!("{display} not found; found {all:#?}");
        };
        assert_eq!((hit.1, hit.2), (*client, *scope), "{display}");
        let mut got = hit.3.clone();
        got.sort();
        let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{display}");
    }
    assert_eq!(all.len(), expect.len(), "{all:#?}");
}

fn servers_of(relative: &str) -> Vec<skillaudit_mcpconfig::Server> {
    let path = fixtures().join(relative);
    let text = std::fs::read_to_string(&path).expect("fixture");
    parse(&text, Format::of_path(relative))
        .expect("parses")
        .servers
}

#[test]
fn claude_code_local_scope_names_its_project() {
    let servers = servers_of("home/.claude.json");
    let postgres = servers
        .iter()
        .find(|s| s.name == "postgres")
        .expect("postgres");
    assert_eq!(postgres.project.as_deref(), Some("/home/me/work/app"));
    assert_eq!(postgres.line, Some(10));
    let sentry = servers.iter().find(|s| s.name == "sentry").expect("sentry");
    assert_eq!(sentry.transport, Transport::Http);
    assert_eq!(sentry.project, None);
}

#[test]
fn zed_command_objects_and_strings_both_parse() {
    let servers = servers_of("home/.config/zed/settings.json");
    let legacy = servers.iter().find(|s| s.name == "legacy").expect("legacy");
    assert_eq!(legacy.command.as_deref(), Some("node"));
    assert_eq!(legacy.args, vec!["/opt/legacy/index.js"]);
    assert_eq!(legacy.env.get("DEBUG").map(String::as_str), Some("1"));
    let sqlite = servers.iter().find(|s| s.name == "sqlite").expect("sqlite");
    assert_eq!(sqlite.command.as_deref(), Some("uvx"));
}

#[test]
fn codex_toml_tables_parse_with_lines() {
    let servers = servers_of("home/.codex/config.toml");
    let docs = servers.iter().find(|s| s.name == "docs").expect("docs");
    assert_eq!(docs.args, vec!["-y", "docs-mcp@1.2.3"]);
    assert_eq!(docs.line, Some(3));
    let remote = servers
        .iter()
        .find(|s| s.name == "remote-search")
        .expect("remote");
    assert_eq!(remote.transport, Transport::Http);
    assert_eq!(remote.line, Some(8));
}

#[test]
fn references_and_tool_lists_are_kept() {
    let servers = servers_of("home/.gemini/settings.json");
    assert_eq!(servers[0].referenced_variables(), vec!["NOTES_TOKEN"]);
    assert_eq!(servers[0].tools, vec!["search_notes"]);
    let cline = servers_of(
        "home/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
    );
    assert_eq!(cline[0].tools, vec!["get_forecast", "get_alerts"]);
    assert_eq!(cline[0].referenced_variables(), vec!["WEATHER_KEY"]);
    let windsurf = servers_of("home/.codeium/windsurf/mcp_config.json");
    assert_eq!(windsurf[0].transport, Transport::Sse);
}

#[test]
fn committed_configurations_are_recognised_by_path() {
    assert_eq!(recognise(".mcp.json"), Some(Client::ClaudeCode));
    assert_eq!(recognise(".cursor/mcp.json"), Some(Client::Cursor));
    assert_eq!(recognise(".vscode/mcp.json"), Some(Client::VsCode));
    assert_eq!(
        recognise("config/claude_desktop_config.json"),
        Some(Client::ClaudeDesktop)
    );
    assert_eq!(recognise("package.json"), None);
    assert_eq!(recognise("src/settings.json"), None);
}

#[test]
fn malformed_json_is_an_error_with_its_line() {
    let err = parse(
        "{\n  \"mcpServers\": {\n    \"a\": { \"command\": }\n  }\n}",
        Format::Json,
    )
    .expect_err("malformed");
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().contains("not valid JSON"), "{err}");
    let err = parse("[mcp_servers.a\ncommand = 1", Format::Toml).expect_err("malformed toml");
    assert!(err.to_string().contains("not valid TOML"), "{err}");
    assert!(parse("mcpServers: [unclosed", Format::Yaml).is_err());
    assert!(parse("[1, 2]", Format::Json).is_err());
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(&deep, Format::Json).is_err());
}

#[test]
fn a_huge_command_line_is_reported_and_the_other_servers_are_kept() {
    let long = "a".repeat(1024 * 1024);
    let text = format!(
        "{{\"mcpServers\": {{\"big\": {{\"command\": \"npx\", \"args\": [\"{long}\"]}}, \"ok\": {{\"command\": \"node\", \"args\": [\"x.js\"]}}}}}}"
    );
    let parsed = parse(&text, Format::Json).expect("parses");
    assert_eq!(parsed.servers.len(), 1);
    assert_eq!(parsed.servers[0].name, "ok");
    assert_eq!(parsed.problems.len(), 1);
    assert!(
        parsed.problems[0].contains("\"big\""),
        "{:?}",
        parsed.problems
    );
    assert!(
        parsed.problems[0].contains("command line"),
        "{:?}",
        parsed.problems
    );
}

#[test]
fn an_entry_that_is_not_an_object_is_reported_and_the_others_kept() {
    let parsed = parse(
        r#"{"mcpServers": {"bad": 3, "good": {"url": "https://x.example/mcp"}}}"#,
        Format::Json,
    )
    .expect("parses");
    assert_eq!(parsed.servers.len(), 1);
    assert_eq!(parsed.problems.len(), 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_audited_folders_is_refused() {
    let home = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(home.path().join(".cursor")).expect("mkdir");
    let link = home.path().join(".cursor/mcp.json");
    std::os::unix::fs::symlink("/etc/passwd", &link).expect("symlink");
    let found = discover(Some(home.path()), None);
    assert_eq!(found.len(), 1);
    let err = read_config(&link, &[home.path().to_path_buf()], ReadLimits::default())
        .expect_err("refused");
    assert!(matches!(err, ReadError::SymlinkOutside(_)), "{err}");
    assert!(err.to_string().contains("/etc/passwd"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_home_folder_is_followed() {
    let home = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(home.path().join("dotfiles")).expect("mkdir");
    std::fs::write(
        home.path().join("dotfiles/claude.json"),
        "{\"mcpServers\": {}}",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        home.path().join("dotfiles/claude.json"),
        home.path().join(".claude.json"),
    )
    .expect("symlink");
    let text = read_config(
        &home.path().join(".claude.json"),
        &[home.path().to_path_buf()],
        ReadLimits::default(),
    )
    .expect("followed");
    assert!(text.contains("mcpServers"));
}

#[test]
fn a_fifty_megabyte_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("mcp.json");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(50 * 1024 * 1024).expect("sparse file");
    let err = read_config(&path, &[], ReadLimits::default()).expect_err("too large");
    assert!(matches!(err, ReadError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("52428800 bytes"), "{err}");
}

#[test]
fn a_folder_and_binary_bytes_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(
        read_config(dir.path(), &[], ReadLimits::default()),
        Err(ReadError::NotAFile)
    );
    let path = dir.path().join("bin.json");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x80]).expect("write");
    assert_eq!(
        read_config(&path, &[], ReadLimits::default()),
        Err(ReadError::NotUtf8)
    );
}

#[test]
fn deeply_nested_toml_and_yaml_are_errors_not_crashes() {
    let deep_toml = format!("a = {}{}", "[".repeat(50_000), "]".repeat(50_000));
    let _ = parse(&deep_toml, Format::Toml);
    let deep_yaml = format!("mcpServers: {}{}", "[".repeat(50_000), "]".repeat(50_000));
    let _ = parse(&deep_yaml, Format::Yaml);
    let aliases = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let _ = parse(aliases, Format::Yaml);
}
