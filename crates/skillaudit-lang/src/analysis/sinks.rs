//! Sinks: dangerous operations reached by a value, the flows recorded at them, and the
//! flows handed back as the analysis's result.

use super::*;

impl State<'_, '_> {
    pub(super) fn apply_sink(
        &mut self,
        w: &mut Walk,
        c: &Call,
        spec: &SinkSpec,
        args: &[Value],
        receiver: Option<&Value>,
        qual: &str,
    ) {
        let pick = |i: usize, kw: &str| -> Option<Value> {
            if !kw.is_empty() {
                if let Some(k) = c.args.iter().position(|a| a.name.as_deref() == Some(kw)) {
                    return args.get(k).cloned();
                }
            }
            let positional: Vec<&Value> = c
                .args
                .iter()
                .zip(args.iter())
                .filter(|(a, _)| a.name.is_none())
                .map(|(_, v)| v)
                .collect();
            positional.get(i).map(|v| (*v).clone())
        };
        let loc = c.loc;
        if spec.kind == SinkKind::Log {
            for (a, v) in c.args.iter().zip(args) {
                self.secret_sink(w, SinkKind::Log, v, loc, qual);
                if self.is_whole_arguments(w, &a.value) {
                    let mut only = v.clone();
                    let sources = &self.sources;
                    only.taint.0.retain(|l, _| matches!(l, Label::Source(s) if sources[*s as usize].kind == OriginKind::ToolArgument));
                    if only.is_tainted() {
                        self.sink(w, SinkKind::ArgumentsLogged, &only, loc, qual, None);
                    }
                }
            }
            return;
        }
        match spec.arg {
            SinkArg::At(i, kw) => {
                if let Some(v) = pick(i, kw) {
                    if spec.kind == SinkKind::Navigate {
                        self.navigation_sink(w, &v, loc, qual);
                    } else if spec.kind == SinkKind::Fetch && v.fields.is_some() {
                        let f = v
                            .fields
                            .as_ref()
                            .and_then(|f| {
                                f.get("url")
                                    .or_else(|| f.get("baseURL"))
                                    .or_else(|| f.get("hostname"))
                                    .or_else(|| f.get("host"))
                            })
                            .cloned();
                        if let Some(f) = f {
                            self.sink(w, spec.kind, &f, loc, qual, None);
                        }
                    } else if spec.kind == SinkKind::Fetch && relative_on_client_base(receiver, &v)
                    {
                        // `client.get(f"issues/{id}/")` on a client made with a base address:
                        // the text leads with a relative path, so the base's host is kept.
                        let mut v = v;
                        v.qual = Some(format!("lead:{CONFIGURED_BASE}"));
                        self.sink(w, spec.kind, &v, loc, qual, None);
                    } else if spec.kind == SinkKind::Fetch
                        && has_client_base(receiver)
                        && v.konst.is_none()
                        && v.lead_param.is_some()
                        && v.qual.as_deref().is_none_or(|q| !q.starts_with("lead:"))
                    {
                        // `client.request(method, path)` in a helper given the path: each
                        // caller's path decides (`/repos/…` keeps the base's host).
                        let mut v = v;
                        v.qual = Some(CONFIGURED_THEN_PARAM.into());
                        self.sink(w, spec.kind, &v, loc, qual, None);
                    } else {
                        self.sink(w, spec.kind, &v, loc, qual, None);
                    }
                }
            }
            SinkArg::All => {
                if spec.kind == SinkKind::Argv {
                    // GitPython style: every positional argument is an argv element of `git`.
                    // `*args` with known elements spreads them in order.
                    let mut elems: Vec<Value> = Vec::new();
                    for (a, v) in c.args.iter().zip(args.iter()) {
                        if a.name.is_some() {
                            continue;
                        }
                        match (&a.value, &v.elems) {
                            (Expr::Spread(..), Some(es)) => elems.extend(es.iter().cloned()),
                            _ => elems.push(v.clone()),
                        }
                    }
                    let program = if qual.starts_with("git.") {
                        Some("git".to_string())
                    } else {
                        None
                    };
                    self.argv_sink(w, loc, qual, program, &elems, None);
                } else {
                    for v in args {
                        self.sink(w, spec.kind, v, loc, qual, None);
                    }
                }
            }
            SinkArg::Receiver => {
                if let Some(r) = receiver {
                    self.sink(w, spec.kind, r, loc, qual, None);
                }
            }
            SinkArg::Field(i, field) => {
                if let Some(v) = pick(i, "") {
                    let f = v
                        .fields
                        .as_ref()
                        .and_then(|f| f.get(field))
                        .cloned()
                        .unwrap_or(v);
                    self.sink(w, spec.kind, &f, loc, qual, None);
                }
            }
            SinkArg::Spawn => {
                let program = args.first().cloned().unwrap_or_default();
                let (argv, options) = match args.get(1) {
                    Some(a) if a.elems.is_some() || a.fields.is_none() => {
                        (Some(a.clone()), args.get(2).cloned())
                    }
                    Some(a) => (None, Some(a.clone())),
                    None => (None, None),
                };
                // `shell: true` (or `!0` minified, or a shell path) in the options object.
                let shell = options.is_some()
                    && c.args
                        .last()
                        .is_some_and(|a| options_enable_shell(self.slice(w.module, a.value.loc())));
                if shell {
                    let mut all = vec![program.clone()];
                    if let Some(a) = &argv {
                        all.push(a.clone());
                    }
                    let v = Value::derived_from(all.iter());
                    self.sink(w, SinkKind::Shell, &v, loc, qual, None);
                    return;
                }
                self.sink(w, SinkKind::Program, &program, loc, qual, None);
                let elems = argv.as_ref().and_then(|a| a.elems.clone());
                match (elems, argv) {
                    (Some(es), _) => self.argv_sink(w, loc, qual, program.konst.clone(), &es, None),
                    (None, Some(a)) => {
                        self.argv_sink(w, loc, qual, program.konst.clone(), &[], Some(&a))
                    }
                    _ => {}
                }
            }
            SinkArg::Subprocess => {
                let a0 = pick(0, "args").unwrap_or_default();
                let shell = c.args.iter().any(|a| {
                    a.name.as_deref() == Some("shell")
                        && self.slice(w.module, a.value.loc()).trim() == "True"
                });
                if shell {
                    let v = match &a0.elems {
                        Some(es) => Value::derived_from(es.iter()),
                        None => a0.clone(),
                    };
                    self.sink(w, SinkKind::Shell, &v, loc, qual, None);
                    return;
                }
                match &a0.elems {
                    Some(es) if !es.is_empty() => {
                        self.sink(w, SinkKind::Program, &es[0], loc, qual, None);
                        self.argv_sink(w, loc, qual, es[0].konst.clone(), &es[1..], None);
                    }
                    _ => self.sink(w, SinkKind::Program, &a0, loc, qual, None),
                }
            }
        }
    }

