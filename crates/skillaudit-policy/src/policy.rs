//! `skillaudit.toml`: an organisation's policy as named environments, each a [`Gate`].
//!
//! ```toml
//! default_env = "ci"                       # used when --env is not given (optional)
//! exemptions = ".skillaudit/exemptions.yml" # where exemptions live (optional; this is the default)
//!
//! [env.production]
//! description = "Production: internal data, no PII"
//! min_grade = "B"
//! min_axis = { "*" = "B", security = "A" } # "*" sets all six axes, a named axis overrides it
//! block_on_critical = true
//! no_f_axis = true
//! fail_open = false
//! require_advisories = true               # no advisory database, or a stale one, fails
//! advisories_max_age_days = 7              # how stale it may be (the default)
//! ```
//!
//! Without a policy file, `--env` chooses from the built-in table ([`builtin`]), which is the
//! reference policy: production-pii A, production B, staging B, development C, ci C; every axis
//! floored at the environment's grade, no F axis and no critical finding anywhere (a lower grade
//! floor tolerates more weaknesses, never one a prompt can exploit on the runtime surface), and a
//! current advisory database required in production-pii, production and staging. `skillaudit init` writes the same
//! table as a commented file ([`INIT_TEMPLATE`]) to adapt.
//!
//! Every error names the file and the line: unknown keys, unknown axes, grades that are not
//! A–F, a `default_env` that names no environment.

use crate::gate::{axis_names, parse_grade, Gate};
use crate::line_at;
use serde::Deserialize;
use skillaudit_core::{Axis, Grade};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// Default place of the exemptions file, relative to the repository root.
pub const DEFAULT_EXEMPTIONS_PATH: &str = ".skillaudit/exemptions.yml";

/// A parsed policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Environment used when `--env` is not given.
    pub default_env: Option<String>,
    /// Exemptions file path, relative to the policy file.
    pub exemptions: Option<String>,
    pub envs: BTreeMap<String, Environment>,
}

/// One named environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub description: Option<String>,
    pub gate: Gate,
}

/// A policy file that cannot be used, with the place of the mistake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    default_env: Option<Spanned<String>>,
    exemptions: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, Spanned<RawEnv>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    description: Option<String>,
    min_grade: Option<Spanned<String>>,
    #[serde(default)]
    min_axis: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    block_on_critical: bool,
    #[serde(default)]
    no_f_axis: bool,
    #[serde(default)]
    fail_open: bool,
    #[serde(default)]
    require_advisories: bool,
    advisories_max_age_days: Option<Spanned<u32>>,
}

/// Parses a policy file; `file` is how errors name it.
pub fn parse(file: &str, text: &str) -> Result<Policy, PolicyError> {
    let error = |line: Option<u32>, message: String| PolicyError {
        file: file.to_string(),
        line,
        message,
    };
    let raw: RawPolicy = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| line_at(text, span.start));
        error(line, e.message().trim().to_string())
    })?;
    let mut envs = BTreeMap::new();
    for (name, spanned) in raw.env {
        let line = line_at(text, spanned.span().start);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(error(
                Some(line),
                format!("environment name {name:?} may hold only letters, digits, '-' and '_'"),
            ));
        }
        let raw_env = spanned.into_inner();
        let mut gate = Gate {
            block_on_critical: raw_env.block_on_critical,
            no_f_axis: raw_env.no_f_axis,
            fail_open: raw_env.fail_open,
            require_advisories: raw_env.require_advisories,
            ..Gate::default()
        };
        if let Some(days) = &raw_env.advisories_max_age_days {
            if *days.get_ref() == 0 {
                return Err(error(
                    Some(line_at(text, days.span().start)),
                    "advisories_max_age_days must be at least 1".to_string(),
                ));
            }
            gate.advisories_max_age_days = Some(*days.get_ref());
        }
        if let Some(grade) = &raw_env.min_grade {
            gate.min_grade = Some(
                parse_grade(grade.get_ref())
                    .map_err(|m| error(Some(line_at(text, grade.span().start)), m))?,
            );
        }
        // "*" first, then named axes override it.
        let mut all: Option<Grade> = None;
        let mut named = BTreeMap::new();
        for (axis, grade) in &raw_env.min_axis {
            let at = Some(line_at(text, grade.span().start));
            let parsed = parse_grade(grade.get_ref()).map_err(|m| error(at, m))?;
            if axis.trim() == "*" {
                all = Some(parsed);
            } else {
                let axis_value = Axis::parse(axis).ok_or_else(|| {
                    error(
                        at,
                        format!(
                            "unknown axis {axis:?} in min_axis: expected \"*\" or one of {}",
                            axis_names()
                        ),
                    )
                })?;
                named.insert(axis_value, parsed);
            }
        }
        if let Some(all) = all {
            for axis in Axis::ALL {
                gate.min_axis.insert(axis, all);
            }
        }
        gate.min_axis.extend(named);
        envs.insert(
            name.clone(),
            Environment {
                name,
                description: raw_env.description,
                gate,
            },
        );
    }
    let default_env = match raw.default_env {
        Some(spanned) => {
            let name = spanned.get_ref().clone();
            if !envs.contains_key(&name) {
                return Err(error(
                    Some(line_at(text, spanned.span().start)),
                    format!(
                        "default_env {name:?} names no environment (defined: {})",
                        names(&envs)
                    ),
                ));
            }
            Some(name)
        }
        None => None,
    };
    Ok(Policy {
        default_env,
        exemptions: raw.exemptions,
        envs,
    })
}

