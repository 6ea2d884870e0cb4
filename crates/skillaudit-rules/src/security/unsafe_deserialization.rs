use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// Untrusted bytes loaded with a deserializer that runs code: `pickle.load(s)`, `dill`, `marshal`,
    /// `yaml.load` without a safe loader, `yaml.unsafe_load`.
    ///
    /// ## Why it matters
    /// A crafted pickle or YAML document executes arbitrary code while it is being loaded.
    ///
    /// ## Vulnerable example
    /// ```python
    /// data = yaml.load(request_body)
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// data = yaml.safe_load(request_body)
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/502.html
    pub struct UnsafeDeserialization {
        code: "CODE-002",
        name: "unsafe-deserialization",
        axis: Security,
        severity: High,
        cwe: Some("CWE-502"),
    }
}

impl Rule for UnsafeDeserialization {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Deserialize],
            Severity::High,
            |_, base| base,
            |g| {
                format!(
                    "{} is deserialised by `{}`, which can run code",
                    g.describe_origin(),
                    g.first.api
                )
            },
            "use a data-only format and loader (`json`, `yaml.safe_load`)",
        );
    }
}
