//! OSV records: range evaluation, severity, alias merging, and the offline database (import of
//! directories and zips, benign and hostile; merge; lookup).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};
use skillaudit_deps::osv::{
    affected, match_advisories, merge_aliases, severity, Database, DbError, ImportLimits, Level,
    Match, MatchError, MatchSource, OsvRecord,
};
use skillaudit_deps::DepEcosystem::{self, Go, Npm, PyPI};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv")
}

fn record(value: Value) -> OsvRecord {
    serde_json::from_value(value).expect("test record parses")
}

/// A record with one affected entry of `eco`/`name` and the given ranges and versions.
fn record_with(eco: &str, name: &str, ranges: Value, versions: Value) -> OsvRecord {
    record(json!({
        "id": "TEST-1",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [{ "package": { "ecosystem": eco, "name": name }, "ranges": ranges, "versions": versions }]
    }))
}

fn range(kind: &str, events: Value) -> Value {
    json!([{ "type": kind, "events": events }])
}

fn matched(record: &OsvRecord, eco: DepEcosystem, name: &str, version: &str) -> Option<Match> {
    affected(record, eco, name, version)
        .unwrap_or_else(|error| panic!("{version}: unexpected {error}"))
}

/// Asserts, for each (version, affected?) pair, what the record says.
fn assert_table(record: &OsvRecord, eco: DepEcosystem, name: &str, table: &[(&str, bool)]) {
    for (version, expected) in table {
        let found = matched(record, eco, name, version);
        assert_eq!(
            found.is_some(),
            *expected,
            "{eco} {name} {version}: {found:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Range evaluation

#[test]
fn introduced_zero_covers_everything_below_the_fix() {
    let r = record_with(
        "npm",
        "left-pad",
        range(
            "SEMVER",
            json!([{ "introduced": "0" }, { "fixed": "1.0.2" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        Npm,
        "left-pad",
        &[
            ("0.0.0", true),
            ("0.0.1-alpha", true),
            ("1.0.1", true),
            ("1.0.2", false),
            ("2.0.0", false),
        ],
    );
    let found = matched(&r, Npm, "left-pad", "1.0.1").unwrap();
    assert_eq!(found.fixed, vec!["1.0.2"]);
    assert!(found.last_affected.is_empty());
}

#[test]
fn several_introduced_fixed_pairs_in_one_range_are_separate_intervals() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "introduced": "1.0.0" }, { "fixed": "1.0.2" }, { "introduced": "3.0.0" }, { "fixed": "3.2.5" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        Npm,
        "pkg",
        &[
            ("0.9.9", false),
            ("1.0.0", true),
            ("1.0.1", true),
            ("1.0.2", false),
            ("2.5.0", false),
            ("3.0.0", true),
            ("3.2.4", true),
            ("3.2.5", false),
        ],
    );
    // "Fixed in" is the end of the interval the version is in, not every fix the range names.
    assert_eq!(
        matched(&r, Npm, "pkg", "3.1.0").unwrap().fixed,
        vec!["3.2.5"]
    );
    assert_eq!(
        matched(&r, Npm, "pkg", "1.0.1").unwrap().fixed,
        vec!["1.0.2"]
    );
}

#[test]
fn unsorted_events_are_sorted_before_evaluation() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "ECOSYSTEM",
            json!([{ "fixed": "3.2.5" }, { "introduced": "3.0.0" }, { "fixed": "1.0.2" }, { "introduced": "1.0.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        Npm,
        "pkg",
        &[
            ("0.9.9", false),
            ("1.0.1", true),
            ("2.0.0", false),
            ("3.1.0", true),
            ("3.2.5", false),
        ],
    );
}

#[test]
fn last_affected_is_inclusive() {
    let r = record_with(
        "PyPI",
        "h2",
        range(
            "ECOSYSTEM",
            json!([{ "introduced": "0" }, { "last_affected": "2.1.214" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        PyPI,
        "h2",
        &[
            ("1.0", true),
            ("2.1.214", true),
            ("2.1.214.post1", false),
            ("2.1.215", false),
        ],
    );
    let found = matched(&r, PyPI, "h2", "2.1.214").unwrap();
    assert_eq!(found.last_affected, vec!["2.1.214"]);
    assert!(found.fixed.is_empty());
}

#[test]
fn limit_bounds_the_range_and_star_is_infinity() {
    let bounded = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "introduced": "1.0.0" }, { "limit": "2.0.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &bounded,
        Npm,
        "pkg",
        &[
            ("0.9.0", false),
            ("1.5.0", true),
            ("2.0.0", false),
            ("2.1.0", false),
        ],
    );
    let unbounded = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "introduced": "1.0.0" }, { "limit": "*" }]),
        ),
        json!([]),
    );
    assert_table(
        &unbounded,
        Npm,
        "pkg",
        &[("0.9.0", false), ("99.0.0", true)],
    );
}

#[test]
fn prerelease_of_the_fixed_version_is_still_affected() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "introduced": "0" }, { "fixed": "2.0.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        Npm,
        "pkg",
        &[
            ("2.0.0-rc.1", true),
            ("2.0.0-alpha", true),
            ("2.0.0", false),
        ],
    );
    let from_release = record_with(
        "npm",
        "pkg",
        range("SEMVER", json!([{ "introduced": "2.0.0" }])),
        json!([]),
    );
    assert_table(
        &from_release,
        Npm,
        "pkg",
        &[("2.0.0-rc.1", false), ("2.0.0", true)],
    );
}

#[test]
fn range_with_only_introduced_is_open_ended() {
    let r = record_with(
        "npm",
        "pkg",
        range("ECOSYSTEM", json!([{ "introduced": "1.2.0" }])),
        json!([]),
    );
    assert_table(
        &r,
        Npm,
        "pkg",
        &[("1.1.9", false), ("1.2.0", true), ("99.0.0", true)],
    );
    assert!(matched(&r, Npm, "pkg", "1.2.0").unwrap().fixed.is_empty());
}

#[test]
fn equal_introduced_and_fixed_make_an_empty_interval() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "fixed": "1.0.0" }, { "introduced": "1.0.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        Npm,
        "pkg",
        &[("0.9.0", false), ("1.0.0", false), ("1.1.0", false)],
    );
    let point = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "last_affected": "1.0.0" }, { "introduced": "1.0.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &point,
        Npm,
        "pkg",
        &[("0.9.0", false), ("1.0.0", true), ("1.0.1", false)],
    );
}

