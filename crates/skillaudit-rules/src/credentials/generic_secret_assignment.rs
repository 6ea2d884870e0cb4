use crate::{declare_rule, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A value assigned to a name that says it is a credential (`*_API_KEY`, `*_TOKEN`,
    /// `*_SECRET`, `password`, `client_secret`, `privateKey`…) when the value itself looks
    /// generated: at least 16 characters, letters and digits mixed, and random enough (Shannon
    /// entropy of at least 3.7 bits per character). Placeholders (`your-token`, `<SECRET>`,
    /// `${VAR}`, `changeme`, repeated or sequential characters), references to the environment,
    /// integrity hashes (`sha512-…`) and names that hold no secret (`token_type`, `public_key`,
    /// `max_tokens`) are not reported, nor is a value a provider rule (SECRET-001) already
    /// names. The value is redacted in the report.
    ///
    /// ## Why it matters
    /// Not every credential has a recognisable prefix: internal API keys, signing secrets and
    /// passwords are random strings under a telling name. Shipped in a package, they are
    /// public.
    ///
    /// ## Vulnerable example
    /// ```python
    /// WEBHOOK_SIGNING_SECRET = "q8Jx2Lr7Vw0bTz5NcK3mYh9Ue4Pa6Sd1"
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// WEBHOOK_SIGNING_SECRET = os.environ["WEBHOOK_SIGNING_SECRET"]
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/798.html
    pub struct GenericSecretAssignment {
        code: "SECRET-002",
        name: "generic-secret-assignment",
        axis: Credentials,
        severity: Medium,
        cwe: Some("CWE-798"),
    }
}

impl Rule for GenericSecretAssignment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_secrets(project, out, true, |_, m, shown| {
            let name = m.name.as_deref().unwrap_or("a credential name");
            format!("`{name}` is assigned a secret-looking literal ({shown})")
        });
    }
}
