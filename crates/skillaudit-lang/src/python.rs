//! Python front end: parses with ruff's error-recovering parser and lowers the tree to
//! [`crate::ir`].
//!
//! The lowering keeps what taint analysis from MCP tool arguments to sinks needs — names,
//! attribute and subscript chains, calls with positional and keyword arguments, string building
//! (f-strings, `+`, `%`), assignments, control flow and every function body — and folds the rest
//! into [`Expr::Unknown`] so values still flow through it.
//!
//! Nothing here recurses without a bound: lowering stops at [`MAX_DEPTH`] nested levels, long
//! `elif` / `case` chains are nested only as deep as that budget allows, and the parsed tree is
//! taken apart iteratively afterwards instead of being dropped recursively.

use ruff_python_ast::{self as ast, PySourceType};
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::{Ranged, TextRange};

use crate::ir::{Arg, Call, Class, Expr, FuncId, Function, Handler, Loc, Module, Param, Stmt};

/// Nesting depth (statements, expressions, targets and patterns together) beyond which the rest
/// of a subtree is lowered as `Expr::Unknown(vec![])` or skipped.
const MAX_DEPTH: usize = 200;

/// Parses a Python file and lowers it. Never panics; syntax errors are counted in
/// [`Module::syntax_errors`] and whatever the parser recovered is lowered.
pub fn lower_python(path: &str, text: &str) -> Module {
    let parsed = parse_unchecked_source(text, PySourceType::Python);
    let mut module = Module::new(path);
    module.syntax_errors = parsed.errors().len();
    let suite = parsed.into_syntax().body;

    let end = u32::try_from(text.len()).unwrap_or(u32::MAX);
    module.functions.push(Function::new("", Loc::new(0, end)));
    let mut lowerer = Lowerer {
        text,
        module,
        depth: 0,
        temps: 0,
        func: 0,
        class: None,
        pending: Vec::new(),
    };
    let mut body = Vec::new();
    lowerer.stmts(&suite, &mut body);
    if let Some(top) = lowerer.module.functions.get_mut(0) {
        top.body = body;
        top.doc = docstring(&suite);
    }
    dismantle(suite);
    lowerer.module
}

fn loc(range: TextRange) -> Loc {
    Loc::new(range.start().to_u32(), range.end().to_u32())
}

/// Names, static member chains and literals: safe to repeat without repeating a call.
fn is_simple(e: &Expr) -> bool {
    match e {
        Expr::Name(..) | Expr::Str(..) | Expr::Lit(..) | Expr::This(..) => true,
        Expr::Member(obj, _, _) => is_simple(obj),
        _ => false,
    }
}

fn cmp_op(op: ast::CmpOp) -> &'static str {
    match op {
        ast::CmpOp::Eq => "==",
        ast::CmpOp::NotEq => "!=",
        ast::CmpOp::Lt => "<",
        ast::CmpOp::LtE => "<=",
        ast::CmpOp::Gt => ">",
        ast::CmpOp::GtE => ">=",
        ast::CmpOp::Is => "is",
        ast::CmpOp::IsNot => "is not",
        ast::CmpOp::In => "in",
        ast::CmpOp::NotIn => "not in",
    }
}

/// The docstring of a body, if its first statement is a string literal.
fn docstring(body: &[ast::Stmt]) -> Option<String> {
    if let Some(ast::Stmt::Expr(e)) = body.first() {
        if let ast::Expr::StringLiteral(s) = &*e.value {
            return Some(s.value.to_str().to_string());
        }
    }
    None
}

/// Appends a literal piece to string-building parts, merging it with a preceding literal.
fn push_str(parts: &mut Vec<Expr>, s: &str, at: Loc) {
    if let Some(Expr::Str(prev, prev_loc)) = parts.last_mut() {
        prev.push_str(s);
        prev_loc.end = at.end;
        return;
    }
    parts.push(Expr::Str(s.to_string(), at));
}

/// One arm of an `if`/`elif`/`else` or `match` chain: statements hoisted out of its condition,
/// the condition (`None` for `else`), the body and the location.
struct Arm {
    hoisted: Vec<Stmt>,
    cond: Option<Expr>,
    body: Vec<Stmt>,
    loc: Loc,
}

struct Lowerer<'t> {
    text: &'t str,
    module: Module,
    /// Current nesting depth of the lowering recursion.
    depth: usize,
    /// Counter for synthetic `$tN` temporaries.
    temps: usize,
    /// The function whose body is being lowered.
    func: FuncId,
    /// The class whose body is being lowered directly (name and index in `module.classes`).
    class: Option<(String, usize)>,
    /// Statements hoisted out of the expression being lowered (walrus bindings, comprehension
    /// variables and conditions); emitted before the enclosing statement.
    pending: Vec<Stmt>,
}

