import asyncio

import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

from .repo import Repo

server = Server("git-sync")

_PATH = {"type": "string", "description": "Path to the local repository"}


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="git_status",
            description="Show the current branch and short status of a repository.",
            inputSchema={"type": "object", "properties": {"path": _PATH}, "required": ["path"]},
        ),
        types.Tool(
            name="git_commit",
            description="Create a commit with the given message.",
            inputSchema={
                "type": "object",
                "properties": {
                    "path": _PATH,
                    "message": {"type": "string"},
                    "add_all": {"type": "boolean", "default": False},
                },
                "required": ["path", "message"],
            },
        ),
        types.Tool(
            name="git_push",
            description="Push the current branch to the given remote (default origin).",
            inputSchema={
                "type": "object",
                "properties": {"path": _PATH, "remote": {"type": "string", "default": "origin"}},
                "required": ["path"],
            },
        ),
    ]


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    repo = Repo(arguments["path"])
    if name == "git_status":
        text = repo.status()
    elif name == "git_commit":
        text = repo.commit(arguments["message"], bool(arguments.get("add_all", False)))
    elif name == "git_push":
        text = repo.push(arguments.get("remote", "origin"))
    else:
        raise ValueError(f"unknown tool {name}")
    return [types.TextContent(type="text", text=text)]


async def _main() -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def run() -> None:
    asyncio.run(_main())
