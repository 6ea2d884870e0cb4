//! bun's text lockfile `bun.lock` (JSON with trailing commas; comments tolerated).
//!
//! `workspaces` maps each workspace folder (`""` is the project) to what it declares
//! (`dependencies`, `devDependencies`, `optionalDependencies`, `peerDependencies`): those are
//! the direct dependencies. `packages` maps an install path to an array whose first element is
//! `name@version`: npm packages are `[ident, registry, info, integrity]`, git and tarball ones
//! `[ident, info, …]`, workspaces and links `[ident]`. Paths nest like `node_modules` folders
//! (`body-parser/qs` is the `qs` that `body-parser` loads; scopes as `a/@s/b`), so a dependency
//! resolves to the nearest path going up. Aliases are keyed by the alias and name the real
//! package in their ident. bun records no dev or optional flags per package: they are derived
//! from what the workspaces declare. The binary `bun.lockb` is refused by [`super::parse`].

use super::graph::{quoted, GraphBuilder};
use super::npm::{declared_in, is_local_spec, needs, resolve, split_name_version, Layout, Slot};
use super::read::{self, obj_at};
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};
use serde_json::Value;
use std::collections::HashMap;

/// Reads a `bun.lock`.
pub fn parse(path: &str, text: &str) -> Result<DependencyGraph, LockError> {
    let doc = read::jsonc(path, text)?;
    if !doc.is_object() {
        return Err(LockError::shape(
            path,
            "not a bun.lock: the document is not a JSON object",
        ));
    }
    let lock_version = doc.get("lockfileVersion").and_then(read::text);
    let packages = obj_at(&doc, "packages");
    let workspaces = obj_at(&doc, "workspaces");
    if lock_version.is_none() && packages.is_none() && workspaces.is_none() {
        return Err(LockError::shape(
            path,
            "not a bun.lock: no `lockfileVersion`, `packages` or `workspaces`",
        ));
    }
    let format = match &lock_version {
        Some(v) => format!("bun.lock v{}", super::graph::one_line(v, 16)),
        None => "bun.lock".to_string(),
    };
    let mut builder = GraphBuilder::new(DepEcosystem::Npm, true);
    builder.scale_work_to(text.len());
    let mut slots: HashMap<&str, Slot> = HashMap::new();
    let mut infos: Vec<(&str, &Value)> = Vec::new();
    for (key, entry) in packages.into_iter().flatten() {
        let at = format!("packages[{}]", quoted(key));
        let Some(items) = entry.as_array() else {
            builder.problem(&format!("{at}: not an array; skipped"));
            continue;
        };
        let Some(ident) = items.first().and_then(Value::as_str) else {
            builder.problem(&format!("{at}: no `name@version` first; skipped"));
            continue;
        };
        let Some((name, version)) = split_name_version(ident) else {
            builder.problem(&format!(
                "{at}: {} is not `name@version`; skipped",
                quoted(ident)
            ));
            continue;
        };
        if is_local_spec(version) {
            slots.insert(key, Slot::Local);
            continue;
        }
        let Some(id) = builder.package(name, version, &at) else {
            // Reported once here; dependents need not report it missing.
            slots.insert(key, Slot::Local);
            continue;
        };
        // npm packages: [ident, registry, info, integrity]; others put info second.
        let info = items.iter().skip(1).find(|v| v.is_object());
        let integrity = match items.get(3).and_then(Value::as_str) {
            Some(hash) if items.get(2).is_some_and(Value::is_object) => Some(hash),
            _ => None,
        };
        // The second element is a registry base, not an artifact URL: not kept as `resolved`.
        builder.artifact(id, None, integrity);
        slots.insert(key, Slot::Package(id));
        if let Some(info) = info {
            infos.push((key, info));
        }
    }
    for (key, info) in infos {
        let Some(&Slot::Package(from)) = slots.get(key) else {
            continue;
        };
        for need in needs(info) {
            match resolve(&mut builder, &slots, Layout::Bun, key, &need.name) {
                Some(Slot::Package(to)) => builder.edge(from, to, need.optional),
                Some(Slot::Local) => {}
                None if need.report_missing => builder.problem(&format!(
                    "packages[{}]: needs {}, which the lockfile does not list",
                    quoted(key),
                    quoted(&need.name)
                )),
                None => {}
            }
        }
    }
    for (folder, manifest) in workspaces.into_iter().flatten() {
        // Packages a workspace alone uses are keyed under its name (`web/react`).
        let from = if folder.is_empty() {
            ""
        } else {
            manifest.get("name").and_then(Value::as_str).unwrap_or("")
        };
        for dep in declared_in(manifest) {
            match resolve(&mut builder, &slots, Layout::Bun, from, &dep.name) {
                Some(Slot::Package(id)) => builder.root(id, dep.dev, dep.optional),
                Some(Slot::Local) => {}
                None if dep.optional => {}
                None => builder.problem(&format!(
                    "workspaces[{}]: declares {}, which the lockfile does not list",
                    quoted(folder),
                    quoted(&dep.name)
                )),
            }
        }
    }
    Ok(builder.finish(path, &format))
}
