use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// SQL text (`execute`, `query`, `raw`, `sqlalchemy.text`, `read_sql`) built from untrusted input
    /// by formatting or concatenation. A tool that takes the whole query as its argument is reported at
    /// MEDIUM with the tool named when its name or description speaks of queries: running them is its
    /// purpose, and a "read-only" prefix check does not stop a second statement. A tool that says it
    /// does something else keeps HIGH.
    ///
    /// ## Why it matters
    /// String-built SQL lets the input end the statement and add its own: reading other tables,
    /// writing, or dropping data. Identifiers (table names) from input need an allowlist; values need
    /// parameters.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @app.read_resource()
    /// async def read_resource(uri: AnyUrl) -> str:
    ///     table = str(uri)[8:]
    ///     cursor.execute(f"SELECT * FROM {table} LIMIT 100")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @app.read_resource()
    /// async def read_resource(uri: AnyUrl) -> str:
    ///     table = str(uri)[8:]
    ///     if not re.fullmatch(r"[A-Za-z0-9_]+", table):
    ///         raise ValueError("invalid table name")
    ///     cursor.execute(f"SELECT * FROM `{table}` LIMIT 100")
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/89.html
    /// - https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html
    pub struct SqlBuiltFromInput {
        code: "SQL-001",
        name: "sql-built-from-input",
        axis: Security,
        severity: High,
        cwe: Some("CWE-89"),
    }
}

impl Rule for SqlBuiltFromInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Sql],
            Severity::High,
            |g, base| super::by_design(project, g, base, &super::SQL_PURPOSE),
            |g| {
                let language = if g.first.api.to_ascii_lowercase().ends_with("xpath") {
                    "an XPath query"
                } else {
                    "SQL text"
                };
                format!("{} is built into {language} passed to `{}`", g.describe_origin(), g.first.api)
            },
            "pass values as query parameters (`execute(sql, params)`), and check identifiers against an allowlist or a strict pattern",
        );
    }
}
