use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A containment check that compares a path reached by untrusted input with an allowed root by
    /// string prefix (`p.startsWith(root)`, `str(p).startswith(str(root))`) with no separator after the
    /// root.
    ///
    /// ## Why it matters
    /// `/srv/data-secrets/x` starts with `/srv/data`: every sibling folder whose name extends the
    /// root's passes the check.
    ///
    /// ## Vulnerable example
    /// ```js
    /// const ok = allowedDirectories.some((dir) => resolved.startsWith(dir));
    /// if (!ok) throw new Error("Access denied");
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const ok = allowedDirectories.some((dir) => resolved === dir || resolved.startsWith(dir + path.sep));
    /// if (!ok) throw new Error("Access denied");
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/22.html
    pub struct PrefixContainmentWithoutSeparator {
        code: "PATH-002",
        name: "prefix-containment-without-separator",
        axis: Security,
        severity: High,
        cwe: Some("CWE-22"),
    }
}

impl Rule for PrefixContainmentWithoutSeparator {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::WeakPrefix],
            Severity::High,
            |_, base| base,
            |g| format!("containment of {} is checked by string prefix with no separator (`{}`): sibling paths that extend the root pass", g.describe_origin(), g.first.snippet),
            "compare against `root + path.sep` (or use `path.relative` / `is_relative_to`) after resolving both sides",
        );
    }
}
