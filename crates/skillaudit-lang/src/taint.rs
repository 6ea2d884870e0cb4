//! Abstract values: where a value came from (labels), which guards it passed, and what is known
//! about it (a constant, an API it names, a function, array elements, object fields).

use crate::ir::FuncId;
use std::collections::BTreeMap;

/// A set of guards, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Guards(pub u32);

impl Guards {
    pub const NONE: Guards = Guards(0);
    /// Containment in a root directory was checked.
    pub const CONTAINED: Guards = Guards(1);
    /// Symlinks were resolved (`realpath`) before use.
    pub const RESOLVED: Guards = Guards(1 << 1);
    /// Membership in a fixed set / equality with a constant.
    pub const ALLOWLIST: Guards = Guards(1 << 2);
    /// The URL's scheme or host was checked.
    pub const URL_CHECKED: Guards = Guards(1 << 3);
    /// Quoted for a shell (`shlex.quote`).
    pub const SHELL_QUOTED: Guards = Guards(1 << 4);
    /// URL-encoded (`encodeURIComponent`, `quote(…, safe="")`).
    pub const URL_ENCODED: Guards = Guards(1 << 5);
    /// HTML-escaped.
    pub const HTML_ESCAPED: Guards = Guards(1 << 6);
    /// A leading `-` was rejected.
    pub const DASH_CHECKED: Guards = Guards(1 << 7);
    /// Converted to a number or boolean.
    pub const NUMERIC: Guards = Guards(1 << 8);
    /// Passed to a validation function or matched against a pattern.
    pub const VALIDATED: Guards = Guards(1 << 9);
    /// Escaped or quoted for SQL.
    pub const SQL_ESCAPED: Guards = Guards(1 << 10);
    /// Compared against a bound or clamped.
    pub const BOUNDED: Guards = Guards(1 << 11);
    /// The URL starts with constant text that fixes its scheme and host
    /// (`https://api.example.com/repos/${owner}`): the input can move the path, not the host.
    pub const HOST_FIXED: Guards = Guards(1 << 12);
    /// A named field was read from the value (`env.HOST`): not a guard, a fact that stops
    /// the whole environment's label (one variable is not all of them). No sink counts it.
    pub const FIELD_READ: Guards = Guards(1 << 13);
    /// The value names a secret store (its path, or text built around it) rather than holding
    /// what is stored there: reading the file, or a command printing it, drops the mark. Not a
    /// guard either; the behaviour sinks that move contents (sends, files written, tool
    /// results) do not count a name.
    pub const PLACE_NAME: Guards = Guards(1 << 14);
    /// A file named by the value was read on the way here (`open(p).read()` in a helper given
    /// the path): a caller's store name that reaches it becomes the store's contents. Kept
    /// when one path of a join has it.
    pub const CONTENT_READ: Guards = Guards(1 << 15);
    /// Checked to hold only characters from a safe set that includes `-` at the start
    /// (`^[\w.-]+$`, `[^a-z0-9_-]` stripped): no shell or path metacharacters, yet the text may
    /// still be an option to a program (`-oProxyCommand=…`). Sanitises what `VALIDATED` does,
    /// except argument vectors.
    pub const VALIDATED_TEXT: Guards = Guards(1 << 16);
    /// Reduced to one path component (`basename`, `Path(x).name`, a name refused when it
    /// holds a separator): it cannot climb or name an absolute path. Always with `CONTAINED`.
    pub const ONE_COMPONENT: Guards = Guards(1 << 17);
    /// Refused when a component is `..` (`".." in Path(p).parts`, `p.split("/").includes("..")`).
    /// With `RELATIVE`, the path stays under whatever folder it is joined to: `CONTAINED`.
    pub const NO_PARENT: Guards = Guards(1 << 18);
    /// Refused when absolute (`p.startswith("/")`, `os.path.isabs(p)`, `path.isAbsolute(p)`).
    pub const RELATIVE: Guards = Guards(1 << 19);

    pub fn has(self, g: Guards) -> bool {
        self.0 & g.0 == g.0 && g.0 != 0
    }
    pub fn any(self, g: Guards) -> bool {
        self.0 & g.0 != 0
    }
    pub const fn union(self, g: Guards) -> Guards {
        Guards(self.0 | g.0)
    }
    pub fn intersect(self, g: Guards) -> Guards {
        Guards(self.0 & g.0)
    }
    /// With what two checks together imply: a relative path with no `..` component is
    /// contained in the folder it is joined to.
    pub fn with_implied(self) -> Guards {
        if self.has(Guards::NO_PARENT.union(Guards::RELATIVE)) {
            self.union(Guards::CONTAINED)
        } else {
            self
        }
    }

