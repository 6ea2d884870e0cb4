use super::lockfile_line;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Surface;

/// A direct dependency with no release for this long is reported.
const STALE_DAYS: i64 = 3 * 365;

declare_rule! {
    /// ## What it finds
    /// A direct runtime dependency whose newest release on its registry is more than three
    /// years old (npm `time` of the `latest` tag, PyPI upload time of the newest release): the
    /// package is most likely unmaintained. Read from registry metadata, so it runs for
    /// registry targets and with `--resolve`.
    ///
    /// ## Why it matters
    /// An unmaintained dependency does not get security fixes: the next advisory against it
    /// stays open for good, and the server inherits it. Abandoned packages are also the ones
    /// taken over (expired maintainer domains, transferred names) to ship malicious releases.
    ///
    /// ## Vulnerable example
    /// ```json
    /// "dependencies": { "left-pad": "^1.3.0" }
    /// ```
    /// (newest release 2018)
    ///
    /// ## Fixed example
    /// ```js
    /// const padded = text.padStart(width);   // the platform does it; no dependency
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/1104.html
    /// - https://openssf.org/resources/guides/
    pub struct StaleDependency {
        code: "DEP-004",
        name: "unmaintained-dependency",
        axis: Maintenance,
        severity: Low,
        cwe: Some("CWE-1104"),
    }
}

impl Rule for StaleDependency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(audit) = &project.dep_audit else {
            return;
        };
        for entry in &audit.facts {
            let package = &entry.package;
            if !package.direct || package.dev {
                continue;
            }
            let Some(latest_at) = entry.facts.latest_release_at.as_deref() else {
                continue;
            };
            let Ok(when) = latest_at.parse::<jiff::Timestamp>() else {
                continue;
            };
            let days = (project.now.as_second() - when.as_second()) / 86_400;
            if days <= STALE_DAYS {
                continue;
            }
            let latest = entry.facts.latest.as_deref().unwrap_or(&package.version);
            let line = project
                .file(&entry.source)
                .and_then(|f| f.text.as_deref())
                .and_then(|text| lockfile_line(text, package));
            let mut draft = Draft::new(format!(
                "{} has had no release for {} years (newest: {latest}, published {}): it is most likely unmaintained",
                package.name,
                days / 365,
                &latest_at[..latest_at.len().min(10)]
            ))
            .at(&entry.source, line)
            .evidence(format!("{}@{}", package.name, package.version))
            .key(format!("stale {}", package.name))
            .fix(format!(
                "replace {} with a maintained package or the platform's own API, or vendor and maintain it",
                package.name
            ));
            draft.surface = Some(Surface::Package);
            out.report(draft);
        }
    }
}
