//! Operator exclusions: `--exclude GLOB` and the ignore file `.skillauditignore`.
//!
//! Patterns use `/` separators and `*` (any characters within one path segment), `?` (one
//! character) and `**` (any number of segments). A pattern without a `/` (other than a trailing
//! one) matches a file or folder name at any depth (`fixtures`, `*.min.js`); one with a `/` is
//! matched from the target's root (`src/generated/**`, a leading `/` is optional). A pattern that
//! matches a folder excludes everything under it; a trailing `/` matches folders only. In the
//! ignore file, blank lines and lines starting with `#` are skipped.
//!
//! The ignore file is read only from a **local folder** target: a downloaded package, an archive
//! or a cloned URL could otherwise ship one that hides its own weaknesses. Excluded files are
//! not analysed at all and are listed under "checks not run" with the patterns, never silently.

/// Most patterns taken from an ignore file, and the longest pattern; beyond them the file is
/// not a list of exclusions a person wrote.
pub const MAX_PATTERNS: usize = 1000;
const MAX_PATTERN_CHARS: usize = 1000;

/// The ignore file's name at the root of a local folder target.
pub const IGNORE_FILE: &str = ".skillauditignore";

/// A compiled exclusion pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// As written, for reports.
    pub pattern: String,
    segments: Vec<String>,
    folders_only: bool,
}

impl Exclusion {
    /// `None` for a pattern that excludes nothing (empty, a comment, over the length limit).
    pub fn new(pattern: &str) -> Option<Exclusion> {
        let written = pattern.trim();
        if written.is_empty() || written.starts_with('#') || written.len() > MAX_PATTERN_CHARS {
            return None;
        }
        let normalised = written.replace('\\', "/");
        let folders_only = normalised.ends_with('/');
        let body = normalised.trim_matches('/');
        if body.is_empty() {
            return None;
        }
        let anchored = normalised.starts_with('/') || body.contains('/');
        let mut segments: Vec<String> = Vec::new();
        if !anchored {
            segments.push("**".to_string());
        }
        for segment in body.split('/').filter(|s| !s.is_empty() && *s != ".") {
            // `**/**` is `**`: keeps matching linear in the number of `**`.
            if segment == "**" && segments.last().is_some_and(|last| last == "**") {
                continue;
            }
            segments.push(segment.to_string());
        }
        Some(Exclusion {
            pattern: written.to_string(),
            segments,
            folders_only,
        })
    }

    /// True when this pattern excludes the file at `path` (relative, `/` separators): the path
    /// itself or one of its folders matches.
    pub fn excludes(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let patterns: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        (1..=parts.len()).any(|end| {
            let is_folder = end < parts.len();
            (is_folder || !self.folders_only) && segments_match(&patterns, &parts[..end])
        })
    }
}

/// The patterns of an ignore file's text.
pub fn parse_ignore_file(text: &str) -> Vec<Exclusion> {
    text.lines()
        .filter_map(Exclusion::new)
        .take(MAX_PATTERNS)
        .collect()
}

fn segments_match(patterns: &[&str], parts: &[&str]) -> bool {
    match patterns.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => (0..=parts.len()).any(|skip| segments_match(rest, &parts[skip..])),
        Some((pattern, rest)) => match parts.split_first() {
            Some((part, tail)) => name_matches(pattern, part) && segments_match(rest, tail),
            None => false,
        },
    }
}

/// `*` and `?` within one segment (iterative, with one backtrack point: linear enough).
fn name_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, n));
            p += 1;
        } else if let Some((star_p, star_n)) = star {
            p = star_p + 1;
            n = star_n + 1;
            star = Some((star_p, star_n + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(pattern: &str, path: &str) -> bool {
        Exclusion::new(pattern).is_some_and(|e| e.excludes(path))
    }

    #[test]
    fn names_match_at_any_depth_and_paths_from_the_root() {
        assert!(excluded("fixtures", "fixtures/a.js"));
        assert!(excluded("fixtures", "pkg/tests/fixtures/deep/a.js"));
        assert!(excluded("*.min.js", "dist/app.min.js"));
        assert!(!excluded("*.min.js", "dist/app.js"));
        assert!(excluded("src/generated/**", "src/generated/x/y.ts"));
        assert!(excluded("/src/generated", "src/generated/y.ts"));
        assert!(!excluded("src/generated", "lib/src/generated/y.ts"));
        assert!(excluded("src/*.js", "src/index.js"));
        assert!(!excluded("src/*.js", "src/sub/index.js"));
        assert!(excluded("**/test_*.py", "a/b/test_x.py"));
        assert!(excluded("src/index.js", "src/index.js"));
        assert!(excluded("ind?x.js", "src/index.js"));
    }

    #[test]
    fn a_trailing_slash_matches_folders_only() {
        assert!(excluded("build/", "build/out.js"));
        assert!(!excluded("build/", "src/build"));
    }

    #[test]
    fn comments_blanks_and_hostile_patterns_exclude_nothing_and_stay_fast() {
        let patterns = parse_ignore_file("# generated\n\n   \ndist/\n");
        assert_eq!(patterns.len(), 1);
        assert!(Exclusion::new("/").is_none());
        let many = "**/".repeat(200) + "x";
        let long_path = vec!["a"; 200].join("/") + "/y";
        let started = std::time::Instant::now();
        assert!(!excluded(&many, &long_path));
        assert!(!excluded(
            &"a*".repeat(200).replace("a*a*", "a*b*"),
            &"a".repeat(500)
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
