//! The service's database: API keys, servers, audits (which are also the queue's jobs) and the
//! audit log, on SQLite (embedded, the default) or PostgreSQL (selected by URL).
//!
//! One set of SQL serves both: every query uses `$N` placeholders (SQLite reads `$N` as the N-th
//! argument too), portable types (`TEXT`, `BIGINT` seconds since the epoch) and `RETURNING`.
//! Where the two differ (the queue's claim), the caller matches on [`Backend`]. Queries are built
//! at run time, never with sqlx's `query!` macros, so the build does not need a database and
//! compiles each driver once.

use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow};
use sqlx::{PgPool, Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Why the database could not answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("unsupported database URL {0:?}: expected sqlite://FILE or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot create the data folder {path}: {error}")]
    DataDir { path: String, error: std::io::Error },
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
}

/// The connection pool of one of the supported databases.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$db` bound to the pool of whichever backend `$store` uses. The body is
/// compiled once per backend, so it may only use what both drivers support.
macro_rules! with_db {
    ($store:expr, |$db:ident| $body:expr) => {
        match $store.backend() {
            $crate::store::Backend::Sqlite($db) => $body,
            $crate::store::Backend::Postgres($db) => $body,
        }
    };
}
pub(crate) use with_db;

/// Column access that reads the same on both backends and turns a bad value into an error
/// (rows are input: a hand-edited database must not crash the service).
pub(crate) trait Columns {
    fn text(&self, column: &str) -> Result<String, StoreError>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, column: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError>;
}

macro_rules! impl_columns {
    ($row:ty) => {
        impl Columns for $row {
            fn text(&self, column: &str) -> Result<String, StoreError> {
                Ok(self.try_get::<String, _>(column)?)
            }
            fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
                Ok(self.try_get::<Option<String>, _>(column)?)
            }
            fn int(&self, column: &str) -> Result<i64, StoreError> {
                Ok(self.try_get::<i64, _>(column)?)
            }
            fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
                Ok(self.try_get::<Option<i64>, _>(column)?)
            }
        }
    };
}
impl_columns!(SqliteRow);
impl_columns!(PgRow);

/// The schema, as versioned migrations applied in order at start. A migration is never edited
/// once released: changes are new entries. The SQL is valid on both SQLite and PostgreSQL.
const MIGRATIONS: &[(i64, &str, &[&str])] = &[
    (
        1,
        "keys, servers, audits (jobs), audit log",
        &[
            "CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            key_hash TEXT NOT NULL UNIQUE,
            scope TEXT NOT NULL,
            label TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        )",
            "CREATE TABLE servers (
            id TEXT PRIMARY KEY,
            target TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )",
            "CREATE TABLE audits (
            id TEXT PRIMARY KEY,
            server_id TEXT NOT NULL REFERENCES servers(id),
            spec TEXT NOT NULL,
            version TEXT NOT NULL,
            git_ref TEXT,
            policy_env TEXT,
            status TEXT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 0,
            max_attempts BIGINT NOT NULL,
            lease_owner TEXT,
            lease_until BIGINT,
            created_at BIGINT NOT NULL,
            started_at BIGINT,
            finished_at BIGINT,
            error TEXT,
            grade TEXT,
            score BIGINT,
            report TEXT,
            sbom TEXT,
            completions BIGINT NOT NULL DEFAULT 0
        )",
            "CREATE INDEX audits_by_status ON audits (status, lease_until, created_at)",
            "CREATE INDEX audits_by_spec ON audits (spec, finished_at)",
            "CREATE INDEX audits_by_server ON audits (server_id, finished_at)",
            "CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY,
            at BIGINT NOT NULL,
            key_id TEXT,
            action TEXT NOT NULL,
            subject TEXT,
            outcome BIGINT NOT NULL,
            detail TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )",
        ],
    ),
    (
        2,
        "re-scans and drift events",
        &[
            // `api` for audits asked for, `rescan` for the scheduled ones.
            "ALTER TABLE audits ADD COLUMN origin TEXT NOT NULL DEFAULT 'api'",
            "CREATE TABLE drift_events (
            id TEXT PRIMARY KEY,
            server_id TEXT NOT NULL REFERENCES servers(id),
            audit_id TEXT NOT NULL REFERENCES audits(id),
            previous_audit_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            delivered_at BIGINT,
            UNIQUE (audit_id, kind, detail)
        )",
            "CREATE INDEX drift_by_server ON drift_events (server_id, created_at)",
            "CREATE INDEX drift_undelivered ON drift_events (delivered_at, created_at)",
        ],
    ),
];

/// The service's database.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
}

