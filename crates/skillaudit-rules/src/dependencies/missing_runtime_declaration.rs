use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A package manifest that does not say which runtime it needs: a `package.json` with a
    /// `bin` or `main` entry but no `engines.node`, or a `pyproject.toml` with a `[project]`
    /// table but no `requires-python`.
    ///
    /// ## Why it matters
    /// MCP clients start servers with whatever `node` or `python` is on the user's machine.
    /// Without a declaration, package managers install the server on runtimes it does not
    /// support, and it fails at start — or, worse, runs on a runtime whose security fixes it
    /// predates. The declaration is also how a client or registry can tell users up front.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "name": "weather-mcp", "bin": { "weather-mcp": "dist/index.js" } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "name": "weather-mcp", "bin": { "weather-mcp": "dist/index.js" }, "engines": { "node": ">=18" } }
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/configuring-npm/package-json#engines
    /// - https://packaging.python.org/en/latest/specifications/pyproject-toml/#requires-python
    pub struct MissingRuntimeDeclaration {
        code: "COMPAT-002",
        name: "missing-runtime-declaration",
        axis: Compatibility,
        severity: Low,
        cwe: None,
    }
}

impl Rule for MissingRuntimeDeclaration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for file in project.files.iter().filter(|f| f.is_top_level()) {
            let Some(text) = file.text.as_deref() else {
                continue;
            };
            match file.name() {
                "package.json" => {
                    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
                        continue;
                    };
                    let runnable = json.get("bin").is_some() || json.get("main").is_some();
                    let declared = json
                        .get("engines")
                        .and_then(|e| e.get("node"))
                        .and_then(|n| n.as_str())
                        .is_some_and(|n| !n.trim().is_empty());
                    if runnable && !declared {
                        out.report(
                            Draft::new("package.json does not declare the Node.js versions it supports (`engines.node`)")
                                .at(&file.path, None)
                                .key("engines.node")
                                .fix("add `\"engines\": { \"node\": \">=18\" }` (the lowest version you test on)")
                                .about_package(),
                        );
                    }
                }
                "pyproject.toml" => {
                    let Ok(doc) = text.parse::<toml::Table>() else {
                        continue;
                    };
                    let Some(table) = doc.get("project").and_then(|p| p.as_table()) else {
                        continue;
                    };
                    let declared = table.get("requires-python").is_some()
                        || table
                            .get("dynamic")
                            .and_then(|d| d.as_array())
                            .is_some_and(|d| {
                                d.iter().any(|v| v.as_str() == Some("requires-python"))
                            });
                    if !declared {
                        out.report(
                            Draft::new("pyproject.toml does not declare the Python versions it supports (`requires-python`)")
                                .at(&file.path, None)
                                .key("requires-python")
                                .fix("add `requires-python = \">=3.10\"` (the lowest version you test on) to [project]")
                                .about_package(),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
