//! Shared test helpers: a loopback HTTP (or HTTPS) registry serving recorded fixtures, and
//! archive builders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

/// One canned response.
#[derive(Clone)]
pub struct Route {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: BTreeMap<String, String>,
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering from a route table, in a background thread.
pub struct Registry {
    pub base: String,
    routes: Arc<Mutex<BTreeMap<String, Route>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Registry {
    pub fn start() -> Registry {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<BTreeMap<String, Route>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (Arc::clone(&routes), Arc::clone(&seen));
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (r, s) = (Arc::clone(&r), Arc::clone(&s));
                thread::spawn(move || serve(stream, &r, &s));
            }
        });
        Registry { base, routes, seen }
    }

    /// The same registry over TLS with `config` (a certificate for 127.0.0.1 the test made);
    /// `base` is `https://127.0.0.1:PORT`. Handshakes that fail are dropped unseen.
    pub fn start_tls(config: Arc<rustls::ServerConfig>) -> Registry {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("https://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<BTreeMap<String, Route>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (Arc::clone(&routes), Arc::clone(&seen));
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                    continue;
                };
                let (r, s) = (Arc::clone(&r), Arc::clone(&s));
                thread::spawn(move || serve(rustls::StreamOwned::new(conn, stream), &r, &s));
            }
        });
        Registry { base, routes, seen }
    }

    pub fn route(&self, path: &str, content_type: &str, body: Vec<u8>) {
        self.routes.lock().unwrap().insert(
            path.to_string(),
            Route {
                status: 200,
                content_type: content_type.to_string(),
                body,
            },
        );
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The npm packument fixture with tarball URLs pointing here, served at `/is-number`.
    pub fn serve_is_number(&self) {
        let packument = String::from_utf8(fixture_bytes("is-number-packument.json"))
            .unwrap()
            .replace("https://registry.npmjs.org/", &format!("{}/", self.base));
        self.route("/is-number", "application/json", packument.into_bytes());
        self.route(
            "/is-number/-/is-number-7.0.0.tgz",
            "application/octet-stream",
            fixture_bytes("is-number-7.0.0.tgz"),
        );
    }

    /// The PyPI page of six (HTML or JSON form) with file URLs pointing here.
    pub fn serve_six(&self, json: bool) {
        let (name, content_type) = if json {
            ("six-simple.v1.json", "application/vnd.pypi.simple.v1+json")
        } else {
            ("six-simple.html", "text/html")
        };
        let page = String::from_utf8(fixture_bytes(name)).unwrap().replace(
            "https://files.pythonhosted.org/",
            &format!("{}/files/", self.base),
        );
        self.route("/simple/six/", content_type, page.into_bytes());
        self.route(
            "/files/packages/71/39/171f1c67cd00715f190ba0b100d606d440a28c93c7714febeca8b79af85e/six-1.16.0.tar.gz",
            "application/octet-stream",
            fixture_bytes("six-1.16.0.tar.gz"),
        );
    }
}

fn serve(
    stream: impl Read + Write,
    routes: &Mutex<BTreeMap<String, Route>>,
    seen: &Mutex<Vec<Seen>>,
) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    seen.lock().unwrap().push(Seen {
        path: path.clone(),
        headers,
    });
    let route = routes.lock().unwrap().get(&path).cloned().unwrap_or(Route {
        status: 404,
        content_type: "text/plain".into(),
        body: b"not found".to_vec(),
    });
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        route.status,
        route.content_type,
        route.body.len()
    );
    let stream = reader.get_mut();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&route.body);
    let _ = stream.flush();
    let _ = reader.read(&mut [0u8; 1]);
}

/// A tar header with any name bytes (the tar crate's own setters refuse hostile names).
pub fn raw_header(name: &str, kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    let bytes = name.as_bytes();
    header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(mode);
    header.set_mtime(0);
    header.set_cksum();
    header
}

/// A header for a link entry with any target.
pub fn raw_link(name: &str, kind: tar::EntryType, target: &str) -> tar::Header {
    let mut header = raw_header(name, kind, 0, 0o777);
    let t = target.as_bytes();
    header.as_old_mut().linkname[..t.len()].copy_from_slice(t);
    header.set_cksum();
    header
}

/// Builds a .tar.gz from (header, data) pairs.
pub fn tgz(entries: Vec<(tar::Header, Vec<u8>)>) -> Vec<u8> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(encoder);
    for (header, data) in entries {
        builder.append(&header, data.as_slice()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

pub fn file(name: &str, data: &[u8]) -> (tar::Header, Vec<u8>) {
    (
        raw_header(name, tar::EntryType::Regular, data.len() as u64, 0o644),
        data.to_vec(),
    )
}

/// Every path below `sandbox` that is neither inside `dest` nor one of its ancestors.
pub fn paths_outside(sandbox: &Path, dest: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![sandbox.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.starts_with(dest) {
                continue;
            }
            if dest.starts_with(&path) {
                stack.push(path);
                continue;
            }
            out.push(path);
        }
    }
    out
}
