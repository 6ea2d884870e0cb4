//! Resource exhaustion on purpose: memory, processes and handles spent in amounts no tool
//! needs. What is read is the code's own shape — a value rebuilt from copies of itself in a
//! loop (exponential growth), a repetition or allocation of tens of millions of elements,
//! processes forked without end, thousands of sockets, pipes or processes opened in a loop — not
//! what the input asks for (unbounded sizes chosen by input are BOUND-001's).

use super::{State, Walk};
use crate::behaviour::Technique;
use crate::ir::{Expr, Loc, Stmt};

/// Elements in one repetition or allocation beyond which nothing a tool does needs them.
const HUGE: u64 = 10_000_000;
/// Iterations of a loop that opens handles beyond which it is a bomb, not a pool.
const MANY_HANDLES: u64 = 1_000;

/// Calls that make a process, a socket, a pipe or a thread.
fn makes_handle(callee: &str) -> bool {
    matches!(
        callee,
        "socket.socket"
            | "socket.create_connection"
            | "os.pipe"
            | "os.fork"
            | "os.forkpty"
            | "os.openpty"
            | "subprocess.Popen"
            | "multiprocessing.Process"
            | "threading.Thread"
            | "net.connect"
            | "net.createConnection"
            | "child_process.fork"
            | "child_process.spawn"
    )
}

/// Calls that fork the process itself.
fn forks(callee: &str) -> bool {
    matches!(callee, "os.fork" | "os.forkpty" | "child_process.fork")
}

/// The value of integer text: `10000000`, `10_000_000`, `10**7`, `1e7`, `1024 * 1024 * 64`.
pub(super) fn number(text: &str) -> Option<u64> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '(' && *c != ')')
        .collect();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if let Some((m, e)) = t.split_once(['e', 'E']) {
        let m: u64 = m.parse().ok()?;
        let e: u32 = e.parse().ok()?;
        return m.checked_mul(10u64.checked_pow(e.min(19))?);
    }
    let mut product: u64 = 1;
    for factor in t.split('*').filter(|f| !f.is_empty()) {
        product = product.checked_mul(factor.parse::<u64>().ok()?)?;
    }
    // `10**7` splits into `10`, ``, `7`: a power, not a product.
    if let Some((b, e)) = t.split_once("**") {
        let b: u64 = b.parse().ok()?;
        let e: u32 = e.parse().ok()?;
        return b.checked_pow(e.min(63));
    }
    Some(product)
}

/// How many times a loop runs, when its code says: `for _ in range(N)`, `while True`
/// (`u64::MAX`); `None` when the count is not written as a constant.
fn loop_count(state: &State<'_, '_>, m: usize, body: &[Stmt]) -> Option<u64> {
    for s in body.iter().take(3) {
        match s {
            Stmt::Let {
                value: Expr::Iter(inner, _),
                ..
            } => {
                if let Expr::Call(c) = &**inner {
                    if c.callee.dotted().as_deref() == Some("range") {
                        let last = c.args.last()?;
                        return number(state.slice(m, last.value.loc()));
                    }
                }
            }
            Stmt::Expr(Expr::Lit(loc)) => {
                let t = state.slice(m, *loc).trim();
                if matches!(t, "True" | "true" | "1") {
                    return Some(u64::MAX);
                }
            }
            _ => {}
        }
    }
    None
}

