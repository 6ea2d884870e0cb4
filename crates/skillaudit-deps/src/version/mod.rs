//! Version ordering and ranges as OSV and each registry mean them.
//!
//! | ecosystem | ordering | ranges |
//! |---|---|---|
//! | npm | SemVer 2.0 precedence; a leading `v` or `=` tolerated | npm ranges ([`npm_range_satisfied`], [`npm_max_satisfying`]) |
//! | PyPI | PEP 440: epochs, pre-, post-, dev- and local releases | PEP 440 specifiers ([`pep440_specifier_satisfied`], [`pep440_max_satisfying`]) |
//! | Go | SemVer with a mandatory `v`; pseudo-versions are pre-releases; `+incompatible` ignored | — (Go has minimal version selection, not ranges) |
//!
//! Every function takes untrusted strings and answers `None` for anything that is not a valid
//! version (or range) of its ecosystem — never a panic, never a guess. Inputs longer than
//! [`MAX_VERSION_LEN`] (versions) or [`MAX_RANGE_LEN`] (ranges, specifiers) are refused
//! outright, which bounds the work any one call can be made to do.

mod go;
mod npm;
mod pep440;
mod semver;

use std::cmp::Ordering;

use crate::model::DepEcosystem;

pub use npm::{npm_max_satisfying, npm_range_satisfied};
pub use pep440::{pep440_max_satisfying, pep440_specifier_satisfied};

/// Longest version string any function here accepts (npm's own limit).
pub const MAX_VERSION_LEN: usize = 256;

/// Longest range or specifier string any function here accepts.
pub const MAX_RANGE_LEN: usize = 4096;

/// Orders two versions of an ecosystem as its registry does.
///
/// `None` when either string is not a valid version of `eco`.
///
/// ```
/// use std::cmp::Ordering;
/// use skillaudit_deps::{version::compare, DepEcosystem};
///
/// assert_eq!(compare(DepEcosystem::Npm, "1.0.0-beta", "1.0.0"), Some(Ordering::Less));
/// assert_eq!(compare(DepEcosystem::PyPI, "1!1.0", "2.0"), Some(Ordering::Greater));
/// assert_eq!(compare(DepEcosystem::Go, "v1.2.3", "1.2.3"), None); // Go needs its `v`
/// ```
pub fn compare(eco: DepEcosystem, a: &str, b: &str) -> Option<Ordering> {
    match eco {
        DepEcosystem::Npm => npm::compare(a, b),
        DepEcosystem::PyPI => pep440::compare(a, b),
        DepEcosystem::Go => go::compare(a, b),
    }
}

/// Whether `version` is a pre-release of `eco` (npm `-rc.1`, PEP 440 `a1`/`b1`/`rc1`/`.dev1`,
/// Go pseudo-versions); `None` when it is not a valid version.
pub fn is_prerelease(eco: DepEcosystem, version: &str) -> Option<bool> {
    match eco {
        DepEcosystem::Npm => npm::parse(version).map(|v| v.is_prerelease()),
        DepEcosystem::PyPI => pep440::parse(version).map(|v| v.any_prerelease()),
        DepEcosystem::Go => go::parse(version).map(|v| v.is_prerelease()),
    }
}

/// The major version (the first release number; a PEP 440 epoch aside); `None` when `version`
/// is not a valid version of `eco`.
pub fn major(eco: DepEcosystem, version: &str) -> Option<u64> {
    match eco {
        DepEcosystem::Npm => npm::parse(version).map(|v| v.major()),
        DepEcosystem::PyPI => pep440::parse(version).and_then(|v| v.release().first().copied()),
        DepEcosystem::Go => go::parse(version).and_then(|v| v.major()),
    }
}

/// Whether `version` is a valid version of `eco` (what [`compare`] accepts).
pub fn is_valid(eco: DepEcosystem, version: &str) -> bool {
    match eco {
        DepEcosystem::Npm => npm::parse(version).is_some(),
        DepEcosystem::PyPI => pep440::parse(version).is_some(),
        DepEcosystem::Go => go::parse(version).is_some(),
    }
}

/// Orders two SemVer 2.0 versions by the precedence of the spec's §11, as OSV `SEMVER` ranges
/// mean it. A leading `v` is tolerated; build metadata is ignored. `None` when either is not
/// SemVer.
pub fn compare_semver(a: &str, b: &str) -> Option<Ordering> {
    Some(parse_semver(a)?.cmp(&parse_semver(b)?))
}

fn parse_semver(version: &str) -> Option<semver::SemVer> {
    if version.len() > MAX_VERSION_LEN {
        return None;
    }
    let version = version.trim();
    semver::SemVer::parse_strict(version.strip_prefix('v').unwrap_or(version))
}

/// Which ordering a set of versions is read under (one per OSV range type and ecosystem).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// npm's reading of SemVer.
    Npm,
    /// PEP 440.
    Pep440,
    /// Go's SemVer, `v` optional (OSV writes Go versions without it, `go.mod` with it).
    Go,
    /// Plain SemVer 2.0, for `SEMVER` ranges outside npm and Go.
    SemVer,
}

impl Scheme {
    /// The ordering of an ecosystem's own (`ECOSYSTEM`) ranges.
    pub(crate) fn of_ecosystem(eco: DepEcosystem) -> Scheme {
        match eco {
            DepEcosystem::Npm => Scheme::Npm,
            DepEcosystem::PyPI => Scheme::Pep440,
            DepEcosystem::Go => Scheme::Go,
        }
    }

    /// The ordering of a `SEMVER` range in an ecosystem: npm and Go versions are SemVer
    /// already, read with their ecosystem's tolerance; elsewhere strict SemVer.
    pub(crate) fn semver_in(eco: DepEcosystem) -> Scheme {
        match eco {
            DepEcosystem::Npm => Scheme::Npm,
            DepEcosystem::Go => Scheme::Go,
            DepEcosystem::PyPI => Scheme::SemVer,
        }
    }

    pub(crate) fn parse(self, version: &str) -> Option<ParsedVersion> {
        match self {
            Scheme::Npm => npm::parse(version).map(ParsedVersion::Npm),
            Scheme::Pep440 => pep440::parse(version).map(ParsedVersion::Pep440),
            Scheme::Go => go::parse_optional_v(version).map(ParsedVersion::SemVer),
            Scheme::SemVer => parse_semver(version).map(ParsedVersion::SemVer),
        }
    }
}

/// A version parsed once under a [`Scheme`], so range evaluation compares without re-parsing.
#[derive(Debug, Clone)]
pub(crate) enum ParsedVersion {
    Npm(nodejs_semver::Version),
    Pep440(pep440_rs::Version),
    SemVer(semver::SemVer),
}

impl ParsedVersion {
    /// Orders two versions parsed under the same scheme; `None` across schemes.
    pub(crate) fn compare(&self, other: &ParsedVersion) -> Option<Ordering> {
        match (self, other) {
            (ParsedVersion::Npm(a), ParsedVersion::Npm(b)) => Some(a.cmp(b)),
            (ParsedVersion::Pep440(a), ParsedVersion::Pep440(b)) => Some(a.cmp(b)),
            (ParsedVersion::SemVer(a), ParsedVersion::SemVer(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}
