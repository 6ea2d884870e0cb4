use super::{client_configs, container_run};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A server given the whole filesystem or the whole home folder as an argument — the
    /// allowed roots of a filesystem server, a working folder, a `--root` option: `/`, `~`,
    /// `$HOME`, `${HOME}`, `/home/NAME`, `/Users/NAME`, `C:\`, `C:\Users\NAME`,
    /// `%USERPROFILE%`. Container mounts are CFG-006's.
    ///
    /// ## Why it matters
    /// The home folder holds SSH keys, cloud credentials, browser profiles, every project's
    /// `.env` and the other clients' configurations with their tokens. A server rooted there —
    /// or a model steered by an injected instruction through it — can read and send all of it.
    /// A server needs the project or the folder it works on, not the user's whole account.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "files": { "command": "npx",
    ///   "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/Users/me"] } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "files": { "command": "npx",
    ///   "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/Users/me/projects/notes"] } } }
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/732.html
    /// - https://modelcontextprotocol.io/specification/2025-06-18/client/roots
    pub struct BroadFilesystemRoot {
        code: "CFG-005",
        name: "broad-filesystem-root",
        axis: Permissions,
        severity: Medium,
        cwe: Some("CWE-732"),
    }
}

impl Rule for BroadFilesystemRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                if container_run(server).is_some() {
                    continue;
                }
                for arg in &server.args {
                    let value = arg
                        .split_once('=')
                        .map(|(o, v)| if o.starts_with('-') { v } else { arg.as_str() })
                        .unwrap_or(arg);
                    if let Some(what) = broad_root(value) {
                        config.report(
                            out,
                            server,
                            arg,
                            Draft::new(format!("is given {what} ({value})"))
                                .evidence(arg.clone())
                                .fix("give the server only the folders it works on (a project, a notes folder)"),
                        );
                    }
                }
            }
        }
    }
}

/// What a path argument opens, when it is the whole filesystem or a home folder.
pub(crate) fn broad_root(value: &str) -> Option<&'static str> {
    let v = value.trim().trim_end_matches(['/', '\\']);
    if v.is_empty() && value.trim().starts_with('/') {
        return Some("the whole filesystem");
    }
    let lower = v.to_ascii_lowercase();
    if lower.len() == 2 && lower.ends_with(':') && lower.as_bytes()[0].is_ascii_alphabetic() {
        return Some("a whole drive");
    }
    if matches!(
        v,
        "~" | "$HOME"
            | "${HOME}"
            | "${env:HOME}"
            | "%USERPROFILE%"
            | "${env:USERPROFILE}"
            | "${userHome}"
    ) {
        return Some("the home folder");
    }
    let parts: Vec<&str> = v.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let home_base =
        matches!(parts.as_slice(), ["home", _] | ["Users", _] | ["root"]) && v.starts_with('/');
    let windows_home = parts.len() == 3
        && parts[0].len() == 2
        && parts[0].ends_with(':')
        && parts[1].eq_ignore_ascii_case("users");
    if home_base || windows_home {
        return Some("a whole home folder");
    }
    if matches!(parts.as_slice(), ["home"] | ["Users"]) && v.starts_with('/') {
        return Some("every user's home folder");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::broad_root;

    #[test]
    fn roots_and_homes_are_broad() {
        for v in [
            "/",
            "~",
            "~/",
            "$HOME",
            "${HOME}",
            "/home/me",
            "/Users/me/",
            "C:\\",
            "C:\\Users\\me",
            "/root",
            "%USERPROFILE%",
        ] {
            assert!(broad_root(v).is_some(), "{v}");
        }
    }

    #[test]
    fn project_folders_are_not() {
        for v in [
            "/home/me/notes",
            "/Users/me/projects/app",
            "./data",
            "~/notes",
            "--verbose",
            "C:\\Users\\me\\docs",
            "postgresql://localhost/app",
        ] {
            assert!(broad_root(v).is_none(), "{v}");
        }
    }
}
