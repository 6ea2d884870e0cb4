//! How severe an advisory is.
//!
//! In order of preference:
//! 1. a CVSS vector in `severity[]` (record level, else the highest of `affected[].severity`):
//!    v4.0 first, then v3.1, then v3.0 — the base score is computed by RustSec's `cvss` crate,
//!    and the level follows the CVSS qualitative scale (0.1–3.9 low, 4.0–6.9 medium,
//!    7.0–8.9 high, 9.0–10.0 critical; a 0.0 score reads as low: the record still describes a
//!    vulnerability);
//! 2. GHSA's own rating in `database_specific.severity` (`CRITICAL`, `HIGH`, `MODERATE`, `LOW`);
//! 3. a CVSS v2 vector (older PYSEC records have nothing else);
//! 4. otherwise [`Level::Unknown`].
//!
//! A vector that does not parse, or lacks one of its version's base metrics, is passed over.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::record::{OsvRecord, SeverityScore};

/// Severity level of an advisory, ordered from `Unknown` (lowest) to `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No usable score or rating.
    Unknown,
    /// CVSS 0.0–3.9, GHSA `LOW`.
    Low,
    /// CVSS 4.0–6.9, GHSA `MODERATE`.
    Medium,
    /// CVSS 7.0–8.9, GHSA `HIGH`.
    High,
    /// CVSS 9.0–10.0, GHSA `CRITICAL`.
    Critical,
}

impl Level {
    /// The CVSS qualitative rating of a base score.
    pub fn from_score(score: f64) -> Level {
        if score >= 9.0 {
            Level::Critical
        } else if score >= 7.0 {
            Level::High
        } else if score >= 4.0 {
            Level::Medium
        } else {
            Level::Low
        }
    }

    /// GHSA's rating words (`CRITICAL`, `HIGH`, `MODERATE`/`MEDIUM`, `LOW`), any case.
    pub fn from_rating(rating: &str) -> Level {
        match rating.trim().to_ascii_uppercase().as_str() {
            "CRITICAL" => Level::Critical,
            "HIGH" => Level::High,
            "MODERATE" | "MEDIUM" => Level::Medium,
            "LOW" => Level::Low,
            _ => Level::Unknown,
        }
    }
}

/// The severity of an advisory: its level, and the CVSS score and vector it came from when it
/// came from one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisorySeverity {
    /// The level.
    pub level: Level,
    /// The CVSS base score, when the level comes from a vector.
    pub score: Option<f64>,
    /// The CVSS vector the score was computed from.
    pub vector: Option<String>,
}

impl AdvisorySeverity {
    /// No usable severity.
    pub fn unknown() -> AdvisorySeverity {
        AdvisorySeverity {
            level: Level::Unknown,
            score: None,
            vector: None,
        }
    }

    /// Orders two severities by level, then score (a scored severity above an unscored one of
    /// the same level).
    pub fn rank_cmp(&self, other: &AdvisorySeverity) -> std::cmp::Ordering {
        self.level.cmp(&other.level).then_with(|| {
            self.score
                .unwrap_or(-1.0)
                .total_cmp(&other.score.unwrap_or(-1.0))
        })
    }
}

/// The severity of one record (see the module documentation for the order of sources).
pub fn severity(record: &OsvRecord) -> AdvisorySeverity {
    let scored = best_cvss(
        &record.severity,
        &[CvssVersion::V4, CvssVersion::V3_1, CvssVersion::V3_0],
    )
    .or_else(|| {
        record
            .affected
            .iter()
            .filter_map(|entry| {
                best_cvss(
                    &entry.severity,
                    &[CvssVersion::V4, CvssVersion::V3_1, CvssVersion::V3_0],
                )
            })
            .max_by(|a, b| a.rank_cmp(b))
    });
    if let Some(scored) = scored {
        return scored;
    }
    if let Some(level) = record.database_severity().map(Level::from_rating) {
        if level != Level::Unknown {
            return AdvisorySeverity {
                level,
                score: None,
                vector: None,
            };
        }
    }
    best_cvss(&record.severity, &[CvssVersion::V2]).unwrap_or_else(AdvisorySeverity::unknown)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CvssVersion {
    V4,
    V3_1,
    V3_0,
    V2,
}

impl CvssVersion {
    fn of_vector(vector: &str) -> Option<CvssVersion> {
        let vector = vector.trim();
        if vector.starts_with("CVSS:4.0/") {
            Some(CvssVersion::V4)
        } else if vector.starts_with("CVSS:3.1/") {
            Some(CvssVersion::V3_1)
        } else if vector.starts_with("CVSS:3.0/") {
            Some(CvssVersion::V3_0)
        } else if vector.starts_with("AV:") {
            Some(CvssVersion::V2)
        } else {
            None
        }
    }

    /// Base metrics a vector of this version must carry for its base score to mean anything.
    /// (The `cvss` crate scores a v3 vector with metrics missing as if they were absent.)
    fn base_metrics(self) -> &'static [&'static str] {
        match self {
            CvssVersion::V4 => &[
                "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
            ],
            CvssVersion::V3_1 | CvssVersion::V3_0 => &["AV", "AC", "PR", "UI", "S", "C", "I", "A"],
            CvssVersion::V2 => &["AV", "AC", "Au", "C", "I", "A"],
        }
    }
}

/// The first of `preference` found among `scores` with a computable base score.
fn best_cvss(scores: &[SeverityScore], preference: &[CvssVersion]) -> Option<AdvisorySeverity> {
    preference.iter().find_map(|wanted| {
        scores.iter().find_map(|entry| {
            let vector = entry.score.trim();
            (CvssVersion::of_vector(vector) == Some(*wanted))
                .then(|| cvss_base_score(vector))
                .flatten()
                .map(|score| AdvisorySeverity {
                    level: Level::from_score(score),
                    score: Some(score),
                    vector: Some(vector.to_string()),
                })
        })
    })
}

/// Longest vector accepted (a full v4 vector with every metric is about 200 characters).
const MAX_VECTOR_LEN: usize = 512;

/// The CVSS base score of a v2, v3.0, v3.1 or v4.0 vector; `None` when the vector does not
/// parse or lacks a base metric.
pub fn cvss_base_score(vector: &str) -> Option<f64> {
    let vector = vector.trim();
    if vector.len() > MAX_VECTOR_LEN {
        return None;
    }
    let version = CvssVersion::of_vector(vector)?;
    let present: Vec<&str> = vector
        .split('/')
        .filter_map(|component| component.split_once(':').map(|(metric, _)| metric))
        .collect();
    if !version
        .base_metrics()
        .iter()
        .all(|metric| present.contains(metric))
    {
        return None;
    }
    let parsed = cvss::Cvss::from_str(vector).ok()?;
    // Advisory data is untrusted input: a panic inside the scoring library must cost one
    // score, not the audit.
    let score = std::panic::catch_unwind(|| parsed.score()).ok()?;
    (score.is_finite() && (0.0..=10.0).contains(&score)).then_some(score)
}
