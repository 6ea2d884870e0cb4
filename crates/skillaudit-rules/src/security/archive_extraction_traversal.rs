use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::SinkKind;

declare_rule! {
    /// ## What it finds
    /// An archive that untrusted input chose (a tool argument naming the file, an uploaded or
    /// requested archive) extracted whole with no look at its entry names: Python's
    /// `tarfile.open(…).extractall(dest)` with no `filter=` (or with `filter="fully_trusted"`)
    /// and no `members=` selection, and `shutil.unpack_archive(src, dest)` with no `filter=`,
    /// which extracts tar formats the same way. ("Zip slip".)
    ///
    /// A tool whose purpose is extracting archives is still reported: extracting into `dest` is
    /// its job, writing outside `dest` is not. Python 3.14 makes `filter="data"` the default;
    /// servers that support older versions must pass it themselves.
    ///
    /// ## Why it matters
    /// A tar entry's name is a path the archive's author chose: `../../.bashrc`,
    /// `/etc/cron.d/job`, or a symbolic link followed by a file written through it. Extracting
    /// such an archive writes files anywhere the server can write — start-up files, SSH keys,
    /// the server's own code.
    ///
    /// ## Vulnerable example
    /// ```python
    /// @mcp.tool()
    /// def unpack(archive: str, dest: str) -> str:
    ///     with tarfile.open(archive) as tar:
    ///         tar.extractall(dest)
    /// ```
    ///
    /// ## Fixed example
    /// ```python
    /// @mcp.tool()
    /// def unpack(archive: str, dest: str) -> str:
    ///     with tarfile.open(archive) as tar:
    ///         tar.extractall(dest, filter="data")  # refuses absolute paths, `..` and links out
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/22.html
    /// - https://docs.python.org/3/library/tarfile.html#extraction-filters
    /// - https://security.snyk.io/research/zip-slip-vulnerability
    pub struct ArchiveExtractionTraversal {
        code: "PATH-004",
        name: "archive-extraction-traversal",
        axis: Security,
        severity: High,
        cwe: Some("CWE-22"),
    }
}

impl Rule for ArchiveExtractionTraversal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        super::report_groups(
            project,
            out,
            &[SinkKind::ArchiveExtract],
            Severity::High,
            |_, base| base,
            |g| {
                format!(
                    "an archive chosen by {} is extracted whole by `{}` with no member filter: entries named `../…` or absolute paths are written outside the destination",
                    g.describe_origin(),
                    g.first.api
                )
            },
            "pass `filter=\"data\"` to `extractall`/`unpack_archive` (Python 3.12+), or check every member's resolved path lies under the destination and refuse links before extracting",
        );
    }
}
