//! What the analysis knows about APIs: which calls are sinks (and which argument reaches them),
//! which calls sanitise or convert a value, and which programs are dangerous to hand user-chosen
//! arguments. Keyed by the resolved API name (`child_process.exec`, `subprocess.run`, `*.query`
//! for a method on an unknown receiver), never by a package, file or line of an audited project.

use crate::taint::Guards;

/// The kind of dangerous operation a value reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SinkKind {
    /// A shell command line.
    Shell,
    /// An element of a program's argument vector (no shell).
    Argv,
    /// The program (command) a process is started with.
    Program,
    /// A file-system path.
    FileAccess,
    /// A containment check by string prefix with no separator.
    WeakPrefix,
    /// An error handler that falls back to a weaker check after a failed containment check.
    CatchFallback,
    /// The URL (or host) of an outbound request.
    Fetch,
    /// The relative part of a URL joined onto a base URL.
    UrlJoin,
    /// SQL text.
    Sql,
    /// Code evaluated at run time.
    Eval,
    /// Bytes deserialised by an unsafe loader (pickle, yaml.load, marshal).
    Deserialize,
    /// A module name imported at run time.
    DynamicImport,
    /// HTML served to a browser.
    Html,
    /// A URL navigated to / opened by the OS or a browser.
    Navigate,
    /// A size, count or duration.
    Size,
    /// A stack trace returned in a tool result.
    StackTrace,
    /// Raw exception text returned in a tool result.
    ErrorText,
    /// Text written to a log or the console (only secrets are followed here).
    Log,
    /// A value handed back to the model or the client: a tool result or a thrown error's
    /// message (only secrets are followed here).
    ToolResult,
    /// The name of the environment variable read (`process.env[name]`).
    EnvName,
    /// A credential read from the environment inside a tool handler.
    EnvInHandler,
    /// A tool call's whole arguments object written to a log.
    ArgumentsLogged,
    /// Data sent out of the machine: every argument of an outbound request, a socket or mail
    /// send, a DNS lookup (followed for the behaviour rules).
    NetworkSend,
    /// A path created, written, appended to, linked or re-permissioned.
    FileWrite,
    /// A path deleted.
    FileDelete,
    /// A format string (`fmt.format(**values)`): its replacement fields read attributes and
    /// items of the objects passed (`{0.__class__.__init__.__globals__}`).
    FormatString,
    /// An archive extracted whole with no member filter (`tarfile…extractall()`): the value is
    /// the archive, whose entry names decide where files are written.
    ArchiveExtract,
    /// The filter (or update) document of a document-database query (`collection.find(q)`,
    /// `Model.findOne(q)`): operators in it (`$ne`, `$gt`, `$regex`) change what matches.
    NoSqlFilter,
}

impl SinkKind {
    /// Guards that make a flow into this sink safe.
    pub fn sanitised_by(self) -> Guards {
        let common = Guards::ALLOWLIST
            .union(Guards::VALIDATED)
            .union(Guards::VALIDATED_TEXT)
            .union(Guards::NUMERIC);
        match self {
            SinkKind::Shell => common.union(Guards::SHELL_QUOTED),
            // Text checked to safe characters may still begin with `-`: an option.
            SinkKind::Argv => Guards::ALLOWLIST
                .union(Guards::VALIDATED)
                .union(Guards::NUMERIC)
                .union(Guards::DASH_CHECKED),
            SinkKind::Program => common,
            SinkKind::FileAccess => common.union(Guards::CONTAINED),
            SinkKind::Fetch | SinkKind::UrlJoin => {
                common.union(Guards::URL_CHECKED).union(Guards::URL_ENCODED)
            }
            SinkKind::Sql => common.union(Guards::SQL_ESCAPED),
            SinkKind::Eval | SinkKind::Deserialize | SinkKind::DynamicImport => common,
            SinkKind::Html => common
                .union(Guards::HTML_ESCAPED)
                .union(Guards::URL_ENCODED),
            SinkKind::Navigate => common.union(Guards::URL_CHECKED),
            SinkKind::Size => Guards::BOUNDED.union(Guards::ALLOWLIST),
            SinkKind::WeakPrefix
            | SinkKind::CatchFallback
            | SinkKind::StackTrace
            | SinkKind::ErrorText
            | SinkKind::Log
            | SinkKind::ToolResult
            | SinkKind::EnvInHandler
            | SinkKind::ArgumentsLogged
            | SinkKind::NetworkSend
            | SinkKind::FileWrite
            | SinkKind::FileDelete => Guards::NONE,
            SinkKind::EnvName | SinkKind::FormatString => common,
            // An archive picked from a fixed list is the package's own; any other is whoever
            // made it, whatever its own path was checked for.
            SinkKind::ArchiveExtract => Guards::ALLOWLIST,
            // A document checked field by field (a schema, a type check of each value).
            SinkKind::NoSqlFilter => Guards::ALLOWLIST.union(Guards::VALIDATED),
        }
    }
}

