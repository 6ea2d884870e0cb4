//! The analysis over the intermediate form: tool-handler discovery, per-function summaries
//! ("parameter 1 reaches a shell"), and taint from tool arguments, HTTP requests and resource URIs
//! to sinks, with the guards each flow passed.
//!
//! Every function is walked statement by statement with an environment of abstract values.
//! Calls to project functions apply the callee's summary (computed in rounds, so summaries of
//! summaries converge); closures passed as callbacks are walked in place so they see the
//! variables they capture.
//!
//! This file holds the walk itself (statements, summaries, rounds) and the shapes it shares;
//! the concepts live beside it: `values` (what an expression is), `calls` (the call
//! graph), `classes` (receivers by class), `sources` (entry points and input),
//! `sinks` (dangerous operations and flows), `guards` (what a check establishes),
//! `regex_guard`, `behaviour_flows` (what malicious code does with its own constants) and
//! `reach` (label-free measures of what the walk reached).

mod behaviour_flows;
mod calls;
mod classes;
mod exhaustion;
mod guards;
mod reach;
mod regex_guard;
mod sinks;
mod sources;
mod values;

use calls::*;
use guards::*;
use sinks::*;
use sources::*;
use values::*;

use regex_guard::Anchoring;

pub use reach::{CallResolution, CallSite, ReachTotals, SinkStatus, SinkUse, UnresolvedReason};

use crate::catalog::{self, SinkArg, SinkKind, SinkSpec};
use crate::ir::{Call, Expr, FuncId, Lang, LineIndex, Loc, Module, Stmt};
use crate::taint::{Facts, FuncRef, Guards, Label, Taint, ThenLead, Value};
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
    /// A JSON document parsed from untrusted input (`json.loads(arg)`, `JSON.parse(body)`):
    /// its values may be objects and arrays — query operators such as `{"$ne": null}` — where
    /// the code expects text. Followed to database filters (the input rules follow the input
    /// itself).
    ParsedInput,
}

impl OriginKind {
    /// What the model or a caller over the network chooses: tool and prompt arguments, a
    /// resource's URI, an HTTP request.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            OriginKind::ToolArgument
                | OriginKind::HttpRequest
                | OriginKind::PromptArgument
                | OriginKind::ResourceUri
        )
    }

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
    /// Reached only through a call the analysis resolved by method name alone (the receiver
    /// could not be typed, and the package defines a method of that name): a guess.
    pub guessed: bool,
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

impl Analysis {
    /// Move results to the file they were taken from: `place` gives, for a stand-in path
    /// (a code block of a Markdown file analysed as a program of its own), the real file and
    /// how many lines precede the block there; `None` keeps a path as it is.
    pub fn relocate(&mut self, place: impl Fn(&str) -> Option<(String, u32)>) {
        let apply = |file: &mut String, lines: &mut [&mut u32]| {
            if let Some((real, before)) = place(file) {
                *file = real;
                for l in lines {
                    **l = l.saturating_add(before);
                }
            }
        };
        for x in &mut self.flows {
            apply(&mut x.file, &mut [&mut x.line, &mut x.end_line]);
        }
        for x in &mut self.exposures {
            apply(&mut x.file, &mut [&mut x.line]);
        }
        for x in &mut self.behaviours {
            apply(&mut x.file, &mut [&mut x.line]);
        }
        for t in self
            .tools
            .iter_mut()
            .chain(self.prompts.iter_mut())
            .chain(self.resources.iter_mut())
        {
            apply(&mut t.file, &mut [&mut t.line]);
        }
        for x in &mut self.sinks {
            apply(&mut x.file, &mut [&mut x.line]);
        }
        for x in &mut self.calls {
            apply(&mut x.file, &mut [&mut x.line]);
        }
        for x in &mut self.skipped {
            apply(&mut x.0, &mut []);
        }
        for x in &mut self.syntax_errors {
            apply(&mut x.0, &mut []);
        }
    }
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

/// The value of a parameter annotated with a type of the language (`name: str`,
/// `items: list[str]`, `opts: Record<string, string>`): `@builtin:str|list|dict|num`. Its
/// methods are the language's, never the package's.
pub(crate) const BUILTIN_TYPE: &str = "@builtin:";

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

/// A method of a class or a prototype function (`X.prototype.m`).
fn is_method(f: &crate::ir::Function) -> bool {
    f.class.is_some() || f.name.contains(".prototype.")
}

/// Most methods of one name a call on an untyped receiver may resolve to.
const MAX_NAME_FALLBACK: usize = 3;
/// Promise executors nested in each other's text that are walked without counting as calls.
const MAX_PROMISE_NESTING: usize = 4;
/// Closures whose makers' variables are kept (one frame each).
const MAX_CAPTURED: usize = 4096;

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
    /// The field of the parameter that reaches the sink, when only one named field does.
    field: Option<std::sync::Arc<str>>,
    guards: Guards,
    site: Site,
    /// The flag parameters the sink runs under (see `Walk::flag_conds`): a caller passing a
    /// constant of the other truth never reaches it (`generate(no_lint=True)`).
    requires: Vec<(u8, bool)>,
    /// A request whose URL starts with what a parameter holds: each caller decides whether
    /// the host is fixed (see `decide_host`).
    host_lead: Option<HostLead>,
}

