//! What the service tests share: a service on loopback over a database (a SQLite file in a
//! temporary folder, or a fresh PostgreSQL database), a recorded npm registry, an HTTP client.
#![allow(dead_code)]

#[path = "../../../skillaudit-source/tests/common/mod.rs"]
mod common;

use common::Registry;
use serde_json::Value;
use skillaudit_service::auth::{self, Scope};
use skillaudit_service::store::{Backend, Store};
use skillaudit_service::{AppState, ServiceConfig};
use skillaudit_source::{ConfigEnv, FetchOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn source_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../skillaudit-source/tests/fixtures")
        .join(name)
}

/// The recorded is-number 7.0.0 packument and tarball, served at the registry's root.
fn serve_is_number(registry: &Registry) {
    let packument = std::fs::read_to_string(source_fixture("is-number-packument.json"))
        .unwrap()
        .replace(
            "https://registry.npmjs.org/",
            &format!("{}/", registry.base),
        );
    registry.route("/is-number", "application/json", packument.into_bytes());
    registry.route(
        "/is-number/-/is-number-7.0.0.tgz",
        "application/octet-stream",
        std::fs::read(source_fixture("is-number-7.0.0.tgz")).unwrap(),
    );
}

pub struct TestService {
    pub base: String,
    pub state: Arc<AppState>,
    pub runtime: tokio::runtime::Runtime,
    _registry: Registry,
    _data: tempfile::TempDir,
}

/// A service on a SQLite file in a temporary folder.
pub fn start(tweak: impl FnOnce(&mut ServiceConfig)) -> TestService {
    start_on(None, tweak)
}

/// A fresh PostgreSQL database on the server `SKILLAUDIT_TEST_POSTGRES_URL` names (its
/// user must be allowed to create databases); `None` (after saying `skipped`) when the variable
/// is unset, unless `SKILLAUDIT_REQUIRE_TOOLS=1`.
pub fn fresh_postgres(test: &str) -> Option<String> {
    let Some(admin) = std::env::var("SKILLAUDIT_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("SKILLAUDIT_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "SKILLAUDIT_REQUIRE_TOOLS=1 but SKILLAUDIT_TEST_POSTGRES_URL is not set"
        );
        eprintln!("skipped: {test}: set SKILLAUDIT_TEST_POSTGRES_URL=postgres://USER@HOST:PORT/DB to run it on PostgreSQL");
        return None;
    };
    let name = format!("skillaudit_test_{}", auth::random_id("").unwrap());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = sqlx::PgPool::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let base = admin.split('?').next().unwrap_or(&admin);
    let server = base
        .rsplit_once('/')
        .map(|(server, _)| server)
        .unwrap_or(base);
    Some(format!("{server}/{name}"))
}

/// A service on `database` (a URL), or on a SQLite file in a temporary folder when `None`.
pub fn start_on(database: Option<String>, tweak: impl FnOnce(&mut ServiceConfig)) -> TestService {
    let data = tempfile::tempdir().unwrap();
    let registry = Registry::start();
    serve_is_number(&registry);
    let home = data.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let env = ConfigEnv::isolated(&home)
        .with_var("NPM_CONFIG_REGISTRY", &format!("{}/", registry.base))
        .with_var(
            "SKILLAUDIT_CACHE_DIR",
            data.path().join("cache").to_str().unwrap(),
        );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let db_url = match database {
        Some(url) => url,
        None => Store::sqlite_url_in(data.path()).unwrap(),
    };
    let (base, state) = runtime.block_on(async {
        let store = Store::open(&db_url, 8).await.unwrap();
        store.migrate().await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = ServiceConfig::new(&base, FetchOptions::with_env(false, env));
        config.workers = 1;
        config.worker.poll = Duration::from_millis(100);
        tweak(&mut config);
        let state = AppState::new(store, config);
        skillaudit_service::spawn_workers(&state).unwrap();
        tokio::spawn(skillaudit_service::serve(
            listener,
            Arc::clone(&state),
            std::future::pending(),
        ));
        (base, state)
    });
    TestService {
        base,
        state,
        runtime,
        _registry: registry,
        _data: data,
    }
}

pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub fn read(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect::<Vec<_>>();
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

impl TestService {
    pub fn key(&self, scope: Scope) -> (String, String) {
        let (row, key) = self
            .runtime
            .block_on(auth::create_key(&self.state.store, scope, "test"))
            .unwrap();
        (row.id, key)
    }

    pub fn get(&self, path: &str, key: Option<&str>) -> Answer {
        let mut request = agent().get(format!("{}{path}", self.base));
        if let Some(key) = key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        read(request.call().unwrap())
    }

    pub fn post(&self, path: &str, key: Option<&str>, body: &[u8]) -> Answer {
        let mut request = agent()
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json");
        if let Some(key) = key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        match request.send(body) {
            Ok(response) => read(response),
            // A server may close the connection while a large body is still being sent.
            Err(err) => Answer {
                status: 0,
                content_type: String::new(),
                headers: Vec::new(),
                body: err.to_string(),
            },
        }
    }

    pub fn log_entries(&self) -> Vec<(i64, String, i64, Option<String>)> {
        const ENTRIES: &str = "SELECT seq, action, outcome, key_id FROM audit_log ORDER BY seq";
        self.runtime.block_on(async {
            match self.state.store.backend() {
                Backend::Sqlite(db) => sqlx::query_as(ENTRIES).fetch_all(db).await.unwrap(),
                Backend::Postgres(db) => sqlx::query_as(ENTRIES).fetch_all(db).await.unwrap(),
            }
        })
    }

    /// Runs a statement on the database behind the service's back.
    pub fn sql(&self, statement: &'static str) {
        self.runtime.block_on(async {
            match self.state.store.backend() {
                Backend::Sqlite(db) => sqlx::query(statement).execute(db).await.map(|_| ()),
                Backend::Postgres(db) => sqlx::query(statement).execute(db).await.map(|_| ()),
            }
            .unwrap()
        })
    }

    pub fn poll_done(&self, id: &str, key: &str) -> Value {
        let until = Instant::now() + Duration::from_secs(60);
        loop {
            let answer = self.get(&format!("/api/v1/audits/{id}"), Some(key));
            assert_eq!(answer.status, 200, "{}", answer.body);
            let card = answer.json();
            if card["status"] == "done" || card["status"] == "failed" {
                return card;
            }
            assert!(Instant::now() < until, "the audit did not finish: {card}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The body of a request to audit the recorded package.
pub const IS_NUMBER: &[u8] = br#"{"package": "npm:is-number", "version": "7.0.0"}"#;
