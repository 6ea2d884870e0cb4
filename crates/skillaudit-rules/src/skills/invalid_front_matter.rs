use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;

declare_rule! {
    /// ## What it finds
    /// A `SKILL.md` whose YAML front matter is missing, does not parse (the parser's message is
    /// given), is not a mapping, or lacks the `name` and `description` the agent uses to decide
    /// when to load the skill. Aliases and oversized front matter are bounded by the parser's
    /// budgets and reported, never expanded.
    ///
    /// ## Why it matters
    /// Agents select skills by their front matter. Without a valid one the skill is either
    /// ignored or loaded on guesses, and a reviewer cannot see what it claims to do or which
    /// tools it asks for.
    ///
    /// ## Vulnerable example
    /// ```markdown
    /// # pdf-tools
    /// Use this to work with PDFs.
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// ---
    /// name: pdf-tools
    /// description: Extract text and tables from PDF files and fill PDF forms.
    /// ---
    /// ```
    ///
    /// ## References
    /// - https://docs.anthropic.com/en/docs/agents-and-tools/agent-skills/overview
    pub struct InvalidFrontMatter {
        code: "SKILL-001",
        name: "invalid-skill-front-matter",
        axis: Documentation,
        severity: Medium,
        cwe: None,
    }
}

impl Rule for InvalidFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for skill in super::skills(project) {
            let problem = match super::front_matter(skill.text) {
                Err(e) => Some((
                    format!("the front matter is not valid: {e}"),
                    Severity::Medium,
                )),
                Ok(None) => Some((
                    "has no YAML front matter (`---` … `---`)".to_string(),
                    Severity::Medium,
                )),
                Ok(Some(fm)) => {
                    let missing: Vec<&str> = ["name", "description"]
                        .into_iter()
                        .filter(|k| {
                            fm.get(*k)
                                .and_then(|v| v.as_str())
                                .is_none_or(|s| s.trim().is_empty())
                        })
                        .collect();
                    (!missing.is_empty()).then(|| {
                        (
                            format!("the front matter has no {}", missing.join(" and no ")),
                            Severity::Low,
                        )
                    })
                }
            };
            if let Some((what, severity)) = problem {
                let draft = Draft::new(format!("`{}`: {what}", skill.manifest.path))
                    .at(&skill.manifest.path, Some(1))
                    .severity(severity)
                    .fix("start SKILL.md with `---`, a `name:` and a one-line `description:` of when to use the skill, and a closing `---`");
                out.report(draft);
            }
        }
    }
}
