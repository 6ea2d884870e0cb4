//! npm's choice of versions, after the npm CLI's `npm-package-arg` (what a spec means) and
//! `npm-pick-manifest` (which version a range gets).
//!
//! - A spec is a semver range, a dist-tag (`latest`, `next`), or an alias
//!   `npm:real-name@range`; `file:`, `link:`, `workspace:`, git (`git+https:`, `github:`,
//!   `user/repo`) and tarball URLs are not on the registry and are reported unresolved.
//! - A range gets the `latest` dist-tag when that satisfies it and is not deprecated; otherwise
//!   the highest satisfying version that is not deprecated; otherwise the highest satisfying
//!   deprecated one. Pre-releases satisfy only ranges that name a pre-release of the same
//!   version (the `version` module's npm rule), except that `*` takes a pre-release `latest`,
//!   as npm does.
//! - A package already resolved whose version satisfies a later range is reused, as npm reuses
//!   an installed copy rather than adding a second one.
//! - `dependencies` and `optionalDependencies` are followed; the manifest's `devDependencies`
//!   only when asked. `peerDependencies` are noted, not installed. Bundled dependencies ship
//!   inside the tarball and are reported unresolved (their versions are not in the metadata).

use super::{
    max_pending, DepKind, Memo, PeerRequirement, Registry, Resolution, ResolveLimits, ResolvedEdge,
    Unresolved,
};
use crate::model::{DepEcosystem, DependencyGraph, LockPackage};
use crate::version::{npm_max_satisfying, npm_range_satisfied};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// `DependencyGraph::format` of an npm resolution.
const FORMAT: &str = "resolved from package.json (npm semantics)";

/// Longest package name npm accepts.
const MAX_NAME_LEN: usize = 214;

/// Deepest `node_modules` nesting written to a package-lock.
const MAX_NESTING: usize = 64;

/// Resolves the dependencies of a `package.json` document the way `npm install` would pick
/// versions, without installing anything.
///
/// Direct dependencies are `dependencies` and `optionalDependencies` (and `devDependencies`
/// when `limits.include_dev`). The graph's paths are shortest paths from a direct dependency
/// (breadth-first order). Never panics; work is bounded by `limits`.
pub fn resolve_npm(
    manifest: &Value,
    registry: &dyn Registry,
    limits: &ResolveLimits,
) -> Resolution {
    let mut resolver = NpmResolver::new(registry, limits);
    match manifest.as_object() {
        Some(root) => {
            let direct = manifest_dependencies(root, limits.include_dev, None, &mut resolver);
            for (name, spec, kind) in direct {
                resolver.enqueue(Pending {
                    from: None,
                    name,
                    spec,
                    kind,
                    depth: 1,
                });
            }
            resolver.note_peers(None, root);
        }
        None => resolver
            .problems
            .push("package.json is not a JSON object; nothing resolved".to_string()),
    }
    resolver.run();
    resolver.finish()
}

/// What a registry spec asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wanted {
    Range(String),
    Tag(String),
}

/// What a dependency spec means.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Spec {
    /// A package on the registry (for an alias, the real name).
    Registry { name: String, wanted: Wanted },
    /// Somewhere else, with the reason it is not resolved.
    Elsewhere(String),
}

