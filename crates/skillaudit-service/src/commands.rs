//! What the CLI's `serve`, `keys` and `log` subcommands do. Each builds its own async runtime,
//! so the CLI itself stays synchronous and links no runtime of its own.

use crate::auth::{self, Scope};
use crate::log::{self, Verification};
use crate::store::{redact_url, KeyRow, Store};
use crate::{AppState, ServiceConfig, ServiceError};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the database is: `--database URL`, else `skillaudit.db` in the data folder.
#[derive(Debug, Clone)]
pub struct Database {
    pub data_dir: PathBuf,
    pub url: Option<String>,
}

impl Database {
    pub fn url(&self) -> Result<String, ServiceError> {
        match &self.url {
            Some(url) => Ok(url.clone()),
            None => Ok(Store::sqlite_url_in(&self.data_dir)?),
        }
    }

    async fn open(&self, connections: u32) -> Result<Store, ServiceError> {
        let store = Store::open(&self.url()?, connections).await?;
        store.migrate().await?;
        Ok(store)
    }
}

/// The default data folder: `$SKILLAUDIT_DATA_DIR`, else `$XDG_DATA_HOME/skillaudit`, else
/// `~/.local/share/skillaudit`, else `skillaudit-data` here.
pub fn default_data_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("SKILLAUDIT_DATA_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = var("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("skillaudit");
    }
    match var("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/skillaudit"),
        None => PathBuf::from("skillaudit-data"),
    }
}

fn small_runtime() -> Result<tokio::runtime::Runtime, ServiceError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// `skillaudit serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub database: Database,
    pub workers: usize,
    /// The URL clients reach the service at (default `http://LISTEN`).
    pub public_url: Option<String>,
    /// Allowed git hosts (default: [`crate::DEFAULT_GIT_HOSTS`]).
    pub git_hosts: Vec<String>,
    /// `SKILLAUDIT_ADMIN_KEY`: made an admin key at start.
    pub admin_key: Option<String>,
    /// Re-audit servers whose report is older than this many days (0: never).
    pub rescan_days: u64,
    /// Where drift events are POSTed, signed with this secret.
    pub webhook: Option<crate::webhook::Webhook>,
}

/// Git settings for every clone the service makes: no HTTP redirects (an allowed host must
/// not bounce a clone to an internal address) and https only.
fn harden_git_environment() {
    if std::env::var_os("GIT_CONFIG_COUNT").is_some() {
        eprintln!("skillaudit serve: GIT_CONFIG_COUNT is set; git redirects are not turned off");
    } else {
        // Called before any thread is started.
        std::env::set_var("GIT_CONFIG_COUNT", "1");
        std::env::set_var("GIT_CONFIG_KEY_0", "http.followRedirects");
        std::env::set_var("GIT_CONFIG_VALUE_0", "false");
    }
    std::env::set_var("GIT_ALLOW_PROTOCOL", "https");
}

/// Runs the service until Ctrl-C (or SIGTERM).
pub fn serve(options: ServeOptions) -> Result<(), ServiceError> {
    harden_git_environment();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve_async(options))
}

