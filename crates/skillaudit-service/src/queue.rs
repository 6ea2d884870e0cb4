//! The job queue: audits waiting in the database, claimed by workers with a lease.
//!
//! A worker claims the oldest runnable job — queued, or running under a lease that has expired
//! (its worker died) — by setting itself as the lease owner and the lease's end; it extends the
//! lease with heartbeats while the audit runs; and it writes the result only while it still
//! holds the lease. A job whose worker died is therefore retried once its lease ends, and a
//! worker that lost its lease (it stalled past the end, and another worker took the job) cannot
//! write a second result: every result is written once, keyed by the audit id.
//!
//! The claim is one statement on SQLite (which runs each writing statement under the database's
//! write lock, so two workers cannot pick the same row) and `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL (so workers on many machines skip each other's rows instead of waiting).

use crate::store::{now_seconds, with_db, AuditRow, Backend, Store, StoreError};

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub audit: AuditRow,
}

/// What a finished audit writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditResult {
    pub grade: String,
    pub score: i64,
    /// The report card, JSON.
    pub report: String,
    /// The CycloneDX SBOM, JSON.
    pub sbom: String,
}

const CLAIM_SQLITE: &str = "UPDATE audits
    SET status = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1,
        started_at = COALESCE(started_at, $3)
    WHERE id = (
        SELECT id FROM audits
        WHERE (status = 'queued' OR (status = 'running' AND lease_until < $3))
          AND attempts < max_attempts
        ORDER BY created_at, id LIMIT 1
    )
    AND (status = 'queued' OR (status = 'running' AND lease_until < $3))
    RETURNING *";

const CLAIM_POSTGRES: &str = "UPDATE audits
    SET status = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1,
        started_at = COALESCE(started_at, $3)
    WHERE id = (
        SELECT id FROM audits
        WHERE (status = 'queued' OR (status = 'running' AND lease_until < $3))
          AND attempts < max_attempts
        ORDER BY created_at, id LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    RETURNING *";

/// Claims the oldest runnable job for `worker` until `now + lease_seconds`; `None` when there is
/// nothing to do.
pub async fn claim(
    store: &Store,
    worker: &str,
    lease_seconds: i64,
) -> Result<Option<Claimed>, StoreError> {
    let now = now_seconds();
    let row = match store.backend() {
        Backend::Sqlite(db) => sqlx::query(CLAIM_SQLITE)
            .bind(worker)
            .bind(now + lease_seconds)
            .bind(now)
            .fetch_optional(db)
            .await?
            .as_ref()
            .map(AuditRow::from_row)
            .transpose()?,
        Backend::Postgres(db) => sqlx::query(CLAIM_POSTGRES)
            .bind(worker)
            .bind(now + lease_seconds)
            .bind(now)
            .fetch_optional(db)
            .await?
            .as_ref()
            .map(AuditRow::from_row)
            .transpose()?,
    };
    Ok(row.map(|audit| Claimed { audit }))
}

/// Extends `worker`'s lease on a job; false when the worker no longer holds it.
pub async fn heartbeat(
    store: &Store,
    audit_id: &str,
    worker: &str,
    lease_seconds: i64,
) -> Result<bool, StoreError> {
    with_db!(store, |db| {
        let done = sqlx::query(
            "UPDATE audits SET lease_until = $1
             WHERE id = $2 AND lease_owner = $3 AND status = 'running'",
        )
        .bind(now_seconds() + lease_seconds)
        .bind(audit_id)
        .bind(worker)
        .execute(db)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Writes a job's result if `worker` still holds it; false (and nothing written) otherwise.
pub async fn complete(
    store: &Store,
    audit_id: &str,
    worker: &str,
    result: &AuditResult,
) -> Result<bool, StoreError> {
    with_db!(store, |db| {
        let done = sqlx::query(
            "UPDATE audits
             SET status = 'done', finished_at = $1, grade = $2, score = $3, report = $4, sbom = $5,
                 error = NULL, lease_until = NULL, completions = completions + 1
             WHERE id = $6 AND lease_owner = $7 AND status = 'running'",
        )
        .bind(now_seconds())
        .bind(&result.grade)
        .bind(result.score)
        .bind(&result.report)
        .bind(&result.sbom)
        .bind(audit_id)
        .bind(worker)
        .execute(db)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Marks a job failed (the target could not be audited) if `worker` still holds it.
pub async fn fail(
    store: &Store,
    audit_id: &str,
    worker: &str,
    error: &str,
) -> Result<bool, StoreError> {
    with_db!(store, |db| {
        let done = sqlx::query(
            "UPDATE audits SET status = 'failed', finished_at = $1, error = $2, lease_until = NULL
             WHERE id = $3 AND lease_owner = $4 AND status = 'running'",
        )
        .bind(now_seconds())
        .bind(error)
        .bind(audit_id)
        .bind(worker)
        .execute(db)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Fails jobs whose lease expired on their last allowed attempt (their workers kept dying):
/// they are not claimed again. Returns how many.
pub async fn fail_exhausted(store: &Store) -> Result<u64, StoreError> {
    with_db!(store, |db| {
        let done = sqlx::query(
            "UPDATE audits
             SET status = 'failed', finished_at = $1, lease_until = NULL,
                 error = 'the audit was started ' || attempts || ' times and its worker stopped each time'
             WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts",
        )
        .bind(now_seconds())
        .execute(db)
        .await?;
        Ok(done.rows_affected())
    })
}
