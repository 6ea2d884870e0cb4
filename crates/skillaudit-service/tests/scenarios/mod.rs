//! The service's behaviours, each run on SQLite (tests/service.rs) and on PostgreSQL
//! (tests/postgres.rs).

use crate::harness::*;
use skillaudit_service::auth::Scope;
use skillaudit_service::store::{AuditRow, AuditStatus, ServerRow, Store};
use skillaudit_service::{log, queue, worker};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

pub fn a_user_audits_a_package_and_gets_its_card_badge_report_sarif_and_sbom(
    database: Option<String>,
) {
    let service = start_on(database, |_| {});
    let (_, key) = service.key(Scope::Write);

    let submitted = service.post("/api/v1/audits", Some(&key), IS_NUMBER);
    assert_eq!(submitted.status, 202, "{}", submitted.body);
    let queued = submitted.json();
    let id = queued["audit_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("au_"));
    assert_eq!(
        submitted.header("location"),
        Some(format!("/api/v1/audits/{id}").as_str())
    );
    assert_eq!(
        queued["badge_url"],
        format!("{}/badge/{id}.svg", service.base)
    );

    let card = service.poll_done(&id, &key);
    assert_eq!(card["status"], "done", "{card}");
    assert_eq!(card["audit_id"], id.as_str());
    assert!(["A", "B", "C", "D", "F"].contains(&card["grade"].as_str().unwrap()));
    assert!(card["score"].as_u64().is_some());
    assert!(card["axes"]["security"]["grade"].is_string());
    assert!(card["critical_findings"].is_array());
    assert_eq!(card["target"]["name"], "is-number");
    assert_eq!(card["report_url"], format!("{}/reports/{id}", service.base));
    assert_eq!(card["stale"], false);

    let badge = service.get(&format!("/badge/{id}.svg"), None);
    assert_eq!(badge.status, 200);
    assert_eq!(badge.content_type, "image/svg+xml");
    assert!(badge.body.starts_with("<svg"));
    assert!(badge.body.contains(&format!(
        "{} {}",
        card["grade"].as_str().unwrap(),
        card["score"]
    )));
    assert!(!badge.body.contains("stale"));

    let page = service.get(&format!("/reports/{id}"), None);
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("is-number"), "{}", page.body);
    assert!(
        page.body.contains(&id),
        "the page shows the service's audit id"
    );

    let sarif = service.get(&format!("/api/v1/audits/{id}/sarif"), Some(&key));
    assert_eq!(sarif.status, 200);
    assert_eq!(sarif.json()["version"], "2.1.0");

    let sbom = service.get(&format!("/api/v1/audits/{id}/sbom"), Some(&key));
    assert_eq!(sbom.status, 200);
    assert_eq!(sbom.json()["bomFormat"], "CycloneDX");

    let grade = service.get("/api/v1/grade?server=npm:is-number", Some(&key));
    assert_eq!(grade.status, 200, "{}", grade.body);
    let grade = grade.json();
    assert_eq!(grade["overall_grade"], card["grade"]);
    assert_eq!(grade["audit_id"], id.as_str());
    assert!(grade["sub_scores"]["security"].is_string());
    // The gate scripts' path, with a bare package name.
    assert_eq!(
        service
            .get("/api/grade?server=is-number", Some(&key))
            .json()["audit_id"],
        id.as_str()
    );

    let servers = service.get("/api/v1/servers", Some(&key)).json();
    let server = &servers["servers"][0];
    assert_eq!(server["target"], "npm:is-number");
    assert_eq!(server["grade"], card["grade"]);
    let server_id = server["id"].as_str().unwrap().to_string();
    let detail = service
        .get(&format!("/api/v1/servers/{server_id}"), Some(&key))
        .json();
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    let server_badge = service.get(&format!("/badge/server/{server_id}.svg"), None);
    assert_eq!(server_badge.status, 200);

    let index = service.get("/", None);
    assert_eq!(index.status, 200);
    assert!(index.body.contains("npm:is-number"));
    assert!(index.body.contains(&format!("/reports/{id}")));

    // The same target and version within the cache period: the stored report answers.
    let again = service.post("/api/v1/audits", Some(&key), IS_NUMBER);
    assert_eq!(again.status, 200, "{}", again.body);
    let again = again.json();
    assert_eq!(again["audit_id"], id.as_str());
    assert_eq!(again["cached"], true);
    assert_eq!(again["grade"], card["grade"]);

    // With a policy environment the card carries the gate's verdict.
    let judged = service
        .post(
            "/api/v1/audits",
            Some(&key),
            br#"{"package": "npm:is-number@7.0.0", "policy_env": "development"}"#,
        )
        .json();
    assert_eq!(judged["gate"]["env"], "development");
    assert!(judged["gate"]["passed"].is_boolean());

    // The registry export pins the audited version, ready for `skillaudit registry`.
    let export = service.get("/api/v1/registry", Some(&key));
    let entries = skillaudit_policy::registry::parse("registry.json", &export.body)
        .unwrap_or_else(|e| panic!("the export is not a registry file: {e}"));
    assert_eq!(entries.len(), 1);
    let export = export.json();
    let entry = &export["servers"][0];
    assert_eq!(entry["server_id"], "npm:is-number@7.0.0");
    assert_eq!(entry["current_grade"], card["grade"]);
    assert_eq!(entry["audit_url"], card["report_url"]);
    let csv = service.get("/api/v1/registry?format=csv", Some(&key));
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv
        .body
        .starts_with("server_id,display_name,current_grade,"));
    assert!(csv.body.contains("\nnpm:is-number@7.0.0,is-number,"));

    // The metrics count it.
    let metrics = service.get("/metrics", None);
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .body
            .contains("skillaudit_audits_total{status=\"done\"} 1\n"),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("skillaudit_queue_depth 0\n"));

    // Every route of the OpenAPI document is served.
    let doc = service.get("/api/openapi.json", None).json();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let concrete = if path.starts_with("/badge/server/") || path == "/api/v1/servers/{id}" {
                path.replace("{id}", &server_id)
            } else {
                path.replace("{id}", &id)
            };
            let answer = match method.as_str() {
                "get" => service.get(&format!("{concrete}?server=npm:is-number"), Some(&key)),
                "post" => service.post(&concrete, Some(&key), IS_NUMBER),
                other => panic!("unexpected method {other}"),
            };
            assert!(
                answer.status == 200 || answer.status == 202,
                "{method} {concrete}: {} {}",
                answer.status,
                answer.body
            );
        }
    }

    // Every API action is in the log, and the chain holds.
    let verification = service
        .runtime
        .block_on(log::verify(&service.state.store))
        .unwrap();
    assert!(verification.intact(), "{verification:?}");
    assert!(service
        .log_entries()
        .iter()
        .any(|(_, action, outcome, _)| action == "POST /api/v1/audits" && *outcome == 202));
}

