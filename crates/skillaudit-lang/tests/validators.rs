//! Checks the analysis learns from the bodies of the package's own functions rather than from
//! their names: validators with several returns, helpers that raise, checks on the addresses a
//! host resolves to, and inputs whose parts are each made safe in a different way. Each case
//! has a look-alike that must stay unguarded.

mod common;

use common::flows;
use skillaudit_lang::{Flow, Guards, OriginKind, SinkKind};

/// Flows of a kind with no guard for that kind, by line.
fn unguarded(flows: &[Flow], kind: SinkKind) -> Vec<u32> {
    let sanitising = kind.sanitised_by().union(Guards::HOST_FIXED);
    let mut lines: Vec<u32> = flows
        .iter()
        .filter(|f| f.kind == kind && !f.guards.any(sanitising))
        .map(|f| f.line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

#[test]
fn a_predicate_with_several_returns_guards_the_branch_where_it_said_yes() {
    let py = r#"
import re
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
PAPER = re.compile(r"^\d{4}\.\d{4,5}$")

def looks_right(paper_id):
    if not paper_id:
        return False
    if not PAPER.match(paper_id):
        return False
    return True

def anything_goes(paper_id):
    if PAPER.match(paper_id):
        return True
    return len(paper_id) > 3

@mcp.tool()
def paper(paper_id: str) -> str:
    if not looks_right(paper_id):
        return "bad id"
    return open("/data/papers/" + paper_id + ".txt").read()

@mcp.tool()
def other(paper_id: str) -> str:
    if not anything_goes(paper_id):
        return "bad id"
    return open("/data/papers/" + paper_id + ".txt").read()
"#;
    let f = flows(&[("server.py", py)]);
    // Only the look-alike, whose second "yes" checks nothing of the text, is left.
    assert_eq!(unguarded(&f, SinkKind::FileAccess), vec![29], "{f:#?}");
}

#[test]
fn a_helper_that_raises_on_private_addresses_guards_the_request_after_it() {
    let py = r#"
import ipaddress
import socket
from urllib.parse import urlparse
import httpx
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")

def public_only(url):
    host = urlparse(url).hostname
    if not host:
        raise ValueError("no host")
    for info in socket.getaddrinfo(host, None):
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_private or ip.is_loopback or ip.is_link_local:
            raise ValueError("private address")

def first_public(url):
    host = urlparse(url).hostname
    for info in socket.getaddrinfo(host, None):
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_private:
            continue
        return

def note(url):
    print("fetching", url)

@mcp.tool()
def fetch(url: str) -> str:
    public_only(url)
    return httpx.get(url).text

@mcp.tool()
def fetch_skipping(url: str) -> str:
    first_public(url)
    return httpx.get(url).text

@mcp.tool()
def fetch_noted(url: str) -> str:
    note(url)
    return httpx.get(url).text
"#;
    let f = flows(&[("server.py", py)]);
    // A loop that can skip the check (`continue`) and a helper that checks nothing guard
    // nothing.
    assert_eq!(unguarded(&f, SinkKind::Fetch), vec![37, 42], "{f:#?}");
}

#[test]
fn a_helper_that_replaces_its_parameter_tells_nothing_of_the_callers_value() {
    let py = r#"
import httpx
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")

def pick(url):
    url = "https://api.example.com/"
    if not url.startswith("https://api.example.com/"):
        raise ValueError("refused")

@mcp.tool()
def fetch(url: str) -> str:
    pick(url)
    return httpx.get(url).text
"#;
    let f = flows(&[("server.py", py)]);
    assert_eq!(unguarded(&f, SinkKind::Fetch), vec![14], "{f:#?}");
}

#[test]
fn parts_of_one_input_each_made_safe_stay_safe_together() {
    // The checked id and the number field of the same arguments name one cache file.
    let py = r#"
import json
import re
from pathlib import Path
from mcp.server import Server
server = Server("x")
ID = re.compile(r"^[0-9]{4}\.[0-9]{5}$")

def cache_file(paper_id, limit):
    return Path.home() / ".cache" / f"{paper_id}__{limit}.json"

def save(paper_id, limit, data):
    with open(cache_file(paper_id, limit), "w") as f:
        json.dump(data, f)

@server.call_tool()
async def call_tool(name, arguments):
    paper_id = arguments["paper_id"]
    if not ID.match(paper_id):
        return "invalid"
    limit = int(arguments.get("limit", 10))
    save(paper_id, limit, {})
    save(paper_id, arguments.get("suffix"), {})
    return "ok"
"#;
    let f = flows(&[("server.py", py)]);
    let files: Vec<&Flow> = f
        .iter()
        .filter(|x| x.kind == SinkKind::FileAccess)
        .collect();
    assert!(!files.is_empty(), "{f:#?}");
    // The second call adds an unchecked part: the open is unguarded.
    assert_eq!(unguarded(&f, SinkKind::FileAccess), vec![13], "{f:#?}");

    let only_safe = py.replace("    save(paper_id, arguments.get(\"suffix\"), {})\n", "");
    let f = flows(&[("server.py", &only_safe)]);
    assert!(unguarded(&f, SinkKind::FileAccess).is_empty(), "{f:#?}");
    assert!(
        f.iter().any(|x| x.kind == SinkKind::FileAccess),
        "the guarded flow is still reported as a flow: {f:#?}"
    );
}

#[test]
fn a_zod_schema_piped_into_a_number_is_a_number() {
    let js = r#"
import { z } from "zod";
import fs from "fs/promises";
const ArgsSchema = z.object({
    index: z.union([z.number(), z.string()]).transform((v) => Number(v)).pipe(z.number().min(0)),
    name: z.union([z.number(), z.string()]).transform((v) => String(v).trim()),
});
server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const parsed = ArgsSchema.safeParse(request.params.arguments);
    if (!parsed.success) throw new Error("invalid");
    const a = parsed.data;
    await fs.writeFile(`/srv/out/${a.index}.txt`, "x");
    await fs.writeFile(`/srv/out/${a.name}.txt`, "x");
});
"#;
    let f = flows(&[("index.js", js)]);
    assert_eq!(unguarded(&f, SinkKind::FileAccess), vec![13], "{f:#?}");
}

