//! Abstract values: what an expression evaluates to, members and indexes, stores into
//! variables, fields and collections, and the language's built-in types.

use super::*;

impl State<'_, '_> {
    pub(super) fn lookup(&self, w: &Walk, name: &str) -> Option<Value> {
        for f in w.frames.iter().rev() {
            if let Some(v) = f.get(name) {
                return Some(v.clone());
            }
        }
        self.module_env[w.module].get(name).cloned()
    }

    pub(super) fn bind(&self, w: &mut Walk, name: &str, mut v: Value) {
        if !name.starts_with('$') && v.derived.len() < 16 && !v.derived.iter().any(|d| d == name) {
            v.derived.push(name.to_string());
        }
        // A JavaScript closure assigning a variable of the function around it (`body +=
        // chunk` in a `data` listener) may change that variable, whenever it runs: the outer
        // value is joined with the new one (the IR does not tell a declaration that shadows
        // it from an assignment, so the outer value is never replaced).
        let n = w.frames.len();
        if self.modules[w.module].lang == Lang::JavaScript
            && n > 1
            && w.frames.last().is_some_and(|f| f.get(name).is_none())
        {
            if let Some(outer) = (0..n - 1).rev().find(|i| w.frames[*i].get(name).is_some()) {
                let frame = &mut w.frames[outer];
                let joined = frame.get(name).map(|old| old.join(&v));
                if let Some(joined) = joined {
                    frame.insert(name, joined);
                }
            }
        }
        // Rebinding a variable drops guards recorded on its fields.
        if let Some(frame) = w.frames.last_mut() {
            frame.drop_fields(name);
            frame.insert(name, v);
        }
    }

