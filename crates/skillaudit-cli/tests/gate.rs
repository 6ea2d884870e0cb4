//! The CI gate end to end, on the example repository `examples/gate-demo` (a server with a
//! deliberately injectable tool): it fails with exit 1 and annotations, passes once fixed or
//! exempted, fails again when the exemption expires; malformed policy files are exit 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A copy of the example as a repository: `<tmp>/repo/server`.
struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    server: PathBuf,
    cache: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn demo() -> Repo {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("repo");
    let server = root.join("server");
    copy_dir(&repo_root().join("examples/gate-demo"), &server);
    let cache = dir.path().join("cache");
    Repo {
        _dir: dir,
        root,
        server,
        cache,
    }
}

impl Repo {
    /// Runs skillaudit in the repository root, as a GitHub Actions step would.
    fn run(&self, args: &[&str], github: bool) -> (Output, String, String) {
        let output_file = self.root.join("github-output.txt");
        let summary_file = self.root.join("step-summary.md");
        let _ = std::fs::remove_file(&output_file);
        let _ = std::fs::remove_file(&summary_file);
        let mut command = Command::new(env!("CARGO_BIN_EXE_skillaudit"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("SKILLAUDIT_CACHE_DIR", &self.cache)
            .env_remove("SKILLAUDIT_OFFLINE")
            .env_remove("SKILLAUDIT_ENV")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("GITHUB_STEP_SUMMARY");
        if github {
            command
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_WORKSPACE", &self.root)
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_STEP_SUMMARY", &summary_file)
                .env("GITHUB_SERVER_URL", "https://github.com")
                .env("GITHUB_REPOSITORY", "org/server")
                .env("GITHUB_RUN_ID", "42");
        }
        let output = command.output().expect("run skillaudit");
        (
            output,
            std::fs::read_to_string(&output_file).unwrap_or_default(),
            std::fs::read_to_string(&summary_file).unwrap_or_default(),
        )
    }

    fn write_exemptions(&self, text: &str) {
        let dir = self.server.join(".skillaudit");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("exemptions.yml"), text).expect("write");
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const GATE: [&str; 5] = ["scan", "server", "--env", "ci", "--block-on-critical"];

fn exemption(expires: &str) -> String {
    format!(
        "exemptions:\n  - finding: CMD-001\n    file: src/index.js\n    justification: \"branch names come from a fixed list in the client config\"\n    exempted_by: security-team@example.com\n    expires: \"{expires}\"\n    commit: a3f7c9d\n"
    )
}

#[test]
fn the_vulnerable_server_fails_with_annotations_and_outputs() {
    let repo = demo();
    let (output, outputs, summary) = repo.run(&GATE, true);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    let annotation = out
        .lines()
        .find(|l| l.starts_with("::error ") && l.contains("CMD-001"))
        .unwrap_or_else(|| panic!("no CMD-001 annotation in:\n{out}"));
    assert!(
        annotation.contains("file=server/src/index.js,line=18"),
        "repository-relative path and line: {annotation}"
    );
    assert!(out.contains("::error title=SkillAudit gate::"), "{out}");
    for line in [
        "grade=B",
        "security_grade=B",
        "critical_count=1",
        "passed=false",
        "report_url=https://github.com/org/server/actions/runs/42",
    ] {
        assert!(outputs.lines().any(|l| l == line), "{line} in:\n{outputs}");
    }
    assert!(
        outputs.lines().any(|l| l.starts_with("score=")),
        "{outputs}"
    );
    assert!(summary.contains("SkillAudit gate: ❌ failed"), "{summary}");
    assert!(summary.contains("critical finding"), "{summary}");
    let err = stderr(&output);
    assert!(
        err.contains("gate FAILED") && err.contains("CMD-001 at src/index.js:18"),
        "{err}"
    );
}

#[test]
fn fixing_the_server_passes() {
    let repo = demo();
    std::fs::copy(
        repo.server.join("src/index.fixed.js.txt"),
        repo.server.join("src/index.js"),
    )
    .expect("fix");
    let (output, outputs, _) = repo.run(&GATE, true);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stdout(&output).contains("::error"), "{}", stdout(&output));
    assert!(outputs.contains("passed=true") && outputs.contains("critical_count=0"));
}

#[test]
fn an_exemption_passes_until_it_expires() {
    let repo = demo();
    repo.write_exemptions(&exemption("2999-12-31"));
    let report_path = repo.root.join("report.json");
    let sarif_path = repo.root.join("report.sarif");
    let mut args = GATE.to_vec();
    let report_arg = format!("json={}", report_path.display());
    let sarif_arg = format!("sarif={}", sarif_path.display());
    args.extend(["--write", &report_arg, "--write", &sarif_arg]);
    let (output, _, summary) = repo.run(&args, true);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !stdout(&output)
            .lines()
            .any(|l| l.starts_with("::") && l.contains("CMD-001")),
        "exempted findings are not annotated"
    );
    assert!(
        stdout(&output).contains("exempted until 2999-12-31"),
        "the text report shows it"
    );
    assert!(summary.contains("applied to 1 finding"), "{summary}");

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report"))
            .expect("json");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "CMD-001")
        .expect("the exempted finding is still reported");
    assert_eq!(
        finding["exemption"]["exempted_by"],
        "security-team@example.com"
    );
    assert_eq!(
        finding["exemption"]["source"],
        ".skillaudit/exemptions.yml:2"
    );
    assert_eq!(
        report["critical_findings"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(report["exemptions"][0]["state"], "applied");
    assert!(
        !report["deductions"]
            .as_array()
            .expect("deductions")
            .iter()
            .any(|d| d["finding"] == finding["fingerprint"]),
        "an exempted finding deducts nothing"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).expect("sarif")).expect("json");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "CMD-001")
        .expect("sarif result");
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert_eq!(result["suppressions"][0]["status"], "accepted");

