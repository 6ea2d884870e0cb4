//! The organisation's approved-server registry (SPEC §9, seeds/002): a version-controlled CSV or
//! JSON file with one entry per approved server, and `registry check`, which holds the servers
//! that committed client configurations start against it.
//!
//! Fields as the seed names them: `server_id` (a scan target pinned to a version:
//! `npm:@scope/pkg@1.2.3`, `pypi:pkg==1.0`, a git URL `#COMMIT`, `docker:IMAGE@sha256:…`, a
//! remote server's URL),
//! `display_name`, `current_grade`, `audit_url`, `audit_date`, `environments_approved`
//! (`;`-separated in CSV), `data_access_summary`, `exception_id`, `owner_team`; and, for an
//! exception, `exception_granted`, `exception_expires` and `exception_approved_by`; `f_axes` lists
//! the axes the audit graded F.
//!
//! Two phases as everywhere: the raw file is validated into [`Entry`]s with errors that name the
//! file and line; [`check`] is a pure function of the entries, the configured servers, the
//! policy and today.

use crate::policy::Policy;
use jiff::civil::Date;
use skillaudit_core::Grade;
use std::fmt;

/// Days an audit stays current.
pub const AUDIT_MAX_AGE_DAYS: i32 = 90;
/// Longest exception.
pub const EXCEPTION_MAX_DAYS: i32 = 60;

/// The columns, in file order.
pub const FIELDS: &[&str] = &[
    "server_id",
    "display_name",
    "current_grade",
    "audit_url",
    "audit_date",
    "environments_approved",
    "data_access_summary",
    "exception_id",
    "exception_granted",
    "exception_expires",
    "exception_approved_by",
    "owner_team",
    "f_axes",
];

/// One approved server.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub server_id: String,
    #[serde(default)]
    pub display_name: String,
    pub current_grade: Grade,
    #[serde(default)]
    pub audit_url: String,
    pub audit_date: Date,
    #[serde(default)]
    pub environments_approved: Vec<String>,
    #[serde(default)]
    pub data_access_summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception_granted: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception_expires: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception_approved_by: Option<String>,
    #[serde(default)]
    pub owner_team: String,
    /// Axes the audit graded F (`registry add` records them), for environments whose policy
    /// forbids an F axis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub f_axes: Vec<String>,
    /// Line of the entry in its file.
    #[serde(skip)]
    pub line: u32,
}

/// A registry file that cannot be used, with the place of the mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RegistryError {}

/// Parse a registry: JSON (`[ {…}, … ]` or `{"servers": [ … ]}`) when `file` ends in `.json`,
/// CSV with a header row otherwise.
pub fn parse(file: &str, text: &str) -> Result<Vec<Entry>, RegistryError> {
    let entries = if file.to_ascii_lowercase().ends_with(".json") {
        parse_json(file, text)?
    } else {
        parse_csv(file, text)?
    };
    let mut seen = std::collections::BTreeMap::new();
    for e in &entries {
        if let Some(first) = seen.insert(e.server_id.clone(), e.line) {
            return Err(RegistryError {
                file: file.into(),
                line: Some(e.line),
                message: format!(
                    "{} is registered twice (first on line {first})",
                    e.server_id
                ),
            });
        }
    }
    Ok(entries)
}

fn parse_json(file: &str, text: &str) -> Result<Vec<Entry>, RegistryError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| RegistryError {
        file: file.into(),
        line: u32::try_from(e.line()).ok(),
        message: format!("not valid JSON: {e}"),
    })?;
    let list = match &value {
        serde_json::Value::Array(list) => list.clone(),
        serde_json::Value::Object(o) => match o.get("servers") {
            Some(serde_json::Value::Array(list)) => list.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let mut from = 0;
    for item in list {
        let id = item.get("server_id").and_then(|v| v.as_str()).unwrap_or("");
        let quoted = serde_json::to_string(id).unwrap_or_default();
        let offset = text[from..].find(&quoted).map(|p| from + p).unwrap_or(from);
        from = offset;
        let line = crate::line_at(text, offset);
        let mut fields = std::collections::BTreeMap::new();
        if let serde_json::Value::Object(o) = &item {
            for (k, v) in o {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                fields.insert(k.clone(), text);
            }
        }
        out.push(entry_of(file, line, &fields)?);
    }
    Ok(out)
}

fn parse_csv(file: &str, text: &str) -> Result<Vec<Entry>, RegistryError> {
    let rows = csv_rows(text).map_err(|(line, message)| RegistryError {
        file: file.into(),
        line: Some(line),
        message,
    })?;
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Ok(Vec::new());
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if !header.iter().any(|h| h == "server_id") {
        return Err(RegistryError {
            file: file.into(),
            line: Some(1),
            message: format!(
                "the header row has no server_id column (columns: {})",
                FIELDS.join(", ")
            ),
        });
    }
    let mut out = Vec::new();
    for (line, row) in rows {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let fields = header
            .iter()
            .cloned()
            .zip(row.into_iter().chain(std::iter::repeat(String::new())))
            .collect();
        out.push(entry_of(file, line, &fields)?);
    }
    Ok(out)
}

/// A CSV row: its first line and its cells.
type CsvRow = (u32, Vec<String>);

/// Rows of a CSV text (RFC 4180: quoted fields, `""` escapes, line breaks inside quotes), each
/// with its first line.
fn csv_rows(text: &str) -> Result<Vec<CsvRow>, (u32, String)> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line: u32 = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err((row_line, "a quoted field is not closed".into()));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((row_line, row));
    }
    Ok(rows)
}

