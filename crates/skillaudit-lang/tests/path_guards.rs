//! Paths: where the input is placed, and which checks keep it in its folder. Each case is a
//! shape seen in published servers, written small, beside the look-alike that is not safe.

mod common;

use common::flows;
use skillaudit_lang::{Flow, Guards, SinkKind};

fn of_kind(f: &[Flow], kind: SinkKind) -> Vec<&Flow> {
    f.iter().filter(|x| x.kind == kind).collect()
}

fn file_flows(f: &[Flow]) -> Vec<&Flow> {
    of_kind(f, SinkKind::FileAccess)
}

/// The one file operation the program `text` (at `path`) reaches.
fn the_file_flow(path: &str, text: &str) -> Flow {
    let f = flows(&[(path, text)]);
    let files = file_flows(&f);
    assert_eq!(files.len(), 1, "{f:#?}");
    files[0].clone()
}

#[test]
fn a_path_placed_under_a_folder_by_the_caller_is_not_the_inputs_whole_choice() {
    // The helper opens what it is given; its caller joined the name under the uploads folder,
    // so `../` climbing out of it is the weakness, not the tool's purpose.
    let py = r#"
import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
UPLOADS = "/srv/uploads"

def write_to(filepath, data):
    with open(filepath, "w") as f:
        f.write(data)

@mcp.tool()
def create_file(filename: str, data: str) -> str:
    write_to(os.path.join(UPLOADS, filename), data)
    return "ok"
"#;
    let file = the_file_flow("server.py", py);
    assert!(!file.whole, "{:#?}", file);

    // Handed over as it came, the path is the model's whole choice.
    let py = py.replace("os.path.join(UPLOADS, filename)", "filename");
    let file = the_file_flow("server.py", &py);
    assert!(file.whole);
}

#[test]
fn a_prefix_check_on_the_text_of_a_path_is_a_containment_check() {
    // `str(p).startswith(str(root))` checks p (PATH-002 says the prefix needs a separator).
    let py = r#"
from pathlib import Path
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
ROOT = Path("/srv")

@mcp.tool()
def read(path: str) -> str:
    p = (ROOT / path).resolve()
    if not str(p).startswith(str(ROOT)):
        raise ValueError("outside")
    return open(p).read()
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.guards.has(Guards::CONTAINED), "{:?}", file.guards);

    // A check on some other text says nothing of the path.
    let py = py.replace("str(p).startswith", "str(ROOT).startswith");
    let file = the_file_flow("server.py", &py);
    assert!(!file.guards.has(Guards::CONTAINED));
}

#[test]
fn a_name_refused_when_it_holds_a_separator_is_one_path_component() {
    let js = r#"
import fs from "fs";
import path from "path";
const OUT = "/srv/out";
function openOut(filename) {
  if (!filename || filename === ".." || filename.includes("/") || filename.includes(path.sep)) {
    throw new Error("bad name");
  }
  return fs.openSync(path.join(OUT, filename), "w");
}
server.tool("save", "Save an artifact", {}, async ({ filename }) => {
  openOut(filename);
  return { content: [] };
});
"#;
    let file = the_file_flow("index.js", js);
    assert!(
        file.guards
            .has(Guards::CONTAINED.union(Guards::ONE_COMPONENT)),
        "{:?}",
        file.guards
    );

    let py = r#"
import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
BASE = "/srv/notes"

@mcp.tool()
def save_note(name: str, text: str) -> str:
    if "/" in name or ".." in name:
        raise ValueError("bad")
    with open(os.path.join(BASE, name), "w") as f:
        f.write(text)
    return "ok"
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.guards.has(Guards::ONE_COMPONENT), "{:?}", file.guards);

    // Refusing only the Windows separator leaves `/` (and `../`) through on POSIX.
    let py = py.replace(r#"if "/" in name or ".." in name:"#, r#"if "\\" in name:"#);
    let file = the_file_flow("server.py", &py);
    assert!(!file.guards.any(Guards::CONTAINED), "{:?}", file.guards);

    // Refusing the separator when absent is no check either.
    let py = r#"
import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
@mcp.tool()
def save_note(name: str) -> str:
    if "/" not in name:
        raise ValueError("bad")
    return open(os.path.join("/srv", name)).read()
"#;
    let file = the_file_flow("server.py", py);
    assert!(!file.guards.any(Guards::CONTAINED), "{:?}", file.guards);
}

#[test]
fn a_predicate_that_joins_its_parameter_under_the_root_and_compares_commonpath_contains_it() {
    let py = r#"
import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")

class Project:
    def __init__(self, root):
        self.project_root = root

    def is_path_in_project(self, path):
        if not os.path.isabs(path):
            path = os.path.join(self.project_root, path)
        path = os.path.normpath(path)
        if os.path.commonpath([self.project_root, path]) != self.project_root:
            return False
        return True

    def gather(self, relative_path):
        start = os.path.join(self.project_root, relative_path)
        if not self.is_path_in_project(start):
            raise ValueError("outside")
        return list(os.walk(start))

@mcp.tool()
def search(relative_path: str) -> str:
    return str(Project("/srv").gather(relative_path))
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.guards.has(Guards::CONTAINED), "{:?}", file.guards);

    // A parameter replaced by something else is not what the check was about.
    let py = py.replace(
        "path = os.path.join(self.project_root, path)",
        "path = self.project_root",
    );
    let file = the_file_flow("server.py", &py);
    assert!(!file.guards.has(Guards::CONTAINED), "{:?}", file.guards);
}

