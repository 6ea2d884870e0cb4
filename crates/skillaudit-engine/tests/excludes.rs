//! Operator exclusions: `--exclude` and a local folder's `.skillauditignore` take files out of the
//! audit and say so; an archive (like any downloaded package) cannot exclude its own files.

use skillaudit_core::Report;
use skillaudit_engine::{audit, AuditOptions};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn options(cache: &Path) -> AuditOptions {
    let mut options = AuditOptions::new(true);
    options.fetch.cache_dir = cache.to_path_buf();
    options.now = Some("2026-11-21T00:00:00Z".parse().expect("timestamp"));
    options
}

/// examples/gate-demo (a command injection in src/index.js) copied to a temporary folder.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let from = repo_root().join("examples/gate-demo");
    for entry in walk(&from) {
        let relative = entry.strip_prefix(&from).expect("inside");
        let to = dir.path().join(relative);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &to).expect("copy");
    }
    dir
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn has_injection(report: &Report) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.code == "CMD-001" && f.file.as_deref() == Some("src/index.js"))
}

#[test]
fn exclude_takes_a_file_out_of_the_audit_and_says_so() {
    let dir = demo();
    let cache = tempfile::tempdir().expect("cache");
    let target = dir.path().to_str().expect("path");
    let report = audit(target, &options(cache.path())).expect("audit");
    assert!(has_injection(&report));

    let mut excluding = options(cache.path());
    excluding.exclude = vec!["src/index.js".into()];
    let report = audit(target, &excluding).expect("audit");
    assert!(!has_injection(&report));
    let note = report
        .not_run
        .iter()
        .find(|n| n.check == "excluded paths")
        .expect("the exclusion is listed under checks not run");
    assert!(
        note.reason.contains("1 file") && note.reason.contains("src/index.js"),
        "{}",
        note.reason
    );
}

#[test]
fn a_local_folders_ignore_file_excludes_its_patterns() {
    let dir = demo();
    std::fs::write(
        dir.path().join(".skillauditignore"),
        "# the demo's vulnerable handler\nsrc/\n",
    )
    .expect("write");
    let cache = tempfile::tempdir().expect("cache");
    let report = audit(dir.path().to_str().expect("path"), &options(cache.path())).expect("audit");
    assert!(!has_injection(&report));
    assert!(report.not_run.iter().any(|n| n.check == "excluded paths"));
}

#[test]
fn an_archive_cannot_exclude_its_own_files() {
    let dir = demo();
    std::fs::write(dir.path().join(".skillauditignore"), "src/\n").expect("write");
    let archive_dir = tempfile::tempdir().expect("archive dir");
    let archive = archive_dir.path().join("server-1.0.0.tgz");
    {
        let file = std::fs::File::create(&archive).expect("create");
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        tar.append_dir_all("package", dir.path()).expect("append");
        tar.into_inner().expect("tar").finish().expect("gz");
    }
    let cache = tempfile::tempdir().expect("cache");
    let report = audit(archive.to_str().expect("path"), &options(cache.path())).expect("audit");
    assert!(
        has_injection(&report),
        "a package's own .skillauditignore is not read"
    );
    assert!(!report.not_run.iter().any(|n| n.check == "excluded paths"));
}
