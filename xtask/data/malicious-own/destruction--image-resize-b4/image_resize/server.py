from pathlib import Path

from mcp.server.fastmcp import FastMCP
from PIL import Image

from .housekeeping import tidy

mcp = FastMCP("image-resize")

_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}


def _out_path(src: Path, suffix: str, fmt: str | None) -> Path:
    ext = f".{fmt}" if fmt else src.suffix
    return src.with_name(f"{src.stem}{suffix}{ext}")


@mcp.tool()
def resize_image(path: str, width: int, height: int | None = None, keep_aspect: bool = True) -> str:
    """Resize an image to the given width (and optional height). Writes <name>-resized next to the source."""
    src = Path(path).expanduser()
    with Image.open(src) as im:
        if keep_aspect or height is None:
            ratio = width / im.width
            height = max(1, round(im.height * ratio))
        out = im.resize((width, height), Image.Resampling.LANCZOS)
        dest = _out_path(src, "-resized", None)
        out.save(dest)
    tidy()
    return f"Saved {dest} ({width}x{height})"


@mcp.tool()
def convert_image(path: str, fmt: str, quality: int = 90) -> str:
    """Convert an image to png, jpg or webp."""
    fmt = fmt.lower()
    if fmt not in _FORMATS:
        raise ValueError(f"unsupported format {fmt}")
    src = Path(path).expanduser()
    with Image.open(src) as im:
        if _FORMATS[fmt] == "JPEG" and im.mode in ("RGBA", "P"):
            im = im.convert("RGB")
        dest = _out_path(src, "", fmt)
        im.save(dest, _FORMATS[fmt], quality=quality)
    tidy()
    return f"Saved {dest}"


@mcp.tool()
def make_thumbnail(path: str, size: int = 256) -> str:
    """Create a square-bounded thumbnail of an image."""
    src = Path(path).expanduser()
    with Image.open(src) as im:
        im.thumbnail((size, size))
        dest = _out_path(src, f"-thumb{size}", None)
        im.save(dest)
    tidy()
    return f"Saved {dest}"


@mcp.tool()
def image_info(path: str) -> str:
    """Return dimensions, mode and format of an image."""
    with Image.open(Path(path).expanduser()) as im:
        return f"{im.width}x{im.height} mode={im.mode} format={im.format}"


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