fn names(envs: &BTreeMap<String, Environment>) -> String {
    if envs.is_empty() {
        return "none".to_string();
    }
    envs.keys().cloned().collect::<Vec<_>>().join(", ")
}

impl Policy {
    /// The environment called `name`, or the default one when `name` is `None`.
    /// `Ok(None)` when no name is given and the policy has no default.
    pub fn environment(&self, name: Option<&str>) -> Result<Option<&Environment>, String> {
        let Some(name) = name.or(self.default_env.as_deref()) else {
            return Ok(None);
        };
        self.envs.get(name).map(Some).ok_or_else(|| {
            format!(
                "no environment {name:?} in the policy (defined: {})",
                names(&self.envs)
            )
        })
    }
}

/// The reference policy (seeds/002): used by `--env` when there is no `skillaudit.toml`.
pub fn builtin() -> Policy {
    // The template is part of the binary and pinned by a test; should it ever fail to parse, an
    // empty policy makes every `--env` an error that says so, rather than a crash.
    parse("built-in policy", INIT_TEMPLATE).unwrap_or(Policy {
        default_env: None,
        exemptions: None,
        envs: BTreeMap::new(),
    })
}

/// The file `skillaudit init` writes: the reference policy, commented.
pub const INIT_TEMPLATE: &str = r#"# SkillAudit policy: the grade an MCP server or agent skill must reach, per environment.
#
#   skillaudit scan ./server --env production
#
# picks an environment below. Flags given on the command line (--min-grade, --min-axis,
# --block-on-critical, --no-f-axis) can only tighten the environment, never loosen it.
# A report that is not complete (a runtime file skipped, a download failed) never passes,
# and an expired exemption fails the gate until it is renewed or removed.
#
# require_advisories = true fails the gate when the dependency audit had no advisory database,
# or one older than advisories_max_age_days (default 7): run `skillaudit db update` in the job
# (the files `skillaudit init-ci` writes do), or `skillaudit db import` where there is no network.
#
# Grades: A (85-100), B (65-84), C (50-64), D (35-49), F (below 35).
# Axes: security, credentials, permissions, maintenance, compatibility, documentation.
# min_axis = { "*" = "B" } floors all six axes; a named axis overrides it.

# Environment used when --env is not given. Remove it to make the gate opt-in.
# default_env = "ci"

# Exemptions: findings the security team accepted for a limited time (see `skillaudit init`).
exemptions = ".skillaudit/exemptions.yml"

[env.production-pii]
description = "Production with customer PII or financial data: no exceptions"
min_grade = "A"
min_axis = { "*" = "A" }
block_on_critical = true
no_f_axis = true
require_advisories = true

[env.production]
description = "Production with internal data, no PII"
min_grade = "B"
min_axis = { "*" = "B" }
block_on_critical = true
no_f_axis = true
require_advisories = true

