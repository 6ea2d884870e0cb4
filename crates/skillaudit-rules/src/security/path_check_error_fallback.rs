use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A `try` block that resolves a path (`realpath`) and throws when it lies outside the allowed
    /// root, followed by a catch-all handler that falls back to a weaker check and returns a path — so
    /// the "outside the root" error itself is caught and bypassed.
    ///
    /// ## Why it matters
    /// A symlink pointing outside the root makes the strict check throw; the handler treats that like
    /// "file does not exist", checks only the parent folder, and lets the operation go through the
    /// symlink.
    ///
    /// ## Vulnerable example
    /// ```js
    /// try {
    ///   const real = await fs.realpath(p);
    ///   if (!isAllowed(real)) throw new Error("outside");
    ///   return real;
    /// } catch (error) {
    ///   const parent = await fs.realpath(path.dirname(p));
    ///   if (!isAllowed(parent)) throw new Error("outside");
    ///   return p;
    /// }
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// try {
    ///   const real = await fs.realpath(p);
    ///   if (!isAllowed(real)) throw new Error("outside");
    ///   return real;
    /// } catch (error) {
    ///   if (error.code !== "ENOENT") throw error;
    ///   const parent = await fs.realpath(path.dirname(p));
    ///   if (!isAllowed(parent)) throw new Error("outside");
    ///   return p;
    /// }
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/59.html
    /// - https://cwe.mitre.org/data/definitions/755.html
    pub struct PathCheckErrorFallback {
        code: "PATH-003",
        name: "path-check-error-fallback",
        axis: Security,
        severity: High,
        cwe: Some("CWE-59"),
    }
}

impl Rule for PathCheckErrorFallback {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::CatchFallback],
            Severity::High,
            |_, base| base,
            |g| format!("the error handler for the containment check of {} catches every error, including the check's own rejection, and falls back to a weaker check", g.describe_origin()),
            "handle only the error you expect (`ENOENT` / `FileNotFoundError`) in the fallback and rethrow everything else",
        );
    }
}
