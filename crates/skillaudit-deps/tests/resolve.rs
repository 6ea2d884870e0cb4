//! Resolving manifests without a lockfile, against hand-written registry documents in
//! `tests/fixtures/resolve/` (see its README for what each package is for).

use serde_json::{json, Value};
use skillaudit_deps::lockfile::{self, LockFormat};
use skillaudit_deps::resolve::{
    resolve_npm, resolve_pypi, to_package_lock, to_requirements_txt, DepKind, Registry, Resolution,
    ResolveLimits,
};
use skillaudit_deps::LockPackage;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Serves the fixture documents and records every request.
#[derive(Default)]
struct Fixtures {
    requests: RefCell<Vec<String>>,
}

impl Fixtures {
    fn read(&self, request: String, file: String) -> Result<Arc<Value>, String> {
        self.requests.borrow_mut().push(request);
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/resolve")
            .join(file);
        let text = std::fs::read_to_string(&path).map_err(|_| "HTTP 404 Not Found".to_string())?;
        serde_json::from_str(&text)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    }

    fn requested(&self, request: &str) -> usize {
        self.requests
            .borrow()
            .iter()
            .filter(|r| *r == request)
            .count()
    }
}

impl Registry for Fixtures {
    fn npm_packument(&self, name: &str) -> Result<Arc<Value>, String> {
        self.read(
            format!("npm:{name}"),
            format!("npm/{}.json", name.replace('/', "+")),
        )
    }

    fn pypi_project(&self, name: &str) -> Result<Arc<Value>, String> {
        self.read(format!("pypi:{name}"), format!("pypi/{name}.json"))
    }

    fn pypi_release(&self, name: &str, version: &str) -> Result<Arc<Value>, String> {
        self.read(
            format!("pypi:{name}=={version}"),
            format!("pypi/{name}-{version}.json"),
        )
    }
}

fn npm(manifest: Value) -> (Resolution, Fixtures) {
    npm_with(manifest, ResolveLimits::default())
}

fn npm_with(manifest: Value, limits: ResolveLimits) -> (Resolution, Fixtures) {
    let fixtures = Fixtures::default();
    let resolution = resolve_npm(&manifest, &fixtures, &limits);
    (resolution, fixtures)
}

fn deps(deps: Value) -> Value {
    json!({ "name": "app", "version": "1.0.0", "dependencies": deps })
}

fn pypi(requirements: &[&str], python: &str) -> (Resolution, Fixtures) {
    pypi_with(requirements, python, ResolveLimits::default())
}

fn pypi_with(requirements: &[&str], python: &str, limits: ResolveLimits) -> (Resolution, Fixtures) {
    let fixtures = Fixtures::default();
    let requirements: Vec<String> = requirements.iter().map(|r| r.to_string()).collect();
    let resolution = resolve_pypi(&requirements, python, &fixtures, &limits);
    (resolution, fixtures)
}

/// `name@version` of every package, sorted.
fn listed(resolution: &Resolution) -> Vec<String> {
    let mut out: Vec<String> = resolution
        .graph
        .packages
        .iter()
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    out.sort();
    out
}

fn package<'a>(resolution: &'a Resolution, name: &str) -> &'a LockPackage {
    resolution
        .graph
        .packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} not in {:?}", listed(resolution)))
}

fn version_of(resolution: &Resolution, name: &str) -> String {
    package(resolution, name).version.clone()
}

fn unresolved_reason<'a>(resolution: &'a Resolution, what: &str) -> &'a str {
    resolution
        .unresolved
        .iter()
        .find(|(w, _)| w == what)
        .map(|(_, why)| why.as_str())
        .unwrap_or_else(|| panic!("{what} not in {:?}", resolution.unresolved))
}

// ---- npm ----