impl Lowerer<'_> {
    fn source(&self, range: TextRange) -> Option<String> {
        self.text
            .get(range.start().to_usize()..range.end().to_usize())
            .map(str::to_string)
    }

    fn temp(&mut self) -> String {
        let name = format!("$t{}", self.temps);
        self.temps += 1;
        name
    }

    /// `e` itself when it is simple; otherwise `Let $tN = e` is emitted and `Name($tN)` returned.
    fn simple_or_temp(&mut self, e: Expr, out: &mut Vec<Stmt>) -> Expr {
        if is_simple(&e) {
            return e;
        }
        let at = e.loc();
        let name = self.temp();
        out.push(Stmt::Let {
            name: name.clone(),
            value: e,
            loc: at,
        });
        Expr::Name(name, at)
    }

    // ---------------------------------------------------------------- statements

    fn stmts(&mut self, body: &[ast::Stmt], out: &mut Vec<Stmt>) {
        for s in body {
            self.stmt(s, out);
        }
    }

    fn stmt(&mut self, s: &ast::Stmt, out: &mut Vec<Stmt>) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let saved = std::mem::take(&mut self.pending);
        let mut lowered = Vec::new();
        self.stmt_inner(s, &mut lowered);
        let hoisted = std::mem::replace(&mut self.pending, saved);
        out.extend(hoisted);
        out.extend(lowered);
        self.depth -= 1;
    }

    /// Dispatches on the statement kind; compound arms live in their own methods so this frame
    /// (on the stack once per nesting level) stays small in unoptimised builds.
    fn stmt_inner(&mut self, s: &ast::Stmt, out: &mut Vec<Stmt>) {
        let l = loc(s.range());
        match s {
            ast::Stmt::FunctionDef(f) => self.function_def(f, out),
            ast::Stmt::ClassDef(c) => self.class_def(c, out),
            ast::Stmt::Return(r) => self.return_stmt(r, l, out),
            ast::Stmt::Assign(a) => self.assign_stmt(a, out),
            ast::Stmt::AugAssign(a) => self.aug_assign(a, l, out),
            ast::Stmt::AnnAssign(a) => self.ann_assign(a, l, out),
            ast::Stmt::For(f) => self.for_stmt(f, l, out),
            ast::Stmt::While(w) => self.while_stmt(w, l, out),
            ast::Stmt::If(i) => self.if_stmt(i, l, out),
            ast::Stmt::With(w) => self.with_stmt(w, out),
            ast::Stmt::Match(m) => self.match_stmt(m, out),
            ast::Stmt::Raise(r) => self.raise_stmt(r, l, out),
            ast::Stmt::Try(t) => self.try_stmt(t, l, out),
            ast::Stmt::Assert(a) => self.assert_stmt(a, l, out),
            ast::Stmt::Import(i) => lower_import(i, out),
            ast::Stmt::ImportFrom(i) => lower_import_from(i, out),
            ast::Stmt::Expr(e) => self.expr_stmt(e, out),
            ast::Stmt::Break(_) | ast::Stmt::Continue(_) => out.push(Stmt::Jump(l)),
            ast::Stmt::Delete(_)
            | ast::Stmt::TypeAlias(_)
            | ast::Stmt::Global(_)
            | ast::Stmt::Nonlocal(_)
            | ast::Stmt::Pass(_)
            | ast::Stmt::IpyEscapeCommand(_) => {}
        }
    }

    fn opt_expr(&mut self, e: Option<&ast::Expr>) -> Option<Expr> {
        e.map(|e| self.expr(e))
    }

    fn return_stmt(&mut self, r: &ast::StmtReturn, l: Loc, out: &mut Vec<Stmt>) {
        let value = self.opt_expr(r.value.as_deref());
        out.push(Stmt::Return(value, l));
    }

    fn raise_stmt(&mut self, r: &ast::StmtRaise, l: Loc, out: &mut Vec<Stmt>) {
        let exc = self.opt_expr(r.exc.as_deref());
        out.push(Stmt::Throw(exc, l));
    }

    fn expr_stmt(&mut self, e: &ast::StmtExpr, out: &mut Vec<Stmt>) {
        let value = self.expr(&e.value);
        out.push(Stmt::Expr(value));
    }

    fn ann_assign(&mut self, a: &ast::StmtAnnAssign, l: Loc, out: &mut Vec<Stmt>) {
        if let Some(v) = &a.value {
            let value = self.expr(v);
            self.assign(&a.target, value, l, out);
        }
    }

    /// `assert cond, msg` → `if not cond: raise`.
    fn assert_stmt(&mut self, a: &ast::StmtAssert, l: Loc, out: &mut Vec<Stmt>) {
        let cond = self.expr(&a.test);
        out.push(Stmt::If {
            cond: Expr::Not(Box::new(cond), l),
            then: vec![Stmt::Throw(None, l)],
            els: Vec::new(),
            loc: l,
        });
    }

    /// `a += v` → `a = Concat([a, v])`; other operators → `a = Unknown([a, v])`.
    fn aug_assign(&mut self, a: &ast::StmtAugAssign, l: Loc, out: &mut Vec<Stmt>) {
        let current = self.expr(&a.target);
        let value = self.expr(&a.value);
        let new = if a.op == ast::Operator::Add {
            Expr::Concat(vec![current, value], l)
        } else {
            Expr::Unknown(vec![current, value], l)
        };
        self.assign(&a.target, new, l, out);
    }

    /// `Loop { Let target = Iter(iterable); body }`, then the `else` clause.
    fn for_stmt(&mut self, f: &ast::StmtFor, l: Loc, out: &mut Vec<Stmt>) {
        let iter = self.expr(&f.iter);
        // A destructuring target reads the iterable once per name: evaluate it only once.
        let iter = if matches!(&*f.target, ast::Expr::Name(_)) {
            iter
        } else {
            self.simple_or_temp(iter, out)
        };
        let mut body = Vec::new();
        self.bind_iter(&f.target, &iter, &mut body);
        self.stmts(&f.body, &mut body);
        out.push(Stmt::Loop { body, loc: l });
        self.stmts(&f.orelse, out);
    }

    /// `Loop { cond; body }`, then the `else` clause. Walrus bindings in the condition are
    /// re-evaluated on every iteration, so they go inside the loop.
    fn while_stmt(&mut self, w: &ast::StmtWhile, l: Loc, out: &mut Vec<Stmt>) {
        let saved = std::mem::take(&mut self.pending);
        let cond = self.expr(&w.test);
        let mut body = std::mem::replace(&mut self.pending, saved);
        body.push(Stmt::Expr(cond));
        self.stmts(&w.body, &mut body);
        out.push(Stmt::Loop { body, loc: l });
        self.stmts(&w.orelse, out);
    }

    fn if_stmt(&mut self, i: &ast::StmtIf, l: Loc, out: &mut Vec<Stmt>) {
        let cond = self.expr(&i.test);
        let mut then = Vec::new();
        self.stmts(&i.body, &mut then);
        let mut arms = vec![Arm {
            hoisted: Vec::new(),
            cond: Some(cond),
            body: then,
            loc: l,
        }];
        for clause in &i.elif_else_clauses {
            let saved = std::mem::take(&mut self.pending);
            let cond = self.opt_expr(clause.test.as_ref());
            let hoisted = std::mem::replace(&mut self.pending, saved);
            let mut body = Vec::new();
            self.stmts(&clause.body, &mut body);
            arms.push(Arm {
                hoisted,
                cond,
                body,
                loc: loc(clause.range),
            });
        }
        out.extend(self.chain(arms));
    }

    /// `with a as b, c:` → `Let b = a; Expr(c)`, then the body inline.
    fn with_stmt(&mut self, w: &ast::StmtWith, out: &mut Vec<Stmt>) {
        for item in &w.items {
            let value = self.expr(&item.context_expr);
            match &item.optional_vars {
                Some(target) => self.assign(target, value, loc(item.range), out),
                None => out.push(Stmt::Expr(value)),
            }
        }
        self.stmts(&w.body, out);
    }

    /// The `else` clause runs after the body, so it is appended to it.
    fn try_stmt(&mut self, t: &ast::StmtTry, l: Loc, out: &mut Vec<Stmt>) {
        let mut body = Vec::new();
        self.stmts(&t.body, &mut body);
        self.stmts(&t.orelse, &mut body);
        let mut handlers = Vec::new();
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            handlers.push(self.handler(h));
        }
        let mut finally = Vec::new();
        self.stmts(&t.finalbody, &mut finally);
        out.push(Stmt::Try {
            body,
            handlers,
            finally,
            loc: l,
        });
    }

    /// Folds an `if`/`elif`/`else` (or `match`) chain into nested `If`s. The nesting stops where
    /// the depth budget runs out; the remaining arms follow as independent `If`s (every branch
    /// stays reachable, which is what the analysis needs).
    fn chain(&self, arms: Vec<Arm>) -> Vec<Stmt> {
        let budget = MAX_DEPTH.saturating_sub(self.depth).max(1);
        let mut groups: Vec<Vec<Arm>> = Vec::new();
        let mut arms = arms.into_iter().peekable();
        while arms.peek().is_some() {
            groups.push(arms.by_ref().take(budget).collect());
        }
        let mut out = Vec::new();
        for group in groups {
            let mut els: Vec<Stmt> = Vec::new();
            for arm in group.into_iter().rev() {
                let mut stmts = arm.hoisted;
                match arm.cond {
                    Some(cond) => stmts.push(Stmt::If {
                        cond,
                        then: arm.body,
                        els,
                        loc: arm.loc,
                    }),
                    None => stmts.extend(arm.body),
                }
                els = stmts;
            }
            out.extend(els);
        }
        out
    }

    fn handler(&mut self, h: &ast::ExceptHandlerExceptHandler) -> Handler {
        let mut types = Vec::new();
        match h.type_.as_deref() {
            Some(ast::Expr::Tuple(t)) => {
                for e in &t.elts {
                    types.push(self.expr(e));
                }
            }
            Some(e) => types.push(self.expr(e)),
            None => {}
        }
        let mut body = Vec::new();
        self.stmts(&h.body, &mut body);
        // The `except … as name` header: up to the bound name, else the type, else the keyword.
        let start = h.range.start().to_u32();
        let header_end = h
            .name
            .as_ref()
            .map(|n| n.range.end().to_u32())
            .or_else(|| h.type_.as_ref().map(|t| t.range().end().to_u32()))
            .unwrap_or_else(|| start.saturating_add(6).min(h.range.end().to_u32()));
        Handler {
            name: h.name.as_ref().map(|n| n.to_string()),
            types,
            body,
            loc: Loc::new(start, header_end),
        }
    }

    fn assign_stmt(&mut self, a: &ast::StmtAssign, out: &mut Vec<Stmt>) {
        let l = loc(a.range);
        let Some((first, rest)) = a.targets.split_first() else {
            let value = self.expr(&a.value);
            out.push(Stmt::Expr(value));
            return;
        };
        // `a, b = x, y`: pair the elements (through temporaries, so `a, b = b, a` stays right).
        if rest.is_empty() {
            if let (Some(targets), Some(values)) = (unstarred_elts(first), unstarred_elts(&a.value))
            {
                if targets.len() == values.len() {
                    let mut temps = Vec::new();
                    for v in values {
                        let value = self.expr(v);
                        temps.push(if matches!(value, Expr::Str(..) | Expr::Lit(..)) {
                            value
                        } else {
                            let at = value.loc();
                            let name = self.temp();
                            out.push(Stmt::Let {
                                name: name.clone(),
                                value,
                                loc: at,
                            });
                            Expr::Name(name, at)
                        });
                    }
                    for (t, v) in targets.iter().zip(temps) {
                        self.assign(t, v, l, out);
                    }
                    return;
                }
            }
        }
        let value = self.expr(&a.value);
        if rest.is_empty() {
            self.assign(first, value, l, out);
            return;
        }
        // `a = b = v`: v is evaluated once, then bound to every target from left to right.
        let shared = match first {
            ast::Expr::Name(n) => {
                let shared = Expr::Name(n.id.to_string(), loc(n.range));
                self.assign(first, value, l, out);
                shared
            }
            _ => {
                let shared = self.simple_or_temp(value, out);
                self.assign(first, shared.clone(), l, out);
                shared
            }
        };
        for t in rest {
            self.assign(t, shared.clone(), l, out);
        }
    }

    /// Binds `value` to an assignment target.
    fn assign(&mut self, target: &ast::Expr, value: Expr, l: Loc, out: &mut Vec<Stmt>) {
        if self.depth >= MAX_DEPTH {
            out.push(Stmt::Expr(value));
            return;
        }
        self.depth += 1;
        match target {
            ast::Expr::Name(n) => out.push(Stmt::Let {
                name: n.id.to_string(),
                value,
                loc: l,
            }),
            ast::Expr::Attribute(_) | ast::Expr::Subscript(_) => {
                let target = self.expr(target);
                out.push(Stmt::Store {
                    target,
                    value,
                    loc: l,
                });
            }
            ast::Expr::Tuple(ast::ExprTuple { elts, .. })
            | ast::Expr::List(ast::ExprList { elts, .. }) => {
                let base = self.simple_or_temp(value, out);
                for (i, el) in elts.iter().enumerate() {
                    let at = loc(el.range());
                    match el {
                        ast::Expr::Starred(s) => {
                            let part =
                                Expr::Index(Box::new(base.clone()), Box::new(Expr::Lit(at)), at);
                            self.assign(&s.value, part, l, out);
                        }
                        _ => {
                            let part = Expr::Index(
                                Box::new(base.clone()),
                                Box::new(Expr::Str(i.to_string(), at)),
                                at,
                            );
                            self.assign(el, part, l, out);
                        }
                    }
                }
            }
            ast::Expr::Starred(s) => self.assign(&s.value, value, l, out),
            // Not a valid target (error recovery): keep the value's calls visible.
            _ => out.push(Stmt::Expr(value)),
        }
        self.depth -= 1;
    }

    /// Binds every name in a loop / comprehension target to `Iter(iterable)`, or to its
    /// column for a tuple target (`for name, value in pairs`: `name` is the first of each).
    fn bind_iter(&mut self, target: &ast::Expr, iterable: &Expr, out: &mut Vec<Stmt>) {
        let element = Expr::Iter(Box::new(iterable.clone()), iterable.loc());
        self.bind_element(target, element, out);
    }

    fn bind_element(&mut self, target: &ast::Expr, element: Expr, out: &mut Vec<Stmt>) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let at = loc(target.range());
        match target {
            ast::Expr::Name(n) => out.push(Stmt::Let {
                name: n.id.to_string(),
                value: element,
                loc: at,
            }),
            ast::Expr::Tuple(ast::ExprTuple { elts, .. })
            | ast::Expr::List(ast::ExprList { elts, .. }) => {
                for (i, el) in elts.iter().enumerate() {
                    let el_at = loc(el.range());
                    let key = if matches!(el, ast::Expr::Starred(_)) {
                        Expr::Lit(el_at)
                    } else {
                        Expr::Str(i.to_string(), el_at)
                    };
                    let part = Expr::Index(Box::new(element.clone()), Box::new(key), el_at);
                    self.bind_element(el, part, out);
                }
            }
            ast::Expr::Starred(s) => self.bind_element(&s.value, element, out),
            ast::Expr::Attribute(_) | ast::Expr::Subscript(_) => {
                let target = self.expr(target);
                out.push(Stmt::Store {
                    target,
                    value: element,
                    loc: at,
                });
            }
            _ => {}
        }
        self.depth -= 1;
    }

    fn function_def(&mut self, f: &ast::StmtFunctionDef, out: &mut Vec<Stmt>) {
        let (id, name) = self.declare_function(f);
        let body = match f.body.split_first() {
            Some((_, rest)) if docstring(&f.body).is_some() => rest,
            _ => &f.body[..],
        };
        self.function_body(id, body);
        // Methods are bound under their qualified name so they do not shadow module-level names
        // (`def run(self)` must not hide `from subprocess import run`).
        let l = loc(f.range);
        out.push(Stmt::Let {
            name,
            value: Expr::Func(id, l),
            loc: l,
        });
    }

    /// Pushes the function (name, decorators, docstring, parameters) and registers methods with
    /// their class; returns its id and name. Kept apart from the body's lowering so the large
    /// temporaries here are off the stack while the body recurses.
    fn declare_function(&mut self, f: &ast::StmtFunctionDef) -> (FuncId, String) {
        let mut decorators = Vec::new();
        for d in &f.decorator_list {
            decorators.push(self.expr(&d.expression));
        }
        let params = self.params(&f.parameters);
        let bare = f.name.as_str();
        let (name, class) = match &self.class {
            Some((c, _)) => (format!("{c}.{bare}"), Some(c.clone())),
            None => (bare.to_string(), None),
        };
        let id = self.module.functions.len();
        let mut func = Function::new(name.clone(), loc(f.range));
        func.params = params;
        func.decorators = decorators;
        func.doc = docstring(&f.body);
        func.class = class;
        func.parent = Some(self.func);
        self.module.functions.push(func);
        if let Some((_, idx)) = &self.class {
            if let Some(c) = self.module.classes.get_mut(*idx) {
                c.methods.push(id);
            }
        }
        (id, name)
    }

    /// Lowers `stmts` as the body of function `id` (outside any class body).
    fn function_body(&mut self, id: FuncId, stmts: &[ast::Stmt]) {
        let saved_func = std::mem::replace(&mut self.func, id);
        let saved_class = self.class.take();
        let mut body = Vec::new();
        self.stmts(stmts, &mut body);
        self.func = saved_func;
        self.class = saved_class;
        if let Some(func) = self.module.functions.get_mut(id) {
            func.body = body;
        }
    }

    /// The class body is lowered into the enclosing function's body, so class-level assignments
    /// are visible; methods become functions of their own.
    fn class_def(&mut self, c: &ast::StmtClassDef, out: &mut Vec<Stmt>) {
        let (name, idx) = self.declare_class(c);
        let saved = self.class.replace((name.clone(), idx));
        self.stmts(&c.body, out);
        self.class = saved;
        let l = loc(c.range);
        out.push(Stmt::Let {
            name,
            value: Expr::Unknown(Vec::new(), l),
            loc: l,
        });
    }

    fn declare_class(&mut self, c: &ast::StmtClassDef) -> (String, usize) {
        let mut bases = Vec::new();
        if let Some(args) = &c.arguments {
            for b in args.args.iter() {
                bases.push(self.expr(b));
            }
        }
        let name = c.name.to_string();
        let idx = self.module.classes.len();
        self.module.classes.push(Class {
            name: name.clone(),
            bases,
            methods: Vec::new(),
            loc: loc(c.range),
        });
        (name, idx)
    }

    fn params(&mut self, p: &ast::Parameters) -> Vec<Param> {
        let mut params = Vec::new();
        for pd in p.posonlyargs.iter().chain(p.args.iter()) {
            let default = pd.default.as_deref().map(|d| self.expr(d));
            params.push(self.param(&pd.parameter, default, false, loc(pd.range)));
        }
        if let Some(v) = &p.vararg {
            params.push(self.param(v, None, true, loc(v.range)));
        }
        for pd in &p.kwonlyargs {
            let default = pd.default.as_deref().map(|d| self.expr(d));
            params.push(self.param(&pd.parameter, default, false, loc(pd.range)));
        }
        if let Some(k) = &p.kwarg {
            params.push(self.param(k, None, true, loc(k.range)));
        }
        params
    }

    fn param(&self, p: &ast::Parameter, default: Option<Expr>, rest: bool, at: Loc) -> Param {
        Param {
            name: p.name.to_string(),
            annotation: p.annotation.as_ref().and_then(|a| self.source(a.range())),
            default,
            rest,
            loc: at,
        }
    }

    fn match_stmt(&mut self, m: &ast::StmtMatch, out: &mut Vec<Stmt>) {
        let subject = self.expr(&m.subject);
        let subject = self.simple_or_temp(subject, out);
        let mut arms = Vec::new();
        for case in &m.cases {
            let saved = std::mem::take(&mut self.pending);
            let mut cond = self.pattern_cond(&subject, &case.pattern);
            let mut body = Vec::new();
            self.bind_pattern(&case.pattern, subject.clone(), &mut body);
            if let Some(guard) = &case.guard {
                let g = self.expr(guard);
                let at = loc(case.range);
                cond = Expr::And(vec![cond, g], at);
            }
            let hoisted = std::mem::replace(&mut self.pending, saved);
            self.stmts(&case.body, &mut body);
            arms.push(Arm {
                hoisted,
                cond: Some(cond),
                body,
                loc: loc(case.range),
            });
        }
        out.extend(self.chain(arms));
    }

    /// `subject == <pattern value>`; an `Or` of those for `a | b`; `Unknown` as the right side
    /// for patterns without a single value (captures, classes, sequences, mappings).
    fn pattern_cond(&mut self, subject: &Expr, p: &ast::Pattern) -> Expr {
        let at = loc(p.range());
        let compare = |right: Expr| Expr::Compare {
            op: "==".to_string(),
            left: Box::new(subject.clone()),
            right: Box::new(right),
            loc: at,
        };
        if self.depth >= MAX_DEPTH {
            return compare(Expr::Unknown(Vec::new(), at));
        }
        self.depth += 1;
        let cond = match p {
            ast::Pattern::MatchValue(v) => {
                let value = self.expr(&v.value);
                compare(value)
            }
            ast::Pattern::MatchSingleton(_) => compare(Expr::Lit(at)),
            ast::Pattern::MatchAs(ast::PatternMatchAs {
                pattern: Some(inner),
                ..
            }) => self.pattern_cond(subject, inner),
            ast::Pattern::MatchOr(o) => {
                let mut alts = Vec::new();
                for alt in &o.patterns {
                    alts.push(self.pattern_cond(subject, alt));
                }
                Expr::Or(alts, at)
            }
            _ => compare(Expr::Unknown(Vec::new(), at)),
        };
        self.depth -= 1;
        cond
    }

    /// Emits `Let` statements for the names a pattern captures, each reading the matching part of
    /// `value` (`case {"cmd": c}` → `c = subject["cmd"]`).
    fn bind_pattern(&mut self, p: &ast::Pattern, value: Expr, out: &mut Vec<Stmt>) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let at = loc(p.range());
        match p {
            ast::Pattern::MatchAs(a) => {
                if let Some(inner) = &a.pattern {
                    self.bind_pattern(inner, value.clone(), out);
                }
                if let Some(name) = &a.name {
                    out.push(Stmt::Let {
                        name: name.to_string(),
                        value,
                        loc: at,
                    });
                }
            }
            ast::Pattern::MatchStar(s) => {
                if let Some(name) = &s.name {
                    out.push(Stmt::Let {
                        name: name.to_string(),
                        value,
                        loc: at,
                    });
                }
            }
            ast::Pattern::MatchSequence(s) => self.bind_sequence(s, value, out),
            ast::Pattern::MatchMapping(m) => self.bind_mapping(m, value, out),
            ast::Pattern::MatchClass(c) => self.bind_class(c, value, out),
            // Every alternative binds the same names; the first one stands for all.
            ast::Pattern::MatchOr(o) => {
                if let Some(first) = o.patterns.first() {
                    self.bind_pattern(first, value, out);
                }
            }
            ast::Pattern::MatchValue(_) | ast::Pattern::MatchSingleton(_) => {}
        }
        self.depth -= 1;
    }

    // The parts of a destructured value are read through a temporary, so the lowered reads stay
    // shallow however deep the pattern is.

    fn bind_sequence(&mut self, s: &ast::PatternMatchSequence, value: Expr, out: &mut Vec<Stmt>) {
        let base = self.simple_or_temp(value, out);
        for (i, sub) in s.patterns.iter().enumerate() {
            let at = loc(sub.range());
            let key = if matches!(sub, ast::Pattern::MatchStar(_)) {
                Expr::Lit(at)
            } else {
                Expr::Str(i.to_string(), at)
            };
            self.bind_pattern(
                sub,
                Expr::Index(Box::new(base.clone()), Box::new(key), at),
                out,
            );
        }
    }

    fn bind_mapping(&mut self, m: &ast::PatternMatchMapping, value: Expr, out: &mut Vec<Stmt>) {
        let base = self.simple_or_temp(value, out);
        for (key, sub) in m.keys.iter().zip(m.patterns.iter()) {
            let key = self.expr(key);
            let at = loc(sub.range());
            self.bind_pattern(
                sub,
                Expr::Index(Box::new(base.clone()), Box::new(key), at),
                out,
            );
        }
        if let Some(rest) = &m.rest {
            out.push(Stmt::Let {
                name: rest.to_string(),
                value: base,
                loc: loc(rest.range),
            });
        }
    }

    fn bind_class(&mut self, c: &ast::PatternMatchClass, value: Expr, out: &mut Vec<Stmt>) {
        let base = self.simple_or_temp(value, out);
        for sub in c.arguments.patterns.iter() {
            let at = loc(sub.range());
            self.bind_pattern(sub, Expr::Unknown(vec![base.clone()], at), out);
        }
        for kw in &c.arguments.keywords {
            let member = Expr::Member(Box::new(base.clone()), kw.attr.to_string(), loc(kw.range));
            self.bind_pattern(&kw.pattern, member, out);
        }
    }

    // ---------------------------------------------------------------- expressions

    fn expr(&mut self, e: &ast::Expr) -> Expr {
        let l = loc(e.range());
        if self.depth >= MAX_DEPTH {
            return Expr::Unknown(Vec::new(), l);
        }
        self.depth += 1;
        let lowered = self.expr_inner(e, l);
        self.depth -= 1;
        lowered
    }

    fn exprs(&mut self, es: &[ast::Expr]) -> Vec<Expr> {
        let mut out = Vec::with_capacity(es.len());
        for e in es {
            out.push(self.expr(e));
        }
        out
    }

    /// Dispatches on the expression kind. Every arm that builds more than one value lives in its
    /// own method, so this frame — which is on the stack once per nesting level — stays small
    /// even in unoptimised builds.
    fn expr_inner(&mut self, e: &ast::Expr, l: Loc) -> Expr {
        match e {
            ast::Expr::BoolOp(b) => self.bool_op(b, l),
            ast::Expr::Named(n) => self.named(n, l),
            ast::Expr::BinOp(b) => self.bin_op(b, l),
            ast::Expr::UnaryOp(u) => self.unary_op(u, l),
            ast::Expr::Lambda(lam) => self.lambda(lam, l),
            ast::Expr::If(i) => self.if_exp(i, l),
            ast::Expr::Dict(d) => self.dict(d, l),
            ast::Expr::Set(s) => self.array(&s.elts, l),
            ast::Expr::List(list) => self.array(&list.elts, l),
            ast::Expr::Tuple(t) => self.array(&t.elts, l),
            ast::Expr::ListComp(c) => self.comprehension(&c.generators, &[&c.elt], l),
            ast::Expr::SetComp(c) => self.comprehension(&c.generators, &[&c.elt], l),
            ast::Expr::Generator(c) => self.comprehension(&c.generators, &[&c.elt], l),
            ast::Expr::DictComp(c) => match &c.key {
                Some(key) => self.comprehension(&c.generators, &[key, &c.value], l),
                None => self.comprehension(&c.generators, &[&c.value], l),
            },
            ast::Expr::Await(a) => self.expr(&a.value),
            ast::Expr::Yield(y) => {
                let v = y.value.as_deref().map(|e| self.expr(e));
                Expr::yielded(v, l)
            }
            ast::Expr::YieldFrom(y) => {
                let v = self.expr(&y.value);
                Expr::yielded(Some(v), l)
            }
            ast::Expr::Compare(c) => self.compare(c, l),
            ast::Expr::Call(c) => self.call(c, l),
            ast::Expr::FString(f) => self.fstring(f, l),
            ast::Expr::TString(t) => self.tstring(t, l),
            ast::Expr::StringLiteral(s) => Expr::Str(s.value.to_str().to_string(), l),
            ast::Expr::BytesLiteral(b) => bytes_literal(b, l),
            ast::Expr::NumberLiteral(_)
            | ast::Expr::BooleanLiteral(_)
            | ast::Expr::NoneLiteral(_)
            | ast::Expr::EllipsisLiteral(_) => Expr::Lit(l),
            ast::Expr::Attribute(a) => self.attribute(a, l),
            ast::Expr::Subscript(s) => self.subscript(s, l),
            ast::Expr::Starred(s) => self.starred(s, l),
            ast::Expr::Name(n) => Expr::Name(n.id.to_string(), l),
            ast::Expr::Slice(s) => self.slice(s, l),
            ast::Expr::IpyEscapeCommand(_) => Expr::Unknown(Vec::new(), l),
        }
    }

    fn bool_op(&mut self, b: &ast::ExprBoolOp, l: Loc) -> Expr {
        let values = self.exprs(&b.values);
        match b.op {
            ast::BoolOp::And => Expr::And(values, l),
            ast::BoolOp::Or => Expr::Or(values, l),
        }
    }

    /// `(x := v)`: `Let x = v` is hoisted before the statement and the expression reads `x`.
    fn named(&mut self, n: &ast::ExprNamed, l: Loc) -> Expr {
        let value = self.expr(&n.value);
        match &*n.target {
            ast::Expr::Name(name) => {
                let id = name.id.to_string();
                self.pending.push(Stmt::Let {
                    name: id.clone(),
                    value,
                    loc: l,
                });
                Expr::Name(id, loc(name.range))
            }
            _ => Expr::Unknown(vec![value], l),
        }
    }

    fn unary_op(&mut self, u: &ast::ExprUnaryOp, l: Loc) -> Expr {
        let operand = self.expr(&u.operand);
        match u.op {
            ast::UnaryOp::Not => Expr::Not(Box::new(operand), l),
            _ => Expr::Unknown(vec![operand], l),
        }
    }

    fn if_exp(&mut self, i: &ast::ExprIf, l: Loc) -> Expr {
        let test = self.expr(&i.test);
        let body = self.expr(&i.body);
        let orelse = self.expr(&i.orelse);
        Expr::Cond(Box::new(test), Box::new(body), Box::new(orelse), l)
    }

    fn dict(&mut self, d: &ast::ExprDict, l: Loc) -> Expr {
        let mut entries = Vec::with_capacity(d.items.len());
        for item in &d.items {
            let value = self.expr(&item.value);
            let key = match &item.key {
                None => None,
                Some(ast::Expr::StringLiteral(s)) => Some(s.value.to_str().to_string()),
                Some(_) => Some(String::new()),
            };
            entries.push((key, value));
        }
        Expr::Object(entries, l)
    }

    fn array(&mut self, elts: &[ast::Expr], l: Loc) -> Expr {
        Expr::Array(self.exprs(elts), l)
    }

    fn call(&mut self, c: &ast::ExprCall, l: Loc) -> Expr {
        let callee = self.expr(&c.func);
        let mut args = Vec::new();
        for a in c.arguments.iter_source_order() {
            match a {
                ast::ArgOrKeyword::Arg(e) => args.push(Arg::positional(self.expr(e))),
                ast::ArgOrKeyword::Keyword(k) => {
                    let value = self.expr(&k.value);
                    match &k.arg {
                        Some(name) => args.push(Arg {
                            name: Some(name.to_string()),
                            value,
                        }),
                        None => {
                            args.push(Arg::positional(Expr::Spread(Box::new(value), loc(k.range))))
                        }
                    }
                }
            }
        }
        Expr::Call(Box::new(Call {
            callee,
            args,
            new: false,
            loc: l,
        }))
    }

    /// `Concat` of literal pieces and interpolations; a `Str` when nothing is interpolated.
    fn fstring(&mut self, f: &ast::ExprFString, l: Loc) -> Expr {
        let mut parts = Vec::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => push_str(&mut parts, &s.value, loc(s.range)),
                ast::FStringPart::FString(fs) => self.interpolated(&fs.elements, &mut parts),
            }
        }
        match parts.as_slice() {
            [] => Expr::Str(String::new(), l),
            [Expr::Str(s, _)] => Expr::Str(s.clone(), l),
            _ => Expr::Concat(parts, l),
        }
    }

    /// A template (`t"…"`) is not a string; keep only what flows into it.
    fn tstring(&mut self, t: &ast::ExprTString, l: Loc) -> Expr {
        let mut children = Vec::new();
        for ts in t.value.iter() {
            for el in ts.elements.iter() {
                if let ast::InterpolatedStringElement::Interpolation(i) = el {
                    children.push(self.expr(&i.expression));
                }
            }
        }
        Expr::Unknown(children, l)
    }

    fn attribute(&mut self, a: &ast::ExprAttribute, l: Loc) -> Expr {
        let obj = self.expr(&a.value);
        Expr::Member(Box::new(obj), a.attr.to_string(), l)
    }

    fn subscript(&mut self, s: &ast::ExprSubscript, l: Loc) -> Expr {
        let obj = self.expr(&s.value);
        let index = self.expr(&s.slice);
        // `text[i:j]` is a piece of the text (all of it, chunk by chunk, in a loop), not one
        // field of a record.
        if matches!(&*s.slice, ast::Expr::Slice(_)) {
            return Expr::Unknown(vec![obj, index], l);
        }
        Expr::Index(Box::new(obj), Box::new(index), l)
    }

    fn starred(&mut self, s: &ast::ExprStarred, l: Loc) -> Expr {
        let value = self.expr(&s.value);
        Expr::Spread(Box::new(value), l)
    }

    fn slice(&mut self, s: &ast::ExprSlice, l: Loc) -> Expr {
        let mut children = Vec::new();
        for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
            children.push(self.expr(part));
        }
        Expr::Unknown(children, l)
    }

    /// Literal pieces and interpolations of one f-string; format specs are ignored.
    fn interpolated(&mut self, elements: &ast::InterpolatedStringElements, parts: &mut Vec<Expr>) {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(lit) => {
                    push_str(parts, &lit.value, loc(lit.range))
                }
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let value = self.expr(&i.expression);
                    parts.push(value);
                }
            }
        }
    }

    fn bin_op(&mut self, b: &ast::ExprBinOp, l: Loc) -> Expr {
        let left = self.expr(&b.left);
        let right = self.expr(&b.right);
        match b.op {
            ast::Operator::Add => {
                let left_is_add =
                    matches!(&*b.left, ast::Expr::BinOp(inner) if inner.op == ast::Operator::Add);
                let mut parts = match left {
                    Expr::Concat(parts, _) if left_is_add => parts,
                    other => vec![other],
                };
                parts.push(right);
                Expr::Concat(parts, l)
            }
            ast::Operator::Mod
                if matches!(
                    &*b.left,
                    ast::Expr::StringLiteral(_)
                        | ast::Expr::FString(_)
                        | ast::Expr::BytesLiteral(_)
                ) =>
            {
                Expr::Concat(vec![left, right], l)
            }
            // `Path(root) / name`: pathlib joins with a separator. Read as the text it makes
            // (a number divided is no text any sink reads), so the path keeps its pieces:
            // the root it starts from and the place it names (`Path.home() / ".ssh"`).
            ast::Operator::Div => {
                let at = Loc::new(left.loc().end, right.loc().start);
                Expr::Concat(vec![left, Expr::Str("/".into(), at), right], l)
            }
            _ => Expr::Unknown(vec![left, right], l),
        }
    }

    fn compare(&mut self, c: &ast::ExprCompare, l: Loc) -> Expr {
        let mut left = self.expr(&c.left);
        let single = c.ops.len() == 1;
        let mut pairs = Vec::with_capacity(c.ops.len());
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            let right = self.expr(right);
            let at = if single {
                l
            } else {
                Loc::new(left.loc().start, right.loc().end)
            };
            pairs.push(Expr::Compare {
                op: cmp_op(*op).to_string(),
                left: Box::new(left),
                right: Box::new(right.clone()),
                loc: at,
            });
            left = right;
        }
        match pairs.len() {
            0 => Expr::Unknown(vec![left], l),
            1 => pairs.pop().unwrap_or(Expr::Unknown(Vec::new(), l)),
            _ => Expr::And(pairs, l),
        }
    }

    /// `Array([elements…])`; the loop variables are bound (hoisted before the
    /// statement) to `Iter(iterable)` and the `if` filters are hoisted as expression statements,
    /// so calls in them stay visible without the filter flowing into the result.
    fn comprehension(
        &mut self,
        generators: &[ast::Comprehension],
        elements: &[&ast::Expr],
        l: Loc,
    ) -> Expr {
        let mut children = Vec::new();
        for g in generators {
            let iter = self.expr(&g.iter);
            let mut hoisted = Vec::new();
            let iter = self.simple_or_temp(iter, &mut hoisted);
            self.bind_iter(&g.target, &iter, &mut hoisted);
            self.pending.extend(hoisted);
            for cond in &g.ifs {
                let c = self.expr(cond);
                self.pending.push(Stmt::Expr(c));
            }
        }
        // The result holds the elements; the iterables reach them through the loop variables
        // bound above (so `quote(t) for t in titles` is encoded text, not raw titles).
        for e in elements {
            children.push(self.expr(e));
        }
        Expr::Array(children, l)
    }

    fn lambda(&mut self, lam: &ast::ExprLambda, l: Loc) -> Expr {
        let params = match lam.parameters.as_deref() {
            Some(p) => self.params(p),
            None => Vec::new(),
        };
        let id = self.module.functions.len();
        let mut func = Function::new("", l);
        func.params = params;
        func.parent = Some(self.func);
        self.module.functions.push(func);

        let saved_func = std::mem::replace(&mut self.func, id);
        let saved_class = self.class.take();
        let saved_pending = std::mem::take(&mut self.pending);
        let value = self.expr(&lam.body);
        let mut body = std::mem::replace(&mut self.pending, saved_pending);
        body.push(Stmt::Return(Some(value), loc(lam.body.range())));
        self.func = saved_func;
        self.class = saved_class;
        if let Some(func) = self.module.functions.get_mut(id) {
            func.body = body;
        }
        Expr::Func(id, l)
    }
}

