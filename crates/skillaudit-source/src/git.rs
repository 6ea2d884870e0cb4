//! Git targets: a shallow clone with the system `git`, hardened against the repository it
//! clones, and the last commit of a local checkout.
//!
//! Hardening: hooks disabled (`core.hooksPath=/dev/null`), no submodules, no system config, no
//! terminal prompts, no LFS downloads, `core.symlinks=false` (links in the repository are
//! checked out as small text files, so nothing in the checkout points outside it),
//! `core.fsmonitor` off, a `--` before the URL and directory, and a timeout that kills git.

use crate::error::SourceError;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long one git command may run before it is killed.
pub const GIT_TIMEOUT: Duration = Duration::from_secs(300);

/// Configuration passed to every git command with `-c`.
const HARDENING: &[&str] = &[
    "core.hooksPath=/dev/null",
    "core.symlinks=false",
    "core.fsmonitor=false",
    "protocol.file.allow=user",
    "submodule.recurse=false",
    "advice.detachedHead=false",
    "init.defaultBranch=main",
];

fn git_command(dir: Option<&Path>) -> Command {
    git_command_with(dir, &[])
}

/// A hardened git command with more `-c` settings (the pinned address of a checked host).
fn git_command_with(dir: Option<&Path>, settings: &[String]) -> Command {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    for setting in HARDENING {
        command.arg("-c").arg(setting);
    }
    for setting in settings {
        command.arg("-c").arg(setting);
    }
    command
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_LFS_SKIP_SMUDGE", "1")
        .env("GIT_PAGER", "cat")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null());
    command
}

/// Output of a finished git command.
struct GitOutput {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Runs git with a timeout; output is captured (bounded) on reader threads so that a chatty
/// git never blocks on a full pipe.
fn run(mut command: Command, timeout: Duration) -> Result<GitOutput, SourceError> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| {
        SourceError::Git(format!(
            "cannot run `git` (is it installed and on PATH?): {e}"
        ))
    })?;
    let stdout = capture(child.stdout.take());
    let stderr = capture(child.stderr.take());
    let status = wait_with_timeout(&mut child, timeout)?;
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(GitOutput {
        success: status,
        stdout,
        stderr,
    })
}

fn capture(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(pipe) = pipe {
            // Keep at most 1 MiB; read (and drop) the rest so git can finish.
            let mut limited = pipe.take(1024 * 1024);
            let _ = limited.read_to_end(&mut bytes);
            let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Result<bool, SourceError> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status.success()),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(SourceError::Git(format!(
                    "git did not finish within {} s and was stopped",
                    timeout.as_secs()
                )));
            }
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(SourceError::Git(format!("waiting for git: {e}"))),
        }
    }
}

/// The last line of git's error output, which is usually the one that explains.
fn git_error(what: &str, output: &GitOutput) -> SourceError {
    let detail = output
        .stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no error output")
        .trim()
        .to_string();
    SourceError::Git(format!("{what}: {detail}"))
}

/// True for text that can only be (an abbreviation of) a commit id.
fn looks_like_commit(git_ref: &str) -> bool {
    (7..=64).contains(&git_ref.len()) && git_ref.chars().all(|c| c.is_ascii_hexdigit())
}

