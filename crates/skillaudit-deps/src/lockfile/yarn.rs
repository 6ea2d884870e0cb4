//! yarn's `yarn.lock`, classic (v1) and berry (v2+), told apart by berry's `__metadata` entry.
//!
//! - v1 is yarn's own indented format, read here by a small line parser: an entry header lists
//!   the descriptors it satisfies (`"a@^1.0.0", a@^1.1.0:`), its fields are `version`,
//!   `resolved`, `integrity`, and `dependencies:` / `optionalDependencies:` blocks of
//!   `name "range"` lines.
//! - berry is YAML: keys `name@npm:^1.0.0, name@npm:^1.1.0`, fields `version`, `resolution:
//!   "name@npm:1.2.3"`, `checksum`, `dependencies` (ranges written without `npm:`) and
//!   `dependenciesMeta` (optional flags). `workspace:` entries are the project's own packages:
//!   their dependencies are the direct ones. `patch:` entries are read as the package they patch,
//!   with a note; `link:`, `portal:` and `file:` entries are local folders and skipped.
//!
//! An edge follows a `name@range` dependency to the entry whose descriptors hold it. Direct
//! dependencies come from berry's workspace entries, else from the `package.json` beside the
//! lockfile (which also tells dev dependencies), else they are inferred. Aliases
//! (`alias@npm:real@^1`) are recorded under the real name.

use super::graph::{quoted, Declared, GraphBuilder, NodeId};
use super::npm::{is_local_spec, package_json_deps, split_name_version};
use super::read::{self, obj_at, str_at};
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};
use serde_json::Value;
use std::collections::HashMap;

/// Reads a `yarn.lock` (v1 or berry).
pub fn parse(path: &str, text: &str, sibling: Option<&str>) -> Result<DependencyGraph, LockError> {
    let mut builder = GraphBuilder::new(DepEcosystem::Npm, true);
    let berry = text.lines().take(200).any(|l| l.starts_with("__metadata:"));
    let (entries, format) = if berry {
        let doc = read::yaml(path, text)?;
        let Some(map) = doc.as_object() else {
            return Err(LockError::shape(
                path,
                "not a yarn lockfile: the document is not a mapping",
            ));
        };
        let version = map
            .get("__metadata")
            .and_then(|m| m.get("version"))
            .and_then(read::text)
            .map(|v| super::graph::one_line(&v, 16));
        let format = match version {
            Some(v) => format!("yarn.lock berry v{v}"),
            None => "yarn.lock berry".to_string(),
        };
        (berry_entries(&mut builder, map), format)
    } else {
        let entries = v1_entries(&mut builder, text);
        if entries.is_empty()
            && text
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        {
            return Err(LockError::shape(
                path,
                "not a yarn lockfile: no entry could be read",
            ));
        }
        (entries, "yarn.lock v1".to_string())
    };
    let declared = sibling.and_then(|s| match package_json_deps(s) {
        Ok(declared) => Some(declared),
        Err(why) => {
            builder.problem(&why);
            None
        }
    });
    build(&mut builder, &entries, declared.as_deref());
    Ok(builder.finish(path, &format))
}

/// One lockfile entry, from either syntax.
#[derive(Debug, Default)]
struct Entry {
    /// Names the entry in problem lines (`line 12`, `"a@npm:^1"`).
    at: String,
    descriptors: Vec<String>,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    /// berry's `resolution: "name@npm:1.2.3"`.
    resolution: Option<String>,
    /// (name, range, optional)
    deps: Vec<(String, String, bool)>,
}

/// What a descriptor leads to.
#[derive(Debug, Clone, Copy)]
enum Target {
    Package(NodeId),
    /// A berry workspace: the project's own package.
    Workspace,
    /// A local folder.
    Local,
}

