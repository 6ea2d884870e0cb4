//! The behaviour part of the analysis: what code does on the machine regardless of who calls
//! it. String constants that name secret stores or controlled places carry labels
//! ([`OriginKind::LocalSecret`], [`OriginKind::PersistencePlace`] …) that the ordinary value
//! model follows; this module adds the sinks those labels matter at (data sent to the network,
//! files written or deleted) and the techniques seen in the code itself (command lines, shells
//! wired to sockets, setuid bits). Nothing here runs the code.

use super::calls::callee_last_name;
use super::{Behaviour, OriginKind, Site, State, Walk};
use crate::behaviour::{self as bh, ControlPlace, Technique};
use crate::catalog::SinkKind;
use crate::ir::{Call, Expr, Lang, Loc};
use crate::taint::{Guards, Label, Taint, Value};

/// How a file operation changes the file system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileOp {
    Write,
    Delete,
}

/// Calls that send data: socket and mail sends, DNS lookups (the name is data too).
fn is_send_api(qual: &str, method: Option<&str>, receiver: Option<&Value>) -> bool {
    if matches!(
        qual,
        "socket.gethostbyname"
            | "socket.gethostbyname_ex"
            | "socket.getaddrinfo"
            | "socket.create_connection"
            | "dns.resolver.resolve"
            | "dns.resolver.query"
            | "dns.lookup"
            | "dns.resolve"
            | "dns.resolve4"
            | "dns.resolveTxt"
            | "dns.promises.lookup"
            | "dns.promises.resolve"
            | "dns.promises.resolveTxt"
    ) {
        return true;
    }
    let Some(m) = method else {
        return false;
    };
    let recv = receiver.and_then(|r| r.qual.as_deref()).unwrap_or("");
    let socketish = recv.contains("socket")
        || recv.contains("Socket")
        || recv.starts_with("net.")
        || recv.starts_with("tls.")
        || recv.starts_with("dgram.")
        || websocket_api(recv);
    let mailish = recv.contains("smtplib") || recv.contains("nodemailer") || m == "sendMail";
    let requestish = (recv.starts_with("http.request") || recv.starts_with("https.request"))
        && matches!(m, "write" | "end");
    (socketish && matches!(m, "send" | "sendall" | "sendto" | "write" | "end" | "emit"))
        || (mailish && matches!(m, "sendmail" | "send_message" | "sendMail"))
        || requestish
}

/// A WebSocket connection: the `ws` package, the WHATWG `WebSocket` global, Python's
/// `websockets` and `websocket-client`, socket.io clients.
fn websocket_api(recv: &str) -> bool {
    let root = recv.split(['.', '(']).next().unwrap_or(recv);
    matches!(
        root,
        "ws" | "WebSocket" | "websockets" | "websocket" | "socket_io_client" | "socketio"
    ) || recv.contains("WebSocket")
        || recv.contains("websocket")
}

/// Calls that open a connection to the address they are given.
fn connection_api(qual: &str) -> bool {
    matches!(
        qual,
        "ws" | "WebSocket"
            | "ws.WebSocket"
            | "websockets.connect"
            | "websockets.client.connect"
            | "websocket.create_connection"
            | "socket.create_connection"
            | "net.connect"
            | "net.createConnection"
            | "tls.connect"
            | "smtplib.SMTP"
            | "smtplib.SMTP_SSL"
            | "http.request"
            | "https.request"
            | "socket.io-client"
            | "socket_io_client"
    )
}

/// A connection's address when the code fixes it: a constant host name with a dot or a literal
/// address, alone or first in a `(host, port)` pair.
fn constant_host(v: &Value) -> Option<String> {
    // `http.request({ host, path })`: the options' host.
    let field = v
        .fields
        .as_ref()
        .and_then(|f| f.get("hostname").or_else(|| f.get("host")));
    let first = field
        .or_else(|| v.elems.as_ref().and_then(|es| es.first()))
        .unwrap_or(v);
    let text = first.konst.as_deref()?;
    let host = text.trim();
    let hostlike = host.len() >= 4
        && host.contains('.')
        && host
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | ':'))
        && !host.starts_with('.')
        && !host.ends_with('.');
    (hostlike && host != "127.0.0.1" && !host.starts_with("localhost")).then(|| host.to_string())
}

/// A call that asks name servers about a name.
fn is_dns_lookup(qual: &str) -> bool {
    qual.starts_with("dns.")
        || matches!(
            qual,
            "socket.gethostbyname" | "socket.gethostbyname_ex" | "socket.getaddrinfo"
        )
}

