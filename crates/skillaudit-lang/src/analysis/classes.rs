//! Calls resolved by what the receiver is: classes named in the code, instances made by their
//! constructors, methods found along the bases (by name, across the package's modules), and
//! fields set on `self` / `this` in one method and read in another.
//!
//! A class value is `@class:<module>:<Name>`, an instance `@inst:<module>:<Name>` (in
//! [`Value::qual`]); a member of either resolves to the method of that name on the class or the
//! first of its bases that defines it.

use super::{FuncRef, State, Walk};
use crate::ir::{Expr, Lang};
use crate::taint::Value;

/// How deep base classes are followed (cycles and long chains stop here).
const MAX_BASES_DEPTH: u32 = 8;

/// `(is_instance, module, class name)` of a class or instance value.
pub(super) fn class_of(v: &Value) -> Option<(bool, usize, &str)> {
    let q = v.qual.as_deref()?;
    let (inst, rest) = if let Some(r) = q.strip_prefix("@class:") {
        (false, r)
    } else if let Some(r) = q.strip_prefix("@inst:") {
        (true, r)
    } else {
        return None;
    };
    let (m, name) = rest.split_once(':')?;
    Some((inst, m.parse().ok()?, name))
}

impl State<'_, '_> {
    /// The module defining a class of this name: `m` itself first, then any project module
    /// (the first in path order), for classes imported by name.
    pub(super) fn find_class(&self, m: usize, name: &str) -> Option<usize> {
        if self
            .prototype_classes
            .get(m)
            .is_some_and(|p| p.contains(name))
        {
            return Some(m);
        }
        let at = self.class_at.get(name)?;
        if at.contains(&m) {
            return Some(m);
        }
        let lang = self.modules.get(m)?.lang;
        at.iter().copied().find(|i| self.modules[*i].lang == lang)
    }

    /// A value standing for the class `name` of module `m`, if the module (or the project)
    /// defines one.
    pub(super) fn class_value(&self, m: usize, name: &str) -> Option<Value> {
        let at = self.find_class(m, name)?;
        Some(Value::qual(format!("@class:{at}:{name}")))
    }

    /// The method `method` of class `class` (defined in module `m`) or of its bases.
    pub(super) fn class_method(&self, m: usize, class: &str, method: &str) -> Option<FuncRef> {
        let mut todo: Vec<(usize, String, u32)> = vec![(m, class.to_string(), 0)];
        let mut seen: Vec<(usize, String)> = Vec::new();
        while let Some((cm, cname, depth)) = todo.pop() {
            if depth > MAX_BASES_DEPTH || seen.contains(&(cm, cname.clone())) {
                continue;
            }
            seen.push((cm, cname.clone()));
            if let Some(id) = self.by_name[cm].get(&format!("{cname}.{method}")) {
                return Some((cm, *id));
            }
            let Some(cls) = self.modules[cm]
                .module
                .classes
                .iter()
                .find(|c| c.name == cname)
            else {
                continue;
            };
            // Bases in declaration order: push in reverse so the first base is tried first.
            for b in cls.bases.iter().rev() {
                let Some(bname) = base_name(b) else { continue };
                if let Some(bm) = self.find_class(cm, &bname) {
                    todo.push((bm, bname, depth + 1));
                }
            }
        }
        None
    }

    /// The constructor of a class (`__init__` / `constructor`), along the bases; for a
    /// constructor function (`function Server(opts) { this.root = … }` with
    /// `Server.prototype.*` methods), the function itself.
    pub(super) fn constructor(&self, m: usize, class: &str) -> Option<FuncRef> {
        let name = match self.modules[m].lang {
            Lang::Python => "__init__",
            Lang::JavaScript => "constructor",
        };
        self.class_method(m, class, name).or_else(|| {
            (self.modules[m].lang == Lang::JavaScript)
                .then(|| self.by_name[m].get(class).map(|id| (m, *id)))
                .flatten()
        })
    }

    /// The class enclosing the function being walked: a class's method, a prototype function
    /// (`Server.prototype.serve`), or a constructor function whose prototype has methods — or
    /// the class of the nearest function enclosing a closure (an arrow function, or a callback
    /// that kept `var self = this`).
    pub(super) fn enclosing_class(&self, w: &Walk) -> Option<String> {
        let functions = &self.modules.get(w.module)?.module.functions;
        let mut f = w.func;
        for _ in 0..super::MAX_SCOPE_DEPTH {
            let func = functions.get(f)?;
            if let Some(c) = &func.class {
                return Some(c.clone());
            }
            if let Some((class, _)) = func.name.split_once(".prototype.") {
                return Some(class.to_string());
            }
            if self.prototype_classes[w.module].contains(&func.name) {
                return Some(func.name.clone());
            }
            f = func.parent.filter(|p| *p != f && *p != 0)?;
        }
        None
    }

    /// `this` where no frame binds it: an instance of the [enclosing
    /// class](Self::enclosing_class), so `self.handle(req)` and `this.root` resolve through it.
    pub(super) fn this_instance(&self, w: &Walk) -> Option<Value> {
        let class = self.enclosing_class(w)?;
        Some(Value::qual(format!("@inst:{}:{class}", w.module)))
    }

    /// Remember a value written to `self.field` / `this.field` for the class's other methods.
    pub(super) fn note_field(&mut self, w: &Walk, field: &str, v: &Value) {
        let Some(class) = self.enclosing_class(w) else {
            return;
        };
        if self.class_fields.len() >= 50_000 {
            return;
        }
        let key = (w.module, class, field.to_string());
        // Parameters are the writing method's own: in another method they mean nothing (and
        // would be read as that method's parameters). Real sources stay.
        let mut v = v.clone();
        v.taint
            .0
            .retain(|l, _| matches!(l, crate::taint::Label::Source(_)));
        v.lead_param = None;
        let joined = match self.class_fields.get(&key) {
            Some(old) => old.join(&v),
            None => v,
        };
        self.class_fields.insert(key, joined);
    }

    /// A field of `self` / `this` written by another method of the class (or a base).
    pub(super) fn field_of_self(&self, w: &Walk, field: &str) -> Option<Value> {
        let class = self.enclosing_class(w)?;
        if let Some(v) = self
            .class_fields
            .get(&(w.module, class.clone(), field.to_string()))
        {
            return Some(v.clone());
        }
        // Class-level attributes (`KEY = "…"` in the class body) are bound as `Class.KEY`.
        self.module_env[w.module]
            .get(&format!("{class}.{field}"))
            .cloned()
    }
}

/// The name a base-class expression refers to (`Base`, `mixins.Base` → `Base`).
fn base_name(e: &Expr) -> Option<String> {
    let d = e.dotted()?;
    Some(d.rsplit('.').next().unwrap_or(&d).to_string())
}
