//! What the walk reached, label-free: every dangerous-operation call site it passed (a *sink
//! use*, with the tools whose handlers reach it through the call graph), and how each call on a
//! data path was resolved.
//!
//! These are the figures that measure the engine without labels: a sink whose argument is not a
//! constant and that no input reaches is either safe code or a flow the engine lost, and the
//! reason says which to look at; a call on a data path that resolves to nothing is where flows
//! are lost. Per-tool sink uses are also what a tool can do (its capabilities).

use super::{FuncRef, State, Walk};
use crate::catalog::SinkKind;
use crate::ir::{Call, Expr, Loc};
use crate::taint::{Guards, Label, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A sink's identity: module, offset, kind.
pub(super) type UseKey = (usize, u32, SinkKind);

/// Sink uses kept in one function's summary (the rest still count where they are).
const MAX_SUMMARY_USES: usize = 512;

/// Unresolved calls listed by example in the report.
const MAX_EXAMPLES: usize = 20;

/// What is known about one sink use while the walk runs.
#[derive(Debug)]
pub(super) struct UseState {
    api: String,
    /// Every value seen at the sink was a constant.
    constant: bool,
    /// A parameter of the enclosing function reaches it.
    param: bool,
    /// Walked from module top level or a handler (not only inside a function's summary).
    entry: bool,
    tools: BTreeSet<String>,
    /// The functions whose summaries hold it.
    funcs: BTreeSet<FuncRef>,
    /// The constant text (or constant lead) of the argument, when there is one.
    target: Option<String>,
}

/// What happened to a sink whose argument is not a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SinkStatus {
    /// The argument is a constant: nothing to reach.
    Constant,
    /// Untrusted input reaches it with no guard of its kind.
    Reached,
    /// Untrusted input reaches it through a guard of its kind.
    Guarded,
    /// Walked from an entry point, but its value does not come from input.
    NoInput,
    /// A parameter of its function reaches it, but no caller passes input to that parameter.
    CallersPassNoInput,
    /// No resolved call leads to its function: dead code, or a call the engine did not
    /// resolve.
    NoCaller,
    /// The analysis budget of its file ran out before the walk got there.
    Budget,
}

impl SinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SinkStatus::Constant => "constant",
            SinkStatus::Reached => "reached",
            SinkStatus::Guarded => "guarded",
            SinkStatus::NoInput => "no input reaches it",
            SinkStatus::CallersPassNoInput => "its callers pass no input",
            SinkStatus::NoCaller => "no resolved call leads to its function",
            SinkStatus::Budget => "analysis budget",
        }
    }
}

/// A dangerous-operation call site the walk passed.
#[derive(Clone, Debug, Serialize)]
pub struct SinkUse {
    pub kind: SinkKind,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The API called (`child_process.exec`, `open`, `*.query`).
    pub api: String,
    /// Tools whose handlers reach it through the call graph; `""` is a dispatcher whose tool
    /// could not be told.
    pub tools: Vec<String>,
    pub status: SinkStatus,
    /// The constant argument, or the constant text it starts with (`https://api.host/…`).
    pub target: Option<String>,
}

/// How a call on a data path was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallResolution {
    /// To a function of the package, by what the callee is.
    Project,
    /// To the package's methods of that name (the receiver could not be typed).
    NameFallback,
    /// An API of an imported module or of the language (modelled by the catalogue or passed
    /// through).
    Library,
    /// A method of a built-in value (string, list, map, promise).
    Builtin,
    /// Nothing: the flow through it is approximated.
    Unresolved,
}

/// Why a call stayed unresolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnresolvedReason {
    /// The callee is a parameter, a returned function or a computed value (a callback).
    CalleeIsValue,
    /// The receiver's type is unknown and the package defines a method of that name, but the
    /// call could not be tied to it (too many candidates, or the receiver is untyped).
    UntypedReceiver,
    /// A method the receiver's class (or its bases) does not define.
    MissingMethod,
    /// A name defined nowhere (not imported, not a global of the language).
    UndefinedName,
}

impl UnresolvedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UnresolvedReason::CalleeIsValue => "callee is a parameter or computed value",
            UnresolvedReason::UntypedReceiver => "receiver untyped, package method of that name",
            UnresolvedReason::MissingMethod => "method not on the receiver's class",
            UnresolvedReason::UndefinedName => "name defined nowhere",
        }
    }
}

