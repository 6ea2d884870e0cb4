//! Library functions that quote values for SQL (ClickHouse's `format_query_value`, MySQL's
//! `escape_string`) make the value safe in the query text; a code sandbox's or a notebook
//! kernel's `execute(code)` runs code, not SQL. Each beside the unsafe look-alike.

mod common;

use skillaudit_core::Severity;

const PYPROJECT: &str =
    "[project]\nname = \"helper\"\nversion = \"1.0.0\"\ndependencies = [\"mcp\"]\n";

fn sql_high(text: &str) -> usize {
    common::audit(
        "helper",
        &[("pyproject.toml", PYPROJECT), ("server.py", text)],
    )
    .into_iter()
    .filter(|f| f.code == "SQL-001" && f.severity == Severity::High)
    .count()
}

const QUOTED: &str = r#"import clickhouse_connect
from clickhouse_connect.driver.binding import format_query_value
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("tables")


@mcp.tool()
def list_tables(database: str) -> str:
    """List the tables of a database."""
    client = clickhouse_connect.get_client()
    q = f"SELECT name FROM system.tables WHERE database = {format_query_value(database)}"
    return str(client.query(q).result_rows)
"#;

#[test]
fn a_value_quoted_by_the_drivers_function_is_safe_in_the_query() {
    assert_eq!(sql_high(QUOTED), 0);
    let raw = QUOTED.replace("{format_query_value(database)}", "'{database}'");
    assert_eq!(sql_high(&raw), 1);
}

const SANDBOX: &str = r#"from code_sandboxes import CodeSandboxClient
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("runner")


@mcp.tool()
def run_query(code: str) -> str:
    """Run code in the sandbox."""
    client = CodeSandboxClient()
    return str(client.execute(code))
"#;

#[test]
fn a_sandbox_clients_execute_runs_code_not_sql() {
    assert_eq!(sql_high(SANDBOX), 0);
    let db = SANDBOX
        .replace(
            "from code_sandboxes import CodeSandboxClient",
            "import sqlite3",
        )
        .replace("CodeSandboxClient()", "sqlite3.connect(\"app.db\")")
        .replace(
            "client.execute(code)",
            "client.execute(\"SELECT * FROM t WHERE a = '\" + code + \"'\")",
        );
    assert_eq!(sql_high(&db), 1);
}