#[test]
fn caret_range_takes_the_highest_version_of_the_major() {
    let (r, _) = npm(deps(json!({ "alpha": "^1.2.0" })));
    assert_eq!(listed(&r), ["alpha@1.3.0"]);
    assert_eq!(r.graph.format, "resolved from package.json (npm semantics)");
    let alpha = package(&r, "alpha");
    assert!(alpha.direct && !alpha.dev && !alpha.optional);
    assert_eq!(alpha.path, ["alpha"]);
    assert_eq!(
        alpha.resolved.as_deref(),
        Some("https://registry.npmjs.org/alpha/-/alpha-1.3.0.tgz")
    );
    assert!(alpha.integrity.as_deref().unwrap().starts_with("sha512-"));
}

#[test]
fn tilde_range_stays_on_the_minor() {
    let (r, _) = npm(deps(json!({ "alpha": "~1.2.0" })));
    assert_eq!(listed(&r), ["alpha@1.2.5"]);
}

#[test]
fn star_empty_and_tags_take_the_dist_tag() {
    for spec in ["*", "", "latest"] {
        let (r, _) = npm(deps(json!({ "alpha": spec })));
        assert_eq!(listed(&r), ["alpha@2.0.0"], "{spec:?}");
    }
}

#[test]
fn latest_tag_is_preferred_when_it_satisfies_the_range() {
    // 1.9.0 is higher, but `latest` points at 1.5.0 and satisfies ^1.0.0, as npm picks.
    let (r, _) = npm(deps(json!({ "tagged": "^1.0.0" })));
    assert_eq!(version_of(&r, "tagged"), "1.5.0");
    let (r, _) = npm(deps(json!({ "tagged": "^1.6.0" })));
    assert_eq!(version_of(&r, "tagged"), "1.9.0");
}

#[test]
fn pre_releases_are_excluded_unless_the_range_names_one() {
    let (r, _) = npm(deps(json!({ "beta-pkg": "^1.0.0" })));
    assert_eq!(version_of(&r, "beta-pkg"), "1.0.0");
    let (r, _) = npm(deps(json!({ "beta-pkg": "^1.1.0-beta.0" })));
    assert_eq!(version_of(&r, "beta-pkg"), "1.1.0-beta.1");
    let (r, _) = npm(deps(json!({ "beta-pkg": "next" })));
    assert_eq!(version_of(&r, "beta-pkg"), "1.1.0-beta.1");
    let (r, _) = npm(deps(json!({ "beta-pkg": ">=1.0.1" })));
    assert!(r.graph.packages.is_empty());
    assert_eq!(
        unresolved_reason(&r, "beta-pkg@>=1.0.1"),
        "no version satisfies `>=1.0.1` (latest is 1.0.0)"
    );
}

#[test]
fn deprecated_versions_are_skipped_when_another_satisfies() {
    // `latest` (1.1.0) is deprecated: npm passes it over for 1.0.0.
    let (r, _) = npm(deps(json!({ "old-pkg": "^1.0.0" })));
    assert_eq!(version_of(&r, "old-pkg"), "1.0.0");
    // Only a deprecated version satisfies: it is taken.
    let (r, _) = npm(deps(json!({ "old-pkg": "~1.1.0" })));
    assert_eq!(version_of(&r, "old-pkg"), "1.1.0");
}

