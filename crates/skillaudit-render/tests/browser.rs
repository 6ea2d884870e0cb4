//! The HTML report and the badge as a real browser sees them: a realistic report is rendered to
//! `target/test-artifacts/report.html` and loaded in headless Chromium, once to dump the DOM it
//! built (the grade, six axis bars, one row per finding, the incomplete banner, hostile text
//! shown as text and no injected script) and once to take a screenshot
//! (`target/test-artifacts/report.png`, kept for a human to look at). The badge is rendered to
//! `badge.svg` and screenshot as `badge.png`.
//!
//! Needs Debian's `chromium` (or `chromium-browser` / `google-chrome`) on `PATH`. Without one each
//! test prints why it is skipped and passes, so the README's test command works on a machine with
//! only the Rust toolchain; with `SKILLAUDIT_REQUIRE_TOOLS=1` (set by `.ci/run`) a missing browser
//! fails the test instead.

use skillaudit_core::report::SCHEMA_VERSION;
use skillaudit_core::scoring::score_findings;
use skillaudit_core::{
    AppliedExemption, Axis, Confidence, CriticalFinding, Dependencies, EngineInfo, ExemptionRecord,
    ExemptionState, Finding, Inventory, NotRun, Report, Severity, Skipped, Surface, TargetInfo,
};
use skillaudit_render::badge::badge_for;
use skillaudit_render::{render, Format, RenderOptions};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
const HOSTILE_MESSAGE: &str = "</pre><script>alert(1)</script>";

// ---------------------------------------------------------------------------------------------
// A realistic report

fn finding(
    code: &str,
    axis: Axis,
    severity: Severity,
    surface: Surface,
    location: Option<(&str, u32)>,
    message: &str,
    evidence: Option<&str>,
) -> Finding {
    Finding {
        code: code.to_string(),
        axis,
        severity,
        confidence: Confidence::High,
        message: message.to_string(),
        file: location.map(|(file, _)| file.to_string()),
        line: location.map(|(_, line)| line),
        column: None,
        end_line: None,
        evidence: evidence.map(str::to_string),
        surface,
        cwe: None,
        fingerprint: format!("fp-{}", code.to_lowercase()),
        fix: Some(format!("See the documentation of {code}.")),
        help_uri: Some(format!(
            "https://github.com/skillaudit/skillaudit/blob/main/docs/rules/{code}.md"
        )),
        tool: None,
        exemption: None,
    }
}

/// Findings on five axes, one exempted, one with a hostile message, evidence and help URI.
fn realistic_findings() -> Vec<Finding> {
    let mut ssrf = finding(
        "SSRF-001",
        Axis::Security,
        Severity::High,
        Surface::Runtime,
        Some(("src/tools/fetch.ts", 47)),
        "Tool argument `url` reaches fetch() without a host check",
        Some("const res = await fetch(args.url);"),
    );
    ssrf.tool = Some("fetch_url".into());
    ssrf.cwe = Some("CWE-918".into());

    let mut hostile = finding(
        "CMD-002",
        Axis::Security,
        Severity::Medium,
        Surface::Runtime,
        Some(("src/tools/run.ts", 12)),
        HOSTILE_MESSAGE,
        Some("exec(cmd) </pre><script>alert(2)</script>\n<img src=x onerror=alert(3)>"),
    );
    hostile.help_uri = Some("javascript:alert(4)".into());

    let mut secret = finding(
        "SEC-001",
        Axis::Credentials,
        Severity::High,
        Surface::Runtime,
        Some(("src/config.ts", 4)),
        "Hard-coded API key",
        Some("const KEY = \"sk-p…[REDACTED]\";"),
    );
    secret.exemption = Some(AppliedExemption {
        justification: "Public demo key with no privileges".into(),
        exempted_by: "Security team".into(),
        expires: "2026-12-31".into(),
        commit: None,
        source: ".skillaudit/exemptions.yml:3".into(),
    });

    vec![
        ssrf,
        hostile,
        secret,
        finding(
            "PERM-003",
            Axis::Permissions,
            Severity::Medium,
            Surface::Runtime,
            Some(("src/auth.ts", 20)),
            "OAuth scope `repo` where `public_repo` would do",
            Some("scopes: [\"repo\", \"read:org\"],"),
        ),
        finding(
            "MNT-002",
            Axis::Maintenance,
            Severity::Low,
            Surface::Package,
            None,
            "No lockfile committed",
            None,
        ),
        finding(
            "DOC-001",
            Axis::Documentation,
            Severity::Low,
            Surface::Package,
            None,
            "No SECURITY.md or other vulnerability disclosure policy",
            None,
        ),
    ]
}