/// The constant domain a DNS lookup's name ends in (`f"{chunk}.t.example"` → `t.example`).
fn dns_zone(qual: &str, c: &Call) -> Option<String> {
    if !is_dns_lookup(qual) {
        return None;
    }
    let Expr::Concat(parts, _) = &c.args.first()?.value else {
        return None;
    };
    let Expr::Str(tail, _) = parts.last()? else {
        return None;
    };
    let zone = tail.trim_start_matches('.').trim_end_matches('.');
    let labels: Vec<&str> = zone.split('.').collect();
    let tld = labels.last()?;
    (labels.len() >= 2
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')))
    .then(|| zone.to_ascii_lowercase())
}

/// The file operation a call performs and the argument positions holding the paths it
/// changes (`None`: the receiver, for `Path(p).write_text(…)`).
fn file_op(
    lang: Lang,
    qual: &str,
    method: Option<&str>,
    c: &Call,
    mode: &str,
) -> Option<(FileOp, Vec<Option<usize>>)> {
    use FileOp::*;
    let last = qual.rsplit('.').next().unwrap_or(qual);
    match lang {
        Lang::Python => {
            if matches!(qual, "open" | "io.open" | "aiofiles.open" | "codecs.open")
                || (method == Some("open") && qual.contains("Path"))
            {
                let writes = mode.contains(['w', 'a', 'x', '+']);
                let at = if method == Some("open") {
                    None
                } else {
                    Some(0)
                };
                return writes.then(|| (Write, vec![at]));
            }
            match qual {
                "os.remove" | "os.unlink" | "os.rmdir" | "os.removedirs" | "shutil.rmtree" => {
                    return Some((Delete, vec![Some(0)]))
                }
                "os.chmod" | "os.chown" | "os.lchown" | "os.utime" | "os.truncate"
                | "os.mkfifo" | "os.makedirs" | "os.mkdir" => return Some((Write, vec![Some(0)])),
                "os.symlink" | "os.link" => return Some((Write, vec![Some(1)])),
                _ if is_copy_api(lang, qual) => return Some((Write, vec![Some(1)])),
                _ => {}
            }
            if method.is_some() && !c.new {
                return match last {
                    "write_text" | "write_bytes" | "touch" | "symlink_to" | "hardlink_to"
                    | "chmod" | "mkdir" => Some((Write, vec![None])),
                    "unlink" | "rmdir" => Some((Delete, vec![None])),
                    _ => None,
                };
            }
            None
        }
        Lang::JavaScript => {
            if !fs_module(qual) {
                return None;
            }
            if is_copy_api(lang, qual) {
                return Some((Write, vec![Some(1)]));
            }
            let stem = last.trim_end_matches("Sync");
            match stem {
                "writeFile" | "appendFile" | "createWriteStream" | "outputFile" | "writeJson"
                | "outputJson" | "truncate" | "chmod" | "chown" | "lchown" | "utimes"
                | "lutimes" | "mkdir" | "ensureFile" | "ensureDir" | "mkdirp" => {
                    Some((Write, vec![Some(0)]))
                }
                "symlink" | "link" => Some((Write, vec![Some(1)])),
                "unlink" | "rm" | "rmdir" | "remove" | "emptyDir" => Some((Delete, vec![Some(0)])),
                _ => None,
            }
        }
    }
}

/// Labels of a value and of everything it holds (object fields, array elements), bounded.
fn deep_taint(v: &Value, depth: u32, out: &mut Taint) {
    out.join(&v.taint);
    if depth >= 4 {
        return;
    }
    if let Some(fs) = &v.fields {
        for f in fs.values().take(64) {
            deep_taint(f, depth + 1, out);
        }
    }
    if let Some(es) = &v.elems {
        for e in es.iter().take(64) {
            deep_taint(e, depth + 1, out);
        }
    }
}

/// How code names the home folder.
const HOME_EXPRS: &[&str] = &[
    "expanduser(\"~\")",
    "expanduser('~')",
    "Path.home()",
    "os.homedir()",
    "homedir()",
];

/// Folders directly under the home folder that hold the user's own work.
const USER_DATA_FOLDERS: &[&str] = &[
    "Documents",
    "Desktop",
    "Pictures",
    "Photos",
    "Music",
    "Videos",
    "Movies",
    "Downloads",
    "Projects",
    "src",
    "code",
    "repos",
    "workspace",
    "git",
    "dev",
    "OneDrive",
    "Dropbox",
    "Library",
    "AppData",
];

/// Whether expression text ends in a name of the home folder (`Path.home()`,
/// `os.path.expanduser("~")`), spaces ignored.
fn names_home(text: &str) -> bool {
    let t = text.replace(' ', "");
    HOME_EXPRS.iter().any(|h| t.ends_with(h))
}

/// Whether a folder name directly under home holds the user's own work.
fn is_user_folder(name: &str) -> bool {
    USER_DATA_FOLDERS
        .iter()
        .any(|f| name.eq_ignore_ascii_case(f))
}

/// The constant texts a value may hold: its constant, the alternatives of its branches, or
/// its known elements joined as an argument vector.
fn texts(v: &Value) -> Vec<String> {
    if let Some(k) = &v.konst {
        return vec![k.clone()];
    }
    if let Some(alts) = &v.alts {
        return alts.iter().cloned().collect();
    }
    if let Some(es) = &v.elems {
        let parts: Vec<String> = es
            .iter()
            .map(|e| match (&e.konst, &e.alts) {
                (Some(k), _) => k.clone(),
                (None, Some(a)) => a.iter().next().cloned().unwrap_or_default(),
                _ => "{}".to_string(),
            })
            .collect();
        if parts.iter().any(|p| p != "{}") {
            return vec![parts.join(" ")];
        }
    }
    if let Some(lead) = v.qual.as_deref().and_then(|q| q.strip_prefix("lead:")) {
        return vec![lead.to_string()];
    }
    Vec::new()
}

/// Calls whose result is the value they are given, copied, converted or serialised
/// (`dict(x)`, `x.copy()`, `JSON.stringify(x)`, `base64.b64encode(x)`), as opposed to calls
/// that merely use it.
pub(super) fn keeps_whole_value(qual: &str, method: Option<&str>) -> bool {
    let last = method.unwrap_or_else(|| qual.rsplit('.').next().unwrap_or(qual));
    matches!(
        last,
        "dict"
            | "list"
            | "tuple"
            | "str"
            | "repr"
            | "copy"
            | "deepcopy"
            | "items"
            | "keys"
            | "values"
            | "entries"
            | "fromEntries"
            | "assign"
            | "stringify"
            | "dumps"
            | "dump"
            | "encode"
            | "decode"
            | "b64encode"
            | "urlsafe_b64encode"
            | "b32encode"
            | "hexlify"
            | "b16encode"
            | "compress"
            | "toString"
            | "String"
            | "from"
            | "format"
            | "join"
            | "urlencode"
            | "encodeURIComponent"
            | "encodeURI"
            | "escape"
            | "quote"
            | "update"
            | "filter"
            | "map"
            | "reduce"
            | "sorted"
            | "parse"
            | "loads"
            | "safe_dump"
            | "OrderedDict"
            | "Map"
            | "Object"
            | "zip"
            | "chain"
            | "get_json"
            | "json"
            // The same items in another container or order, the same text in another case
            // or encoding: `enumerate(chunks)`, `reversed(x)`, `text.encode().hex()`.
            | "enumerate"
            | "reversed"
            | "iter"
            | "islice"
            | "set"
            | "frozenset"
            | "bytes"
            | "bytearray"
            | "hex"
            | "b85encode"
            | "a85encode"
            | "strip"
            | "lower"
            | "upper"
            | "replace"
            | "split"
            | "splitlines"
    )
}

/// Text that starts with a scheme and a whole host (`https://api.example.com/…`), not just
/// `https://` before a configured host.
pub(super) fn fixed_host(t: &str) -> bool {
    let Some(rest) = ["http://", "https://", "ws://", "wss://"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
    else {
        return false;
    };
    let host: &str = rest.split(['/', '?', '#']).next().unwrap_or("");
    // The host must end inside the constant text (a `/` follows it) and hold a dot or be a
    // literal address.
    rest.len() > host.len() && host.len() >= 3 && (host.contains('.') || host.contains(':'))
}

/// The path a value holds, as text (`/tmp/.cache`, `{}/.ssh`), or empty when unknown.
fn path_text(v: &Value) -> String {
    texts(v).into_iter().next().unwrap_or_default()
}

/// Calls that download something, in either language (a module that makes a file executable
/// and runs it is judged with these).
const DOWNLOAD_CALLS: &[&str] = &[
    "https.get(",
    "http.get(",
    "fetch(",
    "axios",
    "got(",
    "urlopen(",
    "urlretrieve(",
    "requests.get(",
    "httpx.get(",
    "download",
];

/// The kind of secret store an origin description names (`other clients' configuration
/// (`x`)` → `other clients' configuration`).
fn place_kind_of(what: &str) -> &str {
    what.split(" (`").next().unwrap_or(what)
}

/// The text of a string built from pieces, with `{}` for the unknown ones (`/proc/{}/environ`),
/// when at least one piece is known.
pub(super) fn template_text(parts: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut known = false;
    for p in parts {
        // (One of several alternatives is not the text: a loop over seven folder names
        // does not name the first of them.)
        if let Some(k) = p.konst.as_deref().or_else(|| {
            p.alts
                .as_ref()
                .filter(|a| a.len() == 1)
                .and_then(|a| a.iter().next())
                .map(String::as_str)
        }) {
            out.push_str(k);
            known |= !k.is_empty();
        } else if let Some(lead) = p.qual.as_deref().and_then(|q| q.strip_prefix("lead:")) {
            out.push_str(lead);
            out.push_str("{}");
            known |= !lead.is_empty();
        } else {
            out.push_str("{}");
        }
        if out.len() > 512 {
            return None;
        }
    }
    known.then_some(out)
}

/// The setuid/setgid/world-writable bits of a mode written in the source (`0o4755`, `0o777`,
/// `"4755"`, `stat.S_ISUID`).
fn mode_bits(text: &str) -> Option<u32> {
    let t = text.trim().trim_matches(['"', '\'']);
    if t.contains("S_ISUID") || t.contains("S_ISGID") {
        return Some(0o4000);
    }
    let digits = t
        .strip_prefix("0o")
        .or_else(|| t.strip_prefix("0O"))
        .or_else(|| t.strip_prefix('0').filter(|r| !r.is_empty()))
        .unwrap_or(t);
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return None;
    }
    u32::from_str_radix(digits, 8).ok()
}

impl State<'_, '_> {
    /// The kinds of secret store a path value names: from the places its pieces were
    /// recognised as, and from its own text.
    fn place_kinds(&self, path: &Value) -> Vec<String> {
        let mut kinds: Vec<String> = Vec::new();
        for l in path.taint.0.keys() {
            if let Label::Source(s) = l {
                let o = &self.sources[*s as usize];
                if o.kind == OriginKind::LocalSecret {
                    kinds.push(place_kind_of(&o.what).to_string());
                }
            }
        }
        for t in texts(path) {
            if let Some((_, d)) = bh::secret_place(&t) {
                kinds.push(d.to_string());
            }
        }
        kinds
    }

    /// Labels for a string constant naming a secret store or a controlled place (cached).
    pub(super) fn place_taint(&mut self, text: &str) -> Taint {
        if text.len() < 4 || text.len() > 512 {
            return Taint::default();
        }
        if let Some(t) = self.place_labels.get(text) {
            return t.clone();
        }
        let mut t = Taint::default();
        if let Some((_, d)) = bh::secret_place(text) {
            let src = self.source(OriginKind::LocalSecret, None, format!("{d} (`{text}`)"));
            t.join(&Taint::single(Label::Source(src)).with_guards(Guards::PLACE_NAME));
        }
        if let Some((k, d)) = bh::control_place(text) {
            let kind = match k {
                ControlPlace::Persistence => OriginKind::PersistencePlace,
                ControlPlace::Privilege => OriginKind::PrivilegePlace,
                ControlPlace::Traces => OriginKind::TracePlace,
                ControlPlace::ClientConfig => OriginKind::ClientConfigPlace,
                ControlPlace::WebRoot => OriginKind::WebRootPlace,
            };
            let src = self.source(kind, None, format!("{d} (`{text}`)"));
            t.join(&Taint::single(Label::Source(src)));
        }
        if self.place_labels.len() < 100_000 {
            self.place_labels.insert(text.to_string(), t.clone());
        }
        t
    }

    /// Record a technique seen at a place in the code (once per place and technique).
    pub(super) fn behaviour(&mut self, w: &Walk, technique: Technique, loc: Loc, detail: String) {
        if !self.behaviour_seen.insert((w.module, loc.start, technique)) {
            return;
        }
        let md = &self.modules[w.module];
        let (line, column) = md.lines.position(md.text, loc.start);
        self.behaviours.push(Behaviour {
            technique,
            file: md.module.path.clone(),
            line,
            column,
            snippet: super::snippet(md.text, loc, md.minified),
            detail,
        });
    }

    fn untrusted_or_param(&self, t: &Taint) -> bool {
        t.0.keys().any(|l| match l {
            Label::Param(..) => true,
            Label::Source(s) => self.sources[*s as usize].kind.is_input(),
        })
    }

    /// Where an outbound request goes: `fixed:<url>` for a constant address, `input` for one
    /// chosen by untrusted input, `param` for a helper's parameter, `configured` otherwise.
    fn destination(&self, url: Option<&Value>) -> String {
        let Some(u) = url else {
            return "configured".into();
        };
        if let Some(t) = texts(u).into_iter().next() {
            if fixed_host(&t) {
                return format!("fixed:{t}");
            }
        }
        if u.taint
            .0
            .keys()
            .any(|l| matches!(l, Label::Source(s) if self.sources[*s as usize].kind.is_input()))
        {
            return "input".into();
        }
        if u.taint.0.keys().any(|l| matches!(l, Label::Param(..))) {
            return "param".into();
        }
        "configured".into()
    }

    /// Behaviour checks of one call, once its arguments are known.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn behaviour_call(
        &mut self,
        w: &mut Walk,
        c: &Call,
        qual: &str,
        method: Option<&str>,
        args: &[Value],
        receiver: Option<&Value>,
        spec_kind: Option<SinkKind>,
    ) {
        let lang = self.modules[w.module].lang;
        let discarded = self.discarded_call == Some((w.module, c.loc.start));
        let kw = |name: &str| c.args.iter().position(|a| a.name.as_deref() == Some(name));
        let positional: Vec<usize> = c
            .args
            .iter()
            .enumerate()
            .filter(|(_, a)| a.name.is_none())
            .map(|(i, _)| i)
            .collect();

        // A program run by the name of a file this module made executable, in a module that
        // downloads: the download is what runs (`fetch → write → chmod 755 → execFile`).
        if spec_kind == Some(SinkKind::Program) || spec_kind == Some(SinkKind::Argv) {
            if let Some(a) = positional.first().and_then(|i| c.args.get(*i)) {
                // `run([path, "--flag"])`: the program is the vector's first element.
                let text = self.slice(w.module, a.value.loc()).trim();
                let name = text
                    .strip_prefix('[')
                    .map_or(text, |t| t.split(',').next().unwrap_or(t))
                    .trim_end_matches(']')
                    .trim()
                    .to_string();
                // (The module's text is searched only for a file made executable.)
                if self.made_executable.contains(&(w.module, name.clone()))
                    && DOWNLOAD_CALLS
                        .iter()
                        .any(|d| self.modules[w.module].text.contains(d))
                {
                    self.behaviour(
                        w,
                        Technique::DownloadExecute,
                        c.loc,
                        format!("runs `{name}`, a file it made executable after a download"),
                    );
                }
            }
        }

        // A copy of a secret store (`shutil.copy(cookies, tmp)`, `fs.copyFileSync(key, dst)`)
        // is the store: the destination folder or file names the same secret, and what is
        // read back from it is the secret's content.
        if is_copy_api(lang, qual) {
            if let (Some(src), Some(dst_at)) = (
                positional.first().and_then(|i| args.get(*i)),
                positional.get(1).copied(),
            ) {
                let secret: std::collections::BTreeMap<Label, Guards> = src
                    .taint
                    .0
                    .iter()
                    .filter(|(l, _)| {
                        matches!(l, Label::Source(s)
                            if self.sources[*s as usize].kind == OriginKind::LocalSecret)
                    })
                    .map(|(l, g)| (l.clone(), *g))
                    .collect();
                if let (false, Some(Expr::Name(dst, _))) =
                    (secret.is_empty(), c.args.get(dst_at).map(|a| &a.value))
                {
                    let dst = dst.clone();
                    let mut v = self.lookup(w, &dst).unwrap_or_default();
                    v.taint.join(&Taint(secret));
                    self.bind(w, &dst, v);
                }
            }
        }

        // Data leaving the machine.
        if spec_kind == Some(SinkKind::Fetch) || is_send_api(qual, method, receiver) {
            let url_at = kw("url").or_else(|| {
                let first_is_method = positional
                    .first()
                    .and_then(|i| args.get(*i))
                    .and_then(|v| v.konst.as_deref())
                    .is_some_and(|k| {
                        matches!(
                            k.to_ascii_uppercase().as_str(),
                            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD"
                        )
                    });
                if first_is_method {
                    positional.get(1).copied()
                } else {
                    positional.first().copied()
                }
            });
            let mut url = url_at.and_then(|i| args.get(i)).cloned();
            // A send on a connection goes to the address the connection was opened to.
            let mut connected = false;
            if spec_kind != Some(SinkKind::Fetch) {
                if let Some(addr) = receiver
                    .and_then(|r| r.fields.as_ref())
                    .and_then(|f| f.get("url"))
                {
                    url = Some(addr.clone());
                    connected = true;
                }
            }
            if let Some(u) = &url {
                if let Some(f) = u
                    .fields
                    .as_ref()
                    .and_then(|f| f.get("url").or_else(|| f.get("baseURL")))
                {
                    url = Some(f.clone());
                }
            }
            if spec_kind != Some(SinkKind::Fetch) {
                let u = url.clone().unwrap_or_default();
                self.note_use(w, SinkKind::NetworkSend, &u, c.loc, qual);
            }
            let mut dest = self.destination(url.as_ref());
            // A connection opened to a constant host name or address (`SMTP("mx.host.net")`,
            // `create_connection(("10.1.2.3", 443))`).
            if connected && (dest == "configured" || dest == "param") {
                if let Some(host) = url.as_ref().and_then(constant_host) {
                    dest = format!("fixed:{host}");
                }
            }
            // A name looked up under a constant domain (`f"{data}.{n}.t.example"`) is asked of
            // that domain's name servers: a fixed destination, whatever the labels carry.
            if dest == "configured" || dest == "param" {
                if let Some(zone) = dns_zone(qual, c) {
                    dest = format!("fixed:{zone}");
                } else if is_dns_lookup(qual)
                    && url.as_ref().is_some_and(|u| {
                        u.taint.0.keys().any(|l| {
                            matches!(l, Label::Source(s)
                            if self.sources[*s as usize].kind == OriginKind::LocalSecret)
                        })
                    })
                {
                    // A name built from a secret's content: whichever name servers answer
                    // for it are told the secret; no address the user configures is asked.
                    dest = "fixed:the name servers of a name built from it".into();
                }
            }
            if let Some(addr) = dest.strip_prefix("fixed:") {
                if bh::is_metadata_endpoint(addr) {
                    let d = format!("requests `{addr}`");
                    self.behaviour(w, Technique::CloudMetadata, c.loc, d);
                }
            }
            let mut all = Taint::default();
            for a in args {
                deep_taint(a, 0, &mut all);
            }
            if !all.is_empty() {
                if discarded {
                    dest.push_str(";discarded");
                }
                let site = Site {
                    kind: SinkKind::NetworkSend,
                    module: w.module,
                    loc: c.loc,
                    whole: false,
                    api: qual.to_string(),
                    program: None,
                    via: Vec::new(),
                    detail: Some(dest),
                    guessed: self.guessing > 0,
                };
                let v = Value {
                    taint: all,
                    ..Value::default()
                };
                self.emit(w, &site, &v, Guards::NONE);
            }
        }

        // Files written or deleted.
        let mode = kw("mode")
            .or_else(|| positional.get(1).copied())
            .and_then(|i| c.args.get(i))
            .map(|a| self.slice(w.module, a.value.loc()).to_string())
            .unwrap_or_default();
        if let Some((op, at)) = file_op(lang, qual, method, c, &mode) {
            let kind = match op {
                FileOp::Write => SinkKind::FileWrite,
                FileOp::Delete => SinkKind::FileDelete,
            };
            for pos in at {
                let v = match pos {
                    None => receiver.cloned(),
                    Some(p) => positional.get(p).and_then(|i| args.get(*i)).cloned(),
                };
                let Some(v) = v else { continue };
                self.sink(w, kind, &v, c.loc, qual, None);
                if op == FileOp::Delete {
                    let arg_text = pos
                        .and_then(|p| positional.get(p))
                        .and_then(|i| c.args.get(*i))
                        .map(|a| self.slice(w.module, a.value.loc()).trim().to_string())
                        .unwrap_or_default();
                    let root_like = |t: &str| {
                        matches!(
                            t,
                            "/" | "~"
                                | "~/"
                                | "/home"
                                | "/etc"
                                | "/usr"
                                | "/var"
                                | "/root"
                                | "C:\\"
                                | "C:/"
                        )
                    };
                    let home_expr = names_home(&arg_text);
                    // The user's own data folders directly under the home folder, and stores
                    // of keys and credentials (`~/.ssh`, `~/.aws`, wallets): nothing a tool does
                    // for the user deletes them.
                    let user_data = |t: &str| {
                        let t = t.trim().trim_end_matches(['/', '\\']);
                        let Some(rest) = t.strip_prefix("~/").or_else(|| t.strip_prefix("~\\"))
                        else {
                            return false;
                        };
                        !rest.contains(['/', '\\']) && is_user_folder(rest)
                    };
                    // `Path.home() / d`, `os.path.join(expanduser("~"), d)`,
                    // `path.join(os.homedir(), d)`: the folders under home the code names.
                    let arg_expr = pos
                        .and_then(|p| positional.get(p))
                        .and_then(|i| c.args.get(*i))
                        .map(|a| &a.value);
                    let pieces: Vec<&Expr> = match arg_expr {
                        Some(Expr::Concat(parts, _)) => parts.iter().collect(),
                        Some(Expr::Call(inner))
                            if callee_last_name(&inner.callee)
                                .is_some_and(|n| matches!(n.as_str(), "join" | "resolve")) =>
                        {
                            inner.args.iter().map(|a| &a.value).collect()
                        }
                        _ => Vec::new(),
                    };
                    let under_home = pieces
                        .first()
                        .is_some_and(|e| names_home(self.slice(w.module, e.loc())));
                    // Directly under home: one piece after it (separators apart).
                    let after: Vec<&&Expr> = pieces
                        .iter()
                        .skip(1)
                        .filter(|e| !matches!(e, Expr::Str(t, _) if t == "/"))
                        .collect();
                    let named_under_home = under_home
                        && after.len() == 1
                        && after.iter().any(|e| {
                            if !matches!(e, Expr::Name(..) | Expr::Str(..)) {
                                return false;
                            }
                            let piece = self.eval(w, e);
                            texts(&piece).iter().any(|t| {
                                let t = t.trim_matches(['/', '\\']);
                                is_user_folder(t) || bh::secret_place(&format!("~/{t}")).is_some()
                            })
                        });
                    let store = named_under_home
                        || self.place_kinds(&v).iter().any(|k| {
                            matches!(
                                k.as_str(),
                                "SSH keys"
                                    | "cloud credentials"
                                    | "wallets and keychains"
                                    | "browser profiles"
                            )
                        });
                    if texts(&v)
                        .iter()
                        .any(|t| root_like(t.trim()) || user_data(t))
                        || home_expr
                        || store
                    {
                        self.behaviour(
                            w,
                            Technique::Destruction,
                            c.loc,
                            format!("deletes `{arg_text}` recursively"),
                        );
                    }
                }
            }
            // Permission bits: setuid/setgid anywhere, world-writable on system places.
            let last = qual.rsplit('.').next().unwrap_or(qual);
            if last.trim_end_matches("Sync") == "chmod" {
                let mode_pos = if method.is_some()
                    && receiver.is_some()
                    && lang == Lang::Python
                    && !qual.starts_with("os.")
                {
                    0
                } else {
                    1
                };
                let mode_text = kw("mode")
                    .or_else(|| positional.get(mode_pos).copied())
                    .and_then(|i| c.args.get(i))
                    .map(|a| self.slice(w.module, a.value.loc()).to_string())
                    .unwrap_or_default();
                if let Some(bits) = mode_bits(&mode_text) {
                    // A file made executable: remembered by the text naming it, for a run of
                    // the same name below.
                    if bits & 0o111 != 0 && self.made_executable.len() < 1_000 {
                        if let Some(a) = positional.first().and_then(|i| c.args.get(*i)) {
                            let name = self.slice(w.module, a.value.loc()).trim().to_string();
                            if !name.is_empty() {
                                self.made_executable.insert((w.module, name));
                            }
                        }
                    }
                    let path_labels = positional
                        .first()
                        .and_then(|i| args.get(*i))
                        .map(|v| v.taint.clone())
                        .unwrap_or_default();
                    let system = path_labels.0.keys().any(|l| matches!(l, Label::Source(s) if matches!(self.sources[*s as usize].kind, OriginKind::PrivilegePlace | OriginKind::PersistencePlace)));
                    if bits & 0o6000 != 0 {
                        self.behaviour(
                            w,
                            Technique::PrivilegeEscalation,
                            c.loc,
                            format!("sets the setuid/setgid bit (`{}`)", mode_text.trim()),
                        );
                    } else if bits & 0o002 != 0 && system {
                        self.behaviour(
                            w,
                            Technique::PrivilegeEscalation,
                            c.loc,
                            format!(
                                "makes a system file world-writable (`{}`)",
                                mode_text.trim()
                            ),
                        );
                    }
                }
            }
        }

        // Contents written to files: what is written, and where.
        let content_at: Option<(Option<&Value>, String, Option<&Value>)> = {
            let recv_file = receiver
                .and_then(|r| r.qual.as_deref())
                .and_then(|q| q.strip_prefix("@wfile:"))
                .map(str::to_string);
            let last = qual.rsplit('.').next().unwrap_or(qual);
            if let (Some(path), Some("write" | "writelines")) = (recv_file.clone(), method) {
                Some((
                    positional.first().and_then(|i| args.get(*i)),
                    path,
                    receiver,
                ))
            } else if matches!(
                qual,
                "json.dump"
                    | "pickle.dump"
                    | "yaml.dump"
                    | "yaml.safe_dump"
                    | "marshal.dump"
                    | "toml.dump"
            ) {
                let file = positional.get(1).and_then(|i| args.get(*i));
                file.and_then(|f| f.qual.as_deref())
                    .and_then(|q| q.strip_prefix("@wfile:"))
                    .map(|p| {
                        (
                            positional.first().and_then(|i| args.get(*i)),
                            p.to_string(),
                            file,
                        )
                    })
            } else if lang == Lang::Python && matches!(method, Some("write_text" | "write_bytes")) {
                let path = receiver.map(path_text).unwrap_or_default();
                Some((
                    positional.first().and_then(|i| args.get(*i)),
                    path,
                    receiver,
                ))
            } else if lang == Lang::JavaScript
                && matches!(file_op(lang, qual, method, c, ""), Some((FileOp::Write, _)))
                && matches!(
                    last.trim_end_matches("Sync"),
                    "writeFile" | "appendFile" | "outputFile" | "writeJson" | "outputJson"
                )
            {
                let target = positional.first().and_then(|i| args.get(*i));
                let path = target.map(path_text).unwrap_or_default();
                Some((positional.get(1).and_then(|i| args.get(*i)), path, target))
            } else {
                None
            }
        };
        if let Some((Some(content), path, target)) = content_at {
            let mut places: Vec<String> = Vec::new();
            let mut labels = Taint::default();
            deep_taint(content, 0, &mut labels);
            // A store read, changed and written back to the same kind of place (an installer
            // adding its entry to a client's configuration) is an edit, not a collection.
            if let Some(target) = target {
                // Written back to the file a parameter names, or next to it (`${p}.backup`,
                // `p.with_suffix(".bak")`): the helper edits or backs up the store its caller
                // gives, it does not collect it elsewhere.
                if let Some(i) = target.lead_param {
                    labels
                        .0
                        .retain(|l, _| !matches!(l, Label::Param(j, _) if *j == i));
                }
                places = self.place_kinds(target);
                if !places.is_empty() {
                    let sources = &self.sources;
                    labels.0.retain(|l, _| match l {
                        Label::Source(s) => {
                            let o = &sources[*s as usize];
                            o.kind != OriginKind::LocalSecret
                                || !places.iter().any(|p| p == place_kind_of(&o.what))
                        }
                        Label::Param(..) => true,
                    });
                }
            }
            if !labels.is_empty() {
                let site = Site {
                    kind: SinkKind::FileWrite,
                    module: w.module,
                    loc: c.loc,
                    whole: false,
                    api: qual.to_string(),
                    program: None,
                    via: Vec::new(),
                    // The kinds of store the target is, for contents a caller passes in
                    // (`content:<path>|places:<kind>,<kind>`): restoring a backup into the store
                    // it was taken from is not a collection either.
                    detail: Some(if places.is_empty() {
                        format!("content:{path}")
                    } else {
                        places.sort();
                        places.dedup();
                        format!("content:{path}|places:{}", places.join(","))
                    }),
                    guessed: self.guessing > 0,
                };
                let v = Value {
                    taint: labels,
                    ..Value::default()
                };
                self.emit(w, &site, &v, Guards::NONE);
            }
        }

        // Identity changes to root.
        if matches!(
            qual,
            "os.setuid"
                | "os.seteuid"
                | "os.setreuid"
                | "os.setgid"
                | "process.setuid"
                | "process.setgid"
        ) && c
            .args
            .first()
            .is_some_and(|a| self.slice(w.module, a.value.loc()).trim() == "0")
        {
            self.behaviour(
                w,
                Technique::PrivilegeEscalation,
                c.loc,
                format!("`{qual}(0)` makes the process root"),
            );
        }

        // Shells wired to sockets.
        if qual == "os.dup2" {
            let fd = args.first();
            if fd
                .and_then(|v| v.qual.as_deref())
                .is_some_and(|q| q.contains("socket") || q.contains("Socket"))
            {
                self.behaviour(
                    w,
                    Technique::ReverseShell,
                    c.loc,
                    "a socket becomes the process's standard input and output".into(),
                );
            }
        }
        if matches!(
            spec_kind,
            Some(SinkKind::Argv | SinkKind::Shell | SinkKind::Program)
        ) {
            let stdio_socket = c.args.iter().zip(args.iter()).any(|(a, v)| {
                let named = matches!(
                    a.name.as_deref(),
                    Some("stdin" | "stdout" | "stderr" | "stdio")
                );
                let sock = |v: &Value| {
                    v.qual.as_deref().is_some_and(|q| {
                        q.contains("socket")
                            || q.contains("Socket")
                            || q.starts_with("net.")
                            || q.starts_with("tls.")
                    })
                };
                (named && sock(v))
                    || v.fields.as_ref().is_some_and(|f| {
                        f.get("stdio").is_some_and(|s| {
                            sock(s) || s.elems.as_ref().is_some_and(|es| es.iter().any(sock))
                        })
                    })
            });
            if stdio_socket {
                self.behaviour(
                    w,
                    Technique::ReverseShell,
                    c.loc,
                    "a process's standard streams are a network socket".into(),
                );
            }
        }
        if method == Some("pipe") {
            let q = |v: Option<&Value>| v.and_then(|v| v.qual.clone()).unwrap_or_default();
            let (a, b) = (q(receiver), q(args.first()));
            let sock =
                |s: &str| s.starts_with("net.") || s.starts_with("tls.") || s.contains("Socket");
            let proc_ = |s: &str| s.starts_with("child_process.");
            if (sock(&a) && proc_(&b)) || (proc_(&a) && sock(&b)) {
                self.behaviour(
                    w,
                    Technique::ReverseShell,
                    c.loc,
                    "a process's streams are piped to a network socket".into(),
                );
            }
        }

        // Command lines and code text: the techniques they show.
        if matches!(
            spec_kind,
            Some(SinkKind::Argv | SinkKind::Shell | SinkKind::Program | SinkKind::Eval)
        ) {
            let mut cmd_texts: Vec<String> = Vec::new();
            if let Some(first) = positional
                .first()
                .and_then(|i| args.get(*i))
                .or_else(|| kw("args").and_then(|i| args.get(i)))
            {
                cmd_texts.extend(texts(first));
                if cmd_texts.is_empty() {
                    // A spawn's program and argument vector.
                    let mut parts: Vec<String> = texts(first);
                    if let Some(second) = positional.get(1).and_then(|i| args.get(*i)) {
                        parts.extend(texts(second));
                    }
                    cmd_texts.push(parts.join(" "));
                } else if let Some(second) = positional.get(1).and_then(|i| args.get(*i)) {
                    if let Some(t2) = texts(second).into_iter().next() {
                        let joined = format!("{} {}", cmd_texts[0], t2);
                        cmd_texts.push(joined);
                    }
                }
            }
            // The source text of the argument covers templates whose holes are unknown.
            if let Some(a) = c.args.first() {
                let src = self.slice(w.module, a.value.loc());
                if src.len() < 2048 {
                    cmd_texts.push(src.to_string());
                }
            }
            let mut seen: Vec<Technique> = Vec::new();
            for t in &cmd_texts {
                for line in t.lines().take(64) {
                    for (tech, why) in bh::command_techniques(line) {
                        if !seen.contains(&tech) {
                            seen.push(tech);
                            let shown: String = line.trim().chars().take(120).collect();
                            self.behaviour(w, tech, c.loc, format!("{why}: `{shown}`"));
                        }
                    }
                }
            }
        }
    }

    /// Labels a call's result gains from what the call reads: decoded payloads, the clipboard
    /// or screen, the environment printed by a program, content fetched from a fixed address.
    pub(super) fn behaviour_result(
        &mut self,
        w: &mut Walk,
        c: &Call,
        qual: &str,
        args: &[Value],
        result: &mut Value,
        spec_kind: Option<SinkKind>,
    ) {
        if bh::is_decoder(qual)
            || (qual == "Buffer.from"
                && args
                    .get(1)
                    .and_then(|v| v.konst.as_deref())
                    .is_some_and(|e| matches!(e, "base64" | "hex" | "base64url")))
        {
            let mut input = Taint::default();
            for a in args {
                input.join(&a.taint);
            }
            if !self.untrusted_or_param(&input) {
                let src = self.source(
                    OriginKind::DecodedPayload,
                    None,
                    format!("text decoded by `{qual}`"),
                );
                result.taint.join(&Taint::single(Label::Source(src)));
            }
            // A constant decoded is a constant: an address or a command hidden in base64 or
            // hex is read as the text it decodes to.
            let last = qual.rsplit('.').next().unwrap_or(qual);
            let encoding = match qual {
                "Buffer.from" => args.get(1).and_then(|v| v.konst.as_deref()),
                "bytes.fromhex" | "binascii.a2b_hex" => Some("hex"),
                "base64.decodebytes" | "binascii.a2b_base64" | "atob" => Some("base64"),
                _ if last == "unhexlify" => Some("hex"),
                _ if last.ends_with("b64decode") => Some("base64"),
                _ => None,
            };
            if let (Some(text), Some(enc)) =
                (args.first().and_then(|a| a.konst.as_deref()), encoding)
            {
                if let Some(decoded) = bh::decode_constant(text, enc) {
                    result.konst = Some(decoded);
                }
            }
        }
        // A file opened for writing: its later `.write(…)` / `json.dump(…, f)` are writes there.
        let lang = self.modules[w.module].lang;
        let method = match &c.callee {
            crate::ir::Expr::Member(_, p, _) => Some(p.as_str()),
            _ => None,
        };
        let mode = c
            .args
            .iter()
            .position(|a| a.name.as_deref() == Some("mode"))
            .or_else(|| {
                let pos: Vec<usize> = c
                    .args
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.name.is_none())
                    .map(|(i, _)| i)
                    .collect();
                pos.get(if method == Some("open") { 0 } else { 1 }).copied()
            })
            .and_then(|i| c.args.get(i))
            .map(|a| self.slice(w.module, a.value.loc()).to_string())
            .unwrap_or_default();
        let opens = matches!(qual, "open" | "io.open" | "codecs.open" | "aiofiles.open")
            || (method == Some("open") && qual.contains("Path"))
            || qual
                .rsplit('.')
                .next()
                .is_some_and(|l| l == "createWriteStream");
        if opens {
            if let Some((FileOp::Write, at)) = file_op(lang, qual, method, c, &mode).or_else(|| {
                qual.ends_with("createWriteStream")
                    .then(|| (FileOp::Write, vec![Some(0)]))
            }) {
                let path_arg = at.first().copied().flatten().and_then(|i| args.get(i));
                let path = path_arg.map(path_text).unwrap_or_default();
                result.qual = Some(format!("@wfile:{path}"));
                // The handle stands for the file: what its path begins with, it begins with.
                result.lead_param = path_arg.and_then(|a| a.lead_param);
            }
        }
        // A connection opened to an address (`new WebSocket(url)`, `websockets.connect(url)`,
        // `socket.create_connection((host, port))`, `net.connect(port, host)`): what is later
        // sent on it goes there.
        if connection_api(qual) {
            let address = args
                .iter()
                .find(|a| {
                    a.konst
                        .as_deref()
                        .is_some_and(|k| k.parse::<u32>().is_err())
                        || a.composed
                })
                .or_else(|| args.first());
            if let Some(a) = address {
                let mut fields = result.fields.as_deref().cloned().unwrap_or_default();
                fields.insert("url".to_string(), a.clone());
                result.fields = Some(std::sync::Arc::new(fields));
            }
        }
        if bh::is_session_reader_call(qual) {
            let src = self.source(
                OriginKind::LocalSecret,
                None,
                "the clipboard or the screen".into(),
            );
            result.taint.join(&Taint::single(Label::Source(src)));
        }
        if matches!(
            spec_kind,
            Some(SinkKind::Argv | SinkKind::Shell | SinkKind::Program)
        ) {
            // A process's output is not the environment it was started with
            // (`execFileSync(cmd, args, { env: { ...process.env } })`).
            let sources = &self.sources;
            result.taint.0.retain(|l, _| !matches!(l, Label::Source(s) if super::is_whole_environment(&sources[*s as usize])));
            let first = c
                .args
                .iter()
                .zip(args.iter())
                .find(|(a, _)| a.name.is_none() || a.name.as_deref() == Some("args"))
                .map(|(_, v)| v);
            let program = first
                .and_then(|v| match &v.elems {
                    Some(es) => es.first().and_then(|e| e.konst.clone()),
                    None => v
                        .konst
                        .as_deref()
                        .map(|k| k.split_whitespace().next().unwrap_or("").to_string()),
                })
                .unwrap_or_default();
            if bh::is_session_reader_program(&program) {
                let src = self.source(
                    OriginKind::LocalSecret,
                    None,
                    format!("the clipboard or the screen (`{program}`)"),
                );
                result.taint.join(&Taint::single(Label::Source(src)));
            } else if bh::is_environment_dump_program(&program) {
                let src = self.source(
                    OriginKind::LocalSecret,
                    None,
                    "the whole environment".into(),
                );
                result.taint.join(&Taint::single(Label::Source(src)));
            }
            // What a command prints of a secret store is that secret (`cat ~/.ssh/id_rsa`):
            // the command's labels carry over to its output.
            if let Some(v) = first {
                let mut labels = Taint::default();
                deep_taint(v, 0, &mut labels);
                labels.0.retain(|l, _| matches!(l, Label::Source(s) if self.sources[*s as usize].kind == OriginKind::LocalSecret));
                labels.remove_guards(Guards::PLACE_NAME);
                result.taint.join(&labels);
            }
        }
        // A file read (`readFileSync(p)`, `open(p)`, `Path(p).read_text()`) gives what the
        // named store holds, not its name.
        let last = qual.rsplit('.').next().unwrap_or(qual);
        if spec_kind == Some(SinkKind::FileAccess)
            || matches!(
                last,
                "read_text"
                    | "read_bytes"
                    | "read"
                    | "readlines"
                    | "readline"
                    | "readFile"
                    | "readFileSync"
                    | "createReadStream"
                    | "open"
                    | "load"
                    | "copyfile"
                    | "copy"
                    | "copy2"
                    | "copyFile"
                    | "copyFileSync"
            )
        {
            result.taint.remove_guards(Guards::PLACE_NAME);
            result.taint.add_guards(Guards::CONTENT_READ);
        }
        let _ = w;
    }

    /// `getattr(obj, "name")` is `obj.name`; `__import__("m")`, `importlib.import_module("m")`
    /// and `require("m")` with a constant name are the module.
    pub(super) fn folded_lookup(
        &mut self,
        w: &mut Walk,
        qual: &str,
        args: &[Value],
    ) -> Option<Value> {
        match qual {
            "getattr" => {
                let name = args.get(1)?.konst.clone()?;
                let obj = args.first()?.clone();
                // `getattr(__builtins__, "exec")`, `getattr(builtins, "eval")`: the built-in.
                if matches!(obj.qual.as_deref(), Some("__builtins__" | "builtins")) {
                    return Some(Value::qual(name));
                }
                Some(self.member(w, &obj, &name, None))
            }
            "__import__" | "importlib.import_module" => {
                let name = args.first()?.konst.clone()?;
                Some(Value::qual(name))
            }
            _ => None,
        }
    }
}

