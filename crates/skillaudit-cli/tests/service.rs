//! `skillaudit serve`, `keys` and `log` as an operator runs them (built with `--features
//! service`; without the feature this file is empty).
#![cfg(feature = "service")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn skillaudit(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("SKILLAUDIT_DATABASE_URL")
        .output()
        .expect("run skillaudit")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn keys_are_created_listed_without_the_secret_and_revoked() {
    let data = tempfile::tempdir().expect("data");
    let created = skillaudit(
        &["keys", "create", "--scope", "write", "--label", "ci"],
        data.path(),
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let key = text(&created.stdout).trim().to_string();
    assert!(key.starts_with("sak_") && key.len() == 68, "{key}");

    let listed = text(&skillaudit(&["keys", "list"], data.path()).stdout);
    let line = listed.lines().next().expect("one key");
    assert!(line.contains("\twrite\tactive\t"), "{line}");
    assert!(line.ends_with("\tci"), "{line}");
    assert!(!listed.contains(&key), "the list never shows a key");
    let id = line.split('\t').next().expect("id").to_string();

    let revoked = skillaudit(&["keys", "revoke", &id], data.path());
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    let listed = text(&skillaudit(&["keys", "list"], data.path()).stdout);
    assert!(listed.contains("\trevoked "), "{listed}");
    let again = skillaudit(&["keys", "revoke", &id], data.path());
    assert_eq!(again.status.code(), Some(2));

    // The revocation is in the audit log, whose chain holds.
    let verified = skillaudit(&["log", "verify"], data.path());
    assert!(verified.status.success(), "{}", text(&verified.stdout));
    assert!(text(&verified.stdout).starts_with("audit log intact: 1 entries"));
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request; returns the status and the body.
fn request(addr: &str, method: &str, path: &str, key: Option<&str>, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let auth = key
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_starts_on_sqlite_with_the_admin_key_from_the_environment() {
    let data = tempfile::tempdir().expect("data");
    let admin = "sak_0123456789abcdef0123456789abcdef0123456789abcdef";
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--data-dir",
        ])
        .arg(data.path())
        .env("SKILLAUDIT_ADMIN_KEY", admin)
        .env_remove("SKILLAUDIT_DATABASE_URL")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().expect("stderr");
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut addr = None;
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("skillaudit serve: listening on http://") {
            addr = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("serve printed its address");
    assert!(data.path().join("skillaudit.db").is_file());

    let (status, body) = request(&addr, "GET", "/api/openapi.json", None, "");
    assert_eq!(status, 200);
    assert!(body.contains("\"openapi\":\"3.1.0\""), "{body}");
    let (status, _) = request(&addr, "GET", "/api/v1/servers", None, "");
    assert_eq!(status, 401);
    let (status, body) = request(&addr, "GET", "/api/v1/servers", Some(admin), "");
    assert_eq!(status, 200, "{body}");
    let (status, body) = request(
        &addr,
        "POST",
        "/api/v1/audits",
        Some(admin),
        r#"{"repo": "http://169.254.169.254/latest/meta-data"}"#,
    );
    assert_eq!(status, 400, "{body}");
    let (status, _) = request(&addr, "GET", "/", None, "");
    assert_eq!(status, 200);
    drop(server);

    let verified = skillaudit(&["log", "verify"], data.path());
    assert!(verified.status.success(), "{}", text(&verified.stdout));
    assert!(
        text(&verified.stdout).starts_with("audit log intact: 3 entries"),
        "{}",
        text(&verified.stdout)
    );
}