/// `import a.b` binds `a`; `import a.b as c` binds `c` to the whole dotted module.
fn lower_import(i: &ast::StmtImport, out: &mut Vec<Stmt>) {
    for alias in &i.names {
        let full = alias.name.as_str();
        let at = loc(alias.range);
        let (bound, module) = match &alias.asname {
            Some(asname) => (asname.to_string(), full.to_string()),
            None => {
                let first = full.split('.').next().unwrap_or(full).to_string();
                (first.clone(), first)
            }
        };
        out.push(Stmt::Let {
            name: bound,
            value: Expr::Import {
                module,
                name: None,
                loc: at,
            },
            loc: at,
        });
    }
}

/// `from x.y import z as w`; relative modules keep their leading dots; `*` binds nothing.
fn lower_import_from(i: &ast::StmtImportFrom, out: &mut Vec<Stmt>) {
    let mut module = ".".repeat(i.level as usize);
    if let Some(m) = &i.module {
        module.push_str(m.as_str());
    }
    for alias in &i.names {
        let name = alias.name.as_str();
        if name == "*" {
            continue;
        }
        let at = loc(alias.range);
        let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
        out.push(Stmt::Let {
            name: bound.to_string(),
            value: Expr::Import {
                module: module.clone(),
                name: Some(name.to_string()),
                loc: at,
            },
            loc: at,
        });
    }
}