fn realistic_report() -> Report {
    let findings = realistic_findings();
    let card = score_findings(findings.iter().filter(|f| !f.is_exempted()));
    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        audit_id: "au_5f1c0ffee0ddba11".into(),
        target: TargetInfo {
            kind: "npm".into(),
            name: "@example/mcp-server-web".into(),
            version: Some("1.4.2".into()),
            spec: "npm:@example/mcp-server-web@1.4.2".into(),
            repo: Some("https://github.com/example/mcp-server-web".into()),
            ..TargetInfo::default()
        },
        repo: Some("https://github.com/example/mcp-server-web".into()),
        engine: EngineInfo {
            name: "skillaudit".into(),
            version: "0.1.0".into(),
            methodology: "1".into(),
        },
        scanned_at: "2026-01-02T03:04:05Z".into(),
        duration_ms: 412,
        grade: card.grade,
        score: card.score,
        axes: card.axes,
        complete: false,
        incomplete_reasons: vec![
            "runtime file dist/bundle.min.js was not analysed (larger than the 2 MiB limit)".into(),
        ],
        critical_findings: findings
            .iter()
            .filter(|f| f.is_critical())
            .map(CriticalFinding::from)
            .collect(),
        findings,
        deductions: card.deductions,
        caps: card.caps,
        inventory: Inventory {
            files_scanned: 37,
            bytes_scanned: 181_337,
            skipped: vec![Skipped {
                file: "dist/bundle.min.js".into(),
                reason: "larger than the 2 MiB limit".into(),
                surface: Some(Surface::Runtime),
            }],
            ..Inventory::default()
        },
        dependencies: Dependencies::default(),
        not_run: vec![NotRun {
            check: "registry-metadata".into(),
            reason: "--offline was given".into(),
        }],
        exemptions: vec![ExemptionRecord {
            source: ".skillaudit/exemptions.yml:3".into(),
            finding: Some("SEC-001".into()),
            fingerprint: None,
            file: Some("src/config.ts".into()),
            expires: "2026-12-31".into(),
            exempted_by: "Security team".into(),
            state: ExemptionState::Applied,
            matched: 1,
        }],
        badge_url: None,
        analysis: None,
        report_url: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Files and the browser

/// `target/test-artifacts`, under `CARGO_TARGET_DIR` when it is set.
fn artifacts_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    };
    let dir = target.join("test-artifacts");
    fs::create_dir_all(&dir).expect("create target/test-artifacts");
    dir.canonicalize().expect("artifacts dir resolves")
}

/// The realistic report rendered once to `report.html`; every test loads the same file.
fn report_page() -> &'static Path {
    static PAGE: OnceLock<PathBuf> = OnceLock::new();
    PAGE.get_or_init(|| {
        let mut html = Vec::new();
        render(
            Format::Html,
            &[realistic_report()],
            &[],
            &[],
            &RenderOptions::default(),
            &mut html,
        )
        .expect("render HTML");
        let path = artifacts_dir().join("report.html");
        fs::write(&path, html).expect("write report.html");
        path
    })
}

/// A `file://` URL for an absolute path, with everything but unreserved characters and `/`
/// percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The first Chromium on `PATH`. `None` means "skip": the reason is written straight to the
/// terminal (past the test harness's output capture), unless `SKILLAUDIT_REQUIRE_TOOLS=1`, which
/// makes a missing browser a failure.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = BROWSERS.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        let why = format!(
            "chromium not found on PATH (looked for {}); install Debian's `chromium` \
             (apt-get install chromium) to run it",
            BROWSERS.join(", ")
        );
        if std::env::var("SKILLAUDIT_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{why} (SKILLAUDIT_REQUIRE_TOOLS=1 requires it)");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the browser test: {why}; SKILLAUDIT_REQUIRE_TOOLS=1 makes this a failure"
        );
    }
    found
}

/// Runs headless Chromium with `args` and its own throw-away profile, killing it after
/// [`BROWSER_TIMEOUT`]. Returns what it wrote to stdout; fails the test when it fails.
fn run_browser(browser: &Path, name: &str, args: &[String]) -> String {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let scratch =
        std::env::temp_dir().join(format!("skillaudit-{name}-{}-{stamp}", std::process::id()));
    let profile = scratch.join("profile");
    fs::create_dir_all(&profile).expect("create the browser profile dir");
    // Output goes to files, not pipes: a full pipe or a helper process holding it open could
    // otherwise stall the test.
    let stdout_path = scratch.join("stdout");
    let stderr_path = scratch.join("stderr");
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).expect("stdout file"))
        .stderr(File::create(&stderr_path).expect("stderr file"));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group, so a timeout can stop Chromium's helper processes too.
        command.process_group(0);
    }
    let mut child = command.spawn().expect("start Chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll Chromium") {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            #[cfg(unix)]
            {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
            }
            let _ = child.kill();
            let _ = child.wait();
            let _ = fs::remove_dir_all(&scratch);
            panic!(
                "Chromium ({name}) did not finish within {}s",
                BROWSER_TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    let _ = fs::remove_dir_all(&scratch);
    assert!(
        status.success(),
        "Chromium ({name}) failed: {status}\n{stderr}"
    );
    stdout
}

/// Asserts `path` holds a PNG of at least `min` × `min` pixels and returns its size.
fn assert_png(path: &Path, min: u32) -> (u32, u32) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    assert!(bytes.len() > 100, "{} is nearly empty", path.display());
    assert_eq!(bytes[..8], PNG_SIGNATURE, "{} is not a PNG", path.display());
    // The IHDR chunk comes first: width and height, big-endian, at bytes 16..24.
    assert_eq!(&bytes[12..16], b"IHDR");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert!(width >= min && height >= min, "{width}×{height}");
    (width, height)
}

