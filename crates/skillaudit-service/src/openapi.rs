//! The OpenAPI 3.1 description of the service, served at `/api/openapi.json`. Written by hand
//! (a generator crate would cost more build time than the document is long); a test checks that
//! it describes exactly the routes the router serves.

use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn id_parameter(description: &str) -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
}

fn common_errors() -> Value {
    json!({
        "401": error_response("No key, an unknown key or a revoked key."),
        "403": error_response("The key's scope does not allow this."),
        "429": error_response("Rate limit: retry after the `Retry-After` seconds.")
    })
}

fn with_common(mut responses: Value) -> Value {
    if let (Value::Object(map), Value::Object(common)) = (&mut responses, common_errors()) {
        for (status, response) in common {
            map.entry(status).or_insert(response);
        }
    }
    responses
}

/// The document.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "SkillAudit service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Audits MCP servers and agent skills (npm and PyPI packages, https git repositories on the allowed hosts) and grades them A–F on six axes. API requests carry `Authorization: Bearer KEY`; keys have the scope read, write or admin. Pages and badges are public."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string", "examples": ["bad_request", "unauthorized", "rate_limited", "body_too_large"]},
                        "message": {"type": "string"}
                    }}}
                },
                "AuditRequest": {
                    "type": "object",
                    "additionalProperties": false,
                    "description": "Either `package` (with `version`) or `repo` (with `ref`).",
                    "properties": {
                        "package": {"type": "string", "description": "npm:NAME or pypi:NAME (a version may follow: npm:NAME@1.2.3, pypi:NAME==1.2.3).", "examples": ["npm:is-number"]},
                        "version": {"type": "string", "description": "Package version (npm defaults to latest; PyPI needs one)."},
                        "repo": {"type": "string", "description": "An https:// git URL on an allowed host.", "examples": ["https://github.com/org/server"]},
                        "ref": {"type": "string", "description": "Branch, tag or commit of `repo`."},
                        "policy_env": {"type": "string", "description": "Judge the report against this environment of the reference policy (production-pii, production, staging, development, ci).", "examples": ["production"]}
                    }
                },
                "Audit": {
                    "type": "object",
                    "description": "An audit: its state and links; once `status` is `done`, the whole report card (the JSON report of `skillaudit scan --format json`: grade, score, axes, critical_findings, findings…).",
                    "required": ["audit_id", "status", "badge_url", "report_url"],
                    "properties": {
                        "audit_id": {"type": "string", "examples": ["au_8f3b4c2d9e0a1b2c"]},
                        "status": {"enum": ["queued", "running", "done", "failed"]},
                        "server_id": {"type": "string"},
                        "spec": {"type": "string"},
                        "cached": {"type": "boolean", "description": "A recent audit of the same target and version answered the request."},
                        "grade": {"enum": ["A", "B", "C", "D", "F"]},
                        "score": {"type": "integer"},
                        "axes": {"type": "object"},
                        "critical_findings": {"type": "array"},
                        "stale": {"type": "boolean", "description": "Older than the re-scan period."},
                        "error": {"type": "string"},
                        "gate": {"type": "object", "description": "The verdict of `policy_env`'s gate.", "properties": {
                            "env": {"type": "string"}, "passed": {"type": "boolean"}, "failures": {"type": "array", "items": {"type": "string"}}
                        }},
                        "badge_url": {"type": "string"},
                        "report_url": {"type": "string"},
                        "sbom_url": {"type": "string"},
                        "sarif_url": {"type": "string"}
                    }
                },
                "DriftEvent": {
                    "type": "object",
                    "properties": {
                        "server_id": {"type": "string"}, "audit_id": {"type": "string"}, "previous_audit_id": {"type": "string"},
                        "kind": {"enum": ["grade_drop", "new_high", "new_advisory"]}, "detail": {"type": "string"},
                        "created_at": {"type": "integer", "description": "Unix seconds."},
                        "delivered_at": {"type": "integer", "description": "When the webhook accepted it (Unix seconds)."}
                    }
                },
                "Server": {
                    "type": "object",
                    "required": ["id", "target"],
                    "properties": {
                        "id": {"type": "string"}, "target": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"},
                        "audit_id": {"type": "string"}, "grade": {"type": "string"}, "score": {"type": "integer"},
                        "audited_at": {"type": "string", "format": "date-time"}, "stale": {"type": "boolean"},
                        "trend": {"enum": ["up", "down", "same", "new"]},
                        "history": {"type": "array", "items": {"type": "object"}},
                        "drift": {"type": "array", "items": {"$ref": "#/components/schemas/DriftEvent"}}
                    }
                }
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/audits": {"post": {
                "summary": "Audit a package or repository",
                "description": "Queues an audit and answers 202 at once, or — with `?wait=SECONDS` (at most the service's limit, 60 s by default) — the finished card (200) when it finishes in time. A finished audit of the same target and version within the cache period answers at once (`cached: true`).",
                "parameters": [{"name": "wait", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditRequest"}}}},
                "responses": with_common(json!({
                    "200": {"description": "Finished (done or failed).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Audit"}}}},
                    "202": {"description": "Queued or running; poll `Location`.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Audit"}}}},
                    "400": error_response("Malformed JSON, an unknown field, or a target the service does not audit (not npm:/pypi:, not https, a host off the allowlist, a private address)."),
                    "413": error_response("The body is over the limit (64 KiB by default).")
                }))
            }},
            "/api/v1/audits/{id}": {"get": {
                "summary": "An audit: status and report card",
                "parameters": [id_parameter("The audit id.")],
                "responses": with_common(json!({
                    "200": {"description": "The audit.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Audit"}}}},
                    "404": error_response("No such audit.")
                }))
            }},
            "/api/v1/audits/{id}/sbom": {"get": {
                "summary": "The CycloneDX 1.6 SBOM of an audited target",
                "parameters": [id_parameter("The audit id.")],
                "responses": with_common(json!({
                    "200": {"description": "CycloneDX JSON.", "content": {"application/vnd.cyclonedx+json": {}}},
                    "404": error_response("No such audit."),
                    "409": error_response("The audit has not finished, or failed.")
                }))
            }},
            "/api/v1/audits/{id}/sarif": {"get": {
                "summary": "The findings as SARIF 2.1.0",
                "parameters": [id_parameter("The audit id.")],
                "responses": with_common(json!({
                    "200": {"description": "SARIF JSON.", "content": {"application/sarif+json": {}}},
                    "404": error_response("No such audit."),
                    "409": error_response("The audit has not finished, or failed.")
                }))
            }},
            "/api/v1/servers": {"get": {
                "summary": "Every audited server with its latest grade",
                "responses": with_common(json!({
                    "200": {"description": "Servers.", "content": {"application/json": {"schema": {"type": "object", "properties": {"servers": {"type": "array", "items": {"$ref": "#/components/schemas/Server"}}}}}}}
                }))
            }},
            "/api/v1/servers/{id}": {"get": {
                "summary": "A server: latest grade and grade history",
                "parameters": [id_parameter("The server id, or its target (npm:NAME, pypi:NAME, a repository URL).")],
                "responses": with_common(json!({
                    "200": {"description": "The server.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Server"}}}},
                    "404": error_response("No such server.")
                }))
            }},
            "/api/v1/drift": {"get": {
                "summary": "Drift events, newest first: a grade drop, a new HIGH finding or a new advisory since the server's previous audit",
                "responses": with_common(json!({
                    "200": {"description": "Events.", "content": {"application/json": {"schema": {"type": "object", "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/DriftEvent"}}}}}}}
                }))
            }},
            "/api/v1/registry": {"get": {
                "summary": "Every server's latest audit as approved-server registry entries (the fields of `skillaudit registry`), pinned to the audited version",
                "parameters": [{"name": "format", "in": "query", "required": false, "schema": {"enum": ["json", "csv"]}}],
                "responses": with_common(json!({
                    "200": {"description": "`{\"servers\": [entries]}` as JSON, or CSV with the registry's header row.", "content": {"application/json": {}, "text/csv": {}}},
                    "400": error_response("Unknown format.")
                }))
            }},
            "/api/v1/grade": {"get": grade_operation("Latest grade of a server, for CI gates")},
            "/api/grade": {"get": grade_operation("The same as /api/v1/grade (the path gate scripts call)")},
            "/": {"get": {
                "summary": "Server index page (HTML): grades and trends",
                "security": [],
                "responses": {"200": {"description": "HTML.", "content": {"text/html": {}}}}
            }},
            "/reports/{id}": {"get": {
                "summary": "An audit's HTML report",
                "security": [],
                "parameters": [id_parameter("The audit id.")],
                "responses": {"200": {"description": "HTML.", "content": {"text/html": {}}}, "202": {"description": "Not finished yet."}, "404": {"description": "No such audit."}}
            }},
            "/badge/{id}.svg": {"get": {
                "summary": "An audit's badge (SVG); labelled stale past the re-scan period",
                "security": [],
                "parameters": [id_parameter("The audit id.")],
                "responses": {"200": {"description": "SVG.", "content": {"image/svg+xml": {}}}, "404": {"description": "No such audit, or not finished."}}
            }},
            "/badge/server/{id}.svg": {"get": {
                "summary": "A server's badge: its latest grade",
                "security": [],
                "parameters": [id_parameter("The server id.")],
                "responses": {"200": {"description": "SVG.", "content": {"image/svg+xml": {}}}, "404": {"description": "No such server, or never audited."}}
            }},
            "/metrics": {"get": {
                "summary": "Queue depth, audits per minute and failures (Prometheus text format)",
                "security": [],
                "responses": {"200": {"description": "Prometheus exposition text.", "content": {"text/plain": {}}}}
            }},
            "/api/openapi.json": {"get": {
                "summary": "This document",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1 JSON.", "content": {"application/json": {}}}}
            }}
        }
    })
}