#[test]
fn transitive_dependencies_record_their_shortest_path() {
    let (r, fixtures) = npm(deps(json!({ "@mcp/server-kit": "^1.0.0" })));
    assert_eq!(
        listed(&r),
        [
            "@mcp/server-kit@1.0.0",
            "alpha@1.3.0",
            "fsevents-ish@2.0.0",
            "tagged@1.5.0"
        ]
    );
    let kit = package(&r, "@mcp/server-kit");
    assert!(kit.direct);
    let alpha = package(&r, "alpha");
    assert!(!alpha.direct);
    assert_eq!(alpha.path, ["@mcp/server-kit", "alpha"]);
    // optionalDependencies win over the same name in dependencies.
    let optional = package(&r, "fsevents-ish");
    assert!(optional.optional && !alpha.optional);
    assert!(r
        .edges
        .iter()
        .any(|e| e.name == "fsevents-ish" && e.kind == DepKind::Optional));
    // Bundled dependencies ship in the tarball; a missing package is an error, not a panic.
    assert!(unresolved_reason(&r, "bundled-thing@^1.0.0").contains("bundled"));
    assert_eq!(fixtures.requested("npm:bundled-thing"), 0);
    let ghost = unresolved_reason(&r, "ghost@^1.0.0");
    assert!(ghost.contains("HTTP 404"), "{ghost}");
    assert!(ghost.contains("required by @mcp/server-kit"), "{ghost}");
    // Peers are noted, never installed.
    assert_eq!(fixtures.requested("npm:zod"), 0);
    let zod = r.peers.iter().find(|p| p.peer == "zod").unwrap();
    assert_eq!(zod.package, "@mcp/server-kit@1.0.0");
    assert!(!zod.satisfied && !zod.optional);
    assert!(r.peers.iter().any(|p| p.peer == "react" && p.optional));
    assert!(!r.truncated);
}

#[test]
fn peers_are_satisfied_by_a_resolved_package() {
    let (r, _) = npm(deps(
        json!({ "@mcp/server-kit": "^1.0.0", "zod": "^3.0.0" }),
    ));
    assert!(r.peers.iter().any(|p| p.peer == "zod" && p.satisfied));
}

#[test]
fn cycles_are_resolved_once() {
    let (r, fixtures) = npm(deps(json!({ "cyc-a": "^1.0.0" })));
    assert_eq!(listed(&r), ["cyc-a@1.0.0", "cyc-b@1.0.0"]);
    assert_eq!(package(&r, "cyc-b").path, ["cyc-a", "cyc-b"]);
    assert_eq!(r.edges.len(), 3);
    assert_eq!(fixtures.requested("npm:cyc-a"), 1);
}

#[test]
fn each_package_is_asked_of_the_registry_once() {
    let (r, fixtures) = npm(deps(
        json!({ "wide": "^1.0.0", "@mcp/server-kit": "^1.0.0" }),
    ));
    assert_eq!(fixtures.requested("npm:alpha"), 1);
    assert_eq!(fixtures.requested("npm:tagged"), 1);
    // Both ask for alpha ^1.0.0: one copy.
    assert_eq!(
        r.graph
            .packages
            .iter()
            .filter(|p| p.name == "alpha")
            .count(),
        1
    );
}

#[test]
fn depth_limit_stops_and_marks_the_resolution_truncated() {
    let (r, _) = npm(deps(json!({ "chain-1": "^1.0.0" })));
    assert_eq!(package(&r, "chain-4").path.len(), 4);
    assert!(!r.truncated);
    let limits = ResolveLimits {
        max_depth: 2,
        ..ResolveLimits::default()
    };
    let (r, fixtures) = npm_with(deps(json!({ "chain-1": "^1.0.0" })), limits);
    assert_eq!(listed(&r), ["chain-1@1.0.0", "chain-2@1.0.0"]);
    assert!(r.truncated);
    assert!(r.graph.problems.iter().any(|p| p.contains("limit")));
    assert_eq!(fixtures.requested("npm:chain-3"), 0);
}

#[test]
fn package_limit_stops_and_marks_the_resolution_truncated() {
    let limits = ResolveLimits {
        max_packages: 2,
        ..ResolveLimits::default()
    };
    let (r, _) = npm_with(
        deps(json!({ "alpha": "^1.0.0", "beta-pkg": "^1.0.0", "tagged": "^1.0.0" })),
        limits,
    );
    assert_eq!(r.graph.packages.len(), 2);
    assert!(r.truncated);
}