/// Seconds since the Unix epoch: every time in the database.
pub fn now_seconds() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Store {
    /// Connects to `url` (`sqlite://FILE` — created when missing — or `postgres://…`).
    /// `max_connections` bounds the pool.
    pub async fn open(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .connect_with(options)
                .await?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(1))
                .connect(url)
                .await?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        Ok(Store { backend })
    }

    /// The SQLite URL of `skillaudit.db` in `data_dir` (created when missing).
    pub fn sqlite_url_in(data_dir: &Path) -> Result<String, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|error| StoreError::DataDir {
            path: data_dir.display().to_string(),
            error,
        })?;
        Ok(format!(
            "sqlite://{}",
            data_dir.join("skillaudit.db").display()
        ))
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Applies the migrations this database has not seen; returns the schema version.
    pub async fn migrate(&self) -> Result<i64, StoreError> {
        with_db!(self, |db| {
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )",
            )
            .execute(db)
            .await?;
            let current: Option<i64> =
                sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
                    .fetch_one(db)
                    .await?;
            let current = current.unwrap_or(0);
            let mut version = current;
            for (number, description, statements) in MIGRATIONS {
                if *number <= current {
                    continue;
                }
                // One transaction per migration: a second process migrating at the same time
                // fails on the version's primary key and rolls back (DDL is transactional on
                // both backends).
                let mut tx = db.begin().await?;
                for statement in *statements {
                    sqlx::query(*statement).execute(&mut *tx).await?;
                }
                sqlx::query(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
                )
                .bind(*number)
                .bind(*description)
                .bind(now_seconds())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                version = *number;
            }
            Ok(version)
        })
    }

    // ----- API keys -----

    pub async fn insert_key(&self, key: &KeyRow) -> Result<(), StoreError> {
        with_db!(self, |db| {
            sqlx::query(
                "INSERT INTO api_keys (id, key_hash, scope, label, created_at, revoked_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&key.id)
            .bind(&key.key_hash)
            .bind(&key.scope)
            .bind(&key.label)
            .bind(key.created_at)
            .bind(key.revoked_at)
            .execute(db)
            .await?;
            Ok(())
        })
    }

    pub async fn key_by_hash(&self, key_hash: &str) -> Result<Option<KeyRow>, StoreError> {
        with_db!(self, |db| {
            let row = sqlx::query("SELECT * FROM api_keys WHERE key_hash = $1")
                .bind(key_hash)
                .fetch_optional(db)
                .await?;
            row.as_ref().map(KeyRow::from_row).transpose()
        })
    }

    pub async fn list_keys(&self) -> Result<Vec<KeyRow>, StoreError> {
        with_db!(self, |db| {
            let rows = sqlx::query("SELECT * FROM api_keys ORDER BY created_at, id")
                .fetch_all(db)
                .await?;
            rows.iter().map(KeyRow::from_row).collect()
        })
    }

    /// Revokes a key; false when no such key is active.
    pub async fn revoke_key(&self, id: &str) -> Result<bool, StoreError> {
        with_db!(self, |db| {
            let done = sqlx::query(
                "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(now_seconds())
            .bind(id)
            .execute(db)
            .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    // ----- servers -----

    /// Records a server the first time it is audited (a no-op afterwards).
    pub async fn upsert_server(&self, server: &ServerRow) -> Result<(), StoreError> {
        with_db!(self, |db| {
            sqlx::query(
                "INSERT INTO servers (id, target, kind, name, created_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(&server.id)
            .bind(&server.target)
            .bind(&server.kind)
            .bind(&server.name)
            .bind(server.created_at)
            .execute(db)
            .await?;
            Ok(())
        })
    }

    /// A server by id or by its target (`npm:name`, `pypi:name`, a git URL).
    pub async fn find_server(&self, id_or_target: &str) -> Result<Option<ServerRow>, StoreError> {
        with_db!(self, |db| {
            let row = sqlx::query("SELECT * FROM servers WHERE id = $1 OR target = $1")
                .bind(id_or_target)
                .fetch_optional(db)
                .await?;
            row.as_ref().map(ServerRow::from_row).transpose()
        })
    }

    pub async fn list_servers(&self) -> Result<Vec<ServerRow>, StoreError> {
        with_db!(self, |db| {
            let rows = sqlx::query("SELECT * FROM servers ORDER BY target")
                .fetch_all(db)
                .await?;
            rows.iter().map(ServerRow::from_row).collect()
        })
    }

    /// A server's finished audits, newest first (at most `limit`).
    pub async fn server_history(
        &self,
        server_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        with_db!(self, |db| {
            let rows = sqlx::query(
                "SELECT * FROM audits WHERE server_id = $1 AND status = 'done'
                 ORDER BY finished_at DESC, id DESC LIMIT $2",
            )
            .bind(server_id)
            .bind(limit)
            .fetch_all(db)
            .await?;
            rows.iter().map(AuditRow::from_row).collect()
        })
    }

    // ----- audits -----

    pub async fn insert_audit(&self, audit: &AuditRow) -> Result<(), StoreError> {
        with_db!(self, |db| {
            sqlx::query(
                "INSERT INTO audits (id, server_id, spec, version, git_ref, policy_env, status,
                    attempts, max_attempts, created_at, origin)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10)",
            )
            .bind(&audit.id)
            .bind(&audit.server_id)
            .bind(&audit.spec)
            .bind(&audit.version)
            .bind(&audit.git_ref)
            .bind(&audit.policy_env)
            .bind(audit.status.as_str())
            .bind(audit.max_attempts)
            .bind(audit.created_at)
            .bind(&audit.origin)
            .execute(db)
            .await?;
            Ok(())
        })
    }

    pub async fn audit(&self, id: &str) -> Result<Option<AuditRow>, StoreError> {
        with_db!(self, |db| {
            let row = sqlx::query("SELECT * FROM audits WHERE id = $1")
                .bind(id)
                .fetch_optional(db)
                .await?;
            row.as_ref().map(AuditRow::from_row).transpose()
        })
    }

    /// An audit of the same target, version and ref that answers a new request: one finished
    /// since `fresh_since`, or one still queued or running.
    pub async fn reusable_audit(
        &self,
        spec: &str,
        git_ref: Option<&str>,
        fresh_since: i64,
    ) -> Result<Option<AuditRow>, StoreError> {
        with_db!(self, |db| {
            let row = sqlx::query(
                "SELECT * FROM audits
                 WHERE spec = $1 AND COALESCE(git_ref, '') = $2
                   AND ((status = 'done' AND finished_at >= $3) OR status IN ('queued', 'running'))
                 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(spec)
            .bind(git_ref.unwrap_or(""))
            .bind(fresh_since)
            .fetch_optional(db)
            .await?;
            row.as_ref().map(AuditRow::from_row).transpose()
        })
    }

    /// True when an audit of this target and ref was asked for (by anyone, whatever became of
    /// it) since `since`: the re-scan scheduler then leaves it alone.
    pub async fn attempted_since(
        &self,
        spec: &str,
        git_ref: Option<&str>,
        since: i64,
    ) -> Result<bool, StoreError> {
        with_db!(self, |db| {
            let found = sqlx::query(
                "SELECT id FROM audits WHERE spec = $1 AND COALESCE(git_ref, '') = $2
                 AND created_at >= $3 LIMIT 1",
            )
            .bind(spec)
            .bind(git_ref.unwrap_or(""))
            .bind(since)
            .fetch_optional(db)
            .await?;
            Ok(found.is_some())
        })
    }

    /// Jobs waiting to run (queued, or running with an expired lease).
    pub async fn queue_depth(&self) -> Result<i64, StoreError> {
        with_db!(self, |db| {
            let count: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audits WHERE status = 'queued'
                 OR (status = 'running' AND lease_until < $1)",
            )
            .bind(now_seconds())
            .fetch_one(db)
            .await?;
            Ok(count)
        })
    }
}

/// Counts for the metrics endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Waiting to run (queued, or running under an expired lease).
    pub waiting: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
    /// Finished (done or failed) in the last 60 seconds.
    pub finished_last_minute: i64,
    pub failed_last_minute: i64,
    pub servers: i64,
}

impl Store {
    /// The queue and result counts in one round of queries.
    pub async fn counts(&self) -> Result<QueueCounts, StoreError> {
        let now = now_seconds();
        with_db!(self, |db| {
            let row = sqlx::query(
                "SELECT
                    COALESCE(SUM(CASE WHEN status = 'queued' OR (status = 'running' AND lease_until < $1) THEN 1 ELSE 0 END), 0) AS waiting,
                    COALESCE(SUM(CASE WHEN status = 'running' AND lease_until >= $1 THEN 1 ELSE 0 END), 0) AS running,
                    COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0) AS done,
                    COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
                    COALESCE(SUM(CASE WHEN status IN ('done', 'failed') AND finished_at >= $2 THEN 1 ELSE 0 END), 0) AS finished_recently,
                    COALESCE(SUM(CASE WHEN status = 'failed' AND finished_at >= $2 THEN 1 ELSE 0 END), 0) AS failed_recently,
                    (SELECT COUNT(*) FROM servers) AS servers
                 FROM audits",
            )
            .bind(now)
            .bind(now - 60)
            .fetch_one(db)
            .await?;
            Ok(QueueCounts {
                waiting: row.int("waiting")?,
                running: row.int("running")?,
                done: row.int("done")?,
                failed: row.int("failed")?,
                finished_last_minute: row.int("finished_recently")?,
                failed_last_minute: row.int("failed_recently")?,
                servers: row.int("servers")?,
            })
        })
    }
}

/// Hides the password of a database URL in messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// An API key as stored: never the key itself, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    pub id: String,
    pub key_hash: String,
    pub scope: String,
    pub label: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl KeyRow {
    fn from_row(row: &impl Columns) -> Result<KeyRow, StoreError> {
        Ok(KeyRow {
            id: row.text("id")?,
            key_hash: row.text("key_hash")?,
            scope: row.text("scope")?,
            label: row.text("label")?,
            created_at: row.int("created_at")?,
            revoked_at: row.opt_int("revoked_at")?,
        })
    }
}

/// An audited server: a package or repository, whatever its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRow {
    pub id: String,
    /// `npm:NAME`, `pypi:NAME` or the repository URL.
    pub target: String,
    pub kind: String,
    pub name: String,
    pub created_at: i64,
}

