//! Secrets never leave SkillAudit unredacted: every output goes through these helpers.

/// A secret shown as its first four characters and a fixed mask (`sk-p…[REDACTED]`), so a user
/// can tell which key it is without the report becoming a leak of its own.
pub fn redact_secret(secret: &str) -> String {
    let visible: String = secret.chars().take(4).collect();
    if secret.chars().count() <= 8 {
        return "[REDACTED]".to_string();
    }
    format!("{visible}…[REDACTED]")
}

/// `text` with every occurrence of `secret` replaced by its redacted form.
pub fn redact_in(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    text.replace(secret, &redact_secret(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_a_short_prefix_only() {
        let key = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";
        let shown = redact_secret(key);
        assert_eq!(shown, "sk-p…[REDACTED]");
        assert!(!shown.contains("abcdef"));
        assert_eq!(redact_secret("short"), "[REDACTED]");
        let line = format!("const KEY = \"{key}\";");
        assert_eq!(redact_in(&line, key), "const KEY = \"sk-p…[REDACTED]\";");
    }
}
