use crate::project::{line_of, line_text};
use crate::{declare_rule, Draft, Findings, Language, Project, Rule, RuleMeta};
use regex::{Regex, RegexBuilder};
use skillaudit_core::{Severity, Surface};
use skillaudit_lang::SinkKind;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A file-system server whose root — the folder its file tools are confined to — defaults
    /// to the whole disk (`/`, `C:\`), the user's home folder (`os.homedir()`, `Path.home()`,
    /// `~`, `$HOME`) or a list holding one of them. MEDIUM when nothing can narrow it (the value
    /// is a constant); LOW when it is only the fallback of an environment variable, a command-
    /// line option or a setting the user can set. Only servers with file tools are checked.
    ///
    /// ## Why it matters
    /// The root is the blast radius of every file tool. A home-folder root puts `~/.ssh`,
    /// cloud credentials, browser profiles and every other client's configuration one tool
    /// call away from a prompt injection; a root of `/` adds the rest of the machine. Users
    /// rarely change a default that works.
    ///
    /// ## Vulnerable example
    /// ```js
    /// const ALLOWED_ROOT = os.homedir();
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const roots = process.argv.slice(2);          // the user names the folders
    /// if (roots.length === 0) throw new Error("give at least one folder to serve");
    /// ```
    ///
    /// ## References
    /// - https://modelcontextprotocol.io/docs/concepts/roots
    /// - https://cwe.mitre.org/data/definitions/732.html
    pub struct BroadDefaultRoot {
        code: "PERM-002",
        name: "broad-default-root",
        axis: Permissions,
        severity: Medium,
        cwe: Some("CWE-732"),
    }
}

/// `ROOT = <broad>`, `allowed_dirs: [<broad>]`, `root: str = Field(default=<broad>)`.
static ASSIGNMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let name = r#"["']?[A-Za-z_$]*(?:root|Root|ROOT|allowed|Allowed|ALLOWED|workspace|Workspace|WORKSPACE|sandbox|Sandbox|SANDBOX|(?:base|Base|BASE|work|Work|WORK|start|Start|START|default|Default|DEFAULT)_?(?:dir|Dir|DIR|path|Path|PATH|folder|Folder|FOLDER|directory|Directory|DIRECTORY))[A-Za-z_$0-9]*["']?"#;
    let broad = r#"(?:"/"|'/'|`/`|"~"|'~'|"~/"|'~/'|"[A-Za-z]:(?:\\\\|/)"|'[A-Za-z]:(?:\\\\|/)'|(?:[\w$.]+\.)?homedir\(\)|\(0,\s*[\w$.]+\.homedir\)\(\)|(?:pathlib\.)?Path\.home\(\)|Path\(\s*["']/["']\s*\)|os\.path\.expanduser\(\s*["']~["']\s*\)|process\.env\.(?:HOME|USERPROFILE)\b|os\.environ\[\s*["']HOME["']\s*\]|os\.(?:getenv|environ\.get)\(\s*["']HOME["']\s*\))"#;
    RegexBuilder::new(&format!(
        r#"\b{name}\s*(?::\s*[\w\[\]. |]+?\s*)?(?:=|:|\?\?=|\|\|=)\s*(?P<value>[^;\n]{{0,120}}?)(?P<broad>{broad})\s*(?:[;,)\]}}]|$)"#
    ))
    .multi_line(true)
    .build()
    .ok()
});

/// True when the text before the broad value leaves it a whole value (not an argument of
/// `path.join(…)` that narrows it): nothing, a fallback operator, a list or a default.
fn whole_value(before: &str) -> bool {
    let t = before.trim_end();
    t.is_empty()
        || ["||", "??", " or", "[", "default=", "default:", "default ="]
            .iter()
            .any(|w| t.ends_with(w))
        || (t.ends_with(',') && (t.contains(".get(") || t.contains("getenv(")))
}

/// Text before the broad value that shows it is only a fallback the user can override.
fn restrictable(before: &str) -> bool {
    [
        "||", "??", " or ", ".get(", "getenv(", "argv", "default=", "default:", "options.", "opts.",
    ]
    .iter()
    .any(|w| before.contains(w))
}

