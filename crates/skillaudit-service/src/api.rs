//! The HTTP API (JSON under `/api/v1`) and the router that joins it to the pages.
//!
//! Every `/api` request passes [`guard`]: the body-size limit, the API key (`Authorization:
//! Bearer`), the client's rate limit, and an entry in the audit log with the answer's status —
//! refusals included. Handlers then check the scope they need.

use crate::auth::{self, Caller, Scope};
use crate::card::{self, audit_card};
use crate::log::Action;
use crate::store::{now_seconds, AuditRow, AuditStatus, ServerRow};
use crate::targets::{self, AuditRequest};
use crate::{openapi, pages, AppState};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Shared = Arc<AppState>;

/// An error answer: `{"error": {"code", "message"}}` with its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    fn internal(message: impl std::fmt::Display) -> ApiError {
        // The detail goes to the operator's log, not to the client.
        eprintln!("skillaudit serve: {message}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the service could not answer; the operator's log has the detail",
        )
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> ApiError {
        ApiError::internal(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(json!({"error": {"code": self.code, "message": self.message}}));
        let mut response = (self.status, body).into_response();
        // Kept for the audit log entry.
        response
            .extensions_mut()
            .insert(LogDetail(self.message.clone()));
        response
    }
}

/// What a response was about, for the audit log (an audit id, a target…).
#[derive(Debug, Clone)]
struct LogSubject(String);

/// Why a request was refused, for the audit log.
#[derive(Debug, Clone)]
struct LogDetail(String);

fn with_subject(mut response: Response, subject: impl Into<String>) -> Response {
    response.extensions_mut().insert(LogSubject(subject.into()));
    response
}

/// The whole application: API, pages, badges and the OpenAPI document.
pub fn router(state: Shared) -> Router {
    let api = Router::new()
        .route("/api/v1/audits", post(submit_audit))
        .route("/api/v1/audits/{id}", get(get_audit))
        .route("/api/v1/audits/{id}/sbom", get(get_sbom))
        .route("/api/v1/audits/{id}/sarif", get(get_sarif))
        .route("/api/v1/servers", get(list_servers))
        .route("/api/v1/servers/{id}", get(get_server))
        .route("/api/v1/grade", get(grade))
        .route("/api/v1/drift", get(list_drift))
        .route("/api/v1/registry", get(registry_export))
        // The path the seeds' gate scripts call.
        .route("/api/grade", get(grade))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), guard))
        .layer(DefaultBodyLimit::max(state.config.body_limit));
    let public = Router::new()
        .route("/", get(pages::index))
        .route("/reports/{id}", get(pages::report))
        .route("/badge/{file}", get(pages::audit_badge))
        .route("/badge/server/{file}", get(pages::server_badge))
        .route("/api/openapi.json", get(openapi_document))
        .route("/metrics", get(crate::metrics::metrics))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            public_limit,
        ));
    Router::new()
        .merge(public)
        .merge(api)
        .fallback(not_found)
        .with_state(state)
}

async fn openapi_document() -> Response {
    Json(openapi::document()).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("page or API route")
}

fn client_address(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

fn too_many(retry_after: u64) -> Response {
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("too many requests: retry in {retry_after} s"),
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Rate limits for requests without a key (pages, badges), by client address.
async fn public_limit(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let client = format!("ip:{}", client_address(&request));
    if let Err(retry) = state.limiter.check(&client) {
        return too_many(retry);
    }
    next.run(request).await
}

/// Body limit, key, rate limit and audit log for every API request.
async fn guard(State(state): State<Shared>, mut request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().chars().take(200).collect());
    let action = format!("{} {}", request.method(), path);
    let client = client_address(&request);
    let key = auth::bearer(
        request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    )
    .map(str::to_string);
    let mut entry = Action {
        action,
        ..Action::default()
    };
    let response = match auth::authenticate(&state.store, key.as_deref()).await {
        Err(err) => ApiError::from(err).into_response(),
        Ok(Err(refusal)) => {
            entry.subject = Some(format!("client {client}"));
            // Guessing keys draws on the client's bucket.
            match state.limiter.check(&format!("ip:{client}")) {
                Err(retry) => too_many(retry),
                Ok(()) => {
                    let mut response =
                        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", refusal.message())
                            .into_response();
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                    response
                }
            }
        }
        Ok(Ok(caller)) => {
            entry.key_id = Some(caller.key_id.clone());
            let declared = request
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if let Err(retry) = state.limiter.check(&caller.key_id) {
                too_many(retry)
            } else if declared.is_some_and(|n| n > state.config.body_limit as u64) {
                body_too_large(state.config.body_limit)
            } else {
                request.extensions_mut().insert(caller);
                match read_body_in_time(request, &state.config).await {
                    Ok(request) => next.run(request).await,
                    Err(refusal) => refusal,
                }
            }
        }
    };
    entry.outcome = i64::from(response.status().as_u16());
    entry.subject = response
        .extensions()
        .get::<LogSubject>()
        .map(|s| s.0.clone())
        .or(entry.subject);
    entry.detail = response
        .extensions()
        .get::<LogDetail>()
        .map(|d| d.0.clone());
    if let Err(err) = state.log.append(&state.store, &entry).await {
        // An API action that cannot be logged is not answered as if it had been.
        return ApiError::internal(format!("cannot write the audit log: {err}")).into_response();
    }
    response
}

/// Read a request's body within the body-read deadline and the size limit, so a client that
/// trickles its body (or never finishes it) is answered 408 instead of holding a request — and
/// the database work behind it — open. The handler then reads the buffered body.
async fn read_body_in_time(
    request: Request,
    config: &crate::ServiceConfig,
) -> Result<Request, Response> {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    // One byte over the limit tells a body that is too large from one exactly at it.
    let read = axum::body::to_bytes(body, config.body_limit.saturating_add(1));
    match tokio::time::timeout(config.body_read_timeout, read).await {
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            format!(
                "the request body did not arrive within {} s",
                config.body_read_timeout.as_secs()
            ),
        )
        .into_response()),
        Ok(Err(_)) => Err(body_too_large(config.body_limit)),
        Ok(Ok(bytes)) if bytes.len() > config.body_limit => Err(body_too_large(config.body_limit)),
        Ok(Ok(bytes)) => Ok(Request::from_parts(parts, axum::body::Body::from(bytes))),
    }
}

