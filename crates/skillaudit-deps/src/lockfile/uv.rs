//! uv's `uv.lock` (TOML).
//!
//! Each `[[package]]` has `name`, `version` and a `source`: `registry`, `git`, `url` and `path`
//! (an archive) are dependencies; `editable`, `virtual` and `directory` are the project's own
//! packages (the root project, workspace members, local folders), whose `dependencies`,
//! `[package.optional-dependencies]` and `[package.dev-dependencies]` are the direct ones.
//! Edges come from `dependencies = [{ name = "…" }]` (with a `version` when the name is locked
//! more than once) and `optional-dependencies`. `resolved` and `integrity` are the sdist's (else
//! the first wheel's) URL and hash.

use super::graph::{quoted, GraphBuilder, NodeId};
use super::read::{self, pep503, toml_str};
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};
use std::collections::{HashMap, HashSet};
use toml::Value;

/// Reads a `uv.lock`.
pub fn parse(path: &str, text: &str) -> Result<DependencyGraph, LockError> {
    let doc = read::toml(path, text)?;
    let packages: &[Value] = match doc.get("package") {
        Some(Value::Array(packages)) => packages,
        Some(_) => {
            return Err(LockError::shape(
                path,
                "`package` is not an array of tables",
            ))
        }
        None if doc.contains_key("version") => &[],
        None => {
            return Err(LockError::shape(
                path,
                "not a uv.lock: no `version` or `[[package]]`",
            ))
        }
    };
    let format = match doc.get("version").and_then(read_toml_text) {
        Some(v) => format!("uv.lock v{}", super::graph::one_line(&v, 16)),
        None => "uv.lock".to_string(),
    };
    let mut builder = GraphBuilder::new(DepEcosystem::PyPI, true);
    let mut by_name: HashMap<String, Vec<(NodeId, String)>> = HashMap::new();
    let mut own_names: HashSet<String> = HashSet::new();
    let mut dependents: Vec<(NodeId, String, &toml::Table)> = Vec::new();
    let mut importers: Vec<(String, &toml::Table)> = Vec::new();
    for (index, package) in packages.iter().enumerate() {
        let Some(table) = package.as_table() else {
            builder.problem(&format!("package[{index}]: not a table; skipped"));
            continue;
        };
        let Some(name) = toml_str(table, "name") else {
            builder.problem(&format!("package[{index}]: no `name`; skipped"));
            continue;
        };
        let at = format!("package {}", quoted(name));
        let source = table.get("source").and_then(Value::as_table);
        let own = source.is_some_and(|s| {
            ["editable", "virtual", "directory"]
                .iter()
                .any(|k| s.contains_key(*k))
        });
        if own {
            own_names.insert(pep503(name));
            importers.push((at, table));
            continue;
        }
        let version = table
            .get("version")
            .and_then(read_toml_text)
            .unwrap_or_default();
        let Some(id) = builder.package(name, &version, &at) else {
            continue;
        };
        let artifact = table.get("sdist").or_else(|| {
            table
                .get("wheels")
                .and_then(Value::as_array)
                .and_then(|w| w.first())
        });
        let mut resolved = artifact.and_then(|a| a.get("url")).and_then(Value::as_str);
        if resolved.is_none() {
            resolved = source.and_then(|s| toml_str(s, "git").or_else(|| toml_str(s, "url")));
        }
        let integrity = artifact.and_then(|a| a.get("hash")).and_then(Value::as_str);
        builder.artifact(id, resolved, integrity);
        by_name.entry(pep503(name)).or_default().push((id, version));
        dependents.push((id, at, table));
    }
    let targets = |spec: &Value| -> Option<Vec<NodeId>> {
        let name = spec.get("name").and_then(Value::as_str)?;
        let wanted = spec.get("version").and_then(Value::as_str);
        let found: Vec<NodeId> = by_name
            .get(&pep503(name))
            .map(|all| {
                all.iter()
                    .filter(|(_, v)| wanted.is_none_or(|w| w == v))
                    .map(|(id, _)| *id)
                    .collect()
            })
            .unwrap_or_default();
        Some(found)
    };
    let describe = |spec: &Value| {
        spec.get("name")
            .and_then(Value::as_str)
            .map_or_else(|| "an entry without `name`".to_string(), quoted)
    };
    for (from, at, table) in &dependents {
        for (spec, optional) in listed(table) {
            match targets(spec) {
                Some(found) if !found.is_empty() => {
                    for to in found {
                        builder.edge(*from, to, optional);
                    }
                }
                _ if is_own(spec, &own_names) || optional => {}
                _ => builder.problem(&format!(
                    "{at}: needs {}, which the lockfile does not list",
                    describe(spec)
                )),
            }
        }
    }
    for (at, table) in &importers {
        let groups = [
            ("dependencies", false, false),
            ("optional-dependencies", false, true),
            ("dev-dependencies", true, false),
        ];
        for (field, dev, optional) in groups {
            for spec in specs_of(table.get(field)) {
                match targets(spec) {
                    Some(found) if !found.is_empty() => {
                        for id in found {
                            builder.root(id, dev, optional);
                        }
                    }
                    _ if is_own(spec, &own_names) || optional => {}
                    _ => builder.problem(&format!(
                        "{at}: declares {}, which the lockfile does not list",
                        describe(spec)
                    )),
                }
            }
        }
    }
    Ok(builder.finish(path, &format))
}

/// A package's `dependencies` (required) and `optional-dependencies` (optional) entries.
fn listed(table: &toml::Table) -> Vec<(&Value, bool)> {
    let mut out: Vec<(&Value, bool)> = specs_of(table.get("dependencies"))
        .into_iter()
        .map(|s| (s, false))
        .collect();
    out.extend(
        specs_of(table.get("optional-dependencies"))
            .into_iter()
            .map(|s| (s, true)),
    );
    out
}

/// Entries of a dependency list, or of every group of a table of lists.
fn specs_of(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Table(groups)) => groups
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

fn is_own(spec: &Value, own_names: &HashSet<String>) -> bool {
    spec.get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| own_names.contains(&pep503(n)))
}

/// A TOML scalar as text.
fn read_toml_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}
