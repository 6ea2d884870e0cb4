//! The integration files are valid for their tools: the composite `action.yml` against GitHub's
//! action metadata rules, the workflow and GitLab job `init-ci` writes, and the pre-commit hook
//! manifest and config checked by pre-commit itself (`pre-commit validate-manifest` /
//! `validate-config`; Debian's `pre-commit`, installed by .ci/run), and `.ci/check-rust-version`,
//! which holds the stated minimum Rust version to the locked crates.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// Names after `prefix` in `${{ prefix.NAME }}` expressions.
fn referenced(text: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

#[test]
fn the_composite_action_follows_the_metadata_syntax() {
    let path = repo_root().join("action.yml");
    let action = yaml(&path);
    let text = std::fs::read_to_string(&path).expect("action.yml");
    for key in ["name", "description", "runs"] {
        assert!(action.get(key).is_some(), "action.yml needs `{key}`");
    }
    let allowed = [
        "name",
        "author",
        "description",
        "inputs",
        "outputs",
        "runs",
        "branding",
    ];
    for key in keys(&action) {
        assert!(
            allowed.contains(&key.as_str()),
            "unknown top-level key {key}"
        );
    }
    let inputs = keys(&action["inputs"]);
    for (name, input) in action["inputs"].as_object().expect("inputs") {
        assert!(
            input["description"].is_string(),
            "input {name} needs a description"
        );
        for key in keys(input) {
            assert!(
                ["description", "required", "default", "deprecationMessage"]
                    .contains(&key.as_str()),
                "input {name}: unknown key {key}"
            );
        }
    }
    for name in referenced(&text, "inputs.") {
        assert!(
            inputs.contains(&name),
            "inputs.{name} is used but not declared"
        );
    }
    let runs = &action["runs"];
    assert_eq!(runs["using"], "composite");
    let steps = runs["steps"].as_array().expect("steps");
    let mut ids = Vec::new();
    for step in steps {
        let has_run = step.get("run").is_some();
        let has_uses = step.get("uses").is_some();
        assert!(has_run != has_uses, "a step has `run` or `uses`: {step}");
        if has_run {
            assert!(
                step["shell"].is_string(),
                "composite run steps need `shell`: {step}"
            );
            // Inputs and event data reach scripts through `env`, never spliced into the text.
            let script = step["run"].as_str().expect("run text");
            assert!(
                !script.contains("${{"),
                "expression inside a run script: {script}"
            );
        }
        if let Some(id) = step["id"].as_str() {
            ids.push(id.to_string());
        }
    }
    // Outputs come from a step that exists, and name keys the CLI writes to $GITHUB_OUTPUT.
    let written = [
        "grade",
        "score",
        "security_grade",
        "critical_count",
        "report_url",
        "passed",
        "findings_count",
        "exit_code",
    ];
    for (name, output) in action["outputs"].as_object().expect("outputs") {
        let value = output["value"].as_str().expect("output value");
        let step = referenced(value, "steps.");
        assert!(
            ids.contains(&step[0]),
            "output {name} reads unknown step {}",
            step[0]
        );
        let key = value
            .rsplit('.')
            .next()
            .expect("key")
            .trim_end_matches('}')
            .trim();
        assert!(
            written.contains(&key),
            "output {name} reads {key}, which nothing writes"
        );
    }
    let branding = &action["branding"];
    assert!(branding["icon"].is_string() && branding["color"].is_string());
}

/// A folder holding every file `init-ci` writes (GitHub, GitLab, pre-commit).
fn init_ci_everything() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    for system in ["github", "gitlab", "pre-commit"] {
        let status = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
            .args(["init-ci", system, "--dir"])
            .arg(dir.path())
            .status()
            .expect("run");
        assert!(status.success(), "{system}");
    }
    dir
}

