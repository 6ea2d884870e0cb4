use super::{place_flows, report_runs, report_technique, RUN_SINKS};
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// Code that decodes text at run time — base64, base32, hex, `codecs`, zlib/gzip/bz2/lzma,
    /// `atob`, `Buffer.from(…, "base64")`, `String.fromCharCode` — and runs the result:
    /// `exec`/`eval`/`compile`, `Function`, `vm`, a dynamic import, an unsafe deserialiser or a
    /// shell; and command lines that hand encoded code to an interpreter (`… | base64 -d | sh`,
    /// a `data:…;base64,` module run by `deno`/`node`, PowerShell's `-EncodedCommand`). Input a
    /// tool argument chose is the code-injection rules' business; this rule is about payloads
    /// the package carries or reads itself.
    ///
    /// ## Why it matters
    /// Encoding hides what runs from the reader and from every scanner that reads the source.
    /// A package that needs its code hidden from review is not one to run.
    ///
    /// ## Vulnerable example
    /// ```python
    /// exec(base64.b64decode(_BLOB).decode())
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// from . import plugin   # the code, in the package, readable
    /// plugin.run()
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1027/
    /// - https://attack.mitre.org/techniques/T1140/
    pub struct ObfuscatedExecution {
        code: "MAL-005",
        name: "obfuscated-execution",
        axis: Security,
        severity: High,
        cwe: Some("CWE-506"),
    }
}

const FIX: &str = "ship readable code; never decode and run a payload";

impl Rule for ObfuscatedExecution {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let mut sinks = RUN_SINKS.to_vec();
        sinks.push(SinkKind::Argv);
        let groups = place_flows(project, &sinks, &[OriginKind::DecodedPayload]);
        report_runs(out, groups, FIX);
        report_technique(
            project,
            out,
            Technique::ObfuscatedExecution,
            Severity::High,
            FIX,
        );
    }
}