/// Reads a spec as `npm-package-arg` does, for the dependency `name`.
fn classify(name: &str, spec: &str) -> Spec {
    let spec = spec.trim();
    if let Some(aliased) = spec.strip_prefix("npm:") {
        // `npm:@scope/real@range`: the version part starts at the first `@` after the name.
        let at = aliased
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '@')
            .map(|(i, _)| i);
        let (real, range) = match at {
            Some(i) => (&aliased[..i], &aliased[i + 1..]),
            None => (aliased, ""),
        };
        if !valid_name(real) {
            return Spec::Elsewhere(format!("alias names an invalid package `{real}`"));
        }
        return match classify(real, range) {
            Spec::Registry { wanted, .. } if !range.trim_start().starts_with("npm:") => {
                Spec::Registry {
                    name: real.to_string(),
                    wanted,
                }
            }
            Spec::Registry { .. } => Spec::Elsewhere("an alias of an alias".to_string()),
            Spec::Elsewhere(why) => Spec::Elsewhere(why),
        };
    }
    if !valid_name(name) {
        return Spec::Elsewhere("not a valid npm package name".to_string());
    }
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with("workspace:") {
        return Spec::Elsewhere(
            "a `workspace:` spec names a package of the same monorepo, not a registry package"
                .to_string(),
        );
    }
    if lower.starts_with("file:")
        || lower.starts_with("link:")
        || spec.starts_with('.')
        || spec.starts_with('/')
        || spec.starts_with("~/")
        || spec.starts_with('\\')
        || spec.get(1..3) == Some(":\\")
    {
        return Spec::Elsewhere("a local path is not resolved from the registry".to_string());
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Spec::Elsewhere("a tarball URL is not resolved from the registry".to_string());
    }
    let git_prefixes = [
        "git+",
        "git:",
        "git@",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    // Ranges never contain `/`, so `user/repo` (GitHub's shorthand) is git too.
    if git_prefixes.iter().any(|p| lower.starts_with(p)) || spec.contains('/') {
        return Spec::Elsewhere("a git dependency is not resolved from the registry".to_string());
    }
    let range = if spec.is_empty() { "*" } else { spec };
    if npm_range_satisfied(range, "0.0.0").is_some() {
        return Spec::Registry {
            name: name.to_string(),
            wanted: Wanted::Range(range.to_string()),
        };
    }
    let tag_like = spec.len() <= 128
        && spec
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if tag_like {
        Spec::Registry {
            name: name.to_string(),
            wanted: Wanted::Tag(spec.to_string()),
        }
    } else {
        Spec::Elsewhere("neither a semver range nor a dist-tag".to_string())
    }
}

/// Loosely npm's rule: 1–214 characters, no blanks or path tricks, `@scope/name` for scopes.
fn valid_name(name: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    let plain = |part: &str| {
        !part.is_empty() && !part.starts_with('.') && part.chars().all(allowed) && part != ".."
    };
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return false;
    }
    match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(scope, rest)| plain(scope) && plain(rest)),
        None => plain(name) && !name.starts_with('_'),
    }
}

fn is_deprecated(manifest: &Value) -> bool {
    match manifest.get("deprecated") {
        Some(Value::String(reason)) => !reason.is_empty(),
        Some(Value::Bool(flag)) => *flag,
        _ => false,
    }
}

/// The version `wanted` gets from a packument, or why none does.
fn pick_version(packument: &Value, wanted: &Wanted) -> Result<String, String> {
    let versions = packument
        .get("versions")
        .and_then(Value::as_object)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| "the registry lists no versions".to_string())?;
    let tag = |name: &str| {
        packument
            .get("dist-tags")
            .and_then(|tags| tags.get(name))
            .and_then(Value::as_str)
            .filter(|v| versions.contains_key(*v))
    };
    let range = match wanted {
        Wanted::Tag(name) => {
            return tag(name)
                .map(str::to_string)
                .ok_or_else(|| format!("no dist-tag `{name}`"));
        }
        Wanted::Range(range) => range.as_str(),
    };
    let any = range.trim() == "*";
    if let Some(latest) = tag("latest") {
        let fresh = versions.get(latest).is_some_and(|m| !is_deprecated(m));
        if fresh && (any || npm_range_satisfied(range, latest) == Some(true)) {
            return Ok(latest.to_string());
        }
    }
    let all: Vec<&str> = versions.keys().map(String::as_str).collect();
    let fresh: Vec<&str> = versions
        .iter()
        .filter(|(_, m)| !is_deprecated(m))
        .map(|(v, _)| v.as_str())
        .collect();
    npm_max_satisfying(range, &fresh)
        .or_else(|| npm_max_satisfying(range, &all))
        .ok_or_else(|| match tag("latest") {
            Some(latest) => format!("no version satisfies `{range}` (latest is {latest})"),
            None => format!("no version satisfies `{range}`"),
        })
}

/// One dependency waiting to be resolved.
struct Pending {
    from: Option<usize>,
    /// The name asked for (an alias's own name).
    name: String,
    spec: String,
    kind: DepKind,
    /// Level of the dependency itself: 1 for direct.
    depth: usize,
}

struct NpmResolver<'a> {
    limits: &'a ResolveLimits,
    memo: Memo<'a>,
    packages: Vec<LockPackage>,
    index: HashMap<(String, String), usize>,
    by_name: HashMap<String, Vec<usize>>,
    edges: Vec<ResolvedEdge>,
    edge_keys: HashSet<(Option<usize>, usize, String)>,
    /// (declaring package, peer name, range, optional).
    peers: Vec<(Option<usize>, String, String, bool)>,
    unresolved: Unresolved,
    problems: Vec<String>,
    truncated: bool,
    queue: VecDeque<Pending>,
    queued: usize,
}

