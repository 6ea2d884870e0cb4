//! The analysis over the intermediate form: tool-handler discovery, per-function summaries
//! ("parameter 1 reaches a shell"), and taint from tool arguments, HTTP requests and resource URIs
//! to sinks, with the guards each flow passed.
//!
//! Every function is walked statement by statement with an environment of abstract values.
//! Calls to project functions apply the callee's summary (computed in rounds, so summaries of
//! summaries converge); closures passed as callbacks are walked in place so they see the
//! variables they capture.

mod behaviour_flows;
mod classes;
mod reach;
mod regex_guard;

use regex_guard::Anchoring;

pub use reach::{CallResolution, CallSite, ReachTotals, SinkStatus, SinkUse, UnresolvedReason};

use crate::catalog::{self, SinkArg, SinkKind, SinkSpec};
use crate::ir::{Call, Expr, FuncId, Lang, LineIndex, Loc, Module, Stmt};
use crate::taint::{Facts, FuncRef, Guards, Label, Taint, Value};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// One source file handed to the analysis.
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// Bounds that keep hostile input in check.
#[derive(Clone, Debug)]
pub struct AnalysisLimits {
    /// Files larger than this are not parsed (listed as skipped).
    pub max_file_bytes: usize,
    /// Steps (statements and expressions visited) per module and round before the module's
    /// walk is cut off: at least this many ...
    pub max_steps_per_module: usize,
    /// ... or this many per statement of the module, whichever is more (work stays linear in
    /// the size of the code).
    pub steps_per_statement: usize,
    /// How deep closures and local calls are walked in place.
    pub max_inline_depth: u32,
    /// Summary rounds (calls chains of this length are followed across functions).
    pub rounds: usize,
}

impl Default for AnalysisLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 8 * 1024 * 1024,
            max_steps_per_module: 60_000,
            steps_per_statement: 96,
            max_inline_depth: 4,
            rounds: 2,
        }
    }
}

/// What kind of untrusted input a flow starts from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OriginKind {
    /// Arguments of an MCP tool call (chosen by the model).
    ToolArgument,
    /// A credential read from the environment (`process.env.API_KEY`, `os.environ`): followed
    /// to logs, tool results, errors and URLs, where it must not go.
    Environment,
    /// Arguments of a prompt request.
    PromptArgument,
    /// The URI of a resource read.
    ResourceUri,
    /// An HTTP request (query, body, headers).
    HttpRequest,
    /// A response fetched from the network (second order).
    NetworkResponse,
    /// Exception text.
    Exception,
    /// A parameter of a function no project code calls (library or CLI entry point).
    UnknownCaller,
    /// A value computed elsewhere that this code does not check (navigation targets).
    Unchecked,
    /// Contents of a local secret store named in the code (`~/.ssh`, browser profiles, other
    /// clients' configuration, shell history, `/etc/shadow`), the whole environment, or the
    /// clipboard: what malicious code collects. Followed to the network and to tool results.
    LocalSecret,
    /// A path naming a place where written code runs again later (start-up files, schedulers,
    /// services, `authorized_keys`, git hooks).
    PersistencePlace,
    /// A path naming privilege or authentication configuration (`sudoers`, PAM, account files).
    PrivilegePlace,
    /// A path naming system logs or shell history.
    TracePlace,
    /// A path naming another AI client's configuration.
    ClientConfigPlace,
    /// A path in a web server's document root.
    WebRootPlace,
    /// Text decoded at run time from base64, hex, compressed data or character codes.
    DecodedPayload,
}

impl OriginKind {
    /// Origins the behaviour rules (`MAL-*`) follow: not untrusted input, but what the code
    /// itself reaches for. The input-driven rules leave them out.
    pub fn is_behaviour(&self) -> bool {
        matches!(
            self,
            OriginKind::LocalSecret
                | OriginKind::PersistencePlace
                | OriginKind::PrivilegePlace
                | OriginKind::TracePlace
                | OriginKind::ClientConfigPlace
                | OriginKind::WebRootPlace
                | OriginKind::DecodedPayload
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Origin {
    pub kind: OriginKind,
    /// The tool concerned, when known.
    pub tool: Option<String>,
    /// Human description: "argument `path` of tool `read_file`".
    pub what: String,
}

/// A flow from untrusted input to a sink (or a weak guard), located at the sink.
#[derive(Clone, Debug, Serialize)]
pub struct Flow {
    pub kind: SinkKind,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub origin: Origin,
    /// Guards the value passed (union over the path).
    pub guards: Guards,
    /// The value at the sink is the input itself (not text built around it).
    pub whole: bool,
    /// The API reached (`child_process.exec`, `subprocess.run`, `*.query`).
    pub api: String,
    /// The program for argument vectors, when known.
    pub program: Option<String>,
    /// The sink expression, whitespace collapsed (evidence and fingerprint key).
    pub snippet: String,
    /// Functions the flow went through, outermost first.
    pub via: Vec<String>,
    /// For data sent to the network: where it goes (`fixed:https://host/…`, `input`,
    /// `configured`), and `discarded` when the response is never used.
    pub detail: Option<String>,
}

/// A technique seen in the code itself (a command line, a socket wired to a shell, a setuid
/// bit), independent of any input.
#[derive(Clone, Debug, Serialize)]
pub struct Behaviour {
    pub technique: crate::behaviour::Technique,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub snippet: String,
    /// What was seen, for the message.
    pub detail: String,
}

/// A finding about how an HTTP transport or endpoint is set up.
#[derive(Clone, Debug, Serialize)]
pub struct Exposure {
    pub kind: ExposureKind,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub snippet: String,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExposureKind {
    /// An HTTP/SSE transport with no Host/Origin validation.
    NoDnsRebindingProtection,
    /// A server bound to all interfaces.
    AllInterfaces,
    /// An HTTP route with no authentication that starts processes from request data.
    UnauthenticatedProcessRoute,
}

/// A tool found in the code.
#[derive(Clone, Debug, Serialize)]
pub struct ToolDecl {
    pub name: String,
    pub description: Option<String>,
    pub file: String,
    pub line: u32,
    /// Texts of the input schema the model reads: property descriptions, titles, enum values,
    /// defaults (`z.string().describe("…")`, `{ description: "…" }`).
    pub schema_texts: Vec<String>,
}

/// The result of analysing a project's code.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    pub flows: Vec<Flow>,
    pub exposures: Vec<Exposure>,
    /// Techniques seen in the code itself.
    pub behaviours: Vec<Behaviour>,
    pub tools: Vec<ToolDecl>,
    /// Prompts and resources registered in the code, with the texts shown to the model
    /// (`kind` in `name` is not used: the two lists say which is which).
    pub prompts: Vec<ToolDecl>,
    pub resources: Vec<ToolDecl>,
    /// Files not analysed, with why.
    pub skipped: Vec<(String, String)>,
    /// Files whose syntax errors were recovered from (analysed as far as possible).
    pub syntax_errors: Vec<(String, usize)>,
    pub files_analysed: usize,
    /// Every dangerous-operation call site the walk passed, with the tools that reach it.
    pub sinks: Vec<SinkUse>,
    /// Calls on data paths (input or a parameter among their values), with how each resolved.
    pub calls: Vec<CallSite>,
}

/// Which front end a path needs, if any.
pub fn language_for(path: &str) -> Option<Lang> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".d.ts") || lower.ends_with(".map") {
        return None;
    }
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" => Some(Lang::JavaScript),
        "py" | "pyi" | "pyw" => Some(Lang::Python),
        _ => None,
    }
}

/// The language of a script without a known extension, from its `#!` line
/// (`#!/usr/bin/env node`, `#!/usr/bin/python3 -u`).
pub fn language_from_shebang(path: &str, text: &str) -> Option<Lang> {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Only files without an extension of their own (a `.txt` with a shebang is not run).
    if name.contains('.') && !name.starts_with('.') {
        return None;
    }
    let first = text.lines().next()?.strip_prefix("#!")?;
    let mut words = first.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        prog = words.find(|w| !w.starts_with('-'))?;
    }
    if prog == "node" || prog == "nodejs" || prog == "bun" || prog == "deno" || prog == "tsx" {
        Some(Lang::JavaScript)
    } else if prog.starts_with("python") {
        Some(Lang::Python)
    } else {
        None
    }
}

struct ModuleData<'a> {
    module: Module,
    text: &'a str,
    lines: LineIndex,
    lang: Lang,
    minified: bool,
    /// The module shows a Host/Origin check or the SDK's DNS-rebinding settings somewhere.
    host_checked: bool,
    /// The module loads `shelljs/global`, which makes ShellJS's commands (`exec`, `rm`, …)
    /// globals.
    shell_globals: bool,
    /// The module sets up an HTTP server.
    http_server: bool,
    /// Steps its walk may take per round.
    budget: usize,
}

/// Analyse a set of files together (calls are resolved across them).
pub fn analyze(files: &[SourceFile<'_>], limits: &AnalysisLimits) -> Analysis {
    let mut analysis = Analysis::default();
    let mut inputs = Vec::new();
    for f in files {
        let Some(lang) = language_for(f.path).or_else(|| language_from_shebang(f.path, f.text))
        else {
            continue;
        };
        // The parsers, the lowering and dropping the syntax tree all recurse on nesting:
        // hostile input nested thousands deep would overflow the stack. Such a file is
        // listed as skipped (the report is then incomplete), never crashed on.
        if let Some(depth) = nesting_over(f.text, MAX_NESTING) {
            analysis.skipped.push((
                f.path.to_string(),
                format!(
                    "brackets nest deeper than {MAX_NESTING} levels (at least {depth}); not parsed"
                ),
            ));
            continue;
        }
        if f.text.len() > limits.max_file_bytes {
            analysis.skipped.push((
                f.path.to_string(),
                format!(
                    "{} bytes is over the analysis cap of {} bytes per file",
                    f.text.len(),
                    limits.max_file_bytes
                ),
            ));
            continue;
        }
        inputs.push((f, lang));
    }
    let modules: Vec<ModuleData<'_>> = inputs
        .par_iter()
        .map(|(f, lang)| {
            let module = match lang {
                Lang::JavaScript => crate::javascript::lower_javascript(f.path, f.text),
                Lang::Python => crate::python::lower_python(f.path, f.text),
            };
            let minified = is_minified(f.text);
            let host_checked = HOST_CHECK_MARKERS.iter().any(|k| f.text.contains(k));
            let shell_globals = *lang == Lang::JavaScript
                && ["'shelljs/global'", "\"shelljs/global\""]
                    .iter()
                    .any(|k| f.text.contains(k));
            let http_server = [
                "express",
                "createServer",
                "StreamableHTTPServerTransport",
                "SSEServerTransport",
            ]
            .iter()
            .any(|k| f.text.contains(k));
            let budget = limits.max_steps_per_module.max(
                limits
                    .steps_per_statement
                    .saturating_mul(module.statement_count()),
            );
            ModuleData {
                budget,
                module,
                text: f.text,
                lines: LineIndex::new(f.text),
                lang: *lang,
                minified,
                host_checked,
                shell_globals,
                http_server,
            }
        })
        .collect();
    for m in &modules {
        if m.module.parse_failed {
            analysis.skipped.push((
                m.module.path.clone(),
                "the parser gave up on this file; analysed up to the failure".into(),
            ));
        } else if m.module.syntax_errors > 0 {
            analysis
                .syntax_errors
                .push((m.module.path.clone(), m.module.syntax_errors));
        }
    }
    analysis.files_analysed = modules.len();
    let mut state = State::new(&modules, limits.clone());
    state.run();
    analysis.skipped.extend(state.cut_off.iter().map(|p| {
        (
            p.clone(),
            "analysis budget reached; later code in this file was not followed".to_string(),
        )
    }));
    analysis.flows = state.finish_flows();
    let reported = {
        // Outside library mode, "no caller in the package" is not input reaching the sink.
        let library = state.library_mode();
        let mut m: HashMap<(String, u32, u32, SinkKind), bool> = HashMap::new();
        for f in &analysis.flows {
            if !library && f.origin.kind == OriginKind::UnknownCaller {
                continue;
            }
            let g = reach::guarded_for(f.kind, f.guards);
            m.entry((f.file.clone(), f.line, f.column, f.kind))
                .and_modify(|all| *all &= g)
                .or_insert(g);
        }
        m
    };
    let (sinks, calls) = state.finish_reach(&reported);
    analysis.sinks = sinks;
    analysis.calls = calls;
    analysis.exposures = state.exposures;
    analysis.behaviours = state.behaviours;
    analysis.tools = state.tools;
    analysis.prompts = state.prompts;
    analysis.resources = state.resources;
    analysis
}

const HOST_CHECK_MARKERS: &[&str] = &[
    "allowedHosts",
    "allowed_hosts",
    "enableDnsRebindingProtection",
    "enable_dns_rebinding_protection",
    "TransportSecuritySettings",
    "hostHeaderValidation",
    "host_header_validation",
    "validateOrigin",
    "originValidation",
];

/// The value of a parameter annotated with a type of the language (`name: str`,
/// `items: list[str]`, `opts: Record<string, string>`): `@builtin:str|list|dict|num`. Its
/// methods are the language's, never the package's.
pub(crate) const BUILTIN_TYPE: &str = "@builtin:";

/// `f"https://{subdomain}.example.com/api/{id}"`: the scheme and the host are written before
/// the first part that carries input, from constants and configured (untainted) values, and
/// at least one of them is configured — the host is the operator's, the input moves the path.
fn configured_host(vals: &[Value]) -> bool {
    let mut text = String::new();
    let mut configured = false;
    for p in vals {
        if p.is_tainted() {
            break;
        }
        match &p.konst {
            Some(k) => text.push_str(k),
            None if p.qual.as_deref().is_none_or(|q| !q.starts_with("lead:")) => {
                configured = true;
                text.push_str("configured");
            }
            None => return false,
        }
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    configured
        && !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphabetic())
        && rest.find('/').is_some_and(|i| i > 0)
}

/// A parsed JSON document or a part of one (`await res.json()`, `json.loads(text)`,
/// `data["items"]`): only dicts, lists, strings and numbers, so its methods are the language's.
const JSON_VALUE: &str = "@builtin:json";

/// A call whose result is a parsed JSON document: `JSON.parse`, `json.loads`/`json.load`, a
/// response's `.json()`, and `.get(…)` or a field of a JSON value.
fn parses_json(qual: &str, method: Option<&str>, args: &[Value], receiver: Option<&Value>) -> bool {
    if matches!(qual, "JSON.parse" | "json.loads" | "json.load") {
        return true;
    }
    let on_json = receiver.is_some_and(|r| r.qual.as_deref() == Some(JSON_VALUE));
    match method {
        Some("json") => args.is_empty(),
        Some("get" | "pop" | "setdefault") => on_json,
        _ => false,
    }
}

/// What a method of a string or list returns when its receiver is one: text for the methods
/// that rework text, a list for those that split it.
fn builtin_result(method: Option<&str>, receiver: Option<&Value>) -> Option<&'static str> {
    let m = method?;
    if !receiver.is_some_and(reach::builtin_value) {
        return None;
    }
    match m {
        "strip" | "lstrip" | "rstrip" | "lower" | "upper" | "casefold" | "title" | "capitalize"
        | "replace" | "replaceAll" | "format" | "join" | "trim" | "trimStart" | "trimEnd"
        | "toLowerCase" | "toUpperCase" | "padStart" | "padEnd" | "normalize" | "repeat"
        | "removeprefix" | "removesuffix" | "substring" | "substr" | "charAt" | "zfill" => {
            Some("str")
        }
        "split" | "rsplit" | "splitlines" => Some("list"),
        _ => None,
    }
}

/// Give a parameter the built-in type its annotation names. A Python number or boolean
/// parameter holds no text an attacker could shape: MCP SDKs validate tool arguments against
/// the annotations (pydantic), and typed callers pass numbers.
fn type_as_builtin(v: &mut Value, kind: &str, lang: Lang) {
    v.qual = Some(format!("{BUILTIN_TYPE}{kind}"));
    if kind == "num" && lang == Lang::Python {
        v.taint.add_guards(Guards::NUMERIC);
        v.checked = v.checked.union(Guards::NUMERIC);
    }
}

/// The built-in type an annotation names, looking through `Optional[…]`, `Annotated[…, …]`,
/// `X | None` and `typing.` prefixes: `str`, `list`, `dict` or `num`.
fn builtin_type(ann: &str) -> Option<&'static str> {
    let mut t = ann.trim();
    for _ in 0..4 {
        let t2 = t.strip_prefix("typing.").unwrap_or(t);
        let (head, inner) = match t2.split_once('[') {
            Some((h, rest)) => (h.trim(), Some(rest)),
            None => (t2.split(['|', '<']).next().unwrap_or(t2).trim(), None),
        };
        if let ("Optional" | "Annotated" | "Required" | "NotRequired", Some(rest)) = (head, inner) {
            t = rest.split([',', ']']).next().unwrap_or(rest).trim();
            continue;
        }
        let head = head.trim_end_matches("[]");
        let head = if t2.trim_end().ends_with("[]") {
            "Array"
        } else {
            head
        };
        return match head {
            "str" | "string" | "String" => Some("str"),
            "list" | "List" | "Sequence" | "tuple" | "Tuple" | "set" | "Set" | "Array"
            | "ReadonlyArray" => Some("list"),
            "dict" | "Dict" | "Mapping" | "Record" | "Map" => Some("dict"),
            "int" | "float" | "number" | "bool" | "boolean" => Some("num"),
            _ => None,
        };
    }
    None
}

/// The dotted name of submodule `n` of Python module `module` (`.` + `x` → `.x`,
/// `pkg.tools` + `x` → `pkg.tools.x`).
fn python_submodule(module: &str, n: &str) -> String {
    if module.ends_with('.') {
        format!("{module}{n}")
    } else {
        format!("{module}.{n}")
    }
}

/// Methods of the `async` library whose callback is called with each element of the
/// collection given as the first argument.
const ASYNC_COLLECTION_METHODS: &[&str] = &[
    "each",
    "eachSeries",
    "eachLimit",
    "eachOf",
    "eachOfSeries",
    "eachOfLimit",
    "forEach",
    "forEachSeries",
    "forEachLimit",
    "forEachOf",
    "map",
    "mapSeries",
    "mapLimit",
    "filter",
    "filterSeries",
    "reject",
    "detect",
    "some",
    "every",
    "concat",
    "concatSeries",
    "sortBy",
    "groupBy",
];

/// The commands `require("shelljs/global")` defines as globals.
const SHELLJS_COMMANDS: &[&str] = &[
    "exec", "cat", "cd", "chmod", "cp", "echo", "find", "grep", "head", "ln", "ls", "mkdir", "mv",
    "rm", "sed", "sort", "tail", "touch", "uniq", "which",
];

/// Most enclosing scopes searched for a function a closure names.
const MAX_SCOPE_DEPTH: usize = 64;

/// Most methods of one name a call on an untyped receiver may resolve to.
const MAX_NAME_FALLBACK: usize = 3;

/// The value of a helper that reads the environment variable its parameter N names
/// (`@envparam:N`), resolved at each call with the name given there.
const ENV_OF_PARAM: &str = "@envparam:";

/// Deepest bracket nesting the analysis accepts in a file.
const MAX_NESTING: usize = 256;

