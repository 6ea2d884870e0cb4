//! Making untrusted text (messages, evidence, paths and errors from audited code) safe to show.
//!
//! Terminal: every character that can change what a terminal does or how text reads — C0 and C1
//! controls (ANSI escapes start with ESC, U+001B), DEL, bidirectional overrides ("Trojan Source"),
//! zero-width characters, line and paragraph separators — is shown as a visible `\u{…}` escape.
//! Markdown: the same, then every character Markdown or HTML gives a meaning to is escaped, so a
//! message cannot break a table row, open a link, inject a tag or `@`-mention someone.

/// True for characters shown as `\u{…}` instead of themselves.
fn is_hazardous(ch: char) -> bool {
    matches!(ch,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidirectional marks, embeddings, overrides and isolates.
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // Zero-width characters and the byte-order mark: invisible text.
        | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
        // Line and paragraph separators: line breaks to some terminals and editors.
        | '\u{2028}' | '\u{2029}')
}

/// One line of untrusted text with hazardous characters made visible; tabs become a space.
pub(crate) fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch == '\t' {
            out.push(' ');
        } else if is_hazardous(ch) {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// `text` cut to at most `max_chars` characters, with `…` marking the cut.
pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Untrusted text for a terminal: one line (line breaks shown as `\u{a}`), hazards visible,
/// at most `max_chars` characters.
pub(crate) fn terminal(text: &str, max_chars: usize) -> String {
    visible(&truncate(text, max_chars))
}

/// Untrusted text as inline Markdown, safe in a table cell, a list item or a heading: one line,
/// Markdown and HTML escaped, `@` mentions broken with a zero-width space.
pub(crate) fn markdown_text(text: &str, max_chars: usize) -> String {
    let one_line = truncate(
        &text.replace("\r\n", " ").replace(['\n', '\r'], " "),
        max_chars,
    );
    let shown = visible(&one_line);
    let mut out = String::with_capacity(shown.len() + 8);
    for (index, ch) in shown.chars().enumerate() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '@' => out.push_str("@&#8203;"),
            // `#` too: `org/repo#12` would otherwise link (and notify) another repository's issue.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            // List markers and heading underlines only mean something at the start.
            '-' | '+' | '=' if index == 0 => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// A finding message as inline Markdown: rule messages quote code between backticks
/// (`` `WEATHER_API_KEY` ``), so when the backticks pair up those parts become code spans (which
/// show their content literally) and the rest is escaped as by [`markdown_text`]. With unpaired
/// backticks the whole message is escaped.
pub(crate) fn markdown_message(text: &str, max_chars: usize, in_table: bool) -> String {
    let one_line = truncate(
        &text.replace("\r\n", " ").replace(['\n', '\r'], " "),
        max_chars,
    );
    let parts: Vec<&str> = one_line.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return markdown_text(&one_line, usize::MAX);
    }
    parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                markdown_code(part, usize::MAX, in_table)
            } else {
                markdown_text(part, usize::MAX)
            }
        })
        .collect()
}

/// Untrusted text as a Markdown code span (shown literally: no HTML, no mentions). In a table,
/// `|` is escaped as GFM requires even inside code spans.
pub(crate) fn markdown_code(text: &str, max_chars: usize, in_table: bool) -> String {
    let one_line = truncate(
        &text.replace("\r\n", " ").replace(['\n', '\r'], " "),
        max_chars,
    );
    let mut content = visible(&one_line);
    if content.trim().is_empty() {
        return String::new();
    }
    if in_table {
        content = content.replace('|', "\\|");
    }
    let longest_run = content
        .split(|ch| ch != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// A URL safe to put in a Markdown link: `https://` and none of the characters that could end
/// the link or start markup.
pub(crate) fn safe_link(url: &str) -> Option<&str> {
    let safe = url.starts_with("https://")
        && url.len() <= 2048
        && url.chars().all(|ch| {
            ch.is_ascii_graphic() && !matches!(ch, '(' | ')' | '<' | '>' | '[' | ']' | '"' | '`')
        });
    safe.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let shown = terminal("a\x1b[2Jb\u{202e}c\u{9b}d", 100);
        assert_eq!(shown, "a\\u{1b}[2Jb\\u{202e}c\\u{9b}d");
        assert!(!shown.contains('\x1b'));
    }

    #[test]
    fn truncation_counts_characters_not_bytes() {
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abc", 0), "…");
    }

    #[test]
    fn markdown_text_cannot_break_a_table_or_inject_html() {
        let shown = markdown_text("a|b <script>x</script> `c` [l](u) @team\nnext", 200);
        assert!(!shown.contains("<script>"));
        assert!(!shown.contains('\n'));
        assert!(!shown.contains("@team"));
        assert_eq!(shown.matches('|').count(), shown.matches("\\|").count());
        assert!(shown.contains("\\`c\\`"));
    }

    #[test]
    fn paired_backticks_in_messages_become_code_spans() {
        assert_eq!(
            markdown_message("variable `A_B` is <read>", 100, true),
            "variable `A_B` is &lt;read&gt;"
        );
        assert_eq!(markdown_message("a|`b|c`", 100, true), "a\\|`b\\|c`");
        assert_eq!(
            markdown_message("odd ` tick_", 100, true),
            "odd \\` tick\\_"
        );
    }

    #[test]
    fn code_span_fence_outgrows_backticks_inside() {
        assert_eq!(markdown_code("a`b", 100, false), "``a`b``");
        assert_eq!(markdown_code("`x`", 100, false), "`` `x` ``");
        assert_eq!(markdown_code("a|b", 100, true), "`a\\|b`");
        assert_eq!(markdown_code("  ", 100, true), "");
    }

    #[test]
    fn only_plain_https_links_are_linked() {
        assert!(safe_link("https://example.com/docs/A-1.md").is_some());
        assert!(safe_link("javascript:alert(1)").is_none());
        assert!(safe_link("https://x.y/a) [b](c").is_none());
    }
}
