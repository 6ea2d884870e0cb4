use crate::project::{line_of, line_text, Language};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use regex::Regex;
use skillaudit_core::Surface;
use std::collections::BTreeMap;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// An environment variable that the server's runtime code reads (`process.env.NAME`,
    /// `process.env["NAME"]`, `os.environ["NAME"]`, `os.environ.get("NAME")`, `os.getenv("NAME")`)
    /// but that no documentation names: not the README, not a Markdown file, not a
    /// `.env.example`, not the MCP bundle manifest or `server.json`. Variables that belong to the
    /// platform or a standard tool (`HOME`, `PATH`, `NODE_ENV`, proxies, colours, CI,
    /// `KUBECONFIG`, OpenTelemetry's `OTEL_*`) are not reported.
    ///
    /// ## Why it matters
    /// Environment variables are how MCP servers receive credentials and switch on behaviour
    /// (debug modes, alternative endpoints, disabled checks). An undocumented one is a knob the
    /// user cannot review: a hidden `ALLOW_ALL_PATHS` or `API_BASE_URL` changes what the server
    /// does without anyone who approved it knowing it exists.
    ///
    /// ## Vulnerable example
    /// ```js
    /// const base = process.env.UPSTREAM_URL ?? "https://api.example.com"; // not in README
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// ## Environment variables
    /// - `UPSTREAM_URL` — API endpoint (default `https://api.example.com`); HTTPS only.
    /// ```
    ///
    /// ## References
    /// - https://12factor.net/config
    pub struct UndocumentedEnvironmentVariable {
        code: "DOC-004",
        name: "undocumented-environment-variable",
        axis: Documentation,
        severity: Low,
        cwe: None,
    }
}

static JS_ENV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"process\.env(?:\.([A-Za-z_][A-Za-z0-9_]+)|\[\s*["'`]([A-Za-z_][A-Za-z0-9_]+)["'`]\s*\])"#)
        .expect("static regex")
});
static PY_ENV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:os\.environ(?:\.get)?|os\.getenv|environ\.get|getenv)\s*[\[(]\s*["']([A-Za-z_][A-Za-z0-9_]+)["']"#)
        .expect("static regex")
});

/// Variables of the platform, the runtime or common libraries, not the server's configuration.
const PLATFORM_VARS: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "USERNAME",
    "USERPROFILE",
    "PWD",
    "SHELL",
    "TERM",
    "LANG",
    "TZ",
    "TMPDIR",
    "TEMP",
    "TMP",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMFILES",
    "SYSTEMROOT",
    "COMSPEC",
    "HOSTNAME",
    "COLUMNS",
    "LINES",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "DISPLAY",
    "CI",
    "DEBUG",
    "NODE_ENV",
    "FORCE_COLOR",
    "NO_COLOR",
    "COLORTERM",
    "TERM_PROGRAM",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "WSL_DISTRO_NAME",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "JEST_WORKER_ID",
    "VITEST",
    "PYTEST_CURRENT_TEST",
];
const PLATFORM_PREFIXES: &[&str] = &[
    "npm_",
    "NODE_",
    "PYTHON",
    "LC_",
    "XDG_",
    "GITHUB_",
    "RUNNER_",
    "VSCODE_",
    "ELECTRON_",
    "__",
];

fn is_platform(name: &str) -> bool {
    PLATFORM_VARS.contains(&name) || PLATFORM_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// All text that documents configuration: docs, env examples, bundle and registry manifests.
fn documentation_text(project: &Project) -> String {
    let mut out = String::new();
    for (file, text) in project.text_files() {
        let name = file.name().to_ascii_lowercase();
        let documents = file.language == Language::Markdown
            || name.ends_with(".rst")
            || name.ends_with(".txt") && file.is_top_level()
            || name.starts_with(".env.")
            || name.starts_with("env.")
            || project.inventory.bundle_manifest.as_deref() == Some(&file.path)
            || project.inventory.server_json.as_deref() == Some(&file.path);
        if documents {
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}

impl Rule for UndocumentedEnvironmentVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        // First read of each variable: (file, offset).
        let mut reads: BTreeMap<String, (&str, &str, usize)> = BTreeMap::new();
        for (file, text) in project.text_files() {
            if file.surface != Surface::Runtime {
                continue;
            }
            let pattern: &Regex = match file.language {
                Language::JavaScript | Language::TypeScript => &JS_ENV,
                Language::Python => &PY_ENV,
                _ => continue,
            };
            if !text.contains("env") {
                continue;
            }
            for caps in pattern.captures_iter(text) {
                let Some(name) = caps.get(1).or_else(|| caps.get(2)) else {
                    continue;
                };
                let offset = caps.get(0).map(|m| m.start()).unwrap_or(0);
                reads.entry(name.as_str().to_string()).or_insert((
                    file.path.as_str(),
                    text,
                    offset,
                ));
            }
        }
        if reads.is_empty() {
            return;
        }
        let docs = documentation_text(project);
        for (name, (path, text, offset)) in reads {
            if is_platform(&name) || docs.contains(&name) {
                continue;
            }
            let line = line_of(text, offset);
            let mut draft = Draft::new(format!(
                "environment variable `{name}` is read by the server but not documented"
            ))
            .at(path, Some(line))
            .key(format!("env:{name}"))
            .fix(format!(
                "document `{name}` in the README (what it does, its default, whether it is a secret)"
            ));
            draft.evidence = line_text(text, line, 160);
            out.report(draft);
        }
    }
}