pub fn bad_input_gets_a_clear_4xx_is_logged_and_queues_nothing(database: Option<String>) {
    let service = start_on(database, |config| {
        config.workers = 0;
        config.git_hosts = vec!["github.com".into(), "localhost".into()];
    });
    let (_, write) = service.key(Scope::Write);
    let (_, read_only) = service.key(Scope::Read);
    let (revoked_id, revoked) = service.key(Scope::Write);
    // One job already waits: bad requests must not lose it.
    assert_eq!(
        service
            .post("/api/v1/audits", Some(&write), IS_NUMBER)
            .status,
        202
    );
    assert!(service
        .runtime
        .block_on(service.state.store.revoke_key(&revoked_id))
        .unwrap());

    // (case, key, body, status, words of the message)
    type Case<'a> = (&'a str, Option<&'a str>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "malformed JSON",
            Some(&write),
            b"{\"package\": ".to_vec(),
            400,
            "not a valid audit request",
        ),
        (
            "unknown field",
            Some(&write),
            br#"{"package": "npm:x", "command": "rm"}"#.to_vec(),
            400,
            "unknown field",
        ),
        ("empty body", Some(&write), Vec::new(), 400, "JSON body"),
        (
            "cloud metadata URL",
            Some(&write),
            br#"{"repo": "http://169.254.169.254/"}"#.to_vec(),
            400,
            "https://",
        ),
        (
            "metadata over https",
            Some(&write),
            br#"{"repo": "https://169.254.169.254/latest"}"#.to_vec(),
            400,
            "allowlist",
        ),
        (
            "allowed name resolving to loopback",
            Some(&write),
            br#"{"repo": "https://localhost/org/server"}"#.to_vec(),
            400,
            "loopback",
        ),
        (
            "file URL",
            Some(&write),
            br#"{"repo": "file:///etc"}"#.to_vec(),
            400,
            "https://",
        ),
        (
            "local path as package",
            Some(&write),
            br#"{"package": "/etc/passwd"}"#.to_vec(),
            400,
            "registry spec",
        ),
        (
            "host off the allowlist",
            Some(&write),
            br#"{"repo": "https://gitlab.example/a/b"}"#.to_vec(),
            400,
            "allowlist",
        ),
        (
            "unknown policy",
            Some(&write),
            br#"{"package": "npm:is-number@7.0.0", "policy_env": "nope"}"#.to_vec(),
            400,
            "no environment",
        ),
        (
            "oversized body",
            Some(&write),
            vec![b' '; 1024 * 1024],
            413,
            "limit",
        ),
        ("no key", None, IS_NUMBER.to_vec(), 401, "Bearer"),
        (
            "wrong key",
            Some("sak_0000"),
            IS_NUMBER.to_vec(),
            401,
            "not valid",
        ),
        (
            "revoked key",
            Some(&revoked),
            IS_NUMBER.to_vec(),
            401,
            "revoked",
        ),
        (
            "read-only key",
            Some(&read_only),
            IS_NUMBER.to_vec(),
            403,
            "write",
        ),
    ];
    for (name, key, body, status, message) in &cases {
        let answer = service.post("/api/v1/audits", *key, body);
        assert_eq!(answer.status, *status, "{name}: {}", answer.body);
        let error = answer.json();
        let text = error["error"]["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{name}: {text}");
    }
    let long_json = format!(
        "{{\"package\": \"npm:is-number\", \"version\": \"{}\"}}",
        "9".repeat(100 * 1024)
    );
    assert_eq!(
        service
            .post("/api/v1/audits", Some(&write), long_json.as_bytes())
            .status,
        413
    );

    let entries = service.log_entries();
    for status in [400, 401, 403, 413] {
        assert!(
            entries.iter().any(|(_, _, outcome, _)| *outcome == status),
            "no {status} logged: {entries:?}"
        );
    }
    // The waiting job is still there, and nothing else was queued.
    let depth = service
        .runtime
        .block_on(service.state.store.queue_depth())
        .unwrap();
    assert_eq!(depth, 1);
}

