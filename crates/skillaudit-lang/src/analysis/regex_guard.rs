//! Whether a regular expression used as a check (`/^[\w.-]+$/.test(x)`, `re.fullmatch(p, x)`)
//! actually limits what the checked text may contain.
//!
//! A pattern validates only when it is anchored at both ends (by `^`/`$`, `\A`/`\z`, or by the
//! matching function: Python's `re.match` anchors the start, `re.fullmatch` both) on every
//! alternative, and nothing in it matches an arbitrary character: no `.`, no negated class
//! (`[^…]`), no `\S`, `\D` or `\W`. `/(^[a-z]|^\/).*/.test(drive)` checks the first character
//! only; `x.match(/[a-z]+/)` finds a word anywhere. Those are not guards: what follows them
//! still reaches a shell or a path with any text in it.

/// How the matching function anchors the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Anchoring {
    /// JavaScript `test`/`match`/`exec`, Python `re.search`: the pattern's own anchors only.
    None,
    /// Python `re.match` / `pattern.match`: at the start.
    Start,
    /// Python `re.fullmatch` / `pattern.fullmatch`: the whole text.
    Both,
}

/// Longest pattern examined; longer ones are trusted as before (not judged).
const MAX_PATTERN: usize = 4096;

/// The pattern and flags of a JavaScript regular expression literal (`/body/flags`), or the
/// text itself for a pattern given as a string.
fn body_and_flags(text: &str, literal: bool) -> (&str, &str) {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('/').filter(|_| literal) {
        if let Some(end) = rest.rfind('/') {
            return (&rest[..end], &rest[end + 1..]);
        }
    }
    (t, "")
}

/// `false` when the pattern is known not to restrict the whole text (see the module docs);
/// `true` when it does or when it cannot be judged (too long).
pub(super) fn validates(text: &str, literal: bool, anchoring: Anchoring) -> bool {
    let (body, flags) = body_and_flags(text, literal);
    if body.len() > MAX_PATTERN {
        return true;
    }
    // `m`: `^` and `$` match at every line, so one good line passes the check.
    if flags.contains('m') {
        return false;
    }
    let body = body.strip_prefix("(?i)").unwrap_or(body);
    // Each top-level alternative, and whether something in it matches any character.
    let mut alternatives: Vec<(String, bool)> = vec![(String::new(), false)];
    let mut depth = 0u32;
    let mut in_class = false;
    let mut chars = body.chars().peekable();
    let mut prev_open_class = false;
    while let Some(ch) = chars.next() {
        let just_opened = prev_open_class;
        prev_open_class = false;
        let Some((text, wild)) = alternatives.last_mut() else {
            break;
        };
        match ch {
            '\\' => {
                let Some(next) = chars.next() else { break };
                if matches!(next, 'S' | 'D' | 'W') {
                    *wild = true;
                }
                text.push('\\');
                text.push(next);
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                prev_open_class = true;
            }
            '^' if in_class && just_opened => *wild = true,
            ']' if in_class => in_class = false,
            '.' if !in_class => *wild = true,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth = depth.saturating_sub(1),
            '|' if !in_class && depth == 0 => {
                alternatives.push((String::new(), false));
                continue;
            }
            _ => {}
        }
        text.push(ch);
    }
    // A group around everything (`^(a|b)$`) keeps its anchors for every alternative inside.
    // A start-anchored URL prefix that names the host and ends it (`^https://docs\.x\.com/`)
    // pins the destination: what follows is a path on that host.
    alternatives.iter().all(|(a, wild)| {
        let start = anchoring != Anchoring::None || a.starts_with('^') || a.starts_with("\\A");
        if start && pins_host(a) {
            return true;
        }
        let end = anchoring == Anchoring::Both
            || (a.ends_with('$') && !a.ends_with("\\$"))
            || a.ends_with("\\z")
            || a.ends_with("\\Z");
        start && end && !wild
    })
}

/// `^https?://host\.name/…`: a scheme, `://`, then a host of letters, digits, escaped dots
/// and dashes (no class, no wildcard) ended by `/`.
fn pins_host(a: &str) -> bool {
    let a = a.strip_prefix('^').unwrap_or(a);
    let Some(i) = a
        .find(":\\/\\/")
        .map(|i| (i, 5))
        .or_else(|| a.find("://").map(|i| (i, 3)))
    else {
        return false;
    };
    let (at, len) = i;
    let scheme = &a[..at];
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphabetic() || c == '?') {
        return false;
    }
    let rest = &a[at + len..];
    let host_end = rest.find("\\/").or_else(|| rest.find('/'));
    let Some(end) = host_end else { return false };
    let host = rest[..end].replace("\\.", ".");
    !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

/// A replacement that removes or replaces every character outside a class of safe ones
/// (`name.replace(/[^a-zA-Z0-9_-]/g, "_")`, `re.sub(r"[^\w-]", "", name)`): the result holds
/// no path separator and no dot, so it can only name something inside the folder it is put
/// in. `global` says whether every match is replaced (a JavaScript literal needs `g`, or
/// `replaceAll`; Python's `re.sub` replaces all).
pub(super) fn strips_to_safe_name(text: &str, literal: bool, global: bool) -> bool {
    let (body, flags) = body_and_flags(text, literal);
    if !(global || flags.contains('g')) {
        return false;
    }
    let body = body.strip_suffix('+').unwrap_or(body);
    let Some(class) = body
        .strip_prefix("[^")
        .and_then(|r| r.strip_suffix(']'))
        .filter(|c| !c.is_empty() && !c.contains(']'))
    else {
        return false;
    };
    // What the class keeps must include no separator and no dot: `\w`, `\d`, ranges and
    // plain characters are fine; `.`, `/`, `\\`, `\S`, `\W`, `\D`, `\s` are not.
    let mut chars = class.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '.' | '/' => return false,
            '\\' => match chars.next() {
                Some('w' | 'd' | '-' | '_') => {}
                _ => return false,
            },
            _ => {}
        }
    }
    true
}

