use super::{client_configs, container_run, package_launch, pinned_version, words};
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;

declare_rule! {
    /// ## What it finds
    /// A server the client downloads and runs at whatever version is newest when it starts:
    /// `npx -y pkg` or `pnpm dlx pkg` without a version, `pkg@latest`, a range (`pkg@^1`),
    /// `uvx pkg` or `pipx run pkg` without `==VERSION`, `pip install pkg` without `==`, a git
    /// source without a full commit, and (LOW) a container image named by tag instead of by
    /// digest (`image:1.2` rather than `image@sha256:…`).
    ///
    /// ## Why it matters
    /// The server runs with the user's files, tokens and shell. Unpinned, every start of the
    /// client installs whatever the registry serves at that moment: a hijacked maintainer
    /// account or a malicious release reaches every machine at its next start, with no review
    /// and no audit of the version that actually runs. A pinned version can be audited once
    /// and bumped on purpose. Image tags are mutable; digests are not.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@scope/server-files"] } } }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@scope/server-files@1.4.2"] } } }
    /// ```
    /// (`uvx pkg==1.4.2`, `image@sha256:…` for containers), audited with
    /// `skillaudit config --audit` and bumped deliberately.
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/494.html
    /// - https://cwe.mitre.org/data/definitions/1357.html
    /// - https://slsa.dev/spec/v1.0/threats
    pub struct UnpinnedServerPackage {
        code: "CFG-003",
        name: "unpinned-server-package",
        axis: Security,
        severity: Medium,
        cwe: Some("CWE-494"),
    }
}

impl Rule for UnpinnedServerPackage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        for config in client_configs(project) {
            for server in &config.servers {
                if let Some(launch) = package_launch(server) {
                    let (name, version) = pinned_version(&launch);
                    if version.is_none() {
                        let what = match launch.ecosystem {
                            "git" => "a git source without a full commit",
                            _ if launch.spec.ends_with("@latest") => "the `latest` tag",
                            _ => "no exact version",
                        };
                        let fix = match launch.ecosystem {
                            "npm" => format!("pin an exact version: `{name}@X.Y.Z`"),
                            "pypi" => format!("pin an exact version: `{name}==X.Y.Z`"),
                            _ => "pin the full commit: `…@<40-hex commit>`".to_string(),
                        };
                        config.report(
                            out,
                            server,
                            &launch.spec,
                            Draft::new(format!(
                                "`{}` runs {} ({what}): each start installs whatever is newest",
                                launch.launcher,
                                super::safe_evidence(&launch.spec, 120)
                            ))
                            .evidence(super::safe_evidence(
                                &format!("{} {}", launch.launcher, launch.spec),
                                160,
                            ))
                            .fix(fix),
                        );
                    }
                }
                if let Some(run) = container_run(server) {
                    if let Some(image) = run.image.filter(|i| !i.contains("@sha256:")) {
                        // A tag follows the last `:` after the last `/` (a registry port does not).
                        let tagged = image
                            .rsplit('/')
                            .next()
                            .is_some_and(|last| last.contains(':'));
                        let how = if tagged {
                            "is named by tag, which can be moved to other content"
                        } else {
                            "has neither tag nor digest: it runs whatever `latest` is"
                        };
                        config.report(
                            out,
                            server,
                            &image,
                            Draft::new(format!("the container image {image} {how}"))
                                .evidence(format!("image {image}"))
                                .severity(Severity::Low)
                                .fix("name the image by digest: `image@sha256:…`"),
                        );
                    }
                }
                // `pip install pkg` inside a command line (often behind `sh -c`).
                let words = words(server);
                let line = words.join(" ");
                for spec in pip_install_unpinned(&line) {
                    config.report(
                        out,
                        server,
                        &spec,
                        Draft::new(format!("`pip install {spec}` without an exact version"))
                            .evidence(format!("pip install {spec}"))
                            .fix(format!("pin it: `{spec}==X.Y.Z`")),
                    );
                }
            }
        }
    }
}

/// Packages a `pip install` in the command line names without `==`.
fn pip_install_unpinned(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("pip install ") {
        let after = &rest[at + "pip install ".len()..];
        for word in after.split_whitespace() {
            if matches!(word, "&&" | ";" | "|" | "||") || word.contains(['&', ';', '|']) {
                break;
            }
            if word.starts_with(['-', '.']) || word.contains('/') || word.ends_with(".txt") {
                continue;
            }
            let word = word.trim_matches(['"', '\'']);
            if !word.is_empty() && !word.contains("==") {
                out.push(word.to_string());
            }
        }
        rest = after;
    }
    out
}