    /// Argument vectors: a user-chosen element that is not an option's value, comes before any
    /// `--`, and may start with `-` is argument injection; `sh -c <text>` is a shell line.
    pub(super) fn argv_sink(
        &mut self,
        w: &mut Walk,
        loc: Loc,
        qual: &str,
        program: Option<String>,
        elems: &[Value],
        opaque: Option<&Value>,
    ) {
        if let Some(p) = &program {
            if catalog::is_shell_program(p) {
                if let Some(pos) = elems
                    .iter()
                    .position(|e| matches!(e.konst.as_deref(), Some("-c" | "/c" | "-Command")))
                {
                    if let Some(text) = elems.get(pos + 1) {
                        self.sink(w, SinkKind::Shell, text, loc, qual, program.clone());
                    }
                    return;
                }
            }
            if !catalog::is_option_sensitive_program(p) {
                return;
            }
        }
        if let Some(v) = opaque {
            self.sink(w, SinkKind::Argv, v, loc, qual, program);
            return;
        }
        for e in option_positions(elems) {
            self.sink(w, SinkKind::Argv, e, loc, qual, program.clone());
        }
    }

    pub(super) fn navigation_sink(&mut self, w: &mut Walk, v: &Value, loc: Loc, api: &str) {
        if v.konst.is_some() {
            return;
        }
        if let Some(lead) = v.qual.as_deref().and_then(|q| q.strip_prefix("lead:")) {
            if lead.starts_with("http")
                || lead.starts_with('/')
                || lead.starts_with('#')
                || lead.starts_with('?')
            {
                return;
            }
        }
        if v.is_tainted() {
            self.sink(w, SinkKind::Navigate, v, loc, api, None);
        } else if v.func.is_none() && v.elems.is_none() && v.fields.is_none() {
            let src = self.source(
                OriginKind::Unchecked,
                None,
                "a URL computed elsewhere and not checked here".into(),
            );
            let mut u = v.clone();
            u.taint = Taint::single(Label::Source(src)).with_guards(v.checked);
            self.sink(w, SinkKind::Navigate, &u, loc, api, None);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn sink(
        &mut self,
        w: &mut Walk,
        kind: SinkKind,
        v: &Value,
        loc: Loc,
        api: &str,
        program: Option<String>,
    ) {
        self.note_use(w, kind, v, loc, api);
        if !v.is_tainted() {
            return;
        }
        let site = Site {
            kind,
            module: w.module,
            loc,
            // A path is the model's whole choice unless it is placed under a folder (an
            // extension appended does not narrow where it is).
            whole: if kind == SinkKind::FileAccess {
                !v.rooted
            } else {
                !v.composed
            },
            api: api.to_string(),
            program,
            via: Vec::new(),
            // An environment variable's name led by constant text: the namespace the input
            // chooses within (`MCP_FORMATTER_{agent}`).
            detail: if kind == SinkKind::Fetch && v.qual.as_deref() == Some(CONFIGURED_THEN_PARAM) {
                Some(CONFIGURED_THEN_PARAM.into())
            } else {
                v.qual
                    .as_deref()
                    .and_then(|q| q.strip_prefix("lead:"))
                    .filter(|l| kind == SinkKind::EnvName && !l.is_empty())
                    .map(|l| format!("prefix:{l}"))
            },
            guessed: self.guessing > 0,
        };
        self.emit(w, &site, v, Guards::NONE);
    }

    /// Record a flow: labelled by a parameter → the function's summary; by a source → reported.
    pub(super) fn emit(&mut self, w: &mut Walk, site: &Site, v: &Value, extra: Guards) {
        let extra = if site.kind == SinkKind::Fetch && fixes_host(v) {
            extra.union(Guards::HOST_FIXED)
        } else {
            extra
        };
        for (label, g) in &v.taint.0 {
            let guards = v.guards_for(*g).union(extra);
            match label {
                Label::Param(i, field) => {
                    if w.summary.events.len() < 256 {
                        let same = w.summary.events.iter_mut().find(|e| {
                            e.param == *i
                                && (e.field.is_none() || e.field == *field)
                                && e.site.loc == site.loc
                                && e.site.kind == site.kind
                                && e.site.module == site.module
                        });
                        let host_lead = if site.kind == SinkKind::Fetch {
                            w.host_lead.clone().or_else(|| host_lead_of(v))
                        } else {
                            None
                        };
                        if let Some(e) = same {
                            e.guards = weakest_guards(site.kind, e.guards, guards);
                            // Led differently on another way here: no caller can fix it.
                            if e.host_lead != host_lead {
                                e.host_lead = None;
                            }
                            // Reached under other flags too: only the flags both ways share.
                            e.requires.retain(|c| w.flag_conds.contains(c));
                        } else {
                            w.summary.events.push(SumEvent {
                                param: *i,
                                field: field.clone(),
                                guards,
                                site: with_env_prefix(site, v),
                                requires: w.flag_conds.clone(),
                                host_lead,
                            });
                        }
                    }
                }
                Label::Source(s) => {
                    if guards.has(Guards::FIELD_READ)
                        && is_configuration_bundle(&self.sources[*s as usize])
                    {
                        continue;
                    }
                    // The name of a secret store sent, written or returned (a config file's
                    // path in a log line or a telemetry event) is not its contents.
                    if guards.has(Guards::PLACE_NAME)
                        && !guards.has(Guards::CONTENT_READ)
                        && matches!(
                            site.kind,
                            SinkKind::NetworkSend | SinkKind::FileWrite | SinkKind::ToolResult
                        )
                        && self.sources[*s as usize].kind == OriginKind::LocalSecret
                    {
                        continue;
                    }
                    let mut site = with_env_prefix(site, v);
                    // (The marker is for callers deciding the host; a source here decides it.)
                    if site.detail.as_deref() == Some(CONFIGURED_THEN_PARAM) {
                        site.detail = None;
                    }
                    if let Some(tool) = w
                        .tool_case
                        .clone()
                        .or_else(|| w.tool.clone())
                        .filter(|t| !t.is_empty())
                    {
                        let info = self.sources[*s as usize].clone();
                        if info.tool.is_none() && matches!(info.kind, OriginKind::ToolArgument) {
                            let idx = self.source(
                                info.kind,
                                Some(tool.clone()),
                                info.what
                                    .replace("the tool call", &format!("tool `{tool}`")),
                            );
                            self.record_flow(site.clone(), guards, idx);
                            continue;
                        }
                    }
                    site.via.retain(|x| !x.is_empty());
                    self.record_flow(site, guards, *s);
                }
            }
        }
    }

    pub(super) fn record_flow(&mut self, site: Site, guards: Guards, source: u32) {
        let key = (site.module, site.loc.start, site.kind, source);
        // A flow found again in a later round is that round's: round 0 walks handlers before
        // any summary exists, so a check that only a summary shows (a validator's body) was
        // not seen then.
        let round = self.round;
        let earlier = self
            .flow_round
            .insert(key, round)
            .is_some_and(|r| r < round);
        match self.flows.get_mut(&key) {
            Some(existing) if earlier => {
                *existing = (site, guards, source);
            }
            Some(existing) => {
                // The same sink reached several ways: keep the weakest guards, and it is a
                // guess only if every way was.
                existing.1 = weakest_guards(site.kind, existing.1, guards);
                existing.0.guessed &= site.guessed;
            }
            None => {
                self.flows.insert(key, (site, guards, source));
            }
        }
    }

    /// Follow only the credentials a value carries into a sink where they must not go; the
    /// whole environment object counts as all of them.
    pub(super) fn secret_sink(
        &mut self,
        w: &mut Walk,
        kind: SinkKind,
        v: &Value,
        loc: Loc,
        api: &str,
    ) {
        let whole_env = matches!(v.qual.as_deref(), Some("process.env" | "os.environ"));
        let has_env = v.taint.0.keys().any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Environment));
        if !whole_env && !has_env {
            return;
        }
        let mut only = v.clone();
        // A number or a boolean made from a credential (`bool(key)`, `key.length`) says nothing of it.
        only.taint.0.retain(|l, g| {
            !g.any(Guards::NUMERIC)
                && matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Environment)
        });
        if whole_env {
            let src = self.source(
                OriginKind::Environment,
                None,
                "the whole environment".into(),
            );
            only.taint.join(&Taint::single(Label::Source(src)));
        }
        if only.is_tainted() {
            self.sink(w, kind, &only, loc, api, None);
        }
    }

    pub(super) fn check_tool_result(&mut self, w: &mut Walk, v: &Value, loc: Loc) {
        self.secret_sink(w, SinkKind::ToolResult, v, loc, "return");
        // Contents of local secret stores handed to the model (the whole environment is the
        // credentials rules' business, through `secret_sink`).
        let mut local = v.clone();
        local.taint.0.retain(|l, _| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::LocalSecret && self.sources[*s as usize].what != "the whole environment"));
        if local.is_tainted() {
            self.sink(w, SinkKind::ToolResult, &local, loc, "return", None);
        }
        let exception = v.taint.0.keys().any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Exception));
        if !exception && !v.stack {
            return;
        }
        let kind = if v.stack {
            SinkKind::StackTrace
        } else {
            SinkKind::ErrorText
        };
        let mut only_exc = v.clone();
        only_exc.taint.0.retain(|l, _| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::Exception));
        if only_exc.taint.is_empty() {
            let src = self.source(OriginKind::Exception, None, "stack trace".into());
            only_exc.taint = Taint::single(Label::Source(src));
        }
        let site = Site {
            kind,
            module: w.module,
            loc,
            whole: true,
            api: "return".into(),
            program: None,
            via: Vec::new(),
            detail: None,
            guessed: self.guessing > 0,
        };
        self.emit(w, &site, &only_exc, Guards::NONE);
    }

    // ------------------------------------------------------------ handlers and transports

    pub(super) fn finish_flows(&self) -> Vec<Flow> {
        let mut out = Vec::new();
        for (site, guards, s) in self.flows.values() {
            let info = &self.sources[*s as usize];
            let exception = info.kind == OriginKind::Exception;
            if exception != matches!(site.kind, SinkKind::StackTrace | SinkKind::ErrorText) {
                continue;
            }
            // HTML built from tool arguments is returned to the model, not served to a browser.
            if site.kind == SinkKind::Html
                && matches!(
                    info.kind,
                    OriginKind::ToolArgument | OriginKind::PromptArgument | OriginKind::ResourceUri
                )
            {
                continue;
            }
            // A parsed document shadows the input it came from: it matters where objects and
            // operators do (document-database filters); elsewhere the input itself is reported.
            if info.kind == OriginKind::ParsedInput && site.kind != SinkKind::NoSqlFilter {
                continue;
            }
            // Network responses matter for code, shell and markup, not for further requests.
            if info.kind == OriginKind::NetworkResponse
                && !matches!(
                    site.kind,
                    SinkKind::Shell
                        | SinkKind::Eval
                        | SinkKind::Deserialize
                        | SinkKind::Html
                        | SinkKind::Sql
                )
            {
                continue;
            }
            let md = &self.modules[site.module];
            let (line, column) = md.lines.position(md.text, site.loc.start);
            let (end_line, _) = md.lines.position(md.text, site.loc.end);
            out.push(Flow {
                kind: site.kind,
                file: md.module.path.clone(),
                line,
                column,
                end_line,
                origin: Origin {
                    kind: info.kind.clone(),
                    tool: info.tool.clone(),
                    what: info.what.clone(),
                },
                // `FIELD_READ` and `PLACE_NAME` are bookkeeping, not guards; `CONTENT_READ`
                // stays on argument vectors, whose rule tells the text of the call from what
                // a file it names holds.
                guards: Guards(
                    guards.0
                        & !Guards::FIELD_READ.0
                        & !Guards::PLACE_NAME.0
                        & !(if site.kind == SinkKind::Argv {
                            0
                        } else {
                            Guards::CONTENT_READ.0
                        }),
                ),
                whole: site.whole,
                api: site.api.clone(),
                program: site.program.clone(),
                snippet: snippet(md.text, site.loc, md.minified),
                via: site.via.clone(),
                detail: site.detail.clone(),
                guessed: site.guessed,
            });
        }
        out.sort_by(|a, b| {
            (a.file.as_str(), a.line, a.column, a.kind).cmp(&(
                b.file.as_str(),
                b.line,
                b.column,
                b.kind,
            ))
        });
        out
    }
}

