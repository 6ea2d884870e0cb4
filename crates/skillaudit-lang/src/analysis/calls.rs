//! The call graph: calls resolved to the package's functions, methods and imports, and the
//! callee's summary or body applied to the arguments (inlined closures and callbacks).

use super::*;

impl State<'_, '_> {
    /// Whether this call's arguments fix the host of a URL led by a parameter (see
    /// `sinks::decide_host`); an environment variable is the operator's, not input.
    fn decide_host(&self, h: &HostLead, mapped: &[Value]) -> Result<(), Option<HostLead>> {
        let sources = &self.sources;
        sinks::decide_host(h, mapped, &|s: u32| sources[s as usize].kind.is_input())
    }

    /// The truth of a parameter's constant default (`no_lint: bool = False`), if it has one.
    fn default_truth(&self, m: usize, p: &crate::ir::Param) -> Option<bool> {
        let d = p.default.as_ref()?;
        let loc = match d {
            Expr::Lit(l) | Expr::Str(_, l) => l,
            _ => return None,
        };
        guards::constant_truth(self.slice(m, *loc), d)
    }

    /// Every named function, callees before their callers (post-order over the calls seen;
    /// cycles are cut where they are entered).
    pub(super) fn callee_first_order(&self) -> Vec<FuncRef> {
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

    /// A function an enclosing scope of the walked function declares under `name`.
    pub(super) fn enclosing_declaration(&self, w: &Walk, name: &str) -> Option<Value> {
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

    pub(super) fn import_value(&mut self, from: usize, module: &str, name: Option<&str>) -> Value {
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
    /// value (an instance made at import time, a constant).
    pub(super) fn imported_other(
        &self,
        from: usize,
        module: &str,
        target: usize,
        n: &str,
    ) -> Value {
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
        if let Some(v) = self.module_value(target, n) {
            return v;
        }
        self.class_value(target, n).unwrap_or_default()
    }

    /// A value module `target` binds at its top level under `n`: what its walk bound (an
    /// API object, a function, a constant: `from .config import API_BASE` is that text) or,
    /// for a module not walked yet (modules are walked in path order), its top-level text
    /// constant or library-made object read from its statements.
    pub(super) fn module_value(&self, target: usize, n: &str) -> Option<Value> {
        if let Some(v) = self.module_env[target].get(n) {
            if v.qual.is_some() || v.func.is_some() || v.konst.is_some() {
                return Some(v.clone());
            }
            return None;
        }
        let text = self.modules[target]
            .module
            .functions
            .first()
            .and_then(|top| {
                top.body.iter().rev().find_map(|st| match st {
                    Stmt::Let { name, value, .. } if name == n => Some(value.as_str()),
                    _ => None,
                })
            })
            .flatten();
        if let Some(t) = text {
            return Some(Value::konst(t.to_string()));
        }
        // Or an object a library made at import time (`export const ArgsSchema =
        // z.object({…})`): that library's object, whose methods are the library's.
        self.library_made_constant(target, n).map(Value::qual)
    }

    /// `NAME = lib.make(…)…` at the top of a module, where `lib` is imported from another
    /// package: the API it names (`zod.z.object()`), read from the statements.
    fn library_made_constant(&self, target: usize, n: &str) -> Option<String> {
        let top = self.modules[target].module.functions.first()?;
        let value = top.body.iter().rev().find_map(|st| match st {
            Stmt::Let { name, value, .. } if name == n => Some(value),
            _ => None,
        })?;
        // Down the chain of calls and members to the name it starts from.
        let mut e = value;
        let mut called = false;
        for _ in 0..32 {
            match e {
                Expr::Call(c) => {
                    called = true;
                    e = &c.callee;
                }
                Expr::Member(obj, _, _) => e = obj,
                _ => break,
            }
        }
        let (Expr::Name(root, _), true) = (e, called) else {
            return None;
        };
        let (module, imported) = top.body.iter().find_map(|st| match st {
            Stmt::Let {
                name,
                value:
                    Expr::Import {
                        module,
                        name: imported,
                        ..
                    },
                ..
            } if name == root => Some((module, imported)),
            _ => None,
        })?;
        if module.starts_with('.') || module.starts_with('/') {
            return None;
        }
        let callee = match value {
            Expr::Call(c) => c.callee.dotted().unwrap_or_else(|| root.clone()),
            _ => root.clone(),
        };
        let rest = callee.split_once('.').map(|(_, r)| r).unwrap_or("");
        let base = match imported.as_deref() {
            Some("default") | None => module.to_string(),
            Some(i) => format!("{module}.{i}"),
        };
        Some(if rest.is_empty() {
            format!("{base}()")
        } else {
            format!("{base}.{rest}()")
        })
    }

    pub(super) fn resolve_module(&self, from: usize, spec: &str) -> Option<usize> {
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

    pub(super) fn resolve_python_absolute(&self, module: &str) -> Option<usize> {
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
    pub(super) fn resolve_export(&self, module: usize, name: &str, depth: u32) -> Option<FuncRef> {
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

    /// A replacement of every character outside a safe class (see
    /// `regex_guard::strips_to_safe_name`), with a replacement text holding no separator or dot.
    fn strips_to_safe_name(
        &self,
        c: &Call,
        method: Option<&str>,
        qual: &str,
        args: &[Value],
    ) -> Option<Guards> {
        let (pattern, replacement, literal, global) = match method {
            Some(m @ ("replace" | "replaceAll")) if c.args.len() == 2 => {
                (&c.args[0].value, args.get(1), true, m == "replaceAll")
            }
            _ if qual == "re.sub" && c.args.len() >= 3 => {
                (&c.args[0].value, args.get(1), false, true)
            }
            _ => return None,
        };
        let text = match pattern {
            Expr::Regex(t, _) => t.as_str(),
            Expr::Str(t, _) if !literal => t.as_str(),
            _ => return None,
        };
        let safe_replacement = replacement
            .and_then(|r| r.konst.as_deref())
            .is_some_and(|r| !r.contains(['/', '\\', '.']));
        // What is kept may start with `-` when the kept class holds it (`[^a-z0-9_-]`).
        (safe_replacement && super::regex_guard::strips_to_safe_name(text, literal, global)).then(
            || {
                if super::regex_guard::kept_class_has_dash(text, literal) {
                    Guards::VALIDATED_TEXT
                } else {
                    Guards::VALIDATED
                }
            },
        )
    }

    /// The first argument is the target of an incoming HTTP request (`req.url`,
    /// `request.originalUrl`, `str(request.url)`).
    fn is_request_target(&self, w: &Walk, args: &[Value], c: &Call) -> bool {
        let Some(first) = c.args.first() else {
            return false;
        };
        let mut e = &first.value;
        // `String(req.url)`, `str(request.url)`.
        if let Expr::Call(inner) = e {
            if inner.args.len() == 1
                && matches!(&inner.callee, Expr::Name(n, _) if n == "String" || n == "str")
            {
                e = &inner.args[0].value;
            }
        }
        // `req.url` itself (not `req.body.url`, a field of what was sent), or the same member
        // of a parameter (`exchangeCode(req)`): a URL given whole is still checked where it is
        // requested (SSRF-001), so nothing is lost for a parameter that is not a request.
        // Also with a default (`req.url ?? "/"`, `req.url || ""`, and the downlevelled
        // `(_a = req.url) !== null && _a !== void 0 ? _a : ''`): every part is the request's
        // target, a constant or a temporary holding it.
        let is_target = |e: &Expr| {
            matches!(e, Expr::Member(obj, p, _)
                if matches!(p.as_str(), "url" | "originalUrl") && matches!(**obj, Expr::Name(..)))
        };
        let mut target = false;
        let mut other = false;
        let mut stack: Vec<(&Expr, u8)> = vec![(e, 0)];
        while let Some((x, depth)) = stack.pop() {
            if is_target(x) {
                target = true;
                continue;
            }
            match x {
                Expr::Cond(test, a, b, _) if depth < 4 => {
                    // (`(_a = req.url) !== null && … ? _a : ''`: the test reads the target.)
                    let mut tests: Vec<&Expr> = vec![test];
                    while let Some(t) = tests.pop() {
                        match t {
                            Expr::And(xs, _) => tests.extend(xs.iter()),
                            Expr::Compare { left, right, .. } => {
                                target |= is_target(left) || is_target(right)
                            }
                            _ => {}
                        }
                    }
                    stack.push((a, depth + 1));
                    stack.push((b, depth + 1));
                }
                Expr::Or(xs, _) | Expr::Unknown(xs, _) if depth < 4 => {
                    stack.extend(xs.iter().map(|x| (x, depth + 1)));
                }
                // A temporary holding the target (`_a = req.url`).
                Expr::Name(n, _) if depth > 0 => {
                    target |= self.lookup(w, n).is_some_and(|v| {
                        v.derived
                            .iter()
                            .any(|d| d.ends_with(".url") || d.ends_with(".originalUrl"))
                    })
                }
                Expr::Str(..) | Expr::Lit(_) if depth > 0 => {}
                _ => other = true,
            }
        }
        let target = target && !other;
        target
            && args.first().is_some_and(|v| {
                v.taint.0.keys().any(|l| match l {
                    Label::Source(s) => self.sources[*s as usize].kind == OriginKind::HttpRequest,
                    Label::Param(..) => true,
                })
            })
    }

    pub(super) fn call(&mut self, w: &mut Walk, c: &Call) -> Value {
        // `yield v`: part of what the generator's result gives when iterated; the walk goes on.
        if matches!(&c.callee, Expr::Name(n, _) if n == crate::ir::YIELD) {
            let v = match c.args.first() {
                Some(a) => self.eval(w, &a.value),
                None => Value::default(),
            };
            w.returned = Some(match &w.returned {
                Some(r) => r.join(&v),
                None => v,
            });
            return Value::default();
        }
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
        // `threading.Thread(target=f, args=(a,))`, `multiprocessing.Process(…)`,
        // `threading.Timer(5, f, args=…)`: `f(a)` runs (on another thread, later; the same
        // code either way), with the arguments it is given.
        if let Some(inner) = deferred_target_call(&qual, c) {
            if w.depth < MAX_DEFERRED_DEPTH {
                w.depth += 1;
                let _ = self.call(w, &inner);
                w.depth -= 1;
            }
        }
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
        // `f.bind(self, a, b)`: the same function, with `a` and `b` passed before what each
        // later call gives.
        if method == Some("bind") {
            if let Some(r) = &receiver {
                let mut f = r.clone();
                if f.func.is_some() && c.args.len() > 1 {
                    let mut fixed: Vec<Value> = f.bound.as_deref().cloned().unwrap_or_default();
                    fixed.extend(c.args.iter().skip(1).map(|a| self.eval(w, &a.value)));
                    f.bound = Some(std::sync::Arc::new(fixed));
                }
                return f;
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
            let mut inst = Value::qual(format!("@inst:{cm}:{cname}"));
            let args: Vec<Value> = c.args.iter().map(|a| self.eval(w, &a.value)).collect();
            if let Some(init) = self.constructor(cm, &cname) {
                self.called.insert(init);
                self.apply_call(w, init, c, &args, Some(&inst));
            } else {
                // No constructor of its own (a dataclass, a pydantic model, a record): its
                // fields are the arguments — by name when named (`Config(url=…, token=…)`:
                // `config.url` is the URL only), the whole instance otherwise
                // (`cls(**query_params).error`).
                let mut fields = BTreeMap::new();
                let mut unnamed = Vec::new();
                for (a, v) in c.args.iter().zip(args.iter()) {
                    match &a.name {
                        Some(n) if fields.len() < 64 => {
                            fields.insert(n.clone(), v.clone());
                        }
                        _ => unnamed.push(v),
                    }
                }
                inst.taint = Value::derived_from(unnamed).taint;
                if !fields.is_empty() {
                    inst.fields = Some(std::sync::Arc::new(fields));
                }
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

        // The Python SDK's low-level server given its handlers as keywords:
        // `Server("name", on_call_tool=call_tool, on_read_resource=…)`.
        if self.modules[w.module].lang == Lang::Python {
            self.keyword_handlers(w, c);
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
        let mut promised: Option<Value> = None;
        for a in &c.args {
            // `new Promise((resolve, reject) => …)`: the executor runs at once with the
            // promise's own settling functions, and what it hands to `resolve` is the
            // promise's value (`.then(cb)` gives it to `cb`).
            if qual == "Promise" && args.is_empty() {
                let Some(id) = self.function_argument(w, &a.value, &mut args) else {
                    continue;
                };
                let settlers = vec![
                    Value::qual("Promise.resolve"),
                    Value::qual("Promise.reject"),
                ];
                // An executor written in place runs as part of this code, not a call level
                // of its own (up to a few promises nested in each other's text).
                let in_place =
                    matches!(a.value, Expr::Func(..)) && self.settled.len() < MAX_PROMISE_NESTING;
                let depth = w.depth;
                if in_place {
                    w.depth = w.depth.saturating_sub(1);
                }
                self.settled.push(None);
                self.walk_inline(w, id, settlers);
                promised = self.settled.pop().flatten();
                w.depth = depth;
                args.push(Value {
                    func: Some((w.module, id)),
                    ..Value::default()
                });
                continue;
            }
            // `req.on("data", (chunk) => body += chunk)`, `rl.on("line", …)`: a listener on
            // an emitter that carries input gets its data, and runs here, in this scope, so
            // what it gathers (`body`) is there for the listener of `end` registered after it.
            let listener = matches!(
                method,
                Some("on" | "once" | "addListener" | "prependListener")
            ) && !std::ptr::eq(a, &c.args[0])
                && matches!(a.value, Expr::Func(..))
                && receiver.as_ref().is_some_and(|r| !r.taint.0.is_empty());
            if listener {
                let Some(id) = self.function_argument(w, &a.value, &mut args) else {
                    continue;
                };
                let event = c.args[0].value.as_str().unwrap_or_default();
                let data = match (event, &receiver) {
                    ("data" | "line" | "message" | "chunk" | "field" | "file", Some(r)) => Value {
                        taint: r.taint.clone(),
                        derived: r.derived.clone(),
                        checked: r.checked,
                        ..Value::default()
                    },
                    _ => Value::default(),
                };
                self.walk_inline(w, id, vec![data.clone(), data]);
                args.push(Value {
                    func: Some((w.module, id)),
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
            if let Some(m) = method.filter(|m| ITERATION_METHODS.contains(m) || collection_first) {
                let Some(id) = self.function_argument(w, &a.value, &mut args) else {
                    continue;
                };
                let recv = if collection_first {
                    args.first().cloned().unwrap_or_default()
                } else {
                    receiver.clone().unwrap_or_default()
                };
                let mut elem = match &recv.elems {
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
                if matches!(m, "then" | "catch" | "finally") {
                    // A promise's value or error is a result, not the credentials its call
                    // was given.
                    let sources = &self.sources;
                    elem.taint.0.retain(|l, _| !matches!(l, Label::Source(s) if sources[*s as usize].kind == OriginKind::Environment));
                }
                let params = if m == "reduce" {
                    vec![Value::default(), elem]
                } else {
                    vec![elem]
                };
                let (ret, facts) = self.walk_inline(w, id, params);
                // `.some(cb)` / `.find(cb)` are true where the callback was.
                callback_facts.yes.extend(facts.yes);
                callback_ret = Some(ret);
                args.push(Value {
                    func: Some((w.module, id)),
                    ..Value::default()
                });
                continue;
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
        // A document-database query: its filter is a NoSQL sink; a `$where` clause in it is
        // JavaScript the database runs.
        if let Some(i) = method
            .and_then(catalog::document_db_filter_arg)
            .filter(|_| catalog::is_document_db_handle(&qual))
        {
            let filter = c
                .args
                .iter()
                .position(|a| a.name.as_deref() == Some("filter"))
                .or_else(|| (i < c.args.len()).then_some(i))
                .and_then(|k| args.get(k))
                .cloned();
            if let Some(f) = filter {
                let api = method.unwrap_or_default().to_string();
                self.sink(w, SinkKind::NoSqlFilter, &f, c.loc, &api, None);
                if let Some(code) = f.fields.as_ref().and_then(|fs| fs.get("$where")).cloned() {
                    self.sink(w, SinkKind::Eval, &code, c.loc, "$where", None);
                }
            }
        }
        // Zip slip: a tar archive extracted whole with no member filter writes each entry
        // where its name says (`../../.bashrc`, `/etc/cron.d/x`); `shutil.unpack_archive` does
        // the same for tar formats. `filter="data"` or a `members=` selection is the package
        // looking at the names first.
        if lang == Lang::Python {
            let tar_extract = method == Some("extractall")
                && receiver
                    .as_ref()
                    .and_then(|r| r.qual.as_deref())
                    .is_some_and(|q| q.starts_with("tarfile."));
            let unpack = qual == "shutil.unpack_archive";
            let filtered = c.args.iter().zip(args.iter()).any(|(a, v)| match a.name.as_deref() {
                Some("members") => true,
                Some("filter") => v.konst.as_deref() != Some("fully_trusted")
                    && !matches!(&a.value, Expr::Member(_, m, _) if m == "fully_trusted_filter"),
                _ => false,
            });
            if (tar_extract || unpack) && !filtered {
                let archive = if unpack {
                    args.first().cloned()
                } else {
                    receiver.clone()
                };
                if let Some(v) = archive.filter(|v| v.is_tainted()) {
                    let api = if unpack {
                        "shutil.unpack_archive"
                    } else {
                        "tarfile.extractall"
                    };
                    self.sink(w, SinkKind::ArchiveExtract, &v, c.loc, api, None);
                }
            }
        }
        if qual == "URL" && args.len() < 2 {
            spec = None; // new URL(x) parses; only a base makes it a join
        }
        // `new URL(req.url, "http://localhost")`: an incoming request's own target parsed to
        // read its path and query, not an address this server will request.
        if qual == "URL" && self.is_request_target(w, &args, c) {
            spec = None;
        }
        // A method the package itself defines (`session.execute(cmd)` on an instance of its own
        // `LocalProtocolSession`) is walked as code: its sinks are found inside it, and a name
        // that looks like a database's is no sink of its own.
        if callee.func.is_some() && method.is_some() {
            spec = None;
        }
        let spec_kind = spec.as_ref().map(|s| s.kind);
        if let Some(spec) = spec {
            self.apply_sink(w, c, &spec, &args, receiver.as_ref(), &qual);
        }
        self.behaviour_call(w, c, &qual, method, &args, receiver.as_ref(), spec_kind);
        if let Some(v) = self.folded_lookup(w, &qual, &args) {
            return v;
        }
        if let Some(v) = self.schema_parse(w, c, method, &args) {
            return v;
        }
        // `TABLE.get(key, default)` on a table whose entries are known and carry no input:
        // one of its entries (or the default), whatever the key chooses.
        if method == Some("get") && c.args.len() <= 2 {
            if let Some(entries) = receiver.as_ref().and_then(known_table) {
                let mut out = entries;
                if let Some(d) = args.get(1) {
                    out = out.join(d);
                }
                return out;
            }
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
                    && !(reach::builtin_value(r) && reach::is_builtin_method(m))
                    && !reach::is_text_method(m) =>
            {
                if self.resolve_method(w, &c.callee).is_some() {
                    Vec::new()
                } else {
                    self.methods_named
                        .get(m)
                        .or_else(|| self.fields_named.get(m))
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
            match callee
                .bound
                .as_deref()
                .filter(|_| callee.func == Some(fref))
            {
                Some(fixed) => {
                    let (bc, bargs) = with_bound(c, fixed, &args);
                    self.apply_call(w, fref, &bc, &bargs, receiver.as_ref())
                }
                None => self.apply_call(w, fref, c, &args, receiver.as_ref()),
            }
        } else if !by_name_fallback.is_empty() {
            let mut joined: Option<Value> = None;
            for fref in by_name_fallback {
                // A function stored in a field and guessed by its name keeps its own walk as
                // an entry: the guess is not proof that the package calls it.
                if !self.is_field_stored(fref) {
                    self.called.insert(fref);
                }
                self.guessing += 1;
                let r = self.apply_call(w, fref, c, &args, receiver.as_ref());
                self.guessing -= 1;
                joined = Some(match joined {
                    Some(j) => j.join(&r),
                    None => r,
                });
            }
            joined.unwrap_or_default()
        } else if let Some(v) = field_get(method, &args, receiver.as_ref()) {
            v
        } else {
            // `s.replace(old, new)`: the text searched for is not part of the result; nor is
            // the key of a lookup in the package's own table (`cache.get(uri)` on a `Map` the
            // server filled): what comes back is what the server stored, chosen by the key.
            let skip = usize::from(
                (receiver.is_some()
                    && args.len() >= 2
                    && matches!(method, Some("replace" | "replaceAll")))
                    || (matches!(method, Some("get" | "has"))
                        && receiver.as_ref().is_some_and(is_keyed_store)),
            );
            // `items.map(i => …)`: the result is what the callback returns for each element,
            // not the elements (an escaped field of each item is escaped).
            let mapped = matches!(method, Some("map" | "flatMap"))
                && receiver.is_some()
                && callback_ret.is_some();
            // What a process prints is made from the command and its arguments, not from the
            // options it runs with (`env={**os.environ}`, `{ cwd, env: process.env }`).
            let process = matches!(
                spec_kind,
                Some(SinkKind::Shell | SinkKind::Program | SinkKind::Argv)
            );
            let mut parts: Vec<&Value> = if mapped {
                Vec::new()
            } else {
                args.iter()
                    .zip(&c.args)
                    .enumerate()
                    .skip(skip)
                    .filter(|(i, (_, a))| {
                        !process
                            || (a.name.is_none() && *i < 2 && !matches!(a.value, Expr::Object(..)))
                    })
                    .map(|(_, (v, _))| v)
                    .collect()
            };
            if let (Some(r), false) = (&receiver, mapped) {
                parts.push(r);
            }
            let mut v = Value::derived_from(parts);
            // `os.path.join(ROOT, name)`, `path.resolve(base, p)`, `Path(root, name)`: the
            // input is placed under a root, not the whole path.
            if catalog::is_path_join(&qual, method) {
                let first_input = args.iter().position(|a| !a.taint.is_empty());
                v.composed = first_input.is_some_and(|i| i > 0)
                    || receiver
                        .as_ref()
                        .is_some_and(|r| r.taint.is_empty() && method == Some("joinpath"));
                v.rooted = v.composed
                    || args.first().is_some_and(|a| a.rooted)
                    || receiver.as_ref().is_some_and(|r| r.rooted);
                // A path joined from pieces (`path.join(dir, ".git", "hooks")`) names a
                // place as its template does (`{}/.git/hooks`), unless a piece already says.
                let named = args.iter().any(|p| {
                    p.taint.0.keys().any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind.is_behaviour()))
                });
                if v.konst.is_none() && !named && args.len() > 1 && args.len() <= 16 {
                    let mut pieces = Vec::with_capacity(args.len() * 2);
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            pieces.push(Value::konst("/".to_string()));
                        }
                        pieces.push(a.clone());
                    }
                    if let Some(t) = behaviour_flows::template_text(&pieces) {
                        let labels = self.place_taint(&t);
                        v.taint.join(&labels);
                    }
                }
            }
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
            // SQLAlchemy's expression language (`select(…).where(col.like(f"{x}%"))`,
            // `update(T).values(…)`): values become bound parameters, never SQL text. Only
            // `text(…)` and `literal_column(…)` take SQL text.
            if catalog::is_sql_builder(&qual)
                || receiver
                    .as_ref()
                    .and_then(|r| r.qual.as_deref())
                    .is_some_and(catalog::is_sql_builder)
            {
                v.taint.add_guards(Guards::SQL_ESCAPED);
                v.checked = v.checked.union(Guards::SQL_ESCAPED);
            }
            // `name.replace(/[^a-z0-9_-]/gi, "_")`, `re.sub(r"[^\w-]", "", name)`: only safe
            // characters are left.
            if let Some(g) = self.strips_to_safe_name(c, method, &qual, &args) {
                v.taint.add_guards(g);
                v.checked = v.checked.union(g);
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
            if let Some(src) = url_passthrough(&qual, method, &args, receiver.as_ref()) {
                v.lead_param = src.lead_param;
                v.lead_field = src.lead_field.clone();
                v.then_lead = src.then_lead.clone();
            }
            // `options.url.replace("{id}", …)`: a replacement that cannot match the text's
            // first character (`/`) keeps what the text starts with.
            if let (Some(r), Some(Some(first)), Some("replace" | "replaceAll")) = (
                receiver.as_ref(),
                c.args.first().map(|a| match &a.value {
                    Expr::Str(t, _) | Expr::Regex(t, _) => t.chars().next(),
                    _ => None,
                }),
                method,
            ) {
                if r.lead_param.is_some()
                    && (first.is_ascii_alphanumeric() || matches!(first, '{' | '_' | '-' | ':'))
                {
                    v.lead_param = r.lead_param;
                    v.lead_field = r.lead_field.clone();
                    v.then_lead = r.then_lead.clone();
                }
            }
            v
        };
        // A value converted to a string or a number is no longer a document.
        if matches!(
            qual.as_str(),
            "String"
                | "Number"
                | "parseInt"
                | "parseFloat"
                | "Boolean"
                | "BigInt"
                | "str"
                | "int"
                | "float"
                | "bool"
                | "encodeURIComponent"
        ) || matches!(
            method,
            Some("toString" | "trim" | "toLowerCase" | "toUpperCase")
        ) {
            self.drop_parsed_input(&mut result);
        }
        // A JSON document parsed from input: objects and operators where text was expected.
        if matches!(
            qual.as_str(),
            "json.loads" | "JSON.parse" | "orjson.loads" | "ujson.loads" | "simplejson.loads"
        ) {
            let from = args.first().and_then(|a| {
                a.taint.0.keys().find_map(|l| match l {
                    Label::Source(s) if self.sources[*s as usize].kind.is_input() => {
                        Some(self.sources[*s as usize].clone())
                    }
                    _ => None,
                })
            });
            if let Some(info) = from {
                // (Text taken from an already parsed body is this document, said once.)
                self.drop_parsed_input(&mut result);
                let src = self.source(
                    OriginKind::ParsedInput,
                    info.tool.clone(),
                    format!("a JSON document parsed from {}", info.what),
                );
                result.taint.join(&Taint::single(Label::Source(src)));
            }
        }
        if matches!(
            qual.as_str(),
            "traceback.format_exc" | "traceback.format_exception" | "traceback.format_tb"
        ) {
            result.stack = true;
            let src = self.source(OriginKind::Exception, None, "stack trace".into());
            result.taint.join(&Taint::single(Label::Source(src)));
        }
        // A language model's reply (`client.chat.completions.create(…)`, `generate_content`):
        // the remote model's text, not the prompt it was given — what it says is second order,
        // like a page fetched.
        if is_model_call(&qual) {
            let sources = &self.sources;
            result.taint.0.retain(|l, _| match l {
                Label::Source(s) => {
                    let k = &sources[*s as usize].kind;
                    *k != OriginKind::Environment && !k.is_input()
                }
                Label::Param(..) => false,
            });
            let src = self.source(
                OriginKind::NetworkResponse,
                None,
                "a language model's reply".into(),
            );
            result.taint.join(&Taint::single(Label::Source(src)));
        }
        if let Some(spec) = catalog::sink_for(&qual, recv_dotted.as_deref().or(Some(""))) {
            if spec.kind == SinkKind::Fetch {
                // The response is not the request: credentials sent with it stay behind, also
                // in a helper (`proxyFetch(url, { headers })`) whose callers pass them, and the
                // input that chose the URL is not what comes back (a redirect's `Location`, a
                // page's text are the remote's, second order).
                let sources = &self.sources;
                result.taint.0.retain(|l, _| match l {
                    Label::Source(s) => {
                        let k = &sources[*s as usize].kind;
                        *k != OriginKind::Environment && !k.is_input()
                    }
                    Label::Param(..) => false,
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
        // `Buffer.from(k, "base64").toString("utf8")`, `b64decode(k).decode()`: the text of a
        // decoded constant goes on.
        if result.konst.is_none() && matches!(method, Some("toString" | "decode")) {
            if let Some(k) = receiver.as_ref().and_then(|r| r.konst.clone()) {
                result.konst = Some(k);
            }
        }
        // `["https:/", host, "v2"].join("/")`, `".".join(["geo", "example", "net"])`:
        // constants joined are a constant (an address assembled from pieces is still fixed).
        if result.konst.is_none() && method == Some("join") {
            if let Some(k) = joined_constant(receiver.as_ref(), &args) {
                result.konst = Some(k);
            }
        }
        // `resolve(x)` inside a promise's executor: `x` is that promise's value.
        if qual == "Promise.resolve" {
            if let (Some(slot), Some(x)) = (self.settled.last_mut(), args.first()) {
                *slot = Some(match slot.take() {
                    Some(s) => s.join(x),
                    None => x.clone(),
                });
            }
        }
        if let Some(p) = promised {
            result = p;
        }
        if !callback_facts.is_empty() {
            result.facts.extend(callback_facts);
        }
        // `httpx.AsyncClient(base_url=…)`, `aiohttp.ClientSession(base_url=…)`,
        // `axios.create({ baseURL })`: a client whose relative requests go to its base.
        if let Some(base) = self.client_base(&qual, c, &args) {
            let mut fields = result.fields.as_deref().cloned().unwrap_or_default();
            fields.insert(CLIENT_BASE.into(), base);
            result.fields = Some(std::sync::Arc::new(fields));
        }
        result
    }

    /// The base address an HTTP client is made with, when the server chose it (a constant or
    /// its configuration), not input.
    fn client_base(&self, qual: &str, c: &Call, args: &[Value]) -> Option<Value> {
        let last = qual.rsplit('.').next().unwrap_or(qual);
        if !matches!(
            last,
            "Client" | "AsyncClient" | "Session" | "ClientSession" | "create" | "extend"
        ) {
            return None;
        }
        let keys = ["base_url", "baseURL", "baseUrl", "prefixUrl"];
        let base = c
            .args
            .iter()
            .zip(args)
            .find(|(a, _)| a.name.as_deref().is_some_and(|n| keys.contains(&n)))
            .map(|(_, v)| v.clone())
            .or_else(|| {
                args.iter().find_map(|v| {
                    let fields = v.fields.as_ref()?;
                    keys.iter().find_map(|k| fields.get(*k).cloned())
                })
            })?;
        let untrusted = base.taint.0.keys().any(|l| match l {
            Label::Source(s) => {
                let k = &self.sources[*s as usize].kind;
                k.is_input() || *k == OriginKind::NetworkResponse
            }
            Label::Param(..) => false,
        });
        (!untrusted).then_some(base)
    }

    /// `this.m(…)` / `self.m(…)` → the method of the enclosing class.
    pub(super) fn resolve_method(&self, w: &Walk, callee: &Expr) -> Option<FuncRef> {
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

    /// `ArgsSchema.parse(args)`, `ArgsSchema.safeParse(args).data` with a zod object schema
    /// of the module (`const ArgsSchema = z.object({ n: z.number(), … })`): the input, each
    /// field with what its schema lets through.
    fn schema_parse(
        &mut self,
        w: &Walk,
        c: &Call,
        method: Option<&str>,
        args: &[Value],
    ) -> Option<Value> {
        let method = method?;
        if !matches!(
            method,
            "parse" | "parseAsync" | "safeParse" | "safeParseAsync"
        ) || args.len() != 1
        {
            return None;
        }
        let Expr::Member(recv, _, _) = &c.callee else {
            return None;
        };
        let Expr::Name(name, _) = &**recv else {
            return None;
        };
        let schema = module_let(&self.modules[w.module].module, name)?;
        let object = zod_object_shape(schema)?;
        let input = &args[0];
        let parsed = schema_value(&self.modules[w.module].module, object, input, 0)?;
        if method.starts_with("safe") {
            let mut result = Value::derived_from([input]);
            result.fields = Some(std::sync::Arc::new(BTreeMap::from([(
                "data".to_string(),
                parsed,
            )])));
            Some(result)
        } else {
            Some(parsed)
        }
    }

    /// Forget that a value is (part of) a parsed document: it was made into text or a number.
    pub(super) fn drop_parsed_input(&self, v: &mut Value) {
        let sources = &self.sources;
        v.taint.0.retain(|l, _| {
            !matches!(l, Label::Source(s) if sources[*s as usize].kind == OriginKind::ParsedInput)
        });
    }

    /// The argument expression of a call that the callee's `i`-th parameter receives (by
    /// keyword or by position; a Python method's `self` is the receiver, not an argument).
    pub(super) fn argument_expr<'c>(
        &self,
        fref: FuncRef,
        c: &'c Call,
        i: usize,
    ) -> Option<&'c Expr> {
        let (m, id) = fref;
        let f = self.modules.get(m)?.module.functions.get(id)?;
        let offset = receiver_params(self.modules[m].lang, f);
        let p = f.params.get(i)?;
        if i < offset || p.rest {
            return None;
        }
        if let Some(a) = c
            .args
            .iter()
            .find(|a| a.name.as_deref() == Some(p.name.as_str()))
        {
            return Some(&a.value);
        }
        c.args
            .iter()
            .filter(|a| a.name.is_none())
            .nth(i - offset)
            .map(|a| &a.value)
            .filter(|e| !matches!(e, Expr::Spread(..)))
    }

    pub(super) fn apply_call(
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
        let offset = receiver_params(self.modules[m].lang, f);
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
                match positional.get(pos) {
                    Some(v) => (*v).clone(),
                    // Not passed: a constant default still says which way a flag is.
                    None => Value {
                        truth: self.default_truth(m, p),
                        ..Value::default()
                    },
                }
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
        // (While a library's classes are walked with their constructor's input in their
        // fields, a summary made without that input cannot say what a method returns: the
        // module's functions run here too.)
        if (callback || self.inline_module_calls)
            && m == w.module
            && w.depth < self.limits.max_inline_depth
        {
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
            let Some(arg) = argument_for(&mapped, ev.param, ev.field.as_deref()) else {
                continue;
            };
            // A sink under a flag this call sets the other way is not reached from here.
            let contradicted = ev.requires.iter().any(|(i, t)| {
                mapped
                    .get(usize::from(*i))
                    .is_some_and(|a| a.truth == Some(!*t))
            });
            if contradicted {
                continue;
            }
            let mut site = ev.site.clone();
            if !site.via.contains(&name) {
                site.via.insert(0, name.clone());
            }
            site.guessed |= self.guessing > 0;
            // The caller placed the path under a folder (`join(ROOT, name)` handed to a helper
            // that opens it): not the input's whole choice.
            if site.kind == SinkKind::FileAccess {
                site.whole &= !arg.rooted;
            }
            // `${this.baseUrl}${path}` in the callee, `/crm/v3/…` from here: a fixed host.
            let mut guards = ev.guards;
            if site.detail.as_deref() == Some(sinks::CONFIGURED_THEN_PARAM) {
                let lead = arg.qual.as_deref().and_then(|q| q.strip_prefix("lead:"));
                if lead.is_some_and(|l| l.starts_with('/') && !l.starts_with("//")) {
                    guards = guards.union(Guards::HOST_FIXED);
                    site.detail = None;
                } else if lead.is_some() || arg.lead_param.is_none() {
                    site.detail = None;
                }
                // (A parameter passed on as it is: its own caller decides.)
            }
            // The callee runs the argument vector it is given (`spawn(cmd, args)`) and this
            // call writes it out (`['-p', prompt]`): each element's position decides.
            // A URL led by a parameter: this call fixes its host, or passes the decision on.
            let saved_lead = w.host_lead.take();
            if let Some(h) = &ev.host_lead {
                match self.decide_host(h, &mapped) {
                    Ok(()) => guards = guards.union(Guards::HOST_FIXED),
                    Err(lead) => w.host_lead = lead,
                }
            }
            // The callee's flags that are this function's own parameters, passed on as they
            // are, become this function's conditions.
            let conds = w.flag_conds.len();
            for (i, t) in &ev.requires {
                if let Some(j) = mapped.get(usize::from(*i)).and_then(Value::bare_param) {
                    w.push_flag((j, *t));
                }
            }
            let written_out = arg
                .elems
                .as_deref()
                .filter(|_| site.kind == SinkKind::Argv && ev.field.is_none());
            match written_out {
                Some(elems) => {
                    for e in sinks::option_positions(elems) {
                        self.emit(w, &site, e, guards);
                    }
                }
                None => self.emit(w, &site, &arg, guards),
            }
            w.flag_conds.truncate(conds);
            w.host_lead = saved_lead;
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
        // Parts of a returned tuple or object are the callee's values too: their parameter
        // labels stand for this call's arguments (`subdomain, token = valid_token()` must not
        // read the caller's own first parameter).
        let mut ret = Value {
            qual: summary.ret.qual.clone(),
            html: summary.ret.html,
            stack: summary.ret.stack,
            // A path or URL the callee builds around its input stays built (`root / name`
            // returned by a helper is not the whole input).
            composed: summary.ret.composed,
            rooted: summary.ret.rooted,
            elems: summary.ret.elems.as_ref().map(|es| {
                std::sync::Arc::new(es.iter().map(|e| self.map_params(e, &mapped, 3)).collect())
            }),
            fields: summary.ret.fields.as_ref().map(|fs| {
                std::sync::Arc::new(
                    fs.iter()
                        .map(|(k, e)| (k.clone(), self.map_params(e, &mapped, 3)))
                        .collect(),
                )
            }),
            ..Value::default()
        };
        // `buildUrl(\`https://host/…\`, params)` returns text led by its first argument.
        if let Some(i) = summary.ret.lead_param {
            let field = summary.ret.lead_field.as_ref();
            if let Some((a, passed_on)) = sinks::caller_lead(&mapped, i, field) {
                // The text is the argument's (converted at most): its constant lead is kept.
                if a.qual.as_deref().is_some_and(|q| q.starts_with("lead:")) {
                    ret.qual = a.qual.clone();
                } else if let Some(k) = a.konst.as_deref().filter(|k| k.contains("://")) {
                    ret.qual = Some(format!("lead:{k}"));
                }
                let (param, field) = passed_on.unzip();
                ret.lead_param = param;
                ret.lead_field = field.flatten();
                ret.then_lead = match &summary.ret.then_lead {
                    Some(ThenLead::Param(j, f)) => sinks::then_through(&mapped, *j, f.as_ref()),
                    other => other.clone(),
                };
                // A base from configuration followed by a path (`getUrl(config, "/x")`):
                // the text's host is the configured one.
                let lead = HostLead {
                    param: i,
                    field: summary.ret.lead_field.clone(),
                    then: summary.ret.then_lead.clone(),
                };
                if ret.qual.is_none() && self.decide_host(&lead, &mapped).is_ok() {
                    ret.qual = Some(format!("lead:{}", sinks::CONFIGURED_BASE));
                }
            }
        }
        ret.taint = self.map_taint(&summary.ret.taint, &mapped);
        for label in summary.ret.taint.0.keys() {
            if let Some(a) = match label {
                Label::Param(i, field) => argument_for(&mapped, *i, field.as_deref()),
                Label::Source(_) => None,
            } {
                ret.html |= a.html;
                ret.composed |= a.composed;
                ret.rooted |= a.rooted;
                for d in &a.derived {
                    if ret.derived.len() < 16 {
                        ret.derived.push(d.clone());
                    }
                }
            }
        }
        // A helper named for escaping (`escapeHtml`, `shell_quote`) is read as escaping, as a
        // library's function of that name would be.
        let own = f.name.rsplit('.').next().unwrap_or(&f.name);
        if let Some(g) = catalog::escaping_name(own) {
            ret.taint.add_guards(g);
        } else if catalog::is_validator_name(&f.name) {
            ret.taint.add_guards(Guards::VALIDATED);
        }
        ret
    }

    /// A JavaScript function stored in another object's field (`res.sendfile = function …`),
    /// not a class or prototype method.
    fn is_field_stored(&self, (m, id): FuncRef) -> bool {
        self.modules[m]
            .module
            .functions
            .get(id)
            .is_some_and(|f| !is_method(f) && f.name.contains('.'))
    }

    /// The function of this module an argument is: written there (`function (p) {…}`) or
    /// given by an expression (a closure factory's result, a name bound to one). When it is
    /// none, the argument's value is pushed onto `args` instead.
    fn function_argument(
        &mut self,
        w: &mut Walk,
        e: &Expr,
        args: &mut Vec<Value>,
    ) -> Option<FuncId> {
        if let Expr::Func(id, _) = e {
            return Some(*id);
        }
        let v = self.eval(w, e);
        match v.func {
            Some((fm, id)) if fm == w.module => Some(id),
            _ => {
                args.push(v);
                None
            }
        }
    }

    /// Walk a function in place with the given parameter values; returns its return value and
    /// the guard facts its returns stand for.
    pub(super) fn walk_inline(
        &mut self,
        w: &mut Walk,
        id: FuncId,
        params: Vec<Value>,
    ) -> (Value, Facts) {
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
                if is_http_request_annotation(ann) && self.modules[m].lang == Lang::Python {
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
        // A closure returned by the function that made it (`(function (_this) { return
        // function (p) {…}; })(this)`, as CoffeeScript and older TypeScript write `=>`) sees
        // that function's variables — where no enclosing walk has the name (the walks
        // around this one come first; the frame kept may be from another call of its maker).
        let env = self.captured.get(&(m, id)).cloned();
        let with_env = env.is_some();
        if let Some(env) = env {
            w.frames.insert(0, env);
            w.tool_frame = w.tool_frame.map(|i| i + 1);
        }
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
        let own = frames.pop();
        if with_env && !frames.is_empty() {
            frames.remove(0);
            w.tool_frame = w.tool_frame.map(|i| i.saturating_sub(1));
        }
        if let (Some((fm, inner)), Some(own)) = (ret.func, own) {
            if fm == m && inner != id && self.captured.len() < MAX_CAPTURED {
                self.captured.insert((fm, inner), own);
            }
        }
        w.frames = frames;
        w.depth -= 1;
        w.func = saved_func;
        w.returned = saved_ret;
        let mut all_facts = facts;
        all_facts.extend(ret.facts.clone());
        (ret, all_facts)
    }

    // ------------------------------------------------------------ sinks
}

/// The dotted name of submodule `n` of Python module `module` (`.` + `x` → `.x`,
/// `pkg.tools` + `x` → `pkg.tools.x`).
pub(super) fn python_submodule(module: &str, n: &str) -> String {
    if module.ends_with('.') {
        format!("{module}{n}")
    } else {
        format!("{module}.{n}")
    }
}

pub(super) fn callee_last_name(callee: &Expr) -> Option<String> {
    match callee {
        Expr::Name(n, _) => Some(n.clone()),
        Expr::Member(_, p, _) => Some(p.clone()),
        _ => None,
    }
}

/// Dotted names passed as arguments.
pub(super) fn arg_names(c: &Call) -> Vec<String> {
    c.args.iter().flat_map(|a| expr_names(&a.value)).collect()
}

/// Dotted names passed to the calls a receiver chain is made of (`A.of(p, self).m` gives
/// `p`), the object itself (`self`, `this`, `cls`) left out.
pub(super) fn receiver_call_args(mut e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..16 {
        match e {
            Expr::Call(c) => {
                out.extend(
                    arg_names(c)
                        .into_iter()
                        .filter(|n| !matches!(n.as_str(), "self" | "this" | "cls")),
                );
                e = &c.callee;
            }
            Expr::Member(obj, _, _) => e = obj,
            _ => break,
        }
    }
    out
}

/// Dotted names inside an expression (through calls like `Path(x)` and `str(x)`).
pub(super) fn expr_names(e: &Expr) -> Vec<String> {
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

impl State<'_, '_> {
    /// A callee's taint seen from its caller: each parameter label becomes the taint of the
    /// argument given for it (none when the argument was not given). A helper given the
    /// environment (a config parser, a process runner with `{ env: { ...process.env } }`)
    /// returns something else; one that collects it returns its own source, which stays.
    /// Exception text is reported where a tool returns it, not through callers.
    fn map_taint(&self, t: &Taint, mapped: &[Value]) -> Taint {
        let mut out = Taint::default();
        for (label, g) in &t.0 {
            match label {
                Label::Param(i, field) => {
                    if let Some(a) = argument_for(mapped, *i, field.as_deref()) {
                        let mut from_arg = a.taint.clone().with_guards(*g);
                        if g.has(Guards::CONTENT_READ) {
                            from_arg.remove_guards(Guards::PLACE_NAME);
                        }
                        // The whole environment passed whole (`_one(blob)` returning its
                        // parameter) stays the whole environment; a field of it does not.
                        let whole_param = field.is_none() && !g.has(Guards::FIELD_READ);
                        if !whole_param {
                            from_arg.0.retain(|l, _| !matches!(l, Label::Source(s) if is_whole_environment(&self.sources[*s as usize])));
                        }
                        out.join(&from_arg);
                    }
                }
                Label::Source(s) => {
                    if self.sources[*s as usize].kind != OriginKind::Exception {
                        out.join(&Taint(BTreeMap::from([(label.clone(), *g)])));
                    }
                }
            }
        }
        out
    }

    /// A part of a callee's returned tuple or object seen from its caller ([`Self::map_taint`]),
    /// `depth` levels of parts down.
    fn map_params(&self, v: &Value, mapped: &[Value], depth: u8) -> Value {
        let mut out = v.clone();
        out.taint = self.map_taint(&v.taint, mapped);
        if depth == 0 {
            out.elems = None;
            out.fields = None;
            return out;
        }
        if let Some(es) = &v.elems {
            out.elems = Some(std::sync::Arc::new(
                es.iter()
                    .map(|e| self.map_params(e, mapped, depth - 1))
                    .collect(),
            ));
        }
        if let Some(fs) = &v.fields {
            out.fields = Some(std::sync::Arc::new(
                fs.iter()
                    .map(|(k, e)| (k.clone(), self.map_params(e, mapped, depth - 1)))
                    .collect(),
            ));
        }
        out
    }
}

/// `record.get("name")`, `record.get("name", default)` on a record (a dict, a `Map`): the named
/// field when the record's fields are known, else that field of what the record came from
/// (a parameter's field, for callers that pass a record whose fields are known), joined with
/// the default.
fn field_get(method: Option<&str>, args: &[Value], receiver: Option<&Value>) -> Option<Value> {
    let r = receiver?;
    if method != Some("get") || args.is_empty() || args.len() > 2 {
        return None;
    }
    let key = args[0].konst.as_deref().filter(|k| {
        !k.is_empty()
            && k.len() <= 64
            && k.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-'))
    })?;
    let mut v = match &r.fields {
        Some(fields) => match fields.get(key) {
            Some(f) => f.clone(),
            // A record written out without that key has none; an object that may hold
            // fields it does not list (tool arguments given their schema's guarded
            // properties) gives that field of what it carries.
            None if r.is_plain_record() || !r.is_tainted() => Value::default(),
            None => {
                let mut v = Value {
                    taint: r.taint.read_field(key),
                    checked: r.checked,
                    ..Value::default()
                };
                v.taint.add_guards(Guards::FIELD_READ);
                v
            }
        },
        None if r.taint.0.keys().any(|l| matches!(l, Label::Param(..))) => {
            let mut v = Value {
                taint: r.taint.read_field(key),
                checked: r.checked,
                ..Value::default()
            };
            v.taint.add_guards(Guards::FIELD_READ);
            v
        }
        None => return None,
    };
    if let Some(d) = args.get(1) {
        v = v.join(d);
    }
    Some(v)
}

/// The field of an HTTP client value that holds the base address it was made with.
pub(super) const CLIENT_BASE: &str = "@base_url";

/// What a caller gave for parameter `i` of a callee, or for one named field of it when the
/// callee reads only that field and the caller's record has it (`make(opts)` reading
/// `opts["path"]`, called with `{"path": checked, "label": free}`).
pub(super) fn argument_for<'a>(
    mapped: &'a [Value],
    i: u8,
    field: Option<&str>,
) -> Option<std::borrow::Cow<'a, Value>> {
    use std::borrow::Cow;
    let arg = mapped.get(usize::from(i))?;
    match (field, &arg.fields) {
        (Some(k), Some(fields)) => match fields.get(k) {
            Some(v) => Some(Cow::Borrowed(v)),
            // A record written out without that field (`{ url: "/x", body }` read for
            // `.path`): nothing, when all it carries is what its fields carry. (Something
            // spread in whole, or an input object whose schema guards a few of its fields,
            // carries more: it may hold any field.)
            None if arg.is_plain_record() => Some(Cow::Owned(Value::default())),
            None => Some(Cow::Borrowed(arg)),
        },
        // A field of a value whose fields are not known (the caller's own parameter passed
        // on whole): that field of it, not all of it (`options.url`, not `options.body`).
        (Some(k), None)
            if arg
                .taint
                .0
                .keys()
                .any(|l| matches!(l, Label::Param(_, None))) =>
        {
            Some(Cow::Owned(Value {
                taint: arg.taint.read_field(k),
                checked: arg.checked,
                derived: arg
                    .derived
                    .iter()
                    .map(|d| format!("{d}.{k}"))
                    .take(4)
                    .collect(),
                ..Value::default()
            }))
        }
        _ => Some(Cow::Borrowed(arg)),
    }
}

/// The join of a table's entries, when the table is a known object literal that carries no
/// input (`ROUTES = {"a": handler_a, …}`): what any lookup in it gives.
pub(super) fn known_table(table: &Value) -> Option<Value> {
    if table.is_tainted() {
        return None;
    }
    let fields = table
        .fields
        .as_ref()
        .filter(|f| !f.is_empty() && f.len() <= 64)?;
    let mut it = fields.values();
    let first = it.next()?.clone();
    Some(it.fold(first, |acc, v| acc.join(v)))
}

/// The object of properties of a zod object schema (`z.object({…}).strict()`), through the
/// methods chained after it.
fn zod_object_shape(e: &Expr) -> Option<&Expr> {
    let mut cur = e;
    for _ in 0..16 {
        let Expr::Call(c) = cur else { return None };
        let Expr::Member(recv, m, _) = &c.callee else {
            return None;
        };
        if m == "object" || m == "strictObject" || m == "looseObject" {
            return c
                .args
                .first()
                .map(|a| &a.value)
                .filter(|v| matches!(v, Expr::Object(..)));
        }
        cur = recv;
    }
    None
}

/// A table the package builds itself: `new Map()`, `new WeakMap()`, `dict()`,
/// `collections.OrderedDict()`, `defaultdict(…)`.
pub(super) fn is_keyed_store(v: &Value) -> bool {
    v.qual.as_deref().is_some_and(|q| {
        matches!(
            q.rsplit('.').next().unwrap_or(q),
            "Map()" | "WeakMap()" | "dict()" | "OrderedDict()" | "defaultdict()" | "LRUCache()"
        )
    })
}

/// The value a module-level `const NAME = …` / `NAME = …` binds.
fn module_let<'m>(module: &'m crate::ir::Module, name: &str) -> Option<&'m Expr> {
    module.functions.first()?.body.iter().find_map(|s| match s {
        Stmt::Let { name: n, value, .. } if n == name => Some(value),
        _ => None,
    })
}

/// An input parsed by a zod object shape: each field with what its schema lets through, and
/// a field that is itself an object schema (written in place, or a module-level schema named;
/// optional, or in a union with a switch such as `z.boolean()`) with its own fields likewise.
/// None when the shape checks nothing.
fn schema_value(
    module: &crate::ir::Module,
    object: &Expr,
    input: &Value,
    depth: u32,
) -> Option<Value> {
    let Expr::Object(props, _) = object else {
        return None;
    };
    let mut fields: BTreeMap<String, Value> = input.fields.as_deref().cloned().unwrap_or_default();
    let mut any = false;
    for (k, v) in props.iter().take(64) {
        let Some(k) = k else { continue };
        let v = match v {
            Expr::Name(n, _) if depth < 4 => module_let(module, n).unwrap_or(v),
            _ => v,
        };
        let g = super::sources::schema_guards(v);
        let nested = if depth < 4 {
            nested_object_shape(module, v, depth).and_then(|shape| {
                let f = fields.get(k).cloned().unwrap_or_else(|| Value {
                    taint: input.taint.read_field(k),
                    ..Value::default()
                });
                schema_value(module, shape, &f, depth + 1)
            })
        } else {
            None
        };
        if g == Guards::NONE && nested.is_none() {
            continue;
        }
        let mut f = match nested {
            Some(n) => n,
            None => fields.get(k).cloned().unwrap_or_else(|| Value {
                taint: input.taint.read_field(k),
                ..Value::default()
            }),
        };
        f.taint.add_guards(g);
        f.checked = f.checked.union(g);
        fields.insert(k.clone(), f);
        any = true;
    }
    if !any {
        return None;
    }
    let mut parsed = input.clone();
    // (A schema that is not strict passes other fields through.)
    fields.insert(
        crate::taint::OPEN_FIELDS.into(),
        Value {
            taint: input.taint.clone(),
            ..Value::default()
        },
    );
    parsed.fields = Some(std::sync::Arc::new(fields));
    Some(parsed)
}

/// The object shape of a field's schema: `z.object({…}).optional()`, a module-level schema by
/// name, or the object member of `z.union([z.boolean(), z.object({…})])` / `.or(…)`.
fn nested_object_shape<'m>(
    module: &'m crate::ir::Module,
    e: &'m Expr,
    depth: u32,
) -> Option<&'m Expr> {
    if depth > 8 {
        return None;
    }
    if let Some(shape) = zod_object_shape(e) {
        return Some(shape);
    }
    let mut cur = e;
    for _ in 0..16 {
        match cur {
            Expr::Name(n, _) if depth < 4 => {
                return nested_object_shape(module, module_let(module, n)?, depth + 1)
            }
            Expr::Call(c) => {
                let Expr::Member(recv, m, _) = &c.callee else {
                    return None;
                };
                if m == "union" || m == "or" {
                    let members: Vec<&Expr> = match c.args.first().map(|a| &a.value) {
                        Some(Expr::Array(items, _)) => items.iter().collect(),
                        Some(other) => vec![other],
                        None => Vec::new(),
                    };
                    let mut found = members
                        .into_iter()
                        .filter_map(|x| nested_object_shape(module, x, depth + 1));
                    let first = found.next();
                    // Two object shapes in one union: which one applies is not known.
                    return if found.next().is_none() { first } else { None };
                }
                cur = recv;
            }
            _ => return None,
        }
    }
    None
}

/// A Python annotation naming an HTTP request (`Request`, `web.Request`, `HttpRequest`,
/// `Optional[Request]`), not one of the MCP protocol's requests (`CallToolRequestParams`,
/// `ReadResourceRequest`), whose handlers are registered as such.
fn is_http_request_annotation(ann: &str) -> bool {
    ann.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter_map(|t| t.rsplit('.').next())
        .any(|t| {
            matches!(
                t,
                "Request"
                    | "HttpRequest"
                    | "HTTPRequest"
                    | "WSGIRequest"
                    | "ASGIRequest"
                    | "HTTPServerRequest"
                    | "BaseRequest"
            )
        })
}

/// How many leading parameters of a function are its receiver rather than arguments: a Python
/// method's `self` or `cls` (a `@staticmethod`'s first parameter is an argument).
fn receiver_params(lang: Lang, f: &crate::ir::Function) -> usize {
    usize::from(
        lang == Lang::Python
            && f.class.is_some()
            && f.params
                .first()
                .is_some_and(|p| p.name == "self" || p.name == "cls"),
    )
}

/// A call of a function with arguments fixed by `bind`: the fixed ones first, as positional
/// arguments, then the call's own.
fn with_bound(c: &Call, fixed: &[Value], args: &[Value]) -> (Call, Vec<Value>) {
    let mut call_args: Vec<crate::ir::Arg> = fixed
        .iter()
        .map(|_| crate::ir::Arg {
            name: None,
            value: Expr::Lit(c.loc),
        })
        .collect();
    call_args.extend(c.args.iter().cloned());
    let mut values = fixed.to_vec();
    values.extend(args.iter().cloned());
    (
        Call {
            callee: c.callee.clone(),
            args: call_args,
            new: c.new,
            loc: c.loc,
        },
        values,
    )
}

/// The text of a join of constants: a JavaScript array's `.join(sep)` (a comma when no
/// separator is given) or Python's `sep.join(list)`; `None` when any piece is not a constant.
fn joined_constant(receiver: Option<&Value>, args: &[Value]) -> Option<String> {
    let recv = receiver?;
    let (parts, sep) = match (&recv.elems, &recv.konst) {
        (Some(es), _) => (es, args.first().map_or(Some(","), |a| a.konst.as_deref())?),
        (None, Some(sep)) => (args.first()?.elems.as_ref()?, sep.as_str()),
        _ => return None,
    };
    if parts.is_empty() || !recv.taint.0.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if !p.taint.0.is_empty() {
            return None;
        }
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.konst.as_deref()?);
        if out.len() > 4096 {
            return None;
        }
    }
    Some(out)
}

/// How deep deferred targets (`Thread(target=…)`) are followed inside one another.
const MAX_DEFERRED_DEPTH: u32 = 64;

/// The call a thread, process or timer makes when started — its `target` (a timer's second
/// argument) with the `args` tuple's elements — or that an executor or pool runs for
/// `submit(f, *args)`.
fn deferred_target_call(qual: &str, c: &Call) -> Option<Call> {
    // `pool.submit(f, a)`, `asyncio.to_thread(f, a)`, `loop.run_in_executor(None, f, a)`:
    // the function and its arguments are positional.
    let last = qual.rsplit('.').next().unwrap_or(qual);
    let skip = match last {
        "submit" | "apply_async"
            if qual.contains("Executor") || qual.contains("Pool") || qual.contains("pool") =>
        {
            Some(0)
        }
        "to_thread" if qual.starts_with("asyncio") => Some(0),
        "run_in_executor" => Some(1),
        _ => None,
    };
    if let Some(skip) = skip {
        let mut positional = c.args.iter().filter(|a| a.name.is_none()).skip(skip);
        let target = positional.next()?.value.clone();
        if !matches!(target, Expr::Name(..) | Expr::Member(..)) {
            return None;
        }
        return Some(Call {
            callee: target,
            args: positional.cloned().collect(),
            new: false,
            loc: c.loc,
        });
    }
    let timer = matches!(qual, "threading.Timer" | "Timer");
    if !timer
        && !matches!(
            qual,
            "threading.Thread" | "Thread" | "multiprocessing.Process" | "Process"
        )
    {
        return None;
    }
    let kw = |k: &str| c.args.iter().find(|a| a.name.as_deref() == Some(k));
    let target = match kw(if timer { "function" } else { "target" }) {
        Some(a) => a.value.clone(),
        None if timer => c
            .args
            .iter()
            .filter(|a| a.name.is_none())
            .nth(1)?
            .value
            .clone(),
        None => return None,
    };
    if !matches!(target, Expr::Name(..) | Expr::Member(..)) {
        return None;
    }
    let mut args: Vec<crate::ir::Arg> = Vec::new();
    if let Some(a) = kw("args") {
        match &a.value {
            Expr::Array(xs, _) => args.extend(xs.iter().map(|x| crate::ir::Arg {
                name: None,
                value: x.clone(),
            })),
            other => args.push(crate::ir::Arg {
                name: None,
                value: Expr::Spread(Box::new(other.clone()), other.loc()),
            }),
        }
    }
    Some(Call {
        callee: target,
        args,
        new: false,
        loc: c.loc,
    })
}

/// Calls that ask a hosted language model for a reply (OpenAI-style, Anthropic, Gemini,
/// LiteLLM, Ollama clients).
fn is_model_call(qual: &str) -> bool {
    [
        "completions.create",
        "ChatCompletion.create",
        "Completion.create",
        "messages.create",
        "responses.create",
        "generate_content",
        "generate_content_async",
        "litellm.completion",
        "litellm.acompletion",
        "ollama.chat",
        "ollama.generate",
    ]
    .iter()
    .any(|m| {
        qual.strip_suffix(m)
            .is_some_and(|head| head.is_empty() || head.ends_with('.'))
    })
}
