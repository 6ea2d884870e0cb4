//! A small package written to a temporary folder and audited with every rule.

use skillaudit_core::{Finding, TargetInfo};
use skillaudit_rules::project::{load, LoadLimits};
use skillaudit_rules::run_all;

/// The findings of a package made of `files` (relative path, text), named `name`.
pub fn audit(name: &str, files: &[(&str, &str)]) -> Vec<Finding> {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    let target = TargetInfo {
        kind: "folder".into(),
        name: name.into(),
        spec: root.display().to_string(),
        ..TargetInfo::default()
    };
    let project = load(root, target, LoadLimits::default(), jiff::Timestamp::now()).expect("loads");
    run_all(&project).findings
}