/// Whether an options object's source text turns the shell on.
pub(super) fn options_enable_shell(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.match_indices("shell:").any(|(i, m)| {
        let rest = &compact[i + m.len()..];
        rest.starts_with("true")
            || rest.starts_with("!0")
            || rest.starts_with('"')
            || rest.starts_with('\'')
    })
}

/// The value a call passes through as the same URL text, if it is one of those conversions.
pub(super) fn url_passthrough<'v>(
    qual: &str,
    method: Option<&str>,
    args: &'v [Value],
    receiver: Option<&'v Value>,
) -> Option<&'v Value> {
    match (qual, method) {
        ("URL" | "String" | "encodeURI", _) if args.len() == 1 => args.first(),
        (_, Some("toString" | "toJSON")) if args.is_empty() => receiver,
        _ => None,
    }
}

/// The constant lead of a URL that a call passes through unchanged: `new URL(x)` (no base),
/// `String(x)`, `x.toString()`, `x.href`-style conversions.
pub(super) fn url_lead_kept(
    qual: &str,
    method: Option<&str>,
    args: &[Value],
    receiver: Option<&Value>,
) -> Option<String> {
    url_passthrough(qual, method, args, receiver)?
        .qual
        .as_deref()
        .filter(|q| q.starts_with("lead:"))
        .map(str::to_string)
}