/// The opening tags of `dom` whose tag is `tag` and whose class list holds `class`.
fn elements_with_class<'a>(dom: &'a str, tag: &str, class: &str) -> Vec<&'a str> {
    dom.match_indices(&format!("<{tag} "))
        .filter_map(|(start, _)| {
            let end = dom[start..].find('>')? + start;
            let open = &dom[start..=end];
            let classes = open.split(" class=\"").nth(1)?.split('"').next()?;
            classes.split(' ').any(|c| c == class).then_some(open)
        })
        .collect()
}

fn attribute<'a>(open_tag: &'a str, name: &str) -> Option<&'a str> {
    open_tag
        .split(&format!(" {name}=\""))
        .nth(1)?
        .split('"')
        .next()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn browser_dom_holds_grade_axes_findings_banner_and_no_injected_script() {
    let Some(browser) = browser() else { return };
    let report = realistic_report();
    let page = report_page();
    let dom = run_browser(
        &browser,
        "dump-dom",
        &["--dump-dom".to_string(), file_url(page)],
    );
    fs::write(artifacts_dir().join("report.dom.html"), &dom).expect("write the DOM dump");
    assert!(dom.contains("</html>"), "no DOM dumped:\n{dom}");

    let grade = elements_with_class(&dom, "div", "grade");
    assert_eq!(grade.len(), 1);
    assert_eq!(attribute(grade[0], "id"), Some("grade"));
    assert_eq!(
        attribute(grade[0], "data-grade"),
        Some(report.grade.as_str())
    );
    assert_eq!(
        attribute(grade[0], "data-score"),
        Some(&*report.score.to_string())
    );

    let axes = elements_with_class(&dom, "div", "axis");
    assert_eq!(axes.len(), 6, "axis bars");
    for ((axis, score), open) in report.axes.iter().zip(&axes) {
        assert_eq!(attribute(open, "data-axis"), Some(axis.as_str()));
        assert_eq!(
            attribute(open, "data-score"),
            Some(&*score.score.to_string())
        );
    }

    let rows = elements_with_class(&dom, "tr", "finding");
    assert_eq!(rows.len(), report.findings.len(), "finding rows");
    assert_eq!(elements_with_class(&dom, "tr", "exempted").len(), 1);

    let banner = elements_with_class(&dom, "div", "incomplete");
    assert_eq!(banner.len(), 1, "incomplete banner");
    assert!(dom.contains("runtime file dist/bundle.min.js was not analysed"));

    // The hostile text is text: the browser parsed no element out of it.
    assert!(dom.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(!dom.to_lowercase().contains("<script"), "a script element");
    assert!(!dom.to_lowercase().contains("<img"), "an injected image");
    let frames = report
        .findings
        .iter()
        .filter(|f| f.evidence.is_some())
        .count();
    assert_eq!(
        dom.matches("<pre class=\"frame\"").count(),
        frames,
        "each code frame is one <pre>"
    );
    assert!(!dom.contains("href=\"javascript:"), "javascript: link");
}

#[test]
fn browser_screenshot_of_the_report_is_a_png() {
    let Some(browser) = browser() else { return };
    let page = report_page();
    let png = artifacts_dir().join("report.png");
    let _ = fs::remove_file(&png);
    run_browser(
        &browser,
        "report-screenshot",
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_string(),
            file_url(page),
        ],
    );
    let (width, height) = assert_png(&png, 100);
    assert_eq!((width, height), (1280, 2000));
}

#[test]
fn browser_renders_the_badge_svg_to_a_png() {
    let Some(browser) = browser() else { return };
    let svg = artifacts_dir().join("badge.svg");
    fs::write(&svg, badge_for(&realistic_report())).expect("write badge.svg");
    let png = artifacts_dir().join("badge.png");
    let _ = fs::remove_file(&png);
    run_browser(
        &browser,
        "badge-screenshot",
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=200,40".to_string(),
            file_url(&svg),
        ],
    );
    assert_png(&png, 20);
}
