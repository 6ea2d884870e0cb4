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

/// Decodes standard or URL-safe base64 (padding optional); `None` for anything else. Registry
/// documents carry hashes (npm `integrity`) and attestation payloads this way.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for c in text.trim().bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        buffer = ((buffer << 6) | u32::from(value)) & 0x00ff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    (!out.is_empty()).then_some(out)
}
