use super::{client_configs, words};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A server started with a credential on its command line: an option such as `--token`,
    /// `--api-key`, `--password`, `--secret`, `--access-token` or `--auth` followed by a value
    /// (written out or referenced as `${TOKEN}`), or `docker run -e NAME=value` with a value
    /// for a credential-like name.
    ///
    /// ## Why it matters
    /// A process's command line is readable by every user and process on the machine (`ps`,
    /// `/proc/PID/cmdline`), ends up in shell history, crash reports and process-monitoring
    /// tools. A reference does not help: the client expands it before starting the process.
    /// The environment is private to the process and its children.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "db": { "command": "db-mcp", "args": ["--api-key", "${DB_KEY}"] } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "db": { "command": "db-mcp", "env": { "DB_KEY": "${DB_KEY}" } } } }
    /// ```
    /// (and a server that reads the key from its environment).
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/214.html
    /// - https://cwe.mitre.org/data/definitions/526.html
    pub struct TokenOnCommandLine {
        code: "CFG-002",
        name: "token-on-command-line",
        axis: Credentials,
        severity: Medium,
        cwe: Some("CWE-214"),
    }
}

/// Option names that carry a credential.
const CREDENTIAL_OPTIONS: &[&str] = &[
    "token",
    "api-key",
    "apikey",
    "api_key",
    "access-token",
    "auth-token",
    "password",
    "passwd",
    "secret",
    "client-secret",
    "private-key",
    "auth",
    "bearer",
    "pat",
    "key",
];

fn is_credential_option(option: &str) -> bool {
    let name = option.trim_start_matches('-').to_ascii_lowercase();
    option.starts_with("--")
        && (CREDENTIAL_OPTIONS.contains(&name.as_str())
            || ["token", "api-key", "apikey", "password", "secret"]
                .iter()
                .any(|w| name.ends_with(&format!("-{w}")) || name.ends_with(&format!("_{w}"))))
}

/// A value that can be a credential: not another option, not a mode word (`--auth none`,
/// `--auth oauth`), not a file holding one (`--token /run/secrets/token` is how it should be).
fn is_credential_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    !value.is_empty()
        && !value.starts_with('-')
        && !matches!(
            lower.as_str(),
            "none"
                | "false"
                | "true"
                | "oauth"
                | "oauth2"
                | "basic"
                | "bearer"
                | "env"
                | "stdin"
                | "keychain"
        )
        && !value.starts_with('/')
        && !value.starts_with("./")
        && !value.starts_with("~/")
}

impl Rule for TokenOnCommandLine {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                let words = words(server);
                let container = words
                    .first()
                    .is_some_and(|w| super::is_container_runtime(&super::program(w)));
                for (i, word) in words.iter().enumerate().skip(1) {
                    let (option, value) = match word.split_once('=') {
                        Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
                        _ => (word.as_str(), words.get(i + 1).cloned()),
                    };
                    if is_credential_option(option) {
                        if let Some(value) = value.filter(|v| is_credential_value(v)) {
                            config.report(
                                out,
                                server,
                                word,
                                Draft::new(format!("a credential is passed on the command line ({option}), where every process on the machine can read it"))
                                    .evidence(format!("{option} {}", shown(&value)))
                                    .fix("pass the credential in the server's `env` and have the server read it from its environment"),
                            );
                        }
                    }
                    // docker run -e NAME=value
                    if container && (word == "-e" || word == "--env") {
                        if let Some((name, value)) =
                            words.get(i + 1).and_then(|w| w.split_once('='))
                        {
                            // The project's reading of a variable name (`GITHUB_TOKEN` yes; `MONKEY`,
                            // `KEY_PATH`, `TOKEN_TTL` no).
                            if skillaudit_lang::catalog::is_credential_name(name)
                                && !value.is_empty()
                            {
                                config.report(
                                    out,
                                    server,
                                    name,
                                    Draft::new(format!("the container gets {name} on the `docker run` command line"))
                                        .evidence(format!("-e {name}={}", shown(value)))
                                        .fix(format!("write `-e {name}` without a value and put {name} in the server's `env`: docker then copies it from the environment")),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A value as the report may show it: references as written, anything else redacted.
fn shown(value: &str) -> String {
    if skillaudit_mcpconfig::is_reference(value) {
        value.to_string()
    } else {
        crate::credentials::secrets::redact(value)
    }
}
