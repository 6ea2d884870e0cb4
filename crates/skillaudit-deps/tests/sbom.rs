//! Every SBOM SkillAudit writes is valid CycloneDX 1.6, checked against the official schema
//! (tests/schema/cyclonedx, no network).

use serde_json::Value;
use skillaudit_deps::sbom::{
    cyclonedx_json, cyclonedx_json_with_licenses, purl, Licenses, RootComponent, SbomVulnerability,
};
use skillaudit_deps::{DepEcosystem, LockPackage};
use std::path::Path;

fn schema_file(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schema/cyclonedx")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("schema")).expect("json")
}

/// Resolves the schema's `$ref`s to the files beside it; anything else is refused.
struct LocalSchemas;

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        match name {
            "spdx.SNAPSHOT.schema.json" | "jsf-0.82.SNAPSHOT.schema.json" => Ok(schema_file(name)),
            _ => Err(format!("no local copy of {uri}").into()),
        }
    }
}

fn errors(document: &Value) -> Vec<String> {
    let schema = schema_file("bom-1.6.SNAPSHOT.schema.json");
    let validator = jsonschema::options()
        .with_retriever(LocalSchemas)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the CycloneDX schema compiles");
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_check_rejects_broken_documents() {
    let root = RootComponent {
        ecosystem: None,
        name: "x".into(),
        version: None,
        license: None,
        repository: None,
    };
    let good: Value = serde_json::from_str(&cyclonedx_json(
        &root,
        &[],
        &[],
        "0",
        "2026-11-21T10:00:00Z",
    ))
    .expect("json");
    assert!(errors(&good).is_empty());
    let mut bad = good.clone();
    bad["components"] = serde_json::json!([{"type": "library", "version": "1"}]);
    assert!(!errors(&bad).is_empty(), "a component without a name");
    let mut bad = good.clone();
    bad["serialNumber"] = "not-a-uuid".into();
    assert!(!errors(&bad).is_empty(), "a malformed serial number");
    let mut bad = good;
    bad["components"] = serde_json::json!([{"type": "library", "name": "a", "scope": "sometimes"}]);
    assert!(!errors(&bad).is_empty(), "an unknown scope");
}

fn validate(document: &Value) {
    let schema = schema_file("bom-1.6.SNAPSHOT.schema.json");
    let validator = jsonschema::options()
        .with_retriever(LocalSchemas)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the CycloneDX schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn package(eco: DepEcosystem, name: &str, version: &str, path: &[&str]) -> LockPackage {
    LockPackage {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        direct: path.len() == 1,
        dev: false,
        optional: false,
        path: path.iter().map(|s| s.to_string()).collect(),
        resolved: None,
        integrity: None,
    }
}

#[test]
fn an_npm_graph_with_advisories_is_valid_cyclonedx_1_6() {
    let mut express = package(DepEcosystem::Npm, "express", "4.17.1", &["express"]);
    express.resolved = Some("https://registry.npmjs.org/express/-/express-4.17.1.tgz".into());
    express.integrity = Some("sha512-mHJ9O79RqluphRrcw2X/GTh3k9tVv8YcoyY4Kkh4WDMUYKRZUq0h1o0w2rrrxBqM7VoeUVqgb27xlEMXTnYt4g==".into());
    let body_parser = package(
        DepEcosystem::Npm,
        "body-parser",
        "1.19.0",
        &["express", "body-parser"],
    );
    let qs = package(
        DepEcosystem::Npm,
        "qs",
        "6.7.0",
        &["express", "body-parser", "qs"],
    );
    let mut sdk = package(
        DepEcosystem::Npm,
        "@modelcontextprotocol/sdk",
        "1.0.0",
        &["@modelcontextprotocol/sdk"],
    );
    sdk.optional = true;
    let mut dev = package(DepEcosystem::Npm, "typescript", "5.4.0", &["typescript"]);
    dev.dev = true;
    let packages = vec![express, body_parser, qs.clone(), sdk, dev];
    let vulns = vec![SbomVulnerability {
        id: "GHSA-hrpp-h998-j3pp".into(),
        aliases: vec!["CVE-2022-24999".into()],
        summary: Some("qs vulnerable to Prototype Pollution".into()),
        severity: "high".into(),
        score: Some(7.5),
        vector: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into()),
        affects: (DepEcosystem::Npm, "qs".into(), "6.7.0".into()),
        fixed: vec!["6.7.3".into()],
        source: "OSV".into(),
    }];
    let root = RootComponent {
        ecosystem: Some(DepEcosystem::Npm),
        name: "@acme/weather-mcp".into(),
        version: Some("1.0.0".into()),
        license: Some("MIT".into()),
        repository: Some("https://github.com/acme/weather-mcp".into()),
    };
    let licenses = Licenses::from([(
        (DepEcosystem::Npm, "qs".to_string(), "6.7.0".to_string()),
        "BSD-3-Clause".to_string(),
    )]);
    let text = cyclonedx_json_with_licenses(
        &root,
        &packages,
        &vulns,
        &licenses,
        "0.1.0",
        "2026-11-21T10:00:00Z",
    );
    let doc: Value = serde_json::from_str(&text).expect("json");
    validate(&doc);
    assert_eq!(doc["specVersion"], "1.6");
    assert_eq!(doc["components"].as_array().map(Vec::len), Some(5));
    let qs_ref = purl(DepEcosystem::Npm, "qs", "6.7.0");
    let bp = doc["dependencies"]
        .as_array()
        .expect("deps")
        .iter()
        .find(|d| d["ref"] == purl(DepEcosystem::Npm, "body-parser", "1.19.0"))
        .expect("body-parser edges");
    assert_eq!(bp["dependsOn"][0], qs_ref.as_str());
    let scopes: Vec<&str> = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| c["scope"].as_str().expect("scope"))
        .collect();
    assert!(scopes.contains(&"excluded") && scopes.contains(&"optional"));
    assert_eq!(
        doc["vulnerabilities"][0]["affects"][0]["ref"],
        qs_ref.as_str()
    );
    assert_eq!(doc["vulnerabilities"][0]["ratings"][0]["method"], "CVSSv31");
    let sdk = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["name"] == "sdk")
        .expect("scoped package");
    assert_eq!(sdk["group"], "@modelcontextprotocol");
    let express = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["name"] == "express")
        .expect("express");
    assert_eq!(express["hashes"][0]["alg"], "SHA-512");
}

