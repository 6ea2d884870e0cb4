//! npm versions and ranges, as the npm CLI and the registry read them.
//!
//! Ordering is SemVer 2.0 precedence. Parsing goes through the strict SemVer grammar first:
//! `nodejs-semver` is forgiving (`1.2.3.4` reads as `1.2.3`, `01.2.3` as `1.2.3`), and a
//! forgiving parse in an advisory matcher turns a malformed version into a confident answer
//! about a different one. A leading `v` or `=` is dropped, as `npm`'s own `semver.clean` does.

use std::cmp::Ordering;

use nodejs_semver::{Range, Version};

use super::semver::SemVer;
use super::{MAX_RANGE_LEN, MAX_VERSION_LEN};

/// Parses an npm version: `[v|=]MAJOR.MINOR.PATCH[-PRE][+BUILD]`, surrounding blanks allowed.
pub(crate) fn parse(version: &str) -> Option<Version> {
    if version.len() > MAX_VERSION_LEN {
        return None;
    }
    let core = version.trim().trim_start_matches(['v', '=']);
    SemVer::parse_strict(core)?;
    Version::parse(core).ok()
}

/// Orders two npm versions; `None` when either is not one.
pub(crate) fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp(&parse(b)?))
}

fn parse_range(range: &str) -> Option<Range> {
    if range.len() > MAX_RANGE_LEN {
        return None;
    }
    Range::parse(range.trim()).ok()
}

/// Whether `version` satisfies the npm range `range` (`^1.2.3`, `~1.2`, `1.x || >=2.5.0`,
/// `1.2.3 - 2.3.4`, `*`, empty…), with npm's pre-release rule: a pre-release such as
/// `2.0.0-beta.1` only satisfies a range that names a pre-release of the same
/// `MAJOR.MINOR.PATCH` (`>=2.0.0-alpha`), never `>=1.0.0`.
///
/// `None` when the range is not a semver range (a dist-tag such as `latest`, a URL, a git or
/// `file:` spec) or the version is not a valid npm version.
pub fn npm_range_satisfied(range: &str, version: &str) -> Option<bool> {
    let range = parse_range(range)?;
    let version = parse(version)?;
    Some(range.satisfies(&version))
}

/// The highest of `versions` that satisfies `range`, returned as written in `versions`.
///
/// Versions that do not parse are passed over. `None` when the range does not parse or nothing
/// satisfies it. Preferring non-deprecated releases is the caller's job.
pub fn npm_max_satisfying(range: &str, versions: &[&str]) -> Option<String> {
    let range = parse_range(range)?;
    versions
        .iter()
        .filter_map(|written| parse(written).map(|parsed| (parsed, *written)))
        .filter(|(parsed, _)| range.satisfies(parsed))
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, written)| written.to_string())
}