fn bytes_literal(b: &ast::ExprBytesLiteral, l: Loc) -> Expr {
    let bytes: Vec<u8> = b.value.bytes().collect();
    Expr::Str(String::from_utf8_lossy(&bytes).into_owned(), l)
}

/// The elements of a tuple/list display without starred entries.
fn unstarred_elts(e: &ast::Expr) -> Option<&[ast::Expr]> {
    let elts = match e {
        ast::Expr::Tuple(t) => &t.elts,
        ast::Expr::List(l) => &l.elts,
        _ => return None,
    };
    if elts.iter().any(|e| matches!(e, ast::Expr::Starred(_))) {
        return None;
    }
    Some(elts)
}

// -------------------------------------------------------------------- iterative drop

/// A node of the parsed tree waiting to be taken apart.
enum Node {
    Stmt(ast::Stmt),
    Expr(ast::Expr),
    Pattern(ast::Pattern),
    Elements(ast::InterpolatedStringElements),
}

/// Drops a parsed tree without recursion. ruff's parser grows its stack to build arbitrarily deep
/// trees, but the derived `Drop` of those trees recurses once per level and would overflow on
/// hostile input (`[[[[…]]]]` a million deep), so every node's children are moved to a work list
/// and each node is dropped only once it is shallow.
fn dismantle(suite: ast::Suite) {
    let mut work: Vec<Node> = suite.into_iter().map(Node::Stmt).collect();
    while let Some(node) = work.pop() {
        match node {
            Node::Stmt(s) => stmt_children(s, &mut work),
            Node::Expr(e) => expr_children(e, &mut work),
            Node::Pattern(p) => pattern_children(p, &mut work),
            Node::Elements(mut elements) => {
                for el in elements.iter_mut() {
                    if let ast::InterpolatedStringElement::Interpolation(i) = el {
                        let placeholder = ast::Expr::NoneLiteral(ast::ExprNoneLiteral::default());
                        work.push(Node::Expr(std::mem::replace(
                            &mut *i.expression,
                            placeholder,
                        )));
                        if let Some(spec) = i.format_spec.take() {
                            work.push(Node::Elements(spec.elements));
                        }
                    }
                }
            }
        }
    }
}

