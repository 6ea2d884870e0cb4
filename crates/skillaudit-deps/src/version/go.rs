//! Go module versions, as `golang.org/x/mod/semver` orders them.
//!
//! A Go version is SemVer with a mandatory `v` (`v1.2.3`); `v1` and `v1.2` are shorthands for
//! `v1.0.0` and `v1.2.0`. Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`,
//! `v1.2.4-0.20191109021931-daa7c04131f5`) are SemVer pre-releases and sort as such: below the
//! release they lead up to, above the one they were cut after. Build metadata, including the
//! `+incompatible` of pre-module v2+ releases, takes no part in ordering.

use std::cmp::Ordering;

use super::semver::SemVer;
use super::MAX_VERSION_LEN;

/// Parses a Go module version; the `v` is required.
pub(crate) fn parse(version: &str) -> Option<SemVer> {
    if version.len() > MAX_VERSION_LEN {
        return None;
    }
    SemVer::parse_go(version.trim().strip_prefix('v')?)
}

/// Parses a Go version with or without its `v`: OSV's Go records write range events without
/// it (`"fixed": "1.2.3"`), as the `SEMVER` range type requires, while `go.mod` and `go.sum`
/// write it.
pub(crate) fn parse_optional_v(version: &str) -> Option<SemVer> {
    if version.len() > MAX_VERSION_LEN {
        return None;
    }
    let version = version.trim();
    SemVer::parse_go(version.strip_prefix('v').unwrap_or(version))
}

/// Orders two Go versions; `None` when either is not one.
pub(crate) fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp(&parse(b)?))
}