/// Constant text a value starts with: the constant itself, or its constant lead.
pub(super) fn text_lead(v: &Value) -> Option<&str> {
    v.konst.as_deref().or_else(|| {
        v.qual
            .as_deref()
            .and_then(|q| q.strip_prefix("lead:"))
            .filter(|l| !l.starts_with('@'))
    })
}

/// A URL that starts with what a parameter of this function holds (`fetch(`${base}${path}`)`):
/// its callers decide whether the host is fixed.
fn host_lead_of(v: &Value) -> Option<HostLead> {
    let param = v.lead_param?;
    if text_lead(v).is_some() {
        return None;
    }
    Some(HostLead {
        param,
        field: v.lead_field.clone(),
        then: v.then_lead.clone(),
    })
}

/// What a caller's arguments say about a URL led by a parameter: the host is fixed, still
/// decided by this caller's own parameters (`Err(Some(lead))`), or open (`Err(None)`).
/// `input` tells which sources are input (an environment variable is the operator's).
pub(super) fn decide_host(
    h: &HostLead,
    mapped: &[Value],
    input: &dyn Fn(u32) -> bool,
) -> Result<(), Option<HostLead>> {
    let Some((lead, passed_on)) = caller_lead(mapped, h.param, h.field.as_ref()) else {
        return Err(None);
    };
    if lead
        .taint
        .0
        .keys()
        .any(|l| matches!(l, Label::Source(s) if input(*s)))
    {
        return Err(None);
    }
    let has_params = lead.taint.0.keys().any(|l| matches!(l, Label::Param(..)));
    // (An argument with fields but not the one named: a record whose field is not known.)
    let lead_text = text_lead(lead);
    if lead.qual.as_deref() == Some(&*format!("lead:{CONFIGURED_BASE}"))
        || lead_text.is_some_and(text_fixes_host)
    {
        return Ok(());
    }
    let then = match &h.then {
        Some(ThenLead::Text(t)) => Some(ThenLead::Text(t.clone())),
        Some(ThenLead::Param(j, f)) => then_through(mapped, *j, f.as_ref()),
        // The URL handed over whole: what follows its lead is the caller's to say.
        None => lead.then_lead.clone(),
    };
    let then_is_path =
        matches!(&then, Some(ThenLead::Text(t)) if t.starts_with('/') && !t.starts_with("//"));
    // A base from configuration or a constant naming the scheme and host, followed by a path:
    // the host is the base's.
    let configured = !has_params
        && match lead_text {
            Some(t) => t.contains("://"),
            None => lead.lead_param.is_none(),
        };
    if configured && then_is_path {
        return Ok(());
    }
    match passed_on {
        Some((param, field)) if has_params && lead_text.is_none() => {
            Err(Some(HostLead { param, field, then }))
        }
        _ => Err(None),
    }
}

