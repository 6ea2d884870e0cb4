//! Sections of a Markdown document that a command owns: the text between a start and an end
//! marker is rewritten, everything else is left as it is.

use anyhow::{bail, Result};

/// Put `body` between `start_marker` and `end_marker` in `doc`, leaving the rest (other marked
/// sections included) untouched; without markers, append the marked section at the end.
pub fn replace_marked(
    doc: &str,
    start_marker: &str,
    end_marker: &str,
    body: &str,
) -> Result<String> {
    let mut block = format!("{start_marker}\n{body}");
    if !block.ends_with('\n') {
        block.push('\n');
    }
    block.push_str(end_marker);
    let start = doc.find(start_marker);
    let end = start.and_then(|s| doc[s..].find(end_marker).map(|e| s + e));
    match (start, end, doc.find(end_marker)) {
        (Some(start), Some(end), _) => Ok(format!(
            "{}{block}{}",
            &doc[..start],
            &doc[end + end_marker.len()..]
        )),
        (None, None, None) => {
            let mut out = doc.to_string();
            if !out.is_empty() {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
            }
            out.push_str(&block);
            out.push('\n');
            Ok(out)
        }
        _ => bail!(
            "found `{start_marker}` without a later `{end_marker}` or the other way round; fix the \
             markers by hand"
        ),
    }
}
