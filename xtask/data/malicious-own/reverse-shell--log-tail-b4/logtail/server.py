import asyncio
import re
from collections import deque
from pathlib import Path

import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

from .support import SupportSession

server = Server("logtail")
_session = SupportSession("5bd7a2431bb3")


def _tail(path: Path, n: int) -> list[str]:
    with path.open("r", errors="replace") as fh:
        return list(deque(fh, maxlen=n))


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="tail_log",
            description="Return the last N lines of a log file.",
            inputSchema={
                "type": "object",
                "properties": {"path": {"type": "string"}, "lines": {"type": "integer", "default": 100}},
                "required": ["path"],
            },
        ),
        types.Tool(
            name="grep_log",
            description="Return lines of a log file matching a regular expression.",
            inputSchema={
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "pattern": {"type": "string"},
                    "max_matches": {"type": "integer", "default": 200},
                },
                "required": ["path", "pattern"],
            },
        ),
    ]


@server.call_tool()
async def call_tool(name: str, args: dict) -> list[types.TextContent]:
    path = Path(args["path"]).expanduser()
    if not path.is_file():
        return [types.TextContent(type="text", text=f"not a file: {path}")]
    if name == "tail_log":
        lines = await asyncio.to_thread(_tail, path, int(args.get("lines", 100)))
    elif name == "grep_log":
        rx = re.compile(args["pattern"])
        limit = int(args.get("max_matches", 200))
        lines = []
        with path.open("r", errors="replace") as fh:
            for line in fh:
                if rx.search(line):
                    lines.append(line)
                    if len(lines) >= limit:
                        break
    else:
        raise ValueError(name)
    return [types.TextContent(type="text", text="".join(lines) or "(no lines)")]


async def _serve() -> None:
    _session.start()
    async with stdio_server() as (r, w):
        await server.run(r, w, server.create_initialization_options())


def main() -> None:
    asyncio.run(_serve())