/// The caller's value for parameter `i` (or its field), and the parameter (and field) of the
/// caller that value starts with, if any: `config` passed on whole makes `config.BASE` the
/// caller's own `config.BASE`.
#[allow(clippy::type_complexity)]
pub(super) fn caller_lead<'a>(
    mapped: &'a [Value],
    i: u8,
    field: Option<&std::sync::Arc<str>>,
) -> Option<(&'a Value, Option<(u8, Option<std::sync::Arc<str>>)>)> {
    let arg = mapped.get(usize::from(i))?;
    let (v, rest) = match (field, &arg.fields) {
        (Some(f), Some(fs)) => (fs.get(&**f)?, None),
        (f, _) => (arg, f.cloned()),
    };
    let lead = v.lead_param.and_then(|k| match (&v.lead_field, rest) {
        (Some(lf), None) => Some((k, Some(lf.clone()))),
        (None, rest) => Some((k, rest)),
        (Some(_), Some(_)) => None,
    });
    Some((v, lead))
}

/// What follows a URL's lead, as the caller's arguments say: their constant text, or the
/// caller's own parameter.
pub(super) fn then_through(
    mapped: &[Value],
    j: u8,
    field: Option<&std::sync::Arc<str>>,
) -> Option<ThenLead> {
    let (b, passed_on) = caller_lead(mapped, j, field)?;
    match (text_lead(b), passed_on) {
        (Some(t), _) => Some(ThenLead::Text(t.to_string())),
        (_, Some((k, f))) => Some(ThenLead::Param(k, f)),
        _ => None,
    }
}

