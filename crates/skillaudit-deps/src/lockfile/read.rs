//! Reading lockfile text into generic trees (JSON, JSON with trailing commas, YAML, TOML), with
//! errors that name the file and line, and lenient accessors over those trees.

use super::{LockError, LockErrorKind};
use serde_json::{Map, Value};

/// A JSON document (serde_json stops nesting at 128 levels with an error).
pub(crate) fn json(file: &str, text: &str) -> Result<Value, LockError> {
    serde_json::from_str(text).map_err(|e| json_error(file, &e))
}

/// A JSON document that may hold `//` and `/* */` comments and trailing commas (bun.lock).
pub(crate) fn jsonc(file: &str, text: &str) -> Result<Value, LockError> {
    let plain = strip_jsonc(text);
    serde_json::from_str(&plain).map_err(|e| json_error(file, &e))
}

fn json_error(file: &str, e: &serde_json::Error) -> LockError {
    let line = u32::try_from(e.line()).ok().filter(|l| *l > 0);
    let message = e.to_string();
    // serde_json appends " at line L column C"; the line is reported apart.
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => &message,
    };
    LockError::new(
        file,
        line,
        LockErrorKind::Syntax,
        &format!("not valid JSON: {message}"),
    )
}

/// A YAML document, read under budgets sized for lockfiles: anchors and aliases (which no
/// lockfile writer emits) are capped low, so alias bombs fail fast.
pub(crate) fn yaml(file: &str, text: &str) -> Result<Value, LockError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(super::MAX_LOCKFILE_BYTES);
    budget.max_events = 20_000_000;
    budget.max_nodes = 10_000_000;
    budget.max_total_scalar_bytes = super::MAX_LOCKFILE_BYTES;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 64;
    budget.max_documents = 1;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_replay_stack_depth = 16;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|e| {
        let line = e
            .location()
            .and_then(|l| u32::try_from(l.line()).ok())
            .filter(|l| *l > 0);
        let message = e.without_snippet().to_string();
        let message = message.lines().next().unwrap_or("").trim();
        LockError::new(
            file,
            line,
            LockErrorKind::Syntax,
            &format!("not valid YAML: {message}"),
        )
    })
}

/// A TOML document.
pub(crate) fn toml(file: &str, text: &str) -> Result<toml::Table, LockError> {
    toml::from_str::<toml::Table>(text).map_err(|e| {
        let line = e.span().map(|span| line_at(text, span.start));
        LockError::new(
            file,
            line,
            LockErrorKind::Syntax,
            &format!("not valid TOML: {}", e.message().trim()),
        )
    })
}

/// 1-based line of byte offset `at`.
pub(crate) fn line_at(text: &str, at: usize) -> u32 {
    let at = at.min(text.len());
    let newlines = text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// `text` with comments blanked and trailing commas removed, line numbers unchanged. Works on
/// bytes: every replaced byte is ASCII or part of a blanked comment, so the result is UTF-8.
fn strip_jsonc(text: &str) -> String {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < out.len() {
        let b = out[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (b, out.get(i + 1).copied()) {
            (b'"', _) => in_string = true,
            (b'/', Some(b'/')) => {
                while i < out.len() && out[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                let mut closed = false;
                while i < out.len() {
                    if out[i] == b'*' && out.get(i + 1) == Some(&b'/') {
                        out[i] = b' ';
                        out[i + 1] = b' ';
                        i += 2;
                        closed = true;
                        break;
                    }
                    if out[i] != b'\n' {
                        out[i] = b' ';
                    }
                    i += 1;
                }
                if !closed {
                    break;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Second pass: a comma followed (past whitespace) by a closing bracket goes. Each
    // whitespace run is scanned once, by the comma before it: linear time.
    let mut in_string = false;
    let mut i = 0;
    while i < out.len() {
        let b = out[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
        } else if b == b',' {
            let mut j = i + 1;
            while j < out.len() && out[j].is_ascii_whitespace() {
                j += 1;
            }
            if matches!(out.get(j), Some(b'}' | b']')) {
                out[i] = b' ';
            }
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A scalar as text: strings as they are, numbers and booleans as written by serde.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `value[key]` as a string slice.
pub(crate) fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// `value[key]` as an object.
pub(crate) fn obj_at<'a>(value: &'a Value, key: &str) -> Option<&'a Map<String, Value>> {
    value.get(key).and_then(Value::as_object)
}

/// `value[key] == true`.
pub(crate) fn flag_at(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// `table[key]` as a TOML string.
pub(crate) fn toml_str<'a>(table: &'a toml::Table, key: &str) -> Option<&'a str> {
    table.get(key).and_then(toml::Value::as_str)
}

/// Normalised PyPI name (PEP 503): lower case, runs of `-`, `_`, `.` as one `-`.
pub(crate) fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The distribution name at the start of a PEP 508 requirement (`requests[socks]>=2; …`).
pub(crate) fn pep508_name(requirement: &str) -> Option<&str> {
    let s = requirement.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(s.len());
    let name = &s[..end];
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_drops_trailing_commas_and_comments_but_not_inside_strings() {
        let text = "{\n // c\n \"a\": [1, 2,], /* x\n y */ \"b\": \",]//\",\n}";
        let value: Value = serde_json::from_str(&strip_jsonc(text)).unwrap();
        assert_eq!(value["a"], serde_json::json!([1, 2]));
        assert_eq!(value["b"], ",]//");
    }

    #[test]
    fn pep503_folds_case_and_separators() {
        assert_eq!(pep503("Foo__Bar.baz"), "foo-bar-baz");
    }
}