/// Which arguments of a sink call carry the dangerous value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinkArg {
    /// Positional argument i (or the keyword `kw` in Python).
    At(usize, &'static str),
    /// Every argument.
    All,
    /// The receiver of a method call (`Path(p).read_text()`).
    Receiver,
    /// Process spawn: program in argument 0, argv in argument 1, options in argument 2.
    Spawn,
    /// Python subprocess: a list or string in argument 0, `shell=` keyword.
    Subprocess,
    /// An options object with a field (`axios({url})`, `StdioClientTransport({command})`).
    Field(usize, &'static str),
}

pub struct SinkSpec {
    pub kind: SinkKind,
    pub arg: SinkArg,
}

const fn s(kind: SinkKind, arg: SinkArg) -> SinkSpec {
    SinkSpec { kind, arg }
}

use SinkArg::*;
use SinkKind::*;

/// Exact API names.
const EXACT: &[(&str, SinkSpec)] = &[
    // JavaScript: processes
    ("child_process.exec", s(Shell, At(0, ""))),
    ("child_process.execSync", s(Shell, At(0, ""))),
    ("child_process.spawn", s(Argv, Spawn)),
    ("child_process.spawnSync", s(Argv, Spawn)),
    ("child_process.execFile", s(Argv, Spawn)),
    ("child_process.execFileSync", s(Argv, Spawn)),
    ("child_process.fork", s(Argv, Spawn)),
    ("execa.execa", s(Argv, Spawn)),
    ("execa.default", s(Argv, Spawn)),
    ("execa", s(Argv, Spawn)),
    ("execa.execaSync", s(Argv, Spawn)),
    ("execa.execaCommand", s(Shell, At(0, ""))),
    ("execa.execaCommandSync", s(Shell, At(0, ""))),
    ("cross-spawn", s(Argv, Spawn)),
    ("cross-spawn.default", s(Argv, Spawn)),
    ("cross-spawn.sync", s(Argv, Spawn)),
    ("shelljs.exec", s(Shell, At(0, ""))),
    (
        "@modelcontextprotocol/sdk/client/stdio.js.StdioClientTransport",
        s(Program, Field(0, "command")),
    ),
    (
        "@modelcontextprotocol/sdk/client/stdio.StdioClientTransport",
        s(Program, Field(0, "command")),
    ),
    // JavaScript: code
    ("eval", s(Eval, At(0, ""))),
    ("Function", s(Eval, All)),
    ("vm.runInNewContext", s(Eval, At(0, ""))),
    ("vm.runInThisContext", s(Eval, At(0, ""))),
    ("vm.runInContext", s(Eval, At(0, ""))),
    ("vm.Script", s(Eval, At(0, ""))),
    ("vm.compileFunction", s(Eval, At(0, ""))),
    ("ejs.render", s(Eval, At(0, ""))),
    ("ejs.compile", s(Eval, At(0, ""))),
    ("handlebars.compile", s(Eval, At(0, ""))),
    ("handlebars.default.compile", s(Eval, At(0, ""))),
    ("pug.compile", s(Eval, At(0, ""))),
    ("pug.render", s(Eval, At(0, ""))),
    ("nunjucks.renderString", s(Eval, At(0, ""))),
    ("lodash.template", s(Eval, At(0, ""))),
    ("lodash.default.template", s(Eval, At(0, ""))),
    ("doT.template", s(Eval, At(0, ""))),
    ("require", s(DynamicImport, At(0, ""))),
    ("import", s(DynamicImport, At(0, ""))),
    // JavaScript: network
    ("fetch", s(Fetch, At(0, ""))),
    ("node-fetch", s(Fetch, At(0, ""))),
    ("node-fetch.default", s(Fetch, At(0, ""))),
    ("undici.fetch", s(Fetch, At(0, ""))),
    ("undici.request", s(Fetch, At(0, ""))),
    ("axios", s(Fetch, At(0, ""))),
    ("axios.default", s(Fetch, At(0, ""))),
    ("got", s(Fetch, At(0, ""))),
    ("got.default", s(Fetch, At(0, ""))),
    ("http.request", s(Fetch, At(0, ""))),
    ("http.get", s(Fetch, At(0, ""))),
    ("https.request", s(Fetch, At(0, ""))),
    ("https.get", s(Fetch, At(0, ""))),
    ("URL", s(UrlJoin, At(0, ""))),
    // JavaScript: browser / OS navigation
    ("window.open", s(Navigate, At(0, ""))),
    ("location.assign", s(Navigate, At(0, ""))),
    ("location.replace", s(Navigate, At(0, ""))),
    ("window.location.assign", s(Navigate, At(0, ""))),
    ("window.location.replace", s(Navigate, At(0, ""))),
    ("open", s(Navigate, At(0, ""))),
    ("open.default", s(Navigate, At(0, ""))),
    ("document.write", s(Html, All)),
    // Python: processes
    ("os.system", s(Shell, At(0, "command"))),
    ("os.popen", s(Shell, At(0, "cmd"))),
    ("subprocess.getoutput", s(Shell, At(0, "cmd"))),
    ("subprocess.getstatusoutput", s(Shell, At(0, "cmd"))),
    ("commands.getoutput", s(Shell, At(0, "cmd"))),
    ("asyncio.create_subprocess_shell", s(Shell, At(0, "cmd"))),
    ("subprocess.run", s(Argv, Subprocess)),
    ("subprocess.call", s(Argv, Subprocess)),
    ("subprocess.check_call", s(Argv, Subprocess)),
    ("subprocess.check_output", s(Argv, Subprocess)),
    ("subprocess.Popen", s(Argv, Subprocess)),
    ("asyncio.create_subprocess_exec", s(Argv, All)),
    ("os.execv", s(Argv, All)),
    ("os.execvp", s(Argv, All)),
    ("os.spawnv", s(Argv, All)),
    // Python: code
    ("exec", s(Eval, At(0, "source"))),
    ("compile", s(Eval, At(0, "source"))),
    ("pickle.loads", s(Deserialize, At(0, "data"))),
    ("pickle.load", s(Deserialize, At(0, "file"))),
    ("dill.loads", s(Deserialize, At(0, ""))),
    ("marshal.loads", s(Deserialize, At(0, ""))),
    ("yaml.unsafe_load", s(Deserialize, At(0, "stream"))),
    ("__import__", s(DynamicImport, At(0, "name"))),
    ("importlib.import_module", s(DynamicImport, At(0, "name"))),
    ("jinja2.Template", s(Eval, At(0, "source"))),
    // Template engines whose templates are code (server-side template injection).
    ("jinja2.Environment().from_string", s(Eval, At(0, "source"))),
    (
        "jinja2.sandbox.SandboxedEnvironment().from_string",
        s(Eval, At(0, "source")),
    ),
    ("mako.template.Template", s(Eval, At(0, "text"))),
    ("Cheetah.Template.Template", s(Eval, At(0, "source"))),
    (
        "tornado.template.Template",
        s(Eval, At(0, "template_string")),
    ),
    (
        "django.template.Template",
        s(Eval, At(0, "template_string")),
    ),
    ("runpy.run_path", s(Eval, At(0, "path_name"))),
    ("runpy.run_module", s(DynamicImport, At(0, "mod_name"))),
    (
        "importlib.util.spec_from_file_location",
        s(DynamicImport, At(1, "location")),
    ),
    ("imp.load_source", s(DynamicImport, At(1, "pathname"))),
    // Python: files
    ("io.open", s(FileAccess, At(0, "file"))),
    ("aiofiles.open", s(FileAccess, At(0, "file"))),
    ("os.remove", s(FileAccess, At(0, "path"))),
    ("os.unlink", s(FileAccess, At(0, "path"))),
    ("os.rmdir", s(FileAccess, At(0, "path"))),
    ("os.makedirs", s(FileAccess, At(0, "name"))),
    ("os.mkdir", s(FileAccess, At(0, "path"))),
    ("os.listdir", s(FileAccess, At(0, "path"))),
    ("os.scandir", s(FileAccess, At(0, "path"))),
    ("os.walk", s(FileAccess, At(0, "top"))),
    ("os.chmod", s(FileAccess, At(0, "path"))),
    ("os.rename", s(FileAccess, All)),
    ("os.replace", s(FileAccess, All)),
    ("shutil.rmtree", s(FileAccess, At(0, "path"))),
    ("shutil.copy", s(FileAccess, All)),
    ("shutil.copyfile", s(FileAccess, All)),
    ("shutil.copytree", s(FileAccess, All)),
    ("shutil.move", s(FileAccess, All)),
    // Archives opened and unpacked: the path read, and where the members are written.
    ("shutil.unpack_archive", s(FileAccess, All)),
    ("zipfile.ZipFile", s(FileAccess, At(0, "file"))),
    ("tarfile.open", s(FileAccess, At(0, "name"))),
    ("tarfile.TarFile", s(FileAccess, At(0, "name"))),
    ("gzip.open", s(FileAccess, At(0, "filename"))),
    ("bz2.open", s(FileAccess, At(0, "filename"))),
    ("lzma.open", s(FileAccess, At(0, "filename"))),
    ("git.Repo", s(FileAccess, At(0, "path"))),
    ("git.Repo.init", s(FileAccess, At(0, "path"))),
    ("git.Repo.clone_from", s(Fetch, At(0, "url"))),
    ("git.Repo().index.add", s(FileAccess, At(0, "items"))),
    ("git.Repo().index.remove", s(FileAccess, At(0, "items"))),
    // Python: network
    ("requests.get", s(Fetch, At(0, "url"))),
    ("requests.post", s(Fetch, At(0, "url"))),
    ("requests.put", s(Fetch, At(0, "url"))),
    ("requests.patch", s(Fetch, At(0, "url"))),
    ("requests.delete", s(Fetch, At(0, "url"))),
    ("requests.head", s(Fetch, At(0, "url"))),
    ("requests.request", s(Fetch, At(1, "url"))),
    ("httpx.get", s(Fetch, At(0, "url"))),
    ("httpx.post", s(Fetch, At(0, "url"))),
    ("httpx.put", s(Fetch, At(0, "url"))),
    ("httpx.delete", s(Fetch, At(0, "url"))),
    ("httpx.request", s(Fetch, At(1, "url"))),
    ("httpx.stream", s(Fetch, At(1, "url"))),
    ("urllib.request.urlopen", s(Fetch, At(0, "url"))),
    ("urllib.request.Request", s(Fetch, At(0, "url"))),
    ("urllib.parse.urljoin", s(UrlJoin, At(1, "url"))),
    ("urljoin", s(UrlJoin, At(1, "url"))),
    ("webbrowser.open", s(Navigate, At(0, "url"))),
    ("webbrowser.open_new", s(Navigate, At(0, "url"))),
    ("webbrowser.open_new_tab", s(Navigate, At(0, "url"))),
    ("os.startfile", s(Navigate, At(0, "filepath"))),
    (
        "starlette.responses.HTMLResponse",
        s(Html, At(0, "content")),
    ),
    ("fastapi.responses.HTMLResponse", s(Html, At(0, "content"))),
    ("sqlalchemy.text", s(Sql, At(0, "text"))),
    ("pandas.read_sql", s(Sql, At(0, "sql"))),
    // sizes
    ("Buffer.alloc", s(Size, At(0, ""))),
    ("Buffer.allocUnsafe", s(Size, At(0, ""))),
    ("Array", s(Size, At(0, ""))),
    ("setTimeout", s(Size, At(1, ""))),
    ("time.sleep", s(Size, At(0, "secs"))),
    ("asyncio.sleep", s(Size, At(0, "delay"))),
    ("range", s(Size, All)),
];

/// Suffixes of API names: files and HTTP clients reached through module objects
/// (`fs.readFile`, `fs.promises.readFile`, `fs/promises.readFile`, `httpx.AsyncClient().get`).
const FS_METHODS: &[&str] = &[
    "readFile",
    "readFileSync",
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "unlink",
    "unlinkSync",
    "rm",
    "rmSync",
    "rmdir",
    "rmdirSync",
    "mkdir",
    "mkdirSync",
    "readdir",
    "readdirSync",
    "stat",
    "statSync",
    "lstat",
    "lstatSync",
    "createReadStream",
    "createWriteStream",
    "copyFile",
    "copyFileSync",
    "cp",
    "cpSync",
    "rename",
    "renameSync",
    "symlink",
    "symlinkSync",
    "chmod",
    "chmodSync",
    "open",
    "openSync",
    "opendir",
    "truncate",
    "outputFile",
    "readJson",
    "writeJson",
    "remove",
    "ensureDir",
    "move",
    "copy",
    "utimes",
];

const HTTP_CLIENT_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "request",
    "stream",
    "fetch",
    "build_request",
];

