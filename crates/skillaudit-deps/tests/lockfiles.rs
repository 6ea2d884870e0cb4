//! Lockfile parsers: exact packages, flags and paths per format and version, and hostile input
//! that must end in a clean error or problem lines, never a panic.

use skillaudit_deps::lockfile::{
    self, format_of, fuzz_one, LockErrorKind, LockFormat, MAX_LOCKFILE_BYTES, MAX_PATH_LEN,
};
use skillaudit_deps::{DepEcosystem, DependencyGraph, LockPackage};
use std::path::Path;
use std::time::{Duration, Instant};

fn fixture(dir: &str, file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lockfiles")
        .join(dir)
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses `dir/file` of the fixtures, with `sibling` (a file of the same folder) when given.
fn read(dir: &str, file: &str, sibling: Option<&str>) -> DependencyGraph {
    let text = fixture(dir, file);
    let sibling = sibling.map(|s| fixture(dir, s));
    let format = format_of(file).unwrap();
    lockfile::parse(format, &format!("{dir}/{file}"), &text, sibling.as_deref())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn parse_text(format: LockFormat, text: &str) -> Result<DependencyGraph, lockfile::LockError> {
    lockfile::parse(format, "lock", text, None)
}

fn pkg<'a>(graph: &'a DependencyGraph, name: &str, version: &str) -> &'a LockPackage {
    graph
        .packages
        .iter()
        .find(|p| p.name == name && p.version == version)
        .unwrap_or_else(|| panic!("{name}@{version} not in {:?}", listed(graph)))
}

fn listed(graph: &DependencyGraph) -> Vec<String> {
    graph
        .packages
        .iter()
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect()
}

fn path(p: &LockPackage) -> Vec<&str> {
    p.path.iter().map(String::as_str).collect()
}

/// The npm fixtures all lock the same project: express, qs and an aliased string-width in
/// production, typescript for development, fsevents optional; body-parser nests its own qs.
fn assert_demo_npm_project(graph: &DependencyGraph) {
    assert_eq!(
        listed(graph),
        [
            "body-parser@1.20.1",
            "bytes@3.1.2",
            "cookie@0.5.0",
            "express@4.18.2",
            "fsevents@2.3.3",
            "qs@6.11.0",
            "qs@6.5.3",
            "side-channel@1.0.4",
            "string-width@4.2.3",
            "typescript@5.3.3",
        ],
        "{}",
        graph.source
    );
    assert!(graph
        .packages
        .iter()
        .all(|p| p.ecosystem == DepEcosystem::Npm));

    let express = pkg(graph, "express", "4.18.2");
    assert!(express.direct && !express.dev && !express.optional);
    assert_eq!(path(express), ["express"]);

    let nested_qs = pkg(graph, "qs", "6.11.0");
    assert!(!nested_qs.direct && !nested_qs.dev);
    assert_eq!(path(nested_qs), ["express", "body-parser", "qs"]);

    let side_channel = pkg(graph, "side-channel", "1.0.4");
    assert_eq!(
        path(side_channel),
        ["express", "body-parser", "qs", "side-channel"]
    );

    let top_qs = pkg(graph, "qs", "6.5.3");
    assert!(top_qs.direct);
    assert_eq!(path(top_qs), ["qs"]);

    let typescript = pkg(graph, "typescript", "5.3.3");
    assert!(typescript.direct && typescript.dev && !typescript.optional);

    let fsevents = pkg(graph, "fsevents", "2.3.3");
    assert!(fsevents.direct && fsevents.optional && !fsevents.dev);

    let aliased = pkg(graph, "string-width", "4.2.3");
    assert!(aliased.direct);
    assert_eq!(path(aliased), ["string-width"]);

    assert_eq!(path(pkg(graph, "cookie", "0.5.0")), ["express", "cookie"]);
}

// ---- format detection ----

#[test]
fn format_of_recognises_every_lockfile_name() {
    for (name, format) in [
        ("package-lock.json", LockFormat::NpmPackageLock),
        ("npm-shrinkwrap.json", LockFormat::NpmPackageLock),
        ("pnpm-lock.yaml", LockFormat::PnpmLock),
        ("yarn.lock", LockFormat::YarnLock),
        ("bun.lock", LockFormat::BunLock),
        ("bun.lockb", LockFormat::BunLockb),
        ("poetry.lock", LockFormat::PoetryLock),
        ("uv.lock", LockFormat::UvLock),
        ("Pipfile.lock", LockFormat::PipfileLock),
        ("requirements.txt", LockFormat::Requirements),
        ("requirements-dev.txt", LockFormat::Requirements),
        ("dev-requirements.txt", LockFormat::Requirements),
        ("go.sum", LockFormat::GoSum),
        ("server/sub/package-lock.json", LockFormat::NpmPackageLock),
        ("C:\\src\\yarn.lock", LockFormat::YarnLock),
    ] {
        assert_eq!(format_of(name), Some(format), "{name}");
    }
}