/// True when the server has tools that touch files.
fn has_file_tools(project: &Project) -> bool {
    let analysis = project.code_analysis();
    analysis.flows.iter().any(|f| {
        f.origin.tool.is_some()
            && matches!(
                f.kind,
                SinkKind::FileAccess | SinkKind::FileWrite | SinkKind::FileDelete
            )
    }) || analysis.tools.iter().any(|t| {
        let text = format!(
            "{} {}",
            t.name,
            t.description.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase();
        ["file", "director", "folder"]
            .iter()
            .any(|w| text.contains(w))
    })
}

/// The broad value, named for the message.
fn what(broad: &str) -> &'static str {
    if broad.contains("home")
        || broad.contains("HOME")
        || broad.contains('~')
        || broad.contains("USERPROFILE")
    {
        "the user's home folder"
    } else if broad.contains(':') {
        "a whole drive"
    } else {
        "the whole file system (`/`)"
    }
}

impl Rule for BroadDefaultRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(re) = ASSIGNMENT.as_ref() else {
            return;
        };
        if !has_file_tools(project) {
            return;
        }
        for (file, text) in project.text_files() {
            if !matches!(
                file.language,
                Language::JavaScript | Language::TypeScript | Language::Python
            ) || !matches!(file.surface, Surface::Runtime | Surface::Script)
            {
                continue;
            }
            for caps in re.captures_iter(text).take(50) {
                let (Some(all), Some(value), Some(broad)) = (caps.get(0), caps.get(1), caps.get(2))
                else {
                    continue;
                };
                let line = line_of(text, all.start());
                let evidence = line_text(text, line, 160).unwrap_or_default();
                // Comments are not code.
                if evidence.starts_with("//")
                    || evidence.starts_with('#')
                    || evidence.starts_with('*')
                {
                    continue;
                }
                let before = value.as_str();
                if !whole_value(before) {
                    continue;
                }
                let (severity, how) = if restrictable(before) {
                    (Severity::Low, "when the user does not set one")
                } else {
                    (
                        Severity::Medium,
                        "and nothing in the code lets the user narrow it",
                    )
                };
                let draft = Draft::new(format!(
                    "the file tools' root defaults to {} {how}",
                    what(broad.as_str())
                ))
                .at(&file.path, Some(line))
                .evidence(evidence)
                .severity(severity)
                .fix("make the user name the folders to serve (arguments, MCP roots) and refuse to start without one; never default to `/` or the home folder");
                out.report(draft);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str) -> Vec<(String, bool)> {
        ASSIGNMENT
            .as_ref()
            .map(|re| {
                re.captures_iter(text)
                    .filter(|c| c.get(1).is_some_and(|v| whole_value(v.as_str())))
                    .filter_map(|c| {
                        Some((
                            c.get(2)?.as_str().to_string(),
                            restrictable(c.get(1)?.as_str()),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn broad_roots_are_recognised() {
        assert_eq!(
            hits("const ALLOWED_ROOT = os.homedir();"),
            vec![("os.homedir()".into(), false)]
        );
        assert_eq!(
            hits("root_dir = Path.home()\n"),
            vec![("Path.home()".into(), false)]
        );
        assert_eq!(
            hits(r#"allowedDirectories: ["/"],"#),
            vec![(r#""/""#.into(), false)]
        );
        assert_eq!(
            hits(r#"ROOT = os.environ.get("FS_ROOT", os.path.expanduser("~"))"#),
            vec![(r#"os.path.expanduser("~")"#.into(), true)]
        );
        assert_eq!(
            hits("const baseDir = process.env.BASE || '/';"),
            vec![("'/'".into(), true)]
        );
    }

    #[test]
    fn narrower_values_are_not_broad() {
        assert!(hits("const ROOT = path.join(os.homedir(), 'notes');").is_empty());
        assert!(hits(r#"root = "/srv/data""#).is_empty());
        assert!(hits("const home = os.homedir();").is_empty());
    }
}