impl ServerRow {
    fn from_row(row: &impl Columns) -> Result<ServerRow, StoreError> {
        Ok(ServerRow {
            id: row.text("id")?,
            target: row.text("target")?,
            kind: row.text("kind")?,
            name: row.text("name")?,
            created_at: row.int("created_at")?,
        })
    }
}

/// Where an audit is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl AuditStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditStatus::Queued => "queued",
            AuditStatus::Running => "running",
            AuditStatus::Done => "done",
            AuditStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<AuditStatus> {
        match text {
            "queued" => Some(AuditStatus::Queued),
            "running" => Some(AuditStatus::Running),
            "done" => Some(AuditStatus::Done),
            "failed" => Some(AuditStatus::Failed),
            _ => None,
        }
    }

    /// Done or failed: nothing will change any more.
    pub fn is_final(self) -> bool {
        matches!(self, AuditStatus::Done | AuditStatus::Failed)
    }
}

/// One audit: the request, its job state and, once done, the report card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: String,
    pub server_id: String,
    /// The target as the engine reads it: `npm:NAME@VERSION`, `pypi:NAME==VERSION`, a git URL.
    pub spec: String,
    /// The version or ref asked for (`latest` when none was given for npm).
    pub version: String,
    pub git_ref: Option<String>,
    pub policy_env: Option<String>,
    pub status: AuditStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub error: Option<String>,
    pub grade: Option<String>,
    pub score: Option<i64>,
    /// The report card (JSON), once done.
    pub report: Option<String>,
    /// The CycloneDX SBOM (JSON), once done.
    pub sbom: Option<String>,
    /// How many times a result was written: 1 for every finished audit.
    pub completions: i64,
    /// `api` (asked for) or `rescan` (scheduled).
    pub origin: String,
}

