//! `cargo xtask docs [--check]`: write docs/rules/*.md from the rules' doc comments and
//! schema/report.schema.json from the report card's types. With `--check`, write nothing and
//! fail when a generated file is stale (CI runs the same check as a test).
//!
//! `cargo xtask eval-corpus [--shared DIR] [--cache DIR] [--no-fetch] [--json FILE]
//! [--check-targets]`: audit the advisory corpus and write recall and fix seen into
//! docs/benchmarks.md (see [`eval_corpus`]).
//!
//! `cargo xtask eval-benign [--check] [--json FILE]`: audit the benign reference servers from
//! their registries and write grades and findings into docs/benchmarks.md (see [`eval_benign`]).
//! `cargo xtask eval-injection [--check-targets]`: score the INJ techniques on the corpus of
//! poisoned and benign tool descriptions (see [`eval_injection`]).
//! `cargo xtask eval-skills [--check-targets]`: audit the corpus of malicious and benign agent
//! skills and score detection (see [`eval_skills`]).
//! `cargo xtask eval-secbench [--shared DIR] [--cache DIR] [--no-fetch] [--json FILE]`: download
//! the npm packages of the SecBench.js development half (`npm pack --ignore-scripts`, cached in
//! `.secbench-cache/`), audit them in library mode and write recall per class and every missed
//! sink with its cause into docs/benchmarks.md (see [`eval_secbench`]).
//! `cargo xtask eval-malicious [--shared DIR] [--json FILE]`: audit the deliberately malicious
//! servers of the shared corpus as written and with comments and docstrings removed, and the
//! benign reference servers and fixtures, and write detection per category into
//! docs/benchmarks.md (see [`eval_malicious`]).
//! `cargo xtask eval-reach [--list FILE] [--cache DIR] [--json FILE] [--offline]`: audit the real
//! MCP servers of `xtask/data/real-servers.txt` and write the label-free reach figures (call
//! resolution, what became of every non-constant sink, findings per thousand lines) into
//! docs/benchmarks.md (see [`eval_reach`]).
//! `cargo xtask fuzz-lockfiles [--seconds N] [--seed S]`: mutation-fuzz the lockfile parsers
//! for a bounded time; non-zero on a panic or a call over 1 s (see [`fuzz_lockfiles`]).

mod bench_deps;
mod bench_service;
mod doc_section;
mod eval_benign;
mod eval_corpus;
mod eval_grades;
mod eval_injection;
mod eval_malicious;
mod eval_reach;
mod eval_secbench;
mod eval_skills;
mod flags;
mod fuzz_lockfiles;
mod kill_test;
mod recorded_registry;
mod scoring;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generated() -> Vec<(String, String)> {
    let mut files = skillaudit_rules::docs::generated_files();
    files.push((
        "schema/report.schema.json".to_string(),
        skillaudit_core::schema::report_schema_json(),
    ));
    files
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    match args.first().map(String::as_str) {
        Some("docs") => {}
        Some("eval-corpus") => return eval_corpus::main(&repo_root(), &args[1..]),
        Some("eval-benign") => return eval_benign::main(&repo_root(), &args[1..]),
        Some("eval-grades") => return eval_grades::main(&repo_root(), &args[1..]),
        Some("eval-injection") => return eval_injection::main(&repo_root(), &args[1..]),
        Some("eval-skills") => return eval_skills::main(&repo_root(), &args[1..]),
        Some("eval-secbench") => return eval_secbench::main(&repo_root(), &args[1..]),
        Some("eval-malicious") => return eval_malicious::main(&repo_root(), &args[1..]),
        Some("eval-reach") => return eval_reach::main(&repo_root(), &args[1..]),
        Some("fuzz-lockfiles") => return fuzz_lockfiles::main(&repo_root(), &args[1..]),
        Some("bench-deps") => return bench_deps::main(&repo_root(), &args[1..]),
        Some("bench-service") => return bench_service::main(&repo_root(), &args[1..]),
        Some("kill-test") => return kill_test::main(&repo_root(), &args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask docs [--check]\n       cargo xtask eval-corpus [--shared DIR] \
                 [--cache DIR] [--no-fetch] [--json FILE] [--check-targets]\n       \
                 cargo xtask eval-benign [--check] [--json FILE]\n       \
                 cargo xtask eval-grades\n       \
                 cargo xtask eval-injection [--shared DIR] [--check-targets]\n       \
                 cargo xtask eval-skills [--shared DIR] [--check-targets]\n       \
                 cargo xtask eval-secbench [--shared DIR] [--cache DIR] [--no-fetch] \
                 [--json FILE]\n       \
                 cargo xtask eval-malicious [--shared DIR] [--json FILE]\n       \
                 cargo xtask eval-reach [--list FILE] [--cache DIR] [--json FILE] [--offline]\n       \
                 cargo xtask fuzz-lockfiles [--seconds N] [--seed S]\n       \
                 cargo xtask bench-deps\n       \
                 cargo xtask bench-service [--audits N] [--requests N] [--clients N]\n       \
                 cargo xtask kill-test [--jobs N] [--database URL]"
            );
            return ExitCode::from(2);
        }
    }
    let root = repo_root();
    let mut stale = Vec::new();
    for (path, content) in generated() {
        let full = root.join(&path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            stale.push(path);
            continue;
        }
        if let Some(dir) = full.parent() {
            if let Err(err) = std::fs::create_dir_all(dir) {
                eprintln!("cannot create {}: {err}", dir.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(err) = std::fs::write(&full, content) {
            eprintln!("cannot write {}: {err}", full.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {path}");
    }
    // Pages of rules that no longer exist.
    if let Ok(entries) = std::fs::read_dir(root.join("docs/rules")) {
        let expected: Vec<String> = generated().into_iter().map(|(p, _)| p).collect();
        for entry in entries.flatten() {
            let rel = format!("docs/rules/{}", entry.file_name().to_string_lossy());
            if !expected.contains(&rel) {
                if check {
                    stale.push(rel);
                } else if std::fs::remove_file(entry.path()).is_ok() {
                    println!("removed {rel}");
                }
            }
        }
    }
    if !stale.is_empty() {
        eprintln!("generated files are stale, run `cargo xtask docs`: {stale:?}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