    /// `xs.push(a, b)` / `xs.append(a)` / `xs.insert(0, a)` / `xs.extend(ys)`: the variable now
    /// holds the new elements too (in order, when its elements are known).
    pub(super) fn grow_collection(
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
            // A message or document built part by part (`msg.attach(part)`,
            // `msg.add_attachment(data)`, `msg.set_content(text)`): it carries what was put in.
            "attach" | "add_attachment" | "set_content" | "set_payload" | "add_alternative"
            | "add_related" | "writestr" => 0,
            "insert" => 1,
            "splice" => 2,
            // `table.set(key, value)` on a `Map`: the value is in it from then on.
            "set" if receiver.is_some_and(super::calls::is_keyed_store) => 1,
            // `record.update(other)` on a dict the code built: the other's entries are in it.
            "update"
                if receiver.is_some_and(|r| {
                    r.fields.is_some()
                        || r.qual.as_deref().and_then(|q| q.strip_prefix(BUILTIN_TYPE))
                            == Some("dict")
                }) =>
            {
                0
            }
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

    pub(super) fn store(&mut self, w: &mut Walk, target: &Expr, v: Value, loc: Loc) {
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
        } else if let Expr::Index(obj, idx, _) = target {
            if let Some(d) = obj.dotted() {
                if let Some(mut o) = self.lookup(w, &d) {
                    o.taint.join(&v.taint);
                    // `result["path"] = p`: the record now has that field.
                    if let Expr::Str(k, _) = &**idx {
                        let fields = o.fields.get_or_insert_with(Default::default);
                        if fields.len() < 64 {
                            std::sync::Arc::make_mut(fields).insert(k.clone(), v);
                        }
                    }
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
    pub(super) fn eval_definition(&mut self, w: &mut Walk, e: &Expr) -> Value {
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

    /// Whether the value carries a label naming a sensitive or controlling place.
    fn names_place(&self, v: &Value) -> bool {
        v.taint
            .0
            .keys()
            .any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind.is_behaviour()))
    }

    /// A list of at least three texts of which fewer than half name a place.
    fn few_name_places(&self, elems: &[Value]) -> bool {
        let texts = elems.iter().filter(|e| e.konst.is_some()).count();
        let places = elems
            .iter()
            .filter(|e| e.konst.is_some() && self.names_place(e))
            .count();
        texts >= 3 && places * 2 < texts
    }

    fn drop_places(&self, v: &mut Value) {
        let sources = &self.sources;
        v.taint.0.retain(
            |l, _| !matches!(l, Label::Source(s) if sources[*s as usize].kind.is_behaviour()),
        );
    }

    pub(super) fn eval(&mut self, w: &mut Walk, e: &Expr) -> Value {
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
            Expr::Lit(l) => Value {
                truth: guards::constant_truth(self.slice(w.module, *l), e),
                ..Value::default()
            },
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
                // `p.split("/")[2]`, `p.rsplit("/", 1)[-1]`: one component of the path, which
                // holds no separator.
                if let (Some(text), Expr::Lit(_)) = (split_on_separator(obj), &**idx) {
                    let t = self.eval(w, text);
                    let mut v = Value {
                        taint: t.taint.clone(),
                        checked: t.checked,
                        derived: t.derived.clone(),
                        ..Value::default()
                    };
                    v.taint
                        .add_guards(Guards::CONTAINED.union(Guards::ONE_COMPONENT));
                    return v;
                }
                let o = self.eval(w, obj);
                let i = self.eval(w, idx);
                if matches!(o.qual.as_deref(), Some("process.env" | "os.environ")) {
                    return self.env_read(w, &i, idx.loc());
                }
                if let (Some(k), Some(fields)) = (&i.konst, &o.fields) {
                    if let Some(v) = fields.get(k) {
                        return v.clone();
                    }
                    // A record written out without that key: it has none.
                    if o.is_plain_record() {
                        return Value::default();
                    }
                }
                if let (Some(k), Some(elems)) = (&i.konst, &o.elems) {
                    if let Some(v) = k.parse::<usize>().ok().and_then(|n| elems.get(n)) {
                        return v.clone();
                    }
                }
                // `names(tool)[0]`, `parts[-1]`: a number written in the code picks that
                // element of a known sequence (the last ones only when none was cut off).
                if let (Expr::Lit(l), Some(elems)) = (&**idx, &o.elems) {
                    let n = self.slice(w.module, *l).trim().parse::<i64>().ok();
                    let at = match n {
                        Some(n) if n >= 0 => usize::try_from(n).ok(),
                        Some(n) if elems.len() < 64 => elems
                            .len()
                            .checked_sub(usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX)),
                        _ => None,
                    };
                    if let Some(v) = at.and_then(|a| elems.get(a)) {
                        return v.clone();
                    }
                }
                // `ROUTES[name]` in a known table: one of its entries, whatever the key.
                if i.konst.is_none() {
                    if let Some(entries) = super::calls::known_table(&o) {
                        return entries;
                    }
                }
                // An element of a tuple or list by position (`info[4][0]` of an address
                // record) is still what the sequence was made from; a named field is not.
                let positional = matches!(&**idx, Expr::Lit(l)
                    if self.slice(w.module, *l).trim().parse::<i64>().is_ok());
                let mut v = Value {
                    taint: match &i.konst {
                        Some(k) => o.taint.read_field(k),
                        None => o.taint.clone(),
                    },
                    derived: if positional {
                        o.derived.clone()
                    } else {
                        Vec::new()
                    },
                    checked: o.checked,
                    ..Value::default()
                };
                // (A column of a row taken in a loop — `for key, value in
                // os.environ.items()` — is every row's in turn, not one field.)
                if !matches!(**obj, Expr::Iter(..)) {
                    v.taint.add_guards(Guards::FIELD_READ);
                }
                // A part of a parsed JSON document is JSON too.
                if o.qual.as_deref() == Some(JSON_VALUE) {
                    v.qual = Some(JSON_VALUE.into());
                }
                // `client["shop"]["orders"]`: a database, then a collection, of the client.
                if let Some(q) = o
                    .qual
                    .as_deref()
                    .filter(|q| catalog::is_document_db_handle(q))
                {
                    v.qual = Some(format!("{q}[]"));
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
                // Text built from a document is text, not the document.
                self.drop_parsed_input(&mut v);
                v.composed = vals
                    .iter()
                    .any(|p| p.konst.as_deref().is_some_and(|k| !k.is_empty()))
                    && vals.len() > 1;
                v.rooted = vals.len() > 1
                    && vals.first().is_some_and(|p| {
                        p.rooted
                            || (!p.is_tainted() && p.konst.as_deref().is_none_or(|k| !k.is_empty()))
                    });
                v.sep_tail = vals.last().is_some_and(|p| {
                    p.sep_tail
                        || p.konst
                            .as_deref()
                            .is_some_and(|k| k.ends_with('/') || k.ends_with('\\'))
                });
                if vals.iter().all(|p| p.konst.is_some()) {
                    v.konst = Some(vals.iter().filter_map(|p| p.konst.clone()).collect());
                } else {
                    // A path built from pieces (`f"/proc/{pid}/environ"`) names a place as its
                    // template does.
                    // (Once: a piece that already names a place says it.)
                    let named = vals.iter().any(|p| {
                        p.taint.0.keys().any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind.is_behaviour()))
                    });
                    let template = behaviour_flows::template_text(&vals).filter(|_| !named);
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
                    && vals[1].konst.as_deref().is_some_and(|k| k.starts_with('/'))
                    && vals[2..]
                        .iter()
                        .any(|p| p.konst.is_none() && p.is_tainted()))
                    || configured_host(&vals)
                    // `${this.baseUrl}${path}` where the path is text led by `/`
                    // (`/crm/v3/objects/${id}`): the input moves the path, not the host.
                    || (vals.len() >= 2
                        && vals[0].konst.is_none()
                        && !vals[0].is_tainted()
                        && vals[0].qual.as_deref().is_none_or(|q| !q.starts_with("lead:"))
                        && vals[1]
                            .qual
                            .as_deref()
                            .and_then(|q| q.strip_prefix("lead:"))
                            .is_some_and(|l| l.starts_with('/') && !l.starts_with("//")));
                // The same with the path a parameter of this function: decided where the
                // function is called, by what its caller passes (`request(path)`).
                let configured_then_param = !configured_base
                    && vals.len() == 2
                    && vals[0].konst.is_none()
                    && !vals[0].is_tainted()
                    && vals[0]
                        .qual
                        .as_deref()
                        .is_none_or(|q| !q.starts_with("lead:"))
                    && vals[1].konst.is_none()
                    && vals[1].lead_param.is_some();
                // `root / name` where root is a pathlib path: a path, whose methods read and
                // write files (`(ROOT / name).read_text()`), not text led by a base URL.
                let path_object = vals
                    .first()
                    .and_then(|p| p.qual.as_deref())
                    .filter(|q| q.starts_with("pathlib.Path") || q.starts_with("pathlib.PurePath"))
                    .filter(|_| matches!(parts.get(1), Some(Expr::Str(t, _)) if t == "/"));
                if let Some(q) = path_object {
                    v.qual = Some(q.to_string());
                    v.lead_param = vals.first().and_then(|p| p.lead_param);
                } else if configured_then_param {
                    v.qual = Some(CONFIGURED_THEN_PARAM.into());
                } else if configured_base {
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
                    v.lead_field = first.lead_field.clone();
                    // `${base}${path}`: what follows a parameter-led start is kept for the
                    // callers deciding the host (the start's own, when it has one).
                    v.then_lead = if first.lead_param.is_some() && first.konst.is_none() {
                        first.then_lead.clone().or_else(|| {
                            vals.get(1)
                                .and_then(|b| match (sinks::text_lead(b), b.lead_param) {
                                    (Some(t), _) => Some(ThenLead::Text(t.to_string())),
                                    (_, Some(k)) => Some(ThenLead::Param(k, b.lead_field.clone())),
                                    _ => None,
                                })
                        })
                    } else {
                        None
                    };
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
                        // A loop over names of which few name a sensitive place (`.env`
                        // among seven virtual-environment folder names) is not a loop over
                        // such places. (Pieces of one path spread into a join are not
                        // alternatives: that is not a loop over them.)
                        if self.few_name_places(es) {
                            self.drop_places(&mut out);
                        }
                        // Rows of the same shape (`for name, value in ((A, a), (B, b))`):
                        // each column is the join of that column, so `name` is a name.
                        let width = es[0].elems.as_ref().map(|r| r.len());
                        if let Some(n) = width.filter(|n| (1..=8).contains(n)) {
                            if es
                                .iter()
                                .all(|r| r.elems.as_ref().is_some_and(|x| x.len() == n))
                            {
                                let cols: Vec<Value> = (0..n)
                                    .map(|i| {
                                        let mut col = Value::default();
                                        let mut first = true;
                                        for r in es.iter() {
                                            if let Some(c) = r.elems.as_ref().and_then(|x| x.get(i))
                                            {
                                                col = if first { c.clone() } else { col.join(c) };
                                                first = false;
                                            }
                                        }
                                        col
                                    })
                                    .collect();
                                out.elems = Some(std::sync::Arc::new(cols));
                            }
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

    pub(super) fn member(
        &mut self,
        _w: &mut Walk,
        o: &Value,
        prop: &str,
        dotted: Option<String>,
    ) -> Value {
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
            // What this instance was made with (a record built by keyword).
            if let Some(v) = o.fields.as_ref().and_then(|f| f.get(prop)).filter(|_| inst) {
                return v.clone();
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
            // A record written out without that field (a literal, not an object of a
            // class or an API, whose methods are not fields): it has none.
            if o.is_plain_record() {
                return Value::default();
            }
        }
        // `Path(name).name`: the last component only, like `os.path.basename`.
        let bare_name = matches!(prop, "name" | "stem")
            && o.qual.as_deref().is_some_and(|q| {
                q.starts_with("pathlib.Path") || q.starts_with("pathlib.PurePath")
            });
        let mut v = Value {
            taint: o.taint.read_field(prop),
            checked: o.checked,
            derived: Vec::new(),
            ..Value::default()
        };
        // The host of a parsed URL (`urlparse(url).hostname`) remembers the URL it is the
        // host of, so that a check of the host's addresses checks the URL (see `apply_facts`).
        if matches!(prop, "hostname" | "host" | "netloc") {
            for d in o.derived.iter().take(4) {
                v.derived.push(format!("{d}.{prop}"));
            }
        }
        // One variable read from the environment (`env.HOST`, `config.clientId` of a config
        // built from it, also through a helper's parameter) is not the whole environment.
        v.taint.add_guards(Guards::FIELD_READ);
        if bare_name {
            v.taint
                .add_guards(Guards::CONTAINED.union(Guards::ONE_COMPONENT));
        }
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
        // `config.BASE` of a parameter `config`: text led by that parameter's field.
        if let Some(i) = o.bare_param() {
            v.lead_param = Some(i);
            v.lead_field = Some(std::sync::Arc::from(prop));
        }
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
                } else if let Some(k) = self
                    .module_value(idx, prop)
                    .filter(|k| k.konst.is_some() && !k.is_tainted())
                {
                    // `jb.EXTERNAL_PREFIX` of `import pkg.types as jb`: that module's text.
                    return k;
                }
            }
        }
        if prop == "stack" {
            v.stack = true;
        }
        if prop == "length" {
            v.taint.add_guards(Guards::NUMERIC.union(Guards::BOUNDED));
        }
        // An HTTP request's parsed body and query (`req.body`, `req.query`: JSON and nested
        // query strings, parsed by the framework) are documents: a field may be an object such
        // as `{"$ne": null}` where text was expected.
        if matches!(prop, "body" | "query") {
            let request = o.taint.0.keys().find_map(|l| match l {
                Label::Source(s) if self.sources[*s as usize].kind == OriginKind::HttpRequest => {
                    Some(self.sources[*s as usize].clone())
                }
                _ => None,
            });
            if let Some(info) = request {
                let src = self.source(
                    OriginKind::ParsedInput,
                    info.tool.clone(),
                    format!("the parsed {prop} of {}", info.what),
                );
                v.taint.join(&Taint::single(Label::Source(src)));
            }
        }
        v
    }
}

/// `f"https://{subdomain}.example.com/api/{id}"`: the scheme and the host are written before
/// the first part that carries input, from constants and configured (untainted) values, and
/// at least one of them is configured — the host is the operator's, the input moves the path.
pub(super) fn configured_host(vals: &[Value]) -> bool {
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
pub(super) const JSON_VALUE: &str = "@builtin:json";

/// A call whose result is a parsed JSON document: `JSON.parse`, `json.loads`/`json.load`, a
/// response's `.json()`, and `.get(…)` or a field of a JSON value.
pub(super) fn parses_json(
    qual: &str,
    method: Option<&str>,
    args: &[Value],
    receiver: Option<&Value>,
) -> bool {
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
pub(super) fn builtin_result(
    method: Option<&str>,
    receiver: Option<&Value>,
) -> Option<&'static str> {
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
pub(super) fn type_as_builtin(v: &mut Value, kind: &str, lang: Lang) {
    v.qual = Some(format!("{BUILTIN_TYPE}{kind}"));
    if kind == "num" && lang == Lang::Python {
        v.taint.add_guards(Guards::NUMERIC);
        v.checked = v.checked.union(Guards::NUMERIC);
    }
}

/// The built-in type an annotation names, looking through `Optional[…]`, `Annotated[…, …]`,
/// `X | None` and `typing.` prefixes: `str`, `list`, `dict` or `num`.
pub(super) fn builtin_type(ann: &str) -> Option<&'static str> {
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

/// The text a `.split("/")` / `.rsplit("/", n)` call splits on the path separator, if `e` is
/// one.
fn split_on_separator(e: &Expr) -> Option<&Expr> {
    let Expr::Call(c) = e else { return None };
    let Expr::Member(text, method, _) = &c.callee else {
        return None;
    };
    let separator = c
        .args
        .first()
        .is_some_and(|a| super::guards::is_separator(&a.value));
    (matches!(method.as_str(), "split" | "rsplit") && separator).then_some(&**text)
}
