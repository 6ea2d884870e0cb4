//! `cargo xtask kill-test`: the queue's promise under a crash. `--jobs` audits (1,000 by
//! default; distinct versions of the recorded package on a loopback registry) are queued in one
//! database; two worker processes (this binary in worker mode, running the same
//! `skillaudit_service::start_workers` as `skillaudit worker`) drain it; one is killed with
//! SIGKILL a third of the way through. The run passes when every job is done, none failed, none
//! was completed twice, and every report is stored once. Figures go to docs/benchmarks.md.
//!
//! The database is a SQLite file in a temporary folder, or `--database postgres://…` (an empty
//! database: it is migrated and filled here). Leases are 3 s, so the killed worker's jobs are
//! retried within seconds.

use crate::doc_section::replace_marked;
use crate::recorded_registry;
use anyhow::{bail, Context, Result};
use skillaudit_service::store::{AuditRow, Backend, ServerRow, Store};
use skillaudit_source::FetchOptions;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LEASE: Duration = Duration::from_secs(3);
const WORKERS_PER_PROCESS: usize = 2;

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let result = if args.iter().any(|a| a == "--worker-process") {
        worker_process(flag(args, "--database").unwrap_or_default())
    } else {
        let jobs = flag(args, "--jobs")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        run(root, jobs, flag(args, "--database"))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kill-test: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A worker process: workers on the database until killed.
fn worker_process(url: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = Store::open(url, 4).await?;
        let mut config =
            skillaudit_service::ServiceConfig::new("", FetchOptions::new(false)).worker;
        config.lease = LEASE;
        config.heartbeat = Duration::from_secs(1);
        config.poll = Duration::from_millis(50);
        let wake = Arc::new(tokio::sync::Notify::new());
        skillaudit_service::start_workers(&store, &config, WORKERS_PER_PROCESS, &wake)?;
        std::future::pending::<()>().await;
        anyhow::Ok(())
    })
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Debug, Default)]
struct Tally {
    done: i64,
    failed: i64,
    waiting: i64,
    twice: i64,
    retried: i64,
    without_report: i64,
}

async fn tally(store: &Store) -> Result<Tally> {
    const QUERY: &str = "SELECT
        COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN status IN ('queued', 'running') THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN completions > 1 THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN status = 'done' AND report IS NULL THEN 1 ELSE 0 END), 0)
        FROM audits";
    let row: (i64, i64, i64, i64, i64, i64) = match store.backend() {
        Backend::Sqlite(db) => sqlx::query_as(QUERY).fetch_one(db).await?,
        Backend::Postgres(db) => sqlx::query_as(QUERY).fetch_one(db).await?,
    };
    Ok(Tally {
        done: row.0,
        failed: row.1,
        waiting: row.2,
        twice: row.3,
        retried: row.4,
        without_report: row.5,
    })
}

fn run(root: &Path, jobs: usize, database: Option<&str>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let data = tempfile::tempdir()?;
    let url = match database {
        Some(url) => url.to_string(),
        None => Store::sqlite_url_in(data.path())?,
    };
    let (registry, store) = runtime.block_on(async {
        let registry = recorded_registry::serve(root, jobs).await?;
        let store = Store::open(&url, 4).await?;
        store.migrate().await?;
        let server = ServerRow {
            id: "srv_killtest".into(),
            target: "npm:is-number".into(),
            kind: "npm".into(),
            name: "is-number".into(),
            created_at: 0,
        };
        store.upsert_server(&server).await?;
        for n in 0..jobs {
            store
                .insert_audit(&AuditRow {
                    spec: format!("npm:is-number@7.0.{n}"),
                    version: format!("7.0.{n}"),
                    ..AuditRow::queued(
                        format!("au_kill{n:05}"),
                        server.id.clone(),
                        3,
                        n as i64,
                        "api",
                    )
                })
                .await?;
        }
        anyhow::Ok((registry, store))
    })?;

    let exe = std::env::current_exe().context("cannot find this program")?;
    let spawn = |n: usize| -> Result<Killed> {
        let cache = data.path().join(format!("cache-{n}"));
        let child = Command::new(&exe)
            .args(["kill-test", "--worker-process", "--database", &url])
            .env("NPM_CONFIG_REGISTRY", format!("{registry}/"))
            .env("SKILLAUDIT_CACHE_DIR", &cache)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .context("cannot start a worker process")?;
        Ok(Killed(child))
    };
    let started = Instant::now();
    let mut victim = spawn(0)?;
    let _survivor = spawn(1)?;
    let kill_at = (jobs / 3) as i64;
    let mut killed_after = None;
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    let last = loop {
        std::thread::sleep(Duration::from_millis(100));
        let now = runtime.block_on(tally(&store))?;
        if killed_after.is_none() && now.done >= kill_at {
            // SIGKILL on Unix: no cleanup, leases are left to expire.
            victim.0.kill().context("cannot kill the worker process")?;
            let _ = victim.0.wait();
            killed_after = Some((now.done, started.elapsed()));
            eprintln!(
                "kill-test: killed one worker process after {} jobs",
                now.done
            );
        }
        if now.waiting == 0 {
            break now;
        }
        if Instant::now() > deadline {
            bail!("{} jobs still waiting after 30 minutes", now.waiting);
        }
    };
    let elapsed = started.elapsed();
    drop(victim);

    let passed = last.done == jobs as i64
        && last.failed == 0
        && last.twice == 0
        && last.without_report == 0
        && killed_after.is_some();
    let backend = store.kind();
    let (killed_jobs, killed_time) = killed_after.unwrap_or_default();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "{jobs} jobs on {backend}, two worker processes × {WORKERS_PER_PROCESS} workers, {} s leases; one process killed with SIGKILL after {killed_jobs} jobs ({:.1} s):\n",
        LEASE.as_secs(),
        killed_time.as_secs_f64()
    );
    let _ = writeln!(body, "| jobs done | failed | lost | completed twice | reports missing | retried after the kill | time | result |\n|---|---|---|---|---|---|---|---|");
    let _ = writeln!(
        body,
        "| {} | {} | {} | {} | {} | {} | {:.1} s | {} |",
        last.done,
        last.failed,
        jobs as i64 - last.done - last.failed,
        last.twice,
        last.without_report,
        last.retried,
        elapsed.as_secs_f64(),
        if passed { "pass" } else { "**FAIL**" }
    );
    print!("{body}");
    let path = root.join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    // One section per backend, so a SQLite run and a PostgreSQL run are both kept.
    let start = format!("<!-- kill-test-{backend}:start -->");
    let end = format!("<!-- kill-test-{backend}:end -->");
    std::fs::write(&path, replace_marked(&doc, &start, &end, &body)?)?;
    if !passed {
        bail!("the queue lost, failed or doubled jobs: {last:?}");
    }
    Ok(())
}