[env.staging]
description = "Staging that mirrors production (real data snapshots count as production)"
min_grade = "B"
min_axis = { "*" = "B" }
block_on_critical = true
no_f_axis = true
require_advisories = true

[env.development]
description = "Developer machines with development credentials only"
min_grade = "C"
min_axis = { "*" = "C" }
block_on_critical = true
no_f_axis = true

[env.ci]
description = "CI with ephemeral credentials only, isolated from production"
min_grade = "C"
min_axis = { "*" = "C" }
block_on_critical = true
no_f_axis = true
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_policy_holds_the_seed_table() {
        let policy = parse("skillaudit.toml", INIT_TEMPLATE).unwrap();
        let expected = [
            ("production-pii", Grade::A),
            ("production", Grade::B),
            ("staging", Grade::B),
            ("development", Grade::C),
            ("ci", Grade::C),
        ];
        assert_eq!(policy.envs.len(), expected.len());
        for (name, grade) in expected {
            let env = &policy.envs[name];
            assert_eq!(env.gate.min_grade, Some(grade), "{name}");
            assert!(env.gate.no_f_axis, "{name}: no F axis anywhere");
            assert!(
                env.gate.block_on_critical,
                "{name}: critical findings block every environment, ci and development too"
            );
            assert_eq!(
                env.gate.require_advisories,
                matches!(name, "production-pii" | "production" | "staging"),
                "{name}: production and staging need a current advisory database"
            );
            for axis in Axis::ALL {
                assert_eq!(env.gate.min_axis[&axis], grade, "{name} {axis}");
            }
        }
        assert_eq!(builtin(), policy);
        assert_eq!(policy.exemptions.as_deref(), Some(DEFAULT_EXEMPTIONS_PATH));
    }

    #[test]
    fn named_axes_override_the_star() {
        let text = "[env.prod]\nmin_axis = { \"*\" = \"B\", security = \"A\" }\n";
        let policy = parse("p.toml", text).unwrap();
        let gate = &policy.envs["prod"].gate;
        assert_eq!(gate.min_axis[&Axis::Security], Grade::A);
        assert_eq!(gate.min_axis[&Axis::Documentation], Grade::B);
        assert_eq!(gate.min_grade, None);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "[env.prod]\nmin_grade = \"B\"\nmin_grade_typo = \"A\"\n",
                3,
                "unknown field",
            ),
            ("[env.prod]\n\nmin_grade = \"E\"\n", 3, "unknown grade"),
            (
                "[env.prod]\nmin_axis = { speed = \"A\" }\n",
                2,
                "unknown axis",
            ),
            (
                "default_env = \"prod\"\n[env.ci]\nmin_grade = \"C\"\n",
                1,
                "names no environment",
            ),
            ("[env.prod\nmin_grade = \"B\"\n", 1, ""),
            ("[env.\"a b\"]\nmin_grade = \"B\"\n", 1, "environment name"),
            (
                "[env.prod]\nrequire_advisories = true\nadvisories_max_age_days = 0\n",
                3,
                "at least 1",
            ),
        ];
        for (text, line, words) in cases {
            let err = parse("skillaudit.toml", text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
            assert!(err.message.contains(words), "{text:?}: {err}");
            assert!(err
                .to_string()
                .starts_with(&format!("skillaudit.toml:{line}: ")));
        }
    }

    #[test]
    fn environments_are_chosen_by_name_or_default() {
        let text =
            "default_env = \"ci\"\n[env.ci]\nmin_grade = \"C\"\n[env.prod]\nmin_grade = \"B\"\n";
        let policy = parse("p", text).unwrap();
        assert_eq!(policy.environment(None).unwrap().unwrap().name, "ci");
        assert_eq!(
            policy.environment(Some("prod")).unwrap().unwrap().name,
            "prod"
        );
        assert!(policy
            .environment(Some("nope"))
            .unwrap_err()
            .contains("defined: ci, prod"));
        let no_default = parse("p", "[env.ci]\n").unwrap();
        assert_eq!(no_default.environment(None), Ok(None));
    }
}