#[test]
fn pypi_go_and_empty_graphs_are_valid_too() {
    let packages = vec![
        package(
            DepEcosystem::PyPI,
            "Pydantic_Core",
            "2.14.1",
            &["pydantic", "Pydantic_Core"],
        ),
        package(DepEcosystem::PyPI, "pydantic", "2.5.0", &["pydantic"]),
        package(
            DepEcosystem::Go,
            "github.com/mark3labs/mcp-go",
            "v0.20.0",
            &["github.com/mark3labs/mcp-go"],
        ),
    ];
    let root = RootComponent {
        ecosystem: Some(DepEcosystem::PyPI),
        name: "mcp-server-x".into(),
        version: Some("0.3.0".into()),
        license: None,
        repository: None,
    };
    let vulns = vec![SbomVulnerability {
        id: "PYSEC-2024-1".into(),
        aliases: Vec::new(),
        summary: None,
        severity: "unknown".into(),
        score: None,
        vector: None,
        affects: (DepEcosystem::PyPI, "pydantic".into(), "2.5.0".into()),
        fixed: Vec::new(),
        source: "OSV".into(),
    }];
    let doc: Value = serde_json::from_str(&cyclonedx_json(
        &root,
        &packages,
        &vulns,
        "0.1.0",
        "2026-11-21T10:00:00Z",
    ))
    .expect("json");
    validate(&doc);
    let empty = RootComponent {
        ecosystem: None,
        name: "folder".into(),
        version: None,
        license: None,
        repository: None,
    };
    let doc: Value = serde_json::from_str(&cyclonedx_json(
        &empty,
        &[],
        &[],
        "0.1.0",
        "2026-11-21T10:00:00Z",
    ))
    .expect("json");
    validate(&doc);
}
