use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A numeric tool argument used as a size, count or duration (`Buffer.alloc`, `new Array`,
    /// `.repeat`, `range`, `setTimeout`, `sleep`) with no upper bound.
    ///
    /// ## Why it matters
    /// The model (or text it read) can ask for a gigabyte buffer or an hour-long wait and stall the
    /// server for every other client.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.tool("pad", { n: z.number() }, async ({ n }) => ({ content: [{ type: "text", text: "x".repeat(n) }] }));
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// server.tool("pad", { n: z.number() }, async ({ n }) => ({ content: [{ type: "text", text: "x".repeat(Math.min(n, 1000)) }] }));
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/770.html
    pub struct UnboundedSizeArgument {
        code: "BOUND-001",
        name: "unbounded-size-argument",
        axis: Security,
        severity: Low,
        cwe: Some("CWE-770"),
    }
}

impl Rule for UnboundedSizeArgument {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Size],
            Severity::Low,
            |_, base| base,
            |g| format!("{} sets a size, count or duration (`{}`) with no upper bound", g.describe_origin(), g.first.api),
            "clamp the value (`Math.min(n, MAX)`) or declare a maximum in the tool's schema and check it",
        );
    }
}
