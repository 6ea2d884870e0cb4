//! pip's choice of versions from PEP 508 requirements, read from the PyPI JSON API.
//!
//! - Markers are evaluated for one Python version on Linux CPython (x86-64); a requirement
//!   whose marker is false there is skipped. `extra == "x"` holds only for extras that were
//!   asked for (`pkg[x]`), on the package that was asked.
//! - A release is a candidate when it has files, not all of them yanked (PEP 592), and its
//!   `requires_python` admits the Python version. The highest candidate satisfying the
//!   specifier wins; pre-releases only when the specifier names one or nothing else satisfies
//!   it (PEP 440, as pip does). A yanked release is taken only for an exact `==` pin that
//!   nothing else satisfies (PEP 592).
//! - One version per project (names compared after PEP 503 normalisation): the first choice
//!   stands, and a later specifier it does not satisfy is reported as a conflict; pip would
//!   backtrack to a version that satisfies both, which this resolver does not attempt.
//! - A release's dependencies are its `requires_dist`: from the project document for the
//!   latest release, else from the release's own document.

use super::{
    max_pending, DepKind, Memo, Registry, Resolution, ResolveLimits, ResolvedEdge, Unresolved,
};
use crate::model::{DepEcosystem, DependencyGraph, LockPackage};
use crate::version::{pep440_max_satisfying, pep440_specifier_satisfied};
use pep508_rs::{
    ExtraName, MarkerEnvironment, MarkerEnvironmentBuilder, Requirement, VersionOrUrl,
};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::str::FromStr;

/// Longest requirement string parsed.
const MAX_REQUIREMENT_LEN: usize = 4096;

/// Deepest parenthesis nesting in a requirement's marker (the marker parser recurses).
const MAX_MARKER_NESTING: usize = 32;

/// Resolves PEP 508 requirement strings (from `pyproject.toml`, `requirements.txt`, `setup.py`)
/// the way `pip install` would pick versions for Python `python` (`"3.12"` or `"3.12.4"`) on
/// Linux CPython, without installing anything.
///
/// Never panics; work is bounded by `limits` (`include_dev` does not apply to Python).
pub fn resolve_pypi(
    requirements: &[String],
    python: &str,
    registry: &dyn Registry,
    limits: &ResolveLimits,
) -> Resolution {
    let Some(target) = PythonTarget::parse(python) else {
        let mut unresolved = Unresolved::default();
        for requirement in requirements {
            unresolved.push(
                requirement.clone(),
                format!("`{python}` is not a Python version to resolve for"),
                &[],
            );
        }
        return Resolution {
            graph: graph(python, Vec::new(), Vec::new()),
            unresolved: unresolved.list,
            ..Resolution::default()
        };
    };
    let mut resolver = PypiResolver {
        limits,
        target,
        memo: Memo::new(registry, limits),
        packages: Vec::new(),
        index: HashMap::new(),
        nodes: Vec::new(),
        edges: Vec::new(),
        edge_keys: HashSet::new(),
        unresolved: Unresolved::default(),
        problems: Vec::new(),
        truncated: false,
        queue: VecDeque::new(),
        queued: 0,
    };
    for requirement in requirements {
        resolver.enqueue(Pending {
            from: None,
            text: requirement.clone(),
            extras: BTreeSet::new(),
            depth: 1,
        });
    }
    while let Some(pending) = resolver.queue.pop_front() {
        resolver.resolve(pending);
    }
    resolver.finish(python)
}