/// One call on a data path (a value from input or a parameter is among its arguments or its
/// receiver).
#[derive(Clone, Debug, Serialize)]
pub struct CallSite {
    pub file: String,
    pub line: u32,
    /// The callee as written, shortened.
    pub callee: String,
    pub resolution: CallResolution,
    pub reason: Option<UnresolvedReason>,
    /// Untrusted input (not only a parameter) reaches the call.
    pub from_source: bool,
}

/// What is known about one call site while the walk runs.
#[derive(Debug)]
pub(super) struct CallState {
    callee: String,
    resolution: CallResolution,
    reason: Option<UnresolvedReason>,
    from_source: bool,
    funcs: BTreeSet<FuncRef>,
    entry: bool,
}

/// Globals of JavaScript (ECMAScript, Node.js, the web platform) and Python's builtins: names
/// that need no import. Error, exception and warning classes are recognised by their name
/// (see [`is_global`]).
const GLOBALS: &[&str] = &[
    // ECMAScript
    "JSON",
    "Math",
    "Object",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Promise",
    "Date",
    "RegExp",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "WeakRef",
    "FinalizationRegistry",
    "Symbol",
    "Reflect",
    "Proxy",
    "BigInt",
    "Function",
    "Intl",
    "Atomics",
    "ArrayBuffer",
    "SharedArrayBuffer",
    "DataView",
    "Int8Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "Float32Array",
    "Float64Array",
    "BigInt64Array",
    "BigUint64Array",
    "Iterator",
    "parseInt",
    "parseFloat",
    "isNaN",
    "isFinite",
    "encodeURIComponent",
    "decodeURIComponent",
    "encodeURI",
    "decodeURI",
    "escape",
    "unescape",
    "globalThis",
    "undefined",
    "NaN",
    "Infinity",
    // Node.js
    "console",
    "Buffer",
    "process",
    "global",
    "require",
    "module",
    "exports",
    "setTimeout",
    "setInterval",
    "setImmediate",
    "clearTimeout",
    "clearInterval",
    "clearImmediate",
    "queueMicrotask",
    "structuredClone",
    // The web platform (also in Node.js and Deno)
    "fetch",
    "Request",
    "Response",
    "Headers",
    "FormData",
    "Blob",
    "File",
    "FileReader",
    "URL",
    "URLSearchParams",
    "TextEncoder",
    "TextDecoder",
    "AbortController",
    "AbortSignal",
    "ReadableStream",
    "WritableStream",
    "TransformStream",
    "CompressionStream",
    "DecompressionStream",
    "WebSocket",
    "EventSource",
    "EventTarget",
    "Event",
    "CustomEvent",
    "MessageChannel",
    "MessagePort",
    "BroadcastChannel",
    "Worker",
    "XMLHttpRequest",
    "crypto",
    "performance",
    "navigator",
    "location",
    "localStorage",
    "sessionStorage",
    "atob",
    "btoa",
    "alert",
    "confirm",
    "prompt",
    "window",
    "document",
    "requestAnimationFrame",
    "cancelAnimationFrame",
    "getComputedStyle",
    "matchMedia",
    "Image",
    "Notification",
    // Python builtins
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "__import__",
    "NotImplemented",
    "Ellipsis",
    "SystemExit",
    "KeyboardInterrupt",
    "GeneratorExit",
    "StopIteration",
    "StopAsyncIteration",
];

/// A name the language provides: a global above, or a built-in error, exception or warning
/// class (`TypeError`, `FileNotFoundError`, `DOMException`, `DeprecationWarning`).
pub(super) fn is_global(name: &str) -> bool {
    GLOBALS.contains(&name)
        || (name.starts_with(|c: char| c.is_ascii_uppercase())
            && ["Error", "Exception", "Warning"]
                .iter()
                .any(|s| name.ends_with(s)))
}

