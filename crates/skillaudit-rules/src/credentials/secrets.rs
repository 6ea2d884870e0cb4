//! The secret detectors: a data table (provider, pattern, prefilter keywords, entropy floor,
//! severity) and the scanner that runs it over a text.
//!
//! A text is first searched once for every detector's keywords with one Aho-Corasick automaton;
//! only the detectors whose keywords occur run their regular expression. A candidate is then
//! dropped when it is a placeholder (`your-api-key`, `sk-xxxx…`, `<TOKEN>`, `${VAR}`,
//! `process.env.X`), a documented example value, or less random than the detector's floor.
//! Nothing that leaves this module holds a secret in clear: [`redact`] keeps a short prefix
//! (the provider's marker) and the length.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use skillaudit_core::Severity;
use std::sync::LazyLock;

/// One kind of secret.
pub struct Detector {
    /// Stable id, used in messages and fingerprints (`openai-api-key`).
    pub id: &'static str,
    /// What it is, for people ("OpenAI API key").
    pub what: &'static str,
    /// The pattern; the capture group `secret` (or the whole match) is the secret.
    pub pattern: &'static str,
    /// At least one must occur in the text (case-insensitive) before the pattern runs.
    pub keywords: &'static [&'static str],
    /// Minimum Shannon entropy of the secret, in bits per character (0 = no floor).
    pub min_entropy: f64,
    pub severity: Severity,
    /// Where the provider says to rotate it.
    pub rotate: &'static str,
}

use Severity::{High, Medium};

