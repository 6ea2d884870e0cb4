//! OSV advisories: the record model, range matching, severity, alias merging, and the offline
//! database they are looked up in.
//!
//! | module | does |
//! |---|---|
//! | [`record`] | serde model of an OSV record, read tolerantly |
//! | [`matching`] | whether a record affects a package version (the schema's evaluation algorithm) |
//! | [`severity`](mod@severity) | a record's severity: CVSS base score, else GHSA rating |
//! | [`advisory`] | records naming each other in `aliases` merged into one [`Advisory`] |
//! | [`db`] | the offline database: import of OSV exports (directory or `all.zip`), storage, lookup |
//!
//! Typical use:
//!
//! ```no_run
//! use skillaudit_deps::osv::{Database, DbError};
//! use skillaudit_deps::DepEcosystem;
//!
//! # fn main() -> Result<(), DbError> {
//! let db = match Database::open(std::path::Path::new("/var/cache/skillaudit/osv")) {
//!     Err(missing @ DbError::Missing { .. }) => {
//!         eprintln!("{missing}"); // "no advisory database in …: run `skillaudit db update`"
//!         return Ok(());
//!     }
//!     other => other?,
//! };
//! let found = db.advisories_for(DepEcosystem::Npm, "lodash", "4.17.20")?;
//! for (advisory, matched) in &found.affecting {
//!     println!("{} {:?} fixed in {:?}", advisory.id, advisory.severity.level, matched.fixed);
//! }
//! # Ok(()) }
//! ```

pub mod advisory;
pub mod db;
pub mod matching;
pub mod record;
pub mod severity;

pub use advisory::{match_advisories, merge_aliases, Advisory, PackageAdvisories};
pub use db::{Database, DbError, DbInfo, ImportLimits, ImportStats};
pub use matching::{affected, normalize_name, Match, MatchError, MatchSource};
pub use record::OsvRecord;
pub use severity::{severity, AdvisorySeverity, Level};