/// The bracket nesting depth of a text if it goes over `cap` (string literals skipped, so
/// brackets in text do not count), else `None`. Linear, no recursion.
fn nesting_over(text: &str, cap: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q || (b == b'\n' && q != b'`') {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' | b'`' => quote = Some(b),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > cap {
                        return Some(depth);
                    }
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// One-line bundles: long lines dominate.
fn is_minified(text: &str) -> bool {
    let lines = text.lines().count().max(1);
    text.len() / lines > 500
}

#[derive(Clone, Debug)]
struct SumEvent {
    param: u8,
    guards: Guards,
    site: Site,
}

/// Where a sink is, and what it is.
#[derive(Clone, Debug)]
struct Site {
    kind: SinkKind,
    module: usize,
    loc: Loc,
    whole: bool,
    api: String,
    program: Option<String>,
    via: Vec<String>,
    /// See [`Flow::detail`].
    detail: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Summary {
    events: Vec<SumEvent>,
    ret: Value,
    /// Sink uses reached from this function (its own and its callees').
    uses: Vec<reach::UseKey>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct SourceInfo {
    kind: OriginKind,
    tool: Option<String>,
    what: String,
}

/// A flow's identity: module, sink offset, sink kind, source.
type FlowKey = (usize, u32, SinkKind, u32);

struct State<'m, 'a> {
    modules: &'m [ModuleData<'a>],
    limits: AnalysisLimits,
    summaries: HashMap<FuncRef, Arc<Summary>>,
    /// Calls seen between project functions (caller → callees), for the summary order.
    calls: HashMap<FuncRef, Vec<FuncRef>>,
    /// A summary changed in this round.
    changed: bool,
    sources: Vec<SourceInfo>,
    source_index: HashMap<SourceInfo, u32>,
    flows: BTreeMap<FlowKey, (Site, Guards, u32)>,
    exposures: Vec<Exposure>,
    exposure_seen: HashSet<(usize, u32, ExposureKind)>,
    tools: Vec<ToolDecl>,
    tool_seen: HashSet<(String, String)>,
    prompts: Vec<ToolDecl>,
    resources: Vec<ToolDecl>,
    called: HashSet<FuncRef>,
    /// Functions walked as request or tool handlers.
    handled: HashSet<FuncRef>,
    cut_off: Vec<String>,
    /// Techniques seen in the code (see [`Behaviour`]), once per place and technique.
    behaviours: Vec<Behaviour>,
    behaviour_seen: HashSet<(usize, u32, crate::behaviour::Technique)>,
    /// Labels a string constant carries because it names a secret store or a controlled place.
    place_labels: HashMap<String, Taint>,
    /// The call that is a statement of its own (its result is dropped).
    discarded_call: Option<(usize, u32)>,
    /// Values written to `self.x` / `this.x` by a class's methods: (module, class, field).
    class_fields: HashMap<(usize, String, String), Value>,
    /// Modules defining a class of each name, in path order.
    class_at: HashMap<String, Vec<usize>>,
    /// Methods (and prototype functions) of the package by their own name, for calls whose
    /// receiver cannot be typed.
    methods_named: HashMap<String, Vec<FuncRef>>,
    /// Per module, constructor functions: names with `Name.prototype.*` functions.
    prototype_classes: Vec<HashSet<String>>,
    /// Module-level bindings after the top-level walk.
    module_env: Vec<Frame>,
    /// Named functions per module: name → function.
    by_name: Vec<HashMap<String, FuncId>>,
    /// Per module, functions declared by a plain name inside another function: (enclosing
    /// function, name) → function. A closure summarised on its own still sees the functions
    /// its enclosing scopes declare (bundles keep whole modules inside one function).
    scoped: Vec<HashMap<(FuncId, String), FuncId>>,
    path_index: HashMap<String, usize>,
    steps: usize,
    /// The budget of the module being walked.
    max_steps: usize,
    round: usize,
    /// Sink uses seen (see [`SinkUse`]).
    uses: BTreeMap<reach::UseKey, reach::UseState>,
    /// Calls on data paths, by place.
    call_sites: BTreeMap<(usize, u32), reach::CallState>,
    /// Last segments of every function name in the package (built on first use).
    function_names: HashSet<String>,
    /// First segments of modules imported from outside the package (`httpx`, `mcp`, `diff`).
    external_roots: HashSet<String>,
}

/// The variables of one scope. Values are shared, so the snapshots taken at branches are
/// cheap and joining two snapshots skips every variable neither branch changed.
#[derive(Clone, Debug, Default)]
struct Frame {
    vars: HashMap<Arc<str>, Arc<Value>>,
    /// How many names are field paths (`options.shell`).
    dotted: usize,
}

impl Frame {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name).map(|v| &**v)
    }

    fn contains_key(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    fn len(&self) -> usize {
        self.vars.len()
    }

    fn insert(&mut self, name: impl AsRef<str>, v: Value) {
        let name = name.as_ref();
        match self.vars.get_mut(name) {
            Some(slot) => *slot = Arc::new(v),
            None => {
                if name.contains('.') {
                    self.dotted += 1;
                }
                self.vars.insert(Arc::from(name), Arc::new(v));
            }
        }
    }

    /// Forget what was recorded on the fields of `name` (it is being rebound).
    fn drop_fields(&mut self, name: &str) {
        if self.dotted == 0 {
            return;
        }
        let before = self.vars.len();
        self.vars.retain(|k, _| {
            !(k.len() > name.len() && k.starts_with(name) && k.as_bytes()[name.len()] == b'.')
        });
        self.dotted -= before - self.vars.len();
    }

    /// The state after either of two paths: values both paths share are kept as they are.
    fn join(&self, other: &Frame) -> Frame {
        let mut out = self.clone();
        for (k, vb) in &other.vars {
            match out.vars.get(k) {
                Some(va) if Arc::ptr_eq(va, vb) => {}
                Some(va) => {
                    let j = va.join(vb);
                    out.vars.insert(k.clone(), Arc::new(j));
                }
                // A field path written on one path only (`u.path = "/index"`) is, on the
                // other, the object's own field: drop the binding so the field is read from
                // the object (whose join keeps both).
                None if k.contains('.') => {}
                None => {
                    out.vars.insert(k.clone(), vb.clone());
                }
            }
        }
        if self.dotted > 0 {
            out.vars
                .retain(|k, _| !k.contains('.') || other.vars.contains_key(k));
        }
        out.dotted = out.vars.keys().filter(|k| k.contains('.')).count();
        out
    }
}

/// One walk of a function body.
struct Walk {
    module: usize,
    func: FuncId,
    /// The function this walk summarises (0: a module's top level, where handlers are walked).
    root: FuncId,
    /// Set while a function bound to a name is walked where it is defined (not called): the
    /// outermost such function.
    defining: Option<FuncId>,
    frames: Vec<Frame>,
    summary: Summary,
    depth: u32,
    /// Set while walking a tool handler: the tool's name (or "" for a dispatcher).
    tool: Option<String>,
    /// The tool selected by an enclosing `if (name === "x")` / `case "x"`.
    tool_case: Option<String>,
    /// Frame index of the tool handler (returns there are tool results).
    tool_frame: Option<usize>,
    via: Vec<String>,
    returned: Option<Value>,
}

impl Walk {
    fn new(module: usize, func: FuncId) -> Self {
        Walk {
            module,
            func,
            root: func,
            defining: None,
            frames: vec![Frame::default()],
            summary: Summary::default(),
            depth: 0,
            tool: None,
            tool_case: None,
            tool_frame: None,
            via: Vec::new(),
            returned: None,
        }
    }
}

/// The Node HTTP handler signature: a request, a response and optionally `next`, by the names
/// the ecosystem gives them.
fn http_handler_signature(params: &[crate::ir::Param]) -> bool {
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    match names.as_slice() {
        [req, res] | [req, res, "next"] => {
            matches!(*req, "req" | "request") && matches!(*res, "res" | "resp" | "response")
        }
        _ => false,
    }
}

const ITERATION_METHODS: &[&str] = &[
    "map",
    "forEach",
    "filter",
    "some",
    "every",
    "find",
    "findIndex",
    "flatMap",
    "reduce",
    "then",
    "catch",
    "finally",
    "sort",
];

impl<'m, 'a> State<'m, 'a> {
    fn new(modules: &'m [ModuleData<'a>], limits: AnalysisLimits) -> Self {
        let mut by_name = Vec::new();
        let mut scoped = Vec::new();
        let mut path_index = HashMap::new();
        let mut class_at: HashMap<String, Vec<usize>> = HashMap::new();
        let mut methods_named: HashMap<String, Vec<FuncRef>> = HashMap::new();
        let prototype_classes: Vec<HashSet<String>> = modules
            .iter()
            .map(|m| {
                m.module
                    .functions
                    .iter()
                    .filter_map(|f| f.name.split_once(".prototype.").map(|(c, _)| c.to_string()))
                    .filter(|c| !c.contains('.'))
                    .collect()
            })
            .collect();
        for (i, m) in modules.iter().enumerate() {
            for (id, f) in m.module.functions.iter().enumerate().skip(1) {
                if f.class.is_none() && !f.name.contains(".prototype.") {
                    continue;
                }
                if let Some(last) = f.name.rsplit('.').next().filter(|l| !l.is_empty()) {
                    let at = methods_named.entry(last.to_string()).or_default();
                    // More than the cap is as good as unknown: stop collecting.
                    if at.len() <= MAX_NAME_FALLBACK {
                        at.push((i, id));
                    }
                }
            }
        }
        for (i, m) in modules.iter().enumerate() {
            for c in &m.module.classes {
                let at = class_at.entry(c.name.clone()).or_default();
                if at.len() < 16 && !at.contains(&i) {
                    at.push(i);
                }
            }
        }
        for (i, m) in modules.iter().enumerate() {
            path_index.insert(m.module.path.clone(), i);
            let mut names = HashMap::new();
            for (id, f) in m.module.functions.iter().enumerate().skip(1) {
                if !f.name.is_empty() {
                    names.entry(f.name.clone()).or_insert(id);
                    // `Engine.prototype.load` is the method `Engine.load`.
                    if let Some((class, method)) = f.name.split_once(".prototype.") {
                        names.entry(format!("{class}.{method}")).or_insert(id);
                    }
                }
            }
            by_name.push(names);
            let mut here = HashMap::new();
            for (id, f) in m.module.functions.iter().enumerate().skip(1) {
                if let Some(p) = f.parent.filter(|p| *p != 0) {
                    if !f.name.is_empty() && !f.name.contains('.') {
                        here.entry((p, f.name.clone())).or_insert(id);
                    }
                }
            }
            scoped.push(here);
        }
        State {
            modules,
            limits,
            summaries: HashMap::new(),
            calls: HashMap::new(),
            changed: false,
            sources: Vec::new(),
            source_index: HashMap::new(),
            flows: BTreeMap::new(),
            exposures: Vec::new(),
            exposure_seen: HashSet::new(),
            tools: Vec::new(),
            tool_seen: HashSet::new(),
            prompts: Vec::new(),
            resources: Vec::new(),
            called: HashSet::new(),
            handled: HashSet::new(),
            cut_off: Vec::new(),
            behaviours: Vec::new(),
            behaviour_seen: HashSet::new(),
            place_labels: HashMap::new(),
            discarded_call: None,
            class_fields: HashMap::new(),
            class_at,
            methods_named,
            prototype_classes,
            module_env: vec![Frame::default(); modules.len()],
            by_name,
            scoped,
            path_index,
            steps: 0,
            max_steps: 0,
            round: 0,
            uses: BTreeMap::new(),
            call_sites: BTreeMap::new(),
            function_names: HashSet::new(),
            external_roots: HashSet::new(),
        }
    }

    /// Round 0 walks modules in file order: each top level, then its named functions. Later
    /// rounds summarise functions callees first (by the calls seen so far), then walk every
    /// top level again, so handlers registered there see finished summaries of the functions
    /// they call, however deep the chain.
    fn run(&mut self) {
        let n = self.modules.len();
        for round in 0..self.limits.rounds.max(1) {
            self.round = round;
            self.changed = false;
            let mut steps = vec![0usize; n];
            if round == 0 {
                for (m, used) in steps.iter_mut().enumerate() {
                    self.steps = 0;
                    self.max_steps = self.modules[m].budget;
                    self.walk_top(m);
                    for id in 1..self.modules[m].module.functions.len() {
                        if self.modules[m].module.functions[id].name.is_empty()
                            || self.steps > self.max_steps
                        {
                            continue;
                        }
                        self.summarise(m, id);
                    }
                    *used = self.steps;
                }
            } else {
                for (m, id) in self.callee_first_order() {
                    if steps[m] > self.modules[m].budget {
                        continue;
                    }
                    self.steps = steps[m];
                    self.max_steps = self.modules[m].budget;
                    self.summarise(m, id);
                    steps[m] = self.steps;
                }
                for (m, used) in steps.iter_mut().enumerate() {
                    self.max_steps = self.modules[m].budget;
                    self.steps = (*used).min(self.max_steps);
                    self.walk_top(m);
                    *used = self.steps;
                }
            }
            for (m, s) in steps.iter().enumerate() {
                if *s > self.modules[m].budget {
                    let p = self.modules[m].module.path.clone();
                    if !self.cut_off.contains(&p) {
                        self.cut_off.push(p);
                    }
                }
            }
            if !self.changed && round > 0 {
                break;
            }
        }
        let library = self.library_mode();
        self.walk_unregistered_http_handlers();
        self.report_uncalled_entry_points(library);
    }

    /// JavaScript functions with the Node HTTP handler signature — `(req, res)`,
    /// `(req, res, next)`, `(request, response)` — that nothing in the package calls or
    /// registers where the analysis can see it: middleware returned by an exported factory
    /// (`module.exports = root => (req, res, next) => …`), handlers kept in a list and called
    /// from it. The server that calls them hands them a request: walked as request handlers.
    fn walk_unregistered_http_handlers(&mut self) {
        for m in 0..self.modules.len() {
            if self.modules[m].lang != Lang::JavaScript || self.modules[m].minified {
                continue;
            }
            self.steps = 0;
            self.max_steps = self.modules[m].budget;
            for id in 1..self.modules[m].module.functions.len() {
                if self.handled.contains(&(m, id))
                    || self.called.contains(&(m, id))
                    || !http_handler_signature(&self.modules[m].module.functions[id].params)
                {
                    continue;
                }
                if self.steps > self.max_steps {
                    break;
                }
                let src = self.source(
                    OriginKind::HttpRequest,
                    None,
                    "HTTP request (to a `(req, res)` handler the package hands to a server)".into(),
                );
                let mut w = Walk::new(m, 0);
                self.walk_handler(&mut w, id, vec![tainted(src)], None);
            }
        }
    }

    /// A module's top-level code: binds imports and module variables, registers handlers.
    fn walk_top(&mut self, m: usize) {
        let mut w = Walk::new(m, 0);
        self.hoist(&mut w, 0);
        let body = &self.modules[m].module.functions[0].body;
        self.exec_block(&mut w, body);
        self.class_based_tools(&mut w, m);
        if let Some(frame) = w.frames.into_iter().next() {
            self.module_env[m] = frame;
        }
    }

    /// Tools written as classes (`class ReadFile(BaseTool): def run(self, path)`, a
    /// `ToolHandler` subclass's `run_tool(self, arguments)`), registered by frameworks through
    /// reflection rather than a call the analysis could see: the entry method's parameters are
    /// the tool's arguments.
    fn class_based_tools(&mut self, w: &mut Walk, m: usize) {
        if self.modules[m].lang != Lang::Python {
            return;
        }
        const ENTRY: &[&str] = &[
            "run", "_run", "arun", "_arun", "apply", "execute", "run_tool", "call", "invoke",
            "__call__", "handle",
        ];
        let mut found: Vec<(FuncRef, String, Option<String>)> = Vec::new();
        for cls in &self.modules[m].module.classes {
            let tool_base = cls.bases.iter().any(|b| {
                b.dotted().is_some_and(|d| {
                    let last = d.rsplit('.').next().unwrap_or(&d);
                    last.ends_with("Tool") || last.ends_with("ToolHandler") || last == "ToolBase"
                })
            });
            if !tool_base {
                continue;
            }
            for method in ENTRY {
                if let Some(id) = self.by_name[m].get(&format!("{}.{method}", cls.name)) {
                    let doc = self.modules[m].module.functions[*id].doc.clone();
                    found.push(((m, *id), snake_case(&cls.name), doc));
                    break;
                }
            }
        }
        for (f, name, doc) in found {
            self.python_tool(w, f, &name, doc);
        }
    }

    /// Every named function, callees before their callers (post-order over the calls seen;
    /// cycles are cut where they are entered).
    fn callee_first_order(&self) -> Vec<FuncRef> {
        let mut order = Vec::new();
        let mut seen: HashSet<FuncRef> = HashSet::new();
        for m in 0..self.modules.len() {
            for id in 1..self.modules[m].module.functions.len() {
                if self.modules[m].module.functions[id].name.is_empty() || seen.contains(&(m, id)) {
                    continue;
                }
                // Iterative DFS: (node, index of the next callee to visit).
                seen.insert((m, id));
                let mut stack: Vec<(FuncRef, usize)> = vec![((m, id), 0)];
                while let Some((node, next)) = stack.pop() {
                    let callees = self.calls.get(&node);
                    match callees.and_then(|c| c.get(next)) {
                        Some(&callee) => {
                            stack.push((node, next + 1));
                            let named = self
                                .modules
                                .get(callee.0)
                                .and_then(|md| md.module.functions.get(callee.1))
                                .is_some_and(|f| !f.name.is_empty());
                            if named && seen.insert(callee) {
                                stack.push((callee, 0));
                            }
                        }
                        None => order.push(node),
                    }
                }
            }
        }
        order
    }

    fn summarise(&mut self, m: usize, id: FuncId) {
        let f = &self.modules[m].module.functions[id];
        let mut w = Walk::new(m, id);
        w.via.push(display_name(&f.name));
        let py_method = self.modules[m].lang == Lang::Python && f.class.is_some();
        for (i, p) in f.params.iter().enumerate() {
            // The receiver of a method (`self`/`cls`); a `@staticmethod`'s first parameter is
            // an ordinary argument.
            let receiver = py_method && i == 0 && (p.name == "self" || p.name == "cls");
            let mut v = if receiver {
                // `cls` of a class method is the class: `cls(...)` makes an instance.
                match f.class.as_deref() {
                    Some(class) if p.name == "cls" => {
                        self.class_value(m, class).unwrap_or_default()
                    }
                    _ => Value::default(),
                }
            } else {
                Value {
                    taint: Taint::single(Label::Param(i as u8)),
                    derived: vec![p.name.clone()],
                    lead_param: u8::try_from(i).ok(),
                    ..Value::default()
                }
            };
            if let Some(ann) = &p.annotation {
                self.apply_annotation(m, &mut v, ann, &mut w);
            }
            w.frames[0].insert(p.name.clone(), v);
        }
        self.hoist(&mut w, id);
        let body = &self.modules[m].module.functions[id].body;
        self.exec_block(&mut w, body);
        let mut summary = w.summary;
        if let Some(r) = w.returned {
            summary.ret = r;
        }
        let changed = self.summaries.get(&(m, id)).is_none_or(|old| {
            old.events.len() != summary.events.len() || old.ret.taint != summary.ret.taint
        });
        self.changed |= changed;
        self.summaries.insert((m, id), Arc::new(summary));
    }

    /// Python annotations name types: `repo: git.Repo` makes `repo` a `git.Repo()` instance;
    /// `request: Request` is an HTTP request.
    fn apply_annotation(&mut self, m: usize, v: &mut Value, ann: &str, _w: &mut Walk) {
        let ann = ann.trim();
        let head = ann.split(['[', '|', ' ']).next().unwrap_or(ann);
        let first = head.split('.').next().unwrap_or(head);
        if let Some(bound) = self.module_env[m].get(first).and_then(|b| b.qual.clone()) {
            let rest = head.strip_prefix(first).unwrap_or("");
            v.qual = Some(format!("{bound}{rest}()"));
        } else if v.qual.is_none() {
            if let Some(kind) = builtin_type(ann) {
                type_as_builtin(v, kind, self.modules[m].lang);
            }
        }
    }

    /// Function declarations are visible before their statement (JS hoisting, Python calls at
    /// run time): bind every `Let name = Func` of the body up front.
    fn hoist(&mut self, w: &mut Walk, id: FuncId) {
        let m = w.module;
        for s in &self.modules[m].module.functions[id].body {
            if let Stmt::Let {
                name,
                value: Expr::Func(fid, _),
                ..
            } = s
            {
                let v = Value {
                    func: Some((m, *fid)),
                    ..Value::default()
                };
                if let Some(frame) = w.frames.last_mut() {
                    frame.insert(name.clone(), v);
                }
            }
        }
    }

    // ------------------------------------------------------------ environment

    fn lookup(&self, w: &Walk, name: &str) -> Option<Value> {
        for f in w.frames.iter().rev() {
            if let Some(v) = f.get(name) {
                return Some(v.clone());
            }
        }
        self.module_env[w.module].get(name).cloned()
    }

    /// A function an enclosing scope of the walked function declares under `name`.
    fn enclosing_declaration(&self, w: &Walk, name: &str) -> Option<Value> {
        let m = w.module;
        let functions = &self.modules.get(m)?.module.functions;
        let mut f = w.func;
        for _ in 0..MAX_SCOPE_DEPTH {
            if f == 0 {
                return None;
            }
            if let Some(id) = self.scoped[m].get(&(f, name.to_string())) {
                return Some(Value {
                    func: Some((m, *id)),
                    ..Value::default()
                });
            }
            f = functions.get(f)?.parent.filter(|p| *p != f)?;
        }
        None
    }

    fn bind(&self, w: &mut Walk, name: &str, mut v: Value) {
        if !name.starts_with('$') && v.derived.len() < 16 && !v.derived.iter().any(|d| d == name) {
            v.derived.push(name.to_string());
        }
        // Rebinding a variable drops guards recorded on its fields.
        if let Some(frame) = w.frames.last_mut() {
            frame.drop_fields(name);
            frame.insert(name, v);
        }
    }

    /// `xs.push(a, b)` / `xs.append(a)` / `xs.insert(0, a)` / `xs.extend(ys)`: the variable now
    /// holds the new elements too (in order, when its elements are known).
    fn grow_collection(
        &self,
        w: &mut Walk,
        name: &str,
        method: &str,
        c: &Call,
        args: &[Value],
        receiver: Option<&Value>,
    ) {
        let skip = match method {
            "push" | "append" | "add" | "unshift" | "appendleft" | "extend" => 0,
            "insert" => 1,
            "splice" => 2,
            _ => return,
        };
        let Some(mut cur) = receiver.cloned() else {
            return;
        };
        // Not a collection: a constant, a function, a module or an API object. The result of an
        // unknown call (`json.load(f)`, `x.copy()`) may well be one, and what is added to it is
        // in it from then on.
        let call_result = cur
            .qual
            .as_deref()
            .is_some_and(|q| q.ends_with("()") || q.starts_with(BUILTIN_TYPE));
        if cur.konst.is_some() || cur.func.is_some() || (cur.qual.is_some() && !call_result) {
            return;
        }
        let mut added: Vec<Value> = Vec::new();
        for (a, v) in c.args.iter().zip(args.iter()).skip(skip) {
            let spread = matches!(a.value, Expr::Spread(..)) || method == "extend";
            match (&v.elems, spread) {
                (Some(es), true) => added.extend(es.iter().cloned()),
                _ => added.push(Value {
                    composed: false,
                    ..v.clone()
                }),
            }
        }
        if added.is_empty() {
            return;
        }
        for a in &added {
            cur.taint.join(&a.taint);
            cur.html |= a.html;
            cur.stack |= a.stack;
        }
        if let Some(es) = cur.elems.as_mut() {
            let es = Arc::make_mut(es);
            let front = matches!(method, "unshift" | "appendleft")
                || (method == "insert"
                    && c.args
                        .first()
                        .is_some_and(|a| self.slice(w.module, a.value.loc()).trim() == "0"));
            if front {
                for (i, a) in added.into_iter().enumerate() {
                    es.insert(i, a);
                }
            } else {
                es.extend(added);
            }
            es.truncate(64);
        }
        // Update the variable where it lives (an enclosing frame for closures).
        match w.frames.iter_mut().rev().find(|f| f.contains_key(name)) {
            Some(frame) => {
                frame.insert(name, cur);
            }
            None => {
                if let Some(frame) = w.frames.last_mut() {
                    frame.insert(name, cur);
                }
            }
        }
    }

    /// Apply guard facts: the named variables (and what they were derived from) are guarded.
    fn apply_facts(&self, w: &mut Walk, facts: &[(String, Guards)]) {
        for (name, g) in facts {
            let mut names = vec![name.clone()];
            if let Some(v) = self.lookup(w, name) {
                names.extend(v.derived.iter().cloned());
            }
            for n in names {
                let mut v = self.lookup(w, &n).unwrap_or_default();
                v.taint.add_guards(*g);
                v.checked = v.checked.union(*g);
                if let Some(frame) = w.frames.last_mut() {
                    frame.insert(n, v);
                }
            }
        }
    }

    // ------------------------------------------------------------ statements

    /// Execute statements; returns true when the block always leaves (return/throw/jump).
    fn exec_block(&mut self, w: &mut Walk, stmts: &[Stmt]) -> bool {
        for s in stmts {
            if self.exec(w, s) {
                return true;
            }
        }
        false
    }

    fn exec(&mut self, w: &mut Walk, s: &Stmt) -> bool {
        self.steps += 1;
        if self.steps > self.max_steps {
            return true;
        }
        match s {
            Stmt::Let { name, value, .. } => {
                let v = self.eval_definition(w, value);
                self.bind(w, name, v);
                if let Expr::Func(id, _) = value {
                    self.decorated_handler(w, *id);
                }
                false
            }
            Stmt::Store { target, value, loc } => {
                let v = self.eval_definition(w, value);
                self.store(w, target, v, *loc);
                false
            }
            Stmt::Expr(e) => {
                // The call whose result this statement drops (through `.then/.catch/.finally`).
                if let Expr::Call(first) = e {
                    let mut c: &Call = first;
                    while let Expr::Member(obj, prop, _) = &c.callee {
                        match &**obj {
                            Expr::Call(inner)
                                if matches!(prop.as_str(), "then" | "catch" | "finally") =>
                            {
                                c = inner;
                            }
                            _ => break,
                        }
                    }
                    self.discarded_call = Some((w.module, c.loc.start));
                }
                self.eval(w, e);
                // A validator called for its effect (it throws): `validatePath(p);`
                if let Expr::Call(c) = e {
                    if let Some(name) = callee_last_name(&c.callee) {
                        if catalog::is_validator_name(&name)
                            || name.starts_with("assert")
                            || name.starts_with("ensure")
                        {
                            let facts = arg_names(c)
                                .into_iter()
                                .map(|n| (n, Guards::VALIDATED))
                                .collect::<Vec<_>>();
                            self.apply_facts(w, &facts);
                        }
                    }
                }
                false
            }
            Stmt::Return(value, loc) => {
                let v = match value {
                    Some(e) => self.eval(w, e),
                    None => Value::default(),
                };
                if w.tool_frame == Some(w.frames.len() - 1) {
                    self.check_tool_result(w, &v, *loc);
                }
                let joined = match &w.returned {
                    Some(r) => r.join(&v),
                    None => v,
                };
                w.returned = Some(joined);
                true
            }
            Stmt::Throw(value, loc) => {
                if let Some(e) = value {
                    let v = self.eval(w, e);
                    self.secret_sink(w, SinkKind::ToolResult, &v, *loc, "throw");
                }
                true
            }
            Stmt::Jump(_) => true,
            Stmt::If {
                cond, then, els, ..
            } => {
                let c = self.eval(w, cond);
                let mut facts = c.facts;
                facts.extend(self.guard_facts(w, cond));
                let case = tool_case(cond);
                if w.frames.last().is_some_and(|f| f.len() > 150) {
                    // Large frames (bundles' module scopes): flow-insensitive, no snapshots;
                    // what the condition rules out holds after a branch that always leaves.
                    let t = self.exec_block(w, then);
                    if t {
                        self.apply_facts(w, &facts.no);
                    }
                    let e = self.exec_block(w, els);
                    return t && e;
                }
                let before = w.frames.last().cloned().unwrap_or_default();
                self.apply_facts(w, &facts.yes);
                let saved_case = w.tool_case.clone();
                if case.is_some() && w.tool.is_some() {
                    w.tool_case = case;
                }
                let then_exits = self.exec_block(w, then);
                w.tool_case = saved_case;
                let after_then =
                    std::mem::replace(w.frames.last_mut().unwrap_or(&mut Frame::default()), before);
                self.apply_facts(w, &facts.no);
                let else_exits = self.exec_block(w, els);
                let merged = match (then_exits, else_exits) {
                    // Both leave: what follows is unreachable from here; the else state stays.
                    (true, true) | (true, false) => None,
                    (false, true) => Some(after_then),
                    (false, false) => w
                        .frames
                        .last()
                        .map(|after_else| after_then.join(after_else)),
                };
                if let (Some(m), Some(frame)) = (merged, w.frames.last_mut()) {
                    *frame = m;
                }
                then_exits && else_exits
            }
            Stmt::Loop { body, .. } if w.frames.last().is_some_and(|f| f.len() > 150) => {
                self.exec_block(w, body);
                false
            }
            Stmt::Loop { body, .. } => {
                let before = w.frames.last().cloned().unwrap_or_default();
                self.exec_block(w, body);
                let after = w.frames.last().cloned().unwrap_or_default();
                if let Some(frame) = w.frames.last_mut() {
                    *frame = join_frames(&before, &after);
                }
                false
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                let before = w.frames.last().cloned().unwrap_or_default();
                let body_exits = self.exec_block(w, body);
                let after_body = w.frames.last().cloned().unwrap_or_default();
                self.check_catch_fallback(w, body, handlers);
                let mut all_handlers_exit = !handlers.is_empty();
                let mut merged = after_body.clone();
                for h in handlers {
                    if let Some(frame) = w.frames.last_mut() {
                        *frame = join_frames(&before, &after_body);
                    }
                    if let Some(name) = &h.name {
                        let src = self.source(OriginKind::Exception, None, "exception text".into());
                        let v = Value {
                            taint: Taint::single(Label::Source(src)),
                            derived: vec![name.clone()],
                            ..Value::default()
                        };
                        self.bind(w, name, v);
                    }
                    let exits = self.exec_block(w, &h.body);
                    if !exits {
                        all_handlers_exit = false;
                        let after = w.frames.last().cloned().unwrap_or_default();
                        merged = if body_exits {
                            after
                        } else {
                            join_frames(&merged, &after)
                        };
                    }
                }
                if let Some(frame) = w.frames.last_mut() {
                    *frame = merged;
                }
                let fin_exits = self.exec_block(w, finally);
                fin_exits || (body_exits && all_handlers_exit)
            }
        }
    }

    fn store(&mut self, w: &mut Walk, target: &Expr, v: Value, loc: Loc) {
        if let Expr::Member(obj, prop, _) = target {
            let on_self = matches!(&**obj, Expr::This(_))
                || matches!(&**obj, Expr::Name(n, _) if n == "self");
            if on_self {
                self.note_field(w, prop, &v);
            }
        }
        // Navigation and HTML sinks written as assignments.
        if let Expr::Member(obj, prop, _) = target {
            let dotted = obj.dotted().unwrap_or_default();
            if (prop == "href" && (dotted.ends_with("location") || dotted == "window.location"))
                || (matches!(dotted.as_str(), "window" | "document") && prop == "location")
            {
                self.navigation_sink(w, &v, loc, &format!("{dotted}.{prop}"));
            }
            if prop == "innerHTML" || prop == "outerHTML" {
                self.sink(w, SinkKind::Html, &v, loc, &format!("*.{prop}"), None);
            }
        }
        if let Some(d) = target.dotted() {
            // Remember field values written to known objects (`options.shell = true`).
            self.bind(w, &d, v.clone());
            if let Some((base, field)) = d.rsplit_once('.') {
                if let Some(mut obj) = self.lookup(w, base) {
                    obj.taint.join(&v.taint);
                    let fields = obj.fields.get_or_insert_with(Default::default);
                    std::sync::Arc::make_mut(fields).insert(field.to_string(), v);
                    if let Some(frame) = w.frames.last_mut() {
                        frame.insert(base, obj);
                    }
                }
            }
        } else if let Expr::Index(obj, _, _) = target {
            if let Some(d) = obj.dotted() {
                if let Some(mut o) = self.lookup(w, &d) {
                    o.taint.join(&v.taint);
                    if let Some(frame) = w.frames.last_mut() {
                        frame.insert(d, o);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ expressions

    /// A value bound to a name or a field: a function defined there is walked (for the
    /// registrations inside it) but does not run there, so what it reaches is not reached
    /// from here (see [`Walk::defining`]).
    fn eval_definition(&mut self, w: &mut Walk, e: &Expr) -> Value {
        let Expr::Func(id, _) = e else {
            return self.eval(w, e);
        };
        let saved = w.defining;
        if saved.is_none() {
            w.defining = Some(*id);
        }
        let v = self.eval(w, e);
        w.defining = saved;
        v
    }

    fn eval(&mut self, w: &mut Walk, e: &Expr) -> Value {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Value::default();
        }
        match e {
            Expr::Str(s, _) => {
                let mut v = Value::konst(s.clone());
                v.html = looks_like_html(s);
                let labels = self.place_taint(s);
                v.taint.join(&labels);
                v
            }
            Expr::Lit(_) => Value::default(),
            Expr::Regex(r, _) => Value {
                konst: Some(r.clone()),
                qual: Some("RegExp".into()),
                ..Value::default()
            },
            Expr::Name(n, _) => match self.lookup(w, n) {
                Some(v)
                    if v.qual.is_none()
                        && v.func.is_none()
                        && v.taint.is_empty()
                        && v.konst.is_none()
                        && self.class_at.contains_key(n.as_str()) =>
                {
                    self.class_value(w.module, n).unwrap_or(v)
                }
                Some(mut v) => {
                    if !n.starts_with('$')
                        && v.derived.len() < 16
                        && !v.derived.iter().any(|d| d == n)
                    {
                        v.derived.push(n.clone());
                    }
                    v
                }
                None => self
                    .class_value(w.module, n)
                    .or_else(|| self.enclosing_declaration(w, n))
                    .unwrap_or_else(|| {
                        if self.modules[w.module].shell_globals
                            && SHELLJS_COMMANDS.contains(&n.as_str())
                        {
                            Value::qual(format!("shelljs.{n}"))
                        } else {
                            Value::qual(n.clone())
                        }
                    }),
            },
            Expr::This(_) => self
                .lookup(w, "this")
                .or_else(|| self.this_instance(w))
                .unwrap_or_else(|| Value::qual("this")),
            Expr::Member(obj, prop, _) => {
                if let Some(d) = e.dotted() {
                    if let Some(v) = w.frames.iter().rev().find_map(|f| f.get(&d)) {
                        return v.clone();
                    }
                }
                let on_self = matches!(&**obj, Expr::This(_))
                    || matches!(&**obj, Expr::Name(n, _) if n == "self" || n == "cls");
                if on_self {
                    if let Some(v) = self.field_of_self(w, prop) {
                        return v;
                    }
                }
                let o = self.eval(w, obj);
                if matches!(o.qual.as_deref(), Some("process.env" | "import.meta.env")) {
                    self.env_read_in_handler(w, prop, e.loc());
                }
                self.member(w, &o, prop, e.dotted())
            }
            Expr::Index(obj, idx, _) => {
                let o = self.eval(w, obj);
                let i = self.eval(w, idx);
                if matches!(o.qual.as_deref(), Some("process.env" | "os.environ")) {
                    return self.env_read(w, &i, idx.loc());
                }
                if let (Some(k), Some(fields)) = (&i.konst, &o.fields) {
                    if let Some(v) = fields.get(k) {
                        return v.clone();
                    }
                }
                if let (Some(k), Some(elems)) = (&i.konst, &o.elems) {
                    if let Some(v) = k.parse::<usize>().ok().and_then(|n| elems.get(n)) {
                        return v.clone();
                    }
                }
                let mut v = Value {
                    taint: o.taint.clone(),
                    derived: Vec::new(),
                    checked: o.checked,
                    ..Value::default()
                };
                v.taint.add_guards(Guards::FIELD_READ);
                // A part of a parsed JSON document is JSON too.
                if o.qual.as_deref() == Some(JSON_VALUE) {
                    v.qual = Some(JSON_VALUE.into());
                }
                v
            }
            Expr::Call(c) => {
                let mut v = self.call(w, c);
                // `ok = is_allowed(x)`, `err = validate_url(x)`: the answer, kept for the `if`
                // that tests it.
                if callee_last_name(&c.callee).is_some_and(|n| catalog::is_validator_name(&n)) {
                    v.facts = self.guard_facts(w, e);
                }
                v
            }
            Expr::Concat(parts, _) => {
                let vals: Vec<Value> = parts.iter().map(|p| self.eval(w, p)).collect();
                let mut v = Value::derived_from(vals.iter());
                v.composed = vals
                    .iter()
                    .any(|p| p.konst.as_deref().is_some_and(|k| !k.is_empty()))
                    && vals.len() > 1;
                if vals.iter().all(|p| p.konst.is_some()) {
                    v.konst = Some(vals.iter().filter_map(|p| p.konst.clone()).collect());
                } else {
                    // A path built from pieces (`f"/proc/{pid}/environ"`) names a place as its
                    // template does.
                    let template = behaviour_flows::template_text(&vals);
                    if let Some(t) = template {
                        let labels = self.place_taint(&t);
                        v.taint.join(&labels);
                    }
                }
                // `f"{base}/vault/{name}"` with `base` from configuration (untainted, not a
                // constant): the input moves the path on a host the operator chose.
                let configured_base = (vals.len() >= 3
                    && vals[0].konst.is_none()
                    && !vals[0].is_tainted()
                    && vals[1].konst.as_deref().is_some_and(|k| k.starts_with('/')))
                    || configured_host(&vals);
                if configured_base {
                    v.fields = None;
                    v.qual = Some(format!("lead:{CONFIGURED_BASE}"));
                } else if let Some(first) = vals.first() {
                    if first.konst.as_deref().is_some_and(|k| !k.is_empty()) && !first.is_tainted()
                    {
                        // Every constant part before the first variable one leads the text
                        // (`f"{API_BASE}/alerts/{state}"`: the host ends where `/alerts` starts).
                        let lead: String = vals
                            .iter()
                            .map_while(|p| p.konst.as_deref().filter(|_| !p.is_tainted()))
                            .collect();
                        v.fields = None;
                        v.qual = Some(format!("lead:{lead}"));
                    } else if first
                        .qual
                        .as_deref()
                        .is_some_and(|q| q.starts_with("lead:"))
                    {
                        // `url += "?ref=" + branch`: still led by the same constant text.
                        v.fields = None;
                        v.qual = first.qual.clone();
                    }
                    v.lead_param = first.lead_param;
                }
                // Untrusted text placed inside HTML markup.
                if vals.iter().any(|p| p.html && !p.is_tainted()) {
                    for (p, part) in vals.iter().zip(parts.iter()) {
                        if p.is_tainted() && p.konst.is_none() {
                            self.sink(w, SinkKind::Html, p, part.loc(), "html-template", None);
                        }
                    }
                }
                v
            }
            Expr::Compare { left, right, .. } => {
                self.eval(w, left);
                self.eval(w, right);
                Value {
                    facts: self.guard_facts(w, e),
                    ..Value::default()
                }
            }
            Expr::Not(x, _) => {
                let v = self.eval(w, x);
                Value {
                    facts: v.facts.negate(),
                    ..Value::default()
                }
            }
            Expr::And(xs, _) | Expr::Or(xs, _) => {
                let is_and = matches!(e, Expr::And(..));
                let mut out: Option<Value> = None;
                let mut facts: Option<Facts> = None;
                for x in xs {
                    let v = self.eval(w, x);
                    let mut f = v.facts.clone();
                    f.extend(self.guard_facts(w, x));
                    facts = Some(match facts {
                        None => f,
                        Some(prev) if is_and => prev.and(f),
                        Some(prev) => prev.or(f),
                    });
                    out = Some(match out {
                        None => v,
                        Some(prev) if is_and => v.join(&Value {
                            taint: prev.taint,
                            ..Value::default()
                        }),
                        Some(prev) => prev.join(&v),
                    });
                }
                let mut v = out.unwrap_or_default();
                v.facts = facts.unwrap_or_default();
                v
            }
            Expr::Cond(t, a, b, _) => {
                self.eval(w, t);
                let a = self.eval(w, a);
                let b = self.eval(w, b);
                a.join(&b)
            }
            Expr::Array(items, _) => {
                let mut elems = Vec::new();
                for it in items {
                    match it {
                        Expr::Spread(inner, _) => {
                            let v = self.eval(w, inner);
                            match &v.elems {
                                Some(es) => elems.extend(es.iter().cloned()),
                                None => elems.push(Value {
                                    composed: false,
                                    ..v
                                }),
                            }
                        }
                        other => elems.push(self.eval(w, other)),
                    }
                }
                let mut v = Value::derived_from(elems.iter());
                elems.truncate(64);
                v.elems = Some(std::sync::Arc::new(elems));
                v
            }
            Expr::Object(fields, _) => {
                let mut map = BTreeMap::new();
                let mut v = Value::default();
                for (k, fe) in fields {
                    let fv = self.eval(w, fe);
                    v.taint.join(&fv.taint);
                    v.stack |= fv.stack;
                    match k {
                        Some(k) => {
                            map.insert(k.clone(), fv);
                        }
                        None => {
                            if let Some(f) = &fv.fields {
                                map.extend(f.iter().map(|(a, b)| (a.clone(), b.clone())));
                            }
                        }
                    }
                }
                self.note_tool_object(w, &map, e.loc());
                v.fields = (map.len() <= 64).then(|| std::sync::Arc::new(map));
                v
            }
            Expr::Func(id, _) => {
                let fref = (w.module, *id);
                self.walk_inline(w, *id, Vec::new());
                Value {
                    func: Some(fref),
                    ..Value::default()
                }
            }
            Expr::Import { module, name, .. } => {
                self.import_value(w.module, module, name.as_deref())
            }
            Expr::Spread(x, _) => self.eval(w, x),
            Expr::Iter(x, _) => {
                let v = self.eval(w, x);
                match &v.elems {
                    Some(es) if !es.is_empty() => {
                        let mut out = es[0].clone();
                        for e in &es[1..] {
                            out = out.join(e);
                        }
                        out
                    }
                    _ => Value {
                        taint: v.taint.clone(),
                        derived: v.derived.clone(),
                        checked: v.checked,
                        ..Value::default()
                    },
                }
            }
            Expr::Unknown(children, _) => {
                let vals: Vec<Value> = children.iter().map(|c| self.eval(w, c)).collect();
                Value::derived_from(vals.iter())
            }
        }
    }

    fn member(&mut self, _w: &mut Walk, o: &Value, prop: &str, dotted: Option<String>) -> Value {
        if matches!(o.qual.as_deref(), Some("process.env" | "import.meta.env")) {
            return self.env_value(prop);
        }
        if let Some((inst, cm, cname)) = classes::class_of(o) {
            let cname = cname.to_string();
            if let Some(f) = self.class_method(cm, &cname, prop) {
                return Value {
                    func: Some(f),
                    qual: Some(format!("{cname}.{prop}")),
                    ..Value::default()
                };
            }
            if let Some(v) = self
                .class_fields
                .get(&(cm, cname.clone(), prop.to_string()))
            {
                if inst {
                    return v.clone();
                }
            }
            // Class-level constants (`KEY_FILE = "…"` in the class body).
            if let Some(v) = self.module_env[cm].get(prop) {
                if v.konst.is_some() || v.alts.is_some() || v.elems.is_some() || v.is_tainted() {
                    return v.clone();
                }
            }
        }
        if let Some(fields) = &o.fields {
            if let Some(v) = fields.get(prop) {
                return v.clone();
            }
        }
        let mut v = Value {
            taint: o.taint.clone(),
            checked: o.checked,
            derived: Vec::new(),
            ..Value::default()
        };
        // One variable read from the environment (`env.HOST`, `config.clientId` of a config
        // built from it, also through a helper's parameter) is not the whole environment.
        v.taint.add_guards(Guards::FIELD_READ);
        if let Some(d) = dotted {
            if v.derived.len() < 16 {
                v.derived.push(d);
            }
        }
        // A built-in type says nothing about what its fields are: `*.prop` as for any value.
        v.qual = Some(match &o.qual {
            // A field of a JSON document is JSON; so is what its methods return.
            Some(q) if q == JSON_VALUE => JSON_VALUE.into(),
            Some(q) if !q.starts_with("lead:") && !q.starts_with(BUILTIN_TYPE) => {
                format!("{q}.{prop}")
            }
            _ => format!("*.{prop}"),
        });
        // The environment as a whole (`os.environ`, `process.env`): every secret of the
        // process at once. Single variables are read through `env_value`, not this.
        if matches!(v.qual.as_deref(), Some("os.environ" | "process.env")) {
            let src = self.source(
                OriginKind::LocalSecret,
                None,
                "the whole environment".into(),
            );
            v.taint.join(&Taint::single(Label::Source(src)));
        }
        if let Some(q) = &o.qual {
            if let Some(idx) = q
                .strip_prefix("@mod:")
                .and_then(|s| s.parse::<usize>().ok())
            {
                if let Some(f) = self.resolve_export(idx, prop, 0) {
                    v.func = Some(f);
                }
            }
        }
        if prop == "stack" {
            v.stack = true;
        }
        if prop == "length" {
            v.taint.add_guards(Guards::NUMERIC.union(Guards::BOUNDED));
        }
        v
    }

    fn import_value(&mut self, from: usize, module: &str, name: Option<&str>) -> Value {
        let module = module.strip_prefix("node:").unwrap_or(module);
        if module.starts_with('.') || module.starts_with('/') {
            if let Some(target) = self.resolve_module(from, module) {
                return match name {
                    None => Value::qual(format!("@mod:{target}")),
                    Some(n) => match self.resolve_export(target, n, 0) {
                        Some(f) => Value {
                            func: Some(f),
                            qual: Some(format!("@mod:{target}.{n}")),
                            ..Value::default()
                        },
                        None => self.imported_other(from, module, target, n),
                    },
                };
            }
            if let (Some(n), Lang::Python) = (name, self.modules[from].lang) {
                // `from . import tools`: a submodule of a package without `__init__.py`.
                let sub = python_submodule(module, n);
                if let Some(target) = self.resolve_module(from, &sub) {
                    return Value::qual(format!("@mod:{target}"));
                }
            }
            return Value::default();
        }
        // Python absolute imports of the project's own modules.
        if self.modules[from].lang == Lang::Python {
            if let Some(target) = self.resolve_python_absolute(module) {
                return match name {
                    None => Value::qual(format!("@mod:{target}")),
                    Some(n) => match self.resolve_export(target, n, 0) {
                        Some(f) => Value {
                            func: Some(f),
                            ..Value::default()
                        },
                        None => self.imported_other(from, module, target, n),
                    },
                };
            }
            if let Some(n) = name {
                if let Some(target) = self.resolve_python_absolute(&python_submodule(module, n)) {
                    return Value::qual(format!("@mod:{target}"));
                }
            }
        }
        let root = module.split(['.', '/']).next().unwrap_or(module);
        if !self.external_roots.contains(root) {
            self.external_roots.insert(root.to_string());
        }
        match name {
            None => Value::qual(module.to_string()),
            // The default export of a package or a Node module is the module object itself
            // (`import fs from "fs/promises"`, `import axios from "axios"`).
            Some("default") => Value::qual(module.to_string()),
            Some(n) => Value::qual(format!("{module}.{n}")),
        }
    }

    /// A name imported from a project module that is not a function it exports: a submodule
    /// of a Python package (`from pkg.tools import doc_tools`), a class, or a module-level
    /// value (an instance made at import time).
    fn imported_other(&self, from: usize, module: &str, target: usize, n: &str) -> Value {
        if self.modules[from].lang == Lang::Python {
            let sub = python_submodule(module, n);
            let found = if module.starts_with('.') {
                self.resolve_module(from, &sub)
            } else {
                self.resolve_python_absolute(&sub)
            };
            if let Some(t) = found.filter(|t| *t != target) {
                return Value::qual(format!("@mod:{t}"));
            }
        }
        if let Some(v) = self.module_env[target].get(n) {
            if v.qual.is_some() || v.func.is_some() {
                return v.clone();
            }
        }
        self.class_value(target, n).unwrap_or_default()
    }

    fn resolve_module(&self, from: usize, spec: &str) -> Option<usize> {
        let base = &self.modules[from].module.path;
        let dir = base.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        if self.modules[from].lang == Lang::Python {
            // `.x` → sibling module x; `..x` → parent's; `.` → the package itself.
            let dots = spec.chars().take_while(|c| *c == '.').count();
            let rest = &spec[dots..];
            let mut d: Vec<&str> = if dir.is_empty() {
                Vec::new()
            } else {
                dir.split('/').collect()
            };
            for _ in 1..dots {
                d.pop();
            }
            let mut p = d.join("/");
            if !rest.is_empty() {
                if !p.is_empty() {
                    p.push('/');
                }
                p.push_str(&rest.replace('.', "/"));
            }
            for cand in [format!("{p}.py"), format!("{p}/__init__.py")] {
                if let Some(i) = self.path_index.get(cand.trim_start_matches('/')) {
                    return Some(*i);
                }
            }
            return None;
        }
        let joined = normalise_join(dir, spec);
        let stem = joined
            .trim_end_matches(".js")
            .trim_end_matches(".mjs")
            .trim_end_matches(".cjs");
        let candidates = [
            joined.clone(),
            format!("{joined}.js"),
            format!("{joined}.mjs"),
            format!("{joined}.cjs"),
            format!("{stem}.ts"),
            format!("{stem}.tsx"),
            format!("{joined}/index.js"),
            format!("{joined}/index.ts"),
        ];
        candidates
            .iter()
            .find_map(|c| self.path_index.get(c).copied())
    }

    fn resolve_python_absolute(&self, module: &str) -> Option<usize> {
        let rel = module.replace('.', "/");
        let suffixes = [format!("{rel}.py"), format!("{rel}/__init__.py")];
        self.path_index
            .iter()
            .find(|(p, _)| {
                suffixes
                    .iter()
                    .any(|s| p.as_str() == s || p.ends_with(&format!("/{s}")))
            })
            .map(|(_, i)| *i)
    }

    /// The function a module exports under a name (following re-exports a few levels).
    fn resolve_export(&self, module: usize, name: &str, depth: u32) -> Option<FuncRef> {
        if depth > 4 {
            return None;
        }
        let md = &self.modules[module].module;
        for ex in &md.exports {
            match ex {
                crate::ir::Export::Name { exported, local } if exported == name => {
                    if let Some(id) = self.by_name[module].get(local) {
                        return Some((module, *id));
                    }
                    if let Some(v) = self.module_env[module].get(local) {
                        if let Some(f) = v.func {
                            return Some(f);
                        }
                    }
                }
                crate::ir::Export::From {
                    module: spec,
                    name: n,
                    exported,
                } => {
                    let matches = match (n, exported) {
                        (None, None) => true,
                        (Some(_), Some(e)) => e == name,
                        _ => false,
                    };
                    if matches {
                        if let Some(t) = self.resolve_module(module, spec) {
                            let inner = n.as_deref().unwrap_or(name);
                            if let Some(f) = self.resolve_export(t, inner, depth + 1) {
                                return Some(f);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // Python (and CommonJS without export records): any top-level function by name.
        if let Some(v) = self.module_env[module].get(name) {
            if let Some(f) = v.func {
                return Some(f);
            }
        }
        self.by_name[module].get(name).map(|id| (module, *id))
    }

    // ------------------------------------------------------------ calls

    fn call(&mut self, w: &mut Walk, c: &Call) -> Value {
        let (callee, receiver, method, recv_dotted) = match &c.callee {
            Expr::Member(obj, prop, _) => {
                let recv = self.eval(w, obj);
                let callee = self.member(w, &recv, prop, c.callee.dotted());
                (callee, Some(recv), Some(prop.clone()), obj.dotted())
            }
            other => (self.eval(w, other), None, None, None),
        };
        let method = method.as_deref();
        // promisify(f), util.promisify(f), f.bind(…): the same function.
        let qual = callee.qual.clone().unwrap_or_default();
        if (qual.ends_with("promisify") || qual == "promisify") && !c.args.is_empty() {
            return self.eval(w, &c.args[0].value);
        }
        // `_.bind(f, this)`, `lodash.bind(f, obj)`, `Promise.denodeify(f)`: the same function.
        let root = qual.split('.').next().unwrap_or("");
        let wraps = matches!(
            qual.rsplit('.').next(),
            Some("bind" | "denodeify" | "promisifyAll" | "fromCallback" | "nodeify")
        ) && matches!(
            root,
            "_" | "lodash" | "underscore" | "Promise" | "promise" | "bluebird" | "q" | "pify"
        );
        if wraps && !c.args.is_empty() {
            return self.eval(w, &c.args[0].value);
        }
        if method == Some("bind") {
            if let Some(r) = &receiver {
                return r.clone();
            }
        }
        // `new Server(opts)` of a constructor function with prototype methods: an instance.
        if c.new {
            if let Some((fm, fid)) = callee.func {
                let fname = self.modules[fm].module.functions[fid].name.clone();
                if self.prototype_classes[fm].contains(&fname) {
                    let inst = Value::qual(format!("@inst:{fm}:{fname}"));
                    let args: Vec<Value> = c.args.iter().map(|a| self.eval(w, &a.value)).collect();
                    self.called.insert((fm, fid));
                    self.apply_call(w, (fm, fid), c, &args, Some(&inst));
                    return inst;
                }
            }
        }
        // A project class called (or `new`ed): an instance; its constructor runs with the
        // arguments.
        if let Some((false, cm, cname)) = classes::class_of(&callee) {
            let cname = cname.to_string();
            let inst = Value::qual(format!("@inst:{cm}:{cname}"));
            let args: Vec<Value> = c.args.iter().map(|a| self.eval(w, &a.value)).collect();
            if let Some(init) = self.constructor(cm, &cname) {
                self.called.insert(init);
                self.apply_call(w, init, c, &args, Some(&inst));
            }
            return inst;
        }

        // Node's own HTTP servers: `http.createServer((req, res) => …)`,
        // `server.on("request", handler)` — the handler's request is input.
        let node_server = (qual.ends_with("createServer") || qual.ends_with("createSecureServer"))
            && [
                "http",
                "https",
                "http2",
                "node:http",
                "node:https",
                "node:http2",
            ]
            .iter()
            .any(|m| qual.starts_with(&format!("{m}.")));
        let on_request = method == Some("on")
            && matches!(c.args.first().map(|a| &a.value), Some(Expr::Str(k, _)) if k == "request")
            && receiver
                .as_ref()
                .and_then(|r| r.qual.as_deref())
                .is_some_and(|q| q.contains("createServer"));
        if node_server || on_request {
            if let Some(last) = c.args.last() {
                let handler = match &last.value {
                    Expr::Func(id, _) => Some(*id),
                    other => self
                        .eval(w, other)
                        .func
                        .filter(|f| f.0 == w.module)
                        .map(|f| f.1),
                };
                if let Some(id) = handler {
                    let src = self.source(OriginKind::HttpRequest, None, "HTTP request".into());
                    self.walk_handler(w, id, vec![tainted(src)], None);
                    return Value::qual(format!("{qual}()"));
                }
            }
        }

        // Registration of tool, resource and prompt handlers, and HTTP routes.
        if let Some(m) = method {
            if self.registration(w, c, m, recv_dotted.as_deref()) {
                return Value::default();
            }
        }

        // Callbacks of iteration methods receive the receiver's elements.
        let mut args: Vec<Value> = Vec::with_capacity(c.args.len());
        let mut callback_facts = Facts::default();
        let mut callback_ret: Option<Value> = None;
        for a in &c.args {
            // `new Promise((resolve, reject) => …)`: the executor runs at once with the
            // promise's own settling functions.
            if let (true, Expr::Func(id, _)) = (qual == "Promise", &a.value) {
                let settlers = vec![
                    Value::qual("Promise.resolve"),
                    Value::qual("Promise.reject"),
                ];
                self.walk_inline(w, *id, settlers);
                args.push(Value {
                    func: Some((w.module, *id)),
                    ..Value::default()
                });
                continue;
            }
            // `async.eachSeries(files, (file, next) => …)`: the callback gets the elements of
            // the collection given first (the `async` library and its forks).
            let collection_first = method.is_some_and(|m| ASYNC_COLLECTION_METHODS.contains(&m))
                && matches!(
                    qual.split('.').next(),
                    Some("async" | "neo-async" | "async-es")
                )
                && !c.args.is_empty();
            if let (Some(m), Expr::Func(id, _)) = (method, &a.value) {
                if ITERATION_METHODS.contains(&m) || collection_first {
                    let recv = if collection_first {
                        args.first().cloned().unwrap_or_default()
                    } else {
                        receiver.clone().unwrap_or_default()
                    };
                    let elem = match &recv.elems {
                        Some(es) if !es.is_empty() => {
                            es.iter().skip(1).fold(es[0].clone(), |acc, e| acc.join(e))
                        }
                        _ => Value {
                            taint: recv.taint.clone(),
                            derived: recv.derived.clone(),
                            checked: recv.checked,
                            ..Value::default()
                        },
                    };
                    let mut elem = elem;
                    if matches!(m, "then" | "catch" | "finally") {
                        // A promise's value or error is a result, not the credentials its
                        // call was given.
                        let sources = &self.sources;
                        elem.taint.0.retain(|l, _| !matches!(l, Label::Source(s) if sources[*s as usize].kind == OriginKind::Environment));
                    }
                    let params = if m == "reduce" {
                        vec![Value::default(), elem]
                    } else {
                        vec![elem]
                    };
                    let (ret, facts) = self.walk_inline(w, *id, params);
                    // `.some(cb)` / `.find(cb)` are true where the callback was.
                    callback_facts.yes.extend(facts.yes);
                    callback_ret = Some(ret);
                    args.push(Value {
                        func: Some((w.module, *id)),
                        ..Value::default()
                    });
                    continue;
                }
            }
            args.push(self.eval(w, &a.value));
        }

        // Sinks.
        let lang = self.modules[w.module].lang;
        let mut spec = catalog::sink_for(&qual, recv_dotted.as_deref().or(Some("")));
        if lang == Lang::Python && qual == "open" {
            spec = Some(SinkSpec {
                kind: SinkKind::FileAccess,
                arg: SinkArg::At(0, "file"),
            });
        }
        if lang == Lang::Python && matches!(qual.as_str(), "yaml.load" | "yaml.load_all") {
            let safe = c.args.iter().any(|a| {
                a.name.as_deref() == Some("Loader")
                    && self.slice(w.module, a.value.loc()).contains("Safe")
            }) || c
                .args
                .get(1)
                .is_some_and(|a| self.slice(w.module, a.value.loc()).contains("Safe"));
            if safe {
                spec = None;
            }
        }
        // XPath queries built from input (`tree.xpath(f"//user[@name='{name}']")`).
        if spec.is_none() && (method == Some("xpath") || qual.ends_with("etree.XPath")) {
            spec = Some(SinkSpec {
                kind: SinkKind::Sql,
                arg: SinkArg::At(0, "_path"),
            });
        }
        // A format string chosen by the caller, applied to objects.
        if lang == Lang::Python
            && matches!(method, Some("format" | "format_map"))
            && !c.args.is_empty()
        {
            if let Some(r) = receiver
                .as_ref()
                .filter(|r| r.is_tainted() && r.konst.is_none())
            {
                let r = r.clone();
                self.sink(w, SinkKind::FormatString, &r, c.loc, "str.format", None);
            }
        }
        if qual == "URL" && args.len() < 2 {
            spec = None; // new URL(x) parses; only a base makes it a join
        }
        let spec_kind = spec.as_ref().map(|s| s.kind);
        if let Some(spec) = spec {
            self.apply_sink(w, c, &spec, &args, receiver.as_ref(), &qual);
        }
        self.behaviour_call(w, c, &qual, method, &args, receiver.as_ref(), spec_kind);
        if let Some(v) = self.folded_lookup(w, &qual, &args) {
            return v;
        }
        if let Some(m) = method {
            if matches!(m, "startsWith" | "startswith") {
                self.check_prefix(w, c, receiver.as_ref(), &args);
            }
        }
        self.check_exposure(w, c, &qual, &args, method, recv_dotted.as_deref());
        if qual.ends_with("Tool") || qual.ends_with("types.Tool") {
            self.note_python_tool(w, c);
        }

        // Environment reads by call: `os.getenv("X")`, `os.environ.get("X")`.
        if matches!(
            qual.as_str(),
            "os.getenv" | "os.environ.get" | "getenv" | "environ.get" | "os.environ.__getitem__"
        ) {
            if let Some(name) = args.first() {
                let loc = c.args.first().map(|a| a.value.loc()).unwrap_or(c.loc);
                return self.env_read(w, &name.clone(), loc);
            }
        }

        // Collections grown in place: `args.push(x)`, `cmd.append(x)`, `argv.extend(xs)`.
        if let (Some(m), Expr::Member(obj, _, _)) = (method, &c.callee) {
            if let Some(name) = obj.dotted() {
                self.grow_collection(w, &name, m, c, &args, receiver.as_ref());
            }
        }

        // The result.
        // A method on a receiver the analysis cannot type (a parameter, a factory's result, an
        // attribute of an unknown object): the package's methods of that name, when there are
        // few (the field-based approximation of call graphs), rather than nothing.
        let by_name_fallback: Vec<FuncRef> = match (method, &receiver) {
            (Some(m), Some(r))
                if callee.func.is_none()
                    && r.qual.as_deref().is_none_or(|q| {
                        // Unknown objects and results of bare calls (`get_client()`), not the
                        // objects of named APIs (`httpx.AsyncClient()`, `fs.promises`).
                        q.starts_with("*.")
                            || q.starts_with("@inst:")
                            || (q.ends_with("()") && !q.contains('.'))
                    })
                    && !m.starts_with("__")
                    && !(reach::builtin_value(r) && reach::is_builtin_method(m)) =>
            {
                if self.resolve_method(w, &c.callee).is_some() {
                    Vec::new()
                } else {
                    self.methods_named
                        .get(m)
                        .filter(|fs| fs.len() <= MAX_NAME_FALLBACK)
                        .cloned()
                        .unwrap_or_default()
                }
            }
            _ => Vec::new(),
        };
        let target = callee.func.or_else(|| self.resolve_method(w, &c.callee));
        let modelled = spec_kind.is_some() || catalog::sanitiser_for(&qual).is_some();
        self.note_call(
            w,
            c,
            &callee,
            receiver.as_ref(),
            method,
            &args,
            target.is_some(),
            !by_name_fallback.is_empty(),
            modelled,
        );
        let mut result = if let Some(fref) = target {
            self.called.insert(fref);
            self.apply_call(w, fref, c, &args, receiver.as_ref())
        } else if !by_name_fallback.is_empty() {
            let mut joined: Option<Value> = None;
            for fref in by_name_fallback {
                self.called.insert(fref);
                let r = self.apply_call(w, fref, c, &args, receiver.as_ref());
                joined = Some(match joined {
                    Some(j) => j.join(&r),
                    None => r,
                });
            }
            joined.unwrap_or_default()
        } else {
            // `s.replace(old, new)`: the text searched for is not part of the result.
            let skip = usize::from(
                receiver.is_some()
                    && args.len() >= 2
                    && matches!(method, Some("replace" | "replaceAll")),
            );
            let mut parts: Vec<&Value> = args.iter().skip(skip).collect();
            if let Some(r) = &receiver {
                parts.push(r);
            }
            let mut v = Value::derived_from(parts);
            // The environment as a whole survives copies and serialisations of it
            // (`dict(os.environ)`, `JSON.stringify(process.env)`, `Object.entries(…)`), not
            // calls that are merely given it.
            if !behaviour_flows::keeps_whole_value(&qual, method) {
                let sources = &self.sources;
                v.taint.0.retain(|l, _| !matches!(l, Label::Source(s) if is_whole_environment(&sources[*s as usize])));
            }
            // A credential survives only calls that rework text; what an API client, a
            // connection or a hash returns is not the credential it was given.
            if !catalog::keeps_text(method, &qual) {
                let sources = &self.sources;
                v.taint.0.retain(|l, _| !matches!(l, Label::Source(s) if sources[*s as usize].kind == OriginKind::Environment));
            }
            if let Some(ret) = callback_ret {
                v.absorb(&ret);
            }
            if let Some(g) = catalog::sanitiser_for(&qual) {
                v.taint.add_guards(g);
                v.checked = v.checked.union(g);
                if g == Guards::NUMERIC {
                    v.html = false;
                }
            }
            // Wrapping an import in an unknown helper (minified `__toESM`) keeps the module.
            if args.len() == 1
                && receiver.is_none()
                && args[0].qual.is_some()
                && callee.func.is_none()
                && catalog::sink_for(&qual, None).is_none()
                && c.args
                    .first()
                    .is_some_and(|a| matches!(a.value, Expr::Import { .. }))
            {
                v.qual = args[0].qual.clone();
            } else if let Some(lead) = url_lead_kept(&qual, method, &args, receiver.as_ref()) {
                // `new URL(x)`, `url.toString()`, `String(x)`: the same URL text.
                v.qual = Some(lead);
            } else if parses_json(&qual, method, &args, receiver.as_ref()) {
                v.qual = Some(JSON_VALUE.into());
            } else if let Some(kind) = builtin_result(method, receiver.as_ref()) {
                v.qual = Some(format!("{BUILTIN_TYPE}{kind}"));
            } else if !qual.is_empty() {
                v.qual = Some(format!("{qual}()"));
            }
            v.lead_param = url_passthrough(&qual, method, &args, receiver.as_ref())
                .and_then(|src| src.lead_param);
            v
        };
        if matches!(
            qual.as_str(),
            "traceback.format_exc" | "traceback.format_exception" | "traceback.format_tb"
        ) {
            result.stack = true;
            let src = self.source(OriginKind::Exception, None, "stack trace".into());
            result.taint.join(&Taint::single(Label::Source(src)));
        }
        if let Some(spec) = catalog::sink_for(&qual, recv_dotted.as_deref().or(Some(""))) {
            if spec.kind == SinkKind::Fetch {
                // The response is not the request: credentials sent with it stay behind, also
                // in a helper (`proxyFetch(url, { headers })`) whose callers pass them.
                let sources = &self.sources;
                result.taint.0.retain(|l, _| match l {
                    Label::Source(s) => sources[*s as usize].kind != OriginKind::Environment,
                    Label::Param(_) => false,
                });
                let fixed = args
                    .first()
                    .and_then(|u| {
                        u.konst.clone().or_else(|| {
                            u.qual
                                .as_deref()
                                .and_then(|q| q.strip_prefix("lead:"))
                                .map(str::to_string)
                        })
                    })
                    .filter(|u| behaviour_flows::fixed_host(u));
                let what = match fixed {
                    Some(u) => format!("content downloaded from `{u}`"),
                    None => "a response fetched from the network".into(),
                };
                let src = self.source(OriginKind::NetworkResponse, None, what);
                result.taint.join(&Taint::single(Label::Source(src)));
            }
        }
        self.behaviour_result(w, c, &qual, &args, &mut result, spec_kind);
        if !callback_facts.is_empty() {
            result.facts.extend(callback_facts);
        }
        result
    }

    /// `this.m(…)` / `self.m(…)` → the method of the enclosing class.
    fn resolve_method(&self, w: &Walk, callee: &Expr) -> Option<FuncRef> {
        let Expr::Member(obj, prop, _) = callee else {
            return None;
        };
        let is_self = matches!(&**obj, Expr::This(_))
            || matches!(&**obj, Expr::Name(n, _) if n == "self" || n == "cls");
        if !is_self {
            return None;
        }
        let class = self.enclosing_class(w)?;
        self.by_name[w.module]
            .get(&format!("{class}.{prop}"))
            .map(|id| (w.module, *id))
            .or_else(|| self.class_method(w.module, &class, prop))
    }

    fn apply_call(
        &mut self,
        w: &mut Walk,
        fref: FuncRef,
        c: &Call,
        args: &[Value],
        receiver: Option<&Value>,
    ) -> Value {
        let (m, id) = fref;
        let Some(f) = self
            .modules
            .get(m)
            .and_then(|md| md.module.functions.get(id))
        else {
            return Value::default();
        };
        // Closures nested in other functions see their enclosing variables: walk them in place.
        let nested = f.parent.is_some_and(|p| p != 0) && m == w.module;
        let py_method = self.modules[m].lang == Lang::Python && f.class.is_some();
        let offset = usize::from(
            py_method
                && f.params
                    .first()
                    .is_some_and(|p| p.name == "self" || p.name == "cls"),
        );
        let mut mapped: Vec<Value> = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            if i < offset {
                mapped.push(receiver.cloned().unwrap_or_default());
                continue;
            }
            let pos = i - offset;
            let kw = c
                .args
                .iter()
                .position(|a| a.name.as_deref() == Some(p.name.as_str()));
            let v = if p.rest {
                Value::derived_from(args.iter().skip(pos))
            } else if let Some(k) = kw {
                args.get(k).cloned().unwrap_or_default()
            } else {
                // positional arguments are those without a keyword name
                let positional: Vec<&Value> = c
                    .args
                    .iter()
                    .zip(args.iter())
                    .filter(|(a, _)| a.name.is_none())
                    .map(|(_, v)| v)
                    .collect();
                positional
                    .get(pos)
                    .map(|v| (*v).clone())
                    .unwrap_or_default()
            };
            mapped.push(v);
        }
        if w.func != 0 && !nested {
            let callees = self.calls.entry((w.module, w.func)).or_default();
            if !callees.contains(&fref) {
                callees.push(fref);
            }
        }
        if nested && w.depth < self.limits.max_inline_depth {
            let (ret, _) = self.walk_inline(w, id, mapped);
            return ret;
        }
        // A function of this module given a function as an argument (`check(file, cb)`,
        // `readAll(dir, (f) => …)`): a summary cannot say what the callback is given, so the
        // callee runs here with the arguments it was passed, in a scope of its own.
        let callback = mapped.iter().any(|v| v.func.is_some());
        if callback && m == w.module && w.depth < self.limits.max_inline_depth {
            let saved_frames = std::mem::replace(&mut w.frames, vec![Frame::default()]);
            let saved_tool_frame = w.tool_frame.take();
            let (ret, _) = self.walk_inline(w, id, mapped);
            w.frames = saved_frames;
            w.tool_frame = saved_tool_frame;
            return ret;
        }
        let Some(summary) = self.summaries.get(&fref).cloned() else {
            return Value::default();
        };
        self.inherit_uses(w, &summary.uses);
        let name = display_name(&f.name);
        for ev in &summary.events {
            let Some(arg) = mapped.get(ev.param as usize) else {
                continue;
            };
            let mut site = ev.site.clone();
            if !site.via.contains(&name) {
                site.via.insert(0, name.clone());
            }
            self.emit(w, &site, arg, ev.guards);
        }
        // `getConfig("X_TOKEN")`: the helper returns the variable its argument names.
        if let Some(i) = summary
            .ret
            .qual
            .as_deref()
            .and_then(|q| q.strip_prefix(ENV_OF_PARAM))
            .and_then(|i| i.parse::<usize>().ok())
        {
            let name = mapped.get(i).cloned().unwrap_or_default();
            return self.env_read(w, &name, c.loc);
        }
        // The return value: parameters map to the arguments given.
        let mut ret = Value {
            qual: summary.ret.qual.clone(),
            html: summary.ret.html,
            stack: summary.ret.stack,
            elems: summary.ret.elems.clone(),
            fields: summary.ret.fields.clone(),
            ..Value::default()
        };
        // `buildUrl(\`https://host/…\`, params)` returns text led by its first argument.
        if let Some(i) = summary.ret.lead_param {
            if let Some(a) = mapped.get(usize::from(i)) {
                // The text is the argument's (converted at most): its constant lead is kept.
                if a.qual.as_deref().is_some_and(|q| q.starts_with("lead:")) {
                    ret.qual = a.qual.clone();
                }
                ret.lead_param = a.lead_param;
            }
        }
        for (label, g) in &summary.ret.taint.0 {
            match label {
                Label::Param(i) => {
                    if let Some(a) = mapped.get(*i as usize) {
                        let mut t = a.taint.clone().with_guards(*g);
                        // A helper given the environment (a config parser, a process runner
                        // with `{ env: { ...process.env } }`) returns something else; one
                        // that collects it returns its own source, kept below.
                        let sources = &self.sources;
                        t.0.retain(|l, _| !matches!(l, Label::Source(s) if is_whole_environment(&sources[*s as usize])));
                        ret.taint.join(&t);
                        ret.html |= a.html;
                        for d in &a.derived {
                            if ret.derived.len() < 16 {
                                ret.derived.push(d.clone());
                            }
                        }
                    }
                }
                Label::Source(s) => {
                    // Exception text is reported where a tool returns it, not through callers.
                    if self.sources[*s as usize].kind != OriginKind::Exception {
                        ret.taint
                            .join(&Taint(BTreeMap::from([(label.clone(), *g)])));
                    }
                }
            }
        }
        if catalog::is_validator_name(&f.name) {
            ret.taint.add_guards(Guards::VALIDATED);
        }
        ret
    }

    /// Walk a function in place with the given parameter values; returns its return value and
    /// the guard facts its returns stand for.
    fn walk_inline(&mut self, w: &mut Walk, id: FuncId, params: Vec<Value>) -> (Value, Facts) {
        if w.depth >= self.limits.max_inline_depth {
            return (Value::default(), Facts::default());
        }
        let m = w.module;
        let Some(f) = self.modules[m].module.functions.get(id) else {
            return (Value::default(), Facts::default());
        };
        let mut frame = Frame::default();
        for (i, p) in f.params.iter().enumerate() {
            let mut v = params.get(i).cloned().unwrap_or_default();
            if let Some(ann) = &p.annotation {
                if ann.contains("Request") && self.modules[m].lang == Lang::Python {
                    let src = self.source(
                        OriginKind::HttpRequest,
                        None,
                        format!("HTTP request `{}`", p.name),
                    );
                    v.taint.join(&Taint::single(Label::Source(src)));
                }
                if v.qual.is_none() {
                    if let Some(kind) = builtin_type(ann) {
                        type_as_builtin(&mut v, kind, self.modules[m].lang);
                    }
                }
            }
            frame.insert(p.name.clone(), v);
        }
        let saved_ret = w.returned.take();
        let saved_func = w.func;
        w.frames.push(frame);
        w.depth += 1;
        w.func = id;
        self.hoist(w, id);
        let body = &self.modules[m].module.functions[id].body;
        // Guard facts of a single-expression body (`dir => p.startsWith(dir)`).
        let mut facts = Facts::default();
        if let [Stmt::Return(Some(e), _)] = body.as_slice() {
            facts = self.guard_facts(w, e);
        }
        let tool_frame_saved = w.tool_frame;
        self.exec_block(w, body);
        let ret = w.returned.take().unwrap_or_default();
        w.tool_frame = tool_frame_saved;
        let mut frames = std::mem::take(&mut w.frames);
        frames.pop();
        w.frames = frames;
        w.depth -= 1;
        w.func = saved_func;
        w.returned = saved_ret;
        let mut all_facts = facts;
        all_facts.extend(ret.facts.clone());
        (ret, all_facts)
    }

    // ------------------------------------------------------------ sinks

    fn apply_sink(
        &mut self,
        w: &mut Walk,
        c: &Call,
        spec: &SinkSpec,
        args: &[Value],
        receiver: Option<&Value>,
        qual: &str,
    ) {
        let pick = |i: usize, kw: &str| -> Option<Value> {
            if !kw.is_empty() {
                if let Some(k) = c.args.iter().position(|a| a.name.as_deref() == Some(kw)) {
                    return args.get(k).cloned();
                }
            }
            let positional: Vec<&Value> = c
                .args
                .iter()
                .zip(args.iter())
                .filter(|(a, _)| a.name.is_none())
                .map(|(_, v)| v)
                .collect();
            positional.get(i).map(|v| (*v).clone())
        };
        let loc = c.loc;
        if spec.kind == SinkKind::Log {
            for (a, v) in c.args.iter().zip(args) {
                self.secret_sink(w, SinkKind::Log, v, loc, qual);
                if self.is_whole_arguments(w, &a.value) {
                    let mut only = v.clone();
                    let sources = &self.sources;
                    only.taint.0.retain(|l, _| matches!(l, Label::Source(s) if sources[*s as usize].kind == OriginKind::ToolArgument));
                    if only.is_tainted() {
                        self.sink(w, SinkKind::ArgumentsLogged, &only, loc, qual, None);
                    }
                }
            }
            return;
        }
        match spec.arg {
            SinkArg::At(i, kw) => {
                if let Some(v) = pick(i, kw) {
                    if spec.kind == SinkKind::Navigate {
                        self.navigation_sink(w, &v, loc, qual);
                    } else if spec.kind == SinkKind::Fetch && v.fields.is_some() {
                        let f = v
                            .fields
                            .as_ref()
                            .and_then(|f| {
                                f.get("url")
                                    .or_else(|| f.get("baseURL"))
                                    .or_else(|| f.get("hostname"))
                                    .or_else(|| f.get("host"))
                            })
                            .cloned();
                        if let Some(f) = f {
                            self.sink(w, spec.kind, &f, loc, qual, None);
                        }
                    } else {
                        self.sink(w, spec.kind, &v, loc, qual, None);
                    }
                }
            }
            SinkArg::All => {
                if spec.kind == SinkKind::Argv {
                    // GitPython style: every positional argument is an argv element of `git`.
                    // `*args` with known elements spreads them in order.
                    let mut elems: Vec<Value> = Vec::new();
                    for (a, v) in c.args.iter().zip(args.iter()) {
                        if a.name.is_some() {
                            continue;
                        }
                        match (&a.value, &v.elems) {
                            (Expr::Spread(..), Some(es)) => elems.extend(es.iter().cloned()),
                            _ => elems.push(v.clone()),
                        }
                    }
                    let program = if qual.starts_with("git.") {
                        Some("git".to_string())
                    } else {
                        None
                    };
                    self.argv_sink(w, loc, qual, program, &elems, None);
                } else {
                    for v in args {
                        self.sink(w, spec.kind, v, loc, qual, None);
                    }
                }
            }
            SinkArg::Receiver => {
                if let Some(r) = receiver {
                    self.sink(w, spec.kind, r, loc, qual, None);
                }
            }
            SinkArg::Field(i, field) => {
                if let Some(v) = pick(i, "") {
                    let f = v
                        .fields
                        .as_ref()
                        .and_then(|f| f.get(field))
                        .cloned()
                        .unwrap_or(v);
                    self.sink(w, spec.kind, &f, loc, qual, None);
                }
            }
            SinkArg::Spawn => {
                let program = args.first().cloned().unwrap_or_default();
                let (argv, options) = match args.get(1) {
                    Some(a) if a.elems.is_some() || a.fields.is_none() => {
                        (Some(a.clone()), args.get(2).cloned())
                    }
                    Some(a) => (None, Some(a.clone())),
                    None => (None, None),
                };
                // `shell: true` (or `!0` minified, or a shell path) in the options object.
                let shell = options.is_some()
                    && c.args
                        .last()
                        .is_some_and(|a| options_enable_shell(self.slice(w.module, a.value.loc())));
                if shell {
                    let mut all = vec![program.clone()];
                    if let Some(a) = &argv {
                        all.push(a.clone());
                    }
                    let v = Value::derived_from(all.iter());
                    self.sink(w, SinkKind::Shell, &v, loc, qual, None);
                    return;
                }
                self.sink(w, SinkKind::Program, &program, loc, qual, None);
                let elems = argv.as_ref().and_then(|a| a.elems.clone());
                match (elems, argv) {
                    (Some(es), _) => self.argv_sink(w, loc, qual, program.konst.clone(), &es, None),
                    (None, Some(a)) => {
                        self.argv_sink(w, loc, qual, program.konst.clone(), &[], Some(&a))
                    }
                    _ => {}
                }
            }
            SinkArg::Subprocess => {
                let a0 = pick(0, "args").unwrap_or_default();
                let shell = c.args.iter().any(|a| {
                    a.name.as_deref() == Some("shell")
                        && self.slice(w.module, a.value.loc()).trim() == "True"
                });
                if shell {
                    let v = match &a0.elems {
                        Some(es) => Value::derived_from(es.iter()),
                        None => a0.clone(),
                    };
                    self.sink(w, SinkKind::Shell, &v, loc, qual, None);
                    return;
                }
                match &a0.elems {
                    Some(es) if !es.is_empty() => {
                        self.sink(w, SinkKind::Program, &es[0], loc, qual, None);
                        self.argv_sink(w, loc, qual, es[0].konst.clone(), &es[1..], None);
                    }
                    _ => self.sink(w, SinkKind::Program, &a0, loc, qual, None),
                }
            }
        }
    }

    /// Argument vectors: a user-chosen element that is not an option's value, comes before any
    /// `--`, and may start with `-` is argument injection; `sh -c <text>` is a shell line.
    fn argv_sink(
        &mut self,
        w: &mut Walk,
        loc: Loc,
        qual: &str,
        program: Option<String>,
        elems: &[Value],
        opaque: Option<&Value>,
    ) {
        if let Some(p) = &program {
            if catalog::is_shell_program(p) {
                if let Some(pos) = elems
                    .iter()
                    .position(|e| matches!(e.konst.as_deref(), Some("-c" | "/c" | "-Command")))
                {
                    if let Some(text) = elems.get(pos + 1) {
                        self.sink(w, SinkKind::Shell, text, loc, qual, program.clone());
                    }
                    return;
                }
            }
            if !catalog::is_option_sensitive_program(p) {
                return;
            }
        }
        if let Some(v) = opaque {
            self.sink(w, SinkKind::Argv, v, loc, qual, program);
            return;
        }
        let mut prev_option = false;
        for e in elems {
            if e.konst.as_deref() == Some("--") {
                return;
            }
            if let Some(k) = &e.konst {
                prev_option = k.starts_with('-') && !k.contains('=');
                continue;
            }
            let leads_with_text = e.qual.as_deref().is_some_and(|q| q.starts_with("lead:"));
            if e.is_tainted() && !prev_option && !leads_with_text {
                self.sink(w, SinkKind::Argv, e, loc, qual, program.clone());
            }
            prev_option = false;
        }
    }

    fn navigation_sink(&mut self, w: &mut Walk, v: &Value, loc: Loc, api: &str) {
        if v.konst.is_some() {
            return;
        }
        if let Some(lead) = v.qual.as_deref().and_then(|q| q.strip_prefix("lead:")) {
            if lead.starts_with("http")
                || lead.starts_with('/')
                || lead.starts_with('#')
                || lead.starts_with('?')
            {
                return;
            }
        }
        if v.is_tainted() {
            self.sink(w, SinkKind::Navigate, v, loc, api, None);
        } else if v.func.is_none() && v.elems.is_none() && v.fields.is_none() {
            let src = self.source(
                OriginKind::Unchecked,
                None,
                "a URL computed elsewhere and not checked here".into(),
            );
            let mut u = v.clone();
            u.taint = Taint::single(Label::Source(src)).with_guards(v.checked);
            self.sink(w, SinkKind::Navigate, &u, loc, api, None);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn sink(
        &mut self,
        w: &mut Walk,
        kind: SinkKind,
        v: &Value,
        loc: Loc,
        api: &str,
        program: Option<String>,
    ) {
        self.note_use(w, kind, v, loc, api);
        if !v.is_tainted() {
            return;
        }
        let site = Site {
            kind,
            module: w.module,
            loc,
            whole: !v.composed,
            api: api.to_string(),
            program,
            via: Vec::new(),
            detail: None,
        };
        self.emit(w, &site, v, Guards::NONE);
    }

    /// Record a flow: labelled by a parameter → the function's summary; by a source → reported.
    fn emit(&mut self, w: &mut Walk, site: &Site, v: &Value, extra: Guards) {
        let extra = if site.kind == SinkKind::Fetch && fixes_host(v) {
            extra.union(Guards::HOST_FIXED)
        } else {
            extra
        };
        for (label, g) in &v.taint.0 {
            let guards = v.guards_for(*g).union(extra);
            match label {
                Label::Param(i) => {
                    if w.summary.events.len() < 256 {
                        let exists = w.summary.events.iter().any(|e| {
                            e.param == *i
                                && e.site.loc == site.loc
                                && e.site.kind == site.kind
                                && e.site.module == site.module
                        });
                        if !exists {
                            w.summary.events.push(SumEvent {
                                param: *i,
                                guards,
                                site: site.clone(),
                            });
                        }
                    }
                }
                Label::Source(s) => {
                    if guards.has(Guards::FIELD_READ)
                        && is_configuration_bundle(&self.sources[*s as usize])
                    {
                        continue;
                    }
                    let mut site = site.clone();
                    if let Some(tool) = w
                        .tool_case
                        .clone()
                        .or_else(|| w.tool.clone())
                        .filter(|t| !t.is_empty())
                    {
                        let info = self.sources[*s as usize].clone();
                        if info.tool.is_none() && matches!(info.kind, OriginKind::ToolArgument) {
                            let idx = self.source(
                                info.kind,
                                Some(tool.clone()),
                                info.what
                                    .replace("the tool call", &format!("tool `{tool}`")),
                            );
                            self.record_flow(site.clone(), guards, idx);
                            continue;
                        }
                    }
                    site.via.retain(|x| !x.is_empty());
                    self.record_flow(site, guards, *s);
                }
            }
        }
    }

    fn record_flow(&mut self, site: Site, guards: Guards, source: u32) {
        let key = (site.module, site.loc.start, site.kind, source);
        match self.flows.get_mut(&key) {
            Some(existing) => {
                // The same sink reached several ways: keep the weakest guards.
                existing.1 = existing.1.intersect(guards);
            }
            None => {
                self.flows.insert(key, (site, guards, source));
            }
        }
    }

    fn source(&mut self, kind: OriginKind, tool: Option<String>, what: String) -> u32 {
        let info = SourceInfo { kind, tool, what };
        if let Some(i) = self.source_index.get(&info) {
            return *i;
        }
        let i = self.sources.len() as u32;
        self.sources.push(info.clone());
        self.source_index.insert(info, i);
        i
    }

    // ------------------------------------------------------------ guards

    /// Variables a condition checks, and how, on each of its branches.
    fn guard_facts(&mut self, w: &mut Walk, cond: &Expr) -> Facts {
        self.collect_facts(w, cond, 0)
    }

    fn collect_facts(&mut self, w: &mut Walk, e: &Expr, depth: u32) -> Facts {
        if depth > 16 {
            return Facts::default();
        }
        match e {
            Expr::Not(x, _) => self.collect_facts(w, x, depth + 1).negate(),
            Expr::And(xs, _) | Expr::Or(xs, _) => {
                let is_and = matches!(e, Expr::And(..));
                let mut acc: Option<Facts> = None;
                for x in xs {
                    let f = self.collect_facts(w, x, depth + 1);
                    acc = Some(match acc {
                        None => f,
                        Some(prev) if is_and => prev.and(f),
                        Some(prev) => prev.or(f),
                    });
                }
                acc.unwrap_or_default()
            }
            Expr::Name(n, _) => self.lookup(w, n).map(|v| v.facts).unwrap_or_default(),
            Expr::Compare {
                op, left, right, ..
            } => compare_facts(op, left, right),
            Expr::Call(c) => self.call_facts(w, c, depth),
            _ => Facts::default(),
        }
    }

    /// The text of a regular expression: a literal, a string, or a name bound to either.
    /// The text of a regular expression and whether it is a JavaScript literal (`/body/flags`)
    /// rather than a pattern given as a string (which may itself start with `/`).
    fn pattern_text(&self, w: &Walk, e: &Expr) -> Option<(String, bool)> {
        match e {
            Expr::Regex(r, _) => Some((r.clone(), true)),
            Expr::Str(s, _) => Some((s.clone(), false)),
            Expr::Name(n, _) => self.lookup(w, n).and_then(|v| {
                let literal = v.qual.as_deref() == Some("RegExp");
                v.konst.map(|k| (k, literal))
            }),
            _ => None,
        }
    }

    /// What a call used as a condition tells (`allowed.includes(x)`, `/re/.test(x)`,
    /// `p.startsWith(root)`, `isValidName(x)`).
    fn call_facts(&mut self, w: &mut Walk, c: &Call, depth: u32) -> Facts {
        let mut yes = Vec::new();
        let mut no = Vec::new();
        let name = callee_last_name(&c.callee).unwrap_or_default();
        let recv = match &c.callee {
            Expr::Member(obj, _, _) => Some(&**obj),
            _ => None,
        };
        match name.as_str() {
            "has" | "includes" | "indexOf" | "contains" | "hasOwnProperty" => {
                if !matches!(recv, Some(Expr::Str(..))) {
                    for n in arg_names(c) {
                        yes.push((n, Guards::ALLOWLIST));
                    }
                }
            }
            "startsWith" | "startswith" => {
                if let Some(r) = recv.and_then(|r| r.dotted()) {
                    if let Some(arg) = c.args.first().map(|a| &a.value) {
                        match arg.as_str() {
                            // A leading dash or `..` is what the check rejects.
                            Some(t) if t.starts_with('-') => no.push((r, Guards::DASH_CHECKED)),
                            Some(t) if t == ".." || t.is_empty() => no.push((r, Guards::CONTAINED)),
                            Some(t) if t.starts_with("http") || t.contains("://") => {
                                yes.push((r, Guards::URL_CHECKED))
                            }
                            Some(_) => {}
                            // `p.startsWith(root)`: inside the root where true.
                            None => yes.push((r, Guards::CONTAINED)),
                        }
                    }
                }
            }
            "test" | "match" | "fullmatch" | "search" => {
                // /re/.test(v), v.match(/re/), re.match(p, v) — when the pattern restricts
                // the whole text (see `regex_guard`).
                let python = self.modules[w.module].lang == Lang::Python;
                let anchoring = match name.as_str() {
                    "match" if python => Anchoring::Start,
                    "fullmatch" => Anchoring::Both,
                    _ => Anchoring::None,
                };
                let strong = |s: &Self, w: &Walk, pattern: Option<&Expr>| {
                    pattern
                        .and_then(|p| s.pattern_text(w, p))
                        .is_none_or(|(t, literal)| regex_guard::validates(&t, literal, anchoring))
                };
                if let Some(Expr::Regex(..)) = recv {
                    if strong(self, w, recv) {
                        yes.extend(arg_names(c).into_iter().map(|n| (n, Guards::VALIDATED)));
                    }
                } else if recv.and_then(|r| r.dotted()).as_deref() == Some("re") {
                    if strong(self, w, c.args.first().map(|a| &a.value)) {
                        for a in c.args.iter().skip(1) {
                            if let Some(n) = a.value.dotted() {
                                yes.push((n, Guards::VALIDATED));
                            }
                        }
                    }
                } else if let (Some(r), Some(Expr::Regex(..))) = (
                    recv.and_then(|r| r.dotted()),
                    c.args.first().map(|a| &a.value),
                ) {
                    if strong(self, w, c.args.first().map(|a| &a.value)) {
                        yes.push((r, Guards::VALIDATED));
                    }
                } else if let Some(r) = recv.and_then(|r| r.dotted()) {
                    // compiled pattern: PATTERN.match(v), or a name bound to a regex literal
                    let regex_value = recv
                        .and_then(|e| match e {
                            Expr::Name(n, _) => self.lookup(w, n),
                            _ => None,
                        })
                        .is_some_and(|v| v.qual.as_deref() == Some("RegExp"));
                    if (regex_value
                        || r.chars().any(|ch| ch.is_ascii_uppercase())
                        || r.to_ascii_lowercase().contains("pattern")
                        || r.to_ascii_lowercase().contains("re"))
                        && strong(self, w, recv)
                    {
                        yes.extend(arg_names(c).into_iter().map(|n| (n, Guards::VALIDATED)));
                    }
                }
            }
            "is_relative_to" | "relative_to" => {
                if let Some(r) = recv {
                    for n in expr_names(r) {
                        yes.push((n, Guards::CONTAINED));
                    }
                }
            }
            // Python `any(re.match(rx, url) for rx in ALLOWED)`: true where one check was.
            "any" | "all" if recv.is_none() => {
                if let Some(Expr::Array(children, _) | Expr::Unknown(children, _)) =
                    c.args.first().map(|a| &a.value)
                {
                    for child in children.clone() {
                        yes.extend(self.collect_facts(w, &child, depth + 1).yes);
                    }
                }
            }
            "isAbsolute" | "isabs" | "isinstance" | "exists" | "existsSync" | "isfile"
            | "isdir" | "is_file" | "is_dir" => {}
            other => {
                if catalog::is_validator_name(other)
                    || other.starts_with("is") && catalog::is_validator_name(&other[2..])
                {
                    // A validator's answer may be "valid" (`is_allowed(x)`) or an error
                    // (`err = validate_url(x); if err: return err`): either way the code
                    // that goes on past the check has had its argument checked.
                    let errors = !other.to_ascii_lowercase().starts_with("is");
                    for a in &c.args {
                        for n in expr_names(&a.value) {
                            if errors {
                                no.push((n.clone(), Guards::VALIDATED));
                            }
                            yes.push((n, Guards::VALIDATED));
                        }
                    }
                }
                if other == "commonpath" || other == "commonprefix" {
                    for a in &c.args {
                        for n in expr_names(&a.value) {
                            yes.push((n, Guards::CONTAINED));
                        }
                    }
                }
                // `.some(dir => p.startsWith(dir))`: facts of the callback.
                if matches!(other, "some" | "every" | "find" | "filter") {
                    if let Some(Expr::Func(id, _)) = c.args.first().map(|a| &a.value) {
                        if let Some(Stmt::Return(Some(ret), _)) = self.modules[w.module]
                            .module
                            .functions
                            .get(*id)
                            .and_then(|f| f.body.last())
                        {
                            let ret = ret.clone();
                            let f = self.collect_facts(w, &ret, depth + 1);
                            yes.extend(f.yes);
                        }
                    }
                }
            }
        }
        Facts { yes, no }
    }

    /// `p.startsWith(root)` with no separator after the root: `/allowed-evil` passes.
    fn check_prefix(&mut self, w: &mut Walk, c: &Call, receiver: Option<&Value>, args: &[Value]) {
        let (Some(recv), Some(arg), Some(arg_expr)) = (receiver, args.first(), c.args.first())
        else {
            return;
        };
        if matches!(arg_expr.value, Expr::Str(..)) || !recv.is_tainted() {
            return;
        }
        // Constant prefixes (`startswith(("http://", "https://"))`) check a scheme or a word,
        // not containment in a root.
        if let Expr::Array(items, _) = &arg_expr.value {
            if items.iter().all(|i| matches!(i, Expr::Str(..))) {
                return;
            }
        }
        // Separator-aware forms: root + sep, `${root}/`, path.sep itself.
        if let Expr::Concat(parts, _) = &arg_expr.value {
            if let Some(last) = parts.last() {
                let text = self.slice(w.module, last.loc());
                if text.contains("sep")
                    || last
                        .as_str()
                        .is_some_and(|s| s.ends_with('/') || s.ends_with('\\'))
                {
                    return;
                }
            }
        }
        // `root.replace(/\\?$/, "\\")`, `root.replace(/\/?$/, "/")`: a separator appended.
        if let Expr::Call(inner) = &arg_expr.value {
            let replaces = callee_last_name(&inner.callee)
                .is_some_and(|n| n == "replace" || n == "replaceAll");
            let with_sep = inner
                .args
                .get(1)
                .and_then(|a| a.value.as_str())
                .is_some_and(|t| t.ends_with('/') || t.ends_with('\\'));
            if replaces && with_sep {
                return;
            }
        }
        let arg_text = self.slice(w.module, arg_expr.value.loc()).to_string();
        if arg_text.contains("sep") || arg_text.ends_with("\"/\"") || arg_text.ends_with("'/'") {
            return;
        }
        let recv_text = match &c.callee {
            Expr::Member(obj, _, _) => self.slice(w.module, obj.loc()).to_string(),
            _ => String::new(),
        };
        let pathish = catalog::is_pathish(&recv_text)
            || catalog::is_pathish(&arg_text)
            || recv.derived.iter().any(|d| catalog::is_pathish(d))
            || arg.derived.iter().any(|d| catalog::is_pathish(d));
        if !pathish {
            return;
        }
        let site = Site {
            kind: SinkKind::WeakPrefix,
            module: w.module,
            loc: c.loc,
            whole: true,
            api: "startsWith".into(),
            program: None,
            via: Vec::new(),
            detail: None,
        };
        let mut v = recv.clone();
        // The weakness is the check itself: guards recorded so far do not hide it.
        for g in v.taint.0.values_mut() {
            *g = Guards::NONE;
        }
        v.checked = Guards::NONE;
        self.emit(w, &site, &v, Guards::NONE);
    }

    /// A `try` that resolves symlinks and rejects paths outside the root, whose catch-all handler
    /// then falls back to another check and returns: the rejection itself is caught.
    fn check_catch_fallback(
        &mut self,
        w: &mut Walk,
        body: &[Stmt],
        handlers: &[crate::ir::Handler],
    ) {
        let Some(h) = handlers.first() else { return };
        let text = self.modules[w.module].text;
        let body_text = block_text(text, body);
        let handler_text = block_text(text, &h.body);
        let resolves = body_text.contains("realpath") || body_text.contains(".resolve()");
        let rejects = body.iter().any(stmt_has_guarded_throw);
        if !(resolves && rejects) {
            return;
        }
        let catch_all = h.types.is_empty()
            || h.types.iter().any(|t| {
                matches!(
                    t.dotted().as_deref(),
                    Some("Exception" | "BaseException" | "OSError")
                )
            });
        let discriminates = [
            "ENOENT",
            ".code",
            "errno",
            "FileNotFoundError",
            "instanceof",
            "isNotFound",
            "NotFound",
        ]
        .iter()
        .any(|k| handler_text.contains(k));
        let falls_back = h.body.iter().any(stmt_returns);
        if !(catch_all && !discriminates && falls_back) {
            return;
        }
        // The path the try block resolved: the first realpath argument's taint.
        let mut v = Value::default();
        for name in names_in_realpath_calls(body) {
            if let Some(val) = self.lookup(w, &name) {
                v.taint.join(&val.taint);
            }
        }
        if v.taint.is_empty() {
            return;
        }
        for g in v.taint.0.values_mut() {
            *g = Guards::NONE;
        }
        let site = Site {
            kind: SinkKind::CatchFallback,
            module: w.module,
            loc: h.loc,
            whole: true,
            api: "catch".into(),
            program: None,
            via: Vec::new(),
            detail: None,
        };
        self.emit(w, &site, &v, Guards::NONE);
    }

    /// `process.env.NAME`: a credential source when the name says it holds one.
    fn env_value(&mut self, name: &str) -> Value {
        if !catalog::is_credential_name(name) {
            return Value::default();
        }
        let src = self.source(
            OriginKind::Environment,
            None,
            format!("environment variable `{name}`"),
        );
        Value {
            taint: Taint::single(Label::Source(src)),
            ..Value::default()
        }
    }

    /// The whole arguments object of a tool call: the handler's parameter itself, or
    /// `request.params.arguments`, possibly through `JSON.stringify` / `json.dumps` / `str`.
    fn is_whole_arguments(&self, w: &Walk, e: &Expr) -> bool {
        if w.tool.is_none() {
            return false;
        }
        match e {
            Expr::Call(c) if c.args.len() == 1 => {
                let name = callee_last_name(&c.callee).unwrap_or_default();
                matches!(
                    name.as_str(),
                    "stringify" | "dumps" | "str" | "repr" | "inspect"
                ) && self.is_whole_arguments(w, &c.args[0].value)
            }
            Expr::Member(_, prop, _) => prop == "arguments",
            Expr::Index(_, idx, _) => matches!(&**idx, Expr::Str(k, _) if k == "arguments"),
            Expr::Name(n, _) => {
                let names = [
                    "args",
                    "arguments",
                    "params",
                    "input",
                    "parameters",
                    "request",
                ];
                names.contains(&n.as_str()) || n.starts_with("$p")
            }
            _ => false,
        }
    }

    /// A credential read while a tool handler runs (on every call) rather than once at startup.
    fn env_read_in_handler(&mut self, w: &mut Walk, name: &str, loc: Loc) {
        if w.tool.is_none() || w.tool_frame.is_none() || !catalog::is_credential_name(name) {
            return;
        }
        let src = self.source(
            OriginKind::Environment,
            None,
            format!("environment variable `{name}`"),
        );
        let v = Value {
            taint: Taint::single(Label::Source(src)),
            ..Value::default()
        };
        self.sink(w, SinkKind::EnvInHandler, &v, loc, "environment", None);
    }

    /// `process.env[k]`, `os.environ[k]`, `os.getenv(k)`: a constant name reads that variable;
    /// a name from untrusted input lets the caller choose which credential the server uses.
    fn env_read(&mut self, w: &mut Walk, name: &Value, loc: Loc) -> Value {
        if let Some(k) = &name.konst {
            self.env_read_in_handler(w, k, loc);
            return self.env_value(k);
        }
        if name.is_tainted() {
            self.sink(w, SinkKind::EnvName, name, loc, "environment", None);
            // A helper reading the variable its caller names (`getConfig("X_TOKEN")`): each
            // call reads the variable it passes (resolved in `apply_call`), not one chosen by
            // an attacker.
            let mut labels = name.taint.0.keys();
            if let (Some(Label::Param(i)), None) = (labels.next(), labels.next()) {
                return Value::qual(format!("{ENV_OF_PARAM}{i}"));
            }
            let src = self.source(
                OriginKind::Environment,
                None,
                "an environment variable chosen by the caller".into(),
            );
            return Value {
                taint: Taint::single(Label::Source(src)),
                ..Value::default()
            };
        }
        Value::default()
    }

    /// Follow only the credentials a value carries into a sink where they must not go; the
    /// whole environment object counts as all of them.
    fn secret_sink(&mut self, w: &mut Walk, kind: SinkKind, v: &Value, loc: Loc, api: &str) {
        let whole_env = matches!(v.qual.as_deref(), Some("process.env" | "os.environ"));
        let has_env = v.taint.0.keys().any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Environment));
        if !whole_env && !has_env {
            return;
        }
        let mut only = v.clone();
        // A number or a boolean made from a credential (`bool(key)`, `key.length`) says nothing of it.
        only.taint.0.retain(|l, g| {
            !g.any(Guards::NUMERIC)
                && matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Environment)
        });
        if whole_env {
            let src = self.source(
                OriginKind::Environment,
                None,
                "the whole environment".into(),
            );
            only.taint.join(&Taint::single(Label::Source(src)));
        }
        if only.is_tainted() {
            self.sink(w, kind, &only, loc, api, None);
        }
    }

    fn check_tool_result(&mut self, w: &mut Walk, v: &Value, loc: Loc) {
        self.secret_sink(w, SinkKind::ToolResult, v, loc, "return");
        // Contents of local secret stores handed to the model (the whole environment is the
        // credentials rules' business, through `secret_sink`).
        let mut local = v.clone();
        local.taint.0.retain(|l, _| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::LocalSecret && self.sources[*s as usize].what != "the whole environment"));
        if local.is_tainted() {
            self.sink(w, SinkKind::ToolResult, &local, loc, "return", None);
        }
        let exception = v.taint.0.keys().any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Exception));
        if !exception && !v.stack {
            return;
        }
        let kind = if v.stack {
            SinkKind::StackTrace
        } else {
            SinkKind::ErrorText
        };
        let mut only_exc = v.clone();
        only_exc.taint.0.retain(|l, _| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Exception));
        if only_exc.taint.is_empty() {
            let src = self.source(OriginKind::Exception, None, "stack trace".into());
            only_exc.taint = Taint::single(Label::Source(src));
        }
        let site = Site {
            kind,
            module: w.module,
            loc,
            whole: true,
            api: "return".into(),
            program: None,
            via: Vec::new(),
            detail: None,
        };
        self.emit(w, &site, &only_exc, Guards::NONE);
    }

    // ------------------------------------------------------------ handlers and transports

    /// Tool/resource/prompt registrations and HTTP routes. Returns true when the call was one.
    fn registration(&mut self, w: &mut Walk, c: &Call, method: &str, recv: Option<&str>) -> bool {
        let handler = c.args.last().and_then(|a| {
            if let Expr::Func(id, _) = a.value {
                Some(id)
            } else {
                None
            }
        });
        let first_str = c
            .args
            .first()
            .and_then(|a| a.value.as_str())
            .map(str::to_string);
        // FastMCP's call form: `mcp.tool(fn, name="x", description="…")`, `mcp.add_tool(fn)`.
        if self.modules[w.module].lang == Lang::Python
            && matches!(method, "tool" | "add_tool")
            && first_str.is_none()
        {
            if let Some(first) = c.args.first().filter(|a| a.name.is_none()) {
                // `mcp.add_tool(Tool.from_function(fn, name="x"))`: the tool is the function,
                // named by the inner call's keywords.
                let (c, first) = match &first.value {
                    Expr::Call(inner)
                        if callee_last_name(&inner.callee).as_deref() == Some("from_function") =>
                    {
                        match inner.args.first().filter(|a| a.name.is_none()) {
                            Some(f) => (&**inner, f),
                            None => (c, first),
                        }
                    }
                    _ => (c, first),
                };
                let v = self.eval(w, &first.value);
                if let Some(f) = v.func {
                    let kw = |k: &str| {
                        c.args
                            .iter()
                            .find(|a| a.name.as_deref() == Some(k))
                            .and_then(|a| a.value.as_str())
                            .map(str::to_string)
                    };
                    let Some(func) = self.modules[f.0].module.functions.get(f.1) else {
                        return false;
                    };
                    let fname = display_name(&func.name);
                    let fname = fname.rsplit('.').next().unwrap_or(&fname).to_string();
                    let doc = func.doc.clone();
                    let name = kw("name").unwrap_or(fname);
                    let description = kw("description").or(doc);
                    for a in c.args.iter().skip(1) {
                        self.eval(w, &a.value);
                    }
                    self.python_tool(w, f, &name, description);
                    return true;
                }
            }
        }
        match method {
            "tool" | "registerTool" if first_str.is_some() && c.args.len() >= 2 => {
                let name = first_str.unwrap_or_default();
                let description = match method {
                    "tool" => c
                        .args
                        .get(1)
                        .and_then(|a| a.value.as_str())
                        .map(str::to_string),
                    _ => c
                        .args
                        .get(1)
                        .and_then(|a| object_field_str(&a.value, "description")),
                };
                self.note_tool(w, &name, description, c.loc);
                // Every literal text of the schema argument(s): zod `.describe()` strings, JSON
                // schema descriptions, enum values.
                let mut texts = Vec::new();
                for a in &c.args[2.min(c.args.len())..c.args.len().saturating_sub(1)] {
                    string_literals(&a.value, &mut texts, 0);
                }
                if method == "registerTool" {
                    if let Some(a) = c.args.get(1) {
                        string_literals(&a.value, &mut texts, 0);
                    }
                }
                self.note_schema_texts(&name, texts);
                for a in &c.args[1..c.args.len() - 1] {
                    self.eval(w, &a.value);
                }
                if let Some(id) = handler {
                    let src = self.source(
                        OriginKind::ToolArgument,
                        Some(name.clone()),
                        format!("arguments of tool `{name}`"),
                    );
                    self.walk_handler(w, id, vec![tainted(src)], Some(name));
                } else if let Some(last) = c.args.last() {
                    let v = self.eval(w, &last.value);
                    if let Some(f) = v.func {
                        let src = self.source(
                            OriginKind::ToolArgument,
                            Some(name.clone()),
                            format!("arguments of tool `{name}`"),
                        );
                        self.call_handler_summary(w, f, vec![tainted(src)], Some(name));
                    }
                }
                true
            }
            "resource" | "registerResource" | "prompt" | "registerPrompt"
                if first_str.is_some() && c.args.len() >= 2 =>
            {
                let name = first_str.unwrap_or_default();
                let is_prompt = method.to_ascii_lowercase().contains("prompt");
                let middle = &c.args[1..c.args.len() - 1];
                let description = middle.iter().find_map(|a| {
                    a.value
                        .as_str()
                        .filter(|t| t.contains(' '))
                        .map(str::to_string)
                        .or_else(|| object_field_str(&a.value, "description"))
                });
                let mut texts = Vec::new();
                for a in middle {
                    string_literals(&a.value, &mut texts, 0);
                }
                texts.retain(|t| Some(t) != description.as_ref());
                self.note_meta(w, is_prompt, &name, description, texts, c.loc);
                for a in middle {
                    self.eval(w, &a.value);
                }
                let (kind, what) = if is_prompt {
                    (
                        OriginKind::PromptArgument,
                        format!("arguments of prompt `{name}`"),
                    )
                } else {
                    (OriginKind::ResourceUri, format!("URI of resource `{name}`"))
                };
                if let Some(id) = handler {
                    let src = self.source(kind, None, what);
                    self.walk_handler(w, id, vec![tainted(src), tainted(src)], None);
                }
                true
            }
            "setRequestHandler" if c.args.len() == 2 => {
                let schema = c.args[0]
                    .value
                    .dotted()
                    .unwrap_or_else(|| self.slice(w.module, c.args[0].value.loc()).to_string());
                let (kind, what) = if schema.contains("CallTool") {
                    (
                        OriginKind::ToolArgument,
                        "arguments of the tool call".to_string(),
                    )
                } else if schema.contains("ReadResource") {
                    (
                        OriginKind::ResourceUri,
                        "URI of a resource read".to_string(),
                    )
                } else if schema.contains("GetPrompt") {
                    (
                        OriginKind::PromptArgument,
                        "arguments of a prompt request".to_string(),
                    )
                } else {
                    return false;
                };
                let src = self.source(kind, None, what);
                match handler {
                    Some(id) => self.walk_handler(w, id, vec![tainted(src)], Some(String::new())),
                    None => {
                        let v = self.eval(w, &c.args[1].value);
                        if let Some(f) = v.func {
                            self.call_handler_summary(
                                w,
                                f,
                                vec![tainted(src)],
                                Some(String::new()),
                            );
                        }
                    }
                }
                true
            }
            "addTool" if c.args.len() == 1 => {
                if let Expr::Object(fields, _) = &c.args[0].value {
                    let name = fields
                        .iter()
                        .find(|(k, _)| k.as_deref() == Some("name"))
                        .and_then(|(_, v)| v.as_str())
                        .unwrap_or("")
                        .to_string();
                    let description = object_field_str(&c.args[0].value, "description");
                    if !name.is_empty() {
                        self.note_tool(w, &name, description, c.loc);
                    }
                    for (k, v) in fields {
                        if k.as_deref() == Some("execute") {
                            if let Expr::Func(id, _) = v {
                                let src = self.source(
                                    OriginKind::ToolArgument,
                                    Some(name.clone()),
                                    format!("arguments of tool `{name}`"),
                                );
                                self.walk_handler(w, *id, vec![tainted(src)], Some(name.clone()));
                            }
                        } else {
                            self.eval(w, v);
                        }
                    }
                    return true;
                }
                false
            }
            "get" | "post" | "put" | "delete" | "patch" | "all" | "use" | "options" => {
                let recv = recv.unwrap_or("");
                let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
                if !(last.contains("app")
                    || last.contains("router")
                    || last == "server"
                    || last == "api")
                {
                    return false;
                }
                let Some(id) = handler else { return false };
                let params = self.modules[w.module]
                    .module
                    .functions
                    .get(id)
                    .map(|f| f.params.len())
                    .unwrap_or(0);
                if params < 2 {
                    return false;
                }
                let path = first_str.clone().unwrap_or_else(|| "*".into());
                let middlewares: Vec<String> = c
                    .args
                    .iter()
                    .skip(usize::from(first_str.is_some()))
                    .take(
                        c.args
                            .len()
                            .saturating_sub(1 + usize::from(first_str.is_some())),
                    )
                    .map(|a| self.slice(w.module, a.value.loc()).to_string())
                    .collect();
                for a in &c.args[..c.args.len() - 1] {
                    self.eval(w, &a.value);
                }
                let src = self.source(
                    OriginKind::HttpRequest,
                    None,
                    format!("HTTP request to `{path}`"),
                );
                let before: HashSet<_> = self.flows.keys().cloned().collect();
                self.walk_handler(w, id, vec![tainted(src)], None);
                let spawns = self.flows.iter().filter(|(k, _)| !before.contains(*k)).any(
                    |(_, (site, _, s))| {
                        matches!(
                            site.kind,
                            SinkKind::Program | SinkKind::Shell | SinkKind::Argv
                        ) && self.sources[*s as usize].kind == OriginKind::HttpRequest
                    },
                );
                let authenticated = middlewares.iter().any(|m| {
                    let l = m.to_ascii_lowercase();
                    [
                        "auth", "token", "verify", "origin", "session", "guard", "protect",
                        "bearer", "jwt", "passport", "apikey", "api_key",
                    ]
                    .iter()
                    .any(|k| l.contains(k))
                }) || self.modules[w.module].text.contains("app.use(auth")
                    || self.modules[w.module].text.contains("app.use(requireAuth");
                if spawns && !authenticated && method != "use" {
                    self.exposure(w.module, ExposureKind::UnauthenticatedProcessRoute, c.loc, format!("`{}` route `{path}` starts processes from request data with no authentication or origin check", method.to_ascii_uppercase()));
                }
                true
            }
            _ => false,
        }
    }

    /// A Python function registered as a tool: every parameter but the context is an argument
    /// chosen by the model.
    fn python_tool(&mut self, w: &mut Walk, f: FuncRef, name: &str, description: Option<String>) {
        let Some(func) = self
            .modules
            .get(f.0)
            .and_then(|md| md.module.functions.get(f.1))
        else {
            return;
        };
        let loc = func.loc;
        let params: Vec<Value> = func
            .params
            .iter()
            .map(|p| {
                if p.annotation
                    .as_deref()
                    .is_some_and(|a| a.contains("Context"))
                    || p.name == "ctx"
                    || p.name == "self"
                {
                    Value::default()
                } else {
                    tainted(self.source(
                        OriginKind::ToolArgument,
                        Some(name.to_string()),
                        format!("argument `{}` of tool `{name}`", p.name),
                    ))
                }
            })
            .collect();
        // Parameter descriptions the SDK puts into the schema: `x: str = Field(description="…")`,
        // `x: Annotated[str, Field(description="…")]`.
        let mut texts = Vec::new();
        for p in &func.params {
            if let Some(d) = &p.default {
                string_literals(d, &mut texts, 0);
            }
            if let Some(a) = &p.annotation {
                texts.extend(annotation_descriptions(a));
            }
        }
        if f.0 == w.module {
            self.note_tool(w, name, description, loc);
            self.note_schema_texts(name, texts);
            self.called.insert(f);
            self.walk_handler(w, f.1, params, Some(name.to_string()));
        } else {
            self.call_handler_summary(w, f, params, Some(name.to_string()));
        }
    }

    /// Python handlers registered by decorators: `@mcp.tool()`, `@server.call_tool()`,
    /// `@server.read_resource()`, `@mcp.resource("x://{id}")`, `@mcp.prompt()`, and HTTP routes
    /// (`@app.get("/x")`).
    fn decorated_handler(&mut self, w: &mut Walk, id: FuncId) {
        let m = w.module;
        let Some(f) = self.modules[m].module.functions.get(id) else {
            return;
        };
        if f.decorators.is_empty() {
            return;
        }
        let f = f.clone();
        for d in &f.decorators {
            let (callee, args) = match d {
                Expr::Call(c) => (&c.callee, c.args.as_slice()),
                other => (other, &[][..]),
            };
            let Expr::Member(recv, method, _) = callee else {
                continue;
            };
            let recv_name = recv.dotted().unwrap_or_default().to_ascii_lowercase();
            let kw = |k: &str| {
                args.iter()
                    .find(|a| a.name.as_deref() == Some(k))
                    .and_then(|a| a.value.as_str())
                    .map(str::to_string)
            };
            let fname = f.name.rsplit('.').next().unwrap_or(&f.name).to_string();
            if matches!(
                method.as_str(),
                "tool" | "call_tool" | "read_resource" | "resource" | "get_prompt" | "prompt"
            ) {
                self.called.insert((m, id));
            }
            match method.as_str() {
                "tool" => {
                    let name = kw("name")
                        .or_else(|| {
                            args.first().and_then(|a| {
                                if a.name.is_none() {
                                    a.value.as_str().map(str::to_string)
                                } else {
                                    None
                                }
                            })
                        })
                        .unwrap_or_else(|| fname.clone());
                    let description = kw("description").or_else(|| f.doc.clone());
                    self.python_tool(w, (m, id), &name, description);
                }
                "call_tool" => {
                    let src = self.source(
                        OriginKind::ToolArgument,
                        None,
                        "arguments of the tool call".into(),
                    );
                    let params = f
                        .params
                        .iter()
                        .enumerate()
                        .map(|(i, _)| {
                            if i == 0 {
                                Value::default()
                            } else {
                                tainted(src)
                            }
                        })
                        .collect();
                    self.walk_handler(w, id, params, Some(String::new()));
                }
                "read_resource" | "resource" | "get_prompt" | "prompt" => {
                    let prompt = method.contains("prompt");
                    // The decorator forms that declare one (the server-wide handlers do not).
                    if method == "resource" || method == "prompt" {
                        let description = kw("description").or_else(|| f.doc.clone());
                        let name = kw("name").unwrap_or_else(|| fname.clone());
                        self.note_meta(w, prompt, &name, description, Vec::new(), f.loc);
                    }
                    let src = if prompt {
                        self.source(
                            OriginKind::PromptArgument,
                            None,
                            format!("arguments of prompt `{fname}`"),
                        )
                    } else {
                        self.source(
                            OriginKind::ResourceUri,
                            None,
                            format!("URI of resource `{fname}`"),
                        )
                    };
                    let params = f.params.iter().map(|_| tainted(src)).collect();
                    self.walk_handler(w, id, params, None);
                }
                "get" | "post" | "put" | "delete" | "patch" | "route" | "api_route"
                | "websocket"
                    if recv_name.contains("app")
                        || recv_name.contains("router")
                        || recv_name.contains("api") =>
                {
                    let src = self.source(
                        OriginKind::HttpRequest,
                        None,
                        format!("HTTP request to `{fname}`"),
                    );
                    let params = f.params.iter().map(|_| tainted(src)).collect();
                    self.walk_handler(w, id, params, None);
                }
                _ => {}
            }
        }
    }

    fn walk_handler(&mut self, w: &mut Walk, id: FuncId, params: Vec<Value>, tool: Option<String>) {
        self.handled.insert((w.module, id));
        let saved_tool = w.tool.clone();
        let saved_frame = w.tool_frame;
        if tool.is_some() {
            w.tool = tool;
            w.tool_frame = Some(w.frames.len());
        } else {
            w.tool_frame = None;
        }
        let saved_depth = w.depth;
        w.depth = 0;
        self.walk_inline(w, id, params);
        w.depth = saved_depth;
        w.tool = saved_tool;
        w.tool_frame = saved_frame;
    }

    fn call_handler_summary(
        &mut self,
        w: &mut Walk,
        f: FuncRef,
        params: Vec<Value>,
        tool: Option<String>,
    ) {
        self.called.insert(f);
        let Some(summary) = self.summaries.get(&f).cloned() else {
            return;
        };
        let saved = w.tool.clone();
        w.tool = tool;
        self.inherit_uses(w, &summary.uses);
        for ev in &summary.events {
            if let Some(arg) = params.get(ev.param as usize) {
                self.emit(w, &ev.site, arg, ev.guards);
            }
        }
        w.tool = saved;
    }

    fn note_tool(&mut self, w: &Walk, name: &str, description: Option<String>, loc: Loc) {
        let md = &self.modules[w.module];
        let file = md.module.path.clone();
        if self.tool_seen.insert((name.to_string(), file.clone())) {
            let (line, _) = md.lines.position(md.text, loc.start);
            self.tools.push(ToolDecl {
                name: name.to_string(),
                description,
                file,
                line,
                schema_texts: Vec::new(),
            });
        }
    }

    /// A prompt or resource registered in code, with its description and argument texts.
    fn note_meta(
        &mut self,
        w: &Walk,
        prompt: bool,
        name: &str,
        description: Option<String>,
        schema_texts: Vec<String>,
        loc: Loc,
    ) {
        let md = &self.modules[w.module];
        let (line, _) = md.lines.position(md.text, loc.start);
        let decl = ToolDecl {
            name: name.to_string(),
            description,
            file: md.module.path.clone(),
            line,
            schema_texts,
        };
        let list = if prompt {
            &mut self.prompts
        } else {
            &mut self.resources
        };
        if list.len() < 5000
            && !list
                .iter()
                .any(|d| d.name == decl.name && d.file == decl.file)
        {
            list.push(decl);
        }
    }

    /// Attach schema texts to the tool just noted.
    fn note_schema_texts(&mut self, name: &str, texts: Vec<String>) {
        if texts.is_empty() {
            return;
        }
        if let Some(t) = self.tools.iter_mut().rev().find(|t| t.name == name) {
            for text in texts {
                if t.schema_texts.len() < 500 && !t.schema_texts.contains(&text) {
                    t.schema_texts.push(text);
                }
            }
        }
    }

    /// Tool definitions written as objects: `{ name: "x", description: "…", inputSchema: {…} }`.
    fn note_tool_object(&mut self, w: &Walk, fields: &BTreeMap<String, Value>, loc: Loc) {
        let has_schema = fields.contains_key("inputSchema") || fields.contains_key("input_schema");
        if !has_schema {
            return;
        }
        if let Some(name) = fields.get("name").and_then(|v| v.konst.clone()) {
            let description = fields.get("description").and_then(|v| v.konst.clone());
            self.note_tool(w, &name, description, loc);
            let mut texts = Vec::new();
            for key in ["inputSchema", "input_schema"] {
                if let Some(v) = fields.get(key) {
                    value_texts(v, &mut texts, 0);
                }
            }
            self.note_schema_texts(&name, texts);
        }
    }

    fn note_python_tool(&mut self, w: &Walk, c: &Call) {
        let name = c
            .args
            .iter()
            .find(|a| a.name.as_deref() == Some("name"))
            .and_then(|a| a.value.as_str())
            .map(str::to_string);
        let has_schema = c
            .args
            .iter()
            .any(|a| matches!(a.name.as_deref(), Some("inputSchema" | "input_schema")));
        if let (Some(name), true) = (name, has_schema) {
            let description = c
                .args
                .iter()
                .find(|a| a.name.as_deref() == Some("description"))
                .and_then(|a| a.value.as_str())
                .map(str::to_string);
            self.note_tool(w, &name, description, c.loc);
        }
    }

    fn check_exposure(
        &mut self,
        w: &mut Walk,
        c: &Call,
        qual: &str,
        args: &[Value],
        method: Option<&str>,
        recv: Option<&str>,
    ) {
        let protected = self.modules[w.module].host_checked;
        let last = qual.rsplit('.').next().unwrap_or(qual);
        if matches!(
            last,
            "SseServerTransport"
                | "SSEServerTransport"
                | "StreamableHTTPServerTransport"
                | "StreamableHTTPSessionManager"
        ) {
            let has_settings = c
                .args
                .iter()
                .any(|a| matches!(a.name.as_deref(), Some("security_settings")))
                || args.iter().any(|a| {
                    a.fields.as_ref().is_some_and(|f| {
                        f.contains_key("enableDnsRebindingProtection")
                            || f.contains_key("allowedHosts")
                    })
                });
            if !has_settings && !protected {
                self.exposure(w.module, ExposureKind::NoDnsRebindingProtection, c.loc, format!("`{last}` is created without Host/Origin validation (DNS rebinding protection)"));
            }
        }
        // Binding to every interface.
        let host_kw = c
            .args
            .iter()
            .find(|a| a.name.as_deref() == Some("host"))
            .and_then(|a| a.value.as_str());
        if matches!(host_kw, Some("0.0.0.0" | "::")) {
            self.exposure(
                w.module,
                ExposureKind::AllInterfaces,
                c.loc,
                format!(
                    "server bound to all interfaces (`host=\"{}\"`)",
                    host_kw.unwrap_or_default()
                ),
            );
        }
        if method == Some("listen") {
            let r = recv
                .unwrap_or("")
                .rsplit('.')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let http_module = self.modules[w.module].http_server;
            if (r.contains("app") || r.contains("server")) && http_module {
                let explicit = args.get(1).and_then(|a| a.konst.clone());
                let positional = args.len();
                let host_given = positional >= 2 && args[1].func.is_none();
                if matches!(explicit.as_deref(), Some("0.0.0.0" | "::")) {
                    self.exposure(
                        w.module,
                        ExposureKind::AllInterfaces,
                        c.loc,
                        "server bound to all interfaces".into(),
                    );
                } else if !host_given && args.first().is_some_and(|a| a.fields.is_none()) {
                    self.exposure(w.module, ExposureKind::AllInterfaces, c.loc, "`listen` without a host binds every interface; pass `127.0.0.1` for a local server".into());
                }
            }
        }
    }

    fn exposure(&mut self, module: usize, kind: ExposureKind, loc: Loc, detail: String) {
        if !self.exposure_seen.insert((module, loc.start, kind)) {
            return;
        }
        let md = &self.modules[module];
        let (line, column) = md.lines.position(md.text, loc.start);
        let snippet = snippet(md.text, loc, md.minified);
        self.exposures.push(Exposure {
            kind,
            file: md.module.path.clone(),
            line,
            column,
            snippet,
            detail,
        });
    }

    /// Functions nothing in the project calls (CLI commands, library entry points): their
    /// parameter flows are reported with an unknown-caller origin.
    /// A package without tools, prompts, resources or HTTP routes: a library, whose exported
    /// API's parameters are its input.
    fn library_mode(&self) -> bool {
        self.tools.is_empty()
            && !self.sources.iter().any(|s| {
                matches!(
                    s.kind,
                    OriginKind::HttpRequest
                        | OriginKind::ToolArgument
                        | OriginKind::PromptArgument
                        | OriginKind::ResourceUri
                )
            })
    }

    fn report_uncalled_entry_points(&mut self, library: bool) {
        let mut refs: Vec<FuncRef> = self.summaries.keys().copied().collect();
        refs.sort();
        for fref in refs {
            // Exported functions are the package's API: its users call them with their own
            // values, whatever the package's own scripts pass.
            let exported = {
                let module = &self.modules[fref.0].module;
                let n = &module.functions[fref.1].name;
                n.starts_with("exports.")
                    || n.starts_with("module.exports")
                    || module
                        .exports
                        .iter()
                        .any(|e| matches!(e, crate::ir::Export::Name { local, .. } if local == n))
            };
            // (In a server, its tools are the entry points; an exported helper the tools call
            // is reported through them.)
            if self.called.contains(&fref) && !(exported && library) {
                continue;
            }
            let Some(summary) = self.summaries.get(&fref).cloned() else {
                continue;
            };
            let f = &self.modules[fref.0].module.functions[fref.1];
            if self.modules[fref.0].minified {
                continue;
            }
            let fname = display_name(&f.name);
            for ev in summary.events.iter() {
                // A package without tools or routes is a library: what its API's callers
                // pass reaches files too.
                let library_file = library && ev.site.kind == SinkKind::FileAccess;
                if !library_file
                    && !matches!(
                        ev.site.kind,
                        SinkKind::Shell
                            | SinkKind::Eval
                            | SinkKind::Sql
                            | SinkKind::Html
                            | SinkKind::UrlJoin
                            | SinkKind::Argv
                            | SinkKind::Deserialize
                            | SinkKind::Program
                            | SinkKind::DynamicImport
                            | SinkKind::FormatString
                    )
                {
                    continue;
                }
                let pname = f
                    .params
                    .get(ev.param as usize)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let src = self.source(
                    OriginKind::UnknownCaller,
                    None,
                    format!("parameter `{pname}` of `{fname}` (no caller in the package)"),
                );
                let mut site = ev.site.clone();
                if !site.via.contains(&fname) {
                    site.via.insert(0, fname.clone());
                }
                self.record_flow(site, ev.guards, src);
            }
        }
    }

    fn finish_flows(&self) -> Vec<Flow> {
        let mut out = Vec::new();
        for (site, guards, s) in self.flows.values() {
            let info = &self.sources[*s as usize];
            let exception = info.kind == OriginKind::Exception;
            if exception != matches!(site.kind, SinkKind::StackTrace | SinkKind::ErrorText) {
                continue;
            }
            // HTML built from tool arguments is returned to the model, not served to a browser.
            if site.kind == SinkKind::Html
                && matches!(
                    info.kind,
                    OriginKind::ToolArgument | OriginKind::PromptArgument | OriginKind::ResourceUri
                )
            {
                continue;
            }
            // Network responses matter for code, shell and markup, not for further requests.
            if info.kind == OriginKind::NetworkResponse
                && !matches!(
                    site.kind,
                    SinkKind::Shell
                        | SinkKind::Eval
                        | SinkKind::Deserialize
                        | SinkKind::Html
                        | SinkKind::Sql
                )
            {
                continue;
            }
            let md = &self.modules[site.module];
            let (line, column) = md.lines.position(md.text, site.loc.start);
            let (end_line, _) = md.lines.position(md.text, site.loc.end);
            out.push(Flow {
                kind: site.kind,
                file: md.module.path.clone(),
                line,
                column,
                end_line,
                origin: Origin {
                    kind: info.kind.clone(),
                    tool: info.tool.clone(),
                    what: info.what.clone(),
                },
                // `FIELD_READ` is bookkeeping for the environment, not a guard.
                guards: Guards(guards.0 & !Guards::FIELD_READ.0),
                whole: site.whole,
                api: site.api.clone(),
                program: site.program.clone(),
                snippet: snippet(md.text, site.loc, md.minified),
                via: site.via.clone(),
                detail: site.detail.clone(),
            });
        }
        out.sort_by(|a, b| {
            (a.file.as_str(), a.line, a.column, a.kind).cmp(&(
                b.file.as_str(),
                b.line,
                b.column,
                b.kind,
            ))
        });
        out
    }

    fn slice(&self, module: usize, loc: Loc) -> &'a str {
        let text = self.modules[module].text;
        text.get(loc.start as usize..loc.end as usize).unwrap_or("")
    }
}

