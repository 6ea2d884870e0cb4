//! Drift webhooks: each drift event is POSTed as JSON to the operator's URL, signed with
//! HMAC-SHA256 over the body (`X-SkillAudit-Signature: sha256=HEX`, the GitHub convention), so
//! the receiver can check it came from this service. Events wait in the database until the
//! receiver answers 2xx (an outbox: a receiver that is down gets them later, none is lost).
//!
//! The URL is the operator's configuration, never a request's, so it may be internal.

use crate::auth::hex;
use crate::drift::{self, DriftEvent};
use crate::store::{Store, StoreError};
use sha2::{Digest, Sha256};

/// Where drift events go.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: String,
}

const BLOCK: usize = 64;

/// HMAC-SHA256 (RFC 2104) of `message` under `key`, hex.
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| -> Vec<u8> { block.iter().map(|b| b ^ byte).collect() };
    let mut inner = Sha256::new();
    inner.update(pad(0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(pad(0x5c));
    outer.update(inner);
    hex(&outer.finalize())
}

/// The header value that signs `body`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_sha256_hex(secret.as_bytes(), body))
}

/// The JSON body of one event.
pub fn body(event: &DriftEvent, public_url: &str) -> Vec<u8> {
    let value = serde_json::json!({
        "event": "drift",
        "kind": event.kind,
        "detail": event.detail,
        "server_id": event.server_id,
        "audit_id": event.audit_id,
        "previous_audit_id": event.previous_audit_id,
        "report_url": format!("{public_url}/reports/{}", event.audit_id),
        "created_at": crate::card::rfc3339(event.created_at),
    });
    value.to_string().into_bytes()
}

/// Sends one signed body; true on a 2xx answer.
fn send(webhook: &Webhook, body: &[u8]) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .post(&webhook.url)
        .header("Content-Type", "application/json")
        .header(
            "User-Agent",
            concat!("skillaudit/", env!("CARGO_PKG_VERSION")),
        )
        .header("X-SkillAudit-Event", "drift")
        .header("X-SkillAudit-Signature", signature(&webhook.secret, body))
        .send(body)
        .map(|response| response.status().is_success())
        .unwrap_or(false)
}

/// Delivers waiting events in order, stopping at the first the receiver does not accept (it
/// is tried again next round). Returns how many were delivered.
pub async fn deliver_pending(
    store: &Store,
    webhook: &Webhook,
    public_url: &str,
) -> Result<usize, StoreError> {
    let mut delivered = 0;
    for (id, event) in drift::undelivered(store, 100).await? {
        let payload = body(&event, public_url);
        let hook = webhook.clone();
        let accepted = tokio::task::spawn_blocking(move || send(&hook, &payload))
            .await
            .unwrap_or(false);
        if !accepted {
            break;
        }
        drift::mark_delivered(store, &id).await?;
        delivered += 1;
    }
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2() {
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn long_keys_are_hashed_first() {
        // RFC 4231 test case 6: a 131-byte key.
        assert_eq!(
            hmac_sha256_hex(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
