//! `.skillaudit/exemptions.yml`: findings the security team accepted, each for a limited time.
//!
//! ```yaml
//! exemptions:
//!   - finding: "SSRF-001"                 # rule code; with `file`, only that file
//!     file: "src/tools/fetch.ts"
//!     justification: "fetch target is a fixed internal registry URL"
//!     exempted_by: "security-team@myorg.com"
//!     expires: "2026-09-10"               # last day it holds
//!     commit: "a3f7c9d"                   # commit it was granted at (recorded, optional)
//!   - fingerprint: "3f9a0c1d2e4b5a69"     # one finding exactly, as the report names it (or the
//!                                         # 8-digit prefix the text output shows)
//!     justification: "…"
//!     exempted_by: "…"
//!     expires: "2026-10-01"
//! ```
//!
//! An entry names `finding` (a rule code, optionally limited to one `file`), or `fingerprint`
//! (one finding, stable across runs and unrelated edits), or both (then both must match).
//! `justification`, `exempted_by` and `expires` are required: an exemption without a reason, an
//! owner or an end is not an exemption. Unknown keys are errors, so a typo (`expire:`) cannot
//! silently make an entry permanent.
//!
//! Applying the file to the findings of an audit ([`apply`]):
//! - an entry in force covers its findings: they stay in the report, marked with the exemption,
//!   deduct nothing and do not count against the gate;
//! - an entry past its `expires` date covers nothing and is reported as expired (a gate fails on
//!   it until it is renewed or removed);
//! - an entry in force that matches nothing is reported as unused (the finding was fixed, or the
//!   entry was written for another file), so stale entries are noticed.
//!
//! A malformed file or entry is an error naming the file and the line ([`ExemptionError`]).

use jiff::civil::Date;
use serde::Deserialize;
use serde_saphyr::Spanned;
use skillaudit_core::fingerprint::normalise_path;
use skillaudit_core::{AppliedExemption, ExemptionRecord, ExemptionState, Finding};
use std::fmt;

/// A parsed exemptions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemptions {
    /// How the file is named in reports (`.skillaudit/exemptions.yml`).
    pub file: String,
    pub entries: Vec<Exemption>,
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemption {
    /// Rule code (`SSRF-001`), upper case.
    pub finding: Option<String>,
    pub fingerprint: Option<String>,
    /// File the entry is limited to, normalised (`/` separators, no leading `./`).
    pub file: Option<String>,
    pub justification: String,
    pub exempted_by: String,
    /// Last day the entry holds.
    pub expires: Date,
    pub commit: Option<String>,
    /// Line of the entry in the file.
    pub line: u32,
    /// Where the entry comes from when not from the exemptions file itself (a baseline's
    /// `baseline FILE`); reports name it instead of `file:line`.
    pub origin: Option<String>,
}

/// An exemptions file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ExemptionError {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for ExemptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    exemptions: Option<Vec<Spanned<RawEntry>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    finding: Option<String>,
    fingerprint: Option<String>,
    file: Option<String>,
    justification: Option<String>,
    exempted_by: Option<String>,
    expires: Option<String>,
    commit: Option<String>,
}

/// Files larger than this are refused (an exemptions file is a short, reviewed list).
pub const MAX_EXEMPTIONS_BYTES: usize = 1024 * 1024;

