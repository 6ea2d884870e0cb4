use crate::{declare_rule, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A credential of a known provider written into a file of the package or repository:
    /// OpenAI and Anthropic API keys, GitHub classic and fine-grained tokens, GitLab tokens, AWS
    /// access key IDs and secret keys, Google Cloud service-account keys and API keys, Azure
    /// storage keys and client secrets, Stripe keys (live HIGH, test MEDIUM), Slack tokens and
    /// webhook URLs, Twilio keys and auth tokens, SendGrid keys, npm and PyPI tokens, PEM private
    /// keys, JSON Web Tokens (MEDIUM) and database URLs that carry a password. Each provider is a
    /// row of data (pattern, prefilter keywords, entropy floor); placeholders such as
    /// `your-api-key`, `sk-xxxx…`, `<TOKEN>`, `${VAR}` and documented example values are not
    /// reported. Every file is read, documentation included; a secret in the docs or the tests
    /// is reported on that surface. The secret itself never appears in the report: only its
    /// first characters and its length.
    ///
    /// ## Why it matters
    /// A published package is public: anyone who installs the server, or reads the registry's
    /// tarball, holds the key. Bots scrape npm, PyPI and GitHub for provider keys within minutes
    /// of publication, and a leaked cloud or payment key is spent before anyone notices.
    ///
    /// ## Vulnerable example
    /// ```js
    /// const client = new OpenAI({ apiKey: "sk-proj-…" }); // the real key, in the source
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
    /// ```
    /// and rotate the key that was published: removing it from the next release does not make
    /// it secret again.
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/798.html
    /// - https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/
    pub struct HardcodedProviderSecret {
        code: "SECRET-001",
        name: "hardcoded-provider-secret",
        axis: Credentials,
        severity: High,
        cwe: Some("CWE-798"),
    }
}

impl Rule for HardcodedProviderSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_secrets(project, out, false, |d, _, shown| {
            format!("{} written into the file ({shown})", d.what)
        });
    }
}
