//! `skillaudit init` and `skillaudit init-ci`: ready-to-commit policy and CI files.
//!
//! Existing files are never overwritten without `--force`; the command says what it skipped.

use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

/// The GitHub Actions workflow `init-ci github` writes.
pub const GITHUB_WORKFLOW: &str = include_str!("../templates/github-workflow.yml");
/// The second workflow `init-ci github` writes: committed MCP client configurations against the
/// approved-server registry, on pull requests that touch them.
pub const GITHUB_MCP_CONFIGS: &str = include_str!("../templates/github-mcp-configs.yml");
/// The GitLab CI job `init-ci gitlab` writes.
pub const GITLAB_CI: &str = include_str!("../templates/gitlab-ci.yml");
/// The pre-commit configuration `init-ci pre-commit` writes.
pub const PRE_COMMIT_CONFIG: &str = include_str!("../templates/pre-commit-config.yaml");

/// Writes `text` to `dir/relative` unless the file exists (and `force` is off). Returns whether
/// it wrote.
fn write_new(dir: &Path, relative: &str, text: &str, force: bool) -> anyhow::Result<bool> {
    let path = dir.join(relative);
    if path.exists() && !force {
        eprintln!(
            "skillaudit: {} exists; left as it is (--force overwrites)",
            path.display()
        );
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("skillaudit: wrote {}", path.display());
    Ok(true)
}

/// `skillaudit init`: skillaudit.toml (the reference policy, commented) and an empty
/// exemptions file.
pub fn init(dir: &Path, force: bool) -> anyhow::Result<ExitCode> {
    write_new(
        dir,
        "skillaudit.toml",
        skillaudit_policy::policy::INIT_TEMPLATE,
        force,
    )?;
    write_new(
        dir,
        skillaudit_policy::policy::DEFAULT_EXEMPTIONS_PATH,
        skillaudit_policy::exemptions::INIT_TEMPLATE,
        force,
    )?;
    eprintln!(
        "skillaudit: next: `skillaudit scan . --env ci` (or set default_env in skillaudit.toml)"
    );
    Ok(ExitCode::SUCCESS)
}

/// The release every generated file pins (the tag of the CLI that writes it), never a branch:
/// a CI job runs the SkillAudit it was reviewed with until someone bumps the tag.
pub const PINNED_REF: &str = concat!("v", env!("CARGO_PKG_VERSION"));

/// A template with its `{{SKILLAUDIT_VERSION}}` placeholders set to [`PINNED_REF`].
pub fn pinned(template: &str) -> String {
    template.replace("{{SKILLAUDIT_VERSION}}", PINNED_REF)
}

/// `skillaudit init-ci github|gitlab|pre-commit`.
pub fn init_ci(system: &str, dir: &Path, force: bool) -> anyhow::Result<ExitCode> {
    match system {
        "github" => {
            write_new(
                dir,
                ".github/workflows/skillaudit.yml",
                &pinned(GITHUB_WORKFLOW),
                force,
            )?;
            write_new(
                dir,
                ".github/workflows/skillaudit-mcp-configs.yml",
                &pinned(GITHUB_MCP_CONFIGS),
                force,
            )?;
        }
        "gitlab" => {
            // A repository with its own pipeline gets a file to include, not a replaced one.
            if dir.join(".gitlab-ci.yml").exists() && !force {
                if write_new(
                    dir,
                    ".gitlab/skillaudit.gitlab-ci.yml",
                    &pinned(GITLAB_CI),
                    force,
                )? {
                    eprintln!(
                        "skillaudit: add to .gitlab-ci.yml:\n  include:\n    - local: .gitlab/skillaudit.gitlab-ci.yml"
                    );
                }
            } else {
                write_new(dir, ".gitlab-ci.yml", &pinned(GITLAB_CI), force)?;
            }
        }
        "pre-commit" => {
            let config = pinned(PRE_COMMIT_CONFIG);
            if !write_new(dir, ".pre-commit-config.yaml", &config, force)? {
                eprintln!("skillaudit: add this repository to it:\n{config}");
            } else {
                eprintln!("skillaudit: next: `pre-commit install`");
            }
        }
        other => anyhow::bail!("unknown CI system {other:?}: github, gitlab or pre-commit"),
    }
    Ok(ExitCode::SUCCESS)
}
