use super::lockfile_for;
use crate::project::DependencyKind;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it finds
    /// A manifest that declares runtime dependencies with no lockfile beside it
    /// (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock, poetry.lock,
    /// uv.lock, Pipfile.lock, pdm.lock, a fully pinned requirements.txt, go.sum, Cargo.lock).
    ///
    /// Published npm packages never contain package-lock.json (npm leaves it out), so for a
    /// registry or archive target the rule does not report; it lists itself under `not_run`.
    ///
    /// ## Why it matters
    /// Without a lockfile every install resolves the ranges again: a compromised or broken
    /// release of any transitive dependency lands in the next build without a diff to review.
    /// The lockfile is also what makes a dependency audit reproducible.
    ///
    /// ## Vulnerable example
    /// ```text
    /// my-server/
    ///   package.json      # "dependencies": {"@modelcontextprotocol/sdk": "^1.12.0"}
    /// ```
    ///
    /// ## Fixed example
    /// ```text
    /// my-server/
    ///   package.json
    ///   package-lock.json   # committed, installed with `npm ci`
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/configuring-npm/package-lock-json
    /// - https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile
    pub struct MissingLockfile {
        code: "MNT-001",
        name: "missing-lockfile",
        axis: Maintenance,
        severity: Low,
        cwe: Some("CWE-1357"),
    }
}

impl Rule for MissingLockfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let manifests: BTreeSet<(&str, crate::Ecosystem)> = project
            .dependencies
            .iter()
            .filter(|d| d.kind == DependencyKind::Normal)
            .map(|d| (d.manifest.as_str(), d.ecosystem))
            .collect();
        if manifests.is_empty() {
            return;
        }
        if project.is_published_artifact() {
            out.not_run("lockfiles are not part of published packages; audit the source repository to check for one");
            return;
        }
        // A workspace member is pinned by the workspace's lockfile at the repository root.
        if project.workspace_lockfile.is_some() {
            return;
        }
        let mut reported = BTreeSet::new();
        for (manifest, ecosystem) in manifests {
            if lockfile_for(project, manifest, ecosystem).is_some() || !reported.insert(manifest) {
                continue;
            }
            out.report(
                Draft::new(format!("{manifest} declares runtime dependencies but no lockfile pins them"))
                    .at(manifest, None)
                    .about_package()
                    .key(format!("lockfile:{manifest}"))
                    .fix("commit the lockfile your package manager writes and install with it (`npm ci`, `uv sync --locked`)"),
            );
        }
    }
}
