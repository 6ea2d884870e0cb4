//! `cargo xtask bench-service`: a bounded load test of the audit service on loopback, written to
//! docs/benchmarks.md — audits per minute through the queue, and p50/p99 latency of the requests
//! a busy service answers most (a cached report card, a badge, a repeated submission answered
//! from the cache).
//!
//! Everything is local: the service runs in this process on a SQLite file in a temporary folder
//! with its default two workers, and npm is a loopback registry serving the recorded is-number
//! 7.0.0 package of skillaudit-source's test fixtures under `--audits` distinct versions (the
//! same tarball each time, so every audit does the same work and none is answered from the
//! cache). Rate limits are lifted for the run; every API request still writes its audit-log
//! entry. Latencies are measured from one client, then from `--clients` (8) concurrent ones. Build with `--release` for figures worth
//! recording (`cargo run --release -p xtask -- bench-service`).

use crate::doc_section::replace_marked;
use crate::recorded_registry;
use anyhow::{bail, Result};
use skillaudit_service::auth::{self, Scope};
use skillaudit_service::store::Store;
use skillaudit_service::{AppState, ServiceConfig};
use skillaudit_source::{ConfigEnv, FetchOptions};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

const START: &str = "<!-- bench-service:start -->";
const END: &str = "<!-- bench-service:end -->";

pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let number = |flag: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    match run(
        root,
        number("--audits", 40),
        number("--requests", 1000),
        number("--clients", 8),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench-service: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

struct Client {
    agent: ureq::Agent,
    base: String,
    key: String,
}

impl Client {
    fn get(&self, path: &str) -> Result<(u16, String)> {
        let mut response = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.key))
            .call()?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()?;
        Ok((status, body))
    }

    fn post(&self, path: &str, body: &str) -> Result<(u16, String)> {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.key))
            .header("Content-Type", "application/json")
            .send(body.as_bytes())?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()?;
        Ok((status, body))
    }

    /// `requests` calls of `call` spread over `clients` threads (each with its own
    /// connection); every call's latency, sorted, and the wall time of the whole run.
    fn measure(
        &self,
        requests: usize,
        clients: usize,
        call: impl Fn(&Client) -> Result<(u16, String)> + Sync,
    ) -> Result<(Vec<Duration>, Duration)> {
        let clients = clients.max(1);
        let started = Instant::now();
        let results: Vec<Result<Vec<Duration>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..clients)
                .map(|n| {
                    let call = &call;
                    scope.spawn(move || -> Result<Vec<Duration>> {
                        let own = Client {
                            agent: ureq::Agent::config_builder()
                                .http_status_as_error(false)
                                .build()
                                .into(),
                            base: self.base.clone(),
                            key: self.key.clone(),
                        };
                        let share = requests / clients + usize::from(n < requests % clients);
                        let mut times = Vec::with_capacity(share);
                        for _ in 0..share {
                            let started = Instant::now();
                            let (status, body) = call(&own)?;
                            times.push(started.elapsed());
                            if !(200..300).contains(&status) {
                                bail!("answer {status}: {body}");
                            }
                        }
                        Ok(times)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("a client thread panicked")))
                })
                .collect()
        });
        let mut times = Vec::with_capacity(requests);
        for result in results {
            times.extend(result?);
        }
        times.sort();
        Ok((times, started.elapsed()))
    }
}

