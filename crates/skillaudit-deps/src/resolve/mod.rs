//! Resolving a manifest when the project ships no lockfile (SPEC §6, seeds/003).
//!
//! The audit needs the dependency tree a user would actually install, not only the packages the
//! manifest names: most vulnerable code sits in transitive dependencies. Without a lockfile the
//! tree is worked out here from registry metadata alone, the way the package manager would pick
//! versions, and nothing is downloaded, built or run.
//!
//! - [`resolve_npm`]: a `package.json` under npm's rules (ranges, dist-tags, aliases,
//!   pre-releases, deprecated versions avoided).
//! - [`resolve_pypi`]: PEP 508 requirement strings under pip's rules (markers for one Python
//!   version on Linux CPython, extras, `requires_python`, yanked releases, pre-releases).
//!
//! The result is a [`Resolution`]: the same [`DependencyGraph`] a lockfile parser produces, the
//! specs that could not be resolved and why, and the edges between packages. It can be written
//! out as the lockfile the package manager would have made ([`to_package_lock`],
//! [`to_requirements_txt`]), the `--lockfile-out` artifact that makes the audit reproducible.
//!
//! Registry metadata comes through the [`Registry`] trait, so this module never touches the
//! network. Every registry failure becomes an `unresolved` entry (the package is "not checked"),
//! never a silently smaller tree. Work is bounded by [`ResolveLimits`]; cycles are harmless
//! because packages are de-duplicated by name and version.

mod npm;
mod pypi;

pub use npm::{resolve_npm, to_package_lock};
pub use pypi::{resolve_pypi, to_requirements_txt};

use crate::model::DependencyGraph;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Registry metadata as the resolvers read it. Errors are one-line reasons for the report.
pub trait Registry {
    /// The full npm packument of `name` (`versions`, `dist-tags`, `time`).
    fn npm_packument(&self, name: &str) -> Result<Arc<Value>, String>;
    /// PyPI's JSON document for a project (`{base}/{name}/json`): `info` of the latest release
    /// and `releases` with every file.
    fn pypi_project(&self, name: &str) -> Result<Arc<Value>, String>;
    /// PyPI's JSON document for one release (`{base}/{name}/{version}/json`): that release's
    /// own `info.requires_dist`, which the project document carries for the latest release only.
    fn pypi_release(&self, name: &str, version: &str) -> Result<Arc<Value>, String>;
    /// npm's attestations for one published version (`-/npm/v1/attestations/NAME@VERSION`):
    /// the publish attestation and, when the package was built with provenance, the SLSA
    /// provenance statement. Registries without the endpoint answer with an error.
    fn npm_attestations(&self, name: &str, version: &str) -> Result<Arc<Value>, String> {
        Err(format!(
            "attestations of {name}@{version} are not available here"
        ))
    }
}

/// Bounds on one resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolveLimits {
    /// Most packages in the result; past it the resolution stops and is marked truncated.
    pub max_packages: usize,
    /// Deepest level expanded (direct dependencies are level 1).
    pub max_depth: usize,
    /// Also resolve npm `devDependencies` (never installed by users of a published package).
    pub include_dev: bool,
}

impl Default for ResolveLimits {
    fn default() -> Self {
        ResolveLimits {
            max_packages: 2_000,
            max_depth: 25,
            include_dev: false,
        }
    }
}

/// Why one package depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DepKind {
    /// `dependencies`, or a Python requirement.
    Prod,
    /// npm `optionalDependencies`: installed when it can be, ignored when it fails.
    Optional,
    /// npm `devDependencies` of the manifest itself.
    Dev,
}

/// One resolved dependency edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedEdge {
    /// Index of the dependent in `graph.packages`; `None` for the manifest itself.
    pub from: Option<usize>,
    /// Index of the dependency in `graph.packages`.
    pub to: usize,
    /// The name the dependent asks for: an npm alias (`"b": "npm:real@^1"` asks for `b`), else
    /// the package's own name.
    pub name: String,
    /// The range or specifier as written (`^1.2.0`, `npm:real@^1`, `>=2,<3`).
    pub spec: String,
    /// Which list it came from.
    pub kind: DepKind,
}

/// An npm peer dependency: noted, never installed by the resolver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerRequirement {
    /// `name@version` of the package that declares it.
    pub package: String,
    /// The peer's name.
    pub peer: String,
    /// The range asked for.
    pub range: String,
    /// Marked optional in `peerDependenciesMeta`.
    pub optional: bool,
    /// Whether a resolved package of that name satisfies the range.
    pub satisfied: bool,
}

/// What a resolution found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// The resolved packages; `format` says which resolver and rules produced it.
    pub graph: DependencyGraph,
    /// Specs that could not be resolved (`name@spec` or the requirement text) and why: local
    /// paths, git and URL specs, registry errors, nothing satisfying. Their packages were not
    /// checked.
    pub unresolved: Vec<(String, String)>,
    /// Whether a limit stopped the resolution before the whole tree was seen.
    pub truncated: bool,
    /// Who depends on whom, by index into `graph.packages`.
    pub edges: Vec<ResolvedEdge>,
    /// npm peer dependencies declared by resolved packages.
    pub peers: Vec<PeerRequirement>,
}

/// Registry documents fetched once per resolution, failures included, so a name that many
/// packages depend on is asked for once.
struct Memo<'a> {
    registry: &'a dyn Registry,
    documents: HashMap<String, Result<Arc<Value>, String>>,
    /// Distinct documents asked for; bounded so a manifest listing thousands of missing
    /// packages cannot make thousands of requests.
    lookups: usize,
    max_lookups: usize,
}

impl<'a> Memo<'a> {
    fn new(registry: &'a dyn Registry, limits: &ResolveLimits) -> Self {
        Memo {
            registry,
            documents: HashMap::new(),
            lookups: 0,
            max_lookups: limits.max_packages.saturating_mul(2).saturating_add(64),
        }
    }

    /// The memoised document under `key`, else `fetch`'s answer; `None` when the lookup
    /// budget is spent.
    fn get(
        &mut self,
        key: String,
        fetch: impl FnOnce(&dyn Registry) -> Result<Arc<Value>, String>,
    ) -> Option<Result<Arc<Value>, String>> {
        if let Some(known) = self.documents.get(&key) {
            return Some(known.clone());
        }
        if self.lookups >= self.max_lookups {
            return None;
        }
        self.lookups += 1;
        let answer = fetch(self.registry);
        self.documents.insert(key, answer.clone());
        Some(answer)
    }
}

/// Reports each unresolved spec once, however many packages ask for it.
#[derive(Default)]
struct Unresolved {
    seen: std::collections::HashSet<(String, String)>,
    list: Vec<(String, String)>,
}

impl Unresolved {
    fn push(&mut self, what: String, why: String, via: &[String]) {
        if !self.seen.insert((what.clone(), why.clone())) {
            return;
        }
        let why = if via.is_empty() {
            why
        } else {
            format!("{why} (required by {})", via.join(" > "))
        };
        self.list.push((what, why));
    }
}

/// Most queued dependency edges per resolution, whatever the manifests declare.
fn max_pending(limits: &ResolveLimits) -> usize {
    limits.max_packages.saturating_mul(64).max(10_000)
}
