use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};

declare_rule! {
    /// ## What it finds
    /// A package with neither a licence file (`LICENSE`, `LICENCE`, `COPYING`, `UNLICENSE`) nor a
    /// licence declared in its manifest (`license` in package.json or pyproject.toml).
    ///
    /// ## Why it matters
    /// Without a licence nobody may legally use, audit-and-patch or fork the code. For a security
    /// team it also means no right to fix a vulnerability in place while waiting for upstream.
    ///
    /// ## Vulnerable example
    /// ```json
    /// { "name": "my-server", "version": "1.0.0" }
    /// ```
    ///
    /// ## Fixed example
    /// ```json
    /// { "name": "my-server", "version": "1.0.0", "license": "MIT" }
    /// ```
    /// plus a `LICENSE` file with the full text.
    ///
    /// ## References
    /// - https://choosealicense.com/no-permission/
    pub struct MissingLicense {
        code: "DOC-008",
        name: "missing-license",
        axis: Documentation,
        severity: Medium,
        cwe: None,
    }
}

impl Rule for MissingLicense {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let has_file = project
            .top_level_named(&[
                "LICENSE",
                "LICENCE",
                "COPYING",
                "UNLICENSE",
                "LICENSE-MIT",
                "LICENSE-APACHE",
            ])
            .next()
            .is_some();
        let declared = project
            .declared_license
            .as_deref()
            .is_some_and(|l| !l.trim().is_empty() && !l.eq_ignore_ascii_case("UNLICENSED"));
        if has_file || declared {
            return;
        }
        out.report(
            Draft::new("no licence file and no licence declared in the manifest")
                .key("LICENSE")
                .fix("add a LICENSE file and declare the licence in the manifest"),
        );
    }
}
