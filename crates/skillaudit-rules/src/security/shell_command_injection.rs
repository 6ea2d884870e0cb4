use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A shell command line built from untrusted input: `exec`/`execSync`, `spawn` or `execa` with
    /// `shell: true`, `subprocess` with `shell=True`, `os.system`, `os.popen`, or `sh -c` with a user-
    /// chosen argument. Sources are MCP tool arguments (all SDK forms), HTTP request data and resource
    /// URIs, followed through assignments, string building, helper functions and imports across the
    /// package's files. A tool whose whole argument is the command (a `run_command` tool) is reported
    /// at MEDIUM with the tool named when its name or description says it runs commands: that is
    /// its purpose, and the finding says no guard narrows it. A tool that says it does something
    /// else (a calculator whose argument reaches a shell) stays HIGH: the capability is hidden.
    ///
    /// ## Why it matters
    /// The model chooses tool arguments, and the model reads attacker-controlled text (web pages,
    /// issues, files). A `;`, `$(…)` or backtick in an argument runs any command as the user running
    /// the server.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.tool("git_log", { branch: z.string() }, async ({ branch }) => {
    ///   const out = execSync(`git log ${branch}`);
    ///   return { content: [{ type: "text", text: out.toString() }] };
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// server.tool("git_log", { branch: z.string() }, async ({ branch }) => {
    ///   const out = execFileSync("git", ["log", "--", branch]);
    ///   return { content: [{ type: "text", text: out.toString() }] };
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/78.html
    /// - https://owasp.org/www-community/attacks/Command_Injection
    pub struct ShellCommandInjection {
        code: "CMD-001",
        name: "shell-command-injection",
        axis: Security,
        severity: High,
        cwe: Some("CWE-78"),
    }
}

impl Rule for ShellCommandInjection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::Shell],
            Severity::High,
            |g, base| super::by_design(project, g, base, &super::SHELL_PURPOSE),
            |g| format!("{} reaches a shell command line (`{}`)", g.describe_origin(), g.first.api),
            "pass an argument array to `execFile`/`spawn` (no shell) or `subprocess.run([...])` without `shell=True`; if a shell is unavoidable, quote with `shlex.quote` and allowlist the command",
        );
    }
}