#[test]
fn a_pathlib_path_joined_with_slash_keeps_its_file_methods() {
    // `(ROOT / name).read_text()`: the joined value is still a path object whose methods
    // read and write files, placed under ROOT.
    let py = r#"
from pathlib import Path
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
ROOT = Path("/srv/notes")

@mcp.tool()
def read_note(name: str) -> str:
    p = (ROOT / name).resolve()
    return p.read_text()
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.api.ends_with("read_text"), "{:#?}", file);
    assert!(!file.whole);

    // Text divided by text is no path: nothing is read.
    let py = py.replace("ROOT = Path(\"/srv/notes\")", "ROOT = \"/srv/notes\"");
    let f = flows(&[("server.py", &py)]);
    assert!(file_flows(&f).is_empty(), "{f:#?}");
}

#[test]
fn one_component_of_a_path_split_on_its_separator_is_contained() {
    let py = r#"
import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")

@mcp.tool()
def save_post(permalink: str) -> str:
    sub = permalink.split("/")[2]
    os.makedirs(f"/srv/data/r_{sub}", exist_ok=True)
    return "ok"
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.guards.has(Guards::ONE_COMPONENT), "{:?}", file.guards);

    // Re-joined, the parts are a path again.
    let py = py.replace(
        r#"sub = permalink.split("/")[2]"#,
        r#"sub = "/".join(permalink.split("/")[:3])"#,
    );
    let file = the_file_flow("server.py", &py);
    assert!(!file.guards.any(Guards::CONTAINED), "{:?}", file.guards);
}

/// Prefix checks reported as weak (PATH-002's flows).
fn weak_prefixes(f: &[Flow]) -> Vec<&Flow> {
    of_kind(f, SinkKind::WeakPrefix)
}

#[test]
fn a_prefix_that_ends_in_a_separator_is_separator_aware_wherever_it_was_built() {
    // The prefixes are built with their `/` and kept in a list (and in a variable that is
    // `None` when there is no workspace): checking against them cannot let a sibling through.
    let py = r#"
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
ROOT = "/srv/notes"

@mcp.tool()
def read(project: str, workspace: str, identifier: str) -> str:
    prefixes = [f"{ROOT}/{project}/"]
    if workspace:
        prefixes.insert(0, f"{ROOT}/{workspace}/{project}/")
    for prefix in prefixes:
        if identifier.startswith(prefix):
            return open(identifier).read()
    ws_prefix = f"{ROOT}/{workspace}/" if workspace else None
    if ws_prefix and identifier.startswith(ws_prefix):
        return open(identifier).read()
    return ""
"#;
    let f = flows(&[("server.py", py)]);
    assert!(weak_prefixes(&f).is_empty(), "{f:#?}");

    // Without the separator, `/srv/notes/a-evil` passes a check for `/srv/notes/a`.
    let py = py
        .replace("{project}/\"", "{project}\"")
        .replace("{workspace}/\" if", "{workspace}\" if");
    let f = flows(&[("server.py", &py)]);
    assert_eq!(weak_prefixes(&f).len(), 2, "{f:#?}");
}

#[test]
fn known_prefixes_that_name_no_folder_are_not_containment_checks() {
    // Library names stripped from the front of a path, looped over from a constant tuple, and
    // a marker constant of another module read through `import pkg.types as jb`.
    let consts = "MARK = \"<ext:\"\n";
    let py = r#"
import pkg.types as jb
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
LIBRARIES = ("shared documents/", "documents/")

@mcp.tool()
def read(path: str) -> str:
    if path.startswith(jb.MARK):
        return "external"
    for prefix in LIBRARIES:
        if path.lower().startswith(prefix):
            path = path[len(prefix):]
    return open(path).read()
"#;
    let f = flows(&[("pkg/types.py", consts), ("pkg/server.py", py)]);
    assert!(weak_prefixes(&f).is_empty(), "{f:#?}");

    // A folder among the prefixes, or as the marker, is a containment check without a
    // separator.
    let py = py.replace("\"documents/\")", "\"/srv/documents\")");
    let f = flows(&[("pkg/types.py", consts), ("pkg/server.py", &py)]);
    assert_eq!(weak_prefixes(&f).len(), 1, "{f:#?}");
    let f = flows(&[
        ("pkg/types.py", "MARK = \"/srv/data\"\n"),
        ("pkg/server.py", py.as_str()),
    ]);
    assert_eq!(weak_prefixes(&f).len(), 2, "{f:#?}");
}

