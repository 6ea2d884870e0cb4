//! Version ordering and ranges per ecosystem, on the cases that trip naive implementations.

use std::cmp::Ordering::{self, Equal, Greater, Less};

use skillaudit_deps::version::{
    compare, compare_semver, is_valid, npm_max_satisfying, npm_range_satisfied,
    pep440_max_satisfying, pep440_specifier_satisfied,
};
use skillaudit_deps::DepEcosystem::{self, Go, Npm, PyPI};

/// Checks every adjacent pair of an ascending chain, both ways round.
fn assert_ascending(eco: DepEcosystem, chain: &[&str]) {
    for pair in chain.windows(2) {
        assert_eq!(
            compare(eco, pair[0], pair[1]),
            Some(Less),
            "{eco}: {} < {}",
            pair[0],
            pair[1]
        );
        assert_eq!(
            compare(eco, pair[1], pair[0]),
            Some(Greater),
            "{eco}: {} > {}",
            pair[1],
            pair[0]
        );
    }
}

fn assert_order(eco: DepEcosystem, a: &str, b: &str, expected: Ordering) {
    assert_eq!(compare(eco, a, b), Some(expected), "{eco}: {a} vs {b}");
}

// ---------------------------------------------------------------------------------------------
// npm

#[test]
fn npm_prereleases_order_by_identifiers_then_below_the_release() {
    assert_ascending(
        Npm,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ],
    );
}

#[test]
fn npm_numeric_parts_compare_as_numbers() {
    assert_order(Npm, "1.10.0", "1.9.0", Greater);
    assert_order(Npm, "1.0.0-2", "1.0.0-10", Less);
    // Numeric identifiers sort below alphanumeric ones.
    assert_order(Npm, "1.0.0-1", "1.0.0-a", Less);
}

#[test]
fn npm_build_metadata_is_ignored_and_leading_v_or_equals_tolerated() {
    assert_order(Npm, "1.0.0+build.5", "1.0.0", Equal);
    assert_order(Npm, "v1.2.3", "1.2.3", Equal);
    assert_order(Npm, "=1.2.3", "1.2.3", Equal);
    assert_order(Npm, " 1.2.3 ", "1.2.3", Equal);
}

#[test]
fn npm_rejects_what_is_not_semver() {
    for bad in [
        "",
        "1",
        "1.2",
        "1.2.3.4",
        "01.2.3",
        "1.02.3",
        "1.2.3-",
        "1.2.3-01",
        "1.2.3+",
        "x",
        "latest",
        "^1.2.3",
        "1.2.3 foo",
        "9007199254740992.0.0",
        "1.2.3-a..b",
    ] {
        assert!(!is_valid(Npm, bad), "{bad:?} should be invalid");
        assert_eq!(compare(Npm, bad, "1.0.0"), None, "{bad:?}");
    }
}

#[test]
fn npm_caret_ranges() {
    let cases = [
        ("^1.2.3", "1.2.3", true),
        ("^1.2.3", "1.9.9", true),
        ("^1.2.3", "2.0.0", false),
        ("^1.2.3", "1.2.2", false),
        ("^0.2.3", "0.2.3", true),
        ("^0.2.3", "0.2.9", true),
        ("^0.2.3", "0.3.0", false),
        ("^0.0.3", "0.0.3", true),
        ("^0.0.3", "0.0.4", false),
    ];
    for (range, version, expected) in cases {
        assert_eq!(
            npm_range_satisfied(range, version),
            Some(expected),
            "{range} {version}"
        );
    }
}

#[test]
fn npm_tilde_and_x_ranges() {
    let cases = [
        ("~1.2", "1.2.0", true),
        ("~1.2", "1.2.99", true),
        ("~1.2", "1.3.0", false),
        ("~1.2.3", "1.2.5", true),
        ("~1.2.3", "1.3.0", false),
        ("1.x", "1.99.0", true),
        ("1.x", "2.0.0", false),
        ("1.2.*", "1.2.7", true),
        ("*", "3.4.5", true),
        ("", "3.4.5", true),
    ];
    for (range, version, expected) in cases {
        assert_eq!(
            npm_range_satisfied(range, version),
            Some(expected),
            "{range} {version}"
        );
    }
}

#[test]
fn npm_unions_and_hyphen_ranges() {
    let cases = [
        ("1.x || >=2.5.0", "1.4.0", true),
        ("1.x || >=2.5.0", "2.4.9", false),
        ("1.x || >=2.5.0", "2.5.0", true),
        ("1.x || >=2.5.0", "5.0.0", true),
        ("1.2.3 - 2.3.4", "1.2.3", true),
        ("1.2.3 - 2.3.4", "2.3.4", true),
        ("1.2.3 - 2.3.4", "2.3.5", false),
        // A partial upper bound in a hyphen range takes the whole minor.
        ("1.2.3 - 2.3", "2.3.9", true),
        ("1.2.3 - 2.3", "2.4.0", false),
        (">=1.0.0 <1.5.0", "1.4.9", true),
        (">=1.0.0 <1.5.0", "1.5.0", false),
    ];
    for (range, version, expected) in cases {
        assert_eq!(
            npm_range_satisfied(range, version),
            Some(expected),
            "{range} {version}"
        );
    }
}

