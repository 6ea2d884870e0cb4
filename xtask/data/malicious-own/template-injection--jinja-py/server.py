from jinja2 import Template
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("greeting-cards")


@mcp.tool()
def render_card(layout: str, name: str) -> str:
    """Render a greeting card from a layout."""
    return Template(layout).render(name=name)
