//! npm's `package-lock.json` and `npm-shrinkwrap.json`.
//!
//! - lockfileVersion 2 and 3: the `packages` map keyed by install location (`""` is the
//!   project, `node_modules/a`, nested `node_modules/a/node_modules/b`, workspace folders such
//!   as `packages/web`). Each entry records `version`, `resolved`, `integrity`, the flags `dev`,
//!   `optional`, `devOptional`, and its `dependencies` / `optionalDependencies` /
//!   `peerDependencies` by range; an edge goes to the package Node would load, found by walking
//!   up the `node_modules` folders. The project's and workspaces' own entries give the direct
//!   dependencies. `link` entries (workspaces, `file:` folders) are not packages and are
//!   skipped; an aliased install (`"name": "real-name"`) is recorded under its real name.
//! - lockfileVersion 1: the nested `dependencies` tree with `requires`; it is flattened to the
//!   same locations. Direct dependencies come from the `package.json` beside it when given, else
//!   they are inferred (packages nothing else requires). Aliases `npm:real@1.2.3` are resolved.

use super::graph::{quoted, Declared, GraphBuilder, NodeId};
use super::read::{self, flag_at, obj_at, str_at};
use super::{file_label, format_of, LockError, LockFormat};
use crate::model::{DepEcosystem, DependencyGraph};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Longest install location read (a deeper nesting is reported and skipped).
const MAX_LOCATION_BYTES: usize = 4096;

/// What is installed at a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A registry (or git, tarball) package.
    Package(NodeId),
    /// A link, workspace or local folder: the project's own code, not a dependency.
    Local,
}

/// How install locations nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// npm: `node_modules/a/node_modules/b`.
    NodeModules,
    /// bun.lock: `a/b`, scopes as `a/@scope/b`.
    Bun,
}

/// Reads a `package-lock.json` or `npm-shrinkwrap.json`.
pub fn parse(path: &str, text: &str, sibling: Option<&str>) -> Result<DependencyGraph, LockError> {
    let doc = read::json(path, text)?;
    if !doc.is_object() {
        return Err(LockError::shape(
            path,
            "not a package-lock: the document is not a JSON object",
        ));
    }
    let lock_version = doc.get("lockfileVersion").and_then(read::text);
    let name = file_label(path, "package-lock.json");
    let name = if format_of(name) == Some(LockFormat::NpmPackageLock) {
        name
    } else {
        "package-lock.json"
    };
    let format = match &lock_version {
        Some(v) => format!("{name} v{}", super::graph::one_line(v, 16)),
        None => name.to_string(),
    };
    let mut builder = GraphBuilder::new(DepEcosystem::Npm, true);
    builder.scale_work_to(text.len());
    let declared = sibling.and_then(|s| match package_json_deps(s) {
        Ok(declared) => Some(declared),
        Err(why) => {
            builder.problem(&why);
            None
        }
    });
    if let Some(packages) = obj_at(&doc, "packages") {
        read_packages(&mut builder, packages, declared.as_deref());
    } else if let Some(deps) = obj_at(&doc, "dependencies") {
        read_v1(&mut builder, deps, declared.as_deref());
    } else if lock_version.is_none() {
        return Err(LockError::shape(
            path,
            "not a package-lock: no `lockfileVersion`, `packages` or `dependencies`",
        ));
    }
    Ok(builder.finish(path, &format))
}

