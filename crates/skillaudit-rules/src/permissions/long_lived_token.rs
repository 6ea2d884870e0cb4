use super::negated_before;
use crate::project::{line_of, line_text};
use crate::{declare_rule, Draft, Findings, Language, Project, Rule, RuleMeta};
use regex::{Regex, RegexBuilder};
use skillaudit_core::{Severity, Surface};
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A server that asks for a long-lived, broadly scoped credential where the provider offers
    /// a short-lived or narrower one: GitHub classic personal access tokens — the README tells
    /// users to create one ("personal access token (classic)", the classic token page
    /// `github.com/settings/tokens/new`, a `ghp_…` placeholder in the configuration) or the code
    /// only accepts tokens with the classic `ghp_` prefix. MEDIUM when the documentation says
    /// a classic token is *required* (fine-grained tokens not supported), LOW otherwise.
    ///
    /// ## Why it matters
    /// A classic token never expires unless the user sets a date, cannot be limited to some
    /// repositories, and carries its scopes across every organisation the user belongs to. It
    /// sits in a configuration file next to the server for months. GitHub App installation
    /// tokens expire after an hour and fine-grained tokens are limited to the repositories and
    /// permissions chosen, so a leak or a steered server loses far less.
    ///
    /// ## Vulnerable example
    /// ```markdown
    /// Create a personal access token (classic) with the `repo` scope; fine-grained tokens are
    /// not supported.
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// Create a fine-grained token limited to the repositories you want the assistant to see,
    /// with Contents: read, and an expiry date.
    /// ```
    ///
    /// ## References
    /// - https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens
    /// - https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app
    /// - https://cwe.mitre.org/data/definitions/324.html
    pub struct LongLivedToken {
        code: "PERM-003",
        name: "long-lived-token",
        axis: Permissions,
        severity: Low,
        cwe: Some("CWE-324"),
    }
}

fn rx(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
}

/// Documentation that says only a classic token will do.
static REQUIRED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    rx(
        r"fine[- ]grained\s+(?:personal\s+access\s+)?tokens?\s+(?:are|is|do|does)\s+not\s+(?:yet\s+)?(?:supported|work)|(?:must|needs?\s+to)\s+be\s+a\s+classic|requires?\s+a\s+classic|only\s+classic\s+(?:personal\s+access\s+)?tokens?",
    )
});
/// Documentation or configuration that points users at a classic token.
static CLASSIC: LazyLock<Option<Regex>> = LazyLock::new(|| {
    rx(
        r"personal\s+access\s+tokens?\s*\(classic\)|\bclassic\s+(?:personal\s+access\s+)?tokens?\b|\btokens?\s*\(classic\)|github\.com/settings/tokens/new\b|\bghp_(?:x{3,}|your|<|\.\.\.|\*{3,}|[a-z_]*token)",
    )
});
/// Code that tells token kinds apart by the classic prefix.
static PREFIX_CHECK: LazyLock<Option<Regex>> =
    LazyLock::new(|| rx(r#"(?:starts_?with\(\s*["']ghp_["']|["'`]\^ghp_)"#));

impl Rule for LongLivedToken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for (file, text) in project.text_files() {
            if file.surface == Surface::Test || text.len() > 2 * 1024 * 1024 {
                continue;
            }
            let docs = matches!(
                file.language,
                Language::Markdown
                    | Language::Json
                    | Language::Yaml
                    | Language::Toml
                    | Language::Other
            );
            let mut best: Option<(Severity, usize, &str)> = None;
            let patterns: &[(&LazyLock<Option<Regex>>, Severity, &str)] = if docs {
                &[
                    (&REQUIRED, Severity::Medium, "the documentation requires a classic GitHub personal access token (fine-grained tokens refused)"),
                    (&CLASSIC, Severity::Low, "the documentation asks for a classic GitHub personal access token"),
                ]
            } else if file.language.is_code() {
                &[(&PREFIX_CHECK, Severity::Low, "the code tells tokens apart by the classic `ghp_` prefix, so users are led to classic personal access tokens")]
            } else {
                &[]
            };
            for (re, severity, message) in patterns {
                let Some(re) = re.as_ref() else { continue };
                let hit = re
                    .find_iter(text)
                    .take(100)
                    .find(|m| !negated_before(text, m.start()));
                if let Some(m) = hit {
                    if best.is_none_or(|(s, _, _)| *severity < s) {
                        best = Some((*severity, m.start(), message));
                    }
                }
            }
            let Some((severity, at, message)) = best else {
                continue;
            };
            let line = line_of(text, at);
            let mut draft = Draft::new(message.to_string())
                .at(&file.path, Some(line))
                .evidence(line_text(text, line, 160).unwrap_or_default())
                .severity(severity)
                .fix("document a fine-grained token limited to the repositories and permissions the tools use, with an expiry date, or authenticate as a GitHub App with installation tokens; accept `github_pat_` and `ghs_` tokens");
            if file.language == Language::Markdown {
                draft = draft.about_package();
            }
            out.report(draft);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
        re.as_ref().is_some_and(|r| r.is_match(text))
    }

    #[test]
    fn classic_tokens_are_recognised_in_docs() {
        assert!(is(
            &CLASSIC,
            "Create a Personal Access Token (classic) with repo scope"
        ));
        assert!(is(&CLASSIC, r#""GITHUB_TOKEN": "ghp_xxxxxxxxxxxx""#));
        assert!(is(
            &CLASSIC,
            "https://github.com/settings/tokens/new?scopes=repo"
        ));
        assert!(!is(
            &CLASSIC,
            "https://github.com/settings/personal-access-tokens/new"
        ));
        assert!(is(&REQUIRED, "Fine-grained tokens are not supported yet."));
        assert!(!is(&REQUIRED, "Fine-grained tokens are supported."));
    }

    #[test]
    fn prefix_checks_in_code() {
        assert!(is(
            &PREFIX_CHECK,
            "if (!token.startsWith('ghp_')) throw new Error()"
        ));
        assert!(is(&PREFIX_CHECK, "if not token.startswith(\"ghp_\"):"));
        assert!(!is(&PREFIX_CHECK, "if token.startswith(\"github_pat_\"):"));
    }
}
