//! Scheduled re-scans: every server whose latest report is older than the re-scan period
//! (weekly by default) is audited again — same target, version and ref — because advisories and
//! registry metadata change even when the code does not. A target asked for within the period
//! (by anyone, whatever became of it) is left alone, so a target that keeps failing is retried
//! once a period, not every round.

use crate::auth::random_id;
use crate::store::{now_seconds, AuditRow, Store, StoreError};
use crate::webhook::{self, Webhook};
use crate::AppState;
use std::sync::Arc;
use std::time::Duration;

/// Queues a re-audit of every server that is due; returns the new audit ids.
pub async fn enqueue_due(
    store: &Store,
    period: Duration,
    max_attempts: i64,
) -> Result<Vec<String>, StoreError> {
    let now = now_seconds();
    let since = now.saturating_sub(i64::try_from(period.as_secs()).unwrap_or(i64::MAX));
    let mut queued = Vec::new();
    for server in store.list_servers().await? {
        let Some(latest) = store.server_history(&server.id, 1).await?.pop() else {
            continue;
        };
        if latest.finished_at.unwrap_or(now) >= since {
            continue;
        }
        if store
            .attempted_since(&latest.spec, latest.git_ref.as_deref(), since)
            .await?
        {
            continue;
        }
        let audit = AuditRow {
            spec: latest.spec.clone(),
            version: latest.version.clone(),
            git_ref: latest.git_ref.clone(),
            policy_env: latest.policy_env.clone(),
            ..AuditRow::queued(
                random_id("au_").map_err(|e| StoreError::Corrupt(e.to_string()))?,
                server.id.clone(),
                max_attempts,
                now,
                "rescan",
            )
        };
        store.insert_audit(&audit).await?;
        queued.push(audit.id);
    }
    Ok(queued)
}

/// The scheduler loop of `serve`: re-scans and webhook deliveries every `every`.
pub async fn run(state: Arc<AppState>, every: Duration, webhook: Option<Webhook>) {
    loop {
        match enqueue_due(
            &state.store,
            state.config.rescan_period,
            state.config.max_attempts,
        )
        .await
        {
            Ok(queued) if !queued.is_empty() => {
                eprintln!("skillaudit serve: {} re-scans queued", queued.len());
                state.wake.notify_waiters();
            }
            Ok(_) => {}
            Err(err) => eprintln!("skillaudit serve: re-scan scheduling: {err}"),
        }
        if let Some(hook) = &webhook {
            if let Err(err) =
                webhook::deliver_pending(&state.store, hook, &state.config.public_url).await
            {
                eprintln!("skillaudit serve: webhook delivery: {err}");
            }
        }
        tokio::time::sleep(every).await;
    }
}

/// Webhook deliveries alone, for a service that does not re-scan.
pub async fn deliver_forever(state: Arc<AppState>, every: Duration, hook: Webhook) {
    loop {
        if let Err(err) =
            webhook::deliver_pending(&state.store, &hook, &state.config.public_url).await
        {
            eprintln!("skillaudit serve: webhook delivery: {err}");
        }
        tokio::time::sleep(every).await;
    }
}