/// Whether a pattern that validates (see [`validates`]) lets the text start with `-`: its first
/// element after the start anchor is `-`, a class holding `-` (`[\w.-]`, `[a-z\-]`, a range
/// over it, a negated class), or something this reading does not follow (a group, `.`, `\S`).
/// `\w`, `\d`, letters and classes without `-` do not.
pub(super) fn allows_leading_dash(text: &str, literal: bool) -> bool {
    let (body, _) = body_and_flags(text, literal);
    let body = body.strip_prefix("(?i)").unwrap_or(body);
    let rest = body
        .strip_prefix('^')
        .or_else(|| body.strip_prefix("\\A"))
        .unwrap_or(body);
    let mut chars = rest.chars();
    match chars.next() {
        None | Some('-' | '.' | '(' | '|') => true,
        Some('\\') => matches!(chars.next(), Some('-' | 'S' | 'W' | 'D' | 'p' | 'P') | None),
        Some('[') => {
            let class: String = {
                let mut out = String::new();
                let mut escaped = false;
                for ch in chars.by_ref() {
                    if !escaped && ch == ']' && !out.is_empty() {
                        break;
                    }
                    escaped = !escaped && ch == '\\';
                    out.push(ch);
                }
                out
            };
            match class.strip_prefix('^') {
                // A negated class lets `-` through unless it names it.
                Some(excluded) => !class_has_dash(excluded),
                None => class_has_dash(&class),
            }
        }
        Some(_) => false,
    }
}

/// Whether the negated class of a stripping pattern (`[^a-z0-9_-]`) keeps `-`.
pub(super) fn kept_class_has_dash(text: &str, literal: bool) -> bool {
    let (body, _) = body_and_flags(text, literal);
    body.strip_prefix("[^")
        .and_then(|r| r.split(']').next())
        .is_some_and(class_has_dash)
}

/// Whether a character class body (`\w.-`, `a-z0-9\-`, ` -~`) admits `-`.
fn class_has_dash(class: &str) -> bool {
    let cs: Vec<char> = class.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        match cs[i] {
            '\\' => {
                if cs.get(i + 1) == Some(&'-') {
                    return true;
                }
                i += 2;
            }
            // Not the middle of a range (those are stepped over whole): a literal `-`.
            '-' => return true,
            lo if cs.get(i + 1) == Some(&'-') && i + 2 < cs.len() => {
                let hi = cs[i + 2];
                if lo <= '-' && '-' <= hi {
                    return true;
                }
                i += 3;
            }
            _ => i += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_says_whether_its_text_may_start_with_a_dash() {
        for p in [
            r"^[a-zA-Z0-9\.\-]+$",
            r"^[\w.-]+$",
            r"^[-\w]+$",
            r"^-?\d+$",
            r"^[ -~]+$",
            r"^[\w-.]+$",
            r"^[^a-z]+$",
            r"^\S+$",
        ] {
            assert!(allows_leading_dash(p, false), "{p}");
        }
        for p in [
            r"^[a-zA-Z0-9][a-zA-Z0-9.-]*$",
            r"^\w[\w.-]*$",
            r"^[a-z0-9_]+$",
            r"^[^-\s/]+$",
            r"^v\d+$",
            r"/^[a-z]+$/i",
        ] {
            assert!(!allows_leading_dash(p, p.starts_with('/')), "{p}");
        }
    }

    #[test]
    fn anchored_patterns_of_safe_characters_validate() {
        for p in [
            r"/^[a-zA-Z0-9._-]+$/",
            r"/^\d+$/",
            r"/^(main|develop)$/i",
            r"^[\w-]{1,64}$",
            r"\A[a-z]+\z",
        ] {
            assert!(validates(p, p.starts_with('/'), Anchoring::None), "{p}");
        }
        assert!(validates(r"[a-z0-9]+", false, Anchoring::Both));
        assert!(validates(r"[a-z0-9]+$", false, Anchoring::Start));
        // A URL prefix naming and ending the host pins the destination.
        assert!(validates(
            r"^https?://docs\.example\.com/",
            false,
            Anchoring::None
        ));
        assert!(validates(
            r"/^https:\/\/api\.example\.com\//",
            true,
            Anchoring::None
        ));
        assert!(validates(
            r"https://api\.example\.com/",
            false,
            Anchoring::Start
        ));
        assert!(validates(
            r"^https://api\.example\.com/.*$",
            false,
            Anchoring::None
        ));
        assert!(!validates(
            r"^https://.*\.example\.com/",
            false,
            Anchoring::None
        ));
    }

    #[test]
    fn patterns_that_let_any_text_through_do_not() {
        for p in [
            r"/(^[a-zA-Z]|^\/).*/",
            r"/^[a-z]+/",
            r"/[a-z]+$/",
            r"/^a$|b/",
            r"/^[^;]+$/",
            r"/^\S+$/",
            r"/^https?:\/\/.+$/",
            r"/^[a-z]+$/m",
        ] {
            assert!(!validates(p, p.starts_with('/'), Anchoring::None), "{p}");
        }
        assert!(!validates(r"[a-z]+", false, Anchoring::Start));
        // A string pattern that starts with `/` is a path, not a literal's delimiter.
        assert!(validates(r"/data/[a-z]+$", false, Anchoring::Start));
        assert!(!validates(r"/data/.*m", false, Anchoring::Start));
    }
}