fn entry_of(
    file: &str,
    line: u32,
    fields: &std::collections::BTreeMap<String, String>,
) -> Result<Entry, RegistryError> {
    let err = |message: String| RegistryError {
        file: file.into(),
        line: Some(line),
        message,
    };
    let get = |name: &str| {
        fields
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let opt = |name: &str| Some(get(name)).filter(|v| !v.is_empty());
    let date = |name: &str| -> Result<Option<Date>, RegistryError> {
        match opt(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<Date>()
                .map(Some)
                .map_err(|_| err(format!("{name} {v:?} is not a date (YYYY-MM-DD)"))),
        }
    };
    let server_id = get("server_id");
    if server_id.is_empty() {
        return Err(err("server_id is empty".into()));
    }
    let grade_text = get("current_grade");
    let current_grade = Grade::parse(&grade_text).ok_or_else(|| {
        err(format!(
            "current_grade {grade_text:?} is not a grade (A, B, C, D, F)"
        ))
    })?;
    let audit_date = date("audit_date")?.ok_or_else(|| err("audit_date is missing".into()))?;
    Ok(Entry {
        server_id,
        display_name: get("display_name"),
        current_grade,
        audit_url: get("audit_url"),
        audit_date,
        environments_approved: get("environments_approved")
            .split([';', '|', ','])
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect(),
        data_access_summary: get("data_access_summary"),
        exception_id: opt("exception_id"),
        exception_granted: date("exception_granted")?,
        exception_expires: date("exception_expires")?,
        exception_approved_by: opt("exception_approved_by"),
        owner_team: get("owner_team"),
        f_axes: get("f_axes")
            .split([';', '|', ','])
            .map(|a| a.trim().to_ascii_lowercase())
            .filter(|a| !a.is_empty())
            .collect(),
        line,
    })
}

/// The registry as CSV (header row, then one row per entry).
pub fn to_csv(entries: &[Entry]) -> String {
    let mut out = FIELDS.join(",");
    out.push('\n');
    for e in entries {
        let date = |d: &Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let cells = [
            e.server_id.clone(),
            e.display_name.clone(),
            e.current_grade.as_str().to_string(),
            e.audit_url.clone(),
            e.audit_date.to_string(),
            e.environments_approved.join(";"),
            e.data_access_summary.clone(),
            e.exception_id.clone().unwrap_or_default(),
            date(&e.exception_granted),
            date(&e.exception_expires),
            e.exception_approved_by.clone().unwrap_or_default(),
            e.owner_team.clone(),
            e.f_axes.join(";"),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn csv_cell(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The registry as JSON (`{"servers": [...]}`).
pub fn to_json(entries: &[Entry]) -> String {
    let value = serde_json::json!({ "servers": entries });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// A server a committed configuration starts, as `registry check` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredServer {
    /// `file:line` of the entry in its configuration.
    pub place: String,
    pub name: String,
    /// The package identity without version (`npm:@scope/pkg`, `pypi:pkg`, a git URL, a URL).
    pub key: String,
    /// The exact version (or commit) the configuration pins, `None` when unpinned.
    pub version: Option<String>,
    /// False for what has no version to pin (a remote server's URL): registered is enough.
    pub versioned: bool,
}

/// The identity and version a server_id names: `npm:@s/p@1.2.3` → (`npm:@s/p`, `1.2.3`),
/// `pypi:p==1.0` → (`pypi:p`, `1.0`), `URL#commit` → (`URL`, `commit`).
pub fn split_server_id(id: &str) -> (String, Option<String>) {
    let id = id.trim();
    if let Some(rest) = id.strip_prefix("npm:") {
        let at = rest.get(1..).and_then(|t| t.rfind('@')).map(|i| i + 1);
        return match at {
            Some(at) => (
                format!("npm:{}", &rest[..at]),
                Some(rest[at + 1..].to_string()),
            ),
            None => (id.to_string(), None),
        };
    }
    if let Some(rest) = id.strip_prefix("pypi:") {
        return match rest.split_once("==") {
            Some((name, version)) => (
                format!("pypi:{}", normalise_pypi(name)),
                Some(version.trim().to_string()),
            ),
            None => (format!("pypi:{}", normalise_pypi(rest)), None),
        };
    }
    if let Some(image) = id.strip_prefix("docker:") {
        // Pinned by digest: `docker:ghcr.io/org/server@sha256:…`.
        return match image.split_once('@') {
            Some((name, digest)) => (format!("docker:{name}"), Some(digest.to_string())),
            None => (id.to_string(), None),
        };
    }
    match id.split_once('#') {
        Some((url, reference)) => (url.to_string(), Some(reference.to_string())),
        None => (id.to_string(), None),
    }
}

/// PyPI names compare case-insensitively with `-`, `_` and `.` alike.
pub fn normalise_pypi(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

/// One thing `registry check` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: the configuration entry or the registry line.
    pub place: String,
    pub message: String,
}

/// Hold every configured server to the registry: registered, at the approved version, audited
/// within 90 days, at or above the floor of each environment it is approved for (unless an
/// exception covers it), exceptions dated, approved and unexpired (60 days at most).
pub fn check(
    registry_file: &str,
    entries: &[Entry],
    servers: &[ConfiguredServer],
    policy: &Policy,
    today: Date,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let at = |e: &Entry| format!("{registry_file}:{}", e.line);
    for server in servers {
        let mut problem = |message: String| {
            problems.push(Problem {
                place: server.place.clone(),
                message: format!("server `{}`: {message}", server.name),
            })
        };
        let registered: Vec<(&Entry, Option<String>)> = entries
            .iter()
            .map(|e| (e, split_server_id(&e.server_id)))
            .filter(|(_, (key, _))| *key == server.key)
            .map(|(e, (_, version))| (e, version))
            .collect();
        if registered.is_empty() {
            problem(format!(
                "{} is not in the registry {registry_file}",
                server.key
            ));
            continue;
        }
        let entry: &Entry = if !server.versioned {
            registered[0].0
        } else {
            let Some(version) = &server.version else {
                problem(format!(
                    "{} is not pinned, so it cannot be held to an approved version",
                    server.key
                ));
                continue;
            };
            match registered
                .iter()
                .find(|(_, v)| v.as_deref() == Some(version.as_str()))
            {
                Some((entry, _)) => entry,
                None => {
                    let approved: Vec<String> =
                        registered.iter().filter_map(|(_, v)| v.clone()).collect();
                    problem(format!(
                        "{}@{version} is not the approved version ({}): a version bump needs a new audit (`skillaudit registry add`)",
                        server.key,
                        approved.join(", ")
                    ));
                    continue;
                }
            }
        };
        let age = (today - entry.audit_date).get_days();
        if age > AUDIT_MAX_AGE_DAYS {
            problem(format!(
                "its audit ({}, {}) is {age} days old, over {AUDIT_MAX_AGE_DAYS}: re-audit it",
                entry.audit_date,
                at(entry)
            ));
        }
        let exception_valid =
            entry.exception_id.is_some() && exception_problems(entry, today).is_empty();
        for env_name in &entry.environments_approved {
            let name = environment_name(env_name);
            let Some(env) = policy.envs.get(name) else {
                problem(format!(
                    "{} approves it for {env_name:?}, which the policy does not define",
                    at(entry)
                ));
                continue;
            };
            if env.gate.no_f_axis && !entry.f_axes.is_empty() && !exception_valid {
                problem(format!(
                    "its audit graded {} F, which {} forbids ({})",
                    entry.f_axes.join(", "),
                    env.name,
                    at(entry)
                ));
            }
            if let Some(floor) = env.gate.min_grade {
                if !entry.current_grade.meets(floor) && !exception_valid {
                    problem(format!(
                        "grade {} is below {}'s floor {} and no valid exception covers it ({})",
                        entry.current_grade,
                        env.name,
                        floor,
                        at(entry)
                    ));
                }
            }
        }
    }
    // Exceptions are checked for every entry, used or not: an expired one is a finding itself.
    for entry in entries {
        for message in exception_problems(entry, today) {
            problems.push(Problem {
                place: at(entry),
                message: format!("{}: {message}", entry.server_id),
            });
        }
    }
    problems
}

/// The seed's short environment names (`prod`, `dev`) for the policy's.
fn environment_name(name: &str) -> &str {
    match name.trim() {
        "prod" => "production",
        "prod-pii" => "production-pii",
        "dev" => "development",
        other => other,
    }
}

fn exception_problems(entry: &Entry, today: Date) -> Vec<String> {
    let Some(id) = &entry.exception_id else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if entry.exception_approved_by.is_none() {
        out.push(format!(
            "exception {id} names no approver (exception_approved_by)"
        ));
    }
    match (entry.exception_granted, entry.exception_expires) {
        (_, None) => out.push(format!("exception {id} has no expiry (exception_expires)")),
        (granted, Some(expires)) => {
            if expires < today {
                out.push(format!("exception {id} expired on {expires}"));
            }
            let from = granted.unwrap_or(entry.audit_date);
            let days = (expires - from).get_days();
            if days > EXCEPTION_MAX_DAYS {
                out.push(format!(
                    "exception {id} runs {days} days (from {from} to {expires}), over the {EXCEPTION_MAX_DAYS}-day limit"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    const CSV: &str = "server_id,display_name,current_grade,audit_url,audit_date,environments_approved,data_access_summary,exception_id,exception_granted,exception_expires,exception_approved_by,owner_team
npm:@acme/files@1.4.2,Files,A,https://audits.example/au_1,2026-11-01,prod;staging,\"Reads the docs folder, nothing else\",,,,,platform
pypi:mcp-server-time==0.6.2,Time,C,https://audits.example/au_2,2026-11-10,staging,Reads the clock,EX-7,2026-11-10,2026-12-20,Head of Security,data
npm:old-server@2.0.0,Old,B,,2026-05-01,dev,,,,,,tools
npm:late@1.0.0,Late,C,,2026-11-01,prod,,EX-9,2026-09-01,2026-11-30,,tools
";

    fn server(key: &str, version: Option<&str>) -> ConfiguredServer {
        ConfiguredServer {
            place: ".mcp.json:3".into(),
            name: key.rsplit(':').next().unwrap_or(key).into(),
            key: key.into(),
            version: version.map(str::to_string),
            versioned: true,
        }
    }

    fn problems(servers: &[ConfiguredServer]) -> Vec<String> {
        let entries = parse("registry.csv", CSV).expect("parses");
        check(
            "registry.csv",
            &entries,
            servers,
            &crate::policy::builtin(),
            day("2026-12-04"),
        )
        .into_iter()
        .map(|p| format!("{}: {}", p.place, p.message))
        .collect()
    }

    /// The problems about the configured servers (the registry's own expired exception on
    /// line 5 is reported whatever the servers).
    fn about_servers(servers: &[ConfiguredServer]) -> Vec<String> {
        problems(servers)
            .into_iter()
            .filter(|p| p.starts_with(".mcp.json"))
            .collect()
    }

    #[test]
    fn csv_entries_parse_with_lines_and_quoted_commas() {
        let entries = parse("registry.csv", CSV).expect("parses");
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].line, 2);
        assert_eq!(
            entries[0].data_access_summary,
            "Reads the docs folder, nothing else"
        );
        assert_eq!(entries[0].environments_approved, vec!["prod", "staging"]);
    }

    #[test]
    fn csv_and_json_round_trip() {
        let entries = parse("registry.csv", CSV).expect("parses");
        let again = parse("registry.csv", &to_csv(&entries)).expect("csv again");
        assert_eq!(entries, again);
        let json = parse("registry.json", &to_json(&entries)).expect("json");
        assert_eq!(
            entries.iter().map(|e| &e.server_id).collect::<Vec<_>>(),
            json.iter().map(|e| &e.server_id).collect::<Vec<_>>()
        );
    }

    #[test]
    fn malformed_entries_name_the_file_and_line() {
        let bad = "server_id,current_grade,audit_date\nnpm:a@1.0.0,A,2026-01-01\nnpm:b@1.0.0,Q,2026-01-01\n";
        let err = parse("reg.csv", bad).expect_err("bad grade");
        assert_eq!(
            err.to_string(),
            "reg.csv:3: current_grade \"Q\" is not a grade (A, B, C, D, F)"
        );
        let err = parse(
            "reg.csv",
            "server_id,current_grade,audit_date\nnpm:a@1,A,yesterday\n",
        )
        .expect_err("bad date");
        assert!(
            err.to_string().starts_with("reg.csv:2: audit_date"),
            "{err}"
        );
        let err = parse(
            "reg.csv",
            "server_id,current_grade,audit_date\nnpm:a@1,A,2026-01-01\nnpm:a@1,A,2026-01-01\n",
        )
        .expect_err("twice");
        assert!(err.to_string().contains("registered twice"), "{err}");
        assert!(parse("reg.json", "[{\"server_id\": \"x\"").is_err());
    }

    #[test]
    fn a_registered_current_server_passes() {
        assert_eq!(
            about_servers(&[server("npm:@acme/files", Some("1.4.2"))]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_missing_server_is_reported() {
        let p = problems(&[server("npm:unknown", Some("1.0.0"))]);
        assert!(p.iter().any(|m| m.contains("not in the registry")), "{p:?}");
    }

    #[test]
    fn a_version_bump_is_a_reaudit_trigger() {
        let p = problems(&[server("npm:@acme/files", Some("1.5.0"))]);
        assert!(
            p.iter()
                .any(|m| m.contains("not the approved version (1.4.2)")),
            "{p:?}"
        );
    }

    #[test]
    fn an_unpinned_server_cannot_be_approved() {
        let p = problems(&[server("npm:@acme/files", None)]);
        assert!(p.iter().any(|m| m.contains("not pinned")), "{p:?}");
    }

    #[test]
    fn a_stale_audit_is_reported() {
        let p = problems(&[server("npm:old-server", Some("2.0.0"))]);
        assert!(p.iter().any(|m| m.contains("days old, over 90")), "{p:?}");
    }

    #[test]
    fn a_valid_exception_covers_a_grade_below_the_floor() {
        let p = about_servers(&[server("pypi:mcp-server-time", Some("0.6.2"))]);
        assert_eq!(p, Vec::<String>::new());
    }

    #[test]
    fn expired_overlong_and_unapproved_exceptions_are_reported() {
        let p = problems(&[server("npm:late", Some("1.0.0"))]);
        assert!(
            p.iter().any(|m| m.contains("expired on 2026-11-30")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m.contains("over the 60-day limit")),
            "{p:?}"
        );
        assert!(p.iter().any(|m| m.contains("names no approver")), "{p:?}");
        assert!(
            p.iter().any(|m| m.contains("below production's floor")),
            "{p:?}"
        );
    }

    #[test]
    fn an_f_axis_blocks_where_the_policy_forbids_it() {
        let csv = "server_id,current_grade,audit_date,environments_approved,f_axes\nnpm:a@1.0.0,B,2026-12-01,prod,credentials\nnpm:b@1.0.0,C,2026-12-01,dev,credentials\n";
        let entries = parse("r.csv", csv).expect("parses");
        let policy = crate::policy::builtin();
        let got = check(
            "r.csv",
            &entries,
            &[server("npm:a", Some("1.0.0"))],
            &policy,
            day("2026-12-04"),
        );
        // The reference policy's production forbids an F axis.
        assert!(
            got.iter().any(|p| p
                .message
                .contains("graded credentials F, which production forbids")),
            "{got:?}"
        );
    }

    #[test]
    fn docker_server_ids_pin_by_digest() {
        assert_eq!(
            split_server_id("docker:ghcr.io/o/s@sha256:ab"),
            ("docker:ghcr.io/o/s".into(), Some("sha256:ab".into()))
        );
        assert_eq!(
            split_server_id("docker:ghcr.io/o/s"),
            ("docker:ghcr.io/o/s".into(), None)
        );
    }

    #[test]
    fn server_ids_split_into_identity_and_version() {
        assert_eq!(
            split_server_id("npm:@s/p@1.2.3"),
            ("npm:@s/p".into(), Some("1.2.3".into()))
        );
        assert_eq!(
            split_server_id("pypi:Mcp_Server==0.1"),
            ("pypi:mcp-server".into(), Some("0.1".into()))
        );
        assert_eq!(
            split_server_id("https://github.com/o/r#abc"),
            ("https://github.com/o/r".into(), Some("abc".into()))
        );
    }
}
