//! Rule documentation pages, generated from the rules' doc comments: `docs/rules/CODE.md` and
//! the index `docs/rules/README.md`. The same text is what `skillaudit explain` prints and what
//! SARIF carries as help.

use skillaudit_core::RuleMeta;

/// The sections every rule's doc comment must have, in order.
pub const REQUIRED_SECTIONS: &[&str] = &[
    "What it finds",
    "Why it matters",
    "Vulnerable example",
    "Fixed example",
    "References",
];

/// Sections missing from a rule's doc comment.
pub fn missing_sections(meta: &RuleMeta) -> Vec<&'static str> {
    REQUIRED_SECTIONS
        .iter()
        .copied()
        .filter(|s| meta.section(s).is_none_or(|body| body.is_empty()))
        .collect()
}

/// The Markdown page of one rule.
pub fn rule_page(meta: &RuleMeta) -> String {
    let mut out = format!("# {} `{}`\n\n", meta.code, meta.name);
    out.push_str("| axis | default severity | CWE |\n|---|---|---|\n");
    out.push_str(&format!(
        "| {} | {} | {} |\n\n",
        meta.axis,
        meta.severity,
        meta.cwe.unwrap_or("—")
    ));
    let doc = meta.doc_markdown();
    out.push_str(&doc);
    if !doc.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(
        "\n---\n*Generated from the rule's source by `cargo xtask docs`; do not edit by hand.*\n",
    );
    out
}

/// The index page listing every rule.
pub fn index_page(rules: &[&RuleMeta]) -> String {
    let mut out = String::from(
        "# SkillAudit rules\n\nEvery rule SkillAudit runs, generated from the rules' source (`cargo xtask docs`).\n`skillaudit rules` lists them and `skillaudit explain CODE` prints a page.\n\n| code | name | axis | severity | what it finds |\n|---|---|---|---|---|\n",
    );
    for meta in rules {
        out.push_str(&format!(
            "| [{code}]({code}.md) | `{}` | {} | {} | {} |\n",
            meta.name,
            meta.axis,
            meta.severity,
            meta.summary().replace('|', "\\|"),
            code = meta.code,
        ));
    }
    out
}

/// Every generated file: (path relative to the repository root, content).
pub fn generated_files() -> Vec<(String, String)> {
    let metas = crate::registry::all_meta();
    let mut files: Vec<(String, String)> = metas
        .iter()
        .map(|m| (format!("docs/rules/{}.md", m.code), rule_page(m)))
        .collect();
    files.push(("docs/rules/README.md".to_string(), index_page(&metas)));
    files
}
