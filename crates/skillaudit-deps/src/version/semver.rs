//! The SemVer 2.0 grammar and precedence (<https://semver.org>, §2 and §11), written out once
//! and shared by Go module versions, OSV `SEMVER` ranges and the strict check in front of npm
//! parsing.
//!
//! Numbers are kept as digit strings and compared by length, then digits (they have no leading
//! zeros), so no version is rejected for overflowing an integer type — Go pseudo-versions carry
//! 14-digit timestamps, and nothing stops a record from carrying longer ones.

use std::cmp::Ordering;

/// A non-negative decimal number without leading zeros, of any length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number(String);

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One dot-separated pre-release identifier. The derived order is the spec's: numeric
/// identifiers sort below alphanumeric ones, numerics by value, alphanumerics in ASCII order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PreIdent {
    Numeric(Number),
    Alpha(String),
}

/// A parsed SemVer 2.0 version. Build metadata is validated but not kept: it takes no part in
/// precedence (which is also why Go's `+incompatible` does not change ordering).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SemVer {
    major: Number,
    minor: Number,
    patch: Number,
    pre: Vec<PreIdent>,
}

impl SemVer {
    /// True for a pre-release (`1.0.0-rc.1`, a Go pseudo-version).
    pub(crate) fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// The major version, when it fits a `u64`.
    pub(crate) fn major(&self) -> Option<u64> {
        self.major.0.parse().ok()
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A pre-release sorts below its release.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                // Lexicographic by identifier; a shorter list that is a prefix sorts first.
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl SemVer {
    /// `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, exactly as SemVer 2.0 writes it (no `v`).
    pub(crate) fn parse_strict(s: &str) -> Option<SemVer> {
        Self::parse(s, false)
    }

    /// As Go's `golang.org/x/mod/semver` reads what follows the `v`: the full form, or the
    /// shorthands `MAJOR` and `MAJOR.MINOR` (meaning `.0.0` / `.0`, with no pre-release or build).
    pub(crate) fn parse_go(s: &str) -> Option<SemVer> {
        Self::parse(s, true)
    }

    fn parse(s: &str, allow_short: bool) -> Option<SemVer> {
        let (major, rest) = number(s)?;
        let zero = || Number("0".to_string());
        if rest.is_empty() && allow_short {
            return Some(SemVer {
                major,
                minor: zero(),
                patch: zero(),
                pre: Vec::new(),
            });
        }
        let (minor, rest) = number(rest.strip_prefix('.')?)?;
        if rest.is_empty() && allow_short {
            return Some(SemVer {
                major,
                minor,
                patch: zero(),
                pre: Vec::new(),
            });
        }
        let (patch, mut rest) = number(rest.strip_prefix('.')?)?;
        let mut pre = Vec::new();
        if let Some(after_dash) = rest.strip_prefix('-') {
            let end = after_dash.find('+').unwrap_or(after_dash.len());
            for ident in after_dash[..end].split('.') {
                pre.push(pre_ident(ident)?);
            }
            rest = &after_dash[end..];
        }
        if let Some(build) = rest.strip_prefix('+') {
            if !build.split('.').all(is_identifier) {
                return None;
            }
            rest = "";
        }
        rest.is_empty().then_some(SemVer {
            major,
            minor,
            patch,
            pre,
        })
    }
}

/// Leading digits of `s` as a number without leading zeros, and the rest.
fn number(s: &str) -> Option<(Number, &str)> {
    let len = s.bytes().take_while(u8::is_ascii_digit).count();
    let digits = &s[..len];
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    Some((Number(digits.to_string()), &s[len..]))
}

fn is_identifier(ident: &str) -> bool {
    !ident.is_empty()
        && ident
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn pre_ident(ident: &str) -> Option<PreIdent> {
    if !is_identifier(ident) {
        return None;
    }
    if ident.bytes().all(|b| b.is_ascii_digit()) {
        if ident.len() > 1 && ident.starts_with('0') {
            return None;
        }
        Some(PreIdent::Numeric(Number(ident.to_string())))
    } else {
        Some(PreIdent::Alpha(ident.to_string()))
    }
}
