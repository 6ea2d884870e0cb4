//! What the user asked to audit, parsed from the command line text (SPEC §2).

use crate::error::SourceError;
use std::fmt;
use std::path::{Path, PathBuf};

/// File name endings recognised as archives SkillAudit can unpack.
pub const ARCHIVE_EXTENSIONS: &[&str] =
    &[".tar.gz", ".tgz", ".tar", ".zip", ".whl", ".mcpb", ".dxt"];

/// One audit target, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSpec {
    /// A local folder, audited in place.
    Folder(PathBuf),
    /// A local `.tgz`, `.tar.gz`, `.tar`, `.zip`, `.whl`, `.mcpb` or `.dxt` file.
    Archive(PathBuf),
    /// A local `.json` file holding a server's `tools/list` result (optionally with `prompts`,
    /// `resources` and `instructions`): metadata captured from a live server.
    ToolList(PathBuf),
    /// A published npm package version: `npm:NAME@VERSION` (a dist-tag such as `latest` also works).
    Npm { name: String, version: String },
    /// A published PyPI release: `pypi:NAME==VERSION`.
    Pypi { name: String, version: String },
    /// A git repository, cloned shallowly; `git_ref` is a branch, tag or commit sha.
    Git {
        url: String,
        git_ref: Option<String>,
    },
}

impl TargetSpec {
    /// Parses target text: `npm:NAME@VERSION`, `pypi:NAME==VERSION`, a git URL (`https://…`,
    /// `ssh://…`, `git@host:path`, `file://…`, `git+https://…`, anything ending `.git`, with an
    /// optional `#REF` suffix), or a local folder or archive path. `git_ref` (`--ref`) applies to
    /// git targets only.
    pub fn parse(input: &str, git_ref: Option<&str>) -> Result<TargetSpec, SourceError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(SourceError::invalid(input, "empty target"));
        }
        if text.starts_with('-') {
            return Err(SourceError::invalid(
                input,
                "a target may not start with `-`",
            ));
        }
        let spec = if let Some(rest) = text.strip_prefix("npm:") {
            parse_npm(input, rest)?
        } else if let Some(rest) = text.strip_prefix("pypi:") {
            parse_pypi(input, rest)?
        } else if let Some(url) = git_url(text) {
            let (url, fragment_ref) = match url.split_once('#') {
                Some((url, r)) if !r.is_empty() => (url.to_string(), Some(r.to_string())),
                _ => (url.to_string(), None),
            };
            let git_ref = git_ref.map(str::to_string).or(fragment_ref);
            if let Some(r) = &git_ref {
                validate_git_ref(input, r)?;
            }
            return Ok(TargetSpec::Git { url, git_ref });
        } else {
            parse_local(input, text)?
        };
        if git_ref.is_some() {
            return Err(SourceError::invalid(
                input,
                "`--ref` only applies to git targets",
            ));
        }
        Ok(spec)
    }

    /// True when materialising this target has to use the network (a cache may still answer).
    pub fn needs_network(&self) -> bool {
        match self {
            TargetSpec::Folder(_) | TargetSpec::Archive(_) | TargetSpec::ToolList(_) => false,
            TargetSpec::Npm { .. } | TargetSpec::Pypi { .. } => true,
            TargetSpec::Git { url, .. } => !is_local_git_url(url),
        }
    }

    /// Canonical text for this target, used in audit ids: `npm:name@1.0.0`,
    /// `pypi:normalized-name==1.0`, `URL` or `URL#REF` for git (credentials removed), the path
    /// for local targets.
    pub fn identity(&self) -> String {
        match self {
            TargetSpec::Folder(path) | TargetSpec::Archive(path) | TargetSpec::ToolList(path) => {
                path.display().to_string()
            }
            TargetSpec::Npm { name, version } => format!("npm:{name}@{version}"),
            TargetSpec::Pypi { name, version } => {
                format!("pypi:{}=={version}", normalize_pypi_name(name))
            }
            TargetSpec::Git { url, git_ref } => {
                // Never carry credentials (`https://token@host/…`) into reports and ids.
                let url = crate::http::redact_url(url);
                match git_ref {
                    Some(r) => format!("{url}#{r}"),
                    None => url,
                }
            }
        }
    }

    /// The `kind` written into the report's target block.
    pub fn kind(&self) -> &'static str {
        match self {
            TargetSpec::Folder(_) => "folder",
            TargetSpec::Archive(_) => "archive",
            TargetSpec::ToolList(_) => "tool-list",
            TargetSpec::Npm { .. } => "npm",
            TargetSpec::Pypi { .. } => "pypi",
            TargetSpec::Git { .. } => "git",
        }
    }
}