fn push_stmts(stmts: impl IntoIterator<Item = ast::Stmt>, work: &mut Vec<Node>) {
    work.extend(stmts.into_iter().map(Node::Stmt));
}

fn push_exprs(exprs: impl IntoIterator<Item = ast::Expr>, work: &mut Vec<Node>) {
    work.extend(exprs.into_iter().map(Node::Expr));
}

fn push_boxed(expr: Option<Box<ast::Expr>>, work: &mut Vec<Node>) {
    if let Some(e) = expr {
        work.push(Node::Expr(*e));
    }
}

fn parameters_children(p: ast::Parameters, work: &mut Vec<Node>) {
    let ast::Parameters {
        posonlyargs,
        args,
        vararg,
        kwonlyargs,
        kwarg,
        ..
    } = p;
    for pd in posonlyargs.into_iter().chain(args).chain(kwonlyargs) {
        push_boxed(pd.parameter.annotation, work);
        push_boxed(pd.default, work);
    }
    for v in [vararg, kwarg].into_iter().flatten() {
        push_boxed(v.annotation, work);
    }
}

fn type_params_children(tp: Option<Box<ast::TypeParams>>, work: &mut Vec<Node>) {
    for t in tp.into_iter().flat_map(|tp| tp.type_params) {
        match t {
            ast::TypeParam::TypeVar(v) => {
                push_boxed(v.bound, work);
                push_boxed(v.default, work);
            }
            ast::TypeParam::TypeVarTuple(v) => push_boxed(v.default, work),
            ast::TypeParam::ParamSpec(v) => push_boxed(v.default, work),
        }
    }
}

fn arguments_children(a: ast::Arguments, work: &mut Vec<Node>) {
    push_exprs(a.args.into_vec(), work);
    push_exprs(a.keywords.into_iter().map(|k| k.value), work);
}

