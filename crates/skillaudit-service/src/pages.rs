//! The public pages: the server index with grades and trends, each audit's HTML report (the
//! CLI's HTML renderer), and badges (the CLI's badge renderer; a report older than the re-scan
//! period is labelled stale).

use crate::api::server_summary;
use crate::card;
use crate::store::{AuditRow, AuditStatus};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use skillaudit_core::{Grade, Report};
use skillaudit_render::{render, Format, RenderOptions};
use skillaudit_rules::registry;
use std::sync::Arc;

type Shared = Arc<AppState>;

/// Renders one stored report in a format of the CLI's renderers.
pub fn render_report(format: Format, report: Report) -> Result<Vec<u8>, String> {
    let rules: Vec<_> = registry::all_meta().into_iter().copied().collect();
    let mut out = Vec::new();
    render(
        format,
        &[report],
        &[],
        &rules,
        &RenderOptions::default(),
        &mut out,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn page_error(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SkillAudit</title></head><body><p>{}</p><p><a href=\"/\">All servers</a></p></body></html>",
        escape_html(message)
    );
    (status, Html(body)).into_response()
}

fn internal(message: impl std::fmt::Display) -> Response {
    eprintln!("skillaudit serve: {message}");
    page_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The service could not answer; the operator's log has the detail.",
    )
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd}.g{font-weight:700}.A{color:#2a7d1e}.B{color:#5f8a00}.C{color:#a07b00}.D{color:#c25400}.F{color:#c0322b}.stale{color:#a66;font-size:.85em}td.trend{font-size:1.1em}";

/// `GET /`: every audited server with its latest grade, trend and badge.
pub async fn index(State(state): State<Shared>) -> Response {
    let servers = match state.store.list_servers().await {
        Ok(servers) => servers,
        Err(err) => return internal(err),
    };
    let mut rows = String::new();
    for server in &servers {
        let summary = match server_summary(&state, server).await {
            Ok(summary) => summary,
            Err(err) => return internal(err.message),
        };
        let text = |key: &str| {
            summary
                .get(key)
                .and_then(Value::as_str)
                .map(escape_html)
                .unwrap_or_default()
        };
        let grade = text("grade");
        let score = summary.get("score").and_then(Value::as_i64);
        let trend = match summary.get("trend").and_then(Value::as_str) {
            Some("up") => "▲",
            Some("down") => "▼",
            Some("same") => "=",
            Some("new") => "new",
            _ => "",
        };
        let stale = if summary.get("stale").and_then(Value::as_bool) == Some(true) {
            " <span class=\"stale\">stale</span>"
        } else {
            ""
        };
        let audit = text("audit_id");
        let link = if audit.is_empty() {
            "not audited yet".to_string()
        } else {
            format!("<a href=\"/reports/{audit}\">report</a>")
        };
        rows.push_str(&format!(
            "<tr><td><a href=\"/reports/{audit}\">{target}</a></td><td>{version}</td><td class=\"g {grade}\">{grade}</td><td>{score}</td><td class=\"trend\">{trend}</td><td>{audited}{stale}</td><td>{link}</td></tr>\n",
            target = escape_html(&server.target),
            version = text("version"),
            score = score.map(|s| s.to_string()).unwrap_or_default(),
            audited = text("audited_at"),
        ));
    }
    if servers.is_empty() {
        rows.push_str("<tr><td colspan=\"7\">No server has been audited yet: <code>POST /api/v1/audits</code>.</td></tr>\n");
    }
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>SkillAudit servers</title><style>{STYLE}</style></head>\n<body><h1>SkillAudit: audited servers</h1>\n<table><thead><tr><th>Server</th><th>Version</th><th>Grade</th><th>Score</th><th>Trend</th><th>Audited</th><th></th></tr></thead><tbody>\n{rows}</tbody></table>\n<p><a href=\"/api/openapi.json\">API (OpenAPI)</a></p></body></html>\n"
    );
    let mut response = Html(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
        ),
    );
    response
}