/// `ReadFileTool` → `read_file_tool`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// Sources that are a bundle of configuration values — the environment, an environment file
/// (`.env`) — where reading one value (`env.HOST`, `values["API_KEY"]`) is configuration, and
/// only the bundle as a whole is the user's secrets.
fn is_configuration_bundle(s: &SourceInfo) -> bool {
    is_whole_environment(s)
        || (s.kind == OriginKind::LocalSecret && s.what.starts_with("an environment file"))
}

/// The source standing for the whole environment (`os.environ`, `process.env` as one value).
fn is_whole_environment(s: &SourceInfo) -> bool {
    s.kind == OriginKind::LocalSecret && s.what == "the whole environment"
}

fn tainted(src: u32) -> Value {
    Value {
        taint: Taint::single(Label::Source(src)),
        ..Value::default()
    }
}

/// Whether an options object's source text turns the shell on.
fn options_enable_shell(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.match_indices("shell:").any(|(i, m)| {
        let rest = &compact[i + m.len()..];
        rest.starts_with("true")
            || rest.starts_with("!0")
            || rest.starts_with('"')
            || rest.starts_with('\'')
    })
}

fn display_name(name: &str) -> String {
    name.to_string()
}

fn join_frames(a: &Frame, b: &Frame) -> Frame {
    a.join(b)
}

