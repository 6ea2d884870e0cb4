//! Whether an OSV record affects one version of one package, by the schema's evaluation
//! algorithm (<https://ossf.github.io/osv-schema/#evaluation>):
//!
//! - an `affected[]` entry applies when its ecosystem (without any `:suffix`) and name are the
//!   package's — PyPI names compared after PEP 503 normalisation, npm and Go names exactly;
//! - the version is affected when it is listed in `versions`, or when a range puts it there:
//!   events sorted by the range's ordering (`introduced: "0"` first; on equal versions
//!   `introduced` first), walked in order — `introduced ≤ v` opens, `fixed ≤ v` closes,
//!   `last_affected < v` closes — and the version below some `limit` when there are limits;
//! - `SEMVER` ranges use SemVer 2.0 precedence, `ECOSYSTEM` ranges the ecosystem's own ordering
//!   ([`crate::version`]); `GIT` ranges (commits) and unknown types are not evaluated: only the
//!   `versions` list speaks for them;
//! - a withdrawn record never matches.
//!
//! A version that does not parse cannot be placed in any range. Rather than reading that as "not
//! affected", [`affected`] answers [`MatchError::InvalidVersion`] (unless an exact `versions`
//! entry matched), and the same for a range whose own events do not parse, so a report can say
//! "could not be checked" instead of "no known vulnerabilities".

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::record::{Affected, EventKind, OsvRecord, Package, RangeKind, VersionRange};
use crate::model::DepEcosystem;
use crate::version::{ParsedVersion, Scheme};

/// How a record affects a package version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    /// Ids of the records that matched (one, or several once aliases are merged).
    pub records: Vec<String>,
    /// Every place in the record(s) that puts the version among the affected.
    pub sources: Vec<MatchSource>,
    /// Versions that end the affected interval(s) the version is in — the "fixed in" of a
    /// report — sorted by the ecosystem's ordering, without duplicates. For a match through the
    /// `versions` list only, the `fixed` events of that `affected[]` entry's ranges. Empty when
    /// no fix is known.
    pub fixed: Vec<String>,
    /// `last_affected` bounds of the interval(s) the version is in (inclusive: the vulnerability
    /// is known up to there, and no fix is named).
    pub last_affected: Vec<String>,
}

/// Where a match comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum MatchSource {
    /// A range put the version in `[introduced, fixed)` or `[introduced, last_affected]`.
    Range {
        /// Record id.
        record: String,
        /// Index in the record's `affected[]`.
        affected: usize,
        /// Index in that entry's `ranges[]`.
        range: usize,
        /// The range type.
        kind: RangeKind,
        /// The `introduced` that opened the interval (`"0"`: from the start).
        introduced: String,
        /// The `fixed` that closes it, if any.
        fixed: Option<String>,
        /// The `last_affected` that closes it, if any.
        last_affected: Option<String>,
    },
    /// The version is listed in the entry's `versions`.
    Versions {
        /// Record id.
        record: String,
        /// Index in the record's `affected[]`.
        affected: usize,
    },
}

/// Why a record could not be evaluated for a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchError {
    /// The version is not a valid version of the ecosystem, so the record's ranges for the
    /// package could not be evaluated (and no `versions` entry matched it exactly).
    #[error("`{version}` is not a valid {ecosystem} version: the ranges of {record} cannot be evaluated")]
    InvalidVersion {
        /// Record id.
        record: String,
        /// Ecosystem name.
        ecosystem: DepEcosystem,
        /// The version as given.
        version: String,
    },
    /// A range for the package has an event version that does not parse, and nothing else in
    /// the record matched.
    #[error("{record} has a range event `{event}` that is not a valid version: the range cannot be evaluated")]
    UnreadableRange {
        /// Record id.
        record: String,
        /// The event's version.
        event: String,
    },
}

impl Match {
    /// Folds another record's match for the same package version into this one (used when
    /// alias records are merged into one advisory).
    pub fn absorb(&mut self, other: Match, eco: DepEcosystem) {
        for id in other.records {
            if !self.records.contains(&id) {
                self.records.push(id);
            }
        }
        self.sources.extend(other.sources);
        self.fixed.extend(other.fixed);
        self.last_affected.extend(other.last_affected);
        sort_versions(&mut self.fixed, eco);
        sort_versions(&mut self.last_affected, eco);
    }
}

