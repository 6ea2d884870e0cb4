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

/// Starts `skillaudit serve` on a free port with `envs`; returns it and its address.
fn start_serve(data: &Path, envs: &[(&str, &str)]) -> (Server, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_skillaudit"));
    command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--data-dir",
        ])
        .arg(data)
        .env_remove("SKILLAUDIT_DATABASE_URL")
        .env_remove("SKILLAUDIT_CACHE_DIR")
        .env_remove("NPM_CONFIG_REGISTRY")
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    for (name, value) in envs {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("start serve");
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
    // Keep draining the service's messages so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (server, addr.expect("serve printed its address"))
}

#[test]
fn serve_starts_on_sqlite_with_the_admin_key_from_the_environment() {
    let data = tempfile::tempdir().expect("data");
    let admin = "sak_0123456789abcdef0123456789abcdef0123456789abcdef";
    let (server, addr) = start_serve(data.path(), &[("SKILLAUDIT_ADMIN_KEY", admin)]);
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

/// A loopback npm registry serving the recorded is-number 7.0.0 of skillaudit-source's tests.
fn recorded_registry() -> String {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../skillaudit-source/tests/fixtures");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let packument = std::fs::read_to_string(fixtures.join("is-number-packument.json"))
        .expect("packument")
        .replace("https://registry.npmjs.org/", &format!("{base}/"))
        .into_bytes();
    let tarball = std::fs::read(fixtures.join("is-number-7.0.0.tgz")).expect("tarball");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match path {
                "/is-number" => ("200 OK", packument.as_slice()),
                "/is-number/-/is-number-7.0.0.tgz" => ("200 OK", tarball.as_slice()),
                _ => ("404 Not Found", &b"not found"[..]),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    base
}

#[test]
fn scan_with_server_gets_the_card_from_the_service_and_gates_on_it() {
    let data = tempfile::tempdir().expect("data");
    let home = tempfile::tempdir().expect("home");
    let registry = recorded_registry();
    let home_path = home.path().to_string_lossy().into_owned();
    let registry_url = format!("{registry}/");
    let (server, addr) = start_serve(
        data.path(),
        &[
            ("HOME", home_path.as_str()),
            ("NPM_CONFIG_REGISTRY", registry_url.as_str()),
        ],
    );
    let created = skillaudit(&["keys", "create", "--scope", "write"], data.path());
    let key = text(&created.stdout).trim().to_string();

    let scan = |args: &[&str], key: &str| {
        Command::new(env!("CARGO_BIN_EXE_skillaudit"))
            .arg("scan")
            .args(["--server", &format!("http://{addr}")])
            .args(args)
            .env("SKILLAUDIT_API_KEY", key)
            .env_remove("SKILLAUDIT_OFFLINE")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("run scan")
    };
    let out = scan(
        &[
            "npm:is-number@7.0.0",
            "--format",
            "json",
            "--min-grade",
            "F",
        ],
        &key,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let report = if report.get("reports").is_some() {
        report["reports"][0].clone()
    } else {
        report
    };
    assert_eq!(report["target"]["name"], "is-number");
    assert!(report["audit_id"].as_str().expect("id").starts_with("au_"));
    assert!(report["report_url"]
        .as_str()
        .expect("report_url")
        .contains("/reports/au_"));

    // Not a target a service audits: an error naming it (exit 2).
    let out = scan(&["./examples/weather-server"], &key);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("locally"),
        "{}",
        text(&out.stderr)
    );
    // A wrong key: the service's message, exit 2.
    let out = scan(&["npm:is-number@7.0.0"], "sak_wrong");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("401"), "{}", text(&out.stderr));
    drop(server);
}
