//! Repository URLs as manifests and registries write them, normalised to a browsable `https://`
//! address.

/// `git+https://host/o/r.git` → `https://host/o/r`; also `git://`, `git@host:o/r`,
/// `github:o/r` and the bare `o/r` shorthand.
pub fn normalise_repo_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let mut url = raw.strip_prefix("git+").unwrap_or(raw).to_string();
    if let Some(rest) = url.strip_prefix("git://") {
        url = format!("https://{rest}");
    } else if let Some(rest) = url.strip_prefix("ssh://git@") {
        url = format!("https://{}", rest.replacen(':', "/", 1));
    } else if let Some(rest) = url.strip_prefix("git@") {
        url = format!("https://{}", rest.replacen(':', "/", 1));
    } else if let Some(rest) = url.strip_prefix("github:") {
        url = format!("https://github.com/{rest}");
    } else if let Some(rest) = url.strip_prefix("gitlab:") {
        url = format!("https://gitlab.com/{rest}");
    } else if let Some(rest) = url.strip_prefix("bitbucket:") {
        url = format!("https://bitbucket.org/{rest}");
    } else if !url.contains("://") && url.split('/').count() == 2 && !url.starts_with('.') {
        url = format!("https://github.com/{url}");
    }
    let url = url.split('#').next().unwrap_or(&url);
    let url = url.trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_urls_are_normalised() {
        for (raw, want) in [
            ("git+https://github.com/o/r.git", "https://github.com/o/r"),
            ("git://github.com/o/r.git", "https://github.com/o/r"),
            ("git@github.com:o/r.git", "https://github.com/o/r"),
            ("github:o/r", "https://github.com/o/r"),
            ("o/r", "https://github.com/o/r"),
            ("https://github.com/o/r", "https://github.com/o/r"),
            ("ssh://git@github.com/o/r.git", "https://github.com/o/r"),
            ("https://gitlab.com/o/r.git#main", "https://gitlab.com/o/r"),
        ] {
            assert_eq!(normalise_repo_url(raw).as_deref(), Some(want), "{raw}");
        }
    }
}