    // The same entry, expired: the finding counts again and the gate names the entry.
    repo.write_exemptions(&exemption("2020-01-31"));
    let (output, _, _) = repo.run(&GATE, true);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("exemption at .skillaudit/exemptions.yml:2 expired on 2020-01-31"),
        "{err}"
    );
    assert!(err.contains("CMD-001"), "{err}");
    assert!(
        stdout(&output)
            .lines()
            .any(|l| l.starts_with("::error ") && l.contains("CMD-001")),
        "annotated again"
    );
}

#[test]
fn a_malformed_exemption_is_an_error_naming_file_and_line() {
    let repo = demo();
    repo.write_exemptions(
        "exemptions:\n  - finding: CMD-001\n    justification: x\n    exempted_by: y\n    expire: 2030-01-01\n",
    );
    let (output, _, _) = repo.run(&GATE, false);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains(".skillaudit/exemptions.yml:5"), "{err}");
}

#[test]
fn fail_open_reports_but_exits_zero() {
    let repo = demo();
    let mut args = GATE.to_vec();
    args.push("--fail-open");
    let (output, outputs, summary) = repo.run(&args, true);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("gate FAILED"));
    assert!(stdout(&output).contains("::error "), "still annotated");
    assert!(outputs.contains("passed=false"));
    assert!(summary.contains("fail-open"), "{summary}");
}

#[test]
fn an_incomplete_audit_never_passes_a_fail_closed_gate() {
    let repo = demo();
    std::fs::copy(
        repo.server.join("src/index.fixed.js.txt"),
        repo.server.join("src/index.js"),
    )
    .expect("fix");
    // A runtime file over the 16 MiB read limit is skipped: the report is incomplete.
    let mut big = String::from("// generated\n");
    while big.len() < 17 * 1024 * 1024 {
        big.push_str("export const table = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];\n");
    }
    std::fs::write(repo.server.join("src/table.js"), big).expect("write");
    let (output, _, _) = repo.run(&["scan", "server", "--min-grade", "D"], false);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("incomplete") && err.contains("src/table.js"),
        "{err}"
    );
    // Without a gate the audit still reports (exit 0), and says it is incomplete.
    let (output, _, _) = repo.run(&["scan", "server", "--format", "json"], false);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["complete"], false);
}