/// The value a call passes through as the same URL text, if it is one of those conversions.
fn url_passthrough<'v>(
    qual: &str,
    method: Option<&str>,
    args: &'v [Value],
    receiver: Option<&'v Value>,
) -> Option<&'v Value> {
    match (qual, method) {
        ("URL" | "String" | "encodeURI", _) if args.len() == 1 => args.first(),
        (_, Some("toString" | "toJSON")) if args.is_empty() => receiver,
        _ => None,
    }
}

/// The constant lead of a URL that a call passes through unchanged: `new URL(x)` (no base),
/// `String(x)`, `x.toString()`, `x.href`-style conversions.
fn url_lead_kept(
    qual: &str,
    method: Option<&str>,
    args: &[Value],
    receiver: Option<&Value>,
) -> Option<String> {
    url_passthrough(qual, method, args, receiver)?
        .qual
        .as_deref()
        .filter(|q| q.starts_with("lead:"))
        .map(str::to_string)
}

/// A URL built from constant text that names the scheme and the host and then ends the
/// authority (`https://api.example.com/…`, `http://localhost:8080?…`).
/// The lead of a URL whose scheme and host come from configuration (see `Expr::Concat`).
const CONFIGURED_BASE: &str = "configured://base/";

fn fixes_host(v: &Value) -> bool {
    let Some(lead) = v.qual.as_deref().and_then(|q| q.strip_prefix("lead:")) else {
        return false;
    };
    if lead == CONFIGURED_BASE {
        return true;
    }
    let Some((scheme, rest)) = lead.split_once("://") else {
        return false;
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    match rest.find(['/', '?', '#']) {
        // The host is spelled out and something closes it; `@` before it could still
        // redirect (`https://api.example.com@${host}`), so it must not appear.
        Some(end) => scheme_ok && end > 0 && !rest[..end].contains('@'),
        None => false,
    }
}

/// `description="…"` / `title="…"` texts in the source text of a Python annotation
/// (`Annotated[str, Field(description="City name")]`).
fn annotation_descriptions(annotation: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["description", "title"] {
        let mut rest = annotation;
        while let Some(i) = rest.find(key) {
            rest = &rest[i + key.len()..];
            let after = rest.trim_start();
            let Some(after) = after.strip_prefix('=') else {
                continue;
            };
            let after = after.trim_start();
            let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let body = &after[1..];
            if let Some(end) = body.find(quote) {
                out.push(body[..end].to_string());
                rest = &body[end..];
            }
            if out.len() > 100 {
                return out;
            }
        }
    }
    out
}

/// String literals inside an expression (objects, arrays, call chains), in order, bounded.
fn string_literals(e: &Expr, out: &mut Vec<String>, depth: u32) {
    if depth > 40 || out.len() >= 500 {
        return;
    }
    match e {
        Expr::Str(s, _) if s.chars().any(char::is_alphabetic) => out.push(s.clone()),
        Expr::Object(fields, _) => {
            for (_, v) in fields {
                string_literals(v, out, depth + 1);
            }
        }
        Expr::Array(items, _) | Expr::Concat(items, _) => {
            for v in items {
                string_literals(v, out, depth + 1);
            }
        }
        Expr::Call(c) => {
            string_literals(&c.callee, out, depth + 1);
            for a in &c.args {
                string_literals(&a.value, out, depth + 1);
            }
        }
        Expr::Member(o, _, _) => string_literals(o, out, depth + 1),
        _ => {}
    }
}

/// The texts of a schema value built in code: `description`, `title`, `default` strings and
/// `enum` values, at any depth (bounded).
fn value_texts(v: &Value, out: &mut Vec<String>, depth: u32) {
    if depth > 32 || out.len() >= 500 {
        return;
    }
    if let Some(fields) = &v.fields {
        for (k, child) in fields.iter() {
            match (k.as_str(), &child.konst) {
                ("description" | "title" | "default", Some(s)) => out.push(s.clone()),
                ("enum", _) => {
                    if let Some(es) = &child.elems {
                        out.extend(es.iter().filter_map(|e| e.konst.clone()));
                    }
                }
                _ => value_texts(child, out, depth + 1),
            }
        }
    }
}

/// What a comparison tells: `x === "a"` pins x where true, `x !== "a"` where false,
/// `url.protocol === "https:"` checks the URL, `n < max` bounds n on both branches.
fn compare_facts(op: &str, l: &Expr, r: &Expr) -> Facts {
    let mut facts = Vec::new();
    match op {
        "in" | "not in" => {
            if let Some(n) = l.dotted() {
                if !matches!(r, Expr::Str(..)) {
                    facts.push((n, Guards::ALLOWLIST));
                }
            }
            if op == "in" {
                Facts::when_true(facts)
            } else {
                Facts::when_false(facts)
            }
        }
        "==" | "===" | "!=" | "!==" | "is" | "is not" => {
            for (a, b) in [(l, r), (r, l)] {
                if !matches!(b, Expr::Str(..)) {
                    continue;
                }
                let Some(n) = a.dotted() else { continue };
                let mut g = Guards::ALLOWLIST;
                if let Expr::Member(base, prop, _) = a {
                    if matches!(
                        prop.as_str(),
                        "protocol" | "hostname" | "host" | "origin" | "scheme" | "netloc"
                    ) {
                        if let Some(bn) = base.dotted() {
                            facts.push((bn, Guards::URL_CHECKED));
                        }
                        g = Guards::URL_CHECKED;
                    }
                }
                facts.push((n, g));
            }
            if matches!(op, "==" | "===" | "is") {
                Facts::when_true(facts)
            } else {
                Facts::when_false(facts)
            }
        }
        "<" | "<=" | ">" | ">=" => {
            for a in [l, r] {
                if let Some(n) = a.dotted() {
                    facts.push((n, Guards::BOUNDED));
                }
            }
            // One side of the range is bounded on either branch.
            Facts {
                yes: facts.clone(),
                no: facts,
            }
        }
        _ => Facts::default(),
    }
}

fn callee_last_name(callee: &Expr) -> Option<String> {
    match callee {
        Expr::Name(n, _) => Some(n.clone()),
        Expr::Member(_, p, _) => Some(p.clone()),
        _ => None,
    }
}

/// Dotted names passed as arguments.
fn arg_names(c: &Call) -> Vec<String> {
    c.args.iter().flat_map(|a| expr_names(&a.value)).collect()
}

/// Dotted names inside an expression (through calls like `Path(x)` and `str(x)`).
fn expr_names(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    fn go(e: &Expr, out: &mut Vec<String>, depth: u32) {
        if depth > 8 {
            return;
        }
        if let Some(d) = e.dotted() {
            out.push(d);
            return;
        }
        match e {
            Expr::Call(c) => {
                if let Expr::Member(obj, _, _) = &c.callee {
                    go(obj, out, depth + 1);
                }
                for a in &c.args {
                    go(&a.value, out, depth + 1);
                }
            }
            Expr::Concat(parts, _) | Expr::Array(parts, _) | Expr::Unknown(parts, _) => {
                for p in parts {
                    go(p, out, depth + 1);
                }
            }
            Expr::Index(o, _, _) => go(o, out, depth + 1),
            _ => {}
        }
    }
    go(e, &mut out, 0);
    out
}

/// `if (name === "x")` / `case "x"` inside a dispatcher: the tool being handled.
fn tool_case(cond: &Expr) -> Option<String> {
    if let Expr::Compare {
        op, left, right, ..
    } = cond
    {
        if op == "==" || op == "===" {
            for (a, b) in [(left, right), (right, left)] {
                if let (Some(d), Some(s)) = (a.dotted(), b.as_str()) {
                    if d == "name"
                        || d.ends_with(".name")
                        || d.ends_with("tool")
                        || d.ends_with("toolName")
                    {
                        return Some(s.to_string());
                    }
                }
            }
        }
    }
    None
}

fn object_field_str(e: &Expr, field: &str) -> Option<String> {
    if let Expr::Object(fields, _) = e {
        return fields
            .iter()
            .find(|(k, _)| k.as_deref() == Some(field))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string);
    }
    None
}

