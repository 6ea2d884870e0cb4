//! Surface classification from a file's path (docs/methodology.md, "Surfaces").
//!
//! The rules, first match wins:
//! 1. **test** — a folder named `test`, `tests`, `__tests__`, `spec`, `specs`, `testing`,
//!    `__mocks__`, `e2e`, `fixtures`, `testdata`; or a file named `*.test.*`, `*.spec.*`,
//!    `test_*.py`, `*_test.py`, `*_test.go`, `conftest.py`.
//!    Also test tooling data named for tests (`.test_durations`).
//! 2. **example** — a folder named `example(s)`, `demo(s)`, `sample(s)`, `playground`; or a
//!    non-code file whose name says it is an example to copy (`.env.example`, `config.sample.json`,
//!    `settings.template.yaml`, `app.dist.ini`).
//! 3. **benchmark** — a folder named `bench`, `benches`, `benchmark(s)`.
//! 4. **docs** — a folder named `doc`, `docs`, `documentation`, `site`; or a documentation file
//!    (Markdown, reStructuredText, AsciiDoc, plain text).
//! 5. **script** — a folder named `scripts`, `script`, `.github`, `.husky`, `ci`; or a build or
//!    install file (`setup.py`, `install.sh`, `Makefile`, `noxfile.py`, `*.config.js`, …), or a
//!    shell script at the top level.
//! 6. **runtime** — everything else: the code a user installs and runs.
//!
//! A file that a manifest names as an entry point (`bin`, `main`, console script) is runtime
//! whatever its path; the engine applies that override.

use crate::model::Surface;

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testing",
    "__mocks__",
    "e2e",
    "fixtures",
    "testdata",
    "test_data",
];
const EXAMPLE_DIRS: &[&str] = &[
    "example",
    "examples",
    "demo",
    "demos",
    "sample",
    "samples",
    "playground",
];
const BENCH_DIRS: &[&str] = &["bench", "benches", "benchmark", "benchmarks"];
const DOC_DIRS: &[&str] = &["doc", "docs", "documentation", "site"];
const SCRIPT_DIRS: &[&str] = &["scripts", "script", ".github", ".husky", "ci", ".ci"];
const DOC_EXTENSIONS: &[&str] = &["md", "mdx", "markdown", "rst", "adoc", "txt"];
const SCRIPT_FILES: &[&str] = &[
    "setup.py",
    "noxfile.py",
    "tasks.py",
    "fabfile.py",
    "makefile",
    "justfile",
    "install.sh",
    "install.ps1",
    "gulpfile.js",
    "gruntfile.js",
    "dockerfile",
];
const SCRIPT_SUFFIXES: &[&str] = &[
    ".config.js",
    ".config.cjs",
    ".config.mjs",
    ".config.ts",
    ".config.mts",
];

/// The surface of a file, from its path relative to the target root (`/` separators).
pub fn classify_path(path: &str) -> Surface {
    let lower = path.replace('\\', "/").to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    let Some((file, dirs)) = parts.split_last() else {
        return Surface::Runtime;
    };
    let has_dir = |names: &[&str]| dirs.iter().any(|d| names.contains(d));

    if has_dir(TEST_DIRS) || is_test_file(file) {
        return Surface::Test;
    }
    if has_dir(EXAMPLE_DIRS) || is_example_file(file) {
        return Surface::Example;
    }
    if has_dir(BENCH_DIRS) {
        return Surface::Benchmark;
    }
    // A skill's SKILL.md is what the agent loads and follows: the skill's runtime.
    if *file == "skill.md" {
        return Surface::Runtime;
    }
    let extension = file.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    // requirements.txt and constraints.txt are manifests, not prose.
    let is_manifest_text =
        extension == "txt" && (file.starts_with("requirements") || file.starts_with("constraints"));
    if has_dir(DOC_DIRS) || (DOC_EXTENSIONS.contains(&extension) && !is_manifest_text) {
        return Surface::Docs;
    }
    if has_dir(SCRIPT_DIRS)
        || SCRIPT_FILES.contains(file)
        || SCRIPT_SUFFIXES.iter().any(|suffix| file.ends_with(suffix))
        || (dirs.is_empty() && matches!(extension, "sh" | "bash" | "ps1" | "bat" | "cmd"))
    {
        return Surface::Script;
    }
    Surface::Runtime
}

/// `.env.example`, `config.example.json`, `settings.sample.yaml`, `app.template.toml`: a file
/// shipped to be copied and filled in, not one the server reads.
fn is_example_file(file: &str) -> bool {
    // Not code: `prompt.template.ts` or `index.dist.js` is a module the server loads.
    let extension = file.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if matches!(
        extension,
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" | "py" | "pyw" | "sh"
    ) {
        return false;
    }
    file.split('.')
        .skip(1)
        .any(|p| matches!(p, "example" | "examples" | "sample" | "template" | "dist"))
}

fn is_test_file(file: &str) -> bool {
    if file.starts_with(".test_") {
        return true;
    }
    let stem_parts: Vec<&str> = file.split('.').collect();
    if stem_parts.len() >= 3
        && stem_parts[1..stem_parts.len() - 1]
            .iter()
            .any(|p| *p == "test" || *p == "spec")
    {
        return true;
    }
    file == "conftest.py"
        || (file.starts_with("test_") && file.ends_with(".py"))
        || file.ends_with("_test.py")
        || file.ends_with("_test.go")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table() {
        let table = [
            ("dist/index.js", Surface::Runtime),
            ("src/prompt.template.ts", Surface::Runtime),
            ("src/mcp_server_git/server.py", Surface::Runtime),
            ("dist/tools/kubectl-get.js", Surface::Runtime),
            ("server/build/index.js", Surface::Runtime),
            ("src/tools/fetch.ts", Surface::Runtime),
            ("tests/test_server.py", Surface::Test),
            (".test_durations", Surface::Test),
            (".env.example", Surface::Example),
            ("config/settings.sample.json", Surface::Example),
            ("src/server.py", Surface::Runtime),
            ("dist/index.js", Surface::Runtime),
            ("src/prompt.template.ts", Surface::Runtime),
            ("src/__tests__/a.ts", Surface::Test),
            ("src/util.test.ts", Surface::Test),
            ("src/util.spec.js", Surface::Test),
            ("test_server.py", Surface::Test),
            ("pkg/conftest.py", Surface::Test),
            ("examples/client.py", Surface::Example),
            ("demo/app.js", Surface::Example),
            ("benchmarks/run.py", Surface::Benchmark),
            ("docs/guide.md", Surface::Docs),
            ("README.md", Surface::Docs),
            ("SKILL.md", Surface::Runtime),
            ("skills/pdf/SKILL.md", Surface::Runtime),
            ("scripts/release.sh", Surface::Script),
            ("install.sh", Surface::Script),
            ("setup.py", Surface::Script),
            ("vite.config.ts", Surface::Script),
            ("Makefile", Surface::Script),
            (".github/workflows/ci.yml", Surface::Script),
            ("src/tools/run.sh", Surface::Runtime),
            ("requirements.txt", Surface::Runtime),
            ("requirements-dev.txt", Surface::Runtime),
            ("NOTES.txt", Surface::Docs),
            ("", Surface::Runtime),
        ];
        for (path, expected) in table {
            assert_eq!(classify_path(path), expected, "{path}");
        }
    }
}