#[test]
fn pypi_epochs_order_ranges() {
    let r = record_with(
        "PyPI",
        "pkg",
        range(
            "ECOSYSTEM",
            json!([{ "introduced": "0" }, { "fixed": "2.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        PyPI,
        "pkg",
        &[("1.9", true), ("1!1.0", false), ("2.0", false)],
    );
    let epoch = record_with(
        "PyPI",
        "pkg",
        range(
            "ECOSYSTEM",
            json!([{ "introduced": "1!0" }, { "fixed": "1!2.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &epoch,
        PyPI,
        "pkg",
        &[("3.0", false), ("1!1.5", true), ("1!2.0", false)],
    );
}

#[test]
fn pypi_post_dev_pre_and_local_releases_around_the_fix() {
    let r = record_with(
        "PyPI",
        "pkg",
        range(
            "ECOSYSTEM",
            json!([{ "introduced": "0" }, { "fixed": "1.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        PyPI,
        "pkg",
        &[
            ("0.9", true),
            ("1.0.dev0", true),
            ("1.0a1", true),
            ("1.0rc1", true),
            ("1.0", false),
            ("1.0.0", false),
            ("1.0+local", false),
            ("1.0.post1", false),
        ],
    );
}

#[test]
fn versions_list_alone_matches_exactly_and_semantically() {
    let r = record_with("PyPI", "pkg", json!([]), json!(["1.0", "1.0.1"]));
    assert_table(
        &r,
        PyPI,
        "pkg",
        &[
            ("1.0", true),
            ("1.0.0", true),
            ("1.0.1", true),
            ("1.0.2", false),
        ],
    );
    let found = matched(&r, PyPI, "pkg", "1.0.1").unwrap();
    assert_eq!(
        found.sources,
        vec![MatchSource::Versions {
            record: "TEST-1".into(),
            affected: 0
        }]
    );
}

#[test]
fn withdrawn_records_never_match() {
    let mut r = record_with(
        "npm",
        "pkg",
        range("SEMVER", json!([{ "introduced": "0" }])),
        json!(["1.0.0"]),
    );
    r.withdrawn = Some("2024-02-01T00:00:00Z".into());
    assert_eq!(affected(&r, Npm, "pkg", "1.0.0"), Ok(None));
}

#[test]
fn git_ranges_are_ignored_and_only_the_versions_list_counts() {
    let r = record_with(
        "PyPI",
        "pkg",
        range(
            "GIT",
            json!([{ "introduced": "0" }, { "fixed": "7dd3680e6eea0d77fde024763657aa4d884ddb23" }]),
        ),
        json!(["2.0"]),
    );
    assert_table(&r, PyPI, "pkg", &[("2.0", true), ("1.0", false)]);
    // Neither the commit hash nor the GIT range is an error.
    assert_eq!(affected(&r, PyPI, "pkg", "1.0"), Ok(None));
}

#[test]
fn pypi_names_compare_after_pep503_normalisation() {
    let r = record_with(
        "PyPI",
        "zope.interface",
        range("ECOSYSTEM", json!([{ "introduced": "0" }])),
        json!([]),
    );
    for name in [
        "zope.interface",
        "Zope_Interface",
        "zope-interface",
        "ZOPE--interface",
        "zope._-interface",
    ] {
        assert!(matched(&r, PyPI, name, "1.0").is_some(), "{name}");
    }
    assert!(matched(&r, PyPI, "zopeinterface", "1.0").is_none());
}

#[test]
fn npm_and_go_names_compare_exactly() {
    let r = record_with(
        "npm",
        "lodash",
        range("SEMVER", json!([{ "introduced": "0" }])),
        json!([]),
    );
    assert!(matched(&r, Npm, "lodash", "1.0.0").is_some());
    assert!(matched(&r, Npm, "Lodash", "1.0.0").is_none());
    assert!(matched(&r, Npm, "lodash_", "1.0.0").is_none());
}

#[test]
fn ecosystem_must_match_and_suffixes_are_read_as_their_base() {
    let debian = record_with(
        "Debian:12",
        "lodash",
        range("ECOSYSTEM", json!([{ "introduced": "0" }])),
        json!([]),
    );
    assert!(matched(&debian, Npm, "lodash", "1.0.0").is_none());
    let npm_like = record_with(
        "NPM",
        "lodash",
        range("SEMVER", json!([{ "introduced": "0" }])),
        json!([]),
    );
    assert!(matched(&npm_like, Npm, "lodash", "1.0.0").is_some());
    assert!(matched(&npm_like, PyPI, "lodash", "1.0.0").is_none());
}

#[test]
fn go_semver_ranges_without_v_match_go_mod_versions_with_it() {
    let r = record_with(
        "Go",
        "golang.org/x/net",
        range(
            "SEMVER",
            json!([{ "introduced": "0" }, { "fixed": "0.17.0" }]),
        ),
        json!([]),
    );
    assert_table(
        &r,
        Go,
        "golang.org/x/net",
        &[
            ("v0.16.0", true),
            ("v0.0.0-20230101000000-abcdefabcdef", true),
            ("v0.17.0", false),
            ("v0.17.1-0.20231010000000-abcdefabcdef", false),
            ("v0.18.0", false),
        ],
    );
    assert_eq!(
        matched(&r, Go, "golang.org/x/net", "v0.16.0")
            .unwrap()
            .fixed,
        vec!["0.17.0"]
    );
    assert!(matched(&r, Go, "golang.org/x/Net", "v0.16.0").is_none());
}

#[test]
fn invalid_version_is_reported_not_read_as_unaffected() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "introduced": "0" }, { "fixed": "2.0.0" }]),
        ),
        json!([]),
    );
    for version in ["not-a-version", "1.2", "", "1.2.3.4", &"9".repeat(1000)] {
        assert!(
            matches!(
                affected(&r, Npm, "pkg", version),
                Err(MatchError::InvalidVersion { .. })
            ),
            "{version:?}"
        );
    }
    // Another package's record is simply not about it.
    assert_eq!(affected(&r, Npm, "other", "not-a-version"), Ok(None));
}

#[test]
fn invalid_version_still_matches_an_exact_versions_entry() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "SEMVER",
            json!([{ "introduced": "0" }, { "fixed": "2.0.0" }]),
        ),
        json!(["1.0.0-custom_build"]),
    );
    let found = matched(&r, Npm, "pkg", "1.0.0-custom_build").unwrap();
    assert_eq!(
        found.sources,
        vec![MatchSource::Versions {
            record: "TEST-1".into(),
            affected: 0
        }]
    );
    // Matched by list only: the fixes the entry's ranges name stand in for "fixed in".
    assert_eq!(found.fixed, vec!["2.0.0"]);
}

#[test]
fn unreadable_range_events_are_reported_unless_a_versions_list_covers_them() {
    let r = record_with(
        "npm",
        "pkg",
        range(
            "ECOSYSTEM",
            json!([{ "introduced": "0" }, { "fixed": "two-point-oh" }]),
        ),
        json!([]),
    );
    assert!(matches!(
        affected(&r, Npm, "pkg", "1.0.0"),
        Err(MatchError::UnreadableRange { .. })
    ));
    let listed = record_with(
        "npm",
        "pkg",
        range(
            "ECOSYSTEM",
            json!([{ "introduced": "0" }, { "fixed": "two-point-oh" }]),
        ),
        json!(["0.9.0"]),
    );
    assert_eq!(affected(&listed, Npm, "pkg", "1.0.0"), Ok(None));
    assert!(matched(&listed, Npm, "pkg", "0.9.0").is_some());
}

#[test]
fn every_matching_range_and_entry_contributes_its_fix() {
    let r = record(json!({
        "id": "TEST-2",
        "affected": [
            { "package": { "ecosystem": "npm", "name": "pkg" },
              "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": "1.5.0" }] }] },
            { "package": { "ecosystem": "npm", "name": "pkg" },
              "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "1.0.0" }, { "fixed": "1.4.2" }] }] },
            { "package": { "ecosystem": "npm", "name": "other" },
              "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": "9.0.0" }] }] }
        ]
    }));
    let found = matched(&r, Npm, "pkg", "1.2.0").unwrap();
    assert_eq!(found.fixed, vec!["1.4.2", "1.5.0"]);
    assert_eq!(found.sources.len(), 2);
    assert!(
        matches!(&found.sources[1], MatchSource::Range { affected: 1, range: 0, introduced, .. } if introduced == "1.0.0")
    );
}

