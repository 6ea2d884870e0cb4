//! The evaluation commands' flags, parsed one way: `--name VALUE`, `--name=VALUE`, bare
//! switches and `-h`/`--help`; anything else is an error naming the argument.

use anyhow::{anyhow, bail, Result};
use std::path::{Path, PathBuf};

/// A flag given on the command line: its name and, for flags that take one, its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<PathBuf>,
}

/// Parse `args` against the flags that take a value and the bare switches. `Ok(None)` means
/// `--help` was asked for.
pub fn parse(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Option<Vec<Flag>>> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(None);
        }
        if with_value.contains(&name) {
            let text = match inline {
                Some(text) => text,
                None => iter
                    .next()
                    .cloned()
                    .ok_or_else(|| anyhow!("{name} needs a value"))?,
            };
            if text.is_empty() {
                bail!("{name} needs a non-empty value");
            }
            out.push(Flag {
                name: name.to_string(),
                value: Some(PathBuf::from(text)),
            });
        } else if switches.contains(&name) && inline.is_none() {
            out.push(Flag {
                name: name.to_string(),
                value: None,
            });
        } else {
            bail!("unknown argument `{arg}`");
        }
    }
    Ok(Some(out))
}

/// The path made absolute (and canonical when it exists, so messages show no `..`).
pub fn absolute(path: &Path) -> Result<PathBuf> {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return Ok(canonical);
    }
    std::path::absolute(path).map_err(|e| anyhow!("cannot resolve {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_inline_or_next_switches_bare_help_wins() {
        let f = parse(
            &strings(&["--json=/a", "--cache", "/c", "--no-fetch"]),
            &["--json", "--cache"],
            &["--no-fetch"],
        )
        .unwrap()
        .unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].value.as_deref(), Some(Path::new("/c")));
        assert_eq!(f[2].value, None);
        assert_eq!(
            parse(&strings(&["--no-fetch", "-h"]), &[], &["--no-fetch"]).unwrap(),
            None
        );
        assert!(parse(&strings(&["--json"]), &["--json"], &[]).is_err());
        assert!(parse(&strings(&["--json="]), &["--json"], &[]).is_err());
        assert!(parse(&strings(&["--no-fetch=yes"]), &[], &["--no-fetch"]).is_err());
        assert!(parse(&strings(&["extra"]), &[], &[]).is_err());
    }
}
