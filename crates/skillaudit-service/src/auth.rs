//! API keys and rate limits.
//!
//! A key is 32 random bytes shown once (`sak_` + 64 hex digits); the database keeps only its
//! SHA-256, which is enough because the key has 256 bits of entropy (no salt or slow hash is
//! needed against guessing). Keys carry one scope — `read` (GET the API), `write` (also submit
//! audits) or `admin` (everything) — and can be revoked. Each key (and each client address that
//! sends no valid key) draws from its own token bucket.

use crate::store::{now_seconds, KeyRow, Store, StoreError};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Instant;

/// What a key may do. Each scope includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Write,
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text.trim().to_ascii_lowercase().as_str() {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }

    /// True when a key of this scope may do what `needed` allows.
    pub fn allows(self, needed: Scope) -> bool {
        self >= needed
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a key was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot make a random key: {0}")]
    Random(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("an API key must be at least 32 characters (SKILLAUDIT_ADMIN_KEY is too short)")]
    TooShort,
}

/// Lowercase hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (hex) of a key: what the database stores and looks keys up by.
pub fn key_hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

fn random_hex(bytes: usize) -> Result<String, KeyError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(hex(&buffer))
}

/// A random identifier with a prefix: `au_…`, `key_…`, `w_…`.
pub fn random_id(prefix: &str) -> Result<String, KeyError> {
    Ok(format!("{prefix}{}", random_hex(8)?))
}

/// Makes a new key with `scope`, stores its hash, and returns the stored row and the key (the
/// only time the key itself exists).
pub async fn create_key(
    store: &Store,
    scope: Scope,
    label: &str,
) -> Result<(KeyRow, String), KeyError> {
    let secret = format!("sak_{}", random_hex(32)?);
    let row = KeyRow {
        id: random_id("key_")?,
        key_hash: key_hash(&secret),
        scope: scope.as_str().to_string(),
        label: label.to_string(),
        created_at: now_seconds(),
        revoked_at: None,
    };
    store.insert_key(&row).await?;
    Ok((row, secret))
}

/// Makes sure `key` (from `SKILLAUDIT_ADMIN_KEY`) is an admin key: stored the first time it is
/// seen. Returns the key's id.
pub async fn ensure_admin_key(store: &Store, key: &str) -> Result<String, KeyError> {
    let key = key.trim();
    if key.len() < 32 {
        return Err(KeyError::TooShort);
    }
    let hash = key_hash(key);
    if let Some(existing) = store.key_by_hash(&hash).await? {
        return Ok(existing.id);
    }
    let row = KeyRow {
        id: random_id("key_")?,
        key_hash: hash,
        scope: Scope::Admin.as_str().to_string(),
        label: "SKILLAUDIT_ADMIN_KEY".to_string(),
        created_at: now_seconds(),
        revoked_at: None,
    };
    store.insert_key(&row).await?;
    Ok(row.id)
}

/// The caller of a request that presented a valid key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub key_id: String,
    pub scope: Scope,
}

/// Why a request's key was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Not a key this service issued.
    Unknown,
    /// Revoked.
    Revoked,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Missing => "send an API key: Authorization: Bearer KEY",
            Refusal::Unknown => "the API key is not valid",
            Refusal::Revoked => "the API key has been revoked",
        }
    }
}

/// The key in an `Authorization` header value (`Bearer KEY`, case-insensitive scheme).
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, key) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let key = key.trim();
    (!key.is_empty()).then_some(key)
}

/// Checks a presented key.
pub async fn authenticate(
    store: &Store,
    key: Option<&str>,
) -> Result<Result<Caller, Refusal>, StoreError> {
    let Some(key) = key else {
        return Ok(Err(Refusal::Missing));
    };
    // Keys are short; anything long is not one of ours (and is not worth hashing).
    if key.len() > 256 {
        return Ok(Err(Refusal::Unknown));
    }
    let Some(row) = store.key_by_hash(&key_hash(key)).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if row.revoked_at.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    let Some(scope) = Scope::parse(&row.scope) else {
        return Ok(Err(Refusal::Unknown));
    };
    Ok(Ok(Caller {
        key_id: row.id,
        scope,
    }))
}

/// Token-bucket rate limits: each client gets `burst` requests at once, refilled at
/// `per_second`.
#[derive(Debug)]
pub struct RateLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets kept before full ones are forgotten (a full bucket is the same as no bucket).
const MAX_BUCKETS: usize = 10_000;

impl RateLimiter {
    pub fn new(burst: u32, per_second: f64) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            per_second: per_second.max(0.001),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client`; `Err(seconds)` says when to retry when the bucket is empty.
    pub fn check(&self, client: &str) -> Result<(), u64> {
        let now = Instant::now();
        // A poisoned lock only means another request panicked mid-update; the counts are
        // still usable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(client) {
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(client.to_string()).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.per_second;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_include_the_lower_ones() {
        assert!(Scope::Admin.allows(Scope::Write));
        assert!(Scope::Write.allows(Scope::Read));
        assert!(!Scope::Read.allows(Scope::Write));
        assert!(!Scope::Write.allows(Scope::Admin));
    }

    #[test]
    fn bearer_reads_the_key_only_from_a_bearer_header() {
        assert_eq!(bearer(Some("Bearer sak_1")), Some("sak_1"));
        assert_eq!(bearer(Some("bearer   sak_1 ")), Some("sak_1"));
        assert_eq!(bearer(Some("Basic dXNlcjpwYXNz")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(None), None);
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refuses() {
        let limiter = RateLimiter::new(3, 0.01);
        for _ in 0..3 {
            assert!(limiter.check("key_a").is_ok());
        }
        assert!(limiter.check("key_a").is_err());
        assert!(limiter.check("key_b").is_ok(), "buckets are per client");
    }

    #[test]
    fn keys_are_stored_as_their_sha256() {
        assert_eq!(
            key_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
