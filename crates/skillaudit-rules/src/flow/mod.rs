//! Toxic flows: what a server's tools can do together. Each tool's capabilities are read from
//! its name and description and from the sinks its handler reaches; a server whose tools
//! combine untrusted input with private data and an outbound channel (or with running
//! commands) lets one injected instruction chain them.

pub mod toxic_tool_combination;

use crate::Project;
use regex::{Regex, RegexBuilder};
use skillaudit_lang::SinkKind;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What a tool can do, as far as its metadata and code show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Takes in content others control: web pages, e-mail, issues, messages.
    pub untrusted_input: bool,
    /// Reads the user's private data: files, databases, mail, documents.
    pub private_data: bool,
    /// Sends or publishes data outside: messages, posts, uploads, outbound requests.
    pub outbound: bool,
    /// Runs commands or code.
    pub executes: bool,
}

/// One tool and where it is declared.
#[derive(Debug, Clone)]
pub struct ToolCapabilities {
    pub name: String,
    pub file: String,
    pub line: Option<u32>,
    pub caps: Capabilities,
}

fn re(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
}

static UNTRUSTED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(fetch(es|ing)?|scrap(e|es|ing)|crawl(s|ing)?)\b|\b(brows(e|es|ing)|download(s|ing)?)\b[^.\n]{0,30}\b(web|internet|urls?|links?|sites?|pages?)\b|\bweb ?(pages?|sites?|content|search)\b|\b(any|a given|the given) urls?\b|\bsearch(es)? the (web|internet)\b|\b(read|get|list|search|fetch)\w*\b[^.\n]{0,30}\b(e-?mails?|inbox|messages|issues|comments|pull requests|tickets|posts|tweets|channels?|chats?|feeds?|rss|reviews)\b",
    )
});
static PRIVATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(read|get|list|search|query|open|view|retrieve)\w*\b[^.\n]{0,30}\b(files?|director(y|ies)|folders?|documents?|notes?|database|tables?|records?|e-?mails?|inbox|calendar|contacts|repositor(y|ies)|private|secrets?|credentials|drive|history|customers?|accounts?)\b",
    )
});
static OUTBOUND: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(send|sends|sending|post|posts|posting|publish\w*|upload\w*|share|shares|forward\w*|reply|replies|tweet\w*|notify|notifies)\b|\b(create|add|write|open)\w*\b[^.\n]{0,20}\b(issues?|comments?|pull requests?|posts?|messages?|pages?|gists?|tickets?|e-?mails?|reviews?)\b|\bwebhooks?\b",
    )
});
static EXECUTES: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(execute[sd]?|executing|run|runs|running)\s+(a\s+|the\s+|an\s+|arbitrary\s+|any\s+)?(shell|system|terminal|python|bash|powershell|os|javascript|node)?\s*(commands?|scripts?|code|programs?)\b|\bshell commands?\b|\b(in|on) (a|the) terminal\b",
    )
});

