//! The one small intermediate form every language front end lowers to.
//!
//! It keeps what taint analysis needs — functions and their parameters, assignments, calls with
//! their arguments, returns, throws and branches — and folds everything else into
//! [`Expr::Unknown`], whose value is derived from its children. Locations are byte offsets into
//! the file's text; [`LineIndex`] turns them into lines and columns.

use serde::Serialize;

/// Index of a function in [`Module::functions`].
pub type FuncId = usize;

/// A byte range in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Loc {
    pub start: u32,
    pub end: u32,
}

impl Loc {
    pub fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }
}

/// Which front end produced a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    JavaScript,
    Python,
}

/// One source file, lowered.
#[derive(Debug, Default)]
pub struct Module {
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    /// `functions[0]` is the module's top-level code; nested functions, methods and lambdas follow.
    pub functions: Vec<Function>,
    /// Classes declared in the module (Python and JS), with their base-class expressions.
    pub classes: Vec<Class>,
    /// Names this module exports (ES `export`, CommonJS `exports.x =`, Python needs none: every
    /// top-level name is importable).
    pub exports: Vec<Export>,
    /// Number of syntax errors the parser recovered from; the tree is analysed as far as it goes.
    pub syntax_errors: usize,
    /// The parser gave up: nothing below the failure point was lowered.
    pub parse_failed: bool,
}

impl Module {
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            ..Self::default()
        }
    }

    /// Statements in the module, nested blocks of every function included.
    pub fn statement_count(&self) -> usize {
        let mut n = 0;
        let mut stack: Vec<&[Stmt]> = self.functions.iter().map(|f| f.body.as_slice()).collect();
        while let Some(block) = stack.pop() {
            n += block.len();
            for s in block {
                match s {
                    Stmt::If { then, els, .. } => {
                        stack.push(then);
                        stack.push(els);
                    }
                    Stmt::Loop { body, .. } => stack.push(body),
                    Stmt::Try {
                        body,
                        handlers,
                        finally,
                        ..
                    } => {
                        stack.push(body);
                        stack.push(finally);
                        for h in handlers {
                            stack.push(&h.body);
                        }
                    }
                    _ => {}
                }
            }
        }
        n
    }
}

