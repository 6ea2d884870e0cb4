use super::negated_before;
use crate::project::{line_of, line_text};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use regex::Regex;
use skillaudit_core::{Severity, Surface};
use std::collections::BTreeSet;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// OAuth and API-token scopes that the code, a manifest or the README asks for and that
    /// grant far more than an MCP server's tools use: GitHub `admin:org`, `admin:enterprise`,
    /// `delete_repo`, hook and key administration, and full `repo` where `public_repo` would do;
    /// Google's full Drive (`…/auth/drive`) where `drive.file` or `drive.readonly` would do, full
    /// Gmail (`https://mail.google.com/`), Workspace administration and all of Google Cloud;
    /// Slack `admin.*` scopes; Microsoft Graph `*.ReadWrite.All`, `*.FullControl.All` and
    /// `Directory.AccessAsUser.All`; Atlassian `manage:*` scopes. Scopes are recognised by
    /// each provider's scope grammar (a Google scope URL, a Graph `Resource.Permission.All`,
    /// a GitHub `admin:<thing>`), bare words such as `repo` only where the text is talking
    /// about scopes. A scope that a tool visibly needs (a tool that deletes repositories and
    /// `delete_repo`) is reported at LOW; scopes written in a sentence that rejects them ("you do
    /// not need `admin:org`") are not reported.
    ///
    /// ## Why it matters
    /// A server holds the token for as long as it runs, and anyone who steers it — a prompt
    /// injection, an SSRF, a command injection — holds the token too. A token with `admin:org`
    /// behind a server with an SSRF is not two problems but one account takeover; the same
    /// server with a repository-scoped read token loses one repository's contents at worst.
    ///
    /// ## Vulnerable example
    /// ```python
    /// SCOPES = ["https://www.googleapis.com/auth/drive"]   # every file in the user's Drive
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// SCOPES = ["https://www.googleapis.com/auth/drive.file"]  # only files the app opened or made
    /// ```
    ///
    /// ## References
    /// - https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
    /// - https://developers.google.com/identity/protocols/oauth2/scopes
    /// - https://learn.microsoft.com/en-us/graph/permissions-reference
    /// - https://api.slack.com/scopes
    /// - https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/
    /// - https://cwe.mitre.org/data/definitions/250.html
    pub struct OverBroadTokenScope {
        code: "PERM-001",
        name: "over-broad-token-scope",
        axis: Permissions,
        severity: Medium,
        cwe: Some("CWE-250"),
    }
}

/// Files larger than this are not searched for scopes.
const MAX_BYTES: usize = 2 * 1024 * 1024;

/// One provider's scope as the text wrote it, judged.
struct Judged {
    scope: String,
    provider: &'static str,
    grants: &'static str,
    narrower: &'static str,
    severity: Severity,
    /// Words in a tool's name or description that show the scope is used.
    needed_by: &'static [&'static str],
    /// Only a scope where the text talks about scopes.
    needs_context: bool,
}