/// Parses an exemptions file; `file` is how errors and reports name it.
pub fn parse(file: &str, text: &str) -> Result<Exemptions, ExemptionError> {
    let error = |line: Option<u32>, message: String| ExemptionError {
        file: file.to_string(),
        line,
        message,
    };
    if text.len() > MAX_EXEMPTIONS_BYTES {
        return Err(error(
            None,
            format!(
                "the file is {} bytes, over the {MAX_EXEMPTIONS_BYTES}-byte limit",
                text.len()
            ),
        ));
    }
    let has_content = text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.trim() != "---");
    if !has_content {
        return Ok(Exemptions {
            file: file.to_string(),
            entries: Vec::new(),
        });
    }
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| {
        let line = e
            .location()
            .map(|l| u32::try_from(l.line()).unwrap_or(u32::MAX))
            .filter(|l| *l > 0);
        error(line, first_line(&e.to_string()))
    })?;
    let mut entries = Vec::new();
    for spanned in raw.exemptions.unwrap_or_default() {
        let line = u32::try_from(spanned.referenced.line())
            .ok()
            .filter(|l| *l > 0)
            .or_else(|| u32::try_from(spanned.defined.line()).ok());
        let line = line.unwrap_or(0);
        let at = Some(line).filter(|l| *l > 0);
        let entry = spanned.value;
        let required = |value: Option<String>, key: &str| -> Result<String, ExemptionError> {
            match value.map(|v| v.trim().to_string()) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(error(
                    at,
                    format!("the entry has no `{key}`: it is required"),
                )),
            }
        };
        let finding = entry.finding.map(|c| c.trim().to_ascii_uppercase());
        if let Some(code) = &finding {
            if !is_rule_code(code) {
                return Err(error(
                    at,
                    format!("`finding: {code}` is not a rule code (like SSRF-001)"),
                ));
            }
        }
        let fingerprint = entry
            .fingerprint
            .map(|f| f.trim().to_ascii_lowercase())
            .filter(|f| !f.is_empty());
        if let Some(print) = &fingerprint {
            if !print.chars().all(|c| c.is_ascii_hexdigit()) || print.len() < 8 {
                return Err(error(
                    at,
                    format!("`fingerprint: {print}` is not a finding fingerprint (hex digits, as the report prints them)"),
                ));
            }
        }
        if finding.is_none() && fingerprint.is_none() {
            return Err(error(
                at,
                "the entry names neither `finding` (a rule code) nor `fingerprint`: it would exempt nothing".to_string(),
            ));
        }
        let justification = required(entry.justification, "justification")?;
        let exempted_by = required(entry.exempted_by, "exempted_by")?;
        let expires_text = required(entry.expires, "expires")?;
        let expires: Date = expires_text.parse().map_err(|_| {
            error(
                at,
                format!("`expires: {expires_text}` is not a date (YYYY-MM-DD)"),
            )
        })?;
        let file_limit = entry
            .file
            .map(|f| normalise_file(&f))
            .filter(|f| !f.is_empty());
        entries.push(Exemption {
            finding,
            fingerprint,
            file: file_limit,
            justification,
            exempted_by,
            expires,
            commit: entry
                .commit
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
            line,
            origin: None,
        });
    }
    Ok(Exemptions {
        file: file.to_string(),
        entries,
    })
}

/// What `skillaudit scan --baseline FILE` exempts: every finding whose fingerprint the baseline
/// lists (a previous report, or a file written by `skillaudit baseline`), for as long as the
/// baseline is given. Only findings that are new since the baseline then count against the gate.
/// `origin` is how reports name it (`baseline .skillaudit/baseline.json`).
pub fn baseline_entries(origin: &str, fingerprints: &[String]) -> Vec<Exemption> {
    let mut seen = std::collections::BTreeSet::new();
    fingerprints
        .iter()
        .map(|print| print.trim().to_ascii_lowercase())
        .filter(|print| print.len() >= 8 && print.chars().all(|c| c.is_ascii_hexdigit()))
        .filter(|print| seen.insert(print.clone()))
        .map(|print| Exemption {
            finding: None,
            fingerprint: Some(print),
            file: None,
            justification: "present in the baseline: not new".to_string(),
            exempted_by: "baseline".to_string(),
            expires: Date::MAX,
            commit: None,
            line: 0,
            origin: Some(origin.to_string()),
        })
        .collect()
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text).trim();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

fn is_rule_code(code: &str) -> bool {
    let Some((family, number)) = code.split_once('-') else {
        return false;
    };
    !family.is_empty()
        && family.chars().all(|c| c.is_ascii_uppercase())
        && number.len() == 3
        && number.chars().all(|c| c.is_ascii_digit())
}

fn normalise_file(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.trim_start_matches('/').to_string()
}

impl Exemption {
    /// Where the entry is, as reports name it: `.skillaudit/exemptions.yml:12`.
    pub fn source(&self, file: &str) -> String {
        match &self.origin {
            Some(origin) => origin.clone(),
            None => format!("{file}:{}", self.line),
        }
    }

    /// True when the entry is past its last day.
    pub fn expired(&self, today: Date) -> bool {
        today > self.expires
    }

    /// True when the entry names this finding.
    pub fn matches(&self, finding: &Finding) -> bool {
        if let Some(code) = &self.finding {
            if !finding.code.eq_ignore_ascii_case(code) {
                return false;
            }
        }
        if let Some(print) = &self.fingerprint {
            // The whole fingerprint, or the short prefix (8 or more digits) the text output shows.
            let matches = finding
                .fingerprint
                .get(..print.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(print));
            if !matches {
                return false;
            }
        }
        if let Some(file) = &self.file {
            let Some(found) = &finding.file else {
                return false;
            };
            let found = normalise_file(found);
            if found != *file && normalise_path(&found) != normalise_path(file) {
                return false;
            }
        }
        true
    }
}