/// Clones `url` at `git_ref` (branch, tag or commit) into the empty folder `dir`, shallowly.
/// For a clone that must reach only the public internet: resolve the `https://` URL's host,
/// refuse it unless every address is public, and return the `-c` settings that make git
/// connect to the first address checked (`http.curloptResolve`) and follow no redirect.
pub(crate) fn pin_public_host(url: &str) -> Result<Vec<String>, SourceError> {
    use std::net::ToSocketAddrs;
    let refused = |why: String| Err(SourceError::Git(why));
    let Some(rest) = url.strip_prefix("https://") else {
        return refused(format!("{url}: only https:// repositories are cloned here"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains(['@', ':', '[', ']']) {
        return refused(format!(
            "{url}: a host name without credentials or port is needed"
        ));
    }
    let addresses: Vec<std::net::IpAddr> = match (host, 443).to_socket_addrs() {
        Ok(found) => found.map(|a| a.ip()).collect(),
        Err(e) => return refused(format!("cannot resolve {host}: {e}")),
    };
    let Some(first) = addresses.first() else {
        return refused(format!("{host} has no address"));
    };
    if let Some(internal) = addresses.iter().find(|a| !crate::address::is_public(**a)) {
        return refused(format!(
            "{host} resolves to {internal}, a private, loopback, link-local or reserved address: not cloned"
        ));
    }
    Ok(pin_settings(host, *first))
}

/// `-c` settings that send git's connections for `host` to `address` and follow no redirect.
fn pin_settings(host: &str, address: std::net::IpAddr) -> Vec<String> {
    let address = match address {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
    };
    vec![
        format!("http.curloptResolve={host}:443:{address}"),
        "http.followRedirects=false".to_string(),
    ]
}

pub(crate) fn clone(
    url: &str,
    git_ref: Option<&str>,
    dir: &Path,
    pins: &[String],
) -> Result<(), SourceError> {
    if url.starts_with('-') || git_ref.is_some_and(|r| r.starts_with('-')) {
        return Err(SourceError::Git(
            "URLs and refs starting with `-` are refused".to_string(),
        ));
    }
    let mut command = git_command_with(None, pins);
    command.args([
        "clone",
        "--quiet",
        "--depth",
        "1",
        "--no-recurse-submodules",
    ]);
    if let Some(r) = git_ref {
        command.arg("--branch").arg(r);
    }
    command.arg("--").arg(url).arg(dir);
    let output = run(command, GIT_TIMEOUT)?;
    if output.success {
        return Ok(());
    }
    match git_ref {
        Some(sha) if looks_like_commit(sha) => fetch_commit(url, sha, dir, pins),
        _ => Err(git_error(&format!("cannot clone {url}"), &output)),
    }
}

/// `--branch` takes names only: fetch a commit by id into a fresh repository instead.
fn fetch_commit(url: &str, sha: &str, dir: &Path, pins: &[String]) -> Result<(), SourceError> {
    // A failed clone may leave a partial folder behind.
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| SourceError::io(format!("cannot create {}", dir.display()), e))?;
    let steps: [(&str, Vec<&str>); 4] = [
        ("git init", vec!["init", "--quiet"]),
        ("git remote add", vec!["remote", "add", "origin", "--", url]),
        (
            "cannot fetch commit",
            vec!["fetch", "--quiet", "--depth", "1", "origin", "--", sha],
        ),
        (
            "cannot check out commit",
            vec!["checkout", "--quiet", "FETCH_HEAD"],
        ),
    ];
    for (what, args) in steps {
        let mut command = git_command_with(Some(dir), pins);
        command.args(&args);
        let output = run(command, GIT_TIMEOUT)?;
        if !output.success {
            return Err(git_error(&format!("{what} {sha} from {url}"), &output));
        }
    }
    Ok(())
}

/// The last commit of the checkout at `dir` (which must contain `.git`): its sha and its
/// committer time in RFC 3339. Runs the system git read-only; `None` when there is no
/// repository, git is missing, or the repository is not trusted by git (`safe.directory`).
pub fn git_last_commit(dir: &Path) -> Option<(String, String)> {
    if !dir.join(".git").exists() {
        return None;
    }
    let mut command = git_command(Some(dir));
    command.env("GIT_OPTIONAL_LOCKS", "0").args([
        "--no-pager",
        "log",
        "-1",
        "--no-show-signature",
        "--format=%H%x00%cI",
    ]);
    let output = run(command, Duration::from_secs(30)).ok()?;
    if !output.success {
        return None;
    }
    let line = output.stdout.lines().next()?;
    let (sha, time) = line.split_once('\0')?;
    let sha_ok = (40..=64).contains(&sha.len()) && sha.chars().all(|c| c.is_ascii_hexdigit());
    (sha_ok && !time.is_empty()).then(|| (sha.to_string(), time.trim().to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_public_only_clone_refuses_internal_hosts_before_running_git() {
        for url in [
            "https://localhost/owner/repo",
            "https://127.0.0.1/owner/repo",
            "http://github.com/owner/repo",
            "https://user@github.com/owner/repo",
            "https://github.com:8443/owner/repo",
        ] {
            assert!(pin_public_host(url).is_err(), "{url}");
        }
    }

    #[test]
    fn the_checked_address_is_pinned_and_redirects_are_not_followed() {
        let v4 = pin_settings(
            "github.com",
            "140.82.121.3"
                .parse()
                .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0])),
        );
        assert_eq!(
            v4,
            vec![
                "http.curloptResolve=github.com:443:140.82.121.3".to_string(),
                "http.followRedirects=false".to_string()
            ]
        );
        let v6 = pin_settings(
            "example.org",
            std::net::IpAddr::from([0x2606, 0x2800, 0x220, 1, 0x248, 0x1893, 0x25c8, 0x1946]),
        );
        assert_eq!(
            v6[0],
            "http.curloptResolve=example.org:443:[2606:2800:220:1:248:1893:25c8:1946]"
        );
    }

    use super::*;

    #[test]
    fn commit_ids_are_recognised() {
        assert!(looks_like_commit("a1b2c3d"));
        assert!(looks_like_commit(&"f".repeat(40)));
        assert!(!looks_like_commit("v1.0.0"));
        assert!(!looks_like_commit("main"));
    }

    #[test]
    fn dash_urls_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(clone("--upload-pack=touch /tmp/x", None, dir.path(), &[]).is_err());
    }

    #[test]
    fn no_repository_no_commit() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(git_last_commit(dir.path()), None);
    }
}
