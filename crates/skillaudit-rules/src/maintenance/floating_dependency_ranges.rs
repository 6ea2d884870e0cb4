use super::{is_exact, lockfile_for};
use crate::project::{Dependency, DependencyKind};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it finds
    /// Direct runtime dependencies declared with floating ranges (`^1.2.0`, `~1.2`, `>=2`, `*`,
    /// a bare name) where nothing pins what gets installed: no lockfile beside the manifest, or
    /// — for a published package — no `npm-shrinkwrap.json`, so every user's install resolves the
    /// ranges anew. One finding per manifest, at the first floating dependency.
    ///
    /// ## Why it matters
    /// A floating range installs whatever the registry serves on the day: a hijacked maintainer
    /// account or a broken release reaches every new install of the server within minutes, and
    /// two users of the "same" version run different code. Exact pins (or a lockfile) make the
    /// code that runs the code that was audited.
    ///
    /// ## Vulnerable example
    /// ```json
    /// "dependencies": { "axios": "^1.6.0", "zod": "*" }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// "dependencies": { "axios": "1.7.4", "zod": "3.23.8" }
    /// ```
    /// or keep ranges in a library and commit the lockfile of the application that runs it.
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/configuring-npm/npm-shrinkwrap-json
    /// - https://peps.python.org/pep-0440/#version-specifiers
    pub struct FloatingDependencyRanges {
        code: "MNT-002",
        name: "floating-dependency-ranges",
        axis: Maintenance,
        severity: Low,
        cwe: Some("CWE-1357"),
    }
}

impl Rule for FloatingDependencyRanges {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let mut by_manifest: BTreeMap<&str, Vec<&Dependency>> = BTreeMap::new();
        for dep in &project.dependencies {
            if dep.kind == DependencyKind::Normal && !is_exact(dep) {
                by_manifest
                    .entry(dep.manifest.as_str())
                    .or_default()
                    .push(dep);
            }
        }
        for (manifest, floating) in by_manifest {
            let Some(first) = floating.first() else {
                continue;
            };
            let pinned_by_lockfile = if project.is_published_artifact() {
                // Only a shrinkwrap ships with a published npm package and governs installs.
                project
                    .files
                    .iter()
                    .any(|f| f.name() == "npm-shrinkwrap.json")
            } else {
                lockfile_for(project, manifest, first.ecosystem).is_some()
            };
            if pinned_by_lockfile {
                continue;
            }
            let total = project
                .dependencies
                .iter()
                .filter(|d| d.manifest == manifest && d.kind == DependencyKind::Normal)
                .count();
            let names: Vec<String> = floating
                .iter()
                .take(5)
                .map(|d| {
                    format!(
                        "{} {}",
                        d.name,
                        if d.spec.is_empty() { "(any)" } else { &d.spec }
                    )
                })
                .collect();
            let more = floating.len().saturating_sub(5);
            let mut message = format!(
                "{} of {} runtime dependencies in {manifest} float and nothing pins them: {}",
                floating.len(),
                total,
                names.join(", ")
            );
            if more > 0 {
                message.push_str(&format!(" and {more} more"));
            }
            let mut draft = Draft::new(message)
                .at(manifest, first.line)
                .about_package()
                .key(format!("floating:{manifest}"))
                .fix("pin exact versions, or commit a lockfile (npm-shrinkwrap.json for a published npm package)");
            draft.evidence = Some(format!("\"{}\": \"{}\"", first.name, first.spec));
            out.report(draft);
        }
    }
}