#[test]
fn policy_files_choose_environments_and_errors_name_the_line() {
    let repo = demo();
    std::fs::write(
        repo.root.join("skillaudit.toml"),
        "default_env = \"lenient\"\n[env.lenient]\nmin_grade = \"D\"\n[env.strict]\nmin_grade = \"A\"\n",
    )
    .expect("write");
    // default_env applies without --env: grade B passes D, but is below A.
    let (output, _, _) = repo.run(&["scan", "server"], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (output, _, _) = repo.run(&["scan", "server", "--env", "strict"], false);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("policy `strict`"));
    // A flag tightens the environment.
    let (output, _, _) = repo.run(&["scan", "server", "--block-on-critical"], false);
    assert_eq!(output.status.code(), Some(1));

    std::fs::write(
        repo.root.join("skillaudit.toml"),
        "[env.prod]\nmin_grade = \"B\"\nmin_axis = { securty = \"A\" }\n",
    )
    .expect("write");
    let (output, _, _) = repo.run(&["scan", "server", "--env", "prod"], false);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("skillaudit.toml:3") && err.contains("securty"),
        "{err}"
    );
}

#[test]
fn init_writes_a_policy_that_scan_reads() {
    let repo = demo();
    let (output, _, _) = repo.run(&["init"], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(repo.root.join("skillaudit.toml").is_file());
    assert!(repo.root.join(".skillaudit/exemptions.yml").is_file());
    // A second init leaves the files alone.
    let (output, _, _) = repo.run(&["init"], false);
    assert!(stderr(&output).contains("exists"));
    let (output, _, _) = repo.run(&["scan", "server", "--env", "production"], false);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    for (system, file) in [
        ("github", ".github/workflows/skillaudit.yml"),
        ("gitlab", ".gitlab-ci.yml"),
        ("pre-commit", ".pre-commit-config.yaml"),
    ] {
        let (output, _, _) = repo.run(&["init-ci", system], false);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = std::fs::read_to_string(repo.root.join(file)).expect(file);
        assert!(text.contains("skillaudit"), "{file}");
    }
}

#[test]
fn saved_reports_render_in_every_format_and_gitlab_files_are_written() {
    let repo = demo();
    let json = repo.root.join("report.json");
    let metrics = repo.root.join("metrics.txt");
    let quality = repo.root.join("gl-code-quality-report.json");
    let badge = repo.root.join("badge.svg");
    let args = [
        "scan",
        "server",
        "--format",
        "json",
        "--output",
        json.to_str().expect("path"),
        "--write",
        &format!("metrics={}", metrics.display()),
        "--write",
        &format!("codequality={}", quality.display()),
        "--badge",
        badge.to_str().expect("path"),
    ];
    let (output, _, _) = repo.run(&args, false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let metrics = std::fs::read_to_string(metrics).expect("metrics");
    assert!(
        metrics.lines().any(|l| l.starts_with("skillaudit_score ")),
        "{metrics}"
    );
    assert!(
        metrics.contains("skillaudit_critical_findings 1"),
        "{metrics}"
    );
    let quality: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(quality).expect("cq")).expect("json");
    let issue = quality
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["check_name"] == "CMD-001")
        .expect("CMD-001 issue");
    assert_eq!(issue["severity"], "critical");
    assert_eq!(issue["location"]["path"], "server/src/index.js");
    assert_eq!(issue["location"]["lines"]["begin"], 18);
    let svg = std::fs::read_to_string(badge).expect("badge");
    assert!(
        svg.starts_with("<svg") && svg.contains("#97ca00"),
        "a B badge is green: {svg}"
    );

    for format in [
        "text",
        "json",
        "sarif",
        "markdown",
        "html",
        "codequality",
        "metrics",
        "badge",
    ] {
        let (output, _, _) = repo.run(
            &["render", json.to_str().expect("path"), "--format", format],
            false,
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
        assert!(!output.stdout.is_empty(), "{format}");
    }
    // Re-rendering JSON gives back the same report.
    let (output, _, _) = repo.run(
        &["render", json.to_str().expect("path"), "-f", "json"],
        false,
    );
    let again: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
    assert_eq!(again, saved);
    // Not a report: exit 2 with a reason.
    std::fs::write(repo.root.join("other.json"), "{\"hello\": 1}").expect("write");
    let (output, _, _) = repo.run(&["render", "other.json"], false);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a SkillAudit report"));
}

// ---- the CI files `init-ci` writes, run as their CI systems would run them ----

fn yaml_file(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `PATH` with the `skillaudit` under test first, as an installed binary would be.
fn path_with_skillaudit() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_skillaudit"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("PATH")
}

/// A bash script run in the demo server's folder (the repository root of a CI job), with the
/// binary under test on `PATH` and the network for advisories pointed at a closed port.
fn run_ci_script(repo: &Repo, script: &str, env: &[(String, String)]) -> Output {
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(&repo.server)
        .env("PATH", path_with_skillaudit())
        .env("SKILLAUDIT_CACHE_DIR", &repo.cache)
        .env("SKILLAUDIT_OSV_URL", "http://127.0.0.1:9")
        .env_remove("SKILLAUDIT_OFFLINE")
        .env_remove("SKILLAUDIT_ENV")
        .env_remove("GITHUB_ACTIONS");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run bash")
}

fn init_ci(repo: &Repo, system: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(["init-ci", system, "--dir"])
        .arg(&repo.server)
        .output()
        .expect("init-ci");
    assert!(
        output.status.success(),
        "init-ci {system}: {}",
        stderr(&output)
    );
}

fn assert_blocked_by_the_injection(what: &str, output: &Output) {
    let err = stderr(output);
    assert!(
        err.contains("critical finding") && err.contains("CMD-001"),
        "{what}: the gate names the command injection as a critical finding:\n{err}"
    );
}

#[test]
fn the_github_workflow_init_ci_writes_blocks_the_demo_command_injection() {
    let repo = demo();
    init_ci(&repo, "github");
    let workflow = yaml_file(&repo.server.join(".github/workflows/skillaudit.yml"));
    let steps = workflow["jobs"]["skillaudit"]["steps"]
        .as_array()
        .expect("steps");
    let with = steps
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("skillaudit/skillaudit@"))
        })
        .map(|step| step["with"].clone())
        .expect("the workflow uses the SkillAudit action");
    // The composite action's audit step, fed the workflow's inputs (or the action's defaults)
    // the way the runner does: through its `env:` expressions.
    let action = yaml_file(&repo_root().join("action.yml"));
    let audit = action["runs"]["steps"]
        .as_array()
        .expect("action steps")
        .iter()
        .find(|step| step["id"] == "scan")
        .expect("the action's scan step")
        .clone();
    let mut env = Vec::new();
    for (key, expression) in audit["env"].as_object().expect("env") {
        let expression = expression.as_str().expect("expression");
        let Some(input) = expression
            .strip_prefix("${{ inputs.")
            .and_then(|rest| rest.strip_suffix(" }}"))
        else {
            continue;
        };
        let value = with[input]
            .as_str()
            .map(str::to_string)
            .or_else(|| {
                action["inputs"][input]["default"]
                    .as_str()
                    .map(str::to_string)
            })
            .unwrap_or_default();
        env.push((key.clone(), value));
    }
    let outputs = repo.root.join("github-output.txt");
    env.push(("GITHUB_OUTPUT".into(), outputs.display().to_string()));
    env.push((
        "GITHUB_STEP_SUMMARY".into(),
        repo.root.join("summary.md").display().to_string(),
    ));
    let output = run_ci_script(&repo, audit["run"].as_str().expect("run"), &env);
    assert!(output.status.success(), "{}", stderr(&output));
    let outputs = std::fs::read_to_string(outputs).expect("outputs");
    assert!(
        outputs.contains("exit_code=1"),
        "the gate step fails the job: {outputs}"
    );
    assert_blocked_by_the_injection("GitHub workflow", &output);
}