/// lockfileVersion 2 and 3: the `packages` map.
fn read_packages(
    builder: &mut GraphBuilder,
    packages: &Map<String, Value>,
    declared: Option<&[Declared]>,
) {
    let mut slots: HashMap<&str, Slot> = HashMap::new();
    let mut importers: Vec<(&str, &Value)> = Vec::new();
    for (location, entry) in packages {
        let at = format!("packages[{}]", quoted(location));
        if !entry.is_object() {
            builder.problem(&format!("{at}: not an object; skipped"));
            continue;
        }
        if location.len() > MAX_LOCATION_BYTES {
            builder.problem(&format!(
                "{at}: location longer than {MAX_LOCATION_BYTES} bytes; skipped"
            ));
            continue;
        }
        if !in_node_modules(location) {
            // The project itself ("") or a workspace folder: declares, is not a dependency.
            importers.push((location, entry));
            continue;
        }
        if flag_at(entry, "link") {
            slots.insert(location, Slot::Local);
            continue;
        }
        let name = match str_at(entry, "name") {
            Some(real) => real,
            None => name_at_location(location),
        };
        let version = entry
            .get("version")
            .and_then(read::text)
            .unwrap_or_default();
        if is_local_spec(&version) {
            slots.insert(location, Slot::Local);
            continue;
        }
        let Some(id) = builder.package(name, &version, &at) else {
            // Reported once here; dependents need not report it missing.
            slots.insert(location, Slot::Local);
            continue;
        };
        let optional = flag_at(entry, "optional") || flag_at(entry, "devOptional");
        builder.flags(id, Some(flag_at(entry, "dev")), Some(optional));
        builder.artifact(id, str_at(entry, "resolved"), str_at(entry, "integrity"));
        slots.insert(location, Slot::Package(id));
    }
    for (location, entry) in packages {
        let Some(&Slot::Package(from)) = slots.get(location.as_str()) else {
            continue;
        };
        for need in needs(entry) {
            match resolve(builder, &slots, Layout::NodeModules, location, &need.name) {
                Some(Slot::Package(to)) => builder.edge(from, to, need.optional),
                Some(Slot::Local) => {}
                None if need.report_missing => builder.problem(&format!(
                    "packages[{}]: needs {}, which the lockfile does not list",
                    quoted(location),
                    quoted(&need.name)
                )),
                None => {}
            }
        }
    }
    let has_project_entry = importers.iter().any(|(location, _)| location.is_empty());
    for (location, entry) in importers {
        add_roots(builder, &slots, location, &declared_in(entry));
    }
    if !has_project_entry {
        if let Some(declared) = declared {
            add_roots(builder, &slots, "", declared);
        }
    }
}

/// One entry of a lockfileVersion 1 tree.
struct V1Node<'a> {
    parent: Option<usize>,
    entry: Option<&'a Value>,
    slot: Slot,
    /// Entries nested under this one (its own `node_modules`), by name.
    children: HashMap<&'a str, usize>,
}

/// lockfileVersion 1: the nested `dependencies` tree. Kept as a tree with parent links (not
/// flattened to location strings, whose total length could grow with the square of nesting):
/// a dependency resolves to the nearest ancestor's child of that name.
fn read_v1(builder: &mut GraphBuilder, deps: &Map<String, Value>, declared: Option<&[Declared]>) {
    let mut tree = vec![V1Node {
        parent: None,
        entry: None,
        slot: Slot::Local,
        children: HashMap::new(),
    }];
    // An explicit stack: nesting is bounded by serde_json's recursion limit, but need not be.
    let mut stack: Vec<(usize, &Map<String, Value>)> = vec![(0, deps)];
    while let Some((parent, map)) = stack.pop() {
        for (key, entry) in map {
            let at = format!("dependencies[{}]", quoted(key));
            if !entry.is_object() {
                builder.problem(&format!("{at}: not an object; skipped"));
                continue;
            }
            let written = entry
                .get("version")
                .and_then(read::text)
                .unwrap_or_default();
            // An entry that cannot be read is still a name Node would find: `Local` keeps
            // lookups from reporting it twice.
            let mut slot = Slot::Local;
            if !is_local_spec(&written) {
                let (name, version) = match written.strip_prefix("npm:") {
                    Some(alias) => match split_name_version(alias) {
                        Some((name, version)) => (name, version),
                        None => {
                            builder.problem(&format!(
                                "{at}: alias {} names no version",
                                quoted(&written)
                            ));
                            (key.as_str(), "")
                        }
                    },
                    None => (key.as_str(), written.as_str()),
                };
                if let Some(id) = builder.package(name, version, &at) {
                    builder.flags(
                        id,
                        Some(flag_at(entry, "dev")),
                        Some(flag_at(entry, "optional")),
                    );
                    builder.artifact(id, str_at(entry, "resolved"), str_at(entry, "integrity"));
                    slot = Slot::Package(id);
                }
            }
            let index = tree.len();
            tree.push(V1Node {
                parent: Some(parent),
                entry: Some(entry),
                slot,
                children: HashMap::new(),
            });
            if let Some(node) = tree.get_mut(parent) {
                node.children.insert(key.as_str(), index);
            }
            if let Some(nested) = obj_at(entry, "dependencies") {
                stack.push((index, nested));
            }
        }
    }
    for (index, node) in tree.iter().enumerate() {
        let Slot::Package(from) = node.slot else {
            continue;
        };
        let Some(requires) = node.entry.and_then(|e| obj_at(e, "requires")) else {
            continue;
        };
        for dep in requires.keys() {
            match resolve_v1(&tree, index, dep) {
                Some(Slot::Package(to)) => builder.edge(from, to, false),
                Some(Slot::Local) => {}
                None => builder.problem(&format!(
                    "dependencies[{}]: requires {}, which the lockfile does not list",
                    quoted(builder.name_of(from)),
                    quoted(dep)
                )),
            }
        }
    }
    for dep in declared.unwrap_or_default() {
        match resolve_v1(&tree, 0, &dep.name) {
            Some(Slot::Package(id)) => builder.root(id, dep.dev, dep.optional),
            Some(Slot::Local) => {}
            None if dep.optional => {}
            None => builder.problem(&format!(
                "the project declares {}, which the lockfile does not list",
                quoted(&dep.name)
            )),
        }
    }
}

