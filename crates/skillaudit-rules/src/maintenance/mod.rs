//! Maintenance axis (12%), file-based part: lockfiles, pinning, the MCP SDK's declared range,
//! dependency update automation, a disclosure policy, and the age of the last commit or release.

pub mod deprecated_release;
pub mod floating_dependency_ranges;
pub mod missing_lockfile;
pub mod no_dependency_update_automation;
pub mod no_vulnerability_disclosure_policy;
pub mod stale_release;
pub mod stale_repository;
pub mod unbounded_sdk_range;

use crate::project::{Dependency, Ecosystem, Project};

/// Lockfile names per ecosystem.
pub(crate) const NPM_LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
];
pub(crate) const PYTHON_LOCKFILES: &[&str] = &[
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "pylock.toml",
];

/// The folder part of a path (`""` at the root).
pub(crate) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// A lockfile that pins the dependencies of the manifest at `manifest` (same folder, or the root
/// for workspaces).
pub(crate) fn lockfile_for<'p>(
    project: &'p Project,
    manifest: &'p str,
    ecosystem: Ecosystem,
) -> Option<&'p str> {
    let names: &[&str] = match ecosystem {
        Ecosystem::Npm => NPM_LOCKFILES,
        Ecosystem::PyPI => PYTHON_LOCKFILES,
        Ecosystem::Go => &["go.sum"],
        Ecosystem::Cargo => &["Cargo.lock"],
    };
    let dir = dir_of(manifest);
    project
        .files
        .iter()
        .find(|f| {
            names.contains(&f.name()) && {
                let d = dir_of(&f.path);
                d == dir || d.is_empty()
            }
        })
        .map(|f| f.path.as_str())
        .or_else(|| {
            // requirements files with every line pinned (`==`) are lockfiles too.
            (ecosystem == Ecosystem::PyPI && manifest.ends_with(".txt") && {
                let deps: Vec<&Dependency> = project
                    .dependencies
                    .iter()
                    .filter(|d| d.manifest == manifest)
                    .collect();
                !deps.is_empty() && deps.iter().all(|d| is_exact(d))
            })
            .then_some(manifest)
        })
}

/// A spec that names one version and nothing else.
pub(crate) fn is_exact(dep: &Dependency) -> bool {
    let spec = dep.spec.trim();
    match dep.ecosystem {
        Ecosystem::Npm => {
            let v = spec
                .strip_prefix('=')
                .unwrap_or(spec)
                .trim_start_matches('v');
            is_plain_version(v)
                || spec.starts_with("file:")
                || spec.starts_with("link:")
                || spec.starts_with("workspace:")
                || (spec.contains('#') && spec.rsplit('#').next().is_some_and(|h| h.len() >= 40))
        }
        Ecosystem::PyPI => {
            (spec.starts_with("==") && !spec.contains('*') && !spec.contains(','))
                || spec.starts_with("===")
                || (spec.contains('@') && spec.contains("://"))
        }
        // Go modules are resolved by minimal version selection from go.sum: always exact.
        Ecosystem::Go => true,
        Ecosystem::Cargo => spec.starts_with('='),
    }
}

fn is_plain_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A range with no upper bound: it will install the next major version when it ships.
pub(crate) fn is_unbounded(dep: &Dependency) -> bool {
    let spec = dep.spec.trim();
    match dep.ecosystem {
        Ecosystem::Npm => {
            if spec.is_empty() || spec == "*" || spec == "latest" || spec.eq_ignore_ascii_case("x")
            {
                return true;
            }
            spec.split("||").any(|alternative| {
                let alt = alternative.trim();
                if alt.is_empty() || alt == "*" || alt.eq_ignore_ascii_case("x") {
                    return true;
                }
                if alt.contains(" - ") {
                    return false; // hyphen range: bounded above
                }
                let comparators: Vec<&str> = alt.split_whitespace().collect();
                let has_lower_only = comparators.iter().any(|c| c.starts_with('>'));
                let has_upper = comparators.iter().any(|c| {
                    c.starts_with('<')
                        || c.starts_with('^')
                        || c.starts_with('~')
                        || c.starts_with('=')
                        || c.chars().next().is_some_and(|ch| ch.is_ascii_digit())
                });
                has_lower_only && !has_upper
            })
        }
        Ecosystem::PyPI => {
            if spec.is_empty() || spec == "*" {
                return true;
            }
            let bounded = spec.split(',').any(|clause| {
                let c = clause.trim();
                c.starts_with('<')
                    || c.starts_with("==")
                    || c.starts_with("~=")
                    || c.starts_with('^')
                    || c.starts_with('~')
            });
            !bounded
        }
        Ecosystem::Go => false,
        Ecosystem::Cargo => spec == "*" || spec.starts_with(">=") && !spec.contains('<'),
    }
}

/// Days between an RFC 3339 time and the project's "now"; `None` when the time does not parse.
pub(crate) fn age_in_days(project: &Project, when: &str) -> Option<i64> {
    let then: jiff::Timestamp = when.trim().parse().ok()?;
    let seconds = project.now.as_second() - then.as_second();
    Some(seconds / 86_400)
}

/// Age thresholds shared by the staleness rules: older than a year is MEDIUM, older than half a
/// year LOW.
pub(crate) fn staleness(days: i64) -> Option<crate::Severity> {
    if days > 365 {
        Some(crate::Severity::Medium)
    } else if days > 180 {
        Some(crate::Severity::Low)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::DependencyKind;

    fn dep(ecosystem: Ecosystem, spec: &str) -> Dependency {
        Dependency {
            ecosystem,
            name: "x".into(),
            spec: spec.into(),
            kind: DependencyKind::Normal,
            manifest: "package.json".into(),
            line: None,
        }
    }

    #[test]
    fn npm_ranges() {
        let table = [
            ("1.2.3", true, false),
            ("=1.2.3", true, false),
            ("1.2.3-beta.1", true, false),
            ("^1.2.3", false, false),
            ("~1.2.3", false, false),
            ("1.x", false, false),
            ("*", false, true),
            ("", false, true),
            ("latest", false, true),
            (">=1.0.0", false, true),
            (">=1.0.0 <2.0.0", false, false),
            ("^1.0.0 || >=3", false, true),
            ("1.0.0 - 2.0.0", false, false),
            ("workspace:*", true, true),
        ];
        for (spec, exact, unbounded) in table {
            let d = dep(Ecosystem::Npm, spec);
            assert_eq!(is_exact(&d), exact, "exact {spec}");
            if spec != "workspace:*" {
                assert_eq!(is_unbounded(&d), unbounded, "unbounded {spec}");
            }
        }
    }

    #[test]
    fn python_specifiers() {
        let table = [
            ("==1.2.3", true, false),
            ("==1.*", false, false),
            (">=1.0", false, true),
            (">=1.0,<2", false, false),
            ("~=1.4", false, false),
            ("", false, true),
            ("^1.2", false, false),
            ("*", false, true),
        ];
        for (spec, exact, unbounded) in table {
            let d = dep(Ecosystem::PyPI, spec);
            assert_eq!(is_exact(&d), exact, "exact {spec}");
            assert_eq!(is_unbounded(&d), unbounded, "unbounded {spec}");
        }
    }
}