    /// Names of the guards present, for messages.
    pub fn names(self) -> Vec<&'static str> {
        const ALL: &[(Guards, &str)] = &[
            (Guards::CONTAINED, "containment check"),
            (Guards::ONE_COMPONENT, "single path component"),
            (Guards::RESOLVED, "symlinks resolved"),
            (Guards::ALLOWLIST, "allowlist"),
            (Guards::URL_CHECKED, "scheme/host check"),
            (Guards::SHELL_QUOTED, "shell quoting"),
            (Guards::URL_ENCODED, "URL encoding"),
            (Guards::HTML_ESCAPED, "HTML escaping"),
            (Guards::DASH_CHECKED, "leading-dash check"),
            (Guards::NUMERIC, "numeric conversion"),
            (Guards::VALIDATED, "validation"),
            (Guards::VALIDATED_TEXT, "validation (may start with `-`)"),
            (Guards::SQL_ESCAPED, "SQL escaping"),
            (Guards::BOUNDED, "bound check"),
            (Guards::HOST_FIXED, "fixed scheme and host"),
        ];
        ALL.iter()
            .filter(|(g, _)| self.has(*g))
            .map(|(_, n)| *n)
            .collect()
    }
}

/// The guards of one label reaching by two paths (see [`Taint::join`]).
fn join_guards(a: Guards, b: Guards) -> Guards {
    let strong = Guards::ALLOWLIST
        .union(Guards::VALIDATED)
        .union(Guards::NUMERIC);
    let general = strong.union(Guards::VALIDATED_TEXT);
    let mut out = a
        .intersect(b)
        .union(a.union(b).intersect(Guards::CONTENT_READ));
    if a.any(strong) && b.any(strong) {
        out = out.union(Guards::VALIDATED);
    } else if a.any(general) && b.any(general) {
        out = out.union(Guards::VALIDATED_TEXT);
    }
    let path_safe = general.union(Guards::CONTAINED);
    if a.any(path_safe) && b.any(path_safe) {
        out = out.union(Guards::CONTAINED);
    }
    out
}

/// Where a tainted value came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// The i-th parameter of the function being summarised, or one named field of it
    /// (`opts["path"]`, `config.get("name")`, `req.body`): a caller that passes a record
    /// whose fields are known gives that field's value, not the whole record's.
    Param(u8, Option<std::sync::Arc<str>>),
    /// A real source, indexed into the analysis's source table.
    Source(u32),
}

/// Labels with the guards each one passed on the way here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Taint(pub BTreeMap<Label, Guards>);

impl Taint {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn single(label: Label) -> Self {
        let mut m = BTreeMap::new();
        m.insert(label, Guards::NONE);
        Taint(m)
    }

    /// Union of two taints; a label reaching by both paths keeps only the guards both share —
    /// and, when each path was made safe by a different general guard (a name stripped to safe
    /// characters joined with a number or an extension), that it is safe: validated when both
    /// are validated, allowlisted or numeric; contained when both are that or contained.
    pub fn join(&mut self, other: &Taint) {
        for (l, g) in &other.0 {
            self.0
                .entry(l.clone())
                .and_modify(|e| *e = join_guards(*e, *g))
                .or_insert(*g);
        }
    }

    /// The taint of a field read by name from a value with this taint: a whole parameter
    /// becomes that field of the parameter (a field of a field stays the outer field).
    pub fn read_field(&self, field: &str) -> Taint {
        let name: std::sync::Arc<str> = std::sync::Arc::from(field);
        let mut out = Taint::default();
        for (l, g) in &self.0 {
            let l = match l {
                Label::Param(i, None) => Label::Param(*i, Some(name.clone())),
                other => other.clone(),
            };
            out.0
                .entry(l)
                .and_modify(|e| *e = join_guards(*e, *g))
                .or_insert(*g);
        }
        out
    }

    /// Drop a mark from every label (`PLACE_NAME` once the file named is read).
    pub fn remove_guards(&mut self, g: Guards) {
        for v in self.0.values_mut() {
            *v = Guards(v.0 & !g.0);
        }
    }