/// The nearest entry named `dep` seen from `from`: its own children, then each ancestor's.
/// At most one lookup per nesting level.
fn resolve_v1(tree: &[V1Node<'_>], from: usize, dep: &str) -> Option<Slot> {
    let mut at = Some(from);
    while let Some(index) = at {
        let node = tree.get(index)?;
        if let Some(&child) = node.children.get(dep) {
            return tree.get(child).map(|c| c.slot);
        }
        at = node.parent;
    }
    None
}

/// Marks what an importer (the project, a workspace) declares as direct dependencies.
fn add_roots(
    builder: &mut GraphBuilder,
    slots: &HashMap<&str, Slot>,
    from: &str,
    declared: &[Declared],
) {
    for dep in declared {
        match resolve(builder, slots, Layout::NodeModules, from, &dep.name) {
            Some(Slot::Package(id)) => builder.root(id, dep.dev, dep.optional),
            Some(Slot::Local) => {}
            None if !dep.optional => builder.problem(&format!(
                "{} declares {}, which the lockfile does not list",
                if from.is_empty() {
                    "the project".to_string()
                } else {
                    quoted(from)
                },
                quoted(&dep.name)
            )),
            None => {}
        }
    }
}

/// One dependency a package entry names.
pub(crate) struct Need {
    pub name: String,
    pub optional: bool,
    /// A required dependency missing from the lockfile is worth a problem line; a missing
    /// optional or peer one is normal.
    pub report_missing: bool,
}

/// The dependencies, optional dependencies and peer dependencies an entry names.
pub(crate) fn needs(entry: &Value) -> Vec<Need> {
    let mut out = Vec::new();
    if let Some(deps) = obj_at(entry, "dependencies") {
        out.extend(deps.keys().map(|name| Need {
            name: name.clone(),
            optional: false,
            report_missing: true,
        }));
    }
    if let Some(deps) = obj_at(entry, "optionalDependencies") {
        out.extend(deps.keys().map(|name| Need {
            name: name.clone(),
            optional: true,
            report_missing: false,
        }));
    }
    if let Some(deps) = obj_at(entry, "peerDependencies") {
        let meta = obj_at(entry, "peerDependenciesMeta");
        out.extend(deps.keys().map(|name| {
            Need {
                name: name.clone(),
                optional: meta
                    .and_then(|m| m.get(name))
                    .is_some_and(|m| flag_at(m, "optional")),
                report_missing: false,
            }
        }));
    }
    out
}

/// What a manifest-like object (`package.json`, a lockfile's project entry, a bun workspace)
/// declares: `dependencies`, `devDependencies`, `optionalDependencies`, `peerDependencies`.
pub(crate) fn declared_in(manifest: &Value) -> Vec<Declared> {
    let mut out = Vec::new();
    for (field, dev, optional) in [
        ("dependencies", false, false),
        ("devDependencies", true, false),
        ("optionalDependencies", false, true),
        ("peerDependencies", false, false),
    ] {
        if let Some(deps) = obj_at(manifest, field) {
            for (name, range) in deps {
                out.push(Declared {
                    name: name.clone(),
                    range: read::text(range).unwrap_or_default(),
                    dev,
                    optional,
                });
            }
        }
    }
    out
}

/// The dependencies a `package.json` declares, or a problem line saying why it was not read.
pub(crate) fn package_json_deps(text: &str) -> Result<Vec<Declared>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(doc) if doc.is_object() => Ok(declared_in(&doc)),
        Ok(_) => Err("the package.json beside it is not a JSON object; direct dependencies were inferred".to_string()),
        Err(e) => Err(format!(
            "the package.json beside it is not valid JSON (line {}); direct dependencies were inferred",
            e.line()
        )),
    }
}