#[test]
fn the_workflows_init_ci_writes_are_well_formed() {
    let dir = init_ci_everything();
    let workflow = yaml(&dir.path().join(".github/workflows/skillaudit.yml"));
    assert!(workflow.get("on").is_some() && workflow.get("name").is_some());
    for (name, job) in workflow["jobs"].as_object().expect("jobs") {
        assert!(job["runs-on"].is_string(), "job {name} needs runs-on");
        for step in job["steps"].as_array().expect("steps") {
            assert!(
                step.get("run").is_some() != step.get("uses").is_some(),
                "{step}"
            );
            if let Some(script) = step["run"].as_str() {
                assert!(
                    !script.contains("${{"),
                    "expression inside a run script: {script}"
                );
            }
        }
        let uses: Vec<&str> = job["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["uses"].as_str())
            .collect();
        assert!(
            uses.iter().any(|u| u.starts_with("skillaudit/skillaudit@")),
            "{uses:?}"
        );
    }

    let gitlab = yaml(&dir.path().join(".gitlab-ci.yml"));
    let job = &gitlab["skillaudit"];
    let script: Vec<&str> = job["script"]
        .as_array()
        .expect("script")
        .iter()
        .map(|l| l.as_str().expect("line"))
        .collect();
    let scan = script
        .iter()
        .find(|l| l.starts_with("skillaudit scan"))
        .expect("scan line");
    // The folded scan command writes the files the artifacts section reports.
    assert!(
        scan.contains("--write codequality=gl-code-quality-report.json"),
        "{scan}"
    );
    assert!(
        scan.contains("--write metrics=skillaudit-metrics.txt"),
        "{scan}"
    );
    assert_eq!(
        job["artifacts"]["reports"]["codequality"],
        "gl-code-quality-report.json"
    );
    assert_eq!(
        job["artifacts"]["reports"]["metrics"],
        "skillaudit-metrics.txt"
    );
    assert_eq!(job["artifacts"]["when"], "always");
}

fn pre_commit() -> Option<PathBuf> {
    let found = Command::new("pre-commit").arg("--version").output().ok()?;
    found.status.success().then(|| PathBuf::from("pre-commit"))
}

#[test]
fn pre_commit_accepts_the_hook_manifest_and_the_config() {
    let Some(tool) = pre_commit() else {
        let why = "pre-commit not found on PATH; install it (apt-get install pre-commit) to run it";
        if std::env::var("SKILLAUDIT_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{why} (SKILLAUDIT_REQUIRE_TOOLS=1 requires it; .ci/run installs it)");
        }
        // Straight to the terminal, past the test harness's output capture.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the pre-commit hook test: {why}; SKILLAUDIT_REQUIRE_TOOLS=1 makes this a failure"
        );
        return;
    };
    let manifest = repo_root().join(".pre-commit-hooks.yaml");
    let home = tempfile::tempdir().expect("home");
    let run = |args: &[&std::ffi::OsStr]| {
        let output = Command::new(&tool)
            .args(args)
            .env("PRE_COMMIT_HOME", home.path())
            .output()
            .expect("run pre-commit");
        assert!(
            output.status.success(),
            "pre-commit {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&["validate-manifest".as_ref(), manifest.as_os_str()]);
    let dir = tempfile::tempdir().expect("tmp");
    let status = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(["init-ci", "pre-commit", "--dir"])
        .arg(dir.path())
        .status()
        .expect("run");
    assert!(status.success());
    let config = dir.path().join(".pre-commit-config.yaml");
    run(&["validate-config".as_ref(), config.as_os_str()]);
    // The config names a hook the manifest defines.
    let hooks = yaml(&manifest);
    let ids: Vec<&str> = hooks
        .as_array()
        .expect("hooks")
        .iter()
        .map(|h| h["id"].as_str().expect("id"))
        .collect();
    let config = yaml(&config);
    for hook in config["repos"][0]["hooks"].as_array().expect("hooks") {
        assert!(ids.contains(&hook["id"].as_str().expect("id")), "{hook}");
    }
    // The hook's entry script exists and is executable.
    let entry = hooks[0]["entry"].as_str().expect("entry");
    let script = repo_root().join(entry.split_whitespace().next().expect("script"));
    let mode = std::fs::metadata(&script)
        .expect("hook script")
        .permissions();
    use std::os::unix::fs::PermissionsExt;
    assert!(
        mode.mode() & 0o111 != 0,
        "{} is executable",
        script.display()
    );
}

/// Runs `.ci/check-rust-version` on a made-up workspace whose one locked crate needs Rust 1.95.
fn check_rust_version(workspace_rust_version: &str) -> std::process::Output {
    let workspace = tempfile::tempdir().expect("workspace");
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!("[workspace.package]\nrust-version = \"{workspace_rust_version}\"\n"),
    )
    .expect("Cargo.toml");
    std::fs::write(
        workspace.path().join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"parser\"\nversion = \"0.146.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
         [[package]]\nname = \"local\"\nversion = \"0.1.0\"\n",
    )
    .expect("Cargo.lock");
    let cargo_home = tempfile::tempdir().expect("cargo home");
    let crate_dir = cargo_home
        .path()
        .join("registry/src/index.crates.io-0000/parser-0.146.0");
    std::fs::create_dir_all(&crate_dir).expect("crate dir");
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        "[package]\nname = \"parser\"\nversion = \"0.146.0\"\nrust-version = \"1.95.0\"\n",
    )
    .expect("crate manifest");
    Command::new("bash")
        .arg(repo_root().join(".ci/check-rust-version"))
        .arg(workspace.path())
        .env("CARGO_HOME", cargo_home.path())
        .output()
        .expect("run .ci/check-rust-version")
}