fn looks_like_html(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [
        "<div",
        "<html",
        "<body",
        "<p>",
        "<p ",
        "<span",
        "<h1",
        "<h2",
        "<script",
        "<a ",
        "<td",
        "<li",
        "<pre",
        "<strong",
        "<br",
        "<!doctype",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

fn stmt_has_guarded_throw(s: &Stmt) -> bool {
    match s {
        Stmt::If { then, els, .. } => {
            then.iter().any(|t| matches!(t, Stmt::Throw(..)))
                || els.iter().any(|t| matches!(t, Stmt::Throw(..)))
                || then.iter().any(stmt_has_guarded_throw)
        }
        Stmt::Try { body, .. } => body.iter().any(stmt_has_guarded_throw),
        _ => false,
    }
}

fn stmt_returns(s: &Stmt) -> bool {
    match s {
        Stmt::Return(Some(_), _) => true,
        Stmt::If { then, els, .. } => then.iter().any(stmt_returns) || els.iter().any(stmt_returns),
        Stmt::Try { body, .. } => body.iter().any(stmt_returns),
        _ => false,
    }
}

fn block_text<'t>(text: &'t str, stmts: &[Stmt]) -> &'t str {
    let start = stmts.first().map(stmt_start).unwrap_or(0) as usize;
    let end = stmts.last().map(stmt_end).unwrap_or(0) as usize;
    text.get(start..end.max(start)).unwrap_or("")
}

