use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::Guards;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// A file-system operation (read, write, delete, list, open a repository) on a path taken from
    /// untrusted input with no containment check, or with a check made on the path before symlinks are
    /// resolved (`realpath`).
    ///
    /// Severity: HIGH when the input is placed under a folder the code means to keep it in
    /// (`os.path.join(NOTES, name)`, `Path(root) / name`, `f"/srv/archive/{name}"`) — `../` climbs
    /// out of it. MEDIUM when the whole argument is the path and the tool's name or description say
    /// it works on the files it is given (`open_file(path)`): that is its purpose, and the finding
    /// says no root folder narrows it; a path the tool places under a folder and hands to a
    /// helper that opens it is HIGH, as if it were opened in place. A name reduced to its last
    /// component (`Path(x).name`, `basename`), refused when it holds a `/`, or stripped to safe
    /// characters (`re.sub(r"[^\w-]", "", x)`) is contained; refusing only `\` is not.
    ///
    /// ## Why it matters
    /// `../../.ssh/id_rsa`, an absolute path, or a symlink inside the allowed folder gives the model —
    /// and whoever injects instructions into what it reads — the whole file system.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @mcp.tool()
    /// def read_note(path: str) -> str:
    ///     return open(os.path.join(NOTES, path)).read()
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @mcp.tool()
    /// def read_note(path: str) -> str:
    ///     full = Path(NOTES, path).resolve()
    ///     if not full.is_relative_to(Path(NOTES).resolve()):
    ///         raise ValueError("outside the notes folder")
    ///     return full.read_text()
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/22.html
    /// - https://cwe.mitre.org/data/definitions/59.html
    pub struct UnconstrainedFilePath {
        code: "PATH-001",
        name: "unconstrained-file-path",
        axis: Security,
        severity: High,
        cwe: Some("CWE-22"),
    }
}

impl Rule for UnconstrainedFilePath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::FileAccess],
            Severity::High,
            |g, base| file_verdict(g, super::by_design(project, g, base, &super::FILE_PURPOSE)),
            |g| format!("{} is used as a file path by `{}` without a containment check", g.describe_origin(), g.first.api),
            "resolve the path (`realpath` / `Path.resolve()`), then require it to be inside the allowed root with a separator-aware check (`path.relative` not starting with `..`, `is_relative_to`)",
        );
    }
}

/// A containment check made before symlinks are resolved is a weak guard: MEDIUM. A single
/// name (`basename`, one refused when it holds a separator) cannot climb, so it is not.
fn file_verdict(g: &super::SinkGroup<'_>, base: Option<super::Verdict>) -> Option<super::Verdict> {
    let guards = g.guards();
    if base.is_none()
        && guards.has(Guards::CONTAINED)
        && !guards.any(Guards::RESOLVED.union(Guards::ONE_COMPONENT))
        && !guards.any(
            Guards::ALLOWLIST
                .union(Guards::VALIDATED)
                .union(Guards::NUMERIC),
        )
    {
        return Some(super::Verdict {
            severity: Severity::Medium,
            confidence: skillaudit_core::Confidence::Medium,
            note: Some("containment is checked before symlinks are resolved (no `realpath`), so a symlink inside the root can point outside".into()),
        });
    }
    base
}
