//! The OSV record, as the OSV schema (<https://ossf.github.io/osv-schema/>) defines it.
//!
//! Read tolerantly: every field but `id` may be missing (or `null`), unknown fields are
//! ignored, and free-form objects (`database_specific`, `ecosystem_specific`) are kept as JSON.
//! Records are re-serialised from this model when stored, so what the database keeps is
//! exactly what SkillAudit reads.

use serde::{Deserialize, Deserializer, Serialize};

/// One OSV vulnerability record (a GHSA, PYSEC, GO, MAL, CVE… entry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OsvRecord {
    /// The record's identifier (`GHSA-xxxx-xxxx-xxxx`, `PYSEC-2021-1`, `GO-2023-1234`, …).
    pub id: String,
    /// Version of the OSV schema the record was written against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// Last modification time, RFC 3339; decides which of two copies of a record is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Publication time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Withdrawal time, RFC 3339: a withdrawn record never matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Other identifiers of the same vulnerability (CVE, GHSA, PYSEC…).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    /// Identifiers of related but different vulnerabilities (never merged).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Full description (CommonMark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Severity scores (CVSS vectors, Ubuntu priorities…).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<SeverityScore>,
    /// The affected packages and their versions.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    /// Links to advisories, fixes, reports.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    /// Database-defined data; GHSA records carry `severity` (`LOW`, `MODERATE`, `HIGH`,
    /// `CRITICAL`) here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

impl OsvRecord {
    /// Whether the record has been withdrawn (and so must not be reported).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|when| !when.trim().is_empty())
    }

    /// GHSA's own rating from `database_specific.severity`, as written (`MODERATE`, …).
    pub fn database_severity(&self) -> Option<&str> {
        self.database_specific.as_ref()?.get("severity")?.as_str()
    }
}

/// One entry of `severity[]`: a scoring system and its score (for CVSS, the vector).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The score: a CVSS vector string for the CVSS types.
    #[serde(default)]
    pub score: String,
}

/// One affected package, with its ranges and versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// Which package.
    #[serde(default)]
    pub package: Package,
    /// Per-package severity (then the record-level `severity` is absent).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<SeverityScore>,
    /// Affected version ranges.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<VersionRange>,
    /// Affected versions listed one by one.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    /// Ecosystem-defined data (Go: affected symbols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<serde_json::Value>,
    /// Database-defined data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

/// A package as OSV names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// `npm`, `PyPI`, `Go`, or another ecosystem, possibly with a `:suffix` (`Debian:12`).
    #[serde(default)]
    pub ecosystem: String,
    /// Package name in the ecosystem's spelling (PyPI: normalised per PEP 503).
    #[serde(default)]
    pub name: String,
    /// Package URL (`pkg:npm/%40scope/name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// One range of affected versions: a type and a timeline of events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionRange {
    /// `SEMVER`, `ECOSYSTEM` or `GIT` as written; see [`VersionRange::kind`].
    #[serde(rename = "type", default)]
    pub range_type: String,
    /// Repository URL, for `GIT` ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The timeline: `introduced`, `fixed`, `last_affected`, `limit`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub events: Vec<Event>,
    /// Database-defined data (no effect on evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

/// How a range's versions are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RangeKind {
    /// SemVer 2.0 precedence.
    Semver,
    /// The ecosystem's own ordering (npm semver, PEP 440, Go).
    Ecosystem,
    /// Git commits: needs the repository's history, so never evaluated here.
    Git,
    /// A type this version of SkillAudit does not know: not evaluated.
    Unknown,
}

impl VersionRange {
    /// The range type, read case-insensitively.
    pub fn kind(&self) -> RangeKind {
        match self.range_type.to_ascii_uppercase().as_str() {
            "SEMVER" => RangeKind::Semver,
            "ECOSYSTEM" => RangeKind::Ecosystem,
            "GIT" => RangeKind::Git,
            _ => RangeKind::Unknown,
        }
    }
}

/// One event of a range. The schema allows exactly one field per event; an event with several
/// is read by [`Event::kind`] in the order `introduced`, `fixed`, `last_affected`, `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// First affected version (`"0"`: from the start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// First version no longer affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Last version known to be affected (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// Upper bound of the range (exclusive); `*` is infinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// What an [`Event`] says, with its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind<'a> {
    /// `introduced`
    Introduced(&'a str),
    /// `fixed`
    Fixed(&'a str),
    /// `last_affected`
    LastAffected(&'a str),
    /// `limit`
    Limit(&'a str),
}

impl Event {
    /// What the event says; `None` for an event with no known field.
    pub fn kind(&self) -> Option<EventKind<'_>> {
        if let Some(v) = &self.introduced {
            Some(EventKind::Introduced(v))
        } else if let Some(v) = &self.fixed {
            Some(EventKind::Fixed(v))
        } else if let Some(v) = &self.last_affected {
            Some(EventKind::LastAffected(v))
        } else {
            self.limit.as_deref().map(EventKind::Limit)
        }
    }
}

/// A reference link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `FIX`, `WEB`, `REPORT`, `PACKAGE`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The link.
    #[serde(default)]
    pub url: String,
}

/// Reads `null` as the type's default: some exporters write `"aliases": null`.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
