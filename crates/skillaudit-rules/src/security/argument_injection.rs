use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::{Guards, SinkKind};

declare_rule! {
    /// ## What it finds
    /// An element of a program's argument vector taken from untrusted input, for programs whose options
    /// change what they do (git, kubectl, helm, curl, docker, ssh, tar, …), when the element is not an
    /// option's value, no `--` precedes it, and no check rejects a leading `-`. GitPython's
    /// `repo.git.<command>(…)` counts: its positional arguments are git's argv. A pattern check
    /// whose first character may be `-` (`^[\w.-]+$`, `[^a-z0-9_-]` stripped) keeps out shell and
    /// path characters, not options: it does not count as the check. Arguments read from a file
    /// at the path the tool is given (a project's `deploy.json` naming its deploy command) are
    /// reported at MEDIUM: whoever wrote that file chose them, not the text of the call.
    ///
    /// ## Why it matters
    /// No shell is involved, yet a value such as `--upload-pack=touch /tmp/x`, `--output=/etc/…` or
    /// `--server=https://attacker` is read as an option: the program runs commands, writes files or
    /// talks to another server.
    ///
    /// ## Vulnerable example
    /// ```python
    /// def git_checkout(repo: git.Repo, branch_name: str) -> str:
    ///     repo.git.checkout(branch_name)
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// def git_checkout(repo: git.Repo, branch_name: str) -> str:
    ///     if branch_name.startswith("-"):
    ///         raise ValueError("branch names cannot start with '-'")
    ///     repo.git.checkout(branch_name)
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/88.html
    /// - https://sonarsource.github.io/argument-injection-vectors/
    pub struct ArgumentInjection {
        code: "CMD-002",
        name: "argument-injection",
        axis: Security,
        severity: High,
        cwe: Some("CWE-88"),
    }
}

impl Rule for ArgumentInjection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Argv],
            Severity::High,
            |g, base| {
                let mut v = base?;
                // A pattern of safe characters that includes `-` where the value starts.
                if g.guards().has(Guards::VALIDATED_TEXT) && v.note.is_none() {
                    v.note = Some("its pattern check lets the value start with `-`".into());
                }
                // The arguments are read from a file at the path the tool is given (a
                // project's `deploy.json`, a task list): whoever wrote that file chose them,
                // not the text of the call. Still reported, one level lower.
                if v.severity == Severity::High
                    && g.flows.iter().all(|f| f.guards.has(Guards::CONTENT_READ))
                {
                    v.severity = Severity::Medium;
                    v.note = Some(
                        "the arguments are read from a file at the path the tool is given".into(),
                    );
                }
                Some(v)
            },
            |g| format!("{} is passed as an argument to `{}` with no `--` before it and no leading-dash check (argument injection)", g.describe_origin(), g.first.program.clone().unwrap_or_else(|| g.first.api.clone())),
            "put `--` before user values, reject values starting with `-`, or validate them against the expected form (a resource name, a ref that `rev-parse` resolves)",
        );
    }
}