fn stmt_children(s: ast::Stmt, work: &mut Vec<Node>) {
    match s {
        ast::Stmt::FunctionDef(f) => {
            push_exprs(f.decorator_list.into_iter().map(|d| d.expression), work);
            type_params_children(f.type_params, work);
            parameters_children(*f.parameters, work);
            push_boxed(f.returns, work);
            push_stmts(f.body, work);
        }
        ast::Stmt::ClassDef(c) => {
            push_exprs(c.decorator_list.into_iter().map(|d| d.expression), work);
            type_params_children(c.type_params, work);
            if let Some(a) = c.arguments {
                arguments_children(*a, work);
            }
            push_stmts(c.body, work);
        }
        ast::Stmt::Return(r) => push_boxed(r.value, work),
        ast::Stmt::Delete(d) => push_exprs(d.targets, work),
        ast::Stmt::TypeAlias(t) => {
            work.push(Node::Expr(*t.name));
            type_params_children(t.type_params, work);
            work.push(Node::Expr(*t.value));
        }
        ast::Stmt::Assign(a) => {
            push_exprs(a.targets, work);
            work.push(Node::Expr(*a.value));
        }
        ast::Stmt::AugAssign(a) => {
            work.push(Node::Expr(*a.target));
            work.push(Node::Expr(*a.value));
        }
        ast::Stmt::AnnAssign(a) => {
            work.push(Node::Expr(*a.target));
            work.push(Node::Expr(*a.annotation));
            push_boxed(a.value, work);
        }
        ast::Stmt::For(f) => {
            work.push(Node::Expr(*f.target));
            work.push(Node::Expr(*f.iter));
            push_stmts(f.body, work);
            push_stmts(f.orelse, work);
        }
        ast::Stmt::While(w) => {
            work.push(Node::Expr(*w.test));
            push_stmts(w.body, work);
            push_stmts(w.orelse, work);
        }
        ast::Stmt::If(i) => {
            work.push(Node::Expr(*i.test));
            push_stmts(i.body, work);
            for clause in i.elif_else_clauses {
                push_exprs(clause.test, work);
                push_stmts(clause.body, work);
            }
        }
        ast::Stmt::With(w) => {
            for item in w.items {
                work.push(Node::Expr(item.context_expr));
                push_boxed(item.optional_vars, work);
            }
            push_stmts(w.body, work);
        }
        ast::Stmt::Match(m) => {
            work.push(Node::Expr(*m.subject));
            for case in m.cases {
                work.push(Node::Pattern(case.pattern));
                push_boxed(case.guard, work);
                push_stmts(case.body, work);
            }
        }
        ast::Stmt::Raise(r) => {
            push_boxed(r.exc, work);
            push_boxed(r.cause, work);
        }
        ast::Stmt::Try(t) => {
            push_stmts(t.body, work);
            for h in t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                push_boxed(h.type_, work);
                push_stmts(h.body, work);
            }
            push_stmts(t.orelse, work);
            push_stmts(t.finalbody, work);
        }
        ast::Stmt::Assert(a) => {
            work.push(Node::Expr(*a.test));
            push_boxed(a.msg, work);
        }
        ast::Stmt::Expr(e) => work.push(Node::Expr(*e.value)),
        ast::Stmt::Import(_)
        | ast::Stmt::ImportFrom(_)
        | ast::Stmt::Global(_)
        | ast::Stmt::Nonlocal(_)
        | ast::Stmt::Pass(_)
        | ast::Stmt::Break(_)
        | ast::Stmt::Continue(_)
        | ast::Stmt::IpyEscapeCommand(_) => {}
    }
}

fn comprehension_children(generators: Vec<ast::Comprehension>, work: &mut Vec<Node>) {
    for g in generators {
        work.push(Node::Expr(g.target));
        work.push(Node::Expr(g.iter));
        push_exprs(g.ifs, work);
    }
}

fn expr_children(e: ast::Expr, work: &mut Vec<Node>) {
    match e {
        ast::Expr::BoolOp(b) => push_exprs(b.values, work),
        ast::Expr::Named(n) => {
            work.push(Node::Expr(*n.target));
            work.push(Node::Expr(*n.value));
        }
        ast::Expr::BinOp(b) => {
            work.push(Node::Expr(*b.left));
            work.push(Node::Expr(*b.right));
        }
        ast::Expr::UnaryOp(u) => work.push(Node::Expr(*u.operand)),
        ast::Expr::Lambda(l) => {
            if let Some(p) = l.parameters {
                parameters_children(*p, work);
            }
            work.push(Node::Expr(*l.body));
        }
        ast::Expr::If(i) => {
            work.push(Node::Expr(*i.test));
            work.push(Node::Expr(*i.body));
            work.push(Node::Expr(*i.orelse));
        }
        ast::Expr::Dict(d) => {
            for item in d.items {
                push_exprs(item.key, work);
                work.push(Node::Expr(item.value));
            }
        }
        ast::Expr::Set(s) => push_exprs(s.elts, work),
        ast::Expr::ListComp(c) => {
            work.push(Node::Expr(*c.elt));
            comprehension_children(c.generators, work);
        }
        ast::Expr::SetComp(c) => {
            work.push(Node::Expr(*c.elt));
            comprehension_children(c.generators, work);
        }
        ast::Expr::Generator(c) => {
            work.push(Node::Expr(*c.elt));
            comprehension_children(c.generators, work);
        }
        ast::Expr::DictComp(c) => {
            push_boxed(c.key, work);
            work.push(Node::Expr(*c.value));
            comprehension_children(c.generators, work);
        }
        ast::Expr::Await(a) => work.push(Node::Expr(*a.value)),
        ast::Expr::Yield(y) => push_boxed(y.value, work),
        ast::Expr::YieldFrom(y) => work.push(Node::Expr(*y.value)),
        ast::Expr::Compare(c) => {
            work.push(Node::Expr(*c.left));
            push_exprs(c.comparators.into_vec(), work);
        }
        ast::Expr::Call(c) => {
            work.push(Node::Expr(*c.func));
            arguments_children(c.arguments, work);
        }
        ast::Expr::FString(mut f) => {
            for part in f.value.iter_mut() {
                if let ast::FStringPart::FString(fs) = part {
                    work.push(Node::Elements(std::mem::take(&mut fs.elements)));
                }
            }
        }
        ast::Expr::TString(mut t) => {
            for ts in t.value.iter_mut() {
                work.push(Node::Elements(std::mem::take(&mut ts.elements)));
            }
        }
        ast::Expr::Attribute(a) => work.push(Node::Expr(*a.value)),
        ast::Expr::Subscript(s) => {
            work.push(Node::Expr(*s.value));
            work.push(Node::Expr(*s.slice));
        }
        ast::Expr::Starred(s) => work.push(Node::Expr(*s.value)),
        ast::Expr::List(l) => push_exprs(l.elts, work),
        ast::Expr::Tuple(t) => push_exprs(t.elts, work),
        ast::Expr::Slice(s) => {
            push_boxed(s.lower, work);
            push_boxed(s.upper, work);
            push_boxed(s.step, work);
        }
        ast::Expr::StringLiteral(_)
        | ast::Expr::BytesLiteral(_)
        | ast::Expr::NumberLiteral(_)
        | ast::Expr::BooleanLiteral(_)
        | ast::Expr::NoneLiteral(_)
        | ast::Expr::EllipsisLiteral(_)
        | ast::Expr::Name(_)
        | ast::Expr::IpyEscapeCommand(_) => {}
    }
}

