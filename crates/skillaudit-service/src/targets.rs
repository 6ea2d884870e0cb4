//! What the service agrees to audit: registry packages (`npm:`, `pypi:`) and `https://` git
//! repositories on an allowlist of hosts whose every address is public.
//!
//! The service must not be an SSRF or a path traversal itself: no `file:` or local paths, no
//! other schemes, no credentials or ports in URLs, no host outside the allowlist, and no host
//! that resolves to a private, loopback, link-local or otherwise internal address. The worker's
//! clone checks the name's addresses again and connects to the one it checked
//! (`FetchOptions::git_public_only`), so a DNS answer that changes in between cannot point the
//! clone inside.

use serde::Deserialize;
use skillaudit_source::TargetSpec;
use std::net::IpAddr;

/// The body of `POST /api/v1/audits`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuditRequest {
    /// A registry package: `npm:NAME`, `pypi:NAME` (the version in `version` or in the spec).
    #[serde(default)]
    pub package: Option<String>,
    /// A git repository URL (`https://` on an allowed host).
    #[serde(default)]
    pub repo: Option<String>,
    /// The package version (npm defaults to `latest`).
    #[serde(default)]
    pub version: Option<String>,
    /// The git ref (branch, tag or commit) of `repo`.
    #[serde(default, rename = "ref")]
    pub git_ref: Option<String>,
    /// A policy environment to judge the report against (`production`, `staging`, …).
    #[serde(default)]
    pub policy_env: Option<String>,
}

/// A target the service accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What the engine is given: `npm:NAME@VERSION`, `pypi:NAME==VERSION`, or the URL.
    pub spec: String,
    /// The git ref, for repositories.
    pub git_ref: Option<String>,
    /// The version or ref as asked (`` when a repository's default branch).
    pub version: String,
    /// The server this is a version of: `npm:NAME`, `pypi:NAME` or the URL.
    pub server: String,
    /// `npm`, `pypi` or `git`.
    pub kind: &'static str,
    /// Package or repository name.
    pub name: String,
    /// For repositories: the host to resolve before cloning.
    pub host: Option<String>,
}

/// Why a target was refused (answered with 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn refuse<T>(message: impl Into<String>) -> Result<T, Refused> {
    Err(Refused(message.into()))
}

/// Checks a request's shape and target text (everything but name resolution, see [`resolve`]).
pub fn validate(request: &AuditRequest, git_hosts: &[String]) -> Result<Target, Refused> {
    match (&request.package, &request.repo) {
        (Some(_), Some(_)) => refuse("give either `package` or `repo`, not both"),
        (None, None) => refuse(
            "give `package` (npm:NAME or pypi:NAME, with `version`) or `repo` (an https:// git URL, with `ref`)",
        ),
        (Some(package), None) => {
            if request.git_ref.is_some() {
                return refuse("`ref` applies to `repo`; a package takes `version`");
            }
            package_target(package.trim(), request.version.as_deref())
        }
        (None, Some(repo)) => {
            if request.version.is_some() {
                return refuse("`version` applies to `package`; a repository takes `ref`");
            }
            repo_target(repo.trim(), request.git_ref.as_deref(), git_hosts)
        }
    }
}

