//! Go's `go.sum`, with the `go.mod` beside it when given.
//!
//! go.sum lines are `module version h1:hash` (the module's content) and `module
//! version/go.mod h1:hash` (its go.mod only, for versions the build consulted but did not
//! select). A module's version is the one its `go.mod` `require` selects when go.mod is given;
//! otherwise the versions with a content line, else the last go.mod-only version. Direct
//! dependencies are go.mod `require`s without `// indirect`; without go.mod none is known to be
//! direct. go.sum records no edges: paths stay empty. `replace` directives are noted.

use super::graph::{quoted, GraphBuilder};
use super::{LockError, LockErrorKind};
use crate::model::{DepEcosystem, DependencyGraph};
use std::collections::HashMap;

/// Reads a `go.sum`; `go_mod` is the `go.mod` beside it.
pub fn parse(path: &str, text: &str, go_mod: Option<&str>) -> Result<DependencyGraph, LockError> {
    let mut builder = GraphBuilder::new(DepEcosystem::Go, false);
    let mut order: Vec<&str> = Vec::new();
    let mut sums: HashMap<&str, Sums> = HashMap::new();
    let mut read_lines = 0usize;
    let mut first_bad = None;
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().take(4).collect();
        let [module, version, hash] = fields[..] else {
            first_bad.get_or_insert(index + 1);
            builder.problem(&format!(
                "line {}: not `module version hash`; skipped",
                index + 1
            ));
            continue;
        };
        if !hash.contains(':') {
            first_bad.get_or_insert(index + 1);
            builder.problem(&format!(
                "line {}: {} is not a hash; skipped",
                index + 1,
                quoted(hash)
            ));
            continue;
        }
        read_lines += 1;
        let entry = sums.entry(module).or_insert_with(|| {
            order.push(module);
            Sums::default()
        });
        match version.strip_suffix("/go.mod") {
            Some(version) => entry.mod_only.push(version),
            None => entry.content.push((version, hash)),
        }
    }
    if read_lines == 0 {
        if let Some(line) = first_bad {
            return Err(LockError::new(
                path,
                u32::try_from(line).ok(),
                LockErrorKind::Shape,
                "not a go.sum: no `module version hash` line",
            ));
        }
    }
    let requires = match go_mod {
        Some(text) => read_go_mod(&mut builder, text),
        None => HashMap::new(),
    };
    for module in &order {
        let Some(Sums { content, mod_only }) = sums.get(module) else {
            continue;
        };
        let at = format!("module {}", quoted(module));
        if let Some(required) = requires.get(*module) {
            let hash = content
                .iter()
                .find(|(v, _)| *v == required.version)
                .map(|(_, h)| *h);
            add(
                &mut builder,
                module,
                &required.version,
                hash,
                !required.indirect,
                &at,
            );
        } else if !content.is_empty() {
            for (version, hash) in content {
                add(&mut builder, module, version, Some(hash), false, &at);
            }
        } else if let Some(version) = mod_only.last() {
            add(&mut builder, module, version, None, false, &at);
        }
    }
    // Required modules go.sum does not list (a go.sum out of date) still count.
    let mut missing: Vec<(&String, &Required)> = requires
        .iter()
        .filter(|(m, _)| !sums.contains_key(m.as_str()))
        .collect();
    missing.sort_by(|a, b| a.0.cmp(b.0));
    for (module, required) in missing {
        let at = format!("go.mod require {}", quoted(module));
        add(
            &mut builder,
            module,
            &required.version,
            None,
            !required.indirect,
            &at,
        );
    }
    Ok(builder.finish(path, "go.sum"))
}

/// What go.sum lists for one module, in file order.
#[derive(Default)]
struct Sums<'a> {
    /// Versions with a content hash (`module version h1:…`), with that hash.
    content: Vec<(&'a str, &'a str)>,
    /// Versions listed only for their go.mod (`module version/go.mod h1:…`).
    mod_only: Vec<&'a str>,
}

fn add(
    builder: &mut GraphBuilder,
    module: &str,
    version: &str,
    hash: Option<&str>,
    direct: bool,
    at: &str,
) {
    if let Some(id) = builder.package(module, version, at) {
        builder.flags(id, Some(false), Some(false));
        builder.artifact(id, None, hash);
        if direct {
            builder.root(id, false, false);
        }
    }
}

/// A go.mod `require`.
struct Required {
    version: String,
    indirect: bool,
}

/// The `require`s of a go.mod; `replace` directives become notes.
fn read_go_mod(builder: &mut GraphBuilder, text: &str) -> HashMap<String, Required> {
    let mut requires = HashMap::new();
    let mut block: Option<String> = None;
    for (index, line) in text.split('\n').enumerate() {
        let (code, comment) = match line.find("//") {
            Some(i) => (&line[..i], Some(&line[i + 2..])),
            None => (line, None),
        };
        let indirect = comment.is_some_and(|c| c.trim_start().starts_with("indirect"));
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (verb, args) = match &block {
            Some(_) if code == ")" => {
                block = None;
                continue;
            }
            Some(verb) => (verb.clone(), code),
            None => {
                let (verb, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(verb.to_string());
                    continue;
                }
                (verb.to_string(), rest)
            }
        };
        match verb.as_str() {
            "require" => {
                let fields: Vec<&str> = args.split_whitespace().take(3).collect();
                if let [module, version] = fields[..] {
                    requires.insert(
                        unquote(module).to_string(),
                        Required {
                            version: unquote(version).to_string(),
                            indirect,
                        },
                    );
                } else {
                    builder.problem(&format!(
                        "go.mod line {}: not `require module version`; skipped",
                        index + 1
                    ));
                }
            }
            "replace" => builder.problem(&format!(
                "go.mod line {}: replace {}: versions are read as required, not as replaced",
                index + 1,
                quoted(args)
            )),
            _ => {}
        }
    }
    requires
}

/// A go.mod token without its `"…"` or `` `…` `` quotes.
fn unquote(token: &str) -> &str {
    token.trim_matches(|c| c == '"' || c == '`')
}
