use super::{client_configs, container_run};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A server run in a container that does not contain it: `docker run --privileged`, the
    /// host's network, PID or IPC namespace (`--network host`, `--pid host`), added
    /// capabilities (`--cap-add ALL`, `SYS_ADMIN`), confinement switched off
    /// (`--security-opt seccomp=unconfined`), or a mount of the host's root, its home folders
    /// or the Docker socket (`-v /:/host`, `-v $HOME:/data`, `-v /var/run/docker.sock:…`).
    ///
    /// ## Why it matters
    /// A container is only a boundary when it is configured as one. With the Docker socket or
    /// `--privileged`, the server — and any instruction injected into it — can start a
    /// container that mounts the host and become root on the machine; with the host's root or
    /// home mounted it reads every key and token of the user; with the host's network it
    /// reaches services bound to localhost.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "ops": { "command": "docker", "args": ["run", "-i", "--rm",
    ///   "-v", "/var/run/docker.sock:/var/run/docker.sock", "--privileged", "ops-mcp@sha256:…"] } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "ops": { "command": "docker", "args": ["run", "-i", "--rm",
    ///   "-v", "/srv/ops-data:/data:ro", "ops-mcp@sha256:…"] } } }
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/250.html
    /// - https://docs.docker.com/engine/security/#docker-daemon-attack-surface
    /// - https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
    pub struct PrivilegedContainerServer {
        code: "CFG-006",
        name: "privileged-container-server",
        axis: Permissions,
        severity: High,
        cwe: Some("CWE-250"),
    }
}

impl Rule for PrivilegedContainerServer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                let Some(run) = container_run(server) else {
                    continue;
                };
                for (option, value) in &run.options {
                    let value = value.as_deref().unwrap_or("");
                    let Some(why) = escape(option, value) else {
                        continue;
                    };
                    let shown = if value.is_empty() {
                        option.clone()
                    } else {
                        format!("{option} {value}")
                    };
                    let needle = if value.is_empty() {
                        option.as_str()
                    } else {
                        value
                    };
                    config.report(
                        out,
                        server,
                        needle,
                        Draft::new(format!("its container {why}"))
                            .evidence(shown)
                            .fix("drop the option; mount only the data folder the server needs, read-only where it can be"),
                    );
                }
            }
        }
    }
}

/// Why a `docker run` option undoes the container's isolation.
fn escape(option: &str, value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    match option {
        "--privileged" => {
            Some("runs privileged: it has every capability and the host's devices".into())
        }
        "--network" | "--net" if lower == "host" => Some("shares the host's network".into()),
        "--pid" | "--ipc" | "--uts" | "--userns" if lower == "host" => Some(format!(
            "shares the host's {} namespace",
            option.trim_start_matches('-')
        )),
        "--cap-add"
            if matches!(
                lower.as_str(),
                "all" | "sys_admin" | "sys_ptrace" | "sys_module" | "net_admin" | "dac_read_search"
            ) =>
        {
            Some(format!("gets the {value} capability"))
        }
        "--security-opt"
            if lower.contains("unconfined") || lower.contains("no-new-privileges=false") =>
        {
            Some(format!("runs unconfined ({value})"))
        }
        "--device" => Some(format!("gets the host device {value}")),
        "-v" | "--volume" => mount_escape(value.split(':').next().unwrap_or("")),
        "--mount" => {
            let source = value
                .split(',')
                .find_map(|kv| {
                    kv.strip_prefix("source=")
                        .or_else(|| kv.strip_prefix("src="))
                })
                .unwrap_or("");
            mount_escape(source)
        }
        _ => None,
    }
}

fn mount_escape(source: &str) -> Option<String> {
    if source.ends_with("docker.sock")
        || source.ends_with("podman.sock")
        || source.ends_with("containerd.sock")
    {
        return Some(format!(
            "mounts the container runtime's socket ({source}): it controls the host"
        ));
    }
    if matches!(
        source.trim_end_matches('/'),
        "" | "/etc" | "/var" | "/proc" | "/sys" | "/dev" | "/boot" | "/usr"
    ) && source.starts_with('/')
    {
        return Some(format!("mounts the host's {source}"));
    }
    super::broad_filesystem_root::broad_root(source).map(|what| format!("mounts {what} ({source})"))
}