#[test]
fn aliases_resolve_the_real_package_under_their_own_name() {
    let (r, _) = npm(deps(
        json!({ "my-alpha": "npm:alpha@~1.2.0", "alpha": "^2.0.0" }),
    ));
    assert_eq!(listed(&r), ["alpha@1.2.5", "alpha@2.0.0"]);
    let edge = r.edges.iter().find(|e| e.name == "my-alpha").unwrap();
    assert_eq!(edge.spec, "npm:alpha@~1.2.0");
    assert_eq!(r.graph.packages[edge.to].version, "1.2.5");
    let lock = to_package_lock(&r, "app", "1.0.0");
    assert_eq!(
        lock["packages"]["node_modules/my-alpha"],
        json!({
            "name": "alpha",
            "version": "1.2.5",
            "resolved": "https://registry.npmjs.org/alpha/-/alpha-1.2.5.tgz",
            "integrity": r.graph.packages[edge.to].integrity,
        })
    );
    assert_eq!(
        lock["packages"][""]["dependencies"]["my-alpha"],
        "npm:alpha@~1.2.0"
    );
}

#[test]
fn specs_outside_the_registry_are_listed_unresolved() {
    let (r, fixtures) = npm(deps(json!({
        "local": "file:../local",
        "linked": "link:../linked",
        "repo": "github:user/repo",
        "gitplus": "git+https://github.com/user/repo.git#v1",
        "short": "user/repo#main",
        "tarball": "https://example.com/x-1.0.0.tgz",
        "ws": "workspace:*",
    })));
    assert!(r.graph.packages.is_empty());
    assert_eq!(r.unresolved.len(), 7);
    assert!(unresolved_reason(&r, "local@file:../local").contains("local path"));
    assert!(unresolved_reason(&r, "repo@github:user/repo").contains("git"));
    assert!(unresolved_reason(&r, "short@user/repo#main").contains("git"));
    assert!(unresolved_reason(&r, "tarball@https://example.com/x-1.0.0.tgz").contains("URL"));
    assert!(unresolved_reason(&r, "ws@workspace:*").contains("workspace"));
    assert!(fixtures.requests.borrow().is_empty());
}

#[test]
fn dev_dependencies_only_when_asked_and_flagged_dev() {
    let manifest = json!({
        "name": "app",
        "dependencies": { "chain-3": "^1.0.0" },
        "devDependencies": { "test-runner": "^5.0.0", "alpha": "^1.0.0" },
    });
    let (r, _) = npm(manifest.clone());
    assert_eq!(listed(&r), ["chain-3@1.0.0", "chain-4@1.0.0"]);
    let limits = ResolveLimits {
        include_dev: true,
        ..ResolveLimits::default()
    };
    let (r, _) = npm_with(manifest, limits);
    assert!(package(&r, "test-runner").dev);
    assert!(package(&r, "alpha").dev);
    // Also needed by a production dependency: not dev.
    assert!(!package(&r, "chain-4").dev);
    assert!(!package(&r, "chain-3").dev);
}

#[test]
fn a_manifest_that_is_not_an_object_is_a_problem_not_a_panic() {
    let (r, _) = npm(json!(["not", "a", "manifest"]));
    assert!(r.graph.packages.is_empty());
    assert_eq!(r.graph.problems.len(), 1);
    let (r, _) = npm(deps(
        json!({ "alpha": 7, "": "^1.0.0", "../evil": "^1.0.0" }),
    ));
    assert!(r.graph.packages.is_empty());
    assert_eq!(r.unresolved.len(), 3);
}

