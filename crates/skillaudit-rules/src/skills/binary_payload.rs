use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// Files in a skill's folder that cannot be reviewed as text: compiled Python (`.pyc`),
    /// executables and libraries, archives, office documents with macros, and any other binary
    /// file the audit could not read. They are listed, never silently skipped.
    ///
    /// ## Why it matters
    /// A skill is reviewed by reading it. A binary carried along can do anything the text does
    /// not say, and the agent can be told to run it.
    ///
    /// ## Vulnerable example
    /// ```text
    /// my-skill/SKILL.md
    /// my-skill/helper.pyc
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// my-skill/SKILL.md
    /// my-skill/scripts/helper.py
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/506.html
    pub struct BinaryPayload {
        code: "SKILL-007",
        name: "binary-payload-in-skill",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-506"),
    }
}

/// Binary files that are ordinary skill assets (pictures, fonts).
fn is_plain_asset(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".ttf", ".otf", ".woff", ".woff2",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

impl Rule for BinaryPayload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for skill in super::skills(project) {
            for f in &project.files {
                if !f.path.starts_with(&skill.dir) || f.text.is_some() || is_plain_asset(f.name()) {
                    continue;
                }
                let draft = Draft::new(format!(
                    "skill `{}` carries a binary file that cannot be reviewed: `{}` ({} bytes)",
                    skill.manifest.path, f.path, f.size
                ))
                .at(&f.path, None)
                .evidence(f.path.clone())
                .fix("ship sources instead of compiled or binary files, or remove the file");
                out.report(draft);
            }
        }
    }
}
