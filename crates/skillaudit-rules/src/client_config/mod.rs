//! MCP client configurations (`CFG-*`): what a developer's or a project's client is told to
//! start — hard-coded tokens, unpinned packages, plain-HTTP remotes, broad roots, privileged
//! containers, shells as servers, tools shadowed by another server.
//!
//! These rules judge a configuration, not a server's code, so they run only on a target of kind
//! `mcp-config` (`skillaudit config`), where every file is a client configuration. A server
//! repository that commits a `.mcp.json` for its own development is not graded on it.

pub mod broad_filesystem_root;
pub mod plaintext_remote_url;
pub mod privileged_container_server;
pub mod shadowed_tool_name;
pub mod shell_as_server_command;
pub mod token_in_client_config;
pub mod token_on_command_line;
pub mod unpinned_server_package;

use crate::{Draft, Findings, Project, ProjectFile};
use skillaudit_mcpconfig::{line_of_value, parse, Format, Server};

/// The target kind whose files are MCP client configurations.
pub const TARGET_KIND: &str = "mcp-config";

/// One configuration file of the target and the servers it declares.
pub struct ClientConfig<'p> {
    pub file: &'p ProjectFile,
    pub text: &'p str,
    pub servers: Vec<Server>,
}

/// Every configuration file of an `mcp-config` target that parses (the `config` command
/// reports the ones that do not), disabled servers left out.
pub fn client_configs(project: &Project) -> Vec<ClientConfig<'_>> {
    if project.target.kind != TARGET_KIND {
        return Vec::new();
    }
    project
        .text_files()
        .filter_map(|(file, text)| {
            let parsed = parse(text, Format::of_path(&file.path)).ok()?;
            let servers = parsed.servers.into_iter().filter(|s| !s.disabled).collect();
            Some(ClientConfig {
                file,
                text,
                servers,
            })
        })
        .collect()
}

impl ClientConfig<'_> {
    /// A finding about `server`, on the line where `needle` (a value of the entry) is written.
    pub fn report(&self, out: &mut Findings, server: &Server, needle: &str, draft: Draft) {
        let line = line_of_value(self.text, server, needle);
        let mut draft = draft.at(&self.file.path, line);
        draft.message = format!("server `{}`: {}", server.name, draft.message);
        if draft.key.is_none() {
            draft.key = Some(format!("{}:{}", server.name, needle));
        }
        out.report(draft);
    }
}