impl<'a> NpmResolver<'a> {
    fn new(registry: &'a dyn Registry, limits: &'a ResolveLimits) -> Self {
        NpmResolver {
            limits,
            memo: Memo::new(registry, limits),
            packages: Vec::new(),
            index: HashMap::new(),
            by_name: HashMap::new(),
            edges: Vec::new(),
            edge_keys: HashSet::new(),
            peers: Vec::new(),
            unresolved: Unresolved::default(),
            problems: Vec::new(),
            truncated: false,
            queue: VecDeque::new(),
            queued: 0,
        }
    }

    fn enqueue(&mut self, pending: Pending) {
        if self.queued >= max_pending(self.limits) {
            self.truncated = true;
            return;
        }
        self.queued += 1;
        self.queue.push_back(pending);
    }

    fn run(&mut self) {
        while let Some(pending) = self.queue.pop_front() {
            self.resolve(pending);
        }
    }

    /// The dependent's path, for messages and for its dependencies' paths.
    fn path_of(&self, from: Option<usize>) -> Vec<String> {
        from.and_then(|i| self.packages.get(i))
            .map(|p| p.path.clone())
            .unwrap_or_default()
    }

    fn resolve(&mut self, pending: Pending) {
        let via = self.path_of(pending.from);
        let what = format!("{}@{}", pending.name, pending.spec);
        let (real, wanted) = match classify(&pending.name, &pending.spec) {
            Spec::Registry { name, wanted } => (name, wanted),
            Spec::Elsewhere(why) => {
                self.unresolved.push(what, why, &via);
                return;
            }
        };
        if let Wanted::Range(range) = &wanted {
            if let Some(id) = self.reusable(&real, range) {
                self.link(&pending, id);
                return;
            }
        }
        if self.packages.len() >= self.limits.max_packages {
            self.truncated = true;
            return;
        }
        let answer = self
            .memo
            .get(real.clone(), |registry| registry.npm_packument(&real));
        let packument = match answer {
            None => {
                self.truncated = true;
                return;
            }
            Some(Err(err)) => {
                self.unresolved
                    .push(what, format!("registry metadata unavailable: {err}"), &via);
                return;
            }
            Some(Ok(packument)) => packument,
        };
        let version = match pick_version(&packument, &wanted) {
            Ok(version) => version,
            Err(why) => {
                self.unresolved.push(what, why, &via);
                return;
            }
        };
        let key = (real.clone(), version.clone());
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => self.add_package(&real, &version, &packument, via, pending.depth),
        };
        self.link(&pending, id);
    }

    /// An already resolved copy of `name` that satisfies `range`, first resolved first.
    fn reusable(&self, name: &str, range: &str) -> Option<usize> {
        self.by_name.get(name)?.iter().copied().find(|&id| {
            self.packages
                .get(id)
                .is_some_and(|p| npm_range_satisfied(range, &p.version) == Some(true))
        })
    }

    fn link(&mut self, pending: &Pending, id: usize) {
        if pending.from.is_none() {
            if let Some(package) = self.packages.get_mut(id) {
                package.direct = true;
            }
        }
        if self
            .edge_keys
            .insert((pending.from, id, pending.name.clone()))
        {
            self.edges.push(ResolvedEdge {
                from: pending.from,
                to: id,
                name: pending.name.clone(),
                spec: pending.spec.clone(),
                kind: pending.kind,
            });
        }
    }

    fn add_package(
        &mut self,
        name: &str,
        version: &str,
        packument: &Value,
        mut path: Vec<String>,
        depth: usize,
    ) -> usize {
        let manifest = packument
            .get("versions")
            .and_then(|v| v.get(version))
            .and_then(Value::as_object);
        let dist = manifest.and_then(|m| m.get("dist"));
        let resolved = dist
            .and_then(|d| d.get("tarball"))
            .and_then(Value::as_str)
            .filter(|t| t.starts_with("https://") || t.starts_with("http://"))
            .map(str::to_string);
        let integrity = dist
            .and_then(|d| d.get("integrity"))
            .and_then(Value::as_str)
            .map(str::to_string);
        path.push(name.to_string());
        let id = self.packages.len();
        self.packages.push(LockPackage {
            ecosystem: DepEcosystem::Npm,
            name: name.to_string(),
            version: version.to_string(),
            direct: false,
            dev: false,
            optional: false,
            path,
            resolved,
            integrity,
        });
        self.index
            .insert((name.to_string(), version.to_string()), id);
        self.by_name.entry(name.to_string()).or_default().push(id);
        let Some(manifest) = manifest else {
            return id;
        };
        let children = manifest_dependencies(manifest, false, Some(id), self);
        self.note_peers(Some(id), manifest);
        if children.is_empty() {
            return id;
        }
        if depth >= self.limits.max_depth {
            self.truncated = true;
            return id;
        }
        for (child, spec, kind) in children {
            self.enqueue(Pending {
                from: Some(id),
                name: child,
                spec,
                kind,
                depth: depth + 1,
            });
        }
        id
    }

    fn note_peers(&mut self, owner: Option<usize>, manifest: &Map<String, Value>) {
        let Some(peers) = manifest.get("peerDependencies").and_then(Value::as_object) else {
            return;
        };
        let meta = manifest
            .get("peerDependenciesMeta")
            .and_then(Value::as_object);
        for (peer, range) in peers {
            let Some(range) = range.as_str() else {
                continue;
            };
            let optional = meta
                .and_then(|m| m.get(peer))
                .and_then(|m| m.get("optional"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            self.peers
                .push((owner, peer.clone(), range.to_string(), optional));
        }
    }

    fn finish(mut self) -> Resolution {
        self.compute_flags();
        let peers = std::mem::take(&mut self.peers)
            .into_iter()
            .map(|(owner, peer, range, optional)| {
                let package = match owner.and_then(|i| self.packages.get(i)) {
                    Some(p) => format!("{}@{}", p.name, p.version),
                    None => "package.json".to_string(),
                };
                let satisfied = self.by_name.get(&peer).is_some_and(|ids| {
                    ids.iter().any(|&id| {
                        self.packages
                            .get(id)
                            .is_some_and(|p| npm_range_satisfied(&range, &p.version) == Some(true))
                    })
                });
                PeerRequirement {
                    package,
                    peer,
                    range,
                    optional,
                    satisfied,
                }
            })
            .collect();
        if self.truncated {
            self.problems.push(format!(
                "resolution stopped at a limit ({} packages, depth {}): the tree is incomplete",
                self.limits.max_packages, self.limits.max_depth
            ));
        }
        Resolution {
            graph: DependencyGraph {
                source: "package.json".to_string(),
                format: FORMAT.to_string(),
                packages: self.packages,
                problems: self.problems,
            },
            unresolved: self.unresolved.list,
            truncated: self.truncated,
            edges: self.edges,
            peers,
        }
    }

    /// npm's flags: `dev` when only dev dependencies lead to a package, `optional` when only
    /// optional edges do.
    fn compute_flags(&mut self) {
        let n = self.packages.len();
        let mut out: Vec<Vec<(usize, DepKind)>> = vec![Vec::new(); n];
        for edge in &self.edges {
            if let Some(from) = edge.from.filter(|&f| f < n) {
                if edge.to < n {
                    out[from].push((edge.to, edge.kind));
                }
            }
        }
        let reach = |root_kind: &dyn Fn(DepKind) -> bool, follow: &dyn Fn(DepKind) -> bool| {
            let mut seen = vec![false; n];
            let mut stack: Vec<usize> = self
                .edges
                .iter()
                .filter(|e| e.from.is_none() && e.to < n && root_kind(e.kind))
                .map(|e| e.to)
                .collect();
            while let Some(id) = stack.pop() {
                if std::mem::replace(&mut seen[id], true) {
                    continue;
                }
                stack.extend(
                    out[id]
                        .iter()
                        .filter(|(to, kind)| !seen[*to] && follow(*kind))
                        .map(|(to, _)| *to),
                );
            }
            seen
        };
        let outside_dev = reach(&|k| k != DepKind::Dev, &|_| true);
        let required = reach(&|k| k != DepKind::Optional, &|k| k == DepKind::Prod);
        for (id, package) in self.packages.iter_mut().enumerate() {
            package.dev = !outside_dev[id];
            package.optional = !required[id];
        }
    }
}

/// The dependencies a manifest declares: `dependencies`, `optionalDependencies` (which win over
/// a same-named `dependencies` entry) and, when asked, `devDependencies`. Bundled and
/// malformed entries are reported through `resolver` and left out.
fn manifest_dependencies(
    manifest: &Map<String, Value>,
    include_dev: bool,
    owner: Option<usize>,
    resolver: &mut NpmResolver<'_>,
) -> Vec<(String, String, DepKind)> {
    let via = resolver.path_of(owner);
    let bundled: HashSet<String> = match manifest
        .get("bundleDependencies")
        .or_else(|| manifest.get("bundledDependencies"))
    {
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::Bool(true)) => manifest
            .get("dependencies")
            .and_then(Value::as_object)
            .map(|deps| deps.keys().cloned().collect())
            .unwrap_or_default(),
        _ => HashSet::new(),
    };
    let optional = manifest
        .get("optionalDependencies")
        .and_then(Value::as_object);
    let mut lists = vec![
        ("dependencies", DepKind::Prod),
        ("optionalDependencies", DepKind::Optional),
    ];
    if include_dev {
        lists.push(("devDependencies", DepKind::Dev));
    }
    let mut out: Vec<(String, String, DepKind)> = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    for (field, kind) in lists {
        let Some(deps) = manifest.get(field).and_then(Value::as_object) else {
            continue;
        };
        for (name, spec) in deps {
            if kind == DepKind::Prod && optional.is_some_and(|o| o.contains_key(name)) {
                continue;
            }
            if !taken.insert(name.clone()) {
                continue;
            }
            let Some(spec) = spec.as_str() else {
                resolver.unresolved.push(
                    name.clone(),
                    format!("`{field}` entry is not a string"),
                    &via,
                );
                continue;
            };
            if owner.is_some() && bundled.contains(name) {
                resolver.unresolved.push(
                    format!("{name}@{spec}"),
                    "bundled inside its dependent's tarball; its version is not in the registry metadata"
                        .to_string(),
                    &via,
                );
                continue;
            }
            out.push((name.clone(), spec.to_string(), kind));
        }
    }
    out
}