/// The provider-specific detectors (SECRET-001).
pub static PROVIDERS: &[Detector] = &[
    Detector {
        id: "anthropic-api-key",
        what: "Anthropic API key",
        pattern: r"\b(?P<secret>sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,120})",
        keywords: &["sk-ant-"],
        min_entropy: 3.5,
        severity: High,
        rotate: "revoke it in the Anthropic Console (API keys) and issue a new one",
    },
    Detector {
        id: "openai-api-key",
        what: "OpenAI API key",
        pattern: r"\b(?P<secret>sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,200}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48}))(?:[^A-Za-z0-9_\-]|$)",
        keywords: &["sk-"],
        min_entropy: 3.5,
        severity: High,
        rotate: "revoke it on the OpenAI platform (API keys) and issue a new one",
    },
    Detector {
        id: "github-token",
        what: "GitHub token",
        pattern: r"\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36})\b",
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        min_entropy: 3.0,
        severity: High,
        rotate: "revoke it in GitHub settings (Developer settings → Personal access tokens)",
    },
    Detector {
        id: "github-fine-grained-token",
        what: "GitHub fine-grained token",
        pattern: r"\b(?P<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
        keywords: &["github_pat_"],
        min_entropy: 3.0,
        severity: High,
        rotate: "revoke it in GitHub settings (Developer settings → Fine-grained tokens)",
    },
    Detector {
        id: "gitlab-token",
        what: "GitLab personal access token",
        pattern: r"\b(?P<secret>glpat-[A-Za-z0-9_\-]{20,64})\b",
        keywords: &["glpat-"],
        min_entropy: 3.0,
        severity: High,
        rotate: "revoke it in GitLab (User settings → Access tokens)",
    },
    Detector {
        id: "aws-access-key-id",
        what: "AWS access key ID",
        pattern: r"\b(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b",
        keywords: &["AKIA", "ASIA", "ABIA", "ACCA"],
        min_entropy: 2.5,
        severity: High,
        rotate: "deactivate the key pair in IAM and create a new one",
    },
    Detector {
        id: "aws-secret-access-key",
        what: "AWS secret access key",
        pattern: r#"(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?(?P<secret>[A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        keywords: &["aws_secret", "awssecret", "aws_secretaccess", "aws_secret_access"],
        min_entropy: 3.5,
        severity: High,
        rotate: "deactivate the key pair in IAM and create a new one",
    },
    Detector {
        id: "gcp-service-account-key",
        what: "Google Cloud service-account private key",
        pattern: r#""type"\s*:\s*"service_account"[\s\S]{0,2000}?"private_key"\s*:\s*"(?P<secret>-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{64,})"#,
        keywords: &["service_account"],
        min_entropy: 3.5,
        severity: High,
        rotate: "delete the key in IAM (Service accounts → Keys) and create a new one",
    },
    Detector {
        id: "google-api-key",
        what: "Google API key",
        pattern: r"\b(?P<secret>AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
        keywords: &["AIza"],
        min_entropy: 3.5,
        severity: High,
        rotate: "delete or restrict the key in the Google Cloud console (APIs & Services → Credentials)",
    },
    Detector {
        id: "azure-storage-key",
        what: "Azure storage account key",
        pattern: r"(?i)AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)",
        keywords: &["accountkey="],
        min_entropy: 4.0,
        severity: High,
        rotate: "rotate the storage account's access keys in the Azure portal",
    },
    Detector {
        id: "azure-client-secret",
        what: "Azure AD client secret",
        pattern: r"\b(?P<secret>[A-Za-z0-9_~.\-]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$)",
        keywords: &["q~"],
        min_entropy: 3.5,
        severity: High,
        rotate: "delete the secret in the app registration (Certificates & secrets) and create a new one",
    },
    Detector {
        id: "stripe-live-key",
        what: "Stripe live secret key",
        pattern: r"\b(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{24,99})\b",
        keywords: &["sk_live_", "rk_live_"],
        min_entropy: 3.5,
        severity: High,
        rotate: "roll the key in the Stripe dashboard (Developers → API keys)",
    },
    Detector {
        id: "stripe-test-key",
        what: "Stripe test secret key",
        pattern: r"\b(?P<secret>(?:sk|rk)_test_[A-Za-z0-9]{24,99})\b",
        keywords: &["sk_test_", "rk_test_"],
        min_entropy: 3.5,
        severity: Medium,
        rotate: "roll the key in the Stripe dashboard (Developers → API keys)",
    },
    Detector {
        id: "slack-token",
        what: "Slack token",
        pattern: r"\b(?P<secret>xox[abposr]-(?:\d+-)+[A-Za-z0-9]{10,64})\b",
        keywords: &["xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-"],
        min_entropy: 3.0,
        severity: High,
        rotate: "revoke the token in the Slack app's settings (OAuth & Permissions) and reinstall",
    },
    Detector {
        id: "slack-webhook",
        what: "Slack incoming-webhook URL",
        pattern: r"(?P<secret>https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[A-Z0-9]{8,12}/[A-Za-z0-9]{20,40})",
        keywords: &["hooks.slack.com/"],
        min_entropy: 3.5,
        severity: High,
        rotate: "delete the webhook in the Slack app's settings and create a new one",
    },
    Detector {
        id: "twilio-api-key",
        what: "Twilio API key SID",
        pattern: r"\b(?P<secret>SK[0-9a-f]{32})\b",
        keywords: &["SK"],
        min_entropy: 3.0,
        severity: Medium,
        rotate: "delete the API key in the Twilio console and create a new one",
    },
    Detector {
        id: "twilio-auth-token",
        what: "Twilio auth token",
        pattern: r#"(?i)twilio[A-Za-z0-9_.\-]{0,30}(?:auth|token|secret)[A-Za-z0-9_]*["']?\s*[:=]\s*["'](?P<secret>[0-9a-f]{32})["']"#,
        keywords: &["twilio"],
        min_entropy: 3.0,
        severity: High,
        rotate: "rotate the auth token in the Twilio console",
    },
    Detector {
        id: "sendgrid-api-key",
        what: "SendGrid API key",
        pattern: r"\b(?P<secret>SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)",
        keywords: &["SG."],
        min_entropy: 3.5,
        severity: High,
        rotate: "delete the key in SendGrid (Settings → API Keys) and create a new one",
    },
    Detector {
        id: "npm-token",
        what: "npm access token",
        pattern: r"\b(?P<secret>npm_[A-Za-z0-9]{36})\b",
        keywords: &["npm_"],
        min_entropy: 3.0,
        severity: High,
        rotate: "revoke it on npmjs.com (Access Tokens) and create a new one",
    },
    Detector {
        id: "npmrc-auth-token",
        what: "npm registry auth token in an .npmrc line",
        pattern: r"(?m)^\s*//[^\s:]+/:_authToken\s*=\s*(?P<secret>[A-Za-z0-9_\-.=]{20,})\s*$",
        keywords: &["_authtoken"],
        min_entropy: 3.0,
        severity: High,
        rotate: "revoke the token with the registry and read it from the environment (`${NPM_TOKEN}`)",
    },
    Detector {
        id: "pypi-token",
        what: "PyPI API token",
        pattern: r"\b(?P<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})",
        keywords: &["pypi-AgEIcHlwaS5vcmc"],
        min_entropy: 3.5,
        severity: High,
        rotate: "remove the token on pypi.org (Account settings → API tokens) and create a scoped one",
    },
    Detector {
        id: "private-key",
        what: "private key (PEM)",
        pattern: r"(?P<secret>-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\sA-Za-z0-9+/=:\\,\-]{64,}?-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)",
        keywords: &["PRIVATE KEY-----", "PRIVATE KEY BLOCK-----"],
        min_entropy: 4.0,
        severity: High,
        rotate: "replace the key pair and revoke the old public key wherever it is trusted",
    },
    Detector {
        id: "jwt",
        what: "JSON Web Token",
        pattern: r"\b(?P<secret>eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,})",
        keywords: &["eyJ"],
        min_entropy: 4.0,
        severity: Medium,
        rotate: "revoke the token (or rotate the signing key) and issue short-lived tokens at run time",
    },
    Detector {
        id: "database-url-password",
        what: "database URL with a password",
        pattern: r#"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb)://[^\s:/@"'`]{1,64}:(?P<secret>[^\s@/"'`]{4,128})@[^\s"'`/]+"#,
        keywords: &["://"],
        min_entropy: 2.5,
        severity: High,
        rotate: "change the database user's password and read the URL from the environment",
    },
];

