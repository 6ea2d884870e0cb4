use super::{client_configs, program, words};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;

declare_rule! {
    /// ## What it finds
    /// A server whose command is a shell running a script: `sh -c "…"`, `bash -lc`, `zsh -c`,
    /// `cmd /c`, `powershell -Command`, `pwsh -c`. HIGH when the script downloads and runs
    /// something (`curl … | sh`, `wget … | bash`, `iex (iwr …)`).
    ///
    /// ## Why it matters
    /// The script is a program nobody audits: what it starts depends on `PATH`, the shell's
    /// start-up files and variables expanded at launch, and any value spliced into it can add
    /// commands. A server fetched and piped into a shell at each start runs whatever the URL
    /// serves that day, unpinned and unverified.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "tools": { "command": "bash",
    ///   "args": ["-c", "cd ~/tools && npm install && node server.js"] } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "tools": { "command": "node", "args": ["/home/me/tools/server.js"] } } }
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/78.html
    /// - https://cwe.mitre.org/data/definitions/494.html
    pub struct ShellAsServerCommand {
        code: "CFG-007",
        name: "shell-as-server-command",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-78"),
    }
}

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "cmd",
    "powershell",
    "pwsh",
];

impl Rule for ShellAsServerCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                let words = words(server);
                let Some(first) = words.first() else {
                    continue;
                };
                let shell = program(first);
                if !SHELLS.contains(&shell.as_str()) {
                    continue;
                }
                // The script flag comes among the shell's own options, before a script file
                // (`bash start.sh -c config.yml` passes `-c` to the script, not to bash).
                let options = words[1..].iter().take_while(|w| {
                    w.starts_with('-') || (shell == "cmd" && w.starts_with('/') && w.len() <= 3)
                });
                let Some(flag) = options.into_iter().position(|w| is_script_flag(w)) else {
                    continue;
                };
                let script = words[flag + 2..].join(" ");
                let lower = script.to_ascii_lowercase();
                let fetch_and_run = (lower.contains("curl")
                    || lower.contains("wget")
                    || lower.contains("iwr")
                    || lower.contains("invoke-webrequest"))
                    && (lower.contains("| sh")
                        || lower.contains("|sh")
                        || lower.contains("| bash")
                        || lower.contains("|bash")
                        || lower.contains("iex"));
                let shown = super::safe_evidence(&script, 100);
                let mut draft = Draft::new(if fetch_and_run {
                    format!("the command is {shell} running a script that downloads and runs code")
                } else {
                    format!("the command is {shell} running a script")
                })
                .evidence(format!("{shell} {} {shown}", words[flag + 1]))
                .fix("start the server's program directly (`node`, `python`, a pinned `npx`/`uvx` package) with its arguments as a list");
                if fetch_and_run {
                    draft = draft.severity(Severity::High);
                }
                config.report(out, server, first, draft);
            }
        }
    }
}

fn is_script_flag(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "/c" | "/k" | "-command" | "-c" | "-encodedcommand" | "-e" | "-ec"
    ) || (lower.starts_with('-')
        && !lower.starts_with("--")
        && lower.len() <= 4
        && lower.ends_with('c'))
}
