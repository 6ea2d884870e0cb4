//! One finding per weakness across copies of the same code in a package: compiled output and
//! its TypeScript source, and a stale copy of the package shipped inside it.

use skillaudit_core::TargetInfo;
use skillaudit_rules::project::{load, LoadLimits};
use skillaudit_rules::run_all;

const SERVER: &str = r#"import { execFile } from "child_process";
server.tool("log", "Show the git log of a branch", {}, async ({ branch }) => {
    execFile("git", ["log", branch], () => {});
});
"#;

const OTHER: &str = r#"import { execFile } from "child_process";
server.tool("show", "Show a git object", {}, async ({ object }) => {
    execFile("git", ["show", object], () => {});
});
"#;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("dir");
    }
    std::fs::write(path, text).expect("write");
}

#[test]
fn copies_of_the_same_code_give_one_finding_naming_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "package.json",
        r#"{"name": "git-tools", "version": "1.0.0"}"#,
    );
    write(root, "dist/index.js", SERVER);
    write(root, "src/index.ts", SERVER);
    write(root, "temp-package/package/dist/index.js", SERVER);
    // Different code (another tool) stays a finding of its own.
    write(root, "dist/show.js", OTHER);
    let target = TargetInfo {
        kind: "folder".into(),
        name: "git-tools".into(),
        spec: root.display().to_string(),
        ..TargetInfo::default()
    };
    let project = load(root, target, LoadLimits::default(), jiff::Timestamp::now()).expect("loads");
    let out = run_all(&project);
    let argv: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == "CMD-002")
        .collect();
    assert_eq!(argv.len(), 2, "{argv:#?}");
    let log = argv
        .iter()
        .find(|f| f.file.as_deref() == Some("dist/index.js"))
        .unwrap_or_else(|| panic!("kept at the compiled copy: {argv:#?}"));
    assert!(log.message.contains("src/index.ts"), "{}", log.message);
    assert!(
        log.message.contains("temp-package/package/dist/index.js"),
        "{}",
        log.message
    );
    assert!(argv
        .iter()
        .any(|f| f.file.as_deref() == Some("dist/show.js")));
}
