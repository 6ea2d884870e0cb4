//! What a packager ships beside the binary: shell completions and the manual page, both
//! generated from the command line's own definition, checked with the tools that read them.

use std::io::Write;
use std::process::{Command, Stdio};

fn skillaudit(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_skillaudit"))
        .args(args)
        .output()
        .expect("run skillaudit");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Runs `program args` with `input` on stdin; `None` when the program is not installed.
fn pipe(program: &str, args: &[&str], input: &str) -> Option<std::process::Output> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    child.wait_with_output().ok()
}

#[test]
fn completions_name_every_subcommand_and_parse_in_bash() {
    let bash = skillaudit(&["completions", "bash"]);
    for sub in [
        "scan", "render", "rules", "explain", "config", "registry", "man",
    ] {
        assert!(bash.contains(sub), "bash completion lacks {sub}");
    }
    let checked = pipe("bash", &["-n"], &bash).expect("bash is on every CI image");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        assert!(
            skillaudit(&["completions", shell]).contains("skillaudit"),
            "{shell}"
        );
    }
}

#[test]
fn the_manual_page_renders_without_warnings() {
    let page = skillaudit(&["man"]);
    assert!(
        page.contains(".TH skillaudit 1"),
        "{}",
        &page[..page.len().min(200)]
    );
    assert!(page.contains("scan"));
    // groff ships with man-db on Debian (`-k`: preprocess UTF-8 as man(1) does); say so when
    // it is missing rather than pass silently.
    match pipe("groff", &["-k", "-man", "-Tutf8", "-ww", "-z"], &page) {
        Some(out) => {
            assert!(out.status.success());
            assert!(
                out.stderr.is_empty(),
                "groff warnings: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "skipped: groff not found, the page was not rendered"
            );
        }
    }
}

fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn release_archives_match_the_binstall_metadata_and_the_image_builds_the_cli() {
    let root = repo_root();
    let release = std::fs::read_to_string(root.join(".github/workflows/release.yml"))
        .expect("release workflow");
    let doc: serde_json::Value = serde_saphyr::from_str(&release).expect("release.yml is YAML");
    let matrix = doc["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix");
    let targets: Vec<&str> = matrix
        .iter()
        .map(|m| m["target"].as_str().expect("target"))
        .collect();
    for t in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ] {
        assert!(targets.contains(&t), "{t}");
    }
    // The archive and checksum names the workflow uploads are those binstall asks for.
    assert!(release.contains("skillaudit-${{ matrix.target }}.tar.gz.sha256"));
    let manifest = std::fs::read_to_string(root.join("crates/skillaudit-cli/Cargo.toml"))
        .expect("cli manifest");
    assert!(manifest.contains(
        "pkg-url = \"{ repo }/releases/download/v{ version }/skillaudit-{ target }.tar.gz\""
    ));
    assert!(release.contains("dir=\"skillaudit-$TARGET\""));

    // The image compiles the CLI with the toolchain the workspace states as its minimum.
    let docker = std::fs::read_to_string(root.join("Dockerfile")).expect("Dockerfile");
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).expect("workspace");
    let msrv = workspace
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("rust-version");
    assert!(docker.contains(&format!("FROM rust:{msrv}-")), "{msrv}");
    assert!(docker.contains("-p skillaudit-cli") && docker.contains("ENTRYPOINT [\"skillaudit\"]"));
}
