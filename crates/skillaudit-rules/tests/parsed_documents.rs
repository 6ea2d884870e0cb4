//! A JSON document parsed from input is read by SQL-002 alone; the other input rules report
//! the input itself, as before.

mod common;

use common::audit;

#[test]
fn a_parsed_document_is_the_nosql_rules_and_the_input_stays_the_others() {
    let py = r#"
import json
from mcp.server.fastmcp import FastMCP
from pymongo import MongoClient

mcp = FastMCP("docs")
client = MongoClient("mongodb://localhost:27017/")


@mcp.tool()
def lookup(query: str) -> str:
    """Find a record and read the file it names."""
    doc = json.loads(query)
    record = client.app.records.find_one(doc)
    with open(doc["path"]) as f:
        return f.read() + str(record)
"#;
    let findings = audit("docs", &[("server.py", py)]);
    let nosql: Vec<_> = findings.iter().filter(|f| f.code == "SQL-002").collect();
    assert_eq!(nosql.len(), 1, "{findings:#?}");
    assert_eq!(nosql[0].line, Some(14));
    let path: Vec<_> = findings.iter().filter(|f| f.code == "PATH-001").collect();
    assert_eq!(path.len(), 1, "{findings:#?}");
    assert!(
        !path[0].message.contains("JSON document"),
        "the path finding names the argument: {}",
        path[0].message
    );
}

#[test]
fn a_field_of_a_parsed_request_body_in_a_filter_is_operator_injection() {
    let js = r#"
const express = require("express");
const { MongoClient } = require("mongodb");
const app = express();
app.use(express.json());
const client = new MongoClient("mongodb://localhost:27017");
app.post("/login", async (req, res) => {
  const users = client.db("app").collection("users");
  const user = await users.findOne({ name: req.body.name, password: req.body.password });
  res.json({ ok: !!user });
});
app.post("/lookup", async (req, res) => {
  const users = client.db("app").collection("users");
  const user = await users.findOne({ name: String(req.query.name) });
  res.json({ ok: !!user });
});
"#;
    let findings = audit("api", &[("server.js", js)]);
    let nosql: Vec<_> = findings.iter().filter(|f| f.code == "SQL-002").collect();
    assert_eq!(nosql.len(), 1, "{findings:#?}");
    assert_eq!(nosql[0].line, Some(9));
}
