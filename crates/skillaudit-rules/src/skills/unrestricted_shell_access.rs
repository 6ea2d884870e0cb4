use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A skill whose `allowed-tools` grants the shell without limits: `Bash` (or `Shell`,
    /// `Terminal`, `*`) rather than a pattern naming the commands the skill needs
    /// (`Bash(git status:*)`, `Bash(python scripts/fill_form.py:*)`).
    ///
    /// ## Why it matters
    /// Tools listed in `allowed-tools` run without asking the user. Unrestricted shell access
    /// means anything the skill's instructions — or text injected into them — asks for runs
    /// silently.
    ///
    /// ## Vulnerable example
    /// ```yaml
    /// allowed-tools:
    ///   - Bash
    /// ```
    ///
    /// ## Fixed example
    /// ```yaml
    /// allowed-tools:
    ///   - Bash(python scripts/extract.py:*)
    ///   - Read
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/250.html
    pub struct UnrestrictedShellAccess {
        code: "SKILL-002",
        name: "unrestricted-shell-access",
        axis: Permissions,
        severity: Low,
        cwe: Some("CWE-250"),
    }
}

/// The tools a front matter allows, from a YAML list or a comma- or space-separated string.
fn allowed_tools(fm: &serde_json::Value) -> Vec<String> {
    let v = fm.get("allowed-tools").or_else(|| fm.get("allowed_tools"));
    match v {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => s
            .split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

impl Rule for UnrestrictedShellAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for skill in super::skills(project) {
            let Ok(Some(fm)) = super::front_matter(skill.text) else {
                continue;
            };
            let open: Vec<String> = allowed_tools(&fm)
                .into_iter()
                .filter(|t| {
                    let t = t.trim();
                    matches!(
                        t.to_ascii_lowercase().as_str(),
                        "bash" | "shell" | "terminal" | "*" | "bash(*)" | "bash(*:*)"
                    )
                })
                .collect();
            if let Some(tool) = open.first() {
                let draft = Draft::new(format!(
                    "`{}` lets the skill run any shell command without asking (`allowed-tools: {tool}`)",
                    skill.manifest.path
                ))
                .at(&skill.manifest.path, Some(1))
                .evidence(format!("allowed-tools: {}", allowed_tools(&fm).join(", ")))
                .fix("list the commands the skill needs as patterns (`Bash(python scripts/x.py:*)`) instead of the whole shell");
                out.report(draft);
            }
        }
    }
}