#[test]
fn format_of_ignores_manifests_and_other_files() {
    for name in [
        "package.json",
        "go.mod",
        "pyproject.toml",
        "Pipfile",
        "requirements.in",
        "notes.txt",
        "yarn.lock.bak",
        "",
    ] {
        assert_eq!(format_of(name), None, "{name}");
    }
}

// ---- npm ----

#[test]
fn npm_v1_nested_tree_resolves_to_the_nearest_copy() {
    let graph = read("npm-v1", "package-lock.json", Some("package.json"));
    assert_eq!(graph.format, "package-lock.json v1");
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    let qs = pkg(&graph, "qs", "6.11.0");
    assert_eq!(
        qs.resolved.as_deref(),
        Some("https://registry.npmjs.org/qs/-/qs-6.11.0.tgz")
    );
    assert_eq!(qs.integrity.as_deref(), Some("sha512-qs6110"));
}

#[test]
fn npm_v1_without_package_json_infers_direct_dependencies() {
    let graph = read("npm-v1", "package-lock.json", None);
    assert_demo_npm_project(&graph);
}

#[test]
fn npm_v2_reads_the_packages_map() {
    let graph = read("npm-v2", "package-lock.json", None);
    assert_eq!(graph.format, "package-lock.json v2");
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
}

#[test]
fn npm_v3_workspace_dependencies_are_direct_and_links_are_not_packages() {
    let graph = read("npm-v3", "package-lock.json", None);
    assert_eq!(graph.format, "package-lock.json v3");
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    // packages/cli declares bytes: a direct dependency, no longer only express's.
    let bytes = pkg(&graph, "bytes", "3.1.2");
    assert!(bytes.direct);
    assert_eq!(path(bytes), ["bytes"]);
    assert!(!graph.packages.iter().any(|p| p.name == "demo-cli"));
    assert_eq!(
        path(pkg(&graph, "qs", "6.11.0")),
        ["express", "body-parser", "qs"]
    );
}

#[test]
fn npm_shrinkwrap_is_labelled_by_its_name() {
    let text = fixture("npm-v3", "package-lock.json");
    let graph = lockfile::parse(
        LockFormat::NpmPackageLock,
        "app/npm-shrinkwrap.json",
        &text,
        None,
    )
    .unwrap();
    assert_eq!(graph.format, "npm-shrinkwrap.json v3");
    assert_eq!(graph.source, "app/npm-shrinkwrap.json");
}

#[test]
fn npm_dev_optional_counts_as_optional_not_dev() {
    let text = r#"{"lockfileVersion": 3, "packages": {
        "": {"devDependencies": {"a": "1"}},
        "node_modules/a": {"version": "1.0.0", "dev": true, "optionalDependencies": {"b": "1"}},
        "node_modules/b": {"version": "1.0.0", "devOptional": true}
    }}"#;
    let graph = parse_text(LockFormat::NpmPackageLock, text).unwrap();
    let b = pkg(&graph, "b", "1.0.0");
    assert!(b.optional && !b.dev);
    assert_eq!(path(b), ["a", "b"]);
    assert!(pkg(&graph, "a", "1.0.0").dev);
}

#[test]
fn npm_same_package_at_two_locations_is_listed_once() {
    let text = r#"{"lockfileVersion": 3, "packages": {
        "": {"dependencies": {"a": "1", "b": "1"}},
        "node_modules/a": {"version": "1.0.0", "dependencies": {"c": "1"}},
        "node_modules/a/node_modules/c": {"version": "1.0.0"},
        "node_modules/b": {"version": "1.0.0", "dependencies": {"c": "1"}},
        "node_modules/b/node_modules/c": {"version": "1.0.0"}
    }}"#;
    let graph = parse_text(LockFormat::NpmPackageLock, text).unwrap();
    assert_eq!(listed(&graph), ["a@1.0.0", "b@1.0.0", "c@1.0.0"]);
    assert_eq!(path(pkg(&graph, "c", "1.0.0")), ["a", "c"]);
}