/// `name==version` lines for a PyPI resolution, sorted by normalised name, under a comment
/// saying where they came from: the `requirements.txt` pip would install exactly.
pub fn to_requirements_txt(resolution: &Resolution) -> String {
    let mut pins: Vec<(String, &str, &str)> = resolution
        .graph
        .packages
        .iter()
        .filter(|p| p.ecosystem == DepEcosystem::PyPI)
        .map(|p| (normalize(&p.name), p.name.as_str(), p.version.as_str()))
        .collect();
    pins.sort();
    pins.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::new();
    out.push_str("# Pinned by SkillAudit: ");
    out.push_str(&one_line(&resolution.graph.format));
    out.push_str(".\n# No lockfile was shipped; these are the versions pip would pick today.\n");
    if resolution.truncated {
        out.push_str("# Incomplete: the resolution stopped at a limit.\n");
    }
    for (what, why) in &resolution.unresolved {
        out.push_str(&format!(
            "# not resolved: {} ({})\n",
            one_line(what),
            one_line(why)
        ));
    }
    for (_, name, version) in pins {
        out.push_str(&format!("{}=={}\n", one_line(name), one_line(version)));
    }
    out
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn graph(python: &str, packages: Vec<LockPackage>, problems: Vec<String>) -> DependencyGraph {
    DependencyGraph {
        source: "requirements".to_string(),
        format: format!(
            "resolved from Python requirements (pip semantics, Python {}, Linux CPython)",
            one_line(python)
        ),
        packages,
        problems,
    }
}

/// The interpreter markers are evaluated for.
struct PythonTarget {
    /// `3.12.0` for `3.12`.
    full: String,
    environment: MarkerEnvironment,
}

impl PythonTarget {
    fn parse(python: &str) -> Option<PythonTarget> {
        let python = python.trim();
        let parts: Vec<&str> = python.split('.').collect();
        let numeric =
            |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
        if !(2..=3).contains(&parts.len()) || !parts.iter().all(numeric) {
            return None;
        }
        let short = format!("{}.{}", parts[0], parts[1]);
        let full = format!("{short}.{}", parts.get(2).unwrap_or(&"0"));
        let environment = MarkerEnvironment::try_from(MarkerEnvironmentBuilder {
            implementation_name: "cpython",
            implementation_version: &full,
            os_name: "posix",
            platform_machine: "x86_64",
            platform_python_implementation: "CPython",
            platform_release: "",
            platform_system: "Linux",
            platform_version: "",
            python_full_version: &full,
            python_version: &short,
            sys_platform: "linux",
        })
        .ok()?;
        Some(PythonTarget { full, environment })
    }
}

/// One requirement waiting to be resolved.
struct Pending {
    from: Option<usize>,
    text: String,
    /// Extras requested of the dependent, for its `extra == "…"` markers.
    extras: BTreeSet<String>,
    depth: usize,
}

/// What is kept per chosen release, to expand it again when more extras are asked of it.
struct Node {
    requires_dist: Vec<String>,
    /// Whether its dependencies were queued, and for which extras.
    expanded: bool,
    extras: BTreeSet<String>,
    depth: usize,
}

struct PypiResolver<'a> {
    limits: &'a ResolveLimits,
    target: PythonTarget,
    memo: Memo<'a>,
    packages: Vec<LockPackage>,
    /// Normalised name → package.
    index: HashMap<String, usize>,
    nodes: Vec<Node>,
    edges: Vec<ResolvedEdge>,
    edge_keys: HashSet<(Option<usize>, usize)>,
    unresolved: Unresolved,
    problems: Vec<String>,
    truncated: bool,
    queue: VecDeque<Pending>,
    queued: usize,
}

impl<'a> PypiResolver<'a> {
    fn enqueue(&mut self, pending: Pending) {
        if self.queued >= max_pending(self.limits) {
            self.truncated = true;
            return;
        }
        self.queued += 1;
        self.queue.push_back(pending);
    }

    fn path_of(&self, from: Option<usize>) -> Vec<String> {
        from.and_then(|i| self.packages.get(i))
            .map(|p| p.path.clone())
            .unwrap_or_default()
    }

    fn resolve(&mut self, pending: Pending) {
        let via = self.path_of(pending.from);
        let text = pending.text.trim();
        if text.is_empty() {
            return;
        }
        let requirement = match parse_requirement(text) {
            Ok(requirement) => requirement,
            Err(why) => {
                self.unresolved.push(text.to_string(), why, &via);
                return;
            }
        };
        let extras: Vec<ExtraName> = pending
            .extras
            .iter()
            .filter_map(|e| ExtraName::from_str(e).ok())
            .collect();
        if !requirement
            .marker
            .evaluate(&self.target.environment, &extras)
        {
            return;
        }
        let name = requirement.name.to_string();
        let specifier = match &requirement.version_or_url {
            None => String::new(),
            Some(VersionOrUrl::VersionSpecifier(specifiers)) => specifiers.to_string(),
            Some(VersionOrUrl::Url(_)) => {
                self.unresolved.push(
                    text.to_string(),
                    "a direct URL reference is not resolved from the index".to_string(),
                    &via,
                );
                return;
            }
        };
        let wanted_extras: BTreeSet<String> =
            requirement.extras.iter().map(ToString::to_string).collect();
        if let Some(&id) = self.index.get(&name) {
            self.check_conflict(id, &specifier, text, &via);
            self.link(pending.from, id, &name, text);
            self.expand(id, &wanted_extras);
            return;
        }
        if self.packages.len() >= self.limits.max_packages {
            self.truncated = true;
            return;
        }
        let answer = self
            .memo
            .get(format!("project:{name}"), |r| r.pypi_project(&name));
        let project = match answer {
            None => {
                self.truncated = true;
                return;
            }
            Some(Err(err)) => {
                self.unresolved.push(
                    text.to_string(),
                    format!("registry metadata unavailable: {err}"),
                    &via,
                );
                return;
            }
            Some(Ok(project)) => project,
        };
        let version = match choose_release(&project, &specifier, &self.target.full) {
            Ok(version) => version,
            Err(why) => {
                self.unresolved.push(text.to_string(), why, &via);
                return;
            }
        };
        let requires_dist = match self.requires_dist(&name, &version, &project) {
            Ok(list) => list,
            Err(err) => {
                self.problems.push(format!(
                    "{name} {version}: dependencies unknown (registry metadata unavailable: {err})"
                ));
                Vec::new()
            }
        };
        let display = project
            .get("info")
            .and_then(|i| i.get("name"))
            .and_then(Value::as_str)
            .filter(|n| normalize(n) == name)
            .unwrap_or(&name)
            .to_string();
        let mut path = via;
        path.push(display.clone());
        let id = self.packages.len();
        self.packages.push(LockPackage {
            ecosystem: DepEcosystem::PyPI,
            name: display,
            version,
            direct: false,
            dev: false,
            optional: false,
            path,
            resolved: None,
            integrity: None,
        });
        self.nodes.push(Node {
            requires_dist,
            expanded: false,
            extras: BTreeSet::new(),
            depth: pending.depth,
        });
        self.index.insert(name.clone(), id);
        self.link(pending.from, id, &name, text);
        self.expand(id, &wanted_extras);
    }

