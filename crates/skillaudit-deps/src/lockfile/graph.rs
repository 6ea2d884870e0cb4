//! The builder every parser fills: packages deduplicated by (name, version), the edges between
//! them and the project's direct dependencies; [`GraphBuilder::finish`] then derives the
//! dev/optional flags a format does not record and the shortest path to each package.

use super::{MAX_PACKAGES, MAX_PATH_LEN, MAX_PROBLEMS};
use crate::model::{DepEcosystem, DependencyGraph, LockPackage};
use std::collections::{HashMap, VecDeque};

/// Longest version kept; longer ones are cut (with a problem line).
pub(crate) const MAX_VERSION_CHARS: usize = 256;
/// Longest package name accepted (npm allows 214, module paths are longer).
const MAX_NAME_BYTES: usize = 512;
/// Longest `resolved` / `integrity` kept.
const MAX_ARTIFACT_BYTES: usize = 4096;
/// Most edges kept; beyond it paths and derived flags are approximate (one problem line).
const MAX_EDGES: usize = 4_000_000;
/// Units of work (bytes hashed) a parser may spend resolving dependencies by location: a base,
/// plus a multiple of the input's size (real lockfiles spend a few bytes per byte read, a
/// hostile one nesting thousands of folders deep far more), under a ceiling.
const BASE_RESOLVE_WORK: u64 = 16 * 1024 * 1024;
const RESOLVE_WORK_PER_BYTE: u64 = 16;
const MAX_RESOLVE_WORK: u64 = 1024 * 1024 * 1024;

/// Index of a package in the builder.
pub(crate) type NodeId = usize;

/// A dependency the project declares in its manifest (`package.json`, `pyproject.toml`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    pub name: String,
    /// The range or requirement as written (`^4.18.2`), empty when the format has none.
    pub range: String,
    pub dev: bool,
    pub optional: bool,
}

struct Node {
    name: String,
    version: String,
    dev: Option<bool>,
    optional: Option<bool>,
    resolved: Option<String>,
    integrity: Option<String>,
}

#[derive(Clone, Copy)]
struct Root {
    node: NodeId,
    dev: bool,
    optional: bool,
}

/// Collects packages, edges, direct dependencies and problems of one lockfile.
pub(crate) struct GraphBuilder {
    ecosystem: DepEcosystem,
    records_edges: bool,
    nodes: Vec<Node>,
    index: HashMap<String, NodeId>,
    children: Vec<Vec<(NodeId, bool)>>,
    roots: Vec<Root>,
    edge_count: usize,
    work_left: u64,
    problems: Vec<String>,
    dropped_problems: usize,
    packages_full: bool,
    edges_full: bool,
    work_exhausted: bool,
}

impl GraphBuilder {
    /// `records_edges`: whether the format records which package needs which; without edges
    /// every path stays empty and nothing is inferred.
    pub(crate) fn new(ecosystem: DepEcosystem, records_edges: bool) -> Self {
        GraphBuilder {
            ecosystem,
            records_edges,
            nodes: Vec::new(),
            index: HashMap::new(),
            children: Vec::new(),
            roots: Vec::new(),
            edge_count: 0,
            work_left: BASE_RESOLVE_WORK,
            problems: Vec::new(),
            dropped_problems: 0,
            packages_full: false,
            edges_full: false,
            work_exhausted: false,
        }
    }