/// Marks the findings the exemptions cover (as of `today`) and reports what became of every
/// entry. Findings already marked are left as they are.
pub fn apply(
    exemptions: &Exemptions,
    findings: &mut [Finding],
    today: Date,
) -> Vec<ExemptionRecord> {
    let mut records = Vec::with_capacity(exemptions.entries.len());
    for entry in &exemptions.entries {
        let source = entry.source(&exemptions.file);
        let expired = entry.expired(today);
        let mut matched = 0u32;
        if !expired {
            for finding in findings.iter_mut() {
                if finding.exemption.is_none() && entry.matches(finding) {
                    finding.exemption = Some(AppliedExemption {
                        justification: entry.justification.clone(),
                        exempted_by: entry.exempted_by.clone(),
                        expires: entry.expires.to_string(),
                        commit: entry.commit.clone(),
                        source: source.clone(),
                    });
                    matched = matched.saturating_add(1);
                }
            }
        }
        let state = if expired {
            ExemptionState::Expired
        } else if matched > 0 {
            ExemptionState::Applied
        } else {
            ExemptionState::Unused
        };
        records.push(ExemptionRecord {
            source,
            finding: entry.finding.clone(),
            fingerprint: entry.fingerprint.clone(),
            file: entry.file.clone(),
            expires: entry.expires.to_string(),
            exempted_by: entry.exempted_by.clone(),
            state,
            matched,
        });
    }
    records
}

/// The commented file `skillaudit init` writes next to the policy.
pub const INIT_TEMPLATE: &str = r#"# SkillAudit exemptions: findings the security team accepted, each for a limited time.
#
# An exempted finding is still reported (marked exempted) but deducts nothing and does not
# fail the gate. When `expires` passes, the entry stops exempting and the gate fails on it
# until it is renewed with a new justification or removed. Entries that match nothing are
# reported as unused.
#
# Each entry needs `finding` (a rule code, optionally limited to one `file`) or `fingerprint`
# (one finding, as the report prints it), plus `justification`, `exempted_by` and `expires`.
#
# exemptions:
#   - finding: "SSRF-001"
#     file: "src/tools/fetch.ts"
#     justification: "fetch target is a fixed internal registry URL; egress is blocked"
#     exempted_by: "security-team@example.com"
#     expires: "2026-12-31"
#     commit: "a3f7c9d"
exemptions: []
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use skillaudit_core::{Axis, Confidence, Severity, Surface};

    fn finding(code: &str, file: &str, print: &str) -> Finding {
        Finding {
            code: code.into(),
            axis: Axis::Security,
            severity: Severity::High,
            confidence: Confidence::High,
            message: "m".into(),
            file: Some(file.into()),
            line: Some(3),
            column: None,
            end_line: None,
            evidence: None,
            surface: Surface::Runtime,
            cwe: None,
            fingerprint: print.into(),
            fix: None,
            help_uri: None,
            tool: None,
            exemption: None,
        }
    }

    const SEED: &str = r#"# .github/security-exemptions/mcp-filesystem-server.yml
exemptions:
- finding: "SSRF-001"
  file: "src/tools/fetch.ts"
  justification: "fetch target is a fixed internal registry URL; runtime config prevents external calls"
  exempted_by: "security-team@myorg.com"
  expires: "2026-09-10"
  commit: "a3f7c9d"
- fingerprint: "00ff00ff00ff00ff"
  justification: "accepted"
  exempted_by: "lead@myorg.com"
  expires: 2027-01-31
