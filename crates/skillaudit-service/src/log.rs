//! The audit log: an append-only, hash-chained record of API actions.
//!
//! Entry `n` stores the SHA-256 of entry `n - 1` (`prev_hash`) and its own hash over its fields
//! and `prev_hash`, so editing an entry breaks its own hash, and deleting one breaks the next
//! entry's link (and the sequence numbers, which have no gaps). [`verify`] walks the chain and
//! names the first entry that does not hold. Removing entries from the end cannot be seen from
//! the chain alone: compare the head hash `verify` prints with one kept elsewhere.
//!
//! Sequence numbers are the primary key: two writers (processes sharing a PostgreSQL database)
//! that race for the same number cannot fork the chain — the second insert fails and is retried
//! on the new head.

use crate::auth::hex;
use crate::store::{now_seconds, with_db, Columns, Store, StoreError};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

/// `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as a caller of [`AuditLog::append`] describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Action {
    /// The API key, when one was presented and valid.
    pub key_id: Option<String>,
    /// `POST /api/v1/audits`, `auth`, …
    pub action: String,
    /// What it was about: an audit id, a target, a key id.
    pub subject: Option<String>,
    /// The HTTP status answered.
    pub outcome: i64,
    /// A short reason for refusals.
    pub detail: Option<String>,
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub action: Action,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over its fields as one JSON array (an unambiguous encoding:
/// no field can run into the next).
pub fn entry_hash(seq: i64, at: i64, action: &Action, prev_hash: &str) -> String {
    let canonical = serde_json::json!([
        seq,
        at,
        action.key_id,
        action.action,
        action.subject,
        action.outcome,
        action.detail,
        prev_hash
    ]);
    hex(&Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends entries in order (one writer at a time within a process).
#[derive(Debug, Default)]
pub struct AuditLog {
    writing: Mutex<()>,
}

const APPEND_ATTEMPTS: usize = 5;

impl AuditLog {
    pub fn new() -> AuditLog {
        AuditLog::default()
    }

    /// Appends one entry after the current head.
    pub async fn append(&self, store: &Store, action: &Action) -> Result<Entry, StoreError> {
        let _writing = self.writing.lock().await;
        let mut last_error = None;
        for _ in 0..APPEND_ATTEMPTS {
            let (seq, prev_hash) = match head(store).await? {
                Some((seq, hash)) => (seq + 1, hash),
                None => (1, GENESIS.to_string()),
            };
            let at = now_seconds();
            let hash = entry_hash(seq, at, action, &prev_hash);
            let inserted = with_db!(store, |db| {
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, key_id, action, subject, outcome, detail, prev_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(seq)
                .bind(at)
                .bind(&action.key_id)
                .bind(&action.action)
                .bind(&action.subject)
                .bind(action.outcome)
                .bind(&action.detail)
                .bind(&prev_hash)
                .bind(&hash)
                .execute(db)
                .await
                .map(|_| ())
            });
            match inserted {
                Ok(_) => {
                    return Ok(Entry {
                        seq,
                        at,
                        action: action.clone(),
                        prev_hash,
                        hash,
                    })
                }
                // Another process took this sequence number: read the new head and retry.
                Err(err) => last_error = Some(err),
            }
        }
        Err(match last_error {
            Some(err) => StoreError::Database(err),
            None => StoreError::Corrupt("the audit log could not be appended to".into()),
        })
    }
}

async fn head(store: &Store) -> Result<Option<(i64, String)>, StoreError> {
    with_db!(store, |db| {
        let row = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(db)
            .await?;
        match row {
            Some(row) => Ok(Some((row.int("seq")?, row.text("hash")?))),
            None => Ok(None),
        }
    })
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries read.
    pub entries: i64,
    /// The last entry's hash (keep it elsewhere to detect truncation).
    pub head: Option<String>,
    /// The first entry that does not hold, and why; `None` when the chain is intact.
    pub first_broken: Option<(i64, String)>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Rows read per round trip while verifying.
const PAGE: i64 = 1000;

/// Walks the whole chain from the first entry.
pub async fn verify(store: &Store) -> Result<Verification, StoreError> {
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    let mut entries = 0;
    loop {
        let page = with_db!(store, |db| {
            let rows = sqlx::query("SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2")
                .bind(expected_seq)
                .bind(PAGE)
                .fetch_all(db)
                .await?;
            rows.iter()
                .map(entry_from_row)
                .collect::<Result<Vec<_>, _>>()
        })?;
        let len = page.len() as i64;
        for entry in page {
            entries += 1;
            let problem = if entry.seq != expected_seq {
                Some((
                    expected_seq,
                    format!(
                        "entry {expected_seq} is missing (deleted): the next entry is {}",
                        entry.seq
                    ),
                ))
            } else if entry.prev_hash != prev_hash {
                // The entry before was rewritten with a fresh hash (or replaced): entry
                // `seq` still holds the hash it had.
                Some((
                    entry.seq - 1,
                    format!(
                        "entry {} was edited or replaced: entry {} links to a different hash",
                        entry.seq - 1,
                        entry.seq
                    ),
                ))
            } else if entry_hash(entry.seq, entry.at, &entry.action, &entry.prev_hash) != entry.hash
            {
                Some((
                    entry.seq,
                    format!(
                        "entry {} was edited: its hash does not match its contents",
                        entry.seq
                    ),
                ))
            } else {
                None
            };
            if problem.is_some() {
                return Ok(Verification {
                    entries,
                    head: Some(prev_hash),
                    first_broken: problem,
                });
            }
            prev_hash = entry.hash;
            expected_seq += 1;
        }
        if len < PAGE {
            break;
        }
    }
    Ok(Verification {
        entries,
        head: (entries > 0).then_some(prev_hash),
        first_broken: None,
    })
}

fn entry_from_row(row: &impl Columns) -> Result<Entry, StoreError> {
    Ok(Entry {
        seq: row.int("seq")?,
        at: row.int("at")?,
        action: Action {
            key_id: row.opt_text("key_id")?,
            action: row.text("action")?,
            subject: row.opt_text("subject")?,
            outcome: row.int("outcome")?,
            detail: row.opt_text("detail")?,
        },
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field() {
        let action = Action {
            key_id: Some("key_1".into()),
            action: "POST /api/v1/audits".into(),
            subject: Some("au_1".into()),
            outcome: 202,
            detail: None,
        };
        let base = entry_hash(1, 100, &action, GENESIS);
        let mut other = action.clone();
        other.outcome = 200;
        assert_ne!(base, entry_hash(1, 100, &other, GENESIS));
        assert_ne!(base, entry_hash(2, 100, &action, GENESIS));
        assert_ne!(base, entry_hash(1, 101, &action, GENESIS));
        assert_ne!(base, entry_hash(1, 100, &action, &base));
    }
}