    pub fn add_guards(&mut self, g: Guards) {
        for v in self.0.values_mut() {
            *v = v.union(g).with_implied();
        }
    }

    pub fn with_guards(mut self, g: Guards) -> Self {
        self.add_guards(g);
        self
    }
}

/// A reference to a function in the project: (module index, function id).
pub type FuncRef = (usize, FuncId);

/// The key, which no program can name, that marks an object whose listed fields are not all
/// it holds: an input object given the fields its schema guards (see `Value::fields_hold_all`).
pub const OPEN_FIELDS: &str = "\u{0}open";

/// What follows the parameter-led start of a text (see `Value::then_lead`).
#[derive(Clone, Debug, PartialEq)]
pub enum ThenLead {
    /// Constant text (`${base}/items/${id}`: `/items/`).
    Text(String),
    /// Whatever a parameter (or one of its fields) starts with (`${base}${path}`).
    Param(u8, Option<std::sync::Arc<str>>),
}

/// What is known about a value.
#[derive(Clone, Debug, Default)]
pub struct Value {
    pub taint: Taint,
    /// Guards applied to the value itself (also when it carries no label).
    pub checked: Guards,
    /// A known string constant.
    pub konst: Option<String>,
    /// The constants this value may be when branches or loop elements differ (at most 16):
    /// `for cmd in ["a", "b"]` gives `cmd` both.
    pub alts: Option<std::sync::Arc<std::collections::BTreeSet<String>>>,
    /// The API this value names (`child_process.exec`, `git.Repo()`, `*.query`).
    pub qual: Option<String>,
    /// A function value.
    pub func: Option<FuncRef>,
    /// Known array elements (argument vectors); shared, so copying a value stays cheap.
    pub elems: Option<std::sync::Arc<Vec<Value>>>,
    /// Known object fields (options objects); shared likewise.
    pub fields: Option<std::sync::Arc<BTreeMap<String, Value>>>,
    /// Built by string concatenation / formatting with constant text.
    pub composed: bool,
    /// Starts with text the input does not choose: a folder or base it is placed under
    /// (`os.path.join(ROOT, name)`, `f"{BASE}/{id}"`, `root / name`). A suffix (`name + ".docx"`)
    /// does not root it.
    pub rooted: bool,
    /// Contains HTML markup from a constant part.
    pub html: bool,
    /// Holds a stack trace.
    pub stack: bool,
    /// Variables this value was derived from (guards on it also apply to them).
    pub derived: Vec<String>,
    /// Guard facts this value stands for when used as a condition (`const ok = allowed.has(x)`).
    pub facts: Facts,
    /// Text that begins with whatever parameter N of the function being summarised begins
    /// with (`new URL(base)`, `base + "?x"`): a caller passing a constant lead gets it back.
    pub lead_param: Option<u8>,
    /// With `lead_param`: the field of that parameter whose text leads (`${config.BASE}…`).
    pub lead_field: Option<std::sync::Arc<str>>,
    /// What follows a parameter-led part (`${base}${path}`), decided like the lead by each
    /// caller: whether the host of a URL is fixed takes both.
    pub then_lead: Option<ThenLead>,
    /// A constant whose truth is known (`True`, `False`, `None`, `0`, `""`): a flag a caller
    /// passes decides which branches of the callee run.
    pub truth: Option<bool>,
    /// Text that ends with a path separator written in the code (`f"{root}/"`): a prefix
    /// test with it is separator-aware.
    pub sep_tail: bool,
    /// A function value with its first arguments fixed (`f.bind(this, a)`): a call passes
    /// these before its own.
    pub bound: Option<std::sync::Arc<Vec<Value>>>,
}

/// What a condition tells about variables on each of its branches: `yes` holds where the
/// condition is true (`allowed.has(x)` → x is allowlisted), `no` where it is false
/// (`x.startsWith("-")` → x was checked for a leading dash).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub yes: Vec<(String, Guards)>,
    pub no: Vec<(String, Guards)>,
}

impl Facts {
    /// Facts that hold when the condition is true.
    pub fn when_true(facts: Vec<(String, Guards)>) -> Self {
        Facts {
            yes: facts,
            no: Vec::new(),
        }
    }