pub fn a_flood_of_requests_is_answered_429_with_retry_after(database: Option<String>) {
    let service = start_on(database, |config| {
        config.workers = 0;
        config.rate_burst = 5;
        config.rate_per_second = 0.5;
    });
    let (_, key) = service.key(Scope::Read);
    let statuses: Vec<u16> = (0..12)
        .map(|_| service.get("/api/v1/servers", Some(&key)).status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    let limited = service.get("/api/v1/servers", Some(&key));
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    // Another key has its own bucket.
    let (_, other) = service.key(Scope::Read);
    assert_eq!(service.get("/api/v1/servers", Some(&other)).status, 200);
    // Guessing keys from one address is limited too.
    let guesses: Vec<u16> = (0..8)
        .map(|_| service.get("/api/v1/servers", Some("sak_guess")).status)
        .collect();
    assert!(guesses.contains(&429), "{guesses:?}");
}

pub fn a_job_whose_worker_died_is_retried_after_its_lease_and_completed_once(
    database: Option<String>,
) {
    let service = start_on(database, |config| config.workers = 0);
    let (_, key) = service.key(Scope::Write);
    let id = service.post("/api/v1/audits", Some(&key), IS_NUMBER).json()["audit_id"]
        .as_str()
        .unwrap()
        .to_string();
    let store = service.state.store.clone();
    let config = service.state.config.worker.clone();
    service.runtime.block_on(async {
        // A worker claims the job with a one-second lease and dies (never heartbeats).
        let claimed = queue::claim(&store, "w_dead", 1).await.unwrap().unwrap();
        assert_eq!(claimed.audit.id, id);
        // While the lease holds, nobody else can take it.
        assert!(queue::claim(&store, "w_live", 60).await.unwrap().is_none());
        tokio::time::sleep(Duration::from_millis(2100)).await;
        // After it ends, a live worker runs the job to completion.
        assert!(worker::work_once(&store, &config, "w_live").await.unwrap());
        let done = store.audit(&id).await.unwrap().unwrap();
        assert_eq!(done.status, AuditStatus::Done);
        assert_eq!(done.attempts, 2);
        assert_eq!(done.lease_owner.as_deref(), Some("w_live"));
        // The dead worker comes back: its result is refused, nothing is written twice.
        let late = queue::AuditResult {
            grade: "F".into(),
            score: 0,
            report: "{}".into(),
            sbom: "{}".into(),
        };
        assert!(!queue::complete(&store, &id, "w_dead", &late).await.unwrap());
        assert!(!queue::heartbeat(&store, &id, "w_dead", 60).await.unwrap());
        let after = store.audit(&id).await.unwrap().unwrap();
        assert_eq!(after.completions, 1);
        assert_eq!(after.grade, done.grade);
        // And there is nothing left to claim.
        assert!(queue::claim(&store, "w_live", 60).await.unwrap().is_none());
    });
}

pub fn a_job_whose_workers_keep_dying_fails_after_its_attempts(database: Option<String>) {
    let service = start_on(database, |config| {
        config.workers = 0;
        config.max_attempts = 2;
    });
    let (_, key) = service.key(Scope::Write);
    let id = service.post("/api/v1/audits", Some(&key), IS_NUMBER).json()["audit_id"]
        .as_str()
        .unwrap()
        .to_string();
    let store = service.state.store.clone();
    service.runtime.block_on(async {
        for attempt in 0..2 {
            assert!(
                queue::claim(&store, "w_dying", 1).await.unwrap().is_some(),
                "attempt {attempt}"
            );
            tokio::time::sleep(Duration::from_millis(2100)).await;
        }
        assert!(queue::claim(&store, "w_dying", 1).await.unwrap().is_none());
        assert_eq!(queue::fail_exhausted(&store).await.unwrap(), 1);
        let failed = store.audit(&id).await.unwrap().unwrap();
        assert_eq!(failed.status, AuditStatus::Failed);
        assert!(failed.error.unwrap().contains("2 times"));
    });
}

pub fn log_verify_names_the_first_edited_or_deleted_entry(database: Option<String>) {
    let service = start_on(database, |config| config.workers = 0);
    let (_, key) = service.key(Scope::Read);
    for _ in 0..5 {
        assert_eq!(service.get("/api/v1/servers", Some(&key)).status, 200);
    }
    let verify = || {
        service
            .runtime
            .block_on(log::verify(&service.state.store))
            .unwrap()
    };
    let intact = verify();
    assert!(intact.intact());
    assert_eq!(intact.entries, 5);

    // Someone rewrites entry 3's outcome.
    service.sql("UPDATE audit_log SET outcome = 500 WHERE seq = 3");
    let broken = verify();
    assert_eq!(
        broken.first_broken.as_ref().map(|b| b.0),
        Some(3),
        "{broken:?}"
    );

    // …or rewrites it with a fresh hash: the next entry's link gives it away.
    service.sql(
        "UPDATE audit_log SET hash = '1111111111111111111111111111111111111111111111111111111111111111' WHERE seq = 3",
    );
    assert_eq!(verify().first_broken.map(|b| b.0), Some(3));

    // Deleting an entry is found too.
    service.sql("DELETE FROM audit_log WHERE seq = 2");
    let deleted = verify();
    assert_eq!(
        deleted.first_broken.as_ref().map(|b| b.0),
        Some(2),
        "{deleted:?}"
    );
    assert!(deleted.first_broken.unwrap().1.contains("missing"));
}

/// Workers on two separate connection pools (as two processes would be) drain a queue: every
/// job is claimed once and completed once.
pub fn concurrent_workers_claim_every_job_exactly_once(database: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let url = database.unwrap_or_else(|| Store::sqlite_url_in(dir.path()).unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let first = Store::open(&url, 4).await.unwrap();
        let version = first.migrate().await.unwrap();
        let second = Store::open(&url, 4).await.unwrap();
        assert_eq!(
            second.migrate().await.unwrap(),
            version,
            "migrating again is a no-op"
        );
        let server = ServerRow {
            id: "srv_test".into(),
            target: "npm:test".into(),
            kind: "npm".into(),
            name: "test".into(),
            created_at: 0,
        };
        first.upsert_server(&server).await.unwrap();
        const JOBS: usize = 60;
        for n in 0..JOBS {
            let audit = AuditRow {
                spec: format!("npm:test@1.0.{n}"),
                version: format!("1.0.{n}"),
                ..AuditRow::queued(
                    format!("au_job{n:03}"),
                    server.id.clone(),
                    3,
                    n as i64,
                    "api",
                )
            };
            first.insert_audit(&audit).await.unwrap();
        }
        let stores = [Arc::new(first), Arc::new(second)];
        let mut tasks = Vec::new();
        for w in 0..6 {
            let store = Arc::clone(&stores[w % 2]);
            tasks.push(tokio::spawn(async move {
                let id = format!("w_{w}");
                let mut done = Vec::new();
                while let Some(claimed) = queue::claim(&store, &id, 60).await.unwrap() {
                    let result = queue::AuditResult {
                        grade: "A".into(),
                        score: 100,
                        report: "{}".into(),
                        sbom: "{}".into(),
                    };
                    assert!(queue::complete(&store, &claimed.audit.id, &id, &result)
                        .await
                        .unwrap());
                    done.push(claimed.audit.id);
                }
                done
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let unique: BTreeSet<_> = all.iter().cloned().collect();
        assert_eq!(all.len(), JOBS, "a job was claimed twice: {all:?}");
        assert_eq!(unique.len(), JOBS);
        for n in 0..JOBS {
            let row = stores[0]
                .audit(&format!("au_job{n:03}"))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.status, AuditStatus::Done);
            assert_eq!((row.attempts, row.completions), (1, 1));
        }
    });
}

/// The requests a receiver got: (head, body).
type Received = Arc<std::sync::Mutex<Vec<(String, Vec<u8>)>>>;

/// A loopback receiver that answers 200 to every request and keeps (headers, body).
fn webhook_receiver() -> (String, Received) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen: Received = Arc::default();
    let keep = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            'requests: loop {
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        // The client closed the connection: wait for the next one.
                        break 'requests;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                keep.lock().unwrap().push((head, body));
                let _ = reader
                    .get_mut()
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            }
        }
    });
    (url, seen)
}

