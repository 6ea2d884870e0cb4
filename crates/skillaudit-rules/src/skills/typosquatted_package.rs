use super::{skill_code, skills};
use crate::project::line_of;
use crate::{declare_rule, Draft, Findings, Project, Rule, RuleMeta};
use regex::Regex;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it finds
    /// A package a skill installs (`pip install`, `uv add`, `poetry add`, `npm install`, `npx`,
    /// `yarn add`, `pnpm add`, `bun add`, in its instructions or scripts, and the lines of a
    /// `requirements.txt` in its folder) whose name is one edit away from a widely used package
    /// but is not that package: a letter swapped, doubled, dropped or replaced (`reqeusts`,
    /// `requestss`, `requets`), or a separator changed or added to the name of a well-known
    /// package (`python_dateutil` is fine, `python-dateutils` is not). Decided from the names
    /// alone, against a built-in list of the most installed PyPI and npm packages; names on the
    /// list themselves are never reported.
    ///
    /// ## Why it matters
    /// A skill is instructions the agent follows with the user's permissions; one install
    /// command with a look-alike name runs the attacker's install script on the user's machine.
    /// Typosquats of the most installed packages are the commonest form of registry malware.
    ///
    /// ## Vulnerable example
    /// ```bash
    /// pip install reqeusts beautifulsoup4
    /// ```
    ///
    /// ## Fixed example
    /// ```bash
    /// pip install requests beautifulsoup4
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/1357.html
    /// - https://attack.mitre.org/techniques/T1195/001/
    pub struct TyposquattedPackage {
        code: "SKILL-008",
        name: "typosquatted-package",
        axis: Security,
        severity: High,
        cwe: Some("CWE-1357"),
    }
}

/// Widely used packages (PyPI and npm) whose look-alikes are reported.
const POPULAR: &[&str] = &[
    // PyPI
    "requests",
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "seaborn",
    "scikit-learn",
    "sklearn",
    "tensorflow",
    "torch",
    "torchvision",
    "keras",
    "transformers",
    "datasets",
    "tokenizers",
    "openai",
    "anthropic",
    "langchain",
    "llama-index",
    "tiktoken",
    "pydantic",
    "fastapi",
    "flask",
    "django",
    "uvicorn",
    "gunicorn",
    "starlette",
    "httpx",
    "aiohttp",
    "urllib3",
    "certifi",
    "idna",
    "charset-normalizer",
    "chardet",
    "beautifulsoup4",
    "bs4",
    "lxml",
    "selenium",
    "playwright",
    "scrapy",
    "pillow",
    "opencv-python",
    "boto3",
    "botocore",
    "awscli",
    "google-cloud-storage",
    "azure-storage-blob",
    "pyyaml",
    "toml",
    "tomli",
    "python-dotenv",
    "python-dateutil",
    "pytz",
    "six",
    "setuptools",
    "wheel",
    "pip",
    "virtualenv",
    "pytest",
    "coverage",
    "tox",
    "black",
    "flake8",
    "pylint",
    "mypy",
    "ruff",
    "isort",
    "click",
    "typer",
    "rich",
    "tqdm",
    "colorama",
    "jinja2",
    "markupsafe",
    "sqlalchemy",
    "psycopg2",
    "psycopg2-binary",
    "pymysql",
    "pymongo",
    "redis",
    "celery",
    "cryptography",
    "pyjwt",
    "paramiko",
    "bcrypt",
    "jsonschema",
    "attrs",
    "packaging",
    "docker",
    "kubernetes",
    "networkx",
    "sympy",
    "statsmodels",
    "xgboost",
    "lightgbm",
    "plotly",
    "dash",
    "streamlit",
    "gradio",
    "biopython",
    "rdkit",
    "nltk",
    "spacy",
    "gensim",
    "openpyxl",
    "xlrd",
    "pypdf",
    "pypdf2",
    "reportlab",
    "markdown",
    "websockets",
    "grpcio",
    "protobuf",
    "mcp",
    "fastmcp",
    // npm
    "react",
    "react-dom",
    "vue",
    "angular",
    "svelte",
    "next",
    "express",
    "koa",
    "fastify",
    "axios",
    "node-fetch",
    "lodash",
    "underscore",
    "moment",
    "dayjs",
    "chalk",
    "commander",
    "yargs",
    "debug",
    "dotenv",
    "uuid",
    "typescript",
    "webpack",
    "vite",
    "rollup",
    "esbuild",
    "babel-core",
    "eslint",
    "prettier",
    "jest",
    "mocha",
    "chai",
    "nodemon",
    "ts-node",
    "tailwindcss",
    "postcss",
    "autoprefixer",
    "sass",
    "jquery",
    "bootstrap",
    "socket.io",
    "ws",
    "mongoose",
    "sequelize",
    "prisma",
    "pg",
    "mysql",
    "mysql2",
    "sqlite3",
    "redis",
    "ioredis",
    "jsonwebtoken",
    "bcryptjs",
    "cors",
    "body-parser",
    "cookie-parser",
    "multer",
    "nodemailer",
    "puppeteer",
    "cheerio",
    "zod",
    "yup",
    "rxjs",
    "graphql",
    "apollo-server",
    "electron",
    "cross-env",
    "rimraf",
    "glob",
    "minimist",
    "semver",
    "colors",
    "request",
    "async",
    "bluebird",
    "inquirer",
    "ora",
    "execa",
    "fs-extra",
    "classnames",
    "prop-types",
    "redux",
    "openai",
    "@anthropic-ai/sdk",
    "@modelcontextprotocol/sdk",
];

