use super::lockfile_line;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta, Severity};
use skillaudit_core::Surface;

declare_rule! {
    /// ## What it finds
    /// A dependency whose exact version its registry marks as deprecated (npm `deprecated`,
    /// LOW) or yanked (PyPI, PEP 592: every file of the release yanked, MEDIUM), with the
    /// registry's message. Direct dependencies are checked first; the report says when the
    /// tree was too large to check every package.
    ///
    /// ## Why it matters
    /// Publishers deprecate and yank releases to tell users to stop using them — for a
    /// vulnerability, a data-loss bug, or because the project was abandoned. A server that
    /// still pulls such a version in keeps code its own authors disowned, and nobody will fix it.
    ///
    /// ## Vulnerable example
    /// ```json
    /// "node_modules/request": { "version": "2.88.2" }
    /// ```
    /// (npm: "request has been deprecated, see https://github.com/request/request/issues/3142")
    ///
    /// ## Fixed example
    /// ```json
    /// "node_modules/undici": { "version": "6.21.1" }
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/commands/npm-deprecate
    /// - https://peps.python.org/pep-0592/
    pub struct DeprecatedDependency {
        code: "DEP-003",
        name: "deprecated-or-yanked-dependency",
        axis: Maintenance,
        severity: Medium,
        cwe: Some("CWE-1104"),
    }
}

impl Rule for DeprecatedDependency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(audit) = &project.dep_audit else {
            return;
        };
        for flagged in &audit.flagged {
            let package = &flagged.package;
            let line = project
                .file(&flagged.source)
                .and_then(|f| f.text.as_deref())
                .and_then(|text| lockfile_line(text, package));
            let via = if package.path.len() > 1 {
                format!(" (pulled in by {})", package.path.join(" > "))
            } else {
                String::new()
            };
            let (message, severity, key) = match (&flagged.yanked, &flagged.deprecated) {
                (Some(reason), _) => (
                    format!(
                        "{} {} was yanked from PyPI{via}: {}",
                        package.name,
                        package.version,
                        if reason.trim().is_empty() {
                            "no reason given"
                        } else {
                            reason.trim()
                        }
                    ),
                    Severity::Medium,
                    "yanked",
                ),
                (None, Some(message)) => (
                    format!(
                        "{} {} is deprecated on npm{via}: {}",
                        package.name,
                        package.version,
                        message.trim()
                    ),
                    Severity::Low,
                    "deprecated",
                ),
                (None, None) => continue,
            };
            let mut draft = Draft::new(message)
                .at(&flagged.source, line)
                .evidence(format!("{}@{}", package.name, package.version))
                .key(format!("{key} {}@{}", package.name, package.version))
                .severity(severity)
                .fix(format!(
                    "move to a supported release of {} (or the package its deprecation names) and refresh the lockfile",
                    package.name
                ));
            draft.surface = Some(if package.dev {
                Surface::Script
            } else {
                Surface::Package
            });
            out.report(draft);
        }
    }
}