/// A server whose report is older than the re-scan period is audited again (once); a worse
/// report than the one before is drift, listed by the API and POSTed, signed, to the webhook.
pub fn rescans_are_queued_and_drift_is_listed_and_signed_to_the_webhook(database: Option<String>) {
    let service = start_on(database, |config| config.workers = 0);
    let (_, key) = service.key(Scope::Write);
    let store = service.state.store.clone();
    let config = service.state.config.clone();
    let first = service.post("/api/v1/audits", Some(&key), IS_NUMBER).json()["audit_id"]
        .as_str()
        .unwrap()
        .to_string();
    service.runtime.block_on(async {
        assert!(worker::work_once(&store, &config.worker, "w_1")
            .await
            .unwrap());
    });
    // Eight days pass.
    service.sql(
        "UPDATE audits SET created_at = created_at - 691200, finished_at = finished_at - 691200",
    );
    let rescans = service
        .runtime
        .block_on(skillaudit_service::rescan::enqueue_due(
            &store,
            config.rescan_period,
            config.max_attempts,
        ))
        .unwrap();
    assert_eq!(rescans.len(), 1);
    let again = service
        .runtime
        .block_on(skillaudit_service::rescan::enqueue_due(
            &store,
            config.rescan_period,
            config.max_attempts,
        ))
        .unwrap();
    assert!(again.is_empty(), "a due server is queued once");
    // The old badge says it is stale.
    let badge = service.get(&format!("/badge/{first}.svg"), None);
    assert!(badge.body.contains("stale"), "{}", badge.body);

    let rescan = rescans[0].clone();
    service.runtime.block_on(async {
        assert!(worker::work_once(&store, &config.worker, "w_1")
            .await
            .unwrap());
        let row = store.audit(&rescan).await.unwrap().unwrap();
        assert_eq!(
            (row.status, row.origin.as_str()),
            (AuditStatus::Done, "rescan")
        );
        // The same package gave the same report: no drift.
        assert!(skillaudit_service::drift::list(&store, None, 10)
            .await
            .unwrap()
            .is_empty());

        // Then a worse report arrives: a lower grade and a new HIGH finding.
        let mut report: serde_json::Value =
            serde_json::from_str(row.report.as_deref().unwrap()).unwrap();
        report["grade"] = "D".into();
        report["score"] = 55.into();
        let mut finding = report["findings"][0].clone();
        finding["severity"] = "HIGH".into();
        finding["fingerprint"] = "0123456789abcdef".into();
        finding["code"] = "SSRF-001".into();
        report["findings"].as_array_mut().unwrap().push(finding);
        let mut worse = row.clone();
        worse.id = "au_worse".into();
        worse.status = AuditStatus::Queued;
        worse.created_at += 1;
        store.insert_audit(&worse).await.unwrap();
        let claimed = queue::claim(&store, "w_2", 60).await.unwrap().unwrap();
        assert_eq!(claimed.audit.id, "au_worse");
        let result = queue::AuditResult {
            grade: "D".into(),
            score: 55,
            report: report.to_string(),
            sbom: "{}".into(),
        };
        assert!(queue::complete(&store, "au_worse", "w_2", &result)
            .await
            .unwrap());
        let finished = store.audit("au_worse").await.unwrap().unwrap();
        let events = skillaudit_service::drift::record(&store, &finished)
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["grade_drop", "new_high"], "{events:?}");
        assert_eq!(events[0].previous_audit_id, rescan);
        // Recording again adds nothing.
        assert!(skillaudit_service::drift::record(&store, &finished)
            .await
            .unwrap()
            .is_empty());
    });

    let listed = service.get("/api/v1/drift", Some(&key)).json();
    assert_eq!(listed["events"].as_array().unwrap().len(), 2, "{listed}");
    let server_id = listed["events"][0]["server_id"]
        .as_str()
        .unwrap()
        .to_string();
    let server = service
        .get(&format!("/api/v1/servers/{server_id}"), Some(&key))
        .json();
    assert_eq!(server["drift"].as_array().unwrap().len(), 2);
    assert_eq!(server["trend"], "down");

    let (url, received) = webhook_receiver();
    let hook = skillaudit_service::webhook::Webhook {
        url,
        secret: "a-webhook-secret-for-tests".into(),
    };
    let delivered = service
        .runtime
        .block_on(skillaudit_service::webhook::deliver_pending(
            &store,
            &hook,
            &service.base,
        ))
        .unwrap();
    assert_eq!(delivered, 2);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    for (head, body) in &received {
        let expected = skillaudit_service::webhook::signature(&hook.secret, body);
        assert!(
            head.lines()
                .any(|l| l.eq_ignore_ascii_case(&format!("x-skillaudit-signature: {expected}"))),
            "{head}"
        );
        let event: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(event["event"], "drift");
        assert_eq!(event["audit_id"], "au_worse");
    }
    // Delivered events are not sent again.
    assert_eq!(
        service
            .runtime
            .block_on(skillaudit_service::webhook::deliver_pending(
                &store,
                &hook,
                &service.base
            ))
            .unwrap(),
        0
    );
}