#[test]
fn npm_prerelease_satisfies_only_ranges_naming_a_prerelease_of_the_same_triple() {
    assert_eq!(npm_range_satisfied(">=1.0.0", "2.0.0-beta.1"), Some(false));
    assert_eq!(
        npm_range_satisfied("^2.0.0-alpha", "2.0.0-beta.1"),
        Some(true)
    );
    assert_eq!(
        npm_range_satisfied("^2.0.0-alpha", "2.0.1-beta.1"),
        Some(false)
    );
    assert_eq!(npm_range_satisfied("*", "1.0.0-rc.1"), Some(false));
}

#[test]
fn npm_ranges_that_are_not_semver_answer_none() {
    assert_eq!(npm_range_satisfied("latest", "1.0.0"), None);
    assert_eq!(
        npm_range_satisfied("git+https://example.com/x.git", "1.0.0"),
        None
    );
    assert_eq!(npm_range_satisfied("^1.0.0", "not-a-version"), None);
    assert_eq!(
        npm_range_satisfied(&"1 || ".repeat(2000), "1.0.0"),
        None,
        "over the length cap"
    );
}

#[test]
fn npm_max_satisfying_picks_the_highest_match_as_written() {
    let versions = [
        "1.2.0",
        "v1.4.2",
        "1.10.0",
        "2.0.0",
        "1.11.0-beta.1",
        "garbage",
    ];
    assert_eq!(
        npm_max_satisfying("^1.2.0", &versions),
        Some("1.10.0".to_string())
    );
    assert_eq!(
        npm_max_satisfying("~1.4", &versions),
        Some("v1.4.2".to_string())
    );
    assert_eq!(npm_max_satisfying("^3", &versions), None);
    assert_eq!(npm_max_satisfying("latest", &versions), None);
}

// ---------------------------------------------------------------------------------------------
// PyPI (PEP 440)

#[test]
fn pep440_epoch_outranks_everything() {
    assert_order(PyPI, "1!1.0", "2.0", Greater);
    assert_order(PyPI, "1!0.1", "9999.0", Greater);
    assert_order(PyPI, "0!1.0", "1.0", Equal);
}

#[test]
fn pep440_dev_pre_final_post_order() {
    assert_ascending(
        PyPI,
        &[
            "1.0.dev0",
            "1.0.dev1",
            "1.0a1.dev0",
            "1.0a1",
            "1.0a2",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+local",
            "1.0.post1.dev0",
            "1.0.post1",
            "1.0.1",
        ],
    );
}

#[test]
fn pep440_local_versions_sort_above_their_public_version() {
    assert_order(PyPI, "1.0+local", "1.0", Greater);
    assert_order(PyPI, "1.0+abc.5", "1.0+abc.10", Less);
}

#[test]
fn pep440_normalises_spellings() {
    assert_order(PyPI, "1.0", "1.0.0", Equal);
    assert_order(PyPI, "1.0-post1", "1.0.post1", Equal);
    assert_order(PyPI, "1.0.alpha1", "1.0a1", Equal);
    assert_order(PyPI, "1.0c1", "1.0rc1", Equal);
    assert_order(PyPI, "v1.0", "1.0", Equal);
}

#[test]
fn pep440_rejects_what_is_not_a_version() {
    for bad in [
        "",
        "abc",
        "1.0+",
        "1.0.*",
        "99999999999999999999999.0",
        "1.0 2.0",
        &"1.".repeat(200),
    ] {
        assert!(!is_valid(PyPI, bad), "{bad:?} should be invalid");
    }
}

#[test]
fn pep440_specifiers() {
    let cases = [
        (">=1.0,<2.0", "1.5", true),
        (">=1.0,<2.0", "2.0", false),
        ("~=1.4.2", "1.4.9", true),
        ("~=1.4.2", "1.5.0", false),
        ("==1.*", "1.9.3", true),
        ("!=1.3", "1.3.0", false),
        ("", "7.0", true),
        // `>1.0` does not admit post-releases of 1.0, nor local versions of it.
        (">1.0", "1.0.post1", false),
        (">1.0", "1.0.1", true),
        // `<2.0` does not admit pre-releases of 2.0.
        ("<2.0", "2.0rc1", false),
        ("==1.0", "1.0+local", true),
    ];
    for (spec, version, expected) in cases {
        assert_eq!(
            pep440_specifier_satisfied(spec, version, false),
            Some(expected),
            "{spec} {version}"
        );
    }
}

#[test]
fn pep440_prereleases_need_consent_or_a_prerelease_specifier() {
    assert_eq!(
        pep440_specifier_satisfied(">=1.0", "2.0b1", false),
        Some(false)
    );
    assert_eq!(
        pep440_specifier_satisfied(">=1.0", "2.0b1", true),
        Some(true)
    );
    assert_eq!(
        pep440_specifier_satisfied(">=2.0a1", "2.0b1", false),
        Some(true)
    );
    assert_eq!(
        pep440_specifier_satisfied(">=1.0", "2.0.dev3", false),
        Some(false)
    );
}

