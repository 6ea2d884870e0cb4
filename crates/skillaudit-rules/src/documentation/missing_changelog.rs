use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// No changelog (`CHANGELOG`, `CHANGES`, `HISTORY`, `NEWS`, `RELEASES`, at the root or in
    /// `docs/`).
    ///
    /// ## Why it matters
    /// A changelog is how adopters learn that a release fixed a vulnerability, changed a tool's
    /// behaviour or widened its permissions — the re-audit triggers of an approval policy. Without
    /// one, every upgrade is a blind upgrade.
    ///
    /// In a published package repository-only files are often left out; there the rule lists
    /// itself under `not_run` instead of reporting.
    ///
    /// ## Vulnerable example
    /// ```text
    /// my-server/
    ///   README.md
    ///   package.json
    /// ```
    ///
    /// ## Fixed example
    /// ```markdown
    /// # Changelog
    /// ## 1.4.2
    /// - Security: `read_file` now resolves symlinks before the containment check.
    /// ```
    ///
    /// ## References
    /// - https://keepachangelog.com/
    pub struct MissingChangelog {
        code: "DOC-009",
        name: "missing-changelog",
        axis: Documentation,
        severity: Low,
        cwe: None,
    }
}

const STEMS: &[&str] = &[
    "CHANGELOG",
    "CHANGES",
    "HISTORY",
    "NEWS",
    "RELEASES",
    "RELEASE-NOTES",
    "RELEASE_NOTES",
];

impl Rule for MissingChangelog {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let at_root = project.top_level_named(STEMS).next().is_some();
        let in_docs = project.files.iter().any(|f| {
            let lower = f.path.to_ascii_lowercase();
            lower.starts_with("docs/")
                && STEMS.iter().any(|s| {
                    f.name()
                        .to_ascii_lowercase()
                        .starts_with(&s.to_ascii_lowercase())
                })
        });
        if at_root || in_docs {
            return;
        }
        if project.is_published_artifact() {
            out.not_run(
                "no changelog in the published package; audit the source repository to score it",
            );
            return;
        }
        out.report(
            Draft::new("no CHANGELOG")
                .key("CHANGELOG")
                .fix("keep a CHANGELOG.md that calls out security fixes and permission changes"),
        );
    }
}