"#;

    #[test]
    fn the_seed_shape_parses() {
        let parsed = parse(".skillaudit/exemptions.yml", SEED).unwrap();
        assert_eq!(parsed.entries.len(), 2);
        let first = &parsed.entries[0];
        assert_eq!(first.finding.as_deref(), Some("SSRF-001"));
        assert_eq!(first.file.as_deref(), Some("src/tools/fetch.ts"));
        assert_eq!(first.expires.to_string(), "2026-09-10");
        assert_eq!(first.commit.as_deref(), Some("a3f7c9d"));
        assert_eq!(first.line, 3);
        assert_eq!(parsed.entries[1].line, 9);
        assert_eq!(parse("x", INIT_TEMPLATE).unwrap().entries, Vec::new());
        assert_eq!(parse("x", "# nothing yet\n").unwrap().entries, Vec::new());
    }

    #[test]
    fn applying_marks_covered_findings_and_reports_every_entry() {
        let parsed = parse("ex.yml", SEED).unwrap();
        let mut findings = vec![
            finding("SSRF-001", "src/tools/fetch.ts", "aaaaaaaaaaaaaaaa"),
            finding("SSRF-001", "src/other.ts", "bbbbbbbbbbbbbbbb"),
            finding("CMD-001", "src/run.ts", "00ff00ff00ff00ff"),
        ];
        let today: Date = "2026-09-10".parse().unwrap();
        let records = apply(&parsed, &mut findings, today);
        assert!(findings[0].is_exempted());
        assert_eq!(findings[0].exemption.as_ref().unwrap().source, "ex.yml:3");
        assert!(!findings[1].is_exempted(), "another file is not covered");
        assert!(findings[2].is_exempted(), "by fingerprint");
        assert!(!findings[0].is_critical());
        assert_eq!(records[0].state, ExemptionState::Applied);
        assert_eq!(records[0].matched, 1);

        // The day after `expires`, the first entry stops exempting.
        let mut again: Vec<Finding> = findings
            .iter()
            .cloned()
            .map(|mut f| {
                f.exemption = None;
                f
            })
            .collect();
        let later: Date = "2026-09-11".parse().unwrap();
        let records = apply(&parsed, &mut again, later);
        assert!(!again[0].is_exempted());
        assert_eq!(records[0].state, ExemptionState::Expired);
        assert_eq!(records[1].state, ExemptionState::Applied);

        // Nothing to cover: unused.
        let mut none: Vec<Finding> = Vec::new();
        let records = apply(&parsed, &mut none, today);
        assert_eq!(records[0].state, ExemptionState::Unused);
    }

    #[test]
    fn short_fingerprints_and_baselines_match_by_prefix_or_whole() {
        let text = "exemptions:\n  - fingerprint: 00FF00FF\n    justification: x\n    exempted_by: y\n    expires: 2999-01-01\n";
        let parsed = parse("ex.yml", text).unwrap();
        let mut findings = vec![
            finding("CMD-001", "src/run.ts", "00ff00ff00ff00ff"),
            finding("CMD-001", "src/run.ts", "11ff00ff00ff00ff"),
        ];
        apply(&parsed, &mut findings, "2026-01-01".parse().unwrap());
        assert!(findings[0].is_exempted() && !findings[1].is_exempted());

        let baseline = Exemptions {
            file: "baseline.json".into(),
            entries: baseline_entries(
                "baseline baseline.json",
                &["11FF00FF00FF00FF".into(), "not-hex".into()],
            ),
        };
        assert_eq!(baseline.entries.len(), 1);
        let mut findings = vec![
            finding("CMD-001", "src/run.ts", "00ff00ff00ff00ff"),
            finding("CMD-001", "src/run.ts", "11ff00ff00ff00ff"),
        ];
        let records = apply(&baseline, &mut findings, "2026-01-01".parse().unwrap());
        assert!(!findings[0].is_exempted(), "new since the baseline");
        assert!(findings[1].is_exempted(), "in the baseline");
        assert_eq!(records[0].source, "baseline baseline.json");
    }

    #[test]
    fn malformed_entries_name_file_and_line() {
        let cases = [
            (
                "exemptions:\n  - finding: SSRF-001\n    justification: x\n    exempted_by: y\n",
                2,
                "`expires`",
            ),
            (
                "exemptions:\n  - finding: SSRF-001\n    justification: x\n    exempted_by: y\n    expires: next week\n",
                2,
                "not a date",
            ),
            (
                "exemptions:\n  - finding: SSRF-001\n    justification: x\n    exempted_by: y\n    expire: 2026-01-01\n",
                5,
                "expire",
            ),
            (
                "exemptions:\n  - file: a.ts\n    justification: x\n    exempted_by: y\n    expires: 2026-01-01\n",
                2,
                "neither",
            ),
            (
                "exemptions:\n  - finding: ssrf\n    justification: x\n    exempted_by: y\n    expires: 2026-01-01\n",
                2,
                "not a rule code",
            ),
            (
                "exemptions:\n- finding: SSRF-001\n  justification: \"\"\n  exempted_by: y\n  expires: 2026-01-01\n",
                2,
                "`justification`",
            ),
            ("exemptions: [\n", 1, "unclosed"),
        ];
        for (text, line, words) in cases {
            let err = parse(".skillaudit/exemptions.yml", text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
            assert!(err.message.contains(words), "{text:?}: {err}");
            assert!(err.to_string().starts_with(".skillaudit/exemptions.yml:"));
        }
    }

    #[test]
    fn hostile_yaml_is_an_error_not_a_hang() {
        let mut bomb =
            String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = name;
        }
        bomb.push_str("exemptions: *k\n");
        assert!(parse("x", &bomb).is_err());
        let huge = "#".repeat(MAX_EXEMPTIONS_BYTES + 1);
        assert!(parse("x", &huge).unwrap_err().message.contains("limit"));
    }
}