#[test]
fn npm_missing_dependency_is_a_problem_not_an_error() {
    let text = r#"{"lockfileVersion": 3, "packages": {
        "": {"dependencies": {"a": "1"}},
        "node_modules/a": {"version": "1.0.0", "dependencies": {"ghost": "1"}},
        "node_modules/odd": "not an object"
    }}"#;
    let graph = parse_text(LockFormat::NpmPackageLock, text).unwrap();
    assert_eq!(listed(&graph), ["a@1.0.0"]);
    assert!(
        graph.problems.iter().any(|p| p.contains("\"ghost\"")),
        "{:?}",
        graph.problems
    );
    assert!(graph
        .problems
        .iter()
        .any(|p| p.contains("node_modules/odd") && p.contains("not an object")));
}

#[test]
fn npm_document_of_the_wrong_shape_is_refused() {
    let err = parse_text(LockFormat::NpmPackageLock, "[1, 2]").unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Shape);
    let err = parse_text(LockFormat::NpmPackageLock, r#"{"name": "x"}"#).unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Shape);
    assert!(err.to_string().starts_with("lock: "), "{err}");
}

// ---- pnpm ----

#[test]
fn pnpm_5_4_slash_keys_and_underscore_peer_suffixes() {
    let graph = read("pnpm-5.4", "pnpm-lock.yaml", None);
    assert_eq!(graph.format, "pnpm-lock.yaml v5.4");
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    assert_eq!(
        pkg(&graph, "express", "4.18.2").integrity.as_deref(),
        Some("sha512-express")
    );
}

#[test]
fn pnpm_6_0_at_keys_and_parenthesised_peer_suffixes() {
    let graph = read("pnpm-6.0", "pnpm-lock.yaml", None);
    assert_eq!(graph.format, "pnpm-lock.yaml v6.0");
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
}

#[test]
fn pnpm_9_0_snapshots_and_importers_with_derived_flags() {
    let graph = read("pnpm-9.0", "pnpm-lock.yaml", None);
    assert_eq!(graph.format, "pnpm-lock.yaml v9.0");
    // v9 records no dev/optional flags: they follow from what the importers declare.
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
}

#[test]
fn pnpm_9_dev_only_transitive_package_is_dev() {
    let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\n    devDependencies:\n      t:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-a}\n  t@1.0.0:\n    resolution: {integrity: sha512-t}\n  u@1.0.0:\n    resolution: {integrity: sha512-u}\nsnapshots:\n  a@1.0.0: {}\n  t@1.0.0:\n    dependencies:\n      u: 1.0.0\n  u@1.0.0: {}\n";
    let graph = parse_text(LockFormat::PnpmLock, text).unwrap();
    let u = pkg(&graph, "u", "1.0.0");
    assert!(u.dev && !u.direct);
    assert_eq!(path(u), ["t", "u"]);
    assert!(!pkg(&graph, "a", "1.0.0").dev);
}

#[test]
fn pnpm_yaml_syntax_error_names_file_and_line() {
    let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {a: [}\n";
    let err = lockfile::parse(LockFormat::PnpmLock, "web/pnpm-lock.yaml", text, None).unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Syntax);
    assert_eq!(err.line, Some(4), "{err}");
    assert!(
        err.to_string()
            .starts_with("web/pnpm-lock.yaml:4: not valid YAML"),
        "{err}"
    );
}

// ---- yarn ----

#[test]
fn yarn_v1_with_package_json() {
    let graph = read("yarn-v1", "yarn.lock", Some("package.json"));
    assert_eq!(graph.format, "yarn.lock v1");
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    let body_parser = pkg(&graph, "body-parser", "1.20.1");
    assert_eq!(
        body_parser.resolved.as_deref(),
        Some("https://registry.yarnpkg.com/body-parser/-/body-parser-1.20.1.tgz#b1ac4d4c")
    );
    assert_eq!(body_parser.integrity.as_deref(), Some("sha512-bodyparser"));
}

#[test]
fn yarn_v1_without_package_json_infers_direct_dependencies_but_not_dev() {
    let graph = read("yarn-v1", "yarn.lock", None);
    let typescript = pkg(&graph, "typescript", "5.3.3");
    assert!(typescript.direct && !typescript.dev);
    assert_eq!(
        path(pkg(&graph, "qs", "6.11.0")),
        ["express", "body-parser", "qs"]
    );
}

#[test]
fn yarn_berry_workspace_gives_direct_dependencies_and_patch_is_noted() {
    let graph = read("yarn-berry", "yarn.lock", Some("package.json"));
    assert_eq!(graph.format, "yarn.lock berry v8");
    assert_demo_npm_project(&graph);
    assert_eq!(graph.problems.len(), 1, "{:?}", graph.problems);
    assert!(graph.problems[0].contains("patch:"), "{:?}", graph.problems);
    assert!(!graph.packages.iter().any(|p| p.name == "demo-server"));
}

