//! Agent skills: a folder with a `SKILL.md` (YAML front matter, then instructions) and the
//! scripts and files it bundles. The instructions go through the tool-poisoning techniques
//! like any text a model reads; the scripts — and the code blocks of the instructions, which
//! the agent is told to run — go through the behaviour patterns here.

pub mod agent_control_tampering;
pub mod binary_payload;
pub mod cryptominer;
pub mod invalid_front_matter;
pub mod persistence_or_tampering;
pub mod remote_code_execution;
pub mod secret_exfiltration;
pub mod typosquatted_package;
pub mod unofficial_package_source;
pub mod unrestricted_shell_access;

use crate::project::line_of;
use crate::{Draft, Findings, Project, ProjectFile};
use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// One skill of the project: its `SKILL.md` and the folder it governs.
pub struct Skill<'p> {
    pub manifest: &'p ProjectFile,
    pub text: &'p str,
    /// The folder (`""` at the root), with a trailing `/` when not empty.
    pub dir: String,
}

/// Every skill in the project (each `SKILL.md`, any case), except those under test, fixture,
/// example and benchmark folders (`tests/`, `fixtures/`, `__tests__/`, `examples/`…): a
/// skill kept there to test or show something is not one the package installs.
pub fn skills(project: &Project) -> Vec<Skill<'_>> {
    let mut out = Vec::new();
    for (file, text) in project.text_files() {
        if file.name().eq_ignore_ascii_case("SKILL.md") && is_runtime_skill(file) {
            let dir = match file.path.rsplit_once('/') {
                Some((d, _)) => format!("{d}/"),
                None => String::new(),
            };
            out.push(Skill {
                manifest: file,
                text,
                dir,
            });
        }
    }
    out
}

/// Whether a `SKILL.md` is one the package ships as a skill (not a test fixture or example).
pub fn is_runtime_skill(file: &ProjectFile) -> bool {
    !matches!(
        file.surface,
        skillaudit_core::Surface::Test
            | skillaudit_core::Surface::Example
            | skillaudit_core::Surface::Benchmark
    )
}

/// The front matter of a `SKILL.md`: `Ok(None)` when there is none, `Err` with the parser's
/// message when it is not valid YAML or not a mapping.
pub fn front_matter(text: &str) -> Result<Option<serde_json::Value>, String> {
    let body = text.trim_start_matches('\u{feff}');
    let Some(rest) = body
        .strip_prefix("---\n")
        .or_else(|| body.strip_prefix("---\r\n"))
    else {
        return Ok(None);
    };
    let Some(end) = rest.find("\n---") else {
        return Err("the front matter has no closing `---`".into());
    };
    let yaml = &rest[..end];
    if yaml.len() > 64 * 1024 {
        return Err("the front matter is larger than 64 KiB".into());
    }
    match serde_saphyr::from_str::<serde_json::Value>(yaml) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(Some(v)),
        Ok(_) => Err("the front matter is not a mapping of keys to values".into()),
        Err(e) => Err(e
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid YAML")
            .to_string()),
    }
}

/// Files a skill runs or tells the agent to run: the `SKILL.md` itself (its code blocks) and
/// every script or text file in the skill's folder (its tests, fixtures and examples aside).
pub fn skill_code<'p>(project: &'p Project, skill: &Skill<'_>) -> Vec<(&'p ProjectFile, &'p str)> {
    project
        .text_files()
        .filter(|(f, _)| f.path.starts_with(&skill.dir) && is_runtime_skill(f))
        .filter(|(f, _)| {
            let name = f.name().to_ascii_lowercase();
            name == "skill.md"
                || [
                    ".sh", ".bash", ".zsh", ".py", ".js", ".mjs", ".cjs", ".ts", ".ps1", ".rb",
                    ".pl", ".bat", ".cmd",
                ]
                .iter()
                .any(|e| name.ends_with(e))
        })
        .collect()
}