#[test]
fn package_named_only_by_purl_is_understood() {
    let r = record(json!({
        "id": "TEST-3",
        "affected": [{ "package": { "purl": "pkg:npm/%40scope/name@1.0.0" },
                       "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }] }] }]
    }));
    assert!(matched(&r, Npm, "@scope/name", "1.0.0").is_some());
}

#[test]
fn records_tolerate_missing_and_null_fields() {
    let r: OsvRecord = serde_json::from_str(r#"{"id":"X","aliases":null,"affected":[{"package":{},"ranges":[{"events":null}]}],"unknown":1}"#).unwrap();
    assert!(r.aliases.is_empty());
    assert_eq!(affected(&r, Npm, "x", "1.0.0"), Ok(None));
}

// ---------------------------------------------------------------------------------------------
// Severity

fn with_severity(scores: &[(&str, &str)], database_severity: Option<&str>) -> OsvRecord {
    let severity: Vec<Value> = scores
        .iter()
        .map(|(kind, score)| json!({ "type": kind, "score": score }))
        .collect();
    let mut value = json!({ "id": "SEV-1", "severity": severity });
    if let Some(rating) = database_severity {
        value["database_specific"] = json!({ "severity": rating });
    }
    record(value)
}

#[test]
fn cvss_v31_base_scores_match_the_spec_calculator() {
    let cases = [
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            9.8,
            Level::Critical,
        ),
        (
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N",
            6.8,
            Level::Medium,
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H",
            7.2,
            Level::High,
        ),
        (
            "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
            5.5,
            Level::Medium,
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
            6.1,
            Level::Medium,
        ),
        (
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L",
            5.3,
            Level::Medium,
        ),
        (
            "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
            1.6,
            Level::Low,
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
            10.0,
            Level::Critical,
        ),
    ];
    for (vector, score, level) in cases {
        let found = severity(&with_severity(&[("CVSS_V3", vector)], None));
        assert_eq!(found.score, Some(score), "{vector}");
        assert_eq!(found.level, level, "{vector}");
        assert_eq!(found.vector.as_deref(), Some(vector));
    }
}

#[test]
fn cvss_v4_is_preferred_over_v3() {
    let found = severity(&with_severity(
        &[
            ("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N"),
            (
                "CVSS_V4",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            ),
        ],
        Some("MODERATE"),
    ));
    assert_eq!(found.score, Some(9.3));
    assert_eq!(found.level, Level::Critical);
}

#[test]
fn ghsa_rating_is_the_fallback_and_incomplete_vectors_are_passed_over() {
    let found = severity(&with_severity(
        &[("CVSS_V3", "CVSS:3.1/AV:N")],
        Some("MODERATE"),
    ));
    assert_eq!((found.level, found.score), (Level::Medium, None));
    assert_eq!(
        severity(&with_severity(&[], Some("CRITICAL"))).level,
        Level::Critical
    );
    assert_eq!(severity(&with_severity(&[], Some("low"))).level, Level::Low);
    assert_eq!(
        severity(&with_severity(&[("CVSS_V4", "CVSS:4.0/AV:N")], None)).level,
        Level::Unknown
    );
    assert_eq!(
        severity(&with_severity(&[("CVSS_V3", "garbage")], Some("nonsense"))).level,
        Level::Unknown
    );
}

#[test]
fn cvss_v2_is_used_only_when_nothing_else_is_there() {
    let found = severity(&with_severity(
        &[("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P")],
        None,
    ));
    assert_eq!((found.level, found.score), (Level::High, Some(7.5)));
    let rated = severity(&with_severity(
        &[("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P")],
        Some("LOW"),
    ));
    assert_eq!(rated.level, Level::Low);
}

#[test]
fn per_package_severity_is_read_when_the_record_has_none() {
    let r = record(json!({
        "id": "SEV-2",
        "affected": [{ "package": { "ecosystem": "npm", "name": "x" },
                       "severity": [{ "type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }] }]
    }));
    assert_eq!(severity(&r).level, Level::Critical);
}

// ---------------------------------------------------------------------------------------------
// Alias merging

fn aliased(id: &str, aliases: &[&str], summary: &str, rating: &str) -> OsvRecord {
    record(
        json!({ "id": id, "aliases": aliases, "summary": summary, "database_specific": { "severity": rating } }),
    )
}

#[test]
fn aliases_merge_transitively_and_prefer_the_ghsa_id() {
    let advisories = merge_aliases(vec![
        aliased("PYSEC-2021-1", &["CVE-2021-1"], "from pysec", "LOW"),
        aliased("GHSA-aaaa-bbbb-cccc", &["CVE-2021-1"], "from ghsa", "HIGH"),
        aliased("OSV-2021-9", &["PYSEC-2021-1"], "from osv", "MODERATE"),
        aliased("GHSA-zzzz-zzzz-zzzz", &["CVE-2099-2"], "unrelated", "LOW"),
    ]);
    assert_eq!(advisories.len(), 2);
    let merged = &advisories[0];
    assert_eq!(merged.id, "GHSA-aaaa-bbbb-cccc");
    assert_eq!(
        merged.aliases,
        vec!["CVE-2021-1", "OSV-2021-9", "PYSEC-2021-1"]
    );
    assert_eq!(merged.summary.as_deref(), Some("from ghsa"));
    assert_eq!(merged.severity.level, Level::High);
    assert_eq!(merged.records.len(), 3);
    assert_eq!(advisories[1].id, "GHSA-zzzz-zzzz-zzzz");
}

#[test]
fn id_preference_is_ghsa_then_pysec_then_cve_then_other() {
    let only_pysec = merge_aliases(vec![aliased(
        "OSV-1",
        &["CVE-2020-5", "PYSEC-2020-3"],
        "s",
        "LOW",
    )]);
    assert_eq!(only_pysec[0].id, "PYSEC-2020-3");
    let only_cve = merge_aliases(vec![aliased("GO-2020-1", &["CVE-2020-5"], "s", "LOW")]);
    assert_eq!(only_cve[0].id, "CVE-2020-5");
    assert_eq!(only_cve[0].aliases, vec!["GO-2020-1"]);
}

#[test]
fn related_ids_are_not_merged() {
    let advisories = merge_aliases(vec![
        record(json!({ "id": "GHSA-1111-1111-1111", "related": ["GHSA-2222-2222-2222"] })),
        record(json!({ "id": "GHSA-2222-2222-2222" })),
    ]);
    assert_eq!(advisories.len(), 2);
}

#[test]
fn matching_advisories_folds_alias_matches_and_sorts_by_severity() {
    let ghsa = record(json!({
        "id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2024-1"], "database_specific": { "severity": "MODERATE" },
        "affected": [{ "package": { "ecosystem": "PyPI", "name": "pkg" },
                       "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "1.4" }] }] }]
    }));
    let pysec = record(json!({
        "id": "PYSEC-2024-1", "aliases": ["CVE-2024-1"],
        "affected": [{ "package": { "ecosystem": "PyPI", "name": "pkg" },
                       "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "1.4.1" }] }] }]
    }));
    let critical = record(json!({
        "id": "GHSA-cccc-dddd-eeee", "database_specific": { "severity": "CRITICAL" },
        "affected": [{ "package": { "ecosystem": "PyPI", "name": "pkg" },
                       "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "1.0" }] }] }]
    }));
    let mut withdrawn = critical.clone();
    withdrawn.id = "GHSA-wwww-wwww-wwww".into();
    withdrawn.withdrawn = Some("2024-05-01T00:00:00Z".into());

    let found = match_advisories(vec![ghsa, pysec, critical, withdrawn], PyPI, "pkg", "1.3");
    let ids: Vec<&str> = found
        .affecting
        .iter()
        .map(|(advisory, _)| advisory.id.as_str())
        .collect();
    assert_eq!(ids, vec!["GHSA-cccc-dddd-eeee", "GHSA-aaaa-bbbb-cccc"]);
    let (_, merged) = &found.affecting[1];
    assert_eq!(merged.records, vec!["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"]);
    assert_eq!(merged.fixed, vec!["1.4", "1.4.1"]);
    assert!(found.unevaluated.is_empty());

    let invalid = match_advisories(
        found.affecting[0].0.records.clone(),
        PyPI,
        "pkg",
        "not a version",
    );
    assert!(invalid.affecting.is_empty());
    assert_eq!(invalid.unevaluated.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Database: import and lookup

fn record_json(id: &str, eco: &str, name: &str, fixed: &str, modified: &str) -> String {
    json!({
        "id": id,
        "modified": modified,
        "summary": format!("{id} summary"),
        "affected": [{ "package": { "ecosystem": eco, "name": name },
                       "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": fixed }] }] }]
    })
    .to_string()
}

/// Writes a deflated zip of (name, content) entries.
fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
}

fn data_files(db_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn opening_a_missing_database_says_so() {
    let temp = tempfile::tempdir().unwrap();
    assert!(matches!(
        Database::open(&temp.path().join("nowhere")),
        Err(DbError::Missing { .. })
    ));
    assert!(matches!(
        Database::open(temp.path()),
        Err(DbError::Missing { .. })
    ));
    let message = Database::open(temp.path()).unwrap_err().to_string();
    assert!(message.contains("skillaudit db update"), "{message}");
}

#[test]
fn damaged_metadata_is_reported_as_corrupt() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("meta.json"), b"{ not json").unwrap();
    assert!(matches!(
        Database::open(temp.path()),
        Err(DbError::Corrupt { .. })
    ));
}

#[test]
fn directory_import_reads_records_recursively_and_reports_skips() {
    let temp = tempfile::tempdir().unwrap();
    let db_dir = temp.path().join("db");
    let stats = Database::import(&fixtures().join("export"), &db_dir).unwrap();
    assert_eq!(stats.records, 4, "{stats:?}");
    assert_eq!(stats.unsupported, 1, "the Debian record");
    assert_eq!(stats.skipped_count, 1);
    assert_eq!(stats.skipped[0].0, "npm/broken.json");
    assert_eq!(stats.packages, 3);
    assert_eq!(stats.ecosystems.get(&PyPI), Some(&2));
    assert_eq!(stats.total_records, 4);

    let db = Database::open(&db_dir).unwrap();
    assert_eq!(db.info().records, 4);
    assert_eq!(db.info().packages, 3);
    assert_eq!(db.info().imports.len(), 1);
    assert_eq!(db.lookup(Npm, "lodash").unwrap().len(), 1);
    assert_eq!(db.lookup(PyPI, "Jinja2").unwrap().len(), 2);
    assert!(db.lookup(Npm, "jinja2").unwrap().is_empty());
    assert!(db.lookup(Npm, "no-such-package").unwrap().is_empty());

    let jinja = db.advisories_for(PyPI, "Jinja2", "3.1.2").unwrap();
    assert_eq!(jinja.affecting.len(), 1);
    let (advisory, matched) = &jinja.affecting[0];
    assert_eq!(advisory.id, "GHSA-h5c8-rqwp-cp95");
    assert_eq!(advisory.aliases, vec!["CVE-2024-22195", "PYSEC-2099-1"]);
    assert_eq!(advisory.severity.level, Level::Medium);
    assert_eq!(matched.fixed, vec!["3.1.3"]);
    assert!(db
        .advisories_for(PyPI, "jinja2", "3.1.3")
        .unwrap()
        .affecting
        .is_empty());

    let lodash = db.advisories_for(Npm, "lodash", "4.17.20").unwrap();
    assert_eq!(lodash.affecting[0].0.severity.score, Some(7.2));
    assert!(db
        .advisories_for(Npm, "lodash", "4.17.21")
        .unwrap()
        .affecting
        .is_empty());
    assert_eq!(
        db.advisories_for(Npm, "lodash", "4.17")
            .unwrap()
            .unevaluated
            .len(),
        1
    );

    let net = db
        .advisories_for(Go, "golang.org/x/net", "v0.16.0")
        .unwrap();
    assert_eq!(net.affecting[0].0.id, "GHSA-qppj-fm5r-hxr3");
}

#[test]
fn directory_import_skips_hidden_directories_and_symlinks() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("src");
    std::fs::create_dir_all(source.join(".git/objects")).unwrap();
    std::fs::write(
        source.join(".git/objects/x.json"),
        record_json("GHSA-hidden", "npm", "a", "1.0.0", "2024-01-01T00:00:00Z"),
    )
    .unwrap();
    std::fs::write(
        source.join("real.json"),
        record_json("GHSA-real", "npm", "a", "1.0.0", "2024-01-01T00:00:00Z"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(source.join("real.json"), source.join("link.json")).unwrap();
    let stats = Database::import(&source, &temp.path().join("db")).unwrap();
    assert_eq!(stats.records, 1);
    assert_eq!(stats.skipped_count, 0);
}

#[test]
fn zip_import_then_merge_keeps_the_latest_modified_copy() {
    let temp = tempfile::tempdir().unwrap();
    let db_dir = temp.path().join("db");
    let first = temp.path().join("first.zip");
    write_zip(
        &first,
        &[
            (
                "GHSA-0001.json".into(),
                record_json("GHSA-0001", "npm", "alpha", "1.0.0", "2022-01-01T00:00:00Z")
                    .into_bytes(),
            ),
            (
                "GHSA-0002.json".into(),
                record_json(
                    "GHSA-0002",
                    "PyPI",
                    "Beta_Pkg",
                    "2.0",
                    "2022-01-01T00:00:00Z",
                )
                .into_bytes(),
            ),
        ],
    );
    let stats = Database::import(&first, &db_dir).unwrap();
    assert_eq!((stats.records, stats.total_records), (2, 2));

    // A newer copy of 0001 replaces the stored one; an older copy of 0002 does not.
    let second = temp.path().join("second.zip");
    write_zip(
        &second,
        &[
            (
                "a/GHSA-0001.json".into(),
                record_json("GHSA-0001", "npm", "alpha", "1.2.0", "2023-06-01T00:00:00Z")
                    .into_bytes(),
            ),
            (
                "a/GHSA-0002.json".into(),
                record_json(
                    "GHSA-0002",
                    "PyPI",
                    "beta-pkg",
                    "1.0",
                    "2021-01-01T00:00:00Z",
                )
                .into_bytes(),
            ),
            (
                "a/GHSA-0003.json".into(),
                record_json("GHSA-0003", "npm", "gamma", "3.0.0", "2023-06-01T00:00:00Z")
                    .into_bytes(),
            ),
        ],
    );
    let stats = Database::import(&second, &db_dir).unwrap();
    assert_eq!(stats.superseded, 1);
    assert_eq!(stats.total_records, 3);

    let db = Database::open(&db_dir).unwrap();
    let alpha = db.lookup(Npm, "alpha").unwrap();
    assert_eq!(alpha.len(), 1);
    assert_eq!(alpha[0].modified.as_deref(), Some("2023-06-01T00:00:00Z"));
    assert!(
        db.advisories_for(Npm, "alpha", "1.1.0")
            .unwrap()
            .affecting
            .len()
            == 1
    );
    let beta = db.lookup(PyPI, "BETA.pkg").unwrap();
    assert_eq!(beta[0].modified.as_deref(), Some("2022-01-01T00:00:00Z"));
    assert_eq!(db.info().imports.len(), 2);
    // Only the live generation's files remain.
    let files = data_files(&db_dir);
    assert_eq!(files.len(), 3, "{files:?}");
}

#[test]
fn import_of_something_that_is_not_an_export_fails_cleanly() {
    let temp = tempfile::tempdir().unwrap();
    let text = temp.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    assert!(matches!(
        Database::import(&text, &temp.path().join("db")),
        Err(DbError::Source { .. })
    ));
    let fake_zip = temp.path().join("fake.zip");
    std::fs::write(&fake_zip, b"PK\x03\x04 this is not really a zip").unwrap();
    assert!(matches!(
        Database::import(&fake_zip, &temp.path().join("db")),
        Err(DbError::Source { .. })
    ));
    assert!(matches!(
        Database::import(&temp.path().join("absent"), &temp.path().join("db")),
        Err(DbError::Source { .. })
    ));
}

#[test]
fn a_running_import_holds_the_lock() {
    let temp = tempfile::tempdir().unwrap();
    let db_dir = temp.path().join("db");
    std::fs::create_dir_all(&db_dir).unwrap();
    std::fs::write(db_dir.join("import.lock"), "123").unwrap();
    assert!(matches!(
        Database::import(&fixtures().join("export"), &db_dir),
        Err(DbError::Busy { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Hostile input

fn small_limits() -> ImportLimits {
    ImportLimits {
        max_record_bytes: 64 * 1024,
        max_total_bytes: 16 * 1024 * 1024,
        max_entries: 100,
    }
}

/// Rewrites the uncompressed-size fields of the local and central headers of entry `name` to
/// `size`.
fn lie_about_size(zip_bytes: &mut [u8], name: &str, size: u32) {
    let field_at = |signature: &[u8]| match signature {
        b"PK\x03\x04" => Some((22, 26, 30)),
        b"PK\x01\x02" => Some((24, 28, 46)),
        _ => None,
    };
    let mut at = 0;
    while at + 46 <= zip_bytes.len() {
        if let Some((size_at, name_len_at, name_at)) = field_at(&zip_bytes[at..at + 4]) {
            let name_len =
                u16::from_le_bytes([zip_bytes[at + name_len_at], zip_bytes[at + name_len_at + 1]])
                    as usize;
            if zip_bytes.get(at + name_at..at + name_at + name_len) == Some(name.as_bytes()) {
                zip_bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
        at += 1;
    }
}

#[test]
fn entry_inflating_past_its_declared_size_is_skipped() {
    let temp = tempfile::tempdir().unwrap();
    let bomb = temp.path().join("bomb.zip");
    // A valid record padded to 1 MiB: far over the 64 KiB record limit, tiny once deflated.
    let padded = format!(
        r#"{{"id":"GHSA-bomb","affected":[{{"package":{{"ecosystem":"npm","name":"bomb"}}}}],"details":"{}"}}"#,
        "A".repeat(1024 * 1024)
    );
    write_zip(
        &bomb,
        &[
            ("bomb.json".into(), padded.into_bytes()),
            (
                "fine.json".into(),
                record_json("GHSA-fine", "npm", "fine", "1.0.0", "2024-01-01T00:00:00Z")
                    .into_bytes(),
            ),
        ],
    );
    let mut bytes = std::fs::read(&bomb).unwrap();
    lie_about_size(&mut bytes, "bomb.json", 100);
    std::fs::write(&bomb, &bytes).unwrap();

    let db_dir = temp.path().join("db");
    let stats = Database::import_with_limits(&bomb, &db_dir, &small_limits()).unwrap();
    assert_eq!(stats.skipped.len(), 1, "{stats:?}");
    assert_eq!(stats.skipped[0].0, "bomb.json");
    let db = Database::open(&db_dir).unwrap();
    assert!(db.lookup(Npm, "bomb").unwrap().is_empty());
    assert_eq!(db.lookup(Npm, "fine").unwrap().len(), 1);
}

#[test]
fn entry_declaring_more_than_the_record_limit_is_skipped_unread() {
    let temp = tempfile::tempdir().unwrap();
    let zip_path = temp.path().join("big.zip");
    let big = format!(
        r#"{{"id":"GHSA-big","details":"{}"}}"#,
        "B".repeat(200 * 1024)
    );
    write_zip(
        &zip_path,
        &[
            ("big.json".into(), big.into_bytes()),
            (
                "ok.json".into(),
                record_json("GHSA-ok", "npm", "ok", "1.0.0", "2024-01-01T00:00:00Z").into_bytes(),
            ),
        ],
    );
    let stats =
        Database::import_with_limits(&zip_path, &temp.path().join("db"), &small_limits()).unwrap();
    assert_eq!(stats.records, 1);
    assert_eq!(stats.skipped.len(), 1);
    assert!(
        stats.skipped[0].1.contains("record limit"),
        "{:?}",
        stats.skipped
    );
}

#[test]
fn too_many_entries_stops_the_import_and_leaves_the_database_as_it_was() {
    let temp = tempfile::tempdir().unwrap();
    let db_dir = temp.path().join("db");
    Database::import(&fixtures().join("export"), &db_dir).unwrap();
    let before = data_files(&db_dir);

    let many = temp.path().join("many.zip");
    let entries: Vec<(String, Vec<u8>)> = (0..3000)
        .map(|i| {
            (
                format!("e{i}.json"),
                record_json(
                    &format!("GHSA-{i}"),
                    "npm",
                    &format!("p{i}"),
                    "1.0.0",
                    "2024-01-01T00:00:00Z",
                )
                .into_bytes(),
            )
        })
        .collect();
    write_zip(&many, &entries);
    let error = Database::import_with_limits(&many, &db_dir, &small_limits()).unwrap_err();
    assert!(matches!(error, DbError::LimitExceeded { .. }), "{error}");

    assert_eq!(data_files(&db_dir), before, "no new or stray files");
    let db = Database::open(&db_dir).unwrap();
    assert_eq!(db.info().records, 4);
    assert!(db.lookup(Npm, "p1").unwrap().is_empty());
}

#[test]
fn total_inflated_size_is_capped() {
    let temp = tempfile::tempdir().unwrap();
    let zip_path = temp.path().join("total.zip");
    let chunk = format!(r#"{{"id":"X","details":"{}"}}"#, "C".repeat(60 * 1024));
    let entries: Vec<(String, Vec<u8>)> = (0..50)
        .map(|i| (format!("c{i}.json"), chunk.clone().into_bytes()))
        .collect();
    write_zip(&zip_path, &entries);
    let limits = ImportLimits {
        max_total_bytes: 1024 * 1024,
        ..small_limits()
    };
    let error =
        Database::import_with_limits(&zip_path, &temp.path().join("db"), &limits).unwrap_err();
    assert!(matches!(error, DbError::LimitExceeded { .. }), "{error}");
    assert!(matches!(
        Database::open(&temp.path().join("db")),
        Err(DbError::Missing { .. })
    ));
}

#[test]
fn non_json_malformed_and_deeply_nested_entries_are_skipped() {
    let temp = tempfile::tempdir().unwrap();
    let zip_path = temp.path().join("mixed.zip");
    let depth = 50_000;
    let nested_known = format!(
        r#"{{"id":"GHSA-deep1","database_specific":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let nested_unknown = format!(
        r#"{{"id":"GHSA-deep2","junk":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    write_zip(
        &zip_path,
        &[
            ("notes.txt".into(), b"not json".to_vec()),
            ("garbage.json".into(), b"\x00\xff{{{".to_vec()),
            ("array.json".into(), b"[1, 2, 3]".to_vec()),
            ("no-id.json".into(), br#"{"summary":"no id"}"#.to_vec()),
            ("bad-id.json".into(), br#"{"id":"has space"}"#.to_vec()),
            ("deep1.json".into(), nested_known.into_bytes()),
            ("deep2.json".into(), nested_unknown.into_bytes()),
            ("dir/".into(), Vec::new()),
            (
                "good.json".into(),
                record_json("GHSA-good", "npm", "good", "1.0.0", "2024-01-01T00:00:00Z")
                    .into_bytes(),
            ),
        ],
    );
    let stats =
        Database::import_with_limits(&zip_path, &temp.path().join("db"), &ImportLimits::default())
            .unwrap();
    let skipped: Vec<&str> = stats
        .skipped
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    for name in [
        "notes.txt",
        "garbage.json",
        "array.json",
        "no-id.json",
        "bad-id.json",
        "deep1.json",
    ] {
        assert!(skipped.contains(&name), "{name} in {skipped:?}");
    }
    // Nesting under an unknown field is skipped over without recursion: a valid record, naming
    // no package, so not stored.
    assert!(!skipped.contains(&"deep2.json"));
    assert_eq!(stats.unsupported, 1);
    assert_eq!(stats.records, 1);
    let db = Database::open(&temp.path().join("db")).unwrap();
    assert_eq!(db.lookup(Npm, "good").unwrap().len(), 1);
}

#[test]
fn hostile_package_names_cannot_break_the_index() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("src");
    std::fs::create_dir_all(&source).unwrap();
    for (i, name) in ["evil\tname", "evil\nname", "", &"x".repeat(5000), "fine"]
        .iter()
        .enumerate()
    {
        std::fs::write(
            source.join(format!("{i}.json")),
            record_json(
                &format!("GHSA-{i}"),
                "npm",
                name,
                "1.0.0",
                "2024-01-01T00:00:00Z",
            ),
        )
        .unwrap();
    }
    let db_dir = temp.path().join("db");
    Database::import(&source, &db_dir).unwrap();
    let db = Database::open(&db_dir).unwrap();
    assert_eq!(db.info().packages, 1);
    assert_eq!(db.lookup(Npm, "fine").unwrap().len(), 1);
    assert!(db.lookup(Npm, "evil\tname").unwrap().is_empty());
    assert!(db.lookup(Npm, "evil").unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Lookup speed

#[test]
fn a_thousand_lookups_in_a_large_database_are_fast() {
    let temp = tempfile::tempdir().unwrap();
    let zip_path = temp.path().join("large.zip");
    let entries: Vec<(String, Vec<u8>)> = (0..20_000)
        .map(|i| {
            let content = record_json(
                &format!("MAL-{i}"),
                "npm",
                &format!("package-{i}"),
                "1.0.0",
                "2024-01-01T00:00:00Z",
            );
            (format!("MAL-{i}.json"), content.into_bytes())
        })
        .collect();
    write_zip(&zip_path, &entries);
    let db_dir = temp.path().join("db");
    let stats = Database::import(&zip_path, &db_dir).unwrap();
    assert_eq!(stats.total_records, 20_000);

    let started = Instant::now();
    let db = Database::open(&db_dir).unwrap();
    let mut found = 0;
    for i in 0..1000 {
        // Half hit, half miss, as in a real lockfile.
        let name = if i % 2 == 0 {
            format!("package-{}", i * 19)
        } else {
            format!("absent-{i}")
        };
        found += db.lookup(Npm, &name).unwrap().len();
    }
    let elapsed = started.elapsed();
    assert_eq!(found, 500);
    // Generous for unoptimised test builds on a shared machine; a release build takes a few ms.
    assert!(
        elapsed.as_millis() < 2_000,
        "open + 1000 lookups took {elapsed:?}"
    );
    eprintln!("open + 1000 lookups over 20,000 packages: {elapsed:?}");
}