/// Receivers whose `.query` / `.execute` / `.exec` are database calls.
fn looks_like_db(receiver: &str) -> bool {
    let last = receiver
        .rsplit('.')
        .next()
        .unwrap_or(receiver)
        .to_ascii_lowercase();
    [
        "db",
        "database",
        "conn",
        "connection",
        "client",
        "pool",
        "cursor",
        "cur",
        "sql",
        "knex",
        "sequelize",
        "prisma",
        "session",
        "tx",
        "trx",
        "sqlite",
        "pg",
        "mysql",
        "duckdb",
        "engine",
    ]
    .iter()
    .any(|k| last == *k || last.ends_with(k) || last.starts_with(k))
}

/// The sink a resolved API name is, if any. `receiver` is the dotted text of the receiver for
/// methods on values the analysis could not resolve (`cursor` in `cursor.execute`).
pub fn sink_for(qual: &str, receiver: Option<&str>) -> Option<SinkSpec> {
    let qual = qual.strip_prefix("node:").unwrap_or(qual);
    // curl_cffi and niquests keep the requests API (`curl_cffi.requests.get`,
    // `curl_cffi.requests.AsyncSession().get`, `niquests.Session().post`).
    let renamed;
    let qual = match ["curl_cffi.requests.", "curl_cffi.", "niquests."]
        .iter()
        .find_map(|p| qual.strip_prefix(p))
    {
        Some(rest) => {
            renamed = format!("requests.{rest}");
            renamed.as_str()
        }
        None => qual,
    };
    if let Some((_, spec)) = EXACT.iter().find(|(q, _)| *q == qual) {
        return Some(SinkSpec {
            kind: spec.kind,
            arg: spec.arg,
        });
    }
    if qual == "print" {
        return Some(s(Log, All));
    }
    let (base, method) = qual.rsplit_once('.')?;
    let base = base.strip_prefix("node:").unwrap_or(base);
    // console.log(…), logger.info(…), logging.warning(…), log.error(…), process.stdout.write(…)
    let last = base
        .rsplit('.')
        .next()
        .unwrap_or(base)
        .trim_end_matches("()")
        .to_ascii_lowercase();
    let logger = matches!(
        last.as_str(),
        "console" | "logging" | "logger" | "log" | "_logger" | "_log"
    ) || last.ends_with("logger");
    // `logging.getLogger(__name__).info(…)`: `last` is `getlogger`, ends with "logger".
    if (logger
        && matches!(
            method,
            "log"
                | "info"
                | "warn"
                | "warning"
                | "error"
                | "debug"
                | "trace"
                | "exception"
                | "critical"
                | "fatal"
        ))
        || (matches!(
            base,
            "process.stdout" | "process.stderr" | "sys.stdout" | "sys.stderr"
        ) && method == "write")
    {
        return Some(s(Log, All));
    }
    // file system modules
    if matches!(
        base,
        "fs" | "fs.promises"
            | "fs/promises"
            | "fs-extra"
            | "fs-extra.default"
            | "fs.default"
            | "graceful-fs"
    ) && FS_METHODS.contains(&method)
    {
        let arg = if matches!(
            method,
            "copyFile"
                | "copyFileSync"
                | "cp"
                | "cpSync"
                | "rename"
                | "renameSync"
                | "symlink"
                | "symlinkSync"
                | "move"
                | "copy"
        ) {
            All
        } else {
            At(0, "")
        };
        return Some(s(FileAccess, arg));
    }
    // axios.get(url), got.post(url) …
    if matches!(
        base,
        "axios"
            | "axios.default"
            | "got"
            | "got.default"
            | "ky"
            | "ky.default"
            | "superagent"
            | "needle"
    ) && HTTP_CLIENT_METHODS.contains(&method)
    {
        return Some(s(Fetch, At(0, "")));
    }
    // HTTP client instances: httpx.AsyncClient().get, requests.Session().post, aiohttp.ClientSession().get
    if (base.starts_with("httpx.")
        || base.starts_with("requests.")
        || base.starts_with("aiohttp.")
        || base.starts_with("axios.create"))
        && base.ends_with("()")
        && HTTP_CLIENT_METHODS.contains(&method)
    {
        let arg = if matches!(method, "request" | "stream" | "build_request") {
            At(1, "url")
        } else {
            At(0, "url")
        };
        return Some(s(Fetch, arg));
    }
    // node-sqlite3 and better-sqlite3 handles: `new sqlite3.Database(f).all(sql, …)`,
    // `new Database(f).prepare(sql)`.
    if (base.starts_with("sqlite3.")
        || base.starts_with("better-sqlite3")
        || base.starts_with("bun:sqlite"))
        && base.ends_with("()")
        && matches!(
            method,
            "all" | "run" | "get" | "exec" | "each" | "prepare" | "query" | "iterate"
        )
    {
        return Some(s(Sql, At(0, "sql")));
    }
    // GitPython: repo.git.<command>(…) runs `git <command> …`.
    if base.starts_with("git.Repo()") && base.ends_with(".git") {
        return Some(s(Argv, All));
    }
    // yaml.load without a safe loader is checked by the caller (needs keyword arguments).
    if qual == "yaml.load" || qual == "yaml.load_all" {
        return Some(s(Deserialize, At(0, "stream")));
    }
    // pathlib: Path(p).read_text() …
    if base.ends_with("Path()") || base.starts_with("pathlib.Path") {
        if matches!(
            method,
            "read_text"
                | "write_text"
                | "read_bytes"
                | "write_bytes"
                | "unlink"
                | "rmdir"
                | "mkdir"
                | "iterdir"
                | "open"
                | "touch"
                | "rename"
                | "glob"
                | "rglob"
        ) {
            return Some(s(FileAccess, Receiver));
        }
        return None;
    }
    // Methods on receivers the analysis could not resolve, or on database objects.
    if base == "*" || base.ends_with("()") || looks_like_db(base) {
        let recv = receiver.unwrap_or("");
        // A client of a code sandbox, a notebook kernel or an interpreter (`CodeSandboxClient()
        // .execute(code)`, `kernel.execute(code)`): what it executes is code, not SQL.
        let typed = base.to_ascii_lowercase();
        if ["sandbox", "kernel", "interpreter", "notebook"]
            .iter()
            .any(|k| typed.contains(k))
        {
            return None;
        }
        return match method {
            "query" | "execute" | "executemany" | "executescript" | "raw" | "prepare" | "exec"
            | "fetch" | "fetchrow" | "fetchval" | "fetchall_sql" | "run"
                if looks_like_db(recv) && !recv.is_empty() =>
            {
                if method == "run" && !recv.to_ascii_lowercase().contains("db") {
                    None
                } else {
                    Some(s(Sql, At(0, "query")))
                }
            }
            "$queryRawUnsafe" | "$executeRawUnsafe" => Some(s(Sql, At(0, ""))),
            "goto" if recv.to_ascii_lowercase().contains("page") => Some(s(Fetch, At(0, ""))),
            "innerHTML" => None,
            "repeat" => Some(s(Size, At(0, ""))),
            _ => None,
        };
    }
    None
}