    /// Queues the dependencies of package `id` the first time, and again when new extras are
    /// asked of it (then for the union; dependencies already linked are not added twice).
    fn expand(&mut self, id: usize, extras: &BTreeSet<String>) {
        let Some(node) = self.nodes.get_mut(id) else {
            return;
        };
        if node.expanded && extras.is_subset(&node.extras) {
            return;
        }
        node.expanded = true;
        node.extras.extend(extras.iter().cloned());
        let depth = node.depth;
        let requires = node.requires_dist.clone();
        let extras = node.extras.clone();
        if requires.is_empty() {
            return;
        }
        if depth >= self.limits.max_depth {
            self.truncated = true;
            return;
        }
        for text in requires {
            self.enqueue(Pending {
                from: Some(id),
                text,
                extras: extras.clone(),
                depth: depth + 1,
            });
        }
    }

    fn check_conflict(&mut self, id: usize, specifier: &str, text: &str, via: &[String]) {
        let Some(chosen) = self.packages.get(id) else {
            return;
        };
        if specifier.is_empty()
            || pep440_specifier_satisfied(specifier, &chosen.version, true) != Some(false)
        {
            return;
        }
        let why = format!(
            "conflict: {} {} was chosen first (for {}) and does not satisfy `{specifier}`; pip \
             would look for a version satisfying both",
            chosen.name,
            chosen.version,
            chosen.path.join(" > ")
        );
        self.unresolved.push(text.to_string(), why, via);
    }

    fn link(&mut self, from: Option<usize>, id: usize, name: &str, text: &str) {
        if from.is_none() {
            if let Some(package) = self.packages.get_mut(id) {
                package.direct = true;
            }
        }
        if self.edge_keys.insert((from, id)) {
            self.edges.push(ResolvedEdge {
                from,
                to: id,
                name: name.to_string(),
                spec: text.to_string(),
                kind: DepKind::Prod,
            });
        }
    }

    /// The release's `requires_dist`: the project document's for the latest release, else the
    /// release document's.
    fn requires_dist(
        &mut self,
        name: &str,
        version: &str,
        project: &Value,
    ) -> Result<Vec<String>, String> {
        let latest = project
            .get("info")
            .and_then(|i| i.get("version"))
            .and_then(Value::as_str);
        if latest == Some(version) {
            return Ok(requires_dist_of(project));
        }
        let key = format!("release:{name}=={version}");
        match self.memo.get(key, |r| r.pypi_release(name, version)) {
            None => {
                self.truncated = true;
                Ok(Vec::new())
            }
            Some(answer) => answer.and_then(|document| {
                let derived = document.get("skillaudit");
                let unknown = derived
                    .and_then(|d| d.get("unknown"))
                    .and_then(Value::as_array)
                    .is_some_and(|u| u.iter().any(|v| v.as_str() == Some("requires_dist")));
                if unknown {
                    let source = derived
                        .and_then(|d| d.get("metadata_source"))
                        .and_then(Value::as_str)
                        .unwrap_or("another source");
                    return Err(format!(
                        "the index has no per-release JSON and no core metadata; the release was found through the {source}"
                    ));
                }
                Ok(requires_dist_of(&document))
            }),
        }
    }

    fn finish(mut self, python: &str) -> Resolution {
        if self.truncated {
            self.problems.push(format!(
                "resolution stopped at a limit ({} packages, depth {}): the tree is incomplete",
                self.limits.max_packages, self.limits.max_depth
            ));
        }
        Resolution {
            graph: graph(python, self.packages, self.problems),
            unresolved: self.unresolved.list,
            truncated: self.truncated,
            edges: self.edges,
            peers: Vec::new(),
        }
    }
}

