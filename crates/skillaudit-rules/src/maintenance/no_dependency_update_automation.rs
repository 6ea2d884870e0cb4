use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A repository with dependencies but no dependency update automation: no
    /// `.github/dependabot.yml`, no Renovate configuration (`renovate.json`, `renovate.json5`,
    /// `.renovaterc*`, `.github/renovate.json`, a `renovate` key in package.json).
    ///
    /// Published packages do not ship these files, so for a registry or archive target the rule
    /// lists itself under `not_run`.
    ///
    /// ## Why it matters
    /// Advisories against dependencies arrive weekly. Without automation, a fixed version sits
    /// unadopted until someone happens to notice; the maintenance axis of a server decays even
    /// when nobody touches its code.
    ///
    /// ## Vulnerable example
    /// ```text
    /// .github/workflows/ci.yml   # and nothing that proposes dependency updates
    /// ```
    ///
    /// ## Fixed example
    /// ```yaml
    /// # .github/dependabot.yml
    /// version: 2
    /// updates:
    ///   - package-ecosystem: npm
    ///     directory: /
    ///     schedule: { interval: weekly }
    /// ```
    ///
    /// ## References
    /// - https://docs.github.com/en/code-security/dependabot/dependabot-version-updates
    /// - https://docs.renovatebot.com/
    pub struct NoDependencyUpdateAutomation {
        code: "MNT-004",
        name: "no-dependency-update-automation",
        axis: Maintenance,
        severity: Low,
        cwe: None,
    }
}

fn has_automation(project: &Project) -> bool {
    project.files.iter().any(|f| {
        let lower = f.path.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            ".github/dependabot.yml"
                | ".github/dependabot.yaml"
                | ".github/renovate.json"
                | ".github/renovate.json5"
                | ".gitlab/renovate.json"
        ) || (f.is_top_level()
            && (lower.starts_with("renovate.json") || lower.starts_with(".renovaterc")))
    }) || project
        .file("package.json")
        .and_then(|f| f.text.as_deref())
        .is_some_and(|t| t.contains("\"renovate\""))
}

impl Rule for NoDependencyUpdateAutomation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        if project.dependencies.is_empty() || has_automation(project) {
            return;
        }
        if project.is_published_artifact() {
            out.not_run("update automation lives in the repository, not the published package; audit the source repository to check");
            return;
        }
        out.report(
            Draft::new("no Dependabot or Renovate configuration")
                .key("update-automation")
                .fix("add .github/dependabot.yml (or a Renovate config) covering every package ecosystem the server uses"),
        );
    }
}
