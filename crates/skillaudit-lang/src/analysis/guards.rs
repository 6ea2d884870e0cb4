//! Guards: the facts a condition, a validator call or a containment check establishes about
//! a value, and the branches they hold on.

use super::*;

impl State<'_, '_> {
    /// Apply guard facts: the named variables (and what they were derived from) are guarded.
    pub(super) fn apply_facts(&self, w: &mut Walk, facts: &[(String, Guards)]) {
        for (name, g) in facts {
            let mut names = vec![name.clone()];
            if let Some(v) = self.lookup(w, name) {
                names.extend(v.derived.iter().cloned());
            }
            // An address check made on the host of a parsed URL (`urlparse(url).hostname`
            // resolved, its addresses refused when private) is a check of the URL.
            if g.has(Guards::URL_CHECKED) {
                let mut k = 0;
                while k < names.len() && names.len() < 32 {
                    if let Some((base, _)) = names[k].split_once('.') {
                        let base = base.to_string();
                        if !names.contains(&base) {
                            let more = self.lookup(w, &base).map(|v| v.derived).unwrap_or_default();
                            names.push(base);
                            for d in more {
                                if !names.contains(&d) {
                                    names.push(d);
                                }
                            }
                        }
                    }
                    k += 1;
                }
            }
            for n in names {
                let mut v = self.lookup(w, &n).unwrap_or_default();
                v.taint.add_guards(*g);
                v.checked = v.checked.union(*g).with_implied();
                if let Some(frame) = w.frames.last_mut() {
                    frame.insert(n, v);
                }
            }
        }
    }

    // ------------------------------------------------------------ statements

    /// Variables a condition checks, and how, on each of its branches.
    pub(super) fn guard_facts(&mut self, w: &mut Walk, cond: &Expr) -> Facts {
        self.collect_facts(w, cond, 0)
    }