#[test]
fn yarn_v1_odd_lines_are_problems() {
    let text = "# yarn lockfile v1\n\na@^1.0.0:\n  version \"1.0.0\"\n  dependencies:\n    b \"^2\"\nthis is not a header\nb@^2:\n  version \"2.0.0\\u0000\"\n";
    let graph = parse_text(LockFormat::YarnLock, text).unwrap();
    assert_eq!(listed(&graph).len(), 2, "{:?}", listed(&graph));
    assert_eq!(path(pkg(&graph, "a", "1.0.0")), ["a"]);
    assert!(
        graph.problems.iter().any(|p| p.starts_with("line 7:")),
        "{:?}",
        graph.problems
    );
}

#[test]
fn yarn_text_with_no_entry_is_refused() {
    let err = parse_text(LockFormat::YarnLock, "just some words\nand more\n").unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Shape);
}

// ---- bun ----

#[test]
fn bun_text_lockfile_with_trailing_commas() {
    let graph = read("bun", "bun.lock", None);
    assert_eq!(graph.format, "bun.lock v1");
    assert_demo_npm_project(&graph);
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    assert_eq!(
        pkg(&graph, "qs", "6.11.0").integrity.as_deref(),
        Some("sha512-qs6110")
    );
}

#[test]
fn bun_binary_lockfile_is_refused_with_advice() {
    let err =
        lockfile::parse(LockFormat::BunLockb, "bun.lockb", "\u{0}\u{1}binary", None).unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Binary);
    assert!(
        err.to_string()
            .contains("binary bun.lockb: commit the text bun.lock"),
        "{err}"
    );
}

// ---- poetry ----

#[test]
fn poetry_with_pyproject_derives_dev_from_groups_declared() {
    let graph = read("poetry", "poetry.lock", Some("pyproject.toml"));
    assert_eq!(graph.format, "poetry.lock v2.0");
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    assert!(graph
        .packages
        .iter()
        .all(|p| p.ecosystem == DepEcosystem::PyPI));
    assert_eq!(graph.packages.len(), 11);
    let idna = pkg(&graph, "idna", "3.6");
    assert!(!idna.direct && !idna.dev);
    assert_eq!(path(idna), ["fastapi", "starlette", "anyio", "idna"]);
    let pytest = pkg(&graph, "pytest", "8.1.1");
    assert!(pytest.direct && pytest.dev);
    let colorama = pkg(&graph, "colorama", "0.4.6");
    assert!(colorama.dev && !colorama.direct);
    assert_eq!(path(colorama), ["pytest", "colorama"]);
    // Written forms are kept; edges match names normalised.
    let yaml = pkg(&graph, "PyYAML", "6.0.1");
    assert!(yaml.direct && yaml.optional);
    assert_eq!(
        path(pkg(&graph, "typing_extensions", "4.10.0")),
        ["fastapi", "typing_extensions"]
    );
}

#[test]
fn poetry_groups_are_explicit_flags_and_directory_sources_are_skipped() {
    let graph = read("poetry-2.1", "poetry.lock", None);
    assert_eq!(graph.format, "poetry.lock v2.1");
    assert_eq!(
        listed(&graph),
        [
            "fastapi@0.110.0",
            "iniconfig@2.0.0",
            "pytest@8.1.1",
            "starlette@0.36.3"
        ]
    );
    assert!(pkg(&graph, "iniconfig", "2.0.0").dev);
    // In both main and dev: not dev.
    assert!(!pkg(&graph, "starlette", "0.36.3").dev);
    // No pyproject: packages nothing else needs stand for the direct dependencies.
    assert!(pkg(&graph, "fastapi", "0.110.0").direct);
    assert!(pkg(&graph, "pytest", "8.1.1").direct);
    assert_eq!(
        path(pkg(&graph, "starlette", "0.36.3")),
        ["fastapi", "starlette"]
    );
}

#[test]
fn poetry_toml_error_names_the_line() {
    let text = "[[package]]\nname = \"a\"\nversion = \"1.0\"\nbroken = \n";
    let err = lockfile::parse(LockFormat::PoetryLock, "poetry.lock", text, None).unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Syntax);
    assert_eq!(err.line, Some(4), "{err}");
}

// ---- uv ----

