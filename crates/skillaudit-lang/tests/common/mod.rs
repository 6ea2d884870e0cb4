//! The analysis run on small programs written in the tests.

use skillaudit_lang::{analyze, AnalysisLimits, Flow, SourceFile};

/// The flows of the program made of `files` (path, text).
pub fn flows(files: &[(&str, &str)]) -> Vec<Flow> {
    let files: Vec<SourceFile<'_>> = files
        .iter()
        .map(|(path, text)| SourceFile { path, text })
        .collect();
    analyze(&files, &AnalysisLimits::default()).flows
}