/// A `package-lock.json` (lockfileVersion 3) for `resolution`, as `npm install
/// --package-lock-only` would lay it out: each package at `node_modules/<name>` when that place
/// is free, else nested under the package that needs it (`node_modules/a/node_modules/b`), so
/// that Node's lookup from every dependent finds the version resolved for it. Entries carry
/// `version`, `resolved`, `integrity`, the `dev`/`optional`/`devOptional` flags, an aliased
/// package's real `name`, and the dependencies by range.
pub fn to_package_lock(resolution: &Resolution, root_name: &str, root_version: &str) -> Value {
    let packages = &resolution.graph.packages;
    let n = packages.len();
    let mut out: Vec<Vec<&ResolvedEdge>> = vec![Vec::new(); n];
    let mut root_edges: Vec<&ResolvedEdge> = Vec::new();
    for edge in resolution.edges.iter().filter(|e| e.to < n) {
        match edge.from {
            None => root_edges.push(edge),
            Some(from) if from < n => out[from].push(edge),
            Some(_) => {}
        }
    }
    let placed = place(&root_edges, &out, n);

    let mut entries = Map::new();
    let mut root = Map::new();
    root.insert("name".into(), json!(root_name));
    root.insert("version".into(), json!(root_version));
    insert_dependency_maps(&mut root, &root_edges);
    entries.insert(String::new(), Value::Object(root));
    for (chain, &id) in &placed {
        let Some(package) = packages.get(id) else {
            continue;
        };
        let location = chain
            .iter()
            .map(|name| format!("node_modules/{name}"))
            .collect::<Vec<_>>()
            .join("/");
        let mut entry = Map::new();
        if chain.last() != Some(&package.name) {
            entry.insert("name".into(), json!(package.name));
        }
        entry.insert("version".into(), json!(package.version));
        if let Some(resolved) = &package.resolved {
            entry.insert("resolved".into(), json!(resolved));
        }
        if let Some(integrity) = &package.integrity {
            entry.insert("integrity".into(), json!(integrity));
        }
        match (package.dev, package.optional) {
            (true, true) => entry.insert("devOptional".into(), json!(true)),
            (true, false) => entry.insert("dev".into(), json!(true)),
            (false, true) => entry.insert("optional".into(), json!(true)),
            (false, false) => None,
        };
        insert_dependency_maps(&mut entry, &out[id]);
        let own = format!("{}@{}", package.name, package.version);
        let peers: Map<String, Value> = resolution
            .peers
            .iter()
            .filter(|p| p.package == own)
            .map(|p| (p.peer.clone(), json!(p.range)))
            .collect();
        if !peers.is_empty() {
            entry.insert("peerDependencies".into(), Value::Object(peers));
        }
        entries.insert(location, Value::Object(entry));
    }
    json!({
        "name": root_name,
        "version": root_version,
        "lockfileVersion": 3,
        "requires": true,
        "packages": entries,
    })
}