/// Programs whose argument vectors accept options that change what they do (`--upload-pack`,
/// `--server=`, `-o ProxyCommand`, `--output`): a user-chosen element that may start with `-`
/// is argument injection.
pub fn is_option_sensitive_program(program: &str) -> bool {
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .trim_end_matches(".exe");
    matches!(
        name,
        "git"
            | "kubectl"
            | "helm"
            | "curl"
            | "wget"
            | "docker"
            | "podman"
            | "ssh"
            | "scp"
            | "rsync"
            | "tar"
            | "zip"
            | "unzip"
            | "find"
            | "grep"
            | "rg"
            | "sed"
            | "awk"
            | "gh"
            | "npm"
            | "npx"
            | "pip"
            | "yarn"
            | "pnpm"
            | "aws"
            | "gcloud"
            | "az"
            | "terraform"
            | "ffmpeg"
            | "convert"
            | "magick"
            | "openssl"
            | "psql"
            | "mysql"
            | "sqlite3"
            | "hg"
            | "svn"
            | "systemctl"
            | "journalctl"
            | "osascript"
            | "xargs"
            | "env"
            | "sudo"
            | "bash"
            | "sh"
            | "zsh"
            | "powershell"
            | "pwsh"
            | "cmd"
            | "node"
            | "python"
            | "python3"
            | "deno"
            | "bun"
            | "java"
            | "go"
            | "cargo"
            | "make"
            | "chmod"
            | "chown"
            | "cp"
            | "mv"
            | "rm"
            | "ln"
            | "nmap"
            | "dig"
            | "nslookup"
            | "ping"
            | "adb"
            | "kind"
            | "minikube"
            | "oc"
            | "istioctl"
            | "argocd"
            | "flux"
            | "vault"
            | "consul"
            | "nomad"
            | "pulumi"
            | "ansible"
            | "ansible-playbook"
            | "open"
            | "xdg-open"
            | "start"
    )
}

