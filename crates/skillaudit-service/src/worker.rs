//! Workers: take jobs from the queue, audit them with the same library pipeline the CLI's
//! `scan` uses (`skillaudit_engine::audit_detailed`, with the CLI's load and extraction limits;
//! audited code is read, never run), write the report card and SBOM back, and record drift
//! against the server's previous report.

use crate::drift;
use crate::queue::{self, AuditResult, Claimed};
use crate::store::Store;
use skillaudit_engine::{AuditOptions, ExemptionSource};
use skillaudit_source::FetchOptions;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How workers behave.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How long a claim lasts without a heartbeat.
    pub lease: Duration,
    /// How often a running audit renews its lease.
    pub heartbeat: Duration,
    /// How long an idle worker waits before looking at the queue again (a submission in this
    /// process wakes it at once).
    pub poll: Duration,
    /// The longest an audit may run before it is failed.
    pub audit_timeout: Duration,
    /// Where and how targets are fetched (registries, cache, extraction limits).
    pub fetch: FetchOptions,
}

/// Runs one worker until the process ends. `id` names it in leases.
pub async fn run(store: Store, config: Arc<WorkerConfig>, wake: Arc<Notify>, id: String) {
    loop {
        match work_once(&store, &config, &id).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(err) => eprintln!("skillaudit worker {id}: {err}"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(config.poll) => {}
        }
    }
}

fn lease_seconds(lease: Duration) -> i64 {
    i64::try_from(lease.as_secs().max(1)).unwrap_or(i64::MAX / 4)
}

/// Claims and runs one job; false when the queue was empty.
pub async fn work_once(
    store: &Store,
    config: &WorkerConfig,
    id: &str,
) -> Result<bool, crate::store::StoreError> {
    queue::fail_exhausted(store).await?;
    let Some(Claimed { audit }) = queue::claim(store, id, lease_seconds(config.lease)).await?
    else {
        return Ok(false);
    };
    let spec = audit.spec.clone();
    let git_ref = audit.git_ref.clone();
    let fetch = config.fetch.clone();
    let job = tokio::task::spawn_blocking(move || run_audit(&spec, git_ref, fetch));
    tokio::pin!(job);
    let deadline = tokio::time::sleep(config.audit_timeout);
    tokio::pin!(deadline);
    let mut beat = tokio::time::interval(config.heartbeat);
    beat.tick().await;
    let outcome = loop {
        tokio::select! {
            joined = &mut job => {
                break match joined {
                    Ok(result) => result,
                    Err(err) => Err(format!("the audit stopped unexpectedly: {err}")),
                };
            }
            _ = &mut deadline => {
                // The blocking audit cannot be interrupted; its result is dropped.
                break Err(format!(
                    "the audit took longer than {} seconds",
                    config.audit_timeout.as_secs()
                ));
            }
            _ = beat.tick() => {
                if !queue::heartbeat(store, &audit.id, id, lease_seconds(config.lease)).await? {
                    // The lease was lost (this worker stalled): another worker owns the job now.
                    return Ok(true);
                }
            }
        }
    };
    match outcome {
        Ok(result) => {
            if queue::complete(store, &audit.id, id, &result).await? {
                if let Some(finished) = store.audit(&audit.id).await? {
                    // Drift is a by-product: failing to compare does not undo the result.
                    if let Err(err) = drift::record(store, &finished).await {
                        eprintln!("skillaudit worker {id}: drift of {}: {err}", audit.id);
                    }
                }
            }
        }
        Err(error) => {
            queue::fail(store, &audit.id, id, &error).await?;
        }
    }
    Ok(true)
}

/// Audits one target as `skillaudit scan` does, never executing it.
pub fn run_audit(
    spec: &str,
    git_ref: Option<String>,
    fetch: FetchOptions,
) -> Result<AuditResult, String> {
    let mut options = AuditOptions::new(fetch.offline);
    options.fetch = fetch;
    // Checked again right before the clone, and pinned to the address checked.
    options.fetch.git_public_only = true;
    options.git_ref = git_ref;
    // Exemptions belong to a user's own repository; a fetched target's are never read.
    options.exemptions = ExemptionSource::Disabled;
    let audited = skillaudit_engine::audit_detailed(spec, &options).map_err(|e| e.to_string())?;
    let sbom = skillaudit_engine::sbom(&audited);
    let report = serde_json::to_string(&audited.report).map_err(|e| e.to_string())?;
    Ok(AuditResult {
        grade: audited.report.grade.to_string(),
        score: i64::from(audited.report.score),
        report,
        sbom,
    })
}