fn build(builder: &mut GraphBuilder, entries: &[Entry], declared: Option<&[Declared]>) {
    let mut targets: HashMap<&str, Target> = HashMap::new();
    let mut own: Vec<Option<Target>> = Vec::with_capacity(entries.len());
    for entry in entries {
        let target = target_of(builder, entry);
        if let Some(target) = target {
            for descriptor in &entry.descriptors {
                targets.insert(descriptor, target);
            }
        }
        own.push(target);
    }
    // Whether a name is declared only as a dev dependency in package.json.
    let dev_only = |name: &str| {
        declared.is_some_and(|d| {
            d.iter().any(|x| x.name == name && x.dev) && !d.iter().any(|x| x.name == name && !x.dev)
        })
    };
    let mut has_workspace = false;
    for (entry, target) in entries.iter().zip(&own) {
        let from = match target {
            Some(Target::Package(id)) => Some(*id),
            Some(Target::Workspace) => {
                has_workspace = true;
                None
            }
            _ => continue,
        };
        for (name, range, optional) in &entry.deps {
            match lookup(&targets, name, range) {
                Some(Target::Package(to)) => match from {
                    Some(from) => builder.edge(from, to, *optional),
                    None => builder.root(to, dev_only(name), *optional),
                },
                Some(_) => {}
                None if is_local_spec(range) || *optional => {}
                None => builder.problem(&format!(
                    "{}: needs {}, which the lockfile does not list",
                    entry.at,
                    quoted(&format!("{name}@{range}"))
                )),
            }
        }
    }
    if has_workspace {
        return;
    }
    for dep in declared.unwrap_or_default() {
        match lookup(&targets, &dep.name, &dep.range) {
            Some(Target::Package(id)) => builder.root(id, dep.dev, dep.optional),
            Some(_) => {}
            None if is_local_spec(&dep.range) || dep.optional => {}
            None => builder.problem(&format!(
                "package.json declares {}, which the lockfile does not list",
                quoted(&format!("{}@{}", dep.name, dep.range))
            )),
        }
    }
}

/// Adds the package an entry stands for, or says it is a workspace or local folder.
fn target_of(builder: &mut GraphBuilder, entry: &Entry) -> Option<Target> {
    let version = entry.version.as_deref().unwrap_or("");
    let (name, patched) = match &entry.resolution {
        // berry: the resolution names the real package and its protocol.
        Some(resolution) => {
            let Some((name, reference)) = split_name_version(resolution) else {
                builder.problem(&format!(
                    "{}: resolution {} is not `name@reference`; skipped",
                    entry.at,
                    quoted(resolution)
                ));
                return None;
            };
            let protocol = reference.split_once(':').map_or("", |(p, _)| p);
            match protocol {
                "workspace" => return Some(Target::Workspace),
                "link" | "portal" | "file" => return Some(Target::Local),
                "patch" => (name, true),
                _ => (name, false),
            }
        }
        None => {
            let first = entry.descriptors.first()?;
            let Some((name, range)) = split_name_version(first) else {
                builder.problem(&format!(
                    "{}: {} is not `name@range`; skipped",
                    entry.at,
                    quoted(first)
                ));
                return None;
            };
            if is_local_spec(range) {
                return Some(Target::Local);
            }
            match range.strip_prefix("npm:").and_then(split_name_version) {
                Some((real, _)) => (real, false),
                None => (name, false),
            }
        }
    };
    let id = builder.package(name, version, &entry.at)?;
    if patched {
        builder.problem(&format!(
            "{}: a `patch:` entry, read as the package it patches ({})",
            entry.at,
            quoted(&format!("{name}@{version}"))
        ));
    } else {
        builder.artifact(id, entry.resolved.as_deref(), entry.integrity.as_deref());
    }
    Some(Target::Package(id))
}

/// The entry a dependency `name` at `range` resolves to: `name@range`, or for berry (which
/// writes ranges without their default protocol) `name@npm:range`.
fn lookup(targets: &HashMap<&str, Target>, name: &str, range: &str) -> Option<Target> {
    let plain = format!("{name}@{range}");
    if let Some(target) = targets.get(plain.as_str()) {
        return Some(*target);
    }
    targets.get(format!("{name}@npm:{range}").as_str()).copied()
}

