//! pip requirements files with exact pins (`requirements.txt`, `requirements-dev.txt`,
//! `dev-requirements.txt`…), as `pip-compile` and `pip freeze` write them.
//!
//! Only exact pins are packages: `name==1.2.3`, `name===1.2.3`, with extras (`name[x]==1`),
//! environment markers (`; python_version < "3.9"`) and `--hash` options, on lines joined by
//! trailing backslashes; comments are dropped. Everything listed counts as direct (the file
//! records no edges, so paths stay empty). Lines that are not exact pins (ranges, URLs, paths,
//! editables) are listed in problems as not pinned, and `-r` / `-c` includes as not followed;
//! other pip options are ignored.

use super::graph::{quoted, GraphBuilder};
use super::read::pep508_name;
use super::LockError;
use crate::model::{DepEcosystem, DependencyGraph};

/// Longest logical line read (continuations joined); longer ones are reported and skipped.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads a requirements file.
pub fn parse(path: &str, text: &str) -> Result<DependencyGraph, LockError> {
    let mut builder = GraphBuilder::new(DepEcosystem::PyPI, false);
    let mut logical = String::new();
    let mut start_line = 0;
    let mut too_long = false;
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if logical.is_empty() && !too_long {
            start_line = index + 1;
        }
        let (body, continued) = match raw.strip_suffix('\\') {
            Some(body) => (body, true),
            None => (raw, false),
        };
        if logical.len() + body.len() > MAX_LINE_BYTES {
            too_long = true;
        } else if !too_long {
            logical.push_str(body);
        }
        if continued {
            continue;
        }
        if too_long {
            builder.problem(&format!(
                "line {start_line}: longer than {MAX_LINE_BYTES} bytes; skipped"
            ));
        } else {
            read_line(&mut builder, start_line, &logical);
        }
        logical.clear();
        too_long = false;
    }
    if !logical.is_empty() {
        read_line(&mut builder, start_line, &logical);
    }
    Ok(builder.finish(path, "requirements.txt"))
}

/// One logical line.
fn read_line(builder: &mut GraphBuilder, line_no: usize, line: &str) {
    let line = strip_comment(line).trim();
    if line.is_empty() {
        return;
    }
    let at = format!("line {line_no}");
    if line.starts_with('-') {
        read_option(builder, &at, line);
        return;
    }
    // Options after the requirement (`--hash=…`) start at the first ` --`.
    let (requirement, options) = match line.find(" --").or_else(|| line.find("\t--")) {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    };
    let requirement = requirement.split(';').next().unwrap_or("").trim();
    let hash = hash_of(options);
    let not_pinned = |builder: &mut GraphBuilder, why: &str| {
        builder.problem(&format!("{at}: {} {why}: not pinned", quoted(requirement)));
    };
    let Some(name) = pep508_name(requirement) else {
        not_pinned(builder, "is a URL or path");
        return;
    };
    let mut rest = requirement[name.len()..].trim_start();
    if rest.starts_with('[') {
        match rest.find(']') {
            Some(end) => rest = rest[end + 1..].trim_start(),
            None => {
                builder.problem(&format!(
                    "{at}: {} has an unclosed extras list; skipped",
                    quoted(requirement)
                ));
                return;
            }
        }
    }
    if rest.starts_with('@') || requirement.contains("://") {
        not_pinned(builder, "is a URL");
        return;
    }
    let Some(version) = rest.strip_prefix("===").or_else(|| rest.strip_prefix("==")) else {
        not_pinned(builder, "has no exact version");
        return;
    };
    let version = version.trim();
    if version.is_empty() || version.contains([',', '*', ' ', '\t']) {
        not_pinned(builder, "has no exact version");
        return;
    }
    if let Some(id) = builder.package(name, version, &at) {
        builder.flags(id, Some(false), Some(false));
        builder.artifact(id, None, hash.as_deref());
        builder.root(id, false, false);
    }
}

/// `-r`/`-c` includes are reported; `-e` editables are not pinned; other options are ignored.
fn read_option(builder: &mut GraphBuilder, at: &str, line: &str) {
    let (option, value) = match line.find(|c: char| c == '=' || c.is_whitespace()) {
        Some(i) => (&line[..i], line[i + 1..].trim()),
        None => (line, ""),
    };
    let included = |short: &str, long: &str| {
        option == short
            || option == long
            || (option.starts_with(short) && !option.starts_with("--"))
    };
    if included("-r", "--requirement") || included("-c", "--constraint") {
        let file = attached_value(option, value);
        builder.problem(&format!("{at}: includes {}: not followed", quoted(file)));
    } else if included("-e", "--editable") {
        let target = attached_value(option, value);
        builder.problem(&format!("{at}: editable {}: not pinned", quoted(target)));
    }
}

/// An option's value: after `=` or a space, or glued to a short option (`-rbase.txt`).
fn attached_value<'a>(option: &'a str, value: &'a str) -> &'a str {
    if !value.is_empty() || option.starts_with("--") {
        return value;
    }
    option.get(2..).unwrap_or("")
}

/// The first `--hash=algo:hex` of the options.
fn hash_of(options: &str) -> Option<String> {
    let mut tokens = options.split_whitespace();
    while let Some(token) = tokens.next() {
        if let Some(hash) = token.strip_prefix("--hash=") {
            return Some(hash.to_string());
        }
        if token == "--hash" {
            return tokens.next().map(str::to_string);
        }
    }
    None
}

/// The line without a `#` comment (which starts the line or follows whitespace, as in pip).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}