#[test]
fn uv_root_package_gives_direct_optional_and_dev_dependencies() {
    let graph = read("uv", "uv.lock", None);
    assert_eq!(graph.format, "uv.lock v1");
    assert!(graph.problems.is_empty(), "{:?}", graph.problems);
    assert_eq!(graph.packages.len(), 11);
    assert!(!graph.packages.iter().any(|p| p.name == "demo-server"));
    let fastapi = pkg(&graph, "fastapi", "0.110.0");
    assert!(fastapi.direct && !fastapi.dev && !fastapi.optional);
    assert_eq!(
        fastapi.resolved.as_deref(),
        Some("https://files.pythonhosted.org/packages/8f/8b/fastapi-0.110.0.tar.gz")
    );
    assert_eq!(fastapi.integrity.as_deref(), Some("sha256:fastapi-sdist"));
    let yaml = pkg(&graph, "pyyaml", "6.0.1");
    assert!(yaml.direct && yaml.optional);
    let iniconfig = pkg(&graph, "iniconfig", "2.0.0");
    assert!(iniconfig.dev && !iniconfig.direct);
    assert_eq!(path(iniconfig), ["pytest", "iniconfig"]);
    assert_eq!(
        path(pkg(&graph, "sniffio", "1.3.1")),
        ["fastapi", "starlette", "anyio", "sniffio"]
    );
    // Wheel-only packages take the wheel's URL and hash.
    assert_eq!(
        pkg(&graph, "colorama", "0.4.6").integrity.as_deref(),
        Some("sha256:colorama")
    );
}

// ---- Pipfile.lock ----

#[test]
fn pipfile_lock_sections_and_pipfile_direct_names() {
    let graph = read("pipfile", "Pipfile.lock", Some("Pipfile"));
    assert_eq!(graph.format, "Pipfile.lock");
    assert_eq!(
        listed(&graph),
        [
            "anyio@4.3.0",
            "fastapi@0.110.0",
            "idna@3.6",
            "iniconfig@2.0.0",
            "pytest@8.1.1",
            "starlette@0.36.3"
        ]
    );
    assert!(graph.packages.iter().all(|p| p.path.is_empty()));
    assert!(pkg(&graph, "fastapi", "0.110.0").direct);
    assert!(!pkg(&graph, "anyio", "4.3.0").direct);
    let pytest = pkg(&graph, "pytest", "8.1.1");
    assert!(pytest.direct && pytest.dev);
    // In default and develop: not dev.
    assert!(!pkg(&graph, "idna", "3.6").dev);
    assert_eq!(
        graph.problems,
        ["default[\"mylib\"]: a git source without a version: not pinned"]
    );
}

#[test]
fn pipfile_lock_without_pipfile_counts_everything_as_direct() {
    let graph = read("pipfile", "Pipfile.lock", None);
    assert!(graph.packages.iter().all(|p| p.direct));
}

// ---- requirements ----

#[test]
fn requirements_keep_exact_pins_and_report_the_rest() {
    let graph = read("requirements", "requirements.txt", None);
    assert_eq!(
        listed(&graph),
        ["PyYAML@6.0.1", "anyio@4.3.0", "fastapi@0.110.0", "idna@3.6"]
    );
    assert!(graph
        .packages
        .iter()
        .all(|p| p.direct && p.path.is_empty() && !p.dev));
    assert_eq!(
        pkg(&graph, "anyio", "4.3.0").integrity.as_deref(),
        Some("sha256:anyio-wheel")
    );
    assert_eq!(
        graph.problems,
        [
            "line 7: includes \"base.txt\": not followed",
            "line 17: \"requests>=2.31\" has no exact version: not pinned",
            "line 19: editable \"./libs/mylib\": not pinned",
            "line 20: \"git+https://github.com/example/other.git#egg=other\" is a URL: not pinned",
            "line 21: \"Django==4.2.*\" has no exact version: not pinned",
        ]
    );
}

#[test]
fn requirements_extras_and_markers_stay_off_the_name() {
    let text = "Foo_Bar[x,y]==1.0 ; python_version < \"3.9\"\nbaz === 2.0\n";
    let graph = parse_text(LockFormat::Requirements, text).unwrap();
    assert_eq!(listed(&graph), ["Foo_Bar@1.0", "baz@2.0"]);
}

// ---- Go ----