#[test]
fn a_schema_parse_gives_each_field_its_schema() {
    let js = r#"
import { z } from "zod";
import fs from "fs/promises";
const ReadArgs = z.object({ page: z.number().int(), file: z.string() }).strict();
server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { page, file } = ReadArgs.parse(request.params.arguments);
    await fs.readFile(`/srv/pages/${page}.txt`);
    return await fs.readFile(`/srv/files/${file}`);
});
"#;
    let f = flows(&[("index.js", js)]);
    assert_eq!(unguarded(&f, SinkKind::FileAccess), vec![8], "{f:#?}");
}

#[test]
fn a_schema_nested_in_a_schema_gives_its_fields_their_schema() {
    // Options grouped in an object of their own (a module-level schema, optional, or in a
    // union with a boolean switch): their fields keep their own checks.
    let js = r#"
import { z } from "zod";
import fs from "fs/promises";
const Images = z.union([
    z.boolean(),
    z.object({ startIndex: z.number().int().min(0).optional(), saveDir: z.string().optional() }),
]).optional();
const Args = z.object({
    url: z.string(),
    images: Images,
    text: z.object({ page: z.number().optional(), label: z.string() }).optional(),
});
server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const parsed = Args.safeParse(request.params.arguments);
    if (!parsed.success) throw new Error("invalid");
    const a = parsed.data;
    const cfg = typeof a.images === "object" && a.images !== null ? a.images : {};
    const text = a.text || {};
    await fs.writeFile(`/srv/out/${cfg.startIndex}.jpg`, "x");
    await fs.writeFile(`/srv/out/${text.page}.txt`, "x");
    await fs.writeFile(`/srv/out/${cfg.saveDir}/a.jpg`, "x");
    await fs.writeFile(`/srv/out/${text.label}.txt`, "x");
});
"#;
    let f = flows(&[("index.js", js)]);
    assert_eq!(unguarded(&f, SinkKind::FileAccess), vec![21, 22], "{f:#?}");
}

#[test]
fn a_low_level_server_given_its_handler_as_a_keyword_takes_tool_arguments() {
    // The SDK's `Server(..., on_call_tool=…)`: `params` is the tool call's, not an HTTP
    // request, though its type is named `CallToolRequestParams`.
    let py = r#"
import mcp.types as types
from mcp.server.lowlevel import Server

async def call_tool(ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
    path = params.arguments["input_file"]
    with open(path) as f:
        text = f.read()
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)])

server = Server("x", on_call_tool=call_tool)
"#;
    let f = flows(&[("server.py", py)]);
    let reads: Vec<&Flow> = f
        .iter()
        .filter(|x| x.kind == SinkKind::FileAccess)
        .collect();
    assert_eq!(reads.len(), 1, "{f:#?}");
    assert_eq!(reads[0].origin.kind, OriginKind::ToolArgument, "{f:#?}");
}

#[test]
fn a_variable_name_led_by_a_namespace_through_a_helper_keeps_its_prefix() {
    let py = r#"
import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")

def read_limit(name):
    raw = os.getenv(name)
    return int(raw) if raw else 0

@mcp.tool()
def limit(tool: str) -> int:
    return read_limit(f"MCP_RATE_LIMIT_{tool.upper()}")

def names(tool):
    return (f"MCP_RATE_LIMIT_{tool}", f"MCP_RATE_LIMIT_{tool.upper()}")

def resolve(tool):
    for name in names(tool):
        read_limit(name)

@mcp.tool()
def nested(tool: str) -> int:
    resolve(tool)
    return 1

@mcp.tool()
def first(tool: str) -> int:
    return read_limit(names(tool)[0]) + read_limit(names(tool)[-1])

@mcp.tool()
def any_setting(tool: str) -> int:
    return read_limit(tool)
"#;
    let f = flows(&[("server.py", py)]);
    let names: Vec<(Option<&str>, Option<&str>)> = f
        .iter()
        .filter(|x| x.kind == SinkKind::EnvName)
        .map(|x| (x.origin.tool.as_deref(), x.detail.as_deref()))
        .collect();
    assert!(
        names.contains(&(Some("limit"), Some("prefix:MCP_RATE_LIMIT_"))),
        "{f:#?}"
    );
    assert!(
        names.contains(&(Some("nested"), Some("prefix:MCP_RATE_LIMIT_"))),
        "{f:#?}"
    );
    assert!(
        names.contains(&(Some("first"), Some("prefix:MCP_RATE_LIMIT_"))),
        "{f:#?}"
    );
    assert!(names.contains(&(Some("any_setting"), None)), "{f:#?}");
}
