//! CycloneDX 1.6 JSON SBOM (`skillaudit sbom TARGET`, `scan --sbom FILE`).
//!
//! Hand-written serde structures for the part of CycloneDX 1.6 SkillAudit fills (the
//! `cyclonedx-bom` crate stops at 1.5 and is heavy): the audited package as
//! `metadata.component`, every dependency as a `library` component with its package URL, hashes
//! from the lockfile's integrity, the distribution URL and the scope (`excluded` for development
//! dependencies, `optional` for optional ones); the dependency edges known from the lockfile's
//! paths; and the advisories that match, as `vulnerabilities` with ratings and the fix version.
//! Every document is validated against the official CycloneDX 1.6 schema in the tests.
//!
//! The serial number is derived from the content (a name-based UUID over the component list), so
//! the same input gives the same SBOM byte for byte apart from the timestamp.

use crate::model::{DepEcosystem, LockPackage};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The audited package itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootComponent {
    pub ecosystem: Option<DepEcosystem>,
    pub name: String,
    pub version: Option<String>,
    /// Licence expression or name declared by the package.
    pub license: Option<String>,
    /// Source repository URL.
    pub repository: Option<String>,
}

/// An advisory to list in the SBOM.
#[derive(Debug, Clone, PartialEq)]
pub struct SbomVulnerability {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// `critical`, `high`, `medium`, `low` or `unknown`.
    pub severity: String,
    pub score: Option<f64>,
    /// CVSS vector, e.g. `CVSS:3.1/AV:N/…`.
    pub vector: Option<String>,
    /// The affected component (ecosystem, name, version).
    pub affects: (DepEcosystem, String, String),
    /// Versions that fix it.
    pub fixed: Vec<String>,
    /// Where the advisory came from (`OSV`, `PyPI`).
    pub source: String,
}

/// The package URL of a package (purl spec): `pkg:npm/%40scope/name@1.0.0`,
/// `pkg:pypi/name@1.0`, `pkg:golang/github.com/org/mod@v1.2.3`.
pub fn purl(ecosystem: DepEcosystem, name: &str, version: &str) -> String {
    let name = match ecosystem {
        DepEcosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some((scope, rest)) => format!("%40{}/{}", encode(scope), encode(rest)),
            None => encode(name),
        },
        DepEcosystem::PyPI => encode(&normalise_pypi(name)),
        DepEcosystem::Go => name.split('/').map(encode).collect::<Vec<_>>().join("/"),
    };
    format!("pkg:{}/{name}@{}", ecosystem.purl_type(), encode(version))
}

/// PEP 503 normalisation, as package URLs for PyPI require.
fn normalise_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !out.is_empty() {
                out.push('-');
            }
            separator = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Percent-encodes everything but unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'+') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Serialize)]
struct Metadata {
    timestamp: String,
    tools: Tools,
    component: Component,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<ToolComponent>,
}

#[derive(Serialize)]
struct ToolComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: String,
}

#[derive(Serialize)]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<License>,
    #[serde(rename = "externalReferences", skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Hash {
    alg: &'static str,
    content: String,
}

#[derive(Serialize)]
struct License {
    license: LicenseName,
}

#[derive(Serialize)]
struct LicenseName {
    name: String,
}

