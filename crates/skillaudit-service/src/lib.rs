//! The SkillAudit service (SPEC §12): the audit engine behind an HTTP API, with report pages,
//! badges, a queue of audits worked by in-process workers, scoped API keys, rate limits and a
//! hash-chained audit log — on an embedded SQLite file by default, or PostgreSQL by URL.
//!
//! It lives in its own crate so the `skillaudit` command line stays lean: the CLI links it only
//! with its `service` feature. [`commands`] holds what the CLI's subcommands call; everything
//! async stays in here.

use std::sync::Arc;
use std::time::Duration;

pub mod api;
pub mod auth;
pub mod card;
pub mod commands;
pub mod drift;
pub mod log;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod queue;
pub mod rescan;
pub mod store;
pub mod targets;
pub mod webhook;
pub mod worker;

use auth::RateLimiter;
use log::AuditLog;
use store::Store;
use tokio::sync::Notify;
use worker::WorkerConfig;

/// How the service behaves.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// The address clients use to reach the service (for `badge_url` and `report_url`).
    pub public_url: String,
    /// Hosts whose `https://` git repositories may be audited.
    pub git_hosts: Vec<String>,
    /// A finished audit of the same target and version answers new requests this long.
    pub cache_period: Duration,
    /// A report older than this is stale (its badge says so).
    pub rescan_period: Duration,
    /// The longest `?wait=` a request may ask for.
    pub max_wait: Duration,
    /// The largest request body accepted.
    pub body_limit: usize,
    /// Requests a client may make at once…
    pub rate_burst: u32,
    /// …and per second after that.
    pub rate_per_second: f64,
    /// How many times a job is started before it is failed (its workers kept dying).
    pub max_attempts: i64,
    /// In-process workers.
    pub workers: usize,
    /// How long a client may take to send a request's headers before its connection is closed
    /// (without it, a client trickling bytes could hold connections open forever).
    pub header_read_timeout: Duration,
    /// How long a client may take to send an API request's body before it is answered 408.
    pub body_read_timeout: Duration,
    pub worker: WorkerConfig,
}

/// Git hosts allowed by default.
pub const DEFAULT_GIT_HOSTS: [&str; 4] =
    ["github.com", "gitlab.com", "codeberg.org", "bitbucket.org"];

impl ServiceConfig {
    /// Defaults: a day's cache, weekly re-scan period, 60 s longest wait, 64 KiB bodies,
    /// 60 requests at once and 5 a second per client, 3 attempts, a 60 s lease, 2 workers.
    pub fn new(public_url: &str, fetch: skillaudit_source::FetchOptions) -> ServiceConfig {
        ServiceConfig {
            public_url: public_url.trim_end_matches('/').to_string(),
            git_hosts: DEFAULT_GIT_HOSTS.iter().map(|h| h.to_string()).collect(),
            cache_period: Duration::from_secs(24 * 60 * 60),
            rescan_period: Duration::from_secs(7 * 24 * 60 * 60),
            max_wait: Duration::from_secs(60),
            body_limit: 64 * 1024,
            rate_burst: 60,
            rate_per_second: 5.0,
            max_attempts: 3,
            workers: 2,
            header_read_timeout: Duration::from_secs(20),
            body_read_timeout: Duration::from_secs(20),
            worker: WorkerConfig {
                lease: Duration::from_secs(60),
                heartbeat: Duration::from_secs(20),
                poll: Duration::from_millis(500),
                audit_timeout: Duration::from_secs(15 * 60),
                fetch,
            },
        }
    }
}

/// What every request handler shares.
#[derive(Debug)]
pub struct AppState {
    pub store: Store,
    pub config: ServiceConfig,
    pub limiter: RateLimiter,
    pub log: AuditLog,
    /// Wakes idle workers when a job is queued.
    pub wake: Arc<Notify>,
}

impl AppState {
    pub fn new(store: Store, config: ServiceConfig) -> Arc<AppState> {
        let limiter = RateLimiter::new(config.rate_burst, config.rate_per_second);
        Arc::new(AppState {
            store,
            config,
            limiter,
            log: AuditLog::new(),
            wake: Arc::new(Notify::new()),
        })
    }
}

/// Why the service could not start or a command could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Key(#[from] auth::KeyError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
}

/// Starts `config.workers` workers on the queue.
pub fn spawn_workers(
    state: &Arc<AppState>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, ServiceError> {
    start_workers(
        &state.store,
        &state.config.worker,
        state.config.workers,
        &state.wake,
    )
}

/// Starts `count` workers on `store`'s queue (also what `skillaudit worker` runs, without the
/// API).
pub fn start_workers(
    store: &Store,
    config: &WorkerConfig,
    count: usize,
    wake: &Arc<Notify>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, ServiceError> {
    let config = Arc::new(config.clone());
    let mut handles = Vec::new();
    for _ in 0..count {
        let id = auth::random_id("w_")?;
        handles.push(tokio::spawn(worker::run(
            store.clone(),
            Arc::clone(&config),
            Arc::clone(wake),
            id,
        )));
    }
    Ok(handles)
}

/// Serves the API and pages on `listener` until `shutdown` completes, then lets open
/// connections finish their requests.
///
/// This is `axum::serve` with one addition: HTTP/1 connections get a header-read timeout.
/// Each request carries the client's address (`ConnectInfo<SocketAddr>`) for rate limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use tower::ServiceExt;
    let header_read_timeout = state.config.header_read_timeout;
    let app = api::router(state);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    eprintln!("skillaudit serve: accept: {err}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(address));
                request
            },
        );
        let service = hyper_util::service::TowerToHyperService::new(service);
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stop.changed() => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
        // Forget connections that have ended.
        while connections.try_join_next().is_some() {}
    }
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}