fn run(root: &Path, audits: usize, requests: usize, concurrency: usize) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let data = tempfile::tempdir()?;
    let home = data.path().join("home");
    std::fs::create_dir_all(&home)?;
    let (base, state) = runtime.block_on(async {
        let registry_base = recorded_registry::serve(root, audits).await?;
        let env = ConfigEnv::isolated(&home)
            .with_var("NPM_CONFIG_REGISTRY", &format!("{registry_base}/"))
            .with_var(
                "SKILLAUDIT_CACHE_DIR",
                &data.path().join("cache").display().to_string(),
            );
        let store = Store::open(&Store::sqlite_url_in(data.path())?, 16).await?;
        store.migrate().await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let mut config = ServiceConfig::new(&base, FetchOptions::with_env(false, env));
        config.rate_burst = u32::MAX;
        config.rate_per_second = 1e9;
        config.worker.poll = Duration::from_millis(50);
        let state = AppState::new(store, config);
        skillaudit_service::spawn_workers(&state)?;
        tokio::spawn(skillaudit_service::serve(
            listener,
            Arc::clone(&state),
            std::future::pending(),
        ));
        anyhow::Ok((base, state))
    })?;
    let (_, key) = runtime.block_on(auth::create_key(&state.store, Scope::Write, "bench"))?;
    let client = Client {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into(),
        base,
        key,
    };

    // Audits per minute: every version queued at once, the workers drain the queue.
    let started = Instant::now();
    let mut ids = Vec::new();
    for n in 0..audits {
        let (status, body) = client.post(
            "/api/v1/audits",
            &format!(r#"{{"package": "npm:is-number", "version": "7.0.{n}"}}"#),
        )?;
        if status != 202 {
            bail!("submitting 7.0.{n}: {status} {body}");
        }
        let card: serde_json::Value = serde_json::from_str(&body)?;
        ids.push(card["audit_id"].as_str().unwrap_or_default().to_string());
    }
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    let mut waiting = ids.clone();
    while !waiting.is_empty() {
        if Instant::now() > deadline {
            bail!("{} audits did not finish in 30 minutes", waiting.len());
        }
        std::thread::sleep(Duration::from_millis(50));
        let mut still = Vec::new();
        for id in waiting {
            let (_, body) = client.get(&format!("/api/v1/audits/{id}"))?;
            let card: serde_json::Value = serde_json::from_str(&body)?;
            match card["status"].as_str() {
                Some("done") => {}
                Some("failed") => bail!("audit {id} failed: {}", card["error"]),
                _ => still.push(id),
            }
        }
        waiting = still;
    }
    let drained = started.elapsed();
    let per_minute = audits as f64 / drained.as_secs_f64() * 60.0;

    let id = ids.first().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    for clients in [1, concurrency] {
        let card = client.measure(requests, clients, |c| {
            c.get(&format!("/api/v1/audits/{id}"))
        })?;
        let badge = client.measure(requests, clients, |c| c.get(&format!("/badge/{id}.svg")))?;
        let cached_post = client.measure(requests, clients, |c| {
            c.post(
                "/api/v1/audits",
                r#"{"package": "npm:is-number", "version": "7.0.0"}"#,
            )
        })?;
        rows.push((clients, card, badge, cached_post));
    }

    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut body = String::new();
    let _ = writeln!(
        body,
        "Service on loopback (`cargo xtask bench-service`, {profile} build, {} workers, SQLite): {audits} audits of distinct versions of the recorded is-number package queued at once, then {requests} requests of each kind from one client and from {concurrency} concurrent clients.\n",
        state.config.workers
    );
    let _ = writeln!(body, "| measure | value |\n|---|---|");
    let _ = writeln!(
        body,
        "| audits drained | {audits} in {:.1} s = **{per_minute:.0} audits/min** |",
        drained.as_secs_f64()
    );
    for (clients, card, badge, cached_post) in &rows {
        for (label, (times, wall)) in [
            ("GET /api/v1/audits/{id} (stored report card)", card),
            ("GET /badge/{id}.svg", badge),
            ("POST /api/v1/audits answered from the cache", cached_post),
        ] {
            let _ = writeln!(
                body,
                "| {label}, {clients} client{} | p50 {} · p99 {} · max {} · {:.0} requests/s |",
                if *clients == 1 { "" } else { "s" },
                millis(percentile(times, 50.0)),
                millis(percentile(times, 99.0)),
                millis(times.last().copied().unwrap_or_default()),
                times.len() as f64 / wall.as_secs_f64().max(1e-9)
            );
        }
    }
    print!("{body}");
    let path = root.join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, replace_marked(&doc, START, END, &body)?)?;
    eprintln!("bench-service: wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&times, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&[], 99.0), Duration::ZERO);
    }
}
