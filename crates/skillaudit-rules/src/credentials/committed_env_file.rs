use super::secrets;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;

declare_rule! {
    /// ## What it finds
    /// An environment file (`.env`, `.env.local`, `.env.production`, `config.env`…) shipped in
    /// the package or committed to the repository with values in it. It is HIGH when a variable
    /// whose name says it is a credential (`*_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD*`) has a
    /// value that is not a placeholder, and LOW when the file only carries ordinary settings.
    /// Templates meant to be committed — `.env.example`, `.env.sample`, `.env.template`,
    /// `.env.dist`, `.env.defaults` — are not reported (a real secret inside one is still found
    /// by SECRET-001 and SECRET-002). Variable names are listed; values never are.
    ///
    /// ## Why it matters
    /// `.env` files hold the operator's real credentials. Published by accident (a missing
    /// `.npmignore` or `files` entry, a `git add .`), they hand every key to whoever downloads
    /// the package.
    ///
    /// ## Vulnerable example
    /// ```text
    /// # .env, shipped in the tarball
    /// GITHUB_TOKEN=<a real token>
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// # .env.example, committed; .env is in .gitignore and .npmignore
    /// GITHUB_TOKEN=your-github-token
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/538.html
    pub struct CommittedEnvFile {
        code: "SECRET-003",
        name: "committed-env-file",
        axis: Credentials,
        severity: High,
        cwe: Some("CWE-538"),
    }
}

/// `.env`, `.env.local`, `prod.env`; not the templates.
fn is_env_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let env = lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env");
    let template = [
        "example", "sample", "template", "dist", "defaults", "default", "schema", "tmpl", "tpl",
    ]
    .iter()
    .any(|t| lower.contains(t));
    env && !template
}

/// Names of variables that hold credentials.
fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "KEY",
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PWD",
        "CREDENTIAL",
        "AUTH",
    ]
    .iter()
    .any(|w| upper.contains(w))
        && ![
            "PUBLIC_KEY",
            "KEY_ID",
            "TOKEN_URL",
            "AUTH_URL",
            "KEY_PATH",
            "KEY_FILE",
        ]
        .iter()
        .any(|w| upper.contains(w))
}

/// `NAME=value` entries with non-empty values (`export` and quotes allowed).
fn entries(text: &str) -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
        {
            continue;
        }
        let value = value.trim();
        let value = value
            .split(" #")
            .next()
            .unwrap_or(value)
            .trim()
            .trim_matches(|c| c == '"' || c == '\'');
        if value.is_empty() {
            continue;
        }
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.push((line_no, name.to_string(), value.to_string()));
    }
    out
}

impl Rule for CommittedEnvFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for (file, text) in project.text_files() {
            if !is_env_file(file.name()) {
                continue;
            }
            let values = entries(text);
            if values.is_empty() {
                continue;
            }
            let secrets: Vec<&(u32, String, String)> = values
                .iter()
                .filter(|(_, name, value)| {
                    is_secret_name(name) && !secrets::is_placeholder(value) && value.len() >= 8
                })
                .collect();
            let (severity, message, line) = match secrets.first() {
                Some((line, _, _)) => {
                    let names: Vec<String> = secrets
                        .iter()
                        .take(6)
                        .map(|(_, n, _)| format!("`{n}`"))
                        .collect();
                    let more = if secrets.len() > 6 {
                        format!(" and {} more", secrets.len() - 6)
                    } else {
                        String::new()
                    };
                    (
                        Severity::High,
                        format!(
                            "environment file `{}` is shipped with credential values: {}{more}",
                            file.name(),
                            names.join(", ")
                        ),
                        *line,
                    )
                }
                None => (
                    Severity::Low,
                    format!(
                        "environment file `{}` is shipped with {} setting(s); no credential values",
                        file.name(),
                        values.len()
                    ),
                    values[0].0,
                ),
            };
            let names: Vec<&str> = values.iter().map(|(_, n, _)| n.as_str()).collect();
            let draft = Draft::new(message)
                .at(&file.path, Some(line))
                .severity(severity)
                .evidence(format!("{}: {}", file.name(), names.join(", ")))
                .fix("remove the file from the package and the repository (add it to .gitignore / .npmignore or the `files` list), rotate every credential it held, and commit a `.env.example` with placeholders instead");
            out.report(draft);
        }
    }
}
