//! `GET /metrics`: the queue and audit counts in the Prometheus text format (queue depth,
//! audits finished per minute, failures), for dashboards and alerts. Counts come from the
//! database, so every process sharing it reports the same figures.

use crate::store::QueueCounts;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// The exposition text of some counts.
pub fn exposition(counts: &QueueCounts) -> String {
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, samples: &[(&str, i64)]| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    metric(
        "skillaudit_queue_depth",
        "gauge",
        "Audits waiting for a worker (queued, or running under an expired lease).",
        &[("", counts.waiting)],
    );
    metric(
        "skillaudit_audits_running",
        "gauge",
        "Audits a worker holds a live lease on.",
        &[("", counts.running)],
    );
    metric(
        "skillaudit_audits_total",
        "counter",
        "Finished audits by outcome.",
        &[
            ("{status=\"done\"}", counts.done),
            ("{status=\"failed\"}", counts.failed),
        ],
    );
    metric(
        "skillaudit_audits_last_minute",
        "gauge",
        "Audits finished in the last 60 seconds (audits per minute).",
        &[("", counts.finished_last_minute)],
    );
    metric(
        "skillaudit_audit_failures_last_minute",
        "gauge",
        "Audits that failed in the last 60 seconds.",
        &[("", counts.failed_last_minute)],
    );
    metric(
        "skillaudit_servers",
        "gauge",
        "Servers audited at least once.",
        &[("", counts.servers)],
    );
    out
}

/// The handler.
pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    match state.store.counts().await {
        Ok(counts) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            exposition(&counts),
        )
            .into_response(),
        Err(err) => {
            eprintln!("skillaudit serve: metrics: {err}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_has_help_and_type() {
        let text = exposition(&QueueCounts {
            waiting: 3,
            done: 7,
            ..QueueCounts::default()
        });
        assert!(text.contains("skillaudit_queue_depth 3\n"));
        assert!(text.contains("skillaudit_audits_total{status=\"done\"} 7\n"));
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap_or_default();
            assert!(text.contains(&format!("# TYPE {name} ")), "{line}");
        }
    }
}