fn package_target(package: &str, version: Option<&str>) -> Result<Target, Refused> {
    let (ecosystem, rest) = if let Some(rest) = package.strip_prefix("npm:") {
        ("npm", rest)
    } else if let Some(rest) = package.strip_prefix("pypi:") {
        ("pypi", rest)
    } else {
        return refuse(format!(
            "`package` must be a registry spec, npm:NAME or pypi:NAME (got {:?})",
            short(package)
        ));
    };
    let separator = if ecosystem == "npm" { "@" } else { "==" };
    // The version may be in the spec (`npm:name@1.2.3`) or in `version`, not both.
    let has_version = if ecosystem == "npm" {
        rest.get(1..).is_some_and(|tail| tail.contains('@'))
    } else {
        rest.contains("==")
    };
    let text = match (has_version, version.map(str::trim)) {
        (true, Some(_)) => {
            return refuse("the version is given twice (in `package` and `version`)")
        }
        (true, None) => package.to_string(),
        (false, Some(v)) if !v.is_empty() => format!("{ecosystem}:{rest}{separator}{v}"),
        (false, _) if ecosystem == "npm" => format!("npm:{rest}@latest"),
        (false, _) => return refuse("a PyPI package needs `version` (an exact release)"),
    };
    match TargetSpec::parse(&text, None) {
        Ok(TargetSpec::Npm { name, version }) => Ok(Target {
            spec: format!("npm:{name}@{version}"),
            git_ref: None,
            server: format!("npm:{name}"),
            kind: "npm",
            name,
            version,
            host: None,
        }),
        Ok(TargetSpec::Pypi { name, version }) => {
            // PEP 503: one server whatever the spelling (`Foo_Bar` is `foo-bar`).
            let normalized = normalize_pypi(&name);
            Ok(Target {
                spec: format!("pypi:{name}=={version}"),
                git_ref: None,
                server: format!("pypi:{normalized}"),
                kind: "pypi",
                name: normalized,
                version,
                host: None,
            })
        }
        Ok(_) => refuse("`package` must be a registry spec, npm:NAME or pypi:NAME"),
        Err(err) => refuse(err.to_string()),
    }
}

fn normalize_pypi(name: &str) -> String {
    let mut out = String::new();
    let mut last_dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !last_dash {
                out.push('-');
            }
            last_dash = true;
        } else {
            out.push(c.to_ascii_lowercase());
            last_dash = false;
        }
    }
    out
}

fn repo_target(url: &str, git_ref: Option<&str>, git_hosts: &[String]) -> Result<Target, Refused> {
    let Some(rest) = url.strip_prefix("https://") else {
        return refuse(format!(
            "`repo` must be an https:// git URL (got {:?}): other schemes, file: and local paths are not audited by the service",
            short(url)
        ));
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("`repo` contains spaces or control characters");
    }
    if url.len() > 512 {
        return refuse("`repo` is longer than 512 characters");
    }
    if url.contains('#') || url.contains('?') {
        return refuse("`repo` may not carry a query or a #fragment: give the ref in `ref`");
    }
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        return refuse("`repo` may not carry credentials");
    }
    let host = match authority.rsplit_once(':') {
        Some((host, "443")) => host,
        Some((_, _)) if !authority.starts_with('[') => {
            return refuse("`repo` may not name a port other than 443")
        }
        _ => authority,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return refuse("`repo` has no host");
    }
    if !git_hosts
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(&host))
    {
        return refuse(format!(
            "the host {host:?} is not on this service's allowlist of git hosts ({})",
            if git_hosts.is_empty() {
                "none are allowed".to_string()
            } else {
                git_hosts.join(", ")
            }
        ));
    }
    let path = path.trim_end_matches('/');
    if path.is_empty()
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return refuse("`repo` must name a repository path (https://host/owner/name)");
    }
    let clean = format!("https://{host}/{path}");
    let spec = match TargetSpec::parse(&clean, git_ref) {
        Ok(TargetSpec::Git { url, git_ref }) => (url, git_ref),
        Ok(_) => return refuse("`repo` is not a git URL"),
        Err(err) => return refuse(err.to_string()),
    };
    let server = clean.trim_end_matches(".git").to_string();
    let name = server.rsplit('/').next().unwrap_or_default().to_string();
    Ok(Target {
        spec: spec.0,
        version: spec.1.clone().unwrap_or_default(),
        git_ref: spec.1,
        server,
        kind: "git",
        name,
        host: Some(host),
    })
}

fn short(text: &str) -> String {
    text.chars().take(80).collect()
}

