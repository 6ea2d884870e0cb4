//! Tool poisoning: instructions hidden in the text a server shows the model — tool, prompt and
//! resource descriptions, input-schema texts and server instructions — found in the code (the
//! analysis's tool registrations) and in JSON files holding a `tools/list` result or a bundle
//! manifest (metadata captured from a live server can be audited as a file).

pub mod cross_tool_instruction;
pub mod data_exfiltration_request;
pub mod features;
pub mod hidden_instruction;
pub mod invisible_text;
pub mod malicious_capability;
pub mod model_instruction;
pub mod obfuscated_payload;
pub mod techniques;

use crate::project::line_of;
use crate::{Draft, Findings, Project};
use techniques::{name_words, scan, schema_texts, Technique};

/// One text the model reads, and where it is.
#[derive(Debug, Clone)]
pub struct ModelText {
    /// The tool, prompt or resource it belongs to (`None` for server instructions).
    pub tool: Option<String>,
    /// Which text: `description`, `inputSchema/properties/path/description`, `instructions`.
    pub field: String,
    pub text: String,
    pub file: String,
    pub line: Option<u32>,
}

/// JSON files larger than this are not read as tool lists.
const MAX_JSON_BYTES: usize = 4 * 1024 * 1024;

/// A text shown to the model with the poisoning techniques found in it.
#[derive(Debug, Clone)]
pub struct ScannedText {
    pub text: ModelText,
    pub hits: Vec<techniques::Hit>,
}

/// Every text shown to the model, scanned once per project.
pub fn scanned_texts(project: &Project) -> &[ScannedText] {
    project.model_texts.get_or_init(|| {
        let mut scanned: Vec<ScannedText> = model_texts(project)
            .into_iter()
            .map(|text| {
                let mut hits = scan(&text.text);
                // Text a skill carries besides its prose (blocks it writes, reference files) is
                // judged by technique only: its examples and data are not a description.
                if text.field == "skill text block"
                    || text.field == "skill reference"
                    || text.field == "skill document"
                {
                    hits.retain(|h| h.technique == Technique::ModelInstruction);
                }
                // A skill is a procedure, not a tool: offensive words in it ("exploit the
                // GPU", a security-testing skill) are judged by what it runs, not by INJ-006.
                if text.field.starts_with("skill ") {
                    hits.retain(|h| h.technique != Technique::MaliciousCapability);
                }
                ScannedText { text, hits }
            })
            .collect();
        // The whole document counts only for what neither its prose nor its blocks said alone.
        let said: Vec<(Option<String>, String)> = scanned
            .iter()
            .filter(|s| {
                matches!(
                    s.text.field.as_str(),
                    "skill instructions" | "skill text block"
                ) && s
                    .hits
                    .iter()
                    .any(|h| h.technique == Technique::ModelInstruction)
            })
            .map(|s| (s.text.tool.clone(), s.text.file.clone()))
            .collect();
        for s in scanned
            .iter_mut()
            .filter(|s| s.text.field == "skill document")
        {
            if said.contains(&(s.text.tool.clone(), s.text.file.clone())) {
                s.hits.clear();
            }
        }
        scanned
    })
}

