use super::{declared_annotations, effects, tool_sites};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use regex::{Regex, RegexBuilder};
use skillaudit_core::Severity;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A tool that does something that cannot be undone — deletes, drops, truncates, wipes,
    /// force-pushes, pays, transfers or refunds money, sends a message on the user's behalf —
    /// with none of the three safeguards MCP offers: a `destructiveHint: true` annotation (so
    /// clients ask the user first), a confirmation or dry-run parameter (`confirm`, `dry_run`,
    /// `preview`), or a confirmation request to the user (elicitation), and no operator switch
    /// (`allow_write`, `read_only`) guarding it. What a tool does is read from what its handler
    /// reaches (a file deletion) and from its name and description. MEDIUM for deletion,
    /// force-push and payments; LOW for sending, removing and stopping.
    ///
    /// ## Why it matters
    /// A model calls tools on the strength of text it read, and a prompt injection in that text
    /// can ask for any call. Clients decide when to ask the user from the tool's annotations:
    /// a destructive tool that does not say so runs without a prompt in clients that auto-approve
    /// read-only-looking tools, and nothing stands between an injected "delete the repository"
    /// and the deletion.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.registerTool("delete_branch", { description: "Delete a branch",
    ///   inputSchema: { name: z.string() } }, async ({ name }) => git.deleteBranch(name));
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// server.registerTool("delete_branch", { description: "Delete a branch",
    ///   inputSchema: { name: z.string() },
    ///   annotations: { destructiveHint: true, idempotentHint: true } },
    ///   async ({ name }) => git.deleteBranch(name));
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-annotations
    /// - https://modelcontextprotocol.io/specification/2025-06-18/client/elicitation
    /// - https://cwe.mitre.org/data/definitions/749.html
    pub struct DestructiveToolWithoutSafeguard {
        code: "PERM-004",
        name: "destructive-tool-without-safeguard",
        axis: Permissions,
        severity: Medium,
        cwe: Some("CWE-749"),
    }
}

fn rx(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
}

/// A parameter, elicitation or operator switch that makes the user (or operator) decide.
static SAFEGUARD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    rx(
        r#"\bdestructiveHint\b|\bdestructive_hint\b|["'\s{,(]_?(confirm|confirmed|confirmation|dry_?run|dry-run|preview|force)["']?\s*[:=?]|\.(confirm|confirmed|dry_?run|preview)\b|\belicit\w*\s*\(|\ballow_?(write|writes|delete|deletes|destructive|dangerous|mutations?)\b|\bread_?only(_?mode)?\b|\bdisable_?(write|delete|destructive)"#,
    )
});

/// Words of a tool name (`deleteBranch`, `delete-branch`, `delete_branch` → delete, branch).
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

const IRREVERSIBLE: &[&str] = &[
    "delete", "drop", "destroy", "purge", "wipe", "truncate", "erase", "rm", "rmdir",
];
const MONEY: &[&str] = &["pay", "transfer", "refund", "payout", "withdraw", "charge"];
const MONEY_OBJECT: &[&str] = &[
    "money", "funds", "fund", "payment", "payments", "usd", "eth", "sol", "token", "tokens",
    "crypto", "invoice", "amount", "balance", "wallet",
];
/// Actions that remove or stop something that can usually be put back (a link, a member, a
/// job): LOW. `unlink` here is the verb of links between records; a file deletion is seen in
/// the handler instead.
const SOFT: &[&str] = &[
    "remove",
    "terminate",
    "kill",
    "revoke",
    "cancel",
    "archive",
    "reset",
    "unlink",
];
const SEND_OBJECT: &[&str] = &[
    "email",
    "mail",
    "message",
    "messages",
    "sms",
    "tweet",
    "dm",
    "notification",
    "text",
];

/// True when a tool's name says it deletes, force-pushes or moves money.
pub fn irreversible_by_name(name: &str, description: &str) -> bool {
    by_name(name, description).is_some_and(|(_, severity)| severity == Severity::Medium)
}