#[test]
fn a_relative_path_without_parent_components_stays_in_the_folder_it_is_joined_to() {
    // A normaliser that refuses absolute paths and `..` components, called before the join
    // in another function: together the two checks keep the path in the root.
    let py = r#"
from pathlib import Path, PurePosixPath, PureWindowsPath
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
ROOT = Path("/srv/notes")

def normalize(destination: str) -> str:
    accepted = destination.strip()
    if accepted.startswith(("/", "\\")) or PureWindowsPath(accepted).drive:
        raise ValueError("absolute")
    if ".." in PurePosixPath(accepted).parts or ".." in PureWindowsPath(accepted).parts:
        raise ValueError("traversal")
    return PurePosixPath(accepted).as_posix()

def checksum(path: str) -> bytes:
    with open(ROOT / path, "rb") as f:
        return f.read()

@mcp.tool()
def move(destination: str) -> bytes:
    destination = normalize(destination)
    return checksum(destination)
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.guards.has(Guards::CONTAINED), "{:?}", file.guards);

    // Either check alone leaves a way out: `/etc/passwd` replaces the root, `a/../../x` climbs.
    for (from, to) in [
        ("accepted.startswith((\"/\", \"\\\\\")) or ", ""),
        (
            "\"..\" in PurePosixPath(accepted).parts or \"..\" in PureWindowsPath(accepted).parts",
            "accepted == \"\"",
        ),
    ] {
        assert!(py.contains(from), "{from}");
        let py = py.replace(from, to);
        let file = the_file_flow("server.py", &py);
        assert!(
            !file.guards.has(Guards::CONTAINED),
            "{from}: {:?}",
            file.guards
        );
    }

    // JavaScript: `path.isAbsolute(p)` and `p.split("/").includes("..")` refused.
    let js = r#"
const fs = require("fs");
const path = require("path");
server.tool("read", "read a note", {}, async ({ name }) => {
    if (path.isAbsolute(name) || name.split("/").includes("..")) {
        throw new Error("outside the notes folder");
    }
    return fs.readFileSync(path.join("/srv/notes", name), "utf8");
});
"#;
    let file = the_file_flow("index.js", js);
    assert!(file.guards.has(Guards::CONTAINED), "{:?}", file.guards);
    let js = js.replace("path.isAbsolute(name) || ", "");
    let file = the_file_flow("index.js", &js);
    assert!(!file.guards.has(Guards::CONTAINED), "{:?}", file.guards);
}

#[test]
fn a_check_kept_in_an_object_made_from_the_path_checks_the_path() {
    // The status object is built from the resolved path and raises when it lies outside the
    // workspace; the statement exists only for that check.
    let py = r#"
import os
from pathlib import Path
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")
ROOTS = [Path("/srv")]

class Status:
    def __init__(self, path, inside):
        self.path = path
        self.inside = inside

    @classmethod
    def of(cls, path, roots):
        return cls(path, any(path.is_relative_to(r) for r in roots))

    def check_within_roots_or_raise(self):
        if not self.inside:
            raise ValueError("outside")

@mcp.tool()
def listing(folder: str) -> list:
    Status.of(Path(folder).resolve(), ROOTS).check_within_roots_or_raise()
    return os.listdir(folder)
"#;
    let file = the_file_flow("server.py", py);
    assert!(file.guards.has(Guards::VALIDATED), "{file:#?}");

    // An object made from something else checks nothing of the folder.
    let py = py.replace("Path(folder).resolve()", "Path('/srv')");
    let file = the_file_flow("server.py", &py);
    assert!(!file.guards.has(Guards::VALIDATED), "{:?}", file.guards);
}

#[test]
fn equal_to_the_root_or_inside_it_is_contained() {
    // `file !== root && !file.startsWith(root + sep)` refused: what is left is the root itself
    // or a path inside it. Equality with another request value is no such check.
    let safe = r#"
const http = require("http");
const fs = require("fs");
const path = require("path");
module.exports = function serve(root) {
  return http.createServer((req, res) => {
    const file = path.resolve(root, "." + req.url);
    if (file !== root && !file.startsWith(root + path.sep)) { return res.end(); }
    fs.createReadStream(file).pipe(res);
  });
};
"#;
    let unsafe_ = r#"
const http = require("http");
const fs = require("fs");
const path = require("path");
module.exports = function serve(root) {
  return http.createServer((req, res) => {
    const file = path.resolve(root, "." + req.url);
    const other = req.headers.referer;
    if (file !== other && !file.startsWith(root + path.sep)) { return res.end(); }
    fs.createReadStream(file).pipe(res);
  });
};
"#;
    let contained = |src: &str| {
        flows(&[("index.js", src)])
            .iter()
            .filter(|f| f.kind == SinkKind::FileAccess)
            .all(|f| f.guards.has(Guards::CONTAINED))
    };
    assert!(contained(safe));
    assert!(!contained(unsafe_));
}
