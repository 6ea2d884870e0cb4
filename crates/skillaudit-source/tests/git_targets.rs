//! Git targets: a repository made by the test, cloned through a file:// URL with and without
//! `--ref` (tag, commit id), and a local folder's last commit.

use skillaudit_source::{git_last_commit, materialize, ConfigEnv, FetchOptions, TargetSpec};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// A repository with two commits: `v1` tags the first (server.js says "one"), the second
/// changes it to "two" and adds a symlink pointing out of the tree.
struct Repo {
    _dir: tempfile::TempDir,
    url: String,
    first: String,
    second: String,
}

fn make_repo() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("origin");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(repo.join("server.js"), "one").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "--quiet", "-m", "first"]);
    git(&repo, &["tag", "v1"]);
    let first = git(&repo, &["rev-parse", "HEAD"]);
    std::fs::write(repo.join("server.js"), "two").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.join("passwd")).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "--quiet", "-m", "second"]);
    let second = git(&repo, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", repo.display());
    Repo {
        _dir: dir,
        url,
        first,
        second,
    }
}

fn options() -> FetchOptions {
    // Offline: file:// clones need no network, and nothing here reads the (absent) home.
    FetchOptions::with_env(true, ConfigEnv::isolated(Path::new("/nonexistent-home")))
}

#[test]
fn clone_without_ref_gets_the_default_branch_head() {
    let repo = make_repo();
    let spec = TargetSpec::parse(&repo.url, None).unwrap();
    assert!(!spec.needs_network());
    // file:// needs no network, so it works offline.
    let got = materialize(&spec, &options()).unwrap();
    assert_eq!(
        std::fs::read_to_string(got.root.join("server.js")).unwrap(),
        "two"
    );
    let t = &got.target;
    assert_eq!(t.kind, "git");
    assert_eq!(t.name, "origin");
    assert_eq!(t.commit.as_deref(), Some(repo.second.as_str()));
    assert!(t.last_commit_at.as_deref().unwrap().contains('T'));
    assert_eq!(t.repo.as_deref(), Some(repo.url.as_str()));
    // Links in the repository are checked out as plain files.
    let meta = std::fs::symlink_metadata(got.root.join("passwd")).unwrap();
    assert!(meta.is_file());
    assert_eq!(
        std::fs::read_to_string(got.root.join("passwd")).unwrap(),
        "/etc/passwd"
    );
    let root = got.root.clone();
    drop(got);
    assert!(!root.exists());
}

#[test]
fn clone_at_a_tag() {
    let repo = make_repo();
    let spec = TargetSpec::parse(&repo.url, Some("v1")).unwrap();
    let got = materialize(&spec, &options()).unwrap();
    assert_eq!(
        std::fs::read_to_string(got.root.join("server.js")).unwrap(),
        "one"
    );
    assert_eq!(got.target.commit.as_deref(), Some(repo.first.as_str()));
    assert_eq!(got.target.git_ref.as_deref(), Some("v1"));
    assert_eq!(got.target.spec, format!("{}#v1", repo.url));
}

#[test]
fn clone_at_a_commit_id() {
    let repo = make_repo();
    let spec = TargetSpec::parse(&repo.url, Some(&repo.first)).unwrap();
    let got = materialize(&spec, &options()).unwrap();
    assert_eq!(
        std::fs::read_to_string(got.root.join("server.js")).unwrap(),
        "one"
    );
    assert_eq!(got.target.commit.as_deref(), Some(repo.first.as_str()));
}

#[test]
fn unknown_ref_is_a_git_error() {
    let repo = make_repo();
    let spec = TargetSpec::parse(&repo.url, Some("no-such-branch")).unwrap();
    let err = materialize(&spec, &options()).unwrap_err();
    assert!(err.to_string().starts_with("git: "), "{err}");
}

#[test]
fn remote_git_url_offline_is_an_offline_error() {
    let spec = TargetSpec::parse("https://example.invalid/org/repo.git", None).unwrap();
    let err = materialize(&spec, &options()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`--offline` forbids network access: cannot fetch https://example.invalid/org/repo.git"
    );
}

#[test]
fn local_folder_is_used_in_place_with_its_last_commit() {
    let repo = make_repo();
    let path = repo.url.trim_start_matches("file://");
    let spec = TargetSpec::parse(path, None).unwrap();
    let got = materialize(&spec, &options()).unwrap();
    assert!(!got.is_temporary());
    assert_eq!(got.root, Path::new(path).canonicalize().unwrap());
    assert_eq!(got.target.kind, "folder");
    assert_eq!(got.target.name, "origin");
    assert_eq!(got.target.commit.as_deref(), Some(repo.second.as_str()));
    let (sha, time) = git_last_commit(Path::new(path)).unwrap();
    assert_eq!(sha, repo.second);
    assert_eq!(got.target.last_commit_at.as_deref(), Some(time.as_str()));
}