#[derive(Serialize)]
struct ExternalReference {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct Property {
    name: String,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

#[derive(Serialize)]
struct Vulnerability {
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    id: String,
    source: Source,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<VulnReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ratings: Vec<Rating>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendation: Option<String>,
    affects: Vec<Affect>,
}

#[derive(Serialize)]
struct Source {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct VulnReference {
    id: String,
    source: Source,
}

#[derive(Serialize)]
struct Rating {
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    severity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vector: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Affect {
    #[serde(rename = "ref")]
    reference: String,
}

/// Turns an npm integrity (`sha512-<base64>`) or a `sha256:<hex>` / `sha256=<hex>` hash into a
/// CycloneDX hash.
fn hash_of(integrity: &str) -> Option<Hash> {
    let integrity = integrity.split_whitespace().next()?;
    if let Some((alg, b64)) = integrity.split_once('-') {
        let alg = match alg {
            "sha512" => "SHA-512",
            "sha384" => "SHA-384",
            "sha256" => "SHA-256",
            "sha1" => "SHA-1",
            _ => return None,
        };
        let bytes = crate::decode_base64(b64)?;
        return Some(Hash {
            alg,
            content: bytes.iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    let (alg, hex) = integrity
        .split_once(':')
        .or_else(|| integrity.split_once('='))?;
    let alg = match alg {
        "sha256" => "SHA-256",
        "sha512" => "SHA-512",
        "sha1" => "SHA-1",
        _ => return None,
    };
    let hex = hex.to_ascii_lowercase();
    let expected = match alg {
        "SHA-256" => 64,
        "SHA-512" => 128,
        _ => 40,
    };
    (hex.len() == expected && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then_some(Hash { alg, content: hex })
}

fn component_for(package: &LockPackage, license: Option<&String>) -> Component {
    let purl = purl(package.ecosystem, &package.name, &package.version);
    let (group, name) = match (package.ecosystem, package.name.strip_prefix('@')) {
        (DepEcosystem::Npm, Some(rest)) => match rest.split_once('/') {
            Some((scope, name)) => (Some(format!("@{scope}")), name.to_string()),
            None => (None, package.name.clone()),
        },
        _ => (None, package.name.clone()),
    };
    let scope = if package.dev {
        "excluded"
    } else if package.optional {
        "optional"
    } else {
        "required"
    };
    let mut properties = vec![Property {
        name: "skillaudit:dependency".into(),
        value: if package.direct {
            "direct"
        } else {
            "transitive"
        }
        .into(),
    }];
    if package.path.len() > 1 {
        properties.push(Property {
            name: "skillaudit:path".into(),
            value: package.path.join(" > "),
        });
    }
    Component {
        kind: "library",
        bom_ref: purl.clone(),
        group,
        name,
        version: Some(package.version.clone()),
        scope: Some(scope),
        purl: Some(purl),
        hashes: package
            .integrity
            .as_deref()
            .and_then(hash_of)
            .into_iter()
            .collect(),
        licenses: license
            .map(|name| License {
                license: LicenseName { name: name.clone() },
            })
            .into_iter()
            .collect(),
        external_references: package
            .resolved
            .iter()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .map(|url| ExternalReference {
                kind: "distribution",
                url: url.clone(),
            })
            .collect(),
        properties,
    }
}

fn uuid_from(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50; // version 5 (name-based)
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn source_of(id: &str, fallback: &str) -> Source {
    let (name, url) = if id.starts_with("GHSA-") {
        (
            "GitHub Advisory Database",
            format!("https://github.com/advisories/{id}"),
        )
    } else if id.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else {
        (fallback, format!("https://osv.dev/vulnerability/{id}"))
    };
    Source {
        name: name.to_string(),
        url: Some(url),
    }
}

/// Licences known for packages, by (ecosystem, name, version).
pub type Licenses = BTreeMap<(DepEcosystem, String, String), String>;

/// Writes the SBOM as pretty JSON.
pub fn cyclonedx_json(
    root: &RootComponent,
    packages: &[LockPackage],
    vulnerabilities: &[SbomVulnerability],
    tool_version: &str,
    timestamp: &str,
) -> String {
    cyclonedx_json_with_licenses(
        root,
        packages,
        vulnerabilities,
        &Licenses::new(),
        tool_version,
        timestamp,
    )
}

/// [`cyclonedx_json`] with the licences the registries list for the packages.
pub fn cyclonedx_json_with_licenses(
    root: &RootComponent,
    packages: &[LockPackage],
    vulnerabilities: &[SbomVulnerability],
    licenses: &Licenses,
    tool_version: &str,
    timestamp: &str,
) -> String {
    let root_ref = match (root.ecosystem, &root.version) {
        (Some(eco), Some(version)) => purl(eco, &root.name, version),
        _ => format!("root:{}", root.name),
    };
    // One component per (ecosystem, name, version).
    let mut seen = BTreeSet::new();
    let mut components = Vec::new();
    for package in packages {
        if seen.insert((
            package.ecosystem,
            package.name.clone(),
            package.version.clone(),
        )) {
            let key = (
                package.ecosystem,
                package.name.clone(),
                package.version.clone(),
            );
            components.push(component_for(package, licenses.get(&key)));
        }
    }
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    let refs: BTreeSet<String> = components.iter().map(|c| c.bom_ref.clone()).collect();
    // Edges: root → direct dependencies; parent → child from each recorded path.
    let by_name: BTreeMap<(DepEcosystem, &str), String> = packages
        .iter()
        .map(|p| {
            (
                (p.ecosystem, p.name.as_str()),
                purl(p.ecosystem, &p.name, &p.version),
            )
        })
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.insert(root_ref.clone(), BTreeSet::new());
    for reference in &refs {
        edges.insert(reference.clone(), BTreeSet::new());
    }
    for package in packages {
        let own = purl(package.ecosystem, &package.name, &package.version);
        if package.direct {
            edges
                .entry(root_ref.clone())
                .or_default()
                .insert(own.clone());
        }
        if package.path.len() >= 2 {
            let parent = &package.path[package.path.len() - 2];
            if let Some(parent_ref) = by_name.get(&(package.ecosystem, parent.as_str())) {
                if parent_ref != &own {
                    edges.entry(parent_ref.clone()).or_default().insert(own);
                }
            }
        }
    }
    let dependencies = edges
        .into_iter()
        .map(|(reference, depends_on)| Dependency {
            reference,
            depends_on: depends_on.into_iter().collect(),
        })
        .collect();

    let mut vulns = Vec::new();
    for (index, vuln) in vulnerabilities.iter().enumerate() {
        let (eco, name, version) = &vuln.affects;
        let affected = purl(*eco, name, version);
        let method = vuln.vector.as_deref().and_then(|v| {
            if v.starts_with("CVSS:4.0") {
                Some("CVSSv4")
            } else if v.starts_with("CVSS:3.1") {
                Some("CVSSv31")
            } else if v.starts_with("CVSS:3.0") {
                Some("CVSSv3")
            } else if v.starts_with("AV:") || v.starts_with("(AV:") {
                Some("CVSSv2")
            } else {
                None
            }
        });
        let severity = match vuln.severity.as_str() {
            "critical" | "high" | "medium" | "low" | "info" | "none" => vuln.severity.clone(),
            _ => "unknown".to_string(),
        };
        vulns.push(Vulnerability {
            bom_ref: format!("vuln-{}-{index}", vuln.id),
            id: vuln.id.clone(),
            source: source_of(&vuln.id, &vuln.source),
            references: vuln
                .aliases
                .iter()
                .map(|alias| VulnReference {
                    id: alias.clone(),
                    source: source_of(alias, &vuln.source),
                })
                .collect(),
            ratings: vec![Rating {
                score: vuln.score,
                severity,
                method: method.filter(|_| vuln.vector.is_some()),
                vector: vuln.vector.clone().filter(|_| method.is_some()),
            }],
            description: vuln.summary.clone(),
            recommendation: (!vuln.fixed.is_empty())
                .then(|| format!("Upgrade {name} to {}", vuln.fixed.join(" or "))),
            affects: vec![Affect {
                reference: affected,
            }],
        });
    }

    let mut identity = String::new();
    identity.push_str(&root_ref);
    for reference in &refs {
        identity.push('\n');
        identity.push_str(reference);
    }
    let bom = Bom {
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: format!("urn:uuid:{}", uuid_from(identity.as_bytes())),
        version: 1,
        metadata: Metadata {
            timestamp: timestamp.to_string(),
            tools: Tools {
                components: vec![ToolComponent {
                    kind: "application",
                    name: "skillaudit",
                    version: tool_version.to_string(),
                }],
            },
            component: Component {
                kind: "application",
                bom_ref: root_ref.clone(),
                group: None,
                name: root.name.clone(),
                version: root.version.clone(),
                scope: None,
                purl: root_ref.starts_with("pkg:").then(|| root_ref.clone()),
                hashes: Vec::new(),
                licenses: root
                    .license
                    .iter()
                    .map(|name| License {
                        license: LicenseName { name: name.clone() },
                    })
                    .collect(),
                external_references: root
                    .repository
                    .iter()
                    .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
                    .map(|url| ExternalReference {
                        kind: "vcs",
                        url: url.clone(),
                    })
                    .collect(),
                properties: Vec::new(),
            },
        },
        components,
        dependencies,
        vulnerabilities: vulns,
    };
    // Serialising these plain structures cannot fail; an empty object is the fallback rather
    // than a panic.
    serde_json::to_string_pretty(&bom).unwrap_or_else(|_| "{}".to_string()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_urls() {
        assert_eq!(
            purl(DepEcosystem::Npm, "@modelcontextprotocol/sdk", "1.2.0"),
            "pkg:npm/%40modelcontextprotocol/sdk@1.2.0"
        );
        assert_eq!(
            purl(DepEcosystem::PyPI, "Foo_Bar.baz", "1.0"),
            "pkg:pypi/foo-bar-baz@1.0"
        );
        assert_eq!(
            purl(DepEcosystem::Go, "github.com/org/mod", "v1.2.3"),
            "pkg:golang/github.com/org/mod@v1.2.3"
        );
    }

    #[test]
    fn integrity_becomes_a_hex_hash() {
        let hash = hash_of("sha512-AAEC").unwrap();
        assert_eq!(hash.alg, "SHA-512");
        assert_eq!(hash.content, "000102");
        let hex = "a".repeat(64);
        assert_eq!(hash_of(&format!("sha256:{hex}")).unwrap().content, hex);
        assert!(hash_of("md5-abc").is_none());
        assert!(hash_of("sha256:xyz").is_none());
    }

    #[test]
    fn serial_numbers_are_uuids() {
        let id = uuid_from(b"x");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "5");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }
}