fn matches(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// What a tool says it does: the first two sentences of its description's first paragraph,
/// across the soft line breaks of a wrapped docstring (a list or a blank line ends it). Later
/// text lists options, settings and neighbouring tools ("prefer this over a web search",
/// "config fields: blockedCommands (shell commands)"), not the tool's own work.
pub fn summary(description: &str) -> &str {
    let text = description.trim_start();
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim();
        let list_item = body.starts_with(['-', '*', '•', '#', '|'])
            || body
                .split_once(['.', ')'])
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if end > 0 && (body.is_empty() || list_item) {
            break;
        }
        let stop = body.ends_with(':');
        end += line.len();
        if stop || end >= MAX_SUMMARY {
            break;
        }
    }
    let first = &text[..end.min(text.len())];
    let cut = first
        .match_indices(['.', '!', '?'])
        .filter(|(i, _)| {
            first[i + 1..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        })
        .nth(SUMMARY_SENTENCES - 1)
        .map_or(first.len(), |(i, _)| i + 1)
        .min(MAX_SUMMARY);
    let mut cut = cut.min(first.len());
    while !first.is_char_boundary(cut) {
        cut -= 1;
    }
    first[..cut].trim_end()
}

/// How many sentences a summary holds.
const SUMMARY_SENTENCES: usize = 2;

/// The longest summary read (bytes).
const MAX_SUMMARY: usize = 400;

/// Capabilities read from a tool's name and what its description says it does ([`summary`]).
pub fn from_text(name: &str, description: &str) -> Capabilities {
    let text = format!(
        "{}. {}",
        name.replace(['_', '-', '.'], " "),
        summary(description)
    );
    Capabilities {
        untrusted_input: matches(&UNTRUSTED, &text),
        private_data: matches(&PRIVATE, &text),
        outbound: matches(&OUTBOUND, &text),
        executes: matches(&EXECUTES, &text),
    }
}

/// Every tool of the project with its capabilities: metadata from the code's registrations and
/// from `tools/list` files, plus the sinks each tool's handler reaches.
pub fn tool_capabilities(project: &Project) -> Vec<ToolCapabilities> {
    let mut tools: BTreeMap<String, ToolCapabilities> = BTreeMap::new();
    for scanned in crate::injection::scanned_texts(project) {
        let t = &scanned.text;
        let Some(name) = &t.tool else { continue };
        // Tools only: a tool's name and description (prompts, resources and skills have
        // fields of their own).
        let c = match t.field.as_str() {
            "description" => from_text(name, &t.text),
            "name" => from_text(name, ""),
            _ => continue,
        };
        let entry = tools
            .entry(name.clone())
            .or_insert_with(|| ToolCapabilities {
                name: name.clone(),
                file: t.file.clone(),
                line: t.line,
                caps: Capabilities::default(),
            });
        entry.caps.untrusted_input |= c.untrusted_input;
        entry.caps.private_data |= c.private_data;
        entry.caps.outbound |= c.outbound;
        entry.caps.executes |= c.executes;
    }
    for f in &project.code_analysis().flows {
        let Some(tool) = &f.origin.tool else { continue };
        let Some(entry) = tools.get_mut(tool) else {
            continue;
        };
        match f.kind {
            // The model's text as a shell line, a program or code. (An argument of a fixed
            // program is not running commands: the option injection it allows is CMD-002's.)
            SinkKind::Shell | SinkKind::Program | SinkKind::Eval => {
                entry.caps.executes = true;
            }
            SinkKind::FileAccess | SinkKind::Sql => entry.caps.private_data = true,
            // An outbound request says nothing of what comes back: the text decides that.
            _ => {}
        }
    }
    tools.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_from_common_tool_metadata() {
        let c = from_text(
            "fetch",
            "Fetches a URL from the internet and extracts its contents as markdown.",
        );
        assert!(c.untrusted_input && !c.private_data && !c.outbound && !c.executes);
        let c = from_text(
            "read_file",
            "Read the complete contents of a file from the file system.",
        );
        assert!(c.private_data && !c.untrusted_input && !c.outbound);
        let c = from_text("add_issue_comment", "Add a comment to an existing issue");
        assert!(c.outbound, "a public comment is an outbound channel: {c:?}");
        let c = from_text("create_issue", "Create a new issue in a GitHub repository");
        assert!(c.outbound);
        let c = from_text(
            "list_issues",
            "List issues in a GitHub repository with filtering options",
        );
        assert!(c.untrusted_input);
        let c = from_text("run_command", "Run a shell command in the workspace");
        assert!(c.executes);
        let c = from_text(
            "get_current_time",
            "Get current time in a specific timezone",
        );
        assert_eq!(c, Capabilities::default());
    }

    #[test]
    fn roles_come_from_what_the_tool_does() {
        // Settings listed after the summary are not the tool's work.
        let c = from_text(
            "get_config",
            "Get the complete server configuration as JSON. Config includes fields for:\n- blockedCommands (array of blocked shell commands)\n- defaultShell (shell to use for commands)",
        );
        assert!(!c.executes, "{c:?}");
        // A folder named Downloads, a download over SFTP from the user's own host.
        let c = from_text(
            "get_prompts",
            "Retrieve an onboarding prompt by ID.\n1. Organize my Downloads folder",
        );
        assert!(!c.untrusted_input, "{c:?}");
        let c = from_text(
            "sftp_download",
            "Download a file from the remote host over SFTP.",
        );
        assert!(!c.untrusted_input, "{c:?}");
        // A neighbouring capability mentioned as advice.
        let c = from_text(
            "find_symbol",
            "Finds symbols in the code index. Results can be edited. Depth is optional. Prefer this over a web search for code questions.",
        );
        assert!(!c.untrusted_input, "{c:?}");
        // A wrapped docstring's first sentence is read whole.
        let c = from_text(
            "get",
            "Downloads the page at a given\n    URL and returns its text. Options: none.",
        );
        assert!(c.untrusted_input, "{c:?}");
        assert_eq!(summary("  One. Two. Three."), "One. Two.");
        assert_eq!(summary("Reads v1.2 files.\n- option"), "Reads v1.2 files.");
    }
}