fn body_too_large(limit: usize) -> Response {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        format!("the request body is over the {limit}-byte limit"),
    )
    .into_response()
}

fn require(caller: &Caller, scope: Scope) -> Result<(), ApiError> {
    if caller.scope.allows(scope) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "this needs a key with the {scope} scope (this key has {})",
                caller.scope
            ),
        ))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitQuery {
    /// Seconds to wait for the result before answering 202.
    #[serde(default)]
    wait: Option<u64>,
}

/// `POST /api/v1/audits`: queue an audit (or reuse a recent one); answer at once with 202, or
/// with the finished card when `?wait=SECONDS` is given and it finishes in time.
async fn submit_audit(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<WaitQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Write)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the request body is over the {}-byte limit",
                    state.config.body_limit
                ),
            )
        } else {
            ApiError::bad_request(e.body_text())
        }
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "send a JSON body: {\"package\": \"npm:NAME\", \"version\": \"1.2.3\"} or {\"repo\": \"https://…\", \"ref\": \"…\"}",
        ));
    }
    let request: AuditRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!("the body is not a valid audit request: {e}"))
    })?;
    let target = targets::validate(&request, &state.config.git_hosts)
        .map_err(|e| ApiError::bad_request(e.0))?;
    let policy_env = request
        .policy_env
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(env) = policy_env {
        card::check_policy_env(env).map_err(ApiError::bad_request)?;
    }
    targets::resolve(&target)
        .await
        .map_err(|e| ApiError::bad_request(e.0))?;

    let now = now_seconds();
    let server = ServerRow {
        id: server_id(&target.server),
        target: target.server.clone(),
        kind: target.kind.to_string(),
        name: target.name.clone(),
        created_at: now,
    };
    state.store.upsert_server(&server).await?;
    let cache = i64::try_from(state.config.cache_period.as_secs()).unwrap_or(i64::MAX);
    let reused = state
        .store
        .reusable_audit(
            &target.spec,
            target.git_ref.as_deref(),
            now.saturating_sub(cache),
        )
        .await?;
    let (mut audit, cached) = match reused {
        Some(audit) => (audit, true),
        None => {
            let audit = AuditRow {
                spec: target.spec.clone(),
                version: target.version.clone(),
                git_ref: target.git_ref.clone(),
                policy_env: policy_env.map(str::to_string),
                ..AuditRow::queued(
                    auth::random_id("au_").map_err(ApiError::internal)?,
                    server.id.clone(),
                    state.config.max_attempts,
                    now,
                    "api",
                )
            };
            state.store.insert_audit(&audit).await?;
            state.wake.notify_waiters();
            (audit, false)
        }
    };
    let wait = Duration::from_secs(query.wait.unwrap_or(0)).min(state.config.max_wait);
    if !wait.is_zero() && !audit.status.is_final() {
        let until = Instant::now() + wait;
        while Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(200)).await;
            match state.store.audit(&audit.id).await? {
                Some(now) if now.status.is_final() => {
                    audit = now;
                    break;
                }
                Some(now) => audit = now,
                None => break,
            }
        }
    }
    let body = audit_card(&state.config, &audit, policy_env, cached).map_err(ApiError::internal)?;
    let status = if audit.status.is_final() {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let mut response = (status, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/audits/{}", audit.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(with_subject(
        response,
        format!("{} {}", audit.id, audit.spec),
    ))
}