/// Shells: an argv of `[sh, -c, text]` is a shell command line.
pub fn is_shell_program(program: &str) -> bool {
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .trim_end_matches(".exe");
    matches!(
        name,
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "cmd" | "powershell" | "pwsh"
    )
}

/// A call that returns a sanitised / converted value: the guards it adds.
pub fn sanitiser_for(qual: &str) -> Option<Guards> {
    let last = qual.rsplit('.').next().unwrap_or(qual);
    let g = match qual {
        "shlex.quote" | "pipes.quote" | "shell-quote.quote" | "shlex.join" => Guards::SHELL_QUOTED,
        "encodeURIComponent"
        | "urllib.parse.quote"
        | "urllib.parse.quote_plus"
        | "urllib.parse.urlencode"
        | "quote"
        | "quote_plus"
        | "urlencode" => Guards::URL_ENCODED,
        "html.escape"
        | "markupsafe.escape"
        | "bleach.clean"
        | "DOMPurify.sanitize"
        | "dompurify.sanitize"
        | "he.encode"
        | "he.escape"
        | "escape-html"
        | "escape-html.default"
        | "lodash.escape"
        | "cgi.escape"
        | "xml.sax.saxutils.escape" => Guards::HTML_ESCAPED,
        "path.basename"
        | "path.extname"
        | "node:path.basename"
        | "node:path.extname"
        | "os.path.basename"
        | "werkzeug.utils.secure_filename"
        | "secure_filename" => Guards::CONTAINED.union(Guards::ONE_COMPONENT),
        "fs.realpath"
        | "fs.realpathSync"
        | "fs.promises.realpath"
        | "fs/promises.realpath"
        | "os.path.realpath" => Guards::RESOLVED,
        "parseInt" | "parseFloat" | "Number" | "Boolean" | "int" | "float" | "bool"
        | "Math.floor" | "Math.round" | "Math.ceil" | "Math.abs" | "Date" | "Date.parse"
        | "isNaN" | "Number.parseInt" | "Number.isInteger" | "hash" | "hashlib.sha256" => {
            Guards::NUMERIC
        }
        "Math.min" | "min" | "Math.max" | "max" | "clamp" => Guards::BOUNDED,
        // A length is bounded by the input it measures.
        "len" => Guards(Guards::NUMERIC.0 | Guards::BOUNDED.0),
        _ => {
            if let Some(g) = escaping_name(last) {
                g
            } else if last == "resolve"
                && !qual.starts_with("path.")
                && !qual.starts_with("node:path.")
            {
                // pathlib's Path.resolve() follows symlinks (Node's path.resolve does not).
                Guards::RESOLVED
            } else if qual.starts_with("*.") && last == "hexdigest" {
                // `h.hexdigest()`: a hash, hexadecimal digits that say nothing of the input.
                Guards::NUMERIC
            } else if qual.starts_with("*.") && last == "hex" {
                // `text.encode().hex()`: hexadecimal digits only, safe in a command or a path,
                // but the same text written another way (a secret encoded is still the secret).
                Guards::VALIDATED
            } else if is_validator_name(last) {
                Guards::VALIDATED
            } else {
                return None;
            }
        }
    };
    Some(g)
}