/// Whether `record` affects `version` of package `name` in `eco`.
///
/// `Ok(None)`: the record does not name the package, is withdrawn, or leaves the version out.
/// `Err`: the record names the package but could not be evaluated — see [`MatchError`].
pub fn affected(
    record: &OsvRecord,
    eco: DepEcosystem,
    name: &str,
    version: &str,
) -> Result<Option<Match>, MatchError> {
    if record.is_withdrawn() {
        return Ok(None);
    }
    let wanted = normalize_name(eco, name);
    let mut found = Match {
        records: vec![record.id.clone()],
        sources: Vec::new(),
        fixed: Vec::new(),
        last_affected: Vec::new(),
    };
    let mut problem: Option<MatchError> = None;
    for (index, entry) in record.affected.iter().enumerate() {
        if package_key(&entry.package).is_none_or(|(e, n)| e != eco || n != wanted) {
            continue;
        }
        let listed = is_listed(entry, eco, version);
        if listed {
            found.sources.push(MatchSource::Versions {
                record: record.id.clone(),
                affected: index,
            });
        }
        let mut in_range = false;
        for (range_index, range) in entry.ranges.iter().enumerate() {
            match evaluate_range(range, eco, version) {
                RangeVerdict::Affected {
                    introduced,
                    fixed,
                    last_affected,
                } => {
                    in_range = true;
                    found.fixed.extend(fixed.clone());
                    found.last_affected.extend(last_affected.clone());
                    found.sources.push(MatchSource::Range {
                        record: record.id.clone(),
                        affected: index,
                        range: range_index,
                        kind: range.kind(),
                        introduced,
                        fixed,
                        last_affected,
                    });
                }
                RangeVerdict::NotAffected | RangeVerdict::NotEvaluated => {}
                RangeVerdict::InvalidVersion => {
                    problem.get_or_insert(MatchError::InvalidVersion {
                        record: record.id.clone(),
                        ecosystem: eco,
                        version: version.to_string(),
                    });
                }
                RangeVerdict::UnreadableEvent(event) => {
                    // A `versions` list, when present, enumerates what the ranges mean; without
                    // one, the unreadable range leaves the answer open.
                    if entry.versions.is_empty() {
                        problem.get_or_insert(MatchError::UnreadableRange {
                            record: record.id.clone(),
                            event,
                        });
                    }
                }
            }
        }
        if listed && !in_range {
            found.fixed.extend(fixed_events(entry));
        }
    }
    if found.sources.is_empty() {
        return match problem {
            Some(problem) => Err(problem),
            None => Ok(None),
        };
    }
    sort_versions(&mut found.fixed, eco);
    sort_versions(&mut found.last_affected, eco);
    Ok(Some(found))
}

/// A package name as compared and stored: PyPI names normalised per PEP 503 (lowercase, runs
/// of `-`, `_`, `.` as one `-`), npm and Go names as written (trimmed).
pub fn normalize_name(eco: DepEcosystem, name: &str) -> String {
    let name = name.trim();
    match eco {
        DepEcosystem::PyPI => {
            let mut out = String::with_capacity(name.len());
            let mut in_separator_run = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_separator_run {
                        out.push('-');
                    }
                    in_separator_run = true;
                } else {
                    out.extend(c.to_lowercase());
                    in_separator_run = false;
                }
            }
            out
        }
        DepEcosystem::Npm | DepEcosystem::Go => name.to_string(),
    }
}

/// The ecosystem of an OSV ecosystem string: `npm`, `PyPI`, `Go` (case-insensitive), with any
/// `:suffix` dropped. `None` for the ecosystems SkillAudit does not audit.
pub fn parse_ecosystem(ecosystem: &str) -> Option<DepEcosystem> {
    let base = ecosystem.split(':').next().unwrap_or_default().trim();
    if base.eq_ignore_ascii_case("npm") {
        Some(DepEcosystem::Npm)
    } else if base.eq_ignore_ascii_case("pypi") {
        Some(DepEcosystem::PyPI)
    } else if base.eq_ignore_ascii_case("go") {
        Some(DepEcosystem::Go)
    } else {
        None
    }
}

