//! The dependency graph: what every lockfile parser and the resolver produce.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Package ecosystem, named as OSV names it (`npm`, `PyPI`, `Go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DepEcosystem {
    #[serde(rename = "npm")]
    Npm,
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "Go")]
    Go,
}

impl DepEcosystem {
    /// The OSV ecosystem name.
    pub fn osv_name(self) -> &'static str {
        match self {
            DepEcosystem::Npm => "npm",
            DepEcosystem::PyPI => "PyPI",
            DepEcosystem::Go => "Go",
        }
    }

    /// The package-URL type (`pkg:npm/…`, `pkg:pypi/…`, `pkg:golang/…`).
    pub fn purl_type(self) -> &'static str {
        match self {
            DepEcosystem::Npm => "npm",
            DepEcosystem::PyPI => "pypi",
            DepEcosystem::Go => "golang",
        }
    }
}

impl fmt::Display for DepEcosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

/// One resolved package in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockPackage {
    pub ecosystem: DepEcosystem,
    /// Name as the registry spells it (npm: with scope; PyPI: as written, compare normalised).
    pub name: String,
    /// Exact resolved version, as written in the lockfile.
    pub version: String,
    /// Declared by the project itself (not only pulled in by another package).
    pub direct: bool,
    /// Only needed for development (npm `dev`, poetry `dev` group, Pipfile `develop`).
    pub dev: bool,
    /// Optional (npm `optional`, poetry extras).
    pub optional: bool,
    /// Names from a direct dependency down to this package, this package last
    /// (`["express", "body-parser", "qs"]`); `[name]` for a direct dependency; empty when the
    /// format does not record edges.
    pub path: Vec<String>,
    /// Resolved artifact URL, when the lockfile records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// Integrity / hash, when the lockfile records one (`sha512-…`, `sha256:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
}

/// The packages of one lockfile (or one resolution), and what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependencyGraph {
    /// Path of the lockfile relative to the target root (or `resolved from package.json`).
    pub source: String,
    /// Format name: `package-lock.json v3`, `pnpm-lock.yaml`, `yarn.lock v1`, `poetry.lock`, …
    pub format: String,
    pub packages: Vec<LockPackage>,
    /// Entries that could not be understood, one line each (never fatal).
    pub problems: Vec<String>,
}