/// What a function named for escaping text does to it (`escapeHtml`, `shell_quote`,
/// `escapeIdentifier`, ClickHouse's `format_query_value`, MySQL's `escape_string`), whoever wrote it: the package's own helper of that name is read as
/// doing it, as a library's is.
pub fn escaping_name(name: &str) -> Option<Guards> {
    let lower = name.to_ascii_lowercase();
    if lower.contains("escapehtml")
        || lower.contains("escape_html")
        || lower == "sanitizehtml"
        || lower == "sanitize_html"
    {
        Some(Guards::HTML_ESCAPED)
    } else if lower.contains("shellescape")
        || lower.contains("shell_escape")
        || lower.contains("shellquote")
        || lower.contains("shell_quote")
        || lower == "escapeshellarg"
    {
        Some(Guards::SHELL_QUOTED)
    } else if lower == "escapeid"
        || lower == "escapeidentifier"
        || lower == "quote_ident"
        || lower == "escapeliteral"
        || lower == "quote_identifier"
        || lower == "quote_literal"
        || lower == "escape_literal"
        || lower == "escape_string"
        || lower == "format_query_value"
    {
        Some(Guards::SQL_ESCAPED)
    } else {
        None
    }
}

/// Text that reads as a folder a check could keep paths inside: absolute, home-relative or
/// explicitly relative, not a URL, and not already ending in a separator.
pub fn reads_as_folder(text: &str) -> bool {
    let t = text.trim();
    // (`//` opens a comment or a scheme-relative URL, not a folder.)
    if t.is_empty()
        || t.contains("://")
        || t.starts_with("//")
        || t.ends_with('/')
        || t.ends_with('\\')
    {
        return false;
    }
    let drive = t.len() >= 2 && t.as_bytes()[0].is_ascii_alphabetic() && t.as_bytes()[1] == b':';
    t.starts_with('/')
        || t.starts_with('~')
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with("\\\\")
        || drive
}