#[test]
fn package_lock_nests_conflicting_versions_under_their_dependent() {
    let (r, _) = npm(deps(
        json!({ "alpha": "^2.0.0", "uses-old-alpha": "^1.0.0" }),
    ));
    assert_eq!(
        listed(&r),
        ["alpha@1.2.5", "alpha@2.0.0", "uses-old-alpha@1.0.0"]
    );
    let lock = to_package_lock(&r, "app", "1.0.0");
    assert_eq!(lock["lockfileVersion"], 3);
    let packages = lock["packages"].as_object().unwrap();
    let keys: Vec<&str> = packages.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "",
            "node_modules/alpha",
            "node_modules/uses-old-alpha",
            "node_modules/uses-old-alpha/node_modules/alpha"
        ]
    );
    assert_eq!(packages["node_modules/alpha"]["version"], "2.0.0");
    assert_eq!(
        packages["node_modules/uses-old-alpha/node_modules/alpha"]["version"],
        "1.2.5"
    );
    assert_eq!(
        packages["node_modules/uses-old-alpha"]["dependencies"],
        json!({ "alpha": "~1.2.0" })
    );
    assert_eq!(
        packages[""]["dependencies"],
        json!({ "alpha": "^2.0.0", "uses-old-alpha": "^1.0.0" })
    );
}

#[test]
fn package_lock_reads_back_as_the_same_graph() {
    let manifest = json!({
        "name": "app",
        "dependencies": { "@mcp/server-kit": "^1.0.0", "uses-old-alpha": "^1.0.0", "cyc-a": "^1" },
        "devDependencies": { "test-runner": "^5.0.0" },
    });
    let limits = ResolveLimits {
        include_dev: true,
        ..ResolveLimits::default()
    };
    let (r, _) = npm_with(manifest, limits);
    let lock = to_package_lock(&r, "app", "1.0.0");
    let text = serde_json::to_string_pretty(&lock).unwrap();
    let parsed = lockfile::parse(LockFormat::NpmPackageLock, "package-lock.json", &text, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let summary = |packages: &[LockPackage]| -> BTreeSet<(String, String, bool, bool, bool)> {
        packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.direct,
                    p.dev,
                    p.optional,
                )
            })
            .collect()
    };
    assert_eq!(summary(&parsed.packages), summary(&r.graph.packages));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let old_alpha = parsed
        .packages
        .iter()
        .find(|p| p.name == "alpha" && p.version == "1.2.5")
        .unwrap();
    assert_eq!(old_alpha.path, ["uses-old-alpha", "alpha"]);
}

// ---- PyPI ----

#[test]
fn markers_for_other_pythons_and_platforms_are_skipped() {
    let (r, fixtures) = pypi(&["mcp-server-x"], "3.12");
    assert_eq!(
        listed(&r),
        [
            "anyio@4.4.0",
            "certifi@2024.8.30",
            "httpx@0.27.0",
            "idna@3.7",
            "mcp_server_x@1.1.0"
        ]
    );
    assert!(r.unresolved.is_empty(), "{:?}", r.unresolved);
    // python_version < "3.8", sys_platform == "win32", python_version < "3.11" and extras.
    for skipped in [
        "pypi:typing-extensions",
        "pypi:pywin32",
        "pypi:exceptiongroup",
        "pypi:pytest",
        "pypi:rich",
    ] {
        assert_eq!(fixtures.requested(skipped), 0, "{skipped}");
    }
    assert_eq!(
        package(&r, "idna").path,
        ["mcp_server_x", "httpx", "anyio", "idna"]
    );
    assert!(package(&r, "mcp_server_x").direct);
    assert!(r.graph.format.contains("Python 3.12"));
}

#[test]
fn markers_follow_the_python_version() {
    // On 3.10, anyio needs exceptiongroup, which the registry does not have.
    let (r, fixtures) = pypi(&["anyio"], "3.10");
    assert_eq!(fixtures.requested("pypi:exceptiongroup"), 1);
    let why = unresolved_reason(&r, "exceptiongroup>=1.0.2; python_version < \"3.11\"");
    assert!(
        why.contains("HTTP 404") && why.contains("required by anyio"),
        "{why}"
    );
}

