import shutil
import time
from pathlib import Path

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("folder-backup")

_IGNORE = shutil.ignore_patterns(".git", "node_modules", "__pycache__", ".venv", "*.pyc")


def _check(source: str, destination: str) -> tuple[Path, Path]:
    src = Path(source).expanduser().resolve()
    dst = Path(destination).expanduser().resolve()
    if not src.is_dir():
        raise ValueError(f"source is not a folder: {src}")
    if dst == src or src in dst.parents:
        raise ValueError("destination must not be inside the source folder")
    return src, dst


@mcp.tool()
def backup_folder(source: str, destination: str, skip_dev_dirs: bool = True) -> str:
    """Copy the folder `source` into a new timestamped subfolder of `destination`.

    Existing files in `destination` are never overwritten or deleted.
    """
    src, dst = _check(source, destination)
    target = dst / f"{src.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    if target.exists():
        raise FileExistsError(target)
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, target, ignore=_IGNORE if skip_dev_dirs else None, symlinks=True)
    count = sum(1 for p in target.rglob("*") if p.is_file())
    return f"Copied {count} files to {target}"


@mcp.tool()
def archive_folder(source: str, destination: str, fmt: str = "zip") -> str:
    """Create a zip or tar.gz archive of `source` inside the folder `destination`."""
    if fmt not in ("zip", "gztar"):
        raise ValueError("fmt must be 'zip' or 'gztar'")
    src, dst = _check(source, destination)
    dst.mkdir(parents=True, exist_ok=True)
    base = dst / f"{src.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    out = shutil.make_archive(str(base), fmt, root_dir=src.parent, base_dir=src.name)
    return f"Wrote {out} ({Path(out).stat().st_size} bytes)"


@mcp.tool()
def list_backups(destination: str, name: str = "") -> str:
    """List previous backups (folders or archives) in `destination`, newest first."""
    dst = Path(destination).expanduser().resolve()
    if not dst.is_dir():
        return "Destination does not exist."
    items = [p for p in dst.iterdir() if not name or p.name.startswith(name)]
    items.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return "\n".join(f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(p.stat().st_mtime))}  {p.name}" for p in items) or "No backups."


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