/// The parameter (or field) a URL starts with, and what follows it.
#[derive(Clone, Debug, PartialEq)]
struct HostLead {
    param: u8,
    field: Option<std::sync::Arc<str>>,
    then: Option<ThenLead>,
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
    /// See [`Flow::guessed`].
    guessed: bool,
}

/// What a function's body checked of each of its parameters by the time it returns, for the
/// callers of a validator the analysis does not know by name: `def _public_only(url): …
/// if ip.is_private: raise …` called for its effect, `def is_valid(x): if not RX.match(x):
/// return False … return True` called as a condition. One entry per parameter, intersected
/// over the returns of each kind (`None`: no such return).
#[derive(Clone, Debug, Default, PartialEq)]
struct ExitChecks {
    /// Every return that is not an exception.
    normal: Option<Vec<Guards>>,
    /// Returns whose value may be true (`return True`, `return x`).
    truthy: Option<Vec<Guards>>,
    /// Returns whose value may be false (`return False`, `return None`, falling off the end).
    falsy: Option<Vec<Guards>>,
}

impl ExitChecks {
    fn add(slot: &mut Option<Vec<Guards>>, checks: &[Guards]) {
        *slot = Some(match slot.take() {
            None => checks.to_vec(),
            Some(prev) => prev
                .iter()
                .zip(checks)
                .map(|(a, b)| a.intersect(*b))
                .collect(),
        });
    }
}

#[derive(Clone, Debug, Default)]
struct Summary {
    events: Vec<SumEvent>,
    ret: Value,
    /// See [`ExitChecks`].
    exits: ExitChecks,
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
    /// The round each flow was last found in.
    flow_round: HashMap<FlowKey, usize>,
    exposures: Vec<Exposure>,
    exposure_seen: HashSet<(usize, u32, ExposureKind)>,
    tools: Vec<ToolDecl>,
    tool_seen: HashSet<(String, String)>,
    prompts: Vec<ToolDecl>,
    resources: Vec<ToolDecl>,
    called: HashSet<FuncRef>,
    /// Functions walked as request or tool handlers.
    handled: HashSet<FuncRef>,
    /// Calls to the module's own functions are walked in place rather than summarised.
    inline_module_calls: bool,
    /// Depth of calls being followed on a name-only guess (see [`Flow::guessed`]).
    guessing: u32,
    /// Files made executable (`chmod 755 x`), by module and the text naming them.
    made_executable: HashSet<(usize, String)>,
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
    /// JavaScript functions stored in fields of other objects, by property name: the
    /// fallback's last resort when no method of that name exists.
    fields_named: HashMap<String, Vec<FuncRef>>,
    /// What the executors of the promises being made handed to `resolve`, innermost last.
    settled: Vec<Option<Value>>,
    /// The variables of the function that made and returned a closure, for walks of it.
    captured: HashMap<FuncRef, Frame>,
    /// Per tool name, the guards its declared input schema gives each property
    /// (`types.Tool(name="x", inputSchema={…})`, `{ name: "x", inputSchema: {…} }` in a tool
    /// list): a low-level `call_tool(name, arguments)` dispatcher's `arguments` for that tool
    /// have been validated against it by the SDK.
    tool_schemas: HashMap<String, Vec<(String, Guards)>>,
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
    /// What the summarised function's parameters had been checked for on entry (their
    /// annotations): a return tells its callers only what the body added.
    entry_checks: Vec<Guards>,
    /// The flags the code being walked runs under: `(i, true)` inside `if flag:` on
    /// parameter i of the summarised function as it was passed (`(i, false)` under `if not
    /// flag:`, or after `if flag: return`). Events recorded here carry them.
    flag_conds: Vec<(u8, bool)>,
    /// Set while a callee's request events are passed on: their URL's lead, now expressed in
    /// this function's parameters.
    host_lead: Option<HostLead>,
}