#[test]
fn extras_are_followed_only_when_requested() {
    let (r, fixtures) = pypi(&["mcp-server-x[cli]"], "3.12");
    assert_eq!(version_of(&r, "rich"), "13.9.4");
    assert_eq!(version_of(&r, "pygments"), "2.18.0");
    // `test` was not asked for; pygments' own extra was not either.
    assert_eq!(fixtures.requested("pypi:pytest"), 0);
    assert_eq!(fixtures.requested("pypi:colorama"), 0);
}

#[test]
fn extras_asked_later_expand_an_already_resolved_package() {
    let (r, _) = pypi(&["mcp-server-x", "mcp_server_x[cli]"], "3.12");
    assert_eq!(version_of(&r, "rich"), "13.9.4");
    assert_eq!(
        r.graph
            .packages
            .iter()
            .filter(|p| p.name == "mcp_server_x")
            .count(),
        1
    );
}

#[test]
fn requires_python_and_yanked_releases_are_filtered() {
    // 0.29.0 needs Python 3.13, 0.28.0 is yanked, 0.30.0.dev1 is a pre-release, 0.31.0 has no
    // files: 0.27.0 on 3.12.
    let (r, fixtures) = pypi(&["httpx"], "3.12");
    assert_eq!(version_of(&r, "httpx"), "0.27.0");
    // Not the latest release: its own document gives its dependencies.
    assert_eq!(fixtures.requested("pypi:httpx==0.27.0"), 1);
    // On 3.13 the latest is admitted; its dependencies come from the project document.
    let (r, fixtures) = pypi(&["httpx"], "3.13");
    assert_eq!(version_of(&r, "httpx"), "0.29.0");
    assert_eq!(fixtures.requested("pypi:httpx==0.29.0"), 0);
    assert!(unresolved_reason(&r, "anyio>=5").contains("no release satisfies"));
}

#[test]
fn a_yanked_release_is_taken_only_for_an_exact_pin() {
    let (r, _) = pypi(&["httpx==0.28.0"], "3.12");
    assert_eq!(version_of(&r, "httpx"), "0.28.0");
    let (r, _) = pypi(&["httpx>=0.28,<0.30"], "3.12");
    assert!(r.graph.packages.is_empty());
    assert!(unresolved_reason(&r, "httpx>=0.28,<0.30").contains("yanked"));
    let (r, _) = pypi(&["httpx>=0.29,<0.30"], "3.12");
    assert!(unresolved_reason(&r, "httpx>=0.29,<0.30").contains("requires_python"));
    // With nothing final left, pip falls back to a pre-release (here a dev release).
    let (r, _) = pypi(&["httpx>=0.28"], "3.12");
    assert_eq!(version_of(&r, "httpx"), "0.30.0.dev1");
}

#[test]
fn pre_releases_are_excluded_unless_named_or_alone() {
    let (r, _) = pypi(&["mcp-server-x>=1.0"], "3.12");
    assert_eq!(version_of(&r, "mcp_server_x"), "1.1.0");
    let (r, fixtures) = pypi(&["mcp-server-x>=1.2.0rc1"], "3.12");
    assert_eq!(version_of(&r, "mcp_server_x"), "1.2.0rc1");
    assert_eq!(fixtures.requested("pypi:mcp-server-x==1.2.0rc1"), 1);
    // Only pre-releases exist: pip takes the highest.
    let (r, _) = pypi(&["only-pre"], "3.12");
    assert_eq!(version_of(&r, "only-pre"), "2.0b2");
}

#[test]
fn python_names_are_normalised() {
    let (r, fixtures) = pypi(&["MCP_Server.X==1.0.0"], "3.12");
    assert_eq!(version_of(&r, "mcp_server_x"), "1.0.0");
    assert_eq!(fixtures.requested("pypi:mcp-server-x"), 1);
    assert_eq!(r.edges[0].name, "mcp-server-x");
}