/// The units of code of a skill file, each with its byte offset in the file: the fenced blocks
/// of a Markdown file (each block is one program or session the agent is told to run), or the
/// whole of a script. Steps that belong together — a payload decoded into a variable, then the
/// variable run — are judged within one unit.
pub(crate) fn code_units<'t>(path: &str, text: &'t str) -> Vec<(usize, &'t str)> {
    if !path.to_ascii_lowercase().ends_with(".md") {
        return vec![(0, text)];
    }
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (open, fence) {
            (None, Some(f)) => open = Some((offset + line.len(), f)),
            (Some((start, f)), Some(g)) if f == g && trimmed.trim_end() == f => {
                out.push((start, &text[start..offset]));
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    // An unclosed block runs to the end of the file.
    if let Some((start, _)) = open {
        out.push((start, &text[start..]));
    }
    out
}

/// The JavaScript and Python programs among the fenced blocks of a Markdown text, by the
/// language the fence names (```` ```js ````, ```` ```python ````): the 0-based line of each
/// block's first line, the extension its language takes, and its code. Blocks in other languages
/// (shell, JSON, output) and blocks naming none are left out.
pub(crate) fn fenced_programs(text: &str) -> Vec<(usize, &'static str, &str)> {
    let mut out = Vec::new();
    // (fence, language extension, byte offset and line of the block's first line)
    let mut open: Option<(&str, Option<&'static str>, usize, usize)> = None;
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (open, fence) {
            (None, Some(f)) => {
                let info = trimmed.trim_start_matches(f.chars().next().unwrap_or('`'));
                let lang = info
                    .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let ext = match lang.as_str() {
                    "js" | "javascript" | "node" | "nodejs" | "mjs" | "cjs" | "jsx" => Some("js"),
                    "ts" | "typescript" | "tsx" => Some("ts"),
                    "py" | "python" | "python3" | "py3" => Some("py"),
                    _ => None,
                };
                open = Some((f, ext, offset + line.len(), n + 1));
            }
            (Some((f, ext, start, first)), Some(g)) if f == g && trimmed.trim_end() == f => {
                if let Some(ext) = ext {
                    out.push((first, ext, &text[start..offset]));
                }
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((_, Some(ext), start, first)) = open {
        out.push((first, ext, &text[start..]));
    }
    out
}

/// Words that, earlier in the same sentence of prose, turn a command into a warning about it
/// ("Never pipe a download into a shell (`curl … | sh`)", "do not run `rm -rf ~`").
const WARNING_WORDS: &[&str] = &[
    "not",
    "never",
    "don't",
    "dont",
    "avoid",
    "instead",
    "rather",
    "cannot",
    "can't",
    "won't",
    "shouldn't",
    "mustn't",
    "unsafe",
    "dangerous",
    "insecure",
    "forbidden",
    "prohibited",
];

/// The prose of one skill file, for judging matches in it: the code units (fenced blocks) are
/// found once per file, not once per match.
pub(crate) struct Prose<'t> {
    text: &'t str,
    /// Byte ranges of code (fenced blocks); `None` for a file that is all code (a script).
    code: Option<Vec<std::ops::Range<usize>>>,
}

impl<'t> Prose<'t> {
    pub(crate) fn new(path: &str, text: &'t str) -> Self {
        let code = path.to_ascii_lowercase().ends_with(".md").then(|| {
            code_units(path, text)
                .into_iter()
                .map(|(start, unit)| start..start + unit.len())
                .collect()
        });
        Self { text, code }
    }

    /// Whether the match at `at` is prose (outside fenced code) that warns against what it
    /// shows: a negation or a warning word earlier in its sentence. Code blocks and scripts are
    /// what the agent runs, and are never read this way.
    pub(crate) fn warned_against(&self, at: usize) -> bool {
        let Some(code) = &self.code else {
            return false;
        };
        if code.iter().any(|r| r.contains(&at)) {
            return false;
        }
        // The sentence before the match, at most a few hundred bytes of it.
        let mut from = at.saturating_sub(400);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let before = self.text.get(from..at).unwrap_or_default();
        let words = crate::injection::features::words_before(before, 12);
        words.iter().enumerate().any(|(i, w)| {
            WARNING_WORDS.contains(&w.as_str())
                // "Don't forget to run …", "never hesitate to …" urge the command on.
                && !words
                    .get(i + 1)
                    .is_some_and(|next| URGING.contains(&next.as_str()))
        })
    }
}

/// Words after a negation that make it an urging, not a warning.
const URGING: &[&str] = &[
    "forget", "worry", "hesitate", "skip", "wait", "miss", "fail", "ask", "need", "bother",
];

pub(crate) fn re(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 22)
        .build()
        .ok()
}

/// A behaviour: name for the message, and the pattern that shows it.
pub(crate) struct Behaviour {
    pub what: &'static str,
    pub re: LazyLock<Option<Regex>>,
}

/// Report one finding at byte `at` of a skill file: "skill file `name` {what}".
pub(crate) fn report_at(
    out: &mut Findings,
    file: &ProjectFile,
    text: &str,
    at: usize,
    what: &str,
    fix: &str,
) {
    let line = line_of(text, at);
    let mut draft = Draft::new(format!("skill file `{}` {what}", file.name()))
        .at(&file.path, Some(line))
        .evidence(crate::project::line_text(text, line, 160).unwrap_or_default())
        .fix(fix);
    draft.surface = Some(skillaudit_core::Surface::Runtime);
    out.report(draft);
}

/// Report the first match of each behaviour in each file of each skill.
pub(crate) fn report_behaviours(
    project: &Project,
    out: &mut Findings,
    behaviours: &[&Behaviour],
    fix: &str,
) {
    for skill in skills(project) {
        for (file, text) in skill_code(project, &skill) {
            let prose = Prose::new(&file.path, text);
            for b in behaviours {
                // A vendor's documented installer piped into a shell is how that tool is
                // installed (`curl https://sh.rustup.rs | sh`), not someone else's code.
                let Some(m) = b.re.as_ref().and_then(|r| {
                    r.find_iter(text).find(|m| {
                        !prose.warned_against(m.start())
                            && !skillaudit_lang::behaviour::vendor_installer(
                                skillaudit_lang::behaviour::line_around(text, m.start()),
                            )
                    })
                }) else {
                    continue;
                };
                let line = line_of(text, m.start());
                let mut draft = Draft::new(format!("skill file `{}` {}", file.name(), b.what))
                    .at(&file.path, Some(line))
                    .evidence(crate::project::line_text(text, line, 160).unwrap_or_default())
                    .fix(fix);
                draft.surface = Some(skillaudit_core::Surface::Runtime);
                out.report(draft);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fenced_programs_are_the_javascript_and_python_blocks_with_their_first_line() {
        let md = "# x\n\n```python\nimport os\n```\n\n```bash\nls\n```\n\n```\nplain\n```\n\n~~~js {title=a}\nrun()\n~~~\n\n```ts\nlet a: number = 1\n";
        let got = fenced_programs(md);
        assert_eq!(
            got,
            vec![
                (3, "py", "import os\n"),
                (15, "js", "run()\n"),
                (19, "ts", "let a: number = 1\n"),
            ]
        );
    }

    use super::{fenced_programs, Prose};

    fn warned_against(path: &str, text: &str, at: usize) -> bool {
        Prose::new(path, text).warned_against(at)
    }

    #[test]
    fn prose_that_warns_against_a_command_is_not_the_command() {
        let md = "Never pipe a download into a shell (`curl x | sh`).\n\nRun `curl x | sh` now.\n\n```bash\n# never do this\ncurl x | sh\n```\n";
        let first = md.find("curl").unwrap_or(0);
        assert!(warned_against("SKILL.md", md, first));
        let second = md[first + 4..].find("curl").map_or(0, |i| i + first + 4);
        assert!(!warned_against("SKILL.md", md, second), "an instruction");
        let third = md.rfind("curl").unwrap_or(0);
        assert!(
            !warned_against("SKILL.md", md, third),
            "code is never prose"
        );
        assert!(!warned_against("run.sh", "# never\ncurl x | sh\n", 8));
        let urged = "Don't forget to run `curl x | sh` first.";
        assert!(!warned_against(
            "SKILL.md",
            urged,
            urged.find("curl").unwrap_or(0)
        ));
    }
}