/// What a tool's name says it does that cannot be undone, and how bad that is.
fn by_name(name: &str, description: &str) -> Option<(&'static str, Severity)> {
    let words = name_words(name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let desc = description.to_ascii_lowercase();
    if words
        .first()
        .is_some_and(|w| IRREVERSIBLE.contains(&w.as_str()))
        || (has(IRREVERSIBLE) && !has(&["list", "get", "show", "check", "can", "is"]))
    {
        return Some(("deletes", Severity::Medium));
    }
    if has(&["force"]) && has(&["push"]) {
        return Some(("force-pushes", Severity::Medium));
    }
    if words.first().is_some_and(|w| MONEY.contains(&w.as_str()))
        && (has(MONEY_OBJECT) || MONEY_OBJECT.iter().any(|w| desc.contains(w)))
    {
        return Some(("moves money", Severity::Medium));
    }
    if words.first().is_some_and(|w| w == "send") && has(MONEY_OBJECT) {
        return Some(("moves money", Severity::Medium));
    }
    if words.first().is_some_and(|w| w == "send") && has(SEND_OBJECT) {
        return Some(("sends messages on the user's behalf", Severity::Low));
    }
    if has(SOFT) && !has(&["list", "get", "show", "check", "can", "is"]) {
        return Some(("removes or stops something", Severity::Low));
    }
    None
}

impl Rule for DestructiveToolWithoutSafeguard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let effects = effects(project);
        let mut seen = std::collections::BTreeSet::new();
        for site in tool_sites(project) {
            if !seen.insert(site.name.clone()) {
                continue;
            }
            let derived = effects
                .get(&site.name)
                .and_then(|e| e.deletes_files.as_ref())
                .map(|p| {
                    (
                        format!(
                            "its handler deletes files (`{}` at {}:{})",
                            p.api, p.file, p.line
                        ),
                        Severity::Medium,
                    )
                });
            let named = by_name(&site.name, &site.description)
                .map(|(what, sev)| (format!("its name says it {what}"), sev));
            let Some((why, severity)) = derived.or(named) else {
                continue;
            };
            let (declared, _) = declared_annotations(site.text);
            if declared.destructive.is_some()
                || SAFEGUARD.as_ref().is_some_and(|re| site.mentions(re))
            {
                continue;
            }
            let draft = Draft::new(format!(
                "tool `{}` cannot be undone — {why} — yet it has no `destructiveHint: true`, no confirmation or dry-run parameter and asks no one",
                site.name
            ))
            .at(&site.file, Some(site.line))
            .evidence(format!("tool {}", site.name))
            .severity(severity)
            .fix("annotate the tool with `destructiveHint: true` (clients then ask the user), and for deletions and payments add a `confirm` or `dry_run` parameter or ask the user through elicitation");
            let mut draft = draft;
            draft.tool = Some(site.name.clone());
            out.report(draft);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_into_words() {
        assert_eq!(name_words("deleteBranch"), vec!["delete", "branch"]);
        assert_eq!(name_words("force-push_ref"), vec!["force", "push", "ref"]);
        assert_eq!(name_words("HTTPGet"), vec!["httpget"]);
    }

    #[test]
    fn destructive_names() {
        assert!(by_name("delete_file", "").is_some());
        assert!(by_name("list_deleted_items", "").is_none());
        assert!(by_name("git_force_push", "").is_some());
        assert_eq!(
            by_name("transfer_funds", "").map(|x| x.1),
            Some(Severity::Medium)
        );
        assert!(by_name("transfer_issue", "Move an issue to another repo").is_none());
        assert_eq!(by_name("send_email", "").map(|x| x.1), Some(Severity::Low));
        assert!(by_name("read_file", "").is_none());
        assert_eq!(
            by_name("jira_unlinkIssues", "").map(|x| x.1),
            Some(Severity::Low)
        );
        assert!(by_name("get_current_time", "").is_none());
    }
}