/// A value known to be a string, a list or a map of the language: a constant, text built by
/// concatenation or formatting, a literal array, or a parameter annotated with a built-in type.
pub(super) fn builtin_value(v: &Value) -> bool {
    v.konst.is_some()
        || v.alts.is_some()
        || v.composed
        || v.elems.is_some()
        || v.qual
            .as_deref()
            .is_some_and(|q| q.starts_with(super::BUILTIN_TYPE))
}

/// A method only text has in the language's built-ins (`x.trim()`, `s.startswith(p)`): the
/// receiver is a string, whatever else the package defines by that name.
pub(super) fn is_text_method(m: &str) -> bool {
    matches!(
        m,
        "trim"
            | "trimStart"
            | "trimEnd"
            | "toLowerCase"
            | "toUpperCase"
            | "toLocaleLowerCase"
            | "toLocaleUpperCase"
            | "startsWith"
            | "endsWith"
            | "padStart"
            | "padEnd"
            | "charCodeAt"
            | "charAt"
            | "codePointAt"
            | "localeCompare"
            | "substring"
            | "substr"
            | "strip"
            | "lstrip"
            | "rstrip"
            | "lower"
            | "upper"
            | "startswith"
            | "endswith"
            | "splitlines"
            | "isdigit"
            | "isalnum"
            | "isalpha"
            | "isspace"
            | "casefold"
            | "removeprefix"
            | "removesuffix"
            | "zfill"
    )
}

/// A method strings, lists, maps, sets, promises, buffers or files have.
pub(super) fn is_builtin_method(m: &str) -> bool {
    BUILTIN_METHODS.contains(&m) || super::ITERATION_METHODS.contains(&m)
}

/// Methods of strings, lists, dicts, maps, sets, promises, buffers and files.
const BUILTIN_METHODS: &[&str] = &[
    "split",
    "join",
    "replace",
    "replaceAll",
    "trim",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "toLowerCase",
    "toUpperCase",
    "startsWith",
    "endsWith",
    "startswith",
    "endswith",
    "includes",
    "indexOf",
    "lastIndexOf",
    "slice",
    "substring",
    "substr",
    "charAt",
    "charCodeAt",
    "padStart",
    "padEnd",
    "repeat",
    "match",
    "matchAll",
    "search",
    "test",
    "exec",
    "concat",
    "push",
    "pop",
    "shift",
    "unshift",
    "splice",
    "reverse",
    "at",
    "keys",
    "values",
    "entries",
    "items",
    "get",
    "set",
    "has",
    "add",
    "delete",
    "clear",
    "append",
    "extend",
    "insert",
    "remove",
    "update",
    "setdefault",
    "copy",
    "count",
    "index",
    "find",
    "format",
    "encode",
    "decode",
    "toString",
    "toJSON",
    "valueOf",
    "toFixed",
    "isdigit",
    "isalnum",
    "isalpha",
    "splitlines",
    "partition",
    "rpartition",
    "zfill",
    "title",
    "capitalize",
    "casefold",
    "removeprefix",
    "removesuffix",
    "fill",
    "flat",
    "localeCompare",
    "normalize",
    "codePointAt",
    "then",
    "catch",
    "finally",
    "resolve",
    "reject",
    "close",
    "read",
    "write",
    "readline",
    "readlines",
    "seek",
    "tell",
    "flush",
    "toISOString",
    "getTime",
    "isoformat",
    "strftime",
    "hexdigest",
    "digest",
    "json",
    "text",
    "raise_for_status",
    "sort",
    "map",
    "filter",
    "reduce",
    "forEach",
    "some",
    "every",
    "findIndex",
    "flatMap",
    "length",
    "size",
    "bind",
    "call",
    "apply",
    "subarray",
    "readUInt8",
    "writeUInt8",
    "equals",
    "from",
    "of",
    "isArray",
    "assign",
    "freeze",
];