/// Every text shown to the model that the project declares.
fn model_texts(project: &Project) -> Vec<ModelText> {
    let mut out = Vec::new();
    let analysis = project.code_analysis();
    for (kind, list) in [
        ("prompt", &analysis.prompts),
        ("resource", &analysis.resources),
    ] {
        for d in list.iter() {
            let texts = d
                .description
                .iter()
                .map(|t| ("description", t))
                .chain(d.schema_texts.iter().map(|t| ("arguments", t)));
            for (field, text) in texts {
                out.push(ModelText {
                    tool: Some(d.name.clone()),
                    field: format!("{kind} {field}"),
                    text: text.clone(),
                    file: d.file.clone(),
                    line: Some(d.line),
                });
            }
        }
    }
    for t in &analysis.tools {
        out.push(ModelText {
            tool: Some(t.name.clone()),
            field: "name".into(),
            text: name_words(&t.name),
            file: t.file.clone(),
            line: Some(t.line),
        });
        if let Some(d) = &t.description {
            out.push(ModelText {
                tool: Some(t.name.clone()),
                field: "description".into(),
                text: d.clone(),
                file: t.file.clone(),
                line: Some(t.line),
            });
        }
        for text in &t.schema_texts {
            out.push(ModelText {
                tool: Some(t.name.clone()),
                field: "input schema".into(),
                text: text.clone(),
                file: t.file.clone(),
                line: Some(t.line),
            });
        }
    }
    // A skill's instructions are read by the model when the skill loads: its prose, the text
    // blocks it tells the agent to write (memory files, settings), and the Markdown files of
    // its folder it refers the agent to.
    for skill in crate::skills::skills(project) {
        let name = match crate::skills::front_matter(skill.text) {
            Ok(Some(fm)) => fm.get("name").and_then(|v| v.as_str()).map(str::to_string),
            _ => None,
        };
        let tool = name.or_else(|| Some(skill.manifest.path.clone()));
        let (prose, blocks) = features::split_markdown(skill.text);
        // The document as the model reads it, prose and blocks together: "run this, then upload
        // what it printed" is an instruction neither half states alone.
        let whole = skill.text.to_string();
        for (field, text) in [
            ("skill instructions", prose),
            ("skill text block", blocks),
            ("skill document", whole),
        ] {
            out.push(ModelText {
                tool: tool.clone(),
                field: field.into(),
                text,
                file: skill.manifest.path.clone(),
                line: Some(1),
            });
        }
        for (file, text) in project.text_files() {
            let lower = file.path.to_ascii_lowercase();
            if !file.path.starts_with(&skill.dir)
                || !crate::skills::is_runtime_skill(file)
                || !lower.ends_with(".md")
                || file.name().eq_ignore_ascii_case("SKILL.md")
            {
                continue;
            }
            out.push(ModelText {
                tool: tool.clone(),
                field: "skill reference".into(),
                text: features::split_markdown(text).0,
                file: file.path.clone(),
                line: Some(1),
            });
        }
    }
    for (file, text) in project.text_files() {
        if !file.path.ends_with(".json") || text.len() > MAX_JSON_BYTES {
            continue;
        }
        if !(text.contains("\"tools\"")
            || text.contains("\"prompts\"")
            || text.contains("\"instructions\""))
        {
            continue;
        }
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            // Too deep or malformed for a parser: read its texts leniently instead.
            if text.contains("\"tools\"") {
                out.extend(lenient_texts(&file.path, text));
            }
            continue;
        };
        // A `tools/list` result, a JSON-RPC response wrapping one, or a bundle manifest.
        let root = json.get("result").unwrap_or(&json);
        let mut found = false;
        for list in ["tools", "prompts", "resources", "resourceTemplates"] {
            let Some(items) = root.get(list).and_then(|v| v.as_array()) else {
                continue;
            };
            for item in items.iter().take(5000) {
                let Some(name) = item.get("name").and_then(|v| v.as_str()) else {
                    continue;
                };
                found = true;
                let line = text
                    .find(&format!("\"{name}\""))
                    .map(|off| line_of(text, off));
                let mut push = |field: String, t: String| {
                    out.push(ModelText {
                        tool: Some(name.to_string()),
                        field,
                        text: t,
                        file: file.path.clone(),
                        line,
                    });
                };
                push("name".into(), name_words(name));
                for key in ["description", "title"] {
                    if let Some(d) = item.get(key).and_then(|v| v.as_str()) {
                        push(key.into(), d.to_string());
                    }
                }
                for key in ["inputSchema", "input_schema", "arguments", "annotations"] {
                    if let Some(schema) = item.get(key) {
                        for (path, t) in schema_texts(schema) {
                            push(format!("{key}{path}"), t);
                        }
                    }
                }
            }
        }
        if let Some(i) = root.get("instructions").and_then(|v| v.as_str()) {
            if found || root.get("serverInfo").is_some() || root.get("protocolVersion").is_some() {
                out.push(ModelText {
                    tool: None,
                    field: "instructions".into(),
                    text: i.to_string(),
                    file: file.path.clone(),
                    line: text.find("\"instructions\"").map(|off| line_of(text, off)),
                });
            }
        }
    }
    out
}