#[test]
fn the_gitlab_job_init_ci_writes_blocks_the_demo_command_injection() {
    let repo = demo();
    init_ci(&repo, "gitlab");
    let pipeline = yaml_file(&repo.server.join(".gitlab-ci.yml"));
    let job = &pipeline["skillaudit"];
    let mut env: Vec<(String, String)> = job["variables"]
        .as_object()
        .expect("variables")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("variable").to_string()))
        .collect();
    env.push(("CI_PROJECT_DIR".into(), repo.server.display().to_string()));
    let script: Vec<&str> = job["script"]
        .as_array()
        .expect("script")
        .iter()
        .map(|line| line.as_str().expect("script line"))
        .collect();
    let output = run_ci_script(&repo, &script.join("\n"), &env);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_blocked_by_the_injection("GitLab job", &output);
}

#[test]
fn the_pre_commit_hook_init_ci_configures_blocks_the_demo_command_injection() {
    let repo = demo();
    init_ci(&repo, "pre-commit");
    let config = yaml_file(&repo.server.join(".pre-commit-config.yaml"));
    let hook = &config["repos"][0]["hooks"][0];
    let manifest = yaml_file(&repo_root().join(".pre-commit-hooks.yaml"));
    let entry = manifest
        .as_array()
        .expect("hooks")
        .iter()
        .find(|h| h["id"] == hook["id"])
        .and_then(|h| h["entry"].as_str())
        .expect("the configured hook is in the manifest");
    // pre-commit runs `entry` from the hook repository with the configured args appended.
    let mut words: Vec<String> = entry.split_whitespace().map(str::to_string).collect();
    words[0] = repo_root().join(&words[0]).display().to_string();
    for arg in hook["args"].as_array().expect("args") {
        words.push(arg.as_str().expect("arg").to_string());
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let output = run_ci_script(&repo, &quoted.join(" "), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_blocked_by_the_injection("pre-commit hook", &output);
}

// ---- require_advisories ----

/// One OSV record in a folder, for `skillaudit db import`.
fn osv_records(repo: &Repo) -> PathBuf {
    let dir = repo.root.join("osv-records");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("GHSA-demo-0001.json"),
        r#"{"id": "GHSA-demo-0001", "modified": "2026-01-01T00:00:00Z",
            "summary": "prototype pollution", "affected": [{
              "package": {"ecosystem": "npm", "name": "left-pad"},
              "ranges": [{"type": "ECOSYSTEM",
                          "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}"#,
    )
    .expect("write record");
    dir
}

const ADVISORIES_MISSING: &str = "no advisory database was used";

#[test]
fn require_advisories_fails_without_a_database_and_passes_with_a_current_one() {
    let repo = demo();
    std::fs::copy(
        repo.server.join("src/index.fixed.js.txt"),
        repo.server.join("src/index.js"),
    )
    .expect("fix");
    let gate = ["scan", "server", "--require-advisories"];
    let (output, _, _) = repo.run(&gate, false);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(ADVISORIES_MISSING) && err.contains("skillaudit db update"),
        "{err}"
    );
    // The reference production environment requires advisories too.
    let (output, _, _) = repo.run(&["scan", "server", "--env", "production"], false);
    assert!(
        stderr(&output).contains(ADVISORIES_MISSING),
        "{}",
        stderr(&output)
    );

    let records = osv_records(&repo);
    let (output, _, _) = repo.run(&["db", "import", records.to_str().expect("path")], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (output, _, _) = repo.run(&["db", "info"], false);
    assert!(
        stdout(&output).contains("(imported within the hour)"),
        "db info shows the age: {}",
        stdout(&output)
    );
    let (output, _, _) = repo.run(&gate, false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("advisories are required"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn require_advisories_fails_on_a_stale_database_by_the_configured_age() {
    let repo = demo();
    std::fs::copy(
        repo.server.join("src/index.fixed.js.txt"),
        repo.server.join("src/index.js"),
    )
    .expect("fix");
    let records = osv_records(&repo);
    let (output, _, _) = repo.run(&["db", "import", records.to_str().expect("path")], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Age the database: its metadata says it was imported on 1 January 2000.
    let meta_path = repo.cache.join("osv/meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).expect("meta")).expect("json");
    meta["imported_at"] = serde_json::json!("2000-01-01T00:00:00Z");
    std::fs::write(&meta_path, meta.to_string()).expect("write meta");

    let (output, _, _) = repo.run(&["scan", "server", "--require-advisories"], false);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("days old") && err.contains("7-day limit"),
        "{err}"
    );
    // The limit comes from the policy file…
    std::fs::write(
        repo.root.join("skillaudit.toml"),
        "[env.lenient]\nrequire_advisories = true\nadvisories_max_age_days = 100000\n",
    )
    .expect("policy");
    let (output, _, _) = repo.run(&["scan", "server", "--env", "lenient"], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // …and a flag can only shorten it.
    let (output, _, _) = repo.run(
        &[
            "scan",
            "server",
            "--env",
            "lenient",
            "--advisories-max-age",
            "30",
        ],
        false,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("30-day limit"));
}

#[test]
fn a_failed_db_update_suggests_a_mirror_and_an_offline_import() {
    let repo = demo();
    let (output, _, _) = repo.run(
        &[
            "db",
            "update",
            "--source",
            "http://127.0.0.1:9",
            "--ecosystem",
            "npm",
        ],
        false,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("--source URL") && err.contains("skillaudit db import"),
        "{err}"
    );
}

#[test]
fn sarif_of_a_subfolder_target_points_at_repository_paths() {
    // The audit runs from the repository root on the server's folder, as a CI job does; code
    // scanning resolves the URIs against the repository root.
    let repo = demo();
    let sarif_path = repo.root.join("skillaudit.sarif");
    let write = format!("sarif={}", sarif_path.display());
    let (output, _, _) = repo.run(&["scan", "server", "--write", &write], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).expect("sarif")).expect("json");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let injection = results
        .iter()
        .find(|r| r["ruleId"] == "CMD-001")
        .expect("CMD-001 result");
    let location = &injection["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "server/src/index.js");
    assert_eq!(location["region"]["startLine"], 18);
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("server/"), "{uri}");
    }
}

// ---- baselines ----

#[test]
fn a_baseline_hides_an_old_finding_and_keeps_a_new_one() {
    let repo = demo();
    let baseline = repo.root.join(".skillaudit/baseline.json");
    let (output, _, _) = repo.run(&["baseline", "server"], false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).expect("baseline")).expect("json");
    assert!(written["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["code"] == "CMD-001" && f["file"] == "src/index.js"));

    let gate = [
        "scan",
        "server",
        "--env",
        "ci",
        "--baseline",
        ".skillaudit/baseline.json",
    ];
    // Only old findings: the command injection is in the baseline, so the gate passes.
    let (output, _, _) = repo.run(&gate, false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("baseline .skillaudit/baseline.json"),
        "{text}"
    );

    // A new injection in another file is not in the baseline: the gate fails on it alone.
    std::fs::copy(
        repo.server.join("src/index.js"),
        repo.server.join("src/second.js"),
    )
    .expect("copy");
    let (output, _, _) = repo.run(&gate, false);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("CMD-001 at src/second.js"), "{err}");
    assert!(!err.contains("src/index.js"), "{err}");
}

#[test]
fn a_saved_report_works_as_a_baseline_and_a_wrong_file_is_an_error() {
    let repo = demo();
    let report = repo.root.join("old.json");
    let (output, _, _) = repo.run(
        &[
            "scan",
            "server",
            "--format",
            "json",
            "--output",
            report.to_str().expect("path"),
        ],
        false,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (output, _, _) = repo.run(
        &["scan", "server", "--env", "ci", "--baseline", "old.json"],
        false,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    std::fs::write(repo.root.join("nope.json"), "{\"grade\": \"A\"}").expect("write");
    let (output, _, _) = repo.run(
        &["scan", "server", "--env", "ci", "--baseline", "nope.json"],
        false,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("has no `findings`"));
}

#[test]
fn text_shows_short_fingerprints_and_exemptions_to_review() {
    let repo = demo();
    repo.write_exemptions(
        "exemptions:\n  - finding: SSRF-001\n    justification: x\n    exempted_by: y\n    expires: \"2999-01-01\"\n  - finding: CMD-001\n    justification: x\n    exempted_by: y\n    expires: \"2000-01-01\"\n",
    );
    let json = repo.root.join("r.json");
    let (output, _, _) = repo.run(
        &[
            "scan",
            "server",
            "--write",
            &format!("json={}", json.display()),
            "--write",
            &format!("markdown={}", repo.root.join("r.md").display()),
        ],
        false,
    );
    let text = stdout(&output);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
    let print = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "CMD-001")
        .and_then(|f| f["fingerprint"].as_str())
        .expect("fingerprint")
        .to_string();
    assert!(text.contains(&format!("#{}", &print[..8])), "{text}");
    assert!(text.contains("Exemptions to review"), "{text}");
    assert!(text.contains("matches no finding"), "{text}");
    assert!(text.contains("expired on 2000-01-01"), "{text}");
    let markdown = std::fs::read_to_string(repo.root.join("r.md")).expect("md");
    assert!(
        markdown.contains("### Exemptions to review (2)"),
        "{markdown}"
    );

    // The short fingerprint is enough to exempt that finding.
    repo.write_exemptions(&format!(
        "exemptions:\n  - fingerprint: \"{}\"\n    justification: x\n    exempted_by: y\n    expires: \"2999-01-01\"\n",
        &print[..8]
    ));
    let (output, _, _) = repo.run(&GATE, false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