/// `NAME_KEY = "…"` style assignments of high-entropy values (SECRET-002).
pub static GENERIC: Detector = Detector {
    id: "generic-secret",
    what: "secret-looking value",
    pattern: r#"(?i)(?P<name>[A-Za-z0-9_.\-]{0,40}(?:api[_\-]?key|apikey|secret|token|passw(?:or)?d|pwd|private[_\-]?key|access[_\-]?key|auth[_\-]?key|client[_\-]?secret|credentials?)[A-Za-z0-9_]{0,20})["']?\s*(?::|=|:=|=>)\s*(?:[A-Za-z_]+\()?["'`](?P<secret>[^"'`\s]{16,200})["'`]"#,
    keywords: &["key", "secret", "token", "passw", "pwd", "credential"],
    min_entropy: 3.7,
    severity: Medium,
    rotate: "rotate the value with its issuer and read it from the environment or a secret manager",
};

/// One secret found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretMatch {
    pub detector: &'static str,
    /// Byte range of the secret itself.
    pub start: usize,
    pub end: usize,
    /// The assigned name, for generic assignments (`STRIPE_KEY`).
    pub name: Option<String>,
}

struct Compiled {
    regexes: Vec<Option<Regex>>,
    generic: Option<Regex>,
    /// Keyword automaton: pattern index → detector index (`PROVIDERS.len()` = generic).
    keywords: Option<AhoCorasick>,
    owners: Vec<usize>,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    let mut words = Vec::new();
    let mut owners = Vec::new();
    for (i, d) in PROVIDERS
        .iter()
        .chain(std::iter::once(&GENERIC))
        .enumerate()
    {
        for k in d.keywords {
            words.push(*k);
            owners.push(i);
        }
    }
    Compiled {
        regexes: PROVIDERS
            .iter()
            .map(|d| Regex::new(d.pattern).ok())
            .collect(),
        generic: Regex::new(GENERIC.pattern).ok(),
        keywords: AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .ok(),
        owners,
    }
});