/// Real packages one edit away from a popular one: not look-alikes.
const DISTINCT: &[&str] = &[
    "scapy",
    "dask",
    "pyaml",
    "attr",
    "jinja",
    "glob2",
    "numba",
    "boto",
    "markdown2",
    "simpy",
    "redux",
    "nest",
    "tomli-w",
    "yaml",
    "pipe",
    "colour",
    "request",
];

/// Install commands and the package names after them.
static INSTALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:\b(?:pip3?|python3? -m pip|uv pip|pipx|poetry|uv|npm|pnpm|yarn|bun)\s+(?:install|add|i)\b|\bnpx(?:\s+--?y(?:es)?)?\b)([^\n;&|`#]*)",
    )
    .ok()
});

/// The edit that makes `name` from `popular`, when it is one edit (insertion, deletion,
/// substitution, transposition of neighbours) and the names are long enough for a typo to be
/// a choice rather than a coincidence.
fn one_edit(name: &str, popular: &str) -> bool {
    // Four-letter names are one edit away from ordinary words (`jest`, `test`, `best`).
    if name == popular || popular.len() < 5 {
        return false;
    }
    let a: Vec<char> = name.chars().collect();
    let b: Vec<char> = popular.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix = ra
        .iter()
        .rev()
        .zip(rb.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&ra[..ra.len() - suffix], &rb[..rb.len() - suffix]);
    match (ma.len(), mb.len()) {
        (0, 1) | (1, 0) | (1, 1) => true,
        (2, 2) => ma[0] == mb[1] && ma[1] == mb[0],
        _ => false,
    }
}

/// `name` normalised the way registries compare names (case, `_` and `.` as `-`).
fn normal(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The popular package `name` imitates, if any.
fn imitates(name: &str) -> Option<&'static str> {
    let n = normal(name);
    if n.len() < 4 || POPULAR.iter().chain(DISTINCT).any(|p| normal(p) == n) {
        return None;
    }
    POPULAR
        .iter()
        .copied()
        .find(|p| one_edit(&n, &normal(p)) || n.replace('-', "") == normal(p).replace('-', ""))
}

/// Package names in the arguments of an install command: options and their values, versions,
/// paths and URLs skipped.
fn package_names(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in args.split_whitespace().take(40) {
        let w = word.trim_matches(|c| c == '"' || c == '\'' || c == ',' || c == '\\');
        if w.is_empty() || w.starts_with('-') || w.contains('/') && !w.starts_with('@') {
            continue;
        }
        if w.contains("://")
            || w.starts_with('.')
            || w.contains('$')
            || w.contains('=') && w.starts_with('=')
        {
            continue;
        }
        let name = w
            .split(['=', '<', '>', '~', '!', '[', ';'])
            .next()
            .unwrap_or("");
        // npm `name@version` (a scoped name keeps its leading `@`).
        let name = match name.strip_prefix('@') {
            Some(rest) => match rest.split_once('@') {
                Some((n, _)) => &name[..n.len() + 1],
                None => name,
            },
            None => name.split('@').next().unwrap_or(""),
        };
        if name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '/'))
            && name.chars().any(|c| c.is_ascii_alphabetic())
        {
            out.push(name);
        }
    }
    out
}

impl Rule for TyposquattedPackage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let Some(install) = INSTALL.as_ref() else {
            return;
        };
        for skill in skills(project) {
            let mut files = skill_code(project, &skill);
            files.extend(project.text_files().filter(|(f, _)| {
                f.path.starts_with(&skill.dir)
                    && super::is_runtime_skill(f)
                    && f.name().eq_ignore_ascii_case("requirements.txt")
            }));
            for (file, text) in files {
                let requirements = file.name().eq_ignore_ascii_case("requirements.txt");
                let mut seen: Vec<String> = Vec::new();
                let mut candidates: Vec<(usize, &str)> = Vec::new();
                if requirements {
                    let mut off = 0;
                    for line in text.split_inclusive('\n').take(2000) {
                        let l = line.split('#').next().unwrap_or("").trim();
                        if !l.is_empty() && !l.starts_with('-') {
                            candidates
                                .extend(package_names(l).into_iter().take(1).map(|n| (off, n)));
                        }
                        off += line.len();
                    }
                } else {
                    for caps in install.captures_iter(text).take(500) {
                        let (Some(all), Some(args)) = (caps.get(0), caps.get(1)) else {
                            continue;
                        };
                        candidates.extend(
                            package_names(args.as_str())
                                .into_iter()
                                .map(|n| (all.start(), n)),
                        );
                    }
                }
                for (off, name) in candidates {
                    let Some(popular) = imitates(name) else {
                        continue;
                    };
                    if seen.iter().any(|s| s == name) {
                        continue;
                    }
                    seen.push(name.to_string());
                    let line = line_of(text, off);
                    let mut draft = Draft::new(format!(
                        "skill file `{}` installs `{name}`, one edit away from the widely used package `{popular}`",
                        file.name()
                    ))
                    .at(&file.path, Some(line))
                    .evidence(crate::project::line_text(text, line, 160).unwrap_or_default())
                    .fix(format!("install `{popular}` if that is what is meant; otherwise check who publishes `{name}` before running it"));
                    draft.surface = Some(skillaudit_core::Surface::Runtime);
                    out.report(draft);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_of_popular_packages() {
        for (name, popular) in [
            ("reqeusts", "requests"),
            ("requestss", "requests"),
            ("requets", "requests"),
            ("numpyy", "numpy"),
            ("python-dateutils", "python-dateutil"),
            ("expresss", "express"),
            ("loadsh", "lodash"),
        ] {
            assert_eq!(imitates(name), Some(popular), "{name}");
        }
        for name in [
            "requests",
            "Requests",
            "python_dateutil",
            "pandas",
            "flask-cors",
            "zod",
            "reactive",
            "pytest-cov",
            "scapy",
            "test",
        ] {
            assert_eq!(imitates(name), None, "{name}");
        }
    }

    #[test]
    fn names_from_install_commands() {
        assert_eq!(
            package_names("reqeusts==2.31 -U --index-url https://x.example/simple numpy[extra]"),
            vec!["reqeusts", "numpy"]
        );
        assert_eq!(
            package_names("@scope/pkg@1.2.3 lodash@4 ./local"),
            vec!["@scope/pkg", "lodash"]
        );
    }
}