fn rx(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

static GOOGLE: LazyLock<Option<Regex>> =
    LazyLock::new(|| rx(r"https?://www\.googleapis\.com/auth/([a-z0-9_.\-]+)"));
static GMAIL_FULL: LazyLock<Option<Regex>> = LazyLock::new(|| rx(r"https://mail\.google\.com/"));
static GRAPH: LazyLock<Option<Regex>> = LazyLock::new(|| {
    rx(
        r"\b((?:[A-Z][A-Za-z]+\.)*[A-Z][A-Za-z]+\.(?:ReadWrite|FullControl)\.All|Directory\.AccessAsUser\.All|RoleManagement\.ReadWrite\.Directory)\b",
    )
});
static SLACK_ADMIN: LazyLock<Option<Regex>> =
    LazyLock::new(|| rx(r"\badmin(?:\.[a-z_]+)+:(?:read|write)(?:\.[a-z_]+)?\b"));
static GITHUB_ADMIN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    rx(
        r"(?:^|[^A-Za-z_])(admin:(?:org|enterprise|repo_hook|org_hook|public_key|gpg_key|ssh_signing_key)|site_admin|delete_repo|delete:packages)\b",
    )
});
/// GitHub's full `repo` scope written as a scope: a quoted or code-quoted word, or a value of a
/// `scope=` parameter.
static GITHUB_REPO: LazyLock<Option<Regex>> =
    LazyLock::new(|| rx(r#"(?:["'`]repo["'`]|scopes?=(?:[a-z_:]+(?:%20|\+|,| ))*repo\b[^:_])"#));
static ATLASSIAN: LazyLock<Option<Regex>> =
    LazyLock::new(|| rx(r"\bmanage:(?:jira|confluence|servicedesk)[a-z\-]*\b"));

fn judge_google(scope: &str) -> Option<Judged> {
    let name = scope.trim_end_matches('.');
    let base = |grants, narrower, severity, needed_by| Judged {
        scope: format!("https://www.googleapis.com/auth/{name}"),
        provider: "Google",
        grants,
        narrower,
        severity,
        needed_by,
        needs_context: false,
    };
    match name {
        "drive" => Some(base(
            "every file in the user's Drive, read and write",
            "`drive.file` (files the app created or the user opened with it) or `drive.readonly`",
            Severity::Medium,
            &[],
        )),
        "cloud-platform" => Some(base(
            "every Google Cloud API the account can use",
            "the service's own scope (e.g. `bigquery.readonly`, `devstorage.read_only`)",
            Severity::Low,
            &[],
        )),
        _ if name.starts_with("admin.") && !name.ends_with(".readonly") => Some(base(
            "administration of the Workspace domain",
            "the `.readonly` variant, or a service account limited to the resources needed",
            Severity::Medium,
            &["admin", "user", "group", "domain"],
        )),
        _ => None,
    }
}

fn judge_text(kind: &str, scope: &str) -> Option<Judged> {
    let j = |provider, grants, narrower, severity, needed_by, needs_context| Judged {
        scope: scope.to_string(),
        provider,
        grants,
        narrower,
        severity,
        needed_by,
        needs_context,
    };
    Some(match kind {
        "gmail" => j(
            "Google",
            "full, permanent access to the mailbox, including deleting every message",
            "`gmail.readonly`, `gmail.send` or `gmail.modify`",
            Severity::Medium,
            &[],
            true,
        ),
        "graph" => j(
            "Microsoft Graph",
            "tenant-wide write (or full) access to every resource of that kind",
            "the delegated, non-`.All` permission (`Files.ReadWrite`, `Mail.Send`) or `Sites.Selected`",
            Severity::Medium,
            &[],
            false,
        ),
        "slack" => j(
            "Slack",
            "workspace administration",
            "the user or bot scopes the tools use (`chat:write`, `channels:history`)",
            if scope.contains(":write") {
                Severity::Medium
            } else {
                Severity::Low
            },
            &["admin", "workspace", "invite", "deactivate"],
            false,
        ),
        "atlassian" => j(
            "Atlassian",
            "administration of the Jira or Confluence site",
            "`read:jira-work` / `write:jira-work` or the granular scopes the tools use",
            if scope.ends_with("-configuration") {
                Severity::Medium
            } else {
                Severity::Low
            },
            &["configur", "admin", "webhook", "project setting", "workflow"],
            false,
        ),
        _ => {
            let (grants, narrower, needed_by): (&str, &str, &'static [&'static str]) = match scope
            {
                "admin:org" => (
                    "full control of the organisations, their members and teams",
                    "`read:org`, or a fine-grained token limited to the repositories used",
                    &["member", "team", "invite", "organization setting", "org setting"],
                ),
                "admin:enterprise" | "site_admin" => (
                    "administration of the whole enterprise or instance",
                    "a fine-grained token limited to the repositories used",
                    &["enterprise", "site admin"],
                ),
                "delete_repo" => (
                    "deleting any repository the user can administer",
                    "no deletion scope unless a tool deletes repositories",
                    &["delete_repo", "delete repo", "delete_repository", "delete repository"],
                ),
                "delete:packages" => (
                    "deleting packages from the registry",
                    "`read:packages`",
                    &["delete_package", "delete package"],
                ),
                "admin:repo_hook" | "admin:org_hook" => (
                    "creating and deleting webhooks, which can send every event elsewhere",
                    "`read:repo_hook` or no hook scope",
                    &["hook"],
                ),
                _ => (
                    "managing the user's keys, which lets the holder add its own",
                    "no key scope",
                    &["key"],
                ),
            };
            let severity = if scope == "repo" {
                Severity::Low
            } else {
                Severity::Medium
            };
            j(
                "GitHub",
                grants,
                narrower,
                severity,
                needed_by,
                scope == "delete_repo" || scope == "site_admin",
            )
        }
    })
}

fn github_repo() -> Judged {
    Judged {
        scope: "repo".into(),
        provider: "GitHub",
        grants: "read and write access to every private repository of the user and their organisations",
        narrower: "`public_repo` for public repositories, or a fine-grained token limited to the repositories used",
        severity: Severity::Low,
        needed_by: &[],
        needs_context: true,
    }
}

/// True when the text near `at` is about scopes or permissions: in prose this line or the three
/// above; in code this line, or the line that opens the list it is part of.
fn in_scope_context(text: &str, at: usize, markdown: bool) -> bool {
    let line = line_of(text, at);
    let about = |l: u32| {
        line_text(text, l, 400).map(|t| {
            let lower = t.to_ascii_lowercase();
            (
                lower.contains("scope") || (markdown && lower.contains("permission")),
                t,
            )
        })
    };
    if markdown {
        let from = line.saturating_sub(3).max(1);
        return (from..=line).any(|l| about(l).is_some_and(|(yes, _)| yes));
    }
    if about(line).is_some_and(|(yes, _)| yes) {
        return true;
    }
    line > 1
        && about(line - 1).is_some_and(|(yes, t)| {
            yes && t
                .trim_end_matches('…')
                .trim_end()
                .ends_with(['[', '(', '{', '=', ':', ','])
        })
}

/// Every over-broad scope written in `text`, with its offset.
fn scopes_in(text: &str, markdown: bool) -> Vec<(usize, Judged)> {
    let mut out = Vec::new();
    let each = |re: &LazyLock<Option<Regex>>, f: &mut dyn FnMut(usize, &str)| {
        if let Some(re) = re.as_ref() {
            for m in re.find_iter(text).take(1000) {
                f(m.start(), m.as_str());
            }
        }
    };
    each(&GOOGLE, &mut |at, s| {
        let name = s.rsplit('/').next().unwrap_or("");
        if let Some(j) = judge_google(name) {
            out.push((at, j));
        }
    });
    each(&GMAIL_FULL, &mut |at, s| {
        if let Some(j) = judge_text("gmail", s) {
            out.push((at, j));
        }
    });
    each(&GRAPH, &mut |at, s| {
        if let Some(j) = judge_text("graph", s) {
            out.push((at, j));
        }
    });
    each(&SLACK_ADMIN, &mut |at, s| {
        if let Some(j) = judge_text("slack", s) {
            out.push((at, j));
        }
    });
    each(&ATLASSIAN, &mut |at, s| {
        if let Some(j) = judge_text("atlassian", s) {
            out.push((at, j));
        }
    });
    // Written after `%20` or `+` in a URL, so the word boundary is not the scope's start.
    if let Some(re) = GITHUB_ADMIN.as_ref() {
        for c in re.captures_iter(text).take(1000) {
            if let Some(m) = c.get(1) {
                if let Some(j) = judge_text("github", m.as_str()) {
                    out.push((m.start(), j));
                }
            }
        }
    }
    each(&GITHUB_REPO, &mut |at, _| out.push((at, github_repo())));
    out.retain(|(at, j)| {
        let long_line = line_text(text, line_of(text, *at), 4000).is_some_and(|l| l.len() > 2000);
        let context_needed = j.needs_context || long_line;
        (!context_needed || in_scope_context(text, *at, markdown)) && !negated_before(text, *at)
    });
    out
}

/// Files where requested scopes are written: code, manifests, configuration and docs, not
/// tests or lockfiles.
fn searched(project: &Project) -> impl Iterator<Item = (&crate::ProjectFile, &str)> {
    project.text_files().filter(move |(f, text)| {
        let name = f.name().to_ascii_lowercase();
        f.surface != Surface::Test
            && text.len() <= MAX_BYTES
            && !name.ends_with(".lock")
            && !name.ends_with("-lock.json")
            && !name.ends_with("-lock.yaml")
            && !name.ends_with(".map")
            && !project
                .inventory
                .vendored
                .iter()
                .any(|v| f.path.starts_with(v.as_str()))
    })
}

impl Rule for OverBroadTokenScope {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let tool_texts: Vec<(String, String)> = project
            .code_analysis()
            .tools
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    format!(
                        "{} {}",
                        t.name.to_ascii_lowercase(),
                        t.description.as_deref().unwrap_or("").to_ascii_lowercase()
                    ),
                )
            })
            .collect();
        let mut seen = BTreeSet::new();
        for (file, text) in searched(project) {
            let markdown = matches!(file.language, crate::Language::Markdown);
            for (at, judged) in scopes_in(text, markdown) {
                if !seen.insert((file.path.clone(), judged.scope.clone())) {
                    continue;
                }
                let user = tool_texts.iter().find(|(_, t)| {
                    judged
                        .needed_by
                        .iter()
                        .any(|w| t.contains(&w.to_ascii_lowercase()))
                });
                let (severity, used) = match user {
                    Some((name, _)) => (
                        Severity::Low,
                        format!("; tool `{name}` appears to need it, so keep it to that tool's own token if you can"),
                    ),
                    None => (judged.severity, String::new()),
                };
                let line = line_of(text, at);
                let mut draft = Draft::new(format!(
                    "{} scope `{}` is requested: it grants {}{used}",
                    judged.provider, judged.scope, judged.grants
                ))
                .at(&file.path, Some(line))
                .evidence(line_text(text, line, 160).unwrap_or_else(|| judged.scope.clone()))
                .severity(severity)
                .key(judged.scope.clone())
                .fix(format!(
                    "request the narrowest scope the tools use: {}",
                    judged.narrower
                ));
                // A README that tells users which scopes to grant speaks for the package.
                if markdown {
                    draft = draft.about_package();
                }
                out.report(draft);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, markdown: bool) -> Vec<String> {
        scopes_in(text, markdown)
            .into_iter()
            .map(|(_, j)| j.scope)
            .collect()
    }

    #[test]
    fn provider_grammars_are_recognised() {
        assert_eq!(
            found(
                r#"SCOPES = ["https://www.googleapis.com/auth/drive"]"#,
                false
            ),
            vec!["https://www.googleapis.com/auth/drive"]
        );
        assert!(found(r#"["https://www.googleapis.com/auth/drive.file"]"#, false).is_empty());
        assert_eq!(
            found(r#"scopes: ["Files.ReadWrite.All"]"#, false),
            vec!["Files.ReadWrite.All"]
        );
        assert!(found(r#"scopes: ["Files.ReadWrite", "User.Read"]"#, false).is_empty());
        assert_eq!(
            found("scope: 'admin.users:write'", false),
            vec!["admin.users:write"]
        );
        assert_eq!(
            found("scope=read:user%20admin:org", false),
            vec!["admin:org"]
        );
        assert_eq!(
            found("scope: 'manage:jira-configuration'", false),
            vec!["manage:jira-configuration"]
        );
    }

    #[test]
    fn bare_words_need_a_scope_context() {
        assert!(found("def delete_repo(owner, name):", false).is_empty());
        assert_eq!(
            found("scopes: delete_repo, read:org", false),
            vec!["delete_repo"]
        );
        assert!(found(r#"const kind = "repo";"#, false).is_empty());
        assert_eq!(found("Select the `repo` scope.", true), vec!["repo"]);
        assert_eq!(
            found(
                "https://github.com/login/oauth/authorize?scope=repo&client_id=x",
                false
            ),
            vec!["repo"]
        );
        assert!(found("scope=public_repo", false).is_empty());
        assert!(found("scope=repo:status", false).is_empty());
    }

    #[test]
    fn rejected_scopes_are_not_requests() {
        assert!(found("This server does not need `admin:org`.", true).is_empty());
        assert!(found(
            "Use drive.file instead of https://www.googleapis.com/auth/drive here",
            false
        )
        .is_empty());
    }
}