impl fmt::Display for TargetSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.identity())
    }
}

fn parse_npm(input: &str, rest: &str) -> Result<TargetSpec, SourceError> {
    // A scoped name starts with `@`, so the version separator is the last `@` after it.
    let split_at = rest
        .get(1..)
        .and_then(|tail| tail.rfind('@'))
        .map(|i| i + 1);
    let Some(at) = split_at else {
        return Err(SourceError::invalid(
            input,
            "expected npm:NAME@VERSION (pin a version, e.g. npm:pkg@1.2.3 or npm:pkg@latest)",
        ));
    };
    let (name, version) = (&rest[..at], &rest[at + 1..]);
    validate_npm_name(input, name)?;
    validate_version(input, version)?;
    Ok(TargetSpec::Npm {
        name: name.to_string(),
        version: version.to_string(),
    })
}

/// npm package names: optional `@scope/`, URL-safe characters, at most 214 characters.
fn validate_npm_name(input: &str, name: &str) -> Result<(), SourceError> {
    let bad = |why: &str| Err(SourceError::invalid(input, format!("bad npm name: {why}")));
    if name.is_empty() || name.len() > 214 {
        return bad("length must be 1 to 214");
    }
    let parts: Vec<&str> = match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, bare)) => vec![scope, bare],
            None => return bad("a scoped name looks like @scope/name"),
        },
        None => vec![name],
    };
    for part in parts {
        if part.is_empty() || part.starts_with('.') || part.starts_with('_') {
            return bad("parts may not be empty or start with `.` or `_`");
        }
        if !part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
        {
            return bad("only letters, digits and - . _ ~ are allowed");
        }
    }
    Ok(())
}

fn parse_pypi(input: &str, rest: &str) -> Result<TargetSpec, SourceError> {
    let Some((name, version)) = rest.split_once("==") else {
        return Err(SourceError::invalid(
            input,
            "expected pypi:NAME==VERSION (pin an exact version)",
        ));
    };
    let (name, version) = (name.trim(), version.trim());
    let valid_name = !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid_name {
        return Err(SourceError::invalid(input, "bad PyPI project name"));
    }
    validate_version(input, version)?;
    Ok(TargetSpec::Pypi {
        name: name.to_string(),
        version: version.to_string(),
    })
}

fn validate_version(input: &str, version: &str) -> Result<(), SourceError> {
    let ok = !version.is_empty()
        && version.len() <= 128
        && !version.starts_with(['.', '-'])
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_' | '!'));
    if ok {
        Ok(())
    } else {
        Err(SourceError::invalid(input, "bad version"))
    }
}

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn normalize_pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_separator = false;
        }
    }
    out
}

/// The URL to clone when `text` names a git repository.
fn git_url(text: &str) -> Option<&str> {
    let text = text.strip_prefix("git+").unwrap_or(text);
    let schemes = ["https://", "http://", "ssh://", "git://", "file://"];
    let scp_like = text.starts_with("git@") && text.contains(':');
    let bare = text.split('#').next().unwrap_or(text);
    if schemes.iter().any(|s| text.starts_with(s)) || scp_like || bare.ends_with(".git") {
        Some(text)
    } else {
        None
    }
}

fn is_local_git_url(url: &str) -> bool {
    url.starts_with("file://") || !(url.contains("://") || (url.contains('@') && url.contains(':')))
}