    /// Records one problem line (kept short and free of control characters).
    pub(crate) fn problem(&mut self, message: &str) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.dropped_problems += 1;
            return;
        }
        self.problems.push(one_line(message, 400));
    }

    /// Adds (or finds) the package `name`@`version`. `at` names the entry in problem lines.
    /// A name that cannot be a package name drops the entry; a version that is not one keeps
    /// the package with a problem line.
    pub(crate) fn package(&mut self, name: &str, version: &str, at: &str) -> Option<NodeId> {
        if let Err(why) = check_name(name) {
            self.problem(&format!("{at}: {why}; entry skipped"));
            return None;
        }
        let (version, issue) = clean_version(version);
        let key = node_key(name, &version);
        if let Some(&id) = self.index.get(&key) {
            return Some(id);
        }
        if let Some(issue) = issue {
            self.problem(&format!("{at}: {} {issue}", quoted(name)));
        }
        if self.nodes.len() >= MAX_PACKAGES {
            if !self.packages_full {
                self.packages_full = true;
                self.problem(&format!(
                    "more than {MAX_PACKAGES} packages: the rest were not read"
                ));
            }
            return None;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: name.to_string(),
            version,
            dev: None,
            optional: None,
            resolved: None,
            integrity: None,
        });
        self.children.push(Vec::new());
        self.index.insert(key, id);
        Some(id)
    }

    /// The package `name`@`version`, if it was added.
    pub(crate) fn find(&self, name: &str, version: &str) -> Option<NodeId> {
        let (version, _) = clean_version(version);
        self.index.get(&node_key(name, &version)).copied()
    }

    /// Sets the flags the lockfile records for one occurrence of a package. A package listed
    /// several times is dev (optional) only if every occurrence says so.
    pub(crate) fn flags(&mut self, id: NodeId, dev: Option<bool>, optional: Option<bool>) {
        if let Some(node) = self.nodes.get_mut(id) {
            if let Some(dev) = dev {
                node.dev = Some(node.dev.map_or(dev, |d| d && dev));
            }
            if let Some(optional) = optional {
                node.optional = Some(node.optional.map_or(optional, |o| o && optional));
            }
        }
    }

    /// Records where the package came from and its hash; the first occurrence wins.
    pub(crate) fn artifact(&mut self, id: NodeId, resolved: Option<&str>, integrity: Option<&str>) {
        let Some(node) = self.nodes.get_mut(id) else {
            return;
        };
        let keep = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s.len() <= MAX_ARTIFACT_BYTES && !s.chars().any(char::is_control))
                .then(|| s.to_string())
        };
        if node.resolved.is_none() {
            node.resolved = resolved.and_then(keep);
        }
        if node.integrity.is_none() {
            node.integrity = integrity.and_then(keep);
        }
    }

    /// `from` needs `to`; `optional` when only as an optional dependency.
    pub(crate) fn edge(&mut self, from: NodeId, to: NodeId, optional: bool) {
        if from == to || from >= self.children.len() || to >= self.nodes.len() {
            return;
        }
        if self.edge_count >= MAX_EDGES {
            if !self.edges_full {
                self.edges_full = true;
                self.problem(&format!(
                    "more than {MAX_EDGES} dependency edges: the rest were not read, paths may be incomplete"
                ));
            }
            return;
        }
        self.edge_count += 1;
        if let Some(children) = self.children.get_mut(from) {
            children.push((to, optional));
        }
    }

    /// The project itself declares `node` (as a dev and/or optional dependency).
    pub(crate) fn root(&mut self, node: NodeId, dev: bool, optional: bool) {
        if node < self.nodes.len() {
            self.roots.push(Root {
                node,
                dev,
                optional,
            });
        }
    }

    /// Sizes the resolution work budget to an input of `bytes`.
    pub(crate) fn scale_work_to(&mut self, bytes: usize) {
        let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
        self.work_left = BASE_RESOLVE_WORK
            .saturating_add(bytes.saturating_mul(RESOLVE_WORK_PER_BYTE))
            .min(MAX_RESOLVE_WORK);
    }

    /// The name of a package (empty for an unknown id).
    pub(crate) fn name_of(&self, id: NodeId) -> &str {
        self.nodes.get(id).map_or("", |n| n.name.as_str())
    }

    /// Charges `units` of resolution work; false (once with a problem line) when the budget
    /// that keeps hostile location-nested lockfiles bounded is spent.
    pub(crate) fn spend(&mut self, units: usize) -> bool {
        let units = u64::try_from(units).unwrap_or(u64::MAX);
        if self.work_left >= units {
            self.work_left -= units;
            return true;
        }
        if !self.work_exhausted {
            self.work_exhausted = true;
            self.problem("dependency resolution stopped: the lockfile is too deeply nested; paths may be incomplete");
        }
        false
    }

    /// The graph: flags derived where the lockfile gave none, shortest paths from the direct
    /// dependencies, packages sorted by name and version.
    pub(crate) fn finish(mut self, source: &str, format: &str) -> DependencyGraph {
        for children in &mut self.children {
            children.sort_unstable();
            children.dedup_by(|a, b| {
                // Keep the required edge when a package is needed both ways.
                if a.0 == b.0 {
                    b.1 = b.1 && a.1;
                    true
                } else {
                    false
                }
            });
        }
        if self.records_edges && self.roots.is_empty() {
            self.infer_roots();
        }
        let n = self.nodes.len();
        let mut direct = vec![false; n];
        for root in &self.roots {
            direct[root.node] = true;
        }
        // Prod roots first, each group by name: ties in path length prefer production paths.
        let mut roots = self.roots.clone();
        roots.sort_by(|a, b| {
            (a.dev, &self.nodes[a.node].name, a.node).cmp(&(
                b.dev,
                &self.nodes[b.node].name,
                b.node,
            ))
        });

        let reachable = self.reach(roots.iter().map(|r| r.node), false);
        let prod = self.reach(roots.iter().filter(|r| !r.dev).map(|r| r.node), false);
        let required = self.reach(roots.iter().filter(|r| !r.optional).map(|r| r.node), true);
        let bfs = self.shortest_paths(roots.iter().map(|r| r.node));

        let mut long_paths = 0usize;
        let mut packages = Vec::with_capacity(n);
        for id in 0..n {
            let path = if self.records_edges {
                let (path, cut) = self.path_to(id, &bfs);
                long_paths += usize::from(cut);
                path
            } else {
                Vec::new()
            };
            let node = &self.nodes[id];
            let dev = node.dev.unwrap_or(reachable[id] && !prod[id]);
            let optional = node.optional.unwrap_or(reachable[id] && !required[id]);
            packages.push(LockPackage {
                ecosystem: self.ecosystem,
                name: node.name.clone(),
                version: node.version.clone(),
                direct: direct[id],
                dev,
                optional,
                path,
                resolved: node.resolved.clone(),
                integrity: node.integrity.clone(),
            });
        }
        if long_paths > 0 {
            self.problem(&format!(
                "{long_paths} dependency paths are longer than {MAX_PATH_LEN} names and were shortened"
            ));
        }
        packages.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
        let mut problems = self.problems;
        if self.dropped_problems > 0 {
            problems.push(format!("… and {} more problems", self.dropped_problems));
        }
        DependencyGraph {
            source: source.to_string(),
            format: format.to_string(),
            packages,
            problems,
        }
    }

    /// Without declared direct dependencies, the packages nothing else needs stand for them.
    fn infer_roots(&mut self) {
        let mut needed = vec![false; self.nodes.len()];
        for children in &self.children {
            for &(child, _) in children {
                needed[child] = true;
            }
        }
        for (id, needed) in needed.into_iter().enumerate() {
            if !needed {
                self.roots.push(Root {
                    node: id,
                    dev: false,
                    optional: false,
                });
            }
        }
    }

    /// Which nodes a breadth-first walk from `starts` reaches (skipping optional edges when
    /// `required_only`).
    fn reach(&self, starts: impl Iterator<Item = NodeId>, required_only: bool) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut queue = VecDeque::new();
        for start in starts {
            if !seen[start] {
                seen[start] = true;
                queue.push_back(start);
            }
        }
        while let Some(id) = queue.pop_front() {
            for &(child, optional) in &self.children[id] {
                if !seen[child] && (!required_only || !optional) {
                    seen[child] = true;
                    queue.push_back(child);
                }
            }
        }
        seen
    }

    /// Breadth-first shortest paths from the direct dependencies.
    fn shortest_paths(&self, starts: impl Iterator<Item = NodeId>) -> Bfs {
        let n = self.nodes.len();
        let mut bfs = Bfs {
            parent: vec![None; n],
            depth: vec![u32::MAX; n],
            anchor: (0..n).collect(),
        };
        let mut queue = VecDeque::new();
        for start in starts {
            if bfs.depth[start] == u32::MAX {
                bfs.depth[start] = 0;
                queue.push_back(start);
            }
        }
        let anchor_depth = u32::try_from(MAX_PATH_LEN.saturating_sub(2)).unwrap_or(u32::MAX);
        while let Some(id) = queue.pop_front() {
            // Children by name, so that ties resolve the same way on every run.
            let mut children: Vec<NodeId> = self.children[id].iter().map(|&(c, _)| c).collect();
            children.sort_by(|a, b| self.nodes[*a].name.cmp(&self.nodes[*b].name));
            for child in children {
                if bfs.depth[child] == u32::MAX {
                    let depth = bfs.depth[id].saturating_add(1);
                    bfs.depth[child] = depth;
                    bfs.parent[child] = Some(id);
                    if depth > anchor_depth {
                        bfs.anchor[child] = bfs.anchor[id];
                    }
                    queue.push_back(child);
                }
            }
        }
        bfs
    }

    /// Names from a direct dependency to `id`; the bool says it was shortened (its first
    /// `MAX_PATH_LEN - 1` names, then the package). At most `MAX_PATH_LEN` steps per package.
    fn path_to(&self, id: NodeId, bfs: &Bfs) -> (Vec<String>, bool) {
        if bfs.depth[id] == u32::MAX {
            return (Vec::new(), false);
        }
        let cut = usize::try_from(bfs.depth[id]).map_or(true, |d| d >= MAX_PATH_LEN);
        let mut chain = Vec::new();
        let mut at = Some(if cut { bfs.anchor[id] } else { id });
        while let Some(node) = at {
            if chain.len() > MAX_PATH_LEN {
                break;
            }
            chain.push(node);
            at = bfs.parent[node];
        }
        chain.reverse();
        if cut {
            chain.push(id);
        }
        let names = chain.iter().map(|&n| self.nodes[n].name.clone()).collect();
        (names, cut)
    }
}