#[test]
fn go_sum_with_go_mod_takes_required_versions_and_direct_flags() {
    let graph = read("go", "go.sum", Some("go.mod"));
    assert_eq!(graph.format, "go.sum");
    assert_eq!(
        listed(&graph),
        [
            "github.com/gin-gonic/gin@v1.9.1",
            "github.com/stretchr/testify@v1.9.0",
            "golang.org/x/net@v0.23.0",
            "golang.org/x/text@v0.14.0",
            "gopkg.in/yaml.v3@v3.0.1",
        ]
    );
    assert!(graph
        .packages
        .iter()
        .all(|p| p.ecosystem == DepEcosystem::Go && p.path.is_empty()));
    assert!(pkg(&graph, "github.com/gin-gonic/gin", "v1.9.1").direct);
    assert!(pkg(&graph, "github.com/stretchr/testify", "v1.9.0").direct);
    assert!(!pkg(&graph, "golang.org/x/net", "v0.23.0").direct);
    assert_eq!(
        pkg(&graph, "github.com/gin-gonic/gin", "v1.9.1")
            .integrity
            .as_deref(),
        Some("h1:4idEAncQnU5cB7BeOkPtxjfCSye0AAm1R0RVIqJ+Jmg=")
    );
    assert_eq!(graph.problems.len(), 1);
    assert!(
        graph.problems[0].contains("replace"),
        "{:?}",
        graph.problems
    );
}

#[test]
fn go_sum_alone_prefers_content_lines_over_go_mod_lines() {
    let graph = read("go", "go.sum", None);
    // x/net v0.22.0 appears only as /go.mod beside a v0.23.0 content line.
    assert!(!graph.packages.iter().any(|p| p.version == "v0.22.0"));
    assert!(graph.packages.iter().all(|p| !p.direct));
    assert!(graph.problems.is_empty());
}

#[test]
fn go_sum_of_garbage_is_refused_with_its_line() {
    let err = parse_text(LockFormat::GoSum, "\nhello world\n").unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Shape);
    assert_eq!(err.line, Some(2));
}

// ---- limits shared by every format ----

#[test]
fn over_the_size_cap_is_refused_before_parsing() {
    let text = " ".repeat(MAX_LOCKFILE_BYTES + 1);
    for format in LockFormat::ALL {
        let err = parse_text(format, &text).unwrap_err();
        assert_eq!(err.kind, LockErrorKind::TooLarge, "{format}");
    }
}

#[test]
fn non_version_strings_keep_the_package_with_a_problem() {
    let long = "9".repeat(300);
    let text = format!(
        r#"{{"lockfileVersion": 3, "packages": {{
        "": {{"dependencies": {{"a": "1", "b": "1", "c": "1", "d": "1"}}}},
        "node_modules/a": {{"version": "1.0.0 || rm -rf"}},
        "node_modules/b": {{"version": "{long}"}},
        "node_modules/c": {{"version": "1.0.0\u0007"}},
        "node_modules/d": {{}}
    }}}}"#
    );
    let graph = parse_text(LockFormat::NpmPackageLock, &text).unwrap();
    assert_eq!(graph.packages.len(), 4, "{:?}", listed(&graph));
    let b = graph.packages.iter().find(|p| p.name == "b").unwrap();
    assert_eq!(b.version.chars().count(), 256);
    assert!(graph
        .packages
        .iter()
        .all(|p| !p.version.chars().any(char::is_control)));
    assert_eq!(graph.problems.len(), 4, "{:?}", graph.problems);
    assert!(graph
        .problems
        .iter()
        .all(|p| !p.chars().any(char::is_control)));
}