/// Resolves a repository's host and refuses it unless every address is public.
pub async fn resolve(target: &Target) -> Result<(), Refused> {
    let Some(host) = &target.host else {
        return Ok(());
    };
    let addresses: Vec<IpAddr> = match tokio::net::lookup_host((host.as_str(), 443)).await {
        Ok(found) => found.map(|a| a.ip()).collect(),
        Err(err) => return refuse(format!("cannot resolve {host}: {err}")),
    };
    if addresses.is_empty() {
        return refuse(format!("{host} has no address"));
    }
    if let Some(internal) = addresses.iter().find(|ip| !is_public(**ip)) {
        return refuse(format!(
            "{host} resolves to {internal}, a private, loopback, link-local or reserved address: the service does not fetch from internal networks"
        ));
    }
    Ok(())
}

pub use skillaudit_source::address::is_public;

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        vec!["github.com".to_string()]
    }

    fn package(text: &str, version: Option<&str>) -> Result<Target, Refused> {
        validate(
            &AuditRequest {
                package: Some(text.into()),
                version: version.map(str::to_string),
                ..AuditRequest::default()
            },
            &hosts(),
        )
    }

    fn repo(text: &str) -> Result<Target, Refused> {
        validate(
            &AuditRequest {
                repo: Some(text.into()),
                ..AuditRequest::default()
            },
            &hosts(),
        )
    }

    #[test]
    fn npm_packages_take_their_version_from_either_place() {
        let t = package("npm:is-number", Some("7.0.0")).unwrap();
        assert_eq!(t.spec, "npm:is-number@7.0.0");
        assert_eq!(t.server, "npm:is-number");
        assert_eq!(package("npm:is-number@7.0.0", None).unwrap().spec, t.spec);
        assert_eq!(
            package("npm:@scope/pkg", None).unwrap().spec,
            "npm:@scope/pkg@latest"
        );
        assert!(package("npm:is-number@7.0.0", Some("7.0.0")).is_err());
    }

    #[test]
    fn pypi_packages_need_a_version_and_are_one_server_whatever_the_spelling() {
        assert!(package("pypi:six", None).is_err());
        let t = package("pypi:Foo_Bar", Some("1.0")).unwrap();
        assert_eq!(t.spec, "pypi:Foo_Bar==1.0");
        assert_eq!(t.server, "pypi:foo-bar");
    }

    #[test]
    fn bare_names_and_local_paths_are_refused() {
        for text in [
            "is-number",
            "./server",
            "/etc",
            "file:///etc/passwd",
            "../x.tgz",
        ] {
            assert!(package(text, None).is_err(), "{text}");
        }
    }

    #[test]
    fn only_https_urls_on_allowed_hosts_are_repositories() {
        let t = repo("https://github.com/org/server.git").unwrap();
        assert_eq!(t.spec, "https://github.com/org/server.git");
        assert_eq!(t.server, "https://github.com/org/server");
        assert_eq!(t.host.as_deref(), Some("github.com"));
        for bad in [
            "http://169.254.169.254/",
            "http://github.com/org/server",
            "file:///srv/repo",
            "ssh://git@github.com/org/server",
            "git@github.com:org/server.git",
            "https://169.254.169.254/latest/meta-data",
            "https://gitlab.example/org/server",
            "https://user:pw@github.com/org/server",
            "https://github.com:8443/org/server",
            "https://github.com/",
            "https://github.com/org/../server",
            "https://github.com/org/server?x=1",
        ] {
            assert!(repo(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["140.82.112.3", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn an_allowed_host_that_resolves_to_loopback_is_refused() {
        let request = AuditRequest {
            repo: Some("https://localhost/org/server".into()),
            ..AuditRequest::default()
        };
        let target = validate(&request, &["localhost".to_string()]).unwrap();
        let refused = resolve(&target).await.unwrap_err();
        assert!(refused.0.contains("loopback"), "{refused}");
    }
}
