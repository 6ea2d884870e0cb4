use super::report_technique;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;

declare_rule! {
    /// ## What it finds
    /// A request to a cloud instance metadata service at an address fixed in the code
    /// (`169.254.169.254`, `metadata.google.internal`, `100.100.100.200`, `fd00:ec2::254`,
    /// the ECS task endpoint `169.254.170.2`). (A metadata address the model chooses is an
    /// SSRF finding.)
    ///
    /// ## Why it matters
    /// The metadata service hands out the machine's cloud credentials to any process that asks.
    /// A tool server that asks on its own is collecting them.
    ///
    /// ## Vulnerable example
    /// ```python
    /// r = requests.get("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// session = boto3.Session()   # the SDK's own credential chain, used for the server's API calls
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1552/005/
    pub struct CloudMetadataAccess {
        code: "MAL-011",
        name: "cloud-metadata-access",
        axis: Credentials,
        severity: High,
        cwe: Some("CWE-918"),
    }
}

const FIX: &str = "use the cloud SDK's credential chain for the server's own calls; never fetch metadata credentials yourself";

impl Rule for CloudMetadataAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        report_technique(project, out, Technique::CloudMetadata, Severity::High, FIX);
    }
}
