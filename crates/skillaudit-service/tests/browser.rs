//! The service's pages as a real browser sees them: after an audit of the recorded package, the
//! index and the report page are loaded from the running service in headless Chromium, once to
//! dump the DOM it built and once for screenshots kept in `target/test-artifacts/`
//! (`service-index.png`, `service-report.png`) for a human to look at.
//!
//! Needs Debian's `chromium` on `PATH`; without it the test prints `skipped` and passes, unless
//! `SKILLAUDIT_REQUIRE_TOOLS=1` (set by `.ci/run`).

mod harness;

use harness::*;
use skillaudit_service::auth::Scope;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        });
    if found.is_none() {
        assert!(
            std::env::var("SKILLAUDIT_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "chromium not found on PATH (SKILLAUDIT_REQUIRE_TOOLS=1 requires it)"
        );
        eprintln!("skipped: the service's browser test: chromium not found on PATH");
    }
    found
}

/// Runs headless Chromium with its own profile and a timeout; returns its standard output.
fn run_browser(browser: &Path, scratch: &Path, args: &[String]) -> String {
    let profile = scratch.join(format!("profile-{}", args.len()));
    fs::create_dir_all(&profile).unwrap();
    let stdout = scratch.join("stdout");
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            panic!("Chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    fs::read_to_string(&stdout).unwrap_or_default()
}

#[test]
fn the_index_and_report_pages_render_in_chromium() {
    let Some(browser) = browser() else { return };
    let service = start(|_| {});
    let (_, key) = service.key(Scope::Write);
    let id = service.post("/api/v1/audits", Some(&key), IS_NUMBER).json()["audit_id"]
        .as_str()
        .unwrap()
        .to_string();
    let card = service.poll_done(&id, &key);
    let grade = card["grade"].as_str().unwrap().to_string();
    let scratch = tempfile::tempdir().unwrap();
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    fs::create_dir_all(&artifacts).unwrap();

    let index = format!("{}/", service.base);
    let dom = run_browser(
        &browser,
        scratch.path(),
        &["--dump-dom".into(), index.clone()],
    );
    assert!(dom.contains("npm:is-number"), "{dom}");
    assert!(dom.contains(&format!("/reports/{id}")), "{dom}");
    assert!(dom.contains(&format!(">{grade}</td>")), "{dom}");

    let report = format!("{}/reports/{id}", service.base);
    let dom = run_browser(
        &browser,
        scratch.path(),
        &["--dump-dom".into(), report.clone()],
    );
    assert!(dom.contains("is-number"), "{dom}");
    assert!(dom.contains(&id), "the page shows the service's audit id");
    assert!(!dom.contains("<script"), "the report page runs no script");

    for (url, name, size) in [
        (index, "service-index.png", "1200,500"),
        (report, "service-report.png", "1200,1400"),
    ] {
        let png = artifacts.join(name);
        let _ = fs::remove_file(&png);
        run_browser(
            &browser,
            scratch.path(),
            &[
                format!("--screenshot={}", png.display()),
                format!("--window-size={size}"),
                url,
            ],
        );
        let bytes = fs::read(&png).unwrap_or_default();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000,
            "{name}: no screenshot"
        );
    }
}
