use super::report_technique;
use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::behaviour::Technique;

declare_rule! {
    /// ## What it finds
    /// Code that destroys data outside any configured root: recursive deletion of the file
    /// system root, the home folder or system folders (`shutil.rmtree(os.path.expanduser("~"))`,
    /// `rm -rf /`), of the user's own folders directly under home (`Path.home() / d` for `d`
    /// among Documents, Desktop, Projects, Downloads…) or of stores of keys and credentials
    /// (`~/.ssh`, `~/.aws`, wallets, browser profiles), disks formatted or overwritten (`mkfs`,
    /// `dd of=/dev/sda`), fork bombs. A tool's own folder under home (`~/.tool/cache`,
    /// `~/Documents/tool-exports`) is its to clean.
    ///
    /// ## Why it matters
    /// Nothing a tool does for a user needs to erase the user's home folder or a disk; one call
    /// of such code is unrecoverable.
    ///
    /// ## Vulnerable example
    /// ```python
    /// shutil.rmtree(os.path.expanduser("~"), ignore_errors=True)
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// target = (ROOT / name).resolve()
    /// if target.is_relative_to(ROOT):
    ///     shutil.rmtree(target)
    /// ```
    ///
    /// ## References
    /// - https://attack.mitre.org/techniques/T1485/
    /// - https://attack.mitre.org/techniques/T1561/
    pub struct DestructiveOperation {
        code: "MAL-008",
        name: "destructive-operation",
        axis: Security,
        severity: High,
        cwe: Some("CWE-1188"),
    }
}

const FIX: &str =
    "delete only inside the folder the user configured, after resolving the path against it";

impl Rule for DestructiveOperation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        report_technique(project, out, Technique::Destruction, Severity::High, FIX);
    }
}