impl Walk {
    /// Run what follows under one more flag condition (a few at most: beyond them, the code
    /// counts as running whatever the flags).
    fn push_flag(&mut self, c: (u8, bool)) {
        if self.flag_conds.len() < 8 {
            self.flag_conds.push(c);
        }
    }

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
            entry_checks: Vec::new(),
            flag_conds: Vec::new(),
            host_lead: None,
        }
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
        let mut fields_named: HashMap<String, Vec<FuncRef>> = HashMap::new();
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
                // Methods of classes and prototypes; apart, in JavaScript, functions stored in
                // a field (`res.sendfile = function (p) {…}` on an object a helper was given):
                // one abstract location per property name, as field-based call graphs do.
                let method = is_method(f);
                let stored_in_field = m.lang == Lang::JavaScript && f.name.contains('.');
                if !(method || stored_in_field) {
                    continue;
                }
                let index = if method {
                    &mut methods_named
                } else {
                    &mut fields_named
                };
                if let Some(last) = f.name.rsplit('.').next().filter(|l| !l.is_empty()) {
                    let at = index.entry(last.to_string()).or_default();
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
            flow_round: HashMap::new(),
            tools: Vec::new(),
            tool_seen: HashSet::new(),
            prompts: Vec::new(),
            resources: Vec::new(),
            called: HashSet::new(),
            handled: HashSet::new(),
            inline_module_calls: false,
            guessing: 0,
            made_executable: HashSet::new(),
            cut_off: Vec::new(),
            behaviours: Vec::new(),
            behaviour_seen: HashSet::new(),
            place_labels: HashMap::new(),
            discarded_call: None,
            class_fields: HashMap::new(),
            class_at,
            methods_named,
            fields_named,
            settled: Vec::new(),
            captured: HashMap::new(),
            tool_schemas: declared_tool_schemas(modules),
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
        if library {
            self.inline_module_calls = true;
            self.walk_library_classes();
            self.inline_module_calls = false;
        }
        self.report_uncalled_entry_points(library);
        self.resource_exhaustion();
    }

    /// A module's top-level code: binds imports and module variables, registers handlers.
    fn walk_top(&mut self, m: usize) {
        let mut w = Walk::new(m, 0);
        self.hoist(&mut w, 0);
        let body = &self.modules[m].module.functions[0].body;
        self.exec_block(&mut w, body);
        self.class_based_tools(&mut w, m);
        self.python_request_handler_classes(&mut w, m);
        if let Some(frame) = w.frames.into_iter().next() {
            self.module_env[m] = frame;
        }
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
                    taint: Taint::single(Label::Param(i as u8, None)),
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
        w.entry_checks = self.param_checks(&w, id);
        let body = &self.modules[m].module.functions[id].body;
        if !self.exec_block(&mut w, body) {
            // Falling off the end returns nothing (`None`, `undefined`).
            self.record_exit(&mut w, None);
        }
        let mut summary = w.summary;
        if let Some(r) = w.returned {
            summary.ret = r;
        }
        let changed = self.summaries.get(&(m, id)).is_none_or(|old| {
            old.events.len() != summary.events.len()
                || old.ret.taint != summary.ret.taint
                || old.exits != summary.exits
        });
        self.changed |= changed;
        self.summaries.insert((m, id), Arc::new(summary));
    }

    /// Python annotations name types: `repo: git.Repo` makes `repo` a `git.Repo()` instance;
    /// `request: Request` is an HTTP request.
    fn apply_annotation(&mut self, m: usize, v: &mut Value, ann: &str, _w: &mut Walk) {
        let ann = ann.trim().trim_matches(['"', '\'']);
        let ann = ann
            .strip_prefix("Optional[")
            .and_then(|r| r.strip_suffix(']'))
            .unwrap_or(ann)
            .trim();
        let head = ann.split(['[', '|', ' ']).next().unwrap_or(ann);
        let first = head.split('.').next().unwrap_or(head);
        // A class of the project (`director: RequestDirector`): an instance of it, so its
        // methods resolve (`self._director.build(…)` after `self._director = director`).
        let project_class = match self.module_env[m].get(first).map(classes::class_of) {
            Some(Some((false, cm, cname))) if head == first => Some((cm, cname.to_string())),
            Some(_) => None,
            None if head == first && first.starts_with(|c: char| c.is_ascii_uppercase()) => {
                self.find_class(m, first).map(|cm| (cm, first.to_string()))
            }
            None => None,
        };
        if let Some((cm, cname)) = project_class {
            v.qual = Some(format!("@inst:{cm}:{cname}"));
        } else if let Some(bound) = self.module_env[m].get(first).and_then(|b| b.qual.clone()) {
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

    /// Execute statements; returns true when the block always leaves (return/throw/jump).
    fn exec_block(&mut self, w: &mut Walk, stmts: &[Stmt]) -> bool {
        let conds = w.flag_conds.len();
        let mut exits = false;
        for s in stmts {
            if self.exec(w, s) {
                exits = true;
                break;
            }
        }
        w.flag_conds.truncate(conds);
        exits
    }

    /// `if flag:` / `if not flag:` on a parameter of the summarised function, as passed:
    /// the parameter and the truth the `then` branch needs.
    fn param_flag(&self, w: &Walk, cond: &Expr) -> Option<(u8, bool)> {
        let (name, truth) = match cond {
            Expr::Name(n, _) => (n, true),
            Expr::Not(inner, _) => match &**inner {
                Expr::Name(n, _) => (n, false),
                _ => return None,
            },
            _ => return None,
        };
        let i = self.lookup(w, name)?.bare_param()?;
        Some((i, truth))
    }

    /// Run a branch under a flag condition (when its condition is one).
    fn exec_flagged(&mut self, w: &mut Walk, flag: Option<(u8, bool)>, stmts: &[Stmt]) -> bool {
        let conds = w.flag_conds.len();
        if let Some(f) = flag {
            w.push_flag(f);
        }
        let exits = self.exec_block(w, stmts);
        w.flag_conds.truncate(conds);
        exits
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
                // A validator called for its effect (it throws): `validatePath(p);`, or a
                // function of the package whose every return comes after checks of its
                // arguments (`_public_only(url)` that raises on a private address).
                if let Expr::Call(c) = e {
                    let named = callee_last_name(&c.callee).is_some_and(|name| {
                        catalog::is_validator_name(&name)
                            || name.starts_with("assert")
                            || name.starts_with("ensure")
                    });
                    let facts = if named {
                        let mut names = arg_names(c);
                        // A check kept in an object made from the value in the same
                        // statement (`Status.of(p, root).check_within_or_raise()`): what the
                        // object was made from is checked.
                        if let Expr::Member(obj, _, _) = &c.callee {
                            names.extend(receiver_call_args(obj));
                        }
                        names
                            .into_iter()
                            .map(|n| (n, Guards::VALIDATED))
                            .collect::<Vec<_>>()
                    } else {
                        self.exit_facts(w, c, |x| x.normal.as_ref())
                    };
                    self.apply_facts(w, &facts);
                }
                false
            }
            Stmt::Return(value, loc) => {
                let v = match value {
                    Some(e) => self.eval(w, e),
                    None => Value::default(),
                };
                self.record_exit(w, value.as_ref());
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
                let flag = self.param_flag(w, cond);
                self.apply_facts(w, &facts.yes);
                let saved_case = w.tool_case.clone();
                if case.is_some() && w.tool.is_some() {
                    self.apply_tool_schema(w, case.as_deref());
                    w.tool_case = case;
                }
                let then_exits = self.exec_flagged(w, flag, then);
                w.tool_case = saved_case;
                let after_then =
                    std::mem::replace(w.frames.last_mut().unwrap_or(&mut Frame::default()), before);
                self.apply_facts(w, &facts.no);
                let else_flag = flag.map(|(i, t)| (i, !t));
                let else_exits = self.exec_flagged(w, else_flag, els);
                // `if flag: return …`: what follows runs only when the flag is the other way
                // (until the enclosing block ends).
                if let (Some(f), true, false) = (else_flag, then_exits, else_exits) {
                    w.push_flag(f);
                }
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
                let mut joined = join_frames(&before, &after);
                // A loop that runs to its end on every element and raises on a bad one
                // (`for info in getaddrinfo(host): if ip(info).is_private: raise`) has checked
                // what the elements came from: a value the body only refined by checks keeps
                // them. Not where a `break`/`continue` can skip the check.
                if !has_jump(body) {
                    for (name, a) in &after.vars {
                        if let Some(b) = before.get(name) {
                            let refined = a.checked != b.checked
                                && a.checked.union(b.checked) == a.checked
                                && a.taint.0.keys().eq(b.taint.0.keys());
                            if refined {
                                joined.insert(&**name, (**a).clone());
                            }
                        }
                    }
                }
                if let Some(frame) = w.frames.last_mut() {
                    *frame = joined;
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

    fn slice(&self, module: usize, loc: Loc) -> &'a str {
        let text = self.modules[module].text;
        text.get(loc.start as usize..loc.end as usize).unwrap_or("")
    }
}

fn tainted(src: u32) -> Value {
    Value {
        taint: Taint::single(Label::Source(src)),
        ..Value::default()
    }
}

fn display_name(name: &str) -> String {
    name.to_string()
}

/// Whether a block holds a `break` or `continue` (nested functions aside).
fn has_jump(body: &[Stmt]) -> bool {
    let mut found = false;
    crate::ir::for_each_stmt(body, &mut |s| found |= matches!(s, Stmt::Jump(_)));
    found
}

fn join_frames(a: &Frame, b: &Frame) -> Frame {
    a.join(b)
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
