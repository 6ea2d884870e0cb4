use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A module imported by a name taken from untrusted input: `require(x)`, `import(x)`,
    /// `__import__(x)`, `importlib.import_module(x)`.
    ///
    /// ## Why it matters
    /// Importing runs the module's top-level code; a chosen path or package name loads attacker-placed
    /// code.
    ///
    /// ## Vulnerable example
    /// ```js
    /// const plugin = await import(args.plugin);
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const PLUGINS = { csv: () => import("./plugins/csv.js") };
    /// const load = PLUGINS[args.plugin];
    /// if (!load) throw new Error("unknown plugin");
    /// const plugin = await load();
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/829.html
    pub struct DynamicImport {
        code: "CODE-003",
        name: "dynamic-import-of-input",
        axis: Security,
        severity: High,
        cwe: Some("CWE-829"),
    }
}

impl Rule for DynamicImport {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::DynamicImport],
            Severity::High,
            |_, base| base,
            |g| {
                format!(
                    "{} names the module imported by `{}`",
                    g.describe_origin(),
                    g.first.api
                )
            },
            "map input to a fixed table of modules instead of importing by name",
        );
    }
}