fn stmt_start(s: &Stmt) -> u32 {
    match s {
        Stmt::Let { loc, value, .. } => loc.start.min(value.loc().start),
        Stmt::Store { loc, .. }
        | Stmt::Return(_, loc)
        | Stmt::Throw(_, loc)
        | Stmt::Jump(loc)
        | Stmt::If { loc, .. }
        | Stmt::Loop { loc, .. }
        | Stmt::Try { loc, .. } => loc.start,
        Stmt::Expr(e) => e.loc().start,
    }
}

fn stmt_end(s: &Stmt) -> u32 {
    match s {
        Stmt::Let { loc, value, .. } => loc.end.max(value.loc().end),
        Stmt::Store { loc, .. }
        | Stmt::Return(_, loc)
        | Stmt::Throw(_, loc)
        | Stmt::Jump(loc)
        | Stmt::If { loc, .. }
        | Stmt::Loop { loc, .. }
        | Stmt::Try { loc, .. } => loc.end,
        Stmt::Expr(e) => e.loc().end,
    }
}

fn names_in_realpath_calls(body: &[Stmt]) -> Vec<String> {
    let mut out = Vec::new();
    fn in_expr(e: &Expr, out: &mut Vec<String>, depth: u32) {
        if depth > 12 {
            return;
        }
        if let Expr::Call(c) = e {
            let name = callee_last_name(&c.callee).unwrap_or_default();
            if name.starts_with("realpath") {
                for a in &c.args {
                    out.extend(expr_names(&a.value));
                }
            }
            if name == "resolve" {
                if let Expr::Member(obj, _, _) = &c.callee {
                    out.extend(expr_names(obj));
                }
            }
            for a in &c.args {
                in_expr(&a.value, out, depth + 1);
            }
        }
        if let Expr::Unknown(xs, _) | Expr::Concat(xs, _) = e {
            for x in xs {
                in_expr(x, out, depth + 1);
            }
        }
    }
    for s in body {
        match s {
            Stmt::Let { value, .. } | Stmt::Expr(value) => in_expr(value, &mut out, 0),
            Stmt::Store { value, .. } => in_expr(value, &mut out, 0),
            _ => {}
        }
    }
    out
}

fn normalise_join(dir: &str, spec: &str) -> String {
    let mut parts: Vec<&str> = if spec.starts_with('/') || dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in spec.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The sink expression as evidence and fingerprint key: whitespace collapsed, capped; in
/// minified files short local names are replaced by `_` so a rebuild does not change it.
fn snippet(text: &str, loc: Loc, minified: bool) -> String {
    let raw = text.get(loc.start as usize..loc.end as usize).unwrap_or("");
    let mut s: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if minified {
        s = shorten_minified_names(&s);
    }
    if s.chars().count() > 160 {
        s = s.chars().take(157).collect::<String>() + "…";
    }
    s
}

fn shorten_minified_names(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, prev_dot: bool| {
        if !word.is_empty() {
            let is_ident = word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$');
            if is_ident && word.len() <= 2 && !prev_dot {
                out.push('_');
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    let mut prev_dot = false;
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' || ch == '$' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out, prev_dot);
            prev_dot = ch == '.';
            out.push(ch);
        }
    }
    flush(&mut word, &mut out, prev_dot);
    out
}