/// A SQLAlchemy expression-language construct or a call on one (`sqlalchemy.select().where`):
/// it binds the values it is given as parameters. `text`, `literal_column` and `literal`
/// take SQL text and are not builders.
pub fn is_sql_builder(qual: &str) -> bool {
    qual.starts_with("sqlalchemy.")
        && !qual.contains("sqlalchemy.text")
        && !qual.contains("sqlalchemy.sql.text")
        && !qual.contains("literal_column")
        && !qual.contains("sqlalchemy.literal")
        && !qual.starts_with("sqlalchemy.ext.asyncio")
        && !qual.starts_with("sqlalchemy.create_engine")
        && !qual.contains(".execute")
        && !qual.contains(".exec_driver_sql")
}

/// Calls that join path pieces (`os.path.join`, `path.resolve`, `Path(a, b)`,
/// `p.joinpath(x)`): what comes after the first piece lives under it.
pub fn is_path_join(qual: &str, method: Option<&str>) -> bool {
    if method == Some("joinpath") {
        return true;
    }
    let (module, name) = qual.rsplit_once('.').unwrap_or(("", qual));
    match name {
        "join" => matches!(
            module,
            "os.path" | "posixpath" | "ntpath" | "path" | "node:path" | "path.posix" | "path.win32"
        ),
        "resolve" => matches!(module, "path" | "node:path" | "path.posix" | "path.win32"),
        "Path" | "PurePath" | "PosixPath" | "WindowsPath" => {
            matches!(module, "pathlib" | "")
        }
        _ => false,
    }
}

/// Function names that validate or check their argument (`validatePath`, `is_allowed`,
/// `assertSafeArgv`, `ensure_within_root`).
/// Calls whose result is text made from their inputs (so a secret in an input is in the
/// result): formatting, joining, case and whitespace changes, encodings, conversions to text.
pub fn keeps_text(method: Option<&str>, qual: &str) -> bool {
    let name = method.unwrap_or_else(|| qual.rsplit('.').next().unwrap_or(qual));
    // Exceptions carry their message: `new Error(text)`, `ValueError(text)`.
    if name.ends_with("Error") || name.ends_with("Exception") {
        return true;
    }
    matches!(
        name,
        "format"
            | "join"
            | "replace"
            | "replaceAll"
            | "strip"
            | "lstrip"
            | "rstrip"
            | "trim"
            | "trimStart"
            | "trimEnd"
            | "upper"
            | "lower"
            | "toUpperCase"
            | "toLowerCase"
            | "encode"
            | "decode"
            | "toString"
            | "concat"
            | "slice"
            | "substring"
            | "substr"
            | "padStart"
            | "padEnd"
            | "str"
            | "String"
            | "repr"
            | "stringify"
            | "dumps"
            | "b64encode"
            | "btoa"
            | "from"
            | "encodeURIComponent"
            | "encodeURI"
            | "quote"
            | "quote_plus"
            | "urlencode"
    )
}

/// Names of settings that hold credentials (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`,
/// `clientSecret`), not identifiers or locations of them (`KEY_ID`, `TOKEN_URL`, `KEY_FILE`).
pub fn is_credential_name(name: &str) -> bool {
    // Words of `SNAKE_CASE`, `kebab-case` and `camelCase` names.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        cur.push(ch.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let holds = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "KEY"
                | "APIKEY"
                | "TOKEN"
                | "SECRET"
                | "PASSWORD"
                | "PASSWD"
                | "PWD"
                | "CREDENTIAL"
                | "CREDENTIALS"
                | "AUTH"
                | "PAT"
        )
    });
    let upper = name.to_ascii_uppercase();
    let not = [
        "KEY_ID",
        "KEYID",
        "TOKEN_URL",
        "AUTH_URL",
        "KEY_FILE",
        "KEY_PATH",
        "PUBLIC_KEY",
        "PUBLICKEY",
        "TOKEN_TYPE",
        "MAX_TOKENS",
        "AUTH_TYPE",
        "AUTH_MODE",
    ]
    .iter()
    .any(|w| upper.contains(w));
    // The last word of a compound name is what the value is (English compounds are
    // head-final): `TOKEN_STORE_PATH` is a path, `CREDENTIAL_STORE_BACKEND` a backend's name,
    // `TOKEN_VALIDATION_WORKERS` a count — settings about a credential, not the credential.
    let setting = words.last().is_some_and(|w| {
        matches!(
            w.as_str(),
            "PATH"
                | "ARN"
                | "ID"
                | "REGION"
                | "FILE"
                | "FILENAME"
                | "DIR"
                | "DIRECTORY"
                | "FOLDER"
                | "URL"
                | "URI"
                | "ENDPOINT"
                | "HOST"
                | "PORT"
                | "MODE"
                | "FLOW"
                | "SCHEME"
                | "LEVEL"
                | "POLICY"
                | "TYPE"
                | "KIND"
                | "BACKEND"
                | "PROVIDER"
                | "STORE"
                | "STORAGE"
                | "CLASS"
                | "METHOD"
                | "STRATEGY"
                | "WORKERS"
                | "TTL"
                | "TIMEOUT"
                | "EXPIRY"
                | "LIFETIME"
                | "SECONDS"
                | "ENABLED"
                | "DISABLED"
                | "ENABLE"
                | "REQUIRED"
                | "NAME"
                | "HEADER"
                | "PREFIX"
                | "FORMAT"
                | "SCOPE"
                | "SCOPES"
                | "LIMIT"
                | "SIZE"
                | "COUNT"
                | "LENGTH"
                | "VERSION"
                | "LOCATION"
        )
    });
    holds && !not && !setting
}