/// The (ecosystem, normalised name) an `affected[].package` names; from its `purl` when
/// `ecosystem` or `name` is missing. `None` for other ecosystems and nameless packages.
pub fn package_key(package: &Package) -> Option<(DepEcosystem, String)> {
    if !package.name.trim().is_empty() {
        if let Some(eco) = parse_ecosystem(&package.ecosystem) {
            return Some((eco, normalize_name(eco, &package.name)));
        }
        if !package.ecosystem.trim().is_empty() {
            return None;
        }
    }
    let (eco, name) = purl_package(package.purl.as_deref()?)?;
    Some((eco, normalize_name(eco, &name)))
}

/// Ecosystem and full name (`@scope/name`, `github.com/x/y`) of a package URL.
fn purl_package(purl: &str) -> Option<(DepEcosystem, String)> {
    let rest = purl.trim().strip_prefix("pkg:")?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (purl_type, path) = rest.split_once('/')?;
    let eco = match purl_type.to_ascii_lowercase().as_str() {
        "npm" => DepEcosystem::Npm,
        "pypi" => DepEcosystem::PyPI,
        "golang" => DepEcosystem::Go,
        _ => return None,
    };
    // The version follows the last `@` of the last segment (a scope's `@` is percent-encoded).
    let path = match path.rfind('@') {
        Some(at) if !path[at..].contains('/') => &path[..at],
        _ => path,
    };
    let name = percent_decode(path.trim_matches('/'))?;
    (!name.is_empty()).then_some((eco, name))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `version` is in the entry's `versions` list: the same string, or the same version
/// under the ecosystem's ordering (`1.0` and `1.0.0` in PEP 440).
fn is_listed(entry: &Affected, eco: DepEcosystem, version: &str) -> bool {
    let version = version.trim();
    let scheme = Scheme::of_ecosystem(eco);
    let parsed = scheme.parse(version);
    entry.versions.iter().any(|listed| {
        let listed = listed.trim();
        listed == version
            || parsed.as_ref().is_some_and(|parsed| {
                scheme
                    .parse(listed)
                    .is_some_and(|other| parsed.compare(&other) == Some(Ordering::Equal))
            })
    })
}

/// The `fixed` events of an entry's evaluable ranges.
fn fixed_events(entry: &Affected) -> Vec<String> {
    entry
        .ranges
        .iter()
        .filter(|range| matches!(range.kind(), RangeKind::Semver | RangeKind::Ecosystem))
        .flat_map(|range| range.events.iter())
        .filter_map(|event| match event.kind() {
            Some(EventKind::Fixed(version)) => Some(version.to_string()),
            _ => None,
        })
        .collect()
}

/// Sorts by the ecosystem's ordering (unparseable strings last, as written) and deduplicates.
fn sort_versions(versions: &mut Vec<String>, eco: DepEcosystem) {
    let scheme = Scheme::of_ecosystem(eco);
    let mut keyed: Vec<(Option<ParsedVersion>, String)> =
        versions.drain(..).map(|v| (scheme.parse(&v), v)).collect();
    keyed.sort_by(|(a, a_text), (b, b_text)| match (a, b) {
        (Some(a), Some(b)) => a
            .compare(b)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a_text.cmp(b_text)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a_text.cmp(b_text),
    });
    keyed.dedup_by(|(_, a), (_, b)| a == b);
    versions.extend(keyed.into_iter().map(|(_, v)| v));
}

enum RangeVerdict {
    Affected {
        introduced: String,
        fixed: Option<String>,
        last_affected: Option<String>,
    },
    NotAffected,
    /// `GIT` or unknown range types.
    NotEvaluated,
    /// The version does not parse under the range's ordering.
    InvalidVersion,
    /// An event's version does not parse (the event's version is carried).
    UnreadableEvent(String),
}

/// An event's bound under the range's ordering.
enum Bound {
    /// `introduced: "0"`: below every version.
    Zero,
    /// `limit: "*"`: above every version.
    Infinity,
    At(ParsedVersion),
}

impl Bound {
    fn compare(&self, other: &Bound) -> Ordering {
        match (self, other) {
            (Bound::Zero, Bound::Zero) | (Bound::Infinity, Bound::Infinity) => Ordering::Equal,
            (Bound::Zero, _) | (_, Bound::Infinity) => Ordering::Less,
            (_, Bound::Zero) | (Bound::Infinity, _) => Ordering::Greater,
            (Bound::At(a), Bound::At(b)) => a.compare(b).unwrap_or(Ordering::Equal),
        }
    }

    /// How `version` stands against this bound.
    fn version_vs(&self, version: &ParsedVersion) -> Ordering {
        match self {
            Bound::Zero => Ordering::Greater,
            Bound::Infinity => Ordering::Less,
            Bound::At(bound) => version.compare(bound).unwrap_or(Ordering::Equal),
        }
    }
}

struct SortedEvent<'a> {
    kind: EventKind<'a>,
    bound: Bound,
}