impl State<'_, '_> {
    /// A sink call site the walk passed, whatever its argument.
    pub(super) fn note_use(
        &mut self,
        w: &mut Walk,
        kind: SinkKind,
        v: &Value,
        loc: Loc,
        api: &str,
    ) {
        let key: UseKey = (w.module, loc.start, kind);
        let tool = tool_of(w);
        let target = v.konst.clone().or_else(|| {
            v.qual
                .as_deref()
                .and_then(|q| q.strip_prefix("lead:"))
                .map(str::to_string)
        });
        let e = self.uses.entry(key).or_insert_with(|| UseState {
            api: api.to_string(),
            constant: true,
            param: false,
            entry: false,
            tools: BTreeSet::new(),
            funcs: BTreeSet::new(),
            target: None,
        });
        if v.konst.is_none() && v.alts.is_none() {
            e.constant = false;
        }
        if e.target.is_none() {
            e.target = target.map(|t| t.chars().take(200).collect());
        }
        if v.taint.0.keys().any(|l| matches!(l, Label::Param(..))) {
            e.param = true;
        }
        // A function walked where it is defined runs only when something calls it.
        if let Some(d) = w.defining {
            e.funcs.insert((w.module, d));
            return;
        }
        if let Some(t) = tool {
            e.tools.insert(t);
        }
        if w.root == 0 {
            e.entry = true;
        } else {
            e.funcs.insert((w.module, w.root));
            if w.summary.uses.len() < MAX_SUMMARY_USES && !w.summary.uses.contains(&key) {
                w.summary.uses.push(key);
            }
        }
    }

    /// The sink uses of a callee's summary are reached from here too: from this walk's tool,
    /// and from the callers of this walk's function.
    pub(super) fn inherit_uses(&mut self, w: &mut Walk, callee: &[UseKey]) {
        if w.defining.is_some() {
            return;
        }
        let tool = tool_of(w);
        for key in callee {
            if let Some(e) = self.uses.get_mut(key) {
                if let Some(t) = &tool {
                    if !e.tools.contains(t) {
                        e.tools.insert(t.clone());
                    }
                }
                if w.root == 0 {
                    e.entry = true;
                }
            }
            if w.root != 0
                && w.summary.uses.len() < MAX_SUMMARY_USES
                && !w.summary.uses.contains(key)
            {
                w.summary.uses.push(*key);
            }
        }
    }