/// A server's id: `srv_` and 16 hex digits of the SHA-256 of its target.
pub fn server_id(target: &str) -> String {
    let digest = Sha256::digest(target.as_bytes());
    format!("srv_{}", &auth::hex(&digest)[..16])
}

async fn find_audit(state: &AppState, id: &str) -> Result<AuditRow, ApiError> {
    if id.len() > 64 {
        return Err(ApiError::not_found("audit"));
    }
    state
        .store
        .audit(id)
        .await?
        .ok_or_else(|| ApiError::not_found("audit"))
}

async fn get_audit(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let audit = find_audit(&state, &id).await?;
    let body = audit_card(&state.config, &audit, audit.policy_env.as_deref(), false)
        .map_err(ApiError::internal)?;
    Ok(with_subject(Json(body).into_response(), audit.id))
}

fn finished(audit: &AuditRow) -> Result<(), ApiError> {
    match audit.status {
        AuditStatus::Done => Ok(()),
        AuditStatus::Failed => Err(ApiError::new(
            StatusCode::CONFLICT,
            "audit_failed",
            format!(
                "the audit failed: {}",
                audit.error.as_deref().unwrap_or("no reason recorded")
            ),
        )),
        status => Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_finished",
            format!("the audit is {}: ask again shortly", status.as_str()),
        )),
    }
}

async fn get_sbom(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let audit = find_audit(&state, &id).await?;
    finished(&audit)?;
    let sbom = audit.sbom.clone().unwrap_or_default();
    let response = (
        [(header::CONTENT_TYPE, "application/vnd.cyclonedx+json")],
        sbom,
    )
        .into_response();
    Ok(with_subject(response, audit.id))
}

async fn get_sarif(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let audit = find_audit(&state, &id).await?;
    finished(&audit)?;
    let report = card::presented_report(&state.config, &audit).map_err(ApiError::internal)?;
    let bytes = pages::render_report(skillaudit_render::Format::Sarif, report)
        .map_err(ApiError::internal)?;
    let response = ([(header::CONTENT_TYPE, "application/sarif+json")], bytes).into_response();
    Ok(with_subject(response, audit.id))
}

/// One server with its latest grade (and the grade before, for the trend).
pub async fn server_summary(state: &AppState, server: &ServerRow) -> Result<Value, ApiError> {
    let recent = state.store.server_history(&server.id, 2).await?;
    let mut summary = json!({
        "id": server.id,
        "target": server.target,
        "kind": server.kind,
        "name": server.name,
    });
    if let (Some(latest), Value::Object(map)) = (recent.first(), &mut summary) {
        map.insert("audit_id".into(), json!(latest.id));
        map.insert("version".into(), json!(latest.version));
        map.insert("grade".into(), json!(latest.grade));
        map.insert("score".into(), json!(latest.score));
        if let Some(finished) = latest.finished_at {
            map.insert("audited_at".into(), json!(card::rfc3339(finished)));
            map.insert(
                "stale".into(),
                json!(card::is_stale(&state.config, finished)),
            );
        }
        map.insert("trend".into(), json!(trend(latest, recent.get(1))));
        map.extend(card::links(&state.config, &latest.id));
        map.insert(
            "server_badge_url".into(),
            json!(format!(
                "{}/badge/server/{}.svg",
                state.config.public_url, server.id
            )),
        );
    }
    Ok(summary)
}

/// `up`, `down` or `same` against the audit before; `new` for a first audit.
pub fn trend(latest: &AuditRow, previous: Option<&AuditRow>) -> &'static str {
    match (latest.score, previous.and_then(|p| p.score)) {
        (Some(now), Some(before)) if now > before => "up",
        (Some(now), Some(before)) if now < before => "down",
        (Some(_), Some(_)) => "same",
        _ => "new",
    }
}

async fn list_servers(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let mut servers = Vec::new();
    for server in state.store.list_servers().await? {
        servers.push(server_summary(&state, &server).await?);
    }
    Ok(Json(json!({ "servers": servers })).into_response())
}

/// History entries returned per server.
const HISTORY: i64 = 100;