#[test]
fn long_dependency_chains_have_capped_paths() {
    let mut packages = String::from(r#""": {"dependencies": {"p0": "1"}}"#);
    for i in 0..100 {
        packages.push_str(&format!(
            r#", "node_modules/p{i}": {{"version": "1.0.0", "dependencies": {{"p{}": "1"}}}}"#,
            i + 1
        ));
    }
    packages.push_str(r#", "node_modules/p100": {"version": "1.0.0"}"#);
    let text = format!(r#"{{"lockfileVersion": 3, "packages": {{{packages}}}}}"#);
    let graph = parse_text(LockFormat::NpmPackageLock, &text).unwrap();
    let last = pkg(&graph, "p100", "1.0.0");
    assert_eq!(last.path.len(), MAX_PATH_LEN);
    assert_eq!(last.path.first().map(String::as_str), Some("p0"));
    assert_eq!(last.path.last().map(String::as_str), Some("p100"));
    assert_eq!(pkg(&graph, "p62", "1.0.0").path.len(), 63);
    assert!(
        graph.problems.iter().any(|p| p.contains("shortened")),
        "{:?}",
        graph.problems
    );
}

#[test]
fn package_count_is_capped() {
    let text: String = (0..200_010).map(|i| format!("p{i}==1.0\n")).collect();
    let graph = parse_text(LockFormat::Requirements, &text).unwrap();
    assert_eq!(graph.packages.len(), lockfile::MAX_PACKAGES);
    assert!(graph
        .problems
        .iter()
        .any(|p| p.contains("the rest were not read")));
}

#[test]
fn problem_lines_are_capped() {
    let text: String = (0..5_000).map(|i| format!("p{i}>=1\n")).collect();
    let graph = parse_text(LockFormat::Requirements, &text).unwrap();
    assert_eq!(graph.problems.len(), lockfile::MAX_PROBLEMS + 1);
    assert_eq!(
        graph.problems.last().map(String::as_str),
        Some("… and 4000 more problems")
    );
}

// ---- hostile input ----

/// Runs `f`, failing if it takes longer than `limit` (debug builds are slow: limits are loose).
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < limit, "{what} took {:?}", start.elapsed());
    out
}

fn alias_bomb() -> String {
    let mut text = String::from("lockfileVersion: '9.0'\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    text
}

#[test]
fn yaml_alias_bomb_fails_fast_with_a_clear_error() {
    let bomb = alias_bomb();
    for format in [LockFormat::PnpmLock, LockFormat::YarnLock] {
        let text = if format == LockFormat::YarnLock {
            format!("__metadata:\n  version: 8\n{bomb}")
        } else {
            bomb.clone()
        };
        let err = within(Duration::from_secs(2), "alias bomb", || {
            parse_text(format, &text)
        })
        .unwrap_err();
        assert_eq!(err.kind, LockErrorKind::Syntax, "{format}: {err}");
        assert!(err.message.contains("not valid YAML"), "{err}");
    }
}

#[test]
fn ten_megabytes_of_garbage_end_cleanly_in_every_format() {
    // A fixed xorshift stream: printable noise with newlines, brackets, quotes and NULs.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let alphabet = b"abc@/:{}[]\"'-_ =.#\n\n\t\0\\0123456789";
    let garbage: String = (0..10 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state % alphabet.len() as u64) as usize] as char
        })
        .collect();
    for format in LockFormat::ALL {
        let outcome = within(Duration::from_secs(20), format.name(), || {
            parse_text(format, &garbage)
        });
        if let Ok(graph) = outcome {
            assert!(
                graph.problems.len() <= lockfile::MAX_PROBLEMS + 1,
                "{format}"
            );
        }
    }
}

#[test]
fn truncated_json_is_a_syntax_error_with_a_line() {
    let text = fixture("npm-v2", "package-lock.json");
    let cut = &text[..text.len() / 2];
    let err =
        lockfile::parse(LockFormat::NpmPackageLock, "package-lock.json", cut, None).unwrap_err();
    assert_eq!(err.kind, LockErrorKind::Syntax);
    assert!(err.line.is_some_and(|l| l > 1), "{err}");
    assert!(err.to_string().starts_with("package-lock.json:"), "{err}");
}

