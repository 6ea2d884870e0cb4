//! poetry's `poetry.lock` (TOML).
//!
//! Each `[[package]]` has `name`, `version`, `optional` (an extra's package) and either
//! `category = "main" | "dev"` (poetry before 1.5) or `groups = ["main", …]` (later): a package
//! outside the `main` group is dev. `[package.dependencies]` gives the edges, by name (a
//! dependency locked in several versions for different markers links to each). `source.type =
//! "directory"` packages are the project's own folders and are skipped. The lockfile does not
//! say which dependencies the project declares: they come from the `pyproject.toml` beside it
//! (`[project]`, `[project.optional-dependencies]`, `[dependency-groups]`,
//! `[tool.poetry.dependencies]`, `[tool.poetry.group.*.dependencies]`,
//! `[tool.poetry.dev-dependencies]`), else they are inferred.

use super::graph::{quoted, Declared, GraphBuilder, NodeId};
use super::read::{self, pep503, pep508_name, toml_str};
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};
use std::collections::HashMap;
use toml::Value;

/// Reads a `poetry.lock`; `pyproject` is the `pyproject.toml` beside it.
pub fn parse(
    path: &str,
    text: &str,
    pyproject: Option<&str>,
) -> Result<DependencyGraph, LockError> {
    let doc = read::toml(path, text)?;
    let packages: &[Value] = match doc.get("package") {
        Some(Value::Array(packages)) => packages,
        Some(_) => {
            return Err(LockError::shape(
                path,
                "`package` is not an array of tables",
            ))
        }
        None if doc.contains_key("metadata") => &[],
        None => {
            return Err(LockError::shape(
                path,
                "not a poetry.lock: no `[[package]]` or `[metadata]`",
            ))
        }
    };
    let lock_version = doc
        .get("metadata")
        .and_then(|m| m.get("lock-version"))
        .and_then(Value::as_str);
    let format = match lock_version {
        Some(v) => format!("poetry.lock v{}", super::graph::one_line(v, 16)),
        None => "poetry.lock".to_string(),
    };
    let mut builder = GraphBuilder::new(DepEcosystem::PyPI, true);
    let mut by_name: HashMap<String, Vec<NodeId>> = HashMap::new();
    let mut with_deps: Vec<(NodeId, String, &toml::Table)> = Vec::new();
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
        let source_type = source.and_then(|s| toml_str(s, "type")).unwrap_or("");
        if source_type == "directory" {
            continue;
        }
        let version = toml_str(table, "version").unwrap_or("");
        let Some(id) = builder.package(name, version, &at) else {
            continue;
        };
        let dev = match (
            toml_str(table, "category"),
            table.get("groups").and_then(Value::as_array),
        ) {
            (_, Some(groups)) => Some(!groups.iter().any(|g| g.as_str() == Some("main"))),
            (Some(category), None) => Some(category == "dev"),
            (None, None) => None,
        };
        let optional = table.get("optional").and_then(Value::as_bool);
        builder.flags(id, dev, optional);
        if matches!(source_type, "git" | "url" | "file") {
            builder.artifact(id, source.and_then(|s| toml_str(s, "url")), None);
        }
        by_name.entry(pep503(name)).or_default().push(id);
        if let Some(deps) = table.get("dependencies").and_then(Value::as_table) {
            with_deps.push((id, at, deps));
        }
    }
    for (from, at, deps) in with_deps {
        for (dep, spec) in deps {
            let optional = match spec {
                Value::Table(t) => t.get("optional").and_then(Value::as_bool) == Some(true),
                Value::Array(items) => items
                    .iter()
                    .all(|i| i.get("optional").and_then(Value::as_bool) == Some(true)),
                _ => false,
            };
            match by_name.get(&pep503(dep)) {
                Some(targets) => {
                    for &to in targets {
                        builder.edge(from, to, optional);
                    }
                }
                None if optional => {}
                None => builder.problem(&format!(
                    "{at}: needs {}, which the lockfile does not list",
                    quoted(dep)
                )),
            }
        }
    }
    if let Some(pyproject) = pyproject {
        match pyproject_deps(pyproject) {
            Ok(declared) => {
                for dep in declared {
                    match by_name.get(&pep503(&dep.name)) {
                        Some(ids) => {
                            for &id in ids {
                                builder.root(id, dep.dev, dep.optional);
                            }
                        }
                        None if dep.optional => {}
                        None => builder.problem(&format!(
                            "pyproject.toml declares {}, which the lockfile does not list",
                            quoted(&dep.name)
                        )),
                    }
                }
            }
            Err(why) => builder.problem(&why),
        }
    }
    Ok(builder.finish(path, &format))
}

/// What a `pyproject.toml` declares (PEP 621, PEP 735 and poetry's own tables), or a problem
/// line saying why it was not read.
pub(crate) fn pyproject_deps(text: &str) -> Result<Vec<Declared>, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| read::line_at(text, s.start));
        format!("the pyproject.toml beside it is not valid TOML (line {line}); direct dependencies were inferred")
    })?;
    let mut out = Vec::new();
    let mut push = |name: &str, dev: bool, optional: bool| {
        if !name.eq_ignore_ascii_case("python") {
            out.push(Declared {
                name: name.to_string(),
                range: String::new(),
                dev,
                optional,
            });
        }
    };
    let requirement_names = |list: Option<&Value>| -> Vec<String> {
        list.and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(pep508_name)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(project) = doc.get("project") {
        for name in requirement_names(project.get("dependencies")) {
            push(&name, false, false);
        }
        if let Some(extras) = project
            .get("optional-dependencies")
            .and_then(Value::as_table)
        {
            for list in extras.values() {
                for name in requirement_names(Some(list)) {
                    push(&name, false, true);
                }
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(Value::as_table) {
        for list in groups.values() {
            for name in requirement_names(Some(list)) {
                push(&name, true, false);
            }
        }
    }
    if let Some(poetry) = doc.get("tool").and_then(|t| t.get("poetry")) {
        let table_names = |t: Option<&Value>| -> Vec<(String, bool)> {
            t.and_then(Value::as_table)
                .map(|t| {
                    t.iter()
                        .map(|(name, spec)| {
                            let optional =
                                spec.get("optional").and_then(Value::as_bool) == Some(true);
                            (name.clone(), optional)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        for (name, optional) in table_names(poetry.get("dependencies")) {
            push(&name, false, optional);
        }
        for (name, optional) in table_names(poetry.get("dev-dependencies")) {
            push(&name, true, optional);
        }
        if let Some(groups) = poetry.get("group").and_then(Value::as_table) {
            for (group, body) in groups {
                for (name, optional) in table_names(body.get("dependencies")) {
                    push(&name, group != "main", optional);
                }
            }
        }
    }
    Ok(out)
}