#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    pub bases: Vec<Expr>,
    pub methods: Vec<FuncId>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Export {
    /// `export { local as exported }`, `export function exported`, `exports.exported = local`.
    Name { exported: String, local: String },
    /// `export * from "module"` / `export { a as b } from "module"` (`name` None for `*`).
    From {
        module: String,
        name: Option<String>,
        exported: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Function {
    /// Declared or assigned name; methods are `Class.method`; empty for anonymous functions.
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub loc: Loc,
    /// Python decorators (`@mcp.tool()`), lowered as expressions.
    pub decorators: Vec<Expr>,
    /// The function's docstring (Python) — FastMCP uses it as the tool description.
    pub doc: Option<String>,
    /// Enclosing class for methods.
    pub class: Option<String>,
    /// The function this one is nested in (closures read its variables).
    pub parent: Option<FuncId>,
}

impl Function {
    pub fn new(name: impl Into<String>, loc: Loc) -> Self {
        Self {
            name: name.into(),
            params: Vec::new(),
            body: Vec::new(),
            loc,
            decorators: Vec::new(),
            doc: None,
            class: None,
            parent: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    /// The parameter's name. Destructured parameters get a synthetic name (`$p0`) and the
    /// front end emits `Let` statements at the top of the body that read its fields.
    pub name: String,
    /// Source text of a type annotation, if any (`git.Repo`, `Request`, `dict[str, Any]`).
    pub annotation: Option<String>,
    /// Default value, if any.
    pub default: Option<Expr>,
    /// `...rest` / `*args` / `**kwargs`.
    pub rest: bool,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    /// `name = value` (declarations, assignments to plain names, `with … as name`, loop targets
    /// via [`Expr::Iter`], import bindings via [`Expr::Import`]).
    Let {
        name: String,
        value: Expr,
        loc: Loc,
    },
    /// Assignment to a field or element: `target.x = value`, `target[k] = value`.
    Store {
        target: Expr,
        value: Expr,
        loc: Loc,
    },
    Expr(Expr),
    Return(Option<Expr>, Loc),
    /// `throw` / `raise`.
    Throw(Option<Expr>, Loc),
    /// `break` / `continue`: leaves the current block.
    Jump(Loc),
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
        loc: Loc,
    },
    /// A loop body (the loop variable is assigned by a `Let … = Iter(…)` at its top).
    Loop {
        body: Vec<Stmt>,
        loc: Loc,
    },
    Try {
        body: Vec<Stmt>,
        /// One entry per `catch` / `except` clause.
        handlers: Vec<Handler>,
        finally: Vec<Stmt>,
        loc: Loc,
    },
}

#[derive(Debug, Clone)]
pub struct Handler {
    /// The bound exception variable, if any.
    pub name: Option<String>,
    /// Exception types the clause names (Python `except (A, B)`), empty for catch-all.
    pub types: Vec<Expr>,
    pub body: Vec<Stmt>,
    /// Location of the `catch` / `except` keyword line.
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Expr {
    /// String literal (also a constant part of a template or f-string).
    Str(String, Loc),
    /// Numbers, booleans, null/None.
    Lit(Loc),
    /// Regular expression literal (source text of the pattern).
    Regex(String, Loc),
    Name(String, Loc),
    /// `object.property` (static member).
    Member(Box<Expr>, String, Loc),
    /// `object[index]` (computed member / subscript).
    Index(Box<Expr>, Box<Expr>, Loc),
    Call(Box<Call>),
    /// String building: template literals, f-strings, `+` with a string, `%` formatting.
    Concat(Vec<Expr>, Loc),
    /// Comparison: `==`, `===`, `!=`, `<`, `in`, `not in`, `instanceof`, `is`…
    Compare {
        op: String,
        left: Box<Expr>,
        right: Box<Expr>,
        loc: Loc,
    },
    Not(Box<Expr>, Loc),
    And(Vec<Expr>, Loc),
    Or(Vec<Expr>, Loc),
    /// `test ? a : b`, `a if test else b`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>, Loc),
    Array(Vec<Expr>, Loc),
    /// Object / dict literal; a key of `None` is a spread (`...x`, `**x`).
    Object(Vec<(Option<String>, Expr)>, Loc),
    /// A function value (arrow, function expression, lambda, nested def).
    Func(FuncId, Loc),
    /// An import binding: `import { name } from "module"`, `from module import name`;
    /// `name` None for the whole module (`import * as m`, `import m`).
    Import {
        module: String,
        name: Option<String>,
        loc: Loc,
    },
    /// `...x` / `*x` in an argument or array.
    Spread(Box<Expr>, Loc),
    /// One element of an iterable (loop targets, comprehension variables).
    Iter(Box<Expr>, Loc),
    This(Loc),
    /// Any other expression; its value is derived from its children.
    Unknown(Vec<Expr>, Loc),
}

/// Visit every expression of a block, statements of nested blocks included (not the bodies of
/// nested functions, which are functions of their own). Iterative: nesting depth in the input
/// cannot exhaust the stack.
pub fn for_each_expr(body: &[Stmt], f: &mut impl FnMut(&Expr)) {
    let mut exprs: Vec<&Expr> = Vec::new();
    for_each_stmt(body, &mut |s| {
        match s {
            Stmt::Let { value, .. } | Stmt::Expr(value) => exprs.push(value),
            Stmt::Store { target, value, .. } => {
                exprs.push(target);
                exprs.push(value);
            }
            Stmt::Return(v, _) | Stmt::Throw(v, _) => exprs.extend(v.iter()),
            Stmt::If { cond, .. } => exprs.push(cond),
            Stmt::Jump(_) | Stmt::Loop { .. } | Stmt::Try { .. } => {}
        }
        while let Some(e) = exprs.pop() {
            f(e);
            push_children(e, &mut exprs);
        }
    });
}

/// Visit every statement of a block and of the blocks nested in it (not the bodies of nested
/// functions). Iterative, like [`for_each_expr`].
pub fn for_each_stmt<'a>(body: &'a [Stmt], f: &mut impl FnMut(&'a Stmt)) {
    let mut stmts: Vec<&'a Stmt> = body.iter().rev().collect();
    while let Some(s) = stmts.pop() {
        f(s);
        match s {
            Stmt::If { then, els, .. } => {
                stmts.extend(then.iter().rev());
                stmts.extend(els.iter().rev());
            }
            Stmt::Loop { body, .. } => stmts.extend(body.iter().rev()),
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                stmts.extend(body.iter().rev());
                for h in handlers {
                    stmts.extend(h.body.iter().rev());
                }
                stmts.extend(finally.iter().rev());
            }
            _ => {}
        }
    }
}

/// Visit an expression and every expression inside it (not the bodies of functions it holds).
/// Iterative, like [`for_each_expr`].
pub fn for_each_subexpr(e: &Expr, f: &mut impl FnMut(&Expr)) {
    let mut exprs: Vec<&Expr> = vec![e];
    while let Some(e) = exprs.pop() {
        f(e);
        push_children(e, &mut exprs);
    }
}

/// The expressions directly inside one.
fn push_children<'e>(e: &'e Expr, exprs: &mut Vec<&'e Expr>) {
    match e {
        Expr::Member(o, _, _) | Expr::Not(o, _) | Expr::Spread(o, _) | Expr::Iter(o, _) => {
            exprs.push(o)
        }
        Expr::Index(o, i, _) => {
            exprs.push(o);
            exprs.push(i);
        }
        Expr::Call(c) => {
            exprs.push(&c.callee);
            exprs.extend(c.args.iter().map(|a| &a.value));
        }
        Expr::Concat(xs, _)
        | Expr::And(xs, _)
        | Expr::Or(xs, _)
        | Expr::Array(xs, _)
        | Expr::Unknown(xs, _) => exprs.extend(xs.iter()),
        Expr::Compare { left, right, .. } => {
            exprs.push(left);
            exprs.push(right);
        }
        Expr::Cond(a, b, c, _) => {
            exprs.push(a);
            exprs.push(b);
            exprs.push(c);
        }
        Expr::Object(fields, _) => exprs.extend(fields.iter().map(|(_, v)| v)),
        Expr::Str(..)
        | Expr::Lit(_)
        | Expr::Regex(..)
        | Expr::Name(..)
        | Expr::Func(..)
        | Expr::Import { .. }
        | Expr::This(_) => {}
    }
}

impl Expr {
    pub fn loc(&self) -> Loc {
        match self {
            Expr::Str(_, l)
            | Expr::Lit(l)
            | Expr::Regex(_, l)
            | Expr::Name(_, l)
            | Expr::Member(_, _, l)
            | Expr::Index(_, _, l)
            | Expr::Concat(_, l)
            | Expr::Compare { loc: l, .. }
            | Expr::Not(_, l)
            | Expr::And(_, l)
            | Expr::Or(_, l)
            | Expr::Cond(_, _, _, l)
            | Expr::Array(_, l)
            | Expr::Object(_, l)
            | Expr::Func(_, l)
            | Expr::Import { loc: l, .. }
            | Expr::Spread(_, l)
            | Expr::Iter(_, l)
            | Expr::This(l)
            | Expr::Unknown(_, l) => *l,
            Expr::Call(c) => c.loc,
        }
    }

    /// The literal string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s, _) => Some(s),
            _ => None,
        }
    }

    /// `a.b.c` as text when the expression is a chain of names and static members.
    pub fn dotted(&self) -> Option<String> {
        match self {
            Expr::Name(n, _) => Some(n.clone()),
            Expr::This(_) => Some("this".to_string()),
            Expr::Member(obj, prop, _) => obj.dotted().map(|o| format!("{o}.{prop}")),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Call {
    pub callee: Expr,
    pub args: Vec<Arg>,
    /// `new X(…)`.
    pub new: bool,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Arg {
    /// Keyword name for Python keyword arguments (`shell=True`); None for positional.
    pub name: Option<String>,
    pub value: Expr,
}

/// The callee name a `yield` is lowered to (`$yield(value)`): a generator's yielded values
/// are what iterating over its result gives, so the analysis joins them into the function's
/// return value without ending the walk of its body.
pub const YIELD: &str = "$yield";

impl Expr {
    /// `yield value` as a call of [`YIELD`].
    pub fn yielded(value: Option<Expr>, loc: Loc) -> Expr {
        Expr::Call(Box::new(Call {
            callee: Expr::Name(YIELD.to_string(), loc),
            args: value.into_iter().map(Arg::positional).collect(),
            new: false,
            loc,
        }))
    }
}

impl Arg {
    pub fn positional(value: Expr) -> Self {
        Self { name: None, value }
    }
}

/// Byte offset → 1-based line and column (in characters).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        Self { line_starts }
    }

    /// 1-based line and 1-based column (counted in characters) of a byte offset.
    pub fn position(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        let end = (offset as usize).min(text.len());
        let column = text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end.saturating_sub(start));
        (line as u32 + 1, column as u32 + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = line.saturating_sub(1) as usize;
        let start = self.line_starts.get(i).copied().unwrap_or(0) as usize;
        let end = self
            .line_starts
            .get(i + 1)
            .map(|e| (*e as usize).saturating_sub(1))
            .unwrap_or(text.len());
        text.get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\né x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        // "é" is two bytes; "x" is the third character on line 2.
        assert_eq!(idx.position(text, 6), (2, 3));
        assert_eq!(idx.line_text(text, 2), "é x");
    }
}
