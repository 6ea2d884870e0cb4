//! JavaScript and TypeScript front end: oxc's parser, lowered to [`crate::ir`].
//!
//! Handles what npm packages actually ship: `tsc` output (ESM and CommonJS with `exports.x =`),
//! bundler output with interop wrappers (`__toESM(require("x"))`, `(0, m.exec)(cmd)`), and
//! minified one-line bundles (every location is a byte offset, so columns survive).

use crate::ir::{
    Arg, Call, Class, Export, Expr, FuncId, Function, Handler, Loc, Module, Param, Stmt,
};
use oxc_allocator::Allocator;
use oxc_ast::ast::{self as js, Argument, BindingPattern, Expression, Statement};
use oxc_span::{GetSpan, SourceType, Span};

/// Nesting beyond this is lowered as an opaque value rather than recursed into.
const MAX_DEPTH: u32 = 400;

/// Bundler and transpiler interop helpers that return (a view of) their argument.
const INTEROP_WRAPPERS: &[&str] = &[
    "__toESM",
    "__toCommonJS",
    "__importDefault",
    "__importStar",
    "_interopRequireDefault",
    "_interopRequireWildcard",
    "__require",
    "_interop_require_default",
    "_interop_require_wildcard",
];

/// Parse and lower one JavaScript/TypeScript file. Never panics: a file the parser gives up on
/// is returned with `parse_failed` set and whatever was lowered.
pub fn lower_javascript(path: &str, text: &str) -> Module {
    let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::mjs());
    let allocator = Allocator::default();
    let options = oxc_parser::ParseOptions {
        allow_return_outside_function: true,
        ..oxc_parser::ParseOptions::default()
    };
    let mut ret = oxc_parser::Parser::new(&allocator, text, source_type)
        .with_options(options)
        .parse();
    if ret.panicked && !source_type.is_typescript() {
        // Scripts that are not valid modules (legacy `with`, octal literals…) parse as CommonJS.
        let retry = oxc_parser::Parser::new(&allocator, text, SourceType::cjs())
            .with_options(options)
            .parse();
        if !retry.panicked {
            ret = retry;
        }
    }
    let mut lower = Lower::new(path, text);
    lower.module.syntax_errors = ret.diagnostics.len();
    lower.module.parse_failed = ret.panicked;
    let mut top = Function::new("", loc(ret.program.span));
    lower.module.functions.push(top.clone());
    top.body = lower.block(&ret.program.body);
    lower.module.functions[0].body = top.body;
    lower.module
}

fn loc(span: Span) -> Loc {
    Loc::new(span.start, span.end)
}

struct Lower<'t> {
    text: &'t str,
    module: Module,
    current: FuncId,
    class: Option<String>,
    tmp: usize,
    depth: u32,
    /// Statements produced while lowering an expression (assignments inside expressions),
    /// flushed before the statement that contains them.
    pending: Vec<Stmt>,
    /// `X.prototype` while lowering the object literal assigned to it: its functions are the
    /// methods `X.prototype.key`.
    prototype_of: Option<String>,
}

impl<'t> Lower<'t> {
    fn new(path: &str, text: &'t str) -> Self {
        Self {
            text,
            module: Module::new(path),
            current: 0,
            class: None,
            tmp: 0,
            depth: 0,
            pending: Vec::new(),
            prototype_of: None,
        }
    }

    fn fresh(&mut self) -> String {
        self.tmp += 1;
        format!("$t{}", self.tmp)
    }

    fn slice(&self, span: Span) -> &'t str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    // ---------------------------------------------------------------- statements

    fn block(&mut self, stmts: &[Statement<'_>]) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in stmts {
            self.stmt(s, &mut out);
        }
        out
    }

    fn sub_block(&mut self, s: &Statement<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        self.stmt(s, &mut out);
        out
    }

    fn flush(&mut self, out: &mut Vec<Stmt>) {
        out.append(&mut self.pending);
    }