/// A project made of client configuration files, for the `config` command: `(shown path, text)`
/// pairs (`~/.cursor/mcp.json`, `.mcp.json`), each on the runtime surface (a configuration is
/// what the client runs).
pub fn config_project(name: &str, files: Vec<(String, String)>, now: jiff::Timestamp) -> Project {
    let mut digest_input = String::new();
    let mut files: Vec<ProjectFile> = files
        .into_iter()
        .map(|(path, text)| {
            digest_input.push_str(&path);
            digest_input.push('\0');
            digest_input.push_str(&text);
            digest_input.push('\0');
            ProjectFile {
                language: crate::Language::from_path(&path),
                surface: skillaudit_core::Surface::Runtime,
                size: text.len() as u64,
                text: Some(text),
                lossy: false,
                path,
            }
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Project {
        root: std::path::PathBuf::new(),
        target: skillaudit_core::TargetInfo {
            kind: TARGET_KIND.into(),
            name: name.into(),
            spec: name.into(),
            ..Default::default()
        },
        files,
        inventory: Default::default(),
        dependencies: Vec::new(),
        declared_repository: None,
        declared_license: None,
        has_git_dir: false,
        content_digest: skillaudit_core::fingerprint::sha256_hex(digest_input.as_bytes()),
        now,
        code_analysis: std::sync::OnceLock::new(),
        model_texts: std::sync::OnceLock::new(),
        dep_audit: None,
        secrets: std::sync::OnceLock::new(),
        workspace_lockfile: None,
    }
}

/// True for the rules of this family.
pub fn is_config_rule(code: &str) -> bool {
    code.starts_with("CFG-")
}

/// Text from a configuration as evidence: secrets the detectors know are redacted, and a URL's
/// user-info and query (where credentials ride) are hidden.
pub fn safe_evidence(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut last = 0;
    for m in crate::credentials::secrets::scan(text, true) {
        if m.start < last || m.end > text.len() {
            continue;
        }
        if let (Some(before), Some(secret)) = (text.get(last..m.start), text.get(m.start..m.end)) {
            out.push_str(before);
            out.push_str(&crate::credentials::secrets::redact(secret));
            last = m.end;
        }
    }
    out.push_str(text.get(last..).unwrap_or(""));
    let out: String = out
        .split(' ')
        .map(|word| match word.split_once("://") {
            Some((scheme, rest)) => {
                let (base, query) = match rest.split_once('?') {
                    Some((base, _)) => (base, "?…"),
                    None => (rest, ""),
                };
                let base = match base.split_once('@') {
                    Some((userinfo, host)) if !userinfo.contains('/') => format!("…@{host}"),
                    _ => base.to_string(),
                };
                format!("{scheme}://{base}{query}")
            }
            None => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    if out.chars().count() > max_chars {
        let mut cut: String = out.chars().take(max_chars).collect();
        cut.push('…');
        cut
    } else {
        out
    }
}

/// The program name of a command, without folders or a Windows extension (`/usr/bin/npx` →
/// `npx`, `npx.cmd` → `npx`).
pub fn program(command: &str) -> String {
    let name = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let lower = name.to_ascii_lowercase();
    for ext in [".cmd", ".exe", ".bat", ".ps1"] {
        if let Some(stem) = lower.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    lower
}

/// The server's words: the command then its arguments. A command written with its arguments
/// in one string (`"npx -y pkg"`) is split on spaces.
pub fn words(server: &Server) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(command) = &server.command {
        if server.args.is_empty() && command.contains(' ') && !command.contains(['"', '\'']) {
            out.extend(command.split_whitespace().map(str::to_string));
        } else {
            out.push(command.clone());
        }
    }
    out.extend(server.args.iter().cloned());
    out
}

/// Container runtimes whose `run` starts a server in a container.
pub fn is_container_runtime(program: &str) -> bool {
    matches!(program, "docker" | "podman" | "nerdctl")
}

/// A `docker run` (or podman, nerdctl) command line: its options with their values, and the
/// image.
pub struct ContainerRun {
    pub options: Vec<(String, Option<String>)>,
    pub image: Option<String>,
}

/// Options of `docker run` that take a value in the next word.
const VALUE_OPTIONS: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--mount",
    "--name",
    "--network",
    "--net",
    "-p",
    "--publish",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--entrypoint",
    "--pid",
    "--ipc",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--label",
    "-l",
    "--platform",
    "--memory",
    "-m",
    "--cpus",
    "--device",
    "--add-host",
    "--hostname",
    "-h",
    "--userns",
    "--uts",
    "--tmpfs",
    "--restart",
    "--pull",
    "--runtime",
    "--gpus",
    "--dns",
    "--log-driver",
];

/// The container run in the server's command line, if it is one.
pub fn container_run(server: &Server) -> Option<ContainerRun> {
    let words = words(server);
    let first = words.first()?;
    if !is_container_runtime(&program(first)) {
        return None;
    }
    let run = words.iter().position(|w| w == "run")?;
    let mut options = Vec::new();
    let mut i = run + 1;
    let mut image = None;
    while i < words.len() {
        let word = &words[i];
        if word == "--" {
            image = words.get(i + 1).cloned();
            break;
        }
        if word.starts_with('-') {
            if let Some((flag, value)) = word.split_once('=') {
                options.push((flag.to_string(), Some(value.to_string())));
            } else if VALUE_OPTIONS.contains(&word.as_str()) {
                options.push((word.clone(), words.get(i + 1).cloned()));
                i += 1;
            } else {
                options.push((word.clone(), None));
            }
            i += 1;
            continue;
        }
        image = Some(word.clone());
        break;
    }
    Some(ContainerRun { options, image })
}

/// A package a launcher fetches and runs: `npx [-y] pkg`, `pnpm dlx`, `bunx`, `yarn dlx`,
/// `uvx pkg`, `uv tool run`, `pipx run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageLaunch {
    /// `npm` or `pypi` (a `git+` source is `git`).
    pub ecosystem: &'static str,
    /// The package as written (`pkg`, `pkg@1.2.3`, `pkg==1.2.3`, `git+https://…`).
    pub spec: String,
    pub launcher: String,
}

/// The package the server's command line fetches and runs, if any.
pub fn package_launch(server: &Server) -> Option<PackageLaunch> {
    let words = words(server);
    let first = program(words.first()?);
    let (ecosystem, rest): (&'static str, &[String]) = match first.as_str() {
        "npx" | "bunx" => ("npm", &words[1..]),
        "pnpm" | "yarn" | "bun" if words.get(1).is_some_and(|w| w == "dlx" || w == "x") => {
            ("npm", &words[2..])
        }
        "npm" if words.get(1).is_some_and(|w| w == "exec") => ("npm", &words[2..]),
        "uvx" => ("pypi", &words[1..]),
        "uv" if words.get(1).is_some_and(|w| w == "tool")
            && words.get(2).is_some_and(|w| w == "run") =>
        {
            ("pypi", &words[3..])
        }
        "pipx" if words.get(1).is_some_and(|w| w == "run") => ("pypi", &words[2..]),
        _ => return None,
    };
    let mut i = 0;
    while i < rest.len() {
        let word = &rest[i];
        // The package named by an option wins over the first positional word.
        for flag in ["--package", "-p", "--from", "--spec", "--with"] {
            if word == flag {
                if let Some(value) = rest.get(i + 1) {
                    return Some(launch(ecosystem, value, &first));
                }
            }
            if let Some(value) = word.strip_prefix(&format!("{flag}=")) {
                return Some(launch(ecosystem, value, &first));
            }
        }
        if word == "--" {
            return rest.get(i + 1).map(|w| launch(ecosystem, w, &first));
        }
        if word.starts_with('-') {
            // Options of uvx that take a value.
            if matches!(
                word.as_str(),
                "--python" | "--index-url" | "--index" | "-i" | "--registry"
            ) {
                i += 1;
            }
            i += 1;
            continue;
        }
        return Some(launch(ecosystem, word, &first));
    }
    None
}

fn launch(ecosystem: &'static str, spec: &str, launcher: &str) -> PackageLaunch {
    let ecosystem = if spec.starts_with("git+") || spec.starts_with("github:") {
        "git"
    } else {
        ecosystem
    };
    PackageLaunch {
        ecosystem,
        spec: spec.to_string(),
        launcher: launcher.to_string(),
    }
}

/// The name and the version a package spec pins, if it pins one exactly:
/// `@scope/pkg@1.2.3` → (`@scope/pkg`, `1.2.3`), `pkg==1.2.3` → (`pkg`, `1.2.3`).
pub fn pinned_version(launch: &PackageLaunch) -> (String, Option<String>) {
    let spec = launch.spec.as_str();
    match launch.ecosystem {
        "npm" => {
            let (name, version) = match spec.strip_prefix('@') {
                Some(rest) => match rest.split_once('@') {
                    Some((name, version)) => (format!("@{name}"), Some(version)),
                    None => (spec.to_string(), None),
                },
                None => match spec.split_once('@') {
                    Some((name, version)) => (name.to_string(), Some(version)),
                    None => (spec.to_string(), None),
                },
            };
            let exact = version.filter(|v| is_exact_version(v)).map(str::to_string);
            (name, exact)
        }
        "pypi" => {
            if let Some((name, version)) = spec.split_once("==") {
                let exact = is_exact_version(version).then(|| version.to_string());
                return (name.to_string(), exact);
            }
            // uvx accepts `pkg@1.2.3`.
            if let Some((name, version)) = spec.split_once('@') {
                let exact = is_exact_version(version).then(|| version.to_string());
                return (name.to_string(), exact);
            }
            let name = spec
                .split(['>', '<', '~', '!', '=', '['])
                .next()
                .unwrap_or(spec)
                .to_string();
            (name, None)
        }
        _ => {
            // git: pinned when it names a full commit.
            let (repo, reference) = match spec.rsplit_once('@') {
                Some((repo, reference)) if !reference.contains('/') => (repo, Some(reference)),
                _ => (spec, None),
            };
            let commit = reference
                .filter(|r| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(str::to_string);
            (repo.to_string(), commit)
        }
    }
}

/// `1.2.3`, `0.6.2`, `2025.4.7`, `1.0.0-beta.1`: digits first, no range operators, no tag.
fn is_exact_version(version: &str) -> bool {
    version.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !version.contains(['^', '~', '*', '>', '<', ' ', '|', ','])
        && !version
            .split('.')
            .any(|part| part.eq_ignore_ascii_case("x"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(command: &str, args: &[&str]) -> Server {
        let args: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
        let text = format!(
            "{{\"mcpServers\": {{\"s\": {{\"command\": {command:?}, \"args\": [{}]}}}}}}",
            args.join(",")
        );
        parse(&text, Format::Json)
            .expect("parses")
            .servers
            .remove(0)
    }

    fn pin(command: &str, args: &[&str]) -> (String, Option<String>) {
        let launch = package_launch(&server(command, args)).expect("a package launch");
        pinned_version(&launch)
    }

    #[test]
    fn npm_specs_pin_only_exact_versions() {
        assert_eq!(
            pin("npx", &["-y", "@scope/pkg@1.2.3"]),
            ("@scope/pkg".into(), Some("1.2.3".into()))
        );
        assert_eq!(
            pin("npx", &["-y", "@scope/pkg"]),
            ("@scope/pkg".into(), None)
        );
        assert_eq!(pin("npx", &["pkg@latest"]), ("pkg".into(), None));
        assert_eq!(pin("npx", &["pkg@^1.2.0"]), ("pkg".into(), None));
        assert_eq!(
            pin("npx.cmd", &["--yes", "pkg@2.0.0", "--port", "1"]),
            ("pkg".into(), Some("2.0.0".into()))
        );
        assert_eq!(pin("pnpm", &["dlx", "pkg"]), ("pkg".into(), None));
        assert_eq!(
            pin("npx", &["-p", "pkg@1.0.0", "bin"]),
            ("pkg".into(), Some("1.0.0".into()))
        );
    }

    #[test]
    fn python_specs_pin_with_double_equals_or_at() {
        assert_eq!(
            pin("uvx", &["mcp-server-time==0.6.2"]),
            ("mcp-server-time".into(), Some("0.6.2".into()))
        );
        assert_eq!(
            pin("uvx", &["mcp-server-time@0.6.2"]),
            ("mcp-server-time".into(), Some("0.6.2".into()))
        );
        assert_eq!(
            pin("uvx", &["mcp-server-time"]),
            ("mcp-server-time".into(), None)
        );
        assert_eq!(
            pin("uvx", &["mcp-server-time>=0.6"]),
            ("mcp-server-time".into(), None)
        );
        assert_eq!(
            pin("uvx", &["--from", "pkg==1.0", "cmd"]),
            ("pkg".into(), Some("1.0".into()))
        );
        assert_eq!(pin("uv", &["tool", "run", "pkg"]), ("pkg".into(), None));
    }

    #[test]
    fn git_sources_pin_with_a_full_commit() {
        let commit = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            pin(
                "uvx",
                &[
                    "--from",
                    &format!("git+https://github.com/o/r@{commit}"),
                    "r"
                ]
            )
            .1,
            Some(commit.to_string())
        );
        assert_eq!(
            pin("uvx", &["--from", "git+https://github.com/o/r@main", "r"]).1,
            None
        );
    }

    #[test]
    fn other_commands_are_not_package_launches() {
        assert!(package_launch(&server("node", &["index.js"])).is_none());
        assert!(package_launch(&server("npx", &[])).is_none());
    }

    #[test]
    fn container_runs_split_options_and_image() {
        let run = container_run(&server(
            "docker",
            &[
                "run",
                "-i",
                "--rm",
                "-e",
                "TOKEN",
                "-v",
                "/:/host",
                "--network=host",
                "img:1",
                "--flag",
            ],
        ))
        .expect("a container run");
        assert_eq!(run.image.as_deref(), Some("img:1"));
        assert!(run.options.contains(&("-v".into(), Some("/:/host".into()))));
        assert!(run
            .options
            .contains(&("--network".into(), Some("host".into()))));
    }

    #[test]
    fn evidence_hides_secrets_and_url_credentials() {
        let token = format!("ghp_{}", "Zq8Lm3Rt5Vx7Nb2Kc4Wd6Yf9Hg1Js0Pa3Qe5");
        let shown = safe_evidence(&format!("GH={token} node x.js"), 200);
        assert!(!shown.contains(&token), "{shown}");
        let shown = safe_evidence("http://user:pw@host.example/mcp?api_key=abc123", 200);
        assert_eq!(shown, "http://…@host.example/mcp?…");
    }

    #[test]
    fn a_command_with_its_arguments_in_one_string_is_split() {
        let s = server("npx -y pkg", &[]);
        assert_eq!(words(&s), vec!["npx", "-y", "pkg"]);
    }
}