/// `GET /reports/{id}`: the audit's HTML report.
pub async fn report(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let audit = match load(&state, &id).await {
        Ok(audit) => audit,
        Err(response) => return response,
    };
    match audit.status {
        AuditStatus::Done => {}
        AuditStatus::Failed => {
            return page_error(
                StatusCode::OK,
                &format!(
                    "The audit of {} failed: {}",
                    audit.spec,
                    audit.error.as_deref().unwrap_or("no reason recorded")
                ),
            )
        }
        status => {
            return page_error(
                StatusCode::ACCEPTED,
                &format!(
                    "The audit of {} is {}: reload this page shortly.",
                    audit.spec,
                    status.as_str()
                ),
            )
        }
    }
    let report = match card::presented_report(&state.config, &audit) {
        Ok(report) => report,
        Err(err) => return internal(err),
    };
    match render_report(Format::Html, report) {
        Ok(bytes) => {
            let mut response =
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response();
            // The report embeds text from the audited package: no scripts, nothing fetched.
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                header::HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                ),
            );
            response
        }
        Err(err) => internal(err),
    }
}

async fn load(state: &AppState, id: &str) -> Result<AuditRow, Response> {
    if id.len() > 64 {
        return Err(page_error(StatusCode::NOT_FOUND, "No such audit."));
    }
    match state.store.audit(id).await {
        Ok(Some(audit)) => Ok(audit),
        Ok(None) => Err(page_error(StatusCode::NOT_FOUND, "No such audit.")),
        Err(err) => Err(internal(err)),
    }
}

/// The id in a badge file name (`ID.svg`).
fn badge_id(file: &str) -> Option<&str> {
    file.strip_suffix(".svg")
        .filter(|id| !id.is_empty() && id.len() <= 64)
}

fn badge_response(state: &AppState, audit: &AuditRow) -> Response {
    let grade = audit.grade.as_deref().and_then(Grade::parse);
    let (Some(grade), Some(score), Some(finished)) = (grade, audit.score, audit.finished_at) else {
        return (StatusCode::NOT_FOUND, "the audit has no grade yet\n").into_response();
    };
    let label = if card::is_stale(&state.config, finished) {
        "skillaudit (stale)"
    } else {
        skillaudit_render::badge::LABEL
    };
    let score = u32::try_from(score.clamp(0, 100)).unwrap_or(0);
    let svg = skillaudit_render::badge::badge_svg(label, grade, score);
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        svg,
    )
        .into_response()
}

/// `GET /badge/{audit_id}.svg`.
pub async fn audit_badge(State(state): State<Shared>, Path(file): Path<String>) -> Response {
    let Some(id) = badge_id(&file) else {
        return (StatusCode::NOT_FOUND, "no such badge\n").into_response();
    };
    match state.store.audit(id).await {
        Ok(Some(audit)) if audit.status == AuditStatus::Done => badge_response(&state, &audit),
        Ok(Some(_)) => (StatusCode::NOT_FOUND, "the audit has not finished\n").into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no such audit\n").into_response(),
        Err(err) => internal(err),
    }
}

/// `GET /badge/server/{server_id}.svg`: the server's latest grade.
pub async fn server_badge(State(state): State<Shared>, Path(file): Path<String>) -> Response {
    let Some(id) = badge_id(&file) else {
        return (StatusCode::NOT_FOUND, "no such badge\n").into_response();
    };
    match state.store.server_history(id, 1).await {
        Ok(mut latest) => match latest.pop() {
            Some(audit) => badge_response(&state, &audit),
            None => (StatusCode::NOT_FOUND, "no finished audit of this server\n").into_response(),
        },
        Err(err) => internal(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn badge_files_end_in_svg() {
        assert_eq!(badge_id("au_1.svg"), Some("au_1"));
        assert_eq!(badge_id("au_1.png"), None);
        assert_eq!(badge_id(".svg"), None);
    }
}