fn pattern_children(p: ast::Pattern, work: &mut Vec<Node>) {
    match p {
        ast::Pattern::MatchValue(v) => work.push(Node::Expr(*v.value)),
        ast::Pattern::MatchSequence(s) => work.extend(s.patterns.into_iter().map(Node::Pattern)),
        ast::Pattern::MatchMapping(m) => {
            push_exprs(m.keys, work);
            work.extend(m.patterns.into_iter().map(Node::Pattern));
        }
        ast::Pattern::MatchClass(c) => {
            work.push(Node::Expr(*c.cls));
            work.extend(c.arguments.patterns.into_iter().map(Node::Pattern));
            work.extend(
                c.arguments
                    .keywords
                    .into_iter()
                    .map(|k| Node::Pattern(k.pattern)),
            );
        }
        ast::Pattern::MatchAs(a) => {
            if let Some(inner) = a.pattern {
                work.push(Node::Pattern(*inner));
            }
        }
        ast::Pattern::MatchOr(o) => work.extend(o.patterns.into_iter().map(Node::Pattern)),
        ast::Pattern::MatchSingleton(_) | ast::Pattern::MatchStar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compact text form of an expression, for assertions.
    fn ex(e: &Expr) -> String {
        let list = |es: &[Expr]| es.iter().map(ex).collect::<Vec<_>>().join(", ");
        match e {
            Expr::Str(s, _) => format!("{s:?}"),
            Expr::Lit(_) => "lit".to_string(),
            Expr::Regex(r, _) => format!("/{r}/"),
            Expr::Name(n, _) => n.clone(),
            Expr::Member(o, p, _) => format!("{}.{p}", ex(o)),
            Expr::Index(o, i, _) => format!("{}[{}]", ex(o), ex(i)),
            Expr::Call(c) => {
                let args: Vec<String> = c
                    .args
                    .iter()
                    .map(|a| match &a.name {
                        Some(n) => format!("{n}={}", ex(&a.value)),
                        None => ex(&a.value),
                    })
                    .collect();
                format!(
                    "{}{}({})",
                    if c.new { "new " } else { "" },
                    ex(&c.callee),
                    args.join(", ")
                )
            }
            Expr::Concat(p, _) => format!("concat({})", list(p)),
            Expr::Compare {
                op, left, right, ..
            } => format!("({} {op} {})", ex(left), ex(right)),
            Expr::Not(x, _) => format!("not {}", ex(x)),
            Expr::And(p, _) => format!("and({})", list(p)),
            Expr::Or(p, _) => format!("or({})", list(p)),
            Expr::Cond(t, a, b, _) => format!("cond({}, {}, {})", ex(t), ex(a), ex(b)),
            Expr::Array(p, _) => format!("[{}]", list(p)),
            Expr::Object(entries, _) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| match k {
                        Some(k) => format!("{k:?}: {}", ex(v)),
                        None => format!("**{}", ex(v)),
                    })
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Expr::Func(id, _) => format!("func#{id}"),
            Expr::Import { module, name, .. } => match name {
                Some(n) => format!("import({module}, {n})"),
                None => format!("import({module})"),
            },
            Expr::Spread(x, _) => format!("*{}", ex(x)),
            Expr::Iter(x, _) => format!("iter({})", ex(x)),
            Expr::This(_) => "this".to_string(),
            Expr::Unknown(p, _) => format!("?({})", list(p)),
        }
    }

    fn block(stmts: &[Stmt], indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        for s in stmts {
            match s {
                Stmt::Let { name, value, .. } => {
                    out.push_str(&format!("{pad}let {name} = {}\n", ex(value)))
                }
                Stmt::Store { target, value, .. } => {
                    out.push_str(&format!("{pad}store {} = {}\n", ex(target), ex(value)))
                }
                Stmt::Expr(e) => out.push_str(&format!("{pad}expr {}\n", ex(e))),
                Stmt::Return(e, _) => match e {
                    Some(e) => out.push_str(&format!("{pad}return {}\n", ex(e))),
                    None => out.push_str(&format!("{pad}return\n")),
                },
                Stmt::Throw(e, _) => match e {
                    Some(e) => out.push_str(&format!("{pad}throw {}\n", ex(e))),
                    None => out.push_str(&format!("{pad}throw\n")),
                },
                Stmt::Jump(_) => out.push_str(&format!("{pad}jump\n")),
                Stmt::If {
                    cond, then, els, ..
                } => {
                    out.push_str(&format!("{pad}if {}:\n", ex(cond)));
                    block(then, indent + 1, out);
                    if !els.is_empty() {
                        out.push_str(&format!("{pad}else:\n"));
                        block(els, indent + 1, out);
                    }
                }
                Stmt::Loop { body, .. } => {
                    out.push_str(&format!("{pad}loop:\n"));
                    block(body, indent + 1, out);
                }
                Stmt::Try {
                    body,
                    handlers,
                    finally,
                    ..
                } => {
                    out.push_str(&format!("{pad}try:\n"));
                    block(body, indent + 1, out);
                    for h in handlers {
                        let types: Vec<String> = h.types.iter().map(ex).collect();
                        let name = h
                            .name
                            .as_deref()
                            .map(|n| format!(" as {n}"))
                            .unwrap_or_default();
                        out.push_str(&format!("{pad}except ({}){name}:\n", types.join(", ")));
                        block(&h.body, indent + 1, out);
                    }
                    if !finally.is_empty() {
                        out.push_str(&format!("{pad}finally:\n"));
                        block(finally, indent + 1, out);
                    }
                }
            }
        }
    }

    fn show(stmts: &[Stmt]) -> String {
        let mut out = String::new();
        block(stmts, 0, &mut out);
        out
    }

    fn top(m: &Module) -> String {
        show(&m.functions[0].body)
    }

    fn func<'m>(m: &'m Module, name: &str) -> &'m Function {
        m.functions
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no function {name}"))
    }

    fn lower(src: &str) -> Module {
        let m = lower_python("t.py", src);
        assert_eq!(m.syntax_errors, 0, "unexpected syntax errors in {src}");
        m
    }

    #[test]
    fn imports_bind_their_aliases() {
        let m = lower(
            "\"\"\"Server.\"\"\"\nimport os\nimport os.path\nimport a.b as c\nfrom subprocess import run as r\n\
             from subprocess import Popen\nfrom .tools import f\nfrom . import g\nfrom ..x.y import z\n\
             from star import *\n",
        );
        assert_eq!(m.functions[0].doc.as_deref(), Some("Server."));
        assert_eq!(
            top(&m),
            "expr \"Server.\"\n\
             let os = import(os)\n\
             let os = import(os)\n\
             let c = import(a.b)\n\
             let r = import(subprocess, run)\n\
             let Popen = import(subprocess, Popen)\n\
             let f = import(.tools, f)\n\
             let g = import(., g)\n\
             let z = import(..x.y, z)\n"
        );
        assert_eq!(m.functions.len(), 1);
    }

    #[test]
    fn fastmcp_tool_with_docstring_and_annotated_params() {
        let src = r#"
import subprocess
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")

@mcp.tool()
async def run_command(cmd: str, cwd: str | None = None, *extra: str, timeout: int = 10, **kw) -> str:
    """Run a shell command.

    Returns its output."""
    result = subprocess.run(cmd, shell=True, cwd=cwd, capture_output=True, *extra, **kw)
    return result.stdout
"#;
        let m = lower(src);
        let f = func(&m, "run_command");
        assert_eq!(
            f.doc.as_deref(),
            Some("Run a shell command.\n\n    Returns its output.")
        );
        assert_eq!(f.parent, Some(0));
        assert_eq!(f.class, None);
        assert_eq!(f.decorators.len(), 1);
        assert_eq!(ex(&f.decorators[0]), "mcp.tool()");
        let params: Vec<(&str, Option<&str>, bool, bool)> = f
            .params
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.annotation.as_deref(),
                    p.default.is_some(),
                    p.rest,
                )
            })
            .collect();
        assert_eq!(
            params,
            vec![
                ("cmd", Some("str"), false, false),
                ("cwd", Some("str | None"), true, false),
                ("extra", Some("str"), false, true),
                ("timeout", Some("int"), true, false),
                ("kw", None, false, true),
            ]
        );
        assert_eq!(
            show(&f.body),
            "let result = subprocess.run(cmd, shell=lit, cwd=cwd, capture_output=lit, *extra, *kw)\n\
             return result.stdout\n"
        );
        let id = m
            .functions
            .iter()
            .position(|g| g.name == "run_command")
            .unwrap();
        assert!(
            top(&m).ends_with(&format!("let run_command = func#{id}\n")),
            "{}",
            top(&m)
        );
        // Locations are byte ranges of the source.
        let text = &src[f.loc.start as usize..f.loc.end as usize];
        assert!(
            text.starts_with("@mcp.tool()") || text.starts_with("async def"),
            "{text}"
        );
        assert!(text.ends_with("return result.stdout"));
    }

    #[test]
    fn keyword_arguments_are_named() {
        let m = lower("import subprocess\nsubprocess.run(cmd, shell=True)\n");
        let Stmt::Expr(Expr::Call(call)) = &m.functions[0].body[1] else {
            panic!("{}", top(&m));
        };
        assert_eq!(call.callee.dotted().as_deref(), Some("subprocess.run"));
        assert_eq!(call.args.len(), 2);
        assert!(call.args[0].name.is_none());
        assert_eq!(ex(&call.args[0].value), "cmd");
        assert_eq!(call.args[1].name.as_deref(), Some("shell"));
        assert!(matches!(call.args[1].value, Expr::Lit(_)));
    }

    #[test]
    fn low_level_server_match_dispatch() {
        let src = r#"
@server.call_tool()
async def handle_call_tool(name: str, arguments: dict) -> list:
    match name:
        case "run":
            return run(arguments["cmd"])
        case "read" | "cat":
            path = arguments.get("path")
        case {"op": op}:
            use(op)
        case _:
            raise ValueError(f"unknown tool {name}")
"#;
        let m = lower(src);
        let f = func(&m, "handle_call_tool");
        assert_eq!(ex(&f.decorators[0]), "server.call_tool()");
        assert_eq!(
            show(&f.body),
            r#"if (name == "run"):
  return run(arguments["cmd"])
else:
  if or((name == "read"), (name == "cat")):
    let path = arguments.get("path")
  else:
    if (name == ?()):
      let op = name["op"]
      expr use(op)
    else:
      if (name == ?()):
        throw ValueError(concat("unknown tool ", name))
"#
        );
    }

    #[test]
    fn string_building() {
        let m = lower(
            "a = f\"ls {path} -la\"\nb = \"echo %s\" % x\nc = \"x\" \"y\"\nd = p + \"/\" + q\n\
             e = f\"plain\"\nf2 = n * 2\ng = b\"raw\"\nh = f\"{x!r:>{w}}\" f\"!\"\na += s\n",
        );
        assert_eq!(
            top(&m),
            "let a = concat(\"ls \", path, \" -la\")\n\
             let b = concat(\"echo %s\", x)\n\
             let c = \"xy\"\n\
             let d = concat(p, \"/\", q)\n\
             let e = \"plain\"\n\
             let f2 = ?(n, lit)\n\
             let g = \"raw\"\n\
             let h = concat(x, \"!\")\n\
             let a = concat(a, s)\n"
        );
    }

    #[test]
    fn expressions() {
        let m = lower(
            "a = x.y[0]\nb = not x\nc = x and y or z\nd = 1 < x <= 3\ne = x not in y\n\
             f = p if q else r\ng = {\"k\": v, **rest, k2: w}\nh = [1, *xs]\ni = lambda q: q.strip()\n\
             j = await g(x)\nk = (x, y)\nl = -x\n",
        );
        assert_eq!(
            top(&m),
            "let a = x.y[lit]\n\
             let b = not x\n\
             let c = or(and(x, y), z)\n\
             let d = and((lit < x), (x <= lit))\n\
             let e = (x not in y)\n\
             let f = cond(q, p, r)\n\
             let g = {\"k\": v, **rest, \"\": w}\n\
             let h = [lit, *xs]\n\
             let i = func#1\n\
             let j = g(x)\n\
             let k = [x, y]\n\
             let l = ?(x)\n"
        );
        let lam = &m.functions[1];
        assert_eq!(lam.name, "");
        assert_eq!(lam.parent, Some(0));
        assert_eq!(lam.params[0].name, "q");
        assert_eq!(show(&lam.body), "return q.strip()\n");
    }

    #[test]
    fn assignments_and_destructuring() {
        let m = lower(
            "a = b = f()\nx, y = pair\ncmd, cwd = args[\"cmd\"], \"/tmp\"\n(p, (q, *r)) = g()\n\
             self.x = v\nd[k] = v\nn: int = 3\nm: str\nself.total += x\n",
        );
        assert_eq!(
            top(&m),
            "let a = f()\n\
             let b = a\n\
             let x = pair[\"0\"]\n\
             let y = pair[\"1\"]\n\
             let $t0 = args[\"cmd\"]\n\
             let cmd = $t0\n\
             let cwd = \"/tmp\"\n\
             let $t1 = g()\n\
             let p = $t1[\"0\"]\n\
             let $t2 = $t1[\"1\"]\n\
             let q = $t2[\"0\"]\n\
             let r = $t2[lit]\n\
             store self.x = v\n\
             store d[k] = v\n\
             let n = lit\n\
             store self.total = concat(self.total, x)\n"
        );
    }

    #[test]
    fn control_flow() {
        let m = lower(
            "if a:\n    x()\nelif b:\n    y()\nelse:\n    z()\n\
             while (line := read()):\n    use(line)\n    break\nelse:\n    done()\n\
             with open(p) as fh, lock:\n    data = fh.read()\n\
             assert ok, \"msg\"\nraise\n",
        );
        assert_eq!(
            top(&m),
            "if a:\n  expr x()\nelse:\n  if b:\n    expr y()\n  else:\n    expr z()\n\
             loop:\n  let line = read()\n  expr line\n  expr use(line)\n  jump\n\
             expr done()\n\
             let fh = open(p)\n\
             expr lock\n\
             let data = fh.read()\n\
             if not ok:\n  throw\n\
             throw\n"
        );
    }

    #[test]
    fn try_except_with_names() {
        let src = "try:\n    x = f()\nexcept (OSError, ValueError) as e:\n    log(e)\n\
                   except Exception:\n    pass\nexcept:\n    raise Err(\"x\") from None\n\
                   else:\n    y = 1\nfinally:\n    z = 2\n";
        let m = lower(src);
        assert_eq!(
            top(&m),
            "try:\n  let x = f()\n  let y = lit\n\
             except (OSError, ValueError) as e:\n  expr log(e)\n\
             except (Exception):\n\
             except ():\n  throw Err(\"x\")\n\
             finally:\n  let z = lit\n"
        );
        let Stmt::Try { handlers, .. } = &m.functions[0].body[0] else {
            panic!()
        };
        let h = &handlers[0];
        assert_eq!(
            &src[h.loc.start as usize..h.loc.end as usize],
            "except (OSError, ValueError) as e"
        );
        assert_eq!(
            &src[handlers[2].loc.start as usize..handlers[2].loc.end as usize],
            "except"
        );
    }

    #[test]
    fn for_loop_targets() {
        let m = lower(
            "for item in items:\n    use(item)\nfor k, v in d.items():\n    use(k, v)\n\
             for a, b in pairs:\n    pass\nelse:\n    fin()\n",
        );
        assert_eq!(
            top(&m),
            "loop:\n  let item = iter(items)\n  expr use(item)\n\
             let $t0 = d.items()\n\
             loop:\n  let k = iter($t0)[\"0\"]\n  let v = iter($t0)[\"1\"]\n  expr use(k, v)\n\
             loop:\n  let a = iter(pairs)[\"0\"]\n  let b = iter(pairs)[\"1\"]\n\
             expr fin()\n"
        );
    }

    #[test]
    fn comprehensions_bind_their_variables() {
        let m = lower("out = [run(c) for c in cmds if ok(c)]\nd = {k: v for k, v in f()}\n");
        assert_eq!(
            top(&m),
            "let c = iter(cmds)\n\
             expr ok(c)\n\
             let out = [run(c)]\n\
             let $t0 = f()\n\
             let k = iter($t0)[\"0\"]\n\
             let v = iter($t0)[\"1\"]\n\
             let d = [k, v]\n"
        );
    }

    #[test]
    fn classes_and_methods() {
        let src = r#"
class Tools(Base, mixins.Helper):
    """Doc."""
    prefix = "x"

    def run(self, cmd):
        def inner():
            return cmd
        return inner()

    @staticmethod
    def other():
        pass
"#;
        let m = lower(src);
        assert_eq!(m.classes.len(), 1);
        let c = &m.classes[0];
        assert_eq!(c.name, "Tools");
        assert_eq!(
            c.bases.iter().map(ex).collect::<Vec<_>>(),
            vec!["Base", "mixins.Helper"]
        );
        let run = m
            .functions
            .iter()
            .position(|f| f.name == "Tools.run")
            .unwrap();
        let other = m
            .functions
            .iter()
            .position(|f| f.name == "Tools.other")
            .unwrap();
        assert_eq!(c.methods, vec![run, other]);
        assert_eq!(m.functions[run].class.as_deref(), Some("Tools"));
        assert_eq!(m.functions[run].parent, Some(0));
        assert_eq!(m.functions[other].decorators.len(), 1);
        let inner = m.functions.iter().position(|f| f.name == "inner").unwrap();
        assert_eq!(m.functions[inner].parent, Some(run));
        assert_eq!(m.functions[inner].class, None);
        assert_eq!(
            top(&m),
            format!(
                "expr \"Doc.\"\nlet prefix = \"x\"\nlet Tools.run = func#{run}\n\
                 let Tools.other = func#{other}\nlet Tools = ?()\n"
            )
        );
        assert_eq!(
            show(&m.functions[run].body),
            format!("let inner = func#{inner}\nreturn inner()\n")
        );
    }

    #[test]
    fn syntax_error_keeps_functions_around_it() {
        let src = "def before(a):\n    return a\n\nx = 1 +\nprint(x y)\nif x\n    pass\n\
                   def after(b):\n    return os.system(b)\n";
        let m = lower_python("t.py", src);
        assert!(m.syntax_errors > 0);
        assert!(!m.parse_failed);

        assert_eq!(show(&func(&m, "before").body), "return a\n");
        assert_eq!(show(&func(&m, "after").body), "return os.system(b)\n");
    }

    #[test]
    fn garbage_does_not_panic() {
        for src in [
            "",
            "\u{feff}",
            "def",
            "class",
            "match",
            "lambda",
            "f(**)",
            "x = [",
            "@",
            "a, *b, *c = d",
            "for in x:",
            "with as x:",
            "try:\n",
            "except:",
            "def f(:",
            "(x := )",
            "f\"{",
            "\0\0\0",
            "match x:\n case {**r}: pass\n case C(a, b=c): pass\n case [1, *rest]: pass\n",
            "async with a as (b, c): pass",
            "del x",
            "global x",
            "type X = int",
            "print >> f, x",
            "x = yield",
            "é = 'ü'",
            "if x:\npass",
            "\tdef f():\n return 1",
        ] {
            let _ = lower_python("t.py", src);
        }
    }

    #[test]
    fn deep_nesting_does_not_crash() {
        let n = 5000;
        let cases = [
            format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)),
            format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n)),
            format!("x = {}1{}\n", "f(".repeat(n), ")".repeat(n)),
            format!("x = a{}\n", "[0]".repeat(n)),
            format!("x = a{}\n", ".b".repeat(n)),
            format!("x = {}1\n", "not ".repeat(n)),
            format!("x = {}1\n", "-".repeat(n)),
            format!("x = 1{}\n", " + a".repeat(n)),
            format!("x = {}1\n", "lambda: ".repeat(n)),
            format!("x = {}1{}\n", "{'k': ".repeat(n), "}".repeat(n)),
            format!("{} = 1\n", "(a, ".repeat(n) + "b" + &")".repeat(n)),
            format!("if a:\n    pass\n{}", "elif b:\n    run(x)\n".repeat(n)),
            {
                let mut s = String::new();
                for i in 0..300 {
                    s.push_str(&" ".repeat(i));
                    s.push_str("def f():\n");
                }
                s.push_str(&" ".repeat(300));
                s.push_str("pass\n");
                s
            },
        ];
        for src in &cases {
            let m = lower_python("t.py", src);
            assert!(!m.functions.is_empty());
        }
        // The long elif chain keeps every branch.
        let m = lower_python("t.py", &cases[11]);
        assert_eq!(show(&m.functions[0].body).matches("expr run(x)").count(), n);
    }

    fn nested_blocks(depth: usize) -> String {
        let heads = [
            "if x:",
            "for a, b in c():",
            "while (w := c):",
            "with d as e:",
            "def f(p=[1]):",
            "class C(B):",
            "async def g():",
            "try:",
        ];
        let mut s = String::new();
        for i in 0..depth {
            s.push_str(&" ".repeat(i));
            s.push_str(heads[i % heads.len()]);
            s.push('\n');
        }
        s.push_str(&" ".repeat(depth));
        s.push_str("run(f\"{x}\" + y)\n");
        s
    }

    /// Deep input within half the default thread stack, even unoptimised: lowering is bounded
    /// and the parsed tree is taken apart iteratively (dropping 300 000 nested lists recursively
    /// overflows 2 MiB).
    #[test]
    fn deep_nesting_fits_in_a_small_stack() {
        let cases = vec![
            format!("x = {}1{}\n", "[".repeat(300_000), "]".repeat(300_000)),
            format!("x = {}1{}\n", "f(a, k=".repeat(5000), ")".repeat(5000)),
            format!("x = {}1\n", "lambda q=1: ".repeat(5000)),
            format!("x = 1{}\n", " + a % b".repeat(5000)),
            format!("x = {}1{}\n", "(a < ".repeat(5000), ")".repeat(5000)),
            format!("x = {}1{}\n", "[y for y in ".repeat(3000), "]".repeat(3000)),
            format!("x = {}1{}\n", "f'{".repeat(2000), "}'".repeat(2000)),
            format!("{} = 1\n", "(a, ".repeat(3000) + "b" + &")".repeat(3000)),
            format!(
                "match x:\n case {}1{}:\n  pass\n",
                "[".repeat(3000),
                "]".repeat(3000)
            ),
            nested_blocks(400),
        ];
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                cases
                    .iter()
                    .map(|src| lower_python("t.py", src).functions.len())
                    .sum::<usize>()
            })
            .expect("spawn");
        assert!(handle.join().expect("no stack overflow") > 0);
    }
}