fn insert_dependency_maps(entry: &mut Map<String, Value>, edges: &[&ResolvedEdge]) {
    for (field, kind) in [
        ("dependencies", DepKind::Prod),
        ("optionalDependencies", DepKind::Optional),
        ("devDependencies", DepKind::Dev),
    ] {
        let map: Map<String, Value> = edges
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| (e.name.clone(), json!(e.spec)))
            .collect();
        if !map.is_empty() {
            entry.insert(field.into(), Value::Object(map));
        }
    }
}

/// Install locations (chains of names under `node_modules`) for every package, breadth-first
/// from the manifest: hoisted to the top when nothing there has that name, nested under the
/// dependent when Node's lookup from it would find another version. Bounded in locations and
/// nesting depth.
fn place(
    root_edges: &[&ResolvedEdge],
    out: &[Vec<&ResolvedEdge>],
    n: usize,
) -> BTreeMap<Vec<String>, usize> {
    let max_locations = n.saturating_mul(8).max(1_000);
    let mut placed: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    let mut queue: VecDeque<Vec<String>> = VecDeque::new();
    for edge in root_edges {
        let chain = vec![edge.name.clone()];
        if !placed.contains_key(&chain) {
            placed.insert(chain.clone(), edge.to);
            queue.push_back(chain);
        }
    }
    while let Some(chain) = queue.pop_front() {
        let Some(&id) = placed.get(&chain) else {
            continue;
        };
        let Some(needs) = out.get(id) else {
            continue;
        };
        for edge in needs {
            let location = match visible(&placed, &chain, &edge.name) {
                Some(found) if found == edge.to => continue,
                Some(_) => {
                    let mut nested = chain.clone();
                    nested.push(edge.name.clone());
                    nested
                }
                None => vec![edge.name.clone()],
            };
            if placed.len() >= max_locations
                || location.len() > MAX_NESTING
                || placed.contains_key(&location)
            {
                continue;
            }
            placed.insert(location.clone(), edge.to);
            queue.push_back(location);
        }
    }
    placed
}

