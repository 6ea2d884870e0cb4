//! The one HTTP client of this crate: blocking `ureq` over rustls (ring), trusting the platform's
//! certificate store.
//!
//! - **Trust**: the platform verifier, which on Linux reads the system store and honours
//!   `SSL_CERT_FILE` / `SSL_CERT_DIR`; the bundled web PKI roots alone fail behind the
//!   TLS-inspecting proxies common in companies. (`tests/metadata.rs` checks this against a
//!   CA made by the test and named only in `SSL_CERT_FILE`.)
//! - **Proxies**: ureq reads `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` (upper or lower case, the
//!   first one set is used for every scheme) and `NO_PROXY`. Loopback addresses never go through
//!   a proxy.
//! - **Crypto provider**: ureq uses rustls' process default when one is installed and ring
//!   otherwise, so nothing has to be installed here and aws-lc is never compiled in by this crate.
//! - **Bounds**: every body is read through a cap (metadata 64 MiB, artifacts 512 MiB) and
//!   requests have timeouts.
//! - **Secrets**: credentials (tokens, user:password in index URLs) travel in headers only and
//!   never appear in errors; ureq drops them on redirects.

use crate::error::SourceError;
use base64::Engine;
use std::io::{Read, Write};
use std::time::Duration;
use ureq::tls::{RootCerts, TlsConfig};

/// Cap on a registry metadata response (an npm packument, a PyPI index page).
pub const MAX_METADATA_BYTES: u64 = 64 * 1024 * 1024;
/// Cap on a downloaded artifact (tarball, sdist, wheel).
pub const MAX_ARTIFACT_BYTES: u64 = 512 * 1024 * 1024;

/// A response read in full.
pub(crate) struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Fetched {
    /// `Ok` for 200; `NotFound` naming `what` for 404; a `Network` error with the (redacted)
    /// URL for any other status.
    pub(crate) fn require_ok(
        &self,
        what: String,
        url: &str,
        place: &str,
    ) -> Result<(), SourceError> {
        match self.status {
            200 => Ok(()),
            404 => Err(SourceError::NotFound {
                what,
                hint: Some(format!("{place} {}", redact_url(url))),
            }),
            status => Err(SourceError::Network {
                url: redact_url(url),
                reason: format!("HTTP status {status}"),
            }),
        }
    }
}

/// Blocking HTTP client with proxy-aware and direct (loopback) agents.
pub(crate) struct Http {
    proxied: ureq::Agent,
    direct: ureq::Agent,
}

impl Http {
    pub fn new() -> Self {
        Http {
            proxied: agent(true),
            direct: agent(false),
        }
    }

    fn agent_for(&self, url: &str) -> &ureq::Agent {
        if is_loopback(url) {
            &self.direct
        } else {
            &self.proxied
        }
    }

    fn send(
        &self,
        url: &str,
        accept: &str,
        authorization: Option<&str>,
    ) -> Result<ureq::http::Response<ureq::Body>, SourceError> {
        let mut request = self.agent_for(url).get(url).header("Accept", accept);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        request.call().map_err(|err| SourceError::Network {
            url: redact_url(url),
            reason: explain_transport_error(err.to_string()),
        })
    }

    /// GETs `url` and reads at most `cap` bytes of body (more is an error).
    pub fn get(
        &self,
        url: &str,
        accept: &str,
        authorization: Option<&str>,
        cap: u64,
    ) -> Result<Fetched, SourceError> {
        let mut response = self.send(url, accept, authorization)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let mut body = Vec::new();
        if status == 200 {
            let reader = response.body_mut().with_config().reader();
            read_capped(reader, &mut body, cap, url)?;
        }
        Ok(Fetched {
            status,
            content_type,
            body,
        })
    }

    /// GETs `url` into `out`, at most `cap` bytes; returns the byte count. Non-200 is an error.
    pub fn download(
        &self,
        url: &str,
        authorization: Option<&str>,
        cap: u64,
        out: &mut dyn Write,
    ) -> Result<u64, SourceError> {
        let mut response = self.send(url, "*/*", authorization)?;
        let status = response.status().as_u16();
        if status == 404 {
            return Err(SourceError::NotFound {
                what: redact_url(url),
                hint: None,
            });
        }
        if status != 200 {
            return Err(SourceError::Network {
                url: redact_url(url),
                reason: format!("HTTP status {status}"),
            });
        }
        let reader = response.body_mut().with_config().reader();
        read_capped(reader, out, cap, url)
    }
}