fn grade_operation(summary: &str) -> Value {
    json!({
        "summary": summary,
        "parameters": [{"name": "server", "in": "query", "required": true, "description": "The server id, npm:NAME, pypi:NAME, a bare npm name, or a repository URL.", "schema": {"type": "string"}}],
        "responses": with_common(json!({
            "200": {"description": "The grade.", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "server": {"type": "string"}, "server_id": {"type": "string"}, "audit_id": {"type": "string"},
                "overall_grade": {"enum": ["A", "B", "C", "D", "F"]}, "score": {"type": "integer"},
                "sub_scores": {"type": "object", "additionalProperties": {"enum": ["A", "B", "C", "D", "F"]}},
                "critical_findings": {"type": "integer"}, "complete": {"type": "boolean"},
                "audited_at": {"type": "string"}, "stale": {"type": "boolean"}, "report_url": {"type": "string"}
            }}}}},
            "400": error_response("No `server` given."),
            "404": error_response("Unknown server, or no finished audit.")
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ROUTES;

    #[test]
    fn the_document_describes_exactly_the_routes_served() {
        let doc = document();
        let Some(paths) = doc["paths"].as_object() else {
            panic!("no paths");
        };
        let mut described: Vec<(String, String)> = paths
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .into_iter()
                    .flat_map(|o| o.keys())
                    .map(move |method| (method.to_uppercase(), path.clone()))
            })
            .collect();
        let mut served: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(method, path)| (method.to_string(), path.to_string()))
            .collect();
        described.sort();
        served.sort();
        assert_eq!(described, served);
    }
}