/// What Node's `require(name)` finds from the package installed at `chain`: its own
/// `node_modules`, then each enclosing one up to the top.
fn visible(placed: &BTreeMap<Vec<String>, usize>, chain: &[String], name: &str) -> Option<usize> {
    (0..=chain.len()).rev().find_map(|depth| {
        let mut candidate = chain[..depth].to_vec();
        candidate.push(name.to_string());
        placed.get(&candidate).copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(name: &str, wanted: Wanted) -> Spec {
        Spec::Registry {
            name: name.to_string(),
            wanted,
        }
    }

    #[test]
    fn specs_are_read_as_npm_reads_them() {
        let range = |r: &str| Wanted::Range(r.to_string());
        assert_eq!(classify("a", "^1.2.0"), registry("a", range("^1.2.0")));
        assert_eq!(classify("a", ""), registry("a", range("*")));
        assert_eq!(
            classify("a", "latest"),
            registry("a", Wanted::Tag("latest".into()))
        );
        assert_eq!(
            classify("b", "npm:@scope/real@~2.1"),
            registry("@scope/real", range("~2.1"))
        );
        assert_eq!(classify("b", "npm:real"), registry("real", range("*")));
        for elsewhere in [
            "file:../x",
            "link:../x",
            "./x",
            "workspace:*",
            "git+https://github.com/a/b.git",
            "github:a/b",
            "a/b#main",
            "https://example.com/x.tgz",
            "npm:real@npm:other@1",
            "npm:../x@1",
            "not a range!",
        ] {
            assert!(
                matches!(classify("a", elsewhere), Spec::Elsewhere(_)),
                "{elsewhere}"
            );
        }
    }

    #[test]
    fn names_are_checked() {
        assert!(valid_name("@scope/pkg"));
        assert!(valid_name("lodash.merge"));
        for bad in [
            "", "../x", "@scope", "@scope/", "a/b", ".hidden", "_x", "a b",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
