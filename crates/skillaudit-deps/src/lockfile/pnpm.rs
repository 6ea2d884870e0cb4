//! pnpm's `pnpm-lock.yaml`.
//!
//! - lockfileVersion 5.x: `packages` keyed `/name/1.2.3` (peer variants `/name/1.2.3_react@18.2.0`),
//!   dependencies by bare version; direct dependencies in top-level `dependencies` /
//!   `devDependencies` / `optionalDependencies` or per `importers` entry; `dev` and `optional`
//!   flags per package.
//! - lockfileVersion 6.x: keys `/name@1.2.3`, peer variants `/name@1.2.3(react@18.2.0)`;
//!   importer entries are `{specifier, version}`.
//! - lockfileVersion 9.x: keys `name@1.2.3` in `packages` (resolution) and `snapshots`
//!   (dependencies, per peer variant), direct dependencies under `importers`; no per-package
//!   flags, so dev and optional are derived from what the importers declare.
//!
//! Peer suffixes are stripped from versions; aliases (`/real@1.2.3`, v9 `real@1.2.3`) resolve to
//! the real package; `link:` and `file:` references (workspaces, local folders) are skipped.

use super::graph::{quoted, GraphBuilder, NodeId};
use super::read::{self, obj_at, str_at};
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Reads a `pnpm-lock.yaml`.
pub fn parse(path: &str, text: &str) -> Result<DependencyGraph, LockError> {
    let doc = read::yaml(path, text)?;
    if !doc.is_object() {
        return Err(LockError::shape(
            path,
            "not a pnpm lockfile: the document is not a mapping",
        ));
    }
    let written = doc.get("lockfileVersion").and_then(read::text);
    let major = match written.as_deref().map(leading_number) {
        Some(Some(major)) => major,
        _ => {
            if doc.get("packages").is_none() && doc.get("importers").is_none() {
                return Err(LockError::shape(
                    path,
                    "not a pnpm lockfile: no `lockfileVersion`, `packages` or `importers`",
                ));
            }
            // Guess from the layout: only v9 has `snapshots`.
            if doc.get("snapshots").is_some() {
                9
            } else {
                5
            }
        }
    };
    let style = if major >= 9 {
        Style::V9
    } else if major >= 6 {
        Style::V6
    } else {
        Style::V5
    };
    let format = match &written {
        Some(v) => format!("pnpm-lock.yaml v{}", super::graph::one_line(v, 16)),
        None => "pnpm-lock.yaml".to_string(),
    };
    let mut builder = GraphBuilder::new(DepEcosystem::Npm, true);
    if written.is_none() {
        builder.problem("no `lockfileVersion`: read by the shape of its keys");
    }
    let empty = Map::new();
    let packages = obj_at(&doc, "packages").unwrap_or(&empty);
    let mut ids: HashMap<&str, NodeId> = HashMap::new();
    for (key, entry) in packages {
        let at = format!("packages[{}]", quoted(key));
        let Some(id) = package_of(&mut builder, style, key, entry, &at) else {
            continue;
        };
        ids.insert(key, id);
        if style != Style::V9 {
            // v5/v6 write `dev: true|false` and omit it for packages both dev and prod.
            let dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
            let optional = entry.get("optional").and_then(Value::as_bool) == Some(true);
            builder.flags(id, Some(dev), Some(optional));
        }
        if let Some(resolution) = entry.get("resolution") {
            builder.artifact(
                id,
                str_at(resolution, "tarball"),
                str_at(resolution, "integrity"),
            );
        }
    }
    // Dependencies live with the packages before v9 and in `snapshots` from v9.
    let with_deps = if style == Style::V9 {
        obj_at(&doc, "snapshots").unwrap_or(&empty)
    } else {
        packages
    };
    for (key, entry) in with_deps {
        let at = if style == Style::V9 {
            format!("snapshots[{}]", quoted(key))
        } else {
            format!("packages[{}]", quoted(key))
        };
        let from = match ids.get(key.as_str()) {
            Some(&id) => Some(id),
            // A snapshot whose package entry is missing still stands for a package.
            None if style == Style::V9 => package_of(&mut builder, style, key, entry, &at),
            None => None,
        };
        let Some(from) = from else {
            continue;
        };
        for (field, optional) in [("dependencies", false), ("optionalDependencies", true)] {
            let Some(deps) = obj_at(entry, field) else {
                continue;
            };
            for (name, reference) in deps {
                let Some(reference) = read::text(reference) else {
                    builder.problem(&format!("{at}: dependency {} has no version", quoted(name)));
                    continue;
                };
                match lookup(&builder, style, name, &reference) {
                    Lookup::Found(to) => builder.edge(from, to, optional),
                    Lookup::Local => {}
                    Lookup::Missing(what) if !optional => builder.problem(&format!(
                        "{at}: needs {}, which the lockfile does not list",
                        quoted(&what)
                    )),
                    Lookup::Missing(_) => {}
                }
            }
        }
    }
    match obj_at(&doc, "importers") {
        Some(importers) => {
            for (importer, declared) in importers {
                add_roots(
                    &mut builder,
                    style,
                    &format!("importers[{}]", quoted(importer)),
                    declared,
                );
            }
        }
        None => add_roots(&mut builder, style, "the project", &doc),
    }
    Ok(builder.finish(path, &format))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    V5,
    V6,
    V9,
}

