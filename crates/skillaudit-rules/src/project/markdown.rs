//! Just enough document structure for the Documentation axis: headings (ATX `#`, setext and
//! reStructuredText underlines, bold-only lines) and the text under each, outside code fences.

/// One heading of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub title: String,
    /// 1-based line of the heading.
    pub line: u32,
    /// Text from the heading to the next heading (code blocks included).
    pub body: String,
}

fn is_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3
        && t.chars()
            .all(|c| matches!(c, '=' | '-' | '~' | '^' | '*' | '#' | '+'))
        && t.chars().collect::<std::collections::HashSet<_>>().len() == 1
}

/// The headings of a Markdown or reStructuredText document, in order.
pub fn headings(text: &str) -> Vec<Heading> {
    let lines: Vec<&str> = text.lines().collect();
    let mut starts: Vec<(usize, String)> = Vec::new();
    let mut in_fence = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            i += 1;
            continue;
        }
        if in_fence {
            i += 1;
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            let title = rest.trim_start_matches('#');
            if title.starts_with(' ') || title.is_empty() {
                starts.push((i, clean_title(title)));
            }
        } else if i + 1 < lines.len()
            && !trimmed.is_empty()
            && is_underline(lines[i + 1])
            && !is_underline(line)
        {
            starts.push((i, clean_title(trimmed)));
            i += 2;
            continue;
        } else if let Some(inner) = trimmed
            .strip_prefix("**")
            .and_then(|t| t.trim_end().strip_suffix("**"))
        {
            if !inner.is_empty() && inner.len() < 80 && !inner.contains("**") {
                starts.push((i, clean_title(inner)));
            }
        }
        i += 1;
    }
    let mut out = Vec::with_capacity(starts.len());
    for (n, (start, title)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map(|(s, _)| *s).unwrap_or(lines.len());
        out.push(Heading {
            title: title.clone(),
            line: u32::try_from(start + 1).unwrap_or(u32::MAX),
            body: lines[*start..end].join("\n"),
        });
    }
    out
}

fn clean_title(title: &str) -> String {
    title
        .trim()
        .trim_end_matches('#')
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == ':')
        .trim()
        .to_string()
}

/// The first heading whose title contains one of `words` (case-insensitive, whole words).
pub fn find_heading<'a>(headings: &'a [Heading], words: &[&str]) -> Option<&'a Heading> {
    headings.iter().find(|h| {
        let title = h.title.to_ascii_lowercase();
        let tokens: Vec<&str> = title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        words.iter().any(|w| {
            let w = w.to_ascii_lowercase();
            if w.contains(' ') {
                title.contains(&w)
            } else {
                tokens.iter().any(|t| *t == w)
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_atx_setext_and_rst_headings_outside_fences() {
        let text = "# Demo\nintro\n\n## Installation\nnpm i\n```sh\n# not a heading\n```\nConfiguration\n=============\nset X\n**Tools**\n- a\n";
        let hs = headings(text);
        let titles: Vec<_> = hs.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["Demo", "Installation", "Configuration", "Tools"]);
        assert_eq!(hs[1].line, 4);
        assert!(hs[1].body.contains("# not a heading"));
        assert!(find_heading(&hs, &["install", "installation"]).is_some());
        assert!(find_heading(&hs, &["usage"]).is_none());
    }
}