impl SortedEvent<'_> {
    /// On equal versions, `introduced` sorts first: `[1.0, fixed 1.0)` is empty, and
    /// `[1.0, last_affected 1.0]` holds 1.0.
    fn rank(&self) -> u8 {
        match self.kind {
            EventKind::Introduced(_) => 0,
            _ => 1,
        }
    }
}

fn evaluate_range(range: &VersionRange, eco: DepEcosystem, version: &str) -> RangeVerdict {
    let scheme = match range.kind() {
        RangeKind::Semver => Scheme::semver_in(eco),
        RangeKind::Ecosystem => Scheme::of_ecosystem(eco),
        RangeKind::Git | RangeKind::Unknown => return RangeVerdict::NotEvaluated,
    };
    let Some(version) = scheme.parse(version) else {
        return RangeVerdict::InvalidVersion;
    };
    let mut events = Vec::with_capacity(range.events.len());
    for event in &range.events {
        let Some(kind) = event.kind() else { continue };
        let bound = match kind {
            EventKind::Introduced(v) if v.trim() == "0" => Bound::Zero,
            EventKind::Limit(v) if v.contains('*') => Bound::Infinity,
            EventKind::Introduced(v)
            | EventKind::Fixed(v)
            | EventKind::LastAffected(v)
            | EventKind::Limit(v) => match scheme.parse(v) {
                Some(parsed) => Bound::At(parsed),
                None => return RangeVerdict::UnreadableEvent(v.to_string()),
            },
        };
        events.push(SortedEvent { kind, bound });
    }

    // BeforeLimits: with limit events, the version must be below one of them.
    let mut limits = events
        .iter()
        .filter(|event| matches!(event.kind, EventKind::Limit(_)))
        .peekable();
    if limits.peek().is_some()
        && !limits.any(|limit| limit.bound.version_vs(&version) == Ordering::Less)
    {
        return RangeVerdict::NotAffected;
    }

    events.sort_by(|a, b| {
        a.bound
            .compare(&b.bound)
            .then_with(|| a.rank().cmp(&b.rank()))
    });
    let mut opened_at: Option<usize> = None;
    for (index, event) in events.iter().enumerate() {
        let position = event.bound.version_vs(&version);
        match event.kind {
            EventKind::Introduced(_) if position != Ordering::Less => opened_at = Some(index),
            EventKind::Fixed(_) if position != Ordering::Less => opened_at = None,
            EventKind::LastAffected(_) if position == Ordering::Greater => opened_at = None,
            _ => {}
        }
    }
    let Some(opened_at) = opened_at else {
        return RangeVerdict::NotAffected;
    };
    let introduced = match events[opened_at].kind {
        EventKind::Introduced(v) => v.to_string(),
        _ => String::new(),
    };
    // The interval ends at the first closing event after the one that opened it.
    let closing = events[opened_at + 1..]
        .iter()
        .find(|event| matches!(event.kind, EventKind::Fixed(_) | EventKind::LastAffected(_)));
    let (fixed, last_affected) = match closing.map(|event| event.kind) {
        Some(EventKind::Fixed(v)) => (Some(v.to_string()), None),
        Some(EventKind::LastAffected(v)) => (None, Some(v.to_string())),
        _ => (None, None),
    };
    RangeVerdict::Affected {
        introduced,
        fixed,
        last_affected,
    }
}