/// `info.requires_dist` of a project or release document (`null` means none).
fn requires_dist_of(document: &Value) -> Vec<String> {
    document
        .get("info")
        .and_then(|i| i.get("requires_dist"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Parses a PEP 508 requirement after bounding its size and marker nesting.
fn parse_requirement(text: &str) -> Result<Requirement, String> {
    if text.len() > MAX_REQUIREMENT_LEN {
        return Err(format!(
            "requirement longer than {MAX_REQUIREMENT_LEN} bytes"
        ));
    }
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_MARKER_NESTING {
                    return Err("marker nested too deeply".to_string());
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Requirement::from_str(text).map_err(|e| {
        let message = e.to_string();
        let first = message.lines().next().unwrap_or("invalid");
        format!("not a PEP 508 requirement: {first}")
    })
}

/// One release as the project document describes it.
struct Release<'a> {
    version: &'a str,
    yanked: bool,
    admits_python: bool,
}

/// The version pip would install for `specifier`, or why there is none.
fn choose_release(project: &Value, specifier: &str, python: &str) -> Result<String, String> {
    let releases: Vec<Release<'_>> = match project.get("releases").and_then(Value::as_object) {
        Some(releases) => releases
            .iter()
            .filter_map(|(version, files)| {
                let files = files.as_array().filter(|f| !f.is_empty())?;
                let yanked = files
                    .iter()
                    .all(|f| f.get("yanked").and_then(Value::as_bool).unwrap_or(false));
                let requires_python = files
                    .iter()
                    .find_map(|f| f.get("requires_python").and_then(Value::as_str))
                    .filter(|r| !r.trim().is_empty());
                Some(Release {
                    version,
                    yanked,
                    // An unreadable requires_python is ignored, as pip ignores it.
                    admits_python: requires_python
                        .is_none_or(|r| pep440_specifier_satisfied(r, python, true) != Some(false)),
                })
            })
            .collect(),
        // Without `releases`, only the latest release is known.
        None => {
            let info = project.get("info");
            let version = info
                .and_then(|i| i.get("version"))
                .and_then(Value::as_str)
                .ok_or_else(|| "the index lists no releases".to_string())?;
            let requires_python = info
                .and_then(|i| i.get("requires_python"))
                .and_then(Value::as_str)
                .filter(|r| !r.trim().is_empty());
            vec![Release {
                version,
                yanked: info
                    .and_then(|i| i.get("yanked"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                admits_python: requires_python
                    .is_none_or(|r| pep440_specifier_satisfied(r, python, true) != Some(false)),
            }]
        }
    };
    let pick = |filter: &dyn Fn(&Release<'_>) -> bool| {
        let versions: Vec<&str> = releases
            .iter()
            .filter(|r| filter(r))
            .map(|r| r.version)
            .collect();
        pep440_max_satisfying(specifier, &versions, false)
    };
    if let Some(version) = pick(&|r| r.admits_python && !r.yanked) {
        return Ok(version);
    }
    let exact_pin = specifier.trim_start().starts_with("==") && !specifier.contains(',');
    if exact_pin {
        if let Some(version) = pick(&|r| r.admits_python) {
            return Ok(version);
        }
    }
    let yanked = pick(&|r| r.admits_python).is_some();
    let other_python = pick(&|r| !r.yanked).is_some();
    let spec = if specifier.is_empty() {
        "any version"
    } else {
        specifier
    };
    Err(if releases.is_empty() {
        "the index lists no installable release".to_string()
    } else if yanked {
        format!("every release satisfying {spec} for Python {python} is yanked")
    } else if other_python {
        format!("no release satisfying {spec} supports Python {python} (requires_python)")
    } else {
        format!("no release satisfies {spec}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_as_pep_503_says() {
        assert_eq!(normalize("Foo__Bar.baz"), "foo-bar-baz");
        assert_eq!(normalize("zope.interface"), "zope-interface");
    }

    #[test]
    fn python_versions_are_checked() {
        assert_eq!(PythonTarget::parse("3.12").unwrap().full, "3.12.0");
        assert_eq!(PythonTarget::parse(" 3.9.7 ").unwrap().full, "3.9.7");
        for bad in ["3", "three", "3.x", "3.12.0.1", ""] {
            assert!(PythonTarget::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn deeply_nested_markers_are_refused_before_parsing() {
        let text = format!(
            "x ; {}python_version > '3'{}",
            "(".repeat(200),
            ")".repeat(200)
        );
        assert!(parse_requirement(&text).is_err());
    }
}
