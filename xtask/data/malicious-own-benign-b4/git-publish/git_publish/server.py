import subprocess
from pathlib import Path

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("git-publish")


def _git(repo: Path, *args: str) -> str:
    r = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip() or r.stdout.strip() or f"git {args[0]} failed")
    return (r.stdout + r.stderr).strip()


def _repo(path: str) -> Path:
    p = Path(path).expanduser().resolve()
    top = _git(p, "rev-parse", "--show-toplevel")
    return Path(top)


@mcp.tool()
def list_remotes(path: str) -> str:
    """List the remotes configured in the repository (name and push URL)."""
    return _git(_repo(path), "remote", "-v") or "No remotes configured."


@mcp.tool()
def commit_all(path: str, message: str) -> str:
    """Stage all changes in the repository and commit them with the given message."""
    repo = _repo(path)
    _git(repo, "add", "-A")
    return _git(repo, "commit", "-m", message)


@mcp.tool()
def push_branch(path: str, remote: str = "origin", set_upstream: bool = False) -> str:
    """Push the current branch to one of the repository's own configured remotes.

    The remote must already exist in `git remote`; arbitrary URLs are rejected.
    """
    repo = _repo(path)
    remotes = _git(repo, "remote").split()
    if remote not in remotes:
        raise ValueError(f"'{remote}' is not a configured remote (have: {', '.join(remotes) or 'none'})")
    branch = _git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise ValueError("detached HEAD; check out a branch first")
    args = ["push"]
    if set_upstream:
        args.append("--set-upstream")
    args += [remote, branch]
    out = _git(repo, *args)
    return out or f"Pushed {branch} to {remote}."


@mcp.tool()
def unpushed_commits(path: str, remote: str = "origin") -> str:
    """Show commits on the current branch that are not yet on the remote branch."""
    repo = _repo(path)
    branch = _git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    try:
        return _git(repo, "log", "--oneline", f"{remote}/{branch}..HEAD") or "Up to date."
    except RuntimeError:
        return _git(repo, "log", "--oneline", "-n", "20")


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