/// An answer of the SkillAudit service's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAnswer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Cap on an answer of the SkillAudit service (a report card with its findings).
pub const MAX_API_BYTES: u64 = 64 * 1024 * 1024;

/// Calls a SkillAudit service's JSON API (`skillaudit scan --server`): a GET, or a POST of
/// `body` as JSON, with `key` as a Bearer token. Any status is returned (the caller reads the
/// service's error message); transport failures are errors. Same trust, proxies and bounds as
/// the registry requests.
pub fn service_request(
    url: &str,
    key: Option<&str>,
    body: Option<&[u8]>,
) -> Result<ApiAnswer, SourceError> {
    let http = Http::new();
    let agent = http.agent_for(url);
    let bearer = key.map(|k| format!("Bearer {k}"));
    let result = match body {
        Some(body) => {
            let mut request = agent
                .post(url)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
            if let Some(value) = &bearer {
                request = request.header("Authorization", value);
            }
            request.send(body)
        }
        None => {
            let mut request = agent.get(url).header("Accept", "application/json");
            if let Some(value) = &bearer {
                request = request.header("Authorization", value);
            }
            request.call()
        }
    };
    let mut response = result.map_err(|err| SourceError::Network {
        url: redact_url(url),
        reason: explain_transport_error(err.to_string()),
    })?;
    let status = response.status().as_u16();
    let mut out = Vec::new();
    let reader = response.body_mut().with_config().reader();
    read_capped(reader, &mut out, MAX_API_BYTES, url)?;
    Ok(ApiAnswer { status, body: out })
}

fn agent(use_env_proxy: bool) -> ureq::Agent {
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::PlatformVerifier)
        .build();
    let mut builder = ureq::Agent::config_builder()
        .user_agent(format!("skillaudit/{}", env!("CARGO_PKG_VERSION")))
        .http_status_as_error(false)
        .max_redirects(10)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .timeout_global(Some(Duration::from_secs(15 * 60)))
        .tls_config(tls);
    if !use_env_proxy {
        builder = builder.proxy(None);
    }
    builder.build().into()
}

/// Adds what to do to a certificate failure: behind a TLS-inspecting proxy the proxy's CA is
/// missing from the trust store far more often than anything is wrong.
fn explain_transport_error(reason: String) -> String {
    if reason.contains("invalid peer certificate") {
        format!(
            "{reason} (the server's certificate is not trusted: add the issuing CA to the system \
             store, or point SSL_CERT_FILE at a PEM bundle that holds it)"
        )
    } else {
        reason
    }
}

/// Copies at most `cap` bytes; a longer body is an error rather than silently cut.
fn read_capped(
    reader: impl Read,
    out: &mut dyn Write,
    cap: u64,
    url: &str,
) -> Result<u64, SourceError> {
    let mut limited = reader.take(cap.saturating_add(1));
    let network = |reason: String| SourceError::Network {
        url: redact_url(url),
        reason,
    };
    let copied = std::io::copy(&mut limited, out).map_err(|e| network(e.to_string()))?;
    if copied > cap {
        return Err(network(format!("response is larger than {cap} bytes")));
    }
    Ok(copied)
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

fn is_loopback(url: &str) -> bool {
    let host = host_of(url);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Splits `user:password@` out of a URL into a Basic `Authorization` value.
pub(crate) fn split_credentials(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let decoded = percent_decode(userinfo);
    let header = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(decoded)
    );
    (format!("{scheme}://{host}{path}"), Some(header))
}

/// A URL safe to print: any `user:password@` removed.
pub(crate) fn redact_url(url: &str) -> String {
    split_credentials(url).0
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_split_from_urls() {
        let (url, auth) = split_credentials("https://u%40x:p@host:8080/simple/");
        assert_eq!(url, "https://host:8080/simple/");
        let expected = base64::engine::general_purpose::STANDARD.encode("u@x:p");
        assert_eq!(auth.unwrap(), format!("Basic {expected}"));
        assert_eq!(split_credentials("https://host/x").1, None);
    }

    #[test]
    fn loopback_hosts_bypass_proxies() {
        assert!(is_loopback("http://127.0.0.1:8080/x"));
        assert!(is_loopback("http://localhost/x"));
        assert!(is_loopback("http://[::1]:80/x"));
        assert!(!is_loopback("https://registry.npmjs.org/x"));
        assert!(!is_loopback("https://127.example.com/x"));
    }
}
