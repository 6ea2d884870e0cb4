//! Shared by the engine tests that need a registry: a loopback HTTP server answering from a
//! route table, `.tar.gz` building, and npm packages published into it. (The CLI's tests
//! include this file too.)
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

pub type Routes = Arc<Mutex<BTreeMap<String, (String, Vec<u8>)>>>;

/// A minimal HTTP/1.1 server on 127.0.0.1: GET paths from a table, 404 otherwise.
pub fn serve(routes: Routes) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let routes = Arc::clone(&routes);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                        break;
                    }
                }
                let route = routes.lock().expect("routes").get(&path).cloned();
                let (status, content_type, body) = match route {
                    Some((content_type, body)) => (200, content_type, body),
                    None => (404, "text/plain".to_string(), b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let stream = reader.get_mut();
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
                let _ = stream.flush();
                let _ = reader.read(&mut [0u8; 1]);
            });
        }
    });
    base
}

/// An npm tarball: every file under `package/`.
pub fn tgz(files: &[(&str, &str)]) -> Vec<u8> {
    tgz_in("package", files)
}

/// A `.tar.gz` with every file under `top/`.
pub fn tgz_in(top: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(encoder);
    for (name, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{top}/{name}"), text.as_bytes())
            .expect("append");
    }
    builder.into_inner().expect("tar").finish().expect("gzip")
}

pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn sri_sha256(bytes: &[u8]) -> String {
    let hex = skillaudit_core::fingerprint::sha256_hex(bytes);
    let digest: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    format!("sha256-{}", base64(&digest))
}

/// Serves one npm package (`name`, one `version`) and its tarball built from `files`.
pub fn publish(routes: &Routes, base: &str, name: &str, version: &str, files: &[(&str, &str)]) {
    let tarball = tgz(files);
    let escaped = name.replace('/', "%2f");
    let tarball_path = format!("/{name}/-/pkg-{version}.tgz");
    let manifest: serde_json::Value = files
        .iter()
        .find(|(n, _)| *n == "package.json")
        .and_then(|(_, text)| serde_json::from_str(text).ok())
        .expect("a package.json");
    let mut version_doc = manifest;
    version_doc["dist"] = serde_json::json!({
        "tarball": format!("{base}{tarball_path}"),
        "integrity": sri_sha256(&tarball),
    });
    let packument = serde_json::json!({
        "name": name,
        "dist-tags": {"latest": version},
        "versions": {version: version_doc},
        "time": {version: "2026-10-01T00:00:00.000Z"},
    });
    let mut table = routes.lock().expect("routes");
    table.insert(
        format!("/{escaped}"),
        (
            "application/json".into(),
            packument.to_string().into_bytes(),
        ),
    );
    table.insert(tarball_path, ("application/octet-stream".into(), tarball));
}

/// A thin npm wrapper (`@acme/mcp-notes`, a `bin` that only requires its dependency) and the
/// dependency holding its server code (`@acme/notes-server-core`, a tool whose pattern reaches
/// a shell), published into the registry.
pub fn publish_notes_wrapper(routes: &Routes, base: &str) {
    publish(
        routes,
        base,
        "@acme/mcp-notes",
        "2.1.0",
        &[
            (
                "package.json",
                r#"{"name": "@acme/mcp-notes", "version": "2.1.0", "license": "MIT",
                "bin": {"mcp-notes": "bin/cli.js"},
                "dependencies": {"@acme/notes-server-core": "^2.1.0"}}"#,
            ),
            (
                "bin/cli.js",
                "#!/usr/bin/env node\nrequire(\"@acme/notes-server-core/dist/main.js\");\n",
            ),
        ],
    );
    publish(
        routes,
        base,
        "@acme/notes-server-core",
        "2.1.3",
        &[
            (
                "package.json",
                r#"{"name": "@acme/notes-server-core", "version": "2.1.3", "license": "MIT",
                "main": "dist/main.js"}"#,
            ),
            (
                "dist/main.js",
                "const { execSync } = require(\"child_process\");\nconst server = { tool(n, d, s, h) { this.h = h; } };\nserver.tool(\"grep_notes\", \"Search the notes\", {}, async ({ pattern }) => execSync(\"grep -r \" + pattern + \" notes\").toString());\n",
            ),
        ],
    );
}