async fn get_server(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let server = state
        .store
        .find_server(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("server"))?;
    let mut body = server_summary(&state, &server).await?;
    let history: Vec<Value> = state
        .store
        .server_history(&server.id, HISTORY)
        .await?
        .iter()
        .map(|a| {
            json!({
                "audit_id": a.id,
                "version": a.version,
                "grade": a.grade,
                "score": a.score,
                "finished_at": a.finished_at.map(card::rfc3339),
            })
        })
        .collect();
    let drift = crate::drift::list(&state.store, Some(&server.id), HISTORY).await?;
    if let Value::Object(map) = &mut body {
        map.insert("history".into(), json!(history));
        map.insert("drift".into(), json!(drift));
    }
    Ok(with_subject(Json(body).into_response(), server.id))
}

/// `GET /api/v1/drift`: the latest drift events of every server, newest first.
async fn list_drift(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let events = crate::drift::list(&state.store, None, 500).await?;
    Ok(Json(json!({ "events": events })).into_response())
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    format: Option<String>,
}

/// `GET /api/v1/registry[?format=csv]`: every server's latest audit as an entry of the
/// approved-server registry (`skillaudit registry`), pinned to the audited version, to start or
/// refresh an organisation's registry file from. Approval fields (environments, owner, data
/// access, exceptions) are the organisation's decisions and are left empty.
async fn registry_export(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let csv = match query.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown format {other:?}: json or csv"
            )))
        }
    };
    let mut entries = Vec::new();
    for server in state.store.list_servers().await? {
        let Some(latest) = state.store.server_history(&server.id, 1).await?.pop() else {
            continue;
        };
        let report = card::stored_report(&latest).map_err(ApiError::internal)?;
        entries.push(card::registry_entry(&state.config, &latest, &report));
    }
    let response = if csv {
        (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            skillaudit_policy::registry::to_csv(&entries),
        )
            .into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/json")],
            skillaudit_policy::registry::to_json(&entries),
        )
            .into_response()
    };
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct GradeQuery {
    server: Option<String>,
}

/// The server a gate names: its id, its target (`npm:name`, a repository URL), or a bare npm
/// package name.
pub async fn lookup_server(state: &AppState, text: &str) -> Result<Option<ServerRow>, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.len() > 600 {
        return Ok(None);
    }
    let mut candidates = vec![text.to_string()];
    if text.starts_with("https://") {
        candidates.push(
            text.trim_end_matches('/')
                .trim_end_matches(".git")
                .to_ascii_lowercase(),
        );
    } else if !text.contains(':') {
        candidates.push(format!("npm:{text}"));
    }
    for candidate in candidates {
        if let Some(server) = state.store.find_server(&candidate).await? {
            return Ok(Some(server));
        }
    }
    Ok(None)
}

/// `GET /api/v1/grade?server=…`: the latest grade and per-axis grades, for CI gates.
async fn grade(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<GradeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    require(&caller, Scope::Read)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let name = query.server.ok_or_else(|| {
        ApiError::bad_request("give ?server=ID, npm:NAME, pypi:NAME or a repository URL")
    })?;
    let server = lookup_server(&state, &name)
        .await?
        .ok_or_else(|| ApiError::not_found("server (audit it first)"))?;
    let Some(latest) = state.store.server_history(&server.id, 1).await?.pop() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_audited",
            "the server has no finished audit yet",
        ));
    };
    let report = card::stored_report(&latest).map_err(ApiError::internal)?;
    let finished = latest.finished_at.unwrap_or(latest.created_at);
    let body = json!({
        "server": server.target,
        "server_id": server.id,
        "audit_id": latest.id,
        "version": latest.version,
        "overall_grade": report.grade.as_str(),
        "score": report.score,
        "sub_scores": card::axis_grades(&report),
        "critical_findings": report.critical_findings.len(),
        "complete": report.complete,
        "audited_at": card::rfc3339(finished),
        "stale": card::is_stale(&state.config, finished),
        "report_url": format!("{}/reports/{}", state.config.public_url, latest.id),
    });
    Ok(with_subject(Json(body).into_response(), server.id))
}

/// Methods and paths of the API, for the OpenAPI test.
pub const ROUTES: &[(Method, &str)] = &[
    (Method::POST, "/api/v1/audits"),
    (Method::GET, "/api/v1/audits/{id}"),
    (Method::GET, "/api/v1/audits/{id}/sbom"),
    (Method::GET, "/api/v1/audits/{id}/sarif"),
    (Method::GET, "/api/v1/servers"),
    (Method::GET, "/api/v1/servers/{id}"),
    (Method::GET, "/api/v1/grade"),
    (Method::GET, "/api/v1/drift"),
    (Method::GET, "/api/v1/registry"),
    (Method::GET, "/api/grade"),
    (Method::GET, "/"),
    (Method::GET, "/reports/{id}"),
    (Method::GET, "/badge/{id}.svg"),
    (Method::GET, "/badge/server/{id}.svg"),
    (Method::GET, "/api/openapi.json"),
    (Method::GET, "/metrics"),
];