/// A pattern with a repeated group that itself repeats (`(a+)+`, `(a*)*`, `([a-z]+)*`,
/// `(a|a)*`): matching it fails only after trying exponentially many splits.
pub(super) fn catastrophic(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    let mut open: Vec<(usize, bool)> = Vec::new(); // (start, holds an unbounded repeat)
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => open.push((i, false)),
            b'+' | b'*' => {
                if let Some(top) = open.last_mut() {
                    top.1 = true;
                }
            }
            b')' => {
                if let Some((start, repeats)) = open.pop() {
                    let next = b.get(i + 1).copied();
                    let outer = matches!(next, Some(b'+' | b'*'));
                    let inner = &pattern[start + 1..i];
                    let same_alternatives = inner
                        .split('|')
                        .collect::<Vec<_>>()
                        .windows(2)
                        .any(|w| w[0] == w[1] || w[1].starts_with(w[0]) && !w[0].is_empty());
                    if outer && (repeats || same_alternatives) {
                        return true;
                    }
                    if repeats {
                        if let Some(parent) = open.last_mut() {
                            parent.1 = true;
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Whether a loop body has a way out: `break`, `return` or `raise` anywhere in it.
fn leaves(body: &[Stmt]) -> bool {
    let mut stack: Vec<&Stmt> = body.iter().collect();
    while let Some(s) = stack.pop() {
        match s {
            Stmt::Jump(_) | Stmt::Return(..) | Stmt::Throw(..) => return true,
            Stmt::If { then, els, .. } => {
                stack.extend(then.iter());
                stack.extend(els.iter());
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                stack.extend(body.iter());
                for h in handlers {
                    stack.extend(h.body.iter());
                }
                stack.extend(finally.iter());
            }
            // (A `break` of an inner loop leaves that loop only.)
            _ => {}
        }
    }
    false
}

impl State<'_, '_> {
    /// Record the resource-exhaustion technique wherever the code has one of its shapes.
    pub(super) fn resource_exhaustion(&mut self) {
        for m in 0..self.modules.len() {
            if self.modules[m].minified {
                continue;
            }
            let mut found: Vec<(Loc, String)> = Vec::new();
            for f in &self.modules[m].module.functions {
                // Values the function names at its top (`pattern = r"(a+)+b"`,
                // `text = "a" * 30 + "x"`).
                let texts: std::collections::HashMap<&str, &Expr> = f
                    .body
                    .iter()
                    .filter_map(|s| match s {
                        Stmt::Let { name, value, .. } => Some((name.as_str(), value)),
                        _ => None,
                    })
                    .collect();
                self.exhaustion_in(m, &f.body, &texts, &mut found);
            }
            if found.is_empty() {
                continue;
            }
            let w = Walk::new(m, 0);
            for (loc, detail) in found.into_iter().take(16) {
                self.behaviour(&w, Technique::ResourceExhaustion, loc, detail);
            }
        }
    }

    fn exhaustion_in(
        &self,
        m: usize,
        body: &[Stmt],
        texts: &std::collections::HashMap<&str, &Expr>,
        found: &mut Vec<(Loc, String)>,
    ) {
        // (statement, how many times the innermost enclosing loop runs when known)
        let mut stack: Vec<(&Stmt, Option<u64>)> = body.iter().rev().map(|s| (s, None)).collect();
        while let Some((s, count)) = stack.pop() {
            match s {
                Stmt::Loop { body, .. } => {
                    // A loop that never ends but has a way out (`break`, `return`, `raise`)
                    // ends; a count known only at run time is unknown (0).
                    let inner = match loop_count(self, m, body) {
                        Some(u64::MAX) if leaves(body) => Some(0),
                        Some(n) => Some(n),
                        None => Some(0),
                    };
                    stack.extend(body.iter().rev().map(|b| (b, inner)));
                }
                Stmt::If { then, els, .. } => {
                    stack.extend(then.iter().rev().map(|b| (b, count)));
                    stack.extend(els.iter().rev().map(|b| (b, count)));
                }
                Stmt::Try {
                    body,
                    handlers,
                    finally,
                    ..
                } => {
                    stack.extend(body.iter().rev().map(|b| (b, count)));
                    for h in handlers {
                        stack.extend(h.body.iter().rev().map(|b| (b, count)));
                    }
                    stack.extend(finally.iter().rev().map(|b| (b, count)));
                }
                Stmt::Let { name, value, loc } => {
                    // (Doubling a string in a loop that halves a counter is how `repeat` is
                    // written: only a loop run a fixed, large number of times or without end
                    // grows without bound.)
                    if count.is_some_and(|n| n >= 20) && self.amplifies(m, name, value) {
                        found.push((*loc, format!("`{name}` is rebuilt from copies of itself in a loop: it grows exponentially")));
                    }
                    self.exhaustion_expr(m, value, count, texts, found);
                }
                Stmt::Expr(value) | Stmt::Store { value, .. } => {
                    self.exhaustion_expr(m, value, count, texts, found)
                }
                Stmt::Return(Some(value), _) => self.exhaustion_expr(m, value, count, texts, found),
                _ => {}
            }
        }
    }

    /// The size of a repetition written in the code (`b"\0" * (1024 * 1024)`, `"x" * 4096`).
    fn repeated_size(&self, m: usize, e: &Expr) -> Option<u64> {
        let Expr::Unknown(parts, loc) = e else {
            return None;
        };
        if parts.len() != 2
            || !parts
                .iter()
                .any(|p| matches!(p, Expr::Str(..) | Expr::Array(..)))
            || !self.slice(m, *loc).contains('*')
        {
            return None;
        }
        parts.iter().find_map(|p| match p {
            Expr::Lit(l) | Expr::Unknown(_, l) => number(self.slice(m, *l)),
            _ => None,
        })
    }

    /// Text built from repetitions of constants (`"a" * 30 + "x"`, `"ab".repeat(20) + "!"`).
    fn crafted(&self, m: usize, e: &Expr) -> bool {
        let text = self.slice(m, e.loc());
        let repeated = match e {
            Expr::Concat(parts, _) => parts.iter().any(|p| self.repeated_size(m, p).is_some()),
            other => self.repeated_size(m, other).is_some(),
        };
        repeated || (text.contains(".repeat(") && text.contains('"'))
    }

    /// `data = [data] * 100`, `s = s + s`, `s += s`: the value made of copies of itself.
    fn amplifies(&self, m: usize, name: &str, value: &Expr) -> bool {
        match value {
            Expr::Concat(parts, _) => {
                parts.len() >= 2
                    && parts
                        .iter()
                        .all(|p| matches!(p, Expr::Name(n, _) if n == name))
            }
            Expr::Unknown(parts, loc) => {
                let text = self.slice(m, *loc);
                let self_list = parts.iter().any(|p| {
                    matches!(p, Expr::Array(items, _)
                        if items.len() == 1 && matches!(&items[0], Expr::Name(n, _) if n == name))
                });
                self_list && text.contains('*')
            }
            _ => false,
        }
    }

    fn exhaustion_expr(
        &self,
        m: usize,
        e: &Expr,
        count: Option<u64>,
        texts: &std::collections::HashMap<&str, &Expr>,
        found: &mut Vec<(Loc, String)>,
    ) {
        crate::ir::for_each_subexpr(e, &mut |e| match e {
            // `[x] * 10000000`, `"a" * 10**8`, `b"\0" * (1024 * 1024 * 1024)`.
            Expr::Unknown(_, loc) => {
                if let Some(n) = self.repeated_size(m, e).filter(|n| *n >= HUGE) {
                    found.push((*loc, format!("a value repeated {n} times")));
                }
            }
            Expr::Call(c) => {
                let callee = c.callee.dotted().unwrap_or_default();
                let last = callee.rsplit('.').next().unwrap_or(&callee);
                // `bytearray(10**9)`, `Buffer.alloc(2 ** 31)`, `"x".repeat(1e8)`.
                if matches!(
                    last,
                    "bytearray" | "alloc" | "allocUnsafe" | "repeat" | "zeros"
                ) {
                    if let Some(n) = c
                        .args
                        .first()
                        .and_then(|a| number(self.slice(m, a.value.loc())))
                        .filter(|n| *n >= HUGE * 10)
                    {
                        found.push((c.loc, format!("`{callee}` of {n} elements")));
                    }
                }
                // A catastrophic pattern run on text built to make it backtrack
                // (`re.search(r"(a+)+b", "a" * 30 + "x")`): both written in the code.
                if matches!(
                    callee.as_str(),
                    "re.search" | "re.match" | "re.fullmatch" | "re.findall" | "re.sub"
                ) && c.args.len() >= 2
                {
                    let named = |e: &'_ Expr| -> Option<&Expr> {
                        match e {
                            Expr::Name(n, _) => texts.get(n.as_str()).copied(),
                            _ => None,
                        }
                    };
                    let pattern = match &c.args[0].value {
                        Expr::Str(t, _) => Some(t.as_str()),
                        other => named(other).and_then(Expr::as_str),
                    };
                    let subject = c.args.last().map(|a| named(&a.value).unwrap_or(&a.value));
                    if pattern.is_some_and(catastrophic)
                        && subject.is_some_and(|t| self.crafted(m, t))
                    {
                        found.push((c.loc, "a pattern with nested repetition run on text built to make it backtrack for ever".into()));
                    }
                }
                // Constant data written over and over: the disk filled.
                if matches!(
                    last,
                    "write" | "writeSync" | "appendFileSync" | "write_bytes" | "write_text"
                ) {
                    let size = c.args.iter().find_map(|a| self.repeated_size(m, &a.value));
                    match (count, size) {
                        (Some(u64::MAX), Some(s)) if s >= 1024 => found.push((
                            c.loc,
                            format!(
                                "{s} bytes written in a loop that never ends (the disk filled)"
                            ),
                        )),
                        (Some(n), Some(s))
                            if n != u64::MAX && n.saturating_mul(s) >= 1_000_000_000 =>
                        {
                            found.push((
                                c.loc,
                                format!("{s} bytes written {n} times (the disk filled)"),
                            ))
                        }
                        _ => {}
                    }
                }
                match count {
                    Some(u64::MAX) if forks(&callee) => {
                        found.push((
                            c.loc,
                            format!("`{callee}` in a loop that never ends (a fork bomb)"),
                        ));
                    }
                    // (A loop that never ends and connects once per round is a client
                    // reconnecting; only a counted loop of thousands is a bomb.)
                    Some(n) if n != u64::MAX && n >= MANY_HANDLES && makes_handle(&callee) => {
                        found.push((c.loc, format!("`{callee}` opened {n} times in a loop")));
                    }
                    _ => {}
                }
            }
            _ => {}
        });
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn catastrophic_patterns() {
        use super::catastrophic;
        for p in [
            r"(a+)+b",
            r"(a*)*b",
            r"(a|a)*b",
            r"(a|ab)*c",
            r"([a-zA-Z]+)*[a-zA-Z]",
            r"^(\w+\s?)*$",
        ] {
            assert!(catastrophic(p), "{p}");
        }
        for p in [
            r"^[a-z0-9_-]+$",
            r"(ab)+",
            r"(\d{4})-(\d{2})",
            r"a+b+",
            r"(https?)://",
        ] {
            assert!(!catastrophic(p), "{p}");
        }
    }

    #[test]
    fn integer_text() {
        assert_eq!(number("10000000"), Some(10_000_000));
        assert_eq!(number("10_000_000"), Some(10_000_000));
        assert_eq!(number("10**7"), Some(10_000_000));
        assert_eq!(number("1e7"), Some(10_000_000));
        assert_eq!(number("(1024 * 1024 * 64)"), Some(67_108_864));
        assert_eq!(number("count"), None);
        assert_eq!(number("2.5"), None);
    }
}