/// berry: the YAML mapping's entries.
fn berry_entries(builder: &mut GraphBuilder, map: &serde_json::Map<String, Value>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (key, value) in map {
        if key == "__metadata" {
            continue;
        }
        let at = quoted(key);
        if !value.is_object() {
            builder.problem(&format!("{at}: not a mapping; skipped"));
            continue;
        }
        let mut entry = Entry {
            at,
            descriptors: key
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            version: value.get("version").and_then(read::text),
            integrity: value.get("checksum").and_then(read::text),
            resolution: str_at(value, "resolution").map(str::to_string),
            ..Entry::default()
        };
        let meta = obj_at(value, "dependenciesMeta");
        let optional_of = |name: &str| {
            meta.and_then(|m| m.get(name))
                .and_then(|m| m.get("optional"))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        for (field, optional_field) in [("dependencies", false), ("optionalDependencies", true)] {
            if let Some(deps) = obj_at(value, field) {
                for (name, range) in deps {
                    let Some(range) = read::text(range) else {
                        continue;
                    };
                    let optional = optional_field || optional_of(name);
                    entry.deps.push((name.clone(), range, optional));
                }
            }
        }
        if entry.resolution.is_none() {
            builder.problem(&format!("{}: no `resolution`; read from its key", entry.at));
        }
        entries.push(entry);
    }
    entries
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Dependencies,
    OptionalDependencies,
    Other,
}

/// v1: the line parser.
fn v1_entries(builder: &mut GraphBuilder, text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let mut field_indent: Option<usize> = None;
    let mut block: Option<Block> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let content = line.trim_start_matches([' ', '\t']);
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            entries.extend(current.take());
            field_indent = None;
            block = None;
            match content.trim_end().strip_suffix(':') {
                Some(header) => {
                    let descriptors = descriptor_list(header);
                    if descriptors.is_empty() {
                        builder.problem(&format!(
                            "line {line_no}: entry header without descriptors; skipped"
                        ));
                    } else {
                        current = Some(Entry {
                            at: format!("line {line_no}"),
                            descriptors,
                            ..Entry::default()
                        });
                    }
                }
                None => builder.problem(&format!(
                    "line {line_no}: {} is not an entry header; skipped",
                    quoted(content)
                )),
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            // Lines of a skipped entry; its header was already reported.
            continue;
        };
        let level = *field_indent.get_or_insert(indent);
        if indent == level {
            let (key, rest) = take_token(content);
            let rest = rest.trim();
            if rest == ":" || (rest.is_empty() && key.ends_with(':')) {
                block = Some(match key.trim_end_matches(':') {
                    "dependencies" => Block::Dependencies,
                    "optionalDependencies" => Block::OptionalDependencies,
                    _ => Block::Other,
                });
                continue;
            }
            block = None;
            let value = value_of(rest);
            match key.as_str() {
                "version" => entry.version = Some(value),
                "resolved" => entry.resolved = Some(value),
                "integrity" => entry.integrity = Some(value),
                _ => {}
            }
        } else if indent > level {
            match block {
                Some(Block::Dependencies | Block::OptionalDependencies) => {
                    let (name, rest) = take_token(content);
                    let optional = block == Some(Block::OptionalDependencies);
                    entry.deps.push((name, value_of(rest.trim()), optional));
                }
                Some(Block::Other) => {}
                None => {
                    builder.problem(&format!("line {line_no}: unexpected indentation; ignored"))
                }
            }
        } else {
            builder.problem(&format!("line {line_no}: unexpected indentation; ignored"));
        }
    }
    entries.extend(current);
    entries
}

/// `"a@^1", a@^2` → [`a@^1`, `a@^2`].
fn descriptor_list(header: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = header;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let descriptor;
        if rest.starts_with('"') {
            let (token, after) = take_token(rest);
            descriptor = token;
            rest = after;
            // Skip to the next comma.
            rest = rest.find(',').map_or("", |i| &rest[i + 1..]);
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            descriptor = rest[..end].trim().to_string();
            rest = rest.get(end + 1..).unwrap_or("");
        }
        if !descriptor.is_empty() {
            out.push(descriptor);
        }
    }
    out
}

/// A value: a quoted string unquoted, else the text as written.
fn value_of(text: &str) -> String {
    if text.starts_with('"') {
        take_token(text).0
    } else {
        text.to_string()
    }
}

/// The first token of `s` (a quoted string with `\` escapes, or up to whitespace) and the rest.
fn take_token(s: &str) -> (String, &str) {
    if let Some(body) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        out.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                '"' => return (out, &body[i + 1..]),
                c => out.push(c),
            }
        }
        (out, "")
    } else {
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        (s[..end].to_string(), &s[end..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_lists_mix_quoted_and_bare() {
        assert_eq!(
            descriptor_list(r#""@b/c@^7.0.0", "@b/c@^7.10.4", d@1"#),
            vec!["@b/c@^7.0.0", "@b/c@^7.10.4", "d@1"]
        );
    }
}
