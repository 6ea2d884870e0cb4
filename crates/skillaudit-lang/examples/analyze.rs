//! Print the flows, exposures and tools the analysis finds in a folder (a debugging aid):
//! `cargo run -p skillaudit-lang --example analyze -- DIR`.

use skillaudit_lang::{analyze, AnalysisLimits, SourceFile};

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: analyze DIR");
        std::process::exit(2);
    };
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file()
            || entry
                .path()
                .components()
                .any(|c| c.as_os_str() == "node_modules")
        {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.push((rel, text));
        }
    }
    let files: Vec<SourceFile<'_>> = texts
        .iter()
        .map(|(p, t)| SourceFile { path: p, text: t })
        .collect();
    let start = std::time::Instant::now();
    let a = analyze(&files, &AnalysisLimits::default());
    eprintln!(
        "analysed {} files in {:?}",
        a.files_analysed,
        start.elapsed()
    );
    for f in &a.flows {
        println!(
            "{:?} {}:{}:{} [{:?} {}] guards={:?} api={} prog={:?} via={:?} :: {}",
            f.kind,
            f.file,
            f.line,
            f.column,
            f.origin.kind,
            f.origin.what,
            f.guards.names(),
            f.api,
            f.program,
            f.via,
            f.snippet
        );
    }
    for e in &a.exposures {
        println!(
            "EXPOSURE {:?} {}:{} {} :: {}",
            e.kind, e.file, e.line, e.detail, e.snippet
        );
    }
    for t in &a.tools {
        println!("TOOL {} {}:{}", t.name, t.file, t.line);
    }
    if std::env::var_os("SINKS").is_some() {
        for s in &a.sinks {
            println!(
                "SINK {:?} {}:{}:{} {} tools={:?} status={:?} target={:?}",
                s.kind, s.file, s.line, s.column, s.api, s.tools, s.status, s.target
            );
        }
        for c in &a.calls {
            println!(
                "CALL {}:{} {} {:?} {:?} source={}",
                c.file, c.line, c.callee, c.resolution, c.reason, c.from_source
            );
        }
    }
    for s in &a.skipped {
        println!("SKIPPED {} {}", s.0, s.1);
    }
}