/// A client that sends its headers too slowly is disconnected; others are still served.
pub fn a_slow_client_is_disconnected(database: Option<String>) {
    use std::io::{Read, Write};
    let service = start_on(database, |config| {
        config.workers = 0;
        config.header_read_timeout = Duration::from_secs(1);
    });
    let address = service.base.trim_start_matches("http://").to_string();
    let mut slow = std::net::TcpStream::connect(&address).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    // The server answers 408 or just closes; either way the connection ends, and soon.
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the slow connection was held {:?}",
        started.elapsed()
    );
    assert_eq!(service.get("/", None).status, 200);
}

pub fn a_slow_body_is_answered_408_and_logged(database: Option<String>) {
    use std::io::{Read, Write};
    let service = start_on(database, |config| {
        config.workers = 0;
        config.body_read_timeout = Duration::from_secs(1);
    });
    let (_, write) = service.key(Scope::Write);
    let address = service.base.trim_start_matches("http://").to_string();
    let mut slow = std::net::TcpStream::connect(&address).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The headers promise 100 bytes; one arrives, then nothing.
    let head = format!(
        "POST /api/v1/audits HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {write}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    slow.write_all(head.as_bytes()).unwrap();
    let started = std::time::Instant::now();
    let mut answer = [0u8; 512];
    let n = slow.read(&mut answer).unwrap_or(0);
    let text = String::from_utf8_lossy(&answer[..n]).to_string();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "answered after {:?}",
        started.elapsed()
    );
    assert!(
        service
            .log_entries()
            .iter()
            .any(|(_, action, outcome, _)| action == "POST /api/v1/audits" && *outcome == 408),
        "{:?}",
        service.log_entries()
    );
    let depth = service
        .runtime
        .block_on(service.state.store.queue_depth())
        .unwrap();
    assert_eq!(depth, 0, "nothing is queued");
    // A body sent in time is read as before.
    let ok = service.post(
        "/api/v1/audits",
        Some(&write),
        br#"{"package": "npm:is-number", "version": "7.0.0"}"#,
    );
    assert_eq!(ok.status, 202, "{}", ok.body);
}
