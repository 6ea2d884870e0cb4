//! The `skillaudit` binary as a user runs it: exit codes, formats, the report card's schema.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn skillaudit(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(args)
        .env("SKILLAUDIT_CACHE_DIR", cache)
        .env_remove("SKILLAUDIT_OFFLINE")
        .current_dir(repo_root())
        .output()
        .expect("run skillaudit")
}

fn validate(value: &serde_json::Value) {
    let text =
        std::fs::read_to_string(repo_root().join("schema/report.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn scan_of_the_example_writes_a_schema_valid_report_card() {
    let cache = tempfile::tempdir().expect("cache");
    let out = tempfile::tempdir().expect("out");
    let file = out.path().join("report.json");
    let output = skillaudit(
        &[
            "scan",
            "examples/weather-server",
            "--format",
            "json",
            "--output",
            file.to_str().expect("path"),
        ],
        cache.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("report written"))
            .expect("json");
    validate(&report);
    assert_eq!(report["target"]["name"], "weather-server");
    assert!(["A", "B", "C", "D", "F"].contains(&report["grade"].as_str().expect("grade")));
}

#[test]
fn text_output_ends_with_a_summary_line_and_has_no_colour_when_piped() {
    let cache = tempfile::tempdir().expect("cache");
    let output = skillaudit(&["scan", "examples/weather-server"], cache.path());
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(!stdout.contains('\u{1b}'), "escape codes in piped output");
    let last = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .expect("output");
    assert!(last.starts_with("skillaudit: "), "{last}");
    assert!(last.contains("weather-server"), "{last}");
}

#[test]
fn several_targets_give_one_report_each_and_errors_exit_2() {
    let cache = tempfile::tempdir().expect("cache");
    let output = skillaudit(
        &[
            "scan",
            "examples/weather-server",
            "no/such/folder",
            "--format",
            "json",
            "--offline",
        ],
        cache.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["reports"].as_array().map(Vec::len), Some(1));
    assert_eq!(value["errors"][0]["target"], "no/such/folder");
    validate(&value["reports"][0]);
}

#[test]
fn offline_forbids_registry_targets_with_exit_2() {
    let cache = tempfile::tempdir().expect("cache");
    let output = skillaudit(&["scan", "npm:left-pad@1.3.0", "--offline"], cache.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("offline"), "{stderr}");
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let cache = tempfile::tempdir().expect("cache");
    let output = skillaudit(
        &["scan", "examples/weather-server", "-f", "sarif"],
        cache.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["version"], "2.1.0");
    assert!(value["runs"][0]["results"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_page() {
    let cache = tempfile::tempdir().expect("cache");
    let rules = skillaudit(&["rules"], cache.path());
    assert_eq!(rules.status.code(), Some(0));
    let listing = String::from_utf8(rules.stdout).expect("utf-8");
    for meta in skillaudit_rules::registry::all_meta() {
        assert!(listing.contains(meta.code), "{} not listed", meta.code);
    }
    let explain = skillaudit(&["explain", "mnt-003"], cache.path());
    assert_eq!(explain.status.code(), Some(0));
    let page = String::from_utf8(explain.stdout).expect("utf-8");
    assert!(page.contains("## Vulnerable example") && page.contains("MNT-003"));
    let unknown = skillaudit(&["explain", "NOPE-999"], cache.path());
    assert_eq!(unknown.status.code(), Some(2));
}

fn with_env(args: &[&str], cache: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_skillaudit"));
    command
        .args(args)
        .env("SKILLAUDIT_CACHE_DIR", cache)
        .env_remove("SKILLAUDIT_OFFLINE")
        .current_dir(repo_root());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run skillaudit")
}

#[test]
fn empty_configuration_variables_are_ignored_not_usage_errors() {
    let cache = tempfile::tempdir().expect("cache");
    let empty = [
        ("GITHUB_ACTIONS", ""),
        ("SKILLAUDIT_ENV", ""),
        ("SKILLAUDIT_OFFLINE", ""),
        ("SKILLAUDIT_OSV_DB", ""),
        ("SKILLAUDIT_OSV_URL", " "),
        ("NO_COLOR", ""),
    ];
    let output = with_env(&["scan", "examples/weather-server"], cache.path(), &empty);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Empty GITHUB_ACTIONS is not GitHub: no workflow commands.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("::"));
}

#[test]
fn any_non_empty_no_color_is_accepted() {
    let cache = tempfile::tempdir().expect("cache");
    for value in ["1", "true", "whatever"] {
        let output = with_env(
            &["scan", "examples/weather-server"],
            cache.path(),
            &[("NO_COLOR", value)],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "NO_COLOR={value}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains('\u{1b}'));
    }
}

#[test]
fn the_github_flag_takes_no_value() {
    let cache = tempfile::tempdir().expect("cache");
    let dir = tempfile::tempdir().expect("dir");
    let outputs = dir.path().join("outputs.txt");
    let output = with_env(
        &["scan", "examples/weather-server", "--github"],
        cache.path(),
        &[
            ("GITHUB_OUTPUT", outputs.to_str().expect("path")),
            (
                "GITHUB_STEP_SUMMARY",
                dir.path().join("summary.md").to_str().expect("path"),
            ),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(outputs).expect("GITHUB_OUTPUT written");
    assert!(written.contains("grade="), "{written}");
}

#[test]
fn rules_columns_line_up() {
    let cache = tempfile::tempdir().expect("cache");
    let output = skillaudit(&["rules"], cache.path());
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let columns: Vec<usize> = ["NAME", "AXIS", "SEVERITY"]
        .iter()
        .map(|title| header.find(title).expect(title))
        .collect();
    let mut rows = 0;
    for line in lines {
        rows += 1;
        for &column in &columns {
            let bytes = line.as_bytes();
            assert!(
                bytes.get(column - 1) == Some(&b' ') && bytes.get(column) != Some(&b' '),
                "a column does not start at byte {column}:\n{header}\n{line}"
            );
        }
    }
    assert!(rows > 10);
}