/// The package a `packages` / `snapshots` key stands for (entries of git or tarball
/// dependencies carry their own `name` and `version`).
fn package_of(
    builder: &mut GraphBuilder,
    style: Style,
    key: &str,
    entry: &Value,
    at: &str,
) -> Option<NodeId> {
    if let (Some(name), Some(version)) = (
        str_at(entry, "name"),
        entry.get("version").and_then(read::text),
    ) {
        return builder.package(name, &version, at);
    }
    match parse_key(style, key) {
        Some((name, version)) => builder.package(name, version, at),
        None => {
            builder.problem(&format!("{at}: not a `name@version` key; skipped"));
            None
        }
    }
}

/// `/name/1.2.3_peer` (v5), `/name@1.2.3(peer)` (v6), `name@1.2.3(peer)` (v9) → (name, version).
fn parse_key(style: Style, key: &str) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    match style {
        Style::V5 => {
            let (name, version) = key.rsplit_once('/')?;
            // `@scope/name/1.0.0` splits right; `/name` alone has no version.
            let version = version.split('_').next().unwrap_or(version);
            (!name.is_empty() && !version.is_empty()).then_some((name, version))
        }
        Style::V6 | Style::V9 => {
            let (name, version) = super::npm::split_name_version(key)?;
            let version = strip_peers(version);
            (!version.is_empty()).then_some((name, version))
        }
    }
}

/// `1.2.3(react@18.2.0)(b@1)` → `1.2.3`.
fn strip_peers(version: &str) -> &str {
    version.split('(').next().unwrap_or(version)
}

enum Lookup {
    Found(NodeId),
    /// `link:` / `file:`: the project's own code.
    Local,
    /// Names what was looked for.
    Missing(String),
}

/// The package a dependency reference (`1.2.3`, `1.2.3(peer)`, `/real@1.2.3`, `link:../x`)
/// stands for.
fn lookup(builder: &GraphBuilder, style: Style, name: &str, reference: &str) -> Lookup {
    if super::npm::is_local_spec(reference) {
        return Lookup::Local;
    }
    let key = match style {
        Style::V5 if reference.starts_with('/') => reference.to_string(),
        // A registry-qualified key (`registry.example.com/name/1.0.0`) or tarball path.
        Style::V5 if reference.contains('/') => reference.to_string(),
        Style::V5 => format!("{name}/{reference}"),
        Style::V6 if reference.starts_with('/') => reference.to_string(),
        Style::V6 => format!("{name}@{reference}"),
        Style::V9 => {
            // An alias reads `real@1.2.3`; a plain version has `@` only inside peer suffixes.
            if strip_peers(reference)
                .get(1..)
                .is_some_and(|rest| rest.contains('@'))
            {
                reference.to_string()
            } else {
                format!("{name}@{reference}")
            }
        }
    };
    let found = parse_key(style, &key).and_then(|(n, v)| builder.find(n, v));
    match found {
        Some(id) => Lookup::Found(id),
        None => Lookup::Missing(key),
    }
}

/// Direct dependencies of one importer (or of a v5/v6 lockfile's top level).
fn add_roots(builder: &mut GraphBuilder, style: Style, at: &str, declared: &Value) {
    for (field, dev, optional) in [
        ("dependencies", false, false),
        ("devDependencies", true, false),
        ("optionalDependencies", false, true),
    ] {
        let Some(deps) = obj_at(declared, field) else {
            continue;
        };
        for (name, value) in deps {
            // v5: `name: 1.2.3`; v6 and v9: `name: {specifier, version}`.
            let reference = match value {
                Value::Object(_) => value.get("version").and_then(read::text),
                other => read::text(other),
            };
            let Some(reference) = reference else {
                builder.problem(&format!("{at}: {} has no version", quoted(name)));
                continue;
            };
            match lookup(builder, style, name, &reference) {
                Lookup::Found(id) => builder.root(id, dev, optional),
                Lookup::Local => {}
                Lookup::Missing(what) if !optional => builder.problem(&format!(
                    "{at}: declares {}, which the lockfile does not list",
                    quoted(&what)
                )),
                Lookup::Missing(_) => {}
            }
        }
    }
}

/// `5.4` → 5, `'9.0'` → 9.
fn leading_number(version: &str) -> Option<u32> {
    let digits: String = version
        .chars()
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_each_lockfile_version() {
        assert_eq!(
            parse_key(Style::V5, "/@babel/core/7.20.0_supports-color@5.5.0"),
            Some(("@babel/core", "7.20.0"))
        );
        assert_eq!(
            parse_key(Style::V6, "/react-dom@18.2.0(react@18.2.0)"),
            Some(("react-dom", "18.2.0"))
        );
        assert_eq!(
            parse_key(Style::V9, "@s/a@1.0.0(b@2.0.0)"),
            Some(("@s/a", "1.0.0"))
        );
    }
}
