//! `skillaudit scan --server URL`: ask a SkillAudit service for the report cards instead of
//! auditing locally (the CI webhook flow). Each target is submitted to `POST /api/v1/audits`
//! and its card read once the audit has finished; the cards then go through the same gate,
//! formats and CI outputs as a local scan. The key comes from `SKILLAUDIT_API_KEY`.

use skillaudit_core::{Report, TargetError};
use skillaudit_engine::Audited;
use std::time::{Duration, Instant};

/// How long one submission waits on the server before polling (the service caps it at 60 s;
/// under the client's 60 s response timeout).
const WAIT_PER_REQUEST: u64 = 50;
/// How often a running audit is polled.
const POLL: Duration = Duration::from_secs(2);

/// The request body for a target: a registry package or a git repository.
pub fn request_body(target: &str, git_ref: Option<&str>) -> Result<serde_json::Value, String> {
    let target = target.trim();
    if target.starts_with("npm:") || target.starts_with("pypi:") {
        if git_ref.is_some() {
            return Err("--ref applies to git URLs".to_string());
        }
        Ok(serde_json::json!({ "package": target }))
    } else if target.starts_with("https://") {
        let mut body = serde_json::json!({ "repo": target });
        if let Some(r) = git_ref {
            body["ref"] = r.into();
        }
        Ok(body)
    } else {
        Err(format!(
            "a service audits npm:NAME@VERSION, pypi:NAME==VERSION and https:// git URLs; audit {target:?} locally (without --server)"
        ))
    }
}

fn error_message(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(body).chars().take(300).collect())
}

/// One target's report card from the service at `server`.
fn audit_one(
    server: &str,
    key: Option<&str>,
    target: &str,
    git_ref: Option<&str>,
    timeout: Duration,
) -> Result<Report, String> {
    let body = request_body(target, git_ref)?.to_string();
    let url = format!("{server}/api/v1/audits?wait={WAIT_PER_REQUEST}");
    let answer = skillaudit_source::service_request(&url, key, Some(body.as_bytes()))
        .map_err(|e| e.to_string())?;
    if answer.status != 200 && answer.status != 202 {
        return Err(format!(
            "the service answered {}: {}",
            answer.status,
            error_message(&answer.body)
        ));
    }
    let mut card: serde_json::Value =
        serde_json::from_slice(&answer.body).map_err(|e| format!("the service's answer: {e}"))?;
    let id = card["audit_id"]
        .as_str()
        .ok_or("the service's answer has no audit_id")?
        .to_string();
    let deadline = Instant::now() + timeout;
    while !matches!(card["status"].as_str(), Some("done") | Some("failed")) {
        if Instant::now() > deadline {
            return Err(format!(
                "audit {id} did not finish within {} s",
                timeout.as_secs()
            ));
        }
        std::thread::sleep(POLL);
        let answer =
            skillaudit_source::service_request(&format!("{server}/api/v1/audits/{id}"), key, None)
                .map_err(|e| e.to_string())?;
        if answer.status != 200 {
            return Err(format!(
                "the service answered {}: {}",
                answer.status,
                error_message(&answer.body)
            ));
        }
        card = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("the service's answer: {e}"))?;
    }
    if card["status"] == "failed" {
        return Err(format!(
            "the service could not audit it: {}",
            card["error"].as_str().unwrap_or("no reason given")
        ));
    }
    serde_json::from_value(card).map_err(|e| format!("the service's report card: {e}"))
}

/// Every target's card, in the order given; targets the service could not audit are errors.
pub fn audit_remote(
    server: &str,
    targets: &[String],
    git_ref: Option<&str>,
    timeout: Duration,
) -> (Vec<Audited>, Vec<TargetError>) {
    let server = server.trim_end_matches('/');
    let key = std::env::var("SKILLAUDIT_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty());
    let mut audited = Vec::new();
    let mut errors = Vec::new();
    for target in targets {
        match audit_one(server, key.as_deref(), target, git_ref, timeout) {
            Ok(report) => audited.push(Audited {
                report,
                dependencies: None,
                // The service audits what the card covers; nothing is delegated locally.
                delegated: Vec::new(),
            }),
            Err(error) => errors.push(TargetError {
                target: target.clone(),
                error,
            }),
        }
    }
    (audited, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_specs_and_https_urls_are_sent_and_local_paths_are_not() {
        assert_eq!(
            request_body("npm:is-number@7.0.0", None).unwrap(),
            serde_json::json!({"package": "npm:is-number@7.0.0"})
        );
        assert_eq!(
            request_body("https://github.com/o/r", Some("v1")).unwrap(),
            serde_json::json!({"repo": "https://github.com/o/r", "ref": "v1"})
        );
        assert!(request_body("./server", None).is_err());
        assert!(request_body("npm:x@1", Some("main")).is_err());
    }
}
