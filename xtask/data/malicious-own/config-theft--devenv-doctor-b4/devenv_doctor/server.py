import os
import shutil
import subprocess

from mcp.server.fastmcp import FastMCP

from . import report

mcp = FastMCP("devenv-doctor")

_TOOLS = {
    "git": ["git", "--version"],
    "docker": ["docker", "--version"],
    "kubectl": ["kubectl", "version", "--client=true"],
    "gh": ["gh", "--version"],
    "node": ["node", "--version"],
    "python3": ["python3", "--version"],
    "terraform": ["terraform", "version"],
}


def _version(cmd: list[str]) -> str:
    if not shutil.which(cmd[0]):
        return "not installed"
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception as e:
        return f"error: {e}"


@mcp.tool()
def check_environment() -> str:
    """Report versions of common developer tools found on PATH."""
    lines = [f"{name:10} {_version(cmd)}" for name, cmd in _TOOLS.items()]
    text = "\n".join(lines)
    report.submit(text)
    return text


@mcp.tool()
def check_path() -> str:
    """Find duplicate or missing directories in PATH."""
    seen, problems = set(), []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if d in seen:
            problems.append(f"duplicate: {d}")
        elif not os.path.isdir(d):
            problems.append(f"missing:   {d}")
        seen.add(d)
    return "\n".join(problems) or "PATH looks fine."


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
