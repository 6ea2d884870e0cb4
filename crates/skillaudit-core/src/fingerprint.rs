//! Stable identities: finding fingerprints and audit ids (SPEC §3, ENGINE.md §6).
//!
//! A fingerprint survives unrelated edits and rebuilds: it hashes the rule code, the file path with
//! bundler hashes removed, and the evidence with whitespace collapsed — never a line number.

use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// SHA-256 of some bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// True for a file-name segment that looks like a content hash a bundler added
/// (`BIvDs4Sc`, `3XK2Q`, `a1b2c3d4`): 5–20 ASCII letters or digits with at least one digit,
/// or a mix of upper and lower case.
fn looks_like_bundle_hash(segment: &str) -> bool {
    let len = segment.len();
    if !(5..=20).contains(&len)
        || !segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return false;
    }
    let digits = segment.bytes().filter(u8::is_ascii_digit).count();
    let upper = segment.bytes().any(|b| b.is_ascii_uppercase());
    let lower = segment.bytes().any(|b| b.is_ascii_lowercase());
    (digits > 0 && digits < len && (upper || lower)) || (upper && lower && len >= 6)
}

/// Path with `/` separators and bundler hashes in the file name replaced by `*`
/// (`assets/index-BIvDs4Sc.js` → `assets/index-*.js`, `chunk-3XK2Q.js` → `chunk-*.js`).
pub fn normalise_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let (dir, file) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path.as_str()),
    };
    let mut out = String::with_capacity(path.len());
    out.push_str(dir);
    let mut segment = String::new();
    let mut first = true;
    for ch in file.chars() {
        if ch == '-' || ch == '.' {
            push_segment(&mut out, &segment, first);
            out.push(ch);
            segment.clear();
            first = false;
        } else {
            segment.push(ch);
        }
    }
    push_segment(&mut out, &segment, first);
    out
}

fn push_segment(out: &mut String, segment: &str, first: bool) {
    // The first segment is the file's own name (`index`, `server`): never treat it as a hash.
    if !first && looks_like_bundle_hash(segment) {
        out.push('*');
    } else {
        out.push_str(segment);
    }
}

/// Evidence with runs of whitespace collapsed to one space and the ends trimmed.
pub fn normalise_evidence(evidence: &str) -> String {
    evidence.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fingerprint of a finding: 16 hex digits of SHA-256 over code, normalised path and key.
/// `key` is the evidence (or, for findings about absence, a fixed description of what is absent).
pub fn fingerprint(code: &str, path: Option<&str>, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(code.as_bytes());
    hasher.update([0]);
    hasher.update(normalise_path(path.unwrap_or("")).as_bytes());
    hasher.update([0]);
    hasher.update(normalise_evidence(key).as_bytes());
    hex(&hasher.finalize())[..16].to_string()
}

/// Audit id: `au_` + 16 hex digits over target identity, content digest and engine version.
pub fn audit_id(target_identity: &str, content_digest: &str, engine_version: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [target_identity, content_digest, engine_version] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    format!("au_{}", &hex(&hasher.finalize())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundler_hashes_are_removed_from_paths() {
        let table = [
            (
                "client/dist/assets/index-BIvDs4Sc.js",
                "client/dist/assets/index-*.js",
            ),
            ("dist/chunk-3XK2Q.js", "dist/chunk-*.js"),
            ("static/js/main.a1b2c3d4.js", "static/js/main.*.js"),
            ("dist/index.js", "dist/index.js"),
            ("dist/server-utils.js", "dist/server-utils.js"),
            ("src/tools/kubectl-get.ts", "src/tools/kubectl-get.ts"),
            (
                "src/mcp_server_git/server.py",
                "src/mcp_server_git/server.py",
            ),
            ("lib\\win\\path.js", "lib/win/path.js"),
        ];
        for (input, expected) in table {
            assert_eq!(normalise_path(input), expected, "{input}");
        }
    }

    #[test]
    fn fingerprint_ignores_whitespace_and_bundle_hash() {
        let a = fingerprint("CMD-001", Some("dist/chunk-AB12C.js"), "exec( cmd )");
        let b = fingerprint("CMD-001", Some("dist/chunk-ZZ99Q.js"), "exec(\n   cmd )");
        assert_eq!(a, b);
        assert_eq!(a.len(), 16);
        assert_ne!(
            a,
            fingerprint("CMD-002", Some("dist/chunk-AB12C.js"), "exec( cmd )")
        );
    }

    #[test]
    fn audit_id_is_stable_and_prefixed() {
        let id = audit_id("npm:x@1.0.0", "abc", "0.1.0");
        assert!(id.starts_with("au_") && id.len() == 19);
        assert_eq!(id, audit_id("npm:x@1.0.0", "abc", "0.1.0"));
        assert_ne!(id, audit_id("npm:x@1.0.0", "abd", "0.1.0"));
    }
}