#[test]
fn thousand_deep_nesting_is_refused_not_overflowed() {
    let json = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    for format in [
        LockFormat::NpmPackageLock,
        LockFormat::BunLock,
        LockFormat::PipfileLock,
    ] {
        let err = parse_text(format, &json).unwrap_err();
        assert_eq!(err.kind, LockErrorKind::Syntax, "{format}");
    }
    let yaml = format!(
        "lockfileVersion: '9.0'\nimporters: {}{}\n",
        "[".repeat(1000),
        "]".repeat(1000)
    );
    assert_eq!(
        parse_text(LockFormat::PnpmLock, &yaml).unwrap_err().kind,
        LockErrorKind::Syntax
    );
    let block_yaml: String = (0..1000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    assert!(parse_text(LockFormat::PnpmLock, &block_yaml).is_err());
    let toml = format!("a = {}{}\n", "[".repeat(1000), "]".repeat(1000));
    for format in [LockFormat::PoetryLock, LockFormat::UvLock] {
        assert!(parse_text(format, &toml).is_err(), "{format}");
    }
    let dotted = format!("[{}]\n", vec!["a"; 1000].join("."));
    for format in [LockFormat::PoetryLock, LockFormat::UvLock] {
        let _ = parse_text(format, &dotted);
    }
}

#[test]
fn deeply_nested_v1_tree_and_location_keys_stay_bounded() {
    let mut tree = String::from(r#"{"version": "1.0.0"}"#);
    for _ in 0..60 {
        tree = format!(
            r#"{{"version": "1.0.0", "requires": {{"a": "1"}}, "dependencies": {{"a": {tree}}}}}"#
        );
    }
    let text = format!(r#"{{"lockfileVersion": 1, "dependencies": {{"a": {tree}}}}}"#);
    let graph = parse_text(LockFormat::NpmPackageLock, &text).unwrap();
    assert_eq!(listed(&graph), ["a@1.0.0"]);

    let deep: String = "node_modules/a/".repeat(2000);
    let text = format!(
        r#"{{"lockfileVersion": 3, "packages": {{"{}node_modules/a": {{"version": "1.0.0", "dependencies": {{"zz": "1"}}}}}}}}"#,
        deep
    );
    let graph = parse_text(LockFormat::NpmPackageLock, &text).unwrap();
    assert!(graph.packages.is_empty());
    assert!(graph.problems.iter().any(|p| p.contains("longer than")));
}

#[test]
fn nul_bytes_end_in_errors_or_problems() {
    let json =
        "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\u{0}\": {\"version\": \"1\"}}}";
    assert_eq!(
        parse_text(LockFormat::NpmPackageLock, json)
            .unwrap_err()
            .kind,
        LockErrorKind::Syntax
    );
    let escaped =
        r#"{"lockfileVersion": 3, "packages": {"node_modules/a\u0000b": {"version": "1.0.0"}}}"#;
    let graph = parse_text(LockFormat::NpmPackageLock, escaped).unwrap();
    assert!(graph.packages.is_empty());
    assert!(
        graph
            .problems
            .iter()
            .any(|p| p.contains("not a package name") && p.contains("\\0")),
        "{:?}",
        graph.problems
    );

    let requirements = parse_text(LockFormat::Requirements, "a\u{0}b==1.0\nok==2.0\n").unwrap();
    assert_eq!(listed(&requirements), ["ok@2.0"]);
    assert_eq!(requirements.problems.len(), 1);

    let go = parse_text(
        LockFormat::GoSum,
        "x.org/m\u{0} v1.0.0 h1:abc=\nx.org/n v1.0.0 h1:abc=\n",
    )
    .unwrap();
    assert_eq!(listed(&go), ["x.org/n@v1.0.0"]);

    let yarn = parse_text(
        LockFormat::YarnLock,
        "a\u{0}@^1:\n  version \"1.0.0\"\nb@^1:\n  version \"1.0.0\"\n",
    )
    .unwrap();
    assert_eq!(listed(&yarn), ["b@1.0.0"]);
}

#[test]
fn fuzz_target_takes_any_bytes() {
    let inputs: [&[u8]; 5] = [
        b"",
        b"\xff\xfe\x00",
        b"{",
        b"[[package]]\nname = 1",
        b"a:\n  - &x [*x]",
    ];
    for format in LockFormat::ALL {
        for input in inputs {
            fuzz_one(format, input);
        }
    }
}

#[test]
fn wide_entries_under_a_deep_v1_chain_do_not_amplify() {
    let key = "k".repeat(60);
    let siblings: Vec<String> = (0..20_000)
        .map(|i| format!(r#""x{i}": {{"version": "1.0.0", "requires": {{"zz": "1"}}}}"#))
        .collect();
    let mut tree = format!(
        r#"{{"version": "1.0.0", "dependencies": {{{}}}}}"#,
        siblings.join(",")
    );
    for _ in 0..55 {
        tree = format!(r#"{{"version": "1.0.0", "dependencies": {{"{key}": {tree}}}}}"#);
    }
    let text = format!(r#"{{"lockfileVersion": 1, "dependencies": {{"{key}": {tree}}}}}"#);
    let graph = within(Duration::from_secs(10), "wide v1", || {
        parse_text(LockFormat::NpmPackageLock, &text)
    })
    .unwrap();
    assert_eq!(graph.packages.len(), 20_001);
    assert_eq!(graph.problems.len(), lockfile::MAX_PROBLEMS + 1);
}

#[test]
fn many_dependencies_of_a_deeply_nested_location_stop_at_the_work_budget() {
    let location = "node_modules/a/".repeat(270) + "node_modules/b";
    let deps: Vec<String> = (0..5_000).map(|i| format!(r#""d{i}": "1""#)).collect();
    let text = format!(
        r#"{{"lockfileVersion": 3, "packages": {{"{location}": {{"version": "1.0.0", "dependencies": {{{}}}}}}}}}"#,
        deps.join(",")
    );
    let graph = within(Duration::from_secs(10), "deep location", || {
        parse_text(LockFormat::NpmPackageLock, &text)
    })
    .unwrap();
    assert_eq!(listed(&graph), ["b@1.0.0"]);
    assert!(
        graph
            .problems
            .iter()
            .any(|p| p.contains("resolution stopped")),
        "{:?}",
        &graph.problems[..3]
    );
}