/// The package Node would load for `dep` required from `from`: the nearest `node_modules`
/// (or bun folder) going up. Charges the builder's work budget per candidate.
pub(crate) fn resolve(
    builder: &mut GraphBuilder,
    slots: &HashMap<&str, Slot>,
    layout: Layout,
    from: &str,
    dep: &str,
) -> Option<Slot> {
    let mut at = from;
    let mut candidate = String::new();
    loop {
        candidate.clear();
        match layout {
            Layout::NodeModules => {
                if !at.is_empty() {
                    candidate.push_str(at);
                    candidate.push('/');
                }
                candidate.push_str("node_modules/");
            }
            Layout::Bun => {
                if !at.is_empty() {
                    candidate.push_str(at);
                    candidate.push('/');
                }
            }
        }
        candidate.push_str(dep);
        if !builder.spend(candidate.len()) {
            return None;
        }
        if let Some(slot) = slots.get(candidate.as_str()) {
            return Some(*slot);
        }
        if at.is_empty() {
            return None;
        }
        at = parent_location(layout, at);
    }
}

/// The location one level up (always a strict prefix, so walks end).
fn parent_location(layout: Layout, at: &str) -> &str {
    match layout {
        Layout::NodeModules => match at.rfind("/node_modules/") {
            Some(i) => &at[..i],
            None => "",
        },
        Layout::Bun => {
            let Some(i) = at.rfind('/') else {
                return "";
            };
            let head = &at[..i];
            let last = head.rsplit('/').next().unwrap_or(head);
            if last.starts_with('@') {
                // `a/@scope/b`: the scope and the name are one package.
                head.rfind('/').map_or("", |j| &head[..j])
            } else {
                head
            }
        }
    }
}

fn in_node_modules(location: &str) -> bool {
    location.starts_with("node_modules/") || location.contains("/node_modules/")
}

/// `node_modules/a/node_modules/@s/b` → `@s/b`.
fn name_at_location(location: &str) -> &str {
    match location.rfind("node_modules/") {
        Some(i) => &location[i + "node_modules/".len()..],
        None => location,
    }
}

/// A version spec pointing at the project's own files rather than a published package.
pub(crate) fn is_local_spec(spec: &str) -> bool {
    ["file:", "link:", "workspace:", "portal:"]
        .iter()
        .any(|p| spec.starts_with(p))
}

/// `name@version` (scoped names keep their leading `@`).
pub(crate) fn split_name_version(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    let (name, version) = (&spec[..at], &spec[at + 1..]);
    (!name.is_empty()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_location_climbs_node_modules_and_bun_scopes() {
        assert_eq!(
            parent_location(Layout::NodeModules, "node_modules/a/node_modules/b"),
            "node_modules/a"
        );
        assert_eq!(parent_location(Layout::NodeModules, "node_modules/a"), "");
        assert_eq!(parent_location(Layout::Bun, "a/@s/b"), "a");
        assert_eq!(parent_location(Layout::Bun, "@s/a/b"), "@s/a");
        assert_eq!(parent_location(Layout::Bun, "@s/a"), "");
    }

    #[test]
    fn split_name_version_keeps_scope() {
        assert_eq!(split_name_version("@s/a@1.0.0"), Some(("@s/a", "1.0.0")));
        assert_eq!(split_name_version("a@npm:b@1"), Some(("a", "npm:b@1")));
        assert_eq!(split_name_version("@s/a"), None);
    }
}