/// Shortest-path tree: parent and depth of every reached node (`u32::MAX` when unreached), and
/// for nodes deeper than the path cap, their ancestor at the cap.
struct Bfs {
    parent: Vec<Option<NodeId>>,
    depth: Vec<u32>,
    anchor: Vec<NodeId>,
}

fn node_key(name: &str, version: &str) -> String {
    // Names hold no control characters (checked), so NUL cannot occur inside either part.
    let mut key = String::with_capacity(name.len() + version.len() + 1);
    key.push_str(name);
    key.push('\0');
    key.push_str(version);
    key
}

/// Why `name` cannot be a package name, if it cannot.
fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("empty package name".to_string());
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!("package name longer than {MAX_NAME_BYTES} bytes"));
    }
    if name.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "{} is not a package name (spaces or control characters)",
            quoted(name)
        ));
    }
    Ok(())
}

/// The version as kept, and why it is not one, when it is not: empty, over
/// [`MAX_VERSION_CHARS`] (cut), or holding control characters or spaces (replaced).
pub(crate) fn clean_version(version: &str) -> (String, Option<String>) {
    if version.is_empty() {
        return (String::new(), Some("has no version".to_string()));
    }
    let mut issue = None;
    let mut kept: String = version.chars().take(MAX_VERSION_CHARS).collect();
    if kept.len() < version.len() {
        issue = Some(format!(
            "version is longer than {MAX_VERSION_CHARS} characters (cut): {}",
            quoted(&kept)
        ));
    }
    if kept.chars().any(|c| c.is_control() || c.is_whitespace()) {
        kept = kept
            .chars()
            .map(|c| {
                if c.is_control() || c.is_whitespace() {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect();
        issue = Some(format!(
            "version {} is not a version (spaces or control characters)",
            quoted(version)
        ));
    }
    (kept, issue)
}

/// `s` quoted and escaped for a problem line, cut to 120 characters.
pub(crate) fn quoted(s: &str) -> String {
    let cut: String = s.chars().take(120).collect();
    if cut.len() < s.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// `s` on one line with control characters escaped, cut to `max` characters.
pub(crate) fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i >= max {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out
}