/// Constant text that names the scheme and the host and then ends the authority.
fn text_fixes_host(t: &str) -> bool {
    fixes_host(&Value {
        qual: Some(format!("lead:{t}")),
        ..Value::default()
    })
}

/// The elements of an argument vector that a program could read as an option: input that is
/// not the value of the option before it (`["-p", prompt]`), not led by constant text, and
/// not after `--`.
pub(super) fn option_positions(elems: &[Value]) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut prev_option = false;
    for e in elems {
        if e.konst.as_deref() == Some("--") {
            break;
        }
        if let Some(k) = &e.konst {
            prev_option = k.starts_with('-') && !k.contains('=');
            continue;
        }
        let leads_with_text = e.qual.as_deref().is_some_and(|q| q.starts_with("lead:"));
        if e.is_tainted() && !prev_option && !leads_with_text {
            out.push(e);
        }
        prev_option = false;
    }
    out
}

/// A URL built from constant text that names the scheme and the host and then ends the
/// authority (`https://api.example.com/…`, `http://localhost:8080?…`).
/// The lead of a URL whose scheme and host come from configuration (see `Expr::Concat`).
pub(super) const CONFIGURED_BASE: &str = "configured://base/";
/// A URL made of a configured base followed directly by a parameter of the function: the host
/// is fixed when the caller's value for it starts with `/` (see `apply_call`).
pub(super) const CONFIGURED_THEN_PARAM: &str = "lead:@configured-then-param";