#[test]
fn rust_version_check_fails_when_a_locked_crate_needs_a_newer_rust() {
    let output = check_rust_version("1.85");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("parser-0.146.0 needs Rust 1.95.0"),
        "{stderr}"
    );
}

#[test]
fn rust_version_check_passes_when_the_workspace_covers_every_locked_crate() {
    let output = check_rust_version("1.95");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_stated_minimum_rust_version_is_the_workspace_rust_version() {
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).expect("Cargo.toml");
    let declared = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("rust-version in Cargo.toml");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    assert!(
        readme.contains(&format!(
            "Needs a Rust toolchain (stable, {declared} or newer"
        )),
        "the README's Install section states rust-version {declared}"
    );
}

#[test]
fn the_action_updates_only_its_own_comment_and_skips_uploads_from_forks() {
    let dir = tempfile::tempdir().expect("tmp");
    let comment = dir.path().join("comment.md");
    let output = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(["scan", "examples/weather-server", "--pr-comment"])
        .arg(&comment)
        .env("SKILLAUDIT_CACHE_DIR", dir.path().join("cache"))
        .current_dir(repo_root())
        .output()
        .expect("run");
    assert!(output.status.success());
    let body = std::fs::read_to_string(&comment).expect("comment");
    let marker = body.lines().next().expect("first line");
    let action = yaml(&repo_root().join("action.yml"));
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("step {name}"))
    };
    let comment_step = step("Comment on the pull request");
    let script = comment_step["run"].as_str().expect("run");
    assert!(
        script.contains(&format!("marker='{marker}'")) && script.contains("startswith"),
        "the comment step finds the CLI's marker: {script}"
    );
    assert!(
        !script.contains("--edit-last"),
        "never another bot's comment"
    );
    let same_repository = "github.event.pull_request.head.repo.full_name == github.repository";
    for name in [
        "Comment on the pull request",
        "Upload SARIF to code scanning",
    ] {
        let condition = step(name)["if"].as_str().expect("if");
        assert!(condition.contains(same_repository), "{name}: {condition}");
    }
}

#[test]
fn every_file_init_ci_writes_pins_a_release_not_a_branch() {
    let dir = init_ci_everything();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    for file in [
        ".github/workflows/skillaudit.yml",
        ".github/workflows/skillaudit-mcp-configs.yml",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
    ] {
        let text = std::fs::read_to_string(dir.path().join(file)).expect(file);
        assert!(
            !text.contains("{{SKILLAUDIT_VERSION}}"),
            "{file}: placeholder left"
        );
        assert!(text.contains(&tag), "{file} pins {tag}");
        for floating in ["skillaudit@main", "rev: main", "--branch", "VERSION: main"] {
            assert!(!text.contains(floating), "{file}: {floating}");
        }
    }
}

#[test]
fn the_action_keeps_the_html_report_and_badge_and_shows_its_build() {
    let action = std::fs::read_to_string(repo_root().join("action.yml")).expect("action.yml");
    let doc = yaml(&repo_root().join("action.yml"));
    let steps = doc["runs"]["steps"].as_array().expect("steps");
    let keep = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("an upload-artifact step");
    let paths = keep["with"]["path"].as_str().expect("path");
    assert!(paths.contains("skillaudit-report.html") && paths.contains("skillaudit-badge.svg"));
    // The build is not silenced: a first run shows cargo's progress.
    assert!(!action.contains("cargo install --locked --quiet"));
}
