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

/// Decodes standard or URL-safe base64, padded or not; `None` for anything else. Registry
/// documents carry hashes (npm `integrity`) and attestation payloads this way.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::alphabet::{STANDARD, URL_SAFE};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let text = text.trim();
    GeneralPurpose::new(&STANDARD, config)
        .decode(text)
        .or_else(|_| GeneralPurpose::new(&URL_SAFE, config).decode(text))
        .ok()
        .filter(|bytes| !bytes.is_empty())
}