    fn stmt(&mut self, s: &Statement<'_>, out: &mut Vec<Stmt>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.stmt_inner(s, out);
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, s: &Statement<'_>, out: &mut Vec<Stmt>) {
        match s {
            Statement::BlockStatement(b) => {
                for s in &b.body {
                    self.stmt(s, out);
                }
            }
            Statement::ExpressionStatement(e) => self.expr_stmt(&e.expression, out),
            Statement::VariableDeclaration(d) => self.var_decl(d, out),
            Statement::FunctionDeclaration(f) => {
                let name =
                    f.id.as_ref()
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                let id = self.function(f, &name);
                out.push(Stmt::Let {
                    name,
                    value: Expr::Func(id, loc(f.span)),
                    loc: loc(f.span),
                });
            }
            Statement::ClassDeclaration(c) => {
                let name =
                    c.id.as_ref()
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                self.class(c, &name, out);
            }
            Statement::IfStatement(i) => {
                let cond = self.expr(&i.test);
                self.flush(out);
                let then = self.sub_block(&i.consequent);
                let els = i
                    .alternate
                    .as_ref()
                    .map(|a| self.sub_block(a))
                    .unwrap_or_default();
                out.push(Stmt::If {
                    cond,
                    then,
                    els,
                    loc: loc(i.span),
                });
            }
            Statement::SwitchStatement(sw) => {
                let disc = self.expr(&sw.discriminant);
                self.flush(out);
                // Lowered as an if-chain from the last case backwards; fall-through is ignored.
                let mut chain: Vec<Stmt> = Vec::new();
                let mut default: Vec<Stmt> = Vec::new();
                let mut cases: Vec<(Expr, Vec<Stmt>, Loc)> = Vec::new();
                for case in &sw.cases {
                    // A `break` ending a case leaves the switch, not the function: the code
                    // after the switch runs (read as a jump, it would end every branch). Also
                    // at the end of the case's braces (`case "x": { …; break; }`).
                    let stmts: &[Statement<'_>] = &case.consequent;
                    let body = match stmts.split_last() {
                        Some((Statement::BreakStatement(b), rest)) if b.label.is_none() => {
                            self.block(rest)
                        }
                        Some((Statement::BlockStatement(inner), rest)) => {
                            match inner.body.split_last() {
                                Some((Statement::BreakStatement(b), inner_rest))
                                    if b.label.is_none() =>
                                {
                                    let mut body = self.block(rest);
                                    body.extend(self.block(inner_rest));
                                    body
                                }
                                _ => self.block(stmts),
                            }
                        }
                        _ => self.block(stmts),
                    };
                    match &case.test {
                        Some(t) => {
                            let test = self.expr(t);
                            cases.push((test, body, loc(case.span)));
                        }
                        None => default = body,
                    }
                }
                chain.append(&mut default);
                for (test, body, l) in cases.into_iter().rev() {
                    let cond = Expr::Compare {
                        op: "===".into(),
                        left: Box::new(disc.clone()),
                        right: Box::new(test),
                        loc: l,
                    };
                    chain = vec![Stmt::If {
                        cond,
                        then: body,
                        els: chain,
                        loc: l,
                    }];
                }
                self.flush(out);
                out.extend(chain);
            }
            Statement::ForStatement(f) => {
                let mut body = Vec::new();
                if let Some(init) = &f.init {
                    match init {
                        js::ForStatementInit::VariableDeclaration(d) => self.var_decl(d, out),
                        other => {
                            if let Some(e) = other.as_expression() {
                                self.expr_stmt(e, out);
                            }
                        }
                    }
                }
                if let Some(t) = &f.test {
                    let t = self.expr(t);
                    self.flush(&mut body);
                    body.push(Stmt::Expr(t));
                }
                self.stmt(&f.body, &mut body);
                if let Some(u) = &f.update {
                    self.expr_stmt(u, &mut body);
                }
                out.push(Stmt::Loop {
                    body,
                    loc: loc(f.span),
                });
            }
            Statement::ForInStatement(f) => {
                self.for_each(&f.left, &f.right, &f.body, f.span, out);
            }
            Statement::ForOfStatement(f) => {
                self.for_each(&f.left, &f.right, &f.body, f.span, out);
            }
            Statement::WhileStatement(w) => {
                let mut body = Vec::new();
                let t = self.expr(&w.test);
                self.flush(&mut body);
                body.push(Stmt::Expr(t));
                self.stmt(&w.body, &mut body);
                out.push(Stmt::Loop {
                    body,
                    loc: loc(w.span),
                });
            }
            Statement::DoWhileStatement(w) => {
                let mut body = Vec::new();
                self.stmt(&w.body, &mut body);
                let t = self.expr(&w.test);
                self.flush(&mut body);
                body.push(Stmt::Expr(t));
                out.push(Stmt::Loop {
                    body,
                    loc: loc(w.span),
                });
            }
            Statement::ReturnStatement(r) => {
                let value = r.argument.as_ref().map(|a| self.expr(a));
                self.flush(out);
                out.push(Stmt::Return(value, loc(r.span)));
            }
            Statement::ThrowStatement(t) => {
                let value = self.expr(&t.argument);
                self.flush(out);
                out.push(Stmt::Throw(Some(value), loc(t.span)));
            }
            Statement::BreakStatement(b) => out.push(Stmt::Jump(loc(b.span))),
            Statement::ContinueStatement(c) => out.push(Stmt::Jump(loc(c.span))),
            Statement::TryStatement(t) => {
                let body = self.block(&t.block.body);
                let mut handlers = Vec::new();
                if let Some(h) = &t.handler {
                    let mut hbody = Vec::new();
                    let name = match h.param.as_ref().map(|p| &p.pattern) {
                        Some(BindingPattern::BindingIdentifier(id)) => Some(id.name.to_string()),
                        Some(other) => {
                            let tmp = self.fresh();
                            self.binding(other, Expr::Name(tmp.clone(), loc(h.span)), &mut hbody);
                            Some(tmp)
                        }
                        None => None,
                    };
                    for s in &h.body.body {
                        self.stmt(s, &mut hbody);
                    }
                    let catch_loc = Loc::new(h.span.start, h.body.span.start);
                    handlers.push(Handler {
                        name,
                        types: Vec::new(),
                        body: hbody,
                        loc: catch_loc,
                    });
                }
                let finally = t
                    .finalizer
                    .as_ref()
                    .map(|f| self.block(&f.body))
                    .unwrap_or_default();
                out.push(Stmt::Try {
                    body,
                    handlers,
                    finally,
                    loc: loc(t.span),
                });
            }
            Statement::LabeledStatement(l) => self.stmt(&l.body, out),
            Statement::WithStatement(w) => {
                let e = self.expr(&w.object);
                self.flush(out);
                out.push(Stmt::Expr(e));
                self.stmt(&w.body, out);
            }
            Statement::ImportDeclaration(d) => {
                if d.import_kind.is_type() {
                    return;
                }
                let module = d.source.value.to_string();
                for spec in d.specifiers.iter().flatten() {
                    let (local, name, span) = match spec {
                        js::ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            if s.import_kind.is_type() {
                                continue;
                            }
                            (
                                s.local.name.to_string(),
                                Some(s.imported.name().to_string()),
                                s.span,
                            )
                        }
                        js::ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => (
                            s.local.name.to_string(),
                            Some("default".to_string()),
                            s.span,
                        ),
                        js::ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                            (s.local.name.to_string(), None, s.span)
                        }
                    };
                    out.push(Stmt::Let {
                        name: local,
                        value: Expr::Import {
                            module: module.clone(),
                            name,
                            loc: loc(span),
                        },
                        loc: loc(span),
                    });
                }
            }
            Statement::ExportNamedDeclaration(d) => {
                for spec in &d.specifiers {
                    self.module.exports.push(Export::Name {
                        exported: spec.exported.name().to_string(),
                        local: spec.local.name().to_string(),
                    });
                }
            }
            Statement::ExportFromDeclaration(d) => {
                let module = d.source.value.to_string();
                for spec in &d.specifiers {
                    self.module.exports.push(Export::From {
                        module: module.clone(),
                        name: Some(spec.local.name().to_string()),
                        exported: Some(spec.exported.name().to_string()),
                    });
                }
            }
            Statement::ExportAllDeclaration(d) => {
                self.module.exports.push(Export::From {
                    module: d.source.value.to_string(),
                    name: None,
                    exported: d.exported.as_ref().map(|e| e.name().to_string()),
                });
            }
            Statement::ExportDeclaration(d) => {
                let before = out.len();
                let decl_stmt = match &d.declaration {
                    js::Declaration::VariableDeclaration(v) => {
                        self.var_decl(v, out);
                        None
                    }
                    js::Declaration::FunctionDeclaration(f) => {
                        let name =
                            f.id.as_ref()
                                .map(|i| i.name.to_string())
                                .unwrap_or_default();
                        let id = self.function(f, &name);
                        Some(Stmt::Let {
                            name,
                            value: Expr::Func(id, loc(f.span)),
                            loc: loc(f.span),
                        })
                    }
                    js::Declaration::ClassDeclaration(c) => {
                        let name =
                            c.id.as_ref()
                                .map(|i| i.name.to_string())
                                .unwrap_or_default();
                        self.class(c, &name, out);
                        None
                    }
                    _ => None,
                };
                out.extend(decl_stmt);
                for s in &out[before..] {
                    if let Stmt::Let { name, .. } = s {
                        if !name.starts_with('$') {
                            self.module.exports.push(Export::Name {
                                exported: name.clone(),
                                local: name.clone(),
                            });
                        }
                    }
                }
            }
            Statement::ExportDefaultDeclaration(d) => match &d.declaration {
                js::ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                    let name =
                        f.id.as_ref()
                            .map(|i| i.name.to_string())
                            .unwrap_or_else(|| "default".into());
                    let id = self.function(f, &name);
                    out.push(Stmt::Let {
                        name: name.clone(),
                        value: Expr::Func(id, loc(f.span)),
                        loc: loc(f.span),
                    });
                    self.module.exports.push(Export::Name {
                        exported: "default".into(),
                        local: name,
                    });
                }
                js::ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                    let name =
                        c.id.as_ref()
                            .map(|i| i.name.to_string())
                            .unwrap_or_else(|| "default".into());
                    self.class(c, &name, out);
                    self.module.exports.push(Export::Name {
                        exported: "default".into(),
                        local: name,
                    });
                }
                other => {
                    if let Some(e) = other.as_expression() {
                        let value = self.expr(e);
                        self.flush(out);
                        out.push(Stmt::Let {
                            name: "default".into(),
                            value,
                            loc: loc(d.span),
                        });
                        self.module.exports.push(Export::Name {
                            exported: "default".into(),
                            local: "default".into(),
                        });
                    }
                }
            },
            _ => {}
        }
    }

    fn expr_stmt(&mut self, e: &Expression<'_>, out: &mut Vec<Stmt>) {
        match e.without_parentheses() {
            Expression::SequenceExpression(seq) => {
                for e in &seq.expressions {
                    self.expr_stmt(e, out);
                }
            }
            Expression::AssignmentExpression(a) => {
                self.assignment(a);
                self.flush(out);
            }
            // `a && b()` / `a || b()` in minified code are statements: keep both as statements
            // so calls on the right side are analysed with the left side as a condition.
            Expression::LogicalExpression(l) => {
                let cond = self.expr(&l.left);
                self.flush(out);
                let mut then = Vec::new();
                self.expr_stmt(&l.right, &mut then);
                out.push(Stmt::If {
                    cond,
                    then,
                    els: Vec::new(),
                    loc: loc(l.span),
                });
            }
            Expression::ConditionalExpression(c) => {
                let cond = self.expr(&c.test);
                self.flush(out);
                let mut then = Vec::new();
                self.expr_stmt(&c.consequent, &mut then);
                let mut els = Vec::new();
                self.expr_stmt(&c.alternate, &mut els);
                out.push(Stmt::If {
                    cond,
                    then,
                    els,
                    loc: loc(c.span),
                });
            }
            other => {
                let v = self.expr(other);
                self.flush(out);
                out.push(Stmt::Expr(v));
            }
        }
    }

    fn var_decl(&mut self, d: &js::VariableDeclaration<'_>, out: &mut Vec<Stmt>) {
        for decl in &d.declarations {
            let own_name = match &decl.id {
                BindingPattern::BindingIdentifier(id) => id.name.to_string(),
                _ => String::new(),
            };
            let value = match &decl.init {
                // `const handler = async (x) => …` names the function `handler`.
                Some(Expression::ArrowFunctionExpression(a)) => {
                    Expr::Func(self.arrow(a, &own_name), loc(a.span))
                }
                Some(Expression::FunctionExpression(f)) if f.id.is_none() => {
                    Expr::Func(self.function(f, &own_name), loc(f.span))
                }
                Some(init) => self.expr(init),
                None => Expr::Lit(loc(decl.span)),
            };
            self.flush(out);
            self.binding(&decl.id, value, out);
        }
    }

    fn for_each(
        &mut self,
        left: &js::ForStatementLeft<'_>,
        right: &Expression<'_>,
        body: &Statement<'_>,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        let iterable = self.expr(right);
        self.flush(out);
        let item = Expr::Iter(Box::new(iterable), loc(right.span()));
        let mut lowered = Vec::new();
        match left {
            js::ForStatementLeft::VariableDeclaration(d) => {
                for decl in &d.declarations {
                    self.binding(&decl.id, item.clone(), &mut lowered);
                }
            }
            other => {
                if let Some(target) = other.as_assignment_target() {
                    self.assign_to(target, item, loc(span), &mut lowered);
                }
            }
        }
        self.stmt(body, &mut lowered);
        out.push(Stmt::Loop {
            body: lowered,
            loc: loc(span),
        });
    }

    /// Bind a declaration pattern to a value: destructuring reads fields of a temporary.
    fn binding(&mut self, pat: &BindingPattern<'_>, value: Expr, out: &mut Vec<Stmt>) {
        let l = loc(pat.span());
        match pat {
            BindingPattern::BindingIdentifier(id) => {
                out.push(Stmt::Let {
                    name: id.name.to_string(),
                    value,
                    loc: l,
                });
            }
            BindingPattern::AssignmentPattern(a) => {
                let default = self.expr(&a.right);
                self.flush(out);
                self.binding(&a.left, Expr::Or(vec![value, default], l), out);
            }
            BindingPattern::ObjectPattern(o) => {
                let base = self.name_for(value, l, out);
                for p in &o.properties {
                    let field = match &p.key {
                        js::PropertyKey::StaticIdentifier(id) => {
                            Expr::Member(Box::new(base.clone()), id.name.to_string(), loc(p.span))
                        }
                        js::PropertyKey::PrivateIdentifier(id) => {
                            Expr::Member(Box::new(base.clone()), id.name.to_string(), loc(p.span))
                        }
                        other => match other.as_expression() {
                            Some(Expression::StringLiteral(s)) => Expr::Member(
                                Box::new(base.clone()),
                                s.value.to_string(),
                                loc(p.span),
                            ),
                            Some(k) => {
                                let k = self.expr(k);
                                Expr::Index(Box::new(base.clone()), Box::new(k), loc(p.span))
                            }
                            None => base.clone(),
                        },
                    };
                    self.binding(&p.value, field, out);
                }
                if let Some(rest) = &o.rest {
                    self.binding(&rest.argument, base, out);
                }
            }
            BindingPattern::ArrayPattern(a) => {
                let base = self.name_for(value, l, out);
                for (i, el) in a.elements.iter().enumerate() {
                    if let Some(el) = el {
                        let item = Expr::Index(
                            Box::new(base.clone()),
                            Box::new(Expr::Str(i.to_string(), l)),
                            loc(el.span()),
                        );
                        self.binding(el, item, out);
                    }
                }
                if let Some(rest) = &a.rest {
                    self.binding(&rest.argument, base, out);
                }
            }
        }
    }

    /// A name holding `value`: the value itself when it already is a name, else a temporary.
    fn name_for(&mut self, value: Expr, l: Loc, out: &mut Vec<Stmt>) -> Expr {
        if let Expr::Name(..) = value {
            return value;
        }
        let tmp = self.fresh();
        out.push(Stmt::Let {
            name: tmp.clone(),
            value,
            loc: l,
        });
        Expr::Name(tmp, l)
    }

    fn assignment(&mut self, a: &js::AssignmentExpression<'_>) -> Expr {
        use oxc_syntax::operator::AssignmentOperator as Op;
        // A function assigned to a field is named by it (`exports.run = function (…)`,
        // `module.exports = (…) => …`, `Engine.prototype.load = function (…)`): exported and
        // prototype functions are summarised and reachable by that name.
        let target_name = match a.left.as_member_expression() {
            Some(m) => self.member(m).dotted().unwrap_or_default(),
            None => String::new(),
        };
        let right = match a.right.without_parentheses() {
            Expression::FunctionExpression(f) if f.id.is_none() && !target_name.is_empty() => {
                Expr::Func(self.function(f, &target_name), loc(f.span))
            }
            Expression::ArrowFunctionExpression(f) if !target_name.is_empty() => {
                Expr::Func(self.arrow(f, &target_name), loc(f.span))
            }
            // `Engine.prototype = { load: function (…) {…} }`: methods of `Engine`.
            Expression::ObjectExpression(_) if target_name.ends_with(".prototype") => {
                self.prototype_of = Some(target_name.clone());
                let v = self.expr(&a.right);
                self.prototype_of = None;
                v
            }
            _ => self.expr(&a.right),
        };
        let l = loc(a.span);
        let value = match a.operator {
            Op::Assign => right,
            Op::LogicalOr | Op::LogicalNullish | Op::LogicalAnd => {
                let current = self.target_expr(&a.left);
                Expr::Or(vec![current, right], l)
            }
            Op::Addition => {
                let current = self.target_expr(&a.left);
                Expr::Concat(vec![current, right], l)
            }
            _ => Expr::Lit(l),
        };
        let mut out = Vec::new();
        self.assign_to(&a.left, value, l, &mut out);
        let result = match out.last() {
            Some(Stmt::Let { name, .. }) => Expr::Name(name.clone(), l),
            Some(Stmt::Store { target, .. }) => target.clone(),
            _ => Expr::Lit(l),
        };
        self.pending.extend(out);
        result
    }

    fn target_expr(&mut self, t: &js::AssignmentTarget<'_>) -> Expr {
        match t {
            js::AssignmentTarget::AssignmentTargetIdentifier(id) => {
                Expr::Name(id.name.to_string(), loc(id.span))
            }
            other => match other.as_member_expression() {
                Some(m) => self.member(m),
                None => Expr::Lit(loc(other.span())),
            },
        }
    }

    fn assign_to(
        &mut self,
        t: &js::AssignmentTarget<'_>,
        value: Expr,
        l: Loc,
        out: &mut Vec<Stmt>,
    ) {
        match t {
            js::AssignmentTarget::AssignmentTargetIdentifier(id) => {
                out.push(Stmt::Let {
                    name: id.name.to_string(),
                    value,
                    loc: l,
                });
            }
            js::AssignmentTarget::ObjectAssignmentTarget(o) => {
                let base = self.name_for(value, l, out);
                for p in &o.properties {
                    match p {
                        js::AssignmentTargetProperty::AssignmentTargetPropertyIdentifier(p) => {
                            let field = Expr::Member(
                                Box::new(base.clone()),
                                p.binding.name.to_string(),
                                loc(p.span),
                            );
                            out.push(Stmt::Let {
                                name: p.binding.name.to_string(),
                                value: field,
                                loc: loc(p.span),
                            });
                        }
                        js::AssignmentTargetProperty::AssignmentTargetPropertyProperty(p) => {
                            let key = match &p.name {
                                js::PropertyKey::StaticIdentifier(id) => id.name.to_string(),
                                _ => String::new(),
                            };
                            let field = Expr::Member(Box::new(base.clone()), key, loc(p.span));
                            if let Some(target) = p.binding.as_assignment_target() {
                                self.assign_to(target, field, loc(p.span), out);
                            }
                        }
                    }
                }
            }
            js::AssignmentTarget::ArrayAssignmentTarget(a) => {
                let base = self.name_for(value, l, out);
                for (i, el) in a.elements.iter().enumerate() {
                    if let Some(target) = el.as_ref().and_then(|e| e.as_assignment_target()) {
                        let item = Expr::Index(
                            Box::new(base.clone()),
                            Box::new(Expr::Str(i.to_string(), l)),
                            l,
                        );
                        self.assign_to(target, item, l, out);
                    }
                }
            }
            other => {
                if let Some(m) = other.as_member_expression() {
                    let target = self.member(m);
                    self.note_commonjs_export(&target, &value, l, out);
                    out.push(Stmt::Store {
                        target,
                        value,
                        loc: l,
                    });
                }
            }
        }
    }

    /// `exports.x = v`, `module.exports.x = v`, `module.exports = { … }`.
    fn note_commonjs_export(&mut self, target: &Expr, value: &Expr, l: Loc, out: &mut Vec<Stmt>) {
        let Some(dotted) = target.dotted() else {
            return;
        };
        let exported = if let Some(rest) = dotted.strip_prefix("module.exports.") {
            rest.to_string()
        } else if let Some(rest) = dotted.strip_prefix("exports.") {
            rest.to_string()
        } else if dotted == "module.exports" {
            if let Expr::Object(fields, _) = value {
                for (key, v) in fields {
                    if let (Some(key), Expr::Name(local, _)) = (key, v) {
                        self.module.exports.push(Export::Name {
                            exported: key.clone(),
                            local: local.clone(),
                        });
                    }
                }
            }
            "default".to_string()
        } else {
            return;
        };
        let local = match value {
            Expr::Name(n, _) => n.clone(),
            _ => {
                let name = format!("$export_{exported}");
                out.push(Stmt::Let {
                    name: name.clone(),
                    value: value.clone(),
                    loc: l,
                });
                name
            }
        };
        self.module.exports.push(Export::Name { exported, local });
    }

    // ---------------------------------------------------------------- functions and classes

    fn params(
        &mut self,
        params: &js::FormalParameters<'_>,
        prologue: &mut Vec<Stmt>,
    ) -> Vec<Param> {
        let mut out = Vec::new();
        for (i, p) in params.items.iter().enumerate() {
            let annotation = p.type_annotation.as_ref().map(|t| {
                self.slice(t.span)
                    .trim_start_matches(':')
                    .trim()
                    .to_string()
            });
            let default = p.initializer.as_ref().map(|d| self.expr(d));
            let name = match &p.pattern {
                BindingPattern::BindingIdentifier(id) => id.name.to_string(),
                other => {
                    let name = format!("$p{i}");
                    self.binding(other, Expr::Name(name.clone(), loc(p.span)), prologue);
                    name
                }
            };
            out.push(Param {
                name,
                annotation,
                default,
                rest: false,
                loc: loc(p.span),
            });
        }
        if let Some(rest) = &params.rest {
            let name = match &rest.rest.argument {
                BindingPattern::BindingIdentifier(id) => id.name.to_string(),
                other => {
                    let name = format!("$p{}", params.items.len());
                    self.binding(other, Expr::Name(name.clone(), loc(rest.span)), prologue);
                    name
                }
            };
            out.push(Param {
                name,
                annotation: None,
                default: None,
                rest: true,
                loc: loc(rest.span),
            });
        }
        self.flush(prologue);
        out
    }

    fn new_function(&mut self, name: &str, span: Span) -> (FuncId, FuncId) {
        let id = self.module.functions.len();
        let mut f = Function::new(name, loc(span));
        f.parent = Some(self.current);
        f.class = self.class.clone();
        self.module.functions.push(f);
        let saved = self.current;
        self.current = id;
        (id, saved)
    }

    fn function(&mut self, f: &js::Function<'_>, name: &str) -> FuncId {
        let (id, saved) = self.new_function(name, f.span);
        let saved_pending = std::mem::take(&mut self.pending);
        let mut body = Vec::new();
        let params = self.params(&f.params, &mut body);
        if let Some(b) = &f.body {
            for s in &b.statements {
                self.stmt(s, &mut body);
            }
        }
        self.pending = saved_pending;
        self.current = saved;
        if let Some(func) = self.module.functions.get_mut(id) {
            func.params = params;
            func.body = body;
        }
        id
    }

    fn arrow(&mut self, f: &js::ArrowFunctionExpression<'_>, name: &str) -> FuncId {
        let (id, saved) = self.new_function(name, f.span);
        let saved_pending = std::mem::take(&mut self.pending);
        let mut body = Vec::new();
        let params = self.params(&f.params, &mut body);
        match &f.body {
            js::ArrowFunctionBody::FunctionBody(b) => {
                for s in &b.statements {
                    self.stmt(s, &mut body);
                }
            }
            other => {
                if let Some(e) = other.as_expression() {
                    let v = self.expr(e);
                    self.flush(&mut body);
                    body.push(Stmt::Return(Some(v), loc(e.span())));
                }
            }
        }
        self.pending = saved_pending;
        self.current = saved;
        if let Some(func) = self.module.functions.get_mut(id) {
            func.params = params;
            func.body = body;
        }
        id
    }

    fn class(&mut self, c: &js::Class<'_>, name: &str, out: &mut Vec<Stmt>) {
        let bases = match &c.heritage {
            Some(h) => vec![self.expr(&h.expression)],
            None => Vec::new(),
        };
        self.flush(out);
        let saved_class = self.class.replace(name.to_string());
        let mut methods = Vec::new();
        for el in &c.body.body {
            match el {
                js::ClassElement::MethodDefinition(m) => {
                    let method = property_key_name(&m.key).unwrap_or_default();
                    let id = self.function(&m.value, &format!("{name}.{method}"));
                    methods.push(id);
                }
                js::ClassElement::PropertyDefinition(p) => {
                    let prop = property_key_name(&p.key).unwrap_or_default();
                    match &p.value {
                        Some(Expression::ArrowFunctionExpression(a)) => {
                            methods.push(self.arrow(a, &format!("{name}.{prop}")));
                        }
                        Some(Expression::FunctionExpression(f)) => {
                            methods.push(self.function(f, &format!("{name}.{prop}")));
                        }
                        Some(v) => {
                            let value = self.expr(v);
                            self.flush(out);
                            out.push(Stmt::Store {
                                target: Expr::Member(
                                    Box::new(Expr::This(loc(p.span))),
                                    prop,
                                    loc(p.span),
                                ),
                                value,
                                loc: loc(p.span),
                            });
                        }
                        None => {}
                    }
                }
                js::ClassElement::StaticBlock(b) => {
                    for s in &b.body {
                        self.stmt(s, out);
                    }
                }
                _ => {}
            }
        }
        self.class = saved_class;
        self.module.classes.push(Class {
            name: name.to_string(),
            bases,
            methods,
            loc: loc(c.span),
        });
        out.push(Stmt::Let {
            name: name.to_string(),
            value: Expr::Unknown(Vec::new(), loc(c.span)),
            loc: loc(c.span),
        });
    }

    // ---------------------------------------------------------------- expressions

    fn expr(&mut self, e: &Expression<'_>) -> Expr {
        if self.depth > MAX_DEPTH {
            return Expr::Unknown(Vec::new(), loc(e.span()));
        }
        self.depth += 1;
        let v = self.expr_inner(e);
        self.depth -= 1;
        v
    }

    fn expr_inner(&mut self, e: &Expression<'_>) -> Expr {
        let l = loc(e.span());
        match e {
            Expression::BooleanLiteral(_)
            | Expression::NullLiteral(_)
            | Expression::NumericLiteral(_)
            | Expression::BigIntLiteral(_)
            | Expression::UpdateExpression(_)
            | Expression::ImportMeta(_)
            | Expression::NewTarget(_)
            | Expression::Super(_) => Expr::Lit(l),
            Expression::RegExpLiteral(r) => Expr::Regex(self.slice(r.span).to_string(), l),
            Expression::StringLiteral(s) => Expr::Str(s.value.to_string(), l),
            Expression::TemplateLiteral(t) => self.template(t),
            Expression::Identifier(id) => {
                if id.name == "undefined" {
                    Expr::Lit(l)
                } else {
                    Expr::Name(id.name.to_string(), l)
                }
            }
            Expression::ThisExpression(_) => Expr::This(l),
            Expression::ArrayExpression(a) => {
                let mut items = Vec::new();
                for el in &a.elements {
                    match el {
                        js::ArrayExpressionElement::SpreadElement(s) => {
                            let v = self.expr(&s.argument);
                            items.push(Expr::Spread(Box::new(v), loc(s.span)));
                        }
                        js::ArrayExpressionElement::Elision(_) => {}
                        other => {
                            if let Some(e) = other.as_expression() {
                                items.push(self.expr(e));
                            }
                        }
                    }
                }
                Expr::Array(items, l)
            }
            Expression::ObjectExpression(o) => {
                // Only the literal itself is the prototype, not objects nested in it.
                let prototype = self.prototype_of.take();
                let mut fields = Vec::new();
                for p in &o.properties {
                    match p {
                        js::ObjectPropertyKind::ObjectProperty(p) => {
                            let key = property_key_name(&p.key);
                            let fname = match (&prototype, &key) {
                                (Some(proto), Some(k)) => format!("{proto}.{k}"),
                                _ => key.clone().unwrap_or_default(),
                            };
                            let value = match &p.value {
                                Expression::ArrowFunctionExpression(a) => {
                                    Expr::Func(self.arrow(a, &fname), loc(a.span))
                                }
                                Expression::FunctionExpression(f) => {
                                    Expr::Func(self.function(f, &fname), loc(f.span))
                                }
                                v => self.expr(v),
                            };
                            fields.push((Some(key.unwrap_or_default()), value));
                        }
                        js::ObjectPropertyKind::SpreadProperty(s) => {
                            let v = self.expr(&s.argument);
                            fields.push((None, v));
                        }
                    }
                }
                Expr::Object(fields, l)
            }
            Expression::ArrowFunctionExpression(a) => Expr::Func(self.arrow(a, ""), l),
            Expression::FunctionExpression(f) => {
                let name =
                    f.id.as_ref()
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                Expr::Func(self.function(f, &name), l)
            }
            Expression::ClassExpression(c) => {
                let name =
                    c.id.as_ref()
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                let mut out = Vec::new();
                self.class(c, &name, &mut out);
                self.pending.extend(out);
                Expr::Unknown(Vec::new(), l)
            }
            Expression::AssignmentExpression(a) => self.assignment(a),
            Expression::AwaitExpression(a) => self.expr(&a.argument),
            Expression::BinaryExpression(b) => {
                use oxc_syntax::operator::BinaryOperator as Op;
                let left = self.expr(&b.left);
                let right = self.expr(&b.right);
                match b.operator {
                    Op::Addition => Expr::Concat(vec![left, right], l),
                    Op::Equality
                    | Op::StrictEquality
                    | Op::Inequality
                    | Op::StrictInequality
                    | Op::LessThan
                    | Op::LessEqualThan
                    | Op::GreaterThan
                    | Op::GreaterEqualThan
                    | Op::In
                    | Op::Instanceof => Expr::Compare {
                        op: b.operator.as_str().to_string(),
                        left: Box::new(left),
                        right: Box::new(right),
                        loc: l,
                    },
                    _ => Expr::Lit(l),
                }
            }
            Expression::CallExpression(c) => self.call(&c.callee, &c.arguments, false, l),
            Expression::NewExpression(n) => self.call(&n.callee, &n.arguments, true, l),
            Expression::ChainExpression(c) => match &c.expression {
                js::ChainElement::CallExpression(call) => {
                    self.call(&call.callee, &call.arguments, false, l)
                }
                js::ChainElement::TSNonNullExpression(t) => self.expr(&t.expression),
                other => match other.as_member_expression() {
                    Some(m) => self.member(m),
                    None => Expr::Unknown(Vec::new(), l),
                },
            },
            Expression::ConditionalExpression(c) => {
                let test = self.expr(&c.test);
                let a = self.expr(&c.consequent);
                let b = self.expr(&c.alternate);
                Expr::Cond(Box::new(test), Box::new(a), Box::new(b), l)
            }
            Expression::ImportExpression(i) => {
                let source = self.expr(&i.source);
                Expr::Call(Box::new(Call {
                    callee: Expr::Name("import".into(), l),
                    args: vec![Arg::positional(source)],
                    new: false,
                    loc: l,
                }))
            }
            Expression::LogicalExpression(lg) => {
                use oxc_syntax::operator::LogicalOperator as Op;
                let left = self.expr(&lg.left);
                let right = self.expr(&lg.right);
                match lg.operator {
                    Op::And => Expr::And(vec![left, right], l),
                    _ => Expr::Or(vec![left, right], l),
                }
            }
            Expression::ParenthesizedExpression(p) => self.expr(&p.expression),
            Expression::SequenceExpression(s) => {
                let mut items: Vec<Expr> = s.expressions.iter().map(|e| self.expr(e)).collect();
                let last = items.pop().unwrap_or(Expr::Lit(l));
                if items
                    .iter()
                    .all(|i| matches!(i, Expr::Lit(_) | Expr::Str(..)))
                {
                    last
                } else {
                    // Earlier elements are evaluated for their effects (sinks inside them).
                    for i in items {
                        self.pending.push(Stmt::Expr(i));
                    }
                    last
                }
            }
            Expression::TaggedTemplateExpression(t) => {
                // Tag functions receive the values separately (sql`…${x}` is parameterised).
                let callee = self.expr(&t.tag);
                let args = t
                    .quasi
                    .expressions
                    .iter()
                    .map(|e| Arg::positional(self.expr(e)))
                    .collect();
                Expr::Call(Box::new(Call {
                    callee,
                    args,
                    new: false,
                    loc: l,
                }))
            }
            Expression::UnaryExpression(u) => {
                use oxc_syntax::operator::UnaryOperator as Op;
                match u.operator {
                    Op::LogicalNot => Expr::Not(Box::new(self.expr(&u.argument)), l),
                    Op::Typeof | Op::Void | Op::Delete => {
                        let _ = self.expr(&u.argument);
                        Expr::Lit(l)
                    }
                    _ => {
                        let v = self.expr(&u.argument);
                        Expr::Unknown(vec![v], l)
                    }
                }
            }
            Expression::YieldExpression(y) => {
                let v = y.argument.as_ref().map(|a| self.expr(a));
                Expr::yielded(v, l)
            }
            Expression::TSAsExpression(t) => self.expr(&t.expression),
            Expression::TSSatisfiesExpression(t) => self.expr(&t.expression),
            Expression::TSTypeAssertion(t) => self.expr(&t.expression),
            Expression::TSNonNullExpression(t) => self.expr(&t.expression),
            Expression::TSInstantiationExpression(t) => self.expr(&t.expression),
            Expression::JSXElement(_) | Expression::JSXFragment(_) => Expr::Unknown(Vec::new(), l),
            other => match other.as_member_expression() {
                Some(m) => self.member(m),
                None => Expr::Unknown(Vec::new(), l),
            },
        }
    }

    fn template(&mut self, t: &js::TemplateLiteral<'_>) -> Expr {
        let mut parts = Vec::new();
        for (i, q) in t.quasis.iter().enumerate() {
            let s = q
                .value
                .cooked
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_else(|| q.value.raw.to_string());
            if !s.is_empty() {
                parts.push(Expr::Str(s, loc(q.span)));
            }
            if let Some(e) = t.expressions.get(i) {
                parts.push(self.expr(e));
            }
        }
        if parts.len() == 1 {
            if let Some(Expr::Str(..)) = parts.first() {
                return parts.pop().unwrap_or(Expr::Lit(loc(t.span)));
            }
        }
        Expr::Concat(parts, loc(t.span))
    }

    fn member(&mut self, m: &js::MemberExpression<'_>) -> Expr {
        match m {
            js::MemberExpression::StaticMemberExpression(s) => {
                let obj = self.expr(&s.object);
                Expr::Member(Box::new(obj), s.property.name.to_string(), loc(s.span))
            }
            js::MemberExpression::ComputedMemberExpression(c) => {
                let obj = self.expr(&c.object);
                match &c.expression {
                    Expression::StringLiteral(s) => {
                        Expr::Member(Box::new(obj), s.value.to_string(), loc(c.span))
                    }
                    idx => {
                        let idx = self.expr(idx);
                        Expr::Index(Box::new(obj), Box::new(idx), loc(c.span))
                    }
                }
            }
            js::MemberExpression::PrivateFieldExpression(p) => {
                let obj = self.expr(&p.object);
                Expr::Member(Box::new(obj), format!("#{}", p.field.name), loc(p.span))
            }
        }
    }

    fn call(&mut self, callee: &Expression<'_>, args: &[Argument<'_>], new: bool, l: Loc) -> Expr {
        let callee_inner = callee.without_parentheses();
        // require("x") → the module itself.
        if let Expression::Identifier(id) = callee_inner {
            if id.name == "require" && args.len() == 1 {
                if let Some(Expression::StringLiteral(s)) =
                    args.first().and_then(|a| a.as_expression())
                {
                    return Expr::Import {
                        module: s.value.to_string(),
                        name: None,
                        loc: l,
                    };
                }
            }
            if INTEROP_WRAPPERS.contains(&id.name.as_str()) && !args.is_empty() {
                if let Some(a) = args.first().and_then(|a| a.as_expression()) {
                    return self.expr(a);
                }
            }
        }
        let callee = self.expr(callee_inner);
        let mut lowered = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Argument::SpreadElement(s) => {
                    let v = self.expr(&s.argument);
                    lowered.push(Arg::positional(Expr::Spread(Box::new(v), loc(s.span))));
                }
                other => {
                    if let Some(e) = other.as_expression() {
                        lowered.push(Arg::positional(self.expr(e)));
                    }
                }
            }
        }
        Expr::Call(Box::new(Call {
            callee,
            args: lowered,
            new,
            loc: l,
        }))
    }
}

fn property_key_name(key: &js::PropertyKey<'_>) -> Option<String> {
    match key {
        js::PropertyKey::StaticIdentifier(id) => Some(id.name.to_string()),
        js::PropertyKey::PrivateIdentifier(id) => Some(format!("#{}", id.name)),
        other => match other.as_expression() {
            Some(Expression::StringLiteral(s)) => Some(s.value.to_string()),
            Some(Expression::NumericLiteral(n)) => Some(n.value.to_string()),
            _ => None,
        },
    }
}
