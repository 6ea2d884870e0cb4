use crate::behaviour::{place_flows, report_flows, what_of};
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// A JSON document parsed from untrusted input (`json.loads(arg)`, `JSON.parse(req.body.q)`)
    /// that becomes — whole, merged into another filter, or as a field's value — the filter of a
    /// document-database query: `find`, `find_one`/`findOne`, `update_*`, `delete_*`,
    /// `count_documents`, `distinct` and the `find_one_and_*` family on a MongoDB client's
    /// collections (`pymongo`, `motor`, the `mongodb` driver) or a `mongoose` model. An HTTP
    /// request's `req.body` and `req.query`, which the framework has already parsed (JSON
    /// bodies, nested query strings), are such documents too. A filter checked field by field
    /// (an allow-list of values, a schema) or a field made text (`String(x)`) is quiet.
    ///
    /// A `$where` clause built from input is JavaScript the database runs: that is reported
    /// as code evaluation (CODE-001).
    ///
    /// ## Why it matters
    /// Parsed JSON is not text: where the code expects a user name it can hold an operator.
    /// `{"password": {"$ne": null}}` matches every account, `{"$gt": ""}` every document,
    /// `{"$regex": "^a"}` leaks values a character at a time, and an update document can set
    /// fields the caller should never touch. The query does what the caller wrote, not what the
    /// code meant.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @mcp.tool()
    /// def find_users(query: str) -> str:
    ///     return dumps(users.find(json.loads(query)))
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @mcp.tool()
    /// def find_users(name: str, role: Literal["admin", "member"]) -> str:
    ///     return dumps(users.find({"name": name, "role": role}))   # strings, not documents
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/943.html
    /// - https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection
    pub struct NosqlOperatorInjection {
        code: "SQL-002",
        name: "nosql-operator-injection",
        axis: Security,
        severity: High,
        cwe: Some("CWE-943"),
    }
}

impl Rule for NosqlOperatorInjection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let safe = SinkKind::NoSqlFilter.sanitised_by();
        let groups: Vec<_> = place_flows(
            project,
            &[SinkKind::NoSqlFilter],
            &[OriginKind::ParsedInput],
        )
        .into_iter()
        .map(|fs| {
            fs.into_iter()
                .filter(|f| !f.guards.any(safe))
                .collect::<Vec<_>>()
        })
        .filter(|fs| !fs.is_empty())
        .collect();
        report_flows(
            out,
            groups,
            |_| Some(Severity::High),
            |flows| {
                format!(
                    "{} is used as the filter of a document-database query (`{}`): operators in it (`{{\"$ne\": null}}`, `$gt`, `$regex`) match documents the code did not mean to",
                    what_of(flows),
                    flows.first().map(|f| f.api.as_str()).unwrap_or("")
                )
            },
            "build the filter from named fields whose values are checked to be strings or numbers (refuse keys that start with `$`), or validate the parsed document against a schema first",
        );
    }
}
