//! The dependency audit (SPEC §6): which packages a server pulls in, and what is known against
//! them.
//!
//! | module | does |
//! |---|---|
//! | [`model`] | the dependency graph every parser and resolver produces |
//! | [`lockfile`] | parsers for every lockfile format (npm, pnpm, yarn, bun, poetry, uv, Pipfile, requirements, go) |
//! | [`version`] | npm semver and PEP 440 ordering and ranges, as OSV and the registries mean them |
//! | [`osv`] | the offline OSV advisory database: import, storage, lookup, range matching |
//! | [`sbom`] | CycloneDX 1.6 JSON |
//!
//! Nothing here touches the network: registry metadata comes in through the
//! [`resolve::Registry`] trait, implemented by the engine over SkillAudit's HTTP client and by
//! tests over recorded responses.

pub mod lockfile;
pub mod model;
pub mod osv;
pub mod resolve;
pub mod sbom;
pub mod version;

pub use model::{DepEcosystem, DependencyGraph, LockPackage};