    /// A call whose arguments or receiver carry input or a parameter: how it was resolved.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn note_call(
        &mut self,
        w: &Walk,
        c: &Call,
        callee: &Value,
        receiver: Option<&Value>,
        method: Option<&str>,
        args: &[Value],
        resolved: bool,
        by_name: bool,
        modelled: bool,
    ) {
        let mut from_source = false;
        let mut from_param = false;
        for v in args.iter().chain(receiver) {
            for l in v.taint.0.keys() {
                match l {
                    Label::Source(s) => {
                        // Credentials read from the environment are followed for leaks, not
                        // as input choosing what a call does.
                        if !self.sources[*s as usize].kind.is_behaviour()
                            && self.sources[*s as usize].kind
                                != crate::analysis::OriginKind::Environment
                        {
                            from_source = true;
                        }
                    }
                    Label::Param(..) => from_param = true,
                }
            }
        }
        if !from_source && !from_param {
            return;
        }
        let qual = callee.qual.as_deref().unwrap_or("");
        let (resolution, reason) = if resolved {
            (CallResolution::Project, None)
        } else if by_name {
            (CallResolution::NameFallback, None)
        } else if modelled {
            (CallResolution::Library, None)
        } else {
            self.classify_unresolved(w, c, qual, method, receiver)
        };
        let key = (w.module, c.loc.start);
        let text = callee_text(self.slice(w.module, c.callee.loc()));
        let e = self.call_sites.entry(key).or_insert_with(|| CallState {
            callee: text,
            resolution,
            reason,
            from_source: false,
            funcs: BTreeSet::new(),
            entry: false,
        });
        if resolution < e.resolution {
            e.resolution = resolution;
            e.reason = reason;
        }
        if let Some(d) = w.defining {
            e.funcs.insert((w.module, d));
            return;
        }
        e.from_source |= from_source;
        if w.root == 0 {
            e.entry = true;
        } else {
            e.funcs.insert((w.module, w.root));
        }
    }

    fn classify_unresolved(
        &mut self,
        w: &Walk,
        c: &Call,
        qual: &str,
        method: Option<&str>,
        receiver: Option<&Value>,
    ) -> (CallResolution, Option<UnresolvedReason>) {
        if let Some(m) = method {
            let rq = receiver.and_then(|r| r.qual.as_deref()).unwrap_or("");
            if rq.starts_with("@inst:") || rq.starts_with("@class:") {
                return if self.package_defines(m) {
                    (
                        CallResolution::Unresolved,
                        Some(UnresolvedReason::MissingMethod),
                    )
                } else {
                    // Inherited from a base class outside the package.
                    (CallResolution::Library, None)
                };
            }
            if receiver.is_some_and(builtin_value) && is_builtin_method(m) {
                return (CallResolution::Builtin, None);
            }
            let untyped = rq.is_empty() || rq.starts_with("*.") || rq.starts_with("lead:");
            if untyped {
                if is_text_method(m) {
                    return (CallResolution::Builtin, None);
                }
                if self.package_defines(m) {
                    return (
                        CallResolution::Unresolved,
                        Some(UnresolvedReason::UntypedReceiver),
                    );
                }
                if is_builtin_method(m) {
                    return (CallResolution::Builtin, None);
                }
                // No method of that name in the package: an object of another package.
                return (CallResolution::Library, None);
            }
            // A named API's object (`fs.promises.readFile`, `requests.Session().get`).
            let root = rq.split(['.', '(']).next().unwrap_or("");
            if self.is_known_root(w, root)
                || self.external_roots.contains(root)
                || rq.ends_with("()")
            {
                return (CallResolution::Library, None);
            }
            if BUILTIN_METHODS.contains(&m) {
                return (CallResolution::Builtin, None);
            }
            return (CallResolution::Library, None);
        }
        if self.slice(w.module, c.callee.loc()).trim() == "super" {
            return (CallResolution::Library, None);
        }
        if qual.is_empty()
            || qual.starts_with("*.")
            || qual.starts_with("lead:")
            || matches!(c.callee, Expr::Call(..) | Expr::Index(..))
        {
            return (
                CallResolution::Unresolved,
                Some(UnresolvedReason::CalleeIsValue),
            );
        }
        // The name as written (`TextContent`, `diff.createTwoFilesPatch`'s `diff`) is bound to an
        // import, or what it resolved to starts with an imported module.
        let written = c
            .callee
            .dotted()
            .map(|d| d.split('.').next().unwrap_or("").to_string())
            .unwrap_or_default();
        let root = qual.split(['.', '(']).next().unwrap_or("");
        if self.is_known_root(w, &written) || self.external_roots.contains(root) || is_global(root)
        {
            return (CallResolution::Library, None);
        }
        (
            CallResolution::Unresolved,
            Some(UnresolvedReason::UndefinedName),
        )
    }

    /// A module imported from outside the package, or a global of the language.
    fn is_known_root(&self, w: &Walk, root: &str) -> bool {
        is_global(root) || self.lookup(w, root).is_some()
    }

    /// The package has a function or method of this name.
    fn package_defines(&mut self, name: &str) -> bool {
        if self.function_names.is_empty() {
            let mut names = HashSet::new();
            for md in self.modules {
                for f in &md.module.functions {
                    let last = f.name.rsplit('.').next().unwrap_or(&f.name);
                    if !last.is_empty() {
                        names.insert(last.to_string());
                    }
                }
            }
            names.insert(String::new());
            self.function_names = names;
        }
        self.function_names.contains(name)
    }

    /// The sink uses and data-path calls, once the walk is over. `reported` maps a sink's
    /// place to whether every flow there passed a guard of its kind.
    pub(super) fn finish_reach(
        &self,
        reported: &HashMap<(String, u32, u32, SinkKind), bool>,
    ) -> (Vec<SinkUse>, Vec<CallSite>) {
        let mut sinks = Vec::new();
        for (&(m, start, kind), u) in &self.uses {
            if !counts(kind) {
                continue;
            }
            let md = &self.modules[m];
            let (line, column) = md.lines.position(md.text, start);
            let file = md.module.path.clone();
            let called = u.funcs.iter().any(|f| self.called.contains(f));
            let status = if u.constant {
                SinkStatus::Constant
            } else if let Some(guarded) = reported.get(&(file.clone(), line, column, kind)) {
                if *guarded {
                    SinkStatus::Guarded
                } else {
                    SinkStatus::Reached
                }
            } else if self.cut_off.contains(&file) {
                SinkStatus::Budget
            } else if u.param && called {
                SinkStatus::CallersPassNoInput
            } else if u.entry || called {
                SinkStatus::NoInput
            } else {
                SinkStatus::NoCaller
            };
            sinks.push(SinkUse {
                kind,
                file,
                line,
                column,
                api: u.api.clone(),
                tools: u.tools.iter().cloned().collect(),
                status,
                target: u.target.clone(),
            });
        }
        sinks.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.kind).cmp(&(&b.file, b.line, b.column, b.kind))
        });
        let mut calls = Vec::new();
        for (&(m, start), cs) in &self.call_sites {
            // Calls inside functions nothing calls are not on any path yet.
            if !cs.from_source && !cs.entry && !cs.funcs.iter().any(|f| self.called.contains(f)) {
                continue;
            }
            let md = &self.modules[m];
            let (line, _) = md.lines.position(md.text, start);
            calls.push(CallSite {
                file: md.module.path.clone(),
                line,
                callee: cs.callee.clone(),
                resolution: cs.resolution,
                reason: cs.reason,
                from_source: cs.from_source,
            });
        }
        calls.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        (sinks, calls)
    }
}