fn validate_git_ref(input: &str, git_ref: &str) -> Result<(), SourceError> {
    let ok = !git_ref.is_empty()
        && !git_ref.starts_with('-')
        && !git_ref.contains("..")
        && !git_ref.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(SourceError::invalid(
            input,
            format!("bad git ref `{git_ref}`"),
        ))
    }
}

fn parse_local(input: &str, text: &str) -> Result<TargetSpec, SourceError> {
    let path = Path::new(text);
    let metadata = std::fs::metadata(path).map_err(|_| SourceError::NotFound {
        what: format!("folder or archive `{text}`"),
        hint: Some(
            "targets are a folder, an archive, a git URL, npm:NAME@VERSION or pypi:NAME==VERSION"
                .to_string(),
        ),
    })?;
    if metadata.is_dir() {
        return Ok(TargetSpec::Folder(path.to_path_buf()));
    }
    if is_archive_name(text) {
        return Ok(TargetSpec::Archive(path.to_path_buf()));
    }
    if text.to_ascii_lowercase().ends_with(".json") {
        return Ok(TargetSpec::ToolList(path.to_path_buf()));
    }
    Err(SourceError::invalid(
        input,
        format!(
            "not a folder, a tools/list .json file or a supported archive ({})",
            ARCHIVE_EXTENSIONS.join(", ")
        ),
    ))
}

/// True when the file name ends with a supported archive extension (any case).
pub fn is_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ARCHIVE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_specs_parse_with_and_without_scope() {
        assert_eq!(
            TargetSpec::parse("npm:is-number@7.0.0", None).unwrap(),
            TargetSpec::Npm {
                name: "is-number".into(),
                version: "7.0.0".into()
            }
        );
        let scoped = TargetSpec::parse("npm:@scope/name@1.2.3", None).unwrap();
        assert_eq!(scoped.identity(), "npm:@scope/name@1.2.3");
        assert!(scoped.needs_network());
    }

    #[test]
    fn npm_spec_without_version_is_refused() {
        assert!(TargetSpec::parse("npm:is-number", None).is_err());
        assert!(TargetSpec::parse("npm:@scope/name", None).is_err());
        assert!(TargetSpec::parse("npm:../x@1", None).is_err());
        assert!(TargetSpec::parse("npm:@scope/../x@1", None).is_err());
    }

    #[test]
    fn pypi_identity_is_normalized() {
        let spec = TargetSpec::parse("pypi:Mcp_Server.Git==2025.9.25", None).unwrap();
        assert_eq!(spec.identity(), "pypi:mcp-server-git==2025.9.25");
        assert!(TargetSpec::parse("pypi:six", None).is_err());
        assert!(TargetSpec::parse("pypi:../six==1", None).is_err());
    }

    #[test]
    fn git_urls_are_recognised() {
        for url in [
            "https://github.com/org/repo",
            "git@github.com:org/repo.git",
            "ssh://git@host/org/repo",
            "file:///tmp/repo",
            "some/path/repo.git",
        ] {
            assert!(
                matches!(TargetSpec::parse(url, None), Ok(TargetSpec::Git { .. })),
                "{url}"
            );
        }
        let spec = TargetSpec::parse("git+https://host/r.git#v1", None).unwrap();
        assert_eq!(
            spec,
            TargetSpec::Git {
                url: "https://host/r.git".into(),
                git_ref: Some("v1".into())
            }
        );
        assert!(!TargetSpec::parse("file:///tmp/r", None)
            .unwrap()
            .needs_network());
    }

    #[test]
    fn dash_prefixed_targets_and_refs_are_refused() {
        assert!(TargetSpec::parse("--upload-pack=evil", None).is_err());
        assert!(TargetSpec::parse("https://h/r.git", Some("--evil")).is_err());
    }

    #[test]
    fn ref_on_non_git_target_is_refused() {
        assert!(TargetSpec::parse("npm:a@1", Some("main")).is_err());
    }

    #[test]
    fn missing_local_path_is_not_found() {
        assert!(matches!(
            TargetSpec::parse("/definitely/not/here", None),
            Err(SourceError::NotFound { .. })
        ));
    }
}