/// Node's file-system modules and their wrappers (`fs`, `fs/promises`, `fs-extra`,
/// `graceful-fs`), by the qualified name of one of their functions.
fn fs_module(qual: &str) -> bool {
    let base = qual.rsplit_once('.').map(|(b, _)| b).unwrap_or("");
    base == "fs"
        || base.ends_with("fs")
        || base.contains("fs/promises")
        || base.contains("fs.promises")
        || base.contains("fs-extra")
        || base.contains("graceful-fs")
}

/// File copies and moves (`shutil.copy(src, dst)`, `os.rename`, `fs.copyFile(src, dst)`): the
/// destination, their second argument, then holds what the source held.
fn is_copy_api(lang: Lang, qual: &str) -> bool {
    match lang {
        Lang::Python => matches!(
            qual,
            "os.rename"
                | "os.replace"
                | "shutil.copy"
                | "shutil.copy2"
                | "shutil.copyfile"
                | "shutil.copytree"
                | "shutil.move"
        ),
        Lang::JavaScript => {
            let last = qual.rsplit('.').next().unwrap_or(qual);
            fs_module(qual)
                && matches!(
                    last.trim_end_matches("Sync"),
                    "copyFile" | "cp" | "rename" | "copy" | "move"
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mode_bits;

    #[test]
    fn mode_bits_read_the_common_spellings() {
        assert_eq!(mode_bits("0o4755"), Some(0o4755));
        assert_eq!(mode_bits("0o777"), Some(0o777));
        assert_eq!(mode_bits("'4755'"), Some(0o4755));
        assert_eq!(mode_bits("0755"), Some(0o755));
        assert_eq!(mode_bits("stat.S_ISUID | 0o755"), Some(0o4000));
        assert_eq!(mode_bits("mode"), None);
    }
}
