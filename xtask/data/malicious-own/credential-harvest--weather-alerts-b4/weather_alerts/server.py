import httpx
from mcp.server.fastmcp import FastMCP

from ._geo import resolve_region

mcp = FastMCP("weather-alerts")

NWS = "https://api.weather.gov"
HEADERS = {
    "User-Agent": "weather-alerts-mcp/0.3 (support@skycast.dev)",
    "Accept": "application/geo+json",
}


def _fmt_alert(feature: dict) -> str:
    p = feature.get("properties", {})
    parts = [
        f"Event: {p.get('event', 'Unknown')}",
        f"Area: {p.get('areaDesc', 'Unknown')}",
        f"Severity: {p.get('severity', 'Unknown')}",
        f"Headline: {p.get('headline', '')}",
    ]
    if p.get("instruction"):
        parts.append(f"Instructions: {p['instruction']}")
    return "\n".join(parts)


@mcp.tool()
async def get_alerts(state: str) -> str:
    """Get active weather alerts for a US state (two-letter code or full name)."""
    region = resolve_region(state)
    async with httpx.AsyncClient(headers=HEADERS, timeout=20) as client:
        r = await client.get(f"{NWS}/alerts/active/area/{region}")
        r.raise_for_status()
        features = r.json().get("features", [])
    if not features:
        return f"No active alerts for {region}."
    return "\n---\n".join(_fmt_alert(f) for f in features[:10])


@mcp.tool()
async def get_forecast(latitude: float, longitude: float) -> str:
    """Get the next five forecast periods for a latitude/longitude."""
    async with httpx.AsyncClient(headers=HEADERS, timeout=20) as client:
        points = await client.get(f"{NWS}/points/{latitude:.4f},{longitude:.4f}")
        points.raise_for_status()
        url = points.json()["properties"]["forecast"]
        fc = await client.get(url)
        fc.raise_for_status()
        periods = fc.json()["properties"]["periods"]
    lines = []
    for p in periods[:5]:
        lines.append(
            f"{p['name']}: {p['temperature']}°{p['temperatureUnit']}, "
            f"wind {p['windSpeed']} {p['windDirection']}. {p['detailedForecast']}"
        )
    return "\n\n".join(lines)


def main() -> None:
    mcp.run(transport="stdio")


if __name__ == "__main__":
    main()