    /// Facts that hold when the condition is false.
    pub fn when_false(facts: Vec<(String, Guards)>) -> Self {
        Facts {
            yes: Vec::new(),
            no: facts,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.yes.is_empty() && self.no.is_empty()
    }

    /// The facts of the negated condition.
    pub fn negate(self) -> Self {
        Facts {
            yes: self.no,
            no: self.yes,
        }
    }

    /// Add facts known on the same branches (two reasons for the same condition).
    pub fn extend(&mut self, other: Facts) {
        self.yes.extend(other.yes);
        self.no.extend(other.no);
    }

    /// `a && b`: where it is true both hold; where it is false only what both falses share.
    pub fn and(self, other: Facts) -> Self {
        let mut yes = self.yes;
        yes.extend(other.yes);
        Facts {
            yes,
            no: shared(&self.no, &other.no),
        }
    }

    /// `a || b`: where it is false both are false; where it is true only what both share.
    pub fn or(self, other: Facts) -> Self {
        let mut no = self.no;
        no.extend(other.no);
        Facts {
            yes: shared(&self.yes, &other.yes),
            no,
        }
    }
}

/// Facts on both lists (a variable guarded by both, with the guards both give).
fn shared(a: &[(String, Guards)], b: &[(String, Guards)]) -> Vec<(String, Guards)> {
    let mut out: Vec<(String, Guards)> = Vec::new();
    for (name, ga) in a {
        let gb = b
            .iter()
            .filter(|(n, _)| n == name)
            .fold(Guards::NONE, |acc, (_, g)| acc.union(*g));
        let g = ga.intersect(gb);
        if g != Guards::NONE {
            match out.iter_mut().find(|(n, _)| n == name) {
                Some((_, prev)) => *prev = prev.union(g),
                None => out.push((name.clone(), g)),
            }
        }
    }
    out
}

impl Value {
    pub fn konst(s: impl Into<String>) -> Self {
        Value {
            konst: Some(s.into()),
            ..Value::default()
        }
    }

    pub fn qual(q: impl Into<String>) -> Self {
        Value {
            qual: Some(q.into()),
            ..Value::default()
        }
    }

    pub fn is_tainted(&self) -> bool {
        !self.taint.is_empty()
    }

    /// Merge another value in, as a value derived from both (string building, unknown calls).
    pub fn absorb(&mut self, other: &Value) {
        self.taint.join(&other.taint);
        self.html |= other.html;
        self.stack |= other.stack;
        for d in &other.derived {
            if self.derived.len() < 16 && !self.derived.contains(d) {
                self.derived.push(d.clone());
            }
        }
        // Guards on the value itself survive only if both had them.
        self.checked = if self.taint.is_empty() && self.konst.is_none() {
            other.checked
        } else {
            self.checked.intersect(other.checked)
        };
    }

    /// A value derived from several inputs: taint, markup and derivations of all of them.
    pub fn derived_from<'v>(parts: impl IntoIterator<Item = &'v Value>) -> Value {
        let mut out = Value::default();
        let mut first = true;
        for p in parts {
            out.taint.join(&p.taint);
            out.html |= p.html;
            out.stack |= p.stack;
            out.rooted |= p.rooted;
            for d in &p.derived {
                if out.derived.len() < 16 && !out.derived.contains(d) {
                    out.derived.push(d.clone());
                }
            }
            out.checked = if first {
                p.checked
            } else {
                out.checked.intersect(p.checked)
            };
            first = false;
        }
        out
    }

    /// Effective guards for a label at a sink: the label's own plus the value's.
    pub fn guards_for(&self, g: Guards) -> Guards {
        g.union(self.checked)
    }

    /// A record whose known fields carry everything it carries (a literal written out, or
    /// built up field by field): a field it does not list is absent, not unknown. Something
    /// spread in whole, or an input object whose schema guards only some of its fields,
    /// carries more than its fields.
    pub fn fields_hold_all(&self) -> bool {
        self.fields.as_ref().is_some_and(|fields| {
            !fields.contains_key(OPEN_FIELDS)
                && self
                    .taint
                    .0
                    .iter()
                    .all(|(l, g)| fields.values().any(|f| f.taint.0.get(l) == Some(g)))
        })
    }