/// An HTTP client made with a base address (see `client_base`).
fn has_client_base(receiver: Option<&Value>) -> bool {
    receiver
        .and_then(|r| r.fields.as_ref())
        .is_some_and(|f| f.contains_key(super::calls::CLIENT_BASE))
}

/// A request made through a client with a base address, to a URL that starts with constant
/// relative text (`f"issues/{id}/"`, `` `/repos/${owner}` ``): it goes to the base's host. A
/// URL the input gives whole could be absolute and replace it.
pub(super) fn relative_on_client_base(receiver: Option<&Value>, url: &Value) -> bool {
    let has_base = has_client_base(receiver);
    let lead = url.qual.as_deref().and_then(|q| q.strip_prefix("lead:"));
    has_base
        && lead.is_some_and(|l| {
            !l.is_empty() && !l.contains("://") && !l.starts_with("//") && !l.contains(':')
        })
}

pub(super) fn fixes_host(v: &Value) -> bool {
    let Some(lead) = v.qual.as_deref().and_then(|q| q.strip_prefix("lead:")) else {
        return false;
    };
    if lead == CONFIGURED_BASE {
        return true;
    }
    // A path on the client's own host (`/v2/projects/{id}`): whatever follows, the URL is
    // relative — it resolves against the client's base address, or the request is refused.
    // `/` alone is not enough (`/` + `/evil.example` is scheme-relative), nor `/\`.
    if let Some(rest) = lead.strip_prefix('/') {
        return rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '~'));
    }
    let Some((scheme, rest)) = lead.split_once("://") else {
        return false;
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    match rest.find(['/', '?', '#']) {
        // The host is spelled out and something closes it; `@` before it could still
        // redirect (`https://api.example.com@${host}`), so it must not appear.
        Some(end) => scheme_ok && end > 0 && !rest[..end].contains('@'),
        None => false,
    }
}

pub(super) fn looks_like_html(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [
        "<div",
        "<html",
        "<body",
        "<p>",
        "<p ",
        "<span",
        "<h1",
        "<h2",
        "<script",
        "<a ",
        "<td",
        "<li",
        "<pre",
        "<strong",
        "<br",
        "<!doctype",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

/// A helper reading the variable its caller names, named there with a constant lead
/// (`read_limit(f"MCP_RATE_LIMIT_{tool}")`, also a caller's caller): the namespace the input
/// chooses within.
fn with_env_prefix(site: &Site, v: &Value) -> Site {
    let mut site = site.clone();
    if site.kind == SinkKind::EnvName && site.detail.is_none() {
        site.detail = v
            .qual
            .as_deref()
            .and_then(|q| q.strip_prefix("lead:"))
            .filter(|l| !l.is_empty())
            .map(|l| format!("prefix:{l}"));
    }
    site
}

/// The guards of a sink reached several ways: the weakest, and a guess only if every way was.
/// Two parts of one input each made safe for the sink (`f"{valid_id}_{int(limit)}.json"`, a
/// checked field and a number field of the same arguments) stay safe together, though by
/// different guards.
pub(super) fn weakest_guards(kind: SinkKind, a: Guards, b: Guards) -> Guards {
    let kept = a.intersect(b);
    if super::reach::guarded_for(kind, a)
        && super::reach::guarded_for(kind, b)
        && !super::reach::guarded_for(kind, kept)
    {
        kept.union(a.intersect(kind.sanitised_by().union(Guards::HOST_FIXED)))
    } else {
        kept
    }
}
