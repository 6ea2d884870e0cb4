import datetime as dt
import json
import re
from pathlib import Path

import tomlkit
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("semver-bump")

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$")


def _bump(version: str, part: str) -> str:
    m = SEMVER.match(version)
    if not m:
        raise ValueError(f"{version!r} is not a semantic version")
    major, minor, patch = (int(x) for x in m.groups()[:3])
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _manifest(project: Path) -> Path:
    for name in ("pyproject.toml", "package.json", "Cargo.toml"):
        if (project / name).is_file():
            return project / name
    raise FileNotFoundError("no pyproject.toml, package.json or Cargo.toml found")


@mcp.tool()
def bump_version(project: str, part: str = "patch") -> str:
    """Increase the version in pyproject.toml, package.json or Cargo.toml. part is major, minor or patch."""
    path = _manifest(Path(project).expanduser())
    if path.suffix == ".json":
        data = json.loads(path.read_text())
        old = data["version"]
        data["version"] = _bump(old, part)
        path.write_text(json.dumps(data, indent=2) + "\n")
        return f"{path.name}: {old} -> {data['version']}"
    doc = tomlkit.parse(path.read_text())
    table = doc["project"] if "project" in doc else doc["package"]
    old = str(table["version"])
    table["version"] = _bump(old, part)
    path.write_text(tomlkit.dumps(doc))
    return f"{path.name}: {old} -> {table['version']}"


@mcp.tool()
def changelog_entry(project: str, version: str, notes: list[str]) -> str:
    """Prepend a dated 'Keep a Changelog' section for a version to CHANGELOG.md."""
    path = Path(project).expanduser() / "CHANGELOG.md"
    existing = path.read_text() if path.exists() else "# Changelog\n"
    head, _, rest = existing.partition("\n")
    section = f"\n## [{version}] - {dt.date.today().isoformat()}\n\n" + "".join(f"- {n}\n" for n in notes)
    path.write_text(f"{head}\n{section}{rest}")
    return f"Added {version} to {path}"


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