    pub(super) fn collect_facts(&mut self, w: &mut Walk, e: &Expr, depth: u32) -> Facts {
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
            } => {
                let mut facts = compare_facts(op, left, right);
                // `file === root`: where equal, the value is the one the other side holds; when
                // that side carries no input, the value is not the input's choice.
                if matches!(op.as_str(), "==" | "===" | "!=" | "!==") {
                    let equal = self.equal_to_trusted(w, left, right);
                    if !equal.is_empty() {
                        let extra = Facts::when_true(equal);
                        let extra = if matches!(op.as_str(), "==" | "===") {
                            extra
                        } else {
                            extra.negate()
                        };
                        facts.yes.extend(extra.yes);
                        facts.no.extend(extra.no);
                    }
                }
                facts
            }
            Expr::Call(c) => self.call_facts(w, c, depth),
            // `ipaddress.ip_address(host).is_private`: an address that is not private, loopback,
            // link-local… is a public one.
            Expr::Member(obj, prop, _) => {
                let names = || {
                    expr_names(obj)
                        .into_iter()
                        .map(|n| (n, Guards::URL_CHECKED))
                        .collect::<Vec<_>>()
                };
                match prop.as_str() {
                    "is_private" | "is_loopback" | "is_link_local" | "is_reserved"
                    | "is_multicast" | "is_unspecified" | "is_site_local" => {
                        Facts::when_false(names())
                    }
                    "is_global" => Facts::when_true(names()),
                    _ => Facts::default(),
                }
            }
            _ => Facts::default(),
        }
    }

    /// The names of an equality test that carry input, when the other side is a variable
    /// that carries none (the package's own folder, a parameter its caller sets): where they
    /// are equal, the input's value is that one.
    fn equal_to_trusted(&self, w: &Walk, l: &Expr, r: &Expr) -> Vec<(String, Guards)> {
        let from_source = |v: &Value| v.taint.0.keys().any(|k| matches!(k, Label::Source(_)));
        let mut out = Vec::new();
        for (a, b) in [(l, r), (r, l)] {
            let (Some(an), Some(bn)) = (a.dotted(), b.dotted()) else {
                continue;
            };
            let (Some(av), Some(bv)) = (self.lookup(w, &an), self.lookup(w, &bn)) else {
                continue;
            };
            if from_source(&av) && !from_source(&bv) && bv.konst.is_none() {
                out.push((an, EQUAL_TO_TRUSTED));
            }
        }
        out
    }

    /// The text of a regular expression: a literal, a string, or a name bound to either.
    /// The text of a regular expression and whether it is a JavaScript literal (`/body/flags`)
    /// rather than a pattern given as a string (which may itself start with `/`).
    pub(super) fn pattern_text(&self, w: &Walk, e: &Expr) -> Option<(String, bool)> {
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
    pub(super) fn call_facts(&mut self, w: &mut Walk, c: &Call, depth: u32) -> Facts {
        let mut yes = Vec::new();
        let mut no = Vec::new();
        let name = callee_last_name(&c.callee).unwrap_or_default();
        let recv = match &c.callee {
            Expr::Member(obj, _, _) => Some(&**obj),
            _ => None,
        };
        match name.as_str() {
            "has" | "includes" | "indexOf" | "contains" | "hasOwnProperty" => {
                // `name.includes("/")`, `name.includes(path.sep)` refused: one path component.
                let separator = c.args.first().is_some_and(|a| is_separator(&a.value));
                let parent = c.args.first().and_then(|a| a.value.as_str()) == Some("..");
                if parent && name != "indexOf" {
                    // `p.split("/").includes("..")` refused: no component climbs.
                    if let Some(r) = recv.and_then(path_subject) {
                        no.push((r, Guards::NO_PARENT));
                    }
                } else if separator && name != "indexOf" {
                    if let Some(r) = recv.map(text_of).and_then(|r| r.dotted()) {
                        no.push((r, Guards::CONTAINED.union(Guards::ONE_COMPONENT)));
                    }
                } else if !matches!(recv, Some(Expr::Str(..))) {
                    for n in arg_names(c) {
                        yes.push((n, Guards::ALLOWLIST));
                    }
                }
            }
            "startsWith" | "startswith" => {
                if let Some(r) = recv.map(text_of).and_then(|r| r.dotted()) {
                    if let Some(arg) = c.args.first().map(|a| &a.value) {
                        // `url.startswith(("https://a.example/", "https://b.example/"))`.
                        let all_urls = matches!(arg, Expr::Array(items, _) if !items.is_empty()
                            && items.iter().all(|i| i.as_str().is_some_and(|t| t.starts_with("http") || t.contains("://"))));
                        if all_urls {
                            yes.push((r.clone(), Guards::URL_CHECKED));
                        }
                        // `p.startswith("/")`, `p.startswith(("/", "\\"))` refused: relative.
                        let root_mark = |t: &str| t == "/" || t == "\\";
                        let absolute = match arg {
                            Expr::Array(items, _) => {
                                !items.is_empty()
                                    && items.iter().all(|i| i.as_str().is_some_and(root_mark))
                            }
                            other => other.as_str().is_some_and(root_mark),
                        };
                        if absolute {
                            no.push((r.clone(), Guards::RELATIVE));
                        }
                        match arg.as_str() {
                            // A leading dash or `..` is what the check rejects.
                            Some(t) if t.starts_with('-') => no.push((r, Guards::DASH_CHECKED)),
                            Some(t) if t == ".." || t.is_empty() => no.push((r, Guards::CONTAINED)),
                            Some(t) if t.starts_with("http") || t.contains("://") => {
                                yes.push((r, Guards::URL_CHECKED))
                            }
                            Some(_) => {}
                            // `p.startsWith(root)`: inside the root where true.
                            None if !all_urls => yes.push((r, Guards::CONTAINED)),
                            None => {}
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
                // The guard a pattern gives: none when it does not restrict the whole text,
                // `VALIDATED_TEXT` when the text it lets through may start with `-`.
                let strong = |s: &Self, w: &Walk, pattern: Option<&Expr>| -> Option<Guards> {
                    match pattern.and_then(|p| s.pattern_text(w, p)) {
                        None => Some(Guards::VALIDATED),
                        Some((t, literal)) if regex_guard::validates(&t, literal, anchoring) => {
                            Some(if regex_guard::allows_leading_dash(&t, literal) {
                                Guards::VALIDATED_TEXT
                            } else {
                                Guards::VALIDATED
                            })
                        }
                        Some(_) => None,
                    }
                };
                if let Some(Expr::Regex(..)) = recv {
                    if let Some(g) = strong(self, w, recv) {
                        yes.extend(arg_names(c).into_iter().map(|n| (n, g)));
                    }
                } else if recv.and_then(|r| r.dotted()).as_deref() == Some("re") {
                    if let Some(g) = strong(self, w, c.args.first().map(|a| &a.value)) {
                        for a in c.args.iter().skip(1) {
                            if let Some(n) = a.value.dotted() {
                                yes.push((n, g));
                            }
                        }
                    }
                } else if let (Some(r), Some(Expr::Regex(..))) = (
                    recv.and_then(|r| r.dotted()),
                    c.args.first().map(|a| &a.value),
                ) {
                    if let Some(g) = strong(self, w, c.args.first().map(|a| &a.value)) {
                        yes.push((r, g));
                    }
                } else if let Some(r) = recv.and_then(|r| r.dotted()) {
                    // compiled pattern: PATTERN.match(v), or a name bound to a regex literal
                    let regex_value = recv
                        .and_then(|e| match e {
                            Expr::Name(n, _) => self.lookup(w, n),
                            _ => None,
                        })
                        .is_some_and(|v| v.qual.as_deref() == Some("RegExp"));
                    if regex_value
                        || r.chars().any(|ch| ch.is_ascii_uppercase())
                        || r.to_ascii_lowercase().contains("pattern")
                        || r.to_ascii_lowercase().contains("re")
                    {
                        if let Some(g) = strong(self, w, recv) {
                            yes.extend(arg_names(c).into_iter().map(|n| (n, g)));
                        }
                    }
                }
            }
            // Python's character-class predicates: `name.isalnum()`, `ident.isidentifier()`,
            // `n.isdigit()`, also after removing harmless characters
            // (`api_name.replace("_", "").isalnum()`): letters and digits only, no separator.
            "isalnum" | "isdigit" | "isdecimal" | "isnumeric" | "isidentifier" | "isalpha"
                if self.modules[w.module].lang == Lang::Python && c.args.is_empty() =>
            {
                let mut base = recv;
                let mut harmless = true;
                while let Some(Expr::Call(inner)) = base {
                    let Expr::Member(obj, m, _) = &inner.callee else {
                        break;
                    };
                    if m != "replace" {
                        break;
                    }
                    let removed = inner.args.first().and_then(|a| a.value.as_str());
                    harmless &= removed.is_some_and(|t| !t.contains(['/', '\\', '.']));
                    base = Some(&**obj);
                }
                if harmless {
                    if let Some(b) = base {
                        for n in expr_names(b) {
                            yes.push((n, Guards::VALIDATED));
                        }
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
            // `os.path.isabs(p)`, `path.isAbsolute(p)`, `Path(p).is_absolute()` refused.
            "isAbsolute" | "isabs" | "is_absolute" => {
                let subject = match (recv, c.args.first()) {
                    (Some(r), None) if name == "is_absolute" => path_subject(r),
                    (_, Some(a)) if name != "is_absolute" => path_subject(&a.value),
                    _ => None,
                };
                if let Some(n) = subject {
                    no.push((n, Guards::RELATIVE));
                }
            }
            "isinstance" | "exists" | "existsSync" | "isfile" | "isdir" | "is_file" | "is_dir" => {}
            other => {
                let named = catalog::is_validator_name(other)
                    || other.starts_with("is") && catalog::is_validator_name(&other[2..]);
                // A predicate of the package that returns a check of its parameter
                // (`def is_valid_id(s): return bool(ID_RE.match(s))`): what the check tells of
                // the parameter, told of the argument.
                if !named && depth < 6 {
                    let f = self.predicate_facts(w, c, depth);
                    yes.extend(f.yes);
                    no.extend(f.no);
                    // A predicate with several returns (`if not RX.match(x): return False …
                    // return True`): what its true and its false returns had checked.
                    yes.extend(self.exit_facts(w, c, |x| x.truthy.as_ref()));
                    no.extend(self.exit_facts(w, c, |x| x.falsy.as_ref()));
                }
                if named {
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

    /// What each parameter of the function being summarised has been checked for on entry;
    /// a parameter the body replaces with another value counts as checked for everything,
    /// so that no return tells its callers anything of it.
    pub(super) fn param_checks(&self, w: &Walk, id: FuncId) -> Vec<Guards> {
        let Some(f) = self.modules[w.module].module.functions.get(id) else {
            return Vec::new();
        };
        let replaced = replaced_params(f);
        f.params
            .iter()
            .zip(replaced)
            .map(|(p, r)| {
                if r {
                    REPLACED
                } else {
                    self.lookup(w, &p.name)
                        .map(|v| v.checked)
                        .unwrap_or_default()
                }
            })
            .collect()
    }

    /// At a return of the function being summarised (`value` `None`: no value), what the body
    /// has checked of each parameter since entry, by the kind of the return ([`ExitChecks`]).
    pub(super) fn record_exit(&mut self, w: &mut Walk, value: Option<&Expr>) {
        if w.root == 0 || w.func != w.root || w.frames.len() != 1 || w.defining.is_some() {
            return;
        }
        let m = w.module;
        let Some(f) = self.modules[m].module.functions.get(w.root) else {
            return;
        };
        let names: Vec<String> = f.params.iter().map(|p| p.name.clone()).collect();
        let checks: Vec<Guards> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let now = self.lookup(w, n).map(|v| v.checked).unwrap_or_default();
                let entry = w.entry_checks.get(i).copied().unwrap_or_default();
                Guards(now.0 & !entry.0 & CHECK_MASK.0)
            })
            .collect();
        // `return bool(RX.match(x))`, `return x in ALLOWED`: what the returned condition tells.
        let (truthy, falsy) = match value {
            None => (None, Some(checks.clone())),
            Some(e) => match constant_truth(self.slice(m, e.loc()), e) {
                Some(true) => (Some(checks.clone()), None),
                Some(false) => (None, Some(checks.clone())),
                None => {
                    let facts = self.guard_facts(w, e);
                    let mut yes = checks.clone();
                    let mut no = checks.clone();
                    self.facts_on_params(w, &names, &facts.yes, &mut yes);
                    self.facts_on_params(w, &names, &facts.no, &mut no);
                    (Some(yes), Some(no))
                }
            },
        };
        let exits = &mut w.summary.exits;
        ExitChecks::add(&mut exits.normal, &checks);
        if let Some(t) = truthy {
            ExitChecks::add(&mut exits.truthy, &t);
        }
        if let Some(f) = falsy {
            ExitChecks::add(&mut exits.falsy, &f);
        }
    }

    /// Add facts told of names (and of what they were derived from) to the parameters they
    /// name.
    fn facts_on_params(
        &self,
        w: &Walk,
        params: &[String],
        facts: &[(String, Guards)],
        out: &mut [Guards],
    ) {
        for (name, g) in facts {
            let mut names = vec![name.clone()];
            if let Some(v) = self.lookup(w, name) {
                names.extend(v.derived.iter().cloned());
            }
            for n in names {
                if let Some(i) = params.iter().position(|p| *p == n) {
                    let replaced = w.entry_checks.get(i) == Some(&REPLACED);
                    if let (false, Some(slot)) = (replaced, out.get_mut(i)) {
                        *slot = slot.union(Guards(g.0 & CHECK_MASK.0));
                    }
                }
            }
        }
    }

    /// What a call of a package function tells of its arguments through the checks its body
    /// makes before returning: `when` picks the returns (normal, true, false).
    pub(super) fn exit_facts(
        &mut self,
        w: &mut Walk,
        c: &Call,
        when: fn(&ExitChecks) -> Option<&Vec<Guards>>,
    ) -> Vec<(String, Guards)> {
        let fref = match self.eval(w, &c.callee).func {
            Some(f) => Some(f),
            None => self.resolve_method(w, &c.callee),
        };
        let Some(fref) = fref else {
            return Vec::new();
        };
        let Some(summary) = self.summaries.get(&fref).cloned() else {
            return Vec::new();
        };
        let Some(checks) = when(&summary.exits) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, g) in checks.iter().enumerate() {
            if *g == Guards::NONE {
                continue;
            }
            if let Some(e) = self.argument_expr(fref, c, i) {
                out.extend(expr_names(e).into_iter().map(|n| (n, *g)));
            }
        }
        out
    }

    /// Facts of a call to a package function whose body returns one check of its parameters
    /// (`return bool(PATTERN.match(s))`, `return s in ALLOWED`), mapped to the call's
    /// arguments.
    fn predicate_facts(&mut self, w: &mut Walk, c: &Call, depth: u32) -> Facts {
        let none = Facts::default();
        if !matches!(c.callee, Expr::Name(..)) {
            return none;
        }
        let Some((m, id)) = self.eval(w, &c.callee).func else {
            return none;
        };
        let Some(f) = self.modules[m].module.functions.get(id) else {
            return none;
        };
        if f.class.is_some() || f.body.len() > 3 {
            return none;
        }
        let Some(Stmt::Return(Some(ret), _)) = f.body.last() else {
            return none;
        };
        // `bool(x)`, `x is not None`: the check itself.
        let mut ret = ret.clone();
        if let Expr::Call(inner) = &ret {
            if matches!(&inner.callee, Expr::Name(n, _) if n == "bool" || n == "Boolean")
                && inner.args.len() == 1
            {
                ret = inner.args[0].value.clone();
            }
        }
        if let Expr::Compare { op, left, .. } = &ret {
            if op == "is not" || op == "!=" || op == "!==" {
                ret = (**left).clone();
            }
        }
        let params: Vec<String> = f.params.iter().map(|p| p.name.clone()).collect();
        let inner = self.collect_facts(w, &ret, depth + 1);
        let map = |facts: Vec<(String, Guards)>| -> Vec<(String, Guards)> {
            let mut out = Vec::new();
            for (name, g) in facts {
                if let Some(i) = params.iter().position(|p| *p == name) {
                    if let Some(a) = c.args.get(i).filter(|a| a.name.is_none()) {
                        out.extend(expr_names(&a.value).into_iter().map(|n| (n, g)));
                    }
                }
            }
            out
        };
        Facts {
            yes: map(inner.yes),
            no: map(inner.no),
        }
    }

    /// `p.startsWith(root)` with no separator after the root: `/allowed-evil` passes.
    pub(super) fn check_prefix(
        &mut self,
        w: &mut Walk,
        c: &Call,
        receiver: Option<&Value>,
        args: &[Value],
    ) {
        let (Some(recv), Some(arg), Some(arg_expr)) = (receiver, args.first(), c.args.first())
        else {
            return;
        };
        if matches!(arg_expr.value, Expr::Str(..)) || !recv.is_tainted() {
            return;
        }
        // A path already kept inside its folder (a bare file name joined under it, an
        // earlier real check): a prefix test after that guards nothing more, and misses
        // nothing either.
        if recv.taint.0.values().all(|g| g.has(Guards::CONTAINED)) {
            return;
        }
        // Constant prefixes (`startswith(("http://", "https://"))`, also kept in a constant
        // `PREFIXES = ("/", "./", "../")`) check a scheme or a spelling, not containment in a
        // root.
        if let Expr::Array(items, _) = &arg_expr.value {
            if items.iter().all(|i| matches!(i, Expr::Str(..))) {
                return;
            }
        }
        if arg
            .elems
            .as_ref()
            .is_some_and(|es| !es.is_empty() && es.iter().all(|e| e.konst.is_some()))
        {
            return;
        }
        // Text read from a file (`line.strip().startswith(marker)` over a file's lines) is
        // not a path.
        if recv.taint.0.values().all(|g| g.has(Guards::CONTENT_READ)) {
            return;
        }
        // Separator-aware forms: root + sep, `${root}/`, path.sep itself — also kept in a
        // variable or a list of such prefixes.
        if arg.sep_tail {
            return;
        }
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
        // A prefix whose text is known names what it checks: a folder only when it reads as
        // one (`/srv/data`, `~/notes`, `./out`, `C:\\data`); a MIME type, a URL, a marker
        // comment or a word is not a root, and a folder ending in a separator is checked
        // properly.
        let known = arg.konst.as_deref().or_else(|| {
            arg.qual
                .as_deref()
                .and_then(|q| q.strip_prefix("lead:"))
                .filter(|l| l.contains("://"))
        });
        if let Some(prefix) = known {
            if !catalog::reads_as_folder(prefix) {
                return;
            }
        }
        // One of several known prefixes (`for prefix in ("shared documents/", "documents/")`):
        // the same, for each.
        if let (None, Some(alts)) = (&arg.konst, &arg.alts) {
            if !arg.is_tainted() && !alts.iter().any(|a| catalog::reads_as_folder(a)) {
                return;
            }
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
            guessed: self.guessing > 0,
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
    pub(super) fn check_catch_fallback(
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
            guessed: self.guessing > 0,
        };
        self.emit(w, &site, &v, Guards::NONE);
    }
}

/// What a comparison tells: `x === "a"` pins x where true, `x !== "a"` where false,
/// `url.protocol === "https:"` checks the URL, `n < max` bounds n on both branches.
/// What equality with a value the input does not choose gives: every check a path or a URL
/// could have passed (another branch of the condition decides which are kept).
const EQUAL_TO_TRUSTED: Guards = Guards::CONTAINED
    .union(Guards::RESOLVED)
    .union(Guards::ALLOWLIST)
    .union(Guards::NO_PARENT)
    .union(Guards::ONE_COMPONENT)
    .union(Guards::URL_CHECKED);

pub(super) fn compare_facts(op: &str, l: &Expr, r: &Expr) -> Facts {
    let mut facts = Vec::new();
    match op {
        "in" | "not in" => {
            // `".." in Path(p).parts` refused: no component climbs.
            if l.as_str() == Some("..") {
                if let Some(n) = path_subject(r) {
                    let f = vec![(n, Guards::NO_PARENT)];
                    return if op == "in" {
                        Facts::when_false(f)
                    } else {
                        Facts::when_true(f)
                    };
                }
            }
            // `"/" in name` refused: one path component.
            if is_separator(l) {
                if let Some(n) = text_of(r).dotted() {
                    let f = vec![(n, Guards::CONTAINED.union(Guards::ONE_COMPONENT))];
                    return if op == "in" {
                        Facts::when_false(f)
                    } else {
                        Facts::when_true(f)
                    };
                }
            }
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
            // `os.path.commonpath([root, p]) == root`: `p` is inside `root` where equal.
            for side in [l, r] {
                if let Expr::Call(c) = side {
                    let name = callee_last_name(&c.callee).unwrap_or_default();
                    if name == "commonpath" || name == "commonprefix" {
                        for a in &c.args {
                            for n in expr_names(&a.value) {
                                facts.push((n, Guards::CONTAINED));
                            }
                        }
                    }
                }
            }
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

pub(super) fn stmt_has_guarded_throw(s: &Stmt) -> bool {
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

pub(super) fn names_in_realpath_calls(body: &[Stmt]) -> Vec<String> {
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

pub(super) fn normalise_join(dir: &str, spec: &str) -> String {
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

/// The entry checks of a parameter the body replaces: every bit, so that no return tells
/// anything of it.
const REPLACED: Guards = Guards(u32::MAX);

/// The guards a validator's body can establish of its parameters (not a transformation's).
const CHECK_MASK: Guards = Guards(
    Guards::CONTAINED.0
        | Guards::ALLOWLIST.0
        | Guards::URL_CHECKED.0
        | Guards::DASH_CHECKED.0
        | Guards::NUMERIC.0
        | Guards::VALIDATED.0
        | Guards::VALIDATED_TEXT.0
        | Guards::BOUNDED.0,
);

/// Whether a returned expression is a constant that is true or false (`True`, `None`, `0`,
/// `""`), from its source text.
pub(super) fn constant_truth(text: &str, e: &Expr) -> Option<bool> {
    match e {
        Expr::Str(s, _) => Some(!s.is_empty()),
        Expr::Lit(_) => match text.trim() {
            "True" | "true" => Some(true),
            "False" | "false" | "None" | "null" | "0" => Some(false),
            t if t.parse::<f64>().is_ok() => Some(true),
            _ => None,
        },
        Expr::Name(n, _) if n == "undefined" => Some(false),
        _ => None,
    }
}

/// Which parameters the body gives another value than a normalised form of their own
/// (`url = url.strip()`, `p = os.path.abspath(p)` keep the parameter; `x = DEFAULT` does not).
fn replaced_params(f: &crate::ir::Function) -> Vec<bool> {
    let mut out = vec![false; f.params.len()];
    crate::ir::for_each_stmt(&f.body, &mut |s| {
        if let Stmt::Let { name, value, .. } = s {
            if let Some(i) = f.params.iter().position(|p| p.name == *name) {
                if !normalises(value, name) {
                    out[i] = true;
                }
            }
        }
    });
    out
}

/// `x.strip()`, `os.path.abspath(x)`, `Path(x).expanduser().resolve()`, `x.toLowerCase()`:
/// the same value in a normal form.
fn normalises(e: &Expr, name: &str) -> bool {
    const NORMALISERS: &[&str] = &[
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "casefold",
        "trim",
        "trimStart",
        "trimEnd",
        "toLowerCase",
        "normalize",
        "normpath",
        "abspath",
        "realpath",
        "expanduser",
        "resolve",
        "Path",
        "PurePath",
        "str",
        "String",
        "fspath",
        "absolute",
        "unquote",
        "decodeURIComponent",
    ];
    let mut e = e;
    for _ in 0..8 {
        match e {
            Expr::Name(n, _) => return n == name,
            Expr::Call(c) => {
                let Some(last) = callee_last_name(&c.callee) else {
                    return false;
                };
                // `p = os.path.join(root, p)`: the same path, made absolute under the root
                // the check that follows is about.
                if matches!(last.as_str(), "join" | "resolve") && c.args.len() >= 2 {
                    if let Some(a) = c.args.last() {
                        e = &a.value;
                        continue;
                    }
                }
                if !NORMALISERS.contains(&last.as_str()) {
                    return false;
                }
                e = match (&c.callee, c.args.first()) {
                    (Expr::Member(obj, _, _), None) => obj,
                    (_, Some(a)) => &a.value,
                    _ => return false,
                };
            }
            _ => return false,
        }
    }
    false
}

/// The POSIX path separator: `"/"`, `path.sep`, `os.sep` (refusing only `\\` leaves `/`).
pub(super) fn is_separator(e: &Expr) -> bool {
    match e {
        Expr::Str(t, _) => t == "/",
        Expr::Member(_, p, _) => p == "sep",
        _ => false,
    }
}

/// The path whose components an expression lists: `Path(p).parts`, `PurePosixPath(p).parts`,
/// `p.split("/")`, `p.split(path.sep)` (and `p` itself) name `p`.
fn path_subject(e: &Expr) -> Option<String> {
    let mut e = text_of(e);
    for _ in 0..3 {
        match e {
            Expr::Member(obj, prop, _) if prop == "parts" => e = text_of(obj),
            Expr::Call(c) => {
                let last = callee_last_name(&c.callee).unwrap_or_default();
                match (&c.callee, c.args.as_slice()) {
                    (Expr::Member(obj, _, _), [sep])
                        if last == "split" && is_separator(&sep.value) =>
                    {
                        e = text_of(obj)
                    }
                    (_, [a])
                        if a.name.is_none()
                            && matches!(
                                last.as_str(),
                                "Path" | "PurePath" | "PurePosixPath" | "PureWindowsPath"
                            ) =>
                    {
                        e = text_of(&a.value)
                    }
                    _ => return None,
                }
            }
            _ => break,
        }
    }
    e.dotted()
}

/// The value a text conversion is of: `str(p)`, `String(p)`, `os.fspath(p)`, `p.toString()`,
/// `p.as_posix()` check `p` itself.
fn text_of(e: &Expr) -> &Expr {
    let mut e = e;
    for _ in 0..4 {
        let Expr::Call(c) = e else { break };
        let last = callee_last_name(&c.callee).unwrap_or_default();
        match (&c.callee, c.args.as_slice()) {
            (Expr::Member(obj, _, _), []) if matches!(last.as_str(), "toString" | "as_posix") => {
                e = obj
            }
            (_, [a])
                if a.name.is_none() && matches!(last.as_str(), "str" | "String" | "fspath") =>
            {
                e = &a.value
            }
            _ => break,
        }
    }
    e
}
