//! JSON with comments and trailing commas (the dialect VS Code, Cursor, Zed and Claude Code
//! accept in their settings), turned into plain JSON without moving anything: comments and
//! trailing commas become spaces, so byte offsets and line numbers stay those of the file.

/// `text` with `//` and `/* */` comments and trailing commas blanked out. Strings are left
/// untouched, escapes included. An unterminated block comment blanks the rest of the file (the
/// JSON parser then reports what is missing).
pub fn to_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = bytes.to_vec();
    let mut i = 0;
    // Index in `out` of the last comma seen outside strings with only blanks after it.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                pending_comma = None;
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    blank(&mut out, i);
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                blank(&mut out, i);
                blank(&mut out, i + 1);
                i += 2;
                while i < bytes.len() {
                    if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        blank(&mut out, i);
                        blank(&mut out, i + 1);
                        i += 2;
                        break;
                    }
                    blank(&mut out, i);
                    i += 1;
                }
            }
            b',' => {
                pending_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(c) = pending_comma.take() {
                    out[c] = b' ';
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                pending_comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces, and multi-byte sequences inside comments
    // were blanked byte by byte, so the result is valid UTF-8; fall back to lossy just in case.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Blank one byte, keeping line breaks so line numbers do not move.
fn blank(out: &mut [u8], i: usize) {
    if let Some(b) = out.get_mut(i) {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_json;

    fn parses(text: &str) -> serde_json::Value {
        match serde_json::from_str(&to_json(text)) {
            Ok(v) => v,
            Err(e) => panic!("{e}: {}", to_json(text)),
        }
    }

    #[test]
    fn line_comments_are_blanked() {
        let v = parses("{\n // servers\n \"a\": 1 // one\n}");
        assert_eq!(v["a"], 1);
    }

    #[test]
    fn block_comments_are_blanked_and_keep_lines() {
        let text = "{ /* a\n b */ \"a\": 1 }";
        let json = to_json(text);
        assert_eq!(json.lines().count(), 2);
        assert_eq!(parses(text)["a"], 1);
    }

    #[test]
    fn trailing_commas_are_removed() {
        let v = parses("{\"a\": [1, 2, ], \"b\": {\"c\": 3,},\n}");
        assert_eq!(v["a"][1], 2);
        assert_eq!(v["b"]["c"], 3);
    }

    #[test]
    fn comment_markers_inside_strings_are_kept() {
        let v = parses(r#"{"url": "https://x.example/a//b", "s": "/* no */", "q": "a\"//b",}"#);
        assert_eq!(v["url"], "https://x.example/a//b");
        assert_eq!(v["s"], "/* no */");
        assert_eq!(v["q"], "a\"//b");
    }

    #[test]
    fn comma_before_comment_then_brace_is_trailing() {
        let v = parses("{\"a\": 1, // last\n}");
        assert_eq!(v["a"], 1);
    }

    #[test]
    fn unterminated_comment_does_not_panic() {
        assert!(serde_json::from_str::<serde_json::Value>(&to_json("{\"a\": 1 /* open")).is_err());
        let _ = to_json("\"unterminated \\");
        let _ = to_json("/");
        let _ = to_json("é// é\n/* é */");
    }
}