    /// The parameter of the function being summarised that this value is, as it was passed
    /// (not a constant, nothing else mixed in): `Some(i)` for parameter i.
    pub fn bare_param(&self) -> Option<u8> {
        let i = self.lead_param?;
        let only = self.konst.is_none()
            && self.lead_field.is_none()
            && self.taint.0.len() == 1
            && self
                .taint
                .0
                .keys()
                .all(|l| matches!(l, Label::Param(j, None) if *j == i));
        only.then_some(i)
    }

    /// A record of data written out in the code (a dict or object literal, fields set on it)
    /// that carries input only through its fields: reading a field it does not have gives
    /// nothing. Not an object of a class or an API, whose methods are not fields.
    pub fn is_plain_record(&self) -> bool {
        self.qual.is_none()
            && self.func.is_none()
            && self.elems.is_none()
            && self.is_tainted()
            && self.fields_hold_all()
    }

    /// Join two branch values of the same variable.
    pub fn join(&self, other: &Value) -> Value {
        let mut out = self.clone();
        out.taint.join(&other.taint);
        out.checked = self.checked.intersect(other.checked);
        if out.konst != other.konst {
            let mut alts: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
            for v in [self, other] {
                if let Some(k) = &v.konst {
                    alts.insert(k.clone());
                }
                if let Some(a) = &v.alts {
                    alts.extend(a.iter().cloned());
                }
            }
            out.konst = None;
            out.alts = (!alts.is_empty() && alts.len() <= 16).then(|| std::sync::Arc::new(alts));
        }
        if out.qual.is_none() {
            out.qual = other.qual.clone();
        }
        if out.func.is_none() {
            out.func = other.func;
        }
        out.html |= other.html;
        out.stack |= other.stack;
        out.composed |= other.composed;
        // Rooted only when every branch that carries input is: one branch where the model
        // names the whole path makes the whole path its choice.
        out.rooted = match (self.is_tainted(), other.is_tainted()) {
            (true, true) => self.rooted && other.rooted,
            (true, false) => self.rooted,
            (false, true) => other.rooted,
            (false, false) => self.rooted || other.rooted,
        };
        if out.lead_param != other.lead_param || out.lead_field != other.lead_field {
            out.lead_param = None;
            out.lead_field = None;
        }
        if out.then_lead != other.then_lead {
            out.then_lead = None;
        }
        if out.truth != other.truth {
            out.truth = None;
        }
        // (`None` on the other branch is no prefix at all: `f"{slug}/" if slug else None`.)
        let nothing = |v: &Value| v.truth == Some(false) && !v.is_tainted();
        out.sep_tail = (self.sep_tail || nothing(self))
            && (other.sep_tail || nothing(other))
            && (self.sep_tail || other.sep_tail);
        // A branch whose elements carry nothing (`(None,)`, `[]`) does not blur the other
        // branch's vector: `("--contains", x)` keeps its option before `x`.
        let inert = |es: &Vec<Value>| es.iter().all(|e| !e.is_tainted() && e.konst.is_none());
        out.elems = match (&self.elems, &other.elems) {
            (Some(a), Some(b)) if inert(a) && !inert(b) => Some(b.clone()),
            (Some(a), Some(b)) if inert(b) && !inert(a) => Some(a.clone()),
            (Some(a), Some(b)) if !std::sync::Arc::ptr_eq(a, b) => {
                // Element by element; the longer side's extra elements are kept as they are
                // (`args.push(x)` on one branch only).
                let mut es: Vec<Value> = a.iter().zip(b.iter()).map(|(x, y)| x.join(y)).collect();
                let longer = if a.len() > b.len() { a } else { b };
                es.extend(longer.iter().skip(es.len()).cloned());
                Some(std::sync::Arc::new(es))
            }
            (Some(a), _) => Some(a.clone()),
            (None, b) => b.clone(),
        };
        // A field known on one path only is, on the other path, whatever the object held
        // there: it keeps that object's labels (`if (u.path === "/") u.path = "/index"`
        // leaves `u.path` tainted after the branch).
        let unknown = |obj: &Value| Value {
            taint: obj.taint.clone(),
            ..Value::default()
        };
        out.fields = match (&self.fields, &other.fields) {
            (Some(a), Some(b)) if std::sync::Arc::ptr_eq(a, b) => Some(a.clone()),
            (None, None) => None,
            (a, b) => {
                let empty = BTreeMap::new();
                let (fa, fb) = (
                    a.as_deref().unwrap_or(&empty),
                    b.as_deref().unwrap_or(&empty),
                );
                // A side that may hold fields it does not list lends its input to the keys
                // it lacks; a record written out has none under them.
                let other_open = other.is_tainted() && !other.fields_hold_all();
                let self_open = self.is_tainted() && !self.fields_hold_all();
                let mut fs = BTreeMap::new();
                for (k, x) in fa {
                    let j = match fb.get(k) {
                        Some(y) => x.join(y),
                        None if other_open => x.join(&unknown(other)),
                        None => x.clone(),
                    };
                    fs.insert(k.clone(), j);
                }
                for (k, y) in fb {
                    if !fa.contains_key(k) {
                        let j = if self_open {
                            y.join(&unknown(self))
                        } else {
                            y.clone()
                        };
                        fs.insert(k.clone(), j);
                    }
                }
                Some(std::sync::Arc::new(fs))
            }
        };
        for d in &other.derived {
            if out.derived.len() < 16 && !out.derived.contains(d) {
                out.derived.push(d.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keeps_only_guards_both_paths_share() {
        let mut a = Taint::single(Label::Param(0, None))
            .with_guards(Guards::CONTAINED.union(Guards::RESOLVED));
        let b = Taint::single(Label::Param(0, None)).with_guards(Guards::CONTAINED);
        a.join(&b);
        assert_eq!(a.0.get(&Label::Param(0, None)), Some(&Guards::CONTAINED));
    }

    #[test]
    fn join_of_argument_vectors_keeps_elements_of_both_branches() {
        let tainted = Value {
            taint: Taint::single(Label::Param(0, None)),
            ..Value::default()
        };
        let a = Value {
            elems: Some(std::sync::Arc::new(vec![Value::konst("delete")])),
            ..Value::default()
        };
        let b = Value {
            elems: Some(std::sync::Arc::new(vec![Value::konst("delete"), tainted])),
            ..Value::default()
        };
        for j in [a.join(&b), b.join(&a)] {
            let es = j.elems.expect("elements kept");
            assert_eq!(es.len(), 2);
            assert_eq!(es[0].konst.as_deref(), Some("delete"));
            assert!(es[1].is_tainted());
        }
    }

    #[test]
    fn an_empty_branch_does_not_blur_an_option_before_a_value() {
        let tainted = Value {
            taint: Taint::single(Label::Param(0, None)),
            ..Value::default()
        };
        let none = Value {
            elems: Some(std::sync::Arc::new(vec![Value::default()])),
            ..Value::default()
        };
        let with_option = Value {
            elems: Some(std::sync::Arc::new(vec![
                Value::konst("--contains"),
                tainted,
            ])),
            ..Value::default()
        };
        for j in [none.join(&with_option), with_option.join(&none)] {
            let es = j.elems.expect("elements kept");
            assert_eq!(es[0].konst.as_deref(), Some("--contains"));
            assert!(es[1].is_tainted());
        }
    }

    #[test]
    fn facts_follow_branch_polarity() {
        let x = |g| vec![("x".to_string(), g)];
        // `!(x === "a")`: pinned where false.
        let f = Facts::when_true(x(Guards::ALLOWLIST)).negate();
        assert!(f.yes.is_empty());
        assert_eq!(f.no, x(Guards::ALLOWLIST));
        // `x === "a" || x === "b"`: pinned where true (both sides agree).
        let f = Facts::when_true(x(Guards::ALLOWLIST)).or(Facts::when_true(x(Guards::ALLOWLIST)));
        assert_eq!(f.yes, x(Guards::ALLOWLIST));
        // `x.startsWith("~") || x === "~"`: nothing certain where true.
        let f = Facts::default().or(Facts::when_true(x(Guards::ALLOWLIST)));
        assert!(f.yes.is_empty() && f.no.is_empty());
        // `a && b` false: only what both falses share.
        let f =
            Facts::when_false(x(Guards::DASH_CHECKED)).and(Facts::when_true(x(Guards::VALIDATED)));
        assert_eq!(f.yes, x(Guards::VALIDATED));
        assert!(f.no.is_empty());
    }

    #[test]
    fn guard_names_list_present_guards() {
        let g = Guards::DASH_CHECKED.union(Guards::ALLOWLIST);
        assert_eq!(g.names(), vec!["allowlist", "leading-dash check"]);
    }
}
