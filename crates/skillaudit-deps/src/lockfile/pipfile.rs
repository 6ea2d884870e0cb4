//! pipenv's `Pipfile.lock` (JSON).
//!
//! `default` (production) and `develop` (dev) map each name to `{"version": "==1.2.3",
//! "hashes": […], "markers": …}`. The lockfile records no edges: paths stay empty. Direct
//! dependencies are the names the `Pipfile` beside it lists under `[packages]` and
//! `[dev-packages]`; without it, every package counts as direct. Entries without an exact
//! `==` version (git, path, editable sources) are listed in problems as not pinned.

use super::graph::{quoted, GraphBuilder};
use super::read::{self, obj_at, pep503};
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};
use serde_json::Value;
use std::collections::HashSet;

/// Reads a `Pipfile.lock`; `pipfile` is the `Pipfile` beside it.
pub fn parse(path: &str, text: &str, pipfile: Option<&str>) -> Result<DependencyGraph, LockError> {
    let doc = read::json(path, text)?;
    if obj_at(&doc, "default").is_none() && obj_at(&doc, "develop").is_none() {
        return Err(LockError::shape(
            path,
            "not a Pipfile.lock: no `default` or `develop` section",
        ));
    }
    let mut builder = GraphBuilder::new(DepEcosystem::PyPI, false);
    let declared = pipfile.and_then(|text| match toml::from_str::<toml::Table>(text) {
        Ok(doc) => {
            let mut names = HashSet::new();
            for section in ["packages", "dev-packages"] {
                if let Some(table) = doc.get(section).and_then(toml::Value::as_table) {
                    names.extend(table.keys().map(|k| pep503(k)));
                }
            }
            Some(names)
        }
        Err(_) => {
            builder
                .problem("the Pipfile beside it is not valid TOML; every package counts as direct");
            None
        }
    });
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(entries) = obj_at(&doc, section) else {
            continue;
        };
        for (name, spec) in entries {
            let at = format!("{section}[{}]", quoted(name));
            let Some(version) = spec.get("version").and_then(Value::as_str) else {
                let source = ["git", "path", "file", "editable"]
                    .into_iter()
                    .find(|k| spec.get(*k).is_some());
                match source {
                    Some(source) => builder.problem(&format!(
                        "{at}: a {source} source without a version: not pinned"
                    )),
                    None => builder.problem(&format!("{at}: no version: not pinned")),
                }
                continue;
            };
            let Some(pinned) = version
                .strip_prefix("===")
                .or_else(|| version.strip_prefix("=="))
            else {
                builder.problem(&format!("{at}: version {} is not pinned", quoted(version)));
                continue;
            };
            let Some(id) = builder.package(name, pinned.trim(), &at) else {
                continue;
            };
            builder.flags(id, Some(dev), Some(false));
            let hash = spec
                .get("hashes")
                .and_then(Value::as_array)
                .and_then(|h| h.first())
                .and_then(Value::as_str);
            builder.artifact(id, None, hash);
            if declared
                .as_ref()
                .is_none_or(|names| names.contains(&pep503(name)))
            {
                builder.root(id, dev, false);
            }
        }
    }
    Ok(builder.finish(path, "Pipfile.lock"))
}