#[test]
fn python_cycles_are_resolved_once() {
    let (r, _) = pypi(&["pyc-a"], "3.12");
    assert_eq!(listed(&r), ["pyc-a@1.0", "pyc-b@1.0"]);
    assert_eq!(r.edges.len(), 3);
}

#[test]
fn unresolvable_python_requirements_are_listed_with_a_reason() {
    let (r, _) = pypi(
        &[
            "ghost-py>=1",
            "tool @ https://example.com/tool-1.0-py3-none-any.whl",
            "not a requirement!!",
            "",
        ],
        "3.12",
    );
    assert!(r.graph.packages.is_empty());
    assert_eq!(r.unresolved.len(), 3);
    assert!(unresolved_reason(&r, "ghost-py>=1").contains("HTTP 404"));
    assert!(
        unresolved_reason(&r, "tool @ https://example.com/tool-1.0-py3-none-any.whl")
            .contains("URL")
    );
    assert!(unresolved_reason(&r, "not a requirement!!").contains("PEP 508"));
}

#[test]
fn a_conflicting_second_specifier_is_reported() {
    let (r, _) = pypi(&["httpx<0.27", "mcp-server-x>=1.2.0rc1"], "3.12");
    assert_eq!(version_of(&r, "httpx"), "0.26.0");
    let why = unresolved_reason(&r, "httpx>=0.27");
    assert!(why.starts_with("conflict: httpx 0.26.0"), "{why}");
}

#[test]
fn python_package_limit_truncates() {
    let limits = ResolveLimits {
        max_packages: 2,
        ..ResolveLimits::default()
    };
    let (r, _) = pypi_with(&["mcp-server-x"], "3.12", limits);
    assert_eq!(r.graph.packages.len(), 2);
    assert!(r.truncated);
    let limits = ResolveLimits {
        max_depth: 1,
        ..ResolveLimits::default()
    };
    let (r, _) = pypi_with(&["mcp-server-x"], "3.12", limits);
    assert_eq!(listed(&r), ["mcp_server_x@1.1.0"]);
    assert!(r.truncated);
}

#[test]
fn an_invalid_python_version_resolves_nothing() {
    let (r, fixtures) = pypi(&["httpx"], "three");
    assert!(r.graph.packages.is_empty());
    assert!(unresolved_reason(&r, "httpx").contains("three"));
    assert!(fixtures.requests.borrow().is_empty());
}

#[test]
fn requirements_txt_pins_every_package() {
    let (r, _) = pypi(&["mcp-server-x", "ghost-py"], "3.12");
    let text = to_requirements_txt(&r);
    let pins: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        pins,
        [
            "anyio==4.4.0",
            "certifi==2024.8.30",
            "httpx==0.27.0",
            "idna==3.7",
            "mcp_server_x==1.1.0"
        ]
    );
    assert!(text.starts_with("# Pinned by SkillAudit: resolved from Python requirements"));
    assert!(text.contains("# not resolved: ghost-py"));
}

#[test]
fn a_release_whose_dependencies_the_index_could_not_give_is_a_problem_not_a_leaf() {
    let (r, _) = pypi(&["mirrored==1.0"], "3.12");
    assert_eq!(version_of(&r, "mirrored"), "1.0");
    let problem = r
        .graph
        .problems
        .iter()
        .find(|p| p.contains("mirrored 1.0"))
        .unwrap_or_else(|| panic!("{:?}", r.graph.problems));
    assert!(problem.contains("dependencies unknown"), "{problem}");
    assert!(problem.contains("no per-release JSON"), "{problem}");
    assert!(problem.contains("project JSON"), "{problem}");
    // The latest release's dependencies come from the project document itself.
    let (r, _) = pypi(&["mirrored"], "3.12");
    assert_eq!(version_of(&r, "mirrored"), "2.0");
    assert_eq!(version_of(&r, "idna"), "3.7");
    assert!(r.graph.problems.is_empty(), "{:?}", r.graph.problems);
}