#[test]
fn pep440_bad_specifiers_answer_none() {
    assert_eq!(pep440_specifier_satisfied(">=1.0;", "1.0", false), None);
    assert_eq!(pep440_specifier_satisfied("~=1", "1.0", false), None);
    assert_eq!(
        pep440_specifier_satisfied(">=1.0", "not a version", false),
        None
    );
}

#[test]
fn pep440_max_satisfying_falls_back_to_prereleases_only_when_nothing_final_fits() {
    let versions = ["1.0", "1.5", "2.0rc1", "1.9.post1", "junk"];
    assert_eq!(
        pep440_max_satisfying(">=1.0", &versions, false),
        Some("1.9.post1".to_string())
    );
    assert_eq!(
        pep440_max_satisfying(">=1.0", &versions, true),
        Some("2.0rc1".to_string())
    );
    assert_eq!(
        pep440_max_satisfying(">=2.0a0", &versions, false),
        Some("2.0rc1".to_string())
    );
    assert_eq!(
        pep440_max_satisfying(">1.9.post1", &["2.0rc1"], false),
        Some("2.0rc1".to_string())
    );
    assert_eq!(pep440_max_satisfying(">=3", &versions, false), None);
}

// ---------------------------------------------------------------------------------------------
// Go

#[test]
fn go_versions_need_their_v() {
    assert_eq!(compare(Go, "1.2.3", "v1.2.3"), None);
    assert!(is_valid(Go, "v1.2.3"));
    assert!(!is_valid(Go, "1.2.3"));
}

#[test]
fn go_pseudo_versions_sort_as_prereleases() {
    assert_ascending(
        Go,
        &[
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            "v0.0.1",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4",
        ],
    );
}

#[test]
fn go_incompatible_suffix_is_ignored_for_ordering() {
    assert_order(Go, "v2.0.0+incompatible", "v2.0.0", Equal);
    assert_order(Go, "v2.1.0+incompatible", "v2.0.0", Greater);
}

#[test]
fn go_shorthands_and_invalid_forms() {
    assert_order(Go, "v1", "v1.0.0", Equal);
    assert_order(Go, "v1.2", "v1.2.0", Equal);
    for bad in [
        "v",
        "v01.0.0",
        "v1.0.0-01",
        "v1.2.3.4",
        "v1.2-pre",
        "vx",
        "",
        "v1.0.0+",
    ] {
        assert!(!is_valid(Go, bad), "{bad:?} should be invalid");
    }
}

// ---------------------------------------------------------------------------------------------
// Plain SemVer (OSV SEMVER ranges) and hostile input

#[test]
fn semver_precedence_handles_numbers_beyond_u64() {
    assert_eq!(
        compare_semver(
            "1.0.0-99999999999999999999999",
            "1.0.0-100000000000000000000000"
        ),
        Some(Less)
    );
    assert_eq!(
        compare_semver("18446744073709551616.0.0", "18446744073709551615.0.0"),
        Some(Greater)
    );
    assert_eq!(compare_semver("1.0", "1.0.0"), None);
}

#[test]
fn hostile_strings_never_panic_and_are_refused() {
    let long = "1".repeat(10_000);
    let nested = format!("1.0.0-{}", "a.".repeat(5_000));
    let inputs = [
        long.as_str(),
        nested.as_str(),
        "\u{0}",
        "1.0.0-\u{1F600}",
        "１.０.０",
        "-1.0.0",
        "1.-0.0",
        "v-",
        "!",
        "1!",
        "+",
        "1.0.0++",
        "🦀",
    ];
    for eco in [Npm, PyPI, Go] {
        for input in inputs {
            assert_eq!(compare(eco, input, "1.0.0"), None, "{eco}: {input:?}");
        }
    }
    assert_eq!(npm_range_satisfied(&long, "1.0.0"), None);
    assert_eq!(
        pep440_specifier_satisfied(&format!(">={long}"), "1.0", false),
        None
    );
}

#[test]
fn prereleases_and_majors() {
    use skillaudit_deps::version::{is_prerelease, major};
    use skillaudit_deps::DepEcosystem::{Go, Npm, PyPI};
    let cases = [
        (Npm, "2.0.0-beta.1", Some(true), Some(2)),
        (Npm, "2.0.0+build.5", Some(false), Some(2)),
        (Npm, "v10.1.0", Some(false), Some(10)),
        (Npm, "latest", None, None),
        (PyPI, "2.0rc1", Some(true), Some(2)),
        (PyPI, "1.0.dev3", Some(true), Some(1)),
        (PyPI, "1.0.post1", Some(false), Some(1)),
        (PyPI, "1!2.3", Some(false), Some(2)),
        (
            Go,
            "v0.0.0-20191109021931-daa7c04131f5",
            Some(true),
            Some(0),
        ),
        (Go, "v2.3.0+incompatible", Some(false), Some(2)),
    ];
    for (eco, version, pre, maj) in cases {
        assert_eq!(is_prerelease(eco, version), pre, "{eco} {version}");
        assert_eq!(major(eco, version), maj, "{eco} {version}");
    }
}
