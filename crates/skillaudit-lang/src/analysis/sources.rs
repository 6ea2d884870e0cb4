//! Entry points and sources: tool, prompt and resource registrations, HTTP routes and
//! handlers, environment reads, library entry points and network exposure.

use super::*;

impl State<'_, '_> {
    /// JavaScript functions with the Node HTTP handler signature — `(req, res)`,
    /// `(req, res, next)`, `(request, response)` — that nothing in the package calls or
    /// registers where the analysis can see it: middleware returned by an exported factory
    /// (`module.exports = root => (req, res, next) => …`), handlers kept in a list and called
    /// from it. The server that calls them hands them a request: walked as request handlers.
    pub(super) fn walk_unregistered_http_handlers(&mut self) {
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

    /// Tools written as classes (`class ReadFile(BaseTool): def run(self, path)`, a
    /// `ToolHandler` subclass's `run_tool(self, arguments)`), registered by frameworks through
    /// reflection rather than a call the analysis could see: the entry method's parameters are
    /// the tool's arguments.
    pub(super) fn class_based_tools(&mut self, w: &mut Walk, m: usize) {
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

    /// Request handler classes of Python's own servers, which the server instantiates and
    /// calls by method name rather than through a call the analysis could see:
    /// `http.server`'s `BaseHTTPRequestHandler` subclasses (`do_GET`, `do_POST`, …, reading
    /// `self.path`, `self.headers`, `self.rfile`), `socketserver`'s `BaseRequestHandler` /
    /// `StreamRequestHandler` (`handle`, reading `self.request`, `self.rfile`) and tornado's
    /// `RequestHandler` (`get`, `post`, … reading `self.request` and the method's path
    /// arguments). The receiver's request fields carry the request; the rest of the instance
    /// is the server's own.
    pub(super) fn python_request_handler_classes(&mut self, w: &mut Walk, m: usize) {
        if self.modules[m].lang != Lang::Python {
            return;
        }
        const FIELDS: &[&str] = &[
            "path",
            "headers",
            "rfile",
            "request",
            "requestline",
            "raw_requestline",
            "data",
        ];
        let mut found: Vec<(FuncId, String)> = Vec::new();
        for cls in &self.modules[m].module.classes {
            let handler_base = cls.bases.iter().any(|b| {
                b.dotted().is_some_and(|d| {
                    let last = d.rsplit('.').next().unwrap_or(&d);
                    last.ends_with("RequestHandler")
                })
            });
            if !handler_base {
                continue;
            }
            let prefix = format!("{}.", cls.name);
            for (name, id) in &self.by_name[m] {
                let Some(method) = name.strip_prefix(&prefix) else {
                    continue;
                };
                let entry = method.starts_with("do_")
                    || matches!(
                        method,
                        "handle" | "get" | "post" | "put" | "patch" | "delete" | "head"
                    );
                if entry && !method.contains('.') {
                    found.push((*id, name.clone()));
                }
            }
        }
        found.sort();
        for (id, name) in found {
            let src = self.source(
                OriginKind::HttpRequest,
                None,
                format!("HTTP request to `{name}`"),
            );
            let Some(f) = self.modules[m].module.functions.get(id) else {
                continue;
            };
            let fields: std::collections::BTreeMap<String, Value> = FIELDS
                .iter()
                .map(|k| ((*k).to_string(), tainted(src)))
                .collect();
            let receiver = Value {
                fields: Some(std::sync::Arc::new(fields)),
                ..Value::default()
            };
            let params: Vec<Value> = (0..f.params.len())
                .map(|i| {
                    if i == 0 {
                        receiver.clone()
                    } else {
                        tainted(src)
                    }
                })
                .collect();
            self.called.insert((m, id));
            self.walk_handler(w, id, params, None);
        }
    }

    pub(super) fn source(&mut self, kind: OriginKind, tool: Option<String>, what: String) -> u32 {
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

    /// `process.env.NAME`: a credential source when the name says it holds one.
    pub(super) fn env_value(&mut self, name: &str) -> Value {
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
    pub(super) fn is_whole_arguments(&self, w: &Walk, e: &Expr) -> bool {
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
    pub(super) fn env_read_in_handler(&mut self, w: &mut Walk, name: &str, loc: Loc) {
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
    pub(super) fn env_read(&mut self, w: &mut Walk, name: &Value, loc: Loc) -> Value {
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
            if let (Some(Label::Param(i, None)), None) = (labels.next(), labels.next()) {
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

    /// Tool/resource/prompt registrations and HTTP routes. Returns true when the call was one.
    pub(super) fn registration(
        &mut self,
        w: &mut Walk,
        c: &Call,
        method: &str,
        recv: Option<&str>,
    ) -> bool {
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
                // The schema's constraints hold before the handler runs (the SDK validates
                // the arguments against it).
                let props: Vec<(String, Guards)> = c.args[1..c.args.len() - 1]
                    .iter()
                    .flat_map(|a| schema_properties(&a.value, 0))
                    .collect();
                if let Some(id) = handler {
                    let src = self.source(
                        OriginKind::ToolArgument,
                        Some(name.clone()),
                        format!("arguments of tool `{name}`"),
                    );
                    self.walk_handler(w, id, vec![arguments_with_schema(src, &props)], Some(name));
                } else if let Some(last) = c.args.last() {
                    let v = self.eval(w, &last.value);
                    if let Some(f) = v.func {
                        let src = self.source(
                            OriginKind::ToolArgument,
                            Some(name.clone()),
                            format!("arguments of tool `{name}`"),
                        );
                        self.call_handler_summary(
                            w,
                            f,
                            vec![arguments_with_schema(src, &props)],
                            Some(name),
                        );
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
    pub(super) fn python_tool(
        &mut self,
        w: &mut Walk,
        f: FuncRef,
        name: &str,
        description: Option<String>,
    ) {
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
                    let mut v = tainted(self.source(
                        OriginKind::ToolArgument,
                        Some(name.to_string()),
                        format!("argument `{}` of tool `{name}`", p.name),
                    ));
                    // `Literal[…]`, `Field(pattern=…)`: checked by the SDK before the call.
                    let g = p
                        .annotation
                        .as_deref()
                        .map(annotation_guards)
                        .unwrap_or(Guards::NONE);
                    if g != Guards::NONE {
                        v.taint.add_guards(g);
                        v.checked = g;
                    }
                    v
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

    /// Handlers given to the Python SDK's low-level server as keywords (`Server("x",
    /// on_call_tool=call_tool)`): the handler's parameters after the request context are the
    /// request's (`params.arguments`, `params.uri`).
    pub(super) fn keyword_handlers(&mut self, w: &mut Walk, c: &Call) {
        for a in &c.args {
            let (kind, what) = match a.name.as_deref() {
                Some("on_call_tool") => (
                    OriginKind::ToolArgument,
                    "arguments of the tool call".to_string(),
                ),
                Some("on_read_resource") => (
                    OriginKind::ResourceUri,
                    "URI of a resource read".to_string(),
                ),
                Some("on_get_prompt") => (
                    OriginKind::PromptArgument,
                    "arguments of a prompt request".to_string(),
                ),
                _ => continue,
            };
            let Some(f) = self.eval(w, &a.value).func else {
                continue;
            };
            let Some(func) = self.modules[f.0].module.functions.get(f.1) else {
                continue;
            };
            let tool = (kind == OriginKind::ToolArgument).then(String::new);
            let src = self.source(kind, None, what);
            let params: Vec<Value> = func
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let context = i == 0
                        && (p.name.contains("ctx")
                            || p.name.contains("context")
                            || p.annotation
                                .as_deref()
                                .is_some_and(|t| t.contains("Context")));
                    if context {
                        Value::default()
                    } else {
                        tainted(src)
                    }
                })
                .collect();
            if f.0 == w.module {
                self.walk_handler(w, f.1, params, tool);
            } else {
                self.call_handler_summary(w, f, params, tool);
            }
        }
    }

    /// Python handlers registered by decorators: `@mcp.tool()`, `@server.call_tool()`,
    /// `@server.read_resource()`, `@mcp.resource("x://{id}")`, `@mcp.prompt()`, and HTTP routes
    /// (`@app.get("/x")`).
    pub(super) fn decorated_handler(&mut self, w: &mut Walk, id: FuncId) {
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

    pub(super) fn walk_handler(
        &mut self,
        w: &mut Walk,
        id: FuncId,
        params: Vec<Value>,
        tool: Option<String>,
    ) {
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

    pub(super) fn call_handler_summary(
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
            if let Some(arg) = super::calls::argument_for(&params, ev.param, ev.field.as_deref()) {
                self.emit(w, &ev.site, &arg, ev.guards);
            }
        }
        w.tool = saved;
    }

    pub(super) fn note_tool(
        &mut self,
        w: &Walk,
        name: &str,
        description: Option<String>,
        loc: Loc,
    ) {
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
    pub(super) fn note_meta(
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
    pub(super) fn note_schema_texts(&mut self, name: &str, texts: Vec<String>) {
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
    pub(super) fn note_tool_object(
        &mut self,
        w: &Walk,
        fields: &BTreeMap<String, Value>,
        loc: Loc,
    ) {
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

    pub(super) fn note_python_tool(&mut self, w: &Walk, c: &Call) {
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

    pub(super) fn check_exposure(
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

    pub(super) fn exposure(&mut self, module: usize, kind: ExposureKind, loc: Loc, detail: String) {
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
    pub(super) fn library_mode(&self) -> bool {
        self.tools.is_empty() && !self.sources.iter().any(|s| s.kind.is_input())
    }

    /// In a library, what its users pass to a class's constructor (`new PDFImage(file,
    /// options)`, `Client(base_url)`) is input, kept in fields and used by every method: the
    /// constructor is walked with its parameters as input from an unknown caller, then each
    /// method, which reads those fields.
    pub(super) fn walk_library_classes(&mut self) {
        for m in 0..self.modules.len() {
            if self.modules[m].minified {
                continue;
            }
            let mut classes: Vec<String> = self.prototype_classes[m].iter().cloned().collect();
            classes.extend(
                self.modules[m]
                    .module
                    .classes
                    .iter()
                    .map(|c| c.name.clone()),
            );
            classes.sort();
            classes.dedup();
            self.steps = 0;
            self.max_steps = self.modules[m].budget;
            let constructions = self.constructed_with_modules(m);
            for class in classes {
                if self.steps > self.max_steps {
                    break;
                }
                let Some((cm, ctor)) = self.constructor(m, &class) else {
                    continue;
                };
                let Some(params) = self
                    .modules
                    .get(cm)
                    .and_then(|md| md.module.functions.get(ctor))
                    .map(|f| f.params.clone())
                else {
                    continue;
                };
                if cm != m || params.iter().all(|p| p.name == "self") {
                    continue;
                }
                let display = display_name(&class);
                let modules = constructions.get(&class).cloned().unwrap_or_default();
                let args: Vec<Value> = params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        if p.name == "self" {
                            Value::qual(format!("@inst:{m}:{class}"))
                        } else if let Some(Some(module)) = modules.get(i) {
                            // The package builds it with a module it loads (`new Stat(cp)`
                            // after `cp = require("child_process")`): the field is that
                            // module, not input.
                            Value::qual(module.clone())
                        } else {
                            tainted(self.source(
                                OriginKind::UnknownCaller,
                                None,
                                format!(
                                    "parameter `{}` of `{display}` (no caller in the package)",
                                    p.name
                                ),
                            ))
                        }
                    })
                    .collect();
                let mut w = Walk::new(m, 0);
                self.walk_handler(&mut w, ctor, args, None);
                let prefixes = [format!("{class}.prototype."), format!("{class}.")];
                let methods: Vec<FuncId> = self.modules[m]
                    .module
                    .functions
                    .iter()
                    .enumerate()
                    .filter(|(id, f)| {
                        *id != ctor && prefixes.iter().any(|p| f.name.starts_with(p.as_str()))
                    })
                    .map(|(id, _)| id)
                    .collect();
                for id in methods {
                    if self.steps > self.max_steps {
                        break;
                    }
                    let receiver = Value::qual(format!("@inst:{m}:{class}"));
                    let python = self.modules[m].lang == Lang::Python;
                    // A public method's parameters are its users' values too (`_private`
                    // ones are reached through the methods that call them).
                    let (name, params) = {
                        let f = &self.modules[m].module.functions[id];
                        (f.name.clone(), f.params.clone())
                    };
                    let short = name.rsplit('.').next().unwrap_or(&name).to_string();
                    let mut args = if python { vec![receiver] } else { vec![] };
                    if !short.starts_with('_') {
                        for p in params.iter().skip(usize::from(python)) {
                            args.push(tainted(self.source(
                                OriginKind::UnknownCaller,
                                None,
                                format!(
                                    "parameter `{}` of `{}` (no caller in the package)",
                                    p.name,
                                    display_name(&name)
                                ),
                            )));
                        }
                    }
                    let mut w = Walk::new(m, 0);
                    self.walk_handler(&mut w, id, args, None);
                }
            }
        }
    }

    /// For each class a module constructs (`new Stat(…)`), by argument position, the module
    /// every construction passes there, when that is a module the package loads:
    /// `require("x")` given in place, or a name the same function assigns it
    /// (`if (!cp) cp = require("x")`). `None` where a site passes anything else or the sites
    /// disagree. One pass over the module's functions.
    fn constructed_with_modules(&self, m: usize) -> HashMap<String, Vec<Option<String>>> {
        let mut out: HashMap<String, Vec<Option<Option<String>>>> = HashMap::new();
        for f in &self.modules[m].module.functions {
            let mut loaded: BTreeMap<&str, &str> = BTreeMap::new();
            crate::ir::for_each_stmt(&f.body, &mut |s| {
                if let Stmt::Let {
                    name,
                    value:
                        Expr::Import {
                            module, name: None, ..
                        },
                    ..
                } = s
                {
                    loaded.insert(name.as_str(), module.as_str());
                }
            });
            crate::ir::for_each_expr(&f.body, &mut |e| {
                let Expr::Call(c) = e else { return };
                let (true, Expr::Name(class, _)) = (c.new, &c.callee) else {
                    return;
                };
                let slots = out.entry(class.clone()).or_default();
                if slots.len() < c.args.len() {
                    // A position an earlier site left out was given nothing there.
                    let seen_before = !slots.is_empty();
                    slots.resize(c.args.len(), seen_before.then_some(None));
                }
                for (i, slot) in slots.iter_mut().enumerate() {
                    let module = match c.args.get(i).map(|a| &a.value) {
                        Some(Expr::Import {
                            module, name: None, ..
                        }) => Some(module.to_string()),
                        Some(Expr::Name(name, _)) => {
                            loaded.get(name.as_str()).map(|m| m.to_string())
                        }
                        _ => None,
                    };
                    *slot = match slot.take() {
                        None => Some(module),
                        Some(prev) if prev == module => Some(prev),
                        Some(_) => Some(None),
                    };
                }
            });
        }
        out.into_iter()
            .map(|(class, slots)| (class, slots.into_iter().map(Option::flatten).collect()))
            .collect()
    }

    pub(super) fn report_uncalled_entry_points(&mut self, library: bool) {
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
                            | SinkKind::ArchiveExtract
                            | SinkKind::NoSqlFilter
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
}

pub(super) const HOST_CHECK_MARKERS: &[&str] = &[
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

/// The Node HTTP handler signature: a request, a response and optionally `next`, by the names
/// the ecosystem gives them.
pub(super) fn http_handler_signature(params: &[crate::ir::Param]) -> bool {
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    match names.as_slice() {
        [req, res] | [req, res, "next"] => {
            matches!(*req, "req" | "request") && matches!(*res, "res" | "resp" | "response")
        }
        _ => false,
    }
}

/// `ReadFileTool` → `read_file_tool`.
pub(super) fn snake_case(name: &str) -> String {
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
pub(super) fn is_configuration_bundle(s: &SourceInfo) -> bool {
    is_whole_environment(s)
        || (s.kind == OriginKind::LocalSecret && s.what.starts_with("an environment file"))
}

/// The source standing for the whole environment (`os.environ`, `process.env` as one value).
pub(super) fn is_whole_environment(s: &SourceInfo) -> bool {
    s.kind == OriginKind::LocalSecret && s.what == "the whole environment"
}

/// `description="…"` / `title="…"` texts in the source text of a Python annotation
/// (`Annotated[str, Field(description="City name")]`).
pub(super) fn annotation_descriptions(annotation: &str) -> Vec<String> {
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
pub(super) fn string_literals(e: &Expr, out: &mut Vec<String>, depth: u32) {
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
pub(super) fn value_texts(v: &Value, out: &mut Vec<String>, depth: u32) {
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

/// `if (name === "x")` / `case "x"` inside a dispatcher: the tool being handled.
pub(super) fn tool_case(cond: &Expr) -> Option<String> {
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

pub(super) fn object_field_str(e: &Expr, field: &str) -> Option<String> {
    if let Expr::Object(fields, _) = e {
        return fields
            .iter()
            .find(|(k, _)| k.as_deref() == Some(field))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string);
    }
    None
}

/// What a tool's input schema lets through for one property, as guards the SDK applies
/// before the handler runs: a fixed set of values (`z.enum`, `z.literal`, `Literal[…]`, a JSON
/// schema `enum`), a number or boolean, or text a whole-string pattern restricts (`.regex(/^…$/)`,
/// `Field(pattern=r"^…$")`, `"pattern": "^…$"`).
pub(super) fn schema_guards(e: &Expr) -> Guards {
    schema_guards_at(e, 0)
}

fn schema_guards_at(e: &Expr, depth: u32) -> Guards {
    let mut g = Guards::NONE;
    let mut cur = e;
    // Walk the chain of calls: `z.string().min(1).regex(/…/).describe("…")`.
    for _ in 0..16 {
        let Expr::Call(c) = cur else { break };
        let Expr::Member(recv, method, _) = &c.callee else {
            break;
        };
        match method.as_str() {
            // `.or(z.string())`, `z.union(…)`: anything the other side lets through.
            "or" | "union" => return Guards::NONE,
            // `.transform(Number).pipe(z.number().min(0))`: what comes out is what the piped
            // schema accepts, whatever went in.
            "pipe" => {
                return match c.args.first() {
                    Some(a) if depth < 8 => g.union(schema_guards_at(&a.value, depth + 1)),
                    _ => g,
                };
            }
            "transform" | "preprocess" => {
                let numeric = c.args.iter().any(|a| {
                    matches!(&a.value, Expr::Name(n, _)
                        if matches!(n.as_str(), "Number" | "parseInt" | "parseFloat" | "Boolean" | "BigInt"))
                });
                return if numeric { g.union(Guards::NUMERIC) } else { g };
            }
            "enum" | "literal" | "nativeEnum" => g = g.union(Guards::ALLOWLIST),
            "number" | "boolean" | "bigint" | "int" | "nonnegative" | "positive" => {
                g = g.union(Guards::NUMERIC)
            }
            "uuid" | "cuid" | "ulid" => g = g.union(Guards::VALIDATED),
            "regex" => {
                if let Some(Expr::Regex(text, _)) = c.args.first().map(|a| &a.value) {
                    if super::regex_guard::validates(
                        text,
                        true,
                        super::regex_guard::Anchoring::None,
                    ) {
                        g = g.union(Guards::VALIDATED);
                    }
                }
            }
            _ => {}
        }
        cur = recv;
    }
    // A JSON schema property: `{ type: "integer" }`, `{ enum: […] }`, `{ pattern: "^…$" }`.
    if let Expr::Object(fields, _) = e {
        for (k, v) in fields {
            match (k.as_deref(), v) {
                (Some("enum" | "const"), _) => g = g.union(Guards::ALLOWLIST),
                (Some("type"), Expr::Str(t, _))
                    if matches!(t.as_str(), "integer" | "number" | "boolean") =>
                {
                    g = g.union(Guards::NUMERIC)
                }
                (Some("pattern"), Expr::Str(p, _))
                    if super::regex_guard::validates(
                        p,
                        false,
                        super::regex_guard::Anchoring::None,
                    ) =>
                {
                    g = g.union(Guards::VALIDATED)
                }
                _ => {}
            }
        }
    }
    g
}

/// The same for a Python parameter's annotation text: `Literal["a", "b"]`,
/// `Annotated[str, Field(pattern=r"^…$")]`, `constr(pattern=…)`.
pub(super) fn annotation_guards(annotation: &str) -> Guards {
    let a = annotation.trim();
    let mut g = Guards::NONE;
    let bare = a
        .strip_prefix("Optional[")
        .or_else(|| a.strip_prefix("typing.Optional["))
        .unwrap_or(a);
    if bare.starts_with("Literal[") || bare.starts_with("typing.Literal[") {
        g = g.union(Guards::ALLOWLIST);
    }
    for key in ["pattern=", "regex="] {
        if let Some(i) = a.find(key) {
            let rest = a[i + key.len()..].trim_start();
            let rest = rest.trim_start_matches(['r', 'R', 'b']);
            let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(q) {
                let pattern = &rest[1..1 + end];
                if super::regex_guard::validates(
                    pattern,
                    false,
                    super::regex_guard::Anchoring::None,
                ) {
                    g = g.union(Guards::VALIDATED);
                }
            }
        }
    }
    g
}

/// The input schemas declared with tool names anywhere in the project: keyword calls
/// (`types.Tool(name="x", inputSchema={…})`) and object literals (`{ name: "x",
/// inputSchema: {…} }`); only schemas written out as literals, and only properties whose
/// schema entry constrains them.
pub(super) fn declared_tool_schemas<'m>(
    modules: &'m [ModuleData<'_>],
) -> HashMap<String, Vec<(String, Guards)>> {
    let mut out: HashMap<String, Vec<(String, Guards)>> = HashMap::new();
    for m in modules {
        if m.minified {
            continue;
        }
        // Schemas kept in module constants (`inputSchema=CREATE_SCHEMA`, also through an
        // alias `OTHER_SCHEMA = CREATE_SCHEMA`).
        let constants: HashMap<&'m str, &'m Expr> = m
            .module
            .functions
            .first()
            .map(|top| {
                top.body
                    .iter()
                    .filter_map(|s| match s {
                        Stmt::Let { name, value, .. } => Some((name.as_str(), value)),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        for f in &m.module.functions {
            crate::ir::for_each_expr(&f.body, &mut |e| {
                let (name, schema) = match e {
                    Expr::Call(c) => (
                        c.args
                            .iter()
                            .find(|a| a.name.as_deref() == Some("name"))
                            .and_then(|a| a.value.as_str()),
                        c.args
                            .iter()
                            .find(|a| {
                                matches!(a.name.as_deref(), Some("inputSchema" | "input_schema"))
                            })
                            .map(|a| &a.value),
                    ),
                    Expr::Object(fields, _) => (
                        fields
                            .iter()
                            .find(|(k, _)| k.as_deref() == Some("name"))
                            .and_then(|(_, v)| v.as_str()),
                        fields
                            .iter()
                            .find(|(k, _)| {
                                matches!(k.as_deref(), Some("inputSchema" | "input_schema"))
                            })
                            .map(|(_, v)| v),
                    ),
                    _ => (None, None),
                };
                if let (Some(name), Some(schema @ Expr::Object(..))) =
                    (name, schema.map(|e| resolve_constant(&constants, e)))
                {
                    let props: Vec<(String, Guards)> = schema_properties(schema, 0)
                        .into_iter()
                        .filter(|(_, g)| *g != Guards::NONE)
                        .collect();
                    if !props.is_empty() && out.len() < 512 {
                        out.entry(name.to_string()).or_insert(props);
                    }
                }
            });
        }
    }
    out
}

/// A name bound at module level to another expression, followed a few steps.
fn resolve_constant<'e>(constants: &HashMap<&str, &'e Expr>, mut e: &'e Expr) -> &'e Expr {
    for _ in 0..4 {
        match e {
            Expr::Name(n, _) => match constants.get(n.as_str()) {
                Some(v) => e = v,
                None => break,
            },
            _ => break,
        }
    }
    e
}

impl State<'_, '_> {
    /// Inside a dispatcher's `if name == "x":` branch: the tool's arguments object carries the
    /// guards of tool `x`'s declared schema on its properties.
    pub(super) fn apply_tool_schema(&self, w: &mut Walk, tool: Option<&str>) {
        let Some(props) = tool.and_then(|t| self.tool_schemas.get(t)) else {
            return;
        };
        let Some(frame) = w.frames.last_mut() else {
            return;
        };
        let sources = &self.sources;
        let names: Vec<String> = frame
            .vars
            .iter()
            .filter(|(k, v)| {
                !k.contains('.')
                    && v.fields.is_none()
                    && v.taint.0.len() == 1
                    && v.taint.0.keys().all(|l| {
                        matches!(l, Label::Source(s)
                            if sources[*s as usize].kind == OriginKind::ToolArgument
                                && sources[*s as usize].tool.is_none())
                    })
            })
            .map(|(k, _)| k.to_string())
            .collect();
        for n in names {
            let Some(v) = frame.get(&n) else { continue };
            let Some(Label::Source(src)) = v.taint.0.keys().next().cloned() else {
                continue;
            };
            let mut with = arguments_with_schema(src, props);
            with.taint = v.taint.clone();
            with.checked = v.checked;
            frame.insert(n, with);
        }
    }
}

/// A tool's arguments object given the schema's per-property guards: each property read from
/// it carries the guards its schema entry implies.
pub(super) fn arguments_with_schema(src: u32, props: &[(String, Guards)]) -> Value {
    let mut v = tainted_source(src);
    let fields: BTreeMap<String, Value> = props
        .iter()
        .filter(|(_, g)| *g != Guards::NONE)
        .take(64)
        .map(|(k, g)| {
            let mut f = tainted_source(src);
            f.taint.add_guards(*g);
            f.checked = *g;
            (k.clone(), f)
        })
        .collect();
    if !fields.is_empty() {
        let mut fields = fields;
        // The model may send fields the schema does not list.
        fields.insert(crate::taint::OPEN_FIELDS.into(), tainted_source(src));
        v.fields = Some(std::sync::Arc::new(fields));
    }
    v
}

fn tainted_source(src: u32) -> Value {
    Value {
        taint: Taint::single(Label::Source(src)),
        ..Value::default()
    }
}

/// The properties of a zod shape or JSON schema given to a tool registration: `{ a: z.x() }`,
/// `{ inputSchema: { a: … } }`, `{ inputSchema: { properties: { a: {…} } } }`.
pub(super) fn schema_properties(e: &Expr, depth: u32) -> Vec<(String, Guards)> {
    let Expr::Object(fields, _) = e else {
        return Vec::new();
    };
    if depth > 3 {
        return Vec::new();
    }
    for (k, v) in fields {
        if matches!(
            k.as_deref(),
            Some("inputSchema" | "properties" | "input_schema")
        ) {
            return schema_properties(v, depth + 1);
        }
    }
    fields
        .iter()
        .filter_map(|(k, v)| k.clone().map(|k| (k, schema_guards(v))))
        .collect()
}