impl AuditRow {
    /// A new audit waiting in the queue for a server's target; the caller fills in the target
    /// (`spec`, `version`, `git_ref`, `policy_env`) by struct update.
    pub fn queued(
        id: String,
        server_id: String,
        max_attempts: i64,
        now: i64,
        origin: &str,
    ) -> AuditRow {
        AuditRow {
            id,
            server_id,
            spec: String::new(),
            version: String::new(),
            git_ref: None,
            policy_env: None,
            status: AuditStatus::Queued,
            attempts: 0,
            max_attempts,
            lease_owner: None,
            lease_until: None,
            created_at: now,
            started_at: None,
            finished_at: None,
            error: None,
            grade: None,
            score: None,
            report: None,
            sbom: None,
            completions: 0,
            origin: origin.into(),
        }
    }

    pub(crate) fn from_row(row: &impl Columns) -> Result<AuditRow, StoreError> {
        let status_text = row.text("status")?;
        let status = AuditStatus::parse(&status_text)
            .ok_or_else(|| StoreError::Corrupt(format!("audit status {status_text:?}")))?;
        Ok(AuditRow {
            id: row.text("id")?,
            server_id: row.text("server_id")?,
            spec: row.text("spec")?,
            version: row.text("version")?,
            git_ref: row.opt_text("git_ref")?,
            policy_env: row.opt_text("policy_env")?,
            status,
            attempts: row.int("attempts")?,
            max_attempts: row.int("max_attempts")?,
            lease_owner: row.opt_text("lease_owner")?,
            lease_until: row.opt_int("lease_until")?,
            created_at: row.int("created_at")?,
            started_at: row.opt_int("started_at")?,
            finished_at: row.opt_int("finished_at")?,
            error: row.opt_text("error")?,
            grade: row.opt_text("grade")?,
            score: row.opt_int("score")?,
            report: row.opt_text("report")?,
            sbom: row.opt_text("sbom")?,
            completions: row.int("completions")?,
            origin: row.text("origin")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_passwords_are_hidden() {
        assert_eq!(
            redact_url("postgres://audit:secret@db.internal/skillaudit"),
            "postgres://audit:***@db.internal/skillaudit"
        );
        assert_eq!(redact_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
        assert_eq!(
            redact_url("postgres://audit@db.internal/skillaudit"),
            "postgres://audit@db.internal/skillaudit"
        );
    }
}
