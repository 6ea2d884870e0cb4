//! The CI gate (SPEC §8): what a report must reach to pass, and the deliberate, time-bounded
//! exceptions to it.
//!
//! | module | does |
//! |---|---|
//! | [`gate`] | a [`Gate`](gate::Gate) (grade floor, axis floors, critical findings, F axes, completeness) judged against a report |
//! | [`policy`] | `skillaudit.toml`: named environments, each a gate |
//! | [`exemptions`] | `.skillaudit/exemptions.yml`: entries that exempt findings until they expire |
//! | [`advisories`] | `require_advisories`: no advisory database, or a stale one, fails the gate |
//!
//! Everything here is a pure function of its input text and "today": no files are read, no clock
//! is consulted; the CLI does that.

pub mod advisories;
pub mod exemptions;
pub mod gate;
pub mod policy;
pub mod registry;

/// The 1-based line of a byte offset in `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let line = text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    u32::try_from(line).unwrap_or(u32::MAX)
}