/// `"description": "…"`-style texts of a JSON file that does not parse (nested past the
/// parser's depth limit, truncated), each with the nearest `"name"` before it.
fn lenient_texts(path: &str, text: &str) -> Vec<ModelText> {
    static STRING_FIELD: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r#""(name|description|title|instructions)"\s*:\s*"((?:[^"\\]|\\.)*)""#,
            )
            .ok()
        });
    let Some(re) = STRING_FIELD.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    for caps in re.captures_iter(text).take(20_000) {
        let (Some(key), Some(raw)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let value = serde_json::from_str::<String>(&format!("\"{}\"", raw.as_str()))
            .unwrap_or_else(|_| raw.as_str().to_string());
        if key.as_str() == "name" {
            name = Some(value);
            continue;
        }
        out.push(ModelText {
            tool: name.clone(),
            field: key.as_str().to_string(),
            text: value,
            file: path.to_string(),
            line: Some(line_of(text, key.start())),
        });
    }
    out
}

/// Show a piece of text safely on one line: invisible and control characters spelled out.
fn visible(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        let c = ch as u32;
        if ch == '\n' || ch == '\r' || ch == '\t' {
            out.push(' ');
        } else if ch.is_control()
            || matches!(c, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x00AD | 0xE0000..=0xE007F)
        {
            out.push_str(&format!("\\u{{{c:04X}}}"));
        } else {
            out.push(ch);
        }
    }
    let collapsed: Vec<&str> = out.split_whitespace().collect();
    collapsed.join(" ")
}

/// The words around a hit, made visible and shortened.
fn excerpt(text: &str, start: usize, end: usize) -> String {
    let mut from = start.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + 60).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let mut s = visible(&text[from..to]);
    if s.chars().count() > 200 {
        s = s.chars().take(200).collect::<String>() + "…";
    }
    s
}

/// A decoded hidden text made visible and shortened.
fn visible_excerpt(text: &str) -> String {
    let s = visible(text);
    if s.chars().count() > 200 {
        s.chars().take(200).collect::<String>() + "…"
    } else {
        s
    }
}

/// Report the texts where `technique` is found, one finding per tool and text.
pub(crate) fn report_technique(
    project: &Project,
    out: &mut Findings,
    technique: Technique,
    fix: &str,
) {
    for scanned in scanned_texts(project) {
        let t = &scanned.text;
        let Some(hit) = scanned.hits.iter().find(|h| h.technique == technique) else {
            continue;
        };
        let whose = match &t.tool {
            Some(name) => format!("the {} of `{name}`", t.field),
            None => "the server instructions".to_string(),
        };
        // A whole file (a skill's instructions): the line of the hit itself.
        let line = if t.field.starts_with("skill ") {
            Some(line_of(&t.text, hit.start))
        } else {
            t.line
        };
        let mut evidence = excerpt(&t.text, hit.start, hit.end);
        let mut severity = None;
        let mut what = hit.what.to_string();
        match (&hit.verdict, technique) {
            (Some(v), Technique::ModelInstruction) => {
                if let (Some(how), Some(decoded)) = (v.hidden, &v.decoded) {
                    what = format!("{what}, hidden in {}", how.describe());
                    evidence = format!("decoded: {}", visible_excerpt(decoded));
                } else if let Some(how) = v.hidden {
                    what = format!("{what}, in a text hiding content with {}", how.describe());
                }
                // HIGH from 4 (see the rule's docs); a hidden instruction always reaches it.
                if v.score < 4 {
                    severity = Some(skillaudit_core::Severity::Medium);
                }
            }
            (_, Technique::InvisibleText) => {
                // Hiding that carries an instruction is as severe as the instruction.
                let carries = scanned.hits.iter().any(|h| {
                    h.verdict
                        .as_ref()
                        .is_some_and(|v| v.hidden.is_some() && v.score >= 4)
                });
                if carries {
                    severity = Some(skillaudit_core::Severity::High);
                    what = format!("{what}, hiding an instruction to the model");
                }
            }
            _ => {}
        }
        let mut draft = Draft::new(format!("{whose} carries {what}"))
            .at(&t.file, line)
            .evidence(evidence)
            .fix(fix);
        draft.severity = severity;
        draft.tool = t.tool.clone();
        out.report(draft);
    }
}
