//! One vulnerability, however many databases describe it: records that name each other in
//! `aliases` (GHSA ↔ CVE ↔ PYSEC ↔ GO…) are merged into one [`Advisory`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::matching::{affected, Match, MatchError};
use super::record::OsvRecord;
use super::severity::{severity, AdvisorySeverity};
use crate::model::DepEcosystem;

/// A vulnerability as a report shows it: one preferred id, the other ids, and every record that
/// describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// The preferred id: a GHSA id if any, else PYSEC, else CVE, else the first other id (each
    /// class in sorted order).
    pub id: String,
    /// Every other id of the group (record ids and their aliases), sorted.
    pub aliases: Vec<String>,
    /// Summary of the preferred record (else the first record with one; else the first line
    /// of a description).
    pub summary: Option<String>,
    /// The highest severity among the records.
    pub severity: AdvisorySeverity,
    /// The records, in id order.
    pub records: Vec<OsvRecord>,
}

/// Groups records that name each other in `aliases` — transitively: if A lists B and C lists B,
/// A and C are one vulnerability — into advisories, sorted by id. `related` ids are not merged
/// (they name different vulnerabilities).
pub fn merge_aliases(records: Vec<OsvRecord>) -> Vec<Advisory> {
    let mut ids = IdSets::default();
    for record in &records {
        let own = ids.node(&record.id);
        for alias in &record.aliases {
            let alias = ids.node(alias);
            ids.union(own, alias);
        }
    }
    let mut groups: BTreeMap<usize, Vec<OsvRecord>> = BTreeMap::new();
    for record in records {
        let root = ids.root_of(&record.id);
        groups.entry(root).or_default().push(record);
    }
    let mut advisories: Vec<Advisory> = groups.into_values().map(advisory_of_group).collect();
    advisories.sort_by(|a, b| a.id.cmp(&b.id));
    advisories
}

fn advisory_of_group(mut records: Vec<OsvRecord>) -> Advisory {
    records.sort_by(|a, b| a.id.cmp(&b.id));
    let all_ids: BTreeSet<&str> = records
        .iter()
        .flat_map(|record| std::iter::once(&record.id).chain(&record.aliases))
        .map(|id| id.trim())
        .filter(|id| !id.is_empty())
        .collect();
    let id = all_ids
        .iter()
        .min_by_key(|id| (id_preference(id), **id))
        .map(|id| id.to_string())
        .unwrap_or_default();
    let aliases = all_ids
        .iter()
        .filter(|other| **other != id)
        .map(|other| other.to_string())
        .collect();
    let summary = records
        .iter()
        .find(|record| record.id == id)
        .and_then(|record| non_empty(record.summary.as_deref()))
        .or_else(|| {
            records
                .iter()
                .find_map(|record| non_empty(record.summary.as_deref()))
        })
        .or_else(|| {
            records.iter().find_map(|record| {
                non_empty(
                    record
                        .details
                        .as_deref()
                        .and_then(|d| d.lines().find(|l| !l.trim().is_empty())),
                )
            })
        });
    let severity = records
        .iter()
        .map(severity)
        .max_by(|a, b| a.rank_cmp(b))
        .unwrap_or_else(AdvisorySeverity::unknown);
    Advisory {
        id,
        aliases,
        summary,
        severity,
        records,
    }
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// Lower is preferred: the id a reader can look up most readily.
fn id_preference(id: &str) -> u8 {
    if id.starts_with("GHSA-") {
        0
    } else if id.starts_with("PYSEC-") {
        1
    } else if id.starts_with("CVE-") {
        2
    } else {
        3
    }
}

/// Union-find over ids.
#[derive(Default)]
struct IdSets {
    index: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl IdSets {
    fn node(&mut self, id: &str) -> usize {
        let id = id.trim();
        if let Some(&node) = self.index.get(id) {
            return node;
        }
        let node = self.parent.len();
        self.parent.push(node);
        self.index.insert(id.to_string(), node);
        node
    }

    fn find(&mut self, mut node: usize) -> usize {
        while self.parent[node] != node {
            // Path halving keeps chains short without recursion.
            self.parent[node] = self.parent[self.parent[node]];
            node = self.parent[node];
        }
        node
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }

    fn root_of(&mut self, id: &str) -> usize {
        let node = self.node(id);
        self.find(node)
    }
}

/// What is known against one package version: the advisories that affect it, and those that
/// could not be evaluated for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PackageAdvisories {
    /// Advisories affecting the version, most severe first, each with how it matched (the
    /// matches of all its records folded together).
    pub affecting: Vec<(Advisory, Match)>,
    /// Advisories for the package that could not be evaluated for this version (typically: the
    /// version is not a valid version of the ecosystem). A report should show these as
    /// "unknown", never as "not affected".
    pub unevaluated: Vec<(Advisory, MatchError)>,
}

/// Evaluates `records` (all the records known for one package) against one version: withdrawn
/// records are dropped, aliases merged ([`merge_aliases`]), and each advisory matched through
/// all of its records ([`affected`]).
pub fn match_advisories(
    records: Vec<OsvRecord>,
    eco: DepEcosystem,
    name: &str,
    version: &str,
) -> PackageAdvisories {
    let live: Vec<OsvRecord> = records
        .into_iter()
        .filter(|record| !record.is_withdrawn())
        .collect();
    let mut result = PackageAdvisories::default();
    for advisory in merge_aliases(live) {
        let mut matched: Option<Match> = None;
        let mut problem: Option<MatchError> = None;
        for record in &advisory.records {
            match affected(record, eco, name, version) {
                Ok(Some(found)) => match matched.as_mut() {
                    Some(matched) => matched.absorb(found, eco),
                    None => matched = Some(found),
                },
                Ok(None) => {}
                Err(error) => {
                    problem.get_or_insert(error);
                }
            }
        }
        match (matched, problem) {
            (Some(matched), _) => result.affecting.push((advisory, matched)),
            (None, Some(problem)) => result.unevaluated.push((advisory, problem)),
            (None, None) => {}
        }
    }
    result.affecting.sort_by(|(a, _), (b, _)| {
        b.severity
            .rank_cmp(&a.severity)
            .then_with(|| a.id.cmp(&b.id))
    });
    result
}