/// Detectors whose patterns do not compile (a bug; tested to be empty).
pub fn broken_detectors() -> Vec<&'static str> {
    let c = &*COMPILED;
    let mut out: Vec<&'static str> = PROVIDERS
        .iter()
        .zip(&c.regexes)
        .filter(|(_, r)| r.is_none())
        .map(|(d, _)| d.id)
        .collect();
    if c.generic.is_none() {
        out.push(GENERIC.id);
    }
    if c.keywords.is_none() {
        out.push("keyword automaton");
    }
    out
}

/// The detector with this id.
pub fn detector(id: &str) -> Option<&'static Detector> {
    PROVIDERS
        .iter()
        .chain(std::iter::once(&GENERIC))
        .find(|d| d.id == id)
}

/// Every provider secret in `text`, then (with `generic`) the high-entropy assignments that no
/// provider detector already covers. Placeholders and low-entropy values are left out.
pub fn scan(text: &str, generic: bool) -> Vec<SecretMatch> {
    let c = &*COMPILED;
    let Some(ac) = &c.keywords else {
        return Vec::new();
    };
    let mut active = vec![false; PROVIDERS.len() + 1];
    for m in ac.find_overlapping_iter(text) {
        if let Some(&owner) = c.owners.get(m.pattern().as_usize()) {
            active[owner] = true;
        }
    }
    let mut out: Vec<SecretMatch> = Vec::new();
    for (i, d) in PROVIDERS.iter().enumerate() {
        if !active[i] {
            continue;
        }
        let Some(re) = c.regexes.get(i).and_then(Option::as_ref) else {
            continue;
        };
        for caps in re.captures_iter(text) {
            let Some(m) = caps.name("secret").or_else(|| caps.get(0)) else {
                continue;
            };
            let secret = m.as_str();
            if is_placeholder(secret) || entropy(secret) < d.min_entropy {
                continue;
            }
            if d.id == "database-url-password" && is_placeholder_password(secret) {
                continue;
            }
            if out.iter().any(|o| o.start < m.end() && m.start() < o.end) {
                continue; // an earlier, more specific detector has it
            }
            out.push(SecretMatch {
                detector: d.id,
                start: m.start(),
                end: m.end(),
                name: None,
            });
        }
    }
    if generic && active[PROVIDERS.len()] {
        if let Some(re) = &c.generic {
            for caps in re.captures_iter(text) {
                let (Some(m), Some(name)) = (caps.name("secret"), caps.name("name")) else {
                    continue;
                };
                let secret = m.as_str();
                if is_placeholder(secret)
                    || !looks_random(secret)
                    || entropy(secret) < GENERIC.min_entropy
                    || out.iter().any(|o| o.start < m.end() && m.start() < o.end)
                    || is_not_a_secret_name(name.as_str())
                {
                    continue;
                }
                out.push(SecretMatch {
                    detector: GENERIC.id,
                    start: m.start(),
                    end: m.end(),
                    name: Some(name.as_str().to_string()),
                });
            }
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    let mut n = 0usize;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Values that stand for a secret rather than being one.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "your",
        "example",
        "placeholder",
        "changeme",
        "change_me",
        "change-me",
        "dummy",
        "sample",
        "redacted",
        "fake",
        "insert",
        "replace",
        "xxxx",
        "****",
        "...",
        "…",
        "process.env",
        "os.environ",
        "getenv",
        "env.",
        "secret_here",
        "key_here",
        "token_here",
        "here>",
        "todo",
        "notreal",
        "not-real",
        "not_real",
    ];
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // Template references and markup: ${VAR}, {{ var }}, <TOKEN>, %(var)s, $VAR
    if value.contains("${")
        || value.contains("{{")
        || (value.starts_with('<') && value.ends_with('>'))
        || value.contains("%(")
        || (value.starts_with('$')
            && value[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        return true;
    }
    // A run of one repeated character (sk-aaaaaaaa…, AKIA0000000000000000).
    let bytes = value.as_bytes();
    let mut run = 1;
    for w in bytes.windows(2) {
        if w[0] == w[1] {
            run += 1;
            if run >= 6 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    // Sequential filler: 1234567890, abcdefghij.
    lower.contains("1234567890") || lower.contains("abcdefghij")
}

/// Passwords in database URLs that are conventional local defaults or stand-ins.
fn is_placeholder_password(p: &str) -> bool {
    let lower = p.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "password"
            | "pass"
            | "passwd"
            | "secret"
            | "postgres"
            | "root"
            | "admin"
            | "mysql"
            | "user"
            | "guest"
            | "test"
            | "pw"
            | "pwd"
            | "mypassword"
            | "mysecretpassword"
    ) || lower.starts_with(':')
        || lower.starts_with('$')
        || lower.starts_with('%')
        || lower.starts_with('{')
        || lower.starts_with('<')
}

/// High-entropy text that looks generated: letters and digits mixed, not a word, a path, a
/// URL, a version or an identifier made of words.
fn looks_random(s: &str) -> bool {
    let has_digit = s.bytes().any(|b| b.is_ascii_digit());
    let has_alpha = s.bytes().any(|b| b.is_ascii_alphabetic());
    if !(has_digit && has_alpha) {
        return false;
    }
    if s.contains("://") || s.starts_with('/') || s.starts_with("./") || s.contains(' ') {
        return false;
    }
    // Hashes in lockfiles and subresource integrity (`sha512-…`) are not secrets.
    let lower = s.to_ascii_lowercase();
    if ["sha1-", "sha256-", "sha384-", "sha512-"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return false;
    }
    // Dotted or dashed words (`my-service.internal.example`): mostly letters between separators.
    let separators = s
        .bytes()
        .filter(|b| matches!(b, b'.' | b'-' | b'_'))
        .count();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    !(separators >= 2 && digits * 8 < s.len())
}

/// Names that end up matching the assignment pattern but hold no secret.
fn is_not_a_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "token_type",
        "tokentype",
        "token_url",
        "tokenurl",
        "token_endpoint",
        "secret_name",
        "secretname",
        "key_id",
        "keyid",
        "public_key",
        "publickey",
        "key_name",
        "keyname",
        "max_tokens",
        "maxtokens",
        "tokenizer",
        "token_count",
        "passwordhash",
        "password_hash",
        "credential_id",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The secret shown safely: its first characters (a provider marker, never enough to use) and
/// its length.
pub fn redact(secret: &str) -> String {
    let chars = secret.chars().count();
    let keep = if chars >= 24 { 4 } else { 2 }.min(chars / 4);
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}…[redacted, {chars} chars]")
}

/// A window of `text` around a secret, on one line, with the secret redacted.
pub fn redacted_excerpt(text: &str, start: usize, end: usize, context: usize) -> String {
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[end..]
        .find('\n')
        .map(|i| end + i)
        .unwrap_or(text.len());
    let mut from = start.saturating_sub(context).max(line_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + context).min(line_end);
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let secret = &text[start..end];
    let before = text[from..start].trim_start();
    let after = text[end..to].trim_end();
    let mut out = String::new();
    if from > line_start {
        out.push('…');
    }
    out.push_str(before);
    // A multi-line secret (a PEM block) is shown by its first line only.
    out.push_str(&redact(secret.lines().next().unwrap_or(secret)));
    out.push_str(after);
    if to < line_end {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic random-looking text over an alphabet (no real secret is ever written into
    /// the repository: samples are made when the test runs).
    fn random(alphabet: &str, n: usize, seed: u64) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                chars[(x % chars.len() as u64) as usize]
            })
            .collect()
    }

    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const HEX: &str = "0123456789abcdef";
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// (detector, a text holding a secret, a look-alike that must stay quiet).
    fn samples() -> Vec<(&'static str, String, String)> {
        let r = |a: &str, n: usize, s: u64| random(a, n, s);
        vec![
            (
                "anthropic-api-key",
                format!("ANTHROPIC_API_KEY = \"sk-ant-api03-{}AA\"", r(ALNUM, 93, 1)),
                "ANTHROPIC_API_KEY = \"sk-ant-api03-your-key-here\"".into(),
            ),
            (
                "openai-api-key",
                format!("apiKey: \"sk-proj-{}\"", r(ALNUM, 120, 2)),
                "apiKey: \"sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"".into(),
            ),
            (
                "github-token",
                format!("token = 'ghp_{}'", r(ALNUM, 36, 3)),
                "token = 'ghp_<your token>'".into(),
            ),
            (
                "github-fine-grained-token",
                format!("GH={}", format_args!("github_pat_{}_{}", r(ALNUM, 22, 4), r(ALNUM, 59, 5))),
                "GH=github_pat_...".into(),
            ),
            (
                "gitlab-token",
                format!("GITLAB_TOKEN=glpat-{}", r(ALNUM, 20, 6)),
                "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx".into(),
            ),
            (
                "aws-access-key-id",
                format!("aws_access_key_id = AKIA{}", r(UPPER_DIGITS, 16, 7)),
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE".into(),
            ),
            (
                "aws-secret-access-key",
                format!("aws_secret_access_key = {}", r(B64, 40, 8)),
                "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}".into(),
            ),
            (
                "gcp-service-account-key",
                format!(
                    "{{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n\"}}",
                    r(B64, 200, 9)
                ),
                "{\"type\": \"service_account\", \"private_key\": \"<paste the key>\"}".into(),
            ),
            (
                "google-api-key",
                format!("key=AIza{}", r(ALNUM, 35, 10)),
                "key=AIzaYOUR_API_KEY".into(),
            ),
            (
                "azure-storage-key",
                format!(
                    "DefaultEndpointsProtocol=https;AccountName=x;AccountKey={}==;",
                    r(B64, 86, 11)
                ),
                "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=<key>;".into(),
            ),
            (
                "azure-client-secret",
                format!("AZURE_CLIENT_SECRET={}8Q~{}", r(ALNUM, 3, 12), r(ALNUM, 34, 13)),
                "AZURE_CLIENT_SECRET=your-client-secret".into(),
            ),
            (
                "stripe-live-key",
                format!("stripe.api_key = \"sk_live_{}\"", r(ALNUM, 24, 14)),
                "stripe.api_key = \"sk_live_...\"".into(),
            ),
            (
                "stripe-test-key",
                format!("STRIPE_KEY=sk_test_{}", r(ALNUM, 24, 15)),
                "STRIPE_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx".into(),
            ),
            (
                "slack-token",
                format!("SLACK_BOT_TOKEN=xoxb-{}-{}-{}", r("0123456789", 11, 16), r("0123456789", 12, 17), r(ALNUM, 24, 18)),
                "SLACK_BOT_TOKEN=xoxb-your-bot-token".into(),
            ),
            (
                "slack-webhook",
                format!(
                    "url = \"https://hooks.slack.com/services/T{}/B{}/{}\"",
                    r(UPPER_DIGITS, 8, 19),
                    r(UPPER_DIGITS, 8, 20),
                    r(ALNUM, 24, 21)
                ),
                "url = \"https://hooks.slack.com/services/T000/B000/XXXX\"".into(),
            ),
            (
                "twilio-api-key",
                format!("TWILIO_API_KEY=SK{}", r(HEX, 32, 22)),
                "TWILIO_API_KEY=SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".into(),
            ),
            (
                "twilio-auth-token",
                format!("TWILIO_AUTH_TOKEN = \"{}\"", r(HEX, 32, 23)),
                "TWILIO_AUTH_TOKEN = \"your_auth_token\"".into(),
            ),
            (
                "sendgrid-api-key",
                format!("SENDGRID_API_KEY=SG.{}.{}", r(ALNUM, 22, 24), r(ALNUM, 43, 25)),
                "SENDGRID_API_KEY=SG.your-key".into(),
            ),
            (
                "npm-token",
                format!("NPM_TOKEN=npm_{}", r(ALNUM, 36, 26)),
                "NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".into(),
            ),
            (
                "npmrc-auth-token",
                format!("//registry.npmjs.org/:_authToken={}", r(ALNUM, 36, 27).replace('n', "-")),
                "//registry.npmjs.org/:_authToken=${NPM_TOKEN}".into(),
            ),
            (
                "pypi-token",
                format!("password = pypi-AgEIcHlwaS5vcmc{}", r(ALNUM, 70, 28)),
                "password = pypi-AgEIcHlwaS5vcmc<token>".into(),
            ),
            (
                "private-key",
                format!(
                    "-----BEGIN RSA PRIVATE KEY-----\n{}\n{}\n-----END RSA PRIVATE KEY-----\n",
                    r(B64, 64, 29),
                    r(B64, 64, 30)
                ),
                "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n".into(),
            ),
            (
                "jwt",
                format!("Authorization: Bearer eyJ{}.eyJ{}.{}", r(ALNUM, 30, 31), r(ALNUM, 60, 32), r(ALNUM, 43, 33)),
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJ...".into(),
            ),
            (
                "database-url-password",
                format!("DATABASE_URL=postgres://app:{}@db.internal:5432/app", r(ALNUM, 20, 34)),
                "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app".into(),
            ),
        ]
    }

    #[test]
    fn every_detector_compiles() {
        assert!(broken_detectors().is_empty(), "{:?}", broken_detectors());
    }

    #[test]
    fn every_provider_has_a_sample_that_fires_and_a_look_alike_that_does_not() {
        let samples = samples();
        for d in PROVIDERS {
            assert!(
                samples.iter().any(|(id, _, _)| *id == d.id),
                "no sample for {}",
                d.id
            );
        }
        for (id, hit, quiet) in &samples {
            let found = scan(hit, true);
            assert!(
                found.iter().any(|m| m.detector == *id),
                "{id} missed in {hit:?}: {found:?}"
            );
            let found = scan(quiet, true);
            assert!(
                found.is_empty(),
                "{id} look-alike fired: {quiet:?} → {found:?}"
            );
        }
    }

    #[test]
    fn generic_assignments_need_a_telling_name_and_a_random_value() {
        let secret = random(ALNUM, 32, 40);
        let hit = format!("WEBHOOK_SIGNING_SECRET = \"{secret}\"");
        let found = scan(&hit, true);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].detector, "generic-secret");
        assert_eq!(found[0].name.as_deref(), Some("WEBHOOK_SIGNING_SECRET"));
        for quiet in [
            format!("const label = \"{secret}\";"),
            "API_KEY = \"your-api-key-goes-here\"".to_string(),
            "token_type = \"Bearer0123456789abcdefXYZ\"".to_string(),
            "\"integrity\": \"sha512-Lr7Vw0bTz5NcK3mYh9Ue4Pa6Sd1q8Jx2\"".to_string(),
            "SECRET_KEY = \"django-insecure-dev-only-not-for-production\"".to_string(),
            "password = os.environ.get(\"DB_PASSWORD\", \"\")".to_string(),
            "AUTH_TOKEN = \"${{ secrets.AUTH_TOKEN }}\"".to_string(),
        ] {
            let found = scan(&quiet, true);
            assert!(found.is_empty(), "{quiet:?} → {found:?}");
        }
    }

    #[test]
    fn redaction_keeps_a_marker_and_the_length_only() {
        let secret = format!("ghp_{}", random(ALNUM, 36, 50));
        let shown = redact(&secret);
        assert!(shown.starts_with("ghp_…"), "{shown}");
        assert!(shown.contains("40 chars"));
        assert!(!shown.contains(&secret[4..12]));
        let text = format!("const token = \"{secret}\"; // bot");
        let m = &scan(&text, false)[0];
        let excerpt = redacted_excerpt(&text, m.start, m.end, 60);
        assert!(!excerpt.contains(&secret[6..]), "{excerpt}");
        assert!(excerpt.starts_with("const token = \"ghp_…"), "{excerpt}");
    }

    #[test]
    fn entropy_orders_text_by_randomness() {
        assert!(entropy("aaaaaaaaaaaaaaaa") < 0.1);
        assert!(entropy("password") < 3.0);
        assert!(entropy(&random(ALNUM, 40, 60)) > 4.5);
    }
}