/// The tool whose handler the walk is in (`""` for a dispatcher whose case is unknown).
fn tool_of(w: &Walk) -> Option<String> {
    w.tool_case.clone().or_else(|| w.tool.clone())
}

/// Sink kinds that are operations a tool can perform (not reporting channels: logs, results,
/// error texts).
fn counts(kind: SinkKind) -> bool {
    matches!(
        kind,
        SinkKind::Shell
            | SinkKind::Argv
            | SinkKind::Program
            | SinkKind::FileAccess
            | SinkKind::Fetch
            | SinkKind::UrlJoin
            | SinkKind::Sql
            | SinkKind::Eval
            | SinkKind::Deserialize
            | SinkKind::DynamicImport
            | SinkKind::Html
            | SinkKind::Navigate
            | SinkKind::NetworkSend
            | SinkKind::FileWrite
            | SinkKind::FileDelete
            | SinkKind::FormatString
            | SinkKind::ArchiveExtract
            | SinkKind::NoSqlFilter
    )
}

/// Whether a flow's guards include one that sanitises its kind of sink.
pub(super) fn guarded_for(kind: SinkKind, g: Guards) -> bool {
    g.intersect(kind.sanitised_by().union(Guards::HOST_FIXED)).0 != 0
}

/// A callee's text for the report: whitespace collapsed, at most 80 characters.
fn callee_text(s: &str) -> String {
    let collapsed: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > 80 {
        let mut t: String = collapsed.chars().take(77).collect();
        t.push_str("...");
        t
    } else {
        collapsed
    }
}

/// Totals over the data-path calls and the sink uses of one analysis.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReachTotals {
    pub calls_on_source_paths: usize,
    pub calls_by_resolution: BTreeMap<CallResolution, usize>,
    pub unresolved_by_reason: BTreeMap<UnresolvedReason, usize>,
    pub sinks: usize,
    pub sinks_by_status: BTreeMap<SinkStatus, usize>,
    /// Unresolved calls, first few.
    pub unresolved_examples: Vec<CallSite>,
    /// Non-constant sinks no input reached because no call leads to their function, first few.
    pub no_caller_examples: Vec<SinkUse>,
}

impl ReachTotals {
    pub fn of(sinks: &[SinkUse], calls: &[CallSite]) -> ReachTotals {
        let mut t = ReachTotals {
            calls_on_source_paths: calls.len(),
            sinks: sinks.len(),
            ..ReachTotals::default()
        };
        for c in calls {
            *t.calls_by_resolution.entry(c.resolution).or_default() += 1;
            if let Some(r) = c.reason {
                *t.unresolved_by_reason.entry(r).or_default() += 1;
                if t.unresolved_examples.len() < MAX_EXAMPLES {
                    t.unresolved_examples.push(c.clone());
                }
            }
        }
        for s in sinks {
            *t.sinks_by_status.entry(s.status).or_default() += 1;
            if s.status == SinkStatus::NoCaller && t.no_caller_examples.len() < MAX_EXAMPLES {
                t.no_caller_examples.push(s.clone());
            }
        }
        t
    }
}