pub fn is_validator_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase().replace('_', "");
    const WORDS: &[&str] = &[
        "validat",
        "sanitiz",
        "sanitis",
        "allowed",
        "isallow",
        "permitted",
        "authoriz",
        "authoris",
        "whitelist",
        "allowlist",
        "issafe",
        "safepath",
        "assertsafe",
        "ensuresafe",
        "within",
        "inside",
        "contained",
        "verify",
        "checkpath",
        "checkurl",
        "checkhost",
        "assertpath",
        "ensurepath",
        "isrelativeto",
        "trusted",
    ];
    WORDS.iter().any(|w| lower.contains(w))
}

/// Names used by path-like values (for prefix-containment checks).
pub fn is_pathish(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "path",
        "dir",
        "root",
        "folder",
        "file",
        "real",
        "abs",
        "resolved",
        "normalized",
        "normalised",
        "base",
        "allowed",
        "workspace",
        "cwd",
        "home",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// A handle of a document database's client, database or collection, by the qualified name of
/// the value: `pymongo.MongoClient()[…][…]`, `motor…AsyncIOMotorClient()`, the `mongodb`
/// driver's `MongoClient().db().collection()`, a `mongoose` model.
pub fn is_document_db_handle(qual: &str) -> bool {
    [
        "MongoClient()",
        "AsyncIOMotorClient()",
        "AsyncMongoClient()",
        "mongoose.model()",
        "mongoose.default.model()",
    ]
    .iter()
    .any(|h| qual.contains(h))
}

/// The index of the filter argument of a document-database query method, if the method is one.
pub fn document_db_filter_arg(method: &str) -> Option<usize> {
    match method {
        "find"
        | "find_one"
        | "findOne"
        | "find_one_and_update"
        | "findOneAndUpdate"
        | "find_one_and_delete"
        | "findOneAndDelete"
        | "find_one_and_replace"
        | "findOneAndReplace"
        | "delete_one"
        | "deleteOne"
        | "delete_many"
        | "deleteMany"
        | "update_one"
        | "updateOne"
        | "update_many"
        | "updateMany"
        | "replace_one"
        | "replaceOne"
        | "count_documents"
        | "countDocuments"
        | "count"
        | "exists"
        | "findOneAndRemove"
        | "remove" => Some(0),
        "distinct" => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for n in [
            "OPENAI_API_KEY",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "clientSecret",
            "apiKey",
            "SLACK_BOT_TOKEN",
            "GITHUB_PAT",
            "AUTH",
            "PATH_TOKEN",
            "STORE_API_KEY",
        ] {
            assert!(is_credential_name(n), "{n}");
        }
        for n in [
            "PORT",
            "AWS_ACCESS_KEY_ID",
            "TOKEN_URL",
            "KEY_FILE",
            "MAX_TOKENS",
            "MONKEY",
            "PATH",
            "AUTHOR",
            "HOME",
            // Settings about a credential, named by their last word.
            "GMAIL_CREDENTIALS_PATH",
            "SP_TOKEN_STORE",
            "APP_CREDENTIAL_STORE_BACKEND",
            "APP_TOKEN_VALIDATION_WORKERS",
            "APP_TOKEN_VALIDATION_CACHE_TTL",
            "APP_TOKEN_VERIFIER_CLASS",
            "secretStorageLocation",
            "REDIS_ENTRAID_AUTH_FLOW",
            "TOKEN_AUTH_SCHEME",
            // Identifiers of a secret kept elsewhere (a secrets manager), not the secret.
            "MYSQL_SECRET_ARN",
            "DB_SECRET_ID",
            "SECRET_REGION",
        ] {
            assert!(!is_credential_name(n), "{n}");
        }
    }

    #[test]
    fn exec_is_a_shell_sink_and_execfile_an_argv_sink() {
        assert_eq!(
            sink_for("child_process.exec", None).map(|s| s.kind),
            Some(Shell)
        );
        assert_eq!(
            sink_for("node:child_process.execFile", None).map(|s| s.kind),
            Some(Argv)
        );
    }

    #[test]
    fn fs_methods_through_promises_are_file_sinks() {
        assert_eq!(
            sink_for("fs.promises.readFile", None).map(|s| s.kind),
            Some(FileAccess)
        );
        assert_eq!(
            sink_for("fs/promises.writeFile", None).map(|s| s.kind),
            Some(FileAccess)
        );
    }

    #[test]
    fn query_on_a_db_receiver_is_sql_but_regex_exec_is_not() {
        assert_eq!(sink_for("*.query", Some("db")).map(|s| s.kind), Some(Sql));
        assert!(sink_for("*.exec", Some("pattern")).is_none());
    }

    #[test]
    fn gitpython_commands_are_argv_sinks() {
        assert_eq!(
            sink_for("git.Repo().git.diff", None).map(|s| s.kind),
            Some(Argv)
        );
        assert_eq!(
            sink_for("git.Repo().index.add", None).map(|s| s.kind),
            Some(FileAccess)
        );
    }

    #[test]
    fn validator_names_are_recognised() {
        assert!(is_validator_name("validatePath"));
        assert!(is_validator_name("is_allowed_host"));
        assert!(!is_validator_name("readFile"));
    }
}
