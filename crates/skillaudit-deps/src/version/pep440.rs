//! Python versions and specifiers under PEP 440, through `pep440_rs`.
//!
//! `pep440_rs` normalises as PEP 440 asks (`1.0-post1` is `1.0.post1`, `1.0.alpha1` is `1.0a1`,
//! a leading `v` and surrounding blanks are dropped) and orders epochs, pre-, post-, dev- and
//! local releases. What it leaves to callers is the pre-release rule of PEP 440's "Handling of
//! pre-releases", which is applied here.

use std::cmp::Ordering;
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};

use super::{MAX_RANGE_LEN, MAX_VERSION_LEN};

/// Parses a PEP 440 version.
pub(crate) fn parse(version: &str) -> Option<Version> {
    if version.len() > MAX_VERSION_LEN {
        return None;
    }
    Version::from_str(version.trim()).ok()
}

/// Orders two PEP 440 versions; `None` when either is not one.
pub(crate) fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp(&parse(b)?))
}

fn parse_specifiers(spec: &str) -> Option<VersionSpecifiers> {
    if spec.len() > MAX_RANGE_LEN {
        return None;
    }
    VersionSpecifiers::from_str(spec.trim()).ok()
}

/// Whether the specifiers let a pre-release through: PEP 440 admits pre-releases (and
/// dev-releases) when asked to, or when a specifier itself names one (`>=2.0b1`).
fn admits_prereleases(specifiers: &VersionSpecifiers, allow_prerelease: bool) -> bool {
    allow_prerelease
        || specifiers
            .iter()
            .any(|specifier| specifier.version().any_prerelease())
}

fn satisfied(specifiers: &VersionSpecifiers, version: &Version, allow_prerelease: bool) -> bool {
    specifiers.contains(version)
        && (!version.any_prerelease() || admits_prereleases(specifiers, allow_prerelease))
}

/// Whether `version` satisfies the PEP 440 specifier set `spec` (`>=1.0,<2`, `~=1.4.2`,
/// `==1.*`, `!=1.3`, empty for "any").
///
/// Pre-releases and dev-releases are excluded unless `allow_prerelease` is set or a specifier
/// names a pre-release itself, as PEP 440 asks of installers. Local version labels are ignored
/// unless the specifier carries one. `None` when either string does not parse.
pub fn pep440_specifier_satisfied(
    spec: &str,
    version: &str,
    allow_prerelease: bool,
) -> Option<bool> {
    let specifiers = parse_specifiers(spec)?;
    let version = parse(version)?;
    Some(satisfied(&specifiers, &version, allow_prerelease))
}

/// The highest of `versions` that satisfies `spec`, returned as written in `versions`.
///
/// Follows PEP 440: pre-releases count only when `allow_prerelease` is set, a specifier names
/// one, or no final release satisfies the specifiers at all (then the highest pre-release is
/// the answer, as pip picks it). Versions that do not parse are passed over; `None` when the
/// specifier does not parse or nothing satisfies it.
pub fn pep440_max_satisfying(
    spec: &str,
    versions: &[&str],
    allow_prerelease: bool,
) -> Option<String> {
    let specifiers = parse_specifiers(spec)?;
    let parsed: Vec<(Version, &str)> = versions
        .iter()
        .filter_map(|written| parse(written).map(|version| (version, *written)))
        .collect();
    let best = |allow: bool| {
        parsed
            .iter()
            .filter(|(version, _)| satisfied(&specifiers, version, allow))
            .max_by(|(a, _), (b, _)| a.cmp(b))
            .map(|(_, written)| written.to_string())
    };
    best(allow_prerelease).or_else(|| best(true))
}