async fn serve_async(options: ServeOptions) -> Result<(), ServiceError> {
    let url = options.database.url()?;
    let connections = u32::try_from(options.workers + 8).unwrap_or(16);
    let store = options.database.open(connections).await?;
    if let Some(key) = &options.admin_key {
        auth::ensure_admin_key(&store, key).await?;
    }
    let keys = store.list_keys().await?;
    let listener = tokio::net::TcpListener::bind(options.listen).await?;
    let bound = listener.local_addr()?;
    let public_url = options
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{bound}"));
    let mut config = ServiceConfig::new(&public_url, fetch_options(&options.database));
    config.workers = options.workers;
    if options.rescan_days > 0 {
        config.rescan_period = std::time::Duration::from_secs(options.rescan_days * 24 * 60 * 60);
    }
    if !options.git_hosts.is_empty() {
        config.git_hosts = options.git_hosts.clone();
    }
    let state = AppState::new(store, config);
    crate::spawn_workers(&state)?;
    if options.rescan_days > 0 || options.webhook.is_some() {
        let scheduler_state = std::sync::Arc::clone(&state);
        let webhook = options.webhook.clone();
        let every = std::time::Duration::from_secs(60);
        tokio::spawn(async move {
            if options.rescan_days > 0 {
                crate::rescan::run(scheduler_state, every, webhook).await;
            } else if let Some(hook) = webhook {
                crate::rescan::deliver_forever(scheduler_state, every, hook).await;
            }
        });
    }
    eprintln!(
        "skillaudit serve: listening on {public_url} ({} database {}, {} workers)",
        state.store.kind(),
        redact_url(&url),
        state.config.workers
    );
    if keys.iter().all(|k| k.revoked_at.is_some()) {
        eprintln!(
            "skillaudit serve: no API key yet: run `skillaudit keys create --scope admin` or set SKILLAUDIT_ADMIN_KEY"
        );
    }
    crate::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// `skillaudit worker`: workers only, on a shared database (the scale-out path: the queue and
/// the results live in PostgreSQL, and any number of these processes take jobs from it).
#[derive(Debug, Clone)]
pub struct WorkOptions {
    pub database: Database,
    pub workers: usize,
}

/// Runs workers until Ctrl-C (or SIGTERM).
pub fn work(options: WorkOptions) -> Result<(), ServiceError> {
    harden_git_environment();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let url = options.database.url()?;
        let connections = u32::try_from(options.workers + 2).unwrap_or(8);
        let store = options.database.open(connections).await?;
        let config = ServiceConfig::new("", fetch_options(&options.database));
        let wake = std::sync::Arc::new(tokio::sync::Notify::new());
        crate::start_workers(&store, &config.worker, options.workers, &wake)?;
        eprintln!(
            "skillaudit worker: {} workers on the {} database {}",
            options.workers,
            store.kind(),
            redact_url(&url)
        );
        shutdown_signal().await;
        Ok(())
    })
}

/// Registry configuration from this process's environment; downloads cached in the data
/// folder unless `SKILLAUDIT_CACHE_DIR` says otherwise.
fn fetch_options(database: &Database) -> skillaudit_source::FetchOptions {
    let mut fetch = skillaudit_source::FetchOptions::new(false);
    if std::env::var_os("SKILLAUDIT_CACHE_DIR").is_none() {
        fetch.cache_dir = database.data_dir.join("cache");
    }
    fetch
}

/// `skillaudit keys create`: returns the stored row and the key (shown once).
pub fn create_key(
    database: &Database,
    scope: Scope,
    label: &str,
) -> Result<(KeyRow, String), ServiceError> {
    small_runtime()?.block_on(async {
        let store = database.open(1).await?;
        Ok(auth::create_key(&store, scope, label).await?)
    })
}

/// `skillaudit keys list`.
pub fn list_keys(database: &Database) -> Result<Vec<KeyRow>, ServiceError> {
    small_runtime()?.block_on(async {
        let store = database.open(1).await?;
        Ok(store.list_keys().await?)
    })
}

/// `skillaudit keys revoke ID`: false when no active key has that id.
pub fn revoke_key(database: &Database, id: &str) -> Result<bool, ServiceError> {
    small_runtime()?.block_on(async {
        let store = database.open(1).await?;
        let revoked = store.revoke_key(id).await?;
        if revoked {
            let action = log::Action {
                key_id: None,
                action: "keys revoke (command line)".into(),
                subject: Some(id.to_string()),
                outcome: 200,
                detail: None,
            };
            log::AuditLog::new().append(&store, &action).await?;
        }
        Ok(revoked)
    })
}

/// `skillaudit log verify`.
pub fn verify_log(database: &Database) -> Result<Verification, ServiceError> {
    small_runtime()?.block_on(async {
        let store = database.open(1).await?;
        Ok(log::verify(&store).await?)
    })
}
